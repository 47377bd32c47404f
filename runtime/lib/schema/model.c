/*
 * The schema model's storage: extensions, enum types, functions, tables
 * with their columns, constraints and triggers, indexes, and the raw-SQL
 * operations it could not follow; lookups, order, deep equality, and the
 * names PostgreSQL chooses for what it names itself.
 */
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "schema/schema.h"

#define NAME_MAX_BYTES 63       /* NAMEDATALEN - 1 */

pcsm_schema *pcsm_schema__new(void)
{
    return pcsm__xcalloc(1, sizeof(pcsm_schema));
}

char **pcsm_schema__copy_names(const char *const *names)
{
    size_t n = 0, i;
    char **copy;

    if (!names)
        return NULL;
    while (names[n])
        n++;
    copy = pcsm__xcalloc(n + 1, sizeof(*copy));
    for (i = 0; i < n; i++)
        copy[i] = pcsm__xstrdup(names[i]);
    return copy;
}

void pcsm_schema__free_names(char **names)
{
    size_t i;

    for (i = 0; names && names[i]; i++)
        free(names[i]);
    free(names);
}

pcsm_type pcsm_schema__type_copy(pcsm_type t)
{
    t.name = t.name ? pcsm__xstrdup(t.name) : NULL;
    t.schema = t.schema ? pcsm__xstrdup(t.schema) : NULL;
    t.modifiers = t.modifiers ? pcsm__xstrdup(t.modifiers) : NULL;
    return t;
}

void pcsm_schema__type_dispose(pcsm_type *t)
{
    free((char *)t->name);
    free((char *)t->schema);
    free((char *)t->modifiers);
    t->name = t->schema = t->modifiers = NULL;
}

void pcsm_schema__free_column(struct pcsm_schema_column *c)
{
    free(c->name);
    pcsm_schema__type_dispose(&c->type);
    free((char *)c->default_value.text);
    pcsm_schema__type_dispose(&c->default_type);
    free(c->comment);
    free(c->collation);
    free(c->generated);
    free(c->identity_sequence);
    pcsm_schema__acl_dispose(&c->acl);
}

void pcsm_schema__free_constraint(struct pcsm_schema_constraint *c)
{
    free(c->name);
    pcsm_schema__free_names(c->columns);
    free(c->references);
    free(c->ref_schema);
    pcsm_schema__free_names(c->ref_columns);
    free(c->check);
    pcsm_schema__free_elements(c->elements);
    free(c->method);
    free(c->where);
    free(c->comment);
}

void pcsm_schema__free_index(struct pcsm_schema_index *ix)
{
    free(ix->schema);
    free(ix->name);
    free(ix->table);
    pcsm_schema__free_names(ix->columns);
    free(ix->expression);
    free(ix->method);
    free(ix->where);
    free(ix->comment);
    pcsm_schema__free_elements(ix->elements);
}

static bool element_end(const pcsm_index_element *e)
{
    return !e->column && !e->expression;
}

pcsm_index_element *pcsm_schema__copy_elements(const pcsm_index_element *e)
{
    pcsm_index_element *copy;
    size_t n = 0, i;

    if (!e)
        return NULL;
    while (!element_end(&e[n]))
        n++;
    copy = pcsm__xcalloc(n + 1, sizeof(*copy));
    for (i = 0; i < n; i++) {
        copy[i] = e[i];
        copy[i].column = e[i].column ? pcsm__xstrdup(e[i].column) : NULL;
        copy[i].expression = e[i].expression ? pcsm__xstrdup(e[i].expression) : NULL;
        copy[i].collation = e[i].collation ? pcsm__xstrdup(e[i].collation) : NULL;
        copy[i].opclass = e[i].opclass ? pcsm__xstrdup(e[i].opclass) : NULL;
        copy[i].with = e[i].with ? pcsm__xstrdup(e[i].with) : NULL;
    }
    return copy;
}

void pcsm_schema__free_elements(pcsm_index_element *e)
{
    size_t i;

    for (i = 0; e && !element_end(&e[i]); i++) {
        free((char *)e[i].column);
        free((char *)e[i].expression);
        free((char *)e[i].collation);
        free((char *)e[i].opclass);
        free((char *)e[i].with);
    }
    free(e);
}

bool pcsm_schema__elements_eq(const pcsm_index_element *a, const pcsm_index_element *b)
{
    size_t i;

    if (!a || !b)
        return a == b;
    for (i = 0; !element_end(&a[i]) && !element_end(&b[i]); i++)
        if (!pcsm_schema__str_eq(a[i].column, b[i].column) ||
            !pcsm_schema__str_eq(a[i].expression, b[i].expression) ||
            !pcsm_schema__str_eq(a[i].collation, b[i].collation) ||
            !pcsm_schema__str_eq(a[i].opclass, b[i].opclass) ||
            !pcsm_schema__str_eq(a[i].with, b[i].with) ||
            a[i].descending != b[i].descending || a[i].nulls != b[i].nulls)
            return false;
    return element_end(&a[i]) && element_end(&b[i]);
}

void pcsm_schema__normalize_elements(pcsm_index_element *elements)
{
    pcsm_index_element *e;

    for (e = elements; e && !element_end(e); e++)
        if (e->nulls == (e->descending ? PCSM_NULLS_FIRST : PCSM_NULLS_LAST))
            e->nulls = PCSM_NULLS_DEFAULT;
}

bool pcsm_schema__indexed(enum pcsm_constraint_kind kind)
{
    return kind == PCSM_PRIMARY_KEY || kind == PCSM_UNIQUE || kind == PCSM_EXCLUDE;
}

void pcsm_schema__index_keys(struct pcsm_schema_index *ix, pcsm_index_element *elements)
{
    size_t n = 0, i, n_columns = 0;
    bool plain = true;

    pcsm_schema__normalize_elements(elements);
    for (; !element_end(&elements[n]); n++) {
        pcsm_index_element *e = &elements[n];

        plain = plain && !e->collation && !e->opclass && !e->descending &&
                e->nulls == PCSM_NULLS_DEFAULT;
        n_columns += e->column != NULL;
    }
    if (plain && n && n_columns == n) {
        ix->columns = pcsm__xcalloc(n + 1, sizeof(*ix->columns));
        for (i = 0; i < n; i++)
            ix->columns[i] = (char *)elements[i].column;
        free(elements);
    } else if (plain && n == 1 && !n_columns) {
        ix->expression = (char *)elements[0].expression;
        free(elements);
    } else {
        ix->elements = elements;
    }
}

static void free_trigger(struct pcsm_schema_trigger *tr)
{
    free(tr->name);
    free(tr->function);
    free(tr->function_schema);
    free(tr->when);
    free(tr->comment);
}

static void free_policy(struct pcsm_schema_policy *p)
{
    free(p->name);
    pcsm_schema__free_names(p->roles);
    free(p->using);
    free(p->with_check);
    free(p->comment);
}

