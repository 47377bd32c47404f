/*
 * Unit tests of the revision graph (runtime/lib/graph/graph.c): lookups, target
 * resolution, plans and heads, over registries built in memory as in
 * Alembic's tests/test_revision.py.  No database is involved.
 */
#include <check.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "graph/graph.h"
#include "support.h"

/* clang-format off */
/* Registry entries: only the graph's fields matter here. */
#define ROOT(i) { .id = (i), .description = "root " i }
#define PARENTS(...) (const char *const[]){ __VA_ARGS__ }
#define REV(i, ...)                                                           \
    { .id = (i), .parents = PARENTS(__VA_ARGS__),                             \
      .n_parents = sizeof(PARENTS(__VA_ARGS__)) / sizeof(const char *),      \
      .description = i }
#define LEN(a) (sizeof(a) / sizeof((a)[0]))
#define ID32 "abcdefghijklmnopqrstuvwxyz012345"

/* aaa111 <- aab222 <- abc333 <- bcd444; the ids share prefixes on purpose. */
static const pcsm_revision linear[] = {
    ROOT("aaa111"),
    REV("aab222", "aaa111"),
    REV("abc333", "aab222"),
    REV("bcd444", "abc333"),
};

/* r <- a1 <- a2 and r <- b1: two heads, no merge. */
static const pcsm_revision branched[] = {
    ROOT("r"),
    REV("a1", "r"),
    REV("a2", "a1"),
    REV("b1", "r"),
};

/* The branches joined by m, then t.  b1 comes before a2 in the registry. */
static const pcsm_revision merged[] = {
    ROOT("r"),
    REV("a1", "r"),
    REV("b1", "r"),
    REV("a2", "a1"),
    REV("m", "a2", "b1"),
    REV("t", "m"),
};

/* Small registries for single tests. */

static const pcsm_revision prefixed[] = {
    ROOT("abc"), REV("abcd", "abc"), REV("abx", "abcd"),
};

static const pcsm_revision two_roots[] = {
    ROOT("x1"), ROOT("y1"), REV("m1", "x1", "y1"),
};

/* m names x2 and x1, and x1 is an ancestor of x2. */
static const pcsm_revision merge_of_ancestor[] = {
    ROOT("x1"), REV("x2", "x1"), REV("m", "x2", "x1"),
};

static const pcsm_revision dup_id[] = {
    ROOT("x1"), REV("y1", "x1"), REV("x1", "y1"),
};

static const pcsm_revision unknown_parent[] = {
    ROOT("x1"), REV("y1", "x1", "nope"),
};

static const pcsm_revision not_topo[] = {
    ROOT("x1"), REV("y1", "z1"), REV("z1", "x1"),
};

/* A cycle cannot be in topological order; it is reported as such. */
static const pcsm_revision cycle[] = { REV("x1", "y1"), REV("y1", "x1") };

static const pcsm_revision self_parent[] = { ROOT("x1"), REV("y1", "y1") };

static const pcsm_revision parent_twice[] = {
    ROOT("x1"), REV("y1", "x1", "x1"),
};

static const pcsm_revision inert[] = { ROOT("x1"), REV("y1", "nope") };
/* clang-format on */

#define CHAIN_LEN 1000

static pcsm_revision chain[CHAIN_LEN];
static char chain_ids[CHAIN_LEN][8];
static const char *chain_id_ptrs[CHAIN_LEN];

static pcsm_ctx *ctx;
static pcsm_revset out = PCSM_REVSET_INIT;
static pcsm_revset cur = PCSM_REVSET_INIT;
static pcsm_plan plan = PCSM_PLAN_INIT;

/* ------------------------------------------------------------ helpers */

static void open_registry(const pcsm_revision *revs, size_t n)
{
    int rc = pcsm_ctx_new(&ctx, revs, n);

    ck_assert_msg(rc == 0, "pcsm_ctx_new: %d %s", rc,
                  pcsm_error_last(ctx)->message);
}

static void setup_linear(void)
{
    open_registry(linear, LEN(linear));
}
static void setup_branched(void)
{
    open_registry(branched, LEN(branched));
}
static void setup_merged(void)
{
    open_registry(merged, LEN(merged));
}

static void setup_chain(void)
{
    size_t i;

    for (i = 0; i < CHAIN_LEN; i++) {
        snprintf(chain_ids[i], sizeof(chain_ids[i]), "r%04zu", i);
        chain_id_ptrs[i] = chain_ids[i];
        memset(&chain[i], 0, sizeof(chain[i]));
        chain[i].id = chain_ids[i];
        if (i > 0) {
            chain[i].parents = &chain_id_ptrs[i - 1];
            chain[i].n_parents = 1;
        }
    }
    open_registry(chain, CHAIN_LEN);
}

static void teardown(void)
{
    pcsm_revset_dispose(&out);
    pcsm_revset_dispose(&cur);
    pcsm_plan_dispose(&plan);
    pcsm_ctx_free(ctx);
    ctx = NULL;
}

static const char *msg(void)
{
    return pcsm_error_last(ctx)->message;
}

static int code(void)
{
    return pcsm_error_last(ctx)->code;
}

static const pcsm_revision *rev(const char *id)
{
    const pcsm_revision *r = NULL;

    ck_assert_msg(pcsm_graph_lookup(ctx, id, &r) == 0, "lookup %s: %s", id,
                  msg());
    ck_assert_str_eq(r->id, id);
    return r;
}

/* Replaces *set with the revisions named in `ids`, separated by spaces. */
static void set_of(pcsm_revset *set, const char *ids)
{
    char copy[256], *tok, *save = NULL;

    set->n = 0;
    snprintf(copy, sizeof(copy), "%s", ids);
    for (tok = strtok_r(copy, " ", &save); tok;
         tok = strtok_r(NULL, " ", &save))
        pcsm_revset_add(ctx, set, rev(tok));
}

/* "a b c" in set order, "base" for the empty set.  A static buffer per slot. */
static const char *set_str_slot(const pcsm_revset *set, int slot)
{
    static char buf[2][16384];
    size_t i, len = 0;

    buf[slot][0] = '\0';
    if (set->n == 0)
        return "base";
    for (i = 0; i < set->n && len < sizeof(buf[slot]); i++)
        len += (size_t)snprintf(buf[slot] + len, sizeof(buf[slot]) - len,
                                "%s%s", i ? " " : "", set->revs[i]->id);
    return buf[slot];
}

static const char *set_str(const pcsm_revset *set)
{
    return set_str_slot(set, 0);
}

/* "+a +b -c"; "" for an empty plan. */
static const char *plan_str(const pcsm_plan *p)
{
    static char buf[16384];
    size_t i, len = 0;

    buf[0] = '\0';
    for (i = 0; i < p->n && len < sizeof(buf); i++)
        len += (size_t)snprintf(
            buf + len, sizeof(buf) - len, "%s%c%s", i ? " " : "",
            p->steps[i].direction == PCSM_UPGRADE ? '+' : '-',
            p->steps[i].rev->id);
    return buf;
}

