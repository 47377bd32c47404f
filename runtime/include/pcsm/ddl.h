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
    PCSM_TYPE_TSVECTOR,
    PCSM_TYPE_TSQUERY,
    PCSM_TYPE_INET,
    PCSM_TYPE_CIDR,
    PCSM_TYPE_MACADDR,
    PCSM_TYPE_MACADDR8,
    PCSM_TYPE_MONEY,
    PCSM_TYPE_XML,
    PCSM_TYPE_OID,
    PCSM_TYPE_TIMETZ,           /* p = precision, as TIME */
    PCSM_TYPE_BIT,              /* p = length, at least 1 */
    PCSM_TYPE_VARBIT,           /* p = length, 0 for unbounded */
    PCSM_TYPE_INT4RANGE,
    PCSM_TYPE_INT8RANGE,
    PCSM_TYPE_NUMRANGE,
    PCSM_TYPE_TSRANGE,
    PCSM_TYPE_TSTZRANGE,
    PCSM_TYPE_DATERANGE,
    PCSM_TYPE_SMALLSERIAL,      /* column type of create_table/add_column only, see below */
    PCSM_TYPE_SERIAL,
    PCSM_TYPE_BIGSERIAL,
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
    const char *schema;         /* PCSM_TYPE_NAMED only: the type's schema, or NULL */
    const char *modifiers;      /* PCSM_TYPE_NAMED only: "3", "10,2" (the typmod), or NULL */
} pcsm_type;

/*
 * The precision of TIME, TIMETZ, TIMESTAMP, TIMESTAMPTZ and INTERVAL is
 * `p`: 0 says none (the server's default, 6 digits), 1..6 say that many,
 * and PCSM_PRECISION_ZERO says (0), whole seconds.  The _P macros take
 * the number as written in SQL and store 0 as PCSM_PRECISION_ZERO:
 * PCSM_TIMESTAMPTZ_P(0) is timestamptz(0), PCSM_TIMESTAMPTZ is timestamptz.
 */
#define PCSM_PRECISION_ZERO     (-1)
#define PCSM_PRECISION_(n)      ((n) == 0 ? PCSM_PRECISION_ZERO : (n))

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
/*
 * Any type by schema, name and modifiers, each part quoted:
 * PCSM_CUSTOM_TYPE("public", "citext", NULL) is "public"."citext",
 * PCSM_CUSTOM_TYPE("ext", "vector", "3") is "ext"."vector"(3); schema NULL
 * leaves the name to the search path, as PCSM_NAMED_TYPE does.  The
 * modifiers are the type modifier list without parentheses: integers
 * separated by commas.  A type the API has a kind for (text, tsvector...)
 * is refused in pg_catalog: write its kind, which is what the catalog
 * reads back.  PCSM_TYPE_IN(schema, name) is the same without modifiers.
 */
#define PCSM_CUSTOM_TYPE(sch, n, mods) \
    PCSM_TYPE_(PCSM_TYPE_NAMED, .name = (n), .schema = (sch), .modifiers = (mods))
#define PCSM_TYPE_IN(sch, n)    PCSM_CUSTOM_TYPE(sch, n, NULL)
#define PCSM_TSVECTOR           PCSM_TYPE_(PCSM_TYPE_TSVECTOR, .p = 0)
#define PCSM_TSQUERY            PCSM_TYPE_(PCSM_TYPE_TSQUERY, .p = 0)
#define PCSM_INET               PCSM_TYPE_(PCSM_TYPE_INET, .p = 0)
#define PCSM_CIDR               PCSM_TYPE_(PCSM_TYPE_CIDR, .p = 0)
#define PCSM_MACADDR            PCSM_TYPE_(PCSM_TYPE_MACADDR, .p = 0)
#define PCSM_MACADDR8           PCSM_TYPE_(PCSM_TYPE_MACADDR8, .p = 0)
#define PCSM_MONEY              PCSM_TYPE_(PCSM_TYPE_MONEY, .p = 0)
#define PCSM_XML                PCSM_TYPE_(PCSM_TYPE_XML, .p = 0)
#define PCSM_OID                PCSM_TYPE_(PCSM_TYPE_OID, .p = 0)
#define PCSM_TIMETZ             PCSM_TYPE_(PCSM_TYPE_TIMETZ, .p = 0)
#define PCSM_BIT(n)             PCSM_TYPE_(PCSM_TYPE_BIT, .p = (n))
#define PCSM_VARBIT(n)          PCSM_TYPE_(PCSM_TYPE_VARBIT, .p = (n))
#define PCSM_INT4RANGE          PCSM_TYPE_(PCSM_TYPE_INT4RANGE, .p = 0)
#define PCSM_INT8RANGE          PCSM_TYPE_(PCSM_TYPE_INT8RANGE, .p = 0)
#define PCSM_NUMRANGE           PCSM_TYPE_(PCSM_TYPE_NUMRANGE, .p = 0)
#define PCSM_TSRANGE            PCSM_TYPE_(PCSM_TYPE_TSRANGE, .p = 0)
#define PCSM_TSTZRANGE          PCSM_TYPE_(PCSM_TYPE_TSTZRANGE, .p = 0)
#define PCSM_DATERANGE          PCSM_TYPE_(PCSM_TYPE_DATERANGE, .p = 0)
/* time(n), timetz(n), timestamp(n), timestamptz(n), interval(n): n in 0..6. */
#define PCSM_TIME_P(n)          PCSM_TYPE_(PCSM_TYPE_TIME, .p = PCSM_PRECISION_(n))
#define PCSM_TIMETZ_P(n)        PCSM_TYPE_(PCSM_TYPE_TIMETZ, .p = PCSM_PRECISION_(n))
#define PCSM_TIMESTAMP_P(n)     PCSM_TYPE_(PCSM_TYPE_TIMESTAMP, .p = PCSM_PRECISION_(n))
#define PCSM_TIMESTAMPTZ_P(n)   PCSM_TYPE_(PCSM_TYPE_TIMESTAMPTZ, .p = PCSM_PRECISION_(n))
#define PCSM_INTERVAL_P(n)      PCSM_TYPE_(PCSM_TYPE_INTERVAL, .p = PCSM_PRECISION_(n))
/*
 * smallserial, serial, bigserial: a column of create_table or add_column
 * only.  The server makes it a smallint, integer or bigint NOT NULL column
 * whose default is nextval('<table>_<column>_seq'::regclass), with that
 * sequence (AS its type) OWNED BY the column, dropped with it; that is
 * what the schema model holds too.  Refused as the server refuses it: in
 * an array, with a default, an identity or a generated expression, and in
 * alter_column_type.
 */
#define PCSM_SMALLSERIAL        PCSM_TYPE_(PCSM_TYPE_SMALLSERIAL, .p = 0)
#define PCSM_SERIAL             PCSM_TYPE_(PCSM_TYPE_SERIAL, .p = 0)
#define PCSM_BIGSERIAL          PCSM_TYPE_(PCSM_TYPE_BIGSERIAL, .p = 0)
/*
 * An array of t: PCSM_ARRAY(PCSM_TEXT) is text[].  A function, not a macro
 * copying each member, which named its argument once per member, so that
 * nested arrays grew the source exponentially (seven deep: 800,000 copies).
 */
static inline pcsm_type pcsm_array_of_(pcsm_type t)
{
    t.array_dims++;
    return t;
}
#define PCSM_ARRAY(t)           pcsm_array_of_(t)

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

/* A sequence option given a value: PCSM_SEQ_VALUE(0); zero-initialised, not given. */
typedef struct pcsm_seq_value {
    bool set;
    long long value;
} pcsm_seq_value;

#define PCSM_SEQ_VALUE(v)       ((pcsm_seq_value){ true, (v) })

enum pcsm_cycle {
    PCSM_CYCLE_DEFAULT = 0,     /* say nothing: NO CYCLE, or unchanged (alter_sequence) */
    PCSM_CYCLE,
    PCSM_NO_CYCLE,
};

/*
 * A sequence's options, for pcsm_create_sequence(), pcsm_alter_sequence()
 * and an identity column; whatever is left zero is not said, so the
 * server's default (or, altering, the value as it is) holds: a bigint
 * counting 1, 2, 3... with a cache of 1.  Rendered in this order:
 *     AS integer INCREMENT BY 2 MINVALUE 1 MAXVALUE 100 START WITH 10
 *     RESTART WITH 10 CACHE 5 CYCLE
 */
typedef struct pcsm_sequence_options {
    pcsm_type as;               /* PCSM_SMALLINT, PCSM_INTEGER or PCSM_BIGINT; not for identity */
    long long increment;        /* 0: not given (the server's is 1) */
    pcsm_seq_value minvalue;
    pcsm_seq_value maxvalue;
    pcsm_seq_value start;
    pcsm_seq_value restart;     /* alter_sequence only: RESTART WITH */
    long long cache;            /* 0: not given (the server's is 1) */
    enum pcsm_cycle cycle;
} pcsm_sequence_options;

/* How an identity column makes its values. */
enum pcsm_identity {
    PCSM_IDENTITY_NONE = 0,
    PCSM_IDENTITY_ALWAYS,       /* GENERATED ALWAYS AS IDENTITY: an INSERT may not give one */
    PCSM_IDENTITY_BY_DEFAULT,   /* GENERATED BY DEFAULT AS IDENTITY */
};

/*
 * One column.  Column-level primary_key/unique/references become constraints
 * with PostgreSQL's own default names (<table>_pkey, <table>_<col>_key,
 * <table>_<col>_fkey, <table>_<col>_check after the column a CHECK reads);
 * give table-level constraints to choose the names.
 *
 * An identity column (smallint, integer or bigint) takes its values from a
 * sequence of its own, which the server names <table>_<column>_seq and
 * which goes with the column; it is NOT NULL and has no default.  A
 * generated column is GENERATED ALWAYS AS (generated) STORED: computed
 * from the other columns of its row (not from generated ones), never
 * written, with no default.  `collation` is COLLATE "collation", for a
 * text type (text, varchar, char, or a named type the server knows is).
 */
