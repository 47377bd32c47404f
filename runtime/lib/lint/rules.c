/*
 * The lint rules: each reads one recorded operation, or one revision's,
 * against the model as it stood before it, and says what it will lock,
 * rewrite or break.  docs/lint.md gives each rule's why and safe way.
 */
#include <ctype.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "lint/lint.h"

const pcsm_lint_rule pcsm_lint__rules[LINT_N_RULES] = {
    [LINT_CONCURRENT_INDEX] = { "require-concurrent-index", PCSM_LINT_WARNING,
        "an index built without CONCURRENTLY on a table that already existed" },
    [LINT_CONCURRENT_INDEX_DROP] = { "require-concurrent-index-drop", PCSM_LINT_WARNING,
        "an index dropped without CONCURRENTLY from a table that already existed" },
    [LINT_CONSTRAINT_NOT_VALID] = { "constraint-not-valid", PCSM_LINT_WARNING,
        "a foreign key or check added to an existing table without NOT VALID, or validated "
        "in the revision that added it" },
    [LINT_UNIQUE_CONSTRAINT] = { "unique-constraint-index", PCSM_LINT_WARNING,
        "a unique, primary key or exclusion constraint whose index is built under the "
        "table's lock" },
    [LINT_REQUIRED_COLUMN] = { "required-column-default", PCSM_LINT_WARNING,
        "a NOT NULL column without a default added to an existing table" },
    [LINT_SET_NOT_NULL] = { "set-not-null-check", PCSM_LINT_WARNING,
        "SET NOT NULL on an existing table without a validated IS NOT NULL check" },
    [LINT_VOLATILE_DEFAULT] = { "volatile-default", PCSM_LINT_WARNING,
        "a column added with a volatile default or identity: the table is rewritten" },
    [LINT_GENERATED_COLUMN] = { "generated-column-rewrite", PCSM_LINT_WARNING,
        "a stored generated column added to an existing table: the table is rewritten" },
    [LINT_COLUMN_TYPE_REWRITE] = { "column-type-rewrite", PCSM_LINT_WARNING,
        "a column type change that rewrites the table" },
    [LINT_RENAME_TABLE] = { "rename-table", PCSM_LINT_WARNING,
        "a table or view renamed: the running application still uses the old name" },
    [LINT_RENAME_COLUMN] = { "rename-column", PCSM_LINT_WARNING,
        "a column renamed: the running application still uses the old name" },
    [LINT_DROP_TABLE] = { "drop-table", PCSM_LINT_WARNING,
        "a table dropped: its rows are gone and the running application breaks" },
    [LINT_DROP_COLUMN] = { "drop-column", PCSM_LINT_WARNING,
        "a column dropped: its values are gone and the running application breaks" },
    [LINT_DESTRUCTIVE_DROP] = { "destructive-drop", PCSM_LINT_WARNING,
        "a type, sequence, function, view, trigger or extension dropped" },
    [LINT_MIXED_SCHEMA_DATA] = { "mixed-schema-data", PCSM_LINT_WARNING,
        "a revision that changes the schema and rewrites existing rows" },
    [LINT_UNBATCHED_UPDATE] = { "unbatched-update", PCSM_LINT_WARNING,
        "an UPDATE or DELETE of an existing table in raw SQL, not pcsm_batch_update" },
    [LINT_NONTRANSACTIONAL_STATEMENTS] = { "nontransactional-statements", PCSM_LINT_WARNING,
        "a nontransactional revision with more than one statement" },
    [LINT_ROW_SECURITY_NO_POLICY] = { "row-security-no-policy", PCSM_LINT_WARNING,
        "row level security on an existing table with no permissive policy: other roles "
        "see no rows" },
    [LINT_PREFER_TIMESTAMPTZ] = { "prefer-timestamptz", PCSM_LINT_INFO,
        "timestamp without time zone" },
    [LINT_PREFER_TEXT] = { "prefer-text", PCSM_LINT_INFO,
        "varchar(n) or char(n): a length limit, whose lowering rewrites the table" },
    [LINT_PREFER_BIGINT_KEY] = { "prefer-bigint-key", PCSM_LINT_INFO,
        "an integer or smallint key: it runs out, and widening it rewrites the table" },
    [LINT_DOWNGRADE_MISMATCH] = { "downgrade-mismatch", PCSM_LINT_ERROR,
        "a downgrade that does not bring back the schema before its upgrade" },
    [LINT_UNKNOWN_IGNORE] = { "unknown-lint-ignore", PCSM_LINT_ERROR,
        "a Lint-ignore header line naming no rule" },
    [LINT_UNUSED_IGNORE] = { "unused-lint-ignore", PCSM_LINT_INFO,
        "a Lint-ignore header line that silences nothing" },
};

void pcsm_lint__add(struct pcsm_lint_revision *lr, enum pcsm_lint_rule_id rule,
                    const struct pcsm_ddl_op *o, const char *object, const char *fmt, ...)
{
    pcsm_lint_report *r = lr->report;
    pcsm_lint_finding *f;
    pcsm_buf msg = PCSM_BUF_INIT;
    va_list ap;

    va_start(ap, fmt);
    pcsm_buf_vprintf(&msg, fmt, ap);
    va_end(ap);
    pcsm__grow(&r->findings, &r->cap, r->n + 1, sizeof(*r->findings));
    f = &r->findings[r->n++];
    memset(f, 0, sizeof(*f));
    f->rule = &pcsm_lint__rules[rule];
    f->revision = lr->rev;
    f->line = o ? o->line : 0;
    f->operation = o ? pcsm_op__kind_name(o->kind) : NULL;
    f->object = object ? pcsm__xstrdup(object) : NULL;
    f->message = pcsm_buf_detach(&msg);
}