/* Resolves spec relative to `current` ("base", or ids; NULL for a NULL set). */
static int resolve(const char *spec, const char *current)
{
    if (!current)
        return pcsm_graph_resolve(ctx, spec, NULL, &out);
    set_of(&cur, strcmp(current, "base") == 0 ? "" : current);
    return pcsm_graph_resolve(ctx, spec, &cur, &out);
}

#define ck_resolves(spec, current, expect)                                  \
    do {                                                                    \
        int rc_ = resolve((spec), (current));                               \
        ck_assert_msg(rc_ == 0, "resolve '%s': %d %s", (spec), rc_, msg()); \
        ck_assert_str_eq(set_str(&out), (expect));                          \
    } while (0)

/* Fails with `want` and a message that names the target. */
#define ck_resolve_fails(spec, current, want)                              \
    do {                                                                   \
        int rc_ = resolve((spec), (current));                              \
        ck_assert_msg(rc_ == (want), "resolve '%s': got %d (%s), want %d", \
                      (spec), rc_, msg(), (want));                         \
        ck_assert_int_eq(code(), (want));                                  \
        ck_assert_msg(strstr(msg(), (spec)) != NULL,                       \
                      "message '%s' does not name '%s'", msg(), (spec));   \
    } while (0)

static int make_plan(enum pcsm_direction dir, const char *from, const char *to)
{
    pcsm_revset f = PCSM_REVSET_INIT, t = PCSM_REVSET_INIT;
    int rc;

    set_of(&f, strcmp(from, "base") == 0 ? "" : from);
    set_of(&t, strcmp(to, "base") == 0 ? "" : to);
    rc = pcsm_graph_plan(ctx, dir, &f, &t, &plan);
    pcsm_revset_dispose(&f);
    pcsm_revset_dispose(&t);
    return rc;
}

#define ck_plans(dir, from, to, expect)                                    \
    do {                                                                   \
        int rc_ = make_plan((dir), (from), (to));                          \
        ck_assert_msg(rc_ == 0, "plan %s -> %s: %d %s", (from), (to), rc_, \
                      msg());                                              \
        ck_assert_str_eq(plan_str(&plan), (expect));                       \
    } while (0)

/* Runs the plan's steps from `from`, recording the heads after each. */
static const char *replay(const char *from)
{
    static char trace[16384];
    pcsm_revset heads = PCSM_REVSET_INIT;
    size_t i, len = 0;

    set_of(&heads, strcmp(from, "base") == 0 ? "" : from);
    trace[0] = '\0';
    for (i = 0; i < plan.n; i++) {
        pcsm_graph_step_heads(ctx, &heads, &plan.steps[i]);
        if (len >= sizeof(trace))
            continue; /* the heads still advance */
        len += (size_t)snprintf(trace + len, sizeof(trace) - len, "%s%s",
                                i ? " | " : "", set_str_slot(&heads, 1));
    }
    pcsm_revset_dispose(&heads);
    return trace;
}

/* ------------------------------------------------------------- lookup */

START_TEST(test_graph_lookup_full_id)
{
    const pcsm_revision *r = NULL;

    ck_assert_int_eq(pcsm_graph_lookup(ctx, "aab222", &r), 0);
    ck_assert_ptr_eq(r, &linear[1]);
    ck_assert_int_eq(pcsm_graph_lookup(ctx, "bcd444", &r), 0);
    ck_assert_ptr_eq(r, &linear[3]);
}
END_TEST

START_TEST(test_graph_lookup_unique_prefix)
{
    const pcsm_revision *r = NULL;

    ck_assert_int_eq(pcsm_graph_lookup(ctx, "ab", &r), 0);
    ck_assert_ptr_eq(r, &linear[2]);
    ck_assert_int_eq(pcsm_graph_lookup(ctx, "b", &r), 0);
    ck_assert_ptr_eq(r, &linear[3]);
    ck_assert_int_eq(pcsm_graph_lookup(ctx, "aab", &r), 0);
    ck_assert_ptr_eq(r, &linear[1]);
    ck_assert_int_eq(pcsm_graph_lookup(ctx, "aaa11", &r), 0);
    ck_assert_ptr_eq(r, &linear[0]);
}
END_TEST

START_TEST(test_graph_lookup_ambiguous_lists_candidates)
{
    const pcsm_revision *r = &linear[0];

    ck_assert_int_eq(pcsm_graph_lookup(ctx, "a", &r), PCSM_EAMBIGUOUS);
    ck_assert_ptr_null(r);
    ck_assert_int_eq(code(), PCSM_EAMBIGUOUS);
    ck_assert_str_eq(
        msg(), "revision prefix 'a' is ambiguous: aaa111, aab222, abc333");
    ck_assert_int_eq(pcsm_graph_lookup(ctx, "aa", &r), PCSM_EAMBIGUOUS);
    ck_assert_str_eq(msg(),
                     "revision prefix 'aa' is ambiguous: aaa111, aab222");
}
END_TEST

START_TEST(test_graph_lookup_unknown)
{
    const pcsm_revision *r = &linear[0];

    ck_assert_int_eq(pcsm_graph_lookup(ctx, "xyz", &r), PCSM_ENOTFOUND);
    ck_assert_ptr_null(r);
    ck_assert_str_eq(msg(), "no revision 'xyz'");
    /* Longer than any id it starts with. */
    ck_assert_int_eq(pcsm_graph_lookup(ctx, "aaa1111", &r), PCSM_ENOTFOUND);
    ck_assert_str_eq(msg(), "no revision 'aaa1111'");
    /* Sorts after every id. */
    ck_assert_int_eq(pcsm_graph_lookup(ctx, "zz", &r), PCSM_ENOTFOUND);
    /* Ids are case-sensitive. */
    ck_assert_int_eq(pcsm_graph_lookup(ctx, "AAA111", &r), PCSM_ENOTFOUND);
    /* The empty prefix would match everything: it names nothing. */
    ck_assert_int_eq(pcsm_graph_lookup(ctx, "", &r), PCSM_ENOTFOUND);
    ck_assert_str_eq(msg(), "no revision ''");
}
END_TEST

START_TEST(test_graph_lookup_full_id_beats_longer_ids)
{
    const pcsm_revision *r = NULL;

    open_registry(prefixed, LEN(prefixed));
    ck_assert_int_eq(pcsm_graph_lookup(ctx, "abc", &r), 0);
    ck_assert_ptr_eq(r, &prefixed[0]);
    ck_assert_int_eq(pcsm_graph_lookup(ctx, "abcd", &r), 0);
    ck_assert_ptr_eq(r, &prefixed[1]);
    ck_assert_int_eq(pcsm_graph_lookup(ctx, "ab", &r), PCSM_EAMBIGUOUS);
    ck_assert_str_eq(msg(),
                     "revision prefix 'ab' is ambiguous: abc, abcd, abx");
}
END_TEST

/* -------------------------------------------------- structure and heads */

