/*
 * Torture: --wait against a server that speaks German (lc_messages
 * de_DE.UTF-8, from Debian's locales-all), in the two states an init
 * container meets: not accepting connections yet (57P03) and out of
 * connection slots (53300).  The runner must recognise both without
 * reading the server's words, wait, and migrate once the server lets it in.
 */
#define _GNU_SOURCE /* asprintf */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "torture.h"

#define MAX_FILLERS 32

static char db[64];
static PGconn *conn;
static char *url;

static void setup(void)
{
    conn = test_db_open(db, sizeof(db));
    url = test_conninfo(db);
}

static void teardown(void)
{
    test_db_close(conn, db);
    free(url);
}

static void start(struct proc_bg *b)
{
    const char *args[] = { "migrate", "--wait", "120", NULL };
    const char *argv[16];

    test_cmd_argv(argv, 16, "linear", url, args);
    proc_start(b, argv, NULL, NULL);
}

/* Server settings for the next start, as the superuser. */
static void alter_system(const char *sql)
{
    PGconn *admin = test_connect("postgres");

    test_exec(admin, sql);
    PQfinish(admin);
}

/*
 * The server's messages in German from now on, the postmaster's included
 * (those of a connection it refuses): set in the configuration, restarted.
 */
static void speak_german(void)
{
    alter_system("ALTER SYSTEM SET lc_messages = 'de_DE.UTF-8'");
    PQfinish(conn);
    cluster_ctl("restart");
    conn = test_connect(db);
    test_assert_query(conn, "SHOW lc_messages", "de_DE.UTF-8");
}

/* The runner waited (its retry line is on stderr) and has not given up. */
static void await_retry(struct proc_bg *b, const char *what)
{
    char *err;

    ck_assert_msg(proc_await_stderr(b, "waiting for the server (attempt", 60),
                  "%s: the runner never retried: %s", what, test_flat(proc_stderr(b)));
    err = proc_stderr(b);
    ck_assert_msg(!proc_done(b), "%s: the runner gave up: %s", what, test_flat(err));
    free(err);
}

static void assert_migrated(struct proc_bg *b, const char *what, const char *sqlstate,
                            const char *german)
{
    struct proc_result r;

    proc_wait(b, 120, &r);
    ck_assert_msg(r.status == 0, "%s: exit %d | %s", what, r.status,
                  test_flat(test_tail(r.err, 2000)));
    /* What it waited for came from the server, in German, with its SQLSTATE. */
    ck_assert_msg(strstr(r.err, sqlstate) != NULL, "%s: no SQLSTATE %s in %s", what, sqlstate,
                  test_flat(test_tail(r.err, 2000)));
    ck_assert_msg(strstr(r.err, german) != NULL, "%s: the server did not speak German: %s",
                  what, test_flat(test_tail(r.err, 2000)));
    torture_note("%s: waited out \"%s\" (SQLSTATE %s), then migrated", what, german, sqlstate);
    proc_result_free(&r);
    PQfinish(conn);
    conn = test_connect(db);
    test_assert_query(conn, "SELECT string_agg(version_num, ',') FROM alembic_version",
                      "a10000000005");
}

/*
 * Not accepting connections: a standby with hot_standby off stays in
 * recovery, answering 57P03 ("das Datenbanksystem nimmt keine Verbindungen
 * an") until it
 * is promoted; the same SQLSTATE and the same PQping answer as a server
 * starting up, only held there for as long as the test needs.
 */
START_TEST(test_wait_german_server_not_accepting_connections)
{
    struct proc_bg b;
    char *signal_file;

    speak_german();
    alter_system("ALTER SYSTEM SET hot_standby = off");
    PQfinish(conn);
    cluster_ctl("stop");
    ck_assert_int_ge(asprintf(&signal_file, "%s/standby.signal", cluster_data_dir()), 0);
    fclose(fopen(signal_file, "w"));
    free(signal_file);
    cluster_ctl("start");
    start(&b);
    await_retry(&b, "a standby not accepting connections");
    cluster_ctl("promote");
    conn = NULL;
    assert_migrated(&b, "a German standby not accepting connections", "57P03",
                    "das Datenbanksystem nimmt keine Verbindungen an");
    alter_system("ALTER SYSTEM RESET hot_standby");
}
END_TEST

