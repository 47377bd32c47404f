/*
 * Unit tests for the fleet layer (suite "fleet"): the target list (lines,
 * comments, --schema, duplicates, labels without secrets, shards that cover
 * the list once) and the scheduler, with children that exit, print, crash
 * and wait for signals: bounded, ordered, stopping where it should.
 */
#include <check.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <unistd.h>

#include "pcsm/pcsm.h"
#include "support.h"

static pcsm_ctx *ctx;
static pcsm_fleet_targets list;

static void setup(void)
{
    ck_assert_int_eq(pcsm_ctx_new(&ctx, NULL, 0), 0);
    list = (pcsm_fleet_targets)PCSM_FLEET_TARGETS_INIT;
}

static void teardown(void)
{
    pcsm_fleet_targets_dispose(&list);
    pcsm_ctx_free(ctx);
    ctx = NULL;
}

static int parse(const char *text)
{
    return pcsm_fleet_parse(ctx, text, strlen(text), "targets.txt", &list);
}

static const char *message(void)
{
    return pcsm_error_last(ctx)->message;
}

START_TEST(test_fleet_parse_lines)
{
    ck_assert_int_eq(parse("# the tenants\n"
                           "\n"
                           "  host=db1 port=5433 dbname=t1  \n"
                           "postgresql://u:pw@db2:6432/t2?sslmode=require --schema tenant_2\n"
                           "\t# indented comment\r\n"
                           "dbname=t3 --schema=s3\r\n"
                           "host=/run/pg dbname=t4"), 0);
    ck_assert_uint_eq(list.n, 4);
    ck_assert_str_eq(list.v[0].conninfo, "host=db1 port=5433 dbname=t1");
    ck_assert_ptr_null(list.v[0].schema);
    ck_assert_uint_eq(list.v[0].line, 3);
    ck_assert_str_eq(list.v[0].label, "db1:5433/t1");
    ck_assert_str_eq(list.v[1].conninfo, "postgresql://u:pw@db2:6432/t2?sslmode=require");
    ck_assert_str_eq(list.v[1].schema, "tenant_2");
    ck_assert_str_eq(list.v[1].label, "db2:6432/t2 (schema tenant_2)");
    ck_assert_str_eq(list.v[2].conninfo, "dbname=t3");
    ck_assert_str_eq(list.v[2].schema, "s3");
    ck_assert_uint_eq(list.v[2].line, 6);
    ck_assert_str_eq(list.v[2].label, "/t3 (schema s3)");
    ck_assert_str_eq(list.v[3].label, "/run/pg/t4");
}
END_TEST

START_TEST(test_fleet_parse_empty_list)
{
    ck_assert_int_eq(parse("# nothing yet\n\n   \n"), 0);
    ck_assert_uint_eq(list.n, 0);
}
END_TEST

/* A label never shows a password or a user, whatever the form of the string. */
START_TEST(test_fleet_label_keeps_secrets_out)
{
    size_t i;

    ck_assert_int_eq(parse("postgresql://admin:Hunter2pw@db:5432/pcs\n"
                           "host=db password=Hunter2pw user=admin dbname=pcs2\n"
                           "password=Hunter2pw\n"), 0);
    ck_assert_uint_eq(list.n, 3);
    for (i = 0; i < list.n; i++) {
        ck_assert_msg(!strstr(list.v[i].label, "Hunter2pw"), "label %s", list.v[i].label);
        ck_assert_msg(!strstr(list.v[i].label, "admin"), "label %s", list.v[i].label);
    }
    ck_assert_str_eq(list.v[0].label, "db:5432/pcs");
    ck_assert_str_eq(list.v[1].label, "db/pcs2");
    /* Nothing libpq would name: its place in the list. */
    ck_assert_str_eq(list.v[2].label, "target 3");

    /* A URL where the database name should be: its password stays out. */
    pcsm_fleet_targets_dispose(&list);
    ck_assert_int_eq(parse("host=db dbname=postgresql://alice:Hunter2pw@db.example/prod\n"), 0);
    ck_assert_str_eq(list.v[0].label, "db");
}
END_TEST

