/*
 * The inverse of the DDL API: a recorded operation back to the C call that
 * records it, in the house style of the revision files, for the tools that
 * write revisions (autogenerate, an Alembic importer).
 *
 * A statement is first built as a small tree (calls, compound literals,
 * macro lists, string literals) and then laid out: flat when it fits in
 * 100 columns, else broken after a comma and aligned as the revisions are.
 */
#include <ctype.h>
#include <limits.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "render/render.h"

#define WIDTH 100

enum node_kind {
    N_TEXT,                     /* C text without a newline */
    N_STR,                      /* bytes to write as a string literal */
    N_LIST,                     /* open, kids separated by ", ", close */
};

enum list_mode {
    M_GLUE,                     /* kids side by side, no separator, never broken */
    M_ALIGN,                    /* broken lines aligned after `open` */
    M_AUTO,                     /* M_ALIGN, or M_BLOCK with a multi-line string inside */
    M_BLOCK,                    /* a line break after `open`, kids one indent deeper */
    M_LINES,                    /* as M_BLOCK, each kid on a line of its own */
    M_EACH,                     /* as M_LINES, and never on one line */
};

struct node {
    enum node_kind kind;
    enum list_mode mode;
    char *text;                 /* N_TEXT, N_STR; N_LIST: the opening */
    const char *close;          /* N_LIST */
    struct node **kids;
    size_t n, cap;
};

/* ---------------------------------------------------------- string literals */

/* The length of the well-formed UTF-8 sequence at p (Unicode table 3-7), or 0. */
static size_t utf8_seq(const unsigned char *p)
{
    size_t len, i;
    unsigned char lo = 0x80, hi = 0xbf;

    if (p[0] >= 0xc2 && p[0] <= 0xdf)
        len = 2;
    else if (p[0] >= 0xe0 && p[0] <= 0xef)
        len = 3;
    else if (p[0] >= 0xf0 && p[0] <= 0xf4)
        len = 4;
    else
        return 0;
    if (p[0] == 0xe0)
        lo = 0xa0;
    else if (p[0] == 0xed)
        hi = 0x9f;
    else if (p[0] == 0xf0)
        lo = 0x90;
    else if (p[0] == 0xf4)
        hi = 0x8f;
    if (p[1] < lo || p[1] > hi)
        return 0;
    for (i = 2; i < len; i++)
        if (p[i] < 0x80 || p[i] > 0xbf)
            return 0;
    return len;
}

/*
 * U+061C, U+200E, U+200F, U+202A..U+202E, U+2066..U+2069: they reorder
 * what an editor shows (CVE-2021-42574), so a reader of the file would not
 * see the bytes the compiler reads; and gcc refuses them unpaired.
 */
static bool is_bidi_control(const unsigned char *p)
{
    if (p[0] == 0xd8 && p[1] == 0x9c)
        return true;
    if (p[0] != 0xe2)
        return false;
    if (p[1] == 0x80)
        return p[2] == 0x8e || p[2] == 0x8f || (p[2] >= 0xaa && p[2] <= 0xae);
    return p[1] == 0x81 && p[2] >= 0xa6 && p[2] <= 0xa9;
}

static size_t current_column(const pcsm_buf *out)
{
    size_t i = out->len;

    while (i > 0 && out->ptr[i - 1] != '\n')
        i--;
    return out->len - i;
}

/*
 * Octal escapes are always three digits, so a digit that follows is never
 * read as part of one; "\?" after '?' keeps "??=" from being a trigraph
 * where -std=c99 or c11 turns them on.  A byte that starts no well-formed
 * UTF-8 sequence is escaped too, so the file is valid UTF-8 whatever it holds.
 */
void pcsm_render__c_string(const char *s, pcsm_buf *out)
{
    const unsigned char *p = (const unsigned char *)s;
    size_t col = current_column(out), i, n;

    pcsm_buf_putc(out, '"');
    for (i = 0; p[i]; i++) {
        unsigned char c = p[i];

        switch (c) {
        case '\\':
            pcsm_buf_puts(out, "\\\\");
            break;
        case '"':
            pcsm_buf_puts(out, "\\\"");
            break;
        case '\t':
            pcsm_buf_puts(out, "\\t");
            break;
        case '\n':
            pcsm_buf_puts(out, "\\n");
            /* As the revisions write a body: one line of it to a literal. */
            if (p[i + 1]) {
                pcsm_buf_puts(out, "\"\n");
                pcsm_buf_printf(out, "%*s\"", (int)col, "");
            }
            break;
        case '?':
            pcsm_buf_puts(out, i > 0 && p[i - 1] == '?' ? "\\?" : "?");
            break;
        default:
            if (c < 0x20 || c == 0x7f) {
                pcsm_buf_printf(out, "\\%03o", c);
            } else if (c < 0x80) {
                pcsm_buf_putc(out, (char)c);
            } else if ((n = utf8_seq(p + i)) > 0 && !is_bidi_control(p + i)) {
                pcsm_buf_put(out, s + i, n);
                i += n - 1;
            } else {
                pcsm_buf_printf(out, "\\%03o", c);
            }
            break;
        }
    }
    pcsm_buf_putc(out, '"');
}

/* --------------------------------------------------------------- the tree */

static struct node *new_node(enum node_kind kind, char *text)
{
    struct node *n = pcsm__xcalloc(1, sizeof(*n));

    n->kind = kind;
    n->text = text;
    return n;
}

static void free_node(struct node *n)
{
    size_t i;

    for (i = 0; i < n->n; i++)
        free_node(n->kids[i]);
    free(n->kids);
    free(n->text);
    free(n);
}

static struct node *text(const char *fmt, ...) PCSM_PRINTF(1, 2);

static struct node *text(const char *fmt, ...)
{
    pcsm_buf b = PCSM_BUF_INIT;
    va_list ap;

    va_start(ap, fmt);
    pcsm_buf_vprintf(&b, fmt, ap);
    va_end(ap);
    return new_node(N_TEXT, pcsm_buf_detach(&b));
}

/* A string literal, or NULL. */
static struct node *str(const char *s)
{
    return s ? new_node(N_STR, pcsm__xstrdup(s)) : text("NULL");
}

static struct node *list(const char *open, const char *close, enum list_mode mode)
{
    struct node *n = new_node(N_LIST, pcsm__xstrdup(open));

    n->close = close;
    n->mode = mode;
    return n;
}

static struct node *add(struct node *parent, struct node *kid)
{
    pcsm__grow(&parent->kids, &parent->cap, parent->n + 1, sizeof(*parent->kids));
    parent->kids[parent->n++] = kid;
    return parent;
}

/* ".name = value" in a compound literal. */
static void field(struct node *literal, const char *name, struct node *value)
{
    struct node *f = list("", "", M_GLUE);

    add(f, text(".%s = ", name));
    add(literal, add(f, value));
}

static void field_str(struct node *literal, const char *name, const char *s)
{
    if (s)
        field(literal, name, str(s));
}

static void field_true(struct node *literal, const char *name, bool b)
{
    if (b)
        field(literal, name, text("true"));
}

/* A call of the API: pcsm_<name>(op, ...). */
static struct node *call(const char *name)
{
    return add(list(name, ");", M_ALIGN), text("op"));
}

static struct node *literal(const char *type)
{
    pcsm_buf open = PCSM_BUF_INIT;
    struct node *n;

    pcsm_buf_printf(&open, "&(%s){ ", type);
    n = list(open.ptr, " }", M_AUTO);
    pcsm_buf_dispose(&open);
    return n;
}

/* A literal the call takes by pointer, or NULL when it has nothing to say. */
static struct node *literal_or_null(struct node *n)
{
    if (n->n)
        return n;
    free_node(n);
    return text("NULL");
}

/* ----------------------------------------------------------------- layout */

/* The one-line form, false when there is none (a multi-line string). */
static bool flat(const struct node *n, pcsm_buf *out)
{
    size_t i;

    switch (n->kind) {
    case N_TEXT:
        pcsm_buf_puts(out, n->text);
        return true;
    case N_STR: {
        const char *nl = strchr(n->text, '\n');

        if (nl && nl[1])
            return false;
        pcsm_render__c_string(n->text, out);
        return true;
    }
    case N_LIST:
        if (n->mode == M_EACH)
            return false;
        pcsm_buf_puts(out, n->text);
        for (i = 0; i < n->n; i++) {
            if (i && n->mode != M_GLUE)
                pcsm_buf_puts(out, ", ");
            if (!flat(n->kids[i], out))
                return false;
        }
        pcsm_buf_puts(out, n->close);
        return true;
    }
    return false;
}

/* The width of the one-line form, or SIZE_MAX. */
static size_t flat_width(const struct node *n)
{
    pcsm_buf b = PCSM_BUF_INIT;
    size_t w = flat(n, &b) ? b.len : SIZE_MAX;

    pcsm_buf_dispose(&b);
    return w;
}

