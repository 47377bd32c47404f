/*
 * Scaffolding new revision files in a migrations directory (the developer
 * side: create-migration, merge).  Works on the directory's files, not on
 * the compiled registry, which may be older than the tree.
 */
#ifndef PCSM_SCAFFOLD_H
#define PCSM_SCAFFOLD_H

#include <stdbool.h>
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

/*
 * A revision to write with pcsm_scaffold_write_revs(): everything given,
 * as an importer knows it from another tool's history.
 */
typedef struct pcsm_scaffold_rev {
    const char *id;             /* 1 to 32 of [0-9A-Za-z_], new to the directory */
    const char *const *parents; /* n_parents ids, of the directory or of the batch */
    size_t n_parents;           /* 0: a root */
    const char *message;        /* its description, made one safe line */
    const char *create_date;    /* YYYY-MM-DD HH:MM:SS[.ffffff][+HH:MM]; NULL: now */
    const char *upgrade;        /* bodies as pcsm_scaffold_write_bodies() takes them */
    const char *downgrade;
    bool nontransactional;      /* a "Flags: nontransactional" header line */
} pcsm_scaffold_rev;

/*
 * Writes n revisions at once, each dir/<id>_<slug>.c, listed in
 * dir/revisions.txt under the one lock of pcsm_scaffold_write(): the ids,
 * parents and dates given, whatever the heads (a parent must be a revision
 * of dir or of the batch; the build checks the graph).  All or nothing: an
 * id that dir or the batch has already, a malformed date or parent, a
 * failed write, and no file is left behind and the list is as it was.
 * *paths_out (n malloc'd paths in a malloc'd array; the caller frees each
 * and the array) is set on success.
 * @return 0; PCSM_EINVALID (as pcsm_scaffold_write(), or the above); or
 * PCSM_ERROR (the file system failed)
 */
PCSM_API int pcsm_scaffold_write_revs(pcsm_ctx *ctx, const char *dir,
                                      const pcsm_scaffold_rev *revs, size_t n,
                                      char ***paths_out);

/* What pcsm_import_alembic_json() wrote, for its summary. */
typedef struct pcsm_import_summary {
    size_t revisions_clean;         /* revisions with no placeholder */
    size_t revisions_placeholder;   /* revisions with at least one */
    size_t ops_structured;          /* operations of the DDL API, raw SQL aside */
    size_t ops_raw_sql;             /* execute and execute_params */
    size_t ops_placeholder;         /* Python that cannot run in a revision */
} pcsm_import_summary;

/*
 * Imports an Alembic history, given as the JSON document of
 * generator/alembic_import.py (len bytes; its format is in
 * docs/switching-from-alembic.md), into dir: one revision per Alembic
 * revision, printed by the printer autogenerate uses, written by
 * pcsm_scaffold_write_revs() (all or nothing).  Each operation goes
 * through its pcsm_* call, so an invalid one is refused as a revision's
 * would be; a placeholder becomes a comment quoting the Python and an
 * #error naming its file and line.  *paths_out and *n_paths_out as
 * pcsm_scaffold_write_revs(); *summary is filled on success.
 * @return 0; PCSM_EINVALID (malformed JSON, an unknown operation or
 * member, a wrong JSON type, an invalid operation: the message names the
 * Python file, the revision, upgrade or downgrade, the line and the member;
 * or as pcsm_scaffold_write_revs()); or PCSM_ERROR
 */
PCSM_API int pcsm_import_alembic_json(pcsm_ctx *ctx, const char *dir, const char *json,
                                      size_t len, pcsm_import_summary *summary,
                                      char ***paths_out, size_t *n_paths_out);

#ifdef __cplusplus
}
#endif

#endif /* PCSM_SCAFFOLD_H */
