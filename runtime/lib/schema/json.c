/*
 * A model printed as JSON lines, one object each, in the order the SQL
 * printer creates them (print.c): for tools that read a schema rather than
 * run it.  Types, defaults and keywords are written as the renderer writes
 * them in SQL, so that a value reads the same here, in `schema` and in a diff.
 * An object outside the target schema has a "schema" key, said only then
 * (as "ref_schema" of a foreign key and "function_schema" of a trigger),
 * so the lines of the target schema's objects read as they always did;
 * the schemas create_schema made come first, {"object": "namespace"} each
 * ("schema" is the first line's, which `pcs-migrate schema --format json`
 * writes about the whole), then default privileges.  An object's
 * "privileges" (each role's but its owner's) are said only where they are
 * not what the server gives a new one.
 */
#include <stdlib.h>

#include <jansson.h>

#include "schema/schema.h"

static void put_string(json_t *obj, const char *key, const char *value)
{
    json_object_set_new(obj, key, pcsm_json_string(value));
}

/* A JSON array of names, or null. */
static void put_names(json_t *obj, const char *key, char *const *names)
{
    json_t *list;
    size_t i;

    if (!names) {
        json_object_set_new(obj, key, json_null());
        return;
    }
    list = json_array();
    for (i = 0; names[i]; i++)
        json_array_append_new(list, pcsm_json_string(names[i]));
    json_object_set_new(obj, key, list);
}

/* SQL text that a renderer function appends, as a JSON string. */
static void put_type(json_t *obj, const char *key, pcsm_type type)
{
    pcsm_buf text = PCSM_BUF_INIT;

    pcsm_render__type(type, &text);
    put_string(obj, key, text.ptr);
    pcsm_buf_dispose(&text);
}

/* A sequence's options as the server keeps them, every one set. */
static void put_seq_state(json_t *obj, const char *key, const struct pcsm_seq_state *q)
{
    json_t *o = json_object();

    put_type(o, "as", (pcsm_type){ .kind = q->type });
    json_object_set_new(o, "increment", json_integer(q->increment));
    json_object_set_new(o, "minvalue", json_integer(q->minvalue));
    json_object_set_new(o, "maxvalue", json_integer(q->maxvalue));
    json_object_set_new(o, "start", json_integer(q->start));
    json_object_set_new(o, "cache", json_integer(q->cache));
    json_object_set_new(o, "cycle", json_boolean(q->cycle));
    json_object_set_new(obj, key, o);
}

/* [{"role": "reader", "privileges": ["SELECT", ...], "grantable": [...]}, ...]. */
static json_t *grants(const struct pcsm_schema_acl *acl)
{
    json_t *list = json_array();
    size_t i;
    unsigned bit;

    for (i = 0; i < acl->n; i++) {
        const struct pcsm_schema_grant *g = &acl->grants[i];
        json_t *o = json_object(), *held = json_array(), *grantable = json_array();

        put_string(o, "role", g->role ? g->role : "PUBLIC");
        for (bit = 1; bit && bit <= g->privileges; bit <<= 1) {
            if (g->privileges & bit)
                json_array_append_new(held, pcsm_json_string(pcsm_op__privilege_name(bit)));
            if (g->grantable & bit)
                json_array_append_new(grantable,
                                      pcsm_json_string(pcsm_op__privilege_name(bit)));
        }
        json_object_set_new(o, "privileges", held);
        json_object_set_new(o, "grantable", grantable);
        json_array_append_new(list, o);
    }
    return list;
}

/*
 * An object's privileges, said only when they are not what the server
 * gives a new one of kind `on` (NONE: a column's, nothing), so the lines
 * of every object without grants of its own stay as they were.
 */
static void put_privileges(json_t *o, enum pcsm_privilege_object on,
                           const struct pcsm_schema_acl *acl)
{
    struct pcsm_schema_acl builtin = { 0 };

    pcsm_schema__acl_builtin(&builtin, on);
    if (!pcsm_schema__acl_eq(acl, &builtin))
        json_object_set_new(o, "privileges", grants(acl));
    pcsm_schema__acl_dispose(&builtin);
}

