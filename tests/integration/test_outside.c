/*
 * Revisions that run outside a transaction (CREATE INDEX CONCURRENTLY),
 * under abuse: signals while the build runs, the lock's connection
 * terminated, the runner killed with its build still going, --wait for the
 * second connection.  The "concurrent" fixture: g1 creates accounts, g2
 * builds ux_accounts_email concurrently, g3 creates sessions.  A writer's
 * open transaction on accounts holds the build in its "waiting for
 * writers" phase for as long as a test needs, with its INVALID index
 * already in the catalog.
 */
#define _GNU_SOURCE /* asprintf */
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include <pcsm/pcsm.h>

#include "support.h"

#define G1 "g10000000001"
#define G2 "g10000000002"
#define G3 "g10000000003"
#define TRIALS 20

static char db[64];
static PGconn *conn;
static char *url;

/* ------------------------------------------------------------- helpers */

static void run(const char *const args[], const char *const env[], struct proc_result *r)
{
    const char *argv[24];

    test_cmd_argv(argv, 24, "concurrent", url, args);
    proc_run(argv, NULL, env, r);
}

static void start(struct proc_bg *b, const char *const args[], const char *const env[])
{
    const char *argv[24];

    test_cmd_argv(argv, 24, "concurrent", url, args);
    proc_start(b, argv, env, NULL);
}

static void run_ok(const char *const args[])
{
    struct proc_result r;

    run(args, NULL, &r);
    ck_assert_msg(r.status == 0, "%s: exit %d | %s", args[0], r.status, test_flat(r.err));
    proc_result_free(&r);
}

static void assert_has(const char *text, const char *needle, const char *what)
{
    ck_assert_msg(strstr(text, needle) != NULL, "%s lacks \"%s\": %s", what, needle,
                  test_flat(text));
}

/* An open transaction that wrote to accounts: a concurrent build waits for it. */
static PGconn *hold_writer(int id)
{
    PGconn *c = test_connect(db);
    char sql[128];

    test_exec(c, "BEGIN");
    snprintf(sql, sizeof(sql), "INSERT INTO accounts VALUES (%d, 'w%d@example.org')", id, id);
    test_exec(c, sql);
    return c;
}

static void release_writer(PGconn *c)
{
    test_exec(c, "ROLLBACK");
    PQfinish(c);
}

/* Builds of ux_accounts_email under way (the monitor sees every role's). */
static const char builds_sql[] =
    "SELECT count(*) FROM pg_stat_progress_create_index p JOIN pg_class c "
    "ON c.oid = p.index_relid WHERE c.relname = 'ux_accounts_email'";

static void await_build_waiting(void)
{
    ck_assert_msg(test_await_value(conn,
                                   "SELECT count(*) FROM pg_stat_progress_create_index p "
                                   "JOIN pg_class c ON c.oid = p.index_relid "
                                   "WHERE c.relname = 'ux_accounts_email' "
                                   "AND p.phase LIKE 'waiting for writers%'", "1", 30),
                  "the build never reached its wait for writers");
}

/*
 * The state a run may leave, whatever stopped it: the version at g1, g2 or
 * g3; from g2 on a VALID index; at g1 none, an INVALID one (to be rebuilt)
 * or, when the signal came between the build and its bookkeeping, a VALID
 * one (to be recorded), which *finished says.  Returns the version.
 */
static char *assert_consistent(bool *finished)
{
    char *version = test_query(conn, "SELECT coalesce(string_agg(version_num, ','), '') "
                                     "FROM alembic_version");
    char *index = test_query(conn, "SELECT coalesce((SELECT CASE WHEN indisvalid THEN 'valid' "
                                   "ELSE 'invalid' END FROM pg_index WHERE indexrelid = "
                                   "to_regclass('ux_accounts_email')), 'none')");

    ck_assert_msg(!strcmp(version, G1) || !strcmp(version, G2) || !strcmp(version, G3),
                  "version %s", version);
    if (strcmp(version, G1))
        ck_assert_msg(!strcmp(index, "valid"), "at %s the index is %s", version, index);
    *finished = !strcmp(version, G1) && !strcmp(index, "valid");
    free(index);
    return version;
}