START_TEST(test_graph_count_at_index)
{
    size_t i;

    ck_assert_uint_eq(pcsm_graph_count(ctx), LEN(merged));
    for (i = 0; i < LEN(merged); i++) {
        ck_assert_ptr_eq(pcsm_graph_at(ctx, i), &merged[i]);
        ck_assert_uint_eq(pcsm_graph_index(ctx, &merged[i]), i);
    }
}
END_TEST

START_TEST(test_graph_heads_linear)
{
    open_registry(linear, LEN(linear));
    pcsm_graph_heads(ctx, &out);
    ck_assert_str_eq(set_str(&out), "bcd444");
}
END_TEST

START_TEST(test_graph_heads_branched)
{
    open_registry(branched, LEN(branched));
    pcsm_graph_heads(ctx, &out);
    ck_assert_str_eq(set_str(&out), "a2 b1");
}
END_TEST

START_TEST(test_graph_heads_merged)
{
    pcsm_graph_heads(ctx, &out);
    ck_assert_str_eq(set_str(&out), "t");
}
END_TEST

START_TEST(test_graph_heads_replace_output)
{
    set_of(&out, "r a1 b1");
    pcsm_graph_heads(ctx, &out);
    ck_assert_str_eq(set_str(&out), "t");
}
END_TEST

START_TEST(test_graph_children_and_parents)
{
    pcsm_graph_children(ctx, rev("r"), &out);
    ck_assert_str_eq(set_str(&out), "a1 b1");
    pcsm_graph_children(ctx, rev("a2"), &out);
    ck_assert_str_eq(set_str(&out), "m");
    pcsm_graph_children(ctx, rev("t"), &out);
    ck_assert_str_eq(set_str(&out), "base");
    /* Registry order (b1 before a2), not the Revises order "a2, b1". */
    pcsm_graph_parents(ctx, rev("m"), &out);
    ck_assert_str_eq(set_str(&out), "b1 a2");
    pcsm_graph_parents(ctx, rev("r"), &out);
    ck_assert_str_eq(set_str(&out), "base");
    pcsm_graph_parents(ctx, rev("t"), &out);
    ck_assert_str_eq(set_str(&out), "m");
}
END_TEST

START_TEST(test_graph_is_ancestor)
{
    ck_assert(pcsm_graph_is_ancestor(ctx, rev("r"), rev("t")));
    ck_assert(pcsm_graph_is_ancestor(ctx, rev("b1"), rev("m")));
    ck_assert(pcsm_graph_is_ancestor(ctx, rev("a1"), rev("m")));
    ck_assert(pcsm_graph_is_ancestor(ctx, rev("a2"), rev("a2")));
    ck_assert(!pcsm_graph_is_ancestor(ctx, rev("t"), rev("r")));
    /* Siblings, in both registry orders. */
    ck_assert(!pcsm_graph_is_ancestor(ctx, rev("b1"), rev("a2")));
    ck_assert(!pcsm_graph_is_ancestor(ctx, rev("a1"), rev("b1")));
    ck_assert(!pcsm_graph_is_ancestor(ctx, rev("a2"), rev("b1")));
}
END_TEST

START_TEST(test_graph_revset_order_and_contains)
{
    pcsm_revset s = PCSM_REVSET_INIT;

    pcsm_revset_add(ctx, &s, rev("t"));
    pcsm_revset_add(ctx, &s, rev("r"));
    pcsm_revset_add(ctx, &s, rev("a2"));
    pcsm_revset_add(ctx, &s, rev("b1"));
    pcsm_revset_add(ctx, &s, rev("a2"));
    pcsm_revset_add(ctx, &s, rev("t"));
    ck_assert_str_eq(set_str(&s), "r b1 a2 t");
    ck_assert(pcsm_revset_contains(&s, rev("b1")));
    ck_assert(pcsm_revset_contains(&s, rev("r")));
    ck_assert(pcsm_revset_contains(&s, rev("t")));
    ck_assert(!pcsm_revset_contains(&s, rev("a1")));
    ck_assert(!pcsm_revset_contains(&s, rev("m")));
    ck_assert(!pcsm_revset_contains(NULL, rev("m")));
    pcsm_revset_dispose(&s);
    ck_assert_uint_eq(s.n, 0);
    ck_assert(!pcsm_revset_contains(&s, rev("r")));
    pcsm_revset_dispose(&s);
    pcsm_revset_dispose(NULL);
    pcsm_plan_dispose(NULL);
}
END_TEST

/* ------------------------------------------------------------ resolve */

START_TEST(test_graph_resolve_keywords_and_ids)
{
    ck_resolves("base", NULL, "base");
    ck_resolves("head", NULL, "bcd444");
    ck_resolves("heads", NULL, "bcd444");
    ck_resolves("aab222", NULL, "aab222");
    ck_resolves("ab", NULL, "abc333");
    /* current plays no part in absolute targets. */
    ck_resolves("head", "aab222", "bcd444");
}
END_TEST

START_TEST(test_graph_resolve_relative_to_current)
{
    ck_resolves("+1", NULL, "aaa111");
    ck_resolves("+1", "base", "aaa111");
    ck_resolves("+2", "base", "aab222");
    ck_resolves("+1", "aab222", "abc333");
    ck_resolves("+2", "aab222", "bcd444");
    ck_resolves("-1", "abc333", "aab222");
    ck_resolves("-2", "abc333", "aaa111");
    ck_resolves("-3", "abc333", "base");
    ck_resolves("-1", "aaa111", "base");
    /* +0 / -0 name the starting point. */
    ck_resolves("+0", "aab222", "aab222");
    ck_resolves("-0", "aab222", "aab222");
    ck_resolves("+0", NULL, "base");
    ck_resolves("-0", "base", "base");
    /* Leading zeros are still decimal. */
    ck_resolves("+01", "aab222", "abc333");
}
END_TEST

START_TEST(test_graph_resolve_relative_to_revision)
{
    ck_resolves("aab222+2", NULL, "bcd444");
    ck_resolves("ab-1", NULL, "aab222");
    ck_resolves("head-1", NULL, "abc333");
    ck_resolves("head-3", NULL, "aaa111");
    ck_resolves("head-4", NULL, "base");
    ck_resolves("heads-1", NULL, "abc333");
    ck_resolves("base+1", NULL, "aaa111");
    ck_resolves("base+4", NULL, "bcd444");
    ck_resolves("base-0", NULL, "base");
    ck_resolves("head+0", NULL, "bcd444");
    /* An explicit revision ignores current. */
    ck_resolves("aaa111+1", "bcd444", "aab222");
}
END_TEST

START_TEST(test_graph_resolve_beyond_the_ends)
{
    ck_resolve_fails("head+1", NULL, PCSM_ENOTFOUND);
    ck_assert_str_eq(
        msg(),
        "target 'head+1': cannot go 1 step above bcd444: bcd444 is a head");
    ck_resolve_fails("aab222+3", NULL, PCSM_ENOTFOUND);
    ck_assert_str_eq(msg(),
                     "target 'aab222+3': cannot go 3 steps above aab222: "
                     "bcd444 is a head");
    ck_resolve_fails("base+5", NULL, PCSM_ENOTFOUND);
    ck_resolve_fails("+1", "bcd444", PCSM_ENOTFOUND);
    ck_resolve_fails("head-5", NULL, PCSM_EINVALID);
    ck_assert_str_eq(msg(), "target 'head-5': cannot go 5 steps below bcd444: "
                            "base is 4 steps below it");
    ck_resolve_fails("-1", NULL, PCSM_EINVALID);
    ck_assert_str_eq(msg(), "target '-1': cannot go below base");
    ck_resolve_fails("-2", "aaa111", PCSM_EINVALID);
    ck_resolve_fails("base-1", NULL, PCSM_EINVALID);
}
END_TEST

