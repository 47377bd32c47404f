/*
 * Unit tests of the server's naming rules (runtime/lib/schema/names.c):
 * the numbered retry, the column part of a name, the columns a CHECK
 * reads and an index expression's column name, each as PostgreSQL 15's
 * source gives them; what cannot be read is "not known", never a guess.
 */
#include <stdlib.h>
#include <string.h>

#include "schema/schema.h"
#include "support.h"

static const char *const *taken_list;

static bool in_list(const char *name, void *arg)
{
    size_t i;

    (void)arg;
    for (i = 0; taken_list[i]; i++)
        if (!strcmp(taken_list[i], name))
            return true;
    return false;
}

static void expect_choice(const char *name1, const char *name2, const char *label,
                          const char *const *taken, const char *want)
{
    char *got;

    taken_list = taken;
    got = pcsm_schema__choose_name(name1, name2, label, in_list, NULL);
    ck_assert_msg(!strcmp(got, want), "%s/%s/%s: got %s, want %s", name1,
                  name2 ? name2 : "-", label, got, want);
    free(got);
}

START_TEST(test_names_choose_numbers_from_one)
{
    expect_choice("t", "a", "key", PCSM_NAMES("x"), "t_a_key");
    expect_choice("t", "a", "key", PCSM_NAMES("t_a_key"), "t_a_key1");
    expect_choice("t", "a", "key", PCSM_NAMES("t_a_key", "t_a_key1", "t_a_key2"), "t_a_key3");
    expect_choice("t", NULL, "pkey", PCSM_NAMES("t_pkey", "t_pkey2"), "t_pkey1");
}
END_TEST

/* The longer label of a retry shortens the names before it (makeObjectName()). */
START_TEST(test_names_choose_numbered_label_still_fits)
{
    char table[64], first[64], want[64];

    memset(table, 'x', 63);
    table[63] = '\0';
    memset(first, 'x', 59);
    strcpy(first + 59, "_key");
    memset(want, 'x', 58);
    strcpy(want + 58, "_key1");
    expect_choice(table, NULL, "key", (const char *const[]){ first, NULL }, want);
}
END_TEST

START_TEST(test_names_addition_joins_and_stops)
{
    char *add = pcsm_schema__name_addition(PCSM_NAMES("a", "b", "c"));
    const char *cols[4];
    char long_name[64];

    ck_assert_str_eq(add, "a_b_c");
    free(add);
    memset(long_name, 'n', 63);
    long_name[63] = '\0';
    cols[0] = long_name;
    cols[1] = "second";
    cols[2] = "third";
    cols[3] = NULL;
    /* 63 + '_' + 6 passes NAMEDATALEN: the third is not added. */
    add = pcsm_schema__name_addition(cols);
    ck_assert_uint_eq(strlen(add), 70);
    ck_assert_str_eq(add + 63, "_second");
    free(add);
}
END_TEST

START_TEST(test_names_index_columns_made_unique)
{
    char **names = pcsm_schema__index_column_names(PCSM_NAMES("a", "a", "b", "a", "a1"));

    ck_assert_str_eq(names[0], "a");
    ck_assert_str_eq(names[1], "a1");
    ck_assert_str_eq(names[2], "b");
    ck_assert_str_eq(names[3], "a2");
    /* "a1" is taken by the second: numbered from its own name. */
    ck_assert_str_eq(names[4], "a11");
    ck_assert_ptr_null(names[5]);
    pcsm_schema__free_names(names);
}
END_TEST

static void expect_check(const char *expr, int rc, const char *column)
{
    const char *got = NULL;
    int r = pcsm_schema__check_column(expr, "t", PCSM_NAMES("a", "b", "Mixed", "lower", "text",
                                                            "year"), &got);

    ck_assert_msg(r == rc, "%s: returned %d, want %d", expr, r, rc);
    if (column)
        ck_assert_msg(got && !strcmp(got, column), "%s: column %s, want %s", expr,
                      got ? got : "none", column);
    else
        ck_assert_ptr_null(got);
}

