/*
 * Dispatch, options, help and error reporting for pcs-migrate.  Commands
 * live in cmd_*.c; this file owns everything they share: the command table,
 * the option table (argv and PCS_MIGRATE_* variables alike), and the
 * mapping from library errors to exit statuses.
 */
#include <ctype.h>
#include <getopt.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"

static const char *const prog = "pcs-migrate";

/* Keep sorted by name: the dispatcher bsearches it (tests/unit/test_cli.c checks). */
const struct cli_cmd cli_cmds[] = {
    { "check", NULL, CMD_NEEDS_DB, "", "",
      "Check the connection, the current revision and the applied checksums" },
    { "create-migration", NULL, 0, "", "MESSAGE", "Scaffold a new revision file" },
    { "current", NULL, CMD_NEEDS_DB, "v", "[--verbose]", "Show the database's revision(s)" },
    { "downgrade", cmd_downgrade, CMD_NEEDS_DB, "s", "[--sql] [FROM:]TARGET",
      "Revert to an older revision" },
    { "heads", cmd_heads, 0, "v", "[--verbose]", "Show the head revision(s)" },
    { "history", cmd_history, 0, "vr", "[--verbose] [-r A:B]",
      "List revisions, newest first" },
    { "merge", NULL, 0, "", "-m MESSAGE REV REV...", "Scaffold a revision that joins heads" },
    { "migrate", cmd_migrate, CMD_NEEDS_DB, "s", "[--sql]",
      "Upgrade to head (the container init step)" },
    { "reset", NULL, CMD_NEEDS_DB, "", "--yes",
      "Drop everything in the schema, then upgrade to head" },
    { "revision", NULL, 0, "", "-m MESSAGE", "Alias of create-migration" },
    { "rollback", cmd_rollback, CMD_NEEDS_DB, "sR", "[--sql] [--revision REV]",
      "Downgrade one step, or to REV" },
    { "show", cmd_show, 0, "", "REV", "Show one revision in full" },
    { "stamp", NULL, CMD_NEEDS_DB, "", "REV",
      "Set the version table without running migrations" },
    { "upgrade", cmd_upgrade, CMD_NEEDS_DB, "s", "[--sql] [[FROM:]TARGET]",
      "Apply revisions up to TARGET (default head)" },
};
const size_t cli_cmds_len = sizeof(cli_cmds) / sizeof(cli_cmds[0]);

/*
 * Every option, by the letter commands name it with.  Each one can also be
 * given as PCS_MIGRATE_<LONG NAME>, which the command line overrides.
 */
struct cli_option {
    const char *name;
    char letter;                /* id; also the short option unless `no_short` */
    bool takes_arg;
    bool no_short;
    bool global;                /* accepted by every command */
    const char *arg_name;
    const char *help;
};

static const struct cli_option options[] = {
    { "schema", 'S', true, true, true, "NAME",
      "schema of the version and history tables (sets search_path)" },
    { "version-table", 'T', true, true, true, "NAME",
      "version table name (default " PCSM_DEFAULT_VERSION_TABLE ")" },
    { "history-table", 'H', true, true, true, "NAME",
      "history table name (default " PCSM_DEFAULT_HISTORY_TABLE ")" },
    { "sql", 's', false, true, false, NULL,
      "print the SQL script instead of running it; needs no database" },
    { "verbose", 'v', false, false, false, NULL, "show more detail" },
    { "rev-range", 'r', true, false, false, "A:B", "history: only revisions from A to B" },
    { "revision", 'R', true, true, false, "REV", "rollback: the revision to go back to" },
    { "help", 'h', false, false, true, NULL, "show help and exit" },
};
#define N_OPTIONS (sizeof(options) / sizeof(options[0]))

int cli_error(int status, const char *fmt, ...)
{
    va_list ap;

    fprintf(stderr, "%s: ", prog);
    va_start(ap, fmt);
    vfprintf(stderr, fmt, ap);
    va_end(ap);
    fputc('\n', stderr);
    return status;
}

int cli_error_lib(struct cli *cli)
{
    const pcsm_error *e = pcsm_error_last(cli->ctx);

    fprintf(stderr, "%s: %s\n", prog, e->message);
    if (e->detail)
        fprintf(stderr, "DETAIL: %s\n", e->detail);
    if (e->hint)
        fprintf(stderr, "HINT: %s\n", e->hint);
    switch (e->code) {
    case PCSM_EINVALID:
    case PCSM_ENOTFOUND:
    case PCSM_EAMBIGUOUS:
    case PCSM_ENOTANCESTOR:
        return CLI_EXIT_USAGE;
    case PCSM_EMULTIPLEHEADS:
        return CLI_EXIT_INCONSISTENT;
    default:
        return CLI_EXIT_FAILED;
    }
}

