/*
 * Unit tests of the schema model in more than one schema (issue 20):
 * replay puts each object in the schema pcsm_set_schema() named, checks
 * names per schema as the server does, follows foreign keys, types and
 * trigger functions across schemas, replays create_schema and
 * drop_schema, and prints the model back as operations that replay to
 * an equal one.
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

/* Replays revs (a chain) to heads; returns the library's code. */
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

static void declare_ok(const pcsm_revision *revs, size_t n)
{
    int rc = declare(revs, n);

    ck_assert_msg(rc == 0, "%s", rc ? pcsm_error_last(ctx)->message : "");
}

static const struct pcsm_schema_constraint *constraint_of(const struct pcsm_schema_table *t,
                                                         enum pcsm_constraint_kind kind)
{
    size_t i;

    ck_assert_ptr_nonnull(t);
    for (i = 0; i < t->n_constraints; i++)
        if (t->constraints[i].kind == kind)
            return &t->constraints[i];
    return NULL;
}

struct refusal {
    pcsm_migration_fn up;
    const char *message;
};

/* Each case, as the revision after `base`, is refused by replay with its message. */
static void assert_refusals(pcsm_migration_fn base, const struct refusal *cases, size_t n)
{
    size_t i;

    for (i = 0; i < n; i++) {
        pcsm_revision revs[] = {
            REV("r1", no_parents, 0, base), REV("r2", after_r1, 1, cases[i].up),
        };

        ck_assert_int_eq(declare(revs, 2), PCSM_EMIGRATION);
        ck_assert_ptr_null(model);
        ck_assert_msg(strstr(pcsm_error_last(ctx)->message, cases[i].message),
                      "case %zu: %s", i, pcsm_error_last(ctx)->message);
        teardown();
    }
}

/*
 * Records the model back as operations (print.c), replays them into an
 * empty model and checks that it equals the model.
 */
static void assert_prints_back(void)
{
    static const pcsm_revision rev = REV("printed", no_parents, 0, NULL);
    pcsm_op *op = pcsm_op__new(NULL, PCSM_UPGRADE);
    pcsm_schema *again = pcsm_schema__new();
    size_t i;

    pcsm_schema__record(op, model, false);
    ck_assert_msg(!pcsm_op__failure(op), "%s", pcsm_op__failure(op));
    for (i = 0; i < pcsm_op__count(op); i++) {
        int rc = pcsm_schema__apply(ctx, again, &rev, i, pcsm_op__at(op, i));

        ck_assert_msg(rc == 0, "%s", pcsm_error_last(ctx)->message);
    }
    pcsm_schema__sort(again);
    ck_assert_msg(pcsm_schema_equal(model, again), "printed back:\n%s", sql.ptr);
    pcsm_schema_free(again);
    pcsm_op__free(op);
}

/* -------------------------------------------------- two schemas, one name */

static void up_two_invoices(pcsm_op *op)
{
    pcsm_create_schema(op, "billing", 0);
    pcsm_create_table(op, "invoices", PCSM_COLUMNS(
        { .name = "id", .type = PCSM_BIGINT, .primary_key = true }), NULL, NULL);
    pcsm_set_schema(op, "billing");
    pcsm_create_table(op, "invoices", PCSM_COLUMNS(
        { .name = "id", .type = PCSM_BIGINT, .primary_key = true },
        { .name = "total", .type = PCSM_NUMERIC(12, 2), .unique = true }), NULL, NULL);
    pcsm_create_index(op, &(pcsm_index){ .table = "invoices", .columns = PCSM_NAMES("id") });
    pcsm_set_schema(op, NULL);
    /* The target's index takes the same name: the names are per schema. */
    pcsm_create_index(op, &(pcsm_index){ .table = "invoices", .columns = PCSM_NAMES("id") });
}

static void up_drop_billing_invoices(pcsm_op *op)
{
    pcsm_set_schema(op, "billing");
    pcsm_drop_table(op, "invoices", 0);
}

