/*
 * Every value checked before use, and the messages made true (issue 19),
 * where a database is needed: a version table name of 60 bytes of
 * multibyte characters end to end, check's permission error, the
 * --database-url-file connecting, the timeouts at their bounds accepted by
 * the server, closed standard descriptors around a real run, and a
 * PgBouncer pool timeout that says the statement never reached the server.
 */
#define _GNU_SOURCE /* asprintf */
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <netinet/in.h>
#include <pwd.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "support.h"

static char db[64];
static PGconn *conn;
static char *url;

/* bin with --database-url u (when not NULL) and args; env as proc_run takes it. */
static void run(const char *bin, const char *u, const char *const args[],
                const char *const env[], struct proc_result *r)
{
    const char *argv[24];

    test_cmd_argv(argv, 24, bin, u, args);
    proc_run(argv, NULL, env, r);
}

#define ASSERT_HAS(text, s) \
    ck_assert_msg(strstr(text, s) != NULL, "lacks \"%s\": %s", s, test_flat(text))

/* -------------------------------------------------- multibyte table names */

/*
 * A version table named by 20 euro signs (60 bytes) and a history table
 * by 21 (63 bytes, the most PostgreSQL keeps).  The version table's
 * "_pkc" constraint is cut at a character boundary (19 euro signs): before
 * issue 19 it was cut at byte 59, inside a character, and the server
 * refused the invalid UTF-8.  Up, down and up again, and check.
 */
START_TEST(test_values_multibyte_table_names)
{
    char vt[64] = "", ht[64] = "", pkc[64] = "", vt_opt[80], ht_opt[80], *sql, *got;
    const char *const up[] = { "migrate", vt_opt, ht_opt, NULL };
    const char *const down[] = { "downgrade", "base", vt_opt, ht_opt, NULL };
    const char *const check[] = { "check", vt_opt, ht_opt, NULL };
    struct proc_result r;
    int i;

    for (i = 0; i < 21; i++) {
        if (i < 20)
            strcat(vt, "\xe2\x82\xac");
        if (i < 19)
            strcat(pkc, "\xe2\x82\xac");
        strcat(ht, "\xe2\x82\xac");
    }
    strcat(pkc, "_pkc");
    snprintf(vt_opt, sizeof(vt_opt), "--version-table=%s", vt);
    snprintf(ht_opt, sizeof(ht_opt), "--history-table=%s", ht);

    run("linear", url, up, NULL, &r);
    ck_assert_msg(r.status == 0, "exit %d: %s", r.status, test_flat(r.err));
    proc_result_free(&r);
    ck_assert(asprintf(&sql, "SELECT string_agg(conname || ':' || contype::text, ',') FROM "
                             "pg_constraint WHERE conrelid = '\"%s\"'::regclass", vt) > 0);
    got = test_query(conn, sql);
    ck_assert_msg(!strcmp(got, strcat(pkc, ":p")), "constraints: %s", got);
    free(got);
    free(sql);
    ck_assert(asprintf(&sql, "SELECT version_num FROM \"%s\"", vt) > 0);
    test_assert_query(conn, sql, "a10000000005");
    free(sql);
    ck_assert(asprintf(&sql, "SELECT count(*) FROM \"%s\" WHERE event = 'upgrade'", ht) > 0);
    test_assert_query(conn, sql, "5");
    free(sql);

    run("linear", url, check, NULL, &r);
    ck_assert_msg(r.status == 0, "exit %d: %s", r.status, test_flat(r.err));
    ASSERT_HAS(r.out, "status: ok\n");
    proc_result_free(&r);
    run("linear", url, down, NULL, &r);
    ck_assert_msg(r.status == 0, "exit %d: %s", r.status, test_flat(r.err));
    proc_result_free(&r);
    run("linear", url, up, NULL, &r);
    ck_assert_msg(r.status == 0, "exit %d: %s", r.status, test_flat(r.err));
    proc_result_free(&r);
    test_assert_query(conn, "SELECT count(*) FROM pg_class WHERE relname = 'alembic_version'",
                      "0");
}
END_TEST

/* ------------------------------------------------------- check's verdict */

/*
 * check, run by a role that may not read the version table, says what
 * happened: "status: failed" and exit 1 with the server's permission error,
 * not "status: inconsistent" (which is exit 5, a database this binary
 * refuses).  The role is set at connection start (options=-c role=...),
 * so no password is involved.
 */
