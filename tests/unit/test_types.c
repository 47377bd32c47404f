/*
 * Unit tests of the column types beyond the first twenty (suite "types"):
 * any type by schema, name and modifiers, the common built-ins, precision
 * of the time types and the serial kinds.  Each is rendered to its exact
 * SQL and C, each validation error has its exact message, and a serial is
 * replayed into the model as the server makes it.  What the server makes
 * of the SQL is tests/integration/test_types_pg.c's business.
 */
#include <check.h>
#include <stdlib.h>
#include <string.h>

#include "pcsm/pcsm.h"
#include "render/render.h"
#include "schema/schema.h"
#include "support.h"

#define REV_PATH "versions/7e5a1c0d2b3f_types.c"
#define PREFIX "revision 7e5a1c0d2b3f (" REV_PATH "), upgrade(): "
#define NAME64 "abcdefghijklmnopqrstuvwxyzabcdefghijklmnopqrstuvwxyzabcdefghijkl"

static void (*current_body)(pcsm_op *op);

static void run_body(pcsm_op *op)
{
    current_body(op);
}

static const pcsm_revision rev = {
    .id = "7e5a1c0d2b3f", .description = "types", .source_path = REV_PATH,
    .create_date = "2026-01-01 00:00:00", .upgrade = run_body, .downgrade = run_body,
};

/* The SQL `body` renders to (rc 0), or the error message (rc < 0), malloc'd. */
static char *render(void (*body)(pcsm_op *), int *rc_out)
{
    pcsm_ctx *ctx;
    pcsm_buf out = PCSM_BUF_INIT;
    int rc;

    ck_assert_int_eq(pcsm_ctx_new(&ctx, NULL, 0), 0);
    current_body = body;
    rc = pcsm_revision_sql(ctx, &rev, PCSM_UPGRADE, &out);
    if (rc < 0) {
        pcsm_buf_dispose(&out);
        pcsm_buf_puts(&out, pcsm_error_last(ctx)->message);
    }
    pcsm_ctx_free(ctx);
    *rc_out = rc;
    return pcsm_buf_detach(&out);
}

static void expect_sql(void (*body)(pcsm_op *), const char *want)
{
    int rc;
    char *got = render(body, &rc);

    ck_assert_msg(rc == 0, "error: %s", got);
    ck_assert_str_eq(got, want);
    free(got);
}

static void expect_error(void (*body)(pcsm_op *), const char *want, const char *name)
{
    int rc;
    char *got = render(body, &rc);

    ck_assert_msg(rc == PCSM_EMIGRATION, "%s: rc %d, SQL %s", name, rc, got);
    ck_assert_msg(!strncmp(got, PREFIX, strlen(PREFIX)) && !strcmp(got + strlen(PREFIX), want),
                  "%s: got \"%s\", want \"%s\"", name, got, want);
    free(got);
}

/* ------------------------------------------------------------ rendered */

