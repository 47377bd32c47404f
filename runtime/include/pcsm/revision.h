/*
 * One compiled revision, as the build-time generator (generator/
 * gen_registry.py) writes it into a registry.  A program links exactly one
 * registry, which defines pcsm_registry[] and pcsm_registry_len.
 */
#ifndef PCSM_REVISION_H
#define PCSM_REVISION_H

#include <stddef.h>

#include "common.h"

#ifdef __cplusplus
extern "C" {
#endif

/* The revision must run outside any transaction (CREATE INDEX CONCURRENTLY). */
#define PCSM_REV_NONTRANSACTIONAL (1u << 0)

typedef void (*pcsm_migration_fn)(pcsm_op *op);

/* A "Lint-ignore: <rule> -- <reason>" line of a revision's header. */
typedef struct pcsm_lint_ignore {
    const char *rule;
    const char *reason;
    unsigned line;                  /* in the source file */
} pcsm_lint_ignore;

/* Everything here is static data of the registry: never freed. */
typedef struct pcsm_revision {
    const char *id;
    const char *const *parents;     /* n_parents ids; a merge has several */
    size_t n_parents;
    const char *description;
    const char *create_date;        /* as written in the header */
    unsigned flags;                 /* PCSM_REV_* */
    const char *source_sha256;      /* hex SHA-256 of the source file */
    const char *source_path;        /* relative to the source root */
    pcsm_migration_fn upgrade;
    pcsm_migration_fn downgrade;
    const pcsm_lint_ignore *lint_ignores;   /* n_lint_ignores, in header order */
    size_t n_lint_ignores;
} pcsm_revision;

/*
 * The registry: revisions in a deterministic topological order (every
 * parent before its children), followed by an all-zero sentinel.
 */
extern const pcsm_revision pcsm_registry[];
extern const size_t pcsm_registry_len;

#ifdef __cplusplus
}
#endif

#endif /* PCSM_REVISION_H */
