/*
 * Shared test plumbing: running a program with captured output (in the
 * foreground or the background), throwaway databases on the server named by
 * PCSM_TEST_DSN, catalog snapshots, and the consistency check of the
 * generated revision chain, for the integration and torture tests.
 */
#ifndef PCSM_TEST_SUPPORT_H
#define PCSM_TEST_SUPPORT_H

#include <stdbool.h>
#include <stddef.h>
#include <sys/types.h>

#include <check.h>
#include <libpq-fe.h>

struct proc_result {
    int status;                 /* exit status, or 128 + signal number */
    char *out;                  /* everything written to stdout (malloc'd) */
    char *err;                  /* everything written to stderr (malloc'd) */
};

/*
 * Runs argv[0] (a path, or a name looked up in PATH) with `input` (may be
 * NULL) on its stdin and waits for it.  `env` (NULL-terminated, may be NULL)
 * adds "K=V" to the environment and removes a bare "K".  Aborts the test on
 * a system failure.
 */
void proc_run(const char *const argv[], const char *input, const char *const env[],
              struct proc_result *r);
void proc_result_free(struct proc_result *r);

/* The binary of a registry: env PCSM_TEST_BIN_<NAME> set by meson. */
const char *test_bin(const char *name);
/*
 * argv (cap entries, the NULL included) for: bin's binary, "--database-url
 * url" unless url is NULL, then args.  Returns the count before the NULL.
 */
size_t test_cmd_argv(const char **argv, size_t cap, const char *bin, const char *url,
                     const char *const args[]);
/* A broken harness (no server, no free port) is a hard error (exit 99), never a pass. */
void test_die(const char *fmt, ...) __attribute__((format(printf, 1, 2), noreturn));
/* The id that `<bin> show TARGET` prints on its "Rev: " line (malloc'd). */
char *test_rev_id(const char *bin, const char *target);

/*
 * The server under test.  When PCSM_TEST_DSN is unset the integration test
 * prints a TAP skip and exits 0, unless PCSM_TEST_REQUIRE_DB is set (meson's
 * integration_tests=enabled), where it fails.  Call first in main().
 */
void test_require_db(void);

/* A conninfo string for database `db` on the server under test (malloc'd). */
char *test_conninfo(const char *db);

/*
 * Creates a fresh database with a unique name (written to name, >= 64
 * bytes); its default_transaction_isolation is PCSM_TEST_DEFAULT_ISOLATION
 * when that is set.
 */
void test_db_create(char *name, size_t size);
void test_db_drop(const char *name);
/* A fresh database and a connection to it (the usual fixture), and its end. */
PGconn *test_db_open(char *name, size_t size);
void test_db_close(PGconn *conn, const char *name);
/*
 * That fixture, added to tc as its checked fixture: before each test a
 * fresh database (its name in db, of `size` bytes, >= 64), a connection to
 * it in *conn and, when url is not NULL, its conninfo in *url (malloc'd);
 * after each, the database dropped, the connection closed and *url freed.
 * The variables are the caller's (its file's statics), one set per program.
 */
void test_fresh_db_fixture(TCase *tc, char *db, size_t size, PGconn **conn, char **url);
/* Connects to db; aborts the test when that fails. */
PGconn *test_connect(const char *db);

/* Runs sql and returns its rows, columns joined by '|', rows by '\n' (malloc'd). */
char *test_query(PGconn *conn, const char *sql);
/* Runs sql, which must succeed. */
void test_exec(PGconn *conn, const char *sql);

/*
 * Every schema object in the current schema except the listed tables
 * (NULL-terminated, may be NULL), one sorted line each: tables and comments,
 * columns with type, nullability and default, constraints, indexes,
 * triggers, functions, sequences (malloc'd).
 */
char *test_catalog_snapshot(PGconn *conn, const char *const *except_tables);

/* Reads a whole file (malloc'd), aborting the test when it cannot. */
char *test_read_file(const char *path);

/* ------------------------------------------------ time, waiting, messages */

/* Monotonic seconds. */
double test_now_s(void);
void test_nap_ms(long ms);
/* s on one line (newlines become " | "), as a TAP failure message wants (malloc'd, never freed). */
char *test_flat(const char *s);
/*
 * s into dst (size bytes, NUL included) with control bytes, DEL and non-ASCII
 * as \xNN, so that a failure message stays readable; returns dst.
 */
