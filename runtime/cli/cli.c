/*
 * Dispatch, options, help and error reporting for pcs-migrate.  Commands
 * live in cmd_*.c; this file owns everything they share: the command table,
 * the option table (argv and PCS_MIGRATE_* variables alike), and the
 * mapping from library errors to exit statuses.
 */
#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <unistd.h>
#include <getopt.h>
#include <poll.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include <jansson.h>

#include "cli.h"

static const char *const prog = "pcs-migrate";

/* Keep sorted by name: the dispatcher bsearches it (tests/cli/test_cli.c checks). */
const struct cli_cmd cli_cmds[] = {
    { "branches", cmd_branches, CMD_MAY_DB | CMD_NO_ARGS, "vi", "[--verbose] [-i]",
      "Show the branch points (revisions with several children) and their children" },
    { "check", cmd_check, CMD_NEEDS_DB | CMD_NO_ARGS | CMD_FLEET, "aXB",
      "[--accept REV[,REV]] [--no-drift] | --from-database URL",
      "Check the connection, the current revision, the applied checksums and "
      "the live schema against the declared one" },
    { "create-migration", cmd_create_migration, CMD_CHANGES, "mdGBnows",
      "MESSAGE [--dir DIR] [--autogenerate --from-database URL [--rename OLD=NEW]... "
      "[--no-renames] [--allow-raw] [--sql]]",
      "Scaffold a new revision file after the current head" },
    { "current", cmd_current, CMD_NEEDS_DB | CMD_NO_ARGS | CMD_FLEET, "v", "[--verbose]",
      "Show the database's revision(s)" },
    { "diff", cmd_diff, CMD_NO_ARGS | CMD_MAY_DB, "ft", "--from REV|URL|database --to REV|URL|database",
      "Compare the schemas two revisions declare (exit 6 when they differ)" },
    { "downgrade", cmd_downgrade, CMD_NEEDS_DB | CMD_CHANGES | CMD_FLEET, "sPA",
      "[--sql] [FROM:]TARGET",
      "Revert to an older revision" },
    { "heads", cmd_heads, CMD_MAY_DB | CMD_NO_ARGS, "vi", "[--verbose] [-i]",
      "Show the head revision(s)" },
    { "help", cmd_help, 0, "", "[COMMAND]",
      "Show the help of pcs-migrate, or of one command (as COMMAND --help)" },
    { "history", cmd_history, CMD_MAY_DB | CMD_NO_ARGS, "vri",
      "[--verbose] [-r A:B] [-i]",
      "List revisions, newest first" },
    { "import-alembic", cmd_import_alembic, CMD_CHANGES, "dJ",
      "VERSIONS_DIR | --from-json FILE [--dir DIR]",
      "Write a revision for each revision of an Alembic versions directory (exit 7: "
      "placeholders to edit)" },
    { "lint", cmd_lint, 0, "bkel",
      "[REV|A:B] [--baseline FILE] [--write-baseline FILE] [--fail-on LEVEL] | --rules",
      "Check what each revision will lock, rewrite or destroy (no database; exit 8)" },
    { "merge", cmd_merge, CMD_CHANGES, "md", "-m MESSAGE REV REV... [--dir DIR]",
      "Scaffold a revision that joins heads" },
    { "migrate", cmd_migrate, CMD_NEEDS_DB | CMD_CHANGES | CMD_NO_ARGS | CMD_FLEET, "sPA",
      "[--sql]",
      "Upgrade to head (the container init step)" },
    { "reset", cmd_reset, CMD_NEEDS_DB | CMD_CHANGES | CMD_NO_ARGS, "yPA", "--yes",
      "Drop everything in the schema, then upgrade to head" },
    { "revision", cmd_create_migration, CMD_CHANGES, "md", "-m MESSAGE [--dir DIR]",
      "Alias of create-migration" },
    { "rollback", cmd_rollback,
      CMD_NEEDS_DB | CMD_CHANGES | CMD_NO_ARGS | CMD_FLEET, "sRPA",
      "[--sql] [--revision REV]", "Downgrade one step, or to REV" },
    { "schema", cmd_schema, 0, "", "[REV]",
      "Print the schema the revisions declare at REV (default: the heads)" },
    { "show", cmd_show, CMD_MAY_DB, "i", "REV [-i]", "Show one revision in full" },
    { "stamp", cmd_stamp, CMD_NEEDS_DB | CMD_CHANGES | CMD_FLEET, "", "REV",
      "Set the version table without running migrations" },
    { "upgrade", cmd_upgrade, CMD_NEEDS_DB | CMD_CHANGES | CMD_FLEET, "sPA",
      "[--sql] [[FROM:]TARGET]",
      "Apply revisions up to TARGET (default head)" },
};
const size_t cli_cmds_len = sizeof(cli_cmds) / sizeof(cli_cmds[0]);

/* The options of a fleet: accepted by every command flagged CMD_FLEET. */
static const char fleet_letters[] = "gqpjKcx";

