/*
 * The lint layer: the rules (rules.c) read one revision's recorded
 * operations against the schema model; the driver (lint.c) walks the
 * registry keeping that model, and report.c prints what they found.
 */
#ifndef PCSM_LINT_PRIVATE_H
#define PCSM_LINT_PRIVATE_H

#include "schema/schema.h"

/* The rules' ids, in the order of the table in rules.c. */
enum pcsm_lint_rule_id {
    LINT_CONCURRENT_INDEX,
    LINT_CONCURRENT_INDEX_DROP,
    LINT_CONSTRAINT_NOT_VALID,
    LINT_UNIQUE_CONSTRAINT,
    LINT_REQUIRED_COLUMN,
    LINT_SET_NOT_NULL,
    LINT_VOLATILE_DEFAULT,
    LINT_GENERATED_COLUMN,
    LINT_COLUMN_TYPE_REWRITE,
    LINT_RENAME_TABLE,
    LINT_RENAME_COLUMN,
    LINT_DROP_TABLE,
    LINT_DROP_COLUMN,
    LINT_DESTRUCTIVE_DROP,
    LINT_MIXED_SCHEMA_DATA,
    LINT_UNBATCHED_UPDATE,
    LINT_NONTRANSACTIONAL_STATEMENTS,
    LINT_ROW_SECURITY_NO_POLICY,
    LINT_PREFER_TIMESTAMPTZ,
    LINT_PREFER_TEXT,
    LINT_PREFER_BIGINT_KEY,
    LINT_DOWNGRADE_MISMATCH,
    LINT_UNKNOWN_IGNORE,
    LINT_UNUSED_IGNORE,
    LINT_N_RULES
};

struct pcsm_lint_report {
    pcsm_lint_finding *findings;
    size_t n, cap;
};

/* What the rules read of one revision while the driver replays it. */
struct pcsm_lint_revision {
    pcsm_lint_report *report;
    const pcsm_revision *rev;
    const pcsm_schema *before;      /* the model at the revision's parents */
    const pcsm_schema *now;         /* the model just before the operation at hand */
    /* The relations this revision made (a rename follows them): not yet in use. */
    struct pcsm_lint_fresh {
        char *schema;               /* NULL: the target schema */
        char *name;
    } *fresh;
    size_t n_fresh, cap_fresh;
    /* The schema of the operation at hand (pcsm_set_schema()'s): its names are in it. */
    const char *schema;
};

/* rules.c */
extern const pcsm_lint_rule pcsm_lint__rules[LINT_N_RULES];
/* The rules of one operation, with lr->now the model before it. */
void pcsm_lint__op(struct pcsm_lint_revision *lr, const struct pcsm_ddl_op *o);
/* The rules of the revision as a whole: its operations, all recorded. */
void pcsm_lint__revision(struct pcsm_lint_revision *lr, const pcsm_op *op);
/* Adds a finding (operation NULL: the whole revision); the message is formatted. */
void pcsm_lint__add(struct pcsm_lint_revision *lr, enum pcsm_lint_rule_id rule,
                    const struct pcsm_ddl_op *o, const char *object, const char *fmt, ...)
    PCSM_PRINTF(5, 6);

#endif /* PCSM_LINT_PRIVATE_H */
