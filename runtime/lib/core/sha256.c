/*
 * SHA-256 through OpenSSL's libcrypto, which libpq already links: the
 * checksum of the SQL a revision renders to.
 */
#include <openssl/evp.h>
#include <stdlib.h>

#include "core/core.h"

void pcsm_sha256__hex(const void *data, size_t len, char out[65])
{
    static const char hex[] = "0123456789abcdef";
    unsigned char md[EVP_MAX_MD_SIZE];
    unsigned int md_len = 0;
    unsigned int i;

    if (!EVP_Digest(data, len, md, &md_len, EVP_sha256(), NULL) || md_len != 32)
        abort();    /* SHA-256 is always available; failure means a broken libcrypto */
    for (i = 0; i < md_len; i++) {
        out[2 * i] = hex[md[i] >> 4];
        out[2 * i + 1] = hex[md[i] & 0xf];
    }
    out[64] = '\0';
}
