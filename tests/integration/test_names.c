/*
 * The names PostgreSQL gives constraints, indexes and identity sequences
 * left unnamed, against the model's: each case's operations run on the
 * server, in a schema of their own, and are replayed into the model; the
 * names read from pg_constraint / pg_class must be the model's, collisions,
 * truncation at a multibyte character and several in one statement
 * included.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "schema/schema.h"
#include "support.h"

static char db[64];

/* ------------------------------------------------------------- the names */

/* Long names, built at run time; freed after each case. */
static char *pool[32];
static size_t n_pool;

static const char *rep(const char *pre, const char *unit, int n, const char *post)
{
    pcsm_buf b = PCSM_BUF_INIT;
    int i;

    pcsm_buf_puts(&b, pre);
    for (i = 0; i < n; i++)
        pcsm_buf_puts(&b, unit);
    pcsm_buf_puts(&b, post);
    ck_assert_uint_lt(n_pool, sizeof(pool) / sizeof(pool[0]));
    return pool[n_pool++] = pcsm_buf_detach(&b);
}

#define E2 "\xc3\xa9"           /* é: 2 bytes */
#define E3 "\xe2\x82\xac"       /* €: 3 bytes */
#define E4 "\xf0\x9f\x98\x80"   /* 😀: 4 bytes */

#define T63 rep("tbl_", "x", 59, "")            /* 63 bytes */
#define T40 rep("tab40_", "x", 34, "")          /* 40 bytes */
#define T58 rep("table58_", "x", 50, "")        /* 58 bytes */
#define C40 rep("col_", "y", 36, "")            /* 40 bytes */
#define C63 rep("col63_", "z", 57, "")          /* 63 bytes */
#define C51(tail) rep("col_", "s", 42, tail)    /* 51 bytes with a 5-byte tail */
#define T_E2 rep("a", E2, 31, "")               /* 63 bytes: é at the cut */
#define T_E3 rep("x", E3, 20, "yy")             /* 63 bytes: € at the cut */
#define C_E4 rep("", E4, 15, "abc")             /* 63 bytes: an emoji at the cut */
#define C_E2 rep("k", E2, 31, "")               /* 63 bytes */

/* ------------------------------------------------------------- shorthand */

#define INT(n) { .name = (n), .type = PCSM_INTEGER }
#define TXT(n) { .name = (n), .type = PCSM_TEXT }
#define COLS(...) PCSM_COLUMNS(__VA_ARGS__)
#define CONS(...) PCSM_CONSTRAINTS(__VA_ARGS__)
#define UNIQ(...) { .kind = PCSM_UNIQUE, .columns = PCSM_NAMES(__VA_ARGS__) }
#define PKEY(...) { .kind = PCSM_PRIMARY_KEY, .columns = PCSM_NAMES(__VA_ARGS__) }
#define CHK(sql) { .kind = PCSM_CHECK, .check = (sql) }
#define FKEY(ref, ...) { .kind = PCSM_FOREIGN_KEY, .columns = PCSM_NAMES(__VA_ARGS__), \
                         .references = (ref) }

static void parent(pcsm_op *op, const char *name)
{
    pcsm_create_table(op, name, COLS({ .name = "id", .type = PCSM_INTEGER, .primary_key = true },
                                     INT("id2")),
                      CONS({ .kind = PCSM_UNIQUE, .name = NULL,
                             .columns = PCSM_NAMES("id", "id2") }), NULL);
}

static void index_on(pcsm_op *op, const char *table, const char *column)
{
    pcsm_create_index(op, &(pcsm_index){ .table = table, .columns = PCSM_NAMES(column) });
}

static void add(pcsm_op *op, const char *table, pcsm_constraint c)
{
    pcsm_add_constraint(op, table, &c);
}

/* --------------------------------------------------------------- the cases */

#define CASE(id, ...) static void up_##id(pcsm_op *op) { __VA_ARGS__ }

/* Column-level constraints in create_table. */
CASE(col_pkey,
     pcsm_create_table(op, "t", COLS({ .name = "id", .type = PCSM_INTEGER, .primary_key = true }),
                       NULL, NULL);)
CASE(col_unique,
     pcsm_create_table(op, "t", COLS({ .name = "u", .type = PCSM_TEXT, .unique = true }),
                       NULL, NULL);)
CASE(col_fkey,
     parent(op, "p");
     pcsm_create_table(op, "t", COLS({ .name = "pid", .type = PCSM_INTEGER, .references = "p" }),
                       NULL, NULL);)
CASE(col_check_own,
     pcsm_create_table(op, "t", COLS({ .name = "a", .type = PCSM_INTEGER, .check = "a > 0" }),
                       NULL, NULL);)
CASE(col_check_other_column,
     pcsm_create_table(op, "t", COLS({ .name = "a", .type = PCSM_INTEGER, .check = "b > 0" },
                                     INT("b")), NULL, NULL);)
CASE(col_check_two_columns,
     pcsm_create_table(op, "t", COLS({ .name = "a", .type = PCSM_INTEGER, .check = "a < b" },
                                     INT("b")), NULL, NULL);)
CASE(col_check_no_column,
     pcsm_create_table(op, "t", COLS({ .name = "a", .type = PCSM_INTEGER,
                                       .check = "length('a') > 0" }), NULL, NULL);)
CASE(col_check_one_column_twice,
     pcsm_create_table(op, "t", COLS({ .name = "a", .type = PCSM_INTEGER,
                                       .check = "a > 0 AND a < 10" }), NULL, NULL);)
