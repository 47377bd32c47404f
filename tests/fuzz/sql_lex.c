/*
 * sql_lex.h's lexer: PostgreSQL 15's scanner rules (scan.l) for quoted
 * identifiers, strings and their continuations, dollar quotes, comments.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "sql_lex.h"

struct val {
    char *p;
    size_t len, cap;
};

static void val_put(struct val *v, char c)
{
    if (v->len + 1 >= v->cap) {
        v->cap = v->cap ? 2 * v->cap : 64;
        v->p = realloc(v->p, v->cap);
        if (!v->p)
            abort();
    }
    v->p[v->len++] = c;
    v->p[v->len] = '\0';
}

static void val_reset(struct val *v)
{
    v->len = 0;
    if (v->p)
        v->p[0] = '\0';
}

static bool is_space(char c)
{
    return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f';
}

static bool ident_start(unsigned char c)
{
    return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || c == '_' || c >= 0x80;
}

static bool ident_cont(unsigned char c)
{
    return ident_start(c) || (c >= '0' && c <= '9') || c == '$';
}

/* Dollar-quote tags take no '$' and no digit first. */
static bool tag_cont(unsigned char c)
{
    return ident_start(c) || (c >= '0' && c <= '9');
}

static int hex_value(char c)
{
    if (c >= '0' && c <= '9')
        return c - '0';
    if (c >= 'a' && c <= 'f')
        return c - 'a' + 10;
    if (c >= 'A' && c <= 'F')
        return c - 'A' + 10;
    return -1;
}

/*
 * After a closing quote: white space holding a newline, then another quote,
 * continues the same literal.  Returns the position of that quote, or 0.
 */
static size_t continuation(const char *s, size_t len, size_t i)
{
    bool newline = false;

    while (i < len && (s[i] == ' ' || s[i] == '\t' || s[i] == '\f'))
        i++;
    while (i < len && is_space(s[i])) {
        newline |= s[i] == '\n' || s[i] == '\r';
        i++;
    }
    return newline && i < len && s[i] == '\'' ? i : 0;
}

/*
 * A string whose opening quote is at s[*pos]; `extended` for E''.  Leaves
 * *pos after the closing quote.  Returns NULL or the problem.
 */
static const char *lex_string(const char *s, size_t len, size_t *pos, bool extended,
                              struct val *v)
{
    size_t i = *pos + 1;

    val_reset(v);
    for (;;) {
        if (i >= len)
            return "unterminated string literal";
        if (s[i] == '\'') {
            size_t next;

            if (i + 1 < len && s[i + 1] == '\'') {
                val_put(v, '\'');
                i += 2;
                continue;
            }
            next = continuation(s, len, i + 1);
            if (next) {
                i = next + 1;
                continue;
            }
            *pos = i + 1;
            return NULL;
        }
        if (extended && s[i] == '\\') {
            char c;

            if (i + 1 >= len)
                return "unterminated string literal";
            c = s[i + 1];
            i += 2;
            switch (c) {
            case 'b': val_put(v, '\b'); break;
            case 'f': val_put(v, '\f'); break;
            case 'n': val_put(v, '\n'); break;
            case 'r': val_put(v, '\r'); break;
            case 't': val_put(v, '\t'); break;
            case 'u': case 'U':
                return "a Unicode escape in an E'' string";
            case 'x': {
                int d = i < len ? hex_value(s[i]) : -1, b;

                if (d < 0) {
                    val_put(v, 'x');
                    break;
                }
                i++;
                b = i < len ? hex_value(s[i]) : -1;
                if (b >= 0) {
                    d = d * 16 + b;
                    i++;
                }
                if (d == 0)
                    return "a zero byte escaped in an E'' string";
                val_put(v, (char)d);
                break;
            }
            default:
                if (c >= '0' && c <= '7') {
                    int d = c - '0', k;

                    for (k = 0; k < 2 && i < len && s[i] >= '0' && s[i] <= '7'; k++)
                        d = d * 8 + (s[i++] - '0');
                    if ((d & 0xff) == 0)
                        return "a zero byte escaped in an E'' string";
                    val_put(v, (char)(d & 0xff));
                } else {
                    val_put(v, c);
                }
                break;
            }
            continue;
        }
        val_put(v, s[i++]);
    }
}

