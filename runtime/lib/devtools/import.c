/*
 * The Alembic importer's C side: the JSON document of
 * generator/alembic_import.py (its format: docs/switching-from-alembic.md)
 * becomes revision files, one per Alembic revision.
 *
 * Each JSON operation is decoded into the struct of its kind (ops/ops.h),
 * whose field names the JSON members carry, and is then recorded again
 * through its pcsm_* call of <pcsm/ddl.h>: the call validates it as it
 * would a revision's, and records it.  The record is printed by
 * pcsm_render__c_op(), the one printer of revision source, which
 * autogenerate uses too.
 *
 * The decoding is table-driven: a kind is a row of `kinds` (its name, its
 * struct's fields, the call that records it), and each struct a list of
 * fields (name, JSON shape, offset).  A new kind or field is a row.
 */
/* The pcsm_* calls here are the functions, not their line-taking macros. */
#define PCSM_DDL_NO_CALL_LINES

#include <limits.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "ops/ops.h"
#include "render/render.h"
#include "pcsm/scaffold.h"
#include "devtools/devtools.h"

/* ------------------------------------------------------------ the tables */

enum shape_kind {
    J_STR,          /* string, or null */
    J_BOOL,
    J_INT,          /* int */
    J_LONG,         /* long */
    J_LLONG,        /* long long */
    J_ENUM,         /* a name of `names`, stored as the enum's int */
    J_BITS,         /* a list of names of `names`, OR'ed into an unsigned */
    J_NAMES,        /* a list of strings: a NULL-terminated array */
    J_SEQVAL,       /* an integer: a pcsm_seq_value that is set */
    J_STRUCT,       /* an object of `sub` */
    J_ARRAY,        /* a list of `sub` objects: pointer, a zeroed terminator, and a count */
};

struct name_value {
    const char *name;
    unsigned value;
};

struct field;

struct shape {
    size_t size;
    const struct field *fields;     /* ends with a NULL name */
};

struct field {
    const char *name;
    enum shape_kind kind;
    size_t off;
    const void *aux;                /* J_ENUM, J_BITS: names; J_STRUCT, J_ARRAY: shape */
    size_t count_off;               /* J_ARRAY: the size_t count; NO_COUNT: none */
    bool required;                  /* absent or null is refused (a list's terminator) */
};

#define NO_COUNT ((size_t)-1)
#define F(type, member, k, ...) { #member, k, offsetof(type, member), __VA_ARGS__ }
#define END { NULL, J_STR, 0, NULL, 0, false }

/*
 * The rows name only what they have; the rest is zero, which the warning
 * about missing initializers would flag on nearly every one.
 */
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wmissing-field-initializers"

static const struct name_value type_kinds[] = {
    { "uuid", PCSM_TYPE_UUID }, { "varchar", PCSM_TYPE_VARCHAR }, { "char", PCSM_TYPE_CHAR },
    { "text", PCSM_TYPE_TEXT }, { "boolean", PCSM_TYPE_BOOLEAN },
    { "smallint", PCSM_TYPE_SMALLINT }, { "integer", PCSM_TYPE_INTEGER },
    { "bigint", PCSM_TYPE_BIGINT }, { "numeric", PCSM_TYPE_NUMERIC },
    { "real", PCSM_TYPE_REAL }, { "double", PCSM_TYPE_DOUBLE }, { "json", PCSM_TYPE_JSON },
    { "jsonb", PCSM_TYPE_JSONB }, { "bytea", PCSM_TYPE_BYTEA }, { "date", PCSM_TYPE_DATE },
    { "time", PCSM_TYPE_TIME }, { "timestamp", PCSM_TYPE_TIMESTAMP },
    { "timestamptz", PCSM_TYPE_TIMESTAMPTZ }, { "interval", PCSM_TYPE_INTERVAL },
    { "named", PCSM_TYPE_NAMED }, { "tsvector", PCSM_TYPE_TSVECTOR },
    { "tsquery", PCSM_TYPE_TSQUERY }, { "inet", PCSM_TYPE_INET }, { "cidr", PCSM_TYPE_CIDR },
    { "macaddr", PCSM_TYPE_MACADDR }, { "macaddr8", PCSM_TYPE_MACADDR8 },
    { "money", PCSM_TYPE_MONEY }, { "xml", PCSM_TYPE_XML }, { "oid", PCSM_TYPE_OID },
    { "timetz", PCSM_TYPE_TIMETZ }, { "bit", PCSM_TYPE_BIT }, { "varbit", PCSM_TYPE_VARBIT },
    { "int4range", PCSM_TYPE_INT4RANGE }, { "int8range", PCSM_TYPE_INT8RANGE },
    { "numrange", PCSM_TYPE_NUMRANGE }, { "tsrange", PCSM_TYPE_TSRANGE },
    { "tstzrange", PCSM_TYPE_TSTZRANGE }, { "daterange", PCSM_TYPE_DATERANGE },
    { "smallserial", PCSM_TYPE_SMALLSERIAL }, { "serial", PCSM_TYPE_SERIAL },
    { "bigserial", PCSM_TYPE_BIGSERIAL }, { NULL, 0 },
};
static const struct name_value value_kinds[] = {
    { "expr", PCSM_VALUE_EXPR }, { "literal", PCSM_VALUE_LITERAL }, { "null", PCSM_VALUE_NULL },
    { NULL, 0 },
};
static const struct name_value fk_actions[] = {
    { "no_action", PCSM_NO_ACTION }, { "restrict", PCSM_RESTRICT }, { "cascade", PCSM_CASCADE },
    { "set_null", PCSM_SET_NULL }, { "set_default", PCSM_SET_DEFAULT }, { NULL, 0 },
};
static const struct name_value constraint_kinds[] = {
    { "primary_key", PCSM_PRIMARY_KEY }, { "unique", PCSM_UNIQUE },
    { "foreign_key", PCSM_FOREIGN_KEY }, { "check", PCSM_CHECK }, { "exclude", PCSM_EXCLUDE },
    { NULL, 0 },
};
static const struct name_value identities[] = {
    { "always", PCSM_IDENTITY_ALWAYS }, { "by_default", PCSM_IDENTITY_BY_DEFAULT },
    { NULL, 0 },
};
static const struct name_value providers[] = {
    { "libc", PCSM_PROVIDER_LIBC }, { "icu", PCSM_PROVIDER_ICU }, { NULL, 0 },
};
static const struct name_value domain_actions[] = {
    { "rename", PCSM_DOMAIN_RENAME }, { "set_default", PCSM_DOMAIN_SET_DEFAULT },
    { "drop_default", PCSM_DOMAIN_DROP_DEFAULT }, { "set_not_null", PCSM_DOMAIN_SET_NOT_NULL },
    { "drop_not_null", PCSM_DOMAIN_DROP_NOT_NULL },
    { "add_constraint", PCSM_DOMAIN_ADD_CONSTRAINT },
    { "drop_constraint", PCSM_DOMAIN_DROP_CONSTRAINT },
    { "validate_constraint", PCSM_DOMAIN_VALIDATE_CONSTRAINT },
    { "rename_constraint", PCSM_DOMAIN_RENAME_CONSTRAINT }, { NULL, 0 },
};
static const struct name_value attribute_actions[] = {
    { "add", PCSM_ATTRIBUTE_ADD }, { "drop", PCSM_ATTRIBUTE_DROP },
    { "alter_type", PCSM_ATTRIBUTE_ALTER_TYPE }, { "rename", PCSM_ATTRIBUTE_RENAME },
    { NULL, 0 },
};
static const struct name_value object_kinds[] = {
    { "index", PCSM_OBJECT_INDEX }, { "sequence", PCSM_OBJECT_SEQUENCE },
    { "view", PCSM_OBJECT_VIEW }, { "materialized_view", PCSM_OBJECT_MATERIALIZED_VIEW },
    { "type", PCSM_OBJECT_TYPE }, { "function", PCSM_OBJECT_FUNCTION },
    { "constraint", PCSM_OBJECT_CONSTRAINT }, { "trigger", PCSM_OBJECT_TRIGGER },
    { "policy", PCSM_OBJECT_POLICY }, { "domain", PCSM_OBJECT_DOMAIN }, { NULL, 0 },
};
static const struct name_value partition_strategies[] = {
    { "range", PCSM_PARTITION_RANGE }, { "list", PCSM_PARTITION_LIST },
    { "hash", PCSM_PARTITION_HASH }, { NULL, 0 },
};
static const struct name_value cycles[] = {
    { "cycle", PCSM_CYCLE }, { "no_cycle", PCSM_NO_CYCLE }, { NULL, 0 },
};
static const struct name_value timings[] = {
    { "before", PCSM_BEFORE }, { "after", PCSM_AFTER }, { "instead_of", PCSM_INSTEAD_OF },
    { NULL, 0 },
};
static const struct name_value volatilities[] = {
    { "immutable", PCSM_IMMUTABLE }, { "stable", PCSM_STABLE }, { "volatile", PCSM_VOLATILE },
    { NULL, 0 },
};
static const struct name_value enum_wheres[] = {
    { "end", PCSM_ENUM_END }, { "before", PCSM_ENUM_BEFORE }, { "after", PCSM_ENUM_AFTER },
    { NULL, 0 },
};
static const struct name_value flag_names[] = {
    { "if_exists", PCSM_IF_EXISTS }, { "drop_cascade", PCSM_DROP_CASCADE },
    { "drop_concurrently", PCSM_DROP_CONCURRENTLY }, { "if_not_exists", PCSM_IF_NOT_EXISTS },
    { "create_cascade", PCSM_CREATE_CASCADE },
    { "refresh_concurrently", PCSM_REFRESH_CONCURRENTLY },
    { "refresh_no_data", PCSM_REFRESH_NO_DATA }, { NULL, 0 },
};
static const struct name_value nulls_orders[] = {
    { "default", PCSM_NULLS_DEFAULT }, { "first", PCSM_NULLS_FIRST }, { "last", PCSM_NULLS_LAST },
    { NULL, 0 },
};
static const struct name_value policy_commands[] = {
    { "all", PCSM_POLICY_ALL }, { "select", PCSM_POLICY_SELECT },
    { "insert", PCSM_POLICY_INSERT }, { "update", PCSM_POLICY_UPDATE },
    { "delete", PCSM_POLICY_DELETE }, { NULL, 0 },
};
static const struct name_value row_securities[] = {
    { "enable", PCSM_ROW_SECURITY_ENABLE }, { "disable", PCSM_ROW_SECURITY_DISABLE },
    { "force", PCSM_ROW_SECURITY_FORCE }, { "no_force", PCSM_ROW_SECURITY_NO_FORCE },
    { NULL, 0 },
};
static const struct name_value trigger_firings[] = {
    { "enable", PCSM_TRIGGER_ENABLE }, { "disable", PCSM_TRIGGER_DISABLE },
    { "enable_replica", PCSM_TRIGGER_ENABLE_REPLICA },
    { "enable_always", PCSM_TRIGGER_ENABLE_ALWAYS }, { NULL, 0 },
};
static const struct name_value lock_modes[] = {
    { "access_share", PCSM_LOCK_ACCESS_SHARE }, { "row_share", PCSM_LOCK_ROW_SHARE },
    { "row_exclusive", PCSM_LOCK_ROW_EXCLUSIVE },
    { "share_update_exclusive", PCSM_LOCK_SHARE_UPDATE_EXCLUSIVE },
    { "share", PCSM_LOCK_SHARE }, { "share_row_exclusive", PCSM_LOCK_SHARE_ROW_EXCLUSIVE },
    { "exclusive", PCSM_LOCK_EXCLUSIVE }, { "access_exclusive", PCSM_LOCK_ACCESS_EXCLUSIVE },
    { NULL, 0 },
};
static const struct name_value lock_flag_names[] = {
    { "nowait", PCSM_LOCK_NOWAIT }, { NULL, 0 },
};
static const struct name_value privilege_objects[] = {
    { "table", PCSM_PRIVILEGE_TABLE }, { "sequence", PCSM_PRIVILEGE_SEQUENCE },
    { "function", PCSM_PRIVILEGE_FUNCTION }, { "type", PCSM_PRIVILEGE_TYPE }, { NULL, 0 },
};
static const struct name_value privilege_names[] = {
    { "select", PCSM_PRIV_SELECT }, { "insert", PCSM_PRIV_INSERT },
    { "update", PCSM_PRIV_UPDATE }, { "delete", PCSM_PRIV_DELETE },
    { "truncate", PCSM_PRIV_TRUNCATE }, { "references", PCSM_PRIV_REFERENCES },
    { "trigger", PCSM_PRIV_TRIGGER }, { "usage", PCSM_PRIV_USAGE },
    { "execute", PCSM_PRIV_EXECUTE }, { "all", PCSM_PRIV_ALL }, { NULL, 0 },
};
static const struct name_value event_names[] = {
    { "insert", PCSM_ON_INSERT }, { "update", PCSM_ON_UPDATE }, { "delete", PCSM_ON_DELETE },
    { "truncate", PCSM_ON_TRUNCATE }, { NULL, 0 },
};

