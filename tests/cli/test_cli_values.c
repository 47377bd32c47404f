/*
 * Every value checked before use (issue 19), where no database is needed:
 * timeouts out of range, connection settings libpq refuses, the
 * --database-url-file and its errors, and what happens when standard
 * output is closed or nobody reads it.  Each error is exit 2 (or, for the
 * output, 1) naming the option, the keyword or the file, and never
 * printing a password.  The real binaries, run as a user runs them.
 */
#include <fcntl.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <libpq-fe.h>

#include "cli.h"
#include "support.h"

/* In every connection string below: it must never come back. */
#define SECRET "Hunter2Secret"

static struct proc_result r;
static int closed_fd;
static char closed_port[16];

static void setup(void)
{
    snprintf(closed_port, sizeof(closed_port), "%d", test_closed_port(&closed_fd));
}

static void teardown(void)
{
    proc_result_free(&r);
    close(closed_fd);
}

/* Variables that would change what the binary connects to, cleared; then env. */
static void run_env(const char *const env[], const char *const argv[], const char *input)
{
    const char *all[32] = { "DATABASE_URL", "PCS_MIGRATE_DATABASE_URL",
                            "PCS_MIGRATE_DATABASE_URL_FILE", "PGSSLMODE", "PGSERVICE",
                            "PGSERVICEFILE", "NO_COLOR=1" };
    size_t n = 7, i;

    for (i = 0; env && env[i] && n < 31; i++)
        all[n++] = env[i];
    all[n] = NULL;
    proc_result_free(&r);
    proc_run(argv, input, all, &r);
}

/* Runs the linear binary: args up to a NULL. */
static void run(const char *const env[], ...)
{
    const char *argv[24] = { test_bin("linear") };
    size_t n = 1;
    va_list ap;

    va_start(ap, env);
    while (n < 23 && (argv[n] = va_arg(ap, const char *)))
        n++;
    va_end(ap);
    run_env(env, argv, NULL);
}

#define RUN(...) run(NULL, __VA_ARGS__, (const char *)NULL)
#define RUN_ENV(env, ...) run(env, __VA_ARGS__, (const char *)NULL)

#define ASSERT_ERR_HAS(s) \
    ck_assert_msg(strstr(r.err, s) != NULL, "stderr lacks \"%s\": %s", s, r.err)
#define ASSERT_NO_SECRET() \
    ck_assert_msg(!strstr(r.err, SECRET) && !strstr(r.out, SECRET), \
                  "the password came back: %s%s", r.out, r.err)

/* ---------------------------------------------------------------- timeouts */

/*
 * Each timeout, from the command line and from its PCS_MIGRATE_* variable:
 * above 2147483 s (what the server's int milliseconds hold) and between 0
 * and 1 ms (which would round to 0, "no limit") are exit 2 naming it, before
 * any connection is tried.  Before issue 19 the first failed every command
 * with exit 1, and the second silently meant no limit.
 */
