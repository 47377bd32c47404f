/*
 * The runs against a live database: upgrade/downgrade plans executed under
 * the migration lock, in one transaction or one per migration, with the
 * version and history tables moving alongside, lock-timeout retries, and
 * stamp.  All SQL comes from the renderer and script.c, as offline.
 */
#include <stdlib.h>
#include <string.h>

#include "live/live.h"

/* SQLSTATE of lock_timeout: the only failure a run retries by itself. */
#define SQLSTATE_LOCK_NOT_AVAILABLE "55P03"

const char *pcsm_migrate__direction_name(enum pcsm_direction d)
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
    pcsm_buf_printf(&detail, "%s %s: %s", pcsm_migrate__direction_name(direction),
                    rc == PCSM_EINTERRUPTED ? "interrupted" : "failed",
                    pcsm_error_last(ctx)->message);
    pcsm_db__put_begin(db, &sql);
    pcsm_script__history_insert(&db->opts.script, rev,
                                rc == PCSM_EINTERRUPTED ? "interrupted" : "failed", NULL, -1,
                                db->host, detail.ptr, &sql);
    pcsm_db__put_commit(db, &sql);
    res = PQexec(db->conn, sql.ptr);
    PQclear(res);
    pcsm_buf_dispose(&sql);
    pcsm_buf_dispose(&detail);
}

static bool is_lock_timeout(pcsm_ctx *ctx)
{
    const pcsm_error *e = pcsm_error_last(ctx);

    return e->code == PCSM_ELOCK && e->sqlstate &&
           !strcmp(e->sqlstate, SQLSTATE_LOCK_NOT_AVAILABLE);
}

/*
 * A statement that ran out of lock_timeout on its last try: PCSM_ELOCK,
 * not a failed migration (the SQL is sound, traffic held its table), with
 * who held the table, as the migration lock's wait says.  The server's
 * fields stay.  Rolled back already: the run ends as a failed one would.
 */
static int lock_not_obtained(pcsm_ctx *ctx, pcsm_db *db, int tries, bool outside)
{
    const pcsm_error *e = pcsm_error_last(ctx);
    pcsm_buf holder = PCSM_BUF_INIT, how = PCSM_BUF_INIT;
    int rc;

    pcsm_db__describe_relation_holder(db, db->lock_relations, &holder);
    /* Outside a transaction the statements run without our lock_timeout:
     * one the server or role sets ended it, and such a revision is never
     * rerun by itself. */
    if (outside)
        pcsm_buf_puts(&how, "within the server's lock_timeout (not retried outside a "
                            "transaction)");
    else
        pcsm_buf_printf(&how, "in %d tr%s of %ld ms (--ddl-lock-timeout, --ddl-retries)",
                        tries, tries == 1 ? "y" : "ies", db->opts.ddl_lock_timeout_ms);
    rc = pcsm_error__server(ctx, PCSM_ELOCK, e->sqlstate, e->detail, e->hint, e->statement,
                            "%s; the lock was not obtained %s: %s", e->message, how.ptr,
                            holder.ptr);
    pcsm_buf_dispose(&holder);
    pcsm_buf_dispose(&how);
    return rc;
}

void pcsm_migrate__copy_set(pcsm_ctx *ctx, pcsm_revset *dst, const pcsm_revset *src)
{
    size_t i;

    dst->n = 0;
    for (i = 0; i < src->n; i++)
        pcsm_revset_add(ctx, dst, src->revs[i]);
}

void pcsm_migrate__committed(pcsm_ctx *ctx, pcsm_db *db, pcsm_revset *heads,
                             const pcsm_revset *now)
{
    pcsm_db__tables_made(db);
    pcsm_migrate__copy_set(ctx, heads, now);
}

/*
 * The statements of a run go out in as few round trips as the server
 * allows: one multi-statement query per batch, whose results come back one
 * per statement, so each result is matched to the piece that produced it
 * (pieces, in order) for the error message, the progress events and the
 * durations.  Raw SQL, whose statement count is unknown, goes in a batch
 * of its own.
 *
 * In one transaction, nobody sees the version table between steps, so it
 * moves once, at the end, with one multi-row insert of the history rows and
 * the COMMIT.  Per migration, each step is a transaction of its own (BEGIN,
 * the lock again, the check that the version rows are what the previous
 * step left, the statements, its version and history rows, COMMIT), all
 * in the same pipeline: one round trip for the run, not three per step.
 *
 * Results come back in bulk, so each step's duration is the server's: a
 * mark at its start (pcsm_script__start_mark, per migration on the relock's
 * last statement) and, at its end, a statement that returns the time since
 * (the end mark; per migration the history row, which stores it too).
 */
/* A batch goes out once it holds this much: memory stays flat whatever the
 * run's length, for a pipeline stall per quarter megabyte. */
#define BATCH_BYTES (256 * 1024)
#define RAW ((size_t)-1)     /* a piece of unknown length: every result of its batch */
/* run_chunk's result when the lock or the state changed between two steps. */
#define LOST_LOCK 1

enum piece_kind {
    PIECE_BOOTSTRAP,    /* creating the version and history tables */
    PIECE_RELOCK,       /* per migration: BEGIN, the settings, the lock, the check, start */
    PIECE_START,        /* the first step's start mark */
    PIECE_OP,           /* one operation of the step */
    PIECE_VERSION,      /* per migration: the step's version rows */
    PIECE_END,          /* a statement returning the step's duration: the end mark, or
                         * per migration the history row */
    PIECE_COMMIT,       /* per migration: COMMIT */
    PIECE_GUARD,        /* a guard's condition, asked: op is the guard */
    PIECE_GUARDED,      /* an operation of a guard whose condition held: op.inner */
    PIECE_SETTINGS,     /* the settings a revision's pcsm_set_local()s change: saved, restored */
};