CASE(col_all_kinds,
     parent(op, "p");
     pcsm_create_table(op, "t", COLS({ .name = "id", .type = PCSM_INTEGER, .primary_key = true },
                                     { .name = "u", .type = PCSM_TEXT, .unique = true,
                                       .check = "u <> ''" },
                                     { .name = "pid", .type = PCSM_INTEGER, .references = "p",
                                       .check = "pid > 0" }), NULL, NULL);)
CASE(col_composite_pkey,
     pcsm_create_table(op, "t", COLS({ .name = "a", .type = PCSM_INTEGER, .primary_key = true },
                                     { .name = "b", .type = PCSM_INTEGER, .primary_key = true }),
                       NULL, NULL);)

/* Table-level constraints in create_table. */
CASE(tab_pkey_two_columns,
     pcsm_create_table(op, "t", COLS(INT("a"), INT("b")), CONS(PKEY("a", "b")), NULL);)
CASE(tab_unique_two_columns,
     pcsm_create_table(op, "t", COLS(INT("a"), INT("b")), CONS(UNIQ("a", "b")), NULL);)
CASE(tab_fkey_two_columns,
     parent(op, "p");
     pcsm_create_table(op, "t", COLS(INT("a"), INT("b")),
                       CONS({ .kind = PCSM_FOREIGN_KEY, .columns = PCSM_NAMES("a", "b"),
                              .references = "p", .ref_columns = PCSM_NAMES("id", "id2") }),
                       NULL);)
CASE(tab_check_one_column,
     pcsm_create_table(op, "t", COLS(INT("a"), INT("b")), CONS(CHK("b >= 0")), NULL);)
CASE(tab_check_two_columns,
     pcsm_create_table(op, "t", COLS(INT("a"), INT("b")), CONS(CHK("a + b > 0")), NULL);)
CASE(tab_check_no_column,
     pcsm_create_table(op, "t", COLS(INT("a")), CONS(CHK("true")), NULL);)
CASE(tab_two_checks_same_column_collide,
     pcsm_create_table(op, "t", COLS({ .name = "a", .type = PCSM_INTEGER, .check = "a > 0" }),
                       CONS(CHK("a < 100")), NULL);)
CASE(tab_four_checks_collide,
     pcsm_create_table(op, "t", COLS(INT("a"), INT("b")),
                       CONS(CHK("a < b"), CHK("a <> b"), CHK("1 = 1"), CHK("a + b > 0")),
                       NULL);)
CASE(tab_named_check_takes_the_default,
     pcsm_create_table(op, "t", COLS(INT("a"), INT("b")),
                       CONS({ .kind = PCSM_CHECK, .name = "t_check", .check = "a > 0" },
                            CHK("a < b")), NULL);)
CASE(tab_two_fkeys_same_column_collide,
     parent(op, "p");
     pcsm_create_table(op, "t", COLS({ .name = "pid", .type = PCSM_INTEGER, .references = "p" }),
                       CONS(FKEY("p", "pid")), NULL);)
CASE(tab_every_kind_unnamed,
     parent(op, "p");
     pcsm_create_table(op, "t", COLS(INT("a"), INT("b"), TXT("c")),
                       CONS(PKEY("a"), UNIQ("c"), CHK("c <> 'b'"), FKEY("p", "b"),
                            CHK("a > b")), NULL);)

/* Names taken by other objects. */
CASE(taken_by_table,
     pcsm_create_table(op, "t_a_key", COLS(INT("x")), NULL, NULL);
     pcsm_create_table(op, "t", COLS({ .name = "a", .type = PCSM_INTEGER, .unique = true }),
                       NULL, NULL);)
CASE(taken_by_index,
     pcsm_create_table(op, "o", COLS(INT("x")), NULL, NULL);
     pcsm_create_index(op, &(pcsm_index){ .name = "t_pkey", .table = "o",
                                          .columns = PCSM_NAMES("x") });
     pcsm_create_table(op, "t", COLS({ .name = "id", .type = PCSM_INTEGER, .primary_key = true }),
                       NULL, NULL);)
CASE(taken_by_sequence,
     pcsm_create_sequence(op, "t_a_b_key", NULL, NULL, NULL);
     pcsm_create_table(op, "t", COLS(INT("a"), INT("b")), CONS(UNIQ("a", "b")), NULL);)
CASE(taken_by_constraint_of_another_table,
     pcsm_create_table(op, "o", COLS(INT("x")),
                       CONS({ .kind = PCSM_CHECK, .name = "t_a_check", .check = "x > 0" }), NULL);
     pcsm_create_table(op, "t", COLS({ .name = "a", .type = PCSM_INTEGER, .check = "a > 0" }),
                       NULL, NULL);)
CASE(pkey_taken_by_check_of_another_table,
     pcsm_create_table(op, "o", COLS(INT("x")),
                       CONS({ .kind = PCSM_CHECK, .name = "t_pkey", .check = "x > 0" }), NULL);
     pcsm_create_table(op, "t", COLS(INT("id")), CONS(PKEY("id")), NULL);)
CASE(fkey_not_taken_by_a_table,
     parent(op, "p");
     pcsm_create_table(op, "t_pid_fkey", COLS(INT("x")), NULL, NULL);
     pcsm_create_table(op, "t", COLS({ .name = "pid", .type = PCSM_INTEGER, .references = "p" }),
                       NULL, NULL);)
CASE(check_not_taken_by_a_table,
     pcsm_create_table(op, "t_a_check", COLS(INT("x")), NULL, NULL);
     pcsm_create_table(op, "t", COLS(INT("a")), CONS(CHK("a > 0")), NULL);)
