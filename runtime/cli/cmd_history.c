/*
 * The read-only views of the revision graph: heads, history, show.  They
 * need no database, and mark what is applied when one is configured; their
 * format follows Alembic's so that habits carry over.
 */
#include "cli.h"

/* Reads the database's heads once, when the dispatcher connected. */
static int load_applied(struct cli *cli, const struct cli_cmd *cmd)
{
    int rc = cli_open_db(cli, cmd);

    if (rc)
        return rc;
    if (!cli->db || cli->have_applied)
        return 0;
    if (pcsm_db_current(cli->ctx, cli->db, &cli->applied, NULL) < 0)
        return cli_error_lib(cli);
    cli->have_applied = true;
    return 0;
}

static bool is_applied(struct cli *cli, const pcsm_revision *rev)
{
    size_t i;

    for (i = 0; cli->have_applied && i < cli->applied.n; i++)
        if (pcsm_graph_is_ancestor(cli->ctx, rev, cli->applied.revs[i]))
            return true;
    return false;
}

/* "(head)", "(branchpoint)", "(mergepoint)", "(current)" after an id, Alembic-style. */
static void put_marks(struct cli *cli, const pcsm_revision *rev)
{
    pcsm_revset children = PCSM_REVSET_INIT;

    pcsm_graph_children(cli->ctx, rev, &children);
    if (children.n == 0)
        fputs(" (head)", stdout);
    if (children.n > 1)
        fputs(" (branchpoint)", stdout);
    if (rev->n_parents > 1)
        fputs(" (mergepoint)", stdout);
    if (cli->have_applied && pcsm_revset_contains(&cli->applied, rev))
        fputs(" (current)", stdout);
    pcsm_revset_dispose(&children);
}

static void put_ids(const char *label, const char *const *ids, size_t n)
{
    size_t i;

    fputs(label, stdout);
    if (n == 0)
        fputs("<base>", stdout);
    for (i = 0; i < n; i++)
        printf("%s%s", i ? ", " : "", ids[i]);
}

void cli_put_verbose(struct cli *cli, const pcsm_revision *rev, bool with_sql)
{
    pcsm_revset children = PCSM_REVSET_INIT;
    size_t i;

    printf("Rev: %s", rev->id);
    put_marks(cli, rev);
    put_ids(rev->n_parents > 1 ? "\nMerges: " : "\nParent: ", rev->parents, rev->n_parents);
    pcsm_graph_children(cli->ctx, rev, &children);
    if (children.n > 1) {
        fputs("\nBranches into: ", stdout);
        for (i = 0; i < children.n; i++)
            printf("%s%s", i ? ", " : "", children.revs[i]->id);
    }
    pcsm_revset_dispose(&children);
    printf("\nPath: %s\nCreate Date: %s\n", rev->source_path, rev->create_date);
    if (rev->flags & PCSM_REV_NONTRANSACTIONAL)
        fputs("Flags: nontransactional\n", stdout);
    printf("Source SHA-256: %s\n", rev->source_sha256);
    if (cli->have_applied)
        printf("Applied: %s\n", is_applied(cli, rev) ? "yes" : "no");
    if (with_sql) {
        char sha[65];

        if (pcsm_revision_sql_sha256(cli->ctx, rev, sha) == 0)
            printf("Upgrade SQL SHA-256: %s\n", sha);
        else
            printf("Upgrade SQL SHA-256: (invalid: %s)\n", pcsm_error_last(cli->ctx)->message);
    }
    printf("\n    %s\n\n", rev->description);
}

static void put_line(struct cli *cli, const pcsm_revision *rev)
{
    put_ids("", rev->parents, rev->n_parents);
    printf(" -> %s", rev->id);
    put_marks(cli, rev);
    printf(", %s\n", rev->description);
}

int cmd_heads(struct cli *cli, const struct cli_cmd *cmd, int argc, char **argv)
{
    pcsm_revset heads = PCSM_REVSET_INIT;
    size_t i;
    int rc;

    (void)argc, (void)argv;     /* none: CMD_NO_ARGS */
    rc = load_applied(cli, cmd);
    if (rc)
        return rc;
    pcsm_graph_heads(cli->ctx, &heads);
    for (i = 0; i < heads.n; i++) {
        if (cli->verbose)
            cli_put_verbose(cli, heads.revs[i], false);
        else
            printf("%s (head)%s\n", heads.revs[i]->id,
                   cli->have_applied && pcsm_revset_contains(&cli->applied, heads.revs[i])
                   ? " (current)" : "");
    }
    pcsm_revset_dispose(&heads);
    return CLI_EXIT_OK;
}

/* Resolves one end of -r A:B; an empty end is open (*given false). */
static int resolve_end(struct cli *cli, const char *text, pcsm_revset *out, bool *given)
{
    *given = *text != '\0';
    return *given ? pcsm_graph_resolve(cli->ctx, text, NULL, out) : 0;
}

int cmd_history(struct cli *cli, const struct cli_cmd *cmd, int argc, char **argv)
{
    pcsm_revset lower = PCSM_REVSET_INIT, upper = PCSM_REVSET_INIT;
    bool has_lower = false, has_upper = false;
    size_t i, j, n;
    int rc;

    (void)argc, (void)argv;     /* none: CMD_NO_ARGS */
    rc = load_applied(cli, cmd);
    if (rc)
        return rc;
    if (cli->revision) {
        struct cli_range range;

        if (!cli_range_split(&range, cli->revision))
            rc = cli_usage(cmd, "-r takes a range A:B (either end may be empty), not '%s'",
                           cli->revision);
        else if (resolve_end(cli, range.from, &lower, &has_lower) < 0 ||
                 resolve_end(cli, range.to, &upper, &has_upper) < 0)
            rc = cli_error_lib(cli);
        cli_range_dispose(&range);
        if (rc)
            goto done;
    }

    /* Newest first: registry order is parents first. */
    n = pcsm_graph_count(cli->ctx);
    for (i = n; i-- > 0;) {
        const pcsm_revision *rev = pcsm_graph_at(cli->ctx, i);
        bool in = true;

        if (has_upper) {
            for (in = false, j = 0; j < upper.n && !in; j++)
                in = pcsm_graph_is_ancestor(cli->ctx, rev, upper.revs[j]);
        }
        if (in && has_lower && lower.n) {
            for (in = false, j = 0; j < lower.n && !in; j++)
                in = pcsm_graph_is_ancestor(cli->ctx, lower.revs[j], rev);
        }
        if (!in)
            continue;
        if (cli->verbose)
            cli_put_verbose(cli, rev, false);
        else
            put_line(cli, rev);
    }
    rc = CLI_EXIT_OK;
done:
    pcsm_revset_dispose(&lower);
    pcsm_revset_dispose(&upper);
    return rc;
}

int cmd_show(struct cli *cli, const struct cli_cmd *cmd, int argc, char **argv)
{
    pcsm_revset target = PCSM_REVSET_INIT;
    size_t i;
    int rc;

    if (argc != 1)
        return cli_usage(cmd, "expected one revision");
    rc = load_applied(cli, cmd);
    if (rc)
        return rc;
    if (pcsm_graph_resolve(cli->ctx, argv[0], NULL, &target) < 0) {
        rc = cli_error_lib(cli);
        goto done;
    }
    if (target.n == 0)
        printf("Rev: <base>\n\n    the empty database, before any revision\n\n");
    for (i = 0; i < target.n; i++)
        cli_put_verbose(cli, target.revs[i], true);
    rc = CLI_EXIT_OK;
done:
    pcsm_revset_dispose(&target);
    return rc;
}