/*
 * Out of connection slots: max_connections filled by the test's own
 * sessions (until the server refuses one); once the runner has retried, a
 * slot is freed.
 */
START_TEST(test_wait_german_server_out_of_slots)
{
    PGconn *fillers[MAX_FILLERS];
    struct proc_bg b;
    int n = 0;

    speak_german();
    alter_system("ALTER SYSTEM SET max_connections = 6");
    alter_system("ALTER SYSTEM SET superuser_reserved_connections = 0");
    PQfinish(conn);
    cluster_ctl("restart");
    conn = test_connect(db);
    for (n = 0; n < MAX_FILLERS; n++) {
        fillers[n] = PQconnectdb(url);
        if (PQstatus(fillers[n]) != CONNECTION_OK)
            break;
    }
    ck_assert_msg(n < MAX_FILLERS, "the server never ran out of connection slots");
    PQfinish(fillers[n]);
    start(&b);
    await_retry(&b, "a full server");
    PQfinish(fillers[--n]);
    assert_migrated(&b, "a German server out of connection slots", "53300",
                    "zu viele Verbindungen");
    while (n > 0)
        PQfinish(fillers[--n]);
    alter_system("ALTER SYSTEM RESET max_connections");
    alter_system("ALTER SYSTEM RESET superuser_reserved_connections");
    PQfinish(conn);
    cluster_ctl("restart");
    conn = test_connect(db);
}
END_TEST

/*
 * Permanent failures still fail at once under --wait: a role that needs a
 * password and was given none (libpq gives up before the server says why:
 * no SQLSTATE, and PQping finds the server up), and a missing database
 * (3D000, in German).
 */
START_TEST(test_wait_permanent_failures_in_german)
{
    const char *args[] = { "migrate", "--wait", "60", NULL };
    const char *argv[16];
    char *no_password = cluster_url(TORTURE_SCRAM, NULL, db), *no_db;
    struct proc_result r;
    double t0;

    speak_german();
    cluster_create_roles();
    ck_assert_int_ge(asprintf(&no_db, "%s_nope", url), 0);
    test_cmd_argv(argv, 16, "linear", no_password, args);
    t0 = test_now_s();
    proc_run(argv, NULL, NULL, &r);
    ck_assert_msg(r.status == 3 && test_now_s() - t0 < 30,
                  "no password: exit %d after %.1f s | %s", r.status, test_now_s() - t0,
                  test_flat(test_tail(r.err, 1200)));
    ck_assert_msg(!strstr(r.err, "waiting for the server"), "no password: waited: %s",
                  test_flat(r.err));
    proc_result_free(&r);
    test_cmd_argv(argv, 16, "linear", no_db, args);
    proc_run(argv, NULL, NULL, &r);
    ck_assert_msg(r.status == 3 && strstr(r.err, "(SQLSTATE 3D000)") &&
                  !strstr(r.err, "waiting for the server"),
                  "missing database: exit %d | %s", r.status, test_flat(test_tail(r.err, 1200)));
    proc_result_free(&r);
    free(no_password);
    free(no_db);
}
END_TEST

int main(void)
{
    Suite *s = suite_create("torture_wait");
    TCase *tc = tcase_create("wait");
    int rc;

    test_require_db();
    cluster_start();
    torture_note("wait: private cluster on 127.0.0.1:%s (socket in %s), lc_messages "
                 "de_DE.UTF-8", cluster_port(), cluster_socket_dir());
    tcase_add_checked_fixture(tc, setup, teardown);
    tcase_set_timeout(tc, 600);
    tcase_add_test(tc, test_wait_german_server_not_accepting_connections);
    tcase_add_test(tc, test_wait_german_server_out_of_slots);
    tcase_add_test(tc, test_wait_permanent_failures_in_german);
    suite_add_tcase(s, tc);
    rc = test_run_suite(s);
    cluster_stop();
    return rc;
}
