/*
 * The help, the man page and the shell completions tell the truth (issue 18):
 * every option of the table is in `COMMAND --help` of each command it
 * applies to (and only there, as the parser agrees), in the man page, and in
 * the bash, zsh and fish completions; the page renders without a warning;
 * `meson install --destdir` puts the four files in place.  No database.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <pcsm/revision.h>

#include "cli.h"
#include "support.h"

static struct proc_result r;
/*
 * meson install's destination, made and removed in the parent process (an
 * unchecked fixture), so that it goes even when a failed assertion ends the
 * forked test.
 */
static char install_dir[64];

static void teardown(void)
{
    proc_result_free(&r);
}

static void install_dir_make(void)
{
    snprintf(install_dir, sizeof(install_dir), "/tmp/pcsm-install-XXXXXX");
    if (!mkdtemp(install_dir))
        test_die("mkdtemp %s failed", install_dir);
}

static void install_dir_remove(void)
{
    char cmd[128];

    snprintf(cmd, sizeof(cmd), "rm -rf '%s'", install_dir);
    if (system(cmd) != 0)
        test_die("could not remove %s", install_dir);
}

/* Runs argv (up to a NULL) with env (may be NULL), the result in r. */
static void run_v(const char *const env[], const char *const argv[])
{
    proc_result_free(&r);
    proc_run(argv, NULL, env, &r);
}

/* A shell script with its arguments ($1... in sh and bash, $argv in fish), up to a NULL. */
static void run_sh(const char *shell, const char *script, ...)
{
    const char *argv[16] = { shell, "-c", script, "sh" };
    size_t n = strcmp(shell, "fish") ? 4 : 3;      /* fish has no $0 to set */
    va_list ap;

    va_start(ap, script);
    while (n < 15 && (argv[n] = va_arg(ap, const char *)))
        n++;
    va_end(ap);
    argv[n] = NULL;
    run_v(NULL, argv);
}

/* A generated file: its path from the environment meson sets (tests/cli/meson.build). */
static const char *doc_path(const char *format)
{
    char name[64];
    const char *path;

    snprintf(name, sizeof(name), "PCSM_TEST_DOC_%s", format);
    path = getenv(name);
    if (!path)
        test_die("%s is not set: run the test through meson", name);
    return path;
}

/* Whether `line` is one of the lines of text (which ends each with '\n'). */
static bool has_line(const char *text, const char *line)
{
    size_t len = strlen(line);
    const char *p;

    for (p = text; (p = strstr(p, line)); p++)
        if ((p == text || p[-1] == '\n') && p[len] == '\n')
            return true;
    return false;
}

/*
 * The block of an option in a help: from its line ("  -m, --message MESSAGE"
 * or "      --sql") to the next option's or the end of the group; NULL when
 * the help has no line for it.  malloc'd.
 */
static char *help_block(const char *help, const struct cli_option *o)
{
    char head[96];
    const char *p, *end;

    if (o->no_short)
        snprintf(head, sizeof(head), "\n      --%s", o->name);
    else
        snprintf(head, sizeof(head), "\n  -%c, --%s", o->letter, o->name);
    for (p = help; (p = strstr(p, head)); p++) {
        char next = p[strlen(head)];

        if (next == ' ' || next == '\n')
            break;
    }
    if (!p)
        return NULL;
    p++;
    for (end = strchr(p, '\n'); end && end[1] == ' ' && end[2] == ' ' && end[3] == ' ';
         end = strchr(end + 1, '\n'))
        ;
    return strndup(p, end ? (size_t)(end - p) + 1 : strlen(p));    /* with its '\n' */
}

/* The group an option has where it applies: another command's, the connection's, a fleet's. */
static enum cli_option_group kind_of(const struct cli_option *o)
{
    enum cli_option_group g = CLI_OPT_NONE;
    size_t i;

    for (i = 0; i < cli_cmds_len && g == CLI_OPT_NONE; i++)
        g = cli_option_group(&cli_cmds[i], o);
    return g;
}

