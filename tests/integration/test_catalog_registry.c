/*
 * The model is true for the registries themselves: for each revision of the
 * registry this binary is linked with (the PCS migrations, or a fixture),
 * a schema migrated to it holds in its catalog what replay declares there,
 * compared as check compares (pcsm_schema_on_server()) and, for the kinds
 * with no server normal form, directly.  With --no-opaque, no revision may
 * leave the model anything it cannot vouch for; --first N checks only the
 * first N revisions (a registry whose next one fails by design), --every N
 * each Nth and the last (a long chain, each revision migrated from nothing).
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <pcsm/pcsm.h>

#include "catalog_check.h"
#include "schema/schema.h"
#include "support.h"

extern const pcsm_revision pcsm_registry[];
extern const size_t pcsm_registry_len;

static char db_name[64];
static bool no_opaque;
static size_t first = SIZE_MAX, every = 1;

static char *sql_of(pcsm_ctx *ctx, const pcsm_schema *s)
{
    pcsm_buf out = PCSM_BUF_INIT;

    ck_assert_int_eq(pcsm_schema_sql(ctx, s, &out), 0);
    return pcsm_buf_detach(&out);
}

START_TEST(test_catalog_equals_replay_at_each_revision)
{
    PGconn *admin;
    pcsm_ctx *ctx = NULL;
    size_t i, n, checked = 0, objects = 0;

    test_db_create(db_name, sizeof(db_name));
    admin = test_connect(db_name);
    ck_assert_int_eq(pcsm_ctx_new(&ctx, pcsm_registry, pcsm_registry_len), 0);
    n = pcsm_graph_count(ctx) < first ? pcsm_graph_count(ctx) : first;
    for (i = 0; i < n; i++) {
        const pcsm_revision *rev = pcsm_graph_at(ctx, i);
        pcsm_run_opts run = { .direction = PCSM_UPGRADE, .target = rev->id };
        pcsm_revset at = PCSM_REVSET_INIT;
        pcsm_schema *declared = NULL, *on_server = NULL, *live = NULL;
        pcsm_db_opts opts;
        pcsm_db *db = NULL;
        char schema[32], stmt[128], *ci, **also;
        size_t k;

        if ((i + 1) % every && i + 1 != n)
            continue;
        checked++;
        ci = test_conninfo(db_name);

        /* A schema each, dropped after: an extension is one per database. */
        snprintf(schema, sizeof(schema), "rev_%zu", i);
        snprintf(stmt, sizeof(stmt), "CREATE SCHEMA %s", schema);
        test_exec(admin, stmt);
        pcsm_db_opts_init(&opts);
        opts.conninfo = ci;
        opts.script.schema = schema;
        ck_assert_msg(pcsm_db_connect(ctx, &opts, &db) == 0, "%s",
                      pcsm_error_last(ctx)->message);
        ck_assert_msg(pcsm_db_migrate(ctx, db, &run, NULL, NULL) == 0, "%s: %s", rev->id,
                      pcsm_error_last(ctx)->message);
        ck_assert_int_eq(pcsm_graph_resolve(ctx, rev->id, NULL, &at), 0);
        ck_assert_msg(pcsm_schema_declared(ctx, &at, &declared) == 0, "%s: %s", rev->id,
                      pcsm_error_last(ctx)->message);
        /* The schemas besides this revision's target that the revisions work in. */
        also = pcsm_schema_names_used(declared);
        ck_assert_msg(pcsm_schema_live_in(ctx, db, (const char *const *)also, &live) == 0,
                      "%s: %s", rev->id, pcsm_error_last(ctx)->message);
        ck_assert_msg(pcsm_schema_on_server(ctx, db, declared, &on_server) == 0, "%s: %s",
                      rev->id, pcsm_error_last(ctx)->message);
        if (!pcsm_schema_equal(live, on_server)) {
            char *a = sql_of(ctx, live), *b = sql_of(ctx, on_server);

            /* On stderr: longer than a check message may be. */
            fprintf(stderr, "revision %s: the catalog holds\n%s\nbut replay declares, as "
                    "the server holds it,\n%s", rev->id, a, b);
            ck_abort_msg("revision %s: the catalog is not what replay declares (stderr)",
                         rev->id);
        }
        catalog_check_kinds(rev->id, declared, live);
        if (no_opaque)
            ck_assert_msg(pcsm_schema_opaque_count(declared) == 0, "revision %s: %zu raw-SQL "
                          "operation(s) the model cannot vouch for", rev->id,
                          pcsm_schema_opaque_count(declared));
        objects += live->n_tables + live->n_types + live->n_functions + live->n_extensions;
        pcsm_schema_free(declared);
        pcsm_schema_free(on_server);
        pcsm_schema_free(live);
        pcsm_revset_dispose(&at);
        pcsm_db_close(db);
        free(ci);
        snprintf(stmt, sizeof(stmt), "DROP SCHEMA %s CASCADE", schema);
        test_exec(admin, stmt);
        /* The next revision is migrated from nothing: its schemas go too. */
        for (k = 0; also[k]; k++) {
            pcsm_buf drop = PCSM_BUF_INIT;

            pcsm_buf_puts(&drop, "DROP SCHEMA IF EXISTS ");
            pcsm_sql__ident(&drop, also[k]);
            pcsm_buf_puts(&drop, " CASCADE");
            test_exec(admin, drop.ptr);
            pcsm_buf_dispose(&drop);
        }
        pcsm_schema_names_free(also);
    }
    printf("# %zu of %zu revisions, %zu tables, types, functions and extensions compared%s\n",
           checked, pcsm_graph_count(ctx), objects, no_opaque ? ", none opaque" : "");
    ck_assert_uint_gt(objects, 0);
    pcsm_ctx_free(ctx);
    PQfinish(admin);
    test_db_drop(db_name);
}
END_TEST

int main(int argc, char **argv)
{
    Suite *s = suite_create("catalog_registry");
    TCase *tc = tcase_create("catalog_registry");

    int i;

    for (i = 1; i < argc; i++) {
        if (!strcmp(argv[i], "--no-opaque"))
            no_opaque = true;
        else if (!strcmp(argv[i], "--first") && i + 1 < argc)
            first = strtoul(argv[++i], NULL, 10);
        else if (!strcmp(argv[i], "--every") && i + 1 < argc && atoi(argv[i + 1]) > 0)
            every = strtoul(argv[++i], NULL, 10);
        else {
            fprintf(stderr, "usage: %s [--no-opaque] [--first N] [--every N]\n", argv[0]);
            return 2;
        }
    }
    test_require_db();
    tcase_set_timeout(tc, 600);
    tcase_add_test(tc, test_catalog_equals_replay_at_each_revision);
    suite_add_tcase(s, tc);
    return test_run_suite(s);
}
