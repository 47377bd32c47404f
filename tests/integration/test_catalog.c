/*
 * The model is true: for random operation sequences (the renderer fuzz's
 * cases), the schema replay declares, built on the server and read back,
 * equals what the catalog holds after the same operations ran there as a
 * migration.  And the catalog reads what was made by hand, per attribute.
 */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <pcsm/pcsm.h>

#include "commented.h"
#include "catalog_check.h"
#include "ddl_case.h"
#include "schema/schema.h"
#include "support.h"

/*
 * 400 cases take about 70 s on an idle two-core machine, and four times that
 * on a loaded CI one; PCSM_CATALOG_CASES=5000 is the deeper run to make after
 * a change to the catalog read or to replay (docs/developer-guide.md).
 */
#define DEFAULT_CASES 400
#define DEFAULT_SEED UINT64_C(20261205)

static char db_name[64];
static pcsm_ctx *ctx;
static const struct ddl_case *current_case;

static void case_upgrade(pcsm_op *op)
{
    ddl_case_record(op, current_case);
}

static const pcsm_revision case_rev[] = { {
    .id = "catalogcase", .description = "catalog property case",
    .create_date = "2026-12-05 00:00:00", .source_path = "tests/integration/test_catalog.c",
    .upgrade = case_upgrade,
} };

static void setup(void)
{
    test_db_create(db_name, sizeof(db_name));
    ck_assert_int_eq(pcsm_ctx_new(&ctx, case_rev, 1), 0);
}

static void teardown(void)
{
    pcsm_ctx_free(ctx);
    ctx = NULL;
    test_db_drop(db_name);
}

static pcsm_db *connect_schema(const char *schema)
{
    pcsm_db_opts opts;
    pcsm_db *db = NULL;
    char *ci = test_conninfo(db_name);

    pcsm_db_opts_init(&opts);
    opts.conninfo = ci;
    opts.script.schema = schema;
    ck_assert_msg(pcsm_db_connect(ctx, &opts, &db) == 0, "%s", pcsm_error_last(ctx)->message);
    free(ci);
    return db;
}

static char *sql_of(const pcsm_schema *s)
{
    pcsm_buf out = PCSM_BUF_INIT;

    ck_assert_int_eq(pcsm_schema_sql(ctx, s, &out), 0);
    return pcsm_buf_detach(&out);
}

static unsigned long env_ulong(const char *name, unsigned long dflt)
{
    const char *v = getenv(name);

    return v && *v ? strtoul(v, NULL, 10) : dflt;
}

/* ALTER TABLE schema.table ENABLE|DISABLE TRIGGER trigger, by hand. */
static void alter_trigger(PGconn *conn, const char *schema, const char *table,
                          const char *trigger, const char *how)
{
    char *t = PQescapeIdentifier(conn, table, strlen(table));
    char *g = PQescapeIdentifier(conn, trigger, strlen(trigger));
    size_t size = strlen(t) + strlen(g) + strlen(schema) + 64;
    char *stmt = malloc(size);

    ck_assert(t && g && stmt);
    snprintf(stmt, size, "ALTER TABLE %s.%s %s TRIGGER %s", schema, t, how, g);
    test_exec(conn, stmt);
    free(stmt);
    PQfreemem(t);
    PQfreemem(g);
}

START_TEST(test_catalog_equals_replay_for_random_cases)
{
    unsigned long n = env_ulong("PCSM_CATALOG_CASES", DEFAULT_CASES), i, ran = 0, tables = 0;
    unsigned long extensions = 0, types = 0, functions = 0, triggers = 0, disabled = 0;
    unsigned long sequences = 0, identities = 0, generated = 0, collated = 0;
    uint64_t seed = env_ulong("PCSM_CATALOG_SEED", DEFAULT_SEED);
    PGconn *admin = test_connect(db_name);
    pcsm_revset head = PCSM_REVSET_INIT;

    ck_assert_int_eq(pcsm_graph_resolve(ctx, "head", NULL, &head), 0);
    for (i = 0; i < n; i++) {
        struct ddl_case c;
        struct case_src src;
        pcsm_run_opts run = { .direction = PCSM_UPGRADE, .target = "head" };
        pcsm_schema *declared = NULL, *on_server = NULL, *live = NULL;
        char schema[32], stmt[512];
        pcsm_db *db;
        size_t k;

        case_src_seed(&src, seed + i);
        ddl_case_generate(&c, &src, true);
        if (!ddl_case_acceptable(&c))
            continue;
        current_case = &c;
        snprintf(schema, sizeof(schema), "case_%lu", i);
        snprintf(stmt, sizeof(stmt), "CREATE SCHEMA %s", schema);
        test_exec(admin, stmt);

        db = connect_schema(schema);
        ck_assert_msg(pcsm_db_migrate(ctx, db, &run, NULL, NULL) == 0, "case %lu: %s", i,
                      pcsm_error_last(ctx)->message);
        ck_assert_msg(pcsm_schema_declared(ctx, &head, &declared) == 0, "case %lu: %s", i,
                      pcsm_error_last(ctx)->message);
        ck_assert_msg(pcsm_schema_live(ctx, db, &live) == 0, "case %lu: %s", i,
                      pcsm_error_last(ctx)->message);
        ck_assert_msg(pcsm_schema_on_server(ctx, db, declared, &on_server) == 0,
                      "case %lu: %s", i, pcsm_error_last(ctx)->message);
        if (!pcsm_schema_equal(live, on_server)) {
            char *a = sql_of(live), *b = sql_of(on_server), *d = sql_of(declared);

            /* On stderr: the schemas are too long for a check message. */
            fprintf(stderr, "case %lu (seed %" PRIu64 "): the catalog holds\n%s\nbut replay "
                    "declares\n%s\nas the server holds it\n%s", i, seed + i, a, d, b);
            ck_abort_msg("case %lu (seed %" PRIu64 "): the catalog differs from replay", i,
                         seed + i);
        }
        snprintf(stmt, sizeof(stmt), "case %lu (seed %" PRIu64 ")", i, seed + i);
        catalog_check_kinds(stmt, declared, live);
        tables += live->n_tables;
        extensions += live->n_extensions;
        types += live->n_types;
        functions += live->n_functions;
        sequences += live->n_sequences;
        for (k = 0; k < live->n_tables; k++) {
            const struct pcsm_schema_table *t = &live->tables[k];
            size_t j;

            triggers += t->n_triggers;
            for (j = 0; j < t->n_columns; j++) {
                identities += t->columns[j].identity != PCSM_IDENTITY_NONE;
                generated += t->columns[j].generated != NULL;
                collated += t->columns[j].collation != NULL;
            }
        }
        /*
         * Disabled by hand, the trigger differs from the declared one, and
         * only by that; enabled again, the two are equal once more.
         */
        if (live->n_tables && live->tables[0].n_triggers) {
            const char *table = live->tables[0].name, *trigger = live->tables[0].triggers[0].name;

            alter_trigger(admin, schema, table, trigger, "DISABLE");
            pcsm_schema_free(live);
            ck_assert_int_eq(pcsm_schema_live(ctx, db, &live), 0);
            ck_assert(!pcsm_schema_equal(live, on_server));
            ck_assert_int_eq(live->tables[0].triggers[0].firing, PCSM_TRIGGER_DISABLE);
            live->tables[0].triggers[0].firing = PCSM_TRIGGER_ENABLE;
            ck_assert(pcsm_schema_equal(live, on_server));
            alter_trigger(admin, schema, live->tables[0].name,
                          live->tables[0].triggers[0].name, "ENABLE");
            disabled++;
        }
        ran++;
        pcsm_schema_free(declared);
        pcsm_schema_free(on_server);
        pcsm_schema_free(live);
        pcsm_db_close(db);
        snprintf(stmt, sizeof(stmt), "DROP SCHEMA %s CASCADE", schema);
        test_exec(admin, stmt);
    }
    PQfinish(admin);
    pcsm_revset_dispose(&head);
    printf("# %lu cases (seed %" PRIu64 "), %lu tables, %lu extensions, %lu enum types, "
           "%lu functions, %lu triggers compared (%lu disabled by hand), %lu sequences, "
           "%lu identity, %lu generated and %lu collated columns\n", ran, seed, tables,
           extensions, types, functions, triggers, disabled, sequences, identities, generated,
           collated);
    /* A run that compared nothing proves nothing. */
    ck_assert_uint_gt(ran, n / 2);
    ck_assert_uint_ge(tables, ran);
    ck_assert_uint_ge(types, ran);
    ck_assert_uint_ge(functions, ran);        /* the trigger function, and fn2 undropped */
    ck_assert_uint_gt(triggers, ran / 2);
    ck_assert_uint_gt(extensions, 0);
    ck_assert_uint_gt(sequences, ran / 2);  /* dropped in a quarter */
    ck_assert_uint_gt(identities, ran / 2);
    ck_assert_uint_ge(generated, ran);
    ck_assert_uint_gt(collated, ran / 2);
}
END_TEST

/* ------------------------------------------------ what the catalog reads */

START_TEST(test_catalog_reads_each_attribute)
{
    PGconn *conn = test_connect(db_name);
    pcsm_db *db;
    pcsm_schema *live;
    const struct pcsm_schema_table *t;
    const struct pcsm_schema_column *c;
    const struct pcsm_schema_index *ix;
    const struct pcsm_schema_type *ty;
    const struct pcsm_schema_function *f;
    const struct pcsm_schema_trigger *tr;
    const struct pcsm_schema_sequence *q;
    size_t k;

    test_exec(conn, "CREATE SCHEMA hand");
    test_exec(conn,
        "CREATE TABLE hand.p (id bigint PRIMARY KEY, \"Odd, name\" varchar(12)[] NOT NULL, "
        "n numeric(10,2) DEFAULT 1.5, t time(3), c char(4), e text COLLATE \"C\", "
        "CONSTRAINT p_pos CHECK (id > 0));"
        "ALTER TABLE hand.p DROP CONSTRAINT p_pos;"
        "ALTER TABLE hand.p ADD CONSTRAINT p_pos CHECK (id > 0) NOT VALID;"
        "COMMENT ON TABLE hand.p IS 'the p';"
        "COMMENT ON COLUMN hand.p.n IS 'en';"
        "CREATE TABLE hand.k (id int, pid bigint REFERENCES hand.p ON DELETE SET NULL "
        "DEFERRABLE INITIALLY DEFERRED, UNIQUE (id, pid));"
        "CREATE INDEX k_expr ON hand.k (lower(id::text)) WHERE pid IS NOT NULL;"
        "CREATE INDEX k_hash ON hand.k USING hash (pid);"
        "CREATE TABLE hand.alembic_version (version_num varchar(32) PRIMARY KEY);"
        /* The other kinds: an extension's own type and functions are not the schema's. */
        "CREATE EXTENSION citext SCHEMA hand;"
        "CREATE TYPE hand.mood AS ENUM ('sad', 'ok');"
        "ALTER TYPE hand.mood ADD VALUE 'meh' BEFORE 'ok';"
        "ALTER TYPE hand.mood RENAME VALUE 'sad' TO 'a \"b\", c';"
        "CREATE FUNCTION hand.f(a int4, OUT b text, c varchar(3) DEFAULT 'x') "
        "LANGUAGE sql STABLE STRICT SECURITY DEFINER AS $$\nSELECT c || a\n$$;"
        "CREATE FUNCTION hand.touch() RETURNS trigger LANGUAGE plpgsql AS "
        "'BEGIN RETURN NEW; END';"
        "CREATE TRIGGER \"Odd (WHEN ) trigger\" BEFORE INSERT OR UPDATE ON hand.p "
        "FOR EACH ROW WHEN (NEW.c <> ')' AND NEW.id > 0) EXECUTE FUNCTION hand.touch();"
        "CREATE TRIGGER all_stmt AFTER TRUNCATE OR DELETE ON hand.p "
        "EXECUTE FUNCTION hand.touch();"
        "ALTER TABLE hand.p DISABLE TRIGGER all_stmt;"
        "ALTER TABLE hand.p ENABLE REPLICA TRIGGER \"Odd (WHEN ) trigger\";"
        /* Sequences: one of its own, owned by a column; an identity's is the column's. */
        "CREATE SEQUENCE hand.s AS integer INCREMENT 5 MINVALUE 2 MAXVALUE 99 START 3 CACHE 4 "
        "CYCLE OWNED BY hand.p.n;"
        "CREATE SEQUENCE hand.free;"
        "CREATE TABLE hand.g (id int GENERATED ALWAYS AS IDENTITY (INCREMENT 2 START 10), "
        "b smallint GENERATED BY DEFAULT AS IDENTITY, twice int GENERATED ALWAYS AS (id * 2) "
        "STORED, n bigint DEFAULT nextval('hand.free'), p text COLLATE \"POSIX\");"
        "ALTER SEQUENCE hand.g_b_seq RENAME TO \"B's seq\"");
    PQfinish(conn);
    db = connect_schema("hand");
    ck_assert_msg(pcsm_schema_live(ctx, db, &live) == 0, "%s", pcsm_error_last(ctx)->message);
    pcsm_db_close(db);

    ck_assert_uint_eq(live->n_tables, 3);           /* the version table left out */
    t = pcsm_schema__table(live, "p");
    ck_assert_str_eq(t->comment, "the p");
    ck_assert_uint_eq(t->n_columns, 6);
    c = &t->columns[1];
    ck_assert_str_eq(c->name, "Odd, name");
    ck_assert_int_eq(c->type.kind, PCSM_TYPE_VARCHAR);
    ck_assert_int_eq(c->type.p, 12);
    ck_assert_int_eq(c->type.array_dims, 1);
    ck_assert(c->not_null);
    c = &t->columns[2];
    ck_assert_int_eq(c->type.kind, PCSM_TYPE_NUMERIC);
    ck_assert_int_eq(c->type.p, 10);
    ck_assert_int_eq(c->type.s, 2);
    ck_assert_str_eq(c->default_value.text, "1.5");
    ck_assert_str_eq(c->comment, "en");
    /* A precision is the API's to say now (PCSM_TIME_P(3)). */
    ck_assert_int_eq(t->columns[3].type.kind, PCSM_TYPE_TIME);
    ck_assert_int_eq(t->columns[3].type.p, 3);
    ck_assert_int_eq(t->columns[4].type.kind, PCSM_TYPE_CHAR);
    ck_assert_int_eq(t->columns[4].type.p, 4);
    ck_assert_ptr_null(t->columns[4].collation);    /* the type's own */
    ck_assert_str_eq(t->columns[5].collation, "C");
    for (k = 0; k < t->n_columns; k++)
        ck_assert(!t->columns[k].identity && !t->columns[k].generated);
    for (k = 0; k < t->n_constraints && strcmp(t->constraints[k].name, "p_pos"); k++)
        ;
    ck_assert_uint_lt(k, t->n_constraints);
    ck_assert_str_eq(t->constraints[k].check, "(id > 0)");
    ck_assert(t->constraints[k].not_valid);

    t = pcsm_schema__table(live, "k");
    for (k = 0; k < t->n_constraints && t->constraints[k].kind != PCSM_FOREIGN_KEY; k++)
        ;
    ck_assert_uint_lt(k, t->n_constraints);
    ck_assert_str_eq(t->constraints[k].name, "k_pid_fkey");
    ck_assert_str_eq(t->constraints[k].references, "p");
    ck_assert_str_eq(t->constraints[k].ref_columns[0], "id");
    ck_assert_int_eq(t->constraints[k].on_delete, PCSM_SET_NULL);
    ck_assert(t->constraints[k].deferrable);

    ck_assert_uint_eq(live->n_indexes, 2);          /* not the keys' own */
    ix = pcsm_schema__index(live, "k_expr");
    ck_assert_ptr_null(ix->columns);
    ck_assert_str_eq(ix->expression, "lower(id::text)");
    ck_assert_str_eq(ix->where, "(pid IS NOT NULL)");
    ck_assert_str_eq(pcsm_schema__index(live, "k_hash")->method, "hash");

    ck_assert_uint_eq(live->n_extensions, 1);
    ck_assert_str_eq(live->extensions[0].name, "citext");
    ck_assert_uint_eq(live->n_types, 1);           /* not citext's own type */
    ty = pcsm_schema__type(live, "mood");
    ck_assert_uint_eq(ty->n_labels, 3);
    ck_assert_str_eq(ty->labels[0], "a \"b\", c");
    ck_assert_str_eq(ty->labels[1], "meh");
    ck_assert_str_eq(ty->labels[2], "ok");
    ck_assert_uint_eq(live->n_functions, 2);       /* not citext's */
    f = pcsm_schema__function(live, "f", "integer,character varying");
    ck_assert_ptr_nonnull(f);
    ck_assert_str_eq(f->arguments, "a integer, OUT b text, c character varying DEFAULT 'x'::"
                     "character varying");
    ck_assert_str_eq(f->returns, "text");
    ck_assert_str_eq(f->language, "sql");
    ck_assert_str_eq(f->body, "SELECT c || a");    /* less the newlines after and before $$ */
    ck_assert_int_eq(f->volatility, PCSM_STABLE);
    ck_assert(f->strict && f->security_definer);
    f = pcsm_schema__function(live, "touch", "");
    ck_assert_str_eq(f->body, "BEGIN RETURN NEW; END");
    ck_assert_int_eq(f->volatility, PCSM_VOLATILE);
    ck_assert(!f->strict && !f->security_definer);

    t = pcsm_schema__table(live, "p");
    ck_assert_uint_eq(t->n_triggers, 2);
    tr = pcsm_schema__trigger(t, "Odd (WHEN ) trigger");
    ck_assert_int_eq(tr->timing, PCSM_BEFORE);
    ck_assert_uint_eq(tr->events, PCSM_ON_INSERT | PCSM_ON_UPDATE);
    ck_assert(tr->for_each_row);
    ck_assert_int_eq(tr->firing, PCSM_TRIGGER_ENABLE_REPLICA);
    ck_assert_str_eq(tr->function, "touch");
    ck_assert_str_eq(tr->when, "((new.c <> ')'::bpchar) AND (new.id > 0))");
    tr = pcsm_schema__trigger(t, "all_stmt");
    ck_assert_int_eq(tr->timing, PCSM_AFTER);
    ck_assert_uint_eq(tr->events, PCSM_ON_DELETE | PCSM_ON_TRUNCATE);
    ck_assert(!tr->for_each_row);
    ck_assert_int_eq(tr->firing, PCSM_TRIGGER_DISABLE);
    ck_assert_ptr_null(tr->when);

    t = pcsm_schema__table(live, "g");
    c = pcsm_schema__column(t, "id");
    ck_assert_int_eq(c->identity, PCSM_IDENTITY_ALWAYS);
    ck_assert(c->not_null);
    ck_assert_int_eq(c->default_value.kind, PCSM_VALUE_NONE);
    ck_assert_str_eq(c->identity_sequence, "g_id_seq");
    ck_assert_int_eq(c->identity_options.type, PCSM_TYPE_INTEGER);
    ck_assert_int_eq(c->identity_options.increment, 2);
    ck_assert_int_eq(c->identity_options.start, 10);
    ck_assert_int_eq(c->identity_options.minvalue, 1);
    ck_assert_int_eq(c->identity_options.maxvalue, 2147483647);
    ck_assert(!c->identity_options.cycle);
    c = pcsm_schema__column(t, "b");
    ck_assert_int_eq(c->identity, PCSM_IDENTITY_BY_DEFAULT);
    ck_assert_str_eq(c->identity_sequence, "B's seq");
    ck_assert_int_eq(c->identity_options.type, PCSM_TYPE_SMALLINT);
    ck_assert_int_eq(c->identity_options.maxvalue, 32767);
    c = pcsm_schema__column(t, "twice");
    ck_assert_str_eq(c->generated, "(id * 2)");
    ck_assert_int_eq(c->default_value.kind, PCSM_VALUE_NONE);
    ck_assert_int_eq(c->identity, PCSM_IDENTITY_NONE);
    ck_assert_str_eq(pcsm_schema__column(t, "n")->default_value.text,
                     "nextval('free'::regclass)");
    ck_assert_str_eq(pcsm_schema__column(t, "p")->collation, "POSIX");

    /* The identities' sequences are their columns', not the schema's own. */
    ck_assert_uint_eq(live->n_sequences, 2);
    q = pcsm_schema__sequence(live, "s");
    ck_assert_int_eq(q->options.type, PCSM_TYPE_INTEGER);
    ck_assert_int_eq(q->options.increment, 5);
    ck_assert_int_eq(q->options.minvalue, 2);
    ck_assert_int_eq(q->options.maxvalue, 99);
    ck_assert_int_eq(q->options.start, 3);
    ck_assert_int_eq(q->options.cache, 4);
    ck_assert(q->options.cycle);
    ck_assert_str_eq(q->owned_table, "p");
    ck_assert_str_eq(q->owned_column, "n");
    q = pcsm_schema__sequence(live, "free");
    ck_assert_int_eq(q->options.type, PCSM_TYPE_BIGINT);
    ck_assert_int_eq(q->options.maxvalue, INT64_MAX);
    ck_assert_int_eq(q->options.cache, 1);
    ck_assert_ptr_null(q->owned_table);
    ck_assert_ptr_null(q->owned_column);
    pcsm_schema_free(live);
}
END_TEST

