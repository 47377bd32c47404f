/*
 * Placeholder: being written.
 */
#include "support.h"

START_TEST(test_live_placeholder)
{
}
END_TEST

int main(void)
{
    Suite *s = suite_create("live");
    TCase *tc = tcase_create("live");

    test_require_db();
    tcase_add_test(tc, test_live_placeholder);
    suite_add_tcase(s, tc);
    return test_run_suite(s);
}
