/*
 * libFuzzer target: target specs, lookups and plans (runtime/lib/graph/graph.c) over the
 * merge fixture or a graph made from the input, checked against a naive model.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <pcsm/pcsm.h>

#include "fuzz_check.h"

#define MAX_REVS 16
#define MAX_PARENTS 4
#define MAX_TARGETS 8
#define NONE ((size_t)-1)       /* base, in a walk */

/* ------------------------------------------------------- a naive model */

struct model {
    const pcsm_revision *revs;
    size_t n;
    size_t par[MAX_REVS][MAX_PARENTS];
    size_t n_par[MAX_REVS];
};

typedef bool revmask[MAX_REVS];

static bool is_id_char(char c)
{
    return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
           c == '_';
}

static size_t find_id(const pcsm_revision *revs, size_t n, const char *id)
{
    size_t i;

    for (i = 0; i < n; i++)
        if (!strcmp(revs[i].id, id))
            return i;
    return NONE;
}

/* What graph.c must accept: pcsm/graph.h and the registry's contract. */
static bool registry_valid(const pcsm_revision *revs, size_t n, struct model *m)
{
    size_t i, k, j;

    m->revs = revs;
    m->n = n;
    for (i = 0; i < n; i++) {
        const char *id = revs[i].id;

        if (!id || !*id || strlen(id) > 32 || strspn(id, "0123456789abcdefghijklmnopqrstuvwxyz"
                                                     "ABCDEFGHIJKLMNOPQRSTUVWXYZ_") != strlen(id))
            return false;
        for (j = 0; j < i; j++)
            if (!strcmp(revs[j].id, id))
                return false;
    }
    for (i = 0; i < n; i++) {
        if (revs[i].n_parents && !revs[i].parents)
            return false;
        if (revs[i].n_parents > MAX_PARENTS)
            return false;
        m->n_par[i] = revs[i].n_parents;
        for (k = 0; k < revs[i].n_parents; k++) {
            size_t p;

            if (!revs[i].parents[k])
                return false;
            p = find_id(revs, n, revs[i].parents[k]);
            if (p == NONE || p >= i)
                return false;
            for (j = 0; j < k; j++)
                if (m->par[i][j] == p)
                    return false;
            m->par[i][k] = p;
        }
    }
    return true;
}

static size_t idx(const struct model *m, const pcsm_revision *rev)
{
    CHECK(rev >= m->revs && rev < m->revs + m->n, "a revision outside the registry");
    return (size_t)(rev - m->revs);
}

static bool has_parent(const struct model *m, size_t child, size_t parent)
{
    size_t k;

    for (k = 0; k < m->n_par[child]; k++)
        if (m->par[child][k] == parent)
            return true;
    return false;
}

static size_t children(const struct model *m, size_t i, size_t *out)
{
    size_t c, n = 0;

    for (c = 0; c < m->n; c++)
        if (i == NONE ? m->n_par[c] == 0 : has_parent(m, c, i))
            out[n++] = c;
    return n;
}

/* Ancestors-or-self, to a fixed point (no reliance on the order). */
static void close_down(const struct model *m, revmask mark)
{
    bool changed = true;
    size_t i, k;

    while (changed) {
        changed = false;
        for (i = 0; i < m->n; i++)
            for (k = 0; mark[i] && k < m->n_par[i]; k++)
                if (!mark[m->par[i][k]])
                    changed = mark[m->par[i][k]] = true;
    }
}

static void mask_of(const struct model *m, const pcsm_revset *set, revmask out)
{
    size_t i;

    memset(out, 0, sizeof(revmask));
    for (i = 0; set && i < set->n; i++)
        out[idx(m, set->revs[i])] = true;
}

/* The members of `mark` with no marked child. */
static void maximal(const struct model *m, const revmask mark, revmask out)
{
    size_t i, c;

    for (i = 0; i < m->n; i++) {
        out[i] = mark[i];
        for (c = 0; out[i] && c < m->n; c++)
            if (mark[c] && has_parent(m, c, i))
                out[i] = false;
    }
}

static void check_set_is(const struct model *m, const pcsm_revset *set, const revmask want,
                         const char *what)
{
    revmask got;
    size_t i;

    for (i = 1; i < set->n; i++)
        CHECK(set->revs[i - 1] < set->revs[i], "%s: revset out of order", what);
    mask_of(m, set, got);
    CHECK(!memcmp(got, want, m->n * sizeof(bool)), "%s: wrong revisions", what);
}

/* ----------------------------------------------------- the model's answers */

