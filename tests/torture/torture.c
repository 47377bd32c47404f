/*
 * Torture test plumbing (see torture.h): figures, the random source, and
 * the private cluster with the guardian process that stops it and removes
 * its directory when the test process ends, even by SIGKILL.
 */
#define _GNU_SOURCE /* asprintf */
#include <errno.h>
#include <fcntl.h>
#include <glob.h>
#include <pwd.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "torture.h"

void torture_note(const char *fmt, ...)
{
    va_list ap;

    fputs("# ", stdout);
    va_start(ap, fmt);
    vprintf(fmt, ap);
    va_end(ap);
    putchar('\n');
    fflush(stdout);
}

void torture_seed(const char *name)
{
    const char *env = getenv("PCSM_TORTURE_SEED");
    unsigned long seed;

    if (env && *env) {
        seed = strtoul(env, NULL, 10);
    } else {
        struct timespec ts;

        clock_gettime(CLOCK_REALTIME, &ts);
        seed = ((unsigned long)ts.tv_nsec ^ (unsigned long)getpid() * 2654435761UL) % 1000000007UL;
    }
    srand48((long)seed);
    torture_note("%s: random seed %lu (PCSM_TORTURE_SEED=%lu replays it)", name, seed, seed);
}

double torture_random(void)
{
    return drand48();
}

int torture_count(const char *var, int def)
{
    const char *v = getenv(var);
    int n = v && *v ? atoi(v) : def;

    return n > 0 ? n : def;
}

const char *torture_sanitizer(void)
{
    const char *v = getenv("PCSM_TEST_SANITIZE");

    return v && *v && strcmp(v, "none") != 0 ? v : NULL;
}

/* ------------------------------------------------------ private cluster */

/* No private cluster possible: a skip, unless integration tests are required. */
static void cannot_start(const char *why)
{
    if (getenv("PCSM_TEST_REQUIRE_DB"))
        test_die("%s", why);
    printf("1..0 # SKIP %s\n", why);
    exit(0);
}

static struct {
    bool running;
    pid_t owner;                /* the process that started it: only it stops it */
    pid_t guardian;
    int guard_fd;               /* the guardian watches for this pipe's EOF */
    bool as_postgres;           /* running as root: the server runs as postgres */
    char bindir[512];
    char base[128];             /* temporary directory: the socket, the log */
    char data[160];
    char log[160];
    char port[16];
} cl = { .guard_fd = -1 };

static bool has_server(const char *dir)
{
    static const char *const progs[] = { "initdb", "pg_ctl", "postgres" };
    char path[600];
    size_t i;

    for (i = 0; i < 3; i++) {
        snprintf(path, sizeof(path), "%s/%s", dir, progs[i]);
        if (access(path, X_OK) != 0)
            return false;
    }
    return true;
}

/*
 * The server's programs: PCSM_TEST_PG_BINDIR, pg_config --bindir, PATH,
 * then Debian's /usr/lib/postgresql/<version>/bin (newest first).
 */
static void find_bindir(void)
{
    const char *env = getenv("PCSM_TEST_PG_BINDIR");
    const char *argv[] = { "pg_config", "--bindir", NULL };
    struct proc_result r;
    char *path, *save = NULL, *dir;
    glob_t g;

    if (env && has_server(env)) {
        snprintf(cl.bindir, sizeof(cl.bindir), "%s", env);
        return;
    }
    proc_run(argv, NULL, NULL, &r);
    r.out[strcspn(r.out, "\n")] = '\0';
    if (r.status == 0 && has_server(r.out)) {
        snprintf(cl.bindir, sizeof(cl.bindir), "%s", r.out);
        proc_result_free(&r);
        return;
    }
    proc_result_free(&r);
    path = strdup(getenv("PATH") ? getenv("PATH") : "");
    for (dir = strtok_r(path, ":", &save); dir; dir = strtok_r(NULL, ":", &save))
        if (has_server(dir)) {
            snprintf(cl.bindir, sizeof(cl.bindir), "%s", dir);
            free(path);
            return;
        }
    free(path);
    if (glob("/usr/lib/postgresql/*/bin", 0, NULL, &g) == 0) {
        for (size_t i = g.gl_pathc; i-- > 0;)
            if (has_server(g.gl_pathv[i])) {
                snprintf(cl.bindir, sizeof(cl.bindir), "%s", g.gl_pathv[i]);
                globfree(&g);
                return;
            }
        globfree(&g);
    }
    cannot_start("no PostgreSQL server programs (initdb, pg_ctl, postgres) found: set "
                 "PCSM_TEST_PG_BINDIR, or install the postgresql package");
}

