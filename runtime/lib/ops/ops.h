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
size_t pcsm_op__count(const pcsm_op *op);
/* Operation i of a recorded context. */
const struct pcsm_ddl_op *pcsm_op__at(const pcsm_op *op, size_t i);
/* The keyword of a kind, as the API names it: "create_table". */
const char *pcsm_op__kind_name(enum pcsm_ddl_kind kind);
/* Appends a short description of operation i: create_table "contexts". */
void pcsm_op__describe(const pcsm_op *op, size_t i, pcsm_buf *out);

#endif /* PCSM_OPS_H */
