/*
 * The container init step under stress, with the real binaries against a
 * real server: many runners racing on one database, the migration lock,
 * signals and kills in the middle of a revision, --wait for a server that
 * comes up late or is out of connection slots.  Every verdict comes from
 * exit statuses and the database's own catalogs.  tests/torture holds the
 * heavier versions, and the tests that no password is ever echoed.
 */
#define _GNU_SOURCE /* asprintf */
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "support.h"

#define SECRET "S3cr3t-Pa55"
#define SECRET_USER "pcsm_secret_user"
#define RUNNERS 16
/* The migration lock: (1885565805, hashtext(schema || '.' || version_table)). */
#define LOCK_SQL(key) "SELECT pg_advisory_lock(1885565805, hashtext('" key "'))"
/* pg_locks is cluster-wide: other test programs may be migrating next door. */
#define THIS_DB "(SELECT oid FROM pg_database WHERE datname = current_database())"

static char db[64];
static PGconn *conn;

/* ------------------------------------------------------------- helpers */

/*
 * Runs bin with args, and --database-url url (unless NULL) in front: options
 * must come before a command's operands.  env as bg_start.
 */
static void run_cmd(const char *bin, const char *url, const char *const args[],
                    const char *const env[], struct proc_result *r)
{
    const char *argv[24];

    test_cmd_argv(argv, 24, bin, url, args);
    proc_run(argv, NULL, env, r);
}

static void migrate_ok(const char *bin, const char *url)
{
    const char *args[] = { "migrate", NULL };
    struct proc_result r;

    run_cmd(bin, url, args, NULL, &r);
    ck_assert_msg(r.status == 0, "%s migrate: %d | %s", bin, r.status, test_flat(r.err));
    proc_result_free(&r);
}

static void assert_has(const char *text, const char *needle, const char *what)
{
    ck_assert_msg(strstr(text, needle) != NULL, "%s lacks \"%s\": %s", what, needle,
                  test_flat(text));
}

/* The tables of the public schema, comma-separated. */
static const char tables_sql[] =
    "SELECT coalesce(string_agg(relname, ',' ORDER BY relname), '') FROM pg_class "
    "WHERE relnamespace = 'public'::regnamespace AND relkind = 'r'";

/* ---------------------------------------------------------------- races */

/*
 * RUNNERS copies of `migrate` released at once on an empty database: all
 * succeed, every revision is applied once and in chain order, and nobody
 * ever blocks in pg_advisory_lock (no ungranted advisory lock is ever seen
 * while they run: the lock is polled).  With `one_runner` (a single
 * transaction) exactly one runner applies anything; per migration, the
 * lock is taken per transaction, so runners may take turns.
 */
static void race(const char *bin, const char *flag, int expect_tables, bool one_runner)
{
    struct proc_bg b[RUNNERS];
    int gate[2], i, applied = 0, idle = 0, samples = 0;
    char *ci = test_conninfo(db), *head = test_rev_id(bin, "head"), want[64];
    const char *argv[] = { test_bin(bin), "migrate", "--database-url", ci, flag, NULL };
    double deadline;
    bool all_done;

    ck_assert_int_eq(pipe(gate), 0);
    for (i = 0; i < RUNNERS; i++)
        proc_start(&b[i], argv, NULL, gate);
    close(gate[0]);
    close(gate[1]);     /* go */

    deadline = test_now_s() + 90;
    do {
        char *waiting = test_query(conn, "SELECT count(*) FROM pg_locks "
                                         "WHERE locktype = 'advisory' AND NOT granted "
                                         "AND database = " THIS_DB);

        ck_assert_msg(!strcmp(waiting, "0"), "%s sessions blocked on an advisory lock",
                      waiting);
        free(waiting);
        samples++;
        all_done = true;
        for (i = 0; i < RUNNERS; i++)
            all_done &= proc_done(&b[i]);
        if (!all_done)
            test_nap_ms(5);
    } while (!all_done && test_now_s() < deadline);

    for (i = 0; i < RUNNERS; i++) {
        struct proc_result r;

        proc_wait(&b[i], 1, &r);
        ck_assert_msg(r.status == 0, "runner %d: exit %d | %s", i, r.status, test_flat(r.err));
        applied += strstr(r.err, ": now at: ") != NULL;
        idle += strstr(r.err, ": nothing to do, at: ") != NULL;
        ck_assert_msg(strstr(r.out, head) != NULL, "runner %d printed %s", i, test_flat(r.out));
        proc_result_free(&r);
    }
    ck_assert_msg(one_runner ? applied == 1 && idle == RUNNERS - 1
                             : applied >= 1 && applied + idle == RUNNERS,
                  "%d runners applied, %d idle", applied, idle);
    ck_assert_int_gt(samples, 0);

    snprintf(want, sizeof(want), "%d|%d", expect_tables, expect_tables);
    test_assert_query(conn, "SELECT count(*), count(DISTINCT relname) FROM pg_class "
                            "WHERE relnamespace = 'public'::regnamespace AND relkind = 'r' "
                            "AND relname NOT IN ('alembic_version', 'pcs_migrate_history')", want);
    test_assert_query(conn, "SELECT string_agg(version_num, ',') FROM alembic_version", head);
    /* One 'upgrade' row per revision, no duplicates, no failures. */
    test_assert_query(conn, "SELECT count(*), count(DISTINCT revision) FROM pcs_migrate_history "
                            "WHERE event = 'upgrade'", want);
    test_assert_query(conn, "SELECT count(*) FROM pcs_migrate_history WHERE event <> 'upgrade'",
                      "0");
    /* In chain order: each row's parent is the row before it. */
    test_assert_query(conn, "SELECT count(*) FROM (SELECT parents[1] AS parent, "
                            "lag(revision) OVER (ORDER BY id) AS prev FROM pcs_migrate_history) s "
                            "WHERE prev IS NOT NULL AND parent IS DISTINCT FROM prev", "0");
    free(ci);
    free(head);
}

/*
 * reset --yes among runners: it drops and migrates under the runners' lock,
 * in one transaction, so none of them ever sees the schema half gone; every
 * run succeeds and the database ends at head, each table there once.
 */
