/*
 * The DDL helper API against a real server: every operation's rendered SQL
 * is executed and the catalog checked (extensions, enum label order,
 * functions and triggers included, up and down), hostile identifiers and
 * literals survive the trip exactly, and the offline quoting equals libpq's
 * own PQescapeIdentifier / PQescapeLiteral.
 */
#include <stdlib.h>
#include <string.h>

#include "commented.h"
#include "render/render.h"
#include "schema/schema.h"
#include "support.h"

static char db[64];
static PGconn *conn;
static pcsm_ctx *ctx;
static int notices;

static void count_notice(void *arg, const PGresult *res)
{
    (void)arg;
    (void)res;
    notices++;
}

static void setup(void)
{
    conn = test_db_open(db, sizeof(db));
    PQsetNoticeReceiver(conn, count_notice, NULL);
    test_exec(conn, "SET client_min_messages = notice");
    notices = 0;
    ck_assert_int_eq(pcsm_ctx_new(&ctx, NULL, 0), 0);
}

static void teardown(void)
{
    pcsm_ctx_free(ctx);
    test_db_close(conn, db);
}

/* Renders `fn` as a revision's upgrade and runs it; returns the result. */
static PGresult *run_op(void (*fn)(pcsm_op *), unsigned flags)
{
    static const char *const none[] = { NULL };
    pcsm_revision rev = { .id = "t", .parents = none, .description = "test",
                          .create_date = "d", .source_path = "t.c", .flags = flags,
                          .upgrade = fn };
    pcsm_buf sql = PCSM_BUF_INIT;
    PGresult *res;

    ck_assert_msg(pcsm_revision_sql(ctx, &rev, PCSM_UPGRADE, &sql) == 0, "%s",
                  pcsm_error_last(ctx)->message);
    res = PQexec(conn, sql.ptr);
    pcsm_buf_dispose(&sql);
    return res;
}

/* Runs rev's downgrade, which must succeed. */
static void run_downgrade_ok(const pcsm_revision *rev)
{
    pcsm_buf sql = PCSM_BUF_INIT;
    PGresult *res;

    ck_assert_msg(pcsm_revision_sql(ctx, rev, PCSM_DOWNGRADE, &sql) == 0, "%s",
                  pcsm_error_last(ctx)->message);
    res = PQexec(conn, sql.ptr);
    ck_assert_msg(PQresultStatus(res) == PGRES_COMMAND_OK, "%s", PQerrorMessage(conn));
    PQclear(res);
    pcsm_buf_dispose(&sql);
}

static void run_ok(void (*fn)(pcsm_op *), unsigned flags)
{
    PGresult *res = run_op(fn, flags);

    ck_assert_msg(PQresultStatus(res) == PGRES_COMMAND_OK ||
                  PQresultStatus(res) == PGRES_TUPLES_OK, "%s", PQerrorMessage(conn));
    PQclear(res);
}

static void check_query(const char *sql, const char *want)
{
    char *got = test_query(conn, sql);

    ck_assert_str_eq(got, want);
    free(got);
}

/* Names PostgreSQL must see exactly as written. */
static const char *const hostile[] = {
    "a\"b", "Mixed Case", "select", "ünïcødé ✓", "x'y", "back\\slash", "\"\"", "a;DROP TABLE b",
    "UPPER", "$1", "-- not a comment",
};
#define N_HOSTILE (sizeof(hostile) / sizeof(hostile[0]))

START_TEST(test_ddl_pg_quoting_matches_libpq)
{
    static const char *const literals[] = {
        "", "plain", "it's", "back\\slash", "both ' and \\", "ünïcødé", "$pcsm$", "\n\t",
        "E'x'", "''", "\\\\",
    };
    size_t i;

    test_exec(conn, "SET client_encoding = 'UTF8'");
    for (i = 0; i < N_HOSTILE; i++) {
        pcsm_buf ours = PCSM_BUF_INIT;
        char *theirs = PQescapeIdentifier(conn, hostile[i], strlen(hostile[i]));

        pcsm_sql__ident(&ours, hostile[i]);
        ck_assert_str_eq(ours.ptr, theirs);
        PQfreemem(theirs);
        pcsm_buf_dispose(&ours);
    }
    for (i = 0; i < sizeof(literals) / sizeof(literals[0]); i++) {
        pcsm_buf ours = PCSM_BUF_INIT;
        char *theirs = PQescapeLiteral(conn, literals[i], strlen(literals[i]));

        pcsm_sql__literal(&ours, literals[i]);
        ck_assert_str_eq(ours.ptr, theirs);
        PQfreemem(theirs);
        pcsm_buf_dispose(&ours);
    }
}
END_TEST

static size_t hostile_i;

static void create_hostile(pcsm_op *op)
{
    const char *name = hostile[hostile_i];
    char index[80];

    /* A table and an index share pg_class's namespace: the index gets a suffix. */
    snprintf(index, sizeof(index), "%s ix", name);
    pcsm_create_table(op, name, PCSM_COLUMNS(
        { .name = name, .type = PCSM_TEXT, .default_value = PCSM_LITERAL(name),
          .comment = name }), NULL, name);
    pcsm_create_index(op, &(pcsm_index){ .name = index, .table = name,
                                         .columns = PCSM_NAMES(name) });
}

START_TEST(test_ddl_pg_hostile_identifiers_round_trip)
{
    for (hostile_i = 0; hostile_i < N_HOSTILE; hostile_i++) {
        const char *name = hostile[hostile_i];
        const char *params[1] = { name };
        PGresult *res;

        run_ok(create_hostile, 0);
        res = PQexecParams(conn,
            "SELECT c.relname = $1, a.attname = $1, obj_description(c.oid, 'pg_class') = $1, "
            "       col_description(c.oid, 1) = $1, "
            "       d.adbin IS NOT NULL, "
            "       (SELECT count(*) FROM pg_index i JOIN pg_class ic ON ic.oid = i.indexrelid "
            "        WHERE i.indrelid = c.oid AND ic.relname = $1 || ' ix') "
            "FROM pg_class c JOIN pg_attribute a ON a.attrelid = c.oid AND a.attnum = 1 "
            "JOIN pg_attrdef d ON d.adrelid = c.oid "
            "WHERE c.relname = $1 AND c.relkind = 'r'", 1, NULL, params, NULL, NULL, 0);
        ck_assert_int_eq(PQresultStatus(res), PGRES_TUPLES_OK);
        ck_assert_msg(PQntuples(res) == 1, "table %s not found", name);
        ck_assert_str_eq(PQgetvalue(res, 0, 0), "t");
        ck_assert_str_eq(PQgetvalue(res, 0, 1), "t");
        ck_assert_str_eq(PQgetvalue(res, 0, 2), "t");
        ck_assert_str_eq(PQgetvalue(res, 0, 3), "t");
        ck_assert_msg(!strcmp(PQgetvalue(res, 0, 4), "t"), "default of %s", name);
        ck_assert_str_eq(PQgetvalue(res, 0, 5), "1");
        PQclear(res);

        /* The default literal comes back byte for byte. */
        {
            char *ident = PQescapeIdentifier(conn, name, strlen(name));
            char sql[512];

            snprintf(sql, sizeof(sql), "INSERT INTO %s DEFAULT VALUES RETURNING %s = $1",
                     ident, ident);
            res = PQexecParams(conn, sql, 1, NULL, params, NULL, NULL, 0);
            ck_assert_msg(PQresultStatus(res) == PGRES_TUPLES_OK, "%s", PQerrorMessage(conn));
            ck_assert_str_eq(PQgetvalue(res, 0, 0), "t");
            PQclear(res);
            PQfreemem(ident);
        }
    }
}
END_TEST

