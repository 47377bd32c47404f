/*
 * The core layer's private header: the context's layout, allocation that
 * cannot fail, error setters, SQL quoting, UTF-8 and SHA-256.  Every other
 * layer builds on it; it includes nothing of theirs.  Private names are
 * pcsm_<module>__<name>.
 */
#ifndef PCSM_CORE_H
#define PCSM_CORE_H

#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>

#include "pcsm/pcsm.h"

#if defined(__GNUC__)
#define PCSM_PRINTF(f, a) __attribute__((format(printf, f, a)))
#else
#define PCSM_PRINTF(f, a)
#endif

struct pcsm_graph;

struct pcsm_ctx {
    const pcsm_revision *revs;  /* the registry, borrowed */
    size_t n_revs;
    struct pcsm_graph *graph;   /* owned; NULL when the registry was invalid */
    pcsm_error err;             /* err.message etc. point into the buffers below */
    pcsm_buf err_message;
    char err_sqlstate[6];
    pcsm_buf err_detail;
    pcsm_buf err_hint;
    pcsm_buf err_statement;
};

/* Allocation that aborts on failure (see buf.h). */
void *pcsm__xmalloc(size_t size);
void *pcsm__xcalloc(size_t n, size_t size);
void *pcsm__xrealloc(void *ptr, size_t size);
char *pcsm__xstrdup(const char *s);
/* The first `len` bytes of s (fewer if it ends first), terminated. */
char *pcsm__xstrndup(const char *s, size_t len);
/* Grows *array (of *cap elements of `size`) to hold at least `need`. */
void pcsm__grow(void *array_ptr, size_t *cap, size_t need, size_t size);

/*
 * error.c: the only writer of the error fields above (ctx.c initialises and
 * frees their buffers); tests/layout/check_layers.py holds every other file
 * to that.  A format may quote the message it replaces.
 *
 * Sets the context's error and returns `code`, so call sites can `return`.
 * The server's fields are cleared.
 */
int pcsm_error__set(pcsm_ctx *ctx, int code, const char *fmt, ...) PCSM_PRINTF(3, 4);
int pcsm_error__vset(pcsm_ctx *ctx, int code, const char *fmt, va_list ap);
/*
 * The same, with the server's fields of a failed statement: SQLSTATE (five
 * characters), DETAIL, HINT and the statement's text, each NULL when absent.
 */
int pcsm_error__server(pcsm_ctx *ctx, int code, const char *sqlstate, const char *detail,
                       const char *hint, const char *statement, const char *fmt, ...)
    PCSM_PRINTF(7, 8);
void pcsm_error__clear(pcsm_ctx *ctx);
/*
 * Wraps the last error in context: puts the formatted text before its
 * message, keeping its code and the server's fields; returns the code.
 */
int pcsm_error__prefix(pcsm_ctx *ctx, const char *fmt, ...) PCSM_PRINTF(2, 3);
/* Adds to the last error's message, keeping its code and the server's fields. */
void pcsm_error__append(pcsm_ctx *ctx, const char *fmt, ...) PCSM_PRINTF(2, 3);

/* sql.c: quoting, the same rules online and offline. */
void pcsm_sql__ident(pcsm_buf *out, const char *ident);
/* "schema"."name", or "name" alone when schema is NULL (the search path finds it). */
void pcsm_sql__qualified(pcsm_buf *out, const char *schema, const char *name);
void pcsm_sql__literal(pcsm_buf *out, const char *text);
/*
 * Appends `body` dollar-quoted with a tag that does not occur in it:
 * $pcsm$, else $pcsm1$, $pcsm2$...  Checksums of rendered revisions
 * depend on this choice: never change it.
 */
void pcsm_sql__dollar_quote(pcsm_buf *out, const char *body);
/*
 * The same, but $$ when it fits, as authors write function bodies (and
 * as the PCS revision's function was written before it had an API call);
 * otherwise as pcsm_sql__dollar_quote().
 */
void pcsm_sql__dollar_quote_plain(pcsm_buf *out, const char *body);
/* The length of statement `sql` less trailing blanks and one ';' among them. */
size_t pcsm_sql__statement_len(const char *sql);
/* True when s is valid UTF-8 (the encoding every script declares): utf8.c's rules. */
bool pcsm_sql__valid_utf8(const char *s);

/*
 * utf8.c: the length (1 to 4) of the well-formed UTF-8 sequence that s
 * starts with, its code point in *cp when cp is not NULL; 0 when s is at
 * its terminating NUL or starts an ill-formed sequence (a stray or missing
 * continuation byte, an overlong form, a surrogate, past U+10FFFF).  Reads
 * no byte past a NUL.
 */
size_t pcsm_utf8__sequence(const char *s, unsigned *cp);
/*
 * The longest length up to `max` of valid UTF-8 s (of length len) that ends
 * between characters: how the server cuts a long name (pg_mbcliplen).
 */
size_t pcsm_utf8__clip(const char *s, size_t len, size_t max);

/* sha256.c: lowercase hex digest of data. */
void pcsm_sha256__hex(const void *data, size_t len, char out[65]);

#endif /* PCSM_CORE_H */