START_TEST(test_graph_resolve_syntax_errors)
{
    static const char *const bad[] = {
        "+",         "-",      "head-",   "base+",
        "+1x",       "-1x",    "+x",      "--1",
        "+-1",       "-+1",    "head+-1", "head-1-1",
        "aab222++1", "a:b",    "head 1",  " head",
        "+ 1",       "head@1", "+1.5",    "+99999999999999999999999999",
    };
    size_t i;

    for (i = 0; i < LEN(bad); i++)
        ck_resolve_fails(bad[i], NULL, PCSM_EINVALID);

    ck_assert_int_eq(resolve("", NULL), PCSM_EINVALID);
    ck_assert_str_eq(msg(), "invalid target '': empty");
    ck_assert_int_eq(pcsm_graph_resolve(ctx, NULL, NULL, &out), PCSM_EINVALID);

    ck_assert_int_eq(resolve("head-", NULL), PCSM_EINVALID);
    ck_assert_str_eq(msg(),
                     "invalid target 'head-': missing step count after '-'");
    ck_assert_int_eq(resolve("+1x", NULL), PCSM_EINVALID);
    ck_assert_str_eq(
        msg(), "invalid target '+1x': step count '1x' is not a decimal number");
    ck_assert_int_eq(resolve("--1", NULL), PCSM_EINVALID);
    ck_assert_str_eq(
        msg(), "invalid target '--1': only one step (+N or -N) is allowed");
}
END_TEST

START_TEST(test_graph_resolve_count_overflow)
{
    char spec[64];

    /* The largest count parses, and the walk stops at the head. */
    snprintf(spec, sizeof(spec), "+%zu", SIZE_MAX);
    ck_resolve_fails(spec, NULL, PCSM_ENOTFOUND);
    /* Ten times that does not fit. */
    snprintf(spec, sizeof(spec), "+%zu0", SIZE_MAX);
    ck_resolve_fails(spec, NULL, PCSM_EINVALID);
    ck_assert_ptr_nonnull(strstr(msg(), "too large"));
    snprintf(spec, sizeof(spec), "head-%zu9", SIZE_MAX);
    ck_resolve_fails(spec, NULL, PCSM_EINVALID);
}
END_TEST

START_TEST(test_graph_resolve_unknown_and_ambiguous_names)
{
    ck_resolve_fails("zzz", NULL, PCSM_ENOTFOUND);
    ck_assert_str_eq(msg(), "no revision 'zzz'");
    ck_resolve_fails("zzz+1", NULL, PCSM_ENOTFOUND);
    ck_assert_str_eq(msg(), "target 'zzz+1': no revision 'zzz'");
    ck_resolve_fails("a", NULL, PCSM_EAMBIGUOUS);
    ck_assert_str_eq(
        msg(), "revision prefix 'a' is ambiguous: aaa111, aab222, abc333");
    ck_resolve_fails("aa-1", NULL, PCSM_EAMBIGUOUS);
    ck_assert_str_eq(msg(), "target 'aa-1': revision prefix 'aa' is ambiguous: "
                            "aaa111, aab222");
}
END_TEST

START_TEST(test_graph_resolve_out_unchanged_on_error)
{
    set_of(&out, "aab222");
    ck_assert_int_eq(resolve("head+1", NULL), PCSM_ENOTFOUND);
    ck_assert_str_eq(set_str(&out), "aab222");
    ck_assert_int_eq(resolve("nope", NULL), PCSM_ENOTFOUND);
    ck_assert_str_eq(set_str(&out), "aab222");
}
END_TEST

START_TEST(test_graph_resolve_in_place)
{
    /* out may be current itself: "advance one step" in a loop. */
    set_of(&cur, "");
    ck_assert_int_eq(pcsm_graph_resolve(ctx, "+1", &cur, &cur), 0);
    ck_assert_str_eq(set_str(&cur), "aaa111");
    ck_assert_int_eq(pcsm_graph_resolve(ctx, "+2", &cur, &cur), 0);
    ck_assert_str_eq(set_str(&cur), "abc333");
    ck_assert_int_eq(pcsm_graph_resolve(ctx, "-3", &cur, &cur), 0);
    ck_assert_str_eq(set_str(&cur), "base");
}
END_TEST

START_TEST(test_graph_resolve_several_heads)
{
    ck_resolve_fails("head", NULL, PCSM_EMULTIPLEHEADS);
    ck_assert_str_eq(
        msg(),
        "target 'head': 'head' is ambiguous, there are 2 heads (a2, b1); "
        "use 'heads' or a specific revision");
    ck_resolve_fails("head-1", NULL, PCSM_EMULTIPLEHEADS);
    ck_resolve_fails("head+0", NULL, PCSM_EMULTIPLEHEADS);
    ck_resolves("heads", NULL, "a2 b1");
    ck_resolve_fails("heads-1", NULL, PCSM_EAMBIGUOUS);
    ck_assert_str_eq(msg(),
                     "target 'heads-1' starts from several revisions (a2, b1); "
                     "use REV-N with one of them");
}
END_TEST

START_TEST(test_graph_resolve_relative_to_several_current_heads)
{
    ck_resolve_fails("+1", "a2 b1", PCSM_EAMBIGUOUS);
    ck_assert_str_eq(msg(),
                     "target '+1' starts from several revisions (a2, b1); "
                     "use REV+N with one of them");
    ck_resolve_fails("-1", "a2 b1", PCSM_EAMBIGUOUS);
    ck_resolve_fails("+0", "a2 b1", PCSM_EAMBIGUOUS);
    /* Named revisions still work while the database is on two branches. */
    ck_resolves("a2-1", "a2 b1", "a1");
    ck_resolves("b1-1", "a2 b1", "r");
}
END_TEST

START_TEST(test_graph_resolve_branch_point)
{
    ck_resolves("base+1", NULL, "r");
    ck_resolve_fails("r+1", NULL, PCSM_EAMBIGUOUS);
    ck_assert_str_eq(
        msg(),
        "target 'r+1': r has several children (a1, b1); name one of them");
    ck_resolve_fails("base+2", NULL, PCSM_EAMBIGUOUS);
    ck_resolve_fails("+2", NULL, PCSM_EAMBIGUOUS);
    ck_resolve_fails("+1", "r", PCSM_EAMBIGUOUS);
    ck_resolves("a1+1", NULL, "a2");
    ck_resolves("b1-1", NULL, "r");
    ck_resolves("b1-2", NULL, "base");
    ck_resolves("a2-2", NULL, "r");
    ck_resolve_fails("b1-3", NULL, PCSM_EINVALID);
    ck_resolve_fails("b1+1", NULL, PCSM_ENOTFOUND);
}
END_TEST