/* ------------------------------- index elements and renames (issue 20) */

static void elements_upgrade(pcsm_op *op)
{
    pcsm_create_table(op, "items", PCSM_COLUMNS(
        { .name = "id", .type = PCSM_BIGINT, .not_null = true },
        { .name = "name", .type = PCSM_TEXT },
        { .name = "code", .type = PCSM_VARCHAR(20) },
        { .name = "doc", .type = PCSM_JSONB },
        { .name = "n", .type = PCSM_INTEGER }),
        PCSM_CONSTRAINTS(
            { .kind = PCSM_PRIMARY_KEY, .name = "items_pkey", .columns = PCSM_NAMES("id") },
            { .kind = PCSM_UNIQUE, .name = "items_code_key", .columns = PCSM_NAMES("code"),
              .nulls_not_distinct = true }), NULL);
    pcsm_create_index(op, &(pcsm_index){ .name = "ix_el", .table = "items",
        .elements = PCSM_ELEMENTS(
            { .expression = "lower(name)", .opclass = "text_pattern_ops", .descending = true,
              .nulls = PCSM_NULLS_LAST },
            { .column = "name", .collation = "C" },
            { .expression = "n + 1", .nulls = PCSM_NULLS_FIRST },
            { .column = "code", .opclass = "pg_catalog.varchar_pattern_ops" }) });
    pcsm_create_index(op, &(pcsm_index){ .name = "ix_doc", .table = "items", .method = "gin",
        .elements = PCSM_ELEMENTS({ .column = "doc", .opclass = "jsonb_path_ops" }) });
    pcsm_create_index(op, &(pcsm_index){ .name = "ux_n", .table = "items", .unique = true,
                                         .columns = PCSM_NAMES("n"),
                                         .nulls_not_distinct = true });
    /* Keys saying only what the server says anyway: plain columns. */
    pcsm_create_index(op, &(pcsm_index){ .name = "ix_plain", .table = "items",
        .elements = PCSM_ELEMENTS({ .column = "n", .nulls = PCSM_NULLS_LAST },
                                  { .column = "id", .opclass = "int8_ops" }) });
    pcsm_create_index(op, &(pcsm_index){ .name = "ix_desc", .table = "items",
        .elements = PCSM_ELEMENTS({ .column = "id", .descending = true,
                                    .nulls = PCSM_NULLS_FIRST }) });
    pcsm_rename_index(op, "items_pkey", "items_pk");
    pcsm_rename_constraint(op, "items", "items_code_key", "items_code_uq");
    pcsm_rename_index(op, "ix_el", "ix_elements");
}

static const pcsm_revision elements_rev[] = { {
    .id = "elements", .description = "index elements", .create_date = "2026-12-06 00:00:00",
    .source_path = "tests/integration/test_catalog.c", .upgrade = elements_upgrade,
} };

/*
 * One revision migrated into a schema of its own: what replay declares, what
 * the catalog holds, and the declared schema as the server holds it, the
 * last two equal (or the test fails, printing all three).
 */
struct models {
    pcsm_db *db;
    pcsm_revset head;
    pcsm_schema *declared, *live, *on_server;
};

static void migrate_and_read(PGconn *conn, const pcsm_revision *rev, const char *schema,
                             struct models *m)
{
    pcsm_run_opts run = { .direction = PCSM_UPGRADE, .target = "head" };
    char stmt[128];

    memset(m, 0, sizeof(*m));
    m->head = (pcsm_revset)PCSM_REVSET_INIT;
    pcsm_ctx_free(ctx);
    ck_assert_int_eq(pcsm_ctx_new(&ctx, rev, 1), 0);
    snprintf(stmt, sizeof(stmt), "CREATE SCHEMA %s", schema);
    test_exec(conn, stmt);
    m->db = connect_schema(schema);
    ck_assert_msg(pcsm_db_migrate(ctx, m->db, &run, NULL, NULL) == 0, "%s",
                  pcsm_error_last(ctx)->message);
    ck_assert_int_eq(pcsm_graph_resolve(ctx, "head", NULL, &m->head), 0);
    ck_assert_msg(pcsm_schema_declared(ctx, &m->head, &m->declared) == 0, "%s",
                  pcsm_error_last(ctx)->message);
    ck_assert_msg(pcsm_schema_live(ctx, m->db, &m->live) == 0, "%s",
                  pcsm_error_last(ctx)->message);
    ck_assert_msg(pcsm_schema_on_server(ctx, m->db, m->declared, &m->on_server) == 0, "%s",
                  pcsm_error_last(ctx)->message);
    if (!pcsm_schema_equal(m->live, m->on_server)) {
        char *a = sql_of(m->live), *b = sql_of(m->on_server), *d = sql_of(m->declared);
        pcsm_buf ja = PCSM_BUF_INIT, jb = PCSM_BUF_INIT;

        /* The JSON says what the SQL may not (an inherited column's being its own too). */
        pcsm_schema_json(m->live, &ja);
        pcsm_schema_json(m->on_server, &jb);
        fprintf(stderr, "as JSON, the catalog holds\n%s\nand the server holds replay's\n%s\n",
                ja.ptr, jb.ptr);
        pcsm_buf_dispose(&ja);
        pcsm_buf_dispose(&jb);

        fprintf(stderr, "the catalog holds\n%s\nbut replay declares\n%s\nas the server "
                "holds it\n%s", a, d, b);
        ck_abort_msg("%s: the catalog differs from replay", rev->description);
    }
    catalog_check_kinds(rev->description, m->declared, m->live);
}

static void models_free(struct models *m)
{
    pcsm_schema_free(m->declared);
    pcsm_schema_free(m->on_server);
    pcsm_schema_free(m->live);
    pcsm_revset_dispose(&m->head);
    pcsm_db_close(m->db);
}

START_TEST(test_catalog_index_elements_and_renames)
{
    PGconn *conn = test_connect(db_name);
    struct models m;
    const struct pcsm_schema_index *ix;
    const struct pcsm_schema_table *t;
    size_t k;

    migrate_and_read(conn, elements_rev, "idx", &m);

    test_assert_query(conn, "SELECT indexname || ': ' || indexdef FROM pg_indexes "
                      "WHERE schemaname = 'idx' AND tablename = 'items' "
                      "ORDER BY indexname COLLATE \"C\"",
        "items_code_uq: CREATE UNIQUE INDEX items_code_uq ON idx.items USING btree (code) "
        "NULLS NOT DISTINCT\n"
        "items_pk: CREATE UNIQUE INDEX items_pk ON idx.items USING btree (id)\n"
        "ix_desc: CREATE INDEX ix_desc ON idx.items USING btree (id DESC)\n"
        "ix_doc: CREATE INDEX ix_doc ON idx.items USING gin (doc jsonb_path_ops)\n"
        "ix_elements: CREATE INDEX ix_elements ON idx.items USING btree (lower(name) "
        "text_pattern_ops DESC NULLS LAST, name COLLATE \"C\", ((n + 1)) NULLS FIRST, "
        "code varchar_pattern_ops)\n"
        "ix_plain: CREATE INDEX ix_plain ON idx.items USING btree (n, id)\n"
        "ux_n: CREATE UNIQUE INDEX ux_n ON idx.items USING btree (n) NULLS NOT DISTINCT");
    test_assert_query(conn, "SELECT x.relname, i.indoption::text, i.indnullsnotdistinct "
                      "FROM pg_index i JOIN pg_class x ON x.oid = i.indexrelid "
                      "WHERE i.indrelid = 'idx.items'::regclass "
                      "ORDER BY x.relname COLLATE \"C\"",
                      "items_code_uq|0|t\nitems_pk|0|f\nix_desc|3|f\nix_doc|0|f\n"
                      "ix_elements|1 0 2 0|f\nix_plain|0 0|f\nux_n|0|t");
    /* Each rename took the other half along: the constraint's index, the index's constraint. */
    test_assert_query(conn, "SELECT k.conname, k.contype, x.relname "
                      "FROM pg_constraint k JOIN pg_class x ON x.oid = k.conindid "
                      "WHERE k.conrelid = 'idx.items'::regclass "
                      "ORDER BY k.conname COLLATE \"C\"",
                      "items_code_uq|u|items_code_uq\nitems_pk|p|items_pk");

    /* What the catalog read: what pg_get_indexdef() says, and no more. */
    ix = pcsm_schema__index(m.live, "ix_elements");
    ck_assert_ptr_nonnull(ix);
    ck_assert_ptr_null(ix->columns);
    ck_assert_ptr_null(ix->expression);
    ck_assert_str_eq(ix->elements[0].expression, "lower(name)");
    ck_assert_str_eq(ix->elements[0].opclass, "text_pattern_ops");
    ck_assert(ix->elements[0].descending);
    ck_assert_int_eq(ix->elements[0].nulls, PCSM_NULLS_LAST);
    ck_assert_str_eq(ix->elements[1].column, "name");
    ck_assert_str_eq(ix->elements[1].collation, "C");
    ck_assert_ptr_null(ix->elements[1].opclass);
    ck_assert_str_eq(ix->elements[2].expression, "(n + 1)");
    ck_assert_int_eq(ix->elements[2].nulls, PCSM_NULLS_FIRST);
    ck_assert_ptr_null(ix->elements[2].collation);
    ck_assert_str_eq(ix->elements[3].column, "code");
    ck_assert_str_eq(ix->elements[3].opclass, "varchar_pattern_ops");
    ck_assert(!ix->elements[3].descending && !ix->elements[3].nulls);
    ck_assert(!ix->elements[4].column && !ix->elements[4].expression);
    ix = pcsm_schema__index(m.live, "ix_doc");
    ck_assert_str_eq(ix->elements[0].opclass, "jsonb_path_ops");
    ix = pcsm_schema__index(m.live, "ix_plain");
    ck_assert_ptr_null(ix->elements);
    ck_assert_str_eq(ix->columns[0], "n");
    ck_assert_str_eq(ix->columns[1], "id");
    ix = pcsm_schema__index(m.live, "ix_desc");
    ck_assert(ix->elements[0].descending);
    ck_assert_int_eq(ix->elements[0].nulls, PCSM_NULLS_DEFAULT);
    ix = pcsm_schema__index(m.live, "ux_n");
    ck_assert(ix->nulls_not_distinct && ix->unique);
    ck_assert_ptr_null(ix->elements);
    t = pcsm_schema__table(m.live, "items");
    for (k = 0; k < t->n_constraints && strcmp(t->constraints[k].name, "items_code_uq"); k++)
        ;
    ck_assert_uint_lt(k, t->n_constraints);
    ck_assert(t->constraints[k].nulls_not_distinct);
    /* The m.declared model, before the server's normal form, agrees on what it can know. */
    ck_assert_ptr_nonnull(pcsm_schema__index(m.declared, "ix_elements"));
    ck_assert_ptr_null(pcsm_schema__index(m.declared, "ix_el"));
    /* An operator class as written: only the server knows int8_ops is bigint's default. */
    ck_assert_str_eq(pcsm_schema__index(m.declared, "ix_plain")->elements[1].opclass, "int8_ops");
    ck_assert(pcsm_schema__elements_eq(pcsm_schema__index(m.declared, "ix_desc")->elements,
                                       pcsm_schema__index(m.live, "ix_desc")->elements));

    /* A NULLS NOT DISTINCT dropped by hand is a difference, and only that. */
    test_exec(conn, "ALTER TABLE idx.items DROP CONSTRAINT items_code_uq;"
                    "ALTER TABLE idx.items ADD CONSTRAINT items_code_uq UNIQUE (code)");
    pcsm_schema_free(m.live);
    ck_assert_int_eq(pcsm_schema_live(ctx, m.db, &m.live), 0);
    ck_assert(!pcsm_schema_equal(m.live, m.on_server));
    t = pcsm_schema__table(m.live, "items");
    for (k = 0; k < t->n_constraints; k++)
        t->constraints[k].nulls_not_distinct = t->constraints[k].nulls_not_distinct ||
                                               !strcmp(t->constraints[k].name, "items_code_uq");
    ck_assert(pcsm_schema_equal(m.live, m.on_server));

    models_free(&m);
    PQfinish(conn);
}
END_TEST

