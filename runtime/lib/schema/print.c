/*
 * A model printed as the operations that create it from nothing, rendered
 * by the one renderer: `pcs-migrate schema` is SQL that the DDL API wrote,
 * quoted and escaped as every migration's.  The order is what depends on
 * what: extensions, collations (columns use them), enum types, composite
 * types, domains and range types (each after the types it holds, a range
 * after its subtype_diff function), functions (column defaults and checks
 * may call them), sequences (defaults call nextval() on them), tables, the
 * sequences' owners, views and materialized views (each after those it
 * reads), indexes (a materialized view's too), then foreign keys and NOT
 * VALID constraints after every table, as in pg_dump, the triggers, which
 * need both their table and their function, row security and policies,
 * the privileges, and last the comments on what is neither a table nor a
 * column.  Default privileges go before every object, which then starts
 * from them as the server's did.  The
 * schemas create_schema made come first (IF NOT EXISTS: printed for a
 * database that may have them), and each object is recorded in its own
 * schema, pcsm_set_schema() set before it.
 */
#include <stdlib.h>
#include <string.h>

#include "schema/schema.h"

/*
 * COMMENT ON an object in `schema`, when it has a comment; the schema in
 * force changes unless `schema` is in_force (the caller's).
 */
static const char in_force[] = "";

static void comment(pcsm_op *op, const char *schema, enum pcsm_object_kind kind,
                    const char *name, const char *of, const char *comment)
{
    if (!comment)
        return;
    if (schema != in_force)
        pcsm_set_schema(op, schema);
    pcsm_comment_on(op, kind, name, of, comment);
}

pcsm_constraint pcsm_schema__api_constraint(const struct pcsm_schema_constraint *c)
{
    return (pcsm_constraint){
        .kind = c->kind, .name = c->name,
        .columns = (const char *const *)c->columns,
        .references = c->references, .ref_schema = c->ref_schema,
        .ref_columns = (const char *const *)c->ref_columns,
        .on_delete = c->on_delete, .on_update = c->on_update,
        .check = c->check, .deferrable = c->deferrable, .not_valid = c->not_valid,
        .nulls_not_distinct = c->nulls_not_distinct,
        .elements = c->elements, .method = c->method, .where = c->where,
    };
}

/*
 * Whether CREATE TABLE would fold b into a, an equal index of a constraint
 * before it, keeping one index and one name (transformIndexConstraints()).
 */
static bool folded_into(const struct pcsm_schema_constraint *a,
                        const struct pcsm_schema_constraint *b)
{
    return pcsm_schema__indexed(a->kind) && pcsm_schema__indexed(b->kind) &&
           (a->kind == PCSM_EXCLUDE) == (b->kind == PCSM_EXCLUDE) &&
           pcsm_schema__names_eq(a->columns, b->columns) &&
           pcsm_schema__elements_eq(a->elements, b->elements) &&
           pcsm_schema__str_eq(a->method, b->method) && pcsm_schema__str_eq(a->where, b->where) &&
           a->nulls_not_distinct == b->nulls_not_distinct && a->deferrable == b->deferrable;
}

static bool after_tables(const struct pcsm_schema_constraint *c)
{
    return c->name && (c->kind == PCSM_FOREIGN_KEY || c->not_valid);
}

bool pcsm_schema__added_later(const struct pcsm_schema_table *t, size_t k)
{
    const struct pcsm_schema_constraint *c = &t->constraints[k];
    size_t i;

    if (after_tables(c))
        return true;
    for (i = 0; c->name && i < k; i++)
        if (!after_tables(&t->constraints[i]) && folded_into(&t->constraints[i], c))
            return true;
    return false;
}

/*
 * A partition: CREATE TABLE ... PARTITION OF, then what its columns have
 * of their own: a default or NOT NULL its parent's lack, a comment.
 */
static void record_partition(pcsm_op *op, const pcsm_schema *s,
                             const struct pcsm_schema_table *t)
{
    const struct pcsm_schema_table *parent = pcsm_schema__table_in(s, t->schema,
                                                                   t->partition_of);
    pcsm_constraint *cons = pcsm__xcalloc(t->n_constraints + 1, sizeof(*cons));
    size_t i, n = 0;

    for (i = 0; i < t->n_constraints; i++)
        if (!pcsm_schema__added_later(t, i))
            cons[n++] = pcsm_schema__api_constraint(&t->constraints[i]);
    pcsm_create_partition(op, &(pcsm_partition){
        .name = t->name, .parent = t->partition_of, .bound = t->partition_bound,
        .partition_by = { t->partition_strategy, t->partition_key },
        .constraints = n ? cons : NULL, .comment = t->comment });
    for (i = 0; i < t->n_columns; i++) {
        const struct pcsm_schema_column *c = &t->columns[i];
        const struct pcsm_schema_column *pc = parent ? pcsm_schema__column(parent, c->name)
                                                     : NULL;

        if (pc && !pcsm_schema__str_eq(c->default_value.text, pc->default_value.text)) {
            if (c->default_value.kind)
                pcsm_set_default(op, t->name, c->name, c->default_value);
            else
                pcsm_drop_default(op, t->name, c->name);
        }
        if (pc && c->not_null && !pc->not_null)
            pcsm_set_not_null(op, t->name, c->name);
        if (c->comment)
            pcsm_comment_column(op, t->name, c->name, c->comment);
    }
    free(cons);
}

