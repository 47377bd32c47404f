/*
 * ddl_case.h's cases: drawing names and text, recording them as pcsm_* calls,
 * and the rules, independent of the library, for what it must accept.
 */
#include <stdio.h>
#include <string.h>

#include "ddl_case.h"

/* ------------------------------------------------------------- choices */

void case_src_bytes(struct case_src *src, const unsigned char *data, size_t len)
{
    src->data = data;
    src->len = len;
    src->pos = 0;
    src->state = 0;
}

void case_src_seed(struct case_src *src, uint64_t seed)
{
    src->data = NULL;
    src->len = src->pos = 0;
    src->state = seed ? seed : 0x9e3779b97f4a7c15u;
}

unsigned case_src_byte(struct case_src *src)
{
    if (src->data)
        return src->pos < src->len ? src->data[src->pos++] : 0;
    src->state ^= src->state >> 12;
    src->state ^= src->state << 25;
    src->state ^= src->state >> 27;
    return (unsigned)((src->state * 0x2545f4914f6cdd1du) >> 56);
}

/* A choice in [0, n), n <= 65536. */
static unsigned below(struct case_src *src, unsigned n)
{
    unsigned v = case_src_byte(src);

    if (n > 256)
        v = (v << 8) | case_src_byte(src);
    return v % n;
}

static bool coin(struct case_src *src)
{
    return below(src, 2);
}

/* -------------------------------------------------------------- UTF-8 */

bool case_utf8_ok(const char *s)
{
    const unsigned char *p = (const unsigned char *)s;

    while (*p) {
        unsigned char b = p[0];
        unsigned char lo = 0x80, hi = 0xbf;
        int n, k;

        if (b < 0x80) {
            p++;
            continue;
        }
        if (b >= 0xc2 && b <= 0xdf) {
            n = 1;
        } else if (b >= 0xe0 && b <= 0xef) {
            n = 2;
            if (b == 0xe0)
                lo = 0xa0;
            else if (b == 0xed)
                hi = 0x9f;
        } else if (b >= 0xf0 && b <= 0xf4) {
            n = 3;
            if (b == 0xf0)
                lo = 0x90;
            else if (b == 0xf4)
                hi = 0x8f;
        } else {
            return false;
        }
        /* Only the second byte has a narrowed range. */
        if (p[1] < lo || p[1] > hi)
            return false;
        for (k = 2; k <= n; k++)
            if (p[k] < 0x80 || p[k] > 0xbf)
                return false;
        p += n + 1;
    }
    return true;
}

static size_t put_code_point(char *out, uint32_t cp)
{
    if (cp < 0x80) {
        out[0] = (char)cp;
        return 1;
    }
    if (cp < 0x800) {
        out[0] = (char)(0xc0 | (cp >> 6));
        out[1] = (char)(0x80 | (cp & 0x3f));
        return 2;
    }
    if (cp < 0x10000) {
        out[0] = (char)(0xe0 | (cp >> 12));
        out[1] = (char)(0x80 | ((cp >> 6) & 0x3f));
        out[2] = (char)(0x80 | (cp & 0x3f));
        return 3;
    }
    out[0] = (char)(0xf0 | (cp >> 18));
    out[1] = (char)(0x80 | ((cp >> 12) & 0x3f));
    out[2] = (char)(0x80 | ((cp >> 6) & 0x3f));
    out[3] = (char)(0x80 | (cp & 0x3f));
    return 4;
}

static uint32_t pick_code_point(struct case_src *src)
{
    static const uint32_t odd[] = {
        0xa0, 0xad, 0x2028, 0x202e, 0x200b, 0xfeff, 0xfffd, 0xffff, 0x10ffff, 0x1f600,
        0x3000, 0x0130, 0x212a,
    };
    uint32_t cp;

    switch (below(src, 4)) {
    case 0:
        return 0x80 + below(src, 0x780);
    case 1:
        cp = 0x800 + below(src, 0xf800);
        return cp >= 0xd800 && cp <= 0xdfff ? cp + 0x800 : cp;
    case 2:
        return 0x10000 + ((uint32_t)below(src, 0x10000) << 4 | below(src, 16)) % 0x100000;
    default:
        return odd[below(src, sizeof(odd) / sizeof(odd[0]))];
    }
}

/* ------------------------------------------------------------- drawing */

/* Pieces that quoting, dollar quoting or a lexer could trip on. */
static const char *const fragments[] = {
    "a", "Z", "_", "0", "9", " ", "  ", "\t", "\n", "\r", "\"", "\"\"", "'", "''", "\\",
    "\\\\", "\\'", "$", "$$", "$1", "$pcsm$", "$pcsm1$", "pcsm", "$pcsm", ";", "--", "/*",
    "*/", "%", "%s", "%n", ".", ",", "(", ")", "select", "SELECT", "Table", "null", "E'",
    "U&", "e", "x", "é", "ß", "ünï", "✓", "日本", "😀", "\xe2\x80\x8b", "\xef\xbb\xbf",
    "\x7f", "\x01", "\x1f", "\\x41", "\\101", "\\u0041", "\\n",
};
/* Ill-formed UTF-8: overlong, surrogate, past U+10FFFF, truncated, stray. */
static const char *const invalid[] = {
    "\xff", "\xfe", "\x80", "\xbf", "\xc0\x80", "\xc1\xbf", "\xe0\x80\x80", "\xed\xa0\x80",
    "\xf4\x90\x80\x80", "\xf8\x88\x80\x80\x80", "\xe2\x82", "\xf0\x9f\x98", "\xc3",
};
#define N_OF(a) (sizeof(a) / sizeof((a)[0]))