static void create_every_type(pcsm_op *op)
{
    pcsm_create_table(op, "types", PCSM_COLUMNS(
        { .name = "c_uuid", .type = PCSM_UUID },
        { .name = "c_varchar", .type = PCSM_VARCHAR(40) },
        { .name = "c_varchar_any", .type = PCSM_VARCHAR(0) },
        { .name = "c_char", .type = PCSM_CHAR(3) },
        { .name = "c_text", .type = PCSM_TEXT },
        { .name = "c_boolean", .type = PCSM_BOOLEAN },
        { .name = "c_smallint", .type = PCSM_SMALLINT },
        { .name = "c_integer", .type = PCSM_INTEGER },
        { .name = "c_bigint", .type = PCSM_BIGINT },
        { .name = "c_numeric", .type = PCSM_NUMERIC(12, 2) },
        { .name = "c_numeric_any", .type = PCSM_NUMERIC(0, 0) },
        { .name = "c_real", .type = PCSM_REAL },
        { .name = "c_double", .type = PCSM_DOUBLE },
        { .name = "c_json", .type = PCSM_JSON },
        { .name = "c_jsonb", .type = PCSM_JSONB },
        { .name = "c_bytea", .type = PCSM_BYTEA },
        { .name = "c_date", .type = PCSM_DATE },
        { .name = "c_time", .type = PCSM_TIME },
        { .name = "c_timestamp", .type = PCSM_TIMESTAMP },
        { .name = "c_timestamptz", .type = PCSM_TIMESTAMPTZ },
        { .name = "c_interval", .type = PCSM_INTERVAL },
        { .name = "c_text_array", .type = PCSM_ARRAY(PCSM_TEXT) },
        { .name = "c_int_matrix", .type = PCSM_ARRAY(PCSM_ARRAY(PCSM_INTEGER)) },
        { .name = "c_uuid_array", .type = PCSM_ARRAY(PCSM_UUID) },
        { .name = "c_mood", .type = PCSM_NAMED_TYPE("Mood") }), NULL, NULL);
}

START_TEST(test_ddl_pg_every_type)
{
    test_exec(conn, "CREATE TYPE \"Mood\" AS ENUM ('ok')");
    run_ok(create_every_type, 0);
    check_query("SELECT string_agg(format_type(atttypid, atttypmod), ',' ORDER BY attnum) "
                "FROM pg_attribute WHERE attrelid = 'types'::regclass AND attnum > 0",
                "uuid,character varying(40),character varying,character(3),text,boolean,"
                "smallint,integer,bigint,numeric(12,2),numeric,real,double precision,json,"
                "jsonb,bytea,date,time without time zone,timestamp without time zone,"
                "timestamp with time zone,interval,text[],integer[],uuid[],\"Mood\"");
}
END_TEST

static void create_parent_child(pcsm_op *op)
{
    pcsm_create_table(op, "parent", PCSM_COLUMNS(
        { .name = "id", .type = PCSM_BIGINT, .primary_key = true },
        { .name = "code", .type = PCSM_VARCHAR(10), .not_null = true, .unique = true },
        { .name = "n", .type = PCSM_INTEGER, .check = "n >= 0",
          .default_value = PCSM_EXPR("0") }), NULL, "parents");
    pcsm_create_table(op, "child", PCSM_COLUMNS(
        { .name = "a", .type = PCSM_INTEGER, .primary_key = true },
        { .name = "b", .type = PCSM_INTEGER, .primary_key = true },
        { .name = "parent_id", .type = PCSM_BIGINT, .references = "parent",
          .on_delete = PCSM_CASCADE, .on_update = PCSM_RESTRICT },
        { .name = "code", .type = PCSM_VARCHAR(10) }),
        PCSM_CONSTRAINTS(
            { .kind = PCSM_FOREIGN_KEY, .name = "child_code_fk", .columns = PCSM_NAMES("code"),
              .references = "parent", .ref_columns = PCSM_NAMES("code"),
              .on_delete = PCSM_SET_NULL, .deferrable = true },
            { .kind = PCSM_UNIQUE, .name = "child_b_code", .columns = PCSM_NAMES("b", "code") },
            { .kind = PCSM_CHECK, .name = "child_a_positive", .check = "a > 0" }), NULL);
}

static const char parent_child_constraints[] =
    "child|child_a_positive|CHECK ((a > 0))\n"
    "child|child_b_code|UNIQUE (b, code)\n"
    "child|child_code_fk|FOREIGN KEY (code) REFERENCES parent(code) ON DELETE SET NULL "
    "DEFERRABLE INITIALLY DEFERRED\n"
    "child|child_parent_id_fkey|FOREIGN KEY (parent_id) REFERENCES parent(id) "
    "ON UPDATE RESTRICT ON DELETE CASCADE\n"
    "child|child_pkey|PRIMARY KEY (a, b)\n"
    "parent|parent_code_key|UNIQUE (code)\n"
    "parent|parent_n_check|CHECK ((n >= 0))\n"
    "parent|parent_pkey|PRIMARY KEY (id)";

static const char constraints_sql[] =
    "SELECT conrelid::regclass, conname, pg_get_constraintdef(oid) FROM pg_constraint "
    "WHERE connamespace = 'public'::regnamespace ORDER BY 1::text, 2";

START_TEST(test_ddl_pg_tables_and_constraints)
{
    run_ok(create_parent_child, 0);
    check_query(constraints_sql, parent_child_constraints);
    check_query("SELECT obj_description('parent'::regclass, 'pg_class'), "
                "pg_get_expr(adbin, adrelid) FROM pg_attrdef WHERE adrelid = 'parent'::regclass",
                "parents|0");
}
END_TEST

static void alter_everything(pcsm_op *op)
{
    pcsm_add_column(op, "parent", &(pcsm_column){ .name = "note", .type = PCSM_VARCHAR(20),
                                                  .default_value = PCSM_LITERAL("n/a"),
                                                  .comment = "free text" });
    pcsm_rename_column(op, "parent", "note", "remark");
    pcsm_alter_column_type(op, "parent", "remark", PCSM_TEXT, "upper(remark)");
    pcsm_set_default(op, "parent", "remark", PCSM_LITERAL("it's"));
    pcsm_set_not_null(op, "parent", "remark");
    pcsm_drop_not_null(op, "parent", "remark");
    pcsm_set_not_null(op, "parent", "remark");
    pcsm_drop_default(op, "parent", "n");
    pcsm_comment_column(op, "parent", "remark", "changed");
    pcsm_comment_table(op, "parent", NULL);
    pcsm_add_constraint(op, "parent", &(pcsm_constraint){ .kind = PCSM_CHECK,
                        .name = "remark_short", .check = "length(remark) < 100",
                        .not_valid = true });
    pcsm_drop_constraint(op, "child", "child_code_fk", 0);
    pcsm_drop_constraint(op, "child", "no_such_constraint", PCSM_IF_EXISTS);
    pcsm_add_constraint(op, "child", &(pcsm_constraint){ .kind = PCSM_FOREIGN_KEY,
                        .name = "child_code_fk2", .columns = PCSM_NAMES("code"),
                        .references = "parent", .ref_columns = PCSM_NAMES("code") });
    pcsm_add_column(op, "parent", &(pcsm_column){ .name = "doc", .type = PCSM_JSONB });
    pcsm_create_index(op, &(pcsm_index){ .name = "parent_doc", .table = "parent",
                                         .columns = PCSM_NAMES("doc"), .method = "gin" });
    pcsm_create_index(op, &(pcsm_index){ .name = "parent_lower_code", .table = "parent",
                                         .expression = "lower(code)", .unique = true,
                                         .where = "n > 0" });
    pcsm_create_index(op, &(pcsm_index){ .name = "parent_lower_code", .table = "parent",
                                         .expression = "lower(code)", .if_not_exists = true });
    pcsm_create_index(op, &(pcsm_index){ .name = "child_a_b", .table = "child",
                                         .columns = PCSM_NAMES("b", "a") });
    pcsm_drop_index(op, "child_a_b", 0);
    pcsm_drop_index(op, "child_a_b", PCSM_IF_EXISTS);
    pcsm_rename_table(op, "child", "kid");
    pcsm_drop_column(op, "kid", "parent_id", 0);
    pcsm_drop_column(op, "kid", "parent_id", PCSM_IF_EXISTS);
}

START_TEST(test_ddl_pg_alter_everything)
{
    run_ok(create_parent_child, 0);
    test_exec(conn, "INSERT INTO parent (id, code) VALUES (1, 'x')");
    run_ok(alter_everything, 0);
    check_query("SELECT attname, format_type(atttypid, atttypmod), attnotnull, "
                "coalesce(pg_get_expr(d.adbin, d.adrelid), '-'), "
                "coalesce(col_description(attrelid, attnum), '-') "
                "FROM pg_attribute a LEFT JOIN pg_attrdef d ON d.adrelid = a.attrelid "
                "AND d.adnum = a.attnum WHERE attrelid = 'parent'::regclass AND attnum > 0 "
                "AND NOT attisdropped ORDER BY attnum",
                "id|bigint|t|-|-\n"
                "code|character varying(10)|t|-|-\n"
                "n|integer|f|-|-\n"
                "remark|text|t|'it''s'::text|changed\n"
                "doc|jsonb|f|-|-");
    check_query("SELECT remark FROM parent", "N/A");
    check_query("SELECT coalesce(obj_description('parent'::regclass, 'pg_class'), '-')", "-");
    check_query("SELECT indexdef FROM pg_indexes WHERE schemaname = 'public' ORDER BY indexname",
                "CREATE UNIQUE INDEX child_b_code ON public.kid USING btree (b, code)\n"
                "CREATE UNIQUE INDEX child_pkey ON public.kid USING btree (a, b)\n"
                "CREATE UNIQUE INDEX parent_code_key ON public.parent USING btree (code)\n"
                "CREATE INDEX parent_doc ON public.parent USING gin (doc)\n"
                "CREATE UNIQUE INDEX parent_lower_code ON public.parent USING btree "
                "(lower((code)::text)) WHERE (n > 0)\n"
                "CREATE UNIQUE INDEX parent_pkey ON public.parent USING btree (id)");
    check_query("SELECT conname, convalidated FROM pg_constraint "
                "WHERE conname IN ('remark_short', 'child_code_fk2', 'child_code_fk') "
                "ORDER BY 1", "child_code_fk2|t\nremark_short|f");
}
END_TEST

