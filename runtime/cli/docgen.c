/*
 * pcs-migrate-docgen: the man page pcs-migrate(1) and the bash, zsh and fish
 * completions, written from the CLI's own command and option tables (cli.c)
 * and the registry linked beside it, at build time.  Not installed.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <pcsm/revision.h>

#include "cli.h"

static const char *const prog = "pcs-migrate";

/* The --version option: answered before the command, so not in the table. */
static const char version_help[] = "print the version and exit";

/* Whether the command's operands are revisions (TARGET, REV): its synopsis says. */
static bool takes_revisions(const struct cli_cmd *cmd)
{
    return !(cmd->flags & CMD_NO_ARGS) && cmd->fn != cmd_help &&
           (strstr(cmd->args, "REV") || strstr(cmd->args, "TARGET"));
}

/*
 * Revision ids as completions offer them; an id with a character a shell
 * would need quoted is left out (the generator's ids are hex, so none is).
 */
static bool plain_word(const char *s)
{
    return *s && strspn(s, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_.-+")
                 == strlen(s);
}

static void put_targets(FILE *out, const char *sep)
{
    size_t i;

    fputs("head", out);
    fprintf(out, "%sheads%sbase", sep, sep);
    for (i = 0; i < pcsm_registry_len; i++)
        if (plain_word(pcsm_registry[i].id))
            fprintf(out, "%s%s", sep, pcsm_registry[i].id);
}

static void put_commands(FILE *out, const char *sep)
{
    size_t i;

    for (i = 0; i < cli_cmds_len; i++)
        fprintf(out, "%s%s", i ? sep : "", cli_cmds[i].name);
}

/* ---- man page --------------------------------------------------------- */

/*
 * Text for a roff text line: backslashes and hyphens escaped, a "\n" of the
 * tables' help texts joined with a space (roff fills lines itself).  The
 * caller starts each line with "\&", so a leading '.' or '\'' is text.
 */
static void roff(FILE *out, const char *s)
{
    for (; *s; s++) {
        if (*s == '\\')
            fputs("\\e", out);
        else if (*s == '-')
            fputs("\\-", out);
        else if (*s == '\n')
            fputc(' ', out);
        else
            fputc(*s, out);
    }
}

/* An option's spellings as a .TP tag: \fB\-v\fR, \fB\-\-verbose\fR \fIARG\fR. */
static void man_option_tag(FILE *out, const struct cli_option *o)
{
    fputs(".TP\n", out);
    if (!o->no_short)
        fprintf(out, "\\fB\\-%c\\fR, ", o->letter);
    fputs("\\fB\\-\\-", out);
    roff(out, o->name);
    fputs("\\fR", out);
    if (o->arg_name) {
        fputs(" \\fI", out);
        roff(out, o->arg_name);
        fputs("\\fR", out);
    }
    fputc('\n', out);
}

static void man_option(FILE *out, const struct cli_option *o, bool with_commands)
{
    char env[64];
    size_t i, n = 0;

    man_option_tag(out, o);
    fputs("\\&", out);
    roff(out, o->help);
    fputs(".\n", out);
    if (o->def) {
        fputs("Default: ", out);
        roff(out, o->def);
        fputs(".\n", out);
    }
    cli_option_env(o, env, sizeof(env));
    if (*env)
        fprintf(out, "Environment: \\fB%s\\fR.\n", env);
    else
        fputs("Command line only.\n", out);
    if (!with_commands)
        return;
    for (i = 0; i < cli_cmds_len; i++) {
        if (cli_option_group(&cli_cmds[i], o) == CLI_OPT_NONE)
            continue;
        fprintf(out, "%s\\fB", n++ ? ", " : "Commands: ");
        roff(out, cli_cmds[i].name);
        fputs("\\fR", out);
    }
    if (n)
        fputs(".\n", out);
}

static void man_options_of(FILE *out, enum cli_option_group group)
{
    size_t i, c;

    for (i = 0; i < cli_options_len; i++) {
        const struct cli_option *o = &cli_options[i];
        enum cli_option_group g = CLI_OPT_NONE;

        /* An option's group is the same for every command it applies to. */
        for (c = 0; c < cli_cmds_len && g == CLI_OPT_NONE; c++)
            g = cli_option_group(&cli_cmds[c], o);
        if (g == group)
            man_option(out, o, group == CLI_OPT_OWN);
    }
    if (group == CLI_OPT_GLOBAL)
        fprintf(out, ".TP\n\\fB\\-\\-version\\fR\n%s (before the command).\n", version_help);
}

static void man_command(FILE *out, const struct cli_cmd *cmd)
{
    bool shown[CLI_OPT_GLOBAL + 1] = { false };
    size_t i;

    fputs(".TP\n\\fB", out);
    roff(out, cmd->name);
    fputs("\\fR ", out);
    roff(out, cmd->args);
    fputs("\n\\&", out);
    roff(out, cmd->summary);
    fputs(".\n", out);
    for (i = 0; i < cli_options_len; i++)
        shown[cli_option_group(cmd, &cli_options[i])] = true;
    fprintf(out, "Takes %s%sthe global options",
            shown[CLI_OPT_DB] ? "the connection options, " : "",
            shown[CLI_OPT_FLEET] ? "the fleet options, " : "");
    fputs(shown[CLI_OPT_OWN] ? " and these:\n" : ".\n", out);
    if (!shown[CLI_OPT_OWN])
        return;
    fputs(".RS\n", out);
    for (i = 0; i < cli_options_len; i++) {
        if (cli_option_group(cmd, &cli_options[i]) != CLI_OPT_OWN)
            continue;
        man_option_tag(out, &cli_options[i]);
        fputs("\\&", out);
        roff(out, cli_options[i].help);
        fputs(".\n", out);
    }
    fputs(".RE\n", out);
}

static void man(FILE *out)
{
    size_t i;

    fprintf(out, ".\\\" pcs-migrate(1), generated by pcs-migrate-docgen from the tables of\n"
            ".\\\" runtime/cli/cli.c: edit those, not this file.\n"
            ".TH PCS\\-MIGRATE 1 \"\" \"pcs\\-migrate %s\" \"User Commands\"\n"
            ".\\\" Option and variable names are not to be hyphenated.\n.nh\n", PCSM_VERSION);
    fputs(".SH NAME\npcs\\-migrate \\- migrate a PostgreSQL database to the schema this binary "
          "carries\n", out);
    fputs(".SH SYNOPSIS\n\\fBpcs\\-migrate\\fR [\\fIOPTIONS\\fR] \\fICOMMAND\\fR "
          "[\\fIARGS\\fR]\n.br\n\\fBpcs\\-migrate\\fR \\fICOMMAND\\fR \\fB\\-\\-help\\fR\n"
          ".br\n\\fBpcs\\-migrate\\fR \\fB\\-\\-version\\fR\n", out);
    fputs(".SH DESCRIPTION\n\\&", out);
    roff(out, cli_description);
    fputs("\n.PP\nResults go to standard output, logs and progress to standard error; "
          "with \\fB\\-\\-format json\\fR both are JSON.\n"
          "Options may come before or after the command.\n"
          "Each option can also be given as an environment variable (see \\fBENVIRONMENT\\fR), "
          "which the command line overrides.\n", out);
    fputs(".SH COMMANDS\n", out);
    for (i = 0; i < cli_cmds_len; i++)
        man_command(out, &cli_cmds[i]);
    fputs(".SH OPTIONS\n.SS Global options\nAccepted by every command.\n", out);
    man_options_of(out, CLI_OPT_GLOBAL);
    fputs(".SS Connection options\nAccepted by every command that connects to a database.\n",
          out);
    man_options_of(out, CLI_OPT_DB);
    fputs(".SS Fleet options\nAccepted by the commands that run over many databases: ", out);
    for (i = 0; i < cli_cmds_len; i++)
        if (cli_cmds[i].flags & CMD_FLEET)
            fprintf(out, "\\fB%s\\fR, ", cli_cmds[i].name);
    fputs("with one of \\fB\\-\\-targets\\fR, \\fB\\-\\-targets\\-query\\fR and "
          "\\fB\\-\\-schemas\\-like\\fR.\n", out);
    man_options_of(out, CLI_OPT_FLEET);
    fputs(".SS Command options\nAccepted by the commands listed under each.\n", out);
    man_options_of(out, CLI_OPT_OWN);
    fputs(".SH TARGETS\n\\&", out);
    roff(out, cli_targets_doc);
    fputs("\n.PP\nTimeouts are 0 or from 0.001 to 2147483 seconds, to the millisecond.\n", out);
    fputs(".SH ENVIRONMENT\n", out);
    for (i = 0; i < cli_options_len; i++) {
        char env[64];

        cli_option_env(&cli_options[i], env, sizeof(env));
        if (!*env)
            continue;
        fprintf(out, ".TP\n.B %s\nAs \\fB\\-\\-", env);
        roff(out, cli_options[i].name);
        fputs("\\fR", out);
        fputs(cli_options[i].takes_arg ? ".\n"
              : "; 1, true or yes set it, 0, false, no or empty leave it unset.\n", out);
    }
    fputs(".TP\n.B DATABASE_URL\nThe database when neither \\fB\\-\\-database\\-url\\fR nor "
          "\\fBPCS_MIGRATE_DATABASE_URL\\fR is given.\n"
          ".TP\n\\fBPGPASSWORD\\fR, \\fBPGHOST\\fR, \\fBPGUSER\\fR, ...\n"
          "libpq's variables, and its service and password files, fill in what the URL "
          "leaves out.\n"
          ".TP\n.B NO_COLOR\nNo colour on standard error, even on a terminal.\n", out);
    fputs(".SH EXIT STATUS\n", out);
    for (i = 0; i < cli_exit_docs_len; i++) {
        fprintf(out, ".TP\n.B %d\n\\&", cli_exit_docs[i].status);
        roff(out, cli_exit_docs[i].text);
        fputs(".\n", out);
    }
    fputs(".PP\n\\&", out);
    roff(out, cli_exit_fleet_doc);
    fputc('\n', out);
    fputs(".SH FILES\n.TP\n.I ./migrations/revisions.txt\n"
          "The list of revision files that \\fBcreate\\-migration\\fR, \\fBrevision\\fR and "
          "\\fBmerge\\fR append to when \\fB\\-\\-dir\\fR is not given.\n"
          "The migrations themselves are compiled into the binary: no file is read to "
          "migrate.\n", out);
    fputs(".SH EXAMPLES\nMigrate the database of \\fBDATABASE_URL\\fR to head, waiting up to "
          "a minute for the server to start:\n.PP\n.RS\n.nf\n"
          "DATABASE_URL=postgresql://app@db/app pcs\\-migrate migrate \\-\\-wait 60\n"
          ".fi\n.RE\n.PP\nThe SQL of every revision, for review, with no database:\n"
          ".PP\n.RS\n.nf\npcs\\-migrate upgrade \\-\\-sql base:head > schema.sql\n.fi\n.RE\n"
          ".PP\nThe current revision as JSON:\n.PP\n.RS\n.nf\n"
          "pcs\\-migrate current \\-\\-format json\n.fi\n.RE\n"
          ".PP\nEvery tenant database a file lists, eight at a time:\n.PP\n.RS\n.nf\n"
          "pcs\\-migrate migrate \\-\\-targets tenants.txt \\-\\-jobs 8\n.fi\n.RE\n"
          ".PP\nThe options of one command:\n.PP\n.RS\n.nf\n"
          "pcs\\-migrate upgrade \\-\\-help\n.fi\n.RE\n", out);
    fputs(".SH SEE ALSO\n.BR psql (1),\n.BR pg_dump (1);\n"
          "README.md and docs/commands.md in the source tree.\n", out);
}

/* ---- bash ------------------------------------------------------------- */

/* The option's spellings for a bash case pattern or word list: "-m|--message". */
static void bash_spellings(FILE *out, const struct cli_option *o, const char *sep)
{
    if (!o->no_short)
        fprintf(out, "-%c%s", o->letter, sep);
    fprintf(out, "--%s", o->name);
}

/* A case pattern of the options of one kind that take a value; false when there is none. */
static bool bash_pattern(FILE *out, bool (*match)(const struct cli_option *))
{
    size_t i, n = 0;

    for (i = 0; i < cli_options_len; i++) {
        if (!cli_options[i].takes_arg || !match(&cli_options[i]))
            continue;
        if (n++)
            fputc('|', out);
        bash_spellings(out, &cli_options[i], "|");
    }
    return n > 0;
}

static bool any_arg(const struct cli_option *o) { return o->takes_arg; }
static bool file_arg(const struct cli_option *o) { return o->kind == CLI_ARG_FILE; }
static bool dir_arg(const struct cli_option *o) { return o->kind == CLI_ARG_DIR; }
static bool rev_arg(const struct cli_option *o) { return o->kind == CLI_ARG_REV; }

static void bash(FILE *out)
{
    size_t i, j;

    fputs("# bash completion for pcs-migrate: commands, their options, option values and\n"
          "# the revision ids of its registry.  Generated by pcs-migrate-docgen from the\n"
          "# tables of runtime/cli/cli.c: edit those, not this file.\n"
          "_pcs_migrate()\n{\n"
          "    local cur=${COMP_WORDS[COMP_CWORD]} prev= cmd= opts= words= i\n"
          "    ((COMP_CWORD > 0)) && prev=${COMP_WORDS[COMP_CWORD - 1]}\n"
          "    # --opt=value: bash splits it at the '=' (COMP_WORDBREAKS).\n"
          "    if [[ $cur == = ]]; then\n        cur=\n"
          "    elif [[ $prev == = ]] && ((COMP_CWORD > 1)); then\n"
          "        prev=${COMP_WORDS[COMP_CWORD - 2]}\n    fi\n"
          "    local commands='", out);
    put_commands(out, " ");
    fputs("'\n    local targets='", out);
    put_targets(out, " ");
    fputs("'\n"
          "    # The command: the first word that is neither an option nor an option's value.\n"
          "    for ((i = 1; i < COMP_CWORD; i++)); do\n"
          "        case ${COMP_WORDS[i]} in\n            ", out);
    bash_pattern(out, any_arg);
    fputs(")\n                ((i++))\n"
          "                [[ ${COMP_WORDS[i]} == = ]] && ((i++)) ;;\n"
          "            -*) ;;\n"
          "            *) cmd=${COMP_WORDS[i]}; break ;;\n"
          "        esac\n    done\n"
          "    case $prev in\n", out);
    for (i = 0; i < cli_options_len; i++) {
        if (!cli_options[i].values)
            continue;
        fputs("        ", out);
        bash_spellings(out, &cli_options[i], "|");
        fprintf(out, ")\n            COMPREPLY=($(compgen -W '%s' -- \"$cur\")); return ;;\n",
                cli_options[i].values);
    }
    fputs("        ", out);
    if (bash_pattern(out, file_arg))
        fputs(")\n            COMPREPLY=($(compgen -f -- \"$cur\")); return ;;\n        ", out);
    if (bash_pattern(out, dir_arg))
        fputs(")\n            COMPREPLY=($(compgen -d -- \"$cur\")); return ;;\n        ", out);
    if (bash_pattern(out, rev_arg))
        fputs(")\n            COMPREPLY=($(compgen -W \"$targets\" -- \"$cur\")); return ;;\n"
              "        ", out);
    bash_pattern(out, any_arg);
    fputs(")\n            return ;;\n    esac\n"
          "    case $cmd in\n"
          "        '')\n            words=$commands\n            opts='--help -h --version", out);
    /* Before the command, every long option is taken (and moved behind it). */
    for (i = 0; i < cli_options_len; i++)
        if (cli_options[i].letter != 'h')
            fprintf(out, " --%s", cli_options[i].name);
    fputs("' ;;\n", out);
    for (i = 0; i < cli_cmds_len; i++) {
        const struct cli_cmd *cmd = &cli_cmds[i];

        size_t n = 0;

        fprintf(out, "        %s)\n            opts='", cmd->name);
        for (j = 0; j < cli_options_len; j++) {
            if (cli_option_group(cmd, &cli_options[j]) == CLI_OPT_NONE)
                continue;
            if (n++)
                fputc(' ', out);
            bash_spellings(out, &cli_options[j], " ");
        }
        fputs("'", out);
        if (takes_revisions(cmd))
            fputs("\n            words=$targets", out);
        else if (cmd->fn == cmd_help)
            fputs("\n            words=$commands", out);
        fputs(" ;;\n", out);
    }
    fputs("    esac\n"
          "    if [[ $cur == -* ]]; then\n"
          "        COMPREPLY=($(compgen -W \"$opts\" -- \"$cur\"))\n"
          "    else\n"
          "        COMPREPLY=($(compgen -W \"$words\" -- \"$cur\"))\n"
          "    fi\n"
          "}\n"
          "complete -F _pcs_migrate pcs-migrate\n", out);
}

/* ---- zsh -------------------------------------------------------------- */

/*
 * The first line of a help text in zsh single quotes; for an _arguments
 * description (`spec`), with its brackets, colons and backslashes escaped,
 * for a _describe one (after "name:") as it is.
 */
static void zsh_desc(FILE *out, const char *s, bool spec)
{
    for (; *s && *s != '\n'; s++) {
        if (*s == '\'')
            fputs("'\\''", out);
        else if (spec && (*s == '[' || *s == ']' || *s == '\\' || *s == ':'))
            fprintf(out, "\\%c", *s);
        else
            fputc(*s, out);
    }
}

/* The value's action: a fixed set, files, directories, revisions, or nothing to offer. */
static void zsh_action(FILE *out, const struct cli_option *o)
{
    fprintf(out, ":%s:", o->name);
    if (o->values)
        fprintf(out, "(%s)", o->values);
    else if (o->kind == CLI_ARG_FILE)
        fputs("_files", out);
    else if (o->kind == CLI_ARG_DIR)
        fputs("_files -/", out);
    else if (o->kind == CLI_ARG_REV)
        fputs("($targets)", out);
    else
        fputc(' ', out);
}

static void zsh_option(FILE *out, const struct cli_option *o)
{
    int pass;

    for (pass = 0; pass < 2; pass++) {
        if (pass == 0 && o->no_short)
            continue;
        fputs(" \\\n                '", out);
        if (!o->no_short)
            fprintf(out, "(-%c --%s)", o->letter, o->name);
        if (pass == 0)
            fprintf(out, "-%c%s", o->letter, o->takes_arg ? "+" : "");
        else
            fprintf(out, "--%s%s", o->name, o->takes_arg ? "=" : "");
        fputc('[', out);
        zsh_desc(out, o->help, true);
        fputc(']', out);
        if (o->takes_arg)
            zsh_action(out, o);
        fputc('\'', out);
    }
}

static void zsh(FILE *out)
{
    size_t i, j;

    fputs("#compdef pcs-migrate\n"
          "# zsh completion for pcs-migrate: commands, their options, option values and\n"
          "# the revision ids of its registry.  Generated by pcs-migrate-docgen from the\n"
          "# tables of runtime/cli/cli.c: edit those, not this file.\n"
          "_pcs-migrate() {\n"
          "    local curcontext=$curcontext state state_descr line ret=1\n"
          "    typeset -A opt_args\n"
          "    local -a targets=(", out);
    put_targets(out, " ");
    fputs(")\n    local -a command_names=(", out);
    put_commands(out, " ");
    fputs(")\n    local -a commands=(\n", out);
    for (i = 0; i < cli_cmds_len; i++) {
        fprintf(out, "        '%s:", cli_cmds[i].name);
        zsh_desc(out, cli_cmds[i].summary, false);
        fputs("'\n", out);
    }
    fprintf(out, "    )\n"
            "    _arguments -C \\\n"
            "        '(- *)'{-h,--help}'[show help and exit]' \\\n"
            "        '(- *)--version[%s]' \\\n"
            "        '1:command:->command' \\\n"
            "        '*::argument:->argument' && ret=0\n"
            "    case $state in\n"
            "    command)\n"
            "        _describe -t commands 'pcs-migrate command' commands && ret=0 ;;\n"
            "    argument)\n"
            "        curcontext=${curcontext%%:*:*}:pcs-migrate-$words[1]:\n"
            "        case $words[1] in\n", version_help);
    for (i = 0; i < cli_cmds_len; i++) {
        const struct cli_cmd *cmd = &cli_cmds[i];

        fprintf(out, "        %s)\n            _arguments -s", cmd->name);
        for (j = 0; j < cli_options_len; j++)
            if (cli_option_group(cmd, &cli_options[j]) != CLI_OPT_NONE)
                zsh_option(out, &cli_options[j]);
        if (takes_revisions(cmd))
            fputs(" \\\n                '*:target:($targets)'", out);
        else if (cmd->fn == cmd_help)
            fputs(" \\\n                '1:command:($command_names)'", out);
        else if (!(cmd->flags & CMD_NO_ARGS))
            fputs(" \\\n                '*:argument: '", out);
        fputs(" && ret=0 ;;\n", out);
    }
    fputs("        esac ;;\n"
          "    esac\n"
          "    return ret\n"
          "}\n"
          "_pcs-migrate \"$@\"\n", out);
}

/* ---- fish ------------------------------------------------------------- */

/* The first line of a help text in fish single quotes. */
static void fish_quoted(FILE *out, const char *s)
{
    fputc('\'', out);
    for (; *s && *s != '\n'; s++) {
        if (*s == '\'' || *s == '\\')
            fputc('\\', out);
        fputc(*s, out);
    }
    fputc('\'', out);
}

static void fish(FILE *out)
{
    size_t i, j;

    fputs("# fish completion for pcs-migrate: commands, their options, option values and\n"
          "# the revision ids of its registry.  Generated by pcs-migrate-docgen from the\n"
          "# tables of runtime/cli/cli.c: edit those, not this file.\n"
          "set -l commands ", out);
    put_commands(out, " ");
    fputs("\nset -l targets ", out);
    put_targets(out, " ");
    fputs("\ncomplete -c pcs-migrate -f\n", out);
    for (i = 0; i < cli_cmds_len; i++) {
        fprintf(out, "complete -c pcs-migrate -n \"not __fish_seen_subcommand_from $commands\" "
                "-a %s -d ", cli_cmds[i].name);
        fish_quoted(out, cli_cmds[i].summary);
        fputc('\n', out);
    }
    fprintf(out, "complete -c pcs-migrate -n \"not __fish_seen_subcommand_from $commands\" "
            "-l version -d '%s'\n", version_help);
    for (i = 0; i < cli_options_len; i++) {
        const struct cli_option *o = &cli_options[i];

        fputs("complete -c pcs-migrate -n \"__fish_seen_subcommand_from", out);
        for (j = 0; j < cli_cmds_len; j++)
            if (cli_option_group(&cli_cmds[j], o) != CLI_OPT_NONE)
                fprintf(out, " %s", cli_cmds[j].name);
        if (o->global)      /* before the command too */
            fputs("; or not __fish_seen_subcommand_from $commands", out);
        fputc('"', out);
        if (!o->no_short)
            fprintf(out, " -s %c", o->letter);
        fprintf(out, " -l %s", o->name);
        if (o->values)
            fprintf(out, " -x -a '%s'", o->values);
        else if (o->kind == CLI_ARG_FILE)
            fputs(" -r -F", out);
        else if (o->kind == CLI_ARG_DIR)
            fputs(" -x -a '(__fish_complete_directories)'", out);
        else if (o->kind == CLI_ARG_REV)
            fputs(" -x -a \"$targets\"", out);
        else if (o->takes_arg)
            fputs(" -x", out);
        fputs(" -d ", out);
        fish_quoted(out, o->help);
        fputc('\n', out);
    }
    fputs("complete -c pcs-migrate -n \"__fish_seen_subcommand_from", out);
    for (i = 0; i < cli_cmds_len; i++)
        if (takes_revisions(&cli_cmds[i]))
            fprintf(out, " %s", cli_cmds[i].name);
    fputs("\" -a \"$targets\"\n", out);
    for (i = 0; i < cli_cmds_len; i++)
        if (cli_cmds[i].fn == cmd_help)
            fprintf(out, "complete -c pcs-migrate -n \"__fish_seen_subcommand_from %s\" "
                    "-a \"$commands\"\n", cli_cmds[i].name);
}

int main(int argc, char **argv)
{
    static const struct {
        const char *name;
        void (*write)(FILE *out);
    } formats[] = { { "man", man }, { "bash", bash }, { "zsh", zsh }, { "fish", fish } };
    size_t i;

    for (i = 0; argc == 2 && i < sizeof(formats) / sizeof(formats[0]); i++) {
        if (strcmp(argv[1], formats[i].name))
            continue;
        formats[i].write(stdout);
        if (fflush(stdout) != 0 || ferror(stdout)) {
            perror("pcs-migrate-docgen: stdout");
            return 1;
        }
        return 0;
    }
    fprintf(stderr, "usage: %s-docgen man|bash|zsh|fish > FILE\n", prog);
    return 2;
}
