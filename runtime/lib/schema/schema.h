/*
 * The schema layer: a schema as a model (model.c), filled by replaying
 * recorded operations (replay.c) and printed back as operations, so as SQL
 * through the renderer (print.c).  It reads operations and never runs them.
 */
#ifndef PCSM_SCHEMA_PRIVATE_H
#define PCSM_SCHEMA_PRIVATE_H

#include "render/render.h"

/*
 * The model keeps what the DDL API says, in the API's own types, so that
 * printing it is recording API calls.  Every string is owned by the model.
 *
 * Tables, types, functions, sequences, indexes and views have a `schema`:
 * NULL for the target schema (the runner's --schema, where unqualified
 * names go), else the one pcsm_set_schema() named.  An object is found by
 * schema and name together (the *_in lookups); the plain lookups are the
 * target schema's.
 *
 * Replay puts an object in the schema of the operation that made it, and
 * checks names as the server does, per schema: relations (tables,
 * indexes, sequences, views, the indexes behind keys) share one namespace
 * in each, as constraint names the server chooses do.  An object in a
 * schema no create_schema made is accepted: the schema may have been
 * made outside the revisions, as Alembic histories assume.  The model
 * knows a schema that create_schema made or that holds one of its
 * objects; create_schema of one it knows fails unless IF NOT EXISTS, and
 * drop_schema of one it does not know fails unless IF EXISTS.  A name
 * inside a definition that points into a schema the model does not know
 * (a foreign key's "auth"."users", a trigger's function, a nextval()) is
 * taken on trust, not checked; an operation on an object there (drop,
 * alter, lock) must find it in the model, as in the target schema.
 */
/*
 * Privileges (GRANT): what each role other than the object's owner holds,
 * in role order, PUBLIC (role NULL) first; a role holding nothing has no
 * entry.  A new object starts from what the server gives one (EXECUTE on
 * a function, USAGE on a type, to PUBLIC) with the default privileges in
 * force (pcsm_schema__acl_for_new()), so equal privileges compare equal
 * however they came.  The owner's own privileges are not modelled.
 */
struct pcsm_schema_grant {
    char *role;                 /* NULL: PUBLIC */
    unsigned privileges;        /* PCSM_PRIV_* */
    unsigned grantable;         /* those of them WITH GRANT OPTION */
};

struct pcsm_schema_acl {
    struct pcsm_schema_grant *grants;
    size_t n, cap;
};

/*
 * Default privileges (ALTER DEFAULT PRIVILEGES) for the objects of kind
 * `on` that `role` makes.  In every schema, `acl` is what a new object
 * gets instead of the server's own; in a schema, what it gets besides.
 * An entry equal to nothing set is not kept, as the server keeps none.
 */
struct pcsm_schema_default_acl {
    char *role;                 /* FOR ROLE; NULL: the role running the migrations */
    bool in_schema;
    char *schema;               /* in_schema: NULL the target schema */
    enum pcsm_privilege_object on;
    struct pcsm_schema_acl acl;
};

/*
 * A comment is NULL when the object has none: COMMENT ... IS '' removes
 * one, so no object holds an empty one.
 */
struct pcsm_schema_column {
    char *name;
    pcsm_type type;             /* type.name owned */
    bool not_null;
    pcsm_value default_value;   /* text owned; kind NONE: no default */
    /*
     * The column's type when its default was set, if the type changed
     * since (kind NONE otherwise): the server keeps the default as written
     * for that type, cast, and prints it so, which a column made with the
     * new type at once would not match.
     */
    pcsm_type default_type;
    char *comment;
    char *collation;            /* NULL: the type's default */
    char *generated;            /* GENERATED ALWAYS AS (generated) STORED, or NULL */
    enum pcsm_identity identity;
    struct pcsm_seq_state identity_options;     /* identity only */
    /* Its sequence (identity only): the server's name for it, NULL when it numbered one. */
    char *identity_sequence;
    struct pcsm_schema_acl acl;     /* column privileges: none to begin with */
    /*
     * Table inheritance: the column is only its parents' (attislocal
     * false), not the table's own too.  Which parents have it, the model
     * reads off them; a partition's columns are never so marked.
     */
    bool inherited_only;
};

/* A sequence of its own (an identity column's is the column's). */
struct pcsm_schema_sequence {
    char *schema;               /* NULL: the target schema; OWNED BY's table is in it too */
    char *name;
    struct pcsm_seq_state options;
    char *owned_table;          /* OWNED BY owned_table.owned_column, or NULL */
    char *owned_column;
    char *comment;
    struct pcsm_schema_acl acl;
};

