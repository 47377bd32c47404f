/*
 * Unit tests of the schema model (runtime/lib/schema): replay of each
 * operation, the names the server chooses, what replay refuses, raw SQL
 * kept as unknown, equality, and printing back through the renderer.
 */
#include <stdlib.h>
#include <string.h>

#include "schema/schema.h"
#include "support.h"

static pcsm_ctx *ctx;
static pcsm_schema *model;
static pcsm_buf sql = PCSM_BUF_INIT;

static void teardown(void)
{
    pcsm_schema_free(model);
    model = NULL;
    pcsm_ctx_free(ctx);
    ctx = NULL;
    pcsm_buf_dispose(&sql);
}

static const char *const no_parents[] = { NULL };
static const char *const after_r1[] = { "r1" };

#define REV(id_, parents_, n_, up_) \
    { .id = (id_), .parents = (parents_), .n_parents = (n_), .description = "t", \
      .create_date = "2026-01-01 00:00:00", .source_path = "t.c", .upgrade = (up_) }

/* Replays revs (a chain of one or two) to heads; returns the library's code. */
static int declare(const pcsm_revision *revs, size_t n)
{
    pcsm_revset at = PCSM_REVSET_INIT;
    int rc;

    ck_assert_int_eq(pcsm_ctx_new(&ctx, revs, n), 0);
    ck_assert_int_eq(pcsm_graph_resolve(ctx, "heads", NULL, &at), 0);
    rc = pcsm_schema_declared(ctx, &at, &model);
    pcsm_revset_dispose(&at);
    if (rc == 0)
        ck_assert_int_eq(pcsm_schema_sql(ctx, model, &sql), 0);
    return rc;
}

static const struct pcsm_schema_constraint *constraint(const char *table, const char *name)
{
    const struct pcsm_schema_table *t = pcsm_schema__table(model, table);
    size_t i;

    ck_assert_ptr_nonnull(t);
    for (i = 0; i < t->n_constraints; i++)
        if (t->constraints[i].name && !strcmp(t->constraints[i].name, name))
            return &t->constraints[i];
    return NULL;
}

/* ------------------------------------------------------------ the names */

START_TEST(test_schema_object_name_fits_63_bytes)
{
    char long_table[61], *name;

    memset(long_table, 't', 60);
    long_table[60] = '\0';
    name = pcsm_schema__object_name(long_table, NULL, "pkey");
    ck_assert_uint_eq(strlen(name), 63);            /* 58 t's, "_pkey" */
    ck_assert_str_eq(name + 58, "_pkey");
    free(name);
    /* The longer of the two gives way first. */
    name = pcsm_schema__object_name(long_table, "col", "key");
    ck_assert_uint_eq(strlen(name), 63);
    ck_assert_str_eq(name + 55, "_col_key");
    free(name);
    name = pcsm_schema__object_name("t", "c", "fkey");
    ck_assert_str_eq(name, "t_c_fkey");
    free(name);
}
END_TEST

START_TEST(test_schema_object_name_keeps_whole_characters)
{
    char table[64] = "";
    char *name;
    size_t i;

    for (i = 0; i < 30; i++)
        strcat(table, "\xc3\xa9");                  /* 60 bytes of e-acute */
    name = pcsm_schema__object_name(table, NULL, "pkey");
    /* 58 bytes would cut the 30th character: 29 of them, then _pkey. */
    ck_assert_uint_eq(strlen(name), 58 + 5);
    ck_assert_str_eq(name + 58, "_pkey");
    ck_assert(pcsm_sql__valid_utf8(name));
    free(name);
}
END_TEST

/* ----------------------------------------------------------- create_table */

static void up_tables(pcsm_op *op)
{
    pcsm_create_table(op, "parents", PCSM_COLUMNS(
        { .name = "id", .type = PCSM_BIGINT, .primary_key = true },
        { .name = "code", .type = PCSM_TEXT, .unique = true, .check = "code <> ''" }), NULL,
        "the parents");
    pcsm_create_table(op, "kids", PCSM_COLUMNS(
        { .name = "a", .type = PCSM_INTEGER, .primary_key = true },
        { .name = "b", .type = PCSM_INTEGER, .primary_key = true },
        { .name = "parent", .type = PCSM_BIGINT, .references = "parents",
          .on_delete = PCSM_CASCADE, .default_value = PCSM_LITERAL("7") }),
        PCSM_CONSTRAINTS(
            { .kind = PCSM_UNIQUE, .columns = PCSM_NAMES("a", "parent") },
            { .kind = PCSM_CHECK, .check = "a > 0" },
            { .kind = PCSM_FOREIGN_KEY, .name = "kids_parent_code", .columns = PCSM_NAMES("b"),
              .references = "parents", .ref_columns = PCSM_NAMES("id"), .deferrable = true }),
        NULL);
    pcsm_create_index(op, &(pcsm_index){ .name = "kids_by_b", .table = "kids",
                                        .columns = PCSM_NAMES("b"), .where = "b > 1" });
}

