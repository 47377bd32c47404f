/*
 * Placeholder: being written.
 */
#include "support.h"

START_TEST(test_concurrency_placeholder)
{
}
END_TEST

int main(void)
{
    Suite *s = suite_create("concurrency");
    TCase *tc = tcase_create("concurrency");

    test_require_db();
    tcase_add_test(tc, test_concurrency_placeholder);
    suite_add_tcase(s, tc);
    return test_run_suite(s);
}
