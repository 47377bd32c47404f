/*
 * The revision graph (Alembic's RevisionMap): an index over the registry,
 * built once per context, and the walks the commands need: lookup by id or
 * prefix, target resolution, upgrade/downgrade plans and the heads the
 * version table holds after each step.  Pure computation: no database, no
 * output.  The contract is in pcsm/graph.h; the choices it leaves open are
 * written down where they are made, and summed up here:
 *
 *   - "+0" / "REV-0" are accepted and name the starting point itself.
 *   - A relative step needs one starting revision: from several (current
 *     heads, "heads") it is PCSM_EAMBIGUOUS, even for +0.
 *   - Going above a head is PCSM_ENOTFOUND (there is no such revision);
 *     going below base is PCSM_EINVALID.
 *   - An upgrade to base from a non-empty database is PCSM_ENOTANCESTOR,
 *     like any other target below the current heads.
 *   - A revset is ordered by address: every revision lives in the one
 *     registry array, so address order is registry order.
 *   - Functions whose output is replaced leave it unchanged on failure.
 *   - When the registry was invalid (ctx->graph is NULL), every function
 *     that can fail returns PCSM_EINVALID and keeps the build's message; the
 *     others see an empty graph.
 */
#include <assert.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "graph/graph.h"

/* alembic_version.version_num is varchar(32): a longer id cannot be stored. */
#define ID_MAX_LEN 32

/* Where a walk holds one registry index, this stands for base. */
#define BASE SIZE_MAX

struct pcsm_graph_id {
    const char *id;
    size_t idx; /* registry index */
};

/*
 * Everything is kept by registry index.  The registry is in topological
 * order, so a parent's index is always below its child's: the walks prune
 * on that and compute closures in one sweep, up or down the array.
 */
struct pcsm_graph {
    size_t n;
    struct pcsm_graph_id *by_id; /* n entries sorted by id (strcmp) */
    /* The parents of i: parent_idx[parent_off[i] .. parent_off[i + 1]). */
    size_t *parent_off; /* n + 1 entries */
    size_t *parent_idx; /* in Revises order */
    size_t *child_off;  /* the same layout for the children */
    size_t *child_idx;  /* ascending */
    size_t *roots;      /* the revisions without parents, ascending */
    size_t n_roots;
};

/* ------------------------------------------------------------ helpers */

#ifndef NDEBUG
/* For assertions: rev is an entry of this context's registry. */
static bool in_registry(const pcsm_ctx *ctx, const pcsm_revision *rev)
{
    /* Compared as integers: relational operators need both in one array. */
    uintptr_t p = (uintptr_t)rev, lo = (uintptr_t)ctx->revs;

    return rev && ctx->revs && p >= lo && p < lo + ctx->n_revs * sizeof(*rev)
           && (p - lo) % sizeof(*rev) == 0;
}
#endif

static size_t idx_of(const pcsm_ctx *ctx, const pcsm_revision *rev)
{
    assert(in_registry(ctx, rev));
    return (size_t)(rev - ctx->revs);
}

static const char *name_of(const pcsm_ctx *ctx, size_t idx)
{
    return idx == BASE ? "base" : ctx->revs[idx].id;
}

static size_t n_parents(const struct pcsm_graph *g, size_t i)
{
    return g->parent_off[i + 1] - g->parent_off[i];
}

static size_t n_children(const struct pcsm_graph *g, size_t i)
{
    return g->child_off[i + 1] - g->child_off[i];
}

/* Appends "a, b, c" for the given registry indices. */
static void put_ids(const pcsm_ctx *ctx, pcsm_buf *out, const size_t *idx,
                    size_t n)
{
    size_t i;

    for (i = 0; i < n; i++) {
        if (i)
            pcsm_buf_puts(out, ", ");
        pcsm_buf_puts(out, ctx->revs[idx[i]].id);
    }
}

/* Appends "a, b, c" for a revset, or "base" when it is empty. */
static void put_set(pcsm_buf *out, const pcsm_revset *set)
{
    size_t i;

    if (!set || set->n == 0) {
        pcsm_buf_puts(out, "base");
        return;
    }
    for (i = 0; i < set->n; i++) {
        if (i)
            pcsm_buf_puts(out, ", ");
        pcsm_buf_puts(out, set->revs[i]->id);
    }
}

/* The context reports the build's error for as long as it lives. */
static int no_graph(pcsm_ctx *ctx)
{
    if (pcsm_error_last(ctx)->code == PCSM_EINVALID)
        return PCSM_EINVALID;
    return pcsm_error__set(ctx, PCSM_EINVALID,
                           "the revision registry is invalid");
}

