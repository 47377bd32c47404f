/*
 * upgrade, downgrade, migrate, rollback.  Online they move the database the
 * dispatcher connected to, and print where it ends up.  With --sql they
 * print the standalone script of the plan and need no database: the
 * starting point comes from FROM:TARGET (base for upgrade when omitted).
 */
#include <string.h>

#include <jansson.h>

#include "cli.h"

int cli_migrate(struct cli *cli, const struct cli_cmd *cmd, enum pcsm_direction direction,
                const char *spec)
{
    pcsm_run_opts run = { direction, spec, cli->per_migration, cli->allow_ahead,
                          .reset = cmd->fn == cmd_reset };
    pcsm_plan applied = PCSM_PLAN_INIT;
    pcsm_revset current = PCSM_REVSET_INIT;
    int rc = cli_check_target(cli, spec);

    if (rc == 0)
        rc = cli_open_db(cli, cmd);
    if (rc)
        return rc;
    rc = pcsm_db_migrate(cli->ctx, cli->db, &run, &applied, &current);
    if (rc < 0)
        rc = cli_error_lib(cli);
    else
        cli_print_heads(cli, cmd->name, &current, &applied);
    pcsm_plan_dispose(&applied);
    pcsm_revset_dispose(&current);
    return rc;
}

/*
 * "FROM:TARGET" or "TARGET".  FROM resolves against base; TARGET against
 * FROM, so that "head:-1" and "9a39:+2" mean what they say.
 */
static int resolve_range(struct cli *cli, const struct cli_cmd *cmd, const char *spec,
                         const char *default_from, pcsm_revset *from, pcsm_revset *to)
{
    struct cli_range range;
    int rc;

    if (!cli_range_split(&range, spec)) {
        if (!default_from)
            return cli_usage(cmd, "--sql needs the starting revision: FROM:TARGET, not '%s'",
                             spec);
    } else if (strchr(range.to, ':')) {
        rc = cli_usage(cmd, "malformed range '%s': expected FROM:TARGET", spec);
        goto done;
    } else if (!*range.from || !*range.to) {
        rc = cli_usage(cmd, "malformed range '%s': both FROM and TARGET are needed", spec);
        goto done;
    }
    rc = pcsm_graph_resolve(cli->ctx, range.from ? range.from : default_from, NULL, from);
    if (rc == 0)
        rc = pcsm_graph_resolve(cli->ctx, range.to, from, to);
    if (rc < 0)
        rc = cli_error_lib(cli);
done:
    cli_range_dispose(&range);
    return rc;
}

/*
 * The script on stdout; with --format json one object holding it, the ends
 * and the steps, so that stdout stays JSON for a tool that asked for it.
 */
static int print_script(struct cli *cli, const struct cli_cmd *cmd,
                        enum pcsm_direction direction, const pcsm_revset *from,
                        const pcsm_revset *to)
{
    pcsm_plan plan = PCSM_PLAN_INIT;
    pcsm_buf script = PCSM_BUF_INIT;
    int rc = CLI_EXIT_OK;

    if (pcsm_graph_plan(cli->ctx, direction, from, to, &plan) < 0 ||
        pcsm_script_render(cli->ctx, &plan, from, &cli->db_opts.script, &script) < 0)
        rc = cli_error_lib(cli);
    else if (cli->json)
        cli_json_put(stdout, json_pack("{s:s, s:o, s:o, s:o, s:o}", "command", cmd->name,
                                       "from", cli_json_ids(from), "to", cli_json_ids(to),
                                       "steps", cli_json_steps(&plan),
                                       "sql", pcsm_json_string(script.ptr)));
    else
        fwrite(script.ptr, 1, script.len, stdout);
    pcsm_buf_dispose(&script);
    pcsm_plan_dispose(&plan);
    return rc;
}

/*
 * Offline there is no current revision, so the library's "below the
 * current revision" would speak of one: a range that goes down is said to
 * be what it is.  TARGET is below FROM when it is a proper ancestor of one
 * of FROM's revisions (or base under a revision).
 */
static int check_upward(struct cli *cli, const struct cli_cmd *cmd, const char *spec,
                        const pcsm_revset *from, const pcsm_revset *to)
{
    bool down = to->n == 0 && from->n > 0;
    size_t i, j;

    for (i = 0; i < to->n && !down; i++)
        for (j = 0; j < from->n && !down; j++)
            down = to->revs[i] != from->revs[j] &&
                   pcsm_graph_is_ancestor(cli->ctx, to->revs[i], from->revs[j]);
    if (!down)
        return 0;
    return cli_usage(cmd, "the range %s goes down: upgrade --sql FROM:TARGET needs FROM to be "
                     "an ancestor of TARGET; for the script that goes down, use "
                     "'downgrade --sql %s'", spec, spec);
}

static int run(struct cli *cli, const struct cli_cmd *cmd, enum pcsm_direction direction,
               const char *spec, const char *default_from)
{
    pcsm_revset from = PCSM_REVSET_INIT, to = PCSM_REVSET_INIT;
    int rc;

    if (!cli->sql && strchr(spec, ':'))
        return cli_usage(cmd, "FROM:TARGET is for --sql; online, the database says where "
                         "it is");
    if (!cli->sql)
        return cli_migrate(cli, cmd, direction, spec);
    rc = resolve_range(cli, cmd, spec, default_from, &from, &to);
    if (rc == 0 && direction == PCSM_UPGRADE)
        rc = check_upward(cli, cmd, spec, &from, &to);
    if (rc == 0)
        rc = print_script(cli, cmd, direction, &from, &to);
    pcsm_revset_dispose(&from);
    pcsm_revset_dispose(&to);
    return rc;
}

int cmd_upgrade(struct cli *cli, const struct cli_cmd *cmd, int argc, char **argv)
{
    if (argc > 1)
        return cli_usage(cmd, "unexpected argument '%s'", argv[1]);
    return run(cli, cmd, PCSM_UPGRADE, argc ? argv[0] : "head", "base");
}

int cmd_downgrade(struct cli *cli, const struct cli_cmd *cmd, int argc, char **argv)
{
    if (argc != 1)
        return cli_usage(cmd, argc == 0 ? "the target revision is missing"
                                        : "unexpected argument");
    return run(cli, cmd, PCSM_DOWNGRADE, argv[0], NULL);
}

int cmd_migrate(struct cli *cli, const struct cli_cmd *cmd, int argc, char **argv)
{
    (void)argc, (void)argv;     /* none: CMD_NO_ARGS */
    return run(cli, cmd, PCSM_UPGRADE, "head", "base");
}

/* One step back, or to --revision; offline the database is taken to be at head. */
int cmd_rollback(struct cli *cli, const struct cli_cmd *cmd, int argc, char **argv)
{
    (void)argc, (void)argv;     /* none: CMD_NO_ARGS */
    return run(cli, cmd, PCSM_DOWNGRADE, cli->revision ? cli->revision : "-1", "heads");
}