START_TEST(test_race_reset_among_runners)
{
    enum { ROUNDS = 5, N = 10 };
    char *ci = test_conninfo(db), *head = test_rev_id("linear", "head");
    const char *migrate[] = { test_bin("linear"), "migrate", "--database-url", ci, NULL };
    const char *reset[] = { test_bin("linear"), "reset", "--yes", "--database-url", ci, NULL };
    int round, i, resets = 0;

    migrate_ok("linear", ci);
    for (round = 0; round < ROUNDS; round++) {
        struct proc_bg b[N];
        int gate[2];

        ck_assert_int_eq(pipe(gate), 0);
        for (i = 0; i < N; i++)
            proc_start(&b[i], i % 4 == round % 4 ? reset : migrate, NULL, gate);
        close(gate[0]);
        close(gate[1]);     /* go */
        for (i = 0; i < N; i++) {
            struct proc_result r;

            proc_wait(&b[i], 60, &r);
            ck_assert_msg(r.status == 0, "round %d, %s %d: exit %d | %s", round,
                          i % 4 == round % 4 ? "reset" : "migrate", i, r.status,
                          test_flat(r.err));
            resets += i % 4 == round % 4;
            proc_result_free(&r);
        }
        test_assert_query(conn, "SELECT string_agg(version_num, ',') FROM alembic_version",
                          head);
        test_assert_query(conn, tables_sql, "accounts,alembic_version,audit_log,"
                                            "pcs_migrate_history,project_tags,projects,tags");
        /* The last reset's history: its own five upgrades, nothing failed. */
        test_assert_query(conn, "SELECT count(*), count(DISTINCT revision), "
                                "count(*) FILTER (WHERE event <> 'upgrade') "
                                "FROM pcs_migrate_history", "5|5|0");
    }
    printf("# reset among runners: %d rounds of %d runs, %d of them resets, all exit 0\n",
           ROUNDS, N, resets);
    free(ci);
    free(head);
}
END_TEST

/*
 * check beside runs that keep moving the database (down to base, up to
 * head): it reads the version rows and the history in one snapshot, so a
 * commit between two reads never looks like a tampered version table.
 */
START_TEST(test_check_beside_moving_runs)
{
    enum { CHECKS = 150 };
    char *ci = test_conninfo(db), *sh;
    const char *check[] = { "check", NULL };
    struct proc_bg mover;
    int i, ok = 0;

    migrate_ok("linear", ci);
    ck_assert(asprintf(&sh, "for i in $(seq 40); do '%s' downgrade base --database-url '%s' "
                            "&& '%s' migrate --database-url '%s' || exit 1; done 2>/dev/null",
                       test_bin("linear"), ci, test_bin("linear"), ci) > 0);
    {
        const char *argv[] = { "sh", "-c", sh, NULL };

        proc_start(&mover, argv, NULL, NULL);
    }
    for (i = 0; i < CHECKS && !proc_done(&mover); i++) {
        struct proc_result r;

        run_cmd("linear", ci, check, NULL, &r);
        ck_assert_msg(r.status == 0, "check %d: exit %d | %s", i, r.status, test_flat(r.err));
        ok++;
        proc_result_free(&r);
    }
    {
        struct proc_result r;

        proc_wait(&mover, 120, &r);
        ck_assert_msg(r.status == 0, "mover: exit %d | %s", r.status, test_flat(r.err));
        proc_result_free(&r);
    }
    ck_assert_int_gt(ok, 10);
    printf("# check beside moving runs: %d checks, all exit 0\n", ok);
    free(sh);
    free(ci);
}
END_TEST

/* Default mode: the whole chain in one transaction, by one runner. */
START_TEST(test_race_runners_one_transaction)
{
    race("chain1000", "--lock-timeout=60", 1000, true);
}
END_TEST

/* One transaction per revision: runners may take turns, each revision still once. */
START_TEST(test_race_runners_per_migration)
{
    race("chain1000", "--transaction-per-migration", 1000, false);
}
END_TEST

/* ----------------------------------------------------------------- lock */

/* The lock held elsewhere: exit 4 after --lock-timeout, naming the holder; nothing applied. */
START_TEST(test_lock_timeout_names_holder)
{
    PGconn *holder = test_connect(db);
    char *pid = test_query(holder, "SELECT pg_backend_pid()"), *ci = test_conninfo(db);
    const char *args[] = { "migrate", "--lock-timeout", "1", NULL };
    char held[64];
    struct proc_result r;
    double t0;

    test_exec(holder, LOCK_SQL("public.alembic_version"));
    t0 = test_now_s();
    run_cmd("linear", ci, args, NULL, &r);
    ck_assert_msg(r.status == 4, "exit %d | %s", r.status, test_flat(r.err));
    ck_assert_msg(test_now_s() - t0 >= 0.9 && test_now_s() - t0 < 15, "took %.1f s",
                  test_now_s() - t0);
    snprintf(held, sizeof(held), "held by pid %s ", pid);
    assert_has(r.err, held, "stderr");
    assert_has(r.err, "waiting for the migration lock", "stderr");
    test_assert_query(conn, tables_sql, "");
    proc_result_free(&r);
    PQfinish(holder);
    free(pid);
    free(ci);
}
END_TEST

/*
 * Advisory locks are per database, and the key is the same in every
 * database of the cluster: the holder named must be this database's, not
 * a session migrating a neighbour.  The neighbours are created before
 * (_i = 0) or after (_i = 1) the database, as pg_locks lists by hash order.
 */
START_TEST(test_lock_holder_named_in_this_database)
{
    enum { NEIGHBOURS = 4 };
    char others[NEIGHBOURS][64], target[64], *pid, *ci, held[64];
    PGconn *holders[NEIGHBOURS], *holder;
    const char *args[] = { "migrate", "--lock-timeout", "1", NULL };
    struct proc_result r;
    int i;

    if (_i == 1)
        test_db_create(target, sizeof(target));
    for (i = 0; i < NEIGHBOURS; i++) {
        test_db_create(others[i], sizeof(others[i]));
        holders[i] = test_connect(others[i]);
        test_exec(holders[i], LOCK_SQL("public.alembic_version"));
    }
    if (_i == 0)
        test_db_create(target, sizeof(target));
    holder = test_connect(target);
    test_exec(holder, LOCK_SQL("public.alembic_version"));
    pid = test_query(holder, "SELECT pg_backend_pid()");
    ci = test_conninfo(target);
    run_cmd("linear", ci, args, NULL, &r);
    for (i = 0; i < NEIGHBOURS; i++) {
        PQfinish(holders[i]);
        test_db_drop(others[i]);
    }
    PQfinish(holder);
    test_db_drop(target);
    ck_assert_msg(r.status == 4, "exit %d | %s", r.status, test_flat(r.err));
    snprintf(held, sizeof(held), "held by pid %s ", pid);
    assert_has(r.err, held, "stderr");
    proc_result_free(&r);
    free(pid);
    free(ci);
}
END_TEST