static int model_lookup(const struct model *m, const char *s, size_t *out)
{
    size_t i, len = strlen(s), n = 0;

    if (!*s)
        return PCSM_ENOTFOUND;
    for (i = 0; i < m->n; i++) {
        if (!strcmp(m->revs[i].id, s)) {
            *out = i;
            return 0;
        }
        if (!strncmp(m->revs[i].id, s, len)) {
            *out = i;
            n++;
        }
    }
    return n == 0 ? PCSM_ENOTFOUND : n == 1 ? 0 : PCSM_EAMBIGUOUS;
}

static int model_name(const struct model *m, const char *name, revmask out)
{
    size_t i, at;
    int rc;

    memset(out, 0, sizeof(revmask));
    if (!strcmp(name, "base"))
        return 0;
    if (!strcmp(name, "heads") || !strcmp(name, "head")) {
        revmask all = { false };
        size_t n = 0;

        for (i = 0; i < m->n; i++)
            all[i] = true;
        maximal(m, all, out);
        for (i = 0; i < m->n; i++)
            n += out[i];
        return !strcmp(name, "head") && n > 1 ? PCSM_EMULTIPLEHEADS : 0;
    }
    rc = model_lookup(m, name, &at);
    if (rc == 0)
        out[at] = true;
    return rc;
}

static int model_walk(const struct model *m, size_t cur, char sign, size_t count, revmask out)
{
    size_t k, next[MAX_REVS];

    for (k = 0; k < count; k++) {
        if (sign == '+') {
            size_t nn = children(m, cur, next);

            if (nn == 0)
                return PCSM_ENOTFOUND;
            if (nn > 1)
                return PCSM_EAMBIGUOUS;
            cur = next[0];
        } else {
            if (cur == NONE)
                return PCSM_EINVALID;
            if (m->n_par[cur] > 1)
                return PCSM_EAMBIGUOUS;
            cur = m->n_par[cur] ? m->par[cur][0] : NONE;
        }
    }
    memset(out, 0, sizeof(revmask));
    if (cur != NONE)
        out[cur] = true;
    return 0;
}

/* pcsm/graph.h's grammar, checked in the order graph.c documents. */
static int model_resolve_one(const struct model *m, const char *spec, const revmask current,
                             revmask out)
{
    const char *p, *op = NULL;
    char name[4096];
    size_t count = 0, i, start = NONE, n_start = 0;
    revmask from;
    int rc;

    if (!*spec)
        return PCSM_EINVALID;
    for (p = spec; *p; p++) {
        if (*p == '+' || *p == '-')
            op = p;
        else if (!is_id_char(*p))
            return PCSM_EINVALID;
    }
    if (!op)
        return model_name(m, spec, out);
    if (!op[1])
        return PCSM_EINVALID;
    for (p = op + 1; *p; p++) {
        if (*p < '0' || *p > '9' || count > (SIZE_MAX - (size_t)(*p - '0')) / 10)
            return PCSM_EINVALID;
        count = count * 10 + (size_t)(*p - '0');
    }
    if ((size_t)(op - spec) >= sizeof(name))
        return PCSM_ERROR;      /* the model's limit, not the library's */
    memcpy(name, spec, (size_t)(op - spec));
    name[op - spec] = '\0';
    if (strpbrk(name, "+-"))
        return PCSM_EINVALID;
    if (*name) {
        rc = model_name(m, name, from);
        if (rc)
            return rc;
    } else {
        memcpy(from, current, sizeof(revmask));
    }
    for (i = 0; i < m->n; i++)
        if (from[i]) {
            start = i;
            n_start++;
        }
    if (n_start > 1)
        return PCSM_EAMBIGUOUS;
    return model_walk(m, start, *op, count, out);
}

static int model_resolve(const struct model *m, const char *spec, const revmask current,
                         revmask out)
{
    char part[4096];
    const char *p = spec, *comma;
    revmask one;
    size_t i;
    int rc;

    if (!strchr(spec, ','))
        return model_resolve_one(m, spec, current, out);
    if (strlen(spec) >= sizeof(part))
        return PCSM_ERROR;
    memset(out, 0, sizeof(revmask));
    for (;;) {
        comma = strchr(p, ',');
        memcpy(part, p, comma ? (size_t)(comma - p) : strlen(p) + 1);
        if (comma)
            part[comma - p] = '\0';
        if (!*part)
            return PCSM_EINVALID;
        rc = model_resolve_one(m, part, current, one);
        if (rc)
            return rc;
        for (i = 0; i < m->n; i++)
            out[i] |= one[i];
        if (!comma)
            return 0;
        p = comma + 1;
    }
}

/* ------------------------------------------------------------- checks */

