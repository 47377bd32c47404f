/*
 * The live layer, the only one that talks to a server and so the only one
 * that sees libpq; one responsibility per file:
 *   db.c       the connection and its session: connecting, statements and
 *              the server's errors, settings, the migration lock, the
 *              bookkeeping tables' presence and the raw version rows;
 *   state.c    what the database is at (current) and whether it agrees
 *              with this binary (check);
 *   migrate.c  the runs: plans in transactions under the lock, retries,
 *              history rows, stamp;
 *   outside.c  a revision run outside a transaction, on a second
 *              connection, and the resume or cleanup of its index builds;
 *   introspect.c  the schema the database holds, and the declared one as
 *              the server would hold it (the catalog layer's queries).
 * This header holds the connection struct and what the files share.
 */
#ifndef PCSM_LIVE_H
#define PCSM_LIVE_H

#include <libpq-fe.h>

#include "render/render.h"
#include "pcsm/db.h"
#include "pcsm/migrate.h"

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
    /* The three above were read from the catalog, not inferred from a bare
     * read of the version rows (which leaves have_history_table unknown). */
    bool state_probed;
    /* While a pipelined batch runs (migrate.c), the server's notices wait
     * here until the step they belong to has reported its start: each a
     * kind letter ('N' notice, 'W' warning), the message, a NUL. */
    bool hold_notices;
    pcsm_buf held_notices;
    /* The relations the statement that last ran out of lock_timeout waited
     * for, as SQL to_regclass() expressions (malloc'd), NULL when it names
     * none: for the holder's lookup. */
    char *lock_relations;
};

/*
 * Parses a connection string up front (NULL or "": nothing to check), so
 * that what libpq would refuse is PCSM_EINVALID naming the keyword, before
 * any network I/O; the string itself is never repeated (it may hold a
 * password), nor any value.  *password_out (may be NULL) gets its password
 * (malloc'd), to be blotted out of libpq's messages.
 */
int pcsm_db__check_conninfo(pcsm_ctx *ctx, const char *conninfo, char **password_out);

/* Reports the notices held back (see hold_notices), in order, and forgets them. */
void pcsm_db__flush_notices(pcsm_db *db);

/* Reports one event to the caller's callback. */
void pcsm_db__emit(pcsm_db *db, enum pcsm_event_kind kind, const pcsm_revision *rev,
                   enum pcsm_direction direction, double duration_ms,
                   const char *fmt, ...) PCSM_PRINTF(6, 7);

/*
 * Runs sql (one or more statements).  On failure sets ctx's error with the
 * server's fields, prefixed by `what` when given, and returns PCSM_EDB, or
 * PCSM_EINTERRUPTED when the run was interrupted, PCSM_ELOCK for lock_timeout
 * (SQLSTATE 55P03), or PCSM_EUNREACHABLE when
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
 * The run's search path (its schema, or DEFAULT): SET LOCAL for a
 * transaction, or, with !local, SET for the session of the second
 * connection of a revision outside a transaction, which runs raw SQL.
 */
void pcsm_db__put_search_path(const pcsm_db *db, bool local, pcsm_buf *out);
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

/*
 * A write of its own outside the run's transactions (its search_path is
 * SET LOCAL): inside one with the run's settings, unless already in one.
 * pcsm_db__put_begin appends BEGIN and the settings, pcsm_db__put_commit
 * the COMMIT, each only when the connection is idle.
 */
void pcsm_db__put_begin(const pcsm_db *db, pcsm_buf *sql);
void pcsm_db__put_commit(const pcsm_db *db, pcsm_buf *sql);
/* CREATE SCHEMA / version table / history table, whichever is missing; returns the count. */
size_t pcsm_db__put_bootstrap(pcsm_db *db, pcsm_buf *sql);

/*
 * Re-reads the version rows (raw ids).  Outside a transaction this is one
 * statement, which leaves state_probed false: whoever then needs to know
 * whether the history table exists calls pcsm_db__probe_state first.
 */
int pcsm_db__read_versions(pcsm_ctx *ctx, pcsm_db *db, char ***ids_out, size_t *n_out);
/* The schema and both bookkeeping tables are there: created or committed. */
void pcsm_db__tables_made(pcsm_db *db);
/* Reads which bookkeeping tables exist, unless known since the last read. */
int pcsm_db__probe_state(pcsm_ctx *ctx, pcsm_db *db);
void pcsm_db__free_ids(char **ids, size_t n);

