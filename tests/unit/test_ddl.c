/*
 * Unit tests for the DDL helper API (suite "ddl"): every operation and type
 * rendered to its exact SQL, and every validation error with its exact
 * message.  No database: revisions live in memory and go through
 * pcsm_revision_sql(); what the server makes of the SQL is the integration
 * suite's business.
 */
#include <check.h>
#include <limits.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "pcsm/pcsm.h"
#include "render/render.h"
#include "support.h"

/* ------------------------------------------------------------- fixture */

#define REV_ID "1a2b3c4d5e6f"
#define REV_PATH "versions/1a2b3c4d5e6f_unit.c"
#define PREFIX "revision " REV_ID " (" REV_PATH "), upgrade(): "

/* 63 bytes is the longest name PostgreSQL keeps; 64 is one too many. */
#define NAME63 "abcdefghijklmnopqrstuvwxyzabcdefghijklmnopqrstuvwxyzabcdefghijk"
#define NAME64 NAME63 "l"

/* One column, for calls whose subject is something else. */
#define COLS_A PCSM_COLUMNS({ .name = "a", .type = PCSM_INTEGER })

/*
 * upgrade() and downgrade() of the test revisions call whatever body the
 * test set, so that one revision serves every case.
 */
static void (*current_body)(pcsm_op *op);

static void run_body(pcsm_op *op)
{
    current_body(op);
}

static const pcsm_revision rev_txn = {
    .id = REV_ID, .description = "unit test", .source_path = REV_PATH,
    .upgrade = run_body, .downgrade = run_body,
};

static const pcsm_revision rev_nontxn = {
    .id = REV_ID, .description = "unit test", .source_path = REV_PATH,
    .flags = PCSM_REV_NONTRANSACTIONAL, .upgrade = run_body, .downgrade = run_body,
};

/* Defines a small upgrade body; keeps the case tables compact. */
#define BODY(name, ...)                 \
    static void name(pcsm_op *op)       \
    {                                   \
        __VA_ARGS__;                    \
    }

struct result {
    int rc;                     /* what pcsm_revision_sql() returned */
    int code;                   /* pcsm_error_last()->code afterwards */
    pcsm_buf sql;
    pcsm_buf message;
};

static void render(const pcsm_revision *rev, enum pcsm_direction direction,
                   void (*body)(pcsm_op *), struct result *r)
{
    pcsm_ctx *ctx;

    r->sql = (pcsm_buf)PCSM_BUF_INIT;
    r->message = (pcsm_buf)PCSM_BUF_INIT;
    ck_assert_int_eq(pcsm_ctx_new(&ctx, NULL, 0), 0);
    current_body = body;
    r->rc = pcsm_revision_sql(ctx, rev, direction, &r->sql);
    r->code = pcsm_error_last(ctx)->code;
    pcsm_buf_puts(&r->message, pcsm_error_last(ctx)->message);
    pcsm_ctx_free(ctx);
}

static void result_dispose(struct result *r)
{
    pcsm_buf_dispose(&r->sql);
    pcsm_buf_dispose(&r->message);
}

/* Copies s with newlines and control bytes escaped, so a failure stays on one TAP line. */
static const char *escaped(char *dst, size_t size, const char *s)
{
    size_t n = 0;

    for (; *s && n + 5 < size; s++) {
        unsigned char c = (unsigned char)*s;

        if (c == '\n')
            n += (size_t)snprintf(dst + n, size - n, "\\n");
        else if (c == '\t')
            n += (size_t)snprintf(dst + n, size - n, "\\t");
        else if (c < 0x20 || c == 0x7f)
            n += (size_t)snprintf(dst + n, size - n, "\\x%02x", c);
        else
            dst[n++] = (char)c;
    }
    dst[n] = '\0';
    return dst;
}

/* s escaped into a static buffer, for one failure message. */
static const char *esc(const char *s)
{
    static char buf[3600];

    return escaped(buf, sizeof(buf), s);
}

static void assert_text(const char *what, const char *got, const char *want)
{
    static char g[3600], w[3600];

    if (strcmp(got, want) != 0)
        ck_abort_msg("%s differs: got \"%s\", want \"%s\"", what,
                     escaped(g, sizeof(g), got), escaped(w, sizeof(w), want));
}

/* Renders `body` in `rev` and asserts it succeeds with exactly `want`. */
static void expect_sql_in(const pcsm_revision *rev, void (*body)(pcsm_op *), const char *want)
{
    struct result r;

    render(rev, PCSM_UPGRADE, body, &r);
    ck_assert_msg(r.rc == 0, "unexpected error %d: %s", r.rc, r.message.ptr);
    assert_text("SQL", r.sql.ptr, want);
    result_dispose(&r);
}

#define EXPECT_SQL(body, want) expect_sql_in(&rev_txn, (body), (want))

/*
 * Renders `body` and asserts PCSM_EMIGRATION, no SQL, and the message
 * PREFIX + `want` ("<op> "<subject>": <reason>").
 */
static void expect_error_in(const pcsm_revision *rev, void (*body)(pcsm_op *),
                            const char *want, const char *case_name)
{
    struct result r;
    pcsm_buf full = PCSM_BUF_INIT;

    render(rev, PCSM_UPGRADE, body, &r);
    ck_assert_msg(r.rc == PCSM_EMIGRATION, "%s: rc %d, SQL \"%s\"", case_name, r.rc,
                  esc(r.sql.ptr));
    ck_assert_msg(r.code == PCSM_EMIGRATION, "%s: error code %d", case_name, r.code);
    ck_assert_msg(r.sql.len == 0, "%s: SQL rendered despite the error", case_name);
    pcsm_buf_printf(&full, "%s%s", PREFIX, want);
    assert_text(case_name, r.message.ptr, full.ptr);
    pcsm_buf_dispose(&full);
    result_dispose(&r);
}

#define EXPECT_ERROR(body, want) expect_error_in(&rev_txn, (body), (want), #body)

/* An error case of a table-driven test. */
struct error_case {
    const char *name;
    void (*body)(pcsm_op *op);
    const char *message;        /* after PREFIX */
    bool nontransactional;      /* run in rev_nontxn */
};

#define ERROR_CASE(body, message) { #body, body, message, false }
#define ERROR_CASE_NONTXN(body, message) { #body, body, message, true }
#define N_CASES(a) ((int)(sizeof(a) / sizeof((a)[0])))

static void run_error_case(const struct error_case *c)
{
    expect_error_in(c->nontransactional ? &rev_nontxn : &rev_txn, c->body, c->message,
                    c->name);
}

/* ------------------------------------------------------- types (golden) */

BODY(body_every_type,
     pcsm_create_table(op, "every_type", PCSM_COLUMNS(
         { .name = "c_uuid", .type = PCSM_UUID },
         { .name = "c_varchar", .type = PCSM_VARCHAR(255) },
         { .name = "c_varchar_max", .type = PCSM_VARCHAR(10485760) },
         { .name = "c_varchar_unbounded", .type = PCSM_VARCHAR(0) },
         { .name = "c_char", .type = PCSM_CHAR(2) },
         { .name = "c_char1", .type = PCSM_CHAR(1) },
         { .name = "c_text", .type = PCSM_TEXT },
         { .name = "c_boolean", .type = PCSM_BOOLEAN },
         { .name = "c_smallint", .type = PCSM_SMALLINT },
         { .name = "c_integer", .type = PCSM_INTEGER },
         { .name = "c_bigint", .type = PCSM_BIGINT },
         { .name = "c_numeric", .type = PCSM_NUMERIC(12, 2) },
         { .name = "c_numeric_int", .type = PCSM_NUMERIC(10, 0) },
         { .name = "c_numeric_max", .type = PCSM_NUMERIC(1000, 1000) },
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
         { .name = "c_named", .type = PCSM_NAMED_TYPE("mood") },
         { .name = "c_named_hostile", .type = PCSM_NAMED_TYPE("My \"Type\"") },
         { .name = "c_text_array", .type = PCSM_ARRAY(PCSM_TEXT) },
         { .name = "c_int_2d", .type = PCSM_ARRAY(PCSM_ARRAY(PCSM_INTEGER)) },
         { .name = "c_varchar_array", .type = PCSM_ARRAY(PCSM_VARCHAR(10)) },
         { .name = "c_numeric_array", .type = PCSM_ARRAY(PCSM_NUMERIC(5, 1)) },
         { .name = "c_named_array", .type = PCSM_ARRAY(PCSM_NAMED_TYPE("mood")) },
         { .name = "c_uuid_6d", .type = { .kind = PCSM_TYPE_UUID, .array_dims = 6 } }),
         NULL, NULL))

START_TEST(test_ddl_create_table_every_type)
{
    EXPECT_SQL(body_every_type,
               "CREATE TABLE \"every_type\" (\n"
               "    \"c_uuid\" uuid,\n"
               "    \"c_varchar\" varchar(255),\n"
               "    \"c_varchar_max\" varchar(10485760),\n"
               "    \"c_varchar_unbounded\" varchar,\n"
               "    \"c_char\" char(2),\n"
               "    \"c_char1\" char(1),\n"
               "    \"c_text\" text,\n"
               "    \"c_boolean\" boolean,\n"
               "    \"c_smallint\" smallint,\n"
               "    \"c_integer\" integer,\n"
               "    \"c_bigint\" bigint,\n"
               "    \"c_numeric\" numeric(12,2),\n"
               "    \"c_numeric_int\" numeric(10,0),\n"
               "    \"c_numeric_max\" numeric(1000,1000),\n"
               "    \"c_numeric_any\" numeric,\n"
               "    \"c_real\" real,\n"
               "    \"c_double\" double precision,\n"
               "    \"c_json\" json,\n"
               "    \"c_jsonb\" jsonb,\n"
               "    \"c_bytea\" bytea,\n"
               "    \"c_date\" date,\n"
               "    \"c_time\" time,\n"
               "    \"c_timestamp\" timestamp,\n"
               "    \"c_timestamptz\" timestamptz,\n"
               "    \"c_interval\" interval,\n"
               "    \"c_named\" \"mood\",\n"
               "    \"c_named_hostile\" \"My \"\"Type\"\"\",\n"
               "    \"c_text_array\" text[],\n"
               "    \"c_int_2d\" integer[][],\n"
               "    \"c_varchar_array\" varchar(10)[],\n"
               "    \"c_numeric_array\" numeric(5,1)[],\n"
               "    \"c_named_array\" \"mood\"[],\n"
               "    \"c_uuid_6d\" uuid[][][][][][]\n"
               ");\n");
}
END_TEST

/* ----------------------------------------------------- tables (golden) */

BODY(body_column_features,
     pcsm_create_table(op, "users", PCSM_COLUMNS(
         { .name = "id", .type = PCSM_BIGINT, .primary_key = true },
         { .name = "email", .type = PCSM_VARCHAR(255), .not_null = true, .unique = true,
           .comment = "login; it's unique" },
         { .name = "org_id", .type = PCSM_UUID, .references = "orgs",
           .on_delete = PCSM_CASCADE, .on_update = PCSM_RESTRICT },
         { .name = "boss_id", .type = PCSM_BIGINT, .references = "users", .ref_column = "id",
           .on_delete = PCSM_SET_NULL },
         { .name = "team_id", .type = PCSM_BIGINT, .references = "teams",
           .on_delete = PCSM_SET_DEFAULT, .on_update = PCSM_NO_ACTION },
         { .name = "age", .type = PCSM_INTEGER, .check = "age >= 0" },
         { .name = "created_at", .type = PCSM_TIMESTAMPTZ, .not_null = true,
           .default_value = PCSM_EXPR("now()") },
         { .name = "status", .type = PCSM_TEXT, .default_value = PCSM_LITERAL("it's new") },
         { .name = "path", .type = PCSM_TEXT, .default_value = PCSM_LITERAL("C:\\tmp") },
         { .name = "note", .type = PCSM_TEXT, .default_value = PCSM_NULL,
           .comment = "free text" },
         { .name = "code", .type = PCSM_CHAR(3), .not_null = true, .unique = true,
           .default_value = PCSM_LITERAL("abc"), .check = "code <> ''",
           .references = "codes", .ref_column = "code" }),
         NULL, "All the users"))

START_TEST(test_ddl_create_table_column_features)
{
    EXPECT_SQL(body_column_features,
               "CREATE TABLE \"users\" (\n"
               "    \"id\" bigint PRIMARY KEY,\n"
               "    \"email\" varchar(255) NOT NULL UNIQUE,\n"
               "    \"org_id\" uuid REFERENCES \"orgs\" ON DELETE CASCADE ON UPDATE RESTRICT,\n"
               "    \"boss_id\" bigint REFERENCES \"users\" (\"id\") ON DELETE SET NULL,\n"
               "    \"team_id\" bigint REFERENCES \"teams\" ON DELETE SET DEFAULT"
               " ON UPDATE NO ACTION,\n"
               "    \"age\" integer CHECK (age >= 0),\n"
               "    \"created_at\" timestamptz DEFAULT now() NOT NULL,\n"
               "    \"status\" text DEFAULT 'it''s new',\n"
               "    \"path\" text DEFAULT  E'C:\\\\tmp',\n"
               "    \"note\" text DEFAULT NULL,\n"
               "    \"code\" char(3) DEFAULT 'abc' NOT NULL UNIQUE CHECK (code <> '')"
               " REFERENCES \"codes\" (\"code\")\n"
               ");\n"
               "COMMENT ON TABLE \"users\" IS 'All the users';\n"
               "COMMENT ON COLUMN \"users\".\"email\" IS 'login; it''s unique';\n"
               "COMMENT ON COLUMN \"users\".\"note\" IS 'free text';\n");
}
END_TEST

BODY(body_composite_pk,
     pcsm_create_table(op, "memberships", PCSM_COLUMNS(
         { .name = "user_id", .type = PCSM_BIGINT, .primary_key = true },
         { .name = "role", .type = PCSM_TEXT },
         { .name = "group_id", .type = PCSM_BIGINT, .primary_key = true }),
         PCSM_CONSTRAINTS({ .kind = PCSM_UNIQUE, .columns = PCSM_NAMES("role") }), NULL))

START_TEST(test_ddl_create_table_composite_primary_key)
{
    /* Several primary_key columns make one table-level key, in column order. */
    EXPECT_SQL(body_composite_pk,
               "CREATE TABLE \"memberships\" (\n"
               "    \"user_id\" bigint,\n"
               "    \"role\" text,\n"
               "    \"group_id\" bigint,\n"
               "    PRIMARY KEY (\"user_id\", \"group_id\"),\n"
               "    UNIQUE (\"role\")\n"
               ");\n");
}
END_TEST

BODY(body_table_constraints,
     pcsm_create_table(op, "order_items", PCSM_COLUMNS(
         { .name = "order_id", .type = PCSM_BIGINT, .not_null = true },
         { .name = "line", .type = PCSM_INTEGER, .not_null = true },
         { .name = "sku", .type = PCSM_TEXT },
         { .name = "qty", .type = PCSM_INTEGER }),
         PCSM_CONSTRAINTS(
             { .kind = PCSM_PRIMARY_KEY, .name = "order_items_pk",
               .columns = PCSM_NAMES("order_id", "line") },
             { .kind = PCSM_UNIQUE, .columns = PCSM_NAMES("order_id", "sku"),
               .deferrable = true },
             { .kind = PCSM_UNIQUE, .name = "sku_once", .columns = PCSM_NAMES("sku") },
             { .kind = PCSM_FOREIGN_KEY, .name = "order_items_order_fk",
               .columns = PCSM_NAMES("order_id"), .references = "orders",
               .ref_columns = PCSM_NAMES("id"), .on_delete = PCSM_CASCADE,
               .on_update = PCSM_NO_ACTION, .deferrable = true },
             { .kind = PCSM_FOREIGN_KEY, .columns = PCSM_NAMES("order_id", "sku"),
               .references = "stock", .ref_columns = PCSM_NAMES("o", "s"),
               .on_delete = PCSM_SET_DEFAULT, .on_update = PCSM_SET_NULL },
             { .kind = PCSM_FOREIGN_KEY, .columns = PCSM_NAMES("sku"), .references = "products" },
             { .kind = PCSM_CHECK, .name = "qty_positive", .check = "qty > 0" },
             { .kind = PCSM_CHECK, .check = "sku <> ''" }),
         NULL))

START_TEST(test_ddl_create_table_constraints)
{
    EXPECT_SQL(body_table_constraints,
               "CREATE TABLE \"order_items\" (\n"
               "    \"order_id\" bigint NOT NULL,\n"
               "    \"line\" integer NOT NULL,\n"
               "    \"sku\" text,\n"
               "    \"qty\" integer,\n"
               "    CONSTRAINT \"order_items_pk\" PRIMARY KEY (\"order_id\", \"line\"),\n"
               "    UNIQUE (\"order_id\", \"sku\") DEFERRABLE INITIALLY DEFERRED,\n"
               "    CONSTRAINT \"sku_once\" UNIQUE (\"sku\"),\n"
               "    CONSTRAINT \"order_items_order_fk\" FOREIGN KEY (\"order_id\")"
               " REFERENCES \"orders\" (\"id\") ON DELETE CASCADE ON UPDATE NO ACTION"
               " DEFERRABLE INITIALLY DEFERRED,\n"
               "    FOREIGN KEY (\"order_id\", \"sku\") REFERENCES \"stock\" (\"o\", \"s\")"
               " ON DELETE SET DEFAULT ON UPDATE SET NULL,\n"
               "    FOREIGN KEY (\"sku\") REFERENCES \"products\",\n"
               "    CONSTRAINT \"qty_positive\" CHECK (qty > 0),\n"
               "    CHECK (sku <> '')\n"
               ");\n");
}
END_TEST

BODY(body_hostile_names,
     pcsm_create_table(op, "a\"b", PCSM_COLUMNS(
         { .name = "select", .type = PCSM_TEXT, .comment = "a \\ and a '" },
         { .name = "User", .type = PCSM_TEXT },
         { .name = "it's", .type = PCSM_TEXT },
         { .name = "\xc3\xa9t\xc3\xa9 \xf0\x9f\x98\x80", .type = PCSM_TEXT },
         { .name = "$pcsm$", .type = PCSM_TEXT }),
         NULL, "\xf0\x9f\x98\x80 table"))

START_TEST(test_ddl_create_table_quotes_hostile_names)
{
    EXPECT_SQL(body_hostile_names,
               "CREATE TABLE \"a\"\"b\" (\n"
               "    \"select\" text,\n"
               "    \"User\" text,\n"
               "    \"it's\" text,\n"
               "    \"\xc3\xa9t\xc3\xa9 \xf0\x9f\x98\x80\" text,\n"
               "    \"$pcsm$\" text\n"
               ");\n"
               "COMMENT ON TABLE \"a\"\"b\" IS '\xf0\x9f\x98\x80 table';\n"
               "COMMENT ON COLUMN \"a\"\"b\".\"select\" IS  E'a \\\\ and a ''';\n");
}
END_TEST

/* 21 three-byte characters: 63 bytes, the longest accepted name. */
#define EURO21 "\xe2\x82\xac\xe2\x82\xac\xe2\x82\xac\xe2\x82\xac\xe2\x82\xac\xe2\x82\xac" \
               "\xe2\x82\xac\xe2\x82\xac\xe2\x82\xac\xe2\x82\xac\xe2\x82\xac\xe2\x82\xac" \
               "\xe2\x82\xac\xe2\x82\xac\xe2\x82\xac\xe2\x82\xac\xe2\x82\xac\xe2\x82\xac" \
               "\xe2\x82\xac\xe2\x82\xac\xe2\x82\xac"

BODY(body_63_bytes,
     pcsm_create_table(op, NAME63, PCSM_COLUMNS({ .name = EURO21, .type = PCSM_TEXT }),
                       NULL, NULL))

START_TEST(test_ddl_identifier_of_63_bytes_accepted)
{
    ck_assert_uint_eq(strlen(NAME63), 63);
    ck_assert_uint_eq(strlen(EURO21), 63);
    EXPECT_SQL(body_63_bytes, "CREATE TABLE \"" NAME63 "\" (\n    \"" EURO21 "\" text\n);\n");
}
END_TEST

BODY(body_drop_table,
     pcsm_drop_table(op, "t", 0);
     pcsm_drop_table(op, "t", PCSM_IF_EXISTS);
     pcsm_drop_table(op, "t", PCSM_DROP_CASCADE);
     pcsm_drop_table(op, "T\"x", PCSM_IF_EXISTS | PCSM_DROP_CASCADE))

START_TEST(test_ddl_drop_table)
{
    EXPECT_SQL(body_drop_table,
               "DROP TABLE \"t\";\n"
               "DROP TABLE IF EXISTS \"t\";\n"
               "DROP TABLE \"t\" CASCADE;\n"
               "DROP TABLE IF EXISTS \"T\"\"x\" CASCADE;\n");
}
END_TEST

BODY(body_rename_table, pcsm_rename_table(op, "old", "New \"one\""))

START_TEST(test_ddl_rename_table)
{
    EXPECT_SQL(body_rename_table, "ALTER TABLE \"old\" RENAME TO \"New \"\"one\"\"\";\n");
}
END_TEST

BODY(body_comment_table,
     pcsm_comment_table(op, "t", "it's the \"t\" table");
     pcsm_comment_table(op, "t", "");
     pcsm_comment_table(op, "t", NULL))

START_TEST(test_ddl_comment_table_set_and_removed)
{
    EXPECT_SQL(body_comment_table,
               "COMMENT ON TABLE \"t\" IS 'it''s the \"t\" table';\n"
               "COMMENT ON TABLE \"t\" IS '';\n"
               "COMMENT ON TABLE \"t\" IS NULL;\n");
}
END_TEST

BODY(body_comment_on,
     pcsm_comment_on(op, PCSM_OBJECT_INDEX, "ix", NULL, "by owner");
     pcsm_comment_on(op, PCSM_OBJECT_SEQUENCE, "s", NULL, NULL);
     pcsm_comment_on(op, PCSM_OBJECT_VIEW, "v", NULL, "it's");
     pcsm_comment_on(op, PCSM_OBJECT_MATERIALIZED_VIEW, "m", NULL, "");
     pcsm_comment_on(op, PCSM_OBJECT_TYPE, "mood", NULL, "a\nb");
     pcsm_comment_on(op, PCSM_OBJECT_FUNCTION, "f", "integer, text", "two");
     pcsm_comment_on(op, PCSM_OBJECT_FUNCTION, "g", "", "none");
     pcsm_comment_on(op, PCSM_OBJECT_FUNCTION, "h", NULL, "the only h");
     pcsm_set_schema(op, "billing");
     pcsm_comment_on(op, PCSM_OBJECT_CONSTRAINT, "t_pkey", "t", "key");
     pcsm_comment_on(op, PCSM_OBJECT_TRIGGER, "t_touch", "t", NULL);
     pcsm_comment_on(op, PCSM_OBJECT_POLICY, "t_mine", "t", "mine");
     pcsm_comment_on(op, PCSM_OBJECT_INDEX, "ix", NULL, "there"))

/*
 * An object's name is qualified by the schema in force; a table's
 * constraint, trigger or policy is named alone, ON its qualified table.
 */
START_TEST(test_ddl_comment_on_every_kind)
{
    EXPECT_SQL(body_comment_on,
               "COMMENT ON INDEX \"ix\" IS 'by owner';\n"
               "COMMENT ON SEQUENCE \"s\" IS NULL;\n"
               "COMMENT ON VIEW \"v\" IS 'it''s';\n"
               "COMMENT ON MATERIALIZED VIEW \"m\" IS '';\n"
               "COMMENT ON TYPE \"mood\" IS 'a\nb';\n"
               "COMMENT ON FUNCTION \"f\"(integer, text) IS 'two';\n"
               "COMMENT ON FUNCTION \"g\"() IS 'none';\n"
               "COMMENT ON FUNCTION \"h\" IS 'the only h';\n"
               "COMMENT ON CONSTRAINT \"t_pkey\" ON \"billing\".\"t\" IS 'key';\n"
               "COMMENT ON TRIGGER \"t_touch\" ON \"billing\".\"t\" IS NULL;\n"
               "COMMENT ON POLICY \"t_mine\" ON \"billing\".\"t\" IS 'mine';\n"
               "COMMENT ON INDEX \"billing\".\"ix\" IS 'there';\n");
}
END_TEST

BODY(body_collations,
     pcsm_create_collation(op, &(pcsm_collation){ .name = "ci", .provider = PCSM_PROVIDER_ICU,
                                                  .locale = "und-u-ks-level2",
                                                  .nondeterministic = true });
     pcsm_create_collation(op, &(pcsm_collation){ .name = "lc", .locale = "it's" });
     pcsm_set_schema(op, "billing");
     pcsm_create_collation(op, &(pcsm_collation){ .name = "apart", .lc_collate = "C",
                                                  .lc_ctype = "C.utf8" });
     pcsm_rename_collation(op, "apart", "together");
     pcsm_drop_collation(op, "together", PCSM_IF_EXISTS);
     pcsm_set_schema(op, NULL);
     pcsm_drop_collation(op, "ci", 0))

START_TEST(test_ddl_collations)
{
    EXPECT_SQL(body_collations,
               "CREATE COLLATION \"ci\" (PROVIDER = icu, LOCALE = 'und-u-ks-level2', "
               "DETERMINISTIC = false);\n"
               "CREATE COLLATION \"lc\" (LOCALE = 'it''s');\n"
               "CREATE COLLATION \"billing\".\"apart\" (LC_COLLATE = 'C', "
               "LC_CTYPE = 'C.utf8');\n"
               "ALTER COLLATION \"billing\".\"apart\" RENAME TO \"together\";\n"
               "DROP COLLATION IF EXISTS \"billing\".\"together\";\n"
               "DROP COLLATION \"ci\";\n");
}
END_TEST

BODY(body_domains,
     pcsm_create_domain(op, &(pcsm_domain){
         .name = "weight", .type = PCSM_NUMERIC(5, 2), .default_value = PCSM_LITERAL("1"),
         .not_null = true,
         .constraints = PCSM_CONSTRAINTS(
             { .kind = PCSM_CHECK, .name = "positive", .check = "VALUE > 0" },
             { .kind = PCSM_CHECK, .check = "VALUE < 100" }) });
     pcsm_create_domain(op, &(pcsm_domain){ .name = "label", .type = PCSM_ARRAY(PCSM_TEXT),
                                            .collation = "C" });
     pcsm_set_schema(op, "billing");
     pcsm_create_domain(op, &(pcsm_domain){ .name = "heavy",
                                            .type = PCSM_TYPE_IN(NULL, "weight") });
     pcsm_rename_domain(op, "heavy", "heavier");
     pcsm_set_domain_default(op, "heavier", PCSM_EXPR("50"));
     pcsm_drop_domain_default(op, "heavier");
     pcsm_set_domain_not_null(op, "heavier");
     pcsm_drop_domain_not_null(op, "heavier");
     pcsm_add_domain_constraint(op, "heavier", &(pcsm_constraint){
         .kind = PCSM_CHECK, .name = "big", .check = "VALUE > 10", .not_valid = true });
     pcsm_add_domain_constraint(op, "heavier", &(pcsm_constraint){
         .kind = PCSM_CHECK, .check = "VALUE <> 13" });
     pcsm_validate_domain_constraint(op, "heavier", "big");
     pcsm_rename_domain_constraint(op, "heavier", "big", "bigger");
     pcsm_drop_domain_constraint(op, "heavier", "bigger", PCSM_IF_EXISTS);
     pcsm_comment_on(op, PCSM_OBJECT_DOMAIN, "heavier", NULL, "it's heavy");
     pcsm_drop_domain(op, "heavier", PCSM_IF_EXISTS | PCSM_DROP_CASCADE);
     pcsm_set_schema(op, NULL);
     pcsm_drop_domain(op, "label", 0))

START_TEST(test_ddl_domains)
{
    EXPECT_SQL(body_domains,
               "CREATE DOMAIN \"weight\" AS numeric(5,2) DEFAULT '1' NOT NULL "
               "CONSTRAINT \"positive\" CHECK (VALUE > 0) CHECK (VALUE < 100);\n"
               "CREATE DOMAIN \"label\" AS text[] COLLATE \"C\";\n"
               "CREATE DOMAIN \"billing\".\"heavy\" AS \"weight\";\n"
               "ALTER DOMAIN \"billing\".\"heavy\" RENAME TO \"heavier\";\n"
               "ALTER DOMAIN \"billing\".\"heavier\" SET DEFAULT 50;\n"
               "ALTER DOMAIN \"billing\".\"heavier\" DROP DEFAULT;\n"
               "ALTER DOMAIN \"billing\".\"heavier\" SET NOT NULL;\n"
               "ALTER DOMAIN \"billing\".\"heavier\" DROP NOT NULL;\n"
               "ALTER DOMAIN \"billing\".\"heavier\" ADD CONSTRAINT \"big\" CHECK (VALUE > 10) "
               "NOT VALID;\n"
               "ALTER DOMAIN \"billing\".\"heavier\" ADD CHECK (VALUE <> 13);\n"
               "ALTER DOMAIN \"billing\".\"heavier\" VALIDATE CONSTRAINT \"big\";\n"
               "ALTER DOMAIN \"billing\".\"heavier\" RENAME CONSTRAINT \"big\" TO \"bigger\";\n"
               "ALTER DOMAIN \"billing\".\"heavier\" DROP CONSTRAINT IF EXISTS \"bigger\";\n"
               "COMMENT ON DOMAIN \"billing\".\"heavier\" IS 'it''s heavy';\n"
               "DROP DOMAIN IF EXISTS \"billing\".\"heavier\" CASCADE;\n"
               "DROP DOMAIN \"label\";\n");
}
END_TEST

BODY(body_composites,
     pcsm_create_composite_type(op, "pair", PCSM_ATTRIBUTES(
         { .name = "a", .type = PCSM_INTEGER },
         { .name = "B b", .type = PCSM_ARRAY(PCSM_VARCHAR(5)), .collation = "C" }));
     pcsm_set_schema(op, "billing");
     pcsm_create_composite_type(op, "money_pair", PCSM_ATTRIBUTES(
         { .name = "p", .type = PCSM_TYPE_IN(NULL, "pair") }));
     pcsm_add_attribute(op, "money_pair", &(pcsm_attribute){ .name = "n", .type = PCSM_TEXT,
                                                             .collation = "POSIX" });
     pcsm_alter_attribute_type(op, "money_pair", "n", PCSM_VARCHAR(9), NULL);
     pcsm_rename_attribute(op, "money_pair", "n", "note");
     pcsm_drop_attribute(op, "money_pair", "note", PCSM_IF_EXISTS);
     pcsm_drop_attribute(op, "money_pair", "p", 0);
     pcsm_comment_on(op, PCSM_OBJECT_TYPE, "money_pair", NULL, "two");
     pcsm_drop_type(op, "money_pair", 0);
     pcsm_create_composite_type(op, "nothing", NULL))

START_TEST(test_ddl_composite_types)
{
    EXPECT_SQL(body_composites,
               "CREATE TYPE \"pair\" AS (\"a\" integer, \"B b\" varchar(5)[] COLLATE \"C\");\n"
               "CREATE TYPE \"billing\".\"money_pair\" AS (\"p\" \"pair\");\n"
               "ALTER TYPE \"billing\".\"money_pair\" ADD ATTRIBUTE \"n\" text COLLATE \"POSIX\";\n"
               "ALTER TYPE \"billing\".\"money_pair\" ALTER ATTRIBUTE \"n\" TYPE varchar(9);\n"
               "ALTER TYPE \"billing\".\"money_pair\" RENAME ATTRIBUTE \"n\" TO \"note\";\n"
               "ALTER TYPE \"billing\".\"money_pair\" DROP ATTRIBUTE IF EXISTS \"note\";\n"
               "ALTER TYPE \"billing\".\"money_pair\" DROP ATTRIBUTE \"p\";\n"
               "COMMENT ON TYPE \"billing\".\"money_pair\" IS 'two';\n"
               "DROP TYPE \"billing\".\"money_pair\";\n"
               "CREATE TYPE \"billing\".\"nothing\" AS ();\n");
}
END_TEST

BODY(body_ranges,
     pcsm_create_range_type(op, &(pcsm_range_type){ .name = "floatrange",
                                                    .subtype = PCSM_DOUBLE });
     pcsm_set_schema(op, "billing");
     pcsm_create_range_type(op, &(pcsm_range_type){
         .name = "Text \"span\"", .subtype = PCSM_TEXT, .subtype_opclass = "text_pattern_ops",
         .collation = "C", .subtype_diff = "text_diff", .subtype_diff_schema = "util",
         .multirange_type_name = "text_spans" });
     pcsm_create_range_type(op, &(pcsm_range_type){
         .name = "moods", .subtype = PCSM_TYPE_IN(NULL, "mood"), .subtype_diff = "float8mi" });
     pcsm_comment_on(op, PCSM_OBJECT_TYPE, "moods", NULL, "spans of moods");
     pcsm_drop_type(op, "moods", PCSM_DROP_CASCADE))

START_TEST(test_ddl_range_types)
{
    EXPECT_SQL(body_ranges,
               "CREATE TYPE \"floatrange\" AS RANGE (SUBTYPE = double precision);\n"
               "CREATE TYPE \"billing\".\"Text \"\"span\"\"\" AS RANGE (SUBTYPE = text, "
               "SUBTYPE_OPCLASS = \"text_pattern_ops\", COLLATION = \"C\", "
               "SUBTYPE_DIFF = \"util\".\"text_diff\", "
               "MULTIRANGE_TYPE_NAME = \"billing\".\"text_spans\");\n"
               "CREATE TYPE \"billing\".\"moods\" AS RANGE (SUBTYPE = \"mood\", "
               "SUBTYPE_DIFF = \"float8mi\");\n"
               "COMMENT ON TYPE \"billing\".\"moods\" IS 'spans of moods';\n"
               "DROP TYPE \"billing\".\"moods\" CASCADE;\n");
}
END_TEST

BODY(body_partitions,
     pcsm_set_schema(op, "billing");
     pcsm_create_partitioned_table(op, "events",
         PCSM_PARTITION_BY(PCSM_PARTITION_RANGE, { .column = "at" },
                           { .expression = "lower(region)", .collation = "C",
                             .opclass = "text_pattern_ops" }),
         PCSM_COLUMNS({ .name = "at", .type = PCSM_DATE, .not_null = true },
                      { .name = "region", .type = PCSM_TEXT }),
         NULL, "by day");
     pcsm_create_partition(op, &(pcsm_partition){
         .name = "events_2026", .parent = "events",
         .bound = "FOR VALUES FROM ('2026-01-01', MINVALUE) TO ('2027-01-01', MAXVALUE)",
         .partition_by = PCSM_PARTITION_BY(PCSM_PARTITION_HASH, { .column = "region" }),
         .constraints = PCSM_CONSTRAINTS({ .kind = PCSM_CHECK, .name = "recent",
                                           .check = "at > '2020-01-01'" }),
         .comment = "this year" });
     pcsm_create_partition(op, &(pcsm_partition){
         .name = "events_2026_0", .parent = "events_2026",
         .bound = "FOR VALUES WITH (modulus 2, remainder 0)" });
     pcsm_create_partition(op, &(pcsm_partition){ .name = "events_old", .parent = "events",
                                                  .bound = "DEFAULT" });
     pcsm_detach_partition(op, "events", "events_old");
     pcsm_attach_partition(op, "events", "events_old", "DEFAULT");
     pcsm_create_index(op, &(pcsm_index){ .name = "ev_at", .table = "events",
                                          .columns = PCSM_NAMES("at"), .only = true });
     pcsm_attach_index(op, "ev_at", "ev_old_at");
     pcsm_set_schema(op, NULL);
     pcsm_create_partitioned_table(op, "tags",
         PCSM_PARTITION_BY(PCSM_PARTITION_LIST, { .column = "kind" }),
         PCSM_COLUMNS({ .name = "kind", .type = PCSM_TEXT, .primary_key = true }), NULL, NULL))

START_TEST(test_ddl_partitions)
{
    EXPECT_SQL(body_partitions,
               "CREATE TABLE \"billing\".\"events\" (\n"
               "    \"at\" date NOT NULL,\n"
               "    \"region\" text\n"
               ") PARTITION BY RANGE (\"at\", (lower(region)) COLLATE \"C\" "
               "\"text_pattern_ops\");\n"
               "COMMENT ON TABLE \"billing\".\"events\" IS 'by day';\n"
               "CREATE TABLE \"billing\".\"events_2026\" PARTITION OF \"billing\".\"events\" (\n"
               "    CONSTRAINT \"recent\" CHECK (at > '2020-01-01')\n"
               ")\n"
               "    FOR VALUES FROM ('2026-01-01', MINVALUE) TO ('2027-01-01', MAXVALUE) "
               "PARTITION BY HASH (\"region\");\n"
               "COMMENT ON TABLE \"billing\".\"events_2026\" IS 'this year';\n"
               "CREATE TABLE \"billing\".\"events_2026_0\" PARTITION OF "
               "\"billing\".\"events_2026\"\n"
               "    FOR VALUES WITH (modulus 2, remainder 0);\n"
               "CREATE TABLE \"billing\".\"events_old\" PARTITION OF \"billing\".\"events\"\n"
               "    DEFAULT;\n"
               "ALTER TABLE \"billing\".\"events\" DETACH PARTITION \"billing\".\"events_old\";\n"
               "ALTER TABLE \"billing\".\"events\" ATTACH PARTITION \"billing\".\"events_old\" "
               "DEFAULT;\n"
               "CREATE INDEX \"ev_at\" ON ONLY \"billing\".\"events\" (\"at\");\n"
               "ALTER INDEX \"billing\".\"ev_at\" ATTACH PARTITION \"billing\".\"ev_old_at\";\n"
               "CREATE TABLE \"tags\" (\n"
               "    \"kind\" text PRIMARY KEY\n"
               ") PARTITION BY LIST (\"kind\");\n");
}
END_TEST