static void check_lookup(pcsm_ctx *ctx, const struct model *m, const char *s)
{
    const pcsm_revision *rev = (const pcsm_revision *)1;
    size_t want = NONE;
    int rc = pcsm_graph_lookup(ctx, s, &rev), expect = model_lookup(m, s, &want);

    CHECK(rc == expect, "lookup '%s': %d, expected %d", s, rc, expect);
    if (rc == 0)
        CHECK(idx(m, rev) == want, "lookup '%s': wrong revision %s", s, rev->id);
    else
        CHECK(!rev && *pcsm_error_last(ctx)->message, "lookup '%s' failed badly", s);
}

/* Applies the plan step by step, checking each against the applied set. */
static void check_plan(pcsm_ctx *ctx, const struct model *m, enum pcsm_direction dir,
                       const revmask current, const pcsm_revset *from, const pcsm_revset *to)
{
    pcsm_plan plan = PCSM_PLAN_INIT;
    pcsm_revset heads = PCSM_REVSET_INIT;
    revmask applied, target, want, h;
    size_t i, c, last = NONE;
    bool refuse = false;
    int rc;

    memcpy(applied, current, sizeof(revmask));
    close_down(m, applied);
    mask_of(m, to, target);
    for (i = 0; i < m->n; i++) {
        if (dir == PCSM_UPGRADE)
            refuse |= target[i] && applied[i] && !current[i];
        else
            refuse |= target[i] && !applied[i];
    }
    if (dir == PCSM_UPGRADE && to->n == 0 && from->n > 0)
        refuse = true;
    rc = pcsm_graph_plan(ctx, dir, from, to, &plan);
    CHECK(rc == (refuse ? PCSM_ENOTANCESTOR : 0), "%s plan: %d",
          dir == PCSM_UPGRADE ? "upgrade" : "downgrade", rc);
    if (rc < 0) {
        CHECK(*pcsm_error_last(ctx)->message, "plan failed without a message");
        return;
    }

    /* The version table's heads before the plan: the applied set's tips. */
    maximal(m, applied, h);
    for (i = 0; i < m->n; i++)
        if (h[i])
            pcsm_revset_add(ctx, &heads, &m->revs[i]);
    memcpy(want, applied, sizeof(revmask));
    if (dir == PCSM_UPGRADE) {
        close_down(m, target);
        for (i = 0; i < m->n; i++)
            want[i] |= target[i];
    } else {
        revmask keep, desc;
        bool changed = true;

        memcpy(keep, target, sizeof(revmask));
        close_down(m, keep);
        memcpy(desc, target, sizeof(revmask));
        while (changed) {
            changed = false;
            for (c = 0; c < m->n; c++)
                for (i = 0; !desc[c] && i < m->n_par[c]; i++)
                    if (desc[m->par[c][i]])
                        changed = desc[c] = true;
        }
        for (i = 0; i < m->n; i++)
            if (applied[i] && !keep[i] && (to->n == 0 || desc[i]))
                want[i] = false;
    }
    for (i = 0; i < plan.n; i++) {
        size_t r = idx(m, plan.steps[i].rev);

        CHECK(plan.steps[i].direction == dir, "a step in the wrong direction");
        /* Upgrades go up the registry, downgrades down it. */
        if (last != NONE)
            CHECK(dir == PCSM_UPGRADE ? r > last : r < last, "steps out of order");
        last = r;
        if (dir == PCSM_UPGRADE) {
            CHECK(!applied[r], "upgrade step %s is applied already", m->revs[r].id);
            for (c = 0; c < m->n_par[r]; c++)
                CHECK(applied[m->par[r][c]], "upgrade step %s before its parent", m->revs[r].id);
        } else {
            CHECK(applied[r], "downgrade step %s is not applied", m->revs[r].id);
            for (c = 0; c < m->n; c++)
                CHECK(!(applied[c] && has_parent(m, c, r)), "downgrade step %s before its child",
                      m->revs[r].id);
        }
        applied[r] = dir == PCSM_UPGRADE;
        pcsm_graph_step_heads(ctx, &heads, &plan.steps[i]);
        maximal(m, applied, h);
        check_set_is(m, &heads, h, "heads after a step");
    }
    CHECK(!memcmp(applied, want, m->n * sizeof(bool)), "the plan does not reach its target");
    pcsm_revset_dispose(&heads);
    pcsm_plan_dispose(&plan);
}

