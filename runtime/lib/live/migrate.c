/*
 * Runs against a live database: the current revision (and why an unknown
 * one is unknown), upgrade/downgrade plans executed in transactions with
 * the version and history tables moving alongside, stamp, and the checksum
 * check.  All SQL comes from the renderer and script.c, as offline.
 */
#include <poll.h>
#include <stdlib.h>
#include <string.h>

#include "live/live.h"

/* SQLSTATE of lock_timeout: the only failure a run retries by itself. */
#define SQLSTATE_LOCK_NOT_AVAILABLE "55P03"

static const char *const no_parents[] = { NULL };
/* The history row of a stamp to base names no revision. */
static const pcsm_revision base_rev = { .id = "<base>", .parents = no_parents,
                                        .description = "base", .create_date = "" };

static const pcsm_revision *find_exact(pcsm_ctx *ctx, const char *id)
{
    const pcsm_revision *rev;

    if (pcsm_graph_lookup(ctx, id, &rev) < 0 || strcmp(rev->id, id) != 0)
        return NULL;
    return rev;
}

/*
 * A write of its own outside the run's transactions (its search_path is
 * SET LOCAL): inside one with the run's settings, unless already in one.
 */
static void put_begin(const pcsm_db *db, pcsm_buf *sql)
{
    if (PQtransactionStatus(db->conn) != PQTRANS_IDLE)
        return;
    pcsm_buf_puts(sql, "BEGIN;\n");
    pcsm_db__put_settings(db, sql);
}

static void put_commit(const pcsm_db *db, pcsm_buf *sql)
{
    if (PQtransactionStatus(db->conn) == PQTRANS_IDLE)
        pcsm_buf_puts(sql, "COMMIT;\n");
}

/* One (revision, parents) pair the history table recorded. */
struct recorded {
    char *id;
    char **parents;
    size_t n_parents;
};

static void free_recorded(struct recorded *r, size_t n)
{
    size_t i;

    for (i = 0; i < n; i++) {
        free(r[i].id);
        pcsm_db__free_ids(r[i].parents, r[i].n_parents);
    }
    free(r);
}

/* Splits a varchar[] in text form ("{a,b}"); ids never need quoting. */
static char **split_array(const char *text, size_t *n_out)
{
    char **out = pcsm__xcalloc(strlen(text) / 2 + 2, sizeof(*out));
    size_t n = 0;
    const char *p = text + (*text == '{');

    while (*p && *p != '}') {
        size_t len = strcspn(p, ",}");

        if (len) {
            out[n] = pcsm__xmalloc(len + 1);
            memcpy(out[n], p, len);
            out[n++][len] = '\0';
        }
        p += len + (p[len] == ',');
    }
    *n_out = n;
    return out;
}

static int read_recorded(pcsm_ctx *ctx, pcsm_db *db, struct recorded **out, size_t *n_out)
{
    pcsm_buf sql = PCSM_BUF_INIT;
    PGresult *res = NULL;
    struct recorded *r;
    int rc, i, n;

    pcsm_db__put_idle_settings(db, &sql);
    pcsm_buf_puts(&sql, "SELECT DISTINCT ON (revision) revision, parents FROM ");
    pcsm_db__put_table(db, pcsm_script__history_table(&db->opts.script), &sql);
    pcsm_buf_puts(&sql, " WHERE event IN ('upgrade', 'stamp') ORDER BY revision, id DESC");
    rc = pcsm_db__exec(ctx, db, sql.ptr, "reading the history table", &res);
    pcsm_buf_dispose(&sql);
    if (rc < 0)
        return rc;
    n = PQntuples(res);
    r = pcsm__xcalloc((size_t)n + 1, sizeof(*r));
    for (i = 0; i < n; i++) {
        r[i].id = pcsm__xstrdup(PQgetvalue(res, i, 0));
        r[i].parents = split_array(PQgetvalue(res, i, 1), &r[i].n_parents);
    }
    PQclear(res);
    *out = r;
    *n_out = (size_t)n;
    return 0;
}

/*
 * The database holds `unknown`, which this binary lacks.  Walks the parents
 * the history table recorded until it meets revisions this binary knows:
 * meeting a head means the database is ahead (a newer release migrated
 * it); meeting anything else, or nothing, means it diverged.
 */
static int explain_unknown(pcsm_ctx *ctx, pcsm_db *db, const char *unknown,
                           pcsm_revset *met_heads)
{
    struct recorded *rec = NULL;
    size_t n_rec = 0, depth = 0, i, j;
    char **queue = NULL, **next = NULL;
    size_t n_queue = 1, n_next;
    const pcsm_revision *met_other = NULL;
    pcsm_revset heads = PCSM_REVSET_INIT;
    int rc;

    met_heads->n = 0;
    if (!db->have_history_table)
        return pcsm_error__set(ctx, PCSM_EINCONSISTENT,
                               "the database is at revision %s, which this binary does not "
                               "know, and has no history table to tell whether it is ahead "
                               "or diverged; run the release that created it, or stamp a "
                               "revision this binary knows once the schema matches it",
                               unknown);
    rc = read_recorded(ctx, db, &rec, &n_rec);
    if (rc < 0)
        return rc;
    pcsm_graph_heads(ctx, &heads);
    queue = pcsm__xcalloc(1, sizeof(*queue));
    queue[0] = pcsm__xstrdup(unknown);
    /* Breadth first, bounded by the recorded rows: a corrupt table cannot loop. */
    while (n_queue && depth <= n_rec) {
        next = pcsm__xcalloc(2 * n_rec + 1, sizeof(*next));
        n_next = 0;
        for (i = 0; i < n_queue; i++) {
            const pcsm_revision *known = find_exact(ctx, queue[i]);

            if (known) {
                if (pcsm_revset_contains(&heads, known))
                    pcsm_revset_add(ctx, met_heads, known);
                else
                    met_other = known;
                continue;
            }
            for (j = 0; j < n_rec; j++)
                if (!strcmp(rec[j].id, queue[i]))
                    break;
            for (size_t k = 0; j < n_rec && k < rec[j].n_parents && n_next < 2 * n_rec; k++)
                next[n_next++] = pcsm__xstrdup(rec[j].parents[k]);
        }
        pcsm_db__free_ids(queue, n_queue);
        queue = next;
        n_queue = n_next;
        depth++;
    }
    pcsm_db__free_ids(queue, n_queue);
    free_recorded(rec, n_rec);

    if (met_heads->n && !met_other) {
        rc = pcsm_error__set(ctx, PCSM_EINCONSISTENT,
                             "the database is at revision %s, ahead of this binary's head "
                             "%s: a newer release migrated it. Run that release, or pass "
                             "--allow-ahead to leave the database as it is",
                             unknown, met_heads->revs[0]->id);
    } else if (met_other || met_heads->n) {
        met_heads->n = 0;
        rc = pcsm_error__set(ctx, PCSM_EINCONSISTENT,
                             "the database is at revision %s, which this binary does not "
                             "know and which does not descend from its head %s (their "
                             "histories part after %s): the schemas diverged. Build the "
                             "missing revisions into this release, or stamp a revision it "
                             "knows once the schema matches it",
                             unknown, heads.n ? heads.revs[0]->id : "base",
                             met_other ? met_other->id : "?");
    } else {
        rc = pcsm_error__set(ctx, PCSM_EINCONSISTENT,
                             "the database is at revision %s, which this binary does not "
                             "know, and its recorded history never meets this binary's "
                             "revisions: the schemas diverged. Stamp a revision this "
                             "binary knows once the schema matches it", unknown);
    }
    pcsm_revset_dispose(&heads);
    return rc;
}

/* ---------------------------------------------------- the version rows */

static void put_version_table(const pcsm_db *db, pcsm_buf *out)
{
    pcsm_db__put_table(db, pcsm_script__version_table(&db->opts.script), out);
}

/*
 * The version table holds the database's heads, each once: no empty id,
 * no duplicate (ids come sorted), no row an ancestor of another.  Anything
 * else was written by hand or by another tool, and building on it would
 * carry it forward.
 */
static int verify_version_rows(pcsm_ctx *ctx, const pcsm_db *db, char **ids, size_t n)
{
    pcsm_buf table = PCSM_BUF_INIT;
    size_t i, j;
    int rc = 0;

    put_version_table(db, &table);
    for (i = 0; i < n && rc == 0; i++) {
        if (!*ids[i])
            rc = pcsm_error__set(ctx, PCSM_EINCONSISTENT,
                                 "the version table %s holds an empty revision id: delete "
                                 "that row (DELETE FROM %s WHERE version_num = ''), or stamp "
                                 "the revision the schema is at (pcs-migrate stamp REV)",
                                 table.ptr, table.ptr);
        else if (i > 0 && !strcmp(ids[i], ids[i - 1]))
            rc = pcsm_error__set(ctx, PCSM_EINCONSISTENT,
                                 "the version table %s holds revision %s more than once; it "
                                 "holds each head once: delete the extra rows, or run "
                                 "pcs-migrate stamp %s", table.ptr, ids[i], ids[i]);
    }
    for (i = 0; i < n && rc == 0; i++) {
        const pcsm_revision *a = find_exact(ctx, ids[i]);

        for (j = 0; a && j < n && rc == 0; j++) {
            const pcsm_revision *b = find_exact(ctx, ids[j]);

            if (b && a != b && pcsm_graph_is_ancestor(ctx, a, b))
                rc = pcsm_error__set(ctx, PCSM_EINCONSISTENT,
                                     "the version table %s holds both %s and its descendant "
                                     "%s; it holds only heads: delete the row of %s (DELETE "
                                     "FROM %s WHERE version_num = '%s'), or run pcs-migrate "
                                     "stamp with the revision(s) the schema is at",
                                     table.ptr, a->id, b->id, a->id, table.ptr, a->id);
        }
    }
    pcsm_buf_dispose(&table);
    return rc;
}