/* `COMMAND --help` and `help COMMAND`: the options that apply, with defaults and variables. */
START_TEST(test_help_per_command_lists_every_option_that_applies)
{
    const struct cli_cmd *cmd = &cli_cmds[_i];
    const char *bin = test_bin("pcs");
    bool parser_checked[CLI_OPT_GLOBAL + 1] = { false };
    char *help;
    size_t i;

    run_v(NULL, (const char *const[]){ bin, cmd->name, "--help", NULL });
    ck_assert_int_eq(r.status, 0);
    ck_assert_str_eq(r.err, "");
    help = strdup(r.out);
    run_v(NULL, (const char *const[]){ bin, "help", cmd->name, NULL });
    ck_assert_int_eq(r.status, 0);
    ck_assert_str_eq(r.out, help);
    ck_assert_msg(strstr(help, cmd->args) && strstr(help, cmd->summary),
                  "%s --help lacks its synopsis or summary", cmd->name);
    for (i = 0; i < cli_options_len; i++) {
        const struct cli_option *o = &cli_options[i];
        char *block = help_block(help, o);
        char env[64], want[160];

        if (cli_option_group(cmd, o) == CLI_OPT_NONE) {
            ck_assert_msg(!block, "%s --help lists --%s, which does not apply", cmd->name,
                          o->name);
            /*
             * ...as the parser says: an option of each kind (another
             * command's, the connection's, a fleet's) is refused.  One of
             * each, as both read cli_option_group(): a process per pair
             * takes minutes under the sanitizers.
             */
            if (parser_checked[kind_of(o)])
                continue;
            parser_checked[kind_of(o)] = true;
            snprintf(want, sizeof(want), "--%s%s", o->name, o->takes_arg ? "=x" : "");
            run_v(NULL, (const char *const[]){ bin, cmd->name, want, NULL });
            snprintf(want, sizeof(want), "option '--%s' does not apply to %s", o->name,
                     cmd->name);
            ck_assert_int_eq(r.status, CLI_EXIT_USAGE);
            ck_assert_msg(strstr(r.err, want), "%s --%s: %s", cmd->name, o->name, r.err);
            continue;
        }
        ck_assert_msg(block, "%s --help lacks --%s:\n%s", cmd->name, o->name, help);
        cli_option_env(o, env, sizeof(env));
        if (*env)
            snprintf(want, sizeof(want), "env: %s\n", env);
        else
            snprintf(want, sizeof(want), "command line only\n");
        ck_assert_msg(strstr(block, want), "%s --help: --%s lacks '%s':\n%s", cmd->name,
                      o->name, want, block);
        if (o->def) {
            snprintf(want, sizeof(want), "default: %s; ", o->def);
            ck_assert_msg(strstr(block, want), "%s --help: --%s lacks its default:\n%s",
                          cmd->name, o->name, block);
        }
        free(block);
    }
    free(help);
}
END_TEST

START_TEST(test_help_command_errors)
{
    const char *bin = test_bin("pcs");

    run_v(NULL, (const char *const[]){ bin, "help", "nosuch", NULL });
    ck_assert_int_eq(r.status, CLI_EXIT_USAGE);
    ck_assert_str_eq(r.out, "");
    ck_assert_ptr_nonnull(strstr(r.err, "unknown command 'nosuch'"));
    run_v(NULL, (const char *const[]){ bin, "help", "upgrade", "stamp", NULL });
    ck_assert_int_eq(r.status, CLI_EXIT_USAGE);
    ck_assert_ptr_nonnull(strstr(r.err, "unexpected argument 'stamp'"));
    /* Alone it is --help. */
    run_v(NULL, (const char *const[]){ bin, "help", NULL });
    ck_assert_int_eq(r.status, 0);
    ck_assert_ptr_nonnull(strstr(r.out, "\nExit status:\n"));
}
END_TEST

/* The defaults shown are the ones the library starts from. */
START_TEST(test_help_defaults_match_the_code)
{
    pcsm_db_opts opts;
    size_t i;

    pcsm_db_opts_init(&opts);
    for (i = 0; i < cli_options_len; i++) {
        const struct cli_option *o = &cli_options[i];
        double want;

        switch (o->letter) {
        case 'W': want = opts.wait_seconds; break;
        case 'L': want = opts.lock_timeout_seconds; break;
        case 'Q': want = opts.statement_timeout_ms / 1000.0; break;
        case 'D': want = opts.ddl_lock_timeout_ms / 1000.0; break;
        case 'N': want = opts.ddl_lock_retries; break;
        default: continue;
        }
        ck_assert_ptr_nonnull(o->def);
        ck_assert_msg(strtod(o->def, NULL) == want, "--%s: default %s, the code's %g", o->name,
                      o->def, want);
    }
}
END_TEST

/* roff's spelling of text as docgen writes it: '-' as "\-". */
static void roff_name(char *out, size_t size, const char *prefix, const char *s)
{
    size_t n = (size_t)snprintf(out, size, "%s", prefix);

    for (; *s && n + 3 < size; s++) {
        if (*s == '-')
            out[n++] = '\\';
        out[n++] = *s;
    }
    out[n] = '\0';
}