/* ------------------------------------------------------- what existed */

/* Names are the operation's, in lr->schema. */
static size_t fresh_find(const struct pcsm_lint_revision *lr, const char *name)
{
    size_t i;

    for (i = 0; i < lr->n_fresh; i++)
        if (!strcmp(lr->fresh[i].name, name) &&
            pcsm_schema__str_eq(lr->fresh[i].schema, lr->schema))
            return i;
    return (size_t)-1;
}

/*
 * Whether relation `name` (a table, view or materialized view, as it is
 * named now) was there before this revision: in use, maybe full of rows.
 */
static bool existed(const struct pcsm_lint_revision *lr, const char *name)
{
    if (!pcsm_schema__table_in(lr->now, lr->schema, name) &&
        !pcsm_schema__view_in(lr->now, lr->schema, name))
        return false;
    return fresh_find(lr, name) == (size_t)-1;
}

/*
 * Whether a column of a table that existed was there before this revision
 * too: one this revision added is not in use yet.  A table this revision
 * renamed is not under that name in the model before: counted as in use.
 */
static bool column_existed(const struct pcsm_lint_revision *lr, const char *table,
                           const char *column)
{
    const struct pcsm_schema_table *t = pcsm_schema__table_in(lr->before, lr->schema, table);

    return existed(lr, table) && (!t || pcsm_schema__column(t, column));
}

static void fresh_add(struct pcsm_lint_revision *lr, const char *name)
{
    pcsm__grow(&lr->fresh, &lr->cap_fresh, lr->n_fresh + 1, sizeof(*lr->fresh));
    lr->fresh[lr->n_fresh].schema = lr->schema ? pcsm__xstrdup(lr->schema) : NULL;
    lr->fresh[lr->n_fresh++].name = pcsm__xstrdup(name);
}

static void fresh_rename(struct pcsm_lint_revision *lr, const char *from, const char *to)
{
    size_t i = fresh_find(lr, from);

    if (i != (size_t)-1) {
        free(lr->fresh[i].name);
        lr->fresh[i].name = pcsm__xstrdup(to);
    }
}

static void fresh_drop(struct pcsm_lint_revision *lr, const char *name)
{
    size_t i = fresh_find(lr, name);

    if (i != (size_t)-1) {
        free(lr->fresh[i].schema);
        free(lr->fresh[i].name);
        lr->fresh[i] = lr->fresh[--lr->n_fresh];
    }
}

/* ------------------------------------------------------------- scanning */

/*
 * Whether an SQL expression calls a volatile function: a name followed by
 * "(" outside string literals (schema prefix dropped, folded to lower
 * case) that is a volatile built-in or a function of the model not
 * declared STABLE or IMMUTABLE.  As far as text can tell: not a parser.
 */
static bool calls_volatile(const pcsm_schema *s, const char *sql)
{
    static const char *const volatile_builtins[] = {
        "random", "random_normal", "gen_random_uuid", "uuid_generate_v1",
        "uuid_generate_v1mc", "uuid_generate_v4", "nextval", "clock_timestamp",
        "timeofday", "setval", "txid_current", "pg_current_xact_id", NULL,
    };
    const char *p = sql;

    while (*p) {
        if (*p == '\'') {
            p++;
            while (*p && !(*p == '\'' && p[1] != '\''))
                p += *p == '\'' ? 2 : 1;      /* '' is a quote inside */
            if (*p)
                p++;
        } else if (isalpha((unsigned char)*p) || *p == '_' || *p == '"') {
            char name[64], prefix[64];
            size_t n = 0;
            bool qualified = false;

            while (isalnum((unsigned char)*p) || *p == '_' || *p == '$' || *p == '.' ||
                   *p == '"') {
                if (*p == '.') {
                    /* A schema prefix: the function's own name follows. */
                    name[n] = '\0';
                    memcpy(prefix, name, n + 1);
                    qualified = true;
                    n = 0;
                } else if (*p != '"' && n + 1 < sizeof(name)) {
                    name[n++] = (char)tolower((unsigned char)*p);
                }
                p++;
            }
            name[n] = '\0';
            while (isspace((unsigned char)*p))
                p++;
            if (*p == '(') {
                const struct pcsm_schema_function *f =
                    pcsm_schema__function_in(s, qualified ? prefix : NULL, name, NULL);
                size_t i;

                for (i = 0; volatile_builtins[i]; i++)
                    if (!strcmp(name, volatile_builtins[i]))
                        return true;
                if (f && (f->volatility == PCSM_VOLATILE ||
                          f->volatility == PCSM_VOLATILITY_DEFAULT))
                    return true;
            }
        } else {
            p++;
        }
    }
    return false;
}

/*
 * The first word of an SQL text, comments and white space skipped, folded
 * as the server folds names: lower case unless double-quoted.
 */
static void first_word(const char **sql, char *word, size_t size)
{
    const char *p = *sql;
    size_t n = 0;

    for (;;) {
        while (isspace((unsigned char)*p) || *p == '(')
            p++;
        if (p[0] == '-' && p[1] == '-') {
            p += strcspn(p, "\n");
        } else if (p[0] == '/' && p[1] == '*') {
            const char *end = strstr(p + 2, "*/");

            p = end ? end + 2 : p + strlen(p);
        } else {
            break;
        }
    }
    while ((isalnum((unsigned char)*p) || *p == '_' || *p == '.' || *p == '"') &&
           n + 1 < size) {
        if (*p == '"') {
            /* A quoted name, as written; "" is a quote inside it. */
            for (p++; *p && !(*p == '"' && p[1] != '"') && n + 1 < size; p++) {
                if (*p == '"')
                    p++;
                word[n++] = *p;
            }
            if (*p)
                p++;
            continue;
        }
        word[n++] = (char)tolower((unsigned char)*p);
        p++;
    }
    word[n] = '\0';
    *sql = p;
}

