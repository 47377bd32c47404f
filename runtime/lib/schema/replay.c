/*
 * Replay: one recorded operation applied to the model as PostgreSQL would
 * apply it, names it chooses itself and dependencies it keeps included
 * (a trigger on its function and on the columns its WHEN reads, a policy
 * on the columns its conditions read, a column or function on its enum
 * type).  An operation the server
 * would refuse (a table that is not there) fails the replay; raw SQL is
 * kept as an opaque entry naming the tables it mentions, never guessed at.
 */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "schema/schema.h"

#define NAMEDATALEN 64

struct replay {
    pcsm_ctx *ctx;
    pcsm_schema *s;
    const pcsm_revision *rev;
    size_t i;
    const struct pcsm_ddl_op *o;
    /* The schema of the object the operation names (o->schema; NULL: the target). */
    const char *ns;
    /* The operation is its partitioned table's, reaching this partition. */
    bool inherited;
};

/* The same schema: both the target (NULL), or both named alike. */
static bool same_ns(const char *a, const char *b)
{
    return a == b || (a && b && !strcmp(a, b));
}

static char *dup_ns(const char *ns)
{
    return ns ? pcsm__xstrdup(ns) : NULL;
}

/* Partitions (below), which the table operations ask about. */
static int rename_share(struct replay *r, const struct pcsm_schema_table *of_table,
                        const char *name, const char *new_name);
static void rename_shares_of(pcsm_schema *s, const char *ns, const char *table,
                             const char *from, const char *to);
static int check_key_in(struct replay *r, const struct pcsm_schema_table *t,
                        enum pcsm_constraint_kind kind, char *const *columns, const char *name);
static int set_partition_key(struct replay *r, struct pcsm_schema_table *t,
                             enum pcsm_partition_strategy strategy,
                             const pcsm_index_element *key);
static char **partitions(const pcsm_schema *s, const char *ns, const char *table);
static int recreate_enum(struct replay *r, const struct pcsm_ddl_recreate_enum *e);
static struct pcsm_schema_table *parent_of(const pcsm_schema *s,
                                           const struct pcsm_schema_table *t);
static char **plain_columns(const pcsm_index_element *e);
static bool in_partition_key(const struct pcsm_schema_table *t, const char *column);
static void take_shares(pcsm_schema *s, const char *ns, const char *table);
static int check_down(struct replay *r, const struct pcsm_schema_table *t,
                      const struct pcsm_schema_constraint *c);

/* Table inheritance (below), which creating, dropping and renaming tables ask about. */
static char **children(const pcsm_schema *s, const char *ns, const char *table);
static int inherit_parents(struct replay *r, struct pcsm_schema_table *t,
                           const char *const *parents, char ***conflicts);
static int merge_column(struct replay *r, struct pcsm_schema_table *t, const pcsm_column *src,
                        bool lone_pk);
static int merge_check(struct replay *r, struct pcsm_schema_table *t, const pcsm_constraint *src);
static void rename_names(char **names, const char *from, const char *to);
static int inherit(struct replay *r, const struct pcsm_ddl_inherit *in);
static int no_inherit(struct replay *r, const struct pcsm_ddl_inherit *in);

/* Whether the model knows schema `ns`: made by create_schema, or holding an object. */
static bool knows_schema(const pcsm_schema *s, const char *ns);

static int fail(struct replay *r, const char *fmt, ...) PCSM_PRINTF(2, 3);

static int fail(struct replay *r, const char *fmt, ...)
{
    pcsm_buf msg = PCSM_BUF_INIT, what = PCSM_BUF_INIT;
    const char *subject = pcsm_op__subject(r->o);
    va_list ap;
    int rc;

    va_start(ap, fmt);
    pcsm_buf_vprintf(&msg, fmt, ap);
    va_end(ap);
    /* The subject qualified in another schema than the target: "billing"."invoices". */
    if (subject && r->o->schema)
        pcsm_buf_printf(&what, " \"%s\".\"%s\"", r->o->schema, subject);
    else if (subject)
        pcsm_buf_printf(&what, " \"%s\"", subject);
    rc = pcsm_error__set(r->ctx, PCSM_EMIGRATION, "revision %s (%s), operation %zu, %s%s: %s",
                         r->rev->id, r->rev->source_path ? r->rev->source_path : "?",
                         r->i + 1, pcsm_op__kind_name(r->o->kind), what.ptr, msg.ptr);
    pcsm_buf_dispose(&what);
    pcsm_buf_dispose(&msg);
    return rc;
}

/* ------------------------------------------------ identifiers in SQL text */

/*
 * PostgreSQL's reserved keywords (kwlist.h, RESERVED_KEYWORD), in order:
 * unquoted, they are never a name, so a column named "null" is not the
 * NULL of "x IS NOT NULL".
 */
static bool reserved_word(const char *w)
{
    static const char *const words[] = {
        "all", "analyse", "analyze", "and", "any", "array", "as", "asc", "asymmetric", "both",
        "case", "cast", "check", "collate", "column", "constraint", "create",
        "current_catalog", "current_date", "current_role", "current_time",
        "current_timestamp", "current_user", "default", "deferrable", "desc", "distinct",
        "do", "else", "end", "except", "false", "fetch", "for", "foreign", "from", "grant",
        "group", "having", "in", "initially", "intersect", "into", "lateral", "leading",
        "limit", "localtime", "localtimestamp", "not", "null", "offset", "on", "only", "or",
        "order", "placing", "primary", "references", "returning", "select", "session_user",
        "some", "symmetric", "table", "then", "to", "trailing", "true", "union", "unique",
        "user", "using", "variadic", "when", "where", "window", "with",
    };
    size_t lo = 0, hi = sizeof(words) / sizeof(*words);

    while (lo < hi) {
        size_t mid = (lo + hi) / 2;
        int c = strcmp(w, words[mid]);

        if (!c)
            return true;
        if (c < 0)
            hi = mid;
        else
            lo = mid + 1;
    }
    return false;
}

/*
 * Calls fn on each identifier token of an SQL expression, with its start,
 * length and folded name: string literals and comments skipped, quoted
 * names unquoted, unquoted names lower-cased as the server folds them,
 * reserved keywords left out.  A name followed by '(' is a function, not
 * a column: skipped.
 */
static void scan(const char *sql, bool functions_too,
                 void (*fn)(const char *at, size_t len, const char *name, void *arg), void *arg)
{
    const char *p = sql;
    pcsm_buf name = PCSM_BUF_INIT;

    while (*p) {
        const char *start = p;

        if (*p == '\'') {
            for (p++; *p; p++)
                if (*p == '\'' && p[1] != '\'')
                    break;
                else if (*p == '\'')
                    p++;
            if (*p)
                p++;
        } else if (p[0] == '-' && p[1] == '-') {
            while (*p && *p != '\n')
                p++;
        } else if (p[0] == '/' && p[1] == '*') {
            const char *end = strstr(p + 2, "*/");
            p = end ? end + 2 : p + strlen(p);
        } else if (*p == '"') {
            pcsm_buf_clear(&name);
            for (p++; *p; p++) {
                if (*p == '"' && p[1] == '"')
                    p++;
                else if (*p == '"')
                    break;
                pcsm_buf_putc(&name, *p);
            }
            if (*p)
                p++;
            fn(start, (size_t)(p - start), name.ptr, arg);
        } else if (isalpha((unsigned char)*p) || *p == '_' || (unsigned char)*p >= 0x80) {
            const char *q;

            pcsm_buf_clear(&name);
            while (isalnum((unsigned char)*p) || *p == '_' || *p == '$' ||
                   (unsigned char)*p >= 0x80) {
                pcsm_buf_putc(&name, (char)tolower((unsigned char)*p));
                p++;
            }
            for (q = p; *q == ' ' || *q == '\t' || *q == '\n'; q++)
                ;
            if ((functions_too || *q != '(') && !(start > sql && start[-1] == '.') &&
                !reserved_word(name.ptr))
                fn(start, (size_t)(p - start), name.ptr, arg);
        } else if (isdigit((unsigned char)*p)) {
            while (isalnum((unsigned char)*p) || *p == '.' || *p == '_')
                p++;
        } else {
            p++;
        }
    }
    pcsm_buf_dispose(&name);
}

static void scan_idents(const char *sql,
                        void (*fn)(const char *at, size_t len, const char *name, void *arg),
                        void *arg)
{
    scan(sql, false, fn, arg);
}

static void scan_all_idents(const char *sql,
                            void (*fn)(const char *at, size_t len, const char *name, void *arg),
                            void *arg)
{
    scan(sql, true, fn, arg);
}

struct mention {
    const char *name;
    bool found;
};

static void on_mention(const char *at, size_t len, const char *name, void *arg)
{
    struct mention *m = arg;

    (void)at;
    (void)len;
    if (!strcmp(name, m->name))
        m->found = true;
}

/* Whether the expression names `name` as a column (or table). */
static bool mentions(const char *sql, const char *name)
{
    struct mention m = { name, false };

    if (sql)
        scan_idents(sql, on_mention, &m);
    return m.found;
}

struct rewrite {
    const char *from, *to;
    const char *done;           /* how far the text has been copied */
    pcsm_buf out;
};

/*
 * PostgreSQL's keywords that may name a type or a function but not a
 * column (kwlist.h, TYPE_FUNC_NAME_KEYWORD): bare, "left > 0" is a syntax
 * error.
 */
static bool type_func_name_word(const char *w)
{
    static const char *const words[] = {
        "authorization", "binary", "collation", "concurrently", "cross", "current_schema",
        "freeze", "full", "ilike", "inner", "is", "isnull", "join", "left", "like", "natural",
        "notnull", "outer", "overlaps", "right", "similar", "tablesample", "verbose",
    };
    size_t i;

    for (i = 0; i < sizeof(words) / sizeof(*words); i++)
        if (!strcmp(w, words[i]))
            return true;
    return false;
}

/*
 * A name written into an expression the way its author would have: bare
 * when the server reads it back as the same column, quoted otherwise, so
 * that renaming a column and renaming it back gives the text it had.
 */
static void put_name(pcsm_buf *out, const char *name)
{
    const char *p = name;
    bool plain = (*p >= 'a' && *p <= 'z') || *p == '_';

    for (; plain && *p; p++)
        plain = (*p >= 'a' && *p <= 'z') || (*p >= '0' && *p <= '9') || *p == '_' ||
                *p == '$';
    if (plain && !reserved_word(name) && !type_func_name_word(name))
        pcsm_buf_puts(out, name);
    else
        pcsm_sql__ident(out, name);
}

static void on_rewrite(const char *at, size_t len, const char *name, void *arg)
{
    struct rewrite *w = arg;

    if (strcmp(name, w->from))
        return;
    pcsm_buf_put(&w->out, w->done, (size_t)(at - w->done));
    put_name(&w->out, w->to);
    w->done = at + len;
}

/* The expression with every mention of column `from` naming `to` instead. */
static void rename_in(char **sql, const char *from, const char *to)
{
    struct rewrite w = { from, to, NULL, PCSM_BUF_INIT };

    if (!*sql || !mentions(*sql, from))
        return;
    w.done = *sql;
    scan_idents(*sql, on_rewrite, &w);
    pcsm_buf_puts(&w.out, w.done);
    free(*sql);
    *sql = pcsm_buf_detach(&w.out);
}

/*
 * A trigger's WHEN condition names columns as NEW.col or OLD.col only.
 * on_row_ref finds those naming `column`, and when `to` is set rewrites
 * them to name `to` instead, as the server's stored condition follows a
 * column's rename.
 */
struct row_ref {
    const char *column, *to;
    bool found;
    const char *done;           /* how far the text has been copied */
    pcsm_buf out;
};

static void on_row_ref(const char *at, size_t len, const char *name, void *arg)
{
    struct row_ref *w = arg;
    const char *p = at + len, *start;
    pcsm_buf col = PCSM_BUF_INIT;

    if ((strcmp(name, "new") && strcmp(name, "old")) || *p != '.')
        return;
    start = ++p;
    if (*p == '"') {
        for (p++; *p && !(*p == '"' && p[1] != '"'); p++) {
            if (*p == '"')
                p++;
            pcsm_buf_putc(&col, *p);
        }
        if (*p)
            p++;
    } else {
        for (; isalnum((unsigned char)*p) || *p == '_' || *p == '$' ||
               (unsigned char)*p >= 0x80; p++)
            pcsm_buf_putc(&col, (char)tolower((unsigned char)*p));
    }
    if (col.len && !strcmp(col.ptr, w->column)) {
        w->found = true;
        if (w->to) {
            pcsm_buf_put(&w->out, w->done, (size_t)(start - w->done));
            put_name(&w->out, w->to);
            w->done = p;
        }
    }
    pcsm_buf_dispose(&col);
}

static bool when_mentions(const char *when, const char *column)
{
    struct row_ref w = { column, NULL, false, NULL, PCSM_BUF_INIT };

    if (when)
        scan_idents(when, on_row_ref, &w);
    return w.found;
}

static void rename_in_when(char **when, const char *from, const char *to)
{
    struct row_ref w = { from, to, false, NULL, PCSM_BUF_INIT };

    if (!*when || !when_mentions(*when, from))
        return;
    w.done = *when;
    scan_idents(*when, on_row_ref, &w);
    pcsm_buf_puts(&w.out, w.done);
    free(*when);
    *when = pcsm_buf_detach(&w.out);
}

/* ------------------------------------------------------------- namespace */

/*
 * Relations (tables, indexes, and the indexes behind keys) share one
 * namespace per schema: `ns`'s (NULL: the target's).
 */
static bool relation_exists(const pcsm_schema *s, const char *ns, const char *name)
{
    size_t i, k;

    /* A composite type is a relation too (pg_class, relkind 'c'). */
    if (pcsm_schema__table_in(s, ns, name) || pcsm_schema__index_in(s, ns, name) ||
        pcsm_schema__sequence_in(s, ns, name) || pcsm_schema__view_in(s, ns, name) ||
        pcsm_schema__composite_in(s, ns, name))
        return true;
    for (i = 0; i < s->n_tables; i++)
        for (k = 0; same_ns(s->tables[i].schema, ns) && k < s->tables[i].n_columns; k++)
            if (s->tables[i].columns[k].identity_sequence &&
                !strcmp(s->tables[i].columns[k].identity_sequence, name))
                return true;
    for (i = 0; i < s->n_tables; i++)
        for (k = 0; same_ns(s->tables[i].schema, ns) && k < s->tables[i].n_constraints; k++) {
            const struct pcsm_schema_constraint *c = &s->tables[i].constraints[k];

            if (pcsm_schema__indexed(c->kind) && c->name && !strcmp(c->name, name))
                return true;
        }
    /* A partition's share of its parent's index is an index of its own name. */
    for (i = 0; i < s->n_tables; i++)
        for (k = 0; same_ns(s->tables[i].schema, ns) && k < s->tables[i].n_shares; k++)
            if (!strcmp(s->tables[i].shares[k].name, name))
                return true;
    return false;
}

/* A constraint of table t, or (t NULL) of any table in schema `ns`. */
static struct pcsm_schema_constraint *find_constraint(const pcsm_schema *s, const char *ns,
                                                     const struct pcsm_schema_table *t,
                                                     const char *name)
{
    struct pcsm_schema_constraint *c;
    size_t i;

    for (i = 0; i < s->n_tables; i++)
        if ((!t || &s->tables[i] == t) && same_ns(s->tables[i].schema, ns) &&
            (c = pcsm_schema__constraint(&s->tables[i], name)) != NULL)
            return c;
    return NULL;
}

struct taken {
    const pcsm_schema *s;
    const char *ns;             /* the schema whose names count (NULL: the target) */
    bool relations;             /* a relation's name is taken (indexes, sequences) */
    bool constraints;           /* a constraint's name in the schema is taken */
    /* A CHECK named in create_table: only that table's CHECKs before it count. */
    const struct pcsm_schema_table *self;
    size_t self_before;
};

static bool name_taken(const char *name, void *arg)
{
    const struct taken *k = arg;
    size_t i, j;

    if (k->relations && relation_exists(k->s, k->ns, name))
        return true;
    if (!k->constraints)
        return false;
    for (i = 0; i < k->s->n_tables; i++) {
        const struct pcsm_schema_table *t = &k->s->tables[i];

        for (j = 0; same_ns(t->schema, k->ns) && j < t->n_constraints; j++) {
            if (t == k->self && (j >= k->self_before || t->constraints[j].kind != PCSM_CHECK))
                continue;
            if (t->constraints[j].name && !strcmp(t->constraints[j].name, name))
                return true;
        }
    }
    /* The server's choice looks at every constraint of the schema, a domain's too. */
    for (i = 0; i < k->s->n_domains; i++)
        if (same_ns(k->s->domains[i].schema, k->ns) &&
            pcsm_schema__domain_constraint(&k->s->domains[i], name))
            return true;
    return false;
}

/*
 * ChooseIndexNameAddition() of an index's keys, each by its column or by its
 * expression's name (FigureIndexColname()); NULL when an expression's name
 * cannot be told here.  One of columns, expression and elements is given.
 */
static char *keys_addition(const char *const *columns, const char *expression,
                           const pcsm_index_element *elements)
{
    const char *one[2] = { NULL, NULL };
    const char **keys = one;
    char **exprs = NULL, *add = NULL;
    char **cols;
    size_t n = 0, i;

    if (elements) {
        /* Each key by its column, or its expression's name (element lists are short). */
        while (elements[n].column || elements[n].expression)
            n++;
        keys = pcsm__xcalloc(n + 1, sizeof(*keys));
        exprs = pcsm__xcalloc(n + 1, sizeof(*exprs));
        for (i = 0; i < n; i++) {
            if (elements[i].column) {
                keys[i] = elements[i].column;
            } else if ((exprs[i] = pcsm_schema__expression_column_name(
                            elements[i].expression))) {
                keys[i] = exprs[i];
            } else {
                goto out;
            }
        }
    } else if (!columns) {
        n = 1;
        exprs = pcsm__xcalloc(2, sizeof(*exprs));
        if (!(exprs[0] = pcsm_schema__expression_column_name(expression)))
            goto out;
        one[0] = exprs[0];
    }
    cols = pcsm_schema__index_column_names(columns ? columns : (const char *const *)keys);
    add = pcsm_schema__name_addition((const char *const *)cols);
    pcsm_schema__free_names(cols);
out:
    for (i = 0; exprs && i < n; i++)
        free(exprs[i]);
    free(exprs);
    if (keys != one)
        free(keys);
    return add;
}

/*
 * The name the server gives constraint c of table t (ChooseIndexName()
 * for keys, ChooseConstraintName() for the others), or NULL when it
 * cannot be known here: a CHECK whose SQL names_c cannot read.  `self`
 * and `before`: a CHECK of create_table, which sees only that table's
 * CHECKs before it (t->constraints[0 .. before)).
 */
static char *server_name(const pcsm_schema *s, const struct pcsm_schema_table *t,
                         const struct pcsm_schema_constraint *c, bool self, size_t before)
{
    struct taken k = { s, t->schema, pcsm_schema__indexed(c->kind), true, self ? t : NULL,
                       before };
    char *add = NULL, *name = NULL;
    char **cols;
    const char *column;

    switch (c->kind) {
    case PCSM_PRIMARY_KEY:
        name = pcsm_schema__choose_name(t->name, NULL, "pkey", name_taken, &k);
        break;
    case PCSM_UNIQUE:
        cols = pcsm_schema__index_column_names((const char *const *)c->columns);
        add = pcsm_schema__name_addition((const char *const *)cols);
        pcsm_schema__free_names(cols);
        name = pcsm_schema__choose_name(t->name, add, "key", name_taken, &k);
        break;
    case PCSM_FOREIGN_KEY:
        add = pcsm_schema__name_addition((const char *const *)c->columns);
        name = pcsm_schema__choose_name(t->name, add, "fkey", name_taken, &k);
        break;
    case PCSM_EXCLUDE:
        if ((add = keys_addition(NULL, NULL, c->elements)) != NULL)
            name = pcsm_schema__choose_name(t->name, add, "excl", name_taken, &k);
        break;
    case PCSM_CHECK: {
        const char **names = pcsm__xcalloc(t->n_columns + 1, sizeof(*names));
        size_t i;

        for (i = 0; i < t->n_columns; i++)
            names[i] = t->columns[i].name;
        if (pcsm_schema__check_column(c->check, t->name, names, &column) >= 0)
            name = pcsm_schema__choose_name(t->name, column, "check", name_taken, &k);
        free(names);
        break;
    }
    case PCSM_CONSTRAINT_NONE:
        break;
    }
    free(add);
    return name;
}

/* create_table's unnamed constraints, named in the server's order. */
static void name_later(pcsm_schema *s, struct pcsm_schema_table *t)
{
    /* Key indexes as written, after the primary key's (transformIndexConstraints()). */
    static const enum pcsm_constraint_kind order[] = {
        PCSM_CHECK, PCSM_PRIMARY_KEY, PCSM_UNIQUE, PCSM_FOREIGN_KEY,
    };
    bool *unnamed = pcsm__xcalloc(t->n_constraints + 1, sizeof(*unnamed));
    size_t i, k;

    for (i = 0; i < t->n_constraints; i++)
        unnamed[i] = !t->constraints[i].name;
    for (k = 0; k < sizeof(order) / sizeof(order[0]); k++)
        for (i = 0; i < t->n_constraints; i++)
            if (unnamed[i] && (t->constraints[i].kind == order[k] ||
                               (t->constraints[i].kind == PCSM_EXCLUDE && order[k] == PCSM_UNIQUE)))
                t->constraints[i].name = server_name(s, t, &t->constraints[i],
                                                     order[k] == PCSM_CHECK, i);
    free(unnamed);
    t->naming_later = false;
}

/* ----------------------------------------------------------------- pieces */

/* A comment as PostgreSQL keeps it: an empty one is none (COMMENT ... IS ''). */
static char *copy_comment(const char *comment)
{
    return comment && *comment ? pcsm__xstrdup(comment) : NULL;
}

static void copy_value(pcsm_value *dst, pcsm_value v)
{
    dst->kind = v.kind;
    dst->text = v.text ? pcsm__xstrdup(v.text) : NULL;
}

static void copy_constraint(struct pcsm_schema_constraint *dst, const pcsm_constraint *c)
{
    dst->name = c->name ? pcsm__xstrdup(c->name) : NULL;
    dst->kind = c->kind;
    dst->columns = pcsm_schema__copy_names(c->columns);
    dst->references = c->references ? pcsm__xstrdup(c->references) : NULL;
    dst->ref_schema = c->references ? dup_ns(c->ref_schema) : NULL;
    dst->ref_columns = pcsm_schema__copy_names(c->ref_columns);
    dst->on_delete = c->on_delete;
    dst->on_update = c->on_update;
    dst->check = c->check ? pcsm__xstrdup(c->check) : NULL;
    dst->deferrable = c->deferrable;
    dst->not_valid = c->not_valid;
    dst->nulls_not_distinct = c->nulls_not_distinct;
    dst->elements = pcsm_schema__copy_elements(c->elements);
    pcsm_schema__normalize_elements(dst->elements);
    /* btree is the server's default method, so no method at all. */
    dst->method = c->method && strcmp(c->method, "btree") ? pcsm__xstrdup(c->method) : NULL;
    dst->where = c->where ? pcsm__xstrdup(c->where) : NULL;
}

/* A constraint whose name the server chooses, named as it would be. */
static void add_named(pcsm_schema *s, struct pcsm_schema_table *t,
                      struct pcsm_schema_constraint *proto, const char *column)
{
    struct pcsm_schema_constraint *c;

    (void)column;
    proto->name = t->naming_later ? NULL : server_name(s, t, proto, false, 0);
    c = pcsm_schema__add_constraint(t);
    *c = *proto;
}

static char **one_name(const char *name)
{
    const char *names[2] = { name, NULL };

    return pcsm_schema__copy_names(names);
}

/* The referenced table exists with those columns, or there is no table. */
static int check_reference(struct replay *r, const struct pcsm_schema_table *self,
                           const char *ref_schema, const char *ref_table,
                           char *const *ref_columns)
{
    const struct pcsm_schema_table *ref = pcsm_schema__table_in(r->s, ref_schema, ref_table);
    size_t i;

    /* A schema made outside the revisions ("auth"."users"): its tables are not the model's. */
    if (!ref && ref_schema && !knows_schema(r->s, ref_schema))
        return 0;
    if (!ref && !(self && !strcmp(self->name, ref_table) && same_ns(self->schema, ref_schema)))
        return fail(r, "referenced table %s%s%s\"%s\" does not exist",
                    ref_schema ? "\"" : "", ref_schema ? ref_schema : "",
                    ref_schema ? "\"." : "", ref_table);
    if (!ref)
        ref = self;
    for (i = 0; ref_columns && ref_columns[i]; i++)
        if (!pcsm_schema__column(ref, ref_columns[i]))
            return fail(r, "referenced column \"%s\".\"%s\" does not exist", ref_table,
                        ref_columns[i]);
    return 0;
}

/*
 * A default of an enum type is the value itself, and PostgreSQL 12 and
 * later refuse a value that ALTER TYPE ADD VALUE made in the transaction
 * still open (55P04): in a transactional revision, the one that added it.
 */
static int check_default_usable(struct replay *r, const char *column, pcsm_type type,
                                pcsm_value value)
{
    const struct pcsm_schema_type *ty;
    size_t i;

    if (type.kind != PCSM_TYPE_NAMED || type.array_dims || value.kind != PCSM_VALUE_LITERAL)
        return 0;
    ty = pcsm_schema__type_in(r->s, type.schema, type.name);
    for (i = 0; ty && i < ty->n_labels && strcmp(ty->labels[i], value.text); i++)
        ;
    if (ty && i == ty->n_labels)
        return fail(r, "column \"%s\": invalid input value for enum %s: \"%s\"", column,
                    ty->name, value.text);
    if (ty && ty->added_in[i] && !strcmp(ty->added_in[i], r->rev->id) &&
        !(r->rev->flags & PCSM_REV_NONTRANSACTIONAL))
        return fail(r, "column \"%s\": enum label \"%s\" was added by this revision, "
                    "and the server refuses to use it before the revision commits (use "
                    "it in a later revision)", column, value.text);
    return 0;
}

/* ------------------------------------------------- sequences in defaults */

/*
 * Calls fn on each nextval('name') of a default expression: the literal's
 * start and length, and the relation it names as the server reads a
 * regclass literal (each part quoted: as written, else lower-cased): its
 * schema ('billing.s'), or NULL when unqualified, which is the search
 * path's, so the target schema.  A name of more parts is skipped.
 */
typedef void (*nextval_fn)(const char *at, size_t len, const char *schema, const char *name,
                           void *arg);

/* One part of a regclass literal, unquoted or folded; the end of the part. */
static const char *regclass_part(const char *p, const char *end, pcsm_buf *out)
{
    pcsm_buf_clear(out);
    if (*p == '"') {
        for (p++; p < end; p++) {
            if (*p == '"' && p + 1 < end && p[1] == '"')
                p++;
            else if (*p == '"')
                return p + 1;
            pcsm_buf_putc(out, *p);
        }
        return p;
    }
    for (; p < end && (isalnum((unsigned char)*p) || *p == '_' || *p == '$' ||
                       (unsigned char)*p >= 0x80); p++)
        pcsm_buf_putc(out, (char)tolower((unsigned char)*p));
    return p;
}

static void scan_nextval(const char *sql, nextval_fn fn, void *arg)
{
    const char *p = sql;
    pcsm_buf lit = PCSM_BUF_INIT, part[3] = { PCSM_BUF_INIT, PCSM_BUF_INIT, PCSM_BUF_INIT };
    size_t i;

    while (sql && (p = strchr(p, '(')) != NULL) {
        const char *q = p + 1, *start, *x, *end;
        size_t n = 0;

        if (p - sql < 7 || strncasecmp(p - 7, "nextval", 7) ||
            (p - sql > 7 && (isalnum((unsigned char)p[-8]) || p[-8] == '_'))) {
            p++;
            continue;
        }
        while (*q == ' ')
            q++;
        p++;
        if (*q != '\'')
            continue;
        start = q;
        pcsm_buf_clear(&lit);
        for (q++; *q && !(*q == '\'' && q[1] != '\''); q++) {
            if (*q == '\'')
                q++;
            pcsm_buf_putc(&lit, *q);
        }
        if (!*q)
            break;
        x = lit.ptr ? lit.ptr : "";
        end = x + lit.len;
        while (n < 3 && x < end) {
            x = regclass_part(x, end, &part[n++]);
            if (x < end && *x != '.')
                n = 3;          /* text after a quoted part: not a name */
            else if (x < end)
                x++;
        }
        if (n == 1 && part[0].len)
            fn(start, (size_t)(q + 1 - start), NULL, part[0].ptr, arg);
        else if (n == 2 && part[0].len && part[1].len)
            fn(start, (size_t)(q + 1 - start), part[0].ptr, part[1].ptr, arg);
        p = q + 1;
    }
    pcsm_buf_dispose(&lit);
    for (i = 0; i < 3; i++)
        pcsm_buf_dispose(&part[i]);
}


struct nextval_check {
    struct replay *r;
    const char *column;
    int rc;
};

static void on_nextval_check(const char *at, size_t len, const char *schema, const char *name,
                             void *arg)
{
    struct nextval_check *c = arg;

    (void)at;
    (void)len;
    /* A schema the model does not know may hold it, made outside the revisions. */
    if (schema && !knows_schema(c->r->s, schema))
        return;
    if (c->rc == 0 && !relation_exists(c->r->s, schema, name) &&
        !pcsm_schema__mentioned(c->r->s, name))
        c->rc = fail(c->r, "column \"%s\": default: relation %s%s%s\"%s\" does not exist",
                     c->column, schema ? "\"" : "", schema ? schema : "",
                     schema ? "\"." : "", name);
}

/* The server resolves nextval('s') when the default is set: s must be there. */
static int check_nextval(struct replay *r, const char *column, pcsm_value v)
{
    struct nextval_check c = { r, column, 0 };

    if (v.kind == PCSM_VALUE_EXPR)
        scan_nextval(v.text, on_nextval_check, &c);
    return c.rc;
}

struct nextval_ref {
    const char *schema, *name;  /* the sequence */
    const char *to;             /* rename_nextval: its new name */
    bool found;
    const char *done;           /* how far the text has been copied */
    pcsm_buf out;
};

static void on_nextval_find(const char *at, size_t len, const char *schema, const char *name,
                            void *arg)
{
    struct nextval_ref *m = arg;

    (void)at;
    (void)len;
    if (!strcmp(name, m->name) && same_ns(schema, m->schema))
        m->found = true;
}

/* Whether a default calls nextval() on sequence `name` of schema `schema`. */
static bool calls_nextval(pcsm_value v, const char *schema, const char *name)
{
    struct nextval_ref m = { schema, name, NULL, false, NULL, PCSM_BUF_INIT };

    if (v.kind == PCSM_VALUE_EXPR)
        scan_nextval(v.text, on_nextval_find, &m);
    return m.found;
}

static void on_nextval_rename(const char *at, size_t len, const char *schema, const char *name,
                              void *arg)
{
    struct nextval_ref *w = arg;

    if (strcmp(name, w->name) || !same_ns(schema, w->schema))
        return;
    pcsm_buf_put(&w->out, w->done, (size_t)(at - w->done));
    /* A regclass literal: the name, quoted when it needs to be, as a string. */
    {
        pcsm_buf ident = PCSM_BUF_INIT;

        if (schema) {
            pcsm_sql__ident(&ident, schema);
            pcsm_buf_putc(&ident, '.');
        }
        pcsm_sql__ident(&ident, w->to);
        pcsm_sql__literal(&w->out, ident.ptr);
        pcsm_buf_dispose(&ident);
    }
    w->done = at + len;
}

/* The server's default names the sequence by its oid: a rename shows in it. */
static void rename_nextval(pcsm_value *v, const char *schema, const char *from, const char *to)
{
    struct nextval_ref w = { schema, from, to, false, NULL, PCSM_BUF_INIT };

    if (!calls_nextval(*v, schema, from))
        return;
    w.done = v->text;
    scan_nextval(v->text, on_nextval_rename, &w);
    pcsm_buf_puts(&w.out, w.done);
    free((char *)v->text);
    v->text = pcsm_buf_detach(&w.out);
}

/* A generated column of t, other than `self`, whose expression reads `column`. */
static struct pcsm_schema_column *generated_reading(const struct pcsm_schema_table *t,
                                                   const char *column, const char *self)
{
    size_t i;

    for (i = 0; i < t->n_columns; i++)
        if (t->columns[i].generated && (!self || strcmp(t->columns[i].name, self)) &&
            mentions(t->columns[i].generated, column))
            return &t->columns[i];
    return NULL;
}

/*
 * Makes c an identity column of table `table`: its sequence is named
 * <table>_<column>_seq, or numbered as ChooseRelationName() does when
 * that relation exists.
 */
static int make_identity(struct replay *r, const struct pcsm_schema_table *t,
                         struct pcsm_schema_column *c, enum pcsm_identity identity,
                         const pcsm_sequence_options *options)
{
    pcsm_buf why = PCSM_BUF_INIT;
    char *name;

    if (pcsm_op__sequence_apply(&c->identity_options, true, c->type.kind, options, &why) < 0) {
        int rc = fail(r, "column \"%s\": identity: %s", c->name, why.ptr);

        pcsm_buf_dispose(&why);
        return rc;
    }
    pcsm_buf_dispose(&why);
    /* In its table's schema, so free among that schema's relations. */
    name = pcsm_schema__choose_name(t->name, c->name, "seq", name_taken,
                                    &(struct taken){ r->s, t->schema, true, false, NULL, 0 });
    c->identity = identity;
    c->identity_sequence = name;
    c->not_null = true;
    return 0;
}

