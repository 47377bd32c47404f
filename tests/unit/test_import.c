/*
 * Unit tests for devtools/import.c, the Alembic importer's C side: every
 * operation kind decoded from JSON (tests/import/every_kind.json) prints
 * exactly what the same pcsm_* calls print through the printer
 * autogenerate uses; every refusal names the file, the revision, the
 * direction, the line and the member; placeholders stay inside their
 * comment; and pcsm_import_alembic_json() writes all revisions or none.
 * The build and a real database: tests/import/test_import_build.py.
 */
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <jansson.h>

#include "ops/ops.h"
#include "render/render.h"
#include "pcsm/scaffold.h"
#include "devtools/devtools.h"
#include "support.h"

static pcsm_ctx *ctx;
static char dir[64];

static void ctx_setup(void)
{
    ck_assert_int_eq(pcsm_ctx_new(&ctx, NULL, 0), 0);
}

static void ctx_teardown(void)
{
    pcsm_ctx_free(ctx);
}

static bool nontransactional;

/* The body that `json` (a list of operations) decodes to, or NULL with the error in ctx. */
static char *body_of(const char *json, bool downgrade, pcsm_import_summary *sum)
{
    pcsm_import_summary none;
    json_error_t err;
    json_t *ops = json_loads(json, 0, &err);
    pcsm_buf out = PCSM_BUF_INIT;
    int rc;

    if (!ops)
        test_die("bad test JSON, line %d: %s", err.line, err.text);
    memset(&none, 0, sizeof(none));
    rc = pcsm_import__body(ctx, "versions/a1_x.py", "a1", downgrade, nontransactional, ops,
                           &out, sum ? sum : &none);
    json_decref(ops);
    if (rc < 0) {
        pcsm_buf_dispose(&out);
        return NULL;
    }
    return pcsm_buf_detach(&out);
}

static const char *err(void)
{
    return pcsm_error_last(ctx)->message;
}

/* Refused, with a message holding each of the NULL-terminated `parts`. */
static void assert_refused(const char *json, ...)
{
    char *body = body_of(json, false, NULL);
    const char *part;
    va_list ap;

    ck_assert_msg(body == NULL, "accepted: %s", json);
    va_start(ap, json);
    while ((part = va_arg(ap, const char *)))
        ck_assert_msg(strstr(err(), part), "\"%s\" not in: %s", part, err());
    va_end(ap);
}

