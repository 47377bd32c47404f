/*
 * One case of the csource round trip: the C that pcsm_render__c_op printed
 * for a revision's upgrade() or downgrade() (or a generated DDL case), and
 * the SQL each original operation rendered to.  csource_print.c writes
 * tables of them at build time; test_csource_roundtrip.c runs them.
 */
#ifndef PCSM_TEST_CSOURCE_CASE_H
#define PCSM_TEST_CSOURCE_CASE_H

#include <stddef.h>

#include <pcsm/ddl.h>

struct csource_case {
    const char *id;                 /* the revision id, or "fuzz-<seed>"; NULL ends a table */
    const char *direction;          /* upgrade, downgrade; a fuzz case: executable, hostile */
    unsigned flags;                 /* the revision's PCSM_REV_*: CONCURRENTLY needs them */
    void (*fn)(pcsm_op *op);
    size_t n_ops;
    const char *const *sql;         /* n_ops: pcsm_render__op of each original */
};

#endif /* PCSM_TEST_CSOURCE_CASE_H */
