/*
 * create-migration --autogenerate and check --from-database: a development
 * database compared with the schema the revisions declare at head, written
 * as the next revision, or reported as drift for a CI gate.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "cli.h"

/*
 * The development database's schema (*dev) and the heads' declared schema
 * as its server holds it (*head), both in the server's normal form.
 */
/* *declared: the heads' model as replay has it; *head: as the server holds it. */
static int load(struct cli *cli, pcsm_db **db, pcsm_schema **declared, pcsm_schema **head,
                pcsm_schema **dev)
{
    pcsm_revset heads = PCSM_REVSET_INIT;
    char **also = NULL;
    int rc = cli_connect_side(cli, cli->from_database, db);

    if (rc)
        return rc;
    pcsm_graph_heads(cli->ctx, &heads);
    /* The development database read in the schemas the heads name too. */
    if (pcsm_schema_declared(cli->ctx, &heads, declared) < 0 ||
        pcsm_schema_on_server(cli->ctx, *db, *declared, head) < 0)
        rc = cli_error_lib(cli);
    if (rc == 0)
        also = pcsm_schema_names_used(*declared);
    if (rc == 0 && pcsm_schema_live_in(cli->ctx, *db, (const char *const *)also, dev) < 0)
        rc = cli_error_lib(cli);
    pcsm_schema_names_free(also);
    pcsm_revset_dispose(&heads);
    return rc;
}

/* Appends the first lines of a diff's text, at most `max`, each indented. */
static void put_first_lines(const pcsm_diff *diff, size_t max, pcsm_buf *out)
{
    pcsm_buf text = PCSM_BUF_INIT;
    const char *line = NULL, *nl;
    size_t n = 0, i;

    for (i = 0; i < pcsm_diff_count(diff); i++)
        n += !pcsm_diff_at(diff, i)->unverified;
    pcsm_diff_text(diff, &text);
    for (line = text.ptr, i = 0; *line && i < max; line = nl + 1) {
        nl = strchr(line, '\n');
        if (!strncmp(line, "unverified", 10))
            continue;
        pcsm_buf_printf(out, "\n  %.*s", (int)(nl - line), line);
        i++;
    }
    if (n > max)
        pcsm_buf_printf(out, "\n  ... and %zu more", n - max);
    pcsm_buf_dispose(&text);
}

/*
 * The revision proven before it is written: upgrade() run on the heads'
 * schema in a scratch schema must give the development database's, and
 * downgrade() then the heads' again (pcsm_schema_prove()).  Where either
 * model has objects outside --schema, the calls name real schemas, and
 * where an enum's labels are added in an autocommit block, the revision
 * commits halfway: the proof is left out, said on stderr.  Returns
 * CLI_EXIT_FAILED with what differed when it does not converge.
 */
static int prove(struct cli *cli, pcsm_db *db, const pcsm_schema *declared,
                 const pcsm_schema *head, const pcsm_schema *dev, const pcsm_autogen *plan)
{
    char **a = pcsm_schema_names_used(head), **b = pcsm_schema_names_used(dev);
    pcsm_buf up = PCSM_BUF_INIT, down = PCSM_BUF_INIT, why = PCSM_BUF_INIT;
    pcsm_diff *up_diff = NULL, *down_diff = NULL;
    bool others = a[0] || b[0], blocks = false, edit = false;
    size_t i;
    int rc = 0;

    pcsm_schema_names_free(a);
    pcsm_schema_names_free(b);
    if (others) {
        cli_info(cli, "not proven: the schemas hold objects outside --schema, which the "
                 "proof on a scratch schema cannot stand in for");
        return 0;
    }
    for (i = 0; i < pcsm_autogen_notice_count(plan); i++) {
        blocks |= pcsm_autogen_notice_at(plan, i)->kind == PCSM_AUTOGEN_NOT_ATOMIC;
        edit |= pcsm_autogen_notice_at(plan, i)->kind == PCSM_AUTOGEN_PLACEHOLDER;
    }
    if (blocks) {
        cli_info(cli, "not proven: a label added and used in one revision needs a commit "
                 "between the two, which a proof rolled back cannot give");
        return 0;
    }
    pcsm_autogen_sql(plan, false, &up);
    pcsm_autogen_sql(plan, true, &down);
    if (pcsm_schema_prove(cli->ctx, db, declared, up.ptr, down.ptr, dev, head, &up_diff,
                          &down_diff) < 0) {
        cli_info(cli, "the planned revision fails on the server (proven on a scratch "
                 "schema, rolled back), nothing written:");
        cli_error_lib(cli);
        rc = CLI_EXIT_FAILED;
    } else if ((pcsm_diff_differs(up_diff) || pcsm_diff_differs(down_diff)) && edit) {
        /* What an #error leaves to the author is not done yet: the file is a draft. */
        cli_info(cli, "not proven: the revision converges only once its #error lines are "
                 "done by hand");
    } else if (pcsm_diff_differs(up_diff) || pcsm_diff_differs(down_diff)) {
        if (pcsm_diff_differs(up_diff)) {
            pcsm_buf_puts(&why, "\nafter upgrade(), the schema differs from the database's:");
            put_first_lines(up_diff, 10, &why);
        }
        if (pcsm_diff_differs(down_diff)) {
            pcsm_buf_puts(&why, "\nafter downgrade(), the schema differs from the heads':");
            put_first_lines(down_diff, 10, &why);
        }
        rc = cli_error(CLI_EXIT_FAILED, "the planned revision does not converge, "
                       "nothing written (proven on a scratch schema, rolled back):%s",
                       why.ptr);
    }
    pcsm_diff_free(up_diff);
    pcsm_diff_free(down_diff);
    pcsm_buf_dispose(&up);
    pcsm_buf_dispose(&down);
    pcsm_buf_dispose(&why);
    return rc;
}

