/*
 * Unit tests of the schema model (runtime/lib/schema): replay of each
 * operation, the names the server chooses, what replay refuses, raw SQL
 * kept as unknown, equality, and printing back through the renderer.
 */
#include <stdlib.h>
#include <string.h>

#include "commented.h"
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
static const char *const after_r2[] = { "r2" };
static const char *const after_r3[] = { "r3" };

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
        ck_assert_msg(pcsm_schema_sql(ctx, model, &sql) == 0, "%s",
                      pcsm_error_last(ctx)->message);
    return rc;
}

static const struct pcsm_schema_constraint *constraint(const char *table, const char *name)
{
    const struct pcsm_schema_table *t = pcsm_schema__table(model, table);

    ck_assert_ptr_nonnull(t);
    return pcsm_schema__constraint(t, name);
}

/* ------------------------------------------------------------ the names */

/*
 * ALTER SEQUENCE AS moves a bound that was the old type's limit to the new
 * type's limit, whatever the increment (init_params()): a bigint counting
 * down, made an integer counting up by 2, keeps the integer's minimum.
 */
START_TEST(test_schema_sequence_retyped_keeps_the_type_limits)
{
    struct pcsm_seq_state st;
    pcsm_buf why = PCSM_BUF_INIT;

    ck_assert_int_eq(pcsm_op__sequence_apply(&st, true, PCSM_TYPE_BIGINT,
                     &(pcsm_sequence_options){ .increment = -1 }, &why), 0);
    ck_assert_int_eq(pcsm_op__sequence_apply(&st, false, PCSM_TYPE_NONE,
                     &(pcsm_sequence_options){ .as = PCSM_INTEGER, .increment = 2 }, &why), 0);
    ck_assert_int_eq(st.minvalue, -2147483647 - 1);
    ck_assert_int_eq(st.maxvalue, -1);
    /* Ascending at the type's maximum: moved too; a bound of one's own stays. */
    ck_assert_int_eq(pcsm_op__sequence_apply(&st, true, PCSM_TYPE_BIGINT,
                     &(pcsm_sequence_options){ .minvalue = PCSM_SEQ_VALUE(-5) }, &why), 0);
    ck_assert_int_eq(pcsm_op__sequence_apply(&st, false, PCSM_TYPE_NONE,
                     &(pcsm_sequence_options){ .as = PCSM_SMALLINT, .increment = -1 }, &why), 0);
    ck_assert_int_eq(st.maxvalue, 32767);
    ck_assert_int_eq(st.minvalue, -5);
    pcsm_buf_dispose(&why);
}
END_TEST

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
    /* A table-level CHECK is named after the one column it reads. */
    kids = pcsm_schema__table(model, "kids");
    ck_assert_str_eq(constraint("kids", "kids_a_check")->check, "a > 0");
    /* Composite key columns are NOT NULL, the others not. */
    ck_assert(kids->columns[0].not_null && kids->columns[1].not_null);
    ck_assert(!kids->columns[2].not_null);
    ck_assert_str_eq(pcsm_schema__table(model, "parents")->comment, "the parents");
    /* The printout: foreign keys after every table, the CHECK inline. */
    ck_assert_ptr_nonnull(strstr(sql.ptr, "    CONSTRAINT \"kids_a_check\" CHECK (a > 0)"));
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
    ck_assert_str_eq(pcsm_schema__index(model, "kids_by_b")->where, "bee > 1");
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

/* The second half of a NOT VALID constraint; a valid one is a no-op, as on the server. */
static void up_validate(pcsm_op *op)
{
    pcsm_validate_constraint(op, "kids", "bee_small");
    pcsm_validate_constraint(op, "kids", "kids_parent_fkey");
}

START_TEST(test_schema_validate_constraint_makes_it_valid)
{
    static const pcsm_revision revs[] = {
        REV("r1", no_parents, 0, up_tables), REV("r2", after_r1, 1, up_changes),
        REV("r3", after_r2, 1, up_validate),
    };

    ck_assert_msg(declare(revs, 3) == 0, "%s", pcsm_error_last(ctx)->message);
    ck_assert(!constraint("kids", "bee_small")->not_valid);
    ck_assert(!constraint("kids", "kids_parent_fkey")->not_valid);
    /* Valid, the printout has it in its table's CREATE TABLE. */
    ck_assert_ptr_nonnull(strstr(sql.ptr, "CONSTRAINT \"bee_small\" CHECK "
                                          "(\"bee\" < 100 AND b2 > 0)"));
    ck_assert_ptr_null(strstr(sql.ptr, "NOT VALID"));
    ck_assert_uint_eq(pcsm_schema_opaque_count(model), 0);
}
END_TEST

/*
 * kids gets a CHECK whose SQL the model cannot read (the whole row), so
 * whose name it does not know: perhaps that one, as drop_constraint() allows.
 */
static void up_validate_unknown(pcsm_op *op)
{
    pcsm_add_constraint(op, "kids", &(pcsm_constraint){ .kind = PCSM_CHECK,
                                                        .check = "kids IS NOT NULL" });
    pcsm_validate_constraint(op, "kids", "kids_check");
}