typedef struct pcsm_column {
    const char *name;
    pcsm_type type;
    bool not_null;
    bool primary_key;           /* implies NOT NULL */
    bool unique;
    pcsm_value default_value;   /* PCSM_EXPR / PCSM_LITERAL / PCSM_NULL, or none */
    const char *references;     /* referenced table, or NULL */
    const char *ref_schema;     /* the referenced table's schema; NULL: the target schema */
    const char *ref_column;     /* referenced column; NULL: its primary key */
    enum pcsm_fk_action on_delete;
    enum pcsm_fk_action on_update;
    const char *check;          /* CHECK expression, or NULL */
    const char *comment;        /* COMMENT ON COLUMN, or NULL */
    enum pcsm_identity identity;
    pcsm_sequence_options identity_options; /* identity only; no `as`, `restart` */
    const char *generated;      /* GENERATED ALWAYS AS (expression) STORED, or NULL */
    const char *collation;      /* COLLATE, or NULL for the type's default */
} pcsm_column;

/* A column list for pcsm_create_table(): PCSM_COLUMNS({...}, {...}). */
#define PCSM_COLUMNS(...)       ((const pcsm_column[]){ __VA_ARGS__, { .name = NULL } })

/* Where an index element puts its NULLs. */
enum pcsm_nulls_order {
    PCSM_NULLS_DEFAULT = 0,     /* say nothing: LAST ascending, FIRST descending */
    PCSM_NULLS_FIRST,
    PCSM_NULLS_LAST,
};

/*
 * One key of an index, for pcsm_index.elements (or of an EXCLUDE constraint,
 * pcsm_constraint.elements): a column (quoted) or an SQL expression (copied
 * as written, in parentheses), exactly one, then
 *     "column" COLLATE "collation" "opclass" DESC NULLS FIRST WITH op
 * each part only when given.  `opclass` is an operator class name, quoted,
 * or "schema.name" for one outside the search path (each part quoted; a
 * name holding a dot cannot be said); NULL: the type's default.
 */
typedef struct pcsm_index_element {
    const char *column;
    const char *expression;
    const char *collation;      /* COLLATE, or NULL */
    const char *opclass;        /* gin_trgm_ops, jsonb_path_ops, text_pattern_ops, or NULL */
    bool descending;            /* DESC */
    enum pcsm_nulls_order nulls;
    /*
     * An EXCLUDE constraint's element only, and there required: the operator
     * two rows' keys must not both satisfy ("=", "&&"), or "schema.op" for
     * one outside the search path (OPERATOR(schema.op)).
     */
    const char *with;
} pcsm_index_element;

/* The keys of an index, in order: PCSM_ELEMENTS({ .column = "a", .descending = true }, ...). */
#define PCSM_ELEMENTS(...)      ((const pcsm_index_element[]){ __VA_ARGS__, \
                                    { .column = NULL, .expression = NULL } })

enum pcsm_constraint_kind {
    PCSM_CONSTRAINT_NONE = 0,
    PCSM_PRIMARY_KEY,
    PCSM_UNIQUE,
    PCSM_FOREIGN_KEY,
    PCSM_CHECK,
    PCSM_EXCLUDE,               /* EXCLUDE USING method (key WITH op, ...) WHERE (...) */
};

/* A table-level constraint, for pcsm_create_table() and pcsm_add_constraint(). */
typedef struct pcsm_constraint {
    enum pcsm_constraint_kind kind;
    const char *name;           /* NULL: PostgreSQL chooses, as the model knows */
    const char *const *columns; /* PCSM_NAMES(...); not for CHECK or EXCLUDE */
    const char *references;     /* FOREIGN_KEY: referenced table */
    const char *ref_schema;     /* FOREIGN_KEY: its schema; NULL: the target schema */
    const char *const *ref_columns; /* FOREIGN_KEY: NULL for its primary key */
    enum pcsm_fk_action on_delete;
    enum pcsm_fk_action on_update;
    const char *check;          /* CHECK: the boolean expression */
    bool deferrable;            /* DEFERRABLE INITIALLY DEFERRED (not CHECK) */
    bool not_valid;             /* add_constraint only: NOT VALID (FOREIGN_KEY, CHECK) */
    bool nulls_not_distinct;    /* UNIQUE only: UNIQUE NULLS NOT DISTINCT (PostgreSQL 15) */
    /* EXCLUDE only: its keys, each with its operator (.with), instead of columns */
    const pcsm_index_element *elements;
    const char *method;         /* EXCLUDE only: the index method; NULL: btree, as the server */
    const char *where;          /* EXCLUDE only: the predicate of a partial constraint */
} pcsm_constraint;

#define PCSM_CONSTRAINTS(...)   ((const pcsm_constraint[]){ __VA_ARGS__, { .kind = PCSM_CONSTRAINT_NONE } })

/*
 * An index, for pcsm_create_index(): its keys are `columns`, one
 * `expression`, or `elements` (each with its own collation, operator
 * class and order), exactly one of the three.
 */
typedef struct pcsm_index {
    const char *name;           /* NULL: PostgreSQL chooses (<table>_<columns>_idx) */
    const char *table;
    const char *const *columns; /* PCSM_NAMES(...): quoted column names */
    const char *expression;     /* instead of columns: one SQL expression, e.g. lower(name) */
    bool unique;
    bool concurrently;          /* needs a revision flagged nontransactional */
    bool if_not_exists;
    const char *method;         /* btree (default), hash, gin, gist, brin, spgist */
    const char *where;          /* partial index predicate, or NULL */
    const pcsm_index_element *elements; /* PCSM_ELEMENTS(...), instead of columns */
    bool nulls_not_distinct;    /* unique only: NULLS NOT DISTINCT (PostgreSQL 15) */
    /*
     * ON ONLY a partitioned table: its partitions get none, and the index is
     * invalid until each has one alike attached (pcsm_attach_index()), which
     * each can build CONCURRENTLY.  On a table that is not partitioned: no
     * difference.
     */
    bool only;
} pcsm_index;

/* Flags for the drop_* calls, and two for the calls that create. */
#define PCSM_IF_EXISTS          (1u << 0)
#define PCSM_DROP_CASCADE       (1u << 1)
#define PCSM_DROP_CONCURRENTLY  (1u << 2)   /* drop_index only */
#define PCSM_IF_NOT_EXISTS      (1u << 3)   /* add_enum_value and create_schema only */
#define PCSM_CREATE_CASCADE     (1u << 4)   /* create_extension only: its requirements too */
#define PCSM_REFRESH_CONCURRENTLY (1u << 5) /* refresh_materialized_view only */
#define PCSM_REFRESH_NO_DATA    (1u << 6)   /* refresh_materialized_view only: WITH NO DATA */

/* Where pcsm_add_enum_value() puts a new label. */
enum pcsm_enum_where {
    PCSM_ENUM_END = 0,          /* after the last label */
    PCSM_ENUM_BEFORE,
    PCSM_ENUM_AFTER,
};

/* PCSM_AT_END, PCSM_BEFORE_LABEL("ok") or PCSM_AFTER_LABEL("ok"). */
typedef struct pcsm_enum_place {
    enum pcsm_enum_where where;
    const char *label;          /* an existing label; NULL at the end */
} pcsm_enum_place;

#define PCSM_AT_END             ((pcsm_enum_place){ PCSM_ENUM_END, NULL })
#define PCSM_BEFORE_LABEL(l)    ((pcsm_enum_place){ PCSM_ENUM_BEFORE, (l) })
#define PCSM_AFTER_LABEL(l)     ((pcsm_enum_place){ PCSM_ENUM_AFTER, (l) })
/* The labels of pcsm_create_enum(), in order: PCSM_LABELS("sad", "ok"). */
#define PCSM_LABELS(...)        PCSM_NAMES(__VA_ARGS__)

enum pcsm_volatility {
    PCSM_VOLATILITY_DEFAULT = 0,    /* say nothing: PostgreSQL's VOLATILE */
    PCSM_IMMUTABLE,
    PCSM_STABLE,
    PCSM_VOLATILE,
};

/* Who compares the strings of a collation (CREATE COLLATION ... PROVIDER). */
enum pcsm_collation_provider {
    PCSM_PROVIDER_LIBC = 0,     /* the server's default: the C library's locales */
    PCSM_PROVIDER_ICU,
};

/*
 * A collation of the schema's own: `locale` sets both LC_COLLATE and
 * LC_CTYPE, or (libc only) `lc_collate` and `lc_ctype` set them apart; a
 * nondeterministic one (ICU only) finds strings equal that differ in bytes
 * (case, accents), as its locale says.
 */
typedef struct pcsm_collation {
    const char *name;
    enum pcsm_collation_provider provider;
    const char *locale;
    const char *lc_collate;
    const char *lc_ctype;
    bool nondeterministic;      /* DETERMINISTIC = false */
} pcsm_collation;

/*
 * One attribute of a composite type: a name, a type (any but a serial) and
 * a COLLATE for a text type, or NULL.
 */
typedef struct pcsm_attribute {
    const char *name;
    pcsm_type type;
    const char *collation;
} pcsm_attribute;

/* The attributes of pcsm_create_composite_type(), in order: PCSM_ATTRIBUTES({...}, ...). */
#define PCSM_ATTRIBUTES(...)    ((const pcsm_attribute[]){ __VA_ARGS__, { .name = NULL } })

/*
 * A range type, for pcsm_create_range_type(): ranges of `subtype` (any type
 * but a serial that a btree orders: a built-in one, an enum, a domain),
 * ordered by `subtype_opclass` (a btree operator class; NULL: the
 * subtype's default) under `collation` (for a subtype that collates;
 * NULL: the subtype's).  `subtype_diff` names a function
 * (subtype, subtype) returning double precision, in `subtype_diff_schema`
 * (NULL: found by the search path, the target schema or pg_catalog), that
 * GiST indexes use to balance; NULL: none.  `multirange_type_name` names
 * the multirange type the server makes beside it (NULL: the server's
 * name, "range" in the name made "multirange", else <name>_multirange).
 * CANONICAL is not offered: its function must be written in C against the
 * type's shell.
 */