/*
 * Makes c, a serial column of `table`, what the server makes of it
 * (transformColumnDefinition()): an integer column NOT NULL whose default
 * is nextval() of a sequence of the same integer type that the column
 * owns.  The sequence is named as ChooseRelationName() names it: the
 * first of <table>_<column>_seq, then _seq1, _seq2... that no relation has.
 */
static void make_serial(struct replay *r, const struct pcsm_schema_table *t,
                        struct pcsm_schema_column *c)
{
    static const enum pcsm_type_kind as[] = {
        [PCSM_TYPE_SMALLSERIAL] = PCSM_TYPE_SMALLINT, [PCSM_TYPE_SERIAL] = PCSM_TYPE_INTEGER,
        [PCSM_TYPE_BIGSERIAL] = PCSM_TYPE_BIGINT,
    };
    struct pcsm_schema_sequence *q;
    pcsm_buf sql = PCSM_BUF_INIT, name = PCSM_BUF_INIT, why = PCSM_BUF_INIT;
    char label[24] = "seq", *seq;
    unsigned pass = 0;

    c->type.kind = as[c->type.kind];
    c->not_null = true;
    for (;;) {
        seq = pcsm_schema__object_name(t->name, c->name, label);
        if (!relation_exists(r->s, t->schema, seq))
            break;
        free(seq);
        snprintf(label, sizeof(label), "seq%u", ++pass);
    }
    q = pcsm_schema__add_sequence(r->s);
    q->schema = dup_ns(t->schema);
    q->name = seq;
    pcsm_schema__acl_for_new(r->s, PCSM_PRIVILEGE_SEQUENCE, q->schema, &q->acl);
    /* Cannot fail: the defaults of an integer type. */
    pcsm_op__sequence_apply(&q->options, true, c->type.kind, NULL, &why);
    pcsm_buf_dispose(&why);
    q->owned_table = pcsm__xstrdup(t->name);
    q->owned_column = pcsm__xstrdup(c->name);
    /*
     * As pg_get_expr() prints it: the regclass text, quoted unless plain
     * (quote_identifier(); a name ending in _seq is no keyword), qualified
     * outside the target schema, which alone is on the search path.
     */
    if (t->schema) {
        pcsm_schema__put_bare_ident(&name, t->schema);
        pcsm_buf_putc(&name, '.');
    }
    pcsm_schema__put_bare_ident(&name, seq);
    pcsm_buf_puts(&sql, "nextval(");
    pcsm_sql__literal(&sql, name.ptr);
    pcsm_buf_puts(&sql, "::regclass)");
    pcsm_buf_dispose(&name);
    c->default_value.kind = PCSM_VALUE_EXPR;
    c->default_value.text = pcsm_buf_detach(&sql);
}

/*
 * A column as create_table or add_column gives it: the column, then its
 * inline constraints.  A lone primary_key column is the primary key; several
 * form one composite key, added by the caller.
 */
static int add_column(struct replay *r, struct pcsm_schema_table *t, const pcsm_column *src,
                      bool lone_pk)
{
    struct pcsm_schema_column *c;
    struct pcsm_schema_constraint proto;
    int rc;

    if (pcsm_schema__column(t, src->name))
        return fail(r, "column \"%s\" of \"%s\" already exists", src->name, t->name);
    rc = check_default_usable(r, src->name, src->type, src->default_value);
    if (rc == 0)
        rc = check_nextval(r, src->name, src->default_value);
    if (rc < 0)
        return rc;
    if (src->generated) {
        size_t i;

        for (i = 0; i < t->n_columns; i++)
            if (t->columns[i].generated && mentions(src->generated, t->columns[i].name))
                return fail(r, "cannot use generated column \"%s\" in column generation "
                            "expression", t->columns[i].name);
    }
    if (src->references) {
        const char *refcol[2] = { src->ref_column, NULL };

        rc = check_reference(r, t, src->ref_schema, src->references,
                             src->ref_column ? (char *const *)refcol : NULL);
        if (rc < 0)
            return rc;
    }
    c = pcsm_schema__add_column(t);
    c->name = pcsm__xstrdup(src->name);
    c->type = pcsm_schema__type_copy(src->type);
    c->not_null = src->not_null || src->primary_key;
    copy_value(&c->default_value, src->default_value);
    c->comment = copy_comment(src->comment);
    c->collation = src->collation ? pcsm__xstrdup(src->collation) : NULL;
    c->generated = src->generated ? pcsm__xstrdup(src->generated) : NULL;
    if (src->identity) {
        rc = make_identity(r, t, c, src->identity, &src->identity_options);
        if (rc < 0)
            return rc;
    }
    if (c->type.kind == PCSM_TYPE_SMALLSERIAL || c->type.kind == PCSM_TYPE_SERIAL ||
        c->type.kind == PCSM_TYPE_BIGSERIAL)
        make_serial(r, t, c);

    if (src->primary_key && lone_pk) {
        memset(&proto, 0, sizeof(proto));
        proto.kind = PCSM_PRIMARY_KEY;
        proto.columns = one_name(src->name);
        add_named(r->s, t, &proto, NULL);
    }
    if (src->unique) {
        memset(&proto, 0, sizeof(proto));
        proto.kind = PCSM_UNIQUE;
        proto.columns = one_name(src->name);
        add_named(r->s, t, &proto, src->name);
    }
    if (src->check) {
        memset(&proto, 0, sizeof(proto));
        proto.kind = PCSM_CHECK;
        proto.check = pcsm__xstrdup(src->check);
        add_named(r->s, t, &proto, src->name);
    }
    if (src->references) {
        memset(&proto, 0, sizeof(proto));
        proto.kind = PCSM_FOREIGN_KEY;
        proto.columns = one_name(src->name);
        proto.references = pcsm__xstrdup(src->references);
        proto.ref_schema = dup_ns(src->ref_schema);
        proto.ref_columns = src->ref_column ? one_name(src->ref_column) : NULL;
        proto.on_delete = src->on_delete;
        proto.on_update = src->on_update;
        add_named(r->s, t, &proto, src->name);
    }
    return 0;
}

static int check_columns(struct replay *r, const struct pcsm_schema_table *t,
                         char *const *columns)
{
    size_t i;

    for (i = 0; columns && columns[i]; i++)
        if (!pcsm_schema__column(t, columns[i]))
            return fail(r, "column \"%s\" of \"%s\" does not exist", columns[i], t->name);
    return 0;
}

static int add_constraint(struct replay *r, struct pcsm_schema_table *t,
                          const pcsm_constraint *src)
{
    struct pcsm_schema_constraint proto;
    const pcsm_index_element *e;
    int rc;

    memset(&proto, 0, sizeof(proto));
    copy_constraint(&proto, src);
    rc = check_columns(r, t, proto.columns);
    for (e = proto.elements; rc == 0 && e && (e->column || e->expression); e++)
        if (e->column && !pcsm_schema__column(t, e->column))
            rc = fail(r, "column \"%s\" of \"%s\" does not exist", e->column, t->name);
    if (rc == 0 && proto.kind == PCSM_FOREIGN_KEY)
        rc = check_reference(r, t, proto.ref_schema, proto.references, proto.ref_columns);
    if (rc == 0)
        rc = check_key_in(r, t, proto.kind, proto.columns, proto.name);
    if (rc == 0 && t->partition_strategy)
        rc = check_down(r, t, &proto);
    if (rc == 0 && proto.name &&
        (find_constraint(r->s, t->schema, t, proto.name) ||
         (pcsm_schema__indexed(proto.kind) && relation_exists(r->s, t->schema, proto.name))))
        rc = fail(r, "constraint or relation \"%s\" already exists", proto.name);
    if (rc == 0 && proto.kind == PCSM_PRIMARY_KEY) {
        size_t i;

        for (i = 0; i < t->n_constraints; i++)
            if (t->constraints[i].kind == PCSM_PRIMARY_KEY)
                rc = fail(r, "table \"%s\" already has a primary key", t->name);
    }
    if (rc < 0) {
        pcsm_schema__free_constraint(&proto);
        return rc;
    }
    if (proto.kind == PCSM_PRIMARY_KEY) {
        size_t i;

        /* A primary key makes its columns NOT NULL. */
        for (i = 0; proto.columns[i]; i++)
            pcsm_schema__column(t, proto.columns[i])->not_null = true;
    }
    if (proto.name)
        *pcsm_schema__add_constraint(t) = proto;
    else
        add_named(r->s, t, &proto, NULL);
    return 0;
}

/*
 * Whether schema ns has a type of that name of its own making: an enum, a
 * domain, a composite, a range or a range's multirange type.
 */
static bool type_exists(const pcsm_schema *s, const char *ns, const char *name)
{
    return pcsm_schema__type_in(s, ns, name) || pcsm_schema__domain_in(s, ns, name) ||
           pcsm_schema__composite_in(s, ns, name) || pcsm_schema__range_in(s, ns, name) ||
           pcsm_schema__range_of_multirange(s, ns, name);
}

/* -------------------------------------------------------- the operations */


/* Whether create_table gives column `name` a default of its own. */
static bool find_local_default(const struct pcsm_ddl_create_table *ct, const char *name)
{
    size_t i;

    for (i = 0; i < ct->n_columns; i++)
        if (!strcmp(ct->columns[i].name, name))
            return ct->columns[i].default_value.kind != PCSM_VALUE_NONE;
    return false;
}

static int create_table(struct replay *r, const struct pcsm_ddl_create_table *ct)
{
    struct pcsm_schema_table *t;
    size_t i, n_pk = 0;
    int rc = 0;

    if (relation_exists(r->s, r->ns, ct->table))
        return fail(r, "relation \"%s\" already exists", ct->table);
    /* A table's row type takes the name among the types. */
    if (type_exists(r->s, r->ns, ct->table))
        return fail(r, "type \"%s\" already exists", ct->table);
    for (i = 0; i < ct->n_columns; i++)
        n_pk += ct->columns[i].primary_key;
    t = pcsm_schema__add_table(r->s, ct->table);
    t->schema = dup_ns(r->ns);
    pcsm_schema__acl_for_new(r->s, PCSM_PRIVILEGE_TABLE, t->schema, &t->acl);
    t->comment = copy_comment(ct->comment);
    t->naming_later = true;
    if (ct->inherits) {
        char **conflicts = NULL;

        t->inherits = pcsm_schema__copy_names(ct->inherits);
        rc = inherit_parents(r, t, ct->inherits, &conflicts);
        for (i = 0; rc == 0 && i < ct->n_columns; i++) {
            rc = merge_column(r, t, &ct->columns[i], n_pk == 1);
            if (rc == 0)
                rc = add_column(r, t, &ct->columns[i], n_pk == 1);
            rc = rc > 0 ? 0 : rc;
        }
        for (i = 0; rc == 0 && conflicts && conflicts[i]; i++)
            if (!find_local_default(ct, conflicts[i]))
                rc = fail(r, "column \"%s\" inherits conflicting default values (give it "
                          "one of its own)", conflicts[i]);
        pcsm_schema__free_names(conflicts);
    }
    for (i = 0; rc == 0 && !ct->inherits && i < ct->n_columns; i++)
        rc = add_column(r, t, &ct->columns[i], n_pk == 1);
    if (rc == 0 && n_pk > 1) {
        struct pcsm_schema_constraint proto;
        const char **cols = pcsm__xcalloc(n_pk + 1, sizeof(*cols));
        size_t k = 0;

        for (i = 0; i < ct->n_columns; i++)
            if (ct->columns[i].primary_key)
                cols[k++] = ct->columns[i].name;
        memset(&proto, 0, sizeof(proto));
        proto.kind = PCSM_PRIMARY_KEY;
        proto.columns = pcsm_schema__copy_names(cols);
        free(cols);
        add_named(r->s, t, &proto, NULL);
    }
    for (i = 0; rc == 0 && i < ct->n_constraints; i++) {
        rc = merge_check(r, t, &ct->constraints[i]);
        if (rc == 0)
            rc = add_constraint(r, t, &ct->constraints[i]);
        rc = rc > 0 ? 0 : rc;
    }
    name_later(r->s, t);
    if (rc == 0 && ct->strategy)
        rc = set_partition_key(r, t, ct->strategy, ct->key);
    return rc;
}

/* The primary key's columns of `table` in schema `ns`, or NULL. */
static char *const *primary_key(const pcsm_schema *s, const char *ns, const char *table)
{
    const struct pcsm_schema_table *t = pcsm_schema__table_in(s, ns, table);
    size_t i;

    for (i = 0; t && i < t->n_constraints; i++)
        if (t->constraints[i].kind == PCSM_PRIMARY_KEY)
            return t->constraints[i].columns;
    return NULL;
}

/* Foreign key c points at ns.table, and at `column` of it when one is given. */
static bool points_at(const pcsm_schema *s, const struct pcsm_schema_constraint *c,
                      const char *ns, const char *table, const char *column)
{
    if (c->kind != PCSM_FOREIGN_KEY || strcmp(c->references, table) ||
        !same_ns(c->ref_schema, ns))
        return false;
    return !column ||
           pcsm_schema__names_contain(c->ref_columns ? c->ref_columns
                                                     : primary_key(s, ns, table), column);
}

/* The foreign keys of other tables that point at ns.table (column: at it only). */
static size_t count_referencing(const pcsm_schema *s, const char *ns, const char *table,
                                const char *column, const struct pcsm_schema_table **first)
{
    size_t i, k, n = 0;

    for (i = 0; i < s->n_tables; i++) {
        const struct pcsm_schema_table *t = &s->tables[i];

        if (!strcmp(t->name, table) && same_ns(t->schema, ns))
            continue;
        for (k = 0; k < t->n_constraints; k++)
            if (points_at(s, &t->constraints[k], ns, table, column) && !n++ && first)
                *first = t;
    }
    return n;
}

static void drop_referencing(pcsm_schema *s, const char *ns, const char *table,
                             const char *column)
{
    size_t i, k;

    for (i = 0; i < s->n_tables; i++) {
        struct pcsm_schema_table *t = &s->tables[i];

        if (!strcmp(t->name, table) && same_ns(t->schema, ns))
            continue;
        for (k = t->n_constraints; k-- > 0;)
            if (points_at(s, &t->constraints[k], ns, table, column))
                pcsm_schema__drop_constraint(t, &t->constraints[k]);
    }
}

/* A sequence OWNED BY a column goes with the column (column NULL: any of the table's). */
static void drop_owned_sequences(pcsm_schema *s, const char *ns, const char *table,
                                 const char *column)
{
    size_t i;

    for (i = s->n_sequences; i-- > 0;) {
        struct pcsm_schema_sequence *q = &s->sequences[i];

        if (q->owned_table && !strcmp(q->owned_table, table) && same_ns(q->schema, ns) &&
            (!column || !strcmp(q->owned_column, column)))
            pcsm_schema__drop_sequence(s, q);
    }
}

static const struct pcsm_schema_view *first_reader(const pcsm_schema *s, const char *ns,
                                                   const char *name);
static void drop_readers(pcsm_schema *s, const char *ns, const char *name);
static void rename_read(pcsm_schema *s, const char *ns, const char *from, const char *to);
static void readers_unverified(struct replay *r, const char *ns, const char *table,
                               const char *what);
static int refuse_readers(struct replay *r, const char *ns, const char *name);

/* An index of ns.table (a table's or a materialized view's). */
static bool index_on(const struct pcsm_schema_index *ix, const char *ns, const char *table)
{
    return !strcmp(ix->table, table) && same_ns(ix->schema, ns);
}

static int drop_table_in(struct replay *r, const char *ns, const struct pcsm_ddl_drop_table *d)
{
    struct pcsm_schema_table *t = pcsm_schema__table_in(r->s, ns, d->table);
    const struct pcsm_schema_table *other = NULL;
    size_t i;

    if (!t && pcsm_schema__view_in(r->s, ns, d->table))
        return fail(r, "\"%s\" is not a table (drop_view, drop_materialized_view)", d->table);
    if (!t)
        return d->flags & PCSM_IF_EXISTS ? 0
             : fail(r, "table \"%s\" does not exist", d->table);
    if (!(d->flags & PCSM_DROP_CASCADE) && count_referencing(r->s, ns, d->table, NULL, &other))
        return fail(r, "foreign keys of \"%s\" reference it (drop them, or CASCADE)",
                    other->name);
    if (!(d->flags & PCSM_DROP_CASCADE) && first_reader(r->s, ns, d->table))
        return refuse_readers(r, ns, d->table);
    /* Its partitions go with it, refused as it would be (a view over one, a key to one). */
    {
        char **parts = partitions(r->s, ns, d->table), **kids = children(r->s, ns, d->table);
        int rc = 0;

        if (kids && !(d->flags & PCSM_DROP_CASCADE))
            rc = fail(r, "table \"%s\" inherits from it (drop it, or CASCADE)", kids[0]);
        for (i = 0; rc == 0 && kids && kids[i]; i++)
            rc = drop_table_in(r, ns, &(struct pcsm_ddl_drop_table){ kids[i], d->flags });
        pcsm_schema__free_names(kids);

        for (i = 0; rc == 0 && parts && parts[i]; i++)
            rc = drop_table_in(r, ns, &(struct pcsm_ddl_drop_table){ parts[i], d->flags });
        pcsm_schema__free_names(parts);
        if (rc < 0)
            return rc;
    }
    drop_readers(r->s, ns, d->table);
    drop_referencing(r->s, ns, d->table, NULL);
    for (i = r->s->n_indexes; i-- > 0;)
        if (index_on(&r->s->indexes[i], ns, d->table))
            pcsm_schema__drop_index(r->s, &r->s->indexes[i]);
    drop_owned_sequences(r->s, ns, d->table, NULL);
    pcsm_schema__drop_table(r->s, pcsm_schema__table_in(r->s, ns, d->table));
    return 0;
}

static int drop_table(struct replay *r, const struct pcsm_ddl_drop_table *d)
{
    return drop_table_in(r, r->ns, d);
}

static int rename_table(struct replay *r, const struct pcsm_ddl_rename_table *d)
{
    struct pcsm_schema_table *t = pcsm_schema__table_in(r->s, r->ns, d->table);
    size_t i, k;

    if (!t)
        return fail(r, "table \"%s\" does not exist", d->table);
    if (relation_exists(r->s, r->ns, d->new_name))
        return fail(r, "relation \"%s\" already exists", d->new_name);
    if (type_exists(r->s, r->ns, d->new_name))
        return fail(r, "type \"%s\" already exists", d->new_name);
    for (i = 0; i < r->s->n_tables; i++)
        for (k = 0; k < r->s->tables[i].n_constraints; k++) {
            struct pcsm_schema_constraint *c = &r->s->tables[i].constraints[k];

            if (c->kind == PCSM_FOREIGN_KEY && !strcmp(c->references, d->table) &&
                same_ns(c->ref_schema, r->ns)) {
                free(c->references);
                c->references = pcsm__xstrdup(d->new_name);
            }
        }
    for (i = 0; i < r->s->n_indexes; i++)
        if (index_on(&r->s->indexes[i], r->ns, d->table)) {
            free(r->s->indexes[i].table);
            r->s->indexes[i].table = pcsm__xstrdup(d->new_name);
        }
    for (i = 0; i < r->s->n_sequences; i++)
        if (r->s->sequences[i].owned_table && same_ns(r->s->sequences[i].schema, r->ns) &&
            !strcmp(r->s->sequences[i].owned_table, d->table)) {
            free(r->s->sequences[i].owned_table);
            r->s->sequences[i].owned_table = pcsm__xstrdup(d->new_name);
        }
    for (i = 0; i < r->s->n_tables; i++)
        if (r->s->tables[i].partition_of && same_ns(r->s->tables[i].schema, r->ns) &&
            !strcmp(r->s->tables[i].partition_of, d->table)) {
            free(r->s->tables[i].partition_of);
            r->s->tables[i].partition_of = pcsm__xstrdup(d->new_name);
        }
    for (i = 0; i < r->s->n_tables; i++)
        if (same_ns(r->s->tables[i].schema, r->ns))
            rename_names(r->s->tables[i].inherits, d->table, d->new_name);
    rename_read(r->s, r->ns, d->table, d->new_name);
    /* An identity's sequence keeps its name: the server does not rename it. */
    free(t->name);
    t->name = pcsm__xstrdup(d->new_name);
    return 0;
}

/* The table and column an operation names, or a failure. */
static int find_column(struct replay *r, const char *table, const char *column,
                       struct pcsm_schema_table **t_out, struct pcsm_schema_column **c_out)
{
    *t_out = pcsm_schema__table_in(r->s, r->ns, table);
    if (!*t_out)
        return fail(r, "table \"%s\" does not exist", table);
    *c_out = pcsm_schema__column(*t_out, column);
    if (!*c_out)
        return fail(r, "column \"%s\" of \"%s\" does not exist", column, table);
    return 0;
}

/* Whether an index element is column `column`, or its expression names it. */
static bool elements_use(const pcsm_index_element *e, const char *column)
{
    for (; e && (e->column || e->expression); e++)
        if ((e->column && !strcmp(e->column, column)) || mentions(e->expression, column))
            return true;
    return false;
}

static void rename_in_elements(pcsm_index_element *e, const char *from, const char *to)
{
    for (; e && (e->column || e->expression); e++) {
        if (e->column && !strcmp(e->column, from)) {
            free((char *)e->column);
            e->column = pcsm__xstrdup(to);
        }
        if (e->expression) {
            char *x = (char *)e->expression;

            rename_in(&x, from, to);
            e->expression = x;
        }
    }
}

/* Of ns.table: drop_type drops columns of its type in any schema. */
/*
 * Whether a policy's conditions name `column`.  They may hold a subquery
 * naming other tables' columns: a column of the same name there counts
 * too, which errs on the side of the server's refusal.
 */
static bool policy_mentions(const struct pcsm_schema_policy *p, const char *column)
{
    return mentions(p->using, column) || mentions(p->with_check, column);
}

static int drop_column_in(struct replay *r, const char *ns,
                          const struct pcsm_ddl_drop_column *d)
{
    struct pcsm_schema_table *t = pcsm_schema__table_in(r->s, ns, d->table);
    const struct pcsm_schema_table *other = NULL;
    struct pcsm_schema_column *c;
    size_t i;

    if (!t)
        return fail(r, "table \"%s\" does not exist", d->table);
    c = pcsm_schema__column(t, d->column);
    if (!c)
        return d->flags & PCSM_IF_EXISTS ? 0
             : fail(r, "column \"%s\" of \"%s\" does not exist", d->column, d->table);
    if (!(d->flags & PCSM_DROP_CASCADE) &&
        count_referencing(r->s, ns, d->table, d->column, &other))
        return fail(r, "foreign keys of \"%s\" reference it (drop them, or CASCADE)",
                    other->name);
    /* A trigger's WHEN depends on the columns it reads, as a foreign key does. */
    for (i = t->n_triggers; i-- > 0;) {
        if (!when_mentions(t->triggers[i].when, d->column))
            continue;
        if (!(d->flags & PCSM_DROP_CASCADE))
            return fail(r, "trigger \"%s\" depends on it (drop it, or CASCADE)",
                        t->triggers[i].name);
    }
    for (i = t->n_triggers; i-- > 0;)
        if (when_mentions(t->triggers[i].when, d->column))
            pcsm_schema__drop_trigger(t, &t->triggers[i]);
    /* So does a policy's condition (recordDependencyOnExpr: a normal dependency). */
    for (i = t->n_policies; i-- > 0;) {
        if (!policy_mentions(&t->policies[i], d->column))
            continue;
        if (!(d->flags & PCSM_DROP_CASCADE))
            return fail(r, "policy \"%s\" depends on it (drop it, or CASCADE)",
                        t->policies[i].name);
        pcsm_schema__drop_policy(t, &t->policies[i]);
    }
    /* A generated column depends on the columns it reads. */
    {
        struct pcsm_schema_column *g = generated_reading(t, d->column, d->column);

        if (g && !(d->flags & PCSM_DROP_CASCADE))
            return fail(r, "generated column \"%s\" depends on it (drop it, or CASCADE)",
                        g->name);
        while ((g = generated_reading(t, d->column, d->column)) != NULL) {
            struct pcsm_ddl_drop_column dc = { d->table, g->name, PCSM_DROP_CASCADE };
            char *name = pcsm__xstrdup(g->name);
            int rc;

            dc.column = name;
            rc = drop_column_in(r, ns, &dc);
            free(name);
            if (rc < 0)
                return rc;
        }
        t = pcsm_schema__table_in(r->s, ns, d->table);
    }
    if (d->flags & PCSM_DROP_CASCADE)
        readers_unverified(r, ns, d->table, "a view reading the column went with it, or not");
    drop_owned_sequences(r->s, ns, d->table, d->column);
    drop_referencing(r->s, ns, d->table, d->column);
    /* Its own constraints and indexes that use the column go with it. */
    for (i = t->n_constraints; i-- > 0;) {
        struct pcsm_schema_constraint *k = &t->constraints[i];

        if (pcsm_schema__names_contain(k->columns, d->column) || mentions(k->check, d->column) ||
            elements_use(k->elements, d->column) || mentions(k->where, d->column))
            pcsm_schema__drop_constraint(t, k);
    }
    for (i = r->s->n_indexes; i-- > 0;) {
        struct pcsm_schema_index *ix = &r->s->indexes[i];

        if (index_on(ix, ns, d->table) &&
            (pcsm_schema__names_contain(ix->columns, d->column) ||
             mentions(ix->expression, d->column) ||
             mentions(ix->where, d->column) || elements_use(ix->elements, d->column)))
            pcsm_schema__drop_index(r->s, ix);
    }
    pcsm_schema__drop_column(t, pcsm_schema__column(t, d->column));
    return 0;
}

static int drop_column(struct replay *r, const struct pcsm_ddl_drop_column *d)
{
    return drop_column_in(r, r->ns, d);
}

static void rename_names(char **names, const char *from, const char *to)
{
    size_t i;

    for (i = 0; names && names[i]; i++)
        if (!strcmp(names[i], from)) {
            free(names[i]);
            names[i] = pcsm__xstrdup(to);
        }
}

static int rename_column(struct replay *r, const struct pcsm_ddl_rename_column *d)
{
    struct pcsm_schema_table *t;
    struct pcsm_schema_column *c;
    size_t i, k;
    int rc = find_column(r, d->table, d->column, &t, &c);

    if (rc < 0)
        return rc;
    if (pcsm_schema__column(t, d->new_name))
        return fail(r, "column \"%s\" of \"%s\" already exists", d->new_name, d->table);
    for (i = 0; i < t->n_constraints; i++) {
        rename_names(t->constraints[i].columns, d->column, d->new_name);
        rename_in(&t->constraints[i].check, d->column, d->new_name);
        rename_in_elements(t->constraints[i].elements, d->column, d->new_name);
        rename_in(&t->constraints[i].where, d->column, d->new_name);
    }
    for (i = 0; i < t->n_triggers; i++)
        rename_in_when(&t->triggers[i].when, d->column, d->new_name);
    for (i = 0; i < t->n_policies; i++) {
        rename_in(&t->policies[i].using, d->column, d->new_name);
        rename_in(&t->policies[i].with_check, d->column, d->new_name);
    }
    for (i = 0; i < t->n_columns; i++)
        rename_in(&t->columns[i].generated, d->column, d->new_name);
    rename_in_elements(t->partition_key, d->column, d->new_name);
    for (i = 0; i < r->s->n_sequences; i++) {
        struct pcsm_schema_sequence *q = &r->s->sequences[i];

        if (q->owned_table && !strcmp(q->owned_table, d->table) && same_ns(q->schema, r->ns) &&
            !strcmp(q->owned_column, d->column)) {
            free(q->owned_column);
            q->owned_column = pcsm__xstrdup(d->new_name);
        }
    }
    for (i = 0; i < r->s->n_tables; i++)
        for (k = 0; k < r->s->tables[i].n_constraints; k++) {
            struct pcsm_schema_constraint *fk = &r->s->tables[i].constraints[k];

            if (fk->kind == PCSM_FOREIGN_KEY && !strcmp(fk->references, d->table) &&
                same_ns(fk->ref_schema, r->ns))
                rename_names(fk->ref_columns, d->column, d->new_name);
        }
    for (i = 0; i < r->s->n_indexes; i++) {
        struct pcsm_schema_index *ix = &r->s->indexes[i];

        if (!index_on(ix, r->ns, d->table))
            continue;
        rename_names(ix->columns, d->column, d->new_name);
        rename_in(&ix->expression, d->column, d->new_name);
        rename_in_elements(ix->elements, d->column, d->new_name);
        rename_in(&ix->where, d->column, d->new_name);
    }
    /* The server's view follows, its query as written does not: the model cannot say how. */
    readers_unverified(r, r->ns, d->table, "a view reading the renamed column follows it");
    c = pcsm_schema__column(t, d->column);
    free(c->name);
    c->name = pcsm__xstrdup(d->new_name);
    return 0;
}

/*
 * ChooseIndexName() for CREATE INDEX without a name: <table>_<columns>_idx,
 * an expression named as FigureIndexColname() names it; NULL when that
 * name cannot be told here.
 */
static char *index_name(const pcsm_schema *s, const char *ns, const pcsm_index *src)
{
    char *add = keys_addition(src->columns, src->expression, src->elements), *name;

    if (!add)
        return NULL;
    name = pcsm_schema__choose_name(src->table, add, "idx", name_taken,
                                    &(struct taken){ s, ns, true, false, NULL, 0 });
    free(add);
    return name;
}

/* The keys of create_index as elements, whichever form they were given in. */
static pcsm_index_element *index_elements(const pcsm_index *src)
{
    pcsm_index_element *e;
    size_t n = 0, i;

    if (src->elements)
        return pcsm_schema__copy_elements(src->elements);
    while (src->columns && src->columns[n])
        n++;
    e = pcsm__xcalloc((src->expression ? 1 : n) + 1, sizeof(*e));
    if (src->expression)
        e[0].expression = pcsm__xstrdup(src->expression);
    for (i = 0; !src->expression && i < n; i++)
        e[i].column = pcsm__xstrdup(src->columns[i]);
    return e;
}

static int create_index(struct replay *r, const pcsm_index *src)
{
    struct pcsm_schema_table *t = pcsm_schema__table_in(r->s, r->ns, src->table);
    const struct pcsm_schema_view *v = t ? NULL : pcsm_schema__view_in(r->s, r->ns, src->table);
    struct pcsm_schema_index *ix;
    char **columns;
    char *name;
    size_t i;
    int rc;

    if (src->name && relation_exists(r->s, r->ns, src->name))
        return src->if_not_exists ? 0 : fail(r, "relation \"%s\" already exists", src->name);
    if (v && !v->materialized)
        return fail(r, "cannot create index on view \"%s\" (a materialized view can have one)",
                    src->table);
    if (!t && !v)
        return fail(r, "table \"%s\" does not exist", src->table);
    if (t && t->partition_strategy && src->concurrently)
        return fail(r, "cannot create index on partitioned table \"%s\" concurrently",
                    src->table);
    if (t && src->unique) {
        char **cols = src->elements ? plain_columns(src->elements)
                                    : pcsm_schema__copy_names(src->columns);

        rc = check_key_in(r, t, PCSM_UNIQUE, cols, src->name);
        pcsm_schema__free_names(cols);
    } else {
        rc = 0;
    }
    if (rc < 0)
        return rc;
    columns = pcsm_schema__copy_names(src->columns);
    for (i = 0; !columns && src->elements && (src->elements[i].column ||
                                              src->elements[i].expression); i++)
        if (src->elements[i].column && (t ? !pcsm_schema__column(t, src->elements[i].column)
                                           : v->columns && !pcsm_schema__names_contain(
                                                 v->columns, src->elements[i].column)))
            return fail(r, "column \"%s\" of \"%s\" does not exist",
                        src->elements[i].column, src->table);
    /* A materialized view's column names are known when it was given them. */
    rc = t ? check_columns(r, t, columns) : 0;
    for (i = 0; rc == 0 && v && v->columns && columns && columns[i]; i++)
        if (!pcsm_schema__names_contain(v->columns, columns[i]))
            rc = fail(r, "column \"%s\" of \"%s\" does not exist", columns[i], src->table);
    if (rc < 0) {
        pcsm_schema__free_names(columns);
        return rc;
    }
    name = src->name ? pcsm__xstrdup(src->name) : index_name(r->s, r->ns, src);
    if (!name) {
        pcsm_schema__free_names(columns);
        return fail(r, "the name the server gives an index on %s%s%s is not known here; "
                    "give the index a name", src->expression ? "(" : "",
                    src->expression ? src->expression : "an expression of its elements",
                    src->expression ? ")" : "");
    }
    ix = pcsm_schema__add_index(r->s);
    ix->schema = dup_ns(r->ns);
    ix->name = name;
    ix->table = pcsm__xstrdup(src->table);
    pcsm_schema__free_names(columns);
    pcsm_schema__index_keys(ix, index_elements(src));
    ix->unique = src->unique;
    ix->nulls_not_distinct = src->nulls_not_distinct;
    ix->method = src->method && strcmp(src->method, "btree") ? pcsm__xstrdup(src->method) : NULL;
    ix->where = src->where ? pcsm__xstrdup(src->where) : NULL;
    /* ON ONLY: invalid while a partition has none of it; with none yet, valid. */
    if (src->only && t && t->partition_strategy) {
        char **parts = partitions(r->s, r->ns, src->table);

        ix = &r->s->indexes[r->s->n_indexes - 1];
        ix->invalid = parts != NULL;
        pcsm_schema__free_names(parts);
    }
    return 0;
}

static int drop_index(struct replay *r, const struct pcsm_ddl_drop_index *d)
{
    struct pcsm_schema_index *ix = pcsm_schema__index_in(r->s, r->ns, d->index);
    const struct pcsm_schema_table *t = ix ? pcsm_schema__table_in(r->s, r->ns, ix->table)
                                           : NULL;

    if (t && t->partition_strategy && (d->flags & PCSM_DROP_CONCURRENTLY))
        return fail(r, "cannot drop partitioned index \"%s\" concurrently", d->index);
    if (ix) {
        pcsm_schema__drop_index(r->s, ix);
        return 0;
    }
    if (relation_exists(r->s, r->ns, d->index))
        return fail(r, "\"%s\" is not an index of its own (a table, or a constraint's index: "
                    "drop the constraint)", d->index);
    return d->flags & PCSM_IF_EXISTS ? 0 : fail(r, "index \"%s\" does not exist", d->index);
}