START_TEST(test_schema_validate_constraint_of_an_unknown_name_is_opaque)
{
    static const pcsm_revision revs[] = {
        REV("r1", no_parents, 0, up_tables), REV("r2", after_r1, 1, up_validate_unknown),
    };

    ck_assert_msg(declare(revs, 2) == 0, "%s", pcsm_error_last(ctx)->message);
    ck_assert_uint_eq(pcsm_schema_opaque_count(model), 1);
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
static void up_validate_missing(pcsm_op *op) { pcsm_validate_constraint(op, "parents", "nope"); }
static void up_validate_unique(pcsm_op *op)
{
    pcsm_validate_constraint(op, "parents", "parents_code_key");
}
static void up_validate_key(pcsm_op *op) { pcsm_validate_constraint(op, "kids", "kids_pkey"); }
static void up_index_name_unknown(pcsm_op *op)
{
    pcsm_create_index(op, &(pcsm_index){ .table = "kids", .expression = "a AT TIME ZONE 'UTC'" });
}
/* A column key is named by its column, the expression key after it by nothing known. */
static void up_elements_name_unknown(pcsm_op *op)
{
    pcsm_create_index(op, &(pcsm_index){ .table = "kids", .elements = PCSM_ELEMENTS(
        { .column = "a" }, { .expression = "a AT TIME ZONE 'UTC'" }) });
}
static void up_validate_no_table(pcsm_op *op) { pcsm_validate_constraint(op, "nope", "c"); }
static void up_if_exists(pcsm_op *op)
{
    pcsm_drop_table(op, "nope", PCSM_IF_EXISTS);
    pcsm_drop_index(op, "nope", PCSM_IF_EXISTS);
    pcsm_drop_column(op, "kids", "nope", PCSM_IF_EXISTS);
    pcsm_drop_constraint(op, "kids", "nope", PCSM_IF_EXISTS);
}

/* A migration the server would refuse, and the words of the refusal. */
struct refusal {
    pcsm_migration_fn up;
    const char *message;
};

/*
 * Each case, as the revision after `base` (and `then`, when not NULL), is
 * refused by replay with its message, and no model is made.
 */
static void assert_refusals(pcsm_migration_fn base, pcsm_migration_fn then,
                            const struct refusal *cases, size_t n)
{
    size_t i;

    for (i = 0; i < n; i++) {
        pcsm_revision revs[] = {
            REV("r1", no_parents, 0, base), REV("r2", after_r1, 1, then ? then : cases[i].up),
            REV("r3", after_r2, 1, cases[i].up),
        };
        size_t n_revs = then ? 3 : 2;

        ck_assert_msg(declare(revs, n_revs) == PCSM_EMIGRATION, "case %zu: %s", i,
                      pcsm_error_last(ctx) ? pcsm_error_last(ctx)->message : "no error");
        ck_assert_ptr_null(model);
        ck_assert_msg(strstr(pcsm_error_last(ctx)->message, cases[i].message),
                      "case %zu: %s", i, pcsm_error_last(ctx)->message);
        teardown();
    }
}

START_TEST(test_schema_refuses_what_the_server_would)
{
    static const struct refusal cases[] = {
        { up_drop_referenced, "revision r2 (t.c), operation 1, drop_table \"parents\": foreign "
                              "keys of \"kids\" reference it (drop them, or CASCADE)" },
        { up_missing_table, "add_column \"nope\": table \"nope\" does not exist" },
        { up_twice, "create_table \"kids\": relation \"kids\" already exists" },
        { up_index_name_taken, "relation \"parents_pkey\" already exists" },
        { up_missing_column, "column \"zzz\" of \"kids\" does not exist" },
        { up_drop_key_index, "\"kids_pkey\" is not an index of its own" },
        { up_drop_used_key, "foreign keys of \"kids\" depend on it" },
        { up_validate_missing, "validate_constraint \"parents\": constraint \"nope\" of "
                               "relation \"parents\" does not exist" },
        { up_validate_unique, "validate_constraint \"parents\": constraint \"parents_code_key\" "
                              "of relation \"parents\" is not a foreign key or check constraint" },
        { up_validate_key, "constraint \"kids_pkey\" of relation \"kids\" is not a foreign key "
                           "or check constraint" },
        { up_validate_no_table, "validate_constraint \"nope\": table \"nope\" does not exist" },
        { up_index_name_unknown, "create_index \"kids\": the name the server gives an index "
                                 "on (a AT TIME ZONE 'UTC') is not known here; give the index "
                                 "a name" },
        { up_elements_name_unknown, "create_index \"kids\": the name the server gives an "
                                    "index on an expression of its elements is not known here; "
                                    "give the index a name" },
    };

    assert_refusals(up_tables, NULL, cases, sizeof(cases) / sizeof(*cases));
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

/* ------------------------------- index elements and renames (issue 20) */

static void up_rename_missing_index(pcsm_op *op) { pcsm_rename_index(op, "nope", "x"); }
static void up_rename_table_as_index(pcsm_op *op) { pcsm_rename_index(op, "kids", "x"); }
static void up_rename_index_taken(pcsm_op *op) { pcsm_rename_index(op, "kids_by_b", "parents"); }
static void up_rename_missing_constraint(pcsm_op *op)
{
    pcsm_rename_constraint(op, "kids", "nope", "x");
}
static void up_rename_constraint_no_table(pcsm_op *op)
{
    pcsm_rename_constraint(op, "nope", "c", "x");
}
static void up_rename_constraint_taken(pcsm_op *op)
{
    pcsm_rename_constraint(op, "kids", "kids_parent_code", "kids_a_parent_key");
}
static void up_rename_key_to_relation(pcsm_op *op)
{
    pcsm_rename_constraint(op, "kids", "kids_pkey", "kids_by_b");
}
static void up_element_missing_column(pcsm_op *op)
{
    pcsm_create_index(op, &(pcsm_index){ .name = "ix", .table = "kids",
                                        .elements = PCSM_ELEMENTS({ .column = "a" },
                                                                  { .column = "zzz" }) });
}

START_TEST(test_schema_refuses_bad_renames_and_elements)
{
    static const struct refusal cases[] = {
        { up_rename_missing_index, "rename_index \"nope\": index \"nope\" does not exist" },
        { up_rename_table_as_index, "rename_index \"kids\": \"kids\" is not an index" },
        { up_rename_index_taken, "rename_index \"kids_by_b\": relation \"parents\" already "
                                 "exists" },
        { up_rename_missing_constraint, "rename_constraint \"kids\": constraint \"nope\" for "
                                        "table \"kids\" does not exist" },
        { up_rename_constraint_no_table, "rename_constraint \"nope\": table \"nope\" does not "
                                         "exist" },
        { up_rename_constraint_taken, "constraint \"kids_a_parent_key\" for relation \"kids\" "
                                      "already exists" },
        { up_rename_key_to_relation, "relation \"kids_by_b\" already exists" },
        { up_element_missing_column, "column \"zzz\" of \"kids\" does not exist" },
    };

    assert_refusals(up_tables, NULL, cases, sizeof(cases) / sizeof(*cases));
}
END_TEST

static void up_elements_and_renames(pcsm_op *op)
{
    /* Plain keys in elements are the columns / expression forms. */
    pcsm_create_index(op, &(pcsm_index){ .name = "e_plain", .table = "kids",
        .elements = PCSM_ELEMENTS({ .column = "a" }, { .column = "b",
                                                      .nulls = PCSM_NULLS_LAST }) });
    pcsm_create_index(op, &(pcsm_index){ .name = "e_expr", .table = "kids",
        .elements = PCSM_ELEMENTS({ .expression = "a + b" }) });
    pcsm_create_index(op, &(pcsm_index){ .name = "e_dec", .table = "kids", .unique = true,
        .nulls_not_distinct = true,
        .elements = PCSM_ELEMENTS({ .column = "parent", .descending = true,
                                    .nulls = PCSM_NULLS_FIRST },
                                  { .expression = "b * 2", .opclass = "int4_ops" }) });
    pcsm_rename_index(op, "kids_pkey", "kids_pk");
    pcsm_rename_constraint(op, "parents", "parents_code_key", "parents_code_uq");
    pcsm_rename_index(op, "e_dec", "e_dec2");
    pcsm_rename_constraint(op, "kids", "kids_parent_code", "kids_parent_fk");
    pcsm_rename_column(op, "kids", "parent", "mother");
    pcsm_add_constraint(op, "kids", &(pcsm_constraint){ .kind = PCSM_UNIQUE, .name = "k_nnd",
                                                        .columns = PCSM_NAMES("b"),
                                                        .nulls_not_distinct = true });
}

START_TEST(test_schema_index_elements_and_renames)
{
    static const pcsm_revision revs[] = {
        REV("r1", no_parents, 0, up_tables), REV("r2", after_r1, 1, up_elements_and_renames),
    };
    const struct pcsm_schema_index *ix;
    const struct pcsm_schema_table *kids, *parents;

    ck_assert_msg(declare(revs, 2) == 0, "%s", pcsm_error_last(ctx)->message);
    ix = pcsm_schema__index(model, "e_plain");
    ck_assert_ptr_nonnull(ix);
    ck_assert_ptr_null(ix->elements);
    ck_assert_str_eq(ix->columns[0], "a");
    ck_assert_str_eq(ix->columns[1], "b");
    ix = pcsm_schema__index(model, "e_expr");
    ck_assert_ptr_null(ix->elements);
    ck_assert_str_eq(ix->expression, "a + b");
    ck_assert_ptr_null(pcsm_schema__index(model, "e_dec"));
    ix = pcsm_schema__index(model, "e_dec2");
    ck_assert_ptr_nonnull(ix->elements);
    ck_assert(ix->nulls_not_distinct);
    ck_assert_str_eq(ix->elements[0].column, "mother");     /* followed the column rename */
    ck_assert(ix->elements[0].descending);
    ck_assert_int_eq(ix->elements[0].nulls, PCSM_NULLS_DEFAULT);   /* DESC's own */
    ck_assert_str_eq(ix->elements[1].expression, "b * 2");
    ck_assert_str_eq(ix->elements[1].opclass, "int4_ops");
    ck_assert_ptr_null(ix->elements[2].column);
    kids = pcsm_schema__table(model, "kids");
    parents = pcsm_schema__table(model, "parents");
    ck_assert_ptr_nonnull(pcsm_schema__constraint(kids, "kids_pk"));
    ck_assert_ptr_null(pcsm_schema__constraint(kids, "kids_pkey"));
    ck_assert_ptr_nonnull(pcsm_schema__constraint(parents, "parents_code_uq"));
    ck_assert_ptr_nonnull(pcsm_schema__constraint(kids, "kids_parent_fk"));
    ck_assert(pcsm_schema__constraint(kids, "k_nnd")->nulls_not_distinct);
    ck_assert(!pcsm_schema__constraint(parents, "parents_code_uq")->nulls_not_distinct);
    ck_assert_ptr_nonnull(strstr(sql.ptr, "CREATE UNIQUE INDEX \"e_dec2\" ON \"kids\" "
                                 "(\"mother\" DESC, (b * 2) \"int4_ops\") NULLS NOT "
                                 "DISTINCT;\n"));
    ck_assert_ptr_nonnull(strstr(sql.ptr, "CREATE INDEX \"e_plain\" ON \"kids\" "
                                 "(\"a\", \"b\");\n"));
    ck_assert_ptr_nonnull(strstr(sql.ptr, "CONSTRAINT \"k_nnd\" UNIQUE NULLS NOT DISTINCT "
                                 "(\"b\")"));
    teardown();
}
END_TEST

/* ------------------------------------------------ exclusion constraints */

static void up_exclusion(pcsm_op *op)
{
    /* Named in the server's order: the key indexes as written, after the checks. */
    pcsm_create_table(op, "slots", PCSM_COLUMNS(
        { .name = "room", .type = PCSM_INTEGER },
        { .name = "during", .type = PCSM_NAMED_TYPE("tsrange") }),
        PCSM_CONSTRAINTS(
            { .kind = PCSM_EXCLUDE, .method = "gist",
              .elements = PCSM_ELEMENTS({ .column = "during", .with = "&&" }) },
            { .kind = PCSM_UNIQUE, .columns = PCSM_NAMES("during") },
            { .kind = PCSM_EXCLUDE, .method = "btree",
              .elements = PCSM_ELEMENTS({ .column = "room", .nulls = PCSM_NULLS_LAST,
                                          .with = "=" },
                                        { .expression = "lower(during)", .with = "=" }) }),
        NULL);
    /* slots_during_excl is taken: the next is numbered. */
    pcsm_add_constraint(op, "slots", &(pcsm_constraint){ .kind = PCSM_EXCLUDE,
        .method = "gist", .where = "room > 0",
        .elements = PCSM_ELEMENTS({ .column = "during", .with = "&&" }) });
    pcsm_add_constraint(op, "slots", &(pcsm_constraint){ .kind = PCSM_EXCLUDE,
        .name = "by_room", .elements = PCSM_ELEMENTS({ .column = "room", .with = "=" }) });
    pcsm_rename_index(op, "by_room", "by_room2");
    pcsm_rename_constraint(op, "slots", "slots_during_excl1", "partial");
    pcsm_rename_column(op, "slots", "room", "place");
}

static void up_exclusion_drop_column(pcsm_op *op)
{
    pcsm_drop_column(op, "slots", "during", 0);
}

START_TEST(test_schema_exclusion_constraints)
{
    static const pcsm_revision revs[] = {
        REV("r1", no_parents, 0, up_exclusion), REV("r2", after_r1, 1, up_exclusion_drop_column),
    };
    const struct pcsm_schema_table *t;
    const struct pcsm_schema_constraint *c;

    ck_assert_msg(declare(revs, 1) == 0, "%s", pcsm_error_last(ctx)->message);
    t = pcsm_schema__table(model, "slots");
    ck_assert_uint_eq(t->n_constraints, 5);
    c = pcsm_schema__constraint(t, "slots_during_excl");
    ck_assert_ptr_nonnull(c);
    ck_assert_str_eq(c->method, "gist");
    ck_assert_str_eq(c->elements[0].with, "&&");
    ck_assert_ptr_nonnull(pcsm_schema__constraint(t, "slots_during_key"));
    /* Its column, then the function's name. */
    c = pcsm_schema__constraint(t, "slots_room_lower_excl");
    ck_assert_ptr_nonnull(c);
    ck_assert_ptr_null(c->method);                   /* btree: the default, said as nothing */
    ck_assert_str_eq(c->elements[0].column, "place");
    ck_assert_int_eq(c->elements[0].nulls, PCSM_NULLS_DEFAULT);
    c = pcsm_schema__constraint(t, "partial");
    ck_assert_ptr_nonnull(c);
    ck_assert_str_eq(c->where, "place > 0");         /* followed the column's rename */
    ck_assert_ptr_nonnull(pcsm_schema__constraint(t, "by_room2"));
    ck_assert_ptr_null(pcsm_schema__constraint(t, "by_room"));
    /* The printed model: each constraint once, as the server would make it. */
    ck_assert_ptr_nonnull(strstr(sql.ptr, "CONSTRAINT \"partial\" EXCLUDE USING gist "
                                 "(\"during\" WITH &&) WHERE (place > 0)"));
    ck_assert_ptr_nonnull(strstr(sql.ptr, "CONSTRAINT \"slots_room_lower_excl\" EXCLUDE "
                                 "(\"place\" WITH =, (lower(during)) WITH =)"));
    /* And its JSON: the keys with their operators, the method, the predicate. */
    {
        pcsm_buf json = PCSM_BUF_INIT;

        pcsm_schema_json(model, &json);
        ck_assert_ptr_nonnull(strstr(json.ptr, "{\"name\":\"partial\",\"kind\":\"EXCLUDE\","
                                     "\"method\":\"gist\",\"elements\":[{\"column\":"
                                     "\"during\",\"expression\":null,\"collation\":null,"
                                     "\"opclass\":null,\"descending\":false,\"nulls\":null,"
                                     "\"with\":\"&&\"}],\"where\":\"place > 0\""));
        ck_assert_ptr_nonnull(strstr(json.ptr, "\"name\":\"by_room2\",\"kind\":"
                                     "\"EXCLUDE\",\"method\":\"btree\""));
        pcsm_buf_dispose(&json);
    }
    teardown();

    /* A column dropped takes the exclusion constraints over it along. */
    ck_assert_msg(declare(revs, 2) == 0, "%s", pcsm_error_last(ctx)->message);
    t = pcsm_schema__table(model, "slots");
    ck_assert_uint_eq(t->n_constraints, 1);
    ck_assert_ptr_nonnull(pcsm_schema__constraint(t, "by_room2"));
    teardown();
}
END_TEST

static void up_excl_missing_column(pcsm_op *op)
{
    pcsm_add_constraint(op, "kids", &(pcsm_constraint){ .kind = PCSM_EXCLUDE,
        .elements = PCSM_ELEMENTS({ .column = "zzz", .with = "=" }) });
}
static void up_excl_relation_taken(pcsm_op *op)
{
    pcsm_add_constraint(op, "kids", &(pcsm_constraint){ .kind = PCSM_EXCLUDE,
        .name = "kids_by_b", .elements = PCSM_ELEMENTS({ .column = "a", .with = "=" }) });
}
static void up_excl_validate(pcsm_op *op)
{
    pcsm_add_constraint(op, "kids", &(pcsm_constraint){ .kind = PCSM_EXCLUDE, .name = "x",
        .elements = PCSM_ELEMENTS({ .column = "a", .with = "=" }) });
    pcsm_validate_constraint(op, "kids", "x");
}
static void up_excl_index_takes_name(pcsm_op *op)
{
    pcsm_add_constraint(op, "kids", &(pcsm_constraint){ .kind = PCSM_EXCLUDE, .name = "x",
        .elements = PCSM_ELEMENTS({ .column = "a", .with = "=" }) });
    pcsm_create_index(op, &(pcsm_index){ .name = "x", .table = "kids",
                                        .columns = PCSM_NAMES("b") });
}

START_TEST(test_schema_refuses_bad_exclusion_constraints)
{
    static const struct refusal cases[] = {
        { up_excl_missing_column, "column \"zzz\" of \"kids\" does not exist" },
        { up_excl_relation_taken, "constraint or relation \"kids_by_b\" already exists" },
        { up_excl_validate, "constraint \"x\" of relation \"kids\" is not a foreign key or "
                            "check constraint" },
        { up_excl_index_takes_name, "\"x\"" },
    };

    assert_refusals(up_tables, NULL, cases, sizeof(cases) / sizeof(*cases));
}
END_TEST

/* ------------------------------------------------- raw SQL, and equality */

/* Settings, locks and batches change no schema; a guard is listed as raw SQL is. */
static void up_session(pcsm_op *op)
{
    pcsm_set_local(op, "lock_timeout", "5s");
    pcsm_lock_table(op, "kids", PCSM_LOCK_SHARE, 0);
    pcsm_batch_update_from(op, "kids", "a", "b = p.id", "parents p", "p.id = kids.parent", 10);
    pcsm_if(op, "NOT EXISTS (SELECT 1 FROM pg_indexes WHERE indexname = 'ix_kids_b')");
    pcsm_create_index(op, &(pcsm_index){ .name = "ix_kids_b", .table = "kids",
                                         .columns = PCSM_NAMES("b") });
    pcsm_end_if(op);
}

static void up_lock_unknown(pcsm_op *op)
{
    pcsm_lock_table(op, "nobody", PCSM_LOCK_SHARE, 0);
}

START_TEST(test_schema_guard_is_listed_not_replayed)
{
    static const pcsm_revision revs[] = {
        REV("r1", no_parents, 0, up_tables), REV("r2", after_r1, 1, up_session),
    };
    static const pcsm_revision bad[] = {
        REV("r1", no_parents, 0, up_tables), REV("r2", after_r1, 1, up_lock_unknown),
    };

    ck_assert_int_eq(declare(revs, 2), 0);
    /* The index is not in the model: the guard may not have made it. */
    ck_assert_ptr_null(pcsm_schema__index(model, "ix_kids_b"));
    ck_assert_uint_eq(pcsm_schema_opaque_count(model), 1);
    ck_assert_str_eq(model->opaque[0].revision, "r2");
    ck_assert_uint_eq(model->opaque[0].op, 3);
    ck_assert_str_eq(model->opaque[0].summary, "if (NOT EXISTS (SELECT 1 FROM pg_indexes "
                                               "WHERE indexname = 'ix_kids_b')): 1 guarded "
                                               "operation");
    /* What its operations name is not verified: the index and its table. */
    ck_assert(pcsm_schema__mentioned(model, "ix_kids_b"));
    ck_assert(pcsm_schema__mentioned(model, "kids"));
    ck_assert(!pcsm_schema__mentioned(model, "parents"));
    pcsm_schema_free(model);
    model = NULL;
    pcsm_ctx_free(ctx);
    ctx = NULL;
    pcsm_buf_clear(&sql);
    ck_assert_int_eq(declare(bad, 2), PCSM_EMIGRATION);
    ck_assert_str_eq(pcsm_error_last(ctx)->message,
                     "revision r2 (t.c), operation 1, lock_table \"nobody\": relation "
                     "\"nobody\" does not exist");
}
END_TEST

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

/* ------------------------------------------- extensions and enum types */

static void up_enum(pcsm_op *op)
{
    pcsm_create_extension(op, "citext", 0);
    pcsm_create_extension(op, "citext", 0);        /* IF NOT EXISTS: quiet */
    pcsm_create_enum(op, "mood", PCSM_LABELS("sad", "ok"));
    pcsm_add_enum_value(op, "mood", "meh", PCSM_BEFORE_LABEL("ok"), 0);
    pcsm_add_enum_value(op, "mood", "happy", PCSM_AT_END, 0);
    pcsm_add_enum_value(op, "mood", "glad", PCSM_AFTER_LABEL("sad"), 0);
    pcsm_add_enum_value(op, "mood", "ok", PCSM_AT_END, PCSM_IF_NOT_EXISTS);
    pcsm_create_table(op, "people", PCSM_COLUMNS(
        { .name = "id", .type = PCSM_INTEGER, .primary_key = true },
        { .name = "mood", .type = PCSM_NAMED_TYPE("mood"),
          .default_value = PCSM_LITERAL("ok") },
        { .name = "moods", .type = PCSM_ARRAY(PCSM_NAMED_TYPE("mood")) }), NULL, NULL);
    pcsm_rename_enum_value(op, "mood", "sad", "blue");
    pcsm_rename_enum_value(op, "mood", "ok", "fine");
}

START_TEST(test_schema_enum_labels_in_server_order)
{
    static const pcsm_revision revs[] = { REV("r1", no_parents, 0, up_enum) };
    const struct pcsm_schema_type *mood;
    const char *const want[] = { "blue", "glad", "meh", "fine", "happy" };
    size_t i;

    ck_assert_msg(declare(revs, 1) == 0, "%s", pcsm_error_last(ctx)->message);
    ck_assert_uint_eq(model->n_extensions, 1);
    ck_assert_str_eq(model->extensions[0].name, "citext");
    mood = pcsm_schema__type(model, "mood");
    ck_assert_ptr_nonnull(mood);
    ck_assert_uint_eq(mood->n_labels, 5);
    for (i = 0; i < 5; i++)
        ck_assert_str_eq(mood->labels[i], want[i]);
    ck_assert_ptr_null(mood->labels[5]);
    /* The server keeps the default as the value: it shows the new label. */
    ck_assert_str_eq(pcsm_schema__column(pcsm_schema__table(model, "people"),
                                         "mood")->default_value.text, "fine");
    /* Extensions, then types, then the tables that use them. */
    ck_assert_ptr_nonnull(strstr(sql.ptr, "CREATE EXTENSION IF NOT EXISTS \"citext\";\n"
                                          "CREATE TYPE \"mood\" AS ENUM ('blue', 'glad', "
                                          "'meh', 'fine', 'happy');\nCREATE TABLE \"people\""));
    ck_assert_ptr_nonnull(strstr(sql.ptr, "\"mood\" \"mood\" DEFAULT 'fine',\n"));
    ck_assert_uint_eq(pcsm_schema_opaque_count(model), 0);
}
END_TEST

static void up_drop_enum_cascade(pcsm_op *op)
{
    pcsm_create_function(op, &(pcsm_function){
        .name = "cheer", .arguments = "m mood", .returns = "SETOF mood", .language = "sql",
        .body = "SELECT m" });
    pcsm_create_index(op, &(pcsm_index){ .name = "people_mood", .table = "people",
                                         .columns = PCSM_NAMES("mood") });
    pcsm_drop_type(op, "mood", PCSM_DROP_CASCADE);
    pcsm_drop_type(op, "mood", PCSM_IF_EXISTS);
    pcsm_drop_extension(op, "citext", 0);
    pcsm_drop_extension(op, "citext", PCSM_IF_EXISTS);
}

START_TEST(test_schema_drop_type_cascade_takes_its_columns_and_functions)
{
    static const pcsm_revision revs[] = {
        REV("r1", no_parents, 0, up_enum), REV("r2", after_r1, 1, up_drop_enum_cascade),
    };
    const struct pcsm_schema_table *people;

    ck_assert_msg(declare(revs, 2) == 0, "%s", pcsm_error_last(ctx)->message);
    ck_assert_uint_eq(model->n_types, 0);
    ck_assert_uint_eq(model->n_extensions, 0);
    ck_assert_uint_eq(model->n_functions, 0);
    people = pcsm_schema__table(model, "people");
    ck_assert_uint_eq(people->n_columns, 1);        /* the array of moods went too */
    ck_assert_str_eq(people->columns[0].name, "id");
    ck_assert_uint_eq(model->n_indexes, 0);
    ck_assert_ptr_null(strstr(sql.ptr, "mood"));
}
END_TEST

/* ------------------------------------------------ functions and triggers */

#define TOUCH_BODY "BEGIN\n    NEW.\"at\" := now();\n    RETURN NEW;\nEND\n"

static void up_triggers(pcsm_op *op)
{
    pcsm_create_function(op, &(pcsm_function){
        .name = "touch", .arguments = "", .returns = "trigger", .language = "plpgsql",
        .body = TOUCH_BODY });
    pcsm_create_function(op, &(pcsm_function){
        .name = "double_it", .arguments = "x integer", .returns = "integer",
        .language = "sql", .body = "SELECT x * 2", .volatility = PCSM_IMMUTABLE,
        .strict = true });
    pcsm_create_function(op, &(pcsm_function){
        .name = "double_it", .arguments = "x bigint", .returns = "bigint",
        .language = "sql", .body = "SELECT x * 2" });
    pcsm_create_trigger(op, &(pcsm_trigger){
        .name = "kids_touch", .table = "kids", .timing = PCSM_BEFORE,
        .events = PCSM_ON_UPDATE | PCSM_ON_INSERT, .for_each_row = true, .function = "touch",
        .when = "NEW.b IS DISTINCT FROM OLD.\"b\" AND new.parent > 0" });
    pcsm_create_trigger(op, &(pcsm_trigger){
        .name = "a_kids_log", .table = "kids", .timing = PCSM_AFTER,
        .events = PCSM_ON_TRUNCATE, .function = "touch" });
    pcsm_create_trigger(op, &(pcsm_trigger){
        .name = "parents_touch", .table = "parents", .timing = PCSM_BEFORE,
        .events = PCSM_ON_UPDATE, .for_each_row = true, .function = "touch" });
    pcsm_rename_table(op, "kids", "children");
    pcsm_rename_column(op, "children", "b", "bee");
    /* A replacement keeps the function, and the triggers on it. */
    pcsm_create_function(op, &(pcsm_function){
        .name = "touch", .arguments = " ", .returns = "TRIGGER", .language = "plpgsql",
        .body = TOUCH_BODY, .or_replace = true });
}

START_TEST(test_schema_triggers_follow_their_table)
{
    static const pcsm_revision revs[] = {
        REV("r1", no_parents, 0, up_tables), REV("r2", after_r1, 1, up_triggers),
    };
    const struct pcsm_schema_table *children;
    const struct pcsm_schema_trigger *tr;
    const char *functions, *tables, *fks, *triggers;

    ck_assert_msg(declare(revs, 2) == 0, "%s", pcsm_error_last(ctx)->message);
    ck_assert_uint_eq(model->n_functions, 3);
    /* Name order, overloads by signature. */
    ck_assert_str_eq(model->functions[0].signature, "bigint");
    ck_assert_str_eq(model->functions[1].signature, "integer");
    ck_assert_str_eq(model->functions[2].name, "touch");
    ck_assert_str_eq(model->functions[2].returns, "TRIGGER");
    children = pcsm_schema__table(model, "children");
    ck_assert_uint_eq(children->n_triggers, 2);
    ck_assert_str_eq(children->triggers[0].name, "a_kids_log");     /* name order */
    tr = pcsm_schema__trigger(children, "kids_touch");
    ck_assert_ptr_nonnull(tr);
    /* The WHEN condition follows the column's rename, NEW. and OLD. alike. */
    ck_assert_str_eq(tr->when, "NEW.bee IS DISTINCT FROM OLD.bee AND new.parent > 0");
    /* Functions before tables; triggers after the foreign keys. */
    functions = strstr(sql.ptr, "CREATE FUNCTION \"double_it\"(x bigint) RETURNS bigint\n"
                                "LANGUAGE sql AS $$\nSELECT x * 2\n$$;\n"
                                "CREATE FUNCTION \"double_it\"(x integer) RETURNS integer\n"
                                "LANGUAGE sql IMMUTABLE STRICT AS $$\nSELECT x * 2\n$$;\n"
                                "CREATE FUNCTION \"touch\"( ) RETURNS TRIGGER\n");
    tables = strstr(sql.ptr, "CREATE TABLE \"children\"");
    fks = strstr(sql.ptr, "ALTER TABLE \"children\" ADD CONSTRAINT");
    triggers = strstr(sql.ptr, "CREATE TRIGGER \"a_kids_log\" AFTER TRUNCATE ON \"children\"\n"
                               "FOR EACH STATEMENT EXECUTE FUNCTION \"touch\"();\n"
                               "CREATE TRIGGER \"kids_touch\" BEFORE INSERT OR UPDATE ON "
                               "\"children\"\nFOR EACH ROW WHEN (NEW.bee IS DISTINCT FROM "
                               "OLD.bee AND new.parent > 0) EXECUTE FUNCTION \"touch\"();\n"
                               "CREATE TRIGGER \"parents_touch\" BEFORE UPDATE ON \"parents\"\n");
    ck_assert_msg(functions && tables && fks && triggers, "%s", sql.ptr);
    ck_assert(functions < tables && tables < fks && fks < triggers);
    /* An SQL function's body may read tables made after it: checked later. */
    ck_assert(!strncmp(sql.ptr, "SET check_function_bodies = false;\n", 35));
}
END_TEST

static void up_drop_trigger_things(pcsm_op *op)
{
    pcsm_drop_trigger(op, "children", "a_kids_log", 0);
    pcsm_drop_trigger(op, "children", "a_kids_log", PCSM_IF_EXISTS);
    pcsm_drop_trigger(op, "nope", "x", PCSM_IF_EXISTS);
    pcsm_drop_column(op, "children", "bee", PCSM_DROP_CASCADE);     /* kids_touch reads it */
    pcsm_drop_table(op, "parents", PCSM_DROP_CASCADE);             /* parents_touch goes */
    pcsm_drop_function(op, "double_it", "integer", 0);
    pcsm_drop_function(op, "double_it", "x int8", 0);
    pcsm_drop_function(op, "double_it", NULL, PCSM_IF_EXISTS);
    pcsm_drop_function(op, "nope", "", PCSM_IF_EXISTS);
    pcsm_drop_function(op, "touch", NULL, 0);                      /* unused now */
}

START_TEST(test_schema_triggers_go_with_table_column_and_function)
{
    static const pcsm_revision revs[] = {
        REV("r1", no_parents, 0, up_tables), REV("r2", after_r1, 1, up_triggers),
        REV("r3", after_r2, 1, up_drop_trigger_things),
    };

    ck_assert_msg(declare(revs, 3) == 0, "%s", pcsm_error_last(ctx)->message);
    ck_assert_uint_eq(model->n_tables, 1);
    ck_assert_uint_eq(pcsm_schema__table(model, "children")->n_triggers, 0);
    ck_assert_uint_eq(model->n_functions, 0);
    ck_assert_ptr_null(strstr(sql.ptr, "TRIGGER"));
    ck_assert_ptr_null(strstr(sql.ptr, "check_function_bodies"));
}
END_TEST

static void up_trigger_firing(pcsm_op *op)
{
    pcsm_set_trigger_firing(op, "children", "a_kids_log", PCSM_TRIGGER_DISABLE);
    pcsm_set_trigger_firing(op, "children", "kids_touch", PCSM_TRIGGER_ENABLE_REPLICA);
    pcsm_set_trigger_firing(op, "parents", "parents_touch", PCSM_TRIGGER_ENABLE_ALWAYS);
    pcsm_set_trigger_firing(op, "parents", "parents_touch", PCSM_TRIGGER_ENABLE);
    pcsm_rename_table(op, "children", "kids");      /* its triggers go along, as they fire */
}

static void up_clone_and_raw(pcsm_op *op)
{
    pcsm_create_function(op, &(pcsm_function){ .name = "touch2", .returns = "trigger",
                                               .language = "plpgsql", .body = "BEGIN END" });
    pcsm_create_partitioned_table(op, "d", PCSM_PARTITION_BY(PCSM_PARTITION_LIST,
                                                             { .column = "id" }),
                                  PCSM_COLUMNS({ .name = "id", .type = PCSM_INTEGER }),
                                  NULL, NULL);
    pcsm_create_partition(op, &(pcsm_partition){ .name = "d1", .parent = "d",
                                                 .bound = "DEFAULT" });
    pcsm_create_trigger(op, &(pcsm_trigger){ .name = "tr", .table = "d", .timing = PCSM_AFTER,
                                             .events = PCSM_ON_INSERT, .for_each_row = true,
                                             .function = "touch2" });
    /* The partition's clone of tr: the server's, fired as the server says. */
    pcsm_set_trigger_firing(op, "d1", "tr", PCSM_TRIGGER_DISABLE);
    /* A view's trigger: accepted as the server accepts it, not the model's. */
    pcsm_create_view(op, &(pcsm_view){ .name = "dv", .query = "SELECT id FROM d",
                                       .reads = PCSM_NAMES("d") });
    pcsm_create_trigger(op, &(pcsm_trigger){ .name = "dv_ins", .table = "dv",
                                             .timing = PCSM_INSTEAD_OF,
                                             .events = PCSM_ON_INSERT, .for_each_row = true,
                                             .function = "touch2" });
    pcsm_drop_trigger(op, "dv", "dv_ins", 0);
    /* A type raw SQL made: what it is and what uses it are not known, so it is trusted. */
    pcsm_execute(op, "CREATE TYPE raw_mood AS ENUM ('a', 'b')");
    pcsm_recreate_enum(op, "raw_mood", PCSM_LABELS("b", "a"), NULL);
}

/*
 * Set on a partition's clone of a trigger, a view's trigger, an enum made
 * again by raw SQL's word: taken on trust, as the server takes them.
 */
START_TEST(test_schema_trigger_clone_and_raw_enum_trusted)
{
    static const pcsm_revision revs[] = { REV("r1", no_parents, 0, up_clone_and_raw) };

    ck_assert_msg(declare(revs, 1) == 0, "%s", pcsm_error_last(ctx)->message);
    ck_assert_uint_eq(pcsm_schema__table(model, "d1")->n_triggers, 0);
    ck_assert_int_eq(pcsm_schema__trigger(pcsm_schema__table(model, "d"), "tr")->firing,
                     PCSM_TRIGGER_ENABLE);
}
END_TEST

/* ENABLE / DISABLE TRIGGER: the model holds how each fires, and prints it after the trigger. */
START_TEST(test_schema_trigger_firing)
{
    static const pcsm_revision revs[] = {
        REV("r1", no_parents, 0, up_tables), REV("r2", after_r1, 1, up_triggers),
        REV("r3", after_r2, 1, up_trigger_firing),
    };
    const struct pcsm_schema_table *kids;
    const char *made, *disabled, *replica;

    ck_assert_msg(declare(revs, 3) == 0, "%s", pcsm_error_last(ctx)->message);
    kids = pcsm_schema__table(model, "kids");
    ck_assert_int_eq(pcsm_schema__trigger(kids, "a_kids_log")->firing, PCSM_TRIGGER_DISABLE);
    ck_assert_int_eq(pcsm_schema__trigger(kids, "kids_touch")->firing,
                     PCSM_TRIGGER_ENABLE_REPLICA);
    ck_assert_int_eq(pcsm_schema__trigger(pcsm_schema__table(model, "parents"),
                                          "parents_touch")->firing, PCSM_TRIGGER_ENABLE);
    made = strstr(sql.ptr, "CREATE TRIGGER \"a_kids_log\"");
    disabled = strstr(sql.ptr, "ALTER TABLE \"kids\" DISABLE TRIGGER \"a_kids_log\";\n");
    replica = strstr(sql.ptr, "ALTER TABLE \"kids\" ENABLE REPLICA TRIGGER \"kids_touch\";\n");
    ck_assert_msg(made && disabled && replica && made < disabled, "%s", sql.ptr);
    ck_assert_ptr_null(strstr(sql.ptr, "parents_touch\";\nALTER TABLE \"parents\" ENABLE"));
}
END_TEST

static void up_drop_touch_cascade(pcsm_op *op)
{
    pcsm_drop_function(op, "touch", "", PCSM_DROP_CASCADE);
}

START_TEST(test_schema_drop_function_cascade_takes_its_triggers)
{
    static const pcsm_revision revs[] = {
        REV("r1", no_parents, 0, up_tables), REV("r2", after_r1, 1, up_triggers),
        REV("r3", after_r2, 1, up_drop_touch_cascade),
    };

    ck_assert_msg(declare(revs, 3) == 0, "%s", pcsm_error_last(ctx)->message);
    ck_assert_uint_eq(pcsm_schema__table(model, "children")->n_triggers, 0);
    ck_assert_uint_eq(pcsm_schema__table(model, "parents")->n_triggers, 0);
    ck_assert_uint_eq(model->n_functions, 2);
}
END_TEST

static void up_drop_unmatched(pcsm_op *op)
{
    /* A spelling the model does not know: listed as unknown, not refused. */
    pcsm_drop_function(op, "double_it", "pg_catalog.int4", 0);
    pcsm_drop_extension(op, "citext", PCSM_IF_EXISTS);
    pcsm_create_extension(op, "hstore", PCSM_CREATE_CASCADE);
    pcsm_drop_extension(op, "hstore", PCSM_DROP_CASCADE);
}

START_TEST(test_schema_what_it_cannot_follow_is_listed)
{
    static const pcsm_revision revs[] = {
        REV("r1", no_parents, 0, up_tables), REV("r2", after_r1, 1, up_triggers),
        REV("r3", after_r2, 1, up_drop_unmatched),
    };

    ck_assert_msg(declare(revs, 3) == 0, "%s", pcsm_error_last(ctx)->message);
    ck_assert_uint_eq(model->n_functions, 3);
    ck_assert_uint_eq(pcsm_schema_opaque_count(model), 2);
    ck_assert_uint_eq(model->opaque[0].op, 0);
    ck_assert_str_eq(model->opaque[0].summary,
                     "a function of argument types the model cannot match");
    ck_assert_uint_eq(model->opaque[1].op, 3);
}
END_TEST

/* ------------------------------------------------------ row-level security */

static void up_policies(pcsm_op *op)
{
    pcsm_set_row_security(op, "kids", PCSM_ROW_SECURITY_ENABLE);
    pcsm_set_row_security(op, "kids", PCSM_ROW_SECURITY_FORCE);
    pcsm_set_row_security(op, "kids", PCSM_ROW_SECURITY_ENABLE);    /* again: no change */
    pcsm_create_policy(op, &(pcsm_policy){
        .name = "see_own", .table = "kids", .command = PCSM_POLICY_SELECT,
        .roles = PCSM_NAMES("writer", "app", "writer"), .using = "parent = 7 AND b > 0" });
    pcsm_create_policy(op, &(pcsm_policy){
        .name = "a_write", .table = "kids", .command = PCSM_POLICY_UPDATE, .restrictive = true,
        .roles = PCSM_NAMES("PUBLIC"), .using = "true", .with_check = "a > 0" });
    pcsm_create_policy(op, &(pcsm_policy){ .name = "gone", .table = "kids" });
    pcsm_drop_policy(op, "kids", "gone", 0);
    pcsm_drop_policy(op, "kids", "gone", PCSM_IF_EXISTS);
    pcsm_drop_policy(op, "nope", "x", PCSM_IF_EXISTS);
    pcsm_create_policy(op, &(pcsm_policy){ .name = "see_own", .table = "parents",
                                           .using = "code <> ''" });
    pcsm_rename_column(op, "kids", "b", "bee");
    pcsm_rename_table(op, "kids", "children");
}

START_TEST(test_schema_policies_follow_their_table)
{
    static const pcsm_revision revs[] = {
        REV("r1", no_parents, 0, up_tables), REV("r2", after_r1, 1, up_policies),
    };
    const struct pcsm_schema_table *t;
    const struct pcsm_schema_policy *p;
    const char *fks, *rls, *policies;
    pcsm_buf json = PCSM_BUF_INIT;

    ck_assert_msg(declare(revs, 2) == 0, "%s", pcsm_error_last(ctx)->message);
    t = pcsm_schema__table(model, "children");
    ck_assert(t->row_security && t->force_row_security);
    ck_assert_uint_eq(t->n_policies, 2);
    ck_assert_str_eq(t->policies[0].name, "a_write");                 /* name order */
    ck_assert_ptr_null(t->policies[0].roles);                          /* PUBLIC */
    ck_assert(t->policies[0].restrictive);
    p = pcsm_schema__policy(t, "see_own");
    ck_assert_int_eq(p->command, PCSM_POLICY_SELECT);
    /* Roles in name order, once each; the condition follows the column's rename. */
    ck_assert_str_eq(p->roles[0], "app");
    ck_assert_str_eq(p->roles[1], "writer");
    ck_assert_ptr_null(p->roles[2]);
    ck_assert_str_eq(p->using, "parent = 7 AND bee > 0");
    ck_assert(!pcsm_schema__table(model, "parents")->row_security);
    ck_assert_uint_eq(pcsm_schema__table(model, "parents")->n_policies, 1);
    /* Printed last, after the foreign keys: a condition may read any table. */
    fks = strstr(sql.ptr, "ALTER TABLE \"children\" ADD CONSTRAINT");
    rls = strstr(sql.ptr, "ALTER TABLE \"children\" ENABLE ROW LEVEL SECURITY;\n"
                          "ALTER TABLE \"children\" FORCE ROW LEVEL SECURITY;\n"
                          "CREATE POLICY \"a_write\" ON \"children\"\n"
                          "AS RESTRICTIVE FOR UPDATE TO PUBLIC\n"
                          "USING (true)\nWITH CHECK (a > 0);\n"
                          "CREATE POLICY \"see_own\" ON \"children\"\n"
                          "AS PERMISSIVE FOR SELECT TO \"app\", \"writer\"\n"
                          "USING (parent = 7 AND bee > 0);\n");
    policies = strstr(sql.ptr, "CREATE POLICY \"see_own\" ON \"parents\"\n");
    ck_assert_msg(fks && rls && policies, "%s", sql.ptr);
    ck_assert(fks < rls);
    pcsm_schema_json(model, &json);
    ck_assert_ptr_nonnull(strstr(json.ptr, "\"row_security\":true,\"force_row_security\":true,"
                                 "\"policies\":[{\"name\":\"a_write\",\"command\":\"UPDATE\","
                                 "\"restrictive\":true,\"roles\":[\"public\"],\"using\":\"true\","
                                 "\"with_check\":\"a > 0\"},{\"name\":\"see_own\",\"command\":"
                                 "\"SELECT\",\"restrictive\":false,\"roles\":[\"app\",\"writer\"],"
                                 "\"using\":\"parent = 7 AND bee > 0\",\"with_check\":null}]"));
    ck_assert_ptr_nonnull(strstr(json.ptr, "\"row_security\":false,\"force_row_security\":"
                                 "false,\"policies\":[{\"name\":\"see_own\""));
    pcsm_buf_dispose(&json);
}
END_TEST

static void up_rls_off(pcsm_op *op)
{
    pcsm_set_row_security(op, "children", PCSM_ROW_SECURITY_NO_FORCE);
    pcsm_drop_column(op, "children", "bee", PCSM_DROP_CASCADE);     /* see_own reads it */
}

START_TEST(test_schema_policies_go_with_their_columns)
{
    static const pcsm_revision revs[] = {
        REV("r1", no_parents, 0, up_tables), REV("r2", after_r1, 1, up_policies),
        REV("r3", after_r2, 1, up_rls_off),
    };
    const struct pcsm_schema_table *t;

    ck_assert_msg(declare(revs, 3) == 0, "%s", pcsm_error_last(ctx)->message);
    t = pcsm_schema__table(model, "children");
    ck_assert(t->row_security && !t->force_row_security);
    ck_assert_uint_eq(t->n_policies, 1);
    ck_assert_str_eq(t->policies[0].name, "a_write");
    ck_assert_ptr_null(strstr(sql.ptr, "FORCE ROW LEVEL SECURITY"));
}
END_TEST

static void up_policy_no_table(pcsm_op *op)
{
    pcsm_create_policy(op, &(pcsm_policy){ .name = "p", .table = "nope" });
}
static void up_policy_twice(pcsm_op *op)
{
    pcsm_create_policy(op, &(pcsm_policy){ .name = "see_own", .table = "children" });
}
static void up_drop_policy_missing(pcsm_op *op) { pcsm_drop_policy(op, "children", "x", 0); }
static void up_drop_policy_no_table(pcsm_op *op) { pcsm_drop_policy(op, "nope", "x", 0); }
static void up_rls_no_table(pcsm_op *op)
{
    pcsm_set_row_security(op, "nope", PCSM_ROW_SECURITY_ENABLE);
}
static void up_drop_policy_column(pcsm_op *op) { pcsm_drop_column(op, "children", "a", 0); }
static void up_retype_policy_column(pcsm_op *op)
{
    pcsm_alter_column_type(op, "children", "bee", PCSM_BIGINT, NULL);
}

START_TEST(test_schema_refuses_bad_policies)
{
    static const struct refusal cases[] = {
        { up_policy_no_table, "create_policy \"p\": table \"nope\" does not exist" },
        { up_policy_twice, "create_policy \"see_own\": policy \"see_own\" for table "
                           "\"children\" already exists" },
        { up_drop_policy_missing, "drop_policy \"x\": policy \"x\" for table \"children\" "
                                  "does not exist" },
        { up_drop_policy_no_table, "drop_policy \"x\": table \"nope\" does not exist" },
        { up_rls_no_table, "set_row_security \"nope\": table \"nope\" does not exist" },
        { up_drop_policy_column, "drop_column \"children\": policy \"a_write\" depends on it "
                                 "(drop it, or CASCADE)" },
        { up_retype_policy_column, "cannot alter type of a column used in a policy "
                                   "definition (\"see_own\": drop it first, create it after)" },
    };

    assert_refusals(up_tables, up_policies, cases, sizeof(cases) / sizeof(*cases));
}
END_TEST

/* ------------------------- what the server would refuse: the new kinds */

static void up_objects(pcsm_op *op)
{
    pcsm_create_enum(op, "mood", PCSM_LABELS("sad", "ok"));
    pcsm_add_column(op, "kids", &(pcsm_column){ .name = "mood", .type = PCSM_NAMED_TYPE("mood") });
    pcsm_create_function(op, &(pcsm_function){
        .name = "touch", .returns = "trigger", .language = "plpgsql", .body = "BEGIN END" });
    pcsm_create_function(op, &(pcsm_function){
        .name = "one", .returns = "integer", .language = "sql", .body = "SELECT 1" });
    pcsm_create_function(op, &(pcsm_function){
        .name = "two", .arguments = "a int", .returns = "integer", .language = "sql",
        .body = "SELECT a" });
    pcsm_create_function(op, &(pcsm_function){
        .name = "two", .arguments = "a text", .returns = "integer", .language = "sql",
        .body = "SELECT 2" });
    pcsm_create_trigger(op, &(pcsm_trigger){
        .name = "kids_touch", .table = "kids", .timing = PCSM_BEFORE, .events = PCSM_ON_UPDATE,
        .for_each_row = true, .function = "touch", .when = "OLD.a <> NEW.a" });
}

#define OBJ_CASE(name, ...) static void name(pcsm_op *op) { __VA_ARGS__; }
#define TRIGGER_ON(table_, function_, timing_) \
    pcsm_create_trigger(op, &(pcsm_trigger){ .name = "t2", .table = (table_), \
        .timing = (timing_), .events = PCSM_ON_INSERT, .for_each_row = true, \
        .function = (function_) })

OBJ_CASE(r_label_exists, pcsm_add_enum_value(op, "mood", "ok", PCSM_AT_END, 0))
OBJ_CASE(r_label_neighbour_missing,
         pcsm_add_enum_value(op, "mood", "meh", PCSM_AFTER_LABEL("glad"), 0))
OBJ_CASE(r_rename_label_missing, pcsm_rename_enum_value(op, "mood", "glad", "happy"))
OBJ_CASE(r_rename_label_taken, pcsm_rename_enum_value(op, "mood", "sad", "ok"))
OBJ_CASE(r_enum_missing, pcsm_add_enum_value(op, "nope", "x", PCSM_AT_END, 0))
OBJ_CASE(r_enum_is_table, pcsm_add_enum_value(op, "kids", "x", PCSM_AT_END, 0))
OBJ_CASE(r_enum_twice, pcsm_create_enum(op, "mood", PCSM_LABELS("x")))
OBJ_CASE(r_enum_named_as_table, pcsm_create_enum(op, "kids", PCSM_LABELS("x")))
#define KIDS_MOOD(...) PCSM_ENUM_COLUMNS({ .table = "kids", .column = "mood", __VA_ARGS__ })
OBJ_CASE(r_recreate_not_enum, pcsm_recreate_enum(op, "kids", PCSM_LABELS("x"), NULL))
OBJ_CASE(r_recreate_type_missing, pcsm_recreate_enum(op, "nope", PCSM_LABELS("x"), NULL))
OBJ_CASE(r_recreate_unlisted, pcsm_recreate_enum(op, "mood", PCSM_LABELS("ok"), NULL))
OBJ_CASE(r_recreate_not_of_type, pcsm_recreate_enum(op, "mood", PCSM_LABELS("ok"),
         PCSM_ENUM_COLUMNS({ .table = "kids", .column = "a" })))
OBJ_CASE(r_recreate_not_array, pcsm_recreate_enum(op, "mood", PCSM_LABELS("ok"),
                                                  KIDS_MOOD(.array = true)))
OBJ_CASE(r_recreate_column_missing, pcsm_recreate_enum(op, "mood", PCSM_LABELS("ok"),
         PCSM_ENUM_COLUMNS({ .table = "kids", .column = "nope" })))
OBJ_CASE(r_recreate_default_gone, pcsm_recreate_enum(op, "mood", PCSM_LABELS("ok"),
         KIDS_MOOD(.default_value = PCSM_LITERAL("sad"))))
OBJ_CASE(r_recreate_aside_taken, pcsm_create_enum(op, "pcsm_enum_old", PCSM_LABELS("x"));
         pcsm_recreate_enum(op, "mood", PCSM_LABELS("ok"), KIDS_MOOD()))
OBJ_CASE(r_recreate_domain, pcsm_create_domain(op, &(pcsm_domain){
             .name = "d", .type = PCSM_NAMED_TYPE("mood") });
         pcsm_recreate_enum(op, "mood", PCSM_LABELS("ok"), KIDS_MOOD()))
OBJ_CASE(r_recreate_function_out, pcsm_create_function(op, &(pcsm_function){
             .name = "g", .arguments = "a int, OUT b mood", .returns = "mood",
             .language = "sql", .body = "SELECT 'ok'::mood" });
         pcsm_recreate_enum(op, "mood", PCSM_LABELS("ok"), KIDS_MOOD()))
OBJ_CASE(r_recreate_function_table, pcsm_create_function(op, &(pcsm_function){
             .name = "g", .returns = "TABLE(a int, b mood)", .language = "sql",
             .body = "SELECT 1, 'ok'::mood" });
         pcsm_recreate_enum(op, "mood", PCSM_LABELS("ok"), KIDS_MOOD()))
OBJ_CASE(r_recreate_under_view, pcsm_create_view(op, &(pcsm_view){
             .name = "v", .query = "SELECT mood FROM kids", .reads = PCSM_NAMES("kids") });
         pcsm_recreate_enum(op, "mood", PCSM_LABELS("ok"), KIDS_MOOD()))
OBJ_CASE(r_recreate_under_trigger, pcsm_create_trigger(op, &(pcsm_trigger){
             .name = "t2", .table = "kids", .timing = PCSM_BEFORE, .events = PCSM_ON_INSERT,
             .for_each_row = true, .function = "touch", .when = "NEW.mood IS NOT NULL" });
         pcsm_recreate_enum(op, "mood", PCSM_LABELS("ok"), KIDS_MOOD()))
#define KIDS_VIEW pcsm_create_view(op, &(pcsm_view){ .name = "kv", \
                                                  .query = "SELECT a FROM kids", \
                                                  .reads = PCSM_NAMES("kids") })
OBJ_CASE(r_view_row_trigger, KIDS_VIEW; TRIGGER_ON("kv", "touch", PCSM_BEFORE))
OBJ_CASE(r_view_truncate_trigger, KIDS_VIEW;
         pcsm_create_trigger(op, &(pcsm_trigger){ .name = "t2", .table = "kv",
             .timing = PCSM_AFTER, .events = PCSM_ON_TRUNCATE, .function = "touch" }))
OBJ_CASE(r_matview_trigger,
         pcsm_create_materialized_view(op, &(pcsm_view){ .name = "mkv",
             .query = "SELECT a FROM kids", .reads = PCSM_NAMES("kids") });
         TRIGGER_ON("mkv", "touch", PCSM_AFTER))
OBJ_CASE(r_view_firing, KIDS_VIEW;
         pcsm_set_trigger_firing(op, "kv", "t2", PCSM_TRIGGER_DISABLE))
OBJ_CASE(r_recreate_range, pcsm_create_range_type(op, &(pcsm_range_type){
             .name = "moods", .subtype = PCSM_NAMED_TYPE("mood") });
         pcsm_recreate_enum(op, "mood", PCSM_LABELS("ok"), KIDS_MOOD()))
OBJ_CASE(r_recreate_composite, pcsm_create_composite_type(op, "pair", PCSM_ATTRIBUTES(
             { .name = "m", .type = PCSM_NAMED_TYPE("mood") }));
         pcsm_recreate_enum(op, "mood", PCSM_LABELS("ok"), KIDS_MOOD()))
/* moods.m, a key of the enum, and feel.m, a foreign key over it. */
#define MOODS_AND_FEEL \
    pcsm_create_table(op, "moods", PCSM_COLUMNS({ .name = "m", .primary_key = true, \
                                                  .type = PCSM_NAMED_TYPE("mood") }), \
                      NULL, NULL); \
    pcsm_create_table(op, "feel", PCSM_COLUMNS({ .name = "m", .references = "moods", \
                                                 .type = PCSM_NAMED_TYPE("mood") }), \
                      NULL, NULL)