static void add_not_valid(pcsm_op *op)
{
    pcsm_add_constraint(op, "child", &(pcsm_constraint){ .kind = PCSM_FOREIGN_KEY,
                        .name = "child_parent_fk2", .columns = PCSM_NAMES("parent_id"),
                        .references = "parent", .not_valid = true });
    pcsm_add_constraint(op, "child", &(pcsm_constraint){ .kind = PCSM_CHECK,
                        .name = "child_b_small", .check = "b < 100", .not_valid = true });
}

static void validate_them(pcsm_op *op)
{
    pcsm_validate_constraint(op, "child", "child_parent_fk2");
    pcsm_validate_constraint(op, "child", "child_b_small");
}

static void validate_fk(pcsm_op *op) { pcsm_validate_constraint(op, "child", "child_parent_fk2"); }
static void validate_unique(pcsm_op *op) { pcsm_validate_constraint(op, "child", "child_b_code"); }

static const char validated_sql[] =
    "SELECT conname, convalidated FROM pg_constraint "
    "WHERE conname IN ('child_parent_fk2', 'child_b_small') ORDER BY 1";

START_TEST(test_ddl_pg_validate_constraint)
{
    PGresult *res;

    run_ok(create_parent_child, 0);
    test_exec(conn, "INSERT INTO parent (id, code) VALUES (1, 'x')");
    test_exec(conn, "INSERT INTO child (a, b, parent_id) VALUES (1, 200, 1)");
    /* NOT VALID: the row that breaks the CHECK is not looked at. */
    run_ok(add_not_valid, 0);
    check_query(validated_sql, "child_b_small|f\nchild_parent_fk2|f");
    /* Validating it is: the server scans the rows and refuses. */
    res = run_op(validate_them, 0);
    ck_assert_str_eq(PQresultErrorField(res, PG_DIAG_SQLSTATE), "23514");
    PQclear(res);
    check_query(validated_sql, "child_b_small|f\nchild_parent_fk2|f");
    test_exec(conn, "UPDATE child SET b = 2");
    /*
     * Writes go on while it scans: SHARE UPDATE EXCLUSIVE (and the scan's ACCESS
     * SHARE), no ACCESS EXCLUSIVE; and it is transactional.
     */
    test_exec(conn, "BEGIN");
    run_ok(validate_fk, 0);
    check_query("SELECT string_agg(mode, ',' ORDER BY mode) FROM pg_locks "
                "WHERE locktype = 'relation' AND relation = 'child'::regclass "
                "AND pid = pg_backend_pid()", "AccessShareLock,ShareUpdateExclusiveLock");
    test_exec(conn, "ROLLBACK");
    check_query(validated_sql, "child_b_small|f\nchild_parent_fk2|f");
    run_ok(validate_them, 0);
    check_query(validated_sql, "child_b_small|t\nchild_parent_fk2|t");
    run_ok(validate_them, 0);       /* valid already: nothing to do */
    /* The server's words for a key, which replay uses too. */
    res = run_op(validate_unique, 0);
    ck_assert_str_eq(PQresultErrorField(res, PG_DIAG_SQLSTATE), "42809");
    ck_assert_str_eq(PQresultErrorField(res, PG_DIAG_MESSAGE_PRIMARY),
                     "constraint \"child_b_code\" of relation \"child\" is not a foreign key "
                     "or check constraint");
    PQclear(res);
}
END_TEST

static void drops(pcsm_op *op)
{
    pcsm_drop_table(op, "parent", PCSM_DROP_CASCADE);
    pcsm_drop_table(op, "parent", PCSM_IF_EXISTS);
}

START_TEST(test_ddl_pg_drop_table_cascade)
{
    run_ok(create_parent_child, 0);
    run_ok(drops, 0);
    check_query("SELECT string_agg(relname, ',' ORDER BY relname) FROM pg_class "
                "WHERE relnamespace = 'public'::regnamespace AND relkind = 'r'", "child");
    check_query("SELECT count(*) FROM pg_constraint WHERE contype = 'f'", "0");
}
END_TEST

static void create_concurrently(pcsm_op *op)
{
    pcsm_create_index(op, &(pcsm_index){ .name = "parent_n", .table = "parent",
                                         .columns = PCSM_NAMES("n"), .concurrently = true });
}

static void drop_concurrently(pcsm_op *op)
{
    pcsm_drop_index(op, "parent_n", PCSM_DROP_CONCURRENTLY | PCSM_IF_EXISTS);
}

START_TEST(test_ddl_pg_concurrent_index_outside_transaction)
{
    PGresult *res;

    run_ok(create_parent_child, 0);
    run_ok(create_concurrently, PCSM_REV_NONTRANSACTIONAL);
    check_query("SELECT indisvalid FROM pg_index WHERE indexrelid = 'parent_n'::regclass", "t");
    /* Inside a transaction the server refuses it, which is why the flag exists. */
    test_exec(conn, "BEGIN");
    res = run_op(drop_concurrently, PCSM_REV_NONTRANSACTIONAL);
    ck_assert_str_eq(PQresultErrorField(res, PG_DIAG_SQLSTATE), "25001");
    PQclear(res);
    test_exec(conn, "ROLLBACK");
    run_ok(drop_concurrently, PCSM_REV_NONTRANSACTIONAL);
    check_query("SELECT count(*) FROM pg_class WHERE relname = 'parent_n'", "0");
}
END_TEST

static void insert_params(pcsm_op *op)
{
    pcsm_create_table(op, "kv", PCSM_COLUMNS(
        { .name = "k", .type = PCSM_TEXT }, { .name = "v", .type = PCSM_TEXT },
        { .name = "n", .type = PCSM_INTEGER }, { .name = "at", .type = PCSM_TIMESTAMPTZ }),
        NULL, NULL);
    pcsm_execute_params(op, "INSERT INTO kv (k, v, n, at) VALUES ($1, $2, $3, $4);", 4,
                        (pcsm_value[]){ PCSM_LITERAL("it's a \\ test"), PCSM_NULL,
                                        PCSM_LITERAL("42"), PCSM_EXPR("now()") });
    pcsm_execute_params(op, "INSERT INTO kv (k, n) VALUES ($1, $2)", 2,
                        (pcsm_value[]){ PCSM_LITERAL("ünï $pcsm$ '"), PCSM_LITERAL("7") });
    pcsm_execute_params(op, "UPDATE kv SET n = n + 1", 0, NULL);
}

START_TEST(test_ddl_pg_execute_params)
{
    run_ok(insert_params, 0);
    check_query("SELECT k, coalesce(v, 'NULL!'), n, at IS NOT NULL FROM kv ORDER BY n",
                "ünï $pcsm$ '|NULL!|8|f\nit's a \\ test|NULL!|43|t");
    check_query("SELECT count(*) FROM pg_prepared_statements", "0");
}
END_TEST

static void batch_fill(pcsm_op *op)
{
    pcsm_create_table(op, "big", PCSM_COLUMNS(
        { .name = "id", .type = PCSM_INTEGER, .primary_key = true },
        { .name = "flag", .type = PCSM_BOOLEAN, .not_null = true,
          .default_value = PCSM_EXPR("false") },
        { .name = "label", .type = PCSM_TEXT }), NULL, NULL);
    pcsm_execute(op, "INSERT INTO big (id, label) SELECT g, 'row ' || g "
                     "FROM generate_series(1, 25000) g");
}

static void batch_update(pcsm_op *op)
{
    pcsm_batch_update(op, "big", "id", "flag = true, label = upper(label)", "id % 2 = 0", 1000);
}

