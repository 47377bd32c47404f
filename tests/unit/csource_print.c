/*
 * Build-time half of the csource round trip: prints, as a C file, every
 * operation its registry's revisions record (both directions), or those of
 * the generated DDL cases of some seeds, through pcsm_render__c_op, with
 * the SQL each one rendered to.  test_csource_roundtrip.c compiles the
 * result and records it again, so the test itself needs no C compiler.
 *
 *   csource_print OUT NAME              the registry linked in
 *   csource_print OUT kinds             every kind and field (every_kind() below)
 *   csource_print OUT NAME FIRST LAST   the DDL cases of seeds FIRST..LAST
 */
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <pcsm/pcsm.h>

#include "ddl_case.h"
#include "render/render.h"

static size_t n_fns;
static pcsm_buf table = PCSM_BUF_INIT;

/* One case: its function, its SQL array, and its row of the table. */
static void print_case(pcsm_buf *out, const pcsm_op *op, const char *id, const char *dir,
                       unsigned flags)
{
    size_t i, n = pcsm_op__count(op);
    const char *scope = NULL;

    pcsm_buf_printf(out, "/* %s %s */\nstatic void f_%zu(pcsm_op *op)\n{\n", id, dir, n_fns);
    if (!n)
        pcsm_buf_puts(out, "    (void)op;\n");
    for (i = 0; i < n; i++)
        pcsm_render__c_op(pcsm_op__at(op, i), &scope, out);
    pcsm_buf_printf(out, "}\n\nstatic const char *const sql_%zu[] = {\n", n_fns);
    for (i = 0; i < n; i++) {
        pcsm_buf sql = PCSM_BUF_INIT;

        pcsm_render__op(pcsm_op__at(op, i), &sql);
        pcsm_buf_puts(out, "    ");
        pcsm_render__c_string(sql.ptr, out);
        pcsm_buf_puts(out, ",\n");
        pcsm_buf_dispose(&sql);
    }
    pcsm_buf_puts(out, "    NULL,\n};\n\n");
    pcsm_buf_printf(&table, "    { \"%s\", \"%s\", %uu, f_%zu, %zu, sql_%zu },\n", id, dir,
                    flags, n_fns, n, n_fns);
    n_fns++;
}

static int print_registry(pcsm_buf *out)
{
    pcsm_ctx *ctx;
    size_t i;
    int d;

    if (pcsm_ctx_new(&ctx, pcsm_registry, pcsm_registry_len) < 0) {
        fprintf(stderr, "csource_print: no context\n");
        return 1;
    }
    for (i = 0; i < pcsm_registry_len; i++)
        for (d = 0; d < 2; d++) {
            enum pcsm_direction dir = d ? PCSM_DOWNGRADE : PCSM_UPGRADE;
            pcsm_op *op;

            if (pcsm_op__record(ctx, &pcsm_registry[i], dir, &op) < 0) {
                fprintf(stderr, "csource_print: %s\n", pcsm_error_last(ctx)->message);
                pcsm_ctx_free(ctx);
                return 1;
            }
            print_case(out, op, pcsm_registry[i].id, d ? "downgrade" : "upgrade",
                       pcsm_registry[i].flags);
            pcsm_op__free(op);
        }
    pcsm_ctx_free(ctx);
    return 0;
}

/*
 * Each seed twice: a hostile case (quotes, backslashes, control bytes,
 * "??(" in every string), whose operations up to the first one refused
 * are kept, and the executable case of the same seed.
 */
static void print_fuzz(pcsm_buf *out, unsigned long first, unsigned long last)
{
    struct ddl_case c;
    struct case_src src;
    unsigned long seed;
    char id[32];
    int executable;

    for (seed = first; seed <= last; seed++)
        for (executable = 0; executable < 2; executable++) {
            pcsm_op *op = pcsm_op__new(NULL, PCSM_UPGRADE);

            case_src_seed(&src, seed);
            ddl_case_generate(&c, &src, executable);
            ddl_case_record(op, &c);
            snprintf(id, sizeof(id), "fuzz-%lu", seed);
            print_case(out, op, id, executable ? "executable" : "hostile", 0);
            pcsm_op__free(op);
        }
}

