/*
 * Unit tests for script.c: one revision's SQL and checksum, the version
 * table moves, and the standalone offline script (transaction framing,
 * nontransactional revisions, history rows) over in-memory registries.
 */
#include <stdlib.h>
#include <string.h>

#include "render/render.h"
#include "support.h"

static void up_a(pcsm_op *op)
{
    pcsm_create_table(op, "a", PCSM_COLUMNS({ .name = "id", .type = PCSM_INTEGER }), NULL, NULL);
}

static void down_a(pcsm_op *op)
{
    pcsm_drop_table(op, "a", 0);
}

static void up_ix(pcsm_op *op)
{
    pcsm_create_index(op, &(pcsm_index){ .name = "a_id", .table = "a",
                                         .columns = PCSM_NAMES("id"), .concurrently = true });
}

static void down_ix(pcsm_op *op)
{
    pcsm_drop_index(op, "a_id", PCSM_DROP_CONCURRENTLY);
}

static void up_b(pcsm_op *op)
{
    pcsm_execute(op, "SELECT 1");
}

static void down_b(pcsm_op *op)
{
    pcsm_execute(op, "SELECT 2");
}

static void up_invalid(pcsm_op *op)
{
    pcsm_execute(op, "SELECT 1");
    pcsm_create_table(op, "t", NULL, NULL, NULL);
    pcsm_execute(op, NULL);     /* ignored: the first error wins */
}

/* A setting made after an autocommit block, whose COMMIT ends the revision's first transaction. */
static void up_setting_and_block(pcsm_op *op)
{
    pcsm_set_local(op, "lock_timeout", "2s");
    pcsm_autocommit_begin(op);
    pcsm_execute(op, "SELECT 1");
    pcsm_autocommit_end(op);
    pcsm_set_local(op, "lock_timeout", "1s");
}

static void up_setting(pcsm_op *op)
{
    pcsm_set_local(op, "lock_timeout", "3s");
}

static const char *const no_parents[] = { NULL };
static const char *const p_r1[] = { "r1" };
static const char *const p_r2[] = { "r2" };
static const char *const p_merge[] = { "x1", "y1" };
static const char *const p_root[] = { "root" };
static const char *const p_s1[] = { "s1" };

static const pcsm_revision linear[] = {
    { .id = "r1", .parents = no_parents, .n_parents = 0, .description = "create a",
      .create_date = "2026-01-01 00:00:00", .source_sha256 = "aa", .source_path = "m/r1.c",
      .upgrade = up_a, .downgrade = down_a },
    { .id = "r2", .parents = p_r1, .n_parents = 1, .description = "index a",
      .create_date = "2026-01-02 00:00:00", .flags = PCSM_REV_NONTRANSACTIONAL,
      .source_sha256 = "bb", .source_path = "m/r2.c", .upgrade = up_ix, .downgrade = down_ix },
    { .id = "r3", .parents = p_r2, .n_parents = 1, .description = "select",
      .create_date = "2026-01-03 00:00:00", .source_sha256 = "cc", .source_path = "m/r3.c",
      .upgrade = up_b, .downgrade = down_b },
};

static const pcsm_revision merged[] = {
    { .id = "root", .parents = no_parents, .n_parents = 0, .description = "root",
      .create_date = "d", .source_sha256 = "00", .source_path = "m/root.c",
      .upgrade = up_b, .downgrade = down_b },
    { .id = "x1", .parents = p_root, .n_parents = 1, .description = "x",
      .create_date = "d", .source_sha256 = "01", .source_path = "m/x1.c",
      .upgrade = up_b, .downgrade = down_b },
    { .id = "y1", .parents = p_root, .n_parents = 1, .description = "y",
      .create_date = "d", .source_sha256 = "02", .source_path = "m/y1.c",
      .upgrade = up_b, .downgrade = down_b },
    { .id = "m", .parents = p_merge, .n_parents = 2, .description = "merge",
      .create_date = "d", .source_sha256 = "03", .source_path = "m/m.c",
      .upgrade = up_b, .downgrade = down_b },
};

static const pcsm_revision settings[] = {
    { .id = "s1", .parents = no_parents, .n_parents = 0, .description = "block",
      .create_date = "d", .source_sha256 = "10", .source_path = "m/s1.c",
      .upgrade = up_setting_and_block, .downgrade = down_b },
    { .id = "s2", .parents = p_s1, .n_parents = 1, .description = "setting",
      .create_date = "d", .source_sha256 = "11", .source_path = "m/s2.c",
      .upgrade = up_setting, .downgrade = down_b },
};

