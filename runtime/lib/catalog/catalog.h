/*
 * The catalog layer: what a live database holds, read from pg_catalog into
 * the same schema model that replay fills.  It writes the queries and reads
 * their results; the live layer runs them on its connection.
 */
#ifndef PCSM_CATALOG_H
#define PCSM_CATALOG_H

#include <libpq-fe.h>

#include "schema/schema.h"

/* How many statements pcsm_catalog__queries() appends, so results it reads. */
#define PCSM_CATALOG_QUERIES 10

/*
 * Appends the introspection queries of current_schema(), leaving out the
 * tables named in `skip` (NULL-terminated: the tool's own bookkeeping).
 */
void pcsm_catalog__queries(const char *const *skip, pcsm_buf *out);

/*
 * A new model from the PCSM_CATALOG_QUERIES results of those queries, in
 * order.  Fails (PCSM_EDB) only on results of an unexpected shape.
 */
int pcsm_catalog__read(pcsm_ctx *ctx, PGresult *const *results, pcsm_schema **out);

/*
 * The condition of a trigger as pg_get_triggerdef() writes it: the text
 * inside "WHEN (...)", or NULL for a definition with none.
 */
char *pcsm_catalog__trigger_when(const char *triggerdef);
/*
 * A function's body as the model keeps it, from pg_proc.prosrc: less the
 * newline the renderer puts after "$$" and the one it adds before the
 * closing "$$" (so printing the model back gives the same prosrc).
 */
char *pcsm_catalog__function_body(const char *prosrc);

#endif /* PCSM_CATALOG_H */