/* The structs of ddl.h. */
static const struct field type_fields[] = {
    F(pcsm_type, kind, J_ENUM, type_kinds, 0, true), F(pcsm_type, p, J_INT),
    F(pcsm_type, s, J_INT), F(pcsm_type, array_dims, J_INT), F(pcsm_type, name, J_STR),
    F(pcsm_type, schema, J_STR), F(pcsm_type, modifiers, J_STR), END,
};
static const struct shape type_shape = { sizeof(pcsm_type), type_fields };

static const struct field value_fields[] = {
    F(pcsm_value, kind, J_ENUM, value_kinds, 0, true), F(pcsm_value, text, J_STR), END,
};
static const struct shape value_shape = { sizeof(pcsm_value), value_fields };

static const struct field seqopt_fields[] = {
    F(pcsm_sequence_options, as, J_STRUCT, &type_shape),
    F(pcsm_sequence_options, increment, J_LLONG),
    F(pcsm_sequence_options, minvalue, J_SEQVAL), F(pcsm_sequence_options, maxvalue, J_SEQVAL),
    F(pcsm_sequence_options, start, J_SEQVAL), F(pcsm_sequence_options, restart, J_SEQVAL),
    F(pcsm_sequence_options, cache, J_LLONG),
    F(pcsm_sequence_options, cycle, J_ENUM, cycles), END,
};
static const struct shape seqopt_shape = { sizeof(pcsm_sequence_options), seqopt_fields };

static const struct field column_fields[] = {
    F(pcsm_column, name, J_STR, NULL, 0, true),
    F(pcsm_column, type, J_STRUCT, &type_shape), F(pcsm_column, not_null, J_BOOL),
    F(pcsm_column, primary_key, J_BOOL), F(pcsm_column, unique, J_BOOL),
    F(pcsm_column, default_value, J_STRUCT, &value_shape),
    F(pcsm_column, references, J_STR), F(pcsm_column, ref_column, J_STR),
    F(pcsm_column, ref_schema, J_STR),
    F(pcsm_column, on_delete, J_ENUM, fk_actions), F(pcsm_column, on_update, J_ENUM, fk_actions),
    F(pcsm_column, check, J_STR), F(pcsm_column, comment, J_STR),
    F(pcsm_column, identity, J_ENUM, identities),
    F(pcsm_column, identity_options, J_STRUCT, &seqopt_shape),
    F(pcsm_column, generated, J_STR), F(pcsm_column, collation, J_STR), END,
};
static const struct shape column_shape = { sizeof(pcsm_column), column_fields };

static const struct field element_fields[] = {
    F(pcsm_index_element, column, J_STR), F(pcsm_index_element, expression, J_STR),
    F(pcsm_index_element, collation, J_STR), F(pcsm_index_element, opclass, J_STR),
    F(pcsm_index_element, descending, J_BOOL),
    F(pcsm_index_element, nulls, J_ENUM, nulls_orders), F(pcsm_index_element, with, J_STR),
    END,
};
static const struct shape element_shape = { sizeof(pcsm_index_element), element_fields };

static const struct field constraint_fields[] = {
    F(pcsm_constraint, kind, J_ENUM, constraint_kinds, 0, true),
    F(pcsm_constraint, name, J_STR), F(pcsm_constraint, columns, J_NAMES),
    F(pcsm_constraint, references, J_STR), F(pcsm_constraint, ref_columns, J_NAMES),
    F(pcsm_constraint, on_delete, J_ENUM, fk_actions),
    F(pcsm_constraint, on_update, J_ENUM, fk_actions), F(pcsm_constraint, check, J_STR),
    F(pcsm_constraint, deferrable, J_BOOL), F(pcsm_constraint, not_valid, J_BOOL),
    F(pcsm_constraint, nulls_not_distinct, J_BOOL), F(pcsm_constraint, ref_schema, J_STR),
    F(pcsm_constraint, elements, J_ARRAY, &element_shape, NO_COUNT),
    F(pcsm_constraint, method, J_STR), F(pcsm_constraint, where, J_STR), END,
};
static const struct shape constraint_shape = { sizeof(pcsm_constraint), constraint_fields };

static const struct field index_fields[] = {
    F(pcsm_index, name, J_STR), F(pcsm_index, table, J_STR), F(pcsm_index, columns, J_NAMES),
    F(pcsm_index, expression, J_STR), F(pcsm_index, unique, J_BOOL),
    F(pcsm_index, concurrently, J_BOOL), F(pcsm_index, if_not_exists, J_BOOL),
    F(pcsm_index, method, J_STR), F(pcsm_index, where, J_STR),
    F(pcsm_index, elements, J_ARRAY, &element_shape, NO_COUNT),
    F(pcsm_index, nulls_not_distinct, J_BOOL), F(pcsm_index, only, J_BOOL), END,
};
static const struct shape index_shape = { sizeof(pcsm_index), index_fields };

static const struct field place_fields[] = {
    F(pcsm_enum_place, where, J_ENUM, enum_wheres), F(pcsm_enum_place, label, J_STR), END,
};
static const struct shape place_shape = { sizeof(pcsm_enum_place), place_fields };

static const struct field function_fields[] = {
    F(pcsm_function, name, J_STR), F(pcsm_function, arguments, J_STR),
    F(pcsm_function, returns, J_STR), F(pcsm_function, language, J_STR),
    F(pcsm_function, body, J_STR), F(pcsm_function, volatility, J_ENUM, volatilities),
    F(pcsm_function, strict, J_BOOL), F(pcsm_function, security_definer, J_BOOL),
    F(pcsm_function, or_replace, J_BOOL), END,
};
static const struct shape function_shape = { sizeof(pcsm_function), function_fields };

static const struct field collation_fields[] = {
    F(pcsm_collation, name, J_STR), F(pcsm_collation, provider, J_ENUM, providers),
    F(pcsm_collation, locale, J_STR), F(pcsm_collation, lc_collate, J_STR),
    F(pcsm_collation, lc_ctype, J_STR), F(pcsm_collation, nondeterministic, J_BOOL), END,
};
static const struct shape collation_shape = { sizeof(pcsm_collation), collation_fields };

static const struct field attribute_fields[] = {
    F(pcsm_attribute, name, J_STR, NULL, 0, true), F(pcsm_attribute, type, J_STRUCT, &type_shape),
    F(pcsm_attribute, collation, J_STR), END,
};
static const struct shape attribute_shape = { sizeof(pcsm_attribute), attribute_fields };

static const struct field domain_fields[] = {
    F(pcsm_domain, name, J_STR), F(pcsm_domain, type, J_STRUCT, &type_shape),
    F(pcsm_domain, collation, J_STR), F(pcsm_domain, default_value, J_STRUCT, &value_shape),
    F(pcsm_domain, not_null, J_BOOL),
    F(pcsm_domain, constraints, J_ARRAY, &constraint_shape, NO_COUNT), END,
};
static const struct shape domain_shape = { sizeof(pcsm_domain), domain_fields };

static const struct field range_fields[] = {
    F(pcsm_range_type, name, J_STR), F(pcsm_range_type, subtype, J_STRUCT, &type_shape),
    F(pcsm_range_type, subtype_opclass, J_STR), F(pcsm_range_type, collation, J_STR),
    F(pcsm_range_type, subtype_diff, J_STR), F(pcsm_range_type, subtype_diff_schema, J_STR),
    F(pcsm_range_type, multirange_type_name, J_STR), END,
};
static const struct shape range_shape = { sizeof(pcsm_range_type), range_fields };

static const struct field trigger_fields[] = {
    F(pcsm_trigger, name, J_STR), F(pcsm_trigger, table, J_STR),
    F(pcsm_trigger, timing, J_ENUM, timings), F(pcsm_trigger, events, J_BITS, event_names),
    F(pcsm_trigger, for_each_row, J_BOOL), F(pcsm_trigger, function, J_STR),
    F(pcsm_trigger, when, J_STR), F(pcsm_trigger, function_schema, J_STR), END,
};
static const struct shape trigger_shape = { sizeof(pcsm_trigger), trigger_fields };
static const struct field policy_fields[] = {
    F(pcsm_policy, name, J_STR), F(pcsm_policy, table, J_STR),
    F(pcsm_policy, command, J_ENUM, policy_commands), F(pcsm_policy, restrictive, J_BOOL),
    F(pcsm_policy, roles, J_NAMES), F(pcsm_policy, using, J_STR),
    F(pcsm_policy, with_check, J_STR), END,
};
static const struct shape policy_shape = { sizeof(pcsm_policy), policy_fields };

static const struct field view_fields[] = {
    F(pcsm_view, name, J_STR), F(pcsm_view, columns, J_NAMES), F(pcsm_view, query, J_STR),
    F(pcsm_view, reads, J_NAMES), F(pcsm_view, or_replace, J_BOOL),
    F(pcsm_view, no_data, J_BOOL), END,
};
static const struct shape view_shape = { sizeof(pcsm_view), view_fields };

/* The structs of ops.h, one per kind. */
#define OPF(st, member, k, ...) F(struct st, member, k, __VA_ARGS__)