/*
 * Whether raw SQL changes rows (INSERT, UPDATE, DELETE, MERGE, COPY,
 * TRUNCATE, or a WITH that may end in one of them), and the table it
 * changes in *target ("" when the text does not say it plainly).
 */
static bool changes_rows(const char *sql, char *target, size_t size)
{
    char word[64];
    const char *p = sql;

    target[0] = '\0';
    first_word(&p, word, sizeof(word));
    if (!strcmp(word, "update")) {
        first_word(&p, target, size);
        if (!strcmp(target, "only"))
            first_word(&p, target, size);
        return true;
    }
    if (!strcmp(word, "delete") || !strcmp(word, "insert") || !strcmp(word, "merge")) {
        first_word(&p, word, sizeof(word));     /* FROM, INTO */
        first_word(&p, target, size);
        if (!strcmp(target, "only"))
            first_word(&p, target, size);
        return true;
    }
    return !strcmp(word, "copy") || !strcmp(word, "truncate") || !strcmp(word, "with");
}

/* A table name as written in SQL, schema prefix dropped. */
static const char *unqualified(const char *name)
{
    const char *dot = strrchr(name, '.');

    return dot ? dot + 1 : name;
}

/* ---------------------------------------------------------------- types */

/*
 * Why changing a column from `from` to `to` rewrites the table, or NULL
 * when the server only checks its catalog (a wider varchar, varchar to
 * text, a numeric with more precision and the same scale).
 */
static const char *rewrite_reason(pcsm_type from, pcsm_type to, const char *using)
{
    if (using)
        return "a USING expression computes every row again";
    if (from.array_dims != to.array_dims)
        return "the array dimensions change";
    if (from.kind == to.kind) {
        switch (to.kind) {
        case PCSM_TYPE_VARCHAR:
            if (to.p == 0 || (from.p != 0 && to.p >= from.p))
                return NULL;
            return "a shorter varchar checks every row";
        case PCSM_TYPE_NUMERIC:
            if (to.p == 0 || (from.p != 0 && to.p >= from.p && to.s == from.s))
                return NULL;
            return "a numeric of another scale or less precision converts every row";
        case PCSM_TYPE_NAMED:
            if (from.name && to.name && !strcmp(from.name, to.name))
                return NULL;
            return "a change between named types converts every row";
        default:
            if (from.p == to.p && from.s == to.s)
                return NULL;
            return "the type's modifier changes";
        }
    }
    if (from.kind == PCSM_TYPE_VARCHAR && to.kind == PCSM_TYPE_TEXT)
        return NULL;
    if (from.kind == PCSM_TYPE_TEXT && to.kind == PCSM_TYPE_VARCHAR && to.p == 0)
        return NULL;
    if (from.kind == PCSM_TYPE_TIMESTAMP && to.kind == PCSM_TYPE_TIMESTAMPTZ)
        return "timestamp to timestamptz rewrites unless the session's TimeZone is UTC";
    return "the new type stores its values differently";
}

/* serial, bigserial, smallserial: an integer with a nextval() default. */
static bool is_serial(pcsm_type t)
{
    static const char *const names[] = {
        "serial", "serial4", "bigserial", "serial8", "smallserial", "serial2", NULL,
    };
    size_t i;

    if (t.kind == PCSM_TYPE_SMALLSERIAL || t.kind == PCSM_TYPE_SERIAL ||
        t.kind == PCSM_TYPE_BIGSERIAL)
        return true;
    for (i = 0; t.kind == PCSM_TYPE_NAMED && t.name && names[i]; i++)
        if (!strcmp(t.name, names[i]))
            return true;
    return false;
}

/* The info rules of a column being made: timestamptz, text, bigint keys. */
static void prefer_rules(struct pcsm_lint_revision *lr, const struct pcsm_ddl_op *o,
                         const char *table, const char *column, pcsm_type type, bool key)
{
    pcsm_buf obj = PCSM_BUF_INIT, ty = PCSM_BUF_INIT;

    pcsm_buf_printf(&obj, "%s.%s", table, column);
    pcsm_render__type(type, &ty);
    if (type.kind == PCSM_TYPE_TIMESTAMP)
        pcsm_lint__add(lr, LINT_PREFER_TIMESTAMPTZ, o, obj.ptr,
                       "column \"%s\" of \"%s\" is %s: it stores a wall-clock time with no "
                       "zone; timestamptz stores the instant", column, table, ty.ptr);
    if ((type.kind == PCSM_TYPE_VARCHAR || type.kind == PCSM_TYPE_CHAR) && type.p > 0)
        pcsm_lint__add(lr, LINT_PREFER_TEXT, o, obj.ptr,
                       "column \"%s\" of \"%s\" is %s: a limit that only a rewrite can "
                       "lower; text (or varchar with no length) and a CHECK on length() "
                       "change without one", column, table, ty.ptr);
    if (key && type.array_dims == 0 &&
        (type.kind == PCSM_TYPE_INTEGER || type.kind == PCSM_TYPE_SMALLINT ||
         type.kind == PCSM_TYPE_SERIAL || type.kind == PCSM_TYPE_SMALLSERIAL ||
         (type.kind == PCSM_TYPE_NAMED && is_serial(type) && strcmp(type.name, "bigserial") &&
          strcmp(type.name, "serial8"))))
        pcsm_lint__add(lr, LINT_PREFER_BIGINT_KEY, o, obj.ptr,
                       "key column \"%s\" of \"%s\" is %s: make it bigint (an identity "
                       "column) now, while the table is small", column, table, ty.ptr);
    pcsm_buf_dispose(&obj);
    pcsm_buf_dispose(&ty);
}

