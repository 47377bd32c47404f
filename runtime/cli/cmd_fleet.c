/*
 * A command over a fleet (--targets, --targets-query, --schemas-like): the
 * list read and sliced, then the command run per target by the library's
 * scheduler, each in a process of its own; this file prints what they say,
 * a progress line on a terminal, and the summary, and picks the exit status.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <jansson.h>

#include "cli.h"

#define DEFAULT_JOBS 4
/* The most a target list may hold: a list, not a data file. */
#define TARGETS_FILE_MAX (16 << 20)
#define PROGRESS_TICK_MS 500

struct fleet {
    struct cli *cli;
    const struct cli_cmd *cmd;
    int argc;
    char **argv;
    const pcsm_fleet_targets *targets;
    pcsm_fleet_outcome *outcomes;
    pcsm_buf *results;          /* per target, JSON: its stdout lines, each ended by '\n' */
    size_t *n_results;
    pcsm_buf *errors;           /* per target: its last error line */
    volatile sig_atomic_t *signo;   /* set once the fleet itself is interrupted */
    bool progress;              /* a progress line on stderr (a terminal, text) */
    bool progress_shown;
};

bool cli_is_fleet(const struct cli *cli)
{
    return cli->targets_file || cli->targets_query || cli->schemas_like;
}

/* In the child: the command, as a single run against this target. */
static int run_target(const pcsm_fleet_target *target, size_t index, void *payload)
{
    struct fleet *f = payload;
    struct cli *cli = f->cli;
    int rc;

    (void)index;
    cli->db_opts.conninfo = target->conninfo;
    cli->url_file = NULL;
    if (target->schema)
        cli->db_opts.script.schema = target->schema;
    cli->color = false;
    cli->fleet_preflight = false;
    rc = f->cmd->fn(cli, f->cmd, f->argc, f->argv);
    return rc == CLI_FLEET_READY ? CLI_EXIT_FAILED : rc;
}

static void clear_progress(struct fleet *f)
{
    if (f->progress_shown) {
        fputs("\r\033[K", stderr);
        f->progress_shown = false;
    }
}

/* "12/200 done, 8 running, 1 failed, 179 left; slowest: host/db (3.2 s)" */
static void show_progress(void *payload)
{
    struct fleet *f = payload;
    size_t i, done = 0, running = 0, failed = 0, slowest = SIZE_MAX;

    if (!f->progress)
        return;
    for (i = 0; i < f->targets->n; i++) {
        const pcsm_fleet_outcome *o = &f->outcomes[i];

        if (o->state == PCSM_FLEET_DONE) {
            done++;
            failed += o->status != 0;
        } else if (o->state == PCSM_FLEET_RUNNING) {
            running++;
            if (slowest == SIZE_MAX || o->seconds > f->outcomes[slowest].seconds)
                slowest = i;
        }
    }
    clear_progress(f);
    fprintf(stderr, "fleet: %zu/%zu done, %zu running, %zu failed, %zu left", done,
            f->targets->n, running, failed, f->targets->n - done - running);
    if (slowest != SIZE_MAX)
        fprintf(stderr, "; slowest: %s (%.1f s)", f->targets->v[slowest].label,
                f->outcomes[slowest].seconds);
    fflush(stderr);
    f->progress_shown = true;
}

/* A line of a target's, parsed: the JSON it holds, else the line as a string. */
static json_t *child_json(const char *line, size_t len)
{
    json_t *v = json_loadb(line, len, JSON_DECODE_ANY, NULL);

    /* Not ours (a sanitizer's report, a crash): kept whole, as a string. */
    if (!v) {
        char *copy = strndup(line, len);

        if (!copy)
            abort();
        v = pcsm_json_string(copy);
        free(copy);
    }
    return v;
}

/*
 * A JSON log line of the target's, with "target" first; any other line
 * wrapped as an info message.  Returns whether it is an error's.
 */