START_TEST(test_fleet_parse_errors_name_the_line_not_its_text)
{
    static const struct { const char *text, *expect; } cases[] = {
        { "host=a\n--schema s\n", "targets.txt:2: a --schema without a database URL" },
        { "host=a password=Hunter2pw --schema\n", "targets.txt:1: --schema needs a name" },
        { "host=a\n--verbose host=b password=Hunter2pw\n",
          "targets.txt:2: expected a database URL or connection string" },
        { "host=a dbname=x\n\nhost=a dbname=x\n", "targets.txt:3: the same target as line 1" },
        { "host=a\0host=b\n", "targets.txt holds a NUL byte" },
        /* What a single run would refuse, refused before any target runs. */
        { "host=a\nthis is not a conninfo Hunter2pw\n",
          "targets.txt:2: the database URL or connection string is malformed (not shown" },
        { "host=a password='Hunter2pw dbname=x\n",
          "targets.txt:1: the connection string is malformed (not shown" },
        { "postgresql://u:Hunter2pw@[::1\n",
          "targets.txt:1: the database URL or connection string is malformed" },
        { "host=a\nhost=b port=5547x password=Hunter2pw\n",
          "targets.txt:2: the connection string is malformed" },
        { "postgresql://u@h/db?sslmode=bogus&password=Hunter2pw\n",
          "targets.txt:1: invalid value for the connection option \"sslmode\"" },
        { "postgresql://alice:pa@ss-Hunter2pw@db.example/x\n",
          "targets.txt:1: the database URL or connection string is malformed" },
        { "host=alice:Hunter2pw@db dbname=y\n", "targets.txt:1: the connection string is "
          "malformed" },
        { "host=a sslmdoe=require\n", "targets.txt:1: unknown connection option \"sslmdoe\"" },
    };
    size_t i;

    for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        size_t len = i == 4 ? 14 : strlen(cases[i].text);

        pcsm_fleet_targets_dispose(&list);
        ck_assert_int_eq(pcsm_fleet_parse(ctx, cases[i].text, len, "targets.txt", &list),
                         PCSM_EINVALID);
        ck_assert_msg(strstr(message(), cases[i].expect), "case %zu: %s", i, message());
        ck_assert_msg(!strstr(message(), "Hunter2pw"), "case %zu: %s", i, message());
    }
}
END_TEST

/* The same database, however it is spelt, with the same schema is one target. */
START_TEST(test_fleet_add_duplicates_by_database)
{
    static const char *const same[] = {
        "host=db port=5433 dbname=t4 user=a",
        "dbname=t4 port=5433 host=db",
        "postgresql://b:pw@db:5433/t4",
        "postgresql:///t4?host=db&port=5433",
    };
    size_t i;

    ck_assert_int_eq(parse("host=db port=5433 dbname=t4\n"
                           "host=db port=5433 dbname=t4 --schema s\n"
                           "host=db port=5434 dbname=t4\n"
                           "host=db2 port=5433 dbname=t4\n"), 0);
    ck_assert_uint_eq(list.n, 4);
    for (i = 0; i < sizeof(same) / sizeof(same[0]); i++) {
        ck_assert_msg(pcsm_fleet_add(ctx, &list, same[i], NULL, "t", 9) == PCSM_EINVALID,
                      "%s", same[i]);
        ck_assert_str_eq(message(), "t:9: the same target as line 1");
    }
    /* A database named after no one but its user: libpq's default. */
    ck_assert_int_eq(pcsm_fleet_add(ctx, &list, "host=db port=5433 user=t4 dbname=t5", NULL,
                                    "t", 10), 0);
    ck_assert_int_eq(pcsm_fleet_add(ctx, &list, "host=db port=5433 user=t5", NULL, "t", 11),
                     PCSM_EINVALID);
    ck_assert_str_eq(message(), "t:11: the same target as line 10");
}
END_TEST

/* The same string with another schema is another target; twice the same is not. */
START_TEST(test_fleet_add_duplicates)
{
    ck_assert_int_eq(pcsm_fleet_add(ctx, &list, "dbname=a", NULL, "q", 0), 0);
    ck_assert_int_eq(pcsm_fleet_add(ctx, &list, "dbname=a", "s1", "q", 0), 0);
    ck_assert_int_eq(pcsm_fleet_add(ctx, &list, "dbname=a", "s2", "q", 0), 0);
    ck_assert_int_eq(pcsm_fleet_add(ctx, &list, "dbname=a", "s1", "q", 0), PCSM_EINVALID);
    ck_assert_str_eq(message(), "q: target 4 is the same as target 2");
    ck_assert_int_eq(pcsm_fleet_add(ctx, &list, "dbname='a", NULL, "q", 0), PCSM_EINVALID);
    ck_assert_msg(strstr(message(), "q: target 4: the connection string is malformed (not "
                                    "shown"), "%s", message());
    ck_assert_uint_eq(list.n, 3);
}
END_TEST