struct pcsm_schema_constraint {
    /*
     * NULL when the server chose a name the model cannot know (a CHECK
     * given no name at table level, or a default name already taken):
     * such a constraint is matched by its definition, never by a guess.
     */
    char *name;
    enum pcsm_constraint_kind kind;
    char **columns;             /* NULL-terminated; NULL for CHECK */
    char *references;           /* FOREIGN_KEY */
    char *ref_schema;           /* FOREIGN_KEY: its schema; NULL: the target schema */
    char **ref_columns;         /* NULL: the referenced table's primary key */
    enum pcsm_fk_action on_delete, on_update;
    char *check;
    bool deferrable;
    bool not_valid;
    bool nulls_not_distinct;    /* UNIQUE only */
    /* EXCLUDE only: each key with its operator, NULLS normalized as an index's */
    pcsm_index_element *elements;
    char *method;               /* EXCLUDE only; NULL: btree */
    char *where;                /* EXCLUDE only: its predicate as written (or as deparsed) */
    char *comment;              /* NULL: none (a constraint without a name has none) */
    /* A CHECK of an inheriting table that is only its parents' (conislocal false). */
    bool inherited_only;
};

/* A trigger: it belongs to its table, so goes with it and follows its renames. */
struct pcsm_schema_trigger {
    char *name;                 /* unique within its table */
    enum pcsm_trigger_timing timing;
    unsigned events;            /* PCSM_ON_* */
    bool for_each_row;
    char *function;             /* a function of no arguments */
    char *function_schema;      /* NULL: the target schema */
    char *when;                 /* NULL: none */
    enum pcsm_trigger_firing firing;    /* pg_trigger.tgenabled; 0: ENABLE, as made */
    char *comment;
};

/*
 * A row-level security policy: its table's, as a trigger is.  `roles` in
 * name order, NULL for PUBLIC; the conditions as written (or deparsed).
 */
struct pcsm_schema_policy {
    char *name;                 /* unique within its table */
    enum pcsm_policy_command command;
    bool restrictive;
    char **roles;
    char *using;
    char *with_check;
    char *comment;
};

/*
 * A partition's share of an index or a key of its parent's: the server's
 * index on the partition, attached to the parent's.  `of` names the
 * parent's index, key or share of its own parent's; `name` the
 * partition's index, as the server named it or took it over (ATTACH of a
 * table with one alike).  Never printed or compared: it names what a
 * detached partition keeps, and takes a relation name.
 */
struct pcsm_schema_share {
    char *of;
    char *name;
};

struct pcsm_schema_table {
    char *schema;               /* NULL: the target schema */
    char *name;
    struct pcsm_schema_column *columns;     /* in column order */
    size_t n_columns, cap_columns;
    struct pcsm_schema_constraint *constraints;
    size_t n_constraints, cap_constraints;
    struct pcsm_schema_trigger *triggers;   /* in name order once sorted */
    size_t n_triggers, cap_triggers;
    struct pcsm_schema_policy *policies;    /* in name order once sorted */
    size_t n_policies, cap_policies;
    bool row_security;          /* ENABLE ROW LEVEL SECURITY */
    bool force_row_security;    /* FORCE ROW LEVEL SECURITY: the owner too */
    char *comment;
    struct pcsm_schema_acl acl;
    /*
     * Partitioned (PARTITION BY): its strategy and key, elements as an
     * index's (strings owned); NONE and NULL: not partitioned.
     */
    enum pcsm_partition_strategy partition_strategy;
    pcsm_index_element *partition_key;
    /*
     * A partition: its parent, in its own schema, and its bound as written
     * (or as the server prints it); NULL: not one.  Its columns are its
     * parent's, as the server copies them; what it has of its parent's
     * constraints, indexes and triggers, the server makes and names, and
     * the model holds on the parent only (the catalog reads them so), the
     * names of its indexes and keys in `shares`.
     */
    char *partition_of;
    char *partition_bound;
    /*
     * Table inheritance (INHERITS, partitions aside): its parents, in its
     * own schema, in the server's order (inhseqno); NULL-terminated, NULL
     * for none.  It has their columns and CHECKs, each marked
     * inherited_only unless the table has it of its own too.
     */
    char **inherits;
    /* A partition's shares of its parent's indexes and keys (see pcsm_schema_share). */
    struct pcsm_schema_share *shares;
    size_t n_shares, cap_shares;
    /*
     * Replay only, while create_table fills the table: the constraints it
     * is not given names for are named once all are in, in the server's
     * order (CHECKs, then the keys' indexes, then foreign keys).
     */
    bool naming_later;
};

/* An extension; the objects it brings are its own, not the model's. */
struct pcsm_schema_extension {
    char *name;
    bool cascade;               /* created with CASCADE: its requirements too */
};

/*
 * A collation of the schema's own: `collate` is the locale (LC_COLLATE; an
 * ICU locale), `ctype` LC_CTYPE (libc only: NULL for ICU).
 */
struct pcsm_schema_collation {
    char *schema;               /* NULL: the target schema */
    char *name;
    enum pcsm_collation_provider provider;
    char *collate;
    char *ctype;
    bool nondeterministic;
};

/*
 * A domain: a type with constraints of its own.  Its constraints are the
 * CHECKs on VALUE (kind PCSM_CHECK: name, check as written or deparsed,
 * not_valid, comment), in name order once sorted; every one has a name,
 * the server's when it chose one.
 */