START_TEST(test_values_timeouts_out_of_range)
{
    static const struct {
        const char *option, *env;
    } timeouts[] = {
        { "--wait", "PCS_MIGRATE_WAIT" },
        { "--lock-timeout", "PCS_MIGRATE_LOCK_TIMEOUT" },
        { "--statement-timeout", "PCS_MIGRATE_STATEMENT_TIMEOUT" },
        { "--ddl-lock-timeout", "PCS_MIGRATE_DDL_LOCK_TIMEOUT" },
    };
    static const struct {
        const char *value, *message;
    } bad[] = {
        { "2147484", "takes at most 2147483 seconds" },
        { "2147483.5", "takes at most 2147483 seconds" },
        { "1e9", "takes at most 2147483 seconds" },
        { "inf", "takes at most 2147483 seconds" },
        { "0.0005", "takes 0 or at least 0.001 seconds (1 ms)" },
        { "1e-9", "takes 0 or at least 0.001 seconds (1 ms)" },
        { "-0.5", "takes a number of seconds" },
        { "nan", "takes a number of seconds" },
        { "5s", "takes a number of seconds" },
    };
    char url[128], want[160], env[96];
    size_t t, b;

    snprintf(url, sizeof(url), "host=127.0.0.1 port=%s password=" SECRET, closed_port);
    for (t = 0; t < sizeof(timeouts) / sizeof(timeouts[0]); t++)
        for (b = 0; b < sizeof(bad) / sizeof(bad[0]); b++) {
            const char *const envs[] = { env, NULL };

            RUN("current", "--database-url", url, timeouts[t].option, bad[b].value);
            ck_assert_msg(r.status == CLI_EXIT_USAGE, "%s %s: exit %d: %s", timeouts[t].option,
                          bad[b].value, r.status, r.err);
            snprintf(want, sizeof(want), "%s %s, not '%s'", timeouts[t].option,
                     bad[b].message, bad[b].value);
            ASSERT_ERR_HAS(want);
            ck_assert_ptr_null(strstr(r.err, "connect"));

            /* The variable is named, and the option it stands for. */
            snprintf(env, sizeof(env), "%s=%s", timeouts[t].env, bad[b].value);
            RUN_ENV(envs, "current", "--database-url", url);
            ck_assert_msg(r.status == CLI_EXIT_USAGE, "%s: exit %d: %s", env, r.status, r.err);
            snprintf(want, sizeof(want), "%s: %s %s, not '%s'", timeouts[t].env,
                     timeouts[t].option, bad[b].message, bad[b].value);
            ASSERT_ERR_HAS(want);
            ASSERT_NO_SECRET();
        }
}
END_TEST

/*
 * The bounds themselves are accepted: 0, 0.001 and 2147483 seconds.  --sql
 * connects to nothing, so the values are parsed and the script printed.
 */
START_TEST(test_values_timeouts_in_range)
{
    static const char *const good[] = { "0", "0.001", "0.0015", "2147483", "2147483.0", "60" };
    size_t i;

    for (i = 0; i < sizeof(good) / sizeof(good[0]); i++) {
        RUN("migrate", "--sql", "--wait", good[i], "--lock-timeout", good[i],
            "--statement-timeout", good[i], "--ddl-lock-timeout", good[i]);
        ck_assert_msg(r.status == 0, "%s: exit %d: %s", good[i], r.status, r.err);
        ck_assert_ptr_nonnull(strstr(r.out, "-- Running upgrade"));
    }
    RUN("migrate", "--sql", "--ddl-retries", "-1");
    ck_assert_int_eq(r.status, CLI_EXIT_USAGE);
    ASSERT_ERR_HAS("--ddl-retries takes a whole number up to 100, not '-1'");
    RUN("migrate", "--sql", "--ddl-retries", "100");
    ck_assert_int_eq(r.status, 0);
}
END_TEST

/* ------------------------------------------------------ connection settings */

/* libpq itself refuses s before any network I/O: no socket, CONNECTION_BAD. */
static bool libpq_refuses(const char *s)
{
    const char *const keys[] = { "dbname", NULL }, *const values[] = { s, NULL };
    PGconn *c = PQconnectStartParams(keys, values, 1);
    bool refused = PQstatus(c) == CONNECTION_BAD && PQsocket(c) < 0;

    PQfinish(c);
    return refused;
}

/*
 * Settings libpq refuses are exit 2 naming the keyword (before issue 19:
 * exit 3, "cannot connect", and an unknown keyword not named), and the
 * string, which holds a password, is never shown: neither it nor the
 * value.  Each case is checked against libpq first, so the list stays
 * true to the libpq we build with.
 */