static void append(char *out, size_t max_len, const char *piece, size_t n)
{
    size_t len = strlen(out);

    if (len + n <= max_len) {
        memcpy(out + len, piece, n);
        out[len + n] = '\0';
    }
}

/*
 * Text of at most max_len bytes (no NUL).  Executable text is valid UTF-8;
 * the other kind also gets invalid sequences and raw bytes.
 */
static void draw_text(struct case_src *src, char *out, size_t max_len, unsigned max_pieces,
                      bool executable)
{
    unsigned n = below(src, max_pieces + 1), k;

    out[0] = '\0';
    for (k = 0; k < n; k++) {
        char buf[8];
        unsigned kind = below(src, 16);

        if (kind < 8) {
            const char *f = fragments[below(src, N_OF(fragments))];

            append(out, max_len, f, strlen(f));
        } else if (kind < 10 && !executable) {
            const char *f = invalid[below(src, N_OF(invalid))];

            append(out, max_len, f, strlen(f));
        } else if (kind < 12) {
            unsigned b = executable ? 0x20 + below(src, 0x5f) : 1 + below(src, 255);

            buf[0] = (char)b;
            append(out, max_len, buf, 1);
        } else if (kind < 15) {
            append(out, max_len, buf, put_code_point(buf, pick_code_point(src)));
        } else {
            /* A run, to go past the length limits. */
            unsigned run = below(src, 72), r;

            for (r = 0; r < run; r++)
                append(out, max_len, "a", 1);
        }
    }
}

static void draw_name(struct case_src *src, char *out, bool executable)
{
    draw_text(src, out, executable ? CASE_IDENT_LIMIT : CASE_NAME_MAX - 1, 6, executable);
}

static void draw_literal(struct case_src *src, char *out, bool executable)
{
    draw_text(src, out, CASE_TEXT_MAX - 1, 16, executable);
}

/* Ends with a byte that starts no sequence in the middle: drops bytes until valid. */
static void chop(char *name, size_t max_len)
{
    size_t len = strlen(name);

    if (len > max_len)
        name[len = max_len] = '\0';
    while (len && !case_utf8_ok(name))
        name[--len] = '\0';
}

static bool ends_with(const char *s, const char *suffix)
{
    size_t a = strlen(s), b = strlen(suffix);

    return a >= b && !strcmp(s + a - b, suffix);
}

/*
 * An executable name: not empty, no system column or batch_update CTE name,
 * not ending like the constraint names PostgreSQL makes up (t_pkey,
 * t_c_key, t_c_check), and distinct from every earlier name of the case
 * (tables, types, indexes and constraints share namespaces).
 */
static void repair_name(char *name, char *const *earlier, size_t n_earlier)
{
    static const char *const reserved[] = {
        "tableoid", "cmax", "xmax", "cmin", "xmin", "ctid", "pcsm_key",
    };
    char base[CASE_NAME_MAX], number[16];
    unsigned suffix = 0;
    bool changed = true;

    if (!*name)
        strcpy(name, "n");
    while (changed) {
        size_t i;

        changed = false;
        for (i = 0; i < N_OF(reserved); i++)
            if (!strcmp(name, reserved[i])) {
                chop(name, CASE_IDENT_LIMIT - 1);
                strcat(name, "_");
                changed = true;
            }
        /* "seq" too: <table>_<column>_seq is an identity's sequence. */
        if (ends_with(name, "key") || ends_with(name, "check") || ends_with(name, "seq")) {
            chop(name, CASE_IDENT_LIMIT - 1);
            strcat(name, ".");
            changed = true;
        }
        for (i = 0; i < n_earlier; i++)
            if (!strcmp(name, earlier[i])) {
                /* A number, growing, in place of the name's end. */
                if (!suffix)
                    strcpy(base, name);
                snprintf(number, sizeof(number), "%u", suffix++);
                strcpy(name, base);
                chop(name, CASE_IDENT_LIMIT - strlen(number));
                strcat(name, number);
                changed = true;
                break;
            }
    }
}