static const struct field create_table_fields[] = {
    OPF(pcsm_ddl_create_table, table, J_STR),
    OPF(pcsm_ddl_create_table, columns, J_ARRAY, &column_shape,
        offsetof(struct pcsm_ddl_create_table, n_columns)),
    OPF(pcsm_ddl_create_table, constraints, J_ARRAY, &constraint_shape,
        offsetof(struct pcsm_ddl_create_table, n_constraints)),
    OPF(pcsm_ddl_create_table, comment, J_STR),
    OPF(pcsm_ddl_create_table, strategy, J_ENUM, partition_strategies),
    OPF(pcsm_ddl_create_table, key, J_ARRAY, &element_shape,
        offsetof(struct pcsm_ddl_create_table, n_key)),
    OPF(pcsm_ddl_create_table, inherits, J_NAMES), END,
};
static const struct field inherit_fields[] = {
    OPF(pcsm_ddl_inherit, table, J_STR), OPF(pcsm_ddl_inherit, parent, J_STR), END,
};
static const struct field create_partition_fields[] = {
    OPF(pcsm_ddl_create_partition, table, J_STR), OPF(pcsm_ddl_create_partition, parent, J_STR),
    OPF(pcsm_ddl_create_partition, bound, J_STR),
    OPF(pcsm_ddl_create_partition, strategy, J_ENUM, partition_strategies),
    OPF(pcsm_ddl_create_partition, key, J_ARRAY, &element_shape,
        offsetof(struct pcsm_ddl_create_partition, n_key)),
    OPF(pcsm_ddl_create_partition, constraints, J_ARRAY, &constraint_shape,
        offsetof(struct pcsm_ddl_create_partition, n_constraints)),
    OPF(pcsm_ddl_create_partition, comment, J_STR), END,
};
static const struct field attach_index_fields[] = {
    OPF(pcsm_ddl_attach_index, index, J_STR), OPF(pcsm_ddl_attach_index, partition_index, J_STR),
    END,
};
static const struct field partition_of_fields[] = {
    OPF(pcsm_ddl_partition_of, table, J_STR), OPF(pcsm_ddl_partition_of, partition, J_STR),
    OPF(pcsm_ddl_partition_of, bound, J_STR), END,
};
static const struct field drop_table_fields[] = {
    OPF(pcsm_ddl_drop_table, table, J_STR), OPF(pcsm_ddl_drop_table, flags, J_BITS, flag_names),
    END,
};
static const struct field rename_table_fields[] = {
    OPF(pcsm_ddl_rename_table, table, J_STR), OPF(pcsm_ddl_rename_table, new_name, J_STR), END,
};
static const struct field comment_table_fields[] = {
    OPF(pcsm_ddl_comment_table, table, J_STR), OPF(pcsm_ddl_comment_table, comment, J_STR), END,
};
static const struct field add_column_fields[] = {
    OPF(pcsm_ddl_add_column, table, J_STR),
    OPF(pcsm_ddl_add_column, column, J_STRUCT, &column_shape), END,
};
static const struct field drop_column_fields[] = {
    OPF(pcsm_ddl_drop_column, table, J_STR), OPF(pcsm_ddl_drop_column, column, J_STR),
    OPF(pcsm_ddl_drop_column, flags, J_BITS, flag_names), END,
};
static const struct field rename_column_fields[] = {
    OPF(pcsm_ddl_rename_column, table, J_STR), OPF(pcsm_ddl_rename_column, column, J_STR),
    OPF(pcsm_ddl_rename_column, new_name, J_STR), END,
};
static const struct field alter_column_type_fields[] = {
    OPF(pcsm_ddl_alter_column_type, table, J_STR),
    OPF(pcsm_ddl_alter_column_type, column, J_STR),
    OPF(pcsm_ddl_alter_column_type, type, J_STRUCT, &type_shape),
    OPF(pcsm_ddl_alter_column_type, collation, J_STR),
    OPF(pcsm_ddl_alter_column_type, using, J_STR), END,
};
static const struct field set_default_fields[] = {
    OPF(pcsm_ddl_set_default, table, J_STR), OPF(pcsm_ddl_set_default, column, J_STR),
    OPF(pcsm_ddl_set_default, value, J_STRUCT, &value_shape), END,
};
static const struct field column_ref_fields[] = {
    OPF(pcsm_ddl_column_ref, table, J_STR), OPF(pcsm_ddl_column_ref, column, J_STR), END,
};
static const struct field comment_column_fields[] = {
    OPF(pcsm_ddl_comment_column, table, J_STR), OPF(pcsm_ddl_comment_column, column, J_STR),
    OPF(pcsm_ddl_comment_column, comment, J_STR), END,
};
static const struct field create_index_fields[] = {
    OPF(pcsm_ddl_create_index, index, J_STRUCT, &index_shape), END,
};
static const struct field drop_index_fields[] = {
    OPF(pcsm_ddl_drop_index, index, J_STR), OPF(pcsm_ddl_drop_index, flags, J_BITS, flag_names),
    END,
};
static const struct field add_constraint_fields[] = {
    OPF(pcsm_ddl_add_constraint, table, J_STR),
    OPF(pcsm_ddl_add_constraint, constraint, J_STRUCT, &constraint_shape), END,
};
static const struct field drop_constraint_fields[] = {
    OPF(pcsm_ddl_drop_constraint, table, J_STR),
    OPF(pcsm_ddl_drop_constraint, constraint, J_STR),
    OPF(pcsm_ddl_drop_constraint, flags, J_BITS, flag_names), END,
};
static const struct field validate_constraint_fields[] = {
    OPF(pcsm_ddl_validate_constraint, table, J_STR),
    OPF(pcsm_ddl_validate_constraint, constraint, J_STR), END,
};
static const struct field extension_fields[] = {
    OPF(pcsm_ddl_extension, extension, J_STR), OPF(pcsm_ddl_extension, flags, J_BITS, flag_names),
    END,
};
static const struct field create_enum_fields[] = {
    OPF(pcsm_ddl_create_enum, type, J_STR), OPF(pcsm_ddl_create_enum, labels, J_NAMES), END,
};
static const struct field add_enum_value_fields[] = {
    OPF(pcsm_ddl_add_enum_value, type, J_STR), OPF(pcsm_ddl_add_enum_value, label, J_STR),
    OPF(pcsm_ddl_add_enum_value, place, J_STRUCT, &place_shape),
    OPF(pcsm_ddl_add_enum_value, flags, J_BITS, flag_names), END,
};
static const struct field rename_enum_value_fields[] = {
    OPF(pcsm_ddl_rename_enum_value, type, J_STR), OPF(pcsm_ddl_rename_enum_value, label, J_STR),
    OPF(pcsm_ddl_rename_enum_value, new_label, J_STR), END,
};
static const struct field drop_type_fields[] = {
    OPF(pcsm_ddl_drop_type, type, J_STR), OPF(pcsm_ddl_drop_type, flags, J_BITS, flag_names),
    END,
};
static const struct field create_function_fields[] = {
    OPF(pcsm_ddl_create_function, function, J_STRUCT, &function_shape), END,
};
static const struct field drop_function_fields[] = {
    OPF(pcsm_ddl_drop_function, function, J_STR),
    OPF(pcsm_ddl_drop_function, arguments, J_STR),
    OPF(pcsm_ddl_drop_function, flags, J_BITS, flag_names), END,
};
static const struct field create_trigger_fields[] = {
    OPF(pcsm_ddl_create_trigger, trigger, J_STRUCT, &trigger_shape), END,
};
static const struct field drop_trigger_fields[] = {
    OPF(pcsm_ddl_drop_trigger, table, J_STR), OPF(pcsm_ddl_drop_trigger, trigger, J_STR),
    OPF(pcsm_ddl_drop_trigger, flags, J_BITS, flag_names), END,
};
static const struct field privileges_fields[] = {
    F(pcsm_privileges, on, J_ENUM, privilege_objects), F(pcsm_privileges, name, J_STR),
    F(pcsm_privileges, arguments, J_STR), F(pcsm_privileges, columns, J_NAMES),
    F(pcsm_privileges, privileges, J_BITS, privilege_names), F(pcsm_privileges, roles, J_NAMES),
    F(pcsm_privileges, grant_option, J_BOOL), END,
};
static const struct shape privileges_shape = { sizeof(pcsm_privileges), privileges_fields };
static const struct field default_privileges_fields[] = {
    F(pcsm_default_privileges, on, J_ENUM, privilege_objects),
    F(pcsm_default_privileges, privileges, J_BITS, privilege_names),
    F(pcsm_default_privileges, roles, J_NAMES),
    F(pcsm_default_privileges, grant_option, J_BOOL),
    F(pcsm_default_privileges, in_schema, J_BOOL),
    F(pcsm_default_privileges, for_role, J_STR), END,
};
static const struct shape default_privileges_shape = {
    sizeof(pcsm_default_privileges), default_privileges_fields,
};
static const struct field grant_fields[] = {
    OPF(pcsm_ddl_grant, grant, J_STRUCT, &privileges_shape), END,
};
static const struct field default_fields[] = {
    OPF(pcsm_ddl_default_privileges, defaults, J_STRUCT, &default_privileges_shape), END,
};
static const struct field create_policy_fields[] = {
    OPF(pcsm_ddl_create_policy, policy, J_STRUCT, &policy_shape), END,
};
static const struct field drop_policy_fields[] = {
    OPF(pcsm_ddl_drop_policy, table, J_STR), OPF(pcsm_ddl_drop_policy, policy, J_STR),
    OPF(pcsm_ddl_drop_policy, flags, J_BITS, flag_names), END,
};
static const struct field set_row_security_fields[] = {
    OPF(pcsm_ddl_set_row_security, table, J_STR),
    OPF(pcsm_ddl_set_row_security, how, J_ENUM, row_securities), END,
};
static const struct field set_trigger_firing_fields[] = {
    OPF(pcsm_ddl_set_trigger_firing, table, J_STR),
    OPF(pcsm_ddl_set_trigger_firing, trigger, J_STR),
    OPF(pcsm_ddl_set_trigger_firing, firing, J_ENUM, trigger_firings), END,
};
static const struct field add_identity_fields[] = {
    OPF(pcsm_ddl_add_identity, table, J_STR), OPF(pcsm_ddl_add_identity, column, J_STR),
    OPF(pcsm_ddl_add_identity, identity, J_ENUM, identities),
    OPF(pcsm_ddl_add_identity, options, J_STRUCT, &seqopt_shape), END,
};
static const struct field set_identity_fields[] = {
    OPF(pcsm_ddl_set_identity, table, J_STR), OPF(pcsm_ddl_set_identity, column, J_STR),
    OPF(pcsm_ddl_set_identity, identity, J_ENUM, identities), END,
};
static const struct field comment_on_fields[] = {
    OPF(pcsm_ddl_comment_on, kind, J_ENUM, object_kinds), OPF(pcsm_ddl_comment_on, name, J_STR),
    OPF(pcsm_ddl_comment_on, of, J_STR), OPF(pcsm_ddl_comment_on, comment, J_STR), END,
};
static const struct field drop_identity_fields[] = {
    OPF(pcsm_ddl_drop_identity, table, J_STR), OPF(pcsm_ddl_drop_identity, column, J_STR),
    OPF(pcsm_ddl_drop_identity, flags, J_BITS, flag_names), END,
};
static const struct field sequence_fields[] = {
    OPF(pcsm_ddl_sequence, sequence, J_STR),
    OPF(pcsm_ddl_sequence, options, J_STRUCT, &seqopt_shape),
    OPF(pcsm_ddl_sequence, owned_by_table, J_STR), OPF(pcsm_ddl_sequence, owned_by_column, J_STR),
    OPF(pcsm_ddl_sequence, owned_by_none, J_BOOL), END,
};
static const struct field create_collation_fields[] = {
    OPF(pcsm_ddl_create_collation, collation, J_STRUCT, &collation_shape), END,
};
static const struct field rename_collation_fields[] = {
    OPF(pcsm_ddl_rename_collation, collation, J_STR),
    OPF(pcsm_ddl_rename_collation, new_name, J_STR), END,
};
static const struct field drop_collation_fields[] = {
    OPF(pcsm_ddl_drop_collation, collation, J_STR),
    OPF(pcsm_ddl_drop_collation, flags, J_BITS, flag_names), END,
};
static const struct field enum_column_fields[] = {
    F(pcsm_enum_column, table, J_STR, NULL, 0, true), F(pcsm_enum_column, column, J_STR),
    F(pcsm_enum_column, array, J_BOOL),
    F(pcsm_enum_column, default_value, J_STRUCT, &value_shape), END,
};
static const struct shape enum_column_shape = { sizeof(pcsm_enum_column), enum_column_fields };
static const struct field recreate_enum_fields[] = {
    OPF(pcsm_ddl_recreate_enum, type, J_STR), OPF(pcsm_ddl_recreate_enum, labels, J_NAMES),
    OPF(pcsm_ddl_recreate_enum, columns, J_ARRAY, &enum_column_shape,
        offsetof(struct pcsm_ddl_recreate_enum, n_columns)), END,
};
static const struct field create_composite_type_fields[] = {
    OPF(pcsm_ddl_create_composite_type, type, J_STR),
    OPF(pcsm_ddl_create_composite_type, attributes, J_ARRAY, &attribute_shape,
        offsetof(struct pcsm_ddl_create_composite_type, n_attributes)), END,
};
/* Every ALTER TYPE ... ATTRIBUTE is one kind by `action`. */
static const struct field alter_composite_type_fields[] = {
    OPF(pcsm_ddl_alter_composite_type, type, J_STR),
    OPF(pcsm_ddl_alter_composite_type, action, J_ENUM, attribute_actions, 0, true),
    OPF(pcsm_ddl_alter_composite_type, attribute, J_STRUCT, &attribute_shape),
    OPF(pcsm_ddl_alter_composite_type, new_name, J_STR),
    OPF(pcsm_ddl_alter_composite_type, flags, J_BITS, flag_names), END,
};
static const struct field create_range_type_fields[] = {
    OPF(pcsm_ddl_create_range_type, range, J_STRUCT, &range_shape), END,
};
static const struct field create_domain_fields[] = {
    OPF(pcsm_ddl_create_domain, domain, J_STRUCT, &domain_shape), END,
};
/*
 * Every ALTER DOMAIN is one kind by `action`; a constraint is named by
 * constraint.name (the whole of it for add_constraint).
 */
