/*
 * create-migration (alias revision -m) and merge: new revision files in the
 * migrations directory, from its own headers rather than from the compiled
 * registry, which may be older than the tree.
 */
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include <jansson.h>

#include "cli.h"

const char *cli_migrations_dir(struct cli *cli)
{
    struct stat st;

    if (cli->dir)
        return cli->dir;
    if (stat("migrations/revisions.txt", &st) == 0)
        return "migrations";
    return PCSM_SOURCE_MIGRATIONS_DIR;
}

static int scaffold(struct cli *cli, const struct cli_cmd *cmd, const char *message,
                    const char *const *parents, size_t n_parents)
{
    char *path = NULL;

    if (pcsm_scaffold_write(cli->ctx, cli_migrations_dir(cli), message, parents, n_parents,
                            &path) < 0)
        return cli_error_lib(cli);
    cli_print_path(cli, cmd, path);
    free(path);
    return CLI_EXIT_OK;
}

void cli_print_path(struct cli *cli, const struct cli_cmd *cmd, const char *path)
{
    if (cli->json) {
        cli_json_put(stdout, json_pack("{s:s, s:o}", "command", cmd->name,
                                       "path", pcsm_json_string(path)));
    } else {
        printf("%s\n", path);
    }
}

/* The message: -m, or the one operand of create-migration. */
static const char *message_of(struct cli *cli, const struct cli_cmd *cmd, int argc,
                              char **argv, int *used)
{
    *used = 0;
    if (cli->message)
        return cli->message;
    if (argc > 0 && !strcmp(cmd->name, "create-migration")) {
        *used = 1;
        return argv[0];
    }
    return NULL;
}

int cmd_create_migration(struct cli *cli, const struct cli_cmd *cmd, int argc, char **argv)
{
    int used;
    const char *message = message_of(cli, cmd, argc, argv, &used);

    if (!message)
        return cli_usage(cmd, "the message is missing");
    if (argc > used)
        return cli_usage(cmd, "unexpected argument '%s'", argv[used]);
    if (cli->autogenerate)
        return cli_autogenerate(cli, cmd, message);
    if (cli->from_database || cli->no_renames || cli->renames || cli->allow_raw || cli->sql)
        return cli_usage(cmd, "--from-database, --rename, --no-renames, --allow-raw and --sql "
                         "go with --autogenerate");
    /* After the head, as read under the list's lock (several: exit 5, naming the merge). */
    return scaffold(cli, cmd, message, NULL, 0);
}

int cmd_merge(struct cli *cli, const struct cli_cmd *cmd, int argc, char **argv)
{
    pcsm_dir_revs revs;
    const char **parents;
    int i, rc = CLI_EXIT_OK;
    size_t j;

    if (!cli->message)
        return cli_usage(cmd, "the message (-m) is missing");
    if (argc < 2)
        return cli_usage(cmd, "name at least two revisions to join");
    if (pcsm_scaffold_read(cli->ctx, cli_migrations_dir(cli), &revs) < 0)
        return cli_error_lib(cli);
    parents = calloc((size_t)argc, sizeof(*parents));
    if (!parents)
        abort();
    /* Each a head of the directory, by full id or unique prefix. */
    for (i = 0; i < argc && rc == CLI_EXIT_OK; i++) {
        size_t len = strlen(argv[i]), found = 0;

        for (j = 0; j < revs.n_heads; j++)
            if (!strncmp(revs.heads[j], argv[i], len)) {
                parents[i] = revs.heads[j];
                found++;
            }
        if (found != 1)
            rc = cli_usage(cmd, "'%s' is %s of %s", argv[i],
                           found ? "an ambiguous prefix of the heads" : "not a head",
                           cli_migrations_dir(cli));
        for (j = 0; rc == CLI_EXIT_OK && j < (size_t)i; j++)
            if (parents[j] == parents[i])
                rc = cli_usage(cmd, "'%s' is named twice", parents[i]);
    }
    if (rc == CLI_EXIT_OK)
        rc = scaffold(cli, cmd, cli->message, parents, (size_t)argc);
    free(parents);
    pcsm_dir_revs_dispose(&revs);
    return rc;
}
