/*
 * A model printed as JSON lines, one object each, in the order the SQL
 * printer creates them (print.c): for tools that read a schema rather than
 * run it.  Types, defaults and keywords are written as the renderer writes
 * them in SQL, so that a value reads the same here, in `schema` and in a diff.
 */
#include <stdlib.h>

#include "schema/schema.h"

static void put_key(pcsm_buf *out, const char *key)
{
    pcsm_buf_printf(out, ",\"%s\":", key);
}

static void put_string(pcsm_buf *out, const char *key, const char *value)
{
    put_key(out, key);
    pcsm_buf_put_json_string(out, value);
}

static void put_bool(pcsm_buf *out, const char *key, bool value)
{
    pcsm_buf_printf(out, ",\"%s\":%s", key, value ? "true" : "false");
}

/* A JSON array of names, or null. */
static void put_names(pcsm_buf *out, const char *key, char *const *names)
{
    size_t i;

    put_key(out, key);
    if (!names) {
        pcsm_buf_puts(out, "null");
        return;
    }
    pcsm_buf_putc(out, '[');
    for (i = 0; names[i]; i++) {
        if (i)
            pcsm_buf_putc(out, ',');
        pcsm_buf_put_json_string(out, names[i]);
    }
    pcsm_buf_putc(out, ']');
}

/* SQL text that a renderer function appends, as a JSON string. */
static void put_type(pcsm_buf *out, const char *key, pcsm_type type)
{
    pcsm_buf text = PCSM_BUF_INIT;

    pcsm_render__type(type, &text);
    put_string(out, key, text.ptr);
    pcsm_buf_dispose(&text);
}

/* A sequence's options as the server keeps them, every one set. */
static void put_seq_state(pcsm_buf *out, const char *key, const struct pcsm_seq_state *q)
{
    put_key(out, key);
    pcsm_buf_puts(out, "{\"as\":");
    {
        pcsm_buf text = PCSM_BUF_INIT;

        pcsm_render__type((pcsm_type){ .kind = q->type }, &text);
        pcsm_buf_put_json_string(out, text.ptr);
        pcsm_buf_dispose(&text);
    }
    pcsm_buf_printf(out, ",\"increment\":%lld,\"minvalue\":%lld,\"maxvalue\":%lld,"
                    "\"start\":%lld,\"cache\":%lld", q->increment, q->minvalue, q->maxvalue,
                    q->start, q->cache);
    put_bool(out, "cycle", q->cycle);
    pcsm_buf_putc(out, '}');
}

static void put_column(pcsm_buf *out, const struct pcsm_schema_column *c)
{
    static const char *const identity[] = {
        [PCSM_IDENTITY_NONE] = NULL, [PCSM_IDENTITY_ALWAYS] = "ALWAYS",
        [PCSM_IDENTITY_BY_DEFAULT] = "BY DEFAULT",
    };

    pcsm_buf text = PCSM_BUF_INIT;

    pcsm_buf_puts(out, "{\"name\":");
    pcsm_buf_put_json_string(out, c->name);
    put_type(out, "type", c->type);
    put_bool(out, "not_null", c->not_null);
    if (c->default_value.kind != PCSM_VALUE_NONE)
        pcsm_render__value(c->default_value, &text);
    put_string(out, "default", c->default_value.kind != PCSM_VALUE_NONE ? text.ptr : NULL);
    /* Kept as written for an earlier type: the server casts it so. */
    if (c->default_type.kind != PCSM_TYPE_NONE)
        put_type(out, "default_written_for", c->default_type);
    put_string(out, "collation", c->collation);
    put_string(out, "generated", c->generated);
    put_string(out, "identity", identity[c->identity]);
    if (c->identity != PCSM_IDENTITY_NONE) {
        put_string(out, "identity_sequence", c->identity_sequence);
        put_seq_state(out, "identity_options", &c->identity_options);
    }
    put_string(out, "comment", c->comment && *c->comment ? c->comment : NULL);
    pcsm_buf_putc(out, '}');
    pcsm_buf_dispose(&text);
}

static void put_constraint(pcsm_buf *out, const struct pcsm_schema_constraint *c)
{
    static const char *const kinds[] = {
        [PCSM_PRIMARY_KEY] = "PRIMARY KEY", [PCSM_UNIQUE] = "UNIQUE",
        [PCSM_FOREIGN_KEY] = "FOREIGN KEY", [PCSM_CHECK] = "CHECK",
    };

    pcsm_buf_puts(out, "{\"name\":");
    pcsm_buf_put_json_string(out, c->name);
    put_string(out, "kind", kinds[c->kind]);
    if (c->kind != PCSM_CHECK)
        put_names(out, "columns", c->columns);
    if (c->kind == PCSM_FOREIGN_KEY) {
        put_string(out, "references", c->references);
        put_names(out, "ref_columns", c->ref_columns);
        put_string(out, "on_delete", pcsm_render__fk_action(c->on_delete));
        put_string(out, "on_update", pcsm_render__fk_action(c->on_update));
    }
    if (c->kind == PCSM_CHECK)
        put_string(out, "check", c->check);
    put_bool(out, "deferrable", c->deferrable);
    put_bool(out, "not_valid", c->not_valid);
    pcsm_buf_putc(out, '}');
}

