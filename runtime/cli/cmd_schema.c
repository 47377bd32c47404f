/*
 * schema: the schema the revisions declare at a revision, printed as the
 * SQL that creates it (or JSON lines), with no database.  A generated
 * schema.sql to review beside the revisions, never a hand-kept one.
 */
#include <stdio.h>

#include <jansson.h>

#include <pcsm/pcsm.h>

#include "cli.h"

/* The revisions first, then the objects, one JSON line each. */
static void put_json(const pcsm_revset *at, const pcsm_schema *schema, pcsm_buf *out)
{
    pcsm_json_line(out, json_pack("{s:s, s:o, s:s}", "object", "schema",
                                  "revisions", cli_json_ids(at),
                                  "printed_by", "pcs-migrate " PCSM_VERSION));
    pcsm_schema_json(schema, out);
}

static void put_sql_head(const pcsm_revset *at, pcsm_buf *out)
{
    size_t i;

    pcsm_buf_puts(out, "-- The schema the revisions declare at ");
    for (i = 0; i < at->n; i++)
        pcsm_buf_printf(out, "%s%s", i ? ", " : "", at->revs[i]->id);
    pcsm_buf_printf(out, "%s, printed by pcs-migrate %s.\n-- Generated from the revisions: "
                    "edit those, not this.\n\n", at->n ? "" : "base", PCSM_VERSION);
}

int cmd_schema(struct cli *cli, const struct cli_cmd *cmd, int argc, char **argv)
{
    pcsm_revset at = PCSM_REVSET_INIT;
    pcsm_schema *schema = NULL;
    pcsm_buf out = PCSM_BUF_INIT;
    int rc = CLI_EXIT_OK;

    if (argc > 1)
        return cli_usage(cmd, "expected at most one revision, not '%s'", argv[1]);
    if (pcsm_graph_resolve(cli->ctx, argc ? argv[0] : "heads", NULL, &at) < 0 ||
        pcsm_schema_declared(cli->ctx, &at, &schema) < 0) {
        rc = cli_error_lib(cli);
        goto done;
    }
    if (cli->json) {
        put_json(&at, schema, &out);
    } else {
        put_sql_head(&at, &out);
        if (pcsm_schema_sql(cli->ctx, schema, &out) < 0) {
            rc = cli_error_lib(cli);
            goto done;
        }
    }
    fputs(out.ptr, stdout);
    if (pcsm_schema_opaque_count(schema))
        cli_warn(cli, "%zu raw-SQL operation(s) are not in this schema (listed at its end)",
                 pcsm_schema_opaque_count(schema));
done:
    pcsm_buf_dispose(&out);
    pcsm_schema_free(schema);
    pcsm_revset_dispose(&at);
    return rc;
}
