/*
 * libFuzzer target: quoting (runtime/lib/core/sql.c) and the renderer (render.c via
 * ddl.c), every identifier and literal read back with sql_lex.c.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "render/render.h"
#include "ddl_case.h"
#include "fuzz_check.h"
#include "sql_lex.h"

#define MAX_TOKENS 512

struct tokens {
    size_t n, n_ident, n_string;
    char *ident[MAX_TOKENS], *string[MAX_TOKENS];
    enum sql_tok kind[MAX_TOKENS];
    char *value[MAX_TOKENS];    /* of the raw quoting checks: every token */
    size_t len[MAX_TOKENS];
    size_t statements;          /* top-level ';' */
    bool nested;                /* reading a dollar-quoted body */
    const char *error;          /* of a nested body */
};

static char *dup_value(const char *v, size_t len)
{
    char *s = malloc(len + 1);

    CHECK(s != NULL, "out of memory");
    memcpy(s, v, len);
    s[len] = '\0';
    return s;
}

static void tokens_free(struct tokens *t)
{
    size_t i;

    for (i = 0; i < t->n_ident; i++)
        free(t->ident[i]);
    for (i = 0; i < t->n_string; i++)
        free(t->string[i]);
    for (i = 0; i < t->n; i++)
        free(t->value[i]);
    memset(t, 0, sizeof(*t));
}

/* Every token, for the one-token checks of the raw quoting. */
static void collect_all(enum sql_tok kind, const char *value, size_t len, void *payload)
{
    struct tokens *t = payload;

    CHECK(t->n < MAX_TOKENS, "too many tokens");
    t->kind[t->n] = kind;
    t->len[t->n] = len;
    t->value[t->n++] = dup_value(value, len);
}

/*
 * Tokens of rendered DDL: identifiers and literals are kept (dollar bodies,
 * the DO blocks, are read too); anything else must be plain ASCII SQL.
 */
static void collect_ddl(enum sql_tok kind, const char *value, size_t len, void *payload)
{
    struct tokens *t = payload;
    size_t i;

    switch (kind) {
    case SQL_TOK_IDENT:
        CHECK(t->n_ident < MAX_TOKENS, "too many identifiers");
        t->ident[t->n_ident++] = dup_value(value, len);
        break;
    case SQL_TOK_STRING:
        CHECK(t->n_string < MAX_TOKENS, "too many literals");
        t->string[t->n_string++] = dup_value(value, len);
        break;
    case SQL_TOK_DOLLAR:
        CHECK(!t->nested, "a dollar quote inside a dollar quote");
        t->nested = true;
        t->error = sql_lex(value, len, collect_ddl, t);
        CHECK(!t->error, "a DO body does not lex: %s", t->error);
        t->nested = false;
        break;
    case SQL_TOK_WORD:
        for (i = 0; i < len; i++)
            CHECK(strchr("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_.",
                         value[i]) && value[i],
                  "text outside any quote: '%.*s'", (int)len, value);
        break;
    case SQL_TOK_PARAM:
        break;
    case SQL_TOK_COMMENT:
        CHECK(0, "a comment in rendered DDL: '%.*s'", (int)len, value);
        break;
    case SQL_TOK_OTHER:
        CHECK(value[0] && strchr("(),;=[]:%#<>*+-./", value[0]),
              "byte 0x%02x outside any quote", (unsigned char)value[0]);
        t->statements += value[0] == ';' && !t->nested;
        break;
    }
}

/* ------------------------------------------------ quoting, one string */

static void check_one_token(const pcsm_buf *sql, enum sql_tok kind, const char *want)
{
    struct tokens t = { 0 };
    const char *err = sql_lex(sql->ptr, sql->len, collect_all, &t);

    CHECK(!err, "%s, lexing [%s]", err, sql->ptr);
    CHECK(t.n == 1 && t.kind[0] == kind, "[%s] is %zu tokens, not one", sql->ptr, t.n);
    CHECK(t.len[0] == strlen(want) && !memcmp(t.value[0], want, t.len[0]),
          "[%s] reads back as [%s], not [%s]", sql->ptr, t.value[0], want);
    tokens_free(&t);
}

static void check_quoting(const char *s)
{
    pcsm_buf out = PCSM_BUF_INIT;

    CHECK(pcsm_sql__valid_utf8(s) == case_utf8_ok(s), "valid_utf8 disagrees on [%s]", s);
    pcsm_sql__ident(&out, s);
    if (*s)
        check_one_token(&out, SQL_TOK_IDENT, s);
    else
        CHECK(!strcmp(out.ptr, "\"\""), "the empty identifier as [%s]", out.ptr);
    pcsm_buf_clear(&out);
    pcsm_sql__literal(&out, s);
    check_one_token(&out, SQL_TOK_STRING, s);
    pcsm_buf_clear(&out);
    pcsm_sql__dollar_quote(&out, s);
    check_one_token(&out, SQL_TOK_DOLLAR, s);
    pcsm_buf_dispose(&out);
}

