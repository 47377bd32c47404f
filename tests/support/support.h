/*
 * Shared test plumbing: running a program with captured output, throwaway
 * databases on the server named by PCSM_TEST_DSN, and catalog snapshots
 * that let integration tests compare real schema state.
 */
#ifndef PCSM_TEST_SUPPORT_H
#define PCSM_TEST_SUPPORT_H

#include <stdbool.h>
#include <stddef.h>

#include <check.h>
#include <libpq-fe.h>

struct proc_result {
    int status;                 /* exit status, or 128 + signal number */
    char *out;                  /* everything written to stdout (malloc'd) */
    char *err;                  /* everything written to stderr (malloc'd) */
};

/*
 * Runs argv[0] (a path, or a name looked up in PATH) with `input` (may be
 * NULL) on its stdin and waits for it.  `env` (NULL-terminated "K=V", may be
 * NULL) is added to the environment.  Aborts the test on a system failure.
 */
void proc_run(const char *const argv[], const char *input, const char *const env[],
              struct proc_result *r);
void proc_result_free(struct proc_result *r);

/* The binary of a registry: env PCSM_TEST_BIN_<NAME> set by meson. */
const char *test_bin(const char *name);
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

/* Creates a fresh database with a unique name (written to name, >= 64 bytes). */
void test_db_create(char *name, size_t size);
void test_db_drop(const char *name);
/* A fresh database and a connection to it (the usual fixture), and its end. */
PGconn *test_db_open(char *name, size_t size);
void test_db_close(PGconn *conn, const char *name);
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

/* Runs a check suite with TAP on stdout; returns main()'s exit status. */
int test_run_suite(Suite *suite);

#endif /* PCSM_TEST_SUPPORT_H */