START_TEST(test_values_check_permission_error)
{
    static const char *const migrate[] = { "migrate", NULL };
    static const char *const check[] = { "check", NULL };
    static const char *const check_json[] = { "--format", "json", "check", NULL };
    char role[80], sql[200], *low_url;
    struct proc_result r;

    snprintf(role, sizeof(role), "pcsm_low_%s", db);
    snprintf(sql, sizeof(sql), "CREATE ROLE \"%s\" NOLOGIN", role);
    test_exec(conn, sql);
    run("linear", url, migrate, NULL, &r);
    ck_assert_int_eq(r.status, 0);
    proc_result_free(&r);
    ck_assert(asprintf(&low_url, "%s options='-c role=%s'", url, role) > 0);

    run("linear", low_url, check, NULL, &r);
    ck_assert_msg(r.status == 1, "exit %d: %s", r.status, test_flat(r.err));
    ASSERT_HAS(r.out, "status: failed\n");
    ck_assert_ptr_null(strstr(r.out, "inconsistent"));
    ASSERT_HAS(r.err, "permission denied for table alembic_version (SQLSTATE 42501)");
    proc_result_free(&r);
    run("linear", low_url, check_json, NULL, &r);
    ck_assert_msg(r.status == 1, "exit %d: %s", r.status, test_flat(r.err));
    ASSERT_HAS(r.out, "\"ok\":false,\"status\":\"failed\",\"error\":\"");
    ASSERT_HAS(r.out, "permission denied for table alembic_version");
    proc_result_free(&r);

    /* With the version table readable, the history table is next. */
    snprintf(sql, sizeof(sql), "GRANT SELECT ON alembic_version TO \"%s\"", role);
    test_exec(conn, sql);
    run("linear", low_url, check, NULL, &r);
    ck_assert_msg(r.status == 1, "exit %d: %s", r.status, test_flat(r.err));
    ASSERT_HAS(r.out, "status: failed\n");
    ASSERT_HAS(r.err, "permission denied for table pcs_migrate_history");
    proc_result_free(&r);

    /* A database this binary refuses is still "inconsistent", exit 5. */
    run("linear_changed_sql", url, check, NULL, &r);
    ck_assert_msg(r.status == 5, "exit %d: %s", r.status, test_flat(r.err));
    ASSERT_HAS(r.out, "status: inconsistent\n");
    proc_result_free(&r);

    snprintf(sql, sizeof(sql), "REVOKE ALL ON alembic_version FROM \"%s\"", role);
    test_exec(conn, sql);
    snprintf(sql, sizeof(sql), "DROP ROLE \"%s\"", role);
    test_exec(conn, sql);
    free(low_url);
}
END_TEST

/* ---------------------------------------------------- --database-url-file */

/*
 * The file's content is the connection: a URL whose last byte before the
 * "\r\n" is the database name, which would not exist with the "\r" kept.
 * From the option and from PCS_MIGRATE_DATABASE_URL_FILE.
 */
START_TEST(test_values_url_file_connects)
{
    static const char *const current[] = { "current", NULL };
    char *host = test_dsn_param("host", "PGHOST", "/var/run/postgresql");
    char *port = test_dsn_param("port", "PGPORT", "5432");
    char *user = test_dsn_param("user", "PGUSER", "postgres");
    char path[256], env[300], *text;
    const char *const args[] = { "migrate", "--database-url-file", path, NULL };
    const char *const envs[] = { env, NULL };
    struct proc_result r;
    int fd;

    ck_assert(asprintf(&text, "postgresql://?host=%s&port=%s&user=%s&dbname=%s\r\n", host, port,
                       user, db) > 0);
    fd = test_temp_file("pcsm-url", path, sizeof(path));
    ck_assert_int_eq(write(fd, text, strlen(text)), (ssize_t)strlen(text));
    close(fd);
    chmod(path, 0600);
    run("linear", NULL, args, NULL, &r);
    ck_assert_msg(r.status == 0, "exit %d: %s", r.status, test_flat(r.err));
    ck_assert_ptr_null(strstr(r.err, "warning"));
    proc_result_free(&r);
    test_assert_query(conn, "SELECT version_num FROM alembic_version", "a10000000005");

    snprintf(env, sizeof(env), "PCS_MIGRATE_DATABASE_URL_FILE=%s", path);
    run("linear", NULL, current, envs, &r);
    ck_assert_msg(r.status == 0, "exit %d: %s", r.status, test_flat(r.err));
    ASSERT_HAS(r.out, "a10000000005 (head)");
    proc_result_free(&r);
    unlink(path);
    free(text);
    free(host);
    free(port);
    free(user);
}
END_TEST