static void free_table(struct pcsm_schema_table *t)
{
    size_t i;

    free(t->schema);
    free(t->name);
    for (i = 0; i < t->n_columns; i++)
        pcsm_schema__free_column(&t->columns[i]);
    free(t->columns);
    for (i = 0; i < t->n_constraints; i++)
        pcsm_schema__free_constraint(&t->constraints[i]);
    free(t->constraints);
    for (i = 0; i < t->n_triggers; i++)
        free_trigger(&t->triggers[i]);
    free(t->triggers);
    for (i = 0; i < t->n_policies; i++)
        free_policy(&t->policies[i]);
    free(t->policies);
    free(t->comment);
    pcsm_schema__acl_dispose(&t->acl);
    pcsm_schema__free_elements(t->partition_key);
    free(t->partition_of);
    free(t->partition_bound);
    pcsm_schema__free_names(t->inherits);
    for (i = 0; i < t->n_shares; i++) {
        free(t->shares[i].of);
        free(t->shares[i].name);
    }
    free(t->shares);
}

static void free_collation(struct pcsm_schema_collation *c)
{
    free(c->schema);
    free(c->name);
    free(c->collate);
    free(c->ctype);
}

static void free_domain(struct pcsm_schema_domain *d)
{
    size_t i;

    free(d->schema);
    free(d->name);
    pcsm_schema__type_dispose(&d->type);
    free(d->collation);
    free((char *)d->default_value.text);
    for (i = 0; i < d->n_constraints; i++)
        pcsm_schema__free_constraint(&d->constraints[i]);
    free(d->constraints);
    free(d->comment);
    pcsm_schema__acl_dispose(&d->acl);
}

void pcsm_schema__free_attribute(pcsm_attribute *a)
{
    free((char *)a->name);
    pcsm_schema__type_dispose(&a->type);
    free((char *)a->collation);
}

static void free_range(struct pcsm_schema_range *r)
{
    free(r->schema);
    free(r->name);
    pcsm_schema__type_dispose(&r->subtype);
    free(r->subtype_opclass);
    free(r->collation);
    free(r->subtype_diff);
    free(r->subtype_diff_schema);
    free(r->multirange);
    free(r->comment);
    pcsm_schema__acl_dispose(&r->acl);
}

static void free_composite(struct pcsm_schema_composite *c)
{
    size_t i;

    free(c->schema);
    free(c->name);
    for (i = 0; i < c->n_attributes; i++)
        pcsm_schema__free_attribute(&c->attributes[i]);
    free(c->attributes);
    free(c->comment);
    pcsm_schema__acl_dispose(&c->acl);
}

static void free_type(struct pcsm_schema_type *ty)
{
    size_t i;

    free(ty->schema);
    free(ty->name);
    pcsm_schema__free_names(ty->labels);
    for (i = 0; i < ty->n_labels; i++)
        free(ty->added_in[i]);
    free(ty->added_in);
    free(ty->comment);
    pcsm_schema__acl_dispose(&ty->acl);
}

static void free_function(struct pcsm_schema_function *f)
{
    free(f->schema);
    free(f->name);
    free(f->arguments);
    free(f->signature);
    free(f->returns);
    free(f->language);
    free(f->body);
    free(f->comment);
    pcsm_schema__acl_dispose(&f->acl);
}

static void free_sequence(struct pcsm_schema_sequence *q)
{
    free(q->schema);
    free(q->name);
    free(q->owned_table);
    free(q->owned_column);
    free(q->comment);
    pcsm_schema__acl_dispose(&q->acl);
}

static void free_view(struct pcsm_schema_view *v)
{
    free(v->schema);
    free(v->name);
    pcsm_schema__free_names(v->columns);
    free(v->query);
    free(v->comment);
    pcsm_schema__free_names(v->reads);
    pcsm_schema__acl_dispose(&v->acl);
}

void pcsm_schema_free(pcsm_schema *s)
{
    size_t i;

    if (!s)
        return;
    for (i = 0; i < s->n_schemas; i++)
        free(s->schemas[i]);
    free(s->schemas);
    for (i = 0; i < s->n_extensions; i++)
        free(s->extensions[i].name);
    free(s->extensions);
    for (i = 0; i < s->n_collations; i++)
        free_collation(&s->collations[i]);
    free(s->collations);
    for (i = 0; i < s->n_domains; i++)
        free_domain(&s->domains[i]);
    free(s->domains);
    for (i = 0; i < s->n_composites; i++)
        free_composite(&s->composites[i]);
    free(s->composites);
    for (i = 0; i < s->n_ranges; i++)
        free_range(&s->ranges[i]);
    free(s->ranges);
    for (i = 0; i < s->n_types; i++)
        free_type(&s->types[i]);
    free(s->types);
    for (i = 0; i < s->n_functions; i++)
        free_function(&s->functions[i]);
    free(s->functions);
    for (i = 0; i < s->n_sequences; i++)
        free_sequence(&s->sequences[i]);
    free(s->sequences);
    for (i = 0; i < s->n_tables; i++)
        free_table(&s->tables[i]);
    free(s->tables);
    for (i = 0; i < s->n_indexes; i++)
        pcsm_schema__free_index(&s->indexes[i]);
    free(s->indexes);
    for (i = 0; i < s->n_views; i++)
        free_view(&s->views[i]);
    free(s->views);
    pcsm_schema__free_default_acls(s);
    for (i = 0; i < s->n_opaque; i++) {
        free(s->opaque[i].revision);
        free(s->opaque[i].summary);
        pcsm_schema__free_names(s->opaque[i].mentions);
    }
    free(s->opaque);
    for (i = 0; i < s->n_unmodelled; i++) {
        free(s->unmodelled[i].kind);
        free(s->unmodelled[i].schema);
        free(s->unmodelled[i].name);
    }
    free(s->unmodelled);
    free(s);
}

void pcsm_schema__copy_opaque(pcsm_schema *dst, const pcsm_schema *src)
{
    size_t i;

    for (i = 0; i < src->n_opaque; i++) {
        struct pcsm_schema_opaque *x;

        pcsm__grow(&dst->opaque, &dst->cap_opaque, dst->n_opaque + 1, sizeof(*dst->opaque));
        x = &dst->opaque[dst->n_opaque++];
        x->revision = pcsm__xstrdup(src->opaque[i].revision);
        x->op = src->opaque[i].op;
        x->summary = pcsm__xstrdup(src->opaque[i].summary);
        x->mentions = pcsm_schema__copy_names((const char *const *)src->opaque[i].mentions);
    }
}

bool pcsm_schema__mentioned(const pcsm_schema *s, const char *name)
{
    size_t i, k;

    for (i = 0; i < s->n_opaque; i++)
        for (k = 0; s->opaque[i].mentions && s->opaque[i].mentions[k]; k++)
            if (!strcmp(s->opaque[i].mentions[k], name))
                return true;
    return false;
}

size_t pcsm_schema_opaque_count(const pcsm_schema *s)
{
    return s->n_opaque;
}

/* ---------------------------------------------------------------- lookup */

struct pcsm_schema_table *pcsm_schema__table_in(const pcsm_schema *s, const char *schema,
                                                const char *name)
{
    size_t i;

    for (i = 0; i < s->n_tables; i++)
        if (!strcmp(s->tables[i].name, name) && pcsm_schema__str_eq(s->tables[i].schema, schema))
            return &s->tables[i];
    return NULL;
}

struct pcsm_schema_table *pcsm_schema__table(const pcsm_schema *s, const char *name)
{
    return pcsm_schema__table_in(s, NULL, name);
}

struct pcsm_schema_column *pcsm_schema__column(const struct pcsm_schema_table *t,
                                               const char *name)
{
    size_t i;

    for (i = 0; i < t->n_columns; i++)
        if (!strcmp(t->columns[i].name, name))
            return &t->columns[i];
    return NULL;
}