/*
 * The binary's heads must be the directory's: the new file revises the
 * directory's head, and its calls are planned from the binary's.
 */
static int same_heads(struct cli *cli, const char *dir)
{
    pcsm_dir_revs revs;
    pcsm_revset heads = PCSM_REVSET_INIT;
    pcsm_buf built = PCSM_BUF_INIT, listed = PCSM_BUF_INIT;
    bool same;
    size_t i, k;
    int rc = 0;

    if (pcsm_scaffold_read(cli->ctx, dir, &revs) < 0)
        return cli_error_lib(cli);
    pcsm_graph_heads(cli->ctx, &heads);
    same = heads.n == revs.n_heads;
    for (i = 0; i < revs.n_heads; i++) {
        bool found = false;

        for (k = 0; k < heads.n; k++)
            found |= !strcmp(heads.revs[k]->id, revs.heads[i]);
        same &= found;
        pcsm_buf_printf(&listed, "%s%s", i ? ", " : "", revs.heads[i]);
    }
    for (k = 0; k < heads.n; k++)
        pcsm_buf_printf(&built, "%s%s", k ? ", " : "", heads.revs[k]->id);
    if (!same)
        rc = cli_error(CLI_EXIT_INCONSISTENT, "%s is at %s, but this pcs-migrate was built at "
                       "%s: build it from %s, then autogenerate", dir,
                       listed.len ? listed.ptr : "base (no revisions)",
                       built.len ? built.ptr : "base (no revisions)", dir);
    pcsm_buf_dispose(&built);
    pcsm_buf_dispose(&listed);
    pcsm_revset_dispose(&heads);
    pcsm_dir_revs_dispose(&revs);
    return rc;
}

static const char *notice_name(enum pcsm_autogen_notice_kind kind)
{
    switch (kind) {
    case PCSM_AUTOGEN_DESTRUCTIVE: return "destructive";
    case PCSM_AUTOGEN_RENAME: return "rename";
    case PCSM_AUTOGEN_PLACEHOLDER: return "edit";
    case PCSM_AUTOGEN_RAW: return "raw";
    case PCSM_AUTOGEN_NOT_MODELLED: return "not modelled";
    case PCSM_AUTOGEN_NOT_ATOMIC: return "not atomic";
    }
    return "note";
}

/* The line of the n-th "#error" of the file (1-based), or 0. */
static int placeholder_line(const char *path, size_t n)
{
    FILE *f = fopen(path, "r");
    char line[4096];
    int no = 0;

    if (!f)
        return 0;
    while (fgets(line, sizeof(line), f)) {
        no++;
        if (!strncmp(line, "#error", 6) && n-- == 0)
            break;
    }
    if (feof(f))
        no = 0;
    fclose(f);
    return no;
}

/* A notice a reviewer must read: a line of its own on stderr, a warning in JSON. */
static void say(struct cli *cli, const char *kind, const char *text, bool downgrade)
{
    const char *where = downgrade ? " (downgrade)" : "";

    if (cli->json)
        cli_warn(cli, "%s: %s%s", kind, text, where);
    else
        cli_info(cli, "%s: %s%s", kind, text, where);
}

/*
 * Every notice on stderr, a placeholder's with the file and line of its
 * #error (path NULL: a preview, no file); the status: 7 when the file
 * needs a hand edit (a placeholder, or raw SQL not allowed by
 * --allow-raw), else 0.
 */
static int report_notices(struct cli *cli, const pcsm_autogen *plan, const char *path)
{
    size_t i, n_placeholders = 0;
    bool edit = false;

    for (i = 0; i < pcsm_autogen_notice_count(plan); i++) {
        const pcsm_autogen_notice *n = pcsm_autogen_notice_at(plan, i);

        if (n->kind == PCSM_AUTOGEN_PLACEHOLDER && path) {
            pcsm_buf text = PCSM_BUF_INIT;

            pcsm_buf_printf(&text, "%s:%d: %s", path,
                            placeholder_line(path, n_placeholders++), n->text);
            say(cli, "edit", text.ptr, n->downgrade);
            pcsm_buf_dispose(&text);
        } else {
            say(cli, notice_name(n->kind), n->text, n->downgrade);
        }
        edit |= n->kind == PCSM_AUTOGEN_PLACEHOLDER ||
                (n->kind == PCSM_AUTOGEN_RAW && !cli->allow_raw);
    }
    return edit ? CLI_EXIT_EDIT : CLI_EXIT_OK;
}