START_TEST(test_graph_resolve_several_roots)
{

    open_registry(two_roots, LEN(two_roots));
    ck_resolve_fails("+1", NULL, PCSM_EAMBIGUOUS);
    ck_assert_str_eq(msg(),
                     "target '+1': there are several root revisions (x1, y1); "
                     "name one of them");
    ck_resolves("x1+1", NULL, "m1");
    ck_resolves("head", NULL, "m1");
    ck_resolve_fails("head-1", NULL, PCSM_EAMBIGUOUS);
}
END_TEST

START_TEST(test_graph_resolve_merge_point)
{
    ck_resolves("head", NULL, "t");
    ck_resolves("head-1", NULL, "m");
    ck_resolves("t-1", NULL, "m");
    ck_resolves("a2+1", NULL, "m");
    ck_resolves("b1+1", NULL, "m");
    ck_resolves("b1+2", NULL, "t");
    ck_resolves("m+1", NULL, "t");
    ck_resolve_fails("m-1", NULL, PCSM_EAMBIGUOUS);
    /* Parents in Revises order. */
    ck_assert_str_eq(
        msg(), "target 'm-1': m is a merge of a2, b1; name one of its parents");
    ck_resolve_fails("head-2", NULL, PCSM_EAMBIGUOUS);
    ck_resolve_fails("-2", "t", PCSM_EAMBIGUOUS);
    ck_resolves("-1", "t", "m");
    ck_resolves("+1", "a2", "m");
}
END_TEST

/* --------------------------------------------------------------- plan */

START_TEST(test_graph_plan_linear_upgrade)
{
    ck_plans(PCSM_UPGRADE, "base", "bcd444", "+aaa111 +aab222 +abc333 +bcd444");
    ck_plans(PCSM_UPGRADE, "aab222", "bcd444", "+abc333 +bcd444");
    ck_plans(PCSM_UPGRADE, "aaa111", "aab222", "+aab222");
    ck_plans(PCSM_UPGRADE, "bcd444", "bcd444", "");
    ck_plans(PCSM_UPGRADE, "base", "base", "");
    /* NULL sets are base. */
    ck_assert_int_eq(pcsm_graph_plan(ctx, PCSM_UPGRADE, NULL, NULL, &plan), 0);
    ck_assert_uint_eq(plan.n, 0);
}
END_TEST

START_TEST(test_graph_plan_linear_downgrade)
{
    ck_plans(PCSM_DOWNGRADE, "bcd444", "aab222", "-bcd444 -abc333");
    ck_plans(PCSM_DOWNGRADE, "bcd444", "base",
             "-bcd444 -abc333 -aab222 -aaa111");
    ck_plans(PCSM_DOWNGRADE, "abc333", "aaa111", "-abc333 -aab222");
    ck_plans(PCSM_DOWNGRADE, "abc333", "abc333", "");
    ck_plans(PCSM_DOWNGRADE, "base", "base", "");
}
END_TEST

START_TEST(test_graph_plan_wrong_direction)
{
    ck_assert_int_eq(make_plan(PCSM_UPGRADE, "bcd444", "aab222"),
                     PCSM_ENOTANCESTOR);
    ck_assert_str_eq(
        msg(), "aab222 is below the current revision bcd444; use downgrade");
    ck_assert_int_eq(make_plan(PCSM_UPGRADE, "bcd444", "base"),
                     PCSM_ENOTANCESTOR);
    ck_assert_str_eq(
        msg(), "base is below the current revision bcd444; use downgrade");
    ck_assert_int_eq(make_plan(PCSM_DOWNGRADE, "aab222", "bcd444"),
                     PCSM_ENOTANCESTOR);
    ck_assert_str_eq(msg(),
                     "bcd444 is not applied (current: aab222); use upgrade");
    ck_assert_int_eq(make_plan(PCSM_DOWNGRADE, "base", "aaa111"),
                     PCSM_ENOTANCESTOR);
    ck_assert_str_eq(msg(),
                     "aaa111 is not applied (current: base); use upgrade");
}
END_TEST

START_TEST(test_graph_plan_output_replaced_or_kept)
{
    ck_plans(PCSM_UPGRADE, "base", "aab222", "+aaa111 +aab222");
    /* A failure leaves the previous plan alone. */
    ck_assert_int_eq(make_plan(PCSM_UPGRADE, "bcd444", "aaa111"),
                     PCSM_ENOTANCESTOR);
    ck_assert_str_eq(plan_str(&plan), "+aaa111 +aab222");
    ck_plans(PCSM_DOWNGRADE, "bcd444", "abc333", "-bcd444");
}
END_TEST

START_TEST(test_graph_plan_merged_upgrade)
{
    ck_plans(PCSM_UPGRADE, "base", "t", "+r +a1 +b1 +a2 +m +t");
    ck_plans(PCSM_UPGRADE, "a2", "t", "+b1 +m +t");
    ck_plans(PCSM_UPGRADE, "b1", "m", "+a1 +a2 +m");
    ck_plans(PCSM_UPGRADE, "a1", "b1", "+b1");
    ck_plans(PCSM_UPGRADE, "m", "t", "+t");
    ck_assert_int_eq(make_plan(PCSM_UPGRADE, "m", "a1"), PCSM_ENOTANCESTOR);
    ck_assert_str_eq(msg(),
                     "a1 is below the current revision m; use downgrade");
}
END_TEST

START_TEST(test_graph_plan_merged_downgrade)
{
    ck_plans(PCSM_DOWNGRADE, "t", "base", "-t -m -a2 -b1 -a1 -r");
    ck_plans(PCSM_DOWNGRADE, "t", "m", "-t");
    ck_plans(PCSM_DOWNGRADE, "t", "a1", "-t -m -a2");
    /* Down to b1 keeps the a branch: only b1's descendants go. */
    ck_plans(PCSM_DOWNGRADE, "t", "b1", "-t -m");
    ck_plans(PCSM_DOWNGRADE, "t", "a1 b1", "-t -m -a2");
    ck_plans(PCSM_DOWNGRADE, "t", "r", "-t -m -a2 -b1 -a1");
    /* A member of the target that descends from another is kept. */
    ck_plans(PCSM_DOWNGRADE, "t", "a1 a2", "-t -m");
}
END_TEST

