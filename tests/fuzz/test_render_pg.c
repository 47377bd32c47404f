/*
 * "Rendered SQL always parses": ddl_case.c's seeded cases run on PCSM_TEST_DSN's
 * server, rolled back, and the catalog must hold exactly what each case gave.
 */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <pcsm/pcsm.h>

#include "ddl_case.h"
#include "support.h"

#define DEFAULT_SEED UINT64_C(20260601)
#define DEFAULT_CASES 2000
#define DEFAULT_SECONDS 25.0    /* the suite's budget: under 30 s, whatever the machine */
#define MAX_NOTICES 8

static uint64_t seed = DEFAULT_SEED;
static unsigned long n_cases = DEFAULT_CASES;
static double budget = DEFAULT_SECONDS;
static char db[64];
static PGconn *conn;
static pcsm_ctx *ctx;
static const struct ddl_case *current_case;
static char *notices[MAX_NOTICES];
static size_t n_notices;

static void on_notice(void *arg, const PGresult *res)
{
    const char *msg = PQresultErrorField(res, PG_DIAG_MESSAGE_PRIMARY);

    (void)arg;
    if (msg && !strncmp(msg, "batch_update ", 13) && n_notices < MAX_NOTICES)
        notices[n_notices++] = strdup(msg);
}

static void clear_notices(void)
{
    while (n_notices)
        free(notices[--n_notices]);
}

static void case_upgrade(pcsm_op *op)
{
    ddl_case_record(op, current_case);
}

static void case_downgrade(pcsm_op *op)
{
    ddl_case_record_failing_assert(op, current_case);
}

static const pcsm_revision case_rev = {
    .id = "fuzzpg", .description = "render fuzz, on PostgreSQL",
    .create_date = "2026-06-01 00:00:00", .source_path = "tests/fuzz/test_render_pg.c",
    .upgrade = case_upgrade, .downgrade = case_downgrade,
};

/* A UTF-8 database of our own (the cluster's default encoding may be SQL_ASCII). */
static void setup(void)
{
    PGconn *admin = test_connect("postgres");
    char sql[160];

    snprintf(db, sizeof(db), "pcsm_t_render_%ld", (long)getpid());
    snprintf(sql, sizeof(sql), "CREATE DATABASE \"%s\" ENCODING 'UTF8' TEMPLATE template0 "
             "LC_COLLATE 'C' LC_CTYPE 'C'", db);
    test_exec(admin, sql);
    PQfinish(admin);
    conn = test_connect(db);
    test_exec(conn, "SET client_encoding = 'UTF8'");
    test_exec(conn, "SET client_min_messages = notice");
    PQsetNoticeReceiver(conn, on_notice, NULL);
    ck_assert_int_eq(pcsm_ctx_new(&ctx, NULL, 0), 0);
}

static void teardown(void)
{
    clear_notices();
    pcsm_ctx_free(ctx);
    test_db_close(conn, db);
}

/* libpq's own quoting, as the checks' reference (malloc'd). */
static char *ident(const char *name)
{
    char *q = PQescapeIdentifier(conn, name, strlen(name)), *copy;

    ck_assert_msg(q != NULL, "PQescapeIdentifier: %s", PQerrorMessage(conn));
    copy = strdup(q);
    PQfreemem(q);
    return copy;
}

/* Runs a query with text parameters; it must return rows. */
static PGresult *query(unsigned long n, const char *sql, int n_params, const char *const *params)
{
    PGresult *res = PQexecParams(conn, sql, n_params, NULL, params, NULL, NULL, 0);

    ck_assert_msg(PQresultStatus(res) == PGRES_TUPLES_OK, "case %lu: %s\n  in: %s", n,
                  PQerrorMessage(conn), sql);
    return res;
}

/* A comment as the catalog keeps it: PostgreSQL drops an empty one, as NULL. */
static const char *comment_of(bool has, const char *text)
{
    return has && *text ? text : NULL;
}