struct piece {
    size_t step;        /* index into the chunk's steps */
    enum piece_kind kind;
    size_t op;          /* PIECE_OP: the operation's index */
    size_t n;           /* statements; 0 for none; RAW */
    bool ends_step;
    size_t inner;       /* PIECE_GUARDED: the operation's index in its guard */
};

struct chunk {
    pcsm_db *db;
    const pcsm_step *steps;
    size_t n_steps;
    bool per_migration;
    char (*sha)[65];    /* SQL checksum per step (upgrades) */
    double *ms;         /* duration per step, from its end mark */
    size_t started;     /* steps whose start was reported */
    size_t committed;   /* steps committed (per migration) */
    size_t failed;      /* the step an error belongs to */
    bool guard_held;    /* the last guard's condition, as the server answered it */
};

/* to_regclass() of "schema"."name", or of "name" where the search path finds it. */
static void put_regclass_in(const char *schema, const char *name, pcsm_buf *out)
{
    pcsm_buf quoted = PCSM_BUF_INIT;

    if (!name)
        return;
    pcsm_sql__qualified(&quoted, schema, name);
    pcsm_buf_puts(out, out->len ? ", to_regclass(" : "to_regclass(");
    pcsm_sql__literal(out, quoted.ptr);
    pcsm_buf_putc(out, ')');
    pcsm_buf_dispose(&quoted);
}

static void put_regclass(const char *name, pcsm_buf *out)
{
    put_regclass_in(NULL, name, out);
}

/*
 * The relations whose locks an operation waits for, as a list of SQL
 * to_regclass() expressions: its table (of an index or a trigger too) and
 * the tables its foreign keys reference, whose locks it needs as well.  A
 * new relation's name finds nobody; raw SQL names none.
 */
static void put_lock_relations(const struct pcsm_ddl_op *o, pcsm_buf *out)
{
    const struct pcsm_ddl_create_table *t = &o->u.create_table;
    const char *sch = o->schema;    /* the operation's own; a foreign key's is its own too */
    size_t i;

    switch (o->kind) {
    case PCSM_OP_CREATE_INDEX: put_regclass_in(sch, o->u.create_index.index.table, out); break;
    case PCSM_OP_CREATE_TRIGGER:
        put_regclass_in(sch, o->u.create_trigger.trigger.table, out);
        break;
    case PCSM_OP_DROP_TRIGGER: put_regclass_in(sch, o->u.drop_trigger.table, out); break;
    case PCSM_OP_RECREATE_ENUM:
        for (i = 0; i < o->u.recreate_enum.n_columns; i++)
            put_regclass_in(sch, o->u.recreate_enum.columns[i].table, out);
        break;
    case PCSM_OP_SET_TRIGGER_FIRING:
        put_regclass_in(sch, o->u.set_trigger_firing.table, out);
        break;
    case PCSM_OP_CREATE_POLICY:
        put_regclass_in(sch, o->u.create_policy.policy.table, out);
        break;
    case PCSM_OP_DROP_POLICY: put_regclass_in(sch, o->u.drop_policy.table, out); break;
    case PCSM_OP_CREATE_TABLE:
        for (i = 0; i < t->n_columns; i++)
            put_regclass_in(t->columns[i].ref_schema, t->columns[i].references, out);
        for (i = 0; i < t->n_constraints; i++)
            if (t->constraints[i].kind == PCSM_FOREIGN_KEY)
                put_regclass_in(t->constraints[i].ref_schema, t->constraints[i].references,
                                out);
        for (i = 0; t->inherits && t->inherits[i]; i++)
            put_regclass_in(sch, t->inherits[i], out);
        break;
    case PCSM_OP_INHERIT:
    case PCSM_OP_NO_INHERIT:
        put_regclass_in(sch, o->u.inherit.table, out);
        put_regclass_in(sch, o->u.inherit.parent, out);
        break;
    case PCSM_OP_CREATE_PARTITION:
        put_regclass_in(sch, o->u.create_partition.parent, out);
        for (i = 0; i < o->u.create_partition.n_constraints; i++)
            if (o->u.create_partition.constraints[i].kind == PCSM_FOREIGN_KEY)
                put_regclass_in(o->u.create_partition.constraints[i].ref_schema,
                                o->u.create_partition.constraints[i].references, out);
        break;
    case PCSM_OP_ATTACH_PARTITION:
    case PCSM_OP_DETACH_PARTITION:
        put_regclass_in(sch, o->u.partition_of.table, out);
        put_regclass_in(sch, o->u.partition_of.partition, out);
        break;
    case PCSM_OP_ADD_COLUMN:
        put_regclass_in(sch, o->u.add_column.table, out);
        put_regclass_in(o->u.add_column.column.ref_schema, o->u.add_column.column.references,
                        out);
        break;
    case PCSM_OP_ADD_CONSTRAINT:
        put_regclass_in(sch, o->u.add_constraint.table, out);
        if (o->u.add_constraint.constraint.kind == PCSM_FOREIGN_KEY)
            put_regclass_in(o->u.add_constraint.constraint.ref_schema,
                            o->u.add_constraint.constraint.references, out);
        break;
    default:
        if (pcsm_op__names_object(o->kind))
            put_regclass_in(sch, pcsm_op__subject(o), out);
        break;
    }
}