OBJ_CASE(r_recreate_own_foreign_key,
         MOODS_AND_FEEL;
         pcsm_recreate_enum(op, "mood", PCSM_LABELS("ok"), PCSM_ENUM_COLUMNS(
             { .table = "feel", .column = "m" }, { .table = "moods", .column = "m" },
             { .table = "kids", .column = "mood" })))
OBJ_CASE(r_recreate_aside_table,
         pcsm_create_table(op, "pcsm_enum_old", PCSM_COLUMNS({ .name = "x",
                                                               .type = PCSM_INTEGER }),
                           NULL, NULL);
         pcsm_recreate_enum(op, "mood", PCSM_LABELS("ok"), KIDS_MOOD()))
OBJ_CASE(r_recreate_foreign_key,
         MOODS_AND_FEEL;
         pcsm_recreate_enum(op, "mood", PCSM_LABELS("ok"), PCSM_ENUM_COLUMNS(
             { .table = "moods", .column = "m" }, { .table = "feel", .column = "m" },
             { .table = "kids", .column = "mood" })))
OBJ_CASE(r_recreate_function, pcsm_create_function(op, &(pcsm_function){
             .name = "f", .arguments = "m mood", .returns = "integer", .language = "sql",
             .body = "SELECT 1" });
         pcsm_recreate_enum(op, "mood", PCSM_LABELS("ok"), KIDS_MOOD()))
OBJ_CASE(r_table_named_as_enum,
         pcsm_create_table(op, "mood", PCSM_COLUMNS({ .name = "x", .type = PCSM_TEXT }),
                           NULL, NULL))
OBJ_CASE(r_drop_type_in_use, pcsm_drop_type(op, "mood", 0))
OBJ_CASE(r_drop_type_missing, pcsm_drop_type(op, "nope", 0))
OBJ_CASE(r_drop_table_type, pcsm_drop_type(op, "kids", PCSM_IF_EXISTS))
OBJ_CASE(r_trigger_table_missing, TRIGGER_ON("nope", "touch", PCSM_BEFORE))
OBJ_CASE(r_trigger_function_missing, TRIGGER_ON("kids", "nope", PCSM_BEFORE))
OBJ_CASE(r_trigger_function_not_trigger, TRIGGER_ON("kids", "one", PCSM_BEFORE))
OBJ_CASE(r_trigger_function_has_arguments, TRIGGER_ON("kids", "two", PCSM_BEFORE))
OBJ_CASE(r_trigger_instead_of_on_table, TRIGGER_ON("kids", "touch", PCSM_INSTEAD_OF))
OBJ_CASE(r_trigger_twice,
         pcsm_create_trigger(op, &(pcsm_trigger){ .name = "kids_touch", .table = "kids",
             .timing = PCSM_AFTER, .events = PCSM_ON_DELETE, .function = "touch" }))
OBJ_CASE(r_drop_trigger_missing, pcsm_drop_trigger(op, "kids", "nope", 0))
OBJ_CASE(r_drop_trigger_table_missing, pcsm_drop_trigger(op, "nope", "kids_touch", 0))
OBJ_CASE(r_firing_trigger_missing,
         pcsm_set_trigger_firing(op, "kids", "nope", PCSM_TRIGGER_DISABLE))
OBJ_CASE(r_firing_table_missing,
         pcsm_set_trigger_firing(op, "nope", "kids_touch", PCSM_TRIGGER_DISABLE))
OBJ_CASE(r_drop_function_in_use, pcsm_drop_function(op, "touch", "", 0))
OBJ_CASE(r_drop_function_missing, pcsm_drop_function(op, "nope", "integer", 0))
OBJ_CASE(r_drop_function_ambiguous, pcsm_drop_function(op, "two", NULL, 0))
OBJ_CASE(r_function_twice,
         pcsm_create_function(op, &(pcsm_function){ .name = "two", .arguments = "b integer",
             .returns = "integer", .language = "sql", .body = "SELECT b" }))
OBJ_CASE(r_function_new_return_type,
         pcsm_create_function(op, &(pcsm_function){ .name = "one", .returns = "bigint",
             .language = "sql", .body = "SELECT 1", .or_replace = true }))
OBJ_CASE(r_drop_column_read_by_trigger, pcsm_drop_column(op, "kids", "a", 0))
OBJ_CASE(r_drop_extension_missing, pcsm_drop_extension(op, "citext", 0))
OBJ_CASE(r_or_replace_renames_parameter,
         pcsm_create_function(op, &(pcsm_function){ .name = "two", .arguments = "b int",
             .returns = "integer", .language = "sql", .body = "SELECT b", .or_replace = true }))
OBJ_CASE(r_new_label_used_in_its_revision,
         pcsm_add_enum_value(op, "mood", "glad", PCSM_AT_END, 0);
         pcsm_add_column(op, "kids", &(pcsm_column){ .name = "m2", .type = PCSM_NAMED_TYPE("mood"),
                                                     .default_value = PCSM_LITERAL("glad") }))
OBJ_CASE(r_new_label_set_as_default,
         pcsm_add_enum_value(op, "mood", "glad", PCSM_BEFORE_LABEL("sad"), 0);
         pcsm_set_default(op, "kids", "mood", PCSM_LITERAL("glad")))

START_TEST(test_schema_refuses_what_the_server_would_new_kinds)
{
    static const struct refusal cases[] = {
        { r_label_exists, "operation 1, add_enum_value \"mood\": enum label \"ok\" already exists" },
        { r_label_neighbour_missing, "\"glad\" is not an existing enum label" },
        { r_rename_label_missing, "\"glad\" is not an existing enum label" },
        { r_rename_label_taken, "enum label \"ok\" already exists" },
        { r_enum_missing, "type \"nope\" does not exist" },
        { r_enum_is_table, "\"kids\" is not an enum" },
        { r_enum_twice, "create_enum \"mood\": type \"mood\" already exists" },
        { r_enum_named_as_table, "create_enum \"kids\": type \"kids\" already exists" },
        { r_recreate_not_enum, "recreate_enum \"kids\": \"kids\" is not an enum" },
        { r_recreate_type_missing, "recreate_enum \"nope\": type \"nope\" does not exist" },
        { r_recreate_unlisted, "column \"mood\" of \"kids\" is of this type too: list it (the "
                               "old type cannot be dropped while a column uses it)" },
        { r_recreate_not_of_type, "column \"a\" of \"kids\" is not of type \"mood\"" },
        { r_recreate_not_array, "column \"mood\" of \"kids\" is no array of the type (.array)" },
        { r_recreate_column_missing, "column \"nope\" of \"kids\" does not exist" },
        { r_recreate_default_gone, "column \"mood\": invalid input value for enum mood: "
                                   "\"sad\"" },
        { r_recreate_aside_taken, "type \"pcsm_enum_old\" already exists (the old type takes "
                                  "that name while its columns convert)" },
        { r_recreate_domain, "domain \"d\" is over this type: the old type cannot be dropped "
                             "(drop the domain first)" },
        { r_recreate_function, "function \"f\"(m mood) takes or returns this type: the old "
                               "type cannot be dropped (drop the function first)" },
        { r_recreate_function_out, "function \"g\"(a int, OUT b mood) takes or returns this "
                                   "type" },
        { r_recreate_function_table, "function \"g\"() takes or returns this type" },
        { r_recreate_foreign_key, "foreign key constraint of \"feel\" cannot be implemented "
                                  "while column \"m\" of \"moods\" converts (drop it first, "
                                  "add it after)" },
        { r_view_truncate_trigger, "\"kv\" is a view: views cannot have TRUNCATE triggers" },
        { r_matview_trigger, "relation \"mkv\" cannot have triggers (a materialized view)" },
        { r_view_firing, "ALTER action DISABLE TRIGGER cannot be performed on relation \"kv\" "
                         "(not for views)" },
        { r_recreate_range, "range type \"moods\" is over this type: the old type cannot be "
                            "dropped (drop the range first)" },
        { r_recreate_composite, "attribute \"m\" of type \"pair\" is of this type: the old "
                                "type cannot be dropped (drop the attribute first)" },
        { r_recreate_own_foreign_key, "foreign key constraint of \"feel\" cannot be "
                                      "implemented while its column \"m\" converts" },
        { r_recreate_aside_table, "type \"pcsm_enum_old\" already exists (the old type takes "
                                  "that name while its columns convert)" },
        { r_view_row_trigger, "\"kv\" is a view: views cannot have row-level BEFORE or AFTER "
                              "triggers" },
        { r_recreate_under_view, "cannot alter type of a column used by a view or rule "
                                 "(\"v\": drop it first, create it after)" },
        { r_recreate_under_trigger, "cannot alter type of a column used in a trigger "
                                    "definition (\"t2\": drop it first, create it after)" },
        { r_table_named_as_enum, "create_table \"mood\": type \"mood\" already exists" },
        { r_drop_type_in_use, "drop_type \"mood\": column \"mood\" of \"kids\" is of this type "
                              "(drop it, or CASCADE)" },
        { r_drop_type_missing, "type \"nope\" does not exist" },
        { r_drop_table_type, "table \"kids\" requires its type (drop the table)" },
        { r_trigger_table_missing, "create_trigger \"t2\": table \"nope\" does not exist" },
        { r_trigger_function_missing, "function \"nope\"() does not exist" },
        { r_trigger_function_not_trigger, "function \"one\" must return type trigger" },
        { r_trigger_function_has_arguments, "function \"two\"() does not exist" },
        { r_trigger_instead_of_on_table, "\"kids\" is a table: only views have INSTEAD OF" },
        { r_trigger_twice, "trigger \"kids_touch\" for \"kids\" already exists" },
        { r_drop_trigger_missing, "trigger \"nope\" for table \"kids\" does not exist" },
        { r_drop_trigger_table_missing, "table \"nope\" does not exist" },
        { r_firing_trigger_missing, "trigger \"nope\" for table \"kids\" does not exist" },
        { r_firing_table_missing, "table \"nope\" does not exist" },
        { r_drop_function_in_use, "drop_function \"touch\": trigger \"kids_touch\" on \"kids\" "
                                  "depends on function \"touch\" (drop it, or CASCADE)" },
        { r_drop_function_missing, "function \"nope\"(integer) does not exist" },
        { r_drop_function_ambiguous, "function name \"two\" is not unique" },
        { r_function_twice, "function \"two\" already exists with the same argument types" },
        { r_function_new_return_type, "cannot change the return type of an existing function" },
        { r_drop_column_read_by_trigger, "drop_column \"kids\": trigger \"kids_touch\" depends "
                                         "on it (drop it, or CASCADE)" },
        { r_drop_extension_missing, "extension \"citext\" does not exist" },
        { r_or_replace_renames_parameter, "cannot change the name of input parameter \"a\"" },
        { r_new_label_used_in_its_revision, "operation 2, add_column \"kids\": column \"m2\": "
                                            "enum label \"glad\" was added by this revision" },
        { r_new_label_set_as_default, "set_default \"kids\": column \"mood\": enum label "
                                      "\"glad\" was added by this revision" },
    };

    assert_refusals(up_tables, up_objects, cases, sizeof(cases) / sizeof(*cases));
}
END_TEST

static void up_add_label(pcsm_op *op)
{
    pcsm_add_enum_value(op, "mood", "glad", PCSM_AT_END, 0);
    pcsm_create_function(op, &(pcsm_function){
        .name = "three", .arguments = "integer", .returns = "integer", .language = "sql",
        .body = "SELECT $1" });
    pcsm_create_function(op, &(pcsm_function){
        .name = "three", .arguments = "n int4", .returns = "int", .language = "sql",
        .body = "SELECT n", .or_replace = true });
}

static void up_use_label(pcsm_op *op)
{
    pcsm_set_default(op, "kids", "mood", PCSM_LITERAL("glad"));
}

START_TEST(test_schema_allows_what_the_server_would)
{
    static const pcsm_revision revs[] = {
        REV("r1", no_parents, 0, up_tables), REV("r2", after_r1, 1, up_objects),
        REV("r3", after_r2, 1, up_add_label), { .id = "r4", .parents = after_r3,
        .n_parents = 1, .description = "t", .create_date = "2026-01-01 00:00:00",
        .source_path = "t.c", .upgrade = up_use_label },
    };
    const struct pcsm_schema_function *three;

    /* A label added by one revision is usable in the next; a name may be given. */
    ck_assert_msg(declare(revs, 4) == 0, "%s", pcsm_error_last(ctx)->message);
    ck_assert_str_eq(pcsm_schema__column(pcsm_schema__table(model, "kids"), "mood")
                     ->default_value.text, "glad");
    three = pcsm_schema__function(model, "three", "integer");
    ck_assert_ptr_nonnull(three);
    ck_assert_str_eq(three->arguments, "n int4");
}
END_TEST

/* Labels added before an autocommit block, and in it, are committed after it. */
static void up_label_then_block(pcsm_op *op)
{
    pcsm_add_enum_value(op, "mood", "glad", PCSM_AT_END, 0);
    pcsm_autocommit_begin(op);
    pcsm_add_enum_value(op, "mood", "calm", PCSM_AT_END, 0);
    pcsm_autocommit_end(op);
    pcsm_set_default(op, "kids", "mood", PCSM_LITERAL("glad"));
    pcsm_add_column(op, "kids", &(pcsm_column){ .name = "m2", .type = PCSM_NAMED_TYPE("mood"),
                                                .default_value = PCSM_LITERAL("calm") });
}

/* After the block, a label added after it is the open transaction's again. */
static void up_block_then_label(pcsm_op *op)
{
    pcsm_autocommit_begin(op);
    pcsm_autocommit_end(op);
    pcsm_add_enum_value(op, "mood", "glad", PCSM_AT_END, 0);
    pcsm_set_default(op, "kids", "mood", PCSM_LITERAL("glad"));
}

START_TEST(test_schema_autocommit_block_commits_labels)
{
    static const pcsm_revision ok[] = {
        REV("r1", no_parents, 0, up_tables), REV("r2", after_r1, 1, up_objects),
        REV("r3", after_r2, 1, up_label_then_block),
    };
    static const pcsm_revision refused[] = {
        REV("r1", no_parents, 0, up_tables), REV("r2", after_r1, 1, up_objects),
        REV("r3", after_r2, 1, up_block_then_label),
    };

    ck_assert_msg(declare(ok, 3) == 0, "%s", pcsm_error_last(ctx)->message);
    ck_assert_str_eq(pcsm_schema__column(pcsm_schema__table(model, "kids"), "mood")
                     ->default_value.text, "glad");
    ck_assert_str_eq(pcsm_schema__column(pcsm_schema__table(model, "kids"), "m2")
                     ->default_value.text, "calm");
    teardown();
    ck_assert_int_eq(declare(refused, 3), PCSM_EMIGRATION);
    ck_assert_ptr_nonnull(strstr(pcsm_error_last(ctx)->message,
                                 "enum label \"glad\" was added by this revision"));
}
END_TEST

START_TEST(test_schema_equality_sees_the_new_kinds)
{
    static const pcsm_revision a[] = { REV("r1", no_parents, 0, up_enum) };
    static const pcsm_revision b[] = {
        REV("r1", no_parents, 0, up_tables), REV("r2", after_r1, 1, up_triggers),
    };
    pcsm_schema *first;

    ck_assert_int_eq(declare(a, 1), 0);
    first = model;
    model = NULL;
    pcsm_ctx_free(ctx);
    ctx = NULL;
    ck_assert_int_eq(declare(a, 1), 0);
    ck_assert(pcsm_schema_equal(first, model));
    /* A label moved is another type. */
    free(model->types[0].labels[0]);
    model->types[0].labels[0] = strdup("sad");
    ck_assert(!pcsm_schema_equal(first, model));
    pcsm_schema_free(first);
    teardown();

    ck_assert_int_eq(declare(b, 2), 0);
    first = model;
    model = NULL;
    pcsm_ctx_free(ctx);
    ctx = NULL;
    ck_assert_int_eq(declare(b, 2), 0);
    ck_assert(pcsm_schema_equal(first, model));
    model->tables[0].triggers[0].for_each_row = true;
    ck_assert(!pcsm_schema_equal(first, model));
    model->tables[0].triggers[0].for_each_row = false;
    model->functions[0].volatility = PCSM_VOLATILE;     /* was the default: the same */
    ck_assert(pcsm_schema_equal(first, model));
    model->functions[0].strict = true;
    ck_assert(!pcsm_schema_equal(first, model));
    pcsm_schema_free(first);
}
END_TEST

/* ----------------------------------------------------- signatures */

/* -------------------- identity, generated, collation and sequences */

static void up_breadth(pcsm_op *op)
{
    pcsm_create_sequence(op, "ticket_no", &(pcsm_sequence_options){
        .as = PCSM_INTEGER, .start = PCSM_SEQ_VALUE(1000), .cache = 10 }, NULL, NULL);
    pcsm_create_table(op, "tickets", PCSM_COLUMNS(
        { .name = "id", .type = PCSM_BIGINT, .identity = PCSM_IDENTITY_ALWAYS,
          .primary_key = true },
        { .name = "no", .type = PCSM_INTEGER, .not_null = true,
          .default_value = PCSM_EXPR("nextval('ticket_no')") },
        { .name = "title", .type = PCSM_TEXT, .collation = "C" },
        { .name = "price", .type = PCSM_INTEGER },
        { .name = "gross", .type = PCSM_INTEGER, .generated = "price * 2" }), NULL, NULL);
    pcsm_set_sequence_owner(op, "ticket_no", "tickets", "no");
    pcsm_create_table(op, "legacy", PCSM_COLUMNS(
        { .name = "n", .type = PCSM_INTEGER, .not_null = true }), NULL, NULL);
    pcsm_add_identity(op, "legacy", "n", PCSM_IDENTITY_BY_DEFAULT,
                      &(pcsm_sequence_options){ .increment = 5 });
}

static const struct pcsm_schema_column *col(const char *table, const char *name)
{
    const struct pcsm_schema_table *t = pcsm_schema__table(model, table);

    ck_assert_ptr_nonnull(t);
    return pcsm_schema__column(t, name);
}

START_TEST(test_schema_identity_generated_collation_sequences)
{
    static const pcsm_revision revs[] = { REV("r1", no_parents, 0, up_breadth) };
    const struct pcsm_schema_sequence *q;

    ck_assert_msg(declare(revs, 1) == 0, "%s", pcsm_error_last(ctx)->message);
    ck_assert_int_eq(col("tickets", "id")->identity, PCSM_IDENTITY_ALWAYS);
    ck_assert(col("tickets", "id")->not_null);
    ck_assert_str_eq(col("tickets", "id")->identity_sequence, "tickets_id_seq");
    ck_assert_str_eq(col("tickets", "title")->collation, "C");
    ck_assert_str_eq(col("tickets", "gross")->generated, "price * 2");
    ck_assert_int_eq(col("legacy", "n")->identity_options.increment, 5);
    ck_assert_int_eq(col("legacy", "n")->identity_options.type, PCSM_TYPE_INTEGER);
    ck_assert_int_eq(col("legacy", "n")->identity_options.maxvalue, 2147483647);
    q = pcsm_schema__sequence(model, "ticket_no");
    ck_assert_ptr_nonnull(q);
    ck_assert_int_eq(q->options.start, 1000);
    ck_assert_int_eq(q->options.minvalue, 1);
    ck_assert_int_eq(q->options.maxvalue, 2147483647);
    ck_assert_str_eq(q->owned_table, "tickets");
    /* Printed back: the sequence before the table whose default calls it, its owner after. */
    ck_assert_str_eq(sql.ptr,
        "CREATE SEQUENCE \"ticket_no\" AS integer START WITH 1000 CACHE 10;\n"
        "CREATE TABLE \"legacy\" (\n"
        "    \"n\" integer GENERATED BY DEFAULT AS IDENTITY (INCREMENT BY 5) NOT NULL\n"
        ");\n"
        "CREATE TABLE \"tickets\" (\n"
        "    \"id\" bigint GENERATED ALWAYS AS IDENTITY NOT NULL,\n"
        "    \"no\" integer DEFAULT nextval('ticket_no') NOT NULL,\n"
        "    \"title\" text COLLATE \"C\",\n"
        "    \"price\" integer,\n"
        "    \"gross\" integer GENERATED ALWAYS AS (price * 2) STORED,\n"
        "    CONSTRAINT \"tickets_pkey\" PRIMARY KEY (\"id\")\n"
        ");\n"
        "ALTER SEQUENCE \"ticket_no\" OWNED BY \"tickets\".\"no\";\n");
}
END_TEST

static void up_breadth_follow(pcsm_op *op)
{
    pcsm_rename_sequence(op, "ticket_no", "Ticket No");
    pcsm_rename_column(op, "tickets", "price", "net");
    pcsm_rename_table(op, "tickets", "orders");
    pcsm_alter_sequence(op, "Ticket No", &(pcsm_sequence_options){ .as = PCSM_BIGINT });
    pcsm_alter_sequence(op, "tickets_id_seq", &(pcsm_sequence_options){ .increment = 2 });
    pcsm_alter_column_type(op, "orders", "title", PCSM_VARCHAR(50), NULL);
    pcsm_drop_identity(op, "legacy", "n", 0);
}

START_TEST(test_schema_breadth_follows_renames)
{
    static const pcsm_revision revs[] = {
        REV("r1", no_parents, 0, up_breadth), REV("r2", after_r1, 1, up_breadth_follow),
    };
    const struct pcsm_schema_sequence *q;

    ck_assert_msg(declare(revs, 2) == 0, "%s", pcsm_error_last(ctx)->message);
    /* The default names the sequence by oid on the server: the rename shows. */
    ck_assert_str_eq(col("orders", "no")->default_value.text, "nextval('\"Ticket No\"')");
    ck_assert_str_eq(col("orders", "gross")->generated, "net * 2");
    /* The identity's sequence keeps the name it had. */
    ck_assert_str_eq(col("orders", "id")->identity_sequence, "tickets_id_seq");
    ck_assert_int_eq(col("orders", "id")->identity_options.increment, 2);
    /* ALTER TYPE without COLLATE: the new type's default collation. */
    ck_assert_ptr_null(col("orders", "title")->collation);
    ck_assert_int_eq(col("legacy", "n")->identity, PCSM_IDENTITY_NONE);
    ck_assert(col("legacy", "n")->not_null);
    q = pcsm_schema__sequence(model, "Ticket No");
    ck_assert_ptr_nonnull(q);
    ck_assert_str_eq(q->owned_table, "orders");
    /* AS bigint moved the integer's default MAXVALUE to bigint's. */
    ck_assert_int_eq(q->options.maxvalue, 9223372036854775807LL);
    ck_assert_msg(strstr(sql.ptr, "ALTER SEQUENCE \"orders_id_seq\" RENAME TO "
                         "\"tickets_id_seq\";\n"), "%s", sql.ptr);
}
END_TEST

/* Columns named as reserved words: unquoted, the words are the keywords. */
static void up_reserved_names(pcsm_op *op)
{
    pcsm_create_table(op, "w", PCSM_COLUMNS(
        { .name = "null", .type = PCSM_TEXT }, { .name = "true", .type = PCSM_BOOLEAN },
        { .name = "g", .type = PCSM_BOOLEAN,
          .generated = "\"null\" IS NOT NULL AND \"true\" = true" }), NULL, NULL);
    pcsm_rename_column(op, "w", "null", "n");
    pcsm_rename_column(op, "w", "true", "t");
}

START_TEST(test_schema_rename_leaves_reserved_words)
{
    static const pcsm_revision revs[] = { REV("r1", no_parents, 0, up_reserved_names) };

    ck_assert_msg(declare(revs, 1) == 0, "%s", pcsm_error_last(ctx)->message);
    ck_assert_str_eq(col("w", "g")->generated, "n IS NOT NULL AND t = true");
}
END_TEST

/*
 * Renamed to a keyword that may name a function but not a column (left,
 * is, like...): written bare, "left > 0" is a syntax error; so quoted,
 * while a plain name ("b") stays bare.  Found by review.
 */
static void up_rename_to_keywords(pcsm_op *op)
{
    pcsm_create_table(op, "k", PCSM_COLUMNS({ .name = "a", .type = PCSM_INTEGER },
                                            { .name = "c", .type = PCSM_INTEGER }),
                      PCSM_CONSTRAINTS({ .kind = PCSM_CHECK, .name = "k_a_pos",
                                         .check = "a > 0 AND c > 0" }), NULL);
    pcsm_create_index(op, &(pcsm_index){ .name = "k_a", .table = "k",
                                         .columns = PCSM_NAMES("a"), .where = "a > 1" });
    pcsm_rename_column(op, "k", "a", "left");
    pcsm_rename_column(op, "k", "c", "b");
}

START_TEST(test_schema_rename_quotes_function_keywords)
{
    static const pcsm_revision revs[] = { REV("r1", no_parents, 0, up_rename_to_keywords) };

    ck_assert_msg(declare(revs, 1) == 0, "%s", pcsm_error_last(ctx)->message);
    ck_assert_str_eq(pcsm_schema__index(model, "k_a")->where, "\"left\" > 1");
    ck_assert_str_eq(pcsm_schema__table(model, "k")->constraints[0].check,
                     "\"left\" > 0 AND b > 0");
}
END_TEST

static void up_breadth_drops(pcsm_op *op)
{
    pcsm_drop_column(op, "tickets", "price", PCSM_DROP_CASCADE);
    pcsm_drop_table(op, "tickets", 0);
}

START_TEST(test_schema_breadth_drops_take_dependents)
{
    static const pcsm_revision revs[] = {
        REV("r1", no_parents, 0, up_breadth), REV("r2", after_r1, 1, up_breadth_drops),
    };

    ck_assert_msg(declare(revs, 2) == 0, "%s", pcsm_error_last(ctx)->message);
    /* The generated column went with price; the owned sequence with the table. */
    ck_assert_ptr_null(pcsm_schema__table(model, "tickets"));
    ck_assert_ptr_null(pcsm_schema__sequence(model, "ticket_no"));
}
END_TEST

OBJ_CASE(b_generated_reads_generated, pcsm_add_column(op, "tickets", &(pcsm_column){
             .name = "g2", .type = PCSM_INTEGER, .generated = "gross + 1" }))
OBJ_CASE(b_drop_read_by_generated, pcsm_drop_column(op, "tickets", "price", 0))
OBJ_CASE(b_retype_read_by_generated,
         pcsm_alter_column_type(op, "tickets", "price", PCSM_BIGINT, NULL))
OBJ_CASE(b_default_on_identity, pcsm_set_default(op, "tickets", "id", PCSM_EXPR("1")))
OBJ_CASE(b_drop_default_on_generated, pcsm_drop_default(op, "tickets", "gross"))
OBJ_CASE(b_drop_not_null_identity, pcsm_drop_not_null(op, "legacy", "n"))
OBJ_CASE(b_identity_twice, pcsm_add_identity(op, "legacy", "n", PCSM_IDENTITY_ALWAYS, NULL))
OBJ_CASE(b_identity_nullable, pcsm_add_identity(op, "tickets", "price", PCSM_IDENTITY_ALWAYS,
                                                NULL))
OBJ_CASE(b_identity_with_default, pcsm_add_identity(op, "tickets", "no", PCSM_IDENTITY_ALWAYS,
                                                    NULL))
OBJ_CASE(b_identity_text, pcsm_set_not_null(op, "tickets", "title");
         pcsm_add_identity(op, "tickets", "title", PCSM_IDENTITY_ALWAYS, NULL))
OBJ_CASE(b_identity_range, pcsm_add_identity(op, "tickets", "price", PCSM_IDENTITY_ALWAYS,
                                             NULL))
OBJ_CASE(b_drop_identity_none, pcsm_drop_identity(op, "tickets", "price", 0))
OBJ_CASE(b_set_identity_none, pcsm_set_identity(op, "tickets", "price", PCSM_IDENTITY_ALWAYS))
OBJ_CASE(b_identity_retype_text, pcsm_alter_column_type(op, "tickets", "id", PCSM_TEXT, NULL))
OBJ_CASE(b_sequence_taken, pcsm_create_sequence(op, "tickets", NULL, NULL, NULL))
OBJ_CASE(b_sequence_owner_missing, pcsm_create_sequence(op, "s", NULL, "tickets", "nope"))
OBJ_CASE(b_drop_sequence_in_use, pcsm_drop_sequence(op, "ticket_no", 0))
OBJ_CASE(b_drop_identity_sequence, pcsm_drop_sequence(op, "tickets_id_seq", PCSM_DROP_CASCADE))
OBJ_CASE(b_drop_sequence_missing, pcsm_drop_sequence(op, "nope", 0))
OBJ_CASE(b_alter_sequence_bounds, pcsm_alter_sequence(op, "ticket_no",
             &(pcsm_sequence_options){ .maxvalue = PCSM_SEQ_VALUE(999) }))
OBJ_CASE(b_alter_sequence_restart, pcsm_alter_sequence(op, "ticket_no",
             &(pcsm_sequence_options){ .restart = PCSM_SEQ_VALUE(0) }))
OBJ_CASE(b_owner_of_identity, pcsm_set_sequence_owner(op, "tickets_id_seq", NULL, NULL))
OBJ_CASE(b_rename_sequence_taken, pcsm_rename_sequence(op, "ticket_no", "tickets_id_seq"))
OBJ_CASE(b_nextval_missing, pcsm_set_default(op, "tickets", "price",
                                             PCSM_EXPR("nextval('Nope'::regclass)")))
OBJ_CASE(b_identity_sequence_taken, pcsm_create_table(op, "tickets_id_seq", PCSM_COLUMNS(
             { .name = "x", .type = PCSM_TEXT }), NULL, NULL))

/* ------------------------------------------- views and materialized views */

static void up_views(pcsm_op *op)
{
    pcsm_create_table(op, "items", PCSM_COLUMNS(
        { .name = "id", .type = PCSM_INTEGER, .primary_key = true },
        { .name = "kind", .type = PCSM_TEXT },
        { .name = "price", .type = PCSM_INTEGER }), NULL, NULL);
    pcsm_create_view(op, &(pcsm_view){
        .name = "cheap", .query = "SELECT id, kind FROM items WHERE price < 10",
        .reads = PCSM_NAMES("items") });
    pcsm_create_view(op, &(pcsm_view){
        .name = "cheap_kinds", .columns = PCSM_NAMES("kind"),
        .query = "SELECT DISTINCT kind FROM cheap", .reads = PCSM_NAMES("cheap") });
    pcsm_create_materialized_view(op, &(pcsm_view){
        .name = "per_kind", .columns = PCSM_NAMES("kind", "n"),
        .query = "SELECT kind, count(*) FROM items GROUP BY kind",
        .reads = PCSM_NAMES("items"), .no_data = true });
    pcsm_create_index(op, &(pcsm_index){ .name = "per_kind_kind", .table = "per_kind",
                                         .columns = PCSM_NAMES("kind"), .unique = true });
}