struct pcsm_schema_domain {
    char *schema;               /* NULL: the target schema */
    char *name;
    pcsm_type type;             /* strings owned */
    char *collation;            /* NULL: the type's */
    pcsm_value default_value;   /* text owned; kind NONE: none */
    bool not_null;
    struct pcsm_schema_constraint *constraints;
    size_t n_constraints, cap_constraints;
    char *comment;
    struct pcsm_schema_acl acl;
};

/* A composite type: its attributes in order, strings owned. */
struct pcsm_schema_composite {
    char *schema;               /* NULL: the target schema */
    char *name;
    pcsm_attribute *attributes;
    size_t n_attributes, cap_attributes;
    char *comment;
    struct pcsm_schema_acl acl;
};

/*
 * A range type.  Its multirange type is the server's to make beside it:
 * `multirange` is the name a call gave, NULL for the server's own
 * (pcsm_schema__multirange_name() says which it is).
 */
struct pcsm_schema_range {
    char *schema;               /* NULL: the target schema */
    char *name;
    pcsm_type subtype;          /* strings owned; no modifiers */
    char *subtype_opclass;      /* NULL: the subtype's default btree class */
    char *collation;            /* NULL: the subtype's */
    char *subtype_diff;         /* NULL: none */
    char *subtype_diff_schema;  /* NULL: found by the path (the target schema, pg_catalog) */
    char *multirange;
    char *comment;
    struct pcsm_schema_acl acl;
};

/* An enum type. */
struct pcsm_schema_type {
    char *schema;               /* NULL: the target schema */
    char *name;
    char **labels;              /* NULL-terminated, in sort order */
    char **added_in;            /* n_labels: the revision whose add_enum_value made it, or NULL */
    size_t n_labels;
    char *comment;
    struct pcsm_schema_acl acl;
};

/*
 * A function.  Its identity is name and signature: the input argument
 * types as the server compares them (pcsm_schema__signature), while
 * `arguments` keeps the list as written, names and defaults included, to
 * print it back exactly.
 */
struct pcsm_schema_function {
    char *schema;               /* NULL: the target schema */
    char *name;
    char *arguments;
    char *signature;
    char *returns;
    char *language;
    char *body;
    enum pcsm_volatility volatility;
    bool strict;
    bool security_definer;
    char *comment;
    struct pcsm_schema_acl acl;
};

/* An index made by create_index (not the one behind a constraint). */
struct pcsm_schema_index {
    char *schema;               /* its table's; NULL: the target schema */
    char *name;
    char *table;
    char **columns;             /* NULL-terminated, or NULL with expression */
    char *expression;
    bool unique;
    char *method;               /* NULL: btree */
    char *where;
    /*
     * Instead of columns and expression, when a key has a collation, an
     * operator class or an order of its own, or there are several keys and
     * one is an expression (pcsm_schema__index_keys() decides): terminated
     * by an element with neither column nor expression; strings owned.
     */
    pcsm_index_element *elements;
    bool nulls_not_distinct;
    char *comment;
    /*
     * A partitioned table's index made ON ONLY it, some partition of which
     * has no index of it attached yet (pg_index.indisvalid false).
     */
    bool invalid;
};

/*
 * A view or a materialized view.  The model cannot read its query, so it
 * knows what the view reads only from the author's `reads`; a view
 * without them stands beside an opaque entry that names it (replay.c).
 */
struct pcsm_schema_view {
    char *schema;               /* NULL: the target schema */
    char *name;
    char **columns;             /* NULL-terminated, or NULL: the query's own names */
    char *query;
    char **reads;               /* NULL-terminated, or NULL: not known */
    bool materialized;
    bool populated;             /* materialized only: WITH DATA, or refreshed since */
    char *comment;
    struct pcsm_schema_acl acl;
};

/* A raw-SQL operation: what it did is not known to the model. */
struct pcsm_schema_opaque {
    char *revision;
    size_t op;                  /* its index in the revision's operations */
    char *summary;              /* the statement's first line, shortened */
    char **mentions;            /* every name it holds, folded as the server folds */
};

/*
 * An object a database holds that the model has no place for (a composite type, a
 * rule, a partitioning, privileges, a comment on an index, ...), as the
 * catalog lists it: named, never compared, so that what cannot be checked
 * is said rather than passed over.  Replay never makes one.
 */
struct pcsm_schema_unmodelled {
    char *kind;                 /* "rule", "composite type", "privileges", ... */
    char *schema;               /* NULL: the target schema, or the database's own */
    char *name;                 /* "amount", "items.no_delete", "function f(integer)" */
};

