/*
 * Unit tests for the error record (suite "error"): core/error.c's setters,
 * the only code that writes it.  A wrapped error keeps its code and the
 * server's fields; a new one clears them; a format may quote the message
 * it replaces.
 */
#include <check.h>
#include <stddef.h>

#include "pcsm/pcsm.h"
#include "core/core.h"
#include "support.h"

static pcsm_ctx *ctx;

static void setup(void)
{
    ck_assert_int_eq(pcsm_ctx_new(&ctx, NULL, 0), 0);
}

static void teardown(void)
{
    pcsm_ctx_free(ctx);
    ctx = NULL;
}

static void assert_no_server_fields(const pcsm_error *e)
{
    ck_assert_ptr_null(e->sqlstate);
    ck_assert_ptr_null(e->detail);
    ck_assert_ptr_null(e->hint);
    ck_assert_ptr_null(e->statement);
}

/* A failed statement as pcsm_db__server_error reports it. */
static void set_server_error(void)
{
    ck_assert_int_eq(pcsm_error__server(ctx, PCSM_EDB, "23505", "Key (id)=(1) already exists.",
                                        "Look at the data.", "INSERT INTO t VALUES (1)",
                                        "%s: %s (SQLSTATE %s)", "0002_accounts",
                                        "duplicate key", "23505"),
                     PCSM_EDB);
}

START_TEST(test_error_new_context_has_none)
{
    const pcsm_error *e = pcsm_error_last(ctx);

    ck_assert_int_eq(e->code, PCSM_OK);
    ck_assert_str_eq(e->message, "no error");
    assert_no_server_fields(e);
}
END_TEST

START_TEST(test_error_set_returns_code_and_formats)
{
    const pcsm_error *e = pcsm_error_last(ctx);

    ck_assert_int_eq(pcsm_error__set(ctx, PCSM_ENOTFOUND, "no revision '%s'", "abc"),
                     PCSM_ENOTFOUND);
    ck_assert_int_eq(e->code, PCSM_ENOTFOUND);
    ck_assert_str_eq(e->message, "no revision 'abc'");
    assert_no_server_fields(e);
}
END_TEST

START_TEST(test_error_server_sets_every_field)
{
    const pcsm_error *e = pcsm_error_last(ctx);

    set_server_error();
    ck_assert_int_eq(e->code, PCSM_EDB);
    ck_assert_str_eq(e->message, "0002_accounts: duplicate key (SQLSTATE 23505)");
    ck_assert_str_eq(e->sqlstate, "23505");
    ck_assert_str_eq(e->detail, "Key (id)=(1) already exists.");
    ck_assert_str_eq(e->hint, "Look at the data.");
    ck_assert_str_eq(e->statement, "INSERT INTO t VALUES (1)");
}
END_TEST

START_TEST(test_error_server_leaves_absent_fields_null)
{
    const pcsm_error *e = pcsm_error_last(ctx);

    set_server_error();
    pcsm_error__server(ctx, PCSM_EUNREACHABLE, NULL, NULL, NULL, "SELECT 1",
                       "connection lost: %s", "server closed the connection");
    ck_assert_int_eq(e->code, PCSM_EUNREACHABLE);
    ck_assert_str_eq(e->message, "connection lost: server closed the connection");
    ck_assert_ptr_null(e->sqlstate);
    ck_assert_ptr_null(e->detail);
    ck_assert_ptr_null(e->hint);
    ck_assert_str_eq(e->statement, "SELECT 1");
}
END_TEST

START_TEST(test_error_server_sqlstate_is_five_characters)
{
    pcsm_error__server(ctx, PCSM_EDB, "42P01-and-more", NULL, NULL, NULL, "x");
    ck_assert_str_eq(pcsm_error_last(ctx)->sqlstate, "42P01");
}
END_TEST

START_TEST(test_error_set_clears_server_fields)
{
    set_server_error();
    pcsm_error__set(ctx, PCSM_ELOCK, "the migration lock was not obtained");
    ck_assert_int_eq(pcsm_error_last(ctx)->code, PCSM_ELOCK);
    assert_no_server_fields(pcsm_error_last(ctx));
}
END_TEST

START_TEST(test_error_prefix_keeps_code_and_server_fields)
{
    const pcsm_error *e = pcsm_error_last(ctx);

    set_server_error();
    ck_assert_int_eq(pcsm_error__prefix(ctx, "target '%s': ", "head"), PCSM_EDB);
    ck_assert_int_eq(e->code, PCSM_EDB);
    ck_assert_str_eq(e->message,
                     "target 'head': 0002_accounts: duplicate key (SQLSTATE 23505)");
    ck_assert_str_eq(e->sqlstate, "23505");
    ck_assert_str_eq(e->detail, "Key (id)=(1) already exists.");
    ck_assert_str_eq(e->hint, "Look at the data.");
    ck_assert_str_eq(e->statement, "INSERT INTO t VALUES (1)");
}
END_TEST

