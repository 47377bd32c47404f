/*
 * Unit tests of the diff (runtime/lib/diff): models declared by small
 * registries in memory, compared, and the exact entries, text and JSON
 * asserted.  Each side is its own registry, so that a test can hold a
 * model no one revision chain would give (a CHECK the server named, on
 * one side with its name and on the other without).
 */
#include <stdlib.h>
#include <string.h>

#include "diff/diff.h"
#include "declared_model.h"
#include "support.h"

static pcsm_ctx *ctx;
static pcsm_schema *from, *to;
static pcsm_diff *diff;
static pcsm_buf text = PCSM_BUF_INIT, json = PCSM_BUF_INIT;

static void setup(void)
{
    ck_assert_int_eq(pcsm_ctx_new(&ctx, NULL, 0), 0);
}

static void teardown(void)
{
    pcsm_diff_free(diff);
    diff = NULL;
    pcsm_schema_free(from);
    pcsm_schema_free(to);
    from = to = NULL;
    pcsm_ctx_free(ctx);
    ctx = NULL;
    pcsm_buf_dispose(&text);
    pcsm_buf_dispose(&json);
}

static const char *const no_parents[] = { NULL };
static const char *const after_r1[] = { "r1" };
static const char *const after_r2[] = { "r2" };

#define REV(id_, parents_, n_, up_) \
    { .id = (id_), .parents = (parents_), .n_parents = (n_), .description = "t", \
      .create_date = "2026-01-01 00:00:00", .source_path = "t.c", .upgrade = (up_) }


/* Diffs `from` against `to` (replacing any earlier diff) and prints both ways. */
static void compare(void)
{
    pcsm_diff_free(diff);
    pcsm_buf_clear(&text);
    pcsm_buf_clear(&json);
    ck_assert_int_eq(pcsm_diff_models(ctx, from, to, &diff), 0);
    pcsm_diff_text(diff, &text);
    pcsm_diff_json(diff, &json);
}

/* got == want, failing on the first line that differs (check cuts long messages). */
static void assert_lines(const char *got, const char *want)
{
    size_t line = 1, at = 0, i;

    for (i = 0; got[i] && got[i] == want[i]; i++)
        if (got[i] == '\n') {
            line++;
            at = i + 1;
        }
    ck_assert_msg(got[i] == want[i], "line %zu differs: got \"%.200s\", want \"%.200s\"",
                  line, got + at, want + at);
}

/* from: up1 then up2; to: up3 then up4; compared. */
static void compare_models(pcsm_migration_fn up1, pcsm_migration_fn up2,
                           pcsm_migration_fn up3, pcsm_migration_fn up4)
{
    from = test_declared_model(up1, up2);
    to = test_declared_model(up3, up4);
    compare();
}

/* --------------------------------------------------------- the schemas */

/*
 * Two tables, a partial index, a named CHECK and another one, `check`
 * (none when NULL), named `check_name` (NULL: by the server, unknown to
 * the model).
 */
static void base(pcsm_op *op, const char *check_name, const char *check)
{
    pcsm_create_table(op, "parents", PCSM_COLUMNS(
        { .name = "id", .type = PCSM_BIGINT, .primary_key = true },
        { .name = "name", .type = PCSM_VARCHAR(255), .not_null = true, .comment = "shown" }),
        NULL, NULL);
    pcsm_create_table(op, "kids", PCSM_COLUMNS(
        { .name = "id", .type = PCSM_BIGINT, .primary_key = true },
        { .name = "parent_id", .type = PCSM_BIGINT, .references = "parents",
          .on_delete = PCSM_CASCADE },
        { .name = "age", .type = PCSM_INTEGER, .default_value = PCSM_EXPR("0") }),
        PCSM_CONSTRAINTS(
            { .kind = PCSM_CHECK, .name = "kids_age_small", .check = "age < 200" },
            /* kind NONE ends the list: no second CHECK */
            { .kind = check ? PCSM_CHECK : PCSM_CONSTRAINT_NONE, .name = check_name,
              .check = check }),
        NULL);
    pcsm_create_index(op, &(pcsm_index){ .name = "ix_kids_parent", .table = "kids",
                                        .columns = PCSM_NAMES("parent_id"),
                                        .where = "parent_id IS NOT NULL" });
}

static void up_base(pcsm_op *op) { base(op, NULL, "age >= 0"); }
/* As a catalog would give it: the server's name for the CHECK. */
static void up_base_named(pcsm_op *op) { base(op, "kids_age_check", "age >= 0"); }
static void up_base_named_other(pcsm_op *op) { base(op, "kids_age_check", "age >= 1"); }
static void up_base_no_check(pcsm_op *op) { base(op, NULL, NULL); }
/* A CHECK whose SQL the model cannot read (the whole row): its name unknown. */
#define UNREAD_CHECK "(kids).age >= 0"
static void up_base_unread(pcsm_op *op) { base(op, NULL, UNREAD_CHECK); }
static void up_base_unread_named(pcsm_op *op) { base(op, "kids_check", UNREAD_CHECK); }
static void up_nothing(pcsm_op *op) { (void)op; }

/* ------------------------------------------------------------ equality */

/* The same objects, the expressions spaced differently. */
static void up_respaced(pcsm_op *op)
{
    pcsm_drop_index(op, "ix_kids_parent", 0);
    pcsm_create_index(op, &(pcsm_index){ .name = "ix_kids_parent", .table = "kids",
                                        .columns = PCSM_NAMES("parent_id"),
                                        .where = "parent_id  IS NOT\n NULL", .method = "btree" });
    pcsm_drop_constraint(op, "kids", "kids_age_small", 0);
    pcsm_add_constraint(op, "kids", &(pcsm_constraint){ .kind = PCSM_CHECK,
                                                        .name = "kids_age_small",
                                                        .check = "age<200" });
}

START_TEST(test_diff_equal_models_have_no_entries)
{
    compare_models(up_base, NULL, up_base, up_nothing);
    ck_assert_uint_eq(pcsm_diff_count(diff), 0);
    ck_assert_uint_eq(pcsm_diff_raw_sql_count(diff), 0);
    ck_assert_str_eq(text.ptr, "");
    ck_assert_str_eq(json.ptr, "");
    teardown();
    setup();
    compare_models(up_base, NULL, up_base, up_respaced);
    ck_assert_msg(pcsm_diff_count(diff) == 0, "%s", text.ptr);
}
END_TEST