/*
 * The version rows agree with the history table's last move: the revision
 * last upgraded to or stamped is among them, the one last downgraded is
 * not.  Catches a version table dropped, emptied or edited by hand (or by
 * another tool) after this one wrote the history.  The rows and the
 * history are read in one statement, one snapshot, so that a run
 * committing meanwhile cannot look like tampering.  Moves of revisions
 * this binary does not know are another application's (a history table
 * shared by two version tables) and are passed over; the version rows are
 * all known here (resolve_current saw to that).
 */
static int verify_history_agrees(pcsm_ctx *ctx, pcsm_db *db)
{
    pcsm_buf sql = PCSM_BUF_INIT, table = PCSM_BUF_INIT, rows = PCSM_BUF_INIT;
    PGresult *res = NULL;
    const char *rev = NULL, *event = NULL, *when = NULL;
    char **ids = NULL;
    size_t n = 0, i;
    bool listed = false, want_listed, base;
    int rc, row;

    if (!db->have_history_table)
        return 0;
    pcsm_db__put_idle_settings(db, &sql);
    pcsm_buf_puts(&sql, "SELECT h.revision, h.event, h.applied_at::text, ");
    if (db->have_version_table) {
        pcsm_buf_puts(&sql, "(SELECT coalesce(array_agg(version_num ORDER BY version_num), "
                            "'{}') FROM ");
        put_version_table(db, &sql);
        pcsm_buf_puts(&sql, ")");
    } else {
        pcsm_buf_puts(&sql, "'{}'::varchar[]");
    }
    pcsm_buf_puts(&sql, " FROM ");
    pcsm_db__put_table(db, pcsm_script__history_table(&db->opts.script), &sql);
    pcsm_buf_puts(&sql, " h WHERE h.event IN ('upgrade', 'downgrade', 'stamp') "
                        "ORDER BY h.id DESC LIMIT 1000");
    rc = pcsm_db__exec(ctx, db, sql.ptr, "reading the history table", &res);
    for (row = 0; rc == 0 && row < PQntuples(res) && !rev; row++) {
        const char *r = PQgetvalue(res, row, 0);

        if (!strcmp(r, base_rev.id) || find_exact(ctx, r)) {
            rev = r;
            event = PQgetvalue(res, row, 1);
            when = PQgetvalue(res, row, 2);
            ids = split_array(PQgetvalue(res, row, 3), &n);
        }
    }
    if (!rev)
        goto done;
    base = !strcmp(rev, base_rev.id);
    for (i = 0; i < n; i++)
        listed |= !strcmp(ids[i], rev);
    want_listed = strcmp(event, "downgrade") != 0 && !base;
    if (listed == want_listed && (!base || n == 0))
        goto done;
    put_version_table(db, &table);
    for (i = 0; i < n; i++)
        pcsm_buf_printf(&rows, "%s%s", i ? ", " : "", ids[i]);
    if (!db->have_version_table)
        rc = pcsm_error__set(ctx, PCSM_EINCONSISTENT,
                             "the version table %s is missing, but the history table records "
                             "the %s of revision %s at %s: restore the table; or, once the "
                             "schema is checked, stamp the revision it is at (pcs-migrate "
                             "stamp %s if it is at %s, stamp base or reset --yes if it was "
                             "emptied)", table.ptr, event, rev, when, rev, rev);
    else
        rc = pcsm_error__set(ctx, PCSM_EINCONSISTENT,
                             "the version table %s says %s, but the history table's last "
                             "move is the %s of revision %s at %s: the version table was "
                             "changed by hand or by another tool. Once the schema is "
                             "checked, run pcs-migrate stamp with the revision(s) it is at",
                             table.ptr, n ? rows.ptr : "base", event, rev, when);
done:
    pcsm_db__free_ids(ids, n);
    PQclear(res);
    pcsm_buf_dispose(&sql);
    pcsm_buf_dispose(&table);
    pcsm_buf_dispose(&rows);
    return rc;
}

/* Resolves the raw version rows; *ahead_out (may be NULL) allows "ahead". */
static int resolve_current(pcsm_ctx *ctx, pcsm_db *db, char **ids, size_t n,
                           pcsm_revset *out, bool *ahead_out)
{
    size_t i;
    int rc = verify_version_rows(ctx, db, ids, n);

    out->n = 0;
    if (ahead_out)
        *ahead_out = false;
    if (rc < 0)
        return rc;
    for (i = 0; i < n; i++) {
        const pcsm_revision *rev = find_exact(ctx, ids[i]);
        pcsm_revset met = PCSM_REVSET_INIT;

        if (rev) {
            pcsm_revset_add(ctx, out, rev);
            continue;
        }
        rc = explain_unknown(ctx, db, ids[i], &met);
        if (rc < 0 && met.n && ahead_out) {
            /* Ahead: act as if at the head it descends from. */
            *ahead_out = true;
            pcsm_revset_add(ctx, out, met.revs[0]);
            pcsm_db__emit(db, PCSM_EVENT_WARNING, NULL, PCSM_UPGRADE, 0, "%s",
                          pcsm_error_last(ctx)->message);
            rc = 0;
        }
        pcsm_revset_dispose(&met);
        if (rc < 0)
            return rc;
    }
    return 0;
}

static int read_current(pcsm_ctx *ctx, pcsm_db *db, bool with_history, pcsm_revset *out,
                        bool *ahead_out)
{
    char **ids;
    size_t n;
    int rc = pcsm_db__read_versions(ctx, db, &ids, &n);

    if (rc == 0)
        rc = resolve_current(ctx, db, ids, n, out, ahead_out);
    if (rc == 0 && with_history)
        rc = verify_history_agrees(ctx, db);
    pcsm_db__free_ids(ids, n);
    return rc;
}

int pcsm_db_current(pcsm_ctx *ctx, pcsm_db *db, pcsm_revset *out, bool *ahead_out)
{
    return read_current(ctx, db, false, out, ahead_out);
}

/* ------------------------------------------------------------ checksums */

static int verify_checksums(pcsm_ctx *ctx, pcsm_db *db, const pcsm_revset *current,
                            const pcsm_revset *accept)
{
    pcsm_buf sql = PCSM_BUF_INIT, changed = PCSM_BUF_INIT, fix = PCSM_BUF_INIT;
    PGresult *res = NULL;
    int rc = 0, i;

    if (!db->have_history_table)
        return 0;
    pcsm_db__put_idle_settings(db, &sql);
    pcsm_buf_puts(&sql, "SELECT DISTINCT ON (revision) revision, source_sha256, sql_sha256 FROM ");
    pcsm_db__put_table(db, pcsm_script__history_table(&db->opts.script), &sql);
    pcsm_buf_puts(&sql, " WHERE event IN ('upgrade', 'accept', 'stamp') "
                        "ORDER BY revision, id DESC");
    rc = pcsm_db__exec(ctx, db, sql.ptr, "reading the history table", &res);
    if (rc < 0)
        goto done;
    for (i = 0; i < PQntuples(res); i++) {
        const pcsm_revision *rev = find_exact(ctx, PQgetvalue(res, i, 0));
        bool applied = false;
        char sha[65];
        size_t k;

        for (k = 0; rev && k < current->n && !applied; k++)
            applied = pcsm_graph_is_ancestor(ctx, rev, current->revs[k]);
        /* A stamped revision's SQL never ran here: nothing to compare. */
        if (!applied || PQgetisnull(res, i, 2))
            continue;
        rc = pcsm_revision_sql_sha256(ctx, rev, sha);
        if (rc < 0)
            goto done;
        if (strcmp(sha, PQgetvalue(res, i, 2)) == 0) {
            if (!PQgetisnull(res, i, 1) && strcmp(rev->source_sha256, PQgetvalue(res, i, 1)))
                pcsm_db__emit(db, PCSM_EVENT_WARNING, rev, PCSM_UPGRADE, 0,
                              "revision %s (%s) changed since it was applied, but its SQL "
                              "did not (a comment or white space)", rev->id, rev->source_path);
            continue;
        }
        if (accept && pcsm_revset_contains(accept, rev)) {
            pcsm_buf detail = PCSM_BUF_INIT;

            pcsm_buf_clear(&sql);
            pcsm_buf_printf(&detail, "accepted changed SQL; applied as %s",
                            PQgetvalue(res, i, 2));
            put_begin(db, &sql);
            pcsm_script__history_insert(&db->opts.script, rev, "accept", sha, -1, db->host,
                                        detail.ptr, &sql);
            put_commit(db, &sql);
            pcsm_buf_dispose(&detail);
            rc = pcsm_db__run(ctx, db, sql.ptr, "recording the acceptance");
            if (rc < 0)
                goto done;
            pcsm_db__emit(db, PCSM_EVENT_WARNING, rev, PCSM_UPGRADE, 0,
                          "accepted the changed SQL of revision %s (recorded in the history)",
                          rev->id);
            continue;
        }
        pcsm_buf_printf(&changed, "%s%s (%s)", changed.len ? ", " : "", rev->id,
                        rev->source_path);
        pcsm_buf_printf(&fix, "%s%s", fix.len ? "," : "", rev->id);
    }
    if (changed.len)
        rc = pcsm_error__set(ctx, PCSM_EINCONSISTENT,
                             "the SQL of applied revision(s) changed since they ran: %s. "
                             "Revert the edit and write a new revision instead; if the "
                             "database already matches the new SQL, accept it with: "
                             "pcs-migrate check --accept %s", changed.ptr, fix.ptr);
done:
    PQclear(res);
    pcsm_buf_dispose(&sql);
    pcsm_buf_dispose(&changed);
    pcsm_buf_dispose(&fix);
    return rc;
}

