/*
 * Two schema models compared: which objects one side has and the other
 * not, and for those in both, which attribute differs and how.  Objects are
 * matched by name (a constraint the server named, unknown to a model, by
 * its definition; a function by name and argument types); attributes are
 * compared as the API defines them, with the defaults PostgreSQL applies made
 * explicit (NO ACTION, btree, a foreign key's referenced primary key).  Not
 * for deciding what SQL would turn one model into the other: that is a
 * planner's job, not this one's.
 */
#include <assert.h>
#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#include "diff/diff.h"

/* --------------------------------------------------------- SQL texts */

static bool is_word(unsigned char c)
{
    return isalnum(c) || c == '_' || c == '$' || c >= 0x80;
}

static bool is_operator(unsigned char c)
{
    return c && strchr("+-*/<>=~!@#%^&|`?", c);
}

/*
 * s with its whitespace outside quotes ('...', "...") dropped, but for one
 * space between two words ("IS NOT NULL") or two operators ("- -1", which
 * is not "--1", a comment).  E'\'' and dollar quotes are taken for plain
 * text: two texts still squeeze alike, which is all a comparison needs.
 */
static void squeeze_sql(const char *s, pcsm_buf *out)
{
    const unsigned char *p;
    unsigned char quote = 0, last = 0;
    bool space = false;

    for (p = (const unsigned char *)s; *p; p++) {
        if (quote) {
            pcsm_buf_putc(out, (char)*p);
            if (*p == quote)
                quote = 0;
            last = *p;
            continue;
        }
        if (isspace(*p)) {
            space = true;
            continue;
        }
        if (space && ((is_word(last) && is_word(*p)) || (is_operator(last) && is_operator(*p))))
            pcsm_buf_putc(out, ' ');
        space = false;
        if (*p == '\'' || *p == '"')
            quote = *p;
        pcsm_buf_putc(out, (char)*p);
        last = *p;
    }
}

bool pcsm_diff__same_sql(const char *a, const char *b)
{
    pcsm_buf x = PCSM_BUF_INIT, y = PCSM_BUF_INIT;
    bool same;

    if (!a || !b)
        return a == b;
    squeeze_sql(a, &x);
    squeeze_sql(b, &y);
    same = !strcmp(x.ptr, y.ptr);
    pcsm_buf_dispose(&x);
    pcsm_buf_dispose(&y);
    return same;
}

/* ------------------------------------------------- values as text */

static char *text_or_null(const char *s)
{
    return s ? pcsm__xstrdup(s) : NULL;
}

static char *bool_text(bool b)
{
    return pcsm__xstrdup(b ? "true" : "false");
}

static char *type_text(pcsm_type t)
{
    pcsm_buf out = PCSM_BUF_INIT;

    pcsm_render__type(t, &out);
    return pcsm_buf_detach(&out);
}

/* A default as SQL; NULL for none (PCSM_NULL is the text NULL). */
static char *value_text(pcsm_value v)
{
    pcsm_buf out = PCSM_BUF_INIT;

    if (v.kind == PCSM_VALUE_NONE)
        return NULL;
    pcsm_render__value(v, &out);
    return pcsm_buf_detach(&out);
}

/*
 * A column's default as value_text() gives it (taken), and the type it was
 * written for when the column's type changed since: the server keeps it
 * cast to that type, which a default set for the new type is not.
 */
static char *default_text(char *sql, const struct pcsm_schema_column *c)
{
    pcsm_buf out = PCSM_BUF_INIT;

    if (!sql || c->default_type.kind == PCSM_TYPE_NONE)
        return sql;
    pcsm_buf_printf(&out, "%s (written for ", sql);
    pcsm_render__type(c->default_type, &out);
    pcsm_buf_putc(&out, ')');
    free(sql);
    return pcsm_buf_detach(&out);
}

static void put_names(pcsm_buf *out, char *const *names)
{
    size_t i;

    for (i = 0; names[i]; i++) {
        if (i)
            pcsm_buf_puts(out, ", ");
        pcsm_buf_puts(out, names[i]);
    }
}

static char *names_text(char *const *names)
{
    pcsm_buf out = PCSM_BUF_INIT;

    if (!names)
        return NULL;
    put_names(&out, names);
    return pcsm_buf_detach(&out);
}

static char *elements_text(const pcsm_index_element *e)
{
    pcsm_buf out = PCSM_BUF_INIT;

    if (!e)
        return NULL;
    pcsm_render__index_elements(&out, e);
    return pcsm_buf_detach(&out);
}

/* "RANGE ("at")", or NULL for a table that is not partitioned. */
static char *partition_by_text(const struct pcsm_schema_table *t)
{
    pcsm_buf out = PCSM_BUF_INIT;

    if (!t->partition_strategy)
        return NULL;
    pcsm_buf_puts(&out, t->partition_strategy == PCSM_PARTITION_RANGE ? "RANGE "
                      : t->partition_strategy == PCSM_PARTITION_LIST ? "LIST " : "HASH ");
    pcsm_render__index_elements(&out, t->partition_key);
    return pcsm_buf_detach(&out);
}

/* "parent FOR VALUES ...", or NULL for a table that is no partition. */
static char *partition_of_text(const struct pcsm_schema_table *t)
{
    pcsm_buf out = PCSM_BUF_INIT;

    if (!t->partition_of)
        return NULL;
    pcsm_buf_printf(&out, "%s %s", t->partition_of, t->partition_bound);
    return pcsm_buf_detach(&out);
}

/* "parent, parent2" of the tables t inherits, or NULL for none. */
static char *inherits_text(const struct pcsm_schema_table *t)
{
    pcsm_buf out = PCSM_BUF_INIT;
    size_t i;

    for (i = 0; t->inherits && t->inherits[i]; i++)
        pcsm_buf_printf(&out, "%s%s", i ? ", " : "", t->inherits[i]);
    return t->inherits ? pcsm_buf_detach(&out) : NULL;
}

static char *fk_action_text(enum pcsm_fk_action a)
{
    return pcsm__xstrdup(pcsm_render__fk_action(a));
}

/* Saying nothing is PostgreSQL's NO ACTION. */
static bool same_action(enum pcsm_fk_action a, enum pcsm_fk_action b)
{
    return !strcmp(pcsm_render__fk_action(a), pcsm_render__fk_action(b));
}

/* COMMENT ... IS '' removes the comment: an empty one is none. */
static const char *comment_of(const char *comment)
{
    return comment && *comment ? comment : NULL;
}

static const char *method_of(const char *method)
{
    return method ? method : "btree";
}

/* "schema.name", or the name alone in the target schema (schema NULL). */
static void put_qualified(pcsm_buf *out, const char *schema, const char *name)
{
    if (schema)
        pcsm_buf_printf(out, "%s.", schema);
    pcsm_buf_puts(out, name);
}

static char *qualified_text(const char *schema, const char *name)
{
    pcsm_buf out = PCSM_BUF_INIT;

    if (!name)
        return NULL;
    put_qualified(&out, schema, name);
    return pcsm_buf_detach(&out);
}

/*
 * "table(column, ...)" of a foreign key, the columns its model's primary
 * key of that table when it names none, as the server resolves them; the
 * table alone when the model does not have it.
 */
static char *references_text(const pcsm_schema *s, const struct pcsm_schema_constraint *c)
{
    const struct pcsm_schema_table *t;
    char *const *columns = c->ref_columns;
    pcsm_buf out = PCSM_BUF_INIT;
    size_t i;

    if (!c->references)
        return NULL;
    t = pcsm_schema__table_in(s, c->ref_schema, c->references);
    for (i = 0; !columns && t && i < t->n_constraints; i++)
        if (t->constraints[i].kind == PCSM_PRIMARY_KEY)
            columns = t->constraints[i].columns;
    put_qualified(&out, c->ref_schema, c->references);
    if (columns) {
        pcsm_buf_putc(&out, '(');
        put_names(&out, columns);
        pcsm_buf_putc(&out, ')');
    }
    return pcsm_buf_detach(&out);
}

