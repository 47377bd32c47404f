/*
 * Revisions to SQL text: one revision's statements, its checksum, the
 * version/history table statements, and the standalone offline script that
 * strings them together with transaction control.  The live runner uses the
 * same pieces, so a script and an online run send the same statements.
 */
#include <stdlib.h>
#include <string.h>

#include "render/render.h"

int pcsm_revision_sql(pcsm_ctx *ctx, const pcsm_revision *rev,
                      enum pcsm_direction direction, pcsm_buf *out)
{
    pcsm_op *op;
    size_t i;
    int rc = pcsm_op__record(ctx, rev, direction, &op);

    if (rc < 0)
        return rc;
    for (i = 0; i < pcsm_op__count(op); i++)
        pcsm_render__op(pcsm_op__at(op, i), out);
    pcsm_op__free(op);
    return 0;
}

int pcsm_revision_sql_sha256(pcsm_ctx *ctx, const pcsm_revision *rev, char out[65])
{
    pcsm_buf sql = PCSM_BUF_INIT;
    int rc = pcsm_revision_sql(ctx, rev, PCSM_UPGRADE, &sql);

    if (rc == 0)
        pcsm_sha256__hex(sql.ptr, sql.len, out);
    pcsm_buf_dispose(&sql);
    return rc;
}

const char *pcsm_script__version_table(const pcsm_script_opts *opts)
{
    return opts && opts->version_table ? opts->version_table : PCSM_DEFAULT_VERSION_TABLE;
}

const char *pcsm_script__history_table(const pcsm_script_opts *opts)
{
    return opts && opts->history_table ? opts->history_table : PCSM_DEFAULT_HISTORY_TABLE;
}

#define version_table pcsm_script__version_table
#define history_table pcsm_script__history_table

int pcsm_script__check_opts(pcsm_ctx *ctx, const pcsm_script_opts *opts)
{
    const char *names[3] = { version_table(opts), history_table(opts),
                             opts ? opts->schema : NULL };
    static const char *const what[3] = { "version table", "history table", "schema" };
    int i;

    for (i = 0; i < 3; i++) {
        if (!names[i])
            continue;
        if (!*names[i] || strlen(names[i]) > 63 || !pcsm_sql__valid_utf8(names[i]))
            return pcsm_error__set(ctx, PCSM_EINVALID,
                                   "invalid %s name \"%s\": 1 to 63 bytes of UTF-8 expected",
                                   what[i], pcsm_sql__valid_utf8(names[i]) ? names[i] : "?");
    }
    if (!strcmp(names[0], names[1]))
        return pcsm_error__set(ctx, PCSM_EINVALID,
                               "the version and history tables must differ (both \"%s\")",
                               names[0]);
    return 0;
}

/*
 * The version table exactly as Alembic creates it, so that a database
 * Alembic migrated is read as is; the history table is ours (SPEC §6).
 */
void pcsm_script__create_version_table(const pcsm_script_opts *opts, pcsm_buf *out)
{
    const char *vt = version_table(opts);
    pcsm_buf pkc = PCSM_BUF_INIT;
    size_t len = strlen(vt);

    /*
     * "<table>_pkc" within PostgreSQL's 63 bytes: the table name is cut to
     * 59, at a character boundary as the server cuts names (pg_mbcliplen),
     * or a multibyte character split in two makes the name invalid UTF-8.
     * The name is valid UTF-8 (pcsm_script__check_opts).
     */
    pcsm_buf_put(&pkc, vt, pcsm_utf8__clip(vt, len, 59));
    pcsm_buf_puts(&pkc, "_pkc");
    pcsm_buf_puts(out, "CREATE TABLE IF NOT EXISTS ");
    pcsm_sql__ident(out, vt);
    pcsm_buf_puts(out, " (\n    \"version_num\" varchar(32) NOT NULL,\n    CONSTRAINT ");
    pcsm_sql__ident(out, pkc.ptr);
    pcsm_buf_puts(out, " PRIMARY KEY (\"version_num\")\n);\n");
    pcsm_buf_dispose(&pkc);
}