/* The value of a cell as the case expects it: NULL or the string. */
static void cell_is(unsigned long n, PGresult *res, int row, int col, const char *want,
                    const char *what)
{
    if (!want) {
        ck_assert_msg(PQgetisnull(res, row, col), "case %lu: %s is '%s', expected NULL", n,
                      what, PQgetvalue(res, row, col));
        return;
    }
    ck_assert_msg(!PQgetisnull(res, row, col), "case %lu: %s is NULL, expected '%s'", n,
                  what, want);
    ck_assert_msg(!strcmp(PQgetvalue(res, row, col), want),
                  "case %lu: %s is '%s', expected '%s'", n, what, PQgetvalue(res, row, col),
                  want);
}

/* The name a column ends with: the last one is renamed. */
static const char *final_name(const struct ddl_case *c, size_t i)
{
    return i == c->n_cols - 1 ? c->renamed : c->cols[i].name;
}

static void check_table(unsigned long n, const struct ddl_case *c, char *oid, size_t oid_size)
{
    const char *params[3] = { c->table2 };
    PGresult *res;

    res = query(n, "SELECT c.oid, obj_description(c.oid, 'pg_class') FROM pg_class c "
                "WHERE c.relname = $1 AND c.relnamespace = 'public'::regnamespace "
                "AND c.relkind = 'r'", 1, params);
    ck_assert_msg(PQntuples(res) == 1, "case %lu: table '%s' not found", n, c->table2);
    snprintf(oid, oid_size, "%s", PQgetvalue(res, 0, 0));
    cell_is(n, res, 0, 1, comment_of(c->has_comment2, c->comment2), "the table comment");
    PQclear(res);

    /* Renamed, dropped or never created, these names are gone. */
    params[0] = c->table;
    params[1] = c->scratch;
    params[2] = c->index2_name;
    res = query(n, "SELECT count(*) FROM pg_class WHERE relname IN ($1, $2, $3)", 3, params);
    ck_assert_msg(!strcmp(PQgetvalue(res, 0, 0), "0"), "case %lu: a dropped or renamed "
                  "relation is still there", n);
    PQclear(res);
}

static void check_columns(unsigned long n, const struct ddl_case *c, const char *oid)
{
    const char *params[1] = { oid };
    PGresult *res;
    size_t i;

    res = query(n, "SELECT a.attname, t.typname, a.attnotnull, "
                "col_description(a.attrelid, a.attnum) "
                "FROM pg_attribute a JOIN pg_type t ON t.oid = a.atttypid "
                "WHERE a.attrelid = $1 AND a.attnum > 0 AND NOT a.attisdropped "
                "ORDER BY a.attnum", 1, params);
    /* Then the identity, generated and collated columns (test_catalog.c checks them). */
    ck_assert_msg((size_t)PQntuples(res) == c->n_cols + 4, "case %lu: %d columns, expected %zu",
                  n, PQntuples(res), c->n_cols + 4);
    for (i = 0; i < c->n_cols; i++) {
        const struct case_col *col = &c->cols[i];
        const char *comment = i == 0 ? comment_of(c->has_col_comment, c->col_comment)
                                     : comment_of(col->has_comment, col->comment);

        cell_is(n, res, (int)i, 0, final_name(c, i), "a column name");
        cell_is(n, res, (int)i, 3, comment, "a column comment");
        if (col->type == CASE_NAMED)
            cell_is(n, res, (int)i, 1, c->type_name, "a column's type name");
        if (i == 0)
            cell_is(n, res, 0, 2, "t", "the key's NOT NULL");
    }
    cell_is(n, res, (int)c->n_cols, 0, c->added.name, "the added column's name");
    cell_is(n, res, (int)c->n_cols, 1, "varchar", "the added column's new type");
    cell_is(n, res, (int)c->n_cols, 2, "f", "the added column's NOT NULL, dropped");
    cell_is(n, res, (int)c->n_cols, 3, comment_of(c->added.has_comment, c->added.comment),
            "the added column's comment");
    cell_is(n, res, (int)c->n_cols + 1, 0, c->ident_col, "the identity column's name");
    cell_is(n, res, (int)c->n_cols + 2, 0, c->gen_col, "the generated column's name");
    cell_is(n, res, (int)c->n_cols + 3, 0, c->coll_col, "the collated column's name");
    PQclear(res);
}