/*
 * Exclusion constraints: named by the server (keys, an expression's
 * function, a taken name), with a method, a predicate, an operator class,
 * an order and a deferral; renamed both ways and over a renamed column.
 */
static void exclusion_upgrade(pcsm_op *op)
{
    pcsm_create_table(op, "booking", PCSM_COLUMNS(
        { .name = "room", .type = PCSM_INTEGER, .not_null = true },
        { .name = "during", .type = PCSM_NAMED_TYPE("tsrange") },
        { .name = "code", .type = PCSM_TEXT },
        { .name = "active", .type = PCSM_BOOLEAN }),
        PCSM_CONSTRAINTS({ .kind = PCSM_EXCLUDE, .method = "gist",
                           .elements = PCSM_ELEMENTS({ .column = "during", .with = "&&" }) }),
        NULL);
    pcsm_add_constraint(op, "booking", &(pcsm_constraint){ .kind = PCSM_EXCLUDE,
        .elements = PCSM_ELEMENTS({ .column = "code", .with = "=" }) });
    pcsm_add_constraint(op, "booking", &(pcsm_constraint){ .kind = PCSM_EXCLUDE,
        .method = "btree", .elements = PCSM_ELEMENTS({ .column = "code", .with = "=" }) });
    pcsm_add_constraint(op, "booking", &(pcsm_constraint){ .kind = PCSM_EXCLUDE,
        .method = "gist", .elements = PCSM_ELEMENTS(
            { .expression = "tsrange(lower(during), upper(during))", .with = "&&" }) });
    pcsm_add_constraint(op, "booking", &(pcsm_constraint){ .kind = PCSM_EXCLUDE,
        .name = "b_partial", .method = "gist", .where = "active", .deferrable = true,
        .elements = PCSM_ELEMENTS({ .column = "during", .with = "&&" }) });
    pcsm_add_constraint(op, "booking", &(pcsm_constraint){ .kind = PCSM_EXCLUDE,
        .name = "b_order", .elements = PCSM_ELEMENTS(
            { .column = "room", .descending = true, .nulls = PCSM_NULLS_LAST, .with = "=" },
            { .column = "code", .opclass = "text_pattern_ops", .collation = "C",
              .with = "pg_catalog.=" }) });
    pcsm_rename_constraint(op, "booking", "b_partial", "b_partial2");
    pcsm_rename_index(op, "b_order", "b_order2");
    pcsm_rename_column(op, "booking", "code", "ref");
}

static const pcsm_revision exclusion_rev[] = { {
    .id = "exclusion", .description = "exclusion constraints",
    .create_date = "2026-12-06 00:00:00", .source_path = "tests/integration/test_catalog.c",
    .upgrade = exclusion_upgrade,
} };

static const struct pcsm_schema_constraint *must_constraint(const struct pcsm_schema_table *t,
                                                           const char *name)
{
    const struct pcsm_schema_constraint *c = pcsm_schema__constraint(t, name);

    ck_assert_msg(c != NULL, "no constraint %s on %s", name, t->name);
    return c;
}

START_TEST(test_catalog_exclusion_constraints)
{
    PGconn *conn = test_connect(db_name);
    struct models m;
    const struct pcsm_schema_constraint *c;

    migrate_and_read(conn, exclusion_rev, "excl", &m);

    /* The server's own names and definitions, and each rename took its other half along. */
    test_assert_query(conn, "SELECT k.conname, k.contype, x.relname, k.condeferrable, "
                      "pg_get_constraintdef(k.oid) FROM pg_constraint k "
                      "JOIN pg_class x ON x.oid = k.conindid "
                      "WHERE k.conrelid = 'excl.booking'::regclass "
                      "ORDER BY k.conname COLLATE \"C\"",
        "b_order2|x|b_order2|f|EXCLUDE USING btree (room DESC NULLS LAST WITH =, "
        "ref COLLATE \"C\" text_pattern_ops WITH =)\n"
        "b_partial2|x|b_partial2|t|EXCLUDE USING gist (during WITH &&) WHERE (active) "
        "DEFERRABLE INITIALLY DEFERRED\n"
        "booking_code_excl|x|booking_code_excl|f|EXCLUDE USING btree (ref WITH =)\n"
        "booking_code_excl1|x|booking_code_excl1|f|EXCLUDE USING btree (ref WITH =)\n"
        "booking_during_excl|x|booking_during_excl|f|EXCLUDE USING gist (during WITH &&)\n"
        "booking_tsrange_excl|x|booking_tsrange_excl|f|EXCLUDE USING gist "
        "(tsrange(lower(during), upper(during)) WITH &&)");

    /* Replay named them all as the server did: the names are the model's before any read. */
    c = must_constraint(pcsm_schema__table(m.declared, "booking"), "booking_tsrange_excl");
    ck_assert_str_eq(c->elements[0].expression, "tsrange(lower(during), upper(during))");
    must_constraint(pcsm_schema__table(m.declared, "booking"), "booking_code_excl1");
    must_constraint(pcsm_schema__table(m.declared, "booking"), "booking_during_excl");
    c = must_constraint(pcsm_schema__table(m.declared, "booking"), "b_order2");
    ck_assert_str_eq(c->elements[1].column, "ref");

    /* What the catalog read. */
    c = must_constraint(pcsm_schema__table(m.live, "booking"), "b_order2");
    ck_assert_ptr_null(c->method);
    ck_assert_ptr_null(c->columns);
    ck_assert_str_eq(c->elements[0].column, "room");
    ck_assert(c->elements[0].descending);
    ck_assert_int_eq(c->elements[0].nulls, PCSM_NULLS_LAST);
    ck_assert_str_eq(c->elements[0].with, "=");
    ck_assert_str_eq(c->elements[1].column, "ref");
    ck_assert_str_eq(c->elements[1].collation, "C");
    ck_assert_str_eq(c->elements[1].opclass, "text_pattern_ops");
    ck_assert_str_eq(c->elements[1].with, "=");
    c = must_constraint(pcsm_schema__table(m.live, "booking"), "b_partial2");
    ck_assert_str_eq(c->method, "gist");
    ck_assert_str_eq(c->where, "active");
    ck_assert(c->deferrable);
    ck_assert_str_eq(c->elements[0].with, "&&");

    /* The same keys under another operator, by hand: a difference, and only that. */
    test_exec(conn, "ALTER TABLE excl.booking DROP CONSTRAINT booking_during_excl;"
                    "ALTER TABLE excl.booking ADD CONSTRAINT booking_during_excl "
                    "EXCLUDE USING gist (during WITH =)");
    pcsm_schema_free(m.live);
    ck_assert_int_eq(pcsm_schema_live(ctx, m.db, &m.live), 0);
    ck_assert(!pcsm_schema_equal(m.live, m.on_server));
    c = must_constraint(pcsm_schema__table(m.live, "booking"), "booking_during_excl");
    free((char *)c->elements[0].with);
    ((pcsm_index_element *)c->elements)[0].with = pcsm__xstrdup("&&");
    ck_assert(pcsm_schema_equal(m.live, m.on_server));

    models_free(&m);
    PQfinish(conn);
}
END_TEST

static void policies_upgrade(pcsm_op *op)
{
    pcsm_create_table(op, "docs", PCSM_COLUMNS(
        { .name = "id", .type = PCSM_INTEGER, .primary_key = true },
        { .name = "owner", .type = PCSM_TEXT },
        { .name = "body", .type = PCSM_TEXT },
        { .name = "published", .type = PCSM_BOOLEAN }), NULL, NULL);
    pcsm_create_function(op, &(pcsm_function){
        .name = "may_see", .arguments = "who text", .returns = "boolean", .language = "sql",
        .body = "SELECT who = current_user", .volatility = PCSM_STABLE });
    pcsm_set_row_security(op, "docs", PCSM_ROW_SECURITY_ENABLE);
    pcsm_set_row_security(op, "docs", PCSM_ROW_SECURITY_FORCE);
    pcsm_create_policy(op, &(pcsm_policy){
        .name = "read", .table = "docs", .command = PCSM_POLICY_SELECT,
        .roles = PCSM_NAMES("pcsm_reader", "Pcsm Auditor"),
        .using = "published OR may_see(owner)" });
    pcsm_create_policy(op, &(pcsm_policy){
        .name = "write", .table = "docs", .restrictive = true,
        .using = "owner = current_user", .with_check = "length(body) < 1000" });
    pcsm_create_policy(op, &(pcsm_policy){
        .name = "add", .table = "docs", .command = PCSM_POLICY_INSERT,
        .roles = PCSM_NAMES("pcsm_reader"), .with_check = "id > 0" });
    pcsm_create_policy(op, &(pcsm_policy){ .name = "gone", .table = "docs",
                                           .command = PCSM_POLICY_DELETE });
    pcsm_drop_policy(op, "docs", "gone", 0);
    pcsm_rename_column(op, "docs", "owner", "author");
    pcsm_set_row_security(op, "docs", PCSM_ROW_SECURITY_NO_FORCE);
}

static const pcsm_revision policies_rev[] = { {
    .id = "policies", .description = "row-level security",
    .create_date = "2026-12-06 00:00:00", .source_path = "tests/integration/test_catalog.c",
    .upgrade = policies_upgrade,
} };

/* Roles are the cluster's: made once, whichever test gets there first. */
static void make_roles(PGconn *conn)
{
    test_exec(conn, "DO $$ BEGIN CREATE ROLE pcsm_reader; "
                    "EXCEPTION WHEN duplicate_object THEN NULL; END $$");
    test_exec(conn, "DO $$ BEGIN CREATE ROLE \"Pcsm Auditor\"; "
                    "EXCEPTION WHEN duplicate_object THEN NULL; END $$");
}

START_TEST(test_catalog_row_level_security)
{
    PGconn *conn = test_connect(db_name);
    struct models m;
    const struct pcsm_schema_table *t;
    const struct pcsm_schema_policy *p;

    make_roles(conn);
    migrate_and_read(conn, policies_rev, "rls", &m);

    /* The server's own record of what the revision did. */
    test_assert_query(conn, "SELECT relrowsecurity, relforcerowsecurity FROM pg_class "
                      "WHERE oid = 'rls.docs'::regclass", "t|f");
    test_assert_query(conn, "SELECT polname, polcmd, polpermissive, "
                      "array_to_string(ARRAY(SELECT CASE WHEN r = 0 THEN 'public' ELSE "
                      "pg_get_userbyid(r) END FROM unnest(polroles) r ORDER BY 1), ','), "
                      "pg_get_expr(polqual, polrelid), pg_get_expr(polwithcheck, polrelid) "
                      "FROM pg_policy WHERE polrelid = 'rls.docs'::regclass ORDER BY polname",
        "add|a|t|pcsm_reader|NULL|(id > 0)\n"
        "read|r|t|Pcsm Auditor,pcsm_reader|(published OR rls.may_see(author))|NULL\n"
        "write|*|f|public|(author = CURRENT_USER)|(length(body) < 1000)");

    /* What the catalog read, besides its equality with replay (migrate_and_read). */
    t = pcsm_schema__table(m.live, "docs");
    ck_assert(t->row_security && !t->force_row_security);
    ck_assert_uint_eq(t->n_policies, 3);
    p = pcsm_schema__policy(t, "read");
    ck_assert_int_eq(p->command, PCSM_POLICY_SELECT);
    ck_assert(!p->restrictive);
    ck_assert_str_eq(p->roles[0], "Pcsm Auditor");
    ck_assert_str_eq(p->roles[1], "pcsm_reader");
    ck_assert_ptr_null(p->with_check);
    p = pcsm_schema__policy(t, "write");
    ck_assert_int_eq(p->command, PCSM_POLICY_ALL);
    ck_assert(p->restrictive);
    ck_assert_ptr_null(p->roles);
    ck_assert_str_eq(p->with_check, "(length(body) < 1000)");

    /* Changed by hand, each attribute is a difference the diff names. */
    test_exec(conn, "ALTER POLICY \"read\" ON rls.docs TO pcsm_reader;"
                    "ALTER TABLE rls.docs FORCE ROW LEVEL SECURITY;"
                    "CREATE POLICY extra ON rls.docs USING (true)");
    pcsm_schema_free(m.live);
    ck_assert_int_eq(pcsm_schema_live(ctx, m.db, &m.live), 0);
    {
        pcsm_diff *d;
        size_t i;
        bool roles = false, force = false, extra = false;

        ck_assert_int_eq(pcsm_diff_models(ctx, m.on_server, m.live, &d), 0);
        ck_assert_uint_eq(pcsm_diff_count(d), 3);
        for (i = 0; i < pcsm_diff_count(d); i++) {
            const pcsm_diff_entry *e = pcsm_diff_at(d, i);

            if (e->object == PCSM_DIFF_POLICY && e->change == PCSM_DIFF_CHANGED) {
                ck_assert_str_eq(e->path, "docs.read");
                ck_assert_str_eq(e->attribute, "roles");
                ck_assert_str_eq(e->from, "Pcsm Auditor, pcsm_reader");
                ck_assert_str_eq(e->to, "pcsm_reader");
                roles = true;
            } else if (e->object == PCSM_DIFF_TABLE) {
                ck_assert_str_eq(e->attribute, "force_row_security");
                force = true;
            } else if (e->object == PCSM_DIFF_POLICY && e->change == PCSM_DIFF_EXTRA) {
                ck_assert_str_eq(e->path, "docs.extra");
                extra = true;
            }
        }
        ck_assert(roles && force && extra);
        pcsm_diff_free(d);
    }
    models_free(&m);
    PQfinish(conn);
}
END_TEST

/* ------------------------------------------------------------- comments */

static void comments_upgrade(pcsm_op *op)
{
    pcsm_create_table(op, "items", PCSM_COLUMNS(
        { .name = "id", .type = PCSM_INTEGER, .primary_key = true },
        { .name = "price", .type = PCSM_INTEGER, .check = "price > 0" }), NULL, NULL);
    pcsm_create_index(op, &(pcsm_index){ .name = "items_price", .table = "items",
                                         .columns = PCSM_NAMES("price") });
    pcsm_create_view(op, &(pcsm_view){ .name = "cheap", .query = "SELECT 1 AS one" });
    pcsm_create_materialized_view(op, &(pcsm_view){ .name = "n", .query = "SELECT 1 AS one" });
    test_commented_objects(op, NULL);
    pcsm_comment_on(op, PCSM_OBJECT_INDEX, "items_price", NULL, "an index");
    pcsm_comment_on(op, PCSM_OBJECT_VIEW, "cheap", NULL, "a view");
    pcsm_comment_on(op, PCSM_OBJECT_MATERIALIZED_VIEW, "n", NULL, "a materialized view");
    pcsm_comment_on(op, PCSM_OBJECT_CONSTRAINT, "items_pkey", "items", "a key");
    pcsm_comment_on(op, PCSM_OBJECT_CONSTRAINT, "items_price_check", "items", "a check");
    /* Renamed, each keeps its own. */
    pcsm_rename_table(op, "items", "goods");
    pcsm_rename_index(op, "items_price", "goods_price");
    pcsm_rename_constraint(op, "goods", "items_pkey", "goods_pkey");
}

static const pcsm_revision comments_rev[] = { {
    .id = "comments", .description = "comments",
    .create_date = "2026-12-07 00:00:00", .source_path = "tests/integration/test_catalog.c",
    .upgrade = comments_upgrade,
} };