/* event: upgrade, downgrade, stamp, failed, interrupted, accept. */
void pcsm_script__create_history_table(const pcsm_script_opts *opts, pcsm_buf *out)
{
    pcsm_buf_puts(out, "CREATE TABLE IF NOT EXISTS ");
    pcsm_sql__ident(out, history_table(opts));
    pcsm_buf_puts(out,
        " (\n"
        "    \"id\" bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,\n"
        "    \"revision\" varchar(32) NOT NULL,\n"
        "    \"parents\" varchar(32)[] NOT NULL,\n"
        "    \"event\" varchar(16) NOT NULL,\n"
        "    \"source_sha256\" char(64),\n"
        "    \"sql_sha256\" char(64),\n"
        "    \"applied_at\" timestamptz NOT NULL DEFAULT clock_timestamp(),\n"
        "    \"duration_ms\" double precision,\n"
        "    \"tool_version\" text NOT NULL,\n"
        "    \"host\" text,\n"
        "    \"detail\" text\n"
        ");\n");
}

void pcsm_script__bootstrap(const pcsm_script_opts *opts, pcsm_buf *out)
{
    pcsm_script__create_version_table(opts, out);
    pcsm_script__create_history_table(opts, out);
}

static void put_version_where(pcsm_buf *out, const pcsm_revision *rev)
{
    pcsm_buf_puts(out, " WHERE \"version_num\" = ");
    pcsm_sql__literal(out, rev->id);
    pcsm_buf_puts(out, ";\n");
}

/*
 * Moves the version table from `before` to `after`: an UPDATE where one row
 * replaces another (Alembic does the same), DELETE and INSERT for the rest.
 * Returns the number of statements.
 */
size_t pcsm_script__version_delta(const pcsm_script_opts *opts, const pcsm_revset *before,
                                  const pcsm_revset *after, pcsm_buf *out)
{
    const char *vt = version_table(opts);
    const pcsm_revision **gone = pcsm__xcalloc(before->n + 1, sizeof(*gone));
    const pcsm_revision **came = pcsm__xcalloc(after->n + 1, sizeof(*came));
    size_t n_gone = 0, n_came = 0, i;

    for (i = 0; i < before->n; i++)
        if (!pcsm_revset_contains(after, before->revs[i]))
            gone[n_gone++] = before->revs[i];
    for (i = 0; i < after->n; i++)
        if (!pcsm_revset_contains(before, after->revs[i]))
            came[n_came++] = after->revs[i];
    for (i = 0; i < n_gone || i < n_came; i++) {
        if (i < n_gone && i < n_came) {
            pcsm_buf_puts(out, "UPDATE ");
            pcsm_sql__ident(out, vt);
            pcsm_buf_puts(out, " SET \"version_num\" = ");
            pcsm_sql__literal(out, came[i]->id);
            put_version_where(out, gone[i]);
        } else if (i < n_gone) {
            pcsm_buf_puts(out, "DELETE FROM ");
            pcsm_sql__ident(out, vt);
            put_version_where(out, gone[i]);
        } else {
            pcsm_buf_puts(out, "INSERT INTO ");
            pcsm_sql__ident(out, vt);
            pcsm_buf_puts(out, " (\"version_num\") VALUES (");
            pcsm_sql__literal(out, came[i]->id);
            pcsm_buf_puts(out, ");\n");
        }
    }
    free(gone);
    free(came);
    return n_gone > n_came ? n_gone : n_came;
}

/*
 * Microseconds since the epoch as an integer, milliseconds as numeric: no
 * DateStyle or extra_float_digits (which a pooled connection may carry
 * from another client) to round-trip through.
 */
#define NOW_US "(pg_catalog.date_part('epoch', pg_catalog.clock_timestamp()) * 1000000)::bigint"
#define ELAPSED_MS \
    "((" NOW_US " - pg_catalog.current_setting('pcs_migrate.step_start')::bigint) / 1000.0)"

void pcsm_script__start_mark_expr(pcsm_buf *out)
{
    pcsm_buf_puts(out, "pg_catalog.set_config('pcs_migrate.step_start', " NOW_US "::text, true)");
}