typedef struct pcsm_range_type {
    const char *name;
    pcsm_type subtype;
    const char *subtype_opclass;
    const char *collation;
    const char *subtype_diff;
    const char *subtype_diff_schema;
    const char *multirange_type_name;
} pcsm_range_type;

/*
 * A domain: `type` with constraints of its own, used as a column's type by
 * PCSM_NAMED_TYPE(name).  `type` is any type but a serial (a named one may
 * be an enum or another domain); `collation` is COLLATE, for a type that
 * collates; `default_value` is what a column of the domain takes when it
 * has no default of its own; NOT NULL and the CHECKs hold for every value
 * stored in one ("VALUE > 0": the expression names the value VALUE).
 * `constraints` is PCSM_CONSTRAINTS() of PCSM_CHECK only, each named or
 * not (the server names it <domain>_check, numbered when taken), or NULL.
 */
typedef struct pcsm_domain {
    const char *name;
    pcsm_type type;
    const char *collation;
    pcsm_value default_value;
    bool not_null;
    const pcsm_constraint *constraints;
} pcsm_domain;

/*
 * A function, for pcsm_create_function().  Everything but the name is SQL
 * text copied as written: the argument list ("a integer, b text"; "" or
 * NULL for none), the return type ("trigger", "SETOF text"), the body.
 * The language is a plain lower-case name (sql, plpgsql), written unquoted.
 * The body is dollar-quoted on lines of its own: "$$", newline, the body,
 * a newline unless it ends with one, "$$"; a body that holds "$$" gets a
 * tag it does not hold.
 */
typedef struct pcsm_function {
    const char *name;
    const char *arguments;
    const char *returns;
    const char *language;
    const char *body;
    enum pcsm_volatility volatility;
    bool strict;                /* STRICT: NULL for any NULL argument, not called */
    bool security_definer;      /* SECURITY DEFINER: runs as its owner */
    bool or_replace;            /* CREATE OR REPLACE */
} pcsm_function;

enum pcsm_trigger_timing {
    PCSM_TIMING_NONE = 0,       /* "not given": an error */
    PCSM_BEFORE,
    PCSM_AFTER,
    PCSM_INSTEAD_OF,            /* views only, FOR EACH ROW, no WHEN */
};

/* The events of a trigger, OR'ed together (at least one). */
#define PCSM_ON_INSERT          (1u << 0)
#define PCSM_ON_UPDATE          (1u << 1)
#define PCSM_ON_DELETE          (1u << 2)
#define PCSM_ON_TRUNCATE        (1u << 3)   /* FOR EACH STATEMENT only */

/*
 * A trigger, for pcsm_create_trigger(): `function` (a function of no
 * arguments returning trigger) runs for `events` on `table`, once per row
 * or once per statement.  `when` is an SQL condition or NULL.
 */
typedef struct pcsm_trigger {
    const char *name;
    const char *table;
    enum pcsm_trigger_timing timing;
    unsigned events;
    bool for_each_row;          /* false: FOR EACH STATEMENT */
    const char *function;
    const char *when;
    /* The function's schema; NULL: the target schema.  The trigger is its table's. */
    const char *function_schema;
} pcsm_trigger;

/* The commands a policy governs: FOR ALL (the server's default when none is said), or one. */
enum pcsm_policy_command {
    PCSM_POLICY_ALL = 0,
    PCSM_POLICY_SELECT,
    PCSM_POLICY_INSERT,
    PCSM_POLICY_UPDATE,
    PCSM_POLICY_DELETE,
};

/*
 * A row-level security policy, for pcsm_create_policy(): the rows of
 * `table` that `roles` may see or change (`using`) and write (`with_check`)
 * by `command`, once the table's row security is on
 * (pcsm_set_row_security()).  `roles` is PCSM_NAMES("reader", ...), or NULL
 * for PUBLIC ("public" says PUBLIC too); CURRENT_USER and its kin are
 * refused, since they would name whoever runs the migration.  `using` and
 * `with_check` are SQL conditions or NULL; INSERT takes WITH CHECK only,
 * SELECT and DELETE USING only, as the server says.  A restrictive policy
 * must pass as well as one of the permissive ones.
 */
typedef struct pcsm_policy {
    const char *name;
    const char *table;
    enum pcsm_policy_command command;
    bool restrictive;           /* AS RESTRICTIVE; false: PERMISSIVE */
    const char *const *roles;
    const char *using;
    const char *with_check;
} pcsm_policy;

/* What pcsm_set_row_security() does to a table. */
enum pcsm_row_security {
    PCSM_ROW_SECURITY_NONE = 0,     /* "not given": an error */
    PCSM_ROW_SECURITY_ENABLE,       /* policies apply, to all but the owner */
    PCSM_ROW_SECURITY_DISABLE,
    PCSM_ROW_SECURITY_FORCE,        /* to the table's owner too */
    PCSM_ROW_SECURITY_NO_FORCE,
};

/*
 * A view or a materialized view, for pcsm_create_view() and
 * pcsm_create_materialized_view().  `query` is the SELECT as SQL text,
 * copied as written; `columns` (PCSM_NAMES(...), or NULL) names its output
 * columns.  `reads` lists the tables, views and materialized views the
 * query reads (PCSM_NAMES(...)): the schema model cannot parse the query,
 * so it knows the view's dependencies only from there.  Without `reads`,
 * what the view depends on is unknown to the model: it never refuses an
 * operation on the view's account, and lists the view as not verified,
 * as it does raw SQL.
 */
typedef struct pcsm_view {
    const char *name;
    const char *const *columns;
    const char *query;
    const char *const *reads;
    bool or_replace;            /* view only: CREATE OR REPLACE VIEW */
    bool no_data;               /* materialized only: WITH NO DATA (unpopulated) */
} pcsm_view;

/* ---------------------------------------------------------------- schemas */

/*
 * The schema of the objects the calls after it name: pcsm_set_schema(op,
 * "billing") makes pcsm_create_table(op, "invoices", ...) "billing"."invoices",
 * and every later call's table, index, constraint, type, function,
 * sequence, view or trigger is the one in "billing", until the next
 * pcsm_set_schema(); NULL is the target schema again (the runner's
 * --schema, names unqualified).  It holds for one upgrade() or downgrade().
 *
 * It is the schema of what a call creates, alters or drops, as Alembic's
 * `schema=` is: the names inside a definition keep their own, so a foreign
 * key's table is in `ref_schema`, a column's type in PCSM_TYPE_IN()'s
 * schema, a trigger's function in `function_schema`, each NULL for the
 * target schema.  An index lives in its table's schema, a sequence's
 * OWNED BY table in the sequence's.  Extensions belong to no schema: their
 * calls are refused while one is set.
 */
PCSM_API void pcsm_set_schema(pcsm_op *op, const char *schema);
/*
 * CREATE SCHEMA "name"; flags: PCSM_IF_NOT_EXISTS.  These two name the
 * schema itself, whatever pcsm_set_schema() is in force; a name beginning
 * with pg_ is the server's, and refused.
 */
PCSM_API void pcsm_create_schema(pcsm_op *op, const char *name, unsigned flags);
/* DROP SCHEMA "name"; flags: PCSM_IF_EXISTS, PCSM_DROP_CASCADE (what it holds too). */
PCSM_API void pcsm_drop_schema(pcsm_op *op, const char *name, unsigned flags);

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

/* ------------------------------------------------------------ inheritance */

/*
 * CREATE TABLE "table" (...) INHERITS ("parent", ...): a table that has
 * its parents' columns besides its own (each parent's in order, then its
 * own; one of its own named like a parent's is merged into it and must be
 * of its type), and their CHECK constraints (a CHECK of its own of the
 * same name must say the same).  `parents` is PCSM_NAMES(...) of tables
 * in the same schema, neither partitioned nor partitions; `columns` may
 * be NULL (all its columns its parents').  A column or a CHECK added to,
 * dropped from, renamed or retyped on a parent is so on the table; one of
 * its parents' it cannot drop, rename or retype on its own.  Its parent
 * is dropped only with it (PCSM_DROP_CASCADE).
 */
PCSM_API void pcsm_create_table_inherits(pcsm_op *op, const char *table,
                                         const char *const *parents,
                                         const pcsm_column *columns,
                                         const pcsm_constraint *constraints,
                                         const char *comment);
/*
 * ALTER TABLE "table" INHERIT "parent": the table, which has each of the
 * parent's columns (the same type and collation, NOT NULL where the
 * parent's is) and CHECK constraints (by name, saying the same), becomes
 * its child; pcsm_no_inherit() undoes it, and what the table had of the
 * parent stays its own.
 */
PCSM_API void pcsm_inherit(pcsm_op *op, const char *table, const char *parent);
/* ALTER TABLE "table" NO INHERIT "parent". */
PCSM_API void pcsm_no_inherit(pcsm_op *op, const char *table, const char *parent);

/* ------------------------------------------------------------- partitions */

/* How a partitioned table sends each row to one of its partitions. */
enum pcsm_partition_strategy {
    PCSM_PARTITION_NONE = 0,    /* not partitioned */
    PCSM_PARTITION_RANGE,       /* FOR VALUES FROM (...) TO (...) */
    PCSM_PARTITION_LIST,        /* FOR VALUES IN (...) */
    PCSM_PARTITION_HASH,        /* FOR VALUES WITH (MODULUS m, REMAINDER r) */
};

/*
 * PARTITION BY strategy (key, ...): each key a column or an expression,
 * with a collation and an operator class of its own when given (index
 * elements without order, NULLS or operator).
 * PCSM_PARTITION_BY(PCSM_PARTITION_RANGE, { .column = "created_at" }).
 */
typedef struct pcsm_partition_key {
    enum pcsm_partition_strategy strategy;
    const pcsm_index_element *elements;
} pcsm_partition_key;

