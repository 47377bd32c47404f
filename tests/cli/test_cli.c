/*
 * The command line as users meet it: the real pcs-migrate binaries (PCS and
 * fixture registries) run with captured output.  No database: these are the
 * commands that need none, and every usage error and exit status they have.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <jansson.h>

#include "cli.h"
#include "support.h"

static struct proc_result r;

/* Runs the binary of registry `bin` with the arguments up to a NULL. */
static void run_env(const char *bin, const char *const env[], ...)
{
    const char *argv[16] = { test_bin(bin) };
    size_t n = 1;
    va_list ap;

    va_start(ap, env);
    while (n < 15 && (argv[n] = va_arg(ap, const char *)))
        n++;
    va_end(ap);
    proc_result_free(&r);
    proc_run(argv, NULL, env, &r);
}

#define RUN(bin, ...) run_env(bin, NULL, __VA_ARGS__, (const char *)NULL)
#define RUN_ENV(bin, env, ...) run_env(bin, env, __VA_ARGS__, (const char *)NULL)

static size_t count(const char *haystack, const char *needle)
{
    size_t n = 0;

    for (; (haystack = strstr(haystack, needle)); haystack++)
        n++;
    return n;
}

static void teardown(void)
{
    proc_result_free(&r);
}

START_TEST(test_cli_table_sorted_and_unique)
{
    size_t i;

    for (i = 1; i < cli_cmds_len; i++)
        ck_assert_msg(strcmp(cli_cmds[i - 1].name, cli_cmds[i].name) < 0,
                      "cli_cmds[] not sorted/unique at %s, %s",
                      cli_cmds[i - 1].name, cli_cmds[i].name);
}
END_TEST

/* The one splitter of history's -r A:B and --sql's FROM:TARGET: at the first ':'. */
START_TEST(test_cli_range_split)
{
    static const struct {
        const char *spec, *from, *to;     /* from NULL: no ':' */
    } cases[] = {
        { "head", NULL, "head" }, { "", NULL, "" }, { "a:b", "a", "b" }, { ":b", "", "b" },
        { "a:", "a", "" }, { ":", "", "" }, { "a:b:c", "a", "b:c" }, { "::", "", ":" },
        { "-1", NULL, "-1" }, { "head:-1", "head", "-1" },
    };
    size_t i;

    for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        struct cli_range range;
        bool colon = cli_range_split(&range, cases[i].spec);

        ck_assert_msg(colon == (cases[i].from != NULL), "%s: colon %d", cases[i].spec, colon);
        if (cases[i].from)
            ck_assert_str_eq(range.from, cases[i].from);
        else
            ck_assert_ptr_null(range.from);
        ck_assert_str_eq(range.to, cases[i].to);
        cli_range_dispose(&range);
        ck_assert_ptr_null(range.from);
    }
}
END_TEST

/* Every command is documented where users look: --help and the README. */
START_TEST(test_cli_every_command_in_help_and_readme)
{
    char path[4096];
    char *readme;
    size_t i;

    snprintf(path, sizeof(path), "%s/README.md", getenv("PCSM_TEST_SOURCE_ROOT"));
    readme = test_read_file(path);
    RUN("pcs", "--help");
    ck_assert_int_eq(r.status, 0);
    for (i = 0; i < cli_cmds_len; i++) {
        char line[64], span[64];

        snprintf(line, sizeof(line), "\n  %s ", cli_cmds[i].name);
        snprintf(span, sizeof(span), "`%s", cli_cmds[i].name);
        ck_assert_msg(strstr(r.out, line), "--help lacks %s", cli_cmds[i].name);
        ck_assert_msg(strstr(readme, span), "README.md lacks `%s`", cli_cmds[i].name);
    }
    /* The exit statuses are part of the help. */
    for (i = 0; i <= CLI_EXIT_DRIFT; i++) {
        char status[16];

        snprintf(status, sizeof(status), "\n  %zu ", i);
        ck_assert_msg(strstr(r.out, status), "--help lacks exit status %zu", i);
    }
    ck_assert_ptr_nonnull(strstr(r.out, "\n  130"));
    ck_assert_ptr_nonnull(strstr(r.out, "\n  143"));
    free(readme);
}
END_TEST

START_TEST(test_cli_version)
{
    RUN("pcs", "--version");
    ck_assert_int_eq(r.status, 0);
    ck_assert_str_eq(r.out, "pcs-migrate " PCSM_VERSION "\n");
}
END_TEST

START_TEST(test_cli_no_command_is_usage_error)
{
    RUN("pcs", (const char *)NULL);
    ck_assert_int_eq(r.status, CLI_EXIT_USAGE);
    ck_assert_str_eq(r.out, "");
    ck_assert_ptr_nonnull(strstr(r.err, "usage: pcs-migrate"));
}
END_TEST

START_TEST(test_cli_unknown_command)
{
    RUN("pcs", "frobnicate");
    ck_assert_int_eq(r.status, CLI_EXIT_USAGE);
    ck_assert_ptr_nonnull(strstr(r.err, "unknown command 'frobnicate'"));
}
END_TEST

START_TEST(test_cli_unknown_option)
{
    RUN("pcs", "history", "--frob");
    ck_assert_int_eq(r.status, CLI_EXIT_USAGE);
    ck_assert_ptr_nonnull(strstr(r.err, "unknown option '--frob'"));
    ck_assert_ptr_nonnull(strstr(r.err, "usage: pcs-migrate history"));

    RUN("pcs", "--frob", "history");
    ck_assert_int_eq(r.status, CLI_EXIT_USAGE);
    ck_assert_ptr_nonnull(strstr(r.err, "unknown option '--frob'; see 'pcs-migrate --help'"));
    /* The one line, not the whole help after it. */
    ck_assert_ptr_eq(strchr(r.err, '\n'), r.err + strlen(r.err) - 1);
}
END_TEST

START_TEST(test_cli_option_needs_value)
{
    RUN("pcs", "history", "-r");
    ck_assert_int_eq(r.status, CLI_EXIT_USAGE);
    ck_assert_ptr_nonnull(strstr(r.err, "needs a value"));
}
END_TEST

START_TEST(test_cli_sql_refused_where_not_offline)
{
    RUN("pcs", "history", "--sql");
    ck_assert_int_eq(r.status, CLI_EXIT_USAGE);
    ck_assert_ptr_nonnull(strstr(r.err, "option '--sql' does not apply to history"));
}
END_TEST

/* A scratch migrations directory holding the PCS revision and its list. */
static char *scratch_dir(void)
{
    char *dir = strdup("/tmp/pcsm-scaffold-XXXXXX"), path[4096];
    char *text;
    FILE *f;

    ck_assert_ptr_nonnull(mkdtemp(dir));
    snprintf(path, sizeof(path), "%s/migrations/9a39eb7fd78f_initial_database_schema.c",
             getenv("PCSM_TEST_SOURCE_ROOT"));
    text = test_read_file(path);
    snprintf(path, sizeof(path), "%s/9a39eb7fd78f_initial_database_schema.c", dir);
    f = fopen(path, "w");
    fputs(text, f);
    fclose(f);
    free(text);
    snprintf(path, sizeof(path), "%s/revisions.txt", dir);
    f = fopen(path, "w");
    fputs("9a39eb7fd78f_initial_database_schema.c\n", f);
    fclose(f);
    return dir;
}

static void remove_dir(char *dir)
{
    char cmd[4200];

    snprintf(cmd, sizeof(cmd), "rm -rf '%s'", dir);
    ck_assert_int_eq(system(cmd), 0);
    free(dir);
}