/*
 * Positional up to `help`; the fields after it are named where an option
 * has them and are NULL (CLI_ARG_WORD) otherwise, which the warning about
 * missing initializers would flag on every other line.
 */
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wmissing-field-initializers"
static const struct cli_option options[] = {
    { "database-url", 'U', true, true, false, true, "URL",
      "libpq URL or conninfo;\n"
      "no password here: PGPASSWORD, ~/.pgpass or --database-url-file",
      .def = "DATABASE_URL, else libpq's PG*" },
    { "database-url-file", 'u', true, true, false, true, "FILE",
      "read the URL or conninfo from FILE (its trailing newline dropped)",
      .kind = CLI_ARG_FILE },
    { "schema", 'S', true, true, true, false, "NAME",
      "schema of the version and history tables (sets search_path)" },
    { "version-table", 'T', true, true, true, false, "NAME",
      "version table name", .def = PCSM_DEFAULT_VERSION_TABLE },
    { "history-table", 'H', true, true, true, false, "NAME",
      "history table name", .def = PCSM_DEFAULT_HISTORY_TABLE },
    { "wait", 'W', true, true, false, true, "SECONDS",
      "retry while the server is down or starting up, this long", .def = "0" },
    { "lock-timeout", 'L', true, true, false, true, "SECONDS",
      "wait this long for the migration lock (0: do not wait)", .def = "60" },
    { "statement-timeout", 'Q', true, true, false, true, "SECONDS",
      "statement_timeout of the session (0: the server's)", .def = "0" },
    { "ddl-lock-timeout", 'D', true, true, false, true, "SECONDS",
      "lock_timeout of migration statements, retried with backoff\n"
      "(0: the server's)", .def = "5" },
    { "ddl-retries", 'N', true, true, false, true, "N",
      "reruns of a transaction that hit the DDL lock_timeout", .def = "3" },
    { "format", 'F', true, true, true, false, "text|json",
      "json: results on stdout and logs on stderr as JSON lines;\n"
      "lint also takes sarif (SARIF 2.1.0, for code-scanning annotations)",
      .def = "text", .values = "text json sarif" },
    { "sql", 's', false, true, false, false, NULL,
      "print the SQL script instead of running it; needs no database\n"
      "(create-migration --autogenerate: the SQL of both functions, no file)" },
    { "transaction-per-migration", 'P', false, true, false, false, NULL,
      "commit each revision on its own (default: one transaction for the run)" },
    { "allow-ahead", 'A', false, true, false, false, NULL,
      "a database ahead of this binary is left as it is (default: exit 5)" },
    { "accept", 'a', true, true, false, false, "REV[,REV]",
      "check: record the changed SQL of these applied revisions as accepted",
      .kind = CLI_ARG_REV },
    { "no-drift", 'X', false, true, false, false, NULL,
      "check: skip comparing the live schema with the declared one" },
    { "yes", 'y', false, true, false, false, NULL,
      "reset: yes, drop everything (never from the environment)", .env = "" },
    { "message", 'm', true, false, false, false, "MESSAGE",
      "revision, merge: the new revision's description" },
    { "dir", 'd', true, true, false, false, "DIR",
      "create-migration, merge, import-alembic: the migrations directory",
      .def = "./migrations when it holds a revisions.txt, else the source tree's",
      .kind = CLI_ARG_DIR },
    { "from-json", 'J', true, true, false, false, "FILE",
      "import-alembic: the Alembic reader's JSON, from FILE ('-': stdin),\n"
      "instead of running the reader", .env = "", .kind = CLI_ARG_FILE },
    { "verbose", 'v', false, false, false, false, NULL, "show more detail" },
    { "indicate-current", 'i', false, false, false, false, NULL,
      "history, heads, show, branches: read the database and mark the\n"
      "current revision(s); history reads it only then" },
    { "rev-range", 'r', true, false, false, false, "A:B",
      "history: only revisions from A to B", .kind = CLI_ARG_REV },
    { "revision", 'R', true, true, false, false, "REV", "rollback: the revision to go back to",
      .kind = CLI_ARG_REV },
    { "from", 'f', true, true, false, false, "SIDE",
      "diff: the first side: a revision (the schema it declares), a\n"
      "URL or conninfo, or 'database' (--database-url's)" },
    { "to", 't', true, true, false, false, "SIDE", "diff: the second side, as --from" },
    { "autogenerate", 'G', false, true, false, false, NULL,
      "create-migration: write upgrade() and downgrade() from --from-database" },
    { "from-database", 'B', true, true, false, false, "URL",
      "create-migration --autogenerate, check: the development database\n"
      "compared with the schema the revisions declare at head" },
    { "no-renames", 'n', false, true, false, false, NULL,
      "create-migration --autogenerate: a table or column that went while\n"
      "one of its shape came is a drop and an add, not a rename" },
    { "rename", 'o', true, true, false, false, "OLD=NEW",
      "create-migration --autogenerate: write this as a rename, never a\n"
      "drop and an add (items=goods, items.price=cost, mood.sad=unhappy);\n"
      "repeat for each", .env = "" },
    { "allow-raw", 'w', false, true, false, false, NULL,
      "create-migration --autogenerate: accepted and ignored (every change\n"
      "is written as a call of the API; no raw SQL needs allowing)" },
    { "baseline", 'b', true, true, false, false, "FILE",
      "lint: the findings FILE lists (--write-baseline's) do not count",
      .kind = CLI_ARG_FILE },
    { "write-baseline", 'k', true, true, false, false, "FILE",
      "lint: write every finding that counts to FILE, and exit 0",
      .env = "", .kind = CLI_ARG_FILE },
    { "fail-on", 'e', true, true, false, false, "LEVEL",
      "lint: exit 8 for findings at LEVEL or above: info, warning,\n"
      "error, or none", .def = "warning", .values = "info warning error none" },
    { "rules", 'l', false, true, false, false, NULL,
      "lint: list the rules and exit", .env = "" },
    { "targets", 'g', true, true, false, false, "FILE",
      "run over many databases: FILE ('-': stdin) lists one URL or\n"
      "conninfo per line, optionally followed by --schema NAME",
      .kind = CLI_ARG_FILE },
    { "targets-query", 'q', true, true, false, false, "SQL",
      "run over the databases SQL lists, run on the database of\n"
      "--database-url: a URL or conninfo per row (and a schema)" },
    { "schemas-like", 'p', true, true, false, false, "PATTERN",
      "run over each schema of the --database-url database whose name\n"
      "is LIKE PATTERN (a schema per tenant)" },
    { "jobs", 'j', true, true, false, false, "N",
      "fleet: targets at once, each in a process of its own", .def = "4" },
    { "keep-going", 'K', false, true, false, false, NULL,
      "fleet: a failed target does not stop the others from starting\n"
      "(check and current always keep going)" },
    { "canary", 'c', true, true, false, false, "K",
      "fleet: the first K targets first; if one fails, nothing else starts" },
    { "shard", 'x', true, true, false, false, "I/N",
      "fleet: only every Nth target, from the Ith (0-based): the\n"
      "slices 0/N to N-1/N cover the list once" },
    { "help", 'h', false, false, true, false, NULL, "show help and exit", .env = "" },
};
#pragma GCC diagnostic pop
#define N_OPTIONS (sizeof(options) / sizeof(options[0]))
const struct cli_option *const cli_options = options;
const size_t cli_options_len = N_OPTIONS;
static int cmd_compare(const void *key, const void *elem);
/* Stands in for the '-' of a relative target while getopt runs. */
#define RELATIVE_MARK '\x01'

/* --format json, known to the messages that have no struct cli at hand. */
static bool json_output;
/* The command being run, once known: the "command" of every JSON log line. */
static const char *json_command;

/* A JSON log line's start: its level, then the command when one is known. */
static json_t *log_line(const char *level, const struct cli_cmd *cmd)
{
    json_t *o = json_pack("{s:s}", "level", level);

    if (cmd || json_command)
        json_object_set_new(o, "command", json_string(cmd ? cmd->name : json_command));
    return o;
}

/*
 * One error line on stderr: "pcs-migrate[ <cmd>]: <message>", then, for a
 * command's usage error, its usage line; or, with --format json, one JSON
 * object with "command" when there is one.
 */
static void report(const struct cli_cmd *cmd, const char *fmt, va_list ap)
    __attribute__((format(printf, 2, 0)));

static void report(const struct cli_cmd *cmd, const char *fmt, va_list ap)
{
    if (json_output) {
        char msg[1024];
        json_t *o = log_line("error", cmd);

        vsnprintf(msg, sizeof(msg), fmt, ap);
        json_object_set_new(o, "message", pcsm_json_string(msg));
        if (cmd)
            json_object_set_new(o, "usage", pcsm_json_string(cmd->args));
        cli_json_put(stderr, o);
        return;
    }
    fprintf(stderr, "%s%s%s: ", prog, cmd ? " " : "", cmd ? cmd->name : "");
    vfprintf(stderr, fmt, ap);
    fputc('\n', stderr);
    if (cmd)
        fprintf(stderr, "usage: %s %s %s\n", prog, cmd->name, cmd->args);
}

int cli_error(int status, const char *fmt, ...)
{
    va_list ap;

    va_start(ap, fmt);
    report(NULL, fmt, ap);
    va_end(ap);
    return status;
}

/* Set by the signal handler: the signal number; read by the library's runs. */
static volatile sig_atomic_t interrupted;
/*
 * The connections a signal cancels: the run's (slot 0) and diff's database
 * sides.  A slot is set once its connection is complete and cleared before
 * the connection is closed, so the handler never sees a freed one.
 */
#define SIGNAL_DBS 3
static pcsm_db *volatile signal_dbs[SIGNAL_DBS];

static void on_signal(int signo)
{
    size_t i;

    if (!interrupted)
        interrupted = signo;
    for (i = 0; i < SIGNAL_DBS; i++)
        pcsm_db_cancel(signal_dbs[i]);
}