/* -------------------------------------------------------- the revisions */

static pcsm_ctx *ctx;
static const struct ddl_case *current_case;
static const char *current_sql;

static void case_upgrade(pcsm_op *op)
{
    ddl_case_record(op, current_case);
}

static void case_downgrade(pcsm_op *op)
{
    ddl_case_record_failing_assert(op, current_case);
}

static void raw_upgrade(pcsm_op *op)
{
    pcsm_execute(op, current_sql);
}

static const pcsm_revision fuzz_rev = {
    .id = "fuzz", .description = "fuzz", .create_date = "2026-01-01 00:00:00",
    .source_path = "fuzz.c", .upgrade = case_upgrade, .downgrade = case_downgrade,
};
static const pcsm_revision raw_rev = {
    .id = "raw", .description = "raw", .create_date = "2026-01-01 00:00:00",
    .source_path = "raw.c", .upgrade = raw_upgrade,
};

/* A refusal: PCSM_EMIGRATION and one line of valid UTF-8 naming the revision. */
static void check_refusal(int rc, const char *rev)
{
    const pcsm_error *e = pcsm_error_last(ctx);
    char prefix[64];

    snprintf(prefix, sizeof(prefix), "revision %s (%s.c), upgrade(): ", rev, rev);
    CHECK(rc == PCSM_EMIGRATION, "refused with %d", rc);
    CHECK(!strncmp(e->message, prefix, strlen(prefix)), "message [%s]", e->message);
    CHECK(case_utf8_ok(e->message), "message not UTF-8: [%s]", e->message);
    CHECK(!strpbrk(e->message, "\n\r"), "message of several lines: [%s]", e->message);
}

/* pcsm_execute: blanks and one ';' off the end, then ";\n" (after "\n" past a "--"). */
static void check_raw_sql(const char *s)
{
    pcsm_buf sql = PCSM_BUF_INIT, want = PCSM_BUF_INIT;
    size_t len = strlen(s), line;
    int rc;

    current_sql = s;
    rc = pcsm_revision_sql(ctx, &raw_rev, PCSM_UPGRADE, &sql);
    if (strspn(s, " \t\r\n;") == len || !case_utf8_ok(s)) {
        check_refusal(rc, "raw");
        goto done;
    }
    CHECK(rc == 0, "raw SQL refused: %s", pcsm_error_last(ctx)->message);
    while (len && strchr(" \t\r\n", s[len - 1]))
        len--;
    if (len && s[len - 1] == ';')
        len--;
    while (len && strchr(" \t\r\n", s[len - 1]))
        len--;
    pcsm_buf_put(&want, s, len);
    for (line = len; line && s[line - 1] != '\n'; line--)
        ;
    for (; line + 1 < len; line++)
        if (s[line] == '-' && s[line + 1] == '-') {
            pcsm_buf_putc(&want, '\n');
            break;
        }
    pcsm_buf_puts(&want, ";\n");
    CHECK(sql.len == want.len && !memcmp(sql.ptr, want.ptr, sql.len),
          "raw SQL rendered as [%s], not [%s]", sql.ptr, want.ptr);
done:
    pcsm_buf_dispose(&sql);
    pcsm_buf_dispose(&want);
}

/* ------------------------------------------------------------- a case */

struct expect {
    struct tokens *t;
    bool ident;         /* checking identifiers, else literals */
};

static void must_appear(const char *s, void *payload)
{
    struct expect *x = payload;
    char **have = x->ident ? x->t->ident : x->t->string;
    size_t n = x->ident ? x->t->n_ident : x->t->n_string, i;

    for (i = 0; i < n; i++)
        if (!strcmp(have[i], s))
            return;
    CHECK(0, "%s [%s] is missing from the SQL", x->ident ? "identifier" : "literal", s);
}

struct known {
    const char *s;
    bool found;
};

static void mark_known(const char *s, void *payload)
{
    struct known *k = payload;

    k->found |= !strcmp(k->s, s);
}

/*
 * Each operation renders alone: it lexes, and has as many statements as
 * pcsm_render__statements() says (the online runner matches the server's
 * results to operations by it).  Returns the revision's whole SQL.
 */
