/*
 * Test plumbing: processes with captured output, throwaway databases and
 * catalog snapshots (see support.h).  Failures abort the test with a
 * message: a broken harness must never look like a passing test.
 */
#define _GNU_SOURCE /* asprintf */
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <poll.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "support.h"

extern char **environ;

void test_die(const char *fmt, ...)
{
    va_list ap;

    fputs("test harness: ", stderr);
    va_start(ap, fmt);
    vfprintf(stderr, fmt, ap);
    va_end(ap);
    fputc('\n', stderr);
    exit(99);   /* meson: hard error */
}

struct growbuf {
    char *p;
    size_t len, cap;
};

static void grow_put(struct growbuf *b, const char *data, size_t n)
{
    if (b->len + n + 1 > b->cap) {
        b->cap = (b->len + n + 1) * 2;
        b->p = realloc(b->p, b->cap);
        if (!b->p)
            test_die("out of memory");
    }
    memcpy(b->p + b->len, data, n);
    b->len += n;
    b->p[b->len] = '\0';
}

void proc_run(const char *const argv[], const char *input, const char *const env[],
              struct proc_result *r)
{
    int in[2], out[2], err[2], status;
    struct growbuf bo = { 0 }, be = { 0 };
    size_t in_len = input ? strlen(input) : 0, in_off = 0;
    pid_t pid;

    if (pipe(in) || pipe(out) || pipe(err))
        test_die("pipe: %s", strerror(errno));
    pid = fork();
    if (pid < 0)
        test_die("fork: %s", strerror(errno));
    if (pid == 0) {
        size_t i;

        dup2(in[0], 0);
        dup2(out[1], 1);
        dup2(err[1], 2);
        close(in[0]); close(in[1]); close(out[0]); close(out[1]); close(err[0]); close(err[1]);
        for (i = 0; env && env[i]; i++) {
            if (strchr(env[i], '='))
                putenv((char *)env[i]);
            else
                unsetenv(env[i]);
        }
        execvp(argv[0], (char *const *)argv);
        fprintf(stderr, "exec %s: %s\n", argv[0], strerror(errno));
        _exit(127);
    }
    close(in[0]);
    close(out[1]);
    close(err[1]);
    signal(SIGPIPE, SIG_IGN);
    if (!in_len) {
        close(in[1]);
        in[1] = -1;
    }
    grow_put(&bo, "", 0);
    grow_put(&be, "", 0);
    for (;;) {
        struct pollfd fds[3] = {
            { out[0], POLLIN, 0 }, { err[0], POLLIN, 0 }, { in[1], POLLOUT, 0 },
        };
        char chunk[65536];
        ssize_t n;

        if (fds[0].fd < 0 && fds[1].fd < 0)
            break;
        if (poll(fds, 3, -1) < 0) {
            if (errno == EINTR)
                continue;
            test_die("poll: %s", strerror(errno));
        }
        if (fds[2].revents & (POLLOUT | POLLERR | POLLHUP)) {
            n = write(in[1], input + in_off, in_len - in_off);
            if (n > 0)
                in_off += (size_t)n;
            if (n < 0 || in_off == in_len) {
                close(in[1]);
                in[1] = -1;
            }
        }
        for (int k = 0; k < 2; k++) {
            int *fd = k ? &err[0] : &out[0];

            if (*fd < 0 || !(fds[k].revents & (POLLIN | POLLHUP | POLLERR)))
                continue;
            n = read(*fd, chunk, sizeof(chunk));
            if (n > 0)
                grow_put(k ? &be : &bo, chunk, (size_t)n);
            else if (n == 0 || errno != EINTR) {
                close(*fd);
                *fd = -1;
            }
        }
    }
    if (in[1] >= 0)
        close(in[1]);
    if (waitpid(pid, &status, 0) < 0)
        test_die("waitpid: %s", strerror(errno));
    r->status = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
    r->out = bo.p;
    r->err = be.p;
}

