/*
 * The context's error record: one message (plus the server's SQLSTATE,
 * DETAIL and HINT when a statement failed), replaced by every failing call.
 */
#include <string.h>

#include "core/core.h"

int pcsm_error__vset(pcsm_ctx *ctx, int code, const char *fmt, va_list ap)
{
    pcsm_buf_clear(&ctx->err_message);
    pcsm_buf_vprintf(&ctx->err_message, fmt, ap);
    pcsm_buf_clear(&ctx->err_detail);
    pcsm_buf_clear(&ctx->err_hint);
    pcsm_buf_clear(&ctx->err_statement);
    ctx->err_sqlstate[0] = '\0';
    ctx->err.code = code;
    ctx->err.message = ctx->err_message.ptr;
    ctx->err.sqlstate = NULL;
    ctx->err.detail = NULL;
    ctx->err.hint = NULL;
    ctx->err.statement = NULL;
    return code;
}

int pcsm_error__set(pcsm_ctx *ctx, int code, const char *fmt, ...)
{
    va_list ap;

    va_start(ap, fmt);
    pcsm_error__vset(ctx, code, fmt, ap);
    va_end(ap);
    return code;
}

void pcsm_error__clear(pcsm_ctx *ctx)
{
    pcsm_error__set(ctx, PCSM_OK, "no error");
}

const pcsm_error *pcsm_error_last(const pcsm_ctx *ctx)
{
    return &ctx->err;
}

void pcsm_error__append(pcsm_ctx *ctx, const char *fmt, ...)
{
    va_list ap;

    va_start(ap, fmt);
    pcsm_buf_vprintf(&ctx->err_message, fmt, ap);
    va_end(ap);
    ctx->err.message = ctx->err_message.ptr;
}
