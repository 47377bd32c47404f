/*
 * The live side: a connection to the database being migrated, and the runs
 * against it (upgrade, downgrade, stamp, check, reset).  Everything here is
 * safe to run from many processes at once against one database: one of
 * them applies each revision, the others wait on the migration lock and
 * then find nothing to do.  Progress is reported through an event
 * callback; the library itself never prints.
 */
#ifndef PCSM_DB_H
#define PCSM_DB_H

#include <signal.h>
#include <stdbool.h>

#include "graph.h"
#include "script.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef struct pcsm_db pcsm_db;

enum pcsm_event_kind {
    PCSM_EVENT_INFO,            /* a line of progress: connected, nothing to do */
    PCSM_EVENT_WARNING,         /* something the operator should know */
    PCSM_EVENT_WAIT,            /* waiting: for the server (--wait) or the lock */
    PCSM_EVENT_STEP_START,      /* a revision begins: rev, direction */
    PCSM_EVENT_STEP_DONE,       /* a revision is done: rev, direction, duration_ms */
    PCSM_EVENT_NOTICE,          /* a NOTICE from the server (batch progress) */
};

/* Borrowed for the duration of the callback only. */
typedef struct pcsm_event {
    enum pcsm_event_kind kind;
    const char *message;        /* one line; never NULL, never holds a password */
    const pcsm_revision *rev;   /* the step's revision, or NULL */
    enum pcsm_direction direction;
    double duration_ms;         /* STEP_DONE */
} pcsm_event;

typedef void (*pcsm_event_fn)(const pcsm_event *event, void *payload);

typedef struct pcsm_db_opts {
    /* A libpq URL or key=value string; NULL or "" leaves everything to
     * libpq's PG* variables and service files.  Never echoed anywhere. */
    const char *conninfo;
    pcsm_script_opts script;    /* schema, version and history table names */
    double wait_seconds;        /* retry transient connection failures this long */
    double lock_timeout_seconds;/* wait for the migration lock at most this long */
    long statement_timeout_ms;  /* 0: the server's setting */
    long ddl_lock_timeout_ms;   /* lock_timeout of migration statements; 0: none */
    int ddl_lock_retries;       /* reruns of a transaction that hit it */
    pcsm_event_fn on_event;     /* may be NULL */
    void *payload;
    /* Set nonzero (to the signal number) by the caller's signal handler:
     * waits end and a run stops at its next statement, rolled back.  May
     * be NULL.  The handler should also call pcsm_db_cancel(). */
    volatile sig_atomic_t *interrupt;
} pcsm_db_opts;

/* Sensible defaults: 60 s lock wait, 5 s DDL lock_timeout, 3 retries. */
PCSM_API void pcsm_db_opts_init(pcsm_db_opts *opts);

/*
 * Connects and prepares the session (search_path, timeouts sent as SQL, not
 * startup options, so that PgBouncer accepts the connection).  With
 * wait_seconds > 0, a server that is down, starting up or out of
 * connection slots is retried with backoff; a refused login or a missing
 * database fails at once.  *out is the caller's, closed with pcsm_db_close().
 * Before any network I/O, PCSM_EINVALID for: a timeout out of range (each
 * 0 to 2147483.647 s, or 2147483647 ms, the most the server's settings
 * hold), and a connection string or libpq setting that libpq would refuse
 * (an unknown keyword, sslmode=bogus, port 99999), its message naming the
 * keyword and never the string's text or values.
 * @return 0, PCSM_EUNREACHABLE, PCSM_EINVALID or PCSM_EINTERRUPTED
 */
PCSM_API int pcsm_db_connect(pcsm_ctx *ctx, const pcsm_db_opts *opts, pcsm_db **out);
PCSM_API void pcsm_db_close(pcsm_db *db);

/*
 * Async-signal-safe: asks the server to cancel the statement in flight, so
 * that a run whose interrupt flag was set stops now rather than after it.
 * NULL is a no-op.
 */
PCSM_API void pcsm_db_cancel(pcsm_db *db);

/* "PostgreSQL 15.4 at host:port/db as user": for logs; owned by db. */
PCSM_API const char *pcsm_db_describe(const pcsm_db *db);

/*
 * The database's applied heads, from the version table (empty: base).  A
 * revision this binary does not know is PCSM_EINCONSISTENT; the message
 * says whether the database is ahead of this binary (it descends from this
 * binary's head, by the parents the history table recorded) or diverged.
 * When `ahead_out` is given, an "ahead" database is not an error: *ahead_out
 * is set and *out holds this binary's heads.
 */
PCSM_API int pcsm_db_current(pcsm_ctx *ctx, pcsm_db *db, pcsm_revset *out, bool *ahead_out);

typedef struct pcsm_run_opts {
    enum pcsm_direction direction;
    const char *target;         /* a target spec, resolved against the current heads */
    bool transaction_per_migration;
    bool allow_ahead;           /* an "ahead" database is a no-op, not an error */
    /* Drop everything in the schema first (every table, view, sequence,
     * function and type that no extension owns, the version and history
     * tables too), under the same lock and in the same transaction as the
     * first revisions: other runners do not see the empty schema, and a
     * failure restores it all (unless the first revision is
     * nontransactional: then the drop commits on its own first). */
    bool reset;
} pcsm_run_opts;

/*
 * Brings the database to `target`: the up-to-date check takes no lock; with
 * work pending the migration lock is taken, the state read again, and the
 * plan run (one transaction by default, READ COMMITTED whatever the
 * database's default).  A nontransactional revision runs on a second
 * connection while the first holds the lock; a signal or the loss of the
 * first cancels its statement, and a rerun finishes an index build that an
 * interrupted run left (waits for it, rebuilds it if INVALID, records it if
 * VALID).  On failure nothing of the failed
 * transaction remains and the failure is recorded in the history table.
 * *applied_out receives the steps that were committed (also on failure,
 * in per-migration mode) and *current_out the heads afterwards; either may
 * be NULL.
 * @return 0, PCSM_EDB (a statement failed), PCSM_EMIGRATION, PCSM_ELOCK,
 *         PCSM_EINCONSISTENT, PCSM_EINTERRUPTED, PCSM_EUNREACHABLE, or a
 *         target error
 */
PCSM_API int pcsm_db_migrate(pcsm_ctx *ctx, pcsm_db *db, const pcsm_run_opts *run,
                             pcsm_plan *applied_out, pcsm_revset *current_out);

/* Sets the version table to `target` without running anything (recorded). */
PCSM_API int pcsm_db_stamp(pcsm_ctx *ctx, pcsm_db *db, const char *target);

/*
 * Verifies the applied revisions against this binary: the version table
 * itself (each head once, none empty, none an ancestor of another, and in
 * agreement with the history table's last move), each revision known, and
 * the SQL of each the same as when it was applied (a source-only change is
 * a warning event).  pcsm_db_migrate refuses the same version tables.  A
 * revision in `accept` (may be NULL) whose SQL changed has its new checksum
 * recorded as accepted instead of failing.
 * @return 0 or PCSM_EINCONSISTENT
 */
PCSM_API int pcsm_db_check(pcsm_ctx *ctx, pcsm_db *db, const pcsm_revset *accept);


#ifdef __cplusplus
}
#endif

#endif /* PCSM_DB_H */
