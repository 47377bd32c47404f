/*
 * The library's JSON through jansson: strings made valid UTF-8 first
 * (jansson refuses the others), and documents dumped one a line.
 */
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "core/core.h"

json_t *pcsm_json_string(const char *s)
{
    pcsm_buf clean = PCSM_BUF_INIT;
    const char *p;
    json_t *v;

    if (!s)
        return json_null();
    if (pcsm_sql__valid_utf8(s))
        v = json_string(s);
    else {
        /* Each byte outside a well-formed sequence becomes U+FFFD. */
        for (p = s; *p; ) {
            size_t n = pcsm_utf8__sequence(p, NULL);

            if (n) {
                pcsm_buf_put(&clean, p, n);
                p += n;
            } else {
                pcsm_buf_puts(&clean, "\xef\xbf\xbd");
                p++;
            }
        }
        v = json_stringn(clean.ptr, clean.len);
        pcsm_buf_dispose(&clean);
    }
    if (!v)
        abort();    /* out of memory: the library's rule (buf.h) */
    return v;
}

/* jansson's dump callback: bytes into a pcsm_buf. */
static int put_bytes(const char *data, size_t len, void *payload)
{
    pcsm_buf_put(payload, data, len);
    return 0;
}

void pcsm_json_line(pcsm_buf *out, json_t *doc)
{
    if (!doc || json_dump_callback(doc, put_bytes, out, JSON_COMPACT | JSON_ENCODE_ANY) < 0)
        abort();
    pcsm_buf_putc(out, '\n');
    json_decref(doc);
}
