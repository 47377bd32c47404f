/*
 * The names PostgreSQL 15 gives the constraints and indexes it names itself
 * (src/backend/commands/indexcmds.c, catalog/heap.c, tablecmds.c,
 * parser/parse_target.c), so that the model knows them without asking:
 * the column part of a name, read from SQL the way the server's parser
 * would, and the numbered retry when a name is taken.  An expression this
 * file cannot read with confidence gives "not known" (-1, NULL), never a
 * guess: the caller then keeps the name unknown or refuses.
 */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "schema/schema.h"

#define NAME_MAX_BYTES 63       /* NAMEDATALEN - 1 */

/* ------------------------------------------------------------- choosing */

char *pcsm_schema__choose_name(const char *name1, const char *name2, const char *label,
                               bool (*taken)(const char *name, void *arg), void *arg)
{
    pcsm_buf modlabel = PCSM_BUF_INIT;
    unsigned pass = 0;
    char *name;

    /* ChooseRelationName() / ChooseConstraintName(): label, label1, label2, ... */
    pcsm_buf_puts(&modlabel, label);
    for (;;) {
        name = pcsm_schema__object_name(name1, name2, modlabel.ptr);
        if (!taken(name, arg))
            break;
        free(name);
        pcsm_buf_clear(&modlabel);
        pcsm_buf_printf(&modlabel, "%s%u", label, ++pass);
    }
    pcsm_buf_dispose(&modlabel);
    return name;
}

char *pcsm_schema__name_addition(const char *const *names)
{
    pcsm_buf out = PCSM_BUF_INIT;
    size_t i;

    /* ChooseIndexNameAddition(): stops once NAMEDATALEN bytes are reached. */
    pcsm_buf_puts(&out, "");
    for (i = 0; names && names[i]; i++) {
        if (out.len)
            pcsm_buf_putc(&out, '_');
        pcsm_buf_put(&out, names[i], strnlen(names[i], NAME_MAX_BYTES));
        if (out.len >= NAME_MAX_BYTES + 1)
            break;
    }
    return pcsm_buf_detach(&out);
}

char **pcsm_schema__index_column_names(const char *const *names)
{
    size_t n = 0, i, k;
    char **out;

    while (names && names[n])
        n++;
    out = pcsm__xcalloc(n + 1, sizeof(*out));
    /* ChooseIndexColumnNames(): a name already used gets 1, 2, ... appended. */
    for (i = 0; i < n; i++) {
        const char *orig = names[i];
        char *cur = pcsm__xstrdup(orig);
        unsigned num = 0;

        for (;;) {
            pcsm_buf b = PCSM_BUF_INIT;
            char digits[16];
            size_t keep;

            for (k = 0; k < i && strcmp(out[k], cur); k++)
                ;
            if (k == i)
                break;
            free(cur);
            snprintf(digits, sizeof(digits), "%u", ++num);
            keep = pcsm_utf8__clip(orig, strlen(orig), NAME_MAX_BYTES - strlen(digits));
            pcsm_buf_put(&b, orig, keep);
            pcsm_buf_puts(&b, digits);
            cur = pcsm_buf_detach(&b);
        }
        out[i] = cur;
    }
    return out;
}

/* ------------------------------------------------------------ the scanner */

enum tok_kind { TK_IDENT, TK_QIDENT, TK_STRING, TK_NUMBER, TK_OP, TK_PUNCT, TK_PARAM };

struct tok {
    enum tok_kind kind;
    char *text;                 /* identifiers folded as the server folds; operators as is */
};

struct toks {
    struct tok *v;
    size_t n, cap;
};

static void push_tok(struct toks *t, enum tok_kind kind, char *text)
{
    if (t->n == t->cap) {
        t->cap = t->cap ? 2 * t->cap : 16;
        t->v = pcsm__xrealloc(t->v, t->cap * sizeof(*t->v));
    }
    t->v[t->n].kind = kind;
    t->v[t->n].text = text;
    t->n++;
}

static void free_toks(struct toks *t)
{
    size_t i;

    for (i = 0; i < t->n; i++)
        free(t->v[i].text);
    free(t->v);
}

static char *dup_n(const char *s, size_t n)
{
    pcsm_buf b = PCSM_BUF_INIT;

    pcsm_buf_put(&b, s, n);
    pcsm_buf_puts(&b, "");
    return pcsm_buf_detach(&b);
}