void pcsm_script__start_mark(pcsm_buf *out)
{
    pcsm_buf_puts(out, "SELECT ");
    pcsm_script__start_mark_expr(out);
    pcsm_buf_puts(out, ";\n");
}

void pcsm_script__end_mark(pcsm_buf *out)
{
    pcsm_buf_puts(out, "SELECT " ELAPSED_MS ";\n");
}

void pcsm_script__history_head(const pcsm_script_opts *opts, pcsm_buf *out)
{
    pcsm_buf_puts(out, "INSERT INTO ");
    pcsm_sql__ident(out, history_table(opts));
    pcsm_buf_puts(out, " (\"revision\", \"parents\", \"event\", \"source_sha256\", "
                  "\"sql_sha256\", \"duration_ms\", \"tool_version\", \"host\", \"detail\") "
                  "VALUES ");
}

static void put_literal_or_null(pcsm_buf *out, const char *s)
{
    if (s)
        pcsm_sql__literal(out, s);
    else
        pcsm_buf_puts(out, "NULL");
}

void pcsm_script__history_values(const pcsm_script_opts *opts, const pcsm_revision *rev,
                                 const char *event, const char *sql_sha256,
                                 double duration_ms, const char *host, const char *detail,
                                 pcsm_buf *out)
{
    size_t i;

    pcsm_buf_putc(out, '(');
    pcsm_sql__literal(out, rev->id);
    pcsm_buf_puts(out, ", ARRAY[");
    for (i = 0; i < rev->n_parents; i++) {
        if (i)
            pcsm_buf_puts(out, ", ");
        pcsm_sql__literal(out, rev->parents[i]);
    }
    pcsm_buf_puts(out, "]::varchar(32)[], ");
    pcsm_sql__literal(out, event);
    pcsm_buf_puts(out, ", ");
    put_literal_or_null(out, rev->source_sha256);
    pcsm_buf_puts(out, ", ");
    put_literal_or_null(out, sql_sha256);
    if (duration_ms == PCSM_SCRIPT_DURATION_MEASURED)
        pcsm_buf_puts(out, ", pg_catalog.round(" ELAPSED_MS ", 3), ");
    else if (duration_ms >= 0)
        pcsm_buf_printf(out, ", %.3f, ", duration_ms);
    else
        pcsm_buf_puts(out, ", NULL, ");
    pcsm_sql__literal(out, opts && opts->tool_version ? opts->tool_version : PCSM_VERSION);
    pcsm_buf_puts(out, ", ");
    put_literal_or_null(out, host);
    pcsm_buf_puts(out, ", ");
    put_literal_or_null(out, detail);
    pcsm_buf_putc(out, ')');
}

void pcsm_script__history_insert(const pcsm_script_opts *opts, const pcsm_revision *rev,
                                 const char *event, const char *sql_sha256,
                                 double duration_ms, const char *host, const char *detail,
                                 pcsm_buf *out)
{
    pcsm_script__history_head(opts, out);
    pcsm_script__history_values(opts, rev, event, sql_sha256, duration_ms, host, detail, out);
    pcsm_buf_puts(out, ";\n");
}

static void put_revset_ids(pcsm_buf *out, const pcsm_revset *set)
{
    size_t i;

    if (!set->n)
        pcsm_buf_puts(out, "base");
    for (i = 0; i < set->n; i++)
        pcsm_buf_printf(out, "%s%s", i ? ", " : "", set->revs[i]->id);
}

/* "-- Running upgrade a -> b, description": Alembic's offline comment. */
static void put_step_comment(pcsm_buf *out, const pcsm_step *step,
                             const pcsm_revset *before, const pcsm_revset *after)
{
    const char *nl;

    pcsm_buf_printf(out, "\n-- Running %s ",
                    step->direction == PCSM_UPGRADE ? "upgrade" : "downgrade");
    put_revset_ids(out, before);
    pcsm_buf_puts(out, " -> ");
    put_revset_ids(out, after);
    nl = strchr(step->rev->description, '\n');
    pcsm_buf_puts(out, ", ");
    pcsm_buf_put(out, step->rev->description,
                 nl ? (size_t)(nl - step->rev->description) : strlen(step->rev->description));
    pcsm_buf_puts(out, step->rev->flags & PCSM_REV_NONTRANSACTIONAL
                  ? " (outside a transaction)\n" : "\n");
}