/* ------------------------------------------------------------- timeouts */

/*
 * The largest timeouts are accepted by the server too: 2147483 s is
 * 2147483000 ms, within statement_timeout's and lock_timeout's int.
 * (2147484 s is exit 2 before connecting: tests/cli/test_cli_values.c.)
 * The smallest, 0.001 s, is a limit of 1 ms, not "none": a revision that
 * sleeps 2 s is cancelled.
 */
START_TEST(test_values_timeouts_at_their_bounds)
{
    static const char *const up[] = { "migrate", "--statement-timeout", "2147483",
                                      "--ddl-lock-timeout", "2147483", "--lock-timeout",
                                      "2147483", "--wait", "2147483",
                                      "--transaction-per-migration", NULL };
    static const char *const short_limit[] = { "migrate", "--statement-timeout", "0.001", NULL };
    char sql[160];
    struct proc_result r;

    run("linear", url, up, NULL, &r);
    ck_assert_msg(r.status == 0, "exit %d: %s", r.status, test_flat(r.err));
    proc_result_free(&r);
    test_assert_query(conn, "SELECT version_num FROM alembic_version", "a10000000005");

    test_exec(conn, "DROP TABLE alembic_version, pcs_migrate_history");
    snprintf(sql, sizeof(sql), "ALTER DATABASE \"%s\" SET pcsm_test.sleep = '2'", db);
    test_exec(conn, sql);
    run("sleepy", url, short_limit, NULL, &r);
    ck_assert_msg(r.status == 1, "exit %d: %s", r.status, test_flat(r.err));
    ASSERT_HAS(r.err, "canceling statement due to statement timeout (SQLSTATE 57014)");
    proc_result_free(&r);
}
END_TEST

/* -------------------------------------------------- standard descriptors */

/*
 * Runs bin with args and the descriptor fd (1 or 2) closed, the other one
 * into r (stdout into r->out, stderr into r->err).
 */
static void run_closed(const char *bin, const char *const args[], int fd,
                       struct proc_result *r)
{
    const char *argv[24];
    int p[2], status;
    char chunk[4096];
    size_t len = 0;
    ssize_t n;
    char *text = calloc(1, 1);
    pid_t pid;

    test_cmd_argv(argv, 24, bin, url, args);
    ck_assert_int_eq(pipe(p), 0);
    pid = fork();
    ck_assert_int_ge(pid, 0);
    if (pid == 0) {
        dup2(p[1], fd == 1 ? 2 : 1);
        close(fd);
        close(p[0]);
        close(p[1]);
        execv(argv[0], (char *const *)argv);
        _exit(127);
    }
    close(p[1]);
    while ((n = read(p[0], chunk, sizeof(chunk))) > 0) {
        text = realloc(text, len + (size_t)n + 1);
        memcpy(text + len, chunk, (size_t)n);
        len += (size_t)n;
        text[len] = '\0';
    }
    close(p[0]);
    ck_assert_int_eq(waitpid(pid, &status, 0), pid);
    r->status = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
    r->out = fd == 1 ? calloc(1, 1) : text;
    r->err = fd == 1 ? text : calloc(1, 1);
}

/*
 * `migrate >&-`: the migration is the job, and it is done: exit 0, and a
 * warning that the result could not be written (an init container must
 * not fail, and rerun, over a migration that succeeded).  `current >&-`:
 * the output is the job: exit 1.  `migrate 2>&-`: the connection's socket
 * does not take descriptor 2, where the progress lines would have gone
 * into the protocol stream; the run succeeds.
 */