static bool fits(size_t col, size_t width, size_t trail)
{
    return width != SIZE_MAX && col + width + trail <= WIDTH;
}

static void newline(pcsm_buf *out, size_t col)
{
    pcsm_buf_printf(out, "\n%*s", (int)col, "");
}

/*
 * How a list breaks when it must, its first kid at column `align`: an
 * M_AUTO literal is aligned unless a kid cannot be, a multi-line string or
 * one too wide for what is left of the line.
 */
static enum list_mode effective_mode(const struct node *n, size_t align)
{
    size_t i;

    if (n->kind != N_LIST)
        return M_GLUE;
    if (n->mode == M_AUTO) {
        for (i = 0; i < n->n; i++)
            if (!fits(align, flat_width(n->kids[i]), 1))
                return M_BLOCK;
        return M_ALIGN;
    }
    if (n->mode == M_GLUE && n->n)
        return effective_mode(n->kids[n->n - 1], align);
    return n->mode;
}

/* Whether kid, at column col and not flat, puts its kids on lines of their own. */
static bool opens_block(const struct node *kid, size_t col, size_t trail)
{
    enum list_mode mode;

    if (kid->kind != N_LIST || fits(col, flat_width(kid), trail))
        return false;
    mode = effective_mode(kid, col + strlen(kid->text));
    return mode == M_BLOCK || mode == M_LINES || mode == M_EACH;
}

/* Whether n can be laid out from column col, aligned, within the width. */
static bool fits_here(const struct node *n, size_t col, size_t trail)
{
    size_t i, w, align;

    if (fits(col, flat_width(n), trail))
        return true;
    if (n->kind != N_LIST || !n->n)
        return false;
    align = col + strlen(n->text);
    if (n->mode == M_GLUE) {
        for (i = 0; i + 1 < n->n; i++) {
            if ((w = flat_width(n->kids[i])) == SIZE_MAX)
                return false;
            align += w;
        }
        return fits_here(n->kids[n->n - 1], align, trail + strlen(n->close));
    }
    if (effective_mode(n, align) != M_ALIGN)
        return false;
    for (i = 0; i < n->n; i++)
        if (!fits_here(n->kids[i], align, i + 1 == n->n ? strlen(n->close) + trail : 1))
            return false;
    return true;
}

/*
 * Lays n out from the current column of out; `indent` is where the current
 * line's statement or block starts, `trail` how many characters must follow
 * n on its last line (a comma, the closing of the lists around it).
 */
static void layout(const struct node *n, size_t indent, size_t trail, pcsm_buf *out)
{
    size_t col = current_column(out), i, align, kid_indent;
    enum list_mode mode = n->mode;
    bool after_text_block = false;

    if (fits(col, flat_width(n), trail)) {
        flat(n, out);
        return;
    }
    if (n->kind == N_TEXT) {
        pcsm_buf_puts(out, n->text);
        return;
    }
    if (n->kind == N_STR) {
        pcsm_render__c_string(n->text, out);
        return;
    }
    pcsm_buf_puts(out, n->text);
    if (mode == M_GLUE) {
        for (i = 0; i < n->n; i++) {
            size_t later = trail + strlen(n->close), k, w;

            for (k = i + 1; k < n->n; k++)
                if ((w = flat_width(n->kids[k])) != SIZE_MAX)
                    later += w;
            layout(n->kids[i], indent, later, out);
        }
        pcsm_buf_puts(out, n->close);
        return;
    }
    mode = effective_mode(n, col + strlen(n->text));
    if (mode == M_ALIGN) {
        align = current_column(out);
        kid_indent = indent;
    } else {
        /* "{ " opens a block as "{": the line break stands for the blank. */
        if (out->len && out->ptr[out->len - 1] == ' ')
            out->ptr[--out->len] = '\0';
        align = kid_indent = indent + 4;
        newline(out, align);
    }
    for (i = 0; i < n->n; i++) {
        const struct node *kid = n->kids[i];
        bool last = i + 1 == n->n;
        size_t kid_trail = last ? strlen(n->close) + trail : 1, start;

        if (i) {
            pcsm_buf_putc(out, ',');
            /*
             * Each on its line; else a break before a kid that does not fit
             * where it is, unless it opens a block of its own there.
             */
            if (mode == M_EACH || mode == M_LINES || after_text_block ||
                (!fits_here(kid, current_column(out) + 1, kid_trail) &&
                 current_column(out) + 1 > align && !opens_block(kid, align, kid_trail)))
                newline(out, align);
            else
                pcsm_buf_putc(out, ' ');
        }
        start = out->len;
        layout(kid, kid_indent, kid_trail, out);
        /* After a string of several lines (a body), the next field starts a line. */
        after_text_block = (kid->kind != N_LIST || kid->mode == M_GLUE) &&
                           memchr(out->ptr + start, '\n', out->len - start);
    }
    pcsm_buf_puts(out, n->close);
}

/* ------------------------------------------------------------ the pieces */

static const char *type_kind_name(enum pcsm_type_kind k)
{
    static const char *const names[] = {
        [PCSM_TYPE_NONE] = "PCSM_TYPE_NONE", [PCSM_TYPE_UUID] = "PCSM_TYPE_UUID",
        [PCSM_TYPE_VARCHAR] = "PCSM_TYPE_VARCHAR", [PCSM_TYPE_CHAR] = "PCSM_TYPE_CHAR",
        [PCSM_TYPE_TEXT] = "PCSM_TYPE_TEXT", [PCSM_TYPE_BOOLEAN] = "PCSM_TYPE_BOOLEAN",
        [PCSM_TYPE_SMALLINT] = "PCSM_TYPE_SMALLINT", [PCSM_TYPE_INTEGER] = "PCSM_TYPE_INTEGER",
        [PCSM_TYPE_BIGINT] = "PCSM_TYPE_BIGINT", [PCSM_TYPE_NUMERIC] = "PCSM_TYPE_NUMERIC",
        [PCSM_TYPE_REAL] = "PCSM_TYPE_REAL", [PCSM_TYPE_DOUBLE] = "PCSM_TYPE_DOUBLE",
        [PCSM_TYPE_JSON] = "PCSM_TYPE_JSON", [PCSM_TYPE_JSONB] = "PCSM_TYPE_JSONB",
        [PCSM_TYPE_BYTEA] = "PCSM_TYPE_BYTEA", [PCSM_TYPE_DATE] = "PCSM_TYPE_DATE",
        [PCSM_TYPE_TIME] = "PCSM_TYPE_TIME", [PCSM_TYPE_TIMESTAMP] = "PCSM_TYPE_TIMESTAMP",
        [PCSM_TYPE_TIMESTAMPTZ] = "PCSM_TYPE_TIMESTAMPTZ",
        [PCSM_TYPE_INTERVAL] = "PCSM_TYPE_INTERVAL", [PCSM_TYPE_NAMED] = "PCSM_TYPE_NAMED",
        [PCSM_TYPE_TSVECTOR] = "PCSM_TYPE_TSVECTOR", [PCSM_TYPE_TSQUERY] = "PCSM_TYPE_TSQUERY",
        [PCSM_TYPE_INET] = "PCSM_TYPE_INET", [PCSM_TYPE_CIDR] = "PCSM_TYPE_CIDR",
        [PCSM_TYPE_MACADDR] = "PCSM_TYPE_MACADDR", [PCSM_TYPE_MACADDR8] = "PCSM_TYPE_MACADDR8",
        [PCSM_TYPE_MONEY] = "PCSM_TYPE_MONEY", [PCSM_TYPE_XML] = "PCSM_TYPE_XML",
        [PCSM_TYPE_OID] = "PCSM_TYPE_OID", [PCSM_TYPE_TIMETZ] = "PCSM_TYPE_TIMETZ",
        [PCSM_TYPE_BIT] = "PCSM_TYPE_BIT", [PCSM_TYPE_VARBIT] = "PCSM_TYPE_VARBIT",
        [PCSM_TYPE_INT4RANGE] = "PCSM_TYPE_INT4RANGE",
        [PCSM_TYPE_INT8RANGE] = "PCSM_TYPE_INT8RANGE",
        [PCSM_TYPE_NUMRANGE] = "PCSM_TYPE_NUMRANGE", [PCSM_TYPE_TSRANGE] = "PCSM_TYPE_TSRANGE",
        [PCSM_TYPE_TSTZRANGE] = "PCSM_TYPE_TSTZRANGE",
        [PCSM_TYPE_DATERANGE] = "PCSM_TYPE_DATERANGE",
        [PCSM_TYPE_SMALLSERIAL] = "PCSM_TYPE_SMALLSERIAL",
        [PCSM_TYPE_SERIAL] = "PCSM_TYPE_SERIAL", [PCSM_TYPE_BIGSERIAL] = "PCSM_TYPE_BIGSERIAL",
    };

    return names[k];
}

