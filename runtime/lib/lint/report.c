/*
 * A lint report printed for people (as a compiler prints diagnostics), as
 * JSON, as SARIF for code-scanning annotations, and as a baseline: the
 * findings of old revisions that a team has decided to live with.
 */
#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "lint/lint.h"

static const char *file_of(const pcsm_lint_finding *f)
{
    return f->revision->source_path ? f->revision->source_path : f->revision->id;
}

/* ------------------------------------------------------------- baseline */

/* The baseline line of a finding, without its newline. */
static void baseline_key(const pcsm_lint_finding *f, pcsm_buf *out)
{
    pcsm_buf_printf(out, "%s %s %s", f->revision->id, f->rule->id,
                    f->object && f->object[0] ? f->object : "-");
}

void pcsm_lint_baseline_write(const pcsm_lint_report *report, pcsm_buf *out)
{
    size_t i;

    pcsm_buf_puts(out, "# pcs-migrate lint baseline: <revision> <rule> <object>\n");
    for (i = 0; i < report->n; i++) {
        const pcsm_lint_finding *f = &report->findings[i];

        if (f->ignored_because)
            continue;
        baseline_key(f, out);
        pcsm_buf_putc(out, '\n');
    }
}

int pcsm_lint_baseline(pcsm_lint_report *report, const char *text, pcsm_buf *why)
{
    const char *p = text;
    unsigned number = 0;

    while (*p) {
        const char *eol = p + strcspn(p, "\n"), *s = p, *e = eol;
        pcsm_buf key = PCSM_BUF_INIT;
        size_t i, words = 0;
        bool in_word = false;

        number++;
        while (s < e && isspace((unsigned char)*s))
            s++;
        while (e > s && isspace((unsigned char)e[-1]))
            e--;
        p = *eol ? eol + 1 : eol;
        if (s == e || *s == '#')
            continue;
        for (const char *q = s; q < e; q++) {
            if (!isspace((unsigned char)*q) && !in_word)
                words++;
            in_word = !isspace((unsigned char)*q);
        }
        if (words < 3) {
            pcsm_buf_printf(why, "line %u: expected \"<revision> <rule> <object>\", "
                            "found %zu word(s)", number, words);
            return -1;
        }
        /* The words as baseline_key() joins them: one space between each. */
        for (const char *q = s; q < e; q++)
            if (!isspace((unsigned char)*q))
                pcsm_buf_putc(&key, *q);
            else if (!isspace((unsigned char)q[-1]))
                pcsm_buf_putc(&key, ' ');
        for (i = 0; i < report->n; i++) {
            pcsm_buf mine = PCSM_BUF_INIT;

            baseline_key(&report->findings[i], &mine);
            if (!strcmp(mine.ptr, key.ptr))
                report->findings[i].baselined = true;
            pcsm_buf_dispose(&mine);
        }
        pcsm_buf_dispose(&key);
    }
    return 0;
}

/* ----------------------------------------------------------------- text */

static void counts(const pcsm_lint_report *report, size_t n[4], size_t *ignored,
                   size_t *baselined)
{
    size_t i;

    memset(n, 0, 4 * sizeof(*n));
    *ignored = *baselined = 0;
    for (i = 0; i < report->n; i++) {
        const pcsm_lint_finding *f = &report->findings[i];

        if (f->ignored_because)
            (*ignored)++;
        else if (f->baselined)
            (*baselined)++;
        else
            n[f->rule->severity]++;
    }
}

void pcsm_lint_text(const pcsm_lint_report *report, pcsm_buf *out)
{
    size_t i, n[4], ignored, baselined;

    for (i = 0; i < report->n; i++) {
        const pcsm_lint_finding *f = &report->findings[i];

        if (f->baselined)
            continue;
        pcsm_buf_printf(out, "%s:%u: %s: %s: %s [%s]\n", file_of(f), f->line ? f->line : 1,
                        f->ignored_because ? "ignored"
                                           : pcsm_lint_severity_name(f->rule->severity),
                        f->revision->id, f->message, f->rule->id);
        if (f->ignored_because)
            pcsm_buf_printf(out, "    ignored by the header: %s\n", f->ignored_because);
    }
    counts(report, n, &ignored, &baselined);
    pcsm_buf_printf(out, "lint: %zu error(s), %zu warning(s), %zu info; %zu ignored by "
                    "Lint-ignore, %zu baselined\n", n[PCSM_LINT_ERROR], n[PCSM_LINT_WARNING],
                    n[PCSM_LINT_INFO], ignored, baselined);
}

