/*
 * A fleet: one command run against many databases (tenants, shards,
 * regions), each target in a process of its own, exactly as safe as a
 * single run: its own connection, lock, transaction and history.  This
 * header lists the targets and schedules the processes; what each process
 * runs, and what is printed, is the caller's.
 */
#ifndef PCSM_FLEET_H
#define PCSM_FLEET_H

#include <signal.h>
#include <stdbool.h>
#include <stddef.h>

#include "db.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef struct pcsm_fleet_target {
    char *conninfo;             /* owned; a libpq URL or conninfo, may hold a password:
                                 * never printed */
    char *schema;               /* owned; NULL: the run's own --schema */
    char *label;                /* owned; "host:port/dbname" and " (schema S)", or
                                 * "target N": never a password, meant for output */
    size_t line;                /* its line in the list (1-based); 0 from a query */
    char *key;                  /* owned; host, port, database and schema, libpq's
                                 * defaults filled in: what duplicates are judged by */
} pcsm_fleet_target;

typedef struct pcsm_fleet_targets {
    pcsm_fleet_target *v;       /* in list order, which --shard and the canary follow */
    size_t n, cap;
} pcsm_fleet_targets;

#define PCSM_FLEET_TARGETS_INIT { NULL, 0, 0 }

/* Frees every target's strings and the array; the list is then empty. */
PCSM_API void pcsm_fleet_targets_dispose(pcsm_fleet_targets *list);

/*
 * Appends one target (both strings copied; schema may be NULL).  `source`
 * and `line` say where it came from for messages.  A string a single run
 * would refuse (libpq cannot parse it, an unknown keyword, a bad port or
 * sslmode...) is PCSM_EINVALID naming the place, never the string, so
 * that it fails before any target runs.  The same host, port, database
 * and schema twice in one list (however the strings spell them; a target
 * without a schema is not the same as one with a schema) is PCSM_EINVALID
 * naming both places: two processes would queue on one lock for nothing,
 * and a slice of the list would no longer be a slice of the databases.
 */
PCSM_API int pcsm_fleet_add(pcsm_ctx *ctx, pcsm_fleet_targets *list, const char *conninfo,
                            const char *schema, const char *source, size_t line);

/*
 * A target list, one target per line: a libpq URL or conninfo string,
 * optionally followed by "--schema NAME" (or "--schema=NAME"), which names
 * the schema of that target's version table.  Blank lines and lines whose
 * first non-blank character is '#' are skipped; leading and trailing blanks
 * dropped.  A malformed line is PCSM_EINVALID naming `source` and the line
 * number, never the line's text (it may hold a password).
 */
PCSM_API int pcsm_fleet_parse(pcsm_ctx *ctx, const char *text, size_t len, const char *source,
                              pcsm_fleet_targets *out);

/*
 * Keeps only shard `spec` of the list: "I/N" keeps the targets whose
 * position k (0-based, in list order) has k % N == I, with 0 <= I < N.  The
 * N slices of one list cover it exactly once, and stay the same across runs
 * as long as the list does (a Kubernetes Indexed Job passes its
 * JOB_COMPLETION_INDEX as I).  A malformed spec is PCSM_EINVALID.
 */
PCSM_API int pcsm_fleet_shard(pcsm_ctx *ctx, pcsm_fleet_targets *list, const char *spec);

/*
 * Targets from a query run on the connected control database: each row's
 * first column is a URL or conninfo, an optional second column the schema
 * (NULL: none).  A query of no columns, or a row whose first column is NULL
 * or empty, is PCSM_EINVALID naming the row.
 */
PCSM_API int pcsm_fleet_query(pcsm_ctx *ctx, pcsm_db *db, const char *sql,
                              pcsm_fleet_targets *out);

/*
 * One target per schema of the connected database whose name is LIKE
 * `pattern` (ordered by name, pg_catalog and information_schema never),
 * each with `conninfo` (the control database's own; may be NULL: libpq's
 * defaults) and that schema.
 */
PCSM_API int pcsm_fleet_schemas(pcsm_ctx *ctx, pcsm_db *db, const char *pattern,
                                const char *conninfo, pcsm_fleet_targets *out);

enum pcsm_fleet_state {
    PCSM_FLEET_PENDING,         /* not started: the run stopped first */
    PCSM_FLEET_RUNNING,
    PCSM_FLEET_DONE,            /* finished; see status */
};

typedef struct pcsm_fleet_outcome {
    enum pcsm_fleet_state state;
    int status;                 /* DONE: the exit status, or 128 + the signal that ended it */
    double seconds;             /* RUNNING: so far; DONE: wall time */
} pcsm_fleet_outcome;

typedef struct pcsm_fleet_opts {
    int jobs;                   /* targets running at once, at least 1 */
    size_t canary;              /* the first `canary` targets run (and finish) before any
                                 * other starts; if one fails, none other starts */
    bool keep_going;            /* a failure does not stop starting the rest */
    /*
     * In the child, with its standard output and error on pipes to the
     * parent and every other child's pipes closed; returns the child's exit
     * status (0 is success).  The child ends with _exit() after flushing
     * stdio.
     */
    int (*run)(const pcsm_fleet_target *target, size_t index, void *payload);
    /* In the parent; each may be NULL.  `index` is the target's position. */
    void (*on_start)(size_t index, void *payload);
    /* One line the child wrote (without its newline), stream 1 or 2. */
    void (*on_line)(size_t index, int stream, const char *line, size_t len, void *payload);
    void (*on_done)(size_t index, void *payload);
    /* Called at least every `tick_ms` while children run (0: never). */
    void (*on_tick)(void *payload);
    long tick_ms;
    void *payload;
    /*
     * Set nonzero (the signal number) by the caller's SIGINT/SIGTERM
     * handler: no target starts after it, and the running children are
     * sent that signal (once), then waited for.  May be NULL.
     */
    volatile sig_atomic_t *interrupt;
} pcsm_fleet_opts;

/*
 * Runs opts->run for each target in its own process, at most opts->jobs at
 * once, in list order.  A child whose status is not 0 stops the starting
 * of new targets unless keep_going (the running ones finish).  outcomes
 * (targets->n of them, the caller's) say what became of each, PENDING for
 * those never started; they are up to date whenever a callback runs.  A
 * target's failure is its outcome, not an error of the run: returns 0 when
 * the schedule ran as asked (stopping after a failure included),
 * PCSM_EINTERRUPTED when the interrupt flag stopped it, PCSM_ERROR when a
 * process or pipe could not be made (the message says which; nothing
 * starts after it, and the children already started are waited for).
 */
PCSM_API int pcsm_fleet_run(pcsm_ctx *ctx, const pcsm_fleet_targets *targets,
                            const pcsm_fleet_opts *opts, pcsm_fleet_outcome *outcomes);

#ifdef __cplusplus
}
#endif

#endif /* PCSM_FLEET_H */