/* PCSM_VARCHAR(255), PCSM_ARRAY(PCSM_TEXT), PCSM_NAMED_TYPE("mood"). */
static struct node *type_node(pcsm_type t)
{
    bool timed = t.kind == PCSM_TYPE_TIME || t.kind == PCSM_TYPE_TIMETZ ||
                 t.kind == PCSM_TYPE_TIMESTAMP || t.kind == PCSM_TYPE_TIMESTAMPTZ ||
                 t.kind == PCSM_TYPE_INTERVAL;
    bool sized = t.kind == PCSM_TYPE_VARCHAR || t.kind == PCSM_TYPE_CHAR ||
                 t.kind == PCSM_TYPE_NUMERIC || t.kind == PCSM_TYPE_BIT ||
                 t.kind == PCSM_TYPE_VARBIT || (timed && t.p >= PCSM_PRECISION_ZERO);
    struct node *n;
    int d;

    /* What no macro writes (a precision on text, say) is written field by field. */
    if (t.kind == PCSM_TYPE_NONE || (!sized && t.p) || (t.kind != PCSM_TYPE_NUMERIC && t.s) ||
        (t.kind == PCSM_TYPE_NAMED) != (t.name != NULL) || t.array_dims < 0 ||
        (t.kind != PCSM_TYPE_NAMED && (t.schema || t.modifiers))) {
        n = list("(pcsm_type){ ", " }", M_ALIGN);
        field(n, "kind", text("%s", type_kind_name(t.kind)));
        if (t.p)
            field(n, "p", text("%d", t.p));
        if (t.s)
            field(n, "s", text("%d", t.s));
        if (t.array_dims)
            field(n, "array_dims", text("%d", t.array_dims));
        field_str(n, "name", t.name);
        field_str(n, "schema", t.schema);
        field_str(n, "modifiers", t.modifiers);
        return n;
    }
    switch (t.kind) {
    case PCSM_TYPE_VARCHAR:
        n = text("PCSM_VARCHAR(%d)", t.p);
        break;
    case PCSM_TYPE_CHAR:
        n = text("PCSM_CHAR(%d)", t.p);
        break;
    case PCSM_TYPE_NUMERIC:
        n = text("PCSM_NUMERIC(%d, %d)", t.p, t.s);
        break;
    case PCSM_TYPE_NAMED:
        if (t.modifiers) {
            n = list("PCSM_CUSTOM_TYPE(", ")", M_ALIGN);
            add(n, t.schema ? str(t.schema) : text("NULL"));
            add(n, str(t.name));
            add(n, str(t.modifiers));
        } else if (t.schema) {
            n = add(add(list("PCSM_TYPE_IN(", ")", M_ALIGN), str(t.schema)), str(t.name));
        } else {
            n = add(list("PCSM_NAMED_TYPE(", ")", M_ALIGN), str(t.name));
        }
        break;
    case PCSM_TYPE_BIT:
        n = text("PCSM_BIT(%d)", t.p);
        break;
    case PCSM_TYPE_VARBIT:
        n = text("PCSM_VARBIT(%d)", t.p);
        break;
    case PCSM_TYPE_TIME: case PCSM_TYPE_TIMETZ: case PCSM_TYPE_TIMESTAMP:
    case PCSM_TYPE_TIMESTAMPTZ: case PCSM_TYPE_INTERVAL:
        if (t.p)
            n = text("PCSM_%s_P(%d)", type_kind_name(t.kind) + strlen("PCSM_TYPE_"),
                     t.p == PCSM_PRECISION_ZERO ? 0 : t.p);
        else
            n = text("PCSM_%s", type_kind_name(t.kind) + strlen("PCSM_TYPE_"));
        break;
    default:
        /* PCSM_TYPE_TEXT is PCSM_TEXT, and so on. */
        n = text("PCSM_%s", type_kind_name(t.kind) + strlen("PCSM_TYPE_"));
        break;
    }
    for (d = 0; d < t.array_dims; d++)
        n = add(list("PCSM_ARRAY(", ")", M_ALIGN), n);
    return n;
}

static struct node *value_node(pcsm_value v)
{
    static const char *const kinds[] = {
        [PCSM_VALUE_NONE] = "PCSM_VALUE_NONE", [PCSM_VALUE_EXPR] = "PCSM_VALUE_EXPR",
        [PCSM_VALUE_LITERAL] = "PCSM_VALUE_LITERAL", [PCSM_VALUE_NULL] = "PCSM_VALUE_NULL",
    };

    if (v.kind == PCSM_VALUE_EXPR && v.text)
        return add(list("PCSM_EXPR(", ")", M_ALIGN), str(v.text));
    if (v.kind == PCSM_VALUE_LITERAL && v.text)
        return add(list("PCSM_LITERAL(", ")", M_ALIGN), str(v.text));
    if (v.kind == PCSM_VALUE_NULL && !v.text)
        return text("PCSM_NULL");
    return add(add(list("(pcsm_value){ ", " }", M_ALIGN), text("%s", kinds[v.kind])),
               str(v.text));
}

/* A long long as a constant of that type: LLONG_MIN has no literal of its own. */
static struct node *integer(long long v)
{
    if (v == LLONG_MIN)
        return text("(-%lld - 1)", LLONG_MAX);
    return text("%lld", v);
}

/* PCSM_NAMES("a", "b"), or NULL. */
static struct node *names_node(const char *macro, const char *const *names)
{
    struct node *n;
    size_t i;

    if (!names)
        return text("NULL");
    if (!names[0])
        return text("(const char *const[]){ NULL }");
    n = list(macro, ")", M_ALIGN);
    for (i = 0; names[i]; i++)
        add(n, str(names[i]));
    return n;
}

static const char *fk_action_name(enum pcsm_fk_action a)
{
    static const char *const names[] = {
        [PCSM_FK_DEFAULT] = "PCSM_FK_DEFAULT", [PCSM_NO_ACTION] = "PCSM_NO_ACTION",
        [PCSM_RESTRICT] = "PCSM_RESTRICT", [PCSM_CASCADE] = "PCSM_CASCADE",
        [PCSM_SET_NULL] = "PCSM_SET_NULL", [PCSM_SET_DEFAULT] = "PCSM_SET_DEFAULT",
    };

    return names[a];
}

static void field_action(struct node *literal, const char *name, enum pcsm_fk_action a)
{
    if (a != PCSM_FK_DEFAULT)
        field(literal, name, text("%s", fk_action_name(a)));
}

static struct node *seq_value(pcsm_seq_value v)
{
    struct node *n;

    if (v.set)
        return add(list("PCSM_SEQ_VALUE(", ")", M_GLUE), integer(v.value));
    n = list("{ ", " }", M_ALIGN);
    field(n, "value", integer(v.value));
    return n;
}

static bool seq_value_given(pcsm_seq_value v)
{
    return v.set || v.value;
}

/* The fields of a pcsm_sequence_options that are not zero, into literal. */
static void sequence_fields(struct node *literal, const pcsm_sequence_options *o)
{
    if (o->as.kind != PCSM_TYPE_NONE || o->as.p || o->as.s || o->as.array_dims || o->as.name)
        field(literal, "as", type_node(o->as));
    if (o->increment)
        field(literal, "increment", integer(o->increment));
    if (seq_value_given(o->minvalue))
        field(literal, "minvalue", seq_value(o->minvalue));
    if (seq_value_given(o->maxvalue))
        field(literal, "maxvalue", seq_value(o->maxvalue));
    if (seq_value_given(o->start))
        field(literal, "start", seq_value(o->start));
    if (seq_value_given(o->restart))
        field(literal, "restart", seq_value(o->restart));
    if (o->cache)
        field(literal, "cache", integer(o->cache));
    if (o->cycle != PCSM_CYCLE_DEFAULT)
        field(literal, "cycle", text("%s", o->cycle == PCSM_CYCLE ? "PCSM_CYCLE"
                                           : o->cycle == PCSM_NO_CYCLE ? "PCSM_NO_CYCLE"
                                           : "PCSM_CYCLE_DEFAULT"));
}

static const char *identity_name(enum pcsm_identity i)
{
    return i == PCSM_IDENTITY_ALWAYS ? "PCSM_IDENTITY_ALWAYS"
         : i == PCSM_IDENTITY_BY_DEFAULT ? "PCSM_IDENTITY_BY_DEFAULT" : "PCSM_IDENTITY_NONE";
}

/* `{ .name = ... }`: an element of PCSM_COLUMNS, or after &(pcsm_column). */
static struct node *column_node(const pcsm_column *c, const char *open)
{
    struct node *n = list(open, " }", M_AUTO), *opts;

