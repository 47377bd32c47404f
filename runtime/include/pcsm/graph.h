/*
 * The revision graph: lookups, target resolution and upgrade/downgrade
 * plans over the registry a context was built on.  Pure computation; no
 * database is involved.  Revisions are handed out as borrowed pointers into
 * the registry, which outlives everything.
 */
#ifndef PCSM_GRAPH_H
#define PCSM_GRAPH_H

#include <stdbool.h>
#include <stddef.h>

#include "error.h"

#ifdef __cplusplus
extern "C" {
#endif

/*
 * A set of revisions, kept in registry (topological) order without
 * duplicates.  The empty set is "base".  The array belongs to the set.
 */
typedef struct pcsm_revset {
    const pcsm_revision **revs;
    size_t n;
    size_t cap;
} pcsm_revset;

#define PCSM_REVSET_INIT { NULL, 0, 0 }

/* Frees the array; the set is then empty. NULL is a no-op. */
PCSM_API void pcsm_revset_dispose(pcsm_revset *set);
/* Adds rev unless present, keeping registry order. */
PCSM_API void pcsm_revset_add(pcsm_ctx *ctx, pcsm_revset *set, const pcsm_revision *rev);
PCSM_API bool pcsm_revset_contains(const pcsm_revset *set, const pcsm_revision *rev);

enum pcsm_direction {
    PCSM_UPGRADE = 1,
    PCSM_DOWNGRADE = -1,
};

typedef struct pcsm_step {
    const pcsm_revision *rev;
    enum pcsm_direction direction;
} pcsm_step;

/* The revisions to run, in the order to run them. Owns `steps`. */
typedef struct pcsm_plan {
    pcsm_step *steps;
    size_t n;
} pcsm_plan;

#define PCSM_PLAN_INIT { NULL, 0 }

PCSM_API void pcsm_plan_dispose(pcsm_plan *plan);

/* Number of revisions, and the i-th in registry order (borrowed). */
PCSM_API size_t pcsm_graph_count(const pcsm_ctx *ctx);
PCSM_API const pcsm_revision *pcsm_graph_at(const pcsm_ctx *ctx, size_t i);
/* Position of rev in registry order. */
PCSM_API size_t pcsm_graph_index(const pcsm_ctx *ctx, const pcsm_revision *rev);

/* The revisions no other revision revises. */
PCSM_API void pcsm_graph_heads(pcsm_ctx *ctx, pcsm_revset *out);
/* The revisions that name rev among their parents. */
PCSM_API void pcsm_graph_children(pcsm_ctx *ctx, const pcsm_revision *rev, pcsm_revset *out);
/* The revisions rev names in Revises, resolved (registry order; rev->parents keeps header order). */
PCSM_API void pcsm_graph_parents(pcsm_ctx *ctx, const pcsm_revision *rev, pcsm_revset *out);

/* True when `ancestor` is rev itself or reachable from rev through parents. */
PCSM_API bool pcsm_graph_is_ancestor(const pcsm_ctx *ctx, const pcsm_revision *ancestor,
                                     const pcsm_revision *rev);

/*
 * A full id or a unique prefix of one.
 * @return 0, PCSM_ENOTFOUND, PCSM_EAMBIGUOUS (the message lists the candidates),
 *         or PCSM_EINVALID when the context's registry was invalid
 */
PCSM_API int pcsm_graph_lookup(pcsm_ctx *ctx, const char *id_or_prefix,
                               const pcsm_revision **out);

/*
 * Resolves a target: "head", "heads", "base", a full id or unique prefix,
 * "+N"/"-N" relative to `current` (the applied heads; NULL or empty means
 * base), "REV+N", "REV-N", "head-N", "base+N", or several of those joined by
 * commas (their union: "a2,b1").  Steps through a branch or a merge point
 * are ambiguous and refused.  *out is replaced.
 * @return 0, PCSM_EINVALID, PCSM_ENOTFOUND, PCSM_EAMBIGUOUS or
 *         PCSM_EMULTIPLEHEADS
 */
PCSM_API int pcsm_graph_resolve(pcsm_ctx *ctx, const char *spec,
                                const pcsm_revset *current, pcsm_revset *out);

/*
 * The steps that take a database whose applied heads are `from` to `to`.
 * Upgrade: every ancestor of `to` not yet applied, parents first; a target
 * below the current heads is PCSM_ENOTANCESTOR.  Downgrade: every applied
 * revision that descends from a member of `to` (everything for base),
 * children first; a target that is not applied is PCSM_ENOTANCESTOR.
 * *out is replaced.
 */
PCSM_API int pcsm_graph_plan(pcsm_ctx *ctx, enum pcsm_direction direction,
                             const pcsm_revset *from, const pcsm_revset *to,
                             pcsm_plan *out);

/*
 * The applied heads after `step` runs on a database whose heads are *heads
 * (updated in place): what the version table must hold afterwards.
 */
PCSM_API void pcsm_graph_step_heads(pcsm_ctx *ctx, pcsm_revset *heads,
                                    const pcsm_step *step);

#ifdef __cplusplus
}
#endif

#endif /* PCSM_GRAPH_H */