void proc_result_free(struct proc_result *r)
{
    free(r->out);
    free(r->err);
    r->out = r->err = NULL;
}

const char *test_bin(const char *name)
{
    char var[64];
    const char *path;
    size_t i, n = (size_t)snprintf(var, sizeof(var), "PCSM_TEST_BIN_");

    for (i = 0; name[i] && n + 1 < sizeof(var); i++)
        var[n++] = (char)(name[i] >= 'a' && name[i] <= 'z' ? name[i] - 32 : name[i]);
    var[n] = '\0';
    path = getenv(var);
    if (!path)
        test_die("%s is not set (run the tests through meson test)", var);
    return path;
}

size_t test_cmd_argv(const char **argv, size_t cap, const char *bin, const char *url,
                     const char *const args[])
{
    size_t n = 0, i;

    argv[n++] = test_bin(bin);
    if (url) {
        argv[n++] = "--database-url";
        argv[n++] = url;
    }
    for (i = 0; args[i] && n + 1 < cap; i++)
        argv[n++] = args[i];
    argv[n] = NULL;
    return n;
}

char *test_rev_id(const char *bin, const char *target)
{
    const char *argv[] = { test_bin(bin), "show", target, NULL };
    struct proc_result r;
    char *id;

    proc_run(argv, NULL, NULL, &r);
    if (r.status != 0 || strncmp(r.out, "Rev: ", 5) != 0)
        test_die("%s show %s: exit %d: %s", bin, target, r.status, r.err);
    id = strndup(r.out + 5, strcspn(r.out + 5, " \n"));
    proc_result_free(&r);
    return id;
}

void test_require_db(void)
{
    if (getenv("PCSM_TEST_DSN"))
        return;
    if (getenv("PCSM_TEST_REQUIRE_DB"))
        test_die("PCSM_TEST_DSN is not set, but integration tests were required");
    printf("1..0 # SKIP PCSM_TEST_DSN not set\n");
    exit(0);
}

char *test_conninfo(const char *db)
{
    const char *dsn = getenv("PCSM_TEST_DSN");
    char *s;

    if (!dsn)
        test_die("PCSM_TEST_DSN is not set");
    /* A later keyword overrides an earlier one in a conninfo string. */
    if (asprintf(&s, "%s dbname=%s", dsn, db) < 0)
        test_die("out of memory");
    return s;
}

PGconn *test_connect(const char *db)
{
    char *ci = test_conninfo(db);
    PGconn *conn = PQconnectdb(ci);

    free(ci);
    if (PQstatus(conn) != CONNECTION_OK)
        test_die("connecting to %s: %s", db, PQerrorMessage(conn));
    PQsetNoticeProcessor(conn, NULL, NULL);
    test_exec(conn, "SET client_min_messages = warning");
    return conn;
}

void test_exec(PGconn *conn, const char *sql)
{
    PGresult *res = PQexec(conn, sql);

    if (PQresultStatus(res) != PGRES_COMMAND_OK && PQresultStatus(res) != PGRES_TUPLES_OK)
        test_die("%s\n  in: %s", PQerrorMessage(conn), sql);
    PQclear(res);
}

void test_db_create(char *name, size_t size)
{
    static unsigned counter;
    PGconn *admin = test_connect("postgres");
    char sql[160];
    struct timespec ts;

    clock_gettime(CLOCK_REALTIME, &ts);
    snprintf(name, size, "pcsm_t_%ld_%u_%ld", (long)getpid(), counter++, ts.tv_nsec % 100000);
    snprintf(sql, sizeof(sql), "CREATE DATABASE \"%s\"", name);
    test_exec(admin, sql);
    /* The same tests again under another default isolation level (meson
     * registers the concurrency suite once per level). */
    if (getenv("PCSM_TEST_DEFAULT_ISOLATION") && *getenv("PCSM_TEST_DEFAULT_ISOLATION")) {
        char *level = PQescapeLiteral(admin, getenv("PCSM_TEST_DEFAULT_ISOLATION"),
                                      strlen(getenv("PCSM_TEST_DEFAULT_ISOLATION")));

        snprintf(sql, sizeof(sql), "ALTER DATABASE \"%s\" SET default_transaction_isolation = %s",
                 name, level);
        PQfreemem(level);
        test_exec(admin, sql);
    }
    PQfinish(admin);
}