/* "[CHECK (a > 0)]": a constraint named by its definition. */
static char *definition_label(const struct pcsm_schema_constraint *c)
{
    static const char *const kinds[] = {
        [PCSM_PRIMARY_KEY] = "PRIMARY KEY", [PCSM_UNIQUE] = "UNIQUE",
        [PCSM_FOREIGN_KEY] = "FOREIGN KEY", [PCSM_CHECK] = "CHECK", [PCSM_EXCLUDE] = "EXCLUDE",
    };
    pcsm_buf out = PCSM_BUF_INIT;

    if (c->elements) {
        pcsm_buf_printf(&out, "[%s ", kinds[c->kind]);
        pcsm_render__index_elements(&out, c->elements);
        pcsm_buf_putc(&out, ']');
        return pcsm_buf_detach(&out);
    }
    pcsm_buf_printf(&out, "[%s (", kinds[c->kind]);
    if (c->kind == PCSM_CHECK)
        pcsm_buf_puts(&out, c->check ? c->check : "");
    else if (c->columns)
        put_names(&out, c->columns);
    pcsm_buf_putc(&out, ')');
    if (c->references) {
        pcsm_buf_puts(&out, " REFERENCES ");
        put_qualified(&out, c->ref_schema, c->references);
    }
    pcsm_buf_putc(&out, ']');
    return pcsm_buf_detach(&out);
}

/* ------------------------------------------------------- recording */


/*
 * Appends an entry named `path`, or head[.sub] when path is NULL, either
 * after "schema." when the object is not in the target schema; takes from
 * and to (malloc'd or NULL).
 */
static void add_at(pcsm_diff *d, enum pcsm_diff_object object, enum pcsm_diff_change change,
                   const char *schema, const char *head, const char *sub, const char *path,
                   const char *attribute, char *from, char *to)
{
    struct pcsm_diff_item *it;
    pcsm_buf p = PCSM_BUF_INIT;

    pcsm__grow(&d->items, &d->cap_items, d->n_items + 1, sizeof(*d->items));
    it = &d->items[d->n_items++];
    put_qualified(&p, schema, path ? path : head);
    if (sub && !path)
        pcsm_buf_printf(&p, ".%s", sub);
    it->schema = text_or_null(schema);
    it->head = pcsm__xstrdup(head);
    it->sub = text_or_null(sub);
    it->pub = (pcsm_diff_entry){ .object = object, .change = change,
                                 .path = pcsm_buf_detach(&p), .attribute = attribute,
                                 .from = from, .to = to };
}

static void add(pcsm_diff *d, enum pcsm_diff_object object, enum pcsm_diff_change change,
                const char *schema, const char *head, const char *sub, const char *attribute,
                char *from, char *to)
{
    add_at(d, object, change, schema, head, sub, NULL, attribute, from, to);
}

/* The object two attributes belong to, for changed(); path NULL: head[.sub]. */
struct object {
    pcsm_diff *d;
    enum pcsm_diff_object kind;
    const char *head, *sub;
    const char *path;
    const char *schema;         /* NULL: the target schema */
};

/* A CHANGED entry for `attribute` unless `same`; takes from and to. */
static void changed(const struct object *o, const char *attribute, bool same, char *from,
                    char *to)
{
    if (same) {
        free(from);
        free(to);
        return;
    }
    add_at(o->d, o->kind, PCSM_DIFF_CHANGED, o->schema, o->head, o->sub, o->path, attribute,
           from, to);
}

/*
 * An object's privileges as text, with what a new one gets there when the
 * other side's new one gets otherwise: the difference is against that.
 */
static char *acl_against(const struct pcsm_schema_acl *acl, const struct pcsm_schema_acl *made,
                         const struct pcsm_schema_acl *other_made)
{
    char *text = pcsm_schema__acl_text(acl), *m;
    pcsm_buf out = PCSM_BUF_INIT;

    if (pcsm_schema__acl_eq(made, other_made))
        return text;
    m = pcsm_schema__acl_text(made);
    pcsm_buf_printf(&out, "%s (new ones get %s)", text ? text : "none", m ? m : "none");
    free(text);
    free(m);
    return pcsm_buf_detach(&out);
}

/*
 * An object's privileges (of kind `on`; a column's when on is NONE), each
 * side's against what a new one would have had there, so that default
 * privileges one database has and the other lacks are no difference here.
 */
static void privileges_changed(const struct object *o, enum pcsm_privilege_object on,
                               const struct pcsm_schema_acl *a,
                               const struct pcsm_schema_acl *b)
{
    struct pcsm_schema_acl new_a = { 0 }, new_b = { 0 };

    if (on != PCSM_PRIVILEGE_NONE && o->d->from) {
        pcsm_schema__acl_for_new(o->d->from, on, o->schema, &new_a);
        pcsm_schema__acl_for_new(o->d->to, on, o->schema, &new_b);
    }
    changed(o, "privileges", pcsm_schema__acl_equivalent(a, &new_a, b, &new_b),
            acl_against(a, &new_a, &new_b), acl_against(b, &new_b, &new_a));
    pcsm_schema__acl_dispose(&new_a);
    pcsm_schema__acl_dispose(&new_b);
}

/* NULL for none. */
static void comment_changed(const struct object *o, const char *a, const char *b)
{
    changed(o, "comment", pcsm_schema__str_eq(comment_of(a), comment_of(b)),
            text_or_null(comment_of(a)), text_or_null(comment_of(b)));
}

static char *identity_text(enum pcsm_identity identity)
{
    return identity == PCSM_IDENTITY_NONE ? NULL
         : pcsm__xstrdup(identity == PCSM_IDENTITY_ALWAYS ? "ALWAYS" : "BY DEFAULT");
}

static const char *seq_type_name(enum pcsm_type_kind k)
{
    return k == PCSM_TYPE_SMALLINT ? "smallint" : k == PCSM_TYPE_INTEGER ? "integer" : "bigint";
}

/* A sequence's options in one line, every one as the server keeps it. */
static char *seq_text(const struct pcsm_seq_state *q)
{
    pcsm_buf out = PCSM_BUF_INIT;

    pcsm_buf_printf(&out, "type=%s increment=%lld minvalue=%lld maxvalue=%lld start=%lld "
                    "cache=%lld cycle=%s", seq_type_name(q->type), q->increment, q->minvalue,
                    q->maxvalue, q->start, q->cache, q->cycle ? "true" : "false");
    return pcsm_buf_detach(&out);
}

static char *number_text(long long n)
{
    pcsm_buf out = PCSM_BUF_INIT;

    pcsm_buf_printf(&out, "%lld", n);
    return pcsm_buf_detach(&out);
}

static char *owner_text(const struct pcsm_schema_sequence *q)
{
    pcsm_buf out = PCSM_BUF_INIT;

    if (!q->owned_table)
        return NULL;
    pcsm_buf_printf(&out, "%s.%s", q->owned_table, q->owned_column);
    return pcsm_buf_detach(&out);
}

static void diff_sequence(pcsm_diff *d, const struct pcsm_schema_sequence *a,
                          const struct pcsm_schema_sequence *b)
{
    const struct object o = { d, PCSM_DIFF_SEQUENCE, a->name, NULL, NULL, a->schema };
    const struct pcsm_seq_state *x = &a->options, *y = &b->options;
    char *oa = owner_text(a), *ob = owner_text(b);

    changed(&o, "type", x->type == y->type, pcsm__xstrdup(seq_type_name(x->type)),
            pcsm__xstrdup(seq_type_name(y->type)));
    changed(&o, "increment", x->increment == y->increment, number_text(x->increment),
            number_text(y->increment));
    changed(&o, "minvalue", x->minvalue == y->minvalue, number_text(x->minvalue),
            number_text(y->minvalue));
    changed(&o, "maxvalue", x->maxvalue == y->maxvalue, number_text(x->maxvalue),
            number_text(y->maxvalue));
    changed(&o, "start", x->start == y->start, number_text(x->start), number_text(y->start));
    changed(&o, "cache", x->cache == y->cache, number_text(x->cache), number_text(y->cache));
    changed(&o, "cycle", x->cycle == y->cycle, bool_text(x->cycle), bool_text(y->cycle));
    changed(&o, "owned_by", pcsm_schema__str_eq(oa, ob), oa, ob);
    comment_changed(&o, a->comment, b->comment);
    privileges_changed(&o, PCSM_PRIVILEGE_SEQUENCE, &a->acl, &b->acl);
}

static void diff_view(pcsm_diff *d, const struct pcsm_schema_view *a,
                      const struct pcsm_schema_view *b)
{
    const struct object o = { d, PCSM_DIFF_VIEW, a->name, NULL, NULL, a->schema };

    changed(&o, "materialized", a->materialized == b->materialized,
            bool_text(a->materialized), bool_text(b->materialized));
    changed(&o, "columns", pcsm_schema__names_eq(a->columns, b->columns),
            names_text(a->columns), names_text(b->columns));
    changed(&o, "query", pcsm_diff__same_sql(a->query, b->query), text_or_null(a->query),
            text_or_null(b->query));
    if (a->materialized && b->materialized)
        changed(&o, "populated", a->populated == b->populated, bool_text(a->populated),
                bool_text(b->populated));
    comment_changed(&o, a->comment, b->comment);
    privileges_changed(&o, PCSM_PRIVILEGE_TABLE, &a->acl, &b->acl);
}

