/*
 * lint: what each revision will lock, rewrite or destroy, from the
 * registry alone (no database); the build runs it too (meson option lint).
 * Exit 8 when findings at --fail-on or above are left.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "cli.h"

/* REV alone, or A:B; *out is the set to lint. */
static int select_revisions(struct cli *cli, const struct cli_cmd *cmd, const char *spec,
                            pcsm_revset *out)
{
    struct cli_range range;
    pcsm_revset from = PCSM_REVSET_INIT, to = PCSM_REVSET_INIT;
    pcsm_plan plan = PCSM_PLAN_INIT;
    size_t i;
    int rc = 0;

    if (!cli_range_split(&range, spec)) {
        rc = pcsm_graph_resolve(cli->ctx, spec, NULL, out);
    } else if (strchr(range.to, ':')) {
        cli_range_dispose(&range);
        return cli_usage(cmd, "expected REV or A:B, not '%s'", spec);
    } else {
        rc = pcsm_graph_resolve(cli->ctx, range.from[0] ? range.from : "base", NULL, &from);
        if (rc == 0)
            rc = pcsm_graph_resolve(cli->ctx, range.to[0] ? range.to : "heads", NULL, &to);
        /* The revisions upgrade A:B would run; B below A is refused as it is there. */
        if (rc == 0)
            rc = pcsm_graph_plan(cli->ctx, PCSM_UPGRADE, &from, &to, &plan);
        for (i = 0; rc == 0 && i < plan.n; i++)
            pcsm_revset_add(cli->ctx, out, plan.steps[i].rev);
    }
    if (rc == PCSM_ENOTANCESTOR)    /* the graph's words speak of a database */
        rc = cli_usage(cmd, "in '%s' the end comes before the start: nothing runs from one "
                       "to the other", spec);
    else if (rc < 0)
        rc = cli_error_lib(cli);
    cli_range_dispose(&range);
    pcsm_revset_dispose(&from);
    pcsm_revset_dispose(&to);
    pcsm_plan_dispose(&plan);
    return rc;
}

static int read_file(const char *path, pcsm_buf *out)
{
    FILE *f = fopen(path, "rb");
    char chunk[8192];
    size_t n;

    if (!f)
        return -1;
    while ((n = fread(chunk, 1, sizeof(chunk), f)) > 0)
        pcsm_buf_put(out, chunk, n);
    n = (size_t)ferror(f);
    fclose(f);
    return n ? -1 : 0;
}

static int write_file(const char *path, const pcsm_buf *text)
{
    FILE *f = fopen(path, "wb");
    int bad;

    if (!f)
        return -1;
    bad = fwrite(text->ptr, 1, text->len, f) != text->len;
    return fclose(f) != 0 || bad ? -1 : 0;
}

static void list_rules(struct cli *cli)
{
    size_t i;

    for (i = 0; i < pcsm_lint_rule_count(); i++) {
        const pcsm_lint_rule *r = pcsm_lint_rule_at(i);

        if (cli->json) {
            cli_json_put(stdout, json_pack("{s:o, s:s, s:o}", "rule", pcsm_json_string(r->id),
                                           "severity", pcsm_lint_severity_name(r->severity),
                                           "summary", pcsm_json_string(r->summary)));
        } else {
            printf("%-30s %-8s %s\n", r->id, pcsm_lint_severity_name(r->severity), r->summary);
        }
    }
}

int cmd_lint(struct cli *cli, const struct cli_cmd *cmd, int argc, char **argv)
{
    pcsm_revset only = PCSM_REVSET_INIT;
    pcsm_lint_report *report = NULL;
    pcsm_buf text = PCSM_BUF_INIT, why = PCSM_BUF_INIT;
    int rc = CLI_EXIT_OK;

    if (cli->lint_rules) {
        if (argc)
            return cli_usage(cmd, "--rules takes no revision");
        list_rules(cli);
        return CLI_EXIT_OK;
    }
    if (argc > 1)
        return cli_usage(cmd, "expected at most one REV or A:B, not '%s'", argv[1]);
    if (argc && (rc = select_revisions(cli, cmd, argv[0], &only)) != 0)
        goto done;
    if (pcsm_lint_run(cli->ctx, argc ? &only : NULL, &report) < 0) {
        rc = cli_error_lib(cli);
        goto done;
    }
    if (cli->lint_baseline) {
        if (read_file(cli->lint_baseline, &text) < 0) {
            rc = cli_error(CLI_EXIT_USAGE, "cannot read --baseline %s: %s", cli->lint_baseline,
                           strerror(errno));
            goto done;
        }
        if (pcsm_lint_baseline(report, text.ptr, &why) < 0) {
            rc = cli_error(CLI_EXIT_USAGE, "--baseline %s: %s", cli->lint_baseline, why.ptr);
            goto done;
        }
        pcsm_buf_clear(&text);
    }
    if (cli->lint_write_baseline) {
        pcsm_lint_baseline_write(report, &text);
        if (write_file(cli->lint_write_baseline, &text) < 0) {
            rc = cli_error(CLI_EXIT_FAILED, "cannot write --write-baseline %s: %s",
                           cli->lint_write_baseline, strerror(errno));
            goto done;
        }
        pcsm_buf_clear(&text);
    }
    if (cli->sarif)
        pcsm_lint_sarif(report, &text);
    else if (cli->json)
        pcsm_lint_json(report, &text);
    else
        pcsm_lint_text(report, &text);
    fputs(text.ptr, stdout);
    if (!cli->lint_write_baseline &&
        pcsm_lint_active(report, cli->lint_fail_on ? (enum pcsm_lint_severity)cli->lint_fail_on
                                                   : PCSM_LINT_WARNING) > 0)
        rc = CLI_EXIT_LINT;
done:
    pcsm_buf_dispose(&text);
    pcsm_buf_dispose(&why);
    pcsm_lint_free(report);
    pcsm_revset_dispose(&only);
    return rc;
}