/* Named ones exactly, plus the key's own; con2 added and dropped again. */
static void check_constraints_and_indexes(unsigned long n, const struct ddl_case *c,
                                          const char *oid)
{
    const char *params[4] = { oid, c->check_name, c->unique_name, c->con2_name };
    PGresult *res;

    res = query(n, "SELECT count(*), "
                "count(*) FILTER (WHERE conname = $2 AND contype = 'c'), "
                "count(*) FILTER (WHERE conname = $3 AND contype = 'u'), "
                "count(*) FILTER (WHERE conname = $4) "
                "FROM pg_constraint WHERE conrelid = $1", 4, params);
    ck_assert_msg(!strcmp(PQgetvalue(res, 0, 0), "3") && !strcmp(PQgetvalue(res, 0, 1), "1") &&
                  !strcmp(PQgetvalue(res, 0, 2), "1") && !strcmp(PQgetvalue(res, 0, 3), "0"),
                  "case %lu: constraints %s/%s/%s/%s, expected 3/1/1/0 (check '%s', unique "
                  "'%s', dropped '%s')", n, PQgetvalue(res, 0, 0), PQgetvalue(res, 0, 1),
                  PQgetvalue(res, 0, 2), PQgetvalue(res, 0, 3), c->check_name, c->unique_name,
                  c->con2_name);
    PQclear(res);

    params[1] = c->index_name;
    params[2] = c->unique_name;
    res = query(n, "SELECT count(*), count(*) FILTER (WHERE ic.relname = $2), "
                "count(*) FILTER (WHERE ic.relname = $3) "
                "FROM pg_index i JOIN pg_class ic ON ic.oid = i.indexrelid "
                "WHERE i.indrelid = $1", 3, params);
    ck_assert_msg(!strcmp(PQgetvalue(res, 0, 0), "3") && !strcmp(PQgetvalue(res, 0, 1), "1") &&
                  !strcmp(PQgetvalue(res, 0, 2), "1"),
                  "case %lu: indexes %s/%s/%s, expected 3/1/1 ('%s', '%s')", n,
                  PQgetvalue(res, 0, 0), PQgetvalue(res, 0, 1), PQgetvalue(res, 0, 2),
                  c->index_name, c->unique_name);
    PQclear(res);
}

/* The rows execute_params inserted, the parameter it set, the batches' notices. */
static void check_data(unsigned long n, const struct ddl_case *c)
{
    char *table = ident(c->table2), *key = ident(c->cols[0].name), *label = ident(c->table);
    char sql[1024], want[2][512];
    PGresult *res;
    bool k1, k2;
    int i;

    res = query(n, "SELECT current_setting('pcsm.fuzz')", 0, NULL);
    cell_is(n, res, 0, 0, c->param, "the execute_params parameter");
    PQclear(res);

    snprintf(sql, sizeof(sql), "SELECT %s FROM %s", key, table);
    res = query(n, sql, 0, NULL);
    ck_assert_msg(PQntuples(res) == 2, "case %lu: %d rows, expected 2", n, PQntuples(res));
    k1 = !strcmp(PQgetvalue(res, 0, 0), c->key1) || !strcmp(PQgetvalue(res, 1, 0), c->key1);
    k2 = !strcmp(PQgetvalue(res, 0, 0), c->key2) || !strcmp(PQgetvalue(res, 1, 0), c->key2);
    ck_assert_msg(k1 && k2, "case %lu: keys '%s', '%s', expected '%s', '%s'", n,
                  PQgetvalue(res, 0, 0), PQgetvalue(res, 1, 0), c->key1, c->key2);
    PQclear(res);

    /* batch_update: two rows, batches of one, each with its NOTICE. */
    for (i = 0; i < 2; i++)
        snprintf(want[i], sizeof(want[i]), "batch_update %s: batch %d, 1 rows, %d in all",
                 label, i + 1, i + 1);
    ck_assert_msg(n_notices == 2, "case %lu: %zu batch notices, expected 2", n, n_notices);
    for (i = 0; i < 2; i++)
        ck_assert_msg(!strcmp(notices[i], want[i]), "case %lu: notice '%s', expected '%s'", n,
                      notices[i], want[i]);
    free(table);
    free(key);
    free(label);
}