    field_str(n, "name", c->name);
    field(n, "type", type_node(c->type));
    field_true(n, "not_null", c->not_null);
    field_true(n, "primary_key", c->primary_key);
    field_true(n, "unique", c->unique);
    if (c->default_value.kind != PCSM_VALUE_NONE || c->default_value.text)
        field(n, "default_value", value_node(c->default_value));
    field_str(n, "references", c->references);
    field_str(n, "ref_schema", c->ref_schema);
    field_str(n, "ref_column", c->ref_column);
    field_action(n, "on_delete", c->on_delete);
    field_action(n, "on_update", c->on_update);
    field_str(n, "check", c->check);
    field_str(n, "comment", c->comment);
    if (c->identity != PCSM_IDENTITY_NONE)
        field(n, "identity", text("%s", identity_name(c->identity)));
    opts = list("{ ", " }", M_AUTO);
    sequence_fields(opts, &c->identity_options);
    if (opts->n)
        field(n, "identity_options", opts);
    else
        free_node(opts);
    field_str(n, "generated", c->generated);
    field_str(n, "collation", c->collation);
    return n;
}

/* Each element of e into l, as `{ .column = ... }`. */
static struct node *add_elements(struct node *l, const pcsm_index_element *e)
{
    for (; e->column || e->expression; e++) {
        struct node *n = list("{ ", " }", M_AUTO);

        field_str(n, "column", e->column);
        field_str(n, "expression", e->expression);
        field_str(n, "collation", e->collation);
        field_str(n, "opclass", e->opclass);
        field_true(n, "descending", e->descending);
        if (e->nulls != PCSM_NULLS_DEFAULT)
            field(n, "nulls", text("%s", e->nulls == PCSM_NULLS_FIRST ? "PCSM_NULLS_FIRST"
                                                                     : "PCSM_NULLS_LAST"));
        field_str(n, "with", e->with);
        add(l, n);
    }
    return l;
}

static struct node *elements_node(const pcsm_index_element *e)
{
    return add_elements(list("PCSM_ELEMENTS(", ")", M_LINES), e);
}

/* PCSM_PARTITION_BY(PCSM_PARTITION_RANGE, { .column = "at" }). */
static struct node *partition_key_node(enum pcsm_partition_strategy strategy,
                                       const pcsm_index_element *key)
{
    static const char *const names[] = {
        [PCSM_PARTITION_NONE] = "PCSM_PARTITION_NONE",
        [PCSM_PARTITION_RANGE] = "PCSM_PARTITION_RANGE",
        [PCSM_PARTITION_LIST] = "PCSM_PARTITION_LIST",
        [PCSM_PARTITION_HASH] = "PCSM_PARTITION_HASH",
    };

    return add_elements(add(list("PCSM_PARTITION_BY(", ")", M_LINES),
                            text("%s", names[strategy])), key);
}

static const char *constraint_kind_name(enum pcsm_constraint_kind k)
{
    static const char *const names[] = {
        [PCSM_CONSTRAINT_NONE] = "PCSM_CONSTRAINT_NONE", [PCSM_PRIMARY_KEY] = "PCSM_PRIMARY_KEY",
        [PCSM_UNIQUE] = "PCSM_UNIQUE", [PCSM_FOREIGN_KEY] = "PCSM_FOREIGN_KEY",
        [PCSM_CHECK] = "PCSM_CHECK", [PCSM_EXCLUDE] = "PCSM_EXCLUDE",
    };

    return names[k];
}

static struct node *constraint_node(const pcsm_constraint *c, const char *open)
{
    struct node *n = list(open, " }", M_AUTO);

    field(n, "kind", text("%s", constraint_kind_name(c->kind)));
    field_str(n, "name", c->name);
    if (c->columns)
        field(n, "columns", names_node("PCSM_NAMES(", c->columns));
    field_str(n, "references", c->references);
    field_str(n, "ref_schema", c->ref_schema);
    if (c->ref_columns)
        field(n, "ref_columns", names_node("PCSM_NAMES(", c->ref_columns));
    field_action(n, "on_delete", c->on_delete);
    field_action(n, "on_update", c->on_update);
    field_str(n, "check", c->check);
    field_true(n, "deferrable", c->deferrable);
    field_true(n, "not_valid", c->not_valid);
    field_true(n, "nulls_not_distinct", c->nulls_not_distinct);
    if (c->elements)
        field(n, "elements", elements_node(c->elements));
    field_str(n, "method", c->method);
    field_str(n, "where", c->where);
    return n;
}

/* Bits by name, " | " between them; 0 for none. */
static struct node *bits_node(unsigned bits, const unsigned *values, const char *const *names,
                              size_t n_names)
{
    pcsm_buf b = PCSM_BUF_INIT;
    size_t i;

    for (i = 0; i < n_names; i++)
        if (bits & values[i]) {
            pcsm_buf_printf(&b, "%s%s", b.len ? " | " : "", names[i]);
            bits &= ~values[i];
        }
    if (bits || !b.len)
        pcsm_buf_printf(&b, "%s%#xu", b.len ? " | " : "", bits);
    return new_node(N_TEXT, pcsm_buf_detach(&b));
}

static struct node *flags_node(unsigned flags)
{
    static const unsigned values[] = {
        PCSM_IF_EXISTS, PCSM_DROP_CASCADE, PCSM_DROP_CONCURRENTLY, PCSM_IF_NOT_EXISTS,
        PCSM_CREATE_CASCADE, PCSM_REFRESH_CONCURRENTLY, PCSM_REFRESH_NO_DATA,
    };
    static const char *const names[] = {
        "PCSM_IF_EXISTS", "PCSM_DROP_CASCADE", "PCSM_DROP_CONCURRENTLY", "PCSM_IF_NOT_EXISTS",
        "PCSM_CREATE_CASCADE", "PCSM_REFRESH_CONCURRENTLY", "PCSM_REFRESH_NO_DATA",
    };

    if (!flags)
        return text("0");
    return bits_node(flags, values, names, sizeof(values) / sizeof(*values));
}

static struct node *events_node(unsigned events)
{
    static const unsigned values[] = {
        PCSM_ON_INSERT, PCSM_ON_UPDATE, PCSM_ON_DELETE, PCSM_ON_TRUNCATE,
    };
    static const char *const names[] = {
        "PCSM_ON_INSERT", "PCSM_ON_UPDATE", "PCSM_ON_DELETE", "PCSM_ON_TRUNCATE",
    };

    return bits_node(events, values, names, sizeof(values) / sizeof(*values));
}

static struct node *place_node(pcsm_enum_place p)
{
    if (p.where == PCSM_ENUM_END && !p.label)
        return text("PCSM_AT_END");
    if (p.where == PCSM_ENUM_BEFORE && p.label)
        return add(list("PCSM_BEFORE_LABEL(", ")", M_ALIGN), str(p.label));
    if (p.where == PCSM_ENUM_AFTER && p.label)
        return add(list("PCSM_AFTER_LABEL(", ")", M_ALIGN), str(p.label));
    return add(add(list("(pcsm_enum_place){ ", " }", M_ALIGN), text("%d", (int)p.where)),
               str(p.label));
}

static const char *volatility_name(enum pcsm_volatility v)
{
    static const char *const names[] = {
        [PCSM_VOLATILITY_DEFAULT] = "PCSM_VOLATILITY_DEFAULT", [PCSM_IMMUTABLE] = "PCSM_IMMUTABLE",
        [PCSM_STABLE] = "PCSM_STABLE", [PCSM_VOLATILE] = "PCSM_VOLATILE",
    };

    return names[v];
}

static const char *timing_name(enum pcsm_trigger_timing t)
{
    static const char *const names[] = {
        [PCSM_TIMING_NONE] = "PCSM_TIMING_NONE", [PCSM_BEFORE] = "PCSM_BEFORE",
        [PCSM_AFTER] = "PCSM_AFTER", [PCSM_INSTEAD_OF] = "PCSM_INSTEAD_OF",
    };

    return names[t];
}

static struct node *view_node(const pcsm_view *v)
{
    struct node *n = literal("pcsm_view");

    field_str(n, "name", v->name);
    if (v->columns)
        field(n, "columns", names_node("PCSM_NAMES(", v->columns));
    field_str(n, "query", v->query);
    if (v->reads)
        field(n, "reads", names_node("PCSM_NAMES(", v->reads));
    field_true(n, "or_replace", v->or_replace);
    field_true(n, "no_data", v->no_data);
    return n;
}

/* ------------------------------------------------------------ operations */

static struct node *constraints_node(const pcsm_constraint *c, size_t n_constraints)
{
    struct node *cons = list("PCSM_CONSTRAINTS(", ")", M_LINES);
    size_t i;

    for (i = 0; i < n_constraints; i++)
        add(cons, constraint_node(&c[i], "{ "));
    return cons;
}

static struct node *create_table_node(const struct pcsm_ddl_create_table *t)
{
    struct node *n, *cols = t->n_columns ? list("PCSM_COLUMNS(", ")", M_EACH) : text("NULL");
    size_t i;