int cli_error_lib(struct cli *cli)
{
    const pcsm_error *e = pcsm_error_last(cli->ctx);

    if (cli->json) {
        const char *const fields[][2] = {
            { "message", e->message }, { "sqlstate", e->sqlstate }, { "detail", e->detail },
            { "hint", e->hint }, { "sql", e->statement },
        };
        json_t *o = log_line("error", NULL);
        size_t i;

        for (i = 0; i < sizeof(fields) / sizeof(fields[0]); i++)
            if (fields[i][1])
                json_object_set_new(o, fields[i][0], pcsm_json_string(fields[i][1]));
        cli_json_put(stderr, o);
    } else {
        fprintf(stderr, "%s%s: %s%s\n", cli->color ? "\033[1;31m" : "", prog, e->message,
                cli->color ? "\033[0m" : "");
        if (e->detail)
            fprintf(stderr, "DETAIL: %s\n", e->detail);
        if (e->hint)
            fprintf(stderr, "HINT: %s\n", e->hint);
        if (e->statement) {
            size_t len = strlen(e->statement);

            while (len && e->statement[len - 1] == '\n')
                len--;
            fprintf(stderr, "SQL: %.*s\n", (int)len, e->statement);
        }
    }
    switch (e->code) {
    case PCSM_EINVALID:
    case PCSM_ENOTFOUND:
    case PCSM_EAMBIGUOUS:
    case PCSM_ENOTANCESTOR:
        return CLI_EXIT_USAGE;
    case PCSM_EUNREACHABLE:
        return CLI_EXIT_UNREACHABLE;
    case PCSM_ELOCK:
        return CLI_EXIT_LOCK;
    case PCSM_EMULTIPLEHEADS:
    case PCSM_EINCONSISTENT:
        return CLI_EXIT_INCONSISTENT;
    case PCSM_EINTERRUPTED:
        return interrupted == SIGINT ? CLI_EXIT_SIGINT : CLI_EXIT_SIGTERM;
    default:
        return CLI_EXIT_FAILED;
    }
}

void cli_json_put(FILE *out, json_t *doc)
{
    pcsm_buf line = PCSM_BUF_INIT;

    pcsm_json_line(&line, doc);
    fwrite(line.ptr, 1, line.len, out);
    /* Whole lines, in step with the other stream when both go to one log. */
    fflush(out);
    pcsm_buf_dispose(&line);
}

json_t *cli_json_ids(const pcsm_revset *set)
{
    json_t *ids = json_array();
    size_t i;

    for (i = 0; i < set->n; i++)
        json_array_append_new(ids, pcsm_json_string(set->revs[i]->id));
    return ids;
}

json_t *cli_json_steps(const pcsm_plan *plan)
{
    json_t *steps = json_array();
    size_t i;

    for (i = 0; i < plan->n; i++)
        json_array_append_new(steps, json_pack("{s:o, s:s}",
            "revision", pcsm_json_string(plan->steps[i].rev->id),
            "direction", plan->steps[i].direction == PCSM_UPGRADE ? "upgrade" : "downgrade"));
    return steps;
}

int cli_usage(const struct cli_cmd *cmd, const char *fmt, ...)
{
    va_list ap;

    va_start(ap, fmt);
    report(cmd, fmt, ap);
    va_end(ap);
    return CLI_EXIT_USAGE;
}

bool cli_range_split(struct cli_range *out, const char *spec)
{
    const char *colon = strchr(spec, ':');

    out->from = NULL;
    out->to = spec;
    if (!colon)
        return false;
    out->from = strndup(spec, (size_t)(colon - spec));
    if (!out->from)
        abort();
    out->to = colon + 1;
    return true;
}

void cli_range_dispose(struct cli_range *range)
{
    free(range->from);
    range->from = NULL;
}

/*
 * The longest timeout: statement_timeout and lock_timeout are int
 * milliseconds on the server (2147483647 ms), and one limit for every
 * timeout is easier to remember than four.
 */
#define MAX_SECONDS 2147483.0

/*
 * A duration for the option `name` (as the user gave it: "--wait" or
 * "PCS_MIGRATE_WAIT: --wait"): 0, or from 1 ms to MAX_SECONDS, rounded to
 * the millisecond.  What 0 means is the option's own (--help says); a
 * value between 0 and 1 ms would round to it, so it is refused instead.
 */
static int parse_seconds(const struct cli_cmd *cmd, const char *name, const char *value,
                         double *out)
{
    char *end;
    double d = strtod(value, &end);

    if (end == value || *end || !(d >= 0))
        return cli_usage(cmd, "%s takes a number of seconds, not '%s'", name, value);
    if (d > MAX_SECONDS)
        return cli_usage(cmd, "%s takes at most %.0f seconds, not '%s'", name, MAX_SECONDS,
                         value);
    if (d > 0 && d < 0.001)
        return cli_usage(cmd, "%s takes 0 or at least 0.001 seconds (1 ms), not '%s'", name,
                         value);
    *out = (double)(long)(d * 1000 + 0.5) / 1000;   /* to the millisecond */
    return 0;
}

/* A whole number from 0 to max, for the option `name`. */
static int parse_count(const struct cli_cmd *cmd, const char *name, const char *value, int max,
                       int *out)
{
    char *end;
    long n;

    errno = 0;
    n = strtol(value, &end, 10);
    if (end == value || *end || errno || n < 0 || n > max || !isdigit((unsigned char)*value))
        return cli_usage(cmd, "%s takes a whole number up to %d, not '%s'", name, max, value);
    *out = (int)n;
    return 0;
}

/*
 * The value of --database-url on the command line: a copy to keep, and the
 * argument's own bytes overwritten, so that the password is no longer in
 * /proc/PID/cmdline (which every local user can read) from here on.  The
 * value is where getopt found it: after "=" in "--database-url=URL", or the
 * next argument; the copy made for getopt's permutation shares the bytes.
 */
static char *take_argv_secret(char *value, char **owned)
{
    char *copy = strdup(value);

    if (!copy)
        abort();
    if (*owned) {
        explicit_bzero(*owned, strlen(*owned));
        free(*owned);
    }
    memset(value, '*', strlen(value));
    *owned = copy;
    return copy;
}

static void take_argv_conninfo(struct cli *cli, char *value)
{
    cli->db_opts.conninfo = take_argv_secret(value, &cli->conninfo_owned);
}

/*
 * A revision target never holds ':', '@', '/' or '=': anything that does is
 * taken for a connection (a URL, a mistyped one, a conninfo), so that it
 * is wiped from argv and refused as libpq refuses it, never echoed back as
 * an unknown revision with its password.
 */
bool cli_side_is_database(const char *side)
{
    return strpbrk(side, ":@/=") || !strcmp(side, "database");
}

/*
 * Stores one option's value; returns -1 once --help has been printed.
 * `name` is how the value was given, for messages: "--wait", or
 * "PCS_MIGRATE_WAIT: --wait"; `from_argv`: value points into argv.
 */