START_TEST(test_qualified_same_name_two_schemas)
{
    static const pcsm_revision revs[] = {
        REV("r1", no_parents, 0, up_two_invoices), REV("r2", after_r1, 1,
                                                        up_drop_billing_invoices),
    };
    const struct pcsm_schema_table *t, *b;

    declare_ok(revs, 1);
    ck_assert_uint_eq(model->n_tables, 2);
    ck_assert_uint_eq(model->n_schemas, 1);
    ck_assert_str_eq(model->schemas[0], "billing");
    t = pcsm_schema__table(model, "invoices");
    b = pcsm_schema__table_in(model, "billing", "invoices");
    ck_assert_ptr_nonnull(t);
    ck_assert_ptr_nonnull(b);
    ck_assert_ptr_ne(t, b);
    ck_assert_ptr_null(t->schema);
    ck_assert_str_eq(b->schema, "billing");
    ck_assert_uint_eq(t->n_columns, 1);
    ck_assert_uint_eq(b->n_columns, 2);
    /* The target first once sorted. */
    ck_assert_ptr_eq(t, &model->tables[0]);
    /* The server's names, each free in its own schema. */
    ck_assert_str_eq(constraint_of(t, PCSM_PRIMARY_KEY)->name, "invoices_pkey");
    ck_assert_str_eq(constraint_of(b, PCSM_PRIMARY_KEY)->name, "invoices_pkey");
    ck_assert_str_eq(constraint_of(b, PCSM_UNIQUE)->name, "invoices_total_key");
    ck_assert_ptr_nonnull(pcsm_schema__index_in(model, "billing", "invoices_id_idx"));
    ck_assert_ptr_nonnull(pcsm_schema__index(model, "invoices_id_idx"));
    ck_assert_str_eq(pcsm_schema__index_in(model, "billing", "invoices_id_idx")->schema,
                     "billing");
    /* Printed qualified, after the schema's own create. */
    ck_assert_ptr_nonnull(strstr(sql.ptr, "CREATE SCHEMA IF NOT EXISTS \"billing\""));
    ck_assert_ptr_nonnull(strstr(sql.ptr, "CREATE TABLE \"billing\".\"invoices\""));
    ck_assert_ptr_nonnull(strstr(sql.ptr, "CREATE TABLE \"invoices\""));
    ck_assert(strstr(sql.ptr, "CREATE SCHEMA") < strstr(sql.ptr, "CREATE TABLE"));
    assert_prints_back();
    teardown();

    /* Dropping one leaves the other. */
    declare_ok(revs, 2);
    ck_assert_uint_eq(model->n_tables, 1);
    ck_assert_ptr_nonnull(pcsm_schema__table(model, "invoices"));
    ck_assert_ptr_null(pcsm_schema__table_in(model, "billing", "invoices"));
    /* Its index went with it, the target's stayed. */
    ck_assert_uint_eq(model->n_indexes, 1);
    ck_assert_ptr_null(model->indexes[0].schema);
}
END_TEST

/* ------------------------------------------------ foreign keys, renames */

static void up_across(pcsm_op *op)
{
    pcsm_create_table(op, "customers", PCSM_COLUMNS(
        { .name = "id", .type = PCSM_BIGINT, .primary_key = true }), NULL, NULL);
    pcsm_set_schema(op, "billing");
    pcsm_create_table(op, "invoices", PCSM_COLUMNS(
        { .name = "id", .type = PCSM_BIGINT, .primary_key = true },
        { .name = "customer", .type = PCSM_BIGINT, .references = "customers" },
        { .name = "total", .type = PCSM_INTEGER }), NULL, NULL);
    pcsm_create_index(op, &(pcsm_index){ .name = "by_total", .table = "invoices",
                                         .columns = PCSM_NAMES("total") });
    pcsm_set_schema(op, NULL);
    pcsm_create_table(op, "payments", PCSM_COLUMNS(
        { .name = "id", .type = PCSM_BIGINT, .primary_key = true },
        { .name = "invoice", .type = PCSM_BIGINT }),
        PCSM_CONSTRAINTS({ .kind = PCSM_FOREIGN_KEY, .columns = PCSM_NAMES("invoice"),
                           .references = "invoices", .ref_schema = "billing" }), NULL);
    /* A target index may have the name of billing's. */
    pcsm_create_index(op, &(pcsm_index){ .name = "by_total", .table = "payments",
                                         .columns = PCSM_NAMES("invoice") });
}

static void up_rename_in_billing(pcsm_op *op)
{
    pcsm_set_schema(op, "billing");
    pcsm_rename_index(op, "by_total", "by_amount");
    pcsm_rename_table(op, "invoices", "bills");
    pcsm_rename_column(op, "bills", "id", "bill_id");
}