/*
 * argv for a server program: as root through runuser, from "/" (the
 * postgres user may not be allowed into the current directory).
 */
static void server_argv(const char *prog, const char *const args[], const char **argv,
                        size_t max, char *path, size_t path_size)
{
    size_t n = 0, i;

    snprintf(path, path_size, "%s/%s", cl.bindir, prog);
    if (cl.as_postgres) {
        static const char *const wrap[] = { "-u", "postgres", "--", "/bin/sh", "-c",
                                            "cd / && exec \"$0\" \"$@\"" };

        /* util-linux's, in /usr/sbin: not on every PATH. */
        argv[n++] = access("/usr/sbin/runuser", X_OK) == 0 ? "/usr/sbin/runuser" : "runuser";
        for (i = 0; i < sizeof(wrap) / sizeof(wrap[0]); i++)
            argv[n++] = wrap[i];
    }
    argv[n++] = path;
    for (i = 0; args[i] && n + 1 < max; i++)
        argv[n++] = args[i];
    argv[n] = NULL;
}

static char *log_tail(void)
{
    FILE *f = fopen(cl.log, "r");
    static char tail[4096];
    long size;
    size_t n;

    tail[0] = '\0';
    if (!f)
        return tail;
    fseek(f, 0, SEEK_END);
    size = ftell(f);
    fseek(f, size > (long)sizeof(tail) - 1 ? size - (long)sizeof(tail) + 1 : 0, SEEK_SET);
    n = fread(tail, 1, sizeof(tail) - 1, f);
    tail[n] = '\0';
    fclose(f);
    return tail;
}

static void write_file(const char *path, const char *mode, const char *text)
{
    FILE *f = fopen(path, mode);

    if (!f || fputs(text, f) < 0 || fclose(f) != 0)
        test_die("cannot write %s: %s", path, strerror(errno));
}

/* pg_ctl's arguments for an action: start, stop or restart. */
static void ctl_argv(const char *action, const char **argv, size_t max, char *path,
                     size_t path_size)
{
    const char *args[16] = { "-D", cl.data, "-w", "-t", "60", "-m", "fast" };
    size_t n = 7;

    if (strcmp(action, "stop") != 0) {
        args[n++] = "-l";
        args[n++] = cl.log;
    }
    args[n++] = action;
    args[n] = NULL;
    server_argv("pg_ctl", args, argv, max, path, path_size);
}

double cluster_ctl(const char *action)
{
    const char *argv[24];
    char path[600];
    struct proc_result r;
    double t0 = test_now_s();

    ctl_argv(action, argv, 24, path, sizeof(path));
    proc_run(argv, NULL, NULL, &r);
    ck_assert_msg(r.status == 0, "pg_ctl %s: exit %d: %s %s | server log: %s", action,
                  r.status, test_flat(test_tail(r.out, 1200)), test_flat(test_tail(r.err, 1200)),
                  test_flat(log_tail()));
    proc_result_free(&r);
    cl.running = strcmp(action, "stop") != 0;
    return test_now_s() - t0;
}

void cluster_ctl_bg(struct proc_bg *b, const char *action)
{
    static const char *argv[24];
    static char path[600];

    ctl_argv(action, argv, 24, path, sizeof(path));
    proc_start(b, argv, NULL, NULL);
}

const char *cluster_port(void)
{
    return cl.port;
}

const char *cluster_socket_dir(void)
{
    return cl.base;
}

const char *cluster_data_dir(void)
{
    return cl.data;
}

/* pid runs and is not a zombie (in a container, nobody may reap a postmaster). */
static bool alive(long pid)
{
    char path[64], state = '?';
    FILE *f;

    if (kill((pid_t)pid, 0) != 0)
        return false;
    snprintf(path, sizeof(path), "/proc/%ld/stat", pid);
    f = fopen(path, "r");
    if (f && fscanf(f, "%*d %*s %c", &state) != 1)
        state = '?';
    if (f)
        fclose(f);
    return state != 'Z';
}

