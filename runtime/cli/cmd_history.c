/*
 * The read-only views of the revision graph: heads, history, show, branches.
 * They answer from the registry alone and never fail because of a database;
 * one that can be read only adds the "(current)" marks.  Text follows
 * Alembic's format so that habits carry over; --format json is built with
 * jansson.
 */
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "cli.h"

/*
 * Whether the view reads the database for its marks.  history does so only
 * with -i, as Alembic's does (it is the view scripts run in bulk, often
 * where no database is meant to be reached); heads, show and branches also
 * when a database URL is configured, as heads and show always did.
 */
static bool wants_db(const struct cli *cli, const struct cli_cmd *cmd)
{
    if (cli->indicate_current)
        return true;
    if (cmd->fn == cmd_history)
        return false;
    return (cli->db_opts.conninfo && *cli->db_opts.conninfo) || cli->url_file;
}

/*
 * Reads the database's heads into cli->applied, or says on stderr why the
 * marks are missing.  No database fails the view: the operands were
 * checked before, and the graph is printed either way.  Returns 0, or the
 * status of an unreadable --database-url-file (a setting, said already).
 */
static int load_applied(struct cli *cli, const struct cli_cmd *cmd)
{
    const char *why;
    int rc;

    if (!wants_db(cli, cmd) || cli->have_applied)
        return 0;
    /* One attempt (more only with --wait), and not the TCP default of
     * minutes against a host that drops packets; the URL's own
     * connect_timeout or PGCONNECT_TIMEOUT win. */
    setenv("PGCONNECT_TIMEOUT", "5", 0);
    rc = cli_open_db_for_view(cli, &why);
    if (rc)
        return rc;
    if (!why && cli->db) {
        if (pcsm_db_current(cli->ctx, cli->db, &cli->applied, NULL) == 0)
            cli->have_applied = true;
        else if (pcsm_error_last(cli->ctx)->code == PCSM_EINTERRUPTED)
            return cli_error_lib(cli);  /* 130/143, as every command: no view without marks */
        else
            why = pcsm_error_last(cli->ctx)->message;
    }
    if (why)
        cli_warn(cli, "the current revision is not marked: %s", why);
    cli_close_db(cli);
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

/* ------------------------------------------------------------------ JSON */

/* Takes a new reference: json_object_set_new(), and abort() on allocation failure. */
static void set(json_t *obj, const char *key, json_t *value)
{
    if (!value || json_object_set_new(obj, key, value) < 0)
        abort();
}

static void append(json_t *arr, json_t *value)
{
    if (!value || json_array_append_new(arr, value) < 0)
        abort();
}

static json_t *id_array(const char *const *ids, size_t n)
{
    json_t *arr = json_array();
    size_t i;

    for (i = 0; i < n; i++)
        append(arr, pcsm_json_string(ids[i]));
    return arr;
}

/* true/false when a database was read, null when not: unknown is not "no". */
static json_t *tristate(const struct cli *cli, bool value)
{
    return cli->have_applied ? json_boolean(value) : json_null();
}

/*
 * One revision (docs/commands.md, "JSON output").  with_sql adds the
 * upgrade SQL's checksum, which renders the revision.
 */
static json_t *rev_json(struct cli *cli, const pcsm_revision *rev, bool with_sql)
{
    pcsm_revset children = PCSM_REVSET_INIT;
    json_t *obj = json_object(), *flags = json_object();

    pcsm_graph_children(cli->ctx, rev, &children);
    set(obj, "id", pcsm_json_string(rev->id));
    set(obj, "parents", id_array(rev->parents, rev->n_parents));
    set(obj, "children", cli_json_ids(&children));
    set(obj, "description", pcsm_json_string(rev->description));
    set(obj, "create_date", pcsm_json_string(rev->create_date));
    set(obj, "path", pcsm_json_string(rev->source_path));
    set(flags, "head", json_boolean(children.n == 0));
    set(flags, "branchpoint", json_boolean(children.n > 1));
    set(flags, "mergepoint", json_boolean(rev->n_parents > 1));
    set(flags, "current", tristate(cli, cli->have_applied &&
                                        pcsm_revset_contains(&cli->applied, rev)));
    set(obj, "flags", flags);
    set(obj, "nontransactional", json_boolean(rev->flags & PCSM_REV_NONTRANSACTIONAL));
    set(obj, "source_sha256", pcsm_json_string(rev->source_sha256));
    set(obj, "applied", tristate(cli, is_applied(cli, rev)));
    if (with_sql) {
        char sha[65];

        if (pcsm_revision_sql_sha256(cli->ctx, rev, sha) == 0) {
            set(obj, "upgrade_sql_sha256", pcsm_json_string(sha));
        } else {
            set(obj, "upgrade_sql_sha256", json_null());
            set(obj, "upgrade_sql_error", pcsm_json_string(pcsm_error_last(cli->ctx)->message));
        }
    }
    pcsm_revset_dispose(&children);
    return obj;
}

/* {"command": NAME, "current": [ids] or null}: what every view's document starts with. */
static json_t *doc_new(struct cli *cli, const struct cli_cmd *cmd)
{
    json_t *doc = json_object();

    set(doc, "command", pcsm_json_string(cmd->name));
    set(doc, "current", cli->have_applied ? cli_json_ids(&cli->applied) : json_null());
    return doc;
}

/* ---------------------------------------------------------------- commands */

int cmd_heads(struct cli *cli, const struct cli_cmd *cmd, int argc, char **argv)
{
    pcsm_revset heads = PCSM_REVSET_INIT;
    json_t *doc = NULL, *arr = NULL;
    size_t i;
    int rc;

    (void)argc, (void)argv;     /* none: CMD_NO_ARGS */
    rc = load_applied(cli, cmd);
    if (rc)
        return rc;
    pcsm_graph_heads(cli->ctx, &heads);
    if (cli->json) {
        doc = doc_new(cli, cmd);
        arr = json_array();
    }
    for (i = 0; i < heads.n; i++) {
        if (cli->json)
            append(arr, rev_json(cli, heads.revs[i], cli->verbose));
        else if (cli->verbose)
            cli_put_verbose(cli, heads.revs[i], false);
        else
            printf("%s (head)%s\n", heads.revs[i]->id,
                   cli->have_applied && pcsm_revset_contains(&cli->applied, heads.revs[i])
                   ? " (current)" : "");
    }
    if (doc) {
        set(doc, "heads", arr);
        cli_json_put(stdout, doc);
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
    json_t *doc = NULL, *arr = NULL;
    size_t i, j, n;
    int rc = 0;

    (void)argc, (void)argv;     /* none: CMD_NO_ARGS */
    /* The range first: an unknown revision is the graph's to report, before any wait. */
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
    rc = load_applied(cli, cmd);
    if (rc)
        goto done;
    if (cli->json) {
        doc = doc_new(cli, cmd);
        arr = json_array();
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
        if (cli->json)
            append(arr, rev_json(cli, rev, cli->verbose));
        else if (cli->verbose)
            cli_put_verbose(cli, rev, false);
        else
            put_line(cli, rev);
    }
    if (doc) {
        set(doc, "revisions", arr);
        cli_json_put(stdout, doc);
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
    /* Resolved before connecting: the graph alone knows an unknown revision. */
    if (pcsm_graph_resolve(cli->ctx, argv[0], NULL, &target) < 0) {
        rc = cli_error_lib(cli);
        goto done;
    }
    rc = load_applied(cli, cmd);
    if (rc)
        goto done;
    if (cli->json && target.n == 0) {
        json_t *doc = doc_new(cli, cmd);

        set(doc, "revision", json_null());
        cli_json_put(stdout, doc);
    } else if (target.n == 0) {
        printf("Rev: <base>\n\n    the empty database, before any revision\n\n");
    }
    for (i = 0; i < target.n; i++) {
        if (cli->json) {
            json_t *doc = doc_new(cli, cmd);

            set(doc, "revision", rev_json(cli, target.revs[i], true));
            cli_json_put(stdout, doc);
        } else {
            cli_put_verbose(cli, target.revs[i], true);
        }
    }
    rc = CLI_EXIT_OK;
done:
    pcsm_revset_dispose(&target);
    return rc;
}

/*
 * Alembic's `branches`: each revision with more than one child, then its
 * children, newest branch point first as history lists them.
 */
int cmd_branches(struct cli *cli, const struct cli_cmd *cmd, int argc, char **argv)
{
    json_t *doc = NULL, *arr = NULL;
    size_t i, j;
    int rc;

    (void)argc, (void)argv;     /* none: CMD_NO_ARGS */
    rc = load_applied(cli, cmd);
    if (rc)
        return rc;
    if (cli->json) {
        doc = doc_new(cli, cmd);
        arr = json_array();
    }
    for (i = pcsm_graph_count(cli->ctx); i-- > 0;) {
        const pcsm_revision *rev = pcsm_graph_at(cli->ctx, i);
        pcsm_revset children = PCSM_REVSET_INIT;

        pcsm_graph_children(cli->ctx, rev, &children);
        if (children.n > 1 && cli->json) {
            append(arr, rev_json(cli, rev, cli->verbose));
        } else if (children.n > 1) {
            if (cli->verbose)
                cli_put_verbose(cli, rev, false);
            else
                put_line(cli, rev);
            for (j = 0; j < children.n; j++) {
                printf("    -> %s", children.revs[j]->id);
                put_marks(cli, children.revs[j]);
                printf(", %s\n", children.revs[j]->description);
            }
        }
        pcsm_revset_dispose(&children);
    }
    if (doc) {
        set(doc, "branchpoints", arr);
        cli_json_put(stdout, doc);
    }
    return CLI_EXIT_OK;
}
