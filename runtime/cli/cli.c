/*
 * Dispatch, options, help and error reporting for pcs-migrate.  Commands
 * live in cmd_*.c; this file owns everything they share: the command table,
 * the option table (argv and PCS_MIGRATE_* variables alike), and the
 * mapping from library errors to exit statuses.
 */
#include <ctype.h>
#include <signal.h>
#include <unistd.h>
#include <getopt.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"

static const char *const prog = "pcs-migrate";

/* Keep sorted by name: the dispatcher bsearches it (tests/unit/test_cli.c checks). */
const struct cli_cmd cli_cmds[] = {
    { "check", cmd_check, CMD_NEEDS_DB, "a", "[--accept REV[,REV]]",
      "Check the connection, the current revision and the applied checksums" },
    { "create-migration", cmd_create_migration, 0, "md", "MESSAGE [--dir DIR]",
      "Scaffold a new revision file after the current head" },
    { "current", cmd_current, CMD_NEEDS_DB, "v", "[--verbose]",
      "Show the database's revision(s)" },
    { "downgrade", cmd_downgrade, CMD_NEEDS_DB, "sPA", "[--sql] [FROM:]TARGET",
      "Revert to an older revision" },
    { "heads", cmd_heads, CMD_MAY_DB, "v", "[--verbose]", "Show the head revision(s)" },
    { "history", cmd_history, CMD_MAY_DB, "vr", "[--verbose] [-r A:B]",
      "List revisions, newest first" },
    { "merge", cmd_merge, 0, "md", "-m MESSAGE REV REV... [--dir DIR]",
      "Scaffold a revision that joins heads" },
    { "migrate", cmd_migrate, CMD_NEEDS_DB, "sPA", "[--sql]",
      "Upgrade to head (the container init step)" },
    { "reset", cmd_reset, CMD_NEEDS_DB, "yPA", "--yes",
      "Drop everything in the schema, then upgrade to head" },
    { "revision", cmd_create_migration, 0, "md", "-m MESSAGE [--dir DIR]",
      "Alias of create-migration" },
    { "rollback", cmd_rollback, CMD_NEEDS_DB, "sRPA", "[--sql] [--revision REV]",
      "Downgrade one step, or to REV" },
    { "show", cmd_show, CMD_MAY_DB, "", "REV", "Show one revision in full" },
    { "stamp", cmd_stamp, CMD_NEEDS_DB, "", "REV",
      "Set the version table without running migrations" },
    { "upgrade", cmd_upgrade, CMD_NEEDS_DB, "sPA", "[--sql] [[FROM:]TARGET]",
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
    bool db;                    /* accepted by every command that connects */
    const char *arg_name;
    const char *help;
};

static const struct cli_option options[] = {
    { "database-url", 'U', true, true, false, true, "URL",
      "libpq URL or conninfo (else DATABASE_URL, else libpq's PG* variables)" },
    { "schema", 'S', true, true, true, false, "NAME",
      "schema of the version and history tables (sets search_path)" },
    { "version-table", 'T', true, true, true, false, "NAME",
      "version table name (default " PCSM_DEFAULT_VERSION_TABLE ")" },
    { "history-table", 'H', true, true, true, false, "NAME",
      "history table name (default " PCSM_DEFAULT_HISTORY_TABLE ")" },
    { "wait", 'W', true, true, false, true, "SECONDS",
      "retry while the server is down or starting up, this long" },
    { "lock-timeout", 'L', true, true, false, true, "SECONDS",
      "wait this long for the migration lock (default 60)" },
    { "statement-timeout", 'Q', true, true, false, true, "SECONDS",
      "statement_timeout of the session (default: the server's)" },
    { "ddl-lock-timeout", 'D', true, true, false, true, "SECONDS",
      "lock_timeout of migration statements, retried with backoff (default 5)" },
    { "ddl-retries", 'N', true, true, false, true, "N",
      "reruns of a transaction that hit the DDL lock_timeout (default 3)" },
    { "format", 'F', true, true, true, false, "text|json",
      "json: results on stdout and logs on stderr as JSON lines" },
    { "sql", 's', false, true, false, false, NULL,
      "print the SQL script instead of running it; needs no database" },
    { "transaction-per-migration", 'P', false, true, false, false, NULL,
      "commit each revision on its own (default: one transaction for the run)" },
    { "allow-ahead", 'A', false, true, false, false, NULL,
      "a database ahead of this binary is left as it is (default: exit 5)" },
    { "accept", 'a', true, true, false, false, "REV[,REV]",
      "check: record the changed SQL of these applied revisions as accepted" },
    { "yes", 'y', false, true, false, false, NULL,
      "reset: yes, drop everything (command line only, never from the environment)" },
    { "message", 'm', true, false, false, false, "MESSAGE",
      "revision, merge: the new revision's description" },
    { "dir", 'd', true, true, false, false, "DIR",
      "create-migration, merge: the migrations directory (default ./migrations)" },
    { "verbose", 'v', false, false, false, false, NULL, "show more detail" },
    { "rev-range", 'r', true, false, false, false, "A:B",
      "history: only revisions from A to B" },
    { "revision", 'R', true, true, false, false, "REV", "rollback: the revision to go back to" },
    { "help", 'h', false, false, true, false, NULL, "show help and exit" },
};
#define N_OPTIONS (sizeof(options) / sizeof(options[0]))
/* Stands in for the '-' of a relative target while getopt runs. */
#define RELATIVE_MARK '\x01'

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

/* Set by the signal handler: the signal number; read by the library's runs. */
static volatile sig_atomic_t interrupted;
static pcsm_db *volatile signal_db;

static void on_signal(int signo)
{
    if (!interrupted)
        interrupted = signo;
    pcsm_db_cancel(signal_db);
}

int cli_error_lib(struct cli *cli)
{
    const pcsm_error *e = pcsm_error_last(cli->ctx);

    if (cli->json) {
        const char *const fields[][2] = {
            { "message", e->message }, { "sqlstate", e->sqlstate }, { "detail", e->detail },
            { "hint", e->hint }, { "sql", e->statement },
        };
        size_t i;

        fputs("{\"level\":\"error\"", stderr);
        for (i = 0; i < sizeof(fields) / sizeof(fields[0]); i++) {
            if (!fields[i][1])
                continue;
            fprintf(stderr, ",\"%s\":", fields[i][0]);
            cli_json_string(stderr, fields[i][1]);
        }
        fputs("}\n", stderr);
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

/* Length of the well-formed UTF-8 sequence at p (Unicode table 3-7), or 0. */
static size_t utf8_sequence(const unsigned char *p)
{
    unsigned char lo = 0x80, hi = 0xbf;
    size_t n, k;

    if (*p >= 0xc2 && *p <= 0xdf) {
        n = 2;
    } else if (*p >= 0xe0 && *p <= 0xef) {
        n = 3;
        lo = *p == 0xe0 ? 0xa0 : 0x80;
        hi = *p == 0xed ? 0x9f : 0xbf;
    } else if (*p >= 0xf0 && *p <= 0xf4) {
        n = 4;
        lo = *p == 0xf0 ? 0x90 : 0x80;
        hi = *p == 0xf4 ? 0x8f : 0xbf;
    } else {
        return 0;
    }
    if (p[1] < lo || p[1] > hi)
        return 0;
    for (k = 2; k < n; k++)
        if ((p[k] & 0xc0) != 0x80)
            return 0;
    return n;
}

/*
 * JSON text is UTF-8: a byte that is not (from an argument, a file name)
 * becomes U+FFFD rather than an invalid line (found by tests/fuzz/fuzz_cli.c).
 */
void cli_json_string(FILE *out, const char *s)
{
    const unsigned char *p;

    fputc('"', out);
    for (p = (const unsigned char *)s; *p; p++) {
        if (*p == '"' || *p == '\\') {
            fprintf(out, "\\%c", *p);
        } else if (*p == '\n') {
            fputs("\\n", out);
        } else if (*p < 0x20) {
            fprintf(out, "\\u%04x", *p);
        } else if (*p >= 0x80) {
            size_t n = utf8_sequence(p);

            if (n) {
                fwrite(p, 1, n, out);
                p += n - 1;
            } else {
                fputs("\\ufffd", out);
            }
        } else {
            fputc(*p, out);
        }
    }
    fputc('"', out);
}

/* --format json, known to the usage errors that have no struct cli at hand. */
static bool json_output;

int cli_usage(const struct cli_cmd *cmd, const char *fmt, ...)
{
    va_list ap;

    if (json_output) {
        char msg[1024];

        va_start(ap, fmt);
        vsnprintf(msg, sizeof(msg), fmt, ap);
        va_end(ap);
        fprintf(stderr, "{\"level\":\"error\",\"command\":\"%s\",\"message\":", cmd->name);
        cli_json_string(stderr, msg);
        fputs("}\n", stderr);
        return CLI_EXIT_USAGE;
    }

    fprintf(stderr, "%s %s: ", prog, cmd->name);
    va_start(ap, fmt);
    vfprintf(stderr, fmt, ap);
    va_end(ap);
    fprintf(stderr, "\nusage: %s %s %s\n", prog, cmd->name, cmd->args);
    return CLI_EXIT_USAGE;
}

/* A non-negative number of seconds, for the option `name`. */
static int parse_seconds(const struct cli_cmd *cmd, const char *name, const char *value,
                         double *out)
{
    char *end;
    double d = strtod(value, &end);

    if (end == value || *end || !(d >= 0) || d > 86400.0 * 365)
        return cli_usage(cmd, "%s takes a number of seconds, not '%s'", name, value);
    *out = d;
    return 0;
}

/* Stores one option's value; returns -1 once --help has been printed. */
static int apply_option(struct cli *cli, const struct cli_cmd *cmd, char letter,
                        const char *value)
{
    pcsm_db_opts *db = &cli->db_opts;
    double d = 0;
    int rc = 0;

    switch (letter) {
    case 'U': db->conninfo = value; break;
    case 'S': db->script.schema = value; break;
    case 'T': db->script.version_table = value; break;
    case 'H': db->script.history_table = value; break;
    case 'W': rc = parse_seconds(cmd, "--wait", value, &db->wait_seconds); break;
    case 'L': rc = parse_seconds(cmd, "--lock-timeout", value, &db->lock_timeout_seconds); break;
    case 'Q':
        rc = parse_seconds(cmd, "--statement-timeout", value, &d);
        db->statement_timeout_ms = (long)(d * 1000);
        break;
    case 'D':
        rc = parse_seconds(cmd, "--ddl-lock-timeout", value, &d);
        db->ddl_lock_timeout_ms = (long)(d * 1000);
        break;
    case 'N':
        rc = parse_seconds(cmd, "--ddl-retries", value, &d);
        if (rc == 0 && (d != (int)d || d > 100))
            rc = cli_usage(cmd, "--ddl-retries takes a whole number up to 100, not '%s'", value);
        db->ddl_lock_retries = (int)d;
        break;
    case 'F':
        if (strcmp(value, "text") && strcmp(value, "json"))
            return cli_usage(cmd, "--format takes text or json, not '%s'", value);
        cli->json = json_output = !strcmp(value, "json");
        break;
    case 's': cli->sql = true; break;
    case 'P': cli->per_migration = true; break;
    case 'A': cli->allow_ahead = true; break;
    case 'a': cli->accept = value; break;
    case 'y': cli->yes = true; break;
    case 'm': cli->message = value; break;
    case 'd': cli->dir = value; break;
    case 'v': cli->verbose = true; break;
    case 'r': cli->revision = value; break;
    case 'R': cli->revision = value; break;
    case 'h':
        printf("usage: %s %s %s\n%s.\n", prog, cmd->name, cmd->args, cmd->summary);
        return -1;
    }
    return rc;
}

static bool option_accepted(const struct cli_cmd *cmd, char letter)
{
    size_t i;

    for (i = 0; i < N_OPTIONS; i++)
        if (options[i].letter == letter)
            return options[i].global || strchr(cmd->options, letter) ||
                   (options[i].db && (cmd->flags & (CMD_NEEDS_DB | CMD_MAY_DB)));
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

static int apply_env(struct cli *cli, const struct cli_cmd *cmd)
{
    size_t i;

    for (i = 0; i < N_OPTIONS; i++) {
        const struct cli_option *o = &options[i];
        char name[64];
        const char *value;

        /* --help, and the confirmation of reset, only on the command line. */
        if (o->letter == 'h' || o->letter == 'y' || !option_accepted(cmd, o->letter))
            continue;
        env_name(o, name, sizeof(name));
        value = getenv(name);
        if (!value)
            continue;
        if (o->takes_arg) {
            if (!*value)
                return cli_usage(cmd, "%s is set but empty", name);
            int rc = apply_option(cli, cmd, o->letter, value);

            if (rc)
                return rc;
        } else if (!strcmp(value, "1") || !strcmp(value, "true") || !strcmp(value, "yes")) {
            apply_option(cli, cmd, o->letter, NULL);
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
    for (i = 1; i < (size_t)argc; i++)
        if (is_relative_target(argv[i]) && !takes_value(argv[i - 1]))
            argv[i][0] = RELATIVE_MARK;
    optind = 0;     /* glibc: start a fresh scan */
    opterr = 0;
    /*
     * Messages name the option, never its value: argv[optind - 1] is the
     * value of "--database-url URL", and "--databse-url=URL" carries one,
     * either of which may hold a password.
     */
    while ((c = getopt_long(argc, argv, shortopts, longopts, &long_index)) != -1) {
        if (c == '?' && optopt)
            return cli_usage(cmd, "unknown option '-%c'", optopt);
        if (c == '?')
            return cli_usage(cmd, "unknown option '%.*s'",
                             (int)strcspn(argv[optind - 1], "="), argv[optind - 1]);
        if (c == ':')
            return cli_usage(cmd, "option '%s' needs a value", argv[optind - 1]);
        if (!option_accepted(cmd, (char)c))
            return cli_usage(cmd, "option '--%s' does not apply to %s",
                             longopts[long_index >= 0 ? (size_t)long_index : option_index(c)].name,
                             cmd->name);
        long_index = -1;
        rc = apply_option(cli, cmd, (char)c, optarg);
        if (rc)
            return rc;
    }
    for (i = (size_t)optind; i < (size_t)argc; i++)
        if (argv[i][0] == RELATIVE_MARK)
            argv[i][0] = '-';
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
        fprintf(out, "  %-34s %s\n", left, options[i].help);
    }
    fprintf(out,
        "  %-34s %s\n"
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
        fprintf(stderr, "{\"level\":\"%s\",\"event\":\"%s\",\"message\":",
                ev->kind == PCSM_EVENT_WARNING ? "warning" : "info", kinds[ev->kind]);
        cli_json_string(stderr, ev->message);
        if (ev->rev) {
            fputs(",\"revision\":", stderr);
            cli_json_string(stderr, ev->rev->id);
            fprintf(stderr, ",\"direction\":\"%s\"",
                    ev->direction == PCSM_UPGRADE ? "upgrade" : "downgrade");
        }
        if (ev->kind == PCSM_EVENT_STEP_DONE)
            fprintf(stderr, ",\"duration_ms\":%.3f", ev->duration_ms);
        fputs("}\n", stderr);
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
    printf("{\"command\":\"%s\",\"current\":[", command);
    for (i = 0; i < heads->n; i++) {
        if (i)
            putchar(',');
        cli_json_string(stdout, heads->revs[i]->id);
    }
    putchar(']');
    if (applied) {
        fputs(",\"applied\":[", stdout);
        for (i = 0; i < applied->n; i++) {
            printf("%s{\"revision\":", i ? "," : "");
            cli_json_string(stdout, applied->steps[i].rev->id);
            printf(",\"direction\":\"%s\"}", applied->steps[i].direction == PCSM_UPGRADE
                                                   ? "upgrade" : "downgrade");
        }
        putchar(']');
    }
    fputs("}\n", stdout);
}

static void install_signals(void)
{
    struct sigaction sa;

    memset(&sa, 0, sizeof(sa));
    sa.sa_handler = on_signal;
    sigemptyset(&sa.sa_mask);
    /* No SA_RESTART: a wait in progress should end. */
    sigaction(SIGINT, &sa, NULL);
    sigaction(SIGTERM, &sa, NULL);
}

int cli_open_db(struct cli *cli, const struct cli_cmd *cmd)
{
    bool optional = !(cmd->flags & CMD_NEEDS_DB);
    int rc;

    if (cli->db || cli->sql || !(cmd->flags & (CMD_NEEDS_DB | CMD_MAY_DB)))
        return 0;
    if (optional && !(cli->db_opts.conninfo && *cli->db_opts.conninfo))
        return 0;
    cli->db_opts.on_event = on_event;
    cli->db_opts.payload = cli;
    cli->db_opts.interrupt = &interrupted;
    install_signals();
    rc = pcsm_db_connect(cli->ctx, &cli->db_opts, &cli->db);
    if (rc < 0) {
        if (optional) {
            pcsm_event ev = { PCSM_EVENT_WARNING, pcsm_error_last(cli->ctx)->message, NULL,
                              PCSM_UPGRADE, 0 };

            on_event(&ev, cli);
            return 0;
        }
        return cli_error_lib(cli);
    }
    signal_db = cli->db;
    return 0;
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
        if (k == N_OPTIONS) {
            cli_error(CLI_EXIT_USAGE, "unknown option '%s'", arg);
            return global_usage();
        }
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
    out->cmd = cmd;
    out->argc = n - first;
    out->argv = out->args + first;
    return 0;
}

int cli_main(int argc, char **argv, const pcsm_revision *revs, size_t n_revs)
{
    struct cli cli = { 0 };
    struct cli_parsed parsed;
    int rc = cli_parse(&cli, argc, argv, revs, n_revs, &parsed);

    if (!cli.ctx)
        return rc;          /* --help, --version, or no command to run: nothing to clean */
    if (parsed.cmd)
        rc = parsed.cmd->fn(&cli, parsed.cmd, parsed.argc, parsed.argv);
    free(parsed.args);
    signal_db = NULL;
    pcsm_revset_dispose(&cli.applied);
    pcsm_db_close(cli.db);
    pcsm_ctx_free(cli.ctx);
    fflush(stdout);
    if (ferror(stdout) && rc == CLI_EXIT_OK)
        return cli_error(CLI_EXIT_FAILED, "error writing to standard output");
    return rc;
}