static bool names_one(const char *const *names, const char *name)
{
    return names && names[0] && !names[1] && !strcmp(names[0], name);
}

/* The constraint of that name of table t, or NULL. */
static const struct pcsm_schema_constraint *constraint_named(const struct pcsm_schema_table *t,
                                                             const char *name)
{
    size_t i;

    for (i = 0; t && name && i < t->n_constraints; i++)
        if (t->constraints[i].name && !strcmp(t->constraints[i].name, name))
            return &t->constraints[i];
    return NULL;
}

/*
 * Whether table `t` of the model holds a validated CHECK (column IS NOT
 * NULL) that `before` (its table in the model before this revision) held
 * already: validated since, maybe in this revision, under SHARE UPDATE
 * EXCLUSIVE, it spares SET NOT NULL its scan; added in this revision, its
 * ADD's lock is still held.
 */
static bool has_not_null_check(const struct pcsm_schema_table *t,
                               const struct pcsm_schema_table *before, const char *column)
{
    size_t i;

    for (i = 0; t && i < t->n_constraints; i++) {
        const struct pcsm_schema_constraint *c = &t->constraints[i];
        pcsm_buf want = PCSM_BUF_INIT, got = PCSM_BUF_INIT;
        const char *p;
        bool same;

        if (c->kind != PCSM_CHECK || c->not_valid || !c->check ||
            !constraint_named(before, c->name))
            continue;
        pcsm_buf_printf(&want, "%sisnotnull", column);
        for (p = c->check; *p; p++)
            if (!isspace((unsigned char)*p) && *p != '(' && *p != ')' && *p != '"')
                pcsm_buf_putc(&got, (char)tolower((unsigned char)*p));
        same = !strcmp(want.ptr, got.ptr);
        pcsm_buf_dispose(&want);
        pcsm_buf_dispose(&got);
        if (same)
            return true;
    }
    return false;
}

/* ---------------------------------------------------------------- rules */

static void create_table(struct pcsm_lint_revision *lr, const struct pcsm_ddl_op *o)
{
    const struct pcsm_ddl_create_table *ct = &o->u.create_table;
    size_t i, j;

    for (i = 0; i < ct->n_columns; i++) {
        const pcsm_column *c = &ct->columns[i];
        bool key = c->primary_key;

        for (j = 0; j < ct->n_constraints && !key; j++)
            key = ct->constraints[j].kind == PCSM_PRIMARY_KEY &&
                  names_one(ct->constraints[j].columns, c->name);
        prefer_rules(lr, o, ct->table, c->name, c->type, key);
    }
    fresh_add(lr, ct->table);
}

static void add_column(struct pcsm_lint_revision *lr, const struct pcsm_ddl_op *o)
{
    const char *table = o->u.add_column.table;
    const pcsm_column *c = &o->u.add_column.column;
    pcsm_buf obj = PCSM_BUF_INIT;

    prefer_rules(lr, o, table, c->name, c->type, c->primary_key);
    if (!existed(lr, table))
        return;
    pcsm_buf_printf(&obj, "%s.%s", table, c->name);
    if ((c->not_null || c->primary_key) && c->default_value.kind == PCSM_VALUE_NONE &&
        !c->identity && !c->generated && !is_serial(c->type))
        pcsm_lint__add(lr, LINT_REQUIRED_COLUMN, o, obj.ptr,
                       "column \"%s\" is added NOT NULL with no default to \"%s\", which "
                       "existed before this revision: it fails on the first row the table "
                       "holds", c->name, table);
    if (c->default_value.kind == PCSM_VALUE_EXPR &&
        calls_volatile(lr->now, c->default_value.text))
        pcsm_lint__add(lr, LINT_VOLATILE_DEFAULT, o, obj.ptr,
                       "column \"%s\" is added to \"%s\" with the volatile default %s: every "
                       "row is rewritten under an ACCESS EXCLUSIVE lock", c->name, table,
                       c->default_value.text);
    if (c->identity || is_serial(c->type)) {
        pcsm_buf kind = PCSM_BUF_INIT;

        if (c->identity)
            pcsm_buf_puts(&kind, "identity");
        else
            pcsm_render__type(c->type, &kind);
        pcsm_lint__add(lr, LINT_VOLATILE_DEFAULT, o, obj.ptr,
                       "%s column \"%s\" is added to \"%s\": every row takes a value of "
                       "its sequence, a rewrite under an ACCESS EXCLUSIVE lock",
                       kind.ptr, c->name, table);
        pcsm_buf_dispose(&kind);
    }
    if (c->generated)
        pcsm_lint__add(lr, LINT_GENERATED_COLUMN, o, obj.ptr,
                       "stored generated column \"%s\" is added to \"%s\": every row is "
                       "computed and rewritten under an ACCESS EXCLUSIVE lock", c->name,
                       table);
    if (c->references || c->check)
        pcsm_lint__add(lr, LINT_CONSTRAINT_NOT_VALID, o, obj.ptr,
                       "column \"%s\" is added to \"%s\" with a %s: it is checked against "
                       "every row while the table is locked; add the column, then the "
                       "constraint NOT VALID, and pcsm_validate_constraint() it in a later "
                       "revision",
                       c->name, table, c->references ? "foreign key" : "check");
    if (c->unique || c->primary_key)
        pcsm_lint__add(lr, LINT_UNIQUE_CONSTRAINT, o, obj.ptr,
                       "column \"%s\" is added to \"%s\" %s: its index is built while "
                       "reads and writes wait", c->name, table,
                       c->primary_key ? "as its primary key" : "UNIQUE");
    pcsm_buf_dispose(&obj);
}