/* tests/unit/csource_print.c's every_kind(), and what it leaves out. */
static void every_kind(pcsm_op *op)
{
    pcsm_create_extension(op, "pgcrypto", PCSM_CREATE_CASCADE);
    pcsm_create_enum(op, "mood", PCSM_LABELS("sad", "ok"));
    pcsm_add_enum_value(op, "mood", "happy", PCSM_AFTER_LABEL("ok"), PCSM_IF_NOT_EXISTS);
    pcsm_add_enum_value(op, "mood", "meh", PCSM_AT_END, 0);
    pcsm_create_table(op, "k_all", PCSM_COLUMNS(
        { .name = "a", .type = PCSM_BIGINT, .primary_key = true,
          .identity = PCSM_IDENTITY_ALWAYS,
          .identity_options = { .increment = -1, .minvalue = PCSM_SEQ_VALUE(LLONG_MIN),
                                .maxvalue = PCSM_SEQ_VALUE(-1), .cache = 20,
                                .cycle = PCSM_CYCLE } },
        { .name = "b", .type = PCSM_INTEGER, .primary_key = true },
        { .name = "c", .type = PCSM_NUMERIC(10, 2), .unique = true, .check = "c > 0",
          .comment = "price\nin euros" },
        { .name = "d", .type = PCSM_CHAR(3), .collation = "C", .default_value = PCSM_NULL },
        { .name = "e", .type = PCSM_ARRAY(PCSM_ARRAY(PCSM_NAMED_TYPE("mood"))) },
        { .name = "f", .type = PCSM_DOUBLE, .generated = "b * 2" },
        { .name = "g", .type = PCSM_NUMERIC(0, 0), .default_value = PCSM_LITERAL("1.5") },
        { .name = "h", .type = PCSM_UUID, .references = "k_other", .ref_column = "id",
          .on_delete = PCSM_SET_NULL, .on_update = PCSM_RESTRICT },
        { .name = "i", .type = PCSM_VARCHAR(0) }, { .name = "j", .type = PCSM_TIMESTAMP },
        { .name = "k", .type = PCSM_INTERVAL }, { .name = "l", .type = PCSM_BYTEA },
        { .name = "m", .type = PCSM_JSONB }, { .name = "n", .type = PCSM_REAL },
        { .name = "o", .type = PCSM_DATE }, { .name = "p", .type = PCSM_TIME },
        { .name = "q", .type = PCSM_SMALLINT }, { .name = "r", .type = PCSM_TIMESTAMPTZ },
        { .name = "s2", .type = PCSM_TEXT }, { .name = "t", .type = PCSM_BOOLEAN },
        { .name = "u", .type = PCSM_JSON }),
        PCSM_CONSTRAINTS(
        { .kind = PCSM_FOREIGN_KEY, .name = "k_fk", .columns = PCSM_NAMES("b", "q"),
          .references = "k_other", .ref_columns = PCSM_NAMES("x", "y"),
          .on_delete = PCSM_CASCADE, .on_update = PCSM_NO_ACTION, .deferrable = true },
        { .kind = PCSM_UNIQUE, .columns = PCSM_NAMES("i") },
        { .kind = PCSM_CHECK, .check = "b < 10" }), "every \"kind\"");
    pcsm_create_table(op, "k_pk", PCSM_COLUMNS({ .name = "id", .type = PCSM_TEXT }),
                      PCSM_CONSTRAINTS({ .kind = PCSM_PRIMARY_KEY, .columns = PCSM_NAMES("id") }),
                      NULL);
    pcsm_add_constraint(op, "k_pk", &(pcsm_constraint){
        .kind = PCSM_FOREIGN_KEY, .name = "k_pk_fk", .columns = PCSM_NAMES("id"),
        .references = "k_all", .not_valid = true, .on_delete = PCSM_SET_DEFAULT });
    pcsm_alter_column_type(op, "k_all", "i", PCSM_TEXT, "i::text");
    pcsm_alter_column_type_collate(op, "k_all", "i", PCSM_VARCHAR(20), "POSIX", NULL);
    pcsm_set_default(op, "k_all", "j", PCSM_EXPR("now()"));
    pcsm_drop_default(op, "k_all", "j");
    pcsm_comment_column(op, "k_all", "j", NULL);
    pcsm_comment_table(op, "k_all", NULL);
    pcsm_create_index(op, &(pcsm_index){ .name = "k_ix", .table = "k_all",
                                         .expression = "lower(i)", .method = "hash",
                                         .where = "i IS NOT NULL", .concurrently = true,
                                         .if_not_exists = true });
    pcsm_create_index(op, &(pcsm_index){ .name = "k_ix3", .table = "k_all",
                                         .columns = PCSM_NAMES("b", "c"), .unique = true });
    pcsm_drop_index(op, "k_ix", PCSM_IF_EXISTS | PCSM_DROP_CONCURRENTLY);
    pcsm_drop_index(op, "k_ix2", PCSM_DROP_CASCADE);
    pcsm_add_identity(op, "k_all", "q", PCSM_IDENTITY_BY_DEFAULT, NULL);
    pcsm_add_identity(op, "k_all", "b", PCSM_IDENTITY_ALWAYS,
                      &(pcsm_sequence_options){ .start = PCSM_SEQ_VALUE(0),
                                                .minvalue = PCSM_SEQ_VALUE(0) });
    pcsm_set_identity(op, "k_all", "b", PCSM_IDENTITY_BY_DEFAULT);
    pcsm_comment_on(op, PCSM_OBJECT_INDEX, "k_ix3", NULL, "two keys");
    pcsm_comment_on(op, PCSM_OBJECT_FUNCTION, "k_fn", "integer, text", NULL);
    pcsm_comment_on(op, PCSM_OBJECT_CONSTRAINT, "k_pk_fk", "k_pk", "it's");
    pcsm_create_collation(op, &(pcsm_collation){ .name = "k_ci", .provider = PCSM_PROVIDER_ICU,
                                                 .locale = "und-u-ks-level2",
                                                 .nondeterministic = true });
    pcsm_create_collation(op, &(pcsm_collation){ .name = "k_c", .lc_collate = "C",
                                                 .lc_ctype = "C.utf8" });
    pcsm_rename_collation(op, "k_c", "k_c2");
    pcsm_drop_collation(op, "k_c2", PCSM_IF_EXISTS);
    pcsm_create_domain(op, &(pcsm_domain){
        .name = "k_dom", .type = PCSM_VARCHAR(20), .collation = "C",
        .default_value = PCSM_LITERAL("x"), .not_null = true,
        .constraints = PCSM_CONSTRAINTS({ .kind = PCSM_CHECK, .check = "VALUE <> ''" },
                                        { .kind = PCSM_CHECK, .name = "k_long",
                                          .check = "length(VALUE) > 1" }) });
    pcsm_create_domain(op, &(pcsm_domain){ .name = "k_dom2", .type = PCSM_NAMED_TYPE("k_dom") });
    pcsm_rename_domain(op, "k_dom2", "k_dom3");
    pcsm_set_domain_default(op, "k_dom", PCSM_EXPR("'y'"));
    pcsm_drop_domain_default(op, "k_dom");
    pcsm_set_domain_not_null(op, "k_dom");
    pcsm_drop_domain_not_null(op, "k_dom");
    pcsm_add_domain_constraint(op, "k_dom", &(pcsm_constraint){
        .kind = PCSM_CHECK, .name = "k_short", .check = "length(VALUE) < 9", .not_valid = true });
    pcsm_validate_domain_constraint(op, "k_dom", "k_short");
    pcsm_rename_domain_constraint(op, "k_dom", "k_short", "k_short2");
    pcsm_drop_domain_constraint(op, "k_dom", "k_short2", PCSM_IF_EXISTS);
    pcsm_comment_on(op, PCSM_OBJECT_DOMAIN, "k_dom", NULL, "a domain");
    pcsm_drop_domain(op, "k_dom3", PCSM_IF_EXISTS | PCSM_DROP_CASCADE);
    pcsm_create_composite_type(op, "k_pair", PCSM_ATTRIBUTES(
        { .name = "a", .type = PCSM_INTEGER },
        { .name = "b", .type = PCSM_VARCHAR(5), .collation = "C" }));
    pcsm_add_attribute(op, "k_pair", &(pcsm_attribute){ .name = "c", .type = PCSM_TEXT });
    pcsm_alter_attribute_type(op, "k_pair", "a", PCSM_BIGINT, NULL);
    pcsm_rename_attribute(op, "k_pair", "c", "d");
    pcsm_drop_attribute(op, "k_pair", "d", PCSM_IF_EXISTS);
    pcsm_create_range_type(op, &(pcsm_range_type){
        .name = "k_span", .subtype = PCSM_TEXT, .subtype_opclass = "text_pattern_ops",
        .collation = "C", .subtype_diff = "k_diff", .subtype_diff_schema = "util",
        .multirange_type_name = "k_spans" });
    pcsm_create_partitioned_table(op, "k_log", PCSM_PARTITION_BY(PCSM_PARTITION_RANGE,
        { .column = "at" }, { .expression = "lower(tag)", .collation = "C" }),
        PCSM_COLUMNS({ .name = "at", .type = PCSM_DATE }, { .name = "tag", .type = PCSM_TEXT }),
        NULL, NULL);
    pcsm_create_partition(op, &(pcsm_partition){
        .name = "k_log_1", .parent = "k_log",
        .bound = "FOR VALUES FROM ('2026-01-01', MINVALUE) TO ('2027-01-01', MAXVALUE)",
        .partition_by = PCSM_PARTITION_BY(PCSM_PARTITION_HASH, { .column = "tag" }),
        .constraints = PCSM_CONSTRAINTS({ .kind = PCSM_CHECK, .check = "at IS NOT NULL" }),
        .comment = "one year" });
    pcsm_detach_partition(op, "k_log", "k_log_1");
    pcsm_attach_partition(op, "k_log", "k_log_1", "DEFAULT");
    pcsm_create_table_inherits(op, "k_child", PCSM_NAMES("k_a", "k_b"),
        PCSM_COLUMNS({ .name = "own", .type = PCSM_TEXT }), NULL, "inherits two");
    pcsm_create_table_inherits(op, "k_grandchild", PCSM_NAMES("k_child"), NULL, NULL, NULL);
    pcsm_no_inherit(op, "k_child", "k_b");
    pcsm_inherit(op, "k_other", "k_a");
    pcsm_create_index(op, &(pcsm_index){ .name = "k_log_at", .table = "k_log",
                                         .columns = PCSM_NAMES("at"), .only = true });
    pcsm_attach_index(op, "k_log_at", "k_log_1_at");
    pcsm_grant(op, &(pcsm_privileges){ .on = PCSM_PRIVILEGE_TABLE, .name = "k_log",
        .columns = PCSM_NAMES("at"), .privileges = PCSM_PRIV_SELECT | PCSM_PRIV_UPDATE,
        .roles = PCSM_NAMES("reader", "public"), .grant_option = true });
    pcsm_revoke(op, &(pcsm_privileges){ .on = PCSM_PRIVILEGE_FUNCTION, .name = "k_fn",
        .arguments = "integer, text", .privileges = PCSM_PRIV_ALL,
        .roles = PCSM_NAMES("public") });
    pcsm_grant_default(op, &(pcsm_default_privileges){ .on = PCSM_PRIVILEGE_SEQUENCE,
        .privileges = PCSM_PRIV_USAGE, .roles = PCSM_NAMES("reader"), .in_schema = true,
        .for_role = "app" });
    pcsm_revoke_default(op, &(pcsm_default_privileges){ .on = PCSM_PRIVILEGE_TYPE,
        .privileges = PCSM_PRIV_ALL, .roles = PCSM_NAMES("public"), .grant_option = true });
    pcsm_drop_identity(op, "k_all", "q", PCSM_IF_EXISTS);
    pcsm_create_sequence(op, "k_seq", NULL, NULL, NULL);
    pcsm_create_sequence(op, "k_seq2", &(pcsm_sequence_options){ .as = PCSM_SMALLINT,
                         .cycle = PCSM_NO_CYCLE }, "k_all", "b");
    pcsm_alter_sequence(op, "k_seq", &(pcsm_sequence_options){
        .as = PCSM_INTEGER, .restart = PCSM_SEQ_VALUE(5), .increment = 3 });
    pcsm_set_sequence_owner(op, "k_seq", "k_all", "c");
    pcsm_set_sequence_owner(op, "k_seq", NULL, NULL);
    pcsm_create_function(op, &(pcsm_function){
        .name = "k_fn", .arguments = "a integer, b text", .returns = "SETOF text",
        .language = "sql", .body = "SELECT b\nFROM generate_series(1, a)",
        .volatility = PCSM_IMMUTABLE, .strict = true, .security_definer = true,
        .or_replace = true });
    pcsm_create_function(op, &(pcsm_function){ .name = "k_fn2", .returns = "int",
                                               .language = "sql", .body = "SELECT 1",
                                               .volatility = PCSM_VOLATILE });
    pcsm_drop_function(op, "k_fn", NULL, PCSM_IF_EXISTS | PCSM_DROP_CASCADE);
    pcsm_drop_function(op, "k_fn2", "", 0);
    pcsm_create_view(op, &(pcsm_view){ .name = "k_v", .columns = PCSM_NAMES("x", "y"),
                                       .query = "SELECT a, b\nFROM k_all;\n",
                                       .reads = PCSM_NAMES("k_all"), .or_replace = true });
    pcsm_create_trigger(op, &(pcsm_trigger){
        .name = "k_tr", .table = "k_v", .timing = PCSM_INSTEAD_OF,
        .events = PCSM_ON_INSERT | PCSM_ON_UPDATE | PCSM_ON_DELETE, .for_each_row = true,
        .function = "k_fn2" });
    pcsm_create_trigger(op, &(pcsm_trigger){
        .name = "k_tr2", .table = "k_all", .timing = PCSM_AFTER, .events = PCSM_ON_TRUNCATE,
        .function = "k_fn2" });
    pcsm_create_trigger(op, &(pcsm_trigger){
        .name = "k_tr3", .table = "k_all", .timing = PCSM_BEFORE, .events = PCSM_ON_UPDATE,
        .for_each_row = true, .when = "OLD.b IS DISTINCT FROM NEW.b", .function = "k_fn2" });
    pcsm_drop_trigger(op, "k_all", "k_tr2", PCSM_IF_EXISTS);
    pcsm_set_trigger_firing(op, "k_all", "k_tr3", PCSM_TRIGGER_DISABLE);
    pcsm_set_trigger_firing(op, "k_all", "k_tr3", PCSM_TRIGGER_ENABLE_REPLICA);
    pcsm_rename_view(op, "k_v", "k_v2");
    pcsm_create_materialized_view(op, &(pcsm_view){ .name = "k_mv", .query = "SELECT 1 -- one",
                                                    .no_data = true });
    pcsm_refresh_materialized_view(op, "k_mv", PCSM_REFRESH_NO_DATA);
    pcsm_refresh_materialized_view(op, "k_mv", PCSM_REFRESH_CONCURRENTLY);
    pcsm_refresh_materialized_view(op, "k_mv", 0);
    pcsm_rename_materialized_view(op, "k_mv", "k_mv2");
    pcsm_drop_materialized_view(op, "k_mv2", PCSM_IF_EXISTS | PCSM_DROP_CASCADE);
    pcsm_drop_view(op, "k_v2", 0);
    pcsm_execute(op, "UPDATE k_all\nSET b = 1;\n-- done\n");
    pcsm_execute_params(op, "SELECT $1, $2, $3", 3,
                        (const pcsm_value[]){ PCSM_NULL, PCSM_EXPR("now()"),
                                              PCSM_LITERAL("it's") });
    pcsm_execute_params(op, "SELECT 1", 0, NULL);
    pcsm_batch_update(op, "k_all", "b", "c = c + 1", "c < 100", 500);
    pcsm_assert(op, "(SELECT count(*) FROM k_all) > 0", "k_all is empty?");
    pcsm_rename_enum_value(op, "mood", "sad", "blue");
    pcsm_recreate_enum(op, "mood", PCSM_LABELS("ok", "blue", "happy", "meh"), PCSM_ENUM_COLUMNS(
        { .table = "k_all", .column = "e", .array = true, .default_value = PCSM_EXPR("'{}'") }));
    pcsm_rename_sequence(op, "k_seq", "k_seq3");
    pcsm_drop_sequence(op, "k_seq3", PCSM_IF_EXISTS);
    pcsm_rename_column(op, "k_all", "i", "i2");
    pcsm_set_not_null(op, "k_all", "i2");
    pcsm_drop_not_null(op, "k_all", "i2");
    pcsm_drop_column(op, "k_all", "i2", PCSM_DROP_CASCADE);
    pcsm_add_column(op, "k_all", &(pcsm_column){ .name = "s", .type = PCSM_BOOLEAN,
                                                 .not_null = true,
                                                 .default_value = PCSM_EXPR("false"),
                                                 .comment = "a flag" });
    pcsm_validate_constraint(op, "k_pk", "k_pk_fk");
    pcsm_drop_constraint(op, "k_pk", "k_pk_fk", 0);
    pcsm_rename_table(op, "k_pk", "k_pk2");
    pcsm_drop_table(op, "k_pk2", PCSM_IF_EXISTS | PCSM_DROP_CASCADE);
    pcsm_drop_type(op, "mood", PCSM_DROP_CASCADE);
    pcsm_drop_extension(op, "pgcrypto", PCSM_IF_EXISTS);
}

