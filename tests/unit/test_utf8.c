/*
 * Unit tests for core/utf8.c (suite "utf8"): pcsm_utf8__sequence() on
 * table-driven cases and, exhaustively, on every sequence of up to three
 * bytes against a reference that decodes first and judges the code point;
 * and the JSON strings built on it, pcsm_buf_put_json_string(), byte for
 * byte as the CLI prints them (control characters, invalid UTF-8, overlong
 * forms, surrogates).  The validator of names and SQL over the same
 * function is tested in test_sql.c.
 */
#include <check.h>
#include <string.h>

#include "pcsm/pcsm.h"
#include "core/core.h"
#include "support.h"

#define N_CASES(a) ((int)(sizeof(a) / sizeof((a)[0])))

/* ------------------------------------------------------- one sequence */

struct seq_case {
    const char *in;
    size_t len;                 /* what pcsm_utf8__sequence returns: 0 when ill-formed */
    unsigned cp;
    const char *what;
};

static const struct seq_case seq_cases[] = {
    { "", 0, 0, "the end of the string" },
    { "A", 1, 0x41, "ASCII" },
    { "\x01", 1, 0x01, "a control character" },
    { "\x7f", 1, 0x7f, "DEL" },
    { "\xc2\x80", 2, 0x80, "U+0080, smallest 2-byte" },
    { "\xc3\xa9t", 2, 0xe9, "e acute, then more" },
    { "\xdf\xbf", 2, 0x7ff, "U+07FF, largest 2-byte" },
    { "\xe0\xa0\x80", 3, 0x800, "U+0800, smallest 3-byte" },
    { "\xe2\x82\xac", 3, 0x20ac, "euro sign" },
    { "\xed\x9f\xbf", 3, 0xd7ff, "U+D7FF, just below the surrogates" },
    { "\xee\x80\x80", 3, 0xe000, "U+E000, just above the surrogates" },
    { "\xef\xbf\xbf", 3, 0xffff, "U+FFFF" },
    { "\xf0\x90\x80\x80", 4, 0x10000, "U+10000, smallest 4-byte" },
    { "\xf0\x9f\x98\x80", 4, 0x1f600, "emoji U+1F600" },
    { "\xf4\x8f\xbf\xbf", 4, 0x10ffff, "U+10FFFF, the largest" },
    { "\x80", 0, 0, "lone continuation byte" },
    { "\xbf", 0, 0, "lone continuation byte BF" },
    { "\xc3", 0, 0, "truncated 2-byte at the end" },
    { "\xc3z", 0, 0, "2-byte lead then ASCII" },
    { "\xe2\x82", 0, 0, "truncated 3-byte" },
    { "\xe2\x82z", 0, 0, "3-byte cut by ASCII" },
    { "\xf0\x9f\x98", 0, 0, "truncated 4-byte" },
    { "\xc3\xc3\xa9", 0, 0, "lead byte where a continuation belongs" },
    { "\xc0\xaf", 0, 0, "overlong '/' in 2 bytes (C0 AF)" },
    { "\xc0\x80", 0, 0, "overlong NUL (C0 80)" },
    { "\xc1\xbf", 0, 0, "overlong U+007F (C1 BF)" },
    { "\xe0\x80\xaf", 0, 0, "overlong '/' in 3 bytes (E0 80 AF)" },
    { "\xe0\x9f\xbf", 0, 0, "overlong U+07FF in 3 bytes" },
    { "\xf0\x80\x80\xaf", 0, 0, "overlong '/' in 4 bytes" },
    { "\xf0\x8f\xbf\xbf", 0, 0, "overlong U+FFFF in 4 bytes" },
    { "\xed\xa0\x80", 0, 0, "surrogate U+D800 (ED A0 80)" },
    { "\xed\xbf\xbf", 0, 0, "surrogate U+DFFF" },
    { "\xf4\x90\x80\x80", 0, 0, "U+110000 (F4 90 80 80)" },
    { "\xf5\x80\x80\x80", 0, 0, "F5 lead" },
    { "\xf8\x88\x80\x80\x80", 0, 0, "5-byte form (F8)" },
    { "\xfc\x84\x80\x80\x80\x80", 0, 0, "6-byte form (FC)" },
    { "\xfe", 0, 0, "FE" },
    { "\xff", 0, 0, "FF" },
};

