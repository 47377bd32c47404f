/*
 * The types beyond the first twenty and the serial kinds on a real server:
 * a table of every new type and each serial, made through the API and
 * migrated, is what the catalog says (format_type, pg_sequence, pg_depend,
 * pg_attrdef), and the replayed model equals the introspected one, before
 * and after the serial column and table are dropped.  A type of an
 * extension (citext, in contrib) is named by its schema.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <pcsm/pcsm.h>

#include "catalog_check.h"
#include "schema/schema.h"
#include "support.h"

static char db_name[64];
static pcsm_ctx *ctx;

#define SCHEMA "types_s"

static void up_types(pcsm_op *op)
{
    pcsm_create_enum(op, "mood", PCSM_LABELS("sad", "ok"));
    pcsm_create_table(op, "every", PCSM_COLUMNS(
        { .name = "id", .type = PCSM_SERIAL, .primary_key = true },
        { .name = "small", .type = PCSM_SMALLSERIAL },
        { .name = "tsv", .type = PCSM_TSVECTOR }, { .name = "tsq", .type = PCSM_TSQUERY },
        { .name = "ip", .type = PCSM_INET }, { .name = "net", .type = PCSM_CIDR },
        { .name = "mac", .type = PCSM_MACADDR }, { .name = "mac8", .type = PCSM_MACADDR8 },
        { .name = "cash", .type = PCSM_MONEY }, { .name = "doc", .type = PCSM_XML },
        { .name = "o", .type = PCSM_OID }, { .name = "ttz", .type = PCSM_TIMETZ },
        { .name = "b1", .type = PCSM_BIT(1) }, { .name = "b8", .type = PCSM_BIT(8) },
        { .name = "vb", .type = PCSM_VARBIT(0) }, { .name = "vb5", .type = PCSM_VARBIT(5) },
        { .name = "r4", .type = PCSM_INT4RANGE }, { .name = "r8", .type = PCSM_INT8RANGE },
        { .name = "rn", .type = PCSM_NUMRANGE }, { .name = "rts", .type = PCSM_TSRANGE },
        { .name = "rtz", .type = PCSM_TSTZRANGE }, { .name = "rd", .type = PCSM_DATERANGE },
        { .name = "t0", .type = PCSM_TIME_P(0) }, { .name = "t3", .type = PCSM_TIME_P(3) },
        { .name = "tz6", .type = PCSM_TIMETZ_P(6) }, { .name = "ts0", .type = PCSM_TIMESTAMP_P(0) },
        { .name = "tstz2", .type = PCSM_TIMESTAMPTZ_P(2) },
        { .name = "iv0", .type = PCSM_INTERVAL_P(0) }, { .name = "iv4", .type = PCSM_INTERVAL_P(4) },
        { .name = "ips", .type = PCSM_ARRAY(PCSM_INET) },
        { .name = "stamps", .type = PCSM_ARRAY(PCSM_TIMESTAMPTZ_P(3)) },
        { .name = "ci", .type = PCSM_TYPE_IN("public", "citext") },
        { .name = "cis", .type = PCSM_ARRAY(PCSM_TYPE_IN("public", "citext")) },
        { .name = "m", .type = PCSM_TYPE_IN(SCHEMA, "mood") },
        { .name = "pt", .type = PCSM_TYPE_IN("pg_catalog", "point") }), NULL, NULL);
    pcsm_add_column(op, "every", &(pcsm_column){ .name = "big", .type = PCSM_BIGSERIAL });
    pcsm_create_table(op, "Other", PCSM_COLUMNS({ .name = "Id", .type = PCSM_SERIAL }),
                      NULL, NULL);
}

static void up_drops(pcsm_op *op)
{
    pcsm_drop_column(op, "every", "small", 0);
    pcsm_drop_table(op, "Other", 0);
}

static const char *const after_r1[] = { "7e5a1c0d2b01" };

static const pcsm_revision revs[] = {
    { .id = "7e5a1c0d2b01", .description = "every type", .create_date = "2026-12-06 00:00:00",
      .source_path = "tests/integration/test_types_pg.c", .upgrade = up_types },
    { .id = "7e5a1c0d2b02", .parents = after_r1, .n_parents = 1, .description = "drops",
      .create_date = "2026-12-06 00:00:01", .source_path = "tests/integration/test_types_pg.c",
      .upgrade = up_drops },
};

static void setup(void)
{
    PGconn *admin;

    test_db_create(db_name, sizeof(db_name));
    admin = test_connect(db_name);
    /* citext comes with contrib: Debian's postgresql-15 has it. */
    test_exec(admin, "CREATE EXTENSION citext SCHEMA public");
    test_exec(admin, "CREATE SCHEMA " SCHEMA);
    PQfinish(admin);
    ck_assert_int_eq(pcsm_ctx_new(&ctx, revs, 2), 0);
}