/* A rerun finishes the job: head, one VALID index, no build left going. */
static void assert_rerun_finishes(void)
{
    const char *args[] = { "migrate", NULL };
    struct proc_result r;

    run(args, NULL, &r);
    ck_assert_msg(r.status == 0, "rerun: exit %d | %s", r.status, test_flat(r.err));
    proc_result_free(&r);
    test_assert_query(conn, "SELECT version_num FROM alembic_version", G3);
    test_assert_query(conn, "SELECT indisvalid, indisunique FROM pg_index "
                            "WHERE indexrelid = 'ux_accounts_email'::regclass", "t|t");
    test_assert_query(conn, "SELECT count(*) FROM pg_class WHERE relname LIKE 'ux_accounts%'",
                      "1");
    test_assert_query(conn, builds_sql, "0");
}

static int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;

    return (x > y) - (x < y);
}

/* ------------------------------------------------------------- signals */

/*
 * TRIALS signals during the concurrent build: half while it waits for a
 * writer (the run must end while the writer still holds it up: it cancels
 * the build rather than waiting for it), half at a random moment of an
 * unhindered run.  Each leaves g1, g2 or g3 consistently, and a rerun
 * finishes.  The delay from signal to exit is reported.
 */
static void signal_trials(int sig)
{
    const char *up_g1[] = { "upgrade", G1, NULL }, *down_g1[] = { "downgrade", G1, NULL };
    const char *migrate[] = { "migrate", NULL };
    double delays[TRIALS];
    int trial, n_delays = 0, at_old = 0, rebuilt = 0, recorded = 0;
    unsigned seed = (unsigned)getpid();

    run_ok(up_g1);
    /* Rows enough that an unhindered build takes a moment. */
    test_exec(conn, "INSERT INTO accounts SELECT g, 'u' || g || '@example.org' "
                    "FROM generate_series(100000, 160000) g");
    for (trial = 0; trial < TRIALS; trial++) {
        bool blocked = trial % 2 == 0;
        PGconn *writer = blocked ? hold_writer(trial + 1) : NULL;
        struct proc_bg b;
        struct proc_result r;
        double t0;
        char *version;
        bool finished;

        start(&b, migrate, NULL);
        if (blocked)
            await_build_waiting();
        else
            test_nap_ms(rand_r(&seed) % 120);
        t0 = test_now_s();
        kill(b.pid, sig);
        proc_wait(&b, 30, &r);
        if (blocked) {
            /* Ended with the writer still in its transaction: cancelled. */
            ck_assert_int_eq(PQtransactionStatus(writer), PQTRANS_INTRANS);
            delays[n_delays++] = test_now_s() - t0;
            ck_assert_msg(r.status == 128 + sig, "trial %d: exit %d | %s", trial, r.status,
                          test_flat(r.err));
            assert_has(r.err, "outside a transaction", "stderr");
            /* Dropping the INVALID index waits for the same writer: left for the rerun. */
            assert_has(r.err, "could not be dropped within 1000 ms: the next run drops and "
                              "rebuilds it", "stderr");
            release_writer(writer);
        } else {
            ck_assert_msg(r.status == 0 || r.status == 128 + sig, "trial %d: exit %d | %s",
                          trial, r.status, test_flat(r.err));
        }
        version = assert_consistent(&finished);
        at_old += !strcmp(version, G1);
        free(version);
        proc_result_free(&r);
        test_assert_query(conn, builds_sql, "0");

        run(migrate, NULL, &r);
        ck_assert_msg(r.status == 0, "trial %d rerun: exit %d | %s", trial, r.status,
                      test_flat(r.err));
        rebuilt += strstr(r.err, "dropping and rebuilding") != NULL;
        if (finished) {
            assert_has(r.err, "recorded as built", "the rerun's stderr");
            recorded++;
        }
        proc_result_free(&r);
        assert_rerun_finishes();
        run_ok(down_g1);
        test_assert_query(conn, "SELECT to_regclass('ux_accounts_email') IS NULL", "t");
    }
    ck_assert_int_gt(at_old, 0);
    qsort(delays, (size_t)n_delays, sizeof(*delays), cmp_double);
    printf("# outside: signal %d during a concurrent build, %d trials: %d left at the old "
           "revision, %d reruns rebuilt an INVALID index, %d recorded a finished build; "
           "signal to exit while the build waited: median %.2f s, max %.2f s\n", sig, TRIALS,
           at_old, rebuilt, recorded, delays[n_delays / 2], delays[n_delays - 1]);
}