void pcsm_schema__record_table_in(pcsm_op *op, const pcsm_schema *s,
                                  const struct pcsm_schema_table *t)
{
    if (t->partition_of)
        record_partition(op, s, t);
    else
        pcsm_schema__record_table(op, s, t);
}

/*
 * The order to make n objects of s in (their indexes), each once `ready`
 * says what it needs is made; in a cycle, which no server holds, the
 * first left.  malloc'd.
 */
static size_t *ready_order(const pcsm_schema *s, size_t n_all,
                           bool (*ready)(const pcsm_schema *s, size_t i, const bool *done))
{
    bool *done = pcsm__xcalloc(n_all + 1, sizeof(*done));
    size_t *order = pcsm__xcalloc(n_all + 1, sizeof(*order));
    size_t n, i;

    for (n = 0; n < n_all; n++) {
        size_t pick = n_all;

        for (i = 0; i < n_all && pick == n_all; i++)
            if (!done[i] && ready(s, i, done))
                pick = i;
        for (i = 0; pick == n_all; i++)
            if (!done[i])
                pick = i;
        done[pick] = true;
        order[n] = pick;
    }
    free(done);
    return order;
}

/* Whether table i may be made now: its parent (a partition's, or those it inherits) made. */
static bool table_ready(const pcsm_schema *s, size_t i, const bool *done)
{
    const struct pcsm_schema_table *t = &s->tables[i], *parent;
    size_t k;

    parent = t->partition_of ? pcsm_schema__table_in(s, t->schema, t->partition_of) : NULL;
    for (k = 0; t->inherits && t->inherits[k]; k++) {
        const struct pcsm_schema_table *p = pcsm_schema__table_in(s, t->schema, t->inherits[k]);

        if (p && !done[p - s->tables])
            return false;
    }
    return !parent || done[parent - s->tables];
}

size_t pcsm_schema__inheritance_depth(const pcsm_schema *s, const struct pcsm_schema_table *t)
{
    size_t k, d = 0;

    for (k = 0; t->inherits && t->inherits[k]; k++) {
        const struct pcsm_schema_table *p = pcsm_schema__table_in(s, t->schema, t->inherits[k]);
        size_t pd = p ? pcsm_schema__inheritance_depth(s, p) + 1 : 1;

        d = pd > d ? pd : d;
    }
    return d;
}

/* Whether a parent of t has CHECK c (by name) NOT VALID: it reaches t so when added later. */
static bool parents_check_not_valid(const pcsm_schema *s, const struct pcsm_schema_table *t,
                                    const struct pcsm_schema_constraint *c)
{
    size_t k, j;

    for (k = 0; t->inherits && t->inherits[k]; k++) {
        const struct pcsm_schema_table *p = pcsm_schema__table_in(s, t->schema, t->inherits[k]);

        for (j = 0; p && j < p->n_constraints; j++)
            if (p->constraints[j].kind == PCSM_CHECK &&
                pcsm_schema__str_eq(p->constraints[j].name, c->name) &&
                (p->constraints[j].not_valid || parents_check_not_valid(s, p, c)))
                return true;
    }
    return false;
}

/* The column `name` of the first of t's parents that has one, or NULL. */
const struct pcsm_schema_column *pcsm_schema__parents_column(const pcsm_schema *s,
                                                             const struct pcsm_schema_table *t,
                                                             const char *name)
{
    size_t k;

    for (k = 0; t->inherits && t->inherits[k]; k++) {
        const struct pcsm_schema_table *p = pcsm_schema__table_in(s, t->schema, t->inherits[k]);
        const struct pcsm_schema_column *c = p ? pcsm_schema__column(p, name) : NULL;

        if (c)
            return c;
    }
    return NULL;
}

/*
 * What CREATE TABLE ... INHERITS gives an inherited column that t's does
 * not have: its own default, or NOT NULL, or none of the parents'; a comment.
 */