START_TEST(test_help_man_page_has_every_option_command_variable_and_status)
{
    char *man = test_read_file(doc_path("MAN"));
    const char *options = strstr(man, "\n.SH OPTIONS\n");
    const char *env_sec = strstr(man, "\n.SH ENVIRONMENT\n");
    const char *exit_sec = strstr(man, "\n.SH EXIT STATUS\n");
    const char *sections[] = { ".SH NAME", ".SH SYNOPSIS", ".SH DESCRIPTION", ".SH COMMANDS",
                               ".SH TARGETS", ".SH FILES", ".SH EXAMPLES", ".SH SEE ALSO" };
    char want[160];
    size_t i;

    for (i = 0; i < sizeof(sections) / sizeof(sections[0]); i++)
        ck_assert_msg(has_line(man, sections[i]), "the man page lacks %s", sections[i]);
    ck_assert_ptr_nonnull(options);
    ck_assert_ptr_nonnull(env_sec);
    ck_assert_ptr_nonnull(exit_sec);
    ck_assert_msg(options < env_sec && env_sec < exit_sec, "sections out of order");
    for (i = 0; i < cli_options_len; i++) {
        char env[64], name[96];
        const char *at;

        roff_name(name, sizeof(name), "\\fB\\-\\-", cli_options[i].name);
        at = strstr(options, name);
        ck_assert_msg(at && at < env_sec, "OPTIONS lacks --%s", cli_options[i].name);
        cli_option_env(&cli_options[i], env, sizeof(env));
        if (*env) {
            snprintf(want, sizeof(want), "\n.TP\n.B %s\n", env);
            at = strstr(env_sec, want);
            ck_assert_msg(at && at < exit_sec, "ENVIRONMENT lacks %s", env);
        }
    }
    for (i = 0; i < cli_cmds_len; i++) {
        char name[64];

        roff_name(name, sizeof(name), "\n.TP\n\\fB", cli_cmds[i].name);
        strcat(name, "\\fR ");
        ck_assert_msg(strstr(man, name), "COMMANDS lacks %s", cli_cmds[i].name);
    }
    for (i = 0; i < cli_exit_docs_len; i++) {
        snprintf(want, sizeof(want), "\n.TP\n.B %d\n", cli_exit_docs[i].status);
        ck_assert_msg(strstr(exit_sec, want), "EXIT STATUS lacks %d", cli_exit_docs[i].status);
    }
    free(man);
}
END_TEST

/* groff's warnings (-ww) and man's, as a reader's `man -l` shows the page. */
START_TEST(test_help_man_page_renders_without_warnings)
{
    const char *page = doc_path("MAN");

    run_sh("sh", "groff -man -ww -z \"$1\"", page, (const char *)NULL);
    ck_assert_int_eq(r.status, 0);
    ck_assert_str_eq(r.err, "");
    run_sh("sh", "MANROFFSEQ='' LC_ALL=C.UTF-8 MANWIDTH=80 man --warnings -l \"$1\"", page,
           (const char *)NULL);
    ck_assert_msg(r.status == 0 && !*r.err, "man -l: %d\n%s", r.status, r.err);
    ck_assert_ptr_nonnull(strstr(r.out, "EXIT STATUS"));
    ck_assert_ptr_nonnull(strstr(r.out, "--transaction-per-migration"));
}
END_TEST

/* COMPREPLY of the bash completion for the words (the last being completed). */
static void bash_complete(const char *file, const char *words)
{
    run_sh("bash", "source \"$1\" || exit 9; eval \"COMP_WORDS=($2)\"; "
           "COMP_CWORD=$((${#COMP_WORDS[@]} - 1)); _pcs_migrate; "
           "printf '%s\\n' \"${COMPREPLY[@]}\"", file, words, (const char *)NULL);
    ck_assert_msg(r.status == 0 && !*r.err, "bash completion of %s: %d\n%s", words, r.status,
                  r.err);
}