/* A new row takes every literal default, byte for byte. */
static void check_defaults(unsigned long n, const struct ddl_case *c)
{
    char *table = ident(c->table2), *key = ident(c->cols[0].name), *col;
    char sql[4096], *new_key;
    const char *params[1], *want[CASE_MAX_COLS + 1];
    size_t i, k = 0, len;
    PGresult *res;

    /* Longer than either key, so it differs from both. */
    new_key = malloc(strlen(c->key1) + strlen(c->key2) + 2);
    ck_assert_ptr_nonnull(new_key);
    sprintf(new_key, "%s%s!", c->key1, c->key2);
    params[0] = new_key;
    len = (size_t)snprintf(sql, sizeof(sql), "INSERT INTO %s (%s) VALUES ($1) RETURNING ",
                           table, key);
    col = ident(c->added.name);
    len += (size_t)snprintf(sql + len, sizeof(sql) - len, "%s::text", col);
    free(col);
    want[k++] = c->default2;
    for (i = 1; i < c->n_cols; i++) {
        const struct case_col *cc = &c->cols[i];

        if (!cc->has_default || (cc->type != CASE_TEXT && cc->type != CASE_VARCHAR))
            continue;
        col = ident(final_name(c, i));
        len += (size_t)snprintf(sql + len, sizeof(sql) - len, ", %s::text", col);
        free(col);
        want[k++] = cc->def;
    }
    ck_assert_msg(len < sizeof(sql), "case %lu: statement too long", n);
    res = query(n, sql, 1, params);
    for (i = 0; i < k; i++)
        cell_is(n, res, 0, (int)i, want[i], "a literal default");
    PQclear(res);
    free(new_key);
    free(table);
    free(key);
}

static void run_case(unsigned long n, const struct ddl_case *c)
{
    pcsm_buf sql = PCSM_BUF_INIT;
    PGresult *res;
    char oid[32];
    int rc;

    current_case = c;
    clear_notices();
    test_exec(conn, "BEGIN");
    rc = pcsm_revision_sql(ctx, &case_rev, PCSM_UPGRADE, &sql);
    ck_assert_msg(rc == 0, "case %lu refused: %s", n, pcsm_error_last(ctx)->message);
    res = PQexec(conn, sql.ptr);
    if (PQresultStatus(res) != PGRES_COMMAND_OK) {
        /* The whole script on stderr: too long for a check message. */
        fprintf(stderr, "case %lu (seed %" PRIu64 "), SQL:\n%s\n", n, seed, sql.ptr);
        ck_abort_msg("case %lu (seed %" PRIu64 ") failed on the server: %.1000s", n, seed,
                     PQerrorMessage(conn));
    }
    PQclear(res);

    check_table(n, c, oid, sizeof(oid));
    check_columns(n, c, oid);
    check_constraints_and_indexes(n, c, oid);
    check_data(n, c);
    check_defaults(n, c);

    /* assert(false, msg) fails with P0004 and exactly msg. */
    pcsm_buf_clear(&sql);
    ck_assert_int_eq(pcsm_revision_sql(ctx, &case_rev, PCSM_DOWNGRADE, &sql), 0);
    res = PQexec(conn, sql.ptr);
    ck_assert_msg(PQresultStatus(res) == PGRES_FATAL_ERROR, "case %lu: the assertion passed", n);
    ck_assert_str_eq(PQresultErrorField(res, PG_DIAG_SQLSTATE), "P0004");
    ck_assert_msg(!strcmp(PQresultErrorField(res, PG_DIAG_MESSAGE_PRIMARY), c->msg),
                  "case %lu: assertion message '%s', expected '%s'", n,
                  PQresultErrorField(res, PG_DIAG_MESSAGE_PRIMARY), c->msg);
    PQclear(res);
    test_exec(conn, "ROLLBACK");
    pcsm_buf_dispose(&sql);
}

