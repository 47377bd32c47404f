/*
 * The lint driver: walks the registry replaying every revision into the
 * schema model, runs the rules on the revisions asked for with the model as
 * it stood before each, checks that each downgrade gives that model back,
 * and applies the headers' Lint-ignore lines.
 */
#include <stdlib.h>
#include <string.h>

#include "lint/lint.h"
#include "pcsm/diff.h"

size_t pcsm_lint_rule_count(void)
{
    return LINT_N_RULES;
}

const pcsm_lint_rule *pcsm_lint_rule_at(size_t i)
{
    return i < LINT_N_RULES ? &pcsm_lint__rules[i] : NULL;
}

const pcsm_lint_rule *pcsm_lint_rule_find(const char *id)
{
    size_t i;

    for (i = 0; i < LINT_N_RULES; i++)
        if (!strcmp(pcsm_lint__rules[i].id, id))
            return &pcsm_lint__rules[i];
    return NULL;
}

const char *pcsm_lint_severity_name(enum pcsm_lint_severity severity)
{
    switch (severity) {
    case PCSM_LINT_INFO:
        return "info";
    case PCSM_LINT_WARNING:
        return "warning";
    case PCSM_LINT_ERROR:
        return "error";
    }
    return "?";
}

/* ------------------------------------------------------------- replay */

static int apply_all(pcsm_ctx *ctx, pcsm_schema *s, const pcsm_revision *rev,
                     const pcsm_op *op)
{
    size_t k;
    int rc = 0;

    for (k = 0; rc == 0 && k < pcsm_op__count(op); k++)
        rc = pcsm_schema__apply(ctx, s, rev, k, pcsm_op__at(op, k));
    return rc;
}

/* The model at `rev`'s parents, or, with `with_rev`, at rev itself. */
static int declared_at(pcsm_ctx *ctx, const pcsm_revision *rev, bool with_rev,
                       pcsm_schema **out)
{
    pcsm_revset at = { 0 };
    int rc;

    if (with_rev)
        pcsm_revset_add(ctx, &at, rev);
    else
        pcsm_graph_parents(ctx, rev, &at);
    rc = pcsm_schema_declared(ctx, &at, out);
    pcsm_revset_dispose(&at);
    return rc;
}

/* Whether two sets hold the same revisions (both are kept in registry order). */
static bool same_set(const pcsm_revset *a, const pcsm_revset *b)
{
    return a->n == b->n && (a->n == 0 || !memcmp(a->revs, b->revs, a->n * sizeof(*a->revs)));
}

/* ----------------------------------------------------------- the rules */

/* Runs the rules over the upgrade `up` while replaying it into lr->now. */
static int lint_upgrade(pcsm_ctx *ctx, struct pcsm_lint_revision *lr, pcsm_schema *work,
                        const pcsm_op *up)
{
    size_t k;
    int rc = 0;

    lr->now = work;
    for (k = 0; rc == 0 && k < pcsm_op__count(up); k++) {
        pcsm_lint__op(lr, pcsm_op__at(up, k));
        rc = pcsm_schema__apply(ctx, work, lr->rev, k, pcsm_op__at(up, k));
    }
    if (rc == 0)
        pcsm_lint__revision(lr, up);
    return rc;
}

/* The last finding added, to give it a line of the header or of a downgrade. */
static pcsm_lint_finding *last(pcsm_lint_report *r)
{
    return &r->findings[r->n - 1];
}

/*
 * Replays the downgrade into `work`, which holds the model after the
 * upgrade, and compares the result with lr->before.  A downgrade that
 * records an invalid call or that the model refuses is a finding too.
 * Returns whether `work` is lr->before again, raw SQL included.
 */