static const pcsm_revision invalid[] = {
    { .id = "bad", .parents = no_parents, .n_parents = 0, .description = "bad",
      .create_date = "d", .source_sha256 = "ff", .source_path = "m/bad.c",
      .upgrade = up_invalid, .downgrade = down_b },
};

static pcsm_ctx *ctx;
static pcsm_buf out = PCSM_BUF_INIT;

static void teardown(void)
{
    pcsm_ctx_free(ctx);
    ctx = NULL;
    pcsm_buf_dispose(&out);
}

static void new_ctx(const pcsm_revision *revs, size_t n)
{
    ck_assert_int_eq(pcsm_ctx_new(&ctx, revs, n), 0);
}

/* Renders the script from `from_spec` to `to_spec` (resolved in ctx). */
static int render(enum pcsm_direction dir, const char *from_spec, const char *to_spec,
                  const pcsm_script_opts *opts)
{
    pcsm_revset from = PCSM_REVSET_INIT, to = PCSM_REVSET_INIT;
    pcsm_plan plan = PCSM_PLAN_INIT;
    int rc;

    ck_assert_int_eq(pcsm_graph_resolve(ctx, from_spec, NULL, &from), 0);
    ck_assert_int_eq(pcsm_graph_resolve(ctx, to_spec, &from, &to), 0);
    ck_assert_int_eq(pcsm_graph_plan(ctx, dir, &from, &to, &plan), 0);
    rc = pcsm_script_render(ctx, &plan, &from, opts, &out);
    pcsm_plan_dispose(&plan);
    pcsm_revset_dispose(&from);
    pcsm_revset_dispose(&to);
    return rc;
}

static size_t count(const char *haystack, const char *needle)
{
    size_t n = 0;

    for (; (haystack = strstr(haystack, needle)); haystack++)
        n++;
    return n;
}

