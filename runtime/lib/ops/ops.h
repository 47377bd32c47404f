/*
 * The ops layer: the DDL helper API's recorder (ddl.c) and the recorded
 * operations it produces, the data every later layer reads (the renderer,
 * and the schema model) and nothing here ever turns into SQL.  Strings and
 * arrays live in the op context's arena: an operation is plain data.
 */
#ifndef PCSM_OPS_H
#define PCSM_OPS_H

#include "core/core.h"

enum pcsm_ddl_kind {
    PCSM_OP_CREATE_TABLE,
    PCSM_OP_DROP_TABLE,
    PCSM_OP_RENAME_TABLE,
    PCSM_OP_COMMENT_TABLE,
    PCSM_OP_ADD_COLUMN,
    PCSM_OP_DROP_COLUMN,
    PCSM_OP_RENAME_COLUMN,
    PCSM_OP_ALTER_COLUMN_TYPE,
    PCSM_OP_SET_DEFAULT,
    PCSM_OP_DROP_DEFAULT,
    PCSM_OP_SET_NOT_NULL,
    PCSM_OP_DROP_NOT_NULL,
    PCSM_OP_COMMENT_COLUMN,
    PCSM_OP_CREATE_INDEX,
    PCSM_OP_DROP_INDEX,
    PCSM_OP_ADD_CONSTRAINT,
    PCSM_OP_DROP_CONSTRAINT,
    PCSM_OP_VALIDATE_CONSTRAINT,
    PCSM_OP_CREATE_EXTENSION,
    PCSM_OP_DROP_EXTENSION,
    PCSM_OP_CREATE_ENUM,
    PCSM_OP_ADD_ENUM_VALUE,
    PCSM_OP_RENAME_ENUM_VALUE,
    PCSM_OP_DROP_TYPE,
    PCSM_OP_CREATE_FUNCTION,
    PCSM_OP_DROP_FUNCTION,
    PCSM_OP_CREATE_TRIGGER,
    PCSM_OP_DROP_TRIGGER,
    PCSM_OP_ADD_IDENTITY,
    PCSM_OP_DROP_IDENTITY,
    PCSM_OP_CREATE_SEQUENCE,
    PCSM_OP_ALTER_SEQUENCE,
    PCSM_OP_RENAME_SEQUENCE,
    PCSM_OP_DROP_SEQUENCE,
    PCSM_OP_CREATE_VIEW,
    PCSM_OP_RENAME_VIEW,
    PCSM_OP_DROP_VIEW,
    PCSM_OP_CREATE_MATERIALIZED_VIEW,
    PCSM_OP_REFRESH_MATERIALIZED_VIEW,
    PCSM_OP_RENAME_MATERIALIZED_VIEW,
    PCSM_OP_DROP_MATERIALIZED_VIEW,
    PCSM_OP_EXECUTE,
    PCSM_OP_EXECUTE_PARAMS,
    PCSM_OP_BATCH_UPDATE,
    PCSM_OP_ASSERT,
    /* pcsm_autocommit_begin/end: no fields; the operations between them are the block */
    PCSM_OP_AUTOCOMMIT_BEGIN,
    PCSM_OP_AUTOCOMMIT_END,
    PCSM_OP_SET_LOCAL,
    PCSM_OP_LOCK_TABLE,
    PCSM_OP_IF,
    PCSM_OP_BATCH_UPDATE_FROM,      /* u.batch_update, from_sql set */
    PCSM_OP_RENAME_INDEX,
    PCSM_OP_RENAME_CONSTRAINT,
    PCSM_OP_CREATE_SCHEMA,          /* u.create_schema */
    PCSM_OP_DROP_SCHEMA,            /* u.drop_schema */
    PCSM_OP_CREATE_POLICY,
    PCSM_OP_DROP_POLICY,
    PCSM_OP_SET_ROW_SECURITY,
    PCSM_OP_SET_IDENTITY,           /* u.set_identity */
    PCSM_OP_COMMENT_ON,             /* u.comment_on */
    PCSM_OP_CREATE_COLLATION,       /* u.create_collation */
    PCSM_OP_RENAME_COLLATION,       /* u.rename_collation */
    PCSM_OP_DROP_COLLATION,         /* u.drop_collation */
    PCSM_OP_CREATE_DOMAIN,          /* u.create_domain */
    PCSM_OP_ALTER_DOMAIN,           /* u.alter_domain: every ALTER DOMAIN, by action */
    PCSM_OP_DROP_DOMAIN,            /* u.drop_domain */
    PCSM_OP_CREATE_COMPOSITE_TYPE,  /* u.create_composite_type */
    PCSM_OP_ALTER_COMPOSITE_TYPE,   /* u.alter_composite_type: ALTER TYPE ... ATTRIBUTE */
    PCSM_OP_CREATE_PARTITION,       /* u.create_partition */
    PCSM_OP_ATTACH_PARTITION,       /* u.partition_of */
    PCSM_OP_DETACH_PARTITION,       /* u.partition_of, no bound */
    PCSM_OP_ATTACH_INDEX,           /* u.attach_index */
    PCSM_OP_GRANT,                  /* u.grant */
    PCSM_OP_REVOKE,                 /* u.grant */
    PCSM_OP_GRANT_DEFAULT,          /* u.default_privileges */
    PCSM_OP_REVOKE_DEFAULT,         /* u.default_privileges */
    PCSM_OP_CREATE_RANGE_TYPE,      /* u.create_range_type */
    PCSM_OP_INHERIT,                /* u.inherit */
    PCSM_OP_NO_INHERIT,             /* u.inherit */
    PCSM_OP_SET_TRIGGER_FIRING,     /* u.set_trigger_firing */
    PCSM_OP_RECREATE_ENUM,          /* u.recreate_enum */
};
/* The last kind: a loop over every kind, or an array by kind, ends there. */
#define PCSM_OP_LAST PCSM_OP_RECREATE_ENUM