/*
 * Marks every ancestor-or-self of the already marked revisions, as far down
 * as index `floor`; `top` is the highest marked index.  One downward sweep:
 * a revision's mark is final before its parents are visited.
 */
static void sweep_ancestors(const struct pcsm_graph *g, unsigned char *mark,
                            size_t top, size_t floor)
{
    size_t i = top + 1, k;

    while (i-- > floor) {
        if (!mark[i])
            continue;
        for (k = g->parent_off[i]; k < g->parent_off[i + 1]; k++)
            mark[g->parent_idx[k]] = 1;
    }
}

/* Marks the ancestors-or-self of every member of set (NULL: base). */
static void mark_ancestors(const pcsm_ctx *ctx, const pcsm_revset *set,
                           unsigned char *mark)
{
    size_t i, top = 0;

    if (!set || set->n == 0)
        return;
    for (i = 0; i < set->n; i++) {
        size_t idx = idx_of(ctx, set->revs[i]);

        mark[idx] = 1;
        if (idx > top)
            top = idx;
    }
    sweep_ancestors(ctx->graph, mark, top, 0);
}

/* Position of rev in set, or where it would go; *found says which. */
static size_t revset_find(const pcsm_revset *set, const pcsm_revision *rev,
                          bool *found)
{
    size_t lo = 0, hi = set->n;

    /* Sets are mostly built in registry order: appending is the common case. */
    if (set->n == 0 || set->revs[set->n - 1] < rev) {
        *found = false;
        return set->n;
    }
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;

        if (set->revs[mid] < rev)
            lo = mid + 1;
        else
            hi = mid;
    }
    *found = lo < set->n && set->revs[lo] == rev;
    return lo;
}

static void revset_remove(pcsm_revset *set, const pcsm_revision *rev)
{
    bool found;
    size_t at = revset_find(set, rev, &found);

    if (!found)
        return;
    memmove(set->revs + at, set->revs + at + 1,
            (set->n - at - 1) * sizeof(*set->revs));
    set->n--;
}

/* ------------------------------------------------------------- revsets */

void pcsm_revset_dispose(pcsm_revset *set)
{
    if (!set)
        return;
    free(set->revs);
    set->revs = NULL;
    set->n = 0;
    set->cap = 0;
}

void pcsm_revset_add(pcsm_ctx *ctx, pcsm_revset *set, const pcsm_revision *rev)
{
    bool found;
    size_t at;

    assert(in_registry(ctx, rev));
    (void)ctx;
    at = revset_find(set, rev, &found);
    if (found)
        return;
    pcsm__grow(&set->revs, &set->cap, set->n + 1, sizeof(*set->revs));
    memmove(set->revs + at + 1, set->revs + at,
            (set->n - at) * sizeof(*set->revs));
    set->revs[at] = rev;
    set->n++;
}

bool pcsm_revset_contains(const pcsm_revset *set, const pcsm_revision *rev)
{
    bool found;

    if (!set)
        return false;
    revset_find(set, rev, &found);
    return found;
}

void pcsm_plan_dispose(pcsm_plan *plan)
{
    if (!plan)
        return;
    free(plan->steps);
    plan->steps = NULL;
    plan->n = 0;
}

/* --------------------------------------------------------------- build */

static int cmp_by_id(const void *a, const void *b)
{
    const struct pcsm_graph_id *x = a, *y = b;

    return strcmp(x->id, y->id);
}

/* First entry of by_id whose id is >= key. */
static size_t lower_bound(const struct pcsm_graph *g, const char *key)
{
    size_t lo = 0, hi = g->n;

    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;

        if (strcmp(g->by_id[mid].id, key) < 0)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo;
}

/* Registry index of the revision with exactly this id, or BASE. */
static size_t find_exact(const struct pcsm_graph *g, const char *id)
{
    size_t at = lower_bound(g, id);

    if (at < g->n && strcmp(g->by_id[at].id, id) == 0)
        return g->by_id[at].idx;
    return BASE;
}

/*
 * Ids are restricted to [0-9A-Za-z_]: target syntax splits on '+' and '-',
 * and the version table stores them.  Not isalnum(): it follows the locale.
 */
static bool is_id_char(char c)
{
    return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z')
           || (c >= 'A' && c <= 'Z') || c == '_';
}

