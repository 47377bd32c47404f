/*
 * What test_catalog.c and test_catalog_registry.c check of a declared model
 * against the catalog directly, where the two must agree with no server
 * normal form between them: the extensions, each enum's labels in order,
 * each function found under the signature replay derived, each trigger's
 * timing, events, level and function.  (Expressions, defaults, bodies and
 * argument text are compared through pcsm_schema_on_server() instead.)
 */
#ifndef PCSM_TEST_CATALOG_CHECK_H
#define PCSM_TEST_CATALOG_CHECK_H

#include <string.h>

#include "schema/schema.h"
#include "support.h"

/* Fails the test, naming `what`, where declared and live disagree. */
static void catalog_check_kinds(const char *what, const pcsm_schema *declared,
                                const pcsm_schema *live)
{
    size_t i, k;

    ck_assert_msg(declared->n_extensions == live->n_extensions, "%s: %zu extensions declared, "
                  "%zu found", what, declared->n_extensions, live->n_extensions);
    for (i = 0; i < declared->n_extensions; i++)
        ck_assert_msg(pcsm_schema__extension(live, declared->extensions[i].name),
                      "%s: extension %s not found", what, declared->extensions[i].name);
    ck_assert_msg(declared->n_types == live->n_types, "%s: %zu enum types declared, %zu found",
                  what, declared->n_types, live->n_types);
    for (i = 0; i < declared->n_types; i++) {
        const struct pcsm_schema_type *ty = pcsm_schema__type(live, declared->types[i].name);

        ck_assert_msg(ty && pcsm_schema__names_eq(ty->labels, declared->types[i].labels),
                      "%s: enum %s not found, or its labels differ", what,
                      declared->types[i].name);
    }
    ck_assert_msg(declared->n_functions == live->n_functions, "%s: %zu functions declared, "
                  "%zu found", what, declared->n_functions, live->n_functions);
    for (i = 0; i < declared->n_functions; i++) {
        const struct pcsm_schema_function *f = &declared->functions[i];
        const struct pcsm_schema_function *g = pcsm_schema__function(live, f->name,
                                                                     f->signature);

        ck_assert_msg(g, "%s: function %s(%s) not found", what, f->name, f->signature);
        ck_assert_msg(!strcmp(f->language, g->language) && f->strict == g->strict &&
                      f->security_definer == g->security_definer &&
                      (f->volatility ? f->volatility : PCSM_VOLATILE) == g->volatility,
                      "%s: function %s(%s) differs", what, f->name, f->signature);
    }
    for (i = 0; i < declared->n_tables; i++) {
        const struct pcsm_schema_table *t = &declared->tables[i];
        const struct pcsm_schema_table *u = pcsm_schema__table(live, t->name);

        ck_assert_msg(u && u->n_triggers == t->n_triggers, "%s: table %s or its triggers "
                      "not found", what, t->name);
        for (k = 0; k < t->n_triggers; k++) {
            const struct pcsm_schema_trigger *a = &t->triggers[k];
            const struct pcsm_schema_trigger *b = pcsm_schema__trigger(u, a->name);

            ck_assert_msg(b && a->timing == b->timing && a->events == b->events &&
                          a->for_each_row == b->for_each_row &&
                          !strcmp(a->function, b->function) && !a->when == !b->when &&
                          !b->disabled, "%s: trigger %s.%s not found or differs", what,
                          t->name, a->name);
        }
    }
}

#endif /* PCSM_TEST_CATALOG_CHECK_H */