START_TEST(test_cli_create_migration_scaffolds_after_the_head)
{
    char *dir = scratch_dir(), *text, *list, path[4200], id[13];
    const char *name;

    RUN("pcs", "create-migration", "Add user preferences: table & index!", "--dir", dir);
    ck_assert_msg(r.status == 0, "%s", r.err);
    /* The path: <dir>/<12 hex>_<slug>.c, the slug lowercase, capped, safe. */
    ck_assert(strncmp(r.out, dir, strlen(dir)) == 0);
    name = r.out + strlen(dir) + 1;
    ck_assert_int_eq((int)strspn(name, "0123456789abcdef"), 12);
    ck_assert(strcmp(name + 12, "_add_user_preferences_table_index.c\n") == 0);
    memcpy(id, name, 12);
    id[12] = '\0';
    snprintf(path, sizeof(path), "%.*s", (int)strcspn(r.out, "\n"), r.out);
    text = test_read_file(path);
    ck_assert_ptr_nonnull(strstr(text, " * Add user preferences: table & index!\n"));
    ck_assert_ptr_nonnull(strstr(text, " * Revises: 9a39eb7fd78f\n"));
    ck_assert_ptr_nonnull(strstr(text, "static void upgrade(pcsm_op *op)"));
    {
        char want[64];

        snprintf(want, sizeof(want), " * Revision ID: %s\n", id);
        ck_assert_ptr_nonnull(strstr(text, want));
    }
    /* Listed: two lines, in sorted order (the ids are random). */
    snprintf(path, sizeof(path), "%s/revisions.txt", dir);
    list = test_read_file(path);
    {
        char want[128];

        snprintf(want, sizeof(want), "%s_add_user_preferences_table_index.c\n", id);
        if (strcmp(id, "9a39eb7fd78f") < 0)
            ck_assert_str_eq(list, strcat(want, "9a39eb7fd78f_initial_database_schema.c\n"));
        else
            ck_assert(!strncmp(list, "9a39eb7fd78f_initial_database_schema.c\n", 39) &&
                      !strcmp(list + 39, want));
    }
    free(list);
    free(text);

    /* Path tricks and shell characters end up as a capped, plain slug. */
    {
        char first[13];
        const char *slug;
        size_t len;

        memcpy(first, id, 13);
        RUN("pcs", "create-migration", "../../etc/passwd; rm -rf / && $(x) \xc3\x84 and a "
            "message far longer than forty characters", "--dir", dir);
        ck_assert_int_eq(r.status, 0);
        ck_assert(strncmp(r.out, dir, strlen(dir)) == 0 && r.out[strlen(dir)] == '/');
        name = r.out + strlen(dir) + 1;
        ck_assert_int_eq((int)strspn(name, "0123456789abcdef"), 12);
        ck_assert(strncmp(name, first, 12) != 0);       /* a fresh id */
        slug = name + 13;
        len = strcspn(slug, ".");
        ck_assert_int_le((int)len, 40);
        ck_assert_int_eq((int)strspn(slug, "abcdefghijklmnopqrstuvwxyz0123456789_"), (int)len);
        ck_assert_str_eq(slug + len, ".c\n");
        ck_assert(strncmp(slug, "etc_passwd_rm_rf_x_and_a_message_far_lon", len) == 0);
        snprintf(path, sizeof(path), "%.*s", (int)strcspn(r.out, "\n"), r.out);
        unlink(path);
        /* Take it out of the list again, so the chain below stays linear. */
        snprintf(path, sizeof(path), "%s/revisions.txt", dir);
        list = test_read_file(path);
        {
            char *line = strstr(list, "_etc_passwd");
            FILE *f;

            ck_assert_ptr_nonnull(line);
            while (line > list && line[-1] != '\n')
                line--;
            memmove(line, line + strcspn(line, "\n") + 1, strlen(line + strcspn(line, "\n")));
            f = fopen(path, "w");
            fputs(list, f);
            fclose(f);
        }
        free(list);
    }

    /* The next one revises the new head; `revision -m` is the same command. */
    RUN("pcs", "revision", "-m", "second", "--dir", dir);
    ck_assert_int_eq(r.status, 0);
    snprintf(path, sizeof(path), "%.*s", (int)strcspn(r.out, "\n"), r.out);
    text = test_read_file(path);
    {
        char want[64];

        snprintf(want, sizeof(want), " * Revises: %s\n", id);
        ck_assert_ptr_nonnull(strstr(text, want));
    }
    free(text);
    remove_dir(dir);
}
END_TEST

/*
 * An operand that begins with the byte the option parser uses to hide the
 * '-' of relative targets keeps that byte: it does not become a '-'.
 */
START_TEST(test_cli_operand_starting_with_the_marker_byte)
{
    char *dir = scratch_dir(), *text, path[4200];

    RUN("pcs", "create-migration", "\x01" "abc", "--dir", dir);
    ck_assert_msg(r.status == 0, "%s", r.err);
    snprintf(path, sizeof(path), "%.*s", (int)strcspn(r.out, "\n"), r.out);
    text = test_read_file(path);
    ck_assert_msg(strstr(text, "-abc") == NULL && strstr(text, "- abc") == NULL, "%s", text);
    ck_assert_ptr_nonnull(strstr(text, "abc\n"));
    free(text);
    free(dir);
}
END_TEST

START_TEST(test_cli_scaffold_errors)
{
    char *dir = scratch_dir(), *before, *after, path[4200];

    snprintf(path, sizeof(path), "%s/revisions.txt", dir);
    before = test_read_file(path);
    RUN("pcs", "create-migration", "--dir", dir);
    ck_assert_int_eq(r.status, CLI_EXIT_USAGE);
    ck_assert_ptr_nonnull(strstr(r.err, "message is missing"));
    RUN("pcs", "create-migration", " \t\r\n ", "--dir", dir);
    ck_assert_int_eq(r.status, CLI_EXIT_USAGE);
    ck_assert_ptr_nonnull(strstr(r.err, "the message is blank"));
    RUN("pcs", "revision", "-m", "", "--dir", dir);
    ck_assert_int_eq(r.status, CLI_EXIT_USAGE);
    ck_assert_ptr_nonnull(strstr(r.err, "the message is blank"));
    RUN("pcs", "create-migration", "caf\xe9", "--dir", dir);
    ck_assert_int_eq(r.status, CLI_EXIT_USAGE);
    ck_assert_ptr_nonnull(strstr(r.err, "the message is not valid UTF-8"));
    RUN("pcs", "create-migration", "x", "--dir", "/nonexistent/pcsm");
    ck_assert_int_eq(r.status, CLI_EXIT_USAGE);
    ck_assert_ptr_nonnull(strstr(r.err, "cannot open the migrations directory"));
    RUN("pcs", "merge", "-m", "join", "9a39eb7fd78f", "--dir", dir);
    ck_assert_int_eq(r.status, CLI_EXIT_USAGE);
    ck_assert_ptr_nonnull(strstr(r.err, "at least two"));
    after = test_read_file(path);
    ck_assert_str_eq(after, before);
    free(after);

    /* Without a list to join, nothing is left behind, and the error says what to create. */
    ck_assert_int_eq(unlink(path), 0);
    RUN("pcs", "create-migration", "orphan", "--dir", dir);
    ck_assert_int_eq(r.status, CLI_EXIT_USAGE);
    ck_assert_ptr_nonnull(strstr(r.err, "revisions.txt is missing: a migrations directory "
                                 "lists its revision files there"));
    ck_assert_ptr_nonnull(strstr(r.err, "&& ls *.c > revisions.txt)"));
    {
        char cmd[4300];

        snprintf(cmd, sizeof(cmd), "test $(ls -A '%s' | wc -l) -eq 1", dir);
        ck_assert_int_eq(system(cmd), 0);
    }
    free(before);
    remove_dir(dir);
}
END_TEST

/* Two heads: create-migration refuses and names the merge; merge joins them. */
START_TEST(test_cli_two_heads_and_merge)
{
    char *dir = scratch_dir(), *text, path[4200], a[13], b[13];

    RUN("pcs", "create-migration", "branch a", "--dir", dir);
    ck_assert_int_eq(r.status, 0);
    memcpy(a, r.out + strlen(dir) + 1, 12);
    a[12] = '\0';
    /* A second revision of 9a39: what a git merge of two branches gives. */
    snprintf(path, sizeof(path), "%.*s", (int)strcspn(r.out, "\n"), r.out);
    text = test_read_file(path);
    {
        FILE *f;
        char copy[4300], *p = strstr(text, a);

        memcpy(b, "bbbbbbbbbbbb", 13);
        memcpy(p, b, 12);
        snprintf(copy, sizeof(copy), "%s/%s_branch_b.c", dir, b);
        f = fopen(copy, "w");
        fputs(text, f);
        fclose(f);
    }
    free(text);
    RUN("pcs", "create-migration", "after both", "--dir", dir);
    ck_assert_int_eq(r.status, CLI_EXIT_INCONSISTENT);
    ck_assert_ptr_nonnull(strstr(r.err, "has 2 heads"));
    ck_assert_ptr_nonnull(strstr(r.err, "pcs-migrate merge -m"));
    RUN("pcs", "merge", "-m", "join branches", a, "bbbb", "--dir", dir);
    ck_assert_msg(r.status == 0, "%s", r.err);
    snprintf(path, sizeof(path), "%.*s", (int)strcspn(r.out, "\n"), r.out);
    text = test_read_file(path);
    {
        char want[80];

        snprintf(want, sizeof(want), " * Revises: %s, %s\n", a, b);
        ck_assert_ptr_nonnull(strstr(text, want));
    }
    free(text);
    RUN("pcs", "merge", "-m", "again", "9a39eb7fd78f", a, "--dir", dir);
    ck_assert_int_eq(r.status, CLI_EXIT_USAGE);
    ck_assert_ptr_nonnull(strstr(r.err, "is not a head"));
    remove_dir(dir);
}
END_TEST

