/*
 * test_declared_model(): the schema an in-memory registry declares, for
 * the unit tests of the model's readers (diff, autogen).
 */
#include <check.h>

#include "declared_model.h"

pcsm_schema *test_declared_model(pcsm_migration_fn up1, pcsm_migration_fn up2)
{
    static const char *const no_parents[] = { NULL };
    static const char *const after_r1[] = { "r1" };
    const pcsm_revision revs[] = {
        { .id = "r1", .parents = no_parents, .n_parents = 0, .description = "t",
          .create_date = "2026-01-01 00:00:00", .source_path = "t.c", .upgrade = up1 },
        { .id = "r2", .parents = after_r1, .n_parents = 1, .description = "t",
          .create_date = "2026-01-01 00:00:00", .source_path = "t.c", .upgrade = up2 },
    };
    pcsm_revset at = PCSM_REVSET_INIT;
    pcsm_schema *s = NULL;
    pcsm_ctx *c;
    int rc;

    ck_assert_int_eq(pcsm_ctx_new(&c, revs, up2 ? 2 : 1), 0);
    ck_assert_int_eq(pcsm_graph_resolve(c, "heads", NULL, &at), 0);
    rc = pcsm_schema_declared(c, &at, &s);
    ck_assert_msg(rc == 0, "%s", pcsm_error_last(c)->message);
    pcsm_revset_dispose(&at);
    pcsm_ctx_free(c);
    return s;
}