/* Every slicing of a list covers it exactly once, each slice in list order. */
START_TEST(test_fleet_shards_cover_the_list_once)
{
    size_t n_targets, n, i, k;

    for (n_targets = 0; n_targets <= 7; n_targets++) {
        for (n = 1; n <= 4; n++) {
            int seen[8] = { 0 };

            for (i = 0; i < n; i++) {
                char spec[16], ci[32];

                pcsm_fleet_targets_dispose(&list);
                for (k = 0; k < n_targets; k++) {
                    snprintf(ci, sizeof(ci), "dbname=d%zu", k);
                    ck_assert_int_eq(pcsm_fleet_add(ctx, &list, ci, NULL, "t", k + 1), 0);
                }
                snprintf(spec, sizeof(spec), "%zu/%zu", i, n);
                ck_assert_int_eq(pcsm_fleet_shard(ctx, &list, spec), 0);
                for (k = 0; k < list.n; k++) {
                    size_t pos = list.v[k].line - 1;

                    ck_assert_uint_eq(pos % n, i);
                    ck_assert(k == 0 || list.v[k].line > list.v[k - 1].line);
                    seen[pos]++;
                }
            }
            for (k = 0; k < n_targets; k++)
                ck_assert_msg(seen[k] == 1, "%zu targets, %zu shards: target %zu in %d",
                              n_targets, n, k, seen[k]);
        }
    }
}
END_TEST

START_TEST(test_fleet_shard_spec_errors)
{
    static const char *const bad[] = { "3/3", "1", "/3", "1/", "a/3", "1/0", "-1/3", "1/3x",
                                       "1 /3", "99999999999999999999/3" };
    size_t i;

    for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
        ck_assert_msg(pcsm_fleet_shard(ctx, &list, bad[i]) == PCSM_EINVALID, "%s", bad[i]);
        ck_assert_msg(strstr(message(), bad[i]), "%s: %s", bad[i], message());
    }
    ck_assert_int_eq(pcsm_fleet_shard(ctx, &list, "0/1"), 0);
}
END_TEST

/* ------------------------------------------------------------- scheduler */

/* What the children do, by their target's dbname: "exit N", "print",
 * "pause" (until a signal), "abort". */
static int child_run(const pcsm_fleet_target *t, size_t index, void *payload)
{
    const char *what = t->conninfo + strlen("dbname='");

    (void)payload;
    if (!strncmp(what, "exit ", 5))
        return atoi(what + 5);
    if (!strncmp(what, "print", 5)) {
        printf("out of %zu\nsecond line", index);
        fprintf(stderr, "err of %zu\n", index);
        return 0;
    }
    if (!strncmp(what, "pause", 5)) {
        for (;;)
            pause();
    }
    if (!strncmp(what, "abort", 5))
        abort();
    return 99;
}

struct watch {
    size_t running, max_running, started[16], n_started, done[16], n_done;
    char lines[16][4][64];
    int streams[16][4];
    size_t n_lines[16];
    volatile sig_atomic_t *flag;
    size_t signal_at;           /* the start of this target sets *flag (SIZE_MAX: never) */
};

static void watch_start(size_t index, void *payload)
{
    struct watch *w = payload;

    w->started[w->n_started++] = index;
    if (++w->running > w->max_running)
        w->max_running = w->running;
    if (w->flag && index == w->signal_at)
        *w->flag = SIGTERM;
}

static void watch_line(size_t index, int stream, const char *line, size_t len, void *payload)
{
    struct watch *w = payload;
    size_t k = w->n_lines[index]++;

    ck_assert_uint_lt(k, 4);
    snprintf(w->lines[index][k], sizeof(w->lines[index][k]), "%.*s", (int)len, line);
    w->streams[index][k] = stream;
}

static void watch_done(size_t index, void *payload)
{
    struct watch *w = payload;

    w->done[w->n_done++] = index;
    w->running--;
}

static void add_all(const char *const *what, size_t n)
{
    size_t i;

    for (i = 0; i < n; i++) {
        char ci[64];

        /* The position keeps repeated actions apart (no duplicates). */
        snprintf(ci, sizeof(ci), "dbname='%s' port=%zu", what[i], i + 1);
        ck_assert_int_eq(pcsm_fleet_add(ctx, &list, ci, NULL, "t", i + 1), 0);
    }
}

static int run(int jobs, size_t canary, bool keep_going, struct watch *w,
               pcsm_fleet_outcome *out)
{
    pcsm_fleet_opts opts = { jobs, canary, keep_going, child_run, watch_start, watch_line,
                             watch_done, NULL, 0, w, w->flag };

    return pcsm_fleet_run(ctx, &list, &opts, out);
}