int pcsm_db_check(pcsm_ctx *ctx, pcsm_db *db, const pcsm_revset *accept)
{
    pcsm_revset current = PCSM_REVSET_INIT;
    int rc = read_current(ctx, db, true, &current, NULL);

    if (rc == 0)
        rc = verify_checksums(ctx, db, &current, accept);
    pcsm_revset_dispose(&current);
    return rc;
}

/* ------------------------------------------------------------- running */

static const char *direction_name(enum pcsm_direction d)
{
    return d == PCSM_UPGRADE ? "upgrade" : "downgrade";
}

/*
 * After a rollback: a 'failed' or 'interrupted' history row, in its own
 * transaction, when the history table already existed (a first run that
 * failed leaves the database exactly as it found it, with no table).
 */
static void record_failure(pcsm_ctx *ctx, pcsm_db *db, const pcsm_revision *rev,
                           enum pcsm_direction direction, int rc)
{
    pcsm_buf sql = PCSM_BUF_INIT, detail = PCSM_BUF_INIT;
    PGresult *res;

    if (!db->have_history_table || PQstatus(db->conn) != CONNECTION_OK)
        return;
    pcsm_buf_printf(&detail, "%s %s: %s", direction_name(direction),
                    rc == PCSM_EINTERRUPTED ? "interrupted" : "failed",
                    pcsm_error_last(ctx)->message);
    put_begin(db, &sql);
    pcsm_script__history_insert(&db->opts.script, rev,
                                rc == PCSM_EINTERRUPTED ? "interrupted" : "failed", NULL, -1,
                                db->host, detail.ptr, &sql);
    put_commit(db, &sql);
    res = PQexec(db->conn, sql.ptr);
    PQclear(res);
    pcsm_buf_dispose(&sql);
    pcsm_buf_dispose(&detail);
}

/* CREATE SCHEMA / version table / history table, whichever is missing; returns the count. */
static size_t put_bootstrap(pcsm_db *db, pcsm_buf *sql)
{
    size_t n = 0;

    if (!db->have_schema && db->opts.script.schema) {
        pcsm_buf_puts(sql, "CREATE SCHEMA IF NOT EXISTS ");
        pcsm_sql__ident(sql, db->opts.script.schema);
        pcsm_buf_puts(sql, ";\n");
        n++;
    }
    if (!db->have_version_table) {
        pcsm_script__create_version_table(&db->opts.script, sql);
        n++;
    }
    if (!db->have_history_table) {
        pcsm_script__create_history_table(&db->opts.script, sql);
        n++;
    }
    return n;
}

static bool is_lock_timeout(pcsm_ctx *ctx)
{
    const pcsm_error *e = pcsm_error_last(ctx);

    return e->code == PCSM_EDB && e->sqlstate &&
           !strcmp(e->sqlstate, SQLSTATE_LOCK_NOT_AVAILABLE);
}

static void copy_set(pcsm_ctx *ctx, pcsm_revset *dst, const pcsm_revset *src)
{
    size_t i;

    dst->n = 0;
    for (i = 0; i < src->n; i++)
        pcsm_revset_add(ctx, dst, src->revs[i]);
}

/* After a COMMIT that moved the version table: the tables exist, the heads moved. */
static void committed(pcsm_ctx *ctx, pcsm_db *db, pcsm_revset *heads, const pcsm_revset *now)
{
    db->have_schema = db->have_version_table = db->have_history_table = true;
    copy_set(ctx, heads, now);
}

/*
 * The statements of a transaction go out in as few round trips as the
 * server allows: one multi-statement query per batch, whose results come
 * back one per statement as each finishes, so each result is matched to
 * the operation that produced it (pieces, in order) for the error message,
 * the progress events and the durations.  Raw SQL, whose statement count
 * is unknown, goes in a batch of its own.  Within the transaction nobody
 * sees the version table between steps, so it moves once, at the end,
 * with one multi-row insert of the history rows and the COMMIT.
 */
enum { BOOTSTRAP = -1 };
/* A batch goes out once it holds this much: memory stays flat whatever the
 * run's length, for a pipeline stall per quarter megabyte. */
#define BATCH_BYTES (256 * 1024)
#define RAW ((size_t)-1)     /* a piece of unknown length: every result of its batch */

struct piece {
    size_t step;        /* index into the chunk's steps */
    long op;            /* operation index, or BOOTSTRAP */
    size_t n;           /* statements; 0 for a step without operations; RAW */
    bool ends_step;
};

struct chunk {
    pcsm_db *db;
    const pcsm_step *steps;
    size_t n_steps;
    char (*sha)[65];    /* SQL checksum per step (upgrades) */
    double *ms;         /* duration per step */
    size_t started;     /* steps whose start was reported */
    double mark;        /* when the current step started */
    size_t failed;      /* the step an error belongs to */
};

/* The failing operation, recorded again: a step's record lives only while it is rendered. */
static void describe_piece(pcsm_ctx *ctx, const struct chunk *c, const struct piece *p,
                           pcsm_buf *what, pcsm_buf *sql)
{
    const pcsm_step *step = &c->steps[p->step];
    pcsm_op *op;

    pcsm_buf_clear(what);
    pcsm_buf_clear(sql);
    if (p->op == BOOTSTRAP) {
        pcsm_buf_puts(what, "creating the version and history tables");
        return;
    }
    pcsm_buf_printf(what, "revision %s (%s), %s: ", step->rev->id, step->rev->source_path,
                    direction_name(step->direction));
    if (pcsm_op__record(ctx, step->rev, step->direction, &op) < 0)
        return;     /* it recorded before: cannot happen */
    pcsm_op__describe(op, (size_t)p->op, what);
    pcsm_render__op(pcsm_op__at(op, (size_t)p->op), sql);
    pcsm_op__free(op);
}

/* Reports the start of every step up to and including `step`. */
static void start_steps(struct chunk *c, size_t step)
{
    for (; c->started <= step && c->started < c->n_steps; c->started++) {
        const pcsm_step *s = &c->steps[c->started];

        pcsm_db__emit(c->db, PCSM_EVENT_STEP_START, s->rev, s->direction, 0, "%s %s: %s",
                      direction_name(s->direction), s->rev->id, s->rev->description);
    }
}

static void finish_piece(struct chunk *c, const struct piece *p)
{
    const pcsm_step *s = &c->steps[p->step];
    double now;

    start_steps(c, p->step);
    if (!p->ends_step)
        return;
    now = pcsm_db__now_ms();
    c->ms[p->step] = now - c->mark;
    c->mark = now;
    pcsm_db__emit(c->db, PCSM_EVENT_STEP_DONE, s->rev, s->direction, c->ms[p->step],
                  "%s %s done", direction_name(s->direction), s->rev->id);
}

/* Sends one batch and matches its results to pieces[0, n). */
static int run_batch(pcsm_ctx *ctx, struct chunk *c, const char *sql, const struct piece *pieces,
                     size_t n)
{
    pcsm_db *db = c->db;
    pcsm_buf what = PCSM_BUF_INIT, stmt = PCSM_BUF_INIT;
    PGresult *res;
    size_t at = 0, seen = 0;
    int rc = 0;

    if (pcsm_db__stopping(db))
        return pcsm_error__set(ctx, PCSM_EINTERRUPTED, "interrupted by signal %d",
                               (int)*db->opts.interrupt);
    start_steps(c, pieces[0].step);
    if (*sql && !PQsendQuery(db->conn, sql))
        return pcsm_db__server_error(ctx, db, NULL, NULL, "sending the migration statements");
    while (*sql && (res = PQgetResult(db->conn))) {
        ExecStatusType st = PQresultStatus(res);

        for (; rc == 0 && at < n && pieces[at].n == 0; at++)
            finish_piece(c, &pieces[at]);
        if (rc == 0 && at >= n)
            rc = pcsm_error__set(ctx, PCSM_EDB, "more results than statements sent");
        if (rc < 0) {
            PQclear(res);
            continue;
        }
        start_steps(c, pieces[at].step);
        c->failed = pieces[at].step;
        if (st != PGRES_COMMAND_OK && st != PGRES_TUPLES_OK && st != PGRES_EMPTY_QUERY) {
            describe_piece(ctx, c, &pieces[at], &what, &stmt);
            rc = pcsm_db__server_error(ctx, db, res, stmt.len ? stmt.ptr : NULL, what.ptr);
        } else if (pieces[at].n != RAW && ++seen == pieces[at].n) {
            finish_piece(c, &pieces[at++]);
            seen = 0;
        }
        PQclear(res);
    }
    if (rc == 0 && PQstatus(db->conn) == CONNECTION_BAD)
        rc = pcsm_db__server_error(ctx, db, NULL, NULL, "running the migration statements");
    if (rc == 0 && at < n && pieces[at].n == RAW)
        finish_piece(c, &pieces[at++]);
    for (; rc == 0 && at < n && pieces[at].n == 0; at++)
        finish_piece(c, &pieces[at]);
    if (rc == 0 && at != n)
        rc = pcsm_error__set(ctx, PCSM_EDB, "fewer results than statements sent");
    pcsm_buf_dispose(&what);
    pcsm_buf_dispose(&stmt);
    return rc;
}