static void record_inherited_columns(pcsm_op *op, const pcsm_schema *s,
                                     const struct pcsm_schema_table *t)
{
    size_t i, k;

    for (i = 0; i < t->n_columns; i++) {
        const struct pcsm_schema_column *c = &t->columns[i];
        const struct pcsm_schema_column *pc = pcsm_schema__parents_column(s, t, c->name);
        bool not_null = false;

        if (!pc)
            continue;
        for (k = 0; t->inherits[k]; k++) {
            const struct pcsm_schema_table *p = pcsm_schema__table_in(s, t->schema,
                                                                      t->inherits[k]);
            const struct pcsm_schema_column *kc = p ? pcsm_schema__column(p, c->name) : NULL;

            not_null = not_null || (kc && (kc->not_null || kc->identity));
        }
        /* An own column keeps its default; else the first parent's is had. */
        if (c->inherited_only &&
            (c->default_value.kind != pc->default_value.kind ||
             !pcsm_schema__str_eq(c->default_value.text, pc->default_value.text))) {
            if (c->default_value.kind)
                pcsm_set_default(op, t->name, c->name, c->default_value);
            else
                pcsm_drop_default(op, t->name, c->name);
        } else if (!c->inherited_only && !c->default_value.kind && pc->default_value.kind) {
            pcsm_drop_default(op, t->name, c->name);
        }
        if (c->not_null && !not_null && c->inherited_only)
            pcsm_set_not_null(op, t->name, c->name);
        else if (!c->not_null && not_null)
            pcsm_drop_not_null(op, t->name, c->name);
        if (c->comment && c->inherited_only)
            pcsm_comment_column(op, t->name, c->name, c->comment);
    }
}

size_t *pcsm_schema__table_order(const pcsm_schema *s)
{
    return ready_order(s, s->n_tables, table_ready);
}

void pcsm_schema__record_table(pcsm_op *op, const pcsm_schema *s,
                               const struct pcsm_schema_table *t)
{
    pcsm_column *cols = pcsm__xcalloc(t->n_columns + 1, sizeof(*cols));
    pcsm_constraint *cons = pcsm__xcalloc(t->n_constraints + 1, sizeof(*cons));
    size_t i, n = 0, n_cols = 0;

    for (i = 0; i < t->n_columns; i++) {
        const struct pcsm_schema_column *c = &t->columns[i];
        const struct pcsm_schema_column *pc = pcsm_schema__parents_column(s, t, c->name);
        /* A default written for an earlier type: made with that type, then altered. */
        bool retyped = c->default_type.kind && !pc;

        /* Its parents' columns only are theirs to give. */
        if (c->inherited_only)
            continue;
        cols[n_cols++] = (pcsm_column){ .name = c->name,
                                 .type = retyped ? c->default_type : c->type,
                                 .not_null = c->not_null, .default_value = c->default_value,
                                 .comment = c->comment,
                                 .collation = retyped ? NULL : c->collation,
                                 /* a parent's generation is its children's to inherit */
                                 .generated = pc && pc->generated ? NULL : c->generated,
                                 .identity = c->identity };
        if (c->identity)
            cols[n_cols - 1].identity_options = pcsm_op__sequence_options(&c->identity_options,
                                                                          true);
    }
    for (i = 0; i < t->n_constraints; i++)
        if (!pcsm_schema__added_later(t, i) && !t->constraints[i].inherited_only)
            cons[n++] = pcsm_schema__api_constraint(&t->constraints[i]);
    if (t->inherits)
        pcsm_create_table_inherits(op, t->name, (const char *const *)t->inherits,
                                   n_cols ? cols : NULL, cons, t->comment);
    else if (t->partition_strategy)
        pcsm_create_partitioned_table(op, t->name,
                                      (pcsm_partition_key){ t->partition_strategy,
                                                            t->partition_key },
                                      cols, cons, t->comment);
    else
        pcsm_create_table(op, t->name, cols, cons, t->comment);
    if (t->inherits)
        record_inherited_columns(op, s, t);
    for (i = 0; i < t->n_columns; i++) {
        const struct pcsm_schema_column *c = &t->columns[i];
        char *name;

        /* An inherited column's type is its parents', theirs to alter. */
        if (c->default_type.kind && !pcsm_schema__parents_column(s, t, c->name))
            pcsm_alter_column_type_collate(op, t->name, c->name, c->type, c->collation, NULL);
        if (!c->identity_sequence)
            continue;
        /* Named for the table's old name, or renamed: the server's name is not this one's. */
        name = pcsm_schema__object_name(t->name, c->name, "seq");
        if (strcmp(name, c->identity_sequence))
            pcsm_rename_sequence(op, name, c->identity_sequence);
        free(name);
    }
    free(cols);
    free(cons);
}

void pcsm_schema__record_collation(pcsm_op *op, const struct pcsm_schema_collation *c)
{
    bool apart = c->ctype && strcmp(c->collate, c->ctype);

    pcsm_create_collation(op, &(pcsm_collation){
        .name = c->name, .provider = c->provider, .locale = apart ? NULL : c->collate,
        .lc_collate = apart ? c->collate : NULL, .lc_ctype = apart ? c->ctype : NULL,
        .nondeterministic = c->nondeterministic,
    });
}

pcsm_constraint pcsm_schema__api_domain_constraint(const struct pcsm_schema_constraint *c)
{
    return (pcsm_constraint){ .kind = PCSM_CHECK, .name = c->name, .check = c->check,
                              .not_valid = c->not_valid };
}

