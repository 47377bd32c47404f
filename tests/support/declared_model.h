/*
 * The support library's one helper over libpcsm, apart so that support.h
 * stays free of it: tests that link no libpcsm (the torture suite) include
 * support.h alone.
 */
#ifndef PCSM_TEST_DECLARED_MODEL_H
#define PCSM_TEST_DECLARED_MODEL_H

#include <pcsm/pcsm.h>

/*
 * The schema declared by an in-memory registry of r1 (up1), then r2 (up2)
 * when up2 is not NULL: a model no revision chain of a fixture need give.
 * Fails the test on an error; free with pcsm_schema_free().
 */
pcsm_schema *test_declared_model(pcsm_migration_fn up1, pcsm_migration_fn up2);

#endif /* PCSM_TEST_DECLARED_MODEL_H */