BODY(body_inheritance,
     pcsm_set_schema(op, "zoo");
     pcsm_create_table_inherits(op, "dogs", PCSM_NAMES("animals", "pets"),
         PCSM_COLUMNS({ .name = "breed", .type = PCSM_TEXT }),
         PCSM_CONSTRAINTS({ .kind = PCSM_CHECK, .check = "breed <> ''" }), "good dogs");
     pcsm_create_table_inherits(op, "puppies", PCSM_NAMES("dogs"), NULL, NULL, NULL);
     pcsm_no_inherit(op, "dogs", "pets");
     pcsm_inherit(op, "cats", "animals"))

START_TEST(test_ddl_inheritance)
{
    EXPECT_SQL(body_inheritance,
               "CREATE TABLE \"zoo\".\"dogs\" (\n"
               "    \"breed\" text,\n"
               "    CHECK (breed <> '')\n"
               ") INHERITS (\"zoo\".\"animals\", \"zoo\".\"pets\");\n"
               "COMMENT ON TABLE \"zoo\".\"dogs\" IS 'good dogs';\n"
               "CREATE TABLE \"zoo\".\"puppies\" () INHERITS (\"zoo\".\"dogs\");\n"
               "ALTER TABLE \"zoo\".\"dogs\" NO INHERIT \"zoo\".\"pets\";\n"
               "ALTER TABLE \"zoo\".\"cats\" INHERIT \"zoo\".\"animals\";\n");
}
END_TEST

/* ---------------------------------------------------- columns (golden) */

BODY(body_add_column,
     pcsm_add_column(op, "t", &(pcsm_column){ .name = "c", .type = PCSM_INTEGER });
     pcsm_add_column(op, "t", &(pcsm_column){ .name = "n", .type = PCSM_INTEGER,
                                              .not_null = true,
                                              .default_value = PCSM_EXPR("0") });
     pcsm_add_column(op, "t", &(pcsm_column){ .name = "id", .type = PCSM_BIGINT,
                                              .primary_key = true });
     pcsm_add_column(op, "t", &(pcsm_column){ .name = "code", .type = PCSM_VARCHAR(8),
                                              .unique = true, .check = "code <> ''" });
     pcsm_add_column(op, "t", &(pcsm_column){ .name = "org", .type = PCSM_UUID,
                                              .references = "orgs", .ref_column = "id",
                                              .on_delete = PCSM_CASCADE,
                                              .on_update = PCSM_SET_NULL,
                                              .comment = "owner's org" });
     pcsm_add_column(op, "t", &(pcsm_column){ .name = "tags",
                                              .type = PCSM_ARRAY(PCSM_TEXT),
                                              .default_value = PCSM_LITERAL("{}") }))

START_TEST(test_ddl_add_column)
{
    EXPECT_SQL(body_add_column,
               "ALTER TABLE \"t\" ADD COLUMN \"c\" integer;\n"
               "ALTER TABLE \"t\" ADD COLUMN \"n\" integer DEFAULT 0 NOT NULL;\n"
               "ALTER TABLE \"t\" ADD COLUMN \"id\" bigint PRIMARY KEY;\n"
               "ALTER TABLE \"t\" ADD COLUMN \"code\" varchar(8) UNIQUE CHECK (code <> '');\n"
               "ALTER TABLE \"t\" ADD COLUMN \"org\" uuid REFERENCES \"orgs\" (\"id\")"
               " ON DELETE CASCADE ON UPDATE SET NULL;\n"
               "COMMENT ON COLUMN \"t\".\"org\" IS 'owner''s org';\n"
               "ALTER TABLE \"t\" ADD COLUMN \"tags\" text[] DEFAULT '{}';\n");
}
END_TEST

BODY(body_drop_column,
     pcsm_drop_column(op, "t", "c", 0);
     pcsm_drop_column(op, "t", "c", PCSM_IF_EXISTS);
     pcsm_drop_column(op, "t", "c", PCSM_DROP_CASCADE);
     pcsm_drop_column(op, "t", "c", PCSM_IF_EXISTS | PCSM_DROP_CASCADE))

START_TEST(test_ddl_drop_column)
{
    EXPECT_SQL(body_drop_column,
               "ALTER TABLE \"t\" DROP COLUMN \"c\";\n"
               "ALTER TABLE \"t\" DROP COLUMN IF EXISTS \"c\";\n"
               "ALTER TABLE \"t\" DROP COLUMN \"c\" CASCADE;\n"
               "ALTER TABLE \"t\" DROP COLUMN IF EXISTS \"c\" CASCADE;\n");
}
END_TEST

BODY(body_rename_column, pcsm_rename_column(op, "t", "a", "B\"b"))

START_TEST(test_ddl_rename_column)
{
    EXPECT_SQL(body_rename_column, "ALTER TABLE \"t\" RENAME COLUMN \"a\" TO \"B\"\"b\";\n");
}
END_TEST

BODY(body_alter_column_type,
     pcsm_alter_column_type(op, "t", "c", PCSM_BIGINT, NULL);
     pcsm_alter_column_type(op, "t", "c", PCSM_NUMERIC(12, 2), "c::numeric(12,2)");
     pcsm_alter_column_type(op, "t", "c", PCSM_ARRAY(PCSM_NAMED_TYPE("mood")),
                            "ARRAY[c]::mood[]");
     pcsm_alter_column_type(op, "t", "c", PCSM_VARCHAR(0), NULL))

START_TEST(test_ddl_alter_column_type)
{
    EXPECT_SQL(body_alter_column_type,
               "ALTER TABLE \"t\" ALTER COLUMN \"c\" TYPE bigint;\n"
               "ALTER TABLE \"t\" ALTER COLUMN \"c\" TYPE numeric(12,2) USING c::numeric(12,2);\n"
               "ALTER TABLE \"t\" ALTER COLUMN \"c\" TYPE \"mood\"[] USING ARRAY[c]::mood[];\n"
               "ALTER TABLE \"t\" ALTER COLUMN \"c\" TYPE varchar;\n");
}
END_TEST

BODY(body_set_default,
     pcsm_set_default(op, "t", "c", PCSM_EXPR("now()"));
     pcsm_set_default(op, "t", "c", PCSM_LITERAL("it's"));
     pcsm_set_default(op, "t", "c", PCSM_LITERAL("C:\\dir\\'x'"));
     pcsm_set_default(op, "t", "c", PCSM_LITERAL(""));
     pcsm_set_default(op, "t", "c", PCSM_NULL))

START_TEST(test_ddl_set_default)
{
    EXPECT_SQL(body_set_default,
               "ALTER TABLE \"t\" ALTER COLUMN \"c\" SET DEFAULT now();\n"
               "ALTER TABLE \"t\" ALTER COLUMN \"c\" SET DEFAULT 'it''s';\n"
               "ALTER TABLE \"t\" ALTER COLUMN \"c\" SET DEFAULT  E'C:\\\\dir\\\\''x''';\n"
               "ALTER TABLE \"t\" ALTER COLUMN \"c\" SET DEFAULT '';\n"
               "ALTER TABLE \"t\" ALTER COLUMN \"c\" SET DEFAULT NULL;\n");
}
END_TEST

BODY(body_alter_column_simple,
     pcsm_drop_default(op, "t", "c");
     pcsm_set_not_null(op, "t", "c");
     pcsm_drop_not_null(op, "t", "c"))

START_TEST(test_ddl_drop_default_and_not_null)
{
    EXPECT_SQL(body_alter_column_simple,
               "ALTER TABLE \"t\" ALTER COLUMN \"c\" DROP DEFAULT;\n"
               "ALTER TABLE \"t\" ALTER COLUMN \"c\" SET NOT NULL;\n"
               "ALTER TABLE \"t\" ALTER COLUMN \"c\" DROP NOT NULL;\n");
}
END_TEST

BODY(body_comment_column,
     pcsm_comment_column(op, "t", "c", "the \\ 'c'");
     pcsm_comment_column(op, "t", "c", NULL))

START_TEST(test_ddl_comment_column_set_and_removed)
{
    EXPECT_SQL(body_comment_column,
               "COMMENT ON COLUMN \"t\".\"c\" IS  E'the \\\\ ''c''';\n"
               "COMMENT ON COLUMN \"t\".\"c\" IS NULL;\n");
}
END_TEST

/* ---------------------------------------------------- indexes (golden) */

BODY(body_create_index,
     pcsm_create_index(op, &(pcsm_index){ .name = "ix_a", .table = "t",
                                          .columns = PCSM_NAMES("a") });
     pcsm_create_index(op, &(pcsm_index){ .name = "ux_ab", .table = "t", .unique = true,
                                          .columns = PCSM_NAMES("a", "B\"") });
     pcsm_create_index(op, &(pcsm_index){ .name = "ix_lower", .table = "users",
                                          .expression = "lower(email)" });
     pcsm_create_index(op, &(pcsm_index){ .name = "ix_live", .table = "t",
                                          .columns = PCSM_NAMES("a"),
                                          .where = "deleted_at IS NULL" });
     pcsm_create_index(op, &(pcsm_index){ .name = "ix_tags", .table = "t", .method = "gin",
                                          .columns = PCSM_NAMES("tags") });
     pcsm_create_index(op, &(pcsm_index){ .name = "ix_a", .table = "t",
                                          .if_not_exists = true,
                                          .columns = PCSM_NAMES("a") });
     pcsm_create_index(op, &(pcsm_index){ .name = "ux_email", .table = "users",
                                          .unique = true, .if_not_exists = true,
                                          .method = "btree", .expression = "lower(email)",
                                          .where = "active" }))

START_TEST(test_ddl_create_index)
{
    EXPECT_SQL(body_create_index,
               "CREATE INDEX \"ix_a\" ON \"t\" (\"a\");\n"
               "CREATE UNIQUE INDEX \"ux_ab\" ON \"t\" (\"a\", \"B\"\"\");\n"
               "CREATE INDEX \"ix_lower\" ON \"users\" ((lower(email)));\n"
               "CREATE INDEX \"ix_live\" ON \"t\" (\"a\") WHERE deleted_at IS NULL;\n"
               "CREATE INDEX \"ix_tags\" ON \"t\" USING gin (\"tags\");\n"
               "CREATE INDEX IF NOT EXISTS \"ix_a\" ON \"t\" (\"a\");\n"
               "CREATE UNIQUE INDEX IF NOT EXISTS \"ux_email\" ON \"users\" USING btree"
               " ((lower(email))) WHERE active;\n");
}
END_TEST

/* Without a name the server chooses one (replay knows it: test_names.c). */
BODY(body_unnamed_index_and_constraint,
     pcsm_create_index(op, &(pcsm_index){ .table = "t", .columns = PCSM_NAMES("a") });
     pcsm_create_index(op, &(pcsm_index){ .table = "users", .unique = true,
                                          .expression = "lower(email)", .where = "active" });
     pcsm_add_constraint(op, "t", &(pcsm_constraint){ .kind = PCSM_CHECK, .check = "a > 0" });
     pcsm_add_constraint(op, "t", &(pcsm_constraint){ .kind = PCSM_UNIQUE,
                                                      .columns = PCSM_NAMES("a", "b") }))

START_TEST(test_ddl_unnamed_index_and_constraint)
{
    EXPECT_SQL(body_unnamed_index_and_constraint,
               "CREATE INDEX ON \"t\" (\"a\");\n"
               "CREATE UNIQUE INDEX ON \"users\" ((lower(email))) WHERE active;\n"
               "ALTER TABLE \"t\" ADD CHECK (a > 0);\n"
               "ALTER TABLE \"t\" ADD UNIQUE (\"a\", \"b\");\n");
}
END_TEST

BODY(body_index_methods,
     pcsm_create_index(op, &(pcsm_index){ .name = "i1", .table = "t", .method = "btree",
                                          .columns = PCSM_NAMES("a") });
     pcsm_create_index(op, &(pcsm_index){ .name = "i2", .table = "t", .method = "hash",
                                          .columns = PCSM_NAMES("a") });
     pcsm_create_index(op, &(pcsm_index){ .name = "i3", .table = "t", .method = "gin",
                                          .columns = PCSM_NAMES("a") });
     pcsm_create_index(op, &(pcsm_index){ .name = "i4", .table = "t", .method = "gist",
                                          .columns = PCSM_NAMES("a") });
     pcsm_create_index(op, &(pcsm_index){ .name = "i5", .table = "t", .method = "brin",
                                          .columns = PCSM_NAMES("a") });
     pcsm_create_index(op, &(pcsm_index){ .name = "i6", .table = "t", .method = "spgist",
                                          .columns = PCSM_NAMES("a") }))

START_TEST(test_ddl_create_index_every_method)
{
    EXPECT_SQL(body_index_methods,
               "CREATE INDEX \"i1\" ON \"t\" USING btree (\"a\");\n"
               "CREATE INDEX \"i2\" ON \"t\" USING hash (\"a\");\n"
               "CREATE INDEX \"i3\" ON \"t\" USING gin (\"a\");\n"
               "CREATE INDEX \"i4\" ON \"t\" USING gist (\"a\");\n"
               "CREATE INDEX \"i5\" ON \"t\" USING brin (\"a\");\n"
               "CREATE INDEX \"i6\" ON \"t\" USING spgist (\"a\");\n");
}
END_TEST

BODY(body_index_concurrently,
     pcsm_create_index(op, &(pcsm_index){ .name = "ix_a", .table = "t",
                                          .concurrently = true,
                                          .columns = PCSM_NAMES("a") });
     pcsm_create_index(op, &(pcsm_index){ .name = "ux_a", .table = "t", .unique = true,
                                          .concurrently = true, .if_not_exists = true,
                                          .method = "btree", .columns = PCSM_NAMES("a"),
                                          .where = "a > 0" }))

START_TEST(test_ddl_create_index_concurrently)
{
    expect_sql_in(&rev_nontxn, body_index_concurrently,
                  "CREATE INDEX CONCURRENTLY \"ix_a\" ON \"t\" (\"a\");\n"
                  "CREATE UNIQUE INDEX CONCURRENTLY IF NOT EXISTS \"ux_a\" ON \"t\""
                  " USING btree (\"a\") WHERE a > 0;\n");
}
END_TEST

BODY(body_drop_index,
     pcsm_drop_index(op, "ix", 0);
     pcsm_drop_index(op, "ix", PCSM_IF_EXISTS);
     pcsm_drop_index(op, "ix", PCSM_DROP_CASCADE);
     pcsm_drop_index(op, "i\"x", PCSM_IF_EXISTS | PCSM_DROP_CASCADE))

START_TEST(test_ddl_drop_index)
{
    EXPECT_SQL(body_drop_index,
               "DROP INDEX \"ix\";\n"
               "DROP INDEX IF EXISTS \"ix\";\n"
               "DROP INDEX \"ix\" CASCADE;\n"
               "DROP INDEX IF EXISTS \"i\"\"x\" CASCADE;\n");
}
END_TEST

BODY(body_drop_index_concurrently,
     pcsm_drop_index(op, "ix", PCSM_DROP_CONCURRENTLY);
     pcsm_drop_index(op, "ix", PCSM_DROP_CONCURRENTLY | PCSM_IF_EXISTS))

START_TEST(test_ddl_drop_index_concurrently)
{
    expect_sql_in(&rev_nontxn, body_drop_index_concurrently,
                  "DROP INDEX CONCURRENTLY \"ix\";\n"
                  "DROP INDEX CONCURRENTLY IF EXISTS \"ix\";\n");
}
END_TEST

/* ------------------------------------------------ constraints (golden) */

BODY(body_add_constraint,
     pcsm_add_constraint(op, "t", &(pcsm_constraint){ .kind = PCSM_PRIMARY_KEY,
                                                      .name = "t_pkey",
                                                      .columns = PCSM_NAMES("id") });
     pcsm_add_constraint(op, "t", &(pcsm_constraint){ .kind = PCSM_UNIQUE, .name = "t_ab",
                                                      .columns = PCSM_NAMES("a", "b"),
                                                      .deferrable = true });
     pcsm_add_constraint(op, "t", &(pcsm_constraint){ .kind = PCSM_FOREIGN_KEY,
                                                      .name = "t_org_fk",
                                                      .columns = PCSM_NAMES("org_id"),
                                                      .references = "orgs",
                                                      .ref_columns = PCSM_NAMES("id"),
                                                      .on_delete = PCSM_RESTRICT,
                                                      .on_update = PCSM_CASCADE });
     pcsm_add_constraint(op, "t", &(pcsm_constraint){ .kind = PCSM_FOREIGN_KEY,
                                                      .name = "t_user_fk",
                                                      .columns = PCSM_NAMES("user_id"),
                                                      .references = "users",
                                                      .deferrable = true,
                                                      .not_valid = true });
     pcsm_add_constraint(op, "t", &(pcsm_constraint){ .kind = PCSM_CHECK,
                                                      .name = "t_positive",
                                                      .check = "n > 0" });
     pcsm_add_constraint(op, "t", &(pcsm_constraint){ .kind = PCSM_CHECK,
                                                      .name = "t_later",
                                                      .check = "m IS NOT NULL",
                                                      .not_valid = true }))

START_TEST(test_ddl_add_constraint)
{
    EXPECT_SQL(body_add_constraint,
               "ALTER TABLE \"t\" ADD CONSTRAINT \"t_pkey\" PRIMARY KEY (\"id\");\n"
               "ALTER TABLE \"t\" ADD CONSTRAINT \"t_ab\" UNIQUE (\"a\", \"b\")"
               " DEFERRABLE INITIALLY DEFERRED;\n"
               "ALTER TABLE \"t\" ADD CONSTRAINT \"t_org_fk\" FOREIGN KEY (\"org_id\")"
               " REFERENCES \"orgs\" (\"id\") ON DELETE RESTRICT ON UPDATE CASCADE;\n"
               "ALTER TABLE \"t\" ADD CONSTRAINT \"t_user_fk\" FOREIGN KEY (\"user_id\")"
               " REFERENCES \"users\" DEFERRABLE INITIALLY DEFERRED NOT VALID;\n"
               "ALTER TABLE \"t\" ADD CONSTRAINT \"t_positive\" CHECK (n > 0);\n"
               "ALTER TABLE \"t\" ADD CONSTRAINT \"t_later\" CHECK (m IS NOT NULL) NOT VALID;\n");
}
END_TEST

BODY(body_drop_constraint,
     pcsm_drop_constraint(op, "t", "c", 0);
     pcsm_drop_constraint(op, "t", "c", PCSM_IF_EXISTS);
     pcsm_drop_constraint(op, "t", "c", PCSM_DROP_CASCADE);
     pcsm_drop_constraint(op, "t", "c\"", PCSM_IF_EXISTS | PCSM_DROP_CASCADE))

START_TEST(test_ddl_drop_constraint)
{
    EXPECT_SQL(body_drop_constraint,
               "ALTER TABLE \"t\" DROP CONSTRAINT \"c\";\n"
               "ALTER TABLE \"t\" DROP CONSTRAINT IF EXISTS \"c\";\n"
               "ALTER TABLE \"t\" DROP CONSTRAINT \"c\" CASCADE;\n"
               "ALTER TABLE \"t\" DROP CONSTRAINT IF EXISTS \"c\"\"\" CASCADE;\n");
}
END_TEST

BODY(body_validate_constraint,
     pcsm_validate_constraint(op, "t", "t_user_fk");
     pcsm_validate_constraint(op, "t\"", "c\""))

START_TEST(test_ddl_validate_constraint)
{
    EXPECT_SQL(body_validate_constraint,
               "ALTER TABLE \"t\" VALIDATE CONSTRAINT \"t_user_fk\";\n"
               "ALTER TABLE \"t\"\"\" VALIDATE CONSTRAINT \"c\"\"\";\n");
}
END_TEST

/* ------------------------------------------------- SQL and data (golden) */

BODY(body_execute,
     pcsm_execute(op, "UPDATE t SET a = 1");
     pcsm_execute(op, "UPDATE t SET a = 2;");
     pcsm_execute(op, "UPDATE t SET a = 3;  \n\t\r\n");
     pcsm_execute(op, "  \n UPDATE t SET a = 4 \n ; \n");
     pcsm_execute(op, "CREATE TABLE a (x int); CREATE TABLE b (y int);");
     pcsm_execute(op, "SELECT 'it''s; \\ $$'"))

START_TEST(test_ddl_execute_strips_terminator)
{
    /*
     * One trailing ';' and the blanks on both sides of it go; the renderer
     * adds its own.  Leading blanks and inner ';' stay.
     */
    EXPECT_SQL(body_execute,
               "UPDATE t SET a = 1;\n"
               "UPDATE t SET a = 2;\n"
               "UPDATE t SET a = 3;\n"
               "  \n UPDATE t SET a = 4;\n"
               "CREATE TABLE a (x int); CREATE TABLE b (y int);\n"
               "SELECT 'it''s; \\ $$';\n");
}
END_TEST

BODY(body_execute_params,
     pcsm_execute_params(op, "UPDATE t SET a = $1, b = $2, c = $3, d = $4, e = $5 WHERE f = $6;\n",
                         6, (const pcsm_value[]){ PCSM_LITERAL("it's"), PCSM_NULL,
                                                  PCSM_EXPR("now()"), PCSM_LITERAL("a\\b"),
                                                  PCSM_LITERAL(""), PCSM_EXPR("42") }))

START_TEST(test_ddl_execute_params)
{
    EXPECT_SQL(body_execute_params,
               "PREPARE pcsm_stmt AS UPDATE t SET a = $1, b = $2, c = $3, d = $4, e = $5"
               " WHERE f = $6;\n"
               "EXECUTE pcsm_stmt('it''s', NULL, now(),  E'a\\\\b', '', 42);\n"
               "DEALLOCATE pcsm_stmt;\n");
}
END_TEST

BODY(body_execute_params_zero,
     pcsm_execute_params(op, "DELETE FROM t", 0, NULL);
     pcsm_execute_params(op, "SELECT $1", 1, &PCSM_LITERAL("x")))

START_TEST(test_ddl_execute_params_zero_params)
{
    EXPECT_SQL(body_execute_params_zero,
               "PREPARE pcsm_stmt AS DELETE FROM t;\n"
               "EXECUTE pcsm_stmt;\n"
               "DEALLOCATE pcsm_stmt;\n"
               "PREPARE pcsm_stmt AS SELECT $1;\n"
               "EXECUTE pcsm_stmt('x');\n"
               "DEALLOCATE pcsm_stmt;\n");
}
END_TEST

/* The keyset walk of one batch_update, as render.c writes it. */
#define BATCH_STEP(where)                                                       \
    "        WITH batch AS (\n"                                                 \
    "            SELECT \"id\" AS pcsm_key FROM \"orders\"\n"                   \
    "            WHERE " where "\n"                                             \
    "            ORDER BY \"id\" LIMIT 500\n"                                   \
    "        ), updated AS (\n"                                                 \
    "            UPDATE \"orders\" SET status = 'done' FROM batch\n"            \
    "            WHERE \"orders\".\"id\" = batch.pcsm_key RETURNING 1\n"        \
    "        )\n"                                                               \
    "        SELECT (SELECT pcsm_key FROM batch ORDER BY pcsm_key DESC LIMIT 1),\n" \
    "               (SELECT count(*) FROM updated)\n" \
    "        INTO pcsm_batch_last, pcsm_batch_rows;\n"

#define BATCH_BLOCK(where)                                                      \
    "DO $pcsm$\n"                                                               \
    "#variable_conflict use_column\n"                                           \
    "DECLARE\n"                                                                 \
    "    pcsm_last_key \"orders\".\"id\"%TYPE;\n"                               \
    "    pcsm_batch_last pcsm_last_key%TYPE;\n"                                 \
    "    pcsm_batch_rows bigint;\n"                                             \
    "    pcsm_total bigint := 0;\n"                                             \
    "    pcsm_batches bigint := 0;\n"                                           \
    "BEGIN\n"                                                                   \
    "    LOOP\n"                                                                \
    "        IF pcsm_batches = 0 THEN\n"                                        \
    BATCH_STEP("(" where ")")                                                   \
    "        ELSE\n"                                                            \
    BATCH_STEP("(" where ") AND \"id\" > pcsm_last_key")                        \
    "        END IF;\n"                                                         \
    "        EXIT WHEN pcsm_batch_last IS NULL;\n"                              \
    "        pcsm_last_key := pcsm_batch_last;\n"                               \
    "        pcsm_batches := pcsm_batches + 1;\n"                               \
    "        pcsm_total := pcsm_total + pcsm_batch_rows;\n"                     \
    "        RAISE NOTICE 'batch_update %: batch %, % rows, % in all', '\"orders\"'," \
    " pcsm_batches, pcsm_batch_rows, pcsm_total;\n"                             \
    "    END LOOP;\n"                                                           \
    "END\n"                                                                     \
    "$pcsm$;\n"

BODY(body_batch_update,
     pcsm_batch_update(op, "orders", "id", "status = 'done'", "status = 'new'", 500))

START_TEST(test_ddl_batch_update)
{
    EXPECT_SQL(body_batch_update, BATCH_BLOCK("status = 'new'"));
}
END_TEST

BODY(body_batch_update_all_rows,
     pcsm_batch_update(op, "orders", "id", "status = 'done'", NULL, 500))

START_TEST(test_ddl_batch_update_without_where_takes_every_row)
{
    EXPECT_SQL(body_batch_update_all_rows, BATCH_BLOCK("true"));
}
END_TEST

BODY(body_batch_update_sizes,
     pcsm_batch_update(op, "it's \"t\"", "k", "v = v + 1", NULL, 1);
     pcsm_batch_update(op, "t", "k", "v = v + 1", NULL, INT_MAX))

START_TEST(test_ddl_batch_update_label_and_size_bounds)
{
    struct result r;

    render(&rev_txn, PCSM_UPGRADE, body_batch_update_sizes, &r);
    ck_assert_int_eq(r.rc, 0);
    /* The table name is quoted as an identifier, then escaped as the label literal. */
    ck_assert_ptr_nonnull(strstr(r.sql.ptr, "SELECT \"k\" AS pcsm_key FROM \"it's \"\"t\"\"\"\n"));
    ck_assert_ptr_nonnull(strstr(r.sql.ptr, "    pcsm_last_key \"it's \"\"t\"\"\".\"k\"%TYPE;\n"));
    ck_assert_ptr_nonnull(strstr(r.sql.ptr, "WHERE \"it's \"\"t\"\"\".\"k\" = batch.pcsm_key"));
    ck_assert_ptr_nonnull(strstr(r.sql.ptr, "% in all', '\"it''s \"\"t\"\"\"', pcsm_batches,"));
    ck_assert_ptr_nonnull(strstr(r.sql.ptr, "ORDER BY \"k\" LIMIT 1\n"));
    ck_assert_ptr_nonnull(strstr(r.sql.ptr, "ORDER BY \"k\" LIMIT 2147483647\n"));
    result_dispose(&r);
}
END_TEST

BODY(body_batch_update_dollar,
     pcsm_batch_update(op, "t", "id", "note = '$pcsm$'", "note IS DISTINCT FROM '$pcsm$'", 10))

START_TEST(test_ddl_batch_update_switches_dollar_tag)
{
    const char *tag_open = "DO $pcsm1$\n#variable_conflict use_column\nDECLARE\n";
    struct result r;

    render(&rev_txn, PCSM_UPGRADE, body_batch_update_dollar, &r);
    ck_assert_int_eq(r.rc, 0);
    ck_assert_msg(strncmp(r.sql.ptr, tag_open, strlen(tag_open)) == 0, "%s", esc(r.sql.ptr));
    ck_assert_ptr_nonnull(strstr(r.sql.ptr, "UPDATE \"t\" SET note = '$pcsm$' FROM batch\n"));
    ck_assert_ptr_nonnull(strstr(r.sql.ptr, "WHERE (note IS DISTINCT FROM '$pcsm$')\n"));
    ck_assert_str_eq(r.sql.ptr + r.sql.len - 14, "\nEND\n$pcsm1$;\n");
    result_dispose(&r);
}
END_TEST

BODY(body_assert,
     pcsm_assert(op, "(SELECT count(*) FROM t WHERE x IS NULL) = 0",
                 "t.x has NULLs; it's required"))

START_TEST(test_ddl_assert)
{
    EXPECT_SQL(body_assert,
               "DO $pcsm$\n"
               "BEGIN\n"
               "    IF NOT COALESCE(((SELECT count(*) FROM t WHERE x IS NULL) = 0), false) THEN\n"
               "        RAISE EXCEPTION USING ERRCODE = 'P0004',"
               " MESSAGE = 't.x has NULLs; it''s required';\n"
               "    END IF;\n"
               "END\n"
               "$pcsm$;\n");
}
END_TEST

BODY(body_assert_hostile,
     pcsm_assert(op, "note <> '$pcsm$'", "100% \\ broken: $pcsm1$ 'x'"))

START_TEST(test_ddl_assert_escapes_message_and_switches_dollar_tag)
{
    /* $pcsm$ and $pcsm1$ both occur in the body, so the tag is $pcsm2$. */
    EXPECT_SQL(body_assert_hostile,
               "DO $pcsm2$\n"
               "BEGIN\n"
               "    IF NOT COALESCE((note <> '$pcsm$'), false) THEN\n"
               "        RAISE EXCEPTION USING ERRCODE = 'P0004',"
               " MESSAGE =  E'100% \\\\ broken: $pcsm1$ ''x''';\n"
               "    END IF;\n"
               "END\n"
               "$pcsm2$;\n");
}
END_TEST

/* --------------------------------------------------- recording behaviour */

BODY(body_in_order,
     pcsm_create_table(op, "t", COLS_A, NULL, NULL);
     pcsm_execute(op, "INSERT INTO t VALUES (1)");
     pcsm_create_index(op, &(pcsm_index){ .name = "ix", .table = "t",
                                          .columns = PCSM_NAMES("a") });
     pcsm_drop_table(op, "t", 0))

START_TEST(test_ddl_ops_render_in_call_order)
{
    EXPECT_SQL(body_in_order,
               "CREATE TABLE \"t\" (\n    \"a\" integer\n);\n"
               "INSERT INTO t VALUES (1);\n"
               "CREATE INDEX \"ix\" ON \"t\" (\"a\");\n"
               "DROP TABLE \"t\";\n");
}
END_TEST

BODY(body_nothing, (void)op)

START_TEST(test_ddl_empty_upgrade_renders_nothing)
{
    static const pcsm_revision no_fn = { .id = REV_ID, .source_path = REV_PATH };
    pcsm_ctx *ctx;
    pcsm_buf sql = PCSM_BUF_INIT;

    EXPECT_SQL(body_nothing, "");
    ck_assert_int_eq(pcsm_ctx_new(&ctx, NULL, 0), 0);
    ck_assert_int_eq(pcsm_revision_sql(ctx, &no_fn, PCSM_UPGRADE, &sql), 0);
    ck_assert_int_eq(pcsm_revision_sql(ctx, &no_fn, PCSM_DOWNGRADE, &sql), 0);
    ck_assert_str_eq(sql.ptr, "");
    pcsm_ctx_free(ctx);
}
END_TEST

/*
 * The record must own everything: every string and array below is freed
 * (after being scribbled over) before upgrade() returns, so a pointer kept
 * instead of copied is a use-after-free that ASan reports.
 */
#define MAX_HEAP 128

static void *heap_blocks[MAX_HEAP];
static size_t heap_sizes[MAX_HEAP];
static size_t n_heap;

static void *track(void *p, size_t size)
{
    ck_assert_ptr_nonnull(p);
    ck_assert_uint_lt(n_heap, MAX_HEAP);
    heap_blocks[n_heap] = p;
    heap_sizes[n_heap++] = size;
    return p;
}

static char *h(const char *s)
{
    return track(strdup(s), strlen(s) + 1);
}

static const char *const *names(const char *a, const char *b)
{
    const char **list = track(calloc(3, sizeof(*list)), 3 * sizeof(*list));

    list[0] = h(a);
    list[1] = b ? h(b) : NULL;
    return list;
}

static void free_heap(void)
{
    while (n_heap) {
        n_heap--;
        memset(heap_blocks[n_heap], 0xa5, heap_sizes[n_heap]);
        free(heap_blocks[n_heap]);
    }
}

static void body_heap(pcsm_op *op)
{
    pcsm_column *cols = track(calloc(4, sizeof(*cols)), 4 * sizeof(*cols));
    pcsm_constraint *cons = track(calloc(3, sizeof(*cons)), 3 * sizeof(*cons));
    pcsm_value *params = track(calloc(2, sizeof(*params)), 2 * sizeof(*params));
    pcsm_column *col = track(calloc(1, sizeof(*col)), sizeof(*col));
    pcsm_index *ix = track(calloc(1, sizeof(*ix)), sizeof(*ix));

    cols[0] = (pcsm_column){ .name = h("id"), .type = PCSM_BIGINT, .primary_key = true };
    cols[1] = (pcsm_column){ .name = h("owner"), .type = PCSM_BIGINT, .references = h("users"),
                             .ref_column = h("id"), .check = h("owner > 0"),
                             .comment = h("who") };
    cols[2] = (pcsm_column){ .name = h("mood"), .type = PCSM_ARRAY(PCSM_NAMED_TYPE(h("mood_t"))),
                             .default_value = PCSM_LITERAL(h("{}")) };
    cons[0] = (pcsm_constraint){ .kind = PCSM_FOREIGN_KEY, .name = h("fk"),
                                 .columns = names("owner", NULL), .references = h("people"),
                                 .ref_columns = names("pid", NULL) };
    cons[1] = (pcsm_constraint){ .kind = PCSM_CHECK, .name = h("ck"), .check = h("id > 0") };
    pcsm_create_table(op, h("things"), cols, cons, h("table comment"));

    *col = (pcsm_column){ .name = h("extra"), .type = PCSM_NAMED_TYPE(h("e_t")),
                          .default_value = PCSM_EXPR(h("'x'::e_t")), .comment = h("more") };
    pcsm_add_column(op, h("things"), col);
    pcsm_alter_column_type(op, h("things"), h("extra"), PCSM_NAMED_TYPE(h("f_t")), h("extra::text::f_t"));
    pcsm_set_default(op, h("things"), h("extra"), PCSM_LITERAL(h("lit")));
    pcsm_rename_column(op, h("things"), h("extra"), h("extra2"));
    pcsm_comment_column(op, h("things"), h("extra2"), h("c2"));
    pcsm_comment_table(op, h("things"), h("t2"));

    *ix = (pcsm_index){ .name = h("ix"), .table = h("things"), .columns = names("owner", "id"),
                        .method = h("btree"), .where = h("owner IS NOT NULL") };
    pcsm_create_index(op, ix);
    *ix = (pcsm_index){ .name = h("ix2"), .table = h("things"), .expression = h("lower(mood::text)") };
    pcsm_create_index(op, ix);
    pcsm_add_constraint(op, h("things"), &(pcsm_constraint){ .kind = PCSM_UNIQUE, .name = h("u"),
                                                            .columns = names("id", "owner") });
    pcsm_drop_constraint(op, h("things"), h("u"), 0);
    pcsm_validate_constraint(op, h("things"), h("fk"));
    pcsm_drop_index(op, h("ix"), 0);
    pcsm_drop_column(op, h("things"), h("extra2"), 0);
    pcsm_drop_default(op, h("things"), h("mood"));
    pcsm_set_not_null(op, h("things"), h("mood"));
    pcsm_drop_not_null(op, h("things"), h("mood"));
    pcsm_execute(op, h("SELECT 1"));
    params[0] = PCSM_LITERAL(h("p1"));
    params[1] = PCSM_EXPR(h("2"));
    pcsm_execute_params(op, h("SELECT $1, $2"), 2, params);
    pcsm_batch_update(op, h("things"), h("id"), h("owner = 1"), h("owner IS NULL"), 7);
    pcsm_assert(op, h("true"), h("msg"));
    pcsm_rename_table(op, h("things"), h("things2"));
    pcsm_drop_table(op, h("things2"), 0);
    free_heap();
}