START_TEST(test_fleet_run_bounded_and_in_order)
{
    const char *const what[] = { "exit 0", "exit 0", "exit 0", "exit 0", "exit 0", "exit 0",
                                 "exit 0", "exit 0", "exit 0", "exit 0" };
    pcsm_fleet_outcome out[10];
    struct watch w = { 0 };
    size_t i;

    add_all(what, 10);
    ck_assert_int_eq(run(3, 0, false, &w, out), 0);
    ck_assert_uint_eq(w.max_running, 3);
    ck_assert_uint_eq(w.n_started, 10);
    ck_assert_uint_eq(w.n_done, 10);
    for (i = 0; i < 10; i++) {
        ck_assert_uint_eq(w.started[i], i);
        ck_assert_int_eq(out[i].state, PCSM_FLEET_DONE);
        ck_assert_int_eq(out[i].status, 0);
        ck_assert(out[i].seconds >= 0);
    }
}
END_TEST

/* Whole lines, in order per stream, the last one without its newline too. */
START_TEST(test_fleet_run_hands_on_lines)
{
    const char *const what[] = { "print", "print" };
    pcsm_fleet_outcome out[2];
    struct watch w = { 0 };
    size_t i, k;

    add_all(what, 2);
    ck_assert_int_eq(run(2, 0, false, &w, out), 0);
    for (i = 0; i < 2; i++) {
        char expect[3][32];
        int found = 0;

        snprintf(expect[0], sizeof(expect[0]), "out of %zu", i);
        snprintf(expect[1], sizeof(expect[1]), "second line");
        snprintf(expect[2], sizeof(expect[2]), "err of %zu", i);
        ck_assert_uint_eq(w.n_lines[i], 3);
        for (k = 0; k < 3; k++) {
            if (w.streams[i][k] == 2) {
                ck_assert_str_eq(w.lines[i][k], expect[2]);
                found |= 4;
            } else if (!(found & 1)) {
                ck_assert_str_eq(w.lines[i][k], expect[0]);
                found |= 1;
            } else {
                ck_assert_str_eq(w.lines[i][k], expect[1]);
                found |= 2;
            }
        }
        ck_assert_int_eq(found, 7);
    }
}
END_TEST

/* Without keep_going a failure stops the starting; the rest stay pending. */
START_TEST(test_fleet_run_stops_after_a_failure)
{
    const char *const what[] = { "exit 0", "exit 5", "exit 0", "exit 0" };
    pcsm_fleet_outcome out[4];
    struct watch w = { 0 };

    add_all(what, 4);
    ck_assert_int_eq(run(1, 0, false, &w, out), 0);
    ck_assert_int_eq(out[0].status, 0);
    ck_assert_int_eq(out[1].state, PCSM_FLEET_DONE);
    ck_assert_int_eq(out[1].status, 5);
    ck_assert_int_eq(out[2].state, PCSM_FLEET_PENDING);
    ck_assert_int_eq(out[3].state, PCSM_FLEET_PENDING);
    ck_assert_uint_eq(w.n_started, 2);
}
END_TEST

/* keep_going runs everything; a crash is 128 + its signal. */
START_TEST(test_fleet_run_keep_going_and_crashes)
{
    const char *const what[] = { "exit 1", "abort", "exit 0", "exit 3" };
    pcsm_fleet_outcome out[4];
    struct watch w = { 0 };

    add_all(what, 4);
    ck_assert_int_eq(run(2, 0, true, &w, out), 0);
    ck_assert_int_eq(out[0].status, 1);
    ck_assert_int_eq(out[1].status, 128 + SIGABRT);
    ck_assert_int_eq(out[2].status, 0);
    ck_assert_int_eq(out[3].status, 3);
}
END_TEST

/* The canary finishes before anything else starts; its failure stops all. */
START_TEST(test_fleet_run_canary)
{
    const char *const good[] = { "exit 0", "exit 0", "exit 0", "exit 0", "exit 0" };
    const char *const bad[] = { "exit 0", "exit 1", "exit 0", "exit 0", "exit 0" };
    pcsm_fleet_outcome out[5];
    struct watch w = { 0 };
    size_t i;

    add_all(good, 5);
    ck_assert_int_eq(run(4, 2, false, &w, out), 0);
    /* Targets 0 and 1 both done before 2 started, though 4 could run. */
    for (i = 0; i < w.n_started; i++)
        if (w.started[i] >= 2)
            break;
    ck_assert_uint_eq(i, 2);
    ck_assert_uint_ge(w.n_done, 2);
    ck_assert(w.done[0] < 2 && w.done[1] < 2);

    pcsm_fleet_targets_dispose(&list);
    memset(&w, 0, sizeof(w));
    add_all(bad, 5);
    /* Even with keep_going: a failed canary is the release's verdict. */
    ck_assert_int_eq(run(4, 2, true, &w, out), 0);
    ck_assert_int_eq(out[1].status, 1);
    for (i = 2; i < 5; i++)
        ck_assert_int_eq(out[i].state, PCSM_FLEET_PENDING);
}
END_TEST