START_TEST(test_catalog_comments)
{
    PGconn *conn = test_connect(db_name);
    struct models m;
    const struct pcsm_schema_table *t;
    pcsm_diff *d;

    /* Equal to replay, and to the declared schema built on the server (migrate_and_read). */
    migrate_and_read(conn, comments_rev, "cmt", &m);
    t = pcsm_schema__table(m.live, "goods");
    ck_assert_str_eq(pcsm_schema__constraint(t, "goods_pkey")->comment, "a key");
    ck_assert_str_eq(pcsm_schema__constraint(t, "items_price_check")->comment, "a check");
    ck_assert_str_eq(pcsm_schema__policy(t, "items_all")->comment, "a\npolicy");
    ck_assert_str_eq(pcsm_schema__index(m.live, "goods_price")->comment, "an index");
    ck_assert_str_eq(pcsm_schema__function(m.live, "twice", "integer")->comment,
                     "it's a function");
    ck_assert_ptr_null(pcsm_schema__function(m.live, "twice", "text")->comment);
    ck_assert_str_eq(pcsm_schema__view(m.live, "n")->comment, "a materialized view");
    ck_assert_uint_eq(m.live->n_unmodelled, 0);

    /*
     * By hand: one changed and one removed are the diff's, each alone; one on
     * the index behind the key, which no model holds, is listed, not compared.
     */
    test_exec(conn, "COMMENT ON TYPE cmt.mood IS 'another'; "
                    "COMMENT ON TRIGGER items_touch ON cmt.goods IS NULL; "
                    "COMMENT ON INDEX cmt.goods_pkey IS 'the key''s index'");
    pcsm_schema_free(m.live);
    ck_assert_int_eq(pcsm_schema_live(ctx, m.db, &m.live), 0);
    ck_assert_int_eq(pcsm_diff_models(ctx, m.on_server, m.live, &d), 0);
    ck_assert_uint_eq(pcsm_diff_count(d), 2);
    ck_assert_str_eq(pcsm_diff_at(d, 0)->path, "goods.items_touch");
    ck_assert_str_eq(pcsm_diff_at(d, 0)->attribute, "comment");
    ck_assert_str_eq(pcsm_diff_at(d, 0)->from, "a trigger");
    ck_assert_ptr_null(pcsm_diff_at(d, 0)->to);
    ck_assert_str_eq(pcsm_diff_at(d, 1)->path, "mood");
    ck_assert_str_eq(pcsm_diff_at(d, 1)->to, "another");
    ck_assert_uint_eq(pcsm_diff_unmodelled_count(d), 1);
    ck_assert_str_eq(pcsm_diff_unmodelled_at(d, 0)->path, "on index goods_pkey");
    pcsm_diff_free(d);
    models_free(&m);
    PQfinish(conn);
}
END_TEST

/* ----------------------------------------------------------- collations */

static void collations_upgrade(pcsm_op *op)
{
    pcsm_create_collation(op, &(pcsm_collation){ .name = "nocase",
                                                 .provider = PCSM_PROVIDER_ICU,
                                                 .locale = "und-u-ks-level2",
                                                 .nondeterministic = true });
    pcsm_create_collation(op, &(pcsm_collation){ .name = "plain", .locale = "C" });
    pcsm_create_collation(op, &(pcsm_collation){ .name = "apart", .lc_collate = "C",
                                                 .lc_ctype = "POSIX" });
    pcsm_create_table(op, "logins", PCSM_COLUMNS(
        { .name = "name", .type = PCSM_TEXT, .collation = "nocase" },
        { .name = "code", .type = PCSM_TEXT, .collation = "apart" }), NULL, NULL);
    pcsm_create_index(op, &(pcsm_index){ .name = "logins_code", .table = "logins",
        .elements = PCSM_ELEMENTS({ .column = "code", .collation = "plain" }) });
    pcsm_add_constraint(op, "logins", &(pcsm_constraint){ .kind = PCSM_EXCLUDE,
        .name = "logins_one_name",
        .elements = PCSM_ELEMENTS({ .column = "name", .collation = "plain", .with = "=" }) });
}

static const pcsm_revision collations_rev[] = { {
    .id = "collations", .description = "collations",
    .create_date = "2026-12-07 00:00:00", .source_path = "tests/integration/test_catalog.c",
    .upgrade = collations_upgrade,
} };

START_TEST(test_catalog_collations)
{
    PGconn *conn = test_connect(db_name);
    struct models m;
    const struct pcsm_schema_collation *c;
    pcsm_diff *d;

    /* Equal to replay, and to the declared schema built on the server (migrate_and_read). */
    migrate_and_read(conn, collations_rev, "coll", &m);
    ck_assert_uint_eq(m.live->n_collations, 3);
    c = pcsm_schema__collation_in(m.live, NULL, "nocase");
    ck_assert_int_eq(c->provider, PCSM_PROVIDER_ICU);
    ck_assert_str_eq(c->collate, "und-u-ks-level2");
    ck_assert(c->nondeterministic);
    c = pcsm_schema__collation_in(m.live, NULL, "apart");
    ck_assert_str_eq(c->ctype, "POSIX");
    ck_assert_uint_eq(m.live->n_unmodelled, 0);

    /* Made again by hand with another locale: the diff names the attribute. */
    test_exec(conn, "CREATE COLLATION coll.other (locale = 'POSIX'); "
                    "ALTER TABLE coll.logins ALTER COLUMN code TYPE text COLLATE coll.other; "
                    "DROP COLLATION coll.apart; "
                    "CREATE COLLATION coll.apart (lc_collate = 'POSIX', lc_ctype = 'POSIX'); "
                    "ALTER TABLE coll.logins ALTER COLUMN code TYPE text COLLATE coll.apart; "
                    "DROP COLLATION coll.other");
    pcsm_schema_free(m.live);
    ck_assert_int_eq(pcsm_schema_live(ctx, m.db, &m.live), 0);
    ck_assert_int_eq(pcsm_diff_models(ctx, m.on_server, m.live, &d), 0);
    ck_assert_uint_eq(pcsm_diff_count(d), 1);
    ck_assert_str_eq(pcsm_diff_object_name(pcsm_diff_at(d, 0)->object), "collation");
    ck_assert_str_eq(pcsm_diff_at(d, 0)->path, "apart");
    ck_assert_str_eq(pcsm_diff_at(d, 0)->attribute, "lc_collate");
    ck_assert_str_eq(pcsm_diff_at(d, 0)->from, "C");
    ck_assert_str_eq(pcsm_diff_at(d, 0)->to, "POSIX");
    pcsm_diff_free(d);
    models_free(&m);
    PQfinish(conn);
}
END_TEST

static void aux_collation_upgrade(pcsm_op *op)
{
    pcsm_create_schema(op, "coll_aux", 0);
    pcsm_set_schema(op, "coll_aux");
    pcsm_create_collation(op, &(pcsm_collation){ .name = "plain", .locale = "POSIX" });
}

static const pcsm_revision aux_collation_rev[] = { {
    .id = "aux", .description = "a collation of another schema",
    .create_date = "2026-12-07 00:00:00", .source_path = "tests/integration/test_catalog.c",
    .upgrade = aux_collation_upgrade,
} };

/*
 * A collation of another schema: check's scratch build of the declared
 * schema makes it in that schema's stand-in (not again in the schema), and
 * the schema is read though it holds nothing else.
 */
START_TEST(test_catalog_collation_of_another_schema)
{
    PGconn *conn = test_connect(db_name);
    pcsm_run_opts run = { .direction = PCSM_UPGRADE, .target = "head" };
    pcsm_revset at = PCSM_REVSET_INIT;
    pcsm_buf out = PCSM_BUF_INIT;
    pcsm_diff *d;
    pcsm_db *db;

    pcsm_ctx_free(ctx);
    ck_assert_int_eq(pcsm_ctx_new(&ctx, aux_collation_rev, 1), 0);
    test_exec(conn, "CREATE SCHEMA coll_app");
    db = connect_schema("coll_app");
    ck_assert_msg(pcsm_db_migrate(ctx, db, &run, NULL, NULL) == 0, "%s",
                  pcsm_error_last(ctx)->message);
    ck_assert_msg(pcsm_db_drift(ctx, db, &at, &d) == 0, "%s", pcsm_error_last(ctx)->message);
    pcsm_diff_text(d, &out);
    ck_assert_msg(pcsm_diff_count(d) == 0, "drift:\n%s", out.ptr);
    pcsm_diff_free(d);

    test_exec(conn, "DROP COLLATION coll_aux.plain; "
                    "CREATE COLLATION coll_aux.plain (locale = 'C')");
    ck_assert_int_eq(pcsm_db_drift(ctx, db, &at, &d), 0);
    pcsm_buf_clear(&out);
    pcsm_diff_text(d, &out);
    ck_assert_str_eq(out.ptr, "changed  collation coll_aux.plain  lc_collate: POSIX -> C\n"
                              "changed  collation coll_aux.plain  lc_ctype: POSIX -> C\n");
    pcsm_diff_free(d);
    pcsm_buf_dispose(&out);
    pcsm_revset_dispose(&at);
    pcsm_db_close(db);
    PQfinish(conn);
}
END_TEST

/* -------------------------------------------------------------- domains */

static void domains_upgrade(pcsm_op *op)
{
    pcsm_create_enum(op, "mood", PCSM_LABELS("sad", "ok"));
    pcsm_create_domain(op, &(pcsm_domain){
        .name = "weight", .type = PCSM_NUMERIC(5, 2), .default_value = PCSM_EXPR("1.5"),
        .not_null = true,
        .constraints = PCSM_CONSTRAINTS(
            { .kind = PCSM_CHECK, .name = "positive", .check = "VALUE > 0" },
            { .kind = PCSM_CHECK, .check = "VALUE < 100" }) });
    pcsm_create_domain(op, &(pcsm_domain){ .name = "heavy", .type = PCSM_NAMED_TYPE("weight"),
        .constraints = PCSM_CONSTRAINTS({ .kind = PCSM_CHECK, .check = "VALUE > 10" }) });
    pcsm_create_domain(op, &(pcsm_domain){ .name = "labels", .type = PCSM_ARRAY(PCSM_TEXT),
                                           .collation = "C" });
    pcsm_create_domain(op, &(pcsm_domain){ .name = "code", .type = PCSM_VARCHAR(8),
                                           .default_value = PCSM_LITERAL("x") });
    pcsm_create_domain(op, &(pcsm_domain){ .name = "good_mood", .type = PCSM_NAMED_TYPE("mood"),
        .constraints = PCSM_CONSTRAINTS({ .kind = PCSM_CHECK, .check = "VALUE <> 'sad'" }) });
    pcsm_create_domain(op, &(pcsm_domain){ .name = "stamp", .type = PCSM_TIMESTAMPTZ_P(0) });
    pcsm_create_table(op, "parcels", PCSM_COLUMNS(
        { .name = "w", .type = PCSM_NAMED_TYPE("heavy") },
        { .name = "l", .type = PCSM_NAMED_TYPE("labels") },
        { .name = "c", .type = PCSM_NAMED_TYPE("code"), .default_value = PCSM_LITERAL("y") },
        { .name = "m", .type = PCSM_NAMED_TYPE("good_mood") },
        { .name = "s", .type = PCSM_ARRAY(PCSM_NAMED_TYPE("stamp")) }), NULL, NULL);
    pcsm_add_domain_constraint(op, "code", &(pcsm_constraint){
        .kind = PCSM_CHECK, .name = "short", .check = "length(VALUE) < 4", .not_valid = true });
    pcsm_comment_on(op, PCSM_OBJECT_DOMAIN, "weight", NULL, "in kg");
    pcsm_comment_on(op, PCSM_OBJECT_TYPE, "heavy", NULL, "a type's comment on a domain");
}

static const pcsm_revision domains_rev[] = { {
    .id = "domains", .description = "domains",
    .create_date = "2026-12-07 00:00:00", .source_path = "tests/integration/test_catalog.c",
    .upgrade = domains_upgrade,
} };

START_TEST(test_catalog_domains)
{
    PGconn *conn = test_connect(db_name);
    struct models m;
    const struct pcsm_schema_domain *d;
    pcsm_buf out = PCSM_BUF_INIT;
    pcsm_diff *diff;

    /* Equal to replay, and to the declared schema built on the server (migrate_and_read). */
    migrate_and_read(conn, domains_rev, "dom", &m);
    ck_assert_uint_eq(m.live->n_domains, 6);
    d = pcsm_schema__domain_in(m.live, NULL, "weight");
    ck_assert_int_eq(d->type.kind, PCSM_TYPE_NUMERIC);
    ck_assert(d->not_null);
    ck_assert_uint_eq(d->n_constraints, 2);
    ck_assert_str_eq(d->constraints[1].name, "weight_check");
    ck_assert_str_eq(d->comment, "in kg");
    d = pcsm_schema__domain_in(m.live, NULL, "heavy");
    ck_assert_str_eq(d->type.name, "weight");
    ck_assert_str_eq(d->comment, "a type's comment on a domain");
    d = pcsm_schema__domain_in(m.live, NULL, "labels");
    ck_assert_int_eq(d->type.array_dims, 1);
    ck_assert_str_eq(d->collation, "C");
    ck_assert(pcsm_schema__domain_constraint(pcsm_schema__domain_in(m.live, NULL, "code"),
                                             "short")->not_valid);
    ck_assert_uint_eq(m.live->n_unmodelled, 0);

    /* By hand: a default, NOT NULL, a CHECK changed, one gone, one more, a comment. */
    test_exec(conn, "ALTER DOMAIN dom.weight SET DEFAULT 2; "
                    "ALTER DOMAIN dom.weight DROP NOT NULL; "
                    "ALTER DOMAIN dom.weight DROP CONSTRAINT weight_check; "
                    "ALTER DOMAIN dom.weight ADD CONSTRAINT weight_check CHECK (VALUE < 50); "
                    "ALTER DOMAIN dom.heavy DROP CONSTRAINT heavy_check; "
                    "ALTER DOMAIN dom.code VALIDATE CONSTRAINT short; "
                    "ALTER DOMAIN dom.code ADD CONSTRAINT more CHECK (VALUE <> 'z'); "
                    "COMMENT ON DOMAIN dom.weight IS NULL; "
                    "COMMENT ON CONSTRAINT more ON DOMAIN dom.code IS 'unmodelled'");
    pcsm_schema_free(m.live);
    ck_assert_int_eq(pcsm_schema_live(ctx, m.db, &m.live), 0);
    ck_assert_int_eq(pcsm_diff_models(ctx, m.on_server, m.live, &diff), 0);
    pcsm_diff_text(diff, &out);
    ck_assert_str_eq(out.ptr,
        "extra    domain constraint code.more\n"
        "changed  domain constraint code.short  not_valid: true -> false\n"
        "missing  domain constraint heavy.heavy_check\n"
        "changed  domain weight  comment: in kg -> (none)\n"
        "changed  domain weight  default: 1.5 -> 2\n"
        "changed  domain weight  not_null: true -> false\n"
        "changed  domain constraint weight.weight_check  check: (VALUE < (100)::numeric) -> "
        "(VALUE < (50)::numeric)\n"
        "unverified  to: comment on constraint more on domain code  (not modelled)\n");
    pcsm_buf_dispose(&out);
    pcsm_diff_free(diff);
    models_free(&m);
    PQfinish(conn);
}
END_TEST

/* ------------------------------------------------------ composite types */

static void composites_upgrade(pcsm_op *op)
{
    pcsm_create_enum(op, "mood", PCSM_LABELS("sad", "ok"));
    pcsm_create_domain(op, &(pcsm_domain){ .name = "cents", .type = PCSM_BIGINT });
    pcsm_create_composite_type(op, "price", PCSM_ATTRIBUTES(
        { .name = "amount", .type = PCSM_NAMED_TYPE("cents") },
        { .name = "currency", .type = PCSM_CHAR(3), .collation = "C" },
        { .name = "tags", .type = PCSM_ARRAY(PCSM_VARCHAR(10)) },
        { .name = "mood", .type = PCSM_NAMED_TYPE("mood") },
        { .name = "at", .type = PCSM_TIMESTAMPTZ_P(0) }));
    pcsm_create_composite_type(op, "offer", PCSM_ATTRIBUTES(
        { .name = "p", .type = PCSM_NAMED_TYPE("price") },
        { .name = "gone", .type = PCSM_TEXT },
        { .name = "n", .type = PCSM_NUMERIC(6, 2) }));
    pcsm_drop_attribute(op, "offer", "gone", 0);
    pcsm_create_table(op, "offers", PCSM_COLUMNS(
        { .name = "o", .type = PCSM_NAMED_TYPE("offer") },
        { .name = "ps", .type = PCSM_ARRAY(PCSM_NAMED_TYPE("price")) }), NULL, NULL);
    pcsm_comment_on(op, PCSM_OBJECT_TYPE, "price", NULL, "an amount and its currency");
}

