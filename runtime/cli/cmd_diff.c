/*
 * diff: two schemas compared, each side the schema declared at a revision
 * (replayed, no database) or the one a database holds (read from its
 * catalog): one line (or JSON object) per difference, exit 6 when any.
 */
#include <stdio.h>

#include <pcsm/pcsm.h>

#include "cli.h"

struct side {
    const char *value;          /* as given: a revision target, a URL, or "database" */
    pcsm_db *db;                /* the side's connection when it is a database; owned */
    pcsm_schema *schema;        /* owned */
};

/* A database side: its connection and the schema it holds. */
static int load_database(struct cli *cli, struct side *s)
{
    int rc = cli_connect_side(cli, s->value, &s->db);

    if (rc == 0 && pcsm_schema_live(cli->ctx, s->db, &s->schema) < 0)
        rc = cli_error_lib(cli);
    return rc;
}

/*
 * A revision side: the schema declared there, replayed.  Compared with a
 * database it is then built on that server and read back
 * (pcsm_schema_on_server()), so that both sides are in the server's form:
 * its deparsed defaults and expressions, the names it chose.
 */
static int load_declared(struct cli *cli, struct side *s, pcsm_db *server)
{
    pcsm_revset at = PCSM_REVSET_INIT;
    pcsm_schema *declared = NULL;
    int rc = 0;

    if (pcsm_graph_resolve(cli->ctx, s->value, NULL, &at) < 0 ||
        pcsm_schema_declared(cli->ctx, &at, &declared) < 0)
        rc = cli_error_lib(cli);
    else if (server && pcsm_schema_on_server(cli->ctx, server, declared, &s->schema) < 0)
        rc = cli_error_lib(cli);
    if (rc == 0 && !server)
        s->schema = declared;           /* taken */
    else
        pcsm_schema_free(declared);
    pcsm_revset_dispose(&at);
    return rc;
}

static int print_diff(struct cli *cli, const pcsm_schema *from, const pcsm_schema *to)
{
    pcsm_diff *diff = NULL;
    pcsm_buf out = PCSM_BUF_INIT;
    size_t i, n_raw, n_named = 0;
    int rc;

    if (pcsm_diff_models(cli->ctx, from, to, &diff) < 0)
        return cli_error_lib(cli);
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
    pcsm_buf_dispose(&out);
    pcsm_diff_free(diff);
    return rc;
}

int cmd_diff(struct cli *cli, const struct cli_cmd *cmd, int argc, char **argv)
{
    struct side sides[2] = { { .value = cli->from }, { .value = cli->to } };
    pcsm_db *server = NULL;
    int rc = 0, i;

    (void)argc, (void)argv;     /* none: CMD_NO_ARGS */
    if (!cli->from || !cli->to)
        return cli_usage(cmd, "%s is missing", cli->from ? "--to" : "--from");
    /* Databases first: a revision compared with one is built on its server. */
    for (i = 0; i < 2 && rc == 0; i++) {
        if (!cli_side_is_database(sides[i].value))
            continue;
        rc = load_database(cli, &sides[i]);
        if (!server)
            server = sides[i].db;
    }
    for (i = 0; i < 2 && rc == 0; i++)
        if (!cli_side_is_database(sides[i].value))
            rc = load_declared(cli, &sides[i], server);
    if (rc == 0)
        rc = print_diff(cli, sides[0].schema, sides[1].schema);
    for (i = 0; i < 2; i++) {
        pcsm_schema_free(sides[i].schema);
        cli_close_side(sides[i].db);
    }
    return rc;
}