int cli_autogenerate(struct cli *cli, const struct cli_cmd *cmd, const char *message)
{
    const char *dir = cli_migrations_dir(cli);
    pcsm_db *db = NULL;
    pcsm_schema *declared = NULL, *head = NULL, *dev = NULL;
    pcsm_autogen *plan = NULL;
    pcsm_buf up = PCSM_BUF_INIT, down = PCSM_BUF_INIT;
    char *path = NULL;
    int rc;

    if (!cli->from_database)
        return cli_usage(cmd, "--autogenerate needs --from-database URL");
    /* A --rename that cannot be read is a usage error, whether or not the server is up. */
    if (pcsm_autogen_check_renames(cli->ctx, cli->renames) < 0)
        return cli_error_lib(cli);
    rc = same_heads(cli, dir);
    if (rc == 0)
        rc = load(cli, &db, &declared, &head, &dev);
    if (rc == 0 && pcsm_autogen_plan(cli->ctx, head, dev,
                                     cli->no_renames ? PCSM_AUTOGEN_NO_RENAMES : 0,
                                     cli->renames, &plan) < 0)
        rc = cli_error_lib(cli);
    if (rc == 0 && pcsm_autogen_empty(plan)) {
        cli_info(cli, "%s matches the schema at head: no revision written",
                 pcsm_db_describe(db));
        rc = report_notices(cli, plan, NULL);   /* what it could not compare */
        goto done;
    }
    if (rc == 0)
        rc = prove(cli, db, declared, head, dev, plan);
    if (rc == 0 && cli->sql) {
        /* A preview: what each function's calls record, and nothing written. */
        pcsm_autogen_sql(plan, false, &up);
        pcsm_autogen_sql(plan, true, &down);
        if (cli->json)
            cli_json_put(stdout, json_pack("{s:s, s:o, s:o}", "command", cmd->name,
                                           "upgrade_sql", pcsm_json_string(up.ptr),
                                           "downgrade_sql", pcsm_json_string(down.ptr)));
        else
            printf("-- upgrade\n%s-- downgrade\n%s", up.ptr, down.ptr);
        rc = report_notices(cli, plan, NULL);
        goto done;
    }
    if (rc == 0) {
        pcsm_buf_puts(&up, "    /* Written by create-migration --autogenerate: "
                           "review every call. */\n");
        pcsm_autogen_c(plan, false, &up);
        pcsm_autogen_c(plan, true, &down);
        if (pcsm_scaffold_write_bodies(cli->ctx, dir, message, NULL, 0, up.ptr, down.ptr,
                                       &path) < 0)
            rc = cli_error_lib(cli);
    }
    if (rc == 0) {
        cli_print_path(cli, cmd, path);
        rc = report_notices(cli, plan, path);
    }
done:
    free(path);
    pcsm_buf_dispose(&up);
    pcsm_buf_dispose(&down);
    pcsm_autogen_free(plan);
    pcsm_schema_free(declared);
    pcsm_schema_free(head);
    pcsm_schema_free(dev);
    cli_close_side(db);
    return rc;
}

int cli_check_from_database(struct cli *cli)
{
    pcsm_db *db = NULL;
    pcsm_schema *declared = NULL, *head = NULL, *dev = NULL;
    pcsm_diff *diff = NULL;
    pcsm_buf out = PCSM_BUF_INIT;
    bool differs = false;
    int rc = load(cli, &db, &declared, &head, &dev);

    if (rc == 0 && pcsm_diff_models(cli->ctx, head, dev, &diff) < 0)
        rc = cli_error_lib(cli);
    if (rc == 0) {
        differs = pcsm_diff_differs(diff);
        if (cli->json) {
            /* One document, as check against the revisions prints it. */
            cli_json_put(stdout, json_pack("{s:s, s:o, s:o, s:b, s:s}", "command", "check",
                                           "database", pcsm_json_string(pcsm_db_describe(db)),
                                           "drift", pcsm_diff_json_array(diff), "ok", !differs,
                                           "status", differs ? "drift" : "ok"));
        } else {
            printf("database: %s\n", pcsm_db_describe(db));
            pcsm_diff_text(diff, &out);
            fputs(out.ptr, stdout);
            printf("status: %s\n", differs ? "drift" : "ok");
        }
        rc = differs ? CLI_EXIT_DRIFT : CLI_EXIT_OK;
    }
    pcsm_buf_dispose(&out);
    pcsm_diff_free(diff);
    pcsm_schema_free(declared);
    pcsm_schema_free(head);
    pcsm_schema_free(dev);
    cli_close_side(db);
    return rc;
}
