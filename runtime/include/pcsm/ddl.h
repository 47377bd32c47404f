/*
 * The DDL helper API: the only header a migration file includes.
 *
 * Every call records a structured operation on the pcsm_op context; nothing
 * runs here.  The runtime later renders the recorded operations to SQL, and
 * executes that SQL, prints it (--sql) or replays it, always from the same
 * record.  Calls return nothing: the first invalid call is remembered on the
 * context (with the operation and the reason) and every later call is
 * ignored, so an upgrade() reads as a plain list of statements.
 *
 * The definition structs are meant to be written as C99 compound literals
 * with designated initialisers; the record copies everything it keeps, so
 * the caller's memory may die as soon as a call returns.
 */
#ifndef PCSM_DDL_H
#define PCSM_DDL_H

#include <stdbool.h>
#include <stddef.h>

#include "common.h"

#ifdef __cplusplus
extern "C" {
#endif


/* ------------------------------------------------------------------ types */

enum pcsm_type_kind {
    PCSM_TYPE_NONE = 0,         /* "no type given": an error where one is needed */
    PCSM_TYPE_UUID,
    PCSM_TYPE_VARCHAR,          /* p = length, 0 for unbounded */
    PCSM_TYPE_CHAR,             /* p = length */
    PCSM_TYPE_TEXT,
    PCSM_TYPE_BOOLEAN,
    PCSM_TYPE_SMALLINT,
    PCSM_TYPE_INTEGER,
    PCSM_TYPE_BIGINT,
    PCSM_TYPE_NUMERIC,          /* p = precision (0: unconstrained), s = scale */
    PCSM_TYPE_REAL,
    PCSM_TYPE_DOUBLE,
    PCSM_TYPE_JSON,
    PCSM_TYPE_JSONB,
    PCSM_TYPE_BYTEA,
    PCSM_TYPE_DATE,
    PCSM_TYPE_TIME,
    PCSM_TYPE_TIMESTAMP,
    PCSM_TYPE_TIMESTAMPTZ,
    PCSM_TYPE_INTERVAL,
    PCSM_TYPE_NAMED,            /* a user-defined type (enum, domain): `name`, quoted */
};

/*
 * A column type.  Build it with the PCSM_<TYPE> macros below rather than by
 * hand; `array_dims` > 0 makes it an array of that many dimensions.
 */
typedef struct pcsm_type {
    enum pcsm_type_kind kind;
    int p;                      /* length or precision, see the kinds */
    int s;                      /* scale of NUMERIC */
    int array_dims;
    const char *name;           /* PCSM_TYPE_NAMED only */
} pcsm_type;

#define PCSM_TYPE_(k, ...)      ((pcsm_type){ .kind = (k), __VA_ARGS__ })
#define PCSM_UUID               PCSM_TYPE_(PCSM_TYPE_UUID, .p = 0)
#define PCSM_VARCHAR(n)         PCSM_TYPE_(PCSM_TYPE_VARCHAR, .p = (n))
#define PCSM_CHAR(n)            PCSM_TYPE_(PCSM_TYPE_CHAR, .p = (n))
#define PCSM_TEXT               PCSM_TYPE_(PCSM_TYPE_TEXT, .p = 0)
#define PCSM_BOOLEAN            PCSM_TYPE_(PCSM_TYPE_BOOLEAN, .p = 0)
#define PCSM_SMALLINT           PCSM_TYPE_(PCSM_TYPE_SMALLINT, .p = 0)
#define PCSM_INTEGER            PCSM_TYPE_(PCSM_TYPE_INTEGER, .p = 0)
#define PCSM_BIGINT             PCSM_TYPE_(PCSM_TYPE_BIGINT, .p = 0)
#define PCSM_NUMERIC(p_, s_)    PCSM_TYPE_(PCSM_TYPE_NUMERIC, .p = (p_), .s = (s_))
#define PCSM_REAL               PCSM_TYPE_(PCSM_TYPE_REAL, .p = 0)
#define PCSM_DOUBLE             PCSM_TYPE_(PCSM_TYPE_DOUBLE, .p = 0)
#define PCSM_JSON               PCSM_TYPE_(PCSM_TYPE_JSON, .p = 0)
#define PCSM_JSONB              PCSM_TYPE_(PCSM_TYPE_JSONB, .p = 0)
#define PCSM_BYTEA              PCSM_TYPE_(PCSM_TYPE_BYTEA, .p = 0)
#define PCSM_DATE               PCSM_TYPE_(PCSM_TYPE_DATE, .p = 0)
#define PCSM_TIME               PCSM_TYPE_(PCSM_TYPE_TIME, .p = 0)
#define PCSM_TIMESTAMP          PCSM_TYPE_(PCSM_TYPE_TIMESTAMP, .p = 0)
#define PCSM_TIMESTAMPTZ        PCSM_TYPE_(PCSM_TYPE_TIMESTAMPTZ, .p = 0)
#define PCSM_INTERVAL           PCSM_TYPE_(PCSM_TYPE_INTERVAL, .p = 0)
#define PCSM_NAMED_TYPE(n)      PCSM_TYPE_(PCSM_TYPE_NAMED, .name = (n))
/* An array of t: PCSM_ARRAY(PCSM_TEXT) is text[]. */
#define PCSM_ARRAY(t)           PCSM_TYPE_((t).kind, .p = (t).p, .s = (t).s, \
                                    .array_dims = (t).array_dims + 1, .name = (t).name)