/* A CHECK whose name the server chose matches its named self by definition. */
START_TEST(test_diff_server_named_check_matched_by_definition)
{
    compare_models(up_base_unread, NULL, up_base_unread_named, NULL);
    ck_assert_msg(pcsm_diff_count(diff) == 0, "%s", text.ptr);
    teardown();
    setup();
    compare_models(up_base_unread_named, NULL, up_base_unread, NULL);
    ck_assert_msg(pcsm_diff_count(diff) == 0, "%s", text.ptr);
    teardown();
    setup();
    /* One the model reads has the server's name. */
    compare_models(up_base, NULL, up_base_named, NULL);
    ck_assert_msg(pcsm_diff_count(diff) == 0, "%s", text.ptr);
}
END_TEST

START_TEST(test_diff_same_sql_ignores_whitespace_only)
{
    ck_assert(pcsm_diff__same_sql("a > 0", "a>0"));
    ck_assert(pcsm_diff__same_sql(" a IS  NOT\tNULL ", "a IS NOT NULL"));
    ck_assert(pcsm_diff__same_sql("lower( name )", "lower(name)"));
    ck_assert(pcsm_diff__same_sql(NULL, NULL));
    ck_assert(!pcsm_diff__same_sql("a", NULL));
    ck_assert(!pcsm_diff__same_sql("a IS NULL", "aIS NULL"));
    /* Inside quotes, a space is data. */
    ck_assert(!pcsm_diff__same_sql("x = 'a b'", "x = 'ab'"));
    ck_assert(!pcsm_diff__same_sql("\"a b\" > 0", "\"ab\" > 0"));
    ck_assert(pcsm_diff__same_sql("x = 'it''s'", "x='it''s'"));
    /* "- -1" is not "--1", which starts a comment. */
    ck_assert(!pcsm_diff__same_sql("a - -1", "a --1"));
    ck_assert(pcsm_diff__same_sql("a - -1", "a -  -1"));
}
END_TEST

/* -------------------------------------------------------------- tables */

static void up_add_table(pcsm_op *op)
{
    pcsm_create_table(op, "toys", PCSM_COLUMNS(
        { .name = "id", .type = PCSM_UUID, .primary_key = true },
        { .name = "kid_id", .type = PCSM_BIGINT, .references = "kids" }), NULL, "fun");
    pcsm_create_index(op, &(pcsm_index){ .name = "ix_toys_kid", .table = "toys",
                                        .columns = PCSM_NAMES("kid_id") });
}

static void up_drop_kids(pcsm_op *op) { pcsm_drop_table(op, "kids", 0); }

START_TEST(test_diff_table_added_or_dropped_is_one_entry)
{
    compare_models(up_base, NULL, up_base, up_add_table);
    ck_assert_uint_eq(pcsm_diff_count(diff), 1);
    ck_assert_int_eq(pcsm_diff_at(diff, 0)->object, PCSM_DIFF_TABLE);
    ck_assert_int_eq(pcsm_diff_at(diff, 0)->change, PCSM_DIFF_EXTRA);
    ck_assert_str_eq(pcsm_diff_at(diff, 0)->path, "toys");
    ck_assert_ptr_null(pcsm_diff_at(diff, 0)->attribute);
    ck_assert_ptr_null(pcsm_diff_at(diff, 0)->from);
    ck_assert_ptr_null(pcsm_diff_at(diff, 0)->to);
    ck_assert_str_eq(text.ptr, "extra    table toys\n");
    teardown();
    setup();
    /* Its columns, constraints and index go with it. */
    compare_models(up_base, NULL, up_base, up_drop_kids);
    ck_assert_str_eq(text.ptr, "missing  table kids\n");
}
END_TEST

/* ------------------------------------------------------------- columns */

static void up_columns(pcsm_op *op)
{
    pcsm_add_column(op, "kids", &(pcsm_column){ .name = "nick", .type = PCSM_TEXT });
    pcsm_drop_column(op, "parents", "name", 0);
    pcsm_alter_column_type(op, "kids", "age", PCSM_ARRAY(PCSM_NUMERIC(5, 1)), NULL);
}

START_TEST(test_diff_columns_added_dropped_retyped)
{
    compare_models(up_base, NULL, up_base, up_columns);
    ck_assert_str_eq(text.ptr,
        "changed  column kids.age  type: integer -> numeric(5,1)[]\n"
        "extra    column kids.nick\n"
        "missing  column parents.name\n");
    ck_assert_str_eq(pcsm_diff_at(diff, 0)->attribute, "type");
    ck_assert_str_eq(pcsm_diff_at(diff, 0)->from, "integer");
    ck_assert_str_eq(pcsm_diff_at(diff, 0)->to, "numeric(5,1)[]");
}
END_TEST

static void up_breadth(pcsm_op *op)
{
    pcsm_create_sequence(op, "seq", NULL, NULL, NULL);
    pcsm_create_sequence(op, "gone", NULL, NULL, NULL);
    pcsm_add_column(op, "kids", &(pcsm_column){ .name = "n", .type = PCSM_INTEGER,
                                                .identity = PCSM_IDENTITY_ALWAYS });
    pcsm_add_column(op, "kids", &(pcsm_column){ .name = "twice", .type = PCSM_INTEGER,
                                                .generated = "age * 2" });
    pcsm_add_column(op, "kids", &(pcsm_column){ .name = "nick", .type = PCSM_TEXT });
}

static void up_breadth_changed(pcsm_op *op)
{
    pcsm_alter_sequence(op, "seq", &(pcsm_sequence_options){ .increment = 2, .cache = 3,
                                                             .cycle = PCSM_CYCLE });
    pcsm_set_sequence_owner(op, "seq", "kids", "age");
    pcsm_drop_sequence(op, "gone", 0);
    pcsm_create_sequence(op, "new", NULL, NULL, NULL);
    pcsm_alter_sequence(op, "kids_n_seq", &(pcsm_sequence_options){ .start = PCSM_SEQ_VALUE(5) });
    pcsm_drop_column(op, "kids", "twice", 0);
    pcsm_add_column(op, "kids", &(pcsm_column){ .name = "twice", .type = PCSM_INTEGER,
                                                .generated = "age  *  3" });
    pcsm_alter_column_type_collate(op, "kids", "nick", PCSM_TEXT, "C", NULL);
    pcsm_drop_identity(op, "kids", "n", 0);
}

