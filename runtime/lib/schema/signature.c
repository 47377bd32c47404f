/*
 * A function's identity as the server compares it: its name and its input
 * argument types, with argument names, modes, defaults and type modifiers
 * left out (DROP FUNCTION f(integer) drops f(a int DEFAULT 1)).  The API
 * keeps argument lists as the author wrote them, so the model derives the
 * identity from that text here.  This is not a parser: it knows the common
 * spellings, and the model treats a failure to match as "unknown", never
 * as "absent".
 */
#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#include "schema/schema.h"

/* A growing NULL-terminated list of strings. */
struct names {
    char **v;
    size_t n;
};

/* Type names of more than one word start with one of these. */
static const char *const multi_word_starts[] = {
    "double", "character", "char", "bit", "time", "timestamp", "interval", "national",
};

/* Spellings of one type, and the one format_type() prints. */
static const struct {
    const char *alias, *name;
} aliases[] = {
    { "int", "integer" }, { "int4", "integer" }, { "int2", "smallint" },
    { "int8", "bigint" }, { "bool", "boolean" }, { "float8", "double precision" },
    { "float", "double precision" }, { "float4", "real" }, { "decimal", "numeric" },
    { "varchar", "character varying" }, { "char varying", "character varying" },
    { "char", "character" }, { "bpchar", "character" },
    { "timestamptz", "timestamp with time zone" },
    { "timestamp", "timestamp without time zone" },
    { "timetz", "time with time zone" }, { "time", "time without time zone" },
    { "varbit", "bit varying" },
};

/*
 * The text lower-cased outside quotes, blanks collapsed to one space and
 * none next to brackets, so equal spellings compare equal as strings.
 */
static void normalize(pcsm_buf *out, const char *s, size_t len)
{
    size_t i;
    bool blank = false;

    for (i = 0; i < len; i++) {
        char c = s[i];

        if (c == '"' || c == '\'') {
            char q = c;

            if (blank && out->len && !strchr("([", out->ptr[out->len - 1]))
                pcsm_buf_putc(out, ' ');
            blank = false;
            pcsm_buf_putc(out, c);
            for (i++; i < len; i++) {
                pcsm_buf_putc(out, s[i]);
                if (s[i] == q && !(i + 1 < len && s[i + 1] == q))
                    break;
                if (s[i] == q)
                    pcsm_buf_putc(out, s[++i]);
            }
            continue;
        }
        if (isspace((unsigned char)c)) {
            blank = true;
            continue;
        }
        if (blank && out->len && !strchr("([,", out->ptr[out->len - 1]) && !strchr("()[],", c))
            pcsm_buf_putc(out, ' ');
        blank = false;
        pcsm_buf_putc(out, (char)tolower((unsigned char)c));
    }
}

/* Past the quoted name or string that starts at s (its doubled quotes inside). */
static const char *skip_quoted(const char *s)
{
    char q = *s++;

    while (*s && !(*s == q && s[1] != q))
        s += *s == q ? 2 : 1;
    return *s ? s + 1 : s;
}

/*
 * The first `stop` character of normalized text outside quotes and, when
 * `nested` is false, outside brackets; or its end.
 */
static const char *find_top(const char *s, const char *stop, bool nested)
{
    int depth = 0;

    while (*s && !(strchr(stop, *s) && (nested || depth == 0))) {
        if (*s == '"' || *s == '\'') {
            s = skip_quoted(s);
            continue;
        }
        depth += *s == '(' || *s == '[';
        depth -= (*s == ')' || *s == ']') && depth > 0;
        s++;
    }
    return s;
}

/* The length of the next word of normalized text. */
static size_t word_len(const char *s)
{
    return (size_t)(find_top(s, " ", false) - s);
}

static bool word_is(const char *s, size_t len, const char *word)
{
    return strlen(word) == len && !memcmp(s, word, len);
}

static bool is_mode(const char *s, size_t len)
{
    return word_is(s, len, "in") || word_is(s, len, "out") || word_is(s, len, "inout") ||
           word_is(s, len, "variadic");
}

static bool starts_multi_word(const char *s, size_t len)
{
    size_t i;

    for (i = 0; i < sizeof(multi_word_starts) / sizeof(*multi_word_starts); i++)
        if (word_is(s, len, multi_word_starts[i]))
            return true;
    return false;
}

/* A normalized type: modifiers ("(10,2)") dropped, the alias spelt out. */
static void put_type(pcsm_buf *out, const char *type)
{
    pcsm_buf base = PCSM_BUF_INIT;
    const char *p = type, *q, *suffix;
    size_t i, n;
    int depth = 0;

    while (*p) {
        if (*p == '"') {
            q = skip_quoted(p);
            if (depth == 0)
                pcsm_buf_put(&base, p, (size_t)(q - p));
            p = q;
            continue;
        }
        if (*p == '(')
            depth++;
        else if (*p == ')' && depth > 0)
            depth--;
        else if (depth == 0)
            pcsm_buf_putc(&base, *p);
        p++;
    }
    /* Array brackets stay, after the base name is spelt out. */
    suffix = find_top(base.ptr, "[", true);
    n = (size_t)(suffix - base.ptr);
    while (n && base.ptr[n - 1] == ' ')
        n--;
    for (i = 0; i < sizeof(aliases) / sizeof(*aliases); i++)
        if (word_is(base.ptr, n, aliases[i].alias))
            break;
    if (i < sizeof(aliases) / sizeof(*aliases))
        pcsm_buf_puts(out, aliases[i].name);
    else
        pcsm_buf_put(out, base.ptr, n);
    pcsm_buf_puts(out, suffix);
    pcsm_buf_dispose(&base);
}

