/*
 * pcsm_render__c_op and pcsm_render__c_string: the exact text of a few
 * statements, pinning the house style autogenerate will write (that the
 * text records the same operations is test_csource_roundtrip.c's job).
 */
#include <check.h>
#include <stdlib.h>
#include <string.h>

#include "pcsm/pcsm.h"
#include "render/render.h"
#include "support.h"

static const pcsm_revision nontransactional = { .id = "c10000000001",
                                                .flags = PCSM_REV_NONTRANSACTIONAL };

/* The C of the one operation `record` makes, recorded in a revision of `flags`. */
static char *c_of(void (*record)(pcsm_op *op), bool concurrently)
{
    pcsm_op *op = pcsm_op__new(concurrently ? &nontransactional : NULL, PCSM_UPGRADE);
    pcsm_buf out = PCSM_BUF_INIT;
    const char *scope = NULL;

    record(op);
    ck_assert_ptr_null(pcsm_op__failure(op));
    ck_assert_uint_eq(pcsm_op__count(op), 1);
    pcsm_render__c_op(pcsm_op__at(op, 0), &scope, &out);
    pcsm_op__free(op);
    return pcsm_buf_detach(&out);
}

static void record_table(pcsm_op *op)
{
    pcsm_create_table(op, "accounts", PCSM_COLUMNS(
        { .name = "id", .type = PCSM_UUID, .primary_key = true,
          .default_value = PCSM_EXPR("gen_random_uuid()") },
        { .name = "owner_id", .type = PCSM_UUID, .not_null = true, .references = "owners",
          .on_delete = PCSM_CASCADE },
        { .name = "tags", .type = PCSM_ARRAY(PCSM_VARCHAR(40)) }),
        NULL, "Who may sign in.");
}

START_TEST(test_csource_create_table)
{
    char *c = c_of(record_table, false);

    ck_assert_str_eq(c,
        "    pcsm_create_table(op, \"accounts\", PCSM_COLUMNS(\n"
        "        { .name = \"id\", .type = PCSM_UUID, .primary_key = true,\n"
        "          .default_value = PCSM_EXPR(\"gen_random_uuid()\") },\n"
        "        { .name = \"owner_id\", .type = PCSM_UUID, .not_null = true, "
        ".references = \"owners\",\n"
        "          .on_delete = PCSM_CASCADE },\n"
        "        { .name = \"tags\", .type = PCSM_ARRAY(PCSM_VARCHAR(40)) }), NULL, "
        "\"Who may sign in.\");\n");
    free(c);
}
END_TEST

static void record_enum_value(pcsm_op *op)
{
    pcsm_add_enum_value(op, "mood", "meh", PCSM_BEFORE_LABEL("ok"), PCSM_IF_NOT_EXISTS);
}

START_TEST(test_csource_add_enum_value_before)
{
    char *c = c_of(record_enum_value, false);

    ck_assert_str_eq(c, "    pcsm_add_enum_value(op, \"mood\", \"meh\", PCSM_BEFORE_LABEL(\"ok\"), "
                        "PCSM_IF_NOT_EXISTS);\n");
    free(c);
}
END_TEST

static void record_drop_index(pcsm_op *op)
{
    pcsm_drop_index(op, "ix_accounts_owner", PCSM_IF_EXISTS | PCSM_DROP_CONCURRENTLY);
}

START_TEST(test_csource_drop_index_flags)
{
    char *c = c_of(record_drop_index, true);

    ck_assert_str_eq(c, "    pcsm_drop_index(op, \"ix_accounts_owner\", "
                        "PCSM_IF_EXISTS | PCSM_DROP_CONCURRENTLY);\n");
    free(c);
}
END_TEST

/* The initial revision's function, as that file writes it. */
static void record_function(pcsm_op *op)
{
    pcsm_create_function(op, &(pcsm_function){
        .name = "pcs_set_updated_at", .returns = "trigger", .language = "plpgsql",
        .body = "BEGIN\n"
                "    NEW.\"updated_at\" := now();\n"
                "    RETURN NEW;\n"
                "END\n" });
}

START_TEST(test_csource_function_body)
{
    char *c = c_of(record_function, false);

    ck_assert_str_eq(c,
        "    pcsm_create_function(op, &(pcsm_function){\n"
        "        .name = \"pcs_set_updated_at\", .arguments = \"\", .returns = \"trigger\", "
        ".language = \"plpgsql\",\n"
        "        .body = \"BEGIN\\n\"\n"
        "                \"    NEW.\\\"updated_at\\\" := now();\\n\"\n"
        "                \"    RETURN NEW;\\n\"\n"
        "                \"END\\n\" });\n");
    free(c);
}
END_TEST

/* The C of every operation `record` makes, printed in order as one function body is. */
static char *c_of_all(void (*record)(pcsm_op *op))
{
    pcsm_op *op = pcsm_op__new(NULL, PCSM_UPGRADE);
    pcsm_buf out = PCSM_BUF_INIT;
    const char *scope = NULL;
    size_t i;

    record(op);
    ck_assert_ptr_null(pcsm_op__failure(op));
    for (i = 0; i < pcsm_op__count(op); i++)
        pcsm_render__c_op(pcsm_op__at(op, i), &scope, &out);
    pcsm_op__free(op);
    return pcsm_buf_detach(&out);
}

