/*
 * The pcs-migrate command line: a thin layer over libpcsm.  Commands parse
 * their own options and call the library; only this layer prints and picks
 * exit statuses.
 */
#ifndef PCSM_CLI_H
#define PCSM_CLI_H

#include <signal.h>
#include <stdbool.h>
#include <stdio.h>

#include <pcsm/pcsm.h>

/* Exit statuses, documented in --help and README.md. */
enum {
    CLI_EXIT_OK = 0,
    CLI_EXIT_FAILED = 1,        /* a migration or statement failed; rolled back */
    CLI_EXIT_USAGE = 2,         /* usage error, a bad value, unknown or ambiguous revision */
    CLI_EXIT_UNREACHABLE = 3,   /* database unreachable */
    CLI_EXIT_LOCK = 4,          /* lock not obtained in time: migration lock or DDL */
    CLI_EXIT_INCONSISTENT = 5,  /* database or graph in a state this binary refuses */
    CLI_EXIT_DRIFT = 6,         /* check or diff: the schemas differ */
    CLI_EXIT_EDIT = 7,          /* autogenerate wrote a file that needs a hand edit */
    CLI_EXIT_LINT = 8,          /* lint: findings at --fail-on or above */
    CLI_EXIT_SIGINT = 130,
    CLI_EXIT_SIGTERM = 143,
    CLI_FLEET_READY = 1000,     /* not an exit status: see fleet_preflight */
};

struct cli {
    pcsm_ctx *ctx;              /* owned; built over the linked registry */
    pcsm_db *db;                /* open while a command that needs it runs */
    pcsm_db_opts db_opts;       /* connection, schema and table names, timeouts */
    const char *url_file;       /* --database-url-file: read by cli_open_db() */
    char *conninfo_owned;       /* db_opts.conninfo when it is ours: a wiped argument's
                                 * copy or the file's content; zeroed, then freed */
    bool verbose;
    bool sql;                   /* --sql: print the SQL instead of running it */
    bool json;                  /* --format json: stdout and stderr as JSON lines */
    bool color;                 /* stderr is a terminal and NO_COLOR is unset */
    bool per_migration;         /* --transaction-per-migration */
    bool allow_ahead;
    bool yes;                   /* reset --yes */
    const char *revision;       /* rollback --revision, history -r */
    const char *from, *to;      /* diff --from, --to */
    char *side_owned[3];        /* a wiped --from/--to/--from-database URL's copy; zeroed, then freed */
    const char *accept;         /* check --accept REV[,REV] */
    bool no_drift;              /* check --no-drift */
    const char *message;        /* -m: the new revision's description */
    const char *dir;            /* --dir: the migrations directory to scaffold in */
    const char *import_json;    /* import-alembic --from-json FILE, "-" for stdin */
    const char *from_database;  /* create-migration --autogenerate, check: a development database */
    bool autogenerate;          /* create-migration --autogenerate */
    bool no_renames;            /* --no-renames */
    const char **renames;       /* --rename OLD=NEW, each (NULL-terminated); owned array */
    size_t n_renames;
    bool allow_raw;             /* --allow-raw */
    bool sarif;                 /* lint --format sarif */
    bool lint_rules;            /* lint --rules */
    const char *lint_baseline;  /* lint --baseline FILE */
    const char *lint_write_baseline;    /* lint --write-baseline FILE */
    int lint_fail_on;           /* a pcsm_lint_severity, PCSM_LINT_ERROR + 1 for none;
                                 * 0: warning */
    /* A fleet: one of the three lists, and how to run it (cmd_fleet.c). */
    const char *targets_file;   /* --targets FILE, "-" for stdin */
    const char *targets_query;  /* --targets-query SQL, on the control database */
    const char *schemas_like;   /* --schemas-like PATTERN, of the control database */
    const char *shard;          /* --shard I/N */
    int jobs;                   /* --jobs; 0: the default */
    int canary;                 /* --canary K */
    bool keep_going;            /* --keep-going */
    bool fleet_argv;            /* a fleet option was on the command line */
    /* The fleet's dry pass of the command: cli_open_db() returns
     * CLI_FLEET_READY instead of connecting, once the operands are checked. */
    bool fleet_preflight;
    bool indicate_current;      /* -i: the views read the database for their marks */
    bool have_applied;          /* a database was read: `applied` is valid */
    pcsm_revset applied;        /* its current heads, for history/heads/show marks */
};