static int check_id(pcsm_ctx *ctx, size_t i)
{
    const char *id = ctx->revs[i].id, *p;

    if (!id)
        return pcsm_error__set(ctx, PCSM_EINVALID,
                               "registry entry %zu has no id", i);
    if (!*id)
        return pcsm_error__set(ctx, PCSM_EINVALID,
                               "registry entry %zu has an empty id", i);
    for (p = id; *p; p++) {
        if (!is_id_char(*p))
            return pcsm_error__set(
                ctx, PCSM_EINVALID,
                "revision '%s' (registry entry %zu): an id may only "
                "hold letters, digits and '_'",
                id, i);
    }
    if (p - id > ID_MAX_LEN)
        return pcsm_error__set(ctx, PCSM_EINVALID,
                               "revision '%s': id longer than %d characters",
                               id, ID_MAX_LEN);
    return 0;
}

/* Resolves rev i's Revises into parent_idx, checking each entry. */
static int link_parents(pcsm_ctx *ctx, struct pcsm_graph *g, size_t i)
{
    const pcsm_revision *rev = &ctx->revs[i];
    size_t k, j;

    if (rev->n_parents && !rev->parents)
        return pcsm_error__set(
            ctx, PCSM_EINVALID,
            "revision '%s' has %zu parents but no parent list", rev->id,
            rev->n_parents);
    for (k = 0; k < rev->n_parents; k++) {
        const char *pid = rev->parents[k];
        size_t p;

        if (!pid)
            return pcsm_error__set(ctx, PCSM_EINVALID,
                                   "revision '%s' has a parent without id",
                                   rev->id);
        p = find_exact(g, pid);
        if (p == BASE)
            return pcsm_error__set(
                ctx, PCSM_EINVALID,
                "revision '%s' revises unknown revision '%s'", rev->id, pid);
        if (p == i)
            return pcsm_error__set(ctx, PCSM_EINVALID,
                                   "revision '%s' revises itself", rev->id);
        /* Also what rules out cycles: every edge points down the array. */
        if (p > i)
            return pcsm_error__set(
                ctx, PCSM_EINVALID,
                "revision '%s' revises '%s', which comes after it: "
                "the registry is not in topological order",
                rev->id, pid);
        for (j = 0; j < k; j++) {
            if (g->parent_idx[g->parent_off[i] + j] == p)
                return pcsm_error__set(
                    ctx, PCSM_EINVALID,
                    "revision '%s' names '%s' twice in Revises", rev->id, pid);
        }
        g->parent_idx[g->parent_off[i] + k] = p;
    }
    return 0;
}

int pcsm_graph__build(pcsm_ctx *ctx)
{
    const pcsm_revision *revs = ctx->revs;
    size_t n = ctx->n_revs, i, k, total = 0;
    struct pcsm_graph *g;
    size_t *cursor = NULL;
    int rc = 0;

    pcsm_graph__free(ctx->graph);
    ctx->graph = NULL;
    if (n > 0 && !revs)
        return pcsm_error__set(ctx, PCSM_EINVALID,
                               "the registry claims %zu revisions but has none",
                               n);

    g = pcsm__xcalloc(1, sizeof(*g));
    g->n = n;
    g->by_id = pcsm__xmalloc(n * sizeof(*g->by_id));
    for (i = 0; i < n; i++) {
        rc = check_id(ctx, i);
        if (rc < 0)
            goto done;
        g->by_id[i].id = revs[i].id;
        g->by_id[i].idx = i;
    }
    if (n > 1)
        qsort(g->by_id, n, sizeof(*g->by_id), cmp_by_id);
    for (i = 1; i < n; i++) {
        if (strcmp(g->by_id[i - 1].id, g->by_id[i].id) == 0) {
            size_t a = g->by_id[i - 1].idx, b = g->by_id[i].idx;

            rc = pcsm_error__set(
                ctx, PCSM_EINVALID,
                "duplicate revision id '%s' (registry entries %zu and %zu)",
                g->by_id[i].id, a < b ? a : b, a < b ? b : a);
            goto done;
        }
    }

    g->parent_off = pcsm__xmalloc((n + 1) * sizeof(*g->parent_off));
    for (i = 0; i < n; i++) {
        g->parent_off[i] = total;
        total += revs[i].n_parents;
    }
    g->parent_off[n] = total;
    g->parent_idx = pcsm__xmalloc(total * sizeof(*g->parent_idx));
    for (i = 0; i < n; i++) {
        rc = link_parents(ctx, g, i);
        if (rc < 0)
            goto done;
    }

    /*
     * Children by counting sort; filling them in registry order keeps
     * each list ascending.
     */
    g->child_off = pcsm__xcalloc(n + 1, sizeof(*g->child_off));
    for (k = 0; k < total; k++)
        g->child_off[g->parent_idx[k] + 1]++;
    for (i = 0; i < n; i++)
        g->child_off[i + 1] += g->child_off[i];
    g->child_idx = pcsm__xmalloc(total * sizeof(*g->child_idx));
    cursor = pcsm__xmalloc((n + 1) * sizeof(*cursor));
    memcpy(cursor, g->child_off, (n + 1) * sizeof(*cursor));
    for (i = 0; i < n; i++) {
        for (k = g->parent_off[i]; k < g->parent_off[i + 1]; k++)
            g->child_idx[cursor[g->parent_idx[k]]++] = i;
    }

    g->roots = pcsm__xmalloc(n * sizeof(*g->roots));
    for (i = 0; i < n; i++) {
        if (n_parents(g, i) == 0)
            g->roots[g->n_roots++] = i;
    }

done:
    free(cursor);
    if (rc < 0) {
        pcsm_graph__free(g);
        return rc;
    }
    ctx->graph = g;
    return 0;
}