START_TEST(test_utf8_sequence_cases)
{
    const struct seq_case *c = &seq_cases[_i];
    unsigned cp = 0xdeadbeef;
    size_t len = pcsm_utf8__sequence(c->in, &cp);

    ck_assert_msg(len == c->len, "%s: length %zu, expected %zu", c->what, len, c->len);
    if (len)
        ck_assert_msg(cp == c->cp, "%s: U+%04X, expected U+%04X", c->what, cp, c->cp);
    else
        ck_assert_msg(cp == 0xdeadbeef, "%s: *cp written for an ill-formed sequence", c->what);
    ck_assert_uint_eq(pcsm_utf8__sequence(c->in, NULL), c->len);
}
END_TEST

/*
 * The reference: the old validator's way (decode by the lead byte's bit
 * pattern, then refuse overlong forms, surrogates and what lies past
 * U+10FFFF by the code point), on which table 3-7 is the same verdict.
 */
static size_t reference(const unsigned char *p, unsigned *cp_out)
{
    unsigned cp, min;
    size_t extra, i;

    if (p[0] == 0)
        return 0;
    if (p[0] < 0x80) {
        *cp_out = p[0];
        return 1;
    } else if ((p[0] & 0xe0) == 0xc0) {
        extra = 1; cp = p[0] & 0x1fu; min = 0x80;
    } else if ((p[0] & 0xf0) == 0xe0) {
        extra = 2; cp = p[0] & 0x0fu; min = 0x800;
    } else if ((p[0] & 0xf8) == 0xf0) {
        extra = 3; cp = p[0] & 0x07u; min = 0x10000;
    } else {
        return 0;
    }
    for (i = 1; i <= extra; i++) {
        if ((p[i] & 0xc0) != 0x80)
            return 0;
        cp = cp << 6 | (p[i] & 0x3fu);
    }
    if (cp < min || (cp >= 0xd800 && cp <= 0xdfff) || cp > 0x10ffff)
        return 0;
    *cp_out = cp;
    return extra + 1;
}

/*
 * Checked by hand rather than by ck_assert: check records every assertion
 * that passes, and these loops make tens of millions.
 */
static void assert_as_reference(const unsigned char *s)
{
    unsigned cp = 0, want_cp = 0;
    size_t len = pcsm_utf8__sequence((const char *)s, &cp);
    size_t want = reference(s, &want_cp);

    if (len != want || (len && cp != want_cp))
        ck_abort_msg("%02x %02x %02x %02x: length %zu U+%04X, expected %zu U+%04X",
                     s[0], s[1], s[2], s[3], len, cp, want, want_cp);
}

/*
 * Every string of one to three bytes, and of four and five where the first
 * three could begin a 4-byte sequence, with the last two from a few.
 */
START_TEST(test_utf8_sequence_as_reference)
{
    static const unsigned char tails[] = { 0x00, 0x41, 0x7f, 0x80, 0x8f, 0x90, 0x9f, 0xa0,
                                           0xbf, 0xc0, 0xc3, 0xed, 0xf4, 0xff };
    unsigned a, b, c;
    size_t i, j;

    for (a = 1; a < 0x100; a++) {
        for (b = 0; b < 0x100; b++) {
            for (c = 0; c < 0x100; c++) {
                unsigned char s[6] = { (unsigned char)a, (unsigned char)b, (unsigned char)c };

                assert_as_reference(s);
                if (a < 0xf0 || a > 0xf7 || (b & 0xc0) != 0x80 || (c & 0xc0) != 0x80)
                    continue;
                for (i = 0; i < sizeof(tails); i++) {
                    for (j = 0; j < sizeof(tails); j++) {
                        s[3] = tails[i];
                        s[4] = tails[j];
                        assert_as_reference(s);
                    }
                }
            }
        }
    }
}
END_TEST