static bool put_json_log(const pcsm_fleet_target *t, const char *line, size_t len)
{
    json_t *v = child_json(line, len);
    json_t *o = json_pack("{s:o}", "target", pcsm_json_string(t->label));
    bool error;

    if (json_is_object(v)) {
        json_object_update(o, v);
    } else {
        json_object_set_new(o, "level", json_string("info"));
        json_object_set(o, "message", v);
    }
    error = json_is_object(v) && json_is_string(json_object_get(v, "level")) &&
            !strcmp(json_string_value(json_object_get(v, "level")), "error");
    json_decref(v);
    cli_json_put(stderr, o);
    return error;
}

static void on_line(size_t index, int stream, const char *line, size_t len, void *payload)
{
    struct fleet *f = payload;
    const pcsm_fleet_target *t = &f->targets->v[index];
    static const char prefix[] = "pcs-migrate: ";

    if (stream == 1 && f->cli->json) {
        pcsm_buf *r = &f->results[index];

        f->n_results[index]++;
        pcsm_buf_put(r, line, len);
        pcsm_buf_putc(r, '\n');
        return;
    }
    if (stream == 1) {
        clear_progress(f);      /* stdout may be the same terminal */
        printf("%s: %.*s\n", t->label, (int)len, line);
        /* In step with stderr's lines, where both go to one log. */
        fflush(stdout);
        return;
    }
    if (f->cli->json) {
        if (put_json_log(t, line, len)) {
            pcsm_buf_clear(&f->errors[index]);
            pcsm_buf_put(&f->errors[index], line, len);
        }
        return;
    }
    /* The run's own lines begin "pcs-migrate: "; the label takes its place. */
    if (len >= sizeof(prefix) - 1 && !memcmp(line, prefix, sizeof(prefix) - 1)) {
        line += sizeof(prefix) - 1;
        len -= sizeof(prefix) - 1;
        if (strncmp(line, "warning: ", 9) && len) {
            pcsm_buf_clear(&f->errors[index]);
            pcsm_buf_put(&f->errors[index], line, len);
        }
    }
    clear_progress(f);
    fprintf(stderr, "%s: %.*s\n", t->label, (int)len, line);
}

/*
 * "interrupted": it rolled back because the fleet passed a signal on; one
 * that a signal of its own ended (a kill of that process) failed, as far
 * as the fleet can tell.
 */
static const char *state_name(const struct fleet *f, size_t i)
{
    const pcsm_fleet_outcome *o = &f->outcomes[i];

    if (o->state != PCSM_FLEET_DONE)
        return "not_started";
    return *f->signo && (o->status == CLI_EXIT_SIGINT || o->status == CLI_EXIT_SIGTERM)
           ? "interrupted" : "done";
}

static void on_done(size_t index, void *payload)
{
    struct fleet *f = payload;
    const pcsm_fleet_target *t = &f->targets->v[index];
    const pcsm_fleet_outcome *o = &f->outcomes[index];
    const pcsm_buf *r = &f->results[index];

    if (f->cli->json) {
        json_t *doc = json_pack("{s:o, s:I, s:s, s:i, s:f}", "target",
                                pcsm_json_string(t->label), "index", (json_int_t)index,
                                "state", state_name(f, index), "exit", o->status,
                                "seconds", o->seconds);
        json_t *results = json_array();
        const char *p, *eol, *end = r->len ? r->ptr + r->len : r->ptr;

        /* By length: a line is the child's bytes, a NUL among them included. */
        for (p = r->ptr; p && p < end; p = eol + 1) {
            eol = memchr(p, '\n', (size_t)(end - p));
            if (!eol)       /* a last line without its newline */
                eol = end;
            json_array_append_new(results, child_json(p, (size_t)(eol - p)));
        }
        /* One object as it is; several (or none) as an array. */
        if (!f->n_results[index])
            json_object_set_new(doc, "result", json_null());
        else if (f->n_results[index] > 1)
            json_object_set(doc, "result", results);
        else
            json_object_set(doc, "result", json_array_get(results, 0));
        json_decref(results);
        json_object_set_new(doc, "error", f->errors[index].len
                            ? child_json(f->errors[index].ptr, f->errors[index].len)
                            : json_null());
        cli_json_put(stdout, doc);
    } else {
        clear_progress(f);
        if (o->status == 0)
            fprintf(stderr, "%s: ok (%.2f s)\n", t->label, o->seconds);
        else
            fprintf(stderr, "%s: %s, exit %d (%.2f s)\n", t->label,
                    strcmp(state_name(f, index), "interrupted") ? "failed" : "interrupted",
                    o->status, o->seconds);
    }
    show_progress(f);
}