#define PCSM_PARTITION_BY(strategy, ...) \
    ((pcsm_partition_key){ (strategy), PCSM_ELEMENTS(__VA_ARGS__) })

/*
 * A partition of a partitioned table in the same schema: CREATE TABLE
 * "name" PARTITION OF "parent" bound.  It has its parent's columns (their
 * types, collations, NOT NULL, defaults and generation; not an identity,
 * which stays the parent's); its parent's constraints, indexes and row
 * triggers are its own too, made and named by the server.  `bound` is
 * the SQL the server prints (pg_get_expr of relpartbound), copied as
 * written: "FOR VALUES FROM ('2026-01-01') TO ('2027-01-01')" under RANGE,
 * "FOR VALUES IN ('eu', 'us')" under LIST, "FOR VALUES WITH (modulus 4,
 * remainder 0)" under HASH, or "DEFAULT" (not HASH): the rows no other
 * partition takes.  A partition partitioned itself has a `partition_by`
 * key; `constraints` are its own besides its parent's, or NULL.
 */
typedef struct pcsm_partition {
    const char *name;
    const char *parent;
    const char *bound;
    pcsm_partition_key partition_by;
    const pcsm_constraint *constraints;
    const char *comment;
} pcsm_partition;

/*
 * CREATE TABLE ... PARTITION BY: a table that holds no rows itself, only
 * its partitions do.  Each key column is in every PRIMARY KEY and UNIQUE
 * constraint (an expression key allows none), as the server requires; no
 * EXCLUDE constraint.  Otherwise as pcsm_create_table(), and dropped,
 * renamed, commented and altered by the table calls: a column added,
 * dropped, renamed, retyped or given a default or NOT NULL on the
 * partitioned table is so on every partition (not a column named in the
 * key); an index or a constraint on it is one on each partition, a
 * partition made later included.
 */
PCSM_API void pcsm_create_partitioned_table(pcsm_op *op, const char *table,
                                            pcsm_partition_key key,
                                            const pcsm_column *columns,
                                            const pcsm_constraint *constraints,
                                            const char *comment);
/*
 * CREATE TABLE "name" PARTITION OF "parent" bound [PARTITION BY ...]; the
 * partition goes with pcsm_drop_table(), as it does with its parent.
 */
PCSM_API void pcsm_create_partition(pcsm_op *op, const pcsm_partition *partition);
/*
 * ALTER TABLE "parent" ATTACH PARTITION "table" bound: a table of exactly
 * the parent's columns (names, types and collations; NOT NULL where the
 * parent's are) and the CHECK constraints of the tables above it (by name,
 * saying the same), becomes a partition.  Its indexes and keys that match the parent's become the
 * partition's share of them (the rest the server makes); its rows are
 * scanned for the bound (a CHECK saying the same spares the scan).
 */
PCSM_API void pcsm_attach_partition(pcsm_op *op, const char *parent, const char *table,
                                    const char *bound);
/*
 * ALTER TABLE "parent" DETACH PARTITION "table": the partition, rows
 * kept, becomes a table of its own; what it had of its parent's
 * constraints and indexes stays its own, under the names it had.
 */
PCSM_API void pcsm_detach_partition(pcsm_op *op, const char *parent, const char *table);

/* ---------------------------------------------------------------- columns */

PCSM_API void pcsm_add_column(pcsm_op *op, const char *table, const pcsm_column *column);
PCSM_API void pcsm_drop_column(pcsm_op *op, const char *table, const char *column,
                               unsigned flags);
PCSM_API void pcsm_rename_column(pcsm_op *op, const char *table, const char *column,
                                 const char *new_name);
/* ALTER COLUMN TYPE; `using` is an SQL expression or NULL. */
PCSM_API void pcsm_alter_column_type(pcsm_op *op, const char *table, const char *column,
                                     pcsm_type type, const char *using);
/*
 * ALTER COLUMN TYPE ... COLLATE "collation": the same with a collation.
 * (Without one, the server gives the column the new type's default
 * collation, whatever it had: pcsm_alter_column_type() keeps none.)
 */
PCSM_API void pcsm_alter_column_type_collate(pcsm_op *op, const char *table,
                                             const char *column, pcsm_type type,
                                             const char *collation, const char *using);
PCSM_API void pcsm_set_default(pcsm_op *op, const char *table, const char *column,
                               pcsm_value value);
PCSM_API void pcsm_drop_default(pcsm_op *op, const char *table, const char *column);
PCSM_API void pcsm_set_not_null(pcsm_op *op, const char *table, const char *column);
PCSM_API void pcsm_drop_not_null(pcsm_op *op, const char *table, const char *column);
/*
 * ALTER COLUMN ADD GENERATED ... AS IDENTITY [(options)]: the column must
 * be NOT NULL, of an integer type and without a default; `options` may be
 * NULL.  pcsm_drop_identity() takes it back (the column stays NOT NULL,
 * its sequence goes); flags: PCSM_IF_EXISTS.
 */
PCSM_API void pcsm_add_identity(pcsm_op *op, const char *table, const char *column,
                                enum pcsm_identity identity,
                                const pcsm_sequence_options *options);
/*
 * ALTER COLUMN SET GENERATED ALWAYS / BY DEFAULT: how an identity column
 * makes its values from now on; its sequence and options stay.
 */
PCSM_API void pcsm_set_identity(pcsm_op *op, const char *table, const char *column,
                                enum pcsm_identity identity);
PCSM_API void pcsm_drop_identity(pcsm_op *op, const char *table, const char *column,
                                 unsigned flags);
/* COMMENT ON COLUMN; comment NULL removes it. */
PCSM_API void pcsm_comment_column(pcsm_op *op, const char *table, const char *column,
                                  const char *comment);

/* What pcsm_comment_on() comments on (tables and columns have calls of their own). */
enum pcsm_object_kind {
    PCSM_OBJECT_NONE = 0,
    PCSM_OBJECT_INDEX,
    PCSM_OBJECT_SEQUENCE,
    PCSM_OBJECT_VIEW,
    PCSM_OBJECT_MATERIALIZED_VIEW,
    PCSM_OBJECT_TYPE,
    PCSM_OBJECT_FUNCTION,
    PCSM_OBJECT_CONSTRAINT,
    PCSM_OBJECT_TRIGGER,
    PCSM_OBJECT_POLICY,
    PCSM_OBJECT_DOMAIN,
};
/*
 * COMMENT ON <kind> "name" [ON "of"] IS comment; comment NULL removes it.
 * `of` is the table of a constraint, trigger or policy; for a function,
 * its argument list as pcsm_drop_function() takes it ("" for none, NULL:
 * the only function of that name); NULL for the rest.  A comment belongs
 * to its object: renamed, the object keeps it; dropped (or made again),
 * it is gone.
 */
PCSM_API void pcsm_comment_on(pcsm_op *op, enum pcsm_object_kind kind, const char *name,
                              const char *of, const char *comment);

/* ------------------------------------------------ indexes and constraints */

/*
 * CREATE [UNIQUE] INDEX ["name"] ON "table" ...: without a name the server
 * names it <table>_<columns>_idx (an expression by its function's name, or
 * "expr"), numbered when taken, and the model knows that name; refused
 * unnamed with if_not_exists or concurrently, which need one, and in
 * replay for an expression whose name the model cannot tell.  Refused too:
 * not exactly one of columns, expression and elements; an element with
 * both a column and an expression, or neither; NULLS NOT DISTINCT on an
 * index that is not unique.
 */
PCSM_API void pcsm_create_index(pcsm_op *op, const pcsm_index *index);
PCSM_API void pcsm_drop_index(pcsm_op *op, const char *name, unsigned flags);
/*
 * ALTER INDEX "index" ATTACH PARTITION "partition_index": an index of a
 * partition, alike, becomes its share of its partitioned table's index
 * (one made ON ONLY), which is valid once each partition has one.
 */
PCSM_API void pcsm_attach_index(pcsm_op *op, const char *index, const char *partition_index);
/*
 * ALTER INDEX "name" RENAME TO "new_name".  The index behind a PRIMARY KEY
 * or UNIQUE constraint may be renamed so too: the server renames the
 * constraint with it.
 */
PCSM_API void pcsm_rename_index(pcsm_op *op, const char *name, const char *new_name);
/*
 * ALTER TABLE ADD [CONSTRAINT "name"] ...: without a name the server
 * chooses <table>_pkey, <table>_<columns>_key, <table>_<columns>_fkey,
 * <table>_<column>_check (one column read) or <table>_check, numbered when
 * taken; the model knows it, so a later drop by that name replays.
 */
PCSM_API void pcsm_add_constraint(pcsm_op *op, const char *table,
                                  const pcsm_constraint *constraint);
PCSM_API void pcsm_drop_constraint(pcsm_op *op, const char *table, const char *name,
                                   unsigned flags);
/*
 * ALTER TABLE VALIDATE CONSTRAINT: checks the rows of a FOREIGN_KEY or CHECK
 * constraint added with .not_valid, which then holds for all of them.  The
 * second half of adding one to a table in use: NOT VALID (a brief lock, no
 * scan) in one revision, this in a later one, which scans the table under
 * SHARE UPDATE EXCLUSIVE only (writes go on).  A valid one: nothing to do.
 */
PCSM_API void pcsm_validate_constraint(pcsm_op *op, const char *table, const char *name);
/*
 * ALTER TABLE "table" RENAME CONSTRAINT "name" TO "new_name": a PRIMARY KEY's
 * or UNIQUE constraint's index takes the new name too, as the server does.
 */
PCSM_API void pcsm_rename_constraint(pcsm_op *op, const char *table, const char *name,
                                     const char *new_name);

/* -------------------------------------------------------------- sequences */

/*
 * CREATE SEQUENCE "name" [options] [OWNED BY "table"."column"]: `options`
 * may be NULL (a bigint from 1 by 1); owned_by_table and owned_by_column,
 * both or neither, make it the column's, dropped with the column or its
 * table.  Refused as the server refuses it: MINVALUE not below MAXVALUE,
 * START outside them, a bound outside the type's range, a CACHE below 1.
 * A column takes its values with PCSM_EXPR("nextval('name')").
 */