/*
 * One struct per kind, as PostgreSQL's parse nodes are: each holds exactly
 * what its API call gives, under the names the call uses, so a reader (the
 * renderer, the schema model, a diff, a code generator) never guesses which
 * of some shared fields a kind filled.  Optional strings are NULL when not
 * given; `flags` are the PCSM_IF_EXISTS family of the drop_* calls.
 */
struct pcsm_ddl_create_table {
    const char *table;
    const pcsm_column *columns;     /* n_columns, at least one */
    size_t n_columns;
    const pcsm_constraint *constraints;
    size_t n_constraints;
    const char *comment;            /* COMMENT ON TABLE, or NULL */
    /* create_partitioned_table: strategy not NONE, n_key elements */
    enum pcsm_partition_strategy strategy;
    const pcsm_index_element *key;
    size_t n_key;
    /* create_table_inherits: INHERITS (parents), NULL-terminated; NULL: none */
    const char *const *inherits;
};

/* create_partition: a pcsm_partition, its key and constraints counted. */
struct pcsm_ddl_create_partition {
    const char *table;
    const char *parent;
    const char *bound;
    enum pcsm_partition_strategy strategy;  /* NONE: not partitioned itself */
    const pcsm_index_element *key;
    size_t n_key;
    const pcsm_constraint *constraints;
    size_t n_constraints;
    const char *comment;
};

/* attach_partition and detach_partition: ALTER TABLE "table" ... PARTITION "partition". */
struct pcsm_ddl_partition_of {
    const char *table;
    const char *partition;
    const char *bound;              /* attach only */
};

/* inherit and no_inherit: ALTER TABLE "table" [NO] INHERIT "parent". */
struct pcsm_ddl_inherit {
    const char *table;
    const char *parent;
};

struct pcsm_ddl_drop_table {
    const char *table;
    unsigned flags;
};