static bool ident_start(unsigned char c)
{
    return isalpha(c) || c == '_' || c >= 0x80;
}

static bool ident_char(unsigned char c)
{
    return isalnum(c) || c == '_' || c == '$' || c >= 0x80;
}

static bool op_char(char c)
{
    return c && strchr("+-*/<>=~!@#%^&|`?", c) != NULL;
}

/* A string literal at p ('...', E'...', $tag$...$tag$): its end, or NULL. */
static const char *skip_string(const char *p)
{
    if (*p == '$') {
        const char *q = p + 1, *end;
        size_t taglen;

        while (ident_char((unsigned char)*q) && *q != '$')
            q++;
        if (*q != '$')
            return NULL;
        taglen = (size_t)(q - p) + 1;
        for (end = q + 1; *end; end++)
            if (!strncmp(end, p, taglen))
                return end + taglen;
        return NULL;
    }
    if (*p == 'e' || *p == 'E') {
        for (p += 2; *p && *p != '\''; p++)
            if (*p == '\\' && p[1])
                p++;
        return *p ? p + 1 : NULL;
    }
    for (p++; *p; p++)
        if (*p == '\'' && p[1] == '\'')
            p++;
        else if (*p == '\'')
            return p + 1;
    return NULL;
}

/*
 * The expression's tokens; false for what this scanner does not read
 * (unterminated text, a U& identifier or string, standard_conforming off).
 */
static bool tokenize(const char *sql, struct toks *t)
{
    const char *p = sql;

    memset(t, 0, sizeof(*t));
    while (*p) {
        const char *start = p;

        if (isspace((unsigned char)*p)) {
            p++;
        } else if (p[0] == '-' && p[1] == '-') {
            while (*p && *p != '\n')
                p++;
        } else if (p[0] == '/' && p[1] == '*') {
            const char *end = strstr(p + 2, "*/");

            if (!end)
                return false;       /* also nested comments: not read here */
            p = end + 2;
        } else if (*p == '\'' || ((*p == 'e' || *p == 'E') && p[1] == '\'') ||
                   (*p == '$' && (p[1] == '$' || ident_start((unsigned char)p[1])))) {
            if (!(p = skip_string(p)))
                return false;
            push_tok(t, TK_STRING, dup_n(start, (size_t)(p - start)));
        } else if ((*p == 'u' || *p == 'U') && p[1] == '&') {
            return false;
        } else if (*p == '"') {
            pcsm_buf name = PCSM_BUF_INIT;

            for (p++; *p; p++) {
                if (*p == '"' && p[1] == '"')
                    p++;
                else if (*p == '"')
                    break;
                pcsm_buf_putc(&name, *p);
            }
            pcsm_buf_puts(&name, "");
            if (!*p || !name.len) {
                pcsm_buf_dispose(&name);
                return false;
            }
            p++;
            push_tok(t, TK_QIDENT, pcsm_buf_detach(&name));
        } else if (ident_start((unsigned char)*p)) {
            char *name;
            size_t i;

            while (ident_char((unsigned char)*p))
                p++;
            name = dup_n(start, (size_t)(p - start));
            /* downcase_identifier(): ASCII only in a multibyte encoding. */
            for (i = 0; name[i]; i++)
                if (name[i] >= 'A' && name[i] <= 'Z')
                    name[i] = (char)(name[i] - 'A' + 'a');
            push_tok(t, TK_IDENT, name);
        } else if (isdigit((unsigned char)*p) || (*p == '.' && isdigit((unsigned char)p[1]))) {
            while (isalnum((unsigned char)*p) || *p == '.' || *p == '_' ||
                   ((*p == '+' || *p == '-') && (p[-1] == 'e' || p[-1] == 'E')))
                p++;
            push_tok(t, TK_NUMBER, dup_n(start, (size_t)(p - start)));
        } else if (*p == '$' && isdigit((unsigned char)p[1])) {
            for (p++; isdigit((unsigned char)*p); p++)
                ;
            push_tok(t, TK_PARAM, dup_n(start, (size_t)(p - start)));
        } else if (p[0] == ':' && p[1] == ':') {
            p += 2;
            push_tok(t, TK_PUNCT, pcsm__xstrdup("::"));
        } else if (p[0] == ':' && p[1] == '=') {
            p += 2;
            push_tok(t, TK_OP, pcsm__xstrdup(":="));
        } else if (op_char(*p)) {
            while (op_char(*p) && !(p[0] == '-' && p[1] == '-') &&
                   !(p[0] == '/' && p[1] == '*'))
                p++;
            push_tok(t, TK_OP, dup_n(start, (size_t)(p - start)));
        } else if (strchr("()[],.;:", *p)) {
            p++;
            push_tok(t, TK_PUNCT, dup_n(start, 1));
        } else {
            return false;
        }
    }
    return true;
}