static void alter_column_type(struct pcsm_lint_revision *lr, const struct pcsm_ddl_op *o)
{
    const struct pcsm_ddl_alter_column_type *a = &o->u.alter_column_type;
    const struct pcsm_schema_table *t = pcsm_schema__table_in(lr->now, lr->schema, a->table);
    const struct pcsm_schema_column *c = t ? pcsm_schema__column(t, a->column) : NULL;
    pcsm_buf obj = PCSM_BUF_INIT, from = PCSM_BUF_INIT, to = PCSM_BUF_INIT;
    const char *why;

    prefer_rules(lr, o, a->table, a->column, a->type, false);
    if (!c || !existed(lr, a->table))
        return;
    why = rewrite_reason(c->type, a->type, a->using);
    if (why) {
        pcsm_buf_printf(&obj, "%s.%s", a->table, a->column);
        pcsm_render__type(c->type, &from);
        pcsm_render__type(a->type, &to);
        pcsm_lint__add(lr, LINT_COLUMN_TYPE_REWRITE, o, obj.ptr,
                       "column \"%s\" of \"%s\" goes from %s to %s: %s, so the table and "
                       "its indexes are rewritten under an ACCESS EXCLUSIVE lock", a->column,
                       a->table, from.ptr, to.ptr, why);
    }
    pcsm_buf_dispose(&obj);
    pcsm_buf_dispose(&from);
    pcsm_buf_dispose(&to);
}

/* An enum made again converts each of its columns through text: a rewrite of each table. */
static void recreate_enum(struct pcsm_lint_revision *lr, const struct pcsm_ddl_op *o)
{
    const struct pcsm_ddl_recreate_enum *e = &o->u.recreate_enum;
    pcsm_buf obj = PCSM_BUF_INIT;
    size_t i;

    for (i = 0; i < e->n_columns; i++) {
        if (!existed(lr, e->columns[i].table))
            continue;
        pcsm_buf_clear(&obj);
        pcsm_buf_printf(&obj, "%s.%s", e->columns[i].table, e->columns[i].column);
        pcsm_lint__add(lr, LINT_COLUMN_TYPE_REWRITE, o, obj.ptr,
                       "column \"%s\" of \"%s\" is converted to enum \"%s\" made again, "
                       "through text, so the table and its indexes are rewritten under an "
                       "ACCESS EXCLUSIVE lock", e->columns[i].column, e->columns[i].table,
                       e->type);
    }
    pcsm_buf_dispose(&obj);
}

static void add_constraint(struct pcsm_lint_revision *lr, const struct pcsm_ddl_op *o)
{
    const char *table = o->u.add_constraint.table;
    const pcsm_constraint *c = &o->u.add_constraint.constraint;
    const struct pcsm_schema_table *t = pcsm_schema__table_in(lr->now, lr->schema, table);
    /* The server's own name is the model's only once the operation is replayed. */
    const char *name = c->name ? c->name : "(unnamed)";

    if (c->kind == PCSM_PRIMARY_KEY && c->columns && c->columns[0] && !c->columns[1] && t) {
        const struct pcsm_schema_column *col = pcsm_schema__column(t, c->columns[0]);

        if (col)
            prefer_rules(lr, o, table, col->name, col->type, true);
    }
    if (!existed(lr, table))
        return;
    if ((c->kind == PCSM_FOREIGN_KEY || c->kind == PCSM_CHECK) && !c->not_valid)
        pcsm_lint__add(lr, LINT_CONSTRAINT_NOT_VALID, o, name,
                       "%s \"%s\" is added to \"%s\", which existed before this revision, "
                       "without NOT VALID: every row is checked while %s wait; add it "
                       "NOT VALID, and pcsm_validate_constraint() it in a later revision",
                       c->kind == PCSM_CHECK ? "check" : "foreign key", name, table,
                       c->kind == PCSM_CHECK ? "reads and writes" : "writes");
    if (c->kind == PCSM_UNIQUE || c->kind == PCSM_PRIMARY_KEY)
        pcsm_lint__add(lr, LINT_UNIQUE_CONSTRAINT, o, name,
                       "%s \"%s\" is added to \"%s\", which existed before this revision: "
                       "its index is built while reads and writes wait; build a unique "
                       "index CONCURRENTLY instead",
                       c->kind == PCSM_UNIQUE ? "unique constraint" : "primary key", name,
                       table);
    /* ADD CONSTRAINT ... USING INDEX takes no exclusion index: there is no way around it. */
    if (c->kind == PCSM_EXCLUDE)
        pcsm_lint__add(lr, LINT_UNIQUE_CONSTRAINT, o, name,
                       "exclusion constraint \"%s\" is added to \"%s\", which existed before "
                       "this revision: its index is built while reads and writes wait, and "
                       "PostgreSQL has no concurrent way to build one; add it while the table "
                       "is small, or in a maintenance window", name, table);
}

static void set_not_null(struct pcsm_lint_revision *lr, const struct pcsm_ddl_op *o)
{
    const char *table = o->u.set_not_null.table, *column = o->u.set_not_null.column;
    pcsm_buf obj = PCSM_BUF_INIT;

    if (!existed(lr, table) ||
        has_not_null_check(pcsm_schema__table_in(lr->now, lr->schema, table),
                           pcsm_schema__table_in(lr->before, lr->schema, table), column))
        return;
    pcsm_buf_printf(&obj, "%s.%s", table, column);
    pcsm_lint__add(lr, LINT_SET_NOT_NULL, o, obj.ptr,
                   "column \"%s\" of \"%s\" is made NOT NULL with no validated CHECK "
                   "(\"%s\" IS NOT NULL) from an earlier revision: every row is read under "
                   "an ACCESS EXCLUSIVE lock", column, table, column);
    pcsm_buf_dispose(&obj);
}