/* CREATE DOMAIN with its valid CHECKs, then ADD ... NOT VALID for the others. */
void pcsm_schema__record_domain(pcsm_op *op, const struct pcsm_schema_domain *d)
{
    pcsm_constraint *cons = pcsm__xcalloc(d->n_constraints + 1, sizeof(*cons));
    size_t i, n = 0;

    for (i = 0; i < d->n_constraints; i++)
        if (!d->constraints[i].not_valid)
            cons[n++] = pcsm_schema__api_domain_constraint(&d->constraints[i]);
    pcsm_create_domain(op, &(pcsm_domain){
        .name = d->name, .type = d->type, .collation = d->collation,
        .default_value = d->default_value, .not_null = d->not_null,
        .constraints = n ? cons : NULL,
    });
    for (i = 0; i < d->n_constraints; i++)
        if (d->constraints[i].not_valid) {
            pcsm_constraint c = pcsm_schema__api_domain_constraint(&d->constraints[i]);

            pcsm_add_domain_constraint(op, d->name, &c);
        }
    free(cons);
}

void pcsm_schema__record_composite(pcsm_op *op, const struct pcsm_schema_composite *c)
{
    pcsm_attribute *attrs = pcsm__xcalloc(c->n_attributes + 1, sizeof(*attrs));

    if (c->n_attributes)
        memcpy(attrs, c->attributes, c->n_attributes * sizeof(*attrs));
    pcsm_create_composite_type(op, c->name, attrs);
    free(attrs);
}

void pcsm_schema__record_range(pcsm_op *op, const struct pcsm_schema_range *r)
{
    pcsm_create_range_type(op, &(pcsm_range_type){
        .name = r->name, .subtype = r->subtype, .subtype_opclass = r->subtype_opclass,
        .collation = r->collation, .subtype_diff = r->subtype_diff,
        .subtype_diff_schema = r->subtype_diff_schema, .multirange_type_name = r->multirange });
}

/*
 * Which domains, composite types, range types and functions
 * record_types() has printed (a function when a range's subtype_diff).
 */
struct printed_types {
    pcsm_op *op;
    const pcsm_schema *s;
    bool *domains, *composites, *ranges, *functions;
};

static void record_domain_ordered(struct printed_types *pt, size_t i);
static void record_composite_ordered(struct printed_types *pt, size_t i);
static void record_range_ordered(struct printed_types *pt, size_t i);

/* The domain, composite or range type of the model that t names, printed first. */
static void record_type_named(struct printed_types *pt, pcsm_type t)
{
    const pcsm_schema *s = pt->s;
    const struct pcsm_schema_range *of;
    size_t k;

    if (t.kind != PCSM_TYPE_NAMED)
        return;
    for (k = 0; k < s->n_ranges; k++)
        if (!strcmp(s->ranges[k].name, t.name) &&
            pcsm_schema__str_eq(s->ranges[k].schema, t.schema))
            record_range_ordered(pt, k);
    if ((of = pcsm_schema__range_of_multirange(s, t.schema, t.name)) != NULL)
        record_range_ordered(pt, (size_t)(of - s->ranges));
    for (k = 0; k < s->n_domains; k++)
        if (!strcmp(s->domains[k].name, t.name) &&
            pcsm_schema__str_eq(s->domains[k].schema, t.schema))
            record_domain_ordered(pt, k);
    for (k = 0; k < s->n_composites; k++)
        if (!strcmp(s->composites[k].name, t.name) &&
            pcsm_schema__str_eq(s->composites[k].schema, t.schema))
            record_composite_ordered(pt, k);
}

/* Domain i after the type it is over; each once. */
static void record_domain_ordered(struct printed_types *pt, size_t i)
{
    if (pt->domains[i])
        return;
    pt->domains[i] = true;
    record_type_named(pt, pt->s->domains[i].type);
    pcsm_set_schema(pt->op, pt->s->domains[i].schema);
    pcsm_schema__record_domain(pt->op, &pt->s->domains[i]);
}

/* Composite type i after the types its attributes are of; each once. */
static void record_composite_ordered(struct printed_types *pt, size_t i)
{
    const struct pcsm_schema_composite *c = &pt->s->composites[i];
    size_t a;

    if (pt->composites[i])
        return;
    pt->composites[i] = true;
    for (a = 0; a < c->n_attributes; a++)
        record_type_named(pt, c->attributes[a].type);
    pcsm_set_schema(pt->op, c->schema);
    pcsm_schema__record_composite(pt->op, c);
}

/* Range type i after its subtype and its subtype_diff function; each once. */
static void record_range_ordered(struct printed_types *pt, size_t i)
{
    const struct pcsm_schema_range *r = &pt->s->ranges[i];
    size_t k;

    if (pt->ranges[i])
        return;
    pt->ranges[i] = true;
    record_type_named(pt, r->subtype);
    for (k = 0; r->subtype_diff && k < pt->s->n_functions; k++) {
        const struct pcsm_schema_function *f = &pt->s->functions[k];

        if (!pt->functions[k] && pcsm_schema__is_range_diff(r, f)) {
            pt->functions[k] = true;
            pcsm_set_schema(pt->op, f->schema);
            pcsm_schema__record_function(pt->op, f);
        }
    }
    pcsm_set_schema(pt->op, r->schema);
    pcsm_schema__record_range(pt->op, r);
}