static void draw_column(struct case_src *src, struct case_col *col, bool executable)
{
    static const enum case_type exec_types[] = {
        CASE_TEXT, CASE_TEXT, CASE_VARCHAR, CASE_INTEGER, CASE_BOOLEAN, CASE_JSONB,
        CASE_NUMERIC, CASE_TEXT_ARRAY, CASE_NAMED,
    };

    memset(col, 0, sizeof(*col));
    draw_name(src, col->name, executable);
    if (executable) {
        col->type = exec_types[below(src, N_OF(exec_types))];
        col->p = col->type == CASE_VARCHAR ? (coin(src) ? 0 : 500)
                 : col->type == CASE_NUMERIC ? 10 : 0;
        col->s = col->type == CASE_NUMERIC ? 2 : 0;
        col->dims = col->type == CASE_TEXT_ARRAY ? 1 + (int)below(src, 3) : 0;
    } else {
        static const int lengths[] = { -1, 0, 1, 7, 63, 10485760, 10485761, 2147483647 };

        col->type = (enum case_type)below(src, CASE_N_TYPES);
        col->p = col->type == CASE_NUMERIC ? (int)below(src, 1003) - 1
                 : lengths[below(src, N_OF(lengths))];
        col->s = (int)below(src, 12) - 1;
        col->dims = (int)below(src, 9) - 1;
    }
    col->has_default = coin(src);
    col->not_null = col->has_default && coin(src);
    col->unique = !executable && coin(src);
    switch (col->type) {
    case CASE_JSONB:
    case CASE_TEXT_ARRAY:
        if (executable)
            strcpy(col->def, "{}");
        else
            draw_literal(src, col->def, false);
        break;
    case CASE_NAMED:
        if (executable)
            strcpy(col->def, "x");
        else
            draw_literal(src, col->def, false);
        break;
    default:
        draw_literal(src, col->def, executable);
        break;
    }
    col->has_comment = coin(src);
    draw_literal(src, col->comment, executable);
}

const char *const ddl_case_extensions[3] = { "pgcrypto", "citext", "hstore" };

/*
 * fn2's shapes: arguments as an author writes them (names, modes,
 * defaults, aliases), the types again spelt another way for DROP FUNCTION,
 * and a body the server accepts with check_function_bodies on.  Bodies
 * hold no quote or "||": the renderer fuzz reads dollar bodies too,
 * and allows only some punctuation outside quotes.
 */
static const struct fn_shape {
    const char *arguments, *drop_types, *returns, *language, *body, *literal;
} fn_shapes[] = {
    { "", "", "integer", "sql", "SELECT 1", NULL },
    { "a integer, b text DEFAULT 'q'", "int4, text", "text", "sql", "SELECT concat(b, a)", "q" },
    { "a int, OUT b text", "integer", "text", "plpgsql", "BEGIN\n    b := a::text;\nEND", NULL },
    { "VARIADIC xs numeric[]", "numeric[]", "numeric", "sql",
      "SELECT sum(x) FROM unnest(xs) x", NULL },
    { "x double precision, y varchar(10)", "float8, character varying", "SETOF text",
      "plpgsql", "BEGIN\n    RETURN NEXT y;\nEND\n", NULL },
    { "n bigint", "int8", "bigint", "plpgsql",
      "DECLARE\n    r bigint := n;\nBEGIN\n    RETURN r * 2;\nEND", NULL },
};

/* The trigger, its function and its WHEN: a valid combination of each. */
static void draw_trigger(struct ddl_case *c, struct case_src *src)
{
    char q_last[2 * CASE_NAME_MAX + 3];

    c->before = coin(src);
    c->for_each_row = coin(src);
    c->events = 1 + below(src, c->for_each_row ? 7 : 15);     /* TRUNCATE per statement */
    c->has_when = coin(src);
    c->drop_trig = below(src, 4) == 0;
    /* A row's WHEN reads NEW but for DELETE, OLD but for INSERT (the column renamed later). */
    case_quote_ident(q_last, sizeof(q_last), c->cols[c->n_cols - 1].name);
    if (c->for_each_row && !(c->events & PCSM_ON_DELETE))
        snprintf(c->when_sql, sizeof(c->when_sql), "NEW.%s IS NOT NULL", q_last);
    else if (c->for_each_row && !(c->events & PCSM_ON_INSERT))
        snprintf(c->when_sql, sizeof(c->when_sql), "OLD.%s IS NOT NULL", q_last);
    else
        strcpy(c->when_sql, "pg_trigger_depth() < 5");
}

const char *const ddl_case_collations[2] = { "C", "POSIX" };

/*
 * The identity's and the sequence's options, valid by construction: a
 * START inside the bounds the increment's sign gives by default or those
 * given (MINVALUE -50, MAXVALUE 30000, within every integer type).
 */
static void draw_seq_options(struct case_src *src, pcsm_sequence_options *o, bool identity)
{
    static const long long increments[] = { 0, 1, 3, -1, -2 };
    static const long long caches[] = { 0, 1, 5 };

    memset(o, 0, sizeof(*o));
    if (!identity) {
        unsigned as = below(src, 4);

        o->as = as == 1 ? PCSM_SMALLINT : as == 2 ? PCSM_INTEGER : as == 3 ? PCSM_BIGINT
              : (pcsm_type){ .kind = PCSM_TYPE_NONE };
    }
    o->increment = increments[below(src, N_OF(increments))];
    if (coin(src))
        o->minvalue = PCSM_SEQ_VALUE(-50);
    if (coin(src))
        o->maxvalue = PCSM_SEQ_VALUE(30000);
    if (coin(src)) {
        o->start = PCSM_SEQ_VALUE(7);
        if (o->increment < 0)
            o->maxvalue = PCSM_SEQ_VALUE(30000);    /* else the maximum is -1 */
    }
    o->cache = caches[below(src, N_OF(caches))];
    o->cycle = (enum pcsm_cycle)below(src, 3);
}

