/*
 * SHA-256 through libmd (<sha2.h>): the checksum of the SQL a revision
 * renders to, as 64 lowercase hex digits.
 */
#include <sha2.h>
#include <stdint.h>
#include <stdlib.h>

#include "core/core.h"

/* Not OpenSSL's EVP_Digest: its first call starts OpenSSL 3's provider
 * machinery (config, provider tables), about a third of the peak RSS of an
 * apply.  libmd is plain code with no set-up, and its hex is lowercase. */
void pcsm_sha256__hex(const void *data, size_t len, char out[65])
{
    SHA256Data(data, len, out);    /* NULL only when it must allocate; out is given */
}