const char *test_escape_bytes(char *dst, size_t size, const char *s);
/* The last n bytes of s: check's messages are bounded, a long run's log is not. */
const char *test_tail(const char *s, size_t n);

/* ------------------------------------------------- background processes */

/*
 * A child running in the background, its output going to temporary files
 * (read when it is reaped).  proc_run() blocks; these do not.
 */
struct proc_bg {
    const char *what;           /* argv[0], for messages */
    pid_t pid;
    bool reaped;
    int status;                 /* as proc_run: exit status or 128 + signal */
    char out_path[64], err_path[64];
};

/*
 * In a child between fork() and exec(), with every signal blocked: the
 * signals check catches (its SIGTERM handler kills the whole process
 * group) back to their defaults.  The caller unblocks them.
 */
void test_child_default_signals(void);
/* A temporary file in $TMPDIR (or /tmp) named after prefix; returns its fd. */
int test_temp_file(const char *prefix, char *path, size_t size);
/*
 * Starts argv with env added ("K=V") or removed ("K").  With a gate (a
 * pipe) the child first reads it until EOF, so that a whole group starts
 * at once when the parent closes the write end.
 */
void proc_start(struct proc_bg *b, const char *const argv[], const char *const env[],
                const int *gate);
/* Reaps b if it has ended; true when it has. */
bool proc_done(struct proc_bg *b);
/* What b has written to stderr so far (malloc'd). */
char *proc_stderr(const struct proc_bg *b);
/* Waits at most timeout_s for b (then kills it and fails); fills r and removes the files. */
void proc_wait(struct proc_bg *b, double timeout_s, struct proc_result *r);
/* Polls b's stderr for s; false once b ended without it, or after timeout_s. */
bool proc_await_stderr(struct proc_bg *b, const char *s, double timeout_s);

/* ------------------------------------------------------------- queries */

/* Polls sql until it returns a nonempty result (returned) or timeout_s passes (NULL). */
char *test_await_rows(PGconn *c, const char *sql, double timeout_s);
/* Polls sql until it returns want; false after timeout_s. */
bool test_await_value(PGconn *c, const char *sql, const char *want, double timeout_s);
/* Fails the test unless sql returns exactly want. */
void test_assert_query(PGconn *c, const char *sql, const char *want);
/* A keyword of PCSM_TEST_DSN, else the PG* variable env, else fallback (malloc'd). */
char *test_dsn_param(const char *keyword, const char *env, const char *fallback);
/*
 * A loopback TCP port that refuses connections: bound, never listening,
 * and kept bound (so nothing else takes it) until *fd_out is closed.
 */
int test_closed_port(int *fd_out);

/*
 * The pgbouncer to test with: PCSM_TEST_PGBOUNCER, else /usr/sbin/pgbouncer.
 * *installed says whether it can run; when it cannot and the integration
 * tests are required (PCSM_TEST_REQUIRE_DB), that is a hard error.
 */
const char *test_pgbouncer_bin(bool *installed);

/* A loopback port that was free a moment ago, and whether one accepts connections. */
int test_free_port(void);
bool test_port_open(int port);
/* /proc/PID/cmdline, its NUL separators made spaces (malloc'd). */
char *test_proc_cmdline(pid_t pid);

/* ------------------------------------------------- the generated chain */

/*
 * The ids of revisions 1..n of a chain written by tests/fixtures/make_chain.py
 * (revision i creates table t_NNNN), as `BIN history` prints them; ids[i-1]
 * is revision i.  Free with test_chain_ids_free.
 */
char **test_chain_ids(const char *bin, int n);
void test_chain_ids_free(char **ids, int n);

/*
 * The current schema holds exactly revisions 1..N of that chain, for some
 * N <= max: the tables t_0001..t_N, each with its id column and primary
 * key, and nothing past them; the version table at ids[N-1] (absent or
 * empty when N = 0); one 'upgrade' history row per revision 1..N, in chain
 * order.  Fails the test otherwise; returns N.  *objects (may be NULL)
 * grows by the catalog objects and bookkeeping rows it verified.
 */
int test_chain_check(PGconn *conn, char *const *ids, int max, long *objects);

/* Runs a check suite with TAP on stdout; returns main()'s exit status. */
int test_run_suite(Suite *suite);

#endif /* PCSM_TEST_SUPPORT_H */