/*
 * tests/unit/csource_print.c's every_kind_in_transaction() and
 * autocommit_block(), with every type kind and index element: what a
 * transactional revision may record, in tests/import/every_kind_txn.json.
 */
static void every_kind_in_transaction(pcsm_op *op)
{
    pcsm_set_local(op, "lock_timeout", "5s");
    pcsm_set_local(op, "myapp.note", "it's \"quoted\"\nand two lines");
    pcsm_lock_table(op, "k_all", PCSM_LOCK_SHARE_ROW_EXCLUSIVE, 0);
    pcsm_lock_table(op, "k_all", PCSM_LOCK_ACCESS_EXCLUSIVE, PCSM_LOCK_NOWAIT);
    pcsm_if(op, "NOT EXISTS (SELECT 1 FROM pg_indexes WHERE indexname = 'k_ix')");
    pcsm_create_index(op, &(pcsm_index){ .name = "k_ix", .table = "k_all",
                                         .columns = PCSM_NAMES("a") });
    pcsm_execute(op, "UPDATE k_all SET b = 2 -- two");
    pcsm_batch_update(op, "k_all", "b", "c = 0", NULL, 10);
    pcsm_end_if(op);
    pcsm_batch_update_from(op, "k_all", "b", "c = s.c", "k_src s", "s.b = k_all.b", 100);
    pcsm_batch_update_from(op, "k_all", "b", "c = s.c",
                           "LATERAL (SELECT max(c) AS c FROM k_src) s", NULL, 1);
    pcsm_create_table(op, "k_types", PCSM_COLUMNS(
        { .name = "a", .type = PCSM_SERIAL, .primary_key = true },
        { .name = "b", .type = PCSM_TSVECTOR }, { .name = "c", .type = PCSM_TSQUERY },
        { .name = "d", .type = PCSM_INET }, { .name = "e", .type = PCSM_CIDR },
        { .name = "f", .type = PCSM_MACADDR }, { .name = "g", .type = PCSM_MACADDR8 },
        { .name = "h", .type = PCSM_MONEY }, { .name = "i", .type = PCSM_XML },
        { .name = "j", .type = PCSM_OID }, { .name = "k", .type = PCSM_TIMETZ },
        { .name = "l", .type = PCSM_BIT(3) }, { .name = "m", .type = PCSM_VARBIT(0) },
        { .name = "n", .type = PCSM_VARBIT(8) }, { .name = "o", .type = PCSM_INT4RANGE },
        { .name = "p", .type = PCSM_INT8RANGE }, { .name = "q", .type = PCSM_NUMRANGE },
        { .name = "r", .type = PCSM_TSRANGE }, { .name = "s", .type = PCSM_TSTZRANGE },
        { .name = "t", .type = PCSM_DATERANGE }, { .name = "u", .type = PCSM_TIME_P(0) },
        { .name = "v", .type = PCSM_TIMETZ_P(3) }, { .name = "w", .type = PCSM_TIMESTAMP_P(6) },
        { .name = "x", .type = PCSM_ARRAY(PCSM_TIMESTAMPTZ_P(0)) },
        { .name = "y", .type = PCSM_INTERVAL_P(2) },
        { .name = "z", .type = PCSM_TYPE_IN("public", "citext") },
        { .name = "z1", .type = PCSM_ARRAY(PCSM_CUSTOM_TYPE("ext", "vector", "3")) },
        { .name = "z2", .type = PCSM_CUSTOM_TYPE(NULL, "my type", "10,2") },
        { .name = "z3", .type = PCSM_BIGSERIAL }), NULL, NULL);
    pcsm_add_column(op, "k_types", &(pcsm_column){ .name = "z5", .type = PCSM_SMALLSERIAL });
    pcsm_alter_column_type(op, "k_types", "b", PCSM_CUSTOM_TYPE("pg_catalog", "point", NULL),
                           "NULL");
    pcsm_create_index(op, &(pcsm_index){ .name = "k_el", .table = "k_all", .unique = true,
        .nulls_not_distinct = true, .elements = PCSM_ELEMENTS(
            { .expression = "lower(c::text)", .collation = "C", .opclass = "text_pattern_ops",
              .descending = true, .nulls = PCSM_NULLS_LAST },
            { .column = "b", .opclass = "pg_catalog.int4_ops", .nulls = PCSM_NULLS_FIRST }) });
    pcsm_create_index(op, &(pcsm_index){ .table = "k_all",
                                         .elements = PCSM_ELEMENTS({ .column = "c" }) });
    pcsm_add_constraint(op, "k_all", &(pcsm_constraint){ .kind = PCSM_UNIQUE, .name = "k_u",
                                                         .columns = PCSM_NAMES("b"),
                                                         .nulls_not_distinct = true });
    pcsm_add_constraint(op, "k_all", &(pcsm_constraint){ .kind = PCSM_CHECK, .check = "b > 0" });
    pcsm_rename_index(op, "k_el", "k_el2");
    pcsm_rename_constraint(op, "k_all", "k_u", "k_u2");
    pcsm_execute(op, "UPDATE k_all SET b = 2");
    pcsm_autocommit_begin(op);
    pcsm_create_index(op, &(pcsm_index){ .name = "k_ix_block", .table = "k_all",
                                         .columns = PCSM_NAMES("b"), .concurrently = true });
    pcsm_drop_index(op, "k_ix_block", PCSM_DROP_CONCURRENTLY);
    pcsm_add_enum_value(op, "mood", "glad", PCSM_AT_END, 0);
    pcsm_autocommit_end(op);
    pcsm_autocommit_begin(op);
    pcsm_autocommit_end(op);
    /* Names in another schema: a pcsm_set_schema() line only where it changes. */
    pcsm_create_schema(op, "billing", PCSM_IF_NOT_EXISTS);
    pcsm_set_schema(op, "billing");
    pcsm_create_enum(op, "state", PCSM_LABELS("open", "paid"));
    pcsm_create_table(op, "invoices", PCSM_COLUMNS(
        { .name = "id", .type = PCSM_SERIAL, .primary_key = true },
        { .name = "state", .type = PCSM_TYPE_IN("billing", "state") },
        { .name = "b", .type = PCSM_INTEGER, .references = "k_all", .ref_column = "b" }),
        PCSM_CONSTRAINTS({ .kind = PCSM_FOREIGN_KEY, .columns = PCSM_NAMES("id"),
                           .references = "ledger", .ref_schema = "audit",
                           .ref_columns = PCSM_NAMES("id") }), NULL);
    pcsm_create_index(op, &(pcsm_index){ .name = "ix_state", .table = "invoices",
                                         .columns = PCSM_NAMES("state") });
    pcsm_set_schema(op, NULL);
    pcsm_add_column(op, "k_all", &(pcsm_column){ .name = "inv", .type = PCSM_INTEGER,
                                                 .references = "invoices",
                                                 .ref_schema = "billing" });
    pcsm_create_trigger(op, &(pcsm_trigger){
        .name = "k_tr9", .table = "k_all", .timing = PCSM_AFTER, .events = PCSM_ON_INSERT,
        .function = "touch", .function_schema = "billing" });
    pcsm_set_row_security(op, "k_all", PCSM_ROW_SECURITY_ENABLE);
    pcsm_set_row_security(op, "k_all", PCSM_ROW_SECURITY_NO_FORCE);
    pcsm_create_policy(op, &(pcsm_policy){
        .name = "k_own", .table = "k_all", .command = PCSM_POLICY_UPDATE, .restrictive = true,
        .roles = PCSM_NAMES("app", "Auditor"), .using = "b > 0", .with_check = "b < 10" });
    pcsm_create_policy(op, &(pcsm_policy){ .name = "k_see", .table = "k_all",
                                           .using = "true" });
    pcsm_drop_policy(op, "k_all", "k_see", PCSM_IF_EXISTS);
    pcsm_if(op, "to_regtype('billing.mood') IS NULL");
    pcsm_set_schema(op, "billing");
    pcsm_create_enum(op, "mood", PCSM_LABELS("a"));
    pcsm_end_if(op);
    pcsm_drop_table(op, "invoices", 0);
    pcsm_set_schema(op, NULL);
    pcsm_lock_table(op, "k_all", PCSM_LOCK_SHARE, 0);
    pcsm_drop_schema(op, "billing", PCSM_IF_EXISTS | PCSM_DROP_CASCADE);
    pcsm_drop_schema(op, "audit", 0);
}