static void record_schemas(pcsm_op *op)
{
    (pcsm_set_schema)(op, "billing");
    (pcsm_add_column)(op, "a", &(pcsm_column){ .name = "u_id", .type = PCSM_INTEGER,
                                               .references = "u", .ref_schema = "crm" });
    (pcsm_drop_table)(op, "b", 0);
    (pcsm_execute)(op, "SELECT 1");
    (pcsm_set_schema)(op, "billing");
    (pcsm_drop_table)(op, "c", 0);
    (pcsm_set_schema)(op, NULL);
    (pcsm_create_schema)(op, "audit", 0);
    (pcsm_drop_table)(op, "d", 0);
    (pcsm_set_schema)(op, "audit");
    (pcsm_if)(op, "true");
    (pcsm_drop_table)(op, "e", 0);
    (pcsm_set_schema)(op, "Billing \"2\"");
    (pcsm_drop_table)(op, "f", 0);
    (pcsm_end_if)(op);
    (pcsm_drop_table)(op, "g", 0);
    (pcsm_set_schema)(op, "audit");
    (pcsm_set_schema)(op, "Billing \"2\"");
    (pcsm_create_trigger)(op, &(pcsm_trigger){ .name = "tr", .table = "g", .timing = PCSM_AFTER,
                                               .events = PCSM_ON_INSERT, .function = "fn",
                                               .function_schema = "public" });
    (pcsm_set_schema)(op, NULL);
    (pcsm_create_extension)(op, "citext", 0);
    (pcsm_drop_schema)(op, "audit", PCSM_DROP_CASCADE);
}

/*
 * pcsm_set_schema() only where the schema in force changes: not again for
 * the same one, not for calls that name no object (raw SQL, the schemas
 * themselves), inside a guard when its calls switch; and back to NULL
 * before an extension's call, which a schema in force refuses.
 */
START_TEST(test_csource_set_schema_where_it_changes)
{
    char *c = c_of_all(record_schemas);

    ck_assert_str_eq(c,
        "    pcsm_set_schema(op, \"billing\");\n"
        "    pcsm_add_column(op, \"a\", &(pcsm_column){ .name = \"u_id\", .type = PCSM_INTEGER,\n"
        "                                             .references = \"u\", "
        ".ref_schema = \"crm\" });\n"
        "    pcsm_drop_table(op, \"b\", 0);\n"
        "    pcsm_execute(op, \"SELECT 1\");\n"
        "    pcsm_drop_table(op, \"c\", 0);\n"
        "    pcsm_create_schema(op, \"audit\", 0);\n"
        "    pcsm_set_schema(op, NULL);\n"
        "    pcsm_drop_table(op, \"d\", 0);\n"
        "    pcsm_if(op, \"true\");\n"
        "    pcsm_set_schema(op, \"audit\");\n"
        "    pcsm_drop_table(op, \"e\", 0);\n"
        "    pcsm_set_schema(op, \"Billing \\\"2\\\"\");\n"
        "    pcsm_drop_table(op, \"f\", 0);\n"
        "    pcsm_end_if(op);\n"
        "    pcsm_drop_table(op, \"g\", 0);\n"
        "    pcsm_create_trigger(op, &(pcsm_trigger){ .name = \"tr\", .table = \"g\", "
        ".timing = PCSM_AFTER,\n"
        "                                             .events = PCSM_ON_INSERT, "
        ".function = \"fn\",\n"
        "                                             .function_schema = \"public\" });\n"
        "    pcsm_set_schema(op, NULL);\n"
        "    pcsm_create_extension(op, \"citext\", 0);\n"
        "    pcsm_drop_schema(op, \"audit\", PCSM_DROP_CASCADE);\n");
    free(c);
}
END_TEST

START_TEST(test_csource_string_escapes)
{
    pcsm_buf out = PCSM_BUF_INIT;

    pcsm_buf_puts(&out, "    x = ");
    pcsm_render__c_string("it's \"q\" \\ \x01" "1 \x7f ?\?= ?\? \xc3\xa9\tend\nnext\n", &out);
    ck_assert_str_eq(out.ptr, "    x = \"it's \\\"q\\\" \\\\ \\0011 \\177 ?\\?= ?\\? \xc3\xa9\\tend\\n\"\n"
                              "        \"next\\n\"");
    pcsm_buf_clear(&out);
    /* A byte no UTF-8 sequence starts with, or a cut one, is escaped. */
    pcsm_render__c_string("\xff\xc3", &out);
    ck_assert_str_eq(out.ptr, "\"\\377\\303\"");
    pcsm_buf_clear(&out);
    pcsm_render__c_string("", &out);
    ck_assert_str_eq(out.ptr, "\"\"");
    pcsm_buf_dispose(&out);
}
END_TEST

static Suite *csource_suite(void)
{
    Suite *s = suite_create("csource");
    TCase *tc = tcase_create("csource");

    tcase_add_test(tc, test_csource_create_table);
    tcase_add_test(tc, test_csource_add_enum_value_before);
    tcase_add_test(tc, test_csource_drop_index_flags);
    tcase_add_test(tc, test_csource_function_body);
    tcase_add_test(tc, test_csource_string_escapes);
    tcase_add_test(tc, test_csource_set_schema_where_it_changes);
    suite_add_tcase(s, tc);
    return s;
}

int main(void)
{
    return test_run_suite(csource_suite());
}