/* Each command's options, exactly; values; commands; the registry's revisions. */
static void check_bash(const char *file)
{
    size_t c, i;

    for (c = 0; c < cli_cmds_len; c++) {
        char words[96];

        snprintf(words, sizeof(words), "pcs-migrate %s --", cli_cmds[c].name);
        bash_complete(file, words);
        for (i = 0; i < cli_options_len; i++) {
            char opt[64];

            snprintf(opt, sizeof(opt), "--%s", cli_options[i].name);
            ck_assert_msg(has_line(r.out, opt) ==
                          (cli_option_group(&cli_cmds[c], &cli_options[i]) != CLI_OPT_NONE),
                          "bash: %s offers %s wrongly:\n%s", words, opt, r.out);
        }
    }
    bash_complete(file, "pcs-migrate ''");
    for (c = 0; c < cli_cmds_len; c++)
        ck_assert_msg(has_line(r.out, cli_cmds[c].name), "bash: no command %s", cli_cmds[c].name);
    bash_complete(file, "pcs-migrate --format json upgrade ''");
    ck_assert(has_line(r.out, "head") && has_line(r.out, "base"));
    for (i = 0; i < pcsm_registry_len; i++)
        ck_assert_msg(has_line(r.out, pcsm_registry[i].id), "bash: no revision %s",
                      pcsm_registry[i].id);
    bash_complete(file, "pcs-migrate lint --format ''");
    ck_assert_str_eq(r.out, "text\njson\nsarif\n");
    bash_complete(file, "pcs-migrate lint --fail-on e");
    ck_assert_str_eq(r.out, "error\n");
    bash_complete(file, "pcs-migrate help up");
    ck_assert_str_eq(r.out, "upgrade\n");
    /* An option's value is not taken for the command. */
    bash_complete(file, "pcs-migrate --schema stamp ''");
    ck_assert(has_line(r.out, "upgrade") && !has_line(r.out, "head"));
    bash_complete(file, "pcs-migrate --schema s stamp ''");
    ck_assert(!has_line(r.out, "upgrade") && has_line(r.out, "head"));
    /* --opt=value, which bash splits at the '='. */
    bash_complete(file, "pcs-migrate --schema = s stamp ''");
    ck_assert(!has_line(r.out, "upgrade") && has_line(r.out, "head"));
    bash_complete(file, "pcs-migrate lint --format =");
    ck_assert_str_eq(r.out, "text\njson\nsarif\n");
    bash_complete(file, "pcs-migrate lint --format = s");
    ck_assert_str_eq(r.out, "sarif\n");
}

START_TEST(test_help_bash_completion)
{
    check_bash(doc_path("BASH"));
}
END_TEST

/* The block of a command in the zsh completion: "        NAME)" to its ";;". */
static char *zsh_block(const char *zsh, const char *name)
{
    char head[64];
    const char *p, *end;

    snprintf(head, sizeof(head), "\n        %s)\n", name);
    p = strstr(zsh, head);
    if (!p)
        return NULL;
    end = strstr(p, " ;;\n");
    return strndup(p, end ? (size_t)(end - p) : strlen(p));
}

START_TEST(test_help_zsh_completion)
{
    const char *file = doc_path("ZSH");
    char *zsh = test_read_file(file);
    size_t c, i;

    run_sh("sh", "zsh -n \"$1\"", file, (const char *)NULL);
    ck_assert_msg(r.status == 0 && !*r.err, "zsh -n: %s", r.err);
    ck_assert_msg(!strncmp(zsh, "#compdef pcs-migrate\n", 21), "no #compdef line");
    for (c = 0; c < cli_cmds_len; c++) {
        char *block = zsh_block(zsh, cli_cmds[c].name);

        ck_assert_msg(block, "zsh: no case for %s", cli_cmds[c].name);
        for (i = 0; i < cli_options_len; i++) {
            char spec[64];

            snprintf(spec, sizeof(spec), "--%s%s[", cli_options[i].name,
                     cli_options[i].takes_arg ? "=" : "");
            ck_assert_msg(!!strstr(block, spec) ==
                          (cli_option_group(&cli_cmds[c], &cli_options[i]) != CLI_OPT_NONE),
                          "zsh: %s and %s", cli_cmds[c].name, spec);
        }
        free(block);
    }
    for (i = 0; i < pcsm_registry_len; i++)
        ck_assert_msg(strstr(zsh, pcsm_registry[i].id), "zsh: no revision %s",
                      pcsm_registry[i].id);
    free(zsh);
}
END_TEST