/* The kinds each fixture records: together, every kind of ops.h. */
static bool seen[PCSM_OP_LAST + 1];

/* The JSON fixture `name` decodes to what `calls` records, printed alike. */
static void assert_fixture_prints_as(const char *name, void (*calls)(pcsm_op *),
                                     const pcsm_revision *rev, size_t raw_sql)
{
    char path[4096], *json, *got;
    pcsm_op *op = pcsm_op__new(rev, PCSM_UPGRADE);
    pcsm_buf want = PCSM_BUF_INIT;
    const char *scope = NULL;
    pcsm_import_summary sum = { 0 };
    size_t i, j, n_ops;
    json_t *ops;

    snprintf(path, sizeof(path), "%s/tests/import/%s", getenv("PCSM_TEST_SOURCE_ROOT"), name);
    json = test_read_file(path);
    nontransactional = (rev->flags & PCSM_REV_NONTRANSACTIONAL) != 0;
    calls(op);
    pcsm_op__end_autocommit_check(op);
    ck_assert_msg(!pcsm_op__failure(op), "%s", pcsm_op__failure(op));
    for (i = 0; i < pcsm_op__count(op); i++) {
        const struct pcsm_ddl_op *o = pcsm_op__at(op, i);

        pcsm_render__c_op(o, &scope, &want);
        seen[o->kind] = true;
        for (j = 0; o->kind == PCSM_OP_IF && j < o->u.guard.n_ops; j++)
            seen[o->u.guard.ops[j].kind] = true;
    }
    got = body_of(json, false, &sum);
    ck_assert_msg(got != NULL, "%s", err());
    ck_assert_str_eq(got, want.ptr);
    ck_assert_uint_eq(sum.ops_raw_sql, raw_sql);
    ck_assert_uint_eq(sum.ops_placeholder, 0);
    ops = json_loads(json, 0, NULL);
    n_ops = json_array_size(ops);
    for (i = 0; i < json_array_size(ops); i++)
        n_ops += json_array_size(json_object_get(json_array_get(ops, i), "ops"));
    /* A guard counts, and so does each operation it guards. */
    ck_assert_uint_eq(sum.ops_structured + sum.ops_raw_sql, n_ops);
    json_decref(ops);
    free(got);
    free(json);
    pcsm_buf_dispose(&want);
    pcsm_op__free(op);
    nontransactional = false;
}