START_TEST(test_qualified_foreign_keys_and_renames)
{
    static const pcsm_revision revs[] = {
        REV("r1", no_parents, 0, up_across), REV("r2", after_r1, 1, up_rename_in_billing),
    };
    const struct pcsm_schema_constraint *fk;

    declare_ok(revs, 1);
    fk = constraint_of(pcsm_schema__table_in(model, "billing", "invoices"), PCSM_FOREIGN_KEY);
    ck_assert_str_eq(fk->references, "customers");
    ck_assert_ptr_null(fk->ref_schema);
    ck_assert_str_eq(fk->name, "invoices_customer_fkey");
    fk = constraint_of(pcsm_schema__table(model, "payments"), PCSM_FOREIGN_KEY);
    ck_assert_str_eq(fk->references, "invoices");
    ck_assert_str_eq(fk->ref_schema, "billing");
    ck_assert_ptr_nonnull(strstr(sql.ptr, "REFERENCES \"billing\".\"invoices\""));
    /* Objects in a schema no create_schema made are accepted, and not listed. */
    ck_assert_uint_eq(model->n_schemas, 0);
    assert_prints_back();
    teardown();

    declare_ok(revs, 2);
    ck_assert_ptr_nonnull(pcsm_schema__index_in(model, "billing", "by_amount"));
    ck_assert_str_eq(pcsm_schema__index_in(model, "billing", "by_amount")->table, "bills");
    ck_assert_ptr_nonnull(pcsm_schema__index(model, "by_total"));
    ck_assert_str_eq(pcsm_schema__index(model, "by_total")->table, "payments");
    /* The foreign key into billing follows its table and column. */
    fk = constraint_of(pcsm_schema__table(model, "payments"), PCSM_FOREIGN_KEY);
    ck_assert_str_eq(fk->references, "bills");
    ck_assert_str_eq(fk->ref_schema, "billing");
    assert_prints_back();
}
END_TEST

static void up_drop_referenced(pcsm_op *op)
{
    pcsm_set_schema(op, "billing");
    pcsm_drop_table(op, "invoices", 0);
}
static void up_ref_missing(pcsm_op *op)
{
    pcsm_add_constraint(op, "payments", &(pcsm_constraint){
        .kind = PCSM_FOREIGN_KEY, .columns = PCSM_NAMES("invoice"),
        .references = "customers", .ref_schema = "billing" });
}
static void up_rename_other_schemas_index(pcsm_op *op)
{
    pcsm_rename_index(op, "invoices_pkey", "x");
}
static void up_index_name_taken(pcsm_op *op)
{
    pcsm_set_schema(op, "billing");
    pcsm_create_index(op, &(pcsm_index){ .name = "invoices_pkey", .table = "invoices",
                                         .columns = PCSM_NAMES("total") });
}
static void up_table_missing_in_schema(pcsm_op *op)
{
    pcsm_set_schema(op, "billing");
    pcsm_add_column(op, "payments", &(pcsm_column){ .name = "x", .type = PCSM_TEXT });
}
static void up_lock_missing_in_schema(pcsm_op *op)
{
    pcsm_set_schema(op, "billing");
    pcsm_lock_table(op, "customers", PCSM_LOCK_ACCESS_SHARE, 0);
}
static void up_rename_to_taken(pcsm_op *op)
{
    pcsm_set_schema(op, "billing");
    pcsm_rename_table(op, "invoices", "by_total");
}

START_TEST(test_qualified_refuses_what_the_server_would)
{
    static const struct refusal cases[] = {
        { up_drop_referenced, "drop_table \"billing\".\"invoices\": foreign keys of \"payments\" "
                              "reference it (drop them, or CASCADE)" },
        { up_ref_missing, "referenced table \"billing\".\"customers\" does not exist" },
        { up_rename_other_schemas_index, "index \"invoices_pkey\" does not exist" },
        { up_index_name_taken, "relation \"invoices_pkey\" already exists" },
        { up_table_missing_in_schema, "table \"payments\" does not exist" },
        { up_lock_missing_in_schema, "relation \"customers\" does not exist" },
        { up_rename_to_taken, "relation \"by_total\" already exists" },
    };

    assert_refusals(up_across, cases, sizeof(cases) / sizeof(*cases));
}
END_TEST

/* ----------------------------------------------------- types and names */