START_TEST(test_values_conninfo_refused_naming_the_keyword)
{
    static const struct {
        const char *setting, *keyword;
        bool libpq_early;       /* libpq refuses it before any I/O, too */
    } cases[] = {
        { "sslmode=bogus", "\"sslmode\"", true },
        { "sslmode=", "\"sslmode\"", true },
        { "port=99999", "\"port\"", true },
        { "port=0", "\"port\"", true },
        { "gssencmode=x", "\"gssencmode\"", true },
        { "channel_binding=x", "\"channel_binding\"", true },
        { "target_session_attrs=x", "\"target_session_attrs\"", true },
        { "ssl_min_protocol_version=TLSv9", "\"ssl_min_protocol_version\"", true },
        { "keepalives=x", "\"keepalives\"", true },
        /* libpq reads this one only when it connects synchronously. */
        { "connect_timeout=ten", "\"connect_timeout\"", false },
        { "sslmdoe=require", "unknown connection option \"sslmdoe\"", true },
        { "bogus=1", "unknown connection option \"bogus\"", true },
    };
    char s[256];
    size_t i;

    for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        snprintf(s, sizeof(s), "host=127.0.0.1 port=%s user=u password=" SECRET " dbname=d %s",
                 closed_port, cases[i].setting);
        if (!strncmp(cases[i].setting, "port=", 5))
            snprintf(s, sizeof(s), "host=127.0.0.1 user=u password=" SECRET " %s",
                     cases[i].setting);
        if (cases[i].libpq_early)
            ck_assert_msg(libpq_refuses(s), "libpq accepts %s", cases[i].setting);
        RUN("current", "--database-url", s);
        ck_assert_msg(r.status == CLI_EXIT_USAGE, "%s: exit %d: %s", cases[i].setting,
                      r.status, r.err);
        ASSERT_ERR_HAS(cases[i].keyword);
        ASSERT_NO_SECRET();
        ck_assert_ptr_null(strstr(r.err, "cannot connect"));
        ck_assert_ptr_null(strstr(r.err, "connected"));
    }

    /* The same in a URL: its query parameters. */
    snprintf(s, sizeof(s), "postgresql://u:" SECRET "@127.0.0.1:%s/d?sslmode=bogus",
             closed_port);
    RUN("current", "--database-url", s);
    ck_assert_int_eq(r.status, CLI_EXIT_USAGE);
    ASSERT_ERR_HAS("\"sslmode\"");
    ASSERT_NO_SECRET();
    snprintf(s, sizeof(s), "postgresql://u:" SECRET "@127.0.0.1:%s/d?applicaton_name=x",
             closed_port);
    ck_assert(libpq_refuses(s));
    RUN("current", "--database-url", s);
    ck_assert_int_eq(r.status, CLI_EXIT_USAGE);
    ASSERT_ERR_HAS("unknown connection option \"applicaton_name\"");
    ASSERT_NO_SECRET();
    RUN("--format", "json", "current", "--database-url", s);
    ck_assert_int_eq(r.status, CLI_EXIT_USAGE);
    ASSERT_ERR_HAS("{\"level\":\"error\",\"command\":\"current\","
                   "\"message\":\"unknown connection option "
                   "\\\"applicaton_name\\\"");
    ASSERT_NO_SECRET();
}
END_TEST

/*
 * A keyword libpq calls unknown that may be a piece of the password is not
 * named: "password=Hunter2 Secret=1" is the password "Hunter2" and an option
 * "Secret"; a URL whose password holds a '/' puts the rest of it in the
 * query.  Still exit 2, with the remedy, and nothing of the string.
 */
START_TEST(test_values_unknown_keyword_from_a_password_not_named)
{
    static const char *const strings[] = {
        "host=127.0.0.1 port=%s password=Hunter2 Secret=1",
        "host=127.0.0.1 port=%s password=Hunter2\tSecret=1 dbname=d",
        "host=127.0.0.1 port=%s password='Hunter2'Secret=1",
        "postgresql://u:Hunter2/x?Secret=1@127.0.0.1:%s/d",
    };
    char s[256];
    size_t i;

    for (i = 0; i < sizeof(strings) / sizeof(strings[0]); i++) {
        snprintf(s, sizeof(s), strings[i], closed_port);
        RUN("current", "--database-url", s);
        ck_assert_msg(r.status == CLI_EXIT_USAGE, "%s: exit %d: %s", strings[i], r.status,
                      r.err);
        ASSERT_ERR_HAS("malformed");
        ck_assert_msg(!strstr(r.err, "Secret") && !strstr(r.err, "Hunter2"), "%s: %s",
                      strings[i], r.err);
    }
    snprintf(s, sizeof(s), strings[0], closed_port);
    RUN("current", "--database-url", s);
    ASSERT_ERR_HAS("quote a value that holds a space");
}
END_TEST