static bool check_downgrade(pcsm_ctx *ctx, struct pcsm_lint_revision *lr, pcsm_schema *work)
{
    pcsm_op *down = NULL;
    pcsm_diff *diff = NULL;
    pcsm_buf what = PCSM_BUF_INIT;
    unsigned line = 0;
    size_t i, shown;
    bool same = false;

    if (pcsm_op__record(ctx, lr->rev, PCSM_DOWNGRADE, &down) < 0 ||
        apply_all(ctx, work, lr->rev, down) < 0) {
        pcsm_lint__add(lr, LINT_DOWNGRADE_MISMATCH, NULL, NULL,
                       "the downgrade does not replay after the upgrade: %s",
                       pcsm_error_last(ctx)->message);
        pcsm_error__clear(ctx);
        goto out;
    }
    if (pcsm_op__count(down) > 0)
        line = pcsm_op__at(down, 0)->line;
    pcsm_schema__sort(work);
    if (pcsm_schema_equal(lr->before, work)) {
        same = pcsm_schema_opaque_count(work) == pcsm_schema_opaque_count(lr->before);
        goto out;
    }
    /*
     * Not the same model, but maybe the same schema: a column dropped and
     * added back comes last, which no downgrade can help and diff ignores.
     */
    if (pcsm_diff_models(ctx, lr->before, work, &diff) < 0) {
        pcsm_buf_puts(&what, pcsm_error_last(ctx)->message);
        pcsm_error__clear(ctx);
    } else if (!pcsm_diff_differs(diff)) {
        goto out;
    }
    for (i = 0, shown = 0; diff && i < pcsm_diff_count(diff) && shown < 3; i++) {
        const pcsm_diff_entry *e = pcsm_diff_at(diff, i);

        if (shown++)
            pcsm_buf_puts(&what, "; ");
        if (e->change == PCSM_DIFF_MISSING)
            pcsm_buf_printf(&what, "%s %s is gone", pcsm_diff_object_name(e->object), e->path);
        else if (e->change == PCSM_DIFF_EXTRA)
            pcsm_buf_printf(&what, "%s %s is left behind", pcsm_diff_object_name(e->object),
                            e->path);
        else
            pcsm_buf_printf(&what, "%s of %s %s is %s, was %s", e->attribute,
                            pcsm_diff_object_name(e->object), e->path,
                            e->to ? e->to : "none", e->from ? e->from : "none");
    }
    if (diff && pcsm_diff_count(diff) > shown)
        pcsm_buf_printf(&what, "; and %zu more", pcsm_diff_count(diff) - shown);
    pcsm_lint__add(lr, LINT_DOWNGRADE_MISMATCH, NULL, NULL,
                   "upgrade then downgrade does not give back the schema before it: %s",
                   what.len ? what.ptr : "the models differ");
    last(lr->report)->line = line;
out:
    pcsm_diff_free(diff);
    pcsm_buf_dispose(&what);
    pcsm_op__free(down);
    return same;
}

/* Applies the header's Lint-ignore lines to the findings from `first` on. */
static void apply_ignores(struct pcsm_lint_revision *lr, size_t first)
{
    const pcsm_revision *rev = lr->rev;
    size_t i, k, end = lr->report->n;

    for (i = 0; i < rev->n_lint_ignores; i++) {
        const pcsm_lint_ignore *ig = &rev->lint_ignores[i];
        const pcsm_lint_rule *rule = pcsm_lint_rule_find(ig->rule);
        size_t used = 0;

        if (!rule) {
            pcsm_lint__add(lr, LINT_UNKNOWN_IGNORE, NULL, ig->rule,
                           "Lint-ignore names \"%s\", which is not a rule (pcs-migrate lint "
                           "--rules lists them)", ig->rule);
            last(lr->report)->line = ig->line;
            continue;
        }
        for (k = first; k < end; k++) {
            pcsm_lint_finding *f = &lr->report->findings[k];

            if (f->rule == rule && f->rule != &pcsm_lint__rules[LINT_UNKNOWN_IGNORE]) {
                f->ignored_because = ig->reason;
                used++;
            }
        }
        if (!used) {
            pcsm_lint__add(lr, LINT_UNUSED_IGNORE, NULL, ig->rule,
                           "Lint-ignore of \"%s\" silences nothing in this revision: remove "
                           "it", ig->rule);
            last(lr->report)->line = ig->line;
        }
    }
}

/*
 * One revision: its rules and downgrade check against `before` and `work`,
 * both the model at its parents.  *restored says whether `work` is that
 * model again; else it is garbage.
 */
static int lint_revision(pcsm_ctx *ctx, pcsm_lint_report *report, const pcsm_revision *rev,
                         pcsm_schema *before, pcsm_schema *work, const pcsm_op *up,
                         bool *restored)
{
    struct pcsm_lint_revision lr = { report, rev, before, work, NULL, 0, 0, NULL };
    size_t first = report->n, i;
    int rc;

    *restored = false;
    pcsm_schema__sort(before);
    rc = lint_upgrade(ctx, &lr, work, up);
    if (rc == 0)
        *restored = check_downgrade(ctx, &lr, work);
    if (rc == 0)
        apply_ignores(&lr, first);
    for (i = 0; i < lr.n_fresh; i++) {
        free(lr.fresh[i].schema);
        free(lr.fresh[i].name);
    }
    free(lr.fresh);
    return rc;
}

/*
 * Replays rev's upgrade into the prefix models beside a branch: the
 * branches need not replay one after the other (two heads not merged yet
 * may both add a column), so a failure only marks the prefix stale, to be
 * made again from the next revision's parents.
 */
static void advance_beside(pcsm_ctx *ctx, pcsm_schema *run[2], bool *stale,
                           const pcsm_revision *rev, const pcsm_op *up)
{
    if (!*stale && (apply_all(ctx, run[0], rev, up) < 0 || apply_all(ctx, run[1], rev, up) < 0)) {
        pcsm_error__clear(ctx);
        *stale = true;
    }
}