START_TEST(test_error_prefix_of_a_plain_error)
{
    pcsm_error__set(ctx, PCSM_ENOTFOUND, "no revision 'zz'");
    ck_assert_int_eq(pcsm_error__prefix(ctx, "target '%s': ", "zz@head"), PCSM_ENOTFOUND);
    ck_assert_str_eq(pcsm_error_last(ctx)->message, "target 'zz@head': no revision 'zz'");
    assert_no_server_fields(pcsm_error_last(ctx));
}
END_TEST

START_TEST(test_error_append_keeps_code_and_server_fields)
{
    const pcsm_error *e = pcsm_error_last(ctx);

    set_server_error();
    pcsm_error__append(ctx, "; cancelled after %ld ms", 1500L);
    ck_assert_int_eq(e->code, PCSM_EDB);
    ck_assert_str_eq(e->message,
                     "0002_accounts: duplicate key (SQLSTATE 23505); cancelled after 1500 ms");
    ck_assert_str_eq(e->sqlstate, "23505");
    ck_assert_str_eq(e->detail, "Key (id)=(1) already exists.");
    ck_assert_str_eq(e->statement, "INSERT INTO t VALUES (1)");
}
END_TEST

START_TEST(test_error_format_may_quote_the_old_error)
{
    const pcsm_error *e = pcsm_error_last(ctx);

    set_server_error();
    pcsm_error__server(ctx, PCSM_ERROR, e->sqlstate, e->detail, e->hint, e->statement,
                       "again: %s", e->message);
    ck_assert_str_eq(e->message, "again: 0002_accounts: duplicate key (SQLSTATE 23505)");
    ck_assert_str_eq(e->sqlstate, "23505");
    ck_assert_str_eq(e->detail, "Key (id)=(1) already exists.");
    ck_assert_str_eq(e->hint, "Look at the data.");
    ck_assert_str_eq(e->statement, "INSERT INTO t VALUES (1)");
    pcsm_error__set(ctx, PCSM_ERROR, "%s, %s", e->message, e->message);
    ck_assert_str_eq(e->message, "again: 0002_accounts: duplicate key (SQLSTATE 23505), "
                                 "again: 0002_accounts: duplicate key (SQLSTATE 23505)");
    pcsm_error__append(ctx, " (%s)", e->message);
    pcsm_error__prefix(ctx, "%.5s ", e->message);
    ck_assert_str_eq(e->message,
                     "again again: 0002_accounts: duplicate key (SQLSTATE 23505), "
                     "again: 0002_accounts: duplicate key (SQLSTATE 23505) "
                     "(again: 0002_accounts: duplicate key (SQLSTATE 23505), "
                     "again: 0002_accounts: duplicate key (SQLSTATE 23505))");
}
END_TEST

START_TEST(test_error_clear)
{
    set_server_error();
    pcsm_error__clear(ctx);
    ck_assert_int_eq(pcsm_error_last(ctx)->code, PCSM_OK);
    ck_assert_str_eq(pcsm_error_last(ctx)->message, "no error");
    assert_no_server_fields(pcsm_error_last(ctx));
}
END_TEST

static Suite *error_suite(void)
{
    Suite *s = suite_create("error");
    TCase *tc = tcase_create("record");

    tcase_add_checked_fixture(tc, setup, teardown);
    tcase_add_test(tc, test_error_new_context_has_none);
    tcase_add_test(tc, test_error_set_returns_code_and_formats);
    tcase_add_test(tc, test_error_server_sets_every_field);
    tcase_add_test(tc, test_error_server_leaves_absent_fields_null);
    tcase_add_test(tc, test_error_server_sqlstate_is_five_characters);
    tcase_add_test(tc, test_error_set_clears_server_fields);
    tcase_add_test(tc, test_error_prefix_keeps_code_and_server_fields);
    tcase_add_test(tc, test_error_prefix_of_a_plain_error);
    tcase_add_test(tc, test_error_append_keeps_code_and_server_fields);
    tcase_add_test(tc, test_error_format_may_quote_the_old_error);
    tcase_add_test(tc, test_error_clear);
    suite_add_tcase(s, tc);
    return s;
}

int main(void)
{
    return test_run_suite(error_suite());
}