/*
 * ALTER INDEX RENAME: the index of a PRIMARY KEY or UNIQUE constraint is
 * the constraint's, and the server renames the constraint with it.
 */
static int rename_index(struct replay *r, const struct pcsm_ddl_rename_index *d)
{
    struct pcsm_schema_index *ix = pcsm_schema__index_in(r->s, r->ns, d->index);
    struct pcsm_schema_constraint *k = ix ? NULL : find_constraint(r->s, r->ns, NULL, d->index);
    /* Neither: a partition's share of its parent's index, perhaps. */
    int rc = ix || k ? 1 : rename_share(r, NULL, d->index, d->new_name);

    if (rc <= 0)
        return rc;

    if (k && !pcsm_schema__indexed(k->kind))
        k = NULL;
    if (!ix && !k)
        return fail(r, relation_exists(r->s, r->ns, d->index) ? "\"%s\" is not an index"
                                                               : "index \"%s\" does not exist",
                    d->index);
    if (relation_exists(r->s, r->ns, d->new_name))
        return fail(r, "relation \"%s\" already exists", d->new_name);
    if (k) {
        free(k->name);
        k->name = pcsm__xstrdup(d->new_name);
        return 0;
    }
    free(ix->name);
    ix->name = pcsm__xstrdup(d->new_name);
    return 0;
}

/*
 * ALTER TABLE RENAME CONSTRAINT: a PRIMARY KEY's or UNIQUE constraint's
 * index is renamed with it, so the new name must be free among relations too.
 */
static int rename_constraint(struct replay *r, const struct pcsm_ddl_rename_constraint *d)
{
    struct pcsm_schema_table *t = pcsm_schema__table_in(r->s, r->ns, d->table);
    struct pcsm_schema_constraint *k = t ? find_constraint(r->s, r->ns, t, d->constraint) : NULL;
    int rc;

    if (!t)
        return fail(r, "table \"%s\" does not exist", d->table);
    if (!k && (rc = rename_share(r, t, d->constraint, d->new_name)) <= 0)
        return rc;
    if (!k)
        return fail(r, "constraint \"%s\" for table \"%s\" does not exist", d->constraint,
                    d->table);
    if (find_constraint(r->s, r->ns, t, d->new_name))
        return fail(r, "constraint \"%s\" for relation \"%s\" already exists", d->new_name,
                    d->table);
    if (pcsm_schema__indexed(k->kind) && relation_exists(r->s, r->ns, d->new_name))
        return fail(r, "relation \"%s\" already exists", d->new_name);
    free(k->name);
    k->name = pcsm__xstrdup(d->new_name);
    return 0;
}

/* Whether foreign key fk stands on key (its referenced columns are key's). */
static bool uses_key(const struct pcsm_schema_constraint *fk,
                     const struct pcsm_schema_table *table,
                     const struct pcsm_schema_constraint *key)
{
    if (fk->kind != PCSM_FOREIGN_KEY || strcmp(fk->references, table->name) ||
        !same_ns(fk->ref_schema, table->schema))
        return false;
    return fk->ref_columns ? pcsm_schema__names_eq(fk->ref_columns, key->columns)
                           : key->kind == PCSM_PRIMARY_KEY;
}

static size_t count_key_users(const pcsm_schema *s, const struct pcsm_schema_table *t,
                              const struct pcsm_schema_constraint *key,
                              const struct pcsm_schema_table **first)
{
    size_t i, k, n = 0;

    for (i = 0; i < s->n_tables; i++)
        for (k = 0; k < s->tables[i].n_constraints; k++)
            if (uses_key(&s->tables[i].constraints[k], t, key) && !n++)
                *first = &s->tables[i];
    return n;
}

/* Drops the foreign keys standing on key; key (named) stays, though it may move. */
static void drop_key_users(pcsm_schema *s, const struct pcsm_schema_table *t,
                           const struct pcsm_schema_constraint *key)
{
    struct pcsm_schema_constraint copy = *key;  /* its strings stay put */
    size_t i, k;

    for (i = 0; i < s->n_tables; i++)
        for (k = s->tables[i].n_constraints; k-- > 0;) {
            struct pcsm_schema_constraint *c = &s->tables[i].constraints[k];

            if (!(&s->tables[i] == t && c->name && !strcmp(c->name, copy.name)) &&
                uses_key(c, t, &copy))
                pcsm_schema__drop_constraint(&s->tables[i], c);
        }
}

static bool has_unnamed(const struct pcsm_schema_table *t)
{
    size_t i;

    for (i = 0; i < t->n_constraints; i++)
        if (!t->constraints[i].name)
            return true;
    return false;
}

static void add_opaque(struct replay *r, const char *what, const char *sql);

/*
 * Whether a constraint the model does not know by name may be one whose
 * name the server chose: if the table has such, the operation on it is
 * recorded as one the model cannot follow, naming the table and the name.
 */
static bool maybe_unnamed(struct replay *r, const struct pcsm_schema_table *t,
                          const char *table, const char *constraint)
{
    const char *names[] = { table, constraint, NULL };

    if (!has_unnamed(t))
        return false;
    add_opaque(r, "a constraint of a name the model does not know", NULL);
    r->s->opaque[r->s->n_opaque - 1].mentions = pcsm_schema__copy_names(names);
    return true;
}

static int drop_constraint(struct replay *r, const struct pcsm_ddl_drop_constraint *d)
{
    struct pcsm_schema_table *t = pcsm_schema__table_in(r->s, r->ns, d->table);
    struct pcsm_schema_constraint *c;
    const struct pcsm_schema_table *other = NULL;

    if (!t)
        return fail(r, "table \"%s\" does not exist", d->table);
    c = find_constraint(r->s, r->ns, t, d->constraint);
    if (!c && maybe_unnamed(r, t, d->table, d->constraint))
        return 0;
    if (!c)
        return d->flags & PCSM_IF_EXISTS ? 0
             : fail(r, "constraint \"%s\" of \"%s\" does not exist", d->constraint, d->table);
    if ((c->kind == PCSM_PRIMARY_KEY || c->kind == PCSM_UNIQUE) &&
        count_key_users(r->s, t, c, &other)) {
        if (!(d->flags & PCSM_DROP_CASCADE))
            return fail(r, "foreign keys of \"%s\" depend on it (drop them, or CASCADE)",
                        other->name);
        drop_key_users(r->s, t, c);
        c = find_constraint(r->s, r->ns, t, d->constraint);
    }
    pcsm_schema__drop_constraint(t, c);
    return 0;
}

/* ATExecValidateConstraint(): a foreign key or check of the table; a valid one is a no-op. */
static int validate_constraint(struct replay *r, const struct pcsm_ddl_validate_constraint *d)
{
    struct pcsm_schema_table *t = pcsm_schema__table_in(r->s, r->ns, d->table);
    struct pcsm_schema_constraint *c;

    if (!t)
        return fail(r, "table \"%s\" does not exist", d->table);
    c = find_constraint(r->s, r->ns, t, d->constraint);
    if (!c && maybe_unnamed(r, t, d->table, d->constraint))
        return 0;
    if (!c)
        return fail(r, "constraint \"%s\" of relation \"%s\" does not exist", d->constraint,
                    d->table);
    if (c->kind != PCSM_FOREIGN_KEY && c->kind != PCSM_CHECK)
        return fail(r, "constraint \"%s\" of relation \"%s\" is not a foreign key or check "
                    "constraint", d->constraint, d->table);
    c->not_valid = false;
    return 0;
}

/* The first line of raw SQL, shortened: enough to find it again. */
static char *summarize(const char *sql)
{
    pcsm_buf out = PCSM_BUF_INIT;
    const char *p = sql;
    size_t n = 0;

    while (*p == ' ' || *p == '\t' || *p == '\n' || *p == '\r')
        p++;
    /* 72 characters, never a part of one. */
    for (; *p && *p != '\n' && (n < 72 || ((unsigned char)*p & 0xc0) == 0x80); p++) {
        n += ((unsigned char)*p & 0xc0) != 0x80;
        pcsm_buf_putc(&out, *p == '\t' || *p == '\r' ? ' ' : *p);
    }
    if (*p && *p != '\n')
        pcsm_buf_puts(&out, "...");
    return pcsm_buf_detach(&out);
}

struct collect {
    char **names;
    size_t n, cap;
};

static void on_collect(const char *at, size_t len, const char *name, void *arg)
{
    struct collect *c = arg;
    size_t i;

    (void)at;
    (void)len;
    for (i = 0; i < c->n; i++)
        if (!strcmp(c->names[i], name))
            return;
    pcsm__grow(&c->names, &c->cap, c->n + 2, sizeof(*c->names));
    c->names[c->n++] = pcsm__xstrdup(name);
    c->names[c->n] = NULL;
}

/* An operation the model cannot follow; sql (or NULL) for the names it holds. */
static void add_opaque(struct replay *r, const char *what, const char *sql)
{
    struct pcsm_schema_opaque *x;
    struct collect names = { NULL, 0, 0 };

    if (sql) {
        /* Function names too: CREATE FUNCTION f(...) makes an object f. */
        scan_all_idents(sql, on_collect, &names);
    }
    pcsm__grow(&r->s->opaque, &r->s->cap_opaque, r->s->n_opaque + 1, sizeof(*r->s->opaque));
    x = &r->s->opaque[r->s->n_opaque++];
    x->revision = pcsm__xstrdup(r->rev->id);
    x->op = r->i;
    x->summary = pcsm__xstrdup(what);
    x->mentions = names.names;
}

/* A default set anew is written for the column's type of now. */
static void forget_default_type(struct pcsm_schema_column *c)
{
    pcsm_schema__type_dispose(&c->default_type);
    memset(&c->default_type, 0, sizeof(c->default_type));
}

static int with_column(struct replay *r, const char *table, const char *column,
                       struct pcsm_schema_column **out)
{
    struct pcsm_schema_table *t;

    return find_column(r, table, column, &t, out);
}

/* ------------------------------------------------ extensions and types */

static int create_extension(struct replay *r, const struct pcsm_ddl_extension *c)
{
    struct pcsm_schema_extension *e;

    if (pcsm_schema__extension(r->s, c->extension))
        return 0;   /* always IF NOT EXISTS */
    e = pcsm_schema__add_extension(r->s);
    e->name = pcsm__xstrdup(c->extension);
    e->cascade = c->flags & PCSM_CREATE_CASCADE;
    return 0;
}

static int drop_extension(struct replay *r, const struct pcsm_ddl_extension *d)
{
    struct pcsm_schema_extension *e = pcsm_schema__extension(r->s, d->extension);

    if (!e)
        return d->flags & PCSM_IF_EXISTS ? 0
             : fail(r, "extension \"%s\" does not exist", d->extension);
    pcsm_schema__drop_extension(r->s, e);
    /* Its types and functions are not the model's: nor is what used them. */
    if (d->flags & PCSM_DROP_CASCADE) {
        const char *names[] = { d->extension, NULL };

        add_opaque(r, "what depended on the extension's objects went with it", NULL);
        r->s->opaque[r->s->n_opaque - 1].mentions = pcsm_schema__copy_names(names);
    }
    return 0;
}

static int create_enum(struct replay *r, const struct pcsm_ddl_create_enum *c)
{
    struct pcsm_schema_type *ty;

    /* A table's or a view's row type bears its name. */
    if (type_exists(r->s, r->ns, c->type) ||
        pcsm_schema__table_in(r->s, r->ns, c->type) ||
        pcsm_schema__view_in(r->s, r->ns, c->type))
        return fail(r, "type \"%s\" already exists", c->type);
    ty = pcsm_schema__add_type(r->s);
    ty->schema = dup_ns(r->ns);
    pcsm_schema__acl_for_new(r->s, PCSM_PRIVILEGE_TYPE, ty->schema, &ty->acl);
    ty->name = pcsm__xstrdup(c->type);
    ty->labels = pcsm_schema__copy_names(c->labels);
    while (ty->labels[ty->n_labels])
        ty->n_labels++;
    ty->added_in = pcsm__xcalloc(ty->n_labels ? ty->n_labels : 1, sizeof(*ty->added_in));
    return 0;
}

/* The enum an operation names, or a failure as the server words it. */
static int find_enum(struct replay *r, const char *name, struct pcsm_schema_type **out)
{
    *out = pcsm_schema__type_in(r->s, r->ns, name);
    if (*out)
        return 0;
    if (pcsm_schema__table_in(r->s, r->ns, name) || pcsm_schema__domain_in(r->s, r->ns, name))
        return fail(r, "\"%s\" is not an enum", name);
    return fail(r, "type \"%s\" does not exist", name);
}

/* Where `label` is among ty's labels, or -1. */
static long label_at(const struct pcsm_schema_type *ty, const char *label)
{
    size_t i;

    for (i = 0; i < ty->n_labels; i++)
        if (!strcmp(ty->labels[i], label))
            return (long)i;
    return -1;
}

static int add_enum_value(struct replay *r, const struct pcsm_ddl_add_enum_value *a)
{
    struct pcsm_schema_type *ty;
    long at;
    int rc = find_enum(r, a->type, &ty);

    if (rc < 0)
        return rc;
    if (label_at(ty, a->label) >= 0)
        return a->flags & PCSM_IF_NOT_EXISTS ? 0
             : fail(r, "enum label \"%s\" already exists", a->label);
    if (a->place.where == PCSM_ENUM_END) {
        at = (long)ty->n_labels;
    } else {
        at = label_at(ty, a->place.label);
        if (at < 0)
            return fail(r, "\"%s\" is not an existing enum label", a->place.label);
        at += a->place.where == PCSM_ENUM_AFTER;
    }
    ty->labels = pcsm__xrealloc(ty->labels, (ty->n_labels + 2) * sizeof(*ty->labels));
    memmove(&ty->labels[at + 1], &ty->labels[at],
            (ty->n_labels + 1 - (size_t)at) * sizeof(*ty->labels));
    ty->labels[at] = pcsm__xstrdup(a->label);
    ty->added_in = pcsm__xrealloc(ty->added_in, (ty->n_labels + 1) * sizeof(*ty->added_in));
    memmove(&ty->added_in[at + 1], &ty->added_in[at],
            (ty->n_labels - (size_t)at) * sizeof(*ty->added_in));
    ty->added_in[at] = pcsm__xstrdup(r->rev->id);
    ty->n_labels++;
    return 0;
}

/* Whether column c is of type ns.type (PCSM_TYPE_IN's schema; NULL: the target's). */
static bool is_of_type(const struct pcsm_schema_column *c, const char *ns, const char *type)
{
    return c->type.kind == PCSM_TYPE_NAMED && !strcmp(c->type.name, type) &&
           same_ns(c->type.schema, ns);
}

static int rename_enum_value(struct replay *r, const struct pcsm_ddl_rename_enum_value *d)
{
    struct pcsm_schema_type *ty;
    long at;
    size_t i, k;
    int rc = find_enum(r, d->type, &ty);

    if (rc < 0)
        return rc;
    at = label_at(ty, d->label);
    if (at < 0)
        return fail(r, "\"%s\" is not an existing enum label", d->label);
    if (label_at(ty, d->new_label) >= 0)
        return fail(r, "enum label \"%s\" already exists", d->new_label);
    free(ty->labels[at]);
    ty->labels[at] = pcsm__xstrdup(d->new_label);
    /*
     * The server keeps a default of the type as the value, not as text, so
     * a literal default shows the new label.  (An expression that spells
     * the label is text to the model, and keeps the old one.)
     */
    for (i = 0; i < r->s->n_tables; i++)
        for (k = 0; k < r->s->tables[i].n_columns; k++) {
            struct pcsm_schema_column *c = &r->s->tables[i].columns[k];

            if (is_of_type(c, r->ns, d->type) && c->type.array_dims == 0 &&
                c->default_value.kind == PCSM_VALUE_LITERAL &&
                !strcmp(c->default_value.text, d->label)) {
                free((char *)c->default_value.text);
                c->default_value.text = pcsm__xstrdup(d->new_label);
            }
        }
    return 0;
}

/* ------------------------------------------------ functions and triggers */

/* Whether trigger tr runs function f (triggers call functions of no arguments). */
static bool runs(const struct pcsm_schema_trigger *tr, const struct pcsm_schema_function *f)
{
    return !f->signature[0] && !strcmp(tr->function, f->name) &&
           same_ns(tr->function_schema, f->schema);
}

/* Whether range rg is of subtype ns.type. */
static bool range_over(const struct pcsm_schema_range *rg, const char *ns, const char *type)
{
    return rg->subtype.kind == PCSM_TYPE_NAMED && !strcmp(rg->subtype.name, type) &&
           same_ns(rg->subtype.schema, ns);
}

static int drop_type_in(struct replay *r, const char *ns, const struct pcsm_ddl_drop_type *d);

/*
 * Drops f, and the triggers that run it and the range types whose
 * subtype_diff it is when `cascade`; without it, one of those fails the
 * drop, as the server's dependency does.
 */
static int drop_function_and_triggers(struct replay *r, struct pcsm_schema_function *f,
                                      bool cascade)
{
    size_t i, k;

    for (i = 0; i < r->s->n_ranges; i++) {
        struct pcsm_schema_range *rg = &r->s->ranges[i];
        char *name, *ns, *signature, *range, *range_ns;
        int rc;

        if (!pcsm_schema__is_range_diff(rg, f))
            continue;
        if (!cascade)
            return fail(r, "range type \"%s\" uses function \"%s\" as its subtype_diff "
                        "(drop it, or CASCADE)", rg->name, f->name);
        /* Dropping the range moves the functions: f is found again after. */
        name = pcsm__xstrdup(f->name);
        ns = dup_ns(f->schema);
        signature = pcsm__xstrdup(f->signature);
        range = pcsm__xstrdup(rg->name);
        range_ns = dup_ns(rg->schema);
        rc = drop_type_in(r, range_ns, &(struct pcsm_ddl_drop_type){ range, PCSM_DROP_CASCADE });
        f = pcsm_schema__function_in(r->s, ns, name, signature);
        free(name);
        free(ns);
        free(signature);
        free(range);
        free(range_ns);
        if (rc < 0 || !f)
            return rc;
        i = (size_t)-1;
    }

    for (i = 0; i < r->s->n_tables; i++) {
        struct pcsm_schema_table *t = &r->s->tables[i];

        for (k = t->n_triggers; k-- > 0;) {
            if (!runs(&t->triggers[k], f))
                continue;
            if (!cascade)
                return fail(r, "trigger \"%s\" on \"%s\" depends on function \"%s\" "
                            "(drop it, or CASCADE)", t->triggers[k].name, t->name, f->name);
            pcsm_schema__drop_trigger(t, &t->triggers[k]);
        }
    }
    pcsm_schema__drop_function(r->s, f);
    return 0;
}

struct qualified_mention {
    const char *schema, *name;
    bool found;
};

static void on_qualified(const char *at, size_t len, const char *name, void *arg)
{
    struct qualified_mention *m = arg;
    const char *p = at + len;
    pcsm_buf next = PCSM_BUF_INIT;

    if (strcmp(name, m->schema) || *p != '.')
        return;
    regclass_part(p + 1, p + 1 + strlen(p + 1), &next);
    if (next.len && !strcmp(next.ptr, m->name))
        m->found = true;
    pcsm_buf_dispose(&next);
}

/* Whether the SQL names schema.name, qualified ("billing.mood", "billing"."mood"). */
static bool mentions_qualified(const char *sql, const char *schema, const char *name)
{
    struct qualified_mention m = { schema, name, false };

    if (sql)
        scan_all_idents(sql, on_qualified, &m);
    return m.found;
}

/*
 * Whether function f takes or returns type ns.type (a name, as the
 * identities spell it: unqualified for the target schema's, which the
 * search path finds, qualified for another's): its signature, its result
 * (a TABLE's columns too), and the rest of its argument list (OUT
 * arguments, defaults), unless a parameter bears the type's name there.
 */
static bool function_uses(const struct pcsm_schema_function *f, const char *ns,
                          const char *type)
{
    char *returns = pcsm_schema__type_identity(f->returns);
    char **names = pcsm_schema__argument_names(f->arguments);
    bool named = pcsm_schema__names_contain(names, type);
    bool uses = ns ? mentions_qualified(f->signature, ns, type) ||
                     mentions_qualified(returns, ns, type) ||
                     mentions_qualified(f->returns, ns, type) ||
                     (!named && mentions_qualified(f->arguments, ns, type))
                   : mentions(f->signature, type) || mentions(returns, type) ||
                     mentions(f->returns, type) || (!named && mentions(f->arguments, type));

    free(returns);
    pcsm_schema__free_names(names);
    return uses;
}

static bool attribute_of_type(const pcsm_attribute *a, const char *ns, const char *type)
{
    return a->type.kind == PCSM_TYPE_NAMED && !strcmp(a->type.name, type) &&
           same_ns(a->type.schema, ns);
}

/* Whether domain d is over type ns.type (PCSM_TYPE_IN's schema; NULL: the target's). */
static bool domain_over(const struct pcsm_schema_domain *d, const char *ns, const char *type)
{
    return d->type.kind == PCSM_TYPE_NAMED && !strcmp(d->type.name, type) &&
           same_ns(d->type.schema, ns);
}

/* What besides a column uses a type (other_user()). */
struct type_user {
    enum { USER_NONE, USER_RANGE, USER_DOMAIN, USER_ATTRIBUTE, USER_FUNCTION } kind;
    const char *name;
    const char *of;     /* an attribute's composite type, a function's arguments */
};

/*
 * The first object besides a column that uses type ns.type, which DROP
 * TYPE without CASCADE names: a range type over it, a domain over it, an
 * attribute of a composite type, a function taking or returning it.
 */
static struct type_user other_user(const pcsm_schema *s, const char *ns, const char *type)
{
    size_t i, k;

    for (i = 0; i < s->n_ranges; i++)
        if (range_over(&s->ranges[i], ns, type))
            return (struct type_user){ USER_RANGE, s->ranges[i].name, NULL };
    for (i = 0; i < s->n_domains; i++)
        if (domain_over(&s->domains[i], ns, type))
            return (struct type_user){ USER_DOMAIN, s->domains[i].name, NULL };
    for (i = 0; i < s->n_composites; i++)
        for (k = 0; k < s->composites[i].n_attributes; k++)
            if (attribute_of_type(&s->composites[i].attributes[k], ns, type))
                return (struct type_user){ USER_ATTRIBUTE, s->composites[i].attributes[k].name,
                                           s->composites[i].name };
    for (i = 0; i < s->n_functions; i++)
        if (function_uses(&s->functions[i], ns, type))
            return (struct type_user){ USER_FUNCTION, s->functions[i].name,
                                       s->functions[i].arguments };
    return (struct type_user){ USER_NONE, NULL, NULL };
}

/*
 * What uses type ns.type, refused without `cascade` (naming the first:
 * a range, a column, then the others), dropped with it: columns, domains,
 * attributes, range types over it, functions taking or returning it.
 */
static int drop_users(struct replay *r, const char *ns, const char *type, bool cascade)
{
    struct type_user u = cascade ? (struct type_user){ USER_NONE, NULL, NULL }
                                 : other_user(r->s, ns, type);
    size_t i, k;
    int rc = 0;

    if (u.kind == USER_RANGE)
        return fail(r, "range type \"%s\" is of this type (drop it, or CASCADE)", u.name);
    for (i = 0; i < r->s->n_tables; i++)
        for (k = 0; k < r->s->tables[i].n_columns; k++)
            if (!cascade && is_of_type(&r->s->tables[i].columns[k], ns, type))
                return fail(r, "column \"%s\" of \"%s\" is of this type (drop it, or "
                            "CASCADE)", r->s->tables[i].columns[k].name, r->s->tables[i].name);
    switch (u.kind) {
    case USER_DOMAIN:
        return fail(r, "domain \"%s\" is over this type (drop it, or CASCADE)", u.name);
    case USER_ATTRIBUTE:
        return fail(r, "attribute \"%s\" of type \"%s\" is of this type (drop it, or "
                    "CASCADE)", u.name, u.of);
    case USER_FUNCTION:
        return fail(r, "function \"%s\"(%s) takes or returns it (drop it, or CASCADE)",
                    u.name, u.of);
    default:
        break;
    }
    /* CASCADE drops the attribute, as the server does ("column a of composite type"). */
    for (i = 0; i < r->s->n_composites; i++) {
        struct pcsm_schema_composite *c = &r->s->composites[i];

        for (k = c->n_attributes; k-- > 0;) {
            if (!attribute_of_type(&c->attributes[k], ns, type))
                continue;
            pcsm_schema__free_attribute(&c->attributes[k]);
            memmove(&c->attributes[k], &c->attributes[k + 1],
                    (c->n_attributes - k - 1) * sizeof(*c->attributes));
            c->n_attributes--;
        }
    }
    /* One at a time, from the start: a drop may take others (a range's) along. */
    while (rc == 0) {
        for (i = 0; i < r->s->n_functions && !function_uses(&r->s->functions[i], ns, type); i++)
            ;
        if (i == r->s->n_functions)
            break;
        rc = drop_function_and_triggers(r, &r->s->functions[i], true);
    }
    /* A column of a partition key cannot go alone: its partitioned table goes. */
    for (i = 0; rc == 0 && i < r->s->n_tables; i++)
        for (k = 0; rc == 0 && k < r->s->tables[i].n_columns; k++)
            if (is_of_type(&r->s->tables[i].columns[k], ns, type) &&
                in_partition_key(&r->s->tables[i], r->s->tables[i].columns[k].name)) {
                char *name = pcsm__xstrdup(r->s->tables[i].name);
                char *schema = r->s->tables[i].schema ? pcsm__xstrdup(r->s->tables[i].schema)
                                                      : NULL;

                rc = drop_table_in(r, schema, &(struct pcsm_ddl_drop_table){
                                                  name, PCSM_DROP_CASCADE });
                free(name);
                free(schema);
                i = (size_t)-1;
                break;
            }
    for (i = 0; rc == 0 && i < r->s->n_tables; i++)
        for (k = r->s->tables[i].n_columns; rc == 0 && k-- > 0;)
            if (is_of_type(&r->s->tables[i].columns[k], ns, type)) {
                struct pcsm_ddl_drop_column dc = {
                    r->s->tables[i].name, r->s->tables[i].columns[k].name, PCSM_DROP_CASCADE,
                };

                rc = drop_column_in(r, r->s->tables[i].schema, &dc);
            }
    /* A domain or range over it goes with what uses that one, one at a time. */
    while (rc == 0) {
        const char *name = NULL, *over_ns = NULL;

        for (i = 0; !name && i < r->s->n_domains; i++)
            if (domain_over(&r->s->domains[i], ns, type))
                name = r->s->domains[i].name, over_ns = r->s->domains[i].schema;
        for (i = 0; !name && i < r->s->n_ranges; i++)
            if (range_over(&r->s->ranges[i], ns, type))
                name = r->s->ranges[i].name, over_ns = r->s->ranges[i].schema;
        if (!name)
            break;
        {
            char *dname = pcsm__xstrdup(name), *dns = dup_ns(over_ns);
            struct pcsm_ddl_drop_type dt = { dname, PCSM_DROP_CASCADE };

            rc = drop_type_in(r, dns, &dt);
            free(dname);
            free(dns);
        }
    }
    return rc;
}

/*
 * DROP TYPE of an enum, a domain, a composite or a range type (the
 * server's DROP TYPE takes each): what uses it refuses the drop, or goes
 * with it under CASCADE; a range's multirange type goes with it, and
 * what uses that too.
 */
static int drop_type_in(struct replay *r, const char *ns, const struct pcsm_ddl_drop_type *d)
{
    bool cascade = d->flags & PCSM_DROP_CASCADE;
    struct pcsm_schema_type *ty;
    struct pcsm_schema_domain *dom;
    struct pcsm_schema_composite *comp;
    struct pcsm_schema_range *rg = pcsm_schema__range_in(r->s, ns, d->type), *of;
    int rc;

    if (!rg && (of = pcsm_schema__range_of_multirange(r->s, ns, d->type)) != NULL)
        return fail(r, "type \"%s\" is the multirange type of range type \"%s\" (drop that "
                    "one)", d->type, of->name);
    if (!type_exists(r->s, ns, d->type)) {
        if (pcsm_schema__table_in(r->s, ns, d->type))
            return fail(r, "table \"%s\" requires its type (drop the table)", d->type);
        return d->flags & PCSM_IF_EXISTS ? 0
             : fail(r, "type \"%s\" does not exist", d->type);
    }
    if (rg) {
        char *multirange = pcsm_schema__multirange_name(rg);

        rc = drop_users(r, ns, multirange, cascade);
        free(multirange);
        if (rc < 0)
            return rc;
    }
    if ((rc = drop_users(r, ns, d->type, cascade)) < 0)
        return rc;
    if ((ty = pcsm_schema__type_in(r->s, ns, d->type)) != NULL)
        pcsm_schema__drop_type(r->s, ty);
    else if ((dom = pcsm_schema__domain_in(r->s, ns, d->type)) != NULL)
        pcsm_schema__drop_domain(r->s, dom);
    else if ((comp = pcsm_schema__composite_in(r->s, ns, d->type)) != NULL)
        pcsm_schema__drop_composite(r->s, comp);
    else if ((rg = pcsm_schema__range_in(r->s, ns, d->type)) != NULL)
        pcsm_schema__drop_range(r->s, rg);
    return 0;
}

static int drop_type(struct replay *r, const struct pcsm_ddl_drop_type *d)
{
    return drop_type_in(r, r->ns, d);
}

static void set_function(struct pcsm_schema_function *f, const pcsm_function *src)
{
    free(f->arguments);
    free(f->returns);
    free(f->language);
    free(f->body);
    f->arguments = pcsm__xstrdup(src->arguments);
    f->returns = pcsm__xstrdup(src->returns);
    f->language = pcsm__xstrdup(src->language);
    f->body = pcsm__xstrdup(src->body);
    f->volatility = src->volatility;
    f->strict = src->strict;
    f->security_definer = src->security_definer;
}

/*
 * CREATE OR REPLACE may name a parameter that had no name, but not rename
 * one: a call that passes it by name would break.
 */
static int check_argument_names(struct replay *r, const char *was, const char *now)
{
    char **old_names = pcsm_schema__argument_names(was);
    char **new_names = pcsm_schema__argument_names(now);
    size_t i;
    int rc = 0;

    for (i = 0; rc == 0 && old_names[i] && new_names[i]; i++)
        if (old_names[i][0] && strcmp(old_names[i], new_names[i]))
            rc = fail(r, "cannot change the name of input parameter \"%s\" (drop the "
                      "function first)", old_names[i]);
    pcsm_schema__free_names(old_names);
    pcsm_schema__free_names(new_names);
    return rc;
}

static int create_function(struct replay *r, const pcsm_function *src)
{
    char *signature = pcsm_schema__signature(src->arguments);
    struct pcsm_schema_function *f = pcsm_schema__function_in(r->s, r->ns, src->name,
                                                              signature);
    int rc = 0;

    if (f && !src->or_replace) {
        rc = fail(r, "function \"%s\" already exists with the same argument types",
                  src->name);
    } else if (f) {
        char *was = pcsm_schema__type_identity(f->returns);
        char *now = pcsm_schema__type_identity(src->returns);

        if (strcmp(was, now))
            rc = fail(r, "cannot change the return type of an existing function (drop it "
                      "first)");
        else
            rc = check_argument_names(r, f->arguments, src->arguments);
        if (rc == 0)
            set_function(f, src);
        free(was);
        free(now);
    } else {
        f = pcsm_schema__add_function(r->s);
        f->schema = dup_ns(r->ns);
        pcsm_schema__acl_for_new(r->s, PCSM_PRIVILEGE_FUNCTION, f->schema, &f->acl);
        f->name = pcsm__xstrdup(src->name);
        f->signature = signature;
        signature = NULL;
        set_function(f, src);
    }
    free(signature);
    return rc;
}

/*
 * The function an operation names in the schema in force: the one of that
 * argument list when it gives one (NULL), else the first of that name;
 * *n counts those of that name.
 */
static struct pcsm_schema_function *function_named(const struct replay *r, const char *name,
                                                   const char *arguments, size_t *n)
{
    struct pcsm_schema_function *f = NULL;
    size_t i;

    *n = 0;
    for (i = 0; i < r->s->n_functions; i++)
        if (!strcmp(r->s->functions[i].name, name) &&
            same_ns(r->s->functions[i].schema, r->ns) && !(*n)++)
            f = &r->s->functions[i];
    if (arguments) {
        char *signature = pcsm_schema__signature(arguments);

        f = pcsm_schema__function_in(r->s, r->ns, name, signature);
        free(signature);
    }
    return f;
}

static int drop_function(struct replay *r, const struct pcsm_ddl_drop_function *d)
{
    size_t n;
    struct pcsm_schema_function *f = function_named(r, d->function, d->arguments, &n);

    if (d->arguments) {
        if (!f && n) {
            /* Perhaps one of these, spelt another way: the model cannot tell. */
            const char *names[] = { d->function, NULL };

            add_opaque(r, "a function of argument types the model cannot match", NULL);
            r->s->opaque[r->s->n_opaque - 1].mentions = pcsm_schema__copy_names(names);
            return 0;
        }
    } else if (n > 1) {
        return fail(r, "function name \"%s\" is not unique (give its argument list)",
                    d->function);
    }
    if (!f)
        return d->flags & PCSM_IF_EXISTS ? 0
             : fail(r, "function \"%s\"(%s) does not exist", d->function,
                    d->arguments ? d->arguments : "");
    return drop_function_and_triggers(r, f, d->flags & PCSM_DROP_CASCADE);
}

