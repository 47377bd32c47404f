/*
 * Torture: the server restarted (pg_ctl restart -m fast) under a running
 * pcs-migrate, on a private cluster: inside a revision, at a random point of
 * a long chain, while waiting for the migration lock; and stopped and
 * started while a runner waits for it (--wait).  A run cut off exits 3 (the
 * connection was lost), leaves nothing half-applied, and a re-run succeeds.
 */
#define _GNU_SOURCE /* asprintf */
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "torture.h"

/* The migration lock: (1885565805, hashtext(schema || '.' || version_table)). */
#define LOCK_SQL "SELECT pg_advisory_lock(1885565805, hashtext('public.alembic_version'))"
#define CHAIN 600

static char db[64];
static PGconn *conn;
static char *url;               /* the runner's URL, with the scram role's password */

static void setup(void)
{
    char sql[160];

    conn = test_db_open(db, sizeof(db));
    snprintf(sql, sizeof(sql), "ALTER DATABASE \"%s\" OWNER TO " TORTURE_SCRAM, db);
    test_exec(conn, sql);
    url = cluster_url(TORTURE_SCRAM, TORTURE_SCRAM_PASSWORD_URL, db);
}

static void teardown(void)
{
    test_db_close(conn, db);
    free(url);
}

/* After a restart: the test's own connection died with the server; a new one. */
static void reconnect(void)
{
    PQfinish(conn);
    conn = test_connect(db);
}

/* No password in what a run printed. */
static void assert_no_secret(const struct proc_result *r, const char *what)
{
    ck_assert_msg(!strstr(r->out, TORTURE_MARK) && !strstr(r->err, TORTURE_MARK),
                  "%s: the password was printed: %s %s", what, test_flat(test_tail(r->out, 1200)),
                  test_flat(test_tail(r->err, 1200)));
}

/*
 * A run cut off by the restart: exit 3, as documented for a lost
 * connection, with a message that says so.
 */
static void assert_cut_off(const struct proc_result *r, const char *what)
{
    assert_no_secret(r, what);
    ck_assert_msg(r->status == 3, "%s: exit %d after the server restarted, want 3 (the "
                  "connection was lost) | %s", what, r->status,
                  test_flat(test_tail(r->err, 1200)));
    ck_assert_msg(strstr(r->err, "connection") != NULL, "%s: the error does not say the "
                  "connection was lost: %s", what, test_flat(test_tail(r->err, 1200)));
    ck_assert_msg(*r->out == '\0', "%s: printed a result: %s", what,
                  test_flat(test_tail(r->out, 1200)));
}

static void run(const char *bin, const char *const args[], struct proc_result *r)
{
    const char *argv[16];

    test_cmd_argv(argv, 16, bin, url, args);
    proc_run(argv, NULL, NULL, r);
}

static void start(struct proc_bg *b, const char *bin, const char *const args[])
{
    const char *argv[16];

    test_cmd_argv(argv, 16, bin, url, args);
    proc_start(b, argv, NULL, NULL);
}

/* The runner's backend pid, once it is connected (within timeout_s), else NULL. */
static char *runner_backend(double timeout_s)
{
    return test_await_rows(conn, "SELECT pid FROM pg_stat_activity WHERE datname = "
                                 "current_database() AND application_name = 'pcs-migrate'",
                           timeout_s);
}

/* ----------------------------------------------------- inside a revision */

/*
 * The sleepy fixture's second revision sleeps on the server: the restart
 * lands inside it, deterministically.  In one transaction (_i = 0) nothing
 * stays; per migration (_i = 1) the first revision does.
 */