    n = call(t->strategy ? "pcsm_create_partitioned_table("
             : t->inherits ? "pcsm_create_table_inherits(" : "pcsm_create_table(");
    add(n, str(t->table));
    if (t->strategy)
        add(n, partition_key_node(t->strategy, t->key));
    if (t->inherits)
        add(n, names_node("PCSM_NAMES(", t->inherits));
    for (i = 0; i < t->n_columns; i++)
        add(cols, column_node(&t->columns[i], "{ "));
    add(n, cols);
    add(n, t->n_constraints ? constraints_node(t->constraints, t->n_constraints) : text("NULL"));
    return add(n, str(t->comment));
}

static struct node *create_partition_node(const struct pcsm_ddl_create_partition *cp)
{
    struct node *n = literal("pcsm_partition");

    field_str(n, "name", cp->table);
    field_str(n, "parent", cp->parent);
    field_str(n, "bound", cp->bound);
    if (cp->strategy)
        field(n, "partition_by", partition_key_node(cp->strategy, cp->key));
    if (cp->n_constraints)
        field(n, "constraints", constraints_node(cp->constraints, cp->n_constraints));
    field_str(n, "comment", cp->comment);
    return add(call("pcsm_create_partition("), n);
}

static struct node *index_node(const pcsm_index *ix)
{
    struct node *n = literal("pcsm_index");

    field_str(n, "name", ix->name);
    field_str(n, "table", ix->table);
    if (ix->columns)
        field(n, "columns", names_node("PCSM_NAMES(", ix->columns));
    field_str(n, "expression", ix->expression);
    field_true(n, "unique", ix->unique);
    field_true(n, "concurrently", ix->concurrently);
    field_true(n, "if_not_exists", ix->if_not_exists);
    field_str(n, "method", ix->method);
    field_str(n, "where", ix->where);
    if (ix->elements)
        field(n, "elements", elements_node(ix->elements));
    field_true(n, "nulls_not_distinct", ix->nulls_not_distinct);
    field_true(n, "only", ix->only);
    return n;
}

static struct node *function_node(const pcsm_function *f)
{
    struct node *n = literal("pcsm_function");

    field_str(n, "name", f->name);
    field_str(n, "arguments", f->arguments);
    field_str(n, "returns", f->returns);
    field_str(n, "language", f->language);
    field_str(n, "body", f->body);
    if (f->volatility != PCSM_VOLATILITY_DEFAULT)
        field(n, "volatility", text("%s", volatility_name(f->volatility)));
    field_true(n, "strict", f->strict);
    field_true(n, "security_definer", f->security_definer);
    field_true(n, "or_replace", f->or_replace);
    return n;
}

static struct node *collation_node(const pcsm_collation *c)
{
    struct node *n = literal("pcsm_collation");

    field_str(n, "name", c->name);
    if (c->provider == PCSM_PROVIDER_ICU)
        field(n, "provider", text("PCSM_PROVIDER_ICU"));
    field_str(n, "locale", c->locale);
    field_str(n, "lc_collate", c->lc_collate);
    field_str(n, "lc_ctype", c->lc_ctype);
    field_true(n, "nondeterministic", c->nondeterministic);
    return n;
}

static struct node *trigger_node(const pcsm_trigger *t)
{
    struct node *n = literal("pcsm_trigger");

    field_str(n, "name", t->name);
    field_str(n, "table", t->table);
    if (t->timing != PCSM_TIMING_NONE)
        field(n, "timing", text("%s", timing_name(t->timing)));
    if (t->events)
        field(n, "events", events_node(t->events));
    field_true(n, "for_each_row", t->for_each_row);
    field_str(n, "function", t->function);
    field_str(n, "when", t->when);
    field_str(n, "function_schema", t->function_schema);
    return n;
}

static struct node *policy_node(const pcsm_policy *p)
{
    static const char *const commands[] = {
        [PCSM_POLICY_ALL] = "PCSM_POLICY_ALL", [PCSM_POLICY_SELECT] = "PCSM_POLICY_SELECT",
        [PCSM_POLICY_INSERT] = "PCSM_POLICY_INSERT", [PCSM_POLICY_UPDATE] = "PCSM_POLICY_UPDATE",
        [PCSM_POLICY_DELETE] = "PCSM_POLICY_DELETE",
    };
    struct node *n = literal("pcsm_policy");

    field_str(n, "name", p->name);
    field_str(n, "table", p->table);
    if (p->command != PCSM_POLICY_ALL)
        field(n, "command", text("%s", commands[p->command]));
    field_true(n, "restrictive", p->restrictive);
    if (p->roles)
        field(n, "roles", names_node("PCSM_NAMES(", p->roles));
    field_str(n, "using", p->using);
    field_str(n, "with_check", p->with_check);
    return n;
}

static const char *privilege_object_name(enum pcsm_privilege_object on)
{
    static const char *const names[] = {
        [PCSM_PRIVILEGE_NONE] = "PCSM_PRIVILEGE_NONE",
        [PCSM_PRIVILEGE_TABLE] = "PCSM_PRIVILEGE_TABLE",
        [PCSM_PRIVILEGE_SEQUENCE] = "PCSM_PRIVILEGE_SEQUENCE",
        [PCSM_PRIVILEGE_FUNCTION] = "PCSM_PRIVILEGE_FUNCTION",
        [PCSM_PRIVILEGE_TYPE] = "PCSM_PRIVILEGE_TYPE",
    };

    return names[on];
}

/* PCSM_PRIV_ALL when they are all the object takes, as the recorder made them. */
static struct node *privileges_node(enum pcsm_privilege_object on, unsigned privileges,
                                    bool columns)
{
    static const unsigned values[] = {
        PCSM_PRIV_SELECT, PCSM_PRIV_INSERT, PCSM_PRIV_UPDATE, PCSM_PRIV_DELETE,
        PCSM_PRIV_TRUNCATE, PCSM_PRIV_REFERENCES, PCSM_PRIV_TRIGGER, PCSM_PRIV_USAGE,
        PCSM_PRIV_EXECUTE,
    };
    static const char *const names[] = {
        "PCSM_PRIV_SELECT", "PCSM_PRIV_INSERT", "PCSM_PRIV_UPDATE", "PCSM_PRIV_DELETE",
        "PCSM_PRIV_TRUNCATE", "PCSM_PRIV_REFERENCES", "PCSM_PRIV_TRIGGER", "PCSM_PRIV_USAGE",
        "PCSM_PRIV_EXECUTE",
    };

    if (privileges == pcsm_op__privileges_of(on, columns))
        return text("PCSM_PRIV_ALL");
    return bits_node(privileges, values, names, sizeof(values) / sizeof(*values));
}

static struct node *grant_node(const pcsm_privileges *g)
{
    struct node *n = literal("pcsm_privileges");

    field(n, "on", text("%s", privilege_object_name(g->on)));
    field_str(n, "name", g->name);
    field_str(n, "arguments", g->arguments);
    if (g->columns)
        field(n, "columns", names_node("PCSM_NAMES(", g->columns));
    field(n, "privileges", privileges_node(g->on, g->privileges, g->columns != NULL));
    field(n, "roles", names_node("PCSM_NAMES(", g->roles));
    field_true(n, "grant_option", g->grant_option);
    return n;
}

static struct node *default_privileges_node(const pcsm_default_privileges *d)
{
    struct node *n = literal("pcsm_default_privileges");

    field(n, "on", text("%s", privilege_object_name(d->on)));
    field(n, "privileges", privileges_node(d->on, d->privileges, false));
    field(n, "roles", names_node("PCSM_NAMES(", d->roles));
    field_true(n, "grant_option", d->grant_option);
    field_true(n, "in_schema", d->in_schema);
    field_str(n, "for_role", d->for_role);
    return n;
}

static const char *trigger_firing_name(enum pcsm_trigger_firing firing)
{
    static const char *const names[] = {
        [PCSM_TRIGGER_ENABLE] = "PCSM_TRIGGER_ENABLE",
        [PCSM_TRIGGER_DISABLE] = "PCSM_TRIGGER_DISABLE",
        [PCSM_TRIGGER_ENABLE_REPLICA] = "PCSM_TRIGGER_ENABLE_REPLICA",
        [PCSM_TRIGGER_ENABLE_ALWAYS] = "PCSM_TRIGGER_ENABLE_ALWAYS",
    };

    return names[firing];
}

static const char *row_security_name(enum pcsm_row_security how)
{
    static const char *const names[] = {
        [PCSM_ROW_SECURITY_NONE] = "PCSM_ROW_SECURITY_NONE",
        [PCSM_ROW_SECURITY_ENABLE] = "PCSM_ROW_SECURITY_ENABLE",
        [PCSM_ROW_SECURITY_DISABLE] = "PCSM_ROW_SECURITY_DISABLE",
        [PCSM_ROW_SECURITY_FORCE] = "PCSM_ROW_SECURITY_FORCE",
        [PCSM_ROW_SECURITY_NO_FORCE] = "PCSM_ROW_SECURITY_NO_FORCE",
    };

    return names[how];
}

static struct node *sequence_node(const pcsm_sequence_options *o)
{
    struct node *n = literal("pcsm_sequence_options");

