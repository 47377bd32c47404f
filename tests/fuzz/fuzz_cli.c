/*
 * libFuzzer target: the command line (cli_parse(), then the commands that need
 * no database or file) over the merge fixture, its output captured and checked.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <pcsm/revision.h>

#include "cli.h"
#include "ddl_case.h"
#include "fuzz_check.h"

#define MAX_ARGS 32

/* Every variable the CLI reads; "\x02<k>" picks variables[k % N]. */
static const char *const variables[] = {
    "DATABASE_URL", "PCS_MIGRATE_DATABASE_URL", "PCS_MIGRATE_SCHEMA",
    "PCS_MIGRATE_VERSION_TABLE", "PCS_MIGRATE_HISTORY_TABLE", "PCS_MIGRATE_WAIT",
    "PCS_MIGRATE_LOCK_TIMEOUT", "PCS_MIGRATE_STATEMENT_TIMEOUT",
    "PCS_MIGRATE_DDL_LOCK_TIMEOUT", "PCS_MIGRATE_DDL_RETRIES", "PCS_MIGRATE_FORMAT",
    "PCS_MIGRATE_SQL", "PCS_MIGRATE_TRANSACTION_PER_MIGRATION", "PCS_MIGRATE_ALLOW_AHEAD",
    "PCS_MIGRATE_ACCEPT", "PCS_MIGRATE_YES", "PCS_MIGRATE_MESSAGE", "PCS_MIGRATE_DIR",
    "PCS_MIGRATE_VERBOSE", "PCS_MIGRATE_REV_RANGE", "PCS_MIGRATE_REVISION",
    "PCS_MIGRATE_HELP",
};
#define N_VARIABLES (sizeof(variables) / sizeof(variables[0]))

/* ------------------------------------------------------------ JSON lines */

static const char *json_value(const char *p, int depth);

static const char *json_space(const char *p)
{
    while (*p == ' ' || *p == '\t' || *p == '\r' || *p == '\n')
        p++;
    return p;
}

static const char *json_string(const char *p)
{
    const char *start;
    char *copy;
    bool utf8;

    if (*p++ != '"')
        return NULL;
    start = p;
    while (*p != '"') {
        if ((unsigned char)*p < 0x20)
            return NULL;
        if (*p == '\\') {
            p++;
            if (*p == 'u') {
                int k;

                for (k = 1; k <= 4; k++)
                    if (!strchr("0123456789abcdefABCDEF", p[k]) || !p[k])
                        return NULL;
                p += 4;
            } else if (!*p || !strchr("\"\\/bfnrt", *p)) {
                return NULL;
            }
        }
        p++;
    }
    /* JSON text is UTF-8 (RFC 8259 section 8.1). */
    copy = strndup(start, (size_t)(p - start));
    CHECK(copy != NULL, "out of memory");
    utf8 = case_utf8_ok(copy);
    free(copy);
    return utf8 ? p + 1 : NULL;
}

static const char *json_value(const char *p, int depth)
{
    p = json_space(p);
    if (depth > 16)
        return NULL;
    if (*p == '{' || *p == '[') {
        char close = *p == '{' ? '}' : ']';
        bool object = *p == '{';

        p = json_space(p + 1);
        if (*p == close)
            return p + 1;
        for (;;) {
            if (object) {
                p = json_string(json_space(p));
                if (!p)
                    return NULL;
                p = json_space(p);
                if (*p++ != ':')
                    return NULL;
            }
            p = json_value(p, depth + 1);
            if (!p)
                return NULL;
            p = json_space(p);
            if (*p == close)
                return p + 1;
            if (*p++ != ',')
                return NULL;
        }
    }
    if (*p == '"')
        return json_string(p);
    if (!strncmp(p, "true", 4) || !strncmp(p, "null", 4))
        return p + 4;
    if (!strncmp(p, "false", 5))
        return p + 5;
    if (*p == '-' || (*p >= '0' && *p <= '9')) {
        p += *p == '-';
        if (*p < '0' || *p > '9')
            return NULL;
        while ((*p >= '0' && *p <= '9') || *p == '.' || *p == 'e' || *p == 'E' ||
               *p == '+' || *p == '-')
            p++;
        return p;
    }
    return NULL;
}