START_TEST(test_graph_plan_partial_branches)
{
    /* The database holds both branches unmerged: heads a2 and b1. */
    ck_plans(PCSM_UPGRADE, "a2 b1", "a2 b1", "");
    ck_plans(PCSM_UPGRADE, "a2 b1", "a2", "");
    ck_plans(PCSM_DOWNGRADE, "a2 b1", "a1", "-a2");
    ck_plans(PCSM_DOWNGRADE, "a2 b1", "a1 b1", "-a2");
    ck_plans(PCSM_DOWNGRADE, "a2 b1", "r", "-b1 -a2 -a1");
    ck_plans(PCSM_DOWNGRADE, "a2 b1", "base", "-b1 -a2 -a1 -r");
    ck_assert_int_eq(make_plan(PCSM_UPGRADE, "a2 b1", "a1"), PCSM_ENOTANCESTOR);
    ck_assert_str_eq(msg(),
                     "a1 is below the current revision a2; use downgrade");
    ck_assert_int_eq(make_plan(PCSM_UPGRADE, "a2 b1", "base"),
                     PCSM_ENOTANCESTOR);
    ck_assert_str_eq(
        msg(), "base is below the current revisions a2, b1; use downgrade");
    /* One branch applied, the other asked for. */
    ck_plans(PCSM_UPGRADE, "a1", "b1", "+b1");
    ck_plans(PCSM_UPGRADE, "a1", "a2 b1", "+a2 +b1");
    ck_plans(PCSM_UPGRADE, "b1", "a2", "+a1 +a2");
    ck_assert_int_eq(make_plan(PCSM_DOWNGRADE, "a1", "b1"), PCSM_ENOTANCESTOR);
    ck_assert_str_eq(msg(), "b1 is not applied (current: a1); use upgrade");
}
END_TEST

START_TEST(test_graph_plan_partial_branches_to_merge)
{
    ck_plans(PCSM_UPGRADE, "a2 b1", "t", "+m +t");
    ck_plans(PCSM_UPGRADE, "a1 b1", "m", "+a2 +m");
    ck_assert_str_eq(replay("a1 b1"), "b1 a2 | m");
}
END_TEST

/* --------------------------------------------------------- step heads */

START_TEST(test_graph_step_heads_through_merge_up)
{
    ck_plans(PCSM_UPGRADE, "base", "t", "+r +a1 +b1 +a2 +m +t");
    ck_assert_str_eq(replay("base"), "r | a1 | a1 b1 | b1 a2 | m | t");
}
END_TEST

START_TEST(test_graph_step_heads_through_merge_down)
{
    ck_plans(PCSM_DOWNGRADE, "t", "base", "-t -m -a2 -b1 -a1 -r");
    ck_assert_str_eq(replay("t"), "m | b1 a2 | a1 b1 | a1 | r | base");
    ck_plans(PCSM_DOWNGRADE, "t", "a1", "-t -m -a2");
    ck_assert_str_eq(replay("t"), "m | b1 a2 | a1 b1");
    ck_plans(PCSM_DOWNGRADE, "t", "b1", "-t -m");
    ck_assert_str_eq(replay("t"), "m | b1 a2");
}
END_TEST

START_TEST(test_graph_step_heads_single_steps)
{
    pcsm_step step = { NULL, PCSM_UPGRADE };

    /* Upgrading b1 beside a2: r was not a head, a2 stays. */
    set_of(&cur, "a2");
    step.rev = rev("b1");
    pcsm_graph_step_heads(ctx, &cur, &step);
    ck_assert_str_eq(set_str(&cur), "a2 b1");
    /* Downgrading a2 beside b1: a1 comes back, r does not (b1 covers it). */
    step.rev = rev("a2");
    step.direction = PCSM_DOWNGRADE;
    pcsm_graph_step_heads(ctx, &cur, &step);
    ck_assert_str_eq(set_str(&cur), "a1 b1");
}
END_TEST

START_TEST(test_graph_step_heads_merge_naming_an_ancestor)
{
    pcsm_step step = { NULL, PCSM_DOWNGRADE };

    open_registry(merge_of_ancestor, LEN(merge_of_ancestor));
    set_of(&cur, "m");
    step.rev = rev("m");
    pcsm_graph_step_heads(ctx, &cur, &step);
    ck_assert_str_eq(set_str(&cur), "x2");
    step.direction = PCSM_UPGRADE;
    pcsm_graph_step_heads(ctx, &cur, &step);
    ck_assert_str_eq(set_str(&cur), "m");
    ck_plans(PCSM_DOWNGRADE, "m", "base", "-m -x2 -x1");
    ck_assert_str_eq(replay("m"), "x2 | x1 | base");
}
END_TEST

/* ------------------------------------------------- invalid registries */

/* Builds revs, expecting PCSM_EINVALID with exactly `want`. */
static void expect_invalid(const pcsm_revision *revs, size_t n,
                           const char *want)
{
    ck_assert_int_eq(pcsm_ctx_new(&ctx, revs, n), PCSM_EINVALID);
    ck_assert_ptr_nonnull(ctx);
    ck_assert_ptr_null(ctx->graph);
    ck_assert_int_eq(code(), PCSM_EINVALID);
    ck_assert_str_eq(msg(), want);
}

START_TEST(test_graph_invalid_duplicate_id)
{

    expect_invalid(dup_id, LEN(dup_id),
                   "duplicate revision id 'x1' (registry entries 0 and 2)");
}
END_TEST

START_TEST(test_graph_invalid_unknown_parent)
{

    expect_invalid(unknown_parent, LEN(unknown_parent),
                   "revision 'y1' revises unknown revision 'nope'");
}
END_TEST

START_TEST(test_graph_invalid_not_topological)
{

    expect_invalid(not_topo, LEN(not_topo),
                   "revision 'y1' revises 'z1', which comes after it: "
                   "the registry is not in topological order");
}
END_TEST

START_TEST(test_graph_invalid_cycle)
{

    expect_invalid(cycle, LEN(cycle),
                   "revision 'x1' revises 'y1', which comes after it: "
                   "the registry is not in topological order");
}
END_TEST

START_TEST(test_graph_invalid_self_parent)
{

    expect_invalid(self_parent, LEN(self_parent),
                   "revision 'y1' revises itself");
}
END_TEST

START_TEST(test_graph_invalid_parent_twice)
{

    expect_invalid(parent_twice, LEN(parent_twice),
                   "revision 'y1' names 'x1' twice in Revises");
}
END_TEST

START_TEST(test_graph_invalid_ids)
{
    static const pcsm_revision dash[] = { ROOT("x-1") };
    static const pcsm_revision empty[] = { ROOT("x1"), ROOT("") };
    static const pcsm_revision none[] = { ROOT("x1"), { .id = NULL } };
    /* 33 and 32 characters: version_num is varchar(32). */
    static const pcsm_revision longer[] = { ROOT(ID32 "6") };
    static const pcsm_revision longest[] = { ROOT(ID32) };

    expect_invalid(dash, LEN(dash),
                   "revision 'x-1' (registry entry 0): an id may only "
                   "hold letters, digits and '_'");
    pcsm_ctx_free(ctx);
    expect_invalid(empty, LEN(empty), "registry entry 1 has an empty id");
    pcsm_ctx_free(ctx);
    /* The all-zero sentinel counted in by mistake. */
    expect_invalid(none, LEN(none), "registry entry 1 has no id");
    pcsm_ctx_free(ctx);
    expect_invalid(longer, LEN(longer),
                   "revision 'abcdefghijklmnopqrstuvwxyz0123456': "
                   "id longer than 32 characters");
    pcsm_ctx_free(ctx);
    ctx = NULL;
    open_registry(longest, LEN(longest));
}
END_TEST