static json_t *column(const struct pcsm_schema_column *c)
{
    static const char *const identity[] = {
        [PCSM_IDENTITY_NONE] = NULL, [PCSM_IDENTITY_ALWAYS] = "ALWAYS",
        [PCSM_IDENTITY_BY_DEFAULT] = "BY DEFAULT",
    };
    pcsm_buf text = PCSM_BUF_INIT;
    json_t *o = json_object();

    put_string(o, "name", c->name);
    put_type(o, "type", c->type);
    json_object_set_new(o, "not_null", json_boolean(c->not_null));
    if (c->default_value.kind != PCSM_VALUE_NONE)
        pcsm_render__value(c->default_value, &text);
    put_string(o, "default", c->default_value.kind != PCSM_VALUE_NONE ? text.ptr : NULL);
    /* Kept as written for an earlier type: the server casts it so. */
    if (c->default_type.kind != PCSM_TYPE_NONE)
        put_type(o, "default_written_for", c->default_type);
    put_string(o, "collation", c->collation);
    put_string(o, "generated", c->generated);
    put_string(o, "identity", identity[c->identity]);
    if (c->identity != PCSM_IDENTITY_NONE) {
        put_string(o, "identity_sequence", c->identity_sequence);
        put_seq_state(o, "identity_options", &c->identity_options);
    }
    put_string(o, "comment", c->comment && *c->comment ? c->comment : NULL);
    put_privileges(o, PCSM_PRIVILEGE_NONE, &c->acl);
    /* Said only of an inheriting table's column that is only its parents'. */
    if (c->inherited_only)
        json_object_set_new(o, "inherited_only", json_true());
    pcsm_buf_dispose(&text);
    return o;
}

/*
 * The comment of an object other than a table or a column: said only when
 * it has one, so the lines of every object without stay as they were.
 */
static void put_comment(json_t *o, const char *comment)
{
    if (comment)
        put_string(o, "comment", comment);
}

/* An index's keys, or an exclusion constraint's with their operators ("with"). */
static json_t *elements(const pcsm_index_element *e)
{
    json_t *a = json_array();

    for (; e && (e->column || e->expression); e++) {
        json_t *el = json_object();

        put_string(el, "column", e->column);
        put_string(el, "expression", e->expression);
        put_string(el, "collation", e->collation);
        put_string(el, "opclass", e->opclass);
        json_object_set_new(el, "descending", json_boolean(e->descending));
        put_string(el, "nulls", e->nulls == PCSM_NULLS_FIRST ? "first"
                                : e->nulls == PCSM_NULLS_LAST ? "last" : NULL);
        if (e->with)
            put_string(el, "with", e->with);
        json_array_append_new(a, el);
    }
    return a;
}

static json_t *constraint(const struct pcsm_schema_constraint *c)
{
    static const char *const kinds[] = {
        [PCSM_PRIMARY_KEY] = "PRIMARY KEY", [PCSM_UNIQUE] = "UNIQUE",
        [PCSM_FOREIGN_KEY] = "FOREIGN KEY", [PCSM_CHECK] = "CHECK", [PCSM_EXCLUDE] = "EXCLUDE",
    };
    json_t *o = json_object();

    put_string(o, "name", c->name);
    put_string(o, "kind", kinds[c->kind]);
    if (c->kind != PCSM_CHECK && c->kind != PCSM_EXCLUDE)
        put_names(o, "columns", c->columns);
    if (c->kind == PCSM_EXCLUDE) {
        put_string(o, "method", c->method ? c->method : "btree");
        json_object_set_new(o, "elements", elements(c->elements));
        put_string(o, "where", c->where);
    }
    if (c->kind == PCSM_FOREIGN_KEY) {
        put_string(o, "references", c->references);
        if (c->ref_schema)
            put_string(o, "ref_schema", c->ref_schema);
        put_names(o, "ref_columns", c->ref_columns);
        put_string(o, "on_delete", pcsm_render__fk_action(c->on_delete));
        put_string(o, "on_update", pcsm_render__fk_action(c->on_update));
    }
    if (c->kind == PCSM_CHECK)
        put_string(o, "check", c->check);
    json_object_set_new(o, "deferrable", json_boolean(c->deferrable));
    json_object_set_new(o, "not_valid", json_boolean(c->not_valid));
    /* Said only when set, so the lines of every other constraint stay as they were. */
    if (c->nulls_not_distinct)
        json_object_set_new(o, "nulls_not_distinct", json_true());
    if (c->inherited_only)
        json_object_set_new(o, "inherited_only", json_true());
    put_comment(o, c->comment);
    return o;
}