/* Every line of text is one JSON object. */
static void check_json_lines(const char *text, const char *what)
{
    char *copy = strdup(text), *save = NULL, *line;

    CHECK(copy != NULL, "out of memory");
    for (line = strtok_r(copy, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
        const char *end = json_value(line, 0);

        CHECK(*line == '{' && end && !*json_space(end), "%s: not a JSON object: [%s]", what,
              line);
    }
    free(copy);
}

/* ------------------------------------------------------------ captures */

struct capture {
    char *out, *err;
    size_t out_len, err_len;
    FILE *out_f, *err_f, *saved_out, *saved_err;
};

static void capture_start(struct capture *c)
{
    memset(c, 0, sizeof(*c));
    c->out_f = open_memstream(&c->out, &c->out_len);
    c->err_f = open_memstream(&c->err, &c->err_len);
    CHECK(c->out_f && c->err_f, "open_memstream");
    c->saved_out = stdout;
    c->saved_err = stderr;
    stdout = c->out_f;
    stderr = c->err_f;
}

static void capture_stop(struct capture *c)
{
    stdout = c->saved_out;
    stderr = c->saved_err;
    fclose(c->out_f);
    fclose(c->err_f);
}

static void capture_free(struct capture *c)
{
    free(c->out);
    free(c->err);
}

/* ------------------------------------------------------------- checks */

extern const pcsm_revision pcsm_registry[];
extern const size_t pcsm_registry_len;

static bool is_one_of(const char *name, const char *const *names)
{
    for (; *names; names++)
        if (!strcmp(name, *names))
            return true;
    return false;
}

/* Runs only what needs neither a database nor the file system. */
static bool safe_offline(const struct cli *cli, const struct cli_cmd *cmd)
{
    static const char *const scripts[] = { "downgrade", "migrate", "rollback", "upgrade", NULL };
    static const char *const views[] = { "heads", "history", "show", NULL };

    if (is_one_of(cmd->name, scripts))
        return cli->sql;
    if (is_one_of(cmd->name, views))
        return !(cli->db_opts.conninfo && *cli->db_opts.conninfo) && !cli->url_file;
    return false;
}

/*
 * A command's usage error about an option names an option: "pcs-migrate
 * CMD: unknown option 'X'", "option 'X' needs a value", "option 'X' does
 * not apply to CMD" (or the same messages in JSON), X starting with '-'.
 */
static void check_option_named(const char *err, const char *cmd)
{
    static const char *const starts[] = { "unknown option '", "option '" };
    char text[128], json[128];
    size_t i;

    snprintf(text, sizeof(text), "pcs-migrate %s: ", cmd);
    snprintf(json, sizeof(json), "{\"level\":\"error\",\"command\":\"%s\",\"message\":\"", cmd);
    for (i = 0; i < 2; i++) {
        const char *head = !strncmp(err, text, strlen(text)) ? err + strlen(text)
                         : !strncmp(err, json, strlen(json)) ? err + strlen(json) : NULL;
        size_t n = strlen(starts[i]);

        if (head && !strncmp(head, starts[i], n))
            CHECK(head[n] == '-', "a usage error names something else as the option: [%s]",
                  err);
    }
}

/*
 * A value that points into argv must read as the argument did.  Except an
 * argument that starts with byte 0x01: cli.c hides relative targets behind
 * that byte while getopt runs, and turns it back into '-' in operands.
 */
static void check_unaltered(const char *value, char **argv, char **orig, int argc)
{
    int i;

    if (!value)
        return;
    for (i = 0; i < argc; i++) {
        size_t len = strlen(orig[i]);

        if (orig[i][0] == '\x01')
            continue;

        if (value >= argv[i] && value <= argv[i] + len) {
            size_t at = (size_t)(value - argv[i]);

            CHECK(!strcmp(value, orig[i] + at), "argument %d came back as [%s], not [%s]", i,
                  value, orig[i] + at);
            return;
        }
    }
}

static void run(int argc, char **argv, char **orig)
{
    struct cli cli = { 0 };
    struct cli_parsed parsed;
    struct capture cap;
    int rc, i;

    capture_start(&cap);
    rc = cli_parse(&cli, argc, argv, pcsm_registry, pcsm_registry_len, &parsed);
    capture_stop(&cap);

    CHECK(rc == CLI_EXIT_OK || rc == CLI_EXIT_USAGE, "cli_parse returned %d", rc);
    if (parsed.cmd)
        CHECK(rc == 0 && cli.ctx && parsed.args, "a command without its context");
    if (rc == CLI_EXIT_USAGE)
        CHECK(cap.err_len > 0, "a usage error that says nothing");
    if (rc == CLI_EXIT_USAGE && cli.json)
        check_json_lines(cap.err, "usage error in JSON mode");
    if (rc == CLI_EXIT_USAGE && parsed.args)     /* the command's parser ran */
        check_option_named(cap.err, parsed.args[0]);
    if (rc == CLI_EXIT_OK && !parsed.cmd)
        CHECK(cap.out_len > 0 && cap.err_len == 0, "help that is not on stdout");
    if (parsed.cmd) {
        CHECK(cli.ctx && cap.err_len == 0, "parsing printed: [%s]", cap.err);
        for (i = 0; i < parsed.argc; i++)
            check_unaltered(parsed.argv[i], argv, orig, argc);
        check_unaltered(cli.message, argv, orig, argc);
        check_unaltered(cli.revision, argv, orig, argc);
        check_unaltered(cli.accept, argv, orig, argc);
        check_unaltered(cli.dir, argv, orig, argc);
        check_unaltered(cli.db_opts.conninfo, argv, orig, argc);
        check_unaltered(cli.url_file, argv, orig, argc);
        check_unaltered(cli.db_opts.script.schema, argv, orig, argc);
        check_unaltered(cli.db_opts.script.version_table, argv, orig, argc);
        check_unaltered(cli.db_opts.script.history_table, argv, orig, argc);
    }
    capture_free(&cap);

    if (parsed.cmd && safe_offline(&cli, parsed.cmd)) {
        capture_start(&cap);
        rc = parsed.cmd->fn(&cli, parsed.cmd, parsed.argc, parsed.argv);
        fflush(stdout);
        capture_stop(&cap);
        CHECK(rc == CLI_EXIT_OK || rc == CLI_EXIT_USAGE || rc == CLI_EXIT_INCONSISTENT,
              "%s returned %d", parsed.cmd->name, rc);
        if (rc != CLI_EXIT_OK)
            CHECK(cap.err_len > 0, "%s failed silently", parsed.cmd->name);
        /* heads, history, show and --sql print text on stdout whatever the format. */
        if (cli.json)
            check_json_lines(cap.err, "stderr in JSON mode");
        capture_free(&cap);
    }
    CHECK(!cli.db, "a database connection was opened");
    free(parsed.args);
    cli_dispose(&cli);
}

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerTestOneInput(const unsigned char *data, size_t size);

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    (void)argc;
    (void)argv;
    setenv("NO_COLOR", "1", 1);
    return 0;
}