const char *sql_lex(const char *s, size_t len, sql_tok_fn fn, void *payload)
{
    struct val v = { NULL, 0, 0 };
    const char *err = NULL;
    size_t i = 0;

    while (i < len && !err) {
        unsigned char c = (unsigned char)s[i];

        if (is_space((char)c)) {
            i++;
        } else if (c == '-' && i + 1 < len && s[i + 1] == '-') {
            size_t start = i;

            while (i < len && s[i] != '\n' && s[i] != '\r')
                i++;
            fn(SQL_TOK_COMMENT, s + start, i - start, payload);
        } else if (c == '/' && i + 1 < len && s[i + 1] == '*') {
            size_t start = i, depth = 1;

            for (i += 2; i < len && depth; ) {
                if (s[i] == '/' && i + 1 < len && s[i + 1] == '*') {
                    depth++;
                    i += 2;
                } else if (s[i] == '*' && i + 1 < len && s[i + 1] == '/') {
                    depth--;
                    i += 2;
                } else {
                    i++;
                }
            }
            if (depth)
                err = "unterminated block comment";
            else
                fn(SQL_TOK_COMMENT, s + start, i - start, payload);
        } else if (c == '"') {
            val_reset(&v);
            for (i++;; ) {
                if (i >= len) {
                    err = "unterminated quoted identifier";
                    break;
                }
                if (s[i] == '"') {
                    if (i + 1 < len && s[i + 1] == '"') {
                        val_put(&v, '"');
                        i += 2;
                        continue;
                    }
                    i++;
                    if (v.len == 0)
                        err = "zero-length delimited identifier";
                    else
                        fn(SQL_TOK_IDENT, v.p, v.len, payload);
                    break;
                }
                val_put(&v, s[i++]);
            }
        } else if (c == '\'') {
            err = lex_string(s, len, &i, false, &v);
            if (!err)
                fn(SQL_TOK_STRING, v.p ? v.p : "", v.len, payload);
        } else if (c == '$') {
            size_t j = i + 1;

            if (j < len && s[j] >= '0' && s[j] <= '9') {
                while (j < len && s[j] >= '0' && s[j] <= '9')
                    j++;
                fn(SQL_TOK_PARAM, s + i, j - i, payload);
                i = j;
                continue;
            }
            if (j < len && s[j] != '$' && ident_start((unsigned char)s[j]))
                while (j < len && tag_cont((unsigned char)s[j]))
                    j++;
            if (j >= len || s[j] != '$') {
                err = "a '$' that starts neither a parameter nor a dollar quote";
                break;
            }
            {
                size_t tag_len = j + 1 - i, k;
                const char *body = s + j + 1;

                for (k = j + 1; k + tag_len <= len; k++)
                    if (!memcmp(s + k, s + i, tag_len))
                        break;
                if (k + tag_len > len) {
                    err = "unterminated dollar-quoted string";
                    break;
                }
                fn(SQL_TOK_DOLLAR, body, (size_t)(s + k - body), payload);
                i = k + tag_len;
            }
        } else if (ident_start(c)) {
            size_t start = i;

            while (i < len && ident_cont((unsigned char)s[i]))
                i++;
            if (i - start == 1 && (c == 'E' || c == 'e') && i < len && s[i] == '\'') {
                err = lex_string(s, len, &i, true, &v);
                if (!err)
                    fn(SQL_TOK_STRING, v.p ? v.p : "", v.len, payload);
                continue;
            }
            if (i < len && (s[i] == '\'' || s[i] == '"'))
                err = "a quote glued to a word (B'', X'', N'', U&'' or worse)";
            else if (i - start == 1 && (c == 'U' || c == 'u') && i + 1 < len && s[i] == '&' &&
                     (s[i + 1] == '\'' || s[i + 1] == '"'))
                err = "a U& string or identifier";
            else
                fn(SQL_TOK_WORD, s + start, i - start, payload);
        } else if (c >= '0' && c <= '9') {
            size_t start = i;

            while (i < len && ((s[i] >= '0' && s[i] <= '9') || s[i] == '.'))
                i++;
            fn(SQL_TOK_WORD, s + start, i - start, payload);
        } else {
            fn(SQL_TOK_OTHER, s + i, 1, payload);
            i++;
        }
    }
    free(v.p);
    return err;
}