CASE(index_not_taken_by_a_check,
     pcsm_create_table(op, "o", COLS(INT("x")),
                       CONS({ .kind = PCSM_CHECK, .name = "t_a_idx", .check = "x > 0" }), NULL);
     pcsm_create_table(op, "t", COLS(INT("a")), NULL, NULL);
     index_on(op, "t", "a");)
CASE(index_taken_by_a_table,
     pcsm_create_table(op, "t_a_idx", COLS(INT("x")), NULL, NULL);
     pcsm_create_table(op, "t", COLS(INT("a")), NULL, NULL);
     index_on(op, "t", "a");)
CASE(four_indexes_same_column,
     pcsm_create_table(op, "t", COLS(INT("a")), NULL, NULL);
     index_on(op, "t", "a");
     index_on(op, "t", "a");
     index_on(op, "t", "a");
     index_on(op, "t", "a");)
CASE(four_unique_constraints_added,
     pcsm_create_table(op, "t", COLS(INT("a")), NULL, NULL);
     add(op, "t", (pcsm_constraint)UNIQ("a"));
     add(op, "t", (pcsm_constraint)UNIQ("a"));
     add(op, "t", (pcsm_constraint)UNIQ("a"));
     add(op, "t", (pcsm_constraint)UNIQ("a"));)
CASE(four_fkeys_added,
     parent(op, "p");
     pcsm_create_table(op, "t", COLS(INT("pid")), NULL, NULL);
     add(op, "t", (pcsm_constraint)FKEY("p", "pid"));
     add(op, "t", (pcsm_constraint)FKEY("p", "pid"));
     add(op, "t", (pcsm_constraint)FKEY("p", "pid"));
     add(op, "t", (pcsm_constraint)FKEY("p", "pid"));)
CASE(unique_key_taken_by_index_then_constraint,
     pcsm_create_table(op, "t", COLS(INT("a")), NULL, NULL);
     pcsm_create_index(op, &(pcsm_index){ .name = "t_a_key", .table = "t",
                                          .columns = PCSM_NAMES("a") });
     pcsm_create_table(op, "o", COLS(INT("x")),
                       CONS({ .kind = PCSM_CHECK, .name = "t_a_key1", .check = "x > 0" }), NULL);
     add(op, "t", (pcsm_constraint)UNIQ("a"));)

/* ALTER TABLE ADD CONSTRAINT / ADD COLUMN without a name. */
CASE(add_pkey,
     pcsm_create_table(op, "t", COLS(INT("a")), NULL, NULL);
     add(op, "t", (pcsm_constraint)PKEY("a"));)
CASE(add_check_one_two_none,
     pcsm_create_table(op, "t", COLS(INT("a"), INT("b")), NULL, NULL);
     add(op, "t", (pcsm_constraint)CHK("a > 0"));
     add(op, "t", (pcsm_constraint)CHK("a > b"));
     add(op, "t", (pcsm_constraint)CHK("2 > 1"));)
CASE(add_column_inline,
     parent(op, "p");
     pcsm_create_table(op, "t", COLS(INT("a")), NULL, NULL);
     pcsm_add_column(op, "t", &(pcsm_column){ .name = "c", .type = PCSM_INTEGER, .unique = true,
                                              .check = "c > 0", .references = "p" });)
CASE(add_column_inline_taken,
     pcsm_create_table(op, "t_c_key", COLS(INT("x")), NULL, NULL);
     pcsm_create_table(op, "t", COLS(INT("a")), CONS(CHK("a > 0")), NULL);
     pcsm_add_column(op, "t", &(pcsm_column){ .name = "c", .type = PCSM_INTEGER, .unique = true,
                                              .check = "c > a" });)
CASE(add_after_rename_table,
     pcsm_create_table(op, "old", COLS(INT("a")), NULL, NULL);
     pcsm_rename_table(op, "old", "t");
     add(op, "t", (pcsm_constraint)UNIQ("a"));
     index_on(op, "t", "a");)

/* Indexes. */
CASE(index_one_column, pcsm_create_table(op, "t", COLS(INT("a")), NULL, NULL);
     index_on(op, "t", "a");)
CASE(index_two_columns,
     pcsm_create_table(op, "t", COLS(INT("a"), INT("b")), NULL, NULL);
     pcsm_create_index(op, &(pcsm_index){ .table = "t", .columns = PCSM_NAMES("b", "a") });)
CASE(index_same_column_twice,
     pcsm_create_table(op, "t", COLS(INT("a")), NULL, NULL);
     pcsm_create_index(op, &(pcsm_index){ .table = "t", .columns = PCSM_NAMES("a", "a") });)
CASE(index_unique,
     pcsm_create_table(op, "t", COLS(INT("a")), NULL, NULL);
     pcsm_create_index(op, &(pcsm_index){ .table = "t", .columns = PCSM_NAMES("a"),
                                          .unique = true });)
CASE(index_partial,
     pcsm_create_table(op, "t", COLS(INT("a"), INT("b")), NULL, NULL);
     pcsm_create_index(op, &(pcsm_index){ .table = "t", .columns = PCSM_NAMES("a"),
                                          .where = "b > 0" });)
CASE(index_method,
     pcsm_create_table(op, "t", COLS(INT("a")), NULL, NULL);
     pcsm_create_index(op, &(pcsm_index){ .table = "t", .columns = PCSM_NAMES("a"),
                                          .method = "hash" });)
CASE(index_expression_function,
     pcsm_create_table(op, "t", COLS(TXT("s")), NULL, NULL);
     pcsm_create_index(op, &(pcsm_index){ .table = "t", .expression = "lower(s)" });)
CASE(index_expression_qualified_function,
     pcsm_create_table(op, "t", COLS(TXT("s")), NULL, NULL);
     pcsm_create_index(op, &(pcsm_index){ .table = "t", .expression = "pg_catalog.upper(s)" });)
