/*
 * JSON values for the library's and the CLI's machine-readable output, built
 * with jansson: strings made safe to encode, and documents written one a line.
 */
#ifndef PCSM_JSON_H
#define PCSM_JSON_H

#include "common.h"
#include "buf.h"

#ifdef __cplusplus
extern "C" {
#endif

/* jansson's json_t; <jansson.h> is the caller's to include when it builds values. */
struct json_t;

/*
 * A new JSON string of s (one reference, the caller's): NULL gives null, and
 * each byte of s that is not part of well-formed UTF-8 (Unicode table 3-7)
 * becomes U+FFFD, since jansson refuses such a string and the output must
 * stay valid JSON whatever an argument or a file name holds.
 */
PCSM_API struct json_t *pcsm_json_string(const char *s);
/*
 * Appends doc as one compact line of JSON and a newline, in insertion order,
 * and releases the caller's reference to it.  NULL (a failed constructor) is
 * a programming error and aborts.
 */
PCSM_API void pcsm_json_line(pcsm_buf *out, struct json_t *doc);

#ifdef __cplusplus
}
#endif

#endif /* PCSM_JSON_H */