struct batch {
    pcsm_buf sql;
    struct piece *pieces;
    size_t n, cap;
};

static void batch_add(struct batch *b, size_t step, long op, size_t n, bool ends_step)
{
    if (b->n == b->cap) {
        b->cap = b->cap ? 2 * b->cap : 64;
        b->pieces = pcsm__xrealloc(b->pieces, b->cap * sizeof(*b->pieces));
    }
    b->pieces[b->n++] = (struct piece){ step, op, n, ends_step };
}

static int batch_flush(pcsm_ctx *ctx, struct chunk *c, struct batch *b)
{
    int rc = b->n ? run_batch(ctx, c, b->sql.len ? b->sql.ptr : "", b->pieces, b->n) : 0;

    pcsm_buf_clear(&b->sql);
    b->n = 0;
    return rc;
}

/*
 * Runs steps in the open, locked transaction: their operations batched,
 * then the version rows, the history rows and COMMIT.  *heads moves only
 * on commit; c->failed names the step an error belongs to.
 */
static int run_chunk(pcsm_ctx *ctx, struct chunk *c, pcsm_revset *heads)
{
    pcsm_db *db = c->db;
    struct batch b = { PCSM_BUF_INIT, NULL, 0, 0 };
    pcsm_buf step_sql = PCSM_BUF_INIT, tail = PCSM_BUF_INIT;
    pcsm_revset moving = PCSM_REVSET_INIT;
    size_t i, k, n_boot;
    int rc = 0;

    c->mark = pcsm_db__now_ms();
    copy_set(ctx, &moving, heads);
    n_boot = put_bootstrap(db, &b.sql);
    if (n_boot)
        batch_add(&b, 0, BOOTSTRAP, n_boot, false);
    for (i = 0; rc == 0 && i < c->n_steps; i++) {
        pcsm_op *op = NULL;
        size_t n_ops = 0;

        c->failed = i;
        rc = pcsm_op__record(ctx, c->steps[i].rev, c->steps[i].direction, &op);
        if (rc == 0)
            n_ops = pcsm_op__count(op);
        pcsm_buf_clear(&step_sql);
        if (rc == 0 && n_ops == 0)
            batch_add(&b, i, 0, 0, true);   /* a merge, say: done once reached */
        for (k = 0; rc == 0 && k < n_ops; k++) {
            size_t at = step_sql.len, n_stmt = pcsm_render__statements(pcsm_op__at(op, k));

            pcsm_render__op(pcsm_op__at(op, k), &step_sql);
            if (n_stmt == 0)
                rc = batch_flush(ctx, c, &b);
            pcsm_buf_put(&b.sql, step_sql.ptr + at, step_sql.len - at);
            batch_add(&b, i, (long)k, n_stmt ? n_stmt : RAW, k + 1 == n_ops);
            if (rc == 0 && (n_stmt == 0 || b.sql.len >= BATCH_BYTES))
                rc = batch_flush(ctx, c, &b);
        }
        pcsm_op__free(op);
        if (c->steps[i].direction == PCSM_UPGRADE)
            pcsm_sha256__hex(step_sql.ptr, step_sql.len, c->sha[i]);
        pcsm_graph_step_heads(ctx, &moving, &c->steps[i]);
    }
    if (rc == 0)
        rc = batch_flush(ctx, c, &b);
    if (rc == 0) {
        pcsm_script__version_delta(&db->opts.script, heads, &moving, &tail);
        pcsm_script__history_head(&db->opts.script, &tail);
        for (i = 0; i < c->n_steps; i++) {
            if (i)
                pcsm_buf_puts(&tail, ",\n");
            pcsm_script__history_values(&db->opts.script, c->steps[i].rev,
                                        direction_name(c->steps[i].direction),
                                        c->steps[i].direction == PCSM_UPGRADE ? c->sha[i]
                                                                              : NULL,
                                        c->ms[i], db->host, NULL, &tail);
        }
        pcsm_buf_puts(&tail, ";\nCOMMIT;\n");
        rc = pcsm_db__run(ctx, db, tail.ptr, "recording the revisions and committing");
    }
    if (rc == 0) {
        committed(ctx, db, heads, &moving);
    } else {
        pcsm_db__rollback(db);
    }
    pcsm_buf_dispose(&b.sql);
    free(b.pieces);
    pcsm_buf_dispose(&step_sql);
    pcsm_buf_dispose(&tail);
    pcsm_revset_dispose(&moving);
    return rc;
}

/* ------------------------------------------------ outside a transaction */

/*
 * A nontransactional revision (CREATE INDEX CONCURRENTLY refuses to run in
 * a transaction) runs statement by statement on a second connection while
 * this one holds the locked transaction.  What makes that as safe as a
 * transaction:
 *  - each statement is watched together with the interrupt flag and the
 *    lock's connection: a signal, or the loss of that connection (and with
 *    it the lock), cancels the statement at once, and the server ends a
 *    build whose client died (client_connection_check_interval);
 *  - the lock's transaction is exempt from the idle and transaction
 *    timeouts;
 *  - a 'started' history row, committed before the first statement, marks
 *    an index of the revision's name and definition as the revision's own,
 *    so a rerun can finish what an interrupted run left: it waits for a
 *    build still in progress (never a second build beside it), drops and
 *    rebuilds an INVALID index, and records a VALID one as built.  No row
 *    is written while an index of that name that is not the revision's
 *    exists: the revision fails on it, and no later run adopts it;
 *  - an interrupted or failed build drops the INVALID index it made when
 *    it can do so within a moment.
 * Through a transaction pooler the second connection's statements may each
 * land on another server connection: index statements name their schema,
 * catalog and bookkeeping statements bring their own SET LOCALs, and the
 * session is set only for what needs it (see outside_setup).
 */
#define OUTSIDE_CLEANUP_MS_INTERRUPTED 1000
#define OUTSIDE_CLEANUP_MS_FAILED 10000
#define OUTSIDE_CANCEL_EVERY_MS 1000

struct outside {
    pcsm_db *db;                /* the lock's connection */
    pcsm_db *side;              /* the statements' connection */
    const pcsm_step *step;
    const pcsm_op *op;          /* the step's recorded operations */
    char sha[65];               /* the SQL checksum of the step, this direction */
    bool started_before;        /* an earlier run of the step left a 'started' row */
    bool raw_sql;               /* an operation that is not an index statement */
    bool set_path, set_check;   /* session settings made on side */
    bool lost;                  /* the lock's connection went away */
};

/*
 * Runs sql on the side connection, watching the interrupt flag and the
 * lock's connection meanwhile; *out (may be NULL) gets the last result.
 */
static int outside_exec(pcsm_ctx *ctx, struct outside *o, const char *sql, const char *what,
                        PGresult **out)
{
    PGconn *side = o->side->conn, *main_conn = o->db->conn;
    PGresult *res, *last = NULL;
    long timeout_ms = o->db->opts.statement_timeout_ms;
    /* --statement-timeout, kept here: a session setting could reach
     * another client through a pooler (see outside_setup). */
    double cancelled_at = 0, deadline = pcsm_db__now_ms() + (double)timeout_ms;
    bool timed_out = false;
    int rc = 0;

    if (out)
        *out = NULL;
    if (pcsm_db__stopping(o->db))
        return pcsm_error__set(ctx, PCSM_EINTERRUPTED, "interrupted by signal %d",
                               (int)*o->db->opts.interrupt);
    if (!PQsendQuery(side, sql))
        return pcsm_db__server_error(ctx, o->side, NULL, sql, what);
    for (;;) {
        while (PQisBusy(side)) {
            struct pollfd pfd[2] = { { PQsocket(side), POLLIN, 0 },
                                     { PQsocket(main_conn), POLLIN, 0 } };

            /* Again every second: a cancel that reaches the server before
             * it has read the query is ignored. */
            timed_out |= timeout_ms > 0 && pcsm_db__now_ms() >= deadline;
            if ((o->lost || timed_out || pcsm_db__stopping(o->db)) &&
                pcsm_db__now_ms() - cancelled_at >= OUTSIDE_CANCEL_EVERY_MS) {
                char errbuf[256];

                PQcancel(o->side->cancel, errbuf, sizeof(errbuf));
                cancelled_at = pcsm_db__now_ms();
            }
            if (poll(pfd, o->lost ? 1 : 2, 100) < 0)
                continue;   /* EINTR: the flag is looked at above */
            if (pfd[0].revents && !PQconsumeInput(side))
                break;      /* PQgetResult reports it */
            /* Idle in its transaction, the lock's connection says something
             * only when it ends: a FATAL error, then end of file. */
            if (!o->lost && pfd[1].revents &&
                (!PQconsumeInput(main_conn) || PQstatus(main_conn) == CONNECTION_BAD))
                o->lost = true;
        }
        res = PQgetResult(side);
        if (!res)
            break;
        if (rc == 0 && PQresultStatus(res) != PGRES_COMMAND_OK &&
            PQresultStatus(res) != PGRES_TUPLES_OK && PQresultStatus(res) != PGRES_EMPTY_QUERY)
            rc = pcsm_db__server_error(ctx, o->side, res, sql, what);
        PQclear(last);
        last = res;
    }
    if (rc == 0 && PQstatus(side) == CONNECTION_BAD)
        rc = pcsm_db__server_error(ctx, o->side, NULL, sql, what);
    if (rc == PCSM_EDB && timed_out)
        pcsm_error__append(ctx, "; cancelled after the statement timeout of %ld ms",
                           timeout_ms);
    if (o->lost)
        rc = pcsm_error__set(ctx, PCSM_EUNREACHABLE,
                             "connection lost: the connection holding the migration lock "
                             "ended while revision %s ran outside a transaction%s",
                             o->step->rev->id, rc < 0 ? "; its statement was cancelled" : "");
    if (rc == 0 && out)
        *out = last;
    else
        PQclear(last);
    return rc;
}