START_TEST(test_ddl_record_copies_caller_memory)
{
    static const char *const want_head =
        "CREATE TABLE \"things\" (\n"
        "    \"id\" bigint PRIMARY KEY,\n"
        "    \"owner\" bigint CHECK (owner > 0) REFERENCES \"users\" (\"id\"),\n"
        "    \"mood\" \"mood_t\"[] DEFAULT '{}',\n"
        "    CONSTRAINT \"fk\" FOREIGN KEY (\"owner\") REFERENCES \"people\" (\"pid\"),\n"
        "    CONSTRAINT \"ck\" CHECK (id > 0)\n"
        ");\n"
        "COMMENT ON TABLE \"things\" IS 'table comment';\n"
        "COMMENT ON COLUMN \"things\".\"owner\" IS 'who';\n"
        "ALTER TABLE \"things\" ADD COLUMN \"extra\" \"e_t\" DEFAULT 'x'::e_t;\n"
        "COMMENT ON COLUMN \"things\".\"extra\" IS 'more';\n"
        "ALTER TABLE \"things\" ALTER COLUMN \"extra\" TYPE \"f_t\" USING extra::text::f_t;\n"
        "ALTER TABLE \"things\" ALTER COLUMN \"extra\" SET DEFAULT 'lit';\n"
        "ALTER TABLE \"things\" RENAME COLUMN \"extra\" TO \"extra2\";\n"
        "COMMENT ON COLUMN \"things\".\"extra2\" IS 'c2';\n"
        "COMMENT ON TABLE \"things\" IS 't2';\n"
        "CREATE INDEX \"ix\" ON \"things\" USING btree (\"owner\", \"id\")"
        " WHERE owner IS NOT NULL;\n"
        "CREATE INDEX \"ix2\" ON \"things\" ((lower(mood::text)));\n"
        "ALTER TABLE \"things\" ADD CONSTRAINT \"u\" UNIQUE (\"id\", \"owner\");\n"
        "ALTER TABLE \"things\" DROP CONSTRAINT \"u\";\n"
        "ALTER TABLE \"things\" VALIDATE CONSTRAINT \"fk\";\n"
        "DROP INDEX \"ix\";\n"
        "ALTER TABLE \"things\" DROP COLUMN \"extra2\";\n"
        "ALTER TABLE \"things\" ALTER COLUMN \"mood\" DROP DEFAULT;\n"
        "ALTER TABLE \"things\" ALTER COLUMN \"mood\" SET NOT NULL;\n"
        "ALTER TABLE \"things\" ALTER COLUMN \"mood\" DROP NOT NULL;\n"
        "SELECT 1;\n"
        "PREPARE pcsm_stmt AS SELECT $1, $2;\n"
        "EXECUTE pcsm_stmt('p1', 2);\n"
        "DEALLOCATE pcsm_stmt;\n"
        "DO $pcsm$\n";
    struct result r;
    size_t head_len = strlen(want_head);

    render(&rev_txn, PCSM_UPGRADE, body_heap, &r);
    ck_assert_msg(r.rc == 0, "%s", r.message.ptr);
    ck_assert_ptr_eq(strchr(r.sql.ptr, '\xa5'), NULL);
    ck_assert_uint_gt(r.sql.len, head_len);
    r.sql.ptr[head_len] = '\0';
    assert_text("SQL head", r.sql.ptr, want_head);
    r.sql.ptr[head_len] = '\n';
    /* The rest, piece by piece: the batch, the assertion, the renames. */
    ck_assert_ptr_nonnull(strstr(r.sql.ptr, "SELECT \"id\" AS pcsm_key FROM \"things\"\n"
                                            "            WHERE (owner IS NULL)\n"));
    ck_assert_ptr_nonnull(strstr(r.sql.ptr, "UPDATE \"things\" SET owner = 1 FROM batch\n"));
    ck_assert_ptr_nonnull(strstr(r.sql.ptr, "ORDER BY \"id\" LIMIT 7\n"));
    ck_assert_ptr_nonnull(strstr(r.sql.ptr, "IF NOT COALESCE((true), false) THEN\n"
                                            "        RAISE EXCEPTION USING ERRCODE = 'P0004',"
                                            " MESSAGE = 'msg';\n"));
    ck_assert_str_eq(r.sql.ptr + r.sql.len - strlen("$pcsm$;\nALTER TABLE \"things\" RENAME"
                                                    " TO \"things2\";\nDROP TABLE \"things2\";\n"),
                     "$pcsm$;\nALTER TABLE \"things\" RENAME TO \"things2\";\n"
                     "DROP TABLE \"things2\";\n");
    result_dispose(&r);
}
END_TEST

/* ------------------------------------ extensions and enum types (golden) */

BODY(body_extensions,
     pcsm_create_extension(op, "citext", 0);
     pcsm_create_extension(op, "earth\"distance", PCSM_CREATE_CASCADE);
     pcsm_drop_extension(op, "citext", 0);
     pcsm_drop_extension(op, "citext", PCSM_IF_EXISTS);
     pcsm_drop_extension(op, "earth\"distance", PCSM_IF_EXISTS | PCSM_DROP_CASCADE))

START_TEST(test_ddl_extensions)
{
    /* IF NOT EXISTS always: the server may have it before any revision ran. */
    EXPECT_SQL(body_extensions,
               "CREATE EXTENSION IF NOT EXISTS \"citext\";\n"
               "CREATE EXTENSION IF NOT EXISTS \"earth\"\"distance\" CASCADE;\n"
               "DROP EXTENSION \"citext\";\n"
               "DROP EXTENSION IF EXISTS \"citext\";\n"
               "DROP EXTENSION IF EXISTS \"earth\"\"distance\" CASCADE;\n");
}
END_TEST

BODY(body_enums,
     pcsm_create_enum(op, "mood", PCSM_LABELS("sad", "ok", "it's", "back\\slash", ""));
     pcsm_create_enum(op, "My \"Type\"", PCSM_LABELS("one"));
     pcsm_add_enum_value(op, "mood", "happy", PCSM_AT_END, 0);
     pcsm_add_enum_value(op, "mood", "meh", PCSM_BEFORE_LABEL("ok"), 0);
     pcsm_add_enum_value(op, "mood", "glad", PCSM_AFTER_LABEL("it's"), PCSM_IF_NOT_EXISTS);
     pcsm_add_enum_value(op, "mood", "x", PCSM_AT_END, PCSM_IF_NOT_EXISTS);
     pcsm_rename_enum_value(op, "mood", "sad", "blue 'ish'");
     pcsm_drop_type(op, "mood", 0);
     pcsm_drop_type(op, "mood", PCSM_IF_EXISTS);
     pcsm_drop_type(op, "My \"Type\"", PCSM_IF_EXISTS | PCSM_DROP_CASCADE))

START_TEST(test_ddl_enum_types)
{
    EXPECT_SQL(body_enums,
               "CREATE TYPE \"mood\" AS ENUM ('sad', 'ok', 'it''s',  E'back\\\\slash', '');\n"
               "CREATE TYPE \"My \"\"Type\"\"\" AS ENUM ('one');\n"
               "ALTER TYPE \"mood\" ADD VALUE 'happy';\n"
               "ALTER TYPE \"mood\" ADD VALUE 'meh' BEFORE 'ok';\n"
               "ALTER TYPE \"mood\" ADD VALUE IF NOT EXISTS 'glad' AFTER 'it''s';\n"
               "ALTER TYPE \"mood\" ADD VALUE IF NOT EXISTS 'x';\n"
               "ALTER TYPE \"mood\" RENAME VALUE 'sad' TO 'blue ''ish''';\n"
               "DROP TYPE \"mood\";\n"
               "DROP TYPE IF EXISTS \"mood\";\n"
               "DROP TYPE IF EXISTS \"My \"\"Type\"\"\" CASCADE;\n");
}
END_TEST

BODY(body_recreate_enum,
     pcsm_recreate_enum(op, "mood", PCSM_LABELS("ok", "it's"), PCSM_ENUM_COLUMNS(
         { .table = "kids", .column = "mood", .default_value = PCSM_LITERAL("ok") },
         { .table = "My \"T\"", .column = "moods", .array = true },
         { .table = "kids", .column = "was", .default_value = PCSM_LITERAL("it's") }));
     pcsm_set_schema(op, "billing");
     pcsm_recreate_enum(op, "state", PCSM_LABELS("paid"), NULL))

/* The old type aside, the new one made, a table's columns through text at once, defaults after. */
START_TEST(test_ddl_recreate_enum)
{
    EXPECT_SQL(body_recreate_enum,
               "ALTER TYPE \"mood\" RENAME TO \"pcsm_enum_old\";\n"
               "CREATE TYPE \"mood\" AS ENUM ('ok', 'it''s');\n"
               "ALTER TABLE \"kids\" ALTER COLUMN \"mood\" DROP DEFAULT, ALTER COLUMN \"mood\" "
               "TYPE \"mood\" USING \"mood\"::text::\"mood\", ALTER COLUMN \"was\" DROP DEFAULT, "
               "ALTER COLUMN \"was\" TYPE \"mood\" USING \"was\"::text::\"mood\";\n"
               "ALTER TABLE \"kids\" ALTER COLUMN \"mood\" SET DEFAULT 'ok', ALTER COLUMN \"was\" "
               "SET DEFAULT 'it''s';\n"
               "ALTER TABLE \"My \"\"T\"\"\" ALTER COLUMN \"moods\" DROP DEFAULT, ALTER COLUMN "
               "\"moods\" TYPE \"mood\"[] USING \"moods\"::text[]::\"mood\"[];\n"
               "DROP TYPE \"pcsm_enum_old\";\n"
               "ALTER TYPE \"billing\".\"state\" RENAME TO \"pcsm_enum_old\";\n"
               "CREATE TYPE \"billing\".\"state\" AS ENUM ('paid');\n"
               "DROP TYPE \"billing\".\"pcsm_enum_old\";\n");
}
END_TEST

/* ------------------------ identity, generated, collation, sequences (golden) */

BODY(body_columns_breadth,
     pcsm_create_table(op, "t", PCSM_COLUMNS(
         { .name = "id", .type = PCSM_BIGINT, .identity = PCSM_IDENTITY_ALWAYS,
           .primary_key = true },
         { .name = "n", .type = PCSM_INTEGER, .identity = PCSM_IDENTITY_BY_DEFAULT,
           .identity_options = { .increment = -2, .start = PCSM_SEQ_VALUE(-10), .cache = 5,
                                 .cycle = PCSM_CYCLE } },
         { .name = "name", .type = PCSM_TEXT, .collation = "C" },
         { .name = "twice", .type = PCSM_INTEGER, .generated = "n * 2" }), NULL, NULL);
     pcsm_add_column(op, "t", &(pcsm_column){ .name = "w", .type = PCSM_VARCHAR(8),
                                              .collation = "en\"x", .not_null = true });
     pcsm_alter_column_type_collate(op, "t", "name", PCSM_VARCHAR(20), "POSIX", NULL);
     pcsm_alter_column_type(op, "t", "w", PCSM_TEXT, NULL);
     pcsm_add_identity(op, "u", "id", PCSM_IDENTITY_BY_DEFAULT, NULL);
     pcsm_add_identity(op, "u", "id", PCSM_IDENTITY_ALWAYS,
                       &(pcsm_sequence_options){ .minvalue = PCSM_SEQ_VALUE(0) });
     pcsm_drop_identity(op, "u", "id", 0);
     pcsm_drop_identity(op, "u", "id", PCSM_IF_EXISTS))

START_TEST(test_ddl_identity_generated_collation)
{
    EXPECT_SQL(body_columns_breadth,
               "CREATE TABLE \"t\" (\n"
               "    \"id\" bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,\n"
               "    \"n\" integer GENERATED BY DEFAULT AS IDENTITY (INCREMENT BY -2 "
               "START WITH -10 CACHE 5 CYCLE),\n"
               "    \"name\" text COLLATE \"C\",\n"
               "    \"twice\" integer GENERATED ALWAYS AS (n * 2) STORED\n"
               ");\n"
               "ALTER TABLE \"t\" ADD COLUMN \"w\" varchar(8) COLLATE \"en\"\"x\" NOT NULL;\n"
               "ALTER TABLE \"t\" ALTER COLUMN \"name\" TYPE varchar(20) COLLATE \"POSIX\";\n"
               "ALTER TABLE \"t\" ALTER COLUMN \"w\" TYPE text;\n"
               "ALTER TABLE \"u\" ALTER COLUMN \"id\" ADD GENERATED BY DEFAULT AS IDENTITY;\n"
               "ALTER TABLE \"u\" ALTER COLUMN \"id\" ADD GENERATED ALWAYS AS IDENTITY "
               "(MINVALUE 0);\n"
               "ALTER TABLE \"u\" ALTER COLUMN \"id\" DROP IDENTITY;\n"
               "ALTER TABLE \"u\" ALTER COLUMN \"id\" DROP IDENTITY IF EXISTS;\n");
}
END_TEST

BODY(body_sequences,
     pcsm_create_sequence(op, "s", NULL, NULL, NULL);
     pcsm_create_sequence(op, "Odd \"one\"", &(pcsm_sequence_options){
         .as = PCSM_SMALLINT, .increment = 3, .minvalue = PCSM_SEQ_VALUE(-5),
         .maxvalue = PCSM_SEQ_VALUE(500), .start = PCSM_SEQ_VALUE(0), .cache = 20,
         .cycle = PCSM_CYCLE }, "t", "n");
     pcsm_alter_sequence(op, "s", &(pcsm_sequence_options){
         .as = PCSM_INTEGER, .restart = PCSM_SEQ_VALUE(100), .cycle = PCSM_NO_CYCLE });
     pcsm_set_sequence_owner(op, "s", "t", "id");
     pcsm_set_sequence_owner(op, "s", NULL, NULL);
     pcsm_rename_sequence(op, "s", "s2");
     pcsm_drop_sequence(op, "s2", 0);
     pcsm_drop_sequence(op, "s2", PCSM_IF_EXISTS | PCSM_DROP_CASCADE))

START_TEST(test_ddl_sequences)
{
    EXPECT_SQL(body_sequences,
               "CREATE SEQUENCE \"s\";\n"
               "CREATE SEQUENCE \"Odd \"\"one\"\"\" AS smallint INCREMENT BY 3 MINVALUE -5 "
               "MAXVALUE 500 START WITH 0 CACHE 20 CYCLE OWNED BY \"t\".\"n\";\n"
               "ALTER SEQUENCE \"s\" AS integer RESTART WITH 100 NO CYCLE;\n"
               "ALTER SEQUENCE \"s\" OWNED BY \"t\".\"id\";\n"
               "ALTER SEQUENCE \"s\" OWNED BY NONE;\n"
               "ALTER SEQUENCE \"s\" RENAME TO \"s2\";\n"
               "DROP SEQUENCE \"s2\";\n"
               "DROP SEQUENCE IF EXISTS \"s2\" CASCADE;\n");
}
END_TEST

/* ------------------------------------------------ views and materialized views (golden) */

BODY(body_views,
     pcsm_create_view(op, &(pcsm_view){
         .name = "active", .query = "SELECT id, name FROM t WHERE active;",
         .reads = PCSM_NAMES("t") });
     pcsm_create_view(op, &(pcsm_view){
         .name = "Odd \"v\"", .columns = PCSM_NAMES("a", "B c"),
         .query = "SELECT 1, 'x' -- a comment", .or_replace = true });
     pcsm_rename_view(op, "active", "live");
     pcsm_drop_view(op, "live", 0);
     pcsm_drop_view(op, "live", PCSM_IF_EXISTS | PCSM_DROP_CASCADE);
     pcsm_create_materialized_view(op, &(pcsm_view){
         .name = "totals", .columns = PCSM_NAMES("k", "n"),
         .query = "SELECT k, count(*) FROM t GROUP BY k", .reads = PCSM_NAMES("t") });
     pcsm_create_materialized_view(op, &(pcsm_view){
         .name = "later", .query = "SELECT 1 AS one -- c\n", .no_data = true });
     pcsm_refresh_materialized_view(op, "totals", 0);
     pcsm_refresh_materialized_view(op, "totals", PCSM_REFRESH_CONCURRENTLY);
     pcsm_refresh_materialized_view(op, "totals", PCSM_REFRESH_NO_DATA);
     pcsm_rename_materialized_view(op, "totals", "sums");
     pcsm_drop_materialized_view(op, "sums", 0);
     pcsm_drop_materialized_view(op, "later", PCSM_IF_EXISTS | PCSM_DROP_CASCADE))

START_TEST(test_ddl_views)
{
    EXPECT_SQL(body_views,
               "CREATE VIEW \"active\" AS\n"
               "SELECT id, name FROM t WHERE active;\n"
               "CREATE OR REPLACE VIEW \"Odd \"\"v\"\"\" (\"a\", \"B c\") AS\n"
               "SELECT 1, 'x' -- a comment\n"
               ";\n"
               "ALTER VIEW \"active\" RENAME TO \"live\";\n"
               "DROP VIEW \"live\";\n"
               "DROP VIEW IF EXISTS \"live\" CASCADE;\n"
               "CREATE MATERIALIZED VIEW \"totals\" (\"k\", \"n\") AS\n"
               "SELECT k, count(*) FROM t GROUP BY k\n"
               "WITH DATA;\n"
               "CREATE MATERIALIZED VIEW \"later\" AS\n"
               "SELECT 1 AS one -- c\n"
               "WITH NO DATA;\n"
               "REFRESH MATERIALIZED VIEW \"totals\";\n"
               "REFRESH MATERIALIZED VIEW CONCURRENTLY \"totals\";\n"
               "REFRESH MATERIALIZED VIEW \"totals\" WITH NO DATA;\n"
               "ALTER MATERIALIZED VIEW \"totals\" RENAME TO \"sums\";\n"
               "DROP MATERIALIZED VIEW \"sums\";\n"
               "DROP MATERIALIZED VIEW IF EXISTS \"later\" CASCADE;\n");
}
END_TEST

/* The recorded operation keeps what was given, copied; absent lists stay NULL. */
START_TEST(test_ddl_view_recorded)
{
    pcsm_op *op = pcsm_op__new(NULL, PCSM_UPGRADE);
    char query[] = "SELECT 1";
    const struct pcsm_ddl_op *o;

    pcsm_create_view(op, &(pcsm_view){ .name = "v", .query = query });
    query[0] = 'X';
    ck_assert_ptr_null(pcsm_op__failure(op));
    o = pcsm_op__at(op, 0);
    ck_assert_int_eq(o->kind, PCSM_OP_CREATE_VIEW);
    ck_assert_str_eq(o->u.create_view.view.query, "SELECT 1");
    ck_assert_ptr_null(o->u.create_view.view.columns);
    ck_assert_ptr_null(o->u.create_view.view.reads);
    ck_assert_str_eq(pcsm_op__kind_name(o->kind), "create_view");
    ck_assert_str_eq(pcsm_op__subject(o), "v");
    pcsm_refresh_materialized_view(op, "m", PCSM_REFRESH_CONCURRENTLY);
    o = pcsm_op__at(op, 1);
    ck_assert_str_eq(pcsm_op__kind_name(o->kind), "refresh_materialized_view");
    ck_assert_str_eq(pcsm_op__subject(o), "m");
    ck_assert_uint_eq(o->u.refresh_materialized_view.flags, PCSM_REFRESH_CONCURRENTLY);
    pcsm_op__free(op);
}
END_TEST

/* ------------------------------------- functions and triggers (golden) */

/* The PCS revision's function, which must render as its raw SQL did. */
BODY(body_function_pcs,
     pcsm_create_function(op, &(pcsm_function){
         .name = "pcs_set_updated_at", .arguments = "", .returns = "trigger",
         .language = "plpgsql",
         .body = "BEGIN\n    NEW.\"updated_at\" := now();\n    RETURN NEW;\nEND\n" }))

BODY(body_functions,
     pcsm_create_function(op, &(pcsm_function){
         .name = "add", .arguments = "a integer, b integer DEFAULT 1", .returns = "integer",
         .language = "sql", .body = "SELECT a + b", .volatility = PCSM_IMMUTABLE,
         .strict = true });
     pcsm_create_function(op, &(pcsm_function){
         .name = "Now \"ish\"", .returns = "SETOF timestamptz", .language = "sql",
         .body = "SELECT now()\n", .volatility = PCSM_STABLE, .security_definer = true,
         .or_replace = true });
     pcsm_create_function(op, &(pcsm_function){
         .name = "dollars", .arguments = "", .returns = "text", .language = "sql",
         .body = "SELECT $$a$$ || $pcsm$b$pcsm$", .volatility = PCSM_VOLATILE });
     pcsm_create_function(op, &(pcsm_function){
         .name = "ends", .returns = "text", .language = "sql", .body = "SELECT '$'" });
     pcsm_drop_function(op, "add", "a integer, b integer", 0);
     pcsm_drop_function(op, "add", "integer, integer", PCSM_IF_EXISTS | PCSM_DROP_CASCADE);
     pcsm_drop_function(op, "Now \"ish\"", "", PCSM_DROP_CASCADE);
     pcsm_drop_function(op, "dollars", NULL, PCSM_IF_EXISTS))

START_TEST(test_ddl_functions)
{
    EXPECT_SQL(body_function_pcs,
               "CREATE FUNCTION \"pcs_set_updated_at\"() RETURNS trigger\n"
               "LANGUAGE plpgsql AS $$\n"
               "BEGIN\n"
               "    NEW.\"updated_at\" := now();\n"
               "    RETURN NEW;\n"
               "END\n"
               "$$;\n");
    /*
     * The body on lines of its own, a newline added only where missing;
     * $$ unless the body holds it, and then pcsm_sql__dollar_quote's tag.
     * A body ending in '$' would run into a $$: the next tag.
     */
    EXPECT_SQL(body_functions,
               "CREATE FUNCTION \"add\"(a integer, b integer DEFAULT 1) RETURNS integer\n"
               "LANGUAGE sql IMMUTABLE STRICT AS $$\nSELECT a + b\n$$;\n"
               "CREATE OR REPLACE FUNCTION \"Now \"\"ish\"\"\"() RETURNS SETOF timestamptz\n"
               "LANGUAGE sql STABLE SECURITY DEFINER AS $$\nSELECT now()\n$$;\n"
               "CREATE FUNCTION \"dollars\"() RETURNS text\n"
               "LANGUAGE sql VOLATILE AS $pcsm1$\nSELECT $$a$$ || $pcsm$b$pcsm$\n$pcsm1$;\n"
               "CREATE FUNCTION \"ends\"() RETURNS text\n"
               "LANGUAGE sql AS $$\nSELECT '$'\n$$;\n"
               "DROP FUNCTION \"add\"(a integer, b integer);\n"
               "DROP FUNCTION IF EXISTS \"add\"(integer, integer) CASCADE;\n"
               "DROP FUNCTION \"Now \"\"ish\"\"\"() CASCADE;\n"
               "DROP FUNCTION IF EXISTS \"dollars\";\n");
}
END_TEST

BODY(body_function_tail_dollar,
     pcsm_create_function(op, &(pcsm_function){
         .name = "f", .returns = "text", .language = "sql", .body = "SELECT 'x$'\n--$" }))

START_TEST(test_ddl_function_body_end_cannot_close_the_quote)
{
    /* "--$" then the added newline then "$$": no "$$" is formed early. */
    EXPECT_SQL(body_function_tail_dollar,
               "CREATE FUNCTION \"f\"() RETURNS text\n"
               "LANGUAGE sql AS $$\nSELECT 'x$'\n--$\n$$;\n");
}
END_TEST

BODY(body_triggers,
     pcsm_create_trigger(op, &(pcsm_trigger){
         .name = "contexts_set_updated_at", .table = "contexts", .timing = PCSM_BEFORE,
         .events = PCSM_ON_UPDATE, .for_each_row = true, .function = "pcs_set_updated_at" });
     pcsm_create_trigger(op, &(pcsm_trigger){
         .name = "audit", .table = "My \"T\"", .timing = PCSM_AFTER,
         .events = PCSM_ON_DELETE | PCSM_ON_INSERT | PCSM_ON_UPDATE,
         .for_each_row = true, .function = "log_it",
         .when = "OLD.* IS DISTINCT FROM NEW.*" });
     pcsm_create_trigger(op, &(pcsm_trigger){
         .name = "truncated", .table = "t", .timing = PCSM_AFTER,
         .events = PCSM_ON_TRUNCATE | PCSM_ON_INSERT, .function = "f" });
     pcsm_create_trigger(op, &(pcsm_trigger){
         .name = "v_ins", .table = "v", .timing = PCSM_INSTEAD_OF,
         .events = PCSM_ON_INSERT, .for_each_row = true, .function = "f" });
     pcsm_set_trigger_firing(op, "My \"T\"", "audit", PCSM_TRIGGER_DISABLE);
     pcsm_set_trigger_firing(op, "contexts", "contexts_set_updated_at",
                             PCSM_TRIGGER_ENABLE_REPLICA);
     pcsm_set_trigger_firing(op, "t", "truncated", PCSM_TRIGGER_ENABLE_ALWAYS);
     pcsm_set_trigger_firing(op, "My \"T\"", "audit", PCSM_TRIGGER_ENABLE);
     pcsm_drop_trigger(op, "contexts", "contexts_set_updated_at", 0);
     pcsm_drop_trigger(op, "My \"T\"", "audit", PCSM_IF_EXISTS);
     pcsm_drop_trigger(op, "t", "truncated", PCSM_IF_EXISTS | PCSM_DROP_CASCADE))

START_TEST(test_ddl_triggers)
{
    EXPECT_SQL(body_triggers,
               "CREATE TRIGGER \"contexts_set_updated_at\" BEFORE UPDATE ON \"contexts\"\n"
               "FOR EACH ROW EXECUTE FUNCTION \"pcs_set_updated_at\"();\n"
               "CREATE TRIGGER \"audit\" AFTER INSERT OR UPDATE OR DELETE ON \"My \"\"T\"\"\"\n"
               "FOR EACH ROW WHEN (OLD.* IS DISTINCT FROM NEW.*) EXECUTE FUNCTION \"log_it\"();\n"
               "CREATE TRIGGER \"truncated\" AFTER INSERT OR TRUNCATE ON \"t\"\n"
               "FOR EACH STATEMENT EXECUTE FUNCTION \"f\"();\n"
               "CREATE TRIGGER \"v_ins\" INSTEAD OF INSERT ON \"v\"\n"
               "FOR EACH ROW EXECUTE FUNCTION \"f\"();\n"
               "ALTER TABLE \"My \"\"T\"\"\" DISABLE TRIGGER \"audit\";\n"
               "ALTER TABLE \"contexts\" ENABLE REPLICA TRIGGER \"contexts_set_updated_at\";\n"
               "ALTER TABLE \"t\" ENABLE ALWAYS TRIGGER \"truncated\";\n"
               "ALTER TABLE \"My \"\"T\"\"\" ENABLE TRIGGER \"audit\";\n"
               "DROP TRIGGER \"contexts_set_updated_at\" ON \"contexts\";\n"
               "DROP TRIGGER IF EXISTS \"audit\" ON \"My \"\"T\"\"\";\n"
               "DROP TRIGGER IF EXISTS \"truncated\" ON \"t\" CASCADE;\n");
}
END_TEST

BODY(body_policies,
     pcsm_set_row_security(op, "docs", PCSM_ROW_SECURITY_ENABLE);
     pcsm_set_row_security(op, "docs", PCSM_ROW_SECURITY_FORCE);
     pcsm_create_policy(op, &(pcsm_policy){ .name = "everyone", .table = "docs",
                                            .using = "published" });
     pcsm_create_policy(op, &(pcsm_policy){
         .name = "own \"rows\"", .table = "docs", .command = PCSM_POLICY_UPDATE,
         .restrictive = true, .roles = PCSM_NAMES("app", "Auditor"),
         .using = "owner = current_user", .with_check = "owner = current_user" });
     pcsm_create_policy(op, &(pcsm_policy){ .name = "add", .table = "docs",
                                            .command = PCSM_POLICY_INSERT,
                                            .roles = PCSM_NAMES("PUBLIC"),
                                            .with_check = "length(body) < 100" });
     pcsm_create_policy(op, &(pcsm_policy){ .name = "none", .table = "docs",
                                            .command = PCSM_POLICY_DELETE });
     pcsm_drop_policy(op, "docs", "everyone", 0);
     pcsm_drop_policy(op, "docs", "gone", PCSM_IF_EXISTS);
     pcsm_set_row_security(op, "docs", PCSM_ROW_SECURITY_NO_FORCE);
     pcsm_set_row_security(op, "docs", PCSM_ROW_SECURITY_DISABLE))

START_TEST(test_ddl_policies)
{
    EXPECT_SQL(body_policies,
               "ALTER TABLE \"docs\" ENABLE ROW LEVEL SECURITY;\n"
               "ALTER TABLE \"docs\" FORCE ROW LEVEL SECURITY;\n"
               "CREATE POLICY \"everyone\" ON \"docs\"\n"
               "AS PERMISSIVE FOR ALL TO PUBLIC\n"
               "USING (published);\n"
               "CREATE POLICY \"own \"\"rows\"\"\" ON \"docs\"\n"
               "AS RESTRICTIVE FOR UPDATE TO \"app\", \"Auditor\"\n"
               "USING (owner = current_user)\n"
               "WITH CHECK (owner = current_user);\n"
               "CREATE POLICY \"add\" ON \"docs\"\n"
               "AS PERMISSIVE FOR INSERT TO PUBLIC\n"
               "WITH CHECK (length(body) < 100);\n"
               "CREATE POLICY \"none\" ON \"docs\"\n"
               "AS PERMISSIVE FOR DELETE TO PUBLIC;\n"
               "DROP POLICY \"everyone\" ON \"docs\";\n"
               "DROP POLICY IF EXISTS \"gone\" ON \"docs\";\n"
               "ALTER TABLE \"docs\" NO FORCE ROW LEVEL SECURITY;\n"
               "ALTER TABLE \"docs\" DISABLE ROW LEVEL SECURITY;\n");
}
END_TEST

BODY(e_policy_null, pcsm_create_policy(op, NULL))
BODY(e_policy_name_missing, pcsm_create_policy(op, &(pcsm_policy){ .table = "t" }))
BODY(e_policy_table_missing, pcsm_create_policy(op, &(pcsm_policy){ .name = "p" }))
BODY(e_policy_using_blank, pcsm_create_policy(op, &(pcsm_policy){
         .name = "p", .table = "t", .using = " ;" }))
BODY(e_policy_check_bad_utf8, pcsm_create_policy(op, &(pcsm_policy){
         .name = "p", .table = "t", .with_check = "a = '\xc0\x80'" }))
BODY(e_policy_command_unknown, pcsm_create_policy(op, &(pcsm_policy){
         .name = "p", .table = "t", .command = (enum pcsm_policy_command)9 }))
BODY(e_policy_roles_empty, pcsm_create_policy(op, &(pcsm_policy){
         .name = "p", .table = "t", .roles = (const char *const[]){ NULL } }))
BODY(e_policy_role_blank, pcsm_create_policy(op, &(pcsm_policy){
         .name = "p", .table = "t", .roles = PCSM_NAMES("app", "") }))
BODY(e_policy_role_current_user, pcsm_create_policy(op, &(pcsm_policy){
         .name = "p", .table = "t", .roles = PCSM_NAMES("CURRENT_USER") }))
BODY(e_policy_role_session_user, pcsm_create_policy(op, &(pcsm_policy){
         .name = "p", .table = "t", .roles = PCSM_NAMES("app", "session_user") }))
BODY(e_policy_public_and_more, pcsm_create_policy(op, &(pcsm_policy){
         .name = "p", .table = "t", .roles = PCSM_NAMES("app", "public") }))
BODY(e_policy_insert_using, pcsm_create_policy(op, &(pcsm_policy){
         .name = "p", .table = "t", .command = PCSM_POLICY_INSERT, .using = "true" }))
BODY(e_policy_select_check, pcsm_create_policy(op, &(pcsm_policy){
         .name = "p", .table = "t", .command = PCSM_POLICY_SELECT, .with_check = "true" }))
BODY(e_policy_delete_check, pcsm_create_policy(op, &(pcsm_policy){
         .name = "p", .table = "t", .command = PCSM_POLICY_DELETE, .with_check = "true" }))
BODY(e_drop_policy_table_missing, pcsm_drop_policy(op, NULL, "p", 0))
BODY(e_drop_policy_name_missing, pcsm_drop_policy(op, "t", NULL, 0))
BODY(e_drop_policy_cascade, pcsm_drop_policy(op, "t", "p", PCSM_DROP_CASCADE))
BODY(e_row_security_none, pcsm_set_row_security(op, "t", PCSM_ROW_SECURITY_NONE))
BODY(e_row_security_unknown, pcsm_set_row_security(op, "t", (enum pcsm_row_security)5))
BODY(e_row_security_table_missing, pcsm_set_row_security(op, NULL, PCSM_ROW_SECURITY_ENABLE))

static const struct error_case policy_cases[] = {
    ERROR_CASE(e_policy_null, "create_policy: no policy given"),
    ERROR_CASE(e_policy_name_missing, "create_policy: policy name is missing"),
    ERROR_CASE(e_policy_table_missing, "create_policy \"p\": table name is missing"),
    ERROR_CASE(e_policy_using_blank, "create_policy \"p\": USING condition is empty"),
    ERROR_CASE(e_policy_check_bad_utf8,
               "create_policy \"p\": WITH CHECK condition is not valid UTF-8"),
    ERROR_CASE(e_policy_command_unknown, "create_policy \"p\": unknown command 9"
               " (PCSM_POLICY_ALL, _SELECT, _INSERT, _UPDATE or _DELETE)"),
    ERROR_CASE(e_policy_roles_empty,
               "create_policy \"p\": roles is an empty list (NULL means PUBLIC)"),
    ERROR_CASE(e_policy_role_blank, "create_policy \"p\": role name is empty"),
    ERROR_CASE(e_policy_role_current_user, "create_policy \"p\": role CURRENT_USER names"
               " whoever runs the migration: name the role"),
    ERROR_CASE(e_policy_role_session_user, "create_policy \"p\": role session_user names"
               " whoever runs the migration: name the role"),
    ERROR_CASE(e_policy_public_and_more,
               "create_policy \"p\": public is every role: name it alone, or not at all"),
    ERROR_CASE(e_policy_insert_using,
               "create_policy \"p\": an INSERT policy takes WITH CHECK only, not USING"),
    ERROR_CASE(e_policy_select_check,
               "create_policy \"p\": a SELECT policy takes USING only, not WITH CHECK"),
    ERROR_CASE(e_policy_delete_check,
               "create_policy \"p\": a DELETE policy takes USING only, not WITH CHECK"),
    ERROR_CASE(e_drop_policy_table_missing, "drop_policy \"p\": table name is missing"),
    ERROR_CASE(e_drop_policy_name_missing, "drop_policy: policy name is missing"),
    ERROR_CASE(e_drop_policy_cascade, "drop_policy \"p\": unsupported flags 0x2"),
    ERROR_CASE(e_row_security_none, "set_row_security \"t\": unknown setting 0"
               " (PCSM_ROW_SECURITY_ENABLE, _DISABLE, _FORCE or _NO_FORCE)"),
    ERROR_CASE(e_row_security_unknown, "set_row_security \"t\": unknown setting 5"
               " (PCSM_ROW_SECURITY_ENABLE, _DISABLE, _FORCE or _NO_FORCE)"),
    ERROR_CASE(e_row_security_table_missing, "set_row_security: table name is missing"),
};

START_TEST(test_ddl_error_policies)
{
    run_error_case(&policy_cases[_i]);
}
END_TEST

BODY(body_privileges,
     pcsm_grant(op, &(pcsm_privileges){ .on = PCSM_PRIVILEGE_TABLE, .name = "items",
                                        .privileges = PCSM_PRIV_SELECT | PCSM_PRIV_INSERT,
                                        .roles = PCSM_NAMES("reader", "Odd \"One\"") });
     pcsm_grant(op, &(pcsm_privileges){ .on = PCSM_PRIVILEGE_TABLE, .name = "items",
                                        .privileges = PCSM_PRIV_ALL,
                                        .roles = PCSM_NAMES("owner2"), .grant_option = true });
     pcsm_grant(op, &(pcsm_privileges){ .on = PCSM_PRIVILEGE_TABLE, .name = "items",
                                        .columns = PCSM_NAMES("name", "price"),
                                        .privileges = PCSM_PRIV_SELECT | PCSM_PRIV_UPDATE,
                                        .roles = PCSM_NAMES("public") });
     pcsm_revoke(op, &(pcsm_privileges){ .on = PCSM_PRIVILEGE_TABLE, .name = "items",
                                         .privileges = PCSM_PRIV_INSERT,
                                         .roles = PCSM_NAMES("owner2"), .grant_option = true });
     pcsm_set_schema(op, "billing");
     pcsm_grant(op, &(pcsm_privileges){ .on = PCSM_PRIVILEGE_SEQUENCE, .name = "numbers",
                                        .privileges = PCSM_PRIV_USAGE,
                                        .roles = PCSM_NAMES("reader") });
     pcsm_revoke(op, &(pcsm_privileges){ .on = PCSM_PRIVILEGE_FUNCTION, .name = "twice",
                                         .arguments = "integer",
                                         .privileges = PCSM_PRIV_EXECUTE,
                                         .roles = PCSM_NAMES("PUBLIC") });
     pcsm_grant(op, &(pcsm_privileges){ .on = PCSM_PRIVILEGE_TYPE, .name = "mood",
                                        .privileges = PCSM_PRIV_ALL,
                                        .roles = PCSM_NAMES("reader") });
     pcsm_grant_default(op, &(pcsm_default_privileges){
         .on = PCSM_PRIVILEGE_TABLE, .privileges = PCSM_PRIV_SELECT,
         .roles = PCSM_NAMES("reader"), .in_schema = true, .for_role = "app" });
     pcsm_set_schema(op, NULL);
     pcsm_grant_default(op, &(pcsm_default_privileges){
         .on = PCSM_PRIVILEGE_SEQUENCE, .privileges = PCSM_PRIV_ALL,
         .roles = PCSM_NAMES("reader"), .grant_option = true });
     pcsm_revoke_default(op, &(pcsm_default_privileges){
         .on = PCSM_PRIVILEGE_FUNCTION, .privileges = PCSM_PRIV_EXECUTE,
         .roles = PCSM_NAMES("public") });
     pcsm_grant_default(op, &(pcsm_default_privileges){
         .on = PCSM_PRIVILEGE_TYPE, .privileges = PCSM_PRIV_USAGE,
         .roles = PCSM_NAMES("50% 'off'"), .in_schema = true }))

START_TEST(test_ddl_privileges)
{
    EXPECT_SQL(body_privileges,
               "GRANT SELECT, INSERT ON TABLE \"items\" TO \"reader\", \"Odd \"\"One\"\"\";\n"
               "GRANT ALL ON TABLE \"items\" TO \"owner2\" WITH GRANT OPTION;\n"
               "GRANT SELECT (\"name\", \"price\"), UPDATE (\"name\", \"price\") "
               "ON TABLE \"items\" TO PUBLIC;\n"
               "REVOKE GRANT OPTION FOR INSERT ON TABLE \"items\" FROM \"owner2\";\n"
               "GRANT USAGE ON SEQUENCE \"billing\".\"numbers\" TO \"reader\";\n"
               "REVOKE EXECUTE ON FUNCTION \"billing\".\"twice\"(integer) FROM PUBLIC;\n"
               "GRANT USAGE ON TYPE \"billing\".\"mood\" TO \"reader\";\n"
               "ALTER DEFAULT PRIVILEGES FOR ROLE \"app\" IN SCHEMA \"billing\" "
               "GRANT SELECT ON TABLES TO \"reader\";\n"
               "ALTER DEFAULT PRIVILEGES GRANT ALL ON SEQUENCES TO \"reader\" "
               "WITH GRANT OPTION;\n"
               "ALTER DEFAULT PRIVILEGES REVOKE EXECUTE ON FUNCTIONS FROM PUBLIC;\n"
               /* The target schema's name is the runner's: current_schema(). */
               "DO 'BEGIN EXECUTE format(''ALTER DEFAULT PRIVILEGES IN SCHEMA %I GRANT "
               "USAGE ON TYPES TO \"50%% ''''off''''\"'', current_schema()); END';\n");
}
END_TEST