struct pcsm_schema {
    /* The schemas besides the target that create_schema made, in name order once sorted. */
    char **schemas;
    size_t n_schemas, cap_schemas;
    struct pcsm_schema_extension *extensions;
    size_t n_extensions, cap_extensions;
    struct pcsm_schema_collation *collations;
    size_t n_collations, cap_collations;
    struct pcsm_schema_type *types;
    size_t n_types, cap_types;
    struct pcsm_schema_domain *domains;
    size_t n_domains, cap_domains;
    struct pcsm_schema_composite *composites;
    size_t n_composites, cap_composites;
    struct pcsm_schema_range *ranges;
    size_t n_ranges, cap_ranges;
    struct pcsm_schema_function *functions;
    size_t n_functions, cap_functions;
    struct pcsm_schema_sequence *sequences;
    size_t n_sequences, cap_sequences;
    struct pcsm_schema_table *tables;
    size_t n_tables, cap_tables;
    struct pcsm_schema_index *indexes;
    size_t n_indexes, cap_indexes;
    struct pcsm_schema_view *views;         /* in creation order: one may read another */
    size_t n_views, cap_views;
    struct pcsm_schema_default_acl *default_acls;   /* in role, schema, kind order */
    size_t n_default_acls, cap_default_acls;
    struct pcsm_schema_opaque *opaque;
    size_t n_opaque, cap_opaque;
    struct pcsm_schema_unmodelled *unmodelled;     /* in kind, schema, name order */
    size_t n_unmodelled, cap_unmodelled;
};

/* A trigger's firing as diff and JSON say it: "true", "false", "replica" or "always". */
const char *pcsm_schema__firing_text(enum pcsm_trigger_firing firing);

/* acl.c */
void pcsm_schema__acl_dispose(struct pcsm_schema_acl *acl);
void pcsm_schema__acl_copy(struct pcsm_schema_acl *dst, const struct pcsm_schema_acl *src);
bool pcsm_schema__acl_eq(const struct pcsm_schema_acl *a, const struct pcsm_schema_acl *b);
/* A role as the API names it ("public" in any case: PUBLIC) as the model keeps it. */
const char *pcsm_schema__role(const char *role);
/* What `role` (NULL: PUBLIC) holds; NULL for nothing. */
const struct pcsm_schema_grant *pcsm_schema__acl_find(const struct pcsm_schema_acl *acl,
                                                      const char *role);
/*
 * GRANT (`grant`) or REVOKE `privileges` to or from `role` (NULL: PUBLIC;
 * a name is a role's, whatever its case): with `option`, a grant is WITH
 * GRANT OPTION and a revoke takes back the option only.
 */
void pcsm_schema__acl_change(struct pcsm_schema_acl *acl, const char *role,
                             unsigned privileges, bool option, bool grant);
/* What the server gives a new object of kind `on` without default privileges. */
void pcsm_schema__acl_builtin(struct pcsm_schema_acl *acl, enum pcsm_privilege_object on);
/*
 * Sets *acl (empty) to what a new object of kind `on` in `schema` (NULL:
 * the target) gets from the migrating role's default privileges.
 */
void pcsm_schema__acl_for_new(const pcsm_schema *s, enum pcsm_privilege_object on,
                              const char *schema, struct pcsm_schema_acl *acl);
/* The default privileges entry of that role, place and kind, or NULL. */
struct pcsm_schema_default_acl *pcsm_schema__default_acl(const pcsm_schema *s,
                                                         const char *role, bool in_schema,
                                                         const char *schema,
                                                         enum pcsm_privilege_object on);
/*
 * Applies a grant_default or revoke_default to s, adding or removing the
 * entry as the server does.
 */
void pcsm_schema__change_default_acl(pcsm_schema *s, const pcsm_default_privileges *d,
                                     const char *schema, bool grant);
void pcsm_schema__free_default_acls(pcsm_schema *s);
/* Drops the entries IN SCHEMA `schema` (a schema dropped: the server drops them with it). */
void pcsm_schema__drop_default_acls_in(pcsm_schema *s, const char *schema);
/* Drops the entries that say no more than nothing set would, as the server keeps none. */
void pcsm_schema__prune_default_acls(pcsm_schema *s);
/*
 * The GRANTs and REVOKEs that make `to` of `from`, revokes first; `role`
 * points into from or to (NULL: PUBLIC).  Returns how many, *out the
 * caller's to free.
 */
struct pcsm_schema_acl_step {
    const char *role;
    unsigned privileges;
    bool option;                /* grant: WITH GRANT OPTION; revoke: GRANT OPTION FOR */
    bool grant;
};
/*
 * Whether `a` and `b` hold the same, but for what default privileges
 * explain: a privilege one holds and the other lacks is no difference
 * where that side's new objects get it (new_a, new_b) and the other's do
 * not, as on a database migrated under default privileges the revisions
 * do not set.  With the same new objects on both sides, the same grants.
 */
bool pcsm_schema__acl_equivalent(const struct pcsm_schema_acl *a,
                                 const struct pcsm_schema_acl *new_a,
                                 const struct pcsm_schema_acl *b,
                                 const struct pcsm_schema_acl *new_b);
/* *out: `onto` given and taken what `acl` gives and takes against `made`. */
void pcsm_schema__acl_rebase(const struct pcsm_schema_acl *acl,
                             const struct pcsm_schema_acl *made,
                             const struct pcsm_schema_acl *onto, struct pcsm_schema_acl *out);