START_TEST(test_schema_create_table_names_as_the_server)
{
    static const pcsm_revision revs[] = { REV("r1", no_parents, 0, up_tables) };
    const struct pcsm_schema_table *kids;

    ck_assert_int_eq(declare(revs, 1), 0);
    ck_assert_uint_eq(model->n_tables, 2);
    ck_assert_str_eq(model->tables[0].name, "kids");        /* name order */
    ck_assert_ptr_nonnull(constraint("parents", "parents_pkey"));
    ck_assert_ptr_nonnull(constraint("parents", "parents_code_key"));
    ck_assert_ptr_nonnull(constraint("parents", "parents_code_check"));
    ck_assert_ptr_nonnull(constraint("kids", "kids_pkey"));
    ck_assert_ptr_nonnull(constraint("kids", "kids_a_parent_key"));
    ck_assert_ptr_nonnull(constraint("kids", "kids_parent_fkey"));
    ck_assert_int_eq(constraint("kids", "kids_parent_fkey")->on_delete, PCSM_CASCADE);
    ck_assert(constraint("kids", "kids_parent_code")->deferrable);
    /* A table-level CHECK's name depends on the columns it reads: unknown. */
    kids = pcsm_schema__table(model, "kids");
    ck_assert_ptr_null(kids->constraints[kids->n_constraints - 1].name);
    ck_assert_str_eq(kids->constraints[kids->n_constraints - 1].check, "a > 0");
    /* Composite key columns are NOT NULL, the others not. */
    ck_assert(kids->columns[0].not_null && kids->columns[1].not_null);
    ck_assert(!kids->columns[2].not_null);
    ck_assert_str_eq(pcsm_schema__table(model, "parents")->comment, "the parents");
    /* The printout: foreign keys after every table, the unnamed CHECK inline. */
    ck_assert_ptr_nonnull(strstr(sql.ptr, "    CHECK (a > 0)"));
    ck_assert_ptr_nonnull(strstr(sql.ptr, "ALTER TABLE \"kids\" ADD CONSTRAINT \"kids_parent_fkey\""));
    ck_assert(strstr(sql.ptr, "CREATE TABLE \"parents\"") <
              strstr(sql.ptr, "ALTER TABLE \"kids\" ADD CONSTRAINT"));
    ck_assert_ptr_nonnull(strstr(sql.ptr, "CREATE INDEX \"kids_by_b\" ON \"kids\" (\"b\") WHERE b > 1;"));
    ck_assert_ptr_nonnull(strstr(sql.ptr, "\"parent\" bigint DEFAULT '7'"));
    ck_assert_uint_eq(pcsm_schema_opaque_count(model), 0);
}
END_TEST

/* -------------------------------------------------- changes that follow */

static void up_changes(pcsm_op *op)
{
    pcsm_rename_column(op, "kids", "b", "bee");
    pcsm_rename_table(op, "parents", "elders");
    pcsm_add_constraint(op, "kids", &(pcsm_constraint){ .kind = PCSM_CHECK, .name = "bee_small",
                                                        .check = "\"bee\" < 100 AND b2 > 0",
                                                        .not_valid = true });
    pcsm_drop_column(op, "elders", "code", 0);
    pcsm_alter_column_type(op, "kids", "parent", PCSM_NUMERIC(12, 0), NULL);
    pcsm_set_not_null(op, "kids", "parent");
    pcsm_drop_default(op, "kids", "parent");
    pcsm_comment_column(op, "kids", "bee", "renamed");
}