struct pcsm_ddl_rename_table {
    const char *table;
    const char *new_name;
};

/* comment_table: comment NULL removes it. */
struct pcsm_ddl_comment_table {
    const char *table;
    const char *comment;
};

/* comment_on: `of` as pcsm_comment_on() says; comment NULL removes it. */
struct pcsm_ddl_comment_on {
    enum pcsm_object_kind kind;
    const char *name;
    const char *of;
    const char *comment;
};

struct pcsm_ddl_add_column {
    const char *table;
    pcsm_column column;
};

struct pcsm_ddl_drop_column {
    const char *table;
    const char *column;
    unsigned flags;
};

struct pcsm_ddl_rename_column {
    const char *table;
    const char *column;
    const char *new_name;
};

struct pcsm_ddl_alter_column_type {
    const char *table;
    const char *column;
    pcsm_type type;
    const char *collation;          /* COLLATE, or NULL */
    const char *using;              /* USING expression, or NULL */
};

struct pcsm_ddl_set_default {
    const char *table;
    const char *column;
    pcsm_value value;
};

/* drop_default, set_not_null, drop_not_null: a column and nothing more. */
struct pcsm_ddl_column_ref {
    const char *table;
    const char *column;
};

/* comment_column: comment NULL removes it. */
struct pcsm_ddl_comment_column {
    const char *table;
    const char *column;
    const char *comment;
};

struct pcsm_ddl_create_index {
    pcsm_index index;               /* names its table */
};

struct pcsm_ddl_drop_index {
    const char *index;
    unsigned flags;                 /* PCSM_DROP_CONCURRENTLY too */
};

struct pcsm_ddl_rename_index {
    const char *index;
    const char *new_name;
};

/* attach_index: ALTER INDEX "index" ATTACH PARTITION "partition_index". */
struct pcsm_ddl_attach_index {
    const char *index;
    const char *partition_index;
};

/*
 * GRANT or REVOKE: `privileges` are the object's own (ALL made the set it
 * takes); `roles` as given, "public" in any case for PUBLIC.
 */
struct pcsm_ddl_grant {
    pcsm_privileges grant;
};

/* ALTER DEFAULT PRIVILEGES: as pcsm_ddl_grant; the schema is the operation's when in_schema. */
struct pcsm_ddl_default_privileges {
    pcsm_default_privileges defaults;
};

struct pcsm_ddl_rename_constraint {
    const char *table;
    const char *constraint;
    const char *new_name;
};

struct pcsm_ddl_add_constraint {
    const char *table;
    pcsm_constraint constraint;     /* named */
};

struct pcsm_ddl_drop_constraint {
    const char *table;
    const char *constraint;
    unsigned flags;
};

struct pcsm_ddl_validate_constraint {
    const char *table;
    const char *constraint;
};

/* create_extension (flags: PCSM_CREATE_CASCADE) and drop_extension. */
struct pcsm_ddl_extension {
    const char *extension;
    unsigned flags;
};

struct pcsm_ddl_create_enum {
    const char *type;
    const char *const *labels;      /* NULL-terminated, at least one */
};

struct pcsm_ddl_add_enum_value {
    const char *type;
    const char *label;
    pcsm_enum_place place;
    unsigned flags;                 /* PCSM_IF_NOT_EXISTS */
};

struct pcsm_ddl_rename_enum_value {
    const char *type;
    const char *label;
    const char *new_label;
};

/* The name an enum made again is renamed to while its columns convert. */
#define PCSM_ENUM_ASIDE "pcsm_enum_old"

struct pcsm_ddl_recreate_enum {
    const char *type;
    const char *const *labels;      /* NULL-terminated, at least one */
    pcsm_enum_column *columns;      /* n_columns of them */
    size_t n_columns;
};

struct pcsm_ddl_drop_type {
    const char *type;
    unsigned flags;
};

struct pcsm_ddl_create_collation {
    pcsm_collation collation;
};

