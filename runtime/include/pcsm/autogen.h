/*
 * Autogenerate: the revision that turns one schema model into another,
 * written as the DDL API calls a person would write, for `pcs-migrate
 * create-migration --autogenerate`.  It reads two models (where they come
 * from is the caller's business) and never touches a database.
 */
#ifndef PCSM_AUTOGEN_H
#define PCSM_AUTOGEN_H

#include <stdbool.h>
#include <stddef.h>

#include "buf.h"
#include "error.h"
#include "schema.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef struct pcsm_autogen pcsm_autogen;

/* A table or column that went while one of its shape came is written as a drop and an add. */
#define PCSM_AUTOGEN_NO_RENAMES (1u << 0)

/* What a reviewer must hear about, each said in the file too (but NOT_MODELLED). */
enum pcsm_autogen_notice_kind {
    PCSM_AUTOGEN_DESTRUCTIVE = 1,   /* a drop of a table, column, sequence or materialized view */
    PCSM_AUTOGEN_RENAME,            /* a rename: guessed (maybe a drop and an add), or asked */
    PCSM_AUTOGEN_PLACEHOLDER,       /* an #error line to edit: a type change needs USING */
    PCSM_AUTOGEN_RAW,               /* raw SQL with a TODO; none now: the API says it all */
    /*
     * An object no model holds (a rule, a procedure's privileges) that one
     * side only has, upgrade's only: not written when the wanted schema
     * has it, not dropped when the one at head has it.
     */
    PCSM_AUTOGEN_NOT_MODELLED,
    /*
     * An enum's new labels added first in an autocommit block, since the
     * revision uses them (a default, a check): the revision is not one
     * transaction, and no rolled-back proof can run it.
     */
    PCSM_AUTOGEN_NOT_ATOMIC,
};

typedef struct pcsm_autogen_notice {
    enum pcsm_autogen_notice_kind kind;
    bool downgrade;                 /* in downgrade(), else upgrade() */
    const char *text;               /* one line: "drop_column \"items\".\"note\"" */
} pcsm_autogen_notice;

/*
 * Plans the revision from `from` (the schema at head) to `to` (the one
 * wanted), and its downgrade back, both in an order the server accepts:
 * types, sequences and functions before the tables that use them, tables
 * before the foreign keys that need them, dependents dropped before what
 * they depend on.  Both models should be in the server's normal form
 * (pcsm_schema_live(), pcsm_schema_on_server()).
 *
 * `renames` (NULL: none) lists renames asked for, NULL-terminated, each
 * "OLD=NEW" as --rename takes it: "items=goods" (a table, sequence or
 * index of the target schema), "items.price=cost" (a column or named
 * constraint of from's table items), "mood.sad=unhappy" (an enum label).
 * Each is written as a rename whatever the guesses and PCSM_AUTOGEN_NO_RENAMES
 * say, or the plan fails (PCSM_EINVALID, naming the rename and why): a
 * rename asked for is never written as a drop and an add.
 * @return 0 and *out (free with pcsm_autogen_free)
 */
PCSM_API int pcsm_autogen_plan(pcsm_ctx *ctx, const pcsm_schema *from, const pcsm_schema *to,
                               unsigned flags, const char *const *renames, pcsm_autogen **out);
PCSM_API void pcsm_autogen_free(pcsm_autogen *plan);

/*
 * Whether `renames` read as pcsm_autogen_plan() reads them (OLD=NEW, no
 * name twice), before anything is loaded: PCSM_EINVALID naming the first
 * that does not.  What each names is checked when the plan is made.
 */
PCSM_API int pcsm_autogen_check_renames(pcsm_ctx *ctx, const char *const *renames);

/*
 * Whether the two models are the same, so that upgrade() would do nothing
 * (a change written as an #error for the author is something).
 */
PCSM_API bool pcsm_autogen_empty(const pcsm_autogen *plan);

/*
 * Appends the body of upgrade() (downgrade: downgrade()) as C, indented for
 * a function body: the calls, a comment before each that needs one, an
 * #error line before a placeholder.
 */
PCSM_API void pcsm_autogen_c(const pcsm_autogen *plan, bool downgrade, pcsm_buf *out);
/* The same calls as the SQL they record, for a reader without a compiler. */
PCSM_API void pcsm_autogen_sql(const pcsm_autogen *plan, bool downgrade, pcsm_buf *out);

PCSM_API size_t pcsm_autogen_notice_count(const pcsm_autogen *plan);
/* The i-th notice, upgrade's first; lent, lives as long as plan. */
PCSM_API const pcsm_autogen_notice *pcsm_autogen_notice_at(const pcsm_autogen *plan, size_t i);

#ifdef __cplusplus
}
#endif

#endif /* PCSM_AUTOGEN_H */