/* Every type kind beyond the first twenty, each spelling of a named type, the serials. */
static void every_type(pcsm_op *op)
{
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
}

/*
 * What the registries and the DDL cases record seldom or never: every
 * field and flag the printer has a spelling for, each kind at least once.
 */
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
        { .name = "q", .type = PCSM_SMALLINT }, { .name = "r", .type = PCSM_TIMESTAMPTZ }),
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
    pcsm_drop_index(op, "k_ix", PCSM_IF_EXISTS | PCSM_DROP_CONCURRENTLY);
    /* Names the server chooses: .name left out, printed back without one. */
    pcsm_create_index(op, &(pcsm_index){ .table = "k_all", .columns = PCSM_NAMES("i", "j"),
                                         .unique = true, .where = "i <> ''" });
    pcsm_add_constraint(op, "k_all", &(pcsm_constraint){ .kind = PCSM_CHECK,
                                                         .check = "q > 0", .not_valid = true });
    pcsm_drop_index(op, "k_ix2", PCSM_DROP_CASCADE);
    pcsm_add_identity(op, "k_all", "q", PCSM_IDENTITY_BY_DEFAULT, NULL);
    pcsm_add_identity(op, "k_all", "b", PCSM_IDENTITY_ALWAYS,
                      &(pcsm_sequence_options){ .start = PCSM_SEQ_VALUE(0),
                                                .minvalue = PCSM_SEQ_VALUE(0) });
    pcsm_set_identity(op, "k_all", "b", PCSM_IDENTITY_BY_DEFAULT);
    pcsm_comment_on(op, PCSM_OBJECT_INDEX, "k_ix", NULL, "two keys");
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
    pcsm_set_row_security(op, "k_all", PCSM_ROW_SECURITY_ENABLE);
    pcsm_set_row_security(op, "k_all", PCSM_ROW_SECURITY_FORCE);
    pcsm_create_policy(op, &(pcsm_policy){ .name = "k_pol", .table = "k_all",
                                           .using = "b > 0" });
    pcsm_create_policy(op, &(pcsm_policy){
        .name = "k_pol \"2\"", .table = "k_all", .command = PCSM_POLICY_UPDATE,
        .restrictive = true, .roles = PCSM_NAMES("app", "Auditor \"x\""),
        .using = "b > 'it''s'", .with_check = "b < 10" });
    pcsm_drop_policy(op, "k_all", "k_pol", PCSM_IF_EXISTS);
    pcsm_set_row_security(op, "k_all", PCSM_ROW_SECURITY_NO_FORCE);
    pcsm_set_row_security(op, "k_all", PCSM_ROW_SECURITY_DISABLE);
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
    pcsm_set_local(op, "statement_timeout", "0");
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
    pcsm_create_index(op, &(pcsm_index){ .name = "k_el", .table = "k_all", .unique = true,
        .nulls_not_distinct = true, .elements = PCSM_ELEMENTS(
            { .expression = "lower(c::text)", .collation = "C", .opclass = "text_pattern_ops",
              .descending = true, .nulls = PCSM_NULLS_LAST },
            { .column = "b", .opclass = "pg_catalog.int4_ops", .nulls = PCSM_NULLS_FIRST }) });
    pcsm_add_constraint(op, "k_all", &(pcsm_constraint){ .kind = PCSM_UNIQUE, .name = "k_u",
                                                         .columns = PCSM_NAMES("b"),
                                                         .nulls_not_distinct = true });
    pcsm_rename_index(op, "k_el", "k_el2");
    pcsm_rename_constraint(op, "k_all", "k_u", "k_u2");
    pcsm_add_constraint(op, "k_all", &(pcsm_constraint){ .kind = PCSM_EXCLUDE, .name = "k_x",
        .method = "gist", .where = "b > 0", .deferrable = true, .elements = PCSM_ELEMENTS(
            { .column = "b", .with = "=" },
            { .expression = "int4range(b, b + 1)", .opclass = "range_ops",
              .with = "pg_catalog.&&" }) });
    pcsm_add_constraint(op, "k_all", &(pcsm_constraint){ .kind = PCSM_EXCLUDE,
        .elements = PCSM_ELEMENTS({ .column = "b", .descending = true, .with = "=" }) });
}