/*
 * The same refusals through libpq's own variables and service files, which
 * only libpq reads: exit 2, its message naming the setting.
 */
START_TEST(test_values_libpq_variables_refused)
{
    static const char *const sslmode[] = { "PGSSLMODE=bogus", NULL };
    static const char *const service[] = { "PGSERVICE=pcsm_no_such_service",
                                           "PGSERVICEFILE=/nonexistent/pcsm.conf", NULL };
    char s[128];

    snprintf(s, sizeof(s), "host=127.0.0.1 port=%s password=" SECRET, closed_port);
    RUN_ENV(sslmode, "current", "--database-url", s);
    ck_assert_msg(r.status == CLI_EXIT_USAGE, "exit %d: %s", r.status, r.err);
    ASSERT_ERR_HAS("invalid connection settings: invalid sslmode value");
    ASSERT_NO_SECRET();
    RUN_ENV(service, "current", "--database-url", s);
    ck_assert_msg(r.status == CLI_EXIT_USAGE, "exit %d: %s", r.status, r.err);
    ASSERT_ERR_HAS("service file \"/nonexistent/pcsm.conf\" not found");
    ASSERT_NO_SECRET();
    {
        char path[256], file_env[300];
        const char *const other[] = { "PGSERVICE=pcsm_no_such_service", file_env, NULL };
        int fd = test_temp_file("pcsm-service", path, sizeof(path));

        ck_assert_int_eq(write(fd, "[another]\nhost=127.0.0.1\n", 26), 26);
        close(fd);
        snprintf(file_env, sizeof(file_env), "PGSERVICEFILE=%s", path);
        RUN_ENV(other, "current", "--database-url", s);
        ck_assert_msg(r.status == CLI_EXIT_USAGE, "exit %d: %s", r.status, r.err);
        ASSERT_ERR_HAS("definition of service \"pcsm_no_such_service\" not found");
        ASSERT_NO_SECRET();
        unlink(path);
    }

    /* A valid string to a closed port is still what it was: unreachable, 3. */
    RUN("current", "--database-url", s);
    ck_assert_msg(r.status == CLI_EXIT_UNREACHABLE, "exit %d: %s", r.status, r.err);
    ASSERT_NO_SECRET();
}
END_TEST

/* ----------------------------------------------------- --database-url-file */

/* A file in TMPDIR holding text, with mode; its path in path. */
static void write_file(char *path, size_t size, const char *text, mode_t mode)
{
    int fd = test_temp_file("pcsm-url", path, size);
    size_t len = strlen(text);

    ck_assert_int_eq(write(fd, text, len), (ssize_t)len);
    ck_assert_int_eq(fchmod(fd, mode), 0);
    close(fd);
}

/*
 * --database-url-file and PCS_MIGRATE_DATABASE_URL_FILE: the file is read
 * (its content reaches the connection checks: a bad sslmode in it is named),
 * and every failure to read it is exit 2 naming the file, never its content.
 */