/* "PUBLIC: EXECUTE; reader: SELECT*, INSERT" (* grantable), malloc'd; NULL for none. */
char *pcsm_schema__acl_text(const struct pcsm_schema_acl *acl);
/* print.c: the steps as grant and revoke calls (`column`: on that column of table `name`). */
void pcsm_schema__record_grants(pcsm_op *op, enum pcsm_privilege_object on, const char *name,
                                const char *arguments, const char *column,
                                const struct pcsm_schema_acl *from,
                                const struct pcsm_schema_acl *to);
/* The same, for steps already taken (pcsm_schema__acl_steps()). */
void pcsm_schema__record_steps(pcsm_op *op, enum pcsm_privilege_object on, const char *name,
                               const char *arguments, const char *column,
                               const struct pcsm_schema_acl_step *steps, size_t n);
/* As grant_default and revoke_default calls for the entry `key` says. */
void pcsm_schema__record_default_acl(pcsm_op *op, const struct pcsm_schema_default_acl *key,
                                     const struct pcsm_schema_acl *from,
                                     const struct pcsm_schema_acl *to);
size_t pcsm_schema__acl_steps(const struct pcsm_schema_acl *from,
                              const struct pcsm_schema_acl *to,
                              struct pcsm_schema_acl_step **out);
bool pcsm_schema__default_acls_eq(const pcsm_schema *a, const pcsm_schema *b);
void pcsm_schema__sort_default_acls(pcsm_schema *s);

/* model.c */
pcsm_schema *pcsm_schema__new(void);
/* Lookups by schema (NULL: the target) and name; the plain ones below are the target's. */
struct pcsm_schema_table *pcsm_schema__table_in(const pcsm_schema *s, const char *schema,
                                                const char *name);
struct pcsm_schema_index *pcsm_schema__index_in(const pcsm_schema *s, const char *schema,
                                                const char *name);
struct pcsm_schema_type *pcsm_schema__type_in(const pcsm_schema *s, const char *schema,
                                              const char *name);
struct pcsm_schema_collation *pcsm_schema__collation_in(const pcsm_schema *s,
                                                        const char *schema, const char *name);
struct pcsm_schema_collation *pcsm_schema__add_collation(pcsm_schema *s);
void pcsm_schema__drop_collation(pcsm_schema *s, struct pcsm_schema_collation *c);
bool pcsm_schema__collation_eq(const struct pcsm_schema_collation *a,
                               const struct pcsm_schema_collation *b);
struct pcsm_schema_domain *pcsm_schema__domain_in(const pcsm_schema *s, const char *schema,
                                                  const char *name);
struct pcsm_schema_domain *pcsm_schema__add_domain(pcsm_schema *s);
void pcsm_schema__drop_domain(pcsm_schema *s, struct pcsm_schema_domain *d);
struct pcsm_schema_constraint *pcsm_schema__domain_constraint(const struct pcsm_schema_domain *d,
                                                              const char *name);
struct pcsm_schema_constraint *pcsm_schema__add_domain_constraint(struct pcsm_schema_domain *d);
void pcsm_schema__drop_domain_constraint(struct pcsm_schema_domain *d,
                                         struct pcsm_schema_constraint *c);
bool pcsm_schema__domain_eq(const struct pcsm_schema_domain *a,
                            const struct pcsm_schema_domain *b);
struct pcsm_schema_composite *pcsm_schema__composite_in(const pcsm_schema *s,
                                                        const char *schema, const char *name);
struct pcsm_schema_composite *pcsm_schema__add_composite(pcsm_schema *s);
void pcsm_schema__drop_composite(pcsm_schema *s, struct pcsm_schema_composite *c);
/* Frees the strings of an attribute the model owns. */
void pcsm_schema__free_attribute(pcsm_attribute *a);
/* Appends a zeroed attribute to c; the pointer lives until the next append. */
pcsm_attribute *pcsm_schema__add_attribute(struct pcsm_schema_composite *c);
bool pcsm_schema__attributes_eq(const struct pcsm_schema_composite *a,
                                const struct pcsm_schema_composite *b);
struct pcsm_schema_range *pcsm_schema__range_in(const pcsm_schema *s, const char *schema,
                                                const char *name);
/* The range of that schema whose multirange type is `name`. */
struct pcsm_schema_range *pcsm_schema__range_of_multirange(const pcsm_schema *s,
                                                           const char *schema,
                                                           const char *name);
struct pcsm_schema_range *pcsm_schema__add_range(pcsm_schema *s);
void pcsm_schema__drop_range(pcsm_schema *s, struct pcsm_schema_range *r);
bool pcsm_schema__range_eq(const struct pcsm_schema_range *a,
                           const struct pcsm_schema_range *b);
/*
 * The name of r's multirange type: r->multirange, else the server's
 * (makeMultirangeTypeName(): "range" in the name made "multirange", else
 * <name>_multirange, cut to 63 bytes).  Allocated.
 */
char *pcsm_schema__multirange_name(const struct pcsm_schema_range *r);
/*
 * A name as quote_identifier() and format_type() write it, quoted only
 * where it must be (no keyword check): a regclass's part, a signature's type.
 */
