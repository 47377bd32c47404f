/*
 * The round trip of every revision of a registry against a throwaway
 * database: up one step, down one step and the catalog must be exactly as
 * before (tables, columns, types, defaults, constraints, indexes, triggers,
 * functions), then up again and the catalog must be as after the first
 * upgrade.  Linked once per registry; for the PCS migrations it is
 * `meson test --suite roundtrip`, so a new revision is covered with no
 * code of its own.  TAP on stdout; a failure shows the difference.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <pcsm/pcsm.h>

#include "support.h"

static const char *const bookkeeping[] = { "alembic_version", "pcs_migrate_history", NULL };

/* Prints, as TAP diagnostics, the lines of `want` missing from `got` and the reverse. */
static void print_difference(const char *want, const char *got)
{
    const char *texts[2] = { want, got }, *labels[2] = { "missing:", "left over:" };
    int side;

    for (side = 0; side < 2; side++) {
        const char *line = texts[side], *other = texts[1 - side];

        while (*line) {
            size_t len = strcspn(line, "\n");
            const char *p = other;
            bool found = false;

            for (; *p && !found; p += strcspn(p, "\n") + (p[strcspn(p, "\n")] == '\n'))
                found = strcspn(p, "\n") == len && !strncmp(p, line, len);
            if (!found)
                printf("#   %-11s %.*s\n", labels[side], (int)len, line);
            line += len + (line[len] == '\n');
        }
    }
}

static int migrate(pcsm_ctx *ctx, pcsm_db *db, enum pcsm_direction dir, const char *target)
{
    pcsm_run_opts run = { .direction = dir, .target = target };
    int rc = pcsm_db_migrate(ctx, db, &run, NULL, NULL);

    if (rc < 0)
        printf("# %s %s: %s\n", dir == PCSM_UPGRADE ? "upgrade" : "downgrade", target,
               pcsm_error_last(ctx)->message);
    return rc;
}

/* The state to go back to: the heads before, and the revision's parents. */
static char *down_target(pcsm_ctx *ctx, const pcsm_revset *before, const pcsm_revision *rev)
{
    pcsm_buf spec = PCSM_BUF_INIT;
    size_t i;

    for (i = 0; i < before->n; i++)
        pcsm_buf_printf(&spec, "%s%s,", "", before->revs[i]->id);
    for (i = 0; i < rev->n_parents; i++)
        pcsm_buf_printf(&spec, "%s,", rev->parents[i]);
    if (spec.len)
        spec.ptr[--spec.len] = '\0';
    else
        pcsm_buf_puts(&spec, "base");
    (void)ctx;
    return pcsm_buf_detach(&spec);
}

/*
 * Revision i up from the database's state, down to it and up again, the
 * catalog compared each time; prints its TAP line.  False: it failed, and
 * left the database off the path.
 */
static bool round_trip(pcsm_ctx *ctx, pcsm_db *db, const char *name, size_t i,
                       const pcsm_revision *rev)
{
    pcsm_revset before = PCSM_REVSET_INIT;
    PGconn *conn = test_connect(name);
    char *snap_before = test_catalog_snapshot(conn, bookkeeping), *snap_up = NULL;
    char *snap_down = NULL, *snap_again = NULL, *target = NULL;
    bool ok = false;

    if (pcsm_db_current(ctx, db, &before, NULL) == 0 &&
        migrate(ctx, db, PCSM_UPGRADE, rev->id) == 0) {
        snap_up = test_catalog_snapshot(conn, bookkeeping);
        target = down_target(ctx, &before, rev);
        if (migrate(ctx, db, PCSM_DOWNGRADE, target) == 0) {
            snap_down = test_catalog_snapshot(conn, bookkeeping);
            if (migrate(ctx, db, PCSM_UPGRADE, rev->id) == 0) {
                snap_again = test_catalog_snapshot(conn, bookkeeping);
                ok = !strcmp(snap_before, snap_down) && !strcmp(snap_up, snap_again);
            }
        }
    }
    printf("%s %zu - %s (%s) %s\n", ok ? "ok" : "not ok", i + 1, rev->id,
           rev->source_path, rev->description);
    if (snap_down && strcmp(snap_before, snap_down)) {
        printf("# downgrade() does not undo upgrade(); after the downgrade:\n");
        print_difference(snap_before, snap_down);
    }
    if (snap_again && strcmp(snap_up, snap_again)) {
        printf("# upgrading again gives another schema than the first upgrade:\n");
        print_difference(snap_up, snap_again);
    }
    free(snap_before);
    free(snap_up);
    free(snap_down);
    free(snap_again);
    free(target);
    pcsm_revset_dispose(&before);
    PQfinish(conn);
    return ok;
}