CASE(index_expression_operator,
     pcsm_create_table(op, "t", COLS(INT("a"), INT("b")), NULL, NULL);
     pcsm_create_index(op, &(pcsm_index){ .table = "t", .expression = "a + b" });)
CASE(index_expression_column,
     pcsm_create_table(op, "t", COLS(INT("a")), NULL, NULL);
     pcsm_create_index(op, &(pcsm_index){ .table = "t", .expression = "(a)" });)
CASE(index_expression_cast_of_column,
     pcsm_create_table(op, "t", COLS(INT("a")), NULL, NULL);
     pcsm_create_index(op, &(pcsm_index){ .table = "t", .expression = "a::text" });)
CASE(index_expression_cast_of_sum,
     pcsm_create_table(op, "t", COLS(INT("a"), INT("b")), NULL, NULL);
     pcsm_create_index(op, &(pcsm_index){ .table = "t", .expression = "(a + b)::bigint" });)
CASE(index_expression_coalesce,
     pcsm_create_table(op, "t", COLS(INT("a")), NULL, NULL);
     pcsm_create_index(op, &(pcsm_index){ .table = "t", .expression = "COALESCE(a, 0)" });)
CASE(index_expression_case_else_column,
     pcsm_create_table(op, "t", COLS(INT("a"), INT("b")), NULL, NULL);
     pcsm_create_index(op, &(pcsm_index){ .table = "t",
                                          .expression = "CASE WHEN a > 0 THEN a ELSE b END" });)
CASE(index_expression_case,
     pcsm_create_table(op, "t", COLS(INT("a")), NULL, NULL);
     pcsm_create_index(op, &(pcsm_index){ .table = "t",
                                          .expression = "CASE WHEN a > 0 THEN 1 END" });)
CASE(index_expression_collate,
     pcsm_create_table(op, "t", COLS(TXT("s")), NULL, NULL);
     pcsm_create_index(op, &(pcsm_index){ .table = "t", .expression = "lower(s) COLLATE \"C\"" });)
CASE(index_expression_twice_collides,
     pcsm_create_table(op, "t", COLS(TXT("s")), NULL, NULL);
     pcsm_create_index(op, &(pcsm_index){ .table = "t", .expression = "lower(s)" });
     pcsm_create_index(op, &(pcsm_index){ .table = "t", .expression = "lower(s || 'x')" });)
CASE(index_then_drop_by_its_name,
     pcsm_create_table(op, "t", COLS(INT("a")), NULL, NULL);
     index_on(op, "t", "a");
     index_on(op, "t", "a");
     pcsm_drop_index(op, "t_a_idx", 0);
     index_on(op, "t", "a");)
CASE(constraint_then_drop_by_its_name,
     pcsm_create_table(op, "t", COLS(INT("a")), CONS(CHK("a > 0"), CHK("a < 10")), NULL);
     pcsm_drop_constraint(op, "t", "t_a_check", 0);
     add(op, "t", (pcsm_constraint)CHK("a <> 5"));
     pcsm_drop_constraint(op, "t", "t_a_check1", 0);)

/* CHECKs the tokenizer must read right. */
CASE(check_quoted_mixed_case,
     pcsm_create_table(op, "t", COLS(INT("MixedCase"), INT("mixedcase")),
                       CONS(CHK("\"MixedCase\" > 0")), NULL);)
CASE(check_unquoted_folds,
     pcsm_create_table(op, "t", COLS(INT("MixedCase"), INT("mixedcase")),
                       CONS(CHK("MixedCase > 0")), NULL);)
CASE(check_string_literal_is_no_column,
     pcsm_create_table(op, "t", COLS(TXT("a"), TXT("b")), CONS(CHK("b <> 'a'")), NULL);)
CASE(check_function_named_like_a_column,
     pcsm_create_table(op, "t", COLS(TXT("lower"), TXT("b")), CONS(CHK("lower(b) = b")), NULL);)
CASE(check_cast,
     pcsm_create_table(op, "t", COLS(INT("a"), INT("text")), CONS(CHK("a::text <> ''")), NULL);)
CASE(check_qualified_by_table,
     pcsm_create_table(op, "t", COLS(INT("a"), INT("b")), CONS(CHK("t.a > 0")), NULL);)
CASE(check_in_list,
     pcsm_create_table(op, "t", COLS(INT("a")), CONS(CHK("a IN (1, 2, 3)")), NULL);)
CASE(check_is_null_of_two,
     pcsm_create_table(op, "t", COLS(INT("a"), INT("b")),
                       CONS(CHK("a IS NOT NULL OR b IS NOT NULL")), NULL);)
CASE(check_dollar_quoted,
     pcsm_create_table(op, "t", COLS(TXT("a"), TXT("b")), CONS(CHK("b <> $$a$$")), NULL);)
CASE(check_case,
     pcsm_create_table(op, "t", COLS(INT("a"), INT("b")),
                       CONS(CHK("CASE WHEN a > 0 THEN true ELSE false END")), NULL);)

/* Long names: the longer part cut first, at a character boundary. */
CASE(long_table_pkey,
     pcsm_create_table(op, T63, COLS({ .name = "id", .type = PCSM_INTEGER, .primary_key = true }),
                       NULL, NULL);)
CASE(long_table_long_column_unique,
     pcsm_create_table(op, T63, COLS({ .name = C40, .type = PCSM_INTEGER, .unique = true }),
                       NULL, NULL);)
CASE(short_table_long_column_check,
     const char *col = C63;

     pcsm_create_table(op, T40, COLS({ .name = col, .type = PCSM_INTEGER, .check = "1 < 2" },
                                     INT("b")),
                       CONS(CHK(rep("\"", col, 1, "\" > 0"))), NULL);)