/* Validating a constraint this revision added NOT VALID: the ADD's lock is still held. */
static void validate_constraint(struct pcsm_lint_revision *lr, const struct pcsm_ddl_op *o)
{
    const char *table = o->u.validate_constraint.table;
    const char *name = o->u.validate_constraint.constraint;
    const struct pcsm_schema_constraint *c =
        constraint_named(pcsm_schema__table_in(lr->now, lr->schema, table), name);

    if (!c || !c->not_valid || !existed(lr, table) ||
        constraint_named(pcsm_schema__table_in(lr->before, lr->schema, table), name))
        return;
    pcsm_lint__add(lr, LINT_CONSTRAINT_NOT_VALID, o, name,
                   "%s \"%s\" of \"%s\" is validated in the revision that added it NOT "
                   "VALID: the lock its ADD took (%s) is held through the scan; validate it "
                   "in a later revision", c->kind == PCSM_CHECK ? "check" : "foreign key",
                   name, table,
                   c->kind == PCSM_CHECK ? "ACCESS EXCLUSIVE" : "SHARE ROW EXCLUSIVE");
}

static void create_index(struct pcsm_lint_revision *lr, const struct pcsm_ddl_op *o)
{
    const pcsm_index *ix = &o->u.create_index.index;

    const struct pcsm_schema_table *t = pcsm_schema__table_in(lr->now, lr->schema, ix->table);

    /* A partitioned table's index is never built CONCURRENTLY: the server refuses it. */
    if (!ix->concurrently && existed(lr, ix->table) && !(t && t->partition_strategy))
        pcsm_lint__add(lr, LINT_CONCURRENT_INDEX, o, ix->name ? ix->name : ix->table,
                       "index \"%s\" is built on \"%s\", which existed before this revision, "
                       "without CONCURRENTLY: writes to it wait until the build ends",
                       ix->name ? ix->name : "(unnamed)", ix->table);
}

static void drop_index(struct pcsm_lint_revision *lr, const struct pcsm_ddl_op *o)
{
    const struct pcsm_schema_index *ix =
        pcsm_schema__index_in(lr->now, lr->schema, o->u.drop_index.index);
    const struct pcsm_schema_table *t = ix ? pcsm_schema__table_in(lr->now, lr->schema,
                                                                   ix->table) : NULL;

    /* A partitioned table's index is never dropped CONCURRENTLY: the server refuses it. */
    if (ix && !(o->u.drop_index.flags & PCSM_DROP_CONCURRENTLY) && existed(lr, ix->table) &&
        !(t && t->partition_strategy))
        pcsm_lint__add(lr, LINT_CONCURRENT_INDEX_DROP, o, ix->name,
                       "index \"%s\" of \"%s\" is dropped without CONCURRENTLY: the drop "
                       "waits for every query on the table, and every query after it waits",
                       ix->name, ix->table);
}

/* A drop of an object of the model before this revision (not one it made). */
static void destructive(struct pcsm_lint_revision *lr, const struct pcsm_ddl_op *o,
                        const char *what, const char *name, bool was_there)
{
    if (was_there)
        pcsm_lint__add(lr, LINT_DESTRUCTIVE_DROP, o, name,
                       "%s \"%s\" is dropped%s: whatever uses it breaks, and only a "
                       "downgrade can make it again", what, name,
                       (o->kind == PCSM_OP_DROP_TYPE && (o->u.drop_type.flags &
                                                         PCSM_DROP_CASCADE))
                           ? " with CASCADE, its columns too" : "");
}

static void unbatched(struct pcsm_lint_revision *lr, const struct pcsm_ddl_op *o,
                      const char *sql)
{
    char target[128];

    if (!changes_rows(sql, target, sizeof(target)) || !target[0])
        return;
    if (existed(lr, unqualified(target))) {
        char word[16];
        const char *p = sql;

        first_word(&p, word, sizeof(word));
        if (!strcmp(word, "update") || !strcmp(word, "delete"))
            pcsm_lint__add(lr, LINT_UNBATCHED_UPDATE, o, unqualified(target),
                           "raw SQL %s of \"%s\", which existed before this revision, in one "
                           "statement: one long statement over every row it touches; "
                           "pcsm_batch_update() touches a batch at a time, each statement "
                           "short and reporting its progress",
                           !strcmp(word, "update") ? "UPDATE" : "DELETE",
                           unqualified(target));
    }
}

