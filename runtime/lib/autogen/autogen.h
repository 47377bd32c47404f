/*
 * The autogen layer: two schema models compared (through the diff layer)
 * and the difference planned as recorded DDL API calls (plan.c), then
 * written as C or SQL (write.c).  It reads models and never runs anything.
 */
#ifndef PCSM_AUTOGEN_PRIVATE_H
#define PCSM_AUTOGEN_PRIVATE_H

#include "diff/diff.h"
#include "pcsm/autogen.h"

/* One direction's calls, and what the file says about them. */
struct pcsm_autogen_side {
    pcsm_op *op;                /* the recorded calls; owned */
    char **comments;            /* per call: a comment written before it, or NULL; owned */
    char **errors;              /* per call: the message of an #error line before it; owned */
    size_t cap;
};

struct pcsm_autogen {
    struct pcsm_autogen_side up, down;
    pcsm_autogen_notice *notices;   /* text owned */
    size_t *notice_calls;           /* per notice: the call it is about, for the file's order */
    size_t n_notices, cap_notices;
};

/* plan.c: one direction, from -> to, into side; notices go to plan. */
int pcsm_autogen__plan_side(pcsm_ctx *ctx, pcsm_autogen *plan, struct pcsm_autogen_side *side,
                            bool downgrade, const pcsm_schema *from, const pcsm_schema *to,
                            unsigned flags);

#endif /* PCSM_AUTOGEN_PRIVATE_H */