void pcsm_graph__free(struct pcsm_graph *graph)
{
    if (!graph)
        return;
    free(graph->by_id);
    free(graph->parent_off);
    free(graph->parent_idx);
    free(graph->child_off);
    free(graph->child_idx);
    free(graph->roots);
    free(graph);
}

/* ---------------------------------------------------------- structure */

size_t pcsm_graph_count(const pcsm_ctx *ctx)
{
    return ctx->graph ? ctx->graph->n : 0;
}

const pcsm_revision *pcsm_graph_at(const pcsm_ctx *ctx, size_t i)
{
    assert(i < pcsm_graph_count(ctx));
    return &ctx->revs[i];
}

size_t pcsm_graph_index(const pcsm_ctx *ctx, const pcsm_revision *rev)
{
    return idx_of(ctx, rev);
}

void pcsm_graph_heads(pcsm_ctx *ctx, pcsm_revset *out)
{
    const struct pcsm_graph *g = ctx->graph;
    size_t i;

    out->n = 0;
    if (!g)
        return;
    for (i = 0; i < g->n; i++) {
        if (n_children(g, i) == 0)
            pcsm_revset_add(ctx, out, &ctx->revs[i]);
    }
}

/* The revisions of one adjacency list (children or parents) of rev. */
static void put_adjacent(pcsm_ctx *ctx, const pcsm_revision *rev, bool children,
                         pcsm_revset *out)
{
    const struct pcsm_graph *g = ctx->graph;
    const size_t *off, *idx;
    size_t i, k;

    out->n = 0;
    if (!g)
        return;
    off = children ? g->child_off : g->parent_off;
    idx = children ? g->child_idx : g->parent_idx;
    i = idx_of(ctx, rev);
    for (k = off[i]; k < off[i + 1]; k++)
        pcsm_revset_add(ctx, out, &ctx->revs[idx[k]]);
}

void pcsm_graph_children(pcsm_ctx *ctx, const pcsm_revision *rev, pcsm_revset *out)
{
    put_adjacent(ctx, rev, true, out);
}

/*
 * A revset is in registry order, so the parents come out in that order, not
 * in the order of the Revises header; rev->parents has the header's order.
 */
void pcsm_graph_parents(pcsm_ctx *ctx, const pcsm_revision *rev, pcsm_revset *out)
{
    put_adjacent(ctx, rev, false, out);
}

bool pcsm_graph_is_ancestor(const pcsm_ctx *ctx, const pcsm_revision *ancestor,
                            const pcsm_revision *rev)
{
    size_t a, b;
    unsigned char *mark;
    bool result;

    if (ancestor == rev)
        return true;
    if (!ctx->graph)
        return false;
    a = idx_of(ctx, ancestor);
    b = idx_of(ctx, rev);
    /* An ancestor always sits lower in the registry. */
    if (a > b)
        return false;
    mark = pcsm__xcalloc(b + 1, 1);
    mark[b] = 1;
    sweep_ancestors(ctx->graph, mark, b, a);
    result = mark[a];
    free(mark);
    return result;
}

/* ------------------------------------------------------------- lookup */