/* Kinds a nontransactional revision refuses (LOCK TABLE, guards), and their neighbours. */
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
    every_type(op);
}

static int print_every_kind(pcsm_buf *out)
{
    static const pcsm_revision rev = { .id = "kinds", .flags = PCSM_REV_NONTRANSACTIONAL };
    pcsm_op *op = pcsm_op__new(&rev, PCSM_UPGRADE);
    int rc = 0;

    every_kind(op);
    if (pcsm_op__failure(op)) {
        fprintf(stderr, "csource_print: %s\n", pcsm_op__failure(op));
        rc = 1;
    } else {
        print_case(out, op, rev.id, "upgrade", rev.flags);
    }
    pcsm_op__free(op);
    if (rc == 0) {
        static const pcsm_revision txn = { .id = "kinds_txn" };

        op = pcsm_op__new(&txn, PCSM_UPGRADE);
        every_kind_in_transaction(op);
        if (pcsm_op__failure(op)) {
            fprintf(stderr, "csource_print: %s\n", pcsm_op__failure(op));
            rc = 1;
        } else {
            print_case(out, op, txn.id, "upgrade", txn.flags);
        }
        pcsm_op__free(op);
    }
    return rc;
}

/* An autocommit block, which a nontransactional revision (every_kind's) refuses. */
static void autocommit_block(pcsm_op *op)
{
    pcsm_execute(op, "UPDATE k_all SET b = 2");
    pcsm_autocommit_begin(op);
    pcsm_create_index(op, &(pcsm_index){ .name = "k_ix_block", .table = "k_all",
                                         .columns = PCSM_NAMES("b"), .concurrently = true });
    pcsm_drop_index(op, "k_ix_block", PCSM_DROP_CONCURRENTLY);
    pcsm_add_enum_value(op, "mood", "glad", PCSM_AT_END, 0);
    pcsm_autocommit_end(op);
    pcsm_autocommit_begin(op);
    pcsm_autocommit_end(op);
}

static int print_autocommit_block(pcsm_buf *out)
{
    static const pcsm_revision rev = { .id = "kinds-autocommit" };
    pcsm_op *op = pcsm_op__new(&rev, PCSM_UPGRADE);
    int rc = 0;

    autocommit_block(op);
    pcsm_op__end_autocommit_check(op);
    if (pcsm_op__failure(op)) {
        fprintf(stderr, "csource_print: %s\n", pcsm_op__failure(op));
        rc = 1;
    } else {
        print_case(out, op, rev.id, "upgrade", rev.flags);
    }
    pcsm_op__free(op);
    return rc;
}

/*
 * A revision that switches schemas several times: out to the target for
 * an extension's call (which a schema in force refuses), inside a guard and
 * back out of it, and the names inside definitions that keep their own.
 */
