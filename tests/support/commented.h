/*
 * A fixture shared by the unit and integration tests of comments: one
 * object of every kind pcsm_comment_on() names, each commented.
 */
#ifndef PCSM_TEST_COMMENTED_H
#define PCSM_TEST_COMMENTED_H

#include <pcsm/ddl.h>

/*
 * On a table "items" (with a column "price") made before, in the schema in
 * force (`schema`, NULL for the target, names the trigger's function):
 * enum "mood", functions touch() (a trigger's), twice(n integer DEFAULT 1)
 * and twice(t text), sequence "numbers", trigger "items_touch", policy
 * "items_all", and the comments "a type", "a trigger function", "it's a
 * function" (on twice(integer) only), "a sequence", "a trigger" and
 * "a\npolicy".
 */
void test_commented_objects(pcsm_op *op, const char *schema);

#endif /* PCSM_TEST_COMMENTED_H */