int pcsm_graph_lookup(pcsm_ctx *ctx, const char *id_or_prefix,
                      const pcsm_revision **out)
{
    const struct pcsm_graph *g = ctx->graph;
    size_t len, lo, hi;
    pcsm_buf msg = PCSM_BUF_INIT;

    assert(id_or_prefix && out);
    *out = NULL;
    if (!g)
        return no_graph(ctx);
    /* The empty string is a prefix of everything; it names nothing. */
    if (!*id_or_prefix)
        return pcsm_error__set(ctx, PCSM_ENOTFOUND, "no revision ''");

    /* The ids sharing a prefix are contiguous in sorted order. */
    len = strlen(id_or_prefix);
    lo = lower_bound(g, id_or_prefix);
    hi = lo;
    while (hi < g->n && strncmp(g->by_id[hi].id, id_or_prefix, len) == 0)
        hi++;
    if (hi == lo)
        return pcsm_error__set(ctx, PCSM_ENOTFOUND, "no revision '%s'",
                               id_or_prefix);
    /*
     * A full id wins over the longer ids it is a prefix of, as in
     * Alembic.  It sorts first among them.
     */
    if (hi - lo == 1 || strcmp(g->by_id[lo].id, id_or_prefix) == 0) {
        *out = &ctx->revs[g->by_id[lo].idx];
        return 0;
    }
    for (; lo < hi; lo++) {
        pcsm_buf_puts(&msg, g->by_id[lo].id);
        if (lo + 1 < hi)
            pcsm_buf_puts(&msg, ", ");
    }
    pcsm_error__set(ctx, PCSM_EAMBIGUOUS,
                    "revision prefix '%s' is ambiguous: %s", id_or_prefix,
                    msg.ptr);
    pcsm_buf_dispose(&msg);
    return PCSM_EAMBIGUOUS;
}

/* ------------------------------------------------------------ resolve */

/*
 * "head", "heads", "base" or an id/prefix.  `spec` is the whole target, for
 * the messages.
 */
static int resolve_name(pcsm_ctx *ctx, const char *spec, const char *name,
                        pcsm_revset *out)
{
    const pcsm_revision *rev;
    int rc;

    out->n = 0;
    if (strcmp(name, "base") == 0)
        return 0;
    if (strcmp(name, "heads") == 0 || strcmp(name, "head") == 0) {
        bool single = strcmp(name, "head") == 0;

        pcsm_graph_heads(ctx, out);
        if (single && out->n > 1) {
            pcsm_buf list = PCSM_BUF_INIT;

            put_set(&list, out);
            pcsm_error__set(
                ctx, PCSM_EMULTIPLEHEADS,
                "target '%s': 'head' is ambiguous, there are %zu heads (%s); "
                "use 'heads' or a specific revision",
                spec, out->n, list.ptr);
            pcsm_buf_dispose(&list);
            return PCSM_EMULTIPLEHEADS;
        }
        return 0;
    }
    rc = pcsm_graph_lookup(ctx, name, &rev);
    if (rc < 0 && strcmp(name, spec) != 0)
        return pcsm_error__prefix(ctx, "target '%s': ", spec);
    if (rc < 0)
        return rc;
    pcsm_revset_add(ctx, out, rev);
    return 0;
}

/* N of "+N"/"-N": a decimal number, leading zeros allowed. */
static int parse_count(pcsm_ctx *ctx, const char *spec, const char *text,
                       char sign, size_t *out)
{
    size_t v = 0;
    const char *p;

    if (!*text)
        return pcsm_error__set(
            ctx, PCSM_EINVALID,
            "invalid target '%s': missing step count after '%c'", spec, sign);
    for (p = text; *p; p++) {
        size_t d;

        if (*p < '0' || *p > '9')
            return pcsm_error__set(
                ctx, PCSM_EINVALID,
                "invalid target '%s': step count '%s' is not a decimal number",
                spec, text);
        d = (size_t)(*p - '0');
        if (v > (SIZE_MAX - d) / 10)
            return pcsm_error__set(
                ctx, PCSM_EINVALID,
                "invalid target '%s': step count '%s' is too large", spec,
                text);
        v = v * 10 + d;
    }
    *out = v;
    return 0;
}

/*
 * Walks `count` steps from `start` (a registry index or BASE): up through
 * the unique child, down through the unique parent.  A branch point going
 * up or a merge going down has no single answer and is refused.
 */