/* ------------------------------------------------------- JSON strings */

struct json_case {
    const char *in;
    const char *out;
    const char *what;
};

/* U+REPLACEMENT CHARACTER, as jansson writes it: raw UTF-8, not \ufffd. */
#define U_FFFD "\xef\xbf\xbd"

static const struct json_case json_cases[] = {
    { "", "\"\"", "empty" },
    { "plain ASCII ~", "\"plain ASCII ~\"", "printable ASCII as it is" },
    { "say \"hi\"", "\"say \\\"hi\\\"\"", "quotes escaped" },
    { "C:\\dir\\", "\"C:\\\\dir\\\\\"", "backslashes escaped" },
    { "two\nlines", "\"two\\nlines\"", "newline as \\n" },
    { "a\tb\rc", "\"a\\tb\\rc\"", "tab and CR as \\t and \\r (jansson)" },
    { "\x01\x1f", "\"\\u0001\\u001F\"", "the other controls as \\u00XX" },
    { "\x7f", "\"\x7f\"", "DEL as it is" },
    { "/", "\"/\"", "solidus as it is" },
    { "\xc3\xa9t\xc3\xa9 \xe2\x82\xac \xf0\x9f\x98\x80", "\"\xc3\xa9t\xc3\xa9 \xe2\x82\xac "
      "\xf0\x9f\x98\x80\"", "well-formed UTF-8 as it is" },
    { "\xf4\x8f\xbf\xbf", "\"\xf4\x8f\xbf\xbf\"", "U+10FFFF as it is" },
    { "\xc2\x85", "\"\xc2\x85\"", "a C1 control (NEL) as it is" },
    { "\xff", "\"" U_FFFD "\"", "FF" },
    { "caf\xe9", "\"caf" U_FFFD "\"", "Latin-1" },
    { "a\x80z", "\"a" U_FFFD "z\"", "a lone continuation byte" },
    { "\xc3", "\"" U_FFFD "\"", "a truncated 2-byte at the end" },
    { "\xe2\x82z", "\"" U_FFFD U_FFFD "z\"", "a truncated 3-byte: each byte replaced" },
    { "\xf0\x9f\x98\xc3\xa9", "\"" U_FFFD U_FFFD U_FFFD "\xc3\xa9\"",
      "a truncated 4-byte, then a good one" },
    { "\xc0\xaf", "\"" U_FFFD U_FFFD "\"", "overlong '/' in 2 bytes" },
    { "\xc0\x80", "\"" U_FFFD U_FFFD "\"", "overlong NUL" },
    { "\xe0\x80\xaf", "\"" U_FFFD U_FFFD U_FFFD "\"", "overlong '/' in 3 bytes" },
    { "\xf0\x80\x80\xaf", "\"" U_FFFD U_FFFD U_FFFD U_FFFD "\"", "overlong '/' in 4 bytes" },
    { "\xed\xa0\x80", "\"" U_FFFD U_FFFD U_FFFD "\"", "surrogate U+D800" },
    { "\xed\xa0\xbd\xed\xb8\x80", "\"" U_FFFD U_FFFD U_FFFD U_FFFD U_FFFD U_FFFD "\"",
      "CESU-8 surrogate pair" },
    { "\xf4\x90\x80\x80", "\"" U_FFFD U_FFFD U_FFFD U_FFFD "\"", "past U+10FFFF" },
    { "\xf8\x88\x80\x80\x80", "\"" U_FFFD U_FFFD U_FFFD U_FFFD U_FFFD "\"", "5-byte form" },
    { "ok \xfe\xff\n\"", "\"ok " U_FFFD U_FFFD "\\n\\\"\"", "invalid bytes among escapes" },
};