static const pcsm_revision composites_rev[] = { {
    .id = "composites", .description = "composite types",
    .create_date = "2026-12-07 00:00:00", .source_path = "tests/integration/test_catalog.c",
    .upgrade = composites_upgrade,
} };

START_TEST(test_catalog_composite_types)
{
    PGconn *conn = test_connect(db_name);
    struct models m;
    const struct pcsm_schema_composite *c;
    pcsm_buf out = PCSM_BUF_INIT;
    pcsm_diff *diff;

    /* Equal to replay (a dropped attribute is none), and to the declared schema on the server. */
    migrate_and_read(conn, composites_rev, "comp", &m);
    ck_assert_uint_eq(m.live->n_composites, 2);
    c = pcsm_schema__composite_in(m.live, NULL, "offer");
    ck_assert_uint_eq(c->n_attributes, 2);
    ck_assert_str_eq(c->attributes[1].name, "n");
    c = pcsm_schema__composite_in(m.live, NULL, "price");
    ck_assert_str_eq(c->attributes[1].collation, "C");
    ck_assert_int_eq(c->attributes[2].type.array_dims, 1);
    ck_assert_str_eq(c->comment, "an amount and its currency");
    ck_assert_uint_eq(m.live->n_unmodelled, 0);

    test_exec(conn, "ALTER TYPE comp.offer ADD ATTRIBUTE extra date; "
                    "COMMENT ON TYPE comp.price IS NULL; "
                    "COMMENT ON COLUMN comp.price.amount IS 'in cents'; "
                    "CREATE TYPE comp.stray AS (x integer)");
    pcsm_schema_free(m.live);
    ck_assert_int_eq(pcsm_schema_live(ctx, m.db, &m.live), 0);
    ck_assert_int_eq(pcsm_diff_models(ctx, m.on_server, m.live, &diff), 0);
    pcsm_diff_text(diff, &out);
    ck_assert_str_eq(out.ptr,
        "changed  composite type offer  attributes: p \"price\", n numeric(6,2) -> "
        "p \"price\", n numeric(6,2), extra date\n"
        "changed  composite type price  comment: an amount and its currency -> (none)\n"
        "extra    composite type stray\n"
        "unverified  to: comment on composite type price.amount  (not modelled)\n");
    pcsm_buf_dispose(&out);
    pcsm_diff_free(diff);
    models_free(&m);
    PQfinish(conn);
}
END_TEST

/* ----------------------------------------------------------- range types */

static void ranges_upgrade(pcsm_op *op)
{
    pcsm_create_enum(op, "mood", PCSM_LABELS("sad", "ok", "happy"));
    pcsm_create_function(op, &(pcsm_function){
        .name = "mood_diff", .arguments = "a mood, b mood", .returns = "double precision",
        .language = "sql", .body = "SELECT 0::float8", .volatility = PCSM_IMMUTABLE });
    pcsm_create_range_type(op, &(pcsm_range_type){ .name = "mood_range",
        .subtype = PCSM_NAMED_TYPE("mood"), .subtype_diff = "mood_diff" });
    pcsm_create_range_type(op, &(pcsm_range_type){ .name = "floatrange",
        .subtype = PCSM_DOUBLE, .subtype_diff = "float8mi" });
    pcsm_create_range_type(op, &(pcsm_range_type){ .name = "span", .subtype = PCSM_TEXT,
        .subtype_opclass = "text_pattern_ops", .collation = "C",
        .multirange_type_name = "spans" });
    /* Another type's default class is not this subtype's: oid_ops orders integers unsigned. */
    pcsm_create_range_type(op, &(pcsm_range_type){ .name = "unsigned_range",
        .subtype = PCSM_INTEGER, .subtype_opclass = "oid_ops" });
    /* varchar's default class is text_ops (text is the preferred type), not bpchar_ops. */
    pcsm_create_range_type(op, &(pcsm_range_type){ .name = "blank_padded_range",
        .subtype = PCSM_VARCHAR(0), .subtype_opclass = "bpchar_ops" });
    pcsm_create_domain(op, &(pcsm_domain){ .name = "positive", .type = PCSM_INTEGER,
        .constraints = PCSM_CONSTRAINTS({ .kind = PCSM_CHECK, .check = "VALUE > 0" }) });
    pcsm_create_range_type(op, &(pcsm_range_type){ .name = "pos",
        .subtype = PCSM_NAMED_TYPE("positive") });
    /* The server's multirange names at 63 bytes: "range" made "multirange", or a suffix. */
    pcsm_create_range_type(op, &(pcsm_range_type){
        .name = "yyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyrange",
        .subtype = PCSM_DATE });
    pcsm_create_range_type(op, &(pcsm_range_type){
        .name = "long_xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx",
        .subtype = PCSM_BIGINT });
    pcsm_create_table(op, "bookings", PCSM_COLUMNS(
        { .name = "during", .type = PCSM_NAMED_TYPE("floatrange") },
        { .name = "moods", .type = PCSM_NAMED_TYPE("mood_multirange") },
        { .name = "words", .type = PCSM_NAMED_TYPE("spans") },
        { .name = "p", .type = PCSM_NAMED_TYPE("pos") }), NULL, NULL);
    pcsm_comment_on(op, PCSM_OBJECT_TYPE, "mood_range", NULL, "moods from, to");
    pcsm_revoke(op, &(pcsm_privileges){ .on = PCSM_PRIVILEGE_TYPE, .name = "floatrange",
        .privileges = PCSM_PRIV_USAGE, .roles = PCSM_NAMES("public") });
}

static const pcsm_revision ranges_rev[] = { {
    .id = "ranges", .description = "range types",
    .create_date = "2026-12-07 00:00:00", .source_path = "tests/integration/test_catalog.c",
    .upgrade = ranges_upgrade,
} };

START_TEST(test_catalog_range_types)
{
    PGconn *conn = test_connect(db_name);
    struct models m;
    const struct pcsm_schema_range *r;
    pcsm_buf out = PCSM_BUF_INIT;
    pcsm_diff *diff;
    PGresult *res;

    /* Equal to replay, and to the declared schema on the server; no constructor listed. */
    migrate_and_read(conn, ranges_rev, "rng", &m);
    ck_assert_uint_eq(m.live->n_ranges, 8);
    ck_assert_str_eq(pcsm_schema__range_in(m.live, NULL, "blank_padded_range")->subtype_opclass,
                     "bpchar_ops");
    ck_assert_uint_eq(m.live->n_functions, 1);
    ck_assert_str_eq(pcsm_schema__range_in(m.live, NULL, "unsigned_range")->subtype_opclass,
                     "oid_ops");
    ck_assert_uint_eq(m.live->n_unmodelled, 0);
    r = pcsm_schema__range_in(m.live, NULL, "span");
    ck_assert_str_eq(r->subtype_opclass, "text_pattern_ops");
    ck_assert_str_eq(r->collation, "C");
    ck_assert_str_eq(r->multirange, "spans");
    r = pcsm_schema__range_in(m.live, NULL, "floatrange");
    ck_assert_str_eq(r->subtype_diff, "float8mi");
    ck_assert_ptr_null(r->subtype_diff_schema);
    ck_assert_ptr_null(r->multirange);
    /* What the server named them, as the model derives it. */
    res = PQexec(conn, "SELECT string_agg(m.typname, ',' ORDER BY m.typname) FROM pg_range g "
                          "JOIN pg_type m ON m.oid = g.rngmultitypid JOIN pg_type t "
                          "ON t.oid = g.rngtypid WHERE t.typnamespace = 'rng'::regnamespace "
                          "AND length(t.typname) = 60");
    ck_assert_int_eq(PQresultStatus(res), PGRES_TUPLES_OK);
    ck_assert_str_eq(PQgetvalue(res, 0, 0),
        "long_xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx_multirange,"
        "yyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyymultiran");
    PQclear(res);

    test_exec(conn, "COMMENT ON TYPE rng.mood_range IS NULL; "
                    "GRANT USAGE ON TYPE rng.floatrange TO PUBLIC; "
                    "COMMENT ON TYPE rng.spans IS 'many'; "
                    "DROP TYPE rng.pos CASCADE; "
                    "CREATE TYPE rng.pos AS RANGE (SUBTYPE = integer); "
                    "CREATE TYPE rng.stray AS RANGE (SUBTYPE = numeric, "
                    "MULTIRANGE_TYPE_NAME = strays)");
    pcsm_schema_free(m.live);
    ck_assert_int_eq(pcsm_schema_live(ctx, m.db, &m.live), 0);
    ck_assert_int_eq(pcsm_diff_models(ctx, m.on_server, m.live, &diff), 0);
    pcsm_diff_text(diff, &out);
    ck_assert_str_eq(out.ptr,
        "missing  column bookings.p\n"
        "changed  range type floatrange  privileges: (none) -> PUBLIC: USAGE\n"
        "changed  range type mood_range  comment: moods from, to -> (none)\n"
        "changed  range type pos  subtype: \"positive\" -> integer\n"
        "extra    range type stray\n"
        "unverified  to: comment on type spans  (not modelled)\n");
    pcsm_buf_dispose(&out);
    pcsm_diff_free(diff);
    models_free(&m);
    PQfinish(conn);
}
END_TEST

/* ---------------------------------------------------------- inheritance */

static void inheritance_upgrade(pcsm_op *op)
{
    pcsm_create_table(op, "animals", PCSM_COLUMNS(
        { .name = "id", .type = PCSM_INTEGER, .not_null = true },
        { .name = "name", .type = PCSM_TEXT, .default_value = PCSM_LITERAL("x") }),
        PCSM_CONSTRAINTS({ .kind = PCSM_CHECK, .name = "animals_id_check", .check = "id > 0" }),
        NULL);
    pcsm_create_table(op, "pets", PCSM_COLUMNS({ .name = "owner", .type = PCSM_TEXT,
                                                 .collation = "C" }), NULL, NULL);
    pcsm_create_table_inherits(op, "dogs", PCSM_NAMES("animals", "pets"), PCSM_COLUMNS(
        { .name = "name", .type = PCSM_TEXT, .not_null = true },
        { .name = "breed", .type = PCSM_TEXT }),
        PCSM_CONSTRAINTS({ .kind = PCSM_CHECK, .check = "breed <> ''" }), "good dogs");
    pcsm_create_table_inherits(op, "puppies", PCSM_NAMES("dogs"), NULL, NULL, NULL);
    pcsm_set_default(op, "puppies", "breed", PCSM_LITERAL("mutt"));
    pcsm_create_table(op, "cats", PCSM_COLUMNS(
        { .name = "id", .type = PCSM_INTEGER, .not_null = true },
        { .name = "name", .type = PCSM_TEXT }, { .name = "lives", .type = PCSM_INTEGER }),
        PCSM_CONSTRAINTS({ .kind = PCSM_CHECK, .name = "animals_id_check", .check = "id > 0" }),
        NULL);
    pcsm_inherit(op, "cats", "animals");
    pcsm_create_table(op, "birds", PCSM_COLUMNS(
        { .name = "wings", .type = PCSM_INTEGER },
        { .name = "id", .type = PCSM_INTEGER, .not_null = true },
        { .name = "name", .type = PCSM_TEXT }),
        PCSM_CONSTRAINTS({ .kind = PCSM_CHECK, .name = "animals_id_check", .check = "id > 0" }),
        NULL);
    pcsm_inherit(op, "birds", "animals");
    pcsm_no_inherit(op, "birds", "animals");
    /* What reaches the children, and what stays theirs. */
    pcsm_add_column(op, "animals", &(pcsm_column){ .name = "age", .type = PCSM_INTEGER,
                                                   .default_value = PCSM_EXPR("0") });
    pcsm_add_column(op, "animals", &(pcsm_column){ .name = "lives", .type = PCSM_INTEGER });
    pcsm_rename_column(op, "animals", "name", "label");
    pcsm_alter_column_type(op, "animals", "age", PCSM_BIGINT, NULL);
    pcsm_add_constraint(op, "animals", &(pcsm_constraint){ .kind = PCSM_CHECK,
                                                           .name = "age_ok",
                                                           .check = "age >= 0" });
    pcsm_set_not_null(op, "animals", "age");
    pcsm_drop_column(op, "animals", "lives", 0);
    pcsm_create_table(op, "scratch", PCSM_COLUMNS({ .name = "id", .type = PCSM_INTEGER,
                                                    .not_null = true },
                                                  { .name = "label", .type = PCSM_TEXT },
                                                  { .name = "age", .type = PCSM_BIGINT,
                                                    .not_null = true }),
        PCSM_CONSTRAINTS({ .kind = PCSM_CHECK, .name = "animals_id_check", .check = "id > 0" },
                         { .kind = PCSM_CHECK, .name = "age_ok", .check = "age >= 0" }),
        NULL);
    pcsm_inherit(op, "scratch", "animals");
    pcsm_drop_constraint(op, "animals", "animals_id_check", 0);
    pcsm_rename_table(op, "animals", "beasts");
    /* A child with CHECKs of its own and no columns of its own. */
    pcsm_create_table_inherits(op, "spare_pets", PCSM_NAMES("pets"), NULL,
        PCSM_CONSTRAINTS({ .kind = PCSM_CHECK, .name = "spare_owner", .check = "owner <> ''" }),
        NULL);
    /* A generated column merged: the parent's expression, the child's own column. */
    pcsm_create_table(op, "gen", PCSM_COLUMNS({ .name = "a", .type = PCSM_INTEGER },
                                              { .name = "b", .type = PCSM_INTEGER,
                                                .generated = "a * 2" }), NULL, NULL);
    pcsm_create_table_inherits(op, "gen_child", PCSM_NAMES("gen"),
                               PCSM_COLUMNS({ .name = "b", .type = PCSM_INTEGER }), NULL, NULL);
    /* One parent's default and another's none are no conflict. */
    pcsm_create_table(op, "d1", PCSM_COLUMNS({ .name = "a", .type = PCSM_INTEGER }), NULL, NULL);
    pcsm_create_table(op, "d2", PCSM_COLUMNS({ .name = "a", .type = PCSM_INTEGER,
                                               .default_value = PCSM_EXPR("1") }), NULL, NULL);
    pcsm_create_table_inherits(op, "dc", PCSM_NAMES("d1", "d2"), NULL, NULL, NULL);
    /* A NOT VALID CHECK reaches the children so; a child made after has it valid. */
    pcsm_add_constraint(op, "pets", &(pcsm_constraint){ .kind = PCSM_CHECK, .name = "nv",
                                                        .check = "owner <> 'x'",
                                                        .not_valid = true });
    pcsm_create_table_inherits(op, "late_pets", PCSM_NAMES("pets"), NULL, NULL, NULL);
    /* A primary key's NOT NULL reaches the children. */
    pcsm_create_table(op, "pk_parent", PCSM_COLUMNS({ .name = "a", .type = PCSM_INTEGER }),
                      NULL, NULL);
    pcsm_create_table_inherits(op, "pk_child", PCSM_NAMES("pk_parent"), NULL, NULL, NULL);
    pcsm_add_constraint(op, "pk_parent", &(pcsm_constraint){ .kind = PCSM_PRIMARY_KEY,
                                                             .columns = PCSM_NAMES("a") });
}

static const pcsm_revision inheritance_rev[] = { {
    .id = "inheritance", .description = "table inheritance",
    .create_date = "2026-12-07 00:00:00", .source_path = "tests/integration/test_catalog.c",
    .upgrade = inheritance_upgrade,
} };