static json_t *trigger(const struct pcsm_schema_trigger *t)
{
    pcsm_buf events = PCSM_BUF_INIT;
    json_t *o = json_object();

    pcsm_render__events(t->events, &events);
    put_string(o, "name", t->name);
    put_string(o, "timing", pcsm_render__timing(t->timing));
    put_string(o, "events", events.ptr);
    json_object_set_new(o, "for_each_row", json_boolean(t->for_each_row));
    put_string(o, "function", t->function);
    if (t->function_schema)
        put_string(o, "function_schema", t->function_schema);
    put_string(o, "when", t->when);
    /* true or false as DISABLE says; "replica" or "always" as ENABLE REPLICA or ALWAYS does. */
    if (t->firing == PCSM_TRIGGER_ENABLE_REPLICA || t->firing == PCSM_TRIGGER_ENABLE_ALWAYS)
        json_object_set_new(o, "enabled", json_string(pcsm_schema__firing_text(t->firing)));
    else
        json_object_set_new(o, "enabled", json_boolean(t->firing != PCSM_TRIGGER_DISABLE));
    put_comment(o, t->comment);
    pcsm_buf_dispose(&events);
    return o;
}

static json_t *policy(const struct pcsm_schema_policy *p)
{
    json_t *o = json_object(), *roles = json_array();
    size_t i;

    put_string(o, "name", p->name);
    put_string(o, "command", pcsm_render__policy_command(p->command));
    json_object_set_new(o, "restrictive", json_boolean(p->restrictive));
    if (!p->roles)
        json_array_append_new(roles, json_string("public"));
    for (i = 0; p->roles && p->roles[i]; i++)
        json_array_append_new(roles, json_string(p->roles[i]));
    json_object_set_new(o, "roles", roles);
    put_string(o, "using", p->using);
    put_string(o, "with_check", p->with_check);
    put_comment(o, p->comment);
    return o;
}

/* {"object": kind}: the first key of every line. */
static json_t *object(const char *kind)
{
    return json_pack("{s:s}", "object", kind);
}

/* The second key of an object outside the target schema; none for the target's. */
static json_t *object_in(const char *kind, const char *schema)
{
    json_t *o = object(kind);

    if (schema)
        put_string(o, "schema", schema);
    return o;
}

static void put_table(pcsm_buf *out, const struct pcsm_schema_table *t)
{
    json_t *o = object_in("table", t->schema), *list;
    size_t i;

    put_string(o, "name", t->name);
    put_string(o, "comment", t->comment && *t->comment ? t->comment : NULL);
    list = json_array();
    for (i = 0; i < t->n_columns; i++)
        json_array_append_new(list, column(&t->columns[i]));
    json_object_set_new(o, "columns", list);
    list = json_array();
    for (i = 0; i < t->n_constraints; i++)
        json_array_append_new(list, constraint(&t->constraints[i]));
    json_object_set_new(o, "constraints", list);
    list = json_array();
    for (i = 0; i < t->n_triggers; i++)
        json_array_append_new(list, trigger(&t->triggers[i]));
    json_object_set_new(o, "triggers", list);
    json_object_set_new(o, "row_security", json_boolean(t->row_security));
    json_object_set_new(o, "force_row_security", json_boolean(t->force_row_security));
    list = json_array();
    for (i = 0; i < t->n_policies; i++)
        json_array_append_new(list, policy(&t->policies[i]));
    json_object_set_new(o, "policies", list);
    /* Said only of a partitioned table and of a partition. */
    if (t->partition_strategy) {
        json_t *by = json_object();

        put_string(by, "strategy", t->partition_strategy == PCSM_PARTITION_RANGE ? "RANGE"
                                 : t->partition_strategy == PCSM_PARTITION_LIST ? "LIST"
                                 : "HASH");
        json_object_set_new(by, "key", elements(t->partition_key));
        json_object_set_new(o, "partition_by", by);
    }
    if (t->partition_of) {
        put_string(o, "partition_of", t->partition_of);
        put_string(o, "bound", t->partition_bound);
    }
    /* Said only of a table that inherits. */
    if (t->inherits) {
        list = json_array();
        for (i = 0; t->inherits[i]; i++)
            json_array_append_new(list, json_string(t->inherits[i]));
        json_object_set_new(o, "inherits", list);
    }
    put_privileges(o, PCSM_PRIVILEGE_TABLE, &t->acl);
    pcsm_json_line(out, o);
}

