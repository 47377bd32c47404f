/*
 * The commands that only make sense against a live database: check,
 * current, stamp, reset.  The dispatcher has connected before they run.
 */
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "cli.h"

/* --accept a,b: each a full id or unique prefix. */
static int resolve_list(struct cli *cli, const char *list, pcsm_revset *out)
{
    char *copy = strdup(list), *save = NULL, *part;
    int rc = 0;

    if (!copy)
        abort();
    for (part = strtok_r(copy, ",", &save); part && rc == 0; part = strtok_r(NULL, ",", &save)) {
        const pcsm_revision *rev;

        rc = pcsm_graph_lookup(cli->ctx, part, &rev);
        if (rc == 0)
            pcsm_revset_add(cli->ctx, out, rev);
    }
    free(copy);
    return rc;
}

/* Text: a "key: ids" line; JSON: the ids as an array under key of doc. */
static void print_ids(json_t *doc, const char *key, const pcsm_revset *set, bool steps,
                      const pcsm_plan *plan)
{
    size_t i, n = steps ? plan->n : set->n;

    if (doc) {
        json_t *ids = json_array();

        for (i = 0; i < n; i++)
            json_array_append_new(ids, pcsm_json_string(steps ? plan->steps[i].rev->id
                                                              : set->revs[i]->id));
        json_object_set_new(doc, key, ids);
        return;
    }
    printf("%s:", key);
    if (!n)
        fputs(steps ? " none" : " base", stdout);
    for (i = 0; i < n; i++)
        printf(" %s", steps ? plan->steps[i].rev->id : set->revs[i]->id);
    putchar('\n');
}

/*
 * check's verdict, by the error that ended it: only a database this binary
 * refuses is "inconsistent" (exit 5); a statement that failed (a missing
 * privilege: 42501) is "failed" (exit 1), and says why on stderr.
 */
static const char *check_status(int code)
{
    switch (code) {
    case 0:
        return "ok";
    case PCSM_EINCONSISTENT:
    case PCSM_EMULTIPLEHEADS:
        return "inconsistent";
    case PCSM_EUNREACHABLE:
        return "unreachable";
    case PCSM_EINTERRUPTED:
        return "interrupted";
    case PCSM_ELOCK:
        return "locked";    /* exit 4: the version table behind another session's lock */
    default:
        return "failed";
    }
}

/*
 * The live schema against the declared one: text, a "drift:" line then the
 * diff's lines; JSON, a "drift" array of the diff's objects.
 */
static void print_drift(json_t *doc, const pcsm_diff *drift)
{
    pcsm_buf out = PCSM_BUF_INIT;

    if (doc) {
        json_object_set_new(doc, "drift", pcsm_diff_json_array(drift));
    } else {
        pcsm_diff_text(drift, &out);
        if (pcsm_diff_differs(drift))
            printf("drift: the live schema differs from the declared one\n%s", out.ptr);
        else
            printf("drift: none%s%s", out.len ? "; not verified:\n" : "\n", out.ptr);
    }
    pcsm_buf_dispose(&out);
}