struct pcsm_ddl_rename_collation {
    const char *collation;
    const char *new_name;
};

struct pcsm_ddl_drop_collation {
    const char *collation;
    unsigned flags;
};

struct pcsm_ddl_create_domain {
    pcsm_domain domain;             /* constraints NULL or PCSM_CHECKs */
};

/* What one ALTER DOMAIN does; the pcsm_*_domain_* call that records it. */
enum pcsm_domain_action {
    PCSM_DOMAIN_RENAME,             /* new_name */
    PCSM_DOMAIN_SET_DEFAULT,        /* value */
    PCSM_DOMAIN_DROP_DEFAULT,
    PCSM_DOMAIN_SET_NOT_NULL,
    PCSM_DOMAIN_DROP_NOT_NULL,
    PCSM_DOMAIN_ADD_CONSTRAINT,     /* constraint */
    PCSM_DOMAIN_DROP_CONSTRAINT,    /* constraint.name, flags */
    PCSM_DOMAIN_VALIDATE_CONSTRAINT, /* constraint.name */
    PCSM_DOMAIN_RENAME_CONSTRAINT,  /* constraint.name, new_name */
};
#define PCSM_DOMAIN_ACTION_LAST PCSM_DOMAIN_RENAME_CONSTRAINT

struct pcsm_ddl_alter_domain {
    const char *domain;
    enum pcsm_domain_action action;
    pcsm_value value;
    pcsm_constraint constraint;
    const char *new_name;
    unsigned flags;
};

struct pcsm_ddl_drop_domain {
    const char *domain;
    unsigned flags;
};

struct pcsm_ddl_create_composite_type {
    const char *type;
    pcsm_attribute *attributes;     /* n_attributes of them */
    size_t n_attributes;
};

struct pcsm_ddl_create_range_type {
    pcsm_range_type range;
};

/* What one ALTER TYPE ... ATTRIBUTE does. */
enum pcsm_attribute_action {
    PCSM_ATTRIBUTE_ADD,             /* attribute */
    PCSM_ATTRIBUTE_DROP,            /* attribute.name, flags */
    PCSM_ATTRIBUTE_ALTER_TYPE,      /* attribute */
    PCSM_ATTRIBUTE_RENAME,          /* attribute.name, new_name */
};

struct pcsm_ddl_alter_composite_type {
    const char *type;
    enum pcsm_attribute_action action;
    pcsm_attribute attribute;
    const char *new_name;
    unsigned flags;
};

struct pcsm_ddl_create_function {
    pcsm_function function;         /* arguments never NULL: "" for none */
};

struct pcsm_ddl_drop_function {
    const char *function;
    const char *arguments;          /* NULL: no list, the name alone */
    unsigned flags;
};

struct pcsm_ddl_create_trigger {
    pcsm_trigger trigger;           /* names its table */
};

struct pcsm_ddl_drop_trigger {
    const char *table;
    const char *trigger;
    unsigned flags;
};

struct pcsm_ddl_set_trigger_firing {
    const char *table;
    const char *trigger;
    enum pcsm_trigger_firing firing;
};

struct pcsm_ddl_create_policy {
    pcsm_policy policy;             /* names its table; roles NULL for PUBLIC */
};

struct pcsm_ddl_drop_policy {
    const char *table;
    const char *policy;
    unsigned flags;
};

struct pcsm_ddl_set_row_security {
    const char *table;
    enum pcsm_row_security how;
};

struct pcsm_ddl_add_identity {
    const char *table;
    const char *column;
    enum pcsm_identity identity;
    pcsm_sequence_options options;
};

struct pcsm_ddl_set_identity {
    const char *table;
    const char *column;
    enum pcsm_identity identity;    /* ALWAYS or BY_DEFAULT */
};

struct pcsm_ddl_drop_identity {
    const char *table;
    const char *column;
    unsigned flags;                 /* PCSM_IF_EXISTS */
};