#define CMD_NEEDS_DB (1u << 0)  /* cli_open_db() connects, unless --sql is given */
#define CMD_MAY_DB   (1u << 1)  /* cli_open_db() connects when a database URL is configured */
/*
 * Its job is a change (the database, or a file), not its output: when the
 * change is made but standard output cannot be written, it still exits 0,
 * with a warning.  Without it (and with --sql) the output is the job, and
 * failing to write it is exit 1.
 */
#define CMD_CHANGES  (1u << 2)
/* Takes no operands: cli_parse() refuses one ("unexpected argument 'X'") before fn runs. */
#define CMD_NO_ARGS  (1u << 3)
/* Runs over a fleet too: takes --targets, --targets-query, --schemas-like (cmd_fleet.c). */
#define CMD_FLEET    (1u << 4)

/*
 * A command.  The dispatcher parses the options it names (letters of the
 * option table in cli.c) before calling fn with the operands alone.
 */
struct cli_cmd {
    const char *name;
    int (*fn)(struct cli *cli, const struct cli_cmd *cmd, int argc, char **argv);
    unsigned flags;
    const char *options;        /* option letters it accepts besides the global ones */
    const char *args;           /* argument synopsis for the usage line */
    const char *summary;        /* one line, shown by --help */
};

/* The command table, sorted by name (tests/cli/test_cli.c checks). */
extern const struct cli_cmd cli_cmds[];
extern const size_t cli_cmds_len;

/* What an option's value is, for the shell completions of pcs-migrate-docgen. */
enum cli_arg_kind {
    CLI_ARG_WORD = 0,           /* anything: nothing to offer */
    CLI_ARG_FILE,
    CLI_ARG_DIR,
    CLI_ARG_REV,                /* revision ids of the registry */
};

/*
 * An option.  This one table (options[] in cli.c) is what the parser,
 * --help, `<command> --help`, the man page and the shell completions read
 * (the last two through pcs-migrate-docgen, at build time).  Each option can
 * also be given as its variable, which the command line overrides.
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
    const char *def;            /* the default as shown to users; NULL: none to show */
    const char *env;            /* NULL: PCS_MIGRATE_<NAME>; "": command line only */
    const char *values;         /* a fixed set of values, space-separated; NULL: open */
    enum cli_arg_kind kind;
};

extern const struct cli_option *const cli_options;
extern const size_t cli_options_len;

/* How an option applies to a command: the groups of `<command> --help`. */
enum cli_option_group {
    CLI_OPT_NONE = 0,           /* does not apply */
    CLI_OPT_OWN,                /* one of the command's letters */
    CLI_OPT_FLEET,              /* a CMD_FLEET command's fleet options */
    CLI_OPT_DB,                 /* a command that connects: the connection's */
    CLI_OPT_GLOBAL,
};
enum cli_option_group cli_option_group(const struct cli_cmd *cmd, const struct cli_option *o);
/* The option's variable, PCS_MIGRATE_VERSION_TABLE; "" when it has none. */
void cli_option_env(const struct cli_option *o, char *out, size_t size);

/* Exit statuses as --help and the man page explain them ("\n" breaks a line). */
struct cli_exit_doc {
    int status;
    const char *text;
};
extern const struct cli_exit_doc cli_exit_docs[];
extern const size_t cli_exit_docs_len;
/* What a fleet exits with: the paragraph after the table. */
extern const char cli_exit_fleet_doc[];
/* The program in a sentence, and the TARGET syntax: --help's and the man page's. */
extern const char cli_description[];
extern const char cli_targets_doc[];

/* The whole program; main() passes the linked registry. */
int cli_main(int argc, char **argv, const pcsm_revision *revs, size_t n_revs);

