/*
 * Target lists read from a control database: the rows of the operator's
 * query (a tenants table), or the schemas of one database (a schema per
 * tenant).  Connection strings read here are secrets like any other.
 */
#include <string.h>

#include "fleet/fleet.h"
#include "live/live.h"

int pcsm_fleet_query(pcsm_ctx *ctx, pcsm_db *db, const char *sql, pcsm_fleet_targets *out)
{
    PGresult *res = NULL;
    int rc, row, rows, columns;

    rc = pcsm_db__exec(ctx, db, sql, "--targets-query", &res);
    if (rc < 0)
        return rc;
    columns = PQnfields(res);
    if (PQresultStatus(res) != PGRES_TUPLES_OK || columns < 1 || columns > 2) {
        bool tuples = PQresultStatus(res) == PGRES_TUPLES_OK;

        PQclear(res);
        if (!tuples)
            return pcsm_error__set(ctx, PCSM_EINVALID, "--targets-query returned no rows (a "
                                   "command, not a query): it should return a URL or "
                                   "connection string per row, and optionally a schema");
        return pcsm_error__set(ctx, PCSM_EINVALID, "--targets-query returned %d column%s: it "
                               "should return a URL or connection string per row, and "
                               "optionally a schema", columns, columns == 1 ? "" : "s");
    }
    rows = PQntuples(res);
    for (row = 0; rc == 0 && row < rows; row++) {
        const char *schema = PQnfields(res) > 1 && !PQgetisnull(res, row, 1)
                             ? PQgetvalue(res, row, 1) : NULL;

        if (PQgetisnull(res, row, 0) || !*PQgetvalue(res, row, 0))
            rc = pcsm_error__set(ctx, PCSM_EINVALID, "--targets-query: target %d has no "
                                 "connection string (NULL or empty)", row + 1);
        else if (schema && !*schema)
            rc = pcsm_error__set(ctx, PCSM_EINVALID, "--targets-query: target %d has an "
                                 "empty schema (NULL for none)", row + 1);
        else
            rc = pcsm_fleet_add(ctx, out, PQgetvalue(res, row, 0), schema, "--targets-query",
                                0);
    }
    /* Its connection strings may hold passwords: not left in freed memory. */
    for (row = 0; row < rows; row++)
        explicit_bzero(PQgetvalue(res, row, 0), (size_t)PQgetlength(res, row, 0));
    PQclear(res);
    return rc;
}

int pcsm_fleet_schemas(pcsm_ctx *ctx, pcsm_db *db, const char *pattern, const char *conninfo,
                       pcsm_fleet_targets *out)
{
    pcsm_buf sql = PCSM_BUF_INIT;
    PGresult *res = NULL;
    int rc, row;

    pcsm_buf_puts(&sql, "SELECT nspname FROM pg_catalog.pg_namespace WHERE nspname LIKE ");
    pcsm_sql__literal(&sql, pattern);
    pcsm_buf_puts(&sql, " AND nspname NOT IN ('pg_catalog', 'information_schema')"
                        " AND nspname NOT LIKE 'pg\\_toast%' AND nspname NOT LIKE 'pg\\_temp\\_%'"
                        " ORDER BY nspname COLLATE \"C\"");
    rc = pcsm_db__exec(ctx, db, sql.ptr, "--schemas-like", &res);
    for (row = 0; rc == 0 && row < PQntuples(res); row++)
        rc = pcsm_fleet_add(ctx, out, conninfo ? conninfo : "", PQgetvalue(res, row, 0),
                            "--schemas-like", 0);
    PQclear(res);
    pcsm_buf_dispose(&sql);
    return rc;
}