static void up_enum_in_billing(pcsm_op *op)
{
    pcsm_set_schema(op, "billing");
    pcsm_create_enum(op, "mood", PCSM_LABELS("sad", "ok"));
    pcsm_set_schema(op, NULL);
    pcsm_create_enum(op, "mood", PCSM_LABELS("happy"));
    pcsm_create_table(op, "people", PCSM_COLUMNS(
        { .name = "id", .type = PCSM_INTEGER },
        { .name = "m", .type = PCSM_TYPE_IN("billing", "mood") }), NULL, NULL);
}

/* The target's mood is used by nothing: it goes, billing's stays in use. */
static void up_drop_target_mood(pcsm_op *op)
{
    pcsm_drop_type(op, "mood", 0);
}

static void up_drop_billing_mood(pcsm_op *op)
{
    pcsm_set_schema(op, "billing");
    pcsm_drop_type(op, "mood", 0);
}

/* A function taking billing's mood, qualified as its arguments must spell it. */
static void up_function_of_billing_mood(pcsm_op *op)
{
    pcsm_drop_column(op, "people", "m", 0);
    pcsm_create_function(op, &(pcsm_function){
        .name = "cheer", .arguments = "m billing.mood", .returns = "text", .language = "sql",
        .body = "SELECT m::text" });
    pcsm_create_function(op, &(pcsm_function){
        .name = "glum", .arguments = "m mood", .returns = "text", .language = "sql",
        .body = "SELECT m::text" });
    pcsm_set_schema(op, "billing");
    pcsm_drop_type(op, "mood", 0);
}

static void up_drop_billing_mood_cascade(pcsm_op *op)
{
    pcsm_set_schema(op, "billing");
    pcsm_drop_type(op, "mood", PCSM_DROP_CASCADE);
}

START_TEST(test_qualified_enum_in_schema)
{
    static const pcsm_revision drop_target[] = {
        REV("r1", no_parents, 0, up_enum_in_billing), REV("r2", after_r1, 1, up_drop_target_mood),
    };
    static const pcsm_revision cascade[] = {
        REV("r1", no_parents, 0, up_enum_in_billing),
        REV("r2", after_r1, 1, up_drop_billing_mood_cascade),
    };
    static const struct refusal refused[] = {
        { up_drop_billing_mood, "drop_type \"billing\".\"mood\": column \"m\" of \"people\" "
                                "is of this type (drop it, or CASCADE)" },
        { up_function_of_billing_mood, "function \"cheer\"(m billing.mood) takes or returns "
                                       "it" },
    };

    declare_ok(drop_target, 1);
    ck_assert_uint_eq(model->n_types, 2);
    ck_assert_str_eq(model->types[1].schema, "billing");
    ck_assert_ptr_nonnull(strstr(sql.ptr, "CREATE TYPE \"billing\".\"mood\""));
    assert_prints_back();
    teardown();
    declare_ok(drop_target, 2);
    ck_assert_uint_eq(model->n_types, 1);
    ck_assert_ptr_nonnull(pcsm_schema__type_in(model, "billing", "mood"));
    teardown();
    assert_refusals(up_enum_in_billing, refused, sizeof(refused) / sizeof(*refused));
    declare_ok(cascade, 2);
    ck_assert_uint_eq(model->n_types, 1);
    ck_assert_ptr_nonnull(pcsm_schema__type(model, "mood"));
    ck_assert_uint_eq(pcsm_schema__table(model, "people")->n_columns, 1);
}
END_TEST

static void up_unnamed_per_schema(pcsm_op *op)
{
    /* billing's relation of the name the server would choose: the next one, there only. */
    pcsm_set_schema(op, "billing");
    pcsm_create_sequence(op, "t_a_key", NULL, NULL, NULL);
    pcsm_create_table(op, "t", PCSM_COLUMNS(
        { .name = "a", .type = PCSM_INTEGER, .unique = true, .check = "a > 0" }), NULL, NULL);
    pcsm_create_table(op, "orders", PCSM_COLUMNS(
        { .name = "id", .type = PCSM_SERIAL }), NULL, NULL);
    pcsm_set_schema(op, NULL);
    pcsm_create_table(op, "t", PCSM_COLUMNS(
        { .name = "a", .type = PCSM_INTEGER, .unique = true, .check = "a > 0" }), NULL, NULL);
    pcsm_create_table(op, "orders", PCSM_COLUMNS(
        { .name = "id", .type = PCSM_SERIAL },
        { .name = "n", .type = PCSM_INTEGER, .identity = PCSM_IDENTITY_ALWAYS }), NULL, NULL);
    pcsm_set_schema(op, "billing");
    pcsm_add_column(op, "orders", &(pcsm_column){
        .name = "n", .type = PCSM_INTEGER, .identity = PCSM_IDENTITY_ALWAYS });
    pcsm_rename_sequence(op, "orders_id_seq", "order_numbers");
}

