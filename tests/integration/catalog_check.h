/*
 * What test_catalog.c and test_catalog_registry.c check of a declared model
 * against the catalog directly, where the two must agree with no server
 * normal form between them: the extensions, each enum's labels in order,
 * each range type whole,
 * each function found under the signature replay derived, each trigger's
 * timing, events, level and function, each policy's command, roles and
 * kind, each table's row security, each sequence's options and owner,
 * each column's identity (options, and its sequence's name where replay
 * knows it), collation and whether it is generated.  (Expressions,
 * defaults, bodies and argument text are compared through
 * pcsm_schema_on_server() instead.)
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
        const struct pcsm_schema_type *ty = pcsm_schema__type_in(live, declared->types[i].schema,
                                                                 declared->types[i].name);

        ck_assert_msg(ty && pcsm_schema__names_eq(ty->labels, declared->types[i].labels),
                      "%s: enum %s not found, or its labels differ", what,
                      declared->types[i].name);
    }
    ck_assert_msg(declared->n_ranges == live->n_ranges, "%s: %zu range types declared, %zu "
                  "found", what, declared->n_ranges, live->n_ranges);
    for (i = 0; i < declared->n_ranges; i++) {
        const struct pcsm_schema_range *r = pcsm_schema__range_in(live, declared->ranges[i].schema,
                                                                  declared->ranges[i].name);

        ck_assert_msg(r && pcsm_schema__range_eq(r, &declared->ranges[i]), "%s: range type %s "
                      "not found, or it differs", what, declared->ranges[i].name);
    }
    ck_assert_msg(declared->n_functions == live->n_functions, "%s: %zu functions declared, "
                  "%zu found", what, declared->n_functions, live->n_functions);
    for (i = 0; i < declared->n_functions; i++) {
        const struct pcsm_schema_function *f = &declared->functions[i];
        const struct pcsm_schema_function *g = pcsm_schema__function_in(live, f->schema,
                                                                        f->name, f->signature);

        ck_assert_msg(g, "%s: function %s(%s) not found", what, f->name, f->signature);
        ck_assert_msg(!strcmp(f->language, g->language) && f->strict == g->strict &&
                      f->security_definer == g->security_definer &&
                      (f->volatility ? f->volatility : PCSM_VOLATILE) == g->volatility,
                      "%s: function %s(%s) differs", what, f->name, f->signature);
    }
    ck_assert_msg(declared->n_sequences == live->n_sequences, "%s: %zu sequences declared, "
                  "%zu found", what, declared->n_sequences, live->n_sequences);
    for (i = 0; i < declared->n_sequences; i++) {
        const struct pcsm_schema_sequence *a = &declared->sequences[i];
        const struct pcsm_schema_sequence *b = pcsm_schema__sequence_in(live, a->schema,
                                                                        a->name);

        ck_assert_msg(b && pcsm_schema__seq_eq(&a->options, &b->options) &&
                      pcsm_schema__str_eq(a->owned_table, b->owned_table) &&
                      pcsm_schema__str_eq(a->owned_column, b->owned_column),
                      "%s: sequence %s not found, or its options or owner differ", what,
                      a->name);
    }
    for (i = 0; i < declared->n_tables; i++) {
        const struct pcsm_schema_table *t = &declared->tables[i];
        const struct pcsm_schema_table *u = pcsm_schema__table_in(live, t->schema, t->name);

        ck_assert_msg(u && u->n_columns == t->n_columns, "%s: table %s or its columns not "
                      "found", what, t->name);
        for (k = 0; k < t->n_columns; k++) {
            const struct pcsm_schema_column *a = &t->columns[k];
            const struct pcsm_schema_column *b = pcsm_schema__column(u, a->name);

            ck_assert_msg(b && a->identity == b->identity && !a->generated == !b->generated &&
                          pcsm_schema__str_eq(a->collation, b->collation),
                          "%s: column %s.%s not found, or its identity, generation or "
                          "collation differ", what, t->name, a->name);
            /* NULL: the server numbered the sequence, a name replay does not guess. */
            ck_assert_msg(!a->identity ||
                          (pcsm_schema__seq_eq(&a->identity_options, &b->identity_options) &&
                           b->identity_sequence && (!a->identity_sequence ||
                           !strcmp(a->identity_sequence, b->identity_sequence))),
                          "%s: identity of %s.%s differs", what, t->name, a->name);
        }
        ck_assert_msg(u->n_triggers == t->n_triggers, "%s: table %s: its triggers not found",
                      what, t->name);
        for (k = 0; k < t->n_triggers; k++) {
            const struct pcsm_schema_trigger *a = &t->triggers[k];
            const struct pcsm_schema_trigger *b = pcsm_schema__trigger(u, a->name);

            ck_assert_msg(b && a->timing == b->timing && a->events == b->events &&
                          a->for_each_row == b->for_each_row &&
                          !strcmp(a->function, b->function) && !a->when == !b->when &&
                          a->firing == b->firing, "%s: trigger %s.%s not found or differs", what,
                          t->name, a->name);
        }
        ck_assert_msg(u->row_security == t->row_security &&
                      u->force_row_security == t->force_row_security &&
                      u->n_policies == t->n_policies,
                      "%s: table %s: its row security or policies differ", what, t->name);
        for (k = 0; k < t->n_policies; k++) {
            const struct pcsm_schema_policy *a = &t->policies[k];
            const struct pcsm_schema_policy *b = pcsm_schema__policy(u, a->name);

            ck_assert_msg(b && a->command == b->command && a->restrictive == b->restrictive &&
                          pcsm_schema__names_eq(a->roles, b->roles) && !a->using == !b->using &&
                          !a->with_check == !b->with_check,
                          "%s: policy %s.%s not found or differs", what, t->name, a->name);
        }
    }
}

#endif /* PCSM_TEST_CATALOG_CHECK_H */