/* ---------------------------------------------------------- objects */

/* A column of `table` in `schema` (NULL: the target). */
static void diff_column(pcsm_diff *d, const char *schema, const char *table,
                        const struct pcsm_schema_column *a, const struct pcsm_schema_column *b)
{
    const struct object o = { d, PCSM_DIFF_COLUMN, table, a->name, NULL, schema };
    char *from = value_text(a->default_value), *to = value_text(b->default_value);
    bool same_type = pcsm_schema__type_eq(a->type, b->type);
    /* Where the types differ, that entry says why the defaults' casts do. */
    bool same_default = pcsm_diff__same_sql(from, to) &&
                        (!same_type || pcsm_schema__type_eq(a->default_type, b->default_type));

    changed(&o, "type", same_type, type_text(a->type), type_text(b->type));
    changed(&o, "not_null", a->not_null == b->not_null, bool_text(a->not_null),
            bool_text(b->not_null));
    changed(&o, "default", same_default, default_text(from, a), default_text(to, b));
    comment_changed(&o, a->comment, b->comment);
    changed(&o, "collation", pcsm_schema__str_eq(a->collation, b->collation),
            text_or_null(a->collation), text_or_null(b->collation));
    changed(&o, "generated", pcsm_diff__same_sql(a->generated, b->generated),
            text_or_null(a->generated), text_or_null(b->generated));
    changed(&o, "identity", a->identity == b->identity, identity_text(a->identity),
            identity_text(b->identity));
    if (a->identity && b->identity)
        changed(&o, "identity_options",
                pcsm_schema__seq_eq(&a->identity_options, &b->identity_options),
                seq_text(&a->identity_options), seq_text(&b->identity_options));
    privileges_changed(&o, PCSM_PRIVILEGE_NONE, &a->acl, &b->acl);
}

void pcsm_diff__column(pcsm_diff *d, const char *table, const struct pcsm_schema_column *a,
                       const struct pcsm_schema_column *b)
{
    diff_column(d, NULL, table, a, b);
}

/* What matches a constraint the server named (kind and what it covers). */
static bool same_definition(const struct pcsm_schema_constraint *a,
                            const struct pcsm_schema_constraint *b)
{
    return a->kind == b->kind && pcsm_schema__names_eq(a->columns, b->columns) &&
           pcsm_diff__same_sql(a->check, b->check) &&
           pcsm_schema__str_eq(a->references, b->references) &&
           pcsm_schema__str_eq(a->ref_schema, b->ref_schema) &&
           pcsm_schema__elements_eq(a->elements, b->elements);
}

static void diff_constraint(pcsm_diff *d, const pcsm_schema *from, const pcsm_schema *to,
                            const char *schema, const char *table,
                            const struct pcsm_schema_constraint *a,
                            const struct pcsm_schema_constraint *b)
{
    char *label = a->name || b->name ? NULL : definition_label(a);
    const struct object o = { d, PCSM_DIFF_CONSTRAINT, table,
                              a->name ? a->name : b->name ? b->name : label, NULL, schema };
    char *ra = references_text(from, a), *rb = references_text(to, b);

    if (a->kind != b->kind) {
        /* Another object under the same name. */
        add(d, PCSM_DIFF_CONSTRAINT, PCSM_DIFF_MISSING, schema, table, o.sub, NULL, NULL, NULL);
        add(d, PCSM_DIFF_CONSTRAINT, PCSM_DIFF_EXTRA, schema, table, o.sub, NULL, NULL, NULL);
        free(ra);
        free(rb);
        free(label);
        return;
    }
    changed(&o, "columns", pcsm_schema__names_eq(a->columns, b->columns), names_text(a->columns),
            names_text(b->columns));
    changed(&o, "references", pcsm_schema__str_eq(ra, rb), ra, rb);
    if (a->kind == PCSM_FOREIGN_KEY) {
        changed(&o, "on_delete", same_action(a->on_delete, b->on_delete),
                fk_action_text(a->on_delete), fk_action_text(b->on_delete));
        changed(&o, "on_update", same_action(a->on_update, b->on_update),
                fk_action_text(a->on_update), fk_action_text(b->on_update));
    }
    changed(&o, "check", pcsm_diff__same_sql(a->check, b->check), text_or_null(a->check),
            text_or_null(b->check));
    changed(&o, "deferrable", a->deferrable == b->deferrable, bool_text(a->deferrable),
            bool_text(b->deferrable));
    changed(&o, "not_valid", a->not_valid == b->not_valid, bool_text(a->not_valid),
            bool_text(b->not_valid));
    changed(&o, "nulls_not_distinct", a->nulls_not_distinct == b->nulls_not_distinct,
            bool_text(a->nulls_not_distinct), bool_text(b->nulls_not_distinct));
    if (a->kind == PCSM_EXCLUDE) {
        changed(&o, "elements", pcsm_schema__elements_eq(a->elements, b->elements),
                elements_text(a->elements), elements_text(b->elements));
        changed(&o, "method", !strcmp(method_of(a->method), method_of(b->method)),
                pcsm__xstrdup(method_of(a->method)), pcsm__xstrdup(method_of(b->method)));
        changed(&o, "where", pcsm_diff__same_sql(a->where, b->where), text_or_null(a->where),
                text_or_null(b->where));
    }
    comment_changed(&o, a->comment, b->comment);
    free(label);
}

/* A constraint of one side only: by name, or by definition when it has none. */
static void add_constraint(pcsm_diff *d, enum pcsm_diff_change change, const char *schema,
                           const char *table, const struct pcsm_schema_constraint *c)
{
    char *label = c->name ? NULL : definition_label(c);

    add(d, PCSM_DIFF_CONSTRAINT, change, schema, table, c->name ? c->name : label, NULL, NULL,
        NULL);
    free(label);
}

/*
 * Pairs the constraints of a table both sides have: by name first, then
 * each one without a name (the server chose it, the model does not know
 * it) with an unpaired one of the other side that has its definition.
 */
/*
 * Whether CHECK k of inheriting table t (of model s) is only that of a
 * parent t inherits on both sides (`other` is t on the other side): what
 * differs of it is the parent's, reported there.
 */
static bool parents_check(const pcsm_schema *s, const struct pcsm_schema_table *t,
                          const struct pcsm_schema_table *other,
                          const struct pcsm_schema_constraint *k)
{
    size_t i, j;

    for (i = 0; k->inherited_only && t->inherits && t->inherits[i]; i++) {
        const struct pcsm_schema_table *p = pcsm_schema__table_in(s, t->schema, t->inherits[i]);

        for (j = 0; p && pcsm_schema__names_contain(other->inherits, t->inherits[i]) &&
                    j < p->n_constraints; j++)
            if (p->constraints[j].kind == PCSM_CHECK &&
                pcsm_schema__str_eq(p->constraints[j].name, k->name) &&
                pcsm_diff__same_sql(p->constraints[j].check, k->check) &&
                p->constraints[j].not_valid == k->not_valid)
                return true;
    }
    return false;
}

static void diff_constraints(pcsm_diff *d, const pcsm_schema *from, const pcsm_schema *to,
                             const struct pcsm_schema_table *a,
                             const struct pcsm_schema_table *b)
{
    size_t *pair = pcsm__xcalloc(a->n_constraints + 1, sizeof(*pair));   /* j + 1, or 0 */
    bool *taken = pcsm__xcalloc(b->n_constraints + 1, sizeof(*taken));
    size_t i, j;

    for (i = 0; i < a->n_constraints; i++)
        for (j = 0; a->constraints[i].name && !pair[i] && j < b->n_constraints; j++)
            if (!taken[j] && pcsm_schema__str_eq(a->constraints[i].name, b->constraints[j].name)) {
                pair[i] = j + 1;
                taken[j] = true;
            }
    for (i = 0; i < a->n_constraints; i++)
        for (j = 0; !pair[i] && j < b->n_constraints; j++)
            if (!taken[j] && (!a->constraints[i].name || !b->constraints[j].name) &&
                same_definition(&a->constraints[i], &b->constraints[j])) {
                pair[i] = j + 1;
                taken[j] = true;
            }
    for (i = 0; i < a->n_constraints; i++)
        if (pair[i] && parents_check(from, a, b, &a->constraints[i]) &&
            parents_check(to, b, a, &b->constraints[pair[i] - 1]))
            continue;
        else if (pair[i])
            diff_constraint(d, from, to, a->schema, a->name, &a->constraints[i],
                            &b->constraints[pair[i] - 1]);
        else if (!parents_check(from, a, b, &a->constraints[i]))
            add_constraint(d, PCSM_DIFF_MISSING, a->schema, a->name, &a->constraints[i]);
    for (j = 0; j < b->n_constraints; j++)
        if (!taken[j] && !parents_check(to, b, a, &b->constraints[j]))
            add_constraint(d, PCSM_DIFF_EXTRA, a->schema, a->name, &b->constraints[j]);
    free(pair);
    free(taken);
}

