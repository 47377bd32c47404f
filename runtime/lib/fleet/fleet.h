/*
 * The fleet layer's private header: one command over many databases.
 *   targets.c  the list: parsed, deduplicated, sharded, labelled;
 *   query.c    lists read from a control database (a query, its schemas);
 *   run.c      the scheduler: a process per target, bounded, interruptible.
 */
#ifndef PCSM_FLEET_PRIVATE_H
#define PCSM_FLEET_PRIVATE_H

#include "core/core.h"
#include "pcsm/fleet.h"

#endif /* PCSM_FLEET_PRIVATE_H */