START_TEST(test_restart_inside_a_revision)
{
    const char *args[] = { "migrate", _i ? "--transaction-per-migration" : NULL, NULL };
    const char *rerun[] = { "migrate", NULL };
    char sql[160], *sleeping;
    struct proc_result r;
    struct proc_bg b;
    double took;

    snprintf(sql, sizeof(sql), "ALTER DATABASE \"%s\" SET pcsm_test.sleep = '60'", db);
    test_exec(conn, sql);
    start(&b, "sleepy", args);
    sleeping = test_await_rows(conn, "SELECT pid FROM pg_stat_activity WHERE datname = "
                                     "current_database() AND state = 'active' "
                                     "AND query LIKE 'SELECT pg_sleep%'", 30);
    ck_assert_msg(sleeping != NULL, "the sleeping revision never ran");
    took = cluster_ctl("restart");
    proc_wait(&b, 30, &r);
    assert_cut_off(&r, "restart inside d10000000002");
    ck_assert_msg(strstr(r.err, "d10000000002") != NULL, "the error does not name the "
                  "revision: %s", test_flat(test_tail(r.err, 1200)));
    proc_result_free(&r);

    reconnect();
    if (_i == 0) {
        char *snapshot = test_catalog_snapshot(conn, NULL);

        ck_assert_msg(!strcmp(snapshot, ""), "one transaction, yet after the restart: %s",
                      test_flat(snapshot));
        free(snapshot);
    } else {
        test_assert_query(conn, "SELECT string_agg(relname, ',' ORDER BY relname) FROM pg_class "
                                "WHERE relnamespace = 'public'::regnamespace AND relkind = 'r'",
                          "alembic_version,pcs_migrate_history,s1");
        test_assert_query(conn, "SELECT string_agg(version_num, ',') FROM alembic_version",
                          "d10000000001");
        test_assert_query(conn, "SELECT string_agg(revision || ':' || event, ',' ORDER BY id) "
                                "FROM pcs_migrate_history", "d10000000001:upgrade");
    }
    snprintf(sql, sizeof(sql), "ALTER DATABASE \"%s\" SET pcsm_test.sleep = '0'", db);
    test_exec(conn, sql);
    run("sleepy", rerun, &r);
    assert_no_secret(&r, "re-run");
    ck_assert_msg(r.status == 0, "re-run: exit %d | %s", r.status,
                  test_flat(test_tail(r.err, 1200)));
    proc_result_free(&r);
    test_assert_query(conn, "SELECT string_agg(relname, ',' ORDER BY relname) FROM pg_class "
                            "WHERE relnamespace = 'public'::regnamespace AND relkind = 'r'",
                      "alembic_version,pcs_migrate_history,s1,s2,s3");
    test_assert_query(conn, "SELECT string_agg(version_num, ',') FROM alembic_version",
                      "d10000000002");
    test_assert_query(conn, "SELECT count(*) FILTER (WHERE event = 'upgrade'), "
                            "count(DISTINCT revision) FILTER (WHERE event = 'upgrade') "
                            "FROM pcs_migrate_history", "2|2");
    torture_note("restart inside a revision (%s): pg_ctl restart -m fast took %.2f s; the run "
                 "exited 3, %s; the re-run reached d10000000002",
                 _i ? "per migration" : "one transaction", took,
                 _i ? "d10000000001 stayed committed" : "the database was left as it was");
    free(sleeping);
}
END_TEST

/* ---------------------------------------------- at a random point of a chain */

/*
 * chain1000 up to revision 600, restarted once the run is a random way in:
 * in one transaction (_i = 0) when its backend holds that many relation
 * locks (its uncommitted tables), per migration (_i = 1) once that many
 * revisions are committed.  Several trials.
 */
START_TEST(test_restart_at_random_points)
{
    int trials = torture_count("PCSM_TORTURE_RESTARTS", 3), t;
    char **ids = test_chain_ids("chain1000", CHAIN);
    const char *target = ids[CHAIN - 1];
    const char *args[] = { "upgrade", target, _i ? "--transaction-per-migration" : NULL, NULL };
    long objects = 0;
    int min_at = CHAIN, max_at = 0;
    double restart_s = 0;

    torture_seed(_i ? "restart per migration" : "restart one transaction");
    for (t = 0; t < trials; t++) {
        /* Within the first half of the run: the second half is left for pg_ctl to act. */
        int at = 10 + (int)(torture_random() * (CHAIN / 2 - 10));
        char sql[400], *backend, *v;
        struct proc_result r;
        struct proc_bg b;
        int left;

        start(&b, "chain1000", args);
        backend = runner_backend(30);
        ck_assert_msg(backend != NULL, "trial %d: the runner never connected", t);
        if (_i == 0)
            snprintf(sql, sizeof(sql), "SELECT 1 FROM pg_locks WHERE pid = %s AND locktype = "
                     "'relation' AND mode = 'AccessExclusiveLock' HAVING count(*) >= %d",
                     backend, 2 * at);
        else
            snprintf(sql, sizeof(sql), "SELECT 1 FROM pg_class WHERE relnamespace = "
                     "'public'::regnamespace AND relkind = 'r' AND relname ~ '^t_[0-9]+$' "
                     "HAVING count(*) >= %d", at);
        v = test_await_rows(conn, sql, 60);
        if (!v) {
            kill(b.pid, SIGKILL);
            proc_wait(&b, 10, &r);
            ck_abort_msg("trial %d: the run never reached revision %d (exit %d) | %s", t, at,
                         r.status, test_flat(test_tail(r.err, 1200)));
        }
        free(v);
        restart_s += cluster_ctl("restart");
        proc_wait(&b, 30, &r);
        assert_cut_off(&r, "restart in the chain");
        proc_result_free(&r);

        reconnect();
        left = test_chain_check(conn, ids, CHAIN, &objects);
        ck_assert_msg(_i ? left >= at : left == 0, "trial %d: restarted at revision %d, "
                      "%d applied", t, at, left);
        if (at < min_at)
            min_at = at;
        if (at > max_at)
            max_at = at;

        run("chain1000", args, &r);
        assert_no_secret(&r, "re-run");
        ck_assert_msg(r.status == 0, "trial %d: re-run: exit %d | %s", t, r.status,
                      test_flat(test_tail(r.err, 1200)));
        proc_result_free(&r);
        ck_assert_int_eq(test_chain_check(conn, ids, CHAIN, &objects), CHAIN);
        /* Everything the runner made is the role's: back to an empty database. */
        test_exec(conn, "DROP OWNED BY " TORTURE_SCRAM);
        free(backend);
    }
    torture_note("restart at random points (%s): %d restarts %s revision %d..%d of %d "
                 "(mean pg_ctl restart %.2f s); every run exited 3, the catalog agreed "
                 "with the version and history tables (%ld objects and rows verified), "
                 "every re-run reached %s", _i ? "per migration" : "one transaction", trials,
                 _i ? "after" : "while applying", min_at, max_at, CHAIN, restart_s / trials,
                 objects, target);
    test_chain_ids_free(ids, CHAIN);
}
END_TEST