/* Option values are checked before any connection is tried. */
START_TEST(test_cli_bad_option_values)
{
    static const char *const bad_env[] = { "PCS_MIGRATE_WAIT=soon", NULL };
    static const struct {
        const char *option, *value, *message;
    } cases[] = {
        { "--wait", "abc", "--wait takes a number of seconds, not 'abc'" },
        { "--wait", "-1", "--wait takes a number of seconds, not '-1'" },
        { "--lock-timeout", "1x", "--lock-timeout takes a number of seconds, not '1x'" },
        { "--statement-timeout", "", "--statement-timeout takes a number of seconds" },
        { "--ddl-lock-timeout", "nan", "--ddl-lock-timeout takes a number of seconds" },
        { "--ddl-retries", "1.5", "--ddl-retries takes a whole number up to 100" },
        { "--ddl-retries", "1000", "--ddl-retries takes a whole number up to 100" },
        { "--format", "xml", "--format takes text or json, not 'xml'" },
    };
    size_t i;

    for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        RUN("linear", "migrate", cases[i].option, cases[i].value);
        ck_assert_int_eq(r.status, CLI_EXIT_USAGE);
        ck_assert_msg(strstr(r.err, cases[i].message), "%s %s: %s", cases[i].option,
                      cases[i].value, r.err);
        ck_assert_ptr_null(strstr(r.err, "connected"));
    }
    RUN_ENV("linear", bad_env, "migrate");
    ck_assert_int_eq(r.status, CLI_EXIT_USAGE);
    ck_assert_ptr_nonnull(strstr(r.err, "--wait takes a number of seconds, not 'soon'"));

    /* No environment confirms a reset: --yes is for the command line only. */
    {
        static const char *const yes_env[] = { "PCS_MIGRATE_YES=1", NULL };

        RUN_ENV("linear", yes_env, "reset");
        ck_assert_int_eq(r.status, CLI_EXIT_USAGE);
        ck_assert_ptr_nonnull(strstr(r.err, "say --yes"));
        ck_assert_ptr_null(strstr(r.err, "connected"));
    }

    /* Options of the live commands do not apply offline-only ones. */
    RUN("linear", "show", "head", "--yes");
    ck_assert_int_eq(r.status, CLI_EXIT_USAGE);
    ck_assert_ptr_nonnull(strstr(r.err, "does not apply to show"));
}
END_TEST

/* Options before the command are moved behind it. */
START_TEST(test_cli_options_before_the_command)
{
    RUN("linear", "--schema", "early", "upgrade", "--sql");
    ck_assert_int_eq(r.status, 0);
    ck_assert_ptr_nonnull(strstr(r.out, "SET search_path TO \"early\";"));
    RUN("linear", "--schema=eq", "--format", "text", "migrate", "--sql");
    ck_assert_int_eq(r.status, 0);
    ck_assert_ptr_nonnull(strstr(r.out, "SET search_path TO \"eq\";"));
    RUN("linear", "--format", "json", "--frob", "migrate");
    ck_assert_int_eq(r.status, CLI_EXIT_USAGE);
    ck_assert_ptr_nonnull(strstr(r.err, "unknown option '--frob'"));
}
END_TEST

/* JSON lines stay UTF-8 when an argument is not (found by tests/fuzz/fuzz_cli.c). */
START_TEST(test_cli_json_replaces_invalid_utf8)
{
    RUN("linear", "--format", "json", "upgrade", "--sql", "base:a1\xff\xc3\xa9");
    ck_assert_int_eq(r.status, CLI_EXIT_USAGE);
    ck_assert_msg(strstr(r.err, "'a1\xef\xbf\xbd\xc3\xa9'") && !strchr(r.err, '\xff'),
                  "stderr: %s", r.err);
}
END_TEST

/*
 * Usage errors name the option, not a neighbouring argument, and a relative
 * target stays itself wherever getopt takes it (found by tests/fuzz/fuzz_cli.c).
 */
START_TEST(test_cli_usage_errors_name_the_option)
{
    char *full;

    RUN("linear", "history", "-Zv");
    ck_assert_int_eq(r.status, CLI_EXIT_USAGE);
    ck_assert_msg(strstr(r.err, "unknown option '-Z'"), "stderr: %s", r.err);
    RUN("linear", "show", "--accept", "a1", "head");
    ck_assert_int_eq(r.status, CLI_EXIT_USAGE);
    ck_assert_msg(strstr(r.err, "option '--accept' does not apply to show"), "stderr: %s", r.err);
    RUN("linear", "show", "head", "-vm", "x");
    ck_assert_int_eq(r.status, CLI_EXIT_USAGE);
    ck_assert_msg(strstr(r.err, "option '--verbose' does not apply to show"), "stderr: %s",
                  r.err);

    /* "--revi" abbreviates --revision, "-vr" ends in -r: "-1" is their value. */
    RUN("linear", "rollback", "--sql", "--revision", "-1");
    ck_assert_int_eq(r.status, 0);
    full = strdup(r.out);
    RUN("linear", "rollback", "--sql", "--revi", "-1");
    ck_assert_msg(r.status == 0, "stderr: %s", r.err);
    ck_assert_str_eq(r.out, full);
    free(full);
    RUN("linear", "history", "-vr", "-1");
    ck_assert_int_eq(r.status, CLI_EXIT_USAGE);
    ck_assert_msg(strstr(r.err, "not '-1'"), "stderr: %s", r.err);
}
END_TEST

/* A malformed URL is refused before connecting, and never repeated. */
START_TEST(test_cli_malformed_url_not_echoed)
{
    RUN("linear", "current", "--database-url", "postgresql://u:Hunter2Secret@[::1");
    ck_assert_int_eq(r.status, CLI_EXIT_USAGE);
    ck_assert_ptr_nonnull(strstr(r.err, "malformed"));
    ck_assert_ptr_null(strstr(r.err, "Hunter2Secret"));
    ck_assert_ptr_null(strstr(r.out, "Hunter2Secret"));
}
END_TEST

START_TEST(test_cli_unknown_target_names_input)
{
    RUN("linear", "upgrade", "--sql", "bogus");
    ck_assert_int_eq(r.status, CLI_EXIT_USAGE);
    ck_assert_ptr_nonnull(strstr(r.err, "'bogus'"));
    ck_assert_str_eq(r.out, "");

    RUN("linear", "upgrade", "--sql", "head+x");
    ck_assert_int_eq(r.status, CLI_EXIT_USAGE);
    ck_assert_ptr_nonnull(strstr(r.err, "head+x"));
}
END_TEST

/* A file of the test's own with `text` in it; its path (static, one at a time). */
static const char *temp_file(const char *text)
{
    static char path[64];
    FILE *f;
    int fd;

    if (*path)
        unlink(path);
    snprintf(path, sizeof(path), "/tmp/pcsm-test-cli-XXXXXX");
    fd = mkstemp(path);
    ck_assert_int_ge(fd, 0);
    f = fdopen(fd, "w");
    ck_assert_ptr_nonnull(f);
    fputs(text, f);
    fclose(f);
    return path;
}

/* The fleet's options: what needs a list, what a list cannot take, bad lists. */
START_TEST(test_cli_fleet_usage_errors)
{
    static const char *const jobs_env[] = { "PCS_MIGRATE_JOBS=2", NULL };
    const char *empty = NULL, *file;

    RUN("linear", "migrate", "--jobs", "2");
    ck_assert_int_eq(r.status, CLI_EXIT_USAGE);
    ck_assert_msg(strstr(r.err, "run over a fleet: give --targets"), "stderr: %s", r.err);
    /* From the environment it waits for a list, and a single run goes on. */
    RUN_ENV("linear", jobs_env, "upgrade", "--sql");
    ck_assert_msg(r.status == 0, "stderr: %s", r.err);
    RUN("linear", "schema", "--targets", "x");
    ck_assert_int_eq(r.status, CLI_EXIT_USAGE);
    ck_assert_msg(strstr(r.err, "'--targets' does not apply to schema"), "stderr: %s", r.err);
    RUN("linear", "migrate", "--targets", "x", "--schemas-like", "t%");
    ck_assert_int_eq(r.status, CLI_EXIT_USAGE);
    ck_assert_msg(strstr(r.err, "--targets, --targets-query and --schemas-like: give one"),
                  "stderr: %s", r.err);
    RUN("linear", "migrate", "--targets", "x", "--sql");
    ck_assert_int_eq(r.status, CLI_EXIT_USAGE);
    ck_assert_msg(strstr(r.err, "it takes no list of targets"), "stderr: %s", r.err);
    RUN("linear", "migrate", "--targets", "x", "--jobs", "0");
    ck_assert_int_eq(r.status, CLI_EXIT_USAGE);
    ck_assert_msg(strstr(r.err, "--jobs takes a whole number from 1 to 256, not '0'"),
                  "stderr: %s", r.err);
    RUN("linear", "migrate", "--targets", "x", "--shard", "3/3");
    ck_assert_int_eq(r.status, CLI_EXIT_USAGE);
    ck_assert_msg(strstr(r.err, "--shard: shard '3/3': I must be less than N"), "stderr: %s",
                  r.err);
    RUN("linear", "migrate", "--targets", "/nonexistent/targets");
    ck_assert_int_eq(r.status, CLI_EXIT_USAGE);
    ck_assert_msg(strstr(r.err, "cannot read the targets file /nonexistent/targets"),
                  "stderr: %s", r.err);
    /* The revision is judged once, before the list is even read. */
    RUN("linear", "upgrade", "bogus", "--targets", "/nonexistent/targets");
    ck_assert_int_eq(r.status, CLI_EXIT_USAGE);
    ck_assert_msg(strstr(r.err, "'bogus'") && !strstr(r.err, "targets file"), "stderr: %s",
                  r.err);
    RUN("linear", "downgrade", "--targets", "/nonexistent/targets");
    ck_assert_int_eq(r.status, CLI_EXIT_USAGE);
    ck_assert_msg(strstr(r.err, "the target revision is missing"), "stderr: %s", r.err);

    file = temp_file("host=127.0.0.1 dbname=a\n--verbose postgresql://u:Hunter2pw@h/db\n");
    RUN("linear", "migrate", "--targets", file);
    ck_assert_int_eq(r.status, CLI_EXIT_USAGE);
    ck_assert_msg(strstr(r.err, ":2: expected a database URL") && !strstr(r.err, "Hunter2pw"),
                  "stderr: %s", r.err);

    empty = temp_file("# no tenants yet\n");
    RUN("linear", "--format", "json", "migrate", "--targets", empty);
    ck_assert_msg(r.status == 0, "stderr: %s", r.err);
    ck_assert_str_eq(r.out, "{\"fleet\":{\"command\":\"migrate\",\"targets\":0,\"ok\":0,"
                            "\"failed\":0,\"interrupted\":0,\"not_started\":0,\"exit\":0}}\n");
    ck_assert_msg(strstr(r.err, "no targets"), "stderr: %s", r.err);
    unlink(empty);

    /* A list that is not one: a directory, a file past 16 MiB (sparse: no disk). */
    RUN("linear", "migrate", "--targets", "/");
    ck_assert_int_eq(r.status, CLI_EXIT_USAGE);
    ck_assert_msg(strstr(r.err, "cannot read the targets file /: Is a directory"), "stderr: %s",
                  r.err);
    file = temp_file("");
    ck_assert_int_eq(truncate(file, (16 << 20) + 1), 0);
    RUN("linear", "migrate", "--targets", file);
    ck_assert_int_eq(r.status, CLI_EXIT_USAGE);
    ck_assert_msg(strstr(r.err, "is larger than 16777216 bytes"), "stderr: %s", r.err);
    unlink(file);
    /* The control database of --targets-query, unreachable: exit 3 before any target. */
    RUN("linear", "current", "--database-url", "host=127.0.0.1 port=1",
        "--targets-query", "SELECT 'dbname=x'");
    ck_assert_int_eq(r.status, CLI_EXIT_UNREACHABLE);
    ck_assert_ptr_null(strstr(r.err, "fleet:"));
}
END_TEST