START_TEST(test_sigterm_during_build)
{
    signal_trials(SIGTERM);
}
END_TEST

START_TEST(test_sigint_during_build)
{
    signal_trials(SIGINT);
}
END_TEST

/* ----------------------------------------------------- the lock's loss */

/* The pid of the session holding the migration lock in this database. */
static char *lock_holder(void)
{
    char *pid = test_await_rows(conn,
        "SELECT pid FROM pg_locks WHERE locktype = 'advisory' AND granted AND "
        "classid = 1885565805 AND database = (SELECT oid FROM pg_database "
        "WHERE datname = current_database())", 10);

    ck_assert_msg(pid != NULL, "nobody holds the migration lock");
    return pid;
}

/*
 * While runner A builds (held up by a writer), its lock's connection is
 * terminated and runner B is waiting for the lock: A cancels its build and
 * exits 3, B takes over; at no moment do two builds of the index run, and
 * B ends with the one VALID index.
 */
START_TEST(test_lock_connection_terminated_during_build)
{
    const char *up_g1[] = { "upgrade", G1, NULL }, *migrate[] = { "migrate", NULL };
    PGconn *writer;
    struct proc_bg a, b;
    struct proc_result ra, rb;
    char *holder, sql[96];
    int samples = 0, max_builds = 0;
    double deadline;

    run_ok(up_g1);
    writer = hold_writer(1);
    start(&a, migrate, NULL);
    await_build_waiting();
    holder = lock_holder();
    start(&b, migrate, NULL);
    ck_assert(proc_await_stderr(&b, "waiting for the migration lock", 20));
    snprintf(sql, sizeof(sql), "SELECT pg_terminate_backend(%s)", holder);
    test_exec(conn, sql);
    proc_wait(&a, 20, &ra);
    ck_assert_msg(ra.status == 3, "A: exit %d | %s", ra.status, test_flat(ra.err));
    assert_has(ra.err, "the connection holding the migration lock ended", "A's stderr");
    assert_has(ra.err, "its statement was cancelled", "A's stderr");
    /* B has the lock now and is held up by the same writer: one build at most. */
    deadline = test_now_s() + 1.5;
    while (test_now_s() < deadline) {
        char *n = test_query(conn, builds_sql);

        max_builds = atoi(n) > max_builds ? atoi(n) : max_builds;
        samples++;
        free(n);
        test_nap_ms(10);
    }
    release_writer(writer);
    proc_wait(&b, 30, &rb);
    ck_assert_msg(rb.status == 0, "B: exit %d | %s", rb.status, test_flat(rb.err));
    ck_assert_int_le(max_builds, 1);
    assert_rerun_finishes();
    test_assert_query(conn, "SELECT string_agg(event, ',' ORDER BY id) FROM pcs_migrate_history "
                            "WHERE revision = '" G2 "'", "started,started,upgrade");
    printf("# outside: lock connection terminated mid-build: at most %d build in %d samples\n",
           max_builds, samples);
    free(holder);
    proc_result_free(&ra);
    proc_result_free(&rb);
}
END_TEST

/*
 * idle_in_transaction_session_timeout shorter than the build: the lock's
 * transaction, idle while the build runs elsewhere, is exempt, so the run
 * keeps its lock and finishes once the writer lets the build go.
 */
START_TEST(test_idle_in_transaction_timeout_spares_the_lock)
{
    const char *up_g1[] = { "upgrade", G1, NULL }, *migrate[] = { "migrate", NULL };
    PGconn *writer;
    struct proc_bg b;
    struct proc_result r;
    char sql[160];

    run_ok(up_g1);
    snprintf(sql, sizeof(sql), "ALTER DATABASE \"%s\" SET idle_in_transaction_session_timeout "
                               "= '200ms'", db);
    test_exec(conn, sql);
    writer = test_connect(db);
    /* The writer itself must outlive the timeout. */
    test_exec(writer, "SET idle_in_transaction_session_timeout = 0");
    test_exec(writer, "BEGIN");
    test_exec(writer, "INSERT INTO accounts VALUES (1, 'w1@example.org')");
    start(&b, migrate, NULL);
    await_build_waiting();
    test_nap_ms(1000);      /* five timeouts' worth of idleness */
    release_writer(writer);
    proc_wait(&b, 30, &r);
    ck_assert_msg(r.status == 0, "exit %d | %s", r.status, test_flat(r.err));
    proc_result_free(&r);
    assert_rerun_finishes();
    test_assert_query(conn, "SELECT string_agg(event, ',' ORDER BY id) FROM pcs_migrate_history "
                            "WHERE revision = '" G2 "'", "started,upgrade");
}
END_TEST