static void up_every_new_type(pcsm_op *op)
{
    pcsm_create_table(op, "t", PCSM_COLUMNS(
        { .name = "tsv", .type = PCSM_TSVECTOR }, { .name = "tsq", .type = PCSM_TSQUERY },
        { .name = "ip", .type = PCSM_INET }, { .name = "net", .type = PCSM_CIDR },
        { .name = "mac", .type = PCSM_MACADDR }, { .name = "mac8", .type = PCSM_MACADDR8 },
        { .name = "cash", .type = PCSM_MONEY }, { .name = "doc", .type = PCSM_XML },
        { .name = "o", .type = PCSM_OID }, { .name = "ttz", .type = PCSM_TIMETZ },
        { .name = "b", .type = PCSM_BIT(1) }, { .name = "b8", .type = PCSM_BIT(8) },
        { .name = "vb", .type = PCSM_VARBIT(0) }, { .name = "vb5", .type = PCSM_VARBIT(5) },
        { .name = "r4", .type = PCSM_INT4RANGE }, { .name = "r8", .type = PCSM_INT8RANGE },
        { .name = "rn", .type = PCSM_NUMRANGE }, { .name = "rts", .type = PCSM_TSRANGE },
        { .name = "rtz", .type = PCSM_TSTZRANGE }, { .name = "rd", .type = PCSM_DATERANGE },
        { .name = "t0", .type = PCSM_TIME_P(0) }, { .name = "t3", .type = PCSM_TIME_P(3) },
        { .name = "tz0", .type = PCSM_TIMETZ_P(0) }, { .name = "ts6", .type = PCSM_TIMESTAMP_P(6) },
        { .name = "tstz0", .type = PCSM_TIMESTAMPTZ_P(0) },
        { .name = "iv", .type = PCSM_INTERVAL_P(2) }, { .name = "t", .type = PCSM_TIME },
        { .name = "arr", .type = PCSM_ARRAY(PCSM_INET) },
        { .name = "ci", .type = PCSM_TYPE_IN("public", "citext") },
        { .name = "q", .type = PCSM_TYPE_IN("My \"Schema\"", "My Type") },
        { .name = "m", .type = PCSM_CUSTOM_TYPE("ext", "vector", "3") },
        { .name = "m2", .type = PCSM_ARRAY(PCSM_CUSTOM_TYPE(NULL, "fixed", "10,2")) },
        { .name = "p", .type = PCSM_CUSTOM_TYPE("pg_catalog", "point", NULL) },
        { .name = "n", .type = PCSM_NAMED_TYPE("pg_catalog.tsvector") }), NULL, NULL);
}

START_TEST(test_types_render_every_new_type)
{
    expect_sql(up_every_new_type,
        "CREATE TABLE \"t\" (\n"
        "    \"tsv\" tsvector,\n    \"tsq\" tsquery,\n    \"ip\" inet,\n    \"net\" cidr,\n"
        "    \"mac\" macaddr,\n    \"mac8\" macaddr8,\n    \"cash\" money,\n    \"doc\" xml,\n"
        "    \"o\" oid,\n    \"ttz\" timetz,\n    \"b\" bit(1),\n    \"b8\" bit(8),\n"
        "    \"vb\" varbit,\n    \"vb5\" varbit(5),\n    \"r4\" int4range,\n"
        "    \"r8\" int8range,\n    \"rn\" numrange,\n    \"rts\" tsrange,\n"
        "    \"rtz\" tstzrange,\n    \"rd\" daterange,\n    \"t0\" time(0),\n"
        "    \"t3\" time(3),\n    \"tz0\" timetz(0),\n    \"ts6\" timestamp(6),\n"
        "    \"tstz0\" timestamptz(0),\n    \"iv\" interval(2),\n    \"t\" time,\n"
        "    \"arr\" inet[],\n    \"ci\" \"public\".\"citext\",\n"
        "    \"q\" \"My \"\"Schema\"\"\".\"My Type\",\n    \"m\" \"ext\".\"vector\"(3),\n"
        "    \"m2\" \"fixed\"(10,2)[],\n    \"p\" \"pg_catalog\".\"point\",\n"
        "    \"n\" \"pg_catalog.tsvector\"\n"
        ");\n");
}
END_TEST

static void up_serials(pcsm_op *op)
{
    pcsm_create_table(op, "t", PCSM_COLUMNS(
        { .name = "id", .type = PCSM_SERIAL, .primary_key = true },
        { .name = "s", .type = PCSM_SMALLSERIAL }), NULL, NULL);
    pcsm_add_column(op, "t", &(pcsm_column){ .name = "big", .type = PCSM_BIGSERIAL,
                                             .unique = true });
}

START_TEST(test_types_render_serials)
{
    expect_sql(up_serials,
        "CREATE TABLE \"t\" (\n"
        "    \"id\" serial PRIMARY KEY,\n"
        "    \"s\" smallserial\n"
        ");\n"
        "ALTER TABLE \"t\" ADD COLUMN \"big\" bigserial UNIQUE;\n");
}
END_TEST

/* -------------------------------------------------------------- C source */