void pcsm_schema__put_bare_ident(pcsm_buf *out, const char *name);
/* The signature of r's subtype_diff, (subtype, subtype) as the model spells one.  Allocated. */
char *pcsm_schema__range_diff_signature(const struct pcsm_schema_range *r);
/* Whether f is r's subtype_diff: its name, schema and (subtype, subtype) signature. */
bool pcsm_schema__is_range_diff(const struct pcsm_schema_range *r,
                                const struct pcsm_schema_function *f);
struct pcsm_schema_function *pcsm_schema__function_in(const pcsm_schema *s,
                                                      const char *schema, const char *name,
                                                      const char *signature);
struct pcsm_schema_sequence *pcsm_schema__sequence_in(const pcsm_schema *s,
                                                      const char *schema, const char *name);
struct pcsm_schema_view *pcsm_schema__view_in(const pcsm_schema *s, const char *schema,
                                              const char *name);
/* Whether create_schema made `name` (not the target, which always is). */
bool pcsm_schema__has_schema(const pcsm_schema *s, const char *name);
struct pcsm_schema_table *pcsm_schema__table(const pcsm_schema *s, const char *name);
struct pcsm_schema_column *pcsm_schema__column(const struct pcsm_schema_table *t,
                                               const char *name);
/* A constraint of t by name (one the server named unknown to the model has none). */
struct pcsm_schema_constraint *pcsm_schema__constraint(const struct pcsm_schema_table *t,
                                                       const char *name);
struct pcsm_schema_index *pcsm_schema__index(const pcsm_schema *s, const char *name);
struct pcsm_schema_extension *pcsm_schema__extension(const pcsm_schema *s, const char *name);
struct pcsm_schema_type *pcsm_schema__type(const pcsm_schema *s, const char *name);
/* The function of that name and signature (NULL: the only one of that name). */
struct pcsm_schema_function *pcsm_schema__function(const pcsm_schema *s, const char *name,
                                                   const char *signature);
struct pcsm_schema_trigger *pcsm_schema__trigger(const struct pcsm_schema_table *t,
                                                 const char *name);
struct pcsm_schema_sequence *pcsm_schema__sequence(const pcsm_schema *s, const char *name);
struct pcsm_schema_policy *pcsm_schema__policy(const struct pcsm_schema_table *t,
                                               const char *name);
struct pcsm_schema_policy *pcsm_schema__add_policy(struct pcsm_schema_table *t);
void pcsm_schema__drop_policy(struct pcsm_schema_table *t, struct pcsm_schema_policy *p);
/*
 * A policy's roles as the model keeps them, from the API's list (NULL:
 * PUBLIC): NULL for PUBLIC, else copies in name order without repeats.
 */
char **pcsm_schema__policy_roles(const char *const *roles);
struct pcsm_schema_sequence *pcsm_schema__add_sequence(pcsm_schema *s);
/* The view or materialized view of that name. */
struct pcsm_schema_view *pcsm_schema__view(const pcsm_schema *s, const char *name);
struct pcsm_schema_view *pcsm_schema__add_view(pcsm_schema *s);
void pcsm_schema__drop_view(pcsm_schema *s, struct pcsm_schema_view *v);
/* print.c: the views' indexes in the order they are printed (each after those it reads). */
size_t *pcsm_schema__view_order(const pcsm_schema *s);
void pcsm_schema__drop_sequence(pcsm_schema *s, struct pcsm_schema_sequence *q);
bool pcsm_schema__seq_eq(const struct pcsm_seq_state *a, const struct pcsm_seq_state *b);
/* Appends a zeroed element; the pointer lives until the next append. */
struct pcsm_schema_table *pcsm_schema__add_table(pcsm_schema *s, const char *name);
struct pcsm_schema_column *pcsm_schema__add_column(struct pcsm_schema_table *t);
struct pcsm_schema_constraint *pcsm_schema__add_constraint(struct pcsm_schema_table *t);
struct pcsm_schema_index *pcsm_schema__add_index(pcsm_schema *s);
struct pcsm_schema_extension *pcsm_schema__add_extension(pcsm_schema *s);
struct pcsm_schema_type *pcsm_schema__add_type(pcsm_schema *s);
struct pcsm_schema_function *pcsm_schema__add_function(pcsm_schema *s);
struct pcsm_schema_trigger *pcsm_schema__add_trigger(struct pcsm_schema_table *t);
void pcsm_schema__drop_table(pcsm_schema *s, struct pcsm_schema_table *t);
void pcsm_schema__drop_column(struct pcsm_schema_table *t, struct pcsm_schema_column *c);
void pcsm_schema__drop_constraint(struct pcsm_schema_table *t, struct pcsm_schema_constraint *c);
void pcsm_schema__drop_index(pcsm_schema *s, struct pcsm_schema_index *ix);
void pcsm_schema__drop_extension(pcsm_schema *s, struct pcsm_schema_extension *e);
void pcsm_schema__drop_type(pcsm_schema *s, struct pcsm_schema_type *ty);
void pcsm_schema__drop_function(pcsm_schema *s, struct pcsm_schema_function *f);
void pcsm_schema__drop_trigger(struct pcsm_schema_table *t, struct pcsm_schema_trigger *tr);
void pcsm_schema__free_column(struct pcsm_schema_column *c);
void pcsm_schema__free_constraint(struct pcsm_schema_constraint *c);
void pcsm_schema__free_index(struct pcsm_schema_index *ix);
/*
 * Index elements, terminated as PCSM_ELEMENTS() terminates them: a copy
 * (NULL stays NULL), freeing one, and equality (NULL equals only NULL).
 */