/* Up to date: one connect, one query, no lock, however long it is held. */
START_TEST(test_lock_up_to_date_needs_no_lock)
{
    PGconn *holder = test_connect(db);
    char *ci = test_conninfo(db);
    const char *args[] = { "migrate", NULL };
    struct proc_result r;
    double t0;

    migrate_ok("linear", ci);
    test_exec(holder, LOCK_SQL("public.alembic_version"));
    t0 = test_now_s();
    run_cmd("linear", ci, args, NULL, &r);
    ck_assert_msg(r.status == 0, "exit %d | %s", r.status, test_flat(r.err));
    ck_assert_msg(test_now_s() - t0 < 10, "took %.1f s", test_now_s() - t0);
    assert_has(r.err, "nothing to do", "stderr");
    ck_assert_ptr_null(strstr(r.err, "waiting for the migration lock"));
    proc_result_free(&r);
    PQfinish(holder);
    free(ci);
}
END_TEST

/*
 * A waiter polls (no ungranted lock in pg_locks while it waits) and goes
 * ahead as soon as the holder lets go.
 */
START_TEST(test_lock_waiter_proceeds_after_release)
{
    PGconn *holder = test_connect(db);
    char *ci = test_conninfo(db);
    const char *argv[] = { test_bin("linear"), "migrate", "--lock-timeout", "30",
                           "--database-url", ci, NULL };
    struct proc_result r;
    struct proc_bg b;
    int i;

    test_exec(holder, LOCK_SQL("public.alembic_version"));
    proc_start(&b, argv, NULL, NULL);
    ck_assert_msg(proc_await_stderr(&b, "waiting for the migration lock", 15),
                  "the runner never waited for the lock");
    for (i = 0; i < 10; i++) {
        test_assert_query(conn, "SELECT count(*) FROM pg_locks "
                                "WHERE locktype = 'advisory' AND NOT granted "
                                "AND database = " THIS_DB, "0");
        test_nap_ms(30);
    }
    ck_assert(!proc_done(&b));
    test_assert_query(conn, tables_sql, "");
    test_exec(holder, "SELECT pg_advisory_unlock_all()");
    proc_wait(&b, 20, &r);
    ck_assert_msg(r.status == 0, "exit %d | %s", r.status, test_flat(r.err));
    test_assert_query(conn, "SELECT string_agg(version_num, ',') FROM alembic_version",
                      "a10000000005");
    proc_result_free(&r);
    PQfinish(holder);
    free(ci);
}
END_TEST

/*
 * Per migration, the steps after the first go out pipelined, each taking
 * the lock again without waiting.  A runner queued for the lock gets it
 * the moment a step commits (here step 2, held up until the runner queues
 * by a SHARE lock on the version table); the run's next step finds the
 * lock gone, rolls back what it had sent, waits like any runner and reads
 * the state again.  Nothing is applied twice or skipped.
 */
START_TEST(test_lock_taken_between_pipelined_steps)
{
    PGconn *blocker = test_connect(db), *queued = test_connect(db);
    char *ci = test_conninfo(db);
    const char *first[] = { "upgrade", "a10000000001", NULL };
    const char *argv[] = { test_bin("linear"), "migrate", "--transaction-per-migration",
                           "--ddl-lock-timeout", "0", "--lock-timeout", "30",
                           "--database-url", ci, NULL };
    struct proc_result r;
    struct proc_bg b;
    PGresult *res;
    char *pid;

    run_cmd("linear", ci, first, NULL, &r);
    ck_assert_msg(r.status == 0, "upgrade: %d | %s", r.status, test_flat(r.err));
    proc_result_free(&r);
    test_exec(blocker, "BEGIN; LOCK TABLE alembic_version IN SHARE MODE");
    proc_start(&b, argv, NULL, NULL);
    pid = test_await_rows(conn, "SELECT pid FROM pg_locks WHERE NOT granted "
                                "AND relation = 'alembic_version'::regclass", 15);
    ck_assert_msg(pid, "the run never reached step 2's version row");
    ck_assert(PQsendQuery(queued, "BEGIN; SELECT pg_advisory_xact_lock(1885565805, "
                                  "hashtext('public.alembic_version'))"));
    free(test_await_rows(conn, "SELECT pid FROM pg_locks WHERE NOT granted "
                               "AND locktype = 'advisory' AND database = " THIS_DB, 15));
    test_exec(blocker, "COMMIT");
    while ((res = PQgetResult(queued)))    /* granted as step 2 commits */
        PQclear(res);
    ck_assert_msg(proc_await_stderr(&b, "another runner took the migration lock after "
                                        "a10000000002", 15),
                  "the run did not notice that it lost the lock");
    ck_assert_msg(proc_await_stderr(&b, "waiting for the migration lock", 15),
                  "the run did not wait for the lock");
    test_assert_query(conn, "SELECT string_agg(version_num, ',') FROM alembic_version",
                      "a10000000002");
    test_exec(queued, "COMMIT");
    proc_wait(&b, 20, &r);
    ck_assert_msg(r.status == 0, "exit %d | %s", r.status, test_flat(r.err));
    test_assert_query(conn, "SELECT string_agg(version_num, ',') FROM alembic_version",
                      "a10000000005");
    test_assert_query(conn, "SELECT string_agg(right(revision, 1) || ':' || event, ',' "
                            "ORDER BY id) FROM pcs_migrate_history",
                      "1:upgrade,2:upgrade,3:upgrade,4:upgrade,5:upgrade");
    test_assert_query(conn, tables_sql, "accounts,alembic_version,audit_log,"
                                        "pcs_migrate_history,project_tags,projects,tags");
    proc_result_free(&r);
    PQfinish(blocker);
    PQfinish(queued);
    free(pid);
    free(ci);
}
END_TEST