/*
 * The domains, composite and range types, each after the types it holds;
 * the functions printed here are marked in `functions` (n_functions).
 */
static void record_types(pcsm_op *op, const pcsm_schema *s, bool *functions)
{
    struct printed_types pt = { op, s, pcsm__xcalloc(s->n_domains + 1, sizeof(bool)),
                                pcsm__xcalloc(s->n_composites + 1, sizeof(bool)),
                                pcsm__xcalloc(s->n_ranges + 1, sizeof(bool)), functions };
    size_t i;

    for (i = 0; i < s->n_ranges; i++)
        record_range_ordered(&pt, i);
    for (i = 0; i < s->n_composites; i++)
        record_composite_ordered(&pt, i);
    for (i = 0; i < s->n_domains; i++)
        record_domain_ordered(&pt, i);
    free(pt.domains);
    free(pt.composites);
    free(pt.ranges);
}

void pcsm_schema__record_index(pcsm_op *op, const struct pcsm_schema_index *ix)
{
    pcsm_create_index(op, &(pcsm_index){
        .name = ix->name, .table = ix->table,
        .columns = (const char *const *)ix->columns, .expression = ix->expression,
        .unique = ix->unique, .method = ix->method, .where = ix->where,
        .elements = ix->elements, .nulls_not_distinct = ix->nulls_not_distinct,
        /* Invalid: some partition has none of it, as ON ONLY leaves them. */
        .only = ix->invalid,
    });
}

void pcsm_schema__record_function(pcsm_op *op, const struct pcsm_schema_function *f)
{
    pcsm_create_function(op, &(pcsm_function){
        .name = f->name, .arguments = f->arguments, .returns = f->returns,
        .language = f->language, .body = f->body, .volatility = f->volatility,
        .strict = f->strict, .security_definer = f->security_definer,
    });
}

void pcsm_schema__record_function_comment(pcsm_op *op, const struct pcsm_schema_function *f)
{
    /* By its argument types: the list as written may hold defaults, which COMMENT refuses. */
    comment(op, in_force, PCSM_OBJECT_FUNCTION, f->name, f->signature, f->comment);
}

void pcsm_schema__record_trigger(pcsm_op *op, const char *table,
                                 const struct pcsm_schema_trigger *tr)
{
    pcsm_create_trigger(op, &(pcsm_trigger){
        .name = tr->name, .table = table, .timing = tr->timing, .events = tr->events,
        .for_each_row = tr->for_each_row, .function = tr->function, .when = tr->when,
        .function_schema = tr->function_schema,
    });
    if (tr->firing != PCSM_TRIGGER_ENABLE)
        pcsm_set_trigger_firing(op, table, tr->name, tr->firing);
}

void pcsm_schema__record_row_security(pcsm_op *op, const struct pcsm_schema_table *t)
{
    if (t->row_security)
        pcsm_set_row_security(op, t->name, PCSM_ROW_SECURITY_ENABLE);
    if (t->force_row_security)
        pcsm_set_row_security(op, t->name, PCSM_ROW_SECURITY_FORCE);
}

void pcsm_schema__record_policy(pcsm_op *op, const char *table,
                                const struct pcsm_schema_policy *p)
{
    pcsm_create_policy(op, &(pcsm_policy){
        .name = p->name, .table = table, .command = p->command,
        .restrictive = p->restrictive, .roles = (const char *const *)p->roles,
        .using = p->using, .with_check = p->with_check,
    });
}

void pcsm_schema__record_view(pcsm_op *op, const struct pcsm_schema_view *v, bool empty)
{
    pcsm_view w = {
        .name = v->name, .columns = (const char *const *)v->columns, .query = v->query,
        .reads = (const char *const *)v->reads,
        .no_data = v->materialized && (empty || !v->populated),
    };

    if (v->materialized)
        pcsm_create_materialized_view(op, &w);
    else
        pcsm_create_view(op, &w);
}

/* Whether view i may be made now: each view it reads is made. */
static bool view_ready(const pcsm_schema *s, size_t i, const bool *done)
{
    size_t k;

    for (k = 0; s->views[i].reads && s->views[i].reads[k]; k++) {
        /* Reads are the target schema's names. */
        const struct pcsm_schema_view *w = pcsm_schema__view(s, s->views[i].reads[k]);

        if (w && !done[w - s->views])
            return false;
    }
    return true;
}

/*
 * Views in creation order, but a view replaced since (CREATE OR REPLACE)
 * may read one created after it: each waits for the views it reads.
 * Without `reads`, creation order is all the model knows.
 */
size_t *pcsm_schema__view_order(const pcsm_schema *s)
{
    return ready_order(s, s->n_views, view_ready);
}