static int apply_option(struct cli *cli, const struct cli_cmd *cmd, char letter,
                        const char *name, char *value, bool from_argv)
{
    pcsm_db_opts *db = &cli->db_opts;
    double d = 0;
    int rc = 0;

    switch (letter) {
    case 'U':
        cli->url_file = NULL;
        if (from_argv)
            take_argv_conninfo(cli, value);
        else
            db->conninfo = value;
        break;
    case 'u':
        cli->url_file = value;
        break;
    case 'S': db->script.schema = value; break;
    case 'T': db->script.version_table = value; break;
    case 'H': db->script.history_table = value; break;
    case 'W': rc = parse_seconds(cmd, name, value, &db->wait_seconds); break;
    case 'L': rc = parse_seconds(cmd, name, value, &db->lock_timeout_seconds); break;
    case 'Q':
        rc = parse_seconds(cmd, name, value, &d);
        db->statement_timeout_ms = (long)(d * 1000 + 0.5);
        break;
    case 'D':
        rc = parse_seconds(cmd, name, value, &d);
        db->ddl_lock_timeout_ms = (long)(d * 1000 + 0.5);
        break;
    case 'N': rc = parse_count(cmd, name, value, 100, &db->ddl_lock_retries); break;
    case 'F':
        if (!strcmp(value, "sarif") && !strcmp(cmd->name, "lint")) {
            cli->sarif = true;
            break;
        }
        if (strcmp(value, "text") && strcmp(value, "json"))
            return cli_usage(cmd, "%s takes text or json%s, not '%s'", name,
                             strcmp(cmd->name, "lint") ? "" : " or sarif", value);
        cli->json = json_output = !strcmp(value, "json");
        cli->sarif = false;
        break;
    case 's': cli->sql = true; break;
    case 'P': cli->per_migration = true; break;
    case 'A': cli->allow_ahead = true; break;
    case 'a': cli->accept = value; break;
    case 'X': cli->no_drift = true; break;
    case 'y': cli->yes = true; break;
    case 'm': cli->message = value; break;
    case 'd': cli->dir = value; break;
    case 'J': cli->import_json = value; break;
    case 'v': cli->verbose = true; break;
    case 'i': cli->indicate_current = true; break;
    case 'r': cli->revision = value; break;
    case 'R': cli->revision = value; break;
    /* A side may be a URL with its password: wiped from argv as --database-url is. */
    case 'f':
        cli->from = from_argv && cli_side_is_database(value)
                    ? take_argv_secret(value, &cli->side_owned[0]) : value;
        break;
    case 't':
        cli->to = from_argv && cli_side_is_database(value)
                  ? take_argv_secret(value, &cli->side_owned[1]) : value;
        break;
    case 'B':
        cli->from_database = from_argv ? take_argv_secret(value, &cli->side_owned[2]) : value;
        break;
    case 'G': cli->autogenerate = true; break;
    case 'n': cli->no_renames = true; break;
    case 'o':
        cli->renames = realloc(cli->renames, (cli->n_renames + 2) * sizeof(*cli->renames));
        if (!cli->renames)
            abort();
        cli->renames[cli->n_renames++] = value;
        cli->renames[cli->n_renames] = NULL;
        break;
    case 'w': cli->allow_raw = true; break;
    case 'b': cli->lint_baseline = value; break;
    case 'k': cli->lint_write_baseline = value; break;
    case 'l': cli->lint_rules = true; break;
    case 'e':
        if (!strcmp(value, "info"))
            cli->lint_fail_on = PCSM_LINT_INFO;
        else if (!strcmp(value, "warning"))
            cli->lint_fail_on = PCSM_LINT_WARNING;
        else if (!strcmp(value, "error"))
            cli->lint_fail_on = PCSM_LINT_ERROR;
        else if (!strcmp(value, "none"))
            cli->lint_fail_on = PCSM_LINT_ERROR + 1;
        else
            return cli_usage(cmd, "%s takes info, warning, error or none, not '%s'", name,
                             value);
        break;
    case 'g': cli->targets_file = value; break;
    case 'q': cli->targets_query = value; break;
    case 'p': cli->schemas_like = value; break;
    case 'j':
        rc = parse_count(cmd, name, value, 256, &cli->jobs);
        if (rc == 0 && cli->jobs == 0)
            rc = cli_usage(cmd, "%s takes a whole number from 1 to 256, not '%s'", name, value);
        break;
    case 'K': cli->keep_going = true; break;
    case 'c': rc = parse_count(cmd, name, value, 1000000, &cli->canary); break;
    case 'x': {
        pcsm_fleet_targets none = PCSM_FLEET_TARGETS_INIT;

        if (pcsm_fleet_shard(cli->ctx, &none, value) < 0)
            return cli_usage(cmd, "%s: %s", name, pcsm_error_last(cli->ctx)->message);
        cli->shard = value;
        break;
    }
    case 'h':
        cli_cmd_help(stdout, cmd);
        return -1;
    }
    if (from_argv && strchr(fleet_letters, letter))
        cli->fleet_argv = true;
    return rc;
}

enum cli_option_group cli_option_group(const struct cli_cmd *cmd, const struct cli_option *o)
{
    if (o->global)
        return CLI_OPT_GLOBAL;
    if (strchr(cmd->options, o->letter))
        return CLI_OPT_OWN;
    if (o->db && (cmd->flags & (CMD_NEEDS_DB | CMD_MAY_DB)))
        return CLI_OPT_DB;
    if (strchr(fleet_letters, o->letter) && (cmd->flags & CMD_FLEET))
        return CLI_OPT_FLEET;
    return CLI_OPT_NONE;
}

static bool option_accepted(const struct cli_cmd *cmd, char letter)
{
    size_t i;

    for (i = 0; i < N_OPTIONS; i++)
        if (options[i].letter == letter)
            return cli_option_group(cmd, &options[i]) != CLI_OPT_NONE;
    return false;
}

void cli_option_env(const struct cli_option *o, char *out, size_t size)
{
    const char *name = o->name;
    size_t i, n;

    if (o->env) {
        snprintf(out, size, "%s", o->env);
        return;
    }
    n = (size_t)snprintf(out, size, "PCS_MIGRATE_");
    for (i = 0; name[i] && n + 1 < size; i++)
        out[n++] = name[i] == '-' ? '_' : (char)toupper((unsigned char)name[i]);
    out[n] = '\0';
}

static int apply_env(struct cli *cli, const struct cli_cmd *cmd)
{
    size_t i;

    /* Both at one level is a mistake to point out, not to settle by an order. */
    if (option_accepted(cmd, 'u') && getenv("PCS_MIGRATE_DATABASE_URL") &&
        getenv("PCS_MIGRATE_DATABASE_URL_FILE"))
        return cli_usage(cmd, "PCS_MIGRATE_DATABASE_URL and PCS_MIGRATE_DATABASE_URL_FILE are "
                         "both set: set one");
    for (i = 0; i < N_OPTIONS; i++) {
        const struct cli_option *o = &options[i];
        char name[64], label[128];
        char *value;

        /*
         * Those with no variable (env ""): --help, the confirmation of
         * reset, and lint's actions other than linting (listing rules,
         * writing a baseline), as a variable left in the environment must
         * not turn a lint gate into one that exits 0.
         */
        if (!option_accepted(cmd, o->letter))
            continue;
        cli_option_env(o, name, sizeof(name));
        if (!*name)
            continue;
        value = getenv(name);
        if (!value)
            continue;
        if (o->takes_arg) {
            if (!*value)
                return cli_usage(cmd, "%s is set but empty", name);
            snprintf(label, sizeof(label), "%s: --%s", name, o->name);
            int rc = apply_option(cli, cmd, o->letter, label, value, false);

            if (rc)
                return rc;
        } else if (!strcmp(value, "1") || !strcmp(value, "true") || !strcmp(value, "yes")) {
            apply_option(cli, cmd, o->letter, name, NULL, false);
        } else if (strcmp(value, "0") && strcmp(value, "false") && strcmp(value, "no") &&
                   *value) {
            return cli_usage(cmd, "%s=%s: expected 1, true, yes, 0, false or no", name, value);
        }
    }
    return 0;
}

static bool is_relative_target(const char *arg)
{
    return arg[0] == '-' && arg[1] && strspn(arg + 1, "0123456789") == strlen(arg + 1);
}

/* The index in options[] of the option with this letter. */
static size_t option_index(int letter)
{
    size_t i;

    for (i = 0; i < N_OPTIONS - 1 && options[i].letter != letter; i++)
        ;
    return i;
}

/*
 * True when getopt_long will take the next argument as arg's value: a long
 * option or an unambiguous abbreviation of one ("--revi"), without "=", or
 * a cluster of short options ending in one that takes a value ("-vr").  The
 * relative target after it is then that value, not an operand to hide
 * ("rollback --revi -1" read "\x011"; found by tests/fuzz/fuzz_cli.c).
 */