/*
 * check prints the revisions its drift read compared, not an earlier read:
 * it reads the version rows, then waits for the lock, and a run commits in
 * between (a10000000004 to a10000000005, made here by the lock holder from
 * the offline script).  current, pending and the drift comparison agree.
 */
START_TEST(test_check_prints_the_revisions_it_compared)
{
    PGconn *holder = test_connect(db);
    char *ci = test_conninfo(db);
    const char *up4[] = { "upgrade", "a10000000004", NULL };
    const char *sql5[] = { "upgrade", "--sql", "a10000000004:a10000000005", NULL };
    const char *argv[] = { test_bin("linear"), "check", "--lock-timeout", "30",
                           "--database-url", ci, NULL };
    struct proc_result r;
    struct proc_bg b;

    run_cmd("linear", ci, up4, NULL, &r);
    ck_assert_msg(r.status == 0, "upgrade: %d | %s", r.status, test_flat(r.err));
    proc_result_free(&r);
    run_cmd("linear", NULL, sql5, NULL, &r);
    ck_assert_msg(r.status == 0, "--sql: %d | %s", r.status, test_flat(r.err));
    test_exec(holder, LOCK_SQL("public.alembic_version"));
    proc_start(&b, argv, NULL, NULL);
    ck_assert_msg(proc_await_stderr(&b, "waiting for the migration lock", 15),
                  "check never waited for the lock");
    test_exec(holder, r.out);           /* the run, committed while check waits */
    proc_result_free(&r);
    test_exec(holder, "SELECT pg_advisory_unlock_all()");
    proc_wait(&b, 20, &r);
    ck_assert_msg(r.status == 0, "exit %d | %s | %s", r.status, test_flat(r.out),
                  test_flat(r.err));
    assert_has(r.out, "current: a10000000005\n", "stdout");
    assert_has(r.out, "pending: none\n", "stdout");
    assert_has(r.out, "drift: none\n", "stdout");
    proc_result_free(&r);
    PQfinish(holder);
    free(ci);
}
END_TEST

/* The key is per schema and version table: separate schemas do not wait on each other. */
START_TEST(test_lock_key_per_schema)
{
    PGconn *holder = test_connect(db);
    char *ci = test_conninfo(db);
    const char *other[] = { "migrate", "--schema", "pcsm_other", "--lock-timeout", "1", NULL };
    const char *third[] = { "migrate", "--schema", "pcsm_third", "--lock-timeout", "1", NULL };
    struct proc_result r;

    test_exec(holder, LOCK_SQL("public.alembic_version"));
    run_cmd("linear", ci, other, NULL, &r);
    ck_assert_msg(r.status == 0, "exit %d | %s", r.status, test_flat(r.err));
    proc_result_free(&r);
    test_assert_query(conn, "SELECT string_agg(version_num, ',') FROM pcsm_other.alembic_version",
                      "a10000000005");

    /* Its own key blocks it, even before its schema exists. */
    test_exec(holder, LOCK_SQL("pcsm_third.alembic_version"));
    run_cmd("linear", ci, third, NULL, &r);
    ck_assert_msg(r.status == 4, "exit %d | %s", r.status, test_flat(r.err));
    proc_result_free(&r);
    test_assert_query(conn, "SELECT to_regnamespace('pcsm_third') IS NULL", "t");
    test_assert_query(conn, tables_sql, "");
    PQfinish(holder);
    free(ci);
}
END_TEST

/* SIGTERM while waiting for the lock ends the wait at once: 143, nothing applied. */
START_TEST(test_lock_sigterm_while_waiting)
{
    PGconn *holder = test_connect(db);
    char *ci = test_conninfo(db);
    const char *argv[] = { test_bin("linear"), "migrate", "--lock-timeout", "60",
                           "--database-url", ci, NULL };
    struct proc_result r;
    struct proc_bg b;
    double t0;

    test_exec(holder, LOCK_SQL("public.alembic_version"));
    proc_start(&b, argv, NULL, NULL);
    ck_assert(proc_await_stderr(&b, "waiting for the migration lock", 15));
    t0 = test_now_s();
    kill(b.pid, SIGTERM);
    proc_wait(&b, 10, &r);
    ck_assert_msg(r.status == 143, "exit %d | %s", r.status, test_flat(r.err));
    ck_assert_msg(test_now_s() - t0 < 3, "took %.1f s after SIGTERM", test_now_s() - t0);
    test_assert_query(conn, tables_sql, "");
    proc_result_free(&r);
    PQfinish(holder);
    free(ci);
}
END_TEST

/* ------------------------------------------------------------- signals */

static const char sleeping_sql[] =
    "SELECT pid FROM pg_stat_activity WHERE datname = current_database() "
    "AND state = 'active' AND query LIKE 'SELECT pg_sleep%' AND pid <> pg_backend_pid()";

static void set_sleep(const char *seconds)
{
    char sql[160];

    snprintf(sql, sizeof(sql), "ALTER DATABASE \"%s\" SET pcsm_test.sleep = '%s'", db, seconds);
    test_exec(conn, sql);
}

/*
 * Starts `sleepy migrate` (flag may be NULL) and returns once its server
 * backend is inside pg_sleep; *backend gets that backend's pid.
 */
static void start_sleeper(struct proc_bg *b, const char *ci, const char *flag, char **backend)
{
    const char *argv[] = { test_bin("sleepy"), "migrate", "--database-url", ci, flag, NULL };

    proc_start(b, argv, NULL, NULL);
    *backend = test_await_rows(conn, sleeping_sql, 15);
    if (!*backend) {
        struct proc_result r;

        kill(b->pid, SIGKILL);
        proc_wait(b, 5, &r);
        ck_abort_msg("the sleeping revision never ran (exit %d) | %s", r.status,
                     test_flat(r.err));
    }
}

/* The backend has gone (the session and its locks with it). */
static void await_backend_gone(const char *pid, double timeout_s)
{
    char sql[128];

    snprintf(sql, sizeof(sql), "SELECT count(*) FROM pg_stat_activity WHERE pid = %s", pid);
    ck_assert_msg(test_await_value(conn, sql, "0", timeout_s), "backend %s still there", pid);
    test_assert_query(conn, "SELECT count(*) FROM pg_locks WHERE locktype = 'advisory' "
                            "AND database = " THIS_DB, "0");
}