void test_db_drop(const char *name)
{
    PGconn *admin = test_connect("postgres");
    char sql[160];

    snprintf(sql, sizeof(sql), "DROP DATABASE IF EXISTS \"%s\" WITH (FORCE)", name);
    test_exec(admin, sql);
    PQfinish(admin);
}

PGconn *test_db_open(char *name, size_t size)
{
    test_db_create(name, size);
    return test_connect(name);
}

void test_db_close(PGconn *conn, const char *name)
{
    PQfinish(conn);
    test_db_drop(name);
}

/* The variables of test_fresh_db_fixture(), set before the suite runs. */
static struct {
    char *db;
    size_t size;
    PGconn **conn;
    char **url;
} fresh;

static void fresh_setup(void)
{
    *fresh.conn = test_db_open(fresh.db, fresh.size);
    if (fresh.url)
        *fresh.url = test_conninfo(fresh.db);
}

static void fresh_teardown(void)
{
    test_db_close(*fresh.conn, fresh.db);
    if (fresh.url)
        free(*fresh.url);
}

void test_fresh_db_fixture(TCase *tc, char *db, size_t size, PGconn **conn, char **url)
{
    if (fresh.conn && (fresh.db != db || fresh.conn != conn || fresh.url != url))
        test_die("test_fresh_db_fixture: one set of variables per program");
    fresh.db = db;
    fresh.size = size;
    fresh.conn = conn;
    fresh.url = url;
    tcase_add_checked_fixture(tc, fresh_setup, fresh_teardown);
}

char *test_query(PGconn *conn, const char *sql)
{
    PGresult *res = PQexec(conn, sql);
    struct growbuf b = { 0 };
    int row, col;

    if (PQresultStatus(res) != PGRES_TUPLES_OK)
        test_die("%s\n  in: %s", PQerrorMessage(conn), sql);
    grow_put(&b, "", 0);
    for (row = 0; row < PQntuples(res); row++) {
        if (row)
            grow_put(&b, "\n", 1);
        for (col = 0; col < PQnfields(res); col++) {
            const char *v = PQgetisnull(res, row, col) ? "NULL" : PQgetvalue(res, row, col);

            if (col)
                grow_put(&b, "|", 1);
            grow_put(&b, v, strlen(v));
        }
    }
    PQclear(res);
    return b.p;
}