BODY(e_grant_null, pcsm_grant(op, NULL))
BODY(e_grant_name_missing, pcsm_grant(op, &(pcsm_privileges){
         .on = PCSM_PRIVILEGE_TABLE, .privileges = PCSM_PRIV_SELECT,
         .roles = PCSM_NAMES("r") }))
BODY(e_grant_kind_unknown, pcsm_grant(op, &(pcsm_privileges){
         .name = "t", .privileges = PCSM_PRIV_SELECT, .roles = PCSM_NAMES("r") }))
BODY(e_grant_nothing, pcsm_revoke(op, &(pcsm_privileges){
         .on = PCSM_PRIVILEGE_TABLE, .name = "t", .roles = PCSM_NAMES("r") }))
BODY(e_grant_execute_on_table, pcsm_grant(op, &(pcsm_privileges){
         .on = PCSM_PRIVILEGE_TABLE, .name = "t",
         .privileges = PCSM_PRIV_SELECT | PCSM_PRIV_EXECUTE, .roles = PCSM_NAMES("r") }))
BODY(e_grant_delete_on_column, pcsm_grant(op, &(pcsm_privileges){
         .on = PCSM_PRIVILEGE_TABLE, .name = "t", .columns = PCSM_NAMES("a"),
         .privileges = PCSM_PRIV_DELETE, .roles = PCSM_NAMES("r") }))
BODY(e_grant_unknown_bit, pcsm_grant(op, &(pcsm_privileges){
         .on = PCSM_PRIVILEGE_TYPE, .name = "t", .privileges = 1u << 20,
         .roles = PCSM_NAMES("r") }))
BODY(e_grant_no_roles, pcsm_grant(op, &(pcsm_privileges){
         .on = PCSM_PRIVILEGE_TABLE, .name = "t", .privileges = PCSM_PRIV_SELECT }))
BODY(e_grant_current_user, pcsm_grant(op, &(pcsm_privileges){
         .on = PCSM_PRIVILEGE_TABLE, .name = "t", .privileges = PCSM_PRIV_SELECT,
         .roles = PCSM_NAMES("r", "current_role") }))
BODY(e_grant_columns_of_sequence, pcsm_grant(op, &(pcsm_privileges){
         .on = PCSM_PRIVILEGE_SEQUENCE, .name = "s", .columns = PCSM_NAMES("a"),
         .privileges = PCSM_PRIV_SELECT, .roles = PCSM_NAMES("r") }))
BODY(e_grant_column_blank, pcsm_grant(op, &(pcsm_privileges){
         .on = PCSM_PRIVILEGE_TABLE, .name = "t", .columns = PCSM_NAMES("a", ""),
         .privileges = PCSM_PRIV_SELECT, .roles = PCSM_NAMES("r") }))
BODY(e_grant_arguments_of_table, pcsm_grant(op, &(pcsm_privileges){
         .on = PCSM_PRIVILEGE_TABLE, .name = "t", .arguments = "integer",
         .privileges = PCSM_PRIV_SELECT, .roles = PCSM_NAMES("r") }))
BODY(e_default_null, pcsm_grant_default(op, NULL))
BODY(e_default_usage_on_tables, pcsm_revoke_default(op, &(pcsm_default_privileges){
         .on = PCSM_PRIVILEGE_TABLE, .privileges = PCSM_PRIV_USAGE,
         .roles = PCSM_NAMES("r") }))
BODY(e_default_for_current_user, pcsm_grant_default(op, &(pcsm_default_privileges){
         .on = PCSM_PRIVILEGE_TABLE, .privileges = PCSM_PRIV_SELECT,
         .roles = PCSM_NAMES("r"), .for_role = "CURRENT_USER" }))
BODY(e_default_for_blank, pcsm_grant_default(op, &(pcsm_default_privileges){
         .on = PCSM_PRIVILEGE_TABLE, .privileges = PCSM_PRIV_SELECT,
         .roles = PCSM_NAMES("r"), .for_role = "" }))

static const struct error_case privilege_cases[] = {
    ERROR_CASE(e_grant_null, "grant: no privileges given"),
    ERROR_CASE(e_grant_name_missing, "grant: object name is missing"),
    ERROR_CASE(e_grant_kind_unknown, "grant \"t\": unknown object kind 0 "
               "(PCSM_PRIVILEGE_TABLE, _SEQUENCE, _FUNCTION or _TYPE)"),
    ERROR_CASE(e_grant_nothing, "revoke \"t\": no privileges given"),
    ERROR_CASE(e_grant_execute_on_table, "grant \"t\": EXECUTE does not apply to a TABLE"),
    ERROR_CASE(e_grant_delete_on_column,
               "grant \"t\": DELETE does not apply to a column of a TABLE"),
    ERROR_CASE(e_grant_unknown_bit,
               "grant \"t\": an unknown privilege bit does not apply to a TYPE"),
    ERROR_CASE(e_grant_no_roles, "grant \"t\": no roles given (\"public\" says PUBLIC)"),
    ERROR_CASE(e_grant_current_user, "grant \"t\": role current_role names whoever runs "
               "the migration; name the role"),
    ERROR_CASE(e_grant_columns_of_sequence, "grant \"s\": columns are a table's only"),
    ERROR_CASE(e_grant_column_blank, "grant \"t\": column is empty"),
    ERROR_CASE(e_grant_arguments_of_table, "grant \"t\": arguments are a function's only"),
    ERROR_CASE(e_default_null, "grant_default: no default privileges given"),
    ERROR_CASE(e_default_usage_on_tables,
               "revoke_default \"TABLES\": USAGE does not apply to a TABLE"),
    ERROR_CASE(e_default_for_current_user, "grant_default \"TABLES\": FOR ROLE CURRENT_USER "
               "names whoever runs the migration: leave for_role NULL for that role"),
    ERROR_CASE(e_default_for_blank, "grant_default \"TABLES\": FOR ROLE is empty"),
};

START_TEST(test_ddl_error_privileges)
{
    run_error_case(&privilege_cases[_i]);
}
END_TEST

static void body_every_new_kind(pcsm_op *op)
{
    body_extensions(op);
    body_enums(op);
    body_functions(op);
    body_triggers(op);
}

/* Each renders to one statement, which the live runner counts on. */
START_TEST(test_ddl_new_kinds_are_one_statement_each)
{
    pcsm_ctx *ctx;
    pcsm_op *op;
    pcsm_buf one = PCSM_BUF_INIT;
    size_t i, n_kinds = 0;
    bool seen[PCSM_OP_LAST + 1] = { false };

    ck_assert_int_eq(pcsm_ctx_new(&ctx, NULL, 0), 0);
    current_body = body_every_new_kind;
    ck_assert_int_eq(pcsm_op__record(ctx, &rev_txn, PCSM_UPGRADE, &op), 0);
    for (i = 0; i < pcsm_op__count(op); i++) {
        const struct pcsm_ddl_op *o = pcsm_op__at(op, i);

        pcsm_buf_clear(&one);
        pcsm_render__op(o, &one);
        ck_assert_uint_eq(pcsm_render__statements(o), 1);
        ck_assert_msg(one.len > 2 && !strcmp(one.ptr + one.len - 2, ";\n"), "%s", one.ptr);
        ck_assert_ptr_nonnull(pcsm_op__subject(o));
        n_kinds += !seen[o->kind];
        seen[o->kind] = true;
    }
    ck_assert_uint_eq(n_kinds, 11);
    pcsm_buf_dispose(&one);
    pcsm_op__free(op);
    pcsm_ctx_free(ctx);
}
END_TEST

static void body_heap_objects(pcsm_op *op)
{
    const char **labels = track(calloc(3, sizeof(*labels)), 3 * sizeof(*labels));
    pcsm_function *f = track(calloc(1, sizeof(*f)), sizeof(*f));
    pcsm_trigger *t = track(calloc(1, sizeof(*t)), sizeof(*t));

    labels[0] = h("a");
    labels[1] = h("b");
    pcsm_create_extension(op, h("citext"), 0);
    pcsm_create_enum(op, h("e"), labels);
    pcsm_add_enum_value(op, h("e"), h("c"), PCSM_AFTER_LABEL(h("a")), 0);
    pcsm_rename_enum_value(op, h("e"), h("c"), h("d"));
    *f = (pcsm_function){ .name = h("f"), .arguments = h("x int"), .returns = h("trigger"),
                          .language = h("plpgsql"), .body = h("BEGIN RETURN NULL; END") };
    pcsm_create_function(op, f);
    *t = (pcsm_trigger){ .name = h("tr"), .table = h("t"), .timing = PCSM_AFTER,
                         .events = PCSM_ON_INSERT, .function = h("f"), .when = h("true") };
    pcsm_create_trigger(op, t);
    pcsm_drop_trigger(op, h("t"), h("tr"), 0);
    pcsm_drop_function(op, h("f"), h("x int"), 0);
    pcsm_drop_type(op, h("e"), 0);
    pcsm_drop_extension(op, h("citext"), 0);
    free_heap();
}

START_TEST(test_ddl_new_kinds_copy_caller_memory)
{
    EXPECT_SQL(body_heap_objects,
               "CREATE EXTENSION IF NOT EXISTS \"citext\";\n"
               "CREATE TYPE \"e\" AS ENUM ('a', 'b');\n"
               "ALTER TYPE \"e\" ADD VALUE 'c' AFTER 'a';\n"
               "ALTER TYPE \"e\" RENAME VALUE 'c' TO 'd';\n"
               "CREATE FUNCTION \"f\"(x int) RETURNS trigger\n"
               "LANGUAGE plpgsql AS $$\nBEGIN RETURN NULL; END\n$$;\n"
               "CREATE TRIGGER \"tr\" AFTER INSERT ON \"t\"\n"
               "FOR EACH STATEMENT WHEN (true) EXECUTE FUNCTION \"f\"();\n"
               "DROP TRIGGER \"tr\" ON \"t\";\n"
               "DROP FUNCTION \"f\"(x int);\n"
               "DROP TYPE \"e\";\n"
               "DROP EXTENSION \"citext\";\n");
}
END_TEST

/* ------------------------------------------- validation: identifiers */

BODY(e_table_missing, pcsm_create_table(op, NULL, COLS_A, NULL, NULL))
BODY(e_table_empty, pcsm_create_table(op, "", COLS_A, NULL, NULL))
BODY(e_table_too_long, pcsm_create_table(op, NAME64, COLS_A, NULL, NULL))
BODY(e_table_bad_utf8, pcsm_create_table(op, "bad\xff", COLS_A, NULL, NULL))
BODY(e_table_multibyte_too_long,
     pcsm_create_table(op, EURO21 "x", COLS_A, NULL, NULL))
BODY(e_column_name_empty,
     pcsm_create_table(op, "t", PCSM_COLUMNS({ .name = "", .type = PCSM_TEXT }), NULL, NULL))
BODY(e_column_name_too_long,
     pcsm_create_table(op, "t", PCSM_COLUMNS({ .name = NAME64, .type = PCSM_TEXT }), NULL, NULL))
BODY(e_column_name_bad_utf8,
     pcsm_add_column(op, "t", &(pcsm_column){ .name = "\xc3(", .type = PCSM_TEXT }))
BODY(e_subject_quoted, pcsm_create_table(op, "a\"b", NULL, NULL, NULL))
/* A message stays one line (tests/fuzz/fuzz_render.c found a name with a newline). */
BODY(e_subject_control_chars, pcsm_create_table(op, "a\nb\r\x7f\xc2\x85", NULL, NULL, NULL))
BODY(e_column_name_control_chars, pcsm_create_table(op, "t", PCSM_COLUMNS(
     { .name = "a\tb", .type = PCSM_TEXT }, { .name = "a\tb", .type = PCSM_TEXT }), NULL, NULL))
BODY(e_drop_table_missing, pcsm_drop_table(op, NULL, 0))
BODY(e_rename_table_new_missing, pcsm_rename_table(op, "t", NULL))
BODY(e_rename_table_new_too_long, pcsm_rename_table(op, "t", NAME64))
BODY(e_comment_table_table_empty, pcsm_comment_table(op, "", "x"))
BODY(e_add_column_table_missing,
     pcsm_add_column(op, NULL, &(pcsm_column){ .name = "c", .type = PCSM_TEXT }))
BODY(e_drop_column_column_missing, pcsm_drop_column(op, "t", NULL, 0))
BODY(e_rename_column_new_bad_utf8, pcsm_rename_column(op, "t", "a", "\xed\xa0\x80"))
BODY(e_rename_column_column_empty, pcsm_rename_column(op, "t", "", "b"))
BODY(e_alter_type_column_missing, pcsm_alter_column_type(op, "t", NULL, PCSM_TEXT, NULL))
BODY(e_set_default_table_too_long, pcsm_set_default(op, NAME64, "c", PCSM_NULL))
BODY(e_drop_default_column_too_long, pcsm_drop_default(op, "t", NAME64))
BODY(e_set_not_null_column_empty, pcsm_set_not_null(op, "t", ""))
BODY(e_drop_not_null_column_missing, pcsm_drop_not_null(op, "t", NULL))
BODY(e_comment_column_column_missing, pcsm_comment_column(op, "t", NULL, "x"))
BODY(e_index_name_missing,
     pcsm_create_index(op, &(pcsm_index){ .table = "t", .columns = PCSM_NAMES("a"),
                                          .if_not_exists = true }))
BODY(e_index_unnamed_concurrently,
     pcsm_create_index(op, &(pcsm_index){ .table = "t", .columns = PCSM_NAMES("a"),
                                          .concurrently = true }))
BODY(e_index_table_missing,
     pcsm_create_index(op, &(pcsm_index){ .name = "ix", .columns = PCSM_NAMES("a") }))
BODY(e_index_column_empty,
     pcsm_create_index(op, &(pcsm_index){ .name = "ix", .table = "t",
                                          .columns = PCSM_NAMES("a", "") }))
BODY(e_index_column_too_long,
     pcsm_create_index(op, &(pcsm_index){ .name = "ix", .table = "t",
                                          .columns = PCSM_NAMES(NAME64) }))
BODY(e_drop_index_empty, pcsm_drop_index(op, "", 0))
BODY(e_drop_index_missing, pcsm_drop_index(op, NULL, 0))
BODY(e_drop_constraint_name_missing, pcsm_drop_constraint(op, "t", NULL, 0))
BODY(e_validate_constraint_name_missing, pcsm_validate_constraint(op, "t", NULL))
BODY(e_validate_constraint_name_empty, pcsm_validate_constraint(op, "t", ""))
BODY(e_validate_constraint_name_too_long, pcsm_validate_constraint(op, "t", NAME64))
BODY(e_validate_constraint_table_missing, pcsm_validate_constraint(op, NULL, "c"))
BODY(e_constraint_name_bad_utf8,
     pcsm_add_constraint(op, "t", &(pcsm_constraint){ .kind = PCSM_CHECK, .name = "c\x80",
                                                      .check = "true" }))
BODY(e_constraint_name_too_long,
     pcsm_create_table(op, "t", COLS_A,
                       PCSM_CONSTRAINTS({ .kind = PCSM_UNIQUE, .name = NAME64,
                                          .columns = PCSM_NAMES("a") }), NULL))
BODY(e_referenced_table_too_long,
     pcsm_create_table(op, "t", PCSM_COLUMNS({ .name = "a", .type = PCSM_INTEGER,
                                               .references = NAME64 }), NULL, NULL))
BODY(e_referenced_column_empty,
     pcsm_create_table(op, "t", PCSM_COLUMNS({ .name = "a", .type = PCSM_INTEGER,
                                               .references = "u", .ref_column = "" }),
                       NULL, NULL))
BODY(e_batch_key_missing, pcsm_batch_update(op, "t", NULL, "a = 1", NULL, 10))
BODY(e_batch_table_bad_utf8, pcsm_batch_update(op, "\xfe", "id", "a = 1", NULL, 10))
BODY(e_named_type_missing,
     pcsm_add_column(op, "t", &(pcsm_column){ .name = "c", .type = PCSM_NAMED_TYPE(NULL) }))
BODY(e_named_type_too_long,
     pcsm_alter_column_type(op, "t", "c", PCSM_NAMED_TYPE(NAME64), NULL))

static const struct error_case identifier_cases[] = {
    ERROR_CASE(e_table_missing, "create_table: table name is missing"),
    ERROR_CASE(e_table_empty, "create_table \"\": table name is empty"),
    ERROR_CASE(e_table_too_long, "create_table \"" NAME64 "\": table name \"" NAME64
               "\" is longer than 63 bytes (PostgreSQL would truncate it)"),
    /* An invalid subject is left out of the message rather than printed. */
    ERROR_CASE(e_table_bad_utf8, "create_table: table name is not valid UTF-8"),
    ERROR_CASE(e_table_multibyte_too_long, "create_table \"" EURO21 "x\": table name \""
               EURO21 "x\" is longer than 63 bytes (PostgreSQL would truncate it)"),
    ERROR_CASE(e_column_name_empty, "create_table \"t\": column name is empty"),
    ERROR_CASE(e_column_name_too_long, "create_table \"t\": column name \"" NAME64
               "\" is longer than 63 bytes (PostgreSQL would truncate it)"),
    ERROR_CASE(e_column_name_bad_utf8, "add_column \"t\": column name is not valid UTF-8"),
    ERROR_CASE(e_subject_quoted, "create_table \"a\"\"b\": no columns given"),
    ERROR_CASE(e_subject_control_chars,
               "create_table \"a\\x0ab\\x0d\\x7f\\u0085\": no columns given"),
    ERROR_CASE(e_column_name_control_chars,
               "create_table \"t\": column \"a\\x09b\" is given twice"),
    ERROR_CASE(e_drop_table_missing, "drop_table: table name is missing"),
    ERROR_CASE(e_rename_table_new_missing, "rename_table \"t\": new table name is missing"),
    ERROR_CASE(e_rename_table_new_too_long, "rename_table \"t\": new table name \"" NAME64
               "\" is longer than 63 bytes (PostgreSQL would truncate it)"),
    ERROR_CASE(e_comment_table_table_empty, "comment_table \"\": table name is empty"),
    ERROR_CASE(e_add_column_table_missing, "add_column: table name is missing"),
    ERROR_CASE(e_drop_column_column_missing, "drop_column \"t\": column name is missing"),
    ERROR_CASE(e_rename_column_new_bad_utf8,
               "rename_column \"t\": new column name is not valid UTF-8"),
    ERROR_CASE(e_rename_column_column_empty, "rename_column \"t\": column name is empty"),
    ERROR_CASE(e_alter_type_column_missing, "alter_column_type \"t\": column name is missing"),
    ERROR_CASE(e_set_default_table_too_long, "set_default \"" NAME64 "\": table name \""
               NAME64 "\" is longer than 63 bytes (PostgreSQL would truncate it)"),
    ERROR_CASE(e_drop_default_column_too_long, "drop_default \"t\": column name \"" NAME64
               "\" is longer than 63 bytes (PostgreSQL would truncate it)"),
    ERROR_CASE(e_set_not_null_column_empty, "set_not_null \"t\": column name is empty"),
    ERROR_CASE(e_drop_not_null_column_missing, "drop_not_null \"t\": column name is missing"),
    ERROR_CASE(e_comment_column_column_missing, "comment_column \"t\": column name is missing"),
    ERROR_CASE(e_index_name_missing,
               "create_index \"t\": an index created IF NOT EXISTS needs a name"),
    ERROR_CASE_NONTXN(e_index_unnamed_concurrently,
                      "create_index \"t\": an index built CONCURRENTLY needs a name"),
    ERROR_CASE(e_index_table_missing, "create_index \"ix\": table name is missing"),
    ERROR_CASE(e_index_column_empty, "create_index \"ix\": index column is empty"),
    ERROR_CASE(e_index_column_too_long, "create_index \"ix\": index column \"" NAME64
               "\" is longer than 63 bytes (PostgreSQL would truncate it)"),
    ERROR_CASE(e_drop_index_empty, "drop_index \"\": index name is empty"),
    ERROR_CASE(e_drop_index_missing, "drop_index: index name is missing"),
    ERROR_CASE(e_drop_constraint_name_missing,
               "drop_constraint \"t\": constraint name is missing"),
    ERROR_CASE(e_validate_constraint_name_missing,
               "validate_constraint \"t\": constraint name is missing"),
    ERROR_CASE(e_validate_constraint_name_empty,
               "validate_constraint \"t\": constraint name is empty"),
    ERROR_CASE(e_validate_constraint_name_too_long, "validate_constraint \"t\": constraint name \""
               NAME64 "\" is longer than 63 bytes (PostgreSQL would truncate it)"),
    ERROR_CASE(e_validate_constraint_table_missing,
               "validate_constraint: table name is missing"),
    ERROR_CASE(e_constraint_name_bad_utf8,
               "add_constraint \"t\": constraint name is not valid UTF-8"),
    ERROR_CASE(e_constraint_name_too_long, "create_table \"t\": constraint name \"" NAME64
               "\" is longer than 63 bytes (PostgreSQL would truncate it)"),
    ERROR_CASE(e_referenced_table_too_long, "create_table \"t\": referenced table \"" NAME64
               "\" is longer than 63 bytes (PostgreSQL would truncate it)"),
    ERROR_CASE(e_referenced_column_empty, "create_table \"t\": referenced column is empty"),
    ERROR_CASE(e_batch_key_missing, "batch_update \"t\": key column is missing"),
    ERROR_CASE(e_batch_table_bad_utf8, "batch_update: table name is not valid UTF-8"),
    ERROR_CASE(e_named_type_missing, "add_column \"t\": type name is missing"),
    ERROR_CASE(e_named_type_too_long, "alter_column_type \"t\": type name \"" NAME64
               "\" is longer than 63 bytes (PostgreSQL would truncate it)"),
};

START_TEST(test_ddl_error_identifiers)
{
    run_error_case(&identifier_cases[_i]);
}
END_TEST

/* ------------------------------------ validation: columns and types */

#define ADD_TYPED(t) pcsm_add_column(op, "t", &(pcsm_column){ .name = "c", .type = (t) })

BODY(e_no_columns_null, pcsm_create_table(op, "t", NULL, NULL, NULL))
BODY(e_no_columns_empty,
     pcsm_create_table(op, "t", (const pcsm_column[]){ { .name = NULL } }, NULL, NULL))
BODY(e_add_column_null, pcsm_add_column(op, "t", NULL))
BODY(e_duplicate_column,
     pcsm_create_table(op, "t", PCSM_COLUMNS({ .name = "a", .type = PCSM_TEXT },
                                             { .name = "b", .type = PCSM_TEXT },
                                             { .name = "a", .type = PCSM_INTEGER }),
                       NULL, NULL))
BODY(e_missing_type,
     pcsm_create_table(op, "t", PCSM_COLUMNS({ .name = "a", .type = PCSM_TEXT },
                                             { .name = "b" }), NULL, NULL))
BODY(e_varchar_negative, ADD_TYPED(PCSM_VARCHAR(-1)))
BODY(e_varchar_too_long, ADD_TYPED(PCSM_VARCHAR(10485761)))
BODY(e_char_zero, ADD_TYPED(PCSM_CHAR(0)))
BODY(e_char_too_long, ADD_TYPED(PCSM_CHAR(10485761)))
BODY(e_numeric_precision_negative, ADD_TYPED(PCSM_NUMERIC(-1, 0)))
BODY(e_numeric_precision_too_big, ADD_TYPED(PCSM_NUMERIC(1001, 0)))
BODY(e_numeric_scale_above_precision, ADD_TYPED(PCSM_NUMERIC(5, 6)))
BODY(e_numeric_scale_negative, ADD_TYPED(PCSM_NUMERIC(5, -1)))
BODY(e_numeric_scale_unconstrained, ADD_TYPED(PCSM_NUMERIC(0, 2)))
BODY(e_array_too_many_dims,
     ADD_TYPED(PCSM_ARRAY(PCSM_ARRAY(PCSM_ARRAY(PCSM_ARRAY(PCSM_ARRAY(PCSM_ARRAY(
         PCSM_ARRAY(PCSM_TEXT)))))))))
BODY(e_array_negative_dims, ADD_TYPED(((pcsm_type){ .kind = PCSM_TYPE_TEXT, .array_dims = -1 })))
BODY(e_unknown_type_kind, ADD_TYPED(((pcsm_type){ .kind = (enum pcsm_type_kind)99 })))
BODY(e_alter_type_none, pcsm_alter_column_type(op, "t", "c", (pcsm_type){ .kind = PCSM_TYPE_NONE }, NULL))
BODY(e_alter_type_bad_char, pcsm_alter_column_type(op, "t", "c", PCSM_CHAR(-3), NULL))
BODY(e_alter_using_empty, pcsm_alter_column_type(op, "t", "c", PCSM_TEXT, " \t\n"))
BODY(e_default_literal_null,
     pcsm_add_column(op, "t", &(pcsm_column){ .name = "c", .type = PCSM_TEXT,
                                              .default_value = PCSM_LITERAL(NULL) }))
BODY(e_default_literal_bad_utf8,
     pcsm_add_column(op, "t", &(pcsm_column){ .name = "c", .type = PCSM_TEXT,
                                              .default_value = PCSM_LITERAL("\xe0\x80\xaf") }))
BODY(e_default_expr_empty,
     pcsm_add_column(op, "t", &(pcsm_column){ .name = "c", .type = PCSM_TEXT,
                                              .default_value = PCSM_EXPR("") }))
BODY(e_default_expr_null,
     pcsm_add_column(op, "t", &(pcsm_column){ .name = "c", .type = PCSM_TEXT,
                                              .default_value = PCSM_EXPR(NULL) }))
BODY(e_default_unknown_kind,
     pcsm_add_column(op, "t", &(pcsm_column){
         .name = "c", .type = PCSM_TEXT,
         .default_value = { .kind = (enum pcsm_value_kind)7, .text = "x" } }))
BODY(e_set_default_none, pcsm_set_default(op, "t", "c", (pcsm_value){ PCSM_VALUE_NONE, NULL }))
BODY(e_set_default_literal_null, pcsm_set_default(op, "t", "c", PCSM_LITERAL(NULL)))
BODY(e_ref_column_without_references,
     pcsm_create_table(op, "t", PCSM_COLUMNS({ .name = "a", .type = PCSM_INTEGER,
                                               .ref_column = "id" }), NULL, NULL))
BODY(e_on_delete_without_references,
     pcsm_create_table(op, "t", PCSM_COLUMNS({ .name = "a", .type = PCSM_INTEGER,
                                               .on_delete = PCSM_CASCADE }), NULL, NULL))
BODY(e_on_update_without_references,
     pcsm_add_column(op, "t", &(pcsm_column){ .name = "a", .type = PCSM_INTEGER,
                                              .on_update = PCSM_SET_NULL }))
BODY(e_unknown_fk_action,
     pcsm_add_column(op, "t", &(pcsm_column){ .name = "a", .type = PCSM_INTEGER,
                                              .references = "u",
                                              .on_update = (enum pcsm_fk_action)42 }))
BODY(e_negative_fk_action,
     pcsm_add_column(op, "t", &(pcsm_column){ .name = "a", .type = PCSM_INTEGER,
                                              .references = "u",
                                              .on_delete = (enum pcsm_fk_action)-1 }))
BODY(e_column_check_empty,
     pcsm_add_column(op, "t", &(pcsm_column){ .name = "a", .type = PCSM_INTEGER,
                                              .check = "   " }))
BODY(e_column_check_bad_utf8,
     pcsm_add_column(op, "t", &(pcsm_column){ .name = "a", .type = PCSM_INTEGER,
                                              .check = "a <> '\xc0\xaf'" }))
BODY(e_column_comment_bad_utf8,
     pcsm_add_column(op, "t", &(pcsm_column){ .name = "a", .type = PCSM_INTEGER,
                                              .comment = "\xf4\x90\x80\x80" }))
BODY(e_table_comment_bad_utf8, pcsm_create_table(op, "t", COLS_A, NULL, "\x80"))
BODY(e_comment_table_bad_utf8, pcsm_comment_table(op, "t", "ok \xf8\x88\x80\x80\x80"))
BODY(e_comment_column_bad_utf8, pcsm_comment_column(op, "t", "c", "\xc3"))

static const struct error_case column_cases[] = {
    ERROR_CASE(e_no_columns_null, "create_table \"t\": no columns given"),
    ERROR_CASE(e_no_columns_empty, "create_table \"t\": no columns given"),
    ERROR_CASE(e_add_column_null, "add_column \"t\": no column given"),
    ERROR_CASE(e_duplicate_column, "create_table \"t\": column \"a\" is given twice"),
    ERROR_CASE(e_missing_type, "create_table \"t\": column \"b\" has no type"),
    ERROR_CASE(e_varchar_negative, "add_column \"t\": column \"c\": varchar length -1 is"
               " outside 1..10485760 (0 for unbounded)"),
    ERROR_CASE(e_varchar_too_long, "add_column \"t\": column \"c\": varchar length 10485761"
               " is outside 1..10485760 (0 for unbounded)"),
    ERROR_CASE(e_char_zero, "add_column \"t\": column \"c\": char length 0 is outside"
               " 1..10485760"),
    ERROR_CASE(e_char_too_long, "add_column \"t\": column \"c\": char length 10485761 is"
               " outside 1..10485760"),
    ERROR_CASE(e_numeric_precision_negative, "add_column \"t\": column \"c\": numeric"
               " precision -1 is outside 1..1000 (0 for unconstrained)"),
    ERROR_CASE(e_numeric_precision_too_big, "add_column \"t\": column \"c\": numeric"
               " precision 1001 is outside 1..1000 (0 for unconstrained)"),
    ERROR_CASE(e_numeric_scale_above_precision, "add_column \"t\": column \"c\": numeric"
               " scale 6 is outside 0..5"),
    ERROR_CASE(e_numeric_scale_negative, "add_column \"t\": column \"c\": numeric scale -1"
               " is outside 0..5"),
    ERROR_CASE(e_numeric_scale_unconstrained, "add_column \"t\": column \"c\": numeric"
               " scale 2 is outside 0..0"),
    ERROR_CASE(e_array_too_many_dims, "add_column \"t\": column \"c\": 7 array dimensions"
               " (at most 6)"),
    ERROR_CASE(e_array_negative_dims, "add_column \"t\": column \"c\": -1 array dimensions"
               " (at most 6)"),
    ERROR_CASE(e_unknown_type_kind, "add_column \"t\": column \"c\": unknown type kind 99"),
    ERROR_CASE(e_alter_type_none, "alter_column_type \"t\": new type has no type"),
    ERROR_CASE(e_alter_type_bad_char, "alter_column_type \"t\": new type: char length -3 is"
               " outside 1..10485760"),
    ERROR_CASE(e_alter_using_empty, "alter_column_type \"t\": USING expression is empty"),
    ERROR_CASE(e_default_literal_null, "add_column \"t\": column \"c\" default: "
               "PCSM_LITERAL(NULL); use PCSM_NULL for SQL NULL"),
    ERROR_CASE(e_default_literal_bad_utf8,
               "add_column \"t\": column \"c\" default is not valid UTF-8"),
    /* The default's messages name the default, not just the column (2026-11-24). */
    ERROR_CASE(e_default_expr_empty, "add_column \"t\": column \"c\" default is empty"),
    ERROR_CASE(e_default_expr_null, "add_column \"t\": column \"c\" default is missing"),
    ERROR_CASE(e_default_unknown_kind,
               "add_column \"t\": column \"c\" default: unknown value kind 7"),
    ERROR_CASE(e_set_default_none, "set_default \"t\": default is missing"),
    ERROR_CASE(e_set_default_literal_null, "set_default \"t\": default: PCSM_LITERAL(NULL);"
               " use PCSM_NULL for SQL NULL"),
    ERROR_CASE(e_ref_column_without_references, "create_table \"t\": column \"a\":"
               " ref_column without references"),
    ERROR_CASE(e_on_delete_without_references, "create_table \"t\": column \"a\":"
               " on_delete/on_update without references"),
    ERROR_CASE(e_on_update_without_references, "add_column \"t\": column \"a\":"
               " on_delete/on_update without references"),
    ERROR_CASE(e_unknown_fk_action, "add_column \"t\": column \"a\": unknown foreign key"
               " action 42"),
    ERROR_CASE(e_negative_fk_action, "add_column \"t\": column \"a\": unknown foreign key"
               " action -1"),
    ERROR_CASE(e_column_check_empty, "add_column \"t\": check expression is empty"),
    ERROR_CASE(e_column_check_bad_utf8, "add_column \"t\": check expression is not valid UTF-8"),
    ERROR_CASE(e_column_comment_bad_utf8, "add_column \"t\": column comment is not valid UTF-8"),
    ERROR_CASE(e_table_comment_bad_utf8, "create_table \"t\": table comment is not valid UTF-8"),
    ERROR_CASE(e_comment_table_bad_utf8, "comment_table \"t\": comment is not valid UTF-8"),
    ERROR_CASE(e_comment_column_bad_utf8, "comment_column \"t\": comment is not valid UTF-8"),
};

START_TEST(test_ddl_error_columns_and_types)
{
    run_error_case(&column_cases[_i]);
}
END_TEST

/* ---------------------------------------------- validation: constraints */

#define CREATE_T(...) pcsm_create_table(op, "t", COLS_A, PCSM_CONSTRAINTS(__VA_ARGS__), NULL)
#define ADD_T(...) pcsm_add_constraint(op, "t", &(pcsm_constraint){ __VA_ARGS__ })

BODY(e_pk_no_columns, CREATE_T({ .kind = PCSM_PRIMARY_KEY }))
BODY(e_unique_no_columns, CREATE_T({ .kind = PCSM_UNIQUE, .name = "u" }))
BODY(e_unique_empty_list,
     CREATE_T({ .kind = PCSM_UNIQUE, .columns = (const char *const[]){ NULL } }))
BODY(e_fk_no_columns, CREATE_T({ .kind = PCSM_FOREIGN_KEY, .references = "u" }))
BODY(e_fk_no_references, CREATE_T({ .kind = PCSM_FOREIGN_KEY, .columns = PCSM_NAMES("a") }))
BODY(e_fk_count_mismatch,
     CREATE_T({ .kind = PCSM_FOREIGN_KEY, .columns = PCSM_NAMES("a", "b"), .references = "u",
                .ref_columns = PCSM_NAMES("x") }))
BODY(e_fk_count_mismatch_empty,
     CREATE_T({ .kind = PCSM_FOREIGN_KEY, .columns = PCSM_NAMES("a"), .references = "u",
                .ref_columns = (const char *const[]){ NULL } }))
BODY(e_fk_ref_column_empty,
     CREATE_T({ .kind = PCSM_FOREIGN_KEY, .columns = PCSM_NAMES("a"), .references = "u",
                .ref_columns = PCSM_NAMES("") }))
BODY(e_fk_unknown_action,
     CREATE_T({ .kind = PCSM_FOREIGN_KEY, .columns = PCSM_NAMES("a"), .references = "u",
                .on_delete = (enum pcsm_fk_action)6 }))
BODY(e_check_no_expression, CREATE_T({ .kind = PCSM_CHECK, .name = "c" }))
BODY(e_check_empty_expression, ADD_T(.kind = PCSM_CHECK, .name = "c", .check = "\n"))
BODY(e_check_with_columns,
     CREATE_T({ .kind = PCSM_CHECK, .check = "a > 0", .columns = PCSM_NAMES("a") }))
BODY(e_unique_with_check,
     CREATE_T({ .kind = PCSM_UNIQUE, .columns = PCSM_NAMES("a"), .check = "a > 0" }))
BODY(e_unknown_constraint_kind, CREATE_T({ .kind = (enum pcsm_constraint_kind)9 }))
BODY(e_add_constraint_kind_none, ADD_T(.kind = PCSM_CONSTRAINT_NONE, .name = "c"))
BODY(e_add_constraint_null, pcsm_add_constraint(op, "t", NULL))
BODY(e_add_constraint_table_missing,
     pcsm_add_constraint(op, NULL, &(pcsm_constraint){ .kind = PCSM_CHECK, .name = "c",
                                                       .check = "true" }))
BODY(e_not_valid_unique,
     ADD_T(.kind = PCSM_UNIQUE, .name = "u", .columns = PCSM_NAMES("a"), .not_valid = true))
BODY(e_not_valid_primary_key,
     ADD_T(.kind = PCSM_PRIMARY_KEY, .name = "p", .columns = PCSM_NAMES("a"), .not_valid = true))
BODY(e_two_pk_constraints,
     CREATE_T({ .kind = PCSM_PRIMARY_KEY, .columns = PCSM_NAMES("a") },
              { .kind = PCSM_PRIMARY_KEY, .name = "other", .columns = PCSM_NAMES("a") }))
BODY(e_column_pk_and_constraint_pk,
     pcsm_create_table(op, "t", PCSM_COLUMNS({ .name = "a", .type = PCSM_INTEGER,
                                               .primary_key = true }),
                       PCSM_CONSTRAINTS({ .kind = PCSM_PRIMARY_KEY,
                                          .columns = PCSM_NAMES("a") }), NULL))

#define TWO_PK "more than one primary key (mark the columns of one composite key" \
               " primary_key, or give one PCSM_PRIMARY_KEY constraint)"