PCSM_API void pcsm_create_sequence(pcsm_op *op, const char *name,
                                   const pcsm_sequence_options *options,
                                   const char *owned_by_table, const char *owned_by_column);
/*
 * ALTER SEQUENCE "name" options: what `options` gives changes, the rest
 * stays; restart = PCSM_SEQ_VALUE(n) is RESTART WITH n.  Changing `as`
 * moves a bound that was the old type's default to the new type's, as
 * the server does.  Works on an identity column's sequence too.
 */
PCSM_API void pcsm_alter_sequence(pcsm_op *op, const char *name,
                                  const pcsm_sequence_options *options);
/* ALTER SEQUENCE "name" OWNED BY "table"."column", or OWNED BY NONE when table is NULL. */
PCSM_API void pcsm_set_sequence_owner(pcsm_op *op, const char *name, const char *table,
                                      const char *column);
PCSM_API void pcsm_rename_sequence(pcsm_op *op, const char *name, const char *new_name);
/*
 * DROP SEQUENCE; flags: PCSM_IF_EXISTS, PCSM_DROP_CASCADE (which drops the
 * column defaults that call nextval() on it).  An identity column's
 * sequence is the column's: drop the identity instead.
 */
PCSM_API void pcsm_drop_sequence(pcsm_op *op, const char *name, unsigned flags);

/* ------------------------------------------------------------------ views */

/*
 * CREATE [OR REPLACE] VIEW "name" ("c1", "c2") AS
 * query;
 * Replacing keeps the view's columns: the new query may only add some at
 * the end (the server checks their types, the model only the names it
 * was given).
 */
PCSM_API void pcsm_create_view(pcsm_op *op, const pcsm_view *view);
/* ALTER VIEW "name" RENAME TO "new_name": the views that read it follow. */
PCSM_API void pcsm_rename_view(pcsm_op *op, const char *name, const char *new_name);
/* DROP VIEW; flags: PCSM_IF_EXISTS, PCSM_DROP_CASCADE (the views that read it too). */
PCSM_API void pcsm_drop_view(pcsm_op *op, const char *name, unsigned flags);
/*
 * CREATE MATERIALIZED VIEW "name" ("c1", "c2") AS
 * query WITH [NO] DATA;
 * (no or_replace).  Its indexes are pcsm_create_index() with the view as
 * their table, and go with it.
 */
PCSM_API void pcsm_create_materialized_view(pcsm_op *op, const pcsm_view *view);
/*
 * REFRESH MATERIALIZED VIEW [CONCURRENTLY] "name" [WITH NO DATA]; flags:
 * PCSM_REFRESH_CONCURRENTLY (readers not blocked: needs a unique index on
 * plain columns with no WHERE, and a populated view; runs inside a
 * transaction), PCSM_REFRESH_NO_DATA (empties it, unpopulated), not both.
 */
PCSM_API void pcsm_refresh_materialized_view(pcsm_op *op, const char *name, unsigned flags);
/* ALTER MATERIALIZED VIEW "name" RENAME TO "new_name". */
PCSM_API void pcsm_rename_materialized_view(pcsm_op *op, const char *name,
                                            const char *new_name);
/* DROP MATERIALIZED VIEW; flags: PCSM_IF_EXISTS, PCSM_DROP_CASCADE. */
PCSM_API void pcsm_drop_materialized_view(pcsm_op *op, const char *name, unsigned flags);

/* ------------------------------------------------------------- extensions */

/*
 * CREATE EXTENSION IF NOT EXISTS: always IF NOT EXISTS, since an extension
 * is often installed by whoever set up the server before any revision ran.
 * flags: PCSM_CREATE_CASCADE to create the extensions it requires too.
 * The objects an extension brings (its types, functions) are its own: the
 * schema model knows the extension, not them.
 */
PCSM_API void pcsm_create_extension(pcsm_op *op, const char *name, unsigned flags);
/* DROP EXTENSION; flags: PCSM_IF_EXISTS, PCSM_DROP_CASCADE. */
PCSM_API void pcsm_drop_extension(pcsm_op *op, const char *name, unsigned flags);

/* ------------------------------------------------------------------ types */

/*
 * CREATE TYPE name AS ENUM: `labels` (PCSM_LABELS(...)) in sort order, at
 * least one, each at most 63 bytes, none twice.  Use the type in columns
 * with PCSM_NAMED_TYPE(name).
 */
PCSM_API void pcsm_create_enum(pcsm_op *op, const char *name, const char *const *labels);
/*
 * ALTER TYPE ADD VALUE: `label` at `place` (PCSM_AT_END, PCSM_BEFORE_LABEL
 * or PCSM_AFTER_LABEL of an existing label).  flags: PCSM_IF_NOT_EXISTS.
 * PostgreSQL 12 and later run it inside a transaction, but the new value
 * cannot be *used* (inserted, compared, made a default) until that
 * transaction commits: use it in a later revision, not the same one.
 * (Replaying the revisions, `pcs-migrate schema` catches a literal default.)
 */
PCSM_API void pcsm_add_enum_value(pcsm_op *op, const char *type, const char *label,
                                  pcsm_enum_place place, unsigned flags);
/* ALTER TYPE RENAME VALUE (PostgreSQL 10 and later). */
PCSM_API void pcsm_rename_enum_value(pcsm_op *op, const char *type, const char *label,
                                     const char *new_label);
/*
 * A column of an enum pcsm_recreate_enum() converts: `table`.`column`
 * (PCSM_ENUM_COLUMNS({ .table = "t", .column = "c" }, ...)), `array` when
 * it is an array of the enum; `default_value` is set after the conversion
 * (its default is dropped first, since the old type's value cannot be
 * cast to the new type).  The conversion reaches the column's partitions
 * and inheriting tables, as ALTER COLUMN TYPE does: list the top one.
 */
typedef struct pcsm_enum_column {
    const char *table;
    const char *column;
    bool array;
    pcsm_value default_value;
} pcsm_enum_column;
#define PCSM_ENUM_COLUMNS(...)  ((const pcsm_enum_column[]){ __VA_ARGS__, { 0 } })

/*
 * An enum made again with `labels` (PCSM_LABELS(...)), for what ADD VALUE
 * and RENAME VALUE cannot do: a label dropped, labels reordered.  In the
 * migration's transaction the type is renamed "pcsm_enum_old", made anew
 * under its name, each of `columns` (NULL: none) converted through text
 * (ALTER COLUMN TYPE ... USING c::text::type), and the old one dropped.
 * Every column of the type must be listed, and nothing else may use it (a
 * domain, a composite or range type, a function): the old type could not
 * be dropped.  A row holding a label the new type lacks fails the
 * conversion, and the migration with it.  The new type has no comment and
 * the privileges a new type gets.  Its downgrade is the same call with
 * the old labels.
 */
PCSM_API void pcsm_recreate_enum(pcsm_op *op, const char *type, const char *const *labels,
                                 const pcsm_enum_column *columns);
/*
 * DROP TYPE of an enum, a composite type or a domain; flags:
 * PCSM_IF_EXISTS, PCSM_DROP_CASCADE (which drops the columns of that
 * type, the domains over it, and the functions taking or returning it).
 */
PCSM_API void pcsm_drop_type(pcsm_op *op, const char *name, unsigned flags);

/*
 * CREATE TYPE "name" AS ("a" integer, "b" text COLLATE "C"): a row type of
 * its own, no attribute twice (none at all is AS (), as the server allows).  A column, a domain or a
 * function uses it by PCSM_NAMED_TYPE(name); pcsm_drop_type() drops it.
 */
PCSM_API void pcsm_create_composite_type(pcsm_op *op, const char *name,
                                         const pcsm_attribute *attributes);
/* ALTER TYPE "type" ADD ATTRIBUTE ...: at the end. */
PCSM_API void pcsm_add_attribute(pcsm_op *op, const char *type,
                                 const pcsm_attribute *attribute);
/* ALTER TYPE "type" DROP ATTRIBUTE [IF EXISTS] "attribute"; flags: PCSM_IF_EXISTS. */
PCSM_API void pcsm_drop_attribute(pcsm_op *op, const char *type, const char *attribute,
                                  unsigned flags);
/*
 * ALTER TYPE "type" ALTER ATTRIBUTE "attribute" TYPE t [COLLATE c]: refused
 * by the server while a column is of the composite type.
 */
PCSM_API void pcsm_alter_attribute_type(pcsm_op *op, const char *type, const char *attribute,
                                        pcsm_type attribute_type, const char *collation);
PCSM_API void pcsm_rename_attribute(pcsm_op *op, const char *type, const char *attribute,
                                    const char *new_name);
/*
 * CREATE TYPE "name" AS RANGE (SUBTYPE = ..., ...), one statement; the
 * server makes its multirange type and the constructors of both with it.
 * A column, a domain, an attribute or a function uses either type by
 * PCSM_NAMED_TYPE(name); pcsm_drop_type() drops both.
 */
PCSM_API void pcsm_create_range_type(pcsm_op *op, const pcsm_range_type *range);

/* ------------------------------------------------------------- collations */

/*
 * CREATE COLLATION "name" (PROVIDER = icu, LOCALE = 'und-u-ks-level2',
 * DETERMINISTIC = false), one statement.  A column or an index key names
 * it by its `.collation`.
 */
PCSM_API void pcsm_create_collation(pcsm_op *op, const pcsm_collation *collation);
/* ALTER COLLATION "name" RENAME TO "new_name": the columns using it follow. */
PCSM_API void pcsm_rename_collation(pcsm_op *op, const char *name, const char *new_name);
/*
 * DROP COLLATION; flags: PCSM_IF_EXISTS.  Not while a column uses it (the
 * server would drop the column with CASCADE: alter the column first).
 */
PCSM_API void pcsm_drop_collation(pcsm_op *op, const char *name, unsigned flags);

