/*
 * The difference between two schema models, attribute by attribute: what
 * `pcs-migrate diff` prints, and what a check of a database against its
 * revisions will read.  It compares models only; where they come from (the
 * revisions, later a server's catalog) is the caller's business.
 *
 * The first model is the "from" side, the second the "to" side: an object
 * of `from` only is MISSING, one of `to` only is EXTRA (read "declared" and
 * "found" when `to` is a database), and one in both whose attribute differs
 * is CHANGED, one entry per attribute.
 */
#ifndef PCSM_DIFF_H
#define PCSM_DIFF_H

#include <stdbool.h>
#include <stddef.h>

#include "buf.h"
#include "db.h"
#include "error.h"
#include "json.h"
#include "schema.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef struct pcsm_diff pcsm_diff;

/* What an entry is about. */
enum pcsm_diff_object {
    PCSM_DIFF_TABLE = 1,
    PCSM_DIFF_COLUMN,
    PCSM_DIFF_CONSTRAINT,
    PCSM_DIFF_INDEX,
    PCSM_DIFF_TRIGGER,
    PCSM_DIFF_FUNCTION,
    PCSM_DIFF_TYPE,             /* an enum type */
    PCSM_DIFF_EXTENSION,
    PCSM_DIFF_SEQUENCE,         /* a sequence of its own (an identity's is its column's) */
    PCSM_DIFF_VIEW,             /* a view or a materialized view */
    PCSM_DIFF_SCHEMA,           /* a schema besides the target (pcsm_create_schema()) */
    PCSM_DIFF_POLICY,           /* a row-level security policy */
    PCSM_DIFF_COLLATION,        /* a collation of the schema's own */
    PCSM_DIFF_DOMAIN,
    PCSM_DIFF_DOMAIN_CONSTRAINT, /* a domain's CHECK: "domain.constraint" */
    PCSM_DIFF_COMPOSITE_TYPE,
    /*
     * Default privileges that both sides set: "tables", "functions in the
     * target schema", "sequences in billing", "reader: types" (FOR ROLE
     * reader); CHANGED only, attribute "privileges".  One side's alone are
     * listed as not verified (pcsm_diff_unmodelled_at()).
     */
    PCSM_DIFF_DEFAULT_PRIVILEGES,
    PCSM_DIFF_RANGE_TYPE,
};

enum pcsm_diff_change {
    PCSM_DIFF_MISSING = 1,      /* in `from` only */
    PCSM_DIFF_EXTRA,            /* in `to` only */
    PCSM_DIFF_CHANGED,          /* in both; `attribute` differs */
};

/*
 * One difference.  `path` names the object: "table", "table.column",
 * "table.constraint", "index", "table.trigger", "table.policy",
 * "function(argument types)"
 * (the types as pcsm_schema's signature spells them: "f(integer,text)"),
 * "type", "extension", "sequence", "view" or "schema".  An object outside
 * the target schema is named after its schema: "billing.invoices",
 * "billing.invoices.total", "billing.f(integer)" (a table of the target
 * and one of the same name in billing are two objects).  A constraint whose name the server chose
 * and a model does not know is named by its definition in brackets,
 * "table.[CHECK (a > 0)]", unless the other side knows its name.
 *
 * A MISSING or EXTRA object is one entry with `attribute`, `from` and `to`
 * NULL, whatever it holds: a table's columns, constraints and indexes go
 * with it.  A CHANGED entry names its attribute and gives both values as
 * text, NULL where that side has none (no default, no comment):
 *   column      type, not_null, default, comment, collation, generated,
 *               identity (ALWAYS, BY DEFAULT), identity_options (as a
 *               sequence's options below, "type=integer increment=1 ...")
 *   table       comment, row_security, force_row_security, partition_by
 *               ("RANGE (\"at\")"), partition_of ("parent FOR VALUES ...")
 *   constraint  columns, references, on_delete, on_update, check,
 *               deferrable, not_valid (references "schema.table(...)"
 *               outside the target schema), comment
 *   index       table, columns, expression, unique, valid (false: made ON ONLY a
 *               partitioned table, a partition still without), method, where, comment
 *   trigger     timing, events, for_each_row, function ("schema.f" outside
 *               the target schema), when, comment
 *   policy      command (ALL, SELECT, ...), restrictive, roles ("public" or
 *               "a, b" in name order), using, with_check, comment
 *   function    arguments (as written), returns, language, body, volatility,
 *               strict, security_definer, comment
 *   type        labels (in order), comment
 *   extension   (none: it is there or not)
 *   schema      (none: it is there or not)
 *   sequence    type, increment, minvalue, maxvalue, start, cache, cycle,
 *               owned_by ("table.column"), comment
 *   view        materialized, columns, query (as SQL text, whitespace aside),
 *               populated (materialized only), comment
 *   collation   provider (libc, icu), lc_collate (an ICU collation's locale),
 *               lc_ctype (libc), deterministic
 *   domain      type, collation, default, not_null, comment
 *   domain constraint  check, not_valid
 *   composite type  attributes ("a integer, b text COLLATE "C"", in order), comment
 *   range type  subtype, subtype_opclass, collation, subtype_diff ("f", "schema.f"),
 *               multirange (its type's name), comment
 * Types are written as the renderer writes them (varchar(255)), defaults as
 * SQL (now(), 'text'; "0 (written for integer)" when the column's type
 * changed after it was set, as the server then keeps it cast to the old
 * type; which type counts only where the columns' types agree), booleans
 * as true/false, name lists as "a, b", references as "table(column, ...)".
 */