/*
 * A fleet of servers that are not there: each target fails as a single run
 * would (exit 3), the list is reported by label, never with its password.
 */
START_TEST(test_cli_fleet_unreachable_targets)
{
    const char *file = temp_file("postgresql://u:Hunter2pw@127.0.0.1:1/one?connect_timeout=5\n"
                                 "host=127.0.0.1 port=1 dbname=two password=Hunter2pw\n");

    RUN("linear", "current", "--targets", file, "--jobs", "2");
    ck_assert_int_eq(r.status, CLI_EXIT_UNREACHABLE);
    ck_assert_msg(strstr(r.err, "fleet: current on 2 targets: 0 ok, 2 failed"), "stderr: %s",
                  r.err);
    ck_assert_msg(strstr(r.err, "failed (exit 3): 127.0.0.1:1/one: cannot connect"),
                  "stderr: %s", r.err);
    ck_assert_msg(strstr(r.err, "failed (exit 3): 127.0.0.1:1/two: cannot connect"),
                  "stderr: %s", r.err);
    ck_assert_ptr_null(strstr(r.err, "Hunter2pw"));
    ck_assert_ptr_null(strstr(r.out, "Hunter2pw"));

    RUN("linear", "--format", "json", "migrate", "--targets", file, "--jobs", "1");
    ck_assert_int_eq(r.status, CLI_EXIT_UNREACHABLE);
    /* The first failure stops the starting: the second never ran. */
    ck_assert_msg(strstr(r.out, "{\"target\":\"127.0.0.1:1/one\",\"index\":0,\"state\":\"done\","
                                "\"exit\":3,"), "stdout: %s", r.out);
    ck_assert_msg(strstr(r.out, "{\"target\":\"127.0.0.1:1/two\",\"index\":1,"
                                "\"state\":\"not_started\",\"exit\":null,\"seconds\":null,"
                                "\"result\":null,\"error\":null}\n"), "stdout: %s", r.out);
    ck_assert_msg(strstr(r.out, "\"targets\":2,\"ok\":0,\"failed\":1,\"interrupted\":0,"
                                "\"not_started\":1,\"exit\":3}}\n"), "stdout: %s", r.out);
    ck_assert_msg(strstr(r.err, "{\"target\":\"127.0.0.1:1/one\",\"level\":\"error\""),
                  "stderr: %s", r.err);
    ck_assert_ptr_null(strstr(r.err, "Hunter2pw"));
    unlink(file);
}
END_TEST

/* The graph alone judges a revision id: refused before any connection is tried. */
START_TEST(test_cli_unknown_target_before_connecting)
{
    RUN("linear", "upgrade", "bogus", "--database-url", "host=127.0.0.1 port=1");
    ck_assert_int_eq(r.status, CLI_EXIT_USAGE);
    ck_assert_msg(strstr(r.err, "'bogus'") && !strstr(r.err, "connect"), "stderr: %s", r.err);
    RUN("linear", "stamp", "bogus", "--database-url", "host=127.0.0.1 port=1");
    ck_assert_int_eq(r.status, CLI_EXIT_USAGE);
    ck_assert_msg(strstr(r.err, "'bogus'") && !strstr(r.err, "connect"), "stderr: %s", r.err);
    /* Relative steps count from the database: only it can judge them. */
    RUN("linear", "upgrade", "+1", "--database-url", "host=127.0.0.1 port=1");
    ck_assert_int_eq(r.status, CLI_EXIT_UNREACHABLE);
}
END_TEST

START_TEST(test_cli_schema_offline)
{
    /* No database: the model of the revisions, at the head or at any target. */
    RUN("linear", "schema");
    ck_assert_int_eq(r.status, 0);
    ck_assert_ptr_nonnull(strstr(r.out, "declare at a10000000005,"));
    ck_assert_ptr_nonnull(strstr(r.out, "CREATE TABLE \"audit_log\""));
    ck_assert_str_eq(r.err, "");

    RUN("linear", "schema", "a10000000002");
    ck_assert_int_eq(r.status, 0);
    ck_assert_ptr_nonnull(strstr(r.out, "CREATE TABLE \"projects\""));
    ck_assert_ptr_null(strstr(r.out, "audit_log"));

    RUN("linear", "schema", "base");
    ck_assert_int_eq(r.status, 0);
    ck_assert_ptr_null(strstr(r.out, "CREATE"));

    RUN("linear", "schema", "bogus");
    ck_assert_int_eq(r.status, CLI_EXIT_USAGE);
    ck_assert_ptr_nonnull(strstr(r.err, "'bogus'"));
    ck_assert_str_eq(r.out, "");

    RUN("linear", "schema", "head", "base");
    ck_assert_int_eq(r.status, CLI_EXIT_USAGE);
    ck_assert_ptr_nonnull(strstr(r.err, "expected at most one revision, not 'base'"));

    /* Raw SQL is listed, and counted on stderr. */
    RUN("data", "schema");
    ck_assert_int_eq(r.status, 0);
    ck_assert_ptr_nonnull(strstr(r.out, "-- not in this model: revision "));
    ck_assert_ptr_nonnull(strstr(r.err, "1 raw-SQL operation(s) are not in this schema"));
}
END_TEST