int cli_usage(const struct cli_cmd *cmd, const char *fmt, ...)
{
    va_list ap;

    fprintf(stderr, "%s %s: ", prog, cmd->name);
    va_start(ap, fmt);
    vfprintf(stderr, fmt, ap);
    va_end(ap);
    fprintf(stderr, "\nusage: %s %s %s\n", prog, cmd->name, cmd->args);
    return CLI_EXIT_USAGE;
}

/* Stores one option's value; returns -1 once --help has been printed. */
static int apply_option(struct cli *cli, const struct cli_cmd *cmd, char letter,
                        const char *value)
{
    switch (letter) {
    case 'S': cli->script.schema = value; break;
    case 'T': cli->script.version_table = value; break;
    case 'H': cli->script.history_table = value; break;
    case 's': cli->sql = true; break;
    case 'v': cli->verbose = true; break;
    case 'r': cli->revision = value; break;
    case 'R': cli->revision = value; break;
    case 'h':
        printf("usage: %s %s %s\n%s.\n", prog, cmd->name, cmd->args, cmd->summary);
        return -1;
    }
    return 0;
}

static bool option_accepted(const char *accepted, char letter)
{
    size_t i;

    for (i = 0; i < N_OPTIONS; i++)
        if (options[i].letter == letter)
            return options[i].global || strchr(accepted, letter);
    return false;
}

/* The PCS_MIGRATE_* variable of an option: PCS_MIGRATE_VERSION_TABLE. */
static void env_name(const struct cli_option *o, char *out, size_t size)
{
    size_t i, n = (size_t)snprintf(out, size, "PCS_MIGRATE_");

    for (i = 0; o->name[i] && n + 1 < size; i++)
        out[n++] = o->name[i] == '-' ? '_' : (char)toupper((unsigned char)o->name[i]);
    out[n] = '\0';
}

static int apply_env(struct cli *cli, const struct cli_cmd *cmd, const char *accepted)
{
    size_t i;

    for (i = 0; i < N_OPTIONS; i++) {
        const struct cli_option *o = &options[i];
        char name[64];
        const char *value;

        if (o->letter == 'h' || !option_accepted(accepted, o->letter))
            continue;
        env_name(o, name, sizeof(name));
        value = getenv(name);
        if (!value)
            continue;
        if (o->takes_arg) {
            if (!*value)
                return cli_usage(cmd, "%s is set but empty", name);
            apply_option(cli, cmd, o->letter, value);
        } else if (!strcmp(value, "1") || !strcmp(value, "true") || !strcmp(value, "yes")) {
            apply_option(cli, cmd, o->letter, NULL);
        } else if (strcmp(value, "0") && strcmp(value, "false") && strcmp(value, "no") &&
                   *value) {
            return cli_usage(cmd, "%s=%s: expected 1, true, yes, 0, false or no", name, value);
        }
    }
    return 0;
}

/*
 * Applies the PCS_MIGRATE_* variables, then the command line (which wins),
 * for the options the command accepts; the operands start at argv[*first].
 * Returns 0, -1 once --help has been printed, or an exit status.
 */
static int parse_options(struct cli *cli, const struct cli_cmd *cmd, int argc, char **argv,
                         int *first)
{
    struct option longopts[N_OPTIONS + 1];
    char shortopts[2 * N_OPTIONS + 3] = "+:";
    size_t i, n = 0, s = 2;
    int c, rc;

    /* Every option is known to getopt, so one that another command takes is
     * reported as not applying here rather than as unknown. */
    for (i = 0; i < N_OPTIONS; i++) {
        const struct cli_option *o = &options[i];

        longopts[n++] = (struct option){ o->name, o->takes_arg ? required_argument
                                                               : no_argument, NULL, o->letter };
        if (!o->no_short) {
            shortopts[s++] = o->letter;
            if (o->takes_arg)
                shortopts[s++] = ':';
        }
    }
    longopts[n] = (struct option){ NULL, 0, NULL, 0 };
    shortopts[s] = '\0';

    rc = apply_env(cli, cmd, cmd->options);
    if (rc)
        return rc;
    optind = 0;     /* glibc: start a fresh scan */
    opterr = 0;
    while ((c = getopt_long(argc, argv, shortopts, longopts, NULL)) != -1) {
        if (c == '?')
            return cli_usage(cmd, "unknown option '%s'", argv[optind - 1]);
        if (c == ':')
            return cli_usage(cmd, "option '%s' needs a value", argv[optind - 1]);
        if (!option_accepted(cmd->options, (char)c))
            return cli_usage(cmd, "option '%s' does not apply to %s", argv[optind - 1],
                             cmd->name);
        if (apply_option(cli, cmd, (char)c, optarg) < 0)
            return -1;
    }
    *first = optind;
    return 0;
}