static const struct field alter_domain_fields[] = {
    OPF(pcsm_ddl_alter_domain, domain, J_STR),
    OPF(pcsm_ddl_alter_domain, action, J_ENUM, domain_actions, 0, true),
    OPF(pcsm_ddl_alter_domain, value, J_STRUCT, &value_shape),
    OPF(pcsm_ddl_alter_domain, constraint, J_STRUCT, &constraint_shape),
    OPF(pcsm_ddl_alter_domain, new_name, J_STR),
    OPF(pcsm_ddl_alter_domain, flags, J_BITS, flag_names), END,
};
static const struct field drop_domain_fields[] = {
    OPF(pcsm_ddl_drop_domain, domain, J_STR),
    OPF(pcsm_ddl_drop_domain, flags, J_BITS, flag_names), END,
};
static const struct field rename_sequence_fields[] = {
    OPF(pcsm_ddl_rename_sequence, sequence, J_STR),
    OPF(pcsm_ddl_rename_sequence, new_name, J_STR), END,
};
static const struct field drop_sequence_fields[] = {
    OPF(pcsm_ddl_drop_sequence, sequence, J_STR),
    OPF(pcsm_ddl_drop_sequence, flags, J_BITS, flag_names), END,
};
static const struct field create_view_fields[] = {
    OPF(pcsm_ddl_create_view, view, J_STRUCT, &view_shape), END,
};
static const struct field rename_view_fields[] = {
    OPF(pcsm_ddl_rename_view, view, J_STR), OPF(pcsm_ddl_rename_view, new_name, J_STR), END,
};
static const struct field view_ref_fields[] = {
    OPF(pcsm_ddl_view_ref, view, J_STR), OPF(pcsm_ddl_view_ref, flags, J_BITS, flag_names), END,
};
static const struct field execute_fields[] = {
    OPF(pcsm_ddl_execute, sql, J_STR), END,
};
static const struct field execute_params_fields[] = {
    OPF(pcsm_ddl_execute_params, sql, J_STR),
    OPF(pcsm_ddl_execute_params, params, J_ARRAY, &value_shape,
        offsetof(struct pcsm_ddl_execute_params, n_params)), END,
};
static const struct field batch_update_fields[] = {
    OPF(pcsm_ddl_batch_update, table, J_STR), OPF(pcsm_ddl_batch_update, key, J_STR),
    OPF(pcsm_ddl_batch_update, set_sql, J_STR), OPF(pcsm_ddl_batch_update, where_sql, J_STR),
    OPF(pcsm_ddl_batch_update, batch_size, J_LONG), END,
};
static const struct field assert_fields[] = {
    OPF(pcsm_ddl_assert, condition, J_STR), OPF(pcsm_ddl_assert, message, J_STR), END,
};
static const struct field no_fields[] = { END };
static const struct field set_local_fields[] = {
    OPF(pcsm_ddl_set_local, name, J_STR), OPF(pcsm_ddl_set_local, value, J_STR), END,
};
static const struct field lock_table_fields[] = {
    OPF(pcsm_ddl_lock_table, table, J_STR),
    OPF(pcsm_ddl_lock_table, mode, J_ENUM, lock_modes),
    OPF(pcsm_ddl_lock_table, flags, J_BITS, lock_flag_names), END,
};
/* The guarded operations ("ops") are decoded apart, each as an operation of its own. */
static const struct field if_fields[] = {
    OPF(pcsm_ddl_if, condition, J_STR), END,
};
static const struct field batch_update_from_fields[] = {
    OPF(pcsm_ddl_batch_update, table, J_STR), OPF(pcsm_ddl_batch_update, key, J_STR),
    OPF(pcsm_ddl_batch_update, set_sql, J_STR), OPF(pcsm_ddl_batch_update, from_sql, J_STR),
    OPF(pcsm_ddl_batch_update, where_sql, J_STR),
    OPF(pcsm_ddl_batch_update, batch_size, J_LONG), END,
};
static const struct field rename_index_fields[] = {
    OPF(pcsm_ddl_rename_index, index, J_STR), OPF(pcsm_ddl_rename_index, new_name, J_STR), END,
};
static const struct field rename_constraint_fields[] = {
    OPF(pcsm_ddl_rename_constraint, table, J_STR),
    OPF(pcsm_ddl_rename_constraint, constraint, J_STR),
    OPF(pcsm_ddl_rename_constraint, new_name, J_STR), END,
};
static const struct field namespace_fields[] = {
    OPF(pcsm_ddl_namespace, name, J_STR), OPF(pcsm_ddl_namespace, flags, J_BITS, flag_names),
    END,
};

#pragma GCC diagnostic pop

/* ------------------------------------------------------------ the calls */

/*
 * Each records its decoded struct through the API call that takes it
 * apart again; a kind recorded by two calls (alter_sequence, whose owner
 * is pcsm_set_sequence_owner()'s) makes both.
 */