static char *c_of(void (*body)(pcsm_op *))
{
    pcsm_op *op = pcsm_op__new(NULL, PCSM_UPGRADE);
    pcsm_buf out = PCSM_BUF_INIT;
    const char *scope = NULL;
    size_t i;

    body(op);
    ck_assert_ptr_null(pcsm_op__failure(op));
    for (i = 0; i < pcsm_op__count(op); i++)
        pcsm_render__c_op(pcsm_op__at(op, i), &scope, &out);
    pcsm_op__free(op);
    return pcsm_buf_detach(&out);
}

static void up_c_types(pcsm_op *op)
{
    pcsm_create_table(op, "t", PCSM_COLUMNS(
        { .name = "a", .type = PCSM_TIMESTAMPTZ_P(0) }, { .name = "b", .type = PCSM_INTERVAL_P(3) },
        { .name = "c", .type = PCSM_BIT(4) }, { .name = "d", .type = PCSM_VARBIT(0) },
        { .name = "e", .type = PCSM_ARRAY(PCSM_CIDR) },
        { .name = "f", .type = PCSM_TYPE_IN("public", "citext") },
        { .name = "g", .type = PCSM_CUSTOM_TYPE(NULL, "v", "3") },
        { .name = "h", .type = PCSM_SERIAL }), NULL, NULL);
}

START_TEST(test_types_csource_spells_each_with_its_macro)
{
    char *c = c_of(up_c_types);

    ck_assert_str_eq(c,
        "    pcsm_create_table(op, \"t\", PCSM_COLUMNS(\n"
        "        { .name = \"a\", .type = PCSM_TIMESTAMPTZ_P(0) },\n"
        "        { .name = \"b\", .type = PCSM_INTERVAL_P(3) },\n"
        "        { .name = \"c\", .type = PCSM_BIT(4) },\n"
        "        { .name = \"d\", .type = PCSM_VARBIT(0) },\n"
        "        { .name = \"e\", .type = PCSM_ARRAY(PCSM_CIDR) },\n"
        "        { .name = \"f\", .type = PCSM_TYPE_IN(\"public\", \"citext\") },\n"
        "        { .name = \"g\", .type = PCSM_CUSTOM_TYPE(NULL, \"v\", \"3\") },\n"
        "        { .name = \"h\", .type = PCSM_SERIAL }), NULL, NULL);\n");
    free(c);
}
END_TEST

/* ---------------------------------------------------------------- errors */

#define COL(t_) &(pcsm_column){ .name = "c", .type = (t_) }
#define BODY(name, ...) static void name(pcsm_op *op) { __VA_ARGS__; }

BODY(e_modifiers_text, pcsm_add_column(op, "t", COL(PCSM_CUSTOM_TYPE(NULL, "v", "3 ,a"))))
BODY(e_modifiers_empty, pcsm_add_column(op, "t", COL(PCSM_CUSTOM_TYPE(NULL, "v", ""))))
BODY(e_modifiers_trailing_comma,
     pcsm_add_column(op, "t", COL(PCSM_CUSTOM_TYPE(NULL, "v", "3,"))))
BODY(e_modifiers_paren, pcsm_add_column(op, "t", COL(PCSM_CUSTOM_TYPE(NULL, "v", "3)"))))
BODY(e_schema_empty, pcsm_add_column(op, "t", COL(PCSM_TYPE_IN("", "v"))))
BODY(e_schema_too_long, pcsm_add_column(op, "t", COL(PCSM_TYPE_IN(NAME64, "v"))))
BODY(e_pg_catalog_kind, pcsm_add_column(op, "t", COL(PCSM_TYPE_IN("pg_catalog", "tsvector"))))
BODY(e_schema_on_kind,
     pcsm_add_column(op, "t", COL(((pcsm_type){ .kind = PCSM_TYPE_TEXT, .schema = "s" }))))
BODY(e_modifiers_on_kind,
     pcsm_add_column(op, "t", COL(((pcsm_type){ .kind = PCSM_TYPE_INET, .modifiers = "1" }))))