START_TEST(test_script_sha256_known_vector)
{
    char hex[65];

    pcsm_sha256__hex("abc", 3, hex);
    ck_assert_str_eq(hex, "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
}
END_TEST

START_TEST(test_script_revision_sql_and_checksum)
{
    char sha1[65], sha2[65], direct[65];

    new_ctx(linear, 3);
    ck_assert_int_eq(pcsm_revision_sql(ctx, &linear[0], PCSM_UPGRADE, &out), 0);
    ck_assert_str_eq(out.ptr, "CREATE TABLE \"a\" (\n    \"id\" integer\n);\n");
    ck_assert_int_eq(pcsm_revision_sql_sha256(ctx, &linear[0], sha1), 0);
    pcsm_sha256__hex(out.ptr, out.len, direct);
    ck_assert_str_eq(sha1, direct);
    ck_assert_int_eq(pcsm_revision_sql_sha256(ctx, &linear[2], sha2), 0);
    ck_assert_str_ne(sha1, sha2);

    pcsm_buf_clear(&out);
    ck_assert_int_eq(pcsm_revision_sql(ctx, &linear[0], PCSM_DOWNGRADE, &out), 0);
    ck_assert_str_eq(out.ptr, "DROP TABLE \"a\";\n");
}
END_TEST

START_TEST(test_script_invalid_revision_names_revision_and_op)
{
    const pcsm_error *e;
    char sha[65];

    new_ctx(invalid, 1);
    pcsm_buf_puts(&out, "kept");
    ck_assert_int_eq(pcsm_revision_sql(ctx, &invalid[0], PCSM_UPGRADE, &out), PCSM_EMIGRATION);
    e = pcsm_error_last(ctx);
    ck_assert_int_eq(e->code, PCSM_EMIGRATION);
    ck_assert_str_eq(e->message,
                     "revision bad (m/bad.c), upgrade(): create_table \"t\": no columns given");
    ck_assert_int_eq(pcsm_revision_sql_sha256(ctx, &invalid[0], sha), PCSM_EMIGRATION);

    /* A script with it is refused whole: nothing is appended. */
    ck_assert_int_eq(render(PCSM_UPGRADE, "base", "head", NULL), PCSM_EMIGRATION);
    ck_assert_str_eq(out.ptr, "kept");
}
END_TEST

START_TEST(test_script_exact_text_of_a_small_upgrade)
{
    new_ctx(linear, 3);
    ck_assert_int_eq(render(PCSM_UPGRADE, "base", "r1",
                            &(pcsm_script_opts){ .tool_version = "9.9.9" }), 0);
    ck_assert_str_eq(out.ptr,
        "-- Generated by pcs-migrate 9.9.9: upgrade from base (1 revision).\n"
        "-- Run it with: psql -v ON_ERROR_STOP=1 -f FILE\n"
        "\n"
        "SET client_encoding = 'UTF8';\n"
        "\n"
        "BEGIN;\n"
        "CREATE TABLE IF NOT EXISTS \"alembic_version\" (\n"
        "    \"version_num\" varchar(32) NOT NULL,\n"
        "    CONSTRAINT \"alembic_version_pkc\" PRIMARY KEY (\"version_num\")\n"
        ");\n"
        "CREATE TABLE IF NOT EXISTS \"pcs_migrate_history\" (\n"
        "    \"id\" bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,\n"
        "    \"revision\" varchar(32) NOT NULL,\n"
        "    \"parents\" varchar(32)[] NOT NULL,\n"
        "    \"event\" varchar(16) NOT NULL,\n"
        "    \"source_sha256\" char(64),\n"
        "    \"sql_sha256\" char(64),\n"
        "    \"applied_at\" timestamptz NOT NULL DEFAULT clock_timestamp(),\n"
        "    \"duration_ms\" double precision,\n"
        "    \"tool_version\" text NOT NULL,\n"
        "    \"host\" text,\n"
        "    \"detail\" text\n"
        ");\n"
        "\n"
        "-- Running upgrade base -> r1, create a\n"
        "CREATE TABLE \"a\" (\n"
        "    \"id\" integer\n"
        ");\n"
        "INSERT INTO \"alembic_version\" (\"version_num\") VALUES ('r1');\n"
        "INSERT INTO \"pcs_migrate_history\" (\"revision\", \"parents\", \"event\", "
        "\"source_sha256\", \"sql_sha256\", \"duration_ms\", \"tool_version\", \"host\", "
        "\"detail\") VALUES "
        "('r1', ARRAY[]::varchar(32)[], 'upgrade', 'aa', "
        "'12adce9542b2d8060f95afd3ea3126e01fdf999a0811e58509bebb4a156e4b64', NULL, '9.9.9', NULL, "
        "'offline script (--sql)');\n"
        "\n"
        "COMMIT;\n");
}
END_TEST

START_TEST(test_script_nontransactional_runs_between_transactions)
{
    const char *commit1, *index, *begin2;

    new_ctx(linear, 3);
    ck_assert_int_eq(render(PCSM_UPGRADE, "base", "head", NULL), 0);
    ck_assert_int_eq(count(out.ptr, "\nBEGIN;\n"), 2);
    ck_assert_int_eq(count(out.ptr, "\nCOMMIT;\n"), 2);
    commit1 = strstr(out.ptr, "\nCOMMIT;\n");
    index = strstr(out.ptr, "CREATE INDEX CONCURRENTLY");
    begin2 = strstr(commit1 + 1, "\nBEGIN;\n");
    ck_assert(commit1 < index && index < begin2);
    ck_assert_ptr_nonnull(strstr(out.ptr, "-- Running upgrade r1 -> r2, index a "
                                          "(outside a transaction)\n"));
    ck_assert_ptr_nonnull(strstr(index, "UPDATE \"alembic_version\" SET \"version_num\" = 'r2'"
                                        " WHERE \"version_num\" = 'r1';\n"));

    /* Starting with it: no empty transaction first, the bootstrap stands alone. */
    pcsm_buf_clear(&out);
    ck_assert_int_eq(render(PCSM_UPGRADE, "r1", "r2", NULL), 0);
    ck_assert_int_eq(count(out.ptr, "BEGIN;"), 0);
    ck_assert_int_eq(count(out.ptr, "COMMIT;"), 0);
    ck_assert_ptr_nonnull(strstr(out.ptr, "CREATE TABLE IF NOT EXISTS"));
}
END_TEST

START_TEST(test_script_version_moves_through_a_merge)
{
    const char *x, *y, *m;

    new_ctx(merged, 4);
    ck_assert_int_eq(render(PCSM_UPGRADE, "base", "head", NULL), 0);
    x = strstr(out.ptr, "UPDATE \"alembic_version\" SET \"version_num\" = 'x1' "
                        "WHERE \"version_num\" = 'root';");
    y = strstr(out.ptr, "INSERT INTO \"alembic_version\" (\"version_num\") VALUES ('y1');");
    m = strstr(out.ptr, "UPDATE \"alembic_version\" SET \"version_num\" = 'm' "
                        "WHERE \"version_num\" = 'x1';\nDELETE FROM \"alembic_version\" "
                        "WHERE \"version_num\" = 'y1';");
    ck_assert(x && y && m && x < y && y < m);
    ck_assert_ptr_nonnull(strstr(out.ptr, "ARRAY['x1', 'y1']::varchar(32)[]"));
    ck_assert_ptr_nonnull(strstr(out.ptr, "-- Running upgrade x1, y1 -> m, merge"));

    /* Down through the merge: one row becomes two again. */
    pcsm_buf_clear(&out);
    ck_assert_int_eq(render(PCSM_DOWNGRADE, "head", "x1", NULL), 0);
    ck_assert_ptr_nonnull(strstr(out.ptr,
        "UPDATE \"alembic_version\" SET \"version_num\" = 'x1' WHERE \"version_num\" = 'm';\n"
        "INSERT INTO \"alembic_version\" (\"version_num\") VALUES ('y1');\n"));
    ck_assert_ptr_nonnull(strstr(out.ptr, "'downgrade', '03', NULL, NULL,"));
    ck_assert_ptr_nonnull(strstr(out.ptr, "-- Running downgrade m -> x1, y1, merge"));
}
END_TEST

START_TEST(test_script_schema_and_table_names)
{
    new_ctx(linear, 3);
    ck_assert_int_eq(render(PCSM_UPGRADE, "base", "r1", &(pcsm_script_opts){
                         .schema = "My \"Schema\"", .version_table = "ver",
                         .history_table = "hist" }), 0);
    ck_assert_ptr_nonnull(strstr(out.ptr, "SET search_path TO \"My \"\"Schema\"\"\";\n"));
    ck_assert_ptr_nonnull(strstr(out.ptr, "CREATE TABLE IF NOT EXISTS \"ver\""));
    ck_assert_ptr_nonnull(strstr(out.ptr, "CONSTRAINT \"ver_pkc\""));
    ck_assert_ptr_nonnull(strstr(out.ptr, "INSERT INTO \"hist\""));
    ck_assert_ptr_null(strstr(out.ptr, "alembic_version"));
}
END_TEST

/*
 * A long version table name: its "_pkc" constraint is cut to 63 bytes at a
 * character boundary, never inside a multibyte character (issue 19: a
 * 60-byte name of 3-byte characters made an invalid UTF-8 constraint name).
 */
START_TEST(test_script_long_multibyte_version_table)
{
    /* 20 x U+20AC ("€", 3 bytes each): 60 bytes. */
    char name[64] = "", want[128];
    size_t i;

    for (i = 0; i < 20; i++)
        strcat(name, "\xe2\x82\xac");
    new_ctx(linear, 3);
    ck_assert_int_eq(render(PCSM_UPGRADE, "base", "r1", &(pcsm_script_opts){
                         .version_table = name }), 0);
    /* 59 bytes would split the 20th euro sign: 19 of them (57 bytes), then _pkc. */
    snprintf(want, sizeof(want), "CONSTRAINT \"%.57s_pkc\" PRIMARY KEY", name);
    ck_assert_msg(strstr(out.ptr, want) != NULL, "%s", out.ptr);

    /* 63 ASCII bytes: 59 of them, as before. */
    memset(name, 'v', 63);
    name[63] = '\0';
    pcsm_buf_clear(&out);
    ck_assert_int_eq(render(PCSM_UPGRADE, "base", "r1", &(pcsm_script_opts){
                         .version_table = name }), 0);
    snprintf(want, sizeof(want), "CONSTRAINT \"%.59s_pkc\"", name);
    ck_assert_ptr_nonnull(strstr(out.ptr, want));

    /* A 2-byte character across byte 59: "a" then 30 x U+00E9 (61 bytes). */
    strcpy(name, "a");
    for (i = 0; i < 30; i++)
        strcat(name, "\xc3\xa9");
    pcsm_buf_clear(&out);
    ck_assert_int_eq(render(PCSM_UPGRADE, "base", "r1", &(pcsm_script_opts){
                         .version_table = name }), 0);
    snprintf(want, sizeof(want), "CONSTRAINT \"%.59s_pkc\"", name);
    ck_assert_ptr_nonnull(strstr(out.ptr, want));   /* 1 + 29 x 2 = 59: a boundary */

    /* "aa" then 30 x U+00E9 (62 bytes): byte 59 is inside the 29th: 58 bytes. */
    strcpy(name, "aa");
    for (i = 0; i < 30; i++)
        strcat(name, "\xc3\xa9");
    pcsm_buf_clear(&out);
    ck_assert_int_eq(render(PCSM_UPGRADE, "base", "r1", &(pcsm_script_opts){
                         .version_table = name }), 0);
    snprintf(want, sizeof(want), "CONSTRAINT \"%.58s_pkc\"", name);
    ck_assert_ptr_nonnull(strstr(out.ptr, want));
}
END_TEST

START_TEST(test_script_rejects_bad_names)
{
    static const struct {
        pcsm_script_opts opts;
        const char *message;
    } cases[] = {
        { { .schema = "" }, "invalid schema name \"\": 1 to 63 bytes of UTF-8 expected" },
        { { .version_table = "v\xff" },
          "invalid version table name \"?\": 1 to 63 bytes of UTF-8 expected" },
        { { .history_table = "h234567890123456789012345678901234567890123456789012345678901234" },
          "invalid history table name \"h234567890123456789012345678901234567890123456789012345678901234\": "
          "1 to 63 bytes of UTF-8 expected" },
        { { .version_table = "same", .history_table = "same" },
          "the version and history tables must differ (both \"same\")" },
    };
    size_t i;

    new_ctx(linear, 3);
    for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        pcsm_buf_clear(&out);
        ck_assert_int_eq(render(PCSM_UPGRADE, "base", "head", &cases[i].opts), PCSM_EINVALID);
        ck_assert_str_eq(pcsm_error_last(ctx)->message, cases[i].message);
        ck_assert_str_eq(out.ptr, "");
    }
}
END_TEST