/*
 * How bad a status is, for the fleet's: what needs a person (a usage
 * error, an inconsistent database, a broken migration) over what a rerun
 * may fix (a process killed on its own, by the OOM killer say; a lock;
 * unreachable), over drift; so that an orchestrator that retries the
 * second kind does not retry the first forever.
 */
static int severity(int status)
{
    switch (status) {
    case CLI_EXIT_OK: return 0;
    case CLI_EXIT_DRIFT: return 1;
    case CLI_EXIT_UNREACHABLE: return 2;
    case CLI_EXIT_LOCK: return 3;
    case CLI_EXIT_FAILED: return 5;
    case CLI_EXIT_INCONSISTENT: return 6;
    case CLI_EXIT_USAGE: return 7;
    default: return 4;          /* 128 + a signal, or a status of no command's */
    }
}

/* Reads the --targets file (or stdin) into a list. */
static int read_targets(struct cli *cli, pcsm_fleet_targets *out)
{
    const char *path = cli->targets_file;
    bool is_stdin = !strcmp(path, "-");
    const char *source = is_stdin ? "standard input" : path;
    pcsm_buf text = PCSM_BUF_INIT;
    char chunk[65536];
    int fd = is_stdin ? STDIN_FILENO : open(path, O_RDONLY | O_CLOEXEC | O_NOCTTY);
    int rc = 0;
    ssize_t got;

    if (fd < 0)
        return cli_error(CLI_EXIT_USAGE, "cannot read the targets file %s: %s", path,
                         strerror(errno));
    while ((got = read(fd, chunk, sizeof(chunk))) != 0) {
        if (got < 0 && errno == EINTR && !*cli_signals())
            continue;
        if (got < 0 && errno == EINTR)
            break;      /* the caller says so */
        if (got < 0) {
            rc = cli_error(CLI_EXIT_USAGE, "cannot read the targets file %s: %s", source,
                           strerror(errno));
            break;
        }
        pcsm_buf_put(&text, chunk, (size_t)got);
        if (text.len > TARGETS_FILE_MAX) {
            rc = cli_error(CLI_EXIT_USAGE, "the targets file %s is larger than %d bytes",
                           source, TARGETS_FILE_MAX);
            break;
        }
    }
    explicit_bzero(chunk, sizeof(chunk));
    if (!is_stdin)
        close(fd);
    if (rc == 0 && pcsm_fleet_parse(cli->ctx, text.ptr, text.len, source, out) < 0)
        rc = cli_error_lib(cli);
    explicit_bzero(text.ptr, text.len);
    pcsm_buf_dispose(&text);
    return rc;
}

/* The list, from the file or the control database, then its shard. */
static int list_targets(struct cli *cli, const struct cli_cmd *cmd, pcsm_fleet_targets *out)
{
    int rc;

    if (cli->targets_file) {
        rc = read_targets(cli, out);
    } else {
        cli->fleet_preflight = false;
        rc = cli_open_db(cli, cmd);
        if (rc == 0) {
            rc = cli->targets_query
                 ? pcsm_fleet_query(cli->ctx, cli->db, cli->targets_query, out)
                 : pcsm_fleet_schemas(cli->ctx, cli->db, cli->schemas_like,
                                      cli->db_opts.conninfo, out);
            if (rc < 0)
                rc = cli_error_lib(cli);
        }
        /* The children must not share its socket: closed before they start. */
        cli_close_db(cli);
    }
    if (rc == 0 && cli->shard && pcsm_fleet_shard(cli->ctx, out, cli->shard) < 0)
        rc = cli_error_lib(cli);
    return rc;
}