/* db->lock_relations: rels (taken over) after a lock timeout, else NULL. */
static void set_lock_relations(pcsm_ctx *ctx, pcsm_db *db, pcsm_buf *rels)
{
    free(db->lock_relations);
    db->lock_relations = is_lock_timeout(ctx) && rels->len ? pcsm_buf_detach(rels) : NULL;
}

void pcsm_migrate__note_lock_wait(pcsm_ctx *ctx, pcsm_db *db, const struct pcsm_ddl_op *o)
{
    pcsm_buf rels = PCSM_BUF_INIT;

    put_lock_relations(o, &rels);
    set_lock_relations(ctx, db, &rels);
    pcsm_buf_dispose(&rels);
}

/* A NULL condition is false, as IF in the --sql script's DO block takes it. */
static void put_guard_query(const struct pcsm_ddl_if *g, pcsm_buf *out)
{
    pcsm_buf_printf(out, "SELECT COALESCE((%s), false);\n", g->condition);
}

/*
 * The failing piece, described; an operation is recorded again for it.
 * Into *relations, the relations it waits for: an operation's (see above),
 * else the version and history tables.
 */
static void describe_piece(pcsm_ctx *ctx, const struct chunk *c, const struct piece *p,
                           pcsm_buf *what, pcsm_buf *sql, pcsm_buf *relations)
{
    const pcsm_step *step = &c->steps[p->step];
    pcsm_op *op;

    pcsm_buf_clear(what);
    pcsm_buf_clear(sql);
    /* Every piece but an operation waits for our bookkeeping tables only. */
    if (p->kind != PIECE_OP && p->kind != PIECE_GUARD && p->kind != PIECE_GUARDED) {
        put_regclass(pcsm_script__version_table(&c->db->opts.script), relations);
        put_regclass(pcsm_script__history_table(&c->db->opts.script), relations);
    }
    if (p->kind == PIECE_BOOTSTRAP) {
        pcsm_buf_puts(what, "creating the version and history tables");
        return;
    }
    pcsm_buf_printf(what, "revision %s (%s), %s: ", step->rev->id, step->rev->source_path,
                    pcsm_migrate__direction_name(step->direction));
    if (p->kind == PIECE_RELOCK) {
        pcsm_buf_puts(what, "taking the migration lock for its transaction");
        return;
    }
    if (p->kind != PIECE_OP && p->kind != PIECE_GUARD && p->kind != PIECE_GUARDED) {
        pcsm_buf_puts(what, p->kind == PIECE_START ? "reading the server clock"
                            : p->kind == PIECE_SETTINGS ? "saving or restoring the settings "
                                                          "of its pcsm_set_local() calls"
                            : "recording the revision and committing");
        return;
    }
    if (pcsm_op__record(ctx, step->rev, step->direction, &op) < 0)
        return;     /* it recorded before: cannot happen */
    if (p->kind == PIECE_OP) {
        pcsm_op__describe(op, p->op, what);
        pcsm_render__op(pcsm_op__at(op, p->op), sql);
        put_lock_relations(pcsm_op__at(op, p->op), relations);
    } else {
        const struct pcsm_ddl_op *g = pcsm_op__at(op, p->op);

        pcsm_buf_printf(what, "if (line %u): ", g->line);
        if (p->kind == PIECE_GUARD) {
            pcsm_buf_puts(what, "asking its condition");
            put_guard_query(&g->u.guard, sql);
        } else {
            const struct pcsm_ddl_op *in = &g->u.guard.ops[p->inner];

            pcsm_op__describe_op(in, what);
            pcsm_render__op(in, sql);
            put_lock_relations(in, relations);
        }
    }
    pcsm_op__free(op);
}

/* Reports the start of every step up to and including `step`. */
static void start_steps(struct chunk *c, size_t step)
{
    for (; c->started <= step && c->started < c->n_steps; c->started++) {
        const pcsm_step *s = &c->steps[c->started];

        pcsm_db__emit(c->db, PCSM_EVENT_STEP_START, s->rev, s->direction, 0, "%s %s: %s",
                      pcsm_migrate__direction_name(s->direction), s->rev->id, s->rev->description);
    }
}

static void finish_piece(struct chunk *c, const struct piece *p)
{
    const pcsm_step *s = &c->steps[p->step];

    start_steps(c, p->step);
    if (p->kind == PIECE_COMMIT)
        c->committed = p->step + 1;
    if (!p->ends_step)
        return;
    pcsm_db__emit(c->db, PCSM_EVENT_STEP_DONE, s->rev, s->direction, c->ms[p->step],
                  "%s %s done", pcsm_migrate__direction_name(s->direction), s->rev->id);
}

/* A failed result: the run's error, or LOST_LOCK for a failed relock. */
static int piece_failed(pcsm_ctx *ctx, struct chunk *c, const struct piece *p,
                        const PGresult *res)
{
    pcsm_buf what = PCSM_BUF_INIT, stmt = PCSM_BUF_INIT, rels = PCSM_BUF_INIT;
    const char *state = PQresultErrorField(res, PG_DIAG_SQLSTATE);
    int rc;

    if (p->kind == PIECE_RELOCK && state && !strcmp(state, PCSM_DB_SQLSTATE_RELOCK_FAILED))
        return LOST_LOCK;
    describe_piece(ctx, c, p, &what, &stmt, &rels);
    rc = pcsm_db__server_error(ctx, c->db, res, stmt.len ? stmt.ptr : NULL, what.ptr);
    set_lock_relations(ctx, c->db, &rels);
    pcsm_buf_dispose(&what);
    pcsm_buf_dispose(&stmt);
    pcsm_buf_dispose(&rels);
    return rc;
}

