/*
 * The one renderer: a recorded operation to PostgreSQL SQL.  Online runs,
 * offline scripts and checksums all take their text from here.  Every
 * identifier is quoted, every literal escaped (sql.c); expressions the
 * author wrote (defaults, CHECK, WHERE, raw SQL) are copied as written.
 * Each statement ends with ";\n".
 */
#include <string.h>
#include <strings.h>

#include "render/render.h"

static void put_type(pcsm_buf *out, pcsm_type t)
{
    static const char *const plain[] = {
        [PCSM_TYPE_UUID] = "uuid", [PCSM_TYPE_TEXT] = "text",
        [PCSM_TYPE_BOOLEAN] = "boolean", [PCSM_TYPE_SMALLINT] = "smallint",
        [PCSM_TYPE_INTEGER] = "integer", [PCSM_TYPE_BIGINT] = "bigint",
        [PCSM_TYPE_REAL] = "real", [PCSM_TYPE_DOUBLE] = "double precision",
        [PCSM_TYPE_JSON] = "json", [PCSM_TYPE_JSONB] = "jsonb",
        [PCSM_TYPE_BYTEA] = "bytea", [PCSM_TYPE_DATE] = "date",
        [PCSM_TYPE_TIME] = "time", [PCSM_TYPE_TIMESTAMP] = "timestamp",
        [PCSM_TYPE_TIMESTAMPTZ] = "timestamptz", [PCSM_TYPE_INTERVAL] = "interval",
        [PCSM_TYPE_TSVECTOR] = "tsvector", [PCSM_TYPE_TSQUERY] = "tsquery",
        [PCSM_TYPE_INET] = "inet", [PCSM_TYPE_CIDR] = "cidr",
        [PCSM_TYPE_MACADDR] = "macaddr", [PCSM_TYPE_MACADDR8] = "macaddr8",
        [PCSM_TYPE_MONEY] = "money", [PCSM_TYPE_XML] = "xml", [PCSM_TYPE_OID] = "oid",
        [PCSM_TYPE_TIMETZ] = "timetz", [PCSM_TYPE_BIT] = "bit", [PCSM_TYPE_VARBIT] = "varbit",
        [PCSM_TYPE_INT4RANGE] = "int4range", [PCSM_TYPE_INT8RANGE] = "int8range",
        [PCSM_TYPE_NUMRANGE] = "numrange", [PCSM_TYPE_TSRANGE] = "tsrange",
        [PCSM_TYPE_TSTZRANGE] = "tstzrange", [PCSM_TYPE_DATERANGE] = "daterange",
        [PCSM_TYPE_SMALLSERIAL] = "smallserial", [PCSM_TYPE_SERIAL] = "serial",
        [PCSM_TYPE_BIGSERIAL] = "bigserial",
    };
    int d;

    switch (t.kind) {
    case PCSM_TYPE_VARCHAR:
        if (t.p > 0)
            pcsm_buf_printf(out, "varchar(%d)", t.p);
        else
            pcsm_buf_puts(out, "varchar");
        break;
    case PCSM_TYPE_CHAR:
        pcsm_buf_printf(out, "char(%d)", t.p);
        break;
    case PCSM_TYPE_NUMERIC:
        if (t.p > 0)
            pcsm_buf_printf(out, "numeric(%d,%d)", t.p, t.s);
        else
            pcsm_buf_puts(out, "numeric");
        break;
    case PCSM_TYPE_NAMED:
        if (t.schema) {
            pcsm_sql__ident(out, t.schema);
            pcsm_buf_putc(out, '.');
        }
        pcsm_sql__ident(out, t.name);
        if (t.modifiers)
            pcsm_buf_printf(out, "(%s)", t.modifiers);
        break;
    case PCSM_TYPE_TIME: case PCSM_TYPE_TIMETZ: case PCSM_TYPE_TIMESTAMP:
    case PCSM_TYPE_TIMESTAMPTZ: case PCSM_TYPE_INTERVAL:
        pcsm_buf_puts(out, plain[t.kind]);
        if (t.p)
            pcsm_buf_printf(out, "(%d)", t.p == PCSM_PRECISION_ZERO ? 0 : t.p);
        break;
    case PCSM_TYPE_BIT:
    case PCSM_TYPE_VARBIT:
        pcsm_buf_puts(out, plain[t.kind]);
        if (t.p > 0)
            pcsm_buf_printf(out, "(%d)", t.p);
        break;
    default:
        pcsm_buf_puts(out, plain[t.kind]);
        break;
    }
    for (d = 0; d < t.array_dims; d++)
        pcsm_buf_puts(out, "[]");
}

static void put_value(pcsm_buf *out, pcsm_value v)
{
    switch (v.kind) {
    case PCSM_VALUE_EXPR:
        pcsm_buf_puts(out, v.text);
        break;
    case PCSM_VALUE_LITERAL:
        pcsm_sql__literal(out, v.text);
        break;
    case PCSM_VALUE_NULL:
    case PCSM_VALUE_NONE:
        pcsm_buf_puts(out, "NULL");
        break;
    }
}

void pcsm_render__type(pcsm_type t, pcsm_buf *out)
{
    put_type(out, t);
}

void pcsm_render__value(pcsm_value v, pcsm_buf *out)
{
    put_value(out, v);
}

static void put_names(pcsm_buf *out, const char *const *names)
{
    size_t i;

    pcsm_buf_putc(out, '(');
    for (i = 0; names[i]; i++) {
        if (i)
            pcsm_buf_puts(out, ", ");
        pcsm_sql__ident(out, names[i]);
    }
    pcsm_buf_putc(out, ')');
}

const char *pcsm_render__fk_action(enum pcsm_fk_action a)
{
    static const char *const actions[] = {
        [PCSM_FK_DEFAULT] = "NO ACTION", [PCSM_NO_ACTION] = "NO ACTION",
        [PCSM_RESTRICT] = "RESTRICT", [PCSM_CASCADE] = "CASCADE",
        [PCSM_SET_NULL] = "SET NULL", [PCSM_SET_DEFAULT] = "SET DEFAULT",
    };

    return actions[a];
}

const char *pcsm_render__timing(enum pcsm_trigger_timing t)
{
    static const char *const timing[] = {
        [PCSM_TIMING_NONE] = "", [PCSM_BEFORE] = "BEFORE", [PCSM_AFTER] = "AFTER",
        [PCSM_INSTEAD_OF] = "INSTEAD OF",
    };

    return timing[t];
}

const char *pcsm_render__policy_command(enum pcsm_policy_command c)
{
    static const char *const commands[] = {
        [PCSM_POLICY_ALL] = "ALL", [PCSM_POLICY_SELECT] = "SELECT",
        [PCSM_POLICY_INSERT] = "INSERT", [PCSM_POLICY_UPDATE] = "UPDATE",
        [PCSM_POLICY_DELETE] = "DELETE",
    };

    return commands[c];
}

void pcsm_render__roles(const char *const *roles, pcsm_buf *out)
{
    size_t i;

    if (!roles || !roles[0] || !strcasecmp(roles[0], "public")) {
        pcsm_buf_puts(out, "PUBLIC");
        return;
    }
    for (i = 0; roles[i]; i++) {
        if (i)
            pcsm_buf_puts(out, ", ");
        pcsm_sql__ident(out, roles[i]);
    }
}

/* In the order CREATE TRIGGER is written. */
void pcsm_render__events(unsigned events, pcsm_buf *out)
{
    static const struct {
        unsigned bit;
        const char *name;
    } names[] = {
        { PCSM_ON_INSERT, "INSERT" }, { PCSM_ON_UPDATE, "UPDATE" },
        { PCSM_ON_DELETE, "DELETE" }, { PCSM_ON_TRUNCATE, "TRUNCATE" },
    };
    size_t i;
    bool first = true;

    for (i = 0; i < sizeof(names) / sizeof(*names); i++)
        if (events & names[i].bit) {
            pcsm_buf_printf(out, "%s%s", first ? "" : " OR ", names[i].name);
            first = false;
        }
}

const char *pcsm_render__volatility(enum pcsm_volatility v)
{
    static const char *const names[] = {
        [PCSM_VOLATILITY_DEFAULT] = "VOLATILE", [PCSM_IMMUTABLE] = "IMMUTABLE",
        [PCSM_STABLE] = "STABLE", [PCSM_VOLATILE] = "VOLATILE",
    };

    return names[v];
}

static void put_fk_action(pcsm_buf *out, const char *when, enum pcsm_fk_action a)
{
    if (a != PCSM_FK_DEFAULT)
        pcsm_buf_printf(out, " ON %s %s", when, pcsm_render__fk_action(a));
}

/* " AS integer INCREMENT BY 2 ... CYCLE": what o gives, each with its leading space. */
static void put_sequence_options(pcsm_buf *out, const pcsm_sequence_options *o)
{
    if (o->as.kind != PCSM_TYPE_NONE) {
        pcsm_buf_puts(out, " AS ");
        put_type(out, o->as);
    }
    if (o->increment)
        pcsm_buf_printf(out, " INCREMENT BY %lld", o->increment);
    if (o->minvalue.set)
        pcsm_buf_printf(out, " MINVALUE %lld", o->minvalue.value);
    if (o->maxvalue.set)
        pcsm_buf_printf(out, " MAXVALUE %lld", o->maxvalue.value);
    if (o->start.set)
        pcsm_buf_printf(out, " START WITH %lld", o->start.value);
    if (o->restart.set)
        pcsm_buf_printf(out, " RESTART WITH %lld", o->restart.value);
    if (o->cache)
        pcsm_buf_printf(out, " CACHE %lld", o->cache);
    if (o->cycle != PCSM_CYCLE_DEFAULT)
        pcsm_buf_puts(out, o->cycle == PCSM_CYCLE ? " CYCLE" : " NO CYCLE");
}

/* " GENERATED ALWAYS AS IDENTITY (START WITH 10)", the options in parentheses if any. */
static void put_identity(pcsm_buf *out, enum pcsm_identity identity,
                         const pcsm_sequence_options *o)
{
    pcsm_buf opts = PCSM_BUF_INIT;

    pcsm_buf_puts(out, identity == PCSM_IDENTITY_ALWAYS ? " GENERATED ALWAYS AS IDENTITY"
                                                        : " GENERATED BY DEFAULT AS IDENTITY");
    put_sequence_options(&opts, o);
    if (opts.len)
        pcsm_buf_printf(out, " (%s)", opts.ptr + 1);
    pcsm_buf_dispose(&opts);
}