/* The generated, collated and identity columns, and the sequence. */
static void draw_columns_and_sequence(struct ddl_case *c, struct case_src *src,
                                      bool executable)
{
    draw_name(src, c->ident_col, executable);
    draw_name(src, c->gen_col, executable);
    draw_name(src, c->coll_col, executable);
    draw_name(src, c->seq_name, executable);
    draw_name(src, c->seq_name2, executable);
    c->ident_type = below(src, 3);
    c->ident_always = coin(src);
    c->ident_later = coin(src);
    c->drop_ident = below(src, 4) == 0;
    draw_seq_options(src, &c->ident_opts, true);
    c->gen_of_key = coin(src);
    c->coll_varchar = coin(src);
    c->coll = below(src, 2);
    c->coll_alter = below(src, 3);
    draw_seq_options(src, &c->seq_opts, false);
    c->seq_owned = coin(src);
    c->seq_alter = coin(src);
    memset(&c->seq_alter_opts, 0, sizeof(c->seq_alter_opts));
    c->seq_alter_opts.increment = coin(src) ? 2 : -3;
    c->seq_alter_opts.cache = coin(src) ? 3 : 0;
    c->seq_alter_opts.cycle = (enum pcsm_cycle)below(src, 3);
    if (coin(src))
        c->seq_alter_opts.as = PCSM_INTEGER;
    c->seq_owner = coin(src);
    c->seq_owner_none = coin(src);
    c->seq_rename = coin(src);
    c->seq_drop = below(src, 4) == 0;
}

void ddl_case_generate(struct ddl_case *c, struct case_src *src, bool executable)
{
    char *names[64];
    size_t n_names = 0, i;
    char q_table[2 * CASE_NAME_MAX + 3], q_key[2 * CASE_NAME_MAX + 3],
         q_added[2 * CASE_NAME_MAX + 3];

    memset(c, 0, sizeof(*c));
    c->executable = executable;
    draw_name(src, c->table, executable);
    draw_name(src, c->table2, executable);
    draw_name(src, c->scratch, executable);
    c->n_cols = executable ? 2 + below(src, CASE_MAX_COLS - 1) : 1 + below(src, CASE_MAX_COLS);
    for (i = 0; i < c->n_cols; i++)
        draw_column(src, &c->cols[i], executable);
    if (executable) {
        /* Column 0 is the batch key: text, unique or the primary key, no default. */
        c->cols[0].type = CASE_TEXT;
        c->cols[0].has_default = false;
        c->cols[0].not_null = true;
        c->cols[0].primary_key = coin(src);
        c->cols[0].unique = !c->cols[0].primary_key;
    } else {
        c->cols[0].primary_key = coin(src);
    }
    draw_name(src, c->type_name, executable);
    draw_name(src, c->check_name, executable);
    draw_name(src, c->unique_name, executable);
    draw_name(src, c->con2_name, executable);
    draw_column(src, &c->added, executable);
    c->added.type = CASE_TEXT;
    c->added.has_default = true;
    c->added.not_null = false;
    c->added.unique = false;
    draw_literal(src, c->default2, executable);
    draw_name(src, c->index_name, executable);
    draw_name(src, c->index2_name, executable);
    draw_name(src, c->drop_col, executable);
    draw_name(src, c->renamed, executable);
    c->has_comment = coin(src);
    draw_literal(src, c->comment, executable);
    c->has_comment2 = coin(src);
    draw_literal(src, c->comment2, executable);
    c->has_col_comment = coin(src);
    draw_literal(src, c->col_comment, executable);
    draw_literal(src, c->param, executable);
    draw_literal(src, c->key1, executable);
    draw_literal(src, c->key2, executable);
    draw_literal(src, c->msg, executable);
    c->extension = (int)below(src, N_OF(ddl_case_extensions) + 1) - 1;
    c->drop_extension = coin(src);
    draw_name(src, c->label1, executable);
    draw_name(src, c->label2, executable);
    draw_name(src, c->label3, executable);
    c->label2_place = below(src, 3);
    c->rename_label = coin(src);
    draw_name(src, c->type2, executable);
    c->drop_type2 = coin(src);
    draw_name(src, c->fn_name, executable);
    draw_name(src, c->fn2_name, executable);
    c->fn2_shape = below(src, N_OF(fn_shapes));
    c->volatility = below(src, 4);
    c->strict = coin(src);
    c->security_definer = coin(src);
    c->drop_fn2 = coin(src);
    draw_name(src, c->trig_name, executable);
    draw_columns_and_sequence(c, src, executable);

    if (executable) {
        /* One namespace for all: simpler than tracking PostgreSQL's several. */
        char *slots[] = {
            c->table, c->table2, c->scratch, c->type_name, c->check_name, c->unique_name,
            c->con2_name, c->index_name, c->index2_name, c->added.name, c->drop_col,
            c->renamed, c->type2, c->fn_name, c->fn2_name, c->trig_name, c->ident_col,
            c->gen_col, c->coll_col, c->seq_name, c->seq_name2,
        };
        /* Labels: distinct among themselves ('x' is type_name's first). */
        char x[] = "x", *labels[4] = { x };
        char *const label_slots[] = { c->label1, c->label2, c->label3 };

        for (i = 0; i < c->n_cols; i++) {
            repair_name(c->cols[i].name, names, n_names);
            names[n_names++] = c->cols[i].name;
        }
        for (i = 0; i < N_OF(slots); i++) {
            repair_name(slots[i], names, n_names);
            names[n_names++] = slots[i];
        }
        for (i = 0; i < N_OF(label_slots); i++) {
            repair_name(label_slots[i], labels, i + 1);
            labels[i + 1] = label_slots[i];
        }
        if (!strcmp(c->key1, c->key2)) {
            chop(c->key2, CASE_TEXT_MAX - 2);
            strcat(c->key2, "2");
        }
        if (!*c->msg)
            strcpy(c->msg, "m");
    }

    case_quote_ident(q_table, sizeof(q_table), c->table);
    case_quote_ident(q_key, sizeof(q_key), c->cols[0].name);
    case_quote_ident(q_added, sizeof(q_added), c->added.name);
    snprintf(c->insert_sql, sizeof(c->insert_sql), "INSERT INTO %s (%s) VALUES ($1), ($2)",
             q_table, q_key);
    snprintf(c->set_sql, sizeof(c->set_sql), "%s = %s", q_added, q_added);
    draw_trigger(c, src);
    /* Reads the last column, renamed later, or the key. */
    case_quote_ident(q_key, sizeof(q_key), c->cols[c->gen_of_key ? 0 : c->n_cols - 1].name);
    snprintf(c->gen_sql, sizeof(c->gen_sql), c->gen_of_key ? "length(%s)" : "%s IS NOT NULL",
             q_key);
    c->index_shape = below(src, 4);
    snprintf(c->index_sql, sizeof(c->index_sql), "lower(%s)", q_added);
    if (!executable) {
        char q_schema[2 * CASE_NAME_MAX + 3], sql[CASE_SQL_MAX];

        c->in_schema = coin(src);
        draw_name(src, c->schema, false);
        case_quote_ident(q_schema, sizeof(q_schema), c->schema);
        case_quote_ident(q_key, sizeof(q_key), c->cols[0].name);
        /* Left unqualified when too long: a truncated quote would not lex. */
        if (c->in_schema && (size_t)snprintf(sql, sizeof(sql),
                                             "INSERT INTO %s.%s (%s) VALUES ($1), ($2)",
                                             q_schema, q_table, q_key) < sizeof(sql))
            strcpy(c->insert_sql, sql);
    }
}

