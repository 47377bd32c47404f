/*
 * diff: two schemas compared, each side the schema declared at a revision
 * (replayed, no database) or the one a database holds (read from its
 * catalog): one line (or JSON object) per difference, exit 6 when any.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <pcsm/pcsm.h>

#include "cli.h"

struct side {
    const char *value;          /* as given: a revision target, a URL, or "database" */
    pcsm_db *db;                /* the side's connection when it is a database; owned */
    pcsm_schema *declared;      /* a revision side's model, replayed; owned */
    pcsm_schema *schema;        /* owned */
};

/* A database side: its connection and the schema it holds, with the schemas `also`. */
static int load_database(struct cli *cli, struct side *s, const char *const *also)
{
    int rc = cli_connect_side(cli, s->value, &s->db);

    if (rc == 0 && pcsm_schema_live_in(cli->ctx, s->db, also, &s->schema) < 0)
        rc = cli_error_lib(cli);
    return rc;
}

/* A revision side: the schema declared there, replayed. */
static int replay_side(struct cli *cli, struct side *s)
{
    pcsm_revset at = PCSM_REVSET_INIT;
    int rc = 0;

    if (pcsm_graph_resolve(cli->ctx, s->value, NULL, &at) < 0 ||
        pcsm_schema_declared(cli->ctx, &at, &s->declared) < 0)
        rc = cli_error_lib(cli);
    pcsm_revset_dispose(&at);
    return rc;
}

/*
 * A replayed side compared with a database is built on that server and
 * read back (pcsm_schema_on_server()), so that both sides are in the
 * server's form: its deparsed defaults and expressions, the names it chose.
 */
static int load_declared(struct cli *cli, struct side *s, pcsm_db *server)
{
    if (server && pcsm_schema_on_server(cli->ctx, server, s->declared, &s->schema) < 0)
        return cli_error_lib(cli);
    if (!server) {
        s->schema = s->declared;        /* taken */
        s->declared = NULL;
    }
    return 0;
}

/* Adds the names `more` lists to the NULL-terminated *names (*n of them) once each. */
static void add_names(char ***names, size_t *n, char **more)
{
    size_t i, k;

    for (i = 0; more && more[i]; i++) {
        for (k = 0; k < *n && strcmp((*names)[k], more[i]); k++)
            ;
        if (k < *n)
            continue;
        *names = realloc(*names, (*n + 2) * sizeof(**names));
        if (!*names)
            abort();
        (*names)[(*n)++] = strdup(more[i]);
        (*names)[*n] = NULL;
    }
    pcsm_schema_names_free(more);
}

/*
 * The schemas a database side reads besides its target: those the heads'
 * model names (none without revisions), and those of each revision side.
 * Two databases compared are so read as a check of either would read them.
 */
static void schemas_to_read(struct cli *cli, const struct side *sides, char ***out)
{
    pcsm_revset heads = PCSM_REVSET_INIT;
    pcsm_schema *head = NULL;
    size_t n = 0;
    int i;

    *out = calloc(1, sizeof(**out));
    if (!*out)
        abort();
    pcsm_graph_heads(cli->ctx, &heads);
    /*
     * Heads that do not replay (a binary built from a directory with a
     * revision the server would refuse) name nothing: the databases are
     * still compared, in their --schema and the revision sides' schemas.
     */
    if (heads.n && pcsm_schema_declared(cli->ctx, &heads, &head) < 0)
        cli_warn(cli, "the heads do not replay (%s): the databases are read without the "
                 "schemas they name", pcsm_error_last(cli->ctx)->message);
    if (head)
        add_names(out, &n, pcsm_schema_names_used(head));
    for (i = 0; i < 2; i++)
        if (sides[i].declared)
            add_names(out, &n, pcsm_schema_names_used(sides[i].declared));
    pcsm_schema_free(head);
    pcsm_revset_dispose(&heads);
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
    if (pcsm_diff_unmodelled_count(diff))
        cli_warn(cli, "%zu object(s) no model holds not compared (listed as unverified, "
                 "not modelled)", pcsm_diff_unmodelled_count(diff));
    rc = pcsm_diff_differs(diff) ? CLI_EXIT_DRIFT : CLI_EXIT_OK;
    pcsm_buf_dispose(&out);
    pcsm_diff_free(diff);
    return rc;
}

int cmd_diff(struct cli *cli, const struct cli_cmd *cmd, int argc, char **argv)
{
    struct side sides[2] = { { .value = cli->from }, { .value = cli->to } };
    pcsm_db *server = NULL;
    char **also = NULL;
    int rc = 0, i;

    (void)argc, (void)argv;     /* none: CMD_NO_ARGS */
    if (!cli->from || !cli->to)
        return cli_usage(cmd, "%s is missing", cli->from ? "--to" : "--from");
    for (i = 0; i < 2 && rc == 0; i++)
        if (!cli_side_is_database(sides[i].value))
            rc = replay_side(cli, &sides[i]);
    if (rc == 0 && (cli_side_is_database(sides[0].value) ||
                    cli_side_is_database(sides[1].value)))
        schemas_to_read(cli, sides, &also);
    /* Databases first: a revision compared with one is built on its server. */
    for (i = 0; i < 2 && rc == 0; i++) {
        if (!cli_side_is_database(sides[i].value))
            continue;
        rc = load_database(cli, &sides[i], (const char *const *)also);
        if (!server)
            server = sides[i].db;
    }
    for (i = 0; i < 2 && rc == 0; i++)
        if (!cli_side_is_database(sides[i].value))
            rc = load_declared(cli, &sides[i], server);
    if (rc == 0)
        rc = print_diff(cli, sides[0].schema, sides[1].schema);
    for (i = 0; i < 2; i++) {
        pcsm_schema_free(sides[i].declared);
        pcsm_schema_free(sides[i].schema);
        cli_close_side(sides[i].db);
    }
    pcsm_schema_names_free(also);
    return rc;
}