/*
 * An SQL-language function's body is checked when it is created, and may
 * read tables created after it: pg_dump's way, the check waits for the call.
 */
static bool has_sql_function(const pcsm_schema *s)
{
    size_t i;

    for (i = 0; i < s->n_functions; i++)
        if (!strcmp(s->functions[i].language, "sql"))
            return true;
    return false;
}

int pcsm_schema_sql(pcsm_ctx *ctx, const pcsm_schema *s, pcsm_buf *out)
{
    return pcsm_schema__sql(ctx, s, false, out);
}

void pcsm_schema__record_grants(pcsm_op *op, enum pcsm_privilege_object on, const char *name,
                                const char *arguments, const char *column,
                                const struct pcsm_schema_acl *from,
                                const struct pcsm_schema_acl *to)
{
    struct pcsm_schema_acl_step *steps;
    size_t n = pcsm_schema__acl_steps(from, to, &steps);

    pcsm_schema__record_steps(op, on, name, arguments, column, steps, n);
    free(steps);
}

void pcsm_schema__record_steps(pcsm_op *op, enum pcsm_privilege_object on, const char *name,
                               const char *arguments, const char *column,
                               const struct pcsm_schema_acl_step *steps, size_t n)
{
    size_t i;

    for (i = 0; i < n; i++) {
        const char *roles[] = { steps[i].role ? steps[i].role : "public", NULL };
        const char *columns[] = { column, NULL };
        pcsm_privileges g = {
            .on = on, .name = name, .arguments = arguments,
            .columns = column ? columns : NULL, .privileges = steps[i].privileges,
            .roles = roles, .grant_option = steps[i].option,
        };

        if (steps[i].grant)
            pcsm_grant(op, &g);
        else
            pcsm_revoke(op, &g);
    }
}

void pcsm_schema__record_default_acl(pcsm_op *op, const struct pcsm_schema_default_acl *key,
                                     const struct pcsm_schema_acl *from,
                                     const struct pcsm_schema_acl *to)
{
    struct pcsm_schema_acl_step *steps;
    size_t n = pcsm_schema__acl_steps(from, to, &steps), i;

    for (i = 0; i < n; i++) {
        const char *roles[] = { steps[i].role ? steps[i].role : "public", NULL };
        pcsm_default_privileges d = {
            .on = key->on, .privileges = steps[i].privileges, .roles = roles,
            .grant_option = steps[i].option, .in_schema = key->in_schema,
            .for_role = key->role,
        };

        pcsm_set_schema(op, key->schema);
        if (steps[i].grant)
            pcsm_grant_default(op, &d);
        else
            pcsm_revoke_default(op, &d);
    }
    free(steps);
}

/* Default privileges, made first, so that every object after has them as the server gave. */
static void record_default_acls(pcsm_op *op, const pcsm_schema *s)
{
    size_t i;

    for (i = 0; i < s->n_default_acls; i++) {
        const struct pcsm_schema_default_acl *e = &s->default_acls[i];
        struct pcsm_schema_acl unset = { 0 };

        if (!e->in_schema)
            pcsm_schema__acl_builtin(&unset, e->on);
        pcsm_schema__record_default_acl(op, e, &unset, &e->acl);
        pcsm_schema__acl_dispose(&unset);
    }
}

/* An object's privileges, from what it had when made. */
static void object_grants(pcsm_op *op, const pcsm_schema *s, enum pcsm_privilege_object on,
                          const char *schema, const char *name, const char *arguments,
                          const struct pcsm_schema_acl *acl)
{
    struct pcsm_schema_acl made = { 0 };

    pcsm_schema__acl_for_new(s, on, schema, &made);
    pcsm_set_schema(op, schema);
    pcsm_schema__record_grants(op, on, name, arguments, NULL, &made, acl);
    pcsm_schema__acl_dispose(&made);
}

/* Every object's privileges and its columns', once every object is made. */
static void record_privileges(pcsm_op *op, const pcsm_schema *s)
{
    static const struct pcsm_schema_acl none;
    size_t i, k;

    for (i = 0; i < s->n_types; i++)
        object_grants(op, s, PCSM_PRIVILEGE_TYPE, s->types[i].schema, s->types[i].name, NULL,
                      &s->types[i].acl);
    for (i = 0; i < s->n_domains; i++)
        object_grants(op, s, PCSM_PRIVILEGE_TYPE, s->domains[i].schema, s->domains[i].name,
                      NULL, &s->domains[i].acl);
    for (i = 0; i < s->n_composites; i++)
        object_grants(op, s, PCSM_PRIVILEGE_TYPE, s->composites[i].schema,
                      s->composites[i].name, NULL, &s->composites[i].acl);
    for (i = 0; i < s->n_ranges; i++)
        object_grants(op, s, PCSM_PRIVILEGE_TYPE, s->ranges[i].schema, s->ranges[i].name, NULL,
                      &s->ranges[i].acl);
    for (i = 0; i < s->n_functions; i++)
        object_grants(op, s, PCSM_PRIVILEGE_FUNCTION, s->functions[i].schema,
                      s->functions[i].name, s->functions[i].signature, &s->functions[i].acl);
    for (i = 0; i < s->n_sequences; i++)
        object_grants(op, s, PCSM_PRIVILEGE_SEQUENCE, s->sequences[i].schema,
                      s->sequences[i].name, NULL, &s->sequences[i].acl);
    for (i = 0; i < s->n_tables; i++) {
        const struct pcsm_schema_table *t = &s->tables[i];

        object_grants(op, s, PCSM_PRIVILEGE_TABLE, t->schema, t->name, NULL, &t->acl);
        for (k = 0; k < t->n_columns; k++)
            pcsm_schema__record_grants(op, PCSM_PRIVILEGE_TABLE, t->name, NULL,
                                       t->columns[k].name, &none, &t->columns[k].acl);
    }
    for (i = 0; i < s->n_views; i++)
        object_grants(op, s, PCSM_PRIVILEGE_TABLE, s->views[i].schema, s->views[i].name, NULL,
                      &s->views[i].acl);
}

