/*
 * The schema a database holds, and the schema the revisions declare as that
 * server would hold it: the catalog layer's queries run on the connection.
 * The second builds the declared model in a scratch schema, in a transaction
 * that is always rolled back, and reads it back with the same queries, so
 * both sides reach the diff in the server's own normal form (its deparsed
 * defaults and expressions, the names it chose) and nothing is left behind.
 */
#include <stdio.h>
#include <string.h>

#include "catalog/catalog.h"
#include "live/live.h"
#include "diff/diff.h"

/* Runs sql, then the catalog queries, and reads their results into *out. */
static int read_catalog(pcsm_ctx *ctx, pcsm_db *db, pcsm_buf *sql, const char *const *skip,
                        pcsm_schema **out)
{
    PGresult **res = NULL;
    size_t n = 0;
    int rc;

    pcsm_catalog__queries(skip, sql);
    rc = pcsm_db__exec_all(ctx, db, sql->ptr, "reading the catalog", &res, &n);
    if (rc == 0 && n < PCSM_CATALOG_QUERIES)
        rc = pcsm_error__set(ctx, PCSM_EDB, "reading the catalog: %zu results", n);
    if (rc == 0)
        rc = pcsm_catalog__read(ctx, res + n - PCSM_CATALOG_QUERIES, out);
    pcsm_db__clear_all(res, n);
    return rc;
}

int pcsm_schema_live(pcsm_ctx *ctx, pcsm_db *db, pcsm_schema **out)
{
    const char *skip[] = { pcsm_script__version_table(&db->opts.script),
                           pcsm_script__history_table(&db->opts.script), NULL };
    pcsm_buf sql = PCSM_BUF_INIT;
    int rc;

    *out = NULL;
    pcsm_db__put_idle_settings(db, &sql);
    rc = read_catalog(ctx, db, &sql, skip, out);
    pcsm_buf_dispose(&sql);
    return rc;
}

/*
 * In the open transaction: `declared` built in a scratch schema and read
 * back.  The path is left at the scratch schema: the caller rolls back.
 */
static int build_scratch(pcsm_ctx *ctx, pcsm_db *db, const pcsm_schema *declared,
                         pcsm_schema **out)
{
    pcsm_buf sql = PCSM_BUF_INIT, name = PCSM_BUF_INIT;
    PGresult **res = NULL, *res1 = NULL;
    size_t n = 0;
    int rc;

    /*
     * What the build needs, said in one line rather than under the scratch
     * SQL: the CREATE privilege, a writable transaction.  The name is the
     * server process's, unique among live sessions of the server (a client's
     * PID is not: two containers' entrypoints are both PID 1).
     */
    rc = pcsm_db__exec(ctx, db, "SELECT has_database_privilege(current_database(), 'CREATE'), "
                       "current_database(), current_setting('transaction_read_only'), "
                       "pg_backend_pid()", "checking what the scratch schema needs", &res1);
    if (rc == 0 && PQgetvalue(res1, 0, 0)[0] != 't')
        rc = pcsm_error__set(ctx, PCSM_EDB, "comparing the schemas needs the CREATE privilege on "
                             "database \"%s\": the declared schema is built in a scratch "
                             "schema and rolled back. Grant it to this role, or for check "
                             "skip the comparison with --no-drift", PQgetvalue(res1, 0, 1));
    else if (rc == 0 && !strcmp(PQgetvalue(res1, 0, 2), "on"))
        rc = pcsm_error__set(ctx, PCSM_EDB, "comparing the schemas needs a writable transaction "
                             "(the declared schema is built in a scratch schema and rolled "
                             "back), and this one is read-only (a standby, or "
                             "default_transaction_read_only): compare on the primary, or for "
                             "check skip the comparison with --no-drift");
    if (rc == 0)
        pcsm_buf_printf(&name, "pcsm_scratch_%s", PQgetvalue(res1, 0, 3));
    PQclear(res1);
    if (rc < 0)
        return rc;
    /* Its notices ("extension ... already exists, skipping") are about a
     * build nobody asked for: not the user's to read. */
    pcsm_buf_puts(&sql, "SET LOCAL client_min_messages TO warning;\nCREATE SCHEMA ");
    pcsm_sql__ident(&sql, name.ptr);
    /* First on the path, so the schema's objects land there; the run's
     * schemas after it, so what they hold (types, functions) resolves. */
    pcsm_buf_puts(&sql, ";\nSELECT set_config('search_path', quote_ident(");
    pcsm_sql__literal(&sql, name.ptr);
    pcsm_buf_puts(&sql, ") || ', ' || current_setting('search_path'), true);\n");
    /*
     * Materialized views are made empty: their queries may read large
     * tables of the run's schema (what raw SQL made resolves there), and
     * this runs under the migration lock.  Whether each is populated is
     * the declared model's, copied below.
     */
    rc = pcsm_schema__sql(ctx, declared, true, &sql);
    if (rc == 0)
        rc = pcsm_db__exec_all(ctx, db, sql.ptr, "building the declared schema in a scratch "
                               "schema (rolled back)", &res, &n);
    pcsm_db__clear_all(res, n);
    if (rc == 0) {
        pcsm_buf_clear(&sql);
        rc = read_catalog(ctx, db, &sql, NULL, out);
    }
    /* What raw SQL did is no better known on the server. */
    if (rc == 0) {
        size_t i;

        pcsm_schema__copy_opaque(*out, declared);
        /*
         * Extensions are the database's, not a schema's: the scratch read
         * sees every one the database has, so the declared ones stand in.
         */
        while ((*out)->n_extensions)
            pcsm_schema__drop_extension(*out, &(*out)->extensions[0]);
        for (i = 0; i < declared->n_extensions; i++) {
            struct pcsm_schema_extension *e = pcsm_schema__add_extension(*out);

            e->name = pcsm__xstrdup(declared->extensions[i].name);
            e->cascade = declared->extensions[i].cascade;
        }
        pcsm_schema__sort(*out);
        for (i = 0; i < (*out)->n_views; i++) {
            const struct pcsm_schema_view *v = pcsm_schema__view(declared,
                                                                 (*out)->views[i].name);

            if (v && v->materialized)
                (*out)->views[i].populated = v->populated;
        }
    }
    pcsm_buf_dispose(&sql);
    pcsm_buf_dispose(&name);
    return rc;
}