int pcsm_lint_run(pcsm_ctx *ctx, const pcsm_revset *only, pcsm_lint_report **out)
{
    pcsm_lint_report *report = pcsm__xcalloc(1, sizeof(*report));
    /*
     * The prefix of the registry replayed so far, twice (run[1] is linted
     * on), unless stale: then NULL until a revision needs it.
     */
    pcsm_schema *run[2] = { pcsm_schema__new(), pcsm_schema__new() };
    pcsm_revset heads = { 0 }, parents = { 0 };
    size_t i, n = pcsm_graph_count(ctx);
    bool stale = false;
    int rc = 0;

    *out = NULL;
    for (i = 0; rc == 0 && i < n; i++) {
        const pcsm_revision *rev = pcsm_graph_at(ctx, i);
        bool wanted = !only || pcsm_revset_contains(only, rev), linear, restored;
        pcsm_op *up = NULL;
        size_t k;

        pcsm_graph_parents(ctx, rev, &parents);
        /* Every revision replayed so far is an ancestor: the prefix is the parents' model. */
        linear = same_set(&heads, &parents);
        rc = pcsm_op__record(ctx, rev, PCSM_UPGRADE, &up);
        if (rc == 0 && linear && stale) {
            pcsm_schema_free(run[0]);
            pcsm_schema_free(run[1]);
            run[0] = run[1] = NULL;
            rc = declared_at(ctx, rev, false, &run[0]);
            if (rc == 0)
                rc = declared_at(ctx, rev, false, &run[1]);
            stale = rc < 0;
        }
        if (rc == 0 && linear && !wanted) {
            rc = apply_all(ctx, run[0], rev, up);
            if (rc == 0)
                rc = apply_all(ctx, run[1], rev, up);
        } else if (rc == 0 && linear) {
            /* run[1] is linted on, then made again if its downgrade did not bring it back. */
            rc = lint_revision(ctx, report, rev, run[0], run[1], up, &restored);
            if (rc == 0)
                rc = apply_all(ctx, run[0], rev, up);
            if (rc == 0 && restored) {
                rc = apply_all(ctx, run[1], rev, up);
            } else if (rc == 0) {
                pcsm_schema_free(run[1]);
                run[1] = NULL;
                rc = declared_at(ctx, rev, true, &run[1]);
            }
        } else if (rc == 0) {
            /* A branch beside others: its parents' model alone, made for it. */
            pcsm_schema *before = NULL, *work = NULL;

            if (wanted) {
                rc = declared_at(ctx, rev, false, &before);
                if (rc == 0)
                    rc = declared_at(ctx, rev, false, &work);
                if (rc == 0)
                    rc = lint_revision(ctx, report, rev, before, work, up, &restored);
                pcsm_schema_free(before);
                pcsm_schema_free(work);
            }
            if (rc == 0)
                advance_beside(ctx, run, &stale, rev, up);
        }
        pcsm_op__free(up);
        /* The prefix's heads: rev replaces its parents. */
        for (k = 0; k < parents.n; k++) {
            size_t j;

            for (j = 0; j < heads.n; j++)
                if (heads.revs[j] == parents.revs[k]) {
                    memmove(&heads.revs[j], &heads.revs[j + 1],
                            (heads.n - j - 1) * sizeof(*heads.revs));
                    heads.n--;
                    break;
                }
        }
        pcsm_revset_add(ctx, &heads, rev);
    }
    pcsm_revset_dispose(&heads);
    pcsm_revset_dispose(&parents);
    pcsm_schema_free(run[0]);
    pcsm_schema_free(run[1]);
    if (rc < 0) {
        pcsm_lint_free(report);
        return rc;
    }
    *out = report;
    return 0;
}

void pcsm_lint_free(pcsm_lint_report *report)
{
    size_t i;

    if (!report)
        return;
    for (i = 0; i < report->n; i++) {
        free((char *)report->findings[i].object);
        free((char *)report->findings[i].message);
    }
    free(report->findings);
    free(report);
}

size_t pcsm_lint_count(const pcsm_lint_report *report)
{
    return report->n;
}

const pcsm_lint_finding *pcsm_lint_at(const pcsm_lint_report *report, size_t i)
{
    return i < report->n ? &report->findings[i] : NULL;
}

size_t pcsm_lint_active(const pcsm_lint_report *report, enum pcsm_lint_severity severity)
{
    size_t i, n = 0;

    for (i = 0; i < report->n; i++) {
        const pcsm_lint_finding *f = &report->findings[i];

        if (f->rule->severity >= severity && !f->ignored_because && !f->baselined)
            n++;
    }
    return n;
}