struct pcsm_schema_constraint *pcsm_schema__constraint(const struct pcsm_schema_table *t,
                                                       const char *name)
{
    size_t i;

    for (i = 0; i < t->n_constraints; i++)
        if (t->constraints[i].name && !strcmp(t->constraints[i].name, name))
            return &t->constraints[i];
    return NULL;
}

struct pcsm_schema_index *pcsm_schema__index_in(const pcsm_schema *s, const char *schema,
                                                const char *name)
{
    size_t i;

    for (i = 0; i < s->n_indexes; i++)
        if (!strcmp(s->indexes[i].name, name) && pcsm_schema__str_eq(s->indexes[i].schema, schema))
            return &s->indexes[i];
    return NULL;
}

struct pcsm_schema_index *pcsm_schema__index(const pcsm_schema *s, const char *name)
{
    return pcsm_schema__index_in(s, NULL, name);
}

struct pcsm_schema_extension *pcsm_schema__extension(const pcsm_schema *s, const char *name)
{
    size_t i;

    for (i = 0; i < s->n_extensions; i++)
        if (!strcmp(s->extensions[i].name, name))
            return &s->extensions[i];
    return NULL;
}

struct pcsm_schema_collation *pcsm_schema__collation_in(const pcsm_schema *s,
                                                        const char *schema, const char *name)
{
    size_t i;

    for (i = 0; i < s->n_collations; i++)
        if (!strcmp(s->collations[i].name, name) &&
            pcsm_schema__str_eq(s->collations[i].schema, schema))
            return &s->collations[i];
    return NULL;
}

struct pcsm_schema_domain *pcsm_schema__domain_in(const pcsm_schema *s, const char *schema,
                                                  const char *name)
{
    size_t i;

    for (i = 0; i < s->n_domains; i++)
        if (!strcmp(s->domains[i].name, name) &&
            pcsm_schema__str_eq(s->domains[i].schema, schema))
            return &s->domains[i];
    return NULL;
}

struct pcsm_schema_composite *pcsm_schema__composite_in(const pcsm_schema *s,
                                                        const char *schema, const char *name)
{
    size_t i;

    for (i = 0; i < s->n_composites; i++)
        if (!strcmp(s->composites[i].name, name) &&
            pcsm_schema__str_eq(s->composites[i].schema, schema))
            return &s->composites[i];
    return NULL;
}

struct pcsm_schema_range *pcsm_schema__range_in(const pcsm_schema *s, const char *schema,
                                                const char *name)
{
    size_t i;

    for (i = 0; i < s->n_ranges; i++)
        if (!strcmp(s->ranges[i].name, name) && pcsm_schema__str_eq(s->ranges[i].schema, schema))
            return &s->ranges[i];
    return NULL;
}

struct pcsm_schema_range *pcsm_schema__range_of_multirange(const pcsm_schema *s,
                                                           const char *schema,
                                                           const char *name)
{
    size_t i;

    for (i = 0; i < s->n_ranges; i++) {
        char *multirange;
        bool found;

        if (!pcsm_schema__str_eq(s->ranges[i].schema, schema))
            continue;
        multirange = pcsm_schema__multirange_name(&s->ranges[i]);
        found = !strcmp(multirange, name);
        free(multirange);
        if (found)
            return &s->ranges[i];
    }
    return NULL;
}

char *pcsm_schema__multirange_name(const struct pcsm_schema_range *r)
{
    const char *at = strstr(r->name, "range");
    pcsm_buf out = PCSM_BUF_INIT;
    size_t len;

    if (r->multirange)
        return pcsm__xstrdup(r->multirange);
    if (at)
        pcsm_buf_printf(&out, "%.*smulti%s", (int)(at - r->name), r->name, at);
    else
        pcsm_buf_printf(&out, "%.52s_multirange", r->name);
    /* Cut at 63 bytes, back to a character's first byte (pg_mbcliplen() for UTF-8). */
    for (len = out.len; len > 63 || (len < out.len && (out.ptr[len] & 0xc0) == 0x80);)
        len--;
    out.ptr[len] = '\0';
    out.len = len;
    return pcsm_buf_detach(&out);
}

void pcsm_schema__put_bare_ident(pcsm_buf *out, const char *name)
{
    if (strspn(name, "abcdefghijklmnopqrstuvwxyz0123456789_") == strlen(name) &&
        !(name[0] >= '0' && name[0] <= '9'))
        pcsm_buf_puts(out, name);
    else
        pcsm_sql__ident(out, name);
}

char *pcsm_schema__range_diff_signature(const struct pcsm_schema_range *r)
{
    pcsm_buf one = PCSM_BUF_INIT, both = PCSM_BUF_INIT;
    char *signature;

    if (r->subtype.kind == PCSM_TYPE_NAMED) {
        if (r->subtype.schema) {
            pcsm_schema__put_bare_ident(&one, r->subtype.schema);
            pcsm_buf_putc(&one, '.');
        }
        pcsm_schema__put_bare_ident(&one, r->subtype.name);
    } else {
        pcsm_render__type(r->subtype, &one);
    }
    pcsm_buf_printf(&both, "%s, %s", one.ptr, one.ptr);
    signature = pcsm_schema__signature(both.ptr);
    pcsm_buf_dispose(&one);
    pcsm_buf_dispose(&both);
    return signature;
}

bool pcsm_schema__is_range_diff(const struct pcsm_schema_range *r,
                                const struct pcsm_schema_function *f)
{
    char *signature;
    bool is;

    if (!r->subtype_diff || strcmp(r->subtype_diff, f->name) ||
        !pcsm_schema__str_eq(r->subtype_diff_schema, f->schema))
        return false;
    signature = pcsm_schema__range_diff_signature(r);
    is = !strcmp(signature, f->signature);
    free(signature);
    return is;
}

bool pcsm_schema__range_eq(const struct pcsm_schema_range *a,
                           const struct pcsm_schema_range *b)
{
    return pcsm_schema__str_eq(a->name, b->name) && pcsm_schema__str_eq(a->schema, b->schema) &&
           pcsm_schema__type_eq(a->subtype, b->subtype) &&
           pcsm_schema__str_eq(a->subtype_opclass, b->subtype_opclass) &&
           pcsm_schema__str_eq(a->collation, b->collation) &&
           pcsm_schema__str_eq(a->subtype_diff, b->subtype_diff) &&
           pcsm_schema__str_eq(a->subtype_diff_schema, b->subtype_diff_schema) &&
           pcsm_schema__str_eq(a->multirange, b->multirange) &&
           pcsm_schema__str_eq(a->comment, b->comment) && pcsm_schema__acl_eq(&a->acl, &b->acl);
}

struct pcsm_schema_constraint *pcsm_schema__domain_constraint(const struct pcsm_schema_domain *d,
                                                              const char *name)
{
    size_t i;

    for (i = 0; i < d->n_constraints; i++)
        if (!strcmp(d->constraints[i].name, name))
            return &d->constraints[i];
    return NULL;
}

struct pcsm_schema_type *pcsm_schema__type_in(const pcsm_schema *s, const char *schema,
                                              const char *name)
{
    size_t i;

    for (i = 0; i < s->n_types; i++)
        if (!strcmp(s->types[i].name, name) && pcsm_schema__str_eq(s->types[i].schema, schema))
            return &s->types[i];
    return NULL;
}