BODY(e_precision_7, pcsm_add_column(op, "t", COL(PCSM_TIMESTAMPTZ_P(7))))
BODY(e_precision_negative,
     pcsm_add_column(op, "t", COL(((pcsm_type){ .kind = PCSM_TYPE_TIMETZ, .p = -2 }))))
BODY(e_bit_zero, pcsm_add_column(op, "t", COL(PCSM_BIT(0))))
BODY(e_varbit_negative, pcsm_add_column(op, "t", COL(PCSM_VARBIT(-1))))
BODY(e_serial_alter, pcsm_alter_column_type(op, "t", "c", PCSM_SERIAL, NULL))
BODY(e_serial_array, pcsm_add_column(op, "t", COL(PCSM_ARRAY(PCSM_BIGSERIAL))))
BODY(e_serial_default,
     pcsm_add_column(op, "t", &(pcsm_column){ .name = "c", .type = PCSM_SERIAL,
                                              .default_value = PCSM_EXPR("1") }))
BODY(e_serial_identity,
     pcsm_add_column(op, "t", &(pcsm_column){ .name = "c", .type = PCSM_SMALLSERIAL,
                                              .identity = PCSM_IDENTITY_ALWAYS }))
BODY(e_serial_generated,
     pcsm_create_table(op, "t", PCSM_COLUMNS({ .name = "c", .type = PCSM_SERIAL,
                                               .generated = "1" }), NULL, NULL))
BODY(e_serial_sequence_as,
     pcsm_create_sequence(op, "s", &(pcsm_sequence_options){ .as = PCSM_SERIAL }, NULL, NULL))

static const struct { const char *name; void (*body)(pcsm_op *); const char *message; }
error_cases[] = {
#define E(b, m) { #b, b, m }
    E(e_modifiers_text, "add_column \"t\": column \"c\": type modifiers \"3 ,a\" are not "
      "integers separated by commas (\"3\", \"10,2\")"),
    E(e_modifiers_empty, "add_column \"t\": column \"c\": type modifiers \"\" are not "
      "integers separated by commas (\"3\", \"10,2\")"),
    E(e_modifiers_trailing_comma, "add_column \"t\": column \"c\": type modifiers \"3,\" are "
      "not integers separated by commas (\"3\", \"10,2\")"),
    E(e_modifiers_paren, "add_column \"t\": column \"c\": type modifiers \"3)\" are not "
      "integers separated by commas (\"3\", \"10,2\")"),
    E(e_schema_empty, "add_column \"t\": type schema is empty"),
    E(e_schema_too_long, "add_column \"t\": type schema \"" NAME64 "\" is longer than 63 "
      "bytes (PostgreSQL would truncate it)"),
    E(e_pg_catalog_kind, "add_column \"t\": column \"c\": pg_catalog.tsvector has a kind of "
      "its own (PCSM_TYPE_...): write that"),
    E(e_schema_on_kind, "add_column \"t\": column \"c\": a schema or modifiers are for a "
      "named type only (PCSM_CUSTOM_TYPE)"),
    E(e_modifiers_on_kind, "add_column \"t\": column \"c\": a schema or modifiers are for a "
      "named type only (PCSM_CUSTOM_TYPE)"),
    E(e_precision_7, "add_column \"t\": column \"c\": precision 7 is outside 1..6 (0 for "
      "none, PCSM_PRECISION_ZERO for 0)"),
    E(e_precision_negative, "add_column \"t\": column \"c\": precision -2 is outside 1..6 "
      "(0 for none, PCSM_PRECISION_ZERO for 0)"),
    E(e_bit_zero, "add_column \"t\": column \"c\": bit length 0 is outside 1..83886080"),
    E(e_varbit_negative, "add_column \"t\": column \"c\": varbit length -1 is outside "
      "1..83886080 (0 for unbounded)"),
    E(e_serial_alter, "alter_column_type \"t\": new type: type \"serial\" does not exist "
      "(a serial is a column type of create_table or add_column only)"),
    E(e_serial_array, "add_column \"t\": column \"c\": array of bigserial is not "
      "implemented"),
    E(e_serial_default, "add_column \"t\": column \"c\": both a default and serial (its "
      "default is nextval() of its sequence)"),
    E(e_serial_identity, "add_column \"t\": column \"c\": both smallserial and an identity"),
    E(e_serial_generated, "create_table \"t\": column \"c\": both serial and a generation "
      "expression"),
    E(e_serial_sequence_as, "create_sequence \"s\": options: AS takes PCSM_SMALLINT, "
      "PCSM_INTEGER or PCSM_BIGINT"),
#undef E
};