static bool is_punct(const struct toks *t, size_t i, const char *s)
{
    return i < t->n && t->v[i].kind == TK_PUNCT && !strcmp(t->v[i].text, s);
}

static bool is_word(const struct toks *t, size_t i, const char *w)
{
    return i < t->n && t->v[i].kind == TK_IDENT && !strcmp(t->v[i].text, w);
}

static bool is_ident(const struct toks *t, size_t i)
{
    return i < t->n && (t->v[i].kind == TK_IDENT || t->v[i].kind == TK_QIDENT);
}

static bool word_in(const struct toks *t, size_t i, const char *const *words)
{
    size_t k;

    for (k = 0; i < t->n && t->v[i].kind == TK_IDENT && words[k]; k++)
        if (!strcmp(t->v[i].text, words[k]))
            return true;
    return false;
}

/* ------------------------------------------------- the column of a CHECK */

/* Words around a column reference that leave it one (the expression's own grammar). */
static const char *const before_ref[] = {
    "and", "or", "not", "is", "when", "then", "else", "case", "between", "like", "ilike",
    "symmetric", "asymmetric", "from", "to", "escape", "similar", NULL,
};
static const char *const after_ref[] = {
    "and", "or", "not", "is", "in", "between", "like", "ilike", "similar", "then", "when",
    "else", "end", "isnull", "notnull", "escape", NULL,
};

static bool plain_op(const struct toks *t, size_t i)
{
    return t->v[i].kind == TK_OP && strcmp(t->v[i].text, "=>") && strcmp(t->v[i].text, ":=");
}

/* A reference starting at token `first` and ending at `last` stands where a value does. */
static bool ref_context(const struct toks *t, size_t first, size_t last)
{
    bool before, after;

    before = first == 0 || is_punct(t, first - 1, "(") || is_punct(t, first - 1, ",") ||
             is_punct(t, first - 1, "[") || plain_op(t, first - 1) ||
             word_in(t, first - 1, before_ref);
    after = last + 1 == t->n || is_punct(t, last + 1, ")") || is_punct(t, last + 1, ",") ||
            is_punct(t, last + 1, "]") || is_punct(t, last + 1, "::") ||
            plain_op(t, last + 1) || word_in(t, last + 1, after_ref);
    return before && after &&
           !(first > 1 && is_punct(t, first - 1, "(") && is_word(t, first - 2, "extract"));
}

static bool names_have(const char *const *names, const char *name)
{
    size_t i;

    for (i = 0; names && names[i]; i++)
        if (!strcmp(names[i], name))
            return true;
    return false;
}

int pcsm_schema__check_column(const char *expr, const char *table,
                              const char *const *columns,
                              const char **out)
{
    struct toks t;
    const char *found = NULL;
    bool several = false;
    size_t i;
    int rc = 0;

    *out = NULL;
    if (!tokenize(expr, &t)) {
        free_toks(&t);
        return -1;
    }
    for (i = 0; rc == 0 && i < t.n; i++) {
        const char *name = t.v[i].text;

        if (!is_ident(&t, i))
            continue;
        if (is_punct(&t, i + 1, "(")) {
            /* A function's name; a column of that name is not this. */
            continue;
        }
        if (i > 0 && is_punct(&t, i - 1, "::")) {
            /* A type name; its other words (double precision) are no column. */
            continue;
        }
        if (!strcmp(name, table) && !names_have(columns, name)) {
            /* "table"."column"; the whole row (a Var of its own) is not read here. */
            if (is_punct(&t, i + 1, ".") && is_ident(&t, i + 2) &&
                names_have(columns, t.v[i + 2].text) && !is_punct(&t, i + 3, ".") &&
                !(i > 0 && is_punct(&t, i - 1, ".")) && ref_context(&t, i, i + 2)) {
                name = t.v[i + 2].text;
                i += 2;
            } else {
                rc = -1;
                continue;
            }
        } else if (!names_have(columns, name)) {
            /*
             * No column: a keyword, a type or field name, or what the
             * server refuses anyway.  Next to a dot it may qualify one.
             */
            if (is_punct(&t, i + 1, ".") || (i > 0 && is_punct(&t, i - 1, ".")))
                rc = -1;
            continue;
        } else if ((i > 0 && is_punct(&t, i - 1, ".")) || is_punct(&t, i + 1, ".") ||
                   !ref_context(&t, i, i)) {
            rc = -1;
            continue;
        }
        if (found && strcmp(found, name))
            several = true;
        else
            found = name;
    }
    if (rc == 0 && found && !several) {
        size_t k;

        /* Lent from `columns`, which outlives the tokens. */
        for (k = 0; strcmp(columns[k], found); k++)
            ;
        *out = columns[k];
        rc = 1;
    }
    free_toks(&t);
    return rc;
}

