/*
 * pcs-migrate's runtime library: the whole published API.  A declaration
 * that does not appear in a header included from here is not API.
 * Migration files include <pcsm/ddl.h> alone.
 */
#ifndef PCSM_PCSM_H
#define PCSM_PCSM_H

#include "ddl.h"
#include "revision.h"
#include "buf.h"
#include "json.h"
#include "error.h"
#include "graph.h"
#include "script.h"
#include "db.h"
#include "migrate.h"
#include "scaffold.h"
#include "schema.h"
#include "diff.h"
#include "autogen.h"
#include "lint.h"
#include "fleet.h"
#include "pcsm/version.h"

#endif /* PCSM_PCSM_H */
