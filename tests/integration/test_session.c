/*
 * Integration tests (suite "session") of the session slice of issue 20, on
 * the session fixture: pcsm_set_local() seen by its revision and not by the
 * next (one transaction, and a nontransactional revision's SET through a
 * --sql script), LOCK TABLE held while a later statement of the revision
 * waits and named after a lock timeout, run-time guards true and false
 * online and through --sql into psql, and a batched update from a join.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "support.h"

static char db[64];
static PGconn *conn;
static char *url;
static struct proc_result r;

#define ASSERT_QUERY(c, sql, want)                                                    \
    do {                                                                              \
        char *got_ = test_query((c), (sql));                                          \
        ck_assert_msg(strcmp(got_, (want)) == 0, "%s:\ngot  %s\nwant %s", (sql), got_, \
                      (want));                                                        \
        free(got_);                                                                   \
    } while (0)
#define ASSERT_ERR_HAS(res, s) \
    ck_assert_msg(strstr((res).err, (s)) != NULL, "'%s' not on stderr:\n%s", (s), (res).err)
#define ASSERT_ERR_LACKS(res, s) \
    ck_assert_msg(strstr((res).err, (s)) == NULL, "'%s' on stderr:\n%s", (s), (res).err)

static void run(const char *const args[])
{
    const char *argv[24];

    test_cmd_argv(argv, 24, "session", url, args);
    proc_result_free(&r);
    proc_run(argv, NULL, NULL, &r);
}

#define RUN(...) run((const char *const[]){ __VA_ARGS__, NULL })
#define ASSERT_EXIT(n) \
    ck_assert_msg(r.status == (n), "exit %d, expected %d\nstderr:\n%s", r.status, (n), r.err)

/* Every order's account_name is its account's name, as d70000000002 rewrites it. */
#define ORDERS_FROM_ACCOUNTS \
    "SELECT count(*) FROM orders o JOIN accounts a ON a.id = o.account_id " \
    "WHERE o.account_name IS NOT DISTINCT FROM a.name"

/*
 * d70000000002 takes SHARE ROW EXCLUSIVE on accounts, then waits for an
 * advisory lock the test holds: while it waits, pg_locks shows its lock on
 * accounts.  Its settings are seen by it and not by d70000000003, in the
 * same transaction; the guard's condition holds (guard_on exists), so its
 * operations run; orders.account_name comes from accounts in 3 batches.
 */
START_TEST(test_session_online_settings_lock_guard_true)
{
    PGconn *holder = test_connect(db);
    const char *argv[] = { test_bin("session"), "upgrade", "d70000000003",
                           "--database-url", url, NULL };
    struct proc_bg b;
    struct proc_result res;

    RUN("upgrade", "d70000000001");
    ASSERT_EXIT(0);
    test_exec(conn, "CREATE TABLE guard_on ()");
    test_exec(holder, "SELECT pg_advisory_lock(707070)");
    proc_start(&b, argv, NULL, NULL);
    ck_assert_msg(test_await_value(conn, "SELECT count(*) FROM pg_locks WHERE "
                                         "locktype = 'advisory' AND objid = 707070 "
                                         "AND NOT granted", "1", 60),
                  "the revision never waited for the advisory lock");
    /* The waiter is the runner, holding accounts in the mode it asked for. */
    ASSERT_QUERY(conn, "SELECT string_agg(l.mode, ',') FROM pg_locks l "
                       "WHERE l.relation = 'accounts'::regclass AND l.granted AND l.pid = "
                       "(SELECT pid FROM pg_locks WHERE locktype = 'advisory' "
                       "AND objid = 707070 AND NOT granted)",
                 "ShareRowExclusiveLock");
    ck_assert(!proc_done(&b));
    test_exec(holder, "SELECT pg_advisory_unlock(707070)");
    proc_wait(&b, 120, &res);
    ck_assert_msg(res.status == 0, "exit %d\n%s", res.status, res.err);
    ASSERT_ERR_HAS(res, "upgrade d70000000002: if (line 26): condition true, "
                        "3 operations run");
    ASSERT_ERR_HAS(res, "batch_update \"accounts\": batch 3, 200 rows, 1000 in all");
    ASSERT_ERR_HAS(res, "batch_update_from \"orders\": batch 1, 1000 rows, 1000 in all");
    ASSERT_ERR_HAS(res, "batch_update_from \"orders\": batch 3, 500 rows, 2500 in all");
    ASSERT_ERR_LACKS(res, "batch 4,");
    proc_result_free(&res);
    PQfinish(holder);

    ASSERT_QUERY(conn, "SELECT string_agg(revision || ':' || what || '=' || "
                       "coalesce(value, 'NULL'), ' ' ORDER BY revision, what) FROM seen",
                 "d2:flag=it's on d2:guard=ran d2:lock_timeout=1min "
                 "d3:flag= d3:lock_timeout=5s");
    ASSERT_QUERY(conn, "SELECT to_regclass('ix_orders_account') IS NOT NULL", "t");
    ASSERT_QUERY(conn, "SELECT count(*) FROM accounts WHERE name = upper(name)", "1000");
    ASSERT_QUERY(conn, ORDERS_FROM_ACCOUNTS, "2500");
    ASSERT_QUERY(conn, "SELECT count(*) FROM orders WHERE account_name LIKE 'ACCOUNT %'",
                 "2500");
}
END_TEST