/* ------------------------------------- the column name of an index expression */

/* The index of the token closing the bracket opened at i (CASE ... END too), or n. */
static size_t closing(const struct toks *t, size_t i, size_t end)
{
    size_t depth = 0;

    for (; i < end; i++) {
        if (is_punct(t, i, "(") || is_punct(t, i, "[") || is_word(t, i, "case"))
            depth++;
        else if (is_punct(t, i, ")") || is_punct(t, i, "]") || is_word(t, i, "end"))
            if (--depth == 0)
                return i;
    }
    return end;
}

/* FigureColnameInternal()'s strength: 2 a real name, 1 a fallback, 0 none, -1 not known. */
static int figure(const struct toks *t, size_t from, size_t to, char **name);

static const char *const type_words[][3] = {
    /* SystemTypeName() for the grammar's own type words: what typeName->names ends with. */
    { "int", "int4" }, { "integer", "int4" }, { "smallint", "int2" }, { "bigint", "int8" },
    { "real", "float4" }, { "boolean", "bool" }, { "numeric", "numeric" },
    { "decimal", "numeric" }, { "dec", "numeric" }, { "varchar", "varchar" },
    { "char", "bpchar" }, { "character", "bpchar" }, { "timestamp", "timestamp" },
    { "time", "time" }, { "interval", "interval" }, { "bit", "bit" },
};

/* The name a cast to the type at [from, to) gives, or NULL when not known. */
static char *type_name(const struct toks *t, size_t from, size_t to)
{
    size_t i;

    /* Array bounds and a type modifier do not change the name. */
    while (to > from && (is_punct(t, to - 1, "]") || is_punct(t, to - 1, ")"))) {
        size_t open = to - 1, depth = 0;

        for (;; open--) {
            if (is_punct(t, open, "]") || is_punct(t, open, ")"))
                depth++;
            else if ((is_punct(t, open, "[") || is_punct(t, open, "(")) && --depth == 0)
                break;
            if (open == from)
                return NULL;
        }
        to = open;
    }
    if (to != from + 1 || !is_ident(t, from))
        return NULL;
    if (t->v[from].kind == TK_QIDENT)
        return pcsm__xstrdup(t->v[from].text);
    for (i = 0; i < sizeof(type_words) / sizeof(type_words[0]); i++)
        if (!strcmp(t->v[from].text, type_words[i][0]))
            return pcsm__xstrdup(type_words[i][1]);
    /* float and double precision depend on a precision; other keywords: not read here. */
    if (!strcmp(t->v[from].text, "float") || !strcmp(t->v[from].text, "double") ||
        !strcmp(t->v[from].text, "national") || !strcmp(t->v[from].text, "setof"))
        return NULL;
    return pcsm__xstrdup(t->v[from].text);
}

/* Top-level words that make the root an operator, so the name "expr". */
static const char *const operator_words[] = {
    "and", "or", "not", "is", "isnull", "notnull", "in", "between", "like", "ilike",
    "similar", "operator", NULL,
};

/* Functions whose syntax the grammar rewrites: not read here. */
static const char *const special_calls[] = {
    "trim", "cast", "treat", "collation", "overlaps", "xmlserialize", "json", NULL,
};