static const struct error_case constraint_cases[] = {
    ERROR_CASE(e_pk_no_columns, "create_table \"t\": primary key: no columns given"),
    ERROR_CASE(e_unique_no_columns, "create_table \"t\": unique constraint: no columns given"),
    ERROR_CASE(e_unique_empty_list, "create_table \"t\": unique constraint: no columns given"),
    ERROR_CASE(e_fk_no_columns, "create_table \"t\": foreign key: no columns given"),
    ERROR_CASE(e_fk_no_references, "create_table \"t\": referenced table is missing"),
    ERROR_CASE(e_fk_count_mismatch, "create_table \"t\": foreign key has 2 columns but"
               " references 1"),
    ERROR_CASE(e_fk_count_mismatch_empty, "create_table \"t\": foreign key has 1 columns but"
               " references 0"),
    ERROR_CASE(e_fk_ref_column_empty, "create_table \"t\": referenced columns is empty"),
    ERROR_CASE(e_fk_unknown_action, "create_table \"t\": foreign key: unknown foreign key"
               " action 6"),
    ERROR_CASE(e_check_no_expression, "create_table \"t\": check expression is missing"),
    ERROR_CASE(e_check_empty_expression, "add_constraint \"t\": check expression is empty"),
    ERROR_CASE(e_check_with_columns, "create_table \"t\": a check constraint takes no columns"),
    ERROR_CASE(e_unique_with_check, "create_table \"t\": only a check constraint takes a"
               " check expression"),
    ERROR_CASE(e_unknown_constraint_kind, "create_table \"t\": unknown constraint kind 9"),
    ERROR_CASE(e_add_constraint_kind_none, "add_constraint \"t\": unknown constraint kind 0"),
    ERROR_CASE(e_add_constraint_null, "add_constraint \"t\": no constraint given"),
    ERROR_CASE(e_add_constraint_table_missing, "add_constraint: table name is missing"),
    ERROR_CASE(e_not_valid_unique, "add_constraint \"t\": NOT VALID applies to foreign key"
               " and check constraints only"),
    ERROR_CASE(e_not_valid_primary_key, "add_constraint \"t\": NOT VALID applies to foreign"
               " key and check constraints only"),
    ERROR_CASE(e_two_pk_constraints, "create_table \"t\": " TWO_PK),
    ERROR_CASE(e_column_pk_and_constraint_pk, "create_table \"t\": " TWO_PK),
};

START_TEST(test_ddl_error_constraints)
{
    run_error_case(&constraint_cases[_i]);
}
END_TEST

/* -------------------------------------------------- validation: indexes */

#define INDEX(...) pcsm_create_index(op, &(pcsm_index){ .name = "ix", .table = "t", __VA_ARGS__ })
#define NEED_NONTXN "cannot run inside a transaction; add \"Flags: nontransactional\"" \
                    " to the revision header, or record it between pcsm_autocommit_begin()" \
                    " and pcsm_autocommit_end()"

BODY(e_index_null, pcsm_create_index(op, NULL))
BODY(e_index_both, INDEX(.columns = PCSM_NAMES("a"), .expression = "lower(a)"))
BODY(e_index_neither, INDEX(.unique = true))
BODY(e_index_expression_empty, INDEX(.expression = " "))
BODY(e_index_expression_bad_utf8, INDEX(.expression = "lower(\xff)"))
BODY(e_index_where_empty, INDEX(.columns = PCSM_NAMES("a"), .where = ""))
BODY(e_index_unknown_method, INDEX(.columns = PCSM_NAMES("a"), .method = "BTREE"))
BODY(e_index_method_empty, INDEX(.columns = PCSM_NAMES("a"), .method = ""))
BODY(e_index_method_bad_utf8, INDEX(.columns = PCSM_NAMES("a"), .method = "gi\xffn"))
BODY(e_index_concurrently_in_txn, INDEX(.columns = PCSM_NAMES("a"), .concurrently = true))
BODY(e_drop_index_concurrently_in_txn, pcsm_drop_index(op, "ix", PCSM_DROP_CONCURRENTLY))
BODY(e_drop_index_concurrently_cascade_in_txn,
     pcsm_drop_index(op, "ix", PCSM_DROP_CONCURRENTLY | PCSM_DROP_CASCADE))
BODY(e_drop_index_concurrently_cascade,
     pcsm_drop_index(op, "ix", PCSM_DROP_CONCURRENTLY | PCSM_DROP_CASCADE | PCSM_IF_EXISTS))

static const struct error_case index_cases[] = {
    ERROR_CASE(e_index_null, "create_index: no index given"),
    ERROR_CASE(e_index_both, "create_index \"ix\": give either columns or an expression"),
    ERROR_CASE(e_index_neither, "create_index \"ix\": give either columns or an expression"),
    ERROR_CASE(e_index_expression_empty, "create_index \"ix\": index expression is empty"),
    ERROR_CASE(e_index_expression_bad_utf8,
               "create_index \"ix\": index expression is not valid UTF-8"),
    ERROR_CASE(e_index_where_empty, "create_index \"ix\": WHERE predicate is empty"),
    ERROR_CASE(e_index_unknown_method, "create_index \"ix\": unknown index method \"BTREE\""
               " (btree, hash, gin, gist, brin, spgist)"),
    ERROR_CASE(e_index_method_empty, "create_index \"ix\": unknown index method \"\""
               " (btree, hash, gin, gist, brin, spgist)"),
    ERROR_CASE(e_index_method_bad_utf8, "create_index \"ix\": unknown index method \"?\""
               " (btree, hash, gin, gist, brin, spgist)"),
    ERROR_CASE(e_index_concurrently_in_txn, "create_index \"ix\": CREATE INDEX CONCURRENTLY "
               NEED_NONTXN),
    ERROR_CASE(e_drop_index_concurrently_in_txn, "drop_index \"ix\": DROP INDEX CONCURRENTLY "
               NEED_NONTXN),
    ERROR_CASE(e_drop_index_concurrently_cascade_in_txn,
               "drop_index \"ix\": DROP INDEX CONCURRENTLY " NEED_NONTXN),
    ERROR_CASE_NONTXN(e_drop_index_concurrently_cascade,
                      "drop_index \"ix\": DROP INDEX CONCURRENTLY does not support CASCADE"),
};

/* ------------------------------------------------------ autocommit blocks */

BODY(body_autocommit_block,
     pcsm_execute(op, "UPDATE t SET a = 1");
     pcsm_autocommit_begin(op);
     INDEX(.columns = PCSM_NAMES("a"), .concurrently = true);
     pcsm_add_enum_value(op, "mood", "happy", PCSM_AT_END, 0);
     pcsm_drop_index(op, "ix", PCSM_DROP_CONCURRENTLY);
     pcsm_autocommit_end(op);
     pcsm_execute(op, "UPDATE t SET m = 'happy'"))

START_TEST(test_ddl_autocommit_block_renders_commit_and_begin)
{
    /* Alembic's offline autocommit_block(): the revision's transaction ends
     * before the block and another begins after it; concurrent index
     * statements are legal in it although the revision is transactional. */
    EXPECT_SQL(body_autocommit_block,
               "UPDATE t SET a = 1;\n"
               "COMMIT;\n"
               "CREATE INDEX CONCURRENTLY \"ix\" ON \"t\" (\"a\");\n"
               "ALTER TYPE \"mood\" ADD VALUE 'happy';\n"
               "DROP INDEX CONCURRENTLY \"ix\";\n"
               "BEGIN;\n"
               "UPDATE t SET m = 'happy';\n");
}
END_TEST

static const unsigned nested_line = __LINE__ + 1;  /* the next line, for the message */
BODY(e_autocommit_nested, pcsm_autocommit_begin(op); pcsm_autocommit_begin(op))
BODY(e_autocommit_end_without_begin, pcsm_autocommit_end(op))
BODY(e_autocommit_end_twice,
     pcsm_autocommit_begin(op); pcsm_autocommit_end(op); pcsm_autocommit_end(op))
static const unsigned unclosed_line = __LINE__ + 1;
BODY(e_autocommit_never_closed, pcsm_autocommit_begin(op); pcsm_execute(op, "SELECT 1"))
BODY(e_autocommit_in_nontransactional, pcsm_autocommit_begin(op); pcsm_autocommit_end(op))
BODY(e_index_concurrently_after_block,
     pcsm_autocommit_begin(op); pcsm_autocommit_end(op);
     INDEX(.columns = PCSM_NAMES("a"), .concurrently = true))
BODY(e_drop_index_concurrently_before_block,
     pcsm_drop_index(op, "ix", PCSM_DROP_CONCURRENTLY);
     pcsm_autocommit_begin(op); pcsm_autocommit_end(op))

START_TEST(test_ddl_autocommit_errors)
{
    char want[256];

    snprintf(want, sizeof(want), "autocommit_begin: an autocommit block is already open "
             "(line %u); blocks do not nest", nested_line);
    expect_error_in(&rev_txn, e_autocommit_nested, want, "e_autocommit_nested");
    EXPECT_ERROR(e_autocommit_end_without_begin,
                 "autocommit_end: no autocommit block is open (pcsm_autocommit_begin() first)");
    EXPECT_ERROR(e_autocommit_end_twice,
                 "autocommit_end: no autocommit block is open (pcsm_autocommit_begin() first)");
    /* Checked when the migration returns: the block's end is missing. */
    snprintf(want, sizeof(want), "autocommit_begin: the block opened at line %u is never "
             "closed: call pcsm_autocommit_end() before the migration returns", unclosed_line);
    expect_error_in(&rev_txn, e_autocommit_never_closed, want, "e_autocommit_never_closed");
    expect_error_in(&rev_nontxn, e_autocommit_in_nontransactional,
                    "autocommit_begin: revision " REV_ID " is flagged nontransactional and "
                    "runs outside a transaction already; remove the block, or the flag",
                    "e_autocommit_in_nontransactional");
    /* Only inside the block: before or after it, the revision's transaction is open. */
    EXPECT_ERROR(e_index_concurrently_after_block,
                 "create_index \"ix\": CREATE INDEX CONCURRENTLY " NEED_NONTXN);
    EXPECT_ERROR(e_drop_index_concurrently_before_block,
                 "drop_index \"ix\": DROP INDEX CONCURRENTLY " NEED_NONTXN);
}
END_TEST

START_TEST(test_ddl_autocommit_recorded_as_markers)
{
    pcsm_op *op = pcsm_op__new(&rev_txn, PCSM_UPGRADE);
    pcsm_buf d = PCSM_BUF_INIT;

    body_autocommit_block(op);
    ck_assert_ptr_null(pcsm_op__failure(op));
    ck_assert_uint_eq(pcsm_op__count(op), 7);
    ck_assert(pcsm_op__has_autocommit(op));
    ck_assert_int_eq(pcsm_op__at(op, 1)->kind, PCSM_OP_AUTOCOMMIT_BEGIN);
    ck_assert_int_eq(pcsm_op__at(op, 5)->kind, PCSM_OP_AUTOCOMMIT_END);
    ck_assert_ptr_null(pcsm_op__subject(pcsm_op__at(op, 1)));
    pcsm_op__describe(op, 1, &d);
    pcsm_buf_puts(&d, "|");
    pcsm_op__describe(op, 5, &d);
    ck_assert_str_eq(d.ptr, "autocommit_begin|autocommit_end");
    /* Each edge is one statement, for the runs that count them. */
    ck_assert_uint_eq(pcsm_render__statements(pcsm_op__at(op, 1)), 1);
    pcsm_buf_dispose(&d);
    pcsm_op__free(op);
    op = pcsm_op__new(&rev_txn, PCSM_UPGRADE);
    pcsm_execute(op, "SELECT 1");
    ck_assert(!pcsm_op__has_autocommit(op));
    pcsm_op__free(op);
}
END_TEST

START_TEST(test_ddl_error_indexes)
{
    run_error_case(&index_cases[_i]);
}
END_TEST

/* ---------------------------------------------- validation: drop flags */

BODY(e_drop_table_concurrently, pcsm_drop_table(op, "t", PCSM_DROP_CONCURRENTLY))
BODY(e_drop_table_unknown_flag, pcsm_drop_table(op, "t", PCSM_IF_EXISTS | 0x80u))
BODY(e_drop_column_concurrently, pcsm_drop_column(op, "t", "c", PCSM_DROP_CONCURRENTLY))
BODY(e_drop_constraint_unknown_flag, pcsm_drop_constraint(op, "t", "c", 0x8u | 0x100u))
BODY(e_drop_index_unknown_flag, pcsm_drop_index(op, "ix", PCSM_DROP_CASCADE | 0x10u))

static const struct error_case flag_cases[] = {
    ERROR_CASE(e_drop_table_concurrently, "drop_table \"t\": unsupported flags 0x4"),
    ERROR_CASE(e_drop_table_unknown_flag, "drop_table \"t\": unsupported flags 0x80"),
    ERROR_CASE(e_drop_column_concurrently, "drop_column \"t\": unsupported flags 0x4"),
    ERROR_CASE(e_drop_constraint_unknown_flag,
               "drop_constraint \"t\": unsupported flags 0x108"),
    ERROR_CASE_NONTXN(e_drop_index_unknown_flag, "drop_index \"ix\": unsupported flags 0x10"),
};

START_TEST(test_ddl_error_drop_flags)
{
    run_error_case(&flag_cases[_i]);
}
END_TEST

/* -------------------- validation: extensions, types, functions, triggers */

/* A function and a trigger, every field given; NULL and 0 say "not given". */
#define FN(name_, args_, returns_, language_, body_, volatility_) \
    pcsm_create_function(op, &(pcsm_function){ .name = (name_), .arguments = (args_), \
        .returns = (returns_), .language = (language_), .body = (body_), \
        .volatility = (volatility_) })
#define TRG(name_, table_, function_, timing_, events_, row_, when_) \
    pcsm_create_trigger(op, &(pcsm_trigger){ .name = (name_), .table = (table_), \
        .function = (function_), .timing = (timing_), .events = (events_), \
        .for_each_row = (row_), .when = (when_) })

BODY(e_extension_missing, pcsm_create_extension(op, NULL, 0))
BODY(e_extension_too_long, pcsm_create_extension(op, NAME64, 0))
BODY(e_extension_if_exists, pcsm_create_extension(op, "x", PCSM_IF_EXISTS))
BODY(e_drop_extension_create_cascade, pcsm_drop_extension(op, "x", PCSM_CREATE_CASCADE))
BODY(e_enum_name_missing, pcsm_create_enum(op, NULL, PCSM_LABELS("a")))
BODY(e_enum_name_too_long, pcsm_create_enum(op, NAME64, PCSM_LABELS("a")))
BODY(e_enum_labels_null, pcsm_create_enum(op, "e", NULL))
BODY(e_enum_labels_empty, pcsm_create_enum(op, "e", (const char *const[]){ NULL }))
BODY(e_enum_label_twice, pcsm_create_enum(op, "e", PCSM_LABELS("a", "b", "a")))
BODY(e_enum_label_too_long, pcsm_create_enum(op, "e", PCSM_LABELS("a", NAME64)))
BODY(e_enum_label_bad_utf8, pcsm_create_enum(op, "e", PCSM_LABELS("\xff")))
BODY(e_recreate_no_labels, pcsm_recreate_enum(op, "e", NULL, NULL))
BODY(e_recreate_label_twice, pcsm_recreate_enum(op, "e", PCSM_LABELS("a", "a"), NULL))
BODY(e_recreate_aside, pcsm_recreate_enum(op, "pcsm_enum_old", PCSM_LABELS("a"), NULL))
BODY(e_recreate_column_missing, pcsm_recreate_enum(op, "e", PCSM_LABELS("a"),
                                                   PCSM_ENUM_COLUMNS({ .table = "t" })))
BODY(e_recreate_table_missing, pcsm_recreate_enum(op, "e", PCSM_LABELS("a"),
                                                  PCSM_ENUM_COLUMNS({ .column = "c" })))
BODY(e_recreate_column_twice, pcsm_recreate_enum(op, "e", PCSM_LABELS("a"), PCSM_ENUM_COLUMNS(
         { .table = "t", .column = "c" }, { .table = "u", .column = "c" },
         { .table = "t", .column = "c", .array = true })))
BODY(e_recreate_bad_default, pcsm_recreate_enum(op, "e", PCSM_LABELS("a"), PCSM_ENUM_COLUMNS(
         { .table = "t", .column = "c", .default_value = PCSM_EXPR(" ") })))
BODY(e_add_value_missing, pcsm_add_enum_value(op, "e", NULL, PCSM_AT_END, 0))
BODY(e_add_value_type_missing, pcsm_add_enum_value(op, NULL, "x", PCSM_AT_END, 0))
BODY(e_add_value_neighbour_missing,
     pcsm_add_enum_value(op, "e", "x", PCSM_BEFORE_LABEL(NULL), 0))
BODY(e_add_value_neighbour_too_long,
     pcsm_add_enum_value(op, "e", "x", PCSM_AFTER_LABEL(NAME64), 0))
BODY(e_add_value_end_with_label,
     pcsm_add_enum_value(op, "e", "x", ((pcsm_enum_place){ PCSM_ENUM_END, "a" }), 0))
BODY(e_add_value_unknown_place,
     pcsm_add_enum_value(op, "e", "x", ((pcsm_enum_place){ (enum pcsm_enum_where)9, "a" }), 0))
BODY(e_add_value_flags, pcsm_add_enum_value(op, "e", "x", PCSM_AT_END, PCSM_IF_EXISTS))
BODY(e_rename_value_new_missing, pcsm_rename_enum_value(op, "e", "a", NULL))
BODY(e_rename_value_too_long, pcsm_rename_enum_value(op, "e", NAME64, "b"))
BODY(e_drop_type_concurrently, pcsm_drop_type(op, "e", PCSM_DROP_CONCURRENTLY))
BODY(e_drop_type_empty, pcsm_drop_type(op, "", 0))
BODY(e_function_null, pcsm_create_function(op, NULL))
BODY(e_function_name_missing,
     FN(NULL, NULL, "integer", "sql", "SELECT 1", 0))
BODY(e_function_name_too_long,
     FN(NAME64, NULL, "integer", "sql", "SELECT 1", 0))
BODY(e_function_returns_missing,
     FN("f", NULL, NULL, "sql", "SELECT 1", 0))
BODY(e_function_returns_blank,
     FN("f", NULL, " ", "sql", "SELECT 1", 0))
BODY(e_function_language_missing,
     FN("f", NULL, "integer", NULL, "SELECT 1", 0))
BODY(e_function_language_quoted,
     FN("f", NULL, "integer", "PL/SQL", "SELECT 1", 0))
BODY(e_function_language_upper,
     FN("f", NULL, "integer", "SQL", "SELECT 1", 0))
BODY(e_function_body_missing,
     FN("f", NULL, "integer", "sql", NULL, 0))
BODY(e_function_body_blank,
     FN("f", NULL, "integer", "sql", ";\n", 0))
BODY(e_function_body_bad_utf8,
     FN("f", NULL, "integer", "sql", "SELECT '\xc0\x80'", 0))
BODY(e_function_arguments_bad_utf8,
     FN("f", "a \xe2\x82", "integer", "sql", "SELECT 1", 0))
BODY(e_function_unknown_volatility,
     FN("f", NULL, "integer", "sql", "SELECT 1", (enum pcsm_volatility)4))
BODY(e_function_negative_volatility,
     FN("f", NULL, "integer", "sql", "SELECT 1", (enum pcsm_volatility)-1))
BODY(e_drop_function_missing, pcsm_drop_function(op, NULL, "", 0))
BODY(e_drop_function_arguments_bad_utf8, pcsm_drop_function(op, "f", "\x80", 0))
BODY(e_drop_function_flags, pcsm_drop_function(op, "f", "", PCSM_IF_NOT_EXISTS))
BODY(e_trigger_null, pcsm_create_trigger(op, NULL))
BODY(e_trigger_name_missing,
     TRG(NULL, "t", "f", PCSM_BEFORE, PCSM_ON_UPDATE, true, NULL))
BODY(e_trigger_name_too_long,
     TRG(NAME64, "t", "f", PCSM_BEFORE, PCSM_ON_UPDATE, true, NULL))
BODY(e_trigger_table_missing,
     TRG("tr", NULL, "f", PCSM_BEFORE, PCSM_ON_UPDATE, true, NULL))
BODY(e_trigger_function_missing,
     TRG("tr", "t", NULL, PCSM_BEFORE, PCSM_ON_UPDATE, true, NULL))
BODY(e_trigger_function_too_long,
     TRG("tr", "t", NAME64, PCSM_BEFORE, PCSM_ON_UPDATE, true, NULL))
BODY(e_trigger_when_blank,
     TRG("tr", "t", "f", PCSM_BEFORE, PCSM_ON_UPDATE, true, "  "))
BODY(e_trigger_timing_missing,
     TRG("tr", "t", "f", PCSM_TIMING_NONE, PCSM_ON_UPDATE, true, NULL))
BODY(e_trigger_timing_unknown,
     TRG("tr", "t", "f", (enum pcsm_trigger_timing)7, PCSM_ON_UPDATE, true, NULL))
BODY(e_trigger_no_events,
     TRG("tr", "t", "f", PCSM_BEFORE, 0, true, NULL))
BODY(e_trigger_unknown_events,
     TRG("tr", "t", "f", PCSM_BEFORE, PCSM_ON_UPDATE | 0x30u, true, NULL))
BODY(e_trigger_truncate_per_row,
     TRG("tr", "t", "f", PCSM_BEFORE, PCSM_ON_TRUNCATE, true, NULL))
BODY(e_trigger_instead_of_statement,
     TRG("tr", "t", "f", PCSM_INSTEAD_OF, PCSM_ON_UPDATE, false, NULL))
BODY(e_trigger_instead_of_when,
     TRG("tr", "t", "f", PCSM_INSTEAD_OF, PCSM_ON_UPDATE, true, "true"))
BODY(e_drop_trigger_table_missing, pcsm_drop_trigger(op, NULL, "tr", 0))
BODY(e_drop_trigger_name_missing, pcsm_drop_trigger(op, "t", NULL, 0))
BODY(e_drop_trigger_flags, pcsm_drop_trigger(op, "t", "tr", PCSM_DROP_CONCURRENTLY))
BODY(e_firing_table_missing, pcsm_set_trigger_firing(op, NULL, "tr", PCSM_TRIGGER_DISABLE))
BODY(e_firing_name_missing, pcsm_set_trigger_firing(op, "t", "", PCSM_TRIGGER_DISABLE))
BODY(e_firing_unknown, pcsm_set_trigger_firing(op, "t", "tr", (enum pcsm_trigger_firing)4))

static const struct error_case object_cases[] = {
    ERROR_CASE(e_extension_missing, "create_extension: extension name is missing"),
    ERROR_CASE(e_extension_too_long, "create_extension \"" NAME64 "\": extension name \"" NAME64
               "\" is longer than 63 bytes (PostgreSQL would truncate it)"),
    ERROR_CASE(e_extension_if_exists, "create_extension \"x\": unsupported flags 0x1"),
    ERROR_CASE(e_drop_extension_create_cascade, "drop_extension \"x\": unsupported flags 0x10"),
    ERROR_CASE(e_enum_name_missing, "create_enum: type name is missing"),
    ERROR_CASE(e_enum_name_too_long, "create_enum \"" NAME64 "\": type name \"" NAME64
               "\" is longer than 63 bytes (PostgreSQL would truncate it)"),
    ERROR_CASE(e_enum_labels_null, "create_enum \"e\": no labels given"),
    ERROR_CASE(e_enum_labels_empty, "create_enum \"e\": no labels given"),
    ERROR_CASE(e_enum_label_twice, "create_enum \"e\": label \"a\" is given twice"),
    ERROR_CASE(e_enum_label_too_long, "create_enum \"e\": label \"" NAME64
               "\" is longer than 63 bytes (PostgreSQL refuses it)"),
    ERROR_CASE(e_enum_label_bad_utf8, "create_enum \"e\": label is not valid UTF-8"),
    ERROR_CASE(e_recreate_no_labels, "recreate_enum \"e\": no labels given"),
    ERROR_CASE(e_recreate_label_twice, "recreate_enum \"e\": label \"a\" is given twice"),
    ERROR_CASE(e_recreate_aside, "recreate_enum \"pcsm_enum_old\": the name is the one the "
               "old type is renamed to while its columns convert"),
    ERROR_CASE(e_recreate_column_missing, "recreate_enum \"e\": column name is missing"),
    ERROR_CASE(e_recreate_table_missing, "recreate_enum \"e\": column \"c\" has no table name"),
    ERROR_CASE(e_recreate_column_twice, "recreate_enum \"e\": column \"t\".\"c\" is given "
               "twice"),
    ERROR_CASE(e_recreate_bad_default, "recreate_enum \"e\": default is empty"),
    ERROR_CASE(e_add_value_missing, "add_enum_value \"e\": label is missing"),
    ERROR_CASE(e_add_value_type_missing, "add_enum_value: type name is missing"),
    ERROR_CASE(e_add_value_neighbour_missing,
               "add_enum_value \"e\": neighbouring label is missing"),
    ERROR_CASE(e_add_value_neighbour_too_long, "add_enum_value \"e\": neighbouring label \""
               NAME64 "\" is longer than 63 bytes (PostgreSQL refuses it)"),
    ERROR_CASE(e_add_value_end_with_label, "add_enum_value \"e\": a label at the end is placed"
               " next to no other (PCSM_BEFORE_LABEL or PCSM_AFTER_LABEL name one)"),
    ERROR_CASE(e_add_value_unknown_place, "add_enum_value \"e\": unknown place 9 (PCSM_AT_END,"
               " PCSM_BEFORE_LABEL or PCSM_AFTER_LABEL)"),
    ERROR_CASE(e_add_value_flags, "add_enum_value \"e\": unsupported flags 0x1"),
    ERROR_CASE(e_rename_value_new_missing, "rename_enum_value \"e\": new label is missing"),
    ERROR_CASE(e_rename_value_too_long, "rename_enum_value \"e\": label \"" NAME64
               "\" is longer than 63 bytes (PostgreSQL refuses it)"),
    ERROR_CASE(e_drop_type_concurrently, "drop_type \"e\": unsupported flags 0x4"),
    ERROR_CASE(e_drop_type_empty, "drop_type \"\": type name is empty"),
    ERROR_CASE(e_function_null, "create_function: no function given"),
    ERROR_CASE(e_function_name_missing, "create_function: function name is missing"),
    ERROR_CASE(e_function_name_too_long, "create_function \"" NAME64 "\": function name \"" NAME64
               "\" is longer than 63 bytes (PostgreSQL would truncate it)"),
    ERROR_CASE(e_function_returns_missing, "create_function \"f\": return type is missing"),
    ERROR_CASE(e_function_returns_blank, "create_function \"f\": return type is empty"),
    ERROR_CASE(e_function_language_missing, "create_function \"f\": language is missing"),
    ERROR_CASE(e_function_language_quoted, "create_function \"f\": language \"PL/SQL\" is not"
               " a plain lower-case name (sql, plpgsql, ...)"),
    ERROR_CASE(e_function_language_upper, "create_function \"f\": language \"SQL\" is not"
               " a plain lower-case name (sql, plpgsql, ...)"),
    ERROR_CASE(e_function_body_missing, "create_function \"f\": body is missing"),
    ERROR_CASE(e_function_body_blank, "create_function \"f\": body is empty"),
    ERROR_CASE(e_function_body_bad_utf8, "create_function \"f\": body is not valid UTF-8"),
    ERROR_CASE(e_function_arguments_bad_utf8,
               "create_function \"f\": argument list is not valid UTF-8"),
    ERROR_CASE(e_function_unknown_volatility, "create_function \"f\": unknown volatility 4"
               " (PCSM_IMMUTABLE, PCSM_STABLE or PCSM_VOLATILE)"),
    ERROR_CASE(e_function_negative_volatility, "create_function \"f\": unknown volatility -1"
               " (PCSM_IMMUTABLE, PCSM_STABLE or PCSM_VOLATILE)"),
    ERROR_CASE(e_drop_function_missing, "drop_function: function name is missing"),
    ERROR_CASE(e_drop_function_arguments_bad_utf8,
               "drop_function \"f\": argument list is not valid UTF-8"),
    ERROR_CASE(e_drop_function_flags, "drop_function \"f\": unsupported flags 0x8"),
    ERROR_CASE(e_trigger_null, "create_trigger: no trigger given"),
    ERROR_CASE(e_trigger_name_missing, "create_trigger: trigger name is missing"),
    ERROR_CASE(e_trigger_name_too_long, "create_trigger \"" NAME64 "\": trigger name \"" NAME64
               "\" is longer than 63 bytes (PostgreSQL would truncate it)"),
    ERROR_CASE(e_trigger_table_missing, "create_trigger \"tr\": table name is missing"),
    ERROR_CASE(e_trigger_function_missing, "create_trigger \"tr\": function name is missing"),
    ERROR_CASE(e_trigger_function_too_long, "create_trigger \"tr\": function name \"" NAME64
               "\" is longer than 63 bytes (PostgreSQL would truncate it)"),
    ERROR_CASE(e_trigger_when_blank, "create_trigger \"tr\": WHEN condition is empty"),
    ERROR_CASE(e_trigger_timing_missing, "create_trigger \"tr\": timing is missing"
               " (PCSM_BEFORE, PCSM_AFTER or PCSM_INSTEAD_OF)"),
    ERROR_CASE(e_trigger_timing_unknown, "create_trigger \"tr\": unknown timing 7"
               " (PCSM_BEFORE, PCSM_AFTER or PCSM_INSTEAD_OF)"),
    ERROR_CASE(e_trigger_no_events, "create_trigger \"tr\": no events given (PCSM_ON_INSERT,"
               " PCSM_ON_UPDATE, PCSM_ON_DELETE, PCSM_ON_TRUNCATE)"),
    ERROR_CASE(e_trigger_unknown_events, "create_trigger \"tr\": unknown events 0x30"),
    ERROR_CASE(e_trigger_truncate_per_row,
               "create_trigger \"tr\": a TRUNCATE trigger runs FOR EACH STATEMENT only"),
    ERROR_CASE(e_trigger_instead_of_statement, "create_trigger \"tr\": an INSTEAD OF trigger"
               " runs FOR EACH ROW, with no WHEN condition"),
    ERROR_CASE(e_trigger_instead_of_when, "create_trigger \"tr\": an INSTEAD OF trigger"
               " runs FOR EACH ROW, with no WHEN condition"),
    ERROR_CASE(e_drop_trigger_table_missing, "drop_trigger \"tr\": table name is missing"),
    ERROR_CASE(e_drop_trigger_name_missing, "drop_trigger: trigger name is missing"),
    ERROR_CASE(e_drop_trigger_flags, "drop_trigger \"tr\": unsupported flags 0x4"),
    ERROR_CASE(e_firing_table_missing, "set_trigger_firing \"tr\": table name is missing"),
    ERROR_CASE(e_firing_name_missing, "set_trigger_firing \"\": trigger name is empty"),
    ERROR_CASE(e_firing_unknown, "set_trigger_firing \"tr\": unknown firing 4 "
               "(PCSM_TRIGGER_ENABLE, _DISABLE, _ENABLE_REPLICA or _ENABLE_ALWAYS)"),
};

BODY(e_identity_text, pcsm_add_column(op, "t", &(pcsm_column){
         .name = "c", .type = PCSM_TEXT, .identity = PCSM_IDENTITY_ALWAYS }))
BODY(e_identity_default, pcsm_add_column(op, "t", &(pcsm_column){
         .name = "c", .type = PCSM_INTEGER, .identity = PCSM_IDENTITY_ALWAYS,
         .default_value = PCSM_EXPR("1") }))
BODY(e_identity_generated, pcsm_add_column(op, "t", &(pcsm_column){
         .name = "c", .type = PCSM_INTEGER, .identity = PCSM_IDENTITY_ALWAYS,
         .generated = "1" }))
BODY(e_identity_as, pcsm_add_column(op, "t", &(pcsm_column){
         .name = "c", .type = PCSM_INTEGER, .identity = PCSM_IDENTITY_ALWAYS,
         .identity_options = { .as = PCSM_BIGINT } }))
BODY(e_identity_range, pcsm_add_column(op, "t", &(pcsm_column){
         .name = "c", .type = PCSM_SMALLINT, .identity = PCSM_IDENTITY_ALWAYS,
         .identity_options = { .maxvalue = PCSM_SEQ_VALUE(100000) } }))
BODY(e_identity_options_alone, pcsm_add_column(op, "t", &(pcsm_column){
         .name = "c", .type = PCSM_INTEGER, .identity_options = { .cache = 2 } }))
BODY(e_identity_unknown, pcsm_add_column(op, "t", &(pcsm_column){
         .name = "c", .type = PCSM_INTEGER, .identity = 7 }))
BODY(e_generated_default, pcsm_add_column(op, "t", &(pcsm_column){
         .name = "c", .type = PCSM_INTEGER, .generated = "a + 1",
         .default_value = PCSM_EXPR("1") }))
BODY(e_generated_blank, pcsm_add_column(op, "t", &(pcsm_column){
         .name = "c", .type = PCSM_INTEGER, .generated = " " }))
BODY(e_collation_integer, pcsm_add_column(op, "t", &(pcsm_column){
         .name = "c", .type = PCSM_INTEGER, .collation = "C" }))
BODY(e_collation_empty, pcsm_add_column(op, "t", &(pcsm_column){
         .name = "c", .type = PCSM_TEXT, .collation = "" }))
BODY(e_alter_collation_integer,
     pcsm_alter_column_type_collate(op, "t", "c", PCSM_BIGINT, "C", NULL))
BODY(e_add_identity_none, pcsm_add_identity(op, "t", "c", PCSM_IDENTITY_NONE, NULL))
BODY(e_add_identity_restart, pcsm_add_identity(op, "t", "c", PCSM_IDENTITY_ALWAYS,
         &(pcsm_sequence_options){ .restart = PCSM_SEQ_VALUE(1) }))
BODY(e_drop_identity_cascade, pcsm_drop_identity(op, "t", "c", PCSM_DROP_CASCADE))
BODY(e_comment_on_kind, pcsm_comment_on(op, (enum pcsm_object_kind)42, "x", NULL, "c"))
BODY(e_comment_on_none, pcsm_comment_on(op, PCSM_OBJECT_NONE, "x", NULL, "c"))
BODY(e_comment_on_name, pcsm_comment_on(op, PCSM_OBJECT_VIEW, "", NULL, "c"))
BODY(e_comment_on_no_table, pcsm_comment_on(op, PCSM_OBJECT_TRIGGER, "tr", NULL, "c"))
BODY(e_comment_on_of_index, pcsm_comment_on(op, PCSM_OBJECT_INDEX, "ix", "t", "c"))
BODY(e_comment_on_utf8, pcsm_comment_on(op, PCSM_OBJECT_TYPE, "ty", NULL, "\xff"))
BODY(e_comment_on_args_utf8, pcsm_comment_on(op, PCSM_OBJECT_FUNCTION, "f", "\xff", "c"))
BODY(e_collation_none, pcsm_create_collation(op, NULL))
BODY(e_collation_provider, pcsm_create_collation(op, &(pcsm_collation){
         .name = "c", .provider = (enum pcsm_collation_provider)7, .locale = "C" }))
BODY(e_collation_no_locale, pcsm_create_collation(op, &(pcsm_collation){ .name = "c" }))
BODY(e_collation_both_forms, pcsm_create_collation(op, &(pcsm_collation){
         .name = "c", .locale = "C", .lc_ctype = "C" }))
BODY(e_collation_icu_apart, pcsm_create_collation(op, &(pcsm_collation){
         .name = "c", .provider = PCSM_PROVIDER_ICU, .lc_collate = "und", .lc_ctype = "und" }))
BODY(e_collation_ctype_missing, pcsm_create_collation(op, &(pcsm_collation){
         .name = "c", .lc_collate = "C" }))
BODY(e_collation_locale_empty, pcsm_create_collation(op, &(pcsm_collation){
         .name = "c", .locale = "" }))
BODY(e_collation_libc_nondeterministic, pcsm_create_collation(op, &(pcsm_collation){
         .name = "c", .locale = "C", .nondeterministic = true }))
BODY(e_collation_rename_empty, pcsm_rename_collation(op, "c", ""))
BODY(e_collation_drop_cascade, pcsm_drop_collation(op, "c", PCSM_DROP_CASCADE))
BODY(e_partition_strategy, pcsm_create_partitioned_table(op, "t",
     (pcsm_partition_key){ 7, PCSM_ELEMENTS({ .column = "a" }) },
     PCSM_COLUMNS({ .name = "a", .type = PCSM_INTEGER }), NULL, NULL))
BODY(e_partition_no_key, pcsm_create_partitioned_table(op, "t",
     (pcsm_partition_key){ PCSM_PARTITION_RANGE, NULL },
     PCSM_COLUMNS({ .name = "a", .type = PCSM_INTEGER }), NULL, NULL))
BODY(e_partition_key_order, pcsm_create_partitioned_table(op, "t",
     PCSM_PARTITION_BY(PCSM_PARTITION_RANGE, { .column = "a", .descending = true }),
     PCSM_COLUMNS({ .name = "a", .type = PCSM_INTEGER }), NULL, NULL))
BODY(e_partition_list_two, pcsm_create_partitioned_table(op, "t",
     PCSM_PARTITION_BY(PCSM_PARTITION_LIST, { .column = "a" }, { .column = "b" }),
     PCSM_COLUMNS({ .name = "a", .type = PCSM_INTEGER }, { .name = "b", .type = PCSM_INTEGER }),
     NULL, NULL))
BODY(e_partition_key_with, pcsm_create_partitioned_table(op, "t",
     PCSM_PARTITION_BY(PCSM_PARTITION_HASH, { .column = "a", .with = "=" }),
     PCSM_COLUMNS({ .name = "a", .type = PCSM_INTEGER }), NULL, NULL))
BODY(e_partition_none, pcsm_create_partition(op, NULL))
BODY(e_partition_no_parent, pcsm_create_partition(op, &(pcsm_partition){
     .name = "p", .bound = "DEFAULT" }))
BODY(e_partition_no_bound, pcsm_create_partition(op, &(pcsm_partition){
     .name = "p", .parent = "t" }))
BODY(e_partition_bad_bound, pcsm_create_partition(op, &(pcsm_partition){
     .name = "p", .parent = "t", .bound = "VALUES IN (1)" }))
BODY(e_partition_key_no_strategy, pcsm_create_partition(op, &(pcsm_partition){
     .name = "p", .parent = "t", .bound = "DEFAULT",
     .partition_by = { PCSM_PARTITION_NONE, PCSM_ELEMENTS({ .column = "a" }) } }))