START_TEST(test_help_fish_completion)
{
    const char *file = doc_path("FISH");
    size_t c, i;

    run_sh("sh", "fish --no-execute \"$1\"", file, (const char *)NULL);
    ck_assert_msg(r.status == 0 && !*r.err, "fish --no-execute: %s", r.err);
    for (c = 0; c < cli_cmds_len; c++) {
        char line[96];

        snprintf(line, sizeof(line), "pcs-migrate %s --", cli_cmds[c].name);
        run_sh("fish", "source $argv[1]; and complete -C$argv[2] | string replace -r '\\t.*' ''",
               file, line, (const char *)NULL);
        ck_assert_msg(r.status == 0 && !*r.err, "fish: %s", r.err);
        for (i = 0; i < cli_options_len; i++) {
            char opt[64];

            snprintf(opt, sizeof(opt), "--%s", cli_options[i].name);
            ck_assert_msg(has_line(r.out, opt) ==
                          (cli_option_group(&cli_cmds[c], &cli_options[i]) != CLI_OPT_NONE),
                          "fish: %s offers %s wrongly:\n%s", line, opt, r.out);
        }
    }
    run_sh("fish", "source $argv[1]; and complete -C'pcs-migrate stamp ' | "
           "string replace -r '\\t.*' ''", file, (const char *)NULL);
    for (i = 0; i < pcsm_registry_len; i++)
        ck_assert_msg(has_line(r.out, pcsm_registry[i].id), "fish: no revision %s",
                      pcsm_registry[i].id);
    ck_assert(has_line(r.out, "head"));
    run_sh("fish", "source $argv[1]; and complete -C'pcs-migrate upgrade --format ' | "
           "string replace -r '\\t.*' ''", file, (const char *)NULL);
    ck_assert_str_eq(r.out, "json\nsarif\ntext\n");
}
END_TEST

/*
 * meson install --destdir: the binary, the man page and the three
 * completions where their directories say, the same bytes as built; the
 * installed page and bash completion work from there.
 */
START_TEST(test_help_meson_install)
{
    static const char *const docs[][2] = {
        { "MAN", "PCSM_TEST_INSTALL_MAN" }, { "BASH", "PCSM_TEST_INSTALL_BASH" },
        { "ZSH", "PCSM_TEST_INSTALL_ZSH" }, { "FISH", "PCSM_TEST_INSTALL_FISH" },
    };
    const char *dir = install_dir;
    char path[4096];
    size_t i;

    run_v(NULL, (const char *const[]){ getenv("PCSM_TEST_MESON"), "install", "-C",
                                       getenv("PCSM_TEST_BUILD_ROOT"), "--no-rebuild",
                                       "--destdir", dir, NULL });
    ck_assert_msg(r.status == 0, "meson install: %d\n%s\n%s", r.status, r.out, r.err);
    snprintf(path, sizeof(path), "%s%s", dir, getenv("PCSM_TEST_INSTALL_BIN"));
    ck_assert_msg(access(path, X_OK) == 0, "not installed: %s", path);
    for (i = 0; i < sizeof(docs) / sizeof(docs[0]); i++) {
        char *built = test_read_file(doc_path(docs[i][0])), *installed;

        snprintf(path, sizeof(path), "%s%s", dir, getenv(docs[i][1]));
        ck_assert_msg(access(path, R_OK) == 0, "not installed: %s", path);
        installed = test_read_file(path);
        ck_assert_str_eq(installed, built);
        free(installed);
        free(built);
    }
    snprintf(path, sizeof(path), "%s%s", dir, getenv("PCSM_TEST_INSTALL_MAN"));
    run_sh("sh", "LC_ALL=C.UTF-8 MANWIDTH=80 man -l \"$1\"", path, (const char *)NULL);
    ck_assert_msg(r.status == 0 && !*r.err, "man -l %s: %s", path, r.err);
    ck_assert_ptr_nonnull(strstr(r.out, "\nNAME\n       pcs-migrate "));
    ck_assert_ptr_nonnull(strstr(r.out, "\nEXIT STATUS\n"));
    snprintf(path, sizeof(path), "%s%s", dir, getenv("PCSM_TEST_INSTALL_BASH"));
    check_bash(path);
}
END_TEST

static Suite *help_suite(void)
{
    Suite *s = suite_create("help");
    TCase *tc = tcase_create("help");

    tcase_add_checked_fixture(tc, NULL, teardown);
    tcase_set_timeout(tc, 120);
    tcase_add_loop_test(tc, test_help_per_command_lists_every_option_that_applies, 0,
                        (int)cli_cmds_len);
    tcase_add_test(tc, test_help_command_errors);
    tcase_add_test(tc, test_help_defaults_match_the_code);
    tcase_add_test(tc, test_help_man_page_has_every_option_command_variable_and_status);
    tcase_add_test(tc, test_help_man_page_renders_without_warnings);
    tcase_add_test(tc, test_help_bash_completion);
    tcase_add_test(tc, test_help_zsh_completion);
    tcase_add_test(tc, test_help_fish_completion);
    suite_add_tcase(s, tc);
    tc = tcase_create("install");
    tcase_add_unchecked_fixture(tc, install_dir_make, install_dir_remove);
    tcase_add_checked_fixture(tc, NULL, teardown);
    tcase_set_timeout(tc, 120);
    tcase_add_test(tc, test_help_meson_install);
    suite_add_tcase(s, tc);
    return s;
}

int main(void)
{
    return test_run_suite(help_suite());
}