static void put_collation(pcsm_buf *out, const char *collation)
{
    if (collation) {
        pcsm_buf_puts(out, " COLLATE ");
        pcsm_sql__ident(out, collation);
    }
}

/* Column definition; `inline_pk` puts PRIMARY KEY on the column itself. */
static void put_column(pcsm_buf *out, const pcsm_column *c, bool inline_pk)
{
    pcsm_sql__ident(out, c->name);
    pcsm_buf_putc(out, ' ');
    put_type(out, c->type);
    put_collation(out, c->collation);
    if (c->identity != PCSM_IDENTITY_NONE)
        put_identity(out, c->identity, &c->identity_options);
    if (c->generated)
        pcsm_buf_printf(out, " GENERATED ALWAYS AS (%s) STORED", c->generated);
    if (c->default_value.kind != PCSM_VALUE_NONE) {
        pcsm_buf_puts(out, " DEFAULT ");
        put_value(out, c->default_value);
    }
    if (c->not_null)
        pcsm_buf_puts(out, " NOT NULL");
    if (c->primary_key && inline_pk)
        pcsm_buf_puts(out, " PRIMARY KEY");
    if (c->unique)
        pcsm_buf_puts(out, " UNIQUE");
    if (c->check)
        pcsm_buf_printf(out, " CHECK (%s)", c->check);
    if (c->references) {
        pcsm_buf_puts(out, " REFERENCES ");
        pcsm_sql__qualified(out, c->ref_schema, c->references);
        if (c->ref_column) {
            pcsm_buf_puts(out, " (");
            pcsm_sql__ident(out, c->ref_column);
            pcsm_buf_putc(out, ')');
        }
        put_fk_action(out, "DELETE", c->on_delete);
        put_fk_action(out, "UPDATE", c->on_update);
    }
}

/* "name" or "schema"."name": the API's dot splits an operator class's schema off. */
static void put_opclass(pcsm_buf *out, const char *opclass)
{
    const char *dot = strchr(opclass, '.');

    pcsm_buf_putc(out, ' ');
    if (dot) {
        pcsm_buf schema = PCSM_BUF_INIT;

        pcsm_buf_put(&schema, opclass, (size_t)(dot - opclass));
        pcsm_sql__ident(out, schema.ptr);
        pcsm_buf_putc(out, '.');
        pcsm_buf_dispose(&schema);
        opclass = dot + 1;
    }
    pcsm_sql__ident(out, opclass);
}

/* " WITH &&", or " WITH OPERATOR("schema".&&)" for the API's "schema.&&". */
static void put_operator(pcsm_buf *out, const char *with)
{
    const char *dot = strchr(with, '.');
    pcsm_buf schema = PCSM_BUF_INIT;

    if (!dot) {
        pcsm_buf_printf(out, " WITH %s", with);
        return;
    }
    pcsm_buf_put(&schema, with, (size_t)(dot - with));
    pcsm_buf_puts(out, " WITH OPERATOR(");
    pcsm_sql__ident(out, schema.ptr);
    pcsm_buf_printf(out, ".%s)", dot + 1);
    pcsm_buf_dispose(&schema);
}

static void put_elements(pcsm_buf *out, const pcsm_index_element *e)
{
    pcsm_buf_putc(out, '(');
    for (; e->column || e->expression; e++) {
        if (e->column)
            pcsm_sql__ident(out, e->column);
        else
            pcsm_buf_printf(out, "(%s)", e->expression);
        put_collation(out, e->collation);
        if (e->opclass)
            put_opclass(out, e->opclass);
        if (e->descending)
            pcsm_buf_puts(out, " DESC");
        if (e->nulls != PCSM_NULLS_DEFAULT)
            pcsm_buf_puts(out, e->nulls == PCSM_NULLS_FIRST ? " NULLS FIRST" : " NULLS LAST");
        if (e->with)
            put_operator(out, e->with);
        if (e[1].column || e[1].expression)
            pcsm_buf_puts(out, ", ");
    }
    pcsm_buf_putc(out, ')');
}

static void put_constraint(pcsm_buf *out, const pcsm_constraint *c)
{
    if (c->name) {
        pcsm_buf_puts(out, "CONSTRAINT ");
        pcsm_sql__ident(out, c->name);
        pcsm_buf_putc(out, ' ');
    }
    switch (c->kind) {
    case PCSM_PRIMARY_KEY:
        pcsm_buf_puts(out, "PRIMARY KEY ");
        put_names(out, c->columns);
        break;
    case PCSM_UNIQUE:
        pcsm_buf_puts(out, c->nulls_not_distinct ? "UNIQUE NULLS NOT DISTINCT " : "UNIQUE ");
        put_names(out, c->columns);
        break;
    case PCSM_FOREIGN_KEY:
        pcsm_buf_puts(out, "FOREIGN KEY ");
        put_names(out, c->columns);
        pcsm_buf_puts(out, " REFERENCES ");
        pcsm_sql__qualified(out, c->ref_schema, c->references);
        if (c->ref_columns) {
            pcsm_buf_putc(out, ' ');
            put_names(out, c->ref_columns);
        }
        put_fk_action(out, "DELETE", c->on_delete);
        put_fk_action(out, "UPDATE", c->on_update);
        break;
    case PCSM_CHECK:
        pcsm_buf_printf(out, "CHECK (%s)", c->check);
        break;
    case PCSM_EXCLUDE:
        pcsm_buf_puts(out, "EXCLUDE ");
        if (c->method)
            pcsm_buf_printf(out, "USING %s ", c->method);
        put_elements(out, c->elements);
        if (c->where)
            pcsm_buf_printf(out, " WHERE (%s)", c->where);
        break;
    case PCSM_CONSTRAINT_NONE:
        break;
    }
    if (c->deferrable)
        pcsm_buf_puts(out, " DEFERRABLE INITIALLY DEFERRED");
    if (c->not_valid)
        pcsm_buf_puts(out, " NOT VALID");
}

/* " IS 'comment';" (NULL: " IS NULL;", which removes it). */
static void put_is_comment(pcsm_buf *out, const char *comment)
{
    pcsm_buf_puts(out, " IS ");
    if (comment)
        pcsm_sql__literal(out, comment);
    else
        pcsm_buf_puts(out, "NULL");
    pcsm_buf_puts(out, ";\n");
}

static void put_comment(pcsm_buf *out, const char *schema, const char *table,
                        const char *column, const char *comment)
{
    pcsm_buf_puts(out, column ? "COMMENT ON COLUMN " : "COMMENT ON TABLE ");
    pcsm_sql__qualified(out, schema, table);
    if (column) {
        pcsm_buf_putc(out, '.');
        pcsm_sql__ident(out, column);
    }
    put_is_comment(out, comment);
}

static void put_alter_table(pcsm_buf *out, const char *schema, const char *table)
{
    pcsm_buf_puts(out, "ALTER TABLE ");
    pcsm_sql__qualified(out, schema, table);
    pcsm_buf_putc(out, ' ');
}

static void put_alter_column(pcsm_buf *out, const char *schema, const char *table,
                             const char *column)
{
    put_alter_table(out, schema, table);
    pcsm_buf_puts(out, "ALTER COLUMN ");
    pcsm_sql__ident(out, column);
    pcsm_buf_putc(out, ' ');
}

static void put_drop_flags(pcsm_buf *out, unsigned flags)
{
    if (flags & PCSM_IF_EXISTS)
        pcsm_buf_puts(out, "IF EXISTS ");
}

static void put_cascade(pcsm_buf *out, unsigned flags)
{
    if (flags & PCSM_DROP_CASCADE)
        pcsm_buf_puts(out, " CASCADE");
}

/* " PARTITION BY RANGE (...)", or nothing for NONE. */
static void put_partition_by(pcsm_buf *out, enum pcsm_partition_strategy strategy,
                             const pcsm_index_element *key)
{
    static const char *const names[] = {
        [PCSM_PARTITION_RANGE] = "RANGE", [PCSM_PARTITION_LIST] = "LIST",
        [PCSM_PARTITION_HASH] = "HASH",
    };

    if (strategy == PCSM_PARTITION_NONE)
        return;
    pcsm_buf_printf(out, " PARTITION BY %s ", names[strategy]);
    put_elements(out, key);
}

/* CREATE TABLE ... PARTITION OF "parent" [(constraints)] bound [PARTITION BY ...]. */
static void render_create_partition(pcsm_buf *out, const char *schema,
                                    const struct pcsm_ddl_create_partition *cp)
{
    size_t i;

    pcsm_buf_puts(out, "CREATE TABLE ");
    pcsm_sql__qualified(out, schema, cp->table);
    pcsm_buf_puts(out, " PARTITION OF ");
    pcsm_sql__qualified(out, schema, cp->parent);
    for (i = 0; i < cp->n_constraints; i++) {
        pcsm_buf_puts(out, i ? ",\n    " : " (\n    ");
        put_constraint(out, &cp->constraints[i]);
    }
    pcsm_buf_printf(out, "%s\n    %s", cp->n_constraints ? "\n)" : "", cp->bound);
    put_partition_by(out, cp->strategy, cp->key);
    pcsm_buf_puts(out, ";\n");
    if (cp->comment)
        put_comment(out, schema, cp->table, NULL, cp->comment);
}

static void render_partition_of(pcsm_buf *out, const char *schema,
                                const struct pcsm_ddl_partition_of *po, bool attach)
{
    put_alter_table(out, schema, po->table);
    pcsm_buf_puts(out, attach ? "ATTACH PARTITION " : "DETACH PARTITION ");
    pcsm_sql__qualified(out, schema, po->partition);
    if (attach)
        pcsm_buf_printf(out, " %s", po->bound);
    pcsm_buf_puts(out, ";\n");
}

static void render_inherit(pcsm_buf *out, const char *schema,
                           const struct pcsm_ddl_inherit *in, bool inherit)
{
    put_alter_table(out, schema, in->table);
    pcsm_buf_puts(out, inherit ? "INHERIT " : "NO INHERIT ");
    pcsm_sql__qualified(out, schema, in->parent);
    pcsm_buf_puts(out, ";\n");
}