/* create_sequence and alter_sequence (owned_by: NULL unchanged / none). */
struct pcsm_ddl_sequence {
    const char *sequence;
    pcsm_sequence_options options;
    const char *owned_by_table;     /* OWNED BY table.column, or NULL */
    const char *owned_by_column;
    bool owned_by_none;             /* alter_sequence: OWNED BY NONE */
};

struct pcsm_ddl_rename_sequence {
    const char *sequence;
    const char *new_name;
};

struct pcsm_ddl_drop_sequence {
    const char *sequence;
    unsigned flags;
};

/* create_view and create_materialized_view (or_replace: view; no_data: materialized). */
struct pcsm_ddl_create_view {
    pcsm_view view;                 /* columns and reads NULL when not given */
};

/* rename_view and rename_materialized_view. */
struct pcsm_ddl_rename_view {
    const char *view;
    const char *new_name;
};

/* drop_view, drop_materialized_view and refresh_materialized_view. */
struct pcsm_ddl_view_ref {
    const char *view;
    unsigned flags;
};

/* create_schema (flags: PCSM_IF_NOT_EXISTS) and drop_schema. */
struct pcsm_ddl_namespace {
    const char *name;
    unsigned flags;
};

/* Raw SQL: the objects it touches are unknown to every reader. */
struct pcsm_ddl_execute {
    const char *sql;
};

struct pcsm_ddl_execute_params {
    const char *sql;
    const pcsm_value *params;
    size_t n_params;
};

struct pcsm_ddl_batch_update {
    const char *table;
    const char *key;
    const char *set_sql;
    const char *where_sql;          /* NULL: every row */
    long batch_size;
    const char *from_sql;           /* batch_update_from's FROM list; NULL otherwise */
};

struct pcsm_ddl_assert {
    const char *condition;
    const char *message;
};

struct pcsm_ddl_set_local {
    const char *name;
    const char *value;
    bool outside;                   /* a nontransactional revision's: SET, RESET after */
};

struct pcsm_ddl_lock_table {
    const char *table;
    enum pcsm_lock_mode mode;
    unsigned flags;                 /* PCSM_LOCK_NOWAIT */
};

/*
 * pcsm_if() ... pcsm_end_if(): one operation holding the guarded ones, so
 * every reader that walks a revision's operations meets the guard as a
 * whole and never runs a guarded operation by mistake as an unguarded one.
 */
struct pcsm_ddl_if {
    const char *condition;
    const struct pcsm_ddl_op *ops;  /* n_ops, at least one, none a guard */
    size_t n_ops;
};

