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
#define PCSM_CATALOG_QUERIES 21

/*
 * A schema read besides the target: `name` as the database spells it, `as`
 * as the model names it (pcsm_schema's `schema` fields).  They differ in a
 * scratch build only, where another name stands in for a declared schema.
 */
struct pcsm_catalog_schema {
    const char *name;
    const char *as;             /* NULL: the target's name, for a scratch build's references */
    /*
     * Objects not read, only references to them named `as`: the run's own
     * schema, seen from a scratch build (what raw SQL made there).
     */
    bool refs_only;
};

/*
 * Appends the introspection queries of current_schema(), the target, whose
 * objects the model holds with a NULL `schema`, and of the n_others schemas
 * of `others`, whose objects it holds with their `as` (a system schema,
 * pg_catalog, information_schema, pg_toast* or pg_temp*, is never read).
 * Of those, the ones the database has make pcsm_schema.schemas.  A foreign
 * key's ref_schema, a trigger's function_schema and a column type's schema
 * name a schema outside the ones read by its own name.  The tables named in
 * `skip` (NULL-terminated: the tool's own bookkeeping) are left out of the
 * target schema.
 */
void pcsm_catalog__queries(const char *const *skip, const struct pcsm_catalog_schema *others,
                           size_t n_others, pcsm_buf *out);

/*
 * Whether the catalog never reads `name`: a system schema (pg_catalog,
 * information_schema, pg_toast*, pg_temp*) holds no object of a model.
 */
bool pcsm_catalog__system_schema(const char *name);

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