CASE(long_both_fkey,
     parent(op, "p");
     pcsm_create_table(op, T63, COLS({ .name = C63, .type = PCSM_INTEGER, .references = "p" }),
                       NULL, NULL);)
CASE(long_two_columns_unique,
     pcsm_create_table(op, T58, COLS(INT(C40), INT(C63)), CONS(UNIQ(C40, C63)), NULL);)
CASE(long_columns_collide_in_one_statement,
     pcsm_create_table(op, T40, COLS({ .name = C51("_1111"), .type = PCSM_INTEGER,
                                       .unique = true },
                                     { .name = C51("_2222"), .type = PCSM_INTEGER,
                                       .unique = true },
                                     { .name = C51("_3333"), .type = PCSM_INTEGER,
                                       .unique = true }), NULL, NULL);)
CASE(long_checks_numbered,
     pcsm_create_table(op, T63, COLS(INT("a")), CONS(CHK("1 = 1"), CHK("2 = 2"), CHK("3 = 3")),
                       NULL);)
CASE(long_indexes_numbered,
     pcsm_create_table(op, T58, COLS(INT(C40)), NULL, NULL);
     index_on(op, T58, C40);
     index_on(op, T58, C40);)
CASE(multibyte_2_at_the_cut,
     pcsm_create_table(op, T_E2, COLS({ .name = "id", .type = PCSM_INTEGER, .primary_key = true }),
                       NULL, NULL);)
CASE(multibyte_3_at_the_cut,
     pcsm_create_table(op, T_E3, COLS({ .name = "c", .type = PCSM_INTEGER, .unique = true }),
                       NULL, NULL);)
CASE(multibyte_4_at_the_cut,
     pcsm_create_table(op, "t", COLS({ .name = C_E4, .type = PCSM_INTEGER, .unique = true }),
                       NULL, NULL);)
CASE(multibyte_both_sides,
     pcsm_create_table(op, T_E2, COLS(INT(C_E2)), NULL, NULL);
     index_on(op, T_E2, C_E2);
     index_on(op, T_E2, C_E2);)
CASE(multibyte_check,
     pcsm_create_table(op, T_E3, COLS(INT(C_E4)), NULL, NULL);
     add(op, T_E3, (pcsm_constraint)CHK(rep("\"", E4, 15, "abc\" > 0")));)

/* Identity sequences. */
CASE(identity_sequence,
     pcsm_create_table(op, "t", COLS({ .name = "id", .type = PCSM_INTEGER,
                                       .identity = PCSM_IDENTITY_ALWAYS }), NULL, NULL);)
CASE(identity_sequence_taken,
     pcsm_create_sequence(op, "t_id_seq", NULL, NULL, NULL);
     pcsm_create_table(op, "t_id_seq1", COLS(INT("x")), NULL, NULL);
     pcsm_create_table(op, "t", COLS({ .name = "id", .type = PCSM_INTEGER,
                                       .identity = PCSM_IDENTITY_ALWAYS }), NULL, NULL);)
CASE(identity_sequence_long,
     pcsm_create_table(op, T63, COLS({ .name = C_E4, .type = PCSM_BIGINT,
                                       .identity = PCSM_IDENTITY_BY_DEFAULT }), NULL, NULL);)

struct name_case {
    const char *name;
    void (*up)(pcsm_op *);
};

#define C(id) { #id, up_##id }
static const struct name_case cases[] = {
    C(col_pkey), C(col_unique), C(col_fkey), C(col_check_own), C(col_check_other_column),
    C(col_check_two_columns), C(col_check_no_column), C(col_check_one_column_twice),
    C(col_all_kinds), C(col_composite_pkey),
    C(tab_pkey_two_columns), C(tab_unique_two_columns), C(tab_fkey_two_columns),
    C(tab_check_one_column), C(tab_check_two_columns), C(tab_check_no_column),
    C(tab_two_checks_same_column_collide), C(tab_four_checks_collide),
    C(tab_named_check_takes_the_default), C(tab_two_fkeys_same_column_collide),
    C(tab_every_kind_unnamed),
    C(taken_by_table), C(taken_by_index), C(taken_by_sequence),
    C(taken_by_constraint_of_another_table), C(pkey_taken_by_check_of_another_table),
    C(fkey_not_taken_by_a_table), C(check_not_taken_by_a_table),
    C(index_not_taken_by_a_check), C(index_taken_by_a_table), C(four_indexes_same_column),
    C(four_unique_constraints_added), C(four_fkeys_added),
    C(unique_key_taken_by_index_then_constraint),
    C(add_pkey), C(add_check_one_two_none), C(add_column_inline), C(add_column_inline_taken),
    C(add_after_rename_table),
    C(index_one_column), C(index_two_columns), C(index_same_column_twice), C(index_unique),
    C(index_partial), C(index_method), C(index_expression_function),
    C(index_expression_qualified_function), C(index_expression_operator),
    C(index_expression_column), C(index_expression_cast_of_column),
    C(index_expression_cast_of_sum), C(index_expression_coalesce),
    C(index_expression_case_else_column), C(index_expression_case),
    C(index_expression_collate), C(index_expression_twice_collides),
    C(index_then_drop_by_its_name), C(constraint_then_drop_by_its_name),
    C(check_quoted_mixed_case), C(check_unquoted_folds), C(check_string_literal_is_no_column),
    C(check_function_named_like_a_column), C(check_cast), C(check_qualified_by_table),
    C(check_in_list), C(check_is_null_of_two), C(check_dollar_quoted), C(check_case),
    C(long_table_pkey), C(long_table_long_column_unique), C(short_table_long_column_check),
    C(long_both_fkey), C(long_two_columns_unique), C(long_columns_collide_in_one_statement),
    C(long_checks_numbered), C(long_indexes_numbered),
    C(multibyte_2_at_the_cut), C(multibyte_3_at_the_cut), C(multibyte_4_at_the_cut),
    C(multibyte_both_sides), C(multibyte_check),
    C(identity_sequence), C(identity_sequence_taken), C(identity_sequence_long),
};
#define N_CASES ((int)(sizeof(cases) / sizeof(cases[0])))