/* ------------------------------------------------- waiting for the lock */

/* The holder and the waiter both lose their sessions: the waiter exits 3, nothing applied. */
START_TEST(test_restart_while_waiting_for_the_lock)
{
    const char *args[] = { "migrate", "--lock-timeout", "120", NULL };
    PGconn *holder = test_connect(db);
    struct proc_result r;
    struct proc_bg b;

    test_exec(holder, LOCK_SQL);
    start(&b, "linear", args);
    ck_assert_msg(proc_await_stderr(&b, "waiting for the migration lock", 30),
                  "the runner never waited for the lock");
    cluster_ctl("restart");
    proc_wait(&b, 30, &r);
    assert_cut_off(&r, "restart while waiting for the lock");
    proc_result_free(&r);
    PQfinish(holder);
    reconnect();
    test_assert_query(conn, "SELECT count(*) FROM pg_class WHERE relnamespace = "
                            "'public'::regnamespace", "0");
    run("linear", args, &r);
    assert_no_secret(&r, "re-run");
    ck_assert_msg(r.status == 0, "re-run: exit %d | %s", r.status,
                  test_flat(test_tail(r.err, 1200)));
    proc_result_free(&r);
    test_assert_query(conn, "SELECT string_agg(version_num, ',') FROM alembic_version",
                      "a10000000005");
    torture_note("restart while waiting for the lock: the waiter exited 3, nothing applied; "
                 "the re-run reached a10000000005");
}
END_TEST

/* ------------------------------------------------------------ --wait */

/*
 * The server stopped, a runner started with --wait, the server started
 * again: the runner rides it out and migrates.
 */
START_TEST(test_wait_across_stop_and_start)
{
    const char *args[] = { "migrate", "--wait", "120", NULL };
    struct proc_result r;
    struct proc_bg b, ctl;
    double t0, took;
    bool starting;

    cluster_ctl("stop");
    start(&b, "linear", args);
    ck_assert_msg(proc_await_stderr(&b, "waiting for the server", 30),
                  "the runner did not wait for the stopped server");
    ck_assert_msg(!proc_done(&b), "the runner gave up");
    t0 = test_now_s();
    cluster_ctl_bg(&ctl, "start");
    proc_wait(&ctl, 90, &r);
    ck_assert_msg(r.status == 0, "pg_ctl start: exit %d | %s", r.status,
                  test_flat(test_tail(r.err, 1200)));
    proc_result_free(&r);
    proc_wait(&b, 60, &r);
    took = test_now_s() - t0;
    assert_no_secret(&r, "--wait across a stop and start");
    ck_assert_msg(r.status == 0, "--wait across a stop and start: exit %d | %s", r.status,
                  test_flat(test_tail(r.err, 1200)));
    starting = strstr(r.err, "starting up") != NULL;
    proc_result_free(&r);
    reconnect();
    test_assert_query(conn, "SELECT string_agg(version_num, ',') FROM alembic_version",
                      "a10000000005");
    torture_note("--wait across a stop and start: the runner waited out the stopped server%s "
                 "and migrated %.1f s after pg_ctl start was issued",
                 starting ? " and its start-up" : "", took);
}
END_TEST

int main(void)
{
    Suite *s = suite_create("torture_restart");
    TCase *tc = tcase_create("restart");
    int rc;

    test_require_db();
    cluster_start();
    cluster_create_roles();
    torture_note("restart: private cluster on 127.0.0.1:%s (socket in %s); runners log in "
                 "as " TORTURE_SCRAM " with scram-sha-256", cluster_port(), cluster_socket_dir());
    tcase_add_checked_fixture(tc, setup, teardown);
    tcase_set_timeout(tc, 600);
    tcase_add_loop_test(tc, test_restart_inside_a_revision, 0, 2);
    tcase_add_loop_test(tc, test_restart_at_random_points, 0, 2);
    tcase_add_test(tc, test_restart_while_waiting_for_the_lock);
    tcase_add_test(tc, test_wait_across_stop_and_start);
    suite_add_tcase(s, tc);
    rc = test_run_suite(s);
    cluster_stop();
    return rc;
}