/* The guard's condition false: none of its operations ran, and the log says so. */
START_TEST(test_session_online_guard_false)
{
    RUN("upgrade", "d70000000003", "--transaction-per-migration");
    ASSERT_EXIT(0);
    ASSERT_ERR_HAS(r, "upgrade d70000000002: if (line 26): condition false, "
                      "3 operations skipped");
    ASSERT_QUERY(conn, "SELECT count(*) FROM seen WHERE what = 'guard'", "0");
    ASSERT_QUERY(conn, "SELECT to_regclass('ix_orders_account') IS NULL", "t");
    ASSERT_QUERY(conn, "SELECT count(*) FROM accounts WHERE name = upper(name)", "0");
    ASSERT_QUERY(conn, ORDERS_FROM_ACCOUNTS, "2500");
    ASSERT_QUERY(conn, "SELECT string_agg(revision || ':' || what || '=' || "
                       "coalesce(value, 'NULL'), ' ' ORDER BY revision, what) FROM seen "
                       "WHERE what = 'lock_timeout'",
                 "d2:lock_timeout=1min d3:lock_timeout=5s");
    /* The downgrade's guard holds only when the index is there: it is not. */
    RUN("downgrade", "d70000000001");
    ASSERT_EXIT(0);
    ASSERT_ERR_HAS(r, "condition false, 1 operation skipped");
    ASSERT_QUERY(conn, "SELECT count(*) FROM orders WHERE account_name IS NOT NULL", "0");
}
END_TEST

/*
 * The nontransactional revision's SET is seen by it; online it ran on a
 * connection of its own, reset before it went.
 */
START_TEST(test_session_online_outside_setting)
{
    RUN("migrate");
    ASSERT_EXIT(0);
    ASSERT_QUERY(conn, "SELECT string_agg(revision || '=' || coalesce(value, 'NULL'), ' ' "
                       "ORDER BY revision) FROM seen WHERE what = 'outside'",
                 "d4=set outside d5=NULL");
}
END_TEST

/* LOCK TABLE waits under --ddl-lock-timeout, and the holder of its table is named. */
START_TEST(test_session_lock_timeout_names_the_holder)
{
    PGconn *traffic = test_connect(db);
    char holder[64];

    RUN("upgrade", "d70000000001");
    ASSERT_EXIT(0);
    snprintf(holder, sizeof(holder), "table accounts held by pid %d (", PQbackendPID(traffic));
    test_exec(traffic, "BEGIN");
    test_exec(traffic, "LOCK TABLE accounts IN ROW EXCLUSIVE MODE");
    RUN("upgrade", "d70000000002", "--ddl-lock-timeout", "0.1", "--ddl-retries", "0");
    ASSERT_EXIT(4);
    ASSERT_ERR_HAS(r, "SQLSTATE 55P03");
    ASSERT_ERR_HAS(r, "lock_table \"accounts\"");
    ASSERT_ERR_HAS(r, holder);
    ASSERT_ERR_HAS(r, "RowExclusiveLock)");
    test_exec(traffic, "ROLLBACK");
    PQfinish(traffic);
    ASSERT_QUERY(conn, "SELECT version_num FROM alembic_version", "d70000000001");
}
END_TEST