START_TEST(test_cli_diff_offline)
{
    /* Equal: nothing printed, exit 0; any target names a side. */
    RUN("linear", "diff", "--from", "head", "--to", "a10000000005");
    ck_assert_int_eq(r.status, 0);
    ck_assert_str_eq(r.out, "");
    ck_assert_str_eq(r.err, "");
    RUN("linear", "diff", "--from", "base", "--to", "base");    /* two empty models */
    ck_assert_int_eq(r.status, 0);
    ck_assert_str_eq(r.out, "");
    ck_assert_str_eq(r.err, "");

    RUN("linear", "diff", "--from", "a10000000002", "--to", "head");
    ck_assert_int_eq(r.status, CLI_EXIT_DRIFT);
    ck_assert_str_eq(r.out, "extra    table audit_log\n"
                            "extra    table project_tags\n"
                            "extra    table tags\n");
    ck_assert_str_eq(r.err, "");

    /* base, a prefix, head-N; options before the command, --to=. */
    RUN("linear", "--format", "json", "diff", "--from", "head-1", "--to=a1000000000");
    ck_assert_int_eq(r.status, CLI_EXIT_USAGE);
    ck_assert_ptr_nonnull(strstr(r.err, "\"level\":\"error\""));
    ck_assert_ptr_nonnull(strstr(r.err, "ambiguous"));
    RUN("linear", "--format", "json", "diff", "--from", "head-1", "--to=base");
    ck_assert_int_eq(r.status, CLI_EXIT_DRIFT);
    ck_assert_str_eq(r.out,
        "{\"change\":\"missing\",\"object\":\"table\",\"path\":\"accounts\",\"attribute\":null,"
        "\"from\":null,\"to\":null,\"verified\":true}\n"
        "{\"change\":\"missing\",\"object\":\"table\",\"path\":\"project_tags\",\"attribute\":null,"
        "\"from\":null,\"to\":null,\"verified\":true}\n"
        "{\"change\":\"missing\",\"object\":\"table\",\"path\":\"projects\",\"attribute\":null,"
        "\"from\":null,\"to\":null,\"verified\":true}\n"
        "{\"change\":\"missing\",\"object\":\"table\",\"path\":\"tags\",\"attribute\":null,"
        "\"from\":null,\"to\":null,\"verified\":true}\n");

    /* Raw SQL is listed apart, counted on stderr, and is no difference. */
    RUN("data", "diff", "--from", "head", "--to", "head");
    ck_assert_int_eq(r.status, 0);
    ck_assert_str_eq(r.out, "");
    RUN("data", "diff", "--from", "head", "--to", "base");
    ck_assert_int_eq(r.status, CLI_EXIT_DRIFT);
    ck_assert_ptr_nonnull(strstr(r.out, "missing  table items\nunverified  from: revision "));
    ck_assert_ptr_nonnull(strstr(r.err, "1 raw-SQL operation(s) not compared"));
    RUN("data", "--format", "json", "diff", "--from", "head", "--to", "base");
    ck_assert_ptr_nonnull(strstr(r.out, "\n{\"change\":\"unverified\",\"side\":\"from\","
                                        "\"revision\":\""));
    ck_assert_ptr_nonnull(strstr(r.err, "{\"level\":\"warning\""));

    /* Usage: both sides are needed, and nothing else. */
    RUN("linear", "diff", "--from", "head");
    ck_assert_int_eq(r.status, CLI_EXIT_USAGE);
    ck_assert_ptr_nonnull(strstr(r.err, "--to is missing"));
    ck_assert_ptr_nonnull(strstr(r.err, "usage: pcs-migrate diff --from REV|URL|database "
                                        "--to REV|URL|database"));
    RUN("linear", "diff", "--to", "head");
    ck_assert_int_eq(r.status, CLI_EXIT_USAGE);
    ck_assert_ptr_nonnull(strstr(r.err, "--from is missing"));
    RUN("linear", "diff", "head", "base");
    ck_assert_int_eq(r.status, CLI_EXIT_USAGE);
    RUN("linear", "diff", "--from", "head", "--to", "base", "extra");
    ck_assert_int_eq(r.status, CLI_EXIT_USAGE);
    ck_assert_ptr_nonnull(strstr(r.err, "'extra'"));
    RUN("linear", "diff", "--from", "head", "--to");
    ck_assert_int_eq(r.status, CLI_EXIT_USAGE);
    ck_assert_ptr_nonnull(strstr(r.err, "needs a value"));
    RUN("linear", "history", "--from", "head");
    ck_assert_int_eq(r.status, CLI_EXIT_USAGE);
    ck_assert_ptr_nonnull(strstr(r.err, "does not apply to history"));

    /* An unknown revision on either side: exit 2, named, nothing on stdout. */
    RUN("linear", "diff", "--from", "bogus", "--to", "head");
    ck_assert_int_eq(r.status, CLI_EXIT_USAGE);
    ck_assert_ptr_nonnull(strstr(r.err, "'bogus'"));
    ck_assert_str_eq(r.out, "");
    RUN("linear", "diff", "--from", "head", "--to", "ffffffffffff");
    ck_assert_int_eq(r.status, CLI_EXIT_USAGE);
    ck_assert_ptr_nonnull(strstr(r.err, "'ffffffffffff'"));
}
END_TEST

/*
 * A database side that cannot be reached: exit 3, the server named and the
 * password not; one that libpq would refuse: exit 2, naming the keyword.
 */
START_TEST(test_cli_diff_database_side_errors)
{
    int fd, port = test_closed_port(&fd);
    char url[128], conninfo[128];

    snprintf(url, sizeof(url), "postgresql://someone:hunter2@127.0.0.1:%d/nowhere", port);
    snprintf(conninfo, sizeof(conninfo), "host=127.0.0.1 port=%d password=hunter2", port);
    RUN("linear", "diff", "--from", "head", "--to", url);
    ck_assert_int_eq(r.status, CLI_EXIT_UNREACHABLE);
    ck_assert_ptr_nonnull(strstr(r.err, "127.0.0.1"));
    ck_assert_ptr_null(strstr(r.err, "hunter2"));
    ck_assert_str_eq(r.out, "");
    RUN("linear", "--format", "json", "diff", "--from", conninfo, "--to", "head");
    ck_assert_int_eq(r.status, CLI_EXIT_UNREACHABLE);
    ck_assert_ptr_nonnull(strstr(r.err, "{\"level\":\"error\""));
    ck_assert_ptr_null(strstr(r.err, "hunter2"));
    RUN("linear", "diff", "--from", "head", "--to", "sslmode=bogus password=hunter2");
    ck_assert_int_eq(r.status, CLI_EXIT_USAGE);
    ck_assert_ptr_nonnull(strstr(r.err, "sslmode"));
    ck_assert_ptr_null(strstr(r.err, "hunter2"));
    /* A URL libpq does not take (SQLAlchemy's, a typo) is still a URL: never echoed. */
    RUN("linear", "diff", "--from", "head", "--to", "postgresql+psycopg2://app:hunter2@db/app");
    ck_assert_int_eq(r.status, CLI_EXIT_USAGE);
    ck_assert_ptr_nonnull(strstr(r.err, "malformed (not shown"));
    ck_assert_ptr_null(strstr(r.err, "hunter2"));
    RUN("linear", "--format", "json", "diff", "--from", "postgres:/app:hunter2@db", "--to",
        "head");
    ck_assert_int_eq(r.status, CLI_EXIT_USAGE);
    ck_assert_ptr_null(strstr(r.err, "hunter2"));
    /* "database" is the configured connection: here libpq's PG*, pointed at nothing. */
    {
        char port_env[32];
        const char *env[] = { "PGHOST=127.0.0.1", port_env, "DATABASE_URL",
                              "PCS_MIGRATE_DATABASE_URL", NULL };

        snprintf(port_env, sizeof(port_env), "PGPORT=%d", port);
        RUN_ENV("linear", env, "diff", "--from", "database", "--to", "head");
        ck_assert_int_eq(r.status, CLI_EXIT_UNREACHABLE);
        ck_assert_ptr_nonnull(strstr(r.err, "127.0.0.1"));
    }
    close(fd);
}
END_TEST

/* The sides from the environment, as every option may be given. */
START_TEST(test_cli_diff_sides_from_environment)
{
    static const char *const env[] = { "PCS_MIGRATE_FROM=base", "PCS_MIGRATE_TO=a10000000001",
                                       NULL };

    RUN_ENV("linear", env, "diff");
    ck_assert_int_eq(r.status, CLI_EXIT_DRIFT);
    ck_assert_str_eq(r.out, "extra    table accounts\n");
    RUN_ENV("linear", env, "diff", "--to", "base");
    ck_assert_int_eq(r.status, 0);
}
END_TEST

/*
 * The PCS revision runs in production databases whose history holds the
 * SHA-256 of its upgrade SQL: moving it from raw SQL to API calls (issue
 * 10) must not change a byte of either direction.  The checksum below is
 * the raw-SQL revision's.
 */
START_TEST(test_cli_pcs_revision_sql_is_pinned)
{
    RUN("pcs", "show", "9a39eb7fd78f");
    ck_assert_int_eq(r.status, 0);
    ck_assert_ptr_nonnull(strstr(r.out, "Upgrade SQL SHA-256: "
                                 "813f45703d27eac23406c803d3e170ce1cc5fdce94dfa9fa17b0e2993a5e0a50\n"));
    RUN("pcs", "downgrade", "--sql", "9a39eb7fd78f:base");
    ck_assert_int_eq(r.status, 0);
    ck_assert_ptr_nonnull(strstr(r.out, "\nDROP TABLE \"prompts\";\n"
                                        "DROP TABLE \"conversations\";\n"
                                        "DROP TABLE \"contexts\";\n"
                                        "DROP FUNCTION \"pcs_set_updated_at\"();\n"));
    /* And the model now knows all of it. */
    RUN("pcs", "schema");
    ck_assert_int_eq(r.status, 0);
    ck_assert_ptr_null(strstr(r.out, "not in this model"));
    ck_assert_ptr_nonnull(strstr(r.out, "CREATE TRIGGER \"prompts_set_updated_at\""));
    ck_assert_str_eq(r.err, "");
}
END_TEST

START_TEST(test_cli_ambiguous_prefix_lists_candidates)
{
    const char *first, *second;

    /* Every linear fixture id shares its first character with the others. */
    RUN("linear", "history");
    ck_assert_int_eq(r.status, 0);
    first = strstr(r.out, "-> ");
    ck_assert_ptr_nonnull(first);
    {
        char prefix[2] = { first[3], '\0' };
        char head[16] = { 0 };

        memcpy(head, first + 3, 12);
        RUN("linear", "show", prefix);
        ck_assert_int_eq(r.status, CLI_EXIT_USAGE);
        ck_assert_ptr_nonnull(strstr(r.err, "ambiguous"));
        second = strstr(r.err, head);
        ck_assert_msg(second != NULL, "candidates not listed: %s", r.err);
    }
}
END_TEST

