/*
 * diff: the schema declared at one revision against the one declared at
 * another, with no database: one line (or JSON object) per difference,
 * and exit 6 when there is any.  Each side is read by load_side() alone,
 * so that a database as a side (--from URL, read from its catalog) will be
 * one more case there rather than another command.
 */
#include <stdio.h>

#include <pcsm/pcsm.h>

#include "cli.h"

/*
 * The schema that one side's value names: today a revision target (base,
 * head, heads, an id or a unique prefix, REV-N, a1,b2), replayed from the
 * revisions.  A database URL goes here too: pcsm_schema_live() on one
 * side, and the other built on that server (pcsm_schema_on_server()), so
 * that both are in its form.  Returns 0, or the exit status after saying why.
 */
static int load_side(struct cli *cli, const char *value, pcsm_schema **out)
{
    pcsm_revset at = PCSM_REVSET_INIT;
    int rc = 0;

    if (pcsm_graph_resolve(cli->ctx, value, NULL, &at) < 0 ||
        pcsm_schema_declared(cli->ctx, &at, out) < 0)
        rc = cli_error_lib(cli);
    pcsm_revset_dispose(&at);
    return rc;
}

int cmd_diff(struct cli *cli, const struct cli_cmd *cmd, int argc, char **argv)
{
    pcsm_schema *from = NULL, *to = NULL;
    pcsm_diff *diff = NULL;
    pcsm_buf out = PCSM_BUF_INIT;
    size_t i, n_raw, n_named = 0;
    int rc;

    (void)argc, (void)argv;     /* none: CMD_NO_ARGS */
    if (!cli->from || !cli->to)
        return cli_usage(cmd, "%s REV is missing", cli->from ? "--to" : "--from");
    rc = load_side(cli, cli->from, &from);
    if (rc == 0)
        rc = load_side(cli, cli->to, &to);
    if (rc)
        goto done;
    if (pcsm_diff_models(cli->ctx, from, to, &diff) < 0) {
        rc = cli_error_lib(cli);
        goto done;
    }
    if (cli->json)
        pcsm_diff_json(diff, &out);
    else
        pcsm_diff_text(diff, &out);
    fputs(out.ptr, stdout);
    n_raw = pcsm_diff_raw_sql_count(diff);
    for (i = 0; i < pcsm_diff_count(diff); i++)
        n_named += pcsm_diff_at(diff, i)->unverified;
    if (n_raw && n_named)
        cli_warn(cli, "%zu raw-SQL operation(s) not compared, and %zu difference(s) they "
                 "name not counted (listed as unverified)", n_raw, n_named);
    else if (n_raw)
        cli_warn(cli, "%zu raw-SQL operation(s) not compared (listed as unverified)", n_raw);
    rc = pcsm_diff_differs(diff) ? CLI_EXIT_DRIFT : CLI_EXIT_OK;
done:
    pcsm_buf_dispose(&out);
    pcsm_diff_free(diff);
    pcsm_schema_free(to);
    pcsm_schema_free(from);
    return rc;
}