START_TEST(test_values_url_file_errors)
{
    char path[256], dir[128], env[300], s[256], missing[300];
    const char *const envs[] = { env, NULL };

    /* Missing, a directory, empty, only newlines. */
    snprintf(missing, sizeof(missing), "%s/pcsm-no-such-url-file", getenv("TMPDIR") ?
             getenv("TMPDIR") : "/tmp");
    RUN("current", "--database-url-file", missing);
    ck_assert_int_eq(r.status, CLI_EXIT_USAGE);
    ASSERT_ERR_HAS("cannot read the database URL file ");
    ASSERT_ERR_HAS("pcsm-no-such-url-file: No such file or directory");
    snprintf(dir, sizeof(dir), "/tmp/pcsm-url-dir-XXXXXX");
    ck_assert_ptr_nonnull(mkdtemp(dir));
    RUN("current", "--database-url-file", dir);
    ck_assert_int_eq(r.status, CLI_EXIT_USAGE);
    ASSERT_ERR_HAS("Is a directory");
    rmdir(dir);
    write_file(path, sizeof(path), "", 0600);
    RUN("current", "--database-url-file", path);
    ck_assert_int_eq(r.status, CLI_EXIT_USAGE);
    ASSERT_ERR_HAS("is empty");
    unlink(path);
    write_file(path, sizeof(path), "\n\r\n", 0600);
    RUN("current", "--database-url-file", path);
    ck_assert_int_eq(r.status, CLI_EXIT_USAGE);
    ASSERT_ERR_HAS("is empty");
    unlink(path);

    /* Unreadable: mode 000 (root reads it anyway, so only as another user). */
    if (geteuid() != 0) {
        write_file(path, sizeof(path), "host=x password=" SECRET "\n", 0000);
        RUN("current", "--database-url-file", path);
        ck_assert_int_eq(r.status, CLI_EXIT_USAGE);
        ASSERT_ERR_HAS("Permission denied");
        ASSERT_NO_SECRET();
        unlink(path);
    }

    /* Its content goes through the same checks, and is never shown. */
    snprintf(s, sizeof(s), "host=127.0.0.1 port=%s password=" SECRET " sslmode=bogus\n",
             closed_port);
    write_file(path, sizeof(path), s, 0600);
    RUN("current", "--database-url-file", path);
    ck_assert_msg(r.status == CLI_EXIT_USAGE, "exit %d: %s", r.status, r.err);
    ASSERT_ERR_HAS("\"sslmode\"");
    ASSERT_NO_SECRET();
    snprintf(env, sizeof(env), "PCS_MIGRATE_DATABASE_URL_FILE=%s", path);
    RUN_ENV(envs, "current");
    ck_assert_int_eq(r.status, CLI_EXIT_USAGE);
    ASSERT_ERR_HAS("\"sslmode\"");
    ASSERT_NO_SECRET();
    unlink(path);
    write_file(path, sizeof(path), "postgresql://u:" SECRET "@[::1\n", 0600);
    RUN("current", "--database-url-file", path);
    ck_assert_int_eq(r.status, CLI_EXIT_USAGE);
    ASSERT_ERR_HAS("malformed");
    ASSERT_NO_SECRET();

    /* The URL and the file together, at one level: say which to keep. */
    RUN("current", "--database-url", "host=x", "--database-url-file", path);
    ck_assert_int_eq(r.status, CLI_EXIT_USAGE);
    ASSERT_ERR_HAS("--database-url and --database-url-file: give one");
    {
        const char *const both[] = { env, "PCS_MIGRATE_DATABASE_URL=host=x", NULL };

        RUN_ENV(both, "current");
        ck_assert_int_eq(r.status, CLI_EXIT_USAGE);
        ASSERT_ERR_HAS("PCS_MIGRATE_DATABASE_URL and PCS_MIGRATE_DATABASE_URL_FILE are both set");
        /* The command line wins over either variable. */
        snprintf(s, sizeof(s), "host=127.0.0.1 port=%s", closed_port);
        RUN_ENV(both, "current", "--database-url", s);
        ck_assert_int_eq(r.status, CLI_EXIT_USAGE);     /* still both set */
        RUN_ENV(envs, "current", "--database-url", s);
        ck_assert_msg(r.status == CLI_EXIT_UNREACHABLE, "exit %d: %s", r.status, r.err);
    }
    unlink(path);

    /* A command that needs no database does not read it. */
    RUN("migrate", "--sql", "--database-url-file", missing);
    ck_assert_int_eq(r.status, 0);
    /* history reads no database without -i: nor its file. */
    RUN("history", "--database-url-file", missing);
    ck_assert_int_eq(r.status, 0);
    /* One that may use one reads it when it is given: a setting, not the database. */
    RUN("history", "-i", "--database-url-file", missing);
    ck_assert_int_eq(r.status, CLI_EXIT_USAGE);
    RUN("heads", "--database-url-file", missing);
    ck_assert_int_eq(r.status, CLI_EXIT_USAGE);
    ASSERT_ERR_HAS("pcsm-no-such-url-file");
    RUN("create-migration", "x", "--database-url-file", missing);
    ck_assert_int_eq(r.status, CLI_EXIT_USAGE);
    ASSERT_ERR_HAS("option '--database-url-file' does not apply to create-migration");
}
END_TEST