/* ------------------------------------ triggers, functions, types, extensions */

static char *timing_text(enum pcsm_trigger_timing t)
{
    return pcsm__xstrdup(pcsm_render__timing(t));
}

static char *events_text(unsigned events)
{
    pcsm_buf out = PCSM_BUF_INIT;

    pcsm_render__events(events, &out);
    return pcsm_buf_detach(&out);
}

static void diff_trigger(pcsm_diff *d, const char *schema, const char *table,
                         const struct pcsm_schema_trigger *a, const struct pcsm_schema_trigger *b)
{
    const struct object o = { d, PCSM_DIFF_TRIGGER, table, a->name, NULL, schema };

    changed(&o, "timing", a->timing == b->timing, timing_text(a->timing),
            timing_text(b->timing));
    changed(&o, "events", a->events == b->events, events_text(a->events),
            events_text(b->events));
    changed(&o, "for_each_row", a->for_each_row == b->for_each_row,
            bool_text(a->for_each_row), bool_text(b->for_each_row));
    changed(&o, "function", pcsm_schema__str_eq(a->function, b->function) &&
            pcsm_schema__str_eq(a->function_schema, b->function_schema),
            qualified_text(a->function_schema, a->function),
            qualified_text(b->function_schema, b->function));
    changed(&o, "when", pcsm_diff__same_sql(a->when, b->when), text_or_null(a->when),
            text_or_null(b->when));
    changed(&o, "enabled", a->firing == b->firing,
            pcsm__xstrdup(pcsm_schema__firing_text(a->firing)),
            pcsm__xstrdup(pcsm_schema__firing_text(b->firing)));
    comment_changed(&o, a->comment, b->comment);
}

static char *roles_text(char *const *roles)
{
    return roles ? names_text(roles) : pcsm__xstrdup("public");
}

static void diff_policy(pcsm_diff *d, const char *schema, const char *table,
                        const struct pcsm_schema_policy *a, const struct pcsm_schema_policy *b)
{
    const struct object o = { d, PCSM_DIFF_POLICY, table, a->name, NULL, schema };

    changed(&o, "command", a->command == b->command,
            pcsm__xstrdup(pcsm_render__policy_command(a->command)),
            pcsm__xstrdup(pcsm_render__policy_command(b->command)));
    changed(&o, "restrictive", a->restrictive == b->restrictive, bool_text(a->restrictive),
            bool_text(b->restrictive));
    changed(&o, "roles", pcsm_schema__names_eq(a->roles, b->roles), roles_text(a->roles),
            roles_text(b->roles));
    changed(&o, "using", pcsm_diff__same_sql(a->using, b->using), text_or_null(a->using),
            text_or_null(b->using));
    changed(&o, "with_check", pcsm_diff__same_sql(a->with_check, b->with_check),
            text_or_null(a->with_check), text_or_null(b->with_check));
    comment_changed(&o, a->comment, b->comment);
}

static char *volatility_text(enum pcsm_volatility v)
{
    return pcsm__xstrdup(pcsm_render__volatility(v));
}

/* "name(signature)": overloads are other functions. */
static char *function_path(const struct pcsm_schema_function *f)
{
    pcsm_buf out = PCSM_BUF_INIT;

    pcsm_buf_printf(&out, "%s(%s)", f->name, f->signature);
    return pcsm_buf_detach(&out);
}

static void diff_function(pcsm_diff *d, const struct pcsm_schema_function *a,
                          const struct pcsm_schema_function *b)
{
    char *path = function_path(a);
    const struct object o = { d, PCSM_DIFF_FUNCTION, a->name, NULL, path, a->schema };
    char *ra = pcsm_schema__type_identity(a->returns), *rb = pcsm_schema__type_identity(b->returns);
    char *va = volatility_text(a->volatility), *vb = volatility_text(b->volatility);

    /* The list as written: the signature is the same, names and defaults may not be. */
    changed(&o, "arguments", pcsm_diff__same_sql(a->arguments, b->arguments),
            text_or_null(a->arguments), text_or_null(b->arguments));
    changed(&o, "returns", !strcmp(ra, rb), text_or_null(a->returns), text_or_null(b->returns));
    changed(&o, "language", pcsm_schema__str_eq(a->language, b->language),
            text_or_null(a->language), text_or_null(b->language));
    changed(&o, "body", pcsm_schema__str_eq(a->body, b->body), text_or_null(a->body),
            text_or_null(b->body));
    changed(&o, "volatility", !strcmp(va, vb), va, vb);
    changed(&o, "strict", a->strict == b->strict, bool_text(a->strict), bool_text(b->strict));
    changed(&o, "security_definer", a->security_definer == b->security_definer,
            bool_text(a->security_definer), bool_text(b->security_definer));
    comment_changed(&o, a->comment, b->comment);
    privileges_changed(&o, PCSM_PRIVILEGE_FUNCTION, &a->acl, &b->acl);
    free(ra);
    free(rb);
    free(path);
}

/* The functions, types and extensions of `a` that `b` lacks. */
static void one_sided_objects(pcsm_diff *d, enum pcsm_diff_change change, const pcsm_schema *a,
                              const pcsm_schema *b)
{
    size_t i;

    for (i = 0; i < a->n_functions; i++) {
        const struct pcsm_schema_function *f = &a->functions[i];

        if (!pcsm_schema__function_in(b, f->schema, f->name, f->signature)) {
            char *path = function_path(f);

            add_at(d, PCSM_DIFF_FUNCTION, change, f->schema, f->name, NULL, path, NULL, NULL,
                   NULL);
            free(path);
        }
    }
    for (i = 0; i < a->n_types; i++)
        if (!pcsm_schema__type_in(b, a->types[i].schema, a->types[i].name))
            add(d, PCSM_DIFF_TYPE, change, a->types[i].schema, a->types[i].name, NULL, NULL,
                NULL, NULL);
    for (i = 0; i < a->n_sequences; i++)
        if (!pcsm_schema__sequence_in(b, a->sequences[i].schema, a->sequences[i].name))
            add(d, PCSM_DIFF_SEQUENCE, change, a->sequences[i].schema, a->sequences[i].name,
                NULL, NULL, NULL, NULL);
    for (i = 0; i < a->n_collations; i++)
        if (!pcsm_schema__collation_in(b, a->collations[i].schema, a->collations[i].name))
            add(d, PCSM_DIFF_COLLATION, change, a->collations[i].schema,
                a->collations[i].name, NULL, NULL, NULL, NULL);
    for (i = 0; i < a->n_composites; i++)
        if (!pcsm_schema__composite_in(b, a->composites[i].schema, a->composites[i].name))
            add(d, PCSM_DIFF_COMPOSITE_TYPE, change, a->composites[i].schema,
                a->composites[i].name, NULL, NULL, NULL, NULL);
    for (i = 0; i < a->n_domains; i++)
        if (!pcsm_schema__domain_in(b, a->domains[i].schema, a->domains[i].name))
            add(d, PCSM_DIFF_DOMAIN, change, a->domains[i].schema, a->domains[i].name, NULL,
                NULL, NULL, NULL);
    for (i = 0; i < a->n_ranges; i++)
        if (!pcsm_schema__range_in(b, a->ranges[i].schema, a->ranges[i].name))
            add(d, PCSM_DIFF_RANGE_TYPE, change, a->ranges[i].schema, a->ranges[i].name, NULL,
                NULL, NULL, NULL);
    for (i = 0; i < a->n_extensions; i++)
        if (!pcsm_schema__extension(b, a->extensions[i].name))
            add(d, PCSM_DIFF_EXTENSION, change, NULL, a->extensions[i].name, NULL, NULL, NULL,
                NULL);
    for (i = 0; i < a->n_views; i++)
        if (!pcsm_schema__view_in(b, a->views[i].schema, a->views[i].name))
            add(d, PCSM_DIFF_VIEW, change, a->views[i].schema, a->views[i].name, NULL, NULL,
                NULL, NULL);
    /* A schema made on one side only (the target is on both). */
    for (i = 0; i < a->n_schemas; i++)
        if (!pcsm_schema__has_schema(b, a->schemas[i]))
            add(d, PCSM_DIFF_SCHEMA, change, NULL, a->schemas[i], NULL, NULL, NULL, NULL);
}