static void rerun_to_head(const char *ci)
{
    set_sleep("0");
    migrate_ok("sleepy", ci);
    test_assert_query(conn, "SELECT string_agg(version_num, ',') FROM alembic_version",
                      "d10000000002");
    test_assert_query(conn, tables_sql, "alembic_version,pcs_migrate_history,s1,s2,s3");
}

/* SIGTERM (_i = 0) or SIGINT (_i = 1) in the sleeping revision: all rolled back. */
START_TEST(test_signal_default_mode_rolls_back)
{
    static const int signals[] = { SIGTERM, SIGINT };
    static const int statuses[] = { 143, 130 };
    char *ci = test_conninfo(db), *backend;
    struct proc_result r;
    struct proc_bg b;
    double t0;

    set_sleep("20");
    start_sleeper(&b, ci, NULL, &backend);
    t0 = test_now_s();
    kill(b.pid, signals[_i]);
    proc_wait(&b, 15, &r);
    ck_assert_msg(r.status == statuses[_i], "exit %d | %s", r.status, test_flat(r.err));
    /* Canceled on the server, not slept out. */
    ck_assert_msg(test_now_s() - t0 < 5, "took %.1f s after the signal", test_now_s() - t0);
    assert_has(r.err, "canceling statement", "stderr");
    await_backend_gone(backend, 10);
    /* A first run leaves the database as it found it: no bookkeeping either. */
    test_assert_query(conn, tables_sql, "");
    {
        char *snapshot = test_catalog_snapshot(conn, NULL);

        ck_assert_str_eq(snapshot, "");
        free(snapshot);
    }
    rerun_to_head(ci);
    proc_result_free(&r);
    free(backend);
    free(ci);
}
END_TEST

/* Per migration: the committed revision stays, the interrupted one is recorded. */
START_TEST(test_signal_per_migration_keeps_committed)
{
    char *ci = test_conninfo(db), *backend;
    struct proc_result r;
    struct proc_bg b;

    set_sleep("20");
    start_sleeper(&b, ci, "--transaction-per-migration", &backend);
    kill(b.pid, SIGTERM);
    proc_wait(&b, 15, &r);
    ck_assert_msg(r.status == 143, "exit %d | %s", r.status, test_flat(r.err));
    assert_has(r.err, "canceling statement", "stderr");
    await_backend_gone(backend, 10);
    test_assert_query(conn, tables_sql, "alembic_version,pcs_migrate_history,s1");
    test_assert_query(conn, "SELECT string_agg(version_num, ',') FROM alembic_version",
                      "d10000000001");
    test_assert_query(conn, "SELECT string_agg(revision || ':' || event, ',' ORDER BY id) "
                            "FROM pcs_migrate_history",
                      "d10000000001:upgrade,d10000000002:interrupted");
    rerun_to_head(ci);
    test_assert_query(conn, "SELECT string_agg(revision || ':' || event, ',' ORDER BY id) "
                            "FROM pcs_migrate_history",
                      "d10000000001:upgrade,d10000000002:interrupted,d10000000002:upgrade");
    proc_result_free(&r);
    free(backend);
    free(ci);
}
END_TEST

/* The milliseconds of `rev`'s "done (N ms)" progress line. */
static double done_ms(const char *err, const char *rev)
{
    char needle[64];
    const char *at;

    snprintf(needle, sizeof(needle), "%s done (", rev);
    at = strstr(err, needle);
    ck_assert_msg(at != NULL, "no \"%s\" in: %s", needle, test_flat(err));
    return strtod(at + strlen(needle), NULL);
}

/*
 * Results come back in bulk, at the end of a pipeline, so a revision's
 * duration is measured on the server.  In one transaction (_i = 0) and
 * per migration (_i = 1): the sleeping revision takes its 0.3 s, the other
 * not, in the history table and in the progress lines alike; and each of
 * the linear chain's five revisions, sent in one query whose results the
 * client reads at once, has a duration of its own, not 0 (the client's
 * clock between two results it already holds).  No relock is lost.
 */
START_TEST(test_durations_are_the_servers)
{
    static const char *const flags[] = { NULL, "--transaction-per-migration" };
    const char *args[] = { "migrate", flags[_i], NULL };
    char *ci = test_conninfo(db);
    struct proc_result r;

    set_sleep("0.3");
    run_cmd("sleepy", ci, args, NULL, &r);
    ck_assert_msg(r.status == 0, "exit %d | %s", r.status, test_flat(r.err));
    test_assert_query(conn, "SELECT string_agg(right(revision, 1) || ':' || "
                            "(duration_ms >= 300)::text, ',' ORDER BY id) "
                            "FROM pcs_migrate_history",
                      "1:false,2:true");
    ck_assert(done_ms(r.err, "d10000000001") < 300);
    ck_assert(done_ms(r.err, "d10000000002") >= 300);
    proc_result_free(&r);

    test_exec(conn, "DROP TABLE pcs_migrate_history, alembic_version, s1, s2, s3");
    run_cmd("linear", ci, args, NULL, &r);
    ck_assert_msg(r.status == 0, "exit %d | %s", r.status, test_flat(r.err));
    ck_assert_msg(strstr(r.err, "took the migration lock") == NULL, "%s", test_flat(r.err));
    test_assert_query(conn, "SELECT count(*) FILTER (WHERE duration_ms >= 0.02) "
                            "FROM pcs_migrate_history", "5");
    proc_result_free(&r);
    free(ci);
}
END_TEST

/*
 * SIGKILL: no chance to clean up.  The orphaned backend finishes its
 * statement, finds the client gone and the server rolls the transaction
 * back; in per-migration mode (_i = 1) the committed revision stays.
 */
START_TEST(test_kill_server_rolls_back)
{
    char *ci = test_conninfo(db), *backend;
    struct proc_result r;
    struct proc_bg b;

    set_sleep("3");
    start_sleeper(&b, ci, _i ? "--transaction-per-migration" : NULL, &backend);
    kill(b.pid, SIGKILL);
    proc_wait(&b, 10, &r);
    ck_assert_int_eq(r.status, 128 + SIGKILL);
    await_backend_gone(backend, 20);
    if (_i == 0) {
        char *snapshot = test_catalog_snapshot(conn, NULL);

        ck_assert_str_eq(snapshot, "");
        free(snapshot);
    } else {
        test_assert_query(conn, tables_sql, "alembic_version,pcs_migrate_history,s1");
        test_assert_query(conn, "SELECT string_agg(version_num, ',') FROM alembic_version",
                          "d10000000001");
        test_assert_query(conn, "SELECT string_agg(revision || ':' || event, ',' ORDER BY id) "
                                "FROM pcs_migrate_history", "d10000000001:upgrade");
    }
    rerun_to_head(ci);
    proc_result_free(&r);
    free(backend);
    free(ci);
}
END_TEST

