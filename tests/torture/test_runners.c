/*
 * Torture: 32 runners released at once on a fresh database, 10 rounds, each
 * upgrading to revision 300 of chain1000 (one transaction and one per
 * revision by turns): all succeed; in one transaction one runner applies
 * and the others find nothing to do, per revision they may take turns (the
 * lock is taken per transaction); the history and the catalog show every
 * revision applied once, in chain order.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "torture.h"

#define CHAIN 300

/* pg_locks is cluster-wide: the other torture tests may be migrating next door. */
#define THIS_DB "(SELECT oid FROM pg_database WHERE datname = current_database())"

START_TEST(test_runners_race_rounds)
{
    int runners = torture_count("PCSM_TORTURE_RUNNERS", 32);
    int rounds = torture_count("PCSM_TORTURE_ROUNDS", 10);
    char **ids = test_chain_ids("chain1000", CHAIN);
    const char *target = ids[CHAIN - 1];
    struct proc_bg *b = calloc((size_t)runners, sizeof(*b));
    int round, i, max_sessions = 0, lock_waits = 0, samples = 0, max_turns = 0;
    long objects = 0, runs = 0, history_rows = 0;
    double t_start = test_now_s(), slowest = 0;

    ck_assert_ptr_nonnull(b);
    for (round = 0; round < rounds; round++) {
        bool per_migration = round % 2 == 1, all_done;
        const char *argv[] = { test_bin("chain1000"), "--database-url", NULL,
                               "--lock-timeout", "300", "upgrade", target,
                               per_migration ? "--transaction-per-migration" : NULL, NULL };
        int gate[2], applied = 0, idle = 0;
        double t0, deadline;
        char db[64], *ci, *v;
        PGconn *conn = test_db_open(db, sizeof(db));

        ci = test_conninfo(db);
        argv[2] = ci;
        ck_assert_int_eq(pipe(gate), 0);
        for (i = 0; i < runners; i++)
            proc_start(&b[i], argv, NULL, gate);
        close(gate[0]);
        close(gate[1]);     /* go */
        t0 = test_now_s();
        deadline = t0 + 240;
        do {
            /* Nobody blocks in pg_advisory_lock: the lock is polled. */
            v = test_query(conn, "SELECT count(*) FILTER (WHERE l.locktype = 'advisory' "
                                 "AND NOT l.granted AND l.database = " THIS_DB "), "
                                 "(SELECT count(*) FROM pg_stat_activity "
                                 " WHERE datname = current_database() "
                                 " AND pid <> pg_backend_pid()) FROM pg_locks l");
            {
                int blocked = -1, sessions = -1;

                ck_assert_int_eq(sscanf(v, "%d|%d", &blocked, &sessions), 2);
                ck_assert_msg(blocked == 0, "round %d: %d sessions blocked on an advisory "
                              "lock", round, blocked);
                if (sessions > max_sessions)
                    max_sessions = sessions;
            }
            free(v);
            samples++;
            all_done = true;
            for (i = 0; i < runners; i++)
                all_done &= proc_done(&b[i]);
            if (!all_done)
                test_nap_ms(5);
        } while (!all_done && test_now_s() < deadline);
        if (test_now_s() - t0 > slowest)
            slowest = test_now_s() - t0;

        for (i = 0; i < runners; i++) {
            struct proc_result r;

            proc_wait(&b[i], 1, &r);
            ck_assert_msg(r.status == 0, "round %d, runner %d: exit %d | %s", round, i,
                          r.status, test_flat(test_tail(r.err, 1200)));
            applied += strstr(r.err, ": now at: ") != NULL;
            idle += strstr(r.err, ": nothing to do, at: ") != NULL;
            lock_waits += strstr(r.err, "waiting for the migration lock") != NULL;
            ck_assert_msg(strstr(r.out, target) != NULL, "round %d, runner %d printed %s",
                          round, i, test_flat(test_tail(r.out, 1200)));
            proc_result_free(&r);
            runs++;
        }
        ck_assert_msg(per_migration ? applied >= 1 && applied + idle == runners
                                    : applied == 1 && idle == runners - 1,
                      "round %d (%s): %d runners applied, %d found nothing to do", round,
                      per_migration ? "per migration" : "one transaction", applied, idle);
        if (per_migration && applied > max_turns)
            max_turns = applied;
        /* Each revision once: the chain check reads the upgrade rows in order. */
        ck_assert_int_eq(test_chain_check(conn, ids, CHAIN, &objects), CHAIN);
        v = test_query(conn, "SELECT count(*), count(DISTINCT revision), "
                             "count(*) FILTER (WHERE event <> 'upgrade') FROM pcs_migrate_history");
        {
            char want[64];

            snprintf(want, sizeof(want), "%d|%d|0", CHAIN, CHAIN);
            ck_assert_msg(!strcmp(v, want), "round %d: history rows (all, distinct, other "
                          "events): %s, want %s", round, v, want);
        }
        free(v);
        history_rows += CHAIN;
        test_db_close(conn, db);
        free(ci);
    }
    torture_note("runners: %d rounds of %d runners released at once (%ld runs), one "
                 "transaction and one per revision by turns; up to %d sessions at once",
                 rounds, runners, runs, max_sessions);
    torture_note("runners: every run exited 0; in one transaction one runner applied per "
                 "round and the other %d found nothing to do; per migration up to %d runners "
                 "took turns along the chain; %d runs logged a wait for the lock; no session "
                 "ever blocked on it (%d samples)", runners - 1, max_turns, lock_waits, samples);
    torture_note("runners: %ld revisions applied exactly once (%ld history rows, no "
                 "duplicates, no failures); %ld catalog objects and bookkeeping rows "
                 "verified; slowest round %.1f s (%.1f s in all)", history_rows, history_rows,
                 objects, slowest, test_now_s() - t_start);
    free(b);
    test_chain_ids_free(ids, CHAIN);
}
END_TEST

int main(void)
{
    Suite *s = suite_create("torture_runners");
    TCase *tc = tcase_create("runners");

    test_require_db();
    tcase_set_timeout(tc, 900);
    tcase_add_test(tc, test_runners_race_rounds);
    suite_add_tcase(s, tc);
    return test_run_suite(s);
}
