/*
 * libFuzzer target: the scaffold's pure pieces (runtime/lib/devtools/scaffold.c) on any
 * bytes, each checked against rules written here, apart from the code:
 *
 *   - the message (the input up to its first NUL) becomes a description
 *     line, or is refused exactly when it is blank or not UTF-8; the line
 *     holds every visible character of the message, in order, and nothing
 *     that could end the comment, draw a compiler warning or split the line;
 *     the template filled with it reads back (pcsm_scaffold__read_header())
 *     with the id and Revises written;
 *   - the rest of the input is an existing revisions.txt: the new name is
 *     inserted as one line, every other byte kept, and the list read as
 *     meson reads it names what it named before and the new name once; a
 *     list that names it already is left alone;
 *   - the same bytes as a revision file: the header reader neither crashes
 *     nor reads a value that is not in the input.
 *
 * The oracle that runs the real binary, the generator and meson is
 * tests/scaffold/fuzz_scaffold.py.
 */
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <pcsm/pcsm.h>

#include "fuzz_check.h"
#include "devtools/devtools.h"

#define NAME "0123456789ab_fuzz.c"

static pcsm_ctx *ctx;

/* ------------------------------------------------------ a second reading */

/* Code point at p (n bytes left), or -1 for a byte that starts no valid UTF-8. */
static long decode(const unsigned char *p, size_t n, size_t *len)
{
    unsigned long cp;
    size_t k, extra = p[0] >= 0xc2 && p[0] <= 0xdf ? 1 : p[0] >= 0xe0 && p[0] <= 0xef ? 2
                    : p[0] >= 0xf0 && p[0] <= 0xf4 ? 3 : 0;

    *len = 1;
    if (p[0] < 0x80)
        return p[0];
    if (!extra || extra >= n)
        return -1;
    cp = p[0] & (0x3fu >> extra);
    for (k = 1; k <= extra; k++) {
        if ((p[k] & 0xc0) != 0x80)
            return -1;
        cp = cp << 6 | (p[k] & 0x3fu);
    }
    if ((extra == 2 && cp < 0x800) || (extra == 3 && (cp < 0x10000 || cp > 0x10ffff)) ||
        (cp >= 0xd800 && cp <= 0xdfff))
        return -1;
    *len = extra + 1;
    return (long)cp;
}

/* The first of the m bytes of needle in the n bytes at hay, or NULL. */
static const char *find(const char *hay, size_t n, const char *needle, size_t m)
{
    size_t i;

    for (i = 0; m <= n && i <= n - m; i++)
        if (!memcmp(hay + i, needle, m))
            return hay + i;
    return NULL;
}

/* White space, by Python's str.isspace(). */
static bool space(long cp)
{
    return (cp >= 0x09 && cp <= 0x0d) || (cp >= 0x1c && cp <= 0x20) || cp == 0x85 ||
           cp == 0xa0 || cp == 0x1680 || (cp >= 0x2000 && cp <= 0x200a) || cp == 0x2028 ||
           cp == 0x2029 || cp == 0x202f || cp == 0x205f || cp == 0x3000;
}

/* What a description may not hold: controls, line separators, bidi controls. */
static bool invisible(long cp)
{
    return cp < 0x20 || (cp >= 0x7f && cp <= 0x9f) || cp == 0x061c || cp == 0x200e ||
           cp == 0x200f || (cp >= 0x2028 && cp <= 0x202e) || (cp >= 0x2066 && cp <= 0x2069);
}

/* The message's visible characters, in order; false when it is not UTF-8. */
static bool visible(const char *s, size_t n, char *out, size_t *out_len)
{
    const unsigned char *p = (const unsigned char *)s;
    size_t i = 0, len;

    *out_len = 0;
    while (i < n) {
        long cp = decode(p + i, n - i, &len);

        if (cp < 0)
            return false;
        if (!space(cp) && !invisible(cp)) {
            memcpy(out + *out_len, s + i, len);
            *out_len += len;
        }
        i += len;
    }
    return true;
}