/*
 * BEGIN, the run's SET LOCALs and the migration lock (transaction scoped,
 * polled, bounded by lock_timeout_seconds); with `read`, then the state
 * under the lock into *ids_out.  On failure nothing is left open.
 */
int pcsm_db__begin_locked(pcsm_ctx *ctx, pcsm_db *db, bool read, char ***ids_out,
                          size_t *n_out);
/*
 * For the transactions after the first of a pipelined run, sent before the
 * previous one's results are back: BEGIN, the settings, the migration lock
 * taken again without waiting, the version rows checked to be `expect` and
 * the step's start mark (pcsm_script__start_mark).
 * Either check failing is a division by zero (SQLSTATE 22012), which
 * aborts whatever follows in the pipeline: the lock was taken by another
 * runner in between, and the run must wait and read the state again.
 * Returns how many statements it appended.
 */
size_t pcsm_db__put_relock(const pcsm_db *db, const pcsm_revset *expect, pcsm_buf *out);
#define PCSM_DB_SQLSTATE_RELOCK_FAILED "22012"
/*
 * Drops everything in the current schema and in `schemas` that no extension
 * owns, then the schemas of `created` (no COMMIT): what reset clears.
 */
void pcsm_db__put_drop_all(pcsm_buf *out, const char *const *schemas, size_t n,
                           const char *const *created, size_t n_created);

/*
 * Into out: who holds a lock on one of `relations` (db->lock_relations;
 * NULL: none known), named as the migration-lock wait names its holder,
 * for a statement that ran out of lock_timeout.  Leaves the run's error
 * as it is.
 */
void pcsm_db__describe_relation_holder(pcsm_db *db, const char *relations, pcsm_buf *out);

/* ROLLBACK whatever is open; runs even while interrupted. */
void pcsm_db__rollback(pcsm_db *db);

/* ---------------------------------------------------------- state.c */

/* The history row of a stamp to base names no revision: this one. */
extern const pcsm_revision pcsm_state__base_rev;
/* The revision of exactly this id (no prefix), or NULL; sets no error. */
const pcsm_revision *pcsm_state__find_exact(pcsm_ctx *ctx, const char *id);
/*
 * Resolves the raw version rows into *out, after checking them (each head
 * once, none empty, none an ancestor of another).  An unknown revision is
 * PCSM_EINCONSISTENT, unless ahead_out is given and the database is ahead:
 * then *ahead_out is set, *out holds the head it descends from, and a
 * warning event says so.
 */
int pcsm_state__resolve_current(pcsm_ctx *ctx, pcsm_db *db, char **ids, size_t n,
                                pcsm_revset *out, bool *ahead_out);
/* The version rows agree with the history table's last move (one snapshot). */
int pcsm_state__verify_history(pcsm_ctx *ctx, pcsm_db *db);
/*
 * The SQL of each applied revision (an ancestor of `current`) is what was
 * applied; a changed one in `accept` (may be NULL) is recorded as accepted.
 */
int pcsm_state__verify_checksums(pcsm_ctx *ctx, pcsm_db *db, const pcsm_revset *current,
                                 const pcsm_revset *accept);

/* -------------------------------------------------------- migrate.c */

/* "upgrade" or "downgrade", as the events and the history table say it. */
const char *pcsm_migrate__direction_name(enum pcsm_direction d);
/*
 * After a statement of operation o ran out of lock_timeout (the last
 * error): db->lock_relations names the relations it waited for.
 */
void pcsm_migrate__note_lock_wait(pcsm_ctx *ctx, pcsm_db *db, const struct pcsm_ddl_op *o);
/* *dst becomes a copy of src (dst's memory is reused). */
void pcsm_migrate__copy_set(pcsm_ctx *ctx, pcsm_revset *dst, const pcsm_revset *src);
/* After a COMMIT that moved the version table: the tables exist, *heads is now. */
void pcsm_migrate__committed(pcsm_ctx *ctx, pcsm_db *db, pcsm_revset *heads,
                             const pcsm_revset *now);

/* -------------------------------------------------------- outside.c */

/*
 * Runs a nontransactional step on a second connection while db holds the
 * open, locked transaction, then its bookkeeping on db, and COMMIT (or
 * ROLLBACK on failure).  *heads moves only on commit.  Never retried.
 */
int pcsm_outside__run(pcsm_ctx *ctx, pcsm_db *db, const pcsm_step *step, pcsm_revset *heads);

#endif /* PCSM_LIVE_H */
