/*
 * fuzz_fail() behind CHECK(): one line on file descriptor 2 (fuzz_cli.c
 * swaps the stderr FILE for its captures), then abort().
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#include "fuzz_check.h"

void fuzz_fail(const char *file, int line, const char *cond, const char *fmt, ...)
{
    va_list ap;

    dprintf(STDERR_FILENO, "%s:%d: invariant broken (%s): ", file, line, cond);
    va_start(ap, fmt);
    vdprintf(STDERR_FILENO, fmt, ap);
    va_end(ap);
    dprintf(STDERR_FILENO, "\n");
    abort();
}