START_TEST(test_utf8_json_string_cases)
{
    const struct json_case *c = &json_cases[_i];
    pcsm_buf out = PCSM_BUF_INIT;
    char got[512], want[512];

    pcsm_buf_put_json_string(&out, c->in);
    ck_assert_msg(!strcmp(out.ptr, c->out), "%s: %s, expected %s", c->what,
                  test_escape_bytes(got, sizeof(got), out.ptr),
                  test_escape_bytes(want, sizeof(want), c->out));
    ck_assert_uint_eq(out.len, strlen(c->out));
    pcsm_buf_dispose(&out);
}
END_TEST

START_TEST(test_utf8_json_string_appends)
{
    pcsm_buf out = PCSM_BUF_INIT;

    pcsm_buf_puts(&out, "{\"k\":");
    pcsm_buf_put_json_string(&out, "v");
    pcsm_buf_puts(&out, ",\"n\":");
    pcsm_buf_put_json_string(&out, NULL);
    pcsm_buf_putc(&out, '}');
    ck_assert_str_eq(out.ptr, "{\"k\":\"v\",\"n\":null}");
    pcsm_buf_dispose(&out);
}
END_TEST

/* Whatever the bytes, the literal is valid UTF-8 with no raw control character. */
START_TEST(test_utf8_json_string_always_valid)
{
    pcsm_buf out = PCSM_BUF_INIT;
    unsigned a, b;

    for (a = 1; a < 0x100; a++) {
        for (b = 0; b < 0x100; b++) {
            char s[4] = { (char)a, (char)b, (char)0x80, 0 };
            size_t i;

            pcsm_buf_clear(&out);
            pcsm_buf_put_json_string(&out, s);
            if (!pcsm_sql__valid_utf8(out.ptr))
                ck_abort_msg("%02x %02x 80: not UTF-8", a, b);
            if (out.len < 2 || out.ptr[0] != '"' || out.ptr[out.len - 1] != '"')
                ck_abort_msg("%02x %02x 80: not one quoted string", a, b);
            for (i = 0; i < out.len; i++)
                if ((unsigned char)out.ptr[i] < 0x20)
                    ck_abort_msg("%02x %02x 80: raw control byte %02x", a, b,
                                 (unsigned char)out.ptr[i]);
        }
    }
    pcsm_buf_dispose(&out);
}
END_TEST

/* ------------------------------------------------------------- runner */

START_TEST(test_utf8_clip_keeps_whole_characters)
{
    const char *s = "a\xc3\xa9\xe2\x82\xac";   /* a, e-acute (2 bytes), euro (3) */

    ck_assert_uint_eq(pcsm_utf8__clip(s, 6, 10), 6);   /* fits: as it is */
    ck_assert_uint_eq(pcsm_utf8__clip(s, 6, 6), 6);
    ck_assert_uint_eq(pcsm_utf8__clip(s, 6, 5), 3);    /* not two bytes of the euro */
    ck_assert_uint_eq(pcsm_utf8__clip(s, 6, 4), 3);
    ck_assert_uint_eq(pcsm_utf8__clip(s, 6, 3), 3);
    ck_assert_uint_eq(pcsm_utf8__clip(s, 6, 2), 1);    /* not half the e-acute */
    ck_assert_uint_eq(pcsm_utf8__clip(s, 6, 0), 0);
}
END_TEST

static Suite *utf8_suite(void)
{
    Suite *s = suite_create("utf8");
    TCase *seq = tcase_create("sequence");
    TCase *json = tcase_create("json");

    tcase_add_loop_test(seq, test_utf8_sequence_cases, 0, N_CASES(seq_cases));
    tcase_add_test(seq, test_utf8_sequence_as_reference);
    tcase_add_test(seq, test_utf8_clip_keeps_whole_characters);
    tcase_set_timeout(seq, 60);
    suite_add_tcase(s, seq);

    tcase_add_loop_test(json, test_utf8_json_string_cases, 0, N_CASES(json_cases));
    tcase_add_test(json, test_utf8_json_string_appends);
    tcase_add_test(json, test_utf8_json_string_always_valid);
    suite_add_tcase(s, json);
    return s;
}

int main(void)
{
    return test_run_suite(utf8_suite());
}
