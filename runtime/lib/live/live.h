/*
 * The live layer (db.c: connection, session, lock, state; migrate.c: runs):
 * the connection struct and its statement helpers.  The only layer that
 * talks to a server, and so the only one that sees libpq.
 */
#ifndef PCSM_LIVE_H
#define PCSM_LIVE_H

#include <libpq-fe.h>

#include "render/render.h"
#include "pcsm/db.h"

struct pcsm_db {
    PGconn *conn;
    PGcancel *cancel;           /* for pcsm_db_cancel() from a signal handler */
    /* The second connection's, while a revision runs outside a transaction
     * on it: set only once complete, cleared before it is freed. */
    PGcancel *volatile side_cancel;
    pcsm_db_opts opts;          /* the caller's, copied; strings borrowed */
    char *describe;
    char *password;             /* from the connection string, to blot out of messages */
    char host[256];             /* this machine, for the history table */
    bool have_version_table;    /* as last read */
    bool have_history_table;
    bool have_schema;           /* current_schema() is not NULL */
};

/* Reports one event to the caller's callback. */
void pcsm_db__emit(pcsm_db *db, enum pcsm_event_kind kind, const pcsm_revision *rev,
                   enum pcsm_direction direction, double duration_ms,
                   const char *fmt, ...) PCSM_PRINTF(6, 7);

/*
 * Runs sql (one or more statements).  On failure sets ctx's error with the
 * server's fields, prefixed by `what` when given, and returns PCSM_EDB, or
 * PCSM_EINTERRUPTED when the run was interrupted, or PCSM_EUNREACHABLE when
 * the connection is gone.  *out (may be NULL) gets the last result to
 * PQclear(); it is NULL on failure.
 */
int pcsm_db__exec(pcsm_ctx *ctx, pcsm_db *db, const char *sql, const char *what,
                  PGresult **out);
/*
 * Sets ctx's error from a failed result (NULL: the connection's message)
 * as pcsm_db__exec does; returns the code.
 */
int pcsm_db__server_error(pcsm_ctx *ctx, pcsm_db *db, const PGresult *res, const char *sql,
                          const char *what);
/* pcsm_db__exec for statements whose result does not matter. */
int pcsm_db__run(pcsm_ctx *ctx, pcsm_db *db, const char *sql, const char *what);

/* True once the caller's interrupt flag is set. */
bool pcsm_db__stopping(const pcsm_db *db);
/* Sleeps ms, waking early when interrupted. */
void pcsm_db__sleep(const pcsm_db *db, long ms);
double pcsm_db__now_ms(void);

/*
 * Every result of sql (one or more statements), in order, up to the first
 * failure; *out holds the successful ones (free with pcsm_db__clear_all)
 * even when the call fails.
 */
int pcsm_db__exec_all(pcsm_ctx *ctx, pcsm_db *db, const char *sql, const char *what,
                      PGresult ***out, size_t *n_out);
void pcsm_db__clear_all(PGresult **results, size_t n);

/* A bookkeeping table's name, schema-qualified when a schema was given. */
void pcsm_db__put_table(const pcsm_db *db, const char *table, pcsm_buf *out);
/*
 * The run's SET LOCALs (search_path, statement and lock timeouts), for the
 * top of each transaction: session settings would not survive a pooler in
 * transaction mode, and would leak to its other clients.  Returns how many
 * statements it appended.
 */
size_t pcsm_db__put_settings(const pcsm_db *db, pcsm_buf *out);
/*
 * The same for a query sent outside any transaction (an implicit one of
 * its own; a pooler may give it a server connection with anyone's session
 * settings); nothing inside a transaction, which has them already.
 */
void pcsm_db__put_idle_settings(const pcsm_db *db, pcsm_buf *out);

/* Re-reads which bookkeeping tables exist and the version rows (raw ids). */
int pcsm_db__read_versions(pcsm_ctx *ctx, pcsm_db *db, char ***ids_out, size_t *n_out);
void pcsm_db__free_ids(char **ids, size_t n);

/*
 * BEGIN, the run's SET LOCALs and the migration lock (transaction scoped,
 * polled, bounded by lock_timeout_seconds); with `read`, then the state
 * under the lock into *ids_out.  On failure nothing is left open.
 */
int pcsm_db__begin_locked(pcsm_ctx *ctx, pcsm_db *db, bool read, char ***ids_out,
                          size_t *n_out);
/* Drops everything in the current schema that no extension owns (no COMMIT). */
extern const char pcsm_db__drop_all_sql[];

/* ROLLBACK whatever is open; runs even while interrupted. */
void pcsm_db__rollback(pcsm_db *db);

#endif /* PCSM_LIVE_H */