static void up_drop_serial_sequence(pcsm_op *op)
{
    pcsm_set_schema(op, "billing");
    pcsm_drop_sequence(op, "order_numbers", 0);
}

static void up_drop_serial_sequence_cascade(pcsm_op *op)
{
    pcsm_set_schema(op, "billing");
    pcsm_drop_sequence(op, "order_numbers", PCSM_DROP_CASCADE);
}

START_TEST(test_qualified_server_names_per_schema)
{
    static const pcsm_revision revs[] = {
        REV("r1", no_parents, 0, up_unnamed_per_schema),
        REV("r2", after_r1, 1, up_drop_serial_sequence_cascade),
    };
    static const struct refusal refused[] = {
        { up_drop_serial_sequence, "default value for column \"id\" of table \"orders\" "
                                   "depends on it" },
    };
    const struct pcsm_schema_table *t, *b;
    const struct pcsm_schema_sequence *q;

    declare_ok(revs, 1);
    t = pcsm_schema__table(model, "t");
    b = pcsm_schema__table_in(model, "billing", "t");
    ck_assert_str_eq(constraint_of(t, PCSM_UNIQUE)->name, "t_a_key");
    ck_assert_str_eq(constraint_of(b, PCSM_UNIQUE)->name, "t_a_key1");
    /* Constraint names are chosen per schema too: each has its t_a_check. */
    ck_assert_str_eq(constraint_of(t, PCSM_CHECK)->name, "t_a_check");
    ck_assert_str_eq(constraint_of(b, PCSM_CHECK)->name, "t_a_check");
    /* Serial sequences in their table's schema, named free there. */
    q = pcsm_schema__sequence_in(model, "billing", "order_numbers");
    ck_assert_ptr_nonnull(q);
    ck_assert_str_eq(q->owned_table, "orders");
    ck_assert_ptr_nonnull(pcsm_schema__sequence(model, "orders_id_seq"));
    ck_assert_str_eq(pcsm_schema__table_in(model, "billing", "orders")->columns[0]
                         .default_value.text,
                     "nextval('\"billing\".\"order_numbers\"'::regclass)");
    ck_assert_str_eq(pcsm_schema__table(model, "orders")->columns[0].default_value.text,
                     "nextval('orders_id_seq'::regclass)");
    ck_assert_str_eq(pcsm_schema__table_in(model, "billing", "orders")->columns[1]
                         .identity_sequence, "orders_n_seq");
    ck_assert_str_eq(pcsm_schema__table(model, "orders")->columns[1].identity_sequence,
                     "orders_n_seq");
    assert_prints_back();
    teardown();
    assert_refusals(up_unnamed_per_schema, refused, 1);
    declare_ok(revs, 2);
    ck_assert_uint_eq(pcsm_schema__table_in(model, "billing", "orders")->columns[0]
                          .default_value.kind, PCSM_VALUE_NONE);
    ck_assert_uint_eq(pcsm_schema__table(model, "orders")->columns[0].default_value.kind,
                      PCSM_VALUE_EXPR);
}
END_TEST

/* ------------------------------------------- schemas made outside */

static void up_outside(pcsm_op *op)
{
    /* "auth" and "ext" are no schemas the model knows: what they hold is not its to check. */
    pcsm_create_table(op, "profiles", PCSM_COLUMNS(
        { .name = "id", .type = PCSM_UUID, .references = "users", .ref_schema = "auth" }),
        NULL, NULL);
    pcsm_create_trigger(op, &(pcsm_trigger){
        .name = "profiles_audit", .table = "profiles", .timing = PCSM_AFTER,
        .events = PCSM_ON_INSERT, .for_each_row = true, .function = "audit",
        .function_schema = "ext" });
}

/* Once the model holds an object in auth, auth is known, and checked. */
static void up_outside_known(pcsm_op *op)
{
    pcsm_set_schema(op, "auth");
    pcsm_create_table(op, "sessions", PCSM_COLUMNS({ .name = "id", .type = PCSM_UUID }), NULL,
                      NULL);
    pcsm_set_schema(op, NULL);
    pcsm_add_column(op, "profiles", &(pcsm_column){
        .name = "owner", .type = PCSM_UUID, .references = "owners", .ref_schema = "auth" });
}