static int walk(pcsm_ctx *ctx, const char *spec, size_t start, char sign,
                size_t count, pcsm_revset *out)
{
    const struct pcsm_graph *g = ctx->graph;
    const char *s = count == 1 ? "" : "s";
    size_t cur = start, k;

    for (k = 0; k < count; k++) {
        if (sign == '+') {
            const size_t *next;
            size_t nn;

            if (cur == BASE) {
                next = g->roots;
                nn = g->n_roots;
            } else {
                next = g->child_idx + g->child_off[cur];
                nn = n_children(g, cur);
            }
            if (nn == 0 && cur == BASE)
                return pcsm_error__set(
                    ctx, PCSM_ENOTFOUND,
                    "target '%s': cannot go %zu step%s above base: "
                    "there are no revisions",
                    spec, count, s);
            if (nn == 0)
                return pcsm_error__set(
                    ctx, PCSM_ENOTFOUND,
                    "target '%s': cannot go %zu step%s above %s: %s is a head",
                    spec, count, s, name_of(ctx, start), name_of(ctx, cur));
            if (nn > 1) {
                pcsm_buf list = PCSM_BUF_INIT;

                put_ids(ctx, &list, next, nn);
                if (cur == BASE)
                    pcsm_error__set(
                        ctx, PCSM_EAMBIGUOUS,
                        "target '%s': there are several root revisions (%s); "
                        "name one of them",
                        spec, list.ptr);
                else
                    pcsm_error__set(
                        ctx, PCSM_EAMBIGUOUS,
                        "target '%s': %s has several children (%s); "
                        "name one of them",
                        spec, name_of(ctx, cur), list.ptr);
                pcsm_buf_dispose(&list);
                return PCSM_EAMBIGUOUS;
            }
            cur = next[0];
        } else {
            size_t np;

            if (cur == BASE && start == BASE)
                return pcsm_error__set(ctx, PCSM_EINVALID,
                                       "target '%s': cannot go below base",
                                       spec);
            if (cur == BASE)
                return pcsm_error__set(
                    ctx, PCSM_EINVALID,
                    "target '%s': cannot go %zu step%s below %s: "
                    "base is %zu step%s below it",
                    spec, count, s, name_of(ctx, start), k, k == 1 ? "" : "s");
            np = n_parents(g, cur);
            if (np > 1) {
                pcsm_buf list = PCSM_BUF_INIT;

                put_ids(ctx, &list, g->parent_idx + g->parent_off[cur], np);
                pcsm_error__set(
                    ctx, PCSM_EAMBIGUOUS,
                    "target '%s': %s is a merge of %s; name one of its parents",
                    spec, name_of(ctx, cur), list.ptr);
                pcsm_buf_dispose(&list);
                return PCSM_EAMBIGUOUS;
            }
            cur = np ? g->parent_idx[g->parent_off[cur]] : BASE;
        }
    }
    out->n = 0;
    if (cur != BASE)
        pcsm_revset_add(ctx, out, &ctx->revs[cur]);
    return 0;
}

static int resolve_one(pcsm_ctx *ctx, const char *spec, const pcsm_revset *current,
                       pcsm_revset *out);

/*
 * Several targets joined by commas ("a2,b1") name the union: the heads of
 * partly applied branches.  Each part resolves on its own.
 */
int pcsm_graph_resolve(pcsm_ctx *ctx, const char *spec,
                       const pcsm_revset *current, pcsm_revset *out)
{
    pcsm_revset all = PCSM_REVSET_INIT, one = PCSM_REVSET_INIT;
    const char *p, *comma;
    size_t i;
    int rc = 0;

    if (!spec || !strchr(spec, ','))
        return resolve_one(ctx, spec, current, out);
    for (p = spec; rc == 0; p = comma + 1) {
        char *part;

        comma = strchr(p, ',');
        part = comma ? pcsm__xstrndup(p, (size_t)(comma - p)) : pcsm__xstrdup(p);
        if (!*part)
            rc = pcsm_error__set(ctx, PCSM_EINVALID, "invalid target '%s': an empty item",
                                 spec);
        else
            rc = resolve_one(ctx, part, current, &one);
        free(part);
        for (i = 0; rc == 0 && i < one.n; i++)
            pcsm_revset_add(ctx, &all, one.revs[i]);
        if (!comma)
            break;
    }
    pcsm_revset_dispose(&one);
    if (rc < 0) {
        pcsm_revset_dispose(&all);
        return rc;
    }
    pcsm_revset_dispose(out);
    *out = all;
    return 0;
}