static int create_trigger(struct replay *r, const pcsm_trigger *src)
{
    struct pcsm_schema_table *t = pcsm_schema__table_in(r->s, r->ns, src->table);
    const struct pcsm_schema_view *v;
    const struct pcsm_schema_function *f;
    struct pcsm_schema_trigger *tr;
    char *returns;
    bool is_trigger;

    if (!t && (v = pcsm_schema__view_in(r->s, r->ns, src->table)) != NULL) {
        /*
         * A view's trigger is not the model's: accepted as the server accepts
         * it (the catalog lists it as not modelled), checked no further.
         */
        if (v->materialized)
            return fail(r, "relation \"%s\" cannot have triggers (a materialized view)",
                        src->table);
        if (src->events & PCSM_ON_TRUNCATE)
            return fail(r, "\"%s\" is a view: views cannot have TRUNCATE triggers", src->table);
        if (src->timing != PCSM_INSTEAD_OF && src->for_each_row)
            return fail(r, "\"%s\" is a view: views cannot have row-level BEFORE or AFTER "
                        "triggers", src->table);
        return 0;
    }
    if (!t)
        return fail(r, "table \"%s\" does not exist", src->table);
    if (pcsm_schema__trigger(t, src->name))
        return fail(r, "trigger \"%s\" for \"%s\" already exists", src->name, src->table);
    if (src->timing == PCSM_INSTEAD_OF)
        return fail(r, "\"%s\" is a table: only views have INSTEAD OF triggers", src->table);
    /* The function keeps its own schema, whatever the table's. */
    f = pcsm_schema__function_in(r->s, src->function_schema, src->function, "");
    if (!f && src->function_schema && !knows_schema(r->s, src->function_schema))
        goto add;   /* a schema made outside the revisions: its functions are not the model's */
    if (!f)
        return fail(r, "function %s%s%s\"%s\"() does not exist",
                    src->function_schema ? "\"" : "",
                    src->function_schema ? src->function_schema : "",
                    src->function_schema ? "\"." : "", src->function);
    returns = pcsm_schema__type_identity(f->returns);
    is_trigger = !strcmp(returns, "trigger");
    free(returns);
    if (!is_trigger)
        return fail(r, "function \"%s\" must return type trigger", src->function);
add:
    tr = pcsm_schema__add_trigger(t);
    tr->name = pcsm__xstrdup(src->name);
    tr->timing = src->timing;
    tr->events = src->events;
    tr->for_each_row = src->for_each_row;
    tr->function = pcsm__xstrdup(src->function);
    tr->function_schema = dup_ns(src->function_schema);
    tr->when = src->when ? pcsm__xstrdup(src->when) : NULL;
    return 0;
}

static int drop_trigger(struct replay *r, const struct pcsm_ddl_drop_trigger *d)
{
    struct pcsm_schema_table *t = pcsm_schema__table_in(r->s, r->ns, d->table);
    struct pcsm_schema_trigger *tr = t ? pcsm_schema__trigger(t, d->trigger) : NULL;

    if (tr) {
        pcsm_schema__drop_trigger(t, tr);
        return 0;
    }
    if (d->flags & PCSM_IF_EXISTS || (!t && pcsm_schema__view_in(r->s, r->ns, d->table)))
        return 0;   /* a view's triggers are not the model's */
    if (!t)
        return fail(r, "table \"%s\" does not exist", d->table);
    return fail(r, "trigger \"%s\" for table \"%s\" does not exist", d->trigger, d->table);
}

/* A trigger raw SQL may have made (its table mentioned) is taken on trust. */
static int set_trigger_firing(struct replay *r, const struct pcsm_ddl_set_trigger_firing *f)
{
    struct pcsm_schema_table *t = pcsm_schema__table_in(r->s, r->ns, f->table);
    struct pcsm_schema_trigger *tr = t ? pcsm_schema__trigger(t, f->trigger) : NULL;
    const struct pcsm_schema_table *up;

    if (tr) {
        tr->firing = f->firing;
        return 0;
    }
    if (pcsm_schema__mentioned(r->s, f->table))
        return 0;   /* raw SQL's: not the model's */
    if (!t && pcsm_schema__view_in(r->s, r->ns, f->table))
        return fail(r, "ALTER action %s TRIGGER cannot be performed on relation \"%s\" (not "
                    "for views)", f->firing == PCSM_TRIGGER_DISABLE ? "DISABLE" : "ENABLE",
                    f->table);
    /* A partition's clone of a row trigger: not the model's (the catalog lists it). */
    for (up = t ? parent_of(r->s, t) : NULL; up; up = parent_of(r->s, up)) {
        const struct pcsm_schema_trigger *of = pcsm_schema__trigger(up, f->trigger);

        if (of && of->for_each_row)
            return 0;
    }
    if (!t)
        return fail(r, "table \"%s\" does not exist", f->table);
    return fail(r, "trigger \"%s\" for table \"%s\" does not exist", f->trigger, f->table);
}

/* --------------------------------------------------- row-level security */

static int create_policy(struct replay *r, const pcsm_policy *src)
{
    struct pcsm_schema_table *t = pcsm_schema__table_in(r->s, r->ns, src->table);
    struct pcsm_schema_policy *p;

    if (!t)
        return fail(r, "table \"%s\" does not exist", src->table);
    if (pcsm_schema__policy(t, src->name))
        return fail(r, "policy \"%s\" for table \"%s\" already exists", src->name,
                    src->table);
    p = pcsm_schema__add_policy(t);
    p->name = pcsm__xstrdup(src->name);
    p->command = src->command;
    p->restrictive = src->restrictive;
    p->roles = pcsm_schema__policy_roles(src->roles);
    p->using = src->using ? pcsm__xstrdup(src->using) : NULL;
    p->with_check = src->with_check ? pcsm__xstrdup(src->with_check) : NULL;
    return 0;
}

static int drop_policy(struct replay *r, const struct pcsm_ddl_drop_policy *d)
{
    struct pcsm_schema_table *t = pcsm_schema__table_in(r->s, r->ns, d->table);
    struct pcsm_schema_policy *p = t ? pcsm_schema__policy(t, d->policy) : NULL;

    if (p) {
        pcsm_schema__drop_policy(t, p);
        return 0;
    }
    if (d->flags & PCSM_IF_EXISTS)
        return 0;   /* the server skips a missing table too, with a notice */
    if (!t)
        return fail(r, "table \"%s\" does not exist", d->table);
    return fail(r, "policy \"%s\" for table \"%s\" does not exist", d->policy, d->table);
}

static int set_row_security(struct replay *r, const struct pcsm_ddl_set_row_security *d)
{
    struct pcsm_schema_table *t = pcsm_schema__table_in(r->s, r->ns, d->table);

    if (!t)
        return fail(r, "table \"%s\" does not exist", d->table);
    switch (d->how) {
    case PCSM_ROW_SECURITY_ENABLE: t->row_security = true; break;
    case PCSM_ROW_SECURITY_DISABLE: t->row_security = false; break;
    case PCSM_ROW_SECURITY_FORCE: t->force_row_security = true; break;
    case PCSM_ROW_SECURITY_NO_FORCE: t->force_row_security = false; break;
    case PCSM_ROW_SECURITY_NONE: break;
    }
    return 0;
}

/* ------------------------------------------- identity columns, sequences */

static int alter_column_type(struct replay *r, const struct pcsm_ddl_alter_column_type *a)
{
    struct pcsm_schema_table *t;
    struct pcsm_schema_column *c, *g;
    size_t i;
    int rc = find_column(r, a->table, a->column, &t, &c);

    if (rc < 0)
        return rc;
    g = generated_reading(t, c->name, c->name);
    if (g)
        return fail(r, "cannot alter type of a column used by a generated column (\"%s\")",
                    g->name);
    for (i = 0; i < t->n_policies; i++)
        if (policy_mentions(&t->policies[i], c->name))
            return fail(r, "cannot alter type of a column used in a policy definition "
                        "(\"%s\": drop it first, create it after)", t->policies[i].name);
    for (i = 0; i < t->n_triggers; i++)
        if (when_mentions(t->triggers[i].when, c->name))
            return fail(r, "cannot alter type of a column used in a trigger definition "
                        "(\"%s\": drop it first, create it after)", t->triggers[i].name);
    /* A view over the table whose query names the column (its reads are the target's). */
    for (i = 0; !r->ns && i < r->s->n_views; i++)
        if (pcsm_schema__names_contain(r->s->views[i].reads, t->name) &&
            mentions(r->s->views[i].query, c->name))
            return fail(r, "cannot alter type of a column used by a view or rule (\"%s\": "
                        "drop it first, create it after)", r->s->views[i].name);
    if (c->identity && (a->type.array_dims || (a->type.kind != PCSM_TYPE_SMALLINT &&
                                               a->type.kind != PCSM_TYPE_INTEGER &&
                                               a->type.kind != PCSM_TYPE_BIGINT)))
        return fail(r, "identity column type must be smallint, integer, or bigint");
    if (c->identity) {
        /* Its sequence takes the new type, as ALTER SEQUENCE AS would. */
        pcsm_sequence_options as = { .as = { .kind = a->type.kind } };
        pcsm_buf why = PCSM_BUF_INIT;

        if (pcsm_op__sequence_apply(&c->identity_options, false, PCSM_TYPE_NONE, &as,
                                    &why) < 0)
            rc = fail(r, "identity: %s", why.ptr);
        pcsm_buf_dispose(&why);
        if (rc < 0)
            return rc;
    }
    if (c->default_value.kind != PCSM_VALUE_NONE && c->default_type.kind == PCSM_TYPE_NONE)
        c->default_type = c->type;      /* takes c->type.name */
    else
        pcsm_schema__type_dispose(&c->type);
    c->type = pcsm_schema__type_copy(a->type);
    /* Without COLLATE the column takes the new type's default collation. */
    free(c->collation);
    c->collation = a->collation ? pcsm__xstrdup(a->collation) : NULL;
    return 0;
}

/* A default set or dropped: an identity or generated column has none of its own. */
static int check_has_default(struct replay *r, const struct pcsm_schema_column *c,
                             const char *table)
{
    if (c->identity)
        return fail(r, "column \"%s\" of relation \"%s\" is an identity column", c->name,
                    table);
    if (c->generated)
        return fail(r, "column \"%s\" of relation \"%s\" is a generated column", c->name,
                    table);
    return 0;
}

static int add_identity(struct replay *r, const struct pcsm_ddl_add_identity *a)
{
    struct pcsm_schema_table *t;
    struct pcsm_schema_column *c;
    int rc = find_column(r, a->table, a->column, &t, &c);

    if (rc < 0)
        return rc;
    if (c->identity)
        return fail(r, "column \"%s\" of relation \"%s\" is already an identity column",
                    c->name, t->name);
    if (c->generated)
        return fail(r, "column \"%s\" of relation \"%s\" is a generated column", c->name,
                    t->name);
    if (c->type.array_dims || (c->type.kind != PCSM_TYPE_SMALLINT &&
                               c->type.kind != PCSM_TYPE_INTEGER &&
                               c->type.kind != PCSM_TYPE_BIGINT))
        return fail(r, "identity column type must be smallint, integer, or bigint");
    if (!c->not_null)
        return fail(r, "column \"%s\" of relation \"%s\" must be declared NOT NULL before "
                    "identity can be added", c->name, t->name);
    if (c->default_value.kind != PCSM_VALUE_NONE)
        return fail(r, "column \"%s\" of relation \"%s\" already has a default value",
                    c->name, t->name);
    return make_identity(r, t, c, a->identity, &a->options);
}

static int set_identity(struct replay *r, const struct pcsm_ddl_set_identity *s)
{
    struct pcsm_schema_table *t;
    struct pcsm_schema_column *c;
    int rc = find_column(r, s->table, s->column, &t, &c);

    if (rc < 0)
        return rc;
    if (!c->identity)
        return fail(r, "column \"%s\" of relation \"%s\" is not an identity column",
                    c->name, t->name);
    c->identity = s->identity;
    return 0;
}

static int drop_identity(struct replay *r, const struct pcsm_ddl_drop_identity *d)
{
    struct pcsm_schema_table *t;
    struct pcsm_schema_column *c;
    int rc = find_column(r, d->table, d->column, &t, &c);

    if (rc < 0)
        return rc;
    if (!c->identity)
        return d->flags & PCSM_IF_EXISTS ? 0
             : fail(r, "column \"%s\" of relation \"%s\" is not an identity column",
                    c->name, t->name);
    /* It stays NOT NULL; its sequence goes. */
    c->identity = PCSM_IDENTITY_NONE;
    memset(&c->identity_options, 0, sizeof(c->identity_options));
    free(c->identity_sequence);
    c->identity_sequence = NULL;
    return 0;
}

/* The identity column whose sequence is `name`, or NULL. */
static struct pcsm_schema_column *identity_of(const pcsm_schema *s, const char *ns,
                                              const char *name,
                                              const struct pcsm_schema_table **table)
{
    size_t i, k;

    for (i = 0; i < s->n_tables; i++)
        for (k = 0; same_ns(s->tables[i].schema, ns) && k < s->tables[i].n_columns; k++)
            if (s->tables[i].columns[k].identity_sequence &&
                !strcmp(s->tables[i].columns[k].identity_sequence, name)) {
                *table = &s->tables[i];
                return &s->tables[i].columns[k];
            }
    return NULL;
}

static int set_owner(struct replay *r, struct pcsm_schema_sequence *q,
                     const struct pcsm_ddl_sequence *d)
{
    struct pcsm_schema_table *t;
    struct pcsm_schema_column *c;

    if (d->owned_by_table) {
        int rc = find_column(r, d->owned_by_table, d->owned_by_column, &t, &c);

        if (rc < 0)
            return rc;
    }
    if (!d->owned_by_table && !d->owned_by_none)
        return 0;
    free(q->owned_table);
    free(q->owned_column);
    q->owned_table = d->owned_by_table ? pcsm__xstrdup(d->owned_by_table) : NULL;
    q->owned_column = d->owned_by_column ? pcsm__xstrdup(d->owned_by_column) : NULL;
    return 0;
}

/* ---------------------------------------------------------- collations */

static int create_collation(struct replay *r, const pcsm_collation *src)
{
    struct pcsm_schema_collation *c;

    if (pcsm_schema__collation_in(r->s, r->ns, src->name))
        return fail(r, "collation \"%s\" already exists", src->name);
    c = pcsm_schema__add_collation(r->s);
    c->schema = dup_ns(r->ns);
    c->name = pcsm__xstrdup(src->name);
    c->provider = src->provider;
    c->collate = pcsm__xstrdup(src->locale ? src->locale : src->lc_collate);
    if (src->provider == PCSM_PROVIDER_LIBC)
        c->ctype = pcsm__xstrdup(src->locale ? src->locale : src->lc_ctype);
    c->nondeterministic = src->nondeterministic;
    return 0;
}

/*
 * Calls fn on every column and index key that names collation `name`: a
 * column names one without a schema, so it is the target schema's, found
 * through the search path (one of another schema is named by none).
 */
static int each_element_use(struct replay *r, pcsm_index_element *e, const char *name,
                            int (*fn)(struct replay *r, char **use, const char *where,
                                      const void *arg),
                            const char *where, const void *arg)
{
    int rc = 0;

    for (; rc == 0 && e && (e->column || e->expression); e++)
        if (e->collation && !strcmp(e->collation, name))
            rc = fn(r, (char **)&e->collation, where, arg);
    return rc;
}

static int each_collation_use(struct replay *r, const char *name,
                              int (*fn)(struct replay *r, char **use, const char *where,
                                        const void *arg),
                              const void *arg)
{
    pcsm_buf where = PCSM_BUF_INIT;
    size_t i, k;
    int rc = 0;

    for (i = 0; !r->ns && rc == 0 && i < r->s->n_tables; i++) {
        struct pcsm_schema_table *t = &r->s->tables[i];

        for (k = 0; rc == 0 && k < t->n_columns; k++)
            if (t->columns[k].collation && !strcmp(t->columns[k].collation, name)) {
                pcsm_buf_clear(&where);
                pcsm_buf_printf(&where, "column \"%s\" of table \"%s\"", t->columns[k].name,
                                t->name);
                rc = fn(r, &t->columns[k].collation, where.ptr, arg);
            }
    }
    for (i = 0; !r->ns && rc == 0 && i < r->s->n_ranges; i++)
        if (r->s->ranges[i].collation && !strcmp(r->s->ranges[i].collation, name)) {
            pcsm_buf_clear(&where);
            pcsm_buf_printf(&where, "range type \"%s\"", r->s->ranges[i].name);
            rc = fn(r, &r->s->ranges[i].collation, where.ptr, arg);
        }
    for (i = 0; !r->ns && rc == 0 && i < r->s->n_indexes; i++) {
        pcsm_buf_clear(&where);
        pcsm_buf_printf(&where, "index \"%s\"", r->s->indexes[i].name);
        rc = each_element_use(r, r->s->indexes[i].elements, name, fn, where.ptr, arg);
    }
    /* An exclusion constraint's keys, as an index's. */
    for (i = 0; !r->ns && rc == 0 && i < r->s->n_tables; i++) {
        struct pcsm_schema_table *t = &r->s->tables[i];

        for (k = 0; rc == 0 && k < t->n_constraints; k++) {
            pcsm_buf_clear(&where);
            pcsm_buf_printf(&where, "constraint \"%s\" of table \"%s\"",
                            t->constraints[k].name ? t->constraints[k].name : "?", t->name);
            rc = each_element_use(r, t->constraints[k].elements, name, fn, where.ptr, arg);
        }
    }
    pcsm_buf_dispose(&where);
    return rc;
}

static int rename_use(struct replay *r, char **use, const char *where, const void *arg)
{
    (void)r;
    (void)where;
    free(*use);
    *use = pcsm__xstrdup(arg);
    return 0;
}

static int refuse_use(struct replay *r, char **use, const char *where, const void *arg)
{
    (void)use;
    return fail(r, "cannot drop collation \"%s\": %s uses it (alter it first; CASCADE would "
                "drop the column)", (const char *)arg, where);
}

static int rename_collation(struct replay *r, const struct pcsm_ddl_rename_collation *d)
{
    struct pcsm_schema_collation *c = pcsm_schema__collation_in(r->s, r->ns, d->collation);

    if (!c)
        return fail(r, "collation \"%s\" does not exist", d->collation);
    if (pcsm_schema__collation_in(r->s, r->ns, d->new_name))
        return fail(r, "collation \"%s\" already exists", d->new_name);
    free(c->name);
    c->name = pcsm__xstrdup(d->new_name);
    return each_collation_use(r, d->collation, rename_use, d->new_name);
}

static int drop_collation(struct replay *r, const struct pcsm_ddl_drop_collation *d)
{
    struct pcsm_schema_collation *c = pcsm_schema__collation_in(r->s, r->ns, d->collation);
    int rc;

    if (!c)
        return d->flags & PCSM_IF_EXISTS ? 0
             : fail(r, "collation \"%s\" does not exist", d->collation);
    rc = each_collation_use(r, d->collation, refuse_use, d->collation);
    if (rc == 0)
        pcsm_schema__drop_collation(r->s, c);
    return rc;
}

/* ------------------------------------------------------ composite types */

static void copy_attribute_into(pcsm_attribute *dst, const pcsm_attribute *src)
{
    dst->name = pcsm__xstrdup(src->name);
    dst->type = pcsm_schema__type_copy(src->type);
    dst->collation = src->collation ? pcsm__xstrdup(src->collation) : NULL;
}

static int create_composite_type(struct replay *r,
                                 const struct pcsm_ddl_create_composite_type *c)
{
    struct pcsm_schema_composite *t;
    size_t i;

    if (type_exists(r->s, r->ns, c->type) || relation_exists(r->s, r->ns, c->type))
        return fail(r, "type \"%s\" already exists", c->type);
    t = pcsm_schema__add_composite(r->s);
    t->schema = dup_ns(r->ns);
    pcsm_schema__acl_for_new(r->s, PCSM_PRIVILEGE_TYPE, t->schema, &t->acl);
    t->name = pcsm__xstrdup(c->type);
    for (i = 0; i < c->n_attributes; i++)
        copy_attribute_into(pcsm_schema__add_attribute(t), &c->attributes[i]);
    return 0;
}

/* ------------------------------------------------------------ range types */

/*
 * A type of that name, a table's or a view's row type among them (an
 * index or a sequence has none: a range may share its name).
 */
static bool row_type_exists(const pcsm_schema *s, const char *ns, const char *name)
{
    return type_exists(s, ns, name) || pcsm_schema__table_in(s, ns, name) ||
           pcsm_schema__view_in(s, ns, name);
}

/*
 * CREATE TYPE AS RANGE: the range and its multirange type each take a
 * name among the schema's types.  A subtype_diff in another schema must
 * be a function the model knows; one found by the path may be the
 * target's or pg_catalog's (float8mi), which the model cannot see, and
 * pg_catalog named is the same one, as the catalog reads it.
 */
static int create_range_type(struct replay *r, const pcsm_range_type *src)
{
    struct pcsm_schema_range *rg, probe = { .name = (char *)src->name,
                                            .multirange = (char *)src->multirange_type_name };
    char *multirange = pcsm_schema__multirange_name(&probe), *own;
    const char *diff_schema = pcsm_schema__str_eq(src->subtype_diff_schema, "pg_catalog")
                            ? NULL : src->subtype_diff_schema;
    int rc = 0;

    probe.multirange = NULL;
    own = pcsm_schema__multirange_name(&probe);
    if (row_type_exists(r->s, r->ns, src->name))
        rc = fail(r, "type \"%s\" already exists", src->name);
    else if (row_type_exists(r->s, r->ns, multirange))
        rc = fail(r, "type \"%s\" already exists (the multirange type of \"%s\"%s)",
                  multirange, src->name, src->multirange_type_name ? ""
                  : ": name another with multirange_type_name");
    else if (src->collation && src->subtype.kind == PCSM_TYPE_NAMED &&
             (pcsm_schema__type_in(r->s, src->subtype.schema, src->subtype.name) ||
              pcsm_schema__composite_in(r->s, src->subtype.schema, src->subtype.name) ||
              pcsm_schema__range_in(r->s, src->subtype.schema, src->subtype.name)))
        rc = fail(r, "range collation specified but subtype \"%s\" does not support "
                  "collation", src->subtype.name);
    else if (diff_schema &&
             !pcsm_schema__function_in(r->s, diff_schema, src->subtype_diff, NULL))
        rc = fail(r, "function \"%s\".\"%s\" does not exist", diff_schema,
                  src->subtype_diff);
    if (rc == 0) {
        rg = pcsm_schema__add_range(r->s);
        rg->schema = dup_ns(r->ns);
        rg->name = pcsm__xstrdup(src->name);
        rg->subtype = pcsm_schema__type_copy(src->subtype);
        rg->subtype_opclass = src->subtype_opclass ? pcsm__xstrdup(src->subtype_opclass) : NULL;
        rg->collation = src->collation ? pcsm__xstrdup(src->collation) : NULL;
        rg->subtype_diff = src->subtype_diff ? pcsm__xstrdup(src->subtype_diff) : NULL;
        rg->subtype_diff_schema = dup_ns(diff_schema);
        /* The server's own name, given, is the server's own name: as the catalog reads it. */
        rg->multirange = strcmp(multirange, own) ? pcsm__xstrdup(multirange) : NULL;
        pcsm_schema__acl_for_new(r->s, PCSM_PRIVILEGE_TYPE, rg->schema, &rg->acl);
    }
    free(multirange);
    free(own);
    return rc;
}

/*
 * The first column whose values hold type ns.type, as "t.c", or NULL
 * (lent: a static buffer): one of the type, or of a domain over it or a
 * composite type with an attribute of it, at any depth, as the server's
 * find_composite_type_dependencies() looks.  Types nest without cycles;
 * `depth` only bounds a model gone wrong.
 */
static const char *column_of_type(const pcsm_schema *s, const char *ns, const char *type,
                                  int depth)
{
    static char where[2 * 64 + 2];
    const char *found = NULL;
    size_t i, k;

    for (i = 0; i < s->n_tables; i++)
        for (k = 0; k < s->tables[i].n_columns; k++)
            if (is_of_type(&s->tables[i].columns[k], ns, type)) {
                snprintf(where, sizeof(where), "%s.%s", s->tables[i].name,
                         s->tables[i].columns[k].name);
                return where;
            }
    if (depth > 32)
        return NULL;
    for (i = 0; !found && i < s->n_domains; i++)
        if (domain_over(&s->domains[i], ns, type))
            found = column_of_type(s, s->domains[i].schema, s->domains[i].name, depth + 1);
    for (i = 0; !found && i < s->n_composites; i++)
        for (k = 0; !found && k < s->composites[i].n_attributes; k++)
            if (attribute_of_type(&s->composites[i].attributes[k], ns, type))
                found = column_of_type(s, s->composites[i].schema, s->composites[i].name,
                                       depth + 1);
    /* A range's values hold its subtype's, and so do its multirange type's. */
    for (i = 0; !found && i < s->n_ranges; i++)
        if (range_over(&s->ranges[i], ns, type)) {
            char *multirange = pcsm_schema__multirange_name(&s->ranges[i]);

            found = column_of_type(s, s->ranges[i].schema, s->ranges[i].name, depth + 1);
            if (!found)
                found = column_of_type(s, s->ranges[i].schema, multirange, depth + 1);
            free(multirange);
        }
    return found;
}

static int alter_composite_type(struct replay *r,
                                const struct pcsm_ddl_alter_composite_type *a)
{
    struct pcsm_schema_composite *t = pcsm_schema__composite_in(r->s, r->ns, a->type);
    pcsm_attribute *at = NULL;
    const char *user;
    size_t i;

    if (!t)
        return fail(r, type_exists(r->s, r->ns, a->type) ? "\"%s\" is not a composite type"
                                                          : "type \"%s\" does not exist",
                    a->type);
    for (i = 0; i < t->n_attributes; i++)
        if (!strcmp(t->attributes[i].name, a->attribute.name))
            at = &t->attributes[i];
    if (a->action == PCSM_ATTRIBUTE_ADD) {
        if (at)
            return fail(r, "column \"%s\" of relation \"%s\" already exists",
                        a->attribute.name, a->type);
        copy_attribute_into(pcsm_schema__add_attribute(t), &a->attribute);
        return 0;
    }
    if (!at)
        return a->action == PCSM_ATTRIBUTE_DROP && (a->flags & PCSM_IF_EXISTS) ? 0
             : fail(r, "column \"%s\" of relation \"%s\" does not exist", a->attribute.name,
                    a->type);
    switch (a->action) {
    case PCSM_ATTRIBUTE_DROP:
        pcsm_schema__free_attribute(at);
        memmove(at, at + 1, (size_t)(t->attributes + t->n_attributes - at - 1) * sizeof(*at));
        t->n_attributes--;
        return 0;
    case PCSM_ATTRIBUTE_ALTER_TYPE:
        user = column_of_type(r->s, r->ns, a->type, 0);
        if (user)
            return fail(r, "cannot alter type \"%s\" because column \"%s\" uses it", a->type,
                        user);
        pcsm_schema__free_attribute(at);
        copy_attribute_into(at, &a->attribute);
        return 0;
    case PCSM_ATTRIBUTE_RENAME:
        for (i = 0; i < t->n_attributes; i++)
            if (!strcmp(t->attributes[i].name, a->new_name))
                return fail(r, "column \"%s\" of relation \"%s\" already exists", a->new_name,
                            a->type);
        free((char *)at->name);
        at->name = pcsm__xstrdup(a->new_name);
        return 0;
    case PCSM_ATTRIBUTE_ADD:
        break;
    }
    return fail(r, "unknown ALTER TYPE action %d", (int)a->action);
}

/* ------------------------------------------------------------- domains */

/* The domain an operation names, or a failure as the server words it. */
static int find_domain(struct replay *r, const char *name, struct pcsm_schema_domain **out)
{
    *out = pcsm_schema__domain_in(r->s, r->ns, name);
    if (*out)
        return 0;
    return fail(r, pcsm_schema__type_in(r->s, r->ns, name) ? "\"%s\" is not a domain"
                                                           : "type \"%s\" does not exist", name);
}

/*
 * Adds a CHECK to d as the server does: a name given must be free among
 * d's; none given, the server's <domain>_check, numbered past every
 * constraint name of the schema.
 */
static int add_domain_check(struct replay *r, struct pcsm_schema_domain *d,
                            const pcsm_constraint *src)
{
    struct pcsm_schema_constraint *c;
    struct taken k = { r->s, d->schema, false, true, NULL, 0 };
    char *name;

    if (src->name && pcsm_schema__domain_constraint(d, src->name))
        return fail(r, "constraint \"%s\" for domain \"%s\" already exists", src->name,
                    d->name);
    name = src->name ? pcsm__xstrdup(src->name)
                     : pcsm_schema__choose_name(d->name, NULL, "check", name_taken, &k);
    c = pcsm_schema__add_domain_constraint(d);
    c->name = name;
    c->kind = PCSM_CHECK;
    c->check = pcsm__xstrdup(src->check);
    c->not_valid = src->not_valid;
    return 0;
}

static int create_domain(struct replay *r, const pcsm_domain *src)
{
    struct pcsm_schema_domain *d;
    const pcsm_constraint *c;
    int rc = 0;

    if (type_exists(r->s, r->ns, src->name) || pcsm_schema__table_in(r->s, r->ns, src->name) ||
        pcsm_schema__view_in(r->s, r->ns, src->name))
        return fail(r, "type \"%s\" already exists", src->name);
    if (src->type.kind == PCSM_TYPE_NAMED && !src->type.array_dims &&
        same_ns(src->type.schema, r->ns) && !strcmp(src->type.name, src->name))
        return fail(r, "a domain cannot be over itself");
    d = pcsm_schema__add_domain(r->s);
    d->schema = dup_ns(r->ns);
    pcsm_schema__acl_for_new(r->s, PCSM_PRIVILEGE_TYPE, d->schema, &d->acl);
    d->name = pcsm__xstrdup(src->name);
    d->type = pcsm_schema__type_copy(src->type);
    d->collation = src->collation ? pcsm__xstrdup(src->collation) : NULL;
    copy_value(&d->default_value, src->default_value);
    d->not_null = src->not_null;
    for (c = src->constraints; rc == 0 && c && c->kind != PCSM_CONSTRAINT_NONE; c++)
        rc = add_domain_check(r, &r->s->domains[r->s->n_domains - 1], c);
    return rc;
}

/* A domain renamed: the columns and the domains over it name the new name. */
static int rename_domain(struct replay *r, struct pcsm_schema_domain *d, const char *new_name)
{
    char *old;
    size_t i, k;

    if (type_exists(r->s, r->ns, new_name) || pcsm_schema__table_in(r->s, r->ns, new_name) ||
        pcsm_schema__view_in(r->s, r->ns, new_name))
        return fail(r, "type \"%s\" already exists", new_name);
    old = d->name;
    d->name = pcsm__xstrdup(new_name);
    for (i = 0; i < r->s->n_tables; i++)
        for (k = 0; k < r->s->tables[i].n_columns; k++) {
            struct pcsm_schema_column *c = &r->s->tables[i].columns[k];

            if (is_of_type(c, r->ns, old)) {
                free((char *)c->type.name);
                c->type.name = pcsm__xstrdup(new_name);
            }
        }
    for (i = 0; i < r->s->n_domains; i++)
        if (domain_over(&r->s->domains[i], r->ns, old)) {
            free((char *)r->s->domains[i].type.name);
            r->s->domains[i].type.name = pcsm__xstrdup(new_name);
        }
    for (i = 0; i < r->s->n_composites; i++)
        for (k = 0; k < r->s->composites[i].n_attributes; k++) {
            pcsm_attribute *a = &r->s->composites[i].attributes[k];

            if (attribute_of_type(a, r->ns, old)) {
                free((char *)a->type.name);
                a->type.name = pcsm__xstrdup(new_name);
            }
        }
    for (i = 0; i < r->s->n_ranges; i++)
        if (range_over(&r->s->ranges[i], r->ns, old)) {
            free((char *)r->s->ranges[i].subtype.name);
            r->s->ranges[i].subtype.name = pcsm__xstrdup(new_name);
        }
    free(old);
    return 0;
}

static int alter_domain(struct replay *r, const struct pcsm_ddl_alter_domain *a)
{
    struct pcsm_schema_domain *d;
    struct pcsm_schema_constraint *c = NULL;
    const char *cname = a->constraint.name;
    int rc = find_domain(r, a->domain, &d);

    if (rc < 0)
        return rc;
    if (a->action == PCSM_DOMAIN_DROP_CONSTRAINT ||
        a->action == PCSM_DOMAIN_VALIDATE_CONSTRAINT ||
        a->action == PCSM_DOMAIN_RENAME_CONSTRAINT) {
        c = pcsm_schema__domain_constraint(d, cname);
        if (!c && a->action == PCSM_DOMAIN_DROP_CONSTRAINT && (a->flags & PCSM_IF_EXISTS))
            return 0;
        if (!c)
            return fail(r, "constraint \"%s\" of domain \"%s\" does not exist", cname,
                        a->domain);
    }
    switch (a->action) {
    case PCSM_DOMAIN_RENAME:
        return rename_domain(r, d, a->new_name);
    case PCSM_DOMAIN_SET_DEFAULT:
        free((char *)d->default_value.text);
        copy_value(&d->default_value, a->value);
        return 0;
    case PCSM_DOMAIN_DROP_DEFAULT:
        free((char *)d->default_value.text);
        d->default_value = (pcsm_value){ PCSM_VALUE_NONE, NULL };
        return 0;
    case PCSM_DOMAIN_SET_NOT_NULL:
    case PCSM_DOMAIN_DROP_NOT_NULL:
        d->not_null = a->action == PCSM_DOMAIN_SET_NOT_NULL;
        return 0;
    case PCSM_DOMAIN_ADD_CONSTRAINT:
        return add_domain_check(r, d, &a->constraint);
    case PCSM_DOMAIN_DROP_CONSTRAINT:
        pcsm_schema__drop_domain_constraint(d, c);
        return 0;
    case PCSM_DOMAIN_VALIDATE_CONSTRAINT:
        c->not_valid = false;
        return 0;
    case PCSM_DOMAIN_RENAME_CONSTRAINT:
        if (pcsm_schema__domain_constraint(d, a->new_name))
            return fail(r, "constraint \"%s\" for domain \"%s\" already exists", a->new_name,
                        a->domain);
        free(c->name);
        c->name = pcsm__xstrdup(a->new_name);
        return 0;
    }
    return fail(r, "unknown ALTER DOMAIN action %d", (int)a->action);
}