static char *provider_text(enum pcsm_collation_provider p)
{
    return pcsm__xstrdup(p == PCSM_PROVIDER_ICU ? "icu" : "libc");
}

static void diff_collation(pcsm_diff *d, const struct pcsm_schema_collation *a,
                           const struct pcsm_schema_collation *b)
{
    const struct object o = { d, PCSM_DIFF_COLLATION, a->name, NULL, NULL, a->schema };

    changed(&o, "provider", a->provider == b->provider, provider_text(a->provider),
            provider_text(b->provider));
    changed(&o, "lc_collate", pcsm_schema__str_eq(a->collate, b->collate),
            text_or_null(a->collate), text_or_null(b->collate));
    changed(&o, "lc_ctype", pcsm_schema__str_eq(a->ctype, b->ctype), text_or_null(a->ctype),
            text_or_null(b->ctype));
    changed(&o, "deterministic", a->nondeterministic == b->nondeterministic,
            bool_text(!a->nondeterministic), bool_text(!b->nondeterministic));
}

/* The constraints of a domain both sides have; those of one side only are missing or extra. */
static void diff_domain_constraints(pcsm_diff *d, enum pcsm_diff_change change,
                                    const struct pcsm_schema_domain *a,
                                    const struct pcsm_schema_domain *b)
{
    size_t i;

    for (i = 0; i < a->n_constraints; i++) {
        const struct pcsm_schema_constraint *k = &a->constraints[i];
        const struct pcsm_schema_constraint *l = pcsm_schema__domain_constraint(b, k->name);
        const struct object o = { d, PCSM_DIFF_DOMAIN_CONSTRAINT, a->name, k->name, NULL,
                                  a->schema };

        if (!l) {
            add(d, PCSM_DIFF_DOMAIN_CONSTRAINT, change, a->schema, a->name, k->name, NULL,
                NULL, NULL);
        } else if (change == PCSM_DIFF_MISSING) {
            changed(&o, "check", pcsm_schema__str_eq(k->check, l->check),
                    text_or_null(k->check), text_or_null(l->check));
            changed(&o, "not_valid", k->not_valid == l->not_valid, bool_text(k->not_valid),
                    bool_text(l->not_valid));
        }
    }
}

/* A composite type's attributes as "a integer, b text COLLATE "C"". */
static char *attributes_text(const struct pcsm_schema_composite *c)
{
    pcsm_buf out = PCSM_BUF_INIT;
    size_t i;

    for (i = 0; i < c->n_attributes; i++) {
        if (i)
            pcsm_buf_puts(&out, ", ");
        pcsm_buf_printf(&out, "%s ", c->attributes[i].name);
        pcsm_render__type(c->attributes[i].type, &out);
        if (c->attributes[i].collation)
            pcsm_buf_printf(&out, " COLLATE \"%s\"", c->attributes[i].collation);
    }
    return pcsm_buf_detach(&out);
}

static void diff_composite(pcsm_diff *d, const struct pcsm_schema_composite *a,
                           const struct pcsm_schema_composite *b)
{
    const struct object o = { d, PCSM_DIFF_COMPOSITE_TYPE, a->name, NULL, NULL, a->schema };

    changed(&o, "attributes", pcsm_schema__attributes_eq(a, b), attributes_text(a),
            attributes_text(b));
    comment_changed(&o, a->comment, b->comment);
    privileges_changed(&o, PCSM_PRIVILEGE_TYPE, &a->acl, &b->acl);
}

/* A range's subtype_diff as the SQL names it: "f", or "schema.f" outside the path. */
static char *subtype_diff_text(const struct pcsm_schema_range *r)
{
    pcsm_buf out = PCSM_BUF_INIT;

    if (!r->subtype_diff)
        return NULL;
    if (r->subtype_diff_schema)
        pcsm_buf_printf(&out, "%s.", r->subtype_diff_schema);
    pcsm_buf_puts(&out, r->subtype_diff);
    return pcsm_buf_detach(&out);
}

static void diff_range(pcsm_diff *d, const struct pcsm_schema_range *a,
                       const struct pcsm_schema_range *b)
{
    const struct object o = { d, PCSM_DIFF_RANGE_TYPE, a->name, NULL, NULL, a->schema };

    changed(&o, "subtype", pcsm_schema__type_eq(a->subtype, b->subtype),
            type_text(a->subtype), type_text(b->subtype));
    changed(&o, "subtype_opclass", pcsm_schema__str_eq(a->subtype_opclass, b->subtype_opclass),
            text_or_null(a->subtype_opclass), text_or_null(b->subtype_opclass));
    changed(&o, "collation", pcsm_schema__str_eq(a->collation, b->collation),
            text_or_null(a->collation), text_or_null(b->collation));
    changed(&o, "subtype_diff", pcsm_schema__str_eq(a->subtype_diff, b->subtype_diff) &&
            pcsm_schema__str_eq(a->subtype_diff_schema, b->subtype_diff_schema),
            subtype_diff_text(a), subtype_diff_text(b));
    changed(&o, "multirange", pcsm_schema__str_eq(a->multirange, b->multirange),
            pcsm_schema__multirange_name(a), pcsm_schema__multirange_name(b));
    comment_changed(&o, a->comment, b->comment);
    privileges_changed(&o, PCSM_PRIVILEGE_TYPE, &a->acl, &b->acl);
}

static void diff_domain(pcsm_diff *d, const struct pcsm_schema_domain *a,
                        const struct pcsm_schema_domain *b)
{
    const struct object o = { d, PCSM_DIFF_DOMAIN, a->name, NULL, NULL, a->schema };

    changed(&o, "type", pcsm_schema__type_eq(a->type, b->type), type_text(a->type),
            type_text(b->type));
    changed(&o, "collation", pcsm_schema__str_eq(a->collation, b->collation),
            text_or_null(a->collation), text_or_null(b->collation));
    changed(&o, "default", a->default_value.kind == b->default_value.kind &&
            pcsm_schema__str_eq(a->default_value.text, b->default_value.text),
            value_text(a->default_value), value_text(b->default_value));
    changed(&o, "not_null", a->not_null == b->not_null, bool_text(a->not_null),
            bool_text(b->not_null));
    comment_changed(&o, a->comment, b->comment);
    privileges_changed(&o, PCSM_PRIVILEGE_TYPE, &a->acl, &b->acl);
    diff_domain_constraints(d, PCSM_DIFF_MISSING, a, b);
    diff_domain_constraints(d, PCSM_DIFF_EXTRA, b, a);
}