struct pcsm_schema_type *pcsm_schema__type(const pcsm_schema *s, const char *name)
{
    return pcsm_schema__type_in(s, NULL, name);
}

struct pcsm_schema_function *pcsm_schema__function_in(const pcsm_schema *s,
                                                      const char *schema, const char *name,
                                                      const char *signature)
{
    size_t i;

    for (i = 0; i < s->n_functions; i++)
        if (!strcmp(s->functions[i].name, name) &&
            pcsm_schema__str_eq(s->functions[i].schema, schema) &&
            (!signature || !strcmp(s->functions[i].signature, signature)))
            return &s->functions[i];
    return NULL;
}

struct pcsm_schema_function *pcsm_schema__function(const pcsm_schema *s, const char *name,
                                                   const char *signature)
{
    return pcsm_schema__function_in(s, NULL, name, signature);
}

struct pcsm_schema_trigger *pcsm_schema__trigger(const struct pcsm_schema_table *t,
                                                 const char *name)
{
    size_t i;

    for (i = 0; i < t->n_triggers; i++)
        if (!strcmp(t->triggers[i].name, name))
            return &t->triggers[i];
    return NULL;
}

struct pcsm_schema_sequence *pcsm_schema__sequence_in(const pcsm_schema *s,
                                                      const char *schema, const char *name)
{
    size_t i;

    for (i = 0; i < s->n_sequences; i++)
        if (!strcmp(s->sequences[i].name, name) &&
            pcsm_schema__str_eq(s->sequences[i].schema, schema))
            return &s->sequences[i];
    return NULL;
}

struct pcsm_schema_sequence *pcsm_schema__sequence(const pcsm_schema *s, const char *name)
{
    return pcsm_schema__sequence_in(s, NULL, name);
}

struct pcsm_schema_view *pcsm_schema__view_in(const pcsm_schema *s, const char *schema,
                                              const char *name)
{
    size_t i;

    for (i = 0; i < s->n_views; i++)
        if (!strcmp(s->views[i].name, name) && pcsm_schema__str_eq(s->views[i].schema, schema))
            return &s->views[i];
    return NULL;
}

struct pcsm_schema_view *pcsm_schema__view(const pcsm_schema *s, const char *name)
{
    return pcsm_schema__view_in(s, NULL, name);
}

bool pcsm_schema__has_schema(const pcsm_schema *s, const char *name)
{
    size_t i;

    for (i = 0; i < s->n_schemas; i++)
        if (!strcmp(s->schemas[i], name))
            return true;
    return false;
}

/* ------------------------------------------------------- adding, dropping */

/* Appends a zeroed element to *array of *n (capacity *cap) elements of `size`. */
static void *append(void *array_ptr, size_t *n, size_t *cap, size_t size)
{
    char *p;

    pcsm__grow(array_ptr, cap, *n + 1, size);
    p = *(char **)array_ptr + (*n)++ * size;
    memset(p, 0, size);
    return p;
}

struct pcsm_schema_extension *pcsm_schema__add_extension(pcsm_schema *s)
{
    return append(&s->extensions, &s->n_extensions, &s->cap_extensions,
                  sizeof(*s->extensions));
}

struct pcsm_schema_collation *pcsm_schema__add_collation(pcsm_schema *s)
{
    return append(&s->collations, &s->n_collations, &s->cap_collations,
                  sizeof(*s->collations));
}

struct pcsm_schema_range *pcsm_schema__add_range(pcsm_schema *s)
{
    return append(&s->ranges, &s->n_ranges, &s->cap_ranges, sizeof(*s->ranges));
}

struct pcsm_schema_composite *pcsm_schema__add_composite(pcsm_schema *s)
{
    return append(&s->composites, &s->n_composites, &s->cap_composites,
                  sizeof(*s->composites));
}

pcsm_attribute *pcsm_schema__add_attribute(struct pcsm_schema_composite *c)
{
    return append(&c->attributes, &c->n_attributes, &c->cap_attributes,
                  sizeof(*c->attributes));
}

struct pcsm_schema_domain *pcsm_schema__add_domain(pcsm_schema *s)
{
    return append(&s->domains, &s->n_domains, &s->cap_domains, sizeof(*s->domains));
}

struct pcsm_schema_constraint *pcsm_schema__add_domain_constraint(struct pcsm_schema_domain *d)
{
    return append(&d->constraints, &d->n_constraints, &d->cap_constraints,
                  sizeof(*d->constraints));
}

struct pcsm_schema_type *pcsm_schema__add_type(pcsm_schema *s)
{
    return append(&s->types, &s->n_types, &s->cap_types, sizeof(*s->types));
}

struct pcsm_schema_function *pcsm_schema__add_function(pcsm_schema *s)
{
    return append(&s->functions, &s->n_functions, &s->cap_functions, sizeof(*s->functions));
}

struct pcsm_schema_sequence *pcsm_schema__add_sequence(pcsm_schema *s)
{
    return append(&s->sequences, &s->n_sequences, &s->cap_sequences, sizeof(*s->sequences));
}

struct pcsm_schema_view *pcsm_schema__add_view(pcsm_schema *s)
{
    return append(&s->views, &s->n_views, &s->cap_views, sizeof(*s->views));
}

struct pcsm_schema_policy *pcsm_schema__policy(const struct pcsm_schema_table *t,
                                               const char *name)
{
    size_t i;

    for (i = 0; i < t->n_policies; i++)
        if (!strcmp(t->policies[i].name, name))
            return &t->policies[i];
    return NULL;
}

struct pcsm_schema_policy *pcsm_schema__add_policy(struct pcsm_schema_table *t)
{
    return append(&t->policies, &t->n_policies, &t->cap_policies, sizeof(*t->policies));
}

static int cmp_str(const void *a, const void *b);

char **pcsm_schema__policy_roles(const char *const *roles)
{
    char **out;
    size_t n = 0, i, k;

    for (i = 0; roles && roles[i]; i++)
        if (!strcasecmp(roles[i], "public"))
            return NULL;
    if (!roles || !roles[0])
        return NULL;
    out = pcsm_schema__copy_names(roles);
    while (out[n])
        n++;
    qsort(out, n, sizeof(*out), cmp_str);
    for (i = k = 0; i < n; i++) {
        if (k && !strcmp(out[k - 1], out[i]))
            free(out[i]);
        else
            out[k++] = out[i];
    }
    out[k] = NULL;
    return out;
}

struct pcsm_schema_trigger *pcsm_schema__add_trigger(struct pcsm_schema_table *t)
{
    return append(&t->triggers, &t->n_triggers, &t->cap_triggers, sizeof(*t->triggers));
}

struct pcsm_schema_table *pcsm_schema__add_table(pcsm_schema *s, const char *name)
{
    struct pcsm_schema_table *t;

    pcsm__grow(&s->tables, &s->cap_tables, s->n_tables + 1, sizeof(*s->tables));
    t = &s->tables[s->n_tables++];
    memset(t, 0, sizeof(*t));
    t->name = pcsm__xstrdup(name);
    return t;
}

struct pcsm_schema_column *pcsm_schema__add_column(struct pcsm_schema_table *t)
{
    struct pcsm_schema_column *c;

    pcsm__grow(&t->columns, &t->cap_columns, t->n_columns + 1, sizeof(*t->columns));
    c = &t->columns[t->n_columns++];
    memset(c, 0, sizeof(*c));
    return c;
}