static bool takes_value(const char *arg)
{
    size_t i, len, n_prefix = 0;
    const struct cli_option *prefix = NULL;

    if (arg[0] != '-' || !arg[1])
        return false;
    if (arg[1] == '-') {
        if (strchr(arg, '='))
            return false;
        len = strlen(arg + 2);
        for (i = 0; len && i < N_OPTIONS; i++) {
            if (strncmp(arg + 2, options[i].name, len))
                continue;
            if (!options[i].name[len])
                return options[i].takes_arg;
            prefix = &options[i];
            n_prefix++;
        }
        return n_prefix == 1 && prefix->takes_arg;
    }
    for (arg++; *arg; arg++) {
        for (i = 0; i < N_OPTIONS && (options[i].no_short || options[i].letter != *arg); i++)
            ;
        if (i == N_OPTIONS)
            return false;
        if (options[i].takes_arg)
            return !arg[1];
    }
    return false;
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
    char shortopts[2 * N_OPTIONS + 3] = ":";
    size_t i, n = 0, s = 1;
    int c, rc, long_index = -1;
    unsigned url_given = 0;     /* 1: --database-url, 2: --database-url-file */
    char **marked;              /* the operands whose '-' the marker hides */
    size_t n_marked = 0;

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

    /*
     * --version after the command: getopt would take it for an abbreviation
     * of --version-table and ask for a value (or take the next argument as
     * the table's name).  It is the program's, given before any command.
     */
    for (i = 1; i < (size_t)argc && strcmp(argv[i], "--"); i++)
        if ((!strcmp(argv[i], "--version") || !strncmp(argv[i], "--version=", 10)) &&
            !takes_value(argv[i - 1]))
            return cli_usage(cmd, "--version is not an option of %s: it prints %s's version, "
                             "given before any command ('%s --version'); the version table "
                             "is --version-table NAME", cmd->name, prog, prog);

    /* DATABASE_URL, as the Alembic setup read it, below PCS_MIGRATE_DATABASE_URL. */
    cli->db_opts.conninfo = getenv("DATABASE_URL");
    rc = apply_env(cli, cmd);
    if (rc)
        return rc;
    /*
     * A relative target ("-1") is an operand, but getopt would take it for
     * an option: hide each behind a marker while getopt permutes, then put
     * it back.  Options may follow operands ("downgrade -1 --sql").
     */
    marked = calloc((size_t)argc + 1, sizeof(*marked));
    if (!marked)
        abort();
    /* Only these get their '-' back: an operand may begin with the marker itself. */
    for (i = 1; i < (size_t)argc; i++)
        if (is_relative_target(argv[i]) && !takes_value(argv[i - 1])) {
            argv[i][0] = RELATIVE_MARK;
            marked[n_marked++] = argv[i];
        }
    optind = 0;     /* glibc: start a fresh scan */
    opterr = 0;
    /*
     * Messages name the option, never its value: argv[optind - 1] is the
     * value of "--database-url URL", and "--databse-url=URL" carries one,
     * either of which may hold a password.
     */
    while (rc == 0 && (c = getopt_long(argc, argv, shortopts, longopts, &long_index)) != -1) {
        const char *name;
        char label[64];

        if (c == '?' && optopt) {
            rc = cli_usage(cmd, "unknown option '-%c'", optopt);
        } else if (c == '?') {
            rc = cli_usage(cmd, "unknown option '%.*s'",
                           (int)strcspn(argv[optind - 1], "="), argv[optind - 1]);
        } else if (c == ':') {
            rc = cli_usage(cmd, "option '%s' needs a value", argv[optind - 1]);
        } else {
            name = longopts[long_index >= 0 ? (size_t)long_index : option_index(c)].name;
            long_index = -1;
            if (!option_accepted(cmd, (char)c))
                rc = cli_usage(cmd, "option '--%s' does not apply to %s", name, cmd->name);
            if (rc == 0 && (c == 'U' || c == 'u')) {
                url_given |= c == 'U' ? 1 : 2;
                if (url_given == 3)
                    rc = cli_usage(cmd, "--database-url and --database-url-file: give one");
            }
            snprintf(label, sizeof(label), "--%s", name);
            if (rc == 0)
                rc = apply_option(cli, cmd, (char)c, label, optarg, true);
        }
    }
    for (i = 0; i < n_marked; i++)
        marked[i][0] = '-';
    free(marked);
    *first = optind;
    return rc;
}

const char cli_description[] =
    "Brings a PostgreSQL database to the schema this binary carries: the\n"
    "revisions compiled into it, applied in order, up or down.";

const char cli_targets_doc[] =
    "head, heads, base, a revision id or a unique prefix of one,\n"
    "+N / -N (relative to the current revision), REV+N, REV-N, head-N.\n"
    "With --sql, FROM:TARGET names the starting point (default: base for\n"
    "upgrade; downgrade needs it).";

/* The one text of each exit status: --help and the man page print it. */
const struct cli_exit_doc cli_exit_docs[] = {
    { CLI_EXIT_OK, "done" },
    { CLI_EXIT_FAILED, "a migration or a statement failed (rolled back, nothing\n"
      "half-applied), or a result could not be written to stdout" },
    { CLI_EXIT_USAGE, "usage error: an unknown option, a value out of range, an invalid\n"
      "connection setting, an unreadable --database-url-file, or an\n"
      "unknown or ambiguous revision" },
    { CLI_EXIT_UNREACHABLE, "database unreachable, or the connection was lost" },
    { CLI_EXIT_LOCK, "lock not obtained in time: the migration lock (--lock-timeout),\n"
      "or a table's lock for a revision's statement after the last\n"
      "retry (--ddl-lock-timeout, --ddl-retries); rolled back" },
    { CLI_EXIT_INCONSISTENT, "inconsistent state: a revision unknown to this binary, a changed\n"
      "checksum, unmerged heads" },
    { CLI_EXIT_DRIFT, "drift: check found the live schema differing from the declared\n"
      "one, or diff's two schemas differ" },
    { CLI_EXIT_EDIT, "create-migration --autogenerate wrote a revision that needs a hand\n"
      "edit: a placeholder (#error);\n"
      "import-alembic wrote placeholders (#error) for Python to rewrite" },
    { CLI_EXIT_LINT, "lint found what --fail-on counts (default: a warning or an error)" },
    { CLI_EXIT_SIGINT, "interrupted by SIGINT (after rolling back)" },
    { CLI_EXIT_SIGTERM, "terminated by SIGTERM (after rolling back)" },
};
const size_t cli_exit_docs_len = sizeof(cli_exit_docs) / sizeof(cli_exit_docs[0]);

const char cli_exit_fleet_doc[] =
    "A fleet (--targets...) exits with its worst target's status: 2, then\n"
    "5, 1, 128+N (a target killed on its own), 4, 3, 6, 0; or 130/143 when\n"
    "the fleet is interrupted.";

/* Text with "\n" line breaks, each line after the first indented by `indent`. */
static void put_lines(FILE *out, const char *text, int indent)
{
    for (; *text; text++)
        if (*text == '\n')
            fprintf(out, "\n%*s", indent, "");
        else
            fputc(*text, out);
    fputc('\n', out);
}

/* Text with "\n" line breaks, every line indented by `indent`. */
static void put_block(FILE *out, const char *text, int indent)
{
    fprintf(out, "%*s", indent, "");
    put_lines(out, text, indent);
}