START_TEST(test_graph_invalid_parent_list)
{
    static const pcsm_revision revs[] = { ROOT("x1"),
                                          { .id = "y1", .n_parents = 1 } };
    static const char *const null_parent[] = { NULL };
    const pcsm_revision revs2[] = {
        ROOT("x1"), { .id = "y1", .parents = null_parent, .n_parents = 1 }
    };

    expect_invalid(revs, LEN(revs),
                   "revision 'y1' has 1 parents but no parent list");
    pcsm_ctx_free(ctx);
    expect_invalid(revs2, LEN(revs2), "revision 'y1' has a parent without id");
    pcsm_ctx_free(ctx);
    expect_invalid(NULL, 3, "the registry claims 3 revisions but has none");
}
END_TEST

START_TEST(test_graph_invalid_context_is_inert)
{
    const char *want = "revision 'y1' revises unknown revision 'nope'";
    const pcsm_revision *r = &inert[0];
    pcsm_step step = { &inert[1], PCSM_UPGRADE };

    expect_invalid(inert, LEN(inert), want);
    ck_assert_uint_eq(pcsm_graph_count(ctx), 0);
    pcsm_graph_heads(ctx, &out);
    ck_assert_uint_eq(out.n, 0);
    pcsm_graph_children(ctx, &inert[0], &out);
    ck_assert_uint_eq(out.n, 0);
    pcsm_graph_parents(ctx, &inert[1], &out);
    ck_assert_uint_eq(out.n, 0);
    ck_assert(!pcsm_graph_is_ancestor(ctx, &inert[0], &inert[1]));
    /* Every failing call reports the build's error. */
    ck_assert_int_eq(pcsm_graph_lookup(ctx, "x1", &r), PCSM_EINVALID);
    ck_assert_ptr_null(r);
    ck_assert_str_eq(msg(), want);
    ck_assert_int_eq(pcsm_graph_resolve(ctx, "head", NULL, &out),
                     PCSM_EINVALID);
    ck_assert_str_eq(msg(), want);
    ck_assert_int_eq(pcsm_graph_plan(ctx, PCSM_UPGRADE, NULL, NULL, &plan),
                     PCSM_EINVALID);
    ck_assert_str_eq(msg(), want);
    pcsm_revset_add(ctx, &cur, &inert[0]);
    pcsm_graph_step_heads(ctx, &cur, &step);
    ck_assert_uint_eq(cur.n, 1);
}
END_TEST

START_TEST(test_graph_empty_registry)
{
    const pcsm_revision *r = NULL;

    ck_assert_int_eq(pcsm_ctx_new(&ctx, NULL, 0), 0);
    ck_assert_uint_eq(pcsm_graph_count(ctx), 0);
    pcsm_graph_heads(ctx, &out);
    ck_assert_uint_eq(out.n, 0);
    ck_resolves("head", NULL, "base");
    ck_resolves("heads", NULL, "base");
    ck_resolves("base", NULL, "base");
    ck_resolves("+0", NULL, "base");
    ck_resolve_fails("+1", NULL, PCSM_ENOTFOUND);
    ck_assert_str_eq(
        msg(),
        "target '+1': cannot go 1 step above base: there are no revisions");
    ck_resolve_fails("head+1", NULL, PCSM_ENOTFOUND);
    ck_resolve_fails("-1", NULL, PCSM_EINVALID);
    ck_resolve_fails("abc", NULL, PCSM_ENOTFOUND);
    ck_assert_int_eq(pcsm_graph_lookup(ctx, "a", &r), PCSM_ENOTFOUND);
    ck_assert_str_eq(msg(), "no revision 'a'");
    ck_assert_int_eq(pcsm_graph_plan(ctx, PCSM_UPGRADE, NULL, NULL, &plan), 0);
    ck_assert_uint_eq(plan.n, 0);
    ck_assert_int_eq(pcsm_graph_plan(ctx, PCSM_DOWNGRADE, NULL, NULL, &plan),
                     0);
    ck_assert_uint_eq(plan.n, 0);
}
END_TEST

/* ---------------------------------------------------- a long chain */

START_TEST(test_graph_chain_relative)
{
    ck_resolves("head", NULL, "r0999");
    ck_resolves("head-999", NULL, "r0000");
    ck_resolves("head-1000", NULL, "base");
    ck_resolve_fails("head-1001", NULL, PCSM_EINVALID);
    ck_assert_str_eq(msg(),
                     "target 'head-1001': cannot go 1001 steps below r0999: "
                     "base is 1000 steps below it");
    ck_resolves("+1000", NULL, "r0999");
    ck_resolve_fails("+1001", NULL, PCSM_ENOTFOUND);
    ck_resolves("base+1", NULL, "r0000");
    ck_resolves("r0500-500", NULL, "r0000");
    ck_resolves("-250", "r0750", "r0500");
    ck_resolves("r0999", NULL, "r0999");
}
END_TEST

START_TEST(test_graph_chain_plans)
{
    const char *trace;
    size_t i;

    ck_assert_int_eq(make_plan(PCSM_UPGRADE, "base", "r0999"), 0);
    ck_assert_uint_eq(plan.n, CHAIN_LEN);
    for (i = 0; i < CHAIN_LEN; i++) {
        ck_assert_ptr_eq(plan.steps[i].rev, &chain[i]);
        ck_assert_int_eq(plan.steps[i].direction, PCSM_UPGRADE);
    }
    trace = replay("base");
    ck_assert_str_eq(trace + strlen(trace) - strlen("r0998 | r0999"),
                     "r0998 | r0999");

    ck_assert_int_eq(make_plan(PCSM_DOWNGRADE, "r0999", "base"), 0);
    ck_assert_uint_eq(plan.n, CHAIN_LEN);
    for (i = 0; i < CHAIN_LEN; i++) {
        ck_assert_ptr_eq(plan.steps[i].rev, &chain[CHAIN_LEN - 1 - i]);
        ck_assert_int_eq(plan.steps[i].direction, PCSM_DOWNGRADE);
    }
    trace = replay("r0999");
    ck_assert_str_eq(trace + strlen(trace) - strlen("r0000 | base"),
                     "r0000 | base");

    ck_assert_int_eq(make_plan(PCSM_UPGRADE, "r0499", "r0999"), 0);
    ck_assert_uint_eq(plan.n, 500);
    ck_assert_ptr_eq(plan.steps[0].rev, &chain[500]);
}
END_TEST

START_TEST(test_graph_chain_prefix_and_ancestry)
{
    const pcsm_revision *r = NULL;
    const char *m;

    ck_assert_int_eq(pcsm_graph_lookup(ctx, "r05", &r), PCSM_EAMBIGUOUS);
    m = msg();
    ck_assert_msg(
        strncmp(m, "revision prefix 'r05' is ambiguous: r0500, r0501, ", 50)
            == 0,
        "%s", m);
    ck_assert_str_eq(m + strlen(m) - strlen("r0598, r0599"), "r0598, r0599");
    ck_assert_int_eq(pcsm_graph_lookup(ctx, "r0777", &r), 0);
    ck_assert_ptr_eq(r, &chain[777]);
    ck_assert(pcsm_graph_is_ancestor(ctx, &chain[0], &chain[999]));
    ck_assert(!pcsm_graph_is_ancestor(ctx, &chain[999], &chain[0]));
    ck_assert(pcsm_graph_is_ancestor(ctx, &chain[998], &chain[999]));
}
END_TEST

