/*
 * Torture: every pcs-migrate command under valgrind's memcheck, against a
 * real database (PCSM_TEST_DSN), on success and on each kind of failure:
 * no invalid access, no uninitialised value, no leak (definite, indirect
 * or possible), or the run exits 99.  Skipped in a sanitizer build.
 */
#define _GNU_SOURCE /* asprintf */
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "torture.h"

#define VALGRIND_ERROR 99

static const char *valgrind;
static char db[64];
static char *url;
static PGconn *conn;
static long runs;
static double vg_seconds;

/* The valgrind command line in front of bin, its log in log_path. */
static size_t valgrind_argv(const char **argv, char *log_opt, size_t log_size, char *log_path,
                            size_t path_size, const char *bin)
{
    size_t n = 0;

    close(test_temp_file("pcsm-valgrind", log_path, path_size));
    snprintf(log_opt, log_size, "--log-file=%s", log_path);
    argv[n++] = valgrind;
    argv[n++] = "--quiet";
    argv[n++] = "--error-exitcode=99";
    argv[n++] = "--leak-check=full";
    argv[n++] = "--show-leak-kinds=definite,indirect,possible";
    argv[n++] = "--errors-for-leak-kinds=definite,indirect,possible";
    argv[n++] = "--num-callers=40";
    argv[n++] = log_opt;
    argv[n++] = test_bin(bin);
    return n;
}

/* Valgrind's verdict: its log is empty (--quiet) and the status is not its own. */
static void assert_clean(const char *what, const char *log_path, int status, int want,
                         const char *err)
{
    char *log = test_read_file(log_path);

    unlink(log_path);
    ck_assert_msg(status != VALGRIND_ERROR && !*log, "%s: valgrind found errors (exit %d): %s",
                  what, status, test_flat(test_tail(log, 2500)));
    ck_assert_msg(status == want, "%s: exit %d, want %d | %s", what, status, want,
                  test_flat(test_tail(err, 1200)));
    free(log);
}

/*
 * Runs `bin args` under memcheck, with --database-url (unless `online` is
 * false) in front of the arguments; keeps the result when keep is not NULL.
 */
static void vg(const char *bin, bool online, const char *const args[], int want,
               struct proc_result *keep)
{
    const char *argv[48];
    char log_opt[96], log_path[64], what[256];
    const char *const env[] = { "DATABASE_URL", "PCS_MIGRATE_DATABASE_URL", NULL };
    struct proc_result r;
    size_t n = valgrind_argv(argv, log_opt, sizeof(log_opt), log_path, sizeof(log_path), bin);
    size_t i;
    double t0 = test_now_s();

    if (online) {
        argv[n++] = "--database-url";
        argv[n++] = url;
    }
    snprintf(what, sizeof(what), "%s", bin);
    for (i = 0; args[i] && n < 47; i++) {
        argv[n++] = args[i];
        snprintf(what + strlen(what), sizeof(what) - strlen(what), " %s", args[i]);
    }
    argv[n] = NULL;
    proc_run(argv, NULL, env, &r);
    vg_seconds += test_now_s() - t0;
    runs++;
    assert_clean(what, log_path, r.status, want, r.err);
    if (keep)
        *keep = r;
    else
        proc_result_free(&r);
}

#define ARGS(...) ((const char *const[]){ __VA_ARGS__, NULL })

/* The same without valgrind: to set a database's state cheaply. */
static void plain(const char *bin, const char *const args[], int want)
{
    const char *argv[24];
    struct proc_result r;

    test_cmd_argv(argv, 24, bin, url, args);
    proc_run(argv, NULL, NULL, &r);
    ck_assert_msg(r.status == want, "%s %s: exit %d, want %d | %s", bin, args[0], r.status,
                  want, test_flat(test_tail(r.err, 1200)));
    proc_result_free(&r);
}