static bool canary_failed(const struct fleet *f)
{
    size_t i;

    for (i = 0; i < (size_t)f->cli->canary && i < f->targets->n; i++)
        if (f->outcomes[i].state == PCSM_FLEET_DONE && f->outcomes[i].status != 0)
            return true;
    return false;
}

/* The fleet's last stdout line: {"fleet":{...}}, the counts and the exit status. */
static json_t *fleet_summary(const struct cli_cmd *cmd, size_t targets, size_t ok,
                             size_t failed, size_t interrupted, size_t not_started, int exit)
{
    return json_pack("{s:{s:s, s:I, s:I, s:I, s:I, s:I, s:i}}", "fleet", "command", cmd->name,
                     "targets", (json_int_t)targets, "ok", (json_int_t)ok,
                     "failed", (json_int_t)failed, "interrupted", (json_int_t)interrupted,
                     "not_started", (json_int_t)not_started, "exit", exit);
}

/* The end: per target lines of those not started, the counts, and the status. */
static int summarize(struct fleet *f, int run_rc, volatile sig_atomic_t *signo)
{
    struct cli *cli = f->cli;
    size_t i, ok = 0, failed = 0, interrupted = 0, not_started = 0;
    int worst = CLI_EXIT_OK;

    clear_progress(f);
    for (i = 0; i < f->targets->n; i++) {
        const pcsm_fleet_outcome *o = &f->outcomes[i];

        if (o->state != PCSM_FLEET_DONE) {
            not_started++;
            if (cli->json)
                cli_json_put(stdout, json_pack("{s:o, s:I, s:s, s:n, s:n, s:n, s:n}",
                                               "target", pcsm_json_string(f->targets->v[i].label),
                                               "index", (json_int_t)i, "state", "not_started",
                                               "exit", "seconds", "result", "error"));
            continue;
        }
        if (!strcmp(state_name(f, i), "interrupted"))
            interrupted++;
        else if (o->status == 0)
            ok++;
        else
            failed++;
        if (severity(o->status) > severity(worst))
            worst = o->status;
    }
    if (run_rc == PCSM_EINTERRUPTED)
        worst = *signo == SIGINT ? CLI_EXIT_SIGINT : CLI_EXIT_SIGTERM;
    else if (run_rc < 0 && worst == CLI_EXIT_OK)
        worst = CLI_EXIT_FAILED;     /* a process or pipe could not be made */
    if (cli->json) {
        cli_json_put(stdout, fleet_summary(f->cmd, f->targets->n, ok, failed, interrupted,
                                           not_started, worst));
    } else {
        fprintf(stderr, "pcs-migrate: fleet: %s on %zu target%s: %zu ok, %zu failed, "
                "%zu interrupted, %zu not started\n", f->cmd->name, f->targets->n,
                f->targets->n == 1 ? "" : "s", ok, failed, interrupted, not_started);
        for (i = 0; i < f->targets->n; i++) {
            const pcsm_fleet_outcome *o = &f->outcomes[i];

            if (o->state == PCSM_FLEET_DONE && o->status != 0 &&
                strcmp(state_name(f, i), "interrupted"))
                fprintf(stderr, "pcs-migrate: fleet: failed (exit %d): %s%s%s\n", o->status,
                        f->targets->v[i].label, f->errors[i].len ? ": " : "",
                        f->errors[i].ptr);
        }
    }
    if (run_rc == PCSM_EINTERRUPTED)
        cli_info(cli, "%s", pcsm_error_last(cli->ctx)->message);
    else if (run_rc < 0)
        cli_error_lib(cli);
    else if (not_started)
        cli_info(cli, "fleet: stopped after a failure%s; %zu target%s not started",
                 canary_failed(f) ? " of the canary" : "", not_started,
                 not_started == 1 ? "" : "s");
    return worst;
}