START_TEST(test_ddl_pg_batch_update)
{
    run_ok(batch_fill, 0);
    notices = 0;
    run_ok(batch_update, 0);
    check_query("SELECT count(*) FILTER (WHERE flag), count(*) FILTER (WHERE NOT flag), "
                "count(*) FILTER (WHERE flag AND label = 'ROW ' || id), "
                "count(*) FILTER (WHERE flag AND id % 2 = 1) FROM big",
                "12500|12500|12500|0");
    /* 12,500 matching rows in batches of 1,000: 13 progress notices. */
    ck_assert_int_eq(notices, 13);
}
END_TEST

static void batch_uuid_fill(pcsm_op *op)
{
    pcsm_create_table(op, "keyed", PCSM_COLUMNS(
        { .name = "id", .type = PCSM_UUID, .primary_key = true,
          .default_value = PCSM_EXPR("gen_random_uuid()") },
        { .name = "done", .type = PCSM_BOOLEAN, .not_null = true,
          .default_value = PCSM_EXPR("false") }), NULL, NULL);
    pcsm_execute(op, "INSERT INTO keyed (done) SELECT false FROM generate_series(1, 2500)");
}

static void batch_uuid_update(pcsm_op *op)
{
    pcsm_batch_update(op, "keyed", "id", "done = true", NULL, 1000);
}

/* uuid keys have an order but no max(): every PCS table's key is one (2026-11-24). */
START_TEST(test_ddl_pg_batch_update_uuid_key)
{
    run_ok(batch_uuid_fill, 0);
    notices = 0;
    run_ok(batch_uuid_update, 0);
    check_query("SELECT count(*) FILTER (WHERE done), count(*) FROM keyed", "2500|2500");
    ck_assert_int_eq(notices, 3);
}
END_TEST

static void assert_true(pcsm_op *op)
{
    pcsm_assert(op, "(SELECT count(*) FROM pg_class) > 0", "never shown");
}

static void assert_false(pcsm_op *op)
{
    pcsm_assert(op, "(SELECT count(*) FROM pg_class WHERE relname = 'nope') = 1",
                "no 'nope' table: run $pcsm$ \\ first");
}

static void assert_null(pcsm_op *op)
{
    pcsm_assert(op, "NULL::boolean", "null counts as false");
}

START_TEST(test_ddl_pg_assert)
{
    PGresult *res;

    run_ok(assert_true, 0);
    res = run_op(assert_false, 0);
    ck_assert_int_eq(PQresultStatus(res), PGRES_FATAL_ERROR);
    ck_assert_str_eq(PQresultErrorField(res, PG_DIAG_SQLSTATE), "P0004");
    ck_assert_str_eq(PQresultErrorField(res, PG_DIAG_MESSAGE_PRIMARY),
                     "no 'nope' table: run $pcsm$ \\ first");
    PQclear(res);
    res = run_op(assert_null, 0);
    ck_assert_str_eq(PQresultErrorField(res, PG_DIAG_SQLSTATE), "P0004");
    PQclear(res);
}
END_TEST

/* ------------------------------ extensions, enum types, functions, triggers */

#define MOOD "Mood \"x\""
#define TOUCH "BEGIN\n    NEW.updated := now();\n    NEW.changes := OLD.changes + 1;\n" \
              "    RETURN NEW;\nEND\n"

static void objects_up(pcsm_op *op)
{
    pcsm_create_extension(op, "citext", 0);
    pcsm_create_extension(op, "citext", 0);
    pcsm_create_enum(op, MOOD, PCSM_LABELS("sad", "ok"));
    pcsm_add_enum_value(op, MOOD, "meh", PCSM_BEFORE_LABEL("ok"), 0);
    pcsm_add_enum_value(op, MOOD, "happy", PCSM_AT_END, 0);
    pcsm_add_enum_value(op, MOOD, "glad", PCSM_AFTER_LABEL("sad"), PCSM_IF_NOT_EXISTS);
    pcsm_add_enum_value(op, MOOD, "ok", PCSM_AT_END, PCSM_IF_NOT_EXISTS);
    pcsm_rename_enum_value(op, MOOD, "sad", "it's blue");
    pcsm_create_table(op, "notes", PCSM_COLUMNS(
        { .name = "id", .type = PCSM_INTEGER, .primary_key = true },
        { .name = "body", .type = PCSM_NAMED_TYPE("citext") },
        { .name = "mood", .type = PCSM_NAMED_TYPE(MOOD), .default_value = PCSM_LITERAL("ok") },
        { .name = "n", .type = PCSM_INTEGER },
        { .name = "updated", .type = PCSM_TIMESTAMPTZ },
        { .name = "changes", .type = PCSM_INTEGER, .not_null = true,
          .default_value = PCSM_EXPR("0") }), NULL, NULL);
    pcsm_create_table(op, "statements", PCSM_COLUMNS(
        { .name = "n", .type = PCSM_INTEGER }), NULL, NULL);
    pcsm_create_function(op, &(pcsm_function){
        .name = "touch", .arguments = "", .returns = "trigger", .language = "plpgsql",
        .body = TOUCH });
    pcsm_create_function(op, &(pcsm_function){
        .name = "count_statement", .returns = "trigger", .language = "plpgsql",
        .body = "BEGIN\n    INSERT INTO statements VALUES (1);\n    RETURN NULL;\nEND" });
    pcsm_create_function(op, &(pcsm_function){
        .name = "add", .arguments = "a integer, b integer DEFAULT 1", .returns = "integer",
        .language = "sql", .body = "SELECT a + b", .volatility = PCSM_IMMUTABLE,
        .strict = true });
    pcsm_create_function(op, &(pcsm_function){
        .name = "add", .arguments = "a integer, b integer DEFAULT 1", .returns = "integer",
        .language = "sql", .body = "SELECT a + b + 0", .volatility = PCSM_IMMUTABLE,
        .strict = true, .or_replace = true });
    pcsm_create_function(op, &(pcsm_function){
        .name = "dollars", .returns = "text", .language = "sql", .body = "SELECT $$x$$::text",
        .volatility = PCSM_STABLE, .security_definer = true });
    pcsm_create_trigger(op, &(pcsm_trigger){
        .name = "notes_touch", .table = "notes", .timing = PCSM_BEFORE,
        .events = PCSM_ON_UPDATE, .for_each_row = true, .function = "touch",
        .when = "OLD.body IS DISTINCT FROM NEW.body" });
    pcsm_create_trigger(op, &(pcsm_trigger){
        .name = "notes_count", .table = "notes", .timing = PCSM_AFTER,
        .events = PCSM_ON_INSERT | PCSM_ON_TRUNCATE, .function = "count_statement" });
}

static void objects_down(pcsm_op *op)
{
    pcsm_drop_trigger(op, "notes", "notes_count", 0);
    pcsm_drop_trigger(op, "notes", "notes_count", PCSM_IF_EXISTS);
    pcsm_drop_trigger(op, "no_such_table", "x", PCSM_IF_EXISTS);
    pcsm_drop_table(op, "notes", 0);                /* notes_touch goes with it */
    pcsm_drop_table(op, "statements", 0);
    pcsm_drop_function(op, "touch", "", 0);
    pcsm_drop_function(op, "count_statement", NULL, 0);
    pcsm_drop_function(op, "add", "integer, integer", 0);
    pcsm_drop_function(op, "add", "x int, y int", PCSM_IF_EXISTS);
    pcsm_drop_function(op, "dollars", "", PCSM_DROP_CASCADE);
    pcsm_drop_type(op, MOOD, 0);
    pcsm_drop_type(op, MOOD, PCSM_IF_EXISTS | PCSM_DROP_CASCADE);
    pcsm_drop_extension(op, "citext", 0);
    pcsm_drop_extension(op, "citext", PCSM_IF_EXISTS);
}

/* The labels of MOOD as the model replays objects_up: the server's order, it must be. */
static char *declared_labels(void)
{
    static const char *const none[] = { NULL };
    pcsm_revision rev = { .id = "t", .parents = none, .description = "test",
                          .create_date = "d", .source_path = "t.c", .upgrade = objects_up };
    pcsm_ctx *c;
    pcsm_revset at = PCSM_REVSET_INIT;
    pcsm_schema *s;
    pcsm_buf out = PCSM_BUF_INIT;
    const struct pcsm_schema_type *ty;
    size_t i;

    ck_assert_int_eq(pcsm_ctx_new(&c, &rev, 1), 0);
    ck_assert_int_eq(pcsm_graph_resolve(c, "heads", NULL, &at), 0);
    ck_assert_msg(pcsm_schema_declared(c, &at, &s) == 0, "%s", pcsm_error_last(c)->message);
    ty = pcsm_schema__type(s, MOOD);
    ck_assert_ptr_nonnull(ty);
    for (i = 0; i < ty->n_labels; i++)
        pcsm_buf_printf(&out, "%s%s", i ? "," : "", ty->labels[i]);
    pcsm_schema_free(s);
    pcsm_revset_dispose(&at);
    pcsm_ctx_free(c);
    return pcsm_buf_detach(&out);
}