START_TEST(test_catalog_inheritance)
{
    PGconn *conn = test_connect(db_name);
    struct models m;
    const struct pcsm_schema_table *t;
    pcsm_buf out = PCSM_BUF_INIT;
    pcsm_diff *diff;

    /* Equal to replay, and to the declared schema on the server. */
    migrate_and_read(conn, inheritance_rev, "inh", &m);
    ck_assert_uint_eq(m.live->n_unmodelled, 0);
    t = pcsm_schema__table(m.live, "dogs");
    ck_assert_str_eq(t->inherits[0], "beasts");
    ck_assert_str_eq(t->inherits[1], "pets");
    ck_assert_ptr_null(t->inherits[2]);
    ck_assert(t->columns[0].inherited_only);        /* id */
    ck_assert(!t->columns[1].inherited_only);       /* label, merged */
    ck_assert(pcsm_schema__constraint(t, "age_ok")->inherited_only);
    ck_assert_ptr_null(pcsm_schema__constraint(t, "animals_id_check"));
    ck_assert_ptr_null(pcsm_schema__table(m.live, "birds")->inherits);
    ck_assert_ptr_nonnull(pcsm_schema__column(pcsm_schema__table(m.live, "cats"), "lives"));
    ck_assert_ptr_nonnull(pcsm_schema__constraint(pcsm_schema__table(m.live, "cats"),
                                                  "animals_id_check"));
    ck_assert(pcsm_schema__column(pcsm_schema__table(m.live, "pk_child"), "a")->not_null);
    ck_assert_str_eq(pcsm_schema__column(pcsm_schema__table(m.live, "dc"), "a")
                     ->default_value.text, "1");
    ck_assert(!pcsm_schema__constraint(pcsm_schema__table(m.live, "late_pets"), "nv")
              ->not_valid);
    ck_assert(pcsm_schema__constraint(pcsm_schema__table(m.live, "dogs"), "nv")->not_valid);
    ck_assert_str_eq(pcsm_schema__column(pcsm_schema__table(m.live, "gen_child"), "b")
                     ->generated, "(a * 2)");

    test_exec(conn, "ALTER TABLE inh.cats NO INHERIT inh.beasts; "
                    "ALTER TABLE inh.birds ADD COLUMN age bigint NOT NULL; "
                    "ALTER TABLE inh.birds ADD CONSTRAINT age_ok CHECK (age >= 0); "
                    "ALTER TABLE inh.birds ALTER COLUMN id TYPE integer; "
                    "ALTER TABLE inh.birds RENAME COLUMN name TO label; "
                    "ALTER TABLE inh.birds INHERIT inh.beasts; "
                    "CREATE SCHEMA inh_other; "
                    "CREATE TABLE inh_other.far (x int); "
                    "CREATE TABLE inh.near () INHERITS (inh_other.far)");
    pcsm_schema_free(m.live);
    ck_assert_int_eq(pcsm_schema_live(ctx, m.db, &m.live), 0);
    ck_assert_int_eq(pcsm_diff_models(ctx, m.on_server, m.live, &diff), 0);
    pcsm_diff_text(diff, &out);
    ck_assert_str_eq(out.ptr,
        "changed  table birds  inherits: (none) -> beasts\n"
        "extra    column birds.age\n"
        "extra    constraint birds.age_ok\n"
        "extra    column birds.label\n"
        "missing  column birds.name\n"
        "changed  table cats  inherits: beasts -> (none)\n"
        "extra    table near\n"
        "unverified  to: inheritance near inherits far  (not modelled)\n");
    pcsm_buf_dispose(&out);
    pcsm_diff_free(diff);
    test_exec(conn, "DROP SCHEMA inh_other CASCADE");
    models_free(&m);
    PQfinish(conn);
}
END_TEST

/* ------------------------------------------------------- trigger firing */

static void firing_upgrade(pcsm_op *op)
{
    pcsm_create_table(op, "t", PCSM_COLUMNS({ .name = "a", .type = PCSM_INTEGER }), NULL, NULL);
    pcsm_create_function(op, &(pcsm_function){ .name = "touch", .arguments = "",
                                               .returns = "trigger", .language = "plpgsql",
                                               .body = "BEGIN RETURN NEW; END" });
    pcsm_create_trigger(op, &(pcsm_trigger){ .name = "off", .table = "t", .timing = PCSM_BEFORE,
                                             .events = PCSM_ON_INSERT, .for_each_row = true,
                                             .function = "touch" });
    pcsm_create_trigger(op, &(pcsm_trigger){ .name = "replica", .table = "t",
                                             .timing = PCSM_BEFORE, .events = PCSM_ON_UPDATE,
                                             .for_each_row = true, .function = "touch" });
    pcsm_create_trigger(op, &(pcsm_trigger){ .name = "always", .table = "t",
                                             .timing = PCSM_AFTER, .events = PCSM_ON_DELETE,
                                             .function = "touch" });
    pcsm_set_trigger_firing(op, "t", "off", PCSM_TRIGGER_DISABLE);
    pcsm_set_trigger_firing(op, "t", "replica", PCSM_TRIGGER_ENABLE_REPLICA);
    pcsm_set_trigger_firing(op, "t", "always", PCSM_TRIGGER_DISABLE);
    pcsm_set_trigger_firing(op, "t", "always", PCSM_TRIGGER_ENABLE_ALWAYS);
    /* A partitioned table's row trigger: its partition's clone fires as it does. */
    pcsm_create_partitioned_table(op, "d", PCSM_PARTITION_BY(PCSM_PARTITION_LIST,
                                                             { .column = "id" }),
                                  PCSM_COLUMNS({ .name = "id", .type = PCSM_INTEGER }),
                                  NULL, NULL);
    pcsm_create_partition(op, &(pcsm_partition){ .name = "d1", .parent = "d",
                                                 .bound = "DEFAULT" });
    pcsm_create_trigger(op, &(pcsm_trigger){ .name = "tr", .table = "d", .timing = PCSM_AFTER,
                                             .events = PCSM_ON_INSERT, .for_each_row = true,
                                             .function = "touch" });
    pcsm_set_trigger_firing(op, "d", "tr", PCSM_TRIGGER_DISABLE);
}

static const pcsm_revision firing_rev[] = { {
    .id = "firing", .description = "trigger firing",
    .create_date = "2026-12-07 00:00:00", .source_path = "tests/integration/test_catalog.c",
    .upgrade = firing_upgrade,
} };

/* pcsm_set_trigger_firing() sets pg_trigger.tgenabled; a change by hand shows. */
START_TEST(test_catalog_trigger_firing)
{
    PGconn *conn = test_connect(db_name);
    struct models m;
    const struct pcsm_schema_table *t;
    pcsm_buf out = PCSM_BUF_INIT;
    pcsm_diff *diff;
    PGresult *res;

    migrate_and_read(conn, firing_rev, "fire", &m);
    res = PQexec(conn, "SELECT string_agg(tgname || '=' || tgenabled::text, ' ' "
                       "ORDER BY tgname) FROM pg_trigger WHERE tgrelid = 'fire.t'::regclass");
    ck_assert_str_eq(PQgetvalue(res, 0, 0), "always=A off=D replica=R");
    PQclear(res);
    t = pcsm_schema__table(m.live, "t");
    ck_assert_int_eq(pcsm_schema__trigger(t, "off")->firing, PCSM_TRIGGER_DISABLE);
    ck_assert_int_eq(pcsm_schema__trigger(t, "replica")->firing, PCSM_TRIGGER_ENABLE_REPLICA);
    ck_assert_int_eq(pcsm_schema__trigger(t, "always")->firing, PCSM_TRIGGER_ENABLE_ALWAYS);

    res = PQexec(conn, "SELECT tgenabled FROM pg_trigger WHERE tgrelid = 'fire.d1'::regclass");
    ck_assert_str_eq(PQgetvalue(res, 0, 0), "D");   /* DISABLE on d reached the clone */
    PQclear(res);
    ck_assert_uint_eq(m.live->n_unmodelled, 0);
    /* A clone set to fire otherwise than its parent's trigger is named, not passed over. */
    test_exec(conn, "ALTER TABLE fire.t ENABLE TRIGGER off; "
                    "ALTER TABLE fire.t DISABLE TRIGGER always; "
                    "ALTER TABLE fire.d1 ENABLE TRIGGER tr");
    pcsm_schema_free(m.live);
    ck_assert_int_eq(pcsm_schema_live(ctx, m.db, &m.live), 0);
    ck_assert_int_eq(pcsm_diff_models(ctx, m.on_server, m.live, &diff), 0);
    pcsm_diff_text(diff, &out);
    ck_assert_str_eq(out.ptr,
        "changed  trigger t.always  enabled: always -> false\n"
        "changed  trigger t.off  enabled: false -> true\n"
        "unverified  to: trigger firing d1.tr O  (not modelled)\n");
    pcsm_buf_dispose(&out);
    pcsm_diff_free(diff);
    models_free(&m);
    PQfinish(conn);
}
END_TEST

/* ------------------------------------------------------ an enum made again */

static void recreate_upgrade(pcsm_op *op)
{
    pcsm_create_enum(op, "mood", PCSM_LABELS("sad", "ok", "happy"));
    pcsm_comment_on(op, PCSM_OBJECT_TYPE, "mood", NULL, "feelings");
    pcsm_create_table(op, "kids", PCSM_COLUMNS(
        { .name = "id", .type = PCSM_INTEGER },
        { .name = "mood", .type = PCSM_NAMED_TYPE("mood"), .default_value = PCSM_LITERAL("ok") },
        { .name = "moods", .type = PCSM_ARRAY(PCSM_NAMED_TYPE("mood")) }), NULL, NULL);
    pcsm_create_table_inherits(op, "big_kids", PCSM_NAMES("kids"), NULL, NULL, NULL);
    pcsm_create_partitioned_table(op, "days",
        PCSM_PARTITION_BY(PCSM_PARTITION_LIST, { .column = "id" }),
        PCSM_COLUMNS({ .name = "id", .type = PCSM_INTEGER },
                     { .name = "mood", .type = PCSM_NAMED_TYPE("mood") }), NULL, NULL);
    pcsm_create_partition(op, &(pcsm_partition){ .name = "days_all", .parent = "days",
                                                 .bound = "DEFAULT" });
    pcsm_recreate_enum(op, "mood", PCSM_LABELS("happy", "ok"), PCSM_ENUM_COLUMNS(
        { .table = "kids", .column = "mood", .default_value = PCSM_LITERAL("happy") },
        { .table = "kids", .column = "moods", .array = true },
        { .table = "days", .column = "mood" }));
}

static const pcsm_revision recreate_rev[] = { {
    .id = "recreate", .description = "an enum made again",
    .create_date = "2026-12-07 00:00:00", .source_path = "tests/integration/test_catalog.c",
    .upgrade = recreate_upgrade,
} };

/*
 * pcsm_recreate_enum() on the server: the labels, every column of the type
 * (an inheriting table's and a partition's reached from their parent's),
 * the default set again, no comment; the old type gone.
 */
START_TEST(test_catalog_recreate_enum)
{
    PGconn *conn = test_connect(db_name);
    struct models m;
    const struct pcsm_schema_type *ty;
    const struct pcsm_schema_column *c;
    PGresult *res;

    migrate_and_read(conn, recreate_rev, "rec", &m);
    ty = pcsm_schema__type(m.live, "mood");
    ck_assert_uint_eq(ty->n_labels, 2);
    ck_assert_str_eq(ty->labels[0], "happy");
    ck_assert_str_eq(ty->labels[1], "ok");
    ck_assert_ptr_null(ty->comment);
    ck_assert_ptr_null(pcsm_schema__type(m.live, "pcsm_enum_old"));
    c = pcsm_schema__column(pcsm_schema__table(m.live, "kids"), "mood");
    ck_assert_msg(strstr(c->default_value.text, "happy"), "%s", c->default_value.text);
    c = pcsm_schema__column(pcsm_schema__table(m.live, "big_kids"), "mood");
    ck_assert_msg(strstr(c->default_value.text, "happy"), "%s", c->default_value.text);
    ck_assert_int_eq(pcsm_schema__column(pcsm_schema__table(m.live, "kids"), "moods")
                     ->type.array_dims, 1);
    res = PQexec(conn, "SELECT count(*) FROM pg_attribute a JOIN pg_class c ON c.oid = "
                       "a.attrelid WHERE c.relnamespace = 'rec'::regnamespace AND "
                       "a.atttypid IN ('rec.mood'::regtype, 'rec.mood[]'::regtype) AND "
                       "a.attnum > 0");
    ck_assert_str_eq(PQgetvalue(res, 0, 0), "6");      /* kids 2, big_kids 2, days 1, days_all 1 */
    PQclear(res);
    res = PQexec(conn, "SELECT count(*) FROM pg_type WHERE typname = 'pcsm_enum_old'");
    ck_assert_str_eq(PQgetvalue(res, 0, 0), "0");
    PQclear(res);
    models_free(&m);
    PQfinish(conn);
}
END_TEST

/* ----------------------------------------------------------- partitions */

static void partitions_upgrade(pcsm_op *op)
{
    pcsm_create_function(op, &(pcsm_function){
        .name = "touch", .returns = "trigger", .language = "plpgsql",
        .body = "BEGIN\n    RETURN NEW;\nEND;" });
    pcsm_create_partitioned_table(op, "events",
        PCSM_PARTITION_BY(PCSM_PARTITION_RANGE, { .column = "at" }),
        PCSM_COLUMNS({ .name = "id", .type = PCSM_BIGINT, .not_null = true },
                     { .name = "at", .type = PCSM_DATE, .not_null = true,
                       .default_value = PCSM_EXPR("CURRENT_DATE") },
                     { .name = "region", .type = PCSM_TEXT, .collation = "C",
                       .not_null = true },
                     { .name = "n", .type = PCSM_INTEGER, .check = "n > 0" }),
        PCSM_CONSTRAINTS({ .kind = PCSM_PRIMARY_KEY,
                           .columns = PCSM_NAMES("id", "at", "region") }),
        "what happened");
    pcsm_create_index(op, &(pcsm_index){ .table = "events", .columns = PCSM_NAMES("region") });
    pcsm_create_trigger(op, &(pcsm_trigger){ .name = "events_touch", .table = "events",
                                             .timing = PCSM_BEFORE, .events = PCSM_ON_UPDATE,
                                             .for_each_row = true, .function = "touch" });
    pcsm_create_partition(op, &(pcsm_partition){
        .name = "events_2026", .parent = "events",
        .bound = "FOR VALUES FROM ('2026-01-01') TO ('2027-01-01')",
        .partition_by = PCSM_PARTITION_BY(PCSM_PARTITION_LIST, { .column = "region" }) });
    pcsm_create_partition(op, &(pcsm_partition){
        .name = "events_2026_eu", .parent = "events_2026", .bound = "FOR VALUES IN ('eu')",
        .constraints = PCSM_CONSTRAINTS({ .kind = PCSM_CHECK, .name = "eu_small",
                                          .check = "n < 1000" }),
        .comment = "Europe" });
    pcsm_create_partition(op, &(pcsm_partition){ .name = "events_old", .parent = "events",
                                                 .bound = "DEFAULT" });
    pcsm_set_default(op, "events_old", "n", PCSM_LITERAL("1"));
    pcsm_create_table(op, "events_2025", PCSM_COLUMNS(
        { .name = "n", .type = PCSM_INTEGER }, { .name = "id", .type = PCSM_BIGINT,
                                                 .not_null = true },
        { .name = "at", .type = PCSM_DATE, .not_null = true },
        { .name = "region", .type = PCSM_TEXT, .collation = "C", .not_null = true }),
        PCSM_CONSTRAINTS({ .kind = PCSM_CHECK, .name = "events_n_check", .check = "n > 0" },
                         { .kind = PCSM_PRIMARY_KEY,
                           .columns = PCSM_NAMES("id", "at", "region") }),
        NULL);
    pcsm_create_index(op, &(pcsm_index){ .name = "e25_region", .table = "events_2025",
                                         .columns = PCSM_NAMES("region") });
    pcsm_attach_partition(op, "events", "events_2025",
                          "FOR VALUES FROM ('2025-01-01') TO ('2026-01-01')");
    pcsm_create_partitioned_table(op, "buckets",
        PCSM_PARTITION_BY(PCSM_PARTITION_HASH, { .column = "id", .opclass = "int8_ops" }),
        PCSM_COLUMNS({ .name = "id", .type = PCSM_BIGINT, .primary_key = true },
                     { .name = "event_id", .type = PCSM_BIGINT },
                     { .name = "event_at", .type = PCSM_DATE }),
        NULL, NULL);
    pcsm_create_partitioned_table(op, "notes",
        PCSM_PARTITION_BY(PCSM_PARTITION_LIST,
                          { .expression = "lower(body)", .collation = "C" }),
        PCSM_COLUMNS({ .name = "body", .type = PCSM_TEXT },
                     { .name = "bucket", .type = PCSM_BIGINT, .references = "buckets" }),
        NULL, NULL);
    pcsm_create_partition(op, &(pcsm_partition){ .name = "notes_a", .parent = "notes",
                                                 .bound = "FOR VALUES IN ('a')" });
    pcsm_create_partitioned_table(op, "codes",
        PCSM_PARTITION_BY(PCSM_PARTITION_RANGE, { .column = "code",
                                                  .opclass = "text_pattern_ops" }),
        PCSM_COLUMNS({ .name = "code", .type = PCSM_TEXT }), NULL, NULL);
    pcsm_create_partition(op, &(pcsm_partition){
        .name = "buckets_0", .parent = "buckets",
        .bound = "FOR VALUES WITH (modulus 2, remainder 0)" });
    pcsm_create_partition(op, &(pcsm_partition){
        .name = "buckets_1", .parent = "buckets",
        .bound = "FOR VALUES WITH (modulus 2, remainder 1)" });
    pcsm_add_column(op, "events", &(pcsm_column){ .name = "note", .type = PCSM_TEXT,
                                                  .default_value = PCSM_LITERAL("none") });
    /*
     * Three levels, detached from the middle: what the bottom one keeps of
     * the top one's, under the names the server gave it or it had (its own
     * index, taken over and renamed with the top one's, keeps its own).
     */
    pcsm_create_partitioned_table(op, "zr",
        PCSM_PARTITION_BY(PCSM_PARTITION_LIST, { .column = "z" }),
        PCSM_COLUMNS({ .name = "a", .type = PCSM_INTEGER, .not_null = true },
                     { .name = "z", .type = PCSM_TEXT, .not_null = true },
                     { .name = "b", .type = PCSM_INTEGER, .not_null = true }),
        PCSM_CONSTRAINTS({ .kind = PCSM_PRIMARY_KEY, .columns = PCSM_NAMES("a", "z", "b") },
                         { .kind = PCSM_CHECK, .name = "zr_positive", .check = "a > 0" }),
        NULL);
    pcsm_create_partition(op, &(pcsm_partition){
        .name = "zp", .parent = "zr", .bound = "FOR VALUES IN('eu')",
        .partition_by = PCSM_PARTITION_BY(PCSM_PARTITION_RANGE, { .column = "b" }) });
    pcsm_create_partition(op, &(pcsm_partition){
        .name = "zq", .parent = "zp", .bound = "for values from(0)to(10)" });
    pcsm_create_partition(op, &(pcsm_partition){
        .name = "zq2", .parent = "zp", .bound = "FOR VALUES FROM (10) TO (20)" });
    pcsm_create_index(op, &(pcsm_index){ .name = "zq_own", .table = "zq",
                                         .columns = PCSM_NAMES("b") });
    pcsm_create_index(op, &(pcsm_index){ .name = "zr_b", .table = "zr",
                                         .columns = PCSM_NAMES("b") });
    pcsm_rename_index(op, "zr_b", "zr_by_b");
    pcsm_add_column(op, "zr", &(pcsm_column){ .name = "n", .type = PCSM_SERIAL });
    pcsm_detach_partition(op, "zp", "zq");
    pcsm_detach_partition(op, "zp", "zq2");
    /* ON ONLY, then each partition's own attached: valid once all are, invalid till then. */
    pcsm_create_index(op, &(pcsm_index){ .name = "buckets_event", .table = "buckets",
                                         .columns = PCSM_NAMES("event_id"), .only = true });
    pcsm_create_index(op, &(pcsm_index){ .name = "b0_event", .table = "buckets_0",
                                         .columns = PCSM_NAMES("event_id") });
    pcsm_create_index(op, &(pcsm_index){ .name = "b1_event", .table = "buckets_1",
                                         .columns = PCSM_NAMES("event_id") });
    pcsm_attach_index(op, "buckets_event", "b0_event");
    pcsm_attach_index(op, "buckets_event", "b1_event");
    pcsm_create_index(op, &(pcsm_index){ .name = "buckets_at", .table = "buckets",
                                         .columns = PCSM_NAMES("event_at"), .only = true });
    pcsm_create_index(op, &(pcsm_index){ .name = "b0_at", .table = "buckets_0",
                                         .columns = PCSM_NAMES("event_at") });
    pcsm_attach_index(op, "buckets_at", "b0_at");
}

