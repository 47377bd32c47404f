/*
 * Rendering revisions to SQL: one revision's statements, and the complete
 * standalone script of a plan (offline mode, `--sql`), with transaction
 * control and the version and history tables.  Online execution
 * (pcsm_db_migrate() in db.h) renders through the same functions, so both
 * paths run the same text.
 */
#ifndef PCSM_SCRIPT_H
#define PCSM_SCRIPT_H

#include "buf.h"
#include "graph.h"

#ifdef __cplusplus
extern "C" {
#endif

#define PCSM_DEFAULT_VERSION_TABLE "alembic_version"
#define PCSM_DEFAULT_HISTORY_TABLE "pcs_migrate_history"

typedef struct pcsm_script_opts {
    const char *schema;         /* NULL: the server's search_path decides */
    const char *version_table;  /* NULL: PCSM_DEFAULT_VERSION_TABLE */
    const char *history_table;  /* NULL: PCSM_DEFAULT_HISTORY_TABLE */
    const char *tool_version;   /* recorded in the history table; NULL: PCSM_VERSION */
} pcsm_script_opts;

/*
 * Appends the SQL of one revision in one direction to *out: every recorded
 * operation, each statement ending in ";\n".
 * @return 0, or PCSM_EMIGRATION when the revision recorded an invalid
 *         operation (the message names revision, operation and reason)
 */
PCSM_API int pcsm_revision_sql(pcsm_ctx *ctx, const pcsm_revision *rev,
                               enum pcsm_direction direction, pcsm_buf *out);

/*
 * The lowercase hex SHA-256 of pcsm_revision_sql(rev, PCSM_UPGRADE), the
 * checksum by which an applied revision's SQL is recognised.  65 bytes.
 */
PCSM_API int pcsm_revision_sql_sha256(pcsm_ctx *ctx, const pcsm_revision *rev,
                                      char out[65]);

/*
 * Appends to *out the standalone script that runs `plan` on a database whose
 * applied heads are `from`: one transaction (a revision flagged
 * nontransactional runs between two), the version table created if missing
 * and moved with every step, a history row per step.
 */
PCSM_API int pcsm_script_render(pcsm_ctx *ctx, const pcsm_plan *plan,
                                 const pcsm_revset *from,
                                 const pcsm_script_opts *opts, pcsm_buf *out);

#ifdef __cplusplus
}
#endif

#endif /* PCSM_SCRIPT_H */