/* `bin upgrade --sql range` into psql on db; psql's stderr (NOTICEs) into *err. */
static void apply_sql(const char *range, char **err)
{
    const char *gen[] = { test_bin("session"), "upgrade", "--sql", range, NULL };
    const char *psql[] = { "psql", "-X", "-q", "-v", "ON_ERROR_STOP=1", "-d", url, NULL };
    struct proc_result script, applied;

    proc_run(gen, NULL, NULL, &script);
    ck_assert_msg(script.status == 0, "--sql %s: %s", range, script.err);
    proc_run(psql, script.out, NULL, &applied);
    ck_assert_msg(applied.status == 0, "psql: %s\nscript:\n%s", applied.err, script.out);
    *err = strdup(applied.err);
    proc_result_free(&script);
    proc_result_free(&applied);
}

/*
 * Through --sql and psql: the guard is a DO block (its batched update a DO
 * within it), true then false; settings end with their revision, the
 * nontransactional revision's SET too, although psql runs the whole script
 * in one session.
 */
START_TEST(test_session_sql_script_guard_true_and_false)
{
    char *err;
    int pass;

    for (pass = 0; pass < 2; pass++) {
        if (pass == 1) {
            test_exec(conn, "DROP SCHEMA public CASCADE");
            test_exec(conn, "CREATE SCHEMA public");
            test_exec(conn, "CREATE TABLE guard_on ()");
        }
        apply_sql("base:head", &err);
        ck_assert_msg(strstr(err, pass ? "if: condition true, 3 operations run"
                                       : "if: condition false, 3 operations skipped") != NULL,
                      "%s", err);
        if (pass == 1)
            ck_assert_msg(strstr(err, "batch_update \"accounts\": batch 3, 200 rows, "
                                      "1000 in all") != NULL, "%s", err);
        ck_assert_msg(strstr(err, "batch_update_from \"orders\": batch 3, 500 rows, "
                                  "2500 in all") != NULL, "%s", err);
        free(err);
        ASSERT_QUERY(conn, "SELECT string_agg(revision || ':' || what || '=' || "
                           "coalesce(value, 'NULL'), ' ' ORDER BY revision, what) FROM seen "
                           "WHERE what <> 'lock_timeout'",
                     pass ? "d2:flag=it's on d2:guard=ran d3:flag= d4:outside=set outside "
                            "d5:outside="
                          : "d2:flag=it's on d3:flag= d4:outside=set outside d5:outside=");
        /* The script sets no lock_timeout of its own: the server's, 0, after d2's. */
        ASSERT_QUERY(conn, "SELECT string_agg(revision || '=' || value, ' ' "
                           "ORDER BY revision) FROM seen WHERE what = 'lock_timeout'",
                     "d2=1min d3=0");
        ASSERT_QUERY(conn, "SELECT to_regclass('ix_orders_account') IS NOT NULL",
                     pass ? "t" : "f");
        ASSERT_QUERY(conn, "SELECT count(*) FROM accounts WHERE name = upper(name)",
                     pass ? "1000" : "0");
        ASSERT_QUERY(conn, ORDERS_FROM_ACCOUNTS, "2500");
        ASSERT_QUERY(conn, "SELECT version_num FROM alembic_version", "d70000000005");
    }
}
END_TEST

static void teardown(void)
{
    proc_result_free(&r);
}

int main(void)
{
    Suite *s = suite_create("session");
    TCase *tc = tcase_create("session");

    test_require_db();
    test_fresh_db_fixture(tc, db, sizeof(db), &conn, &url);
    tcase_add_checked_fixture(tc, NULL, teardown);
    tcase_set_timeout(tc, 300);
    tcase_add_test(tc, test_session_online_settings_lock_guard_true);
    tcase_add_test(tc, test_session_online_guard_false);
    tcase_add_test(tc, test_session_online_outside_setting);
    tcase_add_test(tc, test_session_lock_timeout_names_the_holder);
    tcase_add_test(tc, test_session_sql_script_guard_true_and_false);
    suite_add_tcase(s, tc);
    return test_run_suite(s);
}