START_TEST(test_diff_sequences_identity_generated_collation)
{
    from = test_declared_model(up_base, up_breadth);
    to = test_declared_model(up_base, up_breadth);
    compare();
    ck_assert_str_eq(text.ptr, "");
    pcsm_schema_free(to);
    to = NULL;
    {
        const pcsm_revision revs[] = {
            REV("r1", no_parents, 0, up_base), REV("r2", after_r1, 1, up_breadth),
            REV("r3", after_r2, 1, up_breadth_changed),
        };
        pcsm_revset at = PCSM_REVSET_INIT;
        pcsm_ctx *c;

        ck_assert_int_eq(pcsm_ctx_new(&c, revs, 3), 0);
        ck_assert_int_eq(pcsm_graph_resolve(c, "heads", NULL, &at), 0);
        ck_assert_msg(pcsm_schema_declared(c, &at, &to) == 0, "%s", pcsm_error_last(c)->message);
        pcsm_revset_dispose(&at);
        pcsm_ctx_free(c);
    }
    compare();
    assert_lines(text.ptr,
        "missing  sequence gone\n"
        "changed  column kids.n  identity: ALWAYS -> (none)\n"
        "changed  column kids.nick  collation: (none) -> C\n"
        "changed  column kids.twice  generated: age * 2 -> age  *  3\n"
        "extra    sequence new\n"
        "changed  sequence seq  cache: 1 -> 3\n"
        "changed  sequence seq  cycle: false -> true\n"
        "changed  sequence seq  increment: 1 -> 2\n"
        "changed  sequence seq  owned_by: (none) -> kids.age\n");
}
END_TEST

static void up_views(pcsm_op *op)
{
    pcsm_create_view(op, &(pcsm_view){
        .name = "old_kids", .query = "SELECT id FROM kids WHERE age > 10",
        .reads = PCSM_NAMES("kids") });
    pcsm_create_view(op, &(pcsm_view){
        .name = "gone", .query = "SELECT 1", .reads = PCSM_NAMES("kids") });
    pcsm_create_materialized_view(op, &(pcsm_view){
        .name = "ages", .columns = PCSM_NAMES("age"), .query = "SELECT DISTINCT age FROM kids",
        .reads = PCSM_NAMES("kids") });
    pcsm_create_index(op, &(pcsm_index){ .name = "ages_age", .table = "ages",
                                        .columns = PCSM_NAMES("age"), .unique = true });
}

static void up_views_respaced(pcsm_op *op)
{
    pcsm_create_view(op, &(pcsm_view){
        .name = "gone", .query = "SELECT 1", .reads = PCSM_NAMES("kids") });
    pcsm_create_view(op, &(pcsm_view){
        .name = "old_kids", .query = "SELECT id\n  FROM kids WHERE age > 10;",
        .reads = PCSM_NAMES("kids") });
    pcsm_create_materialized_view(op, &(pcsm_view){
        .name = "ages", .columns = PCSM_NAMES("age"), .query = "SELECT DISTINCT age FROM kids",
        .reads = PCSM_NAMES("kids") });
    pcsm_create_index(op, &(pcsm_index){ .name = "ages_age", .table = "ages",
                                        .columns = PCSM_NAMES("age"), .unique = true });
}

static void up_views_changed(pcsm_op *op)
{
    pcsm_create_view(op, &(pcsm_view){
        .name = "old_kids", .query = "SELECT id FROM kids WHERE age > 12",
        .reads = PCSM_NAMES("kids") });
    pcsm_create_view(op, &(pcsm_view){
        .name = "new", .query = "SELECT 2", .reads = PCSM_NAMES("kids") });
    pcsm_create_materialized_view(op, &(pcsm_view){
        .name = "ages", .columns = PCSM_NAMES("years"),
        .query = "SELECT DISTINCT age FROM kids", .reads = PCSM_NAMES("kids"),
        .no_data = true });
    pcsm_create_index(op, &(pcsm_index){ .name = "ages_other", .table = "ages",
                                        .columns = PCSM_NAMES("years"), .unique = true });
}

START_TEST(test_diff_views)
{
    /* The same views, created in another order and spaced differently: equal. */
    compare_models(up_base, up_views, up_base, up_views_respaced);
    ck_assert_str_eq(text.ptr, "");
    pcsm_schema_free(from);
    pcsm_schema_free(to);
    compare_models(up_base, up_views, up_base, up_views_changed);
    assert_lines(text.ptr,
        "changed  view ages  columns: age -> years\n"
        "changed  view ages  populated: true -> false\n"
        "missing  index ages_age\n"
        "extra    index ages_other\n"
        "missing  view gone\n"
        "extra    view new\n"
        "changed  view old_kids  query: SELECT id FROM kids WHERE age > 10 -> "
        "SELECT id FROM kids WHERE age > 12\n");
    ck_assert(!pcsm_schema_equal(from, to));
}
END_TEST

static void up_views_no_reads(pcsm_op *op)
{
    pcsm_create_view(op, &(pcsm_view){ .name = "loose", .query = "SELECT id FROM kids" });
}

static void up_views_loose_read(pcsm_op *op)
{
    pcsm_create_table(op, "other", PCSM_COLUMNS({ .name = "id", .type = PCSM_BIGINT }), NULL,
                      NULL);
    pcsm_create_view(op, &(pcsm_view){ .name = "loose", .query = "SELECT id FROM other",
                                       .reads = PCSM_NAMES("other") });
}

/*
 * A view without reads is listed as raw SQL is: the model saw it made, but
 * not what it reads, so a change in it may be what that did.
 */
START_TEST(test_diff_view_without_reads_is_unverified)
{
    compare_models(up_base, up_views_no_reads, up_base, up_nothing);
    assert_lines(text.ptr,
        "missing  view loose\n"
        "unverified  from: revision r2, operation 1, raw SQL: view \"loose\" without reads: "
        "what its query reads is not known\n");
    pcsm_schema_free(from);
    pcsm_schema_free(to);
    compare_models(up_base, up_views_no_reads, up_base, up_views_loose_read);
    ck_assert_msg(strstr(text.ptr, "changed  view loose  query: SELECT id FROM kids -> "
                         "SELECT id FROM other  (unverified: raw SQL names it)\n"),
                  "%s", text.ptr);
}
END_TEST