/* A recorded operation: `kind` says which member of `u` it is. */
struct pcsm_ddl_op {
    enum pcsm_ddl_kind kind;
    unsigned line;                  /* of the call in its source file; 0: not known */
    /*
     * The schema of the object the operation names (its table, index,
     * type, function, sequence or view), from pcsm_set_schema(); NULL: the
     * target schema, names unqualified.  Names inside a definition (a
     * referenced table, a column's type) carry their own schema.
     */
    const char *schema;
    union {
        struct pcsm_ddl_create_table create_table;
        struct pcsm_ddl_create_partition create_partition;
        struct pcsm_ddl_inherit inherit;
        struct pcsm_ddl_partition_of partition_of;
        struct pcsm_ddl_attach_index attach_index;
        struct pcsm_ddl_drop_table drop_table;
        struct pcsm_ddl_rename_table rename_table;
        struct pcsm_ddl_comment_table comment_table;
        struct pcsm_ddl_add_column add_column;
        struct pcsm_ddl_drop_column drop_column;
        struct pcsm_ddl_rename_column rename_column;
        struct pcsm_ddl_alter_column_type alter_column_type;
        struct pcsm_ddl_set_default set_default;
        struct pcsm_ddl_column_ref drop_default;
        struct pcsm_ddl_column_ref set_not_null;
        struct pcsm_ddl_column_ref drop_not_null;
        struct pcsm_ddl_comment_column comment_column;
        struct pcsm_ddl_create_index create_index;
        struct pcsm_ddl_drop_index drop_index;
        struct pcsm_ddl_add_constraint add_constraint;
        struct pcsm_ddl_drop_constraint drop_constraint;
        struct pcsm_ddl_validate_constraint validate_constraint;
        struct pcsm_ddl_extension create_extension;
        struct pcsm_ddl_extension drop_extension;
        struct pcsm_ddl_create_enum create_enum;
        struct pcsm_ddl_add_enum_value add_enum_value;
        struct pcsm_ddl_rename_enum_value rename_enum_value;
        struct pcsm_ddl_recreate_enum recreate_enum;
        struct pcsm_ddl_drop_type drop_type;
        struct pcsm_ddl_create_function create_function;
        struct pcsm_ddl_drop_function drop_function;
        struct pcsm_ddl_create_trigger create_trigger;
        struct pcsm_ddl_drop_trigger drop_trigger;
        struct pcsm_ddl_add_identity add_identity;
        struct pcsm_ddl_drop_identity drop_identity;
        struct pcsm_ddl_set_identity set_identity;
        struct pcsm_ddl_comment_on comment_on;
        struct pcsm_ddl_create_collation create_collation;
        struct pcsm_ddl_rename_collation rename_collation;
        struct pcsm_ddl_drop_collation drop_collation;
        struct pcsm_ddl_create_domain create_domain;
        struct pcsm_ddl_alter_domain alter_domain;
        struct pcsm_ddl_drop_domain drop_domain;
        struct pcsm_ddl_create_composite_type create_composite_type;
        struct pcsm_ddl_alter_composite_type alter_composite_type;
        struct pcsm_ddl_create_range_type create_range_type;
        struct pcsm_ddl_sequence create_sequence;
        struct pcsm_ddl_sequence alter_sequence;
        struct pcsm_ddl_rename_sequence rename_sequence;
        struct pcsm_ddl_drop_sequence drop_sequence;
        struct pcsm_ddl_create_view create_view;
        struct pcsm_ddl_rename_view rename_view;
        struct pcsm_ddl_view_ref drop_view;
        struct pcsm_ddl_create_view create_materialized_view;
        struct pcsm_ddl_view_ref refresh_materialized_view;
        struct pcsm_ddl_rename_view rename_materialized_view;
        struct pcsm_ddl_view_ref drop_materialized_view;
        struct pcsm_ddl_execute execute;
        struct pcsm_ddl_execute_params execute_params;
        struct pcsm_ddl_batch_update batch_update;
        struct pcsm_ddl_assert assert;
        struct pcsm_ddl_set_local set_local;
        struct pcsm_ddl_lock_table lock_table;
        struct pcsm_ddl_if guard;
        struct pcsm_ddl_rename_index rename_index;
        struct pcsm_ddl_rename_constraint rename_constraint;
        struct pcsm_ddl_namespace create_schema;
        struct pcsm_ddl_namespace drop_schema;
        struct pcsm_ddl_create_policy create_policy;
        struct pcsm_ddl_drop_policy drop_policy;
        struct pcsm_ddl_set_row_security set_row_security;
        struct pcsm_ddl_set_trigger_firing set_trigger_firing;
        struct pcsm_ddl_grant grant;
        struct pcsm_ddl_default_privileges default_privileges;
    } u;
};

/*
 * A sequence's options as the server keeps them (pg_sequence): every one
 * set, the defaults applied.
 */
struct pcsm_seq_state {
    enum pcsm_type_kind type;       /* SMALLINT, INTEGER or BIGINT */
    long long increment, minvalue, maxvalue, start, cache;
    bool cycle;
};

/*
 * Applies `given` (NULL: nothing) to *st as the server's init_params()
 * does: `create` starts from nothing, a sequence of `type` (BIGINT, or an
 * identity column's type), else from *st as it is.  Returns 0, or -1 with
 * the server's reason in *why and *st unchanged.
 */