int pcsm_schema_on_server(pcsm_ctx *ctx, pcsm_db *db, const pcsm_schema *declared,
                          pcsm_schema **out)
{
    pcsm_buf sql = PCSM_BUF_INIT;
    int rc;

    *out = NULL;
    if (PQtransactionStatus(db->conn) != PQTRANS_IDLE)
        return pcsm_error__set(ctx, PCSM_EINVALID, "the scratch schema needs a connection "
                               "outside any transaction");
    pcsm_buf_puts(&sql, "BEGIN;\n");
    pcsm_db__put_settings(db, &sql);
    rc = pcsm_db__run(ctx, db, sql.ptr, "starting a transaction for the scratch schema");
    if (rc == 0)
        rc = build_scratch(ctx, db, declared, out);
    pcsm_db__rollback(db);
    pcsm_buf_dispose(&sql);
    return rc;
}

/*
 * Under the migration lock, in one transaction: a run is either done or not
 * begun, so the version rows, the schema they declare and the schema found
 * are one state, however runs move beside the check.
 */
int pcsm_db_drift(pcsm_ctx *ctx, pcsm_db *db, pcsm_revset *at, pcsm_diff **out)
{
    const char *skip[] = { pcsm_script__version_table(&db->opts.script),
                           pcsm_script__history_table(&db->opts.script), NULL };
    pcsm_schema *declared = NULL, *on_server = NULL, *live = NULL;
    pcsm_buf sql = PCSM_BUF_INIT;
    char **ids = NULL;
    size_t n = 0, i;
    int rc;

    *out = NULL;
    at->n = 0;
    rc = pcsm_db__begin_locked(ctx, db, true, &ids, &n);
    for (i = 0; rc == 0 && i < n; i++) {
        const pcsm_revision *rev = pcsm_state__find_exact(ctx, ids[i]);

        if (!rev)
            rc = pcsm_error__set(ctx, PCSM_EINCONSISTENT, "the database moved to revision %s, "
                                 "unknown to this binary, during the check", ids[i]);
        else
            pcsm_revset_add(ctx, at, rev);
    }
    if (rc == 0)
        rc = pcsm_schema_declared(ctx, at, &declared);
    if (rc == 0)
        rc = build_scratch(ctx, db, declared, &on_server);
    if (rc == 0) {
        /* Back to the run's own schema for what the database holds. */
        pcsm_db__put_search_path(db, true, &sql);
        rc = read_catalog(ctx, db, &sql, skip, &live);
    }
    pcsm_db__rollback(db);
    if (rc == 0)
        rc = pcsm_diff_models(ctx, on_server, live, out);
    pcsm_db__free_ids(ids, n);
    pcsm_buf_dispose(&sql);
    pcsm_schema_free(declared);
    pcsm_schema_free(on_server);
    pcsm_schema_free(live);
    return rc;
}