static void up_attributes(pcsm_op *op)
{
    pcsm_set_default(op, "kids", "age", PCSM_LITERAL("it's"));
    pcsm_set_not_null(op, "kids", "parent_id");
    pcsm_comment_column(op, "parents", "name", NULL);
    pcsm_comment_table(op, "kids", "young ones");
    pcsm_set_default(op, "kids", "parent_id", PCSM_NULL);
}

START_TEST(test_diff_default_nullability_comment)
{
    compare_models(up_base, NULL, up_base, up_attributes);
    ck_assert_str_eq(text.ptr,
        "changed  table kids  comment: (none) -> young ones\n"
        "changed  column kids.age  default: 0 -> 'it''s'\n"
        "changed  column kids.parent_id  default: (none) -> NULL\n"
        "changed  column kids.parent_id  not_null: false -> true\n"
        "changed  column parents.name  comment: shown -> (none)\n");
}
END_TEST

static void up_default_respaced(pcsm_op *op)
{
    pcsm_set_default(op, "kids", "age", PCSM_EXPR(" 0 "));
    pcsm_comment_column(op, "parents", "name", "");
    pcsm_comment_column(op, "kids", "age", "");
}

static void up_retype_age(pcsm_op *op)
{
    pcsm_alter_column_type(op, "kids", "age", PCSM_BIGINT, NULL);
}

static void up_retype_age_new_default(pcsm_op *op)
{
    pcsm_alter_column_type(op, "kids", "age", PCSM_BIGINT, NULL);
    pcsm_set_default(op, "kids", "age", PCSM_EXPR("0"));
}

/* The same text, but one written for the column's earlier type, kept cast to it. */
START_TEST(test_diff_default_written_for_another_type)
{
    compare_models(up_base, up_retype_age, up_base, up_retype_age_new_default);
    ck_assert_str_eq(text.ptr, "changed  column kids.age  default: 0 (written for integer) -> 0\n");
    teardown();
    setup();
    compare_models(up_base, up_retype_age, up_base, up_retype_age);
    ck_assert_str_eq(text.ptr, "");
}
END_TEST

/* An empty comment is none (COMMENT IS '' drops it); defaults compare as SQL. */
START_TEST(test_diff_empty_comment_is_none)
{
    compare_models(up_base, NULL, up_base, up_default_respaced);
    ck_assert_str_eq(text.ptr, "changed  column parents.name  comment: shown -> (none)\n");
}
END_TEST

/* ------------------------------------------------------------- indexes */

static void up_indexes(pcsm_op *op)
{
    pcsm_drop_index(op, "ix_kids_parent", 0);
    pcsm_create_index(op, &(pcsm_index){ .name = "ix_kids_age", .table = "kids",
                                        .expression = "abs(age)", .method = "hash" });
}

static void up_predicate(pcsm_op *op)
{
    pcsm_drop_index(op, "ix_kids_parent", 0);
    pcsm_create_index(op, &(pcsm_index){ .name = "ix_kids_parent", .table = "kids",
                                        .columns = PCSM_NAMES("parent_id", "age"),
                                        .where = "parent_id > 0", .unique = true,
                                        .method = "brin" });
}

START_TEST(test_diff_indexes)
{
    compare_models(up_base, NULL, up_base, up_indexes);
    ck_assert_str_eq(text.ptr,
        "extra    index ix_kids_age\n"
        "missing  index ix_kids_parent\n");
    teardown();
    setup();
    compare_models(up_base, NULL, up_base, up_predicate);
    ck_assert_str_eq(text.ptr,
        "changed  index ix_kids_parent  columns: parent_id -> parent_id, age\n"
        "changed  index ix_kids_parent  method: btree -> brin\n"
        "changed  index ix_kids_parent  unique: false -> true\n"
        "changed  index ix_kids_parent  where: parent_id IS NOT NULL -> parent_id > 0\n");
}
END_TEST

/* --------------------------------------------------------- constraints */

/* The same foreign key, its referenced columns now spelled out: only the action differs. */
static void up_fk_action(pcsm_op *op)
{
    pcsm_drop_constraint(op, "kids", "kids_parent_id_fkey", 0);
    pcsm_add_constraint(op, "kids", &(pcsm_constraint){
        .kind = PCSM_FOREIGN_KEY, .name = "kids_parent_id_fkey",
        .columns = PCSM_NAMES("parent_id"), .references = "parents",
        .ref_columns = PCSM_NAMES("id"), .on_delete = PCSM_SET_NULL,
        .on_update = PCSM_NO_ACTION, .deferrable = true });
}

static void up_drop_checks(pcsm_op *op)
{
    pcsm_drop_constraint(op, "kids", "kids_age_small", 0);
}

START_TEST(test_diff_foreign_key_action)
{
    compare_models(up_base, NULL, up_base, up_fk_action);
    ck_assert_str_eq(text.ptr,
        "changed  constraint kids.kids_parent_id_fkey  deferrable: false -> true\n"
        "changed  constraint kids.kids_parent_id_fkey  on_delete: CASCADE -> SET NULL\n");
}
END_TEST

START_TEST(test_diff_dropped_checks)
{
    static const struct {
        pcsm_migration_fn from, to;
        const char *text;
    } cases[] = {
        { up_base_unread, up_base_no_check,
          "missing  constraint kids.[CHECK (" UNREAD_CHECK ")]\n" },
        { up_base_no_check, up_base_unread,
          "extra    constraint kids.[CHECK (" UNREAD_CHECK ")]\n" },
        { up_base_named, up_base_no_check, "missing  constraint kids.kids_age_check\n" },
        { up_base, up_base_no_check, "missing  constraint kids.kids_age_check\n" },
        /* Another definition: no match, and each side names it as it can. */
        { up_base_unread, up_base_named_other,
          "missing  constraint kids.[CHECK (" UNREAD_CHECK ")]\n"
          "extra    constraint kids.kids_age_check\n" },
        { up_base_named, up_base_named_other,
          "changed  constraint kids.kids_age_check  check: age >= 0 -> age >= 1\n" },
    };
    size_t i;

    compare_models(up_base, NULL, up_base, up_drop_checks);
    ck_assert_str_eq(text.ptr, "missing  constraint kids.kids_age_small\n");
    for (i = 0; i < sizeof(cases) / sizeof(*cases); i++) {
        teardown();
        setup();
        compare_models(cases[i].from, NULL, cases[i].to, NULL);
        ck_assert_msg(!strcmp(text.ptr, cases[i].text), "case %zu: %s", i, text.ptr);
    }
}
END_TEST