/*
 * The runner is killed (-9) while its build waits: the server ends the
 * orphaned build soon after (client_connection_check_interval), and a
 * rerun started at once waits for it or finds it gone, never builds beside
 * it, and finishes.
 */
START_TEST(test_runner_killed_during_build)
{
    const char *up_g1[] = { "upgrade", G1, NULL }, *migrate[] = { "migrate", NULL };
    PGconn *writer;
    struct proc_bg a, b;
    struct proc_result ra, rb;
    int max_builds = 0, samples = 0;
    double deadline;
    char *n;

    run_ok(up_g1);
    writer = hold_writer(1);
    start(&a, migrate, NULL);
    await_build_waiting();
    kill(a.pid, SIGKILL);
    proc_wait(&a, 10, &ra);
    start(&b, migrate, NULL);
    /* While the writer holds everything up, then until B is done. */
    deadline = test_now_s() + 1.5;
    while (!proc_done(&b)) {
        n = test_query(conn, builds_sql);
        max_builds = atoi(n) > max_builds ? atoi(n) : max_builds;
        samples++;
        free(n);
        if (writer && test_now_s() > deadline) {
            release_writer(writer);
            writer = NULL;
        }
        test_nap_ms(10);
    }
    if (writer)
        release_writer(writer);
    proc_wait(&b, 30, &rb);
    ck_assert_msg(rb.status == 0, "B: exit %d | %s", rb.status, test_flat(rb.err));
    /* It met the orphan's build, or the INVALID index it left. */
    ck_assert_msg(strstr(rb.err, "is still being built by server process") ||
                  strstr(rb.err, "dropping and rebuilding"), "B: %s", test_flat(rb.err));
    ck_assert_int_le(max_builds, 1);
    assert_rerun_finishes();
    printf("# outside: runner killed mid-build, rerun at once: at most %d build in %d "
           "samples\n", max_builds, samples);
    proc_result_free(&ra);
    proc_result_free(&rb);
}
END_TEST

/* ---------------------------------------------------------------- --wait */

/*
 * A role allowed two connections, one of them taken: the main connection
 * gets in, the second one (for the nontransactional revision) finds no
 * slot.  With --wait it waits until the slot frees; without, it fails.
 */
START_TEST(test_second_connection_obeys_wait)
{
    const char *up_g1[] = { "upgrade", G1, NULL };
    const char *migrate_wait[] = { "migrate", "--wait", "30", NULL };
    const char *migrate[] = { "migrate", NULL };
    char *role_url, *squat_url, *name = strdup(db), sql[256], role[96];
    PGconn *squatter;
    struct proc_bg b;
    struct proc_result r;
    const char *env[] = { "PGPASSWORD=pcsm-limited", NULL };
    char *host = test_dsn_param("host", "PGHOST", "localhost");
    char *port = test_dsn_param("port", "PGPORT", "5432");

    run_ok(up_g1);
    /* A role of this database's name: the connection limit is per role,
     * and the cluster is shared with other tests. */
    snprintf(role, sizeof(role), "%s_limited", db);
    snprintf(sql, sizeof(sql), "CREATE ROLE %s LOGIN PASSWORD 'pcsm-limited' CONNECTION LIMIT 2",
             role);
    test_exec(conn, sql);
    snprintf(sql, sizeof(sql), "GRANT ALL ON SCHEMA public TO %s", role);
    test_exec(conn, sql);
    for (const char *const *t = (const char *const[]){ "accounts", "alembic_version",
                                                       "pcs_migrate_history", NULL }; *t; t++) {
        snprintf(sql, sizeof(sql), "ALTER TABLE %s OWNER TO %s", *t, role);
        test_exec(conn, sql);
    }
    ck_assert(asprintf(&role_url, "host=%s port=%s dbname=%s user=%s", host, port, name,
                       role) > 0);
    ck_assert(asprintf(&squat_url, "%s password=pcsm-limited", role_url) > 0);
    squatter = PQconnectdb(squat_url);
    free(squat_url);
    ck_assert_msg(PQstatus(squatter) == CONNECTION_OK, "%s", PQerrorMessage(squatter));
    free(url);
    url = role_url;

    /* No --wait: the second connection fails at once (exit 3), nothing moved. */
    run(migrate, env, &r);
    ck_assert_msg(r.status == 3, "exit %d | %s", r.status, test_flat(r.err));
    assert_has(r.err, "too many connections", "stderr");
    test_assert_query(conn, "SELECT version_num FROM alembic_version", G1);
    proc_result_free(&r);

    /* --wait: it waits for the slot, which frees, and finishes. */
    start(&b, migrate_wait, env);
    ck_assert(proc_await_stderr(&b, "second connection: waiting for the server", 20));
    PQfinish(squatter);
    proc_wait(&b, 30, &r);
    ck_assert_msg(r.status == 0, "exit %d | %s", r.status, test_flat(r.err));
    test_assert_query(conn, "SELECT version_num FROM alembic_version", G3);
    proc_result_free(&r);
    snprintf(sql, sizeof(sql), "REASSIGN OWNED BY %s TO CURRENT_USER", role);
    test_exec(conn, sql);
    snprintf(sql, sizeof(sql), "DROP OWNED BY %s", role);
    test_exec(conn, sql);
    snprintf(sql, sizeof(sql), "DROP ROLE %s", role);
    test_exec(conn, sql);
    free(name);
    free(host);
    free(port);
}
END_TEST