/* Extension, type, our functions (not citext's own), triggers. */
static const char objects_sql[] =
    "SELECT (SELECT count(*) FROM pg_extension WHERE extname = 'citext') || ' ' || "
    "       (SELECT count(*) FROM pg_type WHERE typname = 'Mood \"x\"') || ' ' || "
    "       (SELECT count(*) FROM pg_proc p WHERE pronamespace = 'public'::regnamespace "
    "        AND NOT EXISTS (SELECT FROM pg_depend d WHERE d.objid = p.oid AND deptype = 'e'))"
    "       || ' ' || "
    "       (SELECT count(*) FROM pg_trigger WHERE NOT tgisinternal)";

START_TEST(test_ddl_pg_objects_up_and_down)
{
    static const char *const none[] = { NULL };
    pcsm_revision rev = { .id = "t", .parents = none, .description = "test",
                          .create_date = "d", .source_path = "t.c",
                          .upgrade = objects_up, .downgrade = objects_down };
    char *declared;

    run_ok(objects_up, 0);
    check_query(objects_sql, "1 1 4 2");
    /* Label order: the server's sort order, and the model's replay of it. */
    declared = declared_labels();
    check_query("SELECT string_agg(enumlabel, ',' ORDER BY enumsortorder) FROM pg_enum "
                "WHERE enumtypid = '\"Mood \"\"x\"\"\"'::regtype", declared);
    ck_assert_str_eq(declared, "it's blue,glad,meh,ok,happy");
    free(declared);
    check_query("SELECT proname, pg_get_function_identity_arguments(oid), provolatile, "
                "proisstrict, prosecdef, prosrc = E'\\nSELECT a + b + 0\\n' "
                "FROM pg_proc WHERE proname IN ('add', 'dollars') ORDER BY 1",
                "add|a integer, b integer|i|t|f|t\n"
                "dollars||s|f|t|f");
    check_query("SELECT add(2), add(2, 3), add(NULL) IS NULL, dollars()", "3|5|t|x");
    check_query("SELECT string_agg(pg_get_triggerdef(oid), E'\\n' ORDER BY tgname) "
                "FROM pg_trigger WHERE NOT tgisinternal",
                "CREATE TRIGGER notes_count AFTER INSERT OR TRUNCATE ON public.notes "
                "FOR EACH STATEMENT EXECUTE FUNCTION count_statement()\n"
                "CREATE TRIGGER notes_touch BEFORE UPDATE ON public.notes FOR EACH ROW "
                "WHEN ((old.body IS DISTINCT FROM new.body)) EXECUTE FUNCTION touch()");
    /* They run: the WHEN filters, the statement trigger counts statements. */
    test_exec(conn, "INSERT INTO notes (id, body) VALUES (1, 'Hello'), (2, 'x')");
    test_exec(conn, "UPDATE notes SET body = 'HELLO' WHERE id = 1");  /* citext: no change */
    test_exec(conn, "UPDATE notes SET n = 5");
    test_exec(conn, "UPDATE notes SET body = 'bye' WHERE id = 2");
    check_query("SELECT id, changes, updated IS NOT NULL, mood FROM notes ORDER BY id",
                "1|0|f|ok\n2|1|t|ok");
    check_query("SELECT count(*) FROM statements", "1");

    /* And the way back leaves nothing. */
    run_downgrade_ok(&rev);
    check_query(objects_sql, "0 0 0 0");
}
END_TEST

static void enum_only(pcsm_op *op)
{
    pcsm_create_enum(op, "level", PCSM_LABELS("low"));
}

static void enum_add_and_use(pcsm_op *op)
{
    pcsm_add_enum_value(op, "level", "high", PCSM_AT_END, 0);
    pcsm_execute(op, "SELECT 'high'::level");
}

/*
 * ddl.h's warning, checked: PostgreSQL 12 and later add the value inside
 * the transaction, but refuse to use it before the transaction commits.
 */
START_TEST(test_ddl_pg_new_enum_value_unusable_in_its_transaction)
{
    PGresult *res;

    run_ok(enum_only, 0);
    test_exec(conn, "BEGIN");
    res = run_op(enum_add_and_use, 0);
    ck_assert_str_eq(PQresultErrorField(res, PG_DIAG_SQLSTATE), "55P04");
    PQclear(res);
    test_exec(conn, "ROLLBACK");
    check_query("SELECT count(*) FROM pg_enum WHERE enumlabel = 'high'", "0");
}
END_TEST

/*
 * A live run sends many operations as one query and matches the results
 * back by how many statements each operation renders to: that count must
 * be exactly what the server returns, for every kind that has one.
 */
static void count_results(void (*fn)(pcsm_op *))
{
    static const char *const none[] = { NULL };
    pcsm_revision rev = { .id = "t", .parents = none, .description = "test",
                          .create_date = "d", .source_path = "t.c", .upgrade = fn };
    pcsm_buf sql = PCSM_BUF_INIT;
    pcsm_op *op;
    PGresult *res;
    size_t i, want, got;

    ck_assert_int_eq(pcsm_op__record(ctx, &rev, PCSM_UPGRADE, &op), 0);
    for (i = 0; i < pcsm_op__count(op); i++) {
        pcsm_buf_clear(&sql);
        pcsm_render__op(pcsm_op__at(op, i), &sql);
        want = pcsm_render__statements(pcsm_op__at(op, i));
        ck_assert_int_eq(PQsendQuery(conn, sql.ptr), 1);
        for (got = 0; (res = PQgetResult(conn)); got++) {
            ck_assert_msg(PQresultStatus(res) == PGRES_COMMAND_OK ||
                          PQresultStatus(res) == PGRES_TUPLES_OK, "%s: %s", sql.ptr,
                          PQresultErrorMessage(res));
            PQclear(res);
        }
        /* 0 means "unknown" (raw SQL), which the runner sends alone. */
        if (want)
            ck_assert_msg(got == want, "%zu results, %zu counted, for: %s", got, want, sql.ptr);
        else
            ck_assert_msg(pcsm_op__at(op, i)->kind == PCSM_OP_EXECUTE, "%s", sql.ptr);
    }
    pcsm_op__free(op);
    pcsm_buf_dispose(&sql);
}

START_TEST(test_ddl_pg_statement_counts)
{
    test_exec(conn, "CREATE TYPE \"Mood\" AS ENUM ('ok')");
    count_results(create_hostile);
    count_results(create_every_type);
    count_results(create_parent_child);
    count_results(alter_everything);
    count_results(insert_params);
    count_results(batch_fill);
    count_results(batch_update);
    count_results(assert_true);
    count_results(drops);
    count_results(objects_up);
    count_results(objects_down);
}
END_TEST

/* ------------------------------------------------------------- comments */

static void comments_up(pcsm_op *op)
{
    pcsm_create_schema(op, "notes", 0);
    pcsm_set_schema(op, "notes");
    pcsm_create_table(op, "items", PCSM_COLUMNS(
        { .name = "id", .type = PCSM_INTEGER, .primary_key = true },
        { .name = "price", .type = PCSM_INTEGER }), NULL, NULL);
    pcsm_create_index(op, &(pcsm_index){ .name = "items_price", .table = "items",
                                         .columns = PCSM_NAMES("price") });
    pcsm_create_view(op, &(pcsm_view){ .name = "cheap", .query = "SELECT id FROM notes.items" });
    pcsm_create_materialized_view(op, &(pcsm_view){ .name = "n", .query = "SELECT 1 AS one" });
    test_commented_objects(op, "notes");
    pcsm_comment_on(op, PCSM_OBJECT_INDEX, "items_price", NULL, "an index");
    pcsm_comment_on(op, PCSM_OBJECT_VIEW, "cheap", NULL, "a view");
    pcsm_comment_on(op, PCSM_OBJECT_MATERIALIZED_VIEW, "n", NULL, "a materialized view");
    pcsm_comment_on(op, PCSM_OBJECT_CONSTRAINT, "items_pkey", "items", "a constraint");
}

static void comments_down(pcsm_op *op)
{
    pcsm_set_schema(op, "notes");
    pcsm_comment_on(op, PCSM_OBJECT_TYPE, "mood", NULL, NULL);
    pcsm_comment_on(op, PCSM_OBJECT_FUNCTION, "twice", "integer", "");
    pcsm_comment_on(op, PCSM_OBJECT_POLICY, "items_all", "items", NULL);
    pcsm_comment_on(op, PCSM_OBJECT_INDEX, "items_price", NULL, NULL);
}