/*
 * The input is an argument vector: arguments separated by NUL bytes, except
 * that "\x02<k>VALUE" sets variables[k % N_VARIABLES] to VALUE instead.
 * stdout and stderr are captured and checked: a usage error says something
 * and names options as options, JSON mode writes JSON lines of UTF-8, and no
 * argument comes back altered.
 */
int LLVMFuzzerTestOneInput(const unsigned char *data, size_t size)
{
    char *buf, *p, *end, *argv[MAX_ARGS + 2], *orig[MAX_ARGS + 2];
    int argc = 1, i;
    size_t k;

    if (size > 4096)
        return -1;
    for (k = 0; k < N_VARIABLES; k++)
        unsetenv(variables[k]);
    buf = malloc(size + 1);
    CHECK(buf != NULL, "out of memory");
    memcpy(buf, data, size);
    buf[size] = '\0';
    argv[0] = "pcs-migrate";
    for (p = buf, end = buf + size; p <= end && argc <= MAX_ARGS; p += strlen(p) + 1) {
        if (p == end && p != buf)
            break;
        if (p[0] == '\x02' && p[1]) {
            setenv(variables[(unsigned char)p[1] % N_VARIABLES], p + 2, 1);
            continue;
        }
        argv[argc++] = p;
    }
    argv[argc] = NULL;
    for (i = 0; i < argc; i++) {
        orig[i] = strdup(argv[i]);
        CHECK(orig[i] != NULL, "out of memory");
    }
    run(argc, argv, orig);
    for (i = 0; i < argc; i++)
        free(orig[i]);
    free(buf);
    return 0;
}