START_TEST(test_cli_downgrade_sql_needs_from)
{
    RUN("linear", "downgrade", "--sql", "base");
    ck_assert_int_eq(r.status, CLI_EXIT_USAGE);
    ck_assert_ptr_nonnull(strstr(r.err, "FROM:TARGET"));

    RUN("linear", "downgrade", "--sql");
    ck_assert_int_eq(r.status, CLI_EXIT_USAGE);
    ck_assert_ptr_nonnull(strstr(r.err, "target revision is missing"));

    RUN("linear", "upgrade", "--sql", "base:head:x");
    ck_assert_int_eq(r.status, CLI_EXIT_USAGE);
    ck_assert_ptr_nonnull(strstr(r.err, "malformed range"));

    RUN("linear", "upgrade", "--sql", ":head");
    ck_assert_int_eq(r.status, CLI_EXIT_USAGE);
    ck_assert_ptr_nonnull(strstr(r.err, "malformed range"));
}
END_TEST

START_TEST(test_cli_upgrade_below_current_refused)
{
    RUN("linear", "upgrade", "--sql", "head:base");
    ck_assert_int_eq(r.status, CLI_EXIT_USAGE);
    ck_assert_ptr_nonnull(strstr(r.err, "downgrade --sql head:base"));
    /* Offline there is no current revision to speak of. */
    ck_assert_msg(!strstr(r.err, "current"), "%s", r.err);
    ck_assert_ptr_nonnull(strstr(r.err, "the range head:base goes down"));
    RUN("linear", "upgrade", "--sql", "a10000000004:a10000000002");
    ck_assert_int_eq(r.status, CLI_EXIT_USAGE);
    ck_assert_ptr_nonnull(strstr(r.err, "goes down"));
    RUN("linear", "upgrade", "--sql", "a10000000002:a10000000002");
    ck_assert_int_eq(r.status, 0);
    RUN("linear", "downgrade", "--sql", "base:head");
    ck_assert_int_eq(r.status, CLI_EXIT_USAGE);
    ck_assert_ptr_nonnull(strstr(r.err, "upgrade"));
}
END_TEST

START_TEST(test_cli_upgrade_sql_script_shape)
{
    const char *begin, *commit, *insert, *update;

    RUN("linear", "upgrade", "--sql", "base:head");
    ck_assert_int_eq(r.status, 0);
    ck_assert_str_eq(r.err, "");
    ck_assert_int_eq(count(r.out, "-- Running upgrade "), 5);
    ck_assert_int_eq(count(r.out, "\nBEGIN;\n"), 1);
    ck_assert_int_eq(count(r.out, "\nCOMMIT;\n"), 1);
    ck_assert_int_eq(count(r.out, "INSERT INTO \"alembic_version\""), 1);
    ck_assert_int_eq(count(r.out, "UPDATE \"alembic_version\""), 4);
    ck_assert_int_eq(count(r.out, "INSERT INTO \"pcs_migrate_history\""), 5);
    begin = strstr(r.out, "\nBEGIN;\n");
    insert = strstr(r.out, "INSERT INTO \"alembic_version\"");
    update = strstr(r.out, "UPDATE \"alembic_version\"");
    commit = strstr(r.out, "\nCOMMIT;\n");
    ck_assert(begin < insert && insert < update && update < commit);
    ck_assert_ptr_nonnull(strstr(r.out, "CREATE TABLE IF NOT EXISTS \"alembic_version\""));
    ck_assert_ptr_null(strstr(r.out, "SET search_path"));

    /* migrate --sql is upgrade base:head. */
    {
        char *upgrade = strdup(r.out);

        RUN("linear", "migrate", "--sql");
        ck_assert_int_eq(r.status, 0);
        ck_assert_str_eq(r.out, upgrade);
        free(upgrade);
    }
}
END_TEST

START_TEST(test_cli_downgrade_and_rollback_sql)
{
    RUN("linear", "downgrade", "--sql", "head:base");
    ck_assert_int_eq(r.status, 0);
    ck_assert_int_eq(count(r.out, "-- Running downgrade "), 5);
    ck_assert_int_eq(count(r.out, "DELETE FROM \"alembic_version\""), 1);
    ck_assert_int_eq(count(r.out, "UPDATE \"alembic_version\""), 4);

    RUN("linear", "rollback", "--sql");
    ck_assert_int_eq(r.status, 0);
    ck_assert_int_eq(count(r.out, "-- Running downgrade "), 1);

    RUN("linear", "rollback", "--sql", "--revision", "head-3");
    ck_assert_int_eq(r.status, 0);
    ck_assert_int_eq(count(r.out, "-- Running downgrade "), 3);

    RUN("linear", "upgrade", "--sql", "head");
    ck_assert_int_eq(r.status, 0);
    ck_assert_int_eq(count(r.out, "-- Running upgrade "), 5);
    RUN("linear", "upgrade", "--sql", "head:head");
    ck_assert_int_eq(r.status, 0);
    ck_assert_int_eq(count(r.out, "-- Running "), 0);
}
END_TEST

START_TEST(test_cli_options_from_environment)
{
    static const char *const schema_env[] = { "PCS_MIGRATE_SCHEMA=from_env", NULL };
    static const char *const sql_env[] = { "PCS_MIGRATE_SQL=1", NULL };
    static const char *const bad_env[] = { "PCS_MIGRATE_SQL=perhaps", NULL };
    static const char *const table_env[] = { "PCS_MIGRATE_VERSION_TABLE=my_versions", NULL };

    RUN_ENV("linear", schema_env, "migrate", "--sql");
    ck_assert_int_eq(r.status, 0);
    ck_assert_ptr_nonnull(strstr(r.out, "SET search_path TO \"from_env\";"));

    /* The command line wins over the environment. */
    RUN_ENV("linear", schema_env, "migrate", "--sql", "--schema", "from_argv");
    ck_assert_int_eq(r.status, 0);
    ck_assert_ptr_nonnull(strstr(r.out, "SET search_path TO \"from_argv\";"));
    ck_assert_ptr_null(strstr(r.out, "from_env"));

    RUN_ENV("linear", sql_env, "migrate");
    ck_assert_int_eq(r.status, 0);
    ck_assert_ptr_nonnull(strstr(r.out, "-- Running upgrade"));

    RUN_ENV("linear", bad_env, "migrate");
    ck_assert_int_eq(r.status, CLI_EXIT_USAGE);
    ck_assert_ptr_nonnull(strstr(r.err, "PCS_MIGRATE_SQL=perhaps"));

    RUN_ENV("linear", table_env, "migrate", "--sql");
    ck_assert_int_eq(r.status, 0);
    ck_assert_ptr_nonnull(strstr(r.out, "CREATE TABLE IF NOT EXISTS \"my_versions\""));
    ck_assert_ptr_null(strstr(r.out, "\"alembic_version\""));
}
END_TEST

START_TEST(test_cli_bad_table_names)
{
    RUN("linear", "migrate", "--sql", "--version-table", "x", "--history-table=x");
    ck_assert_int_eq(r.status, CLI_EXIT_USAGE);
    ck_assert_ptr_nonnull(strstr(r.err, "must differ"));

    RUN("linear", "migrate", "--sql", "--schema",
        "a_name_that_is_far_too_long_for_postgresql_which_stops_at_63_bytes");
    ck_assert_int_eq(r.status, CLI_EXIT_USAGE);
    ck_assert_ptr_nonnull(strstr(r.err, "invalid schema name"));
}
END_TEST

START_TEST(test_cli_history_heads_show_on_merge_graph)
{
    const char *merge_line, *branch_line;
    char *history;

    RUN("merge", "heads");
    ck_assert_int_eq(r.status, 0);
    ck_assert_int_eq(count(r.out, "\n"), 1);
    ck_assert_int_eq(count(r.out, " (head)"), 1);

    RUN("merge", "history");
    ck_assert_int_eq(r.status, 0);
    history = strdup(r.out);
    merge_line = strstr(history, "(mergepoint)");
    branch_line = strstr(history, "(branchpoint)");
    ck_assert_ptr_nonnull(merge_line);
    ck_assert_ptr_nonnull(branch_line);
    /* Newest first: the merge comes before the branch point it joins. */
    ck_assert(merge_line < branch_line);
    ck_assert_ptr_nonnull(strstr(history, "<base> -> "));
    ck_assert(strstr(history, "(head)") < merge_line);

    RUN("merge", "history", "--verbose");
    ck_assert_int_eq(r.status, 0);
    ck_assert_ptr_nonnull(strstr(r.out, "Merges: "));
    ck_assert_ptr_nonnull(strstr(r.out, "Branches into: "));
    ck_assert_ptr_nonnull(strstr(r.out, "Parent: <base>"));

    /* -r A:B keeps only that span; head:head is one revision. */
    RUN("merge", "history", "-r", "head:head");
    ck_assert_int_eq(r.status, 0);
    ck_assert_int_eq(count(r.out, "\n"), 1);
    ck_assert_ptr_nonnull(strstr(r.out, "(head)"));
    RUN("merge", "history", "-r", ":head");
    ck_assert_str_eq(r.out, history);
    RUN("merge", "history", "-r", "base:");
    ck_assert_str_eq(r.out, history);
    RUN("merge", "history", "-r", "nonsense");
    ck_assert_int_eq(r.status, CLI_EXIT_USAGE);
    ck_assert_ptr_nonnull(strstr(r.err, "A:B"));
    RUN("merge", "history", "-r", "zzzz:");
    ck_assert_int_eq(r.status, CLI_EXIT_USAGE);
    ck_assert_ptr_nonnull(strstr(r.err, "zzzz"));

    RUN("merge", "show", "head");
    ck_assert_int_eq(r.status, 0);
    ck_assert_ptr_nonnull(strstr(r.out, "Rev: "));
    ck_assert_ptr_nonnull(strstr(r.out, "Path: tests/fixtures/merge/"));
    ck_assert_ptr_nonnull(strstr(r.out, "Upgrade SQL SHA-256: "));
    RUN("merge", "show", "base");
    ck_assert_int_eq(r.status, 0);
    ck_assert_ptr_nonnull(strstr(r.out, "Rev: <base>"));
    RUN("merge", "show");
    ck_assert_int_eq(r.status, CLI_EXIT_USAGE);
    free(history);
}
END_TEST