static void up_not_valid(pcsm_op *op)
{
    pcsm_add_constraint(op, "kids", &(pcsm_constraint){ .kind = PCSM_CHECK, .name = "kids_pos",
                                                        .check = "id > 0", .not_valid = true });
}

static void up_valid(pcsm_op *op)
{
    pcsm_add_constraint(op, "kids", &(pcsm_constraint){ .kind = PCSM_CHECK, .name = "kids_pos",
                                                        .check = "id > 0" });
}

/* The same name on another kind of constraint: another object. */
static void up_unique_pos(pcsm_op *op)
{
    pcsm_add_constraint(op, "kids", &(pcsm_constraint){ .kind = PCSM_UNIQUE, .name = "kids_pos",
                                                        .columns = PCSM_NAMES("id", "age") });
}

START_TEST(test_diff_not_valid_and_kind)
{
    compare_models(up_base, up_not_valid, up_base, up_valid);
    ck_assert_str_eq(text.ptr,
        "changed  constraint kids.kids_pos  not_valid: true -> false\n");
    teardown();
    setup();
    compare_models(up_base, up_valid, up_base, up_unique_pos);
    ck_assert_str_eq(text.ptr,
        "missing  constraint kids.kids_pos\n"
        "extra    constraint kids.kids_pos\n");
}
END_TEST

static void up_excl_a(pcsm_op *op)
{
    pcsm_add_constraint(op, "kids", &(pcsm_constraint){ .kind = PCSM_EXCLUDE, .name = "kids_x",
        .method = "gist", .where = "age > 0",
        .elements = PCSM_ELEMENTS({ .column = "age", .with = "=" }) });
}

static void up_excl_b(pcsm_op *op)
{
    pcsm_add_constraint(op, "kids", &(pcsm_constraint){ .kind = PCSM_EXCLUDE, .name = "kids_x",
        .where = "age > 1",
        .elements = PCSM_ELEMENTS({ .column = "age", .with = "<>" }) });
}

/* An expression whose name replay cannot tell: the server's name is unknown. */
#define UNNAMED_KEY "to_timestamp(age) AT TIME ZONE 'UTC'"
static void up_excl_unnamed(pcsm_op *op)
{
    pcsm_add_constraint(op, "kids", &(pcsm_constraint){ .kind = PCSM_EXCLUDE,
        .elements = PCSM_ELEMENTS({ .expression = UNNAMED_KEY, .with = "=" }) });
}

START_TEST(test_diff_exclusion_constraints)
{
    compare_models(up_base, up_excl_a, up_base, up_excl_b);
    ck_assert_str_eq(text.ptr,
        "changed  constraint kids.kids_x  elements: (\"age\" WITH =) -> (\"age\" WITH <>)\n"
        "changed  constraint kids.kids_x  method: gist -> btree\n"
        "changed  constraint kids.kids_x  where: age > 0 -> age > 1\n");
    teardown();
    setup();
    compare_models(up_base, up_excl_unnamed, up_base, NULL);
    ck_assert_str_eq(text.ptr,
        "missing  constraint kids.[EXCLUDE ((" UNNAMED_KEY ") WITH =)]\n");
    teardown();
    setup();
    compare_models(up_base, up_excl_unnamed, up_base, up_excl_unnamed);
    ck_assert_str_eq(text.ptr, "");
}
END_TEST

/* ------------------------------------------------- order and printing */

static void up_many(pcsm_op *op)
{
    up_attributes(op);
    up_columns(op);
    up_indexes(op);
    up_drop_checks(op);
    up_add_table(op);
    pcsm_comment_table(op, "parents", "line one\nline \"two\"\t\x01");
}

START_TEST(test_diff_order_is_fixed)
{
    static const char want[] =
        "extra    index ix_kids_age\n"
        "missing  index ix_kids_parent\n"
        "changed  table kids  comment: (none) -> young ones\n"
        "changed  column kids.age  default: 0 -> 'it''s' (written for integer)\n"
        "changed  column kids.age  type: integer -> numeric(5,1)[]\n"
        "missing  constraint kids.kids_age_small\n"
        "extra    column kids.nick\n"
        "changed  column kids.parent_id  default: (none) -> NULL\n"
        "changed  column kids.parent_id  not_null: false -> true\n"
        "changed  table parents  comment: (none) -> line one\\nline \"two\"\\t\\x01\n"
        "missing  column parents.name\n"
        "extra    table toys\n";
    char *first;

    compare_models(up_base, NULL, up_base, up_many);
    ck_assert_str_eq(text.ptr, want);
    /* The same again, and the other way round: extra for missing. */
    first = pcsm_buf_detach(&text);
    compare();
    ck_assert_str_eq(text.ptr, first);
    free(first);
    {
        pcsm_schema *swap = from;

        from = to;
        to = swap;
    }
    compare();
    ck_assert_str_eq(text.ptr,
        "missing  index ix_kids_age\n"
        "extra    index ix_kids_parent\n"
        "changed  table kids  comment: young ones -> (none)\n"
        "changed  column kids.age  default: 'it''s' (written for integer) -> 0\n"
        "changed  column kids.age  type: numeric(5,1)[] -> integer\n"
        "extra    constraint kids.kids_age_small\n"
        "missing  column kids.nick\n"
        "changed  column kids.parent_id  default: NULL -> (none)\n"
        "changed  column kids.parent_id  not_null: true -> false\n"
        "changed  table parents  comment: line one\\nline \"two\"\\t\\x01 -> (none)\n"
        "extra    column parents.name\n"
        "missing  table toys\n");
    ck_assert_uint_eq(pcsm_diff_count(diff), 12);
    ck_assert_int_eq(pcsm_diff_at(diff, 0)->change, PCSM_DIFF_MISSING);
    ck_assert_int_eq(pcsm_diff_at(diff, 0)->object, PCSM_DIFF_INDEX);
}
END_TEST