/*
 * sql on the side connection, given at most timeout_ms (then cancelled):
 * for the cleanup after a failure, which must neither replace the run's
 * error nor hold up its exit.  The deadline is ours, not a statement_timeout
 * that a pooler might apply to another server connection.  True when it ran.
 */
static bool outside_try(struct outside *o, const char *sql, long timeout_ms)
{
    PGconn *side = o->side->conn;
    double deadline = pcsm_db__now_ms() + (double)timeout_ms;
    bool ok = true, cancelled = false;
    PGresult *res;

    if (!PQsendQuery(side, sql))
        return false;
    for (;;) {
        while (PQisBusy(side)) {
            struct pollfd pfd = { PQsocket(side), POLLIN, 0 };

            if (!cancelled && pcsm_db__now_ms() >= deadline) {
                char errbuf[256];

                PQcancel(o->side->cancel, errbuf, sizeof(errbuf));
                cancelled = true;
            }
            if (poll(&pfd, 1, 50) > 0 && !PQconsumeInput(side))
                break;
        }
        res = PQgetResult(side);
        if (!res)
            break;
        ok &= PQresultStatus(res) == PGRES_COMMAND_OK || PQresultStatus(res) == PGRES_TUPLES_OK;
        PQclear(res);
    }
    return ok && PQstatus(side) == CONNECTION_OK;
}

/* What the catalog says of an index the revision creates or drops. */
struct index_state {
    bool exists, valid;
    bool matches;               /* table, uniqueness, method, columns as the revision's */
    char *name;                 /* schema-qualified and quoted, for statements */
    char *definition;           /* pg_get_indexdef(), for messages */
    char *builder;              /* pid of a build in progress, or NULL */
};

static void index_state_dispose(struct index_state *s)
{
    free(s->name);
    free(s->definition);
    free(s->builder);
    memset(s, 0, sizeof(*s));
}

/*
 * True in SQL when index i (pg_index) is what `want` creates, as far as the
 * catalog says it plainly: its table, uniqueness, method, key columns, and
 * whether it has an expression and a predicate (their text is compared by
 * nobody: PostgreSQL rewrites it).
 */
static void put_index_matches(const pcsm_index *want, pcsm_buf *sql)
{
    pcsm_buf quoted = PCSM_BUF_INIT;
    size_t k;

    pcsm_sql__ident(&quoted, want->table);
    pcsm_buf_puts(sql, "(i.indrelid = to_regclass(");
    pcsm_sql__literal(sql, quoted.ptr);
    pcsm_buf_printf(sql, ") AND i.indisunique = %s AND am.amname = ",
                    want->unique ? "true" : "false");
    pcsm_sql__literal(sql, want->method ? want->method : "btree");
    pcsm_buf_printf(sql, " AND (i.indpred IS NOT NULL) = %s AND (i.indexprs IS NOT NULL) = %s",
                    want->where ? "true" : "false", want->expression ? "true" : "false");
    if (want->columns) {
        pcsm_buf_puts(sql, " AND ARRAY(SELECT a.attname::text FROM unnest(i.indkey::int2[]) "
                           "WITH ORDINALITY AS k(attnum, ord) JOIN pg_catalog.pg_attribute a "
                           "ON a.attrelid = i.indrelid AND a.attnum = k.attnum "
                           "ORDER BY k.ord) = ARRAY[");
        for (k = 0; want->columns[k]; k++) {
            if (k)
                pcsm_buf_puts(sql, ", ");
            pcsm_sql__literal(sql, want->columns[k]);
        }
        pcsm_buf_puts(sql, "]::text[]");
    }
    pcsm_buf_putc(sql, ')');
    pcsm_buf_dispose(&quoted);
}

/*
 * The query for an index of the step's: its name (schema-qualified, for
 * statements that run where the search path may not hold), validity,
 * definition, the server process building it, and whether it is `want`
 * (NULL: any).  Like every catalog or bookkeeping statement on the second
 * connection, it brings its own SET LOCALs.
 */
static void put_index_query(const struct outside *o, const char *index, const pcsm_index *want,
                            pcsm_buf *sql)
{
    pcsm_buf quoted = PCSM_BUF_INIT;

    pcsm_db__put_settings(o->db, sql);
    pcsm_sql__ident(&quoted, index);
    pcsm_buf_puts(sql, "SELECT format('%I.%I', n.nspname, c.relname), i.indisvalid, "
                       "pg_catalog.pg_get_indexdef(c.oid), ");
    /* A build's index_relid is visible to its own role and to monitors. */
    if (PQserverVersion(o->side->conn) >= 120000)
        pcsm_buf_puts(sql, "(SELECT p.pid::text FROM pg_catalog.pg_stat_progress_create_index p "
                           "WHERE p.index_relid = c.oid AND p.pid <> pg_backend_pid() LIMIT 1), ");
    else
        pcsm_buf_puts(sql, "NULL, ");
    if (want)
        put_index_matches(want, sql);
    else
        pcsm_buf_puts(sql, "true");
    pcsm_buf_puts(sql, " FROM pg_catalog.pg_class c JOIN pg_catalog.pg_index i "
                       "ON i.indexrelid = c.oid JOIN pg_catalog.pg_namespace n "
                       "ON n.oid = c.relnamespace JOIN pg_catalog.pg_am am ON am.oid = c.relam "
                       "WHERE c.oid = to_regclass(");
    pcsm_sql__literal(sql, quoted.ptr);
    pcsm_buf_puts(sql, ")");
    pcsm_buf_dispose(&quoted);
}

static void read_index_state(const PGresult *res, struct index_state *out)
{
    memset(out, 0, sizeof(*out));
    if (PQresultStatus(res) != PGRES_TUPLES_OK || PQntuples(res) != 1)
        return;
    out->exists = true;
    out->name = pcsm__xstrdup(PQgetvalue(res, 0, 0));
    out->valid = PQgetvalue(res, 0, 1)[0] == 't';
    out->definition = pcsm__xstrdup(PQgetvalue(res, 0, 2));
    if (!PQgetisnull(res, 0, 3))
        out->builder = pcsm__xstrdup(PQgetvalue(res, 0, 3));
    out->matches = PQgetvalue(res, 0, 4)[0] == 't';
}

static int inspect_index(pcsm_ctx *ctx, struct outside *o, const char *index,
                         const pcsm_index *want, struct index_state *out)
{
    pcsm_buf sql = PCSM_BUF_INIT;
    PGresult *res = NULL;
    int rc;

    put_index_query(o, index, want, &sql);
    rc = outside_exec(ctx, o, sql.ptr, "looking for the index in the catalog", &res);
    read_index_state(res, out);
    PQclear(res);
    pcsm_buf_dispose(&sql);
    return rc;
}

/*
 * The index a concurrent create or drop of operation i names, or NULL;
 * *want is the definition a create asks for.
 */
static const char *concurrent_index(const pcsm_op *op, size_t i, const pcsm_index **want)
{
    const struct pcsm_ddl_op *d = pcsm_op__at(op, i);

    *want = NULL;
    if (d->kind == PCSM_OP_CREATE_INDEX && d->u.create_index.index.concurrently) {
        *want = &d->u.create_index.index;
        return d->u.create_index.index.name;
    }
    if (d->kind == PCSM_OP_DROP_INDEX && (d->u.drop_index.flags & PCSM_DROP_CONCURRENTLY))
        return d->u.drop_index.index;
    return NULL;
}

/*
 * The schema of the relation `name` resolves to under the run's search
 * path, for naming it where that path may not hold (malloc'd; NULL when it
 * does not exist, and the statement's own error says so).
 */