/* The comments on what is not a table or a column, once every object is made. */
static void record_comments(pcsm_op *op, const pcsm_schema *s)
{
    size_t i, k;

    for (i = 0; i < s->n_types; i++)
        comment(op, s->types[i].schema, PCSM_OBJECT_TYPE, s->types[i].name, NULL,
                s->types[i].comment);
    for (i = 0; i < s->n_domains; i++)
        comment(op, s->domains[i].schema, PCSM_OBJECT_DOMAIN, s->domains[i].name, NULL,
                s->domains[i].comment);
    for (i = 0; i < s->n_composites; i++)
        comment(op, s->composites[i].schema, PCSM_OBJECT_TYPE, s->composites[i].name, NULL,
                s->composites[i].comment);
    for (i = 0; i < s->n_ranges; i++)
        comment(op, s->ranges[i].schema, PCSM_OBJECT_TYPE, s->ranges[i].name, NULL,
                s->ranges[i].comment);
    for (i = 0; i < s->n_functions; i++) {
        pcsm_set_schema(op, s->functions[i].schema);
        pcsm_schema__record_function_comment(op, &s->functions[i]);
    }
    for (i = 0; i < s->n_sequences; i++)
        comment(op, s->sequences[i].schema, PCSM_OBJECT_SEQUENCE, s->sequences[i].name, NULL,
                s->sequences[i].comment);
    for (i = 0; i < s->n_tables; i++) {
        const struct pcsm_schema_table *t = &s->tables[i];

        for (k = 0; k < t->n_constraints; k++)
            if (t->constraints[k].name)
                comment(op, t->schema, PCSM_OBJECT_CONSTRAINT, t->constraints[k].name,
                        t->name, t->constraints[k].comment);
        for (k = 0; k < t->n_triggers; k++)
            comment(op, t->schema, PCSM_OBJECT_TRIGGER, t->triggers[k].name, t->name,
                    t->triggers[k].comment);
        for (k = 0; k < t->n_policies; k++)
            comment(op, t->schema, PCSM_OBJECT_POLICY, t->policies[k].name, t->name,
                    t->policies[k].comment);
    }
    for (i = 0; i < s->n_views; i++)
        comment(op, s->views[i].schema, s->views[i].materialized
                ? PCSM_OBJECT_MATERIALIZED_VIEW : PCSM_OBJECT_VIEW, s->views[i].name, NULL,
                s->views[i].comment);
    for (i = 0; i < s->n_indexes; i++)
        comment(op, s->indexes[i].schema, PCSM_OBJECT_INDEX, s->indexes[i].name, NULL,
                s->indexes[i].comment);
}