void pcsm_lint__op(struct pcsm_lint_revision *lr, const struct pcsm_ddl_op *o)
{
    const struct pcsm_schema_table *t;
    pcsm_buf obj = PCSM_BUF_INIT;

    lr->schema = o->schema;
    switch (o->kind) {
    case PCSM_OP_CREATE_TABLE:
        create_table(lr, o);
        break;
    case PCSM_OP_CREATE_PARTITION:
        fresh_add(lr, o->u.create_partition.table);
        break;
    case PCSM_OP_ADD_COLUMN:
        add_column(lr, o);
        break;
    case PCSM_OP_ALTER_COLUMN_TYPE:
        alter_column_type(lr, o);
        break;
    case PCSM_OP_RECREATE_ENUM:
        recreate_enum(lr, o);
        break;
    case PCSM_OP_SET_NOT_NULL:
        set_not_null(lr, o);
        break;
    case PCSM_OP_VALIDATE_CONSTRAINT:
        validate_constraint(lr, o);
        break;
    case PCSM_OP_CREATE_INDEX:
        create_index(lr, o);
        break;
    case PCSM_OP_DROP_INDEX:
        drop_index(lr, o);
        break;
    case PCSM_OP_ADD_CONSTRAINT:
        add_constraint(lr, o);
        break;
    case PCSM_OP_RENAME_TABLE:
        if (existed(lr, o->u.rename_table.table))
            pcsm_lint__add(lr, LINT_RENAME_TABLE, o, o->u.rename_table.table,
                           "table \"%s\" is renamed to \"%s\": the application version "
                           "running now still uses the old name", o->u.rename_table.table,
                           o->u.rename_table.new_name);
        fresh_rename(lr, o->u.rename_table.table, o->u.rename_table.new_name);
        break;
    case PCSM_OP_RENAME_VIEW:
    case PCSM_OP_RENAME_MATERIALIZED_VIEW:
        if (existed(lr, o->u.rename_view.view))
            pcsm_lint__add(lr, LINT_RENAME_TABLE, o, o->u.rename_view.view,
                           "view \"%s\" is renamed to \"%s\": the application version "
                           "running now still uses the old name", o->u.rename_view.view,
                           o->u.rename_view.new_name);
        fresh_rename(lr, o->u.rename_view.view, o->u.rename_view.new_name);
        break;
    case PCSM_OP_RENAME_COLUMN:
        if (column_existed(lr, o->u.rename_column.table, o->u.rename_column.column)) {
            pcsm_buf_printf(&obj, "%s.%s", o->u.rename_column.table, o->u.rename_column.column);
            pcsm_lint__add(lr, LINT_RENAME_COLUMN, o, obj.ptr,
                           "column \"%s\" of \"%s\" is renamed to \"%s\": the application "
                           "version running now still uses the old name",
                           o->u.rename_column.column, o->u.rename_column.table,
                           o->u.rename_column.new_name);
        }
        break;
    case PCSM_OP_DROP_TABLE:
        if (existed(lr, o->u.drop_table.table))
            pcsm_lint__add(lr, LINT_DROP_TABLE, o, o->u.drop_table.table,
                           "table \"%s\" is dropped with its rows: the application version "
                           "running now breaks, and a downgrade brings the table back empty",
                           o->u.drop_table.table);
        fresh_drop(lr, o->u.drop_table.table);
        break;
    case PCSM_OP_DROP_COLUMN:
        if (column_existed(lr, o->u.drop_column.table, o->u.drop_column.column)) {
            pcsm_buf_printf(&obj, "%s.%s", o->u.drop_column.table, o->u.drop_column.column);
            pcsm_lint__add(lr, LINT_DROP_COLUMN, o, obj.ptr,
                           "column \"%s\" of \"%s\" is dropped with its values: the "
                           "application version running now breaks",
                           o->u.drop_column.column, o->u.drop_column.table);
        }
        break;
    case PCSM_OP_DROP_VIEW:
        destructive(lr, o, "view", o->u.drop_view.view, existed(lr, o->u.drop_view.view));
        fresh_drop(lr, o->u.drop_view.view);
        break;
    case PCSM_OP_DROP_MATERIALIZED_VIEW:
        destructive(lr, o, "materialized view", o->u.drop_materialized_view.view,
                    existed(lr, o->u.drop_materialized_view.view));
        fresh_drop(lr, o->u.drop_materialized_view.view);
        break;
    case PCSM_OP_DROP_TYPE:
        destructive(lr, o, "type", o->u.drop_type.type,
                    pcsm_schema__type_in(lr->before, lr->schema, o->u.drop_type.type) != NULL);
        break;
    case PCSM_OP_DROP_SEQUENCE:
        destructive(lr, o, "sequence", o->u.drop_sequence.sequence,
                    pcsm_schema__sequence_in(lr->before, lr->schema,
                                             o->u.drop_sequence.sequence) != NULL);
        break;
    case PCSM_OP_DROP_FUNCTION:
        destructive(lr, o, "function", o->u.drop_function.function,
                    pcsm_schema__function_in(lr->before, lr->schema,
                                             o->u.drop_function.function, NULL) != NULL);
        break;
    case PCSM_OP_DROP_EXTENSION:
        destructive(lr, o, "extension", o->u.drop_extension.extension,
                    pcsm_schema__extension(lr->before, o->u.drop_extension.extension) !=
                        NULL);
        break;
    case PCSM_OP_DROP_TRIGGER:
        t = pcsm_schema__table_in(lr->before, lr->schema, o->u.drop_trigger.table);
        destructive(lr, o, "trigger", o->u.drop_trigger.trigger,
                    existed(lr, o->u.drop_trigger.table) && t &&
                        pcsm_schema__trigger(t, o->u.drop_trigger.trigger));
        break;
    case PCSM_OP_CREATE_VIEW:
        /* CREATE OR REPLACE of a view in use keeps it in use. */
        if (!o->u.create_view.view.or_replace || !existed(lr, o->u.create_view.view.name))
            fresh_add(lr, o->u.create_view.view.name);
        break;
    case PCSM_OP_CREATE_MATERIALIZED_VIEW:
        fresh_add(lr, o->u.create_materialized_view.view.name);
        break;
    case PCSM_OP_EXECUTE:
        unbatched(lr, o, o->u.execute.sql);
        break;
    case PCSM_OP_EXECUTE_PARAMS:
        unbatched(lr, o, o->u.execute_params.sql);
        break;
    case PCSM_OP_IF: {
        /* What a guard may run is linted as if it ran: the condition is unknown here. */
        size_t i;

        for (i = 0; i < o->u.guard.n_ops; i++)
            pcsm_lint__op(lr, &o->u.guard.ops[i]);
        break;
    }
    default:
        break;
    }
    pcsm_buf_dispose(&obj);
}

/* What an operation does, for the mixed-schema-data rule. */
enum op_class { OP_NEITHER, OP_SCHEMA, OP_DATA };

static enum op_class classify(struct pcsm_lint_revision *lr, const struct pcsm_ddl_op *o)
{
    char target[128], word[32];
    const char *sql, *p;