static const char comments_sql[] =
    "SELECT d.classoid::regclass || ' ' || coalesce(c.relname, t.typname, p.proname, "
    "k.conname, g.tgname, o.polname) || ': ' || d.description FROM pg_description d "
    "LEFT JOIN pg_class c ON d.classoid = 'pg_class'::regclass AND c.oid = d.objoid "
    "LEFT JOIN pg_type t ON d.classoid = 'pg_type'::regclass AND t.oid = d.objoid "
    "LEFT JOIN pg_proc p ON d.classoid = 'pg_proc'::regclass AND p.oid = d.objoid "
    "LEFT JOIN pg_constraint k ON d.classoid = 'pg_constraint'::regclass AND k.oid = d.objoid "
    "LEFT JOIN pg_trigger g ON d.classoid = 'pg_trigger'::regclass AND g.oid = d.objoid "
    "LEFT JOIN pg_policy o ON d.classoid = 'pg_policy'::regclass AND o.oid = d.objoid "
    "WHERE coalesce(c.relnamespace, t.typnamespace, p.pronamespace, k.connamespace, "
    "(SELECT relnamespace FROM pg_class WHERE oid = coalesce(g.tgrelid, o.polrelid))) = "
    "'notes'::regnamespace ORDER BY 1";

START_TEST(test_ddl_pg_comments_on_every_kind)
{
    run_ok(comments_up, 0);
    check_query(comments_sql,
                "pg_class cheap: a view\n"
                "pg_class items_price: an index\n"
                "pg_class n: a materialized view\n"
                "pg_class numbers: a sequence\n"
                "pg_constraint items_pkey: a constraint\n"
                "pg_policy items_all: a\npolicy\n"
                "pg_proc touch: a trigger function\n"
                "pg_proc twice: it's a function\n"
                "pg_trigger items_touch: a trigger\n"
                "pg_type mood: a type");
    /* NULL and '' remove one alike. */
    run_ok(comments_down, 0);
    check_query(comments_sql,
                "pg_class cheap: a view\n"
                "pg_class n: a materialized view\n"
                "pg_class numbers: a sequence\n"
                "pg_constraint items_pkey: a constraint\n"
                "pg_proc touch: a trigger function\n"
                "pg_trigger items_touch: a trigger");
    test_exec(conn, "DROP SCHEMA notes CASCADE");
}
END_TEST

/* ----------------------------------------------------------- collations */

static void collations_up(pcsm_op *op)
{
    pcsm_create_collation(op, &(pcsm_collation){ .name = "nocase",
                                                 .provider = PCSM_PROVIDER_ICU,
                                                 .locale = "und-u-ks-level2",
                                                 .nondeterministic = true });
    pcsm_create_collation(op, &(pcsm_collation){ .name = "Apart \"c\"", .lc_collate = "C",
                                                 .lc_ctype = "POSIX" });
    pcsm_create_table(op, "logins", PCSM_COLUMNS(
        { .name = "name", .type = PCSM_TEXT, .collation = "nocase", .unique = true }),
        NULL, NULL);
    pcsm_rename_collation(op, "Apart \"c\"", "apart");
}

static void collations_down(pcsm_op *op)
{
    pcsm_drop_table(op, "logins", 0);
    pcsm_drop_collation(op, "nocase", 0);
    pcsm_drop_collation(op, "apart", PCSM_IF_EXISTS);
    pcsm_drop_collation(op, "apart", PCSM_IF_EXISTS);
}

static const char collations_sql[] =
    "SELECT collname, collprovider, coalesce(collcollate, '-'), coalesce(collctype, '-'), "
    "collisdeterministic FROM pg_collation WHERE collnamespace = 'public'::regnamespace "
    "ORDER BY 1";

START_TEST(test_ddl_pg_collations)
{
    run_ok(collations_up, 0);
    check_query(collations_sql, "apart|c|C|POSIX|t\nnocase|i|-|-|f");
    /* Nondeterministic: a key that ignores case. */
    test_exec(conn, "INSERT INTO logins VALUES ('Ada')");
    check_query("SELECT count(*) FROM logins WHERE name = 'ADA'", "1");
    run_ok(collations_down, 0);
    check_query(collations_sql, "");
}
END_TEST

/* ------------------------------------------------------ composite types */

static void composites_up(pcsm_op *op)
{
    pcsm_create_composite_type(op, "Pair \"x\"", PCSM_ATTRIBUTES(
        { .name = "a", .type = PCSM_INTEGER },
        { .name = "b b", .type = PCSM_TEXT, .collation = "C" }));
    pcsm_add_attribute(op, "Pair \"x\"", &(pcsm_attribute){ .name = "c", .type = PCSM_TEXT });
    pcsm_alter_attribute_type(op, "Pair \"x\"", "a", PCSM_BIGINT, NULL);
    pcsm_rename_attribute(op, "Pair \"x\"", "c", "d");
    pcsm_drop_attribute(op, "Pair \"x\"", "d", 0);
    pcsm_drop_attribute(op, "Pair \"x\"", "d", PCSM_IF_EXISTS);
    pcsm_comment_on(op, PCSM_OBJECT_TYPE, "Pair \"x\"", NULL, "a pair");
}

static void composites_down(pcsm_op *op)
{
    pcsm_drop_type(op, "Pair \"x\"", 0);
}

static const char composites_sql[] =
    "SELECT a.attname || ' ' || format_type(a.atttypid, a.atttypmod) || ' ' || "
    "coalesce(a.attcollation::regcollation::text, '-') || ' ' || "
    "coalesce(obj_description(t.oid, 'pg_type'), '-') FROM pg_type t "
    "JOIN pg_attribute a ON a.attrelid = t.typrelid AND a.attnum > 0 AND NOT a.attisdropped "
    "WHERE t.typtype = 'c' AND t.typnamespace = 'public'::regnamespace ORDER BY a.attnum";

START_TEST(test_ddl_pg_composite_types)
{
    run_ok(composites_up, 0);
    check_query(composites_sql, "a bigint - a pair\nb b text \"C\" a pair");
    check_query("SELECT (ROW(1, 'x')::\"Pair \"\"x\"\"\").\"b b\"", "x");
    run_ok(composites_down, 0);
    check_query(composites_sql, "");
}
END_TEST

/* -------------------------------------------------------------- domains */

static void domains_up(pcsm_op *op)
{
    pcsm_create_domain(op, &(pcsm_domain){
        .name = "Weight \"kg\"", .type = PCSM_NUMERIC(5, 2), .default_value = PCSM_LITERAL("1"),
        .not_null = true,
        .constraints = PCSM_CONSTRAINTS(
            { .kind = PCSM_CHECK, .name = "positive", .check = "VALUE > 0" },
            { .kind = PCSM_CHECK, .check = "VALUE < 100" }) });
    pcsm_rename_domain(op, "Weight \"kg\"", "weight");
    pcsm_create_domain(op, &(pcsm_domain){ .name = "code", .type = PCSM_VARCHAR(8),
                                           .collation = "C" });
    pcsm_create_table(op, "parcels", PCSM_COLUMNS(
        { .name = "id", .type = PCSM_INTEGER },
        { .name = "w", .type = PCSM_NAMED_TYPE("weight") },
        { .name = "c", .type = PCSM_NAMED_TYPE("code") }), NULL, NULL);
    pcsm_set_domain_default(op, "weight", PCSM_EXPR("2"));
    pcsm_drop_domain_not_null(op, "weight");
    pcsm_execute(op, "INSERT INTO parcels (id, w, c) VALUES (1, NULL, 'a')");
    pcsm_execute(op, "INSERT INTO parcels (id) VALUES (3)");
    pcsm_add_domain_constraint(op, "weight", &(pcsm_constraint){
        .kind = PCSM_CHECK, .name = "light", .check = "VALUE < 50", .not_valid = true });
    pcsm_rename_domain_constraint(op, "weight", "positive", "above_zero");
    pcsm_comment_on(op, PCSM_OBJECT_DOMAIN, "weight", NULL, "in kg");
}

static void domains_then(pcsm_op *op)
{
    pcsm_validate_domain_constraint(op, "weight", "light");
    /* Named by the server after the domain's first name: a rename keeps it. */
    pcsm_drop_domain_constraint(op, "weight", "Weight \"kg\"_check", 0);
    pcsm_drop_domain_constraint(op, "weight", "Weight \"kg\"_check", PCSM_IF_EXISTS);
    pcsm_set_domain_not_null(op, "weight");
}

