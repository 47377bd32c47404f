/*
 * The graph layer: the registry's revisions as a DAG (graph.c) and the
 * library context that owns it (ctx.c).  Revision specs, plans and
 * revision sets are its public face (pcsm/graph.h).
 */
#ifndef PCSM_GRAPH_PRIVATE_H
#define PCSM_GRAPH_PRIVATE_H

#include "core/core.h"

/* Builds ctx->graph from ctx->revs, or fails with PCSM_EINVALID. */
int pcsm_graph__build(pcsm_ctx *ctx);
void pcsm_graph__free(struct pcsm_graph *graph);

#endif /* PCSM_GRAPH_PRIVATE_H */