/* Those both sides have: a type's labels, in order; a function's attributes. */
static void diff_objects(pcsm_diff *d, const pcsm_schema *from, const pcsm_schema *to)
{
    size_t i;

    for (i = 0; i < from->n_collations; i++) {
        const struct pcsm_schema_collation *c =
            pcsm_schema__collation_in(to, from->collations[i].schema, from->collations[i].name);

        if (c)
            diff_collation(d, &from->collations[i], c);
    }
    for (i = 0; i < from->n_composites; i++) {
        const struct pcsm_schema_composite *c =
            pcsm_schema__composite_in(to, from->composites[i].schema, from->composites[i].name);

        if (c)
            diff_composite(d, &from->composites[i], c);
    }
    for (i = 0; i < from->n_ranges; i++) {
        const struct pcsm_schema_range *rg =
            pcsm_schema__range_in(to, from->ranges[i].schema, from->ranges[i].name);

        if (rg)
            diff_range(d, &from->ranges[i], rg);
    }
    for (i = 0; i < from->n_domains; i++) {
        const struct pcsm_schema_domain *dom =
            pcsm_schema__domain_in(to, from->domains[i].schema, from->domains[i].name);

        if (dom)
            diff_domain(d, &from->domains[i], dom);
    }

    for (i = 0; i < from->n_functions; i++) {
        const struct pcsm_schema_function *f = &from->functions[i];
        const struct pcsm_schema_function *g = pcsm_schema__function_in(to, f->schema, f->name,
                                                                        f->signature);

        if (g)
            diff_function(d, f, g);
    }
    for (i = 0; i < from->n_types; i++) {
        const struct pcsm_schema_type *ty = pcsm_schema__type_in(to, from->types[i].schema,
                                                                 from->types[i].name);
        const struct object o = { d, PCSM_DIFF_TYPE, from->types[i].name, NULL, NULL,
                                  from->types[i].schema };

        if (!ty)
            continue;
        changed(&o, "labels", pcsm_schema__names_eq(from->types[i].labels, ty->labels),
                names_text(from->types[i].labels), names_text(ty->labels));
        comment_changed(&o, from->types[i].comment, ty->comment);
        privileges_changed(&o, PCSM_PRIVILEGE_TYPE, &from->types[i].acl, &ty->acl);
    }
    for (i = 0; i < from->n_sequences; i++) {
        const struct pcsm_schema_sequence *q = pcsm_schema__sequence_in(to,
                                                                        from->sequences[i].schema,
                                                                        from->sequences[i].name);

        if (q)
            diff_sequence(d, &from->sequences[i], q);
    }
    for (i = 0; i < from->n_views; i++) {
        const struct pcsm_schema_view *v = pcsm_schema__view_in(to, from->views[i].schema,
                                                                from->views[i].name);

        if (v)
            diff_view(d, &from->views[i], v);
    }
    one_sided_objects(d, PCSM_DIFF_MISSING, from, to);
    one_sided_objects(d, PCSM_DIFF_EXTRA, to, from);
}

/* Whether a partition's column is its parent's as it is (NULL is no column). */
static bool mirrors(const struct pcsm_schema_column *c, const struct pcsm_schema_column *pc)
{
    char *x, *y;
    bool same;

    if (!c || !pc)
        return !c && !pc;
    x = value_text(c->default_value);
    y = value_text(pc->default_value);
    same = pcsm_schema__type_eq(c->type, pc->type) && c->not_null == pc->not_null &&
           pcsm_diff__same_sql(x, y) && pcsm_schema__str_eq(c->collation, pc->collation) &&
           pcsm_diff__same_sql(c->generated, pc->generated);
    free(x);
    free(y);
    return same;
}

/*
 * Whether the difference of a partition's column `name` (partition a of
 * from, b of to, of one parent) is its parent's, reported there: on each
 * side the column is the parent's as it is.  Its comment is its own.
 */
static bool parents_column(const pcsm_schema *from, const pcsm_schema *to,
                           const struct pcsm_schema_table *a,
                           const struct pcsm_schema_table *b, const char *name)
{
    const struct pcsm_schema_table *pa, *pb;

    if (!a->partition_of || !b->partition_of || strcmp(a->partition_of, b->partition_of))
        return false;
    pa = pcsm_schema__table_in(from, a->schema, a->partition_of);
    pb = pcsm_schema__table_in(to, b->schema, b->partition_of);
    return pa && pb && mirrors(pcsm_schema__column(a, name), pcsm_schema__column(pa, name)) &&
           mirrors(pcsm_schema__column(b, name), pcsm_schema__column(pb, name));
}

/*
 * Whether column `name` of inheriting table t (of model s) is only that of
 * a parent t inherits on both sides (`other` is t on the other side), as it
 * is: what differs of it is the parent's, reported there.
 */
static bool parents_inherited_column(const pcsm_schema *s, const struct pcsm_schema_table *t,
                                     const struct pcsm_schema_table *other, const char *name)
{
    const struct pcsm_schema_column *c = pcsm_schema__column(t, name);
    size_t i;

    for (i = 0; c && c->inherited_only && t->inherits && t->inherits[i]; i++) {
        const struct pcsm_schema_table *p = pcsm_schema__table_in(s, t->schema, t->inherits[i]);

        if (p && pcsm_schema__names_contain(other->inherits, t->inherits[i]) &&
            mirrors(c, pcsm_schema__column(p, name)))
            return true;
    }
    return false;
}

void pcsm_diff__table(pcsm_diff *d, const pcsm_schema *from, const pcsm_schema *to,
                      const struct pcsm_schema_table *a, const struct pcsm_schema_table *b)
{
    const struct object o = { d, PCSM_DIFF_TABLE, a->name, NULL, NULL, a->schema };
    size_t i;

    comment_changed(&o, a->comment, b->comment);
    privileges_changed(&o, PCSM_PRIVILEGE_TABLE, &a->acl, &b->acl);
    {
        char *pa = partition_by_text(a), *pb = partition_by_text(b);
        bool same = pcsm_diff__same_sql(pa, pb);

        changed(&o, "partition_by", same, pa, pb);
        pa = partition_of_text(a), pb = partition_of_text(b);
        same = pcsm_diff__same_sql(pa, pb);
        changed(&o, "partition_of", same, pa, pb);
        pa = inherits_text(a), pb = inherits_text(b);
        changed(&o, "inherits", pcsm_schema__str_eq(pa, pb), pa, pb);
    }
    for (i = 0; i < a->n_columns; i++) {
        const struct pcsm_schema_column *c = pcsm_schema__column(b, a->columns[i].name);

        if (c && (parents_column(from, to, a, b, c->name) ||
                  (parents_inherited_column(from, a, b, c->name) &&
                   parents_inherited_column(to, b, a, c->name)))) {
            const struct object oc = { d, PCSM_DIFF_COLUMN, a->name, c->name, NULL, a->schema };

            comment_changed(&oc, a->columns[i].comment, c->comment);
            privileges_changed(&oc, PCSM_PRIVILEGE_NONE, &a->columns[i].acl, &c->acl);
        } else if (c) {
            diff_column(d, a->schema, a->name, &a->columns[i], c);
        } else if (!parents_column(from, to, a, b, a->columns[i].name) &&
                   !parents_inherited_column(from, a, b, a->columns[i].name)) {
            add(d, PCSM_DIFF_COLUMN, PCSM_DIFF_MISSING, a->schema, a->name, a->columns[i].name,
                NULL, NULL, NULL);
        }
    }
    for (i = 0; i < b->n_columns; i++)
        if (!pcsm_schema__column(a, b->columns[i].name) &&
            !parents_column(from, to, a, b, b->columns[i].name) &&
            !parents_inherited_column(to, b, a, b->columns[i].name))
            add(d, PCSM_DIFF_COLUMN, PCSM_DIFF_EXTRA, a->schema, a->name, b->columns[i].name,
                NULL, NULL, NULL);
    diff_constraints(d, from, to, a, b);
    for (i = 0; i < a->n_triggers; i++) {
        const struct pcsm_schema_trigger *tr = pcsm_schema__trigger(b, a->triggers[i].name);

        if (tr)
            diff_trigger(d, a->schema, a->name, &a->triggers[i], tr);
        else
            add(d, PCSM_DIFF_TRIGGER, PCSM_DIFF_MISSING, a->schema, a->name,
                a->triggers[i].name, NULL, NULL, NULL);
    }
    for (i = 0; i < b->n_triggers; i++)
        if (!pcsm_schema__trigger(a, b->triggers[i].name))
            add(d, PCSM_DIFF_TRIGGER, PCSM_DIFF_EXTRA, a->schema, a->name, b->triggers[i].name,
                NULL, NULL, NULL);
    changed(&o, "row_security", a->row_security == b->row_security, bool_text(a->row_security),
            bool_text(b->row_security));
    changed(&o, "force_row_security", a->force_row_security == b->force_row_security,
            bool_text(a->force_row_security), bool_text(b->force_row_security));
    for (i = 0; i < a->n_policies; i++) {
        const struct pcsm_schema_policy *p = pcsm_schema__policy(b, a->policies[i].name);

        if (p)
            diff_policy(d, a->schema, a->name, &a->policies[i], p);
        else
            add(d, PCSM_DIFF_POLICY, PCSM_DIFF_MISSING, a->schema, a->name,
                a->policies[i].name, NULL, NULL, NULL);
    }
    for (i = 0; i < b->n_policies; i++)
        if (!pcsm_schema__policy(a, b->policies[i].name))
            add(d, PCSM_DIFF_POLICY, PCSM_DIFF_EXTRA, a->schema, a->name, b->policies[i].name,
                NULL, NULL, NULL);
}