/* ---------------------------------------------------------------- domains */

/*
 * CREATE DOMAIN "name" AS type [COLLATE] [DEFAULT] [NOT NULL]
 * [CONSTRAINT "c"] CHECK (...) ...; one statement.
 */
PCSM_API void pcsm_create_domain(pcsm_op *op, const pcsm_domain *domain);
/* ALTER DOMAIN "name" RENAME TO "new_name": the columns of the domain follow. */
PCSM_API void pcsm_rename_domain(pcsm_op *op, const char *name, const char *new_name);
/*
 * DROP DOMAIN; flags: PCSM_IF_EXISTS, PCSM_DROP_CASCADE (which drops the
 * columns of the domain, the domains over it and the functions taking or
 * returning it).
 */
PCSM_API void pcsm_drop_domain(pcsm_op *op, const char *name, unsigned flags);
/*
 * ALTER DOMAIN SET DEFAULT / DROP DEFAULT: the default of the domain's
 * columns from now on (a column's own default wins).
 */
PCSM_API void pcsm_set_domain_default(pcsm_op *op, const char *name, pcsm_value value);
PCSM_API void pcsm_drop_domain_default(pcsm_op *op, const char *name);
/* ALTER DOMAIN SET NOT NULL (checks the stored values) / DROP NOT NULL. */
PCSM_API void pcsm_set_domain_not_null(pcsm_op *op, const char *name);
PCSM_API void pcsm_drop_domain_not_null(pcsm_op *op, const char *name);
/*
 * ALTER DOMAIN ADD [CONSTRAINT "c"] CHECK (...) [NOT VALID]: a PCSM_CHECK
 * constraint; .not_valid skips the stored values, which
 * pcsm_validate_domain_constraint() then checks (SHARE lock on the
 * tables, as the server takes).
 */
PCSM_API void pcsm_add_domain_constraint(pcsm_op *op, const char *name,
                                         const pcsm_constraint *constraint);
/* ALTER DOMAIN DROP CONSTRAINT [IF EXISTS] "constraint"; flags: PCSM_IF_EXISTS. */
PCSM_API void pcsm_drop_domain_constraint(pcsm_op *op, const char *name,
                                          const char *constraint, unsigned flags);
PCSM_API void pcsm_validate_domain_constraint(pcsm_op *op, const char *name,
                                              const char *constraint);
PCSM_API void pcsm_rename_domain_constraint(pcsm_op *op, const char *name,
                                            const char *constraint, const char *new_name);

/* -------------------------------------------------- functions and triggers */

/*
 * CREATE [OR REPLACE] FUNCTION, one statement:
 *     CREATE FUNCTION "name"(arguments) RETURNS returns
 *     LANGUAGE language [volatility] [STRICT] [SECURITY DEFINER] AS $$
 *     body$$;
 */
PCSM_API void pcsm_create_function(pcsm_op *op, const pcsm_function *function);
/*
 * DROP FUNCTION "name"(arguments): the argument list as created (the
 * server reads only the types), "" for none.  arguments NULL writes no
 * list at all, which the server accepts when the name is not overloaded.
 * flags: PCSM_IF_EXISTS, PCSM_DROP_CASCADE (its triggers too).
 */
PCSM_API void pcsm_drop_function(pcsm_op *op, const char *name, const char *arguments,
                                 unsigned flags);
/*
 * CREATE TRIGGER, one statement:
 *     CREATE TRIGGER "name" BEFORE UPDATE ON "table"
 *     FOR EACH ROW [WHEN (when)] EXECUTE FUNCTION "function"();
 * A trigger belongs to its table: dropping the table drops it, renaming
 * the table takes it along.  A view's trigger (INSTEAD OF, or for each
 * statement) is made as the server makes it, but the schema model holds
 * none: schema, diff and drift list it as not verified.
 */
PCSM_API void pcsm_create_trigger(pcsm_op *op, const pcsm_trigger *trigger);
/* DROP TRIGGER "name" ON "table"; flags: PCSM_IF_EXISTS, PCSM_DROP_CASCADE. */
PCSM_API void pcsm_drop_trigger(pcsm_op *op, const char *table, const char *name,
                                unsigned flags);
/*
 * When a trigger fires, as ALTER TABLE "table" ENABLE | DISABLE TRIGGER
 * "name" sets it (pg_trigger.tgenabled).  A new trigger fires as
 * PCSM_TRIGGER_ENABLE does; session_replication_role decides the rest.
 */
enum pcsm_trigger_firing {
    PCSM_TRIGGER_ENABLE = 0,        /* ENABLE: fires unless the session is a replica */
    PCSM_TRIGGER_DISABLE,           /* DISABLE: never fires */
    PCSM_TRIGGER_ENABLE_REPLICA,    /* ENABLE REPLICA: fires only in a replica session */
    PCSM_TRIGGER_ENABLE_ALWAYS,     /* ENABLE ALWAYS: fires in every session */
};
/* ALTER TABLE "table" ENABLE | DISABLE | ENABLE REPLICA | ENABLE ALWAYS TRIGGER "name". */
PCSM_API void pcsm_set_trigger_firing(pcsm_op *op, const char *table, const char *name,
                                      enum pcsm_trigger_firing firing);

/* ------------------------------------------------------ row-level security */

/*
 * CREATE POLICY, one statement:
 *     CREATE POLICY "name" ON "table" AS PERMISSIVE FOR SELECT
 *     TO "reader" USING (using) WITH CHECK (with_check);
 * A policy belongs to its table, as a trigger does; a column its
 * conditions read cannot be dropped while it stands (unless CASCADE,
 * which drops it) nor change its type.
 */
PCSM_API void pcsm_create_policy(pcsm_op *op, const pcsm_policy *policy);
/* DROP POLICY "name" ON "table"; flags: PCSM_IF_EXISTS. */
PCSM_API void pcsm_drop_policy(pcsm_op *op, const char *table, const char *name,
                               unsigned flags);
/*
 * ALTER TABLE "table" ENABLE | DISABLE | FORCE | NO FORCE ROW LEVEL
 * SECURITY.  Enabled, a table shows no rows to a role no policy admits;
 * forced, its owner is bound by the policies too.  The two are
 * independent: each undoes only its own opposite.
 */
PCSM_API void pcsm_set_row_security(pcsm_op *op, const char *table,
                                    enum pcsm_row_security how);

/* ------------------------------------------------------------- privileges */

/* What a privilege is on. */
enum pcsm_privilege_object {
    PCSM_PRIVILEGE_NONE = 0,
    PCSM_PRIVILEGE_TABLE,       /* a table, a view or a materialized view (or its columns) */
    PCSM_PRIVILEGE_SEQUENCE,
    PCSM_PRIVILEGE_FUNCTION,
    PCSM_PRIVILEGE_TYPE,        /* an enum, a domain or a composite type */
};

/*
 * The privileges, as GRANT names them.  A table takes SELECT, INSERT,
 * UPDATE, DELETE, TRUNCATE, REFERENCES and TRIGGER (its columns SELECT,
 * INSERT, UPDATE and REFERENCES); a sequence USAGE, SELECT and UPDATE; a
 * function EXECUTE; a type USAGE.  PCSM_PRIV_ALL is ALL PRIVILEGES: every
 * one the object takes.
 */
#define PCSM_PRIV_SELECT        (1u << 0)
#define PCSM_PRIV_INSERT        (1u << 1)
#define PCSM_PRIV_UPDATE        (1u << 2)
#define PCSM_PRIV_DELETE        (1u << 3)
#define PCSM_PRIV_TRUNCATE      (1u << 4)
#define PCSM_PRIV_REFERENCES    (1u << 5)
#define PCSM_PRIV_TRIGGER       (1u << 6)
#define PCSM_PRIV_USAGE         (1u << 7)
#define PCSM_PRIV_EXECUTE       (1u << 8)
#define PCSM_PRIV_ALL           (~0u)

/*
 * A GRANT or REVOKE, for pcsm_grant() and pcsm_revoke(): `privileges` on
 * the object `on` names, to or from `roles` (PCSM_NAMES("reader", ...);
 * "public" says PUBLIC; CURRENT_USER and its kin are refused, as for a
 * policy).  The object is in the schema pcsm_set_schema() said; a
 * function is named by `name` and `arguments` as pcsm_drop_function()
 * takes them.  `columns` (a table's only) grants on those columns rather
 * than the table.  With `grant_option`, GRANT adds WITH GRANT OPTION and
 * REVOKE takes back only the option (REVOKE GRANT OPTION FOR).
 *
 * The model keeps what each role other than the owner holds, starting
 * from what the server gives a new object (EXECUTE on a function and
 * USAGE on a type to PUBLIC, nothing else) and the default privileges
 * in force (pcsm_grant_default()), so a privilege equal to the server's
 * default is never a difference.  The owner's own privileges are not
 * the model's.  Revoking what a role does not hold does nothing; revoking
 * on a table takes the same from its columns, as the server does.
 */
typedef struct pcsm_privileges {
    enum pcsm_privilege_object on;
    const char *name;
    const char *arguments;      /* PCSM_PRIVILEGE_FUNCTION only: "" none, NULL the only one */
    const char *const *columns; /* PCSM_PRIVILEGE_TABLE only; NULL: the object's own */
    unsigned privileges;        /* PCSM_PRIV_* */
    const char *const *roles;
    bool grant_option;
} pcsm_privileges;

/* GRANT privileges ON <on> "name" TO roles [WITH GRANT OPTION]. */
PCSM_API void pcsm_grant(pcsm_op *op, const pcsm_privileges *grant);
/* REVOKE [GRANT OPTION FOR] privileges ON <on> "name" FROM roles. */
PCSM_API void pcsm_revoke(pcsm_op *op, const pcsm_privileges *grant);