static double now(void)
{
    struct timespec t;

    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)t.tv_sec + (double)t.tv_nsec / 1e9;
}

/* The cases in order, until n_cases or the time budget: always a prefix of one sequence. */
START_TEST(test_render_pg_random_cases_round_trip)
{
    static struct ddl_case c;
    struct case_src src;
    unsigned long n;
    double start = now();

    case_src_seed(&src, seed);
    for (n = 0; n < n_cases && now() - start < budget; n++) {
        ddl_case_generate(&c, &src, true);
        run_case(n, &c);
    }
    printf("# render_pg: %lu cases in %.1f s (seed %" PRIu64 ")%s\n", n, now() - start, seed,
           n < n_cases ? ", stopped by the time budget" : "");
    fflush(stdout);
    /* A run that tried nothing proved nothing: a zero budget or count is a failure. */
    ck_assert_msg(n > 0, "render_pg ran no case (PCSM_FUZZ_PG_CASES %lu, "
                  "PCSM_FUZZ_PG_SECONDS %g)", n_cases, budget);
}
END_TEST

/* A case runs in a transaction that is rolled back: nothing of it stays. */
START_TEST(test_render_pg_case_leaves_nothing_behind)
{
    static struct ddl_case c;
    struct case_src src;
    PGresult *res;
    const char *params[1];

    case_src_seed(&src, seed);
    ddl_case_generate(&c, &src, true);
    run_case(0, &c);
    /* Rolled back: the table must be gone again. */
    params[0] = c.table2;
    res = query(0, "SELECT count(*) FROM pg_class WHERE relname = $1", 1, params);
    ck_assert_str_eq(PQgetvalue(res, 0, 0), "0");
    PQclear(res);
}
END_TEST

/*
 * Deterministic: the seed is printed.  PCSM_FUZZ_PG_SEED, PCSM_FUZZ_PG_CASES
 * (2000) and PCSM_FUZZ_PG_SECONDS (25: a bound, so a slow machine runs a
 * prefix of the same cases) change the run; one that leaves no case to run
 * fails.
 */
int main(void)
{
    Suite *s = suite_create("render_pg");
    TCase *tc = tcase_create("render_pg");
    const char *env;

    test_require_db();
    if ((env = getenv("PCSM_FUZZ_PG_SEED")) && *env)
        seed = strtoull(env, NULL, 0);
    if ((env = getenv("PCSM_FUZZ_PG_CASES")) && *env)
        n_cases = strtoul(env, NULL, 0);
    if ((env = getenv("PCSM_FUZZ_PG_SECONDS")) && *env)
        budget = strtod(env, NULL);
    printf("# render_pg: up to %lu cases or %.0f s, seed %" PRIu64 "\n", n_cases, budget, seed);
    fflush(stdout);
    tcase_add_checked_fixture(tc, setup, teardown);
    tcase_set_timeout(tc, budget + 60);
    tcase_add_test(tc, test_render_pg_case_leaves_nothing_behind);
    tcase_add_test(tc, test_render_pg_random_cases_round_trip);
    suite_add_tcase(s, tc);
    return test_run_suite(s);
}