/* ------------------------------------------------------------ comparing */

static int cmp_str(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

static const char kind_letter[] = {
    [PCSM_PRIMARY_KEY] = 'p', [PCSM_UNIQUE] = 'u', [PCSM_FOREIGN_KEY] = 'f', [PCSM_CHECK] = 'c',
};

/* The model's names as the catalog query below lists them: "table kind name", sorted. */
static char *model_names(const pcsm_schema *s)
{
    char **lines = NULL;
    size_t n = 0, i, k;
    pcsm_buf b = PCSM_BUF_INIT;

#define LINE(...) do { \
        pcsm_buf l = PCSM_BUF_INIT; \
        pcsm_buf_printf(&l, __VA_ARGS__); \
        lines = realloc(lines, (n + 1) * sizeof(*lines)); \
        lines[n++] = pcsm_buf_detach(&l); \
    } while (0)
    for (i = 0; i < s->n_tables; i++) {
        const struct pcsm_schema_table *t = &s->tables[i];

        for (k = 0; k < t->n_constraints; k++)
            LINE("%s %c %s", t->name, kind_letter[t->constraints[k].kind],
                 t->constraints[k].name ? t->constraints[k].name : "(not known)");
        for (k = 0; k < t->n_columns; k++)
            if (t->columns[k].identity)
                LINE("S %s", t->columns[k].identity_sequence
                             ? t->columns[k].identity_sequence : "(not known)");
    }
    for (i = 0; i < s->n_indexes; i++)
        LINE("%s i %s", s->indexes[i].table, s->indexes[i].name);
    for (i = 0; i < s->n_sequences; i++)
        LINE("S %s", s->sequences[i].name);
#undef LINE
    qsort(lines, n, sizeof(*lines), cmp_str);
    for (i = 0; i < n; i++) {
        if (i)
            pcsm_buf_putc(&b, '\n');
        pcsm_buf_puts(&b, lines[i]);
        free(lines[i]);
    }
    free(lines);
    pcsm_buf_puts(&b, "");
    return pcsm_buf_detach(&b);
}

static const char server_names_sql[] =
    "SELECT line FROM ("
    " SELECT c.relname || ' ' || k.contype::text || ' ' || k.conname AS line"
    "  FROM pg_constraint k JOIN pg_class c ON c.oid = k.conrelid"
    "  WHERE k.connamespace = current_schema()::regnamespace"
    " UNION ALL"
    " SELECT t.relname || ' i ' || i.relname::text FROM pg_index x"
    "  JOIN pg_class i ON i.oid = x.indexrelid JOIN pg_class t ON t.oid = x.indrelid"
    "  WHERE i.relnamespace = current_schema()::regnamespace AND NOT EXISTS ("
    "   SELECT 1 FROM pg_constraint k WHERE k.conindid = x.indexrelid"
    "    AND k.conrelid = x.indrelid AND k.contype IN ('p', 'u'))"
    " UNION ALL"
    " SELECT 'S ' || relname::text FROM pg_class"
    "  WHERE relkind = 'S' AND relnamespace = current_schema()::regnamespace"
    ") l ORDER BY line COLLATE \"C\"";

START_TEST(test_names_server_and_model_agree)
{
    const struct name_case *c = &cases[_i];
    static const char *const none[] = { NULL };
    pcsm_revision rev = { .id = "r1", .parents = none, .description = "names",
                          .create_date = "2026-01-01 00:00:00", .source_path = "names.c",
                          .upgrade = c->up };
    pcsm_revset at = PCSM_REVSET_INIT;
    pcsm_ctx *ctx = NULL;
    pcsm_schema *model = NULL;
    pcsm_buf sql = PCSM_BUF_INIT;
    PGconn *conn = test_connect(db);
    char setup[128], esc[4096], esc2[4096];
    char *server, *ours;
    PGresult *res;

    snprintf(setup, sizeof(setup), "CREATE SCHEMA n%d; SET search_path = n%d", _i, _i);
    test_exec(conn, setup);
    ck_assert_int_eq(pcsm_ctx_new(&ctx, &rev, 1), 0);
    ck_assert_msg(pcsm_revision_sql(ctx, &rev, PCSM_UPGRADE, &sql) == 0, "case %s: %s",
                  c->name, pcsm_error_last(ctx)->message);
    res = PQexec(conn, sql.ptr);
    ck_assert_msg(PQresultStatus(res) == PGRES_COMMAND_OK, "case %s: the server refused: %s",
                  c->name, PQerrorMessage(conn));
    PQclear(res);
    ck_assert_int_eq(pcsm_graph_resolve(ctx, "heads", NULL, &at), 0);
    ck_assert_msg(pcsm_schema_declared(ctx, &at, &model) == 0, "case %s: replay refused: %s",
                  c->name, pcsm_error_last(ctx)->message);
    server = test_query(conn, server_names_sql);
    ours = model_names(model);
    ck_assert_msg(!strcmp(server, ours), "case %s: the server's names [%s], the model's [%s]",
                  c->name, test_escape_bytes(esc, sizeof(esc), test_flat(server)),
                  test_escape_bytes(esc2, sizeof(esc2), test_flat(ours)));
    free(server);
    free(ours);
    pcsm_schema_free(model);
    pcsm_revset_dispose(&at);
    pcsm_buf_dispose(&sql);
    pcsm_ctx_free(ctx);
    PQfinish(conn);
    while (n_pool)
        free(pool[--n_pool]);
}
END_TEST