static void render_create_table(pcsm_buf *out, const char *schema,
                                const struct pcsm_ddl_create_table *t)
{
    size_t i, n_pk = 0;
    bool first = true;

    for (i = 0; i < t->n_columns; i++)
        n_pk += t->columns[i].primary_key;
    pcsm_buf_puts(out, "CREATE TABLE ");
    pcsm_sql__qualified(out, schema, t->table);
    pcsm_buf_puts(out, t->n_columns || t->n_constraints ? " (\n" : " (");
    for (i = 0; i < t->n_columns; i++) {
        pcsm_buf_puts(out, first ? "    " : ",\n    ");
        first = false;
        put_column(out, &t->columns[i], n_pk == 1);
    }
    /* Several primary_key columns form one composite key. */
    if (n_pk > 1) {
        pcsm_buf_puts(out, ",\n    PRIMARY KEY (");
        for (i = 0, first = true; i < t->n_columns; i++) {
            if (!t->columns[i].primary_key)
                continue;
            if (!first)
                pcsm_buf_puts(out, ", ");
            first = false;
            pcsm_sql__ident(out, t->columns[i].name);
        }
        pcsm_buf_putc(out, ')');
    }
    for (i = 0; i < t->n_constraints; i++) {
        /* A child of its parents' columns only may have constraints of its own. */
        pcsm_buf_puts(out, t->n_columns || i ? ",\n    " : "    ");
        put_constraint(out, &t->constraints[i]);
    }
    pcsm_buf_puts(out, t->n_columns || t->n_constraints ? "\n)" : ")");
    for (i = 0; t->inherits && t->inherits[i]; i++) {
        pcsm_buf_puts(out, i ? ", " : " INHERITS (");
        pcsm_sql__qualified(out, schema, t->inherits[i]);
    }
    if (t->inherits && t->inherits[0])
        pcsm_buf_putc(out, ')');
    put_partition_by(out, t->strategy, t->key);
    pcsm_buf_puts(out, ";\n");
    if (t->comment)
        put_comment(out, schema, t->table, NULL, t->comment);
    for (i = 0; i < t->n_columns; i++)
        if (t->columns[i].comment)
            put_comment(out, schema, t->table, t->columns[i].name, t->columns[i].comment);
}

void pcsm_render__index_elements(pcsm_buf *out, const pcsm_index_element *elements)
{
    put_elements(out, elements);
}

static void render_create_index(pcsm_buf *out, const pcsm_index *ix, const char *schema)
{
    pcsm_buf_puts(out, ix->unique ? "CREATE UNIQUE INDEX " : "CREATE INDEX ");
    if (ix->concurrently)
        pcsm_buf_puts(out, "CONCURRENTLY ");
    if (ix->if_not_exists)
        pcsm_buf_puts(out, "IF NOT EXISTS ");
    if (ix->name) {
        pcsm_sql__ident(out, ix->name);
        pcsm_buf_putc(out, ' ');
    }
    pcsm_buf_puts(out, ix->only ? "ON ONLY " : "ON ");
    pcsm_sql__qualified(out, schema, ix->table);
    if (ix->method)
        pcsm_buf_printf(out, " USING %s", ix->method);
    pcsm_buf_putc(out, ' ');
    if (ix->elements)
        put_elements(out, ix->elements);
    else if (ix->columns)
        put_names(out, ix->columns);
    else
        pcsm_buf_printf(out, "((%s))", ix->expression);
    if (ix->nulls_not_distinct)
        pcsm_buf_puts(out, " NULLS NOT DISTINCT");
    if (ix->where)
        pcsm_buf_printf(out, " WHERE %s", ix->where);
    pcsm_buf_puts(out, ";\n");
}

/*
 * Author SQL as one statement: trailing blanks and one ';' dropped.  When
 * its last line holds "--" the terminator would land inside a comment, so
 * the text then ends with a newline and the caller's ';' follows on its own.
 */
static void put_statement_text(pcsm_buf *out, const char *sql)
{
    size_t len = pcsm_sql__statement_len(sql), line;

    pcsm_buf_put(out, sql, len);
    for (line = len; line && sql[line - 1] != '\n'; line--)
        ;
    for (; line + 1 < len; line++)
        if (sql[line] == '-' && sql[line + 1] == '-') {
            pcsm_buf_putc(out, '\n');
            break;
        }
}

/*
 * PREPARE/EXECUTE: the server infers and binds the parameter types exactly
 * as for a protocol-level bind, and the text needs no connection.  A failed
 * EXECUTE aborts the whole run, so the DEALLOCATE it skips does not matter.
 */
static void render_execute_params(pcsm_buf *out, const struct pcsm_ddl_execute_params *e)
{
    size_t i;

    pcsm_buf_puts(out, "PREPARE pcsm_stmt AS ");
    put_statement_text(out, e->sql);
    pcsm_buf_puts(out, ";\nEXECUTE pcsm_stmt");
    for (i = 0; i < e->n_params; i++) {
        pcsm_buf_puts(out, i ? ", " : "(");
        put_value(out, e->params[i]);
    }
    pcsm_buf_puts(out, e->n_params ? ");\n" : ";\n");
    pcsm_buf_puts(out, "DEALLOCATE pcsm_stmt;\n");
}

/* One batch of the keyset walk; `after_last` adds "key > last_key". */
static void put_batch(pcsm_buf *body, const char *schema, const struct pcsm_ddl_batch_update *o,
                      bool after_last)
{
    /* With a FROM list the author's names meet ours in one scope: ours are
     * prefixed there, and the WHERE (the join's) moves to the UPDATE. */
    const char *cte = o->from_sql ? "pcsm_batch" : "batch";

    pcsm_buf_printf(body, "        WITH %s AS (\n            SELECT ", cte);
    pcsm_sql__ident(body, o->key);
    pcsm_buf_puts(body, " AS pcsm_key FROM ");
    pcsm_sql__qualified(body, schema, o->table);
    pcsm_buf_printf(body, "\n            WHERE (%s)",
                    o->where_sql && !o->from_sql ? o->where_sql : "true");
    if (after_last) {
        pcsm_buf_puts(body, " AND ");
        pcsm_sql__ident(body, o->key);
        pcsm_buf_puts(body, " > pcsm_last_key");
    }
    pcsm_buf_puts(body, "\n            ORDER BY ");
    pcsm_sql__ident(body, o->key);
    pcsm_buf_printf(body, " LIMIT %ld\n        ), %supdated AS (\n            UPDATE ",
                    o->batch_size, o->from_sql ? "pcsm_" : "");
    pcsm_sql__qualified(body, schema, o->table);
    pcsm_buf_printf(body, " SET %s FROM %s", o->set_sql, cte);
    if (o->from_sql)
        pcsm_buf_printf(body, ", %s", o->from_sql);
    pcsm_buf_puts(body, "\n            WHERE ");
    pcsm_sql__qualified(body, schema, o->table);
    pcsm_buf_putc(body, '.');
    pcsm_sql__ident(body, o->key);
    pcsm_buf_printf(body, " = %s.pcsm_key", cte);
    if (o->from_sql && o->where_sql)
        pcsm_buf_printf(body, " AND (%s)", o->where_sql);
    pcsm_buf_printf(body, " RETURNING 1\n        )\n"
                    "        SELECT (SELECT pcsm_key FROM %s ORDER BY pcsm_key DESC LIMIT 1),\n"
                    "               (SELECT count(*) FROM %supdated)\n"
                    "        INTO pcsm_batch_last, pcsm_batch_rows;\n",
                    cte, o->from_sql ? "pcsm_" : "");
}

/*
 * The batch's last key comes from ORDER BY ... DESC LIMIT 1, not max(): a
 * uuid key (every PCS table's) has ordering but no max().
 *
 * A DO block that walks the table in key order, `batch_size` rows a
 * statement, so no statement touches more than a batch and progress shows as
 * NOTICEs (psql prints them; the runtime logs them).  The first batch has
 * its own statement: "key > last_key OR last_key IS NULL" would keep the
 * planner from using the key's index.
 */
static void render_batch_update(pcsm_buf *out, const char *schema,
                                const struct pcsm_ddl_batch_update *o)
{
    pcsm_buf body = PCSM_BUF_INIT;
    pcsm_buf label = PCSM_BUF_INIT;

    pcsm_sql__qualified(&label, schema, o->table);
    /* Prefixed variables, and columns win any clash: the author's SET and
     * WHERE name columns, never our variables. */
    pcsm_buf_puts(&body, "\n#variable_conflict use_column\nDECLARE\n    pcsm_last_key ");
    pcsm_sql__qualified(&body, schema, o->table);
    pcsm_buf_putc(&body, '.');
    pcsm_sql__ident(&body, o->key);
    pcsm_buf_puts(&body, "%TYPE;\n    pcsm_batch_last pcsm_last_key%TYPE;\n"
                  "    pcsm_batch_rows bigint;\n    pcsm_total bigint := 0;\n"
                  "    pcsm_batches bigint := 0;\n"
                  "BEGIN\n    LOOP\n        IF pcsm_batches = 0 THEN\n");
    put_batch(&body, schema, o, false);
    pcsm_buf_puts(&body, "        ELSE\n");
    put_batch(&body, schema, o, true);
    pcsm_buf_puts(&body, "        END IF;\n        EXIT WHEN pcsm_batch_last IS NULL;\n"
                  "        pcsm_last_key := pcsm_batch_last;\n"
                  "        pcsm_batches := pcsm_batches + 1;\n"
                  "        pcsm_total := pcsm_total + pcsm_batch_rows;\n"
                  "        RAISE NOTICE '");
    pcsm_buf_puts(&body, o->from_sql ? "batch_update_from" : "batch_update");
    pcsm_buf_puts(&body, " %: batch %, % rows, % in all', ");
    pcsm_sql__literal(&body, label.ptr);
    pcsm_buf_puts(&body, ", pcsm_batches, pcsm_batch_rows, pcsm_total;\n"
                  "    END LOOP;\nEND\n");
    pcsm_buf_puts(out, "DO ");
    pcsm_sql__dollar_quote(out, body.ptr);
    pcsm_buf_puts(out, ";\n");
    pcsm_buf_dispose(&body);
    pcsm_buf_dispose(&label);
}