BODY(e_partition_two_pks, pcsm_create_partition(op, &(pcsm_partition){
     .name = "p", .parent = "t", .bound = "DEFAULT",
     .constraints = PCSM_CONSTRAINTS({ .kind = PCSM_PRIMARY_KEY, .columns = PCSM_NAMES("a") },
                                     { .kind = PCSM_PRIMARY_KEY,
                                       .columns = PCSM_NAMES("b") }) }))
BODY(e_attach_no_bound, pcsm_attach_partition(op, "t", "p", NULL))
BODY(e_attach_empty_bound, pcsm_attach_partition(op, "t", "p", " ;"))
BODY(e_detach_no_partition, pcsm_detach_partition(op, "t", NULL))
BODY(e_attach_index_empty, pcsm_attach_index(op, "ix", ""))
BODY(e_inherits_none, pcsm_create_table_inherits(op, "t", NULL, NULL, NULL, NULL))
BODY(e_inherits_empty, pcsm_create_table_inherits(op, "t", (const char *const[]){ NULL },
                                                  NULL, NULL, NULL))
BODY(e_inherits_twice, pcsm_create_table_inherits(op, "t", PCSM_NAMES("p", "p"), NULL, NULL,
                                                  NULL))
BODY(e_inherits_itself, pcsm_create_table_inherits(op, "t", PCSM_NAMES("t"), NULL, NULL, NULL))
BODY(e_inherits_bad_name, pcsm_create_table_inherits(op, "t", PCSM_NAMES(""), NULL, NULL,
                                                     NULL))
BODY(e_inherit_itself, pcsm_inherit(op, "t", "t"))
BODY(e_no_inherit_no_parent, pcsm_no_inherit(op, "t", NULL))
BODY(e_range_none, pcsm_create_range_type(op, NULL))
BODY(e_range_no_subtype, pcsm_create_range_type(op, &(pcsm_range_type){ .name = "r" }))
BODY(e_range_serial, pcsm_create_range_type(op, &(pcsm_range_type){
         .name = "r", .subtype = PCSM_SERIAL }))
BODY(e_range_modifiers, pcsm_create_range_type(op, &(pcsm_range_type){
         .name = "r", .subtype = PCSM_VARCHAR(10) }))
BODY(e_range_array, pcsm_create_range_type(op, &(pcsm_range_type){
         .name = "r", .subtype = PCSM_ARRAY(PCSM_INTEGER) }))
BODY(e_range_collation, pcsm_create_range_type(op, &(pcsm_range_type){
         .name = "r", .subtype = PCSM_INTEGER, .collation = "C" }))
BODY(e_range_diff_schema, pcsm_create_range_type(op, &(pcsm_range_type){
         .name = "r", .subtype = PCSM_INTEGER, .subtype_diff_schema = "util" }))
BODY(e_range_own_name, pcsm_create_range_type(op, &(pcsm_range_type){
         .name = "r", .subtype = PCSM_INTEGER, .multirange_type_name = "r" }))
BODY(e_range_empty_opclass, pcsm_create_range_type(op, &(pcsm_range_type){
         .name = "r", .subtype = PCSM_INTEGER, .subtype_opclass = "" }))
BODY(e_composite_twice, pcsm_create_composite_type(op, "t", PCSM_ATTRIBUTES(
         { .name = "a", .type = PCSM_INTEGER }, { .name = "a", .type = PCSM_TEXT })))
BODY(e_composite_no_type, pcsm_create_composite_type(op, "t", PCSM_ATTRIBUTES(
         { .name = "a" })))
BODY(e_composite_serial, pcsm_add_attribute(op, "t", &(pcsm_attribute){
         .name = "a", .type = PCSM_BIGSERIAL }))
BODY(e_composite_collation, pcsm_alter_attribute_type(op, "t", "a", PCSM_INTEGER, "C"))
BODY(e_composite_add_none, pcsm_add_attribute(op, "t", NULL))
BODY(e_composite_drop_flags, pcsm_drop_attribute(op, "t", "a", PCSM_DROP_CASCADE))
BODY(e_composite_rename_empty, pcsm_rename_attribute(op, "t", "a", ""))
BODY(e_domain_none, pcsm_create_domain(op, NULL))
BODY(e_domain_no_type, pcsm_create_domain(op, &(pcsm_domain){ .name = "d" }))
BODY(e_domain_serial, pcsm_create_domain(op, &(pcsm_domain){ .name = "d",
                                                             .type = PCSM_SERIAL }))
BODY(e_domain_collation, pcsm_create_domain(op, &(pcsm_domain){
         .name = "d", .type = PCSM_INTEGER, .collation = "C" }))
BODY(e_domain_unique, pcsm_create_domain(op, &(pcsm_domain){
         .name = "d", .type = PCSM_INTEGER,
         .constraints = PCSM_CONSTRAINTS({ .kind = PCSM_UNIQUE, .columns = PCSM_NAMES("a") }) }))
BODY(e_domain_not_valid_created, pcsm_create_domain(op, &(pcsm_domain){
         .name = "d", .type = PCSM_INTEGER, .constraints = PCSM_CONSTRAINTS(
             { .kind = PCSM_CHECK, .check = "VALUE > 0", .not_valid = true }) }))
BODY(e_domain_check_empty, pcsm_add_domain_constraint(op, "d", &(pcsm_constraint){
         .kind = PCSM_CHECK, .check = "" }))
BODY(e_domain_add_none, pcsm_add_domain_constraint(op, "d", NULL))
BODY(e_domain_default_none, pcsm_set_domain_default(op, "d", (pcsm_value){ 0 }))
BODY(e_domain_drop_flags, pcsm_drop_domain(op, "d", PCSM_DROP_CONCURRENTLY))
BODY(e_domain_drop_constraint_flags, pcsm_drop_domain_constraint(op, "d", "c",
                                                                  PCSM_DROP_CASCADE))
BODY(e_domain_rename_constraint_empty, pcsm_rename_domain_constraint(op, "d", "c", ""))
BODY(e_domain_name_empty, pcsm_set_domain_not_null(op, ""))
BODY(e_set_identity_none, pcsm_set_identity(op, "t", "c", PCSM_IDENTITY_NONE))
BODY(e_set_identity_column, pcsm_set_identity(op, "t", "", PCSM_IDENTITY_ALWAYS))
BODY(e_sequence_min_max, pcsm_create_sequence(op, "s", &(pcsm_sequence_options){
         .minvalue = PCSM_SEQ_VALUE(10), .maxvalue = PCSM_SEQ_VALUE(10) }, NULL, NULL))
BODY(e_sequence_start_low, pcsm_create_sequence(op, "s", &(pcsm_sequence_options){
         .start = PCSM_SEQ_VALUE(0) }, NULL, NULL))
BODY(e_sequence_descending_start_high, pcsm_create_sequence(op, "s",
         &(pcsm_sequence_options){ .increment = -1, .start = PCSM_SEQ_VALUE(1) }, NULL, NULL))
BODY(e_sequence_type_range, pcsm_create_sequence(op, "s", &(pcsm_sequence_options){
         .as = PCSM_SMALLINT, .maxvalue = PCSM_SEQ_VALUE(100000) }, NULL, NULL))
BODY(e_sequence_as_text, pcsm_create_sequence(op, "s", &(pcsm_sequence_options){
         .as = PCSM_TEXT }, NULL, NULL))
BODY(e_sequence_cache, pcsm_create_sequence(op, "s", &(pcsm_sequence_options){
         .cache = -1 }, NULL, NULL))
BODY(e_sequence_restart_create, pcsm_create_sequence(op, "s", &(pcsm_sequence_options){
         .restart = PCSM_SEQ_VALUE(5) }, NULL, NULL))
BODY(e_sequence_owner_half, pcsm_create_sequence(op, "s", NULL, "t", NULL))
BODY(e_sequence_cycle, pcsm_create_sequence(op, "s", &(pcsm_sequence_options){
         .cycle = 9 }, NULL, NULL))
BODY(e_alter_sequence_nothing, pcsm_alter_sequence(op, "s", NULL))
BODY(e_rename_sequence_missing, pcsm_rename_sequence(op, "s", NULL))
BODY(e_drop_sequence_concurrently, pcsm_drop_sequence(op, "s", PCSM_DROP_CONCURRENTLY))

static const struct error_case breadth_cases[] = {
    ERROR_CASE(e_identity_text, "add_column \"t\": column \"c\": identity column type must be "
               "smallint, integer, or bigint"),
    ERROR_CASE(e_identity_default, "add_column \"t\": column \"c\": both a default and an "
               "identity"),
    ERROR_CASE(e_identity_generated, "add_column \"t\": column \"c\": both an identity and a "
               "generation expression"),
    ERROR_CASE(e_identity_as, "add_column \"t\": column \"c\": an identity's sequence is of "
               "its column's type (no AS)"),
    ERROR_CASE(e_identity_range, "add_column \"t\": column \"c\": MAXVALUE (100000) is out of "
               "range for sequence data type smallint"),
    ERROR_CASE(e_identity_options_alone, "add_column \"t\": column \"c\": identity options "
               "without an identity"),
    ERROR_CASE(e_identity_unknown, "add_column \"t\": column \"c\": unknown identity 7 "
               "(PCSM_IDENTITY_ALWAYS or PCSM_IDENTITY_BY_DEFAULT)"),
    ERROR_CASE(e_generated_default, "add_column \"t\": column \"c\": both a default and a "
               "generation expression"),
    ERROR_CASE(e_generated_blank, "add_column \"t\": generation expression is empty"),
    ERROR_CASE(e_collation_integer, "add_column \"t\": column \"c\": a collation is for a "
               "text type only (text, varchar, char, or a named type)"),
    ERROR_CASE(e_collation_empty, "add_column \"t\": collation is empty"),
    ERROR_CASE(e_alter_collation_integer, "alter_column_type \"t\": column \"c\": a collation "
               "is for a text type only (text, varchar, char, or a named type)"),
    ERROR_CASE(e_add_identity_none, "add_identity \"t\": no identity given "
               "(PCSM_IDENTITY_ALWAYS or PCSM_IDENTITY_BY_DEFAULT)"),
    ERROR_CASE(e_add_identity_restart, "add_identity \"t\": identity: RESTART is for "
               "alter_sequence only"),
    ERROR_CASE(e_drop_identity_cascade, "drop_identity \"t\": unsupported flags 0x2"),
    ERROR_CASE(e_set_identity_none, "set_identity \"t\": identity must be "
               "PCSM_IDENTITY_ALWAYS or PCSM_IDENTITY_BY_DEFAULT (pcsm_drop_identity() takes "
               "it away)"),
    ERROR_CASE(e_set_identity_column, "set_identity \"t\": column name is empty"),
    ERROR_CASE(e_collation_none, "create_collation: no collation given"),
    ERROR_CASE(e_collation_provider, "create_collation \"c\": unknown provider 7 "
               "(PCSM_PROVIDER_LIBC or PCSM_PROVIDER_ICU)"),
    ERROR_CASE(e_collation_no_locale, "create_collation \"c\": give locale, or lc_collate "
               "and lc_ctype (not both forms)"),
    ERROR_CASE(e_collation_both_forms, "create_collation \"c\": give locale, or lc_collate "
               "and lc_ctype (not both forms)"),
    ERROR_CASE(e_collation_icu_apart, "create_collation \"c\": an ICU collation takes locale "
               "only, not lc_collate and lc_ctype"),
    ERROR_CASE(e_collation_ctype_missing, "create_collation \"c\": lc_ctype is missing"),
    ERROR_CASE(e_collation_locale_empty, "create_collation \"c\": locale is empty"),
    ERROR_CASE(e_collation_libc_nondeterministic, "create_collation \"c\": only an ICU "
               "collation can be nondeterministic"),
    ERROR_CASE(e_collation_rename_empty, "rename_collation \"c\": new collation name is empty"),
    ERROR_CASE(e_collation_drop_cascade, "drop_collation \"c\": unsupported flags 0x2"),
    ERROR_CASE(e_partition_strategy, "create_table \"t\": unknown partition strategy 7"),
    ERROR_CASE(e_partition_no_key, "create_table \"t\": partition key: no column or "
               "expression given"),
    ERROR_CASE(e_partition_key_order, "create_table \"t\": partition key element 1: a key "
               "has no order and no NULLS placement"),
    ERROR_CASE(e_partition_list_two, "create_table \"t\": a LIST partition key is one column "
               "or expression, not 2"),
    ERROR_CASE(e_partition_key_with, "create_table \"t\": index element 1: an operator "
               "(.with) belongs to an exclusion constraint's element only"),
    ERROR_CASE(e_partition_none, "create_partition: no partition given"),
    ERROR_CASE(e_partition_no_parent, "create_partition \"p\": parent table is missing"),
    ERROR_CASE(e_partition_no_bound, "create_partition \"p\": partition bound is missing"),
    ERROR_CASE(e_partition_bad_bound, "create_partition \"p\": partition bound is neither "
               "\"FOR VALUES ...\" nor \"DEFAULT\""),
    ERROR_CASE(e_partition_key_no_strategy, "create_partition \"p\": partition key elements "
               "given with no strategy"),
    ERROR_CASE(e_partition_two_pks, "create_partition \"p\": more than one primary key"),
    ERROR_CASE(e_attach_no_bound, "attach_partition \"t\": partition bound is missing"),
    ERROR_CASE(e_attach_empty_bound, "attach_partition \"t\": partition bound is empty"),
    ERROR_CASE(e_detach_no_partition, "detach_partition \"t\": partition name is missing"),
    ERROR_CASE(e_attach_index_empty, "attach_index \"ix\": partition's index name is empty"),
    ERROR_CASE(e_inherits_none, "create_table \"t\": no parent tables given"),
    ERROR_CASE(e_inherits_empty, "create_table \"t\": no parent tables given"),
    ERROR_CASE(e_inherits_twice, "create_table \"t\": parent table \"p\" is given twice"),
    ERROR_CASE(e_inherits_itself, "create_table \"t\": a table cannot inherit from itself"),
    ERROR_CASE(e_inherits_bad_name, "create_table \"t\": parent table is empty"),
    ERROR_CASE(e_inherit_itself, "inherit \"t\": a table cannot inherit from itself"),
    ERROR_CASE(e_no_inherit_no_parent, "no_inherit \"t\": parent table is missing"),
    ERROR_CASE(e_range_none, "create_range_type: no range type given"),
    ERROR_CASE(e_range_no_subtype, "create_range_type \"r\": the range type needs a subtype"),
    ERROR_CASE(e_range_serial, "create_range_type \"r\": a range cannot be of serial (a "
               "column-only shorthand)"),
    ERROR_CASE(e_range_modifiers, "create_range_type \"r\": the subtype takes no length, "
               "precision, modifiers or array dimensions (the server keeps the bare type)"),
    ERROR_CASE(e_range_array, "create_range_type \"r\": the subtype takes no length, "
               "precision, modifiers or array dimensions (the server keeps the bare type)"),
    ERROR_CASE(e_range_collation, "create_range_type \"r\": a collation is for a text subtype "
               "only (text, varchar, char, or a named type)"),
    ERROR_CASE(e_range_diff_schema, "create_range_type \"r\": subtype_diff_schema without "
               "subtype_diff"),
    ERROR_CASE(e_range_own_name, "create_range_type \"r\": the multirange type cannot take "
               "the range's own name"),
    ERROR_CASE(e_range_empty_opclass, "create_range_type \"r\": subtype_opclass is empty"),
    ERROR_CASE(e_composite_twice, "create_composite_type \"t\": attribute \"a\" given twice"),
    ERROR_CASE(e_composite_no_type, "create_composite_type \"t\": attribute \"a\" needs a type"),
    ERROR_CASE(e_composite_serial, "alter_composite_type \"t\": attribute \"a\": bigserial is "
               "a column-only shorthand"),
    ERROR_CASE(e_composite_collation, "alter_composite_type \"t\": attribute \"a\": a "
               "collation is for a text type only (text, varchar, char, or a named type)"),
    ERROR_CASE(e_composite_add_none, "alter_composite_type \"t\": no attribute given"),
    ERROR_CASE(e_composite_drop_flags, "alter_composite_type \"t\": unsupported flags 0x2"),
    ERROR_CASE(e_composite_rename_empty, "alter_composite_type \"t\": new attribute name is "
               "empty"),
    ERROR_CASE(e_domain_none, "create_domain: no domain given"),
    ERROR_CASE(e_domain_no_type, "create_domain \"d\": the domain needs a type"),
    ERROR_CASE(e_domain_serial, "create_domain \"d\": a domain cannot be over serial (a "
               "column-only shorthand)"),
    ERROR_CASE(e_domain_collation, "create_domain \"d\": a collation is for a text type only "
               "(text, varchar, char, or a named type)"),
    ERROR_CASE(e_domain_unique, "create_domain \"d\": a domain takes CHECK constraints only "
               "(NOT NULL is its not_null)"),
    ERROR_CASE(e_domain_not_valid_created, "create_domain \"d\": NOT VALID applies to "
               "add_domain_constraint only (a new domain has no values)"),
    ERROR_CASE(e_domain_check_empty, "alter_domain \"d\": check expression is empty"),
    ERROR_CASE(e_domain_add_none, "alter_domain \"d\": no constraint given"),
    ERROR_CASE(e_domain_default_none, "alter_domain \"d\": default is missing"),
    ERROR_CASE(e_domain_drop_flags, "drop_domain \"d\": unsupported flags 0x4"),
    ERROR_CASE(e_domain_drop_constraint_flags, "alter_domain \"d\": unsupported flags 0x2"),
    ERROR_CASE(e_domain_rename_constraint_empty, "alter_domain \"d\": new constraint name is "
               "empty"),
    ERROR_CASE(e_domain_name_empty, "alter_domain \"\": domain name is empty"),
    ERROR_CASE(e_comment_on_kind, "comment_on \"x\": unknown kind 42 (PCSM_OBJECT_INDEX, "
               "_SEQUENCE, _VIEW, _MATERIALIZED_VIEW, _TYPE, _FUNCTION, _CONSTRAINT, _TRIGGER, "
               "_POLICY or _DOMAIN)"),
    ERROR_CASE(e_comment_on_none, "comment_on \"x\": unknown kind 0 (PCSM_OBJECT_INDEX, "
               "_SEQUENCE, _VIEW, _MATERIALIZED_VIEW, _TYPE, _FUNCTION, _CONSTRAINT, _TRIGGER, "
               "_POLICY or _DOMAIN)"),
    ERROR_CASE(e_comment_on_name, "comment_on \"\": name is empty"),
    ERROR_CASE(e_comment_on_no_table, "comment_on \"tr\": table name (of) is missing"),
    ERROR_CASE(e_comment_on_of_index, "comment_on \"ix\": of must be NULL for "
               "PCSM_OBJECT_INDEX (it names the table of a constraint, trigger or policy, or "
               "a function's arguments)"),
    ERROR_CASE(e_comment_on_utf8, "comment_on \"ty\": comment is not valid UTF-8"),
    ERROR_CASE(e_comment_on_args_utf8, "comment_on \"f\": argument list (of) is not valid "
               "UTF-8"),
    ERROR_CASE(e_sequence_min_max, "create_sequence \"s\": options: MINVALUE (10) must be "
               "less than MAXVALUE (10)"),
    ERROR_CASE(e_sequence_start_low, "create_sequence \"s\": options: START value (0) cannot "
               "be less than MINVALUE (1)"),
    ERROR_CASE(e_sequence_descending_start_high, "create_sequence \"s\": options: START value "
               "(1) cannot be greater than MAXVALUE (-1)"),
    ERROR_CASE(e_sequence_type_range, "create_sequence \"s\": options: MAXVALUE (100000) is "
               "out of range for sequence data type smallint"),
    ERROR_CASE(e_sequence_as_text, "create_sequence \"s\": options: AS takes PCSM_SMALLINT, "
               "PCSM_INTEGER or PCSM_BIGINT"),
    ERROR_CASE(e_sequence_cache, "create_sequence \"s\": options: CACHE (-1) must be greater "
               "than zero"),
    ERROR_CASE(e_sequence_restart_create, "create_sequence \"s\": options: RESTART is for "
               "alter_sequence only"),
    ERROR_CASE(e_sequence_owner_half, "create_sequence \"s\": OWNED BY needs both a table and "
               "a column"),
    ERROR_CASE(e_sequence_cycle, "create_sequence \"s\": options: unknown cycle 9 (PCSM_CYCLE "
               "or PCSM_NO_CYCLE)"),
    ERROR_CASE(e_alter_sequence_nothing, "alter_sequence \"s\": nothing to alter"),
    ERROR_CASE(e_rename_sequence_missing, "rename_sequence \"s\": new sequence name is missing"),
    ERROR_CASE(e_drop_sequence_concurrently, "drop_sequence \"s\": unsupported flags 0x4"),
};

BODY(e_view_null, pcsm_create_view(op, NULL))
BODY(e_view_no_name, pcsm_create_view(op, &(pcsm_view){ .query = "SELECT 1" }))
BODY(e_view_no_query, pcsm_create_view(op, &(pcsm_view){ .name = "v" }))
BODY(e_view_blank_query, pcsm_create_view(op, &(pcsm_view){ .name = "v", .query = " ;\n" }))
BODY(e_view_column_empty, pcsm_create_view(op, &(pcsm_view){
         .name = "v", .query = "SELECT 1", .columns = PCSM_NAMES("") }))
BODY(e_view_column_twice, pcsm_create_view(op, &(pcsm_view){
         .name = "v", .query = "SELECT 1, 2", .columns = PCSM_NAMES("a", "a") }))
BODY(e_view_reads_empty, pcsm_create_view(op, &(pcsm_view){
         .name = "v", .query = "SELECT 1", .reads = PCSM_NAMES("t", "") }))
BODY(e_view_no_data, pcsm_create_view(op, &(pcsm_view){
         .name = "v", .query = "SELECT 1", .no_data = true }))
BODY(e_matview_replace, pcsm_create_materialized_view(op, &(pcsm_view){
         .name = "m", .query = "SELECT 1", .or_replace = true }))
BODY(e_rename_view_missing, pcsm_rename_view(op, "v", NULL))
BODY(e_rename_matview_long, pcsm_rename_materialized_view(op, "m",
         "a123456789b123456789c123456789d123456789e123456789f123456789g1234"))
BODY(e_drop_view_flags, pcsm_drop_view(op, "v", PCSM_DROP_CONCURRENTLY))
BODY(e_drop_matview_flags, pcsm_drop_materialized_view(op, "m", PCSM_REFRESH_CONCURRENTLY))
BODY(e_refresh_flags, pcsm_refresh_materialized_view(op, "m", PCSM_IF_EXISTS))
BODY(e_refresh_both, pcsm_refresh_materialized_view(op, "m",
         PCSM_REFRESH_CONCURRENTLY | PCSM_REFRESH_NO_DATA))

static const struct error_case view_cases[] = {
    ERROR_CASE(e_view_null, "create_view: no view given"),
    ERROR_CASE(e_view_no_name, "create_view: view name is missing"),
    ERROR_CASE(e_view_no_query, "create_view \"v\": query is missing"),
    ERROR_CASE(e_view_blank_query, "create_view \"v\": query is empty"),
    ERROR_CASE(e_view_column_empty, "create_view \"v\": view column is empty"),
    ERROR_CASE(e_view_column_twice, "create_view \"v\": column \"a\" is named twice"),
    ERROR_CASE(e_view_reads_empty, "create_view \"v\": reads is empty"),
    ERROR_CASE(e_view_no_data, "create_view \"v\": no_data is for a materialized view "
               "(a view holds no data)"),
    ERROR_CASE(e_matview_replace, "create_materialized_view \"m\": a materialized view has "
               "no CREATE OR REPLACE (drop it and create it again)"),
    ERROR_CASE(e_rename_view_missing, "rename_view \"v\": new view name is missing"),
    ERROR_CASE(e_rename_matview_long, "rename_materialized_view \"m\": new view name "
               "\"a123456789b123456789c123456789d123456789e123456789f123456789g1234\" is longer "
               "than 63 bytes (PostgreSQL would truncate it)"),
    ERROR_CASE(e_drop_view_flags, "drop_view \"v\": unsupported flags 0x4"),
    ERROR_CASE(e_drop_matview_flags, "drop_materialized_view \"m\": unsupported flags 0x20"),
    ERROR_CASE(e_refresh_flags, "refresh_materialized_view \"m\": unsupported flags 0x1"),
    ERROR_CASE(e_refresh_both, "refresh_materialized_view \"m\": CONCURRENTLY and WITH NO DATA "
               "cannot be used together (as the server says)"),
};

START_TEST(test_ddl_error_views)
{
    run_error_case(&view_cases[_i]);
}
END_TEST

START_TEST(test_ddl_error_breadth)
{
    run_error_case(&breadth_cases[_i]);
}
END_TEST

START_TEST(test_ddl_error_objects)
{
    run_error_case(&object_cases[_i]);
}
END_TEST

/* -------------------------------------------- validation: SQL and data */

BODY(e_execute_null, pcsm_execute(op, NULL))
BODY(e_execute_blank, pcsm_execute(op, " \n\t\r "))
BODY(e_execute_bad_utf8, pcsm_execute(op, "SELECT '\xed\xbf\xbf'"))
BODY(e_params_sql_missing, pcsm_execute_params(op, NULL, 0, NULL))
BODY(e_params_too_many,
     pcsm_execute_params(op, "SELECT 1", 65536, (const pcsm_value[]){ PCSM_NULL }))
BODY(e_params_array_missing, pcsm_execute_params(op, "SELECT $1, $2", 2, NULL))
BODY(e_params_literal_null,
     pcsm_execute_params(op, "SELECT $1, $2", 2,
                         (const pcsm_value[]){ PCSM_LITERAL("a"), PCSM_LITERAL(NULL) }))
BODY(e_params_none, pcsm_execute_params(op, "SELECT $1", 1,
                                        (const pcsm_value[]){ { PCSM_VALUE_NONE, NULL } }))
BODY(e_params_expr_empty,
     pcsm_execute_params(op, "SELECT $1", 1, (const pcsm_value[]){ PCSM_EXPR("") }))
BODY(e_params_literal_bad_utf8,
     pcsm_execute_params(op, "SELECT $1", 1, (const pcsm_value[]){ PCSM_LITERAL("\xf5") }))
BODY(e_batch_size_zero, pcsm_batch_update(op, "t", "id", "a = 1", NULL, 0))
BODY(e_batch_size_negative, pcsm_batch_update(op, "t", "id", "a = 1", NULL, -5))
BODY(e_batch_size_too_big, pcsm_batch_update(op, "t", "id", "a = 1", NULL, (long)INT_MAX + 1))
BODY(e_batch_set_missing, pcsm_batch_update(op, "t", "id", NULL, NULL, 10))
BODY(e_batch_where_blank, pcsm_batch_update(op, "t", "id", "a = 1", "\t", 10))
BODY(e_assert_message_null, pcsm_assert(op, "true", NULL))
BODY(e_assert_message_empty, pcsm_assert(op, "true", ""))
BODY(e_assert_message_bad_utf8, pcsm_assert(op, "true", "bad \xc1\xbf"))
BODY(e_assert_condition_missing, pcsm_assert(op, NULL, "message"))
BODY(e_assert_condition_blank, pcsm_assert(op, "  ", "message"))

static const struct error_case data_cases[] = {
    ERROR_CASE(e_execute_null, "execute: SQL is missing"),
    ERROR_CASE(e_execute_blank, "execute: SQL is empty"),
    ERROR_CASE(e_execute_bad_utf8, "execute: SQL is not valid UTF-8"),
    ERROR_CASE(e_params_sql_missing, "execute_params: SQL is missing"),
    ERROR_CASE(e_params_too_many, "execute_params: 65536 parameters given (PostgreSQL takes"
               " at most 65535)"),
    ERROR_CASE(e_params_array_missing, "execute_params: 2 parameters given without an array"),
    ERROR_CASE(e_params_literal_null, "execute_params: parameter $2: PCSM_LITERAL(NULL);"
               " use PCSM_NULL for SQL NULL"),
    ERROR_CASE(e_params_none, "execute_params: parameter $1 is missing"),
    ERROR_CASE(e_params_expr_empty, "execute_params: parameter $1 is empty"),
    ERROR_CASE(e_params_literal_bad_utf8, "execute_params: parameter $1 is not valid UTF-8"),
    ERROR_CASE(e_batch_size_zero, "batch_update \"t\": batch size 0 is outside 1..2147483647"),
    ERROR_CASE(e_batch_size_negative,
               "batch_update \"t\": batch size -5 is outside 1..2147483647"),
    ERROR_CASE(e_batch_size_too_big,
               "batch_update \"t\": batch size 2147483648 is outside 1..2147483647"),
    ERROR_CASE(e_batch_set_missing, "batch_update \"t\": SET clause is missing"),
    ERROR_CASE(e_batch_where_blank, "batch_update \"t\": WHERE condition is empty"),
    ERROR_CASE(e_assert_message_null, "assert: an assertion needs a message"),
    ERROR_CASE(e_assert_message_empty, "assert: an assertion needs a message"),
    ERROR_CASE(e_assert_message_bad_utf8, "assert: message is not valid UTF-8"),
    ERROR_CASE(e_assert_condition_missing, "assert: condition is missing"),
    ERROR_CASE(e_assert_condition_blank, "assert: condition is empty"),
};

START_TEST(test_ddl_error_sql_and_data)
{
    run_error_case(&data_cases[_i]);
}
END_TEST

/* ------------------------------------------------ validation: behaviour */

BODY(e_first_wins,
     pcsm_create_table(op, "t", NULL, NULL, NULL);
     pcsm_drop_table(op, NULL, 0);
     pcsm_create_index(op, NULL);
     pcsm_execute(op, "SELECT 1"))

BODY(e_valid_invalid_valid,
     pcsm_create_table(op, "t", COLS_A, NULL, NULL);
     pcsm_execute(op, "SELECT 1");
     pcsm_batch_update(op, "t", "a", "a = 1", NULL, 0);
     pcsm_assert(op, NULL, NULL);
     pcsm_drop_table(op, "t", 0x40u);
     pcsm_execute(op, "SELECT 2"))

START_TEST(test_ddl_error_only_first_reported)
{
    EXPECT_ERROR(e_first_wins, "create_table \"t\": no columns given");
    /* Valid calls before the error render nothing either. */
    EXPECT_ERROR(e_valid_invalid_valid,
                 "batch_update \"t\": batch size 0 is outside 1..2147483647");
}
END_TEST

START_TEST(test_ddl_error_names_direction_and_path)
{
    static const pcsm_revision no_path = {
        .id = "ffff0000", .upgrade = run_body, .downgrade = run_body,
    };
    struct result r;

    render(&rev_txn, PCSM_DOWNGRADE, e_first_wins, &r);
    ck_assert_int_eq(r.rc, PCSM_EMIGRATION);
    ck_assert_str_eq(r.message.ptr, "revision " REV_ID " (" REV_PATH "), downgrade():"
                     " create_table \"t\": no columns given");
    result_dispose(&r);
    render(&no_path, PCSM_UPGRADE, e_drop_table_missing, &r);
    ck_assert_int_eq(r.rc, PCSM_EMIGRATION);
    ck_assert_str_eq(r.message.ptr, "revision ffff0000 (?), upgrade():"
                     " drop_table: table name is missing");
    result_dispose(&r);
}
END_TEST

START_TEST(test_ddl_error_does_not_leak_into_next_revision)
{
    pcsm_ctx *ctx;
    pcsm_buf sql = PCSM_BUF_INIT;

    /* A failed revision does not poison the next: each records into a new op. */
    ck_assert_int_eq(pcsm_ctx_new(&ctx, NULL, 0), 0);
    current_body = e_first_wins;
    ck_assert_int_eq(pcsm_revision_sql(ctx, &rev_txn, PCSM_UPGRADE, &sql), PCSM_EMIGRATION);
    current_body = body_rename_table;
    ck_assert_int_eq(pcsm_revision_sql(ctx, &rev_txn, PCSM_UPGRADE, &sql), 0);
    ck_assert_str_eq(sql.ptr, "ALTER TABLE \"old\" RENAME TO \"New \"\"one\"\"\";\n");
    pcsm_buf_dispose(&sql);
    pcsm_ctx_free(ctx);
}
END_TEST

START_TEST(test_ddl_null_op_aborts)
{
    /* A migration that passes no context is a programming error: abort(). */
    pcsm_execute(NULL, "SELECT 1");
}
END_TEST

/* ------------------------------------------------------- regressions */

/*
 * Regression (2026-11-23, fixed in f829f87 "DDL fixes"): the calls that go
 * through record_names() skipped the table-name check when the table was
 * NULL and a column or constraint name was given; the NULL table was
 * recorded and render.c dereferenced it (SEGV in pcsm_sql__ident).
 */
BODY(e_null_table_drop_column, pcsm_drop_column(op, NULL, "c", 0))
BODY(e_null_table_rename_column, pcsm_rename_column(op, NULL, "a", "b"))
BODY(e_null_table_drop_default, pcsm_drop_default(op, NULL, "c"))
BODY(e_null_table_set_not_null, pcsm_set_not_null(op, NULL, "c"))
BODY(e_null_table_drop_not_null, pcsm_drop_not_null(op, NULL, "c"))
BODY(e_null_table_drop_constraint, pcsm_drop_constraint(op, NULL, "c", 0))

/*
 * Regression (2026-11-23, fixed in f829f87): an empty column list counted
 * as "columns given" and rendered CREATE INDEX "ix" ON "t" (), a syntax
 * error.
 */
BODY(e_index_empty_column_list, INDEX(.columns = (const char *const[]){ NULL }))

/*
 * Regression (2026-11-23, fixed in f829f87): PostgreSQL refuses a
 * DEFERRABLE CHECK constraint (0A000 "CHECK constraints cannot be marked
 * DEFERRABLE"); validation let it through to fail on the server.
 */
BODY(e_check_deferrable_add,
     ADD_T(.kind = PCSM_CHECK, .name = "c", .check = "a > 0", .deferrable = true))
BODY(e_check_deferrable_create,
     CREATE_T({ .kind = PCSM_CHECK, .check = "a > 0", .deferrable = true }))

static const struct error_case regression_cases[] = {
    ERROR_CASE(e_null_table_drop_column, "drop_column: table name is missing"),
    ERROR_CASE(e_null_table_rename_column, "rename_column: table name is missing"),
    ERROR_CASE(e_null_table_drop_default, "drop_default: table name is missing"),
    ERROR_CASE(e_null_table_set_not_null, "set_not_null: table name is missing"),
    ERROR_CASE(e_null_table_drop_not_null, "drop_not_null: table name is missing"),
    ERROR_CASE(e_null_table_drop_constraint, "drop_constraint: table name is missing"),
    ERROR_CASE(e_index_empty_column_list, "create_index \"ix\": index column: no columns given"),
    ERROR_CASE(e_check_deferrable_add,
               "add_constraint \"t\": a check constraint cannot be DEFERRABLE"),
    ERROR_CASE(e_check_deferrable_create,
               "create_table \"t\": a check constraint cannot be DEFERRABLE"),
};

START_TEST(test_ddl_error_regressions)
{
    run_error_case(&regression_cases[_i]);
}
END_TEST

/*
 * Regression (2026-11-23, fixed in f829f87): author SQL whose last line
 * ends in a "--" comment got its terminating ';' appended inside the
 * comment, so in a --sql script it swallowed the next statement.
 */
BODY(body_execute_trailing_comment,
     pcsm_execute(op, "UPDATE t SET a = 1 -- backfill");
     pcsm_execute(op, "UPDATE t SET a = 2; -- done\n");
     pcsm_execute(op, "-- header\nUPDATE t SET a = 3");
     pcsm_execute(op, "SELECT '--'");
     pcsm_execute_params(op, "UPDATE t SET a = $1 -- backfill;", 1,
                         (const pcsm_value[]){ PCSM_LITERAL("x") }))

/* True when no line that ends in ';' has a "--" before it. */
static bool terminators_outside_line_comments(const char *sql)
{
    const char *line, *nl;

    for (line = sql; (nl = strchr(line, '\n')) != NULL; line = nl + 1) {
        const char *dash = strstr(line, "--");

        if (nl > line && nl[-1] == ';' && dash && dash < nl)
            return false;
    }
    return true;
}

START_TEST(test_ddl_execute_trailing_line_comment_keeps_terminator)
{
    struct result r;

    /* A "--" on the last line, even inside a string, moves the ';' down a line. */
    EXPECT_SQL(body_execute_trailing_comment,
               "UPDATE t SET a = 1 -- backfill\n;\n"
               "UPDATE t SET a = 2; -- done\n;\n"
               "-- header\nUPDATE t SET a = 3;\n"
               "SELECT '--'\n;\n"
               "PREPARE pcsm_stmt AS UPDATE t SET a = $1 -- backfill\n;\n"
               "EXECUTE pcsm_stmt('x');\n"
               "DEALLOCATE pcsm_stmt;\n");
    render(&rev_txn, PCSM_UPGRADE, body_execute_trailing_comment, &r);
    ck_assert_msg(terminators_outside_line_comments(r.sql.ptr), "%s", esc(r.sql.ptr));
    result_dispose(&r);
}
END_TEST

/*
 * Regression (2026-11-23, fixed in f829f87): the batch_update DO block
 * declared PL/pgSQL variables named total, batches, last_key, batch_last
 * and batch_rows; a SET or WHERE naming a column "total" failed on the
 * server with 42702 'column reference "total" is ambiguous'.  The block
 * must name its variables so they cannot collide, or let columns win.
 */
BODY(body_batch_update_shadowing,
     pcsm_batch_update(op, "orders", "id", "total = price * qty", "total IS NULL", 100))

