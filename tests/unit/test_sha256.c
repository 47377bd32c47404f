/*
 * Unit tests for core/sha256.c (suite "sha256"): pcsm_sha256__hex() against
 * published SHA-256 vectors and vectors computed by Python's hashlib.
 */
#include <check.h>
#include <stdlib.h>
#include <string.h>

#include "pcsm/pcsm.h"
#include "core/core.h"
#include "support.h"

#define N_CASES(a) ((int)(sizeof(a) / sizeof((a)[0])))

/* The checksums are stored in deployed databases' history: a change of
 * implementation must give the very same strings, byte for byte. */
struct vector {
    const char *in;
    size_t len;                 /* of 'a' repeated, when in is NULL */
    const char *hex;
    const char *what;
};

static const struct vector vectors[] = {
    { "", 0, "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855",
      "the empty string (FIPS 180-2)" },
    { "abc", 3, "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad",
      "abc (FIPS 180-2)" },
    { "abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq", 56,
      "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1",
      "two blocks (FIPS 180-2)" },
    /* The padding's edges: the length field fits in the last block or not. */
    { NULL, 55, "9f4390f8d30c2dd92ec9f095b65e2b9ae9b0a925a5258e241c9f1e910f734318", "55 a" },
    { NULL, 56, "b35439a4ac6f0948b6d6f9e3c6af0f5f590ce20f1bde7090ef7970686ec6738a", "56 a" },
    { NULL, 63, "7d3e74a05d7db15bce4ad9ec0658ea98e3f06eeecf16b4c6fff2da457ddc2f34", "63 a" },
    { NULL, 64, "ffe054fe7ae0cb6dc65c3af9b61d5209f439851db43d0ba5997337df154668eb", "64 a" },
    { NULL, 65, "635361c48bb9eab14198e76ea8ab7f1a41685d6ad62aa9146d301d4f17eb0ae0", "65 a" },
    { NULL, 1000000, "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0",
      "a million a (FIPS 180-2)" },
};

START_TEST(test_sha256_vectors)
{
    const struct vector *v = &vectors[_i];
    char *owned = NULL;
    const char *in = v->in;
    char out[65];

    if (!in) {
        owned = malloc(v->len);
        ck_assert_ptr_nonnull(owned);
        memset(owned, 'a', v->len);
        in = owned;
    }
    memset(out, 'X', sizeof out);
    pcsm_sha256__hex(in, v->len, out);
    ck_assert_msg(strcmp(out, v->hex) == 0, "%s: got %s", v->what, out);
    free(owned);
}
END_TEST

/* 1 MiB of every byte value, NULs included: the length is the caller's,
 * not strlen's.  Python: hashlib.sha256(bytes(i % 251 for i in range(1 << 20))). */
START_TEST(test_sha256_binary_mebibyte)
{
    size_t len = (size_t)1 << 20, i;
    unsigned char *in = malloc(len);
    char out[65];

    ck_assert_ptr_nonnull(in);
    for (i = 0; i < len; i++)
        in[i] = (unsigned char)(i % 251);
    pcsm_sha256__hex(in, len, out);
    ck_assert_str_eq(out, "631b84027d6b9e52b539c4e8373622d23032dfadc64d60af87339c9037e4f769");
    /* A prefix differs: the length given is the length hashed. */
    pcsm_sha256__hex(in, len - 1, out);
    ck_assert_str_ne(out, "631b84027d6b9e52b539c4e8373622d23032dfadc64d60af87339c9037e4f769");
    free(in);
}
END_TEST

static Suite *sha256_suite(void)
{
    Suite *s = suite_create("sha256");
    TCase *tc = tcase_create("hex");

    tcase_add_loop_test(tc, test_sha256_vectors, 0, N_CASES(vectors));
    tcase_add_test(tc, test_sha256_binary_mebibyte);
    suite_add_tcase(s, tc);
    return s;
}

int main(void)
{
    return test_run_suite(sha256_suite());
}