/* What cli_parse() leaves for the run. */
struct cli_parsed {
    const struct cli_cmd *cmd;  /* the command to run; NULL when parsing ended the run */
    int argc;                   /* its operands: argv[0 .. argc) */
    char **argv;                /* points into args */
    char **args;                /* malloc'd (free() it): the command, then its arguments */
};

/*
 * The first half of cli_main(): the options before the command (--help and
 * --version are answered here), the command, the context over the registry
 * (cli->ctx, which the caller frees), then PCS_MIGRATE_* and the command's
 * options.  Connects to nothing and runs nothing, so tests/fuzz can feed it
 * any argument vector.  Each --database-url value in argv is copied
 * (cli->conninfo_owned) and its bytes in argv overwritten with '*', so that
 * a password leaves /proc/PID/cmdline as soon as it is parsed.  Returns 0 with out->cmd set when the command is to
 * run; otherwise the exit status, with out->cmd NULL.  cli->ctx is still NULL
 * when parsing ended before the command was known.
 */
int cli_parse(struct cli *cli, int argc, char **argv, const pcsm_revision *revs,
              size_t n_revs, struct cli_parsed *out);
/* Frees what cli_parse() and the command left in cli (not out->args). */
void cli_dispose(struct cli *cli);
/* Writes the full --help text. */
void cli_help(FILE *out);
/* Writes `<command> --help`: usage, summary, and every option that applies, by group. */
void cli_cmd_help(FILE *out, const struct cli_cmd *cmd);