static void copy_revset(pcsm_ctx *ctx, pcsm_revset *dst, const pcsm_revset *src)
{
    size_t i;

    dst->n = 0;
    for (i = 0; src && i < src->n; i++)
        pcsm_revset_add(ctx, dst, src->revs[i]);
}

/* Calls f on each distinct setting that a pcsm_set_local() of op names, guarded ones too. */
static void each_setting(const pcsm_op *op, void (*f)(const char *name, size_t k, void *arg),
                         void *arg)
{
    const char **seen = NULL;
    size_t n = 0, cap = 0, i, j, m;

    for (i = 0; i < pcsm_op__count(op); i++) {
        const struct pcsm_ddl_op *o = pcsm_op__at(op, i);
        const struct pcsm_ddl_op *list = o->kind == PCSM_OP_IF ? o->u.guard.ops : o;
        size_t count = o->kind == PCSM_OP_IF ? o->u.guard.n_ops : 1;

        for (j = 0; j < count; j++) {
            const char *name;

            if (list[j].kind != PCSM_OP_SET_LOCAL)
                continue;
            name = list[j].u.set_local.name;
            for (m = 0; m < n && strcmp(seen[m], name) != 0; m++)
                ;
            if (m < n)
                continue;
            pcsm__grow(&seen, &cap, n + 1, sizeof(*seen));
            seen[n++] = name;
            f(name, n, arg);
        }
    }
    free(seen);
}

/*
 * A value saved for the transaction, or for the session when the revision
 * has an autocommit block: the block's COMMIT would forget a transaction's
 * copy before the restore after the block reads it.  The setting itself
 * needs no such care, since a SET LOCAL before the block ends with it.
 */
struct save_arg {
    pcsm_buf *out;
    bool session;
};

static void put_save(const char *name, size_t k, void *arg)
{
    struct save_arg *a = arg;

    pcsm_buf_printf(a->out, "%spg_catalog.set_config('pcsm_saved.s%zu', "
                    "pg_catalog.current_setting(", k == 1 ? "SELECT " : ", ", k);
    pcsm_sql__literal(a->out, name);
    pcsm_buf_printf(a->out, ", true), %s)", a->session ? "false" : "true");
}

static void put_restore(const char *name, size_t k, void *arg)
{
    pcsm_buf *out = arg;

    pcsm_buf_puts(out, k == 1 ? "SELECT pg_catalog.set_config(" : ", pg_catalog.set_config(");
    pcsm_sql__literal(out, name);
    pcsm_buf_printf(out, ", pg_catalog.current_setting('pcsm_saved.s%zu'), true)", k);
}

size_t pcsm_script__settings_save(const pcsm_op *op, pcsm_buf *out)
{
    size_t at = out->len;
    struct save_arg a = { out, pcsm_op__has_autocommit(op) };

    each_setting(op, put_save, &a);
    if (out->len == at)
        return 0;
    pcsm_buf_puts(out, ";\n");
    return 1;
}

size_t pcsm_script__settings_restore(const pcsm_op *op, pcsm_buf *out)
{
    size_t at = out->len;

    each_setting(op, put_restore, out);
    if (out->len == at)
        return 0;
    pcsm_buf_puts(out, ";\n");
    return 1;
}

/*
 * A nontransactional revision's pcsm_set_local()s are session SETs: reset
 * after it, so that the revisions after it in the script do not see them.
 */
static void put_resets(pcsm_ctx *ctx, const pcsm_step *step, pcsm_buf *out)
{
    pcsm_op *op;
    size_t i;

    if (pcsm_op__record(ctx, step->rev, step->direction, &op) < 0)
        return;     /* it recorded just before */
    for (i = 0; i < pcsm_op__count(op); i++)
        if (pcsm_op__at(op, i)->kind == PCSM_OP_SET_LOCAL)
            pcsm_buf_printf(out, "RESET %s;\n", pcsm_op__at(op, i)->u.set_local.name);
    pcsm_op__free(op);
}