static void up_views_more(pcsm_op *op)
{
    pcsm_refresh_materialized_view(op, "per_kind", 0);
    pcsm_refresh_materialized_view(op, "per_kind", PCSM_REFRESH_CONCURRENTLY);
    /* Replaced to read a view made after it: printed after that one. */
    pcsm_create_view(op, &(pcsm_view){
        .name = "cheap", .or_replace = true,
        .query = "SELECT id, kind FROM items WHERE kind IN (SELECT kind FROM per_kind)",
        .reads = PCSM_NAMES("items", "per_kind") });
    pcsm_rename_table(op, "items", "goods");
    pcsm_rename_materialized_view(op, "per_kind", "kinds");
}

START_TEST(test_schema_views)
{
    static const pcsm_revision revs[] = {
        REV("r1", no_parents, 0, up_views), REV("r2", after_r1, 1, up_views_more),
    };
    const struct pcsm_schema_view *v;
    pcsm_buf json = PCSM_BUF_INIT;

    ck_assert_msg(declare(revs, 2) == 0, "%s", pcsm_error_last(ctx)->message);
    ck_assert_uint_eq(pcsm_schema_opaque_count(model), 0);
    v = pcsm_schema__view(model, "cheap");
    ck_assert_ptr_nonnull(v);
    ck_assert(!v->materialized);
    /* The rename followed: the server's view reads the table by oid. */
    ck_assert_str_eq(v->reads[0], "goods");
    ck_assert_str_eq(v->reads[1], "kinds");
    ck_assert_str_eq(v->query, "SELECT id, kind FROM goods WHERE kind IN "
                               "(SELECT kind FROM kinds)");
    v = pcsm_schema__view(model, "kinds");
    ck_assert_ptr_nonnull(v);
    ck_assert(v->materialized);
    ck_assert(v->populated);
    ck_assert_str_eq(pcsm_schema__index(model, "per_kind_kind")->table, "kinds");
    ck_assert_str_eq(sql.ptr,
        "CREATE TABLE \"goods\" (\n"
        "    \"id\" integer NOT NULL,\n"
        "    \"kind\" text,\n"
        "    \"price\" integer,\n"
        "    CONSTRAINT \"items_pkey\" PRIMARY KEY (\"id\")\n"
        ");\n"
        "CREATE MATERIALIZED VIEW \"kinds\" (\"kind\", \"n\") AS\n"
        "SELECT kind, count(*) FROM goods GROUP BY kind\n"
        "WITH DATA;\n"
        "CREATE VIEW \"cheap\" AS\n"
        "SELECT id, kind FROM goods WHERE kind IN (SELECT kind FROM kinds);\n"
        "CREATE VIEW \"cheap_kinds\" (\"kind\") AS\n"
        "SELECT DISTINCT kind FROM cheap;\n"
        "CREATE UNIQUE INDEX \"per_kind_kind\" ON \"kinds\" (\"kind\");\n");
    pcsm_schema_json(model, &json);
    ck_assert_msg(strstr(json.ptr,
        "{\"object\":\"view\",\"name\":\"cheap_kinds\",\"columns\":[\"kind\"],"
        "\"query\":\"SELECT DISTINCT kind FROM cheap\",\"reads\":[\"cheap\"]}\n"), "%s", json.ptr);
    ck_assert_msg(strstr(json.ptr,
        "{\"object\":\"materialized_view\",\"name\":\"kinds\",\"columns\":[\"kind\",\"n\"],"
        "\"query\":\"SELECT kind, count(*) FROM goods GROUP BY kind\","
        "\"reads\":[\"goods\"],\"populated\":true}\n"), "%s", json.ptr);
    /* In the printed order: the view replaced to read `kinds` after it. */
    ck_assert(strstr(json.ptr, "\"name\":\"kinds\"") < strstr(json.ptr, "\"name\":\"cheap\""));
    pcsm_buf_dispose(&json);
}
END_TEST

/* Comments on every kind the model holds, then what renames and drops do to them. */
static void up_comments(pcsm_op *op)
{
    test_commented_objects(op, NULL);
    pcsm_comment_on(op, PCSM_OBJECT_VIEW, "cheap", NULL, "it's cheap");
    pcsm_comment_on(op, PCSM_OBJECT_MATERIALIZED_VIEW, "per_kind", NULL, "per kind");
    pcsm_comment_on(op, PCSM_OBJECT_INDEX, "per_kind_kind", NULL, "one a kind");
    pcsm_comment_on(op, PCSM_OBJECT_CONSTRAINT, "items_pkey", "items", "the key");
    pcsm_comment_on(op, PCSM_OBJECT_POLICY, "items_all", "items", "");
    pcsm_comment_on(op, PCSM_OBJECT_POLICY, "items_all", "items", "all of them");
}

static void up_comments_renamed(pcsm_op *op)
{
    pcsm_rename_table(op, "items", "goods");
    pcsm_rename_materialized_view(op, "per_kind", "kinds");
    pcsm_rename_index(op, "per_kind_kind", "kinds_kind");
    pcsm_rename_constraint(op, "goods", "items_pkey", "goods_pkey");
    pcsm_create_view(op, &(pcsm_view){ .name = "cheap", .or_replace = true,
                                       .query = "SELECT id, kind FROM goods WHERE price < 5",
                                       .reads = PCSM_NAMES("goods") });
    pcsm_comment_on(op, PCSM_OBJECT_FUNCTION, "touch", NULL, NULL);
    pcsm_comment_on(op, PCSM_OBJECT_SEQUENCE, "numbers", NULL, "");
    pcsm_drop_trigger(op, "goods", "items_touch", 0);
    pcsm_create_trigger(op, &(pcsm_trigger){
        .name = "items_touch", .table = "goods", .timing = PCSM_BEFORE,
        .events = PCSM_ON_INSERT, .for_each_row = true, .function = "touch" });
}

START_TEST(test_schema_comments)
{
    static const pcsm_revision revs[] = {
        REV("r1", no_parents, 0, up_views), REV("r2", after_r1, 1, up_comments),
    };
    static const pcsm_revision renamed[] = {
        REV("r1", no_parents, 0, up_views), REV("r2", after_r1, 1, up_comments),
        REV("r3", after_r2, 1, up_comments_renamed),
    };
    const struct pcsm_schema_table *t;
    pcsm_buf json = PCSM_BUF_INIT;

    ck_assert_msg(declare(revs, 2) == 0, "%s", pcsm_error_last(ctx)->message);
    ck_assert_str_eq(pcsm_schema__type(model, "mood")->comment, "a type");
    ck_assert_str_eq(pcsm_schema__function(model, "touch", NULL)->comment, "a trigger function");
    /* By argument types, as the server finds it: twice(n integer DEFAULT 1). */
    ck_assert_str_eq(pcsm_schema__function(model, "twice", "integer")->comment,
                     "it's a function");
    ck_assert_ptr_null(pcsm_schema__function(model, "twice", "text")->comment);
    ck_assert_str_eq(pcsm_schema__sequence(model, "numbers")->comment, "a sequence");
    ck_assert_str_eq(pcsm_schema__view(model, "cheap")->comment, "it's cheap");
    ck_assert_str_eq(pcsm_schema__view(model, "per_kind")->comment, "per kind");
    ck_assert_str_eq(pcsm_schema__index(model, "per_kind_kind")->comment, "one a kind");
    t = pcsm_schema__table(model, "items");
    ck_assert_str_eq(pcsm_schema__constraint(t, "items_pkey")->comment, "the key");
    ck_assert_str_eq(pcsm_schema__trigger(t, "items_touch")->comment, "a trigger");
    ck_assert_str_eq(pcsm_schema__policy(t, "items_all")->comment, "all of them");
    /* Printed last, once every object is there; functions by their argument types. */
    ck_assert_msg(strstr(sql.ptr,
        "COMMENT ON TYPE \"mood\" IS 'a type';\n"
        "COMMENT ON FUNCTION \"touch\"() IS 'a trigger function';\n"
        "COMMENT ON FUNCTION \"twice\"(integer) IS 'it''s a function';\n"
        "COMMENT ON SEQUENCE \"numbers\" IS 'a sequence';\n"
        "COMMENT ON CONSTRAINT \"items_pkey\" ON \"items\" IS 'the key';\n"
        "COMMENT ON TRIGGER \"items_touch\" ON \"items\" IS 'a trigger';\n"
        "COMMENT ON POLICY \"items_all\" ON \"items\" IS 'all of them';\n"
        "COMMENT ON VIEW \"cheap\" IS 'it''s cheap';\n"
        "COMMENT ON MATERIALIZED VIEW \"per_kind\" IS 'per kind';\n"
        "COMMENT ON INDEX \"per_kind_kind\" IS 'one a kind';\n"), "%s", sql.ptr);
    ck_assert(strstr(sql.ptr, "COMMENT ON INDEX") + strlen("COMMENT ON INDEX \"per_kind_kind\" "
              "IS 'one a kind';\n") == sql.ptr + sql.len);
    pcsm_schema_json(model, &json);
    ck_assert_msg(strstr(json.ptr, "\"name\":\"mood\",\"labels\":[\"ok\"],"
                                   "\"comment\":\"a type\"}"), "%s", json.ptr);
    ck_assert_msg(strstr(json.ptr, "\"roles\":[\"public\"],\"using\":\"price > 0\","
                                   "\"with_check\":null,\"comment\":\"all of them\"}"),
                  "%s", json.ptr);
    /* An object without one says nothing of it. */
    ck_assert_msg(strstr(json.ptr, "\"body\":\"SELECT t || t\"}"), "%s", json.ptr);
    pcsm_buf_dispose(&json);
    teardown();

    ck_assert_msg(declare(renamed, 3) == 0, "%s", pcsm_error_last(ctx)->message);
    /* Renamed or replaced, an object keeps its comment; removed or made again, it has none. */
    ck_assert_str_eq(pcsm_schema__view(model, "kinds")->comment, "per kind");
    ck_assert_str_eq(pcsm_schema__index(model, "kinds_kind")->comment, "one a kind");
    ck_assert_str_eq(pcsm_schema__view(model, "cheap")->comment, "it's cheap");
    t = pcsm_schema__table(model, "goods");
    ck_assert_str_eq(pcsm_schema__constraint(t, "goods_pkey")->comment, "the key");
    ck_assert_str_eq(pcsm_schema__policy(t, "items_all")->comment, "all of them");
    ck_assert_ptr_null(pcsm_schema__trigger(t, "items_touch")->comment);
    ck_assert_ptr_null(pcsm_schema__function(model, "touch", NULL)->comment);
    ck_assert_ptr_null(pcsm_schema__sequence(model, "numbers")->comment);
}
END_TEST

OBJ_CASE(c_index_missing, pcsm_comment_on(op, PCSM_OBJECT_INDEX, "nope", NULL, "c"))
OBJ_CASE(c_index_of_key, pcsm_comment_on(op, PCSM_OBJECT_INDEX, "items_pkey", NULL, "c"))
OBJ_CASE(c_index_a_view, pcsm_comment_on(op, PCSM_OBJECT_INDEX, "cheap", NULL, "c"))
OBJ_CASE(c_view_a_matview, pcsm_comment_on(op, PCSM_OBJECT_VIEW, "per_kind", NULL, "c"))
OBJ_CASE(c_matview_missing,
         pcsm_comment_on(op, PCSM_OBJECT_MATERIALIZED_VIEW, "nope", NULL, "c"))
OBJ_CASE(c_sequence_a_table, pcsm_comment_on(op, PCSM_OBJECT_SEQUENCE, "items", NULL, "c"))
OBJ_CASE(c_sequence_missing, pcsm_comment_on(op, PCSM_OBJECT_SEQUENCE, "nope", NULL, "c"))
OBJ_CASE(c_type_missing, pcsm_comment_on(op, PCSM_OBJECT_TYPE, "nope", NULL, "c"))
OBJ_CASE(c_function_missing, pcsm_comment_on(op, PCSM_OBJECT_FUNCTION, "nope", "", "c"))
OBJ_CASE(c_function_overloaded,
         pcsm_create_function(op, &(pcsm_function){ .name = "f", .arguments = "a int",
             .returns = "int", .language = "sql", .body = "SELECT a" });
         pcsm_create_function(op, &(pcsm_function){ .name = "f", .arguments = "a text",
             .returns = "text", .language = "sql", .body = "SELECT a" });
         pcsm_comment_on(op, PCSM_OBJECT_FUNCTION, "f", NULL, "c"))
OBJ_CASE(c_function_other_types,
         pcsm_create_function(op, &(pcsm_function){ .name = "f", .arguments = "a int",
             .returns = "int", .language = "sql", .body = "SELECT a" });
         pcsm_comment_on(op, PCSM_OBJECT_FUNCTION, "f", "bigint", "c"))
OBJ_CASE(c_table_missing, pcsm_comment_on(op, PCSM_OBJECT_CONSTRAINT, "k", "nope", "c"))
OBJ_CASE(c_constraint_missing, pcsm_comment_on(op, PCSM_OBJECT_CONSTRAINT, "k", "items", "c"))
OBJ_CASE(c_trigger_missing, pcsm_comment_on(op, PCSM_OBJECT_TRIGGER, "tr", "items", "c"))
OBJ_CASE(c_policy_missing, pcsm_comment_on(op, PCSM_OBJECT_POLICY, "p", "items", "c"))

static void up_privileges(pcsm_op *op)
{
    pcsm_grant_default(op, &(pcsm_default_privileges){ .on = PCSM_PRIVILEGE_TABLE,
        .privileges = PCSM_PRIV_SELECT, .roles = PCSM_NAMES("reader") });
    pcsm_grant_default(op, &(pcsm_default_privileges){ .on = PCSM_PRIVILEGE_TABLE,
        .privileges = PCSM_PRIV_INSERT, .roles = PCSM_NAMES("writer"), .in_schema = true });
    pcsm_revoke_default(op, &(pcsm_default_privileges){ .on = PCSM_PRIVILEGE_FUNCTION,
        .privileges = PCSM_PRIV_EXECUTE, .roles = PCSM_NAMES("PUBLIC") });
    /* For another role, or another schema: not what this migration's objects get. */
    pcsm_grant_default(op, &(pcsm_default_privileges){ .on = PCSM_PRIVILEGE_TABLE,
        .privileges = PCSM_PRIV_DELETE, .roles = PCSM_NAMES("writer"), .for_role = "app" });
    pcsm_set_schema(op, "other");
    pcsm_grant_default(op, &(pcsm_default_privileges){ .on = PCSM_PRIVILEGE_TABLE,
        .privileges = PCSM_PRIV_TRUNCATE, .roles = PCSM_NAMES("writer"), .in_schema = true });
    pcsm_set_schema(op, NULL);
    pcsm_create_table(op, "items", PCSM_COLUMNS(
        { .name = "id", .type = PCSM_SERIAL, .primary_key = true },
        { .name = "price", .type = PCSM_INTEGER }), NULL, NULL);
    pcsm_create_function(op, &(pcsm_function){ .name = "f", .arguments = "a int",
        .returns = "int", .language = "sql", .body = "SELECT a" });
    pcsm_create_enum(op, "mood", PCSM_LABELS("ok"));
    pcsm_grant(op, &(pcsm_privileges){ .on = PCSM_PRIVILEGE_TABLE, .name = "items",
        .privileges = PCSM_PRIV_UPDATE | PCSM_PRIV_DELETE, .roles = PCSM_NAMES("writer"),
        .grant_option = true });
    pcsm_revoke(op, &(pcsm_privileges){ .on = PCSM_PRIVILEGE_TABLE, .name = "items",
        .privileges = PCSM_PRIV_DELETE, .roles = PCSM_NAMES("writer"), .grant_option = true });
    pcsm_revoke(op, &(pcsm_privileges){ .on = PCSM_PRIVILEGE_TABLE, .name = "items",
        .privileges = PCSM_PRIV_SELECT, .roles = PCSM_NAMES("reader") });
    pcsm_grant(op, &(pcsm_privileges){ .on = PCSM_PRIVILEGE_TABLE, .name = "items",
        .columns = PCSM_NAMES("price"), .privileges = PCSM_PRIV_SELECT,
        .roles = PCSM_NAMES("reader") });
    pcsm_grant(op, &(pcsm_privileges){ .on = PCSM_PRIVILEGE_FUNCTION, .name = "f",
        .privileges = PCSM_PRIV_EXECUTE, .roles = PCSM_NAMES("reader") });
    pcsm_revoke(op, &(pcsm_privileges){ .on = PCSM_PRIVILEGE_TYPE, .name = "mood",
        .privileges = PCSM_PRIV_ALL, .roles = PCSM_NAMES("public", "nobody") });
    /* A table's REVOKE takes its columns' too. */
    pcsm_grant(op, &(pcsm_privileges){ .on = PCSM_PRIVILEGE_TABLE, .name = "items",
        .columns = PCSM_NAMES("price"), .privileges = PCSM_PRIV_SELECT | PCSM_PRIV_UPDATE,
        .roles = PCSM_NAMES("auditor") });
    pcsm_revoke(op, &(pcsm_privileges){ .on = PCSM_PRIVILEGE_TABLE, .name = "items",
        .privileges = PCSM_PRIV_ALL, .roles = PCSM_NAMES("auditor") });
    /* ON TABLE of a sequence, as the server takes it. */
    pcsm_grant(op, &(pcsm_privileges){ .on = PCSM_PRIVILEGE_TABLE, .name = "items_id_seq",
        .privileges = PCSM_PRIV_UPDATE, .roles = PCSM_NAMES("writer") });
    pcsm_rename_table(op, "items", "goods");
    pcsm_rename_column(op, "goods", "price", "cost");
}

/* Default privileges give what a new object has; grants and revokes change it, renamed too. */
START_TEST(test_schema_privileges)
{
    static const pcsm_revision revs[] = { REV("r1", no_parents, 0, up_privileges) };
    const struct pcsm_schema_table *t;
    char *text;

    ck_assert_msg(declare(revs, 1) == 0, "%s", pcsm_error_last(ctx)->message);
    t = pcsm_schema__table(model, "goods");
    text = pcsm_schema__acl_text(&t->acl);
    ck_assert_str_eq(text, "writer: INSERT, UPDATE*, DELETE");
    free(text);
    text = pcsm_schema__acl_text(&pcsm_schema__column(t, "cost")->acl);
    ck_assert_str_eq(text, "reader: SELECT");
    free(text);
    /* The serial's sequence: nothing set for sequences, one grant of its own. */
    text = pcsm_schema__acl_text(&pcsm_schema__sequence(model, "items_id_seq")->acl);
    ck_assert_str_eq(text, "writer: UPDATE");
    free(text);
    text = pcsm_schema__acl_text(&pcsm_schema__function(model, "f", NULL)->acl);
    ck_assert_str_eq(text, "reader: EXECUTE");
    free(text);
    ck_assert_uint_eq(pcsm_schema__type(model, "mood")->acl.n, 0);
    ck_assert_uint_eq(model->n_default_acls, 5);
    /* Printed: the defaults first, every object made under them, then what differs. */
    ck_assert_msg(strstr(sql.ptr,
        "ALTER DEFAULT PRIVILEGES GRANT SELECT ON TABLES TO \"reader\";\n"
        "ALTER DEFAULT PRIVILEGES REVOKE EXECUTE ON FUNCTIONS FROM PUBLIC;\n"
        "DO 'BEGIN EXECUTE format(''ALTER DEFAULT PRIVILEGES IN SCHEMA %I GRANT INSERT ON "
        "TABLES TO \"writer\"'', current_schema()); END';\n"
        "ALTER DEFAULT PRIVILEGES IN SCHEMA \"other\" GRANT TRUNCATE ON TABLES TO "
        "\"writer\";\n"
        "ALTER DEFAULT PRIVILEGES FOR ROLE \"app\" GRANT DELETE ON TABLES TO \"writer\";\n"),
        "%s", sql.ptr);
    ck_assert_msg(strstr(sql.ptr,
        "REVOKE USAGE ON TYPE \"mood\" FROM PUBLIC;\n"
        "GRANT EXECUTE ON FUNCTION \"f\"(integer) TO \"reader\";\n"
        "GRANT UPDATE ON SEQUENCE \"items_id_seq\" TO \"writer\";\n"
        "REVOKE SELECT ON TABLE \"goods\" FROM \"reader\";\n"
        "GRANT DELETE ON TABLE \"goods\" TO \"writer\";\n"
        "GRANT UPDATE ON TABLE \"goods\" TO \"writer\" WITH GRANT OPTION;\n"
        "GRANT SELECT (\"cost\") ON TABLE \"goods\" TO \"reader\";\n"), "%s", sql.ptr);
    {
        pcsm_buf json = PCSM_BUF_INIT;

        pcsm_schema_json(model, &json);
        ck_assert_msg(strstr(json.ptr, "{\"object\":\"default_privileges\",\"for_role\":null,"
                                       "\"on\":\"FUNCTIONS\",\"in_schema\":false,"
                                       "\"privileges\":[]}\n"), "%s", json.ptr);
        ck_assert_msg(strstr(json.ptr, "\"comment\":null,\"privileges\":[{\"role\":\"reader\","
                                       "\"privileges\":[\"SELECT\"],\"grantable\":[]}]}"),
                      "%s", json.ptr);
        ck_assert_msg(strstr(json.ptr, "\"privileges\":[{\"role\":\"writer\",\"privileges\":"
                                       "[\"INSERT\",\"UPDATE\",\"DELETE\"],\"grantable\":"
                                       "[\"UPDATE\"]}]}"), "%s", json.ptr);
        /* The type has nothing: not even PUBLIC's, so said as none. */
        ck_assert_msg(strstr(json.ptr, "\"labels\":[\"ok\"],\"privileges\":[]}"), "%s",
                      json.ptr);
        pcsm_buf_dispose(&json);
    }
    teardown();
}
END_TEST

OBJ_CASE(g_table_missing, pcsm_grant(op, &(pcsm_privileges){ .on = PCSM_PRIVILEGE_TABLE,
         .name = "nope", .privileges = PCSM_PRIV_SELECT, .roles = PCSM_NAMES("r") }))
OBJ_CASE(g_table_a_sequence, pcsm_create_sequence(op, "numbers", NULL, NULL, NULL);
         pcsm_grant(op, &(pcsm_privileges){ .on = PCSM_PRIVILEGE_TABLE,
         .name = "numbers", .privileges = PCSM_PRIV_SELECT | PCSM_PRIV_DELETE,
         .roles = PCSM_NAMES("r") }))
OBJ_CASE(g_column_missing, pcsm_grant(op, &(pcsm_privileges){ .on = PCSM_PRIVILEGE_TABLE,
         .name = "items", .columns = PCSM_NAMES("nope"), .privileges = PCSM_PRIV_SELECT,
         .roles = PCSM_NAMES("r") }))
OBJ_CASE(g_column_of_view, pcsm_grant(op, &(pcsm_privileges){ .on = PCSM_PRIVILEGE_TABLE,
         .name = "cheap", .columns = PCSM_NAMES("id"), .privileges = PCSM_PRIV_SELECT,
         .roles = PCSM_NAMES("r") }))
OBJ_CASE(g_sequence_a_table, pcsm_grant(op, &(pcsm_privileges){
         .on = PCSM_PRIVILEGE_SEQUENCE, .name = "items", .privileges = PCSM_PRIV_USAGE,
         .roles = PCSM_NAMES("r") }))
OBJ_CASE(g_sequence_of_identity,
         pcsm_create_table(op, "counted", PCSM_COLUMNS(
             { .name = "id", .type = PCSM_BIGINT, .identity = PCSM_IDENTITY_ALWAYS }),
             NULL, NULL);
         pcsm_grant(op, &(pcsm_privileges){ .on = PCSM_PRIVILEGE_SEQUENCE,
             .name = "counted_id_seq", .privileges = PCSM_PRIV_USAGE,
             .roles = PCSM_NAMES("r") }))
OBJ_CASE(g_sequence_missing, pcsm_grant(op, &(pcsm_privileges){
         .on = PCSM_PRIVILEGE_SEQUENCE, .name = "nope", .privileges = PCSM_PRIV_USAGE,
         .roles = PCSM_NAMES("r") }))
OBJ_CASE(g_function_missing, pcsm_grant(op, &(pcsm_privileges){
         .on = PCSM_PRIVILEGE_FUNCTION, .name = "nope", .arguments = "",
         .privileges = PCSM_PRIV_EXECUTE, .roles = PCSM_NAMES("r") }))
OBJ_CASE(g_function_overloaded,
         pcsm_create_function(op, &(pcsm_function){ .name = "f", .arguments = "a int",
             .returns = "int", .language = "sql", .body = "SELECT a" });
         pcsm_create_function(op, &(pcsm_function){ .name = "f", .arguments = "a text",
             .returns = "text", .language = "sql", .body = "SELECT a" });
         pcsm_grant(op, &(pcsm_privileges){ .on = PCSM_PRIVILEGE_FUNCTION, .name = "f",
             .privileges = PCSM_PRIV_EXECUTE, .roles = PCSM_NAMES("r") }))
OBJ_CASE(g_function_other_types,
         pcsm_create_function(op, &(pcsm_function){ .name = "f", .arguments = "a int",
             .returns = "int", .language = "sql", .body = "SELECT a" });
         pcsm_grant(op, &(pcsm_privileges){ .on = PCSM_PRIVILEGE_FUNCTION, .name = "f",
             .arguments = "bigint", .privileges = PCSM_PRIV_EXECUTE,
             .roles = PCSM_NAMES("r") }))
OBJ_CASE(g_type_missing, pcsm_revoke(op, &(pcsm_privileges){ .on = PCSM_PRIVILEGE_TYPE,
         .name = "nope", .privileges = PCSM_PRIV_USAGE, .roles = PCSM_NAMES("public") }))

START_TEST(test_schema_refuses_what_the_server_would_privileges)
{
    static const struct refusal cases[] = {
        { g_table_missing, "grant \"nope\": relation \"nope\" does not exist" },
        { g_table_a_sequence, "\"numbers\" is a sequence: it takes USAGE, SELECT and UPDATE "
                              "(grant ON SEQUENCE, PCSM_PRIVILEGE_SEQUENCE)" },
        { g_column_missing, "column \"nope\" of relation \"items\" does not exist" },
        { g_column_of_view, "column privileges on view \"cheap\" are not modelled: grant on "
                            "the view, or use pcsm_execute()" },
        { g_sequence_a_table, "\"items\" is not a sequence" },
        { g_sequence_of_identity, "\"counted_id_seq\" is not a sequence the model holds (an "
                                  "identity column's is not modelled)" },
        { g_sequence_missing, "relation \"nope\" does not exist" },
        { g_function_missing, "function \"nope\"() does not exist" },
        { g_function_overloaded, "function name \"f\" is not unique (give its argument list)" },
        { g_function_other_types, "function \"f\"(bigint) does not exist (spell its "
                                  "argument types as it was created with)" },
        { g_type_missing, "revoke \"nope\": type \"nope\" does not exist" },
    };

    assert_refusals(up_views, NULL, cases, sizeof(cases) / sizeof(*cases));
}
END_TEST

START_TEST(test_schema_refuses_what_the_server_would_comments)
{
    static const struct refusal cases[] = {
        { c_index_missing, "comment_on \"nope\": index \"nope\" does not exist" },
        { c_index_of_key, "index \"items_pkey\" is its constraint's: comment on the "
                          "constraint (PCSM_OBJECT_CONSTRAINT)" },
        { c_index_a_view, "\"cheap\" is not an index" },
        { c_view_a_matview, "\"per_kind\" is not a view" },
        { c_matview_missing, "materialized view \"nope\" does not exist" },
        { c_sequence_a_table, "\"items\" is not a sequence" },
        { c_sequence_missing, "sequence \"nope\" does not exist" },
        { c_type_missing, "type \"nope\" does not exist" },
        { c_function_missing, "function \"nope\"() does not exist" },
        { c_function_overloaded, "function name \"f\" is not unique (give its argument list)" },
        { c_function_other_types, "function \"f\"(bigint) does not exist (spell its argument "
                                  "types as it was created with)" },
        { c_table_missing, "table \"nope\" does not exist" },
        { c_constraint_missing, "constraint \"k\" for table \"items\" does not exist" },
        { c_trigger_missing, "trigger \"tr\" for table \"items\" does not exist" },
        { c_policy_missing, "policy \"p\" for table \"items\" does not exist" },
    };

    assert_refusals(up_views, NULL, cases, sizeof(cases) / sizeof(*cases));
}
END_TEST

static void up_collations(pcsm_op *op)
{
    pcsm_create_collation(op, &(pcsm_collation){ .name = "ci", .provider = PCSM_PROVIDER_ICU,
                                                 .locale = "und-u-ks-level2",
                                                 .nondeterministic = true });
    pcsm_create_collation(op, &(pcsm_collation){ .name = "apart", .lc_collate = "C",
                                                 .lc_ctype = "C.utf8" });
    pcsm_create_table(op, "names", PCSM_COLUMNS(
        { .name = "name", .type = PCSM_TEXT, .collation = "ci" }), NULL, NULL);
    pcsm_create_index(op, &(pcsm_index){ .name = "names_name", .table = "names",
        .elements = PCSM_ELEMENTS({ .column = "name", .collation = "ci" }) });
}

static void up_collations_renamed(pcsm_op *op)
{
    pcsm_rename_collation(op, "ci", "nocase");
    pcsm_drop_collation(op, "apart", 0);
    pcsm_drop_collation(op, "apart", PCSM_IF_EXISTS);
}