/* ------------------------------------------------ in two schemas (issue 20) */

/*
 * The same operations in the search path's schema and in "billing": each
 * schema's names are chosen among its own relations and constraints.
 */
CASE(q_unique_and_check_per_schema,
     pcsm_set_schema(op, "billing");
     pcsm_create_sequence(op, "t_a_key", NULL, NULL, NULL);
     pcsm_create_table(op, "t", COLS({ .name = "a", .type = PCSM_INTEGER, .unique = true,
                                       .check = "a > 0" }), NULL, NULL);
     pcsm_set_schema(op, NULL);
     pcsm_create_table(op, "t", COLS({ .name = "a", .type = PCSM_INTEGER, .unique = true,
                                       .check = "a > 0" }), NULL, NULL);
     pcsm_create_table(op, "u", COLS(INT("a")), CONS(CHK("a > 0")), NULL);)
CASE(q_serial_and_identity_per_schema,
     pcsm_set_schema(op, "billing");
     pcsm_create_table(op, "orders_id_seq", COLS(INT("x")), NULL, NULL);
     pcsm_create_table(op, "orders", COLS({ .name = "id", .type = PCSM_SERIAL },
                                          { .name = "n", .type = PCSM_INTEGER,
                                            .identity = PCSM_IDENTITY_ALWAYS }), NULL, NULL);
     pcsm_set_schema(op, NULL);
     pcsm_create_table(op, "orders", COLS({ .name = "id", .type = PCSM_SERIAL },
                                          { .name = "n", .type = PCSM_INTEGER,
                                            .identity = PCSM_IDENTITY_ALWAYS }), NULL, NULL);)
CASE(q_foreign_keys_across,
     pcsm_create_table(op, "customers", COLS({ .name = "id", .type = PCSM_INTEGER,
                                               .primary_key = true }), NULL, NULL);
     pcsm_set_schema(op, "billing");
     pcsm_create_table(op, "customers", COLS({ .name = "id", .type = PCSM_INTEGER,
                                               .primary_key = true }), NULL, NULL);
     pcsm_create_table(op, "invoices",
                       COLS({ .name = "id", .type = PCSM_INTEGER, .primary_key = true },
                            { .name = "customer", .type = PCSM_INTEGER,
                              .references = "customers" }), NULL, NULL);
     pcsm_set_schema(op, NULL);
     pcsm_create_table(op, "payments", COLS(INT("invoice"), INT("customer")),
                       CONS({ .kind = PCSM_FOREIGN_KEY, .columns = PCSM_NAMES("invoice"),
                              .references = "invoices", .ref_schema = "billing" },
                            { .kind = PCSM_FOREIGN_KEY, .columns = PCSM_NAMES("customer"),
                              .references = "customers", .ref_schema = "billing" }), NULL);)
CASE(q_indexes_and_renames,
     pcsm_set_schema(op, "billing");
     pcsm_create_table(op, "t", COLS(INT("a"), INT("b")), NULL, NULL);
     index_on(op, "t", "a");
     pcsm_rename_index(op, "t_a_idx", "t_b_idx");
     index_on(op, "t", "b");
     index_on(op, "t", "a");
     pcsm_rename_table(op, "t", "t_a_idx1");
     pcsm_set_schema(op, NULL);
     pcsm_create_table(op, "t", COLS(INT("a"), INT("b")), NULL, NULL);
     index_on(op, "t", "a");
     index_on(op, "t", "b");)

static const struct name_case qualified_cases[] = {
    C(q_unique_and_check_per_schema), C(q_serial_and_identity_per_schema),
    C(q_foreign_keys_across), C(q_indexes_and_renames),
};
#define N_QUALIFIED ((int)(sizeof(qualified_cases) / sizeof(qualified_cases[0])))

/* model_names() of one schema, each line prefixed with `prefix`. */
static char *model_names_in(const pcsm_schema *s, const char *schema, const char *prefix)
{
    pcsm_schema *only = pcsm_schema__new();
    pcsm_buf b = PCSM_BUF_INIT;
    char *names, *line, *next;
    size_t i;

    /* A shallow view of s's objects of that schema: the arrays lent, never freed. */
    only->tables = pcsm__xcalloc(s->n_tables + 1, sizeof(*only->tables));
    only->indexes = pcsm__xcalloc(s->n_indexes + 1, sizeof(*only->indexes));
    only->sequences = pcsm__xcalloc(s->n_sequences + 1, sizeof(*only->sequences));
    for (i = 0; i < s->n_tables; i++)
        if (pcsm_schema__str_eq(s->tables[i].schema, schema))
            only->tables[only->n_tables++] = s->tables[i];
    for (i = 0; i < s->n_indexes; i++)
        if (pcsm_schema__str_eq(s->indexes[i].schema, schema))
            only->indexes[only->n_indexes++] = s->indexes[i];
    for (i = 0; i < s->n_sequences; i++)
        if (pcsm_schema__str_eq(s->sequences[i].schema, schema))
            only->sequences[only->n_sequences++] = s->sequences[i];
    names = model_names(only);
    free(only->tables);
    free(only->indexes);
    free(only->sequences);
    free(only);
    for (line = names; *line; line = next) {
        next = strchr(line, '\n');
        next = next ? next + 1 : line + strlen(line);
        pcsm_buf_printf(&b, "%s%.*s", prefix, (int)(next - line), line);
    }
    free(names);
    pcsm_buf_puts(&b, "");
    return pcsm_buf_detach(&b);
}