pcsm_index_element *pcsm_schema__copy_elements(const pcsm_index_element *e);
void pcsm_schema__free_elements(pcsm_index_element *e);
bool pcsm_schema__elements_eq(const pcsm_index_element *a, const pcsm_index_element *b);
/*
 * Sets ix's keys from `elements` in the one form the model keeps, which
 * the catalog reads back alike: the NULLS order each direction has by
 * default said as nothing; plain columns alone as `columns`, one plain
 * expression as `expression`, anything else as `elements`.  Takes over
 * the strings of `elements` (model-owned, its array freed).
 */
void pcsm_schema__index_keys(struct pcsm_schema_index *ix, pcsm_index_element *elements);
/* The NULLS order each direction has by default said as nothing, in place. */
void pcsm_schema__normalize_elements(pcsm_index_element *elements);
/* Whether a constraint of this kind has an index of its own (a relation, named as it). */
bool pcsm_schema__indexed(enum pcsm_constraint_kind kind);
/* NULL-terminated copies; NULL stays NULL. */
char **pcsm_schema__copy_names(const char *const *names);
void pcsm_schema__free_names(char **names);
/* Equal strings, name lists or types; NULL equals only NULL. */
bool pcsm_schema__str_eq(const char *a, const char *b);
bool pcsm_schema__names_eq(char *const *a, char *const *b);
/* Whether `name` is one of `names` (NULL-terminated, or NULL). */
bool pcsm_schema__names_contain(char *const *names, const char *name);
bool pcsm_schema__type_eq(pcsm_type a, pcsm_type b);
/* A type whose name, schema and modifiers are malloc'd copies; dispose frees them. */
pcsm_type pcsm_schema__type_copy(pcsm_type t);
void pcsm_schema__type_dispose(pcsm_type *t);
/*
 * Puts every kind in name order: extensions, collations, types, composite types,
 * domains (and their constraints), functions (then by
 * signature), sequences, tables with their constraints and triggers, indexes.  An
 * enum's labels keep their own order, which is the type's; views keep the
 * order they were created in.
 */
void pcsm_schema__sort(pcsm_schema *s);

/*
 * replay.c: what partition t of s holds of its parent's as its own once
 * detached: the parent's CHECKs and foreign keys under their names, its
 * keys and indexes under the names the server gives the partition's
 * (<partition>_pkey, <partition>_<columns>_idx; not yet in s).  Arrays
 * malloc'd, their strings owned; NULL and 0 when t is no partition.
 */
void pcsm_schema__detached_shares(const pcsm_schema *s, const struct pcsm_schema_table *t,
                                  struct pcsm_schema_constraint **cons, size_t *n_cons,
                                  struct pcsm_schema_index **indexes, size_t *n_indexes);
/* Equal constraints and indexes, comments aside. */
bool pcsm_schema__constraint_eq(const struct pcsm_schema_constraint *a,
                                const struct pcsm_schema_constraint *b);
bool pcsm_schema__index_eq(const struct pcsm_schema_index *a,
                           const struct pcsm_schema_index *b);

/* replay.c: applies one recorded operation; fails on one the model cannot take. */
int pcsm_schema__apply(pcsm_ctx *ctx, pcsm_schema *s, const pcsm_revision *rev, size_t i,
                       const struct pcsm_ddl_op *o);

/*
 * signature.c: the identity of a function's argument list as the server
 * compares them, "a integer, OUT b text, c varchar(3) DEFAULT 'x'" is
 * "integer,character varying": input types only (IN, INOUT, VARIADIC), no
 * names, modes, defaults or type modifiers, lower case outside double
 * quotes, common aliases spelt as format_type() does.  Best effort, not a
 * parser: a caller that finds no match must not conclude there is none.
 */
char *pcsm_schema__signature(const char *arguments);
/*
 * The names of the same input arguments, in order, as the server keeps
 * them ("" for one without a name); NULL-terminated, free with
 * pcsm_schema__free_names().
 */
char **pcsm_schema__argument_names(const char *arguments);
/* One type's identity by the same rules ("SETOF int4" is "setof integer"). */
char *pcsm_schema__type_identity(const char *type);

/*
 * The name PostgreSQL gives an object it names itself (makeObjectName):
 * "<name1>_<name2>_<label>", name1 and name2 shortened, the longer first,
 * at character boundaries, until it fits in 63 bytes.  name2 may be NULL.
 */
char *pcsm_schema__object_name(const char *name1, const char *name2, const char *label);

/*
 * names.c: the rest of the server's naming.  choose_name() is
 * ChooseRelationName()/ChooseConstraintName(): object_name() with label,
 * then label1, label2, ... until `taken` says no.  name_addition() joins
 * column names by '_' as ChooseIndexNameAddition() does (and the foreign
 * key one), index_column_names() makes repeated names unique as
 * ChooseIndexColumnNames() does (NULL-terminated; free_names()).
 */