static void diff_index(pcsm_diff *d, const struct pcsm_schema_index *a,
                       const struct pcsm_schema_index *b)
{
    const struct object o = { d, PCSM_DIFF_INDEX, a->name, NULL, NULL, a->schema };

    changed(&o, "table", pcsm_schema__str_eq(a->table, b->table), text_or_null(a->table),
            text_or_null(b->table));
    changed(&o, "columns", pcsm_schema__names_eq(a->columns, b->columns), names_text(a->columns),
            names_text(b->columns));
    changed(&o, "expression", pcsm_diff__same_sql(a->expression, b->expression),
            text_or_null(a->expression), text_or_null(b->expression));
    changed(&o, "unique", a->unique == b->unique, bool_text(a->unique), bool_text(b->unique));
    changed(&o, "valid", a->invalid == b->invalid, bool_text(!a->invalid),
            bool_text(!b->invalid));
    changed(&o, "method", !strcmp(method_of(a->method), method_of(b->method)),
            pcsm__xstrdup(method_of(a->method)), pcsm__xstrdup(method_of(b->method)));
    changed(&o, "where", pcsm_diff__same_sql(a->where, b->where), text_or_null(a->where),
            text_or_null(b->where));
    changed(&o, "elements", pcsm_schema__elements_eq(a->elements, b->elements),
            elements_text(a->elements), elements_text(b->elements));
    changed(&o, "nulls_not_distinct", a->nulls_not_distinct == b->nulls_not_distinct,
            bool_text(a->nulls_not_distinct), bool_text(b->nulls_not_distinct));
    comment_changed(&o, a->comment, b->comment);
}

/*
 * The indexes of `a` that `b` lacks.  One on a table (or materialized
 * view) that `b` lacks as a whole went with that table's entry.
 */
static void one_sided_indexes(pcsm_diff *d, enum pcsm_diff_change change, const pcsm_schema *a,
                              const pcsm_schema *b)
{
    size_t i;

    for (i = 0; i < a->n_indexes; i++) {
        const struct pcsm_schema_index *ix = &a->indexes[i];

        if (!pcsm_schema__index_in(b, ix->schema, ix->name) &&
            (pcsm_schema__table_in(b, ix->schema, ix->table) ||
             pcsm_schema__view_in(b, ix->schema, ix->table)))
            add(d, PCSM_DIFF_INDEX, change, ix->schema, ix->name, NULL, NULL, NULL, NULL);
    }
}

/*
 * The raw-SQL operations of `a` that `b` does not hold too, listed and
 * added to ops (n_ops of them), which has room for them.
 */
static void one_sided_opaque(pcsm_diff *d, enum pcsm_diff_change side, const pcsm_schema *a,
                             const pcsm_schema *b, const struct pcsm_schema_opaque **ops,
                             size_t *n_ops)
{
    size_t i, k;

    for (i = 0; i < a->n_opaque; i++) {
        const struct pcsm_schema_opaque *x = &a->opaque[i];
        bool shared = false;

        for (k = 0; k < b->n_opaque && !shared; k++)
            shared = b->opaque[k].op == x->op && !strcmp(b->opaque[k].revision, x->revision);
        if (shared)
            continue;
        ops[(*n_ops)++] = x;
        pcsm__grow(&d->raw_sql, &d->cap_raw_sql, d->n_raw_sql + 1,
                   sizeof(*d->raw_sql));
        d->raw_sql[d->n_raw_sql++] = (pcsm_diff_raw_sql){
            .side = side, .revision = pcsm__xstrdup(x->revision), .operation = x->op + 1,
            .summary = pcsm__xstrdup(x->summary),
        };
    }
}

static bool op_names(const struct pcsm_schema_opaque *x, const char *name)
{
    size_t i;

    for (i = 0; name && x->mentions && x->mentions[i]; i++)
        if (!strcmp(x->mentions[i], name))
            return true;
    return false;
}

/*
 * Marks the entries that raw SQL may explain, as pcsm_diff_entry says.
 * ops[k] is d->raw_sql[k]'s operation.  It names a table or an index by
 * its own name, a column or a constraint by its table's and its own (a
 * table's name alone is in every trigger or data statement on it).  An
 * object only one side has can have been made by raw SQL of the side that
 * lacks it, never of the side that has it: the model of that side saw
 * the object made.
 */
static void mark_unverified(pcsm_diff *d, const struct pcsm_schema_opaque *const *ops)
{
    size_t i, k;

    for (i = 0; i < d->n_items; i++) {
        pcsm_diff_entry *e = &d->items[i].pub;

        for (k = 0; k < d->n_raw_sql && !e->unverified; k++)
            e->unverified = d->raw_sql[k].side != e->change &&
                            op_names(ops[k], d->items[i].head) &&
                            (!d->items[i].sub || op_names(ops[k], d->items[i].sub));
    }
}

/* ------------------------------------------------ what no model holds */

static char *unmodelled_path(const struct pcsm_schema_unmodelled *u)
{
    pcsm_buf out = PCSM_BUF_INIT;

    if (u->schema)
        pcsm_buf_printf(&out, "%s.", u->schema);
    pcsm_buf_puts(&out, u->name);
    return pcsm_buf_detach(&out);
}

static int cmp_unmodelled(const void *x, const void *y)
{
    const pcsm_diff_unmodelled *a = x, *b = y;
    int c = strcmp(a->kind, b->kind);

    if (!c)
        c = strcmp(a->path, b->path);
    return c ? c : (int)a->side - (int)b->side;
}

/* Each of either side's, once: on one side, or on both (CHANGED). */
static void list_unmodelled(pcsm_diff *d, const pcsm_schema *from, const pcsm_schema *to)
{
    const pcsm_schema *sides[2] = { from, to };
    size_t i, k, n;

    for (k = 0; k < 2; k++)
        for (i = 0; i < sides[k]->n_unmodelled; i++) {
            pcsm__grow(&d->unmodelled, &d->cap_unmodelled, d->n_unmodelled + 1,
                       sizeof(*d->unmodelled));
            d->unmodelled[d->n_unmodelled++] = (pcsm_diff_unmodelled){
                .side = k ? PCSM_DIFF_EXTRA : PCSM_DIFF_MISSING,
                .kind = pcsm__xstrdup(sides[k]->unmodelled[i].kind),
                .path = unmodelled_path(&sides[k]->unmodelled[i]),
            };
        }
    if (!d->n_unmodelled)
        return;
    qsort(d->unmodelled, d->n_unmodelled, sizeof(*d->unmodelled), cmp_unmodelled);
    /* A MISSING then an EXTRA of the same kind and path are one on both sides. */
    for (i = n = 0; i < d->n_unmodelled; i++) {
        pcsm_diff_unmodelled *u = &d->unmodelled[i];

        if (n && d->unmodelled[n - 1].side == PCSM_DIFF_MISSING &&
            u->side == PCSM_DIFF_EXTRA && !strcmp(d->unmodelled[n - 1].kind, u->kind) &&
            !strcmp(d->unmodelled[n - 1].path, u->path)) {
            d->unmodelled[n - 1].side = PCSM_DIFF_CHANGED;
            free((char *)u->kind);
            free((char *)u->path);
            continue;
        }
        d->unmodelled[n++] = *u;
    }
    d->n_unmodelled = n;
}

size_t pcsm_diff_unmodelled_count(const pcsm_diff *d)
{
    return d->n_unmodelled;
}

const pcsm_diff_unmodelled *pcsm_diff_unmodelled_at(const pcsm_diff *d, size_t i)
{
    assert(i < d->n_unmodelled);
    return &d->unmodelled[i];
}

/* ----------------------------------------------------------- order */

static int cmp_opt(const char *a, const char *b)
{
    if (!a || !b)
        return !!a - !!b;       /* NULL first: the table before its parts */
    return strcmp(a, b);
}

static int cmp_item(const void *x, const void *y)
{
    const struct pcsm_diff_item *a = x, *b = y;
    int c = cmp_opt(a->schema, b->schema);      /* the target schema's first */

    if (!c)
        c = strcmp(a->head, b->head);
    if (!c)
        c = cmp_opt(a->sub, b->sub);
    if (!c)
        c = (int)a->pub.object - (int)b->pub.object;
    if (!c)
        c = strcmp(a->pub.path, b->pub.path);      /* a function's overloads */
    if (!c)
        c = cmp_opt(a->pub.attribute, b->pub.attribute);
    if (!c)
        c = (int)a->pub.change - (int)b->pub.change;
    return c;
}

/* ------------------------------------------------------------ API */