/* A column and an index key name a collation: a rename follows into both. */
START_TEST(test_schema_collations)
{
    static const pcsm_revision revs[] = {
        REV("r1", no_parents, 0, up_collations), REV("r2", after_r1, 1, up_collations_renamed),
    };
    static const char first_sql[] =
        "CREATE COLLATION \"apart\" (LC_COLLATE = 'C', LC_CTYPE = 'C.utf8');\n"
        "CREATE COLLATION \"ci\" (PROVIDER = icu, LOCALE = 'und-u-ks-level2', "
        "DETERMINISTIC = false);\n"
        "CREATE TABLE \"names\" (\n";
    const struct pcsm_schema_collation *c;
    pcsm_buf json = PCSM_BUF_INIT;

    ck_assert_msg(declare(revs, 1) == 0, "%s", pcsm_error_last(ctx)->message);
    ck_assert_uint_eq(model->n_collations, 2);
    /* In name order; libc keeps both locales, ICU its one. */
    c = &model->collations[0];
    ck_assert_str_eq(c->name, "apart");
    ck_assert_str_eq(c->collate, "C");
    ck_assert_str_eq(c->ctype, "C.utf8");
    c = &model->collations[1];
    ck_assert_int_eq(c->provider, PCSM_PROVIDER_ICU);
    ck_assert_ptr_null(c->ctype);
    ck_assert(c->nondeterministic);
    /* Printed before the tables that use them. */
    ck_assert_msg(!strncmp(sql.ptr, first_sql, strlen(first_sql)), "%s", sql.ptr);
    pcsm_schema_json(model, &json);
    ck_assert_msg(strstr(json.ptr, "{\"object\":\"collation\",\"name\":\"ci\",\"provider\":"
                                   "\"icu\",\"lc_collate\":\"und-u-ks-level2\",\"lc_ctype\":"
                                   "null,\"deterministic\":false}\n"), "%s", json.ptr);
    pcsm_buf_dispose(&json);
    teardown();

    ck_assert_msg(declare(revs, 2) == 0, "%s", pcsm_error_last(ctx)->message);
    ck_assert_uint_eq(model->n_collations, 1);
    ck_assert_str_eq(model->collations[0].name, "nocase");
    ck_assert_str_eq(pcsm_schema__table(model, "names")->columns[0].collation, "nocase");
    ck_assert_str_eq(pcsm_schema__index(model, "names_name")->elements[0].collation, "nocase");
}
END_TEST

static void up_collations_more(pcsm_op *op)
{
    pcsm_add_constraint(op, "names", &(pcsm_constraint){ .kind = PCSM_EXCLUDE,
        .name = "names_one", .elements = PCSM_ELEMENTS({ .column = "name",
                                                         .collation = "apart", .with = "=" }) });
    pcsm_create_schema(op, "aux", 0);
    pcsm_set_schema(op, "aux");
    pcsm_create_collation(op, &(pcsm_collation){ .name = "apart", .locale = "C" });
    pcsm_set_schema(op, NULL);
    /* Made by raw SQL: its comment is taken on trust. */
    pcsm_execute(op, "CREATE VIEW raw_names AS SELECT name FROM names");
    pcsm_comment_on(op, PCSM_OBJECT_VIEW, "raw_names", NULL, "by hand");
    pcsm_rename_collation(op, "apart", "apart2");
}

static void up_collations_aux_dropped(pcsm_op *op)
{
    pcsm_drop_schema(op, "aux", PCSM_DROP_CASCADE);
}

/*
 * An exclusion constraint's key names a collation as an index's does; a
 * collation of another schema is that schema's, and goes with it.
 */
START_TEST(test_schema_collations_used_by_constraints_and_schemas)
{
    static const pcsm_revision revs[] = {
        REV("r1", no_parents, 0, up_collations), REV("r2", after_r1, 1, up_collations_more),
        REV("r3", after_r2, 1, up_collations_aux_dropped),
    };
    const struct pcsm_schema_table *t;

    ck_assert_msg(declare(revs, 2) == 0, "%s", pcsm_error_last(ctx)->message);
    t = pcsm_schema__table(model, "names");
    ck_assert_str_eq(pcsm_schema__constraint(t, "names_one")->elements[0].collation, "apart2");
    ck_assert_ptr_nonnull(pcsm_schema__collation_in(model, "aux", "apart"));
    ck_assert_uint_eq(pcsm_schema_opaque_count(model), 1);
    teardown();
    ck_assert_msg(declare(revs, 3) == 0, "%s", pcsm_error_last(ctx)->message);
    ck_assert_ptr_null(pcsm_schema__collation_in(model, "aux", "apart"));
    ck_assert_uint_eq(model->n_collations, 2);
}
END_TEST

OBJ_CASE(k_drop_used_by_constraint,
         pcsm_add_constraint(op, "names", &(pcsm_constraint){ .kind = PCSM_EXCLUDE,
             .name = "names_one", .elements = PCSM_ELEMENTS({ .column = "name",
                                                              .collation = "apart",
                                                              .with = "=" }) });
         pcsm_drop_collation(op, "apart", 0))
OBJ_CASE(k_drop_schema_holding_one,
         pcsm_create_schema(op, "aux", 0);
         pcsm_set_schema(op, "aux");
         pcsm_create_collation(op, &(pcsm_collation){ .name = "x", .locale = "C" });
         pcsm_set_schema(op, NULL);
         pcsm_drop_schema(op, "aux", 0))
OBJ_CASE(k_taken, pcsm_create_collation(op, &(pcsm_collation){ .name = "ci",
                                                                 .locale = "C" }))
OBJ_CASE(k_rename_missing, pcsm_rename_collation(op, "nope", "x"))
OBJ_CASE(k_rename_taken, pcsm_rename_collation(op, "ci", "apart"))
OBJ_CASE(k_drop_missing, pcsm_drop_collation(op, "nope", 0))
OBJ_CASE(k_drop_used, pcsm_drop_collation(op, "ci", 0))
OBJ_CASE(k_drop_used_by_index, pcsm_alter_column_type_collate(op, "names", "name", PCSM_TEXT,
                                                              "C", NULL);
         pcsm_drop_collation(op, "ci", 0))

START_TEST(test_schema_refuses_what_the_server_would_collations)
{
    static const struct refusal cases[] = {
        { k_taken, "create_collation \"ci\": collation \"ci\" already exists" },
        { k_rename_missing, "collation \"nope\" does not exist" },
        { k_rename_taken, "collation \"apart\" already exists" },
        { k_drop_missing, "drop_collation \"nope\": collation \"nope\" does not exist" },
        { k_drop_used, "cannot drop collation \"ci\": column \"name\" of table \"names\" uses "
                       "it (alter it first; CASCADE would drop the column)" },
        { k_drop_used_by_index, "cannot drop collation \"ci\": index \"names_name\" uses it" },
        { k_drop_used_by_constraint, "cannot drop collation \"apart\": constraint "
                                     "\"names_one\" of table \"names\" uses it" },
        { k_drop_schema_holding_one, "schema \"aux\" holds objects the model knows" },
    };

    assert_refusals(up_collations, NULL, cases, sizeof(cases) / sizeof(*cases));
}
END_TEST

static void up_domains(pcsm_op *op)
{
    pcsm_create_domain(op, &(pcsm_domain){
        .name = "weight", .type = PCSM_NUMERIC(5, 2), .default_value = PCSM_EXPR("1"),
        .constraints = PCSM_CONSTRAINTS(
            { .kind = PCSM_CHECK, .check = "VALUE > 0" },
            { .kind = PCSM_CHECK, .check = "VALUE < 100" },
            { .kind = PCSM_CHECK, .name = "round", .check = "VALUE = trunc(VALUE)" }) });
    /* Over another domain: printed after it, whatever the names' order. */
    pcsm_create_domain(op, &(pcsm_domain){ .name = "a_heavy", .type = PCSM_NAMED_TYPE("weight"),
                                           .not_null = true });
    pcsm_create_table(op, "boxes", PCSM_COLUMNS(
        { .name = "id", .type = PCSM_INTEGER },
        { .name = "w", .type = PCSM_NAMED_TYPE("weight") },
        { .name = "h", .type = PCSM_NAMED_TYPE("a_heavy") }), NULL, NULL);
    pcsm_add_domain_constraint(op, "weight", &(pcsm_constraint){
        .kind = PCSM_CHECK, .name = "light", .check = "VALUE < 50", .not_valid = true });
    pcsm_comment_on(op, PCSM_OBJECT_DOMAIN, "weight", NULL, "in kg");
}

static void up_domains_altered(pcsm_op *op)
{
    pcsm_rename_domain(op, "weight", "mass");
    pcsm_set_domain_default(op, "mass", PCSM_EXPR("2"));
    pcsm_set_domain_not_null(op, "mass");
    pcsm_drop_domain_not_null(op, "a_heavy");
    pcsm_drop_domain_constraint(op, "mass", "weight_check", 0);
    pcsm_drop_domain_constraint(op, "mass", "weight_check", PCSM_IF_EXISTS);
    pcsm_validate_domain_constraint(op, "mass", "light");
    pcsm_rename_domain_constraint(op, "mass", "round", "whole");
    /* Named past every constraint of the schema: mass_check is free, so taken. */
    pcsm_add_domain_constraint(op, "mass", &(pcsm_constraint){ .kind = PCSM_CHECK,
                                                               .check = "VALUE <> 7" });
}

static void up_domains_dropped(pcsm_op *op)
{
    pcsm_drop_domain(op, "mass", PCSM_DROP_CASCADE);
}

/*
 * A domain's unnamed CHECKs are named as the server names them; a rename
 * is followed into the columns and the domains over it; CASCADE takes
 * them with it.
 */
START_TEST(test_schema_domains)
{
    static const pcsm_revision revs[] = {
        REV("r1", no_parents, 0, up_domains), REV("r2", after_r1, 1, up_domains_altered),
        REV("r3", after_r2, 1, up_domains_dropped),
    };
    static const char first_sql[] =
        "CREATE DOMAIN \"weight\" AS numeric(5,2) DEFAULT 1 CONSTRAINT \"round\" "
        "CHECK (VALUE = trunc(VALUE)) CONSTRAINT \"weight_check\" CHECK (VALUE > 0) "
        "CONSTRAINT \"weight_check1\" CHECK (VALUE < 100);\n"
        "ALTER DOMAIN \"weight\" ADD CONSTRAINT \"light\" CHECK (VALUE < 50) NOT VALID;\n"
        "CREATE DOMAIN \"a_heavy\" AS \"weight\" NOT NULL;\n";
    const struct pcsm_schema_domain *d;
    pcsm_buf json = PCSM_BUF_INIT;

    ck_assert_msg(declare(revs, 1) == 0, "%s", pcsm_error_last(ctx)->message);
    ck_assert_uint_eq(model->n_domains, 2);
    d = pcsm_schema__domain_in(model, NULL, "weight");
    ck_assert_uint_eq(d->n_constraints, 4);
    ck_assert_str_eq(d->constraints[3].name, "weight_check1");
    ck_assert_str_eq(d->comment, "in kg");
    ck_assert_msg(strstr(sql.ptr, first_sql), "%s", sql.ptr);
    ck_assert_msg(strstr(sql.ptr, "COMMENT ON DOMAIN \"weight\" IS 'in kg';\n"), "%s", sql.ptr);
    pcsm_schema_json(model, &json);
    ck_assert_msg(strstr(json.ptr, "{\"object\":\"domain\",\"name\":\"a_heavy\",\"type\":"
                                   "\"\\\"weight\\\"\",\"collation\":null,\"default\":null,"
                                   "\"not_null\":true,\"constraints\":[]}\n"), "%s", json.ptr);
    pcsm_buf_dispose(&json);
    teardown();

    ck_assert_msg(declare(revs, 2) == 0, "%s", pcsm_error_last(ctx)->message);
    d = pcsm_schema__domain_in(model, NULL, "mass");
    ck_assert_ptr_nonnull(d);
    ck_assert_str_eq(d->default_value.text, "2");
    ck_assert(d->not_null);
    ck_assert(!pcsm_schema__domain_in(model, NULL, "a_heavy")->not_null);
    ck_assert_str_eq(pcsm_schema__domain_in(model, NULL, "a_heavy")->type.name, "mass");
    ck_assert_str_eq(pcsm_schema__table(model, "boxes")->columns[1].type.name, "mass");
    ck_assert(!pcsm_schema__domain_constraint(d, "light")->not_valid);
    ck_assert_ptr_nonnull(pcsm_schema__domain_constraint(d, "whole"));
    ck_assert_ptr_null(pcsm_schema__domain_constraint(d, "weight_check"));
    ck_assert_str_eq(pcsm_schema__domain_constraint(d, "mass_check")->check, "VALUE <> 7");
    teardown();

    ck_assert_msg(declare(revs, 3) == 0, "%s", pcsm_error_last(ctx)->message);
    ck_assert_uint_eq(model->n_domains, 0);
    ck_assert_uint_eq(pcsm_schema__table(model, "boxes")->n_columns, 1);
}
END_TEST

OBJ_CASE(d_taken, pcsm_create_domain(op, &(pcsm_domain){ .name = "weight",
                                                         .type = PCSM_TEXT }))
OBJ_CASE(d_table_taken, pcsm_create_domain(op, &(pcsm_domain){ .name = "boxes",
                                                               .type = PCSM_TEXT }))
OBJ_CASE(d_enum_named_alike, pcsm_create_enum(op, "weight", PCSM_LABELS("a")))
OBJ_CASE(d_over_itself, pcsm_create_domain(op, &(pcsm_domain){
         .name = "selfish", .type = PCSM_NAMED_TYPE("selfish") }))
OBJ_CASE(d_check_twice, pcsm_add_domain_constraint(op, "weight", &(pcsm_constraint){
         .kind = PCSM_CHECK, .name = "round", .check = "true" }))
OBJ_CASE(d_missing, pcsm_set_domain_not_null(op, "nope"))
OBJ_CASE(d_an_enum, pcsm_create_enum(op, "mood", PCSM_LABELS("ok"));
         pcsm_drop_domain(op, "mood", 0))
OBJ_CASE(d_enum_not_domain, pcsm_add_enum_value(op, "weight", "x", PCSM_AT_END, 0))
OBJ_CASE(d_constraint_missing, pcsm_validate_domain_constraint(op, "weight", "nope"))
OBJ_CASE(d_rename_constraint_taken, pcsm_rename_domain_constraint(op, "weight", "round",
                                                                 "light"))
OBJ_CASE(d_rename_taken, pcsm_rename_domain(op, "a_heavy", "weight"))
OBJ_CASE(d_drop_used, pcsm_drop_domain(op, "a_heavy", 0))
OBJ_CASE(d_drop_under_another, pcsm_drop_column(op, "boxes", "w", 0);
         pcsm_drop_domain(op, "weight", 0))
OBJ_CASE(d_drop_missing, pcsm_drop_domain(op, "nope", 0))

START_TEST(test_schema_refuses_what_the_server_would_domains)
{
    static const struct refusal cases[] = {
        { d_taken, "create_domain \"weight\": type \"weight\" already exists" },
        { d_table_taken, "type \"boxes\" already exists" },
        { d_enum_named_alike, "type \"weight\" already exists" },
        { d_over_itself, "a domain cannot be over itself" },
        { d_check_twice, "constraint \"round\" for domain \"weight\" already exists" },
        { d_missing, "alter_domain \"nope\": type \"nope\" does not exist" },
        { d_an_enum, "\"mood\" is not a domain" },
        { d_enum_not_domain, "\"weight\" is not an enum" },
        { d_constraint_missing, "constraint \"nope\" of domain \"weight\" does not exist" },
        { d_rename_constraint_taken, "constraint \"light\" for domain \"weight\" already "
                                     "exists" },
        { d_rename_taken, "type \"weight\" already exists" },
        { d_drop_used, "column \"h\" of \"boxes\" is of this type (drop it, or CASCADE)" },
        { d_drop_under_another, "domain \"a_heavy\" is over this type (drop it, or CASCADE)" },
        { d_drop_missing, "drop_domain \"nope\": type \"nope\" does not exist" },
    };

    assert_refusals(up_domains, NULL, cases, sizeof(cases) / sizeof(*cases));
}
END_TEST

static void up_composites(pcsm_op *op)
{
    pcsm_create_domain(op, &(pcsm_domain){ .name = "cents", .type = PCSM_BIGINT });
    pcsm_create_composite_type(op, "price", PCSM_ATTRIBUTES(
        { .name = "amount", .type = PCSM_NAMED_TYPE("cents") },
        { .name = "currency", .type = PCSM_CHAR(3), .collation = "C" }));
    pcsm_create_composite_type(op, "range_note", PCSM_ATTRIBUTES(
        { .name = "note", .type = PCSM_TEXT }));
    pcsm_create_table(op, "offers", PCSM_COLUMNS(
        { .name = "id", .type = PCSM_INTEGER },
        { .name = "p", .type = PCSM_NAMED_TYPE("price") }), NULL, NULL);
    pcsm_comment_on(op, PCSM_OBJECT_TYPE, "price", NULL, "an amount and its currency");
}

static void up_composites_altered(pcsm_op *op)
{
    pcsm_add_attribute(op, "price", &(pcsm_attribute){ .name = "note", .type = PCSM_TEXT });
    pcsm_rename_attribute(op, "price", "note", "remark");
    pcsm_drop_attribute(op, "price", "remark", 0);
    pcsm_drop_attribute(op, "price", "remark", PCSM_IF_EXISTS);
    pcsm_rename_domain(op, "cents", "pennies");
    pcsm_alter_attribute_type(op, "range_note", "note", PCSM_VARCHAR(20), "C");
    pcsm_drop_type(op, "range_note", 0);
}

/* CASCADE takes the attributes of the domain with it, as the server does. */
static void up_composites_cascade(pcsm_op *op)
{
    pcsm_drop_domain(op, "pennies", PCSM_DROP_CASCADE);
    pcsm_add_attribute(op, "price", &(pcsm_attribute){ .name = "x", .type = PCSM_TEXT });
    pcsm_drop_attribute(op, "price", "x", 0);
}

/* The last attribute dropped: a row of none, which the server keeps and prints AS (). */
static void up_composites_emptied(pcsm_op *op)
{
    pcsm_drop_attribute(op, "price", "currency", 0);
}

/*
 * A composite type: printed after the domain one of its attributes is of,
 * altered attribute by attribute, a domain renamed followed into it, an
 * attribute of a domain dropped with it under CASCADE.
 */
START_TEST(test_schema_composite_types)
{
    static const pcsm_revision revs[] = {
        REV("r1", no_parents, 0, up_composites), REV("r2", after_r1, 1, up_composites_altered),
        REV("r3", after_r2, 1, up_composites_cascade),
        REV("r4", after_r3, 1, up_composites_emptied),
    };
    static const char printed[] =
        "CREATE DOMAIN \"cents\" AS bigint;\n"
        "CREATE TYPE \"price\" AS (\"amount\" \"cents\", \"currency\" char(3) COLLATE \"C\");\n"
        "CREATE TYPE \"range_note\" AS (\"note\" text);\n";
    const struct pcsm_schema_composite *c;
    pcsm_buf json = PCSM_BUF_INIT;

    ck_assert_msg(declare(revs, 1) == 0, "%s", pcsm_error_last(ctx)->message);
    ck_assert_uint_eq(model->n_composites, 2);
    ck_assert_msg(strstr(sql.ptr, printed), "%s", sql.ptr);
    ck_assert_msg(strstr(sql.ptr, "COMMENT ON TYPE \"price\" IS 'an amount and its currency';"),
                  "%s", sql.ptr);
    pcsm_schema_json(model, &json);
    ck_assert_msg(strstr(json.ptr, "{\"object\":\"type\",\"kind\":\"composite\",\"name\":"
                                   "\"range_note\",\"attributes\":[{\"name\":\"note\","
                                   "\"type\":\"text\",\"collation\":null}]}\n"), "%s", json.ptr);
    pcsm_buf_dispose(&json);
    teardown();

    ck_assert_msg(declare(revs, 2) == 0, "%s", pcsm_error_last(ctx)->message);
    ck_assert_uint_eq(model->n_composites, 1);
    c = pcsm_schema__composite_in(model, NULL, "price");
    ck_assert_uint_eq(c->n_attributes, 2);
    ck_assert_str_eq(c->attributes[0].type.name, "pennies");
    ck_assert_str_eq(c->comment, "an amount and its currency");
    teardown();

    ck_assert_msg(declare(revs, 3) == 0, "%s", pcsm_error_last(ctx)->message);
    c = pcsm_schema__composite_in(model, NULL, "price");
    ck_assert_uint_eq(c->n_attributes, 1);
    ck_assert_str_eq(c->attributes[0].name, "currency");
    teardown();

    ck_assert_msg(declare(revs, 4) == 0, "%s", pcsm_error_last(ctx)->message);
    ck_assert_uint_eq(pcsm_schema__composite_in(model, NULL, "price")->n_attributes, 0);
    ck_assert_msg(strstr(sql.ptr, "CREATE TYPE \"price\" AS ();\n"), "%s", sql.ptr);
}
END_TEST

/* ------------------------------------------------------------ range types */

static void up_ranges(pcsm_op *op)
{
    pcsm_create_enum(op, "mood", PCSM_LABELS("sad", "ok", "happy"));
    pcsm_create_function(op, &(pcsm_function){
        .name = "mood_diff", .arguments = "a mood, b mood", .returns = "double precision",
        .language = "sql", .body = "SELECT 1.0", .volatility = PCSM_IMMUTABLE });
    pcsm_create_range_type(op, &(pcsm_range_type){ .name = "mood_range",
        .subtype = PCSM_NAMED_TYPE("mood"), .subtype_diff = "mood_diff" });
    pcsm_create_range_type(op, &(pcsm_range_type){ .name = "floatrange",
        .subtype = PCSM_DOUBLE, .subtype_diff = "float8mi", .subtype_diff_schema = "pg_catalog" });
    pcsm_create_range_type(op, &(pcsm_range_type){ .name = "span", .subtype = PCSM_TEXT,
        .collation = "C", .multirange_type_name = "spans" });
    /* The server's own name, given: the same as none. */
    pcsm_create_range_type(op, &(pcsm_range_type){ .name = "dayrange", .subtype = PCSM_DATE,
        .multirange_type_name = "daymultirange" });
    pcsm_create_domain(op, &(pcsm_domain){ .name = "positive", .type = PCSM_INTEGER });
    pcsm_create_range_type(op, &(pcsm_range_type){ .name = "pos",
        .subtype = PCSM_NAMED_TYPE("positive") });
    pcsm_create_table(op, "bookings", PCSM_COLUMNS(
        { .name = "during", .type = PCSM_NAMED_TYPE("floatrange") },
        { .name = "moods", .type = PCSM_NAMED_TYPE("mood_multirange") },
        { .name = "words", .type = PCSM_NAMED_TYPE("spans") }), NULL, NULL);
    pcsm_comment_on(op, PCSM_OBJECT_TYPE, "mood_range", NULL, "moods from, to");
    pcsm_grant(op, &(pcsm_privileges){ .on = PCSM_PRIVILEGE_TYPE, .name = "floatrange",
        .privileges = PCSM_PRIV_USAGE, .roles = PCSM_NAMES("reader") });
}

/* The function goes with the range it is subtype_diff of, and that with its multirange column. */
static void up_ranges_dropped(pcsm_op *op)
{
    pcsm_rename_domain(op, "positive", "positive2");
    pcsm_drop_function(op, "mood_diff", NULL, PCSM_DROP_CASCADE);
}

static void up_ranges_subtype_dropped(pcsm_op *op)
{
    pcsm_drop_domain(op, "positive2", PCSM_DROP_CASCADE);
    pcsm_drop_type(op, "span", PCSM_DROP_CASCADE);
}

/*
 * A subtype dropped with CASCADE takes the range, which takes the functions
 * that take the range, ordered before and after its subtype_diff; an
 * overload of a subtype_diff is another function; a schema's range goes
 * with it.
 */
static void up_ranges_cascade(pcsm_op *op)
{
    pcsm_create_enum(op, "t", PCSM_LABELS("a", "b"));
    pcsm_create_function(op, &(pcsm_function){
        .name = "zdiff", .arguments = "a t, b t", .returns = "double precision",
        .language = "sql", .body = "SELECT 0::float8" });
    pcsm_create_function(op, &(pcsm_function){
        .name = "zdiff", .arguments = "a integer, b integer", .returns = "double precision",
        .language = "sql", .body = "SELECT 0::float8" });
    pcsm_create_range_type(op, &(pcsm_range_type){ .name = "trange",
        .subtype = PCSM_NAMED_TYPE("t"), .subtype_diff = "zdiff" });
    pcsm_create_function(op, &(pcsm_function){
        .name = "afun", .arguments = "x trange", .returns = "integer", .language = "sql",
        .body = "SELECT 1" });
    pcsm_create_function(op, &(pcsm_function){
        .name = "zfun", .arguments = "x tmultirange", .returns = "integer", .language = "sql",
        .body = "SELECT 1" });
    pcsm_drop_function(op, "zdiff", "integer, integer", 0);
    pcsm_create_index(op, &(pcsm_index){ .name = "bookings_during", .table = "bookings",
                                         .columns = PCSM_NAMES("during") });
    /* An index has no row type: a range may take its name. */
    pcsm_create_range_type(op, &(pcsm_range_type){ .name = "bookings_during",
                                                   .subtype = PCSM_BIGINT });
    pcsm_create_schema(op, "spans", 0);
    pcsm_set_schema(op, "spans");
    pcsm_create_range_type(op, &(pcsm_range_type){ .name = "s", .subtype = PCSM_INTEGER });
    pcsm_set_schema(op, NULL);
}

static void up_ranges_cascade_dropped(pcsm_op *op)
{
    pcsm_drop_type(op, "t", PCSM_DROP_CASCADE);
    pcsm_drop_schema(op, "spans", PCSM_DROP_CASCADE);
}

START_TEST(test_schema_range_types)
{
    static const pcsm_revision revs[] = {
        REV("r1", no_parents, 0, up_ranges), REV("r2", after_r1, 1, up_ranges_dropped),
        REV("r3", after_r2, 1, up_ranges_subtype_dropped),
    };
    const struct pcsm_schema_range *rg;
    const char *fn, *range, *table;
    pcsm_buf json = PCSM_BUF_INIT;

    ck_assert_msg(declare(revs, 1) == 0, "%s", pcsm_error_last(ctx)->message);
    ck_assert_uint_eq(model->n_ranges, 5);
    rg = pcsm_schema__range_in(model, NULL, "floatrange");
    ck_assert_ptr_null(rg->subtype_diff_schema);        /* pg_catalog: found by the path */
    ck_assert_ptr_null(pcsm_schema__range_in(model, NULL, "dayrange")->multirange);
    ck_assert_str_eq(pcsm_schema__range_in(model, NULL, "span")->multirange, "spans");
    ck_assert_ptr_eq(pcsm_schema__range_of_multirange(model, NULL, "mood_multirange"),
                     pcsm_schema__range_in(model, NULL, "mood_range"));
    /* The function before the range whose subtype_diff it is, the ranges before the table. */
    fn = strstr(sql.ptr, "CREATE FUNCTION \"mood_diff\"");
    range = strstr(sql.ptr, "CREATE TYPE \"mood_range\" AS RANGE (SUBTYPE = \"mood\", "
                            "SUBTYPE_DIFF = \"mood_diff\");\n");
    table = strstr(sql.ptr, "CREATE TABLE \"bookings\"");
    ck_assert_msg(fn && range && table && fn < range && range < table, "%s", sql.ptr);
    ck_assert_msg(strstr(sql.ptr, "CREATE TYPE \"span\" AS RANGE (SUBTYPE = text, COLLATION = "
                                  "\"C\", MULTIRANGE_TYPE_NAME = \"spans\");\n"), "%s", sql.ptr);
    ck_assert_msg(strstr(sql.ptr, "CREATE TYPE \"dayrange\" AS RANGE (SUBTYPE = date);\n"),
                  "%s", sql.ptr);
    ck_assert_msg(strstr(sql.ptr, "COMMENT ON TYPE \"mood_range\" IS 'moods from, to';\n"),
                  "%s", sql.ptr);
    ck_assert_msg(strstr(sql.ptr, "GRANT USAGE ON TYPE \"floatrange\" TO \"reader\";\n"),
                  "%s", sql.ptr);
    pcsm_schema_json(model, &json);
    ck_assert_msg(strstr(json.ptr, "{\"object\":\"type\",\"kind\":\"range\",\"name\":\"span\","
                                   "\"subtype\":\"text\",\"subtype_opclass\":null,"
                                   "\"collation\":\"C\",\"subtype_diff\":null,"
                                   "\"subtype_diff_schema\":null,\"multirange\":\"spans\"}\n"),
                  "%s", json.ptr);
    pcsm_buf_dispose(&json);
    teardown();

    ck_assert_msg(declare(revs, 2) == 0, "%s", pcsm_error_last(ctx)->message);
    ck_assert_uint_eq(model->n_ranges, 4);
    ck_assert_ptr_null(pcsm_schema__range_in(model, NULL, "mood_range"));
    ck_assert_ptr_null(pcsm_schema__function(model, "mood_diff", NULL));
    ck_assert_ptr_null(pcsm_schema__column(pcsm_schema__table(model, "bookings"), "moods"));
    ck_assert_str_eq(pcsm_schema__range_in(model, NULL, "pos")->subtype.name, "positive2");
    teardown();

    ck_assert_msg(declare(revs, 3) == 0, "%s", pcsm_error_last(ctx)->message);
    ck_assert_uint_eq(model->n_ranges, 2);
    ck_assert_ptr_null(pcsm_schema__range_in(model, NULL, "pos"));
    ck_assert_ptr_null(pcsm_schema__column(pcsm_schema__table(model, "bookings"), "words"));
    ck_assert_ptr_nonnull(pcsm_schema__column(pcsm_schema__table(model, "bookings"), "during"));
}
END_TEST

START_TEST(test_schema_range_types_cascade)
{
    static const pcsm_revision revs[] = {
        REV("r1", no_parents, 0, up_ranges), REV("r2", after_r1, 1, up_ranges_cascade),
        REV("r3", after_r2, 1, up_ranges_cascade_dropped),
    };

    ck_assert_msg(declare(revs, 2) == 0, "%s", pcsm_error_last(ctx)->message);
    ck_assert_uint_eq(model->n_ranges, 8);
    ck_assert_ptr_null(pcsm_schema__function(model, "zdiff", "integer,integer"));
    ck_assert_ptr_nonnull(pcsm_schema__function(model, "zdiff", "t,t"));
    teardown();

    ck_assert_msg(declare(revs, 3) == 0, "%s", pcsm_error_last(ctx)->message);
    ck_assert_uint_eq(model->n_ranges, 6);
    ck_assert_ptr_null(pcsm_schema__range_in(model, NULL, "trange"));
    ck_assert_ptr_null(pcsm_schema__range_in(model, "spans", "s"));
    ck_assert_ptr_null(pcsm_schema__function(model, "zdiff", NULL));
    ck_assert_ptr_null(pcsm_schema__function(model, "afun", NULL));
    ck_assert_ptr_null(pcsm_schema__function(model, "zfun", NULL));
    ck_assert_ptr_nonnull(pcsm_schema__function(model, "mood_diff", NULL));
}
END_TEST

