/*
 * Lint: what each revision's upgrade will lock, rewrite or destroy, judged
 * from its recorded operations against the schema model as it stands just
 * before that revision.  No database; the rules are listed in docs/lint.md.
 */
#ifndef PCSM_LINT_H
#define PCSM_LINT_H

#include <stdbool.h>
#include <stddef.h>

#include "buf.h"
#include "graph.h"
#include "revision.h"

#ifdef __cplusplus
extern "C" {
#endif

enum pcsm_lint_severity {
    PCSM_LINT_INFO = 1,         /* a better habit; never fails a build */
    PCSM_LINT_WARNING,          /* a lock, a rewrite or a break under traffic */
    PCSM_LINT_ERROR,            /* wrong whatever the traffic */
};

/* A rule: static data, never freed. */
typedef struct pcsm_lint_rule {
    const char *id;             /* stable: "require-concurrent-index" */
    enum pcsm_lint_severity severity;
    const char *summary;        /* one line */
} pcsm_lint_rule;

PCSM_API size_t pcsm_lint_rule_count(void);
PCSM_API const pcsm_lint_rule *pcsm_lint_rule_at(size_t i);
/* The rule of that id, or NULL. */
PCSM_API const pcsm_lint_rule *pcsm_lint_rule_find(const char *id);
/* "info", "warning", "error". */
PCSM_API const char *pcsm_lint_severity_name(enum pcsm_lint_severity severity);

/* One finding; its strings belong to the report. */
typedef struct pcsm_lint_finding {
    const pcsm_lint_rule *rule;
    const pcsm_revision *revision;
    unsigned line;              /* of the call in revision->source_path; 0: not known */
    const char *operation;      /* the API call, "create_index"; NULL: the whole revision */
    const char *object;         /* what it is about, or NULL */
    const char *message;
    /* The header's Lint-ignore reason that silences it, or NULL. */
    const char *ignored_because;
    bool baselined;             /* listed in a baseline (pcsm_lint_baseline) */
} pcsm_lint_finding;

typedef struct pcsm_lint_report pcsm_lint_report;

/*
 * Lints the upgrade of every revision in `only` (NULL: the whole registry),
 * each against the model declared at its parents, and its downgrade
 * against that same model.  A Lint-ignore naming no rule is itself a
 * finding.
 * @return 0 and *out (free with pcsm_lint_free), or PCSM_EMIGRATION when a
 *         revision does not replay (the message names it), PCSM_EINVALID
 *         for an invalid registry
 */
PCSM_API int pcsm_lint_run(pcsm_ctx *ctx, const pcsm_revset *only, pcsm_lint_report **out);
PCSM_API void pcsm_lint_free(pcsm_lint_report *report);
/* Findings in registry order, then in the order of the calls. */
PCSM_API size_t pcsm_lint_count(const pcsm_lint_report *report);
PCSM_API const pcsm_lint_finding *pcsm_lint_at(const pcsm_lint_report *report, size_t i);
/*
 * The findings that count, at `severity` or above: neither ignored by
 * their revision's header nor baselined.
 */
PCSM_API size_t pcsm_lint_active(const pcsm_lint_report *report,
                                 enum pcsm_lint_severity severity);

/*
 * Marks as baselined each finding that a line of `text` names: the lines
 * pcsm_lint_baseline_write() writes, "<revision> <rule> <object>" ("-" for
 * no object); blank lines and lines starting with '#' are skipped.
 * @return 0, or -1 with "line N: what is wrong" in *why
 */
PCSM_API int pcsm_lint_baseline(pcsm_lint_report *report, const char *text, pcsm_buf *why);
/* Appends every finding that counts as a baseline line. */
PCSM_API void pcsm_lint_baseline_write(const pcsm_lint_report *report, pcsm_buf *out);

/*
 * Appends the report for people, one finding per line as a compiler writes
 * them ("file:line: warning: message [rule]"), ignored ones with their
 * reason, baselined ones left out; then a summary line.
 */
PCSM_API void pcsm_lint_text(const pcsm_lint_report *report, pcsm_buf *out);
/*
 * Appends one JSON document: {"findings": [{"rule", "severity", "revision",
 * "file", "line", "operation", "object", "message", "ignored_because",
 * "baselined"}...], "counts": {"error", "warning", "info", "ignored",
 * "baselined"}}.
 */
PCSM_API void pcsm_lint_json(const pcsm_lint_report *report, pcsm_buf *out);
/* Appends a SARIF 2.1.0 log, for code-scanning annotations in CI. */
PCSM_API void pcsm_lint_sarif(const pcsm_lint_report *report, pcsm_buf *out);

#ifdef __cplusplus
}
#endif

#endif /* PCSM_LINT_H */
