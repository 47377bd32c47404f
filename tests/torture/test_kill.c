/*
 * Torture: kill -9 at random moments of a 300-revision upgrade (chain1000 up
 * to revision 300), many times over, in one transaction or one per revision
 * (argv[1]: one-transaction or per-migration).  After every kill the catalog
 * agrees with the version and history tables, and a re-run reaches the
 * target applying each missing revision exactly once.  Each trial migrates
 * a schema of its own (--schema) in one database.
 */
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "torture.h"

#define CHAIN 300

static bool per_migration;
static const char *mode_name;

static int by_value(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;

    return x < y ? -1 : x > y;
}

/* The median of the undisturbed runs seen so far: the window kills are spread over. */
static double median(const double *v, int n)
{
    double sorted[256];

    memcpy(sorted, v, (size_t)n * sizeof(*v));
    qsort(sorted, (size_t)n, sizeof(*v), by_value);
    return sorted[n / 2];
}

/* Occurrences of needle in s. */
static int count_of(const char *s, const char *needle)
{
    int n = 0;

    for (; (s = strstr(s, needle)); s += strlen(needle))
        n++;
    return n;
}

/* Waits until the runner's session has gone: a killed runner's backend notices and rolls back. */
static void await_no_runner(PGconn *conn)
{
    ck_assert_msg(test_await_value(conn, "SELECT count(*) FROM pg_stat_activity "
                                         "WHERE datname = current_database() "
                                         "AND pid <> pg_backend_pid()", "0", 30),
                  "the killed runner's session is still there after 30 s");
}

/* Each trial migrates a schema of its own: no database to create and drop. */
static void use_schema(PGconn *conn, const char *schema)
{
    char sql[128];

    snprintf(sql, sizeof(sql), "SET search_path TO \"%s\"", schema);
    test_exec(conn, sql);
}

static void drop_schema(PGconn *conn, const char *schema)
{
    char sql[128];

    snprintf(sql, sizeof(sql), "RESET search_path; DROP SCHEMA IF EXISTS \"%s\" CASCADE",
             schema);
    test_exec(conn, sql);
}

/* The runner's argv: upgrade to revision 300 in its schema, in the mode under test. */
static void runner_argv(const char **argv, const char *ci, const char *schema,
                        const char *target)
{
    size_t n = 0;

    argv[n++] = test_bin("chain1000");
    argv[n++] = "--database-url";
    argv[n++] = ci;
    argv[n++] = "--schema";
    argv[n++] = schema;
    if (per_migration)
        argv[n++] = "--transaction-per-migration";
    argv[n++] = "upgrade";
    argv[n++] = target;
    argv[n] = NULL;
}

/*
 * Kills land uniformly within the median duration of undisturbed runs: three
 * to start with, then every run that finished before its kill and every
 * re-run that had the whole way to go.  Trials go on until `kills` SIGKILLs
 * have landed in a running process, at most twice that many trials.
 */
