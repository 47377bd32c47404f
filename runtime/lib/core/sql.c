/*
 * Quoting for the SQL the runtime writes.  One set of rules serves the live
 * connection and the offline script alike (they must print the same text),
 * so nothing here needs a connection.  The output matches what libpq's
 * PQescapeIdentifier and PQescapeLiteral produce for a UTF-8 client with
 * standard_conforming_strings on; an integration test holds them equal.
 */
#include <string.h>

#include "core/core.h"

void pcsm_sql__ident(pcsm_buf *out, const char *ident)
{
    const char *p;

    pcsm_buf_putc(out, '"');
    for (p = ident; *p; p++) {
        if (*p == '"')
            pcsm_buf_putc(out, '"');
        pcsm_buf_putc(out, *p);
    }
    pcsm_buf_putc(out, '"');
}

void pcsm_sql__qualified(pcsm_buf *out, const char *schema, const char *name)
{
    if (schema) {
        pcsm_sql__ident(out, schema);
        pcsm_buf_putc(out, '.');
    }
    pcsm_sql__ident(out, name);
}

size_t pcsm_sql__statement_len(const char *sql)
{
    size_t len = strlen(sql);

    while (len && strchr(" \t\r\n", sql[len - 1]))
        len--;
    if (len && sql[len - 1] == ';')
        len--;
    while (len && strchr(" \t\r\n", sql[len - 1]))
        len--;
    return len;
}

void pcsm_sql__literal(pcsm_buf *out, const char *text)
{
    const char *p;

    /*
     * Like PQescapeLiteral: a backslash makes it an E'' string with the
     * backslashes doubled, which reads the same whatever the server's
     * standard_conforming_strings says.
     */
    if (strchr(text, '\\'))
        pcsm_buf_puts(out, " E");
    pcsm_buf_putc(out, '\'');
    for (p = text; *p; p++) {
        if (*p == '\'' || *p == '\\')
            pcsm_buf_putc(out, *p);
        pcsm_buf_putc(out, *p);
    }
    pcsm_buf_putc(out, '\'');
}

/*
 * The closing tag must be the first occurrence of the tag after the body
 * starts: not inside the body, and not formed by the body's end ("x$pcsm")
 * running into it.
 */
static bool tag_fits(const char *body, const pcsm_buf *tag)
{
    size_t len = strlen(body), keep = tag->len - 1;
    pcsm_buf tail = PCSM_BUF_INIT;
    bool fits;

    if (strstr(body, tag->ptr))
        return false;
    /* Only the last tag-length-minus-one bytes can combine with the tag. */
    pcsm_buf_puts(&tail, len > keep ? body + len - keep : body);
    pcsm_buf_puts(&tail, tag->ptr);
    fits = strstr(tail.ptr, tag->ptr) == tail.ptr + tail.len - tag->len;
    pcsm_buf_dispose(&tail);
    return fits;
}

void pcsm_sql__dollar_quote(pcsm_buf *out, const char *body)
{
    pcsm_buf tag = PCSM_BUF_INIT;
    unsigned n = 0;

    pcsm_buf_puts(&tag, "$pcsm$");
    while (!tag_fits(body, &tag)) {
        pcsm_buf_clear(&tag);
        pcsm_buf_printf(&tag, "$pcsm%u$", ++n);
    }
    pcsm_buf_puts(out, tag.ptr);
    pcsm_buf_puts(out, body);
    pcsm_buf_puts(out, tag.ptr);
    pcsm_buf_dispose(&tag);
}

void pcsm_sql__dollar_quote_plain(pcsm_buf *out, const char *body)
{
    pcsm_buf tag = PCSM_BUF_INIT;

    pcsm_buf_puts(&tag, "$$");
    if (tag_fits(body, &tag)) {
        pcsm_buf_puts(out, "$$");
        pcsm_buf_puts(out, body);
        pcsm_buf_puts(out, "$$");
    } else {
        pcsm_sql__dollar_quote(out, body);
    }
    pcsm_buf_dispose(&tag);
}

bool pcsm_sql__valid_utf8(const char *s)
{
    while (*s) {
        size_t n = pcsm_utf8__sequence(s, NULL);

        if (n == 0)
            return false;
        s += n;
    }
    return true;
}