START_TEST(test_ddl_batch_update_variables_cannot_shadow_columns)
{
    struct result r;
    const char *decl, *begin, *line;

    render(&rev_txn, PCSM_UPGRADE, body_batch_update_shadowing, &r);
    ck_assert_int_eq(r.rc, 0);
    ck_assert_ptr_nonnull(strstr(r.sql.ptr, "\n#variable_conflict use_column\nDECLARE\n"));
    decl = strstr(r.sql.ptr, "\nDECLARE\n");
    begin = strstr(r.sql.ptr, "\nBEGIN\n");
    ck_assert_ptr_nonnull(begin);
    for (line = decl + strlen("\nDECLARE\n"); line < begin; line = strchr(line, '\n') + 1) {
        while (*line == ' ')
            line++;
        ck_assert_msg(strncmp(line, "pcsm_", 5) == 0,
                      "DO block variable may shadow a column: %.20s", line);
    }
    result_dispose(&r);
}
END_TEST

/* ------------------------------- session settings, locks, guards (golden) */

BODY(body_set_local,
     pcsm_set_local(op, "lock_timeout", "5s");
     pcsm_set_local(op, "myapp.flag", "it's on");
     pcsm_set_local(op, "search_path", ""))

START_TEST(test_ddl_set_local)
{
    EXPECT_SQL(body_set_local,
               "SET LOCAL lock_timeout = '5s';\n"
               "SET LOCAL myapp.flag = 'it''s on';\n"
               "SET LOCAL search_path = '';\n");
    /* Outside a transaction SET LOCAL would do nothing: a SET, reset by the runner. */
    expect_sql_in(&rev_nontxn, body_set_local,
                  "SET lock_timeout = '5s';\n"
                  "SET myapp.flag = 'it''s on';\n"
                  "SET search_path = '';\n");
}
END_TEST

BODY(body_lock_table,
     pcsm_lock_table(op, "t", PCSM_LOCK_ACCESS_SHARE, 0);
     pcsm_lock_table(op, "t", PCSM_LOCK_ROW_SHARE, 0);
     pcsm_lock_table(op, "t", PCSM_LOCK_ROW_EXCLUSIVE, 0);
     pcsm_lock_table(op, "t", PCSM_LOCK_SHARE_UPDATE_EXCLUSIVE, 0);
     pcsm_lock_table(op, "t", PCSM_LOCK_SHARE, PCSM_LOCK_NOWAIT);
     pcsm_lock_table(op, "t", PCSM_LOCK_SHARE_ROW_EXCLUSIVE, 0);
     pcsm_lock_table(op, "t", PCSM_LOCK_EXCLUSIVE, 0);
     pcsm_lock_table(op, "it's \"t\"", PCSM_LOCK_ACCESS_EXCLUSIVE, PCSM_LOCK_NOWAIT))

START_TEST(test_ddl_lock_table)
{
    EXPECT_SQL(body_lock_table,
               "LOCK TABLE \"t\" IN ACCESS SHARE MODE;\n"
               "LOCK TABLE \"t\" IN ROW SHARE MODE;\n"
               "LOCK TABLE \"t\" IN ROW EXCLUSIVE MODE;\n"
               "LOCK TABLE \"t\" IN SHARE UPDATE EXCLUSIVE MODE;\n"
               "LOCK TABLE \"t\" IN SHARE MODE NOWAIT;\n"
               "LOCK TABLE \"t\" IN SHARE ROW EXCLUSIVE MODE;\n"
               "LOCK TABLE \"t\" IN EXCLUSIVE MODE;\n"
               "LOCK TABLE \"it's \"\"t\"\"\" IN ACCESS EXCLUSIVE MODE NOWAIT;\n");
}
END_TEST

/* (pcsm_if) and (pcsm_end_if): the functions, not the line macros, so line 0. */
BODY(body_guard,
     (pcsm_if)(op, "NOT EXISTS (SELECT 1 FROM pg_indexes WHERE indexname = 'ix')");
     (pcsm_create_index)(op, &(pcsm_index){ .name = "ix", .table = "t",
                                            .columns = PCSM_NAMES("a") });
     (pcsm_execute)(op, "UPDATE t SET a = 'x'");
     (pcsm_end_if)(op);
     (pcsm_drop_table)(op, "u", 0))

START_TEST(test_ddl_guard)
{
    EXPECT_SQL(body_guard,
               "DO $pcsm$\n"
               "BEGIN\n"
               "    IF (NOT EXISTS (SELECT 1 FROM pg_indexes WHERE indexname = 'ix')) THEN\n"
               "        EXECUTE 'CREATE INDEX \"ix\" ON \"t\" (\"a\");';\n"
               "        EXECUTE 'UPDATE t SET a = ''x'';';\n"
               "        RAISE NOTICE '%', 'if: condition true, 2 operations run';\n"
               "    ELSE\n"
               "        RAISE NOTICE '%', 'if: condition false, 2 operations skipped';\n"
               "    END IF;\n"
               "END\n"
               "$pcsm$;\n"
               "DROP TABLE \"u\";\n");
}
END_TEST

/* A guarded text holding our dollar tag: the block takes another. */
BODY(body_guard_dollar,
     pcsm_if(op, "true");
     pcsm_execute(op, "SELECT '$pcsm$'");
     pcsm_end_if(op))

START_TEST(test_ddl_guard_switches_dollar_tag_and_records_lines)
{
    pcsm_op *op = pcsm_op__new(&rev_txn, PCSM_UPGRADE);
    const struct pcsm_ddl_op *g;
    struct result r;
    unsigned line = __LINE__ + 1;
    pcsm_if(op, "x > 0");
    pcsm_execute(op, "SELECT 1");
    pcsm_end_if(op);

    ck_assert_ptr_null(pcsm_op__failure(op));
    ck_assert_uint_eq(pcsm_op__count(op), 1);
    g = pcsm_op__at(op, 0);
    ck_assert_int_eq(g->kind, PCSM_OP_IF);
    ck_assert_uint_eq(g->line, line);
    ck_assert_uint_eq(g->u.guard.n_ops, 1);
    ck_assert_uint_eq(g->u.guard.ops[0].line, line + 1);
    ck_assert_str_eq(g->u.guard.ops[0].u.execute.sql, "SELECT 1");
    pcsm_op__free(op);

    render(&rev_txn, PCSM_UPGRADE, body_guard_dollar, &r);
    ck_assert_int_eq(r.rc, 0);
    ck_assert_msg(strncmp(r.sql.ptr, "DO $pcsm1$\n", 11) == 0, "%s", esc(r.sql.ptr));
    ck_assert_ptr_nonnull(strstr(r.sql.ptr, "EXECUTE 'SELECT ''$pcsm$'';';\n"));
    result_dispose(&r);
}
END_TEST

BODY(body_batch_update_from,
     pcsm_batch_update_from(op, "orders", "id", "total = p.amount", "payments p",
                            "p.order_id = \"orders\".id", 500))

START_TEST(test_ddl_batch_update_from)
{
    struct result r;
    const char *step =
        "            SELECT \"id\" AS pcsm_key FROM \"orders\"\n"
        "            WHERE (true) AND \"id\" > pcsm_last_key\n"
        "            ORDER BY \"id\" LIMIT 500\n"
        "        ), pcsm_updated AS (\n"
        "            UPDATE \"orders\" SET total = p.amount FROM pcsm_batch, payments p\n"
        "            WHERE \"orders\".\"id\" = pcsm_batch.pcsm_key AND "
        "(p.order_id = \"orders\".id) RETURNING 1\n"
        "        )\n"
        "        SELECT (SELECT pcsm_key FROM pcsm_batch ORDER BY pcsm_key DESC LIMIT 1),\n"
        "               (SELECT count(*) FROM pcsm_updated)\n";

    render(&rev_txn, PCSM_UPGRADE, body_batch_update_from, &r);
    ck_assert_int_eq(r.rc, 0);
    ck_assert_msg(strstr(r.sql.ptr, step) != NULL, "%s", esc(r.sql.ptr));
    ck_assert_ptr_nonnull(strstr(r.sql.ptr, "        WITH pcsm_batch AS (\n"));
    ck_assert_ptr_nonnull(strstr(r.sql.ptr, "RAISE NOTICE 'batch_update_from %: batch %, "));
    ck_assert_ptr_null(strstr(r.sql.ptr, " batch.pcsm_key"));
    result_dispose(&r);
}
END_TEST

BODY(e_set_local_name_null, pcsm_set_local(op, NULL, "1"))
BODY(e_set_local_name_two_dots, pcsm_set_local(op, "a.b.c", "1"))
BODY(e_set_local_name_digit, pcsm_set_local(op, "1abc", "1"))
BODY(e_set_local_name_space, pcsm_set_local(op, "lock_timeout = 0; --", "1"))
BODY(e_set_local_name_dot_end, pcsm_set_local(op, "myapp.", "1"))
BODY(e_set_local_value_null, pcsm_set_local(op, "lock_timeout", NULL))
BODY(e_set_local_value_bad_utf8, pcsm_set_local(op, "lock_timeout", "\xff"))
BODY(e_lock_mode, pcsm_lock_table(op, "t", (enum pcsm_lock_mode)99, 0))
BODY(e_lock_flags, pcsm_lock_table(op, "t", PCSM_LOCK_SHARE, PCSM_IF_EXISTS << 1))
BODY(e_lock_table_missing, pcsm_lock_table(op, NULL, PCSM_LOCK_SHARE, 0))
BODY(e_lock_nontxn, pcsm_lock_table(op, "t", PCSM_LOCK_SHARE, 0))
BODY(e_guard_nested,
     (pcsm_if)(op, "true"); (pcsm_execute)(op, "SELECT 1"); (pcsm_if)(op, "false"))
BODY(e_guard_end_alone, (pcsm_end_if)(op))
BODY(e_guard_empty, (pcsm_if)(op, "true"); (pcsm_end_if)(op))
BODY(e_guard_unclosed, (pcsm_if)(op, "true"); (pcsm_execute)(op, "SELECT 1"))
BODY(e_guard_condition_blank, (pcsm_if)(op, " ;"))
BODY(e_guard_nontxn, (pcsm_if)(op, "true"))
BODY(e_batch_from_missing, pcsm_batch_update_from(op, "t", "id", "a = 1", NULL, NULL, 10))
BODY(e_batch_from_blank, pcsm_batch_update_from(op, "t", "id", "a = 1", "  ", NULL, 10))
BODY(e_batch_from_size, pcsm_batch_update_from(op, "t", "id", "a = 1", "u", NULL, 0))

static const struct error_case session_cases[] = {
    ERROR_CASE(e_set_local_name_null, "set_local: setting name is missing"),
    ERROR_CASE(e_set_local_name_two_dots, "set_local: setting name \"a.b.c\" is not a "
               "setting's name (letters, digits and '_', at most one '.')"),
    ERROR_CASE(e_set_local_name_digit, "set_local: setting name \"1abc\" is not a "
               "setting's name (letters, digits and '_', at most one '.')"),
    ERROR_CASE(e_set_local_name_space, "set_local: setting name \"lock_timeout = 0; --\" is "
               "not a setting's name (letters, digits and '_', at most one '.')"),
    ERROR_CASE(e_set_local_name_dot_end, "set_local: setting name \"myapp.\" is not a "
               "setting's name (letters, digits and '_', at most one '.')"),
    ERROR_CASE(e_set_local_value_null, "set_local \"lock_timeout\": value is missing"),
    ERROR_CASE(e_set_local_value_bad_utf8, "set_local \"lock_timeout\": value is not valid "
               "UTF-8"),
    ERROR_CASE(e_lock_mode, "lock_table \"t\": unknown lock mode 99"),
    ERROR_CASE(e_lock_flags, "lock_table \"t\": unsupported flags 0x2"),
    ERROR_CASE(e_lock_table_missing, "lock_table: table name is missing"),
    ERROR_CASE_NONTXN(e_lock_nontxn, "lock_table \"t\": LOCK TABLE can only be used in a "
                      "transaction block; a revision flagged nontransactional has none"),
    ERROR_CASE(e_guard_nested, "if: the guard of line 0 inside the guard of line 0: guards do "
               "not nest"),
    ERROR_CASE(e_guard_end_alone, "if: pcsm_end_if() without pcsm_if()"),
    ERROR_CASE(e_guard_empty, "if: the guard of line 0 guards no operation"),
    ERROR_CASE(e_guard_unclosed, "if: the guard of line 0 has no pcsm_end_if()"),
    ERROR_CASE(e_guard_condition_blank, "if: condition is empty"),
    ERROR_CASE_NONTXN(e_guard_nontxn, "if: the guard of line 0 needs the revision's "
                      "transaction to ask its condition in; a revision flagged "
                      "nontransactional has none"),
    ERROR_CASE(e_batch_from_missing, "batch_update_from \"t\": FROM list is missing"),
    ERROR_CASE(e_batch_from_blank, "batch_update_from \"t\": FROM list is empty"),
    ERROR_CASE(e_batch_from_size,
               "batch_update_from \"t\": batch size 0 is outside 1..2147483647"),
};

START_TEST(test_ddl_error_session)
{
    run_error_case(&session_cases[_i]);
}
END_TEST

/* ------------------------- index elements, NULLS NOT DISTINCT, renames */

BODY(body_index_elements,
     pcsm_create_index(op, &(pcsm_index){ .name = "ix_el", .table = "t",
         .elements = PCSM_ELEMENTS(
             { .expression = "lower(name)", .opclass = "text_pattern_ops",
               .descending = true, .nulls = PCSM_NULLS_LAST },
             { .column = "Name\"", .collation = "C" },
             { .expression = "n + 1", .nulls = PCSM_NULLS_FIRST },
             { .column = "v", .opclass = "public.varchar_pattern_ops" }) });
     pcsm_create_index(op, &(pcsm_index){ .name = "ix_trgm", .table = "t", .method = "gin",
         .elements = PCSM_ELEMENTS({ .column = "name", .opclass = "gin_trgm_ops" }) });
     pcsm_create_index(op, &(pcsm_index){ .name = "ux_n", .table = "t", .unique = true,
         .columns = PCSM_NAMES("n"), .nulls_not_distinct = true, .where = "n > 0" });
     pcsm_add_constraint(op, "t", &(pcsm_constraint){ .kind = PCSM_UNIQUE, .name = "t_v_key",
         .columns = PCSM_NAMES("v"), .nulls_not_distinct = true });
     pcsm_create_table(op, "u", COLS_A, PCSM_CONSTRAINTS({ .kind = PCSM_UNIQUE,
         .columns = PCSM_NAMES("a"), .nulls_not_distinct = true }), NULL);
     pcsm_rename_index(op, "ix_el", "ix \"el\"");
     pcsm_rename_constraint(op, "t", "t_v_key", "t_v_uq"))

START_TEST(test_ddl_index_elements_and_renames)
{
    EXPECT_SQL(body_index_elements,
               "CREATE INDEX \"ix_el\" ON \"t\" ((lower(name)) \"text_pattern_ops\" DESC"
               " NULLS LAST, \"Name\"\"\" COLLATE \"C\", (n + 1) NULLS FIRST,"
               " \"v\" \"public\".\"varchar_pattern_ops\");\n"
               "CREATE INDEX \"ix_trgm\" ON \"t\" USING gin (\"name\" \"gin_trgm_ops\");\n"
               "CREATE UNIQUE INDEX \"ux_n\" ON \"t\" (\"n\") NULLS NOT DISTINCT"
               " WHERE n > 0;\n"
               "ALTER TABLE \"t\" ADD CONSTRAINT \"t_v_key\" UNIQUE NULLS NOT DISTINCT"
               " (\"v\");\n"
               "CREATE TABLE \"u\" (\n    \"a\" integer,\n    UNIQUE NULLS NOT DISTINCT"
               " (\"a\")\n);\n"
               "ALTER INDEX \"ix_el\" RENAME TO \"ix \"\"el\"\"\";\n"
               "ALTER TABLE \"t\" RENAME CONSTRAINT \"t_v_key\" TO \"t_v_uq\";\n");
}
END_TEST

BODY(e_elements_and_columns, INDEX(.columns = PCSM_NAMES("a"),
                                   .elements = PCSM_ELEMENTS({ .column = "a" })))
BODY(e_elements_and_expression, INDEX(.expression = "lower(a)",
                                      .elements = PCSM_ELEMENTS({ .column = "a" })))
BODY(e_elements_none, INDEX(.elements = (const pcsm_index_element[]){ { .column = NULL } }))
BODY(e_element_both, INDEX(.elements = PCSM_ELEMENTS({ .column = "a", .expression = "b" })))
BODY(e_element_column_empty, INDEX(.elements = PCSM_ELEMENTS({ .column = "" })))
BODY(e_element_expression_empty, INDEX(.elements = PCSM_ELEMENTS({ .column = "a" },
                                                                  { .expression = " " })))
BODY(e_element_collation_empty, INDEX(.elements = PCSM_ELEMENTS({ .column = "a",
                                                                   .collation = "" })))
BODY(e_element_opclass_two_dots, INDEX(.elements = PCSM_ELEMENTS({ .column = "a",
                                                                    .opclass = "a.b.c" })))
BODY(e_element_opclass_no_schema, INDEX(.elements = PCSM_ELEMENTS({ .column = "a",
                                                                     .opclass = ".ops" })))
BODY(e_element_opclass_no_name, INDEX(.elements = PCSM_ELEMENTS({ .column = "a",
                                                                   .opclass = "s." })))
BODY(e_element_opclass_long_schema, INDEX(.elements = PCSM_ELEMENTS({ .column = "a",
                                                  .opclass = NAME64 ".ops" })))
BODY(e_element_bad_nulls, INDEX(.elements = PCSM_ELEMENTS({ .column = "a",
                                                             .nulls = (enum pcsm_nulls_order)7 })))
BODY(e_index_nnd_not_unique, INDEX(.columns = PCSM_NAMES("a"), .nulls_not_distinct = true))
BODY(e_constraint_nnd_pk,
     pcsm_add_constraint(op, "t", &(pcsm_constraint){ .kind = PCSM_PRIMARY_KEY, .name = "k",
         .columns = PCSM_NAMES("a"), .nulls_not_distinct = true }))
BODY(e_rename_index_no_new_name, pcsm_rename_index(op, "ix", NULL))
BODY(e_rename_index_long, pcsm_rename_index(op, "ix", NAME64))
BODY(e_rename_constraint_no_table, pcsm_rename_constraint(op, NULL, "c", "d"))
BODY(e_rename_constraint_empty_new, pcsm_rename_constraint(op, "t", "c", ""))

static const struct error_case element_cases[] = {
    ERROR_CASE(e_elements_and_columns,
               "create_index \"ix\": give elements alone, not with columns or an expression"),
    ERROR_CASE(e_elements_and_expression,
               "create_index \"ix\": give elements alone, not with columns or an expression"),
    ERROR_CASE(e_elements_none, "create_index \"ix\": index elements: none given"),
    ERROR_CASE(e_element_both,
               "create_index \"ix\": index element 1 gives both a column and an expression"),
    ERROR_CASE(e_element_column_empty, "create_index \"ix\": index column is empty"),
    ERROR_CASE(e_element_expression_empty, "create_index \"ix\": index expression is empty"),
    ERROR_CASE(e_element_collation_empty,
               "create_index \"ix\": index element collation is empty"),
    ERROR_CASE(e_element_opclass_two_dots, "create_index \"ix\": operator class \"a.b.c\" has"
               " more than one dot (give \"name\" or \"schema.name\")"),
    ERROR_CASE(e_element_opclass_no_schema,
               "create_index \"ix\": operator class schema is empty"),
    ERROR_CASE(e_element_opclass_no_name, "create_index \"ix\": operator class is empty"),
    ERROR_CASE(e_element_opclass_long_schema, "create_index \"ix\": operator class schema is"
               " longer than 63 bytes (PostgreSQL would truncate it)"),
    ERROR_CASE(e_element_bad_nulls, "create_index \"ix\": index element 1: unknown NULLS"
               " order 7"),
    ERROR_CASE(e_index_nnd_not_unique,
               "create_index \"ix\": NULLS NOT DISTINCT applies to a unique index only"),
    ERROR_CASE(e_constraint_nnd_pk,
               "add_constraint \"t\": NULLS NOT DISTINCT applies to unique constraints only"),
    ERROR_CASE(e_rename_index_no_new_name, "rename_index \"ix\": new index name is missing"),
    ERROR_CASE(e_rename_index_long, "rename_index \"ix\": new index name \"" NAME64 "\" is"
               " longer than 63 bytes (PostgreSQL would truncate it)"),
    ERROR_CASE(e_rename_constraint_no_table, "rename_constraint: table name is missing"),
    ERROR_CASE(e_rename_constraint_empty_new,
               "rename_constraint \"t\": new constraint name is empty"),
};

START_TEST(test_ddl_error_index_elements)
{
    run_error_case(&element_cases[_i]);
}
END_TEST

/* ------------------------------------------------- EXCLUDE constraints */

BODY(body_exclude,
     pcsm_create_table(op, "booking", PCSM_COLUMNS(
         { .name = "room", .type = PCSM_INTEGER },
         { .name = "during", .type = PCSM_NAMED_TYPE("tsrange") }),
         PCSM_CONSTRAINTS({ .kind = PCSM_EXCLUDE, .method = "gist",
             .elements = PCSM_ELEMENTS({ .column = "room", .with = "=" },
                                       { .column = "during", .with = "&&" }) }), NULL);
     pcsm_add_constraint(op, "booking", &(pcsm_constraint){ .kind = PCSM_EXCLUDE,
         .name = "no \"overlap\"", .method = "gist", .where = "room > 0", .deferrable = true,
         .elements = PCSM_ELEMENTS(
             { .expression = "tsrange(lower(during), upper(during))", .with = "&&" },
             { .column = "room", .opclass = "int4_ops", .with = "pg_catalog.=" }) });
     pcsm_add_constraint(op, "booking", &(pcsm_constraint){ .kind = PCSM_EXCLUDE,
         .name = "one_room", .elements = PCSM_ELEMENTS({ .column = "room",
             .collation = NULL, .descending = true, .nulls = PCSM_NULLS_LAST, .with = "=" }) });
     pcsm_drop_constraint(op, "booking", "one_room", 0))

START_TEST(test_ddl_exclude)
{
    EXPECT_SQL(body_exclude,
               "CREATE TABLE \"booking\" (\n    \"room\" integer,\n    \"during\" \"tsrange\",\n"
               "    EXCLUDE USING gist (\"room\" WITH =, \"during\" WITH &&)\n);\n"
               "ALTER TABLE \"booking\" ADD CONSTRAINT \"no \"\"overlap\"\"\" EXCLUDE USING gist"
               " ((tsrange(lower(during), upper(during))) WITH &&,"
               " \"room\" \"int4_ops\" WITH OPERATOR(\"pg_catalog\".=)) WHERE (room > 0)"
               " DEFERRABLE INITIALLY DEFERRED;\n"
               "ALTER TABLE \"booking\" ADD CONSTRAINT \"one_room\" EXCLUDE"
               " (\"room\" DESC NULLS LAST WITH =);\n"
               "ALTER TABLE \"booking\" DROP CONSTRAINT \"one_room\";\n");
}
END_TEST

#define EXCL(...) pcsm_add_constraint(op, "t", &(pcsm_constraint){ .kind = PCSM_EXCLUDE, \
                                                                   __VA_ARGS__ })
BODY(e_excl_no_elements, EXCL(.name = "x"))
BODY(e_excl_columns, EXCL(.columns = PCSM_NAMES("a"),
                          .elements = PCSM_ELEMENTS({ .column = "a", .with = "=" })))
BODY(e_excl_no_operator, EXCL(.elements = PCSM_ELEMENTS({ .column = "a", .with = "=" },
                                                        { .column = "b" })))
BODY(e_excl_bad_operator, EXCL(.elements = PCSM_ELEMENTS({ .column = "a", .with = "= 1; --" })))
BODY(e_excl_comment_operator, EXCL(.elements = PCSM_ELEMENTS({ .column = "a", .with = "=--" })))
BODY(e_excl_empty_operator, EXCL(.elements = PCSM_ELEMENTS({ .column = "a", .with = "" })))
BODY(e_excl_operator_no_schema, EXCL(.elements = PCSM_ELEMENTS({ .column = "a", .with = ".=" })))
BODY(e_excl_operator_long_schema,
     EXCL(.elements = PCSM_ELEMENTS({ .column = "a", .with = NAME64 ".=" })))
BODY(e_excl_bad_method, EXCL(.method = "gits",
                             .elements = PCSM_ELEMENTS({ .column = "a", .with = "=" })))
BODY(e_excl_empty_where, EXCL(.where = " ",
                              .elements = PCSM_ELEMENTS({ .column = "a", .with = "=" })))
BODY(e_excl_not_valid, EXCL(.not_valid = true,
                            .elements = PCSM_ELEMENTS({ .column = "a", .with = "=" })))
BODY(e_index_with, INDEX(.elements = PCSM_ELEMENTS({ .column = "a", .with = "=" })))
BODY(e_unique_elements,
     pcsm_add_constraint(op, "t", &(pcsm_constraint){ .kind = PCSM_UNIQUE,
         .columns = PCSM_NAMES("a"), .where = "a > 0" }))

static const struct error_case exclude_cases[] = {
    ERROR_CASE(e_excl_no_elements,
               "add_constraint \"t\": exclusion constraint elements: none given"),
    ERROR_CASE(e_excl_columns, "add_constraint \"t\": an exclusion constraint takes elements,"
               " each with its operator, not columns"),
    ERROR_CASE(e_excl_no_operator, "add_constraint \"t\": exclusion constraint element 2 has"
               " no operator (.with = \"=\", \"&&\", ...)"),
    ERROR_CASE(e_excl_bad_operator, "add_constraint \"t\": element 1: \"= 1; --\" is not an"
               " operator (give one like \"=\" or \"&&\", or \"schema.op\")"),
    ERROR_CASE(e_excl_comment_operator, "add_constraint \"t\": element 1: \"=--\" is not an"
               " operator (give one like \"=\" or \"&&\", or \"schema.op\")"),
    ERROR_CASE(e_excl_empty_operator, "add_constraint \"t\": element 1: \"\" is not an"
               " operator (give one like \"=\" or \"&&\", or \"schema.op\")"),
    ERROR_CASE(e_excl_operator_no_schema, "add_constraint \"t\": operator schema is empty"),
    ERROR_CASE(e_excl_operator_long_schema, "add_constraint \"t\": element 1: the operator's"
               " schema is longer than 63 bytes"),
    ERROR_CASE(e_excl_bad_method, "add_constraint \"t\": unknown index method \"gits\""
               " (btree, hash, gin, gist, brin, spgist)"),
    ERROR_CASE(e_excl_empty_where,
               "add_constraint \"t\": exclusion constraint WHERE predicate is empty"),
    ERROR_CASE(e_excl_not_valid, "add_constraint \"t\": NOT VALID applies to foreign key and"
               " check constraints only"),
    ERROR_CASE(e_index_with, "create_index \"ix\": index element 1: an operator (.with)"
               " belongs to an exclusion constraint's element only"),
    ERROR_CASE(e_unique_elements, "add_constraint \"t\": elements, a method and a WHERE"
               " predicate belong to an exclusion constraint only (a partial unique key is a"
               " unique index)"),
};

START_TEST(test_ddl_error_exclude)
{
    run_error_case(&exclude_cases[_i]);
}
END_TEST

/* ------------------------------------------- schemas: pcsm_set_schema (golden) */

BODY(body_schema_tables,
     pcsm_create_schema(op, "billing", 0);
     pcsm_create_schema(op, "billing", PCSM_IF_NOT_EXISTS);
     pcsm_set_schema(op, "billing");
     pcsm_create_table(op, "invoices", PCSM_COLUMNS(
         { .name = "id", .type = PCSM_BIGINT, .primary_key = true, .comment = "key" },
         { .name = "account_id", .type = PCSM_UUID, .references = "accounts",
           .ref_schema = "crm", .on_delete = PCSM_CASCADE },
         { .name = "plan_id", .type = PCSM_INTEGER, .references = "plans",
           .ref_column = "id" },
         { .name = "state", .type = PCSM_TYPE_IN("billing", "state") }),
         PCSM_CONSTRAINTS(
         { .kind = PCSM_FOREIGN_KEY, .name = "invoices_owner_fk",
           .columns = PCSM_NAMES("account_id"), .references = "owners",
           .ref_schema = "public", .ref_columns = PCSM_NAMES("id") },
         { .kind = PCSM_FOREIGN_KEY, .name = "invoices_plan_fk",
           .columns = PCSM_NAMES("plan_id"), .references = "plans" },
         { .kind = PCSM_CHECK, .name = "invoices_id_check", .check = "id > 0" }), "Bills.");
     pcsm_rename_table(op, "invoices", "bills");
     pcsm_comment_table(op, "bills", "Bills sent.");
     pcsm_comment_table(op, "bills", NULL);
     pcsm_drop_table(op, "bills", 0);
     pcsm_drop_table(op, "bills", PCSM_IF_EXISTS | PCSM_DROP_CASCADE))

/*
 * Every call names its object in the schema set; the names inside a
 * definition keep theirs: a foreign key's table is in its ref_schema (none:
 * unqualified, the target schema), a column's type in PCSM_TYPE_IN's.
 */
START_TEST(test_ddl_schema_tables)
{
    EXPECT_SQL(body_schema_tables,
               "CREATE SCHEMA \"billing\";\n"
               "CREATE SCHEMA IF NOT EXISTS \"billing\";\n"
               "CREATE TABLE \"billing\".\"invoices\" (\n"
               "    \"id\" bigint PRIMARY KEY,\n"
               "    \"account_id\" uuid REFERENCES \"crm\".\"accounts\" ON DELETE CASCADE,\n"
               "    \"plan_id\" integer REFERENCES \"plans\" (\"id\"),\n"
               "    \"state\" \"billing\".\"state\",\n"
               "    CONSTRAINT \"invoices_owner_fk\" FOREIGN KEY (\"account_id\") REFERENCES"
               " \"public\".\"owners\" (\"id\"),\n"
               "    CONSTRAINT \"invoices_plan_fk\" FOREIGN KEY (\"plan_id\") REFERENCES"
               " \"plans\",\n"
               "    CONSTRAINT \"invoices_id_check\" CHECK (id > 0)\n"
               ");\n"
               "COMMENT ON TABLE \"billing\".\"invoices\" IS 'Bills.';\n"
               "COMMENT ON COLUMN \"billing\".\"invoices\".\"id\" IS 'key';\n"
               "ALTER TABLE \"billing\".\"invoices\" RENAME TO \"bills\";\n"
               "COMMENT ON TABLE \"billing\".\"bills\" IS 'Bills sent.';\n"
               "COMMENT ON TABLE \"billing\".\"bills\" IS NULL;\n"
               "DROP TABLE \"billing\".\"bills\";\n"
               "DROP TABLE IF EXISTS \"billing\".\"bills\" CASCADE;\n");
}
END_TEST

BODY(body_schema_columns,
     pcsm_set_schema(op, "billing");
     pcsm_add_column(op, "t", &(pcsm_column){ .name = "u_id", .type = PCSM_INTEGER,
                                              .references = "u", .ref_schema = "crm",
                                              .ref_column = "id", .comment = "the u" });
     pcsm_add_column(op, "t", &(pcsm_column){ .name = "v_id", .type = PCSM_INTEGER,
                                              .references = "v" });
     pcsm_drop_column(op, "t", "c", 0);
     pcsm_drop_column(op, "t", "c", PCSM_IF_EXISTS | PCSM_DROP_CASCADE);
     pcsm_rename_column(op, "t", "c", "d");
     pcsm_alter_column_type(op, "t", "d", PCSM_TEXT, "d::text");
     pcsm_alter_column_type_collate(op, "t", "d", PCSM_VARCHAR(9), "C", NULL);
     pcsm_set_default(op, "t", "d", PCSM_LITERAL("x"));
     pcsm_drop_default(op, "t", "d");
     pcsm_set_not_null(op, "t", "d");
     pcsm_drop_not_null(op, "t", "d");
     pcsm_comment_column(op, "t", "d", "dee");
     pcsm_comment_column(op, "t", "d", NULL);
     pcsm_add_identity(op, "t", "id", PCSM_IDENTITY_ALWAYS,
                       &(pcsm_sequence_options){ .start = PCSM_SEQ_VALUE(5) });
     pcsm_drop_identity(op, "t", "id", 0);
     pcsm_drop_identity(op, "t", "id", PCSM_IF_EXISTS))

START_TEST(test_ddl_schema_columns)
{
    EXPECT_SQL(body_schema_columns,
               "ALTER TABLE \"billing\".\"t\" ADD COLUMN \"u_id\" integer REFERENCES"
               " \"crm\".\"u\" (\"id\");\n"
               "COMMENT ON COLUMN \"billing\".\"t\".\"u_id\" IS 'the u';\n"
               "ALTER TABLE \"billing\".\"t\" ADD COLUMN \"v_id\" integer REFERENCES \"v\";\n"
               "ALTER TABLE \"billing\".\"t\" DROP COLUMN \"c\";\n"
               "ALTER TABLE \"billing\".\"t\" DROP COLUMN IF EXISTS \"c\" CASCADE;\n"
               "ALTER TABLE \"billing\".\"t\" RENAME COLUMN \"c\" TO \"d\";\n"
               "ALTER TABLE \"billing\".\"t\" ALTER COLUMN \"d\" TYPE text USING d::text;\n"
               "ALTER TABLE \"billing\".\"t\" ALTER COLUMN \"d\" TYPE varchar(9)"
               " COLLATE \"C\";\n"
               "ALTER TABLE \"billing\".\"t\" ALTER COLUMN \"d\" SET DEFAULT 'x';\n"
               "ALTER TABLE \"billing\".\"t\" ALTER COLUMN \"d\" DROP DEFAULT;\n"
               "ALTER TABLE \"billing\".\"t\" ALTER COLUMN \"d\" SET NOT NULL;\n"
               "ALTER TABLE \"billing\".\"t\" ALTER COLUMN \"d\" DROP NOT NULL;\n"
               "COMMENT ON COLUMN \"billing\".\"t\".\"d\" IS 'dee';\n"
               "COMMENT ON COLUMN \"billing\".\"t\".\"d\" IS NULL;\n"
               "ALTER TABLE \"billing\".\"t\" ALTER COLUMN \"id\" ADD GENERATED ALWAYS AS"
               " IDENTITY (START WITH 5);\n"
               "ALTER TABLE \"billing\".\"t\" ALTER COLUMN \"id\" DROP IDENTITY;\n"
               "ALTER TABLE \"billing\".\"t\" ALTER COLUMN \"id\" DROP IDENTITY IF EXISTS;\n");
}
END_TEST

BODY(body_schema_indexes_constraints,
     pcsm_set_schema(op, "billing");
     pcsm_create_index(op, &(pcsm_index){ .name = "ix_t_d", .table = "t", .unique = true,
                                          .columns = PCSM_NAMES("d"), .where = "d <> ''" });
     pcsm_create_index(op, &(pcsm_index){ .name = "ix_t_low", .table = "t",
                                          .expression = "lower(d)", .if_not_exists = true });
     pcsm_create_index(op, &(pcsm_index){ .table = "t", .columns = PCSM_NAMES("e") });
     pcsm_rename_index(op, "ix_t_d", "ix_t_d2");
     pcsm_drop_index(op, "ix_t_d2", 0);
     pcsm_drop_index(op, "ix_t_low", PCSM_IF_EXISTS | PCSM_DROP_CASCADE);
     pcsm_add_constraint(op, "t", &(pcsm_constraint){
         .kind = PCSM_FOREIGN_KEY, .name = "t_u_fk", .columns = PCSM_NAMES("u_id"),
         .references = "u", .ref_schema = "crm", .on_delete = PCSM_SET_NULL,
         .not_valid = true });
     pcsm_add_constraint(op, "t", &(pcsm_constraint){
         .kind = PCSM_FOREIGN_KEY, .name = "t_v_fk", .columns = PCSM_NAMES("v_id"),
         .references = "v", .ref_columns = PCSM_NAMES("id") });
     pcsm_add_constraint(op, "t", &(pcsm_constraint){ .kind = PCSM_UNIQUE, .name = "t_d_key",
                                                      .columns = PCSM_NAMES("d") });
     pcsm_validate_constraint(op, "t", "t_u_fk");
     pcsm_rename_constraint(op, "t", "t_u_fk", "t_u_fk2");
     pcsm_drop_constraint(op, "t", "t_u_fk2", 0);
     pcsm_drop_constraint(op, "t", "t_v_fk", PCSM_IF_EXISTS | PCSM_DROP_CASCADE))

/* An index is its table's: named bare in CREATE INDEX, qualified where it stands alone. */
START_TEST(test_ddl_schema_indexes_constraints)
{
    EXPECT_SQL(body_schema_indexes_constraints,
               "CREATE UNIQUE INDEX \"ix_t_d\" ON \"billing\".\"t\" (\"d\") WHERE d <> '';\n"
               "CREATE INDEX IF NOT EXISTS \"ix_t_low\" ON \"billing\".\"t\" ((lower(d)));\n"
               "CREATE INDEX ON \"billing\".\"t\" (\"e\");\n"
               "ALTER INDEX \"billing\".\"ix_t_d\" RENAME TO \"ix_t_d2\";\n"
               "DROP INDEX \"billing\".\"ix_t_d2\";\n"
               "DROP INDEX IF EXISTS \"billing\".\"ix_t_low\" CASCADE;\n"
               "ALTER TABLE \"billing\".\"t\" ADD CONSTRAINT \"t_u_fk\" FOREIGN KEY (\"u_id\")"
               " REFERENCES \"crm\".\"u\" ON DELETE SET NULL NOT VALID;\n"
               "ALTER TABLE \"billing\".\"t\" ADD CONSTRAINT \"t_v_fk\" FOREIGN KEY (\"v_id\")"
               " REFERENCES \"v\" (\"id\");\n"
               "ALTER TABLE \"billing\".\"t\" ADD CONSTRAINT \"t_d_key\" UNIQUE (\"d\");\n"
               "ALTER TABLE \"billing\".\"t\" VALIDATE CONSTRAINT \"t_u_fk\";\n"
               "ALTER TABLE \"billing\".\"t\" RENAME CONSTRAINT \"t_u_fk\" TO \"t_u_fk2\";\n"
               "ALTER TABLE \"billing\".\"t\" DROP CONSTRAINT \"t_u_fk2\";\n"
               "ALTER TABLE \"billing\".\"t\" DROP CONSTRAINT IF EXISTS \"t_v_fk\" CASCADE;\n");
}
END_TEST