void case_quote_ident(char *out, size_t size, const char *name)
{
    size_t n = 0;

    if (size < 3) {
        if (size)
            out[0] = '\0';
        return;
    }
    out[n++] = '"';
    for (; *name && n + 3 < size; name++) {
        if (*name == '"')
            out[n++] = '"';
        out[n++] = *name;
    }
    out[n++] = '"';
    out[n] = '\0';
}

/* ---------------------------------------------------------- recording */

static const char *const expr_default[CASE_N_TYPES] = {
    [CASE_INTEGER] = "42", [CASE_BOOLEAN] = "true", [CASE_NUMERIC] = "1.5",
};

static pcsm_type col_type(const struct ddl_case *c, const struct case_col *col)
{
    pcsm_type t;

    switch (col->type) {
    case CASE_VARCHAR: t = PCSM_VARCHAR(col->p); break;
    case CASE_INTEGER: t = PCSM_INTEGER; break;
    case CASE_BOOLEAN: t = PCSM_BOOLEAN; break;
    case CASE_JSONB: t = PCSM_JSONB; break;
    case CASE_NUMERIC: t = PCSM_NUMERIC(col->p, col->s); break;
    case CASE_TEXT_ARRAY: t = PCSM_TEXT; t.array_dims = col->dims; break;
    case CASE_NAMED: t = PCSM_TYPE_IN(c->in_schema ? c->schema : NULL, c->type_name); break;
    default: t = PCSM_TEXT; break;
    }
    return t;
}

static pcsm_column to_column(const struct ddl_case *c, const struct case_col *col)
{
    pcsm_column out = { .name = col->name, .type = col_type(c, col),
                        .not_null = col->not_null, .unique = col->unique,
                        .primary_key = col->primary_key };

    if (col->has_default)
        out.default_value = expr_default[col->type] ? PCSM_EXPR(expr_default[col->type])
                                                     : PCSM_LITERAL(col->def);
    if (col->has_comment)
        out.comment = col->comment;
    return out;
}

