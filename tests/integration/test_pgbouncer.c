/*
 * pcs-migrate through PgBouncer (Debian's, started here on a free loopback
 * port with no special settings) in transaction and in session pooling mode:
 * racing runners, --schema, the no-op run, a failing run and kills stay as
 * safe as on a direct connection, judged from exit statuses and the catalogs.
 * Also shows, against pgbouncer itself, why a session advisory lock would
 * not be safe through a transaction pooler.
 */
#define _GNU_SOURCE /* asprintf */
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <netinet/in.h>
#include <pwd.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "support.h"

#define RUNNERS 16
#define POOL_SIZE 4
/* The migration lock's key for the public schema (see docs/commands.md). */
#define LOCK_KEY "1885565805, hashtext('public.alembic_version')"
/* pg_locks is cluster-wide: other test programs may be migrating next door. */
#define THIS_DB "(SELECT oid FROM pg_database WHERE datname = current_database())"

static const char *pgbouncer_bin;
static char db[64];
static PGconn *conn;            /* direct, to the test database */

/*
 * A figure for the log: a TAP comment on stdout (meson's test log) and the
 * same line on stderr (shown by meson test -v).
 */
static void figure(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

static void figure(const char *fmt, ...)
{
    char line[1024];
    va_list ap;

    va_start(ap, fmt);
    vsnprintf(line, sizeof(line), fmt, ap);
    va_end(ap);
    printf("# %s\n", line);
    fflush(stdout);
    fprintf(stderr, "pgbouncer test: %s\n", line);
}

static char *test_user(void)
{
    struct passwd *pw = getpwuid(getuid());

    return test_dsn_param("user", "PGUSER", pw ? pw->pw_name : "postgres");
}

static void assert_has(const char *text, const char *needle, const char *what)
{
    ck_assert_msg(strstr(text, needle) != NULL, "%s lacks \"%s\": %s", what, needle,
                  test_flat(text));
}

/* ------------------------------------------------------------ pgbouncer */

/*
 * The test case's pgbouncer, started by an unchecked fixture (in the
 * parent process, before the tests fork) and stopped by its teardown.
 */
static struct bouncer {
    const char *mode;           /* pool_mode */
    int pool_size;              /* default_pool_size */
    pid_t pid;
    int port;
    char dir[64], ini[96], users[96], log[96];
} bnc;

/* A value in pgbouncer's auth_file syntax: double quotes, inner ones doubled. */
static void put_quoted(FILE *f, const char *s)
{
    fputc('"', f);
    for (; *s; s++) {
        if (*s == '"')
            fputc('"', f);
        fputc(*s, f);
    }
    fputc('"', f);
}

/*
 * Writes the configuration: every database of the server under test, and
 * nothing pcs-migrate would need beyond a plain pooler (no
 * ignore_startup_parameters, no server_reset_query tweaks).  auth_type =
 * trust; the auth_file holds the test user with the password pgbouncer
 * logs in to the server with.  admin_users opens the console (SHOW POOLS).
 */
static void bouncer_write_config(struct bouncer *b)
{
    char *host = test_dsn_param("host", "PGHOST", "/var/run/postgresql");
    char *port = test_dsn_param("port", "PGPORT", "5432");
    char *user = test_user(), *password = test_dsn_param("password", "PGPASSWORD", "");
    FILE *f;

    f = fopen(b->users, "w");
    if (!f)
        test_die("%s: %s", b->users, strerror(errno));
    put_quoted(f, user);
    fputc(' ', f);
    put_quoted(f, password);
    fputc('\n', f);
    fclose(f);

    f = fopen(b->ini, "w");
    if (!f)
        test_die("%s: %s", b->ini, strerror(errno));
    fprintf(f,
            "[databases]\n"
            "* = host=%s port=%s\n"
            "\n"
            "[pgbouncer]\n"
            "listen_addr = 127.0.0.1\n"
            "listen_port = %d\n"
            "unix_socket_dir =\n"
            "auth_type = trust\n"
            "auth_file = %s\n"
            "admin_users = %s\n"
            "pool_mode = %s\n"
            "default_pool_size = %d\n"
            "min_pool_size = 0\n"
            "reserve_pool_size = 0\n"
            "max_client_conn = 100\n"
            "log_connections = 0\n"
            "log_disconnections = 0\n",
            host, port, b->port, b->users, user, b->mode, b->pool_size);
    fclose(f);
    free(host);
    free(port);
    free(user);
    free(password);
}

/*
 * pgbouncer refuses to run as root: as root it runs as postgres (its files
 * handed over to it), otherwise as the current user.  It dies with this
 * process (PR_SET_PDEATHSIG), so a test killed by a timeout leaves none
 * behind.  Retries on another port if the chosen one was taken meanwhile.
 */
static void bouncer_start(struct bouncer *b, const char *mode, int pool_size)
{
    struct passwd *pw = NULL;
    int attempt;

    b->mode = mode;
    b->pool_size = pool_size;
    if (geteuid() == 0 && !(pw = getpwnam("postgres")))
        test_die("pgbouncer refuses to run as root, and there is no postgres user to run it as");
    snprintf(b->dir, sizeof(b->dir), "/tmp/pcsm-pgbouncer-XXXXXX");
    if (!mkdtemp(b->dir))
        test_die("mkdtemp: %s", strerror(errno));
    snprintf(b->ini, sizeof(b->ini), "%s/pgbouncer.ini", b->dir);
    snprintf(b->users, sizeof(b->users), "%s/users.txt", b->dir);
    snprintf(b->log, sizeof(b->log), "%s/pgbouncer.log", b->dir);

    for (attempt = 0; attempt < 5; attempt++) {
        pid_t parent = getpid();
        double deadline = test_now_s() + 15;
        int log_fd, status;
        sigset_t all, old;

        b->port = test_free_port();
        bouncer_write_config(b);
        log_fd = open(b->log, O_WRONLY | O_CREAT | O_TRUNC, 0600);
        if (log_fd < 0)
            test_die("%s: %s", b->log, strerror(errno));
        if (pw && (chown(b->dir, pw->pw_uid, pw->pw_gid) || chown(b->ini, pw->pw_uid, pw->pw_gid) ||
                   chown(b->users, pw->pw_uid, pw->pw_gid) || chmod(b->users, 0600)))
            test_die("handing %s to postgres: %s", b->dir, strerror(errno));

        sigfillset(&all);
        sigprocmask(SIG_BLOCK, &all, &old);
        b->pid = fork();
        if (b->pid == 0) {
            int null = open("/dev/null", O_RDONLY);

            test_child_default_signals();
            dup2(null, 0);
            dup2(log_fd, 1);
            dup2(log_fd, 2);
            if (pw && (initgroups(pw->pw_name, pw->pw_gid) || setgid(pw->pw_gid) ||
                       setuid(pw->pw_uid))) {
                fprintf(stderr, "becoming postgres: %s\n", strerror(errno));
                _exit(127);
            }
            /* After setuid, which clears it. */
            prctl(PR_SET_PDEATHSIG, SIGTERM);
            if (getppid() != parent)
                _exit(127);
            sigprocmask(SIG_SETMASK, &old, NULL);
            execl(pgbouncer_bin, pgbouncer_bin, b->ini, (char *)NULL);
            fprintf(stderr, "exec %s: %s\n", pgbouncer_bin, strerror(errno));
            _exit(127);
        }
        sigprocmask(SIG_SETMASK, &old, NULL);
        close(log_fd);
        if (b->pid < 0)
            test_die("fork: %s", strerror(errno));
        while (test_now_s() < deadline) {
            if (waitpid(b->pid, &status, WNOHANG) == b->pid) {
                char *log = test_read_file(b->log);
                bool taken = strstr(log, "in use") != NULL;

                if (!taken)
                    test_die("pgbouncer exited at start (status %d): %s", status, log);
                free(log);
                b->pid = 0;
                break;
            }
            if (test_port_open(b->port))
                return;
            test_nap_ms(20);
        }
        if (b->pid > 0)
            test_die("pgbouncer did not listen on port %d within 15 s", b->port);
    }
    test_die("pgbouncer found no free port in 5 attempts");
}

static void bouncer_stop(struct bouncer *b)
{
    double deadline = test_now_s() + 10;

    if (b->pid > 0) {
        kill(b->pid, SIGTERM);      /* immediate shutdown */
        while (waitpid(b->pid, NULL, WNOHANG) != b->pid && test_now_s() < deadline)
            test_nap_ms(20);
        if (test_now_s() >= deadline) {
            kill(b->pid, SIGKILL);
            waitpid(b->pid, NULL, 0);
        }
        b->pid = 0;
    }
    unlink(b->ini);
    unlink(b->users);
    unlink(b->log);
    rmdir(b->dir);
}

static void start_transaction_pool(void)
{
    bouncer_start(&bnc, "transaction", POOL_SIZE);
}

static void start_session_pool(void)
{
    bouncer_start(&bnc, "session", POOL_SIZE);
}

static void start_pool_of_one(void)
{
    bouncer_start(&bnc, "transaction", 1);
}

static void stop_pool(void)
{
    bouncer_stop(&bnc);
}

/* The conninfo of database `database` through the pooler (malloc'd). */
static char *via_bouncer(const char *database)
{
    char *user = test_user(), *s;

    ck_assert(asprintf(&s, "host=127.0.0.1 port=%d user=%s dbname=%s", bnc.port, user,
                       database) > 0);
    free(user);
    return s;
}

static PGconn *pooled_connect(const char *database)
{
    char *ci = via_bouncer(database);
    PGconn *c = PQconnectdb(ci);

    ck_assert_msg(PQstatus(c) == CONNECTION_OK, "through pgbouncer: %s", PQerrorMessage(c));
    PQsetNoticeProcessor(c, NULL, NULL);
    free(ci);
    return c;
}

/* pgbouncer's console (simple queries only; no SET). */
static PGconn *console_connect(void)
{
    return pooled_connect("pgbouncer");
}

struct pool_stats {
    int clients;                /* cl_active + cl_waiting */
    int waiting;                /* cl_waiting */
    int servers;                /* every sv_* column */
};

/* SHOW POOLS for the test database (zeros when it has no pool yet). */
static void pool_stats(PGconn *console, struct pool_stats *s)
{
    PGresult *res = PQexec(console, "SHOW POOLS");
    int row, col;

    memset(s, 0, sizeof(*s));
    ck_assert_msg(PQresultStatus(res) == PGRES_TUPLES_OK, "SHOW POOLS: %s",
                  PQerrorMessage(console));
    for (row = 0; row < PQntuples(res); row++) {
        if (strcmp(PQgetvalue(res, row, PQfnumber(res, "database")), db) != 0)
            continue;
        for (col = 0; col < PQnfields(res); col++) {
            const char *name = PQfname(res, col);
            int v = atoi(PQgetvalue(res, row, col));

            if (!strcmp(name, "cl_active") || !strcmp(name, "cl_waiting"))
                s->clients += v;
            if (!strcmp(name, "cl_waiting"))
                s->waiting += v;
            if (!strncmp(name, "sv_", 3))
                s->servers += v;
        }
    }
    PQclear(res);
}

/*
 * Makes pgbouncer drop its (idle) server connections to the test database
 * and waits until they are gone, so that the next ones read the database's
 * settings afresh.
 */
static void reconnect_servers(void)
{
    PGconn *console = console_connect();
    struct pool_stats s;
    double deadline = test_now_s() + 10;
    char sql[96];

    pool_stats(console, &s);
    if (s.servers > 0) {
        snprintf(sql, sizeof(sql), "RECONNECT %s", db);
        test_exec(console, sql);
    }
    while (s.servers > 0 && test_now_s() < deadline) {
        test_nap_ms(20);
        pool_stats(console, &s);
    }
    ck_assert_msg(s.servers == 0, "%d server connections left after RECONNECT", s.servers);
    PQfinish(console);
}

/* --------------------------------------------------------------- helpers */

/* bin [args...] with --database-url url first: options before operands. */
static void run_cmd(const char *bin, const char *url, const char *const args[],
                    struct proc_result *r)
{
    const char *argv[24];

    test_cmd_argv(argv, 24, bin, url, args);
    proc_run(argv, NULL, NULL, r);
}

static void migrate_ok(const char *bin, const char *url)
{
    const char *args[] = { "migrate", NULL };
    struct proc_result r;

    run_cmd(bin, url, args, &r);
    ck_assert_msg(r.status == 0, "%s migrate: %d | %s", bin, r.status, test_flat(r.err));
    proc_result_free(&r);
}

/*
 * Schema `schema` holds a complete chain of n revisions: n tables besides
 * the bookkeeping ones, each once; the version row at head; one 'upgrade'
 * row per revision, no other event, in chain order.
 */
static void assert_chain_applied(const char *schema, int n, const char *head)
{
    char sql[640], want[64];

    snprintf(want, sizeof(want), "%d|%d", n, n);
    snprintf(sql, sizeof(sql), "SELECT count(*), count(DISTINCT relname) FROM pg_class "
             "WHERE relnamespace = '%s'::regnamespace AND relkind = 'r' "
             "AND relname NOT IN ('alembic_version', 'pcs_migrate_history')", schema);
    test_assert_query(conn, sql, want);
    snprintf(sql, sizeof(sql), "SELECT string_agg(version_num, ',') FROM %s.alembic_version",
             schema);
    test_assert_query(conn, sql, head);
    snprintf(sql, sizeof(sql), "SELECT count(*), count(DISTINCT revision) "
             "FROM %s.pcs_migrate_history WHERE event = 'upgrade'", schema);
    test_assert_query(conn, sql, want);
    snprintf(sql, sizeof(sql), "SELECT count(*) FROM %s.pcs_migrate_history "
             "WHERE event <> 'upgrade'", schema);
    test_assert_query(conn, sql, "0");
    snprintf(sql, sizeof(sql), "SELECT count(*) FROM (SELECT parents[1] AS parent, "
             "lag(revision) OVER (ORDER BY id) AS prev FROM %s.pcs_migrate_history) s "
             "WHERE prev IS NOT NULL AND parent IS DISTINCT FROM prev", schema);
    test_assert_query(conn, sql, "0");
}

/* What a group of runners saw, and what the pool looked like meanwhile. */
struct group_result {
    int applied, idle, samples;
    int max_clients, max_servers, max_backends;
};

/*
 * Runs n argv lists at once (released through a gate) while sampling, on
 * the direct connection, that nobody blocks in an advisory lock and how
 * many server backends the database has, and on the console how many
 * clients and servers the pool has.  Every runner must exit 0.
 */
static void run_group(const char *const *const argvs[], int n, double timeout_s,
                      struct group_result *g)
{
    struct proc_bg b[2 * RUNNERS];
    PGconn *console = console_connect();
    int gate[2], i;
    double deadline;
    bool all_done;

    ck_assert_int_le(n, 2 * RUNNERS);
    memset(g, 0, sizeof(*g));
    ck_assert_int_eq(pipe(gate), 0);
    for (i = 0; i < n; i++)
        proc_start(&b[i], argvs[i], NULL, gate);
    close(gate[0]);
    close(gate[1]);     /* go */

    deadline = test_now_s() + timeout_s;
    do {
        char *waiting = test_query(conn, "SELECT count(*) FROM pg_locks "
                                         "WHERE locktype = 'advisory' AND NOT granted "
                                         "AND database = " THIS_DB);
        char *backends = test_query(conn, "SELECT count(*) FROM pg_stat_activity "
                                          "WHERE datname = current_database() "
                                          "AND backend_type = 'client backend' "
                                          "AND pid <> pg_backend_pid()");
        struct pool_stats s;

        ck_assert_msg(!strcmp(waiting, "0"), "%s sessions blocked on an advisory lock",
                      waiting);
        if (atoi(backends) > g->max_backends)
            g->max_backends = atoi(backends);
        free(waiting);
        free(backends);
        pool_stats(console, &s);
        if (s.clients > g->max_clients)
            g->max_clients = s.clients;
        if (s.servers > g->max_servers)
            g->max_servers = s.servers;
        g->samples++;
        all_done = true;
        for (i = 0; i < n; i++)
            all_done &= proc_done(&b[i]);
        if (!all_done)
            test_nap_ms(5);
    } while (!all_done && test_now_s() < deadline);

    for (i = 0; i < n; i++) {
        struct proc_result r;

        proc_wait(&b[i], 1, &r);
        ck_assert_msg(r.status == 0, "runner %d: exit %d | %s", i, r.status, test_flat(r.err));
        g->applied += strstr(r.err, ": now at: ") != NULL;
        g->idle += strstr(r.err, ": nothing to do, at: ") != NULL;
        proc_result_free(&r);
    }
    PQfinish(console);
}

/* ------------------------------------------------------------- races */

/*
 * RUNNERS copies of `chain1000 migrate` (_i = 0: one transaction; _i = 1:
 * --transaction-per-migration) released at once through the pooler on a
 * fresh database: all exit 0, each revision applied exactly once and in
 * chain order, the version table at head, nobody ever blocked in
 * pg_advisory_lock, and the pool really shared: at most POOL_SIZE server
 * connections for more clients than that.
 */
START_TEST(test_race_chain1000)
{
    const char *flag = _i ? "--transaction-per-migration" : "--lock-timeout=120";
    char *url = via_bouncer(db), *head = test_rev_id("chain1000", "head");
    const char *argv[] = { test_bin("chain1000"), "migrate", "--database-url", url, flag, NULL };
    const char *const *argvs[RUNNERS];
    struct group_result g;
    double t0 = test_now_s();
    int i;

    for (i = 0; i < RUNNERS; i++)
        argvs[i] = argv;
    run_group(argvs, RUNNERS, 240, &g);
    ck_assert_msg(_i ? g.applied >= 1 && g.applied + g.idle == RUNNERS
                     : g.applied == 1 && g.idle == RUNNERS - 1,
                  "%d runners applied, %d idle", g.applied, g.idle);
    assert_chain_applied("public", 1000, head);
    ck_assert_msg(g.max_servers <= bnc.pool_size && g.max_backends <= bnc.pool_size,
                  "%d server connections (%d backends) for a pool of %d", g.max_servers,
                  g.max_backends, bnc.pool_size);
    ck_assert_msg(g.max_clients > bnc.pool_size, "at most %d clients at once: the pool of %d "
                  "was never shared", g.max_clients, bnc.pool_size);
    figure("pgbouncer %s pool of %d, %s: %d runners (%d applied, %d found nothing to do), "
           "1000 revisions checked once each and in order; at most %d clients on %d server "
           "connections (%d samples), %.1f s", bnc.mode, bnc.pool_size,
           _i ? "--transaction-per-migration" : "one transaction", RUNNERS, g.applied, g.idle,
           g.max_clients, g.max_servers, g.samples, test_now_s() - t0);
    free(url);
    free(head);
}
END_TEST

/*
 * --schema through the pooler while other clients share it: RUNNERS/2
 * runners in each of two schemas at once, on server connections that a
 * third client has left with search_path = pcsm_decoy (a session SET,
 * which a transaction pooler hands on to whoever gets the connection
 * next).  Each schema gets its chain and nothing else does: not the
 * other schema, not public, not the decoy.
 */
START_TEST(test_schema_runs_share_the_pool)
{
    char *url = via_bouncer(db), *head = test_rev_id("chain1000", "head");
    const char *a[] = { test_bin("chain1000"), "migrate", "--database-url", url,
                        "--schema", "pcsm_a", "--lock-timeout=120", NULL };
    const char *b[] = { test_bin("chain1000"), "migrate", "--database-url", url,
                        "--schema", "pcsm_b", "--transaction-per-migration", NULL };
    const char *const *argvs[RUNNERS];
    PGconn *polluters[POOL_SIZE], *probe;
    struct group_result g;
    char *pids[POOL_SIZE], *path;
    int i, distinct = 0;
    double t0 = test_now_s();

    test_exec(conn, "CREATE SCHEMA pcsm_decoy");
    /* POOL_SIZE transactions open at once hold every server connection. */
    for (i = 0; i < POOL_SIZE; i++) {
        polluters[i] = pooled_connect(db);
        test_exec(polluters[i], "BEGIN");
        test_exec(polluters[i], "SET search_path TO pcsm_decoy");
        pids[i] = test_query(polluters[i], "SELECT pg_backend_pid()");
    }
    for (i = 0; i < POOL_SIZE; i++) {
        int k;
        bool seen = false;

        for (k = 0; k < i; k++)
            seen |= !strcmp(pids[k], pids[i]);
        distinct += !seen;
        test_exec(polluters[i], "COMMIT");
        PQfinish(polluters[i]);
    }
    for (i = 0; i < POOL_SIZE; i++)
        free(pids[i]);
    ck_assert_int_eq(distinct, POOL_SIZE);
    /* What a newcomer gets: the leaked setting (transaction pool), or a clean one. */
    probe = pooled_connect(db);
    path = test_query(probe, "SELECT current_schema()");
    PQfinish(probe);
    ck_assert_str_eq(path, !strcmp(bnc.mode, "transaction") ? "pcsm_decoy" : "public");

    for (i = 0; i < RUNNERS; i++)
        argvs[i] = i % 2 ? b : a;
    run_group(argvs, RUNNERS, 240, &g);
    assert_chain_applied("pcsm_a", 1000, head);
    assert_chain_applied("pcsm_b", 1000, head);
    test_assert_query(conn, "SELECT count(*) FROM pg_class WHERE relnamespace IN "
                       "('public'::regnamespace, 'pcsm_decoy'::regnamespace)", "0");
    test_assert_query(conn, "SELECT string_agg(nspname, ',' ORDER BY nspname) FROM pg_namespace "
                       "WHERE nspname NOT LIKE 'pg\\_%' AND nspname <> 'information_schema'",
                 "pcsm_a,pcsm_b,pcsm_decoy,public");
    ck_assert_msg(g.max_servers <= bnc.pool_size, "%d server connections for a pool of %d",
                  g.max_servers, bnc.pool_size);
    figure("pgbouncer %s pool of %d, --schema: %d runners in 2 schemas (%d applied), "
           "search_path pcsm_decoy SET on %d server connections (a newcomer then saw %s), "
           "2 x 1000 revisions checked, nothing in public or the decoy, %.1f s",
           bnc.mode, bnc.pool_size, RUNNERS, g.applied, distinct, path, test_now_s() - t0);
    free(path);
    free(url);
    free(head);
}
END_TEST

/*
 * A nontransactional revision (CREATE INDEX CONCURRENTLY) runs on a second
 * connection while the first holds the lock: with fewer runners than the
 * pool has server connections, one is always free for it.  Waiters poll
 * in transactions of their own that end before each wait: CREATE INDEX
 * CONCURRENTLY waits for every transaction that had a snapshot when it
 * looked (a waiter caught mid-poll), and through a transaction pooler a
 * sleeping waiter must not keep a server connection.
 */
static void nontransactional_race(int runners)
{
    char *url = via_bouncer(db), *head = test_rev_id("concurrent", "head");
    const char *argv[] = { test_bin("concurrent"), "migrate", "--database-url", url,
                           "--lock-timeout=60", NULL };
    const char *const *argvs[RUNNERS];
    struct group_result g;
    double t0 = test_now_s();
    int i;

    for (i = 0; i < runners; i++)
        argvs[i] = argv;
    run_group(argvs, runners, 120, &g);
    /* The lock is let go between the transactions: runners may take turns. */
    ck_assert_msg(g.applied >= 1 && g.applied + g.idle == runners, "%d applied, %d idle",
                  g.applied, g.idle);
    test_assert_query(conn, "SELECT string_agg(version_num, ',') FROM alembic_version", head);
    test_assert_query(conn, "SELECT indisvalid FROM pg_index "
                       "WHERE indexrelid = 'ux_accounts_email'::regclass", "t");
    test_assert_query(conn, "SELECT string_agg(revision || ':' || event, ',' ORDER BY id) "
                       "FROM pcs_migrate_history",
                 "g10000000001:upgrade,g10000000002:started,g10000000002:upgrade,"
                 "g10000000003:upgrade");
    figure("pgbouncer %s pool of %d, nontransactional revision: %d runners, done in %.1f s",
           bnc.mode, bnc.pool_size, runners, test_now_s() - t0);
    free(url);
    free(head);
}

START_TEST(test_nontransactional_fewer_runners_than_servers)
{
    nontransactional_race(POOL_SIZE - 1);
}
END_TEST

/*
 * A nontransactional revision with --schema while other clients share the
 * pool, and a decoy accounts table in public: each statement of the second
 * connection may get another server connection, so the index build must
 * name its table's schema, and no session setting of the run may reach the
 * other clients.  Ten rounds of migrate and downgrade; the other clients
 * report their search_path and statement_timeout all along.
 */
START_TEST(test_nontransactional_schema_among_other_clients)
{
    char *url = via_bouncer(db), *sh, *seen;
    const char *up[] = { test_bin("concurrent"), "migrate", "--database-url", url,
                         "--schema", "s1", "--statement-timeout", "30", NULL };
    const char *down[] = { test_bin("concurrent"), "downgrade", "--database-url", url,
                           "--schema", "s1", "g10000000001", NULL };
    struct proc_bg busy[2];
    struct proc_result r;
    int round, i;

    test_exec(conn, "CREATE TABLE public.accounts (id int, email text)");
    ck_assert(asprintf(&sh, "for i in $(seq 1500); do echo \"SELECT 'seen', "
                            "current_setting('search_path'), "
                            "current_setting('statement_timeout'), pg_sleep(0.002);\"; done "
                            "| psql -X -A -t -q '%s'", url) > 0);
    for (i = 0; i < 2; i++) {
        const char *argv[] = { "sh", "-c", sh, NULL };

        proc_start(&busy[i], argv, NULL, NULL);
    }
    for (round = 0; round < 10; round++) {
        proc_run(up, NULL, NULL, &r);
        ck_assert_msg(r.status == 0, "round %d: exit %d | %s", round, r.status,
                      test_flat(r.err));
        proc_result_free(&r);
        test_assert_query(conn, "SELECT c.relnamespace::regnamespace::text || '.' || "
                                "i.indrelid::regclass::text FROM pg_index i JOIN pg_class c "
                                "ON c.oid = i.indexrelid WHERE c.relname = 'ux_accounts_email'",
                          "s1.s1.accounts");
        proc_run(down, NULL, NULL, &r);
        ck_assert_msg(r.status == 0, "round %d down: exit %d | %s", round, r.status,
                      test_flat(r.err));
        proc_result_free(&r);
    }
    seen = NULL;
    for (i = 0; i < 2; i++) {
        proc_wait(&busy[i], 120, &r);
        ck_assert_msg(r.status == 0, "busy client: exit %d | %s", r.status, test_flat(r.err));
        ck_assert_msg(strstr(r.out, "seen|") != NULL, "busy client saw nothing: %s",
                      test_flat(r.err));
        /* Every line the server's default: no s1, no 30 s timeout. */
        seen = strstr(r.out, "s1");
        ck_assert_msg(!seen && !strstr(r.out, "|30s|"), "a setting of the run leaked: %s",
                      test_tail(r.out, 300));
        proc_result_free(&r);
    }
    test_assert_query(conn, "SELECT count(*) FROM pg_indexes WHERE tablename = 'accounts' "
                            "AND schemaname = 'public'", "0");
    free(sh);
    free(url);
}
END_TEST

/*
 * The same with more runners than server connections.  Transaction
 * pooling only: in session pooling each waiting runner keeps its server
 * connection for its whole session (docs/commands.md); in transaction
 * pooling, today, for as long as it polls inside its transaction.
 */
START_TEST(test_nontransactional_more_runners_than_servers)
{
    nontransactional_race(RUNNERS);
}
END_TEST

/* -------------------------------------------------- single runs */

/*
 * At head: "nothing to do", exit 0 at once, through the pooler, even with
 * the migration lock held elsewhere (the up-to-date check takes none).
 */
START_TEST(test_noop_at_head)
{
    char *url = via_bouncer(db);
    const char *args[] = { "migrate", NULL };
    PGconn *holder = test_connect(db);
    struct proc_result r;
    double t0;

    migrate_ok("linear", url);
    test_exec(holder, "SELECT pg_advisory_lock(" LOCK_KEY ")");
    t0 = test_now_s();
    run_cmd("linear", url, args, &r);
    ck_assert_msg(r.status == 0, "exit %d | %s", r.status, test_flat(r.err));
    ck_assert_msg(test_now_s() - t0 < 10, "took %.1f s", test_now_s() - t0);
    assert_has(r.err, "nothing to do", "stderr");
    ck_assert_ptr_null(strstr(r.err, "waiting for the migration lock"));
    assert_has(r.out, "a10000000005", "stdout");
    test_assert_query(conn, "SELECT count(*) FROM pcs_migrate_history", "5");
    figure("pgbouncer %s pool: no-op run at head in %.2f s with the lock held elsewhere",
           bnc.mode, test_now_s() - t0);
    proc_result_free(&r);
    PQfinish(holder);
    free(url);
}
END_TEST

/*
 * A failing migration through the pooler: exit 1, and the database as it
 * was, on a fresh database (no trace at all) and on one part-way along
 * (same schema objects and version, one 'failed' history row).
 */
START_TEST(test_failing_changes_nothing)
{
    char *url = via_bouncer(db), *before, *after;
    const char *migrate[] = { "migrate", NULL };
    const char *to2[] = { "upgrade", "f10000000002", NULL };
    struct proc_result r;

    run_cmd("failing", url, migrate, &r);
    ck_assert_msg(r.status == 1, "exit %d | %s", r.status, test_flat(r.err));
    assert_has(r.err, "division by zero", "stderr");
    proc_result_free(&r);
    after = test_catalog_snapshot(conn, NULL);
    ck_assert_msg(!*after, "a failed first run left: %s", test_flat(after));
    free(after);

    run_cmd("failing", url, to2, &r);
    ck_assert_msg(r.status == 0, "exit %d | %s", r.status, test_flat(r.err));
    proc_result_free(&r);
    before = test_catalog_snapshot(conn, NULL);
    run_cmd("failing", url, migrate, &r);
    ck_assert_msg(r.status == 1, "exit %d | %s", r.status, test_flat(r.err));
    proc_result_free(&r);
    after = test_catalog_snapshot(conn, NULL);
    ck_assert_str_eq(after, before);
    test_assert_query(conn, "SELECT string_agg(version_num, ',') FROM alembic_version",
                 "f10000000002");
    test_assert_query(conn, "SELECT string_agg(revision || ':' || event, ',' ORDER BY id) "
                       "FROM pcs_migrate_history",
                 "f10000000001:upgrade,f10000000002:upgrade,f10000000003:failed");
    figure("pgbouncer %s pool: failing revision, exit 1 twice, schema unchanged", bnc.mode);
    free(before);
    free(after);
    free(url);
}
END_TEST

/* ---------------------------------------------------------- kills */

static const char sleeping_sql[] =
    "SELECT pid FROM pg_stat_activity WHERE datname = current_database() "
    "AND state = 'active' AND query LIKE 'SELECT pg_sleep%' AND pid <> pg_backend_pid()";

/* No transaction open in the database, no advisory lock held (autovacuum aside). */
static void await_quiet(double timeout_s)
{
    ck_assert_msg(test_await_value(conn, "SELECT count(*) FROM pg_stat_activity "
                                    "WHERE datname = current_database() "
                                    "AND backend_type = 'client backend' "
                                    "AND pid <> pg_backend_pid() AND state <> 'idle'",
                              "0", timeout_s), "a backend is still busy");
    test_assert_query(conn, "SELECT count(*) FROM pg_locks WHERE locktype = 'advisory' "
                       "AND database = " THIS_DB, "0");
}

/*
 * The sleeping revision, run through the pooler: SIGTERM (the cancel
 * request goes through pgbouncer) ends it in seconds with 143, SIGKILL
 * leaves the server to roll back; either way the database is as it was,
 * and a re-run reaches head.  The sleep comes from a database setting,
 * which server connections read when they start: hence RECONNECT.
 */
START_TEST(test_signals_roll_back)
{
    char *url = via_bouncer(db), *backend, sql[160], *snapshot;
    const char *argv[] = { test_bin("sleepy"), "migrate", "--database-url", url, NULL };
    static const int signals[] = { SIGTERM, SIGKILL };
    static const char *const sleeps[] = { "20", "3" };
    size_t k;

    for (k = 0; k < 2; k++) {
        struct proc_result r;
        struct proc_bg b;
        double t0;

        snprintf(sql, sizeof(sql), "ALTER DATABASE \"%s\" SET pcsm_test.sleep = '%s'", db,
                 sleeps[k]);
        test_exec(conn, sql);
        reconnect_servers();
        proc_start(&b, argv, NULL, NULL);
        backend = NULL;
        for (t0 = test_now_s(); !backend && test_now_s() - t0 < 15; test_nap_ms(20)) {
            char *v = test_query(conn, sleeping_sql);

            if (*v)
                backend = v;
            else
                free(v);
        }
        ck_assert_msg(backend != NULL, "the sleeping revision never ran");
        t0 = test_now_s();
        kill(b.pid, signals[k]);
        proc_wait(&b, 15, &r);
        ck_assert_int_eq(r.status, k ? 128 + SIGKILL : 143);
        if (!k) {
            ck_assert_msg(test_now_s() - t0 < 5, "took %.1f s after SIGTERM", test_now_s() - t0);
            assert_has(r.err, "canceling statement", "stderr");
        }
        await_quiet(20);
        snapshot = test_catalog_snapshot(conn, NULL);
        ck_assert_msg(!*snapshot, "after signal %d: %s", signals[k], test_flat(snapshot));
        free(snapshot);
        proc_result_free(&r);
        free(backend);
    }
    snprintf(sql, sizeof(sql), "ALTER DATABASE \"%s\" SET pcsm_test.sleep = '0'", db);
    test_exec(conn, sql);
    reconnect_servers();
    migrate_ok("sleepy", url);
    test_assert_query(conn, "SELECT string_agg(version_num, ',') FROM alembic_version",
                 "d10000000002");
    test_assert_query(conn, "SELECT string_agg(relname, ',' ORDER BY relname) FROM pg_class "
                       "WHERE relnamespace = 'public'::regnamespace AND relkind = 'r'",
                 "alembic_version,pcs_migrate_history,s1,s2,s3");
    figure("pgbouncer %s pool: SIGTERM and SIGKILL in a sleeping revision rolled back, "
           "re-run at head", bnc.mode);
    free(url);
}
END_TEST

/*
 * Tables t_0001..t_N and nothing past them, one 'upgrade' row each, the
 * version row at the last (none when N = 0).  Returns N.
 */
static int assert_chain_consistent(void)
{
    char *v = test_query(conn, "SELECT count(*), coalesce(max(substr(relname, 3)::int), 0) "
                               "FROM pg_class WHERE relnamespace = 'public'::regnamespace "
                               "AND relkind = 'r' AND relname ~ '^t_[0-9]+$'");
    int count = -1, max = -2;
    char want[64];

    ck_assert_int_eq(sscanf(v, "%d|%d", &count, &max), 2);
    ck_assert_msg(count == max, "tables: %d, the last is t_%d", count, max);
    free(v);
    v = test_query(conn, "SELECT to_regclass('alembic_version') IS NOT NULL");
    if (!strcmp(v, "f")) {
        ck_assert_int_eq(count, 0);
        free(v);
        return 0;
    }
    free(v);
    snprintf(want, sizeof(want), "%d|%d", count, count);
    test_assert_query(conn, "SELECT count(*), count(DISTINCT revision) FROM pcs_migrate_history "
                       "WHERE event = 'upgrade'", want);
    test_assert_query(conn, "SELECT (SELECT coalesce(string_agg(version_num, ','), '') "
                       "        FROM alembic_version) = "
                       "       coalesce((SELECT revision FROM pcs_migrate_history "
                       "                 WHERE event = 'upgrade' ORDER BY id DESC LIMIT 1), '')",
                 "t");
    return count;
}

/*
 * SIGTERM and SIGKILL by turns at delays spread over a chain1000 run
 * through the pooler, per migration (_i = 0) or in one transaction
 * (_i = 1): after each, the version table agrees with the catalog; a last
 * run completes the chain.
 */
START_TEST(test_kill_at_any_moment)
{
    static const long delays_ms[] = { 0, 10, 40, 120, 300, 700, 1500, 3000 };
    char *url = via_bouncer(db);
    const char *argv[] = { test_bin("chain1000"), "migrate", "--database-url", url,
                           _i ? NULL : "--transaction-per-migration", NULL };
    int n = 0, progress = 0, completed = 0;
    char trail[256] = "";
    size_t k;

    for (k = 0; k < sizeof(delays_ms) / sizeof(delays_ms[0]); k++) {
        int sig = k % 2 ? SIGKILL : SIGTERM;
        struct proc_result r;
        struct proc_bg b;

        proc_start(&b, argv, NULL, NULL);
        test_nap_ms(delays_ms[k]);
        kill(b.pid, sig);
        proc_wait(&b, 30, &r);
        ck_assert_msg(r.status == 0 || r.status == 128 + sig,
                      "signal %d after %ld ms: exit %d | %s", sig, delays_ms[k], r.status,
                      test_flat(r.err));
        completed += r.status == 0;
        proc_result_free(&r);
        await_quiet(30);
        n = assert_chain_consistent();
        ck_assert_msg(n >= progress, "went back from %d to %d tables", progress, n);
        ck_assert_msg(_i == 0 || n == 0 || n == 1000, "%d tables after one transaction", n);
        progress = n;
        snprintf(trail + strlen(trail), sizeof(trail) - strlen(trail), "%s%d", k ? " " : "", n);
    }
    migrate_ok("chain1000", url);
    ck_assert_int_eq(assert_chain_consistent(), 1000);
    figure("pgbouncer %s pool, %s: %zu kills (SIGTERM/SIGKILL by turns), tables after each: "
           "%s; re-run at 1000", bnc.mode, _i ? "one transaction" : "per migration",
           sizeof(delays_ms) / sizeof(delays_ms[0]), trail);
    free(url);
}
END_TEST

/* ------------------------------------------------- why a session lock fails */

/*
 * Documented pgbouncer behaviour, with a pool of ONE server connection in
 * transaction mode (so both clients certainly share it): a session-level
 * advisory lock taken by client A stays on the server connection when A's
 * transaction ends, so client B's transactions "hold" it too, B can take
 * it again (both believe they hold the lock) and release it; session
 * settings leak the same way.  A transaction-scoped lock cannot be seen
 * by anyone else: B waits for the server connection until A's transaction
 * ends, and the lock ends with it.
 */
START_TEST(test_session_lock_unsafe_through_transaction_pool)
{
    PGconn *a = pooled_connect(db), *b = pooled_connect(db), *direct = test_connect(db);
    PGconn *console = console_connect();
    char *pid_a = test_query(a, "SELECT pg_backend_pid()");
    char *pid_b = test_query(b, "SELECT pg_backend_pid()");
    struct pool_stats s;
    PGresult *res;
    double deadline;

    ck_assert_str_eq(pid_a, pid_b);     /* one server connection for both */

    /* A takes a session lock; it is really held on the server. */
    test_assert_query(a, "SELECT pg_try_advisory_lock(" LOCK_KEY ")", "t");
    test_assert_query(direct, "SELECT pg_try_advisory_lock(" LOCK_KEY ")", "f");
    /* B's transaction runs in the session that holds it... */
    test_assert_query(b, "SELECT count(*) FROM pg_locks WHERE locktype = 'advisory' AND granted "
                    "AND pid = pg_backend_pid()", "1");
    /* ...so B "acquires" it while A holds it: mutual exclusion is gone. */
    test_exec(b, "BEGIN");
    test_assert_query(b, "SELECT pg_try_advisory_lock(" LOCK_KEY ")", "t");
    test_exec(b, "COMMIT");
    /* And B can release what A took. */
    test_assert_query(b, "SELECT pg_advisory_unlock(" LOCK_KEY ")", "t");
    test_assert_query(b, "SELECT pg_advisory_unlock(" LOCK_KEY ")", "t");
    test_assert_query(direct, "SELECT pg_try_advisory_lock(" LOCK_KEY ")", "t");
    test_exec(direct, "SELECT pg_advisory_unlock_all()");

    /* Session settings leak alike (pcs-migrate only uses SET LOCAL). */
    test_exec(a, "SET lock_timeout = '4321ms'");
    test_assert_query(b, "SHOW lock_timeout", "4321ms");
    test_exec(b, "RESET lock_timeout");

    /* The transaction-scoped lock: B cannot even run until A's transaction ends. */
    test_exec(a, "BEGIN");
    test_assert_query(a, "SELECT pg_try_advisory_xact_lock(" LOCK_KEY ")", "t");
    test_assert_query(direct, "SELECT pg_try_advisory_xact_lock(" LOCK_KEY ")", "f");
    ck_assert(PQsendQuery(b, "SELECT pg_try_advisory_xact_lock(" LOCK_KEY ")"));
    deadline = test_now_s() + 10;
    do {
        pool_stats(console, &s);
        if (s.waiting < 1)
            test_nap_ms(20);
    } while (s.waiting < 1 && test_now_s() < deadline);
    ck_assert_msg(s.waiting == 1, "%d clients waiting for a server connection", s.waiting);
    ck_assert(PQconsumeInput(b));
    ck_assert_msg(PQisBusy(b), "B got an answer while A's transaction held the connection");
    test_exec(a, "COMMIT");
    res = PQgetResult(b);
    ck_assert_int_eq(PQresultStatus(res), PGRES_TUPLES_OK);
    ck_assert_str_eq(PQgetvalue(res, 0, 0), "t");   /* free: it ended with A's transaction */
    PQclear(res);
    ck_assert_ptr_null(PQgetResult(b));
    test_assert_query(direct, "SELECT count(*) FROM pg_locks WHERE locktype = 'advisory' "
                         "AND database = " THIS_DB, "0");
    figure("pgbouncer transaction pool of 1: client B shared server pid %s with A, saw A's "
           "session lock as its own, took and released it; A's transaction lock made B wait "
           "and ended with A's COMMIT", pid_a);
    PQfinish(a);
    PQfinish(b);
    PQfinish(direct);
    PQfinish(console);
    free(pid_a);
    free(pid_b);
}
END_TEST

/* ----------------------------------------------------------------- main */

/*
 * Without --schema, a run takes the role's and database's search_path, not
 * the one another client left on the pooled server connection: with one
 * server connection, A's session SET is what every later transaction on it
 * would see.  The decoy holds a version table at head, so that the
 * up-to-date check (one query, no lock) would find nothing to do if it
 * read the decoy's.
 */
START_TEST(test_default_search_path_through_transaction_pool)
{
    PGconn *a = pooled_connect(db);
    char *url = via_bouncer(db), *head = test_rev_id("linear", "head");
    char decoy_head[128];

    test_exec(conn, "CREATE SCHEMA pcsm_decoy");
    test_exec(conn, "CREATE TABLE pcsm_decoy.alembic_version (version_num varchar(32))");
    snprintf(decoy_head, sizeof(decoy_head),
             "INSERT INTO pcsm_decoy.alembic_version VALUES ('%s')", head);
    test_exec(conn, decoy_head);
    test_exec(a, "SET search_path TO pcsm_decoy");
    test_assert_query(a, "SELECT current_schema()", "pcsm_decoy");
    migrate_ok("linear", url);
    /* A's setting is still there for A... */
    test_assert_query(a, "SELECT current_schema()", "pcsm_decoy");
    /* ...but the run went to public, version table and all. */
    test_assert_query(conn, "SELECT string_agg(relname, ',') FROM pg_class WHERE relnamespace = "
                       "'pcsm_decoy'::regnamespace", "alembic_version");
    test_assert_query(conn, "SELECT string_agg(version_num, ',') FROM public.alembic_version", head);
    figure("pgbouncer transaction pool of 1: a run without --schema on a server connection "
           "left at search_path pcsm_decoy went to public (version %s), nothing in the decoy",
           head);
    PQfinish(a);
    free(url);
    free(head);
}
END_TEST

static void add_pool_case(Suite *s, const char *name, void (*start)(void), bool transaction)
{
    TCase *tc = tcase_create(name);

    tcase_add_unchecked_fixture(tc, start, stop_pool);
    test_fresh_db_fixture(tc, db, sizeof(db), &conn, NULL);
    tcase_set_timeout(tc, 300);
    tcase_add_loop_test(tc, test_race_chain1000, 0, 2);
    tcase_add_test(tc, test_schema_runs_share_the_pool);
    tcase_add_test(tc, test_nontransactional_fewer_runners_than_servers);
    tcase_add_test(tc, test_nontransactional_schema_among_other_clients);
    if (transaction)
        tcase_add_test(tc, test_nontransactional_more_runners_than_servers);
    tcase_add_test(tc, test_noop_at_head);
    tcase_add_test(tc, test_failing_changes_nothing);
    tcase_add_test(tc, test_signals_roll_back);
    tcase_add_loop_test(tc, test_kill_at_any_moment, 0, 2);
    suite_add_tcase(s, tc);
}

static Suite *pgbouncer_suite(void)
{
    Suite *s = suite_create("pgbouncer");
    TCase *one = tcase_create("pool_of_one");

    add_pool_case(s, "transaction_pool", start_transaction_pool, true);
    add_pool_case(s, "session_pool", start_session_pool, false);

    tcase_add_unchecked_fixture(one, start_pool_of_one, stop_pool);
    test_fresh_db_fixture(one, db, sizeof(db), &conn, NULL);
    tcase_set_timeout(one, 60);
    tcase_add_test(one, test_session_lock_unsafe_through_transaction_pool);
    tcase_add_test(one, test_default_search_path_through_transaction_pool);
    suite_add_tcase(s, one);
    return s;
}

int main(void)
{
    const char *argv[3];
    struct proc_result r;
    bool installed;

    test_require_db();
    pgbouncer_bin = test_pgbouncer_bin(&installed);
    if (!installed) {
        printf("1..0 # SKIP %s not installed\n", pgbouncer_bin);
        return 0;
    }
    argv[0] = pgbouncer_bin;
    argv[1] = "--version";
    argv[2] = NULL;
    proc_run(argv, NULL, NULL, &r);
    figure("%.*s, %d runners, pools of %d server connections, modes transaction and session",
           (int)strcspn(r.out, "\n"), r.out, RUNNERS, POOL_SIZE);
    proc_result_free(&r);
    return test_run_suite(pgbouncer_suite());
}