START_TEST(test_names_in_two_schemas_agree)
{
    const struct name_case *c = &qualified_cases[_i];
    static const char *const none[] = { NULL };
    pcsm_revision rev = { .id = "r1", .parents = none, .description = "names",
                          .create_date = "2026-01-01 00:00:00", .source_path = "names.c",
                          .upgrade = c->up };
    pcsm_revset at = PCSM_REVSET_INIT;
    pcsm_ctx *ctx = NULL;
    pcsm_schema *model = NULL;
    pcsm_buf sql = PCSM_BUF_INIT;
    PGconn *conn = test_connect(db);
    char setup[200], esc[4096], esc2[4096];
    char *server, *billing, *ours, *theirs;
    PGresult *res;

    snprintf(setup, sizeof(setup), "DROP SCHEMA IF EXISTS billing CASCADE; CREATE SCHEMA "
             "billing; CREATE SCHEMA q%d; SET search_path = q%d", _i, _i);
    test_exec(conn, setup);
    ck_assert_int_eq(pcsm_ctx_new(&ctx, &rev, 1), 0);
    ck_assert_msg(pcsm_revision_sql(ctx, &rev, PCSM_UPGRADE, &sql) == 0, "case %s: %s",
                  c->name, pcsm_error_last(ctx)->message);
    res = PQexec(conn, sql.ptr);
    ck_assert_msg(PQresultStatus(res) == PGRES_COMMAND_OK, "case %s: the server refused: %s",
                  c->name, PQerrorMessage(conn));
    PQclear(res);
    ck_assert_int_eq(pcsm_graph_resolve(ctx, "heads", NULL, &at), 0);
    ck_assert_msg(pcsm_schema_declared(ctx, &at, &model) == 0, "case %s: replay refused: %s",
                  c->name, pcsm_error_last(ctx)->message);
    server = test_query(conn, server_names_sql);
    test_exec(conn, "SET search_path = billing");
    billing = test_query(conn, server_names_sql);
    ours = model_names_in(model, NULL, "");
    theirs = model_names_in(model, "billing", "");
    ck_assert_msg(!strcmp(server, ours), "case %s: the server's names [%s], the model's [%s]",
                  c->name, test_escape_bytes(esc, sizeof(esc), test_flat(server)),
                  test_escape_bytes(esc2, sizeof(esc2), test_flat(ours)));
    ck_assert_msg(!strcmp(billing, theirs), "case %s: the server's names in billing [%s], "
                  "the model's [%s]", c->name,
                  test_escape_bytes(esc, sizeof(esc), test_flat(billing)),
                  test_escape_bytes(esc2, sizeof(esc2), test_flat(theirs)));
    free(server);
    free(billing);
    /* The model printed as SQL runs on the server and makes the same names. */
    snprintf(setup, sizeof(setup), "DROP SCHEMA billing, q%d CASCADE; CREATE SCHEMA billing; "
             "CREATE SCHEMA q%d; SET search_path = q%d", _i, _i, _i);
    test_exec(conn, setup);
    pcsm_buf_clear(&sql);
    ck_assert_int_eq(pcsm_schema_sql(ctx, model, &sql), 0);
    res = PQexec(conn, sql.ptr);
    ck_assert_msg(PQresultStatus(res) == PGRES_COMMAND_OK, "case %s: the server refused the "
                  "printed model: %s", c->name, PQerrorMessage(conn));
    PQclear(res);
    server = test_query(conn, server_names_sql);
    test_exec(conn, "SET search_path = billing");
    billing = test_query(conn, server_names_sql);
    ck_assert_msg(!strcmp(server, ours) && !strcmp(billing, theirs), "case %s: printed back, "
                  "the server's names [%s] and in billing [%s]", c->name,
                  test_escape_bytes(esc, sizeof(esc), test_flat(server)),
                  test_escape_bytes(esc2, sizeof(esc2), test_flat(billing)));
    free(server);
    free(billing);
    free(ours);
    free(theirs);
    pcsm_schema_free(model);
    pcsm_revset_dispose(&at);
    pcsm_buf_dispose(&sql);
    pcsm_ctx_free(ctx);
    PQfinish(conn);
}
END_TEST

/* ---------------------------------------------------------------- fixture */

static void setup_db(void)
{
    PGconn *admin = test_connect("postgres");
    char sql[200];

    /* UTF-8 whatever the cluster's default: the cut is at a character of it. */
    snprintf(db, sizeof(db), "pcsm_names_%ld", (long)getpid());
    snprintf(sql, sizeof(sql), "CREATE DATABASE \"%s\" ENCODING 'UTF8' LC_COLLATE 'C' "
             "LC_CTYPE 'C' TEMPLATE template0", db);
    test_exec(admin, sql);
    PQfinish(admin);
}

static void teardown_db(void)
{
    test_db_drop(db);
}

static Suite *names_suite(void)
{
    Suite *s = suite_create("names");
    TCase *tc = tcase_create("names");

    tcase_add_unchecked_fixture(tc, setup_db, teardown_db);
    tcase_set_timeout(tc, 120);
    tcase_add_loop_test(tc, test_names_server_and_model_agree, 0, N_CASES);
    tcase_add_loop_test(tc, test_names_in_two_schemas_agree, 0, N_QUALIFIED);
    suite_add_tcase(s, tc);
    return s;
}

int main(void)
{
    test_require_db();
    return test_run_suite(names_suite());
}
