/*
 * The library context: the registry it was built on, its graph, its error.
 */
#include <stdlib.h>

#include "graph/graph.h"

int pcsm_ctx_new(pcsm_ctx **out, const pcsm_revision *revs, size_t n)
{
    pcsm_ctx *ctx = pcsm__xcalloc(1, sizeof(*ctx));

    ctx->revs = revs;
    ctx->n_revs = n;
    ctx->err_message = (pcsm_buf)PCSM_BUF_INIT;
    ctx->err_detail = (pcsm_buf)PCSM_BUF_INIT;
    ctx->err_hint = (pcsm_buf)PCSM_BUF_INIT;
    ctx->err_statement = (pcsm_buf)PCSM_BUF_INIT;
    pcsm_error__clear(ctx);
    *out = ctx;
    return pcsm_graph__build(ctx);
}

void pcsm_ctx_free(pcsm_ctx *ctx)
{
    if (!ctx)
        return;
    pcsm_graph__free(ctx->graph);
    pcsm_buf_dispose(&ctx->err_message);
    pcsm_buf_dispose(&ctx->err_detail);
    pcsm_buf_dispose(&ctx->err_hint);
    pcsm_buf_dispose(&ctx->err_statement);
    free(ctx);
}