    sequence_fields(n, o);
    return literal_or_null(n);
}

static bool options_given(const pcsm_sequence_options *o)
{
    struct node *n = literal("pcsm_sequence_options");
    bool given;

    sequence_fields(n, o);
    given = n->n > 0;
    free_node(n);
    return given;
}

/* A call of (op, a, b[, c]), each a string literal or NULL. */
static struct node *call_strs(const char *name, const char *a, const char *b, const char *c,
                              bool three)
{
    struct node *n = add(add(call(name), str(a)), str(b));

    return three ? add(n, str(c)) : n;
}

/* A call whose arguments are the names given and then flags. */
static struct node *call_flags(const char *name, const char *a, const char *b, unsigned flags)
{
    struct node *n = call(name);

    add(n, str(a));
    if (b)
        add(n, str(b));
    return add(n, flags_node(flags));
}

static struct node *attribute_node(const pcsm_attribute *a, const char *open)
{
    struct node *n = list(open, " }", M_AUTO);

    field_str(n, "name", a->name);
    field(n, "type", type_node(a->type));
    field_str(n, "collation", a->collation);
    return n;
}

static struct node *recreate_enum_node(const struct pcsm_ddl_recreate_enum *e)
{
    struct node *n = add(call("pcsm_recreate_enum("), str(e->type));
    struct node *cols;
    size_t i;

    add(n, names_node("PCSM_LABELS(", e->labels));
    if (!e->n_columns)
        return add(n, text("NULL"));
    cols = list("PCSM_ENUM_COLUMNS(", ")", M_EACH);
    for (i = 0; i < e->n_columns; i++) {
        struct node *c = list("{ ", " }", M_AUTO);

        field_str(c, "table", e->columns[i].table);
        field_str(c, "column", e->columns[i].column);
        field_true(c, "array", e->columns[i].array);
        if (e->columns[i].default_value.kind != PCSM_VALUE_NONE)
            field(c, "default_value", value_node(e->columns[i].default_value));
        add(cols, c);
    }
    return add(n, cols);
}

static struct node *composite_node(const struct pcsm_ddl_create_composite_type *c)
{
    struct node *n = add(call("pcsm_create_composite_type("), str(c->type));
    struct node *attrs = list("PCSM_ATTRIBUTES(", ")", M_EACH);
    size_t i;

    for (i = 0; i < c->n_attributes; i++)
        add(attrs, attribute_node(&c->attributes[i], "{ "));
    return add(n, attrs);
}

static struct node *alter_composite_node(const struct pcsm_ddl_alter_composite_type *a)
{
    struct node *n;

    switch (a->action) {
    case PCSM_ATTRIBUTE_ADD:
        return add(add(call("pcsm_add_attribute("), str(a->type)),
                   attribute_node(&a->attribute, "&(pcsm_attribute){ "));
    case PCSM_ATTRIBUTE_DROP:
        return call_flags("pcsm_drop_attribute(", a->type, a->attribute.name, a->flags);
    case PCSM_ATTRIBUTE_ALTER_TYPE:
        n = call_strs("pcsm_alter_attribute_type(", a->type, a->attribute.name, NULL, false);
        add(n, type_node(a->attribute.type));
        return add(n, str(a->attribute.collation));
    case PCSM_ATTRIBUTE_RENAME:
        return call_strs("pcsm_rename_attribute(", a->type, a->attribute.name, a->new_name,
                         true);
    }
    return text("/* unknown ALTER TYPE action %d */", (int)a->action);
}

static struct node *domain_node(const pcsm_domain *d)
{
    struct node *n = literal("pcsm_domain"), *cons;
    const pcsm_constraint *c;

    field_str(n, "name", d->name);
    field(n, "type", type_node(d->type));
    field_str(n, "collation", d->collation);
    if (d->default_value.kind != PCSM_VALUE_NONE)
        field(n, "default_value", value_node(d->default_value));
    field_true(n, "not_null", d->not_null);
    if (d->constraints) {
        cons = list("PCSM_CONSTRAINTS(", ")", M_LINES);
        for (c = d->constraints; c->kind != PCSM_CONSTRAINT_NONE; c++)
            add(cons, constraint_node(c, "{ "));
        field(n, "constraints", cons);
    }
    return n;
}

static struct node *range_node(const pcsm_range_type *r)
{
    struct node *n = literal("pcsm_range_type");

    field_str(n, "name", r->name);
    field(n, "subtype", type_node(r->subtype));
    field_str(n, "subtype_opclass", r->subtype_opclass);
    field_str(n, "collation", r->collation);
    field_str(n, "subtype_diff", r->subtype_diff);
    field_str(n, "subtype_diff_schema", r->subtype_diff_schema);
    field_str(n, "multirange_type_name", r->multirange_type_name);
    return n;
}

static struct node *alter_domain_node(const struct pcsm_ddl_alter_domain *a)
{
    const char *constraint = a->constraint.name;

    switch (a->action) {
    case PCSM_DOMAIN_RENAME:
        return call_strs("pcsm_rename_domain(", a->domain, a->new_name, NULL, false);
    case PCSM_DOMAIN_SET_DEFAULT:
        return add(add(call("pcsm_set_domain_default("), str(a->domain)), value_node(a->value));
    case PCSM_DOMAIN_DROP_DEFAULT:
        return add(call("pcsm_drop_domain_default("), str(a->domain));
    case PCSM_DOMAIN_SET_NOT_NULL:
        return add(call("pcsm_set_domain_not_null("), str(a->domain));
    case PCSM_DOMAIN_DROP_NOT_NULL:
        return add(call("pcsm_drop_domain_not_null("), str(a->domain));
    case PCSM_DOMAIN_ADD_CONSTRAINT:
        return add(add(call("pcsm_add_domain_constraint("), str(a->domain)),
                   constraint_node(&a->constraint, "&(pcsm_constraint){ "));
    case PCSM_DOMAIN_DROP_CONSTRAINT:
        return call_flags("pcsm_drop_domain_constraint(", a->domain, constraint, a->flags);
    case PCSM_DOMAIN_VALIDATE_CONSTRAINT:
        return call_strs("pcsm_validate_domain_constraint(", a->domain, constraint, NULL,
                         false);
    case PCSM_DOMAIN_RENAME_CONSTRAINT:
        return call_strs("pcsm_rename_domain_constraint(", a->domain, constraint,
                         a->new_name, true);
    }
    return text("/* unknown ALTER DOMAIN action %d */", (int)a->action);
}

static struct node *sequence_op_node(const struct pcsm_ddl_op *o)
{
    const struct pcsm_ddl_sequence *q;
    struct node *n;

    if (o->kind == PCSM_OP_CREATE_SEQUENCE) {
        q = &o->u.create_sequence;
        n = call("pcsm_create_sequence(");
        add(n, str(q->sequence));
        add(n, sequence_node(&q->options));
        add(n, str(q->owned_by_table));
        return add(n, str(q->owned_by_column));
    }
    q = &o->u.alter_sequence;
    /*
     * pcsm_set_sequence_owner() records an alter_sequence of the owner
     * alone; no call records options and an owner together.
     */
    if (!options_given(&q->options) && (q->owned_by_table || q->owned_by_none)) {
        n = call("pcsm_set_sequence_owner(");
        add(n, str(q->sequence));
        add(n, str(q->owned_by_table));
        return add(n, str(q->owned_by_column));
    }
    n = call("pcsm_alter_sequence(");
    add(n, str(q->sequence));
    return add(n, sequence_node(&q->options));
}

static struct node *op_node(const struct pcsm_ddl_op *o)
{
    struct node *n;
    size_t i;

