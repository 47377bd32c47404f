/*
 * pcsm_buf and the aborting allocators every module uses.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "core/core.h"

char pcsm_buf__empty[1];

static void out_of_memory(size_t size)
{
    fprintf(stderr, "pcs-migrate: out of memory (allocating %zu bytes)\n", size);
    abort();
}

void *pcsm__xmalloc(size_t size)
{
    void *p = malloc(size ? size : 1);
    if (!p)
        out_of_memory(size);
    return p;
}

void *pcsm__xcalloc(size_t n, size_t size)
{
    void *p = calloc(n ? n : 1, size ? size : 1);
    if (!p)
        out_of_memory(n * size);
    return p;
}

void *pcsm__xrealloc(void *ptr, size_t size)
{
    void *p = realloc(ptr, size ? size : 1);
    if (!p)
        out_of_memory(size);
    return p;
}

char *pcsm__xstrdup(const char *s)
{
    size_t len = strlen(s) + 1;
    return memcpy(pcsm__xmalloc(len), s, len);
}

char *pcsm__xstrndup(const char *s, size_t len)
{
    char *out;

    len = strnlen(s, len);
    out = memcpy(pcsm__xmalloc(len + 1), s, len);
    out[len] = '\0';
    return out;
}

void pcsm__grow(void *array_ptr, size_t *cap, size_t need, size_t size)
{
    void **array = array_ptr;
    size_t new_cap;

    if (need <= *cap)
        return;
    new_cap = *cap ? *cap : 8;
    while (new_cap < need)
        new_cap *= 2;
    *array = pcsm__xrealloc(*array, new_cap * size);
    *cap = new_cap;
}

static void buf_reserve(pcsm_buf *buf, size_t extra)
{
    size_t need = buf->len + extra + 1;

    if (need <= buf->cap)
        return;
    if (buf->cap == 0) {
        size_t cap = need < 64 ? 64 : need;
        buf->ptr = pcsm__xmalloc(cap);
        buf->cap = cap;
        buf->ptr[0] = '\0';
        return;
    }
    pcsm__grow(&buf->ptr, &buf->cap, need, 1);
}

void pcsm_buf_put(pcsm_buf *buf, const char *data, size_t len)
{
    buf_reserve(buf, len);
    memcpy(buf->ptr + buf->len, data, len);
    buf->len += len;
    buf->ptr[buf->len] = '\0';
}

void pcsm_buf_puts(pcsm_buf *buf, const char *s)
{
    pcsm_buf_put(buf, s, strlen(s));
}

void pcsm_buf_putc(pcsm_buf *buf, char c)
{
    pcsm_buf_put(buf, &c, 1);
}

void pcsm_buf_vprintf(pcsm_buf *buf, const char *fmt, va_list ap)
{
    char small[256];
    va_list ap2;
    int n;

    /* Most messages fit the stack buffer: one formatting pass. */
    va_copy(ap2, ap);
    n = vsnprintf(small, sizeof(small), fmt, ap2);
    va_end(ap2);
    if (n < 0)
        abort();    /* only an invalid format does this: a programming error */
    if ((size_t)n < sizeof(small)) {
        pcsm_buf_put(buf, small, (size_t)n);
        return;
    }
    buf_reserve(buf, (size_t)n);
    vsnprintf(buf->ptr + buf->len, (size_t)n + 1, fmt, ap);
    buf->len += (size_t)n;
}

void pcsm_buf_printf(pcsm_buf *buf, const char *fmt, ...)
{
    va_list ap;

    va_start(ap, fmt);
    pcsm_buf_vprintf(buf, fmt, ap);
    va_end(ap);
}

/* One string through jansson (json.c), as pcsm_json_line() writes it but without the newline. */
void pcsm_buf_put_json_string(pcsm_buf *buf, const char *s)
{
    pcsm_json_line(buf, pcsm_json_string(s));
    buf->ptr[--buf->len] = '\0';
}

void pcsm_buf_clear(pcsm_buf *buf)
{
    buf->len = 0;
    if (buf->cap)
        buf->ptr[0] = '\0';
}

void pcsm_buf_dispose(pcsm_buf *buf)
{
    if (!buf)
        return;
    if (buf->cap)
        free(buf->ptr);
    buf->ptr = pcsm_buf__empty;
    buf->len = 0;
    buf->cap = 0;
}

char *pcsm_buf_detach(pcsm_buf *buf)
{
    char *s = buf->cap ? buf->ptr : pcsm__xstrdup("");

    buf->ptr = pcsm_buf__empty;
    buf->len = 0;
    buf->cap = 0;
    return s;
}

int pcsm_buf_read_fd(pcsm_buf *buf, int fd)
{
    char chunk[65536];

    for (;;) {
        ssize_t n = read(fd, chunk, sizeof(chunk));

        if (n == 0)
            return 0;
        if (n < 0 && errno != EINTR)
            return -1;
        if (n > 0)
            pcsm_buf_put(buf, chunk, (size_t)n);
    }
}