static void record_columns_and_sequence(pcsm_op *op, const struct ddl_case *c)
{
    static const pcsm_type ident_types[] = { PCSM_SMALLINT, PCSM_INTEGER, PCSM_BIGINT };
    const char *last = c->cols[c->n_cols - 1].name;
    const char *collation = ddl_case_collations[c->coll % 2];
    pcsm_column col = { .name = c->ident_col, .type = ident_types[c->ident_type % 3] };
    enum pcsm_identity identity = c->ident_always ? PCSM_IDENTITY_ALWAYS
                                                  : PCSM_IDENTITY_BY_DEFAULT;

    /* The table has rows: a NOT NULL column comes with a value for them. */
    if (c->ident_later) {
        col.not_null = true;
        col.default_value = PCSM_EXPR("0");
        pcsm_add_column(op, c->table, &col);
        pcsm_drop_default(op, c->table, c->ident_col);
        pcsm_add_identity(op, c->table, c->ident_col, identity, &c->ident_opts);
    } else {
        col.identity = identity;
        col.identity_options = c->ident_opts;
        pcsm_add_column(op, c->table, &col);
    }
    /* It stays NOT NULL, with nothing to fill it: a later INSERT could not give a row. */
    if (c->drop_ident) {
        pcsm_drop_identity(op, c->table, c->ident_col, 0);
        pcsm_drop_not_null(op, c->table, c->ident_col);
    }
    pcsm_add_column(op, c->table, &(pcsm_column){
        .name = c->gen_col, .type = c->gen_of_key ? PCSM_INTEGER : PCSM_BOOLEAN,
        .generated = c->gen_sql });
    pcsm_add_column(op, c->table, &(pcsm_column){
        .name = c->coll_col, .type = c->coll_varchar ? PCSM_VARCHAR(20) : PCSM_TEXT,
        .collation = collation });
    if (c->coll_alter)
        pcsm_alter_column_type_collate(op, c->table, c->coll_col, PCSM_TEXT,
                                       c->coll_alter == 1 ? ddl_case_collations[(c->coll + 1) % 2]
                                                          : NULL, NULL);

    pcsm_create_sequence(op, c->seq_name, &c->seq_opts, c->seq_owned ? c->table : NULL,
                         c->seq_owned ? last : NULL);
    if (c->seq_alter)
        pcsm_alter_sequence(op, c->seq_name, &c->seq_alter_opts);
    if (c->seq_owner)
        pcsm_set_sequence_owner(op, c->seq_name, c->seq_owner_none ? NULL : c->table,
                                c->seq_owner_none ? NULL : last);
    if (c->seq_rename)
        pcsm_rename_sequence(op, c->seq_name, c->seq_name2);
    if (c->seq_drop)
        pcsm_drop_sequence(op, c->seq_rename ? c->seq_name2 : c->seq_name, 0);
}