static int drop_domain(struct replay *r, const struct pcsm_ddl_drop_domain *d)
{
    struct pcsm_ddl_drop_type dt = { d->domain, d->flags };

    /* DROP DOMAIN takes a domain only, where DROP TYPE takes any type. */
    if (!pcsm_schema__domain_in(r->s, r->ns, d->domain) &&
        (type_exists(r->s, r->ns, d->domain) || pcsm_schema__table_in(r->s, r->ns, d->domain) ||
         pcsm_schema__view_in(r->s, r->ns, d->domain)))
        return fail(r, "\"%s\" is not a domain", d->domain);
    return drop_type_in(r, r->ns, &dt);
}

static int create_sequence(struct replay *r, const struct pcsm_ddl_sequence *d)
{
    struct pcsm_schema_sequence *q;
    struct pcsm_seq_state st;
    pcsm_buf why = PCSM_BUF_INIT;
    int rc;

    if (relation_exists(r->s, r->ns, d->sequence))
        return fail(r, "relation \"%s\" already exists", d->sequence);
    if (d->owned_by_table) {
        struct pcsm_schema_table *t;
        struct pcsm_schema_column *c;

        rc = find_column(r, d->owned_by_table, d->owned_by_column, &t, &c);
        if (rc < 0)
            return rc;
    }
    /* Checked whole when recorded: cannot fail here. */
    rc = pcsm_op__sequence_apply(&st, true, PCSM_TYPE_BIGINT, &d->options, &why);
    pcsm_buf_dispose(&why);
    if (rc < 0)
        return fail(r, "invalid options");
    q = pcsm_schema__add_sequence(r->s);
    q->schema = dup_ns(r->ns);
    q->name = pcsm__xstrdup(d->sequence);
    pcsm_schema__acl_for_new(r->s, PCSM_PRIVILEGE_SEQUENCE, q->schema, &q->acl);
    q->options = st;
    return set_owner(r, q, d);
}

static int alter_sequence(struct replay *r, const struct pcsm_ddl_sequence *d)
{
    struct pcsm_schema_sequence *q = pcsm_schema__sequence_in(r->s, r->ns, d->sequence);
    const struct pcsm_schema_table *t = NULL;
    struct pcsm_schema_column *c = q ? NULL : identity_of(r->s, r->ns, d->sequence, &t);
    struct pcsm_seq_state *st = q ? &q->options : c ? &c->identity_options : NULL;
    pcsm_buf why = PCSM_BUF_INIT;
    int rc;

    if (!st)
        return fail(r, "sequence \"%s\" does not exist", d->sequence);
    if (c && (d->owned_by_table || d->owned_by_none))
        return fail(r, "cannot change ownership of identity sequence (it is column \"%s\" of "
                    "\"%s\")", c->name, t->name);
    if (pcsm_op__sequence_apply(st, false, PCSM_TYPE_NONE, &d->options, &why) < 0) {
        rc = fail(r, "%s", why.ptr);
        pcsm_buf_dispose(&why);
        return rc;
    }
    pcsm_buf_dispose(&why);
    return q ? set_owner(r, q, d) : 0;
}

static int rename_sequence(struct replay *r, const struct pcsm_ddl_rename_sequence *d)
{
    struct pcsm_schema_sequence *q = pcsm_schema__sequence_in(r->s, r->ns, d->sequence);
    const struct pcsm_schema_table *t = NULL;
    struct pcsm_schema_column *c = q ? NULL : identity_of(r->s, r->ns, d->sequence, &t);
    size_t i, k;

    if (!q && !c)
        return fail(r, "sequence \"%s\" does not exist", d->sequence);
    if (relation_exists(r->s, r->ns, d->new_name))
        return fail(r, "relation \"%s\" already exists", d->new_name);
    if (c) {
        free(c->identity_sequence);
        c->identity_sequence = pcsm__xstrdup(d->new_name);
        return 0;
    }
    for (i = 0; i < r->s->n_tables; i++)
        for (k = 0; k < r->s->tables[i].n_columns; k++)
            rename_nextval(&r->s->tables[i].columns[k].default_value, r->ns, d->sequence,
                           d->new_name);
    free(q->name);
    q->name = pcsm__xstrdup(d->new_name);
    return 0;
}

static int drop_sequence(struct replay *r, const struct pcsm_ddl_drop_sequence *d)
{
    struct pcsm_schema_sequence *q = pcsm_schema__sequence_in(r->s, r->ns, d->sequence);
    const struct pcsm_schema_table *t = NULL;
    struct pcsm_schema_column *c = q ? NULL : identity_of(r->s, r->ns, d->sequence, &t);
    size_t i, k;

    if (c)
        return fail(r, "cannot drop sequence \"%s\" because column \"%s\" of table \"%s\" "
                    "requires it (drop the identity)", d->sequence, c->name, t->name);
    if (!q)
        return d->flags & PCSM_IF_EXISTS ? 0
             : fail(r, "sequence \"%s\" does not exist", d->sequence);
    /* A default that calls nextval() on it depends on it. */
    for (i = 0; i < r->s->n_tables; i++)
        for (k = 0; k < r->s->tables[i].n_columns; k++) {
            struct pcsm_schema_column *col = &r->s->tables[i].columns[k];

            if (!calls_nextval(col->default_value, r->ns, d->sequence))
                continue;
            if (!(d->flags & PCSM_DROP_CASCADE))
                return fail(r, "default value for column \"%s\" of table \"%s\" depends on "
                            "it (drop the default, or CASCADE)", col->name,
                            r->s->tables[i].name);
            free((char *)col->default_value.text);
            col->default_value = (pcsm_value){ PCSM_VALUE_NONE, NULL };
            forget_default_type(col);
        }
    pcsm_schema__drop_sequence(r->s, pcsm_schema__sequence_in(r->s, r->ns, d->sequence));
    return 0;
}

/* ------------------------------------------------------------------ views */

static bool reads_name(const struct pcsm_schema_view *v, const char *name)
{
    return pcsm_schema__names_contain(v->reads, name);
}

/*
 * The first view whose `reads` name ns.name: it depends on it.  A view's
 * reads are the target schema's names, so nothing in another schema has one.
 */
static const struct pcsm_schema_view *first_reader(const pcsm_schema *s, const char *ns,
                                                   const char *name)
{
    size_t i;

    if (ns)
        return NULL;
    for (i = 0; i < s->n_views; i++)
        if (reads_name(&s->views[i], name))
            return &s->views[i];
    return NULL;
}

static const char *view_kind(const struct pcsm_schema_view *v)
{
    return v->materialized ? "materialized view" : "view";
}

/* DROP without CASCADE of what a view reads: refused, as the server does. */
static int refuse_readers(struct replay *r, const char *ns, const char *name)
{
    const struct pcsm_schema_view *v = first_reader(r->s, ns, name);

    return fail(r, "%s \"%s\" depends on it (drop it first, or CASCADE)", view_kind(v),
                v->name);
}

/* The view ns.name with everything that reads it, and its indexes. */
static void drop_view_cascade(pcsm_schema *s, const char *ns, const char *name)
{
    char *own = pcsm__xstrdup(name), *own_ns = dup_ns(ns);
    size_t i;

    drop_readers(s, own_ns, own);
    for (i = s->n_indexes; i-- > 0;)
        if (index_on(&s->indexes[i], own_ns, own))
            pcsm_schema__drop_index(s, &s->indexes[i]);
    if (pcsm_schema__view_in(s, own_ns, own))
        pcsm_schema__drop_view(s, pcsm_schema__view_in(s, own_ns, own));
    free(own);
    free(own_ns);
}

/* DROP ... CASCADE: the views that read ns.name, and theirs in turn. */
static void drop_readers(pcsm_schema *s, const char *ns, const char *name)
{
    const struct pcsm_schema_view *v;

    while ((v = first_reader(s, ns, name)) != NULL)
        drop_view_cascade(s, v->schema, v->name);
}

/*
 * A relation renamed: the views that read it follow, as the server's do
 * (it keeps the parsed query, not the text): their `reads` and every
 * mention of the name in their query, which a column of the same name
 * would share.
 */
static void rename_read(pcsm_schema *s, const char *ns, const char *from, const char *to)
{
    size_t i;

    for (i = 0; !ns && i < s->n_views; i++) {
        if (!reads_name(&s->views[i], from))
            continue;
        rename_names(s->views[i].reads, from, to);
        rename_in(&s->views[i].query, from, to);
    }
}

static void add_mention(struct pcsm_schema_opaque *x, const char *name)
{
    struct collect c = { x->mentions, 0, 0 };

    while (c.names && c.names[c.n])
        c.n++;
    c.cap = c.n + 1;
    on_collect(NULL, 0, name, &c);
    x->mentions = c.names;
}

/*
 * What happened to the views reading `table` is not known (a column of it
 * renamed, or dropped with CASCADE): each is named by an opaque entry,
 * so that a diff lists it as not verified.
 */
static void readers_unverified(struct replay *r, const char *ns, const char *table,
                               const char *what)
{
    struct pcsm_schema_opaque *x = NULL;
    size_t i;

    for (i = 0; !ns && i < r->s->n_views; i++) {
        if (!reads_name(&r->s->views[i], table))
            continue;
        if (!x) {
            add_opaque(r, what, NULL);
            x = &r->s->opaque[r->s->n_opaque - 1];
            add_mention(x, table);
        }
        add_mention(x, r->s->views[i].name);
    }
}

/* CREATE OR REPLACE VIEW keeps the columns it had, in order; it may add some at the end. */
static int check_replaced_columns(struct replay *r, const struct pcsm_schema_view *was,
                                  char *const *now)
{
    size_t i;

    if (!was->columns || !now)
        return 0;       /* the query's own names: the server checks them, not the model */
    for (i = 0; was->columns[i]; i++) {
        if (!now[i])
            return fail(r, "cannot drop columns from view");
        if (strcmp(was->columns[i], now[i]))
            return fail(r, "cannot change name of view column \"%s\" to \"%s\"",
                        was->columns[i], now[i]);
    }
    return 0;
}

/* The query as the renderer writes it: trailing blanks and one ';' dropped. */
static char *view_query(const char *sql)
{
    pcsm_buf out = PCSM_BUF_INIT;

    pcsm_buf_put(&out, sql, pcsm_sql__statement_len(sql));
    return pcsm_buf_detach(&out);
}

static int create_view(struct replay *r, const pcsm_view *src, bool materialized)
{
    struct pcsm_schema_view *v = pcsm_schema__view_in(r->s, r->ns, src->name);
    size_t i;
    int rc;

    if (v && src->or_replace && !v->materialized) {
        rc = check_replaced_columns(r, v, (char *const *)src->columns);
        if (rc < 0)
            return rc;
    } else if (v && src->or_replace) {
        return fail(r, "\"%s\" is not a view", src->name);
    } else if (relation_exists(r->s, r->ns, src->name)) {
        return fail(r, src->or_replace && pcsm_schema__table_in(r->s, r->ns, src->name)
                       ? "\"%s\" is not a view" : "relation \"%s\" already exists",
                    src->name);
    } else if (type_exists(r->s, r->ns, src->name)) {
        return fail(r, "type \"%s\" already exists", src->name);
    }
    for (i = 0; src->reads && src->reads[i]; i++) {
        const char *name = src->reads[i];

        if (pcsm_schema__table(r->s, name) ||
            (pcsm_schema__view(r->s, name) && (r->ns || strcmp(name, src->name))) ||
            pcsm_schema__mentioned(r->s, name))
            continue;
        return fail(r, "relation \"%s\" does not exist (the query reads it)", name);
    }
    if (!v) {
        v = pcsm_schema__add_view(r->s);
        v->schema = dup_ns(r->ns);
        pcsm_schema__acl_for_new(r->s, PCSM_PRIVILEGE_TABLE, v->schema, &v->acl);
    } else {
        pcsm_schema__free_names(v->columns);
        free(v->query);
        pcsm_schema__free_names(v->reads);
        free(v->name);
    }
    v->name = pcsm__xstrdup(src->name);
    v->columns = pcsm_schema__copy_names(src->columns);
    v->query = view_query(src->query);
    v->reads = pcsm_schema__copy_names(src->reads);
    v->materialized = materialized;
    v->populated = materialized && !src->no_data;
    if (!src->reads) {
        /* What it reads is the server's to know: the model names it as raw SQL does. */
        pcsm_buf what = PCSM_BUF_INIT;

        pcsm_buf_printf(&what, "%s \"%s\" without reads: what its query reads is not known",
                        view_kind(v), src->name);
        add_opaque(r, what.ptr, src->query);
        add_mention(&r->s->opaque[r->s->n_opaque - 1], src->name);
        pcsm_buf_dispose(&what);
    }
    return 0;
}

/* The view an operation names, of the kind it names, or a failure as the server words it. */
static int find_view(struct replay *r, const char *name, bool materialized, bool if_exists,
                     struct pcsm_schema_view **out)
{
    *out = pcsm_schema__view_in(r->s, r->ns, name);
    if (*out && (*out)->materialized != materialized)
        return fail(r, "\"%s\" is not a %s", name, materialized ? "materialized view" : "view");
    if (!*out && relation_exists(r->s, r->ns, name))
        return fail(r, "\"%s\" is not a %s", name, materialized ? "materialized view" : "view");
    if (!*out && !if_exists)
        return fail(r, "%s \"%s\" does not exist", materialized ? "materialized view" : "view",
                    name);
    return 0;
}

/* ------------------------------------------------------------- privileges */

/*
 * The privileges of a table's or a view's columns, each found, into
 * acls[] (as many as columns); a view's are not modelled.
 */
static int column_acls(struct replay *r, struct pcsm_schema_table *t, const char *name,
                       const char *const *columns, struct pcsm_schema_acl **acls)
{
    size_t i;

    if (!t)
        return fail(r, "column privileges on view \"%s\" are not modelled: grant on the "
                    "view, or use pcsm_execute()", name);
    for (i = 0; columns[i]; i++) {
        struct pcsm_schema_column *c = pcsm_schema__column(t, columns[i]);

        if (!c)
            return fail(r, "column \"%s\" of relation \"%s\" does not exist", columns[i],
                        name);
        acls[i] = &c->acl;
    }
    return 0;
}

/*
 * The privileges a grant names: *acl the object's, or `n` columns' in
 * acls[]; both NULL when raw SQL may have made the object, which is then
 * taken on trust.
 */
static int grant_target(struct replay *r, const pcsm_privileges *g, struct pcsm_schema_acl **acl,
                        struct pcsm_schema_acl **acls)
{
    const char *name = g->name;

    *acl = NULL;
    switch (g->on) {
    case PCSM_PRIVILEGE_TABLE: {
        struct pcsm_schema_table *t = pcsm_schema__table_in(r->s, r->ns, name);
        struct pcsm_schema_view *v = t ? NULL : pcsm_schema__view_in(r->s, r->ns, name);

        if (!t && !v) {
            struct pcsm_schema_sequence *q = pcsm_schema__sequence_in(r->s, r->ns, name);

            /* ON TABLE of a sequence is the server's old spelling, for what both take. */
            if (q && !g->columns &&
                !(g->privileges & ~pcsm_op__privileges_of(PCSM_PRIVILEGE_SEQUENCE, false))) {
                *acl = &q->acl;
                return 0;
            }
            if (q)
                return fail(r, "\"%s\" is a sequence: it takes USAGE, SELECT and UPDATE "
                            "(grant ON SEQUENCE, PCSM_PRIVILEGE_SEQUENCE)", name);
            if (pcsm_schema__mentioned(r->s, name))
                return 0;
            return fail(r, "relation \"%s\" does not exist", name);
        }
        if (g->columns)
            return column_acls(r, t, name, g->columns, acls);
        *acl = t ? &t->acl : &v->acl;
        return 0;
    }
    case PCSM_PRIVILEGE_SEQUENCE: {
        struct pcsm_schema_sequence *q = pcsm_schema__sequence_in(r->s, r->ns, name);

        if (q) {
            *acl = &q->acl;
            return 0;
        }
        if (relation_exists(r->s, r->ns, name))
            return fail(r, "\"%s\" is not a sequence%s", name,
                        pcsm_schema__table_in(r->s, r->ns, name)
                        ? "" : " the model holds (an identity column's is not modelled)");
        if (pcsm_schema__mentioned(r->s, name))
            return 0;
        return fail(r, "relation \"%s\" does not exist", name);
    }
    case PCSM_PRIVILEGE_FUNCTION: {
        size_t n;
        struct pcsm_schema_function *f = function_named(r, name, g->arguments, &n);

        if (!g->arguments && n > 1)
            return fail(r, "function name \"%s\" is not unique (give its argument list)", name);
        if (f) {
            *acl = &f->acl;
            return 0;
        }
        if (pcsm_schema__mentioned(r->s, name))
            return 0;   /* made by raw SQL: the model cannot tell */
        return fail(r, "function \"%s\"(%s) does not exist%s", name,
                    g->arguments ? g->arguments : "", n ? " (spell its argument types as it "
                    "was created with)" : "");
    }
    case PCSM_PRIVILEGE_TYPE: {
        struct pcsm_schema_type *ty = pcsm_schema__type_in(r->s, r->ns, name);
        struct pcsm_schema_domain *d = pcsm_schema__domain_in(r->s, r->ns, name);
        struct pcsm_schema_composite *c = pcsm_schema__composite_in(r->s, r->ns, name);
        struct pcsm_schema_range *rg = pcsm_schema__range_in(r->s, r->ns, name);

        *acl = ty ? &ty->acl : d ? &d->acl : c ? &c->acl : rg ? &rg->acl : NULL;
        if (*acl || pcsm_schema__mentioned(r->s, name))
            return 0;
        if (pcsm_schema__range_of_multirange(r->s, r->ns, name))
            return fail(r, "privileges on multirange type \"%s\" are not modelled (grant on "
                        "its range type)", name);
        return fail(r, "type \"%s\" does not exist", name);
    }
    default:
        return fail(r, "unknown object kind %d", (int)g->on);
    }
}

/*
 * GRANT or REVOKE, role by role, on the object or each column.  A table's
 * REVOKE takes the same from each of its columns too, as the server does.
 */
static int grant(struct replay *r, const pcsm_privileges *g, bool is_grant)
{
    unsigned of_columns = pcsm_op__privileges_of(PCSM_PRIVILEGE_TABLE, true);
    struct pcsm_schema_table *t = NULL;
    size_t n_columns = 0, i, k;
    struct pcsm_schema_acl *acl, **acls;
    int rc;

    while (g->columns && g->columns[n_columns])
        n_columns++;
    acls = pcsm__xcalloc(n_columns + 1, sizeof(*acls));
    rc = grant_target(r, g, &acl, acls);
    if (rc == 0 && acl && !is_grant && g->on == PCSM_PRIVILEGE_TABLE)
        t = pcsm_schema__table_in(r->s, r->ns, g->name);
    for (k = 0; rc == 0 && g->roles[k]; k++) {
        const char *role = pcsm_schema__role(g->roles[k]);

        if (acl)
            pcsm_schema__acl_change(acl, role, g->privileges, g->grant_option, is_grant);
        for (i = 0; acls[i]; i++)
            pcsm_schema__acl_change(acls[i], role, g->privileges, g->grant_option, is_grant);
        for (i = 0; t && i < t->n_columns; i++)
            pcsm_schema__acl_change(&t->columns[i].acl, role, g->privileges & of_columns,
                                    g->grant_option, false);
    }
    free(acls);
    return rc;
}

/*
 * Whether raw SQL may have made the object a comment_on names (or its
 * table): what that SQL made is not known, so neither is the object.
 */
static bool by_raw_sql(const struct replay *r, const struct pcsm_ddl_comment_on *c)
{
    return pcsm_schema__mentioned(r->s, c->name) ||
           (pcsm_op__object_of_table(c->kind) && pcsm_schema__mentioned(r->s, c->of));
}

/*
 * COMMENT ON an object the model holds, found as the server finds it; one
 * raw SQL may have made is taken on trust, as the comment on it.
 */
static int comment_on(struct replay *r, const struct pcsm_ddl_comment_on *c)
{
    struct pcsm_schema_table *t = NULL;
    char **slot = NULL;
    size_t n;
    int rc;

    if (pcsm_op__object_of_table(c->kind)) {
        t = pcsm_schema__table_in(r->s, r->ns, c->of);
        if (!t && by_raw_sql(r, c))
            return 0;
        if (!t)
            return fail(r, "table \"%s\" does not exist", c->of);
    }
    switch (c->kind) {
    case PCSM_OBJECT_INDEX: {
        struct pcsm_schema_index *ix = pcsm_schema__index_in(r->s, r->ns, c->name);
        const struct pcsm_schema_constraint *k = find_constraint(r->s, r->ns, NULL, c->name);

        if (!ix && k && pcsm_schema__indexed(k->kind))
            return fail(r, "index \"%s\" is its constraint's: comment on the constraint "
                        "(PCSM_OBJECT_CONSTRAINT)", c->name);
        if (!ix && by_raw_sql(r, c))
            return 0;
        if (!ix)
            return fail(r, relation_exists(r->s, r->ns, c->name) ? "\"%s\" is not an index"
                                                                 : "index \"%s\" does not exist",
                        c->name);
        slot = &ix->comment;
        break;
    }
    case PCSM_OBJECT_SEQUENCE: {
        struct pcsm_schema_sequence *q = pcsm_schema__sequence_in(r->s, r->ns, c->name);

        if (!q && by_raw_sql(r, c))
            return 0;
        if (!q)
            return fail(r, relation_exists(r->s, r->ns, c->name) ? "\"%s\" is not a sequence"
                                                                 : "sequence \"%s\" does not exist",
                        c->name);
        slot = &q->comment;
        break;
    }
    case PCSM_OBJECT_VIEW:
    case PCSM_OBJECT_MATERIALIZED_VIEW: {
        struct pcsm_schema_view *v;

        if (!pcsm_schema__view_in(r->s, r->ns, c->name) && by_raw_sql(r, c))
            return 0;
        rc = find_view(r, c->name, c->kind == PCSM_OBJECT_MATERIALIZED_VIEW, false, &v);
        if (rc < 0)
            return rc;
        slot = &v->comment;
        break;
    }
    case PCSM_OBJECT_TYPE:
    case PCSM_OBJECT_DOMAIN: {
        /* COMMENT ON TYPE takes a domain too, COMMENT ON DOMAIN a domain only. */
        struct pcsm_schema_type *ty = c->kind == PCSM_OBJECT_TYPE
                                    ? pcsm_schema__type_in(r->s, r->ns, c->name) : NULL;
        struct pcsm_schema_composite *comp = c->kind == PCSM_OBJECT_TYPE
                                           ? pcsm_schema__composite_in(r->s, r->ns, c->name)
                                           : NULL;
        struct pcsm_schema_range *rg = c->kind == PCSM_OBJECT_TYPE
                                     ? pcsm_schema__range_in(r->s, r->ns, c->name) : NULL;
        struct pcsm_schema_domain *dom = pcsm_schema__domain_in(r->s, r->ns, c->name);

        if (!ty && !dom && !comp && !rg && c->kind == PCSM_OBJECT_TYPE &&
            pcsm_schema__range_of_multirange(r->s, r->ns, c->name))
            return fail(r, "a comment on multirange type \"%s\" is not modelled (comment on "
                        "its range type)", c->name);
        if (!ty && !dom && !comp && !rg && by_raw_sql(r, c))
            return 0;
        if (!ty && !dom && !comp && !rg)
            return fail(r, c->kind == PCSM_OBJECT_DOMAIN && type_exists(r->s, r->ns, c->name)
                           ? "\"%s\" is not a domain" : "type \"%s\" does not exist", c->name);
        slot = ty ? &ty->comment : comp ? &comp->comment : rg ? &rg->comment : &dom->comment;
        break;
    }
    case PCSM_OBJECT_FUNCTION: {
        struct pcsm_schema_function *f = function_named(r, c->name, c->of, &n);

        if (!c->of && n > 1)
            return fail(r, "function name \"%s\" is not unique (give its argument list)",
                        c->name);
        if (!f && by_raw_sql(r, c))
            return 0;
        if (!f)
            return fail(r, "function \"%s\"(%s) does not exist%s", c->name,
                        c->of ? c->of : "", n ? " (spell its argument types as it was "
                        "created with)" : "");
        slot = &f->comment;
        break;
    }
    case PCSM_OBJECT_CONSTRAINT: {
        struct pcsm_schema_constraint *k = pcsm_schema__constraint(t, c->name);

        if (!k && by_raw_sql(r, c))
            return 0;
        if (!k)
            return fail(r, "constraint \"%s\" for table \"%s\" does not exist", c->name,
                        c->of);
        slot = &k->comment;
        break;
    }
    case PCSM_OBJECT_TRIGGER: {
        struct pcsm_schema_trigger *tr = pcsm_schema__trigger(t, c->name);

        if (!tr && by_raw_sql(r, c))
            return 0;
        if (!tr)
            return fail(r, "trigger \"%s\" for table \"%s\" does not exist", c->name,
                        c->of);
        slot = &tr->comment;
        break;
    }
    case PCSM_OBJECT_POLICY: {
        struct pcsm_schema_policy *p = pcsm_schema__policy(t, c->name);

        if (!p && by_raw_sql(r, c))
            return 0;
        if (!p)
            return fail(r, "policy \"%s\" for table \"%s\" does not exist", c->name, c->of);
        slot = &p->comment;
        break;
    }
    case PCSM_OBJECT_NONE:
        break;
    }
    if (!slot)
        return fail(r, "unknown kind of object %d", (int)c->kind);
    free(*slot);
    *slot = copy_comment(c->comment);
    return 0;
}

static int rename_view(struct replay *r, const struct pcsm_ddl_rename_view *d,
                       bool materialized)
{
    struct pcsm_schema_view *v;
    size_t i;
    int rc = find_view(r, d->view, materialized, false, &v);

    if (rc < 0)
        return rc;
    if (relation_exists(r->s, r->ns, d->new_name))
        return fail(r, "relation \"%s\" already exists", d->new_name);
    if (type_exists(r->s, r->ns, d->new_name))
        return fail(r, "type \"%s\" already exists", d->new_name);
    rename_read(r->s, r->ns, d->view, d->new_name);
    for (i = 0; i < r->s->n_indexes; i++)
        if (index_on(&r->s->indexes[i], r->ns, d->view)) {
            free(r->s->indexes[i].table);
            r->s->indexes[i].table = pcsm__xstrdup(d->new_name);
        }
    v = pcsm_schema__view_in(r->s, r->ns, d->view);
    free(v->name);
    v->name = pcsm__xstrdup(d->new_name);
    return 0;
}

static int drop_view(struct replay *r, const struct pcsm_ddl_view_ref *d, bool materialized)
{
    struct pcsm_schema_view *v;
    int rc = find_view(r, d->view, materialized, d->flags & PCSM_IF_EXISTS, &v);

    if (rc < 0 || !v)
        return rc;
    if (!(d->flags & PCSM_DROP_CASCADE) && first_reader(r->s, r->ns, d->view))
        return refuse_readers(r, r->ns, d->view);
    drop_view_cascade(r->s, r->ns, d->view);
    return 0;
}

/* REFRESH ... CONCURRENTLY matches rows by a unique index on plain columns, no WHERE. */
static bool has_refresh_key(const pcsm_schema *s, const char *ns, const char *view)
{
    size_t i;

    for (i = 0; i < s->n_indexes; i++)
        if (index_on(&s->indexes[i], ns, view) && s->indexes[i].unique &&
            s->indexes[i].columns && !s->indexes[i].where)
            return true;
    return false;
}

static int refresh_view(struct replay *r, const struct pcsm_ddl_view_ref *d)
{
    struct pcsm_schema_view *v;
    int rc = find_view(r, d->view, true, false, &v);

    if (rc < 0)
        return rc;
    if (d->flags & PCSM_REFRESH_CONCURRENTLY) {
        if (!v->populated)
            return fail(r, "CONCURRENTLY cannot be used when the materialized view is not "
                        "populated");
        if (!has_refresh_key(r->s, r->ns, d->view))
            return fail(r, "cannot refresh materialized view \"%s\" concurrently (it needs a "
                        "unique index with no WHERE clause on one or more of its columns)",
                        d->view);
    }
    v->populated = !(d->flags & PCSM_REFRESH_NO_DATA);
    return 0;
}

/*
 * Either edge of an autocommit block commits what the revision did so far:
 * the enum labels it added are usable from here on (check_default_usable).
 * A label added inside the block commits at once on the server, but counts
 * as committed here only from the block's end.
 */
static void autocommit_commits(struct replay *r)
{
    size_t i, j;

    for (i = 0; i < r->s->n_types; i++) {
        struct pcsm_schema_type *ty = &r->s->types[i];

        for (j = 0; j < ty->n_labels; j++)
            if (ty->added_in[j] && !strcmp(ty->added_in[j], r->rev->id)) {
                free(ty->added_in[j]);
                ty->added_in[j] = NULL;
            }
    }
}

/*
 * A guard's condition is the server's to decide at run time, and either way
 * is a schema the history means (an index made "if it does not exist yet"
 * may be this revision's or an older raw statement's).  Replaying the
 * guarded operations would claim one of the two; instead the guard is kept
 * as raw SQL is, an entry naming every object its operations' SQL names,
 * which drift and diff then leave unverified.  A later structured operation
 * on an object only a guard made fails the replay, as after raw SQL.
 */
static int guard(struct replay *r, const struct pcsm_ddl_if *g)
{
    pcsm_buf sql = PCSM_BUF_INIT, what = PCSM_BUF_INIT;
    char *cond = summarize(g->condition);
    size_t i;

    for (i = 0; i < g->n_ops; i++)
        pcsm_render__op(&g->ops[i], &sql);
    pcsm_buf_printf(&what, "if (%s): %zu guarded operation%s", cond, g->n_ops,
                    g->n_ops == 1 ? "" : "s");
    add_opaque(r, what.ptr, sql.ptr);
    free(cond);
    pcsm_buf_dispose(&sql);
    pcsm_buf_dispose(&what);
    return 0;
}

/* ---------------------------------------------------------------- schemas */

/* Whether the model holds an object in schema ns (a trigger or constraint goes with its table). */
static bool holds_objects(const pcsm_schema *s, const char *ns)
{
    size_t i;

    for (i = 0; i < s->n_tables; i++)
        if (same_ns(s->tables[i].schema, ns))
            return true;
    for (i = 0; i < s->n_types; i++)
        if (same_ns(s->types[i].schema, ns))
            return true;
    for (i = 0; i < s->n_collations; i++)
        if (same_ns(s->collations[i].schema, ns))
            return true;
    for (i = 0; i < s->n_domains; i++)
        if (same_ns(s->domains[i].schema, ns))
            return true;
    for (i = 0; i < s->n_composites; i++)
        if (same_ns(s->composites[i].schema, ns))
            return true;
    for (i = 0; i < s->n_ranges; i++)
        if (same_ns(s->ranges[i].schema, ns))
            return true;
    for (i = 0; i < s->n_functions; i++)
        if (same_ns(s->functions[i].schema, ns))
            return true;
    for (i = 0; i < s->n_sequences; i++)
        if (same_ns(s->sequences[i].schema, ns))
            return true;
    for (i = 0; i < s->n_indexes; i++)
        if (same_ns(s->indexes[i].schema, ns))
            return true;
    for (i = 0; i < s->n_views; i++)
        if (same_ns(s->views[i].schema, ns))
            return true;
    return false;
}

static bool knows_schema(const pcsm_schema *s, const char *ns)
{
    return pcsm_schema__has_schema(s, ns) || holds_objects(s, ns);
}

/*
 * CREATE SCHEMA: a schema the model knows exists, whether create_schema
 * made it or objects were put in it (made outside the revisions).  The
 * target schema's name is the runner's, not known here: not checked.
 */
static int create_schema(struct replay *r, const struct pcsm_ddl_namespace *c)
{
    struct pcsm_schema *s = r->s;

    if (knows_schema(s, c->name) && !(c->flags & PCSM_IF_NOT_EXISTS))
        return fail(r, "schema \"%s\" already exists", c->name);
    /* After it, the schema exists either way: IF NOT EXISTS lists one made outside too. */
    if (!pcsm_schema__has_schema(s, c->name)) {
        pcsm__grow(&s->schemas, &s->cap_schemas, s->n_schemas + 1, sizeof(*s->schemas));
        s->schemas[s->n_schemas++] = pcsm__xstrdup(c->name);
    }
    return 0;
}

/*
 * DROP SCHEMA: refused while the model holds objects in it, unless
 * CASCADE, which drops them as their own CASCADE drops do (views first,
 * then tables with the foreign keys of other schemas that point at them,
 * sequences with the defaults that call them, functions with the
 * triggers that run them, types with the columns of that type).
 */