/* One option of a help: its spellings, its help, then its default and variable. */
static void put_option(FILE *out, const struct cli_option *o)
{
    char left[48], env[64];

    snprintf(left, sizeof(left), "%s%c%s--%s%s%s",
             o->no_short ? "" : "-", o->no_short ? ' ' : o->letter,
             o->no_short ? "   " : ", ", o->name,
             o->arg_name ? " " : "", o->arg_name ? o->arg_name : "");
    fprintf(out, "  %-34s ", left);
    put_lines(out, o->help, 37);
    cli_option_env(o, env, sizeof(env));
    fprintf(out, "%37s%s%s%s%s%s\n", "", o->def ? "default: " : "", o->def ? o->def : "",
            o->def ? "; " : "", *env ? "env: " : "command line only", env);
}

void cli_help(FILE *out)
{
    size_t i;

    fprintf(out, "usage: %s [OPTIONS] COMMAND [ARGS]\n       %s COMMAND --help\n\n%s\n\n"
            "Commands:\n", prog, prog, cli_description);
    for (i = 0; i < cli_cmds_len; i++)
        fprintf(out, "  %-17s %s\n", cli_cmds[i].name, cli_cmds[i].summary);
    fprintf(out, "\nOptions (each also read from its env: variable, which the command line\n"
            "overrides; COMMAND --help lists those that apply to COMMAND):\n");
    for (i = 0; i < N_OPTIONS; i++)
        put_option(out, &options[i]);
    fprintf(out, "  %-34s %s\n\nTargets:\n", "--version", "print the version and exit");
    put_block(out, cli_targets_doc, 2);
    fprintf(out, "\nTimeouts are 0 or from 0.001 to 2147483 seconds, to the millisecond.\n"
            "\nExit status:\n");
    for (i = 0; i < cli_exit_docs_len; i++) {
        fprintf(out, "  %-4d ", cli_exit_docs[i].status);
        put_lines(out, cli_exit_docs[i].text, 7);
    }
    put_block(out, cli_exit_fleet_doc, 2);
}

void cli_cmd_help(FILE *out, const struct cli_cmd *cmd)
{
    static const struct {
        enum cli_option_group group;
        const char *title;
    } groups[] = {
        { CLI_OPT_OWN, "Options" },
        { CLI_OPT_DB, "Connection options" },
        { CLI_OPT_FLEET, "Fleet options (run over many databases)" },
        { CLI_OPT_GLOBAL, "Global options" },
    };
    size_t g, i;

    fprintf(out, "usage: %s %s %s\n%s.\n", prog, cmd->name, cmd->args, cmd->summary);
    for (g = 0; g < sizeof(groups) / sizeof(groups[0]); g++) {
        bool titled = false;

        for (i = 0; i < N_OPTIONS; i++) {
            if (cli_option_group(cmd, &options[i]) != groups[g].group)
                continue;
            if (!titled)
                fprintf(out, "\n%s:\n", groups[g].title);
            titled = true;
            put_option(out, &options[i]);
        }
    }
    fprintf(out, "\nEach option is also read from its env: variable, which the command line\n"
            "overrides.  Exit statuses and targets: %s --help.\n", prog);
}

int cmd_help(struct cli *cli, const struct cli_cmd *cmd, int argc, char **argv)
{
    const struct cli_cmd *about;

    (void)cli;
    if (argc > 1)
        return cli_usage(cmd, "unexpected argument '%s'", argv[1]);
    if (argc == 0) {
        cli_help(stdout);
        return CLI_EXIT_OK;
    }
    about = bsearch(argv[0], cli_cmds, cli_cmds_len, sizeof(*cli_cmds), cmd_compare);
    if (!about)
        return cli_usage(cmd, "unknown command '%s'", argv[0]);
    cli_cmd_help(stdout, about);
    return CLI_EXIT_OK;
}

static int cmd_compare(const void *key, const void *elem)
{
    return strcmp(key, ((const struct cli_cmd *)elem)->name);
}

static int global_usage(void)
{
    /* The help text is no JSON: a tool reading stderr gets one error line instead. */
    if (json_output)
        return cli_error(CLI_EXIT_USAGE, "a command is needed; see '%s --help'", prog);
    cli_help(stderr);
    return CLI_EXIT_USAGE;
}

/* Progress and logs: stderr, as text or JSON lines. */
static void on_event(const pcsm_event *ev, void *payload)
{
    static const char *const kinds[] = {
        [PCSM_EVENT_INFO] = "info", [PCSM_EVENT_WARNING] = "warning",
        [PCSM_EVENT_WAIT] = "wait", [PCSM_EVENT_STEP_START] = "step_start",
        [PCSM_EVENT_STEP_DONE] = "step_done", [PCSM_EVENT_NOTICE] = "notice",
    };
    struct cli *cli = payload;

    if (cli->json) {
        json_t *o = log_line(ev->kind == PCSM_EVENT_WARNING ? "warning" : "info", NULL);

        json_object_set_new(o, "event", json_string(kinds[ev->kind]));
        json_object_set_new(o, "message", pcsm_json_string(ev->message));
        if (ev->rev) {
            json_object_set_new(o, "revision", pcsm_json_string(ev->rev->id));
            json_object_set_new(o, "direction", json_string(ev->direction == PCSM_UPGRADE
                                                            ? "upgrade" : "downgrade"));
        }
        if (ev->kind == PCSM_EVENT_STEP_DONE)
            json_object_set_new(o, "duration_ms", json_real(ev->duration_ms));
        cli_json_put(stderr, o);
        return;
    } else if (ev->kind == PCSM_EVENT_WARNING) {
        fprintf(stderr, "%s%s: warning: %s%s\n", cli->color ? "\033[33m" : "", prog,
                ev->message, cli->color ? "\033[0m" : "");
    } else if (ev->kind == PCSM_EVENT_STEP_DONE) {
        fprintf(stderr, "%s: %s (%.1f ms)\n", prog, ev->message, ev->duration_ms);
    } else {
        fprintf(stderr, "%s: %s\n", prog, ev->message);
    }
    fflush(stderr);
}

void cli_print_heads(struct cli *cli, const char *command, const pcsm_revset *heads,
                     const pcsm_plan *applied)
{
    size_t i;

    if (!cli->json) {
        for (i = 0; i < heads->n; i++) {
            pcsm_revset children = PCSM_REVSET_INIT;

            pcsm_graph_children(cli->ctx, heads->revs[i], &children);
            printf("%s%s\n", heads->revs[i]->id, children.n ? "" : " (head)");
            pcsm_revset_dispose(&children);
        }
        return;
    }
    {
        json_t *o = json_pack("{s:s, s:o}", "command", command, "current", cli_json_ids(heads));

        if (applied)
            json_object_set_new(o, "applied", cli_json_steps(applied));
        cli_json_put(stdout, o);
    }
}

volatile sig_atomic_t *cli_signals(void)
{
    struct sigaction sa;

    memset(&sa, 0, sizeof(sa));
    sa.sa_handler = on_signal;
    sigemptyset(&sa.sa_mask);
    /* No SA_RESTART: a wait in progress should end. */
    sigaction(SIGINT, &sa, NULL);
    sigaction(SIGTERM, &sa, NULL);
    return &interrupted;
}

/* A message of the CLI's own, through the library's event printer. */
static void say(struct cli *cli, enum pcsm_event_kind kind, const char *fmt, va_list ap)
    __attribute__((format(printf, 3, 0)));

static void say(struct cli *cli, enum pcsm_event_kind kind, const char *fmt, va_list ap)
{
    char msg[1024];
    pcsm_event ev = { kind, msg, NULL, PCSM_UPGRADE, 0 };

    vsnprintf(msg, sizeof(msg), fmt, ap);
    on_event(&ev, cli);
}

void cli_info(struct cli *cli, const char *fmt, ...)
{
    va_list ap;

    va_start(ap, fmt);
    say(cli, PCSM_EVENT_INFO, fmt, ap);
    va_end(ap);
}

