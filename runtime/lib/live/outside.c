/*
 * Revisions run outside a transaction: a nontransactional step's statements
 * on a second connection while the first holds the migration lock, and a
 * rerun's resume or cleanup of the concurrent index builds it left.
 */
#include <poll.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "live/live.h"

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
/* The SQLSTATE of a part that found the migration lock gone before its COMMIT. */
#define LOCK_GONE "PCSML"
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
    bool mixed;                 /* a transactional revision with an autocommit block */
    char *lock_held;            /* mixed: SQL matching pg_locks' row of the lock */
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
/* Whether an index's keys hold an expression, in whichever form they were given. */
static bool index_has_expression(const pcsm_index *want)
{
    const pcsm_index_element *e;

    for (e = want->elements; e && (e->column || e->expression); e++)
        if (e->expression)
            return true;
    return want->expression != NULL;
}

static void put_index_matches(const pcsm_index *want, const char *schema, pcsm_buf *sql)
{
    pcsm_buf quoted = PCSM_BUF_INIT;
    const pcsm_index_element *e;
    size_t k;

    /* The index's table is in the index's schema. */
    pcsm_sql__qualified(&quoted, schema, want->table);
    pcsm_buf_puts(sql, "(i.indrelid = to_regclass(");
    pcsm_sql__literal(sql, quoted.ptr);
    pcsm_buf_printf(sql, ") AND i.indisunique = %s AND am.amname = ",
                    want->unique ? "true" : "false");
    pcsm_sql__literal(sql, want->method ? want->method : "btree");
    pcsm_buf_printf(sql, " AND (i.indpred IS NOT NULL) = %s AND (i.indexprs IS NOT NULL) = %s",
                    want->where ? "true" : "false",
                    index_has_expression(want) ? "true" : "false");
    if (want->elements && !index_has_expression(want)) {
        pcsm_buf_puts(sql, " AND ARRAY(SELECT a.attname::text FROM unnest(i.indkey::int2[]) "
                           "WITH ORDINALITY AS k(attnum, ord) JOIN pg_catalog.pg_attribute a "
                           "ON a.attrelid = i.indrelid AND a.attnum = k.attnum "
                           "ORDER BY k.ord) = ARRAY[");
        for (e = want->elements; e->column; e++) {
            if (e != want->elements)
                pcsm_buf_puts(sql, ", ");
            pcsm_sql__literal(sql, e->column);
        }
        pcsm_buf_puts(sql, "]::text[]");
    }
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
static void put_index_query(const struct outside *o, const char *schema, const char *index,
                            const pcsm_index *want, pcsm_buf *sql)
{
    pcsm_buf quoted = PCSM_BUF_INIT;

    pcsm_db__put_settings(o->db, sql);
    pcsm_sql__qualified(&quoted, schema, index);
    pcsm_buf_puts(sql, "SELECT format('%I.%I', n.nspname, c.relname), i.indisvalid, "
                       "pg_catalog.pg_get_indexdef(c.oid), ");
    /* A build's index_relid is visible to its own role and to monitors. */
    if (PQserverVersion(o->side->conn) >= 120000)
        pcsm_buf_puts(sql, "(SELECT p.pid::text FROM pg_catalog.pg_stat_progress_create_index p "
                           "WHERE p.index_relid = c.oid AND p.pid <> pg_backend_pid() LIMIT 1), ");
    else
        pcsm_buf_puts(sql, "NULL, ");
    if (want)
        put_index_matches(want, schema, sql);
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

static int inspect_index(pcsm_ctx *ctx, struct outside *o, const char *schema,
                         const char *index, const pcsm_index *want, struct index_state *out)
{
    pcsm_buf sql = PCSM_BUF_INIT;
    PGresult *res = NULL;
    int rc;

    put_index_query(o, schema, index, want, &sql);
    rc = outside_exec(ctx, o, sql.ptr, "looking for the index in the catalog", &res);
    read_index_state(res, out);
    PQclear(res);
    pcsm_buf_dispose(&sql);
    return rc;
}

/*
 * The index a concurrent create or drop of operation i names, or NULL;
 * *want is the definition a create asks for, *schema the operation's
 * (pcsm_set_schema()'s; NULL: the run's search path finds it).
 */
static const char *concurrent_index(const pcsm_op *op, size_t i, const pcsm_index **want,
                                    const char **schema)
{
    const struct pcsm_ddl_op *d = pcsm_op__at(op, i);

    *want = NULL;
    *schema = d->schema;
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
static int resume_index(pcsm_ctx *ctx, struct outside *o, const char *schema,
                        const char *index, const pcsm_index *want, bool *skip, bool *absent)
{
    pcsm_db *db = o->db;
    struct index_state st;
    double deadline = pcsm_db__now_ms() + db->opts.lock_timeout_seconds * 1e3;
    double next_report = 0;
    long backoff = 50;
    int rc;

    *skip = false;
    for (;;) {
        rc = inspect_index(ctx, o, schema, index, want, &st);
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
static void cleanup_index(struct outside *o, const char *schema, const char *index,
                          long timeout_ms, pcsm_buf *note)
{
    PGconn *side = o->side->conn;
    pcsm_buf sql = PCSM_BUF_INIT;
    struct index_state st;
    PGresult *res;

    if (o->lost || PQstatus(side) != CONNECTION_OK)
        return;
    put_index_query(o, schema, index, NULL, &sql);
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
 * connection that other clients get, so no more is set than that.  Then,
 * unless an index of the revision's name exists that no run of it started,
 * the 'started' row.
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
    if (o->set_path)
        pcsm_db__put_search_path(db, false, &sql);
    if (o->set_check)
        pcsm_buf_puts(&sql, "SET client_connection_check_interval = 1000;\n");
    if (sql.len)
        rc = outside_exec(ctx, o, sql.ptr, "setting up the second connection", NULL);
    /* The bookkeeping tables, committed, for the 'started' row. */
    pcsm_buf_clear(&sql);
    pcsm_db__put_settings(db, &sql);
    if (rc == 0 && pcsm_db__put_bootstrap(db, &sql) > 0) {
        rc = outside_exec(ctx, o, sql.ptr, "creating the version and history tables", NULL);
        if (rc == 0)
            pcsm_db__tables_made(db);
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
        const char *schema;
        const char *index = concurrent_index(o->op, i, &want, &schema);
        struct index_state st;

        if (!index || !want)
            continue;
        rc = inspect_index(ctx, o, schema, index, NULL, &st);
        foreign = st.exists;
        index_state_dispose(&st);
    }
    if (rc == 0 && !foreign) {
        pcsm_buf detail = PCSM_BUF_INIT;

        pcsm_buf_clear(&sql);
        pcsm_db__put_settings(db, &sql);
        pcsm_buf_printf(&detail, "%s started outside a transaction",
                        pcsm_migrate__direction_name(o->step->direction));
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
    size_t i;

    if (!o->side || PQstatus(o->side->conn) != CONNECTION_OK)
        return;
    if (o->set_path)
        pcsm_buf_puts(&sql, "RESET search_path;\n");
    if (o->set_check)
        pcsm_buf_puts(&sql, "RESET client_connection_check_interval;\n");
    /* The revision's pcsm_set_local()s, a SET here: not left to the next
     * client of a pooled server connection. */
    for (i = 0; o->op && i < pcsm_op__count(o->op); i++)
        if (pcsm_op__at(o->op, i)->kind == PCSM_OP_SET_LOCAL)
            pcsm_buf_printf(&sql, "RESET %s;\n", pcsm_op__at(o->op, i)->u.set_local.name);
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
    const char *own;
    const char *index = concurrent_index(o->op, i, &want, &own);
    char *schema = NULL;
    int rc = 0;

    /* Named by the revision itself (pcsm_set_schema()): nothing to resolve. */
    if (!index || own) {
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
 * A transactional revision with an autocommit block (pcsm_autocommit_begin)
 * runs here too, not in the lock's transaction: that lock is a
 * transaction-level one, and the COMMIT at the block's start would end it.
 * On the second connection, each part of the revision outside its blocks
 * is a transaction of its own, and each statement in a block runs alone, as
 * Alembic runs them.  A rerun after a failure or a kill must not run again
 * what committed: a 'part' history row goes in with each committed part (in
 * its transaction: exactly once) and after each statement of a block (just
 * after it: a kill between the two runs that statement again), and a rerun
 * skips the parts and statements whose row a run since the revision's last
 * completed event left.  Concurrent index statements in a block resume from
 * the catalog as a nontransactional revision's do, and write no row.
 */

/*
 * The key of the part whose operations are first..last: its place, its
 * direction and its own SQL, not the revision's, so that a revision fixed
 * after a failure (a later part edited) still skips the parts it committed.
 */
static void part_key(const struct outside *o, size_t first, size_t last, char key[65])
{
    pcsm_buf text = PCSM_BUF_INIT;
    size_t i;

    pcsm_buf_printf(&text, "%s:%s:part:%zu:%zu\n", o->step->rev->id,
                    pcsm_migrate__direction_name(o->step->direction), first, last);
    for (i = first; i <= last; i++)
        pcsm_render__op(pcsm_op__at(o->op, i), &text);
    pcsm_sha256__hex(text.ptr, text.len, key);
    pcsm_buf_dispose(&text);
}

/* True in *done when a run since the revision last completed committed the part. */
static int part_done(pcsm_ctx *ctx, struct outside *o, size_t first, size_t last, bool *done)
{
    const char *history = pcsm_script__history_table(&o->db->opts.script);
    pcsm_buf sql = PCSM_BUF_INIT;
    PGresult *res = NULL;
    char key[65];
    int rc;

    *done = false;
    part_key(o, first, last, key);
    pcsm_db__put_settings(o->db, &sql);
    pcsm_buf_puts(&sql, "SELECT EXISTS (SELECT 1 FROM ");
    pcsm_db__put_table(o->db, history, &sql);
    pcsm_buf_puts(&sql, " p WHERE p.event = 'part' AND p.revision = ");
    pcsm_sql__literal(&sql, o->step->rev->id);
    pcsm_buf_puts(&sql, " AND p.sql_sha256 = ");
    pcsm_sql__literal(&sql, key);
    pcsm_buf_puts(&sql, " AND p.id > COALESCE((SELECT max(h.id) FROM ");
    pcsm_db__put_table(o->db, history, &sql);
    pcsm_buf_puts(&sql, " h WHERE h.revision = ");
    pcsm_sql__literal(&sql, o->step->rev->id);
    pcsm_buf_puts(&sql, " AND h.event IN ('upgrade', 'downgrade', 'stamp')), 0))");
    rc = outside_exec(ctx, o, sql.ptr, "reading the history table", &res);
    if (rc == 0)
        *done = PQgetvalue(res, 0, 0)[0] == 't';
    PQclear(res);
    pcsm_buf_dispose(&sql);
    return rc;
}

/* Appends the 'part' row of the part whose operations are first..last. */
static void put_part_row(const struct outside *o, size_t first, size_t last, bool in_block,
                         pcsm_buf *sql)
{
    pcsm_buf detail = PCSM_BUF_INIT;
    char key[65];

    part_key(o, first, last, key);
    pcsm_buf_printf(&detail, "%s: operation%s %zu",
                    pcsm_migrate__direction_name(o->step->direction),
                    last > first ? "s" : "", first + 1);
    if (last > first)
        pcsm_buf_printf(&detail, "-%zu", last + 1);
    pcsm_buf_puts(&detail, in_block ? " run, in an autocommit block"
                                    : " committed, between autocommit blocks");
    pcsm_script__history_insert(&o->db->opts.script, o->step->rev, "part", key, -1,
                                o->db->host, detail.ptr, sql);
    pcsm_buf_dispose(&detail);
}

static void describe_part(const struct outside *o, size_t first, size_t last, pcsm_buf *what)
{
    pcsm_buf_clear(what);
    pcsm_buf_printf(what, "revision %s (%s), %s: ", o->step->rev->id,
                    o->step->rev->source_path,
                    pcsm_migrate__direction_name(o->step->direction));
    if (first == last)
        pcsm_op__describe(o->op, first, what);
    else
        pcsm_buf_printf(what, "operations %zu-%zu (a transaction between autocommit "
                        "blocks)", first + 1, last + 1);
}

/* Operations first..last-1, outside any block: a transaction with its 'part' row. */
static int run_part(pcsm_ctx *ctx, struct outside *o, size_t first, size_t last,
                    size_t *sent)
{
    pcsm_buf sql = PCSM_BUF_INIT, what = PCSM_BUF_INIT;
    bool done = false;
    size_t i;
    int rc = part_done(ctx, o, first, last - 1, &done);

    if (rc == 0 && done) {
        if (last - first > 1)
            pcsm_buf_printf(&what, "operations %zu-%zu", first + 1, last);
        else
            pcsm_op__describe(o->op, first, &what);
        pcsm_db__emit(o->db, PCSM_EVENT_WARNING, o->step->rev, o->step->direction, 0,
                      "%s of revision %s committed in an earlier run of it; not run again",
                      what.ptr, o->step->rev->id);
        pcsm_buf_dispose(&what);
        return 0;
    }
    if (rc < 0)
        return rc;
    pcsm_buf_puts(&sql, "BEGIN;\n");
    pcsm_db__put_settings(o->db, &sql);
    for (i = first; i < last; i++)
        pcsm_render__op(pcsm_op__at(o->op, i), &sql);
    put_part_row(o, first, last - 1, false, &sql);
    /*
     * Nothing of the part commits unless the lock is still held: a client
     * killed or stopped while its statements run here leaves them running
     * (the server sees it gone only when it writes back), while the lock
     * ends at once with the lock's session, and another run may have begun.
     */
    pcsm_buf_printf(&sql, "DO $pcsm_lock$BEGIN IF NOT EXISTS (SELECT FROM pg_catalog.pg_locks "
                          "WHERE locktype = 'advisory' AND granted AND %s) THEN RAISE "
                          "EXCEPTION USING ERRCODE = '" LOCK_GONE "', MESSAGE = 'the session "
                          "holding the migration lock ended before this part committed: "
                          "rolled back'; END IF; END$pcsm_lock$;\n", o->lock_held);
    pcsm_buf_puts(&sql, "COMMIT;\n");
    describe_part(o, first, last - 1, &what);
    (*sent)++;
    rc = outside_exec(ctx, o, sql.ptr, what.ptr, NULL);
    if (rc == PCSM_EDB && pcsm_error_last(ctx)->sqlstate &&
        !strcmp(pcsm_error_last(ctx)->sqlstate, LOCK_GONE))
        rc = pcsm_error__set(ctx, PCSM_EUNREACHABLE, "connection lost: the session holding "
                             "the migration lock ended while revision %s ran outside a "
                             "transaction; the part it was running was rolled back",
                             o->step->rev->id);
    if (rc < 0)
        outside_try(o, "ROLLBACK", OUTSIDE_CLEANUP_MS_INTERRUPTED);
    pcsm_buf_dispose(&sql);
    pcsm_buf_dispose(&what);
    return rc;
}

/* Statement i of a block, not a concurrent index one: alone, then its 'part' row. */
static int run_block_statement(pcsm_ctx *ctx, struct outside *o, size_t i, size_t *sent)
{
    pcsm_buf sql = PCSM_BUF_INIT, what = PCSM_BUF_INIT;
    bool done = false;
    int rc = part_done(ctx, o, i, i, &done);

    if (rc == 0 && done) {
        pcsm_buf_clear(&what);
        pcsm_op__describe(o->op, i, &what);
        pcsm_db__emit(o->db, PCSM_EVENT_WARNING, o->step->rev, o->step->direction, 0,
                      "%s of revision %s ran in an earlier run of it; not run again",
                      what.ptr, o->step->rev->id);
    }
    if (rc == 0 && !done) {
        pcsm_render__op(pcsm_op__at(o->op, i), &sql);
        describe_part(o, i, i, &what);
        (*sent)++;
        rc = outside_exec(ctx, o, sql.ptr, what.ptr, NULL);
        if (rc < 0)
            pcsm_migrate__note_lock_wait(ctx, o->db, pcsm_op__at(o->op, i));
    }
    if (rc == 0 && !done) {
        pcsm_buf_clear(&sql);
        pcsm_db__put_settings(o->db, &sql);
        put_part_row(o, i, i, true, &sql);
        rc = outside_exec(ctx, o, sql.ptr, "recording the statement in the history table",
                          NULL);
    }
    pcsm_buf_dispose(&sql);
    pcsm_buf_dispose(&what);
    return rc;
}

/*
 * The operations of a mixed revision (see above), in order.  *failed_at
 * as pcsm_outside__run's loop sets it.
 */
static int run_mixed(pcsm_ctx *ctx, struct outside *o, size_t *sent, size_t *failed_at)
{
    size_t i = 0, j, n = pcsm_op__count(o->op);
    bool in_block = false;
    pcsm_buf sql = PCSM_BUF_INIT, what = PCSM_BUF_INIT;
    int rc = 0;

    while (rc == 0 && i < n) {
        const struct pcsm_ddl_op *d = pcsm_op__at(o->op, i);
        const pcsm_index *want;
        const char *index, *schema;
        bool skip = false, absent = false;

        if (d->kind == PCSM_OP_AUTOCOMMIT_BEGIN || d->kind == PCSM_OP_AUTOCOMMIT_END) {
            in_block = d->kind == PCSM_OP_AUTOCOMMIT_BEGIN;
            i++;
            continue;
        }
        if (!in_block) {
            for (j = i; j < n && pcsm_op__at(o->op, j)->kind != PCSM_OP_AUTOCOMMIT_BEGIN; j++)
                ;
            rc = run_part(ctx, o, i, j, sent);
            i = j;
            continue;
        }
        index = concurrent_index(o->op, i, &want, &schema);
        if (!index) {
            rc = run_block_statement(ctx, o, i, sent);
            i++;
            continue;
        }
        describe_part(o, i, i, &what);
        rc = resume_index(ctx, o, schema, index, want, &skip, &absent);
        if (rc == 0 && !skip) {
            pcsm_buf_clear(&sql);
            rc = render_outside(ctx, o, i, &sql);
        }
        if (rc == 0 && !skip) {
            (*sent)++;
            rc = outside_exec(ctx, o, sql.ptr, what.ptr, NULL);
            if (rc < 0)
                pcsm_migrate__note_lock_wait(ctx, o->db, d);
            if (rc < 0 && want && absent)
                *failed_at = i;
        }
        i++;
    }
    pcsm_buf_dispose(&sql);
    pcsm_buf_dispose(&what);
    return rc;
}

/*
 * Runs a nontransactional step in the open, locked transaction's shadow
 * (see above), then its bookkeeping here, and COMMIT.  Never retried.
 */
int pcsm_outside__run(pcsm_ctx *ctx, pcsm_db *db, const pcsm_step *step, pcsm_revset *heads)
{
    pcsm_db_opts side_opts = db->opts;
    struct outside o = { .db = db, .step = step };
    pcsm_buf sql = PCSM_BUF_INIT, what = PCSM_BUF_INIT, note = PCSM_BUF_INIT;
    pcsm_revset after = PCSM_REVSET_INIT;
    pcsm_op *op = NULL;
    double t0 = pcsm_db__now_ms();
    size_t failed_at = SIZE_MAX;       /* the operation whose index build failed */
    size_t i, n_ops = 0, sent = 0;     /* sent: statements of the revision sent */
    const char *dir = pcsm_migrate__direction_name(step->direction);
    int rc;

    pcsm_db__emit(db, PCSM_EVENT_STEP_START, step->rev, step->direction, 0,
                  "%s %s: %s (%s)", dir, step->rev->id, step->rev->description,
                  step->rev->flags & PCSM_REV_NONTRANSACTIONAL ? "outside a transaction"
                                                               : "with an autocommit block");
    rc = pcsm_op__record(ctx, step->rev, step->direction, &op);
    o.op = op;
    if (rc == 0) {
        n_ops = pcsm_op__count(op);
        o.mixed = pcsm_op__has_autocommit(op);
    }
    for (i = 0; i < n_ops; i++) {
        const pcsm_index *want;
        const char *schema;

        pcsm_render__op(pcsm_op__at(op, i), &sql);
        o.raw_sql |= !concurrent_index(op, i, &want, &schema);
    }
    pcsm_sha256__hex(sql.ptr, sql.len, o.sha);
    /* The lock's transaction sits idle while the statements run elsewhere. */
    pcsm_buf_clear(&sql);
    pcsm_buf_puts(&sql, "SET LOCAL idle_in_transaction_session_timeout = 0");
    if (PQserverVersion(db->conn) >= 170000)
        pcsm_buf_puts(&sql, "; SET LOCAL transaction_timeout = 0");
    if (rc == 0)
        rc = pcsm_db__run(ctx, db, sql.ptr, "keeping the migration lock");
    if (rc == 0 && o.mixed) {
        PGresult *res = NULL;

        /*
         * For run_part()'s check, in the lock's transaction: through a
         * pooler too, the process that holds the lock, and the lock's key;
         * the process alone where a revision took two-key advisory locks
         * of its own in that session.
         */
        rc = pcsm_db__exec(ctx, db, "SELECT pg_catalog.format('pid = %s AND objsubid = 2 AND "
                           "database = %s AND classid = %s AND objid = %s', l.pid, l.database, "
                           "l.classid, l.objid), pg_catalog.format('pid = %s AND objsubid = 2', "
                           "l.pid) FROM pg_catalog.pg_locks l WHERE l.pid = "
                           "pg_catalog.pg_backend_pid() AND l.locktype = 'advisory' AND "
                           "l.granted AND l.objsubid = 2", "keeping the migration lock", &res);
        if (rc == 0 && PQntuples(res) == 0)
            rc = pcsm_error__set(ctx, PCSM_EDB, "the migration lock is not held in its "
                                 "transaction");
        if (rc == 0)
            o.lock_held = pcsm__xstrdup(PQgetvalue(res, 0, PQntuples(res) == 1 ? 0 : 1));
        PQclear(res);
    }
    side_opts.on_event = side_event;
    side_opts.payload = db;
    if (rc == 0)
        rc = pcsm_db_connect(ctx, &side_opts, &o.side);
    if (rc == 0) {
        db->side_cancel = o.side->cancel;
        rc = outside_setup(ctx, &o);
    }
    if (rc == 0 && o.mixed)
        rc = run_mixed(ctx, &o, &sent, &failed_at);
    for (i = 0; rc == 0 && !o.mixed && i < n_ops; i++) {
        bool skip = false, absent = false;
        const pcsm_index *want;
        const char *schema;
        const char *index = concurrent_index(op, i, &want, &schema);

        pcsm_buf_clear(&what);
        pcsm_buf_printf(&what, "revision %s (%s), %s: ", step->rev->id, step->rev->source_path,
                        dir);
        pcsm_op__describe(op, i, &what);
        if (index)
            rc = resume_index(ctx, &o, schema, index, want, &skip, &absent);
        if (rc == 0 && !skip) {
            pcsm_buf_clear(&sql);
            rc = render_outside(ctx, &o, i, &sql);
        }
        if (rc == 0 && !skip) {
            sent++;
            rc = outside_exec(ctx, &o, sql.ptr, what.ptr, NULL);
            if (rc < 0)
                pcsm_migrate__note_lock_wait(ctx, db, pcsm_op__at(op, i));
            if (rc < 0 && want && absent)
                failed_at = i;
        }
    }
    if (rc < 0 && failed_at != SIZE_MAX) {
        const pcsm_index *want;
        const char *schema;
        const char *index = concurrent_index(op, failed_at, &want, &schema);

        cleanup_index(&o, schema, index,
                      rc == PCSM_EINTERRUPTED ? OUTSIDE_CLEANUP_MS_INTERRUPTED
                                              : OUTSIDE_CLEANUP_MS_FAILED, &note);
    }
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
        pcsm_db__put_bootstrap(db, &sql);
        pcsm_migrate__copy_set(ctx, &after, heads);
        pcsm_graph_step_heads(ctx, &after, step);
        pcsm_script__version_delta(&db->opts.script, heads, &after, &sql);
        pcsm_script__history_insert(&db->opts.script, step->rev, dir,
                                    step->direction == PCSM_UPGRADE ? o.sha : NULL,
                                    pcsm_db__now_ms() - t0, db->host, NULL, &sql);
        pcsm_buf_puts(&sql, "COMMIT;\n");
        rc = pcsm_db__run(ctx, db, sql.ptr, "recording the revision");
        db->opts.interrupt = interrupt;
        /* That cancel comes with a signal (pcsm_db_cancel()): the run was interrupted. */
        if (rc == PCSM_EDB && interrupt && *interrupt && pcsm_error_last(ctx)->sqlstate &&
            !strcmp(pcsm_error_last(ctx)->sqlstate, "57014"))
            rc = pcsm_error__set(ctx, PCSM_EINTERRUPTED, "interrupted while recording "
                                 "revision %s, whose statements ran outside a transaction "
                                 "and are done: the next run records it", step->rev->id);
    }
    if (rc == 0) {
        pcsm_migrate__committed(ctx, db, heads, &after);
        pcsm_db__emit(db, PCSM_EVENT_STEP_DONE, step->rev, step->direction,
                      pcsm_db__now_ms() - t0, "%s %s done", dir, step->rev->id);
    } else {
        pcsm_db__rollback(db);
    }
    pcsm_op__free(op);
    free(o.lock_held);
    pcsm_buf_dispose(&sql);
    pcsm_buf_dispose(&what);
    pcsm_buf_dispose(&note);
    pcsm_revset_dispose(&after);
    return rc;
}