static int resolve_schema(pcsm_ctx *ctx, struct outside *o, const char *name, char **out)
{
    pcsm_buf sql = PCSM_BUF_INIT, quoted = PCSM_BUF_INIT;
    PGresult *res = NULL;
    int rc;

    *out = NULL;
    pcsm_db__put_settings(o->db, &sql);
    pcsm_sql__ident(&quoted, name);
    pcsm_buf_puts(&sql, "SELECT n.nspname FROM pg_catalog.pg_class c JOIN pg_catalog.pg_namespace n "
                        "ON n.oid = c.relnamespace WHERE c.oid = to_regclass(");
    pcsm_sql__literal(&sql, quoted.ptr);
    pcsm_buf_putc(&sql, ')');
    rc = outside_exec(ctx, o, sql.ptr, "looking for the table in the catalog", &res);
    if (rc == 0 && PQntuples(res) == 1)
        *out = pcsm__xstrdup(PQgetvalue(res, 0, 0));
    PQclear(res);
    pcsm_buf_dispose(&sql);
    pcsm_buf_dispose(&quoted);
    return rc;
}

/*
 * Before operation i: finishes what an earlier run of this revision left
 * of its index.  *skip is set when the operation's work is already done;
 * *absent when, a create about to run, no index of that name is left, so
 * that an INVALID one after a failure is the run's own to drop.
 */
static int resume_index(pcsm_ctx *ctx, struct outside *o, const char *index,
                        const pcsm_index *want, bool *skip, bool *absent)
{
    pcsm_db *db = o->db;
    struct index_state st;
    double deadline = pcsm_db__now_ms() + db->opts.lock_timeout_seconds * 1e3;
    double next_report = 0;
    long backoff = 50;
    int rc;

    *skip = false;
    for (;;) {
        rc = inspect_index(ctx, o, index, want, &st);
        if (rc < 0 || !st.exists || !st.builder)
            break;
        /* A build of an earlier run, whose client is gone, still going. */
        if (pcsm_db__now_ms() >= deadline) {
            rc = pcsm_error__set(ctx, PCSM_ELOCK,
                                 "index %s is still being built by server process %s (an "
                                 "earlier run?) after %.0f s; wait for it or cancel it "
                                 "(pg_cancel_backend(%s)), then run again",
                                 st.name, st.builder, db->opts.lock_timeout_seconds,
                                 st.builder);
            break;
        }
        if (pcsm_db__now_ms() >= next_report) {
            pcsm_db__emit(db, PCSM_EVENT_WAIT, o->step->rev, o->step->direction, 0,
                          "index %s is still being built by server process %s; waiting "
                          "for it", st.name, st.builder);
            next_report = pcsm_db__now_ms() + 5000;
        }
        index_state_dispose(&st);
        pcsm_db__sleep(db, backoff);
        backoff = backoff * 2 > 500 ? 500 : backoff * 2;
        if (pcsm_db__stopping(db))
            return pcsm_error__set(ctx, PCSM_EINTERRUPTED,
                                   "interrupted while waiting for the build of index %s",
                                   index);
    }
    *absent = rc == 0 && !st.exists;
    if (rc < 0 || !o->started_before) {
        /* Not this revision's leftover: the statement says what is wrong. */
    } else if (want && st.exists && !st.matches) {
        rc = pcsm_error__set(ctx, PCSM_EINCONSISTENT,
                             "index %s is not the one revision %s builds (%s): an earlier "
                             "run of the revision started, but this index is someone "
                             "else's. Drop or rename it, then run again",
                             st.name, o->step->rev->id, st.definition);
    } else if (want && st.exists && st.valid) {
        *skip = true;
        pcsm_db__emit(db, PCSM_EVENT_WARNING, o->step->rev, o->step->direction, 0,
                      "index %s was built by an interrupted run of revision %s; recorded "
                      "as built", st.name, o->step->rev->id);
    } else if (want && st.exists) {
        pcsm_buf sql = PCSM_BUF_INIT;

        pcsm_db__emit(db, PCSM_EVENT_WARNING, o->step->rev, o->step->direction, 0,
                      "index %s is INVALID, left by an interrupted run of revision %s; "
                      "dropping and rebuilding it", st.name, o->step->rev->id);
        pcsm_buf_printf(&sql, "DROP INDEX CONCURRENTLY IF EXISTS %s", st.name);
        rc = outside_exec(ctx, o, sql.ptr, "dropping the INVALID index", NULL);
        *absent = rc == 0;
        pcsm_buf_dispose(&sql);
    } else if (!want && !st.exists) {
        *skip = true;
        pcsm_db__emit(db, PCSM_EVENT_WARNING, o->step->rev, o->step->direction, 0,
                      "index %s was dropped by an interrupted run of revision %s; recorded "
                      "as dropped", index, o->step->rev->id);
    }
    index_state_dispose(&st);
    return rc;
}

/*
 * After a failed or interrupted build of an index that did not exist
 * before it: drops the INVALID index it left, if that takes at most
 * timeout_ms, and says in *note what became of it.  Plain libpq calls: the
 * run is already stopping, and its error stays.
 */
static void cleanup_index(struct outside *o, const char *index, long timeout_ms,
                          pcsm_buf *note)
{
    PGconn *side = o->side->conn;
    pcsm_buf sql = PCSM_BUF_INIT;
    struct index_state st;
    PGresult *res;

    if (o->lost || PQstatus(side) != CONNECTION_OK)
        return;
    put_index_query(o, index, NULL, &sql);
    res = PQexec(side, sql.ptr);
    read_index_state(res, &st);
    PQclear(res);
    if (st.exists && !st.valid) {
        pcsm_buf_clear(&sql);
        pcsm_buf_printf(&sql, "DROP INDEX CONCURRENTLY IF EXISTS %s", st.name);
        if (outside_try(o, sql.ptr, timeout_ms))
            pcsm_buf_printf(note, "; the INVALID index %s it left was dropped", st.name);
        else
            pcsm_buf_printf(note, "; the INVALID index %s it left could not be dropped "
                            "within %ld ms: the next run drops and rebuilds it",
                            st.name, timeout_ms);
    }
    index_state_dispose(&st);
    pcsm_buf_dispose(&sql);
}

/*
 * The second connection's session.  Index statements name their schema and
 * need nothing; only a revision with other statements gets the run's search
 * path; --statement-timeout is kept by outside_exec; and (PostgreSQL 14+) a
 * check ends a statement soon after this process dies, so that a killed run
 * leaves no build going on (harmless to anyone it reaches).  Through a
 * transaction pooler a session setting may stay behind on a server
 * connection that other clients get, so no more is set than that.  Then, unless an index of the revision's name
 * exists that no run of it started, the 'started' row.
 */
static int outside_setup(pcsm_ctx *ctx, struct outside *o)
{
    pcsm_db *db = o->db;
    pcsm_buf sql = PCSM_BUF_INIT;
    PGresult *res = NULL;
    bool foreign = false;
    size_t i;
    int rc = 0;

    o->set_path = o->raw_sql;
    o->set_check = PQserverVersion(o->side->conn) >= 140000;
    if (o->set_path) {
        pcsm_buf_puts(&sql, "SET search_path TO ");
        if (db->opts.script.schema)
            pcsm_sql__ident(&sql, db->opts.script.schema);
        else
            pcsm_buf_puts(&sql, "DEFAULT");
        pcsm_buf_puts(&sql, ";\n");
    }
    if (o->set_check)
        pcsm_buf_puts(&sql, "SET client_connection_check_interval = 1000;\n");
    if (sql.len)
        rc = outside_exec(ctx, o, sql.ptr, "setting up the second connection", NULL);
    /* The bookkeeping tables, committed, for the 'started' row. */
    pcsm_buf_clear(&sql);
    pcsm_db__put_settings(db, &sql);
    if (rc == 0 && put_bootstrap(db, &sql) > 0) {
        rc = outside_exec(ctx, o, sql.ptr, "creating the version and history tables", NULL);
        if (rc == 0)
            db->have_schema = db->have_version_table = db->have_history_table = true;
    }
    if (rc == 0) {
        pcsm_buf_clear(&sql);
        pcsm_db__put_settings(db, &sql);
        pcsm_buf_puts(&sql, "SELECT EXISTS (SELECT 1 FROM ");
        pcsm_db__put_table(db, pcsm_script__history_table(&db->opts.script), &sql);
        pcsm_buf_puts(&sql, " WHERE event = 'started' AND revision = ");
        pcsm_sql__literal(&sql, o->step->rev->id);
        pcsm_buf_puts(&sql, " AND sql_sha256 = ");
        pcsm_sql__literal(&sql, o->sha);
        pcsm_buf_puts(&sql, ")");
        rc = outside_exec(ctx, o, sql.ptr, "reading the history table", &res);
        if (rc == 0)
            o->started_before = PQgetvalue(res, 0, 0)[0] == 't';
        PQclear(res);
    }
    /* An index to create that is already there, and not from a run of ours. */
    for (i = 0; rc == 0 && !o->started_before && i < pcsm_op__count(o->op) && !foreign; i++) {
        const pcsm_index *want;
        const char *index = concurrent_index(o->op, i, &want);
        struct index_state st;

        if (!index || !want)
            continue;
        rc = inspect_index(ctx, o, index, NULL, &st);
        foreign = st.exists;
        index_state_dispose(&st);
    }
    if (rc == 0 && !foreign) {
        pcsm_buf detail = PCSM_BUF_INIT;

        pcsm_buf_clear(&sql);
        pcsm_db__put_settings(db, &sql);
        pcsm_buf_printf(&detail, "%s started outside a transaction",
                        direction_name(o->step->direction));
        pcsm_script__history_insert(&db->opts.script, o->step->rev, "started", o->sha, -1,
                                    db->host, detail.ptr, &sql);
        pcsm_buf_dispose(&detail);
        rc = outside_exec(ctx, o, sql.ptr, "recording the start in the history table", NULL);
    }
    pcsm_buf_dispose(&sql);
    return rc;
}