START_TEST(test_types_errors)
{
    expect_error(error_cases[_i].body, error_cases[_i].message, error_cases[_i].name);
}
END_TEST

/* ----------------------------------------------------------------- model */

static pcsm_ctx *ctx;
static pcsm_schema *model;

static void teardown(void)
{
    pcsm_schema_free(model);
    model = NULL;
    pcsm_ctx_free(ctx);
    ctx = NULL;
}

static int declare(void (*body)(pcsm_op *))
{
    pcsm_revset at = PCSM_REVSET_INIT;
    int rc;

    current_body = body;
    ck_assert_int_eq(pcsm_ctx_new(&ctx, &rev, 1), 0);
    ck_assert_int_eq(pcsm_graph_resolve(ctx, "heads", NULL, &at), 0);
    rc = pcsm_schema_declared(ctx, &at, &model);
    pcsm_revset_dispose(&at);
    return rc;
}

static const struct pcsm_schema_column *col(const char *table, const char *name)
{
    const struct pcsm_schema_table *t = pcsm_schema__table(model, table);

    ck_assert_ptr_nonnull(t);
    return pcsm_schema__column(t, name);
}

static void expect_serial(const char *table, const char *column, enum pcsm_type_kind kind,
                          const char *seq, const char *def, long long max)
{
    const struct pcsm_schema_column *c = col(table, column);
    const struct pcsm_schema_sequence *q = pcsm_schema__sequence(model, seq);

    ck_assert_ptr_nonnull(c);
    ck_assert_int_eq(c->type.kind, kind);
    ck_assert(c->not_null);
    ck_assert_int_eq(c->default_value.kind, PCSM_VALUE_EXPR);
    ck_assert_str_eq(c->default_value.text, def);
    ck_assert_msg(q != NULL, "no sequence %s", seq);
    ck_assert_int_eq(q->options.type, kind);
    ck_assert_int_eq(q->options.maxvalue, max);
    ck_assert_int_eq(q->options.start, 1);
    ck_assert_str_eq(q->owned_table, table);
    ck_assert_str_eq(q->owned_column, column);
}

#define LONG40 "a_table_name_that_is_forty_bytes_long_xx"

static void up_serial_model(pcsm_op *op)
{
    pcsm_create_table(op, "t", PCSM_COLUMNS(
        { .name = "id", .type = PCSM_SERIAL, .primary_key = true },
        { .name = "s", .type = PCSM_SMALLSERIAL }), NULL, NULL);
    pcsm_add_column(op, "t", &(pcsm_column){ .name = "big", .type = PCSM_BIGSERIAL });
    /* Taken: the server and the model go on to _seq1, then _seq2. */
    pcsm_create_sequence(op, "u_id_seq", NULL, NULL, NULL);
    pcsm_create_table(op, "u_id_seq1", PCSM_COLUMNS({ .name = "x", .type = PCSM_TEXT }),
                      NULL, NULL);
    pcsm_create_table(op, "u", PCSM_COLUMNS({ .name = "id", .type = PCSM_SERIAL }), NULL,
                      NULL);
    pcsm_create_table(op, "Up", PCSM_COLUMNS({ .name = "Id", .type = PCSM_SERIAL }), NULL,
                      NULL);
    pcsm_create_table(op, LONG40, PCSM_COLUMNS(
        { .name = "a_column_name_that_is_thirty_long", .type = PCSM_SERIAL }), NULL, NULL);
}