/* One line per object; `$1` is the array of excluded table names. */
static const char snapshot_sql[] =
    "WITH rel AS (\n"
    "  SELECT c.oid, c.relname, c.relkind FROM pg_class c\n"
    "  WHERE c.relnamespace = current_schema()::regnamespace\n"
    "    AND NOT c.relname = ANY ($1::text[])\n"
    "    AND NOT EXISTS (SELECT 1 FROM pg_depend d JOIN pg_class o ON o.oid = d.refobjid\n"
    "                    WHERE d.classid = 'pg_class'::regclass AND d.objid = c.oid\n"
    "                      AND d.deptype IN ('a', 'i') AND o.relname = ANY ($1::text[]))),\n"
    "tab AS (SELECT * FROM rel WHERE relkind IN ('r', 'p'))\n"
    "SELECT line FROM (\n"
    "  SELECT format('table %I comment=%s', relname, coalesce(obj_description(oid, 'pg_class'), '-')) AS line\n"
    "  FROM tab\n"
    "  UNION ALL\n"
    "  SELECT format('column %I.%I %s%s default=%s identity=%s comment=%s', t.relname, a.attname,\n"
    "         format_type(a.atttypid, a.atttypmod), CASE WHEN a.attnotnull THEN ' not null' ELSE '' END,\n"
    "         coalesce(pg_get_expr(d.adbin, d.adrelid), '-'), coalesce(nullif(a.attidentity, ''), '-'),\n"
    "         coalesce(col_description(t.oid, a.attnum), '-'))\n"
    "  FROM tab t JOIN pg_attribute a ON a.attrelid = t.oid AND a.attnum > 0 AND NOT a.attisdropped\n"
    "  LEFT JOIN pg_attrdef d ON d.adrelid = t.oid AND d.adnum = a.attnum\n"
    "  UNION ALL\n"
    "  SELECT format('constraint %I.%I %s', t.relname, k.conname, pg_get_constraintdef(k.oid))\n"
    "  FROM tab t JOIN pg_constraint k ON k.conrelid = t.oid\n"
    "  UNION ALL\n"
    "  SELECT format('index %s', pg_get_indexdef(i.indexrelid))\n"
    "  FROM tab t JOIN pg_index i ON i.indrelid = t.oid\n"
    "  UNION ALL\n"
    "  SELECT format('trigger %s', pg_get_triggerdef(g.oid))\n"
    "  FROM tab t JOIN pg_trigger g ON g.tgrelid = t.oid AND NOT g.tgisinternal\n"
    "  UNION ALL\n"
    "  SELECT format('function %I(%s) returns %s body-md5=%s', p.proname,\n"
    "         pg_get_function_identity_arguments(p.oid), pg_get_function_result(p.oid), md5(p.prosrc))\n"
    "  FROM pg_proc p WHERE p.pronamespace = current_schema()::regnamespace\n"
    "  UNION ALL\n"
    "  SELECT format('%s %I', CASE relkind WHEN 'S' THEN 'sequence' WHEN 'v' THEN 'view'\n"
    "         WHEN 'm' THEN 'matview' ELSE 'relation-' || relkind::text END, relname)\n"
    "  FROM rel WHERE relkind NOT IN ('r', 'p', 'i', 't', 'I')\n"
    "  UNION ALL\n"
    "  SELECT format('type %I', t.typname) FROM pg_type t\n"
    "  WHERE t.typnamespace = current_schema()::regnamespace AND t.typtype IN ('e', 'd', 'c')\n"
    "    AND NOT EXISTS (SELECT 1 FROM pg_class c WHERE c.oid = t.typrelid AND c.relkind <> 'c')\n"
    ") s ORDER BY line COLLATE \"C\"";

char *test_catalog_snapshot(PGconn *conn, const char *const *except_tables)
{
    struct growbuf arr = { 0 }, b = { 0 };
    const char *params[1];
    PGresult *res;
    size_t i;
    int row;

    grow_put(&arr, "{", 1);
    for (i = 0; except_tables && except_tables[i]; i++) {
        const char *p;

        if (i)
            grow_put(&arr, ",", 1);
        grow_put(&arr, "\"", 1);
        for (p = except_tables[i]; *p; p++) {
            if (*p == '"' || *p == '\\')
                grow_put(&arr, "\\", 1);
            grow_put(&arr, p, 1);
        }
        grow_put(&arr, "\"", 1);
    }
    grow_put(&arr, "}", 1);
    params[0] = arr.p;
    res = PQexecParams(conn, snapshot_sql, 1, NULL, params, NULL, NULL, 0);
    if (PQresultStatus(res) != PGRES_TUPLES_OK)
        test_die("catalog snapshot: %s", PQerrorMessage(conn));
    grow_put(&b, "", 0);
    for (row = 0; row < PQntuples(res); row++) {
        grow_put(&b, PQgetvalue(res, row, 0), strlen(PQgetvalue(res, row, 0)));
        grow_put(&b, "\n", 1);
    }
    PQclear(res);
    free(arr.p);
    return b.p;
}

