/*
 * The schema a database holds, and the schema the revisions declare as that
 * server would hold it: the catalog layer's queries run on the connection.
 * The second builds the declared model in a scratch schema, in a transaction
 * that is always rolled back, and reads it back with the same queries, so
 * both sides reach the diff in the server's own normal form (its deparsed
 * defaults and expressions, the names it chose) and nothing is left behind.
 */
#include <stdio.h>
#include <unistd.h>

#include "catalog/catalog.h"
#include "live/live.h"

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

int pcsm_schema_on_server(pcsm_ctx *ctx, pcsm_db *db, const pcsm_schema *declared,
                          pcsm_schema **out)
{
    pcsm_buf sql = PCSM_BUF_INIT, name = PCSM_BUF_INIT;
    PGresult **res = NULL;
    size_t n = 0;
    int rc;

    *out = NULL;
    if (PQtransactionStatus(db->conn) != PQTRANS_IDLE)
        return pcsm_error__set(ctx, PCSM_EINVALID, "the scratch schema needs a connection "
                               "outside any transaction");
    pcsm_buf_printf(&name, "pcsm_scratch_%ld", (long)getpid());
    pcsm_buf_puts(&sql, "BEGIN;\n");
    pcsm_db__put_settings(db, &sql);
    pcsm_buf_puts(&sql, "CREATE SCHEMA ");
    pcsm_sql__ident(&sql, name.ptr);
    /* First on the path, so the schema's objects land there; the run's
     * schemas after it, so what they hold (types, functions) resolves. */
    pcsm_buf_puts(&sql, ";\nSELECT set_config('search_path', quote_ident(");
    pcsm_sql__literal(&sql, name.ptr);
    pcsm_buf_puts(&sql, ") || ', ' || current_setting('search_path'), true);\n");
    rc = pcsm_schema_sql(ctx, declared, &sql);
    if (rc == 0)
        rc = pcsm_db__exec_all(ctx, db, sql.ptr, "building the declared schema in a scratch "
                               "schema (rolled back)", &res, &n);
    pcsm_db__clear_all(res, n);
    if (rc == 0) {
        pcsm_buf_clear(&sql);
        rc = read_catalog(ctx, db, &sql, NULL, out);
    }
    /* What raw SQL did is no better known on the server. */
    if (rc == 0)
        pcsm_schema__copy_opaque(*out, declared);
    pcsm_db__rollback(db);
    pcsm_buf_dispose(&sql);
    pcsm_buf_dispose(&name);
    return rc;
}