struct pcsm_schema_constraint *pcsm_schema__add_constraint(struct pcsm_schema_table *t)
{
    struct pcsm_schema_constraint *c;

    pcsm__grow(&t->constraints, &t->cap_constraints, t->n_constraints + 1,
               sizeof(*t->constraints));
    c = &t->constraints[t->n_constraints++];
    memset(c, 0, sizeof(*c));
    return c;
}

struct pcsm_schema_index *pcsm_schema__add_index(pcsm_schema *s)
{
    struct pcsm_schema_index *ix;

    pcsm__grow(&s->indexes, &s->cap_indexes, s->n_indexes + 1, sizeof(*s->indexes));
    ix = &s->indexes[s->n_indexes++];
    memset(ix, 0, sizeof(*ix));
    return ix;
}

/* Removes element `at` of an array of n elements of `size`, keeping order. */
static void remove_at(void *array, size_t *n, size_t at, size_t size)
{
    char *base = array;

    memmove(base + at * size, base + (at + 1) * size, (*n - at - 1) * size);
    (*n)--;
}

void pcsm_schema__drop_table(pcsm_schema *s, struct pcsm_schema_table *t)
{
    free_table(t);
    remove_at(s->tables, &s->n_tables, (size_t)(t - s->tables), sizeof(*t));
}

void pcsm_schema__drop_column(struct pcsm_schema_table *t, struct pcsm_schema_column *c)
{
    pcsm_schema__free_column(c);
    remove_at(t->columns, &t->n_columns, (size_t)(c - t->columns), sizeof(*c));
}

void pcsm_schema__drop_constraint(struct pcsm_schema_table *t, struct pcsm_schema_constraint *c)
{
    pcsm_schema__free_constraint(c);
    remove_at(t->constraints, &t->n_constraints, (size_t)(c - t->constraints), sizeof(*c));
}

void pcsm_schema__drop_index(pcsm_schema *s, struct pcsm_schema_index *ix)
{
    pcsm_schema__free_index(ix);
    remove_at(s->indexes, &s->n_indexes, (size_t)(ix - s->indexes), sizeof(*ix));
}

void pcsm_schema__drop_extension(pcsm_schema *s, struct pcsm_schema_extension *e)
{
    free(e->name);
    remove_at(s->extensions, &s->n_extensions, (size_t)(e - s->extensions), sizeof(*e));
}

void pcsm_schema__drop_collation(pcsm_schema *s, struct pcsm_schema_collation *c)
{
    free_collation(c);
    remove_at(s->collations, &s->n_collations, (size_t)(c - s->collations), sizeof(*c));
}

void pcsm_schema__drop_range(pcsm_schema *s, struct pcsm_schema_range *r)
{
    free_range(r);
    remove_at(s->ranges, &s->n_ranges, (size_t)(r - s->ranges), sizeof(*r));
}

void pcsm_schema__drop_composite(pcsm_schema *s, struct pcsm_schema_composite *c)
{
    free_composite(c);
    remove_at(s->composites, &s->n_composites, (size_t)(c - s->composites), sizeof(*c));
}

void pcsm_schema__drop_domain(pcsm_schema *s, struct pcsm_schema_domain *d)
{
    free_domain(d);
    remove_at(s->domains, &s->n_domains, (size_t)(d - s->domains), sizeof(*d));
}

void pcsm_schema__drop_domain_constraint(struct pcsm_schema_domain *d,
                                         struct pcsm_schema_constraint *c)
{
    pcsm_schema__free_constraint(c);
    remove_at(d->constraints, &d->n_constraints, (size_t)(c - d->constraints), sizeof(*c));
}

void pcsm_schema__drop_type(pcsm_schema *s, struct pcsm_schema_type *ty)
{
    free_type(ty);
    remove_at(s->types, &s->n_types, (size_t)(ty - s->types), sizeof(*ty));
}

void pcsm_schema__drop_function(pcsm_schema *s, struct pcsm_schema_function *f)
{
    free_function(f);
    remove_at(s->functions, &s->n_functions, (size_t)(f - s->functions), sizeof(*f));
}

void pcsm_schema__drop_sequence(pcsm_schema *s, struct pcsm_schema_sequence *q)
{
    free_sequence(q);
    remove_at(s->sequences, &s->n_sequences, (size_t)(q - s->sequences), sizeof(*q));
}

void pcsm_schema__drop_view(pcsm_schema *s, struct pcsm_schema_view *v)
{
    free_view(v);
    remove_at(s->views, &s->n_views, (size_t)(v - s->views), sizeof(*v));
}

void pcsm_schema__drop_policy(struct pcsm_schema_table *t, struct pcsm_schema_policy *p)
{
    free_policy(p);
    remove_at(t->policies, &t->n_policies, (size_t)(p - t->policies), sizeof(*p));
}

void pcsm_schema__drop_trigger(struct pcsm_schema_table *t, struct pcsm_schema_trigger *tr)
{
    free_trigger(tr);
    remove_at(t->triggers, &t->n_triggers, (size_t)(tr - t->triggers), sizeof(*tr));
}

/* ----------------------------------------------------------------- order */

/* NULL (a name the server chose) sorts after every name. */
static int cmp_names(const char *a, const char *b)
{
    if (!a || !b)
        return !a - !b;
    return strcmp(a, b);
}

/* The target schema (NULL) before every named one, then by name. */
static int cmp_schema(const char *a, const char *b)
{
    if (!a || !b)
        return !!a - !!b;
    return strcmp(a, b);
}

static int cmp_qualified(const char *sa, const char *a, const char *sb, const char *b)
{
    int c = cmp_schema(sa, sb);

    return c ? c : strcmp(a, b);
}

static int cmp_table(const void *a, const void *b)
{
    const struct pcsm_schema_table *x = a, *y = b;

    return cmp_qualified(x->schema, x->name, y->schema, y->name);
}

static int cmp_index(const void *a, const void *b)
{
    const struct pcsm_schema_index *x = a, *y = b;

    return cmp_qualified(x->schema, x->name, y->schema, y->name);
}