static void teardown(void)
{
    pcsm_ctx_free(ctx);
    ctx = NULL;
    test_db_drop(db_name);
}

static pcsm_db *connect_schema(void)
{
    pcsm_db_opts opts;
    pcsm_db *db = NULL;
    char *ci = test_conninfo(db_name);

    pcsm_db_opts_init(&opts);
    opts.conninfo = ci;
    opts.script.schema = SCHEMA;
    ck_assert_msg(pcsm_db_connect(ctx, &opts, &db) == 0, "%s", pcsm_error_last(ctx)->message);
    free(ci);
    return db;
}

static char *sql_of(const pcsm_schema *s)
{
    pcsm_buf out = PCSM_BUF_INIT;

    ck_assert_int_eq(pcsm_schema_sql(ctx, s, &out), 0);
    return pcsm_buf_detach(&out);
}

/* Migrates to `target`; the replayed model must equal the catalog's there. */
static void migrate_and_compare(pcsm_db *db, const char *target)
{
    pcsm_run_opts run = { .direction = PCSM_UPGRADE, .target = target };
    pcsm_revset at = PCSM_REVSET_INIT;
    pcsm_schema *declared = NULL, *on_server = NULL, *live = NULL, *live_in = NULL;
    char **also;

    ck_assert_msg(pcsm_db_migrate(ctx, db, &run, NULL, NULL) == 0, "%s",
                  pcsm_error_last(ctx)->message);
    ck_assert_int_eq(pcsm_graph_resolve(ctx, target, NULL, &at), 0);
    ck_assert_msg(pcsm_schema_declared(ctx, &at, &declared) == 0, "%s",
                  pcsm_error_last(ctx)->message);
    ck_assert_msg(pcsm_schema_live(ctx, db, &live) == 0, "%s", pcsm_error_last(ctx)->message);
    ck_assert_msg(pcsm_schema_on_server(ctx, db, declared, &on_server) == 0, "%s",
                  pcsm_error_last(ctx)->message);
    /*
     * The scratch build reads the schemas the model names (public, of
     * citext) as check does: the live read compared with it reads them too.
     */
    also = pcsm_schema_names_used(declared);
    ck_assert_msg(pcsm_schema_live_in(ctx, db, (const char *const *)also, &live_in) == 0,
                  "%s", pcsm_error_last(ctx)->message);
    pcsm_schema_names_free(also);
    /* Straight from replay, not through the server's normal form: equal too. */
    if (!pcsm_schema_equal(live_in, on_server) || !pcsm_schema_equal(live, declared)) {
        char *a = sql_of(live), *b = sql_of(on_server), *d = sql_of(declared);

        fprintf(stderr, "the catalog holds\n%s\nbut replay declares\n%s\nas the server "
                "holds it\n%s", a, d, b);
        ck_abort_msg("%s: the catalog differs from replay", target);
    }
    catalog_check_kinds(target, declared, live);
    pcsm_schema_free(declared);
    pcsm_schema_free(on_server);
    pcsm_schema_free(live);
    pcsm_schema_free(live_in);
    pcsm_revset_dispose(&at);
}

#define COLUMNS_OF(t) \
    "SELECT string_agg(attname || ' ' || format_type(atttypid, atttypmod) || " \
    "CASE WHEN attnotnull THEN ' not null' ELSE '' END, ', ' ORDER BY attnum) " \
    "FROM pg_attribute WHERE attrelid = '" SCHEMA "." t "'::regclass AND attnum > 0 " \
    "AND NOT attisdropped"

