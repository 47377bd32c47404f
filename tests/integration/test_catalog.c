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

#include "ddl_case.h"
#include "schema/schema.h"
#include "support.h"

#define DEFAULT_CASES 1000
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

START_TEST(test_catalog_equals_replay_for_random_cases)
{
    unsigned long n = env_ulong("PCSM_CATALOG_CASES", DEFAULT_CASES), i, ran = 0, tables = 0;
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

            ck_abort_msg("case %lu (seed %" PRIu64 "): the catalog holds\n%s\nbut replay "
                         "declares\n%s\nas the server holds it\n%s", i, seed + i, a, d, b);
        }
        tables += live->n_tables;
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
    printf("# %lu cases (seed %" PRIu64 "), %lu tables compared\n", ran, seed, tables);
    /* A run that compared nothing proves nothing. */
    ck_assert_uint_gt(ran, n / 2);
    ck_assert_uint_ge(tables, ran);
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
        "CREATE TABLE hand.alembic_version (version_num varchar(32) PRIMARY KEY)");
    PQfinish(conn);
    db = connect_schema("hand");
    ck_assert_msg(pcsm_schema_live(ctx, db, &live) == 0, "%s", pcsm_error_last(ctx)->message);
    pcsm_db_close(db);

    ck_assert_uint_eq(live->n_tables, 2);           /* the version table left out */
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
    /* What the API cannot say keeps the server's spelling. */
    ck_assert_int_eq(t->columns[3].type.kind, PCSM_TYPE_NAMED);
    ck_assert_str_eq(t->columns[3].type.name, "time(3) without time zone");
    ck_assert_int_eq(t->columns[4].type.kind, PCSM_TYPE_CHAR);
    ck_assert_int_eq(t->columns[4].type.p, 4);
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
    pcsm_schema_free(live);
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
    suite_add_tcase(s, tc);
    return s;
}

int main(void)
{
    test_require_db();
    return test_run_suite(catalog_suite());
}