static void put_composite(pcsm_buf *out, const struct pcsm_schema_composite *c)
{
    json_t *o = object_in("type", c->schema), *list = json_array();
    size_t i;

    put_string(o, "kind", "composite");
    put_string(o, "name", c->name);
    for (i = 0; i < c->n_attributes; i++) {
        json_t *a = json_object();

        put_string(a, "name", c->attributes[i].name);
        put_type(a, "type", c->attributes[i].type);
        put_string(a, "collation", c->attributes[i].collation);
        json_array_append_new(list, a);
    }
    json_object_set_new(o, "attributes", list);
    put_comment(o, c->comment);
    put_privileges(o, PCSM_PRIVILEGE_TYPE, &c->acl);
    pcsm_json_line(out, o);
}

static void put_range(pcsm_buf *out, const struct pcsm_schema_range *r)
{
    json_t *o = object_in("type", r->schema);
    char *multirange = pcsm_schema__multirange_name(r);

    put_string(o, "kind", "range");
    put_string(o, "name", r->name);
    put_type(o, "subtype", r->subtype);
    put_string(o, "subtype_opclass", r->subtype_opclass);
    put_string(o, "collation", r->collation);
    put_string(o, "subtype_diff", r->subtype_diff);
    put_string(o, "subtype_diff_schema", r->subtype_diff_schema);
    put_string(o, "multirange", multirange);
    put_comment(o, r->comment);
    put_privileges(o, PCSM_PRIVILEGE_TYPE, &r->acl);
    pcsm_json_line(out, o);
    free(multirange);
}

static void put_domain(pcsm_buf *out, const struct pcsm_schema_domain *d)
{
    pcsm_buf text = PCSM_BUF_INIT;
    json_t *o = object_in("domain", d->schema), *list = json_array();
    size_t i;

    put_string(o, "name", d->name);
    put_type(o, "type", d->type);
    put_string(o, "collation", d->collation);
    if (d->default_value.kind != PCSM_VALUE_NONE)
        pcsm_render__value(d->default_value, &text);
    put_string(o, "default", d->default_value.kind != PCSM_VALUE_NONE ? text.ptr : NULL);
    json_object_set_new(o, "not_null", json_boolean(d->not_null));
    for (i = 0; i < d->n_constraints; i++)
        json_array_append_new(list, constraint(&d->constraints[i]));
    json_object_set_new(o, "constraints", list);
    put_comment(o, d->comment);
    put_privileges(o, PCSM_PRIVILEGE_TYPE, &d->acl);
    pcsm_json_line(out, o);
    pcsm_buf_dispose(&text);
}

static void put_function(pcsm_buf *out, const struct pcsm_schema_function *f)
{
    json_t *o = object_in("function", f->schema);

    put_string(o, "name", f->name);
    put_string(o, "arguments", f->arguments);
    put_string(o, "signature", f->signature);
    put_string(o, "returns", f->returns);
    put_string(o, "language", f->language);
    put_string(o, "volatility", pcsm_render__volatility(f->volatility));
    json_object_set_new(o, "strict", json_boolean(f->strict));
    json_object_set_new(o, "security_definer", json_boolean(f->security_definer));
    put_string(o, "body", f->body);
    put_comment(o, f->comment);
    put_privileges(o, PCSM_PRIVILEGE_FUNCTION, &f->acl);
    pcsm_json_line(out, o);
}

static void put_index(pcsm_buf *out, const struct pcsm_schema_index *ix)
{
    json_t *o = object_in("index", ix->schema);

    put_string(o, "name", ix->name);
    put_string(o, "table", ix->table);
    put_names(o, "columns", ix->columns);
    put_string(o, "expression", ix->expression);
    json_object_set_new(o, "unique", json_boolean(ix->unique));
    put_string(o, "method", ix->method ? ix->method : "btree");
    put_string(o, "where", ix->where);
    /* Said only when there are some, as nulls_not_distinct only when set. */
    if (ix->elements)
        json_object_set_new(o, "elements", elements(ix->elements));
    if (ix->invalid)
        json_object_set_new(o, "valid", json_false());
    if (ix->nulls_not_distinct)
        json_object_set_new(o, "nulls_not_distinct", json_true());
    put_comment(o, ix->comment);
    pcsm_json_line(out, o);
}