/* The name of t's share of `of`, or "(none)". */
static const char *share_name(const struct pcsm_schema_table *t, const char *of)
{
    size_t i;

    for (i = 0; i < t->n_shares; i++)
        if (!strcmp(t->shares[i].of, of))
            return t->shares[i].name;
    return "(none)";
}

static const pcsm_revision partitions_rev[] = { {
    .id = "partitions", .description = "partitioned tables",
    .create_date = "2026-12-07 00:00:00", .source_path = "tests/integration/test_catalog.c",
    .upgrade = partitions_upgrade,
} };

START_TEST(test_catalog_partitions)
{
    PGconn *conn = test_connect(db_name);
    struct models m;
    const struct pcsm_schema_table *t;
    pcsm_buf out = PCSM_BUF_INIT;
    pcsm_diff *diff;

    /*
     * Equal to replay: a partition's share of its parent's keys, indexes,
     * CHECKs, foreign keys and triggers is the parent's, and read so.
     */
    migrate_and_read(conn, partitions_rev, "parts", &m);
    ck_assert_uint_eq(m.live->n_tables, 15);
    t = pcsm_schema__table_in(m.live, NULL, "zq");
    ck_assert_ptr_null(t->partition_of);
    ck_assert_uint_eq(t->n_constraints, 2);
    ck_assert_ptr_nonnull(pcsm_schema__index_in(m.live, NULL, "zq_own"));
    ck_assert_ptr_nonnull(pcsm_schema__index_in(m.live, NULL, "zq2_b_idx"));
    ck_assert_uint_eq(m.live->n_sequences, 1);
    /* Replay says the same of them, names included. */
    ck_assert_ptr_nonnull(pcsm_schema__index_in(m.declared, NULL, "zq_own"));
    ck_assert_ptr_nonnull(pcsm_schema__index_in(m.declared, NULL, "zq2_b_idx"));
    ck_assert_ptr_nonnull(pcsm_schema__constraint(pcsm_schema__table_in(m.declared, NULL, "zq2"),
                                                  "zq2_pkey"));
    ck_assert_uint_eq(m.live->n_unmodelled, 0);
    t = pcsm_schema__table_in(m.live, NULL, "events");
    ck_assert_int_eq(t->partition_strategy, PCSM_PARTITION_RANGE);
    ck_assert_str_eq(t->partition_key[0].column, "at");
    t = pcsm_schema__table_in(m.live, NULL, "events_2026");
    ck_assert_str_eq(t->partition_of, "events");
    ck_assert_str_eq(t->partition_bound, "FOR VALUES FROM ('2026-01-01') TO ('2027-01-01')");
    ck_assert_str_eq(t->partition_key[0].column, "region");
    ck_assert_uint_eq(t->n_constraints, 0);
    ck_assert_uint_eq(t->n_triggers, 0);
    t = pcsm_schema__table_in(m.live, NULL, "events_2026_eu");
    ck_assert_uint_eq(t->n_constraints, 1);
    ck_assert_str_eq(pcsm_schema__column(t, "note")->default_value.text, "'none'::text");
    t = pcsm_schema__table_in(m.live, NULL, "events_2025");
    ck_assert_uint_eq(t->n_constraints, 0);
    /* Its shares: its own index taken over, the key's index the server made for it. */
    ck_assert_uint_eq(t->n_shares, 2);
    ck_assert_str_eq(t->shares[0].name, "e25_region");
    ck_assert_str_eq(t->shares[0].of, "events_region_idx");
    ck_assert_str_eq(t->shares[1].of, "events_pkey");
    /* Replay names them alike. */
    ck_assert_uint_eq(pcsm_schema__table_in(m.declared, NULL, "events_2025")->n_shares, 2);
    ck_assert_str_eq(share_name(pcsm_schema__table_in(m.declared, NULL, "events_2025"),
                                "events_region_idx"), "e25_region");
    ck_assert_str_eq(share_name(pcsm_schema__table_in(m.declared, NULL, "events_2025"),
                                "events_pkey"), t->shares[1].name);
    ck_assert_ptr_null(pcsm_schema__index_in(m.live, NULL, "e25_region"));
    ck_assert_uint_eq(m.live->n_indexes, 6);
    ck_assert(!pcsm_schema__index_in(m.live, NULL, "buckets_event")->invalid);
    ck_assert(pcsm_schema__index_in(m.live, NULL, "buckets_at")->invalid);
    ck_assert(!pcsm_schema__index_in(m.declared, NULL, "buckets_event")->invalid);
    ck_assert(pcsm_schema__index_in(m.declared, NULL, "buckets_at")->invalid);
    ck_assert_str_eq(share_name(pcsm_schema__table_in(m.declared, NULL, "buckets_1"),
                                "buckets_event"), "b1_event");
    t = pcsm_schema__table_in(m.live, NULL, "buckets");
    ck_assert_ptr_null(t->partition_key[0].opclass);     /* the default: none */
    ck_assert_str_eq(pcsm_schema__table_in(m.live, NULL, "codes")->partition_key[0].opclass,
                     "text_pattern_ops");
    ck_assert_uint_eq(t->n_constraints, 1);
    t = pcsm_schema__table_in(m.live, NULL, "notes");
    ck_assert_str_eq(t->partition_key[0].expression, "lower(body)");
    ck_assert_str_eq(t->partition_key[0].collation, "C");
    ck_assert_uint_eq(t->n_constraints, 1);
    ck_assert_uint_eq(pcsm_schema__table_in(m.live, NULL, "notes_a")->n_constraints, 0);

    /* Hand changes: each is one entry of the diff. */
    test_exec(conn, "ALTER TABLE parts.events DETACH PARTITION parts.events_old; "
                    "ALTER TABLE parts.events_2026 DETACH PARTITION parts.events_2026_eu; "
                    "ALTER TABLE parts.events_2026 ATTACH PARTITION parts.events_2026_eu "
                    "FOR VALUES IN ('eu', 'uk'); "
                    "CREATE TABLE parts.events_2027 PARTITION OF parts.events "
                    "FOR VALUES FROM ('2027-01-01') TO ('2028-01-01')");
    pcsm_schema_free(m.live);
    ck_assert_int_eq(pcsm_schema_live(ctx, m.db, &m.live), 0);
    ck_assert_int_eq(pcsm_diff_models(ctx, m.on_server, m.live, &diff), 0);
    pcsm_diff_text(diff, &out);
    /* Detached, a partition holds its share of its parent's keys and indexes as its own. */
    ck_assert_str_eq(out.ptr,
        "changed  table events_2026_eu  partition_of: events_2026 FOR VALUES IN ('eu') -> "
        "events_2026 FOR VALUES IN ('eu', 'uk')\n"
        "extra    table events_2027\n"
        "changed  table events_old  partition_of: events DEFAULT -> (none)\n"
        "extra    constraint events_old.events_n_check\n"
        "extra    constraint events_old.events_old_pkey\n"
        "extra    index events_old_region_idx\n");
    pcsm_buf_dispose(&out);
    pcsm_diff_free(diff);
    models_free(&m);
    PQfinish(conn);
}
END_TEST

/* ------------------------------------------------ proving a revision */

static void prove_base(pcsm_op *op)
{
    pcsm_create_table(op, "t", PCSM_COLUMNS({ .name = "a", .type = PCSM_INTEGER }), NULL,
                      NULL);
}

static void prove_wanted(pcsm_op *op)
{
    pcsm_add_column(op, "t", &(pcsm_column){ .name = "c", .type = PCSM_TEXT });
}

static const char *const prove_parents[] = { "pbase" };
static const pcsm_revision prove_revs[] = {
    { .id = "pbase", .description = "base", .create_date = "2026-12-06 00:00:00",
      .source_path = "t.c", .upgrade = prove_base },
    { .id = "pwant", .parents = prove_parents, .n_parents = 1, .description = "wanted",
      .create_date = "2026-12-06 00:00:01", .source_path = "t.c", .upgrade = prove_wanted },
};

/*
 * pcsm_schema_prove(): SQL that takes the base to the wanted schema and
 * back converges; SQL that misses is named by its differences; SQL the
 * server refuses is its error; and the database is as it was after each.
 */
START_TEST(test_catalog_prove_a_revision)
{
    PGconn *conn = test_connect(db_name);
    pcsm_revset at = PCSM_REVSET_INIT;
    pcsm_schema *base = NULL, *on_base = NULL, *want = NULL, *on_want = NULL;
    pcsm_diff *up = NULL, *down = NULL;
    pcsm_db *db;

    pcsm_ctx_free(ctx);
    ck_assert_int_eq(pcsm_ctx_new(&ctx, prove_revs, 2), 0);
    test_exec(conn, "CREATE SCHEMA prv; CREATE TABLE prv.t (a integer)");
    db = connect_schema("prv");
    ck_assert_int_eq(pcsm_graph_resolve(ctx, "pbase", NULL, &at), 0);
    ck_assert_int_eq(pcsm_schema_declared(ctx, &at, &base), 0);
    pcsm_revset_dispose(&at);
    ck_assert_int_eq(pcsm_graph_resolve(ctx, "pwant", NULL, &at), 0);
    ck_assert_int_eq(pcsm_schema_declared(ctx, &at, &want), 0);
    ck_assert_int_eq(pcsm_schema_on_server(ctx, db, base, &on_base), 0);
    ck_assert_int_eq(pcsm_schema_on_server(ctx, db, want, &on_want), 0);

    ck_assert_msg(pcsm_schema_prove(ctx, db, base, "ALTER TABLE t ADD COLUMN c text;",
                                    "ALTER TABLE t DROP COLUMN c;", on_want, on_base, &up,
                                    &down) == 0, "%s", pcsm_error_last(ctx)->message);
    ck_assert(!pcsm_diff_differs(up) && !pcsm_diff_differs(down));
    pcsm_diff_free(up);
    pcsm_diff_free(down);

    /* A column of another type: upgrade() misses, downgrade() still comes back. */
    ck_assert_int_eq(pcsm_schema_prove(ctx, db, base, "ALTER TABLE t ADD COLUMN c integer;",
                                       "ALTER TABLE t DROP COLUMN c;", on_want, on_base, &up,
                                       &down), 0);
    ck_assert(pcsm_diff_differs(up) && !pcsm_diff_differs(down));
    ck_assert_uint_eq(pcsm_diff_count(up), 1);
    ck_assert_str_eq(pcsm_diff_at(up, 0)->path, "t.c");
    ck_assert_str_eq(pcsm_diff_at(up, 0)->attribute, "type");
    pcsm_diff_free(up);
    pcsm_diff_free(down);

    /* downgrade() that forgets the column. */
    ck_assert_int_eq(pcsm_schema_prove(ctx, db, base, "ALTER TABLE t ADD COLUMN c text;", "",
                                       on_want, on_base, &up, &down), 0);
    ck_assert(!pcsm_diff_differs(up) && pcsm_diff_differs(down));
    ck_assert_int_eq(pcsm_diff_at(down, 0)->change, PCSM_DIFF_EXTRA);
    pcsm_diff_free(up);
    pcsm_diff_free(down);

    /* What the server refuses is its error, naming the stage. */
    ck_assert_int_eq(pcsm_schema_prove(ctx, db, base, "ALTER TABLE nope ADD COLUMN c text;",
                                       "", on_want, on_base, &up, &down), PCSM_EDB);
    ck_assert_ptr_null(up);
    ck_assert_ptr_null(down);
    ck_assert_msg(strstr(pcsm_error_last(ctx)->message, "running upgrade() in the scratch "
                         "schema (rolled back)"), "%s", pcsm_error_last(ctx)->message);

    /* Nothing of any of it stayed: no column c, no scratch schema. */
    test_assert_query(conn, "SELECT string_agg(attname, ',' ORDER BY attnum) FROM pg_attribute "
                      "WHERE attrelid = 'prv.t'::regclass AND attnum > 0", "a");
    test_assert_query(conn, "SELECT count(*) FROM pg_namespace WHERE nspname LIKE "
                      "'pcsm_scratch%'", "0");
    pcsm_schema_free(base);
    pcsm_schema_free(on_base);
    pcsm_schema_free(want);
    pcsm_schema_free(on_want);
    pcsm_revset_dispose(&at);
    pcsm_db_close(db);
    PQfinish(conn);
}
END_TEST