/*
 * The notices that come with the next result belong to the next piece with
 * statements: held while its step has not printed its start line, printed
 * at once (a batch update's progress, live) once it has.
 */
static void hold_for_next_piece(struct chunk *c, const struct piece *pieces, size_t n,
                                size_t at)
{
    while (at < n && pieces[at].n == 0)
        at++;
    c->db->hold_notices = at < n && c->started <= pieces[at].step;
}

/* Sends one batch and matches its results to pieces[0, n). */
static int run_batch(pcsm_ctx *ctx, struct chunk *c, const char *sql, const struct piece *pieces,
                     size_t n)
{
    pcsm_db *db = c->db;
    PGresult *res;
    size_t at = 0, seen = 0;
    int rc = 0;

    if (pcsm_db__stopping(db))
        return pcsm_error__set(ctx, PCSM_EINTERRUPTED, "interrupted by signal %d",
                               (int)*db->opts.interrupt);
    start_steps(c, pieces[0].step);
    if (*sql && !PQsendQuery(db->conn, sql))
        return pcsm_db__server_error(ctx, db, NULL, NULL, "sending the migration statements");
    /*
     * A statement's notices (a batch_update's progress) arrive before its
     * result, while the step it belongs to may not have reported its start
     * yet: they wait until it has, and no longer, so that a long update's
     * batches show as they go (hold_for_next_piece).
     */
    hold_for_next_piece(c, pieces, n, 0);
    while (*sql && (res = PQgetResult(db->conn))) {
        ExecStatusType st = PQresultStatus(res);

        for (; rc == 0 && at < n && pieces[at].n == 0; at++)
            finish_piece(c, &pieces[at]);
        if (rc == 0 && at >= n)
            rc = pcsm_error__set(ctx, PCSM_EDB, "more results than statements sent");
        if (rc != 0) {
            PQclear(res);   /* the rest of the pipeline, skipped by the server */
            continue;
        }
        start_steps(c, pieces[at].step);
        pcsm_db__flush_notices(db);
        c->failed = pieces[at].step;
        if (st != PGRES_COMMAND_OK && st != PGRES_TUPLES_OK && st != PGRES_EMPTY_QUERY) {
            rc = piece_failed(ctx, c, &pieces[at], res);
        } else if (pieces[at].n != RAW && ++seen == pieces[at].n) {
            if (pieces[at].kind == PIECE_END && PQntuples(res) == 1)
                c->ms[pieces[at].step] = strtod(PQgetvalue(res, 0, 0), NULL);
            if (pieces[at].kind == PIECE_GUARD)
                c->guard_held = PQntuples(res) == 1 && PQgetvalue(res, 0, 0)[0] == 't';
            finish_piece(c, &pieces[at++]);
            seen = 0;
        }
        PQclear(res);
        hold_for_next_piece(c, pieces, n, at);
    }
    db->hold_notices = false;
    pcsm_db__flush_notices(db);
    if (rc == 0 && PQstatus(db->conn) == CONNECTION_BAD)
        rc = pcsm_db__server_error(ctx, db, NULL, NULL, "running the migration statements");
    if (rc == 0 && at < n && pieces[at].n == RAW)
        finish_piece(c, &pieces[at++]);
    for (; rc == 0 && at < n && pieces[at].n == 0; at++)
        finish_piece(c, &pieces[at]);
    if (rc == 0 && at != n)
        rc = pcsm_error__set(ctx, PCSM_EDB, "fewer results than statements sent");
    return rc;
}

struct batch {
    pcsm_buf sql;
    struct piece *pieces;
    size_t n, cap;
};

static void batch_add(struct batch *b, size_t step, enum piece_kind kind, size_t op, size_t n,
                      bool ends_step)
{
    if (b->n == b->cap) {
        b->cap = b->cap ? 2 * b->cap : 64;
        b->pieces = pcsm__xrealloc(b->pieces, b->cap * sizeof(*b->pieces));
    }
    b->pieces[b->n++] = (struct piece){ step, kind, op, n, ends_step, 0 };
}

static int batch_flush(pcsm_ctx *ctx, struct chunk *c, struct batch *b)
{
    int rc = b->n ? run_batch(ctx, c, b->sql.len ? b->sql.ptr : "", b->pieces, b->n) : 0;

    pcsm_buf_clear(&b->sql);
    b->n = 0;
    return rc;
}

/*
 * Guard k of step i: its condition asked in the step's transaction, after
 * everything before it has run (the batch goes out first), then its
 * operations, only if it held.  Which way it went is logged.
 */
static int add_guard(pcsm_ctx *ctx, struct chunk *c, struct batch *b, size_t i, size_t k,
                     const struct pcsm_ddl_op *o)
{
    const struct pcsm_ddl_if *g = &o->u.guard;
    const pcsm_step *s = &c->steps[i];
    size_t j;
    int rc;

    put_guard_query(g, &b->sql);
    batch_add(b, i, PIECE_GUARD, k, 1, false);
    c->guard_held = false;
    rc = batch_flush(ctx, c, b);
    if (rc != 0)
        return rc;
    pcsm_db__emit(c->db, PCSM_EVENT_INFO, s->rev, s->direction, 0,
                  "%s %s: if (line %u): condition %s, %zu operation%s %s",
                  pcsm_migrate__direction_name(s->direction), s->rev->id, o->line,
                  c->guard_held ? "true" : "false", g->n_ops, g->n_ops == 1 ? "" : "s",
                  c->guard_held ? "run" : "skipped");
    for (j = 0; rc == 0 && c->guard_held && j < g->n_ops; j++) {
        size_t n_stmt = pcsm_render__statements(&g->ops[j]);

        if (n_stmt == 0)
            rc = batch_flush(ctx, c, b);
        pcsm_render__op(&g->ops[j], &b->sql);
        batch_add(b, i, PIECE_GUARDED, k, n_stmt ? n_stmt : RAW, false);
        b->pieces[b->n - 1].inner = j;
        if (rc == 0 && (n_stmt == 0 || b->sql.len >= BATCH_BYTES))
            rc = batch_flush(ctx, c, b);
    }
    return rc;
}