/*
 * Kills at any moment: SIGTERM and SIGKILL by turns, at delays spread over
 * a chain1000 run, each followed by the consistency check; per migration
 * (_i = 0) the work done so far stays, in one transaction (_i = 1) all or
 * nothing.  A last run completes the chain.  (tests/torture runs this at
 * random moments, many times over.)
 */
START_TEST(test_kill_at_any_moment)
{
    static const long delays_ms[] = { 0, 5, 15, 40, 80, 150, 300, 600 };
    char *ci = test_conninfo(db), **ids = test_chain_ids("chain1000", 1000);
    const char *argv[] = { test_bin("chain1000"), "migrate", "--database-url", ci,
                           _i ? NULL : "--transaction-per-migration", NULL };
    size_t k;
    int n = 0, progress = 0;

    for (k = 0; k < sizeof(delays_ms) / sizeof(delays_ms[0]); k++) {
        int sig = k % 2 ? SIGKILL : SIGTERM;
        struct proc_result r;
        struct proc_bg b;

        proc_start(&b, argv, NULL, NULL);
        test_nap_ms(delays_ms[k]);
        kill(b.pid, sig);
        proc_wait(&b, 20, &r);
        ck_assert_msg(r.status == 0 || r.status == 128 + sig,
                      "signal %d after %ld ms: exit %d | %s", sig, delays_ms[k], r.status,
                      test_flat(r.err));
        proc_result_free(&r);
        /* The server has let go of whatever a killed runner left open. */
        ck_assert(test_await_value(conn, "SELECT count(*) FROM pg_stat_activity "
                                         "WHERE datname = current_database() "
                                         "AND pid <> pg_backend_pid()", "0", 15));
        n = test_chain_check(conn, ids, 1000, NULL);
        ck_assert_msg(n >= progress, "went back from %d to %d tables", progress, n);
        ck_assert_msg(_i == 0 || n == 0 || n == 1000, "%d tables after one transaction", n);
        progress = n;
    }
    migrate_ok("chain1000", ci);
    ck_assert_int_eq(test_chain_check(conn, ids, 1000, NULL), 1000);
    test_chain_ids_free(ids, 1000);
    free(ci);
}
END_TEST

/* ---------------------------------------------------------------- --wait */

struct proxy {
    struct proc_bg b;
    char port[16];
};

/*
 * late_proxy.py: refuses for `down` s, says "starting up" for `starting` s,
 * then forwards to the server, or with `hang` accepts and never answers.
 */
static void proxy_start(struct proxy *p, const char *down, const char *starting, bool hang)
{
    char script[4096];
    char *host = hang ? strdup("-") : test_dsn_param("host", "PGHOST", "localhost");
    char *port = test_dsn_param("port", "PGPORT", "5432");
    const char *argv[] = { "/usr/bin/env", "python3", script, down, starting, "60", host,
                           port, NULL };
    double deadline = test_now_s() + 10;

    snprintf(script, sizeof(script), "%s/tests/integration/late_proxy.py",
             getenv("PCSM_TEST_SOURCE_ROOT"));
    proc_start(&p->b, argv, NULL, NULL);
    p->port[0] = '\0';
    while (!p->port[0] && test_now_s() < deadline) {
        char *out = test_read_file(p->b.out_path);

        if (strchr(out, '\n'))
            snprintf(p->port, sizeof(p->port), "%.*s", (int)strcspn(out, "\n"), out);
        free(out);
        if (!p->port[0])
            test_nap_ms(20);
    }
    ck_assert_msg(p->port[0], "late_proxy.py printed no port");
    free(host);
    free(port);
}

static void proxy_stop(struct proxy *p)
{
    struct proc_result r;

    if (!proc_done(&p->b))
        kill(p->b.pid, SIGTERM);
    proc_wait(&p->b, 10, &r);
    proc_result_free(&r);
}

/* The conninfo of the test database through a loopback port. */
static char *via_port(const char *port)
{
    char *user = test_dsn_param("user", "PGUSER", "postgres"), *s;

    ck_assert(asprintf(&s, "host=127.0.0.1 port=%s user=%s dbname=%s", port, user, db) > 0);
    free(user);
    return s;
}

/* Whether the proxy has accepted a connection, within timeout_s. */
static bool proxy_await_accept(struct proxy *p, double timeout_s)
{
    double deadline = test_now_s() + timeout_s;

    for (;;) {
        char *out = test_read_file(p->b.out_path);
        bool found = strstr(out, "accepted") != NULL;

        free(out);
        if (found)
            return true;
        if (test_now_s() >= deadline)
            return false;
        test_nap_ms(20);
    }
}

/* Refused for 1 s, then "starting up" for 2 s, then up: --wait rides it out. */
START_TEST(test_wait_server_comes_up_late)
{
    struct proxy p;
    struct proc_result r;
    char *url;
    double t0, elapsed;
    const char *args[] = { "migrate", "--wait", "20", NULL };

    proxy_start(&p, "1", "2", false);
    url = via_port(p.port);
    t0 = test_now_s();
    run_cmd("linear", url, args, NULL, &r);
    elapsed = test_now_s() - t0;
    proxy_stop(&p);
    ck_assert_msg(r.status == 0, "exit %d | %s", r.status, test_flat(r.err));
    ck_assert_msg(elapsed > 2.5, "done after %.1f s: it never waited", elapsed);
    assert_has(r.err, "waiting for the server", "stderr");
    assert_has(r.err, "starting up", "stderr");
    test_assert_query(conn, "SELECT string_agg(version_num, ',') FROM alembic_version",
                      "a10000000005");
    proc_result_free(&r);
    free(url);
}
END_TEST