    switch (o->kind) {
    case PCSM_OP_CREATE_TABLE:
        return create_table_node(&o->u.create_table);
    case PCSM_OP_DROP_TABLE:
        return call_flags("pcsm_drop_table(", o->u.drop_table.table, NULL,
                          o->u.drop_table.flags);
    case PCSM_OP_RENAME_TABLE:
        return call_strs("pcsm_rename_table(", o->u.rename_table.table,
                         o->u.rename_table.new_name, NULL, false);
    case PCSM_OP_COMMENT_TABLE:
        n = call("pcsm_comment_table(");
        add(n, str(o->u.comment_table.table));
        return add(n, str(o->u.comment_table.comment));
    case PCSM_OP_ADD_COLUMN:
        n = call("pcsm_add_column(");
        add(n, str(o->u.add_column.table));
        return add(n, column_node(&o->u.add_column.column, "&(pcsm_column){ "));
    case PCSM_OP_DROP_COLUMN:
        return call_flags("pcsm_drop_column(", o->u.drop_column.table, o->u.drop_column.column,
                          o->u.drop_column.flags);
    case PCSM_OP_RENAME_COLUMN:
        return call_strs("pcsm_rename_column(", o->u.rename_column.table,
                         o->u.rename_column.column, o->u.rename_column.new_name, true);
    case PCSM_OP_ALTER_COLUMN_TYPE: {
        const struct pcsm_ddl_alter_column_type *a = &o->u.alter_column_type;

        n = call(a->collation ? "pcsm_alter_column_type_collate(" : "pcsm_alter_column_type(");
        add(n, str(a->table));
        add(n, str(a->column));
        add(n, type_node(a->type));
        if (a->collation)
            add(n, str(a->collation));
        return add(n, str(a->using));
    }
    case PCSM_OP_SET_DEFAULT:
        n = call("pcsm_set_default(");
        add(n, str(o->u.set_default.table));
        add(n, str(o->u.set_default.column));
        return add(n, value_node(o->u.set_default.value));
    case PCSM_OP_DROP_DEFAULT:
        return call_strs("pcsm_drop_default(", o->u.drop_default.table,
                         o->u.drop_default.column, NULL, false);
    case PCSM_OP_SET_NOT_NULL:
        return call_strs("pcsm_set_not_null(", o->u.set_not_null.table,
                         o->u.set_not_null.column, NULL, false);
    case PCSM_OP_DROP_NOT_NULL:
        return call_strs("pcsm_drop_not_null(", o->u.drop_not_null.table,
                         o->u.drop_not_null.column, NULL, false);
    case PCSM_OP_COMMENT_COLUMN:
        n = call("pcsm_comment_column(");
        add(n, str(o->u.comment_column.table));
        add(n, str(o->u.comment_column.column));
        return add(n, str(o->u.comment_column.comment));
    case PCSM_OP_CREATE_INDEX:
        return add(call("pcsm_create_index("), index_node(&o->u.create_index.index));
    case PCSM_OP_DROP_INDEX:
        return call_flags("pcsm_drop_index(", o->u.drop_index.index, NULL,
                          o->u.drop_index.flags);
    case PCSM_OP_ADD_CONSTRAINT:
        n = call("pcsm_add_constraint(");
        add(n, str(o->u.add_constraint.table));
        return add(n, constraint_node(&o->u.add_constraint.constraint, "&(pcsm_constraint){ "));
    case PCSM_OP_DROP_CONSTRAINT:
        return call_flags("pcsm_drop_constraint(", o->u.drop_constraint.table,
                          o->u.drop_constraint.constraint, o->u.drop_constraint.flags);
    case PCSM_OP_VALIDATE_CONSTRAINT:
        return call_strs("pcsm_validate_constraint(", o->u.validate_constraint.table,
                         o->u.validate_constraint.constraint, NULL, false);
    case PCSM_OP_CREATE_EXTENSION:
        return call_flags("pcsm_create_extension(", o->u.create_extension.extension, NULL,
                          o->u.create_extension.flags);
    case PCSM_OP_DROP_EXTENSION:
        return call_flags("pcsm_drop_extension(", o->u.drop_extension.extension, NULL,
                          o->u.drop_extension.flags);
    case PCSM_OP_RECREATE_ENUM:
        return recreate_enum_node(&o->u.recreate_enum);
    case PCSM_OP_CREATE_ENUM:
        n = call("pcsm_create_enum(");
        add(n, str(o->u.create_enum.type));
        return add(n, names_node("PCSM_LABELS(", o->u.create_enum.labels));
    case PCSM_OP_ADD_ENUM_VALUE: {
        const struct pcsm_ddl_add_enum_value *a = &o->u.add_enum_value;

        n = call("pcsm_add_enum_value(");
        add(n, str(a->type));
        add(n, str(a->label));
        add(n, place_node(a->place));
        return add(n, flags_node(a->flags));
    }
    case PCSM_OP_RENAME_ENUM_VALUE:
        return call_strs("pcsm_rename_enum_value(", o->u.rename_enum_value.type,
                         o->u.rename_enum_value.label, o->u.rename_enum_value.new_label, true);
    case PCSM_OP_DROP_TYPE:
        return call_flags("pcsm_drop_type(", o->u.drop_type.type, NULL, o->u.drop_type.flags);
    case PCSM_OP_CREATE_FUNCTION:
        return add(call("pcsm_create_function("), function_node(&o->u.create_function.function));
    case PCSM_OP_DROP_FUNCTION:
        n = call("pcsm_drop_function(");
        add(n, str(o->u.drop_function.function));
        add(n, str(o->u.drop_function.arguments));
        return add(n, flags_node(o->u.drop_function.flags));
    case PCSM_OP_CREATE_TRIGGER:
        return add(call("pcsm_create_trigger("), trigger_node(&o->u.create_trigger.trigger));
    case PCSM_OP_DROP_TRIGGER:
        return call_flags("pcsm_drop_trigger(", o->u.drop_trigger.table,
                          o->u.drop_trigger.trigger, o->u.drop_trigger.flags);
    case PCSM_OP_SET_TRIGGER_FIRING:
        n = call("pcsm_set_trigger_firing(");
        add(n, str(o->u.set_trigger_firing.table));
        add(n, str(o->u.set_trigger_firing.trigger));
        return add(n, text("%s", trigger_firing_name(o->u.set_trigger_firing.firing)));
    case PCSM_OP_CREATE_POLICY:
        return add(call("pcsm_create_policy("), policy_node(&o->u.create_policy.policy));
    case PCSM_OP_DROP_POLICY:
        return call_flags("pcsm_drop_policy(", o->u.drop_policy.table,
                          o->u.drop_policy.policy, o->u.drop_policy.flags);
    case PCSM_OP_GRANT:
        return add(call("pcsm_grant("), grant_node(&o->u.grant.grant));
    case PCSM_OP_REVOKE:
        return add(call("pcsm_revoke("), grant_node(&o->u.grant.grant));
    case PCSM_OP_GRANT_DEFAULT:
        return add(call("pcsm_grant_default("),
                   default_privileges_node(&o->u.default_privileges.defaults));
    case PCSM_OP_REVOKE_DEFAULT:
        return add(call("pcsm_revoke_default("),
                   default_privileges_node(&o->u.default_privileges.defaults));
    case PCSM_OP_SET_ROW_SECURITY:
        n = call("pcsm_set_row_security(");
        add(n, str(o->u.set_row_security.table));
        return add(n, text("%s", row_security_name(o->u.set_row_security.how)));
    case PCSM_OP_ADD_IDENTITY:
        n = call("pcsm_add_identity(");
        add(n, str(o->u.add_identity.table));
        add(n, str(o->u.add_identity.column));
        add(n, text("%s", identity_name(o->u.add_identity.identity)));
        return add(n, sequence_node(&o->u.add_identity.options));
    case PCSM_OP_COMMENT_ON: {
        pcsm_buf kind = PCSM_BUF_INIT;
        const char *w;

        for (w = pcsm_op__object_word(o->u.comment_on.kind); *w; w++)
            pcsm_buf_putc(&kind, (char)toupper((unsigned char)*w));
        n = call("pcsm_comment_on(");
        add(n, text("PCSM_OBJECT_%s", kind.ptr));
        pcsm_buf_dispose(&kind);
        add(n, str(o->u.comment_on.name));
        add(n, str(o->u.comment_on.of));
        return add(n, str(o->u.comment_on.comment));
    }
    case PCSM_OP_SET_IDENTITY:
        n = call("pcsm_set_identity(");
        add(n, str(o->u.set_identity.table));
        add(n, str(o->u.set_identity.column));
        return add(n, text("%s", identity_name(o->u.set_identity.identity)));
    case PCSM_OP_DROP_IDENTITY:
        return call_flags("pcsm_drop_identity(", o->u.drop_identity.table,
                          o->u.drop_identity.column, o->u.drop_identity.flags);
    case PCSM_OP_CREATE_SEQUENCE:
    case PCSM_OP_ALTER_SEQUENCE:
        return sequence_op_node(o);
    case PCSM_OP_CREATE_COLLATION:
        return add(call("pcsm_create_collation("),
                   collation_node(&o->u.create_collation.collation));
    case PCSM_OP_RENAME_COLLATION:
        return call_strs("pcsm_rename_collation(", o->u.rename_collation.collation,
                         o->u.rename_collation.new_name, NULL, false);
    case PCSM_OP_DROP_COLLATION:
        return call_flags("pcsm_drop_collation(", o->u.drop_collation.collation, NULL,
                          o->u.drop_collation.flags);
    case PCSM_OP_CREATE_DOMAIN:
        return add(call("pcsm_create_domain("), domain_node(&o->u.create_domain.domain));
    case PCSM_OP_CREATE_RANGE_TYPE:
        return add(call("pcsm_create_range_type("), range_node(&o->u.create_range_type.range));
    case PCSM_OP_CREATE_PARTITION:
        return create_partition_node(&o->u.create_partition);
    case PCSM_OP_ATTACH_PARTITION:
        return call_strs("pcsm_attach_partition(", o->u.partition_of.table,
                         o->u.partition_of.partition, o->u.partition_of.bound, true);
    case PCSM_OP_DETACH_PARTITION:
        return call_strs("pcsm_detach_partition(", o->u.partition_of.table,
                         o->u.partition_of.partition, NULL, false);
    case PCSM_OP_INHERIT:
        return call_strs("pcsm_inherit(", o->u.inherit.table, o->u.inherit.parent, NULL, false);
    case PCSM_OP_NO_INHERIT:
        return call_strs("pcsm_no_inherit(", o->u.inherit.table, o->u.inherit.parent, NULL,
                         false);
    case PCSM_OP_CREATE_COMPOSITE_TYPE:
        return composite_node(&o->u.create_composite_type);
    case PCSM_OP_ALTER_COMPOSITE_TYPE:
        return alter_composite_node(&o->u.alter_composite_type);
    case PCSM_OP_ALTER_DOMAIN:
        return alter_domain_node(&o->u.alter_domain);
    case PCSM_OP_DROP_DOMAIN:
        return call_flags("pcsm_drop_domain(", o->u.drop_domain.domain, NULL,
                          o->u.drop_domain.flags);
    case PCSM_OP_RENAME_SEQUENCE:
        return call_strs("pcsm_rename_sequence(", o->u.rename_sequence.sequence,
                         o->u.rename_sequence.new_name, NULL, false);
    case PCSM_OP_DROP_SEQUENCE:
        return call_flags("pcsm_drop_sequence(", o->u.drop_sequence.sequence, NULL,
                          o->u.drop_sequence.flags);
    case PCSM_OP_CREATE_VIEW:
        return add(call("pcsm_create_view("), view_node(&o->u.create_view.view));
    case PCSM_OP_RENAME_VIEW:
        return call_strs("pcsm_rename_view(", o->u.rename_view.view,
                         o->u.rename_view.new_name, NULL, false);
    case PCSM_OP_DROP_VIEW:
        return call_flags("pcsm_drop_view(", o->u.drop_view.view, NULL, o->u.drop_view.flags);
    case PCSM_OP_CREATE_MATERIALIZED_VIEW:
        return add(call("pcsm_create_materialized_view("),
                   view_node(&o->u.create_materialized_view.view));
    case PCSM_OP_REFRESH_MATERIALIZED_VIEW:
        return call_flags("pcsm_refresh_materialized_view(",
                          o->u.refresh_materialized_view.view, NULL,
                          o->u.refresh_materialized_view.flags);
    case PCSM_OP_RENAME_MATERIALIZED_VIEW:
        return call_strs("pcsm_rename_materialized_view(", o->u.rename_materialized_view.view,
                         o->u.rename_materialized_view.new_name, NULL, false);
    case PCSM_OP_DROP_MATERIALIZED_VIEW:
        return call_flags("pcsm_drop_materialized_view(", o->u.drop_materialized_view.view,
                          NULL, o->u.drop_materialized_view.flags);
    case PCSM_OP_EXECUTE:
        return add(call("pcsm_execute("), str(o->u.execute.sql));
    case PCSM_OP_EXECUTE_PARAMS: {
        const struct pcsm_ddl_execute_params *e = &o->u.execute_params;
        struct node *params;

        n = call("pcsm_execute_params(");
        add(n, str(e->sql));
        add(n, text("%zu", e->n_params));
        if (!e->n_params)
            return add(n, text("NULL"));
        params = list("(const pcsm_value[]){ ", " }", M_AUTO);
        for (i = 0; i < e->n_params; i++)
            add(params, value_node(e->params[i]));
        return add(n, params);
    }
    case PCSM_OP_BATCH_UPDATE: {
        const struct pcsm_ddl_batch_update *b = &o->u.batch_update;

        n = call("pcsm_batch_update(");
        add(n, str(b->table));
        add(n, str(b->key));
        add(n, str(b->set_sql));
        add(n, str(b->where_sql));
        return add(n, text("%ld", b->batch_size));
    }
    case PCSM_OP_ASSERT:
        return call_strs("pcsm_assert(", o->u.assert.condition, o->u.assert.message, NULL,
                         false);
    case PCSM_OP_AUTOCOMMIT_BEGIN:
        return call("pcsm_autocommit_begin(");
    case PCSM_OP_AUTOCOMMIT_END:
        return call("pcsm_autocommit_end(");
    case PCSM_OP_SET_LOCAL:
        return call_strs("pcsm_set_local(", o->u.set_local.name, o->u.set_local.value, NULL,
                         false);
    case PCSM_OP_LOCK_TABLE: {
        static const char *const modes[] = {
            [PCSM_LOCK_ACCESS_SHARE] = "PCSM_LOCK_ACCESS_SHARE",
            [PCSM_LOCK_ROW_SHARE] = "PCSM_LOCK_ROW_SHARE",
            [PCSM_LOCK_ROW_EXCLUSIVE] = "PCSM_LOCK_ROW_EXCLUSIVE",
            [PCSM_LOCK_SHARE_UPDATE_EXCLUSIVE] = "PCSM_LOCK_SHARE_UPDATE_EXCLUSIVE",
            [PCSM_LOCK_SHARE] = "PCSM_LOCK_SHARE",
            [PCSM_LOCK_SHARE_ROW_EXCLUSIVE] = "PCSM_LOCK_SHARE_ROW_EXCLUSIVE",
            [PCSM_LOCK_EXCLUSIVE] = "PCSM_LOCK_EXCLUSIVE",
            [PCSM_LOCK_ACCESS_EXCLUSIVE] = "PCSM_LOCK_ACCESS_EXCLUSIVE",
        };

        n = add(call("pcsm_lock_table("), str(o->u.lock_table.table));
        add(n, text("%s", modes[o->u.lock_table.mode]));
        return add(n, text(o->u.lock_table.flags & PCSM_LOCK_NOWAIT ? "PCSM_LOCK_NOWAIT"
                                                                     : "0"));
    }
    case PCSM_OP_IF:
        return add(call("pcsm_if("), str(o->u.guard.condition));
    case PCSM_OP_BATCH_UPDATE_FROM: {
        const struct pcsm_ddl_batch_update *b = &o->u.batch_update;

        n = call("pcsm_batch_update_from(");
        add(n, str(b->table));
        add(n, str(b->key));
        add(n, str(b->set_sql));
        add(n, str(b->from_sql));
        add(n, str(b->where_sql));
        return add(n, text("%ld", b->batch_size));
    }
    case PCSM_OP_RENAME_INDEX:
        return call_strs("pcsm_rename_index(", o->u.rename_index.index,
                         o->u.rename_index.new_name, NULL, false);
    case PCSM_OP_ATTACH_INDEX:
        return call_strs("pcsm_attach_index(", o->u.attach_index.index,
                         o->u.attach_index.partition_index, NULL, false);
    case PCSM_OP_RENAME_CONSTRAINT:
        return call_strs("pcsm_rename_constraint(", o->u.rename_constraint.table,
                         o->u.rename_constraint.constraint, o->u.rename_constraint.new_name,
                         true);
    case PCSM_OP_CREATE_SCHEMA:
        return call_flags("pcsm_create_schema(", o->u.create_schema.name, NULL,
                          o->u.create_schema.flags);
    case PCSM_OP_DROP_SCHEMA:
        return call_flags("pcsm_drop_schema(", o->u.drop_schema.name, NULL,
                          o->u.drop_schema.flags);
    }
    abort();    /* an operation of no known kind: the record is corrupt */
}