static int resolve_one(pcsm_ctx *ctx, const char *spec, const pcsm_revset *current,
                       pcsm_revset *out)
{
    pcsm_revset res = PCSM_REVSET_INIT, from = PCSM_REVSET_INIT;
    const pcsm_revset *start_set;
    const char *op = NULL, *p;
    char *name = NULL;
    size_t count = 0, start;
    int rc;

    assert(out);
    if (!ctx->graph)
        return no_graph(ctx);
    if (!spec || !*spec)
        return pcsm_error__set(ctx, PCSM_EINVALID, "invalid target '': empty");
    /* Ids never hold '+' or '-', so the last one starts the step. */
    for (p = spec; *p; p++) {
        if (*p == '+' || *p == '-')
            op = p;
        else if (!is_id_char(*p))
            return pcsm_error__set(
                ctx, PCSM_EINVALID,
                "invalid target '%s': expected head, heads, base, a revision "
                "id or prefix, optionally followed by +N or -N",
                spec);
    }
    if (!op) {
        rc = resolve_name(ctx, spec, spec, &res);
        goto done;
    }

    rc = parse_count(ctx, spec, op + 1, *op, &count);
    if (rc < 0)
        goto done;
    name = pcsm__xmalloc((size_t)(op - spec) + 1);
    memcpy(name, spec, (size_t)(op - spec));
    name[op - spec] = '\0';
    if (strchr(name, '+') || strchr(name, '-')) {
        rc = pcsm_error__set(
            ctx, PCSM_EINVALID,
            "invalid target '%s': only one step (+N or -N) is allowed", spec);
        goto done;
    }
    if (*name) {
        rc = resolve_name(ctx, spec, name, &from);
        if (rc < 0)
            goto done;
        start_set = &from;
    } else {
        start_set = current;
    }
    /* Even for +0: the answer would not be one revision. */
    if (start_set && start_set->n > 1) {
        pcsm_buf list = PCSM_BUF_INIT;

        put_set(&list, start_set);
        rc = pcsm_error__set(ctx, PCSM_EAMBIGUOUS,
                             "target '%s' starts from several revisions (%s); "
                             "use REV%cN with one of them",
                             spec, list.ptr, *op);
        pcsm_buf_dispose(&list);
        goto done;
    }
    start = start_set && start_set->n ? idx_of(ctx, start_set->revs[0]) : BASE;
    rc = walk(ctx, spec, start, *op, count, &res);

done:
    free(name);
    pcsm_revset_dispose(&from);
    if (rc < 0) {
        pcsm_revset_dispose(&res);
        return rc;
    }
    /* Only now: out may be `current`. */
    pcsm_revset_dispose(out);
    *out = res;
    return 0;
}

/* --------------------------------------------------------------- plan */

static void plan_push(pcsm_plan *plan, size_t *cap, const pcsm_revision *rev,
                      enum pcsm_direction direction)
{
    pcsm__grow(&plan->steps, cap, plan->n + 1, sizeof(*plan->steps));
    plan->steps[plan->n].rev = rev;
    plan->steps[plan->n].direction = direction;
    plan->n++;
}

/*
 * applied = ancestors-or-self of `from`, needed = those of `to`;
 * steps = needed \ applied, parents first.
 */
static int plan_upgrade(pcsm_ctx *ctx, const pcsm_revset *from,
                        const pcsm_revset *to, const unsigned char *applied,
                        pcsm_plan *plan)
{
    const struct pcsm_graph *g = ctx->graph;
    unsigned char *needed;
    size_t i, j, cap = 0;
    pcsm_buf list = PCSM_BUF_INIT;
    int rc = 0;

    if (to->n == 0 && from && from->n > 0) {
        put_set(&list, from);
        rc = pcsm_error__set(
            ctx, PCSM_ENOTANCESTOR,
            "base is below the current revision%s %s; use downgrade",
            from->n == 1 ? "" : "s", list.ptr);
        goto done;
    }
    for (i = 0; i < to->n; i++) {
        const pcsm_revision *t = to->revs[i];

        if (!applied[idx_of(ctx, t)] || pcsm_revset_contains(from, t))
            continue;
        /* Applied, not a current head: some head sits above it. */
        for (j = 0; j < from->n; j++) {
            if (pcsm_graph_is_ancestor(ctx, t, from->revs[j]))
                break;
        }
        assert(j < from->n);
        rc = pcsm_error__set(
            ctx, PCSM_ENOTANCESTOR,
            "%s is below the current revision %s; use downgrade", t->id,
            from->revs[j]->id);
        goto done;
    }

    needed = pcsm__xcalloc(g->n, 1);
    mark_ancestors(ctx, to, needed);
    for (i = 0; i < g->n; i++) {
        if (needed[i] && !applied[i])
            plan_push(plan, &cap, &ctx->revs[i], PCSM_UPGRADE);
    }
    free(needed);

done:
    pcsm_buf_dispose(&list);
    return rc;
}

/*
 * Steps = applied strict descendants of a member of `to` (all applied for
 * base), children first.  The ancestors-or-self of `to` are kept even when
 * they descend from another member of `to`: the target asks to keep them.
 */