/* Undoes outside_setup's session settings before the connection goes (to a pool). */
static void outside_reset(struct outside *o)
{
    pcsm_buf sql = PCSM_BUF_INIT;

    if (!o->side || PQstatus(o->side->conn) != CONNECTION_OK)
        return;
    if (o->set_path)
        pcsm_buf_puts(&sql, "RESET search_path;\n");
    if (o->set_check)
        pcsm_buf_puts(&sql, "RESET client_connection_check_interval;\n");
    if (sql.len)
        outside_try(o, sql.ptr, OUTSIDE_CLEANUP_MS_INTERRUPTED);
    pcsm_buf_dispose(&sql);
}

/* The second connection's waits (--wait) are the run's; its "connected" line is not. */
static void side_event(const pcsm_event *event, void *payload)
{
    pcsm_db *db = payload;

    if (event->kind == PCSM_EVENT_WAIT)
        pcsm_db__emit(db, PCSM_EVENT_WAIT, NULL, PCSM_UPGRADE, 0, "second connection: %s",
                      event->message);
}

/*
 * Operation i as it runs on the second connection: an index statement with
 * its table's (or index's) schema named, anything else as rendered.
 */
static int render_outside(pcsm_ctx *ctx, struct outside *o, size_t i, pcsm_buf *sql)
{
    const struct pcsm_ddl_op *d = pcsm_op__at(o->op, i);
    const pcsm_index *want;
    const char *index = concurrent_index(o->op, i, &want);
    char *schema = NULL;
    int rc = 0;

    if (!index) {
        pcsm_render__op(d, sql);
        return 0;
    }
    rc = resolve_schema(ctx, o, want ? want->table : index, &schema);
    if (rc == 0)
        pcsm_render__index_op(d, schema, sql);
    free(schema);
    return rc;
}

/*
 * Runs a nontransactional step in the open, locked transaction's shadow
 * (see above), then its bookkeeping here, and COMMIT.  Never retried.
 */
static int run_outside(pcsm_ctx *ctx, pcsm_db *db, const pcsm_step *step, pcsm_revset *heads)
{
    pcsm_db_opts side_opts = db->opts;
    struct outside o = { .db = db, .step = step };
    pcsm_buf sql = PCSM_BUF_INIT, what = PCSM_BUF_INIT, note = PCSM_BUF_INIT;
    pcsm_revset after = PCSM_REVSET_INIT;
    pcsm_op *op = NULL;
    double t0 = pcsm_db__now_ms();
    const char *failed_index = NULL;
    size_t i, n_ops = 0, sent = 0;     /* sent: statements of the revision sent */
    int rc;

    pcsm_db__emit(db, PCSM_EVENT_STEP_START, step->rev, step->direction, 0,
                  "%s %s: %s (outside a transaction)", direction_name(step->direction),
                  step->rev->id, step->rev->description);
    rc = pcsm_op__record(ctx, step->rev, step->direction, &op);
    o.op = op;
    if (rc == 0)
        n_ops = pcsm_op__count(op);
    for (i = 0; i < n_ops; i++) {
        const pcsm_index *want;

        pcsm_render__op(pcsm_op__at(op, i), &sql);
        o.raw_sql |= !concurrent_index(op, i, &want);
    }
    pcsm_sha256__hex(sql.ptr, sql.len, o.sha);
    /* The lock's transaction sits idle while the statements run elsewhere. */
    pcsm_buf_clear(&sql);
    pcsm_buf_puts(&sql, "SET LOCAL idle_in_transaction_session_timeout = 0");
    if (PQserverVersion(db->conn) >= 170000)
        pcsm_buf_puts(&sql, "; SET LOCAL transaction_timeout = 0");
    if (rc == 0)
        rc = pcsm_db__run(ctx, db, sql.ptr, "keeping the migration lock");
    side_opts.on_event = side_event;
    side_opts.payload = db;
    if (rc == 0)
        rc = pcsm_db_connect(ctx, &side_opts, &o.side);
    if (rc == 0) {
        db->side_cancel = o.side->cancel;
        rc = outside_setup(ctx, &o);
    }
    for (i = 0; rc == 0 && i < n_ops; i++) {
        bool skip = false, absent = false;
        const pcsm_index *want;
        const char *index = concurrent_index(op, i, &want);

        pcsm_buf_clear(&what);
        pcsm_buf_printf(&what, "revision %s (%s), %s: ", step->rev->id, step->rev->source_path,
                        direction_name(step->direction));
        pcsm_op__describe(op, i, &what);
        if (index)
            rc = resume_index(ctx, &o, index, want, &skip, &absent);
        if (rc == 0 && !skip) {
            pcsm_buf_clear(&sql);
            rc = render_outside(ctx, &o, i, &sql);
        }
        if (rc == 0 && !skip) {
            sent++;
            rc = outside_exec(ctx, &o, sql.ptr, what.ptr, NULL);
            if (rc < 0 && want && absent)
                failed_index = index;
        }
    }
    if (rc < 0 && failed_index)
        cleanup_index(&o, failed_index,
                      rc == PCSM_EINTERRUPTED ? OUTSIDE_CLEANUP_MS_INTERRUPTED
                                              : OUTSIDE_CLEANUP_MS_FAILED, &note);
    if (rc < 0 && sent == 0 && rc != PCSM_EMIGRATION)
        pcsm_error__append(ctx, "; none of the statements of this revision (which runs "
                           "outside a transaction) had run");
    else if (rc < 0 && rc != PCSM_EMIGRATION)
        pcsm_error__append(ctx, "; this revision runs outside a transaction: statements of "
                           "it that completed stay applied, and the next run of it resumes "
                           "from there%s", note.ptr ? note.ptr : "");
    db->side_cancel = NULL;
    outside_reset(&o);
    pcsm_db_close(o.side);
    if (rc == 0) {
        /* The work is done and cannot be undone: its bookkeeping is a
         * moment's work, so it goes in even when a signal came meanwhile
         * (the run stops right after).  Only a cancel can still stop it, and
         * then the next run records the work instead of redoing it. */
        volatile sig_atomic_t *interrupt = db->opts.interrupt;

        db->opts.interrupt = NULL;
        pcsm_buf_clear(&sql);
        put_bootstrap(db, &sql);
        copy_set(ctx, &after, heads);
        pcsm_graph_step_heads(ctx, &after, step);
        pcsm_script__version_delta(&db->opts.script, heads, &after, &sql);
        pcsm_script__history_insert(&db->opts.script, step->rev, direction_name(step->direction),
                                    step->direction == PCSM_UPGRADE ? o.sha : NULL,
                                    pcsm_db__now_ms() - t0, db->host, NULL, &sql);
        pcsm_buf_puts(&sql, "COMMIT;\n");
        rc = pcsm_db__run(ctx, db, sql.ptr, "recording the revision");
        db->opts.interrupt = interrupt;
    }
    if (rc == 0) {
        committed(ctx, db, heads, &after);
        pcsm_db__emit(db, PCSM_EVENT_STEP_DONE, step->rev, step->direction,
                      pcsm_db__now_ms() - t0, "%s %s done", direction_name(step->direction),
                      step->rev->id);
    } else {
        pcsm_db__rollback(db);
    }
    pcsm_op__free(op);
    pcsm_buf_dispose(&sql);
    pcsm_buf_dispose(&what);
    pcsm_buf_dispose(&note);
    pcsm_revset_dispose(&after);
    return rc;
}

static void append_steps(pcsm_plan *applied, const pcsm_plan *plan, size_t first, size_t last)
{
    size_t i;

    if (!applied)
        return;
    applied->steps = pcsm__xrealloc(applied->steps,
                                    (applied->n + last - first + 1) * sizeof(*applied->steps));
    for (i = first; i < last; i++)
        applied->steps[applied->n++] = plan->steps[i];
}

/*
 * plan->steps[0, *last): the first step alone when it is nontransactional
 * (or per migration), else every step up to the next nontransactional one.
 * Runs in the open, locked transaction and ends it.  *failed_at is the step
 * a failure belongs to.
 */
static int run_next(pcsm_ctx *ctx, pcsm_db *db, const pcsm_plan *plan, bool per_migration,
                    pcsm_revset *heads, size_t *last, size_t *failed_at)
{
    struct chunk c = { 0 };
    int rc;

    *failed_at = 0;
    if (plan->steps[0].rev->flags & PCSM_REV_NONTRANSACTIONAL) {
        *last = 1;
        return run_outside(ctx, db, &plan->steps[0], heads);
    }
    for (*last = 1; !per_migration && *last < plan->n &&
         !(plan->steps[*last].rev->flags & PCSM_REV_NONTRANSACTIONAL); (*last)++)
        ;
    c.db = db;
    c.steps = plan->steps;
    c.n_steps = *last;
    c.sha = pcsm__xcalloc(c.n_steps, sizeof(*c.sha));
    c.ms = pcsm__xcalloc(c.n_steps, sizeof(*c.ms));
    rc = run_chunk(ctx, &c, heads);
    *failed_at = c.failed;
    free(c.sha);
    free(c.ms);
    return rc;
}