START_TEST(test_names_check_columns)
{
    expect_check("a > 0", 1, "a");
    expect_check("a > 0 AND a < 10", 1, "a");
    expect_check("a < b", 0, NULL);
    expect_check("true", 0, NULL);
    expect_check("length('a') > 0", 0, NULL);
    expect_check("\"Mixed\" > 0", 1, "Mixed");
    expect_check("MIXED > 0", 0, NULL);     /* folds to "mixed": no such column */
    expect_check("A > 0", 1, "a");
    expect_check("b <> 'a'", 1, "b");
    expect_check("b <> E'a\\'b'", 1, "b");
    expect_check("b <> $$a$$ AND b <> $x$a$x$", 1, "b");
    expect_check("lower(b) = b", 1, "b");
    expect_check("a::text <> ''", 1, "a");
    expect_check("t.a > 0", 1, "a");
    expect_check("a IN (1, 2)", 1, "a");
    expect_check("a IS NOT NULL OR b IS NOT NULL", 0, NULL);
    expect_check("CASE WHEN a > 0 THEN true ELSE false END", 1, "a");
    expect_check("a BETWEEN 1 AND 2 -- b\n", 1, "a");
    expect_check("a > 0 /* b */", 1, "a");
    /* What cannot be read confidently. */
    expect_check("EXTRACT(year FROM b) > 0", -1, NULL);
    expect_check("(x).a > 0", -1, NULL);
    expect_check("t IS NOT NULL", -1, NULL);
    expect_check("f(a => 1)", -1, NULL);
    expect_check("b > 'x", -1, NULL);
    expect_check("U&\"a\" > 0", -1, NULL);
    expect_check("a /* open", -1, NULL);
}
END_TEST

static void expect_colname(const char *expr, const char *want)
{
    char *got = pcsm_schema__expression_column_name(expr);

    if (!want)
        ck_assert_msg(!got, "%s: %s, want not known", expr, got);
    else
        ck_assert_msg(got && !strcmp(got, want), "%s: %s, want %s", expr,
                      got ? got : "not known", want);
    free(got);
}

START_TEST(test_names_expression_column_names)
{
    expect_colname("lower(name)", "lower");
    expect_colname("(lower(name))", "lower");
    expect_colname("pg_catalog.upper(s)", "upper");
    expect_colname("\"MyFunc\"(s)", "MyFunc");
    expect_colname("a + b", "expr");
    expect_colname("a IS NULL", "expr");
    expect_colname("-a", "expr");
    expect_colname("42", "expr");
    expect_colname("(a)", "a");
    expect_colname("a::text", "a");
    expect_colname("(a + b)::bigint", "int8");
    expect_colname("(a + b)::integer", "int4");
    expect_colname("(a + b)::numeric(10, 2)", "numeric");
    expect_colname("(a || b)::text[]", "text");
    expect_colname("COALESCE(a, 0)", "coalesce");
    expect_colname("CASE WHEN a > 0 THEN a ELSE b END", "b");
    expect_colname("CASE WHEN a > 0 THEN 1 END", "case");
    expect_colname("CASE WHEN a > 0 THEN 1 ELSE b + 1 END", "case");
    expect_colname("lower(s) COLLATE \"C\"", "lower");
    expect_colname("lower(s) || 'x'", "expr");
    expect_colname("ARRAY[a, b]", "array");
    /* Syntax the grammar rewrites, or types named by precision: not known. */
    expect_colname("trim(s)", NULL);
    expect_colname("CAST(a AS text)", NULL);
    expect_colname("a AT TIME ZONE 'UTC'", NULL);
    expect_colname("(a + b)::double precision", NULL);
    expect_colname("a[1]", NULL);
    expect_colname("", NULL);
}
END_TEST

static Suite *names_suite(void)
{
    Suite *s = suite_create("names");
    TCase *tc = tcase_create("names");

    tcase_add_test(tc, test_names_choose_numbers_from_one);
    tcase_add_test(tc, test_names_choose_numbered_label_still_fits);
    tcase_add_test(tc, test_names_addition_joins_and_stops);
    tcase_add_test(tc, test_names_index_columns_made_unique);
    tcase_add_test(tc, test_names_check_columns);
    tcase_add_test(tc, test_names_expression_column_names);
    suite_add_tcase(s, tc);
    return s;
}

int main(void)
{
    return test_run_suite(names_suite());
}
