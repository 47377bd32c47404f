/*
 * The devtools layer: what developers run, not deployments (scaffold.c,
 * create-migration).  These are the pieces its tests and fuzz target reach
 * directly, each a pure function of its input.
 */
#ifndef PCSM_DEVTOOLS_H
#define PCSM_DEVTOOLS_H

#include <stdbool.h>
#include <stddef.h>

#include "pcsm/buf.h"
#include "pcsm/error.h"
#include "pcsm/scaffold.h"

/* The file, in each migrations directory, that lists its revision files. */
#define PCSM_SCAFFOLD_LIST "revisions.txt"

/*
 * The "Revision ID:" and "Revises:" values of a revision file's header, as
 * generator/gen_registry.py reads them (its parser is the authority; see
 * scaffold.c).  Each of *id_out and *revises_out is malloc'd, or NULL when
 * the header has no such field.  `data` is len bytes, any bytes.
 */
void pcsm_scaffold__read_header(const char *data, size_t len, char **id_out,
                                char **revises_out);

/*
 * Appends to `out` the description line that the template gets for
 * `message`: one line, read back by the generator as the description
 * whatever the message holds.  PCSM_EINVALID (and nothing appended) when
 * the message is blank or not valid UTF-8.
 */
int pcsm_scaffold__description(pcsm_ctx *ctx, const char *message, pcsm_buf *out);

/*
 * Appends to `out` the list `text` (len bytes) with `name` on a line of its
 * own, placed before the first listed name that sorts after it (else after
 * the last listed name, else at the end); every other byte kept, and a
 * final newline added when the text lacked one.  Returns false, appending
 * nothing, when `name` is listed already.
 */
bool pcsm_scaffold__list_insert(const char *text, size_t len, const char *name,
                                pcsm_buf *out);

/*
 * import.c: appends to `out` the body of upgrade() or downgrade() (as
 * pcsm_scaffold_write_bodies() takes it) that the JSON list `ops` of the
 * Alembic import (one revision's "upgrade" or "downgrade"; NULL: none)
 * records, each operation through its pcsm_* call and printed by
 * pcsm_render__c_op(), and counts them in *sum; `nontransactional`: as
 * in a revision flagged so.  PCSM_EINVALID naming
 * file, rev, the direction, the line and the member for an unknown
 * operation or member, a wrong JSON type, or a call the API refuses.
 */
struct json_t;
int pcsm_import__body(pcsm_ctx *ctx, const char *file, const char *rev, bool downgrade,
                      bool nontransactional, const struct json_t *ops, pcsm_buf *out,
                      pcsm_import_summary *sum);

#endif /* PCSM_DEVTOOLS_H */