/*
 * A VALID index that an interrupted run of this revision built, whose
 * bookkeeping never committed, is recorded, not rebuilt; an index of that
 * name that the revision did not build is not adopted.
 */
START_TEST(test_resume_records_a_finished_build)
{
    const char *up_g1[] = { "upgrade", G1, NULL }, *migrate[] = { "migrate", NULL };
    struct proc_result r;
    char *oid;

    /* Someone else's index of that name: the revision fails on it, every
     * time (no 'started' row makes it the revision's own), and the index
     * stays as it was. */
    run_ok(up_g1);
    test_exec(conn, "CREATE INDEX ux_accounts_email ON accounts (id)");
    for (int attempt = 0; attempt < 2; attempt++) {
        run(migrate, NULL, &r);
        ck_assert_msg(r.status == 1, "attempt %d: exit %d | %s", attempt, r.status,
                      test_flat(r.err));
        assert_has(r.err, "already exists", "stderr");
        proc_result_free(&r);
    }
    test_assert_query(conn, "SELECT count(*) FROM pcs_migrate_history WHERE event = 'started'",
                      "0");
    test_assert_query(conn, "SELECT pg_get_indexdef('ux_accounts_email'::regclass)",
                      "CREATE INDEX ux_accounts_email ON public.accounts USING btree (id)");
    test_exec(conn, "DROP INDEX ux_accounts_email");

    /* A run of the revision started (its build failed on duplicates), then
     * someone else's index took the name: it is named, not adopted. */
    test_exec(conn, "INSERT INTO accounts VALUES (1, 'a@example.org'), (2, 'a@example.org')");
    run(migrate, NULL, &r);
    ck_assert_msg(r.status == 1, "exit %d | %s", r.status, test_flat(r.err));
    proc_result_free(&r);
    test_exec(conn, "DELETE FROM accounts");
    test_exec(conn, "CREATE INDEX ux_accounts_email ON accounts (id)");
    run(migrate, NULL, &r);
    ck_assert_msg(r.status == 5, "exit %d | %s", r.status, test_flat(r.err));
    assert_has(r.err, "index public.ux_accounts_email is not the one revision " G2 " builds "
                      "(CREATE INDEX ux_accounts_email ON public.accounts USING btree (id))",
               "stderr");
    proc_result_free(&r);
    test_exec(conn, "DROP INDEX ux_accounts_email");

    /* A run killed between its build and its bookkeeping: the build stays. */
    run_ok(migrate);
    oid = test_query(conn, "SELECT 'ux_accounts_email'::regclass::oid");
    test_exec(conn, "DELETE FROM pcs_migrate_history WHERE event = 'upgrade' "
                    "AND revision IN ('" G2 "', '" G3 "')");
    test_exec(conn, "UPDATE alembic_version SET version_num = '" G1 "'");
    test_exec(conn, "DROP TABLE sessions");
    run(migrate, NULL, &r);
    ck_assert_msg(r.status == 0, "exit %d | %s", r.status, test_flat(r.err));
    assert_has(r.err, "was built by an interrupted run of revision " G2 "; recorded as built",
               "stderr");
    proc_result_free(&r);
    /* The same index, not a new one. */
    test_assert_query(conn, "SELECT 'ux_accounts_email'::regclass::oid", oid);
    assert_rerun_finishes();
    free(oid);
}
END_TEST