/* Prints "pcs-migrate: <message>" (or a JSON line) to stderr and returns `status`. */
int cli_error(int status, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* "pcs-migrate: warning: <message>" (or a JSON line) on stderr. */
void cli_warn(struct cli *cli, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* An informational line on stderr ("pcs-migrate: ..."), or a JSON one. */
void cli_info(struct cli *cli, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* Prints the library's last error (with DETAIL/HINT/SQL) and returns its exit status. */
int cli_error_lib(struct cli *cli);
/*
 * Connects when the command needs a database (or may use one and a URL is
 * configured); a no-op once connected or with --sql.  Commands call it
 * after checking their operands, so a usage error never waits on a server.
 * Returns 0 or an exit status.
 */
int cli_open_db(struct cli *cli, const struct cli_cmd *cmd);
/*
 * For the read-only views: connects as cli_open_db() does whatever the
 * command's flags, but a failed connection is only a reason to give: *why
 * (no password in it), with 0 returned.  An unreadable --database-url-file
 * is the user's setting, not the database: its exit status, said already.
 */
int cli_open_db_for_view(struct cli *cli, const char **why);
/* Closes the run's connection (none: a no-op), no longer seen by the signal handler first. */
void cli_close_db(struct cli *cli);
/*
 * Installs the SIGINT/SIGTERM handler (idempotent) and returns the flag it
 * sets to the signal number; the library's waits read it.
 */
volatile sig_atomic_t *cli_signals(void);
/* A target the graph alone refuses (unknown, ambiguous): its exit status; else 0. */
int cli_check_target(struct cli *cli, const char *spec);
/* Whether a fleet list option is given; cmd_fleet.c runs the command over it. */
bool cli_is_fleet(const struct cli *cli);
int cli_fleet(struct cli *cli, const struct cli_cmd *cmd, int argc, char **argv);
/* Whether a diff side names a database: a URL or conninfo (any of ":@/="), or "database". */
bool cli_side_is_database(const char *side);
/*
 * A connection of the caller's own (closed with cli_close_side) to a diff
 * side: "database" is the configured one (--database-url, its file,
 * DATABASE_URL, libpq's PG*), else the side is the URL.  A signal cancels
 * its statement in flight, as it does the run's.  Returns 0, or the exit
 * status after saying why.
 */
int cli_connect_side(struct cli *cli, const char *side, pcsm_db **out);
/* Closes a side's connection (NULL: nothing), no longer seen by the signal handler first. */
void cli_close_side(pcsm_db *db);
/* Runs the database to spec (online) and prints where it ends up. */
int cli_migrate(struct cli *cli, const struct cli_cmd *cmd, enum pcsm_direction direction,
                const char *spec);
/* A revision in full, as history --verbose and show print it. */
void cli_put_verbose(struct cli *cli, const pcsm_revision *rev, bool with_sql);
/*
 * Writes doc (built with jansson; the reference is taken) as one line of
 * JSON, then flushes: every stdout result and stderr log line of
 * --format json goes through here.
 */
void cli_json_put(FILE *out, struct json_t *doc);
/* New JSON arrays: the ids of set; plan's steps as {"revision","direction"}. */
struct json_t *cli_json_ids(const pcsm_revset *set);
struct json_t *cli_json_steps(const pcsm_plan *plan);
/* Prints the heads as `current` does: text lines or one JSON object. */
void cli_print_heads(struct cli *cli, const char *command, const pcsm_revset *heads,
                     const pcsm_plan *applied);
/*
 * A range "FROM:TO" split at its first ':', for history's -r A:B and the
 * FROM:TARGET of --sql.  What an empty end or a second ':' means is each
 * command's rule: history takes an empty end as open and resolves the rest
 * as it is; --sql needs both ends and refuses a second ':'.
 */
struct cli_range {
    char *from;                 /* before the ':' (malloc'd); NULL when there is none */
    const char *to;             /* after it, in the spec; the whole spec when there is none */
};
/* Splits spec; returns whether it holds a ':'.  Free with cli_range_dispose(). */
bool cli_range_split(struct cli_range *out, const char *spec);
void cli_range_dispose(struct cli_range *range);
/* "usage: pcs-migrate <cmd> <args>" on stderr; returns CLI_EXIT_USAGE. */
int cli_usage(const struct cli_cmd *cmd, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* commands */
/* The migrations directory: --dir, else ./migrations when it holds a list, else the source's. */
const char *cli_migrations_dir(struct cli *cli);
/* A scaffolded file's path on stdout (JSON: {"command":...,"path":...}). */
void cli_print_path(struct cli *cli, const struct cli_cmd *cmd, const char *path);
/* cmd_autogen.c: create-migration --autogenerate, and check --from-database. */
int cli_autogenerate(struct cli *cli, const struct cli_cmd *cmd, const char *message);
int cli_check_from_database(struct cli *cli);
int cmd_heads(struct cli *cli, const struct cli_cmd *cmd, int argc, char **argv);
int cmd_import_alembic(struct cli *cli, const struct cli_cmd *cmd, int argc, char **argv);
int cmd_history(struct cli *cli, const struct cli_cmd *cmd, int argc, char **argv);
int cmd_branches(struct cli *cli, const struct cli_cmd *cmd, int argc, char **argv);
int cmd_show(struct cli *cli, const struct cli_cmd *cmd, int argc, char **argv);
int cmd_diff(struct cli *cli, const struct cli_cmd *cmd, int argc, char **argv);
int cmd_schema(struct cli *cli, const struct cli_cmd *cmd, int argc, char **argv);
int cmd_upgrade(struct cli *cli, const struct cli_cmd *cmd, int argc, char **argv);
int cmd_downgrade(struct cli *cli, const struct cli_cmd *cmd, int argc, char **argv);
int cmd_migrate(struct cli *cli, const struct cli_cmd *cmd, int argc, char **argv);
int cmd_rollback(struct cli *cli, const struct cli_cmd *cmd, int argc, char **argv);
int cmd_check(struct cli *cli, const struct cli_cmd *cmd, int argc, char **argv);
int cmd_current(struct cli *cli, const struct cli_cmd *cmd, int argc, char **argv);
int cmd_stamp(struct cli *cli, const struct cli_cmd *cmd, int argc, char **argv);
int cmd_reset(struct cli *cli, const struct cli_cmd *cmd, int argc, char **argv);
int cmd_create_migration(struct cli *cli, const struct cli_cmd *cmd, int argc, char **argv);
int cmd_lint(struct cli *cli, const struct cli_cmd *cmd, int argc, char **argv);
int cmd_merge(struct cli *cli, const struct cli_cmd *cmd, int argc, char **argv);
int cmd_help(struct cli *cli, const struct cli_cmd *cmd, int argc, char **argv);

#endif /* PCSM_CLI_H */
