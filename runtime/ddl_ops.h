/*
 * The recorded form of DDL helper calls: what ddl.c stores and render.c
 * (and later the schema model) reads.  Every string and array lives in the
 * op context's arena, so an operation is plain data once recorded.
 */
#ifndef PCSM_DDL_OPS_H
#define PCSM_DDL_OPS_H

#include "internal.h"

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
    PCSM_OP_EXECUTE,
    PCSM_OP_EXECUTE_PARAMS,
    PCSM_OP_BATCH_UPDATE,
    PCSM_OP_ASSERT,
};

/*
 * One operation.  Which fields mean something depends on `kind`; the
 * recording function of each kind says which it fills.
 */
struct pcsm_ddl_op {
    enum pcsm_ddl_kind kind;
    const char *table;          /* the table acted on */
    const char *name;           /* column, index or constraint name */
    const char *new_name;       /* rename targets */
    const char *text;           /* comment, SQL, USING, SET, assertion condition */
    const char *text2;          /* WHERE of batch_update, message of assert */
    const char *key;            /* batch_update key column */
    pcsm_column *columns;       /* create_table (n_columns), add_column (1) */
    size_t n_columns;
    pcsm_constraint *constraints;
    size_t n_constraints;
    pcsm_index index;
    pcsm_type type;
    pcsm_value value;
    pcsm_value *params;
    size_t n_params;
    long batch_size;
    unsigned flags;             /* PCSM_IF_EXISTS etc. */
};

/* Operation i of a recorded context. */
const struct pcsm_ddl_op *pcsm_op__at(const pcsm_op *op, size_t i);
/* The SQL of one operation; render.c. */
void pcsm_render__op(const struct pcsm_ddl_op *o, pcsm_buf *out);
/*
 * A create_index or drop_index with its table (or index) in `schema` (NULL:
 * as pcsm_render__op): a revision outside a transaction runs where the
 * search path may not hold, a transaction pooler's server connection.
 */
void pcsm_render__index_op(const struct pcsm_ddl_op *o, const char *schema, pcsm_buf *out);
/*
 * How many statements pcsm_render__op writes for o, which is how many
 * results the server returns for them; 0 when unknown (raw SQL).
 */
size_t pcsm_render__statements(const struct pcsm_ddl_op *o);
/* The keyword of a kind, as the API names it: "create_table". */
const char *pcsm_render__kind_name(enum pcsm_ddl_kind kind);

#endif /* PCSM_DDL_OPS_H */