static int figure(const struct toks *t, size_t from, size_t to, char **name)
{
    size_t i, last_cast = to, collate = to;

    *name = NULL;
    if (from >= to)
        return -1;
    /* Brackets around the whole expression change nothing. */
    while (is_punct(t, from, "(") && closing(t, from, to) == to - 1) {
        from++;
        to--;
        if (from >= to)
            return -1;
    }
    for (i = from; i < to; i++) {
        if (is_punct(t, i, "(") || is_punct(t, i, "[") || is_word(t, i, "case")) {
            i = closing(t, i, to);
            if (i == to)
                return -1;
            continue;
        }
        if (t->v[i].kind == TK_OP || word_in(t, i, operator_words))
            return 0;
        if (is_punct(t, i, "::"))
            last_cast = i;
        else if (is_word(t, i, "collate"))
            collate = i;
        else if (is_word(t, i, "at") || is_punct(t, i, ";") || is_punct(t, i, ",") ||
                 is_punct(t, i, ":"))
            return -1;
    }
    if (collate < to) {
        /* A CollateClause: its argument's name, when the collation ends it. */
        size_t k = collate + 1;

        while (is_ident(t, k) && is_punct(t, k + 1, "."))
            k += 2;
        if (!is_ident(t, k) || k + 1 != to || (last_cast > collate && last_cast < to))
            return -1;
        return figure(t, from, collate, name);
    }
    if (last_cast < to) {
        int strength = figure(t, from, last_cast, name);

        if (strength < 0 || strength == 2)
            return strength;
        free(*name);
        *name = type_name(t, last_cast + 1, to);
        return *name ? 1 : -1;
    }
    if (is_word(t, from, "case")) {
        int strength;
        size_t depth = 0, els = to;

        if (closing(t, from, to) != to - 1)
            return -1;
        for (i = from + 1; i < to - 1; i++) {
            if (is_punct(t, i, "(") || is_punct(t, i, "[") || is_word(t, i, "case"))
                depth++;
            else if (is_punct(t, i, ")") || is_punct(t, i, "]") || is_word(t, i, "end"))
                depth--;
            else if (!depth && is_word(t, i, "else"))
                els = i;
        }
        strength = els < to ? figure(t, els + 1, to - 1, name) : 0;
        if (strength < 0 || strength == 2)
            return strength;
        free(*name);
        *name = pcsm__xstrdup("case");
        return 1;
    }
    if (to == from + 1) {
        switch (t->v[from].kind) {
        case TK_STRING:
        case TK_NUMBER:
        case TK_PARAM:
            return 0;
        case TK_QIDENT:
            *name = pcsm__xstrdup(t->v[from].text);
            return 2;
        case TK_IDENT:
            /* A keyword alone (true, null, current_date): not read here. */
            if (!strcmp(t->v[from].text, "true") || !strcmp(t->v[from].text, "false") ||
                !strcmp(t->v[from].text, "null"))
                return 0;
            *name = pcsm__xstrdup(t->v[from].text);
            return 2;
        default:
            return -1;
        }
    }
    /* A column reference a.b.c, or a call f(...) / s.f(...). */
    for (i = from; i + 1 < to && is_ident(t, i) && is_punct(t, i + 1, "."); i += 2)
        ;
    if (!is_ident(t, i))
        return -1;
    if (i + 1 == to) {
        *name = pcsm__xstrdup(t->v[i].text);
        return 2;
    }
    if (is_punct(t, i + 1, "(") && closing(t, i + 1, to) == to - 1) {
        if (i == from && t->v[i].kind == TK_IDENT && word_in(t, i, special_calls))
            return -1;
        if (i == from && is_word(t, i, "array"))
            return -1;
        *name = pcsm__xstrdup(t->v[i].text);
        return 2;
    }
    if (i == from && is_word(t, i, "array") && is_punct(t, i + 1, "[") &&
        closing(t, i + 1, to) == to - 1) {
        *name = pcsm__xstrdup("array");
        return 2;
    }
    return -1;
}

char *pcsm_schema__expression_column_name(const char *expr)
{
    struct toks t;
    char *name = NULL;
    int strength;

    if (!tokenize(expr, &t)) {
        free_toks(&t);
        return NULL;
    }
    strength = figure(&t, 0, t.n, &name);
    free_toks(&t);
    if (strength < 0) {
        free(name);
        return NULL;
    }
    if (strength == 0 || !name) {
        free(name);
        return pcsm__xstrdup("expr");
    }
    return name;
}