/*
 * A file every user may read is used, with a warning that names it and
 * its mode (libpq refuses such a ~/.pgpass; container secrets come 0444);
 * one its group may read is not warned about (a pod's fsGroup).  A
 * pipe (--database-url-file /dev/stdin) is read as well, with no warning.
 * The trailing "\r\n" is dropped: the port is the closed one, not "N\r".
 */
START_TEST(test_values_url_file_mode_and_pipe)
{
    char path[256], s[256];

    snprintf(s, sizeof(s), "host=127.0.0.1 port=%s password=" SECRET "\r\n", closed_port);
    write_file(path, sizeof(path), s, 0644);
    RUN("current", "--database-url-file", path);
    ck_assert_msg(r.status == CLI_EXIT_UNREACHABLE, "exit %d: %s", r.status, r.err);
    ASSERT_ERR_HAS("is open to other users (mode 0644): chmod 600");
    ASSERT_ERR_HAS(path);
    ASSERT_ERR_HAS("Connection refused");
    ASSERT_NO_SECRET();
    ck_assert_int_eq(chmod(path, 0604), 0);
    RUN("current", "--database-url-file", path);
    ASSERT_ERR_HAS("is open to other users (mode 0604)");
    /* The owner's group may read it: a pod's fsGroup, 0440. */
    ck_assert_int_eq(chmod(path, 0640), 0);
    RUN("current", "--database-url-file", path);
    ck_assert_int_eq(r.status, CLI_EXIT_UNREACHABLE);
    ck_assert_ptr_null(strstr(r.err, "open to other users"));
    unlink(path);

    {
        const char *argv[] = { test_bin("linear"), "current", "--database-url-file",
                               "/dev/stdin", NULL };

        run_env(NULL, argv, s);
        ck_assert_msg(r.status == CLI_EXIT_UNREACHABLE, "exit %d: %s", r.status, r.err);
        ck_assert_ptr_null(strstr(r.err, "open to other users"));
        ASSERT_ERR_HAS("Connection refused");
        ASSERT_NO_SECRET();
    }
}
END_TEST

/* ----------------------------------------------- the password in argv */

/*
 * A password given with --database-url, in any of the forms getopt takes
 * (its own argument, "=", before the command, a key=value string, given
 * twice), is gone from /proc/PID/cmdline, which every local user can read,
 * while the run waits (--wait, against a closed port).  The value still
 * works: the run tries the port it names.  SIGTERM then ends it, 143.
 */
START_TEST(test_values_argv_password_wiped)
{
    char uri[160], uri_eq[180], kv[160], uri2[180];
    const char *const forms[][12] = {
        { "--database-url", uri, "migrate", "--wait", "30", NULL },
        { "migrate", uri_eq, "--wait", "30", NULL },
        { "migrate", "--wait", "30", "--database-url", kv, NULL },
        { "--format", "json", "current", uri2, "--wait=30", "--database-url", uri, NULL },
    };
    size_t i;

    snprintf(uri, sizeof(uri), "postgresql://u:" SECRET "@127.0.0.1:%s/d", closed_port);
    snprintf(uri_eq, sizeof(uri_eq), "--database-url=%s", uri);
    snprintf(uri2, sizeof(uri2), "--database-url=postgresql://v:" SECRET "2@127.0.0.1:%s/e",
             closed_port);
    snprintf(kv, sizeof(kv), "host=127.0.0.1 port=%s user=u password='" SECRET "'", closed_port);
    for (i = 0; i < sizeof(forms) / sizeof(forms[0]); i++) {
        const char *argv[16] = { test_bin("linear") };
        const char *const env[] = { "DATABASE_URL", "PCS_MIGRATE_DATABASE_URL", NULL };
        struct proc_bg b;
        char *cmdline, *err;
        size_t n;

        for (n = 0; forms[i][n]; n++)
            argv[n + 1] = forms[i][n];
        argv[n + 1] = NULL;
        proc_start(&b, argv, env, NULL);
        ck_assert_msg(proc_await_stderr(&b, "waiting for the server", 20),
                      "form %zu never waited", i);
        cmdline = test_proc_cmdline(b.pid);
        ck_assert_msg(!strstr(cmdline, SECRET), "form %zu: the password is in "
                      "/proc/%d/cmdline: %s", i, (int)b.pid, cmdline);
        ck_assert_msg(strstr(cmdline, "--database-url") && strstr(cmdline, "*****"),
                      "form %zu: not our process, or nothing wiped: %s", i, cmdline);
        free(cmdline);
        err = proc_stderr(&b);
        ck_assert_msg(strstr(err, closed_port) != NULL, "form %zu: %s", i, err);
        free(err);
        kill(b.pid, SIGTERM);
        proc_result_free(&r);
        proc_wait(&b, 20, &r);
        ck_assert_msg(r.status == CLI_EXIT_SIGTERM, "form %zu: exit %d: %s", i, r.status,
                      r.err);
        ASSERT_NO_SECRET();
    }
}
END_TEST