START_TEST(test_import_every_kind_prints_as_the_calls)
{
    static const pcsm_revision rev = { .id = "kinds", .flags = PCSM_REV_NONTRANSACTIONAL };
    static const pcsm_revision txn = { .id = "kinds_txn" };
    size_t i;

    /* every_kind.json's concurrently index needs the flag; its guard and lock refuse it. */
    assert_fixture_prints_as("every_kind.json", every_kind, &rev, 3);
    assert_fixture_prints_as("every_kind_txn.json", every_kind_in_transaction, &txn, 2);
    /* The fixtures are to cover every kind there is. */
    for (i = 0; i <= PCSM_OP_LAST; i++)
        ck_assert_msg(seen[i], "no fixture records %s",
                      pcsm_op__kind_name((enum pcsm_ddl_kind)i));
}
END_TEST

/* Each kind of ops.h has its row: {"op": NAME} is refused by the API's check, not as unknown. */
START_TEST(test_import_knows_every_kind)
{
    int k;

    for (k = 0; k <= PCSM_OP_LAST; k++) {
        char json[200], *body;

        snprintf(json, sizeof(json), "[{\"op\": \"%s\", \"line\": 7}]",
                 pcsm_op__kind_name((enum pcsm_ddl_kind)k));
        body = body_of(json, false, NULL);
        if (body) {
            free(body);
            continue;
        }
        ck_assert_msg(!strstr(err(), "unknown operation"), "%s", err());
        /* Every ALTER DOMAIN is one kind, every ALTER TYPE ... ATTRIBUTE too: say which. */
        if (k == PCSM_OP_ALTER_DOMAIN || k == PCSM_OP_ALTER_COMPOSITE_TYPE) {
            ck_assert_msg(strstr(err(), "member \"action\": is required"), "%s", err());
            continue;
        }
        ck_assert_msg(strstr(err(), "refused as a revision's call would be"), "%s", err());
    }
}
END_TEST

START_TEST(test_import_refusals_name_where)
{
    const char *where = "versions/a1_x.py: revision a1, upgrade, line 4";

    assert_refused("[{\"op\": \"create_tabel\", \"line\": 4}]", where,
                   "unknown operation \"create_tabel\"", NULL);
    assert_refused("[{\"op\": \"drop_table\", \"line\": 4, \"table\": \"t\", \"cascade\": true}]",
                   where, ": drop_table: member \"cascade\": unknown member", NULL);
    assert_refused("[{\"op\": \"drop_table\", \"line\": 4, \"table\": 5}]", where,
                   "member \"table\": expected a string, got an integer", NULL);
    assert_refused("[{\"op\": \"create_table\", \"line\": 4, \"table\": \"t\", \"columns\": "
                   "[{\"name\": \"a\", \"type\": {\"kind\": \"integer\"}}, "
                   "{\"name\": \"b\", \"type\": {\"kind\": \"serail\"}}]}]", where,
                   "member \"columns[1].type.kind\": unknown name \"serail\" (known: uuid,",
                   NULL);
    /* The kinds and members of the guards, locks, elements and blocks. */
    assert_refused("[{\"op\": \"lock_table\", \"line\": 4, \"table\": \"t\", "
                   "\"mode\": \"share row exclusive\"}]", where,
                   "member \"mode\": unknown name \"share row exclusive\" (known: access_share,",
                   NULL);
    assert_refused("[{\"op\": \"if\", \"line\": 4, \"condition\": \"true\", \"ops\": "
                   "{\"op\": \"execute\"}}]", where,
                   "if: member \"ops\": expected a list of operations, got an object", NULL);
    assert_refused("[{\"op\": \"if\", \"line\": 4, \"condition\": \"true\"}]", where,
                   "refused as a revision's call would be: ", "guards no operation", NULL);
    assert_refused("[{\"op\": \"if\", \"line\": 4, \"condition\": \"true\", \"ops\": "
                   "[{\"op\": \"placeholder\", \"line\": 5, \"reason\": \"r\", "
                   "\"python\": \"x()\"}]}]", "revision a1, upgrade, line 5: placeholder: "
                   "member \"ops[0]\": a placeholder cannot be guarded", NULL);
    assert_refused("[{\"op\": \"if\", \"line\": 4, \"condition\": \"true\", \"ops\": "
                   "[{\"op\": \"drop_table\", \"line\": 5, \"table\": \"t\", "
                   "\"cascade\": true}]}]",
                   "line 5: drop_table: member \"ops[0].cascade\": unknown member", NULL);
    assert_refused("[{\"op\": \"create_index\", \"line\": 4, \"index\": {\"table\": \"t\", "
                   "\"elements\": [{\"column\": \"a\", \"nulls\": \"FIRST\"}]}}]", where,
                   "member \"index.elements[0].nulls\": unknown name \"FIRST\"", NULL);
    assert_refused("[{\"op\": \"autocommit_begin\", \"line\": 4}]",
                   "versions/a1_x.py: revision a1, upgrade: refused as a revision's call would "
                   "be: ", NULL);
    assert_refused("[{\"op\": \"create_table\", \"line\": 4, \"table\": \"t\", \"columns\": "
                   "[{\"name\": \"a\", \"type\": {\"kind\": \"integer\"}, \"nullable\": 1}]}]",
                   where, "member \"columns[0].nullable\": unknown member", NULL);
    assert_refused("[{\"op\": \"create_table\", \"line\": 4, \"table\": \"t\", \"columns\": "
                   "[{\"type\": {\"kind\": \"integer\"}}]}]", where,
                   "member \"columns[0].name\": is required", NULL);
    assert_refused("[{\"op\": \"add_column\", \"line\": 4, \"table\": \"t\", \"column\": "
                   "{\"name\": \"a\", \"type\": {\"kind\": \"integer\"}, \"not_null\": \"yes\"}}]",
                   where, "member \"column.not_null\": expected true or false, got a string",
                   NULL);
    assert_refused("[{\"op\": \"drop_table\", \"line\": 4, \"table\": \"t\", \"flags\": "
                   "[\"if_exist\"]}]", where, "member \"flags\": unknown name \"if_exist\"",
                   NULL);
    assert_refused("[{\"op\": \"create_index\", \"line\": 4, \"index\": {\"name\": \"i\", "
                   "\"table\": \"t\", \"columns\": [\"a\", 3]}}]", where,
                   "member \"index.columns\": item 1: expected a string, got an integer", NULL);
    assert_refused("[{\"op\": \"create_index\", \"line\": 4, \"index\": {\"name\": \"i\", "
                   "\"table\": \"t\", \"columns\": [\"a\"], \"method\": \"hash\", "
                   "\"unique\": true, \"where\": null, \"concurrently\": 1}}]", where,
                   "member \"index.concurrently\": expected true or false, got an integer",
                   NULL);
    assert_refused("[{\"op\": \"create_table\", \"line\": 4, \"table\": \"t\", \"columns\": "
                   "[{\"name\": \"a\", \"type\": {\"kind\": \"varchar\", \"p\": 1e3}}]}]",
                   where, "member \"columns[0].type.p\": expected an integer, got a real",
                   NULL);
    assert_refused("[{\"op\": \"create_table\", \"line\": 4, \"table\": \"t\", \"columns\": "
                   "[{\"name\": \"a\", \"type\": {\"kind\": \"varchar\", \"p\": 4294967296}}]}]",
                   where, "member \"columns[0].type.p\": 4294967296 is out of range", NULL);
    /* The API's own validation, worded as a revision's call would be. */
    assert_refused("[{\"op\": \"create_table\", \"line\": 4, \"table\": \"t\"}]", where,
                   "create_table: refused as a revision's call would be: create_table \"t\": ",
                   NULL);
    assert_refused("[{\"op\": \"add_constraint\", \"line\": 4, \"table\": \"t\", \"constraint\": "
                   "{\"kind\": \"unique\", \"name\": \"u\"}}]", where,
                   "refused as a revision's call would be: add_constraint \"t\":", NULL);
    /* Not an operation at all. */
    assert_refused("[{\"line\": 4}]", where, "member \"op\": is required", NULL);
    assert_refused("[[1]]", "versions/a1_x.py: revision a1, upgrade: an operation is an "
                   "object, not a list", NULL);
    assert_refused("[{\"op\": \"execute\", \"line\": \"4\", \"sql\": \"SELECT 1\"}]",
                   "member \"line\": expected a line number, got a string", NULL);
    assert_refused("{\"op\": \"execute\"}", "the operations are a list, not an object", NULL);
    assert_refused("[{\"op\": \"placeholder\", \"line\": 4, \"python\": \"x()\"}]", where,
                   "placeholder: member \"reason\": is required", NULL);
    assert_refused("[{\"op\": \"placeholder\", \"line\": 4, \"reason\": \"r\", \"python\": "
                   "\"x()\", \"sql\": \"\"}]", where, "placeholder: member \"sql\": unknown member",
                   NULL);
    /* A schema: a string, on a kind that names an object, and one the API takes. */
    assert_refused("[{\"op\": \"drop_table\", \"line\": 4, \"table\": \"t\", "
                   "\"schema\": 5}]", where,
                   "drop_table: member \"schema\": expected a string, got an integer", NULL);
    assert_refused("[{\"op\": \"execute\", \"line\": 4, \"sql\": \"SELECT 1\", "
                   "\"schema\": \"s\"}]", where,
                   "execute: member \"schema\": execute names no object of a schema", NULL);
    assert_refused("[{\"op\": \"create_extension\", \"line\": 4, \"extension\": \"e\", "
                   "\"schema\": \"s\"}]", where,
                   "member \"schema\": create_extension names no object of a schema", NULL);
    assert_refused("[{\"op\": \"create_schema\", \"line\": 4, \"name\": \"s\", "
                   "\"schema\": \"s\"}]", where,
                   "member \"schema\": create_schema names no object of a schema", NULL);
    assert_refused("[{\"op\": \"drop_table\", \"line\": 4, \"table\": \"t\", "
                   "\"schema\": \"\"}]", where,
                   "refused as a revision's call would be: set_schema: schema name is empty",
                   NULL);
    assert_refused("[{\"op\": \"create_schema\", \"line\": 4, \"name\": \"pg_x\"}]",
                   where, "refused as a revision's call would be: ", "reserved", NULL);
    assert_refused("[{\"op\": \"drop_schema\", \"line\": 4, \"name\": \"s\", "
                   "\"flags\": [\"if_not_exists\"]}]", where,
                   "refused as a revision's call would be: drop_schema", NULL);
    assert_refused("[{\"op\": \"placeholder\", \"line\": 4, \"reason\": \"r\", "
                   "\"python\": \"x()\", \"schema\": \"s\"}]", where,
                   "placeholder: member \"schema\": unknown member", NULL);
}
END_TEST