    lr->schema = o->schema;
    switch (o->kind) {
    case PCSM_OP_BATCH_UPDATE:
    case PCSM_OP_BATCH_UPDATE_FROM:
        return fresh_find(lr, o->u.batch_update.table) != (size_t)-1 ? OP_NEITHER : OP_DATA;
    case PCSM_OP_SET_LOCAL:
    case PCSM_OP_LOCK_TABLE:
        return OP_NEITHER;
    case PCSM_OP_IF: {
        /* What it may do: the most of what its operations do. */
        enum op_class most = OP_NEITHER, c;
        size_t i;

        for (i = 0; i < o->u.guard.n_ops; i++) {
            c = classify(lr, &o->u.guard.ops[i]);
            if (c == OP_SCHEMA || (c == OP_DATA && most == OP_NEITHER))
                most = c;
        }
        return most;
    }
    case PCSM_OP_ASSERT:
    case PCSM_OP_REFRESH_MATERIALIZED_VIEW:
    case PCSM_OP_AUTOCOMMIT_BEGIN:
    case PCSM_OP_AUTOCOMMIT_END:
        return OP_NEITHER;
    case PCSM_OP_EXECUTE:
    case PCSM_OP_EXECUTE_PARAMS:
        sql = o->kind == PCSM_OP_EXECUTE ? o->u.execute.sql : o->u.execute_params.sql;
        if (changes_rows(sql, target, sizeof(target)))
            /* Rows of a table this revision made: no one waits on it yet. */
            return target[0] && fresh_find(lr, unqualified(target)) != (size_t)-1
                   ? OP_NEITHER : OP_DATA;
        p = sql;
        first_word(&p, word, sizeof(word));
        /* Reads, settings and locks change neither; a DO block cannot be told. */
        return !strcmp(word, "select") || !strcmp(word, "do") || !strcmp(word, "set") ||
               !strcmp(word, "reset") || !strcmp(word, "lock") || !strcmp(word, "analyze") ||
               !strcmp(word, "notify")
               ? OP_NEITHER : OP_SCHEMA;
    default:
        return OP_SCHEMA;
    }
}

/* Whether some policy of t admits rows: restrictive ones only narrow the permissive. */
static bool has_permissive_policy(const struct pcsm_schema_table *t)
{
    size_t i;

    for (i = 0; i < t->n_policies; i++)
        if (!t->policies[i].restrictive)
            return true;
    return false;
}

/*
 * Row security switched on, or a policy dropped, on a table in use, which
 * at the revision's end has row security and no permissive policy: every
 * role but the owner (and superusers, and BYPASSRLS ones) now sees and
 * changes no row.  Said once per table, at the first operation.
 */
static void row_security_rules(struct pcsm_lint_revision *lr, const pcsm_op *op)
{
    const char **said = pcsm__xcalloc(pcsm_op__count(op) + 1, sizeof(*said));
    size_t i, k, n_said = 0;

    for (i = 0; i < pcsm_op__count(op); i++) {
        const struct pcsm_ddl_op *o = pcsm_op__at(op, i);
        const char *table = o->kind == PCSM_OP_SET_ROW_SECURITY &&
                            o->u.set_row_security.how == PCSM_ROW_SECURITY_ENABLE
                            ? o->u.set_row_security.table
                            : o->kind == PCSM_OP_DROP_POLICY ? o->u.drop_policy.table : NULL;
        const struct pcsm_schema_table *t;
        bool again = false;

        lr->schema = o->schema;
        t = table ? pcsm_schema__table_in(lr->now, lr->schema, table) : NULL;
        if (!t || !t->row_security || has_permissive_policy(t) || !existed(lr, table) ||
            !pcsm_schema__table_in(lr->before, lr->schema, table))
            continue;
        for (k = 0; k < n_said && !again; k++)
            again = said[k] == t->name;
        if (again)
            continue;
        said[n_said++] = t->name;
        pcsm_lint__add(lr, LINT_ROW_SECURITY_NO_POLICY, o, table,
                       "after this revision \"%s\", which existed before it, has row level "
                       "security and no permissive policy: every role but its owner sees "
                       "and changes no row of it; create the policies in the revision "
                       "that enables it, or before", table);
    }
    free(said);
}

void pcsm_lint__revision(struct pcsm_lint_revision *lr, const pcsm_op *op)
{
    size_t i, n = pcsm_op__count(op), statements = 0;
    const struct pcsm_ddl_op *schema = NULL, *data = NULL;

    for (i = 0; i < n; i++) {
        const struct pcsm_ddl_op *o = pcsm_op__at(op, i);
        enum op_class c = classify(lr, o);

        if (c == OP_SCHEMA && !schema)
            schema = o;
        if (c == OP_DATA && !data)
            data = o;
        statements += pcsm_render__statements(o);
    }
    if (schema && data)
        pcsm_lint__add(lr, LINT_MIXED_SCHEMA_DATA, data, pcsm_op__subject(data),
                       "this revision changes the schema (%s, line %u) and rows of an "
                       "existing table (%s): the schema's locks are held while the rows "
                       "change; give the data change a revision of its own",
                       pcsm_op__kind_name(schema->kind), schema->line,
                       pcsm_op__kind_name(data->kind));
    row_security_rules(lr, op);
    if ((lr->rev->flags & PCSM_REV_NONTRANSACTIONAL) && statements > 1)
        pcsm_lint__add(lr, LINT_NONTRANSACTIONAL_STATEMENTS, pcsm_op__at(op, n > 1),
                       NULL,
                       "this nontransactional revision runs %zu statements: when one fails, "
                       "those before it stay done and the revision is not recorded; give "
                       "each its own revision", statements);
}