/* ----------------------------------------------------------------- JSON */

void pcsm_lint_json(const pcsm_lint_report *report, pcsm_buf *out)
{
    size_t i, n[4], ignored, baselined;
    json_t *findings = json_array();

    for (i = 0; i < report->n; i++) {
        const pcsm_lint_finding *f = &report->findings[i];

        json_array_append_new(findings, json_pack("{s:o, s:s, s:o, s:o, s:I, s:o, s:o, s:o, "
                                                  "s:o, s:b}",
            "rule", pcsm_json_string(f->rule->id),
            "severity", pcsm_lint_severity_name(f->rule->severity),
            "revision", pcsm_json_string(f->revision->id), "file", pcsm_json_string(file_of(f)),
            "line", (json_int_t)f->line, "operation", pcsm_json_string(f->operation),
            "object", pcsm_json_string(f->object), "message", pcsm_json_string(f->message),
            "ignored_because", pcsm_json_string(f->ignored_because),
            "baselined", f->baselined));
    }
    counts(report, n, &ignored, &baselined);
    pcsm_json_line(out, json_pack("{s:o, s:{s:I, s:I, s:I, s:I, s:I}}", "findings", findings,
                                  "counts", "error", (json_int_t)n[PCSM_LINT_ERROR],
                                  "warning", (json_int_t)n[PCSM_LINT_WARNING],
                                  "info", (json_int_t)n[PCSM_LINT_INFO],
                                  "ignored", (json_int_t)ignored,
                                  "baselined", (json_int_t)baselined));
}

/* ---------------------------------------------------------------- SARIF */

static const char *sarif_level(enum pcsm_lint_severity s)
{
    return s == PCSM_LINT_ERROR ? "error" : s == PCSM_LINT_WARNING ? "warning" : "note";
}

void pcsm_lint_sarif(const pcsm_lint_report *report, pcsm_buf *out)
{
    json_t *rules = json_array(), *results = json_array();
    size_t i;

    for (i = 0; i < LINT_N_RULES; i++) {
        const pcsm_lint_rule *r = &pcsm_lint__rules[i];

        json_array_append_new(rules, json_pack("{s:o, s:{s:o}, s:{s:s}}",
            "id", pcsm_json_string(r->id), "shortDescription", "text",
            pcsm_json_string(r->summary), "defaultConfiguration", "level",
            sarif_level(r->severity)));
    }
    for (i = 0; i < report->n; i++) {
        const pcsm_lint_finding *f = &report->findings[i];
        json_t *result = json_pack("{s:o, s:I, s:s, s:{s:o}, s:[{s:{s:{s:o}, s:{s:I}}}]}",
            "ruleId", pcsm_json_string(f->rule->id),
            "ruleIndex", (json_int_t)(f->rule - pcsm_lint__rules),
            "level", sarif_level(f->rule->severity),
            "message", "text", pcsm_json_string(f->message),
            "locations", "physicalLocation", "artifactLocation", "uri",
            pcsm_json_string(file_of(f)), "region", "startLine",
            (json_int_t)(f->line ? f->line : 1));

        if (f->ignored_because || f->baselined) {
            json_t *why = json_pack("{s:s}", "kind", f->ignored_because ? "inSource"
                                                                        : "external");

            if (f->ignored_because)
                json_object_set_new(why, "justification", pcsm_json_string(f->ignored_because));
            json_object_set_new(result, "suppressions", json_pack("[o]", why));
        }
        json_array_append_new(results, result);
    }
    pcsm_json_line(out, json_pack("{s:s, s:s, s:[{s:{s:{s:s, s:o}}, s:o}]}",
        "$schema", "https://json.schemastore.org/sarif-2.1.0.json", "version", "2.1.0",
        "runs", "tool", "driver", "name", "pcs-migrate lint", "rules", rules,
        "results", results));
}
