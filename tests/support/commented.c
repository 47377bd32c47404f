/*
 * The commented objects of commented.h, made through the DDL API as a
 * revision would make them.
 */
#include "commented.h"

void test_commented_objects(pcsm_op *op, const char *schema)
{
    pcsm_create_enum(op, "mood", PCSM_LABELS("ok"));
    pcsm_create_function(op, &(pcsm_function){
        .name = "touch", .returns = "trigger", .language = "plpgsql",
        .body = "BEGIN RETURN NEW; END" });
    pcsm_create_function(op, &(pcsm_function){
        .name = "twice", .arguments = "n integer DEFAULT 1", .returns = "integer",
        .language = "sql", .body = "SELECT 2 * n" });
    pcsm_create_function(op, &(pcsm_function){
        .name = "twice", .arguments = "t text", .returns = "text", .language = "sql",
        .body = "SELECT t || t" });
    pcsm_create_sequence(op, "numbers", NULL, NULL, NULL);
    pcsm_create_trigger(op, &(pcsm_trigger){
        .name = "items_touch", .table = "items", .timing = PCSM_BEFORE,
        .events = PCSM_ON_UPDATE, .for_each_row = true, .function = "touch",
        .function_schema = schema });
    pcsm_create_policy(op, &(pcsm_policy){ .name = "items_all", .table = "items",
                                           .using = "price > 0" });
    pcsm_comment_on(op, PCSM_OBJECT_TYPE, "mood", NULL, "a type");
    pcsm_comment_on(op, PCSM_OBJECT_FUNCTION, "touch", NULL, "a trigger function");
    /* By its types: the list as created holds a DEFAULT, which COMMENT refuses. */
    pcsm_comment_on(op, PCSM_OBJECT_FUNCTION, "twice", "integer", "it's a function");
    pcsm_comment_on(op, PCSM_OBJECT_SEQUENCE, "numbers", NULL, "a sequence");
    pcsm_comment_on(op, PCSM_OBJECT_TRIGGER, "items_touch", "items", "a trigger");
    pcsm_comment_on(op, PCSM_OBJECT_POLICY, "items_all", "items", "a\npolicy");
}
