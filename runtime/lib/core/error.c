/*
 * The context's error record: one message (plus the server's SQLSTATE,
 * DETAIL, HINT and failed statement when a statement failed), replaced by
 * every failing call.  The only code that writes the record: every other
 * file sets, adds to or prefixes an error through the functions here.
 */
#include <stdio.h>
#include <string.h>

#include "core/core.h"

/*
 * The message becomes `next` (taken over).  Built apart from the old one
 * and swapped in, so a format may quote the message it replaces.
 */
static void take_message(pcsm_ctx *ctx, pcsm_buf *next)
{
    pcsm_buf_dispose(&ctx->err_message);
    ctx->err_message = *next;
    *next = (pcsm_buf)PCSM_BUF_INIT;
    ctx->err.message = ctx->err_message.ptr;
}

/*
 * One server field: its buffer and the record's pointer into it (NULL when
 * absent).  `text` may be the field's current value.
 */
static void put_field(pcsm_buf *buf, const char **field, const char *text)
{
    pcsm_buf next = PCSM_BUF_INIT;

    if (text)
        pcsm_buf_puts(&next, text);
    pcsm_buf_dispose(buf);
    *buf = next;
    *field = text ? buf->ptr : NULL;
}

static int set_server(pcsm_ctx *ctx, int code, const char *sqlstate, const char *detail,
                      const char *hint, const char *statement, const char *fmt, va_list ap)
{
    pcsm_buf next = PCSM_BUF_INIT;
    char state[sizeof(ctx->err_sqlstate)] = "";

    pcsm_buf_vprintf(&next, fmt, ap);
    if (sqlstate)
        snprintf(state, sizeof(state), "%s", sqlstate);
    memcpy(ctx->err_sqlstate, state, sizeof(state));
    ctx->err.sqlstate = sqlstate ? ctx->err_sqlstate : NULL;
    put_field(&ctx->err_detail, &ctx->err.detail, detail);
    put_field(&ctx->err_hint, &ctx->err.hint, hint);
    put_field(&ctx->err_statement, &ctx->err.statement, statement);
    ctx->err.code = code;
    take_message(ctx, &next);
    return code;
}

int pcsm_error__vset(pcsm_ctx *ctx, int code, const char *fmt, va_list ap)
{
    return set_server(ctx, code, NULL, NULL, NULL, NULL, fmt, ap);
}

int pcsm_error__set(pcsm_ctx *ctx, int code, const char *fmt, ...)
{
    va_list ap;

    va_start(ap, fmt);
    pcsm_error__vset(ctx, code, fmt, ap);
    va_end(ap);
    return code;
}

int pcsm_error__server(pcsm_ctx *ctx, int code, const char *sqlstate, const char *detail,
                       const char *hint, const char *statement, const char *fmt, ...)
{
    va_list ap;

    va_start(ap, fmt);
    set_server(ctx, code, sqlstate, detail, hint, statement, fmt, ap);
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

int pcsm_error__prefix(pcsm_ctx *ctx, const char *fmt, ...)
{
    pcsm_buf next = PCSM_BUF_INIT;
    va_list ap;

    va_start(ap, fmt);
    pcsm_buf_vprintf(&next, fmt, ap);
    va_end(ap);
    pcsm_buf_puts(&next, ctx->err_message.ptr);
    take_message(ctx, &next);
    return ctx->err.code;
}

void pcsm_error__append(pcsm_ctx *ctx, const char *fmt, ...)
{
    pcsm_buf next = PCSM_BUF_INIT;
    va_list ap;

    pcsm_buf_puts(&next, ctx->err_message.ptr);
    va_start(ap, fmt);
    pcsm_buf_vprintf(&next, fmt, ap);
    va_end(ap);
    take_message(ctx, &next);
}