static const char *const lock_modes[] = {
    [PCSM_LOCK_ACCESS_SHARE] = "ACCESS SHARE",
    [PCSM_LOCK_ROW_SHARE] = "ROW SHARE",
    [PCSM_LOCK_ROW_EXCLUSIVE] = "ROW EXCLUSIVE",
    [PCSM_LOCK_SHARE_UPDATE_EXCLUSIVE] = "SHARE UPDATE EXCLUSIVE",
    [PCSM_LOCK_SHARE] = "SHARE",
    [PCSM_LOCK_SHARE_ROW_EXCLUSIVE] = "SHARE ROW EXCLUSIVE",
    [PCSM_LOCK_EXCLUSIVE] = "EXCLUSIVE",
    [PCSM_LOCK_ACCESS_EXCLUSIVE] = "ACCESS EXCLUSIVE",
};

const char *pcsm_render__lock_mode(enum pcsm_lock_mode m)
{
    return lock_modes[m];
}

/*
 * Offline, a guard is a DO block: each guarded operation's statements are
 * one EXECUTE of their text as a literal (PL/pgSQL's EXECUTE takes several
 * statements, a nested DO of a batch update's too), and a NOTICE says which
 * way it went, as the online runner logs.  Also the text of the checksum,
 * whichever way an online run goes.
 */
static void render_if(pcsm_buf *out, const struct pcsm_ddl_if *g)
{
    pcsm_buf body = PCSM_BUF_INIT, stmt = PCSM_BUF_INIT, note = PCSM_BUF_INIT;
    size_t i;

    pcsm_buf_printf(&body, "\nBEGIN\n    IF (%s) THEN\n", g->condition);
    for (i = 0; i < g->n_ops; i++) {
        pcsm_buf_clear(&stmt);
        pcsm_render__op(&g->ops[i], &stmt);
        if (stmt.len && stmt.ptr[stmt.len - 1] == '\n')
            stmt.ptr[--stmt.len] = '\0';
        pcsm_buf_puts(&body, "        EXECUTE ");
        pcsm_sql__literal(&body, stmt.ptr);
        pcsm_buf_puts(&body, ";\n");
    }
    /* No source line here: the text is the revision's checksum, which an
     * edit elsewhere in the file must not change. */
    pcsm_buf_printf(&note, "if: condition true, %zu operation%s run", g->n_ops,
                    g->n_ops == 1 ? "" : "s");
    pcsm_buf_puts(&body, "        RAISE NOTICE '%', ");
    pcsm_sql__literal(&body, note.ptr);
    pcsm_buf_clear(&note);
    pcsm_buf_printf(&note, "if: condition false, %zu operation%s skipped", g->n_ops,
                    g->n_ops == 1 ? "" : "s");
    pcsm_buf_puts(&body, ";\n    ELSE\n        RAISE NOTICE '%', ");
    pcsm_sql__literal(&body, note.ptr);
    pcsm_buf_puts(&body, ";\n    END IF;\nEND\n");
    pcsm_buf_puts(out, "DO ");
    pcsm_sql__dollar_quote(out, body.ptr);
    pcsm_buf_puts(out, ";\n");
    pcsm_buf_dispose(&body);
    pcsm_buf_dispose(&stmt);
    pcsm_buf_dispose(&note);
}

/* SQLSTATE P0004 is PL/pgSQL's assert_failure. */
static void render_assert(pcsm_buf *out, const struct pcsm_ddl_assert *a)
{
    pcsm_buf body = PCSM_BUF_INIT;

    pcsm_buf_printf(&body, "\nBEGIN\n    IF NOT COALESCE((%s), false) THEN\n"
                    "        RAISE EXCEPTION USING ERRCODE = 'P0004', MESSAGE = ", a->condition);
    pcsm_sql__literal(&body, a->message);
    pcsm_buf_puts(&body, ";\n    END IF;\nEND\n");
    pcsm_buf_puts(out, "DO ");
    pcsm_sql__dollar_quote(out, body.ptr);
    pcsm_buf_puts(out, ";\n");
    pcsm_buf_dispose(&body);
}

static void render_create_enum(pcsm_buf *out, const char *schema,
                               const struct pcsm_ddl_create_enum *e)
{
    size_t i;

    pcsm_buf_puts(out, "CREATE TYPE ");
    pcsm_sql__qualified(out, schema, e->type);
    pcsm_buf_puts(out, " AS ENUM (");
    for (i = 0; e->labels[i]; i++) {
        if (i)
            pcsm_buf_puts(out, ", ");
        pcsm_sql__literal(out, e->labels[i]);
    }
    pcsm_buf_puts(out, ");\n");
}

/* Whether column i of e is the first of its table among e's columns. */
static bool first_of_table(const struct pcsm_ddl_recreate_enum *e, size_t i)
{
    size_t k;

    for (k = 0; k < i; k++)
        if (!strcmp(e->columns[k].table, e->columns[i].table))
            return false;
    return true;
}

/*
 * The old type aside, the new one made, each table's columns converted
 * through text in one ALTER TABLE (one rewrite of the table; a CHECK over
 * two of them never sees them of two types), their defaults, of the old
 * type, dropped first and set after; the old type dropped.
 */
static void render_recreate_enum(pcsm_buf *out, const char *schema,
                                 const struct pcsm_ddl_recreate_enum *e)
{
    size_t i, k;

    pcsm_buf_puts(out, "ALTER TYPE ");
    pcsm_sql__qualified(out, schema, e->type);
    pcsm_buf_puts(out, " RENAME TO ");
    pcsm_sql__ident(out, PCSM_ENUM_ASIDE);
    pcsm_buf_puts(out, ";\n");
    render_create_enum(out, schema, &(struct pcsm_ddl_create_enum){ e->type, e->labels });
    for (i = 0; i < e->n_columns; i++) {
        bool defaults = false;

        if (!first_of_table(e, i))
            continue;
        put_alter_table(out, schema, e->columns[i].table);
        for (k = i; k < e->n_columns; k++) {
            const pcsm_enum_column *c = &e->columns[k];
            const char *dims = c->array ? "[]" : "";

            if (strcmp(c->table, e->columns[i].table))
                continue;
            defaults = defaults || c->default_value.kind != PCSM_VALUE_NONE;
            pcsm_buf_puts(out, k == i ? "ALTER COLUMN " : ", ALTER COLUMN ");
            pcsm_sql__ident(out, c->column);
            pcsm_buf_puts(out, " DROP DEFAULT, ALTER COLUMN ");
            pcsm_sql__ident(out, c->column);
            pcsm_buf_puts(out, " TYPE ");
            pcsm_sql__qualified(out, schema, e->type);
            pcsm_buf_printf(out, "%s USING ", dims);
            pcsm_sql__ident(out, c->column);
            pcsm_buf_printf(out, "::text%s::", dims);
            pcsm_sql__qualified(out, schema, e->type);
            pcsm_buf_puts(out, dims);
        }
        pcsm_buf_puts(out, ";\n");
        if (!defaults)
            continue;
        put_alter_table(out, schema, e->columns[i].table);
        defaults = false;       /* now: one said already */
        for (k = i; k < e->n_columns; k++) {
            const pcsm_enum_column *c = &e->columns[k];

            if (strcmp(c->table, e->columns[i].table) ||
                c->default_value.kind == PCSM_VALUE_NONE)
                continue;
            pcsm_buf_puts(out, defaults ? ", ALTER COLUMN " : "ALTER COLUMN ");
            defaults = true;
            pcsm_sql__ident(out, c->column);
            pcsm_buf_puts(out, " SET DEFAULT ");
            pcsm_render__value(c->default_value, out);
        }
        pcsm_buf_puts(out, ";\n");
    }
    pcsm_buf_puts(out, "DROP TYPE ");
    pcsm_sql__qualified(out, schema, PCSM_ENUM_ASIDE);
    pcsm_buf_puts(out, ";\n");
}

static void render_add_enum_value(pcsm_buf *out, const char *schema,
                                  const struct pcsm_ddl_add_enum_value *a)
{
    pcsm_buf_puts(out, "ALTER TYPE ");
    pcsm_sql__qualified(out, schema, a->type);
    pcsm_buf_puts(out, " ADD VALUE ");
    if (a->flags & PCSM_IF_NOT_EXISTS)
        pcsm_buf_puts(out, "IF NOT EXISTS ");
    pcsm_sql__literal(out, a->label);
    if (a->place.where != PCSM_ENUM_END) {
        pcsm_buf_puts(out, a->place.where == PCSM_ENUM_BEFORE ? " BEFORE " : " AFTER ");
        pcsm_sql__literal(out, a->place.label);
    }
    pcsm_buf_puts(out, ";\n");
}

/*
 * The body goes on lines of its own between the quotes, and the quotes are
 * $$ when the body allows: the PCS revision's function, written as raw SQL
 * before this call existed, renders to the same bytes (and checksum).
 */
static void render_create_function(pcsm_buf *out, const char *schema, const pcsm_function *f)
{
    pcsm_buf body = PCSM_BUF_INIT;
    size_t len = strlen(f->body);

    pcsm_buf_puts(out, f->or_replace ? "CREATE OR REPLACE FUNCTION " : "CREATE FUNCTION ");
    pcsm_sql__qualified(out, schema, f->name);
    pcsm_buf_printf(out, "(%s) RETURNS %s\nLANGUAGE %s", f->arguments, f->returns,
                    f->language);
    if (f->volatility != PCSM_VOLATILITY_DEFAULT)
        pcsm_buf_printf(out, " %s", pcsm_render__volatility(f->volatility));
    if (f->strict)
        pcsm_buf_puts(out, " STRICT");
    if (f->security_definer)
        pcsm_buf_puts(out, " SECURITY DEFINER");
    pcsm_buf_puts(out, " AS ");
    pcsm_buf_putc(&body, '\n');
    pcsm_buf_puts(&body, f->body);
    if (len && f->body[len - 1] != '\n')
        pcsm_buf_putc(&body, '\n');
    pcsm_sql__dollar_quote_plain(out, body.ptr);
    pcsm_buf_puts(out, ";\n");
    pcsm_buf_dispose(&body);
}