int cmd_check(struct cli *cli, const struct cli_cmd *cmd, int argc, char **argv)
{
    pcsm_revset accept = PCSM_REVSET_INIT, current = PCSM_REVSET_INIT, heads = PCSM_REVSET_INIT;
    pcsm_revset compared = PCSM_REVSET_INIT;
    pcsm_plan pending = PCSM_PLAN_INIT;
    pcsm_diff *drift = NULL;
    const char *status;
    json_t *doc = NULL;         /* --format json: the one object, printed at the end */
    int rc, drift_rc = 0;

    (void)argc, (void)argv;     /* none: CMD_NO_ARGS */
    if (cli->from_database) {
        if (cli->accept || cli->no_drift)
            return cli_usage(cmd, "--from-database compares schemas only: no --accept, "
                             "--no-drift");
        return cli_check_from_database(cli);
    }
    if (cli->accept && resolve_list(cli, cli->accept, &accept) < 0) {
        rc = cli_error_lib(cli);
        goto done;
    }
    rc = cli_open_db(cli, cmd);
    if (rc)
        goto done;
    if (cli->json) {
        doc = json_pack("{s:s, s:o}", "command", "check", "database",
                        pcsm_json_string(pcsm_db_describe(cli->db)));
    } else {
        printf("database: %s\n", pcsm_db_describe(cli->db));
    }
    rc = pcsm_db_check(cli->ctx, cli->db, cli->accept ? &accept : NULL);
    if (rc == 0)
        rc = pcsm_db_current(cli->ctx, cli->db, &current, NULL);
    pcsm_graph_heads(cli->ctx, &heads);
    /*
     * The drift read takes the lock and reads the revisions again: those it
     * compared are the ones printed, so a run committed in between cannot
     * show one revision as current and compare another.  When it fails,
     * the first read is printed, then why.
     */
    if (rc == 0 && !cli->no_drift) {
        drift_rc = pcsm_db_drift(cli->ctx, cli->db, &compared, &drift);
        if (drift_rc == 0) {
            pcsm_revset swap = current;

            current = compared;
            compared = swap;
        }
    }
    if (rc == 0)
        rc = pcsm_graph_plan(cli->ctx, PCSM_UPGRADE, &current, &heads, &pending);
    if (rc == 0) {
        print_ids(doc, "current", &current, false, NULL);
        print_ids(doc, "head", &heads, false, NULL);
        print_ids(doc, "pending", NULL, true, &pending);
        rc = drift_rc;
    }
    if (rc == 0 && drift)
        print_drift(doc, drift);
    status = rc < 0 ? check_status(pcsm_error_last(cli->ctx)->code)
           : drift && pcsm_diff_differs(drift) ? "drift" : "ok";
    if (doc) {
        json_object_set_new(doc, "ok", json_boolean(rc == 0 && !strcmp(status, "ok")));
        json_object_set_new(doc, "status", json_string(status));
        if (rc < 0)
            json_object_set_new(doc, "error",
                                pcsm_json_string(pcsm_error_last(cli->ctx)->message));
        cli_json_put(stdout, doc);
    } else {
        printf("status: %s\n", status);
    }
    if (rc < 0)
        rc = cli_error_lib(cli);
    else if (drift && pcsm_diff_differs(drift))
        rc = CLI_EXIT_DRIFT;
done:
    pcsm_diff_free(drift);
    pcsm_revset_dispose(&accept);
    pcsm_revset_dispose(&current);
    pcsm_revset_dispose(&compared);
    pcsm_revset_dispose(&heads);
    pcsm_plan_dispose(&pending);
    return rc;
}

int cmd_current(struct cli *cli, const struct cli_cmd *cmd, int argc, char **argv)
{
    pcsm_revset current = PCSM_REVSET_INIT;
    size_t i;
    int rc;

    (void)argc, (void)argv;     /* none: CMD_NO_ARGS */
    rc = cli_open_db(cli, cmd);
    if (rc)
        return rc;
    rc = pcsm_db_current(cli->ctx, cli->db, &current, NULL);
    if (rc < 0) {
        rc = cli_error_lib(cli);
    } else if (cli->verbose && !cli->json) {
        printf("Database: %s\n", pcsm_db_describe(cli->db));
        if (!current.n)
            printf("Current: <base> (no revision applied)\n");
        for (i = 0; i < current.n; i++)
            cli_put_verbose(cli, current.revs[i], false);
    } else {
        cli_print_heads(cli, cmd->name, &current, NULL);
    }
    pcsm_revset_dispose(&current);
    return rc;
}

int cmd_stamp(struct cli *cli, const struct cli_cmd *cmd, int argc, char **argv)
{
    pcsm_revset current = PCSM_REVSET_INIT;
    int rc;

    if (argc != 1)
        return cli_usage(cmd, "expected one revision");
    rc = cli_check_target(cli, argv[0]);
    if (rc == 0)
        rc = cli_open_db(cli, cmd);
    if (rc)
        return rc;
    rc = pcsm_db_stamp(cli->ctx, cli->db, argv[0]);
    if (rc == 0)
        rc = pcsm_db_current(cli->ctx, cli->db, &current, NULL);
    if (rc < 0)
        rc = cli_error_lib(cli);
    else
        cli_print_heads(cli, cmd->name, &current, NULL);
    pcsm_revset_dispose(&current);
    return rc;
}

int cmd_reset(struct cli *cli, const struct cli_cmd *cmd, int argc, char **argv)
{
    (void)argc, (void)argv;     /* none: CMD_NO_ARGS */
    if (!cli->yes)
        return cli_usage(cmd, "this drops every table, view, sequence, function and type "
                         "in the schema, data included; say --yes to go ahead");
    /* The drop and the first revisions share one locked transaction. */
    return cli_migrate(cli, cmd, PCSM_UPGRADE, "head");
}