/*
 * A build of the index already under way (someone's, or a killed run's):
 * the run waits for it rather than start a second one, up to --lock-timeout
 * (exit 4, naming the server process), and a signal ends the wait.
 */
START_TEST(test_waits_for_a_build_in_progress)
{
    const char *up_g1[] = { "upgrade", G1, NULL };
    const char *migrate_1s[] = { "migrate", "--lock-timeout", "1", NULL };
    const char *migrate[] = { "migrate", NULL };
    PGconn *writer, *builder;
    struct proc_result r;
    struct proc_bg b;
    char *pid;

    run_ok(up_g1);
    writer = hold_writer(1);
    builder = test_connect(db);
    pid = test_query(builder, "SELECT pg_backend_pid()");
    ck_assert(PQsendQuery(builder, "CREATE UNIQUE INDEX CONCURRENTLY ux_accounts_email "
                                   "ON accounts (email)"));
    await_build_waiting();

    run(migrate_1s, NULL, &r);
    ck_assert_msg(r.status == 4, "exit %d | %s", r.status, test_flat(r.err));
    assert_has(r.err, "is still being built by server process", "stderr");
    assert_has(r.err, pid, "stderr");
    test_assert_query(conn, "SELECT version_num FROM alembic_version", G1);
    proc_result_free(&r);

    start(&b, migrate, NULL);
    ck_assert(proc_await_stderr(&b, "is still being built by server process", 20));
    kill(b.pid, SIGTERM);
    proc_wait(&b, 20, &r);
    ck_assert_msg(r.status == 143, "exit %d | %s", r.status, test_flat(r.err));
    assert_has(r.err, "interrupted while waiting for the build of index", "stderr");
    proc_result_free(&r);
    test_assert_query(conn, builds_sql, "1");   /* the other build, untouched */

    release_writer(writer);
    while (PQisBusy(builder))
        ck_assert(PQconsumeInput(builder));
    for (PGresult *res; (res = PQgetResult(builder));)
        PQclear(res);
    PQfinish(builder);
    free(pid);
}
END_TEST

/*
 * No history table (dropped, or a database whose first pending revision
 * runs outside a transaction): the second connection creates it, commits
 * its 'started' row, and the run completes.
 */
START_TEST(test_outside_creates_the_history_table)
{
    const char *up_g1[] = { "upgrade", G1, NULL }, *migrate[] = { "migrate", NULL };

    run_ok(up_g1);
    test_exec(conn, "DROP TABLE pcs_migrate_history");
    run_ok(migrate);
    test_assert_query(conn, "SELECT string_agg(revision || ':' || event, ',' ORDER BY id) "
                            "FROM pcs_migrate_history",
                      G2 ":started," G2 ":upgrade," G3 ":upgrade");
    assert_rerun_finishes();
}
END_TEST

/*
 * --statement-timeout bounds a build on the second connection from the
 * client side (no session setting that a pooler could hand to others):
 * cancelled, exit 1, said so.
 */
START_TEST(test_statement_timeout_bounds_the_build)
{
    const char *up_g1[] = { "upgrade", G1, NULL };
    const char *migrate[] = { "migrate", "--statement-timeout", "1", NULL };
    PGconn *writer;
    struct proc_result r;

    run_ok(up_g1);
    writer = hold_writer(1);
    run(migrate, NULL, &r);
    ck_assert_int_eq(PQtransactionStatus(writer), PQTRANS_INTRANS);
    release_writer(writer);
    ck_assert_msg(r.status == 1, "exit %d | %s", r.status, test_flat(r.err));
    assert_has(r.err, "cancelled after the statement timeout of 1000 ms", "stderr");
    proc_result_free(&r);
    test_assert_query(conn, "SELECT version_num FROM alembic_version", G1);
    assert_rerun_finishes();
}
END_TEST

static const char history_sql[] =
    "SELECT string_agg(revision || ':' || event, ',' ORDER BY id) FROM pcs_migrate_history";