/* A closed port: exit 3 at once without --wait, and after the wait with it. */
START_TEST(test_wait_closed_port)
{
    int fd;
    char port[16], *url;
    const char *no_wait[] = { "migrate", NULL };
    const char *wait1[] = { "migrate", "--wait", "1", NULL };
    struct proc_result r;
    double t0;

    snprintf(port, sizeof(port), "%d", test_closed_port(&fd));
    url = via_port(port);
    t0 = test_now_s();
    run_cmd("linear", url, no_wait, NULL, &r);
    ck_assert_msg(r.status == 3, "exit %d | %s", r.status, test_flat(r.err));
    ck_assert_msg(test_now_s() - t0 < 5, "took %.1f s", test_now_s() - t0);
    ck_assert_ptr_null(strstr(r.err, "waiting"));
    proc_result_free(&r);

    t0 = test_now_s();
    run_cmd("linear", url, wait1, NULL, &r);
    ck_assert_msg(r.status == 3, "exit %d | %s", r.status, test_flat(r.err));
    ck_assert_msg(test_now_s() - t0 < 10, "took %.1f s", test_now_s() - t0);
    assert_has(r.err, "after waiting", "stderr");
    assert_has(r.err, "waiting for the server", "stderr");
    proc_result_free(&r);
    close(fd);
    free(url);
}
END_TEST

/*
 * A server that answers within --wait is reached: the backoff must not
 * give up early.  Up after 2 s of a 3 s wait.
 */
START_TEST(test_wait_uses_the_whole_wait)
{
    struct proxy p;
    struct proc_result r;
    char *url;
    double t0, elapsed;
    const char *args[] = { "migrate", "--wait", "3", NULL };

    proxy_start(&p, "2", "0", false);
    url = via_port(p.port);
    t0 = test_now_s();
    run_cmd("linear", url, args, NULL, &r);
    elapsed = test_now_s() - t0;
    proxy_stop(&p);
    ck_assert_msg(r.status == 0, "exit %d after %.1f s of a 3 s wait (the server was up "
                  "after 2 s) | %s", r.status, elapsed, test_flat(r.err));
    proc_result_free(&r);
    free(url);
}
END_TEST

/* SIGTERM while waiting for the server: 143 at once. */
START_TEST(test_wait_sigterm_while_waiting)
{
    int fd;
    char port[16], *url;
    struct proc_result r;
    struct proc_bg b;
    double t0;

    snprintf(port, sizeof(port), "%d", test_closed_port(&fd));
    url = via_port(port);
    {
        const char *argv[] = { test_bin("linear"), "migrate", "--wait", "30",
                               "--database-url", url, NULL };

        proc_start(&b, argv, NULL, NULL);
    }
    ck_assert(proc_await_stderr(&b, "waiting for the server", 10));
    t0 = test_now_s();
    kill(b.pid, SIGTERM);
    proc_wait(&b, 10, &r);
    ck_assert_msg(r.status == 143, "exit %d | %s", r.status, test_flat(r.err));
    ck_assert_msg(test_now_s() - t0 < 3, "took %.1f s after SIGTERM", test_now_s() - t0);
    proc_result_free(&r);
    close(fd);
    free(url);
}
END_TEST

/*
 * A server that accepted the connection but does not answer (an overloaded
 * host, a proxy whose upstream is not ready): SIGTERM still ends the run
 * at once with 143, with --wait (_i = 0) or without (_i = 1), rather than
 * after libpq's connect_timeout.
 */
START_TEST(test_wait_sigterm_during_hung_connect)
{
    struct proxy p;
    struct proc_result r;
    struct proc_bg b;
    char *url;
    double t0, elapsed;
    bool accepted;

    proxy_start(&p, "0", "0", true);
    url = via_port(p.port);
    {
        const char *argv[] = { test_bin("linear"), "migrate", "--database-url", url,
                               _i ? NULL : "--wait", "30", NULL };

        proc_start(&b, argv, NULL, NULL);
    }
    accepted = proxy_await_accept(&p, 10);
    t0 = test_now_s();
    kill(b.pid, SIGTERM);
    proc_wait(&b, 20, &r);
    elapsed = test_now_s() - t0;
    proxy_stop(&p);
    ck_assert_msg(accepted, "the runner never connected");
    ck_assert_msg(r.status == 143 && elapsed < 3, "exit %d %.1f s after SIGTERM | %s",
                  r.status, elapsed, test_flat(r.err));
    proc_result_free(&r);
    free(url);
}
END_TEST

/* ------------------------------------------------------- a login role */

/* The role the --wait tests log in as, owning the test database. */
static void secret_role_owns(const char *database)
{
    PGconn *admin = test_connect("postgres");
    char sql[256];

    test_exec(admin, "DO $$BEGIN "
                     "IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = '" SECRET_USER "') "
                     "THEN CREATE ROLE " SECRET_USER " LOGIN PASSWORD '" SECRET "'; "
                     "ELSE ALTER ROLE " SECRET_USER " LOGIN CONNECTION LIMIT -1 "
                     "PASSWORD '" SECRET "'; "
                     "END IF; END$$");
    snprintf(sql, sizeof(sql), "ALTER DATABASE \"%s\" OWNER TO " SECRET_USER, database);
    test_exec(admin, sql);
    PQfinish(admin);
}

/* postgresql://pcsm_secret_user[:password]@host:port/database (malloc'd). */
static char *secret_url(const char *password, const char *database)
{
    char *host = test_dsn_param("host", "PGHOST", "localhost");
    char *port = test_dsn_param("port", "PGPORT", "5432");
    char *s;
    int n;

    if (host[0] == '/')
        n = asprintf(&s, "postgresql://" SECRET_USER "%s%s@/%s?host=%s&port=%s",
                     password ? ":" : "", password ? password : "", database, host, port);
    else
        n = asprintf(&s, "postgresql://" SECRET_USER "%s%s@%s:%s/%s",
                     password ? ":" : "", password ? password : "", host, port, database);
    ck_assert_int_gt(n, 0);
    free(host);
    free(port);
    return s;
}

/*
 * "Too many connections" is transient: a role's (or database's) connection
 * limit reached while replicas start is waited out under --wait.
 */
