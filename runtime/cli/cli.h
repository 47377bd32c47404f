/*
 * The pcs-migrate command line: a thin layer over libpcsm.  Commands parse
 * their own options and call the library; only this layer prints and picks
 * exit statuses.
 */
#ifndef PCSM_CLI_H
#define PCSM_CLI_H

#include <stdbool.h>
#include <stdio.h>

#include <pcsm/pcsm.h>

/* Exit statuses, documented in --help and README.md. */
enum {
    CLI_EXIT_OK = 0,
    CLI_EXIT_FAILED = 1,        /* a migration failed; rolled back */
    CLI_EXIT_USAGE = 2,         /* usage error, unknown or ambiguous revision */
    CLI_EXIT_UNREACHABLE = 3,   /* database unreachable */
    CLI_EXIT_LOCK = 4,          /* lock not obtained in time */
    CLI_EXIT_INCONSISTENT = 5,  /* database or graph in a state this binary refuses */
    CLI_EXIT_SIGINT = 130,
    CLI_EXIT_SIGTERM = 143,
};

struct cli {
    pcsm_ctx *ctx;              /* owned; built over the linked registry */
    pcsm_script_opts script;    /* schema and table names */
    bool verbose;
    bool sql;                   /* --sql: print the SQL instead of running it */
    const char *revision;       /* rollback --revision, history -r */
};

#define CMD_NEEDS_DB (1u << 0)  /* talks to a live database unless --sql is given */

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

/* The command table, sorted by name (a unit test checks). */
extern const struct cli_cmd cli_cmds[];
extern const size_t cli_cmds_len;

/* The whole program; main() passes the linked registry. */
int cli_main(int argc, char **argv, const pcsm_revision *revs, size_t n_revs);
/* Writes the full --help text. */
void cli_help(FILE *out);

/* Prints "pcs-migrate: <message>" to stderr and returns `status`. */
int cli_error(int status, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* Prints the library's last error (with DETAIL/HINT) and returns the exit status for it. */
int cli_error_lib(struct cli *cli);
/* "usage: pcs-migrate <cmd> <args>" on stderr; returns CLI_EXIT_USAGE. */
int cli_usage(const struct cli_cmd *cmd, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* commands */
int cmd_heads(struct cli *cli, const struct cli_cmd *cmd, int argc, char **argv);
int cmd_history(struct cli *cli, const struct cli_cmd *cmd, int argc, char **argv);
int cmd_show(struct cli *cli, const struct cli_cmd *cmd, int argc, char **argv);
int cmd_upgrade(struct cli *cli, const struct cli_cmd *cmd, int argc, char **argv);
int cmd_downgrade(struct cli *cli, const struct cli_cmd *cmd, int argc, char **argv);
int cmd_migrate(struct cli *cli, const struct cli_cmd *cmd, int argc, char **argv);
int cmd_rollback(struct cli *cli, const struct cli_cmd *cmd, int argc, char **argv);

#endif /* PCSM_CLI_H */