char *pcsm_schema__choose_name(const char *name1, const char *name2, const char *label,
                               bool (*taken)(const char *name, void *arg), void *arg);
char *pcsm_schema__name_addition(const char *const *names);
char **pcsm_schema__index_column_names(const char *const *names);
/*
 * The column an unnamed CHECK of `table` is named after (the server's
 * pull_var_clause(): one distinct column read): 1 and *out that column
 * (lent from `columns`), 0 when it reads none or several, -1 when this
 * reading of the SQL cannot tell.
 */
int pcsm_schema__check_column(const char *expr, const char *table,
                              const char *const *columns,
                              const char **out);
/*
 * The column name an index gives expression `expr` (FigureIndexColname(),
 * "expr" when it has none), malloc'd, or NULL when it cannot be told here.
 */
char *pcsm_schema__expression_column_name(const char *expr);

/*
 * print.c: one object of a model recorded as the API call(s) that create it,
 * in the schema in force (the caller's pcsm_set_schema() to the object's),
 * (a table without the constraints pcsm_schema__added_later() says wait for
 * every table; a materialized view WITH NO DATA when `empty` or not
 * populated), and a constraint as the API's struct (its strings lent).
 */
void pcsm_schema__record_table(pcsm_op *op, const pcsm_schema *s,
                               const struct pcsm_schema_table *t);
/* How far below a table with no parents (INHERITS) t is: 0 when it inherits none. */
size_t pcsm_schema__inheritance_depth(const pcsm_schema *s, const struct pcsm_schema_table *t);
/* The column `name` of the first of t's parents (INHERITS) that has one, or NULL. */
const struct pcsm_schema_column *pcsm_schema__parents_column(const pcsm_schema *s,
                                                             const struct pcsm_schema_table *t,
                                                             const char *name);
/* The same of any table of s, a partition too (as create_partition, its parent in s). */
void pcsm_schema__record_table_in(pcsm_op *op, const pcsm_schema *s,
                                  const struct pcsm_schema_table *t);
/* The tables' indexes in the order they are made: each partition after its parent. */
size_t *pcsm_schema__table_order(const pcsm_schema *s);
void pcsm_schema__record_index(pcsm_op *op, const struct pcsm_schema_index *ix);
void pcsm_schema__record_function(pcsm_op *op, const struct pcsm_schema_function *f);
/* COMMENT ON FUNCTION f, by its argument types, when f has a comment. */
void pcsm_schema__record_function_comment(pcsm_op *op, const struct pcsm_schema_function *f);
void pcsm_schema__record_trigger(pcsm_op *op, const char *table,
                                 const struct pcsm_schema_trigger *tr);
void pcsm_schema__record_view(pcsm_op *op, const struct pcsm_schema_view *v, bool empty);
void pcsm_schema__record_collation(pcsm_op *op, const struct pcsm_schema_collation *c);
void pcsm_schema__record_domain(pcsm_op *op, const struct pcsm_schema_domain *d);
void pcsm_schema__record_composite(pcsm_op *op, const struct pcsm_schema_composite *c);
void pcsm_schema__record_range(pcsm_op *op, const struct pcsm_schema_range *r);
/* A domain constraint as the API's struct (its strings lent). */
pcsm_constraint pcsm_schema__api_domain_constraint(const struct pcsm_schema_constraint *c);
/* A table's row security (each setting it has on) and one of its policies. */
void pcsm_schema__record_row_security(pcsm_op *op, const struct pcsm_schema_table *t);
void pcsm_schema__record_policy(pcsm_op *op, const char *table,
                                const struct pcsm_schema_policy *p);
pcsm_constraint pcsm_schema__api_constraint(const struct pcsm_schema_constraint *c);
/*
 * Whether constraint k of t is added after every table exists: a foreign
 * key, a NOT VALID constraint, or a key whose index equals an earlier one's
 * (CREATE TABLE would keep only one of the two).
 */
bool pcsm_schema__added_later(const struct pcsm_schema_table *t, size_t k);

/*
 * pcsm_schema_sql(), with every materialized view WITH NO DATA when
 * `empty_matviews`: a scratch copy of the schema need not run their queries.
 */
int pcsm_schema__sql(pcsm_ctx *ctx, const pcsm_schema *s, bool empty_matviews, pcsm_buf *out);
/*
 * The operations pcsm_schema__sql() renders, recorded into op: replayed
 * into an empty model, they make one equal to s.
 */
void pcsm_schema__record(pcsm_op *op, const pcsm_schema *s, bool empty_matviews);
/* Appends copies of src's raw-SQL entries to dst's. */
void pcsm_schema__copy_opaque(pcsm_schema *dst, const pcsm_schema *src);
/* Whether a raw-SQL operation of s names `name`: what it touched is not known. */
bool pcsm_schema__mentioned(const pcsm_schema *s, const char *name);

#endif /* PCSM_SCHEMA_PRIVATE_H */