void pcsm_schema_json(const pcsm_schema *s, pcsm_buf *out)
{
    size_t i, *order;
    json_t *o;

    for (i = 0; i < s->n_schemas; i++) {
        o = object("namespace");
        put_string(o, "name", s->schemas[i]);
        pcsm_json_line(out, o);
    }
    /* Before every object, as print.c makes them: each made under them. */
    for (i = 0; i < s->n_default_acls; i++) {
        const struct pcsm_schema_default_acl *d = &s->default_acls[i];

        o = object("default_privileges");
        put_string(o, "for_role", d->role);
        put_string(o, "on", pcsm_op__privilege_object_sql(d->on, true));
        json_object_set_new(o, "in_schema", json_boolean(d->in_schema));
        if (d->in_schema && d->schema)
            put_string(o, "schema", d->schema);
        json_object_set_new(o, "privileges", grants(&d->acl));
        pcsm_json_line(out, o);
    }
    for (i = 0; i < s->n_extensions; i++) {
        o = object("extension");
        put_string(o, "name", s->extensions[i].name);
        json_object_set_new(o, "cascade", json_boolean(s->extensions[i].cascade));
        pcsm_json_line(out, o);
    }
    for (i = 0; i < s->n_collations; i++) {
        const struct pcsm_schema_collation *c = &s->collations[i];

        o = object_in("collation", c->schema);
        put_string(o, "name", c->name);
        put_string(o, "provider", c->provider == PCSM_PROVIDER_ICU ? "icu" : "libc");
        put_string(o, "lc_collate", c->collate);
        put_string(o, "lc_ctype", c->ctype);
        json_object_set_new(o, "deterministic", json_boolean(!c->nondeterministic));
        pcsm_json_line(out, o);
    }
    for (i = 0; i < s->n_types; i++) {
        o = object_in("type", s->types[i].schema);
        put_string(o, "kind", "enum");
        put_string(o, "name", s->types[i].name);
        put_names(o, "labels", s->types[i].labels);
        put_comment(o, s->types[i].comment);
        put_privileges(o, PCSM_PRIVILEGE_TYPE, &s->types[i].acl);
        pcsm_json_line(out, o);
    }
    for (i = 0; i < s->n_composites; i++)
        put_composite(out, &s->composites[i]);
    for (i = 0; i < s->n_ranges; i++)
        put_range(out, &s->ranges[i]);
    for (i = 0; i < s->n_domains; i++)
        put_domain(out, &s->domains[i]);
    for (i = 0; i < s->n_functions; i++)
        put_function(out, &s->functions[i]);
    for (i = 0; i < s->n_sequences; i++) {
        o = object_in("sequence", s->sequences[i].schema);
        put_string(o, "name", s->sequences[i].name);
        put_seq_state(o, "options", &s->sequences[i].options);
        put_string(o, "owned_by_table", s->sequences[i].owned_table);
        put_string(o, "owned_by_column", s->sequences[i].owned_column);
        put_comment(o, s->sequences[i].comment);
        put_privileges(o, PCSM_PRIVILEGE_SEQUENCE, &s->sequences[i].acl);
        pcsm_json_line(out, o);
    }
    for (i = 0; i < s->n_tables; i++)
        put_table(out, &s->tables[i]);
    order = pcsm_schema__view_order(s);
    for (i = 0; i < s->n_views; i++) {
        const struct pcsm_schema_view *v = &s->views[order[i]];

        o = object_in(v->materialized ? "materialized_view" : "view", v->schema);
        put_string(o, "name", v->name);
        put_names(o, "columns", v->columns);
        put_string(o, "query", v->query);
        put_names(o, "reads", v->reads);
        if (v->materialized)
            json_object_set_new(o, "populated", json_boolean(v->populated));
        put_comment(o, v->comment);
        put_privileges(o, PCSM_PRIVILEGE_TABLE, &v->acl);
        pcsm_json_line(out, o);
    }
    free(order);
    for (i = 0; i < s->n_indexes; i++)
        put_index(out, &s->indexes[i]);
    for (i = 0; i < s->n_opaque; i++) {
        o = object("unverified");
        put_string(o, "revision", s->opaque[i].revision);
        json_object_set_new(o, "operation", json_integer((json_int_t)s->opaque[i].op + 1));
        put_string(o, "summary", s->opaque[i].summary);
        put_names(o, "mentions", s->opaque[i].mentions);
        pcsm_json_line(out, o);
    }
}