static void render_ops(const pcsm_op *op, struct tokens *t, pcsm_buf *sql)
{
    pcsm_buf one = PCSM_BUF_INIT;
    size_t i;

    for (i = 0; i < pcsm_op__count(op); i++) {
        const struct pcsm_ddl_op *o = pcsm_op__at(op, i);
        size_t before = t->statements;
        const char *err;

        pcsm_buf_clear(&one);
        pcsm_render__op(o, &one);
        CHECK(one.len >= 2 && !strcmp(one.ptr + one.len - 2, ";\n"),
              "%s does not end in ';\\n'", pcsm_op__kind_name(o->kind));
        err = sql_lex(one.ptr, one.len, collect_ddl, t);
        CHECK(!err, "%s does not lex: %s\n%s", pcsm_op__kind_name(o->kind), err, one.ptr);
        CHECK(t->statements - before == pcsm_render__statements(o),
              "%s: %zu statements, pcsm_render__statements says %zu\n%s",
              pcsm_op__kind_name(o->kind), t->statements - before,
              pcsm_render__statements(o), one.ptr);
        pcsm_buf_put(sql, one.ptr, one.len);
    }
    pcsm_buf_dispose(&one);
}

/*
 * A whole case: the library accepts exactly what ddl_case_acceptable()
 * allows and refuses the rest with a one-line message; accepted, its SQL
 * holds every name and literal of the case, read back, and nothing else
 * comes out of a quote.
 */
static void check_case(const struct ddl_case *c)
{
    pcsm_buf sql = PCSM_BUF_INIT, whole = PCSM_BUF_INIT;
    struct tokens t = { 0 };
    struct expect x = { &t, true };
    bool ok = ddl_case_acceptable(c);
    pcsm_op *op = NULL;
    size_t i;
    int rc;

    current_case = c;
    rc = pcsm_op__record(ctx, &fuzz_rev, PCSM_UPGRADE, &op);
    if (!ok) {
        check_refusal(rc, "fuzz");
        CHECK(!op, "a refused revision left its record");
        goto done;
    }
    CHECK(rc == 0, "a valid case refused: %s", pcsm_error_last(ctx)->message);
    render_ops(op, &t, &sql);
    CHECK(pcsm_revision_sql(ctx, &fuzz_rev, PCSM_UPGRADE, &whole) == 0 &&
          whole.len == sql.len && !memcmp(whole.ptr, sql.ptr, sql.len),
          "the revision's SQL is not its operations' SQL in order");

    /* Every name and literal is there, and nothing else is quoted. */
    ddl_case_names(c, must_appear, &x);
    x.ident = false;
    ddl_case_literals(c, must_appear, &x);
    for (i = 0; i < t.n_ident; i++) {
        struct known k = { t.ident[i], false };

        ddl_case_names(c, mark_known, &k);
        CHECK(k.found, "identifier [%s] came from nowhere\n%s", t.ident[i], sql.ptr);
    }
    for (i = 0; i < t.n_string; i++) {
        struct known k = { t.string[i], false };

        ddl_case_literals(c, mark_known, &k);
        CHECK(k.found, "literal [%s] came from nowhere\n%s", t.string[i], sql.ptr);
    }

    /* The downgrade: a failing assertion, whose message must read back too. */
    pcsm_op__free(op);
    op = NULL;
    pcsm_buf_clear(&sql);
    tokens_free(&t);
    CHECK(pcsm_op__record(ctx, &fuzz_rev, PCSM_DOWNGRADE, &op) == 0, "assert refused");
    render_ops(op, &t, &sql);
    x.ident = false;
    must_appear(c->msg, &x);
done:
    pcsm_op__free(op);
    tokens_free(&t);
    pcsm_buf_dispose(&sql);
    pcsm_buf_dispose(&whole);
}

/* ------------------------------------------------------------- driver */

int LLVMFuzzerTestOneInput(const unsigned char *data, size_t size);

/*
 * The input, up to its first NUL, is quoted three ways and run as raw SQL;
 * all of it then chooses a DDL case, hostile and then repaired to executable.
 */
int LLVMFuzzerTestOneInput(const unsigned char *data, size_t size)
{
    static struct ddl_case c;
    struct case_src src;
    char *s;

    if (size > 8192)
        return -1;
    if (!ctx)
        CHECK(pcsm_ctx_new(&ctx, NULL, 0) == 0, "no context");

    s = malloc(size + 1);
    CHECK(s != NULL, "out of memory");
    memcpy(s, data, size);
    s[size] = '\0';         /* C strings: the input up to its first NUL */
    check_quoting(s);
    check_raw_sql(s);
    free(s);

    case_src_bytes(&src, data, size);
    ddl_case_generate(&c, &src, false);
    check_case(&c);
    /* The same choices, repaired into an executable case, must always pass. */
    case_src_bytes(&src, data, size);
    ddl_case_generate(&c, &src, true);
    CHECK(ddl_case_acceptable(&c), "an executable case is not acceptable");
    check_case(&c);
    return 0;
}