static void domains_down(pcsm_op *op)
{
    pcsm_drop_domain(op, "weight", PCSM_DROP_CASCADE);
    pcsm_drop_table(op, "parcels", 0);
    pcsm_drop_domain(op, "code", PCSM_IF_EXISTS);
    pcsm_drop_domain(op, "code", PCSM_IF_EXISTS);
}

static const char domains_sql[] =
    "SELECT t.typname || ' ' || format_type(t.typbasetype, t.typtypmod) || ' ' || "
    "coalesce(t.typdefault, '-') || ' ' || t.typnotnull || ' ' || "
    "coalesce(t.typcollation::regcollation::text, '-') || ' ' || "
    "coalesce(obj_description(t.oid, 'pg_type'), '-') || coalesce((SELECT ' ' || "
    "string_agg(k.conname || ':' || k.convalidated, ',' ORDER BY k.conname) FROM pg_constraint k "
    "WHERE k.contypid = t.oid), '') FROM pg_type t "
    "WHERE t.typtype = 'd' AND t.typnamespace = 'public'::regnamespace ORDER BY t.typname";

/* Every call on a real server: what the catalog says, and what the values may be. */
START_TEST(test_ddl_pg_domains)
{
    PGresult *res;

    run_ok(domains_up, 0);
    check_query(domains_sql,
                "code character varying(8) - false \"C\" -\n"
                "weight numeric(5,2) 2 false - in kg Weight \"kg\"_check:true,"
                "above_zero:true,light:false");
    /* The domain's default is the column's. */
    check_query("SELECT id || ':' || coalesce(w::text, '-') FROM parcels ORDER BY id",
                "1:-\n3:2.00");
    /* NOT NULL checks the stored values. */
    res = run_op(domains_then, 0);
    ck_assert_int_eq(PQresultStatus(res), PGRES_FATAL_ERROR);
    ck_assert_msg(strstr(PQerrorMessage(conn), "contains null values"), "%s",
                  PQerrorMessage(conn));
    PQclear(res);
    /* A NOT VALID CHECK holds for every value written from then on. */
    res = PQexec(conn, "UPDATE parcels SET w = 60");
    ck_assert_msg(strstr(PQerrorMessage(conn), "\"light\""), "%s", PQerrorMessage(conn));
    PQclear(res);
    test_exec(conn, "UPDATE parcels SET w = 10");
    run_ok(domains_then, 0);
    check_query(domains_sql,
                "code character varying(8) - false \"C\" -\n"
                "weight numeric(5,2) 2 true - in kg above_zero:true,light:true");
    res = PQexec(conn, "INSERT INTO parcels (id, w) VALUES (2, 0)");
    ck_assert_msg(strstr(PQerrorMessage(conn), "above_zero"), "%s", PQerrorMessage(conn));
    PQclear(res);
    run_ok(domains_down, 0);
    check_query(domains_sql, "");
}
END_TEST

/* ------------------------ identity, generated, collation and sequences */

static void breadth_up(pcsm_op *op)
{
    pcsm_create_sequence(op, "Ticket \"no\"", &(pcsm_sequence_options){
        .as = PCSM_INTEGER, .increment = 5, .start = PCSM_SEQ_VALUE(1000), .cache = 10,
        .cycle = PCSM_CYCLE }, NULL, NULL);
    pcsm_create_table(op, "tickets", PCSM_COLUMNS(
        { .name = "id", .type = PCSM_BIGINT, .identity = PCSM_IDENTITY_ALWAYS,
          .identity_options = { .start = PCSM_SEQ_VALUE(7) }, .primary_key = true },
        { .name = "no", .type = PCSM_INTEGER, .not_null = true,
          .default_value = PCSM_EXPR("nextval('\"Ticket \"\"no\"\"\"')") },
        { .name = "title", .type = PCSM_TEXT, .collation = "C" },
        { .name = "price", .type = PCSM_INTEGER },
        { .name = "gross", .type = PCSM_INTEGER, .generated = "price * 2" }), NULL, NULL);
    pcsm_set_sequence_owner(op, "Ticket \"no\"", "tickets", "no");
    pcsm_create_table(op, "legacy", PCSM_COLUMNS(
        { .name = "n", .type = PCSM_SMALLINT, .not_null = true },
        { .name = "label", .type = PCSM_VARCHAR(10) }), NULL, NULL);
    pcsm_add_identity(op, "legacy", "n", PCSM_IDENTITY_BY_DEFAULT,
                      &(pcsm_sequence_options){ .increment = -1 });
    pcsm_alter_column_type_collate(op, "legacy", "label", PCSM_TEXT, "POSIX", NULL);
    pcsm_alter_sequence(op, "legacy_n_seq", &(pcsm_sequence_options){ .cache = 3 });
    pcsm_set_identity(op, "tickets", "id", PCSM_IDENTITY_BY_DEFAULT);
}

static void breadth_down(pcsm_op *op)
{
    pcsm_alter_column_type(op, "legacy", "label", PCSM_VARCHAR(10), NULL);
    pcsm_drop_identity(op, "legacy", "n", 0);
    pcsm_drop_table(op, "legacy", 0);
    pcsm_drop_table(op, "tickets", 0);
    pcsm_drop_sequence(op, "Ticket \"no\"", PCSM_IF_EXISTS);
}

static const char breadth_sql[] =
    "SELECT (SELECT count(*) FROM pg_class WHERE relkind = 'S' "
    "        AND relnamespace = 'public'::regnamespace) || ' ' || "
    "       (SELECT count(*) FROM pg_attribute a JOIN pg_class c ON c.oid = a.attrelid "
    "        WHERE c.relnamespace = 'public'::regnamespace AND a.attnum > 0 "
    "        AND (a.attidentity <> '' OR a.attgenerated <> '' OR a.attcollation NOT IN "
    "             (0, 100)))";

START_TEST(test_ddl_pg_identity_generated_collation_sequences)
{
    static const char *const none[] = { NULL };
    pcsm_revision rev = { .id = "t", .parents = none, .description = "test",
                          .create_date = "d", .source_path = "t.c",
                          .upgrade = breadth_up, .downgrade = breadth_down };

    run_ok(breadth_up, 0);
    check_query(breadth_sql, "3 5");
    check_query("SELECT c.relname, s.seqtypid::regtype, s.seqstart, s.seqincrement, "
                "s.seqmin, s.seqmax, s.seqcache, s.seqcycle FROM pg_sequence s "
                "JOIN pg_class c ON c.oid = s.seqrelid ORDER BY 1",
                "Ticket \"no\"|integer|1000|5|1|2147483647|10|t\n"
                "legacy_n_seq|smallint|-1|-1|-32768|-1|3|f\n"
                "tickets_id_seq|bigint|7|1|1|9223372036854775807|1|f");
    check_query("SELECT c.relname || '.' || a.attname, a.attidentity, a.attgenerated, "
                "a.attnotnull, coalesce(co.collname, '-') "
                "FROM pg_attribute a JOIN pg_class c ON c.oid = a.attrelid "
                "LEFT JOIN pg_collation co ON co.oid = a.attcollation "
                "WHERE c.relname IN ('tickets', 'legacy') AND a.attnum > 0 ORDER BY 1",
                "legacy.label|||f|POSIX\n"
                "legacy.n|d||t|-\n"
                "tickets.gross||s|f|-\n"
                "tickets.id|d||t|-\n"
                "tickets.no|||t|-\n"
                "tickets.price|||f|-\n"
                "tickets.title|||f|C");
    /* OWNED BY: the sequence's dependency on the column, auto. */
    check_query("SELECT pg_get_serial_sequence('tickets', 'no'), "
                "pg_get_serial_sequence('tickets', 'id')",
                "public.\"Ticket \"\"no\"\"\"|public.tickets_id_seq");
    /* They work: the identity counts from 7, the default from 1000 by 5, gross is computed. */
    test_exec(conn, "INSERT INTO tickets (title, price) VALUES ('a', 3), ('b', 4)");
    check_query("SELECT id, no, gross FROM tickets ORDER BY id", "7|1000|6\n8|1005|8");
    test_exec(conn, "INSERT INTO legacy DEFAULT VALUES");
    check_query("SELECT n FROM legacy", "-1");

    /* And the way back leaves nothing. */
    run_downgrade_ok(&rev);
    check_query(breadth_sql, "0 0");
}
END_TEST

/* ------------------------------------------- views and materialized views */