/* Each operation's schema is recorded; the body says pcsm_set_schema() where it changes. */
START_TEST(test_import_schema_scope)
{
    char *body = body_of("[{\"op\": \"create_schema\", \"line\": 3, \"name\": \"b\"},"
                         " {\"op\": \"drop_table\", \"line\": 4, \"table\": \"t\", "
                         "\"schema\": \"b\"},"
                         " {\"op\": \"drop_table\", \"table\": \"u\", \"schema\": \"b\"},"
                         " {\"op\": \"execute\", \"sql\": \"SELECT 1\"},"
                         " {\"op\": \"drop_table\", \"table\": \"v\", \"schema\": \"b\"},"
                         " {\"op\": \"drop_table\", \"table\": \"w\"},"
                         " {\"op\": \"drop_table\", \"table\": \"x\", \"schema\": null}]",
                         false, NULL);

    ck_assert_msg(body != NULL, "%s", err());
    ck_assert_str_eq(body,
                     "    pcsm_create_schema(op, \"b\", 0);\n"
                     "    pcsm_set_schema(op, \"b\");\n"
                     "    pcsm_drop_table(op, \"t\", 0);\n"
                     "    pcsm_drop_table(op, \"u\", 0);\n"
                     "    pcsm_execute(op, \"SELECT 1\");\n"
                     "    pcsm_drop_table(op, \"v\", 0);\n"
                     "    pcsm_set_schema(op, NULL);\n"
                     "    pcsm_drop_table(op, \"w\", 0);\n"
                     "    pcsm_drop_table(op, \"x\", 0);\n");
    free(body);
}
END_TEST

START_TEST(test_import_downgrade_is_named)
{
    char *body = body_of("[{\"op\": \"drop_table\", \"line\": 9, \"table\": null}]", true, NULL);

    ck_assert_ptr_null(body);
    ck_assert_msg(strstr(err(), "versions/a1_x.py: revision a1, downgrade, line 9: drop_table"),
                  "%s", err());
}
END_TEST

START_TEST(test_import_placeholder_stays_in_its_comment)
{
    pcsm_import_summary sum = { 0 };
    char *body = body_of("[{\"op\": \"placeholder\", \"line\": 42, \"reason\": \"reads rows "
                         "(conn.execute(...).fetchall())\", \"python\": "
                         "\"rows = conn.execute(\\\"SELECT 1 /* x */\\\").fetchall()\\n"
                         "for r in rows:  # ?\?/\\n    print(r, \\\"*/\\\")\"}]", false, &sum);
    const char *err_line;

    ck_assert_msg(body != NULL, "%s", err());
    ck_assert_uint_eq(sum.ops_placeholder, 1);
    ck_assert_uint_eq(sum.ops_structured, 0);
    /* One comment, closed once, at its end; the quoted Python is there, made safe. */
    ck_assert_ptr_nonnull(strstr(body, "SELECT 1 / * x * /"));
    ck_assert_ptr_nonnull(strstr(body, "print(r, \"* /\")"));
    ck_assert_ptr_nonnull(strstr(body, "# ? ?/"));
    ck_assert_ptr_null(strstr(body, "?\?/"));
    ck_assert_ptr_eq(strstr(body, "*/"), strstr(body, "     */\n#error") + 5);
    err_line = strstr(body, "\n#error ");
    ck_assert_ptr_nonnull(err_line);
    ck_assert_str_eq(err_line, "\n#error \"versions/a1_x.py:42: imported Python cannot run in "
                     "a revision: reads rows (conn.execute(...).fetchall())\"\n"
                     "    (void)op;\n");
    free(body);
}
END_TEST