static void render_create_trigger(pcsm_buf *out, const char *schema, const pcsm_trigger *t)
{
    pcsm_buf_puts(out, "CREATE TRIGGER ");
    pcsm_sql__ident(out, t->name);
    pcsm_buf_printf(out, " %s ", pcsm_render__timing(t->timing));
    pcsm_render__events(t->events, out);
    pcsm_buf_puts(out, " ON ");
    pcsm_sql__qualified(out, schema, t->table);
    pcsm_buf_puts(out, t->for_each_row ? "\nFOR EACH ROW " : "\nFOR EACH STATEMENT ");
    if (t->when)
        pcsm_buf_printf(out, "WHEN (%s) ", t->when);
    pcsm_buf_puts(out, "EXECUTE FUNCTION ");
    pcsm_sql__qualified(out, t->function_schema, t->function);
    pcsm_buf_puts(out, "();\n");
}

static void render_create_policy(pcsm_buf *out, const char *schema, const pcsm_policy *p)
{
    pcsm_buf_puts(out, "CREATE POLICY ");
    pcsm_sql__ident(out, p->name);
    pcsm_buf_puts(out, " ON ");
    pcsm_sql__qualified(out, schema, p->table);
    pcsm_buf_printf(out, "\nAS %s FOR %s TO ", p->restrictive ? "RESTRICTIVE" : "PERMISSIVE",
                    pcsm_render__policy_command(p->command));
    pcsm_render__roles(p->roles, out);
    if (p->using)
        pcsm_buf_printf(out, "\nUSING (%s)", p->using);
    if (p->with_check)
        pcsm_buf_printf(out, "\nWITH CHECK (%s)", p->with_check);
    pcsm_buf_puts(out, ";\n");
}

/*
 * CREATE [OR REPLACE] VIEW or CREATE MATERIALIZED VIEW: the query on lines
 * of its own after AS, as written but for a trailing ';' (put_statement_text).
 */
static void render_create_view(pcsm_buf *out, const char *schema, const pcsm_view *v,
                               bool materialized)
{
    pcsm_buf_puts(out, "CREATE ");
    if (v->or_replace)
        pcsm_buf_puts(out, "OR REPLACE ");
    pcsm_buf_puts(out, materialized ? "MATERIALIZED VIEW " : "VIEW ");
    pcsm_sql__qualified(out, schema, v->name);
    if (v->columns) {
        pcsm_buf_putc(out, ' ');
        put_names(out, v->columns);
    }
    pcsm_buf_puts(out, " AS\n");
    put_statement_text(out, v->query);
    if (materialized) {
        /* After a comment on the query's last line, the clause goes on its own line. */
        if (out->len && out->ptr[out->len - 1] != '\n')
            pcsm_buf_putc(out, '\n');
        pcsm_buf_puts(out, v->no_data ? "WITH NO DATA" : "WITH DATA");
    }
    pcsm_buf_puts(out, ";\n");
}

/* "name" type [COLLATE "c"] */
static void put_attribute(pcsm_buf *out, const pcsm_attribute *a)
{
    pcsm_sql__ident(out, a->name);
    pcsm_buf_putc(out, ' ');
    put_type(out, a->type);
    put_collation(out, a->collation);
}

static void render_create_composite(pcsm_buf *out, const char *schema,
                                    const struct pcsm_ddl_create_composite_type *c)
{
    size_t i;

    pcsm_buf_puts(out, "CREATE TYPE ");
    pcsm_sql__qualified(out, schema, c->type);
    pcsm_buf_puts(out, " AS (");
    for (i = 0; i < c->n_attributes; i++) {
        if (i)
            pcsm_buf_puts(out, ", ");
        put_attribute(out, &c->attributes[i]);
    }
    pcsm_buf_puts(out, ");\n");
}

/* Every option the call gave, in the order CREATE TYPE's documentation lists them. */
static void render_create_range(pcsm_buf *out, const char *schema, const pcsm_range_type *r)
{
    pcsm_buf_puts(out, "CREATE TYPE ");
    pcsm_sql__qualified(out, schema, r->name);
    pcsm_buf_puts(out, " AS RANGE (SUBTYPE = ");
    put_type(out, r->subtype);
    if (r->subtype_opclass) {
        pcsm_buf_puts(out, ", SUBTYPE_OPCLASS = ");
        pcsm_sql__ident(out, r->subtype_opclass);
    }
    if (r->collation) {
        pcsm_buf_puts(out, ", COLLATION = ");
        pcsm_sql__ident(out, r->collation);
    }
    if (r->subtype_diff) {
        pcsm_buf_puts(out, ", SUBTYPE_DIFF = ");
        pcsm_sql__qualified(out, r->subtype_diff_schema, r->subtype_diff);
    }
    if (r->multirange_type_name) {
        pcsm_buf_puts(out, ", MULTIRANGE_TYPE_NAME = ");
        pcsm_sql__qualified(out, schema, r->multirange_type_name);
    }
    pcsm_buf_puts(out, ");\n");
}

static void render_alter_composite(pcsm_buf *out, const char *schema,
                                   const struct pcsm_ddl_alter_composite_type *a)
{
    pcsm_buf_puts(out, "ALTER TYPE ");
    pcsm_sql__qualified(out, schema, a->type);
    switch (a->action) {
    case PCSM_ATTRIBUTE_ADD:
        pcsm_buf_puts(out, " ADD ATTRIBUTE ");
        put_attribute(out, &a->attribute);
        break;
    case PCSM_ATTRIBUTE_DROP:
        pcsm_buf_puts(out, " DROP ATTRIBUTE ");
        put_drop_flags(out, a->flags);
        pcsm_sql__ident(out, a->attribute.name);
        break;
    case PCSM_ATTRIBUTE_ALTER_TYPE:
        pcsm_buf_puts(out, " ALTER ATTRIBUTE ");
        pcsm_sql__ident(out, a->attribute.name);
        pcsm_buf_puts(out, " TYPE ");
        put_type(out, a->attribute.type);
        put_collation(out, a->attribute.collation);
        break;
    case PCSM_ATTRIBUTE_RENAME:
        pcsm_buf_puts(out, " RENAME ATTRIBUTE ");
        pcsm_sql__ident(out, a->attribute.name);
        pcsm_buf_puts(out, " TO ");
        pcsm_sql__ident(out, a->new_name);
        break;
    }
    pcsm_buf_puts(out, ";\n");
}

static void render_create_domain(pcsm_buf *out, const char *schema, const pcsm_domain *d)
{
    const pcsm_constraint *c;

    pcsm_buf_puts(out, "CREATE DOMAIN ");
    pcsm_sql__qualified(out, schema, d->name);
    pcsm_buf_puts(out, " AS ");
    put_type(out, d->type);
    put_collation(out, d->collation);
    if (d->default_value.kind != PCSM_VALUE_NONE) {
        pcsm_buf_puts(out, " DEFAULT ");
        put_value(out, d->default_value);
    }
    if (d->not_null)
        pcsm_buf_puts(out, " NOT NULL");
    for (c = d->constraints; c && c->kind != PCSM_CONSTRAINT_NONE; c++) {
        pcsm_buf_putc(out, ' ');
        put_constraint(out, c);
    }
    pcsm_buf_puts(out, ";\n");
}

static void render_alter_domain(pcsm_buf *out, const char *schema,
                                const struct pcsm_ddl_alter_domain *a)
{
    pcsm_buf_puts(out, "ALTER DOMAIN ");
    pcsm_sql__qualified(out, schema, a->domain);
    switch (a->action) {
    case PCSM_DOMAIN_RENAME:
        pcsm_buf_puts(out, " RENAME TO ");
        pcsm_sql__ident(out, a->new_name);
        break;
    case PCSM_DOMAIN_SET_DEFAULT:
        pcsm_buf_puts(out, " SET DEFAULT ");
        put_value(out, a->value);
        break;
    case PCSM_DOMAIN_DROP_DEFAULT:
        pcsm_buf_puts(out, " DROP DEFAULT");
        break;
    case PCSM_DOMAIN_SET_NOT_NULL:
        pcsm_buf_puts(out, " SET NOT NULL");
        break;
    case PCSM_DOMAIN_DROP_NOT_NULL:
        pcsm_buf_puts(out, " DROP NOT NULL");
        break;
    case PCSM_DOMAIN_ADD_CONSTRAINT:
        pcsm_buf_puts(out, " ADD ");
        put_constraint(out, &a->constraint);
        break;
    case PCSM_DOMAIN_DROP_CONSTRAINT:
        pcsm_buf_puts(out, " DROP CONSTRAINT ");
        put_drop_flags(out, a->flags);
        pcsm_sql__ident(out, a->constraint.name);
        break;
    case PCSM_DOMAIN_VALIDATE_CONSTRAINT:
        pcsm_buf_puts(out, " VALIDATE CONSTRAINT ");
        pcsm_sql__ident(out, a->constraint.name);
        break;
    case PCSM_DOMAIN_RENAME_CONSTRAINT:
        pcsm_buf_puts(out, " RENAME CONSTRAINT ");
        pcsm_sql__ident(out, a->constraint.name);
        pcsm_buf_puts(out, " TO ");
        pcsm_sql__ident(out, a->new_name);
        break;
    }
    pcsm_buf_puts(out, ";\n");
}

static void render_rename(pcsm_buf *out, const char *what, const char *schema,
                          const char *name, const char *new_name)
{
    pcsm_buf_printf(out, "ALTER %s ", what);
    pcsm_sql__qualified(out, schema, name);
    pcsm_buf_puts(out, " RENAME TO ");
    pcsm_sql__ident(out, new_name);
    pcsm_buf_puts(out, ";\n");
}

/* DROP <what> [IF EXISTS] "name", without the CASCADE and ";\n" that callers add. */
static void put_drop(pcsm_buf *out, const char *what, const char *schema, const char *name,
                     unsigned flags)
{
    pcsm_buf_printf(out, "DROP %s ", what);
    put_drop_flags(out, flags);
    pcsm_sql__qualified(out, schema, name);
}

void pcsm_render__index_op(const struct pcsm_ddl_op *o, const char *schema, pcsm_buf *out)
{
    const struct pcsm_ddl_drop_index *d = &o->u.drop_index;

    if (o->schema)
        schema = o->schema;     /* the revision's own beats the runner's target */
    if (o->kind == PCSM_OP_CREATE_INDEX) {
        render_create_index(out, &o->u.create_index.index, schema);
        return;
    }
    pcsm_buf_puts(out, "DROP INDEX ");
    if (d->flags & PCSM_DROP_CONCURRENTLY)
        pcsm_buf_puts(out, "CONCURRENTLY ");
    put_drop_flags(out, d->flags);
    pcsm_sql__qualified(out, schema, d->index);
    put_cascade(out, d->flags);
    pcsm_buf_puts(out, ";\n");
}