/* "reader: tables in billing": what an entry of default privileges is for. */
static char *default_acl_path(const struct pcsm_schema_default_acl *e)
{
    static const char *const kinds[] = {
        [PCSM_PRIVILEGE_NONE] = "?", [PCSM_PRIVILEGE_TABLE] = "tables",
        [PCSM_PRIVILEGE_SEQUENCE] = "sequences", [PCSM_PRIVILEGE_FUNCTION] = "functions",
        [PCSM_PRIVILEGE_TYPE] = "types",
    };
    pcsm_buf out = PCSM_BUF_INIT;

    if (e->role)
        pcsm_buf_printf(&out, "%s: ", e->role);
    pcsm_buf_puts(&out, kinds[e->on]);
    if (e->in_schema)
        pcsm_buf_printf(&out, " in %s", e->schema ? e->schema : "the target schema");
    return pcsm_buf_detach(&out);
}

static void add_unmodelled(pcsm_diff *d, enum pcsm_diff_change side, const char *kind,
                           char *path)
{
    pcsm__grow(&d->unmodelled, &d->cap_unmodelled, d->n_unmodelled + 1, sizeof(*d->unmodelled));
    d->unmodelled[d->n_unmodelled++] = (pcsm_diff_unmodelled){
        .side = side, .kind = pcsm__xstrdup(kind), .path = path,
    };
}

/*
 * Default privileges, an entry both sides have compared; one that one
 * side alone has is listed as not verified, never drift: it may be its
 * environment's (a role's own, set outside the revisions, or one of the
 * schema a scratch build does not run in), and each object's privileges
 * compare against their side's (privileges_changed()), so it shows there.
 */
static void diff_default_acls(pcsm_diff *d, const pcsm_schema *from, const pcsm_schema *to)
{
    const pcsm_schema *sides[2] = { from, to };
    size_t i, k;

    for (k = 0; k < 2; k++)
        for (i = 0; i < sides[k]->n_default_acls; i++) {
            const struct pcsm_schema_default_acl *e = &sides[k]->default_acls[i];
            const struct pcsm_schema_default_acl *o =
                pcsm_schema__default_acl(sides[!k], e->role, e->in_schema, e->schema, e->on);
            char *path = default_acl_path(e);

            if (!o) {
                char *acl = pcsm_schema__acl_text(&e->acl);
                pcsm_buf p = PCSM_BUF_INIT;

                pcsm_buf_printf(&p, "%s {%s}", path, acl ? acl : "");
                add_unmodelled(d, k ? PCSM_DIFF_EXTRA : PCSM_DIFF_MISSING,
                               "default privileges", pcsm_buf_detach(&p));
                free(acl);
            } else if (!k && !pcsm_schema__acl_eq(&e->acl, &o->acl)) {
                add_at(d, PCSM_DIFF_DEFAULT_PRIVILEGES, PCSM_DIFF_CHANGED, NULL, "", NULL,
                       path, "privileges", pcsm_schema__acl_text(&e->acl),
                       pcsm_schema__acl_text(&o->acl));
            }
            free(path);
        }
}

int pcsm_diff_models(pcsm_ctx *ctx, const pcsm_schema *from, const pcsm_schema *to,
                     pcsm_diff **out)
{
    pcsm_diff *d = pcsm__xcalloc(1, sizeof(*d));
    const struct pcsm_schema_opaque **ops;
    size_t i, n_ops = 0;

    assert(ctx && from && to && out);
    (void)ctx;      /* nothing fails yet; a comparison that reads a server will */
    d->from = from;
    d->to = to;
    for (i = 0; i < from->n_tables; i++) {
        const struct pcsm_schema_table *a = &from->tables[i];
        const struct pcsm_schema_table *t = pcsm_schema__table_in(to, a->schema, a->name);

        if (t)
            pcsm_diff__table(d, from, to, a, t);
        else
            add(d, PCSM_DIFF_TABLE, PCSM_DIFF_MISSING, a->schema, a->name, NULL, NULL, NULL,
                NULL);
    }
    for (i = 0; i < to->n_tables; i++)
        if (!pcsm_schema__table_in(from, to->tables[i].schema, to->tables[i].name))
            add(d, PCSM_DIFF_TABLE, PCSM_DIFF_EXTRA, to->tables[i].schema, to->tables[i].name,
                NULL, NULL, NULL, NULL);
    for (i = 0; i < from->n_indexes; i++) {
        const struct pcsm_schema_index *ix = pcsm_schema__index_in(to, from->indexes[i].schema,
                                                                   from->indexes[i].name);

        if (ix)
            diff_index(d, &from->indexes[i], ix);
    }
    one_sided_indexes(d, PCSM_DIFF_MISSING, from, to);
    one_sided_indexes(d, PCSM_DIFF_EXTRA, to, from);
    diff_objects(d, from, to);
    diff_default_acls(d, from, to);
    if (d->n_items)             /* qsort() takes no NULL, even for none */
        qsort(d->items, d->n_items, sizeof(*d->items), cmp_item);
    ops = pcsm__xcalloc(from->n_opaque + to->n_opaque + 1, sizeof(*ops));
    one_sided_opaque(d, PCSM_DIFF_MISSING, from, to, ops, &n_ops);
    one_sided_opaque(d, PCSM_DIFF_EXTRA, to, from, ops, &n_ops);
    mark_unverified(d, ops);
    free(ops);
    list_unmodelled(d, from, to);
    d->from = d->to = NULL;
    *out = d;
    return 0;
}

void pcsm_diff_free(pcsm_diff *d)
{
    size_t i;

    if (!d)
        return;
    for (i = 0; i < d->n_items; i++) {
        free((char *)d->items[i].pub.path);
        free((char *)d->items[i].pub.from);
        free((char *)d->items[i].pub.to);
        free(d->items[i].schema);
        free(d->items[i].head);
        free(d->items[i].sub);
    }
    free(d->items);
    for (i = 0; i < d->n_raw_sql; i++) {
        free((char *)d->raw_sql[i].revision);
        free((char *)d->raw_sql[i].summary);
    }
    free(d->raw_sql);
    for (i = 0; i < d->n_unmodelled; i++) {
        free((char *)d->unmodelled[i].kind);
        free((char *)d->unmodelled[i].path);
    }
    free(d->unmodelled);
    free(d);
}

size_t pcsm_diff_count(const pcsm_diff *d)
{
    return d->n_items;
}

const pcsm_diff_entry *pcsm_diff_at(const pcsm_diff *d, size_t i)
{
    assert(i < d->n_items);
    return &d->items[i].pub;
}

bool pcsm_diff_differs(const pcsm_diff *d)
{
    size_t i;

    for (i = 0; i < d->n_items; i++)
        if (!d->items[i].pub.unverified)
            return true;
    return false;
}

size_t pcsm_diff_raw_sql_count(const pcsm_diff *d)
{
    return d->n_raw_sql;
}

const pcsm_diff_raw_sql *pcsm_diff_raw_sql_at(const pcsm_diff *d, size_t i)
{
    assert(i < d->n_raw_sql);
    return &d->raw_sql[i];
}

const char *pcsm_diff_object_name(enum pcsm_diff_object object)
{
    switch (object) {
    case PCSM_DIFF_TABLE: return "table";
    case PCSM_DIFF_COLUMN: return "column";
    case PCSM_DIFF_CONSTRAINT: return "constraint";
    case PCSM_DIFF_INDEX: return "index";
    case PCSM_DIFF_TRIGGER: return "trigger";
    case PCSM_DIFF_FUNCTION: return "function";
    case PCSM_DIFF_TYPE: return "type";
    case PCSM_DIFF_EXTENSION: return "extension";
    case PCSM_DIFF_SEQUENCE: return "sequence";
    case PCSM_DIFF_VIEW: return "view";
    case PCSM_DIFF_SCHEMA: return "schema";
    case PCSM_DIFF_POLICY: return "policy";
    case PCSM_DIFF_COLLATION: return "collation";
    case PCSM_DIFF_DOMAIN: return "domain";
    case PCSM_DIFF_DOMAIN_CONSTRAINT: return "domain constraint";
    case PCSM_DIFF_COMPOSITE_TYPE: return "composite type";
    case PCSM_DIFF_DEFAULT_PRIVILEGES: return "default privileges";
    case PCSM_DIFF_RANGE_TYPE: return "range type";
    }
    return "?";
}

const char *pcsm_diff_change_name(enum pcsm_diff_change change)
{
    switch (change) {
    case PCSM_DIFF_MISSING: return "missing";
    case PCSM_DIFF_EXTRA: return "extra";
    case PCSM_DIFF_CHANGED: return "changed";
    }
    return "?";
}
