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
 * dir (regular files, not dot files: what the build compiles), by the
 * generator's header grammar.  A file without them, or whose id is not 1
 * to 32 of [0-9A-Za-z_], is PCSM_EINVALID naming it (the generator reports
 * the details at build time); every file the scaffold writes has them.  Free with pcsm_dir_revs_dispose().
 */
PCSM_API int pcsm_scaffold_read(pcsm_ctx *ctx, const char *dir, pcsm_dir_revs *out);
PCSM_API void pcsm_dir_revs_dispose(pcsm_dir_revs *revs);

/*
 * Writes dir/<id>_<slug>.c from the revision template: a fresh random
 * 12-hex id, `message` as its description (made one safe line; see
 * docs/commands.md), now as its create date, and as Revises either
 * `parents` (n_parents of them, each a head of dir) or, when parents is
 * NULL, the head of dir (none: a root); then lists the file in
 * dir/revisions.txt, in sorted position.  All of it under an exclusive
 * flock() on that list, which is replaced atomically (through its symbolic
 * link, if it is one, keeping its mode), so concurrent scaffolds line up.
 * Never overwrites a file; on failure nothing is left behind.  *path_out
 * (malloc'd, the caller frees) is the new file's path.
 * @return 0; PCSM_EINVALID (a blank or non-UTF-8 message, no directory or
 * no revisions.txt, a file whose header cannot be read, a parent that is
 * not a head); PCSM_EMULTIPLEHEADS (parents NULL and several heads; the
 * message names the merge); or PCSM_ERROR (the file system failed)
 */
PCSM_API int pcsm_scaffold_write(pcsm_ctx *ctx, const char *dir, const char *message,
                                 const char *const *parents, size_t n_parents,
                                 char **path_out);
/*
 * The same, with upgrade() and downgrade() holding `upgrade` and
 * `downgrade` (C statements, each line indented and ending in a newline;
 * NULL: the template's comment and `(void)op;`), as autogenerate writes.
 */
PCSM_API int pcsm_scaffold_write_bodies(pcsm_ctx *ctx, const char *dir, const char *message,
                                        const char *const *parents, size_t n_parents,
                                        const char *upgrade, const char *downgrade,
                                        char **path_out);

#ifdef __cplusplus
}
#endif

#endif /* PCSM_SCAFFOLD_H */
