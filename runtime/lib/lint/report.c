/*
 * A lint report printed for people (as a compiler prints diagnostics), as
 * JSON, as SARIF for code-scanning annotations, and as a baseline: the
 * findings of old revisions that a team has decided to live with.
 */
#include <ctype.h>
#include <stdlib.h>
#include <string.h>

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

static void json_field(pcsm_buf *out, const char *name, const char *value, bool comma)
{
    pcsm_buf_printf(out, "%s\"%s\":", comma ? "," : "", name);
    if (value)
        pcsm_buf_put_json_string(out, value);
    else
        pcsm_buf_puts(out, "null");
}

void pcsm_lint_json(const pcsm_lint_report *report, pcsm_buf *out)
{
    size_t i, n[4], ignored, baselined;

    pcsm_buf_puts(out, "{\"findings\":[");
    for (i = 0; i < report->n; i++) {
        const pcsm_lint_finding *f = &report->findings[i];

        pcsm_buf_puts(out, i ? ",\n{" : "\n{");
        json_field(out, "rule", f->rule->id, false);
        json_field(out, "severity", pcsm_lint_severity_name(f->rule->severity), true);
        json_field(out, "revision", f->revision->id, true);
        json_field(out, "file", file_of(f), true);
        pcsm_buf_printf(out, ",\"line\":%u", f->line);
        json_field(out, "operation", f->operation, true);
        json_field(out, "object", f->object, true);
        json_field(out, "message", f->message, true);
        json_field(out, "ignored_because", f->ignored_because, true);
        pcsm_buf_printf(out, ",\"baselined\":%s}", f->baselined ? "true" : "false");
    }
    counts(report, n, &ignored, &baselined);
    pcsm_buf_printf(out, "%s],\"counts\":{\"error\":%zu,\"warning\":%zu,\"info\":%zu,"
                    "\"ignored\":%zu,\"baselined\":%zu}}\n", report->n ? "\n" : "",
                    n[PCSM_LINT_ERROR], n[PCSM_LINT_WARNING], n[PCSM_LINT_INFO], ignored,
                    baselined);
}

/* ---------------------------------------------------------------- SARIF */

static const char *sarif_level(enum pcsm_lint_severity s)
{
    return s == PCSM_LINT_ERROR ? "error" : s == PCSM_LINT_WARNING ? "warning" : "note";
}

void pcsm_lint_sarif(const pcsm_lint_report *report, pcsm_buf *out)
{
    size_t i;

    pcsm_buf_puts(out, "{\"$schema\":\"https://json.schemastore.org/sarif-2.1.0.json\","
                  "\"version\":\"2.1.0\",\"runs\":[{\"tool\":{\"driver\":{"
                  "\"name\":\"pcs-migrate lint\",\"rules\":[");
    for (i = 0; i < LINT_N_RULES; i++) {
        const pcsm_lint_rule *r = &pcsm_lint__rules[i];

        pcsm_buf_puts(out, i ? ",{" : "{");
        json_field(out, "id", r->id, false);
        pcsm_buf_puts(out, ",\"shortDescription\":{");
        json_field(out, "text", r->summary, false);
        pcsm_buf_printf(out, "},\"defaultConfiguration\":{\"level\":\"%s\"}}",
                        sarif_level(r->severity));
    }
    pcsm_buf_puts(out, "]}},\"results\":[");
    for (i = 0; i < report->n; i++) {
        const pcsm_lint_finding *f = &report->findings[i];

        pcsm_buf_puts(out, i ? ",{" : "{");
        json_field(out, "ruleId", f->rule->id, false);
        pcsm_buf_printf(out, ",\"ruleIndex\":%zu,\"level\":\"%s\",\"message\":{",
                        (size_t)(f->rule - pcsm_lint__rules), sarif_level(f->rule->severity));
        json_field(out, "text", f->message, false);
        pcsm_buf_puts(out, "},\"locations\":[{\"physicalLocation\":{\"artifactLocation\":{");
        json_field(out, "uri", file_of(f), false);
        pcsm_buf_printf(out, "},\"region\":{\"startLine\":%u}}}]", f->line ? f->line : 1);
        if (f->ignored_because || f->baselined) {
            pcsm_buf_printf(out, ",\"suppressions\":[{\"kind\":\"%s\"",
                            f->ignored_because ? "inSource" : "external");
            if (f->ignored_because)
                json_field(out, "justification", f->ignored_because, true);
            pcsm_buf_puts(out, "}]");
        }
        pcsm_buf_putc(out, '}');
    }
    pcsm_buf_puts(out, "]}]}\n");
}