START_TEST(test_diff_json_lines)
{
    compare_models(up_base, NULL, up_base, up_many);
    assert_lines(json.ptr,
        "{\"change\":\"extra\",\"object\":\"index\",\"path\":\"ix_kids_age\",\"attribute\":null,\"from\":null,\"to\":null,\"verified\":true}\n"
        "{\"change\":\"missing\",\"object\":\"index\",\"path\":\"ix_kids_parent\",\"attribute\":null,\"from\":null,\"to\":null,\"verified\":true}\n"
        "{\"change\":\"changed\",\"object\":\"table\",\"path\":\"kids\",\"attribute\":\"comment\",\"from\":null,\"to\":\"young ones\",\"verified\":true}\n"
        "{\"change\":\"changed\",\"object\":\"column\",\"path\":\"kids.age\",\"attribute\":\"default\",\"from\":\"0\",\"to\":\"'it''s' (written for integer)\",\"verified\":true}\n"
        "{\"change\":\"changed\",\"object\":\"column\",\"path\":\"kids.age\",\"attribute\":\"type\",\"from\":\"integer\",\"to\":\"numeric(5,1)[]\",\"verified\":true}\n"
        "{\"change\":\"missing\",\"object\":\"constraint\",\"path\":\"kids.kids_age_small\",\"attribute\":null,\"from\":null,\"to\":null,\"verified\":true}\n"
        "{\"change\":\"extra\",\"object\":\"column\",\"path\":\"kids.nick\",\"attribute\":null,\"from\":null,\"to\":null,\"verified\":true}\n"
        "{\"change\":\"changed\",\"object\":\"column\",\"path\":\"kids.parent_id\",\"attribute\":\"default\",\"from\":null,\"to\":\"NULL\",\"verified\":true}\n"
        "{\"change\":\"changed\",\"object\":\"column\",\"path\":\"kids.parent_id\",\"attribute\":\"not_null\",\"from\":\"false\",\"to\":\"true\",\"verified\":true}\n"
        "{\"change\":\"changed\",\"object\":\"table\",\"path\":\"parents\",\"attribute\":\"comment\",\"from\":null,\"to\":\"line one\\nline \\\"two\\\"\\t\\u0001\",\"verified\":true}\n"
        "{\"change\":\"missing\",\"object\":\"column\",\"path\":\"parents.name\",\"attribute\":null,\"from\":null,\"to\":null,\"verified\":true}\n"
        "{\"change\":\"extra\",\"object\":\"table\",\"path\":\"toys\",\"attribute\":null,\"from\":null,\"to\":null,\"verified\":true}\n");
}
END_TEST

/* ------------------------------ triggers, functions, enum types, extensions */

static void objects(pcsm_op *op, const char *body, const char *when, unsigned events,
                    const char *label)
{
    pcsm_create_extension(op, "citext", 0);
    pcsm_create_enum(op, "mood", PCSM_LABELS("sad", label, "ok"));
    pcsm_create_function(op, &(pcsm_function){
        .name = "touch", .returns = "trigger", .language = "plpgsql", .body = body });
    pcsm_create_function(op, &(pcsm_function){
        .name = "twice", .arguments = "x integer", .returns = "integer", .language = "sql",
        .body = "SELECT x * 2", .volatility = PCSM_IMMUTABLE });
    pcsm_create_function(op, &(pcsm_function){
        .name = "twice", .arguments = "x text", .returns = "text", .language = "sql",
        .body = "SELECT x || x" });
    pcsm_create_trigger(op, &(pcsm_trigger){
        .name = "kids_touch", .table = "kids", .timing = PCSM_BEFORE, .events = events,
        .for_each_row = true, .function = "touch", .when = when });
}

static void up_objects(pcsm_op *op)
{
    objects(op, "BEGIN RETURN NEW; END", "OLD.age <> NEW.age", PCSM_ON_UPDATE, "meh");
}

static void up_objects_respaced(pcsm_op *op)
{
    objects(op, "BEGIN RETURN NEW; END", "OLD.age  <>  NEW.age", PCSM_ON_UPDATE, "meh");
}

static void up_objects_changed(pcsm_op *op)
{
    objects(op, "BEGIN RETURN OLD; END", NULL, PCSM_ON_UPDATE | PCSM_ON_INSERT, "glad");
    pcsm_create_function(op, &(pcsm_function){
        .name = "twice", .arguments = "x int DEFAULT 2", .returns = "int", .language = "sql",
        .body = "SELECT x * 2", .volatility = PCSM_STABLE, .strict = true,
        .or_replace = true });
}

static void up_base_objects(pcsm_op *op)
{
    up_base(op);
    up_objects(op);
}

static void up_objects_dropped(pcsm_op *op)
{
    pcsm_drop_trigger(op, "kids", "kids_touch", 0);
    pcsm_drop_function(op, "twice", "text", 0);
    pcsm_drop_type(op, "mood", 0);
    pcsm_drop_extension(op, "citext", 0);
    pcsm_create_trigger(op, &(pcsm_trigger){
        .name = "parents_touch", .table = "parents", .timing = PCSM_AFTER,
        .events = PCSM_ON_DELETE, .function = "touch" });
}

START_TEST(test_diff_triggers_functions_types_extensions)
{
    /* Equal, whitespace in a WHEN aside. */
    compare_models(up_base, up_objects, up_base, up_objects_respaced);
    ck_assert_str_eq(text.ptr, "");
    teardown();
    setup();
    /* Each attribute that differs; an overload is another function, by its types. */
    compare_models(up_base, up_objects, up_base, up_objects_changed);
    assert_lines(text.ptr,
        "changed  trigger kids.kids_touch  events: UPDATE -> INSERT OR UPDATE\n"
        "changed  trigger kids.kids_touch  when: OLD.age <> NEW.age -> (none)\n"
        "changed  type mood  labels: sad, meh, ok -> sad, glad, ok\n"
        "changed  function touch()  body: BEGIN RETURN NEW; END -> BEGIN RETURN OLD; END\n"
        "changed  function twice(integer)  arguments: x integer -> x int DEFAULT 2\n"
        "changed  function twice(integer)  strict: false -> true\n"
        "changed  function twice(integer)  volatility: IMMUTABLE -> STABLE\n");
    ck_assert_int_eq(pcsm_diff_at(diff, 0)->object, PCSM_DIFF_TRIGGER);
    ck_assert_str_eq(pcsm_diff_at(diff, 0)->path, "kids.kids_touch");
    ck_assert_int_eq(pcsm_diff_at(diff, 3)->object, PCSM_DIFF_FUNCTION);
    ck_assert_ptr_nonnull(strstr(json.ptr, "{\"change\":\"changed\",\"object\":\"type\","
                                           "\"path\":\"mood\",\"attribute\":\"labels\","));
    teardown();
    setup();
    /* One side's only: a trigger of a table both have, the others by name. */
    compare_models(up_base, up_objects, up_base_objects, up_objects_dropped);
    assert_lines(text.ptr,
        "missing  extension citext\n"
        "missing  trigger kids.kids_touch\n"
        "missing  type mood\n"
        "extra    trigger parents.parents_touch\n"
        "missing  function twice(text)\n");
}
END_TEST