START_TEST(test_wait_too_many_connections)
{
    char *url = secret_url(SECRET, db);
    PGconn *slot, *admin;
    struct proc_result r;
    struct proc_bg b;
    bool waited;

    secret_role_owns(db);
    slot = PQconnectdb(url);
    ck_assert_msg(PQstatus(slot) == CONNECTION_OK, "%s", PQerrorMessage(slot));
    admin = test_connect("postgres");
    test_exec(admin, "ALTER ROLE " SECRET_USER " CONNECTION LIMIT 1");
    {
        const char *argv[] = { test_bin("linear"), "migrate", "--wait", "20",
                               "--database-url", url, NULL };

        proc_start(&b, argv, NULL, NULL);
    }
    waited = proc_await_stderr(&b, "waiting for the server", 10);
    PQfinish(slot);     /* the slot frees up */
    proc_wait(&b, 30, &r);
    test_exec(admin, "ALTER ROLE " SECRET_USER " CONNECTION LIMIT -1");
    PQfinish(admin);
    ck_assert_msg(waited && r.status == 0, "exit %d (waited: %d) | %s", r.status, waited,
                  test_flat(r.err));
    test_assert_query(conn, "SELECT string_agg(version_num, ',') FROM alembic_version",
                      "a10000000005");
    proc_result_free(&r);
    free(url);
}
END_TEST

/* Permanent failures are not waited out: a wrong password, a missing database. */
START_TEST(test_wait_permanent_failures_fail_at_once)
{
    char *urls[2];
    const char *args[] = { "migrate", "--wait", "20", NULL };
    struct proc_result r;
    size_t i;
    double t0;

    secret_role_owns(db);
    urls[0] = secret_url("wrong", db);
    urls[1] = secret_url(SECRET, "pcsm_no_such_database");
    for (i = 0; i < 2; i++) {
        t0 = test_now_s();
        run_cmd("linear", urls[i], args, NULL, &r);
        ck_assert_msg(r.status == 3, "%s: exit %d | %s", urls[i], r.status, test_flat(r.err));
        ck_assert_msg(test_now_s() - t0 < 5, "took %.1f s", test_now_s() - t0);
        ck_assert_ptr_null(strstr(r.err, "waiting for the server"));
        proc_result_free(&r);
        free(urls[i]);
    }
}
END_TEST

/*
 * libpq refusing a server that answers (TLS it cannot have or verify) is no
 * reason to wait: the ping that classifies it must not fail the same way.
 * TLS is never tried over a Unix socket, so this needs the server on TCP.
 */
START_TEST(test_wait_tls_refusal_fails_at_once)
{
    const char *args[] = { "current", "--wait", "20", NULL };
    const char *dsn = getenv("PCSM_TEST_DSN"), *host = strstr(dsn, "host=");
    char url[1024], rootcert[] = "/tmp/pcsm-rootcert-XXXXXX";
    struct proc_result r;
    double t0;
    int fd;

    if (!host || host[5] == '/') {
        printf("skipped: PCSM_TEST_DSN is not on TCP\n");
        return;
    }
    fd = mkstemp(rootcert);
    ck_assert_int_ge(fd, 0);
    close(fd);      /* empty: no certificate verifies against it */
    snprintf(url, sizeof(url), "%s dbname=%s sslmode=verify-full sslrootcert=%s", dsn, db,
             rootcert);
    t0 = test_now_s();
    run_cmd("linear", url, args, NULL, &r);
    unlink(rootcert);
    ck_assert_msg(r.status == 3, "exit %d | %s", r.status, test_flat(r.err));
    ck_assert_msg(test_now_s() - t0 < 10, "took %.1f s", test_now_s() - t0);
    ck_assert_msg(!strstr(r.err, "waiting for the server"), "%s", test_flat(r.err));
    proc_result_free(&r);
}
END_TEST

static Suite *concurrency_suite(void)
{
    Suite *s = suite_create("concurrency");
    TCase *race_tc = tcase_create("race");
    TCase *lock = tcase_create("lock");
    TCase *sig = tcase_create("signals");
    TCase *wait = tcase_create("wait");

    test_fresh_db_fixture(race_tc, db, sizeof(db), &conn, NULL);
    tcase_set_timeout(race_tc, 120);
    tcase_add_loop_test(race_tc, test_race_runners_one_transaction, 0, 2);
    tcase_add_test(race_tc, test_race_runners_per_migration);
    tcase_add_test(race_tc, test_race_reset_among_runners);
    tcase_add_test(race_tc, test_check_beside_moving_runs);
    suite_add_tcase(s, race_tc);

    test_fresh_db_fixture(lock, db, sizeof(db), &conn, NULL);
    tcase_set_timeout(lock, 60);
    tcase_add_test(lock, test_lock_timeout_names_holder);
    tcase_add_loop_test(lock, test_lock_holder_named_in_this_database, 0, 2);
    tcase_add_test(lock, test_lock_up_to_date_needs_no_lock);
    tcase_add_test(lock, test_lock_waiter_proceeds_after_release);
    tcase_add_test(lock, test_lock_taken_between_pipelined_steps);
    tcase_add_test(lock, test_lock_key_per_schema);
    tcase_add_test(lock, test_check_prints_the_revisions_it_compared);
    tcase_add_test(lock, test_lock_sigterm_while_waiting);
    suite_add_tcase(s, lock);

    test_fresh_db_fixture(sig, db, sizeof(db), &conn, NULL);
    tcase_set_timeout(sig, 60);
    tcase_add_loop_test(sig, test_signal_default_mode_rolls_back, 0, 2);
    tcase_add_test(sig, test_signal_per_migration_keeps_committed);
    tcase_add_loop_test(sig, test_durations_are_the_servers, 0, 2);
    tcase_add_loop_test(sig, test_kill_server_rolls_back, 0, 2);
    tcase_add_loop_test(sig, test_kill_at_any_moment, 0, 2);
    suite_add_tcase(s, sig);

    test_fresh_db_fixture(wait, db, sizeof(db), &conn, NULL);
    tcase_set_timeout(wait, 60);
    tcase_add_test(wait, test_wait_server_comes_up_late);
    tcase_add_test(wait, test_wait_closed_port);
    tcase_add_test(wait, test_wait_uses_the_whole_wait);
    tcase_add_test(wait, test_wait_sigterm_while_waiting);
    tcase_add_loop_test(wait, test_wait_sigterm_during_hung_connect, 0, 2);
    tcase_add_test(wait, test_wait_too_many_connections);
    tcase_add_test(wait, test_wait_permanent_failures_fail_at_once);
    tcase_add_test(wait, test_wait_tls_refusal_fails_at_once);
    suite_add_tcase(s, wait);
    return s;
}

int main(void)
{
    test_require_db();
    return test_run_suite(concurrency_suite());
}