void cli_help(FILE *out)
{
    size_t i;

    fprintf(out,
        "usage: %s [OPTIONS] COMMAND [ARGS]\n\n"
        "Brings a PostgreSQL database to the schema this binary carries: the\n"
        "revisions compiled into it, applied in order, up or down.\n\n"
        "Commands:\n", prog);
    for (i = 0; i < cli_cmds_len; i++)
        fprintf(out, "  %-17s %s\n", cli_cmds[i].name, cli_cmds[i].summary);
    fprintf(out, "\nOptions (each also read from PCS_MIGRATE_<NAME>, e.g. PCS_MIGRATE_SCHEMA):\n");
    for (i = 0; i < N_OPTIONS; i++) {
        char left[48];

        snprintf(left, sizeof(left), "%s%c%s--%s%s%s",
                 options[i].no_short ? "" : "-",
                 options[i].no_short ? ' ' : options[i].letter,
                 options[i].no_short ? "   " : ", ", options[i].name,
                 options[i].arg_name ? " " : "", options[i].arg_name ? options[i].arg_name : "");
        fprintf(out, "  %-28s %s\n", left + (options[i].no_short ? 1 : 0), options[i].help);
    }
    fprintf(out,
        "  %-28s %s\n"
        "\nTargets:\n"
        "  head, heads, base, a revision id or a unique prefix of one,\n"
        "  +N / -N (relative to the current revision), REV+N, REV-N, head-N.\n"
        "  With --sql, FROM:TARGET names the starting point (default: base for\n"
        "  upgrade; downgrade needs it).\n"
        "\nExit status:\n"
        "  0    done\n"
        "  1    a migration failed (rolled back, nothing half-applied)\n"
        "  2    usage error, or an unknown or ambiguous revision\n"
        "  3    database unreachable\n"
        "  4    lock not obtained in time\n"
        "  5    inconsistent state: a revision unknown to this binary, a changed\n"
        "       checksum, unmerged heads\n"
        "  130  interrupted by SIGINT (after rolling back)\n"
        "  143  terminated by SIGTERM (after rolling back)\n",
        "--version", "print the version and exit");
}

static int cmd_compare(const void *key, const void *elem)
{
    return strcmp(key, ((const struct cli_cmd *)elem)->name);
}

static int global_usage(void)
{
    cli_help(stderr);
    return CLI_EXIT_USAGE;
}

int cli_main(int argc, char **argv, const pcsm_revision *revs, size_t n_revs)
{
    static const struct option global_longopts[] = {
        { "help", no_argument, NULL, 'h' },
        { "version", no_argument, NULL, 'V' },
        { NULL, 0, NULL, 0 },
    };
    struct cli cli = { 0 };
    const struct cli_cmd *cmd;
    int c, rc;

    /* Before the command only --help and --version; the rest follow it. */
    optind = 0;
    opterr = 0;
    while ((c = getopt_long(argc, argv, "+h", global_longopts, NULL)) != -1) {
        if (c == 'h') {
            cli_help(stdout);
            return CLI_EXIT_OK;
        }
        if (c == 'V') {
            printf("%s %s\n", prog, PCSM_VERSION);
            return CLI_EXIT_OK;
        }
        cli_error(CLI_EXIT_USAGE, "unknown option '%s' (options follow the command)",
                  argv[optind - 1]);
        return global_usage();
    }
    if (optind >= argc)
        return global_usage();
    cmd = bsearch(argv[optind], cli_cmds, cli_cmds_len, sizeof(*cli_cmds), cmd_compare);
    if (!cmd)
        return cli_error(CLI_EXIT_USAGE, "unknown command '%s'; see '%s --help'",
                         argv[optind], prog);
    if (!cmd->fn)
        return cli_error(CLI_EXIT_USAGE,
                         "'%s' is not available in %s %s yet; this build runs the offline "
                         "commands (upgrade/downgrade/migrate/rollback --sql, history, heads, "
                         "show)", cmd->name, prog, PCSM_VERSION);

    rc = pcsm_ctx_new(&cli.ctx, revs, n_revs);
    if (rc < 0) {
        cli_error_lib(&cli);
        rc = CLI_EXIT_INCONSISTENT;
    } else {
        int first = 0;

        argc -= optind;
        argv += optind;
        rc = parse_options(&cli, cmd, argc, argv, &first);
        if (rc == 0)
            rc = cmd->fn(&cli, cmd, argc - first, argv + first);
        else if (rc < 0)    /* --help was shown */
            rc = CLI_EXIT_OK;
    }
    pcsm_ctx_free(cli.ctx);
    fflush(stdout);
    if (ferror(stdout) && rc == CLI_EXIT_OK)
        return cli_error(CLI_EXIT_FAILED, "error writing to standard output");
    return rc;
}