START_TEST(test_import_placeholder_build_fails_there)
{
    /* What the compiler makes of it: the #error, at the placeholder, and nothing else. */
    char src[] = "/tmp/pcsm-unit-import-XXXXXX.c", cmd[600];
    char *body = body_of("[{\"op\": \"execute\", \"line\": 3, \"sql\": \"SELECT 1\"}, "
                         "{\"op\": \"placeholder\", \"line\": 12, \"reason\": \"loops\", "
                         "\"python\": \"for a in b:\\n    op.execute(a)  /* \\u202e */\"}]",
                         false, NULL);
    struct proc_result r;
    FILE *f;
    int fd = mkstemps(src, 2);
    const char *argv[] = { "sh", "-c", cmd, NULL };

    ck_assert_msg(body != NULL, "%s", err());
    ck_assert_int_ge(fd, 0);
    f = fdopen(fd, "w");
    fprintf(f, "#include <pcsm/ddl.h>\n\nvoid upgrade(pcsm_op *op);\n"
            "void upgrade(pcsm_op *op)\n{\n%s}\n", body);
    fclose(f);
    snprintf(cmd, sizeof(cmd), "cc -std=c11 -Wall -Wextra -Werror -fsyntax-only -I%s/runtime/"
             "include %s 2>&1", getenv("PCSM_TEST_SOURCE_ROOT"), src);
    proc_run(argv, NULL, NULL, &r);
    ck_assert_int_ne(r.status, 0);
    ck_assert_msg(strstr(r.out, "#error \"versions/a1_x.py:12: imported Python cannot run in a "
                         "revision: loops\""), "%s", r.out);
    /* Only that error: the comment took the Python whole. */
    ck_assert_msg(!strstr(r.out, "warning") && strstr(r.out, "error") ==
                  strstr(r.out, "error: #error"), "%s", r.out);
    proc_result_free(&r);
    unlink(src);
    free(body);
}
END_TEST

/* ------------------------------------------------------------ whole documents */

static void dir_setup(void)
{
    char path[128];
    FILE *f;

    ctx_setup();
    snprintf(dir, sizeof(dir), "/tmp/pcsm-unit-import-XXXXXX");
    ck_assert_ptr_nonnull(mkdtemp(dir));
    snprintf(path, sizeof(path), "%s/revisions.txt", dir);
    f = fopen(path, "w");
    fputs("# the build's list\n", f);
    fclose(f);
}

static void dir_teardown(void)
{
    char cmd[128];

    snprintf(cmd, sizeof(cmd), "rm -rf %s", dir);
    ck_assert_int_eq(system(cmd), 0);
    ctx_teardown();
}

static int entries(void)
{
    char cmd[128];
    FILE *p;
    int n = -1;

    snprintf(cmd, sizeof(cmd), "ls -A %s | wc -l", dir);
    p = popen(cmd, "r");
    ck_assert_int_eq(fscanf(p, "%d", &n), 1);
    pclose(p);
    return n;
}

static int import(const char *revisions, pcsm_import_summary *sum, char ***paths, size_t *n)
{
    size_t size = strlen(revisions) + 100;
    char *doc = malloc(size);
    int rc;
    pcsm_import_summary s;

    snprintf(doc, size, "{\"format\": 1, \"source\": \"versions\", \"revisions\": [%s]}",
             revisions);
    rc = pcsm_import_alembic_json(ctx, dir, doc, strlen(doc), sum ? sum : &s, paths, n);
    free(doc);
    return rc;
}

#define REV(id, down, date, up) \
    "{\"file\": \"versions/" id "_x.py\", \"revision\": \"" id "\", \"down_revision\": " \
    down ", \"branch_labels\": [], \"message\": \"rev " id "\", \"create_date\": " date \
    ", \"upgrade\": " up ", \"downgrade\": []}"
#define T(name) "[{\"op\": \"create_table\", \"line\": 5, \"table\": \"" name "\", " \
    "\"columns\": [{\"name\": \"id\", \"type\": {\"kind\": \"integer\"}}]}]"

START_TEST(test_import_writes_a_merge_history)
{
    pcsm_import_summary sum;
    char **paths = NULL, path[200], *text;
    size_t n = 0, i;

    /* A root, two branches, their merge; the merge listed before its parents. */
    ck_assert_msg(import(REV("ffff_merge", "[\"ae1027a6acf\", \"Branch_B2\"]", "null", "[]") ","
                         REV("1975ea83b712", "[]", "\"2011-11-08 11:40:27.089406\"", T("a")) ","
                         REV("ae1027a6acf", "[\"1975ea83b712\"]",
                             "\"2011-11-09 10:00:00\"", T("b")) ","
                         REV("Branch_B2", "[\"1975ea83b712\"]",
                             "\"2011-11-09 10:00:00+02:00\"",
                             "[{\"op\": \"execute\", \"sql\": \"SELECT 1\"}, "
                             "{\"op\": \"placeholder\", \"line\": 8, \"reason\": \"r\", "
                             "\"python\": \"x\"}]"),
                         &sum, &paths, &n) == 0, "%s", err());
    ck_assert_uint_eq(n, 4);
    ck_assert_uint_eq(sum.revisions_clean, 3);
    ck_assert_uint_eq(sum.revisions_placeholder, 1);
    ck_assert_uint_eq(sum.ops_structured, 2);
    ck_assert_uint_eq(sum.ops_raw_sql, 1);
    ck_assert_uint_eq(sum.ops_placeholder, 1);
    snprintf(path, sizeof(path), "%s/ffff_merge_rev_ffff_merge.c", dir);
    ck_assert_str_eq(paths[0], path);
    text = test_read_file(paths[0]);
    ck_assert_ptr_nonnull(strstr(text, " * Revision ID: ffff_merge\n"
                                       " * Revises: ae1027a6acf, Branch_B2\n"));
    free(text);
    text = test_read_file(paths[1]);
    ck_assert_ptr_nonnull(strstr(text, "/*\n * rev 1975ea83b712\n *\n"
                                       " * Revision ID: 1975ea83b712\n * Revises: None\n"
                                       " * Create Date: 2011-11-08 11:40:27.089406\n */\n"));
    ck_assert_ptr_nonnull(strstr(text, "    pcsm_create_table(op, \"a\""));
    free(text);
    snprintf(path, sizeof(path), "%s/revisions.txt", dir);
    text = test_read_file(path);
    ck_assert_str_eq(text, "# the build's list\n1975ea83b712_rev_1975ea83b712.c\n"
                     "Branch_B2_rev_branch_b2.c\nae1027a6acf_rev_ae1027a6acf.c\n"
                     "ffff_merge_rev_ffff_merge.c\n");
    free(text);
    for (i = 0; i < n; i++)
        free(paths[i]);
    free(paths);

    /* Again: the ids are there already, and nothing changes. */
    ck_assert_int_eq(import(REV("1975ea83b712", "[]", "null", "[]"), NULL, &paths, &n),
                     PCSM_EINVALID);
    ck_assert_msg(strstr(err(), "revision 1975ea83b712 is in ") &&
                  strstr(err(), "already (1975ea83b712_rev_1975ea83b712.c)"), "%s", err());
    ck_assert_ptr_null(paths);
    ck_assert_int_eq(entries(), 5);
}
END_TEST

