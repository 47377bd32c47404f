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
    char **ref_columns;         /* NULL: the referenced table's primary key */
    enum pcsm_fk_action on_delete, on_update;
    char *check;
    bool deferrable;
    bool not_valid;
};

struct pcsm_schema_table {
    char *name;
    struct pcsm_schema_column *columns;     /* in column order */
    size_t n_columns, cap_columns;
    struct pcsm_schema_constraint *constraints;
    size_t n_constraints, cap_constraints;
    char *comment;
};

/* An index made by create_index (not the one behind a constraint). */
struct pcsm_schema_index {
    char *name;
    char *table;
    char **columns;             /* NULL-terminated, or NULL with expression */
    char *expression;
    bool unique;
    char *method;               /* NULL: btree */
    char *where;
};

/* A raw-SQL operation: what it did is not known to the model. */
struct pcsm_schema_opaque {
    char *revision;
    size_t op;                  /* its index in the revision's operations */
    char *summary;              /* the statement's first line, shortened */
    char **mentions;            /* every name it holds, folded as the server folds */
};

struct pcsm_schema {
    struct pcsm_schema_table *tables;
    size_t n_tables, cap_tables;
    struct pcsm_schema_index *indexes;
    size_t n_indexes, cap_indexes;
    struct pcsm_schema_opaque *opaque;
    size_t n_opaque, cap_opaque;
};

/* model.c */
pcsm_schema *pcsm_schema__new(void);
struct pcsm_schema_table *pcsm_schema__table(const pcsm_schema *s, const char *name);
struct pcsm_schema_column *pcsm_schema__column(const struct pcsm_schema_table *t,
                                               const char *name);
struct pcsm_schema_index *pcsm_schema__index(const pcsm_schema *s, const char *name);
/* Appends a zeroed element; the pointer lives until the next append. */
struct pcsm_schema_table *pcsm_schema__add_table(pcsm_schema *s, const char *name);
struct pcsm_schema_column *pcsm_schema__add_column(struct pcsm_schema_table *t);
struct pcsm_schema_constraint *pcsm_schema__add_constraint(struct pcsm_schema_table *t);
struct pcsm_schema_index *pcsm_schema__add_index(pcsm_schema *s);
void pcsm_schema__drop_table(pcsm_schema *s, struct pcsm_schema_table *t);
void pcsm_schema__drop_column(struct pcsm_schema_table *t, struct pcsm_schema_column *c);
void pcsm_schema__drop_constraint(struct pcsm_schema_table *t, struct pcsm_schema_constraint *c);
void pcsm_schema__drop_index(pcsm_schema *s, struct pcsm_schema_index *ix);
void pcsm_schema__free_column(struct pcsm_schema_column *c);
void pcsm_schema__free_constraint(struct pcsm_schema_constraint *c);
void pcsm_schema__free_index(struct pcsm_schema_index *ix);
/* NULL-terminated copies; NULL stays NULL. */
char **pcsm_schema__copy_names(const char *const *names);
void pcsm_schema__free_names(char **names);
/* Equal strings, name lists or types; NULL equals only NULL. */
bool pcsm_schema__str_eq(const char *a, const char *b);
bool pcsm_schema__names_eq(char *const *a, char *const *b);
bool pcsm_schema__type_eq(pcsm_type a, pcsm_type b);
/* Puts tables, their constraints and the indexes in name order. */
void pcsm_schema__sort(pcsm_schema *s);

/* replay.c: applies one recorded operation; fails on one the model cannot take. */
int pcsm_schema__apply(pcsm_ctx *ctx, pcsm_schema *s, const pcsm_revision *rev, size_t i,
                       const struct pcsm_ddl_op *o);

/*
 * The name PostgreSQL gives an object it names itself (makeObjectName):
 * "<name1>_<name2>_<label>", name1 and name2 shortened, the longer first,
 * at character boundaries, until it fits in 63 bytes.  name2 may be NULL.
 */
char *pcsm_schema__object_name(const char *name1, const char *name2, const char *label);

/* Appends copies of src's raw-SQL entries to dst's. */
void pcsm_schema__copy_opaque(pcsm_schema *dst, const pcsm_schema *src);
/* Whether a raw-SQL operation of s names `name`: what it touched is not known. */
bool pcsm_schema__mentioned(const pcsm_schema *s, const char *name);

#endif /* PCSM_SCHEMA_PRIVATE_H */
