/*
 * schema: the schema the revisions declare at a revision, printed as the
 * SQL that creates it, with no database.  A generated schema.sql to review
 * beside the revisions, never a hand-kept one.
 */
#include <stdio.h>

#include <pcsm/pcsm.h>

#include "cli.h"

int cmd_schema(struct cli *cli, const struct cli_cmd *cmd, int argc, char **argv)
{
    pcsm_revset at = PCSM_REVSET_INIT;
    pcsm_schema *schema = NULL;
    pcsm_buf sql = PCSM_BUF_INIT;
    size_t i;
    int rc = CLI_EXIT_OK;

    if (argc > 1)
        return cli_usage(cmd, "expected at most one revision, not '%s'", argv[1]);
    if (pcsm_graph_resolve(cli->ctx, argc ? argv[0] : "heads", NULL, &at) < 0 ||
        pcsm_schema_declared(cli->ctx, &at, &schema) < 0 ||
        pcsm_schema_sql(cli->ctx, schema, &sql) < 0) {
        rc = cli_error_lib(cli);
        goto done;
    }
    printf("-- The schema the revisions declare at ");
    for (i = 0; i < at.n; i++)
        printf("%s%s", i ? ", " : "", at.revs[i]->id);
    printf("%s, printed by pcs-migrate %s.\n-- Generated from the revisions: edit those, "
           "not this.\n\n%s", at.n ? "" : "base", PCSM_VERSION, sql.ptr);
    if (pcsm_schema_opaque_count(schema))
        cli_warn(cli, "%zu raw-SQL operation(s) are not in this schema (listed at its end)",
                 pcsm_schema_opaque_count(schema));
done:
    pcsm_buf_dispose(&sql);
    pcsm_schema_free(schema);
    pcsm_revset_dispose(&at);
    return rc;
}