START_TEST(test_values_closed_std_descriptors)
{
    static const char *const migrate[] = { "migrate", NULL };
    static const char *const to2[] = { "downgrade", "a10000000002", NULL };
    static const char *const current[] = { "current", NULL };
    static const char *const check[] = { "check", NULL };
    static const char *const stamp[] = { "stamp", "a10000000002", NULL };
    struct proc_result r;

    run_closed("linear", migrate, 1, &r);
    ck_assert_msg(r.status == 0, "exit %d: %s", r.status, test_flat(r.err));
    ASSERT_HAS(r.err, "warning: migrate succeeded, but its result could not be written to "
                      "standard output: Bad file descriptor");
    proc_result_free(&r);
    test_assert_query(conn, "SELECT version_num FROM alembic_version", "a10000000005");

    run_closed("linear", current, 1, &r);
    ck_assert_msg(r.status == 1, "exit %d: %s", r.status, test_flat(r.err));
    ASSERT_HAS(r.err, "error writing to standard output: Bad file descriptor");
    proc_result_free(&r);
    run_closed("linear", check, 1, &r);
    ck_assert_msg(r.status == 1, "exit %d: %s", r.status, test_flat(r.err));
    proc_result_free(&r);

    /* stderr closed: progress lines go nowhere, the run is unharmed. */
    run_closed("linear", to2, 2, &r);
    ck_assert_msg(r.status == 0, "exit %d: %s", r.status, test_flat(r.out));
    ASSERT_HAS(r.out, "a10000000002");
    proc_result_free(&r);
    run_closed("linear", stamp, 1, &r);
    ck_assert_msg(r.status == 0, "exit %d: %s", r.status, test_flat(r.err));
    ASSERT_HAS(r.err, "warning: stamp succeeded, but its result could not be written");
    proc_result_free(&r);
    test_assert_query(conn, "SELECT version_num FROM alembic_version", "a10000000002");
    run_closed("linear", migrate, 2, &r);
    ck_assert_msg(r.status == 0, "exit %d: %s", r.status, test_flat(r.out));
    proc_result_free(&r);
    test_assert_query(conn, "SELECT version_num FROM alembic_version", "a10000000005");
    test_assert_query(conn, "SELECT count(*) FROM pcs_migrate_history WHERE event = 'failed'",
                      "0");
}
END_TEST

/* --------------------------------------------- PgBouncer's pool timeout */

static const char *pgbouncer_bin;

/*
 * pgbouncer in session mode with one server connection and a 2 s
 * query_wait_timeout, in the foreground, as postgres when we are root (it
 * refuses root), dying with this process.  Returns its pid; *port_out.
 * (tests/integration/test_pgbouncer.c runs the pooled races; this is the
 * smallest pool that makes a second connection wait.)
 */
static pid_t bouncer_start(char *dir, size_t size, int *port_out)
{
    char *host = test_dsn_param("host", "PGHOST", "/var/run/postgresql");
    char *port = test_dsn_param("port", "PGPORT", "5432");
    char *user = test_dsn_param("user", "PGUSER", "postgres");
    char *password = test_dsn_param("password", "PGPASSWORD", "");
    char ini[128], users[128], log[128];
    struct passwd *pw = geteuid() == 0 ? getpwnam("postgres") : NULL;
    double deadline;
    pid_t parent = getpid(), pid;
    FILE *f;

    if (geteuid() == 0 && !pw)
        test_die("pgbouncer refuses to run as root, and there is no postgres user");
    snprintf(dir, size, "/tmp/pcsm-values-bnc-XXXXXX");
    if (!mkdtemp(dir))
        test_die("mkdtemp: %s", strerror(errno));
    snprintf(ini, sizeof(ini), "%s/pgbouncer.ini", dir);
    snprintf(users, sizeof(users), "%s/users.txt", dir);
    snprintf(log, sizeof(log), "%s/pgbouncer.log", dir);
    *port_out = test_free_port();
    f = fopen(users, "w");
    fprintf(f, "\"%s\" \"%s\"\n", user, password);
    fclose(f);
    f = fopen(ini, "w");
    fprintf(f, "[databases]\n* = host=%s port=%s\n\n[pgbouncer]\nlisten_addr = 127.0.0.1\n"
               "listen_port = %d\nunix_socket_dir =\nauth_type = trust\nauth_file = %s\n"
               "pool_mode = session\ndefault_pool_size = 1\nmin_pool_size = 0\n"
               "reserve_pool_size = 0\nquery_wait_timeout = 2\nlogfile = %s\n",
            host, port, *port_out, users, log);
    fclose(f);
    if (pw && (chown(dir, pw->pw_uid, pw->pw_gid) || chown(ini, pw->pw_uid, pw->pw_gid) ||
               chown(users, pw->pw_uid, pw->pw_gid) || chmod(users, 0600)))
        test_die("handing %s to postgres: %s", dir, strerror(errno));
    pid = fork();
    if (pid < 0)
        test_die("fork: %s", strerror(errno));
    if (pid == 0) {
        int null = open("/dev/null", O_RDWR);

        dup2(null, 0);
        dup2(null, 1);
        dup2(null, 2);
        if (pw && (initgroups(pw->pw_name, pw->pw_gid) || setgid(pw->pw_gid) ||
                   setuid(pw->pw_uid)))
            _exit(127);
        prctl(PR_SET_PDEATHSIG, SIGTERM);
        if (getppid() != parent)
            _exit(127);
        execl(pgbouncer_bin, pgbouncer_bin, ini, (char *)NULL);
        _exit(127);
    }
    for (deadline = test_now_s() + 15; !test_port_open(*port_out); test_nap_ms(20))
        if (test_now_s() > deadline || waitpid(pid, NULL, WNOHANG) == pid)
            test_die("pgbouncer did not listen on port %d", *port_out);
    free(host);
    free(port);
    free(user);
    free(password);
    return pid;
}