static void views_up(pcsm_op *op)
{
    pcsm_create_table(op, "items", PCSM_COLUMNS(
        { .name = "id", .type = PCSM_INTEGER, .primary_key = true },
        { .name = "kind", .type = PCSM_TEXT },
        { .name = "price", .type = PCSM_INTEGER }), NULL, NULL);
    pcsm_create_view(op, &(pcsm_view){
        .name = "Cheap \"ones\"", .columns = PCSM_NAMES("id", "Kind"),
        .query = "SELECT id, kind FROM items WHERE price < 10;", .reads = PCSM_NAMES("items") });
    pcsm_create_view(op, &(pcsm_view){
        .name = "Cheap \"ones\"", .columns = PCSM_NAMES("id", "Kind", "price"),
        .query = "SELECT id, kind, price FROM items WHERE price < 10 -- now with the price",
        .reads = PCSM_NAMES("items"), .or_replace = true });
    pcsm_create_view(op, &(pcsm_view){
        .name = "kinds", .query = "SELECT DISTINCT \"Kind\" FROM \"Cheap \"\"ones\"\"\"",
        .reads = PCSM_NAMES("Cheap \"ones\"") });
    pcsm_rename_view(op, "kinds", "cheap_kinds");
    pcsm_create_materialized_view(op, &(pcsm_view){
        .name = "per_kind", .columns = PCSM_NAMES("kind", "n"),
        .query = "SELECT kind, count(*) FROM items GROUP BY kind",
        .reads = PCSM_NAMES("items") });
    pcsm_create_materialized_view(op, &(pcsm_view){
        .name = "later", .query = "SELECT id FROM items", .reads = PCSM_NAMES("items"),
        .no_data = true });
    pcsm_create_index(op, &(pcsm_index){ .name = "per_kind_kind", .table = "per_kind",
                                         .columns = PCSM_NAMES("kind"), .unique = true });
    pcsm_rename_materialized_view(op, "per_kind", "Per kind");
}

static void views_refresh(pcsm_op *op)
{
    pcsm_refresh_materialized_view(op, "Per kind", PCSM_REFRESH_CONCURRENTLY);
    pcsm_refresh_materialized_view(op, "later", 0);
}

static void views_down(pcsm_op *op)
{
    pcsm_drop_materialized_view(op, "later", 0);
    pcsm_drop_materialized_view(op, "Per kind", PCSM_IF_EXISTS);
    pcsm_drop_view(op, "cheap_kinds", 0);
    pcsm_drop_view(op, "Cheap \"ones\"", 0);
    pcsm_drop_table(op, "items", 0);
}

static void views_drop_read_table(pcsm_op *op)
{
    pcsm_drop_table(op, "items", 0);
}

static void views_drop_read_table_cascade(pcsm_op *op)
{
    pcsm_drop_table(op, "items", PCSM_DROP_CASCADE);
}

static const char views_sql[] =
    "SELECT c.relname || ':' || c.relkind::text FROM pg_class c "
    "WHERE c.relnamespace = 'public'::regnamespace AND c.relkind IN ('v', 'm') ORDER BY 1";

START_TEST(test_ddl_pg_views_up_and_down)
{
    static const char *const none[] = { NULL };
    pcsm_revision rev = { .id = "t", .parents = none, .description = "test",
                          .create_date = "d", .source_path = "t.c",
                          .upgrade = views_up, .downgrade = views_down };
    PGresult *res;

    run_ok(views_up, 0);
    check_query(views_sql, "Cheap \"ones\":v\nPer kind:m\ncheap_kinds:v\nlater:m");
    check_query("SELECT viewname FROM pg_views WHERE schemaname = 'public' ORDER BY 1",
                "Cheap \"ones\"\ncheap_kinds");
    check_query("SELECT matviewname, ispopulated FROM pg_matviews "
                "WHERE schemaname = 'public' ORDER BY 1", "Per kind|t\nlater|f");
    check_query("SELECT string_agg(attname, ',' ORDER BY attnum) FROM pg_attribute "
                "WHERE attrelid = '\"Cheap \"\"ones\"\"\"'::regclass", "id,Kind,price");
    /* The index goes with the renamed materialized view. */
    check_query("SELECT indrelid::regclass::text FROM pg_index "
                "WHERE indexrelid = 'per_kind_kind'::regclass", "\"Per kind\"");
    /* A refresh picks up the rows added since; CONCURRENTLY inside a transaction. */
    test_exec(conn, "INSERT INTO items VALUES (1, 'a', 3), (2, 'a', 30), (3, 'b', 4)");
    check_query("SELECT count(*) FROM \"Per kind\"", "0");
    test_exec(conn, "BEGIN");
    run_ok(views_refresh, 0);
    test_exec(conn, "COMMIT");
    check_query("SELECT kind, n FROM \"Per kind\" ORDER BY 1", "a|2\nb|1");
    check_query("SELECT count(*) FROM later", "3");
    check_query("SELECT ispopulated FROM pg_matviews WHERE matviewname = 'later'", "t");
    check_query("SELECT \"Kind\" FROM cheap_kinds ORDER BY 1", "a\nb");

    /* The server refuses the drop of a table views read, as replay does. */
    res = run_op(views_drop_read_table, 0);
    ck_assert_int_eq(PQresultStatus(res), PGRES_FATAL_ERROR);
    ck_assert_str_eq(PQresultErrorField(res, PG_DIAG_SQLSTATE), "2BP01");
    PQclear(res);
    {
        const pcsm_revision revs[] = {
            { .id = "r1", .parents = none, .description = "t", .create_date = "d",
              .source_path = "t.c", .upgrade = views_up },
            { .id = "r2", .parents = (const char *const[]){ "r1", NULL }, .n_parents = 1,
              .description = "t", .create_date = "d", .source_path = "t.c",
              .upgrade = views_drop_read_table },
        };
        pcsm_ctx *c;
        pcsm_revset at = PCSM_REVSET_INIT;
        pcsm_schema *model = NULL;

        ck_assert_int_eq(pcsm_ctx_new(&c, revs, 2), 0);
        ck_assert_int_eq(pcsm_graph_resolve(c, "heads", NULL, &at), 0);
        ck_assert_int_eq(pcsm_schema_declared(c, &at, &model), PCSM_EMIGRATION);
        ck_assert_msg(strstr(pcsm_error_last(c)->message, "drop_table \"items\": view "
                             "\"Cheap \"ones\"\" depends on it"), "%s",
                      pcsm_error_last(c)->message);
        pcsm_revset_dispose(&at);
        pcsm_ctx_free(c);
    }

    /* And the way back leaves nothing. */
    run_downgrade_ok(&rev);
    check_query(views_sql, "");
    check_query("SELECT count(*) FROM pg_class WHERE relnamespace = 'public'::regnamespace", "0");

    /* CASCADE takes the views along, as replay does. */
    run_ok(views_up, 0);
    run_ok(views_drop_read_table_cascade, 0);
    check_query(views_sql, "");
}
END_TEST

static Suite *ddl_pg_suite(void)
{
    Suite *s = suite_create("ddl_pg");
    TCase *tc = tcase_create("ddl_pg");

    tcase_add_checked_fixture(tc, setup, teardown);
    tcase_set_timeout(tc, 120);
    tcase_add_test(tc, test_ddl_pg_quoting_matches_libpq);
    tcase_add_test(tc, test_ddl_pg_hostile_identifiers_round_trip);
    tcase_add_test(tc, test_ddl_pg_every_type);
    tcase_add_test(tc, test_ddl_pg_tables_and_constraints);
    tcase_add_test(tc, test_ddl_pg_alter_everything);
    tcase_add_test(tc, test_ddl_pg_validate_constraint);
    tcase_add_test(tc, test_ddl_pg_drop_table_cascade);
    tcase_add_test(tc, test_ddl_pg_concurrent_index_outside_transaction);
    tcase_add_test(tc, test_ddl_pg_execute_params);
    tcase_add_test(tc, test_ddl_pg_batch_update);
    tcase_add_test(tc, test_ddl_pg_batch_update_uuid_key);
    tcase_add_test(tc, test_ddl_pg_assert);
    tcase_add_test(tc, test_ddl_pg_objects_up_and_down);
    tcase_add_test(tc, test_ddl_pg_new_enum_value_unusable_in_its_transaction);
    tcase_add_test(tc, test_ddl_pg_statement_counts);
    tcase_add_test(tc, test_ddl_pg_identity_generated_collation_sequences);
    tcase_add_test(tc, test_ddl_pg_comments_on_every_kind);
    tcase_add_test(tc, test_ddl_pg_collations);
    tcase_add_test(tc, test_ddl_pg_domains);
    tcase_add_test(tc, test_ddl_pg_composite_types);
    tcase_add_test(tc, test_ddl_pg_views_up_and_down);
    suite_add_tcase(s, tc);
    return s;
}

int main(void)
{
    test_require_db();
    return test_run_suite(ddl_pg_suite());
}