/* The length of the white space character that ends at e (after s), or 0. */
static size_t space_before(const char *s, const char *e)
{
    size_t back, len;

    for (back = 1; back <= 3 && back <= (size_t)(e - s); back++) {
        long cp = decode((const unsigned char *)e - back, back, &len);

        if (cp >= 0 && len == back && space(cp))
            return back;
    }
    return 0;
}

/*
 * The list's names as meson.build's loop reads them: universal newlines
 * (LF, CRLF, CR), strip(), '#' and blank lines skipped.  Returns how many
 * are `name`, and counts all in *total.
 */
static size_t count_name(const char *text, size_t len, const char *name, size_t *total)
{
    const char *p = text, *end = text + len;
    size_t hits = 0, name_len = strlen(name);

    *total = 0;
    while (p <= end) {
        const char *e = p, *s = p, *next;
        size_t k;

        while (e < end && *e != '\n' && *e != '\r')
            e++;
        next = e < end && *e == '\r' && e + 1 < end && e[1] == '\n' ? e + 2 : e + 1;
        while (s < e && decode((const unsigned char *)s, (size_t)(e - s), &k) >= 0 &&
               space(decode((const unsigned char *)s, (size_t)(e - s), &k)))
            s += k;
        while ((k = space_before(s, e)) > 0)
            e -= k;
        if (s < e && *s != '#') {
            (*total)++;
            hits += (size_t)(e - s) == name_len && !memcmp(s, name, name_len);
        }
        p = next;
    }
    return hits;
}

/* ------------------------------------------------------ the checks */

static void check_description(const char *msg, size_t len)
{
    pcsm_buf out = PCSM_BUF_INIT, file = PCSM_BUF_INIT;
    char *want = malloc(len + 1), *got = NULL, *id, *revises;
    size_t want_len, got_len, i;
    bool utf8 = visible(msg, len, want, &want_len);
    int rc = pcsm_scaffold__description(ctx, msg, &out);

    CHECK(want != NULL, "out of memory");
    if (!utf8 || want_len == 0) {
        CHECK(rc == PCSM_EINVALID && out.len == 0, "a blank or invalid message was accepted");
        free(want);
        return;
    }
    CHECK(rc == 0, "refused: %s", pcsm_error_last(ctx)->message);
    got = malloc(out.len + 1);
    CHECK(got != NULL, "out of memory");
    CHECK(visible(out.ptr, out.len, got, &got_len), "the description is not UTF-8");
    CHECK(got_len == want_len && !memcmp(got, want, want_len),
          "the description lost or gained visible characters: '%s'", out.ptr);
    for (i = 0; i < out.len; i++) {
        unsigned char c = (unsigned char)out.ptr[i];

        CHECK(c >= 0x20 && c != 0x7f, "a control character in '%s'", out.ptr);
        CHECK(!(i + 1 < out.len && ((c == '*' && out.ptr[i + 1] == '/') ||
                                    (c == '/' && out.ptr[i + 1] == '*'))),
              "a comment mark in '%s'", out.ptr);
    }
    CHECK(!(out.len >= 3 && !memcmp(out.ptr + out.len - 3, "?\?/", 3)), "a final trigraph");
    CHECK(out.ptr[out.len - 1] != ' ', "trailing white space");
    /* The header written with it reads back: the line neither ends the
     * comment nor passes for a field. */
    pcsm_buf_printf(&file, "/*\n * %s\n *\n * Revision ID: 0123456789ab\n"
                    " * Revises: 9a39eb7fd78f\n * Create Date: 2026-01-01 00:00:00+00:00\n"
                    " */\n#include <pcsm/ddl.h>\n", out.ptr);
    pcsm_scaffold__read_header(file.ptr, file.len, &id, &revises);
    CHECK(id && !strcmp(id, "0123456789ab"), "the id reads back as '%s'", id ? id : "(none)");
    CHECK(revises && !strcmp(revises, "9a39eb7fd78f"), "Revises reads back as '%s'",
          revises ? revises : "(none)");
    free(id);
    free(revises);
    free(want);
    free(got);
    pcsm_buf_dispose(&out);
    pcsm_buf_dispose(&file);
}