#define CALL(kind, type) static void call_##kind(pcsm_op *op, const void *p) \
    { const struct type *u = p; (void)u;
#define END_CALL }

CALL(create_table, pcsm_ddl_create_table)
    /* A key without a strategy is refused by the call, as create_partition's is. */
    if (u->strategy || u->n_key)
        pcsm_create_partitioned_table(op, u->table, (pcsm_partition_key){ u->strategy, u->key },
                                      u->columns, u->constraints, u->comment);
    else if (u->inherits)
        pcsm_create_table_inherits(op, u->table, u->inherits, u->columns, u->constraints,
                                   u->comment);
    else
        pcsm_create_table(op, u->table, u->columns, u->constraints, u->comment);
END_CALL
CALL(inherit, pcsm_ddl_inherit) pcsm_inherit(op, u->table, u->parent); END_CALL
CALL(no_inherit, pcsm_ddl_inherit) pcsm_no_inherit(op, u->table, u->parent); END_CALL
CALL(create_partition, pcsm_ddl_create_partition)
    pcsm_create_partition(op, &(pcsm_partition){ .name = u->table, .parent = u->parent,
                                                 .bound = u->bound,
                                                 .partition_by = { u->strategy, u->key },
                                                 .constraints = u->constraints,
                                                 .comment = u->comment });
END_CALL
CALL(attach_partition, pcsm_ddl_partition_of)
    pcsm_attach_partition(op, u->table, u->partition, u->bound);
END_CALL
CALL(detach_partition, pcsm_ddl_partition_of)
    pcsm_detach_partition(op, u->table, u->partition);
END_CALL
CALL(drop_table, pcsm_ddl_drop_table) pcsm_drop_table(op, u->table, u->flags); END_CALL
CALL(rename_table, pcsm_ddl_rename_table)
    pcsm_rename_table(op, u->table, u->new_name);
END_CALL
CALL(comment_table, pcsm_ddl_comment_table)
    pcsm_comment_table(op, u->table, u->comment);
END_CALL
CALL(add_column, pcsm_ddl_add_column) pcsm_add_column(op, u->table, &u->column); END_CALL
CALL(drop_column, pcsm_ddl_drop_column)
    pcsm_drop_column(op, u->table, u->column, u->flags);
END_CALL
CALL(rename_column, pcsm_ddl_rename_column)
    pcsm_rename_column(op, u->table, u->column, u->new_name);
END_CALL
CALL(alter_column_type, pcsm_ddl_alter_column_type)
    if (u->collation)
        pcsm_alter_column_type_collate(op, u->table, u->column, u->type, u->collation,
                                       u->using);
    else
        pcsm_alter_column_type(op, u->table, u->column, u->type, u->using);
END_CALL
CALL(set_default, pcsm_ddl_set_default)
    pcsm_set_default(op, u->table, u->column, u->value);
END_CALL
CALL(drop_default, pcsm_ddl_column_ref) pcsm_drop_default(op, u->table, u->column); END_CALL
CALL(set_not_null, pcsm_ddl_column_ref) pcsm_set_not_null(op, u->table, u->column); END_CALL
CALL(drop_not_null, pcsm_ddl_column_ref)
    pcsm_drop_not_null(op, u->table, u->column);
END_CALL
CALL(comment_column, pcsm_ddl_comment_column)
    pcsm_comment_column(op, u->table, u->column, u->comment);
END_CALL
CALL(create_index, pcsm_ddl_create_index) pcsm_create_index(op, &u->index); END_CALL
CALL(drop_index, pcsm_ddl_drop_index) pcsm_drop_index(op, u->index, u->flags); END_CALL
CALL(add_constraint, pcsm_ddl_add_constraint)
    pcsm_add_constraint(op, u->table, &u->constraint);
END_CALL
CALL(drop_constraint, pcsm_ddl_drop_constraint)
    pcsm_drop_constraint(op, u->table, u->constraint, u->flags);
END_CALL
CALL(validate_constraint, pcsm_ddl_validate_constraint)
    pcsm_validate_constraint(op, u->table, u->constraint);
END_CALL
CALL(create_extension, pcsm_ddl_extension)
    pcsm_create_extension(op, u->extension, u->flags);
END_CALL
CALL(drop_extension, pcsm_ddl_extension)
    pcsm_drop_extension(op, u->extension, u->flags);
END_CALL
CALL(create_enum, pcsm_ddl_create_enum) pcsm_create_enum(op, u->type, u->labels); END_CALL
CALL(add_enum_value, pcsm_ddl_add_enum_value)
    pcsm_add_enum_value(op, u->type, u->label, u->place, u->flags);
END_CALL
CALL(rename_enum_value, pcsm_ddl_rename_enum_value)
    pcsm_rename_enum_value(op, u->type, u->label, u->new_label);
END_CALL
CALL(drop_type, pcsm_ddl_drop_type) pcsm_drop_type(op, u->type, u->flags); END_CALL
CALL(create_function, pcsm_ddl_create_function) pcsm_create_function(op, &u->function); END_CALL
CALL(drop_function, pcsm_ddl_drop_function)
    pcsm_drop_function(op, u->function, u->arguments, u->flags);
END_CALL
CALL(create_trigger, pcsm_ddl_create_trigger) pcsm_create_trigger(op, &u->trigger); END_CALL
CALL(drop_trigger, pcsm_ddl_drop_trigger)
    pcsm_drop_trigger(op, u->table, u->trigger, u->flags);
END_CALL
CALL(create_policy, pcsm_ddl_create_policy) pcsm_create_policy(op, &u->policy); END_CALL
CALL(drop_policy, pcsm_ddl_drop_policy)
    pcsm_drop_policy(op, u->table, u->policy, u->flags);
END_CALL
CALL(set_trigger_firing, pcsm_ddl_set_trigger_firing)
    pcsm_set_trigger_firing(op, u->table, u->trigger, u->firing);
END_CALL
CALL(set_row_security, pcsm_ddl_set_row_security)
    pcsm_set_row_security(op, u->table, u->how);
END_CALL
CALL(add_identity, pcsm_ddl_add_identity)
    pcsm_add_identity(op, u->table, u->column, u->identity, &u->options);
END_CALL
CALL(set_identity, pcsm_ddl_set_identity)
    pcsm_set_identity(op, u->table, u->column, u->identity);
END_CALL
CALL(comment_on, pcsm_ddl_comment_on)
    pcsm_comment_on(op, u->kind, u->name, u->of, u->comment);
END_CALL
CALL(drop_identity, pcsm_ddl_drop_identity)
    pcsm_drop_identity(op, u->table, u->column, u->flags);
END_CALL
CALL(create_sequence, pcsm_ddl_sequence)
    pcsm_create_sequence(op, u->sequence, &u->options, u->owned_by_table, u->owned_by_column);
END_CALL
CALL(alter_sequence, pcsm_ddl_sequence)
    static const pcsm_sequence_options none;
    bool owner = u->owned_by_table || u->owned_by_column || u->owned_by_none;

    if (!owner || memcmp(&u->options, &none, sizeof(none)))
        pcsm_alter_sequence(op, u->sequence, &u->options);
    if (owner)
        pcsm_set_sequence_owner(op, u->sequence, u->owned_by_table, u->owned_by_column);
END_CALL
CALL(create_collation, pcsm_ddl_create_collation)
    pcsm_create_collation(op, &u->collation);
END_CALL
CALL(rename_collation, pcsm_ddl_rename_collation)
    pcsm_rename_collation(op, u->collation, u->new_name);
END_CALL
CALL(drop_collation, pcsm_ddl_drop_collation)
    pcsm_drop_collation(op, u->collation, u->flags);
END_CALL
CALL(recreate_enum, pcsm_ddl_recreate_enum)
    pcsm_recreate_enum(op, u->type, u->labels, u->columns);     /* NULL-table terminated */
END_CALL
CALL(create_composite_type, pcsm_ddl_create_composite_type)
    pcsm_create_composite_type(op, u->type, u->attributes);     /* NULL-name terminated */
END_CALL
CALL(alter_composite_type, pcsm_ddl_alter_composite_type)
    const pcsm_attribute *a = &u->attribute;

    switch (u->action) {
    case PCSM_ATTRIBUTE_ADD: pcsm_add_attribute(op, u->type, a); break;
    case PCSM_ATTRIBUTE_DROP: pcsm_drop_attribute(op, u->type, a->name, u->flags); break;
    case PCSM_ATTRIBUTE_ALTER_TYPE:
        pcsm_alter_attribute_type(op, u->type, a->name, a->type, a->collation);
        break;
    case PCSM_ATTRIBUTE_RENAME: pcsm_rename_attribute(op, u->type, a->name, u->new_name); break;
    }
END_CALL
CALL(create_range_type, pcsm_ddl_create_range_type)
    pcsm_create_range_type(op, &u->range);
END_CALL
CALL(create_domain, pcsm_ddl_create_domain)
    pcsm_create_domain(op, &u->domain);
END_CALL
CALL(alter_domain, pcsm_ddl_alter_domain)
    const char *c = u->constraint.name;

    switch (u->action) {
    case PCSM_DOMAIN_RENAME: pcsm_rename_domain(op, u->domain, u->new_name); break;
    case PCSM_DOMAIN_SET_DEFAULT: pcsm_set_domain_default(op, u->domain, u->value); break;
    case PCSM_DOMAIN_DROP_DEFAULT: pcsm_drop_domain_default(op, u->domain); break;
    case PCSM_DOMAIN_SET_NOT_NULL: pcsm_set_domain_not_null(op, u->domain); break;
    case PCSM_DOMAIN_DROP_NOT_NULL: pcsm_drop_domain_not_null(op, u->domain); break;
    case PCSM_DOMAIN_ADD_CONSTRAINT:
        pcsm_add_domain_constraint(op, u->domain, &u->constraint);
        break;
    case PCSM_DOMAIN_DROP_CONSTRAINT:
        pcsm_drop_domain_constraint(op, u->domain, c, u->flags);
        break;
    case PCSM_DOMAIN_VALIDATE_CONSTRAINT: pcsm_validate_domain_constraint(op, u->domain, c); break;
    case PCSM_DOMAIN_RENAME_CONSTRAINT:
        pcsm_rename_domain_constraint(op, u->domain, c, u->new_name);
        break;
    }
END_CALL
CALL(drop_domain, pcsm_ddl_drop_domain)
    pcsm_drop_domain(op, u->domain, u->flags);
END_CALL
CALL(rename_sequence, pcsm_ddl_rename_sequence)
    pcsm_rename_sequence(op, u->sequence, u->new_name);
END_CALL
CALL(drop_sequence, pcsm_ddl_drop_sequence)
    pcsm_drop_sequence(op, u->sequence, u->flags);
END_CALL
CALL(create_view, pcsm_ddl_create_view) pcsm_create_view(op, &u->view); END_CALL
CALL(rename_view, pcsm_ddl_rename_view) pcsm_rename_view(op, u->view, u->new_name); END_CALL
CALL(drop_view, pcsm_ddl_view_ref) pcsm_drop_view(op, u->view, u->flags); END_CALL
CALL(create_materialized_view, pcsm_ddl_create_view)
    pcsm_create_materialized_view(op, &u->view);
END_CALL
CALL(refresh_materialized_view, pcsm_ddl_view_ref)
    pcsm_refresh_materialized_view(op, u->view, u->flags);
END_CALL
CALL(rename_materialized_view, pcsm_ddl_rename_view)
    pcsm_rename_materialized_view(op, u->view, u->new_name);
END_CALL
CALL(drop_materialized_view, pcsm_ddl_view_ref)
    pcsm_drop_materialized_view(op, u->view, u->flags);
END_CALL
CALL(execute, pcsm_ddl_execute) pcsm_execute(op, u->sql); END_CALL
CALL(execute_params, pcsm_ddl_execute_params)
    pcsm_execute_params(op, u->sql, u->n_params, u->params);
END_CALL
CALL(batch_update, pcsm_ddl_batch_update)
    pcsm_batch_update(op, u->table, u->key, u->set_sql, u->where_sql, u->batch_size);
END_CALL
CALL(assert, pcsm_ddl_assert) pcsm_assert(op, u->condition, u->message); END_CALL
CALL(autocommit_begin, pcsm_ddl_execute) pcsm_autocommit_begin(op); END_CALL
CALL(autocommit_end, pcsm_ddl_execute) pcsm_autocommit_end(op); END_CALL
CALL(set_local, pcsm_ddl_set_local) pcsm_set_local(op, u->name, u->value); END_CALL
CALL(lock_table, pcsm_ddl_lock_table) pcsm_lock_table(op, u->table, u->mode, u->flags); END_CALL
/* Its guarded operations follow, then one_op() closes it with pcsm_end_if(). */
CALL(if, pcsm_ddl_if) pcsm_if(op, u->condition); END_CALL
CALL(batch_update_from, pcsm_ddl_batch_update)
    pcsm_batch_update_from(op, u->table, u->key, u->set_sql, u->from_sql, u->where_sql,
                           u->batch_size);
END_CALL
CALL(rename_index, pcsm_ddl_rename_index) pcsm_rename_index(op, u->index, u->new_name); END_CALL
CALL(attach_index, pcsm_ddl_attach_index)
    pcsm_attach_index(op, u->index, u->partition_index);
END_CALL
CALL(grant, pcsm_ddl_grant) pcsm_grant(op, &u->grant); END_CALL
CALL(revoke, pcsm_ddl_grant) pcsm_revoke(op, &u->grant); END_CALL
CALL(grant_default, pcsm_ddl_default_privileges) pcsm_grant_default(op, &u->defaults); END_CALL
CALL(revoke_default, pcsm_ddl_default_privileges)
    pcsm_revoke_default(op, &u->defaults);
END_CALL
CALL(rename_constraint, pcsm_ddl_rename_constraint)
    pcsm_rename_constraint(op, u->table, u->constraint, u->new_name);
END_CALL
CALL(create_schema, pcsm_ddl_namespace) pcsm_create_schema(op, u->name, u->flags); END_CALL
CALL(drop_schema, pcsm_ddl_namespace) pcsm_drop_schema(op, u->name, u->flags); END_CALL

struct kind {
    enum pcsm_ddl_kind kind;        /* its name is pcsm_op__kind_name()'s */
    const struct field *fields;
    void (*call)(pcsm_op *op, const void *u);
    bool raw_sql;                   /* counted as raw SQL in the summary */
};

#define KIND(K, name, fields) { PCSM_OP_##K, fields, call_##name, false }

/* Every kind of ops.h; a new kind is a row (its fields and its call above). */
static const struct kind kinds[] = {
    KIND(CREATE_TABLE, create_table, create_table_fields),
    KIND(DROP_TABLE, drop_table, drop_table_fields),
    KIND(RENAME_TABLE, rename_table, rename_table_fields),
    KIND(COMMENT_TABLE, comment_table, comment_table_fields),
    KIND(ADD_COLUMN, add_column, add_column_fields),
    KIND(DROP_COLUMN, drop_column, drop_column_fields),
    KIND(RENAME_COLUMN, rename_column, rename_column_fields),
    KIND(ALTER_COLUMN_TYPE, alter_column_type, alter_column_type_fields),
    KIND(SET_DEFAULT, set_default, set_default_fields),
    KIND(DROP_DEFAULT, drop_default, column_ref_fields),
    KIND(SET_NOT_NULL, set_not_null, column_ref_fields),
    KIND(DROP_NOT_NULL, drop_not_null, column_ref_fields),
    KIND(COMMENT_COLUMN, comment_column, comment_column_fields),
    KIND(CREATE_INDEX, create_index, create_index_fields),
    KIND(DROP_INDEX, drop_index, drop_index_fields),
    KIND(ADD_CONSTRAINT, add_constraint, add_constraint_fields),
    KIND(DROP_CONSTRAINT, drop_constraint, drop_constraint_fields),
    KIND(VALIDATE_CONSTRAINT, validate_constraint, validate_constraint_fields),
    KIND(CREATE_EXTENSION, create_extension, extension_fields),
    KIND(DROP_EXTENSION, drop_extension, extension_fields),
    KIND(CREATE_ENUM, create_enum, create_enum_fields),
    KIND(RECREATE_ENUM, recreate_enum, recreate_enum_fields),
    KIND(ADD_ENUM_VALUE, add_enum_value, add_enum_value_fields),
    KIND(RENAME_ENUM_VALUE, rename_enum_value, rename_enum_value_fields),
    KIND(DROP_TYPE, drop_type, drop_type_fields),
    KIND(CREATE_FUNCTION, create_function, create_function_fields),
    KIND(DROP_FUNCTION, drop_function, drop_function_fields),
    KIND(CREATE_TRIGGER, create_trigger, create_trigger_fields),
    KIND(DROP_TRIGGER, drop_trigger, drop_trigger_fields),
    KIND(ADD_IDENTITY, add_identity, add_identity_fields),
    KIND(DROP_IDENTITY, drop_identity, drop_identity_fields),
    KIND(CREATE_SEQUENCE, create_sequence, sequence_fields),
    KIND(ALTER_SEQUENCE, alter_sequence, sequence_fields),
    KIND(RENAME_SEQUENCE, rename_sequence, rename_sequence_fields),
    KIND(DROP_SEQUENCE, drop_sequence, drop_sequence_fields),
    KIND(CREATE_VIEW, create_view, create_view_fields),
    KIND(RENAME_VIEW, rename_view, rename_view_fields),
    KIND(DROP_VIEW, drop_view, view_ref_fields),
    KIND(CREATE_MATERIALIZED_VIEW, create_materialized_view, create_view_fields),
    KIND(REFRESH_MATERIALIZED_VIEW, refresh_materialized_view, view_ref_fields),
    KIND(RENAME_MATERIALIZED_VIEW, rename_materialized_view, rename_view_fields),
    KIND(DROP_MATERIALIZED_VIEW, drop_materialized_view, view_ref_fields),
    { PCSM_OP_EXECUTE, execute_fields, call_execute, true },
    { PCSM_OP_EXECUTE_PARAMS, execute_params_fields, call_execute_params, true },
    KIND(BATCH_UPDATE, batch_update, batch_update_fields),
    KIND(ASSERT, assert, assert_fields),
    KIND(AUTOCOMMIT_BEGIN, autocommit_begin, no_fields),
    KIND(AUTOCOMMIT_END, autocommit_end, no_fields),
    KIND(SET_LOCAL, set_local, set_local_fields),
    KIND(LOCK_TABLE, lock_table, lock_table_fields),
    KIND(IF, if, if_fields),
    KIND(BATCH_UPDATE_FROM, batch_update_from, batch_update_from_fields),
    KIND(RENAME_INDEX, rename_index, rename_index_fields),
    KIND(RENAME_CONSTRAINT, rename_constraint, rename_constraint_fields),
    KIND(CREATE_SCHEMA, create_schema, namespace_fields),
    KIND(DROP_SCHEMA, drop_schema, namespace_fields),
    KIND(CREATE_POLICY, create_policy, create_policy_fields),
    KIND(DROP_POLICY, drop_policy, drop_policy_fields),
    KIND(SET_ROW_SECURITY, set_row_security, set_row_security_fields),
    KIND(SET_TRIGGER_FIRING, set_trigger_firing, set_trigger_firing_fields),
    KIND(SET_IDENTITY, set_identity, set_identity_fields),
    KIND(COMMENT_ON, comment_on, comment_on_fields),
    KIND(CREATE_COLLATION, create_collation, create_collation_fields),
    KIND(RENAME_COLLATION, rename_collation, rename_collation_fields),
    KIND(DROP_COLLATION, drop_collation, drop_collation_fields),
    KIND(CREATE_DOMAIN, create_domain, create_domain_fields),
    KIND(ALTER_DOMAIN, alter_domain, alter_domain_fields),
    KIND(DROP_DOMAIN, drop_domain, drop_domain_fields),
    KIND(CREATE_COMPOSITE_TYPE, create_composite_type, create_composite_type_fields),
    KIND(ALTER_COMPOSITE_TYPE, alter_composite_type, alter_composite_type_fields),
    KIND(CREATE_RANGE_TYPE, create_range_type, create_range_type_fields),
    KIND(CREATE_PARTITION, create_partition, create_partition_fields),
    KIND(ATTACH_PARTITION, attach_partition, partition_of_fields),
    KIND(DETACH_PARTITION, detach_partition, partition_of_fields),
    KIND(INHERIT, inherit, inherit_fields),
    KIND(NO_INHERIT, no_inherit, inherit_fields),
    KIND(ATTACH_INDEX, attach_index, attach_index_fields),
    KIND(GRANT, grant, grant_fields),
    KIND(REVOKE, revoke, grant_fields),
    KIND(GRANT_DEFAULT, grant_default, default_fields),
    KIND(REVOKE_DEFAULT, revoke_default, default_fields),
};

/* ------------------------------------------------------------ decoding */

/* Where a decoding is, for its messages; the arrays it made, freed at the end. */
struct dec {
    pcsm_ctx *ctx;
    const char *file, *rev, *direction;
    long long line;
    const char *opname;
    pcsm_buf member;                /* "columns[1].type.kind" */
    void **allocs;
    size_t n_allocs, cap_allocs;
    const char *scope;              /* the printed pcsm_set_schema()'s, in op's arena */
};

static int dec_fail(struct dec *d, const char *fmt, ...) PCSM_PRINTF(2, 3);

static int dec_fail(struct dec *d, const char *fmt, ...)
{
    pcsm_buf why = PCSM_BUF_INIT, where = PCSM_BUF_INIT;
    va_list ap;
    int rc;

    va_start(ap, fmt);
    pcsm_buf_vprintf(&why, fmt, ap);
    va_end(ap);
    pcsm_buf_printf(&where, "%s: revision %s, %s", d->file, d->rev, d->direction);
    if (d->line > 0)
        pcsm_buf_printf(&where, ", line %lld", d->line);
    if (d->opname)
        pcsm_buf_printf(&where, ": %s", d->opname);
    if (d->member.len)
        pcsm_buf_printf(&where, ": member \"%s\"", d->member.ptr);
    rc = pcsm_error__set(d->ctx, PCSM_EINVALID, "%s: %s", where.ptr, why.ptr);
    pcsm_buf_dispose(&why);
    pcsm_buf_dispose(&where);
    return rc;
}

static void *dec_alloc(struct dec *d, size_t n, size_t size)
{
    void *p = pcsm__xcalloc(n, size);

    pcsm__grow(&d->allocs, &d->cap_allocs, d->n_allocs + 1, sizeof(*d->allocs));
    d->allocs[d->n_allocs++] = p;
    return p;
}

static void member_push(struct dec *d, const char *name, size_t *saved)
{
    *saved = d->member.len;
    if (name)
        pcsm_buf_printf(&d->member, "%s%s", d->member.len ? "." : "", name);
}

static void member_pop(struct dec *d, size_t saved)
{
    d->member.len = saved;
    d->member.ptr[saved] = '\0';
}

static const char *json_kind(const json_t *v)
{
    switch (json_typeof(v)) {
    case JSON_OBJECT: return "an object";
    case JSON_ARRAY: return "a list";
    case JSON_STRING: return "a string";
    case JSON_INTEGER: return "an integer";
    case JSON_REAL: return "a real number";
    case JSON_TRUE: case JSON_FALSE: return "a boolean";
    case JSON_NULL: return "null";
    }
    return "?";
}

static int name_lookup(struct dec *d, const struct name_value *names, const json_t *v,
                       unsigned *out)
{
    const char *s;
    pcsm_buf known = PCSM_BUF_INIT;
    size_t i;
    int rc;

    if (!json_is_string(v))
        return dec_fail(d, "expected a name, got %s", json_kind(v));
    s = json_string_value(v);
    for (i = 0; names[i].name; i++)
        if (!strcmp(names[i].name, s)) {
            *out = names[i].value;
            return 0;
        }
    for (i = 0; names[i].name; i++)
        pcsm_buf_printf(&known, "%s%s", i ? ", " : "", names[i].name);
    rc = dec_fail(d, "unknown name \"%s\" (known: %s)", s, known.ptr);
    pcsm_buf_dispose(&known);
    return rc;
}

static int decode_object(struct dec *d, const json_t *obj, const struct shape *sh, void *dst,
                         bool top);

static int integer(struct dec *d, const json_t *v, long long min, long long max, long long *out)
{
    if (!json_is_integer(v))
        return dec_fail(d, "expected an integer, got %s", json_kind(v));
    *out = json_integer_value(v);
    if (*out < min || *out > max)
        return dec_fail(d, "%lld is out of range", *out);
    return 0;
}

static int decode_field(struct dec *d, const struct field *f, const json_t *v, char *base)
{
    char *at = base + f->off;
    long long n;
    unsigned u;
    size_t i;
    int rc = 0;

    switch (f->kind) {
    case J_STR:
        if (!json_is_string(v))
            return dec_fail(d, "expected a string, got %s", json_kind(v));
        if (strlen(json_string_value(v)) != json_string_length(v))
            return dec_fail(d, "holds a NUL character");
        *(const char **)at = json_string_value(v);
        return 0;
    case J_BOOL:
        if (!json_is_boolean(v))
            return dec_fail(d, "expected true or false, got %s", json_kind(v));
        *(bool *)at = json_is_true(v);
        return 0;
    case J_INT:
        if ((rc = integer(d, v, INT_MIN, INT_MAX, &n)) == 0)
            *(int *)at = (int)n;
        return rc;
    case J_LONG:
        if ((rc = integer(d, v, LONG_MIN, LONG_MAX, &n)) == 0)
            *(long *)at = (long)n;
        return rc;
    case J_LLONG:
        if ((rc = integer(d, v, LLONG_MIN, LLONG_MAX, &n)) == 0)
            *(long long *)at = n;
        return rc;
    case J_SEQVAL:
        if ((rc = integer(d, v, LLONG_MIN, LLONG_MAX, &n)) == 0)
            *(pcsm_seq_value *)at = PCSM_SEQ_VALUE(n);
        return rc;
    case J_ENUM:
        if ((rc = name_lookup(d, f->aux, v, &u)) == 0) {
            int e = (int)u;

            memcpy(at, &e, sizeof(e));      /* each enum of ddl.h is int-sized */
        }
        return rc;
    case J_BITS:
        if (!json_is_array(v))
            return dec_fail(d, "expected a list of names, got %s", json_kind(v));
        for (i = 0; i < json_array_size(v) && rc == 0; i++) {
            rc = name_lookup(d, f->aux, json_array_get(v, i), &u);
            *(unsigned *)at |= u;
        }
        return rc;
    case J_NAMES: {
        const char **names;

        if (!json_is_array(v))
            return dec_fail(d, "expected a list of strings, got %s", json_kind(v));
        names = dec_alloc(d, json_array_size(v) + 1, sizeof(*names));
        for (i = 0; i < json_array_size(v); i++) {
            const json_t *s = json_array_get(v, i);

            if (!json_is_string(s) || strlen(json_string_value(s)) != json_string_length(s))
                return dec_fail(d, "item %zu: expected a string, got %s", i, json_kind(s));
            names[i] = json_string_value(s);
        }
        *(const char *const **)at = names;
        return 0;
    }
    case J_STRUCT:
        return decode_object(d, v, f->aux, at, false);
    case J_ARRAY: {
        const struct shape *sh = f->aux;
        char *items;
        size_t saved = d->member.len;

        if (!json_is_array(v))
            return dec_fail(d, "expected a list of objects, got %s", json_kind(v));
        /* One more, zeroed: the terminator that the API's lists end with. */
        items = dec_alloc(d, json_array_size(v) + 1, sh->size);
        for (i = 0; i < json_array_size(v) && rc == 0; i++) {
            pcsm_buf_printf(&d->member, "[%zu]", i);
            rc = decode_object(d, json_array_get(v, i), sh, items + i * sh->size, false);
            member_pop(d, saved);
        }
        *(void **)at = items;
        if (f->count_off != NO_COUNT)
            *(size_t *)(base + f->count_off) = json_array_size(v);
        return rc;
    }
    }
    abort();
}

/*
 * Fills dst (zeroed, sh->size bytes) from obj: every member known, of its
 * JSON type.  `top`: an operation, whose "op", "line" and "schema" are
 * read apart.
 */
static int decode_object(struct dec *d, const json_t *obj, const struct shape *sh, void *dst,
                         bool top)
{
    const struct field *f;
    const char *key;
    json_t *v;
    size_t saved;
    int rc = 0;

    if (!json_is_object(obj))
        return dec_fail(d, "expected an object, got %s", json_kind(obj));
    json_object_foreach((json_t *)obj, key, v) {
        if (top && (!strcmp(key, "op") || !strcmp(key, "line") || !strcmp(key, "schema")))
            continue;
        for (f = sh->fields; f->name && strcmp(f->name, key); f++)
            ;
        if (!f->name || strlen(key) == 0) {
            member_push(d, key, &saved);
            rc = dec_fail(d, "unknown member");
            member_pop(d, saved);
            return rc;
        }
    }
    for (f = sh->fields; f->name && rc == 0; f++) {
        v = json_object_get(obj, f->name);
        member_push(d, f->name, &saved);
        if ((!v || json_is_null(v)) && f->required)
            rc = dec_fail(d, "is required");
        else if (v && !json_is_null(v))
            rc = decode_field(d, f, v, dst);
        member_pop(d, saved);
    }
    return rc;
}

/* ------------------------------------------------------------ placeholders */

/*
 * Appends the Python as it may stand in a C comment: "*" "/" would end it
 * and "/" "*" draws -Wcomment, "??/" at a line end would splice the next
 * line into it (-Wtrigraphs), and the bidirectional controls draw
 * -Wbidi-chars; other control characters become a space.
 */
static void comment_text(pcsm_buf *out, const char *s)
{
    for (; *s; s++) {
        const unsigned char *p = (const unsigned char *)s;

        if (p[0] == 0xe2 && ((p[1] == 0x80 && (p[2] == 0x8e || p[2] == 0x8f ||
                                               (p[2] >= 0xaa && p[2] <= 0xae))) ||
                             (p[1] == 0x81 && p[2] >= 0xa6 && p[2] <= 0xa9))) {
            pcsm_buf_printf(out, "<U+%04X>", ((p[0] & 0x0fu) << 12) | ((p[1] & 0x3fu) << 6) |
                            (p[2] & 0x3fu));
            s += 2;
            continue;
        }
        if (p[0] == 0xd8 && p[1] == 0x9c) {     /* U+061C */
            pcsm_buf_puts(out, "<U+061C>");
            s += 1;
            continue;
        }
        if (*p < 0x20 && *p != '\n' && *p != '\t')
            pcsm_buf_putc(out, ' ');
        else
            pcsm_buf_putc(out, *s);
        if ((s[0] == '*' && s[1] == '/') || (s[0] == '/' && s[1] == '*') ||
            (s[0] == '?' && s[1] == '?' && s[2] == '/'))
            pcsm_buf_putc(out, ' ');
        if (s[0] == '?' && s[1] == '?' && s[2] == '/') {
            pcsm_buf_puts(out, "?");
            s++;
        }
    }
}

/* Each line of text (comment-safe) as " * " + indent + line; no trailing newline needed. */
static void comment_lines(pcsm_buf *out, const char *text, const char *indent)
{
    pcsm_buf safe = PCSM_BUF_INIT;
    const char *p, *nl;

    comment_text(&safe, text);
    for (p = safe.ptr; *p; p = nl + 1) {
        nl = strchr(p, '\n');
        if (!nl)
            nl = p + strlen(p);
        pcsm_buf_puts(out, "     *");
        if (nl > p)
            pcsm_buf_printf(out, " %s%.*s", indent, (int)(nl - p), p);
        pcsm_buf_putc(out, '\n');
        if (!*nl)
            break;
    }
    pcsm_buf_dispose(&safe);
}

/*
 * A placeholder: a comment quoting the Python, then an #error naming its
 * file and line, so that the build stops there and says where to look.
 */
static void put_placeholder(pcsm_buf *out, const char *file, long long line,
                            const char *reason, const char *python)
{
    pcsm_buf text = PCSM_BUF_INIT, msg = PCSM_BUF_INIT;
    size_t i;

    pcsm_buf_printf(&text, "Imported from %s, line %lld, which cannot run in a revision:\n"
                    "%s.\nWrite what it does with the pcsm_* calls or as SQL, then delete "
                    "the #error.\n", file, line, reason);
    pcsm_buf_puts(out, "    /*\n");
    comment_lines(out, text.ptr, "");
    pcsm_buf_puts(out, "     *\n");
    comment_lines(out, python, "    ");
    pcsm_buf_puts(out, "     */\n#error ");
    pcsm_buf_printf(&msg, "%s:%lld: imported Python cannot run in a revision: %s", file, line,
                    reason);
    /* One line: the directive ends at a newline. */
    for (i = 0; i < msg.len; i++)
        if ((unsigned char)msg.ptr[i] < 0x20)
            msg.ptr[i] = ' ';
    pcsm_render__c_string(msg.ptr, out);
    pcsm_buf_putc(out, '\n');
    pcsm_buf_dispose(&text);
    pcsm_buf_dispose(&msg);
}

/* ------------------------------------------------------------ one direction */

static int get_string(struct dec *d, const json_t *obj, const char *key, bool required,
                      const char **out)
{
    const json_t *v = json_object_get(obj, key);
    size_t saved;
    int rc = 0;

    *out = NULL;
    if (!v || json_is_null(v)) {
        if (!required)
            return 0;
        member_push(d, key, &saved);
        rc = dec_fail(d, "is required");
    } else if (!json_is_string(v) || strlen(json_string_value(v)) != json_string_length(v)) {
        member_push(d, key, &saved);
        rc = dec_fail(d, "expected a string, got %s", json_kind(v));
    } else {
        *out = json_string_value(v);
        return 0;
    }
    member_pop(d, saved);
    return rc;
}

static int placeholder(struct dec *d, const json_t *o, pcsm_buf *out)
{
    const char *key, *reason, *python;
    json_t *v;
    size_t saved;
    int rc;

    json_object_foreach((json_t *)o, key, v) {
        if (strcmp(key, "op") && strcmp(key, "line") && strcmp(key, "reason") &&
            strcmp(key, "python")) {
            member_push(d, key, &saved);
            rc = dec_fail(d, "unknown member");
            member_pop(d, saved);
            return rc;
        }
    }
    if ((rc = get_string(d, o, "reason", true, &reason)) < 0 ||
        (rc = get_string(d, o, "python", true, &python)) < 0)
        return rc;
    put_placeholder(out, d->file, d->line, reason, python);
    return 0;
}

static int one_op(struct dec *d, pcsm_op *op, const json_t *o, pcsm_buf *out,
                  pcsm_import_summary *sum, bool guarded);

/*
 * A guard: {"op": "if", "condition": ..., "ops": [...]}, recorded as the
 * calls are written, pcsm_if(), each guarded operation, pcsm_end_if(); the
 * guard prints them all.
 */
static int one_guard(struct dec *d, pcsm_op *op, const struct kind *k, const json_t *o,
                     pcsm_import_summary *sum)
{
    const json_t *inner = json_object_get(o, "ops");
    json_t *rest;
    struct pcsm_ddl_op decoded;
    struct shape sh;
    pcsm_buf scratch = PCSM_BUF_INIT;
    const char *scope;
    long long line = d->line;
    size_t i, saved;
    int rc;

    /* None at all is left to pcsm_end_if(), which refuses a guard of nothing. */
    if (inner && !json_is_null(inner) && !json_is_array(inner)) {
        member_push(d, "ops", &saved);
        rc = dec_fail(d, "expected a list of operations, got %s", json_kind(inner));
        member_pop(d, saved);
        return rc;
    }
    rest = json_copy((json_t *)o);
    json_object_del(rest, "ops");
    memset(&decoded, 0, sizeof(decoded));
    sh.size = sizeof(decoded.u);
    sh.fields = k->fields;
    rc = decode_object(d, rest, &sh, &decoded.u, true);
    json_decref(rest);
    if (rc < 0)
        return rc;
    pcsm_op_line_(op, (unsigned)line);
    k->call(op, &decoded.u);
    /* The guarded calls are printed again with the guard: the scope they printed is not yet. */
    scope = d->scope;
    for (i = 0; rc == 0 && !pcsm_op__failure(op) && i < json_array_size(inner); i++) {
        saved = d->member.len;
        pcsm_buf_printf(&d->member, "ops[%zu]", i);
        rc = one_op(d, op, json_array_get(inner, i), &scratch, sum, true);
        member_pop(d, saved);
    }
    pcsm_buf_dispose(&scratch);
    d->scope = scope;
    if (rc < 0)
        return rc;
    d->line = line;
    d->opname = "if";
    if (!pcsm_op__failure(op))
        pcsm_end_if(op);
    return 0;
}

static int one_op(struct dec *d, pcsm_op *op, const json_t *o, pcsm_buf *out,
                  pcsm_import_summary *sum, bool guarded)
{
    const struct kind *k = NULL;
    const json_t *line = json_object_get(o, "line");
    const char *name, *schema;
    struct pcsm_ddl_op decoded;
    struct shape sh;
    size_t i, before = pcsm_op__count(op), saved;
    int rc;

    if (!json_is_object(o))
        return dec_fail(d, "an operation is an object, not %s", json_kind(o));
    if (line && !json_is_null(line)) {
        if (!json_is_integer(line) || json_integer_value(line) < 0 ||
            json_integer_value(line) > UINT_MAX) {
            member_push(d, "line", &saved);
            rc = dec_fail(d, "expected a line number, got %s", json_kind(line));
            member_pop(d, saved);
            return rc;
        }
        d->line = json_integer_value(line);
    }
    if ((rc = get_string(d, o, "op", true, &name)) < 0)
        return rc;
    d->opname = name;
    if (!strcmp(name, "placeholder")) {
        /* Its #error is to stand where the Python did, not inside pcsm_if(). */
        if (guarded)
            return dec_fail(d, "a placeholder cannot be guarded; make the whole guard one");
        rc = placeholder(d, o, out);
        if (rc == 0)
            sum->ops_placeholder++;
        return rc;
    }
    for (i = 0; i < sizeof(kinds) / sizeof(kinds[0]) && !k; i++)
        if (!strcmp(pcsm_op__kind_name(kinds[i].kind), name))
            k = &kinds[i];
    if (!k) {
        d->opname = NULL;
        return dec_fail(d, "unknown operation \"%s\"", name);
    }
    if ((rc = get_string(d, o, "schema", false, &schema)) < 0)
        return rc;
    if (schema && !pcsm_op__names_object(k->kind)) {
        member_push(d, "schema", &saved);
        rc = dec_fail(d, "%s names no object of a schema", name);
        member_pop(d, saved);
        return rc;
    }
    /*
     * The recorder's schema is each operation's own, NULL the target: the
     * printer writes pcsm_set_schema() only where it changes.
     */
    pcsm_set_schema(op, schema);
    if (k->kind == PCSM_OP_IF) {
        if ((rc = one_guard(d, op, k, o, sum)) < 0)
            return rc;
    } else {
        memset(&decoded, 0, sizeof(decoded));
        sh.size = sizeof(decoded.u);
        sh.fields = k->fields;
        rc = decode_object(d, o, &sh, &decoded.u, true);
        if (rc < 0)
            return rc;
        pcsm_op_line_(op, (unsigned)d->line);
        k->call(op, &decoded.u);
    }
    if (pcsm_op__failure(op))
        return dec_fail(d, "refused as a revision's call would be: %s", pcsm_op__failure(op));
    for (i = before; i < pcsm_op__count(op); i++)
        pcsm_render__c_op(pcsm_op__at(op, i), &d->scope, out);
    if (k->raw_sql)
        sum->ops_raw_sql++;
    else
        sum->ops_structured++;
    return 0;
}

int pcsm_import__body(pcsm_ctx *ctx, const char *file, const char *rev, bool downgrade,
                      bool nontransactional, const struct json_t *ops, pcsm_buf *out,
                      pcsm_import_summary *sum)
{
    struct dec d = { .ctx = ctx, .file = file, .rev = rev,
                     .direction = downgrade ? "downgrade" : "upgrade",
                     .member = PCSM_BUF_INIT };
    /* The calls check what only a nontransactional revision may do against its flags. */
    const pcsm_revision flagged = { .id = rev, .source_path = file,
                                    .flags = nontransactional ? PCSM_REV_NONTRANSACTIONAL : 0 };
    pcsm_op *op = pcsm_op__new(&flagged, downgrade ? PCSM_DOWNGRADE : PCSM_UPGRADE);
    size_t i;
    int rc = 0;

    if (ops && !json_is_null(ops) && !json_is_array(ops))
        rc = dec_fail(&d, "the operations are a list, not %s", json_kind(ops));
    for (i = 0; rc == 0 && ops && i < json_array_size(ops); i++) {
        d.line = 0;
        d.opname = NULL;
        rc = one_op(&d, op, json_array_get(ops, i), out, sum, false);
        while (d.n_allocs)
            free(d.allocs[--d.n_allocs]);
    }
    /* An autocommit block left open is refused as at the end of a revision's function. */
    if (rc == 0) {
        d.line = 0;
        d.opname = NULL;
        pcsm_op__end_autocommit_check(op);
        if (pcsm_op__failure(op))
            rc = dec_fail(&d, "refused as a revision's call would be: %s",
                          pcsm_op__failure(op));
    }
    /* A placeholder alone leaves op unused: the #error is to be the build's only complaint. */
    if (rc == 0 && pcsm_op__count(op) == 0)
        pcsm_buf_puts(out, "    (void)op;\n");
    free(d.allocs);
    pcsm_buf_dispose(&d.member);
    pcsm_op__free(op);
    return rc;
}

/* ------------------------------------------------------------ the document */

struct imported {
    pcsm_scaffold_rev rev;
    const char **parents;
    pcsm_buf up, down;
};

static int doc_fail(pcsm_ctx *ctx, const char *file, const char *what, ...) PCSM_PRINTF(3, 4);

static int doc_fail(pcsm_ctx *ctx, const char *file, const char *what, ...)
{
    pcsm_buf why = PCSM_BUF_INIT;
    va_list ap;
    int rc;

    va_start(ap, what);
    pcsm_buf_vprintf(&why, what, ap);
    va_end(ap);
    rc = pcsm_error__set(ctx, PCSM_EINVALID, "%s: %s", file ? file : "the import's JSON",
                         why.ptr);
    pcsm_buf_dispose(&why);
    return rc;
}

/*
 * One function's body.  Alembic runs a CREATE INDEX CONCURRENTLY where it
 * is told to (autocommit_block, or a non-transactional env.py); here the
 * whole revision is then nontransactional: recorded as one when the calls
 * refuse it as a transactional one, and flagged so in its header.  The
 * rule stays the API's own.
 */
static int side(pcsm_ctx *ctx, const char *file, const char *rev, bool downgrade,
                const json_t *ops, struct imported *im, pcsm_import_summary *sum)
{
    pcsm_buf *out = downgrade ? &im->down : &im->up;
    pcsm_import_summary got = { 0 };
    size_t start = out->len;
    char *first;
    int rc;

    rc = pcsm_import__body(ctx, file, rev, downgrade, im->rev.nontransactional, ops, out, &got);
    if (rc < 0 && !im->rev.nontransactional) {
        first = pcsm__xstrdup(pcsm_error_last(ctx)->message);
        out->len = start;
        out->ptr[start] = '\0';
        memset(&got, 0, sizeof(got));
        rc = pcsm_import__body(ctx, file, rev, downgrade, true, ops, out, &got);
        if (rc == 0)
            im->rev.nontransactional = true;
        else
            rc = pcsm_error__set(ctx, PCSM_EINVALID, "%s", first);
        free(first);
    }
    if (rc == 0) {
        sum->ops_structured += got.ops_structured;
        sum->ops_raw_sql += got.ops_raw_sql;
        sum->ops_placeholder += got.ops_placeholder;
    }
    return rc;
}

static const char *const rev_members[] = {
    "file", "revision", "down_revision", "branch_labels", "message", "create_date",
    "upgrade", "downgrade", NULL,
};

static int one_rev(pcsm_ctx *ctx, const json_t *r, size_t index, struct imported *im,
                   pcsm_import_summary *sum)
{
    const json_t *file = json_object_get(r, "file"), *down, *v;
    const char *f, *key, *strs[3];
    static const char *const str_keys[] = { "revision", "message", "create_date" };
    size_t i, j, placeholders = sum->ops_placeholder;
    pcsm_import_summary before;
    bool up_outside;
    char label[40];
    int rc;

    snprintf(label, sizeof(label), "revisions[%zu]", index);
    if (!json_is_object(r))
        return doc_fail(ctx, NULL, "%s: expected an object", label);
    f = json_is_string(file) ? json_string_value(file) : label;
    json_object_foreach((json_t *)r, key, v) {
        for (i = 0; rev_members[i] && strcmp(rev_members[i], key); i++)
            ;
        if (!rev_members[i])
            return doc_fail(ctx, f, "member \"%s\": unknown member", key);
    }
    for (i = 0; i < 3; i++) {
        v = json_object_get(r, str_keys[i]);
        strs[i] = json_is_string(v) ? json_string_value(v) : NULL;
        if ((v && !json_is_null(v) && !strs[i]) || (!strs[i] && i < 2))
            return doc_fail(ctx, f, "member \"%s\": expected a string", str_keys[i]);
    }
    if (!json_is_string(file))
        return doc_fail(ctx, f, "member \"file\": expected a string");
    down = json_object_get(r, "down_revision");
    if (down && !json_is_null(down) && !json_is_array(down))
        return doc_fail(ctx, f, "member \"down_revision\": expected a list of revision ids");
    im->parents = pcsm__xcalloc(json_array_size(down) + 1, sizeof(*im->parents));
    for (j = 0; j < json_array_size(down); j++) {
        if (!json_is_string(json_array_get(down, j)))
            return doc_fail(ctx, f, "member \"down_revision\": item %zu: expected a string", j);
        im->parents[j] = json_string_value(json_array_get(down, j));
    }
    im->rev.id = strs[0];
    im->rev.message = strs[1];
    im->rev.create_date = strs[2];
    im->rev.parents = im->parents;
    im->rev.n_parents = json_array_size(down);
    before = *sum;
    rc = side(ctx, f, strs[0], false, json_object_get(r, "upgrade"), im, sum);
    up_outside = im->rev.nontransactional;
    if (rc == 0)
        rc = side(ctx, f, strs[0], true, json_object_get(r, "downgrade"), im, sum);
    if (rc == 0 && !up_outside && im->rev.nontransactional) {
        /* The downgrade made the revision nontransactional: the upgrade must hold so too. */
        *sum = before;
        pcsm_buf_clear(&im->up);
        pcsm_buf_clear(&im->down);
        rc = side(ctx, f, strs[0], false, json_object_get(r, "upgrade"), im, sum);
        if (rc == 0)
            rc = side(ctx, f, strs[0], true, json_object_get(r, "downgrade"), im, sum);
    }
    im->rev.upgrade = im->up.ptr;
    im->rev.downgrade = im->down.ptr;
    if (rc == 0 && sum->ops_placeholder > placeholders)
        sum->revisions_placeholder++;
    else if (rc == 0)
        sum->revisions_clean++;
    return rc;
}

int pcsm_import_alembic_json(pcsm_ctx *ctx, const char *dir, const char *json, size_t len,
                             pcsm_import_summary *summary, char ***paths_out,
                             size_t *n_paths_out)
{
    pcsm_import_summary sum = { 0 };
    json_error_t jerr;
    json_t *doc = json_loadb(json, len, JSON_REJECT_DUPLICATES, &jerr);
    const json_t *revs, *format;
    struct imported *im = NULL;
    pcsm_scaffold_rev *batch = NULL;
    size_t i, n = 0;
    const char *key;
    json_t *v;
    int rc = 0;

    *paths_out = NULL;
    *n_paths_out = 0;
    memset(summary, 0, sizeof(*summary));
    if (!doc)
        return pcsm_error__set(ctx, PCSM_EINVALID, "the import's JSON, line %d column %d: %s",
                               jerr.line, jerr.column, jerr.text);
    revs = json_object_get(doc, "revisions");
    format = json_object_get(doc, "format");
    if (!json_is_object(doc))
        rc = doc_fail(ctx, NULL, "expected an object");
    else if (!json_is_integer(format) || json_integer_value(format) != 1)
        rc = doc_fail(ctx, NULL, "member \"format\": this pcs-migrate reads format 1");
    else if (!json_is_array(revs))
        rc = doc_fail(ctx, NULL, "member \"revisions\": expected a list");
    if (rc == 0)
        json_object_foreach(doc, key, v) {
            if (strcmp(key, "format") && strcmp(key, "source") && strcmp(key, "revisions")) {
                rc = doc_fail(ctx, NULL, "member \"%s\": unknown member", key);
                break;
            }
        }
    if (rc == 0) {
        n = json_array_size(revs);
        im = pcsm__xcalloc(n + 1, sizeof(*im));
        batch = pcsm__xcalloc(n + 1, sizeof(*batch));
    }
    for (i = 0; im && i < n; i++) {
        im[i].up = (pcsm_buf)PCSM_BUF_INIT;
        im[i].down = (pcsm_buf)PCSM_BUF_INIT;
    }
    for (i = 0; rc == 0 && i < n; i++) {
        rc = one_rev(ctx, json_array_get(revs, i), i, &im[i], &sum);
        batch[i] = im[i].rev;
    }
    if (rc == 0)
        rc = pcsm_scaffold_write_revs(ctx, dir, batch, n, paths_out);
    if (rc == 0) {
        *n_paths_out = n;
        *summary = sum;
    }
    for (i = 0; im && i < n; i++) {
        free(im[i].parents);
        pcsm_buf_dispose(&im[i].up);
        pcsm_buf_dispose(&im[i].down);
    }
    free(im);
    free(batch);
    json_decref(doc);
    return rc;
}