/* -------------------------------------------------------------- suite */

/* Comma lists name the union: partly applied branches (2026-11-24). */
START_TEST(test_graph_resolve_comma_list)
{
    ck_assert_int_eq(pcsm_graph_resolve(ctx, "b1,a2", NULL, &out), 0);
    ck_assert_str_eq(set_str(&out), "a2 b1");
    ck_assert_int_eq(pcsm_graph_resolve(ctx, "a2,a2-1,r", NULL, &out), 0);
    ck_assert_str_eq(set_str(&out), "r a1 a2");
    ck_assert_int_eq(pcsm_graph_resolve(ctx, "a2,", NULL, &out), PCSM_EINVALID);
    ck_assert_str_eq(msg(), "invalid target 'a2,': an empty item");
    ck_assert_int_eq(pcsm_graph_resolve(ctx, "a2,zz", NULL, &out), PCSM_ENOTFOUND);
    ck_assert_ptr_nonnull(strstr(msg(), "zz"));
    /* On failure the output is left alone. */
    ck_assert_str_eq(set_str(&out), "r a1 a2");
}
END_TEST

static Suite *graph_suite(void)
{
    Suite *s = suite_create("graph");
    TCase *tc;

    tc = tcase_create("lookup");
    tcase_add_checked_fixture(tc, setup_linear, teardown);
    tcase_add_test(tc, test_graph_lookup_full_id);
    tcase_add_test(tc, test_graph_lookup_unique_prefix);
    tcase_add_test(tc, test_graph_lookup_ambiguous_lists_candidates);
    tcase_add_test(tc, test_graph_lookup_unknown);
    suite_add_tcase(s, tc);

    /* Tests that open their own registry. */
    tc = tcase_create("own_registry");
    tcase_add_checked_fixture(tc, NULL, teardown);
    tcase_add_test(tc, test_graph_lookup_full_id_beats_longer_ids);
    tcase_add_test(tc, test_graph_heads_linear);
    tcase_add_test(tc, test_graph_heads_branched);
    tcase_add_test(tc, test_graph_resolve_several_roots);
    tcase_add_test(tc, test_graph_step_heads_merge_naming_an_ancestor);
    suite_add_tcase(s, tc);

    tc = tcase_create("structure");
    tcase_add_checked_fixture(tc, setup_merged, teardown);
    tcase_add_test(tc, test_graph_count_at_index);
    tcase_add_test(tc, test_graph_heads_merged);
    tcase_add_test(tc, test_graph_heads_replace_output);
    tcase_add_test(tc, test_graph_children_and_parents);
    tcase_add_test(tc, test_graph_is_ancestor);
    tcase_add_test(tc, test_graph_revset_order_and_contains);
    suite_add_tcase(s, tc);

    tc = tcase_create("resolve_linear");
    tcase_add_checked_fixture(tc, setup_linear, teardown);
    tcase_add_test(tc, test_graph_resolve_keywords_and_ids);
    tcase_add_test(tc, test_graph_resolve_relative_to_current);
    tcase_add_test(tc, test_graph_resolve_relative_to_revision);
    tcase_add_test(tc, test_graph_resolve_beyond_the_ends);
    tcase_add_test(tc, test_graph_resolve_syntax_errors);
    tcase_add_test(tc, test_graph_resolve_count_overflow);
    tcase_add_test(tc, test_graph_resolve_unknown_and_ambiguous_names);
    tcase_add_test(tc, test_graph_resolve_out_unchanged_on_error);
    tcase_add_test(tc, test_graph_resolve_in_place);
    suite_add_tcase(s, tc);

    tc = tcase_create("resolve_branched");
    tcase_add_checked_fixture(tc, setup_branched, teardown);
    tcase_add_test(tc, test_graph_resolve_several_heads);
    tcase_add_test(tc, test_graph_resolve_relative_to_several_current_heads);
    tcase_add_test(tc, test_graph_resolve_branch_point);
    tcase_add_test(tc, test_graph_resolve_comma_list);
    suite_add_tcase(s, tc);

    tc = tcase_create("resolve_merged");
    tcase_add_checked_fixture(tc, setup_merged, teardown);
    tcase_add_test(tc, test_graph_resolve_merge_point);
    suite_add_tcase(s, tc);

    tc = tcase_create("plan_linear");
    tcase_add_checked_fixture(tc, setup_linear, teardown);
    tcase_add_test(tc, test_graph_plan_linear_upgrade);
    tcase_add_test(tc, test_graph_plan_linear_downgrade);
    tcase_add_test(tc, test_graph_plan_wrong_direction);
    tcase_add_test(tc, test_graph_plan_output_replaced_or_kept);
    suite_add_tcase(s, tc);

    tc = tcase_create("plan_branched");
    tcase_add_checked_fixture(tc, setup_branched, teardown);
    tcase_add_test(tc, test_graph_plan_partial_branches);
    tcase_add_test(tc, test_graph_step_heads_single_steps);
    suite_add_tcase(s, tc);

    tc = tcase_create("plan_merged");
    tcase_add_checked_fixture(tc, setup_merged, teardown);
    tcase_add_test(tc, test_graph_plan_merged_upgrade);
    tcase_add_test(tc, test_graph_plan_merged_downgrade);
    tcase_add_test(tc, test_graph_plan_partial_branches_to_merge);
    tcase_add_test(tc, test_graph_step_heads_through_merge_up);
    tcase_add_test(tc, test_graph_step_heads_through_merge_down);
    suite_add_tcase(s, tc);

    tc = tcase_create("invalid");
    tcase_add_checked_fixture(tc, NULL, teardown);
    tcase_add_test(tc, test_graph_invalid_duplicate_id);
    tcase_add_test(tc, test_graph_invalid_unknown_parent);
    tcase_add_test(tc, test_graph_invalid_not_topological);
    tcase_add_test(tc, test_graph_invalid_cycle);
    tcase_add_test(tc, test_graph_invalid_self_parent);
    tcase_add_test(tc, test_graph_invalid_parent_twice);
    tcase_add_test(tc, test_graph_invalid_ids);
    tcase_add_test(tc, test_graph_invalid_parent_list);
    tcase_add_test(tc, test_graph_invalid_context_is_inert);
    tcase_add_test(tc, test_graph_empty_registry);
    suite_add_tcase(s, tc);

    tc = tcase_create("chain");
    tcase_add_checked_fixture(tc, setup_chain, teardown);
    tcase_add_test(tc, test_graph_chain_relative);
    tcase_add_test(tc, test_graph_chain_plans);
    tcase_add_test(tc, test_graph_chain_prefix_and_ancestry);
    suite_add_tcase(s, tc);

    return s;
}

int main(void)
{
    return test_run_suite(graph_suite());
}