/* The commands that need no database: help, scripts, views of the graph. */
START_TEST(test_offline_commands)
{
    long before = runs;

    vg("linear", false, ARGS("bogus-command"), 2, NULL);    /* and the help, on stderr */
    vg("pcs", false, ARGS("upgrade", "--sql", "base:head"), 0, NULL);
    vg("merge", false, ARGS("downgrade", "--sql", "heads:base"), 0, NULL);
    vg("linear", false, ARGS("rollback", "--sql", "--revision", "a10000000002"), 0, NULL);
    vg("merge", false, ARGS("history", "--verbose"), 0, NULL);
    vg("linear", false, ARGS("heads", "--verbose"), 0, NULL);
    vg("merge", false, ARGS("branches", "--format", "json"), 0, NULL);
    vg("merge", false, ARGS("show", "heads", "--format", "json"), 0, NULL);
    vg("linear", false, ARGS("upgrade", "--sql", "a1"), 2, NULL);
    torture_note("valgrind, offline: %ld commands clean (%.0f s under valgrind in all)",
                 runs - before, vg_seconds);
}
END_TEST

/* Every command against the database, on success and on each kind of failure. */
START_TEST(test_online_commands)
{
    PGconn *holder;
    long before = runs;
    int fd;
    char *closed_url;

    vg("linear", true, ARGS("current"), 0, NULL);
    vg("linear", true, ARGS("--format", "json", "migrate"), 0, NULL);
    vg("linear", true, ARGS("check", "--format", "json"), 0, NULL);
    vg("linear", true, ARGS("current", "--verbose"), 0, NULL);
    vg("linear", true, ARGS("history", "--verbose", "-i"), 0, NULL);
    vg("linear", true, ARGS("history", "--format", "json", "-i"), 0, NULL);
    vg("linear", true, ARGS("show", "a10000000003"), 0, NULL);
    vg("linear", true, ARGS("downgrade", "-1"), 0, NULL);
    vg("linear", true, ARGS("rollback", "--revision", "a10000000001"), 0, NULL);
    vg("linear", true, ARGS("upgrade", "head", "--transaction-per-migration"), 0, NULL);
    vg("linear", true, ARGS("stamp", "a10000000002"), 0, NULL);
    vg("linear", true, ARGS("reset", "--yes"), 0, NULL);
    /* Failures: the lock held, an unreachable server, a bad target, inconsistent states. */
    plain("linear", ARGS("downgrade", "a10000000003"), 0);
    holder = test_connect(db);
    test_exec(holder, "SELECT pg_advisory_lock(1885565805, hashtext('public.alembic_version'))");
    vg("linear", true, ARGS("migrate", "--lock-timeout", "0.5"), 4, NULL);
    PQfinish(holder);
    ck_assert(asprintf(&closed_url, "host=127.0.0.1 port=%d dbname=x", test_closed_port(&fd)) > 0);
    vg("linear", false, ARGS("migrate", "--database-url", closed_url, "--wait", "0.3"), 3, NULL);
    close(fd);
    free(closed_url);
    vg("linear", true, ARGS("upgrade", "nosuchrev"), 2, NULL);
    vg("linear_changed_sql", true, ARGS("check"), 5, NULL);
    /* Accepted, and the column its new SQL adds is missing: drift. */
    vg("linear_changed_sql", true, ARGS("check", "--accept", "a10000000003"), 6, NULL);
    plain("linear_changed_sql", ARGS("migrate"), 0);
    vg("linear_prefix", true, ARGS("migrate"), 5, NULL);
    torture_note("valgrind, online: %ld commands clean (success, exits 2, 3, 4, 5 and 6; "
                 "%.0f s under valgrind in all)", runs - before, vg_seconds);
}
END_TEST

/*
 * The other shapes: branches and a merge, a failing revision, a
 * nontransactional one, a batched data migration with notices, a long
 * chain, SIGTERM in the middle of a revision, and scaffolding.
 */