static void up_trigger_disabled(pcsm_op *op)
{
    up_objects(op);
    pcsm_set_trigger_firing(op, "kids", "kids_touch", PCSM_TRIGGER_DISABLE);
}

static void up_trigger_replica(pcsm_op *op)
{
    up_objects(op);
    pcsm_set_trigger_firing(op, "kids", "kids_touch", PCSM_TRIGGER_ENABLE_REPLICA);
}

/* A trigger's firing is the one attribute that differs. */
START_TEST(test_diff_trigger_disabled)
{
    compare_models(up_base, up_objects, up_base, up_objects);
    ck_assert_str_eq(text.ptr, "");
    teardown();
    setup();
    compare_models(up_base, up_objects, up_base, up_trigger_disabled);
    ck_assert(!pcsm_schema_equal(from, to));
    assert_lines(text.ptr, "changed  trigger kids.kids_touch  enabled: true -> false\n");
    teardown();
    setup();
    compare_models(up_base, up_trigger_disabled, up_base, up_trigger_replica);
    assert_lines(text.ptr, "changed  trigger kids.kids_touch  enabled: false -> replica\n");
}
END_TEST

/* ------------------------------------------------------------- raw SQL */

static void up_raw(pcsm_op *op)
{
    pcsm_execute(op, "CREATE FUNCTION f() RETURNS int\nLANGUAGE sql AS 'SELECT 1'");
}

static void up_raw_other(pcsm_op *op)
{
    pcsm_add_column(op, "kids", &(pcsm_column){ .name = "nick", .type = PCSM_TEXT });
    pcsm_execute(op, "CREATE VIEW v AS SELECT 1");
}

START_TEST(test_diff_raw_sql_is_unverified_not_a_difference)
{
    compare_models(up_base, NULL, up_base, up_raw);
    ck_assert_uint_eq(pcsm_diff_count(diff), 0);
    ck_assert_uint_eq(pcsm_diff_raw_sql_count(diff), 1);
    ck_assert_int_eq(pcsm_diff_raw_sql_at(diff, 0)->side, PCSM_DIFF_EXTRA);
    ck_assert_str_eq(pcsm_diff_raw_sql_at(diff, 0)->revision, "r2");
    ck_assert_uint_eq(pcsm_diff_raw_sql_at(diff, 0)->operation, 1);
    ck_assert_str_eq(text.ptr, "unverified  to: revision r2, operation 1, raw SQL: "
                               "CREATE FUNCTION f() RETURNS int\n");
    ck_assert_str_eq(json.ptr, "{\"change\":\"unverified\",\"side\":\"to\",\"revision\":\"r2\","
                               "\"operation\":1,\"summary\":\"CREATE FUNCTION f() RETURNS int\"}\n");
    teardown();
    setup();
    /* The same operation on both sides did the same on both: not listed. */
    compare_models(up_base, up_raw, up_base, up_raw);
    ck_assert_uint_eq(pcsm_diff_raw_sql_count(diff), 0);
    ck_assert_str_eq(text.ptr, "");
    teardown();
    setup();
    /* The differences first, then each side's unverified operations, from's first. */
    compare_models(up_base, up_raw, up_base, up_raw_other);
    ck_assert_str_eq(text.ptr,
        "extra    column kids.nick\n"
        "unverified  from: revision r2, operation 1, raw SQL: CREATE FUNCTION f() RETURNS int\n"
        "unverified  to: revision r2, operation 2, raw SQL: CREATE VIEW v AS SELECT 1\n");
}
END_TEST

/* As a catalog reads what raw SQL made: the same objects through the API. */
static void up_raw_index(pcsm_op *op)
{
    pcsm_execute(op, "CREATE INDEX ix_kids_lower ON kids (lower(age::text))");
}

static void up_api_index(pcsm_op *op)
{
    pcsm_create_index(op, &(pcsm_index){ .name = "ix_kids_lower", .table = "kids",
                                        .expression = "lower(age::text)" });
}

static void up_raw_column(pcsm_op *op)
{
    pcsm_execute(op, "ALTER TABLE Kids ADD COLUMN nick text");
}

static void up_api_column(pcsm_op *op)
{
    pcsm_add_column(op, "kids", &(pcsm_column){ .name = "nick", .type = PCSM_TEXT });
}

static void up_raw_trigger(pcsm_op *op)
{
    pcsm_execute(op, "CREATE TRIGGER kids_touch BEFORE UPDATE ON kids "
                     "FOR EACH ROW EXECUTE FUNCTION touch()");
}

static void up_raw_retype(pcsm_op *op)
{
    pcsm_execute(op, "ALTER TABLE kids ALTER COLUMN age TYPE bigint");
}

static void up_table_and_data(pcsm_op *op)
{
    up_add_table(op);
    pcsm_execute(op, "INSERT INTO toys (id) VALUES (gen_random_uuid())");
}

static void up_raw_then_api_column(pcsm_op *op)
{
    up_raw_column(op);
    up_api_column(op);
}

/*
 * What raw SQL of one side names may be what differs: listed, marked, not
 * counted.  A table's name alone (a trigger on it) does not cover its
 * columns, and raw SQL both sides ran covers nothing.
 */
