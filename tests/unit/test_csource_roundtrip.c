/*
 * The csource round trip: the C that pcsm_render__c_op printed at build time
 * (csource_print.c) for every revision of the fixture registries and for
 * generated DDL cases, recorded again here, must make the same operations:
 * as many, none refused, each rendering to the SQL the original did.  A
 * case is one loop iteration, so a failure names its revision and operation.
 */
#include <stdlib.h>
#include <string.h>

#include <check.h>

#include "csource_case.h"
#include "render/render.h"
#include "support.h"

/* The tables the build printed; tests/unit/meson.build lists the same names. */
#define CSOURCE_TABLES(X) \
    X(pcs) X(linear) X(merge) X(failing) X(sleepy) X(data) X(broken_downgrade) \
    X(concurrent) X(drift) X(objects) X(fuzz) X(kinds)

#define DECLARE(name) extern const struct csource_case csource_cases_##name[];
CSOURCE_TABLES(DECLARE)

static int count(const struct csource_case *cases)
{
    int n = 0;

    while (cases[n].id)
        n++;
    return n;
}

static void check_case(const struct csource_case *c)
{
    pcsm_revision rev = { .id = c->id, .flags = c->flags };
    pcsm_op *op = pcsm_op__new(&rev, PCSM_UPGRADE);
    size_t i;

    c->fn(op);
    ck_assert_msg(pcsm_op__failure(op) == NULL, "%s %s: recorded again: %s", c->id,
                  c->direction, pcsm_op__failure(op));
    ck_assert_msg(pcsm_op__count(op) == c->n_ops, "%s %s: %zu operations, the original %zu",
                  c->id, c->direction, pcsm_op__count(op), c->n_ops);
    for (i = 0; i < c->n_ops; i++) {
        pcsm_buf sql = PCSM_BUF_INIT;
        bool same;

        pcsm_render__op(pcsm_op__at(op, i), &sql);
        same = strcmp(sql.ptr, c->sql[i]) == 0;
        ck_assert_msg(same, "%s %s, operation %zu (%s):\nwant: %s\ngot:  %s", c->id,
                      c->direction, i + 1, pcsm_op__kind_name(pcsm_op__at(op, i)->kind),
                      c->sql[i], sql.ptr);
        pcsm_buf_dispose(&sql);
    }
    pcsm_op__free(op);
}

#define LOOP_TEST(name) \
    START_TEST(test_csource_roundtrip_##name) \
    { \
        check_case(&csource_cases_##name[_i]); \
    } \
    END_TEST
CSOURCE_TABLES(LOOP_TEST)

int main(void)
{
    Suite *s = suite_create("csource_roundtrip");
    TCase *tc;

#define ADD(name) \
    tc = tcase_create(#name); \
    tcase_add_loop_test(tc, test_csource_roundtrip_##name, 0, count(csource_cases_##name)); \
    suite_add_tcase(s, tc);
    CSOURCE_TABLES(ADD)
#undef ADD

    return test_run_suite(s);
}