START_TEST(test_kill9_at_random_moments)
{
    int kills = torture_count("PCSM_TORTURE_KILL_TRIALS", 50), trials, t;
    double full[256];
    int n_full = 0;
    char **ids = test_chain_ids("chain1000", CHAIN);
    const char *target = ids[CHAIN - 1];
    char db[64], *ci, schema[32];
    PGconn *conn = test_db_open(db, sizeof(db));
    int landed = 0, finished_first = 0, at_base = 0, partial = 0, complete = 0;
    int min_left = CHAIN, max_left = 0;
    long objects = 0, rerun_applied = 0;
    double window, min_delay = 1e9, max_delay = 0, sum_delay = 0, t_start = test_now_s();

    torture_seed(mode_name);
    ci = test_conninfo(db);
    for (t = 0; t < 3; t++) {
        const char *argv[12];
        struct proc_result r;
        double t0;

        snprintf(schema, sizeof(schema), "calibration_%d", t);
        runner_argv(argv, ci, schema, target);
        t0 = test_now_s();
        proc_run(argv, NULL, NULL, &r);
        full[n_full++] = test_now_s() - t0;
        ck_assert_msg(r.status == 0, "undisturbed run: exit %d | %s", r.status,
                      test_flat(test_tail(r.err, 1200)));
        use_schema(conn, schema);
        ck_assert_int_eq(test_chain_check(conn, ids, CHAIN, &objects), CHAIN);
        drop_schema(conn, schema);
        proc_result_free(&r);
    }
    window = median(full, n_full);
    torture_note("%s: target %s (revision %d of chain1000); undisturbed runs take %.0f, %.0f, "
                 "%.0f ms: kills land uniformly within the median", mode_name, target, CHAIN,
                 full[0] * 1e3, full[1] * 1e3, full[2] * 1e3);

    for (t = 0; landed < kills && t < 2 * kills; t++) {
        const char *argv[12];
        struct proc_result r;
        struct proc_bg b;
        double delay = torture_random() * window, t0;
        char *other;
        int left;

        snprintf(schema, sizeof(schema), "trial_%03d", t);
        runner_argv(argv, ci, schema, target);
        t0 = test_now_s();
        proc_start(&b, argv, NULL, NULL);
        /* The delay in slices, to notice a run that ends first (and how long it took). */
        while (test_now_s() - t0 < delay && !proc_done(&b))
            test_nap_ms(delay - (test_now_s() - t0) > 0.005 ? 5 : 1);
        if (b.reaped && n_full < 256) {
            full[n_full++] = test_now_s() - t0;
            window = median(full, n_full);
        }
        if (!b.reaped)      /* never a pid that may have been reused */
            kill(b.pid, SIGKILL);
        proc_wait(&b, 30, &r);
        ck_assert_msg(r.status == 128 + SIGKILL || r.status == 0,
                      "trial %d, killed after %.0f ms: exit %d | %s", t, delay * 1e3, r.status,
                      test_flat(test_tail(r.err, 1200)));
        if (r.status == 0)
            finished_first++;
        else
            landed++;
        proc_result_free(&r);
        if (delay < min_delay)
            min_delay = delay;
        if (delay > max_delay)
            max_delay = delay;
        sum_delay += delay;

        await_no_runner(conn);
        use_schema(conn, schema);
        left = test_chain_check(conn, ids, CHAIN, &objects);
        ck_assert_msg(per_migration || left == 0 || left == CHAIN,
                      "trial %d: one transaction, yet %d of %d revisions applied", t, left,
                      CHAIN);
        ck_assert_msg(b.status != 0 || left == CHAIN, "trial %d: the run ended well at %d", t,
                      left);
        /* A SIGKILL leaves no failed or interrupted rows: the runner never knew. */
        other = test_query(conn, "SELECT to_regclass('pcs_migrate_history') IS NOT NULL");
        if (!strcmp(other, "t")) {
            free(other);
            other = test_query(conn, "SELECT count(*) FROM pcs_migrate_history "
                                     "WHERE event <> 'upgrade'");
            ck_assert_msg(!strcmp(other, "0"), "trial %d: %s history rows besides upgrades",
                          t, other);
        }
        free(other);
        if (left == 0)
            at_base++;
        else if (left == CHAIN)
            complete++;
        else
            partial++;
        if (left < min_left)
            min_left = left;
        if (left > max_left)
            max_left = left;

        /* The re-run applies exactly what is missing, once each, and reaches the target. */
        t0 = test_now_s();
        proc_run(argv, NULL, NULL, &r);
        if (left == 0 && n_full < 256) {
            full[n_full++] = test_now_s() - t0;
            window = median(full, n_full);
        }
        ck_assert_msg(r.status == 0, "trial %d: re-run after the kill at %d: exit %d | %s", t,
                      left, r.status, test_flat(test_tail(r.err, 1200)));
        ck_assert_msg(strstr(r.out, target) != NULL, "trial %d: re-run printed %s", t,
                      test_flat(test_tail(r.out, 1200)));
        ck_assert_msg(count_of(r.err, " done (") == CHAIN - left,
                      "trial %d: %d revisions were missing, the re-run applied %d", t,
                      CHAIN - left, count_of(r.err, " done ("));
        rerun_applied += CHAIN - left;
        proc_result_free(&r);
        ck_assert_int_eq(test_chain_check(conn, ids, CHAIN, &objects), CHAIN);
        drop_schema(conn, schema);
    }
    trials = t;
    ck_assert_msg(landed >= kills, "only %d of %d trials killed a running process", landed,
                  trials);
    torture_note("%s: %d trials: %d SIGKILLs landed mid-run, %d runs had finished first; "
                 "kill delays %.0f..%.0f ms (mean %.0f); kill window, the median of %d "
                 "undisturbed runs: %.0f ms", mode_name, trials, landed, finished_first,
                 min_delay * 1e3, max_delay * 1e3, sum_delay * 1e3 / trials, n_full,
                 window * 1e3);
    torture_note("%s: left behind: %d at base, %d partial, %d complete (revisions applied "
                 "after a kill: %d..%d)", mode_name, at_base, partial, complete, min_left,
                 max_left);
    torture_note("%s: %d re-runs reached %s, applying %ld missing revisions, each exactly "
                 "once; %ld catalog objects and bookkeeping rows verified; nothing lost, "
                 "nothing half-applied (%.1f s)", mode_name, trials, target, rerun_applied,
                 objects, test_now_s() - t_start);
    test_db_close(conn, db);
    free(ci);
    test_chain_ids_free(ids, CHAIN);
}
END_TEST

int main(int argc, char **argv)
{
    Suite *s = suite_create("torture_kill9");
    TCase *tc = tcase_create("kill9");

    if (argc != 2 || (strcmp(argv[1], "one-transaction") && strcmp(argv[1], "per-migration"))) {
        fprintf(stderr, "usage: %s one-transaction|per-migration\n", argv[0]);
        return 2;
    }
    per_migration = !strcmp(argv[1], "per-migration");
    mode_name = per_migration ? "kill9 per-migration" : "kill9 one-transaction";
    test_require_db();
    tcase_set_timeout(tc, 900);
    tcase_add_test(tc, test_kill9_at_random_moments);
    suite_add_tcase(s, tc);
    return test_run_suite(s);
}
