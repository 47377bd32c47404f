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

/*
 * A rename asked for (pcsm_autogen_plan()'s `renames`), as upgrade sees
 * it: `prefix` is from's table of a column or constraint, or the enum
 * type of a label; NULL for a table, sequence or index.
 */
struct pcsm_autogen_asked {
    const char *spec;           /* "items.price=cost", as given; lent */
    char *prefix;               /* owned, or NULL */
    char *old_name, *new_name;  /* owned */
    int kind;                   /* what upgrade found it renames (plan.c's); -1: not yet */
};

/*
 * plan.c: one direction, from -> to, into side; notices go to plan.  The
 * renames asked for are upgrade's: downgrade undoes them.
 */
int pcsm_autogen__plan_side(pcsm_ctx *ctx, pcsm_autogen *plan, struct pcsm_autogen_side *side,
                            bool downgrade, const pcsm_schema *from, const pcsm_schema *to,
                            unsigned flags, struct pcsm_autogen_asked *asked,
                            size_t n_asked);

#endif /* PCSM_AUTOGEN_PRIVATE_H */