START_TEST(test_types_serial_in_the_model)
{
    ck_assert_msg(declare(up_serial_model) == 0, "%s", pcsm_error_last(ctx)->message);
    expect_serial("t", "id", PCSM_TYPE_INTEGER, "t_id_seq",
                  "nextval('t_id_seq'::regclass)", 2147483647);
    expect_serial("t", "s", PCSM_TYPE_SMALLINT, "t_s_seq",
                  "nextval('t_s_seq'::regclass)", 32767);
    expect_serial("t", "big", PCSM_TYPE_BIGINT, "t_big_seq",
                  "nextval('t_big_seq'::regclass)", 9223372036854775807LL);
    expect_serial("u", "id", PCSM_TYPE_INTEGER, "u_id_seq2",
                  "nextval('u_id_seq2'::regclass)", 2147483647);
    expect_serial("Up", "Id", PCSM_TYPE_INTEGER, "Up_Id_seq",
                  "nextval('\"Up_Id_seq\"'::regclass)", 2147483647);
    /* makeObjectName(): the longer name is cut until the whole fits 63 bytes. */
    expect_serial(LONG40, "a_column_name_that_is_thirty_long", PCSM_TYPE_INTEGER,
                  "a_table_name_that_is_forty_by_a_column_name_that_is_thirty__seq",
                  "nextval('a_table_name_that_is_forty_by_a_column_name_that_is_thirty__seq'"
                  "::regclass)", 2147483647);
}
END_TEST

static void up_serial_drops(pcsm_op *op)
{
    up_serial_model(op);
    pcsm_drop_column(op, "t", "s", 0);
    pcsm_drop_table(op, "u", 0);
}

START_TEST(test_types_serial_sequence_goes_with_its_column)
{
    ck_assert_msg(declare(up_serial_drops) == 0, "%s", pcsm_error_last(ctx)->message);
    ck_assert_ptr_null(pcsm_schema__sequence(model, "t_s_seq"));
    ck_assert_ptr_null(pcsm_schema__sequence(model, "u_id_seq2"));
    ck_assert_ptr_nonnull(pcsm_schema__sequence(model, "t_id_seq"));
    ck_assert_ptr_nonnull(pcsm_schema__sequence(model, "u_id_seq"));
}
END_TEST

/* Types equal but for a schema one of them leaves to the search path. */
START_TEST(test_types_equality_of_named_types)
{
    pcsm_type bare = PCSM_NAMED_TYPE("citext"), in = PCSM_TYPE_IN("public", "citext");

    ck_assert(pcsm_schema__type_eq(bare, in));
    ck_assert(!pcsm_schema__type_eq(in, PCSM_TYPE_IN("ext", "citext")));
    ck_assert(!pcsm_schema__type_eq(PCSM_CUSTOM_TYPE(NULL, "v", "3"),
                                    PCSM_CUSTOM_TYPE(NULL, "v", "4")));
    ck_assert(!pcsm_schema__type_eq(PCSM_CUSTOM_TYPE(NULL, "v", "3"), PCSM_NAMED_TYPE("v")));
    ck_assert(!pcsm_schema__type_eq(PCSM_TIME_P(0), PCSM_TIME));
}
END_TEST

static Suite *types_suite(void)
{
    Suite *s = suite_create("types");
    TCase *tc = tcase_create("types");

    tcase_add_checked_fixture(tc, NULL, teardown);
    tcase_add_test(tc, test_types_render_every_new_type);
    tcase_add_test(tc, test_types_render_serials);
    tcase_add_test(tc, test_types_csource_spells_each_with_its_macro);
    tcase_add_loop_test(tc, test_types_errors, 0,
                        (int)(sizeof(error_cases) / sizeof(*error_cases)));
    tcase_add_test(tc, test_types_serial_in_the_model);
    tcase_add_test(tc, test_types_serial_sequence_goes_with_its_column);
    tcase_add_test(tc, test_types_equality_of_named_types);
    suite_add_tcase(s, tc);
    return s;
}

int main(void)
{
    return test_run_suite(types_suite());
}