/* Resolves the version rows and plans toward the target. */
static int plan_from_ids(pcsm_ctx *ctx, pcsm_db *db, const pcsm_run_opts *run, char **ids,
                         size_t n, pcsm_revset *current, pcsm_plan *plan, bool *ahead)
{
    pcsm_revset target = PCSM_REVSET_INIT;
    int rc = resolve_current(ctx, db, ids, n, current, run->allow_ahead ? ahead : NULL);

    pcsm_plan_dispose(plan);
    if (rc == 0)
        rc = pcsm_graph_resolve(ctx, run->target ? run->target : "head", current, &target);
    if (rc == 0)
        rc = pcsm_graph_plan(ctx, run->direction, current, &target, plan);
    pcsm_revset_dispose(&target);
    return rc;
}

static void put_heads(const pcsm_revset *heads, pcsm_buf *out)
{
    size_t i;

    if (!heads->n)
        pcsm_buf_puts(out, "base");
    for (i = 0; i < heads->n; i++)
        pcsm_buf_printf(out, "%s%s", i ? ", " : "", heads->revs[i]->id);
}

/*
 * Under the lock, re-reads the state and runs the next transaction's worth
 * of the plan, until the target is reached.  Every transaction re-reads:
 * the lock is released between them, and another runner may have moved on.
 */
static int run_locked(pcsm_ctx *ctx, pcsm_db *db, const pcsm_run_opts *run,
                      pcsm_revset *current, pcsm_plan *applied_out)
{
    pcsm_plan plan = PCSM_PLAN_INIT;
    bool verified = run->reset, ahead = false, reset_pending = run->reset;
    bool had_version_table = false, had_history_table = false;
    int rc = 0, attempt = 0;

    for (;;) {
        char **ids = NULL;
        size_t n = 0, last = 0, failed_at = 0;

        rc = pcsm_db__begin_locked(ctx, db, true, &ids, &n);
        if (rc == 0 && reset_pending) {
            /* Dropped in the transaction of the first revisions: from base. */
            had_version_table = db->have_version_table;
            had_history_table = db->have_history_table;
            rc = pcsm_db__run(ctx, db, pcsm_db__drop_all_sql,
                              "dropping everything in the schema");
            pcsm_db__free_ids(ids, n);
            ids = NULL;
            n = 0;
            db->have_version_table = db->have_history_table = false;
        }
        if (rc == 0)
            rc = plan_from_ids(ctx, db, run, ids, n, current, &plan, &ahead);
        /* Once a run, before it writes: the history agrees, the SQL did not change. */
        if (rc == 0 && plan.n > 0 && !verified)
            rc = verify_history_agrees(ctx, db);
        pcsm_db__free_ids(ids, n);
        if (rc == 0 && ahead && run->direction == PCSM_DOWNGRADE)
            rc = pcsm_error__set(ctx, PCSM_EINCONSISTENT,
                                 "the database is ahead of this binary: downgrade it with the "
                                 "release that migrated it");
        if (rc == 0 && plan.n > 0 && !verified) {
            rc = verify_checksums(ctx, db, current, NULL);
            verified = true;
        }
        if (rc == 0 && reset_pending &&
            (plan.n == 0 || (plan.steps[0].rev->flags & PCSM_REV_NONTRANSACTIONAL))) {
            /* Nothing to run with it, or the first revision runs outside a
             * transaction: the drop commits on its own. */
            rc = pcsm_db__run(ctx, db, "COMMIT", "dropping everything in the schema");
            if (rc == 0) {
                reset_pending = false;
                if (plan.n > 0)
                    continue;
            }
        }
        if (rc < 0 || plan.n == 0 || ahead) {
            pcsm_db__rollback(db);     /* nothing was written */
            if (rc < 0 && reset_pending) {
                db->have_version_table = had_version_table;
                db->have_history_table = had_history_table;
            }
            break;
        }
        rc = run_next(ctx, db, &plan, run->transaction_per_migration, current, &last,
                      &failed_at);
        if (rc < 0 && reset_pending) {
            /* Rolled back with the drop: the tables are as they were. */
            db->have_version_table = had_version_table;
            db->have_history_table = had_history_table;
        }
        if (rc == 0) {
            reset_pending = false;
            append_steps(applied_out, &plan, 0, last);
            attempt = 0;
            if (last == plan.n)
                break;
            continue;
        }
        if (is_lock_timeout(ctx) && attempt < db->opts.ddl_lock_retries &&
            !(plan.steps[0].rev->flags & PCSM_REV_NONTRANSACTIONAL) && !pcsm_db__stopping(db)) {
            long backoff = 200L << (attempt < 5 ? attempt : 5);

            attempt++;
            pcsm_db__emit(db, PCSM_EVENT_WAIT, plan.steps[failed_at].rev,
                          plan.steps[failed_at].direction, 0,
                          "%s; rolled back, retry %d of %d in %ld ms",
                          pcsm_error_last(ctx)->message, attempt, db->opts.ddl_lock_retries,
                          backoff);
            pcsm_db__sleep(db, backoff);
            continue;
        }
        record_failure(ctx, db, plan.steps[failed_at].rev, plan.steps[failed_at].direction, rc);
        break;
    }
    pcsm_plan_dispose(&plan);
    return rc;
}

int pcsm_db_migrate(pcsm_ctx *ctx, pcsm_db *db, const pcsm_run_opts *run,
                    pcsm_plan *applied_out, pcsm_revset *current_out)
{
    pcsm_revset current = PCSM_REVSET_INIT;
    pcsm_plan plan = PCSM_PLAN_INIT;
    pcsm_buf where = PCSM_BUF_INIT;
    char **ids = NULL;
    size_t n = 0;
    bool ahead = false;
    int rc;

    if (applied_out)
        applied_out->n = 0;
    /* The up-to-date check: one round trip, no lock, no checksums.  A reset
     * always has work: it goes straight to the lock. */
    rc = run->reset ? 0 : pcsm_db__read_versions(ctx, db, &ids, &n);
    if (rc == 0 && !run->reset)
        rc = plan_from_ids(ctx, db, run, ids, n, &current, &plan, &ahead);
    pcsm_db__free_ids(ids, n);
    if (rc == 0 && ahead && run->direction == PCSM_DOWNGRADE) {
        /* Its revisions above our head are unknown here: not ours to undo. */
        rc = pcsm_error__set(ctx, PCSM_EINCONSISTENT,
                             "the database is ahead of this binary: downgrade it with the "
                             "release that migrated it");
    }
    if (rc == 0 && (run->reset || (plan.n > 0 && !ahead)))
        rc = run_locked(ctx, db, run, &current, applied_out);

    if (current_out)
        copy_set(ctx, current_out, &current);
    if (rc == 0) {
        put_heads(&current, &where);
        pcsm_db__emit(db, PCSM_EVENT_INFO, NULL, run->direction, 0, "%s: %s",
                      applied_out && applied_out->n ? "now at" : "nothing to do, at",
                      where.ptr);
    }
    pcsm_buf_dispose(&where);
    pcsm_plan_dispose(&plan);
    pcsm_revset_dispose(&current);
    return rc;
}

int pcsm_db_stamp(pcsm_ctx *ctx, pcsm_db *db, const char *target)
{
    pcsm_revset current = PCSM_REVSET_INIT, to = PCSM_REVSET_INIT;
    pcsm_buf sql = PCSM_BUF_INIT;
    char **ids = NULL;
    size_t n = 0, i;
    int rc = pcsm_db__begin_locked(ctx, db, true, &ids, &n);

    /* Unknown current revisions are what a stamp repairs: resolve only known ones. */
    for (i = 0; rc == 0 && i < n; i++) {
        const pcsm_revision *rev = find_exact(ctx, ids[i]);

        if (rev)
            pcsm_revset_add(ctx, &current, rev);
    }
    if (rc == 0)
        rc = pcsm_graph_resolve(ctx, target, &current, &to);
    if (rc == 0) {
        pcsm_revset empty = PCSM_REVSET_INIT;

        put_bootstrap(db, &sql);
        pcsm_buf_puts(&sql, "DELETE FROM ");
        pcsm_sql__ident(&sql, pcsm_script__version_table(&db->opts.script));
        pcsm_buf_puts(&sql, ";\n");
        pcsm_script__version_delta(&db->opts.script, &empty, &to, &sql);
        for (i = 0; i < to.n; i++)
            pcsm_script__history_insert(&db->opts.script, to.revs[i], "stamp", NULL, -1,
                                        db->host, "stamped without running migrations", &sql);
        if (!to.n)
            pcsm_script__history_insert(&db->opts.script, &base_rev, "stamp", NULL, -1,
                                        db->host, "stamped to base", &sql);
        pcsm_buf_puts(&sql, "COMMIT;\n");
        rc = pcsm_db__run(ctx, db, sql.ptr, "stamping the version table");
    }
    if (rc < 0)
        pcsm_db__rollback(db);
    else
        db->have_schema = db->have_version_table = db->have_history_table = true;
    pcsm_db__free_ids(ids, n);
    pcsm_revset_dispose(&current);
    pcsm_revset_dispose(&to);
    pcsm_buf_dispose(&sql);
    return rc;
}