static int drop_schema(struct replay *r, const struct pcsm_ddl_namespace *d)
{
    pcsm_schema *s = r->s;
    const char *ns = d->name;
    const char *saved = r->ns;
    size_t i;
    int rc = 0;

    if (!knows_schema(s, ns)) {
        /* Its default privileges, if it was made outside the revisions, go with it. */
        pcsm_schema__drop_default_acls_in(s, ns);
        return d->flags & PCSM_IF_EXISTS ? 0
             : fail(r, "schema \"%s\" does not exist", ns);
    }
    if (holds_objects(s, ns) && !(d->flags & PCSM_DROP_CASCADE))
        return fail(r, "schema \"%s\" holds objects the model knows (drop them, or CASCADE)",
                    ns);
    r->ns = ns;     /* the CASCADE drops below name objects of the dropped schema */
    for (i = s->n_views; i-- > 0;)
        if (i < s->n_views && same_ns(s->views[i].schema, ns))
            drop_view_cascade(s, ns, s->views[i].name);
    while (rc == 0) {
        for (i = 0; i < s->n_tables && !same_ns(s->tables[i].schema, ns); i++)
            ;
        if (i == s->n_tables)
            break;
        {
            char *name = pcsm__xstrdup(s->tables[i].name);
            struct pcsm_ddl_drop_table dt = { name, PCSM_DROP_CASCADE };

            rc = drop_table_in(r, ns, &dt);
            free(name);
        }
    }
    while (rc == 0) {
        for (i = 0; i < s->n_sequences && !same_ns(s->sequences[i].schema, ns); i++)
            ;
        if (i == s->n_sequences)
            break;
        {
            char *name = pcsm__xstrdup(s->sequences[i].name);
            struct pcsm_ddl_drop_sequence ds = { name, PCSM_DROP_CASCADE };

            rc = drop_sequence(r, &ds);
            free(name);
        }
    }
    for (i = s->n_functions; rc == 0 && i-- > 0;)
        if (i < s->n_functions && same_ns(s->functions[i].schema, ns))
            rc = drop_function_and_triggers(r, &s->functions[i], true);
    while (rc == 0) {
        const char *name_of;

        for (i = 0; i < s->n_types && !same_ns(s->types[i].schema, ns); i++)
            ;
        name_of = i < s->n_types ? s->types[i].name : NULL;
        for (i = 0; !name_of && i < s->n_domains; i++)
            if (same_ns(s->domains[i].schema, ns))
                name_of = s->domains[i].name;
        for (i = 0; !name_of && i < s->n_composites; i++)
            if (same_ns(s->composites[i].schema, ns))
                name_of = s->composites[i].name;
        for (i = 0; !name_of && i < s->n_ranges; i++)
            if (same_ns(s->ranges[i].schema, ns))
                name_of = s->ranges[i].name;
        if (!name_of)
            break;
        {
            char *name = pcsm__xstrdup(name_of);
            struct pcsm_ddl_drop_type dt = { name, PCSM_DROP_CASCADE };

            rc = drop_type_in(r, ns, &dt);
            free(name);
        }
    }
    /* No column names a collation of a schema but the target's (each_collation_use()). */
    for (i = s->n_collations; rc == 0 && i-- > 0;)
        if (same_ns(s->collations[i].schema, ns))
            pcsm_schema__drop_collation(s, &s->collations[i]);
    /* Indexes go with their tables and views; none of its own is left. */
    r->ns = saved;
    if (rc < 0)
        return rc;
    for (i = 0; i < s->n_schemas; i++)
        if (!strcmp(s->schemas[i], ns)) {
            free(s->schemas[i]);
            memmove(&s->schemas[i], &s->schemas[i + 1],
                    (s->n_schemas - i - 1) * sizeof(*s->schemas));
            s->n_schemas--;
            break;
        }
    /* Its default privileges go with it, CASCADE or not, as on the server. */
    pcsm_schema__drop_default_acls_in(s, ns);
    return 0;
}

/* ------------------------------------------------------------- partitions */

static const char *strategy_word(enum pcsm_partition_strategy strategy)
{
    return strategy == PCSM_PARTITION_RANGE ? "range"
         : strategy == PCSM_PARTITION_LIST ? "list" : "hash";
}

/* Whether column `column` is named by t's partition key (as a column, or in an expression). */
static bool in_partition_key(const struct pcsm_schema_table *t, const char *column)
{
    return t->partition_key && elements_use(t->partition_key, column);
}

/* The partitioned table a partition is of, in its schema. */
static struct pcsm_schema_table *parent_of(const pcsm_schema *s,
                                           const struct pcsm_schema_table *t)
{
    return t->partition_of ? pcsm_schema__table_in(s, t->schema, t->partition_of) : NULL;
}

/*
 * Whether a PRIMARY KEY or UNIQUE of `columns` (NULL: an expression's) on
 * a partitioned table holds partitioned table t's key, as the server
 * requires of it and of every partitioned table below it.
 */
static int key_holds(struct replay *r, const struct pcsm_schema_table *t,
                     enum pcsm_constraint_kind kind, char *const *columns, const char *name)
{
    const pcsm_index_element *e;

    for (e = t->partition_key; e && (e->column || e->expression); e++)
        if (!e->column)
            return fail(r, "unsupported %s with partition key definition (an expression)",
                        kind == PCSM_UNIQUE ? "UNIQUE" : "PRIMARY KEY");
        else if (!pcsm_schema__names_contain(columns, e->column))
            return fail(r, "%s on partitioned table must include all partitioning columns "
                        "(\"%s\" of \"%s\" is not in %s)", kind == PCSM_UNIQUE
                        ? "unique constraint" : "primary key", e->column, t->name,
                        name ? name : "it");
    return 0;
}

/*
 * What a partitioned table t takes of a key or a unique index: each
 * column of its partition key and of every partitioned table below it
 * (none when a key is an expression); no EXCLUDE.  0 for a table that is
 * not partitioned.
 */
static int check_key_in(struct replay *r, const struct pcsm_schema_table *t,
                        enum pcsm_constraint_kind kind, char *const *columns, const char *name)
{
    char **parts;
    size_t i;
    int rc;

    if (!t->partition_strategy)
        return 0;
    if (kind == PCSM_EXCLUDE)
        return fail(r, "exclusion constraints are not supported on partitioned tables");
    if (kind != PCSM_PRIMARY_KEY && kind != PCSM_UNIQUE)
        return 0;
    rc = key_holds(r, t, kind, columns, name);
    parts = partitions(r->s, t->schema, t->name);
    for (i = 0; rc == 0 && parts && parts[i]; i++)
        rc = check_key_in(r, pcsm_schema__table_in(r->s, t->schema, parts[i]), kind, columns,
                          name);
    pcsm_schema__free_names(parts);
    return rc;
}

/* The plain columns among index keys, expressions aside (malloc'd names, maybe none). */
static char **plain_columns(const pcsm_index_element *e)
{
    const char **names;
    char **out;
    size_t n = 0, k = 0;

    while (e[n].column || e[n].expression)
        n++;
    names = pcsm__xcalloc(n + 1, sizeof(*names));
    for (n = 0; e[n].column || e[n].expression; n++)
        if (e[n].column)
            names[k++] = e[n].column;
    out = pcsm_schema__copy_names(names);
    free(names);
    return out;
}

/*
 * A partition key on t: its columns exist and are not generated, and the
 * keys of t and of the tables above it, which are its own too, hold it.
 */
static int set_partition_key(struct replay *r, struct pcsm_schema_table *t,
                             enum pcsm_partition_strategy strategy,
                             const pcsm_index_element *key)
{
    const struct pcsm_schema_table *anc;
    const pcsm_index_element *e;
    size_t k;
    int rc = 0;

    for (e = key; e->column || e->expression; e++) {
        const struct pcsm_schema_column *c = e->column ? pcsm_schema__column(t, e->column) : NULL;

        if (e->column && !c)
            return fail(r, "column \"%s\" named in partition key does not exist", e->column);
        if (c && c->generated)
            return fail(r, "cannot use generated column in partition key");
    }
    t->partition_strategy = strategy;
    t->partition_key = pcsm_schema__copy_elements(key);
    for (anc = t; rc == 0 && anc; anc = parent_of(r->s, anc)) {
        for (k = 0; rc == 0 && k < anc->n_constraints; k++) {
            const struct pcsm_schema_constraint *c = &anc->constraints[k];

            if (c->kind == PCSM_EXCLUDE)
                rc = fail(r, "exclusion constraints are not supported on partitioned tables");
            else if (c->kind == PCSM_PRIMARY_KEY || c->kind == PCSM_UNIQUE)
                rc = key_holds(r, t, c->kind, c->columns, c->name);
        }
        for (k = 0; rc == 0 && k < r->s->n_indexes; k++) {
            const struct pcsm_schema_index *ix = &r->s->indexes[k];
            char **cols;

            if (!ix->unique || !index_on(ix, anc->schema, anc->name))
                continue;
            cols = ix->elements ? plain_columns(ix->elements)
                                : pcsm_schema__copy_names((const char *const *)ix->columns);
            rc = key_holds(r, t, PCSM_UNIQUE, cols, ix->name);
            pcsm_schema__free_names(cols);
        }
    }
    return rc;
}

/* The forms of a bound, by what follows FOR VALUES. */
enum bound_form { BOUND_NONE, BOUND_IN, BOUND_FROM, BOUND_WITH, BOUND_DEFAULT };

/* "FOR VALUES IN|FROM|WITH (" in any case and spacing, or DEFAULT; NONE for another. */
static enum bound_form bound_form(const char *bound)
{
    static const struct { const char *word; enum bound_form form; } forms[] = {
        { "IN", BOUND_IN }, { "FROM", BOUND_FROM }, { "WITH", BOUND_WITH },
    };
    const char *p = bound;
    size_t i, n;

    if (!strcasecmp(bound, "DEFAULT"))
        return BOUND_DEFAULT;
    if (strncasecmp(p, "FOR", 3) || !strchr(" \t\n", p[3]))
        return BOUND_NONE;
    for (p += 3; *p && strchr(" \t\n", *p); p++)
        ;
    if (strncasecmp(p, "VALUES", 6) || !strchr(" \t\n", p[6]))
        return BOUND_NONE;
    for (p += 6; *p && strchr(" \t\n", *p); p++)
        ;
    for (i = 0; i < sizeof(forms) / sizeof(forms[0]); i++) {
        n = strlen(forms[i].word);
        if (!strncasecmp(p, forms[i].word, n)) {
            for (p += n; *p && strchr(" \t\n", *p); p++)
                ;
            return *p == '(' ? forms[i].form : BOUND_NONE;
        }
    }
    return BOUND_NONE;
}

/* The bound suits the parent's strategy, and a DEFAULT partition is its only one. */
static int check_bound(struct replay *r, const struct pcsm_schema_table *parent,
                       const char *bound, const char *partition)
{
    static const struct { enum bound_form form; const char *word; } wanted[] = {
        [PCSM_PARTITION_RANGE] = { BOUND_FROM, "FROM" },
        [PCSM_PARTITION_LIST] = { BOUND_IN, "IN" },
        [PCSM_PARTITION_HASH] = { BOUND_WITH, "WITH" },
    };
    enum bound_form form = bound_form(bound);
    size_t i;

    if (!parent->partition_strategy)
        return fail(r, "table \"%s\" is not partitioned", parent->name);
    if (form == BOUND_DEFAULT) {
        if (parent->partition_strategy == PCSM_PARTITION_HASH)
            return fail(r, "a hash-partitioned table may not have a default partition");
        for (i = 0; i < r->s->n_tables; i++) {
            const struct pcsm_schema_table *t = &r->s->tables[i];

            if (t->partition_of && !strcmp(t->partition_of, parent->name) &&
                same_ns(t->schema, parent->schema) && !strcasecmp(t->partition_bound, "DEFAULT"))
                return fail(r, "partition \"%s\" would overlap partition \"%s\" (the default "
                            "one)", partition, t->name);
        }
        return 0;
    }
    if (form != wanted[parent->partition_strategy].form)
        return fail(r, "invalid bound specification for a %s partition (FOR VALUES %s ...)",
                    strategy_word(parent->partition_strategy),
                    wanted[parent->partition_strategy].word);
    return 0;
}

/* A column of the parent as its partition has it: no identity, no comment. */
static void copy_inherited_column(struct pcsm_schema_column *dst,
                                  const struct pcsm_schema_column *src)
{
    dst->name = pcsm__xstrdup(src->name);
    dst->type = pcsm_schema__type_copy(src->type);
    dst->not_null = src->not_null || src->identity;
    copy_value(&dst->default_value, src->default_value);
    dst->default_type = src->default_type.kind || src->default_type.name
                      ? pcsm_schema__type_copy(src->default_type) : src->default_type;
    dst->collation = src->collation ? pcsm__xstrdup(src->collation) : NULL;
    dst->generated = src->generated ? pcsm__xstrdup(src->generated) : NULL;
}

/* Column `column` of ns.table, as it is there now, on every partition below it. */
static void copy_column_down(pcsm_schema *s, const char *ns, const char *table,
                             const char *column)
{
    char **parts = partitions(s, ns, table);
    size_t i;

    for (i = 0; parts && parts[i]; i++) {
        const struct pcsm_schema_table *parent = pcsm_schema__table_in(s, ns, table);
        struct pcsm_schema_column *c = pcsm_schema__column(parent, column);
        struct pcsm_schema_table *t = pcsm_schema__table_in(s, ns, parts[i]);

        if (c && !pcsm_schema__column(t, column))
            copy_inherited_column(pcsm_schema__add_column(t), c);
        copy_column_down(s, ns, parts[i], column);
    }
    pcsm_schema__free_names(parts);
}

/* A CHECK of t or of a table above it named `name`, or NULL. */
static const struct pcsm_schema_constraint *inherited_check(const pcsm_schema *s,
                                                            const struct pcsm_schema_table *t,
                                                            const char *name)
{
    const struct pcsm_schema_constraint *c;

    for (; t && name; t = parent_of(s, t))
        if ((c = pcsm_schema__constraint(t, name)) != NULL && c->kind == PCSM_CHECK)
            return c;
    return NULL;
}

/* Two CHECK expressions alike, blanks aside. */
static bool same_check(const char *a, const char *b)
{
    while (*a || *b) {
        while (*a == ' ' || *a == '\n' || *a == '\t')
            a++;
        while (*b == ' ' || *b == '\n' || *b == '\t')
            b++;
        if (*a != *b)
            return false;
        if (*a)
            a++, b++;
    }
    return true;
}

/*
 * A constraint of partition t's own: a PRIMARY KEY beside its parents'
 * is refused; a CHECK of a parent's name is merged into the parent's when
 * it says the same (1: not added), else refused, as the server does.
 */
static int own_constraint(struct replay *r, const struct pcsm_schema_table *t,
                          const pcsm_constraint *c)
{
    const struct pcsm_schema_table *anc;
    const struct pcsm_schema_constraint *k;
    size_t i;

    for (anc = parent_of(r->s, t); anc && c->kind == PCSM_PRIMARY_KEY; anc = parent_of(r->s, anc))
        for (i = 0; i < anc->n_constraints; i++)
            if (anc->constraints[i].kind == PCSM_PRIMARY_KEY)
                return fail(r, "multiple primary keys for table \"%s\" are not allowed",
                            t->name);
    k = c->kind == PCSM_CHECK ? inherited_check(r->s, parent_of(r->s, t), c->name) : NULL;
    if (!k)
        return 0;
    if (!same_check(k->check, c->check))
        return fail(r, "constraint \"%s\" for relation \"%s\" already exists", c->name,
                    t->name);
    return 1;
}

static int create_partition(struct replay *r, const struct pcsm_ddl_create_partition *cp)
{
    struct pcsm_schema_table *parent = pcsm_schema__table_in(r->s, r->ns, cp->parent), *t;
    size_t i;
    int rc = 0;

    if (!parent)
        return fail(r, "table \"%s\" does not exist", cp->parent);
    if (relation_exists(r->s, r->ns, cp->table))
        return fail(r, "relation \"%s\" already exists", cp->table);
    if (type_exists(r->s, r->ns, cp->table))
        return fail(r, "type \"%s\" already exists", cp->table);
    rc = check_bound(r, parent, cp->bound, cp->table);
    if (rc < 0)
        return rc;
    t = pcsm_schema__add_table(r->s, cp->table);
    parent = pcsm_schema__table_in(r->s, r->ns, cp->parent);
    t->schema = dup_ns(r->ns);
    pcsm_schema__acl_for_new(r->s, PCSM_PRIVILEGE_TABLE, t->schema, &t->acl);
    t->comment = copy_comment(cp->comment);
    t->partition_of = pcsm__xstrdup(cp->parent);
    t->partition_bound = pcsm__xstrdup(cp->bound);
    for (i = 0; i < parent->n_columns; i++)
        copy_inherited_column(pcsm_schema__add_column(t), &parent->columns[i]);
    t->naming_later = true;
    for (i = 0; rc >= 0 && i < cp->n_constraints; i++) {
        rc = own_constraint(r, pcsm_schema__table_in(r->s, r->ns, cp->table),
                            &cp->constraints[i]);
        if (rc == 0)
            rc = add_constraint(r, pcsm_schema__table_in(r->s, r->ns, cp->table),
                                &cp->constraints[i]);
    }
    t = pcsm_schema__table_in(r->s, r->ns, cp->table);
    name_later(r->s, t);
    if (rc >= 0 && cp->strategy)
        rc = set_partition_key(r, t, cp->strategy, cp->key);
    if (rc >= 0)
        take_shares(r->s, r->ns, cp->table);
    return rc < 0 ? rc : 0;
}

/* Whether table t has the column of its parent-to-be: the same name, type and collation. */
static bool column_fits(const struct pcsm_schema_table *t, const struct pcsm_schema_column *pc)
{
    const struct pcsm_schema_column *c = pcsm_schema__column(t, pc->name);

    return c && pcsm_schema__type_eq(c->type, pc->type) &&
           pcsm_schema__str_eq(c->collation, pc->collation);
}

/* Two indexes of one definition, their tables and names aside. */
static bool same_index(const struct pcsm_schema_index *a, const struct pcsm_schema_index *b)
{
    return a->unique == b->unique && pcsm_schema__names_eq(a->columns, b->columns) &&
           pcsm_schema__str_eq(a->expression, b->expression) &&
           pcsm_schema__elements_eq(a->elements, b->elements) &&
           pcsm_schema__str_eq(a->method, b->method) && pcsm_schema__str_eq(a->where, b->where);
}

/* Whether partition constraint c is the share of parent constraint pc the server takes it for. */
static bool same_share(const struct pcsm_schema_constraint *c,
                       const struct pcsm_schema_constraint *pc)
{
    bool key = pc->kind == PCSM_PRIMARY_KEY || pc->kind == PCSM_UNIQUE;

    if (pc->kind == PCSM_CHECK)
        return c->kind == PCSM_CHECK && pc->name && c->name && !strcmp(c->name, pc->name) &&
               same_check(c->check, pc->check);
    if (key)
        return (c->kind == PCSM_PRIMARY_KEY || c->kind == PCSM_UNIQUE) &&
               pcsm_schema__names_eq(c->columns, pc->columns);
    /* A foreign key the server attaches: the same in all but its name. */
    return pc->kind == PCSM_FOREIGN_KEY && c->kind == PCSM_FOREIGN_KEY &&
           pcsm_schema__names_eq(c->columns, pc->columns) &&
           !strcmp(c->references, pc->references) && same_ns(c->ref_schema, pc->ref_schema) &&
           pcsm_schema__names_eq(c->ref_columns, pc->ref_columns) &&
           c->on_delete == pc->on_delete && c->on_update == pc->on_update &&
           c->deferrable == pc->deferrable;
}

/*
 * A constraint added to partitioned table t is each partition's too: one
 * of theirs of its name saying otherwise, or another primary key, is
 * refused, as the server refuses it.
 */
static int check_down(struct replay *r, const struct pcsm_schema_table *t,
                      const struct pcsm_schema_constraint *c)
{
    char **parts = partitions(r->s, t->schema, t->name);
    size_t i, k;
    int rc = 0;

    for (i = 0; rc == 0 && parts && parts[i]; i++) {
        const struct pcsm_schema_table *p = pcsm_schema__table_in(r->s, t->schema, parts[i]);

        for (k = 0; rc == 0 && k < p->n_constraints; k++) {
            const struct pcsm_schema_constraint *pk = &p->constraints[k];

            if (c->kind == PCSM_CHECK && c->name && pk->name && !strcmp(pk->name, c->name) &&
                !same_share(pk, c))
                rc = fail(r, "constraint \"%s\" for relation \"%s\" already exists", c->name,
                          p->name);
            else if (c->kind == PCSM_PRIMARY_KEY && pk->kind == PCSM_PRIMARY_KEY &&
                     !same_share(pk, c))
                rc = fail(r, "multiple primary keys for table \"%s\" are not allowed",
                          p->name);
        }
        if (rc == 0)
            rc = check_down(r, p, c);
    }
    pcsm_schema__free_names(parts);
    return rc;
}

/* t's share of parent item `of`, or NULL. */
static struct pcsm_schema_share *share_of(const struct pcsm_schema_table *t, const char *of)
{
    size_t i;

    for (i = 0; i < t->n_shares; i++)
        if (!strcmp(t->shares[i].of, of))
            return &t->shares[i];
    return NULL;
}

/*
 * What item `name` of table t stands for: an index of t's own, a key of
 * t's (*con), or through t's share of that name its parent's, and so up.
 */
static void resolve_share(const pcsm_schema *s, const struct pcsm_schema_table *t,
                          const char *name, const struct pcsm_schema_index **ix,
                          const struct pcsm_schema_constraint **con)
{
    size_t i;

    *ix = NULL;
    *con = NULL;
    while (t && name) {
        const struct pcsm_schema_index *own = pcsm_schema__index_in(s, t->schema, name);
        const struct pcsm_schema_constraint *k = pcsm_schema__constraint(t, name);
        const char *up = NULL;

        if (own && index_on(own, t->schema, t->name)) {
            *ix = own;
            return;
        }
        if (k && (k->kind == PCSM_PRIMARY_KEY || k->kind == PCSM_UNIQUE)) {
            *con = k;
            return;
        }
        for (i = 0; i < t->n_shares && !up; i++)
            if (!strcmp(t->shares[i].name, name))
                up = t->shares[i].of;
        name = up;
        t = parent_of(s, t);
    }
}

/* The names of what a partition of `t` shares: t's indexes, keys and shares (malloc'd). */
static char **shared_items(const pcsm_schema *s, const struct pcsm_schema_table *t)
{
    const char **names = pcsm__xcalloc(s->n_indexes + t->n_constraints + t->n_shares + 1,
                                       sizeof(*names));
    char **out;
    size_t i, n = 0;

    for (i = 0; i < s->n_indexes; i++)
        if (index_on(&s->indexes[i], t->schema, t->name))
            names[n++] = s->indexes[i].name;
    for (i = 0; i < t->n_constraints; i++)
        if ((t->constraints[i].kind == PCSM_PRIMARY_KEY ||
             t->constraints[i].kind == PCSM_UNIQUE) && t->constraints[i].name)
            names[n++] = t->constraints[i].name;
    for (i = 0; i < t->n_shares; i++)
        names[n++] = t->shares[i].name;
    out = pcsm_schema__copy_names(names);
    free(names);
    return out;
}

/*
 * Partition ns.table takes its share of item `of` of its parent: an index
 * or key of its own alike, taken over (it leaves the model's own), else
 * one the server makes and names; the partitions below it take theirs.
 */
static void take_share(pcsm_schema *s, const char *ns, const char *table, const char *of)
{
    struct pcsm_schema_table *t = pcsm_schema__table_in(s, ns, table);
    const struct pcsm_schema_table *parent = t ? parent_of(s, t) : NULL;
    const struct pcsm_schema_index *ix;
    const struct pcsm_schema_constraint *con;
    struct pcsm_schema_share *sh;
    char *name = NULL, **parts;
    size_t i;

    if (!parent || share_of(t, of))
        return;
    resolve_share(s, parent, of, &ix, &con);
    if (!ix && !con)
        return;
    for (i = 0; ix && !name && i < s->n_indexes; i++)
        if (index_on(&s->indexes[i], t->schema, t->name) && same_index(&s->indexes[i], ix)) {
            name = pcsm__xstrdup(s->indexes[i].name);
            pcsm_schema__drop_index(s, &s->indexes[i]);
        }
    for (i = 0; con && !name && i < t->n_constraints; i++)
        if ((t->constraints[i].kind == PCSM_PRIMARY_KEY ||
             t->constraints[i].kind == PCSM_UNIQUE) && t->constraints[i].name &&
            pcsm_schema__names_eq(t->constraints[i].columns, con->columns)) {
            name = pcsm__xstrdup(t->constraints[i].name);
            pcsm_schema__drop_constraint(t, &t->constraints[i]);
        }
    if (!name && ix) {
        char *add = keys_addition((const char *const *)ix->columns, ix->expression,
                                  ix->elements);

        name = pcsm_schema__choose_name(t->name, add ? add : "expr", "idx", name_taken,
                                        &(struct taken){ s, t->schema, true, false, NULL, 0 });
        free(add);
    } else if (!name) {
        name = server_name(s, t, con, false, 0);
    }
    pcsm__grow(&t->shares, &t->cap_shares, t->n_shares + 1, sizeof(*t->shares));
    sh = &t->shares[t->n_shares++];
    sh->of = pcsm__xstrdup(of);
    sh->name = name;
    parts = partitions(s, ns, table);
    for (i = 0; parts && parts[i]; i++)
        take_share(s, ns, parts[i], name);
    pcsm_schema__free_names(parts);
}

/* Partition ns.table takes its share of every index and key of its parent. */
static void take_shares(pcsm_schema *s, const char *ns, const char *table)
{
    const struct pcsm_schema_table *t = pcsm_schema__table_in(s, ns, table);
    char **items = t && parent_of(s, t) ? shared_items(s, parent_of(s, t)) : NULL;
    size_t i;

    for (i = 0; items && items[i]; i++)
        take_share(s, ns, table, items[i]);
    pcsm_schema__free_names(items);
}

/* Each partition of ns.table takes its share of its new index or key `name`. */
static void shares_down(pcsm_schema *s, const char *ns, const char *table, const char *name)
{
    char **parts = partitions(s, ns, table);
    size_t i;

    for (i = 0; name && parts && parts[i]; i++)
        take_share(s, ns, parts[i], name);
    pcsm_schema__free_names(parts);
}

/* Shares of what is no more (an index, a key or a table dropped) go. */
static void prune_shares(pcsm_schema *s)
{
    bool pruned = true;
    size_t i, k;

    while (pruned) {
        pruned = false;
        for (i = 0; i < s->n_tables; i++) {
            struct pcsm_schema_table *t = &s->tables[i];
            const struct pcsm_schema_table *parent = parent_of(s, t);

            for (k = t->n_shares; k-- > 0;) {
                const struct pcsm_schema_index *ix;
                const struct pcsm_schema_constraint *con;

                resolve_share(s, parent, t->shares[k].of, &ix, &con);
                if (ix || con)
                    continue;
                free(t->shares[k].of);
                free(t->shares[k].name);
                memmove(&t->shares[k], &t->shares[k + 1],
                        (t->n_shares - k - 1) * sizeof(*t->shares));
                t->n_shares--;
                pruned = true;
            }
        }
    }
}

/*
 * ALTER INDEX (of_table NULL) or ALTER TABLE of_table RENAME CONSTRAINT of
 * a partition's share `name`: 0 renamed (its own partitions' shares
 * following), a failure, or 1 when no partition has a share of that name.
 */
static int rename_share(struct replay *r, const struct pcsm_schema_table *of_table,
                        const char *name, const char *new_name)
{
    size_t i, k;

    for (i = 0; i < r->s->n_tables; i++) {
        struct pcsm_schema_table *t = &r->s->tables[i];

        if (!same_ns(t->schema, r->ns) || (of_table && t != of_table))
            continue;
        for (k = 0; k < t->n_shares; k++) {
            char *table;

            if (strcmp(t->shares[k].name, name))
                continue;
            if (relation_exists(r->s, r->ns, new_name))
                return fail(r, "relation \"%s\" already exists", new_name);
            free(t->shares[k].name);
            t->shares[k].name = pcsm__xstrdup(new_name);
            table = pcsm__xstrdup(t->name);
            rename_shares_of(r->s, r->ns, table, name, new_name);
            free(table);
            return 0;
        }
    }
    return 1;
}

/* An index or key of ns.table renamed: its partitions' shares follow. */
static void rename_shares_of(pcsm_schema *s, const char *ns, const char *table,
                             const char *from, const char *to)
{
    char **parts = partitions(s, ns, table);
    size_t i;

    for (i = 0; parts && parts[i]; i++) {
        struct pcsm_schema_share *sh = share_of(pcsm_schema__table_in(s, ns, parts[i]), from);

        if (sh) {
            free(sh->of);
            sh->of = pcsm__xstrdup(to);
        }
    }
    pcsm_schema__free_names(parts);
}

/*
 * What table t has of the CHECKs and foreign keys of `top` (its parent)
 * and the tables above it becomes theirs (ATTACH, or a constraint made on
 * a partitioned table): the model holds them on them, as the catalog
 * reads them.  Its indexes and keys become shares (take_shares()).
 */
static void adopt_shares(pcsm_schema *s, const struct pcsm_schema_table *top,
                         const char *ns, const char *name)
{
    const struct pcsm_schema_table *anc;
    struct pcsm_schema_table *t = pcsm_schema__table_in(s, ns, name);
    size_t i, k;

    for (anc = top; anc; anc = parent_of(s, anc))
        for (i = 0; i < anc->n_constraints; i++)
            for (k = t->n_constraints; k-- > 0;)
                if (anc->constraints[i].kind != PCSM_PRIMARY_KEY &&
                    anc->constraints[i].kind != PCSM_UNIQUE &&
                    same_share(&t->constraints[k], &anc->constraints[i]))
                    pcsm_schema__drop_constraint(t, &t->constraints[k]);
}

/* Each partition below ns.table adopts its matching CHECKs and foreign keys. */
static void adopt_down(pcsm_schema *s, const char *ns, const char *table)
{
    char **parts = partitions(s, ns, table);
    size_t i;

    for (i = 0; parts && parts[i]; i++) {
        adopt_shares(s, pcsm_schema__table_in(s, ns, table), ns, parts[i]);
        adopt_down(s, ns, parts[i]);
    }
    pcsm_schema__free_names(parts);
}

void pcsm_schema__detached_shares(const pcsm_schema *s, const struct pcsm_schema_table *t,
                                  struct pcsm_schema_constraint **cons_out, size_t *n_cons,
                                  struct pcsm_schema_index **indexes_out, size_t *n_indexes)
{
    const struct pcsm_schema_table *anc;
    struct pcsm_schema_constraint *cons = NULL;
    struct pcsm_schema_index *ixs = NULL;
    size_t i, nc = 0, ni = 0;

    /* The CHECKs and foreign keys of every table above it, under their names. */
    for (anc = parent_of(s, t); anc; anc = parent_of(s, anc))
        for (i = 0; i < anc->n_constraints; i++) {
            const struct pcsm_schema_constraint *pc = &anc->constraints[i];
            pcsm_constraint api = pcsm_schema__api_constraint(pc);

            if (pc->kind != PCSM_CHECK && pc->kind != PCSM_FOREIGN_KEY)
                continue;
            cons = pcsm__xrealloc(cons, (nc + 1) * sizeof(*cons));
            copy_constraint(memset(&cons[nc++], 0, sizeof(*cons)), &api);
        }
    /* Its shares of their indexes and keys, under the shares' names. */
    for (i = 0; i < t->n_shares; i++) {
        const struct pcsm_schema_index *pi;
        const struct pcsm_schema_constraint *pc;
        struct pcsm_schema_index *ix;

        resolve_share(s, parent_of(s, t), t->shares[i].of, &pi, &pc);
        if (pc) {
            pcsm_constraint api = pcsm_schema__api_constraint(pc);

            cons = pcsm__xrealloc(cons, (nc + 1) * sizeof(*cons));
            copy_constraint(memset(&cons[nc], 0, sizeof(*cons)), &api);
            free(cons[nc].name);
            cons[nc++].name = pcsm__xstrdup(t->shares[i].name);
        }
        if (!pi)
            continue;
        ixs = pcsm__xrealloc(ixs, (ni + 1) * sizeof(*ixs));
        ix = memset(&ixs[ni++], 0, sizeof(*ixs));
        ix->name = pcsm__xstrdup(t->shares[i].name);
        ix->schema = dup_ns(t->schema);
        ix->table = pcsm__xstrdup(t->name);
        ix->columns = pcsm_schema__copy_names((const char *const *)pi->columns);
        ix->expression = pi->expression ? pcsm__xstrdup(pi->expression) : NULL;
        ix->elements = pcsm_schema__copy_elements(pi->elements);
        ix->unique = pi->unique;
        ix->method = pi->method ? pcsm__xstrdup(pi->method) : NULL;
        ix->where = pi->where ? pcsm__xstrdup(pi->where) : NULL;
        ix->nulls_not_distinct = pi->nulls_not_distinct;
    }
    *cons_out = cons;
    *n_cons = nc;
    *indexes_out = ixs;
    *n_indexes = ni;
}