static void schema_switches(pcsm_op *op)
{
    pcsm_create_schema(op, "k_billing", PCSM_IF_NOT_EXISTS);
    pcsm_set_schema(op, "k_billing");
    pcsm_create_table(op, "k_inv", PCSM_COLUMNS(
        { .name = "id", .type = PCSM_INTEGER, .primary_key = true },
        { .name = "acct", .type = PCSM_INTEGER, .references = "k_acct", .ref_schema = "public",
          .ref_column = "id" },
        { .name = "plan", .type = PCSM_INTEGER, .references = "k_plan" },
        { .name = "st", .type = PCSM_TYPE_IN("k_billing", "k_state") }),
        PCSM_CONSTRAINTS({ .kind = PCSM_FOREIGN_KEY, .name = "k_inv_fk",
                           .columns = PCSM_NAMES("acct"), .references = "k_acct",
                           .ref_schema = "k \"crm\"" }), NULL);
    pcsm_create_index(op, &(pcsm_index){ .name = "k_inv_ix", .table = "k_inv",
                                         .columns = PCSM_NAMES("acct") });
    pcsm_set_schema(op, NULL);
    pcsm_create_extension(op, "pgcrypto", 0);
    pcsm_set_schema(op, "K \"Billing\"");
    pcsm_create_enum(op, "k_state", PCSM_LABELS("a"));
    pcsm_if(op, "true");
    pcsm_drop_table(op, "k_a", 0);
    pcsm_set_schema(op, "k_billing");
    pcsm_drop_table(op, "k_b", 0);
    pcsm_execute(op, "SELECT 1");
    pcsm_set_schema(op, NULL);
    pcsm_drop_table(op, "k_c", 0);
    pcsm_end_if(op);
    pcsm_drop_table(op, "k_d", 0);
    pcsm_set_schema(op, "k_billing");
    pcsm_set_schema(op, "k_billing");
    pcsm_create_trigger(op, &(pcsm_trigger){
        .name = "k_tr", .table = "k_inv", .timing = PCSM_AFTER, .events = PCSM_ON_INSERT,
        .function = "k_fn", .function_schema = "public" });
    pcsm_set_schema(op, "k_other");
    pcsm_set_schema(op, "k_billing");
    pcsm_drop_trigger(op, "k_inv", "k_tr", 0);
    pcsm_batch_update_from(op, "k_inv", "id", "plan = 1", "k_src s", "s.id = k_inv.id", 10);
    pcsm_lock_table(op, "k_inv", PCSM_LOCK_SHARE, 0);
    pcsm_drop_schema(op, "k_billing", PCSM_IF_EXISTS | PCSM_DROP_CASCADE);
    pcsm_set_schema(op, NULL);
    pcsm_drop_extension(op, "pgcrypto", 0);
}

static int print_schema_switches(pcsm_buf *out)
{
    static const pcsm_revision rev = { .id = "kinds-schemas" };
    pcsm_op *op = pcsm_op__new(&rev, PCSM_UPGRADE);
    int rc = 0;

    schema_switches(op);
    if (pcsm_op__failure(op)) {
        fprintf(stderr, "csource_print: %s\n", pcsm_op__failure(op));
        rc = 1;
    } else {
        print_case(out, op, rev.id, "upgrade", rev.flags);
    }
    pcsm_op__free(op);
    return rc;
}

int main(int argc, char **argv)
{
    pcsm_buf out = PCSM_BUF_INIT;
    FILE *f;
    int rc = 0;

    if (argc != 3 && argc != 5) {
        fprintf(stderr, "usage: csource_print OUT NAME [FIRST LAST]\n");
        return 2;
    }
    pcsm_buf_printf(&out, "/* Generated by tests/unit/csource_print.c (%s): do not edit. */\n"
                    "#include \"csource_case.h\"\n\n", argv[2]);
    if (argc == 5)
        print_fuzz(&out, strtoul(argv[3], NULL, 10), strtoul(argv[4], NULL, 10));
    else if (!strcmp(argv[2], "kinds"))
        rc = print_every_kind(&out) | print_autocommit_block(&out) |
             print_schema_switches(&out);
    else
        rc = print_registry(&out);
    pcsm_buf_printf(&out, "const struct csource_case csource_cases_%s[] = {\n%s    { NULL },\n};\n",
                    argv[2], table.ptr);
    if (rc == 0) {
        f = fopen(argv[1], "w");
        if (!f) {
            rc = 1;
        } else {
            rc = fwrite(out.ptr, 1, out.len, f) != out.len;
            rc |= fclose(f) != 0;
        }
        if (rc)
            fprintf(stderr, "csource_print: cannot write %s\n", argv[1]);
    }
    pcsm_buf_dispose(&out);
    pcsm_buf_dispose(&table);
    return rc;
}