OBJ_CASE(g_taken_by_multirange, pcsm_create_range_type(op, &(pcsm_range_type){
         .name = "mood_multirange", .subtype = PCSM_INTEGER }))
OBJ_CASE(g_multirange_taken, pcsm_create_range_type(op, &(pcsm_range_type){
         .name = "b", .subtype = PCSM_INTEGER, .multirange_type_name = "bookings" }))
OBJ_CASE(g_own_multirange_taken,
         pcsm_create_enum(op, "c_multirange", PCSM_LABELS("x"));
         pcsm_create_range_type(op, &(pcsm_range_type){ .name = "c", .subtype = PCSM_INTEGER }))
OBJ_CASE(g_drop_multirange, pcsm_drop_type(op, "spans", 0))
OBJ_CASE(g_drop_in_use, pcsm_drop_type(op, "floatrange", 0))
OBJ_CASE(g_drop_multirange_in_use, pcsm_drop_type(op, "mood_range", 0))
OBJ_CASE(g_drop_subtype, pcsm_drop_type(op, "mood", 0))
OBJ_CASE(g_drop_diff, pcsm_drop_function(op, "mood_diff", NULL, 0))
OBJ_CASE(g_diff_missing, pcsm_create_range_type(op, &(pcsm_range_type){
         .name = "d", .subtype = PCSM_INTEGER, .subtype_diff = "nope",
         .subtype_diff_schema = "util" }))
OBJ_CASE(g_grant_multirange, pcsm_grant(op, &(pcsm_privileges){
         .on = PCSM_PRIVILEGE_TYPE, .name = "spans", .privileges = PCSM_PRIV_USAGE,
         .roles = PCSM_NAMES("reader") }))
OBJ_CASE(g_comment_multirange, pcsm_comment_on(op, PCSM_OBJECT_TYPE, "spans", NULL, "x"))
OBJ_CASE(g_collation_of_enum, pcsm_create_range_type(op, &(pcsm_range_type){
         .name = "e", .subtype = PCSM_NAMED_TYPE("mood"), .collation = "C" }))
OBJ_CASE(g_schema_of_a_range,
         pcsm_create_schema(op, "spans", 0);
         pcsm_set_schema(op, "spans");
         pcsm_create_range_type(op, &(pcsm_range_type){ .name = "s", .subtype = PCSM_INTEGER });
         pcsm_set_schema(op, NULL);
         pcsm_drop_schema(op, "spans", 0))
/* A column of a range's multirange type holds the range's subtype's values too. */
OBJ_CASE(g_attribute_held_by_a_range,
         pcsm_create_composite_type(op, "comp", PCSM_ATTRIBUTES({ .name = "b",
                                                                  .type = PCSM_INTEGER }));
         pcsm_create_range_type(op, &(pcsm_range_type){ .name = "comprange",
                                                        .subtype = PCSM_NAMED_TYPE("comp") });
         pcsm_add_column(op, "bookings", &(pcsm_column){
             .name = "c", .type = PCSM_NAMED_TYPE("compmultirange") });
         pcsm_alter_attribute_type(op, "comp", "b", PCSM_BIGINT, NULL))

START_TEST(test_schema_refuses_what_the_server_would_ranges)
{
    static const struct refusal cases[] = {
        { g_taken_by_multirange, "type \"mood_multirange\" already exists" },
        { g_multirange_taken, "type \"bookings\" already exists (the multirange type of \"b\")" },
        { g_own_multirange_taken, "type \"c_multirange\" already exists (the multirange type "
                                  "of \"c\": name another with multirange_type_name)" },
        { g_drop_multirange, "type \"spans\" is the multirange type of range type \"span\" "
                             "(drop that one)" },
        { g_drop_in_use, "column \"during\" of \"bookings\" is of this type (drop it, or "
                         "CASCADE)" },
        { g_drop_multirange_in_use, "column \"moods\" of \"bookings\" is of this type (drop "
                                    "it, or CASCADE)" },
        { g_drop_subtype, "range type \"mood_range\" is of this type (drop it, or CASCADE)" },
        { g_drop_diff, "range type \"mood_range\" uses function \"mood_diff\" as its "
                       "subtype_diff (drop it, or CASCADE)" },
        { g_diff_missing, "function \"util\".\"nope\" does not exist" },
        { g_grant_multirange, "privileges on multirange type \"spans\" are not modelled (grant "
                              "on its range type)" },
        { g_comment_multirange, "a comment on multirange type \"spans\" is not modelled "
                                "(comment on its range type)" },
        { g_collation_of_enum, "range collation specified but subtype \"mood\" does not "
                               "support collation" },
        { g_schema_of_a_range, "schema \"spans\" holds objects the model knows (drop them, "
                               "or CASCADE)" },
        { g_attribute_held_by_a_range, "cannot alter type \"comp\" because column "
                                       "\"bookings.c\" uses it" },
    };

    assert_refusals(up_ranges, NULL, cases, sizeof(cases) / sizeof(*cases));
}
END_TEST

/* ------------------------------------------------------------- partitions */

static void up_partitions(pcsm_op *op)
{
    pcsm_create_partitioned_table(op, "events",
        PCSM_PARTITION_BY(PCSM_PARTITION_RANGE, { .column = "at" }),
        PCSM_COLUMNS({ .name = "id", .type = PCSM_BIGINT, .not_null = true },
                     { .name = "at", .type = PCSM_DATE, .not_null = true,
                       .default_value = PCSM_EXPR("CURRENT_DATE") },
                     { .name = "region", .type = PCSM_TEXT, .collation = "C",
                       .not_null = true },
                     { .name = "n", .type = PCSM_INTEGER, .check = "n > 0" }),
        PCSM_CONSTRAINTS({ .kind = PCSM_PRIMARY_KEY,
                           .columns = PCSM_NAMES("id", "at", "region") }),
        "what happened");
    pcsm_create_index(op, &(pcsm_index){ .table = "events", .columns = PCSM_NAMES("region") });
    pcsm_create_partition(op, &(pcsm_partition){
        .name = "events_2026", .parent = "events",
        .bound = "FOR VALUES FROM ('2026-01-01') TO ('2027-01-01')",
        .partition_by = PCSM_PARTITION_BY(PCSM_PARTITION_LIST, { .column = "region" }) });
    pcsm_create_partition(op, &(pcsm_partition){
        .name = "events_2026_eu", .parent = "events_2026", .bound = "FOR VALUES IN ('eu')",
        .comment = "Europe" });
    pcsm_create_partition(op, &(pcsm_partition){ .name = "events_old", .parent = "events",
                                                 .bound = "DEFAULT" });
    pcsm_create_table(op, "events_2025", PCSM_COLUMNS(
        { .name = "n", .type = PCSM_INTEGER }, { .name = "id", .type = PCSM_BIGINT,
                                                 .not_null = true },
        { .name = "at", .type = PCSM_DATE, .not_null = true },
        { .name = "region", .type = PCSM_TEXT, .collation = "C", .not_null = true }),
        PCSM_CONSTRAINTS({ .kind = PCSM_CHECK, .name = "events_n_check", .check = "n > 0" },
                         { .kind = PCSM_PRIMARY_KEY,
                           .columns = PCSM_NAMES("id", "at", "region") }),
        NULL);
    pcsm_attach_partition(op, "events", "events_2025",
                          "FOR VALUES FROM ('2025-01-01') TO ('2026-01-01')");
}

/* Columns follow their table into every partition; the key follows a rename. */
static void up_partitions_altered(pcsm_op *op)
{
    pcsm_add_column(op, "events", &(pcsm_column){ .name = "note", .type = PCSM_TEXT,
                                                  .default_value = PCSM_LITERAL("none") });
    /* A partition's share of its parent's index renamed: detached, it keeps that name. */
    pcsm_rename_index(op, "events_2025_region_idx", "e25_by_region");
    pcsm_detach_partition(op, "events", "events_2025");
    pcsm_rename_column(op, "events", "region", "area");
    pcsm_set_default(op, "events_old", "note", PCSM_LITERAL("old"));
    pcsm_set_not_null(op, "events_old", "n");
    pcsm_drop_column(op, "events", "n", 0);
    pcsm_rename_table(op, "events", "happenings");
}

static void up_partitions_dropped(pcsm_op *op)
{
    pcsm_drop_table(op, "happenings", 0);
}

START_TEST(test_schema_partitions)
{
    static const pcsm_revision revs[] = {
        REV("r1", no_parents, 0, up_partitions), REV("r2", after_r1, 1, up_partitions_altered),
        REV("r3", after_r2, 1, up_partitions_dropped),
    };
    const struct pcsm_schema_table *t;
    pcsm_buf json = PCSM_BUF_INIT;

    ck_assert_msg(declare(revs, 1) == 0, "%s", pcsm_error_last(ctx)->message);
    ck_assert_uint_eq(model->n_tables, 5);
    t = pcsm_schema__table(model, "events_2026_eu");
    ck_assert_str_eq(t->partition_of, "events_2026");
    ck_assert_uint_eq(t->n_columns, 4);
    ck_assert_str_eq(t->columns[2].collation, "C");
    ck_assert_str_eq(t->columns[1].default_value.text, "CURRENT_DATE");
    ck_assert(t->columns[0].not_null);
    /* The parent's constraints and indexes are the parent's alone, an attached table's too. */
    ck_assert_uint_eq(t->n_constraints, 0);
    t = pcsm_schema__table(model, "events_2025");
    ck_assert_uint_eq(t->n_constraints, 0);
    ck_assert_ptr_nonnull(pcsm_schema__index(model, "events_region_idx"));
    ck_assert_msg(strstr(sql.ptr, "CREATE TABLE \"events\" (\n"), "%s", sql.ptr);
    ck_assert_msg(strstr(sql.ptr, "\n) PARTITION BY RANGE (\"at\");\n"), "%s", sql.ptr);
    ck_assert_msg(strstr(sql.ptr,
                         "CREATE TABLE \"events_2026\" PARTITION OF \"events\"\n"
                         "    FOR VALUES FROM ('2026-01-01') TO ('2027-01-01') "
                         "PARTITION BY LIST (\"region\");\n"
                         "CREATE TABLE \"events_2026_eu\" PARTITION OF \"events_2026\"\n"
                         "    FOR VALUES IN ('eu');\n"
                         "COMMENT ON TABLE \"events_2026_eu\" IS 'Europe';\n"), "%s", sql.ptr);
    ck_assert_msg(strstr(sql.ptr, "CREATE TABLE \"events_old\" PARTITION OF \"events\"\n"
                                  "    DEFAULT;\n"), "%s", sql.ptr);
    pcsm_schema_json(model, &json);
    ck_assert_msg(strstr(json.ptr, "\"partition_by\":{\"strategy\":\"RANGE\",\"key\":"),
                  "%s", json.ptr);
    ck_assert_msg(strstr(json.ptr, "\"partition_of\":\"events_2026\",\"bound\":"
                                   "\"FOR VALUES IN ('eu')\""), "%s", json.ptr);
    pcsm_buf_dispose(&json);
    teardown();

    ck_assert_msg(declare(revs, 2) == 0, "%s", pcsm_error_last(ctx)->message);
    t = pcsm_schema__table(model, "events_2026_eu");
    ck_assert_str_eq(t->partition_of, "events_2026");
    ck_assert_str_eq(pcsm_schema__table(model, "events_2026")->partition_of, "happenings");
    ck_assert_str_eq(pcsm_schema__table(model, "happenings")->partition_key[0].column, "at");
    ck_assert_str_eq(pcsm_schema__table(model, "events_2026")->partition_key[0].column,
                     "area");
    ck_assert_ptr_nonnull(pcsm_schema__column(t, "area"));
    ck_assert_ptr_null(pcsm_schema__column(t, "n"));
    ck_assert_str_eq(pcsm_schema__column(t, "note")->default_value.text, "none");
    t = pcsm_schema__table(model, "events_old");
    ck_assert_str_eq(pcsm_schema__column(t, "note")->default_value.text, "old");
    ck_assert_msg(strstr(sql.ptr, "ALTER TABLE \"events_old\" ALTER COLUMN \"note\" SET "
                                  "DEFAULT 'old';\n"), "%s", sql.ptr);
    /* Detached, a table keeps what it had of its parent's, under the server's names. */
    t = pcsm_schema__table(model, "events_2025");
    ck_assert_ptr_null(t->partition_of);
    ck_assert_uint_eq(t->n_constraints, 2);
    ck_assert_str_eq(t->constraints[0].name, "events_2025_pkey");
    ck_assert_str_eq(t->constraints[1].name, "events_n_check");
    ck_assert_ptr_nonnull(pcsm_schema__index(model, "e25_by_region"));
    ck_assert_ptr_null(pcsm_schema__index(model, "events_2025_region_idx"));
    ck_assert_ptr_nonnull(pcsm_schema__column(t, "note"));
    ck_assert_ptr_nonnull(pcsm_schema__column(t, "n"));
    teardown();

    ck_assert_msg(declare(revs, 3) == 0, "%s", pcsm_error_last(ctx)->message);
    ck_assert_uint_eq(model->n_tables, 1);
    ck_assert_ptr_nonnull(pcsm_schema__table(model, "events_2025"));
    ck_assert_uint_eq(model->n_indexes, 1);
}
END_TEST

/* Three levels: the top table's keys, CHECKs and indexes are every partition's below it. */
static void up_nested_partitions(pcsm_op *op)
{
    pcsm_create_enum(op, "zone", PCSM_LABELS("eu", "us"));
    pcsm_create_partitioned_table(op, "r",
        PCSM_PARTITION_BY(PCSM_PARTITION_LIST, { .column = "z" }),
        PCSM_COLUMNS({ .name = "a", .type = PCSM_INTEGER, .not_null = true },
                     { .name = "z", .type = PCSM_NAMED_TYPE("zone"), .not_null = true },
                     { .name = "b", .type = PCSM_INTEGER, .not_null = true }),
        PCSM_CONSTRAINTS({ .kind = PCSM_PRIMARY_KEY, .columns = PCSM_NAMES("a", "z", "b") },
                         { .kind = PCSM_CHECK, .name = "ck", .check = "a > 0" }), NULL);
    pcsm_create_partition(op, &(pcsm_partition){
        .name = "p", .parent = "r", .bound = "FOR VALUES IN('eu')",
        .partition_by = PCSM_PARTITION_BY(PCSM_PARTITION_RANGE, { .column = "b" }),
        .constraints = PCSM_CONSTRAINTS({ .kind = PCSM_CHECK, .name = "ck",
                                          .check = "a  >  0" }) });
    pcsm_create_partition(op, &(pcsm_partition){
        .name = "q", .parent = "p", .bound = "for values from(0)to(10)" });
    /* Its own index, then one alike on the top: the top's takes it over, as the server's. */
    pcsm_create_index(op, &(pcsm_index){ .name = "q_own", .table = "q",
                                         .columns = PCSM_NAMES("b") });
    pcsm_create_index(op, &(pcsm_index){ .name = "r_b", .table = "r",
                                         .columns = PCSM_NAMES("b") });
    /* ON ONLY: q has none of it until its own is attached, then it is valid. */
    pcsm_create_index(op, &(pcsm_index){ .name = "p_a", .table = "p",
                                         .columns = PCSM_NAMES("a"), .only = true });
    pcsm_create_index(op, &(pcsm_index){ .name = "q_a", .table = "q",
                                         .columns = PCSM_NAMES("a") });
    pcsm_attach_index(op, "p_a", "q_a");
    pcsm_attach_index(op, "p_a", "q_a");     /* again: nothing, as on the server */
    /* Unique with an expression beside the keys' columns, as the server allows. */
    pcsm_create_index(op, &(pcsm_index){ .name = "r_unique", .table = "r", .unique = true,
                                         .elements = PCSM_ELEMENTS({ .column = "a" },
                                                                   { .column = "z" },
                                                                   { .column = "b" },
                                                                   { .expression = "a + b" }) });
    pcsm_create_index(op, &(pcsm_index){ .name = "p_z", .table = "p",
                                         .columns = PCSM_NAMES("z"), .only = true });
    /* A serial added to the top: one sequence, every partition drawing from it. */
    pcsm_add_column(op, "r", &(pcsm_column){ .name = "n", .type = PCSM_SERIAL });
    pcsm_detach_partition(op, "p", "q");
}

static void up_nested_key_type_dropped(pcsm_op *op)
{
    pcsm_drop_type(op, "zone", PCSM_DROP_CASCADE);
}

START_TEST(test_schema_partitions_nested)
{
    static const pcsm_revision revs[] = {
        REV("r1", no_parents, 0, up_nested_partitions),
        REV("r2", after_r1, 1, up_nested_key_type_dropped),
    };
    const struct pcsm_schema_table *t;

    ck_assert_msg(declare(revs, 1) == 0, "%s", pcsm_error_last(ctx)->message);
    /* p's CHECK of r's name and text was r's all along. */
    ck_assert_uint_eq(pcsm_schema__table(model, "p")->n_constraints, 0);
    ck_assert_uint_eq(model->n_sequences, 1);
    /* p_a became valid when q's was attached; p_z stays invalid, q detached or not. */
    ck_assert(!pcsm_schema__index(model, "p_a")->invalid);
    ck_assert(pcsm_schema__index(model, "p_z")->invalid);
    ck_assert_ptr_nonnull(pcsm_schema__index(model, "q_a"));
    ck_assert_str_eq(pcsm_schema__column(pcsm_schema__table(model, "q"), "n")
                     ->default_value.text, "nextval('r_n_seq'::regclass)");
    /*
     * Detached from p, q keeps what it had of r: its CHECK, its key under
     * the name the server gave q's, and its own index, which r's took over
     * and which keeps its name.
     */
    t = pcsm_schema__table(model, "q");
    ck_assert_ptr_null(t->partition_of);
    ck_assert_uint_eq(t->n_constraints, 2);
    ck_assert_str_eq(t->constraints[0].name, "ck");
    ck_assert_str_eq(t->constraints[1].name, "q_pkey");
    ck_assert_ptr_nonnull(pcsm_schema__index(model, "q_own"));
    ck_assert_ptr_null(pcsm_schema__index(model, "q_b_idx"));
    ck_assert_uint_eq(model->n_indexes, 7);
    teardown();

    /* The type of a key column dropped with CASCADE takes the partitioned table. */
    ck_assert_msg(declare(revs, 2) == 0, "%s", pcsm_error_last(ctx)->message);
    ck_assert_ptr_null(pcsm_schema__table(model, "r"));
    ck_assert_ptr_null(pcsm_schema__table(model, "p"));
    t = pcsm_schema__table(model, "q");
    ck_assert_ptr_null(pcsm_schema__column(t, "z"));
}
END_TEST

OBJ_CASE(q_not_partitioned, pcsm_create_partition(op, &(pcsm_partition){
         .name = "p", .parent = "kids", .bound = "DEFAULT" }))
OBJ_CASE(q_bound_of_another_strategy, pcsm_create_partition(op, &(pcsm_partition){
         .name = "p", .parent = "events", .bound = "FOR VALUES IN ('x')" }))
OBJ_CASE(q_second_default, pcsm_create_partition(op, &(pcsm_partition){
         .name = "p", .parent = "events", .bound = "DEFAULT" }))
OBJ_CASE(q_partition_name_taken, pcsm_create_partition(op, &(pcsm_partition){
         .name = "kids", .parent = "events", .bound = "DEFAULT" }))
OBJ_CASE(q_add_column_to_partition, pcsm_add_column(op, "events_old", &(pcsm_column){
         .name = "x", .type = PCSM_TEXT }))
OBJ_CASE(q_drop_inherited, pcsm_drop_column(op, "events_old", "region", 0))
OBJ_CASE(q_rename_inherited, pcsm_rename_column(op, "events_old", "region", "r"))
OBJ_CASE(q_retype_inherited, pcsm_alter_column_type(op, "events_old", "n", PCSM_BIGINT, NULL))
OBJ_CASE(q_drop_not_null_of_parent, pcsm_drop_not_null(op, "events_old", "id"))
OBJ_CASE(q_drop_key_column, pcsm_drop_column(op, "events", "at", PCSM_DROP_CASCADE))
OBJ_CASE(q_retype_key_column, pcsm_alter_column_type(op, "events", "at", PCSM_TIMESTAMPTZ,
                                                     NULL))
OBJ_CASE(q_unique_without_key, pcsm_add_constraint(op, "events", &(pcsm_constraint){
         .kind = PCSM_UNIQUE, .columns = PCSM_NAMES("id") }))
OBJ_CASE(q_key_of_missing_column, pcsm_create_partitioned_table(op, "t",
         PCSM_PARTITION_BY(PCSM_PARTITION_HASH, { .column = "nope" }),
         PCSM_COLUMNS({ .name = "a", .type = PCSM_INTEGER }), NULL, NULL))
OBJ_CASE(q_exclusion_on_partitioned, pcsm_create_partitioned_table(op, "t",
         PCSM_PARTITION_BY(PCSM_PARTITION_LIST, { .column = "a" }),
         PCSM_COLUMNS({ .name = "a", .type = PCSM_INTEGER }),
         PCSM_CONSTRAINTS({ .kind = PCSM_EXCLUDE, .elements = PCSM_ELEMENTS(
             { .column = "a", .with = "=" }) }), NULL))
OBJ_CASE(q_concurrent_index, pcsm_autocommit_begin(op);
         pcsm_create_index(op, &(pcsm_index){ .name = "ix", .table = "events",
                                              .columns = PCSM_NAMES("n"),
                                              .concurrently = true });
         pcsm_autocommit_end(op))
OBJ_CASE(q_attach_missing_column, pcsm_attach_partition(op, "events", "kids",
         "FOR VALUES FROM ('2030-01-01') TO ('2031-01-01')"))
OBJ_CASE(q_attach_without_check,
         pcsm_create_table(op, "lone", PCSM_COLUMNS(
             { .name = "id", .type = PCSM_BIGINT, .not_null = true },
             { .name = "at", .type = PCSM_DATE, .not_null = true },
             { .name = "region", .type = PCSM_TEXT, .collation = "C", .not_null = true },
             { .name = "n", .type = PCSM_INTEGER }), NULL, NULL);
         pcsm_attach_partition(op, "events", "lone",
                               "FOR VALUES FROM ('2020-01-01') TO ('2021-01-01')"))
OBJ_CASE(q_attach_nullable,
         pcsm_create_table(op, "lone", PCSM_COLUMNS(
             { .name = "id", .type = PCSM_BIGINT },
             { .name = "at", .type = PCSM_DATE, .not_null = true },
             { .name = "region", .type = PCSM_TEXT, .collation = "C", .not_null = true },
             { .name = "n", .type = PCSM_INTEGER, .check = "n > 0" }), NULL, NULL);
         pcsm_attach_partition(op, "events", "lone",
                               "FOR VALUES FROM ('2020-01-01') TO ('2021-01-01')"))
OBJ_CASE(q_attach_other_type,
         pcsm_create_table(op, "lone", PCSM_COLUMNS(
             { .name = "id", .type = PCSM_INTEGER, .not_null = true },
             { .name = "at", .type = PCSM_DATE, .not_null = true },
             { .name = "region", .type = PCSM_TEXT, .collation = "C", .not_null = true },
             { .name = "n", .type = PCSM_INTEGER }), NULL, NULL);
         pcsm_attach_partition(op, "events", "lone",
                               "FOR VALUES FROM ('2020-01-01') TO ('2021-01-01')"))
OBJ_CASE(q_subkey_not_in_parent_key, pcsm_create_partition(op, &(pcsm_partition){
         .name = "p", .parent = "events", .bound = "FOR VALUES FROM ('2030-01-01') TO "
         "('2031-01-01')", .partition_by = PCSM_PARTITION_BY(PCSM_PARTITION_HASH,
                                                             { .column = "n" }) }))
OBJ_CASE(q_attach_a_partition, pcsm_attach_partition(op, "events", "events_old", "DEFAULT"))
OBJ_CASE(q_detach_not_one, pcsm_detach_partition(op, "events", "kids"))

OBJ_CASE(q_view_on_a_partition,
         pcsm_create_view(op, &(pcsm_view){ .name = "v", .query = "SELECT * FROM events_old",
                                            .reads = PCSM_NAMES("events_old") });
         pcsm_drop_table(op, "events", 0))
OBJ_CASE(q_identity_down, pcsm_add_column(op, "events", &(pcsm_column){
         .name = "k", .type = PCSM_BIGINT, .identity = PCSM_IDENTITY_ALWAYS }))
OBJ_CASE(q_unique_column_without_key, pcsm_add_column(op, "events", &(pcsm_column){
         .name = "u", .type = PCSM_TEXT, .unique = true }))
OBJ_CASE(q_unique_elements_without_key, pcsm_create_index(op, &(pcsm_index){
         .name = "ux", .table = "events", .unique = true,
         .elements = PCSM_ELEMENTS({ .column = "id", .descending = true }) }))
OBJ_CASE(q_drop_partitioned_index_concurrently, pcsm_autocommit_begin(op);
         pcsm_drop_index(op, "events_region_idx", PCSM_DROP_CONCURRENTLY);
         pcsm_autocommit_end(op))
OBJ_CASE(q_second_primary_key, pcsm_create_partition(op, &(pcsm_partition){
         .name = "p", .parent = "events", .bound = "FOR VALUES FROM ('2030-01-01') TO "
         "('2031-01-01')", .constraints = PCSM_CONSTRAINTS({ .kind = PCSM_PRIMARY_KEY,
                                                             .columns = PCSM_NAMES("id") }) }))
OBJ_CASE(q_check_of_parents_name, pcsm_create_partition(op, &(pcsm_partition){
         .name = "p", .parent = "events", .bound = "FOR VALUES FROM ('2030-01-01') TO "
         "('2031-01-01')", .constraints = PCSM_CONSTRAINTS({ .kind = PCSM_CHECK,
             .name = "events_n_check", .check = "n > 1" }) }))
OBJ_CASE(q_attach_without_grandparents_check,
         pcsm_create_table(op, "lone", PCSM_COLUMNS(
             { .name = "id", .type = PCSM_BIGINT, .not_null = true },
             { .name = "at", .type = PCSM_DATE, .not_null = true },
             { .name = "region", .type = PCSM_TEXT, .collation = "C", .not_null = true },
             { .name = "n", .type = PCSM_INTEGER }), NULL, NULL);
         pcsm_attach_partition(op, "events_2026", "lone", "FOR VALUES IN ('us')"))
OBJ_CASE(q_attach_index_unlike,
         pcsm_create_index(op, &(pcsm_index){ .name = "ev_n", .table = "events",
                                              .columns = PCSM_NAMES("n"), .only = true });
         pcsm_create_index(op, &(pcsm_index){ .name = "old_id", .table = "events_old",
                                              .columns = PCSM_NAMES("id") });
         pcsm_attach_index(op, "ev_n", "old_id"))
OBJ_CASE(q_attach_index_not_a_partitions,
         pcsm_create_index(op, &(pcsm_index){ .name = "ev_n", .table = "events",
                                              .columns = PCSM_NAMES("n"), .only = true });
         pcsm_attach_index(op, "ev_n", "kids_by_b"))
OBJ_CASE(q_attach_index_twice,
         pcsm_create_index(op, &(pcsm_index){ .name = "old_region", .table = "events_old",
                                              .columns = PCSM_NAMES("region") });
         pcsm_attach_index(op, "events_region_idx", "old_region"))
OBJ_CASE(q_attach_index_of_a_plain_table, pcsm_attach_index(op, "kids_by_b", "kids_by_b"))
OBJ_CASE(q_attach_check_unlike,
         pcsm_create_table(op, "lone", PCSM_COLUMNS(
             { .name = "id", .type = PCSM_BIGINT, .not_null = true },
             { .name = "at", .type = PCSM_DATE, .not_null = true },
             { .name = "region", .type = PCSM_TEXT, .collation = "C", .not_null = true },
             { .name = "n", .type = PCSM_INTEGER }),
             PCSM_CONSTRAINTS({ .kind = PCSM_CHECK, .name = "events_n_check",
                                .check = "n > 1" }), NULL);
         pcsm_attach_partition(op, "events", "lone",
                               "FOR VALUES FROM ('2020-01-01') TO ('2021-01-01')"))
OBJ_CASE(q_check_down_unlike,
         pcsm_create_partition(op, &(pcsm_partition){
             .name = "p", .parent = "events_2026", .bound = "FOR VALUES IN ('us')",
             .constraints = PCSM_CONSTRAINTS({ .kind = PCSM_CHECK, .name = "small",
                                               .check = "n < 5" }) });
         pcsm_add_constraint(op, "events_2026", &(pcsm_constraint){
             .kind = PCSM_CHECK, .name = "small", .check = "n < 9" }))
OBJ_CASE(q_expression_key_with_a_key, pcsm_create_partitioned_table(op, "t",
         PCSM_PARTITION_BY(PCSM_PARTITION_LIST, { .expression = "lower(b)" }),
         PCSM_COLUMNS({ .name = "a", .type = PCSM_INTEGER, .primary_key = true },
                      { .name = "b", .type = PCSM_TEXT }), NULL, NULL))
OBJ_CASE(q_exclusion_added, pcsm_add_constraint(op, "events", &(pcsm_constraint){
         .kind = PCSM_EXCLUDE, .elements = PCSM_ELEMENTS({ .column = "id", .with = "=" }) }))
OBJ_CASE(q_generated_key, pcsm_create_partitioned_table(op, "t",
         PCSM_PARTITION_BY(PCSM_PARTITION_LIST, { .column = "g" }),
         PCSM_COLUMNS({ .name = "a", .type = PCSM_INTEGER },
                      { .name = "g", .type = PCSM_INTEGER, .generated = "a * 2" }), NULL, NULL))