static int cmp_str(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

static int cmp_constraint(const void *a, const void *b)
{
    const struct pcsm_schema_constraint *x = a, *y = b;
    int c = cmp_names(x->name, y->name);

    if (c || x->name)
        return c;
    /* Unnamed ones (CHECKs) by their expression, for a stable order. */
    return cmp_names(x->check, y->check);
}

static int cmp_extension(const void *a, const void *b)
{
    return strcmp(((const struct pcsm_schema_extension *)a)->name,
                  ((const struct pcsm_schema_extension *)b)->name);
}

static int cmp_collation(const void *a, const void *b)
{
    const struct pcsm_schema_collation *x = a, *y = b;

    return cmp_qualified(x->schema, x->name, y->schema, y->name);
}

static int cmp_composite(const void *a, const void *b)
{
    const struct pcsm_schema_composite *x = a, *y = b;

    return cmp_qualified(x->schema, x->name, y->schema, y->name);
}

static int cmp_range(const void *a, const void *b)
{
    const struct pcsm_schema_range *x = a, *y = b;

    return cmp_qualified(x->schema, x->name, y->schema, y->name);
}

static int cmp_domain(const void *a, const void *b)
{
    const struct pcsm_schema_domain *x = a, *y = b;

    return cmp_qualified(x->schema, x->name, y->schema, y->name);
}

static int cmp_type(const void *a, const void *b)
{
    const struct pcsm_schema_type *x = a, *y = b;

    return cmp_qualified(x->schema, x->name, y->schema, y->name);
}

/* Overloads by signature, so the order is total. */
static int cmp_function(const void *a, const void *b)
{
    const struct pcsm_schema_function *x = a, *y = b;
    int c = cmp_qualified(x->schema, x->name, y->schema, y->name);

    return c ? c : strcmp(x->signature, y->signature);
}

static int cmp_sequence(const void *a, const void *b)
{
    const struct pcsm_schema_sequence *x = a, *y = b;

    return cmp_qualified(x->schema, x->name, y->schema, y->name);
}

static int cmp_trigger(const void *a, const void *b)
{
    return strcmp(((const struct pcsm_schema_trigger *)a)->name,
                  ((const struct pcsm_schema_trigger *)b)->name);
}

static int cmp_policy(const void *a, const void *b)
{
    return strcmp(((const struct pcsm_schema_policy *)a)->name,
                  ((const struct pcsm_schema_policy *)b)->name);
}

/*
 * An inheriting table's columns as CREATE TABLE ... INHERITS and pg_dump
 * have them: its parents' first (each parent's in its order, each name
 * once), then its own.  ALTER TABLE ... INHERIT, or a column added to a
 * parent later, leaves another order, which no statement sets.
 */
static void order_inherited(pcsm_schema *s, size_t at, bool *done)
{
    struct pcsm_schema_table *t = &s->tables[at];
    struct pcsm_schema_column *cols;
    bool *placed;
    size_t i, k, n = 0;

    if (done[at] || !t->inherits)
        return;
    done[at] = true;
    cols = pcsm__xcalloc(t->n_columns + 1, sizeof(*cols));
    placed = pcsm__xcalloc(t->n_columns + 1, sizeof(*placed));
    for (i = 0; t->inherits[i]; i++) {
        struct pcsm_schema_table *p = pcsm_schema__table_in(s, t->schema, t->inherits[i]);

        if (!p)
            continue;
        order_inherited(s, (size_t)(p - s->tables), done);
        for (k = 0; k < p->n_columns; k++) {
            struct pcsm_schema_column *c = pcsm_schema__column(t, p->columns[k].name);

            if (c && !placed[c - t->columns]) {
                placed[c - t->columns] = true;
                cols[n++] = *c;
            }
        }
    }
    for (i = 0; i < t->n_columns; i++)
        if (!placed[i])
            cols[n++] = t->columns[i];
    memcpy(t->columns, cols, t->n_columns * sizeof(*cols));
    free(cols);
    free(placed);
}

void pcsm_schema__sort(pcsm_schema *s)
{
    size_t i;

    /* qsort() wants an array even for no elements: none is NULL here. */
    if (s->n_schemas)
        qsort(s->schemas, s->n_schemas, sizeof(*s->schemas), cmp_str);
    if (s->n_extensions)
        qsort(s->extensions, s->n_extensions, sizeof(*s->extensions), cmp_extension);
    if (s->n_collations)
        qsort(s->collations, s->n_collations, sizeof(*s->collations), cmp_collation);
    if (s->n_types)
        qsort(s->types, s->n_types, sizeof(*s->types), cmp_type);
    for (i = 0; i < s->n_domains; i++)
        if (s->domains[i].n_constraints)
            qsort(s->domains[i].constraints, s->domains[i].n_constraints,
                  sizeof(*s->domains[i].constraints), cmp_constraint);
    if (s->n_domains)
        qsort(s->domains, s->n_domains, sizeof(*s->domains), cmp_domain);
    if (s->n_composites)
        qsort(s->composites, s->n_composites, sizeof(*s->composites), cmp_composite);
    if (s->n_ranges)
        qsort(s->ranges, s->n_ranges, sizeof(*s->ranges), cmp_range);
    if (s->n_functions)
        qsort(s->functions, s->n_functions, sizeof(*s->functions), cmp_function);
    if (s->n_sequences)
        qsort(s->sequences, s->n_sequences, sizeof(*s->sequences), cmp_sequence);
    if (s->n_tables)
        qsort(s->tables, s->n_tables, sizeof(*s->tables), cmp_table);
    {
        bool *done = pcsm__xcalloc(s->n_tables + 1, sizeof(*done));

        for (i = 0; i < s->n_tables; i++)
            order_inherited(s, i, done);
        free(done);
    }
    for (i = 0; i < s->n_tables; i++) {
        if (s->tables[i].n_constraints)
            qsort(s->tables[i].constraints, s->tables[i].n_constraints,
                  sizeof(*s->tables[i].constraints), cmp_constraint);
        if (s->tables[i].n_triggers)
            qsort(s->tables[i].triggers, s->tables[i].n_triggers,
                  sizeof(*s->tables[i].triggers), cmp_trigger);
        if (s->tables[i].n_policies)
            qsort(s->tables[i].policies, s->tables[i].n_policies,
                  sizeof(*s->tables[i].policies), cmp_policy);
    }
    if (s->n_indexes)
        qsort(s->indexes, s->n_indexes, sizeof(*s->indexes), cmp_index);
    pcsm_schema__sort_default_acls(s);
}

/* -------------------------------------------------------------- equality */

bool pcsm_schema__str_eq(const char *a, const char *b)
{
    return a == b || (a && b && !strcmp(a, b));
}

bool pcsm_schema__names_contain(char *const *names, const char *name)
{
    size_t i;

    for (i = 0; names && names[i]; i++)
        if (!strcmp(names[i], name))
            return true;
    return false;
}

bool pcsm_schema__names_eq(char *const *a, char *const *b)
{
    size_t i;

    if (!a || !b)
        return a == b;
    for (i = 0; a[i] && b[i]; i++)
        if (strcmp(a[i], b[i]))
            return false;
    return !a[i] && !b[i];
}

/*
 * A type named without a schema is the one the search path finds, which
 * the catalog reads back with no schema when it is in the target schema
 * and with its schema otherwise: two named types differ in their schemas
 * only when both name one.
 */
bool pcsm_schema__type_eq(pcsm_type a, pcsm_type b)
{
    return a.kind == b.kind && a.p == b.p && a.s == b.s && a.array_dims == b.array_dims &&
           pcsm_schema__str_eq(a.name, b.name) &&
           (!a.schema || !b.schema || !strcmp(a.schema, b.schema)) &&
           pcsm_schema__str_eq(a.modifiers, b.modifiers);
}

bool pcsm_schema__seq_eq(const struct pcsm_seq_state *a, const struct pcsm_seq_state *b)
{
    return a->type == b->type && a->increment == b->increment && a->minvalue == b->minvalue &&
           a->maxvalue == b->maxvalue && a->start == b->start && a->cache == b->cache &&
           a->cycle == b->cycle;
}

static bool column_eq(const struct pcsm_schema_column *a, const struct pcsm_schema_column *b)
{
    return pcsm_schema__str_eq(a->name, b->name) && pcsm_schema__type_eq(a->type, b->type) &&
           a->not_null == b->not_null && a->default_value.kind == b->default_value.kind &&
           pcsm_schema__str_eq(a->default_value.text, b->default_value.text) &&
           pcsm_schema__type_eq(a->default_type, b->default_type) &&
           pcsm_schema__str_eq(a->comment, b->comment) &&
           pcsm_schema__str_eq(a->collation, b->collation) &&
           pcsm_schema__str_eq(a->generated, b->generated) && a->identity == b->identity &&
           pcsm_schema__acl_eq(&a->acl, &b->acl) && a->inherited_only == b->inherited_only &&
           (!a->identity || (pcsm_schema__seq_eq(&a->identity_options, &b->identity_options) &&
                             pcsm_schema__str_eq(a->identity_sequence, b->identity_sequence)));
}

static bool constraint_eq(const struct pcsm_schema_constraint *a,
                          const struct pcsm_schema_constraint *b)
{
    return pcsm_schema__constraint_eq(a, b) && pcsm_schema__str_eq(a->comment, b->comment) &&
           a->inherited_only == b->inherited_only;
}

bool pcsm_schema__constraint_eq(const struct pcsm_schema_constraint *a,
                                const struct pcsm_schema_constraint *b)
{
    return pcsm_schema__str_eq(a->name, b->name) && a->kind == b->kind &&
           pcsm_schema__names_eq(a->columns, b->columns) &&
           pcsm_schema__str_eq(a->references, b->references) &&
           pcsm_schema__str_eq(a->ref_schema, b->ref_schema) &&
           pcsm_schema__names_eq(a->ref_columns, b->ref_columns) &&
           a->on_delete == b->on_delete && a->on_update == b->on_update &&
           pcsm_schema__str_eq(a->check, b->check) && a->deferrable == b->deferrable &&
           a->not_valid == b->not_valid && a->nulls_not_distinct == b->nulls_not_distinct &&
           pcsm_schema__elements_eq(a->elements, b->elements) &&
           pcsm_schema__str_eq(a->method, b->method) && pcsm_schema__str_eq(a->where, b->where);
}

const char *pcsm_schema__firing_text(enum pcsm_trigger_firing firing)
{
    switch (firing) {
    case PCSM_TRIGGER_DISABLE: return "false";
    case PCSM_TRIGGER_ENABLE_REPLICA: return "replica";
    case PCSM_TRIGGER_ENABLE_ALWAYS: return "always";
    default: return "true";
    }
}

static bool trigger_eq(const struct pcsm_schema_trigger *a, const struct pcsm_schema_trigger *b)
{
    return pcsm_schema__str_eq(a->name, b->name) && a->timing == b->timing &&
           a->events == b->events &&
           a->for_each_row == b->for_each_row && pcsm_schema__str_eq(a->function, b->function) &&
           pcsm_schema__str_eq(a->function_schema, b->function_schema) &&
           pcsm_schema__str_eq(a->when, b->when) && a->firing == b->firing &&
           pcsm_schema__str_eq(a->comment, b->comment);
}

static bool policy_eq(const struct pcsm_schema_policy *a, const struct pcsm_schema_policy *b)
{
    return pcsm_schema__str_eq(a->name, b->name) && a->command == b->command &&
           a->restrictive == b->restrictive && pcsm_schema__names_eq(a->roles, b->roles) &&
           pcsm_schema__str_eq(a->using, b->using) &&
           pcsm_schema__str_eq(a->with_check, b->with_check) &&
           pcsm_schema__str_eq(a->comment, b->comment);
}

static bool table_eq(const struct pcsm_schema_table *a, const struct pcsm_schema_table *b)
{
    size_t i;

    if (!pcsm_schema__str_eq(a->name, b->name) || !pcsm_schema__str_eq(a->schema, b->schema) ||
        !pcsm_schema__str_eq(a->comment, b->comment) || a->n_columns != b->n_columns ||
        a->n_constraints != b->n_constraints || a->n_triggers != b->n_triggers ||
        a->n_policies != b->n_policies || a->row_security != b->row_security ||
        a->force_row_security != b->force_row_security ||
        a->partition_strategy != b->partition_strategy ||
        !pcsm_schema__elements_eq(a->partition_key, b->partition_key) ||
        !pcsm_schema__str_eq(a->partition_of, b->partition_of) ||
        !pcsm_schema__str_eq(a->partition_bound, b->partition_bound) ||
        !pcsm_schema__names_eq(a->inherits, b->inherits) ||
        !pcsm_schema__acl_eq(&a->acl, &b->acl))
        return false;
    for (i = 0; i < a->n_policies; i++)
        if (!policy_eq(&a->policies[i], &b->policies[i]))
            return false;
    for (i = 0; i < a->n_triggers; i++)
        if (!trigger_eq(&a->triggers[i], &b->triggers[i]))
            return false;
    for (i = 0; i < a->n_columns; i++)
        if (!column_eq(&a->columns[i], &b->columns[i]))
            return false;
    for (i = 0; i < a->n_constraints; i++)
        if (!constraint_eq(&a->constraints[i], &b->constraints[i]))
            return false;
    return true;
}

bool pcsm_schema__attributes_eq(const struct pcsm_schema_composite *a,
                                const struct pcsm_schema_composite *b)
{
    size_t i;

    if (a->n_attributes != b->n_attributes)
        return false;
    for (i = 0; i < a->n_attributes; i++)
        if (!pcsm_schema__str_eq(a->attributes[i].name, b->attributes[i].name) ||
            !pcsm_schema__type_eq(a->attributes[i].type, b->attributes[i].type) ||
            !pcsm_schema__str_eq(a->attributes[i].collation, b->attributes[i].collation))
            return false;
    return true;
}

bool pcsm_schema__domain_eq(const struct pcsm_schema_domain *a,
                            const struct pcsm_schema_domain *b)
{
    size_t i;

    if (!pcsm_schema__str_eq(a->name, b->name) || !pcsm_schema__str_eq(a->schema, b->schema) ||
        !pcsm_schema__type_eq(a->type, b->type) ||
        !pcsm_schema__str_eq(a->collation, b->collation) ||
        a->default_value.kind != b->default_value.kind ||
        !pcsm_schema__str_eq(a->default_value.text, b->default_value.text) ||
        a->not_null != b->not_null || !pcsm_schema__str_eq(a->comment, b->comment) ||
        a->n_constraints != b->n_constraints || !pcsm_schema__acl_eq(&a->acl, &b->acl))
        return false;
    for (i = 0; i < a->n_constraints; i++)
        if (!constraint_eq(&a->constraints[i], &b->constraints[i]))
            return false;
    return true;
}

bool pcsm_schema__collation_eq(const struct pcsm_schema_collation *a,
                               const struct pcsm_schema_collation *b)
{
    return pcsm_schema__str_eq(a->name, b->name) && pcsm_schema__str_eq(a->schema, b->schema) &&
           a->provider == b->provider && pcsm_schema__str_eq(a->collate, b->collate) &&
           pcsm_schema__str_eq(a->ctype, b->ctype) &&
           a->nondeterministic == b->nondeterministic;
}

static bool index_eq(const struct pcsm_schema_index *a, const struct pcsm_schema_index *b)
{
    return pcsm_schema__index_eq(a, b) && pcsm_schema__str_eq(a->comment, b->comment);
}

bool pcsm_schema__index_eq(const struct pcsm_schema_index *a, const struct pcsm_schema_index *b)
{
    return pcsm_schema__str_eq(a->name, b->name) && pcsm_schema__str_eq(a->table, b->table) &&
           pcsm_schema__str_eq(a->schema, b->schema) &&
           pcsm_schema__names_eq(a->columns, b->columns) &&
           pcsm_schema__str_eq(a->expression, b->expression) && a->unique == b->unique &&
           pcsm_schema__str_eq(a->method ? a->method : "btree",
                               b->method ? b->method : "btree") &&
           pcsm_schema__str_eq(a->where, b->where) &&
           pcsm_schema__elements_eq(a->elements, b->elements) &&
           a->nulls_not_distinct == b->nulls_not_distinct && a->invalid == b->invalid;
}

/* Saying nothing is PostgreSQL's VOLATILE. */
static enum pcsm_volatility volatility(enum pcsm_volatility v)
{
    return v == PCSM_VOLATILITY_DEFAULT ? PCSM_VOLATILE : v;
}

static bool function_eq(const struct pcsm_schema_function *a,
                        const struct pcsm_schema_function *b)
{
    return pcsm_schema__str_eq(a->name, b->name) && pcsm_schema__str_eq(a->schema, b->schema) &&
           pcsm_schema__str_eq(a->arguments, b->arguments) &&
           pcsm_schema__str_eq(a->signature, b->signature) &&
           pcsm_schema__str_eq(a->returns, b->returns) &&
           pcsm_schema__str_eq(a->language, b->language) && pcsm_schema__str_eq(a->body, b->body) &&
           volatility(a->volatility) == volatility(b->volatility) &&
           a->strict == b->strict && a->security_definer == b->security_definer &&
           pcsm_schema__str_eq(a->comment, b->comment) && pcsm_schema__acl_eq(&a->acl, &b->acl);
}

static bool view_eq(const struct pcsm_schema_view *a, const struct pcsm_schema_view *b)
{
    return pcsm_schema__str_eq(a->name, b->name) && pcsm_schema__str_eq(a->schema, b->schema) &&
           pcsm_schema__names_eq(a->columns, b->columns) &&
           pcsm_schema__str_eq(a->query, b->query) && a->materialized == b->materialized &&
           a->populated == b->populated && pcsm_schema__str_eq(a->comment, b->comment) &&
           pcsm_schema__acl_eq(&a->acl, &b->acl);
}

bool pcsm_schema_equal(const pcsm_schema *a, const pcsm_schema *b)
{
    size_t i;

    /* Objects only: what raw SQL did is unknown on both sides, not a difference. */
    if (a->n_schemas != b->n_schemas)
        return false;
    for (i = 0; i < a->n_schemas; i++)
        if (strcmp(a->schemas[i], b->schemas[i]))
            return false;
    if (a->n_tables != b->n_tables || a->n_indexes != b->n_indexes ||
        a->n_extensions != b->n_extensions || a->n_types != b->n_types ||
        a->n_functions != b->n_functions || a->n_collations != b->n_collations ||
        a->n_domains != b->n_domains || a->n_composites != b->n_composites ||
        a->n_ranges != b->n_ranges || !pcsm_schema__default_acls_eq(a, b))
        return false;
    for (i = 0; i < a->n_ranges; i++)
        if (!pcsm_schema__range_eq(&a->ranges[i], &b->ranges[i]))
            return false;
    for (i = 0; i < a->n_composites; i++)
        if (!pcsm_schema__str_eq(a->composites[i].name, b->composites[i].name) ||
            !pcsm_schema__str_eq(a->composites[i].schema, b->composites[i].schema) ||
            !pcsm_schema__str_eq(a->composites[i].comment, b->composites[i].comment) ||
            !pcsm_schema__acl_eq(&a->composites[i].acl, &b->composites[i].acl) ||
            !pcsm_schema__attributes_eq(&a->composites[i], &b->composites[i]))
            return false;
    for (i = 0; i < a->n_domains; i++)
        if (!pcsm_schema__domain_eq(&a->domains[i], &b->domains[i]))
            return false;
    for (i = 0; i < a->n_collations; i++)
        if (!pcsm_schema__collation_eq(&a->collations[i], &b->collations[i]))
            return false;
    for (i = 0; i < a->n_extensions; i++)
        if (!pcsm_schema__str_eq(a->extensions[i].name, b->extensions[i].name) ||
            a->extensions[i].cascade != b->extensions[i].cascade)
            return false;
    for (i = 0; i < a->n_types; i++)
        if (!pcsm_schema__str_eq(a->types[i].name, b->types[i].name) ||
            !pcsm_schema__str_eq(a->types[i].schema, b->types[i].schema) ||
            !pcsm_schema__names_eq(a->types[i].labels, b->types[i].labels) ||
            !pcsm_schema__str_eq(a->types[i].comment, b->types[i].comment) ||
            !pcsm_schema__acl_eq(&a->types[i].acl, &b->types[i].acl))
            return false;
    for (i = 0; i < a->n_functions; i++)
        if (!function_eq(&a->functions[i], &b->functions[i]))
            return false;
    if (a->n_sequences != b->n_sequences)
        return false;
    for (i = 0; i < a->n_sequences; i++)
        if (!pcsm_schema__str_eq(a->sequences[i].name, b->sequences[i].name) ||
            !pcsm_schema__str_eq(a->sequences[i].schema, b->sequences[i].schema) ||
            !pcsm_schema__seq_eq(&a->sequences[i].options, &b->sequences[i].options) ||
            !pcsm_schema__str_eq(a->sequences[i].owned_table, b->sequences[i].owned_table) ||
            !pcsm_schema__str_eq(a->sequences[i].owned_column, b->sequences[i].owned_column) ||
            !pcsm_schema__str_eq(a->sequences[i].comment, b->sequences[i].comment) ||
            !pcsm_schema__acl_eq(&a->sequences[i].acl, &b->sequences[i].acl))
            return false;
    for (i = 0; i < a->n_tables; i++)
        if (!table_eq(&a->tables[i], &b->tables[i]))
            return false;
    for (i = 0; i < a->n_indexes; i++)
        if (!index_eq(&a->indexes[i], &b->indexes[i]))
            return false;
    /* Views by name: two histories may create the same views in another order. */
    if (a->n_views != b->n_views)
        return false;
    for (i = 0; i < a->n_views; i++) {
        const struct pcsm_schema_view *w = pcsm_schema__view_in(b, a->views[i].schema,
                                                                a->views[i].name);

        if (!w || !view_eq(&a->views[i], w))
            return false;
    }
    return true;
}

/* ------------------------------------------------- names the server picks */

char *pcsm_schema__object_name(const char *name1, const char *name2, const char *label)
{
    size_t overhead = (name2 ? 1 : 0) + (label ? strlen(label) + 1 : 0);
    size_t n1 = strlen(name1), n2 = name2 ? strlen(name2) : 0;
    size_t avail = NAME_MAX_BYTES - overhead;       /* name1 and name2 share this */
    pcsm_buf out = PCSM_BUF_INIT;

    /* makeObjectName(): take from the longer until both fit. */
    while (n1 + n2 > avail) {
        if (n1 > n2)
            n1--;
        else
            n2--;
    }
    n1 = pcsm_utf8__clip(name1, strlen(name1), n1);
    pcsm_buf_put(&out, name1, n1);
    if (name2) {
        pcsm_buf_putc(&out, '_');
        pcsm_buf_put(&out, name2, pcsm_utf8__clip(name2, strlen(name2), n2));
    }
    if (label) {
        pcsm_buf_putc(&out, '_');
        pcsm_buf_puts(&out, label);
    }
    return pcsm_buf_detach(&out);
}