static void up_outside_table_missing(pcsm_op *op)
{
    pcsm_set_schema(op, "auth");
    pcsm_drop_table(op, "users", 0);
}

START_TEST(test_qualified_references_into_unknown_schemas)
{
    static const pcsm_revision revs[] = { REV("r1", no_parents, 0, up_outside) };
    static const struct refusal refused[] = {
        { up_outside_known, "add_column \"profiles\": referenced table \"auth\".\"owners\" "
                            "does not exist" },
        { up_outside_table_missing, "drop_table \"auth\".\"users\": table \"users\" does not "
                                    "exist" },
    };
    const struct pcsm_schema_table *t;

    declare_ok(revs, 1);
    t = pcsm_schema__table(model, "profiles");
    ck_assert_str_eq(constraint_of(t, PCSM_FOREIGN_KEY)->ref_schema, "auth");
    ck_assert_str_eq(t->triggers[0].function_schema, "ext");
    ck_assert_uint_eq(model->n_schemas, 0);
    assert_prints_back();
    teardown();
    assert_refusals(up_outside, refused, sizeof(refused) / sizeof(*refused));
}
END_TEST

/* ------------------------------------------- functions, triggers, views */

#define TOUCH_BODY "BEGIN\n    RETURN NEW;\nEND\n"

static void up_functions(pcsm_op *op)
{
    pcsm_create_schema(op, "audit", PCSM_IF_NOT_EXISTS);
    pcsm_create_table(op, "kids", PCSM_COLUMNS(
        { .name = "id", .type = PCSM_INTEGER, .primary_key = true }), NULL, NULL);
    pcsm_create_view(op, &(pcsm_view){ .name = "kid_ids", .query = "SELECT id FROM kids",
                                       .reads = PCSM_NAMES("kids") });
    pcsm_set_schema(op, "audit");
    pcsm_create_function(op, &(pcsm_function){
        .name = "touch", .arguments = "", .returns = "trigger", .language = "plpgsql",
        .body = TOUCH_BODY });
    /* A view in audit reading the target's kids, as its reads say. */
    pcsm_create_view(op, &(pcsm_view){ .name = "kid_ids", .query = "SELECT id FROM kids",
                                       .reads = PCSM_NAMES("kids", "kid_ids") });
    pcsm_set_schema(op, NULL);
    pcsm_create_trigger(op, &(pcsm_trigger){
        .name = "kids_touch", .table = "kids", .timing = PCSM_BEFORE,
        .events = PCSM_ON_UPDATE, .for_each_row = true, .function = "touch",
        .function_schema = "audit" });
}

static void up_trigger_function_missing(pcsm_op *op)
{
    pcsm_create_trigger(op, &(pcsm_trigger){
        .name = "kids_touch2", .table = "kids", .timing = PCSM_BEFORE,
        .events = PCSM_ON_UPDATE, .for_each_row = true, .function = "touch" });
}

static void up_drop_used_function(pcsm_op *op)
{
    pcsm_set_schema(op, "audit");
    pcsm_drop_function(op, "touch", NULL, 0);
}

static void up_drop_audit_view_twice(pcsm_op *op)
{
    pcsm_set_schema(op, "audit");
    pcsm_drop_view(op, "kid_ids", 0);
    pcsm_drop_view(op, "kid_ids", 0);
}

START_TEST(test_qualified_functions_triggers_views)
{
    static const struct refusal refused[] = {
        { up_trigger_function_missing, "function \"touch\"() does not exist" },
        { up_drop_used_function, "trigger \"kids_touch\" on \"kids\" depends on function "
                                 "\"touch\"" },
        { up_drop_audit_view_twice, "view \"kid_ids\" does not exist" },
    };
    static const pcsm_revision revs[] = { REV("r1", no_parents, 0, up_functions) };
    const struct pcsm_schema_trigger *tr;

    declare_ok(revs, 1);
    tr = &pcsm_schema__table(model, "kids")->triggers[0];
    ck_assert_str_eq(tr->function_schema, "audit");
    ck_assert_ptr_nonnull(pcsm_schema__function_in(model, "audit", "touch", ""));
    ck_assert_ptr_null(pcsm_schema__function(model, "touch", ""));
    ck_assert_uint_eq(model->n_views, 2);
    ck_assert_ptr_nonnull(pcsm_schema__view_in(model, "audit", "kid_ids"));
    ck_assert_ptr_nonnull(strstr(sql.ptr, "EXECUTE FUNCTION \"audit\".\"touch\"()"));
    assert_prints_back();
    teardown();
    assert_refusals(up_functions, refused, sizeof(refused) / sizeof(*refused));
}
END_TEST