START_TEST(test_other_fixtures)
{
    long before = runs;
    char dir[64], *s;

    vg("merge", true, ARGS("--schema", "merge", "migrate"), 0, NULL);
    vg("merge", true, ARGS("--schema", "merge", "downgrade", "b10000000003,b10000000005"), 0,
       NULL);
    vg("failing", true, ARGS("--schema", "failing", "migrate", "--transaction-per-migration",
                             "--format", "json"), 1, NULL);
    vg("concurrent", true, ARGS("--schema", "conc", "migrate"), 0, NULL);
    vg("data", true, ARGS("--schema", "data", "migrate", "--format", "json"), 0, NULL);
    vg("chain1000", true, ARGS("--schema", "chain", "upgrade", "base+60"), 0, NULL);

    /* SIGTERM inside the sleeping revision: 143, after rolling back. */
    {
        char log_opt[96], log_path[64], sql[160], *sleeping;
        const char *argv[24];
        struct proc_result r;
        struct proc_bg b;
        size_t n = valgrind_argv(argv, log_opt, sizeof(log_opt), log_path, sizeof(log_path),
                                 "sleepy");

        snprintf(sql, sizeof(sql), "ALTER DATABASE \"%s\" SET pcsm_test.sleep = '60'", db);
        test_exec(conn, sql);
        argv[n++] = "--database-url";
        argv[n++] = url;
        argv[n++] = "--schema";
        argv[n++] = "sleepy";
        argv[n++] = "migrate";
        argv[n] = NULL;
        proc_start(&b, argv, NULL, NULL);
        sleeping = test_await_rows(conn, "SELECT pid FROM pg_stat_activity WHERE datname = "
                                         "current_database() AND state = 'active' "
                                         "AND query LIKE 'SELECT pg_sleep%'", 60);
        ck_assert_msg(sleeping != NULL, "the sleeping revision never ran");
        kill(b.pid, SIGTERM);
        proc_wait(&b, 60, &r);
        runs++;
        assert_clean("sleepy migrate, SIGTERM", log_path, r.status, 143, r.err);
        proc_result_free(&r);
        free(sleeping);
    }

    /* Scaffolding, in a copy of the merge fixture without its merge revision: two heads. */
    snprintf(dir, sizeof(dir), "%s/pcsm-valgrind-XXXXXX", getenv("TMPDIR") ? getenv("TMPDIR")
                                                                           : "/tmp");
    ck_assert_ptr_nonnull(mkdtemp(dir));
    ck_assert(asprintf(&s, "cd %s/tests/fixtures/merge && cp b1000000000[1-5]_*.c %s/ && "
                           "cd %s && ls *.c > revisions.txt",
                       getenv("PCSM_TEST_SOURCE_ROOT"), dir, dir) > 0);
    ck_assert_int_eq(system(s), 0);
    free(s);
    vg("merge", false, ARGS("merge", "-m", "join the branches", "b10000000003", "b10000000005",
                            "--dir", dir), 0, NULL);
    vg("merge", false, ARGS("create-migration", "--dir", dir, "after the merge"), 0, NULL);
    vg("merge", false, ARGS("revision", "-m", "and one more", "--dir", dir, "--format", "json"),
       0, NULL);
    ck_assert(asprintf(&s, "rm -rf %s", dir) > 0);
    ck_assert_int_eq(system(s), 0);
    free(s);
    torture_note("valgrind, other fixtures: %ld commands clean (merge, failing, "
                 "nontransactional, batched data, 60-revision chain, SIGTERM, scaffolding; "
                 "%.0f s under valgrind in all)", runs - before, vg_seconds);
}
END_TEST

int main(void)
{
    const char *sanitizer = torture_sanitizer();
    Suite *s;
    TCase *tc;

    if (sanitizer) {
        printf("1..0 # SKIP this build has sanitizers (b_sanitize=%s): ASan and valgrind do "
               "not mix; the plain build runs memcheck\n", sanitizer);
        return 0;
    }
    valgrind = getenv("PCSM_TEST_VALGRIND");
    if (!valgrind || !*valgrind) {
        printf("1..0 # SKIP valgrind is not installed (meson found none)\n");
        return 0;
    }
    test_require_db();
    s = suite_create("torture_valgrind");
    tc = tcase_create("valgrind");
    torture_note("valgrind: %s --leak-check=full, definite, indirect and possible leaks are "
                 "errors, --error-exitcode=99, no suppressions", valgrind);
    test_fresh_db_fixture(tc, db, sizeof(db), &conn, &url);
    tcase_set_timeout(tc, 900);
    tcase_add_test(tc, test_offline_commands);
    tcase_add_test(tc, test_online_commands);
    tcase_add_test(tc, test_other_fixtures);
    suite_add_tcase(s, tc);
    return test_run_suite(s);
}