/* Step i's recorded operations into the batch, its SQL into *step_sql for the checksum. */
static int add_operations(pcsm_ctx *ctx, struct chunk *c, struct batch *b, size_t i,
                          const pcsm_op *op, pcsm_buf *step_sql)
{
    size_t n_ops = pcsm_op__count(op), k;
    int rc = 0;

    pcsm_buf_clear(step_sql);
    for (k = 0; rc == 0 && k < n_ops; k++) {
        size_t at = step_sql->len, n_stmt = pcsm_render__statements(pcsm_op__at(op, k));

        /* The checksum takes the guard's --sql text, whichever way it goes. */
        if (pcsm_op__at(op, k)->kind == PCSM_OP_IF) {
            pcsm_render__op(pcsm_op__at(op, k), step_sql);
            rc = add_guard(ctx, c, b, i, k, pcsm_op__at(op, k));
            continue;
        }
        pcsm_render__op(pcsm_op__at(op, k), step_sql);
        if (n_stmt == 0)
            rc = batch_flush(ctx, c, b);
        pcsm_buf_put(&b->sql, step_sql->ptr + at, step_sql->len - at);
        batch_add(b, i, PIECE_OP, k, n_stmt ? n_stmt : RAW, false);
        if (rc == 0 && (n_stmt == 0 || b->sql.len >= BATCH_BYTES))
            rc = batch_flush(ctx, c, b);
    }
    if (rc == 0 && c->steps[i].direction == PCSM_UPGRADE)
        pcsm_sha256__hex(step_sql->ptr, step_sql->len, c->sha[i]);
    return rc;
}

/* Per migration: step i's version rows (before -> after), history row, COMMIT. */
static void add_commit(struct chunk *c, struct batch *b, size_t i, const pcsm_revset *before,
                       const pcsm_revset *after)
{
    const pcsm_script_opts *so = &c->db->opts.script;
    const pcsm_step *s = &c->steps[i];

    batch_add(b, i, PIECE_VERSION, 0, pcsm_script__version_delta(so, before, after, &b->sql),
              false);
    /* Its duration, measured by the server as it writes the row. */
    pcsm_script__history_head(so, &b->sql);
    pcsm_script__history_values(so, s->rev, pcsm_migrate__direction_name(s->direction),
                                s->direction == PCSM_UPGRADE ? c->sha[i] : NULL,
                                PCSM_SCRIPT_DURATION_MEASURED, c->db->host, NULL, &b->sql);
    pcsm_buf_puts(&b->sql, " RETURNING \"duration_ms\";\n");
    batch_add(b, i, PIECE_END, 0, 1, false);
    pcsm_buf_puts(&b->sql, "COMMIT;\n");
    batch_add(b, i, PIECE_COMMIT, 0, 1, true);
}

/* One transaction: the version rows, every step's history row, COMMIT. */
static int commit_all(pcsm_ctx *ctx, struct chunk *c, const pcsm_revset *before,
                      const pcsm_revset *after)
{
    pcsm_db *db = c->db;
    pcsm_buf tail = PCSM_BUF_INIT;
    size_t i;
    int rc;

    pcsm_script__version_delta(&db->opts.script, before, after, &tail);
    pcsm_script__history_head(&db->opts.script, &tail);
    for (i = 0, rc = 0; rc == 0 && i < c->n_steps; i++) {
        pcsm_script__history_values(&db->opts.script, c->steps[i].rev,
                                    pcsm_migrate__direction_name(c->steps[i].direction),
                                    c->steps[i].direction == PCSM_UPGRADE ? c->sha[i] : NULL,
                                    c->ms[i], db->host, NULL, &tail);
        if (i + 1 < c->n_steps && tail.len < BATCH_BYTES) {
            pcsm_buf_puts(&tail, ",\n");
        } else if (i + 1 < c->n_steps) {
            /* An insert per quarter megabyte: memory stays flat here too. */
            pcsm_buf_puts(&tail, ";\n");
            rc = pcsm_db__run(ctx, db, tail.ptr, "recording the revisions");
            pcsm_buf_clear(&tail);
            pcsm_script__history_head(&db->opts.script, &tail);
        }
    }
    pcsm_buf_puts(&tail, ";\nCOMMIT;\n");
    if (rc == 0)
        rc = pcsm_db__run(ctx, db, tail.ptr, "recording the revisions and committing");
    if (rc == 0)
        c->committed = c->n_steps;
    pcsm_buf_dispose(&tail);
    return rc;
}

/*
 * Runs steps from the open, locked transaction and ends it: in it, or per
 * migration each in a transaction of its own.  *heads moves to where the
 * committed steps (c->committed) left it; c->failed names the step an
 * error belongs to.  LOST_LOCK: another runner took the lock between two
 * steps, which were rolled back from there.
 */