/* ------------------------------------------------ create and drop schema */

static void up_billing(pcsm_op *op)
{
    pcsm_create_schema(op, "billing", 0);
    pcsm_create_table(op, "customers", PCSM_COLUMNS(
        { .name = "id", .type = PCSM_BIGINT, .primary_key = true }), NULL, NULL);
    pcsm_set_schema(op, "billing");
    pcsm_create_enum(op, "state", PCSM_LABELS("open", "paid"));
    pcsm_create_function(op, &(pcsm_function){
        .name = "touch", .arguments = "", .returns = "trigger", .language = "plpgsql",
        .body = TOUCH_BODY });
    pcsm_create_sequence(op, "numbers", NULL, NULL, NULL);
    pcsm_create_table(op, "invoices", PCSM_COLUMNS(
        { .name = "id", .type = PCSM_BIGINT, .primary_key = true },
        { .name = "customer", .type = PCSM_BIGINT, .references = "customers" }), NULL, NULL);
    pcsm_create_index(op, &(pcsm_index){ .table = "invoices",
                                         .columns = PCSM_NAMES("customer") });
    pcsm_set_schema(op, NULL);
    pcsm_create_table(op, "payments", PCSM_COLUMNS(
        { .name = "id", .type = PCSM_BIGINT, .default_value =
              PCSM_EXPR("nextval('billing.numbers')") },
        { .name = "invoice", .type = PCSM_BIGINT, .references = "invoices",
          .ref_schema = "billing" },
        { .name = "state", .type = PCSM_TYPE_IN("billing", "state") }), NULL, NULL);
    pcsm_create_trigger(op, &(pcsm_trigger){
        .name = "payments_touch", .table = "payments", .timing = PCSM_BEFORE,
        .events = PCSM_ON_UPDATE, .for_each_row = true, .function = "touch",
        .function_schema = "billing" });
    /* Another schema made outside the revisions, with a table in it. */
    pcsm_set_schema(op, "ext");
    pcsm_create_table(op, "things", PCSM_COLUMNS(
        { .name = "id", .type = PCSM_BIGINT }), NULL, NULL);
}

static void up_drop_billing_cascade(pcsm_op *op)
{
    pcsm_drop_schema(op, "billing", PCSM_DROP_CASCADE);
    pcsm_drop_schema(op, "billing", PCSM_IF_EXISTS);
    /* Known by its objects: ext exists, and may be dropped. */
    pcsm_create_schema(op, "ext", PCSM_IF_NOT_EXISTS);
    pcsm_drop_schema(op, "ext", PCSM_DROP_CASCADE);
    pcsm_create_schema(op, "billing", 0);
}

static void up_create_twice(pcsm_op *op) { pcsm_create_schema(op, "billing", 0); }
static void up_create_known_by_objects(pcsm_op *op) { pcsm_create_schema(op, "ext", 0); }
static void up_drop_unknown(pcsm_op *op) { pcsm_drop_schema(op, "nope", 0); }
static void up_drop_holding(pcsm_op *op) { pcsm_drop_schema(op, "billing", 0); }
static void up_drop_twice(pcsm_op *op)
{
    pcsm_drop_schema(op, "billing", PCSM_DROP_CASCADE);
    pcsm_drop_schema(op, "billing", PCSM_DROP_CASCADE);
}
static void up_nextval_missing(pcsm_op *op)
{
    pcsm_set_default(op, "payments", "id", PCSM_EXPR("nextval('billing.nope')"));
}
/* A schema the model does not know may hold it: not checked. */
static void up_nextval_unknown_schema(pcsm_op *op)
{
    pcsm_set_default(op, "payments", "id", PCSM_EXPR("nextval('elsewhere.nope')"));
}