static int plan_downgrade(pcsm_ctx *ctx, const pcsm_revset *from,
                          const pcsm_revset *to, const unsigned char *applied,
                          pcsm_plan *plan)
{
    const struct pcsm_graph *g = ctx->graph;
    unsigned char *keep, *desc;
    size_t i, k, cap = 0, low = g->n;
    pcsm_buf list = PCSM_BUF_INIT;

    for (i = 0; i < to->n; i++) {
        const pcsm_revision *t = to->revs[i];

        if (applied[idx_of(ctx, t)])
            continue;
        put_set(&list, from);
        pcsm_error__set(ctx, PCSM_ENOTANCESTOR,
                        "%s is not applied (current: %s); use upgrade", t->id,
                        list.ptr);
        pcsm_buf_dispose(&list);
        return PCSM_ENOTANCESTOR;
    }

    keep = pcsm__xcalloc(g->n, 1);
    desc = pcsm__xcalloc(g->n, 1);
    mark_ancestors(ctx, to, keep);
    for (i = 0; i < to->n; i++) {
        size_t t = idx_of(ctx, to->revs[i]);

        desc[t] = 1;
        if (t < low)
            low = t;
    }
    /* One upward sweep: a revision descends from `to` when a parent does. */
    for (i = low; i < g->n; i++) {
        for (k = g->parent_off[i]; !desc[i] && k < g->parent_off[i + 1]; k++)
            desc[i] = desc[g->parent_idx[k]];
    }
    for (i = g->n; i-- > 0;) {
        if (applied[i] && !keep[i] && (to->n == 0 || desc[i]))
            plan_push(plan, &cap, &ctx->revs[i], PCSM_DOWNGRADE);
    }
    free(keep);
    free(desc);
    return 0;
}

int pcsm_graph_plan(pcsm_ctx *ctx, enum pcsm_direction direction,
                    const pcsm_revset *from, const pcsm_revset *to,
                    pcsm_plan *out)
{
    static const pcsm_revset empty = PCSM_REVSET_INIT;
    pcsm_plan plan = PCSM_PLAN_INIT;
    unsigned char *applied;
    int rc;

    assert(direction == PCSM_UPGRADE || direction == PCSM_DOWNGRADE);
    assert(out);
    if (!ctx->graph)
        return no_graph(ctx);
    if (!from)
        from = &empty;
    if (!to)
        to = &empty;

    applied = pcsm__xcalloc(ctx->graph->n, 1);
    mark_ancestors(ctx, from, applied);
    if (direction == PCSM_UPGRADE)
        rc = plan_upgrade(ctx, from, to, applied, &plan);
    else
        rc = plan_downgrade(ctx, from, to, applied, &plan);
    free(applied);
    if (rc < 0) {
        pcsm_plan_dispose(&plan);
        return rc;
    }
    pcsm_plan_dispose(out);
    *out = plan;
    return 0;
}

/* --------------------------------------------------------- step heads */

void pcsm_graph_step_heads(pcsm_ctx *ctx, pcsm_revset *heads,
                           const pcsm_step *step)
{
    const struct pcsm_graph *g = ctx->graph;
    size_t r, k, j, top = 0, floor = BASE;
    unsigned char *mark;

    if (!g)
        return;
    r = idx_of(ctx, step->rev);
    if (step->direction == PCSM_UPGRADE) {
        for (k = g->parent_off[r]; k < g->parent_off[r + 1]; k++)
            revset_remove(heads, &ctx->revs[g->parent_idx[k]]);
        pcsm_revset_add(ctx, heads, step->rev);
        return;
    }

    revset_remove(heads, step->rev);
    if (n_parents(g, r) == 0)
        return;
    /*
     * A parent comes back as a head unless a remaining head still covers
     * it, or another parent does (a merge may name a revision and one of
     * its ancestors).  Seed the remaining heads and the parents' own
     * parents, sweep down to the lowest parent, and read the marks.
     */
    mark = pcsm__xcalloc(g->n, 1);
    for (j = 0; j < heads->n; j++) {
        size_t h = idx_of(ctx, heads->revs[j]);

        mark[h] = 1;
        if (h > top)
            top = h;
    }
    for (k = g->parent_off[r]; k < g->parent_off[r + 1]; k++) {
        size_t p = g->parent_idx[k], q;

        if (p < floor)
            floor = p;
        if (p > top)
            top = p;
        for (q = g->parent_off[p]; q < g->parent_off[p + 1]; q++)
            mark[g->parent_idx[q]] = 1;
    }
    sweep_ancestors(g, mark, top, floor);
    for (k = g->parent_off[r]; k < g->parent_off[r + 1]; k++) {
        size_t p = g->parent_idx[k];

        if (!mark[p])
            pcsm_revset_add(ctx, heads, &ctx->revs[p]);
    }
    free(mark);
}