static int run_chunk(pcsm_ctx *ctx, struct chunk *c, pcsm_revset *heads)
{
    pcsm_db *db = c->db;
    struct batch b = { PCSM_BUF_INIT, NULL, 0, 0 };
    pcsm_buf step_sql = PCSM_BUF_INIT;
    pcsm_revset before = PCSM_REVSET_INIT, moving = PCSM_REVSET_INIT;
    size_t i, n_boot;
    int rc = 0;

    pcsm_migrate__copy_set(ctx, &moving, heads);
    n_boot = pcsm_db__put_bootstrap(db, &b.sql);
    if (n_boot)
        batch_add(&b, 0, PIECE_BOOTSTRAP, 0, n_boot, false);
    for (i = 0; rc == 0 && i < c->n_steps; i++) {
        pcsm_op *op = NULL;

        c->failed = i;
        /* Recorded before anything of it is sent: a revision that fails to
         * record leaves the steps before it to be sent (and, per migration,
         * committed) as they would have been. */
        rc = pcsm_op__record(ctx, c->steps[i].rev, c->steps[i].direction, &op);
        if (rc < 0) {
            int sent = batch_flush(ctx, c, &b);

            if (sent != 0)
                rc = sent;      /* an earlier step failed first */
            else
                c->failed = i;
            break;
        }
        pcsm_migrate__copy_set(ctx, &before, &moving);
        if (c->per_migration && i > 0) {
            batch_add(&b, i, PIECE_RELOCK, 0, pcsm_db__put_relock(db, &before, &b.sql), false);
        } else {
            pcsm_script__start_mark(&b.sql);
            batch_add(&b, i, PIECE_START, 0, 1, false);
        }
        /* Its SET LOCALs end with it, not with the transaction: the runner's
         * own lock_timeout and statement_timeout, set before, come back too. */
        batch_add(&b, i, PIECE_SETTINGS, 0, pcsm_script__settings_save(op, &b.sql), false);
        rc = add_operations(ctx, c, &b, i, op, &step_sql);
        batch_add(&b, i, PIECE_SETTINGS, 0, pcsm_script__settings_restore(op, &b.sql), false);
        pcsm_op__free(op);
        pcsm_graph_step_heads(ctx, &moving, &c->steps[i]);
        if (c->per_migration) {
            add_commit(c, &b, i, &before, &moving);
        } else {
            pcsm_script__end_mark(&b.sql);
            batch_add(&b, i, PIECE_END, 0, 1, true);
        }
        /* Steps without operations (merges) add SQL too. */
        if (rc == 0 && b.sql.len >= BATCH_BYTES)
            rc = batch_flush(ctx, c, &b);
    }
    if (rc == 0)
        rc = batch_flush(ctx, c, &b);
    if (rc == 0 && !c->per_migration)
        rc = commit_all(ctx, c, heads, &moving);
    if (rc != 0)
        pcsm_db__rollback(db);
    if (c->committed > 0) {
        moving.n = 0;
        pcsm_migrate__copy_set(ctx, &moving, heads);
        for (i = 0; i < c->committed; i++)
            pcsm_graph_step_heads(ctx, &moving, &c->steps[i]);
        pcsm_migrate__committed(ctx, db, heads, &moving);
    }
    pcsm_buf_dispose(&b.sql);
    free(b.pieces);
    pcsm_buf_dispose(&step_sql);
    pcsm_revset_dispose(&before);
    pcsm_revset_dispose(&moving);
    return rc;
}

/*
 * Whether a step runs outside the lock's transaction (outside.c): flagged
 * nontransactional, or with an autocommit block, whose COMMIT would end the
 * transaction-level migration lock.  A revision that fails to record runs
 * in the chunk, which reports its error.
 */