/* --------------------------------------------------------- standard output */

/*
 * Runs argv with standard output closed (broken: false) or a pipe that
 * nobody reads (broken: true), SIGPIPE at its default as a shell leaves
 * it; stderr into r.err, the status as proc_run gives it.
 */
static void run_stdout_gone(bool broken, const char *const argv[])
{
    int err[2], out[2] = { -1, -1 }, status;
    char chunk[4096];
    size_t len = 0;
    ssize_t n;
    pid_t pid;

    proc_result_free(&r);
    ck_assert_int_eq(pipe(err), 0);
    if (broken) {
        ck_assert_int_eq(pipe(out), 0);
        close(out[0]);      /* no reader: writes fail with EPIPE, or kill */
    }
    pid = fork();
    ck_assert_int_ge(pid, 0);
    if (pid == 0) {
        signal(SIGPIPE, SIG_DFL);
        dup2(err[1], 2);
        if (broken)
            dup2(out[1], 1);
        else
            close(1);
        close(err[0]);
        close(err[1]);
        if (broken)
            close(out[1]);
        unsetenv("DATABASE_URL");
        unsetenv("PCS_MIGRATE_DATABASE_URL");
        execv(argv[0], (char *const *)argv);
        _exit(127);
    }
    close(err[1]);
    if (broken)
        close(out[1]);
    r.err = calloc(1, 1);
    r.out = calloc(1, 1);
    while ((n = read(err[0], chunk, sizeof(chunk))) > 0) {
        r.err = realloc(r.err, len + (size_t)n + 1);
        memcpy(r.err + len, chunk, (size_t)n);
        len += (size_t)n;
        r.err[len] = '\0';
    }
    close(err[0]);
    ck_assert_int_eq(waitpid(pid, &status, 0), pid);
    r.status = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
}

/*
 * A command whose output is its result fails when the output could not be
 * written: exit 1, saying so, whether standard output is closed or a pipe
 * nobody reads (EPIPE: never killed by SIGPIPE, status 141).  --help and
 * --version too.  (Commands whose job is a change keep exit 0 with a
 * warning: tests/integration/test_values.c, where there is a database.)
 */
START_TEST(test_values_unwritable_stdout)
{
    const char *const history[] = { test_bin("linear"), "history", "--verbose", NULL };
    const char *const script[] = { test_bin("linear"), "migrate", "--sql", NULL };
    const char *const help[] = { test_bin("linear"), "--help", NULL };
    const char *const json[] = { test_bin("linear"), "--format", "json", "heads", NULL };
    /* Its "the schemas differ" (6) is a result, cut short like any other. */
    const char *const diff[] = { test_bin("linear"), "diff", "--from", "base", "--to", "head",
                                 NULL };
    const char *const *const cases[] = { history, script, help, json, diff };
    size_t i, k;

    for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++)
        for (k = 0; k < 2; k++) {
            run_stdout_gone(k == 1, cases[i]);
            ck_assert_msg(r.status == CLI_EXIT_FAILED, "%s, stdout %s: status %d: %s",
                          cases[i][1], k ? "a broken pipe" : "closed", r.status, r.err);
            ck_assert_msg(strstr(r.err, "error writing to standard output: ") != NULL &&
                          strstr(r.err, k ? "Broken pipe" : "Bad file descriptor") != NULL,
                          "%s: %s", cases[i][1], r.err);
        }
}
END_TEST