void cli_warn(struct cli *cli, const char *fmt, ...)
{
    va_list ap;

    va_start(ap, fmt);
    say(cli, PCSM_EVENT_WARNING, fmt, ap);
    va_end(ap);
}

/* The most a --database-url-file may hold: a URL, not a data file. */
#define URL_FILE_MAX 65536

/*
 * Reads --database-url-file into cli->conninfo_owned: the whole file but
 * its trailing newline ("\n" or "\r\n", any number), which editors and
 * `echo` add and a URL never ends with.  Messages name the file, never
 * what it holds.  A file every user may read or write is used, with a
 * warning: libpq refuses such a ~/.pgpass, but Docker and Kubernetes mount
 * secrets 0444/0644 unless told otherwise, and refusing would break them.
 * Group access is left alone: it is how a pod's fsGroup, or a user's own
 * group, gives a non-root process its secret (0440).
 */
static int read_url_file(struct cli *cli)
{
    const char *path = cli->url_file;
    char *buf = NULL;
    size_t len = 0;
    struct stat st;
    int fd, rc = 0;
    ssize_t got;

    fd = open(path, O_RDONLY | O_CLOEXEC | O_NOCTTY);
    if (fd < 0 || fstat(fd, &st) != 0) {
        rc = cli_error(CLI_EXIT_USAGE, "cannot read the database URL file %s: %s", path, strerror(errno));
        goto done;
    }
    if (S_ISDIR(st.st_mode)) {
        rc = cli_error(CLI_EXIT_USAGE, "cannot read the database URL file %s: %s", path, strerror(EISDIR));
        goto done;
    }
    buf = malloc(URL_FILE_MAX + 1);
    if (!buf)
        abort();
    while (len <= URL_FILE_MAX && (got = read(fd, buf + len, URL_FILE_MAX + 1 - len)) != 0) {
        if (got < 0 && errno == EINTR)
            continue;
        if (got < 0) {
            rc = cli_error(CLI_EXIT_USAGE, "cannot read the database URL file %s: %s", path,
                           strerror(errno));
            goto done;
        }
        len += (size_t)got;
    }
    if (len > URL_FILE_MAX) {
        rc = cli_error(CLI_EXIT_USAGE, "the database URL file %s is larger than %d bytes", path,
                       URL_FILE_MAX);
        goto done;
    }
    while (len && (buf[len - 1] == '\n' || buf[len - 1] == '\r'))
        len--;
    buf[len] = '\0';
    if (memchr(buf, '\0', len)) {
        rc = cli_error(CLI_EXIT_USAGE, "the database URL file %s holds a NUL byte", path);
        goto done;
    }
    if (!len) {
        rc = cli_error(CLI_EXIT_USAGE, "the database URL file %s is empty", path);
        goto done;
    }
    if (S_ISREG(st.st_mode) && (st.st_mode & S_IRWXO))
        cli_warn(cli, "the database URL file %s is open to other users (mode %04o): "
             "chmod 600 (or 400) it", path, (unsigned)(st.st_mode & 07777));
    if (cli->conninfo_owned) {
        explicit_bzero(cli->conninfo_owned, strlen(cli->conninfo_owned));
        free(cli->conninfo_owned);
    }
    cli->conninfo_owned = buf;
    cli->db_opts.conninfo = buf;
    buf = NULL;
done:
    if (buf) {
        explicit_bzero(buf, URL_FILE_MAX + 1);
        free(buf);
    }
    if (fd >= 0)
        close(fd);
    return rc;
}

/* Connects with opts, the run's events and signals hooked in; libpq's error as it is. */
static int connect_db(struct cli *cli, pcsm_db_opts *opts, pcsm_db **out)
{
    opts->on_event = on_event;
    opts->payload = cli;
    opts->interrupt = cli_signals();
    return pcsm_db_connect(cli->ctx, opts, out);
}

int cli_open_db(struct cli *cli, const struct cli_cmd *cmd)
{
    bool optional = !(cmd->flags & CMD_NEEDS_DB);
    int rc;

    if (cli->fleet_preflight)
        return CLI_FLEET_READY;
    if (cli->db || cli->sql || !(cmd->flags & (CMD_NEEDS_DB | CMD_MAY_DB)))
        return 0;
    if (optional && !(cli->db_opts.conninfo && *cli->db_opts.conninfo) && !cli->url_file)
        return 0;
    if (cli->url_file) {
        rc = read_url_file(cli);
        if (rc)
            return rc;
        cli->url_file = NULL;   /* read once */
    }
    rc = connect_db(cli, &cli->db_opts, &cli->db);
    if (rc < 0) {
        if (optional) {
            pcsm_event ev = { PCSM_EVENT_WARNING, pcsm_error_last(cli->ctx)->message, NULL,
                              PCSM_UPGRADE, 0 };

            on_event(&ev, cli);
            return 0;
        }
        return cli_error_lib(cli);
    }
    signal_dbs[0] = cli->db;
    return 0;
}

int cli_open_db_for_view(struct cli *cli, const char **why)
{
    int rc;

    *why = NULL;
    if (cli->db)
        return 0;
    if (cli->url_file) {
        rc = read_url_file(cli);
        if (rc)
            return rc;
        cli->url_file = NULL;
    }
    if (connect_db(cli, &cli->db_opts, &cli->db) < 0) {
        /* A signal ends the view as it ends any command (130/143), not as a warning. */
        if (pcsm_error_last(cli->ctx)->code == PCSM_EINTERRUPTED)
            return cli_error_lib(cli);
        *why = pcsm_error_last(cli->ctx)->message;
    } else
        signal_dbs[0] = cli->db;
    return 0;
}

void cli_close_db(struct cli *cli)
{
    signal_dbs[0] = NULL;
    pcsm_db_close(cli->db);
    cli->db = NULL;
}

int cli_check_target(struct cli *cli, const char *spec)
{
    pcsm_revset none = PCSM_REVSET_INIT, resolved = PCSM_REVSET_INIT;
    int rc;

    /* +N and -N count from where the database is: only it can judge them. */
    if (*spec == '+' || *spec == '-')
        return 0;
    rc = pcsm_graph_resolve(cli->ctx, spec, &none, &resolved);
    pcsm_revset_dispose(&resolved);
    if (rc == PCSM_ENOTFOUND || rc == PCSM_EAMBIGUOUS)
        return cli_error_lib(cli);
    return 0;
}

int cli_connect_side(struct cli *cli, const char *side, pcsm_db **out)
{
    pcsm_db_opts opts;
    size_t i;
    int rc;

    *out = NULL;
    if (!strcmp(side, "database")) {
        if (cli->url_file) {
            rc = read_url_file(cli);
            if (rc)
                return rc;
            cli->url_file = NULL;
        }
        opts = cli->db_opts;
    } else {
        opts = cli->db_opts;
        opts.conninfo = side;
    }
    if (connect_db(cli, &opts, out) < 0)
        return cli_error_lib(cli);
    for (i = 1; i < SIGNAL_DBS; i++) {
        if (!signal_dbs[i]) {
            signal_dbs[i] = *out;
            return 0;
        }
    }
    abort();    /* diff has two sides: a third open one is a bug */
}

void cli_close_side(pcsm_db *db)
{
    size_t i;

    if (!db)
        return;
    for (i = 1; i < SIGNAL_DBS; i++)
        if (signal_dbs[i] == db)
            signal_dbs[i] = NULL;
    pcsm_db_close(db);
}