BODY(body_schema_concurrently,
     pcsm_set_schema(op, "billing");
     pcsm_create_index(op, &(pcsm_index){ .name = "ix_c", .table = "t",
                                          .columns = PCSM_NAMES("d"), .concurrently = true,
                                          .if_not_exists = true });
     pcsm_drop_index(op, "ix_c", PCSM_DROP_CONCURRENTLY);
     pcsm_drop_index(op, "ix_c", PCSM_DROP_CONCURRENTLY | PCSM_IF_EXISTS))

START_TEST(test_ddl_schema_concurrently)
{
    expect_sql_in(&rev_nontxn, body_schema_concurrently,
                  "CREATE INDEX CONCURRENTLY IF NOT EXISTS \"ix_c\" ON \"billing\".\"t\""
                  " (\"d\");\n"
                  "DROP INDEX CONCURRENTLY \"billing\".\"ix_c\";\n"
                  "DROP INDEX CONCURRENTLY IF EXISTS \"billing\".\"ix_c\";\n");
}
END_TEST

BODY(body_schema_types_functions,
     pcsm_set_schema(op, "billing");
     pcsm_create_enum(op, "state", PCSM_LABELS("open", "paid"));
     pcsm_add_enum_value(op, "state", "void", PCSM_AFTER_LABEL("paid"), PCSM_IF_NOT_EXISTS);
     pcsm_add_enum_value(op, "state", "new", PCSM_AT_END, 0);
     pcsm_rename_enum_value(op, "state", "void", "voided");
     pcsm_drop_type(op, "state", 0);
     pcsm_drop_type(op, "state", PCSM_IF_EXISTS | PCSM_DROP_CASCADE);
     pcsm_create_function(op, &(pcsm_function){
         .name = "touch", .returns = "trigger", .language = "plpgsql",
         .body = "BEGIN\n    RETURN NEW;\nEND", .or_replace = true });
     pcsm_create_trigger(op, &(pcsm_trigger){
         .name = "t_touch", .table = "t", .timing = PCSM_BEFORE, .events = PCSM_ON_UPDATE,
         .for_each_row = true, .function = "touch", .function_schema = "billing" });
     pcsm_create_trigger(op, &(pcsm_trigger){
         .name = "t_audit", .table = "t", .timing = PCSM_AFTER, .events = PCSM_ON_INSERT,
         .function = "audit" });
     pcsm_create_trigger(op, &(pcsm_trigger){
         .name = "t_log", .table = "t", .timing = PCSM_AFTER, .events = PCSM_ON_DELETE,
         .for_each_row = true, .function = "log", .function_schema = "public",
         .when = "OLD.d IS NOT NULL" });
     pcsm_drop_trigger(op, "t", "t_touch", 0);
     pcsm_drop_trigger(op, "t", "t_audit", PCSM_IF_EXISTS | PCSM_DROP_CASCADE);
     pcsm_drop_function(op, "touch", "", PCSM_DROP_CASCADE);
     pcsm_drop_function(op, "touch", NULL, PCSM_IF_EXISTS))

/*
 * A trigger is its table's: DROP TRIGGER names it bare (the server refuses
 * "billing"."t_touch"), and its function is in function_schema.
 */
START_TEST(test_ddl_schema_types_functions_triggers)
{
    EXPECT_SQL(body_schema_types_functions,
               "CREATE TYPE \"billing\".\"state\" AS ENUM ('open', 'paid');\n"
               "ALTER TYPE \"billing\".\"state\" ADD VALUE IF NOT EXISTS 'void' AFTER 'paid';\n"
               "ALTER TYPE \"billing\".\"state\" ADD VALUE 'new';\n"
               "ALTER TYPE \"billing\".\"state\" RENAME VALUE 'void' TO 'voided';\n"
               "DROP TYPE \"billing\".\"state\";\n"
               "DROP TYPE IF EXISTS \"billing\".\"state\" CASCADE;\n"
               "CREATE OR REPLACE FUNCTION \"billing\".\"touch\"() RETURNS trigger\n"
               "LANGUAGE plpgsql AS $$\nBEGIN\n    RETURN NEW;\nEND\n$$;\n"
               "CREATE TRIGGER \"t_touch\" BEFORE UPDATE ON \"billing\".\"t\"\n"
               "FOR EACH ROW EXECUTE FUNCTION \"billing\".\"touch\"();\n"
               "CREATE TRIGGER \"t_audit\" AFTER INSERT ON \"billing\".\"t\"\n"
               "FOR EACH STATEMENT EXECUTE FUNCTION \"audit\"();\n"
               "CREATE TRIGGER \"t_log\" AFTER DELETE ON \"billing\".\"t\"\n"
               "FOR EACH ROW WHEN (OLD.d IS NOT NULL) EXECUTE FUNCTION \"public\".\"log\"();\n"
               "DROP TRIGGER \"t_touch\" ON \"billing\".\"t\";\n"
               "DROP TRIGGER IF EXISTS \"t_audit\" ON \"billing\".\"t\" CASCADE;\n"
               "DROP FUNCTION \"billing\".\"touch\"() CASCADE;\n"
               "DROP FUNCTION IF EXISTS \"billing\".\"touch\";\n");
}
END_TEST

BODY(body_schema_sequences_views,
     pcsm_set_schema(op, "billing");
     pcsm_create_sequence(op, "seq", &(pcsm_sequence_options){ .start = PCSM_SEQ_VALUE(10) },
                          "t", "n");
     pcsm_create_sequence(op, "seq0", NULL, NULL, NULL);
     pcsm_alter_sequence(op, "seq", &(pcsm_sequence_options){ .increment = 2 });
     pcsm_set_sequence_owner(op, "seq", "t", "m");
     pcsm_set_sequence_owner(op, "seq", NULL, NULL);
     pcsm_rename_sequence(op, "seq", "seq2");
     pcsm_drop_sequence(op, "seq2", 0);
     pcsm_drop_sequence(op, "seq0", PCSM_IF_EXISTS | PCSM_DROP_CASCADE);
     pcsm_create_view(op, &(pcsm_view){ .name = "v", .query = "SELECT 1 AS one",
                                        .columns = PCSM_NAMES("n"), .or_replace = true });
     pcsm_rename_view(op, "v", "v2");
     pcsm_drop_view(op, "v2", 0);
     pcsm_drop_view(op, "v2", PCSM_IF_EXISTS | PCSM_DROP_CASCADE);
     pcsm_create_materialized_view(op, &(pcsm_view){ .name = "mv", .query = "SELECT 1 AS one",
                                                     .reads = PCSM_NAMES("t") });
     pcsm_create_materialized_view(op, &(pcsm_view){ .name = "mv0", .query = "SELECT 2",
                                                     .no_data = true });
     pcsm_refresh_materialized_view(op, "mv", 0);
     pcsm_refresh_materialized_view(op, "mv", PCSM_REFRESH_CONCURRENTLY);
     pcsm_refresh_materialized_view(op, "mv", PCSM_REFRESH_NO_DATA);
     pcsm_rename_materialized_view(op, "mv", "mv2");
     pcsm_drop_materialized_view(op, "mv2", 0);
     pcsm_drop_materialized_view(op, "mv0", PCSM_IF_EXISTS | PCSM_DROP_CASCADE);
     pcsm_lock_table(op, "t", PCSM_LOCK_SHARE, PCSM_LOCK_NOWAIT);
     pcsm_lock_table(op, "t", PCSM_LOCK_ACCESS_EXCLUSIVE, 0);
     pcsm_drop_schema(op, "billing", 0);
     pcsm_drop_schema(op, "billing", PCSM_IF_EXISTS);
     pcsm_drop_schema(op, "billing", PCSM_DROP_CASCADE);
     pcsm_drop_schema(op, "billing", PCSM_IF_EXISTS | PCSM_DROP_CASCADE))

/* A sequence's OWNED BY table is in the sequence's schema. */
START_TEST(test_ddl_schema_sequences_views_locks)
{
    EXPECT_SQL(body_schema_sequences_views,
               "CREATE SEQUENCE \"billing\".\"seq\" START WITH 10 OWNED BY"
               " \"billing\".\"t\".\"n\";\n"
               "CREATE SEQUENCE \"billing\".\"seq0\";\n"
               "ALTER SEQUENCE \"billing\".\"seq\" INCREMENT BY 2;\n"
               "ALTER SEQUENCE \"billing\".\"seq\" OWNED BY \"billing\".\"t\".\"m\";\n"
               "ALTER SEQUENCE \"billing\".\"seq\" OWNED BY NONE;\n"
               "ALTER SEQUENCE \"billing\".\"seq\" RENAME TO \"seq2\";\n"
               "DROP SEQUENCE \"billing\".\"seq2\";\n"
               "DROP SEQUENCE IF EXISTS \"billing\".\"seq0\" CASCADE;\n"
               "CREATE OR REPLACE VIEW \"billing\".\"v\" (\"n\") AS\nSELECT 1 AS one;\n"
               "ALTER VIEW \"billing\".\"v\" RENAME TO \"v2\";\n"
               "DROP VIEW \"billing\".\"v2\";\n"
               "DROP VIEW IF EXISTS \"billing\".\"v2\" CASCADE;\n"
               "CREATE MATERIALIZED VIEW \"billing\".\"mv\" AS\nSELECT 1 AS one\nWITH DATA;\n"
               "CREATE MATERIALIZED VIEW \"billing\".\"mv0\" AS\nSELECT 2\nWITH NO DATA;\n"
               "REFRESH MATERIALIZED VIEW \"billing\".\"mv\";\n"
               "REFRESH MATERIALIZED VIEW CONCURRENTLY \"billing\".\"mv\";\n"
               "REFRESH MATERIALIZED VIEW \"billing\".\"mv\" WITH NO DATA;\n"
               "ALTER MATERIALIZED VIEW \"billing\".\"mv\" RENAME TO \"mv2\";\n"
               "DROP MATERIALIZED VIEW \"billing\".\"mv2\";\n"
               "DROP MATERIALIZED VIEW IF EXISTS \"billing\".\"mv0\" CASCADE;\n"
               "LOCK TABLE \"billing\".\"t\" IN SHARE MODE NOWAIT;\n"
               "LOCK TABLE \"billing\".\"t\" IN ACCESS EXCLUSIVE MODE;\n"
               "DROP SCHEMA \"billing\";\n"
               "DROP SCHEMA IF EXISTS \"billing\";\n"
               "DROP SCHEMA \"billing\" CASCADE;\n"
               "DROP SCHEMA IF EXISTS \"billing\" CASCADE;\n");
}
END_TEST

/* batch_update's DO block in full: its table qualified wherever it names it. */
#define SCHEMA_BATCH_STEP(cte, upd, where, from, join)                                  \
    "        WITH " cte " AS (\n"                                                       \
    "            SELECT \"id\" AS pcsm_key FROM \"billing\".\"orders\"\n"               \
    "            WHERE " where "\n"                                                     \
    "            ORDER BY \"id\" LIMIT 50\n"                                            \
    "        ), " upd " AS (\n"                                                         \
    "            UPDATE \"billing\".\"orders\" SET paid = true FROM " cte from "\n"     \
    "            WHERE \"billing\".\"orders\".\"id\" = " cte ".pcsm_key" join           \
    " RETURNING 1\n"                                                                    \
    "        )\n"                                                                       \
    "        SELECT (SELECT pcsm_key FROM " cte " ORDER BY pcsm_key DESC LIMIT 1),\n"   \
    "               (SELECT count(*) FROM " upd ")\n"                                   \
    "        INTO pcsm_batch_last, pcsm_batch_rows;\n"

#define SCHEMA_BATCH_BLOCK(kind, step_first, step_next)                                 \
    "DO $pcsm$\n"                                                                       \
    "#variable_conflict use_column\n"                                                   \
    "DECLARE\n"                                                                         \
    "    pcsm_last_key \"billing\".\"orders\".\"id\"%TYPE;\n"                           \
    "    pcsm_batch_last pcsm_last_key%TYPE;\n"                                         \
    "    pcsm_batch_rows bigint;\n"                                                     \
    "    pcsm_total bigint := 0;\n"                                                     \
    "    pcsm_batches bigint := 0;\n"                                                   \
    "BEGIN\n"                                                                           \
    "    LOOP\n"                                                                        \
    "        IF pcsm_batches = 0 THEN\n"                                                \
    step_first                                                                          \
    "        ELSE\n"                                                                    \
    step_next                                                                           \
    "        END IF;\n"                                                                 \
    "        EXIT WHEN pcsm_batch_last IS NULL;\n"                                      \
    "        pcsm_last_key := pcsm_batch_last;\n"                                       \
    "        pcsm_batches := pcsm_batches + 1;\n"                                       \
    "        pcsm_total := pcsm_total + pcsm_batch_rows;\n"                             \
    "        RAISE NOTICE '" kind " %: batch %, % rows, % in all',"                     \
    " '\"billing\".\"orders\"', pcsm_batches, pcsm_batch_rows, pcsm_total;\n"           \
    "    END LOOP;\n"                                                                   \
    "END\n"                                                                             \
    "$pcsm$;\n"

BODY(body_schema_batch_update,
     pcsm_set_schema(op, "billing");
     pcsm_batch_update(op, "orders", "id", "paid = true", "NOT paid", 50))

BODY(body_schema_batch_update_from,
     pcsm_set_schema(op, "billing");
     pcsm_batch_update_from(op, "orders", "id", "paid = true", "payments p",
                            "p.order_id = orders.id", 50))

START_TEST(test_ddl_schema_batch_update)
{
    EXPECT_SQL(body_schema_batch_update,
               SCHEMA_BATCH_BLOCK("batch_update",
                   SCHEMA_BATCH_STEP("batch", "updated", "(NOT paid)", "", ""),
                   SCHEMA_BATCH_STEP("batch", "updated",
                                     "(NOT paid) AND \"id\" > pcsm_last_key", "", "")));
}
END_TEST

START_TEST(test_ddl_schema_batch_update_from)
{
    EXPECT_SQL(body_schema_batch_update_from,
               SCHEMA_BATCH_BLOCK("batch_update_from",
                   SCHEMA_BATCH_STEP("pcsm_batch", "pcsm_updated", "(true)", ", payments p",
                                     " AND (p.order_id = orders.id)"),
                   SCHEMA_BATCH_STEP("pcsm_batch", "pcsm_updated",
                                     "(true) AND \"id\" > pcsm_last_key", ", payments p",
                                     " AND (p.order_id = orders.id)")));
}
END_TEST

/* NULL is the target schema again; quoting as any identifier's. */
BODY(body_schema_switches,
     pcsm_set_schema(op, "Billing");
     pcsm_create_table(op, "t", COLS_A, NULL, NULL);
     pcsm_set_schema(op, "a\"b");
     pcsm_drop_table(op, "t", 0);
     pcsm_add_column(op, "t", &(pcsm_column){ .name = "r", .type = PCSM_INTEGER,
                                              .references = "u", .ref_schema = "My \"S\"" });
     pcsm_set_schema(op, NULL);
     pcsm_create_table(op, "t", COLS_A, NULL, NULL);
     pcsm_create_extension(op, "citext", 0);
     pcsm_create_schema(op, "Billing", 0);
     pcsm_drop_schema(op, "a\"b", PCSM_DROP_CASCADE);
     pcsm_set_schema(op, "Billing");
     pcsm_set_schema(op, "billing");
     pcsm_drop_table(op, "t", 0))

START_TEST(test_ddl_schema_switches_and_quotes)
{
    EXPECT_SQL(body_schema_switches,
               "CREATE TABLE \"Billing\".\"t\" (\n    \"a\" integer\n);\n"
               "DROP TABLE \"a\"\"b\".\"t\";\n"
               "ALTER TABLE \"a\"\"b\".\"t\" ADD COLUMN \"r\" integer REFERENCES"
               " \"My \"\"S\"\"\".\"u\";\n"
               "CREATE TABLE \"t\" (\n    \"a\" integer\n);\n"
               "CREATE EXTENSION IF NOT EXISTS \"citext\";\n"
               "CREATE SCHEMA \"Billing\";\n"
               "DROP SCHEMA \"a\"\"b\" CASCADE;\n"
               "DROP TABLE \"billing\".\"t\";\n");
}
END_TEST

/*
 * Raw SQL, assertions, settings, guards, autocommit markers and the
 * schemas themselves name no object in a schema: never stamped.  A
 * guarded call is, as it would be outside the guard.
 */
START_TEST(test_ddl_schema_stamps_only_named_objects)
{
    pcsm_op *op = pcsm_op__new(&rev_txn, PCSM_UPGRADE);
    const struct pcsm_ddl_op *o;
    pcsm_buf sql = PCSM_BUF_INIT;
    size_t i, n;
    int kind;

    (pcsm_set_schema)(op, "billing");
    (pcsm_execute)(op, "SELECT 1");
    (pcsm_execute_params)(op, "SELECT $1", 1, &PCSM_LITERAL("x"));
    (pcsm_assert)(op, "true", "never");
    (pcsm_set_local)(op, "lock_timeout", "1s");
    (pcsm_if)(op, "true");
    (pcsm_drop_table)(op, "t", 0);
    (pcsm_end_if)(op);
    (pcsm_create_schema)(op, "audit", 0);
    (pcsm_drop_schema)(op, "audit", 0);
    (pcsm_autocommit_begin)(op);
    (pcsm_execute)(op, "VACUUM");
    (pcsm_autocommit_end)(op);
    (pcsm_lock_table)(op, "t", PCSM_LOCK_SHARE, 0);
    (pcsm_set_schema)(op, NULL);
    (pcsm_drop_table)(op, "t", 0);
    pcsm_op__end_autocommit_check(op);
    ck_assert_ptr_null(pcsm_op__failure(op));
    n = pcsm_op__count(op);
    ck_assert_uint_eq(n, 12);
    for (i = 0; i < n; i++) {
        o = pcsm_op__at(op, i);
        if (o->kind == PCSM_OP_LOCK_TABLE)
            ck_assert_pstr_eq(o->schema, "billing");
        else
            ck_assert_msg(o->schema == NULL, "%s stamped with \"%s\"",
                          pcsm_op__kind_name(o->kind), o->schema);
    }
    o = pcsm_op__at(op, 4);
    ck_assert_int_eq(o->kind, PCSM_OP_IF);
    ck_assert_pstr_eq(o->u.guard.ops[0].schema, "billing");
    pcsm_render__op(o, &sql);
    ck_assert_ptr_nonnull(strstr(sql.ptr, "EXECUTE 'DROP TABLE \"billing\".\"t\";';\n"));
    pcsm_buf_clear(&sql);
    pcsm_render__op(pcsm_op__at(op, n - 1), &sql);
    ck_assert_str_eq(sql.ptr, "DROP TABLE \"t\";\n");
    pcsm_buf_dispose(&sql);
    pcsm_op__free(op);

    /* Which kinds take a schema, all of them: a new kind must choose. */
    for (kind = PCSM_OP_CREATE_TABLE; kind <= PCSM_OP_LAST; kind++) {
        bool bare = kind == PCSM_OP_CREATE_EXTENSION || kind == PCSM_OP_DROP_EXTENSION ||
                    kind == PCSM_OP_EXECUTE || kind == PCSM_OP_EXECUTE_PARAMS ||
                    kind == PCSM_OP_ASSERT || kind == PCSM_OP_AUTOCOMMIT_BEGIN ||
                    kind == PCSM_OP_AUTOCOMMIT_END || kind == PCSM_OP_SET_LOCAL ||
                    kind == PCSM_OP_IF || kind == PCSM_OP_CREATE_SCHEMA ||
                    kind == PCSM_OP_DROP_SCHEMA;

        ck_assert_msg(pcsm_op__names_object((enum pcsm_ddl_kind)kind) == !bare, "%s",
                      pcsm_op__kind_name((enum pcsm_ddl_kind)kind));
    }
}
END_TEST

/* Messages name an operation with its schema when it has one. */
START_TEST(test_ddl_schema_describe_op)
{
    pcsm_op *op = pcsm_op__new(NULL, PCSM_UPGRADE);
    pcsm_buf out = PCSM_BUF_INIT;

    pcsm_set_schema(op, "Billing");
    pcsm_create_table(op, "invoices", COLS_A, NULL, NULL);
    pcsm_create_index(op, &(pcsm_index){ .name = "ix", .table = "invoices",
                                         .columns = PCSM_NAMES("a") });
    pcsm_set_schema(op, NULL);
    pcsm_create_table(op, "invoices", COLS_A, NULL, NULL);
    pcsm_create_schema(op, "Billing", 0);
    ck_assert_ptr_null(pcsm_op__failure(op));
    pcsm_op__describe(op, 0, &out);
    ck_assert_str_eq(out.ptr, "create_table \"Billing\".\"invoices\"");
    pcsm_buf_clear(&out);
    pcsm_op__describe_op(pcsm_op__at(op, 1), &out);
    ck_assert_str_eq(out.ptr, "create_index \"Billing\".\"ix\"");
    pcsm_buf_clear(&out);
    pcsm_op__describe(op, 2, &out);
    ck_assert_str_eq(out.ptr, "create_table \"invoices\"");
    pcsm_buf_clear(&out);
    pcsm_op__describe(op, 3, &out);
    ck_assert_str_eq(out.ptr, "create_schema \"Billing\"");
    ck_assert_str_eq(pcsm_op__subject(pcsm_op__at(op, 3)), "Billing");
    pcsm_buf_dispose(&out);
    pcsm_op__free(op);
}
END_TEST

BODY(e_schema_empty, pcsm_set_schema(op, ""))
BODY(e_schema_long, pcsm_set_schema(op, NAME64))
BODY(e_schema_bad_utf8, pcsm_set_schema(op, "bill\xc3"))
BODY(e_schema_stops_later_calls,
     pcsm_set_schema(op, ""); pcsm_create_table(op, "t", NULL, NULL, NULL))
BODY(e_schema_after_failure,
     pcsm_create_table(op, "t", NULL, NULL, NULL); pcsm_set_schema(op, ""))
BODY(e_ref_schema_without_references, pcsm_create_table(op, "t", PCSM_COLUMNS(
         { .name = "a", .type = PCSM_INTEGER, .ref_schema = "crm" }), NULL, NULL))
BODY(e_ref_schema_empty_column, pcsm_add_column(op, "t", &(pcsm_column){
         .name = "a", .type = PCSM_INTEGER, .references = "u", .ref_schema = "" }))
BODY(e_ref_schema_long_column, pcsm_add_column(op, "t", &(pcsm_column){
         .name = "a", .type = PCSM_INTEGER, .references = "u", .ref_schema = NAME64 }))
BODY(e_ref_schema_empty_constraint, pcsm_add_constraint(op, "t", &(pcsm_constraint){
         .kind = PCSM_FOREIGN_KEY, .name = "fk", .columns = PCSM_NAMES("a"),
         .references = "u", .ref_schema = "" }))
BODY(e_ref_schema_bad_utf8_table_constraint, pcsm_create_table(op, "t", COLS_A,
         PCSM_CONSTRAINTS({ .kind = PCSM_FOREIGN_KEY, .columns = PCSM_NAMES("a"),
                            .references = "u", .ref_schema = "\xff" }), NULL))
BODY(e_ref_schema_not_foreign_key, pcsm_add_constraint(op, "t", &(pcsm_constraint){
         .kind = PCSM_UNIQUE, .name = "uq", .columns = PCSM_NAMES("a"), .ref_schema = "crm" }))
BODY(e_function_schema_empty, pcsm_create_trigger(op, &(pcsm_trigger){
         .name = "tr", .table = "t", .timing = PCSM_BEFORE, .events = PCSM_ON_INSERT,
         .for_each_row = true, .function = "f", .function_schema = "" }))
BODY(e_function_schema_long, pcsm_create_trigger(op, &(pcsm_trigger){
         .name = "tr", .table = "t", .timing = PCSM_BEFORE, .events = PCSM_ON_INSERT,
         .for_each_row = true, .function = "f", .function_schema = NAME64 }))
BODY(e_create_schema_pg, pcsm_create_schema(op, "pg_mine", 0))
BODY(e_drop_schema_pg, pcsm_drop_schema(op, "pg_temp", PCSM_IF_EXISTS))
BODY(e_create_schema_missing, pcsm_create_schema(op, NULL, 0))
BODY(e_create_schema_empty, pcsm_create_schema(op, "", 0))
BODY(e_create_schema_long, pcsm_create_schema(op, NAME64, 0))
BODY(e_create_schema_if_exists, pcsm_create_schema(op, "s", PCSM_IF_EXISTS))
BODY(e_create_schema_cascade, pcsm_create_schema(op, "s", PCSM_DROP_CASCADE))
BODY(e_drop_schema_if_not_exists, pcsm_drop_schema(op, "s", PCSM_IF_NOT_EXISTS))
BODY(e_drop_schema_concurrently, pcsm_drop_schema(op, "s", PCSM_DROP_CONCURRENTLY))
BODY(e_table_in_schema_named_with_it,
     pcsm_set_schema(op, "Billing"); pcsm_create_table(op, "t", NULL, NULL, NULL))
BODY(e_index_in_schema_named_with_it,
     pcsm_set_schema(op, "billing");
     pcsm_drop_index(op, "ix", PCSM_DROP_CONCURRENTLY | PCSM_DROP_CASCADE))
BODY(e_schema_op_named_bare, pcsm_set_schema(op, "billing"); pcsm_drop_schema(op, "s", 1u << 9))
BODY(e_create_extension_in_schema,
     pcsm_set_schema(op, "billing"); pcsm_create_extension(op, "citext", 0))
BODY(e_drop_extension_in_schema,
     pcsm_set_schema(op, "Billing"); pcsm_drop_extension(op, "citext", PCSM_IF_EXISTS))

static const struct error_case schema_cases[] = {
    ERROR_CASE(e_schema_empty, "set_schema: schema name is empty"),
    ERROR_CASE(e_schema_long, "set_schema: schema name is longer than 63 bytes (PostgreSQL"
               " would truncate it)"),
    ERROR_CASE(e_schema_bad_utf8, "set_schema: schema name is not valid UTF-8"),
    ERROR_CASE(e_schema_stops_later_calls, "set_schema: schema name is empty"),
    ERROR_CASE(e_schema_after_failure, "create_table \"t\": no columns given"),
    ERROR_CASE(e_ref_schema_without_references,
               "create_table \"t\": column \"a\": ref_schema without references"),
    ERROR_CASE(e_ref_schema_empty_column, "add_column \"t\": referenced schema is empty"),
    ERROR_CASE(e_ref_schema_long_column, "add_column \"t\": referenced schema \"" NAME64 "\""
               " is longer than 63 bytes (PostgreSQL would truncate it)"),
    ERROR_CASE(e_ref_schema_empty_constraint,
               "add_constraint \"t\": referenced schema is empty"),
    ERROR_CASE(e_ref_schema_bad_utf8_table_constraint,
               "create_table \"t\": referenced schema is not valid UTF-8"),
    ERROR_CASE(e_ref_schema_not_foreign_key,
               "add_constraint \"t\": only a foreign key takes a ref_schema"),
    ERROR_CASE(e_function_schema_empty, "create_trigger \"tr\": function schema is empty"),
    ERROR_CASE(e_function_schema_long, "create_trigger \"tr\": function schema \"" NAME64
               "\" is longer than 63 bytes (PostgreSQL would truncate it)"),
    ERROR_CASE(e_create_schema_pg, "create_schema \"pg_mine\": names beginning with pg_ are"
               " the server's (reserved for system schemas)"),
    ERROR_CASE(e_drop_schema_pg, "drop_schema \"pg_temp\": names beginning with pg_ are"
               " the server's (reserved for system schemas)"),
    ERROR_CASE(e_create_schema_missing, "create_schema: schema name is missing"),
    ERROR_CASE(e_create_schema_empty, "create_schema \"\": schema name is empty"),
    ERROR_CASE(e_create_schema_long, "create_schema \"" NAME64 "\": schema name \"" NAME64
               "\" is longer than 63 bytes (PostgreSQL would truncate it)"),
    ERROR_CASE(e_create_schema_if_exists, "create_schema \"s\": unsupported flags 0x1"),
    ERROR_CASE(e_create_schema_cascade, "create_schema \"s\": unsupported flags 0x2"),
    ERROR_CASE(e_drop_schema_if_not_exists, "drop_schema \"s\": unsupported flags 0x8"),
    ERROR_CASE(e_drop_schema_concurrently, "drop_schema \"s\": unsupported flags 0x4"),
    ERROR_CASE(e_table_in_schema_named_with_it,
               "create_table \"Billing\".\"t\": no columns given"),
    ERROR_CASE_NONTXN(e_index_in_schema_named_with_it, "drop_index \"billing\".\"ix\": "
                      "DROP INDEX CONCURRENTLY does not support CASCADE"),
    ERROR_CASE(e_schema_op_named_bare, "drop_schema \"s\": unsupported flags 0x200"),
    ERROR_CASE(e_create_extension_in_schema, "create_extension \"citext\": an extension"
               " belongs to no schema, and pcsm_set_schema(op, \"billing\") is in force:"
               " pcsm_set_schema(op, NULL) first"),
    ERROR_CASE(e_drop_extension_in_schema, "drop_extension \"citext\": an extension"
               " belongs to no schema, and pcsm_set_schema(op, \"Billing\") is in force:"
               " pcsm_set_schema(op, NULL) first"),
};

START_TEST(test_ddl_error_schemas)
{
    run_error_case(&schema_cases[_i]);
}
END_TEST

/* ------------------------------------------------------------- runner */

static Suite *ddl_suite(void)
{
    Suite *s = suite_create("ddl");
    TCase *golden = tcase_create("golden");
    TCase *errors = tcase_create("errors");
    TCase *bugs = tcase_create("regressions");

    tcase_add_test(golden, test_ddl_create_table_every_type);
    tcase_add_test(golden, test_ddl_create_table_column_features);
    tcase_add_test(golden, test_ddl_create_table_composite_primary_key);
    tcase_add_test(golden, test_ddl_create_table_constraints);
    tcase_add_test(golden, test_ddl_create_table_quotes_hostile_names);
    tcase_add_test(golden, test_ddl_identifier_of_63_bytes_accepted);
    tcase_add_test(golden, test_ddl_drop_table);
    tcase_add_test(golden, test_ddl_rename_table);
    tcase_add_test(golden, test_ddl_comment_table_set_and_removed);
    tcase_add_test(golden, test_ddl_comment_on_every_kind);
    tcase_add_test(golden, test_ddl_domains);
    tcase_add_test(golden, test_ddl_composite_types);
    tcase_add_test(golden, test_ddl_range_types);
    tcase_add_test(golden, test_ddl_partitions);
    tcase_add_test(golden, test_ddl_inheritance);
    tcase_add_test(golden, test_ddl_collations);
    tcase_add_test(golden, test_ddl_add_column);
    tcase_add_test(golden, test_ddl_drop_column);
    tcase_add_test(golden, test_ddl_rename_column);
    tcase_add_test(golden, test_ddl_alter_column_type);
    tcase_add_test(golden, test_ddl_set_default);
    tcase_add_test(golden, test_ddl_drop_default_and_not_null);
    tcase_add_test(golden, test_ddl_comment_column_set_and_removed);
    tcase_add_test(golden, test_ddl_create_index);
    tcase_add_test(golden, test_ddl_unnamed_index_and_constraint);
    tcase_add_test(golden, test_ddl_create_index_every_method);
    tcase_add_test(golden, test_ddl_create_index_concurrently);
    tcase_add_test(golden, test_ddl_drop_index);
    tcase_add_test(golden, test_ddl_drop_index_concurrently);
    tcase_add_test(golden, test_ddl_add_constraint);
    tcase_add_test(golden, test_ddl_drop_constraint);
    tcase_add_test(golden, test_ddl_validate_constraint);
    tcase_add_test(golden, test_ddl_execute_strips_terminator);
    tcase_add_test(golden, test_ddl_execute_params);
    tcase_add_test(golden, test_ddl_execute_params_zero_params);
    tcase_add_test(golden, test_ddl_batch_update);
    tcase_add_test(golden, test_ddl_batch_update_without_where_takes_every_row);
    tcase_add_test(golden, test_ddl_batch_update_label_and_size_bounds);
    tcase_add_test(golden, test_ddl_batch_update_switches_dollar_tag);
    tcase_add_test(golden, test_ddl_assert);
    tcase_add_test(golden, test_ddl_assert_escapes_message_and_switches_dollar_tag);
    tcase_add_test(golden, test_ddl_ops_render_in_call_order);
    tcase_add_test(golden, test_ddl_empty_upgrade_renders_nothing);
    tcase_add_test(golden, test_ddl_record_copies_caller_memory);
    tcase_add_test(golden, test_ddl_extensions);
    tcase_add_test(golden, test_ddl_enum_types);
    tcase_add_test(golden, test_ddl_recreate_enum);
    tcase_add_test(golden, test_ddl_functions);
    tcase_add_test(golden, test_ddl_function_body_end_cannot_close_the_quote);
    tcase_add_test(golden, test_ddl_triggers);
    tcase_add_test(golden, test_ddl_policies);
    tcase_add_test(golden, test_ddl_privileges);
    tcase_add_test(golden, test_ddl_identity_generated_collation);
    tcase_add_test(golden, test_ddl_sequences);
    tcase_add_test(golden, test_ddl_views);
    tcase_add_test(golden, test_ddl_view_recorded);
    tcase_add_test(golden, test_ddl_new_kinds_are_one_statement_each);
    tcase_add_test(golden, test_ddl_new_kinds_copy_caller_memory);
    tcase_add_test(golden, test_ddl_autocommit_block_renders_commit_and_begin);
    tcase_add_test(golden, test_ddl_autocommit_recorded_as_markers);
    suite_add_tcase(s, golden);

    tcase_add_loop_test(errors, test_ddl_error_identifiers, 0, N_CASES(identifier_cases));
    tcase_add_loop_test(errors, test_ddl_error_columns_and_types, 0, N_CASES(column_cases));
    tcase_add_loop_test(errors, test_ddl_error_constraints, 0, N_CASES(constraint_cases));
    tcase_add_loop_test(errors, test_ddl_error_indexes, 0, N_CASES(index_cases));
    tcase_add_test(errors, test_ddl_autocommit_errors);
    tcase_add_loop_test(errors, test_ddl_error_drop_flags, 0, N_CASES(flag_cases));
    tcase_add_loop_test(errors, test_ddl_error_objects, 0, N_CASES(object_cases));
    tcase_add_loop_test(errors, test_ddl_error_breadth, 0, N_CASES(breadth_cases));
    tcase_add_loop_test(errors, test_ddl_error_views, 0, N_CASES(view_cases));
    tcase_add_loop_test(errors, test_ddl_error_sql_and_data, 0, N_CASES(data_cases));
    tcase_add_test(errors, test_ddl_error_only_first_reported);
    tcase_add_test(errors, test_ddl_error_names_direction_and_path);
    tcase_add_test(errors, test_ddl_error_does_not_leak_into_next_revision);
    tcase_add_test_raise_signal(errors, test_ddl_null_op_aborts, SIGABRT);
    suite_add_tcase(s, errors);

    tcase_add_loop_test(bugs, test_ddl_error_regressions, 0, N_CASES(regression_cases));
    tcase_add_test(bugs, test_ddl_execute_trailing_line_comment_keeps_terminator);
    tcase_add_test(bugs, test_ddl_batch_update_variables_cannot_shadow_columns);
    suite_add_tcase(s, bugs);

    {
        TCase *session = tcase_create("session");

        tcase_add_test(session, test_ddl_set_local);
        tcase_add_test(session, test_ddl_lock_table);
        tcase_add_test(session, test_ddl_guard);
        tcase_add_test(session, test_ddl_guard_switches_dollar_tag_and_records_lines);
        tcase_add_test(session, test_ddl_batch_update_from);
        tcase_add_loop_test(session, test_ddl_error_session, 0, N_CASES(session_cases));
        suite_add_tcase(s, session);
    }
    tcase_add_test(golden, test_ddl_index_elements_and_renames);
    tcase_add_loop_test(errors, test_ddl_error_index_elements, 0, N_CASES(element_cases));
    tcase_add_test(golden, test_ddl_exclude);
    tcase_add_loop_test(errors, test_ddl_error_exclude, 0, N_CASES(exclude_cases));
    tcase_add_loop_test(errors, test_ddl_error_policies, 0, N_CASES(policy_cases));
    tcase_add_loop_test(errors, test_ddl_error_privileges, 0, N_CASES(privilege_cases));
    {
        TCase *schemas = tcase_create("schemas");

        tcase_add_test(schemas, test_ddl_schema_tables);
        tcase_add_test(schemas, test_ddl_schema_columns);
        tcase_add_test(schemas, test_ddl_schema_indexes_constraints);
        tcase_add_test(schemas, test_ddl_schema_concurrently);
        tcase_add_test(schemas, test_ddl_schema_types_functions_triggers);
        tcase_add_test(schemas, test_ddl_schema_sequences_views_locks);
        tcase_add_test(schemas, test_ddl_schema_batch_update);
        tcase_add_test(schemas, test_ddl_schema_batch_update_from);
        tcase_add_test(schemas, test_ddl_schema_switches_and_quotes);
        tcase_add_test(schemas, test_ddl_schema_stamps_only_named_objects);
        tcase_add_test(schemas, test_ddl_schema_describe_op);
        tcase_add_loop_test(schemas, test_ddl_error_schemas, 0, N_CASES(schema_cases));
        suite_add_tcase(s, schemas);
    }
    return s;
}

int main(void)
{
    return test_run_suite(ddl_suite());
}