static int attach_partition(struct replay *r, const struct pcsm_ddl_partition_of *a)
{
    struct pcsm_schema_table *parent = pcsm_schema__table_in(r->s, r->ns, a->table), *t;
    const struct pcsm_schema_table *anc;
    size_t i, k;
    int rc;

    if (!parent)
        return fail(r, "table \"%s\" does not exist", a->table);
    t = pcsm_schema__table_in(r->s, r->ns, a->partition);
    if (!t)
        return fail(r, "table \"%s\" does not exist", a->partition);
    if (t->partition_of)
        return fail(r, "\"%s\" is already a partition", t->name);
    if (t == parent)
        return fail(r, "cannot attach a table as a partition of itself");
    if (t->inherits)
        return fail(r, "cannot attach inheritance child as partition");
    {
        char **kids = children(r->s, r->ns, t->name);
        bool any = kids != NULL;

        pcsm_schema__free_names(kids);
        if (any)
            return fail(r, "cannot attach inheritance parent as partition");
    }
    for (anc = parent; anc; anc = parent_of(r->s, anc))
        if (anc == t)
            return fail(r, "cannot attach a parent of \"%s\" as its partition", a->table);
    /* The row triggers above it are cloned onto it, under their names. */
    for (anc = parent; anc; anc = parent_of(r->s, anc))
        for (i = 0; i < anc->n_triggers; i++)
            if (anc->triggers[i].for_each_row && pcsm_schema__trigger(t, anc->triggers[i].name))
                return fail(r, "trigger \"%s\" for relation \"%s\" already exists",
                            anc->triggers[i].name, t->name);
    rc = check_bound(r, parent, a->bound, a->partition);
    if (rc < 0)
        return rc;
    for (i = 0; i < t->n_columns; i++)
        if (!pcsm_schema__column(parent, t->columns[i].name))
            return fail(r, "table \"%s\" contains column \"%s\" not found in parent \"%s\"",
                        t->name, t->columns[i].name, parent->name);
    for (i = 0; i < parent->n_columns; i++) {
        const struct pcsm_schema_column *pc = &parent->columns[i];

        if (!pcsm_schema__column(t, pc->name))
            return fail(r, "child table is missing column \"%s\"", pc->name);
        if (!column_fits(t, pc))
            return fail(r, "child table \"%s\" has a different type or collation for column "
                        "\"%s\"", t->name, pc->name);
        if (pc->not_null && !pcsm_schema__column(t, pc->name)->not_null)
            return fail(r, "column \"%s\" in child table must be marked NOT NULL", pc->name);
        if (pcsm_schema__column(t, pc->name)->identity)
            return fail(r, "table \"%s\" being attached has an identity column \"%s\"",
                        t->name, pc->name);
    }
    for (anc = parent; anc; anc = parent_of(r->s, anc))
        for (i = 0; i < anc->n_constraints; i++) {
            const struct pcsm_schema_constraint *pc = &anc->constraints[i];
            const struct pcsm_schema_constraint *c;

            if (pc->kind == PCSM_PRIMARY_KEY)
                for (k = 0; k < t->n_constraints; k++)
                    if (t->constraints[k].kind == PCSM_PRIMARY_KEY &&
                        !same_share(&t->constraints[k], pc))
                        return fail(r, "multiple primary keys for table \"%s\" are not "
                                    "allowed", t->name);
            if (pc->kind != PCSM_CHECK)
                continue;
            c = pc->name ? pcsm_schema__constraint(t, pc->name) : NULL;
            if (!c || c->kind != PCSM_CHECK)
                return fail(r, "child table is missing constraint \"%s\"",
                            pc->name ? pc->name : pc->check);
            if (!same_check(c->check, pc->check))
                return fail(r, "child table \"%s\" has different definition for check "
                            "constraint \"%s\"", t->name, pc->name);
        }
    /* Its columns in its parent's order, as the catalog reads a partition's. */
    for (i = 0; i < parent->n_columns; i++) {
        struct pcsm_schema_column *c = pcsm_schema__column(t, parent->columns[i].name), keep;

        keep = *c;
        memmove(&t->columns[i + 1], &t->columns[i], (size_t)(c - &t->columns[i]) * sizeof(*c));
        t->columns[i] = keep;
    }
    adopt_shares(r->s, parent, r->ns, a->partition);
    t = pcsm_schema__table_in(r->s, r->ns, a->partition);
    t->partition_of = pcsm__xstrdup(a->table);
    t->partition_bound = pcsm__xstrdup(a->bound);
    take_shares(r->s, r->ns, a->partition);
    return 0;
}

static int detach_partition(struct replay *r, const struct pcsm_ddl_partition_of *d)
{
    struct pcsm_schema_table *parent = pcsm_schema__table_in(r->s, r->ns, d->table), *t;
    struct pcsm_schema_constraint *cons;
    struct pcsm_schema_index *ixs;
    size_t i, n_cons, n_ixs;

    if (!parent)
        return fail(r, "table \"%s\" does not exist", d->table);
    t = pcsm_schema__table_in(r->s, r->ns, d->partition);
    if (!t)
        return fail(r, "table \"%s\" does not exist", d->partition);
    if (!t->partition_of || strcmp(t->partition_of, d->table))
        return fail(r, "relation \"%s\" is not a partition of relation \"%s\"", d->partition,
                    d->table);
    /* What it had of its parents' stays its own, under the names the server gave it. */
    pcsm_schema__detached_shares(r->s, t, &cons, &n_cons, &ixs, &n_ixs);
    for (i = 0; i < n_cons; i++)
        *pcsm_schema__add_constraint(pcsm_schema__table_in(r->s, r->ns, d->partition)) = cons[i];
    for (i = 0; i < n_ixs; i++)
        *pcsm_schema__add_index(r->s) = ixs[i];
    free(cons);
    free(ixs);
    t = pcsm_schema__table_in(r->s, r->ns, d->partition);
    for (i = 0; i < t->n_shares; i++) {
        free(t->shares[i].of);
        free(t->shares[i].name);
    }
    t->n_shares = 0;
    free(t->partition_of);
    free(t->partition_bound);
    t->partition_of = t->partition_bound = NULL;
    return 0;
}

/* The names of the partitions of ns.table, copied: NULL-terminated, or NULL for none. */
static char **partitions(const pcsm_schema *s, const char *ns, const char *table)
{
    char **names = NULL;
    size_t i, n = 0;

    for (i = 0; i < s->n_tables; i++)
        if (s->tables[i].partition_of && !strcmp(s->tables[i].partition_of, table) &&
            same_ns(s->tables[i].schema, ns)) {
            names = pcsm__xrealloc(names, (n + 2) * sizeof(*names));
            names[n++] = pcsm__xstrdup(s->tables[i].name);
            names[n] = NULL;
        }
    return names;
}

/*
 * The table, and the column or constraint, an operation on an existing
 * column or constraint names; the table NULL for the other kinds.
 */
static void named_by(const struct pcsm_ddl_op *o, const char **table, const char **column,
                     const char **constraint)
{
    *table = *column = *constraint = NULL;
    switch (o->kind) {
    case PCSM_OP_DROP_COLUMN:
        *table = o->u.drop_column.table, *column = o->u.drop_column.column;
        break;
    case PCSM_OP_RENAME_COLUMN:
        *table = o->u.rename_column.table, *column = o->u.rename_column.column;
        break;
    case PCSM_OP_ALTER_COLUMN_TYPE:
        *table = o->u.alter_column_type.table, *column = o->u.alter_column_type.column;
        break;
    case PCSM_OP_DROP_NOT_NULL:
        *table = o->u.drop_not_null.table, *column = o->u.drop_not_null.column;
        break;
    case PCSM_OP_DROP_CONSTRAINT:
        *table = o->u.drop_constraint.table, *constraint = o->u.drop_constraint.constraint;
        break;
    case PCSM_OP_RENAME_CONSTRAINT:
        *table = o->u.rename_constraint.table;
        *constraint = o->u.rename_constraint.constraint;
        break;
    default:
        break;
    }
}

/*
 * What the server refuses on a partition, since its columns are its
 * parent's, on a partitioned table's key column, and of a column added to
 * a partitioned table; 0 for the rest.
 */
static int refuse_on_partition(struct replay *r, const struct pcsm_ddl_op *o)
{
    const char *table = NULL, *column = NULL, *constraint;
    const struct pcsm_schema_table *t, *parent;
    const struct pcsm_schema_column *pc;
    const pcsm_column *added = NULL;

    named_by(o, &table, &column, &constraint);
    if (o->kind == PCSM_OP_ADD_COLUMN)
        table = o->u.add_column.table, added = &o->u.add_column.column;
    if (!column)
        table = added ? table : NULL;
    if (!table)
        return 0;
    t = pcsm_schema__table_in(r->s, r->ns, table);
    if (!t)
        return 0;   /* the operation says so */
    if (column && in_partition_key(t, column) &&
        (o->kind == PCSM_OP_DROP_COLUMN || o->kind == PCSM_OP_ALTER_COLUMN_TYPE))
        return fail(r, "cannot %s column \"%s\" because it is part of the partition key of "
                    "relation \"%s\"", o->kind == PCSM_OP_DROP_COLUMN ? "drop" : "alter type of",
                    column, t->name);
    if (added && t->partition_strategy) {
        char **parts = partitions(r->s, t->schema, t->name);
        const char *one[2] = { added->name, NULL };
        int rc = 0;

        if (added->identity && parts)
            rc = fail(r, "cannot recursively add identity column to table that has child "
                      "tables");
        else if (added->primary_key || added->unique)
            rc = check_key_in(r, t, added->primary_key ? PCSM_PRIMARY_KEY : PCSM_UNIQUE,
                              (char *const *)one, NULL);
        pcsm_schema__free_names(parts);
        if (rc < 0)
            return rc;
    }
    if (!t->partition_of)
        return 0;
    switch (o->kind) {
    case PCSM_OP_ADD_COLUMN:
        return fail(r, "cannot add column to a partition");
    case PCSM_OP_DROP_NOT_NULL:
        parent = parent_of(r->s, t);
        pc = parent ? pcsm_schema__column(parent, column) : NULL;
        return pc && pc->not_null && !r->inherited
               ? fail(r, "column \"%s\" is marked NOT NULL in parent table", column) : 0;
    default:
        if (!pcsm_schema__column(t, column) || r->inherited)
            return 0;
        return fail(r, "cannot %s inherited column \"%s\"",
                    o->kind == PCSM_OP_DROP_COLUMN ? "drop"
                    : o->kind == PCSM_OP_RENAME_COLUMN ? "rename" : "alter", column);
    }
}

/*
 * The same operation on a partition, the table it names replaced; false
 * when the operation does not reach partitions (a column added reaches
 * them as its table has it: copy_column_down()).
 */
static bool for_partition(const struct pcsm_ddl_op *o, const char *partition,
                          struct pcsm_ddl_op *out)
{
    *out = *o;
    switch (o->kind) {
    case PCSM_OP_DROP_COLUMN: out->u.drop_column.table = partition; return true;
    case PCSM_OP_RENAME_COLUMN: out->u.rename_column.table = partition; return true;
    case PCSM_OP_ALTER_COLUMN_TYPE: out->u.alter_column_type.table = partition; return true;
    case PCSM_OP_SET_DEFAULT: out->u.set_default.table = partition; return true;
    case PCSM_OP_DROP_DEFAULT: out->u.drop_default.table = partition; return true;
    case PCSM_OP_SET_NOT_NULL: out->u.set_not_null.table = partition; return true;
    case PCSM_OP_DROP_NOT_NULL: out->u.drop_not_null.table = partition; return true;
    default: return false;
    }
}

/* The table an operation that may reach partitions is on, else NULL. */
static const char *reaching_table(const struct pcsm_ddl_op *o)
{
    struct pcsm_ddl_op probe;

    return for_partition(o, NULL, &probe) ? pcsm_op__subject(o) : NULL;
}

/*
 * ALTER INDEX index ATTACH PARTITION partition_index: an index of a
 * partition, of the same definition and not yet its share of `index`,
 * becomes it; `index` (one of the partitioned table's own, or its share
 * of its parent's) is valid once each partition has its share.
 */
static int attach_index(struct replay *r, const struct pcsm_ddl_attach_index *a)
{
    struct pcsm_schema_index *ix = pcsm_schema__index_in(r->s, r->ns, a->index), *px;
    const struct pcsm_schema_index *def = ix;
    const struct pcsm_schema_constraint *con = NULL;
    const struct pcsm_schema_table *parent = NULL, *part;
    struct pcsm_schema_share *sh;
    char **parts;
    size_t i, k;

    /* Attached already to this one: nothing to do, as on the server. */
    for (i = 0; i < r->s->n_tables; i++)
        for (k = 0; same_ns(r->s->tables[i].schema, r->ns) && k < r->s->tables[i].n_shares; k++)
            if (!strcmp(r->s->tables[i].shares[k].name, a->partition_index) &&
                !strcmp(r->s->tables[i].shares[k].of, a->index))
                return 0;
    for (i = 0; !ix && !parent && i < r->s->n_tables; i++)
        for (k = 0; same_ns(r->s->tables[i].schema, r->ns) && k < r->s->tables[i].n_shares; k++)
            if (!strcmp(r->s->tables[i].shares[k].name, a->index))
                parent = &r->s->tables[i];
    if (ix)
        parent = pcsm_schema__table_in(r->s, r->ns, ix->table);
    else if (parent)
        resolve_share(r->s, parent, a->index, &def, &con);
    if (!parent)
        return fail(r, "index \"%s\" does not exist", a->index);
    if (!parent->partition_strategy || !def)
        return fail(r, "\"%s\" is not an index of a partitioned table", a->index);
    px = pcsm_schema__index_in(r->s, r->ns, a->partition_index);
    if (!px)
        return fail(r, "index \"%s\" does not exist (an index of a partition of its own)",
                    a->partition_index);
    part = pcsm_schema__table_in(r->s, r->ns, px->table);
    if (!part || !part->partition_of || strcmp(part->partition_of, parent->name))
        return fail(r, "\"%s\" is not an index of a partition of \"%s\"", a->partition_index,
                    parent->name);
    if (!same_index(px, def))
        return fail(r, "cannot attach index \"%s\" as a partition of index \"%s\": their "
                    "definitions differ", a->partition_index, a->index);
    if (share_of(part, a->index))
        return fail(r, "another index is already attached for partition \"%s\"", part->name);
    {
        struct pcsm_schema_table *t = pcsm_schema__table_in(r->s, r->ns, part->name);

        pcsm__grow(&t->shares, &t->cap_shares, t->n_shares + 1, sizeof(*t->shares));
        sh = &t->shares[t->n_shares++];
        sh->of = pcsm__xstrdup(a->index);
        sh->name = pcsm__xstrdup(a->partition_index);
        pcsm_schema__drop_index(r->s, pcsm_schema__index_in(r->s, r->ns, a->partition_index));
    }
    /* Valid once every partition has its share. */
    ix = pcsm_schema__index_in(r->s, r->ns, a->index);
    parent = pcsm_schema__table_in(r->s, r->ns, parent->name);
    parts = partitions(r->s, r->ns, parent->name);
    for (i = 0; ix && ix->invalid && parts && parts[i] &&
                share_of(pcsm_schema__table_in(r->s, r->ns, parts[i]), a->index); i++)
        ;
    if (ix && ix->invalid && (!parts || !parts[i]))
        ix->invalid = false;
    pcsm_schema__free_names(parts);
    return 0;
}

/* One operation, on the table it names only. */
static int apply_one(pcsm_ctx *ctx, pcsm_schema *s, const pcsm_revision *rev, size_t i,
                     const struct pcsm_ddl_op *o, bool inherited)
{
    struct replay r = { ctx, s, rev, i, o, o->schema, inherited };
    struct pcsm_schema_table *t;
    struct pcsm_schema_column *c;
    int rc = 0;

    switch (o->kind) {
    case PCSM_OP_CREATE_TABLE:
        return create_table(&r, &o->u.create_table);
    case PCSM_OP_DROP_TABLE:
        return drop_table(&r, &o->u.drop_table);
    case PCSM_OP_RENAME_TABLE:
        return rename_table(&r, &o->u.rename_table);
    case PCSM_OP_COMMENT_TABLE:
        t = pcsm_schema__table_in(s, r.ns, o->u.comment_table.table);
        if (!t)
            return fail(&r, "table \"%s\" does not exist", o->u.comment_table.table);
        free(t->comment);
        t->comment = copy_comment(o->u.comment_table.comment);
        return 0;
    case PCSM_OP_ADD_COLUMN:
        t = pcsm_schema__table_in(s, r.ns, o->u.add_column.table);
        if (!t)
            return fail(&r, "table \"%s\" does not exist", o->u.add_column.table);
        if (o->u.add_column.column.primary_key) {
            size_t k;

            for (k = 0; k < t->n_constraints; k++)
                if (t->constraints[k].kind == PCSM_PRIMARY_KEY)
                    return fail(&r, "table \"%s\" already has a primary key", t->name);
        }
        return add_column(&r, t, &o->u.add_column.column, true);
    case PCSM_OP_DROP_COLUMN:
        return drop_column(&r, &o->u.drop_column);
    case PCSM_OP_RENAME_COLUMN:
        return rename_column(&r, &o->u.rename_column);
    case PCSM_OP_ALTER_COLUMN_TYPE:
        return alter_column_type(&r, &o->u.alter_column_type);
    case PCSM_OP_SET_DEFAULT:
        rc = with_column(&r, o->u.set_default.table, o->u.set_default.column, &c);
        if (rc == 0)
            rc = check_has_default(&r, c, o->u.set_default.table);
        if (rc == 0)
            rc = check_default_usable(&r, c->name, c->type, o->u.set_default.value);
        if (rc == 0)
            rc = check_nextval(&r, c->name, o->u.set_default.value);
        if (rc == 0) {
            free((char *)c->default_value.text);
            copy_value(&c->default_value, o->u.set_default.value);
            forget_default_type(c);
        }
        return rc;
    case PCSM_OP_DROP_DEFAULT:
        rc = with_column(&r, o->u.drop_default.table, o->u.drop_default.column, &c);
        if (rc == 0)
            rc = check_has_default(&r, c, o->u.drop_default.table);
        if (rc == 0) {
            free((char *)c->default_value.text);
            c->default_value = (pcsm_value){ PCSM_VALUE_NONE, NULL };
            forget_default_type(c);
        }
        return rc;
    case PCSM_OP_SET_NOT_NULL:
        rc = with_column(&r, o->u.set_not_null.table, o->u.set_not_null.column, &c);
        if (rc == 0)
            c->not_null = true;
        return rc;
    case PCSM_OP_DROP_NOT_NULL:
        rc = with_column(&r, o->u.drop_not_null.table, o->u.drop_not_null.column, &c);
        if (rc == 0) {
            size_t k;

            t = pcsm_schema__table_in(s, r.ns, o->u.drop_not_null.table);
            for (k = 0; k < t->n_constraints; k++)
                if (t->constraints[k].kind == PCSM_PRIMARY_KEY &&
                    pcsm_schema__names_contain(t->constraints[k].columns, c->name))
                    return fail(&r, "column \"%s\" is in a primary key", c->name);
            if (c->identity)
                return fail(&r, "column \"%s\" of relation \"%s\" is an identity column",
                            c->name, t->name);
            c->not_null = false;
        }
        return rc;
    case PCSM_OP_COMMENT_COLUMN:
        rc = with_column(&r, o->u.comment_column.table, o->u.comment_column.column, &c);
        if (rc == 0) {
            free(c->comment);
            c->comment = copy_comment(o->u.comment_column.comment);
        }
        return rc;
    case PCSM_OP_CREATE_INDEX:
        return create_index(&r, &o->u.create_index.index);
    case PCSM_OP_DROP_INDEX:
        return drop_index(&r, &o->u.drop_index);
    case PCSM_OP_ADD_CONSTRAINT:
        t = pcsm_schema__table_in(s, r.ns, o->u.add_constraint.table);
        if (!t)
            return fail(&r, "table \"%s\" does not exist", o->u.add_constraint.table);
        return add_constraint(&r, t, &o->u.add_constraint.constraint);
    case PCSM_OP_DROP_CONSTRAINT:
        return drop_constraint(&r, &o->u.drop_constraint);
    case PCSM_OP_VALIDATE_CONSTRAINT:
        return validate_constraint(&r, &o->u.validate_constraint);
    case PCSM_OP_CREATE_EXTENSION:
        return create_extension(&r, &o->u.create_extension);
    case PCSM_OP_DROP_EXTENSION:
        return drop_extension(&r, &o->u.drop_extension);
    case PCSM_OP_CREATE_ENUM:
        return create_enum(&r, &o->u.create_enum);
    case PCSM_OP_ADD_ENUM_VALUE:
        return add_enum_value(&r, &o->u.add_enum_value);
    case PCSM_OP_RENAME_ENUM_VALUE:
        return rename_enum_value(&r, &o->u.rename_enum_value);
    case PCSM_OP_DROP_TYPE:
        return drop_type(&r, &o->u.drop_type);
    case PCSM_OP_CREATE_FUNCTION:
        return create_function(&r, &o->u.create_function.function);
    case PCSM_OP_DROP_FUNCTION:
        return drop_function(&r, &o->u.drop_function);
    case PCSM_OP_CREATE_TRIGGER:
        return create_trigger(&r, &o->u.create_trigger.trigger);
    case PCSM_OP_DROP_TRIGGER:
        return drop_trigger(&r, &o->u.drop_trigger);
    case PCSM_OP_CREATE_POLICY:
        return create_policy(&r, &o->u.create_policy.policy);
    case PCSM_OP_DROP_POLICY:
        return drop_policy(&r, &o->u.drop_policy);
    case PCSM_OP_SET_TRIGGER_FIRING:
        return set_trigger_firing(&r, &o->u.set_trigger_firing);
    case PCSM_OP_RECREATE_ENUM:
        return recreate_enum(&r, &o->u.recreate_enum);
    case PCSM_OP_SET_ROW_SECURITY:
        return set_row_security(&r, &o->u.set_row_security);
    case PCSM_OP_ADD_IDENTITY:
        return add_identity(&r, &o->u.add_identity);
    case PCSM_OP_DROP_IDENTITY:
        return drop_identity(&r, &o->u.drop_identity);
    case PCSM_OP_SET_IDENTITY:
        return set_identity(&r, &o->u.set_identity);
    case PCSM_OP_COMMENT_ON:
        return comment_on(&r, &o->u.comment_on);
    case PCSM_OP_CREATE_COLLATION:
        return create_collation(&r, &o->u.create_collation.collation);
    case PCSM_OP_RENAME_COLLATION:
        return rename_collation(&r, &o->u.rename_collation);
    case PCSM_OP_DROP_COLLATION:
        return drop_collation(&r, &o->u.drop_collation);
    case PCSM_OP_CREATE_DOMAIN:
        return create_domain(&r, &o->u.create_domain.domain);
    case PCSM_OP_ALTER_DOMAIN:
        return alter_domain(&r, &o->u.alter_domain);
    case PCSM_OP_DROP_DOMAIN:
        return drop_domain(&r, &o->u.drop_domain);
    case PCSM_OP_CREATE_COMPOSITE_TYPE:
        return create_composite_type(&r, &o->u.create_composite_type);
    case PCSM_OP_CREATE_RANGE_TYPE:
        return create_range_type(&r, &o->u.create_range_type.range);
    case PCSM_OP_ALTER_COMPOSITE_TYPE:
        return alter_composite_type(&r, &o->u.alter_composite_type);
    case PCSM_OP_CREATE_SEQUENCE:
        return create_sequence(&r, &o->u.create_sequence);
    case PCSM_OP_ALTER_SEQUENCE:
        return alter_sequence(&r, &o->u.alter_sequence);
    case PCSM_OP_RENAME_SEQUENCE:
        return rename_sequence(&r, &o->u.rename_sequence);
    case PCSM_OP_RENAME_INDEX:
        return rename_index(&r, &o->u.rename_index);
    case PCSM_OP_RENAME_CONSTRAINT:
        return rename_constraint(&r, &o->u.rename_constraint);
    case PCSM_OP_DROP_SEQUENCE:
        return drop_sequence(&r, &o->u.drop_sequence);
    case PCSM_OP_CREATE_VIEW:
        return create_view(&r, &o->u.create_view.view, false);
    case PCSM_OP_RENAME_VIEW:
        return rename_view(&r, &o->u.rename_view, false);
    case PCSM_OP_DROP_VIEW:
        return drop_view(&r, &o->u.drop_view, false);
    case PCSM_OP_CREATE_MATERIALIZED_VIEW:
        return create_view(&r, &o->u.create_materialized_view.view, true);
    case PCSM_OP_REFRESH_MATERIALIZED_VIEW:
        return refresh_view(&r, &o->u.refresh_materialized_view);
    case PCSM_OP_RENAME_MATERIALIZED_VIEW:
        return rename_view(&r, &o->u.rename_materialized_view, true);
    case PCSM_OP_DROP_MATERIALIZED_VIEW:
        return drop_view(&r, &o->u.drop_materialized_view, true);
    case PCSM_OP_EXECUTE: {
        char *summary = summarize(o->u.execute.sql);

        add_opaque(&r, summary, o->u.execute.sql);
        free(summary);
        return 0;
    }
    case PCSM_OP_EXECUTE_PARAMS: {
        char *summary = summarize(o->u.execute_params.sql);

        add_opaque(&r, summary, o->u.execute_params.sql);
        free(summary);
        return 0;
    }
    case PCSM_OP_BATCH_UPDATE:
    case PCSM_OP_ASSERT:
        return 0;   /* data, not schema */
    case PCSM_OP_AUTOCOMMIT_BEGIN:
    case PCSM_OP_AUTOCOMMIT_END:
        autocommit_commits(&r);
        return 0;
    case PCSM_OP_SET_LOCAL:
    case PCSM_OP_BATCH_UPDATE_FROM:
        return 0;   /* a setting, data */
    case PCSM_OP_LOCK_TABLE:
        if (!relation_exists(s, r.ns, o->u.lock_table.table) &&
            !pcsm_schema__mentioned(s, o->u.lock_table.table))
            return fail(&r, "relation \"%s\" does not exist", o->u.lock_table.table);
        return 0;
    case PCSM_OP_IF:
        return guard(&r, &o->u.guard);
    case PCSM_OP_CREATE_SCHEMA:
        return create_schema(&r, &o->u.create_schema);
    case PCSM_OP_DROP_SCHEMA:
        return drop_schema(&r, &o->u.drop_schema);
    case PCSM_OP_CREATE_PARTITION:
        return create_partition(&r, &o->u.create_partition);
    case PCSM_OP_ATTACH_PARTITION:
        return attach_partition(&r, &o->u.partition_of);
    case PCSM_OP_DETACH_PARTITION:
        return detach_partition(&r, &o->u.partition_of);
    case PCSM_OP_INHERIT:
        return inherit(&r, &o->u.inherit);
    case PCSM_OP_NO_INHERIT:
        return no_inherit(&r, &o->u.inherit);
    case PCSM_OP_ATTACH_INDEX:
        return attach_index(&r, &o->u.attach_index);
    case PCSM_OP_GRANT:
    case PCSM_OP_REVOKE:
        return grant(&r, &o->u.grant.grant, o->kind == PCSM_OP_GRANT);
    case PCSM_OP_GRANT_DEFAULT:
    case PCSM_OP_REVOKE_DEFAULT:
        pcsm_schema__change_default_acl(r.s, &o->u.default_privileges.defaults,
                                        o->u.default_privileges.defaults.in_schema ? r.ns : NULL,
                                        o->kind == PCSM_OP_GRANT_DEFAULT);
        return 0;
    }
    return 0;
}

/* A primary key's columns are NOT NULL on every partition, as on its table. */
static void not_null_down(pcsm_schema *s, const char *ns, const char *table,
                          char *const *columns)
{
    char **parts = partitions(s, ns, table);
    size_t i, k;

    for (i = 0; parts && parts[i]; i++) {
        struct pcsm_schema_table *t = pcsm_schema__table_in(s, ns, parts[i]);

        for (k = 0; columns && columns[k]; k++)
            if (pcsm_schema__column(t, columns[k]))
                pcsm_schema__column(t, columns[k])->not_null = true;
        not_null_down(s, ns, parts[i], columns);
    }
    pcsm_schema__free_names(parts);
}

/*
 * What partitions take of an operation on their table beside its columns:
 * a share of a new index or key (the last one made), their CHECKs and
 * foreign keys alike adopted, shares renamed with what they share; shares
 * of what went go.
 */
static void partitions_follow(pcsm_schema *s, const struct pcsm_ddl_op *o, bool made_index)
{
    const char *ns = o->schema;
    const struct pcsm_schema_table *t;
    const struct pcsm_schema_index *ix;
    size_t i;

    switch (o->kind) {
    case PCSM_OP_ADD_CONSTRAINT:
        t = pcsm_schema__table_in(s, ns, o->u.add_constraint.table);
        if (!t || !t->partition_strategy)
            break;
        adopt_down(s, ns, t->name);
        t = pcsm_schema__table_in(s, ns, o->u.add_constraint.table);
        if (t->n_constraints && (t->constraints[t->n_constraints - 1].kind == PCSM_PRIMARY_KEY ||
                                 t->constraints[t->n_constraints - 1].kind == PCSM_UNIQUE))
            shares_down(s, ns, t->name, t->constraints[t->n_constraints - 1].name);
        break;
    case PCSM_OP_CREATE_INDEX:
        ix = made_index ? &s->indexes[s->n_indexes - 1] : NULL;
        /* ON ONLY: the partitions get none of it (pcsm_attach_index() gives it one). */
        if (ix && index_on(ix, ns, o->u.create_index.index.table) &&
            !o->u.create_index.index.only) {
            char *name = pcsm__xstrdup(ix->name), *table = pcsm__xstrdup(ix->table);

            shares_down(s, ns, table, name);
            free(name);
            free(table);
        }
        break;
    case PCSM_OP_RENAME_INDEX:
        ix = pcsm_schema__index_in(s, ns, o->u.rename_index.new_name);
        for (i = 0; !ix && i < s->n_tables; i++)
            if (same_ns(s->tables[i].schema, ns) &&
                pcsm_schema__constraint(&s->tables[i], o->u.rename_index.new_name))
                rename_shares_of(s, ns, s->tables[i].name, o->u.rename_index.index,
                                 o->u.rename_index.new_name);
        if (ix)
            rename_shares_of(s, ns, ix->table, o->u.rename_index.index,
                             o->u.rename_index.new_name);
        break;
    case PCSM_OP_RENAME_CONSTRAINT:
        t = pcsm_schema__table_in(s, ns, o->u.rename_constraint.table);
        /* A key's index is what partitions share; a CHECK or foreign key is not. */
        if (t && pcsm_schema__constraint(t, o->u.rename_constraint.new_name) &&
            pcsm_schema__indexed(pcsm_schema__constraint(t, o->u.rename_constraint.new_name)
                                 ->kind))
            rename_shares_of(s, ns, t->name, o->u.rename_constraint.constraint,
                             o->u.rename_constraint.new_name);
        break;
    default:
        break;
    }
    for (i = 0; i < s->n_tables; i++)
        if (s->tables[i].n_shares) {
            prune_shares(s);
            break;
        }
}

/* ------------------------------------------------------ table inheritance */

/* The tables that inherit ns.table (INHERITS), partitions aside; NULL: none. */
static char **children(const pcsm_schema *s, const char *ns, const char *table)
{
    char **names = NULL;
    size_t i, n = 0;

    for (i = 0; i < s->n_tables; i++)
        if (pcsm_schema__names_contain(s->tables[i].inherits, table) &&
            same_ns(s->tables[i].schema, ns)) {
            names = pcsm__xrealloc(names, (n + 2) * sizeof(*names));
            names[n++] = pcsm__xstrdup(s->tables[i].name);
            names[n] = NULL;
        }
    return names;
}

/* Every table below ns.table, each once, nearest first (find_all_inheritors()). */
static char **descendants(const pcsm_schema *s, const char *ns, const char *table)
{
    char **all = children(s, ns, table);
    size_t i, k, n = 0;

    while (all && all[n])
        n++;
    for (i = 0; i < n; i++) {
        char **below = children(s, ns, all[i]);

        for (k = 0; below && below[k]; k++) {
            if (pcsm_schema__names_contain(all, below[k]))
                continue;
            all = pcsm__xrealloc(all, (n + 2) * sizeof(*all));
            all[n++] = pcsm__xstrdup(below[k]);
            all[n] = NULL;
        }
        pcsm_schema__free_names(below);
    }
    return all;
}

/* Whether ns.table is `of`, or a table below it. */
static bool descends_from(const pcsm_schema *s, const char *ns, const char *table,
                          const char *of)
{
    const struct pcsm_schema_table *t = pcsm_schema__table_in(s, ns, table);
    size_t i;

    if (!strcmp(table, of))
        return true;
    for (i = 0; t && t->inherits && t->inherits[i]; i++)
        if (descends_from(s, ns, t->inherits[i], of))
            return true;
    return false;
}

/* t's CHECK standing for parent CHECK pc: of its name, or unnamed and saying the same. */
static struct pcsm_schema_constraint *check_like(const struct pcsm_schema_table *t,
                                                 const struct pcsm_schema_constraint *pc)
{
    size_t i;

    for (i = 0; i < t->n_constraints; i++) {
        struct pcsm_schema_constraint *k = &t->constraints[i];

        if (k->kind == PCSM_CHECK &&
            (pc->name ? k->name && !strcmp(k->name, pc->name)
                      : !k->name && same_check(k->check, pc->check)))
            return k;
    }
    return NULL;
}

/* How many of t's parents have a column `column` (its attinhcount). */
static size_t parents_with_column(const pcsm_schema *s, const struct pcsm_schema_table *t,
                                  const char *column)
{
    size_t i, n = 0;

    for (i = 0; t->inherits && t->inherits[i]; i++) {
        const struct pcsm_schema_table *p = pcsm_schema__table_in(s, t->schema, t->inherits[i]);

        n += p && pcsm_schema__column(p, column);
    }
    return n;
}

/* How many of t's parents have CHECK c (its coninhcount). */
static size_t parents_with_check(const pcsm_schema *s, const struct pcsm_schema_table *t,
                                 const struct pcsm_schema_constraint *c)
{
    size_t i, n = 0;

    for (i = 0; t->inherits && t->inherits[i]; i++) {
        const struct pcsm_schema_table *p = pcsm_schema__table_in(s, t->schema, t->inherits[i]);

        n += p && check_like(p, c);
    }
    return n;
}

/*
 * Parent CHECK pc as its child has it: only inherited, of the same name;
 * NOT VALID as the parent's when added to it (`validated`: a table made
 * INHERITS it, empty, has it valid).
 */