void ddl_case_record(pcsm_op *op, const struct ddl_case *c)
{
    pcsm_column cols[CASE_MAX_COLS + 1];
    const char *last = c->cols[c->n_cols - 1].name;
    pcsm_value params[2];
    size_t i;

    static const pcsm_enum_place places[] = {
        PCSM_AT_END, PCSM_BEFORE_LABEL("x"), PCSM_AFTER_LABEL("x"),
    };
    const struct fn_shape *shape = &fn_shapes[c->fn2_shape % N_OF(fn_shapes)];

    if (c->extension >= 0)
        pcsm_create_extension(op, ddl_case_extensions[c->extension], 0);
    if (c->in_schema) {
        pcsm_create_schema(op, c->schema, 0);
        pcsm_set_schema(op, c->schema);
    }
    pcsm_create_enum(op, c->type_name, PCSM_LABELS("x", c->label1));
    pcsm_add_enum_value(op, c->type_name, c->label2, places[c->label2_place % 3], 0);
    if (c->rename_label)
        pcsm_rename_enum_value(op, c->type_name, c->label1, c->label3);
    pcsm_create_enum(op, c->type2, PCSM_LABELS(c->label1));
    if (c->drop_type2)
        pcsm_drop_type(op, c->type2, 0);

    for (i = 0; i < c->n_cols; i++)
        cols[i] = to_column(c, &c->cols[i]);
    cols[c->n_cols] = (pcsm_column){ .name = NULL };
    pcsm_create_table(op, c->table, cols, PCSM_CONSTRAINTS(
        { .kind = PCSM_CHECK, .name = c->check_name, .check = "true" },
        { .kind = PCSM_UNIQUE, .name = c->unique_name,
          .columns = PCSM_NAMES(c->cols[0].name, last) }),
        c->has_comment ? c->comment : NULL);
    pcsm_comment_column(op, c->table, c->cols[0].name,
                        c->has_col_comment ? c->col_comment : NULL);

    pcsm_create_function(op, &(pcsm_function){
        .name = c->fn_name, .returns = "trigger", .language = "plpgsql",
        .body = "BEGIN\n    RETURN COALESCE(NEW, OLD);\nEND" });
    pcsm_create_function(op, &(pcsm_function){
        .name = c->fn2_name, .arguments = shape->arguments, .returns = shape->returns,
        .language = shape->language, .body = shape->body,
        .volatility = (enum pcsm_volatility)(c->volatility % 4), .strict = c->strict,
        .security_definer = c->security_definer });
    pcsm_create_trigger(op, &(pcsm_trigger){
        .name = c->trig_name, .table = c->table, .timing = c->before ? PCSM_BEFORE : PCSM_AFTER,
        .events = c->events, .for_each_row = c->for_each_row, .function = c->fn_name,
        .when = c->has_when ? c->when_sql : NULL,
        .function_schema = c->in_schema ? c->schema : NULL });
    if (c->drop_trig)
        pcsm_drop_trigger(op, c->table, c->trig_name, 0);

    cols[0] = to_column(c, &c->added);
    pcsm_add_column(op, c->table, &cols[0]);
    pcsm_set_default(op, c->table, c->added.name, PCSM_LITERAL(c->default2));
    pcsm_alter_column_type(op, c->table, c->added.name, PCSM_VARCHAR(0), NULL);
    pcsm_set_not_null(op, c->table, c->added.name);
    pcsm_drop_not_null(op, c->table, c->added.name);
    if (c->index_shape == 0)
        pcsm_create_index(op, &(pcsm_index){ .name = c->index_name, .table = c->table,
                                             .columns = PCSM_NAMES(c->added.name) });
    else
        pcsm_create_index(op, &(pcsm_index){ .name = c->index_name, .table = c->table,
            .elements = c->index_shape == 1
                ? PCSM_ELEMENTS({ .column = c->added.name, .collation = "C",
                                  .descending = true, .nulls = PCSM_NULLS_LAST })
                : c->index_shape == 2
                ? PCSM_ELEMENTS({ .expression = c->index_sql, .opclass = "text_pattern_ops",
                                  .nulls = PCSM_NULLS_FIRST },
                                { .column = c->cols[0].name, .descending = true })
                : PCSM_ELEMENTS({ .column = c->added.name,
                                  .opclass = "pg_catalog.varchar_pattern_ops" }) });
    pcsm_create_index(op, &(pcsm_index){ .name = c->index2_name, .table = c->table,
                                         .columns = PCSM_NAMES(c->cols[0].name),
                                         .unique = true,
                                         .nulls_not_distinct = c->index_shape % 2 });
    pcsm_drop_index(op, c->index2_name, PCSM_IF_EXISTS);
    pcsm_add_constraint(op, c->table, &(pcsm_constraint){
        .kind = PCSM_CHECK, .name = c->con2_name, .check = "true", .not_valid = true });
    pcsm_validate_constraint(op, c->table, c->con2_name);
    pcsm_drop_constraint(op, c->table, c->con2_name, PCSM_IF_EXISTS);
    pcsm_add_column(op, c->table, &(pcsm_column){ .name = c->drop_col, .type = PCSM_TEXT });
    pcsm_drop_column(op, c->table, c->drop_col, PCSM_IF_EXISTS | PCSM_DROP_CASCADE);
    pcsm_create_table(op, c->scratch, PCSM_COLUMNS(
        { .name = c->cols[0].name, .type = PCSM_INTEGER }), NULL, NULL);
    pcsm_drop_table(op, c->scratch, PCSM_IF_EXISTS | PCSM_DROP_CASCADE);

    params[0] = PCSM_LITERAL(c->param);
    pcsm_execute_params(op, "SELECT set_config('pcsm.fuzz', $1, true)", 1, params);
    params[0] = PCSM_LITERAL(c->key1);
    params[1] = PCSM_LITERAL(c->key2);
    pcsm_execute_params(op, c->insert_sql, 2, params);
    pcsm_batch_update(op, c->table, c->cols[0].name, c->set_sql, NULL, 1);

    record_columns_and_sequence(op, c);

    pcsm_rename_column(op, c->table, last, c->renamed);
    pcsm_rename_table(op, c->table, c->table2);
    pcsm_comment_table(op, c->table2, c->has_comment2 ? c->comment2 : NULL);
    pcsm_assert(op, "true", c->msg);
    if (c->drop_fn2)
        pcsm_drop_function(op, c->fn2_name, shape->drop_types, 0);
    pcsm_set_schema(op, NULL);
    if (c->extension >= 0 && c->drop_extension)
        pcsm_drop_extension(op, ddl_case_extensions[c->extension], 0);
}

void ddl_case_record_failing_assert(pcsm_op *op, const struct ddl_case *c)
{
    pcsm_assert(op, "false", c->msg);
}

/* ------------------------------------------------------------- oracle */

static bool name_ok(const char *s)
{
    return *s && strlen(s) <= CASE_IDENT_LIMIT && case_utf8_ok(s);
}

static bool col_ok(const struct ddl_case *c, const struct case_col *col)
{
    if (!name_ok(col->name) || (col->has_comment && !case_utf8_ok(col->comment)))
        return false;
    if (col->has_default && !expr_default[col->type] && !case_utf8_ok(col->def))
        return false;
    switch (col->type) {
    case CASE_VARCHAR:
        return col->p >= 0 && col->p <= 10485760;
    case CASE_NUMERIC:
        return col->p >= 0 && col->p <= 1000 && col->s >= 0 &&
               (col->p > 0 ? col->s <= col->p : col->s == 0);
    case CASE_TEXT_ARRAY:
        return col->dims >= 0 && col->dims <= 6;
    case CASE_NAMED:
        return name_ok(c->type_name);
    default:
        return true;
    }
}

