/*
 * UTF-8 as Unicode defines it (The Unicode Standard, table 3-7,
 * "Well-Formed UTF-8 Byte Sequences"): no overlong form, no surrogate,
 * nothing past U+10FFFF.  The one reader of UTF-8 in the runtime: the
 * validator of names and SQL (pcsm_sql__valid_utf8()), the scaffold's
 * message rules, and the JSON strings the CLI prints
 * (pcsm_json_string()).
 */
#include "core/core.h"

size_t pcsm_utf8__sequence(const char *s, unsigned *cp_out)
{
    const unsigned char *p = (const unsigned char *)s;
    unsigned char lo = 0x80, hi = 0xbf;     /* the second byte's range */
    unsigned cp;
    size_t n, k;

    if (*p == 0) {
        return 0;
    } else if (*p < 0x80) {
        n = 1;
        cp = *p;
    } else if (*p >= 0xc2 && *p <= 0xdf) {
        n = 2;
        cp = *p & 0x1fu;
    } else if (*p >= 0xe0 && *p <= 0xef) {
        n = 3;
        cp = *p & 0x0fu;
        lo = *p == 0xe0 ? 0xa0 : 0x80;      /* E0 80..9F: overlong */
        hi = *p == 0xed ? 0x9f : 0xbf;      /* ED A0..BF: surrogates */
    } else if (*p >= 0xf0 && *p <= 0xf4) {
        n = 4;
        cp = *p & 0x07u;
        lo = *p == 0xf0 ? 0x90 : 0x80;      /* F0 80..8F: overlong */
        hi = *p == 0xf4 ? 0x8f : 0xbf;      /* F4 90..BF: past U+10FFFF */
    } else {
        return 0;                           /* 80..C1, F5..FF: never a lead byte */
    }
    if (n > 1 && (p[1] < lo || p[1] > hi))
        return 0;
    /* Each byte is read only after the one before it was a continuation, never past a NUL. */
    for (k = 1; k < n; k++) {
        if ((p[k] & 0xc0) != 0x80)
            return 0;
        cp = cp << 6 | (p[k] & 0x3fu);
    }
    if (cp_out)
        *cp_out = cp;
    return n;
}

size_t pcsm_utf8__clip(const char *s, size_t len, size_t max)
{
    if (len <= max)
        return len;
    /* Step back over continuation bytes to the start of the cut character. */
    for (len = max; len && ((unsigned char)s[len] & 0xc0) == 0x80; len--)
        ;
    return len;
}