static void check_resolve(pcsm_ctx *ctx, const struct model *m, const char *spec,
                          const pcsm_revset *current, bool plans)
{
    pcsm_revset out = PCSM_REVSET_INIT;
    revmask cur, want;
    int rc, expect;

    mask_of(m, current, cur);
    if (m->n)   /* a canary the call must keep on failure */
        pcsm_revset_add(ctx, &out, &m->revs[m->n - 1]);
    rc = pcsm_graph_resolve(ctx, spec, current, &out);
    expect = model_resolve(m, spec, cur, want);
    if (expect != PCSM_ERROR)
        CHECK(rc == expect, "resolve '%s': %d, expected %d", spec, rc, expect);
    if (rc < 0) {
        CHECK(*pcsm_error_last(ctx)->message, "resolve '%s' failed without a message", spec);
        CHECK(m->n ? out.n == 1 && out.revs[0] == &m->revs[m->n - 1] : out.n == 0,
              "resolve '%s' changed its output on failure", spec);
    } else {
        if (expect != PCSM_ERROR)
            check_set_is(m, &out, want, spec);
        if (plans) {
            check_plan(ctx, m, PCSM_UPGRADE, cur, current, &out);
            check_plan(ctx, m, PCSM_DOWNGRADE, cur, current, &out);
        }
    }
    pcsm_revset_dispose(&out);
}

/* The structure queries, against the model, for every revision. */
static void check_structure(pcsm_ctx *ctx, const struct model *m)
{
    pcsm_revset set = PCSM_REVSET_INIT;
    revmask all = { false }, want;
    size_t i, j, k;

    CHECK(pcsm_graph_count(ctx) == m->n, "count");
    for (i = 0; i < m->n; i++)
        all[i] = true;
    maximal(m, all, want);
    pcsm_graph_heads(ctx, &set);
    check_set_is(m, &set, want, "heads");
    for (i = 0; i < m->n; i++) {
        CHECK(pcsm_graph_at(ctx, i) == &m->revs[i] && pcsm_graph_index(ctx, &m->revs[i]) == i,
              "registry position");
        memset(want, 0, sizeof(revmask));
        for (k = 0; k < m->n_par[i]; k++)
            want[m->par[i][k]] = true;
        pcsm_graph_parents(ctx, &m->revs[i], &set);
        check_set_is(m, &set, want, "parents");
        for (j = 0; j < m->n; j++)
            want[j] = has_parent(m, j, i);
        pcsm_graph_children(ctx, &m->revs[i], &set);
        check_set_is(m, &set, want, "children");
        memset(want, 0, sizeof(revmask));
        want[i] = true;
        close_down(m, want);
        for (j = 0; j < m->n; j++)
            CHECK(pcsm_graph_is_ancestor(ctx, &m->revs[j], &m->revs[i]) == want[j],
                  "is_ancestor(%s, %s)", m->revs[j].id, m->revs[i].id);
    }
    pcsm_revset_dispose(&set);
}

/* ----------------------------------------------------- a made-up graph */

static const char *const id_pool[] = {
    "a", "a1", "a12", "a123", "ab", "abc", "b", "b1", "b2", "c0ffee", "C0FFEE", "head",
    "heads", "base", "x_y", "0", "00", "9a39eb7fd78f", "9a39eb7fd78e",
    "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa",
    /* invalid: too long, empty, characters a target cannot hold */
    "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa", "", "a-b", "a+1", "\xc3\xa9", "a b", "a,b",
};
#define N_VALID_IDS 20

struct made {
    pcsm_revision revs[MAX_REVS];
    char ids[MAX_REVS][40];
    const char *parents[MAX_REVS][MAX_PARENTS];
};

static unsigned take(const unsigned char **p, const unsigned char *end)
{
    return *p < end ? *(*p)++ : 0;
}

/* Revisions, ids and Revises drawn from the input; mostly valid. */
static size_t make_graph(struct made *g, const unsigned char **p, const unsigned char *end)
{
    size_t n = take(p, end) % (MAX_REVS + 1), i, k;

    memset(g, 0, sizeof(*g));
    for (i = 0; i < n; i++) {
        unsigned b = take(p, end), np;

        if (b < 200) {
            snprintf(g->ids[i], sizeof(g->ids[i]), "%s", id_pool[b % N_VALID_IDS]);
        } else if (b < 240) {
            /* Short hex ids: shared prefixes, ambiguity. */
            snprintf(g->ids[i], sizeof(g->ids[i]), "%x%x", b & 7, take(p, end) & 15);
        } else {
            snprintf(g->ids[i], sizeof(g->ids[i]), "%s",
                     id_pool[N_VALID_IDS + b % (sizeof(id_pool) / sizeof(*id_pool) - N_VALID_IDS)]);
        }
        g->revs[i].id = g->ids[i];
        g->revs[i].description = "fuzz";
        g->revs[i].create_date = "2026-01-01 00:00:00";
        g->revs[i].source_path = "fuzz.c";
        np = take(p, end);
        g->revs[i].n_parents = i ? np % MAX_PARENTS : np % 8 == 7;
        g->revs[i].parents = np == 0xff ? NULL : g->parents[i];
        for (k = 0; k < g->revs[i].n_parents; k++) {
            unsigned q = take(p, end);

            g->parents[i][k] = q == 0xff ? NULL : q == 0xfe ? "nosuch"
                             : g->ids[i ? (q % 16 == 15 ? i : q % i) : 0];
        }
    }
    return n;
}