void pcsm_schema__record(pcsm_op *op, const pcsm_schema *s, bool empty_matviews)
{
    size_t i, k;

    for (i = 0; i < s->n_schemas; i++)
        pcsm_create_schema(op, s->schemas[i], PCSM_IF_NOT_EXISTS);
    for (i = 0; i < s->n_extensions; i++)
        pcsm_create_extension(op, s->extensions[i].name,
                              s->extensions[i].cascade ? PCSM_CREATE_CASCADE : 0);
    record_default_acls(op, s);
    for (i = 0; i < s->n_collations; i++) {
        pcsm_set_schema(op, s->collations[i].schema);
        pcsm_schema__record_collation(op, &s->collations[i]);
    }
    for (i = 0; i < s->n_types; i++) {
        pcsm_set_schema(op, s->types[i].schema);
        pcsm_create_enum(op, s->types[i].name, (const char *const *)s->types[i].labels);
    }
    {
        bool *functions = pcsm__xcalloc(s->n_functions + 1, sizeof(bool));

        record_types(op, s, functions);
        for (i = 0; i < s->n_functions; i++)
            if (!functions[i]) {
                pcsm_set_schema(op, s->functions[i].schema);
                pcsm_schema__record_function(op, &s->functions[i]);
            }
        free(functions);
    }
    for (i = 0; i < s->n_sequences; i++) {
        pcsm_sequence_options o = pcsm_op__sequence_options(&s->sequences[i].options, false);

        pcsm_set_schema(op, s->sequences[i].schema);
        pcsm_create_sequence(op, s->sequences[i].name, &o, NULL, NULL);
    }
    {
        size_t *order = pcsm_schema__table_order(s);

        for (i = 0; i < s->n_tables; i++) {
            pcsm_set_schema(op, s->tables[order[i]].schema);
            pcsm_schema__record_table_in(op, s, &s->tables[order[i]]);
        }
        free(order);
    }
    for (i = 0; i < s->n_sequences; i++)
        if (s->sequences[i].owned_table) {
            pcsm_set_schema(op, s->sequences[i].schema);
            pcsm_set_sequence_owner(op, s->sequences[i].name, s->sequences[i].owned_table,
                                    s->sequences[i].owned_column);
        }
    {
        size_t *order = pcsm_schema__view_order(s);

        for (i = 0; i < s->n_views; i++) {
            pcsm_set_schema(op, s->views[order[i]].schema);
            pcsm_schema__record_view(op, &s->views[order[i]], empty_matviews);
        }
        free(order);
    }
    for (i = 0; i < s->n_indexes; i++) {
        pcsm_set_schema(op, s->indexes[i].schema);
        pcsm_schema__record_index(op, &s->indexes[i]);
    }
    {
        /* A child's own first (deepest first, else in name order): its parent's merges in. */
        size_t *depth = pcsm__xcalloc(s->n_tables + 1, sizeof(*depth)), max = 0, d;

        for (i = 0; i < s->n_tables; i++) {
            depth[i] = pcsm_schema__inheritance_depth(s, &s->tables[i]);
            max = depth[i] > max ? depth[i] : max;
        }
        for (d = max + 1; d-- > 0;)
            for (i = 0; i < s->n_tables; i++) {
                const struct pcsm_schema_table *t = &s->tables[i];

                for (k = 0; depth[i] == d && k < t->n_constraints; k++)
                    if (pcsm_schema__added_later(t, k) && !t->constraints[k].inherited_only) {
                        pcsm_constraint c = pcsm_schema__api_constraint(&t->constraints[k]);

                        pcsm_set_schema(op, t->schema);
                        pcsm_add_constraint(op, t->name, &c);
                    }
            }
        free(depth);
        /* A child made after its parent's NOT VALID CHECK has it valid. */
        for (i = 0; i < s->n_tables; i++) {
            const struct pcsm_schema_table *t = &s->tables[i];

            for (k = 0; k < t->n_constraints; k++)
                if (t->constraints[k].inherited_only && !t->constraints[k].not_valid &&
                    t->constraints[k].name && parents_check_not_valid(s, t, &t->constraints[k])) {
                    pcsm_set_schema(op, t->schema);
                    pcsm_validate_constraint(op, t->name, t->constraints[k].name);
                }
        }
    }
    for (i = 0; i < s->n_tables; i++)
        for (k = 0; k < s->tables[i].n_triggers; k++) {
            pcsm_set_schema(op, s->tables[i].schema);
            pcsm_schema__record_trigger(op, s->tables[i].name, &s->tables[i].triggers[k]);
        }
    /* Last: a policy's condition may read any table, view or function. */
    for (i = 0; i < s->n_tables; i++) {
        pcsm_set_schema(op, s->tables[i].schema);
        pcsm_schema__record_row_security(op, &s->tables[i]);
        for (k = 0; k < s->tables[i].n_policies; k++)
            pcsm_schema__record_policy(op, s->tables[i].name, &s->tables[i].policies[k]);
    }
    record_privileges(op, s);
    record_comments(op, s);
    pcsm_set_schema(op, NULL);
}

int pcsm_schema__sql(pcsm_ctx *ctx, const pcsm_schema *s, bool empty_matviews, pcsm_buf *out)
{
    pcsm_op *op = pcsm_op__new(NULL, PCSM_UPGRADE);
    size_t i;
    int rc = 0;

    pcsm_schema__record(op, s, empty_matviews);
    if (pcsm_op__failure(op)) {
        /* The model holds only what the API accepted: a bug if it happens. */
        rc = pcsm_error__set(ctx, PCSM_EINVALID, "the schema model cannot be printed: %s",
                             pcsm_op__failure(op));
    }
    if (rc == 0 && has_sql_function(s))
        pcsm_buf_puts(out, "SET check_function_bodies = false;\n");
    for (i = 0; rc == 0 && i < pcsm_op__count(op); i++)
        pcsm_render__op(pcsm_op__at(op, i), out);
    for (i = 0; rc == 0 && i < s->n_opaque; i++)
        pcsm_buf_printf(out, "-- not in this model: revision %s, operation %zu, raw SQL: %s\n",
                        s->opaque[i].revision, s->opaque[i].op + 1, s->opaque[i].summary);
    pcsm_op__free(op);
    return rc;
}