OBJ_CASE(q_hash_default,
         pcsm_create_partitioned_table(op, "t",
             PCSM_PARTITION_BY(PCSM_PARTITION_HASH, { .column = "a" }),
             PCSM_COLUMNS({ .name = "a", .type = PCSM_INTEGER }), NULL, NULL);
         pcsm_create_partition(op, &(pcsm_partition){ .name = "t0", .parent = "t",
                                                      .bound = "DEFAULT" }))
OBJ_CASE(q_partition_of_nothing, pcsm_create_partition(op, &(pcsm_partition){
         .name = "p", .parent = "nope", .bound = "DEFAULT" }))
OBJ_CASE(q_partition_named_as_a_type,
         pcsm_create_enum(op, "mood", PCSM_LABELS("ok"));
         pcsm_create_partition(op, &(pcsm_partition){ .name = "mood", .parent = "events",
             .bound = "FOR VALUES FROM ('2030-01-01') TO ('2031-01-01')" }))
OBJ_CASE(q_primary_key_down,
         pcsm_create_partitioned_table(op, "t",
             PCSM_PARTITION_BY(PCSM_PARTITION_LIST, { .column = "a" }),
             PCSM_COLUMNS({ .name = "a", .type = PCSM_INTEGER, .not_null = true },
                          { .name = "b", .type = PCSM_INTEGER, .not_null = true }), NULL, NULL);
         pcsm_create_partition(op, &(pcsm_partition){ .name = "t1", .parent = "t",
             .bound = "FOR VALUES IN (1)", .constraints = PCSM_CONSTRAINTS(
                 { .kind = PCSM_PRIMARY_KEY, .columns = PCSM_NAMES("a", "b") }) });
         pcsm_add_constraint(op, "t", &(pcsm_constraint){ .kind = PCSM_PRIMARY_KEY,
                                                          .columns = PCSM_NAMES("a") }))
OBJ_CASE(q_share_renamed_onto_a_name,
         pcsm_rename_index(op, "events_old_region_idx", "kids_by_b"))
OBJ_CASE(q_attach_to_nothing, pcsm_attach_partition(op, "nope", "kids", "DEFAULT"))
OBJ_CASE(q_attach_nothing, pcsm_attach_partition(op, "events", "nope", "DEFAULT"))
OBJ_CASE(q_attach_itself, pcsm_attach_partition(op, "events", "events", "DEFAULT"))
OBJ_CASE(q_attach_a_parent,
         pcsm_detach_partition(op, "events", "events_2026");
         pcsm_attach_partition(op, "events_2026_eu", "events_2026", "DEFAULT"))
OBJ_CASE(q_attach_missing_a_column,
         pcsm_create_table(op, "lone", PCSM_COLUMNS(
             { .name = "id", .type = PCSM_BIGINT, .not_null = true },
             { .name = "at", .type = PCSM_DATE, .not_null = true },
             { .name = "region", .type = PCSM_TEXT, .collation = "C", .not_null = true }),
             NULL, NULL);
         pcsm_attach_partition(op, "events", "lone",
                               "FOR VALUES FROM ('2020-01-01') TO ('2021-01-01')"))
OBJ_CASE(q_attach_identity,
         pcsm_create_table(op, "lone", PCSM_COLUMNS(
             { .name = "id", .type = PCSM_BIGINT, .identity = PCSM_IDENTITY_ALWAYS },
             { .name = "at", .type = PCSM_DATE, .not_null = true },
             { .name = "region", .type = PCSM_TEXT, .collation = "C", .not_null = true },
             { .name = "n", .type = PCSM_INTEGER, .check = "n > 0" }), NULL, NULL);
         pcsm_attach_partition(op, "events", "lone",
                               "FOR VALUES FROM ('2020-01-01') TO ('2021-01-01')"))
OBJ_CASE(q_attach_other_primary_key,
         pcsm_create_table(op, "lone", PCSM_COLUMNS(
             { .name = "id", .type = PCSM_BIGINT, .not_null = true, .primary_key = true },
             { .name = "at", .type = PCSM_DATE, .not_null = true },
             { .name = "region", .type = PCSM_TEXT, .collation = "C", .not_null = true },
             { .name = "n", .type = PCSM_INTEGER }),
             PCSM_CONSTRAINTS({ .kind = PCSM_CHECK, .name = "events_n_check",
                                .check = "n > 0" }), NULL);
         pcsm_attach_partition(op, "events", "lone",
                               "FOR VALUES FROM ('2020-01-01') TO ('2021-01-01')"))
#define TF_TRIGGER(table_) \
    pcsm_create_trigger(op, &(pcsm_trigger){ .name = "tr", .table = (table_), \
        .timing = PCSM_AFTER, .events = PCSM_ON_INSERT, .for_each_row = true, .function = "tf" })
OBJ_CASE(q_attach_trigger_taken,
         pcsm_create_function(op, &(pcsm_function){ .name = "tf", .returns = "trigger",
                                                    .language = "plpgsql",
                                                    .body = "BEGIN RETURN NEW; END" });
         TF_TRIGGER("events");
         pcsm_create_table(op, "lone", PCSM_COLUMNS(
             { .name = "id", .type = PCSM_BIGINT, .not_null = true },
             { .name = "at", .type = PCSM_DATE, .not_null = true },
             { .name = "region", .type = PCSM_TEXT, .collation = "C", .not_null = true },
             { .name = "n", .type = PCSM_INTEGER }),
             PCSM_CONSTRAINTS({ .kind = PCSM_CHECK, .name = "events_n_check",
                                .check = "n > 0" }), NULL);
         TF_TRIGGER("lone");
         pcsm_attach_partition(op, "events", "lone",
                               "FOR VALUES FROM ('2020-01-01') TO ('2021-01-01')"))
OBJ_CASE(q_detach_from_nothing, pcsm_detach_partition(op, "nope", "events_old"))
OBJ_CASE(q_detach_nothing, pcsm_detach_partition(op, "events", "nope"))
OBJ_CASE(q_attach_to_no_index, pcsm_attach_index(op, "nope", "kids_by_b"))
OBJ_CASE(q_attach_no_index, pcsm_attach_index(op, "events_region_idx", "nope"))
OBJ_CASE(q_key_without_subkey, pcsm_drop_constraint(op, "events", "events_pkey", 0);
         pcsm_add_constraint(op, "events", &(pcsm_constraint){
             .kind = PCSM_PRIMARY_KEY, .columns = PCSM_NAMES("id", "at") }))

START_TEST(test_schema_refuses_what_the_server_would_partitions)
{
    static const struct refusal cases[] = {
        { q_not_partitioned, "table \"kids\" is not partitioned" },
        { q_bound_of_another_strategy, "invalid bound specification for a range partition" },
        { q_second_default, "partition \"p\" would overlap partition \"events_old\"" },
        { q_partition_name_taken, "relation \"kids\" already exists" },
        { q_add_column_to_partition, "cannot add column to a partition" },
        { q_drop_inherited, "cannot drop inherited column \"region\"" },
        { q_rename_inherited, "cannot rename inherited column \"region\"" },
        { q_retype_inherited, "cannot alter inherited column \"n\"" },
        { q_drop_not_null_of_parent, "column \"id\" is marked NOT NULL in parent table" },
        { q_drop_key_column, "cannot drop column \"at\" because it is part of the partition "
                             "key of relation \"events\"" },
        { q_retype_key_column, "cannot alter type of column \"at\" because it is part of" },
        { q_unique_without_key, "unique constraint on partitioned table must include all "
                                "partitioning columns (\"at\" of \"events\" is not in it)" },
        { q_key_of_missing_column, "column \"nope\" named in partition key does not exist" },
        { q_exclusion_on_partitioned, "exclusion constraints are not supported on "
                                      "partitioned tables" },
        { q_concurrent_index, "cannot create index on partitioned table \"events\" "
                              "concurrently" },
        { q_attach_missing_column, "table \"kids\" contains column \"a\" not found in parent" },
        { q_attach_without_check, "child table is missing constraint \"events_n_check\"" },
        { q_attach_nullable, "column \"id\" in child table must be marked NOT NULL" },
        { q_attach_other_type, "child table \"lone\" has a different type or collation for "
                               "column \"id\"" },
        { q_subkey_not_in_parent_key, "primary key on partitioned table must include all "
                                      "partitioning columns (\"n\" of \"p\" is not in "
                                      "events_pkey)" },
        { q_attach_a_partition, "\"events_old\" is already a partition" },
        { q_detach_not_one, "relation \"kids\" is not a partition of relation \"events\"" },
        { q_view_on_a_partition, "drop_table \"events\": view \"v\" depends on it" },
        { q_identity_down, "cannot recursively add identity column to table that has child "
                           "tables" },
        { q_unique_column_without_key, "unique constraint on partitioned table must include "
                                       "all partitioning columns (\"at\" of \"events\"" },
        { q_unique_elements_without_key, "unique constraint on partitioned table must include "
                                         "all partitioning columns (\"at\" of \"events\"" },
        { q_drop_partitioned_index_concurrently, "cannot drop partitioned index "
                                                 "\"events_region_idx\" concurrently" },
        { q_second_primary_key, "multiple primary keys for table \"p\" are not allowed" },
        { q_check_of_parents_name, "constraint \"events_n_check\" for relation \"p\" already "
                                   "exists" },
        { q_attach_without_grandparents_check, "child table is missing constraint "
                                               "\"events_n_check\"" },
        { q_attach_index_unlike, "cannot attach index \"old_id\" as a partition of index "
                                 "\"ev_n\": their definitions differ" },
        { q_attach_index_not_a_partitions, "\"kids_by_b\" is not an index of a partition of "
                                           "\"events\"" },
        { q_attach_index_twice, "another index is already attached for partition "
                                "\"events_old\"" },
        { q_attach_index_of_a_plain_table, "\"kids_by_b\" is not an index of a partitioned "
                                           "table" },
        { q_attach_check_unlike, "child table \"lone\" has different definition for check "
                                 "constraint \"events_n_check\"" },
        { q_check_down_unlike, "constraint \"small\" for relation \"p\" already exists" },
        { q_expression_key_with_a_key, "unsupported PRIMARY KEY with partition key "
                                       "definition (an expression)" },
        { q_exclusion_added, "exclusion constraints are not supported on partitioned "
                             "tables" },
        { q_generated_key, "cannot use generated column in partition key" },
        { q_hash_default, "a hash-partitioned table may not have a default partition" },
        { q_partition_of_nothing, "create_partition \"p\": table \"nope\" does not exist" },
        { q_partition_named_as_a_type, "type \"mood\" already exists" },
        { q_primary_key_down, "multiple primary keys for table \"t1\" are not allowed" },
        { q_share_renamed_onto_a_name, "relation \"kids_by_b\" already exists" },
        { q_attach_to_nothing, "table \"nope\" does not exist" },
        { q_attach_nothing, "table \"nope\" does not exist" },
        { q_attach_itself, "cannot attach a table as a partition of itself" },
        { q_attach_a_parent, "cannot attach a parent of \"events_2026_eu\" as its "
                             "partition" },
        { q_attach_missing_a_column, "child table is missing column \"n\"" },
        { q_attach_trigger_taken, "trigger \"tr\" for relation \"lone\" already exists" },
        { q_attach_identity, "table \"lone\" being attached has an identity column "
                             "\"id\"" },
        { q_attach_other_primary_key, "multiple primary keys for table \"lone\" are not "
                                      "allowed" },
        { q_detach_from_nothing, "table \"nope\" does not exist" },
        { q_detach_nothing, "table \"nope\" does not exist" },
        { q_attach_to_no_index, "index \"nope\" does not exist" },
        { q_attach_no_index, "index \"nope\" does not exist (an index of a partition of "
                             "its own)" },
        { q_key_without_subkey, "primary key on partitioned table must include all "
                                "partitioning columns (\"region\" of \"events_2026\"" },
    };

    assert_refusals(up_tables, up_partitions, cases, sizeof(cases) / sizeof(*cases));
}
END_TEST

OBJ_CASE(p_taken, pcsm_create_composite_type(op, "offers", PCSM_ATTRIBUTES(
         { .name = "a", .type = PCSM_INTEGER })))
OBJ_CASE(p_index_named_alike, pcsm_create_index(op, &(pcsm_index){
         .name = "price", .table = "offers", .columns = PCSM_NAMES("id") }))
OBJ_CASE(p_missing, pcsm_add_attribute(op, "nope", &(pcsm_attribute){ .name = "a",
                                                                       .type = PCSM_TEXT }))
OBJ_CASE(p_a_domain, pcsm_drop_attribute(op, "cents", "a", 0))
OBJ_CASE(p_attribute_twice, pcsm_add_attribute(op, "price", &(pcsm_attribute){
         .name = "amount", .type = PCSM_TEXT }))
OBJ_CASE(p_attribute_missing, pcsm_drop_attribute(op, "price", "nope", 0))
OBJ_CASE(p_rename_taken, pcsm_rename_attribute(op, "price", "amount", "currency"))
OBJ_CASE(p_retyped_in_use, pcsm_alter_attribute_type(op, "price", "amount", PCSM_INTEGER,
                                                     NULL))
OBJ_CASE(p_drop_in_use, pcsm_drop_type(op, "price", 0))
OBJ_CASE(p_drop_domain_of_attribute, pcsm_drop_domain(op, "cents", 0))
OBJ_CASE(p_drop_domain_a_composite, pcsm_drop_domain(op, "price", 0))
/* A column of a composite type holding this one holds it too (the server looks as deep). */
OBJ_CASE(p_retyped_nested,
         pcsm_create_composite_type(op, "inner1", PCSM_ATTRIBUTES({ .name = "v",
                                                                    .type = PCSM_INTEGER }));
         pcsm_create_domain(op, &(pcsm_domain){ .name = "inner_d",
                                                .type = PCSM_NAMED_TYPE("inner1") });
         pcsm_create_composite_type(op, "outer1", PCSM_ATTRIBUTES({
             .name = "i", .type = PCSM_NAMED_TYPE("inner_d") }));
         pcsm_add_column(op, "offers", &(pcsm_column){ .name = "nested",
                                                       .type = PCSM_NAMED_TYPE("outer1") });
         pcsm_alter_attribute_type(op, "inner1", "v", PCSM_BIGINT, NULL))
OBJ_CASE(p_drop_domain_a_table, pcsm_drop_domain(op, "offers", PCSM_IF_EXISTS))

START_TEST(test_schema_refuses_what_the_server_would_composites)
{
    static const struct refusal cases[] = {
        { p_taken, "type \"offers\" already exists" },
        { p_index_named_alike, "relation \"price\" already exists" },
        { p_missing, "alter_composite_type \"nope\": type \"nope\" does not exist" },
        { p_a_domain, "\"cents\" is not a composite type" },
        { p_attribute_twice, "column \"amount\" of relation \"price\" already exists" },
        { p_attribute_missing, "column \"nope\" of relation \"price\" does not exist" },
        { p_rename_taken, "column \"currency\" of relation \"price\" already exists" },
        { p_retyped_in_use, "cannot alter type \"price\" because column \"offers.p\" uses it" },
        { p_drop_in_use, "column \"p\" of \"offers\" is of this type (drop it, or CASCADE)" },
        { p_drop_domain_of_attribute, "attribute \"amount\" of type \"price\" is of this type "
                                      "(drop it, or CASCADE)" },
        { p_drop_domain_a_composite, "drop_domain \"price\": \"price\" is not a domain" },
        { p_retyped_nested, "cannot alter type \"inner1\" because column \"offers.nested\" uses "
                            "it" },
        { p_drop_domain_a_table, "\"offers\" is not a domain" },
    };

    assert_refusals(up_composites, NULL, cases, sizeof(cases) / sizeof(*cases));
}
END_TEST

static void up_views_drop_cascade(pcsm_op *op)
{
    pcsm_drop_table(op, "items", PCSM_DROP_CASCADE);
}

static void up_views_drop_view(pcsm_op *op)
{
    pcsm_drop_view(op, "cheap", PCSM_DROP_CASCADE);
    pcsm_drop_materialized_view(op, "per_kind", 0);
    pcsm_drop_view(op, "cheap", PCSM_IF_EXISTS);
}

START_TEST(test_schema_views_go_with_what_they_read)
{
    static const pcsm_revision revs[] = {
        REV("r1", no_parents, 0, up_views), REV("r2", after_r1, 1, up_views_drop_cascade),
    };
    static const pcsm_revision revs2[] = {
        REV("r1", no_parents, 0, up_views), REV("r2", after_r1, 1, up_views_drop_view),
    };

    ck_assert_msg(declare(revs, 2) == 0, "%s", pcsm_error_last(ctx)->message);
    /* The views, the one reading a view too, and the materialized view's index. */
    ck_assert_uint_eq(model->n_views, 0);
    ck_assert_uint_eq(model->n_indexes, 0);
    teardown();
    ck_assert_msg(declare(revs2, 2) == 0, "%s", pcsm_error_last(ctx)->message);
    ck_assert_uint_eq(model->n_views, 0);
    ck_assert_uint_eq(model->n_indexes, 0);
    ck_assert_ptr_nonnull(pcsm_schema__table(model, "items"));
}
END_TEST

static void up_view_no_reads(pcsm_op *op)
{
    pcsm_create_table(op, "loose", PCSM_COLUMNS({ .name = "id", .type = PCSM_INTEGER }), NULL,
                      NULL);
    pcsm_create_view(op, &(pcsm_view){ .name = "v", .query = "SELECT id FROM loose" });
    /* Would the server refuse it?  Only it knows: the model does not guess. */
    pcsm_drop_table(op, "loose", 0);
}

static void up_column_renamed_under_view(pcsm_op *op)
{
    pcsm_rename_column(op, "items", "kind", "sort");
}

START_TEST(test_schema_view_without_reads_is_not_verified)
{
    static const pcsm_revision revs[] = {
        REV("r1", no_parents, 0, up_views), REV("r2", after_r1, 1, up_view_no_reads),
    };
    static const pcsm_revision revs2[] = {
        REV("r1", no_parents, 0, up_views), REV("r2", after_r1, 1,
                                                 up_column_renamed_under_view),
    };

    ck_assert_msg(declare(revs, 2) == 0, "%s", pcsm_error_last(ctx)->message);
    ck_assert_ptr_nonnull(pcsm_schema__view(model, "v"));
    ck_assert_uint_eq(pcsm_schema_opaque_count(model), 1);
    ck_assert_str_eq(model->opaque[0].summary,
                     "view \"v\" without reads: what its query reads is not known");
    ck_assert(pcsm_schema__mentioned(model, "v"));
    ck_assert(pcsm_schema__mentioned(model, "loose"));
    ck_assert_msg(strstr(sql.ptr, "-- not in this model: revision r2, operation 2, raw SQL: "
                         "view \"v\" without reads"), "%s", sql.ptr);
    teardown();
    /* A column renamed under views that read its table: their query text is stale. */
    ck_assert_msg(declare(revs2, 2) == 0, "%s", pcsm_error_last(ctx)->message);
    ck_assert_uint_eq(pcsm_schema_opaque_count(model), 1);
    ck_assert(pcsm_schema__mentioned(model, "cheap"));
    ck_assert(pcsm_schema__mentioned(model, "per_kind"));
    ck_assert(!pcsm_schema__mentioned(model, "cheap_kinds"));
}
END_TEST

OBJ_CASE(v_drop_read_table, pcsm_drop_table(op, "items", 0))
OBJ_CASE(v_drop_read_view, pcsm_drop_view(op, "cheap", 0))
OBJ_CASE(v_drop_view_as_table, pcsm_drop_table(op, "cheap", 0))
OBJ_CASE(v_drop_matview_as_view, pcsm_drop_view(op, "per_kind", PCSM_IF_EXISTS))
OBJ_CASE(v_drop_table_as_view, pcsm_drop_view(op, "items", 0))
OBJ_CASE(v_drop_missing, pcsm_drop_materialized_view(op, "nope", 0))
OBJ_CASE(v_taken, pcsm_create_view(op, &(pcsm_view){ .name = "items", .query = "SELECT 1" }))
OBJ_CASE(v_replace_table, pcsm_create_view(op, &(pcsm_view){
             .name = "items", .query = "SELECT 1", .or_replace = true }))
OBJ_CASE(v_replace_matview, pcsm_create_view(op, &(pcsm_view){
             .name = "per_kind", .query = "SELECT 1", .or_replace = true }))
OBJ_CASE(v_replace_drops_column, pcsm_create_view(op, &(pcsm_view){
             .name = "cheap_kinds", .columns = PCSM_NAMES("k"), .query = "SELECT 1",
             .or_replace = true }))
OBJ_CASE(v_reads_missing, pcsm_create_view(op, &(pcsm_view){
             .name = "w", .query = "SELECT 1 FROM nope", .reads = PCSM_NAMES("nope") }))
OBJ_CASE(v_type_taken, pcsm_create_enum(op, "cheap", PCSM_LABELS("a")))
OBJ_CASE(v_index_on_view, pcsm_create_index(op, &(pcsm_index){
             .name = "ix", .table = "cheap", .columns = PCSM_NAMES("id") }))
OBJ_CASE(v_index_missing_column, pcsm_create_index(op, &(pcsm_index){
             .name = "ix", .table = "per_kind", .columns = PCSM_NAMES("nope") }))
OBJ_CASE(v_refresh_view, pcsm_refresh_materialized_view(op, "cheap", 0))
OBJ_CASE(v_refresh_unpopulated, pcsm_refresh_materialized_view(op, "per_kind",
                                                               PCSM_REFRESH_CONCURRENTLY))
OBJ_CASE(v_refresh_no_key, pcsm_drop_index(op, "per_kind_kind", 0);
         pcsm_refresh_materialized_view(op, "per_kind", 0);
         pcsm_create_index(op, &(pcsm_index){ .name = "partial", .table = "per_kind",
                                              .columns = PCSM_NAMES("kind"), .unique = true,
                                              .where = "n > 1" });
         pcsm_refresh_materialized_view(op, "per_kind", PCSM_REFRESH_CONCURRENTLY))
OBJ_CASE(v_rename_taken, pcsm_rename_view(op, "cheap", "items"))
OBJ_CASE(v_rename_wrong_kind, pcsm_rename_materialized_view(op, "cheap", "x"))

START_TEST(test_schema_refuses_what_the_server_would_views)
{
    static const struct {
        pcsm_migration_fn up;
        const char *message;
    } cases[] = {
        { v_drop_read_table, "revision r2 (t.c), operation 1, drop_table \"items\": view "
                             "\"cheap\" depends on it (drop it first, or CASCADE)" },
        { v_drop_read_view, "drop_view \"cheap\": view \"cheap_kinds\" depends on it" },
        { v_drop_view_as_table, "\"cheap\" is not a table (drop_view, drop_materialized_view)" },
        { v_drop_matview_as_view, "\"per_kind\" is not a view" },
        { v_drop_table_as_view, "\"items\" is not a view" },
        { v_drop_missing, "materialized view \"nope\" does not exist" },
        { v_taken, "relation \"items\" already exists" },
        { v_replace_table, "\"items\" is not a view" },
        { v_replace_matview, "\"per_kind\" is not a view" },
        { v_replace_drops_column, "cannot change name of view column \"kind\" to \"k\"" },
        { v_reads_missing, "relation \"nope\" does not exist (the query reads it)" },
        { v_type_taken, "type \"cheap\" already exists" },
        { v_index_on_view, "cannot create index on view \"cheap\"" },
        { v_index_missing_column, "column \"nope\" of \"per_kind\" does not exist" },
        { v_refresh_view, "\"cheap\" is not a materialized view" },
        { v_refresh_unpopulated, "CONCURRENTLY cannot be used when the materialized view is "
                                 "not populated" },
        { v_refresh_no_key, "cannot refresh materialized view \"per_kind\" concurrently" },
        { v_rename_taken, "relation \"items\" already exists" },
        { v_rename_wrong_kind, "\"cheap\" is not a materialized view" },
    };
    size_t i;

    for (i = 0; i < sizeof(cases) / sizeof(*cases); i++) {
        pcsm_revision revs[] = {
            REV("r1", no_parents, 0, up_views), REV("r2", after_r1, 1, cases[i].up),
        };

        ck_assert_int_eq(declare(revs, 2), PCSM_EMIGRATION);
        ck_assert_ptr_null(model);
        ck_assert_msg(strstr(pcsm_error_last(ctx)->message, cases[i].message),
                      "case %zu: %s", i, pcsm_error_last(ctx)->message);
        teardown();
    }
}
END_TEST

START_TEST(test_schema_refuses_what_the_server_would_breadth)
{
    static const struct refusal cases[] = {
        { b_generated_reads_generated, "cannot use generated column \"gross\" in column "
                                       "generation expression" },
        { b_drop_read_by_generated, "drop_column \"tickets\": generated column \"gross\" "
                                    "depends on it (drop it, or CASCADE)" },
        { b_retype_read_by_generated, "cannot alter type of a column used by a generated "
                                      "column (\"gross\")" },
        { b_default_on_identity, "column \"id\" of relation \"tickets\" is an identity "
                                 "column" },
        { b_drop_default_on_generated, "column \"gross\" of relation \"tickets\" is a "
                                       "generated column" },
        { b_drop_not_null_identity, "column \"n\" of relation \"legacy\" is an identity "
                                    "column" },
        { b_identity_twice, "is already an identity column" },
        { b_identity_nullable, "must be declared NOT NULL before identity can be added" },
        { b_identity_with_default, "column \"no\" of relation \"tickets\" already has a "
                                   "default value" },
        { b_identity_text, "identity column type must be smallint, integer, or bigint" },
        { b_identity_range, "must be declared NOT NULL" },
        { b_drop_identity_none, "column \"price\" of relation \"tickets\" is not an "
                                "identity column" },
        { b_set_identity_none, "column \"price\" of relation \"tickets\" is not an "
                               "identity column" },
        { b_identity_retype_text, "identity column type must be smallint, integer, or bigint" },
        { b_sequence_taken, "create_sequence \"tickets\": relation \"tickets\" already "
                            "exists" },
        { b_sequence_owner_missing, "column \"nope\" of \"tickets\" does not exist" },
        { b_drop_sequence_in_use, "default value for column \"no\" of table \"tickets\" "
                                  "depends on it (drop the default, or CASCADE)" },
        { b_drop_identity_sequence, "cannot drop sequence \"tickets_id_seq\" because column "
                                    "\"id\" of table \"tickets\" requires it" },
        { b_drop_sequence_missing, "sequence \"nope\" does not exist" },
        { b_alter_sequence_bounds, "START value (1000) cannot be greater than MAXVALUE (999)" },
        { b_alter_sequence_restart, "RESTART value (0) cannot be less than MINVALUE (1)" },
        { b_owner_of_identity, "cannot change ownership of identity sequence" },
        { b_rename_sequence_taken, "relation \"tickets_id_seq\" already exists" },
        { b_nextval_missing, "column \"price\": default: relation \"nope\" does not exist" },
        { b_identity_sequence_taken, "relation \"tickets_id_seq\" already exists" },
    };

    assert_refusals(up_breadth, NULL, cases, sizeof(cases) / sizeof(*cases));
}
END_TEST

START_TEST(test_schema_signature_is_the_input_types)
{
    static const struct {
        const char *arguments, *want;
    } cases[] = {
        { "", "" },
        { "  ", "" },
        { "integer", "integer" },
        { "a integer, b text", "integer,text" },
        { "A INT, B Int4", "integer,integer" },
        { "IN a int8, OUT b text, INOUT c bool", "bigint,boolean" },
        { "a OUT integer, b IN text", "text" },
        { "VARIADIC xs int[]", "integer[]" },
        { "a varchar(10) DEFAULT 'x, y', b numeric (10, 2) = 0", "character varying,numeric" },
        { "double precision, d double precision", "double precision,double precision" },
        { "t timestamp with time zone, timestamptz", "timestamp with time zone,"
                                                     "timestamp with time zone" },
        { "c character varying(3)[], character(1)", "character varying[],character" },
        { "m \"Mood\", \"Mood\"[]", "\"Mood\",\"Mood\"[]" },
        { "x \"has, comma\"", "\"has, comma\"" },
        { "\"X\" int, y int DEFAULT 2, OUT z int", "integer,integer" },
        { "  a\n\tinteger  ,\n b  text  ", "integer,text" },
    };
    size_t i;

    for (i = 0; i < sizeof(cases) / sizeof(*cases); i++) {
        char *got = pcsm_schema__signature(cases[i].arguments);

        ck_assert_msg(!strcmp(got, cases[i].want), "[%s]: got [%s], want [%s]",
                      cases[i].arguments, got, cases[i].want);
        free(got);
    }
    {
        char **names = pcsm_schema__argument_names("\"X\" int, integer, OUT z int, Y text");

        ck_assert_str_eq(names[0], "X");
        ck_assert_str_eq(names[1], "");
        ck_assert_str_eq(names[2], "y");
        ck_assert_ptr_null(names[3]);
        pcsm_schema__free_names(names);
    }
    {
        char *got = pcsm_schema__type_identity("SETOF Int4");

        ck_assert_str_eq(got, "setof integer");
        free(got);
    }
}
END_TEST

/* ------------------------------------------------------ table inheritance */

static void up_inherit(pcsm_op *op)
{
    pcsm_create_table(op, "animals", PCSM_COLUMNS(
        { .name = "id", .type = PCSM_INTEGER, .not_null = true },
        { .name = "name", .type = PCSM_TEXT, .default_value = PCSM_LITERAL("x") }),
        PCSM_CONSTRAINTS({ .kind = PCSM_CHECK, .name = "animals_id_check", .check = "id > 0" }),
        NULL);
    pcsm_create_table(op, "pets", PCSM_COLUMNS({ .name = "owner", .type = PCSM_TEXT }), NULL,
                      NULL);
    /* name is merged into the inherited column, where it stands; breed is its own. */
    pcsm_create_table_inherits(op, "dogs", PCSM_NAMES("animals", "pets"), PCSM_COLUMNS(
        { .name = "name", .type = PCSM_TEXT, .not_null = true },
        { .name = "breed", .type = PCSM_TEXT }),
        PCSM_CONSTRAINTS({ .kind = PCSM_CHECK, .check = "breed <> ''" }), NULL);
    pcsm_create_table_inherits(op, "puppies", PCSM_NAMES("dogs"), NULL, NULL, NULL);
    pcsm_create_table(op, "cats", PCSM_COLUMNS(
        { .name = "id", .type = PCSM_INTEGER, .not_null = true },
        { .name = "name", .type = PCSM_TEXT }, { .name = "lives", .type = PCSM_INTEGER }),
        PCSM_CONSTRAINTS({ .kind = PCSM_CHECK, .name = "animals_id_check", .check = "id > 0" }),
        NULL);
    pcsm_inherit(op, "cats", "animals");
}