/*
 * In a transaction, a revision's SET LOCALs would last into the revisions
 * after it in the same transaction: their values before it are saved first
 * and put back after it.
 */
static void put_settings_around(pcsm_ctx *ctx, const pcsm_step *step, pcsm_buf *out,
                                bool after)
{
    pcsm_op *op;

    if (pcsm_op__record(ctx, step->rev, step->direction, &op) < 0)
        return;     /* pcsm_revision_sql() reports it */
    if (after)
        pcsm_script__settings_restore(op, out);
    else
        pcsm_script__settings_save(op, out);
    pcsm_op__free(op);
}

int pcsm_script_render(pcsm_ctx *ctx, const pcsm_plan *plan, const pcsm_revset *from,
                       const pcsm_script_opts *opts, pcsm_buf *out)
{
    pcsm_buf body = PCSM_BUF_INIT;
    pcsm_revset heads = PCSM_REVSET_INIT, before = PCSM_REVSET_INIT;
    bool in_txn = false, bootstrapped = false;
    size_t i;
    int rc = pcsm_script__check_opts(ctx, opts);

    if (rc < 0)
        goto done;
    copy_revset(ctx, &heads, from);

    pcsm_buf_printf(&body, "-- Generated by pcs-migrate %s: %s from ",
                    opts && opts->tool_version ? opts->tool_version : PCSM_VERSION,
                    plan->n && plan->steps[0].direction == PCSM_DOWNGRADE
                    ? "downgrade" : "upgrade");
    put_revset_ids(&body, &heads);
    pcsm_buf_printf(&body, " (%zu revision%s).\n", plan->n, plan->n == 1 ? "" : "s");
    pcsm_buf_puts(&body, "-- Run it with: psql -v ON_ERROR_STOP=1 -f FILE\n\n"
                  "SET client_encoding = 'UTF8';\n");
    if (opts && opts->schema) {
        pcsm_buf_puts(&body, "SET search_path TO ");
        pcsm_sql__ident(&body, opts->schema);
        pcsm_buf_puts(&body, ";\n");
    }

    for (i = 0; i <= plan->n; i++) {
        const pcsm_step *step = i < plan->n ? &plan->steps[i] : NULL;
        bool outside = step && (step->rev->flags & PCSM_REV_NONTRANSACTIONAL);
        char sha[65];

        /* Transaction edges: a nontransactional revision runs between two. */
        if (in_txn && (outside || !step)) {
            pcsm_buf_puts(&body, "\nCOMMIT;\n");
            in_txn = false;
        }
        if (!in_txn && step && !outside) {
            pcsm_buf_puts(&body, "\nBEGIN;\n");
            in_txn = true;
        }
        if (!bootstrapped) {
            if (!in_txn)
                pcsm_buf_putc(&body, '\n');
            pcsm_script__bootstrap(opts, &body);
            bootstrapped = true;
        }
        if (!step)
            break;

        copy_revset(ctx, &before, &heads);
        pcsm_graph_step_heads(ctx, &heads, step);
        put_step_comment(&body, step, &before, &heads);
        if (!outside)
            put_settings_around(ctx, step, &body, false);
        rc = pcsm_revision_sql(ctx, step->rev, step->direction, &body);
        if (rc < 0)
            goto done;
        if (outside)
            put_resets(ctx, step, &body);
        else
            put_settings_around(ctx, step, &body, true);
        pcsm_script__version_delta(opts, &before, &heads, &body);
        if (step->direction == PCSM_UPGRADE) {
            rc = pcsm_revision_sql_sha256(ctx, step->rev, sha);
            if (rc < 0)
                goto done;
        }
        pcsm_script__history_insert(opts, step->rev,
                                    step->direction == PCSM_UPGRADE ? "upgrade" : "downgrade",
                                    step->direction == PCSM_UPGRADE ? sha : NULL, -1, NULL,
                                    "offline script (--sql)", &body);
    }
    pcsm_buf_put(out, body.ptr, body.len);

done:
    pcsm_buf_dispose(&body);
    pcsm_revset_dispose(&heads);
    pcsm_revset_dispose(&before);
    return rc;
}