/* Each serial's sequence: its type and owner (pg_depend 'a'), and the default that calls it. */
#define SERIALS \
    "SELECT string_agg(s.relname || ' ' || format_type(q.seqtypid, NULL) || ' ' || " \
    "q.seqmax || ' owned by ' || t.relname || '.' || a.attname || ' default ' || " \
    "pg_get_expr(d.adbin, d.adrelid), E'\\n' ORDER BY s.relname) " \
    "FROM pg_class s JOIN pg_sequence q ON q.seqrelid = s.oid " \
    "JOIN pg_depend p ON p.classid = 'pg_class'::regclass AND p.objid = s.oid " \
    "AND p.refclassid = 'pg_class'::regclass AND p.deptype = 'a' " \
    "JOIN pg_class t ON t.oid = p.refobjid " \
    "JOIN pg_attribute a ON a.attrelid = t.oid AND a.attnum = p.refobjsubid " \
    "JOIN pg_attrdef d ON d.adrelid = t.oid AND d.adnum = a.attnum " \
    "WHERE s.relnamespace = '" SCHEMA "'::regnamespace AND s.relkind = 'S'"

START_TEST(test_types_pg_every_type_and_serial)
{
    PGconn *conn = test_connect(db_name);
    pcsm_db *db = connect_schema();

    migrate_and_compare(db, "7e5a1c0d2b01");
    test_assert_query(conn, COLUMNS_OF("every"),
        "id integer not null, small smallint not null, tsv tsvector, tsq tsquery, ip inet, "
        "net cidr, mac macaddr, mac8 macaddr8, cash money, doc xml, o oid, "
        "ttz time with time zone, b1 bit(1), b8 bit(8), vb bit varying, "
        "vb5 bit varying(5), r4 int4range, r8 int8range, rn numrange, rts tsrange, "
        "rtz tstzrange, rd daterange, t0 time(0) without time zone, "
        "t3 time(3) without time zone, tz6 time(6) with time zone, "
        "ts0 timestamp(0) without time zone, tstz2 timestamp(2) with time zone, "
        "iv0 interval(0), iv4 interval(4), ips inet[], "
        "stamps timestamp(3) with time zone[], ci citext, cis citext[], m types_s.mood, pt point, "
        "big bigint not null");
    test_assert_query(conn, SERIALS,
        "Other_Id_seq integer 2147483647 owned by Other.Id "
        "default nextval('" SCHEMA ".\"Other_Id_seq\"'::regclass)\n"
        "every_big_seq bigint 9223372036854775807 owned by every.big "
        "default nextval('" SCHEMA ".every_big_seq'::regclass)\n"
        "every_id_seq integer 2147483647 owned by every.id "
        "default nextval('" SCHEMA ".every_id_seq'::regclass)\n"
        "every_small_seq smallint 32767 owned by every.small "
        "default nextval('" SCHEMA ".every_small_seq'::regclass)");
    /* The serial works: its sequence gives the rows their keys. */
    test_exec(conn, "INSERT INTO " SCHEMA ".every (ci) VALUES ('A'), ('b')");
    test_assert_query(conn, "SELECT string_agg(id || ':' || small || ':' || big, ' ' "
                      "ORDER BY id) FROM " SCHEMA ".every", "1:1:1 2:2:2");

    migrate_and_compare(db, "7e5a1c0d2b02");
    test_assert_query(conn, "SELECT string_agg(relname, ' ' ORDER BY relname) FROM pg_class "
                      "WHERE relnamespace = '" SCHEMA "'::regnamespace AND relkind = 'S' "
                      "AND relname <> 'pcs_migrate_history_id_seq'",
                      "every_big_seq every_id_seq");
    pcsm_db_close(db);
    PQfinish(conn);
}
END_TEST

static Suite *types_pg_suite(void)
{
    Suite *s = suite_create("types_pg");
    TCase *tc = tcase_create("types_pg");

    tcase_add_checked_fixture(tc, setup, teardown);
    tcase_set_timeout(tc, 120);
    tcase_add_test(tc, test_types_pg_every_type_and_serial);
    suite_add_tcase(s, tc);
    return s;
}

int main(void)
{
    test_require_db();
    return test_run_suite(types_pg_suite());
}