/*
 * Default privileges, for pcsm_grant_default() and pcsm_revoke_default():
 * what objects of kind `on` get when they are made (ALTER DEFAULT
 * PRIVILEGES ... ON TABLES | SEQUENCES | FUNCTIONS | TYPES), those of
 * `for_role` (FOR ROLE; NULL: the role that runs the migration), in the
 * schema pcsm_set_schema() said (the target schema if none) when
 * `in_schema`, else in every schema.  What is set for every schema
 * replaces what the server gives (so REVOKE EXECUTE ON FUNCTIONS FROM
 * PUBLIC takes EXECUTE from the functions made after it); what is set in
 * a schema adds to it, so only a grant made there can be revoked there.
 * Objects made before are not touched.
 */
typedef struct pcsm_default_privileges {
    enum pcsm_privilege_object on;
    unsigned privileges;
    const char *const *roles;
    bool grant_option;
    bool in_schema;
    const char *for_role;
} pcsm_default_privileges;

PCSM_API void pcsm_grant_default(pcsm_op *op, const pcsm_default_privileges *defaults);
PCSM_API void pcsm_revoke_default(pcsm_op *op, const pcsm_default_privileges *defaults);

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

/*
 * An autocommit block, as Alembic's autocommit_block(): the operations
 * recorded between pcsm_autocommit_begin() and pcsm_autocommit_end() run
 * outside any transaction, one statement at a time, in a revision that is
 * otherwise transactional.  Rendered as COMMIT before the block and BEGIN
 * after it (--sql): what the revision did before the block is committed
 * when the block starts, so that a label added by pcsm_add_enum_value
 * before or in the block can be used after it, and what follows the block
 * runs in a new transaction, with the version and history rows.
 * CREATE INDEX CONCURRENTLY and DROP INDEX CONCURRENTLY are accepted inside
 * a block.
 *
 * Such a revision is not atomic, and a live run treats it as it treats a
 * nontransactional one: it runs alone, on a second connection, while the
 * first keeps the migration lock (a transaction-level lock, which a COMMIT
 * on its connection would release); each part between blocks is a
 * transaction there, committed with a 'part' history row, and each block
 * statement runs alone, then gets its row.  A failure or a kill leaves
 * what committed; the next run skips the parts and statements, unchanged,
 * that an earlier run committed (a kill between a block statement and its
 * row runs that statement again), resumes concurrent index builds from the
 * catalog, and runs the rest.  The version table moves last, in the lock's
 * transaction.
 *
 * Refused: a block in a revision flagged nontransactional (it runs outside
 * a transaction already), a block inside a block or inside a guard
 * (pcsm_if), an end without a begin, a block still open when upgrade() or
 * downgrade() returns, and inside a block what needs a transaction:
 * pcsm_lock_table, pcsm_if, pcsm_set_local (a setting made before the block
 * lasts until the block begins).
 */
PCSM_API void pcsm_autocommit_begin(pcsm_op *op);
PCSM_API void pcsm_autocommit_end(pcsm_op *op);

/* ------------------------------------------ session settings, locks, guards */

/*
 * A session setting for the rest of the revision: SET LOCAL name = 'value'
 * (the value always a quoted literal, as SET takes every setting's value).
 * `name` is a setting's name: letters, digits and '_', with at most one '.'
 * (a custom setting, "myapp.flag").  The runner (and a --sql script) saves
 * the setting before the revision and puts it back after it, so the next
 * revision never sees it, in the same transaction either.  In a revision
 * flagged nontransactional, where SET LOCAL would do nothing, it is
 * SET name = 'value', RESET once the revision ends, failed or not.  Set after
 * the runner's own lock_timeout and statement_timeout (--ddl-lock-timeout,
 * --statement-timeout): the revision's value wins for the statements that
 * follow it, and the runner's is back for the next revision.  No schema
 * effect.
 */
PCSM_API void pcsm_set_local(pcsm_op *op, const char *name, const char *value);

/* The eight table lock modes of LOCK TABLE, weakest first. */
enum pcsm_lock_mode {
    PCSM_LOCK_ACCESS_SHARE,
    PCSM_LOCK_ROW_SHARE,
    PCSM_LOCK_ROW_EXCLUSIVE,
    PCSM_LOCK_SHARE_UPDATE_EXCLUSIVE,
    PCSM_LOCK_SHARE,
    PCSM_LOCK_SHARE_ROW_EXCLUSIVE,
    PCSM_LOCK_EXCLUSIVE,
    PCSM_LOCK_ACCESS_EXCLUSIVE,
};
/* lock_table's own flag: fail at once rather than wait. */
#define PCSM_LOCK_NOWAIT        (1u << 0)

/*
 * LOCK TABLE "table" IN <mode> MODE [NOWAIT], held to the end of the
 * revision's transaction.  Refused in a revision flagged nontransactional:
 * the server refuses LOCK TABLE outside a transaction block.
 */
PCSM_API void pcsm_lock_table(pcsm_op *op, const char *table, enum pcsm_lock_mode mode,
                              unsigned flags);

/*
 * A run-time guard: the operations recorded between pcsm_if() and
 * pcsm_end_if() run only if the boolean SQL `condition` (for example
 * "NOT EXISTS (SELECT 1 FROM pg_indexes WHERE indexname = 'ix')") is true
 * when the revision runs.  Online the runner asks SELECT (condition) in the
 * revision's transaction (NULL is false) and logs which way it went;
 * --sql writes DO $tag$ BEGIN IF (condition) THEN EXECUTE '<statements>';
 * ... END IF; END $tag$; with a NOTICE of which way it went.  Refused,
 * naming the line: a guard inside a guard, an empty guard, one left open at
 * the end of upgrade() or downgrade(), and a guard in a revision flagged
 * nontransactional (no transaction to ask in; CONCURRENTLY cannot run in
 * DO), so that no guard reaches --sql that DO cannot run.  The schema model
 * cannot know the condition: the objects the guarded operations name are
 * not verified, as raw SQL's are.
 */
PCSM_API void pcsm_if(pcsm_op *op, const char *condition);
PCSM_API void pcsm_end_if(pcsm_op *op);

/*
 * pcsm_batch_update with a source: UPDATE `table` SET `set_sql` FROM
 * `from_sql` WHERE <the batch's keys> AND (`where_sql`), batch by batch in
 * order of `key` as pcsm_batch_update walks.  `from_sql` is a FROM list
 * ("accounts a" or "LATERAL (...) s"); the join condition belongs in
 * `where_sql` (NULL: none, a cross join).  A row of `table` that the join
 * matches more than once gets one of the matches, as UPDATE ... FROM does.
 */
PCSM_API void pcsm_batch_update_from(pcsm_op *op, const char *table, const char *key,
                                     const char *set_sql, const char *from_sql,
                                     const char *where_sql, long batch_size);

/* ------------------------------------------------------ where each call is */

/*
 * Every call above records the source line it was made from, for messages
 * that point at it (pcs-migrate lint): each is also a macro of its own name
 * that hands __LINE__ over through pcsm_op_line_() and then calls the
 * function, which the macro cannot expand into again.  The library itself,
 * defining the functions, defines PCSM_DDL_NO_CALL_LINES first.
 */
/* Remembers `line` for the next operation recorded on op; returns op. */
PCSM_API pcsm_op *pcsm_op_line_(pcsm_op *op, unsigned line);

#ifndef PCSM_DDL_NO_CALL_LINES
#define PCSM_LINE_(op) pcsm_op_line_((op), __LINE__)
#define pcsm_create_table(op, ...) pcsm_create_table(PCSM_LINE_(op), __VA_ARGS__)
#define pcsm_drop_table(op, ...) pcsm_drop_table(PCSM_LINE_(op), __VA_ARGS__)
#define pcsm_rename_table(op, ...) pcsm_rename_table(PCSM_LINE_(op), __VA_ARGS__)
#define pcsm_comment_table(op, ...) pcsm_comment_table(PCSM_LINE_(op), __VA_ARGS__)
#define pcsm_create_partitioned_table(op, ...) \
    pcsm_create_partitioned_table(PCSM_LINE_(op), __VA_ARGS__)
#define pcsm_create_partition(op, ...) pcsm_create_partition(PCSM_LINE_(op), __VA_ARGS__)
#define pcsm_create_table_inherits(op, ...) \
    pcsm_create_table_inherits(PCSM_LINE_(op), __VA_ARGS__)
#define pcsm_inherit(op, ...) pcsm_inherit(PCSM_LINE_(op), __VA_ARGS__)
#define pcsm_no_inherit(op, ...) pcsm_no_inherit(PCSM_LINE_(op), __VA_ARGS__)
#define pcsm_attach_partition(op, ...) pcsm_attach_partition(PCSM_LINE_(op), __VA_ARGS__)
#define pcsm_detach_partition(op, ...) pcsm_detach_partition(PCSM_LINE_(op), __VA_ARGS__)
#define pcsm_add_column(op, ...) pcsm_add_column(PCSM_LINE_(op), __VA_ARGS__)
#define pcsm_drop_column(op, ...) pcsm_drop_column(PCSM_LINE_(op), __VA_ARGS__)
#define pcsm_rename_column(op, ...) pcsm_rename_column(PCSM_LINE_(op), __VA_ARGS__)
#define pcsm_alter_column_type(op, ...) pcsm_alter_column_type(PCSM_LINE_(op), __VA_ARGS__)
#define pcsm_alter_column_type_collate(op, ...) \
    pcsm_alter_column_type_collate(PCSM_LINE_(op), __VA_ARGS__)
