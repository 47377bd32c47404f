/*
 * Unit tests of the catalog layer's text work (runtime/lib/catalog): the
 * WHEN condition out of pg_get_triggerdef() and a function's body out of
 * prosrc, on the server's own spellings, hostile names included.
 */
#include <stdlib.h>
#include <string.h>

#include "catalog/catalog.h"
#include "support.h"

static void when_is(const char *def, const char *want)
{
    char *got = pcsm_catalog__trigger_when(def);

    if (!want)
        ck_assert_msg(!got, "%s: WHEN [%s], expected none", def ? def : "(null)",
                      got ? got : "");
    else
        ck_assert_msg(got && !strcmp(got, want), "%s: WHEN [%s], expected [%s]", def,
                      got ? got : "(none)", want);
    free(got);
}

START_TEST(test_catalog_when_out_of_the_definition)
{
    when_is("CREATE TRIGGER t BEFORE UPDATE ON s.p FOR EACH ROW "
            "WHEN ((old.body IS DISTINCT FROM new.body)) EXECUTE FUNCTION touch()",
            "(old.body IS DISTINCT FROM new.body)");
    when_is("CREATE TRIGGER t AFTER INSERT ON s.p FOR EACH ROW EXECUTE FUNCTION touch()",
            NULL);
    when_is(NULL, NULL);
    /* A name that says WHEN (quoted), a literal with brackets, a quoted column. */
    when_is("CREATE TRIGGER \"x WHEN (y\" BEFORE INSERT ON s.\" WHEN (\" FOR EACH ROW "
            "WHEN (((new.\"a)\"\"b\" <> ')'::text) AND (new.n > (1 + 2)))) "
            "EXECUTE FUNCTION \"f WHEN (\"()",
            "((new.\"a)\"\"b\" <> ')'::text) AND (new.n > (1 + 2)))");
    when_is("CREATE TRIGGER t BEFORE INSERT ON p FOR EACH ROW WHEN ((new.s = 'it''s)'))"
            " EXECUTE FUNCTION f()", "(new.s = 'it''s)')");
    /* Cut short: no condition rather than half of one. */
    when_is("CREATE TRIGGER t BEFORE INSERT ON p FOR EACH ROW WHEN ((new.a", NULL);
}
END_TEST

static void body_is(const char *prosrc, const char *want)
{
    char *got = pcsm_catalog__function_body(prosrc);

    ck_assert_msg(!strcmp(got, want), "[%s]: body [%s], expected [%s]", prosrc, got, want);
    free(got);
}

START_TEST(test_catalog_body_out_of_prosrc)
{
    body_is("\nSELECT 1\n", "SELECT 1");                /* the renderer's newlines */
    body_is("\nBEGIN\n    RETURN NEW;\nEND\n", "BEGIN\n    RETURN NEW;\nEND");
    body_is("\n", "");
    body_is("", "");
    body_is("SELECT 1", "SELECT 1");                    /* made by hand: as it is */
    body_is("SELECT 1\n", "SELECT 1\n");
    body_is("\n\nx\n\n", "\nx\n");                      /* one each side, no more */
}
END_TEST

static Suite *catalog_text_suite(void)
{
    Suite *s = suite_create("catalog_text");
    TCase *tc = tcase_create("catalog_text");

    tcase_add_test(tc, test_catalog_when_out_of_the_definition);
    tcase_add_test(tc, test_catalog_body_out_of_prosrc);
    suite_add_tcase(s, tc);
    return s;
}

int main(void)
{
    return test_run_suite(catalog_text_suite());
}