/*
 * Issue 18: the views answer from the registry whatever the database: a
 * URL that cannot be reached, or cannot be parsed, is a warning that the
 * marks are missing, and the graph is printed as it is without one.
 */
START_TEST(test_cli_views_never_fail_because_of_the_database)
{
    static const char *const views[][3] = {
        { "heads", NULL }, { "show", "head", NULL }, { "branches", NULL },
    };
    static const char *const env[] = {
        "DATABASE_URL=postgresql://u:s3cret@/db?host=/nonexistent", NULL };
    static const char *const urls[] = {
        "host=/nonexistent", "postgresql://u:s3cret@/db?host=/nonexistent",
        "host=/nonexistent bogus=1", "port=notaport",
    };
    size_t i, j;

    for (i = 0; i < sizeof(views) / sizeof(views[0]); i++) {
        char *offline;

        run_env("merge", NULL, views[i][0], views[i][1], (const char *)NULL);
        ck_assert_int_eq(r.status, 0);
        ck_assert_str_eq(r.err, "");
        offline = strdup(r.out);
        for (j = 0; j < sizeof(urls) / sizeof(urls[0]); j++) {
            if (views[i][1])
                RUN("merge", views[i][0], views[i][1], "--database-url", urls[j]);
            else
                RUN("merge", views[i][0], "--database-url", urls[j]);
            ck_assert_msg(r.status == 0, "%s %s: exit %d: %s", views[i][0], urls[j], r.status,
                          r.err);
            ck_assert_str_eq(r.out, offline);
            ck_assert_msg(strstr(r.err, "warning: the current revision is not marked: "),
                          "%s: %s", views[i][0], r.err);
            ck_assert_msg(!strstr(r.err, "s3cret"), "%s", r.err);
        }
        run_env("merge", env, views[i][0], views[i][1], (const char *)NULL);
        ck_assert_int_eq(r.status, 0);
        ck_assert_str_eq(r.out, offline);
        ck_assert_ptr_nonnull(strstr(r.err, "the current revision is not marked"));
        ck_assert_ptr_null(strstr(r.err, "s3cret"));
        free(offline);
    }

    /* history reads no database without -i, as Alembic's; with it, the warning. */
    RUN("merge", "history");
    ck_assert_int_eq(r.status, 0);
    {
        char *offline = strdup(r.out);

        RUN_ENV("merge", env, "history");
        ck_assert_int_eq(r.status, 0);
        ck_assert_str_eq(r.err, "");
        ck_assert_str_eq(r.out, offline);
        RUN_ENV("merge", env, "history", "-i");
        ck_assert_int_eq(r.status, 0);
        ck_assert_str_eq(r.out, offline);
        ck_assert_ptr_nonnull(strstr(r.err, "warning: the current revision is not marked: "));
        ck_assert_ptr_null(strstr(r.err, "s3cret"));
        RUN("merge", "history", "--indicate-current", "--database-url", "host=/nonexistent");
        ck_assert_int_eq(r.status, 0);
        ck_assert_str_eq(r.out, offline);
        free(offline);
    }

    /* JSON: the same warning as a JSON line, and "current": null. */
    RUN("merge", "heads", "--format", "json", "--database-url", "host=/nonexistent");
    ck_assert_int_eq(r.status, 0);
    ck_assert_ptr_nonnull(strstr(r.err, "{\"level\":\"warning\""));
    ck_assert_ptr_nonnull(strstr(r.out, "\"current\":null"));
}
END_TEST

/* Alembic's branches: each branch point, then its children. */
START_TEST(test_cli_branches)
{
    json_error_t error;
    json_t *doc, *bp, *children;

    RUN("merge", "branches");
    ck_assert_int_eq(r.status, 0);
    ck_assert_str_eq(r.out,
                     "<base> -> b10000000001 (branchpoint), create m_root\n"
                     "    -> b10000000002, create m_a1 (branch a)\n"
                     "    -> b10000000004, create m_b1 (branch b)\n");
    RUN("merge", "branches", "--verbose");
    ck_assert_int_eq(r.status, 0);
    ck_assert_ptr_nonnull(strstr(r.out, "Rev: b10000000001 (branchpoint)\n"));
    ck_assert_ptr_nonnull(strstr(r.out, "Branches into: b10000000002, b10000000004\n"));
    ck_assert_ptr_nonnull(strstr(r.out, "    -> b10000000004, create m_b1 (branch b)\n"));

    RUN("merge", "branches", "--format", "json");
    ck_assert_int_eq(r.status, 0);
    doc = json_loads(r.out, 0, &error);
    ck_assert_msg(doc != NULL, "%s: %s", error.text, r.out);
    ck_assert_str_eq(json_string_value(json_object_get(doc, "command")), "branches");
    ck_assert(json_is_null(json_object_get(doc, "current")));
    ck_assert_int_eq(json_array_size(json_object_get(doc, "branchpoints")), 1);
    bp = json_array_get(json_object_get(doc, "branchpoints"), 0);
    ck_assert_str_eq(json_string_value(json_object_get(bp, "id")), "b10000000001");
    children = json_object_get(bp, "children");
    ck_assert_int_eq(json_array_size(children), 2);
    ck_assert_str_eq(json_string_value(json_array_get(children, 0)), "b10000000002");
    ck_assert_str_eq(json_string_value(json_array_get(children, 1)), "b10000000004");
    ck_assert(json_is_true(json_object_get(json_object_get(bp, "flags"), "branchpoint")));
    json_decref(doc);

    /* A straight line has none. */
    RUN("linear", "branches");
    ck_assert_int_eq(r.status, 0);
    ck_assert_str_eq(r.out, "");
    RUN("linear", "branches", "--format", "json");
    ck_assert_str_eq(r.out, "{\"command\":\"branches\",\"current\":null,\"branchpoints\":[]}\n");
    RUN("linear", "branches", "extra");
    ck_assert_int_eq(r.status, CLI_EXIT_USAGE);
}
END_TEST

/* A string field of a JSON object, or "" when it is missing. */
static const char *field(json_t *obj, const char *key)
{
    const char *s = json_string_value(json_object_get(obj, key));

    return s ? s : "";
}

/* history, heads and show with --format json: their documented shapes. */
START_TEST(test_cli_views_json)
{
    static const char *const rev_keys[] = {
        "id", "parents", "children", "description", "create_date", "path", "flags",
        "nontransactional", "source_sha256", "applied", NULL };
    json_error_t error;
    json_t *doc, *revs, *rev;
    char sha[80] = "";
    const char *line;
    size_t i, k;

    RUN("merge", "history", "--format", "json");
    ck_assert_int_eq(r.status, 0);
    ck_assert_int_eq(count(r.out, "\n"), 1);
    doc = json_loads(r.out, 0, &error);
    ck_assert_msg(doc != NULL, "%s: %s", error.text, r.out);
    ck_assert_str_eq(field(doc, "command"), "history");
    revs = json_object_get(doc, "revisions");
    ck_assert_int_eq(json_array_size(revs), 7);
    for (i = 0; i < json_array_size(revs); i++) {
        rev = json_array_get(revs, i);
        for (k = 0; rev_keys[k]; k++)
            ck_assert_msg(json_object_get(rev, rev_keys[k]), "no %s in %s", rev_keys[k],
                          r.out);
        ck_assert_int_eq(strlen(field(rev, "source_sha256")), 64);
        ck_assert(json_is_null(json_object_get(json_object_get(rev, "flags"), "current")));
        ck_assert(json_is_null(json_object_get(rev, "applied")));
        ck_assert_ptr_null(json_object_get(rev, "upgrade_sql_sha256"));
    }
    /* Newest first, as the text. */
    rev = json_array_get(revs, 0);
    ck_assert_str_eq(field(rev, "id"), "b10000000007");
    ck_assert(json_is_true(json_object_get(json_object_get(rev, "flags"), "head")));
    rev = json_array_get(revs, 1);
    ck_assert_str_eq(field(rev, "id"), "b10000000006");
    ck_assert(json_is_true(json_object_get(json_object_get(rev, "flags"), "mergepoint")));
    ck_assert_int_eq(json_array_size(json_object_get(rev, "parents")), 2);
    ck_assert_str_eq(field(rev, "description"), "merge branches a and b");
    ck_assert_str_eq(field(rev, "path"),
                     "tests/fixtures/merge/b10000000006_merge_branches.c");
    json_decref(doc);

    /* --verbose adds the upgrade SQL's checksum; -r the range. */
    RUN("merge", "history", "--format", "json", "--verbose", "-r", "head:head");
    doc = json_loads(r.out, 0, &error);
    ck_assert_msg(doc != NULL, "%s: %s", error.text, r.out);
    revs = json_object_get(doc, "revisions");
    ck_assert_int_eq(json_array_size(revs), 1);
    ck_assert_int_eq(strlen(field(json_array_get(revs, 0), "upgrade_sql_sha256")), 64);
    json_decref(doc);

    RUN("merge", "heads", "--format", "json");
    doc = json_loads(r.out, 0, &error);
    ck_assert_msg(doc != NULL, "%s: %s", error.text, r.out);
    ck_assert_str_eq(field(doc, "command"), "heads");
    ck_assert_int_eq(json_array_size(json_object_get(doc, "heads")), 1);
    ck_assert_str_eq(field(json_array_get(json_object_get(doc, "heads"), 0), "id"),
                     "b10000000007");
    json_decref(doc);

    /* show: the checksum check compares, the same as the text's. */
    RUN("merge", "show", "b10000000006");
    line = strstr(r.out, "Upgrade SQL SHA-256: ");
    ck_assert_ptr_nonnull(line);
    sscanf(line, "Upgrade SQL SHA-256: %64s", sha);
    RUN("merge", "show", "b10000000006", "--format", "json");
    ck_assert_int_eq(r.status, 0);
    doc = json_loads(r.out, 0, &error);
    ck_assert_msg(doc != NULL, "%s: %s", error.text, r.out);
    ck_assert_str_eq(field(doc, "command"), "show");
    rev = json_object_get(doc, "revision");
    ck_assert_str_eq(field(rev, "id"), "b10000000006");
    ck_assert_str_eq(field(rev, "upgrade_sql_sha256"), sha);
    json_decref(doc);
    RUN("merge", "show", "base", "--format", "json");
    ck_assert_str_eq(r.out, "{\"command\":\"show\",\"current\":null,\"revision\":null}\n");
}
END_TEST