/* Past a mode word (IN, OUT, INOUT, VARIADIC) at p, noting OUT. */
static const char *skip_mode(const char *p, bool *out_only)
{
    size_t n = word_len(p);

    if (!is_mode(p, n))
        return p;
    *out_only = word_is(p, n, "out");
    return p + n + (p[n] == ' ');
}

/* A name as the server keeps it: quotes taken off, or already folded. */
static void put_name(pcsm_buf *out, const char *name, size_t len)
{
    size_t i;

    if (!len || name[0] != '"') {
        pcsm_buf_put(out, name, len);
        return;
    }
    for (i = 1; i + 1 < len; i++) {
        if (name[i] == '"')
            i++;
        pcsm_buf_putc(out, name[i]);
    }
}

/*
 * One argument of normalized text: its input type appended to `types`
 * (comma-separated) and its name, "" when it has none, to `names`; nothing
 * for an OUT argument.
 */
static void put_argument(pcsm_buf *types, struct names *names, const char *arg)
{
    pcsm_buf type = PCSM_BUF_INIT, name = PCSM_BUF_INIT;
    const char *p, *end;
    bool out_only = false;
    size_t n;

    p = skip_mode(arg, &out_only);
    /* "name type": a first word followed by more that starts no type of several. */
    n = word_len(p);
    if (p[n] == ' ' && !starts_multi_word(p, n)) {
        put_name(&name, p, n);
        p = skip_mode(p + n + 1, &out_only);
    }
    /* The default goes: "= value" or "DEFAULT value". */
    end = find_top(p, "=", true);
    for (n = 0; p + n < end; n += word_len(p + n) + 1)
        if (word_is(p + n, word_len(p + n), "default"))
            break;
    if (p + n < end)
        end = p + n;
    pcsm_buf_put(&type, p, (size_t)(end - p));
    while (type.len && type.ptr[type.len - 1] == ' ')
        type.ptr[--type.len] = '\0';
    if (!out_only && type.len) {
        if (names->n)
            pcsm_buf_putc(types, ',');
        put_type(types, type.ptr);
        names->v = pcsm__xrealloc(names->v, (names->n + 2) * sizeof(*names->v));
        names->v[names->n++] = pcsm_buf_detach(&name);
        names->v[names->n] = NULL;
    }
    pcsm_buf_dispose(&type);
    pcsm_buf_dispose(&name);
}

/* Both identities of an argument list: the input types, and their names. */
static void split_arguments(const char *arguments, pcsm_buf *types, struct names *names)
{
    pcsm_buf norm = PCSM_BUF_INIT, arg = PCSM_BUF_INIT;
    const char *p, *end;

    normalize(&norm, arguments, strlen(arguments));
    for (p = norm.ptr; *p; p = *end ? end + 1 : end) {
        end = find_top(p, ",", false);
        while (*p == ' ')
            p++;
        pcsm_buf_clear(&arg);
        pcsm_buf_put(&arg, p, (size_t)(end - p));
        while (arg.len && arg.ptr[arg.len - 1] == ' ')
            arg.ptr[--arg.len] = '\0';
        put_argument(types, names, arg.ptr);
    }
    pcsm_buf_dispose(&norm);
    pcsm_buf_dispose(&arg);
}

char *pcsm_schema__signature(const char *arguments)
{
    pcsm_buf types = PCSM_BUF_INIT;
    struct names names = { NULL, 0 };

    split_arguments(arguments, &types, &names);
    pcsm_schema__free_names(names.v);
    return pcsm_buf_detach(&types);
}

char **pcsm_schema__argument_names(const char *arguments)
{
    pcsm_buf types = PCSM_BUF_INIT;
    struct names names = { NULL, 0 };

    split_arguments(arguments, &types, &names);
    pcsm_buf_dispose(&types);
    if (!names.v)
        names.v = pcsm__xcalloc(1, sizeof(*names.v));
    return names.v;
}

char *pcsm_schema__type_identity(const char *type)
{
    pcsm_buf norm = PCSM_BUF_INIT, out = PCSM_BUF_INIT;
    const char *p;

    normalize(&norm, type, strlen(type));
    p = norm.ptr;
    if (!strncmp(p, "setof ", 6)) {
        pcsm_buf_puts(&out, "setof ");
        p += 6;
    }
    put_type(&out, p);
    pcsm_buf_dispose(&norm);
    return pcsm_buf_detach(&out);
}