static void privileges_upgrade(pcsm_op *op)
{
    /* Every schema: tables to a reader (then taken back), no EXECUTE to PUBLIC. */
    pcsm_grant_default(op, &(pcsm_default_privileges){
        .on = PCSM_PRIVILEGE_TABLE, .privileges = PCSM_PRIV_SELECT,
        .roles = PCSM_NAMES("pcsm_reader") });
    pcsm_revoke_default(op, &(pcsm_default_privileges){
        .on = PCSM_PRIVILEGE_FUNCTION, .privileges = PCSM_PRIV_EXECUTE,
        .roles = PCSM_NAMES("public") });
    /* This schema (the runner's, named through current_schema()): its sequences. */
    pcsm_grant_default(op, &(pcsm_default_privileges){
        .on = PCSM_PRIVILEGE_SEQUENCE, .privileges = PCSM_PRIV_USAGE,
        .roles = PCSM_NAMES("pcsm_reader"), .grant_option = true, .in_schema = true });
    pcsm_create_table(op, "items", PCSM_COLUMNS(
        { .name = "id", .type = PCSM_SERIAL, .primary_key = true },
        { .name = "name", .type = PCSM_TEXT },
        { .name = "price", .type = PCSM_INTEGER }), NULL, NULL);
    pcsm_create_function(op, &(pcsm_function){
        .name = "twice", .arguments = "n integer", .returns = "integer", .language = "sql",
        .body = "SELECT 2 * n", .volatility = PCSM_IMMUTABLE });
    pcsm_create_enum(op, "mood", PCSM_LABELS("ok", "sad"));
    pcsm_create_domain(op, &(pcsm_domain){ .name = "positive", .type = PCSM_INTEGER });
    pcsm_create_composite_type(op, "pair", PCSM_ATTRIBUTES(
        { .name = "a", .type = PCSM_INTEGER }, { .name = "b", .type = PCSM_INTEGER }));
    pcsm_create_sequence(op, "numbers", NULL, NULL, NULL);
    pcsm_grant(op, &(pcsm_privileges){ .on = PCSM_PRIVILEGE_TABLE, .name = "items",
        .privileges = PCSM_PRIV_INSERT | PCSM_PRIV_UPDATE,
        .roles = PCSM_NAMES("Pcsm Auditor"), .grant_option = true });
    pcsm_revoke(op, &(pcsm_privileges){ .on = PCSM_PRIVILEGE_TABLE, .name = "items",
        .privileges = PCSM_PRIV_UPDATE, .roles = PCSM_NAMES("Pcsm Auditor"),
        .grant_option = true });
    /* The table's REVOKE takes this column grant too, as the server does. */
    pcsm_grant(op, &(pcsm_privileges){ .on = PCSM_PRIVILEGE_TABLE, .name = "items",
        .columns = PCSM_NAMES("name"), .privileges = PCSM_PRIV_SELECT,
        .roles = PCSM_NAMES("pcsm_reader") });
    pcsm_revoke(op, &(pcsm_privileges){ .on = PCSM_PRIVILEGE_TABLE, .name = "items",
        .privileges = PCSM_PRIV_SELECT, .roles = PCSM_NAMES("pcsm_reader") });
    pcsm_grant(op, &(pcsm_privileges){ .on = PCSM_PRIVILEGE_TABLE, .name = "items",
        .columns = PCSM_NAMES("price"), .privileges = PCSM_PRIV_UPDATE | PCSM_PRIV_SELECT,
        .roles = PCSM_NAMES("pcsm_reader") });
    pcsm_grant(op, &(pcsm_privileges){ .on = PCSM_PRIVILEGE_FUNCTION, .name = "twice",
        .arguments = "integer", .privileges = PCSM_PRIV_EXECUTE,
        .roles = PCSM_NAMES("pcsm_reader") });
    pcsm_revoke(op, &(pcsm_privileges){ .on = PCSM_PRIVILEGE_TYPE, .name = "mood",
        .privileges = PCSM_PRIV_ALL, .roles = PCSM_NAMES("public") });
    pcsm_grant(op, &(pcsm_privileges){ .on = PCSM_PRIVILEGE_TYPE, .name = "mood",
        .privileges = PCSM_PRIV_USAGE, .roles = PCSM_NAMES("pcsm_reader") });
    pcsm_grant(op, &(pcsm_privileges){ .on = PCSM_PRIVILEGE_TYPE, .name = "positive",
        .privileges = PCSM_PRIV_USAGE, .roles = PCSM_NAMES("Pcsm Auditor") });
    pcsm_revoke(op, &(pcsm_privileges){ .on = PCSM_PRIVILEGE_TYPE, .name = "pair",
        .privileges = PCSM_PRIV_USAGE, .roles = PCSM_NAMES("PUBLIC") });
    /* They follow renames. */
    pcsm_rename_table(op, "items", "goods");
    pcsm_rename_column(op, "goods", "price", "cost");
    pcsm_create_view(op, &(pcsm_view){ .name = "cheap",
        .query = "SELECT id, name FROM goods WHERE cost < 10",
        .reads = PCSM_NAMES("goods") });
    /* The table defaults taken back: the entry goes, a later table has nothing. */
    pcsm_revoke_default(op, &(pcsm_default_privileges){
        .on = PCSM_PRIVILEGE_TABLE, .privileges = PCSM_PRIV_SELECT,
        .roles = PCSM_NAMES("pcsm_reader") });
    pcsm_create_table(op, "late", PCSM_COLUMNS({ .name = "id", .type = PCSM_INTEGER }),
                      NULL, NULL);
}

static const pcsm_revision privileges_rev[] = { {
    .id = "privileges", .description = "privileges", .create_date = "2026-12-07 00:00:00",
    .source_path = "tests/integration/test_catalog.c", .upgrade = privileges_upgrade,
} };

/* What `role` holds on an object, as its acl text's part for it. */
static void assert_acl(const struct pcsm_schema_acl *acl, const char *want)
{
    char *got = pcsm_schema__acl_text(acl);

    ck_assert_msg(pcsm_schema__str_eq(got, want), "privileges: got %s, want %s",
                  got ? got : "(none)", want ? want : "(none)");
    free(got);
}

/* Replay's privileges of each object equal the catalog's. */
static void assert_acls_declared(const pcsm_schema *declared, const pcsm_schema *live)
{
    static const char *const tables[] = { "goods", "late" };
    size_t i, k;

    for (i = 0; i < 2; i++) {
        const struct pcsm_schema_table *a = pcsm_schema__table(declared, tables[i]);
        const struct pcsm_schema_table *b = pcsm_schema__table(live, tables[i]);

        ck_assert(pcsm_schema__acl_eq(&a->acl, &b->acl));
        for (k = 0; k < a->n_columns; k++)
            ck_assert(pcsm_schema__acl_eq(&a->columns[k].acl, &b->columns[k].acl));
    }
    ck_assert(pcsm_schema__acl_eq(&pcsm_schema__view(declared, "cheap")->acl,
                                  &pcsm_schema__view(live, "cheap")->acl));
    ck_assert(pcsm_schema__acl_eq(&pcsm_schema__function(declared, "twice", NULL)->acl,
                                  &pcsm_schema__function(live, "twice", NULL)->acl));
    ck_assert(pcsm_schema__acl_eq(&pcsm_schema__type(declared, "mood")->acl,
                                  &pcsm_schema__type(live, "mood")->acl));
    ck_assert(pcsm_schema__acl_eq(&pcsm_schema__domain_in(declared, NULL, "positive")->acl,
                                  &pcsm_schema__domain_in(live, NULL, "positive")->acl));
    ck_assert(pcsm_schema__acl_eq(&pcsm_schema__composite_in(declared, NULL, "pair")->acl,
                                  &pcsm_schema__composite_in(live, NULL, "pair")->acl));
    ck_assert(pcsm_schema__acl_eq(&pcsm_schema__sequence(declared, "numbers")->acl,
                                  &pcsm_schema__sequence(live, "numbers")->acl));
    ck_assert(pcsm_schema__acl_eq(&pcsm_schema__sequence(declared, "items_id_seq")->acl,
                                  &pcsm_schema__sequence(live, "items_id_seq")->acl));
    ck_assert(pcsm_schema__default_acls_eq(declared, live));
}

START_TEST(test_catalog_privileges)
{
    PGconn *conn = test_connect(db_name);
    struct models m;
    const struct pcsm_schema_table *t;

    make_roles(conn);
    migrate_and_read(conn, privileges_rev, "priv", &m);

    /* The server's own record of what the revision did. */
#define GRANTEE "CASE WHEN e.grantee = 0 THEN 'public' ELSE pg_get_userbyid(e.grantee) END " \
                "|| ' ' || e.privilege_type || CASE WHEN e.is_grantable THEN '*' ELSE '' END"
    test_assert_query(conn, "SELECT string_agg(x, ', ' ORDER BY x COLLATE \"C\") FROM ("
        "SELECT c.relname || ' - ' || " GRANTEE " FROM pg_class c, aclexplode(c.relacl) e "
        "WHERE c.relnamespace = 'priv'::regnamespace AND e.grantee <> c.relowner "
        "UNION ALL SELECT c.relname || ' ' || a.attname || ' ' || " GRANTEE " "
        "FROM pg_attribute a JOIN pg_class c ON c.oid = a.attrelid, aclexplode(a.attacl) e "
        "WHERE c.relnamespace = 'priv'::regnamespace) s(x)",
        "cheap - pcsm_reader SELECT, goods - Pcsm Auditor INSERT*, "
        "goods - Pcsm Auditor UPDATE, goods cost pcsm_reader SELECT, "
        "goods cost pcsm_reader UPDATE, items_id_seq - pcsm_reader USAGE*, "
        "numbers - pcsm_reader USAGE*");
#undef GRANTEE
    test_assert_query(conn, "SELECT defaclnamespace = 'priv'::regnamespace, defaclobjtype, "
                      "defaclacl::text FROM pg_default_acl ORDER BY 1, 2",
                      "f|f|{postgres=X/postgres}\n"
                      "t|S|{pcsm_reader=U*/postgres}");

    /* What the catalog read, besides its equality with replay (migrate_and_read). */
    t = pcsm_schema__table(m.live, "goods");
    assert_acl(&t->acl, "Pcsm Auditor: INSERT*, UPDATE");
    assert_acl(&pcsm_schema__column(t, "cost")->acl, "pcsm_reader: SELECT, UPDATE");
    assert_acl(&pcsm_schema__column(t, "name")->acl, NULL);
    assert_acl(&pcsm_schema__table(m.live, "late")->acl, NULL);
    assert_acl(&pcsm_schema__view(m.live, "cheap")->acl, "pcsm_reader: SELECT");
    assert_acl(&pcsm_schema__function(m.live, "twice", NULL)->acl, "pcsm_reader: EXECUTE");
    assert_acl(&pcsm_schema__type(m.live, "mood")->acl, "pcsm_reader: USAGE");
    assert_acl(&pcsm_schema__domain_in(m.live, NULL, "positive")->acl,
               "PUBLIC: USAGE; Pcsm Auditor: USAGE");
    assert_acl(&pcsm_schema__composite_in(m.live, NULL, "pair")->acl, NULL);
    assert_acl(&pcsm_schema__sequence(m.live, "numbers")->acl, "pcsm_reader: USAGE*");
    ck_assert_uint_eq(m.live->n_default_acls, 2);
    assert_acls_declared(m.declared, m.live);

    /* Changed by hand, each is a difference the diff names. */
    test_exec(conn, "GRANT DELETE ON priv.goods TO pcsm_reader;"
                    "REVOKE USAGE ON TYPE priv.mood FROM pcsm_reader;"
                    "GRANT SELECT (name) ON priv.goods TO \"Pcsm Auditor\";"
                    "GRANT EXECUTE ON FUNCTION priv.twice(integer) TO PUBLIC");
    pcsm_schema_free(m.live);
    ck_assert_int_eq(pcsm_schema_live(ctx, m.db, &m.live), 0);
    {
        static const char *const want[][4] = {
            { "goods", "privileges", "Pcsm Auditor: INSERT*, UPDATE",
              "Pcsm Auditor: INSERT*, UPDATE; pcsm_reader: DELETE" },
            { "goods.name", "privileges", NULL, "Pcsm Auditor: SELECT" },
            { "mood", "privileges", "pcsm_reader: USAGE", NULL },
            { "twice(integer)", "privileges", "pcsm_reader: EXECUTE",
              "PUBLIC: EXECUTE; pcsm_reader: EXECUTE" },
        };
        pcsm_diff *d;
        size_t i, k;

        ck_assert_int_eq(pcsm_diff_models(ctx, m.on_server, m.live, &d), 0);
        ck_assert_uint_eq(pcsm_diff_count(d), 4);
        for (i = 0; i < pcsm_diff_count(d); i++) {
            const pcsm_diff_entry *e = pcsm_diff_at(d, i);

            for (k = 0; k < 4 && strcmp(want[k][0], e->path); k++)
                ;
            ck_assert_msg(k < 4, "unexpected %s", e->path);
            ck_assert_int_eq(e->change, PCSM_DIFF_CHANGED);
            ck_assert_str_eq(e->attribute, want[k][1]);
            ck_assert(pcsm_schema__str_eq(e->from, want[k][2]));
            ck_assert(pcsm_schema__str_eq(e->to, want[k][3]));
        }
        pcsm_diff_free(d);
    }

    /*
     * This schema's default taken away by hand: listed, not drift.  The
     * sequences' grants, made by it, stand against nothing now; the same
     * on both sides, they are no difference, and one given more is, said
     * against what a new one gets on each side.
     */
    test_exec(conn, "REVOKE DELETE ON priv.goods FROM pcsm_reader;"
                    "GRANT USAGE ON TYPE priv.mood TO pcsm_reader;"
                    "REVOKE SELECT (name) ON priv.goods FROM \"Pcsm Auditor\";"
                    "REVOKE EXECUTE ON FUNCTION priv.twice(integer) FROM PUBLIC;"
                    "ALTER DEFAULT PRIVILEGES IN SCHEMA priv REVOKE USAGE ON SEQUENCES "
                    "FROM pcsm_reader;"
                    "GRANT SELECT ON SEQUENCE priv.numbers TO pcsm_reader");
    pcsm_schema_free(m.live);
    ck_assert_int_eq(pcsm_schema_live(ctx, m.db, &m.live), 0);
    {
        pcsm_diff *d;
        const pcsm_diff_entry *e;

        ck_assert_int_eq(pcsm_diff_models(ctx, m.on_server, m.live, &d), 0);
        ck_assert_uint_eq(pcsm_diff_count(d), 1);
        e = pcsm_diff_at(d, 0);
        ck_assert_str_eq(e->path, "numbers");
        ck_assert_str_eq(e->from, "pcsm_reader: USAGE* (new ones get pcsm_reader: USAGE*)");
        ck_assert_str_eq(e->to, "pcsm_reader: SELECT, USAGE* (new ones get none)");
        ck_assert_uint_eq(pcsm_diff_unmodelled_count(d), 1);
        ck_assert_str_eq(pcsm_diff_unmodelled_at(d, 0)->kind, "default privileges");
        ck_assert_str_eq(pcsm_diff_unmodelled_at(d, 0)->path,
                         "sequences in the target schema {pcsm_reader: USAGE*}");
        ck_assert_int_eq(pcsm_diff_unmodelled_at(d, 0)->side, PCSM_DIFF_MISSING);
        pcsm_diff_free(d);
    }
    models_free(&m);
    PQfinish(conn);
}
END_TEST

static Suite *catalog_suite(void)
{
    Suite *s = suite_create("catalog");
    TCase *tc = tcase_create("catalog");

    tcase_add_checked_fixture(tc, setup, teardown);
    tcase_set_timeout(tc, 600);
    tcase_add_test(tc, test_catalog_reads_each_attribute);
    tcase_add_test(tc, test_catalog_equals_replay_for_random_cases);
    tcase_add_test(tc, test_catalog_index_elements_and_renames);
    tcase_add_test(tc, test_catalog_exclusion_constraints);
    tcase_add_test(tc, test_catalog_row_level_security);
    tcase_add_test(tc, test_catalog_comments);
    tcase_add_test(tc, test_catalog_collations);
    tcase_add_test(tc, test_catalog_collation_of_another_schema);
    tcase_add_test(tc, test_catalog_domains);
    tcase_add_test(tc, test_catalog_composite_types);
    tcase_add_test(tc, test_catalog_range_types);
    tcase_add_test(tc, test_catalog_inheritance);
    tcase_add_test(tc, test_catalog_trigger_firing);
    tcase_add_test(tc, test_catalog_recreate_enum);
    tcase_add_test(tc, test_catalog_partitions);
    tcase_add_test(tc, test_catalog_privileges);
    tcase_add_test(tc, test_catalog_prove_a_revision);
    suite_add_tcase(s, tc);
    return s;
}

int main(void)
{
    test_require_db();
    return test_run_suite(catalog_suite());
}
