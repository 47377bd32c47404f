/*
 * The live side: a connection to the database being migrated, its options
 * and the events it reports (the runs against it are in migrate.h).
 * Progress is reported through an event callback; the library itself
 * never prints.
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

#ifdef __cplusplus
}
#endif

#endif /* PCSM_DB_H */