START_TEST(test_script_empty_plan_is_bootstrap_only)
{
    new_ctx(linear, 3);
    ck_assert_int_eq(render(PCSM_UPGRADE, "head", "head", NULL), 0);
    ck_assert_ptr_nonnull(strstr(out.ptr, "(0 revisions)"));
    ck_assert_int_eq(count(out.ptr, "-- Running"), 0);
    ck_assert_int_eq(count(out.ptr, "CREATE TABLE IF NOT EXISTS"), 2);
}
END_TEST

/*
 * The value a revision's settings are put back to is saved for the session
 * when the revision has an autocommit block (the block's COMMIT would drop a
 * transaction's copy: the restore after it read '' and failed), for the
 * transaction otherwise.
 */
START_TEST(test_script_settings_saved_across_an_autocommit_block)
{
    const char *s1, *s2;

    new_ctx(settings, 2);
    ck_assert_int_eq(render(PCSM_UPGRADE, "base", "head", NULL), 0);
    s1 = strstr(out.ptr, " -> s1, block\n");
    s2 = strstr(out.ptr, "-- Running upgrade s1 -> s2, setting\n");
    ck_assert_ptr_nonnull(s1);
    ck_assert_ptr_nonnull(s2);
    ck_assert_ptr_nonnull(strstr(s1, "pg_catalog.set_config('pcsm_saved.s1', "
                                     "pg_catalog.current_setting('lock_timeout', true), false)"));
    ck_assert(strstr(s1, ", false)") < s2);
    ck_assert_ptr_nonnull(strstr(s2, "pg_catalog.set_config('pcsm_saved.s1', "
                                     "pg_catalog.current_setting('lock_timeout', true), true)"));
    /* The restore comes after the block's BEGIN, in the transaction that moves the version. */
    ck_assert(strstr(s1, "BEGIN;\nSET LOCAL lock_timeout = '1s'") <
              strstr(s1, "pg_catalog.current_setting('pcsm_saved.s1')"));
}
END_TEST

static Suite *script_suite(void)
{
    Suite *s = suite_create("script");
    TCase *tc = tcase_create("script");

    tcase_add_checked_fixture(tc, NULL, teardown);
    tcase_add_test(tc, test_script_sha256_known_vector);
    tcase_add_test(tc, test_script_revision_sql_and_checksum);
    tcase_add_test(tc, test_script_invalid_revision_names_revision_and_op);
    tcase_add_test(tc, test_script_exact_text_of_a_small_upgrade);
    tcase_add_test(tc, test_script_nontransactional_runs_between_transactions);
    tcase_add_test(tc, test_script_version_moves_through_a_merge);
    tcase_add_test(tc, test_script_schema_and_table_names);
    tcase_add_test(tc, test_script_long_multibyte_version_table);
    tcase_add_test(tc, test_script_rejects_bad_names);
    tcase_add_test(tc, test_script_empty_plan_is_bootstrap_only);
    tcase_add_test(tc, test_script_settings_saved_across_an_autocommit_block);
    suite_add_tcase(s, tc);
    return s;
}

int main(void)
{
    return test_run_suite(script_suite());
}