START_TEST(test_diff_raw_sql_names_make_entries_unverified)
{
    compare_models(up_base, up_raw_index, up_base, up_api_index);
    ck_assert_str_eq(text.ptr,
        "extra    index ix_kids_lower  (unverified: raw SQL names it)\n"
        "unverified  from: revision r2, operation 1, raw SQL: "
        "CREATE INDEX ix_kids_lower ON kids (lower(age::text))\n");
    ck_assert(pcsm_diff_at(diff, 0)->unverified);
    ck_assert(!pcsm_diff_differs(diff));
    ck_assert_ptr_nonnull(strstr(json.ptr, "\"to\":null,\"verified\":false}\n"));
    teardown();
    setup();
    /* Names fold as the server folds them: Kids is kids. */
    compare_models(up_base, up_raw_column, up_base, up_api_column);
    ck_assert_uint_eq(pcsm_diff_count(diff), 1);
    ck_assert(pcsm_diff_at(diff, 0)->unverified);
    ck_assert(!pcsm_diff_differs(diff));
    teardown();
    setup();
    compare_models(up_base, up_raw_trigger, up_base, up_api_column);
    ck_assert_str_eq(text.ptr,
        "extra    column kids.nick\n"
        "unverified  from: revision r2, operation 1, raw SQL: "
        "CREATE TRIGGER kids_touch BEFORE UPDATE ON kids FOR EACH ROW EXECUTE FUN...\n");
    ck_assert(pcsm_diff_differs(diff));
    teardown();
    setup();
    compare_models(up_base, up_raw_column, up_base, up_raw_then_api_column);
    ck_assert_str_eq(text.ptr, "extra    column kids.nick\n");
    ck_assert(pcsm_diff_differs(diff));
    ck_assert_uint_eq(pcsm_diff_raw_sql_count(diff), 0);
    teardown();
    setup();
    /* Raw SQL may have changed what both sides have. */
    compare_models(up_base, up_raw_retype, up_base, up_retype_age);
    ck_assert_str_eq(text.ptr,
        "changed  column kids.age  type: integer -> bigint  (unverified: raw SQL names it)\n"
        "unverified  from: revision r2, operation 1, raw SQL: "
        "ALTER TABLE kids ALTER COLUMN age TYPE bigint\n");
    teardown();
    setup();
    /* Never made what its own side's model saw made: toys is missing, verified. */
    compare_models(up_base, up_table_and_data, up_base, NULL);
    ck_assert_str_eq(text.ptr,
        "missing  table toys\n"
        "unverified  from: revision r2, operation 3, raw SQL: "
        "INSERT INTO toys (id) VALUES (gen_random_uuid())\n");
    ck_assert(pcsm_diff_differs(diff));
}
END_TEST

/* ------------------------------------------------ what no model holds */

static void add_unmodelled(pcsm_schema *s, const char *kind, const char *schema,
                           const char *name)
{
    struct pcsm_schema_unmodelled *u;

    pcsm__grow(&s->unmodelled, &s->cap_unmodelled, s->n_unmodelled + 1,
               sizeof(*s->unmodelled));
    u = &s->unmodelled[s->n_unmodelled++];
    u->kind = pcsm__xstrdup(kind);
    u->schema = schema ? pcsm__xstrdup(schema) : NULL;
    u->name = pcsm__xstrdup(name);
}

/* Listed once each, on the side that has it or on both; never a difference. */
START_TEST(test_diff_unmodelled_objects_are_listed_not_counted)
{
    from = test_declared_model(up_base, NULL);
    to = test_declared_model(up_base, NULL);
    add_unmodelled(from, "rule", NULL, "kids.no_delete");
    add_unmodelled(from, "domain", "billing", "amount");
    add_unmodelled(to, "domain", "billing", "amount");
    add_unmodelled(to, "privileges", NULL, "kids {a=r/b}");
    add_unmodelled(to, "domain", NULL, "amount\nx");
    compare();
    ck_assert(pcsm_schema_equal(from, to));
    ck_assert(!pcsm_diff_differs(diff));
    ck_assert_uint_eq(pcsm_diff_count(diff), 0);
    ck_assert_uint_eq(pcsm_diff_unmodelled_count(diff), 4);
    ck_assert_int_eq(pcsm_diff_unmodelled_at(diff, 0)->side, PCSM_DIFF_EXTRA);
    ck_assert_int_eq(pcsm_diff_unmodelled_at(diff, 1)->side, PCSM_DIFF_CHANGED);
    assert_lines(text.ptr,
                 "unverified  to: domain amount\\nx  (not modelled)\n"
                 "unverified  both: domain billing.amount  (not modelled)\n"
                 "unverified  to: privileges kids {a=r/b}  (not modelled)\n"
                 "unverified  from: rule kids.no_delete  (not modelled)\n");
    assert_lines(json.ptr,
                 "{\"change\":\"unverified\",\"side\":\"to\",\"object\":\"domain\","
                 "\"path\":\"amount\\nx\",\"modelled\":false}\n"
                 "{\"change\":\"unverified\",\"side\":\"both\",\"object\":\"domain\","
                 "\"path\":\"billing.amount\",\"modelled\":false}\n"
                 "{\"change\":\"unverified\",\"side\":\"to\",\"object\":\"privileges\","
                 "\"path\":\"kids {a=r/b}\",\"modelled\":false}\n"
                 "{\"change\":\"unverified\",\"side\":\"from\",\"object\":\"rule\","
                 "\"path\":\"kids.no_delete\",\"modelled\":false}\n");
}
END_TEST

static Suite *diff_suite(void)
{
    Suite *s = suite_create("diff");
    TCase *tc = tcase_create("diff");

    tcase_add_checked_fixture(tc, setup, teardown);
    tcase_add_test(tc, test_diff_equal_models_have_no_entries);
    tcase_add_test(tc, test_diff_unmodelled_objects_are_listed_not_counted);
    tcase_add_test(tc, test_diff_server_named_check_matched_by_definition);
    tcase_add_test(tc, test_diff_same_sql_ignores_whitespace_only);
    tcase_add_test(tc, test_diff_table_added_or_dropped_is_one_entry);
    tcase_add_test(tc, test_diff_columns_added_dropped_retyped);
    tcase_add_test(tc, test_diff_default_nullability_comment);
    tcase_add_test(tc, test_diff_sequences_identity_generated_collation);
    tcase_add_test(tc, test_diff_empty_comment_is_none);
    tcase_add_test(tc, test_diff_default_written_for_another_type);
    tcase_add_test(tc, test_diff_indexes);
    tcase_add_test(tc, test_diff_foreign_key_action);
    tcase_add_test(tc, test_diff_dropped_checks);
    tcase_add_test(tc, test_diff_not_valid_and_kind);
    tcase_add_test(tc, test_diff_exclusion_constraints);
    tcase_add_test(tc, test_diff_order_is_fixed);
    tcase_add_test(tc, test_diff_json_lines);
    tcase_add_test(tc, test_diff_triggers_functions_types_extensions);
    tcase_add_test(tc, test_diff_trigger_disabled);
    tcase_add_test(tc, test_diff_raw_sql_is_unverified_not_a_difference);
    tcase_add_test(tc, test_diff_raw_sql_names_make_entries_unverified);
    tcase_add_test(tc, test_diff_views);
    tcase_add_test(tc, test_diff_view_without_reads_is_unverified);
    suite_add_tcase(s, tc);
    return s;
}

int main(void)
{
    return test_run_suite(diff_suite());
}