static void up_inherit_changes(pcsm_op *op)
{
    pcsm_add_column(op, "animals", &(pcsm_column){ .name = "age", .type = PCSM_INTEGER,
                                                   .default_value = PCSM_EXPR("0") });
    pcsm_add_column(op, "animals", &(pcsm_column){ .name = "lives", .type = PCSM_INTEGER });
    pcsm_rename_column(op, "animals", "name", "label");
    pcsm_alter_column_type(op, "animals", "age", PCSM_BIGINT, NULL);
    pcsm_add_constraint(op, "animals", &(pcsm_constraint){ .kind = PCSM_CHECK,
                                                           .name = "age_ok",
                                                           .check = "age >= 0" });
    pcsm_drop_column(op, "animals", "lives", 0);
    pcsm_no_inherit(op, "cats", "animals");
    pcsm_drop_constraint(op, "animals", "animals_id_check", 0);
    pcsm_rename_table(op, "animals", "beasts");
}

/* The names of table's columns, in order, each with * when only inherited. */
static void assert_columns(const char *table, const char *want)
{
    const struct pcsm_schema_table *t = pcsm_schema__table(model, table);
    pcsm_buf got = PCSM_BUF_INIT;
    size_t i;

    for (i = 0; i < t->n_columns; i++)
        pcsm_buf_printf(&got, "%s%s%s", i ? " " : "", t->columns[i].name,
                        t->columns[i].inherited_only ? "*" : "");
    ck_assert_str_eq(got.ptr ? got.ptr : "", want);
    pcsm_buf_dispose(&got);
}

START_TEST(test_schema_inheritance)
{
    static const pcsm_revision revs[] = {
        REV("r1", no_parents, 0, up_inherit), REV("r2", after_r1, 1, up_inherit_changes),
    };
    const char *animals, *dogs, *puppies;

    ck_assert_msg(declare(revs, 1) == 0, "%s", pcsm_error_last(ctx)->message);
    assert_columns("dogs", "id* name owner* breed");
    assert_columns("puppies", "id* name* owner* breed*");
    assert_columns("cats", "id name lives");
    ck_assert(col("dogs", "id")->not_null);
    ck_assert(col("dogs", "name")->not_null);
    ck_assert_str_eq(col("dogs", "name")->default_value.text, "x");
    ck_assert(constraint("dogs", "animals_id_check")->inherited_only);
    ck_assert(!constraint("dogs", "dogs_breed_check")->inherited_only);
    ck_assert(constraint("puppies", "dogs_breed_check")->inherited_only);
    ck_assert(!constraint("cats", "animals_id_check")->inherited_only);
    ck_assert_str_eq(pcsm_schema__table(model, "cats")->inherits[0], "animals");
    /* Printed: the parents first, only the columns and CHECKs of its own. */
    animals = strstr(sql.ptr, "CREATE TABLE \"animals\"");
    dogs = strstr(sql.ptr, "CREATE TABLE \"dogs\" (\n    \"name\" text DEFAULT 'x' NOT NULL,\n"
                           "    \"breed\" text,\n    CONSTRAINT \"dogs_breed_check\" CHECK "
                           "(breed <> '')\n) INHERITS (\"animals\", \"pets\");\n");
    puppies = strstr(sql.ptr, "CREATE TABLE \"puppies\" () INHERITS (\"dogs\");\n");
    ck_assert_msg(animals && dogs && puppies && animals < dogs && dogs < puppies, "%s",
                  sql.ptr);
    /* ALTER TABLE INHERIT gave cats no default; INHERITS would. */
    ck_assert_msg(strstr(sql.ptr, ") INHERITS (\"animals\");\nALTER TABLE \"cats\" ALTER COLUMN "
                                  "\"name\" DROP DEFAULT;\n"), "%s", sql.ptr);
    teardown();

    ck_assert_msg(declare(revs, 2) == 0, "%s", pcsm_error_last(ctx)->message);
    ck_assert_ptr_null(pcsm_schema__table(model, "animals"));
    assert_columns("beasts", "id label age");
    /* Its parents' first, as INHERITS makes them (and pg_dump shows them). */
    assert_columns("dogs", "id* label age* owner* breed");
    assert_columns("puppies", "id* label* age* owner* breed*");
    /* Its own lives stays; no longer a child, what it had of animals is its own. */
    assert_columns("cats", "id label lives age");
    ck_assert_ptr_null(pcsm_schema__table(model, "cats")->inherits);
    ck_assert_int_eq(col("puppies", "age")->type.kind, PCSM_TYPE_BIGINT);
    ck_assert_int_eq(col("cats", "age")->type.kind, PCSM_TYPE_BIGINT);
    ck_assert_str_eq(col("dogs", "age")->default_value.text, "0");
    ck_assert(constraint("puppies", "age_ok")->inherited_only);
    ck_assert(!constraint("cats", "age_ok")->inherited_only);
    ck_assert_ptr_null(constraint("dogs", "animals_id_check"));
    ck_assert_ptr_null(constraint("puppies", "animals_id_check"));
    ck_assert_ptr_nonnull(constraint("cats", "animals_id_check"));
    ck_assert_str_eq(pcsm_schema__table(model, "dogs")->inherits[0], "beasts");
    ck_assert_str_eq(pcsm_schema__table(model, "dogs")->inherits[1], "pets");
}
END_TEST

static void up_generated_parent(pcsm_op *op, const pcsm_column *own)
{
    pcsm_create_table(op, "gen", PCSM_COLUMNS({ .name = "a", .type = PCSM_INTEGER },
                                              { .name = "b", .type = PCSM_INTEGER,
                                                .generated = "a * 2" }), NULL, NULL);
    pcsm_create_table_inherits(op, "x", PCSM_NAMES("gen"), own, NULL, NULL);
}

static void up_generated_merged(pcsm_op *op)
{
    up_generated_parent(op, PCSM_COLUMNS({ .name = "b", .type = PCSM_INTEGER }));
}

START_TEST(test_schema_inheritance_generated)
{
    static const pcsm_revision revs[] = { REV("r1", no_parents, 0, up_generated_merged) };

    ck_assert_msg(declare(revs, 1) == 0, "%s", pcsm_error_last(ctx)->message);
    assert_columns("x", "a* b");
    ck_assert_str_eq(col("x", "b")->generated, "a * 2");
}
END_TEST

static void up_inherit_dropped(pcsm_op *op)
{
    pcsm_drop_table(op, "animals", PCSM_DROP_CASCADE);
}

START_TEST(test_schema_inheritance_cascade)
{
    static const pcsm_revision revs[] = {
        REV("r1", no_parents, 0, up_inherit), REV("r2", after_r1, 1, up_inherit_dropped),
    };

    ck_assert_msg(declare(revs, 2) == 0, "%s", pcsm_error_last(ctx)->message);
    ck_assert_uint_eq(model->n_tables, 1);
    ck_assert_ptr_nonnull(pcsm_schema__table(model, "pets"));
}
END_TEST

static void up_drop_inherited_column(pcsm_op *op) { pcsm_drop_column(op, "dogs", "id", 0); }
static void up_rename_inherited_column(pcsm_op *op)
{
    pcsm_rename_column(op, "puppies", "breed", "kind");
}
static void up_retype_inherited_column(pcsm_op *op)
{
    pcsm_alter_column_type(op, "dogs", "owner", PCSM_VARCHAR(10), NULL);
}
static void up_drop_inherited_check(pcsm_op *op)
{
    pcsm_drop_constraint(op, "puppies", "dogs_breed_check", 0);
}
static void up_rename_inherited_check(pcsm_op *op)
{
    pcsm_rename_constraint(op, "dogs", "animals_id_check", "other");
}
static void up_drop_parent(pcsm_op *op) { pcsm_drop_table(op, "animals", 0); }
static void up_inherit_circle(pcsm_op *op) { pcsm_inherit(op, "dogs", "puppies"); }
static void up_inherit_missing_column(pcsm_op *op) { pcsm_inherit(op, "pets", "animals"); }
static void up_inherit_twice(pcsm_op *op) { pcsm_inherit(op, "cats", "animals"); }
static void up_no_inherit_stranger(pcsm_op *op) { pcsm_no_inherit(op, "puppies", "animals"); }
static void up_inherit_nothing(pcsm_op *op)
{
    pcsm_create_table_inherits(op, "x", PCSM_NAMES("nope"), NULL, NULL, NULL);
}
static void up_inherit_type_conflict(pcsm_op *op)
{
    pcsm_create_table_inherits(op, "x", PCSM_NAMES("animals"),
                               PCSM_COLUMNS({ .name = "id", .type = PCSM_TEXT }), NULL, NULL);
}
static void up_inherit_parents_conflict(pcsm_op *op)
{
    pcsm_create_table(op, "named", PCSM_COLUMNS({ .name = "name", .type = PCSM_VARCHAR(5) }),
                      NULL, NULL);
    pcsm_create_table_inherits(op, "x", PCSM_NAMES("animals", "named"), NULL, NULL, NULL);
}
static void up_inherit_defaults_conflict(pcsm_op *op)
{
    pcsm_create_table(op, "named", PCSM_COLUMNS({ .name = "name", .type = PCSM_TEXT,
                                                  .default_value = PCSM_LITERAL("y") }),
                      NULL, NULL);
    pcsm_create_table_inherits(op, "x", PCSM_NAMES("animals", "named"), NULL, NULL, NULL);
}
static void up_inherit_check_conflict(pcsm_op *op)
{
    pcsm_create_table_inherits(op, "x", PCSM_NAMES("animals"), NULL,
        PCSM_CONSTRAINTS({ .kind = PCSM_CHECK, .name = "animals_id_check", .check = "id > 1" }),
        NULL);
}
static void up_inherit_check_missing(pcsm_op *op)
{
    pcsm_create_table(op, "x", PCSM_COLUMNS({ .name = "id", .type = PCSM_INTEGER,
                                              .not_null = true },
                                            { .name = "name", .type = PCSM_TEXT }), NULL, NULL);
    pcsm_inherit(op, "x", "animals");
}
static void up_inherit_not_null(pcsm_op *op)
{
    pcsm_create_table(op, "x", PCSM_COLUMNS({ .name = "id", .type = PCSM_INTEGER },
                                            { .name = "name", .type = PCSM_TEXT }),
        PCSM_CONSTRAINTS({ .kind = PCSM_CHECK, .name = "animals_id_check", .check = "id > 0" }),
        NULL);
    pcsm_inherit(op, "x", "animals");
}
static void up_inherit_partitioned(pcsm_op *op)
{
    pcsm_create_partitioned_table(op, "parted", PCSM_PARTITION_BY(PCSM_PARTITION_LIST,
                                                                   { .column = "id" }),
                                  PCSM_COLUMNS({ .name = "id", .type = PCSM_INTEGER }), NULL,
                                  NULL);
    pcsm_create_table_inherits(op, "x", PCSM_NAMES("parted"), NULL, NULL, NULL);
}
static void up_add_column_type_clash(pcsm_op *op)
{
    pcsm_add_column(op, "animals", &(pcsm_column){ .name = "lives", .type = PCSM_TEXT });
}
static void up_inherit_no_table(pcsm_op *op) { pcsm_inherit(op, "nope", "animals"); }
static void up_inherit_no_parent(pcsm_op *op) { pcsm_inherit(op, "cats", "nope"); }
static void up_no_inherit_no_parent(pcsm_op *op) { pcsm_no_inherit(op, "dogs", "nope"); }
static void up_parted_and_part(pcsm_op *op)
{
    pcsm_create_partitioned_table(op, "parted", PCSM_PARTITION_BY(PCSM_PARTITION_LIST,
                                                                   { .column = "id" }),
                                  PCSM_COLUMNS({ .name = "id", .type = PCSM_INTEGER,
                                                 .not_null = true },
                                               { .name = "name", .type = PCSM_TEXT }),
                                  PCSM_CONSTRAINTS({ .kind = PCSM_CHECK,
                                                     .name = "animals_id_check",
                                                     .check = "id > 0" }), NULL);
    pcsm_create_partition(op, &(pcsm_partition){ .name = "part", .parent = "parted",
                                                 .bound = "DEFAULT" });
}
static void up_inherit_partitioned_child(pcsm_op *op)
{
    up_parted_and_part(op);
    pcsm_inherit(op, "parted", "animals");
}
static void up_inherit_partition_child(pcsm_op *op)
{
    up_parted_and_part(op);
    pcsm_inherit(op, "part", "animals");
}
static void up_no_inherit_partition(pcsm_op *op)
{
    up_parted_and_part(op);
    pcsm_no_inherit(op, "part", "parted");
}
static void up_inherit_from_partition(pcsm_op *op)
{
    up_parted_and_part(op);
    pcsm_inherit(op, "cats", "part");
}
static void up_inherit_from_partitioned(pcsm_op *op)
{
    up_parted_and_part(op);
    pcsm_inherit(op, "cats", "parted");
}
static void up_create_from_partition(pcsm_op *op)
{
    up_parted_and_part(op);
    pcsm_create_table_inherits(op, "x", PCSM_NAMES("part"), NULL, NULL, NULL);
}
static void up_inherit_other_type(pcsm_op *op)
{
    pcsm_create_table(op, "x", PCSM_COLUMNS({ .name = "id", .type = PCSM_BIGINT,
                                              .not_null = true },
                                            { .name = "name", .type = PCSM_TEXT }), NULL, NULL);
    pcsm_inherit(op, "x", "animals");
}
static void up_inherit_other_collation(pcsm_op *op)
{
    pcsm_create_table(op, "x", PCSM_COLUMNS({ .name = "id", .type = PCSM_INTEGER,
                                              .not_null = true },
                                            { .name = "name", .type = PCSM_TEXT,
                                              .collation = "C" }), NULL, NULL);
    pcsm_inherit(op, "x", "animals");
}
static void up_inherit_other_check(pcsm_op *op)
{
    pcsm_create_table(op, "x", PCSM_COLUMNS({ .name = "id", .type = PCSM_INTEGER,
                                              .not_null = true },
                                            { .name = "name", .type = PCSM_TEXT }),
        PCSM_CONSTRAINTS({ .kind = PCSM_CHECK, .name = "animals_id_check", .check = "id > 1" }),
        NULL);
    pcsm_inherit(op, "x", "animals");
}
static void up_inherit_collation_conflict(pcsm_op *op)
{
    pcsm_create_table(op, "named", PCSM_COLUMNS({ .name = "name", .type = PCSM_TEXT,
                                                  .collation = "C" }), NULL, NULL);
    pcsm_create_table_inherits(op, "x", PCSM_NAMES("animals", "named"), NULL, NULL, NULL);
}
static void up_inherit_own_collation_conflict(pcsm_op *op)
{
    pcsm_create_table_inherits(op, "x", PCSM_NAMES("animals"),
                               PCSM_COLUMNS({ .name = "name", .type = PCSM_TEXT,
                                              .collation = "C" }), NULL, NULL);
}
static void up_inherit_checks_conflict(pcsm_op *op)
{
    pcsm_create_table(op, "other", PCSM_COLUMNS({ .name = "id", .type = PCSM_INTEGER }),
        PCSM_CONSTRAINTS({ .kind = PCSM_CHECK, .name = "animals_id_check", .check = "id > 9" }),
        NULL);
    pcsm_create_table_inherits(op, "x", PCSM_NAMES("animals", "other"), NULL, NULL, NULL);
}
static void up_generated_given_default(pcsm_op *op)
{
    up_generated_parent(op, PCSM_COLUMNS({ .name = "b", .type = PCSM_INTEGER,
                                           .default_value = PCSM_EXPR("5") }));
}
static void up_generated_given_expression(pcsm_op *op)
{
    up_generated_parent(op, PCSM_COLUMNS({ .name = "b", .type = PCSM_INTEGER,
                                           .generated = "a * 3" }));
}
static void up_two_parents_of_a(pcsm_op *op)
{
    pcsm_create_table(op, "m1", PCSM_COLUMNS({ .name = "a", .type = PCSM_INTEGER }),
        PCSM_CONSTRAINTS({ .kind = PCSM_CHECK, .name = "k", .check = "a > 0" }), NULL);
    pcsm_create_table(op, "m2", PCSM_COLUMNS({ .name = "a", .type = PCSM_INTEGER }),
        PCSM_CONSTRAINTS({ .kind = PCSM_CHECK, .name = "k", .check = "a > 0" }), NULL);
    pcsm_create_table_inherits(op, "mc", PCSM_NAMES("m1", "m2"), NULL, NULL, NULL);
}
static void up_rename_reaching_half(pcsm_op *op)
{
    up_two_parents_of_a(op);
    pcsm_rename_column(op, "m1", "a", "b");
}
static void up_retype_reaching_half(pcsm_op *op)
{
    up_two_parents_of_a(op);
    pcsm_alter_column_type(op, "m1", "a", PCSM_BIGINT, NULL);
}
static void up_rename_check_reaching_half(pcsm_op *op)
{
    up_two_parents_of_a(op);
    pcsm_rename_constraint(op, "m1", "k", "k2");
}
static void up_own_column_default_collation(pcsm_op *op)
{
    pcsm_create_table(op, "pc", PCSM_COLUMNS({ .name = "a", .type = PCSM_TEXT,
                                               .collation = "C" }), NULL, NULL);
    pcsm_create_table_inherits(op, "x", PCSM_NAMES("pc"),
                               PCSM_COLUMNS({ .name = "a", .type = PCSM_TEXT }), NULL, NULL);
}
static void up_inherit_not_generated(pcsm_op *op)
{
    pcsm_create_table(op, "gen", PCSM_COLUMNS({ .name = "a", .type = PCSM_INTEGER },
                                              { .name = "b", .type = PCSM_INTEGER,
                                                .generated = "a * 2" }), NULL, NULL);
    pcsm_create_table(op, "x", PCSM_COLUMNS({ .name = "a", .type = PCSM_INTEGER },
                                            { .name = "b", .type = PCSM_INTEGER }), NULL, NULL);
    pcsm_inherit(op, "x", "gen");
}
static void up_not_valid_child(pcsm_op *op)
{
    pcsm_create_table(op, "x", PCSM_COLUMNS({ .name = "id", .type = PCSM_INTEGER,
                                              .not_null = true },
                                            { .name = "name", .type = PCSM_TEXT }), NULL, NULL);
    pcsm_add_constraint(op, "x", &(pcsm_constraint){ .kind = PCSM_CHECK,
                                                     .name = "animals_id_check",
                                                     .check = "id > 0", .not_valid = true });
}
static void up_inherit_over_not_valid(pcsm_op *op)
{
    up_not_valid_child(op);
    pcsm_inherit(op, "x", "animals");
}
static void up_valid_check_over_not_valid(pcsm_op *op)
{
    pcsm_create_table_inherits(op, "x", PCSM_NAMES("pets"), NULL, NULL, NULL);
    pcsm_add_constraint(op, "x", &(pcsm_constraint){ .kind = PCSM_CHECK, .name = "o",
                                                     .check = "owner <> ''",
                                                     .not_valid = true });
    pcsm_add_constraint(op, "pets", &(pcsm_constraint){ .kind = PCSM_CHECK, .name = "o",
                                                        .check = "owner <> ''" });
}
static void up_attach_child(pcsm_op *op)
{
    up_parted_and_part(op);
    pcsm_create_table_inherits(op, "x", PCSM_NAMES("pets"),
                               PCSM_COLUMNS({ .name = "id", .type = PCSM_INTEGER,
                                              .not_null = true }), NULL, NULL);
    pcsm_attach_partition(op, "parted", "x", "FOR VALUES IN (1)");
}
static void up_attach_parent(pcsm_op *op)
{
    up_parted_and_part(op);
    pcsm_create_table(op, "y", PCSM_COLUMNS({ .name = "id", .type = PCSM_INTEGER,
                                              .not_null = true },
                                            { .name = "name", .type = PCSM_TEXT }),
        PCSM_CONSTRAINTS({ .kind = PCSM_CHECK, .name = "animals_id_check", .check = "id > 0" }),
        NULL);
    pcsm_create_table_inherits(op, "z", PCSM_NAMES("y"), NULL, NULL, NULL);
    pcsm_attach_partition(op, "parted", "y", "FOR VALUES IN (1)");
}
static void up_add_identity_to_parent(pcsm_op *op)
{
    pcsm_add_column(op, "pets", &(pcsm_column){ .name = "n", .type = PCSM_INTEGER,
                                                .not_null = true,
                                                .identity = PCSM_IDENTITY_ALWAYS });
}
static void up_add_check_clash(pcsm_op *op)
{
    pcsm_add_constraint(op, "pets", &(pcsm_constraint){ .kind = PCSM_CHECK,
                                                        .name = "dogs_breed_check",
                                                        .check = "owner <> ''" });
}

START_TEST(test_schema_refuses_what_the_server_would_inheritance)
{
    static const struct refusal cases[] = {
        { up_drop_inherited_column, "cannot drop inherited column \"id\"" },
        { up_rename_inherited_column, "cannot rename inherited column \"breed\"" },
        { up_retype_inherited_column, "cannot alter inherited column \"owner\"" },
        { up_drop_inherited_check, "cannot drop inherited constraint \"dogs_breed_check\" of "
                                   "relation \"puppies\"" },
        { up_rename_inherited_check, "cannot rename inherited constraint \"animals_id_check\"" },
        { up_drop_parent, "table \"dogs\" inherits from it (drop it, or CASCADE)" },
        { up_inherit_circle, "circular inheritance not allowed (\"puppies\" is already a child "
                             "of \"dogs\")" },
        { up_inherit_missing_column, "child table is missing column \"id\"" },
        { up_inherit_twice, "relation \"animals\" would be inherited from more than once" },
        { up_no_inherit_stranger, "relation \"animals\" is not a parent of relation \"puppies\"" },
        { up_inherit_nothing, "relation \"nope\" does not exist" },
        { up_inherit_type_conflict, "column \"id\" has a type conflict" },
        { up_inherit_parents_conflict, "inherited column \"name\" has a type conflict" },
        { up_inherit_defaults_conflict, "column \"name\" inherits conflicting default values" },
        { up_inherit_check_conflict, "constraint \"animals_id_check\" for relation \"x\" "
                                     "already exists" },
        { up_inherit_check_missing, "child table is missing constraint \"animals_id_check\"" },
        { up_inherit_not_null, "column \"id\" in child table must be marked NOT NULL" },
        { up_inherit_partitioned, "cannot inherit from partitioned table \"parted\"" },
        { up_add_column_type_clash, "child table \"cats\" has different type for column "
                                    "\"lives\"" },
        { up_add_check_clash, "constraint \"dogs_breed_check\" for relation \"dogs\" already "
                              "exists" },
        { up_add_identity_to_parent, "cannot recursively add identity column to table that "
                                     "has child tables" },
        { up_generated_given_default, "column \"b\" inherits from generated column but "
                                      "specifies default" },
        { up_generated_given_expression, "child column \"b\" specifies generation "
                                         "expression" },
        { up_rename_reaching_half, "cannot rename inherited column \"a\"" },
        { up_retype_reaching_half, "cannot alter inherited column \"a\" of relation \"mc\"" },
        { up_rename_check_reaching_half, "cannot rename inherited constraint \"k\"" },
        { up_own_column_default_collation, "column \"a\" has a collation conflict" },
        { up_inherit_not_generated, "column \"b\" in child table must be a generated column" },
        { up_inherit_over_not_valid, "constraint \"animals_id_check\" conflicts with NOT VALID "
                                     "constraint on child table \"x\"" },
        { up_valid_check_over_not_valid, "constraint \"o\" conflicts with NOT VALID "
                                         "constraint on relation \"x\"" },
        { up_attach_child, "cannot attach inheritance child as partition" },
        { up_attach_parent, "cannot attach inheritance parent as partition" },
        { up_inherit_no_table, "table \"nope\" does not exist" },
        { up_inherit_no_parent, "table \"nope\" does not exist" },
        { up_no_inherit_no_parent, "table \"nope\" does not exist" },
        { up_inherit_partitioned_child, "cannot change inheritance of partitioned table" },
        { up_inherit_partition_child, "cannot change inheritance of a partition" },
        { up_no_inherit_partition, "cannot change inheritance of a partition" },
        { up_inherit_from_partition, "cannot inherit from a partition" },
        { up_inherit_from_partitioned, "cannot inherit from partitioned table \"parted\"" },
        { up_create_from_partition, "cannot inherit from partition \"part\"" },
        { up_inherit_other_type, "child table \"x\" has different type for column \"id\"" },
        { up_inherit_other_collation, "child table \"x\" has different collation for column "
                                      "\"name\"" },
        { up_inherit_other_check, "child table \"x\" has different definition for check "
                                  "constraint \"animals_id_check\"" },
        { up_inherit_collation_conflict, "inherited column \"name\" has a collation conflict" },
        { up_inherit_own_collation_conflict, "column \"name\" has a collation conflict" },
        { up_inherit_checks_conflict, "check constraint name \"animals_id_check\" appears "
                                      "multiple times but with different expressions" },
    };

    assert_refusals(up_inherit, NULL, cases, sizeof(cases) / sizeof(*cases));
}
END_TEST

static Suite *schema_suite(void)
{
    Suite *s = suite_create("schema");
    TCase *tc = tcase_create("schema");

    tcase_add_checked_fixture(tc, NULL, teardown);
    tcase_add_test(tc, test_schema_sequence_retyped_keeps_the_type_limits);
    tcase_add_test(tc, test_schema_rename_leaves_reserved_words);
    tcase_add_test(tc, test_schema_rename_quotes_function_keywords);
    tcase_add_test(tc, test_schema_object_name_fits_63_bytes);
    tcase_add_test(tc, test_schema_object_name_keeps_whole_characters);
    tcase_add_test(tc, test_schema_create_table_names_as_the_server);
    tcase_add_test(tc, test_schema_renames_and_drops_follow);
    tcase_add_test(tc, test_schema_drop_cascade_takes_the_foreign_keys);
    tcase_add_test(tc, test_schema_validate_constraint_makes_it_valid);
    tcase_add_test(tc, test_schema_validate_constraint_of_an_unknown_name_is_opaque);
    tcase_add_test(tc, test_schema_guard_is_listed_not_replayed);
    tcase_add_test(tc, test_schema_refuses_what_the_server_would);
    tcase_add_test(tc, test_schema_if_exists_is_quiet);
    tcase_add_test(tc, test_schema_raw_sql_is_listed_not_guessed);
    tcase_add_test(tc, test_schema_at_base_is_empty);
    tcase_add_test(tc, test_schema_enum_labels_in_server_order);
    tcase_add_test(tc, test_schema_drop_type_cascade_takes_its_columns_and_functions);
    tcase_add_test(tc, test_schema_triggers_follow_their_table);
    tcase_add_test(tc, test_schema_policies_follow_their_table);
    tcase_add_test(tc, test_schema_policies_go_with_their_columns);
    tcase_add_test(tc, test_schema_refuses_bad_policies);
    tcase_add_test(tc, test_schema_triggers_go_with_table_column_and_function);
    tcase_add_test(tc, test_schema_trigger_firing);
    tcase_add_test(tc, test_schema_trigger_clone_and_raw_enum_trusted);
    tcase_add_test(tc, test_schema_drop_function_cascade_takes_its_triggers);
    tcase_add_test(tc, test_schema_what_it_cannot_follow_is_listed);
    tcase_add_test(tc, test_schema_refuses_what_the_server_would_new_kinds);
    tcase_add_test(tc, test_schema_identity_generated_collation_sequences);
    tcase_add_test(tc, test_schema_breadth_follows_renames);
    tcase_add_test(tc, test_schema_breadth_drops_take_dependents);
    tcase_add_test(tc, test_schema_views);
    tcase_add_test(tc, test_schema_comments);
    tcase_add_test(tc, test_schema_collations);
    tcase_add_test(tc, test_schema_collations_used_by_constraints_and_schemas);
    tcase_add_test(tc, test_schema_refuses_what_the_server_would_collations);
    tcase_add_test(tc, test_schema_domains);
    tcase_add_test(tc, test_schema_refuses_what_the_server_would_domains);
    tcase_add_test(tc, test_schema_composite_types);
    tcase_add_test(tc, test_schema_partitions);
    tcase_add_test(tc, test_schema_partitions_nested);
    tcase_add_test(tc, test_schema_refuses_what_the_server_would_partitions);
    tcase_add_test(tc, test_schema_refuses_what_the_server_would_composites);
    tcase_add_test(tc, test_schema_range_types);
    tcase_add_test(tc, test_schema_range_types_cascade);
    tcase_add_test(tc, test_schema_refuses_what_the_server_would_ranges);
    tcase_add_test(tc, test_schema_refuses_what_the_server_would_comments);
    tcase_add_test(tc, test_schema_views_go_with_what_they_read);
    tcase_add_test(tc, test_schema_view_without_reads_is_not_verified);
    tcase_add_test(tc, test_schema_refuses_what_the_server_would_views);
    tcase_add_test(tc, test_schema_refuses_what_the_server_would_breadth);
    tcase_add_test(tc, test_schema_allows_what_the_server_would);
    tcase_add_test(tc, test_schema_autocommit_block_commits_labels);
    tcase_add_test(tc, test_schema_equality_sees_the_new_kinds);
    tcase_add_test(tc, test_schema_signature_is_the_input_types);
    tcase_add_test(tc, test_schema_privileges);
    tcase_add_test(tc, test_schema_refuses_what_the_server_would_privileges);
    tcase_add_test(tc, test_schema_refuses_bad_renames_and_elements);
    tcase_add_test(tc, test_schema_index_elements_and_renames);
    tcase_add_test(tc, test_schema_exclusion_constraints);
    tcase_add_test(tc, test_schema_inheritance);
    tcase_add_test(tc, test_schema_inheritance_cascade);
    tcase_add_test(tc, test_schema_inheritance_generated);
    tcase_add_test(tc, test_schema_refuses_what_the_server_would_inheritance);
    tcase_add_test(tc, test_schema_refuses_bad_exclusion_constraints);
    suite_add_tcase(s, tc);
    return s;
}

int main(void)
{
    return test_run_suite(schema_suite());
}
