/*
 * CHECK(): the fuzz targets' assertion, on in every build type; a broken
 * invariant aborts, which libFuzzer reports as a crash with its input.
 */
#ifndef PCSM_FUZZ_CHECK_H
#define PCSM_FUZZ_CHECK_H

#define CHECK(cond, ...) \
    do { \
        if (!(cond)) \
            fuzz_fail(__FILE__, __LINE__, #cond, __VA_ARGS__); \
    } while (0)

void fuzz_fail(const char *file, int line, const char *cond, const char *fmt, ...)
    __attribute__((noreturn, format(printf, 4, 5)));

#endif /* PCSM_FUZZ_CHECK_H */