bool ddl_case_acceptable(const struct ddl_case *c)
{
    const char *const names[] = {
        c->table, c->table2, c->scratch, c->check_name, c->unique_name, c->con2_name,
        c->index_name, c->index2_name, c->drop_col, c->renamed, c->type_name, c->type2,
        c->fn_name, c->fn2_name, c->trig_name, c->ident_col, c->gen_col, c->coll_col,
        c->seq_name, c->seq_rename ? c->seq_name2 : "n",
    };
    /* Enum labels: at most 63 bytes of UTF-8, none twice in one CREATE TYPE. */
    const char *const labels[] = { c->label1, c->label2, c->rename_label ? c->label3 : "" };
    const char *const texts[] = {
        c->default2, c->param, c->key1, c->key2, c->msg, c->insert_sql, c->set_sql,
        c->has_comment ? c->comment : "", c->has_comment2 ? c->comment2 : "",
        c->has_col_comment ? c->col_comment : "",
    };
    size_t i, j;

    for (i = 0; i < N_OF(names); i++)
        if (!name_ok(names[i]))
            return false;
    /* pg_ schemas are the server's: pcsm_create_schema() refuses them. */
    if (c->in_schema && (!name_ok(c->schema) || !strncmp(c->schema, "pg_", 3)))
        return false;
    for (i = 0; i < N_OF(texts); i++)
        if (!case_utf8_ok(texts[i]))
            return false;
    for (i = 0; i < N_OF(labels); i++)
        if (!case_utf8_ok(labels[i]) || strlen(labels[i]) > CASE_IDENT_LIMIT)
            return false;
    if (!strcmp(c->label1, "x"))
        return false;
    for (i = 0; i < c->n_cols; i++) {
        if (!col_ok(c, &c->cols[i]))
            return false;
        for (j = 0; j < i; j++)
            if (!strcmp(c->cols[i].name, c->cols[j].name))
                return false;
    }
    return col_ok(c, &c->added) && *c->msg;
}

void ddl_case_names(const struct ddl_case *c, void (*fn)(const char *s, void *payload),
                    void *payload)
{
    const char *const names[] = {
        c->table, c->table2, c->scratch, c->check_name, c->unique_name, c->con2_name,
        c->index_name, c->index2_name, c->drop_col, c->renamed, c->added.name,
        c->type_name, c->type2, c->fn_name, c->fn2_name, c->trig_name, c->ident_col,
        c->gen_col, c->coll_col, c->seq_name, ddl_case_collations[c->coll % 2],
    };
    size_t i;

    for (i = 0; i < N_OF(names); i++)
        fn(names[i], payload);
    if (c->coll_alter == 1)
        fn(ddl_case_collations[(c->coll + 1) % 2], payload);
    if (c->seq_rename)
        fn(c->seq_name2, payload);
    for (i = 0; i < c->n_cols; i++)
        fn(c->cols[i].name, payload);
    if (c->extension >= 0)
        fn(ddl_case_extensions[c->extension], payload);
    if (c->in_schema)
        fn(c->schema, payload);
    /* The fixed names of the index element shapes (see ddl_case_record). */
    if (c->index_shape == 1)
        fn("C", payload);
    else if (c->index_shape == 2)
        fn("text_pattern_ops", payload);
    else if (c->index_shape == 3) {
        fn("pg_catalog", payload);
        fn("varchar_pattern_ops", payload);
    }
}

void ddl_case_literals(const struct ddl_case *c, void (*fn)(const char *s, void *payload),
                       void *payload)
{
    char label[4 * CASE_NAME_MAX + 7];
    const struct case_col *cols[CASE_MAX_COLS + 1];
    size_t i;

    fn("pcsm.fuzz", payload);
    fn("batch_update %: batch %, % rows, % in all", payload);
    fn("P0004", payload);
    /* batch_update's label: its table as the SQL names it, qualified in a schema. */
    if (c->in_schema) {
        char q_table[2 * CASE_NAME_MAX + 3];

        case_quote_ident(label, sizeof(label), c->schema);
        case_quote_ident(q_table, sizeof(q_table), c->table);
        strcat(label, ".");
        strcat(label, q_table);
    } else {
        case_quote_ident(label, sizeof(label), c->table);
    }
    fn(label, payload);
    fn(c->default2, payload);
    fn(c->param, payload);
    fn(c->key1, payload);
    fn(c->key2, payload);
    fn(c->msg, payload);
    fn("x", payload);
    fn(c->label1, payload);
    fn(c->label2, payload);
    if (c->rename_label)
        fn(c->label3, payload);
    if (fn_shapes[c->fn2_shape % N_OF(fn_shapes)].literal)
        fn(fn_shapes[c->fn2_shape % N_OF(fn_shapes)].literal, payload);
    if (c->has_comment)
        fn(c->comment, payload);
    if (c->has_comment2)
        fn(c->comment2, payload);
    if (c->has_col_comment)
        fn(c->col_comment, payload);
    for (i = 0; i < c->n_cols; i++)
        cols[i] = &c->cols[i];
    cols[c->n_cols] = &c->added;
    for (i = 0; i <= c->n_cols; i++) {
        if (cols[i]->has_default && !expr_default[cols[i]->type])
            fn(cols[i]->def, payload);
        /* Column 0's comment from create_table is replaced, but still rendered. */
        if (cols[i]->has_comment)
            fn(cols[i]->comment, payload);
    }
}