int pcsm_op__sequence_apply(struct pcsm_seq_state *st, bool create, enum pcsm_type_kind type,
                            const pcsm_sequence_options *given, pcsm_buf *why);
/* The options that make st from nothing, the defaults left unsaid (`as` too if identity). */
pcsm_sequence_options pcsm_op__sequence_options(const struct pcsm_seq_state *st,
                                                bool identity);

/* The recording context behind pcsm_op. */
pcsm_op *pcsm_op__new(const pcsm_revision *rev, enum pcsm_direction direction);
void pcsm_op__free(pcsm_op *op);
/*
 * Runs rev's upgrade() or downgrade() into a new op.  On an invalid
 * operation returns PCSM_EMIGRATION with "<id> <direction>: <op>: <reason>"
 * and *out NULL.
 */
int pcsm_op__record(pcsm_ctx *ctx, const pcsm_revision *rev,
                    enum pcsm_direction direction, pcsm_op **out);
/* "<op>: <reason>" of the first invalid call made on op, or NULL. */
const char *pcsm_op__failure(const pcsm_op *op);
size_t pcsm_op__count(const pcsm_op *op);
/* Operation i of a recorded context. */
const struct pcsm_ddl_op *pcsm_op__at(const pcsm_op *op, size_t i);
/* The keyword of a kind, as the API names it: "create_table". */
const char *pcsm_op__kind_name(enum pcsm_ddl_kind kind);
/*
 * Whether an operation of this kind names an object in a schema, and so
 * takes pcsm_set_schema()'s (raw SQL, settings, guards, extensions and
 * the schemas themselves do not: their `schema` is always NULL).
 */
bool pcsm_op__names_object(enum pcsm_ddl_kind kind);
/*
 * Privileges: the set an object of kind `on` takes (its columns' when
 * `columns`), 0 for an unknown kind; a privilege's name as GRANT writes it
 * (NULL for no single known bit); the bit of a name (0: none).
 */
unsigned pcsm_op__privileges_of(enum pcsm_privilege_object on, bool columns);
const char *pcsm_op__privilege_name(unsigned bit);
unsigned pcsm_op__privilege_bit(const char *name);
/* "TABLE", "SEQUENCE", "FUNCTION", "TYPE"; plural: "TABLES", ...; "?" when unknown. */
const char *pcsm_op__privilege_object_sql(enum pcsm_privilege_object on, bool plural);
/*
 * The object an operation is about, for messages: the table, or the index
 * of create_index and drop_index, the extension, type, function, trigger,
 * sequence or view of theirs; NULL for raw SQL and assertions.
 */
const char *pcsm_op__subject(const struct pcsm_ddl_op *o);
/* Appends a short description of operation i: create_table "contexts". */
void pcsm_op__describe(const pcsm_op *op, size_t i, pcsm_buf *out);
/* The same of one operation: create_table "billing"."invoices" in another schema. */
void pcsm_op__describe_op(const struct pcsm_ddl_op *o, pcsm_buf *out);
/*
 * Fails op when an autocommit block is still open: pcsm_op__record calls it
 * when the migration returns; callers that record by hand call it too.
 */
void pcsm_op__end_autocommit_check(pcsm_op *op);
/* True when op holds an autocommit block (see pcsm_autocommit_begin). */
bool pcsm_op__has_autocommit(const pcsm_op *op);

/*
 * A pcsm_comment_on() kind as SQL says it ("MATERIALIZED VIEW"), as one
 * lower-case word ("materialized_view", its enumerator's ending and its
 * JSON name), and whether its object is a table's (`of` names the table).
 */
const char *pcsm_op__object_sql(enum pcsm_object_kind kind);
const char *pcsm_op__object_word(enum pcsm_object_kind kind);
bool pcsm_op__object_of_table(enum pcsm_object_kind kind);

#endif /* PCSM_OPS_H */