START_TEST(test_schema_renames_and_drops_follow)
{
    static const pcsm_revision revs[] = {
        REV("r1", no_parents, 0, up_tables), REV("r2", after_r1, 1, up_changes),
    };
    const struct pcsm_schema_table *kids;
    const struct pcsm_schema_column *parent;

    ck_assert_msg(declare(revs, 2) == 0, "%s", pcsm_error_last(ctx)->message);
    ck_assert_ptr_null(pcsm_schema__table(model, "parents"));
    ck_assert_ptr_nonnull(pcsm_schema__table(model, "elders"));
    /* The foreign keys follow the table's new name, and the column's. */
    ck_assert_str_eq(constraint("kids", "kids_parent_fkey")->references, "elders");
    ck_assert_str_eq(constraint("kids", "kids_parent_code")->columns[0], "bee");
    /* The index's column and predicate follow the column's rename. */
    ck_assert_str_eq(pcsm_schema__index(model, "kids_by_b")->columns[0], "bee");
    ck_assert_str_eq(pcsm_schema__index(model, "kids_by_b")->where, "\"bee\" > 1");
    /* Dropping code took its UNIQUE and CHECK with it; the key stays. */
    ck_assert_ptr_null(constraint("elders", "parents_code_key"));
    ck_assert_ptr_null(constraint("elders", "parents_code_check"));
    ck_assert_ptr_nonnull(constraint("elders", "parents_pkey"));   /* not renamed */
    ck_assert(constraint("kids", "bee_small")->not_valid);
    kids = pcsm_schema__table(model, "kids");
    parent = pcsm_schema__column(kids, "parent");
    ck_assert_int_eq(parent->type.kind, PCSM_TYPE_NUMERIC);
    ck_assert(parent->not_null);
    ck_assert_int_eq(parent->default_value.kind, PCSM_VALUE_NONE);
    ck_assert_str_eq(pcsm_schema__column(kids, "bee")->comment, "renamed");
    /* NOT VALID is added after the tables, where the API allows it. */
    ck_assert_ptr_nonnull(strstr(sql.ptr, "ADD CONSTRAINT \"bee_small\" CHECK (\"bee\" < 100 AND b2 > 0) NOT VALID;"));
}
END_TEST

static void up_drop_cascade(pcsm_op *op)
{
    pcsm_drop_table(op, "parents", PCSM_DROP_CASCADE);
    pcsm_drop_index(op, "kids_by_b", 0);
}

START_TEST(test_schema_drop_cascade_takes_the_foreign_keys)
{
    static const pcsm_revision revs[] = {
        REV("r1", no_parents, 0, up_tables), REV("r2", after_r1, 1, up_drop_cascade),
    };

    ck_assert_int_eq(declare(revs, 2), 0);
    ck_assert_uint_eq(model->n_tables, 1);
    ck_assert_ptr_null(constraint("kids", "kids_parent_fkey"));
    ck_assert_ptr_null(constraint("kids", "kids_parent_code"));
    ck_assert_ptr_nonnull(constraint("kids", "kids_pkey"));
    ck_assert_uint_eq(model->n_indexes, 0);
}
END_TEST

/* ------------------------------------------- what the server would refuse */

static void up_drop_referenced(pcsm_op *op) { pcsm_drop_table(op, "parents", 0); }
static void up_missing_table(pcsm_op *op) { pcsm_add_column(op, "nope", &(pcsm_column){ .name = "x", .type = PCSM_TEXT }); }
static void up_twice(pcsm_op *op) { pcsm_create_table(op, "kids", PCSM_COLUMNS({ .name = "x", .type = PCSM_TEXT }), NULL, NULL); }
static void up_index_name_taken(pcsm_op *op) { pcsm_create_index(op, &(pcsm_index){ .name = "parents_pkey", .table = "kids", .columns = PCSM_NAMES("a") }); }
static void up_missing_column(pcsm_op *op) { pcsm_set_default(op, "kids", "zzz", PCSM_EXPR("1")); }
static void up_drop_key_index(pcsm_op *op) { pcsm_drop_index(op, "kids_pkey", 0); }
static void up_drop_used_key(pcsm_op *op) { pcsm_drop_constraint(op, "parents", "parents_pkey", 0); }
static void up_if_exists(pcsm_op *op)
{
    pcsm_drop_table(op, "nope", PCSM_IF_EXISTS);
    pcsm_drop_index(op, "nope", PCSM_IF_EXISTS);
    pcsm_drop_column(op, "kids", "nope", PCSM_IF_EXISTS);
    pcsm_drop_constraint(op, "kids", "nope", PCSM_IF_EXISTS);
}

START_TEST(test_schema_refuses_what_the_server_would)
{
    static const struct {
        pcsm_migration_fn up;
        const char *message;
    } cases[] = {
        { up_drop_referenced, "revision r2 (t.c), operation 1, drop_table \"parents\": foreign "
                              "keys of \"kids\" reference it (drop them, or CASCADE)" },
        { up_missing_table, "add_column \"nope\": table \"nope\" does not exist" },
        { up_twice, "create_table \"kids\": relation \"kids\" already exists" },
        { up_index_name_taken, "relation \"parents_pkey\" already exists" },
        { up_missing_column, "column \"zzz\" of \"kids\" does not exist" },
        { up_drop_key_index, "\"kids_pkey\" is not an index of its own" },
        { up_drop_used_key, "foreign keys of \"kids\" depend on it" },
    };
    size_t i;

    for (i = 0; i < sizeof(cases) / sizeof(*cases); i++) {
        pcsm_revision revs[] = {
            REV("r1", no_parents, 0, up_tables), REV("r2", after_r1, 1, cases[i].up),
        };

        ck_assert_int_eq(declare(revs, 2), PCSM_EMIGRATION);
        ck_assert_ptr_null(model);
        ck_assert_msg(strstr(pcsm_error_last(ctx)->message, cases[i].message),
                      "case %zu: %s", i, pcsm_error_last(ctx)->message);
        teardown();
    }
}
END_TEST