char *test_read_file(const char *path)
{
    FILE *f = fopen(path, "rb");
    struct growbuf b = { 0 };
    char chunk[65536];
    size_t n;

    if (!f)
        test_die("cannot open %s: %s", path, strerror(errno));
    grow_put(&b, "", 0);
    while ((n = fread(chunk, 1, sizeof(chunk), f)) > 0)
        grow_put(&b, chunk, n);
    fclose(f);
    return b.p;
}

/* ------------------------------------------------ time, waiting, messages */

double test_now_s(void)
{
    struct timespec ts;

    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

void test_nap_ms(long ms)
{
    struct timespec ts = { ms / 1000, (ms % 1000) * 1000000L };

    nanosleep(&ts, NULL);
}

char *test_flat(const char *s)
{
    char *out = malloc(3 * strlen(s) + 1), *o = out;

    for (; out && *s; s++) {
        if (*s == '\n') {
            memcpy(o, " | ", 3);
            o += 3;
        } else {
            *o++ = *s;
        }
    }
    if (out)
        *o = '\0';
    return out ? out : "?";
}

/* ------------------------------------------------- background processes */

int test_temp_file(const char *prefix, char *path, size_t size)
{
    const char *dir = getenv("TMPDIR");
    int fd;

    snprintf(path, size, "%s/%s-XXXXXX", dir && *dir ? dir : "/tmp", prefix);
    fd = mkstemp(path);
    if (fd < 0)
        test_die("mkstemp %s: %s", path, strerror(errno));
    return fd;
}

void test_child_default_signals(void)
{
    static const int reset[] = { SIGTERM, SIGINT, SIGALRM, SIGPIPE, SIGCHLD, SIGHUP };
    size_t i;

    for (i = 0; i < sizeof(reset) / sizeof(reset[0]); i++)
        signal(reset[i], SIG_DFL);
}

void proc_start(struct proc_bg *b, const char *const argv[], const char *const env[],
                const int *gate)
{
    int out = test_temp_file("pcsm-bg", b->out_path, sizeof(b->out_path));
    int err = test_temp_file("pcsm-bg", b->err_path, sizeof(b->err_path));
    sigset_t all, old;

    b->what = argv[0];
    b->reaped = false;
    b->status = -1;
    /*
     * Until exec the child has check's handlers, whose SIGTERM kills the
     * whole process group: signals stay blocked until they are reset.
     */
    sigfillset(&all);
    sigprocmask(SIG_BLOCK, &all, &old);
    b->pid = fork();
    if (b->pid == 0) {
        int null = open("/dev/null", O_RDONLY);
        size_t i;

        test_child_default_signals();
        sigprocmask(SIG_SETMASK, &old, NULL);

        dup2(null, 0);
        dup2(out, 1);
        dup2(err, 2);
        for (i = 0; env && env[i]; i++) {
            if (strchr(env[i], '='))
                putenv((char *)env[i]);
            else
                unsetenv(env[i]);
        }
        if (gate) {
            char c;

            close(gate[1]);
            while (read(gate[0], &c, 1) > 0)
                ;
            close(gate[0]);
        }
        execvp(argv[0], (char *const *)argv);
        fprintf(stderr, "exec %s: %s\n", argv[0], strerror(errno));
        _exit(127);
    }
    sigprocmask(SIG_SETMASK, &old, NULL);
    if (b->pid < 0)
        test_die("fork: %s", strerror(errno));
    close(out);
    close(err);
}

bool proc_done(struct proc_bg *b)
{
    int status;

    if (b->reaped)
        return true;
    if (waitpid(b->pid, &status, WNOHANG) != b->pid)
        return false;
    b->reaped = true;
    b->status = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
    return true;
}

char *proc_stderr(const struct proc_bg *b)
{
    return test_read_file(b->err_path);
}

void proc_wait(struct proc_bg *b, double timeout_s, struct proc_result *r)
{
    double deadline = test_now_s() + timeout_s;

    while (!proc_done(b) && test_now_s() < deadline)
        test_nap_ms(10);
    if (!proc_done(b)) {
        char *err;

        kill(b->pid, SIGKILL);
        waitpid(b->pid, NULL, 0);
        b->reaped = true;
        err = proc_stderr(b);
        ck_abort_msg("%s still running after %.0f s; stderr: %s", b->what, timeout_s,
                     test_flat(err));
    }
    r->status = b->status;
    r->out = test_read_file(b->out_path);
    r->err = test_read_file(b->err_path);
    unlink(b->out_path);
    unlink(b->err_path);
}

bool proc_await_stderr(struct proc_bg *b, const char *s, double timeout_s)
{
    double deadline = test_now_s() + timeout_s;

    for (;;) {
        bool done = proc_done(b);
        char *err = proc_stderr(b);
        bool found = strstr(err, s) != NULL;

        free(err);
        if (found)
            return true;
        if (done || test_now_s() >= deadline)
            return false;
        test_nap_ms(20);
    }
}

const char *test_escape_bytes(char *dst, size_t size, const char *s)
{
    size_t n = 0;

    for (; *s && n + 5 < size; s++) {
        unsigned char c = (unsigned char)*s;

        if (c < 0x20 || c >= 0x7f)
            n += (size_t)snprintf(dst + n, size - n, "\\x%02x", c);
        else
            dst[n++] = (char)c;
    }
    dst[n] = '\0';
    return dst;
}

const char *test_tail(const char *s, size_t n)
{
    size_t len = strlen(s);

    return len > n ? s + len - n : s;
}

/* ------------------------------------------------------------- queries */

char *test_await_rows(PGconn *c, const char *sql, double timeout_s)
{
    double deadline = test_now_s() + timeout_s;

    for (;;) {
        char *v = test_query(c, sql);

        if (*v)
            return v;
        free(v);
        if (test_now_s() >= deadline)
            return NULL;
        test_nap_ms(20);
    }
}

bool test_await_value(PGconn *c, const char *sql, const char *want, double timeout_s)
{
    double deadline = test_now_s() + timeout_s;

    for (;;) {
        char *v = test_query(c, sql);
        bool ok = strcmp(v, want) == 0;

        free(v);
        if (ok)
            return true;
        if (test_now_s() >= deadline)
            return false;
        test_nap_ms(20);
    }
}

void test_assert_query(PGconn *c, const char *sql, const char *want)
{
    char *v = test_query(c, sql);

    ck_assert_msg(strcmp(v, want) == 0, "%s | got: %s | want: %s", test_flat(sql),
                  test_flat(v), test_flat(want));
    free(v);
}

char *test_dsn_param(const char *keyword, const char *env, const char *fallback)
{
    char *err = NULL, *value = NULL;
    PQconninfoOption *opts = PQconninfoParse(getenv("PCSM_TEST_DSN"), &err), *o;

    if (!opts)
        test_die("PCSM_TEST_DSN: %s", err ? err : "?");
    for (o = opts; o->keyword; o++)
        if (!strcmp(o->keyword, keyword) && o->val && *o->val)
            value = strdup(o->val);
    PQconninfoFree(opts);
    if (!value)
        value = strdup(getenv(env) && *getenv(env) ? getenv(env) : fallback);
    if (!value)
        test_die("out of memory");
    return value;
}

int test_closed_port(int *fd_out)
{
    struct sockaddr_in a = { .sin_family = AF_INET };
    socklen_t len = sizeof(a);
    int fd = socket(AF_INET, SOCK_STREAM, 0);

    if (fd < 0)
        test_die("socket: %s", strerror(errno));
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    if (bind(fd, (struct sockaddr *)&a, sizeof(a)) || getsockname(fd, (struct sockaddr *)&a, &len))
        test_die("bind 127.0.0.1:0: %s", strerror(errno));
    *fd_out = fd;
    return ntohs(a.sin_port);
}

/* ------------------------------------------------- the generated chain */

char **test_chain_ids(const char *bin, int n)
{
    char range[32];
    const char *argv[] = { test_bin(bin), "history", "-r", range, NULL };
    const char *const env[] = { "DATABASE_URL", "PCS_MIGRATE_DATABASE_URL", NULL };
    char **ids = calloc((size_t)n + 1, sizeof(*ids));
    struct proc_result r;
    const char *line;
    int found = 0;

    if (!ids)
        test_die("out of memory");
    snprintf(range, sizeof(range), "base:base+%d", n);
    /* Newest first: "<parent> -> <id>[ (head)], create t_NNNN". */
    proc_run(argv, NULL, (const char *const *)env, &r);
    if (r.status != 0)
        test_die("%s history -r %s: exit %d: %s", bin, range, r.status, r.err);
    for (line = r.out; *line; line += strcspn(line, "\n") + (line[strcspn(line, "\n")] != '\0')) {
        const char *arrow = strstr(line, " -> "), *table = strstr(line, ", create t_");
        size_t eol = strcspn(line, "\n");
        int index;

        if (!arrow || !table || arrow > line + eol || table > line + eol)
            test_die("%s history: unexpected line: %.*s", bin, (int)eol, line);
        index = atoi(table + strlen(", create t_"));
        if (index < 1 || index > n || ids[index - 1])
            test_die("%s history: revision %d out of place", bin, index);
        /* The id, without a " (head)" mark. */
        ids[index - 1] = strndup(arrow + 4, strspn(arrow + 4, "0123456789abcdefABCDEF_"
                                                   "ghijklmnopqrstuvwxyzGHIJKLMNOPQRSTUVWXYZ"));
        found++;
    }
    if (found != n)
        test_die("%s history -r %s: %d revisions, not %d", bin, range, found, n);
    proc_result_free(&r);
    return ids;
}

void test_chain_ids_free(char **ids, int n)
{
    int i;

    for (i = 0; ids && i < n; i++)
        free(ids[i]);
    free(ids);
}

int test_chain_check(PGconn *conn, char *const *ids, int max, long *objects)
{
    /* Every table t_N with its id column and primary key, and any stray pkey index. */
    char *v = test_query(conn,
        "SELECT count(*), coalesce(max(substr(c.relname, 3)::int), 0), "
        "count(*) FILTER (WHERE EXISTS (SELECT 1 FROM pg_index i WHERE i.indrelid = c.oid "
        "AND i.indisprimary AND i.indisvalid)), "
        "count(*) FILTER (WHERE EXISTS (SELECT 1 FROM pg_attribute a WHERE a.attrelid = c.oid "
        "AND a.attname = 'id' AND a.atttypid = 'integer'::regtype AND a.attnotnull)), "
        "(SELECT count(*) FROM pg_class x WHERE x.relnamespace = current_schema()::regnamespace "
        "AND x.relname ~ '^t_[0-9]+_pkey$'), "
        "to_regclass('alembic_version') IS NOT NULL, "
        "to_regclass('pcs_migrate_history') IS NOT NULL "
        "FROM pg_class c WHERE c.relnamespace = current_schema()::regnamespace "
        "AND c.relkind = 'r' AND c.relname ~ '^t_[0-9]+$'");
    int count = -1, last = -2, pkeys = -3, columns = -4, pkey_indexes = -5;
    char version_table = '?', history_table = '?';
    struct growbuf want = { 0 };
    char *got;
    int i;

    ck_assert_msg(sscanf(v, "%d|%d|%d|%d|%d|%c|%c", &count, &last, &pkeys, &columns,
                         &pkey_indexes, &version_table, &history_table) == 7, "%s", v);
    free(v);
    ck_assert_msg(count == last && count <= max,
                  "chain tables: %d of them, the last t_%d (at most %d expected)", count, last,
                  max);
    ck_assert_msg(pkeys == count && columns == count && pkey_indexes == count,
                  "%d chain tables, %d with their primary key, %d with their id column, "
                  "%d primary key indexes", count, pkeys, columns, pkey_indexes);
    if (objects)
        *objects += 3L * count;
    if (count == 0 && version_table == 'f')
        return 0;
    ck_assert_msg(version_table == 't' && history_table == 't',
                  "%d revisions applied, version table: %c, history table: %c", count,
                  version_table, history_table);
    got = test_query(conn, "SELECT coalesce(string_agg(version_num, ','), '') "
                           "FROM alembic_version");
    ck_assert_msg(!strcmp(got, count ? ids[count - 1] : ""),
                  "%d revisions applied (t_%04d the last) but the version table holds '%s'",
                  count, count, got);
    free(got);
    grow_put(&want, "", 0);
    for (i = 0; i < count; i++) {
        if (i)
            grow_put(&want, ",", 1);
        grow_put(&want, ids[i], strlen(ids[i]));
    }
    got = test_query(conn, "SELECT coalesce(string_agg(revision, ',' ORDER BY id), '') "
                           "FROM pcs_migrate_history WHERE event = 'upgrade'");
    ck_assert_msg(!strcmp(got, want.p),
                  "%d revisions applied, but the history's upgrade rows are not revisions "
                  "1..%d once each, in order: %.300s", count, count, got);
    free(got);
    free(want.p);
    if (objects)
        *objects += count + 1L;
    return count;
}

int test_run_suite(Suite *suite)
{
    SRunner *sr = srunner_create(suite);
    int failed;

    srunner_set_tap(sr, "-");
    srunner_run_all(sr, CK_SILENT);
    failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    return failed ? 1 : 0;
}

const char *test_pgbouncer_bin(bool *installed)
{
    const char *bin = getenv("PCSM_TEST_PGBOUNCER");

    if (!bin || !*bin)
        bin = "/usr/sbin/pgbouncer";
    *installed = access(bin, X_OK) == 0;
    if (!*installed && getenv("PCSM_TEST_REQUIRE_DB"))
        test_die("%s is not installed (scripts/install-deps.sh installs the pgbouncer "
                 "package), but integration tests were required", bin);
    return bin;
}

int test_free_port(void)
{
    struct sockaddr_in a = { .sin_family = AF_INET };
    socklen_t len = sizeof(a);
    int fd = socket(AF_INET, SOCK_STREAM, 0), port;

    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    if (fd < 0 || bind(fd, (struct sockaddr *)&a, sizeof(a)) ||
        getsockname(fd, (struct sockaddr *)&a, &len))
        test_die("no free loopback port: %s", strerror(errno));
    port = ntohs(a.sin_port);
    close(fd);
    return port;
}

bool test_port_open(int port)
{
    struct sockaddr_in a = { .sin_family = AF_INET, .sin_port = htons((uint16_t)port) };
    int fd = socket(AF_INET, SOCK_STREAM, 0);
    bool ok;

    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    ok = fd >= 0 && connect(fd, (struct sockaddr *)&a, sizeof(a)) == 0;
    if (fd >= 0)
        close(fd);
    return ok;
}

char *test_proc_cmdline(pid_t pid)
{
    char path[64], *text = malloc(65537);
    size_t len = 0, i;
    ssize_t n;
    int fd;

    snprintf(path, sizeof(path), "/proc/%d/cmdline", (int)pid);
    fd = open(path, O_RDONLY);
    if (fd < 0 || !text)
        test_die("%s: %s", path, strerror(errno));
    while (len < 65536 && (n = read(fd, text + len, 65536 - len)) > 0)
        len += (size_t)n;
    close(fd);
    for (i = 0; i < len; i++)
        if (!text[i])
            text[i] = ' ';
    text[len] = '\0';
    return text;
}