static bool same_schema(const char *a, const char *b)
{
    return a == b || (a && b && !strcmp(a, b));
}

/*
 * Whether o needs a pcsm_set_schema() before it: one that names an object
 * in another schema than the one in force, or an extension's call, which
 * the recorder refuses while any schema is.
 */
static bool switches_schema(const struct pcsm_ddl_op *o, const char *scope)
{
    if (o->kind == PCSM_OP_CREATE_EXTENSION || o->kind == PCSM_OP_DROP_EXTENSION)
        return scope != NULL;
    return pcsm_op__names_object(o->kind) && !same_schema(o->schema, scope);
}

void pcsm_render__c_op(const struct pcsm_ddl_op *o, const char **scope, pcsm_buf *out)
{
    struct node *n;
    size_t i;

    if (switches_schema(o, *scope)) {
        n = add(call("pcsm_set_schema("), str(o->schema));
        pcsm_buf_puts(out, "    ");
        layout(n, 4, 0, out);
        pcsm_buf_putc(out, '\n');
        free_node(n);
        *scope = o->schema;
    }
    n = op_node(o);
    pcsm_buf_puts(out, "    ");
    layout(n, 4, 0, out);
    pcsm_buf_putc(out, '\n');
    free_node(n);
    if (o->kind != PCSM_OP_IF)
        return;
    /* The guarded calls, then the call that closes the guard. */
    for (i = 0; i < o->u.guard.n_ops; i++)
        pcsm_render__c_op(&o->u.guard.ops[i], scope, out);
    pcsm_buf_puts(out, "    pcsm_end_if(op);\n");
}