#define pcsm_set_default(op, ...) pcsm_set_default(PCSM_LINE_(op), __VA_ARGS__)
#define pcsm_drop_default(op, ...) pcsm_drop_default(PCSM_LINE_(op), __VA_ARGS__)
#define pcsm_set_not_null(op, ...) pcsm_set_not_null(PCSM_LINE_(op), __VA_ARGS__)
#define pcsm_drop_not_null(op, ...) pcsm_drop_not_null(PCSM_LINE_(op), __VA_ARGS__)
#define pcsm_add_identity(op, ...) pcsm_add_identity(PCSM_LINE_(op), __VA_ARGS__)
#define pcsm_drop_identity(op, ...) pcsm_drop_identity(PCSM_LINE_(op), __VA_ARGS__)
#define pcsm_set_identity(op, ...) pcsm_set_identity(PCSM_LINE_(op), __VA_ARGS__)
#define pcsm_comment_column(op, ...) pcsm_comment_column(PCSM_LINE_(op), __VA_ARGS__)
#define pcsm_comment_on(op, ...) pcsm_comment_on(PCSM_LINE_(op), __VA_ARGS__)
#define pcsm_create_index(op, ...) pcsm_create_index(PCSM_LINE_(op), __VA_ARGS__)
#define pcsm_drop_index(op, ...) pcsm_drop_index(PCSM_LINE_(op), __VA_ARGS__)
#define pcsm_add_constraint(op, ...) pcsm_add_constraint(PCSM_LINE_(op), __VA_ARGS__)
#define pcsm_drop_constraint(op, ...) pcsm_drop_constraint(PCSM_LINE_(op), __VA_ARGS__)
#define pcsm_validate_constraint(op, ...) \
    pcsm_validate_constraint(PCSM_LINE_(op), __VA_ARGS__)
#define pcsm_create_sequence(op, ...) pcsm_create_sequence(PCSM_LINE_(op), __VA_ARGS__)
#define pcsm_alter_sequence(op, ...) pcsm_alter_sequence(PCSM_LINE_(op), __VA_ARGS__)
#define pcsm_set_sequence_owner(op, ...) pcsm_set_sequence_owner(PCSM_LINE_(op), __VA_ARGS__)
#define pcsm_rename_sequence(op, ...) pcsm_rename_sequence(PCSM_LINE_(op), __VA_ARGS__)
#define pcsm_drop_sequence(op, ...) pcsm_drop_sequence(PCSM_LINE_(op), __VA_ARGS__)
#define pcsm_create_view(op, ...) pcsm_create_view(PCSM_LINE_(op), __VA_ARGS__)
#define pcsm_rename_view(op, ...) pcsm_rename_view(PCSM_LINE_(op), __VA_ARGS__)
#define pcsm_drop_view(op, ...) pcsm_drop_view(PCSM_LINE_(op), __VA_ARGS__)
#define pcsm_create_materialized_view(op, ...) \
    pcsm_create_materialized_view(PCSM_LINE_(op), __VA_ARGS__)
#define pcsm_refresh_materialized_view(op, ...) \
    pcsm_refresh_materialized_view(PCSM_LINE_(op), __VA_ARGS__)
#define pcsm_rename_materialized_view(op, ...) \
    pcsm_rename_materialized_view(PCSM_LINE_(op), __VA_ARGS__)
#define pcsm_drop_materialized_view(op, ...) \
    pcsm_drop_materialized_view(PCSM_LINE_(op), __VA_ARGS__)
#define pcsm_create_extension(op, ...) pcsm_create_extension(PCSM_LINE_(op), __VA_ARGS__)
#define pcsm_drop_extension(op, ...) pcsm_drop_extension(PCSM_LINE_(op), __VA_ARGS__)
#define pcsm_create_enum(op, ...) pcsm_create_enum(PCSM_LINE_(op), __VA_ARGS__)
#define pcsm_add_enum_value(op, ...) pcsm_add_enum_value(PCSM_LINE_(op), __VA_ARGS__)
#define pcsm_rename_enum_value(op, ...) pcsm_rename_enum_value(PCSM_LINE_(op), __VA_ARGS__)
#define pcsm_drop_type(op, ...) pcsm_drop_type(PCSM_LINE_(op), __VA_ARGS__)
#define pcsm_create_composite_type(op, ...) pcsm_create_composite_type(PCSM_LINE_(op), __VA_ARGS__)
#define pcsm_create_range_type(op, ...) pcsm_create_range_type(PCSM_LINE_(op), __VA_ARGS__)
#define pcsm_add_attribute(op, ...) pcsm_add_attribute(PCSM_LINE_(op), __VA_ARGS__)
#define pcsm_drop_attribute(op, ...) pcsm_drop_attribute(PCSM_LINE_(op), __VA_ARGS__)
#define pcsm_alter_attribute_type(op, ...) pcsm_alter_attribute_type(PCSM_LINE_(op), __VA_ARGS__)
#define pcsm_rename_attribute(op, ...) pcsm_rename_attribute(PCSM_LINE_(op), __VA_ARGS__)
#define pcsm_create_collation(op, ...) pcsm_create_collation(PCSM_LINE_(op), __VA_ARGS__)
#define pcsm_rename_collation(op, ...) pcsm_rename_collation(PCSM_LINE_(op), __VA_ARGS__)
#define pcsm_drop_collation(op, ...) pcsm_drop_collation(PCSM_LINE_(op), __VA_ARGS__)
#define pcsm_create_domain(op, ...) pcsm_create_domain(PCSM_LINE_(op), __VA_ARGS__)
#define pcsm_rename_domain(op, ...) pcsm_rename_domain(PCSM_LINE_(op), __VA_ARGS__)
#define pcsm_drop_domain(op, ...) pcsm_drop_domain(PCSM_LINE_(op), __VA_ARGS__)
#define pcsm_set_domain_default(op, ...) pcsm_set_domain_default(PCSM_LINE_(op), __VA_ARGS__)
#define pcsm_drop_domain_default(op, ...) pcsm_drop_domain_default(PCSM_LINE_(op), __VA_ARGS__)
#define pcsm_set_domain_not_null(op, ...) pcsm_set_domain_not_null(PCSM_LINE_(op), __VA_ARGS__)
#define pcsm_drop_domain_not_null(op, ...) pcsm_drop_domain_not_null(PCSM_LINE_(op), __VA_ARGS__)
#define pcsm_add_domain_constraint(op, ...) pcsm_add_domain_constraint(PCSM_LINE_(op), __VA_ARGS__)
#define pcsm_drop_domain_constraint(op, ...) \
    pcsm_drop_domain_constraint(PCSM_LINE_(op), __VA_ARGS__)
#define pcsm_validate_domain_constraint(op, ...) \
    pcsm_validate_domain_constraint(PCSM_LINE_(op), __VA_ARGS__)
#define pcsm_rename_domain_constraint(op, ...) \
    pcsm_rename_domain_constraint(PCSM_LINE_(op), __VA_ARGS__)
#define pcsm_create_function(op, ...) pcsm_create_function(PCSM_LINE_(op), __VA_ARGS__)
#define pcsm_drop_function(op, ...) pcsm_drop_function(PCSM_LINE_(op), __VA_ARGS__)
#define pcsm_create_trigger(op, ...) pcsm_create_trigger(PCSM_LINE_(op), __VA_ARGS__)
#define pcsm_drop_trigger(op, ...) pcsm_drop_trigger(PCSM_LINE_(op), __VA_ARGS__)
#define pcsm_create_policy(op, ...) pcsm_create_policy(PCSM_LINE_(op), __VA_ARGS__)
#define pcsm_drop_policy(op, ...) pcsm_drop_policy(PCSM_LINE_(op), __VA_ARGS__)
#define pcsm_set_row_security(op, ...) pcsm_set_row_security(PCSM_LINE_(op), __VA_ARGS__)
#define pcsm_recreate_enum(op, ...) pcsm_recreate_enum(PCSM_LINE_(op), __VA_ARGS__)
#define pcsm_set_trigger_firing(op, ...) pcsm_set_trigger_firing(PCSM_LINE_(op), __VA_ARGS__)
#define pcsm_execute(op, ...) pcsm_execute(PCSM_LINE_(op), __VA_ARGS__)
#define pcsm_execute_params(op, ...) pcsm_execute_params(PCSM_LINE_(op), __VA_ARGS__)
#define pcsm_batch_update(op, ...) pcsm_batch_update(PCSM_LINE_(op), __VA_ARGS__)
#define pcsm_assert(op, ...) pcsm_assert(PCSM_LINE_(op), __VA_ARGS__)
#define pcsm_autocommit_begin(op) pcsm_autocommit_begin(PCSM_LINE_(op))
#define pcsm_autocommit_end(op) pcsm_autocommit_end(PCSM_LINE_(op))
#define pcsm_set_local(op, ...) pcsm_set_local(PCSM_LINE_(op), __VA_ARGS__)
#define pcsm_lock_table(op, ...) pcsm_lock_table(PCSM_LINE_(op), __VA_ARGS__)
#define pcsm_if(op, ...) pcsm_if(PCSM_LINE_(op), __VA_ARGS__)
#define pcsm_end_if(op) pcsm_end_if(PCSM_LINE_(op))
#define pcsm_batch_update_from(op, ...) pcsm_batch_update_from(PCSM_LINE_(op), __VA_ARGS__)
#define pcsm_rename_index(op, ...) pcsm_rename_index(PCSM_LINE_(op), __VA_ARGS__)
#define pcsm_attach_index(op, ...) pcsm_attach_index(PCSM_LINE_(op), __VA_ARGS__)
#define pcsm_rename_constraint(op, ...) pcsm_rename_constraint(PCSM_LINE_(op), __VA_ARGS__)
#define pcsm_set_schema(op, ...) pcsm_set_schema(PCSM_LINE_(op), __VA_ARGS__)
#define pcsm_create_schema(op, ...) pcsm_create_schema(PCSM_LINE_(op), __VA_ARGS__)
#define pcsm_drop_schema(op, ...) pcsm_drop_schema(PCSM_LINE_(op), __VA_ARGS__)
#define pcsm_grant(op, ...) pcsm_grant(PCSM_LINE_(op), __VA_ARGS__)
#define pcsm_revoke(op, ...) pcsm_revoke(PCSM_LINE_(op), __VA_ARGS__)
#define pcsm_grant_default(op, ...) pcsm_grant_default(PCSM_LINE_(op), __VA_ARGS__)
#define pcsm_revoke_default(op, ...) pcsm_revoke_default(PCSM_LINE_(op), __VA_ARGS__)
#endif

#ifdef __cplusplus
}
#endif

#endif /* PCSM_DDL_H */