static void put_on_columns(pcsm_buf *out, const char *const *columns)
{
    pcsm_buf_putc(out, ' ');
    put_names(out, columns);
}

/* "SELECT, INSERT" (each with `columns`), or ALL when they are all `on` takes. */
static void put_privileges(pcsm_buf *out, enum pcsm_privilege_object on, unsigned privileges,
                           const char *const *columns)
{
    unsigned bit;
    bool first = true;
    unsigned all = pcsm_op__privileges_of(on, columns != NULL);

    /* ALL only for several: EXECUTE on a function says more than ALL. */
    if (privileges == all && (all & (all - 1))) {
        pcsm_buf_puts(out, "ALL");
        if (columns)
            put_on_columns(out, columns);
        return;
    }
    for (bit = 1; bit && bit <= privileges; bit <<= 1) {
        if (!(privileges & bit))
            continue;
        if (!first)
            pcsm_buf_puts(out, ", ");
        first = false;
        pcsm_buf_puts(out, pcsm_op__privilege_name(bit));
        if (columns)
            put_on_columns(out, columns);
    }
}

/* Grantees: "public" in any case is PUBLIC, the rest are names. */
static void put_grantees(pcsm_buf *out, const char *const *roles)
{
    size_t i;

    for (i = 0; roles[i]; i++) {
        if (i)
            pcsm_buf_puts(out, ", ");
        if (!strcasecmp(roles[i], "public"))
            pcsm_buf_puts(out, "PUBLIC");
        else
            pcsm_sql__ident(out, roles[i]);
    }
}

/* The grant or revoke part shared by GRANT and ALTER DEFAULT PRIVILEGES, `on` already said. */
static void put_grant_head(pcsm_buf *out, bool grant, bool grant_option,
                           enum pcsm_privilege_object on, unsigned privileges,
                           const char *const *columns)
{
    pcsm_buf_puts(out, grant ? "GRANT " : "REVOKE ");
    if (!grant && grant_option)
        pcsm_buf_puts(out, "GRANT OPTION FOR ");
    put_privileges(out, on, privileges, columns);
}

static void put_grant_tail(pcsm_buf *out, bool grant, bool grant_option,
                           const char *const *roles)
{
    pcsm_buf_puts(out, grant ? " TO " : " FROM ");
    put_grantees(out, roles);
    if (grant && grant_option)
        pcsm_buf_puts(out, " WITH GRANT OPTION");
}

/* GRANT ... ON TABLE "t" TO ..., without the ";\n". */
static void render_grant(pcsm_buf *out, const char *schema, bool grant,
                         const pcsm_privileges *g)
{
    put_grant_head(out, grant, g->grant_option, g->on, g->privileges, g->columns);
    pcsm_buf_printf(out, " ON %s ", pcsm_op__privilege_object_sql(g->on, false));
    pcsm_sql__qualified(out, schema, g->name);
    if (g->on == PCSM_PRIVILEGE_FUNCTION && g->arguments)
        pcsm_buf_printf(out, "(%s)", g->arguments);
    put_grant_tail(out, grant, g->grant_option, g->roles);
}

/* `text` for format(): its % doubled. */
static void put_format_escaped(pcsm_buf *out, const char *text)
{
    for (; *text; text++) {
        if (*text == '%')
            pcsm_buf_putc(out, '%');
        pcsm_buf_putc(out, *text);
    }
}

/*
 * ALTER DEFAULT PRIVILEGES [FOR ROLE r] [IN SCHEMA s] GRANT ... ON TABLES
 * TO ...;  IN SCHEMA of the target schema, whose name is the runner's
 * and set as the search path, names it through current_schema() in a DO
 * block, since the statement takes no expression.
 */
static void render_default_privileges(pcsm_buf *out, const char *schema, bool grant,
                                      const pcsm_default_privileges *d)
{
    pcsm_buf head = PCSM_BUF_INIT, tail = PCSM_BUF_INIT;

    pcsm_buf_puts(&head, "ALTER DEFAULT PRIVILEGES ");
    if (d->for_role) {
        pcsm_buf_puts(&head, "FOR ROLE ");
        pcsm_sql__ident(&head, d->for_role);
        pcsm_buf_putc(&head, ' ');
    }
    put_grant_head(&tail, grant, d->grant_option, d->on, d->privileges, NULL);
    pcsm_buf_printf(&tail, " ON %s", pcsm_op__privilege_object_sql(d->on, true));
    put_grant_tail(&tail, grant, d->grant_option, d->roles);
    if (!d->in_schema) {
        pcsm_buf_printf(out, "%s%s;\n", head.ptr, tail.ptr);
    } else if (schema) {
        pcsm_buf_printf(out, "%sIN SCHEMA ", head.ptr);
        pcsm_sql__ident(out, schema);
        pcsm_buf_printf(out, " %s;\n", tail.ptr);
    } else {
        pcsm_buf stmt = PCSM_BUF_INIT, body = PCSM_BUF_INIT;

        put_format_escaped(&stmt, head.ptr);
        pcsm_buf_puts(&stmt, "IN SCHEMA %I ");
        put_format_escaped(&stmt, tail.ptr);
        pcsm_buf_puts(&body, "BEGIN EXECUTE format(");
        pcsm_sql__literal(&body, stmt.ptr);
        pcsm_buf_puts(&body, ", current_schema()); END");
        pcsm_buf_puts(out, "DO ");
        pcsm_sql__literal(out, body.ptr);
        pcsm_buf_puts(out, ";\n");
        pcsm_buf_dispose(&stmt);
        pcsm_buf_dispose(&body);
    }
    pcsm_buf_dispose(&head);
    pcsm_buf_dispose(&tail);
}