typedef struct pcsm_diff_entry {
    enum pcsm_diff_object object;
    enum pcsm_diff_change change;
    const char *path;
    const char *attribute;      /* CHANGED only, else NULL */
    const char *from;           /* CHANGED only; NULL: none on that side */
    const char *to;
    /*
     * A raw-SQL operation of one side only (see below) names this object
     * (a table or an index by its name; a column or a constraint by its
     * table's name and its own, in one operation), and is on the side that
     * lacks the object (CHANGED: either side): it may be what made the
     * difference, so the entry is listed but not counted as one.
     */
    bool unverified;
} pcsm_diff_entry;

/*
 * A raw-SQL operation (pcsm_execute) of one side only, which neither model
 * can see into: what it did is not verified, so it is listed apart, never
 * as a difference.  One that both sides hold (the same revision's same
 * operation) did the same on both: not listed, and it marks no entry.
 */
typedef struct pcsm_diff_raw_sql {
    enum pcsm_diff_change side; /* MISSING: of `from` only; EXTRA: of `to` only */
    const char *revision;
    size_t operation;           /* 1-based, as `pcs-migrate schema` counts */
    const char *summary;        /* the statement's first line, shortened */
} pcsm_diff_raw_sql;

/*
 * An object a database holds that no model has a place for (a range type, a
 * rule, a procedure's privileges, a comment on an index, default privileges
 * one side alone sets; a catalog
 * lists them, replay never does): named, its definition not compared, so
 * that what cannot be checked is said, never passed over in silence.  Its
 * name carries what a reader would call a different object (a table's
 * storage options, a partition's bounds, the privileges granted), so such
 * a change is listed as one on each side.
 */
typedef struct pcsm_diff_unmodelled {
    enum pcsm_diff_change side; /* MISSING: `from` only; EXTRA: `to` only; CHANGED: both */
    const char *kind;           /* "rule", "range type", "privileges", ... */
    const char *path;           /* "amount"; "billing.amount" outside the target */
} pcsm_diff_unmodelled;

/*
 * Compares `from` with `to` (neither is changed; both may be freed once this
 * returns).  Entries come in a fixed order: the target schema's objects
 * first, then by schema; by table (or index, function, type, extension)
 * name, then
 * by column or constraint name (the table itself first, a column before a
 * constraint of the same name), then by attribute name, MISSING before
 * EXTRA; the raw-SQL operations follow, `from`'s first, each in its
 * model's order.  Defaults and expressions compare as SQL text, whitespace
 * outside quotes aside (so PCSM_LITERAL("x") is PCSM_EXPR("'x'")); an empty
 * comment is none, as COMMENT IS '' makes it.
 * @return 0 and *out (free with pcsm_diff_free)
 */
PCSM_API int pcsm_diff_models(pcsm_ctx *ctx, const pcsm_schema *from, const pcsm_schema *to,
                              pcsm_diff **out);
PCSM_API void pcsm_diff_free(pcsm_diff *diff);

/* How many entries, the unverified ones included. */
PCSM_API size_t pcsm_diff_count(const pcsm_diff *diff);
/* The i-th entry, i < pcsm_diff_count(); lent, lives as long as diff. */
PCSM_API const pcsm_diff_entry *pcsm_diff_at(const pcsm_diff *diff, size_t i);
/*
 * Whether the models differ: an entry that is not unverified (false: they
 * agree on everything they can see, or raw SQL may explain each entry).
 */