static void check_list(const char *list, size_t len)
{
    pcsm_buf out = PCSM_BUF_INIT, rest = PCSM_BUF_INIT;
    size_t before, after, total_before, total_after, line, off;
    const char *at;

    before = count_name(list, len, NAME, &total_before);
    if (!pcsm_scaffold__list_insert(list, len, NAME, &out)) {
        CHECK(before > 0, "not inserted, yet not listed");
        CHECK(out.len == 0, "not inserted, yet written");
        return;
    }
    CHECK(before == 0, "inserted, yet listed already");
    after = count_name(out.ptr, out.len, NAME, &total_after);
    CHECK(after == 1 && total_after == total_before + 1,
          "%zu names became %zu, %zu of them the new one", total_before, total_after, after);
    /* A line of its own, LF or CRLF ended, at the start of a line. */
    for (at = out.ptr; (at = find(at, out.len - (size_t)(at - out.ptr), NAME,
                                  strlen(NAME))) != NULL; at++) {
        size_t tail = out.len - (size_t)(at - out.ptr) - strlen(NAME);
        const char *e = at + strlen(NAME);

        if ((at == out.ptr || at[-1] == '\n') &&
            ((tail >= 1 && e[0] == '\n') || (tail >= 2 && e[0] == '\r' && e[1] == '\n')))
            break;
    }
    CHECK(at != NULL, "the new name is not a line of its own");
    off = (size_t)(at - out.ptr);
    line = strlen(NAME) + (at[strlen(NAME)] == '\r') + 1;
    /* Without it, the old list, plus a final newline if it had none. */
    pcsm_buf_put(&rest, out.ptr, off);
    pcsm_buf_put(&rest, at + line, out.len - off - line);
    if (len == 0 || list[len - 1] == '\n')
        CHECK(rest.len == len && !memcmp(rest.ptr, list, len), "the other bytes changed");
    else
        CHECK((rest.len == len + 1 || (rest.len == len + 2 && rest.ptr[len] == '\r')) &&
              !memcmp(rest.ptr, list, len) && rest.ptr[rest.len - 1] == '\n',
              "the other bytes changed, or no final newline was added");
    CHECK(out.ptr[out.len - 1] == '\n', "no final newline");
    pcsm_buf_dispose(&out);
    pcsm_buf_dispose(&rest);
}

/* The header reader on any bytes: each value it reads is in them. */
static void check_header(const char *data, size_t len)
{
    char *id, *revises;

    pcsm_scaffold__read_header(data, len, &id, &revises);
    CHECK(!id || !*id || find(data, len, id, strlen(id)), "an id that is not in the input");
    CHECK(!revises || !*revises || find(data, len, revises, strlen(revises)),
          "a Revises that is not in the input");
    free(id);
    free(revises);
}

int LLVMFuzzerTestOneInput(const unsigned char *data, size_t size);

/* The message up to the first NUL; the list (and header) after it. */
int LLVMFuzzerTestOneInput(const unsigned char *data, size_t size)
{
    const unsigned char *nul = memchr(data, 0, size);
    size_t msg_len = nul ? (size_t)(nul - data) : size;
    char *msg;

    if (size > 8192)
        return -1;
    if (!ctx)
        CHECK(pcsm_ctx_new(&ctx, NULL, 0) == 0, "no context");
    msg = malloc(msg_len + 1);
    CHECK(msg != NULL, "out of memory");
    memcpy(msg, data, msg_len);
    msg[msg_len] = '\0';
    check_description(msg, msg_len);
    free(msg);
    if (nul) {
        check_list((const char *)nul + 1, size - msg_len - 1);
        check_header((const char *)nul + 1, size - msg_len - 1);
    }
    check_header((const char *)data, size);
    return 0;
}