/*
 * The guardian: in a session of its own (meson and check signal whole
 * process groups), it waits for the test process to go away (EOF on the
 * pipe), then shuts the server down (immediate) and removes the directory.
 */
static void guardian(int fd)
{
    char c, pidfile[200], line[32] = "";
    int null = open("/dev/null", O_RDWR);
    FILE *f;

    setsid();
    signal(SIGTERM, SIG_IGN);
    signal(SIGINT, SIG_IGN);
    signal(SIGHUP, SIG_IGN);
    dup2(null, 0);
    dup2(null, 1);
    dup2(null, 2);
    for (int i = 3; i < 1024; i++)
        if (i != fd)
            close(i);
    for (;;) {
        ssize_t n = read(fd, &c, 1);

        if (n == 0 || (n < 0 && errno != EINTR))
            break;
    }
    /*
     * A pg_ctl restart still in flight may start a new postmaster: shut
     * down whichever postmaster.pid names until none is left.
     */
    snprintf(pidfile, sizeof(pidfile), "%s/postmaster.pid", cl.data);
    for (int round = 0; round < 5; round++) {
        long pid = 0;

        f = fopen(pidfile, "r");
        if (f && fgets(line, sizeof(line), f))
            pid = atol(line);
        if (f)
            fclose(f);
        if (pid <= 0)
            break;
        if (alive(pid) && kill((pid_t)pid, SIGQUIT) == 0) {
            for (int i = 0; i < 200 && alive(pid); i++)
                test_nap_ms(50);
            kill((pid_t)pid, SIGKILL);
        }
        test_nap_ms(200);
    }
    if (cl.base[0]) {
        pid_t rm = fork();

        if (rm == 0) {
            execlp("rm", "rm", "-rf", cl.base, (char *)NULL);
            _exit(127);
        }
        if (rm > 0)
            waitpid(rm, NULL, 0);
    }
    _exit(0);
}

static void start_guardian(void)
{
    int fds[2];

    if (pipe(fds) != 0)
        test_die("pipe: %s", strerror(errno));
    fflush(NULL);
    cl.guardian = fork();
    if (cl.guardian < 0)
        test_die("fork: %s", strerror(errno));
    if (cl.guardian == 0) {
        close(fds[1]);
        guardian(fds[0]);
    }
    close(fds[0]);
    fcntl(fds[1], F_SETFD, FD_CLOEXEC);   /* programs we start must not keep it open */
    cl.guard_fd = fds[1];
}

void cluster_stop(void)
{
    const char *argv[24];
    char path[600];
    struct proc_result r;

    if (getpid() != cl.owner || cl.guard_fd < 0)
        return;
    if (cl.running) {
        ctl_argv("stop", argv, 24, path, sizeof(path));
        proc_run(argv, NULL, NULL, &r);
        if (r.status != 0)
            fprintf(stderr, "torture harness: pg_ctl stop: exit %d: %s%s\n", r.status, r.out,
                    r.err);
        proc_result_free(&r);
        cl.running = false;
    }
    close(cl.guard_fd);     /* the guardian removes the directory */
    cl.guard_fd = -1;
    waitpid(cl.guardian, NULL, 0);
}