START_TEST(test_schema_if_exists_is_quiet)
{
    static const pcsm_revision revs[] = {
        REV("r1", no_parents, 0, up_tables), REV("r2", after_r1, 1, up_if_exists),
    };

    ck_assert_msg(declare(revs, 2) == 0, "%s", pcsm_error_last(ctx)->message);
    ck_assert_uint_eq(model->n_tables, 2);
    teardown();
    {
        static const pcsm_revision ok[] = { REV("r1", no_parents, 0, up_tables) };
        pcsm_schema *first;

        ck_assert_int_eq(declare(ok, 1), 0);
        first = model;
        model = NULL;
        pcsm_ctx_free(ctx);
        ctx = NULL;
        ck_assert_int_eq(declare(ok, 1), 0);
        ck_assert(pcsm_schema_equal(first, model));
        pcsm_schema_free(first);
    }
}
END_TEST

/* ------------------------------------------------- raw SQL, and equality */

static void up_raw(pcsm_op *op)
{
    pcsm_execute(op, "  CREATE FUNCTION f() RETURNS int\nLANGUAGE sql AS 'SELECT 1'");
    pcsm_batch_update(op, "kids", "a", "b = b", NULL, 10);
}

START_TEST(test_schema_raw_sql_is_listed_not_guessed)
{
    static const pcsm_revision revs[] = {
        REV("r1", no_parents, 0, up_tables), REV("r2", after_r1, 1, up_raw),
    };
    static const pcsm_revision plain[] = { REV("r1", no_parents, 0, up_tables) };
    pcsm_schema *with_raw;

    ck_assert_int_eq(declare(revs, 2), 0);
    ck_assert_uint_eq(pcsm_schema_opaque_count(model), 1);     /* the batch is data */
    ck_assert_str_eq(model->opaque[0].revision, "r2");
    ck_assert_uint_eq(model->opaque[0].op, 0);
    ck_assert_str_eq(model->opaque[0].summary, "CREATE FUNCTION f() RETURNS int");
    /* Its names, folded as the server folds them, the function's included. */
    ck_assert(pcsm_schema__mentioned(model, "f"));
    ck_assert(pcsm_schema__mentioned(model, "returns"));
    ck_assert(!pcsm_schema__mentioned(model, "SELECT 1"));  /* a string, not a name */
    ck_assert(!pcsm_schema__mentioned(model, "kids"));
    ck_assert_ptr_nonnull(strstr(sql.ptr, "-- not in this model: revision r2, operation 1, raw "
                                          "SQL: CREATE FUNCTION f() RETURNS int\n"));
    with_raw = model;
    model = NULL;
    pcsm_ctx_free(ctx);
    ctx = NULL;
    pcsm_buf_clear(&sql);
    ck_assert_int_eq(declare(plain, 1), 0);
    /* The objects are the same; what raw SQL did is listed, not compared. */
    ck_assert(pcsm_schema_equal(with_raw, model));
    ck_assert_uint_eq(pcsm_schema_opaque_count(model), 0);
    pcsm_schema_free(with_raw);
}
END_TEST

static void up_base(pcsm_op *op) { (void)op; }

START_TEST(test_schema_at_base_is_empty)
{
    static const pcsm_revision revs[] = { REV("r1", no_parents, 0, up_base) };

    ck_assert_int_eq(declare(revs, 1), 0);
    ck_assert_uint_eq(model->n_tables, 0);
    ck_assert_str_eq(sql.ptr, "");
}
END_TEST

static Suite *schema_suite(void)
{
    Suite *s = suite_create("schema");
    TCase *tc = tcase_create("schema");

    tcase_add_checked_fixture(tc, NULL, teardown);
    tcase_add_test(tc, test_schema_object_name_fits_63_bytes);
    tcase_add_test(tc, test_schema_object_name_keeps_whole_characters);
    tcase_add_test(tc, test_schema_create_table_names_as_the_server);
    tcase_add_test(tc, test_schema_renames_and_drops_follow);
    tcase_add_test(tc, test_schema_drop_cascade_takes_the_foreign_keys);
    tcase_add_test(tc, test_schema_refuses_what_the_server_would);
    tcase_add_test(tc, test_schema_if_exists_is_quiet);
    tcase_add_test(tc, test_schema_raw_sql_is_listed_not_guessed);
    tcase_add_test(tc, test_schema_at_base_is_empty);
    suite_add_tcase(s, tc);
    return s;
}

int main(void)
{
    return test_run_suite(schema_suite());
}
