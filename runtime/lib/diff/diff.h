/*
 * The diff layer: two schema models compared attribute by attribute
 * (diff.c) and the result printed as text or JSON lines (print.c).  It
 * reads models and never changes them; it knows nothing of where they came
 * from.
 */
#ifndef PCSM_DIFF_PRIVATE_H
#define PCSM_DIFF_PRIVATE_H

#include "schema/schema.h"

/* An entry with its sort key: the strings `pub` points at are owned here. */
struct pcsm_diff_item {
    pcsm_diff_entry pub;        /* path, from, to: owned; attribute: a literal */
    char *schema;               /* the object's schema; NULL: the target */
    char *head;                 /* the table or index name, unqualified */
    char *sub;                  /* the column or constraint, or NULL */
};

struct pcsm_diff {
    struct pcsm_diff_item *items;
    size_t n_items, cap_items;
    pcsm_diff_raw_sql *raw_sql;      /* revision, summary: owned */
    size_t n_raw_sql, cap_raw_sql;
    pcsm_diff_unmodelled *unmodelled;   /* kind, path: owned */
    size_t n_unmodelled, cap_unmodelled;
    /* The models compared, lent while pcsm_diff_models() runs (NULL otherwise). */
    const pcsm_schema *from, *to;
};

/*
 * Whether two SQL expressions (CHECK, WHERE, an index expression, a
 * default as SQL) say the same; NULL equals only NULL.  This is the one
 * place expression texts are compared: whitespace aside (outside quotes),
 * which is enough where both texts come from the same writer, the API's
 * author or the server (pcsm_schema_live() against pcsm_schema_on_server(),
 * both deparsed by pg_get_expr).  A declared text against a deparsed one
 * needs the server's normal form, and that comparison goes here.
 */
bool pcsm_diff__same_sql(const char *a, const char *b);

/*
 * The entries of one table (its comment, columns, constraints, triggers)
 * or one column against another, whatever their names: what autogenerate
 * compares once it has paired a renamed table or column.  Entries are
 * named by a's table (and a's column).
 */
void pcsm_diff__table(pcsm_diff *d, const pcsm_schema *from, const pcsm_schema *to,
                      const struct pcsm_schema_table *a, const struct pcsm_schema_table *b);
void pcsm_diff__column(pcsm_diff *d, const char *table, const struct pcsm_schema_column *a,
                       const struct pcsm_schema_column *b);

#endif /* PCSM_DIFF_PRIVATE_H */