void cluster_start(void)
{
    const char *shm = "/dev/shm", *tmp = getenv("TMPDIR");
    const char *argv[24];
    char path[600], *conf, *dsn;
    struct passwd *pw = NULL;
    struct proc_result r;
    int attempt;

    find_bindir();
    cl.owner = getpid();
    cl.as_postgres = geteuid() == 0;
    if (cl.as_postgres && !(pw = getpwnam("postgres")))
        cannot_start("running as root, and there is no postgres user to run the server as");
    snprintf(cl.base, sizeof(cl.base), "%s/pcsm-torture-XXXXXX",
             access(shm, W_OK) == 0 ? shm : tmp && *tmp ? tmp : "/tmp");
    if (!mkdtemp(cl.base))
        test_die("mkdtemp %s: %s", cl.base, strerror(errno));
    snprintf(cl.data, sizeof(cl.data), "%s/data", cl.base);
    snprintf(cl.log, sizeof(cl.log), "%s/server.log", cl.base);
    start_guardian();       /* with the paths set: it works on its copy of them */
    atexit(cluster_stop);
    if (pw && chown(cl.base, pw->pw_uid, pw->pw_gid) != 0)
        test_die("chown %s: %s", cl.base, strerror(errno));
    {
        const char *args[] = { "-D", cl.data, "-U", "postgres", "-A", "trust", "-E", "UTF8",
                               "--locale=C", "--no-sync", NULL };

        server_argv("initdb", args, argv, 24, path, sizeof(path));
        proc_run(argv, NULL, NULL, &r);
        if (r.status != 0)
            test_die("initdb: exit %d: %s%s", r.status, r.out, r.err);
        proc_result_free(&r);
    }
    if (asprintf(&conf,
                 "\n# pcs-migrate torture suite\n"
                 "listen_addresses = '127.0.0.1'\n"
                 "unix_socket_directories = '%s'\n"
                 "fsync = off\nsynchronous_commit = off\nfull_page_writes = off\n"
                 "max_connections = 100\nmax_locks_per_transaction = 256\n"
                 "shared_buffers = 32MB\nlc_messages = 'C'\n"
                 "log_line_prefix = '%%m [%%p] %%q%%u@%%d '\n", cl.base) < 0)
        test_die("out of memory");
    snprintf(path, sizeof(path), "%s/postgresql.conf", cl.data);
    write_file(path, "a", conf);
    free(conf);
    snprintf(path, sizeof(path), "%s/pg_hba.conf", cl.data);
    write_file(path, "w",
               "# pcs-migrate torture suite: passwords for the two login roles only\n"
               "local all all trust\n"
               "host all " TORTURE_SCRAM " 127.0.0.1/32 scram-sha-256\n"
               "host all " TORTURE_MD5 " 127.0.0.1/32 md5\n"
               "host all all 127.0.0.1/32 trust\n");
    /* A free port: taken from the kernel, released, then claimed by the server. */
    for (attempt = 0;; attempt++) {
        int fd;
        char auto_conf[64];

        snprintf(cl.port, sizeof(cl.port), "%d", test_closed_port(&fd));
        close(fd);
        snprintf(auto_conf, sizeof(auto_conf), "port = %s\n", cl.port);
        snprintf(path, sizeof(path), "%s/postgresql.auto.conf", cl.data);
        write_file(path, "w", auto_conf);
        ctl_argv("start", argv, 24, path, sizeof(path));
        proc_run(argv, NULL, NULL, &r);
        if (r.status == 0)
            break;
        if (attempt == 4)
            test_die("pg_ctl start: exit %d: %s%s\nserver log: %s", r.status, r.out, r.err,
                log_tail());
        proc_result_free(&r);
    }
    proc_result_free(&r);
    cl.running = true;
    if (asprintf(&dsn, "host=%s port=%s user=postgres", cl.base, cl.port) < 0)
        test_die("out of memory");
    setenv("PCSM_TEST_DSN", dsn, 1);
    free(dsn);
}

void cluster_create_roles(void)
{
    PGconn *admin = test_connect("postgres");

    test_exec(admin, "DO $$BEGIN "
                     "IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = '" TORTURE_SCRAM "') "
                     "THEN CREATE ROLE " TORTURE_SCRAM "; END IF; "
                     "IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = '" TORTURE_MD5 "') "
                     "THEN CREATE ROLE " TORTURE_MD5 "; END IF; END$$");
    test_exec(admin, "SET password_encryption = 'scram-sha-256'; "
                     "ALTER ROLE " TORTURE_SCRAM " LOGIN CONNECTION LIMIT -1 "
                     "PASSWORD '" TORTURE_SCRAM_PASSWORD "'");
    test_exec(admin, "SET password_encryption = 'md5'; "
                     "ALTER ROLE " TORTURE_MD5 " LOGIN CONNECTION LIMIT -1 "
                     "PASSWORD '" TORTURE_MD5_PASSWORD "'");
    PQfinish(admin);
}

char *cluster_url(const char *role, const char *password, const char *db)
{
    char *s;

    if (asprintf(&s, "postgresql://%s%s%s@127.0.0.1:%s/%s", role, password ? ":" : "",
                 password ? password : "", cl.port, db) < 0)
        test_die("out of memory");
    return s;
}
