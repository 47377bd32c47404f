/*
 * Scaffolding new revision files in a migrations directory (the developer
 * side: create-migration, merge).  Works on the directory's files, not on
 * the compiled registry, which may be older than the tree.
 */
#ifndef PCSM_SCAFFOLD_H
#define PCSM_SCAFFOLD_H

#include <stddef.h>

#include "error.h"

#ifdef __cplusplus
extern "C" {
#endif

/* The ids of a directory's revisions, as read from their headers. */
typedef struct pcsm_dir_revs {
    char **ids;                 /* n ids, file order */
    char **files;               /* the file name of each */
    char **heads;               /* n_heads ids no other revision revises */
    size_t n, n_heads;
} pcsm_dir_revs;

/*
 * Reads the "Revision ID:" and "Revises:" header lines of every *.c file in
 * dir.  A file without them is PCSM_EINVALID naming it (the generator
 * reports the details at build time).  Free with pcsm_dir_revs_dispose().
 */
PCSM_API int pcsm_scaffold_read(pcsm_ctx *ctx, const char *dir, pcsm_dir_revs *out);
PCSM_API void pcsm_dir_revs_dispose(pcsm_dir_revs *revs);

/*
 * Writes dir/<id>_<slug>.c from the revision template: a fresh random
 * 12-hex id, `message` as its description, `parents` (n of them; none for
 * a root) as Revises, now as its create date; then lists the file in
 * dir/meson.build.  Never overwrites; on failure nothing is left behind.
 * *path_out (malloc'd, the caller frees) is the new file's path.
 * @return 0, PCSM_EINVALID (bad message, no meson.build list) or PCSM_ERROR
 */
PCSM_API int pcsm_scaffold_write(pcsm_ctx *ctx, const char *dir, const char *message,
                                 const char *const *parents, size_t n_parents,
                                 char **path_out);

#ifdef __cplusplus
}
#endif

#endif /* PCSM_SCAFFOLD_H */