static void bouncer_stop(pid_t pid, const char *dir)
{
    char cmd[160];

    kill(pid, SIGTERM);
    waitpid(pid, NULL, 0);
    snprintf(cmd, sizeof(cmd), "rm -rf '%s'", dir);
    if (system(cmd) != 0)
        test_die("%s failed", cmd);
}

/*
 * Session pooling with one server connection: the run holds it, and the
 * second connection of its revision outside a transaction waits in the
 * pooler until query_wait_timeout.  The failure says the connection was
 * lost (exit 3), names PgBouncer's error and says that the statement never
 * reached the server, and that none of the revision's statements had run;
 * before issue 19 it was a failed statement (exit 1) whose message said
 * statements of the revision stayed applied.  Nothing
 * of the revision is in the catalog, and a direct rerun completes it.
 */
START_TEST(test_values_pgbouncer_pool_timeout)
{
    static const char *const migrate[] = { "migrate", NULL };
    char dir[64], *via;
    struct proc_result r;
    int port;
    pid_t pid;

    if (!pgbouncer_bin) {
        printf("# pgbouncer not installed: pool timeout not tried\n");
        return;
    }
    pid = bouncer_start(dir, sizeof(dir), &port);
    ck_assert(asprintf(&via, "host=127.0.0.1 port=%d dbname=%s", port, db) > 0);
    run("concurrent", via, migrate, NULL, &r);
    bouncer_stop(pid, dir);
    ck_assert_msg(r.status == 3, "exit %d: %s", r.status, test_flat(r.err));
    ASSERT_HAS(r.err, "connection lost: query_wait_timeout (SQLSTATE 08P01)");
    ASSERT_HAS(r.err, "HINT: PgBouncer found no free server connection within its "
                      "query_wait_timeout, so this statement never reached the server");
    ASSERT_HAS(r.err, "none of the statements of this revision (which runs outside a "
                      "transaction) had run");
    proc_result_free(&r);
    test_assert_query(conn, "SELECT version_num FROM alembic_version", "g10000000001");
    test_assert_query(conn, "SELECT count(*) FROM pg_class WHERE relname = 'ux_accounts_email'",
                      "0");

    run("concurrent", url, migrate, NULL, &r);
    ck_assert_msg(r.status == 0, "exit %d: %s", r.status, test_flat(r.err));
    proc_result_free(&r);
    test_assert_query(conn, "SELECT version_num FROM alembic_version", "g10000000003");
    test_assert_query(conn, "SELECT indisvalid FROM pg_index WHERE indexrelid = "
                            "'ux_accounts_email'::regclass", "t");
    free(via);
}
END_TEST

static Suite *values_suite(void)
{
    Suite *s = suite_create("values");
    TCase *tc = tcase_create("values");

    test_fresh_db_fixture(tc, db, sizeof(db), &conn, &url);
    tcase_set_timeout(tc, 120);
    tcase_add_test(tc, test_values_multibyte_table_names);
    tcase_add_test(tc, test_values_check_permission_error);
    tcase_add_test(tc, test_values_url_file_connects);
    tcase_add_test(tc, test_values_timeouts_at_their_bounds);
    tcase_add_test(tc, test_values_closed_std_descriptors);
    tcase_add_test(tc, test_values_pgbouncer_pool_timeout);
    suite_add_tcase(s, tc);
    return s;
}

int main(void)
{
    bool installed;

    test_require_db();
    pgbouncer_bin = test_pgbouncer_bin(&installed);
    if (!installed)
        pgbouncer_bin = NULL;
    return test_run_suite(values_suite());
}