void pcsm_render__op(const struct pcsm_ddl_op *o, pcsm_buf *out)
{
    const struct pcsm_ddl_column_ref *ref;
    const char *sch = o->schema;

    switch (o->kind) {
    case PCSM_OP_CREATE_TABLE:
        render_create_table(out, sch, &o->u.create_table);
        break;
    case PCSM_OP_DROP_TABLE:
        pcsm_buf_puts(out, "DROP TABLE ");
        put_drop_flags(out, o->u.drop_table.flags);
        pcsm_sql__qualified(out, sch, o->u.drop_table.table);
        put_cascade(out, o->u.drop_table.flags);
        pcsm_buf_puts(out, ";\n");
        break;
    case PCSM_OP_RENAME_TABLE:
        put_alter_table(out, sch, o->u.rename_table.table);
        pcsm_buf_puts(out, "RENAME TO ");
        pcsm_sql__ident(out, o->u.rename_table.new_name);
        pcsm_buf_puts(out, ";\n");
        break;
    case PCSM_OP_COMMENT_TABLE:
        put_comment(out, sch, o->u.comment_table.table, NULL, o->u.comment_table.comment);
        break;
    case PCSM_OP_ADD_COLUMN: {
        const struct pcsm_ddl_add_column *a = &o->u.add_column;

        put_alter_table(out, sch, a->table);
        pcsm_buf_puts(out, "ADD COLUMN ");
        put_column(out, &a->column, true);
        pcsm_buf_puts(out, ";\n");
        if (a->column.comment)
            put_comment(out, sch, a->table, a->column.name, a->column.comment);
        break;
    }
    case PCSM_OP_DROP_COLUMN: {
        const struct pcsm_ddl_drop_column *d = &o->u.drop_column;

        put_alter_table(out, sch, d->table);
        pcsm_buf_puts(out, "DROP COLUMN ");
        put_drop_flags(out, d->flags);
        pcsm_sql__ident(out, d->column);
        put_cascade(out, d->flags);
        pcsm_buf_puts(out, ";\n");
        break;
    }
    case PCSM_OP_RENAME_COLUMN: {
        const struct pcsm_ddl_rename_column *r = &o->u.rename_column;

        put_alter_table(out, sch, r->table);
        pcsm_buf_puts(out, "RENAME COLUMN ");
        pcsm_sql__ident(out, r->column);
        pcsm_buf_puts(out, " TO ");
        pcsm_sql__ident(out, r->new_name);
        pcsm_buf_puts(out, ";\n");
        break;
    }
    case PCSM_OP_ALTER_COLUMN_TYPE: {
        const struct pcsm_ddl_alter_column_type *a = &o->u.alter_column_type;

        put_alter_column(out, sch, a->table, a->column);
        pcsm_buf_puts(out, "TYPE ");
        put_type(out, a->type);
        put_collation(out, a->collation);
        if (a->using)
            pcsm_buf_printf(out, " USING %s", a->using);
        pcsm_buf_puts(out, ";\n");
        break;
    }
    case PCSM_OP_SET_DEFAULT:
        put_alter_column(out, sch, o->u.set_default.table, o->u.set_default.column);
        pcsm_buf_puts(out, "SET DEFAULT ");
        put_value(out, o->u.set_default.value);
        pcsm_buf_puts(out, ";\n");
        break;
    case PCSM_OP_DROP_DEFAULT:
        ref = &o->u.drop_default;
        put_alter_column(out, sch, ref->table, ref->column);
        pcsm_buf_puts(out, "DROP DEFAULT;\n");
        break;
    case PCSM_OP_SET_NOT_NULL:
        ref = &o->u.set_not_null;
        put_alter_column(out, sch, ref->table, ref->column);
        pcsm_buf_puts(out, "SET NOT NULL;\n");
        break;
    case PCSM_OP_DROP_NOT_NULL:
        ref = &o->u.drop_not_null;
        put_alter_column(out, sch, ref->table, ref->column);
        pcsm_buf_puts(out, "DROP NOT NULL;\n");
        break;
    case PCSM_OP_COMMENT_COLUMN:
        put_comment(out, sch, o->u.comment_column.table, o->u.comment_column.column,
                    o->u.comment_column.comment);
        break;
    case PCSM_OP_CREATE_INDEX:
    case PCSM_OP_DROP_INDEX:
        pcsm_render__index_op(o, NULL, out);
        break;
    case PCSM_OP_ADD_CONSTRAINT:
        put_alter_table(out, sch, o->u.add_constraint.table);
        pcsm_buf_puts(out, "ADD ");
        put_constraint(out, &o->u.add_constraint.constraint);
        pcsm_buf_puts(out, ";\n");
        break;
    case PCSM_OP_DROP_CONSTRAINT: {
        const struct pcsm_ddl_drop_constraint *d = &o->u.drop_constraint;

        put_alter_table(out, sch, d->table);
        pcsm_buf_puts(out, "DROP CONSTRAINT ");
        put_drop_flags(out, d->flags);
        pcsm_sql__ident(out, d->constraint);
        put_cascade(out, d->flags);
        pcsm_buf_puts(out, ";\n");
        break;
    }
    case PCSM_OP_VALIDATE_CONSTRAINT:
        /* SHARE UPDATE EXCLUSIVE while it scans, and transactional: no flag needed. */
        put_alter_table(out, sch, o->u.validate_constraint.table);
        pcsm_buf_puts(out, "VALIDATE CONSTRAINT ");
        pcsm_sql__ident(out, o->u.validate_constraint.constraint);
        pcsm_buf_puts(out, ";\n");
        break;
    case PCSM_OP_CREATE_EXTENSION:
        pcsm_buf_puts(out, "CREATE EXTENSION IF NOT EXISTS ");
        pcsm_sql__ident(out, o->u.create_extension.extension);
        if (o->u.create_extension.flags & PCSM_CREATE_CASCADE)
            pcsm_buf_puts(out, " CASCADE");
        pcsm_buf_puts(out, ";\n");
        break;
    case PCSM_OP_DROP_EXTENSION:
        put_drop(out, "EXTENSION", NULL, o->u.drop_extension.extension, o->u.drop_extension.flags);
        put_cascade(out, o->u.drop_extension.flags);
        pcsm_buf_puts(out, ";\n");
        break;
    case PCSM_OP_CREATE_ENUM:
        render_create_enum(out, sch, &o->u.create_enum);
        break;
    case PCSM_OP_RECREATE_ENUM:
        render_recreate_enum(out, sch, &o->u.recreate_enum);
        break;
    case PCSM_OP_ADD_ENUM_VALUE:
        render_add_enum_value(out, sch, &o->u.add_enum_value);
        break;
    case PCSM_OP_RENAME_ENUM_VALUE: {
        const struct pcsm_ddl_rename_enum_value *r = &o->u.rename_enum_value;

        pcsm_buf_puts(out, "ALTER TYPE ");
        pcsm_sql__qualified(out, sch, r->type);
        pcsm_buf_puts(out, " RENAME VALUE ");
        pcsm_sql__literal(out, r->label);
        pcsm_buf_puts(out, " TO ");
        pcsm_sql__literal(out, r->new_label);
        pcsm_buf_puts(out, ";\n");
        break;
    }
    case PCSM_OP_DROP_TYPE:
        put_drop(out, "TYPE", sch, o->u.drop_type.type, o->u.drop_type.flags);
        put_cascade(out, o->u.drop_type.flags);
        pcsm_buf_puts(out, ";\n");
        break;
    case PCSM_OP_CREATE_FUNCTION:
        render_create_function(out, sch, &o->u.create_function.function);
        break;
    case PCSM_OP_DROP_FUNCTION: {
        const struct pcsm_ddl_drop_function *d = &o->u.drop_function;

        put_drop(out, "FUNCTION", sch, d->function, d->flags);
        if (d->arguments)
            pcsm_buf_printf(out, "(%s)", d->arguments);
        put_cascade(out, d->flags);
        pcsm_buf_puts(out, ";\n");
        break;
    }
    case PCSM_OP_CREATE_TRIGGER:
        render_create_trigger(out, sch, &o->u.create_trigger.trigger);
        break;
    case PCSM_OP_DROP_TRIGGER: {
        const struct pcsm_ddl_drop_trigger *d = &o->u.drop_trigger;

        /* A trigger is its table's, and its name takes no schema. */
        put_drop(out, "TRIGGER", NULL, d->trigger, d->flags);
        pcsm_buf_puts(out, " ON ");
        pcsm_sql__qualified(out, sch, d->table);
        put_cascade(out, d->flags);
        pcsm_buf_puts(out, ";\n");
        break;
    }
    case PCSM_OP_CREATE_POLICY:
        render_create_policy(out, sch, &o->u.create_policy.policy);
        break;
    case PCSM_OP_DROP_POLICY: {
        const struct pcsm_ddl_drop_policy *d = &o->u.drop_policy;

        /* A policy is its table's, and its name takes no schema. */
        put_drop(out, "POLICY", NULL, d->policy, d->flags);
        pcsm_buf_puts(out, " ON ");
        pcsm_sql__qualified(out, sch, d->table);
        pcsm_buf_puts(out, ";\n");
        break;
    }
    case PCSM_OP_SET_TRIGGER_FIRING: {
        static const char *const firing[] = {
            [PCSM_TRIGGER_ENABLE] = "ENABLE", [PCSM_TRIGGER_DISABLE] = "DISABLE",
            [PCSM_TRIGGER_ENABLE_REPLICA] = "ENABLE REPLICA",
            [PCSM_TRIGGER_ENABLE_ALWAYS] = "ENABLE ALWAYS",
        };
        const struct pcsm_ddl_set_trigger_firing *f = &o->u.set_trigger_firing;

        put_alter_table(out, sch, f->table);
        pcsm_buf_printf(out, "%s TRIGGER ", firing[f->firing]);
        pcsm_sql__ident(out, f->trigger);
        pcsm_buf_puts(out, ";\n");
        break;
    }
    case PCSM_OP_SET_ROW_SECURITY: {
        static const char *const how[] = {
            [PCSM_ROW_SECURITY_NONE] = "", [PCSM_ROW_SECURITY_ENABLE] = "ENABLE",
            [PCSM_ROW_SECURITY_DISABLE] = "DISABLE", [PCSM_ROW_SECURITY_FORCE] = "FORCE",
            [PCSM_ROW_SECURITY_NO_FORCE] = "NO FORCE",
        };

        pcsm_buf_puts(out, "ALTER TABLE ");
        pcsm_sql__qualified(out, sch, o->u.set_row_security.table);
        pcsm_buf_printf(out, " %s ROW LEVEL SECURITY;\n", how[o->u.set_row_security.how]);
        break;
    }
    case PCSM_OP_ADD_IDENTITY:
        put_alter_column(out, sch, o->u.add_identity.table, o->u.add_identity.column);
        pcsm_buf_puts(out, "ADD");
        put_identity(out, o->u.add_identity.identity, &o->u.add_identity.options);
        pcsm_buf_puts(out, ";\n");
        break;
    case PCSM_OP_COMMENT_ON: {
        const struct pcsm_ddl_comment_on *c = &o->u.comment_on;

        pcsm_buf_printf(out, "COMMENT ON %s ", pcsm_op__object_sql(c->kind));
        /* A constraint, trigger or policy is its table's, and its name takes no schema. */
        if (pcsm_op__object_of_table(c->kind)) {
            pcsm_sql__ident(out, c->name);
            pcsm_buf_puts(out, " ON ");
            pcsm_sql__qualified(out, sch, c->of);
        } else {
            pcsm_sql__qualified(out, sch, c->name);
            if (c->kind == PCSM_OBJECT_FUNCTION && c->of)
                pcsm_buf_printf(out, "(%s)", c->of);
        }
        put_is_comment(out, c->comment);
        break;
    }
    case PCSM_OP_SET_IDENTITY:
        put_alter_column(out, sch, o->u.set_identity.table, o->u.set_identity.column);
        pcsm_buf_puts(out, o->u.set_identity.identity == PCSM_IDENTITY_ALWAYS
                           ? "SET GENERATED ALWAYS;\n" : "SET GENERATED BY DEFAULT;\n");
        break;
    case PCSM_OP_DROP_IDENTITY:
        put_alter_column(out, sch, o->u.drop_identity.table, o->u.drop_identity.column);
        pcsm_buf_puts(out, o->u.drop_identity.flags & PCSM_IF_EXISTS ? "DROP IDENTITY IF EXISTS;\n"
                                                                     : "DROP IDENTITY;\n");
        break;
    case PCSM_OP_CREATE_SEQUENCE:
    case PCSM_OP_ALTER_SEQUENCE: {
        const struct pcsm_ddl_sequence *q = o->kind == PCSM_OP_CREATE_SEQUENCE
                                            ? &o->u.create_sequence : &o->u.alter_sequence;

        pcsm_buf_puts(out, o->kind == PCSM_OP_CREATE_SEQUENCE ? "CREATE SEQUENCE "
                                                              : "ALTER SEQUENCE ");
        pcsm_sql__qualified(out, sch, q->sequence);
        put_sequence_options(out, &q->options);
        if (q->owned_by_table) {
            pcsm_buf_puts(out, " OWNED BY ");
            pcsm_sql__qualified(out, sch, q->owned_by_table);
            pcsm_buf_putc(out, '.');
            pcsm_sql__ident(out, q->owned_by_column);
        } else if (q->owned_by_none) {
            pcsm_buf_puts(out, " OWNED BY NONE");
        }
        pcsm_buf_puts(out, ";\n");
        break;
    }
    case PCSM_OP_CREATE_COLLATION: {
        const pcsm_collation *c = &o->u.create_collation.collation;

        pcsm_buf_puts(out, "CREATE COLLATION ");
        pcsm_sql__qualified(out, sch, c->name);
        pcsm_buf_puts(out, " (");
        if (c->provider == PCSM_PROVIDER_ICU)
            pcsm_buf_puts(out, "PROVIDER = icu, ");
        if (c->locale) {
            pcsm_buf_puts(out, "LOCALE = ");
            pcsm_sql__literal(out, c->locale);
        } else {
            pcsm_buf_puts(out, "LC_COLLATE = ");
            pcsm_sql__literal(out, c->lc_collate);
            pcsm_buf_puts(out, ", LC_CTYPE = ");
            pcsm_sql__literal(out, c->lc_ctype);
        }
        if (c->nondeterministic)
            pcsm_buf_puts(out, ", DETERMINISTIC = false");
        pcsm_buf_puts(out, ");\n");
        break;
    }
    case PCSM_OP_RENAME_COLLATION:
        pcsm_buf_puts(out, "ALTER COLLATION ");
        pcsm_sql__qualified(out, sch, o->u.rename_collation.collation);
        pcsm_buf_puts(out, " RENAME TO ");
        pcsm_sql__ident(out, o->u.rename_collation.new_name);
        pcsm_buf_puts(out, ";\n");
        break;
    case PCSM_OP_DROP_COLLATION:
        put_drop(out, "COLLATION", sch, o->u.drop_collation.collation,
                 o->u.drop_collation.flags);
        pcsm_buf_puts(out, ";\n");
        break;
    case PCSM_OP_CREATE_DOMAIN:
        render_create_domain(out, sch, &o->u.create_domain.domain);
        break;
    case PCSM_OP_CREATE_PARTITION:
        render_create_partition(out, sch, &o->u.create_partition);
        break;
    case PCSM_OP_ATTACH_PARTITION:
    case PCSM_OP_DETACH_PARTITION:
        render_partition_of(out, sch, &o->u.partition_of, o->kind == PCSM_OP_ATTACH_PARTITION);
        break;
    case PCSM_OP_INHERIT:
    case PCSM_OP_NO_INHERIT:
        render_inherit(out, sch, &o->u.inherit, o->kind == PCSM_OP_INHERIT);
        break;
    case PCSM_OP_CREATE_COMPOSITE_TYPE:
        render_create_composite(out, sch, &o->u.create_composite_type);
        break;
    case PCSM_OP_CREATE_RANGE_TYPE:
        render_create_range(out, sch, &o->u.create_range_type.range);
        break;
    case PCSM_OP_ALTER_COMPOSITE_TYPE:
        render_alter_composite(out, sch, &o->u.alter_composite_type);
        break;
    case PCSM_OP_ALTER_DOMAIN:
        render_alter_domain(out, sch, &o->u.alter_domain);
        break;
    case PCSM_OP_DROP_DOMAIN:
        put_drop(out, "DOMAIN", sch, o->u.drop_domain.domain, o->u.drop_domain.flags);
        put_cascade(out, o->u.drop_domain.flags);
        pcsm_buf_puts(out, ";\n");
        break;
    case PCSM_OP_RENAME_SEQUENCE:
        pcsm_buf_puts(out, "ALTER SEQUENCE ");
        pcsm_sql__qualified(out, sch, o->u.rename_sequence.sequence);
        pcsm_buf_puts(out, " RENAME TO ");
        pcsm_sql__ident(out, o->u.rename_sequence.new_name);
        pcsm_buf_puts(out, ";\n");
        break;
    case PCSM_OP_DROP_SEQUENCE:
        put_drop(out, "SEQUENCE", sch, o->u.drop_sequence.sequence, o->u.drop_sequence.flags);
        put_cascade(out, o->u.drop_sequence.flags);
        pcsm_buf_puts(out, ";\n");
        break;
    case PCSM_OP_CREATE_VIEW:
        render_create_view(out, sch, &o->u.create_view.view, false);
        break;
    case PCSM_OP_RENAME_VIEW:
        render_rename(out, "VIEW", sch, o->u.rename_view.view, o->u.rename_view.new_name);
        break;
    case PCSM_OP_DROP_VIEW:
        put_drop(out, "VIEW", sch, o->u.drop_view.view, o->u.drop_view.flags);
        put_cascade(out, o->u.drop_view.flags);
        pcsm_buf_puts(out, ";\n");
        break;
    case PCSM_OP_CREATE_MATERIALIZED_VIEW:
        render_create_view(out, sch, &o->u.create_materialized_view.view, true);
        break;
    case PCSM_OP_REFRESH_MATERIALIZED_VIEW: {
        const struct pcsm_ddl_view_ref *d = &o->u.refresh_materialized_view;

        pcsm_buf_puts(out, "REFRESH MATERIALIZED VIEW ");
        if (d->flags & PCSM_REFRESH_CONCURRENTLY)
            pcsm_buf_puts(out, "CONCURRENTLY ");
        pcsm_sql__qualified(out, sch, d->view);
        if (d->flags & PCSM_REFRESH_NO_DATA)
            pcsm_buf_puts(out, " WITH NO DATA");
        pcsm_buf_puts(out, ";\n");
        break;
    }
    case PCSM_OP_RENAME_MATERIALIZED_VIEW:
        render_rename(out, "MATERIALIZED VIEW", sch, o->u.rename_materialized_view.view,
                      o->u.rename_materialized_view.new_name);
        break;
    case PCSM_OP_DROP_MATERIALIZED_VIEW:
        put_drop(out, "MATERIALIZED VIEW", sch, o->u.drop_materialized_view.view,
                 o->u.drop_materialized_view.flags);
        put_cascade(out, o->u.drop_materialized_view.flags);
        pcsm_buf_puts(out, ";\n");
        break;
    case PCSM_OP_EXECUTE:
        put_statement_text(out, o->u.execute.sql);
        pcsm_buf_puts(out, ";\n");
        break;
    case PCSM_OP_EXECUTE_PARAMS:
        render_execute_params(out, &o->u.execute_params);
        break;
    case PCSM_OP_BATCH_UPDATE:
        render_batch_update(out, sch, &o->u.batch_update);
        break;
    case PCSM_OP_ASSERT:
        render_assert(out, &o->u.assert);
        break;
    /* Alembic's offline autocommit_block(): the revision's transaction ends
     * before the block and a new one begins after it. */
    case PCSM_OP_AUTOCOMMIT_BEGIN:
        pcsm_buf_puts(out, "COMMIT;\n");
        break;
    case PCSM_OP_AUTOCOMMIT_END:
        pcsm_buf_puts(out, "BEGIN;\n");
        break;
    case PCSM_OP_SET_LOCAL:
        pcsm_buf_printf(out, "SET %s%s = ", o->u.set_local.outside ? "" : "LOCAL ",
                        o->u.set_local.name);
        pcsm_sql__literal(out, o->u.set_local.value);
        pcsm_buf_puts(out, ";\n");
        break;
    case PCSM_OP_LOCK_TABLE:
        pcsm_buf_puts(out, "LOCK TABLE ");
        pcsm_sql__qualified(out, sch, o->u.lock_table.table);
        pcsm_buf_printf(out, " IN %s MODE%s;\n", lock_modes[o->u.lock_table.mode],
                        o->u.lock_table.flags & PCSM_LOCK_NOWAIT ? " NOWAIT" : "");
        break;
    case PCSM_OP_IF:
        render_if(out, &o->u.guard);
        break;
    case PCSM_OP_BATCH_UPDATE_FROM:
        render_batch_update(out, sch, &o->u.batch_update);
        break;
    case PCSM_OP_RENAME_INDEX:
        render_rename(out, "INDEX", sch, o->u.rename_index.index, o->u.rename_index.new_name);
        break;
    case PCSM_OP_ATTACH_INDEX:
        pcsm_buf_puts(out, "ALTER INDEX ");
        pcsm_sql__qualified(out, sch, o->u.attach_index.index);
        pcsm_buf_puts(out, " ATTACH PARTITION ");
        pcsm_sql__qualified(out, sch, o->u.attach_index.partition_index);
        pcsm_buf_puts(out, ";\n");
        break;
    case PCSM_OP_RENAME_CONSTRAINT:
        put_alter_table(out, sch, o->u.rename_constraint.table);
        pcsm_buf_puts(out, "RENAME CONSTRAINT ");
        pcsm_sql__ident(out, o->u.rename_constraint.constraint);
        pcsm_buf_puts(out, " TO ");
        pcsm_sql__ident(out, o->u.rename_constraint.new_name);
        pcsm_buf_puts(out, ";\n");
        break;
    case PCSM_OP_CREATE_SCHEMA:
        pcsm_buf_puts(out, o->u.create_schema.flags & PCSM_IF_NOT_EXISTS
                           ? "CREATE SCHEMA IF NOT EXISTS " : "CREATE SCHEMA ");
        pcsm_sql__ident(out, o->u.create_schema.name);
        pcsm_buf_puts(out, ";\n");
        break;
    case PCSM_OP_DROP_SCHEMA:
        put_drop(out, "SCHEMA", NULL, o->u.drop_schema.name, o->u.drop_schema.flags);
        put_cascade(out, o->u.drop_schema.flags);
        pcsm_buf_puts(out, ";\n");
        break;
    case PCSM_OP_GRANT:
    case PCSM_OP_REVOKE:
        render_grant(out, sch, o->kind == PCSM_OP_GRANT, &o->u.grant.grant);
        pcsm_buf_puts(out, ";\n");
        break;
    case PCSM_OP_GRANT_DEFAULT:
    case PCSM_OP_REVOKE_DEFAULT:
        render_default_privileges(out, sch, o->kind == PCSM_OP_GRANT_DEFAULT,
                                  &o->u.default_privileges.defaults);
        break;
    }
}

