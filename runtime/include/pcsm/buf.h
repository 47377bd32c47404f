/*
 * pcsm_buf: a growable, always NUL-terminated byte string.  Text leaves the
 * library through one of these, so that ownership is never in doubt.
 *
 * Allocation failure aborts the process (the whole library does this): a
 * migration runner out of memory cannot do anything useful, and recovery
 * paths that no test can reach are worse than none.
 */
#ifndef PCSM_BUF_H
#define PCSM_BUF_H

#include <stdarg.h>
#include <stddef.h>

#include "common.h"

#ifdef __cplusplus
extern "C" {
#endif

/* `ptr` is never NULL: an empty buffer points at a static "". */
typedef struct pcsm_buf {
    char *ptr;
    size_t len;
    size_t cap;                 /* 0 while ptr is the static "" */
} pcsm_buf;

extern PCSM_API char pcsm_buf__empty[];
#define PCSM_BUF_INIT { pcsm_buf__empty, 0, 0 }

PCSM_API void pcsm_buf_put(pcsm_buf *buf, const char *data, size_t len);
PCSM_API void pcsm_buf_puts(pcsm_buf *buf, const char *s);
PCSM_API void pcsm_buf_putc(pcsm_buf *buf, char c);
#if defined(__GNUC__)
__attribute__((format(printf, 2, 3)))
#endif
PCSM_API void pcsm_buf_printf(pcsm_buf *buf, const char *fmt, ...);
PCSM_API void pcsm_buf_vprintf(pcsm_buf *buf, const char *fmt, va_list ap);
/*
 * Appends s as a JSON string literal, quotes included, as jansson escapes
 * it (json.h): each byte of s that is not part of well-formed UTF-8 becomes
 * U+FFFD, so that the result is always valid JSON; NULL appends null.
 */
PCSM_API void pcsm_buf_put_json_string(pcsm_buf *buf, const char *s);
/* Appends what is left to read of fd, to its end; 0, or -1 with errno set. */
PCSM_API int pcsm_buf_read_fd(pcsm_buf *buf, int fd);
/* Empties the buffer, keeping its memory. */
PCSM_API void pcsm_buf_clear(pcsm_buf *buf);
/* Frees the memory; the buffer is then empty and reusable. NULL is a no-op. */
PCSM_API void pcsm_buf_dispose(pcsm_buf *buf);
/* Hands the malloc'd string to the caller (free() it); the buffer is emptied. */
PCSM_API char *pcsm_buf_detach(pcsm_buf *buf);

#ifdef __cplusplus
}
#endif

#endif /* PCSM_BUF_H */