/* The flag set: running children get the signal, nothing else starts. */
START_TEST(test_fleet_run_interrupt)
{
    const char *const what[] = { "pause", "pause", "pause", "exit 0", "exit 0" };
    static volatile sig_atomic_t flag;
    pcsm_fleet_outcome out[5];
    struct watch w = { 0 };
    size_t i;

    /* check's own handler, inherited by the children, would signal the group. */
    signal(SIGTERM, SIG_DFL);
    flag = 0;
    w.flag = &flag;
    w.signal_at = 1;
    add_all(what, 5);
    ck_assert_int_eq(run(2, 0, true, &w, out), PCSM_EINTERRUPTED);
    ck_assert_str_eq(message(), "fleet: interrupted by signal 15; no target started after it");
    ck_assert_int_eq(out[0].status, 128 + SIGTERM);
    ck_assert_int_eq(out[1].status, 128 + SIGTERM);
    for (i = 2; i < 5; i++)
        ck_assert_int_eq(out[i].state, PCSM_FLEET_PENDING);
}
END_TEST

/* No descriptor left for a pipe: an error of the run, and nothing started. */
START_TEST(test_fleet_run_without_descriptors)
{
    const char *const what[] = { "exit 0", "exit 0" };
    pcsm_fleet_outcome out[2];
    struct watch w = { 0 };
    struct rlimit lim = { 64, 64 };
    int taken[64], n_taken = 0, rc;

    add_all(what, 2);
    /* This test's own process (check forks one per test): every descriptor taken. */
    ck_assert_int_eq(setrlimit(RLIMIT_NOFILE, &lim), 0);
    while (n_taken < 64 && (taken[n_taken] = dup(0)) >= 0)
        n_taken++;
    rc = run(2, 0, false, &w, out);
    /* Given back before anything can fail: LeakSanitizer needs some at exit. */
    while (n_taken)
        close(taken[--n_taken]);
    ck_assert_int_eq(rc, PCSM_ERROR);
    ck_assert_msg(strstr(message(), "fleet: cannot make a pipe for ") != NULL, "%s", message());
    ck_assert_uint_eq(w.n_started, 0);
    ck_assert_int_eq(out[0].state, PCSM_FLEET_PENDING);
    ck_assert_int_eq(out[1].state, PCSM_FLEET_PENDING);
}
END_TEST

static Suite *fleet_suite(void)
{
    Suite *s = suite_create("fleet");
    TCase *tc = tcase_create("targets");

    tcase_add_checked_fixture(tc, setup, teardown);
    tcase_add_test(tc, test_fleet_parse_lines);
    tcase_add_test(tc, test_fleet_parse_empty_list);
    tcase_add_test(tc, test_fleet_label_keeps_secrets_out);
    tcase_add_test(tc, test_fleet_parse_errors_name_the_line_not_its_text);
    tcase_add_test(tc, test_fleet_add_duplicates);
    tcase_add_test(tc, test_fleet_add_duplicates_by_database);
    tcase_add_test(tc, test_fleet_shards_cover_the_list_once);
    tcase_add_test(tc, test_fleet_shard_spec_errors);
    suite_add_tcase(s, tc);
    tc = tcase_create("run");
    tcase_add_checked_fixture(tc, setup, teardown);
    tcase_add_test(tc, test_fleet_run_bounded_and_in_order);
    tcase_add_test(tc, test_fleet_run_hands_on_lines);
    tcase_add_test(tc, test_fleet_run_stops_after_a_failure);
    tcase_add_test(tc, test_fleet_run_keep_going_and_crashes);
    tcase_add_test(tc, test_fleet_run_canary);
    tcase_add_test(tc, test_fleet_run_interrupt);
    tcase_add_test(tc, test_fleet_run_without_descriptors);
    suite_add_tcase(s, tc);
    return s;
}

int main(void)
{
    return test_run_suite(fleet_suite());
}