static bool runs_outside(const pcsm_step *step)
{
    pcsm_migration_fn fn = step->direction == PCSM_UPGRADE ? step->rev->upgrade
                                                           : step->rev->downgrade;
    pcsm_op *op;
    bool mixed;

    if (step->rev->flags & PCSM_REV_NONTRANSACTIONAL)
        return true;
    /* Recorded without the run's context: this is no place for its error. */
    op = pcsm_op__new(step->rev, step->direction);
    if (fn)
        fn(op);
    mixed = !pcsm_op__failure(op) && pcsm_op__has_autocommit(op);
    pcsm_op__free(op);
    return mixed;
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
 * From the open, locked transaction, the plan's next steps: the first alone
 * when it is nontransactional, else every step up to the next
 * nontransactional one, in one transaction or one per migration.  Ends the
 * transaction.  *done is how many steps committed, *failed_at the step a
 * failure belongs to; LOST_LOCK as run_chunk.
 */
static int run_next(pcsm_ctx *ctx, pcsm_db *db, const pcsm_plan *plan, bool per_migration,
                    pcsm_revset *heads, size_t *done, size_t *failed_at)
{
    struct chunk c = { 0 };
    int rc;

    *failed_at = 0;
    if (runs_outside(&plan->steps[0])) {
        rc = pcsm_outside__run(ctx, db, &plan->steps[0], heads);
        *done = rc == 0;
        return rc;
    }
    for (c.n_steps = 1; c.n_steps < plan->n && !runs_outside(&plan->steps[c.n_steps]);
         c.n_steps++)
        ;
    c.db = db;
    c.steps = plan->steps;
    c.per_migration = per_migration;
    c.sha = pcsm__xcalloc(c.n_steps, sizeof(*c.sha));
    c.ms = pcsm__xcalloc(c.n_steps, sizeof(*c.ms));
    rc = run_chunk(ctx, &c, heads);
    *done = c.committed;
    *failed_at = c.failed;
    free(c.sha);
    free(c.ms);
    return rc;
}

/*
 * Resolves the version rows and plans toward the target.  The target spec is
 * resolved against them unless *resolved says *target already holds it: a
 * relative spec (+N, -N) counts from where the run first found the database,
 * and a state read again later (after a nontransactional step, after waiting
 * for another runner) would count again from where the run has got to.
 */
static int plan_from_ids(pcsm_ctx *ctx, pcsm_db *db, const pcsm_run_opts *run, char **ids,
                         size_t n, pcsm_revset *current, pcsm_revset *target, bool *resolved,
                         pcsm_plan *plan, bool *ahead)
{
    int rc = pcsm_state__resolve_current(ctx, db, ids, n, current, run->allow_ahead ? ahead : NULL);

    pcsm_plan_dispose(plan);
    if (rc == 0 && !*resolved) {
        rc = pcsm_graph_resolve(ctx, run->target ? run->target : "head", current, target);
        *resolved = rc == 0;
    }
    if (rc == 0)
        rc = pcsm_graph_plan(ctx, run->direction, current, target, plan);
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

/* Whether list (n) holds name; if not, a copy joins it. */
static void add_schema_name(char ***list, size_t *n, size_t *cap, const char *name)
{
    size_t i;

    for (i = 0; i < *n; i++)
        if (!strcmp((*list)[i], name))
            return;
    pcsm__grow(list, cap, *n + 1, sizeof(**list));
    (*list)[(*n)++] = pcsm__xstrdup(name);
}

static void note_schemas(const struct pcsm_ddl_op *o, char ***named, size_t *n_named,
                         size_t *cap_named, char ***created, size_t *n_created,
                         size_t *cap_created)
{
    size_t i;

    if (o->schema)
        add_schema_name(named, n_named, cap_named, o->schema);
    if (o->kind == PCSM_OP_CREATE_SCHEMA)
        add_schema_name(created, n_created, cap_created, o->u.create_schema.name);
    for (i = 0; o->kind == PCSM_OP_IF && i < o->u.guard.n_ops; i++)
        note_schemas(&o->u.guard.ops[i], named, n_named, cap_named, created, n_created,
                     cap_created);
}

/*
 * What reset drops: everything in the target schema and in every schema an
 * upgrade of this binary's revisions names, then the schemas they create,
 * so that the upgrades that follow find none of their objects.
 */
static int put_reset(pcsm_ctx *ctx, pcsm_buf *out)
{
    char **named = NULL, **created = NULL;
    size_t n_named = 0, cap_named = 0, n_created = 0, cap_created = 0, i, k;
    int rc = 0;

    for (i = 0; rc == 0 && i < pcsm_graph_count(ctx); i++) {
        pcsm_op *op = NULL;

        rc = pcsm_op__record(ctx, pcsm_graph_at(ctx, i), PCSM_UPGRADE, &op);
        for (k = 0; rc == 0 && k < pcsm_op__count(op); k++)
            note_schemas(pcsm_op__at(op, k), &named, &n_named, &cap_named, &created,
                         &n_created, &cap_created);
        pcsm_op__free(op);
    }
    if (rc == 0)
        pcsm_db__put_drop_all(out, (const char *const *)named, n_named,
                              (const char *const *)created, n_created);
    for (i = 0; i < n_named; i++)
        free(named[i]);
    for (i = 0; i < n_created; i++)
        free(created[i]);
    free(named);
    free(created);
    return rc;
}

/*
 * Under the lock, re-reads the state and runs the next transaction's worth
 * of the plan, until the target is reached.  Every transaction re-reads:
 * the lock is released between them, and another runner may have moved on.
 * The target is resolved once, from the state first read under the lock:
 * re-reads plan toward that same target, wherever the database now is.
 */
static int run_locked(pcsm_ctx *ctx, pcsm_db *db, const pcsm_run_opts *run,
                      pcsm_revset *current, pcsm_plan *applied_out)
{
    pcsm_plan plan = PCSM_PLAN_INIT;
    pcsm_revset target = PCSM_REVSET_INIT;
    bool verified = run->reset, ahead = false, reset_pending = run->reset, resolved = false;
    bool had_version_table = false, had_history_table = false;
    int rc = 0, attempt = 0;

    for (;;) {
        char **ids = NULL;
        size_t n = 0, done = 0, failed_at = 0;

        rc = pcsm_db__begin_locked(ctx, db, true, &ids, &n);
        if (rc == 0 && reset_pending) {
            /* Dropped in the transaction of the first revisions: from base. */
            pcsm_buf drop = PCSM_BUF_INIT;

            had_version_table = db->have_version_table;
            had_history_table = db->have_history_table;
            rc = put_reset(ctx, &drop);
            if (rc == 0)
                rc = pcsm_db__run(ctx, db, drop.ptr, "dropping everything in the schema");
            pcsm_buf_dispose(&drop);
            pcsm_db__free_ids(ids, n);
            ids = NULL;
            n = 0;
            db->have_version_table = db->have_history_table = false;
        }
        if (rc == 0)
            rc = plan_from_ids(ctx, db, run, ids, n, current, &target, &resolved, &plan,
                               &ahead);
        /* Once a run, before it writes: the history agrees, the SQL did not change. */
        if (rc == 0 && plan.n > 0 && !verified)
            rc = pcsm_state__verify_history(ctx, db);
        pcsm_db__free_ids(ids, n);
        if (rc == 0 && ahead && run->direction == PCSM_DOWNGRADE)
            rc = pcsm_error__set(ctx, PCSM_EINCONSISTENT,
                                 "the database is ahead of this binary: downgrade it with the "
                                 "release that migrated it");
        if (rc == 0 && plan.n > 0 && !verified) {
            rc = pcsm_state__verify_checksums(ctx, db, current, NULL);
            verified = true;
        }
        if (rc == 0 && reset_pending &&
            (plan.n == 0 || runs_outside(&plan.steps[0]))) {
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
        rc = run_next(ctx, db, &plan, run->transaction_per_migration, current, &done,
                      &failed_at);
        if (done > 0) {
            /* The drop committed with the first step. */
            reset_pending = false;
            append_steps(applied_out, &plan, 0, done);
            attempt = 0;
        } else if (rc < 0 && reset_pending) {
            /* Rolled back with the drop: the tables are as they were. */
            db->have_version_table = had_version_table;
            db->have_history_table = had_history_table;
        }
        if (rc == LOST_LOCK) {
            pcsm_db__emit(db, PCSM_EVENT_WAIT, plan.steps[done].rev, plan.steps[done].direction,
                          0, "another runner took the migration lock after %s; waiting for "
                          "it, then reading the state again", plan.steps[done - 1].rev->id);
            rc = 0;
            continue;
        }
        if (rc == 0 && done < plan.n)
            continue;   /* the next transaction's worth: lock and state again */
        if (rc == 0)
            break;
        if (is_lock_timeout(ctx) && attempt < db->opts.ddl_lock_retries &&
            !runs_outside(&plan.steps[0]) && !pcsm_db__stopping(db)) {
            long backoff = 200L << (attempt < 5 ? attempt : 5);

            pcsm_buf holder = PCSM_BUF_INIT;

            attempt++;
            pcsm_db__describe_relation_holder(db, db->lock_relations, &holder);
            pcsm_db__emit(db, PCSM_EVENT_WAIT, plan.steps[failed_at].rev,
                          plan.steps[failed_at].direction, 0,
                          "%s; %s; rolled back, retry %d of %d in %ld ms",
                          pcsm_error_last(ctx)->message, holder.ptr, attempt,
                          db->opts.ddl_lock_retries, backoff);
            pcsm_buf_dispose(&holder);
            pcsm_db__sleep(db, backoff);
            continue;
        }
        if (is_lock_timeout(ctx))
            rc = lock_not_obtained(ctx, db, attempt + 1, runs_outside(&plan.steps[0]));
        record_failure(ctx, db, plan.steps[failed_at].rev, plan.steps[failed_at].direction, rc);
        break;
    }
    pcsm_plan_dispose(&plan);
    pcsm_revset_dispose(&target);
    return rc;
}

int pcsm_db_migrate(pcsm_ctx *ctx, pcsm_db *db, const pcsm_run_opts *run,
                    pcsm_plan *applied_out, pcsm_revset *current_out)
{
    pcsm_revset current = PCSM_REVSET_INIT, target = PCSM_REVSET_INIT;
    pcsm_plan plan = PCSM_PLAN_INIT;
    pcsm_buf where = PCSM_BUF_INIT;
    char **ids = NULL;
    size_t n = 0;
    bool ahead = false, resolved = false;
    int rc;

    if (applied_out)
        applied_out->n = 0;
    /* The up-to-date check: one round trip, no lock, no checksums.  A reset
     * always has work: it goes straight to the lock. */
    rc = run->reset ? 0 : pcsm_db__read_versions(ctx, db, &ids, &n);
    if (rc == 0 && !run->reset)
        rc = plan_from_ids(ctx, db, run, ids, n, &current, &target, &resolved, &plan, &ahead);
    /* Read without the lock: run_locked resolves the target again, under it. */
    pcsm_revset_dispose(&target);
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
        pcsm_migrate__copy_set(ctx, current_out, &current);
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
        const pcsm_revision *rev = pcsm_state__find_exact(ctx, ids[i]);

        if (rev)
            pcsm_revset_add(ctx, &current, rev);
    }
    if (rc == 0)
        rc = pcsm_graph_resolve(ctx, target, &current, &to);
    if (rc == 0) {
        pcsm_revset empty = PCSM_REVSET_INIT;

        pcsm_db__put_bootstrap(db, &sql);
        pcsm_buf_puts(&sql, "DELETE FROM ");
        pcsm_sql__ident(&sql, pcsm_script__version_table(&db->opts.script));
        pcsm_buf_puts(&sql, ";\n");
        pcsm_script__version_delta(&db->opts.script, &empty, &to, &sql);
        for (i = 0; i < to.n; i++)
            pcsm_script__history_insert(&db->opts.script, to.revs[i], "stamp", NULL, -1,
                                        db->host, "stamped without running migrations", &sql);
        if (!to.n)
            pcsm_script__history_insert(&db->opts.script, &pcsm_state__base_rev, "stamp", NULL, -1,
                                        db->host, "stamped to base", &sql);
        pcsm_buf_puts(&sql, "COMMIT;\n");
        rc = pcsm_db__run(ctx, db, sql.ptr, "stamping the version table");
    }
    if (rc < 0)
        pcsm_db__rollback(db);
    else
        pcsm_db__tables_made(db);
    pcsm_db__free_ids(ids, n);
    pcsm_revset_dispose(&current);
    pcsm_revset_dispose(&to);
    pcsm_buf_dispose(&sql);
    return rc;
}