/*
 * A relative target counts from where the run found the database under the
 * lock, once: the state read again after the nontransactional step (one
 * transaction ends there) does not move the target.  Counted again, +2 from
 * base asked for 2 steps above g2 (exit 2, after the work was done).
 */
START_TEST(test_relative_upgrade_resolved_once)
{
    const char *up_2[] = { "upgrade", "+2", NULL };
    struct proc_result r;

    /* g1 in one transaction, g2 outside: two transactions, one target. */
    run(up_2, NULL, &r);
    ck_assert_msg(r.status == 0, "upgrade +2: exit %d | %s", r.status, test_flat(r.err));
    assert_has(r.err, "now at: " G2, "stderr");
    proc_result_free(&r);
    test_assert_query(conn, "SELECT version_num FROM alembic_version", G2);
    test_assert_query(conn, "SELECT indisvalid, indisunique FROM pg_index "
                            "WHERE indexrelid = 'ux_accounts_email'::regclass", "t|t");
    test_assert_query(conn, "SELECT to_regclass('sessions') IS NULL", "t");
    test_assert_query(conn, history_sql, G1 ":upgrade," G2 ":started," G2 ":upgrade");
    assert_rerun_finishes();
}
END_TEST

/* The same going down: -2 from head, counted again after g2, asked for 2 steps below g1. */
START_TEST(test_relative_downgrade_resolved_once)
{
    const char *down_2[] = { "downgrade", "-2", NULL }, *migrate[] = { "migrate", NULL };
    struct proc_result r;
    char *last, *since;

    /* g3 in one transaction, g2 outside; g1 stays. */
    run_ok(migrate);
    last = test_query(conn, "SELECT max(id) FROM pcs_migrate_history");
    run(down_2, NULL, &r);
    ck_assert_msg(r.status == 0, "downgrade -2: exit %d | %s", r.status, test_flat(r.err));
    assert_has(r.err, "now at: " G1, "stderr");
    proc_result_free(&r);
    test_assert_query(conn, "SELECT version_num FROM alembic_version", G1);
    test_assert_query(conn, "SELECT to_regclass('ux_accounts_email') IS NULL", "t");
    test_assert_query(conn, "SELECT to_regclass('sessions') IS NULL", "t");
    test_assert_query(conn, "SELECT to_regclass('accounts') IS NOT NULL", "t");
    ck_assert(asprintf(&since, "%s WHERE id > %s", history_sql, last) > 0);
    test_assert_query(conn, since, G3 ":downgrade," G2 ":started," G2 ":downgrade");
    assert_rerun_finishes();
    free(since);
    free(last);
}
END_TEST

/* ------------------------------------------------- a part outlives its lock */

#define PART_SLEEP "SELECT pg_sleep(2)"
/* The part's sleep, running on the server (not this session's own query naming it). */
#define PART_RUNNING "SELECT count(*) FROM pg_stat_activity WHERE state = 'active' AND " \
                     "pid <> pg_backend_pid() AND query LIKE '%" PART_SLEEP "%'"

/* A revision with an autocommit block whose last part takes a while, then writes a row. */
static void lock_gone_upgrade(pcsm_op *op)
{
    pcsm_create_table(op, "marks", PCSM_COLUMNS({ .name = "n", .type = PCSM_INTEGER }), NULL,
                      NULL);
    pcsm_autocommit_begin(op);
    pcsm_execute(op, "SELECT 1");
    pcsm_autocommit_end(op);
    pcsm_execute(op, PART_SLEEP);
    pcsm_execute(op, "INSERT INTO marks VALUES (1)");
}

/*
 * The runner stopped while the part runs on the second connection, and
 * the lock's session ended meanwhile (as when the runner is killed: the
 * server goes on with the part's statements, the lock ends with its
 * session): the part does not commit.  Resumed, the runner says so.
 */