int cli_parse(struct cli *cli, int argc, char **argv, const pcsm_revision *revs,
              size_t n_revs, struct cli_parsed *out)
{
    const struct cli_cmd *cmd;
    int rc, first = 0, i, n = 0;

    memset(out, 0, sizeof(*out));
    pcsm_db_opts_init(&cli->db_opts);
    cli->color = isatty(STDERR_FILENO) && !getenv("NO_COLOR");
    json_output = false;        /* a fresh parse: nothing of an earlier one */
    json_command = NULL;

    /*
     * Options may come before the command too (--format json migrate): they
     * are moved behind it, where the command's parser takes them.
     */
    for (optind = 1; optind < argc && argv[optind][0] == '-' && argv[optind][1]; optind++) {
        const char *arg = argv[optind];
        size_t k, len = strcspn(arg + 2, "=");

        if (!strcmp(arg, "-h") || !strcmp(arg, "--help")) {
            cli_help(stdout);
            return CLI_EXIT_OK;
        }
        if (!strcmp(arg, "--version")) {
            printf("%s %s\n", prog, PCSM_VERSION);
            return CLI_EXIT_OK;
        }
        for (k = 0; k < N_OPTIONS; k++)
            if (arg[1] == '-' && strlen(options[k].name) == len &&
                !strncmp(options[k].name, arg + 2, len))
                break;
        /* One line, as for an unknown command: the whole help would bury it. */
        if (k == N_OPTIONS)
            return cli_error(CLI_EXIT_USAGE, "unknown option '%s'; see '%s --help'", arg, prog);
        /* So that the errors before the command is known are JSON too. */
        if (options[k].letter == 'F')
            json_output = !strcmp(arg[2 + len] ? arg + 3 + len
                                  : optind + 1 < argc ? argv[optind + 1] : "", "json");
        if (options[k].takes_arg && !arg[2 + len])
            optind++;
    }
    if (optind >= argc)
        return global_usage();
    cmd = bsearch(argv[optind], cli_cmds, cli_cmds_len, sizeof(*cli_cmds), cmd_compare);
    if (!cmd)
        return cli_error(CLI_EXIT_USAGE, "unknown command '%s'; see '%s --help'",
                         argv[optind], prog);
    if (!cmd->fn)
        return cli_error(CLI_EXIT_USAGE, "'%s' is not available in %s %s yet",
                         cmd->name, prog, PCSM_VERSION);

    json_command = cmd->name;
    rc = pcsm_ctx_new(&cli->ctx, revs, n_revs);
    if (rc < 0) {
        cli_error_lib(cli);
        return CLI_EXIT_INCONSISTENT;
    }
    out->args = calloc((size_t)argc + 1, sizeof(*out->args));
    if (!out->args)
        abort();
    out->args[n++] = argv[optind];
    for (i = 1; i < argc; i++)
        if (i != optind)
            out->args[n++] = argv[i];
    rc = parse_options(cli, cmd, n, out->args, &first);
    if (rc < 0)             /* --help was shown */
        return CLI_EXIT_OK;
    if (rc > 0)
        return rc;
    if ((cmd->flags & CMD_NO_ARGS) && first < n)
        return cli_usage(cmd, "unexpected argument '%s'", out->args[first]);
    /* From the environment they wait for a list; on the command line they need one. */
    if (cli->fleet_argv && !cli_is_fleet(cli))
        return cli_usage(cmd, "--jobs, --keep-going, --canary and --shard run over a fleet: "
                         "give --targets, --targets-query or --schemas-like");
    out->cmd = cmd;
    out->argc = n - first;
    out->argv = out->args + first;
    return 0;
}

void cli_dispose(struct cli *cli)
{
    size_t i;

    pcsm_revset_dispose(&cli->applied);
    free(cli->renames);
    cli->renames = NULL;
    cli_close_db(cli);
    pcsm_ctx_free(cli->ctx);
    cli->ctx = NULL;
    if (cli->conninfo_owned) {
        explicit_bzero(cli->conninfo_owned, strlen(cli->conninfo_owned));
        free(cli->conninfo_owned);
        cli->conninfo_owned = NULL;
        cli->db_opts.conninfo = NULL;
    }
    for (i = 0; i < sizeof(cli->side_owned) / sizeof(cli->side_owned[0]); i++) {
        if (cli->side_owned[i]) {
            explicit_bzero(cli->side_owned[i], strlen(cli->side_owned[i]));
            free(cli->side_owned[i]);
            cli->side_owned[i] = NULL;
        }
    }
}

/*
 * Standard descriptors that are closed ("pcs-migrate migrate >&-") are
 * opened on /dev/null, or the next file opened would take their number:
 * the connection's socket as fd 1 or 2 would receive what we print.
 * Returns a bit per descriptor that was closed.
 */
static unsigned open_std_fds(void)
{
    unsigned closed = 0;
    int fd;

    for (fd = 0; fd <= 2; fd++) {
        int got;

        if (fcntl(fd, F_GETFD) != -1 || errno != EBADF)
            continue;
        closed |= 1u << fd;
        /* The lowest free number: fd's, as those below it are open. */
        got = open("/dev/null", fd == 0 ? O_RDONLY : O_WRONLY);
        if (got >= 0 && got != fd)
            close(got);
    }
    return closed;
}

/*
 * The end of standard output.  A command whose output is its result
 * (check, current, history, --sql...) fails with exit 1 when it could not
 * be written: a reader would otherwise take an empty or cut result for a
 * whole one.  A command whose job is a change (migrate, stamp,
 * create-migration...) made the change and keeps its status; it says on
 * stderr that its report was lost, rather than make a container init step
 * fail and rerun over a successful migration.  diff's "the schemas differ"
 * is a result too, not a failure that spoke already: a cut list of the
 * differences turns it into exit 1.
 */
static int finish_stdout(const struct cli *cli, const struct cli_cmd *cmd, int rc,
                         bool stdout_closed)
{
    int err = 0;

    if (fflush(stdout) != 0)
        err = errno;
    if (!ferror(stdout) && !stdout_closed)
        return rc;
    if (stdout_closed) {
        err = EBADF;
    } else if (!err) {
        /* An earlier write failed and its errno is gone: a pipe or socket
         * with no reader left says so to poll(). */
        struct pollfd p = { STDOUT_FILENO, POLLOUT, 0 };

        if (poll(&p, 1, 0) == 1 && (p.revents & (POLLERR | POLLHUP)))
            err = EPIPE;
    }
    if (rc != CLI_EXIT_OK && rc != CLI_EXIT_DRIFT)
        return rc;      /* the failure said so already */
    if (cmd && (cmd->flags & CMD_CHANGES) && !cli->sql) {
        fprintf(stderr, "%s: warning: %s succeeded, but its result could not be written to "
                "standard output%s%s\n", prog, cmd->name, err ? ": " : "",
                err ? strerror(err) : "");
        return rc;
    }
    return cli_error(CLI_EXIT_FAILED, "error writing to standard output%s%s",
                     err ? ": " : "", err ? strerror(err) : "");
}

int cli_main(int argc, char **argv, const pcsm_revision *revs, size_t n_revs)
{
    struct cli cli = { 0 };
    struct cli_parsed parsed;
    unsigned closed = open_std_fds();
    int rc;

    /* A reader that went away is an EPIPE on write, which finish_stdout()
     * reports, and never a signal that stops a run halfway. */
    signal(SIGPIPE, SIG_IGN);
    rc = cli_parse(&cli, argc, argv, revs, n_revs, &parsed);
    if (parsed.cmd && cli_is_fleet(&cli))
        rc = cli_fleet(&cli, parsed.cmd, parsed.argc, parsed.argv);
    else if (parsed.cmd)
        rc = parsed.cmd->fn(&cli, parsed.cmd, parsed.argc, parsed.argv);
    free(parsed.args);
    cli_dispose(&cli);
    /* Even --help and --version: their output is their result. */
    return finish_stdout(&cli, parsed.cmd, rc, closed & 2);
}