static void add_inherited_check(struct pcsm_schema_table *t,
                                const struct pcsm_schema_constraint *pc, bool validated)
{
    struct pcsm_schema_constraint *k = pcsm_schema__add_constraint(t);

    k->name = pc->name ? pcsm__xstrdup(pc->name) : NULL;
    k->kind = PCSM_CHECK;
    k->check = pcsm__xstrdup(pc->check);
    k->not_valid = pc->not_valid && !validated;
    k->inherited_only = true;
}

/* A parent's column that t has too: the same type and collation, or refused. */
static int column_matches(struct replay *r, const struct pcsm_schema_table *t,
                          const struct pcsm_schema_column *c,
                          const struct pcsm_schema_column *pc, const char *what)
{
    if (!pcsm_schema__type_eq(c->type, pc->type))
        return fail(r, "%s \"%s\" has different type for column \"%s\"", what, t->name,
                    c->name);
    if (!pcsm_schema__str_eq(c->collation, pc->collation))
        return fail(r, "%s \"%s\" has different collation for column \"%s\"", what, t->name,
                    c->name);
    return 0;
}

/* Moves t's last column to position `at`. */
static void move_last_column(struct pcsm_schema_table *t, size_t at)
{
    struct pcsm_schema_column last = t->columns[t->n_columns - 1];

    memmove(&t->columns[at + 1], &t->columns[at],
            (t->n_columns - 1 - at) * sizeof(*t->columns));
    t->columns[at] = last;
}

/*
 * CREATE TABLE ... INHERITS (MergeAttributes()): each parent's columns in
 * order, one name once (of one type), NOT NULL where any parent's is; then
 * their CHECKs, one name once (saying the same).
 */
static int inherit_parents(struct replay *r, struct pcsm_schema_table *t,
                           const char *const *parents, char ***conflicts)
{
    size_t i, k;

    for (i = 0; parents[i]; i++) {
        const struct pcsm_schema_table *p = pcsm_schema__table_in(r->s, r->ns, parents[i]);

        if (!p)
            return fail(r, "relation \"%s\" does not exist", parents[i]);
        if (p->partition_strategy)
            return fail(r, "cannot inherit from partitioned table \"%s\"", parents[i]);
        if (p->partition_of)
            return fail(r, "cannot inherit from partition \"%s\"", parents[i]);
        for (k = 0; k < p->n_columns; k++) {
            const struct pcsm_schema_column *pc = &p->columns[k];
            struct pcsm_schema_column *c = pcsm_schema__column(t, pc->name);

            if (!c) {
                copy_inherited_column(pcsm_schema__add_column(t), pc);
                t->columns[t->n_columns - 1].inherited_only = true;
                continue;
            }
            if (!pcsm_schema__type_eq(c->type, pc->type))
                return fail(r, "inherited column \"%s\" has a type conflict", pc->name);
            if (!pcsm_schema__str_eq(c->collation, pc->collation))
                return fail(r, "inherited column \"%s\" has a collation conflict", pc->name);
            c->not_null = c->not_null || pc->not_null || pc->identity;
            if (!c->default_value.kind && pc->default_value.kind) {
                copy_value(&c->default_value, pc->default_value);
                if (pc->default_type.kind || pc->default_type.name)
                    c->default_type = pcsm_schema__type_copy(pc->default_type);
                continue;
            }
            /* Two parents' defaults that differ are the table's to settle. */
            if (c->default_value.kind && pc->default_value.kind &&
                !same_check(c->default_value.text, pc->default_value.text)) {
                size_t n = 0;

                while (*conflicts && (*conflicts)[n])
                    n++;
                *conflicts = pcsm__xrealloc(*conflicts, (n + 2) * sizeof(**conflicts));
                (*conflicts)[n] = pcsm__xstrdup(pc->name);
                (*conflicts)[n + 1] = NULL;
            }
        }
    }
    for (i = 0; parents[i]; i++) {
        const struct pcsm_schema_table *p = pcsm_schema__table_in(r->s, r->ns, parents[i]);

        for (k = 0; k < p->n_constraints; k++) {
            const struct pcsm_schema_constraint *pc = &p->constraints[k], *c;

            if (pc->kind != PCSM_CHECK)
                continue;
            c = check_like(t, pc);
            if (c && !same_check(c->check, pc->check))
                return fail(r, "check constraint name \"%s\" appears multiple times but with "
                            "different expressions", pc->name);
            if (!c)
                add_inherited_check(t, pc, true);
        }
    }
    return 0;
}

/*
 * A column of the table's own named like an inherited one is merged into
 * it, where it stands: of its type, NOT NULL if either is, its default
 * (else the parents'); 1 when merged, 0 when it is a column of its own.
 */
static int merge_column(struct replay *r, struct pcsm_schema_table *t, const pcsm_column *src,
                        bool lone_pk)
{
    struct pcsm_schema_column *c = pcsm_schema__column(t, src->name), was;
    size_t at;
    int rc;

    if (!c || !c->inherited_only)
        return 0;
    if (!pcsm_schema__type_eq(c->type, src->type))
        return fail(r, "column \"%s\" has a type conflict", src->name);
    if (!pcsm_schema__str_eq(c->collation, src->collation))
        return fail(r, "column \"%s\" has a collation conflict", src->name);
    /* A parent's generated column is the child's as the parent says (PostgreSQL 15). */
    if (c->generated && src->generated)
        return fail(r, "child column \"%s\" specifies generation expression", src->name);
    if (c->generated && src->default_value.kind)
        return fail(r, "column \"%s\" inherits from generated column but specifies default",
                    src->name);
    at = (size_t)(c - t->columns);
    was = *c;
    memmove(c, c + 1, (t->n_columns - at - 1) * sizeof(*c));
    t->n_columns--;
    rc = add_column(r, t, src, lone_pk);
    if (rc < 0) {
        pcsm_schema__free_column(&was);
        return rc;
    }
    move_last_column(t, at);
    c = &t->columns[at];
    c->not_null = c->not_null || was.not_null;
    if (!src->default_value.kind) {
        c->default_value = was.default_value;
        was.default_value.text = NULL;
    }
    if (!c->generated) {
        c->generated = was.generated;
        was.generated = NULL;
    }
    pcsm_schema__free_column(&was);
    return 1;
}

/* A CHECK of the table's own named like an inherited one: merged if it says the same. */
static int merge_check(struct replay *r, struct pcsm_schema_table *t, const pcsm_constraint *src)
{
    struct pcsm_schema_constraint *k;
    size_t i;

    if (src->kind != PCSM_CHECK || !src->name)
        return 0;
    for (i = 0; i < t->n_constraints; i++) {
        k = &t->constraints[i];
        if (!k->inherited_only || !k->name || strcmp(k->name, src->name))
            continue;
        if (!same_check(k->check, src->check))
            return fail(r, "constraint \"%s\" for relation \"%s\" already exists", src->name,
                        t->name);
        k->inherited_only = false;
        return 1;
    }
    return 0;
}

/* The table and the parent [NO] INHERIT names, both tables, the first no partition. */
static int inherit_pair(struct replay *r, const struct pcsm_ddl_inherit *in,
                        struct pcsm_schema_table **t, const struct pcsm_schema_table **p)
{
    *t = pcsm_schema__table_in(r->s, r->ns, in->table);
    *p = pcsm_schema__table_in(r->s, r->ns, in->parent);
    if (!*t)
        return fail(r, "table \"%s\" does not exist", in->table);
    if (!*p)
        return fail(r, "table \"%s\" does not exist", in->parent);
    if ((*t)->partition_of)
        return fail(r, "cannot change inheritance of a partition");
    return 0;
}

/* ALTER TABLE table INHERIT parent (CreateInheritance()). */
static int inherit(struct replay *r, const struct pcsm_ddl_inherit *in)
{
    struct pcsm_schema_table *t;
    const struct pcsm_schema_table *p;
    size_t i, n = 0;
    int rc = inherit_pair(r, in, &t, &p);

    if (rc < 0)
        return rc;
    if (t->partition_strategy)
        return fail(r, "cannot change inheritance of partitioned table");
    if (p->partition_of)
        return fail(r, "cannot inherit from a partition");
    if (p->partition_strategy)
        return fail(r, "cannot inherit from partitioned table \"%s\"", in->parent);
    if (pcsm_schema__names_contain(t->inherits, in->parent))
        return fail(r, "relation \"%s\" would be inherited from more than once", in->parent);
    if (descends_from(r->s, r->ns, in->parent, in->table))
        return fail(r, "circular inheritance not allowed (\"%s\" is already a child of \"%s\")",
                    in->parent, in->table);
    for (i = 0; i < p->n_columns; i++) {
        const struct pcsm_schema_column *pc = &p->columns[i];
        const struct pcsm_schema_column *c = pcsm_schema__column(t, pc->name);

        if (!c)
            return fail(r, "child table is missing column \"%s\"", pc->name);
        if ((rc = column_matches(r, t, c, pc, "child table")) < 0)
            return rc;
        if ((pc->not_null || pc->identity) && !c->not_null)
            return fail(r, "column \"%s\" in child table must be marked NOT NULL", pc->name);
        if (pc->generated && !c->generated)
            return fail(r, "column \"%s\" in child table must be a generated column",
                        pc->name);
    }
    for (i = 0; i < p->n_constraints; i++) {
        const struct pcsm_schema_constraint *pc = &p->constraints[i], *c;

        if (pc->kind != PCSM_CHECK)
            continue;
        c = check_like(t, pc);
        if (!c)
            return fail(r, "child table is missing constraint \"%s\"",
                        pc->name ? pc->name : pc->check);
        if (!same_check(c->check, pc->check))
            return fail(r, "child table \"%s\" has different definition for check "
                        "constraint \"%s\"", t->name, pc->name);
        if (c->not_valid && !pc->not_valid)
            return fail(r, "constraint \"%s\" conflicts with NOT VALID constraint on child "
                        "table \"%s\"", pc->name, t->name);
    }
    while (t->inherits && t->inherits[n])
        n++;
    t->inherits = pcsm__xrealloc(t->inherits, (n + 2) * sizeof(*t->inherits));
    t->inherits[n] = pcsm__xstrdup(in->parent);
    t->inherits[n + 1] = NULL;
    return 0;
}

/* ALTER TABLE table NO INHERIT parent: what only the parent gave stays, the table's own. */
static int no_inherit(struct replay *r, const struct pcsm_ddl_inherit *in)
{
    struct pcsm_schema_table *t;
    const struct pcsm_schema_table *p;
    size_t i, k;
    int rc = inherit_pair(r, in, &t, &p);

    if (rc < 0)
        return rc;
    if (!pcsm_schema__names_contain(t->inherits, in->parent))
        return fail(r, "relation \"%s\" is not a parent of relation \"%s\"", in->parent,
                    in->table);
    for (i = k = 0; t->inherits[i]; i++) {
        if (!strcmp(t->inherits[i], in->parent))
            free(t->inherits[i]);
        else
            t->inherits[k++] = t->inherits[i];
    }
    t->inherits[k] = NULL;
    if (!k) {
        free(t->inherits);
        t->inherits = NULL;
    }
    for (i = 0; i < t->n_columns; i++)
        if (t->columns[i].inherited_only && pcsm_schema__column(p, t->columns[i].name) &&
            !parents_with_column(r->s, t, t->columns[i].name))
            t->columns[i].inherited_only = false;
    for (i = 0; i < p->n_constraints; i++) {
        struct pcsm_schema_constraint *c;

        if (p->constraints[i].kind == PCSM_CHECK &&
            (c = check_like(t, &p->constraints[i])) != NULL && !parents_with_check(r->s, t, c))
            c->inherited_only = false;
    }
    return 0;
}

/*
 * What an operation on a table of children may not do to what they
 * inherit (the operation reaching them from their parent may).
 */
static int refuse_inherited(struct replay *r, const struct pcsm_ddl_op *o)
{
    const struct pcsm_schema_table *t;
    const struct pcsm_schema_constraint *k;
    const char *table, *column, *constraint, *verb;

    if (r->inherited)
        return 0;
    if (o->kind == PCSM_OP_ADD_COLUMN) {
        char **kids = o->u.add_column.column.identity
                      ? children(r->s, r->ns, o->u.add_column.table) : NULL;
        bool any = kids != NULL;

        pcsm_schema__free_names(kids);
        return any ? fail(r, "cannot recursively add identity column to table that has "
                          "child tables") : 0;
    }
    named_by(o, &table, &column, &constraint);
    verb = o->kind == PCSM_OP_DROP_COLUMN || o->kind == PCSM_OP_DROP_CONSTRAINT ? "drop"
         : o->kind == PCSM_OP_ALTER_COLUMN_TYPE ? "alter" : "rename";
    if (!table || o->kind == PCSM_OP_DROP_NOT_NULL)
        return 0;
    t = pcsm_schema__table_in(r->s, r->ns, table);
    if (!t || !t->inherits)
        return 0;
    if (column)
        return pcsm_schema__column(t, column) && parents_with_column(r->s, t, column)
               ? fail(r, "cannot %s inherited column \"%s\"", verb, column) : 0;
    k = find_constraint(r->s, r->ns, t, constraint);
    if (!k || k->kind != PCSM_CHECK || !parents_with_check(r->s, t, k))
        return 0;
    return fail(r, "cannot %s inherited constraint \"%s\" of relation \"%s\"", verb,
                constraint, table);
}

/*
 * A rename or retype of a parent's column or CHECK reaches every table
 * below it; one that has it of another parent as well, which it does not
 * reach through, is refused (its attinhcount beyond its parents reached,
 * as renameatt() and ATPrepAlterColumnType() count).
 */
static int refuse_partial_reach(struct replay *r, const struct pcsm_ddl_op *o)
{
    const char *table, *column, *constraint;
    const struct pcsm_schema_table *t;
    const struct pcsm_schema_constraint *k = NULL;
    char **below;
    size_t i, j;
    int rc = 0;

    if (r->inherited || (o->kind != PCSM_OP_RENAME_COLUMN &&
                         o->kind != PCSM_OP_ALTER_COLUMN_TYPE &&
                         o->kind != PCSM_OP_RENAME_CONSTRAINT))
        return 0;
    named_by(o, &table, &column, &constraint);
    t = pcsm_schema__table_in(r->s, r->ns, table);
    if (t && constraint)
        k = find_constraint(r->s, r->ns, t, constraint);
    if (!t || (constraint && (!k || k->kind != PCSM_CHECK)))
        return 0;
    below = descendants(r->s, r->ns, table);
    for (i = 0; rc == 0 && below && below[i]; i++) {
        const struct pcsm_schema_table *d = pcsm_schema__table_in(r->s, r->ns, below[i]);
        const struct pcsm_schema_constraint *dk = k ? check_like(d, k) : NULL;
        size_t reached = 0;

        for (j = 0; d->inherits[j]; j++)
            reached += !strcmp(d->inherits[j], table) ||
                       pcsm_schema__names_contain(below, d->inherits[j]);
        if (column && pcsm_schema__column(d, column) &&
            parents_with_column(r->s, d, column) > reached)
            rc = o->kind == PCSM_OP_RENAME_COLUMN
                 ? fail(r, "cannot rename inherited column \"%s\"", column)
                 : fail(r, "cannot alter inherited column \"%s\" of relation \"%s\"", column,
                        d->name);
        else if (dk && parents_with_check(r->s, d, dk) > reached)
            rc = fail(r, "cannot rename inherited constraint \"%s\"", constraint);
    }
    pcsm_schema__free_names(below);
    return rc;
}

/*
 * A column added to ns.table reaches its children: merged into one of
 * theirs of its name (of its type), else theirs only, and so down.
 */
static int column_down(struct replay *r, const char *ns, const char *table, const char *column)
{
    char **kids = children(r->s, ns, table);
    size_t i;
    int rc = 0;

    for (i = 0; rc == 0 && kids && kids[i]; i++) {
        const struct pcsm_schema_table *p = pcsm_schema__table_in(r->s, ns, table);
        const struct pcsm_schema_column *pc = pcsm_schema__column(p, column);
        struct pcsm_schema_table *t = pcsm_schema__table_in(r->s, ns, kids[i]);
        struct pcsm_schema_column *c = pcsm_schema__column(t, column);

        if (c) {
            rc = column_matches(r, t, c, pc, "child table");
            continue;
        }
        copy_inherited_column(pcsm_schema__add_column(t), pc);
        t->columns[t->n_columns - 1].inherited_only = true;
        rc = column_down(r, ns, kids[i], column);
    }
    pcsm_schema__free_names(kids);
    return rc;
}

/* ns.table's CHECKs reach its children: theirs of a name must say the same. */
static int checks_down(struct replay *r, const char *ns, const char *table)
{
    char **kids = children(r->s, ns, table);
    size_t i, k;
    int rc = 0;

    for (i = 0; rc == 0 && kids && kids[i]; i++) {
        const struct pcsm_schema_table *p = pcsm_schema__table_in(r->s, ns, table);
        struct pcsm_schema_table *t = pcsm_schema__table_in(r->s, ns, kids[i]);

        for (k = 0; rc == 0 && k < p->n_constraints; k++) {
            const struct pcsm_schema_constraint *pc = &p->constraints[k], *c;

            if (pc->kind != PCSM_CHECK)
                continue;
            c = check_like(t, pc);
            if (c && !same_check(c->check, pc->check))
                rc = fail(r, "constraint \"%s\" for relation \"%s\" already exists", pc->name,
                          t->name);
            else if (c && c->not_valid && !pc->not_valid)
                rc = fail(r, "constraint \"%s\" conflicts with NOT VALID constraint on "
                          "relation \"%s\"", pc->name, t->name);
            else if (!c)
                add_inherited_check(t, pc, false);
        }
        if (rc == 0)
            rc = checks_down(r, ns, kids[i]);
    }
    pcsm_schema__free_names(kids);
    return rc;
}

/*
 * A column or CHECK dropped from ns.table: a child's that no parent has
 * any more goes too when only inherited (and so down), else stays its own.
 */
static int drop_down(struct replay *r, const char *ns, const char *table, const char *column,
                     const struct pcsm_schema_constraint *check, unsigned flags)
{
    char **kids = children(r->s, ns, table);
    size_t i;
    int rc = 0;

    for (i = 0; rc == 0 && kids && kids[i]; i++) {
        struct pcsm_schema_table *t = pcsm_schema__table_in(r->s, ns, kids[i]);
        struct pcsm_schema_column *c = column ? pcsm_schema__column(t, column) : NULL;
        struct pcsm_schema_constraint *k = check ? check_like(t, check) : NULL;

        if (c && c->inherited_only && !parents_with_column(r->s, t, column)) {
            rc = drop_column_in(r, ns, &(struct pcsm_ddl_drop_column){ kids[i], column,
                                                                       flags });
            if (rc == 0)
                rc = drop_down(r, ns, kids[i], column, NULL, flags);
        }
        if (k && k->inherited_only && !parents_with_check(r->s, t, k)) {
            pcsm_schema__drop_constraint(t, k);
            rc = drop_down(r, ns, kids[i], NULL, check, flags);
        }
    }
    pcsm_schema__free_names(kids);
    return rc;
}

/* The same operation on child table `child`, for the kinds that reach it whole. */
static bool for_child(const struct pcsm_ddl_op *o, const char *child, struct pcsm_ddl_op *out)
{
    *out = *o;
    switch (o->kind) {
    case PCSM_OP_RENAME_CONSTRAINT: out->u.rename_constraint.table = child; return true;
    case PCSM_OP_VALIDATE_CONSTRAINT: out->u.validate_constraint.table = child; return true;
    case PCSM_OP_DROP_COLUMN: return false;     /* drop_down(): not every child's goes */
    default: return for_partition(o, child, out);
    }
}

/*
 * What an operation on a table does to the tables that inherit from it
 * (ATSimpleRecursion() and its like): `dropped` is the CHECK a
 * drop_constraint took, as it was.
 */
static int inheritance_follows(struct replay *r, const struct pcsm_ddl_op *o,
                               const struct pcsm_schema_constraint *dropped)
{
    const char *table = reaching_table(o);
    const struct pcsm_schema_table *t;
    const struct pcsm_schema_constraint *k;
    char **below;
    size_t i;
    int rc = 0;

    switch (o->kind) {
    case PCSM_OP_ADD_COLUMN:
        rc = column_down(r, r->ns, o->u.add_column.table, o->u.add_column.column.name);
        return rc == 0 && o->u.add_column.column.check
               ? checks_down(r, r->ns, o->u.add_column.table) : rc;
    case PCSM_OP_ADD_CONSTRAINT:
        /* A primary key's NOT NULL reaches the children (the key itself does not). */
        if (o->u.add_constraint.constraint.kind == PCSM_PRIMARY_KEY) {
            below = descendants(r->s, r->ns, o->u.add_constraint.table);
            for (i = 0; below && below[i]; i++) {
                struct pcsm_schema_table *d = pcsm_schema__table_in(r->s, r->ns, below[i]);
                size_t k;

                for (k = 0; o->u.add_constraint.constraint.columns &&
                            o->u.add_constraint.constraint.columns[k]; k++) {
                    struct pcsm_schema_column *c =
                        pcsm_schema__column(d, o->u.add_constraint.constraint.columns[k]);

                    if (c)
                        c->not_null = true;
                }
            }
            pcsm_schema__free_names(below);
            return 0;
        }
        return o->u.add_constraint.constraint.kind == PCSM_CHECK
               ? checks_down(r, r->ns, o->u.add_constraint.table) : 0;
    case PCSM_OP_DROP_COLUMN:
        return drop_down(r, r->ns, o->u.drop_column.table, o->u.drop_column.column, NULL,
                         o->u.drop_column.flags);
    case PCSM_OP_DROP_CONSTRAINT:
        return dropped ? drop_down(r, r->ns, o->u.drop_constraint.table, NULL, dropped,
                                   o->u.drop_constraint.flags) : 0;
    case PCSM_OP_RENAME_CONSTRAINT:
    case PCSM_OP_VALIDATE_CONSTRAINT:
        table = o->kind == PCSM_OP_RENAME_CONSTRAINT ? o->u.rename_constraint.table
                                                     : o->u.validate_constraint.table;
        t = pcsm_schema__table_in(r->s, r->ns, table);
        k = t ? find_constraint(r->s, r->ns, t, o->kind == PCSM_OP_RENAME_CONSTRAINT
                                                ? o->u.rename_constraint.new_name
                                                : o->u.validate_constraint.constraint) : NULL;
        if (!k || k->kind != PCSM_CHECK)
            return 0;
        break;
    default:
        if (!table)
            return 0;
        break;
    }
    below = descendants(r->s, r->ns, table);
    for (i = 0; rc == 0 && below && below[i]; i++) {
        struct pcsm_ddl_op co;

        if (for_child(o, below[i], &co))
            rc = apply_one(r->ctx, r->s, r->rev, r->i, &co, true);
    }
    pcsm_schema__free_names(below);
    return rc;
}

/*
 * One operation, and on a partitioned table, the same on each partition
 * (theirs in turn) as the server recurses: a column added, dropped,
 * renamed, retyped, given or losing a default or NOT NULL.
 */
static int apply(pcsm_ctx *ctx, pcsm_schema *s, const pcsm_revision *rev, size_t i,
                 const struct pcsm_ddl_op *o, bool inherited)
{
    struct replay r = { ctx, s, rev, i, o, o->schema, inherited };
    const char *table = reaching_table(o);
    char **parts = table ? partitions(s, o->schema, table) : NULL;
    size_t k, n_indexes = s->n_indexes;
    struct pcsm_schema_constraint dropped = { 0 };
    int rc = refuse_on_partition(&r, o);

    if (rc == 0)
        rc = refuse_inherited(&r, o);
    if (rc == 0)
        rc = refuse_partial_reach(&r, o);
    if (rc == 0 && o->kind == PCSM_OP_DROP_CONSTRAINT) {
        const struct pcsm_schema_table *t = pcsm_schema__table_in(s, r.ns,
                                                                  o->u.drop_constraint.table);
        const struct pcsm_schema_constraint *c =
            t ? find_constraint(s, r.ns, t, o->u.drop_constraint.constraint) : NULL;

        if (c && c->kind == PCSM_CHECK) {
            dropped.kind = PCSM_CHECK;
            dropped.name = c->name ? pcsm__xstrdup(c->name) : NULL;
            dropped.check = pcsm__xstrdup(c->check);
        }
    }
    if (rc == 0)
        rc = apply_one(ctx, s, rev, i, o, inherited);
    if (rc == 0)
        rc = inheritance_follows(&r, o, dropped.kind ? &dropped : NULL);
    free(dropped.name);
    free(dropped.check);
    for (k = 0; rc == 0 && parts && parts[k]; k++) {
        struct pcsm_ddl_op po;

        for_partition(o, parts[k], &po);
        rc = apply(ctx, s, rev, i, &po, true);
    }
    pcsm_schema__free_names(parts);
    if (rc == 0 && o->kind == PCSM_OP_ADD_COLUMN)
        copy_column_down(s, o->schema, o->u.add_column.table, o->u.add_column.column.name);
    if (rc == 0 && o->kind == PCSM_OP_ADD_CONSTRAINT &&
        o->u.add_constraint.constraint.kind == PCSM_PRIMARY_KEY)
        not_null_down(s, o->schema, o->u.add_constraint.table,
                      (char *const *)o->u.add_constraint.constraint.columns);
    if (rc == 0)
        partitions_follow(s, o, s->n_indexes > n_indexes);
    return rc;
}

/* Whether a foreign key of t has `column` among its own columns. */
static bool key_of_foreign_key(const struct pcsm_schema_table *t, const char *column)
{
    size_t k;

    for (k = 0; k < t->n_constraints; k++)
        if (t->constraints[k].kind == PCSM_FOREIGN_KEY &&
            pcsm_schema__names_contain(t->constraints[k].columns, column))
            return true;
    return false;
}

/* Whether ns.table is `of`, inherits from it, or is a partition of one of those. */
static bool reached_from(const pcsm_schema *s, const char *ns, const char *table,
                         const char *of)
{
    const struct pcsm_schema_table *t = pcsm_schema__table_in(s, ns, table);

    while (t) {
        if (!strcmp(t->name, of) || descends_from(s, ns, t->name, of))
            return true;
        t = parent_of(s, t);
    }
    return false;
}

/* The column of the type that no listed column reaches, or NULL. */
static const struct pcsm_schema_column *unlisted_column(const struct replay *r,
                                                        const struct pcsm_ddl_recreate_enum *e,
                                                        const struct pcsm_schema_table **of)
{
    size_t i, k, j;

    for (i = 0; i < r->s->n_tables; i++)
        for (k = 0; k < r->s->tables[i].n_columns; k++) {
            const struct pcsm_schema_table *t = &r->s->tables[i];

            if (!is_of_type(&t->columns[k], r->ns, e->type))
                continue;
            for (j = 0; j < e->n_columns; j++)
                if (same_ns(t->schema, r->ns) && !strcmp(e->columns[j].column, t->columns[k].name)
                    && reached_from(r->s, r->ns, t->name, e->columns[j].table))
                    break;
            if (j == e->n_columns) {
                *of = t;
                return &t->columns[k];
            }
        }
    return NULL;
}

/*
 * An enum made again (render_recreate_enum()): every column of the type
 * is listed or reached from one listed, and nothing else uses it, or the
 * old type could not be dropped.  Each listed column loses its default,
 * converts as ALTER COLUMN TYPE does (to its partitions and inheriting
 * tables too) and takes the default given, which the new labels must have.
 */
static int recreate_enum(struct replay *r, const struct pcsm_ddl_recreate_enum *e)
{
    struct pcsm_schema_type *ty;
    const struct pcsm_schema_table *t;
    const struct pcsm_schema_column *c;
    struct pcsm_ddl_op step = *r->o;
    struct type_user user;
    size_t i;
    int rc;

    if (!pcsm_schema__type_in(r->s, r->ns, e->type) && pcsm_schema__mentioned(r->s, e->type))
        return 0;   /* made by raw SQL: what it is, and what uses it, is not known */
    if ((rc = find_enum(r, e->type, &ty)) < 0)
        return rc;
    if (type_exists(r->s, r->ns, PCSM_ENUM_ASIDE) ||
        pcsm_schema__table_in(r->s, r->ns, PCSM_ENUM_ASIDE) ||
        pcsm_schema__view_in(r->s, r->ns, PCSM_ENUM_ASIDE))
        return fail(r, "type \"%s\" already exists (the old type takes that name while its "
                    "columns convert)", PCSM_ENUM_ASIDE);
    for (i = 0; i < e->n_columns; i++) {
        struct pcsm_schema_table *lt;
        struct pcsm_schema_column *lc;

        if ((rc = find_column(r, e->columns[i].table, e->columns[i].column, &lt, &lc)) < 0)
            return rc;
        if (!is_of_type(lc, r->ns, e->type))
            return fail(r, "column \"%s\" of \"%s\" is not of type \"%s\"", lc->name,
                        lt->name, e->type);
        if ((lc->type.array_dims > 0) != e->columns[i].array)
            return fail(r, "column \"%s\" of \"%s\" is %s array of the type (.array)",
                        lc->name, lt->name, lc->type.array_dims ? "an" : "no");
        /* Converted one at a time, a foreign key's two sides would be of two types. */
        if (count_referencing(r->s, r->ns, lt->name, lc->name, &t))
            return fail(r, "foreign key constraint of \"%s\" cannot be implemented while "
                        "column \"%s\" of \"%s\" converts (drop it first, add it after)",
                        t->name, lc->name, lt->name);
        if (key_of_foreign_key(lt, lc->name))
            return fail(r, "foreign key constraint of \"%s\" cannot be implemented while "
                        "its column \"%s\" converts (drop it first, add it after)", lt->name,
                        lc->name);
    }
    if ((c = unlisted_column(r, e, &t)) != NULL)
        return fail(r, "column \"%s\" of \"%s\" is of this type too: list it (the old type "
                    "cannot be dropped while a column uses it)", c->name, t->name);
    user = other_user(r->s, r->ns, e->type);
    switch (user.kind) {
    case USER_RANGE:
        return fail(r, "range type \"%s\" is over this type: the old type cannot be dropped "
                    "(drop the range first)", user.name);
    case USER_DOMAIN:
        return fail(r, "domain \"%s\" is over this type: the old type cannot be dropped "
                    "(drop the domain first)", user.name);
    case USER_ATTRIBUTE:
        return fail(r, "attribute \"%s\" of type \"%s\" is of this type: the old type "
                    "cannot be dropped (drop the attribute first)", user.name, user.of);
    case USER_FUNCTION:
        return fail(r, "function \"%s\"(%s) takes or returns this type: the old type "
                    "cannot be dropped (drop the function first)", user.name, user.of);
    default:
        break;
    }
    for (i = 0; rc == 0 && i < e->n_columns; i++) {
        step.kind = PCSM_OP_DROP_DEFAULT;
        step.u.drop_default = (struct pcsm_ddl_column_ref){ e->columns[i].table,
                                                            e->columns[i].column };
        rc = apply(r->ctx, r->s, r->rev, r->i, &step, false);
        if (rc < 0)
            break;
        step.kind = PCSM_OP_ALTER_COLUMN_TYPE;
        step.u.alter_column_type = (struct pcsm_ddl_alter_column_type){
            .table = e->columns[i].table, .column = e->columns[i].column,
            .type = { .kind = PCSM_TYPE_NAMED, .name = e->type, .schema = r->ns,
                      .array_dims = e->columns[i].array },
        };
        rc = apply(r->ctx, r->s, r->rev, r->i, &step, false);
    }
    if (rc < 0)
        return rc;
    ty = pcsm_schema__type_in(r->s, r->ns, e->type);
    for (i = 0; i < ty->n_labels; i++)
        free(ty->added_in[i]);
    free(ty->added_in);
    pcsm_schema__free_names(ty->labels);
    ty->labels = pcsm_schema__copy_names(e->labels);
    for (ty->n_labels = 0; ty->labels[ty->n_labels];)
        ty->n_labels++;
    ty->added_in = pcsm__xcalloc(ty->n_labels, sizeof(*ty->added_in));
    free(ty->comment);
    ty->comment = NULL;
    pcsm_schema__acl_for_new(r->s, PCSM_PRIVILEGE_TYPE, ty->schema, &ty->acl);
    for (i = 0; rc == 0 && i < e->n_columns; i++) {
        if (e->columns[i].default_value.kind == PCSM_VALUE_NONE)
            continue;
        step.kind = PCSM_OP_SET_DEFAULT;
        step.u.set_default = (struct pcsm_ddl_set_default){
            e->columns[i].table, e->columns[i].column, e->columns[i].default_value };
        rc = apply(r->ctx, r->s, r->rev, r->i, &step, false);
    }
    return rc;
}

int pcsm_schema__apply(pcsm_ctx *ctx, pcsm_schema *s, const pcsm_revision *rev, size_t i,
                       const struct pcsm_ddl_op *o)
{
    return apply(ctx, s, rev, i, o, false);
}

int pcsm_schema_declared(pcsm_ctx *ctx, const pcsm_revset *at, pcsm_schema **out)
{
    pcsm_schema *s = pcsm_schema__new();
    size_t i, j, k, n = pcsm_graph_count(ctx);
    int rc = 0;

    *out = NULL;
    /* Registry order puts parents first: every ancestor of `at`, replayed in it. */
    for (i = 0; rc == 0 && i < n; i++) {
        const pcsm_revision *rev = pcsm_graph_at(ctx, i);
        pcsm_op *op = NULL;
        bool wanted = false;

        for (j = 0; j < at->n && !wanted; j++)
            wanted = pcsm_graph_is_ancestor(ctx, rev, at->revs[j]);
        if (!wanted)
            continue;
        rc = pcsm_op__record(ctx, rev, PCSM_UPGRADE, &op);
        for (k = 0; rc == 0 && k < pcsm_op__count(op); k++)
            rc = pcsm_schema__apply(ctx, s, rev, k, pcsm_op__at(op, k));
        pcsm_op__free(op);
    }
    if (rc < 0) {
        pcsm_schema_free(s);
        return rc;
    }
    pcsm_schema__sort(s);
    *out = s;
    return 0;
}