PCSM_API bool pcsm_diff_differs(const pcsm_diff *diff);
/* How many raw-SQL operations one side only holds. */
PCSM_API size_t pcsm_diff_raw_sql_count(const pcsm_diff *diff);
/* The i-th of them; lent, lives as long as diff. */
PCSM_API const pcsm_diff_raw_sql *pcsm_diff_raw_sql_at(const pcsm_diff *diff, size_t i);

/* How many objects no model holds either side has (none of them counts as a difference). */
PCSM_API size_t pcsm_diff_unmodelled_count(const pcsm_diff *diff);
/* The i-th of them, in kind and path order; lent, lives as long as diff. */
PCSM_API const pcsm_diff_unmodelled *pcsm_diff_unmodelled_at(const pcsm_diff *diff, size_t i);

/* "table", "column", ...; "missing", "extra", "changed". */
PCSM_API const char *pcsm_diff_object_name(enum pcsm_diff_object object);
PCSM_API const char *pcsm_diff_change_name(enum pcsm_diff_change change);

/*
 * Appends one line per entry, then one per raw-SQL operation, then one
 * per object no model holds:
 *   changed  column contexts.name  type: varchar(255) -> text
 *   missing  table widgets
 *   extra    index ix_foo  (unverified: raw SQL names it)
 *   unverified  to: revision r2, operation 1, raw SQL: CREATE INDEX ix_foo ...
 *   unverified  both: rule items.no_delete  (not modelled)
 * "(none)" stands for a NULL value; control characters in a value are
 * escaped (\n, \t, \xNN), so that an entry stays on its line.
 */
PCSM_API void pcsm_diff_text(const pcsm_diff *diff, pcsm_buf *out);
/*
 * Appends one JSON object per line, the entries then the raw-SQL
 * operations, every key always present:
 *   {"change":"changed","object":"column","path":"t.c","attribute":"type",
 *    "from":"integer","to":"bigint","verified":true}
 *   {"change":"unverified","side":"to","revision":"r2","operation":1,
 *    "summary":"CREATE FUNCTION f() RETURNS int"}
 *   {"change":"unverified","side":"both","object":"rule","path":"items.no_delete",
 *    "modelled":false}
 * (each on one line).  "verified" is false for an entry raw SQL names;
 * "side" is "from" or "to", and "both" for an object no model holds that
 * both sides have.
 */
PCSM_API void pcsm_diff_json(const pcsm_diff *diff, pcsm_buf *out);
/* The same objects as a new JSON array (the caller's reference), to embed in a document. */
PCSM_API struct json_t *pcsm_diff_json_array(const pcsm_diff *diff);

/*
 * Drift: the schema db holds against the one its revisions declare, both in
 * the server's normal form (the declared one built in a scratch schema,
 * pcsm_schema_on_server()); the declared side is `from`, the database `to`.
 * Read under the migration lock in one transaction, rolled back: a run
 * beside it is either done or not begun.  *at gets the revisions compared
 * (replaced).  Raw SQL of the revisions is listed as not verified, and the
 * entries it names are marked so.
 * @return 0 and *out (pcsm_diff_differs() says whether it drifted); a
 *         connection's, the lock's (PCSM_ELOCK) or replay's error
 */
PCSM_API int pcsm_db_drift(pcsm_ctx *ctx, pcsm_db *db, pcsm_revset *at, pcsm_diff **out);

/*
 * The proof of a planned revision (autogenerate's): the declared schema
 * built in a scratch schema as pcsm_schema_on_server() builds it, `up_sql`
 * run there and the catalog read and compared with `want_up`, then
 * `down_sql` run and the catalog compared with `want_down`, all in one
 * transaction that is always rolled back.  Objects outside the target
 * schema are the caller's to keep out: the SQL runs as written.
 * @return 0 with *up_diff and *down_diff (pcsm_diff_differs(): it does not
 *         converge); the server's error when either SQL fails there
 */
PCSM_API int pcsm_schema_prove(pcsm_ctx *ctx, pcsm_db *db, const pcsm_schema *declared,
                               const char *up_sql, const char *down_sql,
                               const pcsm_schema *want_up, const pcsm_schema *want_down,
                               pcsm_diff **up_diff, pcsm_diff **down_diff);

#ifdef __cplusplus
}
#endif

#endif /* PCSM_DIFF_H */