/* ----------------------------------------------------------------- values */

enum pcsm_value_kind {
    PCSM_VALUE_NONE = 0,
    PCSM_VALUE_EXPR,            /* SQL expression written by the author: now(), true, 0 */
    PCSM_VALUE_LITERAL,         /* a string, rendered as an escaped SQL literal */
    PCSM_VALUE_NULL,            /* SQL NULL */
};

/* A default or a statement parameter: PCSM_EXPR("now()"), PCSM_LITERAL("it's"). */
typedef struct pcsm_value {
    enum pcsm_value_kind kind;
    const char *text;
} pcsm_value;

#define PCSM_EXPR(e)            ((pcsm_value){ PCSM_VALUE_EXPR, (e) })
#define PCSM_LITERAL(s)         ((pcsm_value){ PCSM_VALUE_LITERAL, (s) })
#define PCSM_NULL               ((pcsm_value){ PCSM_VALUE_NULL, NULL })

/* ------------------------------------------------------------ definitions */

enum pcsm_fk_action {
    PCSM_FK_DEFAULT = 0,        /* say nothing: PostgreSQL's NO ACTION */
    PCSM_NO_ACTION,
    PCSM_RESTRICT,
    PCSM_CASCADE,
    PCSM_SET_NULL,
    PCSM_SET_DEFAULT,
};

/* A NULL-terminated list of names: PCSM_NAMES("a", "b"). */
#define PCSM_NAMES(...)         ((const char *const[]){ __VA_ARGS__, NULL })

/*
 * One column.  Column-level primary_key/unique/references become constraints
 * with PostgreSQL's own default names (<table>_pkey, <table>_<col>_key,
 * <table>_<col>_fkey); give table-level constraints to choose the names.
 */
typedef struct pcsm_column {
    const char *name;
    pcsm_type type;
    bool not_null;
    bool primary_key;           /* implies NOT NULL */
    bool unique;
    pcsm_value default_value;   /* PCSM_EXPR / PCSM_LITERAL / PCSM_NULL, or none */
    const char *references;     /* referenced table, or NULL */
    const char *ref_column;     /* referenced column; NULL: its primary key */
    enum pcsm_fk_action on_delete;
    enum pcsm_fk_action on_update;
    const char *check;          /* CHECK expression, or NULL */
    const char *comment;        /* COMMENT ON COLUMN, or NULL */
} pcsm_column;

/* A column list for pcsm_create_table(): PCSM_COLUMNS({...}, {...}). */
#define PCSM_COLUMNS(...)       ((const pcsm_column[]){ __VA_ARGS__, { .name = NULL } })

enum pcsm_constraint_kind {
    PCSM_CONSTRAINT_NONE = 0,
    PCSM_PRIMARY_KEY,
    PCSM_UNIQUE,
    PCSM_FOREIGN_KEY,
    PCSM_CHECK,
};

/* A table-level constraint, for pcsm_create_table() and pcsm_add_constraint(). */
typedef struct pcsm_constraint {
    enum pcsm_constraint_kind kind;
    const char *name;           /* NULL: PostgreSQL chooses (create_table only) */
    const char *const *columns; /* PCSM_NAMES(...); not for CHECK */
    const char *references;     /* FOREIGN_KEY: referenced table */
    const char *const *ref_columns; /* FOREIGN_KEY: NULL for its primary key */
    enum pcsm_fk_action on_delete;
    enum pcsm_fk_action on_update;
    const char *check;          /* CHECK: the boolean expression */
    bool deferrable;            /* DEFERRABLE INITIALLY DEFERRED (UNIQUE, FOREIGN_KEY) */
    bool not_valid;             /* add_constraint only: NOT VALID (FOREIGN_KEY, CHECK) */
} pcsm_constraint;

#define PCSM_CONSTRAINTS(...)   ((const pcsm_constraint[]){ __VA_ARGS__, { .kind = PCSM_CONSTRAINT_NONE } })