START_TEST(test_qualified_create_and_drop_schema)
{
    static const pcsm_revision revs[] = {
        REV("r1", no_parents, 0, up_billing), REV("r2", after_r1, 1, up_drop_billing_cascade),
    };
    static const pcsm_revision unknown[] = {
        REV("r1", no_parents, 0, up_billing), REV("r2", after_r1, 1, up_nextval_unknown_schema),
    };
    static const struct refusal refused[] = {
        { up_create_twice, "create_schema \"billing\": schema \"billing\" already exists" },
        { up_create_known_by_objects, "schema \"ext\" already exists" },
        { up_drop_unknown, "drop_schema \"nope\": schema \"nope\" does not exist" },
        { up_drop_holding, "schema \"billing\" holds objects the model knows (drop them, or "
                           "CASCADE)" },
        { up_drop_twice, "schema \"billing\" does not exist" },
        { up_nextval_missing, "relation \"billing\".\"nope\" does not exist" },
    };
    const struct pcsm_schema_table *p;
    pcsm_buf json = PCSM_BUF_INIT;

    declare_ok(revs, 1);
    ck_assert_uint_eq(model->n_schemas, 1);
    ck_assert_ptr_nonnull(pcsm_schema__table_in(model, "ext", "things"));
    assert_prints_back();
    /* JSON: "schema" outside the target only; the schemas made first. */
    pcsm_schema_json(model, &json);
    ck_assert_msg(!strncmp(json.ptr, "{\"object\":\"namespace\",\"name\":\"billing\"}\n",
                           40), "%s", json.ptr);
    ck_assert_ptr_nonnull(strstr(json.ptr, "{\"object\":\"table\",\"name\":\"customers\","));
    ck_assert_ptr_nonnull(strstr(json.ptr, "{\"object\":\"table\",\"schema\":\"billing\","
                                           "\"name\":\"invoices\","));
    ck_assert_ptr_nonnull(strstr(json.ptr, "\"references\":\"invoices\","
                                           "\"ref_schema\":\"billing\""));
    ck_assert_ptr_nonnull(strstr(json.ptr, "\"function\":\"touch\","
                                           "\"function_schema\":\"billing\""));
    ck_assert_ptr_nonnull(strstr(json.ptr, "{\"object\":\"type\",\"schema\":\"billing\","
                                           "\"kind\":\"enum\",\"name\":\"state\""));
    pcsm_buf_dispose(&json);
    teardown();

    declare_ok(revs, 2);
    /* billing re-made empty; its objects and what depended on them went. */
    ck_assert_uint_eq(model->n_schemas, 1);
    ck_assert_uint_eq(model->n_tables, 2);
    ck_assert_uint_eq(model->n_types, 0);
    ck_assert_uint_eq(model->n_functions, 0);
    ck_assert_uint_eq(model->n_sequences, 0);
    ck_assert_uint_eq(model->n_indexes, 0);
    p = pcsm_schema__table(model, "payments");
    ck_assert_uint_eq(p->n_columns, 2);             /* the column of billing.state */
    ck_assert_uint_eq(p->n_constraints, 0);         /* the foreign key into billing */
    ck_assert_uint_eq(p->n_triggers, 0);            /* the trigger running billing.touch */
    ck_assert_uint_eq(p->columns[0].default_value.kind, PCSM_VALUE_NONE);
    ck_assert_ptr_null(pcsm_schema__table_in(model, "ext", "things"));
    assert_prints_back();
    teardown();

    declare_ok(unknown, 2);
    teardown();
    assert_refusals(up_billing, refused, sizeof(refused) / sizeof(*refused));
}
END_TEST

static Suite *schema_qualified_suite(void)
{
    Suite *s = suite_create("schema_qualified");
    TCase *tc = tcase_create("schema_qualified");

    tcase_add_checked_fixture(tc, NULL, teardown);
    tcase_add_test(tc, test_qualified_same_name_two_schemas);
    tcase_add_test(tc, test_qualified_foreign_keys_and_renames);
    tcase_add_test(tc, test_qualified_refuses_what_the_server_would);
    tcase_add_test(tc, test_qualified_enum_in_schema);
    tcase_add_test(tc, test_qualified_server_names_per_schema);
    tcase_add_test(tc, test_qualified_references_into_unknown_schemas);
    tcase_add_test(tc, test_qualified_functions_triggers_views);
    tcase_add_test(tc, test_qualified_create_and_drop_schema);
    suite_add_tcase(s, tc);
    return s;
}

int main(void)
{
    return test_run_suite(schema_qualified_suite());
}