static void put_trigger(pcsm_buf *out, const struct pcsm_schema_trigger *t)
{
    pcsm_buf events = PCSM_BUF_INIT;

    pcsm_render__events(t->events, &events);
    pcsm_buf_puts(out, "{\"name\":");
    pcsm_buf_put_json_string(out, t->name);
    put_string(out, "timing", pcsm_render__timing(t->timing));
    put_string(out, "events", events.ptr);
    put_bool(out, "for_each_row", t->for_each_row);
    put_string(out, "function", t->function);
    put_string(out, "when", t->when);
    put_bool(out, "enabled", !t->disabled);
    pcsm_buf_putc(out, '}');
    pcsm_buf_dispose(&events);
}

static void put_table(pcsm_buf *out, const struct pcsm_schema_table *t)
{
    size_t i;

    pcsm_buf_puts(out, "{\"object\":\"table\"");
    put_string(out, "name", t->name);
    put_string(out, "comment", t->comment && *t->comment ? t->comment : NULL);
    pcsm_buf_puts(out, ",\"columns\":[");
    for (i = 0; i < t->n_columns; i++) {
        if (i)
            pcsm_buf_putc(out, ',');
        put_column(out, &t->columns[i]);
    }
    pcsm_buf_puts(out, "],\"constraints\":[");
    for (i = 0; i < t->n_constraints; i++) {
        if (i)
            pcsm_buf_putc(out, ',');
        put_constraint(out, &t->constraints[i]);
    }
    pcsm_buf_puts(out, "],\"triggers\":[");
    for (i = 0; i < t->n_triggers; i++) {
        if (i)
            pcsm_buf_putc(out, ',');
        put_trigger(out, &t->triggers[i]);
    }
    pcsm_buf_puts(out, "]}\n");
}

static void put_function(pcsm_buf *out, const struct pcsm_schema_function *f)
{
    pcsm_buf_puts(out, "{\"object\":\"function\"");
    put_string(out, "name", f->name);
    put_string(out, "arguments", f->arguments);
    put_string(out, "signature", f->signature);
    put_string(out, "returns", f->returns);
    put_string(out, "language", f->language);
    put_string(out, "volatility", pcsm_render__volatility(f->volatility));
    put_bool(out, "strict", f->strict);
    put_bool(out, "security_definer", f->security_definer);
    put_string(out, "body", f->body);
    pcsm_buf_puts(out, "}\n");
}

static void put_index(pcsm_buf *out, const struct pcsm_schema_index *ix)
{
    pcsm_buf_puts(out, "{\"object\":\"index\"");
    put_string(out, "name", ix->name);
    put_string(out, "table", ix->table);
    put_names(out, "columns", ix->columns);
    put_string(out, "expression", ix->expression);
    put_bool(out, "unique", ix->unique);
    put_string(out, "method", ix->method ? ix->method : "btree");
    put_string(out, "where", ix->where);
    pcsm_buf_puts(out, "}\n");
}

void pcsm_schema_json(const pcsm_schema *s, pcsm_buf *out)
{
    size_t i, *order;

    for (i = 0; i < s->n_extensions; i++) {
        pcsm_buf_puts(out, "{\"object\":\"extension\"");
        put_string(out, "name", s->extensions[i].name);
        put_bool(out, "cascade", s->extensions[i].cascade);
        pcsm_buf_puts(out, "}\n");
    }
    for (i = 0; i < s->n_types; i++) {
        pcsm_buf_puts(out, "{\"object\":\"type\",\"kind\":\"enum\"");
        put_string(out, "name", s->types[i].name);
        put_names(out, "labels", s->types[i].labels);
        pcsm_buf_puts(out, "}\n");
    }
    for (i = 0; i < s->n_functions; i++)
        put_function(out, &s->functions[i]);
    for (i = 0; i < s->n_sequences; i++) {
        pcsm_buf_puts(out, "{\"object\":\"sequence\"");
        put_string(out, "name", s->sequences[i].name);
        put_seq_state(out, "options", &s->sequences[i].options);
        put_string(out, "owned_by_table", s->sequences[i].owned_table);
        put_string(out, "owned_by_column", s->sequences[i].owned_column);
        pcsm_buf_puts(out, "}\n");
    }
    for (i = 0; i < s->n_tables; i++)
        put_table(out, &s->tables[i]);
    order = pcsm_schema__view_order(s);
    for (i = 0; i < s->n_views; i++) {
        const struct pcsm_schema_view *v = &s->views[order[i]];

        pcsm_buf_printf(out, "{\"object\":\"%s\"",
                        v->materialized ? "materialized_view" : "view");
        put_string(out, "name", v->name);
        put_names(out, "columns", v->columns);
        put_string(out, "query", v->query);
        put_names(out, "reads", v->reads);
        if (v->materialized)
            put_bool(out, "populated", v->populated);
        pcsm_buf_puts(out, "}\n");
    }
    free(order);
    for (i = 0; i < s->n_indexes; i++)
        put_index(out, &s->indexes[i]);
    for (i = 0; i < s->n_opaque; i++) {
        pcsm_buf_puts(out, "{\"object\":\"unverified\"");
        put_string(out, "revision", s->opaque[i].revision);
        pcsm_buf_printf(out, ",\"operation\":%zu", s->opaque[i].op + 1);
        put_string(out, "summary", s->opaque[i].summary);
        put_names(out, "mentions", s->opaque[i].mentions);
        pcsm_buf_puts(out, "}\n");
    }
}
