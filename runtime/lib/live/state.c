/*
 * Reading the database's state: its current revisions (and why an unknown
 * one is unknown, ahead or diverged), and the check that the version rows,
 * the history table and the applied SQL agree with this binary.  Writes
 * nothing but an accepted checksum.
 */
#include <stdlib.h>
#include <string.h>

#include "live/live.h"

static const char *const no_parents[] = { NULL };
/* The history row of a stamp to base names no revision. */
const pcsm_revision pcsm_state__base_rev = { .id = "<base>", .parents = no_parents,
                                             .description = "base", .create_date = "" };

const pcsm_revision *pcsm_state__find_exact(pcsm_ctx *ctx, const char *id)
{
    const pcsm_revision *rev;

    if (pcsm_graph_lookup(ctx, id, &rev) < 0 || strcmp(rev->id, id) != 0)
        return NULL;
    return rev;
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
    rc = pcsm_db__probe_state(ctx, db);
    if (rc < 0)
        return rc;
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
            const pcsm_revision *known = pcsm_state__find_exact(ctx, queue[i]);

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
        const pcsm_revision *a = pcsm_state__find_exact(ctx, ids[i]);

        for (j = 0; a && j < n && rc == 0; j++) {
            const pcsm_revision *b = pcsm_state__find_exact(ctx, ids[j]);

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
 * all known here (pcsm_state__resolve_current saw to that).
 */
int pcsm_state__verify_history(pcsm_ctx *ctx, pcsm_db *db)
{
    pcsm_buf sql = PCSM_BUF_INIT, table = PCSM_BUF_INIT, rows = PCSM_BUF_INIT;
    PGresult *res = NULL;
    const char *rev = NULL, *event = NULL, *when = NULL;
    char **ids = NULL;
    size_t n = 0, i;
    bool listed = false, want_listed, base;
    int rc, row;

    rc = pcsm_db__probe_state(ctx, db);
    if (rc < 0 || !db->have_history_table)
        return rc;
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

        if (!strcmp(r, pcsm_state__base_rev.id) || pcsm_state__find_exact(ctx, r)) {
            rev = r;
            event = PQgetvalue(res, row, 1);
            when = PQgetvalue(res, row, 2);
            ids = split_array(PQgetvalue(res, row, 3), &n);
        }
    }
    if (!rev)
        goto done;
    base = !strcmp(rev, pcsm_state__base_rev.id);
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
int pcsm_state__resolve_current(pcsm_ctx *ctx, pcsm_db *db, char **ids, size_t n,
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
        const pcsm_revision *rev = pcsm_state__find_exact(ctx, ids[i]);
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
        rc = pcsm_state__resolve_current(ctx, db, ids, n, out, ahead_out);
    if (rc == 0 && with_history)
        rc = pcsm_state__verify_history(ctx, db);
    pcsm_db__free_ids(ids, n);
    return rc;
}

int pcsm_db_current(pcsm_ctx *ctx, pcsm_db *db, pcsm_revset *out, bool *ahead_out)
{
    return read_current(ctx, db, false, out, ahead_out);
}

/* ------------------------------------------------------------ checksums */

/*
 * Records that rev as it is now stands for what ran: an 'accept' row with
 * its current source and SQL checksums, which later runs compare against.
 */
static int record_acceptance(pcsm_ctx *ctx, pcsm_db *db, const pcsm_revision *rev,
                             const char *sha, bool same_sql, const char *applied_sha)
{
    pcsm_buf sql = PCSM_BUF_INIT, detail = PCSM_BUF_INIT;
    int rc;

    if (same_sql)
        pcsm_buf_puts(&detail, "accepted changed source; its SQL is unchanged");
    else
        pcsm_buf_printf(&detail, "accepted changed SQL; applied as %s", applied_sha);
    pcsm_db__put_begin(db, &sql);
    pcsm_script__history_insert(&db->opts.script, rev, "accept", sha, -1, db->host, detail.ptr,
                                &sql);
    pcsm_db__put_commit(db, &sql);
    rc = pcsm_db__run(ctx, db, sql.ptr, "recording the acceptance");
    if (rc == 0)
        pcsm_db__emit(db, PCSM_EVENT_WARNING, rev, PCSM_UPGRADE, 0,
                      "accepted the changed %s of revision %s (recorded in the history)",
                      same_sql ? "source" : "SQL", rev->id);
    pcsm_buf_dispose(&detail);
    pcsm_buf_dispose(&sql);
    return rc;
}

int pcsm_state__verify_checksums(pcsm_ctx *ctx, pcsm_db *db, const pcsm_revset *current,
                                 const pcsm_revset *accept)
{
    pcsm_buf sql = PCSM_BUF_INIT, changed = PCSM_BUF_INIT, fix = PCSM_BUF_INIT;
    PGresult *res = NULL;
    int rc = pcsm_db__probe_state(ctx, db), i;

    if (rc < 0 || !db->have_history_table)
        return rc;
    pcsm_db__put_idle_settings(db, &sql);
    pcsm_buf_puts(&sql, "SELECT DISTINCT ON (revision) revision, source_sha256, sql_sha256 FROM ");
    pcsm_db__put_table(db, pcsm_script__history_table(&db->opts.script), &sql);
    pcsm_buf_puts(&sql, " WHERE event IN ('upgrade', 'accept', 'stamp') "
                        "ORDER BY revision, id DESC");
    rc = pcsm_db__exec(ctx, db, sql.ptr, "reading the history table", &res);
    if (rc < 0)
        goto done;
    for (i = 0; i < PQntuples(res); i++) {
        const pcsm_revision *rev = pcsm_state__find_exact(ctx, PQgetvalue(res, i, 0));
        bool applied = false, same_sql, same_source;
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
        same_sql = strcmp(sha, PQgetvalue(res, i, 2)) == 0;
        same_source = PQgetisnull(res, i, 1) || !strcmp(rev->source_sha256, PQgetvalue(res, i, 1));
        if (same_sql && same_source)
            continue;
        if (accept && pcsm_revset_contains(accept, rev)) {
            rc = record_acceptance(ctx, db, rev, sha, same_sql, PQgetvalue(res, i, 2));
            if (rc < 0)
                goto done;
            continue;
        }
        /*
         * Only the source changed (a comment, white space, or the same SQL
         * from other calls): harmless, but said each run until recorded.
         */
        if (same_sql) {
            pcsm_db__emit(db, PCSM_EVENT_WARNING, rev, PCSM_UPGRADE, 0,
                          "revision %s (%s) changed since it was applied, but its SQL did "
                          "not; record the new source with: pcs-migrate check --accept %s",
                          rev->id, rev->source_path, rev->id);
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
        rc = pcsm_state__verify_checksums(ctx, db, &current, accept);
    pcsm_revset_dispose(&current);
    return rc;
}