/*
 * Every operand the graph can judge is judged before connecting: with a
 * URL whose connection would fail ("host=/nonexistent": no such socket),
 * an unknown revision is exit 2 naming it, never a connection error.
 */
START_TEST(test_cli_targets_resolved_before_connecting)
{
    static const char *const cases[][4] = {
        { "upgrade", "zzzz", NULL }, { "downgrade", "zzzz", NULL }, { "show", "zzzz", NULL },
        { "stamp", "zzzz", NULL }, { "history", "-r", "zz:", NULL },
        { "history", "-i", "-r", ":zz" }, { "rollback", "--revision", "zzzz", NULL },
        { "show", "zzzz", "-i", NULL }, { "upgrade", "zzzz+1", NULL },
    };
    size_t i;

    for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        const char *argv[10] = { test_bin("linear") };
        size_t n = 1, k;

        for (k = 0; k < 4 && cases[i][k]; k++)
            argv[n++] = cases[i][k];
        argv[n++] = "--database-url";
        argv[n++] = "host=/nonexistent";
        argv[n] = NULL;
        proc_result_free(&r);
        proc_run(argv, NULL, NULL, &r);
        ck_assert_msg(r.status == CLI_EXIT_USAGE, "%s %s: exit %d: %s", cases[i][0],
                      cases[i][1], r.status, r.err);
        ck_assert_msg(strstr(r.err, "'zz"), "%s: %s", cases[i][0], r.err);
        ck_assert_msg(!strstr(r.err, "connect") && !strstr(r.err, "nonexistent") &&
                      !strstr(r.err, "warning"), "%s: %s", cases[i][0], r.err);
    }
}
END_TEST

/* --version is the program's: after a command it says so, not "needs a value". */
START_TEST(test_cli_version_after_a_command)
{
    RUN("linear", "current", "--version");
    ck_assert_int_eq(r.status, CLI_EXIT_USAGE);
    ck_assert_ptr_nonnull(strstr(r.err, "--version is not an option of current"));
    ck_assert_ptr_nonnull(strstr(r.err, "pcs-migrate --version"));
    ck_assert_ptr_null(strstr(r.err, "needs a value"));
    /* Nor is the next argument taken for a version table's name. */
    RUN("linear", "history", "--version", "x");
    ck_assert_int_eq(r.status, CLI_EXIT_USAGE);
    ck_assert_ptr_nonnull(strstr(r.err, "--version is not an option of history"));
    ck_assert_str_eq(r.out, "");
    /* A value that reads "--version" is a value. */
    RUN("linear", "history", "-r", "--version");
    ck_assert_int_eq(r.status, CLI_EXIT_USAGE);
    ck_assert_ptr_null(strstr(r.err, "not an option of"));
    RUN("linear", "history", "--version-table", "t");
    ck_assert_int_eq(r.status, 0);
}
END_TEST

START_TEST(test_cli_merge_graph_sql_moves_version_rows)
{
    RUN("merge", "upgrade", "--sql", "base:head");
    ck_assert_int_eq(r.status, 0);
    /* A second branch adds a row; the merge folds two rows into one. */
    ck_assert_int_eq(count(r.out, "INSERT INTO \"alembic_version\""), 2);
    ck_assert_int_eq(count(r.out, "DELETE FROM \"alembic_version\""), 1);
}
END_TEST

START_TEST(test_cli_pcs_offline_script)
{
    RUN("pcs", "upgrade", "--sql", "base:head");
    ck_assert_int_eq(r.status, 0);
    ck_assert_ptr_nonnull(strstr(r.out, "-- Running upgrade base -> 9a39eb7fd78f, "
                                        "initial database schema"));
    ck_assert_ptr_nonnull(strstr(r.out, "CREATE TABLE \"contexts\""));
    ck_assert_ptr_nonnull(strstr(r.out, "CREATE UNIQUE INDEX \"ix_contexts_name\""));
    ck_assert_ptr_nonnull(strstr(r.out, "VALUES ('9a39eb7fd78f')"));
}
END_TEST

static Suite *cli_suite(void)
{
    Suite *s = suite_create("cli");
    TCase *tc = tcase_create("cli");

    tcase_add_checked_fixture(tc, NULL, teardown);
    tcase_set_timeout(tc, 60);
    tcase_add_test(tc, test_cli_table_sorted_and_unique);
    tcase_add_test(tc, test_cli_range_split);
    tcase_add_test(tc, test_cli_every_command_in_help_and_readme);
    tcase_add_test(tc, test_cli_version);
    tcase_add_test(tc, test_cli_no_command_is_usage_error);
    tcase_add_test(tc, test_cli_unknown_command);
    tcase_add_test(tc, test_cli_unknown_option);
    tcase_add_test(tc, test_cli_option_needs_value);
    tcase_add_test(tc, test_cli_sql_refused_where_not_offline);
    tcase_add_test(tc, test_cli_create_migration_scaffolds_after_the_head);
    tcase_add_test(tc, test_cli_scaffold_errors);
    tcase_add_test(tc, test_cli_operand_starting_with_the_marker_byte);
    tcase_add_test(tc, test_cli_two_heads_and_merge);
    tcase_add_test(tc, test_cli_bad_option_values);
    tcase_add_test(tc, test_cli_options_before_the_command);
    tcase_add_test(tc, test_cli_json_replaces_invalid_utf8);
    tcase_add_test(tc, test_cli_usage_errors_name_the_option);
    tcase_add_test(tc, test_cli_malformed_url_not_echoed);
    tcase_add_test(tc, test_cli_unknown_target_names_input);
    tcase_add_test(tc, test_cli_fleet_usage_errors);
    tcase_add_test(tc, test_cli_fleet_unreachable_targets);
    tcase_add_test(tc, test_cli_unknown_target_before_connecting);
    tcase_add_test(tc, test_cli_schema_offline);
    tcase_add_test(tc, test_cli_diff_offline);
    tcase_add_test(tc, test_cli_diff_sides_from_environment);
    tcase_add_test(tc, test_cli_diff_database_side_errors);
    tcase_add_test(tc, test_cli_pcs_revision_sql_is_pinned);
    tcase_add_test(tc, test_cli_ambiguous_prefix_lists_candidates);
    tcase_add_test(tc, test_cli_downgrade_sql_needs_from);
    tcase_add_test(tc, test_cli_upgrade_below_current_refused);
    tcase_add_test(tc, test_cli_upgrade_sql_script_shape);
    tcase_add_test(tc, test_cli_downgrade_and_rollback_sql);
    tcase_add_test(tc, test_cli_options_from_environment);
    tcase_add_test(tc, test_cli_bad_table_names);
    tcase_add_test(tc, test_cli_history_heads_show_on_merge_graph);
    tcase_add_test(tc, test_cli_views_never_fail_because_of_the_database);
    tcase_add_test(tc, test_cli_branches);
    tcase_add_test(tc, test_cli_views_json);
    tcase_add_test(tc, test_cli_targets_resolved_before_connecting);
    tcase_add_test(tc, test_cli_version_after_a_command);
    tcase_add_test(tc, test_cli_merge_graph_sql_moves_version_rows);
    tcase_add_test(tc, test_cli_pcs_offline_script);
    suite_add_tcase(s, tc);
    return s;
}

int main(void)
{
    return test_run_suite(cli_suite());
}
