/*
 * The schema model: what the revisions declare, replayed from their
 * recorded operations with no database.  Raw SQL (pcsm_execute) is not
 * guessed at: the model lists it as operations it cannot vouch for.
 */
#ifndef PCSM_SCHEMA_H
#define PCSM_SCHEMA_H

#include <stdbool.h>

#include "buf.h"
#include "db.h"
#include "graph.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef struct pcsm_schema pcsm_schema;

/*
 * The schema declared at `at` (an empty set: base): every revision that is
 * `at` or an ancestor of it, replayed in registry order into a new model.
 * @return 0 and *out (free with pcsm_schema_free), PCSM_EMIGRATION when a
 *         revision records an invalid call or an operation the server would
 *         refuse at that point (the message names revision, operation and
 *         reason), or PCSM_EINVALID for an invalid registry
 */
PCSM_API int pcsm_schema_declared(pcsm_ctx *ctx, const pcsm_revset *at, pcsm_schema **out);
PCSM_API void pcsm_schema_free(pcsm_schema *schema);

/*
 * Appends the SQL that creates the schema from nothing: extensions, enum
 * types, functions, sequences, tables (then the sequences' owners),
 * views and materialized views (in creation order, each after the views
 * it reads), indexes, foreign keys, then triggers, each in name order but
 * the views, rendered as
 * migrations are; then one comment line per
 * raw-SQL operation the model does not know.  When an SQL-language
 * function is among them the text starts with SET check_function_bodies =
 * false, as pg_dump's does: its body may read tables created after it.
 */
PCSM_API int pcsm_schema_sql(pcsm_ctx *ctx, const pcsm_schema *schema, pcsm_buf *out);
/*
 * Appends the model as JSON lines, one object each, in the order above:
 * {"object":"extension"|"type"|"function"|"sequence"|"table"|"view"|
 * "materialized_view"|"index", "name":...}
 * with every attribute (a table with its columns, constraints and
 * triggers), then one {"object":"unverified"} per raw-SQL operation.
 * Types, defaults and keywords are spelled as the SQL spells them.
 */
PCSM_API void pcsm_schema_json(const pcsm_schema *schema, pcsm_buf *out);

/*
 * The schema db holds in its schema (the run's --schema, else the first of
 * its search path), the tool's version and history tables left out.
 * @return 0 and *out, or a connection's error (PCSM_EDB, PCSM_EUNREACHABLE...)
 */
PCSM_API int pcsm_schema_live(pcsm_ctx *ctx, pcsm_db *db, pcsm_schema **out);
/*
 * As pcsm_schema_live(), and the schemas named in `also` (NULL-terminated,
 * or NULL) besides: their objects come back with their schema's name, and
 * those of them the database has as the model's schemas (what
 * pcsm_create_schema() makes).  A system schema (pg_catalog,
 * information_schema, pg_toast*, pg_temp*) is never read.  The commands
 * that compare a database with revisions pass pcsm_schema_names_used() of
 * the declared model; pcsm_schema_on_server() and pcsm_db_drift() read
 * those of the model they compare on their own.
 */
PCSM_API int pcsm_schema_live_in(pcsm_ctx *ctx, pcsm_db *db, const char *const *also,
                                 pcsm_schema **out);
/*
 * The schemas besides the target that `schema` names: those it made, holds
 * objects in, or refers to (a foreign key's table, a trigger's function, a
 * column's type), system schemas aside.  NULL-terminated, sorted, each once;
 * free with pcsm_schema_names_free().
 */
PCSM_API char **pcsm_schema_names_used(const pcsm_schema *schema);
PCSM_API void pcsm_schema_names_free(char **names);

/*
 * `declared` as db's server holds it: built in a scratch schema inside a
 * transaction that is rolled back, then read as pcsm_schema_live_in() reads
 * with the schemas `declared` names (pcsm_schema_names_used()); the objects
 * of the schemas besides the target that it holds are built in scratch
 * stand-ins of those and read back under the declared names.
 * Compared with pcsm_schema_live(), both sides are in the server's normal
 * form: its deparsed defaults and expressions, the names it chose.  Needs
 * the CREATE privilege on the database and an idle connection.
 */
PCSM_API int pcsm_schema_on_server(pcsm_ctx *ctx, pcsm_db *db, const pcsm_schema *declared,
                                   pcsm_schema **out);

/*
 * Deep equality: the same objects with the same attributes, in the same
 * order.  The raw-SQL operations either lists are not objects, and the
 * objects a catalog found that no model holds (a rule, a composite type) are only
 * named: neither is compared.
 */
PCSM_API bool pcsm_schema_equal(const pcsm_schema *a, const pcsm_schema *b);
/* How many raw-SQL operations the model could not follow. */
PCSM_API size_t pcsm_schema_opaque_count(const pcsm_schema *schema);

#ifdef __cplusplus
}
#endif

#endif /* PCSM_SCHEMA_H */