START_TEST(test_import_all_or_nothing)
{
    char **paths = NULL;
    size_t n = 7;
    const char *good = REV("aaa1", "[]", "null", T("a"));
    char path[200], *text;

    /* Each refusal comes after a good revision, which is not written either. */
    ck_assert_int_eq(import("{\"file\": \"v/b.py\"}", NULL, &paths, &n), PCSM_EINVALID);
    ck_assert_msg(strstr(err(), "v/b.py: member \"revision\": expected a string"), "%s", err());
    ck_assert_int_eq(n, 0);
    ck_assert_int_eq(import(REV("aaa1", "[]", "null", T("a")) "," REV("bbb2", "[\"aaa1\"]",
                     "\"2011-13-01 00:00:00\"", "[]"), NULL, &paths, &n), PCSM_EINVALID);
    ck_assert_msg(strstr(err(), "revision bbb2: malformed create date '2011-13-01 00:00:00'"),
                  "%s", err());
    ck_assert_int_eq(import(REV("aaa1", "[]", "null", T("a")) "," REV("bbb2", "[\"nope\"]",
                     "null", "[]"), NULL, &paths, &n), PCSM_EINVALID);
    ck_assert_msg(strstr(err(), "revision bbb2 revises 'nope', which is neither in"), "%s",
                  err());
    ck_assert_int_eq(import(REV("aaa1", "[]", "null", T("a")) "," REV("aaa1", "[]", "null",
                     "[]"), NULL, &paths, &n), PCSM_EINVALID);
    ck_assert_msg(strstr(err(), "revision aaa1 is given twice"), "%s", err());
    ck_assert_int_eq(import(REV("aaa1", "[]", "null", T("a")) "," REV("a-b", "[]", "null",
                     "[]"), NULL, &paths, &n), PCSM_EINVALID);
    ck_assert_msg(strstr(err(), "revision id 'a-b' is not 1 to 32"), "%s", err());
    ck_assert_int_eq(import(REV("aaa1", "[]", "null", T("a")) "," REV("bbb2", "[]", "null",
                     "[{\"op\": \"nope\", \"line\": 3}]"), NULL, &paths, &n), PCSM_EINVALID);
    ck_assert_msg(strstr(err(), "versions/bbb2_x.py: revision bbb2, upgrade, line 3: unknown "
                         "operation \"nope\""), "%s", err());
    ck_assert_int_eq(entries(), 1);
    ck_assert_msg(import(good, NULL, &paths, &n) == 0, "%s", err());
    ck_assert_uint_eq(n, 1);
    free(paths[0]);
    free(paths);
    /* A write that fails mid-batch (a directory of the second file's name): the first goes. */
    snprintf(path, sizeof(path), "%s/ddd4_rev_ddd4.c", dir);
    ck_assert_int_eq(mkdir(path, 0755), 0);
    ck_assert_int_eq(import(REV("ccc3", "[\"aaa1\"]", "null", "[]") "," REV("ddd4",
                     "[\"ccc3\"]", "null", "[]"), NULL, &paths, &n), PCSM_ERROR);
    ck_assert_msg(strstr(err(), "cannot write ") && strstr(err(), "ddd4_rev_ddd4.c"), "%s",
                  err());
    snprintf(path, sizeof(path), "%s/revisions.txt", dir);
    text = test_read_file(path);
    ck_assert_str_eq(text, "# the build's list\naaa1_rev_aaa1.c\n");
    free(text);
    ck_assert_int_eq(entries(), 3);
}
END_TEST

START_TEST(test_import_concurrently_flags_the_revision)
{
    char **paths = NULL, *text;
    size_t n = 0;

    ck_assert_msg(import(REV("aaa1", "[]", "null", T("a")) "," REV("bbb2", "[\"aaa1\"]",
                         "null", "[{\"op\": \"create_index\", \"line\": 3, \"index\": "
                         "{\"name\": \"ix\", \"table\": \"a\", \"columns\": [\"id\"], "
                         "\"concurrently\": true}}]"), NULL, &paths, &n) == 0, "%s", err());
    text = test_read_file(paths[0]);
    ck_assert_ptr_null(strstr(text, "Flags"));
    free(text);
    text = test_read_file(paths[1]);
    ck_assert_msg(strstr(text, " * Create Date: ") && strstr(text, "\n * Flags: "
                  "nontransactional\n */\n"), "%s", text);
    free(text);
    free(paths[0]);
    free(paths[1]);
    free(paths);
    /*
     * Only the downgrade needs the flag: the upgrade is recorded again under it, and its
     * LOCK TABLE, which no nontransactional revision may hold, refuses the revision.
     */
    ck_assert_int_eq(import("{\"file\": \"versions/ddd4_x.py\", \"revision\": \"ddd4\", "
                            "\"down_revision\": [], \"message\": \"m\", \"create_date\": "
                            "null, \"upgrade\": [{\"op\": \"lock_table\", \"line\": 2, "
                            "\"table\": \"a\", \"mode\": \"share\"}], \"downgrade\": "
                            "[{\"op\": \"drop_index\", \"line\": 9, \"index\": \"ix\", "
                            "\"flags\": [\"drop_concurrently\"]}]}", NULL, &paths, &n),
                     PCSM_EINVALID);
    ck_assert_msg(strstr(err(), "revision ddd4, upgrade, line 2: lock_table") &&
                  strstr(err(), "LOCK TABLE can only be used in a transaction block"), "%s",
                  err());
    /* A call refused either way: the transactional refusal is the one reported. */
    ck_assert_int_eq(import(REV("ccc3", "[]", "null", "[{\"op\": \"create_index\", "
                            "\"line\": 3, \"index\": {\"name\": \"ix\", \"columns\": "
                            "[\"id\"], \"concurrently\": true}}]"), NULL, &paths, &n),
                     PCSM_EINVALID);
    ck_assert_msg(strstr(err(), "versions/ccc3_x.py: revision ccc3, upgrade, line 3: "
                         "create_index: refused as a revision's call would be: create_index"),
                  "%s", err());
}
END_TEST

START_TEST(test_import_document_refusals)
{
    char **paths;
    size_t n;
    pcsm_import_summary sum;

    ck_assert_int_eq(pcsm_import_alembic_json(ctx, dir, "{\"format\": 1,", 13, &sum, &paths,
                                              &n), PCSM_EINVALID);
    ck_assert_msg(strstr(err(), "the import's JSON, line 1"), "%s", err());
    ck_assert_int_eq(pcsm_import_alembic_json(ctx, dir, "{\"format\": 2, \"revisions\": []}",
                                              30, &sum, &paths, &n), PCSM_EINVALID);
    ck_assert_msg(strstr(err(), "member \"format\": this pcs-migrate reads format 1"), "%s",
                  err());
    ck_assert_int_eq(pcsm_import_alembic_json(ctx, dir, "{\"format\": 1, \"revisions\": [], "
                                              "\"extra\": 1}", 42, &sum, &paths, &n),
                     PCSM_EINVALID);
    ck_assert_msg(strstr(err(), "member \"extra\": unknown member"), "%s", err());
    ck_assert_int_eq(import("{\"file\": \"v/c.py\", \"revision\": \"c\", \"message\": \"m\", "
                            "\"upgrade\": [], \"depends_on\": []}", NULL, &paths, &n),
                     PCSM_EINVALID);
    ck_assert_msg(strstr(err(), "v/c.py: member \"depends_on\": unknown member"), "%s", err());
    ck_assert_int_eq(entries(), 1);
}
END_TEST

static Suite *import_suite(void)
{
    Suite *s = suite_create("import");
    TCase *tc = tcase_create("decode");
    TCase *td = tcase_create("directory");

    tcase_add_checked_fixture(tc, ctx_setup, ctx_teardown);
    tcase_add_test(tc, test_import_every_kind_prints_as_the_calls);
    tcase_add_test(tc, test_import_knows_every_kind);
    tcase_add_test(tc, test_import_refusals_name_where);
    tcase_add_test(tc, test_import_schema_scope);
    tcase_add_test(tc, test_import_downgrade_is_named);
    tcase_add_test(tc, test_import_placeholder_stays_in_its_comment);
    tcase_add_test(tc, test_import_placeholder_build_fails_there);
    suite_add_tcase(s, tc);
    tcase_add_checked_fixture(td, dir_setup, dir_teardown);
    tcase_add_test(td, test_import_writes_a_merge_history);
    tcase_add_test(td, test_import_all_or_nothing);
    tcase_add_test(td, test_import_concurrently_flags_the_revision);
    tcase_add_test(td, test_import_document_refusals);
    suite_add_tcase(s, td);
    return s;
}

int main(void)
{
    return test_run_suite(import_suite());
}