/* A fresh database with its connection, or NULL after a Bail out line. */
static pcsm_db *fresh_db(pcsm_ctx *ctx, char *name, size_t size, pcsm_db_opts *opts)
{
    pcsm_db *db = NULL;

    test_db_create(name, size);
    pcsm_db_opts_init(opts);
    opts->conninfo = test_conninfo(name);
    if (pcsm_db_connect(ctx, opts, &db) < 0) {
        printf("Bail out! %s\n", pcsm_error_last(ctx)->message);
        return NULL;
    }
    return db;
}

/*
 * With no arguments, every revision in registry order on one database.
 * With revision ids, each alone on a database of its own brought to its
 * parents first: branches that all revise one head (autogenerate's test
 * cases) do not see one another.
 */
int main(int argc, char **argv)
{
    pcsm_ctx *ctx;
    pcsm_db *db = NULL;
    pcsm_db_opts opts;
    char name[64];
    size_t i, n, failures = 0;
    int rc, k;

    test_require_db();
    rc = pcsm_ctx_new(&ctx, pcsm_registry, pcsm_registry_len);
    if (rc < 0) {
        printf("Bail out! %s\n", pcsm_error_last(ctx)->message);
        return 99;
    }
    if (argc > 1) {
        printf("1..%d\n", argc - 1);
        for (k = 1; k < argc; k++) {
            const pcsm_revision *rev = NULL;
            pcsm_buf parents = PCSM_BUF_INIT;
            bool ok = false;

            if (pcsm_graph_lookup(ctx, argv[k], &rev) < 0) {
                printf("Bail out! %s\n", pcsm_error_last(ctx)->message);
                return 99;
            }
            db = fresh_db(ctx, name, sizeof(name), &opts);
            if (!db)
                return 99;
            for (i = 0; i < rev->n_parents; i++)
                pcsm_buf_printf(&parents, "%s%s", i ? "," : "", rev->parents[i]);
            if (!rev->n_parents || migrate(ctx, db, PCSM_UPGRADE, parents.ptr) == 0)
                ok = round_trip(ctx, db, name, (size_t)k - 1, rev);
            else
                printf("not ok %d - %s: its parents could not be reached\n", k, rev->id);
            failures += !ok;
            pcsm_buf_dispose(&parents);
            pcsm_db_close(db);
            test_db_drop(name);
            free((char *)opts.conninfo);
        }
        pcsm_ctx_free(ctx);
        return failures ? 1 : 0;
    }
    db = fresh_db(ctx, name, sizeof(name), &opts);
    if (!db)
        return 99;
    n = pcsm_graph_count(ctx);
    printf("1..%zu\n", n);
    for (i = 0; i < n; i++) {
        bool ok = round_trip(ctx, db, name, i, pcsm_graph_at(ctx, i));

        failures += !ok;
        /* A failed step leaves the database off the path: stop here. */
        if (!ok)
            break;
    }
    pcsm_db_close(db);
    pcsm_ctx_free(ctx);
    test_db_drop(name);
    free((char *)opts.conninfo);
    return failures ? 1 : 0;
}