START_TEST(test_part_not_committed_once_the_lock_is_gone)
{
    static const pcsm_revision rev[] = { {
        .id = "lockgone0001", .description = "a part outlives its lock",
        .create_date = "2026-12-07 00:00:00", .source_path = "tests/integration/test_outside.c",
        .upgrade = lock_gone_upgrade,
    } };
    int status;
    pid_t child;

    test_exec(conn, "CREATE SCHEMA lockgone");
    fflush(stdout);
    child = fork();
    ck_assert_int_ge(child, 0);
    if (child == 0) {
        pcsm_run_opts run = { .direction = PCSM_UPGRADE, .target = "head" };
        pcsm_ctx *ctx = NULL;
        pcsm_db_opts opts;
        pcsm_db *pdb = NULL;
        int rc = pcsm_ctx_new(&ctx, rev, 1);

        pcsm_db_opts_init(&opts);
        opts.conninfo = test_conninfo(db);
        opts.script.schema = "lockgone";
        if (rc == 0)
            rc = pcsm_db_connect(ctx, &opts, &pdb);
        if (rc == 0)
            rc = pcsm_db_migrate(ctx, pdb, &run, NULL, NULL);
        printf("# outside: a part whose lock went: %s\n",
               rc < 0 ? pcsm_error_last(ctx)->message : "(it succeeded)");
        fflush(stdout);
        _exit(rc == PCSM_EUNREACHABLE ? 3 : rc < 0 ? 1 : 0);
    }
    ck_assert_msg(test_await_value(conn, PART_RUNNING, "1", 30), "the part never ran");
    kill(child, SIGSTOP);
    test_exec(conn, "SELECT pg_terminate_backend(pid, 10000) FROM pg_locks WHERE locktype = "
                    "'advisory' AND granted AND objsubid = 2 AND database = (SELECT oid FROM "
                    "pg_database WHERE datname = current_database())");
    /* The part's statements end on the server while the runner cannot see them. */
    ck_assert(test_await_value(conn, PART_RUNNING, "0", 30));
    test_assert_query(conn, "SELECT count(*) FROM lockgone.marks", "0");
    kill(child, SIGCONT);
    ck_assert_int_eq(waitpid(child, &status, 0), child);
    ck_assert_msg(WIFEXITED(status) && WEXITSTATUS(status) == 3, "exit status %d", status);
    /* The part before the block and the block's statement committed; the last did not. */
    test_assert_query(conn, "SELECT count(*) FROM lockgone.marks", "0");
    test_assert_query(conn, "SELECT count(*) FROM lockgone.pcs_migrate_history "
                            "WHERE event = 'part'", "2");
}
END_TEST

/*
 * meson runs this suite (and the concurrency suite) again with the
 * databases' default isolation at REPEATABLE READ and SERIALIZABLE: make
 * sure the level is the one asked for, so that those runs prove something.
 */
START_TEST(test_database_default_isolation)
{
    const char *level = getenv("PCSM_TEST_DEFAULT_ISOLATION");
    const char *migrate[] = { "migrate", NULL };

    test_assert_query(conn, "SELECT current_setting('transaction_isolation')",
                      level && *level ? level : "read committed");
    run_ok(migrate);
    test_assert_query(conn, "SELECT version_num FROM alembic_version", G3);
}
END_TEST

int main(void)
{
    Suite *s = suite_create("outside");
    TCase *sig = tcase_create("signals");
    TCase *lock = tcase_create("lock");

    test_require_db();
    test_fresh_db_fixture(sig, db, sizeof(db), &conn, &url);
    tcase_set_timeout(sig, 600);
    tcase_add_test(sig, test_sigterm_during_build);
    tcase_add_test(sig, test_sigint_during_build);
    suite_add_tcase(s, sig);
    test_fresh_db_fixture(lock, db, sizeof(db), &conn, &url);
    tcase_set_timeout(lock, 120);
    tcase_add_test(lock, test_database_default_isolation);
    tcase_add_test(lock, test_lock_connection_terminated_during_build);
    tcase_add_test(lock, test_runner_killed_during_build);
    tcase_add_test(lock, test_idle_in_transaction_timeout_spares_the_lock);
    tcase_add_test(lock, test_second_connection_obeys_wait);
    tcase_add_test(lock, test_resume_records_a_finished_build);
    tcase_add_test(lock, test_waits_for_a_build_in_progress);
    tcase_add_test(lock, test_outside_creates_the_history_table);
    tcase_add_test(lock, test_statement_timeout_bounds_the_build);
    tcase_add_test(lock, test_relative_upgrade_resolved_once);
    tcase_add_test(lock, test_relative_downgrade_resolved_once);
    tcase_add_test(lock, test_part_not_committed_once_the_lock_is_gone);
    suite_add_tcase(s, lock);
    return test_run_suite(s);
}