/* ------------------------------------------------------------- driver */

extern const pcsm_revision pcsm_registry[];
extern const size_t pcsm_registry_len;

int LLVMFuzzerTestOneInput(const unsigned char *data, size_t size);

/*
 * Byte 0: even, the merge fixture; odd, a graph made from the next bytes
 * (make_graph).  The rest is "current\ntarget\ntarget...": the applied
 * heads, resolved from base, then up to eight targets to resolve and plan.
 */
int LLVMFuzzerTestOneInput(const unsigned char *data, size_t size)
{
    static struct made made;
    const unsigned char *p = data, *end = data + size;
    const pcsm_revision *revs = pcsm_registry;
    size_t n = pcsm_registry_len, n_specs = 0, i;
    struct model m;
    pcsm_ctx *ctx = NULL;
    pcsm_revset current = PCSM_REVSET_INIT;
    char *text, *specs[MAX_TARGETS + 1], *save = NULL, *line;
    bool valid;
    int rc;

    if (size > 4096)
        return -1;      /* not worth keeping: long specs only repeat short ones */
    if (take(&p, end) & 1) {
        n = make_graph(&made, &p, end);
        revs = made.revs;
    }
    valid = registry_valid(revs, n, &m);
    rc = pcsm_ctx_new(&ctx, revs, n);
    CHECK(rc == (valid ? 0 : PCSM_EINVALID), "ctx_new: %d for a registry that is %s", rc,
          valid ? "valid" : "invalid");

    text = malloc((size_t)(end - p) + 1);
    CHECK(text != NULL, "out of memory");
    memcpy(text, p, (size_t)(end - p));
    text[end - p] = '\0';
    for (line = strtok_r(text, "\n", &save); line && n_specs <= MAX_TARGETS;
         line = strtok_r(NULL, "\n", &save))
        specs[n_specs++] = line;

    if (!valid) {
        const pcsm_revision *rev;
        pcsm_revset out = PCSM_REVSET_INIT;

        CHECK(*pcsm_error_last(ctx)->message, "an invalid registry without a message");
        CHECK(pcsm_graph_count(ctx) == 0, "an invalid registry has revisions");
        for (i = 0; i < n_specs; i++) {
            CHECK(pcsm_graph_lookup(ctx, specs[i], &rev) == PCSM_EINVALID, "lookup");
            CHECK(pcsm_graph_resolve(ctx, specs[i], NULL, &out) == PCSM_EINVALID, "resolve");
        }
        goto done;
    }

    if (n <= MAX_REVS)
        check_structure(ctx, &m);
    if (n_specs && pcsm_graph_resolve(ctx, specs[0], NULL, &current) < 0)
        current.n = 0;
    for (i = 0; i < n_specs; i++) {
        check_lookup(ctx, &m, specs[i]);
        check_resolve(ctx, &m, specs[i], &current, i > 0);
    }
    /* "out may be current": the last target, resolved in place. */
    if (n_specs > 1) {
        pcsm_revset copy = PCSM_REVSET_INIT, expect = PCSM_REVSET_INIT;
        int rc1, rc2;

        for (i = 0; i < current.n; i++)
            pcsm_revset_add(ctx, &copy, current.revs[i]);
        rc1 = pcsm_graph_resolve(ctx, specs[n_specs - 1], &copy, &expect);
        rc2 = pcsm_graph_resolve(ctx, specs[n_specs - 1], &current, &current);
        CHECK(rc1 == rc2, "resolving in place: %d, not %d", rc2, rc1);
        if (rc1 == 0) {
            CHECK(expect.n == current.n, "resolving in place: a different set");
            for (i = 0; i < expect.n; i++)
                CHECK(expect.revs[i] == current.revs[i], "resolving in place: a different set");
        }
        pcsm_revset_dispose(&copy);
        pcsm_revset_dispose(&expect);
    }

done:
    pcsm_revset_dispose(&current);
    free(text);
    pcsm_ctx_free(ctx);
    return 0;
}
