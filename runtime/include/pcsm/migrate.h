/*
 * The runs against a connected database: its current revisions, upgrade
 * and downgrade (with reset), stamp and check.  Everything here is safe to
 * run from many processes at once against one database: one of them
 * applies each revision, the others wait on the migration lock and then
 * find nothing to do.
 */
#ifndef PCSM_MIGRATE_H
#define PCSM_MIGRATE_H

#include <stdbool.h>

#include "db.h"
#include "graph.h"

#ifdef __cplusplus
extern "C" {
#endif

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
 * @return 0, PCSM_EDB (a statement failed), PCSM_EMIGRATION, PCSM_ELOCK (the
 *         migration lock, or a statement's lock_timeout after the last
 *         retry: SQLSTATE 55P03, the table's holder in the message),
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

#endif /* PCSM_MIGRATE_H */
