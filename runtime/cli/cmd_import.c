/*
 * import-alembic: an Alembic versions/ directory into revision files.  The
 * Python is read by generator/alembic_import.py (the standard library's
 * `ast`), built into this binary and run as `python3 -I -` with its text on
 * standard input, so an installed pcs-migrate needs no path to it; its JSON
 * comes back through a pipe, and the library writes the revisions.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include <jansson.h>

#include "cli.h"
#include "alembic_import.h"

static int read_json_file(const char *path, pcsm_buf *out)
{
    int fd = strcmp(path, "-") ? open(path, O_RDONLY | O_CLOEXEC) : 0;
    int rc;

    if (fd < 0)
        return cli_error(CLI_EXIT_USAGE, "cannot open %s: %s", path, strerror(errno));
    rc = pcsm_buf_read_fd(out, fd);
    if (rc < 0)
        rc = cli_error(CLI_EXIT_FAILED, "cannot read %s: %s", path, strerror(errno));
    if (fd > 0)
        close(fd);
    return rc;
}

static int write_all(int fd, const char *p, size_t len)
{
    while (len > 0) {
        ssize_t n = write(fd, p, len);

        if (n < 0 && errno != EINTR)
            return -1;
        if (n > 0) {
            p += n;
            len -= (size_t)n;
        }
    }
    return 0;
}

/*
 * Runs the reader on `versions` and collects its standard output.  It reads
 * its whole script before it runs (python3 compiles standard input first),
 * so writing all of it and then reading cannot deadlock.  Its standard
 * error is ours: its messages name the Python file and line.
 */
static int run_reader(const char *versions, pcsm_buf *out)
{
    int in[2], from[2], status, rc = 0, err = 0;
    pid_t pid;

    if (pipe(in) < 0 || pipe(from) < 0)
        return cli_error(CLI_EXIT_FAILED, "cannot make a pipe: %s", strerror(errno));
    pid = fork();
    if (pid < 0)
        return cli_error(CLI_EXIT_FAILED, "cannot start python3: %s", strerror(errno));
    if (pid == 0) {
        dup2(in[0], 0);
        dup2(from[1], 1);
        close(in[0]);
        close(in[1]);
        close(from[0]);
        close(from[1]);
        execlp("python3", "python3", "-I", "-", versions, (char *)NULL);
        fprintf(stderr, "pcs-migrate: cannot run python3: %s\n", strerror(errno));
        _exit(127);
    }
    close(in[0]);
    close(from[1]);
    if (write_all(in[1], pcsm_alembic_import_py, strlen(pcsm_alembic_import_py)) < 0)
        err = errno;    /* EPIPE: it ended early; its status says why */
    close(in[1]);
    if (pcsm_buf_read_fd(out, from[0]) < 0 && !err)
        err = errno;
    close(from[0]);
    while (waitpid(pid, &status, 0) < 0 && errno == EINTR)
        ;
    if (WIFEXITED(status) && WEXITSTATUS(status) == 127)
        rc = cli_error(CLI_EXIT_FAILED, "python3 (the Alembic reader runs on it) was not "
                       "found or could not run");
    else if (!WIFEXITED(status) || WEXITSTATUS(status) != 0)
        rc = cli_error(CLI_EXIT_FAILED, "the Alembic reader failed on %s (%s %d); nothing "
                       "written", versions,
                       WIFEXITED(status) ? "exit status" : "signal",
                       WIFEXITED(status) ? WEXITSTATUS(status) : WTERMSIG(status));
    else if (err && err != EPIPE)
        rc = cli_error(CLI_EXIT_FAILED, "talking to the Alembic reader: %s", strerror(err));
    return rc;
}

static json_t *summary_json(const pcsm_import_summary *s)
{
    return json_pack("{s:{s:I, s:I}, s:{s:I, s:I, s:I}}",
                     "revisions", "clean", (json_int_t)s->revisions_clean,
                     "with_placeholders", (json_int_t)s->revisions_placeholder,
                     "operations", "structured", (json_int_t)s->ops_structured,
                     "raw_sql", (json_int_t)s->ops_raw_sql,
                     "placeholder", (json_int_t)s->ops_placeholder);
}

int cmd_import_alembic(struct cli *cli, const struct cli_cmd *cmd, int argc, char **argv)
{
    const char *dir = cli_migrations_dir(cli);
    pcsm_import_summary sum;
    pcsm_buf json = PCSM_BUF_INIT;
    char **paths = NULL;
    size_t n = 0, i;
    int rc;

    if (argc > 1)
        return cli_usage(cmd, "unexpected argument '%s'", argv[1]);
    if (cli->import_json && argc > 0)
        return cli_usage(cmd, "give VERSIONS_DIR or --from-json FILE, not both");
    if (!cli->import_json && argc == 0)
        return cli_usage(cmd, "the Alembic versions directory is missing");
    rc = cli->import_json ? read_json_file(cli->import_json, &json) : run_reader(argv[0], &json);
    if (rc == 0 && pcsm_import_alembic_json(cli->ctx, dir, json.ptr, json.len, &sum, &paths,
                                            &n) < 0)
        rc = cli_error_lib(cli);
    if (rc != 0)
        goto done;
    if (cli->json) {
        json_t *list = json_array();

        for (i = 0; i < n; i++)
            json_array_append_new(list, pcsm_json_string(paths[i]));
        cli_json_put(stdout, json_pack("{s:s, s:o, s:o, s:s}", "command", cmd->name,
                                       "paths", list, "summary", summary_json(&sum),
                                       "status", sum.ops_placeholder ? "edit" : "ok"));
    } else {
        for (i = 0; i < n; i++)
            printf("%s\n", paths[i]);
    }
    cli_info(cli, "imported %zu revisions into %s: %zu clean, %zu with placeholders; "
             "operations: %zu structured, %zu raw SQL, %zu placeholders",
             sum.revisions_clean + sum.revisions_placeholder, dir, sum.revisions_clean,
             sum.revisions_placeholder, sum.ops_structured, sum.ops_raw_sql,
             sum.ops_placeholder);
    if (sum.ops_placeholder) {
        cli_info(cli, "each placeholder is an #error that stops the build at its file and "
                 "line: write what its Python does, then delete the #error");
        rc = CLI_EXIT_EDIT;
    }
done:
    for (i = 0; i < n; i++)
        free(paths[i]);
    free(paths);
    pcsm_buf_dispose(&json);
    return rc;
}