/* An index, for pcsm_create_index(). */
typedef struct pcsm_index {
    const char *name;
    const char *table;
    const char *const *columns; /* PCSM_NAMES(...): quoted column names */
    const char *expression;     /* instead of columns: one SQL expression, e.g. lower(name) */
    bool unique;
    bool concurrently;          /* needs a revision flagged nontransactional */
    bool if_not_exists;
    const char *method;         /* btree (default), hash, gin, gist, brin, spgist */
    const char *where;          /* partial index predicate, or NULL */
} pcsm_index;

/* Flags for the drop_* calls. */
#define PCSM_IF_EXISTS          (1u << 0)
#define PCSM_DROP_CASCADE       (1u << 1)
#define PCSM_DROP_CONCURRENTLY  (1u << 2)   /* drop_index only */

/* ----------------------------------------------------------------- tables */

/*
 * CREATE TABLE.  `columns` ends with an entry whose name is NULL
 * (PCSM_COLUMNS does that); `constraints` ends with kind NONE, or is NULL.
 * `comment` adds COMMENT ON TABLE; column comments follow as well.
 */
PCSM_API void pcsm_create_table(pcsm_op *op, const char *table,
                                const pcsm_column *columns,
                                const pcsm_constraint *constraints,
                                const char *comment);
PCSM_API void pcsm_drop_table(pcsm_op *op, const char *table, unsigned flags);
PCSM_API void pcsm_rename_table(pcsm_op *op, const char *table, const char *new_name);
/* COMMENT ON TABLE; comment NULL removes it. */
PCSM_API void pcsm_comment_table(pcsm_op *op, const char *table, const char *comment);

/* ---------------------------------------------------------------- columns */

PCSM_API void pcsm_add_column(pcsm_op *op, const char *table, const pcsm_column *column);
PCSM_API void pcsm_drop_column(pcsm_op *op, const char *table, const char *column,
                               unsigned flags);
PCSM_API void pcsm_rename_column(pcsm_op *op, const char *table, const char *column,
                                 const char *new_name);
/* ALTER COLUMN TYPE; `using` is an SQL expression or NULL. */
PCSM_API void pcsm_alter_column_type(pcsm_op *op, const char *table, const char *column,
                                     pcsm_type type, const char *using);
PCSM_API void pcsm_set_default(pcsm_op *op, const char *table, const char *column,
                               pcsm_value value);
PCSM_API void pcsm_drop_default(pcsm_op *op, const char *table, const char *column);
PCSM_API void pcsm_set_not_null(pcsm_op *op, const char *table, const char *column);
PCSM_API void pcsm_drop_not_null(pcsm_op *op, const char *table, const char *column);
/* COMMENT ON COLUMN; comment NULL removes it. */
PCSM_API void pcsm_comment_column(pcsm_op *op, const char *table, const char *column,
                                  const char *comment);

/* ------------------------------------------------ indexes and constraints */

PCSM_API void pcsm_create_index(pcsm_op *op, const pcsm_index *index);
PCSM_API void pcsm_drop_index(pcsm_op *op, const char *name, unsigned flags);
/* ALTER TABLE ADD CONSTRAINT: the constraint must be named. */
PCSM_API void pcsm_add_constraint(pcsm_op *op, const char *table,
                                  const pcsm_constraint *constraint);
PCSM_API void pcsm_drop_constraint(pcsm_op *op, const char *table, const char *name,
                                   unsigned flags);

/* ------------------------------------------------------- SQL and data */

/*
 * Raw SQL, run as written (the escape hatch, like Alembic's op.execute).
 * One or more statements; the author is responsible for their quoting.
 */
PCSM_API void pcsm_execute(pcsm_op *op, const char *sql);

/*
 * A parameterised statement: $1..$n in `sql` take `params` (n of them).
 * Rendered as PREPARE / EXECUTE / DEALLOCATE with the values as escaped
 * literals, so the server types and binds them exactly as a protocol-level
 * bind would, and the same text runs online and from a --sql script.
 */
PCSM_API void pcsm_execute_params(pcsm_op *op, const char *sql,
                                  size_t n_params, const pcsm_value *params);

/*
 * UPDATE `table` SET `set_sql` WHERE `where_sql` (NULL: every row), in
 * batches of at most `batch_size` rows walked in order of the unique,
 * NOT NULL column `key`.  Each batch reports its progress as a NOTICE.
 */
PCSM_API void pcsm_batch_update(pcsm_op *op, const char *table, const char *key,
                                const char *set_sql, const char *where_sql,
                                long batch_size);

/*
 * Fails the migration with `message` unless the boolean SQL `condition`
 * (for example "(SELECT count(*) FROM t WHERE x IS NULL) = 0") is true.
 */
PCSM_API void pcsm_assert(pcsm_op *op, const char *condition, const char *message);

#ifdef __cplusplus
}
#endif

#endif /* PCSM_DDL_H */