int cli_fleet(struct cli *cli, const struct cli_cmd *cmd, int argc, char **argv)
{
    pcsm_fleet_targets targets = PCSM_FLEET_TARGETS_INIT;
    volatile sig_atomic_t *signo;
    pcsm_fleet_opts opts = { 0 };
    struct fleet f = { cli, cmd, argc, argv, &targets, NULL, NULL, NULL, NULL, NULL, false,
                       false };
    size_t i;
    int rc, run_rc;

    if ((cli->targets_file != NULL) + (cli->targets_query != NULL) +
        (cli->schemas_like != NULL) > 1)
        return cli_usage(cmd, "--targets, --targets-query and --schemas-like: give one");
    if (cli->sql)
        return cli_usage(cmd, "--sql prints one script and connects to nothing: it takes no "
                         "list of targets");
    if (cli->from_database)
        return cli_usage(cmd, "--from-database compares one database: it takes no list of "
                         "targets");
    /* The operands, checked once here rather than once per target. */
    cli->fleet_preflight = true;
    rc = cmd->fn(cli, cmd, argc, argv);
    cli->fleet_preflight = false;
    if (rc != CLI_FLEET_READY)
        return rc;
    f.signo = signo = cli_signals();
    rc = list_targets(cli, cmd, &targets);
    if (rc == 0 && *signo)
        rc = cli_error(*signo == SIGINT ? CLI_EXIT_SIGINT : CLI_EXIT_SIGTERM,
                       "fleet: interrupted by signal %d while reading the list; no target "
                       "started", (int)*signo);
    if (rc)
        goto done;
    if (!targets.n) {
        cli_warn(cli, "fleet: no targets%s: nothing to do", cli->shard ? " in this shard" : "");
        if (cli->json)
            cli_json_put(stdout, fleet_summary(cmd, 0, 0, 0, 0, 0, 0));
        goto done;
    }
    f.outcomes = calloc(targets.n, sizeof(*f.outcomes));
    f.results = calloc(targets.n, sizeof(*f.results));
    f.n_results = calloc(targets.n, sizeof(*f.n_results));
    f.errors = calloc(targets.n, sizeof(*f.errors));
    if (!f.outcomes || !f.results || !f.n_results || !f.errors)
        abort();
    for (i = 0; i < targets.n; i++)
        f.results[i] = f.errors[i] = (pcsm_buf)PCSM_BUF_INIT;
    f.progress = cli->color && !cli->json;
    opts.jobs = cli->jobs ? cli->jobs : DEFAULT_JOBS;
    opts.canary = (size_t)cli->canary;
    /* Nothing to protect by stopping a read-only look at each database. */
    opts.keep_going = cli->keep_going || !(cmd->flags & CMD_CHANGES);
    opts.run = run_target;
    opts.on_line = on_line;
    opts.on_done = on_done;
    opts.on_tick = f.progress ? show_progress : NULL;
    opts.tick_ms = PROGRESS_TICK_MS;
    opts.payload = &f;
    opts.interrupt = signo;
    run_rc = pcsm_fleet_run(cli->ctx, &targets, &opts, f.outcomes);
    rc = summarize(&f, run_rc, signo);
    for (i = 0; i < targets.n; i++) {
        pcsm_buf_dispose(&f.results[i]);
        pcsm_buf_dispose(&f.errors[i]);
    }
done:
    free(f.outcomes);
    free(f.results);
    free(f.n_results);
    free(f.errors);
    pcsm_fleet_targets_dispose(&targets);
    return rc;
}