size_t pcsm_render__statements(const struct pcsm_ddl_op *o)
{
    const struct pcsm_ddl_create_table *t = &o->u.create_table;
    size_t i, n = 1;

    switch (o->kind) {
    case PCSM_OP_CREATE_TABLE:
        n += t->comment != NULL;
        for (i = 0; i < t->n_columns; i++)
            n += t->columns[i].comment != NULL;
        return n;
    case PCSM_OP_CREATE_PARTITION:
        return 1 + (o->u.create_partition.comment != NULL);
    case PCSM_OP_ADD_COLUMN:
        return 1 + (o->u.add_column.column.comment != NULL);
    case PCSM_OP_RECREATE_ENUM: {
        const struct pcsm_ddl_recreate_enum *e = &o->u.recreate_enum;

        n = 3;      /* its ALTER TABLE and its SET DEFAULTs: one statement each per table */
        for (i = 0; i < e->n_columns; i++) {
            size_t k;
            bool defaults = false;

            if (!first_of_table(e, i))
                continue;
            for (k = i; k < e->n_columns; k++)
                defaults = defaults || (!strcmp(e->columns[k].table, e->columns[i].table) &&
                                        e->columns[k].default_value.kind != PCSM_VALUE_NONE);
            n += 1 + defaults;
        }
        return n;
    }
    case PCSM_OP_EXECUTE_PARAMS:
        return 3;
    case PCSM_OP_EXECUTE:
        return 0;   /* the author's text: any number */
    default:
        return 1;
    }
}
