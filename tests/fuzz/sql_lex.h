/*
 * A small SQL lexer with PostgreSQL's quoting rules, apart from runtime/lib/core/sql.c,
 * so that the fuzz targets can read rendered SQL back and compare.
 */
#ifndef PCSM_FUZZ_SQL_LEX_H
#define PCSM_FUZZ_SQL_LEX_H

#include <stdbool.h>
#include <stddef.h>

enum sql_tok {
    SQL_TOK_IDENT,      /* "..." (value unquoted) */
    SQL_TOK_STRING,     /* '...' or E'...' (value unescaped; continuations joined) */
    SQL_TOK_DOLLAR,     /* $tag$...$tag$ (value: the body) */
    SQL_TOK_WORD,       /* a keyword or unquoted name */
    SQL_TOK_PARAM,      /* $1 */
    SQL_TOK_COMMENT,    /* -- or a block comment */
    SQL_TOK_OTHER,      /* one character of anything else (value: it) */
};

/* Called for each token; `value` is only valid during the call. */
typedef void (*sql_tok_fn)(enum sql_tok kind, const char *value, size_t len, void *payload);

/*
 * Splits sql[0 .. len) into tokens as PostgreSQL's scanner would with
 * standard_conforming_strings on.  Returns NULL when the whole text lexed,
 * or a static message naming the first problem: an unterminated quote,
 * a zero-length "", a string glued to a word (X'..', U&'..'), an escape
 * that an E'' string cannot hold.
 */
const char *sql_lex(const char *sql, size_t len, sql_tok_fn fn, void *payload);

#endif /* PCSM_FUZZ_SQL_LEX_H */