/*
 * The exit statuses --help lists are the README's, with the new meanings
 * in both: 1 covers an unwritable stdout, 2 a bad value or setting.
 */
START_TEST(test_values_exit_statuses_in_help_and_readme)
{
    static const struct {
        const char *help, *readme;
    } rows[] = {
        { "\n  0    ", "\n| 0 | " }, { "\n  1    ", "\n| 1 | " }, { "\n  2    ", "\n| 2 | " },
        { "\n  3    ", "\n| 3 | " }, { "\n  4    ", "\n| 4 | " }, { "\n  5    ", "\n| 5 | " },
        { "\n  6    ", "\n| 6 | " },
        { "\n  130  ", "\n| 130 / 143 | " }, { "\n  143  ", "\n| 130 / 143 | " },
    };
    static const char *const both[] = { "could not be written to stdout", "a value out of range",
                                        "an invalid connection setting", "connection was lost" };
    const char *const argv[] = { test_bin("linear"), "--help", NULL };
    char path[4096], *readme, *flat;
    size_t i, k;

    snprintf(path, sizeof(path), "%s/README.md", getenv("PCSM_TEST_SOURCE_ROOT"));
    readme = test_read_file(path);
    run_env(NULL, argv, NULL);
    ck_assert_int_eq(r.status, 0);
    for (i = 0; i < sizeof(rows) / sizeof(rows[0]); i++) {
        ck_assert_msg(strstr(r.out, rows[i].help) != NULL, "--help lacks [%s]", rows[i].help + 1);
        ck_assert_msg(strstr(readme, rows[i].readme) != NULL, "README lacks [%s]",
                      rows[i].readme + 1);
    }
    /* --help wraps its lines: compare with the line breaks and indents gone. */
    flat = strdup(r.out);
    for (i = k = 0; r.out[i]; i++) {
        if (r.out[i] == '\n') {
            while (r.out[i + 1] == ' ')
                i++;
            flat[k++] = ' ';
        } else {
            flat[k++] = r.out[i];
        }
    }
    flat[k] = '\0';
    for (i = 0; i < sizeof(both) / sizeof(both[0]); i++) {
        ck_assert_msg(strstr(flat, both[i]) != NULL, "--help lacks \"%s\"", both[i]);
        ck_assert_msg(strstr(readme, both[i]) != NULL, "README lacks \"%s\"", both[i]);
    }
    free(flat);
    free(readme);
}
END_TEST

static Suite *values_suite(void)
{
    Suite *s = suite_create("cli_values");
    TCase *tc = tcase_create("values");

    tcase_add_checked_fixture(tc, setup, teardown);
    tcase_set_timeout(tc, 120);
    tcase_add_test(tc, test_values_timeouts_out_of_range);
    tcase_add_test(tc, test_values_timeouts_in_range);
    tcase_add_test(tc, test_values_conninfo_refused_naming_the_keyword);
    tcase_add_test(tc, test_values_unknown_keyword_from_a_password_not_named);
    tcase_add_test(tc, test_values_libpq_variables_refused);
    tcase_add_test(tc, test_values_url_file_errors);
    tcase_add_test(tc, test_values_url_file_mode_and_pipe);
    tcase_add_test(tc, test_values_argv_password_wiped);
    tcase_add_test(tc, test_values_unwritable_stdout);
    tcase_add_test(tc, test_values_exit_statuses_in_help_and_readme);
    suite_add_tcase(s, tc);
    return s;
}

int main(void)
{
    return test_run_suite(values_suite());
}
