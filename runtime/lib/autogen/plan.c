/*
 * The difference of two models planned as DDL API calls, one direction at
 * a time: the diff layer says what differs, this file pairs renames, adds
 * what a change drags along (a view over a retyped column, the foreign
 * keys over a dropped primary key, the triggers of a re-created function)
 * and records the calls in an order the server accepts.
 */
#include <ctype.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "autogen/autogen.h"

/* A pair of names: a rename (from, to), or an object of a table (table, name). */
struct pair {
    const char *a, *b, *c;
    bool asked;                 /* a rename --rename asked for, not a guess */
};

struct pairs {
    struct pair *v;
    size_t n, cap;
};

struct planner {
    pcsm_ctx *ctx;
    pcsm_autogen *plan;
    struct pcsm_autogen_side *side;
    bool downgrade;
    const pcsm_schema *from, *to;
    /* Every schema's objects: a column of any names the target's collations. */
    const pcsm_schema *all_from, *all_to;
    const char *schema;         /* the schema planned; NULL: the target */
    const struct pcsm_diff_item **items;
    bool *skip;                 /* an item a rename took */
    size_t n_items, cap_items;
    struct pairs tables;        /* renamed: a from's name, b to's */
    struct pairs columns;       /* renamed: c from's table, a from's name, b to's */
    struct pairs sequences;     /* renamed: a from's name, b to's */
    struct pairs indexes;       /* renamed: a from's name, b to's */
    struct pairs constraints;   /* renamed: c from's table, a from's name, b to's */
    struct pairs labels;        /* renamed as asked: c the type, a from's label, b to's */
    unsigned flags;             /* PCSM_AUTOGEN_* */
    struct pcsm_autogen_asked *asked;   /* upgrade's renames asked for; kinds filled in */
    size_t n_asked;
    struct pairs detach_sequences;      /* renamed as asked, from an owner that may go */
    bool bodies_unchecked;              /* check_function_bodies is off from here on */
    /* What to do, by name: (table, name) or (name). */
    struct pairs drop_triggers, create_triggers, toggle_triggers;
    struct pairs converted;             /* (table, column) of an enum made again */
    struct pairs drop_policies, create_policies, row_security;
    struct pairs drop_views, create_views, refresh_views;
    struct pairs drop_constraints, add_constraints, validate_constraints;
    struct pairs drop_indexes, create_indexes;
    struct pairs recreate_functions, replace_functions, create_functions, drop_functions;
    struct pairs create_tables, drop_tables, table_comments;
    struct pairs add_columns, drop_columns, change_columns;
    struct pairs readded_columns;   /* (table, column) dropped and added again */
    struct pairs create_types, enum_changes, drop_types, labels_first, rebuilt_types;
    struct pairs create_sequences, alter_sequences, sequence_owners, drop_sequences;
    struct pairs create_extensions, drop_extensions;
    struct pairs create_collations, recreate_collations, drop_collations;
    struct pairs create_domains, recreate_domains, alter_domains, drop_domains;
    struct pairs drop_domain_checks, add_domain_checks, validate_domain_checks;
    struct pairs create_composites, alter_composites, drop_composites;
    struct pairs create_ranges, recreate_ranges, drop_ranges;
    struct pairs early_functions;   /* (name, signature) made before a range, its subtype_diff */
    /*
     * Partitions: (table, from's parent) detached, (table) attached, (table)
     * whose partitioning changed; a detached table's share of its parent's
     * keys and indexes that is the target's already, kept, not made again.
     */
    struct pairs detach_partitions, attach_partitions, repartition;
    struct pairs kept_constraints, kept_indexes, spared_constraints;
    char **owned;               /* strings the pairs above point at */
    size_t n_owned, cap_owned;
    pcsm_diff **extras;         /* the renamed pairs' own entries */
    size_t n_extras, cap_extras;
};

/* ------------------------------------------------------------ name sets */

static bool same(const char *a, const char *b)
{
    return a == b || (a && b && !strcmp(a, b));
}

static const struct pair *find(const struct pairs *s, const char *a, const char *b)
{
    size_t i;

    for (i = 0; i < s->n; i++)
        if (same(s->v[i].a, a) && same(s->v[i].b, b))
            return &s->v[i];
    return NULL;
}

static bool has(const struct pairs *s, const char *a, const char *b)
{
    return find(s, a, b) != NULL;
}

/* Adds (a, b) unless there; the strings are lent by the models. */
static void put(struct pairs *s, const char *a, const char *b)
{
    if (has(s, a, b))
        return;
    pcsm__grow(&s->v, &s->cap, s->n + 1, sizeof(*s->v));
    s->v[s->n++] = (struct pair){ a, b, NULL, false };
}

/* -------------------------------------------------------- what is said */

/*
 * A comment written before call `at`, appended to one already there; with
 * `error` (an #error line's message, without quotes or backslashes) the
 * build stops there until someone edits the file.
 */
static void vcomment_at(struct planner *p, size_t at, const char *error, const char *fmt,
                        va_list ap)
{
    struct pcsm_autogen_side *s = p->side;
    size_t old = s->cap;
    pcsm_buf text = PCSM_BUF_INIT;

    pcsm__grow(&s->comments, &s->cap, at + 1, sizeof(*s->comments));
    s->errors = pcsm__xrealloc(s->errors, s->cap * sizeof(*s->errors));
    memset(s->comments + old, 0, (s->cap - old) * sizeof(*s->comments));
    memset(s->errors + old, 0, (s->cap - old) * sizeof(*s->errors));
    if (s->comments[at]) {
        pcsm_buf_puts(&text, s->comments[at]);
        pcsm_buf_putc(&text, '\n');
        free(s->comments[at]);
    }
    pcsm_buf_vprintf(&text, fmt, ap);
    s->comments[at] = pcsm_buf_detach(&text);
    if (error && !s->errors[at])
        s->errors[at] = pcsm__xstrdup(error);
}

/* The comment written before the next call recorded. */
static void PCSM_PRINTF(3, 4) comment(struct planner *p, const char *error, const char *fmt, ...)
{
    va_list ap;

    va_start(ap, fmt);
    vcomment_at(p, pcsm_op__count(p->side->op), error, fmt, ap);
    va_end(ap);
}

/*
 * A notice is one line on a terminal: the control characters a name may
 * hold are escaped (\n, \t, \xNN), as the diff's text escapes them.
 */
static void one_line(pcsm_buf *text)
{
    pcsm_buf out = PCSM_BUF_INIT;
    size_t i;

    for (i = 0; i < text->len; i++) {
        unsigned char c = (unsigned char)text->ptr[i];

        if (c == '\n')
            pcsm_buf_puts(&out, "\\n");
        else if (c == '\t')
            pcsm_buf_puts(&out, "\\t");
        else if (c < 0x20 || c == 0x7f)
            pcsm_buf_printf(&out, "\\x%02x", c);
        else
            pcsm_buf_putc(&out, (char)c);
    }
    pcsm_buf_dispose(text);
    *text = out;
}

/* A notice about call `at` of this side. */
static void PCSM_PRINTF(4, 5) notice_at(struct planner *p, size_t at,
                                        enum pcsm_autogen_notice_kind kind, const char *fmt, ...)
{
    pcsm_autogen *a = p->plan;
    pcsm_buf text = PCSM_BUF_INIT;
    size_t cap = a->cap_notices;
    va_list ap;

    va_start(ap, fmt);
    pcsm_buf_vprintf(&text, fmt, ap);
    va_end(ap);
    one_line(&text);
    pcsm__grow(&a->notices, &a->cap_notices, a->n_notices + 1, sizeof(*a->notices));
    if (cap != a->cap_notices)
        a->notice_calls = pcsm__xrealloc(a->notice_calls,
                                         a->cap_notices * sizeof(*a->notice_calls));
    a->notice_calls[a->n_notices] = at;
    a->notices[a->n_notices++] = (pcsm_autogen_notice){ kind, p->downgrade,
                                                        pcsm_buf_detach(&text) };
}

#define notice(p, kind, ...) notice_at((p), pcsm_op__count((p)->side->op), (kind), __VA_ARGS__)

/* ------------------------------------------------------------ renames */

static const char *table_to(const struct planner *p, const char *from_name)
{
    size_t i;

    for (i = 0; i < p->tables.n; i++)
        if (!strcmp(p->tables.v[i].a, from_name))
            return p->tables.v[i].b;
    return from_name;
}

/*
 * From's name of what renames `s` holds (a from's name, b to's, c from's
 * table or NULL) that to calls to_name: the same unless renamed.
 */
static const char *renamed_from(const struct pairs *s, const char *from_table,
                                const char *to_name)
{
    size_t i;

    for (i = 0; i < s->n; i++)
        if (!strcmp(s->v[i].b, to_name) && same(s->v[i].c, from_table))
            return s->v[i].a;
    return to_name;
}

/* From's name of to's table t (the same unless renamed). */
static const char *table_from(const struct planner *p, const char *to_name)
{
    return renamed_from(&p->tables, NULL, to_name);
}

static const char *column_from(const struct planner *p, const char *from_table,
                               const char *to_column)
{
    size_t i;

    for (i = 0; i < p->columns.n; i++)
        if (!strcmp(p->columns.v[i].c, from_table) && !strcmp(p->columns.v[i].b, to_column))
            return p->columns.v[i].a;
    return to_column;
}

/* A column of from's table `table` (from's name), as to names it. */
static const char *column_to(const struct planner *p, const char *table, const char *column)
{
    size_t i;

    for (i = 0; i < p->columns.n; i++)
        if (!strcmp(p->columns.v[i].c, table) && !strcmp(p->columns.v[i].a, column))
            return p->columns.v[i].b;
    return column;
}

static bool names_to_eq(const struct planner *p, const char *table, char *const *a,
                        char *const *b)
{
    size_t i;

    if (!a || !b)
        return !a && !b;
    for (i = 0; a[i] && b[i]; i++)
        if (strcmp(column_to(p, table, a[i]), b[i]))
            return false;
    return !a[i] && !b[i];
}

/* Columns alike enough that one going while the other came reads as a rename. */
static bool same_column_shape(const struct pcsm_schema_column *a,
                              const struct pcsm_schema_column *b)
{
    return pcsm_schema__type_eq(a->type, b->type) && a->not_null == b->not_null &&
           a->identity == b->identity && !a->generated == !b->generated;
}

/*
 * Tables alike enough: column for column of the same shape, and most of
 * them under the same name (a table renamed with a column or two renamed
 * too is still the one table; its columns pair next).
 */
static bool same_table_shape(const struct pcsm_schema_table *a, const struct pcsm_schema_table *b)
{
    size_t i, named = 0;

    if (a->n_columns != b->n_columns)
        return false;
    for (i = 0; i < a->n_columns; i++) {
        if (!same_column_shape(&a->columns[i], &b->columns[i]))
            return false;
        named += !strcmp(a->columns[i].name, b->columns[i].name);
    }
    return 2 * named > a->n_columns;
}

static void add_items(struct planner *p, const pcsm_diff *d, size_t first)
{
    size_t i;

    for (i = first; i < d->n_items; i++) {
        pcsm__grow(&p->items, &p->cap_items, p->n_items + 1, sizeof(*p->items));
        p->skip = pcsm__xrealloc(p->skip, p->cap_items * sizeof(*p->skip));
        p->skip[p->n_items] = false;
        p->items[p->n_items++] = &d->items[i];
    }
}

static bool is(const struct pcsm_diff_item *it, enum pcsm_diff_object object,
               enum pcsm_diff_change change)
{
    return it->pub.object == object && it->pub.change == change;
}

/* A diff of its own for a pair's entries, so that no item the list points at moves. */
static pcsm_diff *new_diff(struct planner *p)
{
    pcsm__grow(&p->extras, &p->cap_extras, p->n_extras + 1, sizeof(*p->extras));
    return p->extras[p->n_extras++] = pcsm__xcalloc(1, sizeof(pcsm_diff));
}

/*
 * Whether what went (item `gone`) and what came (`came`) read as one thing
 * renamed; if so, it is recorded as such, and its own differences join the
 * items.
 */
typedef bool pair_fn(struct planner *p, const struct pcsm_diff_item *gone,
                     const struct pcsm_diff_item *came);

/* Records a rename (a, b) of table c (or none); asked, or a guess. */
static void put_rename(struct pairs *s, const char *a, const char *b, const char *c, bool asked)
{
    pcsm__grow(&s->v, &s->cap, s->n + 1, sizeof(*s->v));
    s->v[s->n++] = (struct pair){ a, b, c, asked };
}

/* Table a renamed b: the differences of the two join the items. */
static void take_table(struct planner *p, const struct pcsm_schema_table *a,
                       const struct pcsm_schema_table *b, bool asked)
{
    pcsm_diff *d = new_diff(p);

    put_rename(&p->tables, a->name, b->name, NULL, asked);
    pcsm_diff__table(d, p->from, p->to, a, b);
    add_items(p, d, 0);
}

/* A table that went and one of the same columns that came. */
static bool pair_table(struct planner *p, const struct pcsm_diff_item *gone,
                       const struct pcsm_diff_item *came)
{
    const struct pcsm_schema_table *a = pcsm_schema__table(p->from, gone->head);
    const struct pcsm_schema_table *b = pcsm_schema__table(p->to, came->head);

    if (!a || !b || !same_table_shape(a, b))
        return false;
    take_table(p, a, b, false);
    return true;
}

/* Column a of from's table renamed b: the differences of the two join the items. */
static void take_column(struct planner *p, const char *table, const struct pcsm_schema_column *a,
                        const struct pcsm_schema_column *b, bool asked)
{
    pcsm_diff *d = new_diff(p);

    put_rename(&p->columns, a->name, b->name, table, asked);
    pcsm_diff__column(d, table, a, b);
    add_items(p, d, 0);
}

/* A column that went and one of its shape that came to the same table. */
static bool pair_column(struct planner *p, const struct pcsm_diff_item *gone,
                        const struct pcsm_diff_item *came)
{
    const struct pcsm_schema_table *ta = pcsm_schema__table(p->from, gone->head);
    const struct pcsm_schema_table *tb = pcsm_schema__table(p->to, table_to(p, gone->head));
    const struct pcsm_schema_column *a = ta ? pcsm_schema__column(ta, gone->sub) : NULL;
    const struct pcsm_schema_column *b = tb ? pcsm_schema__column(tb, came->sub) : NULL;

    if (strcmp(gone->head, came->head) || !a || !b || !same_column_shape(a, b))
        return false;
    take_column(p, ta->name, a, b, false);
    return true;
}

/*
 * A sequence that went and one with the same options and owner that came:
 * made anew, it would number from its start again, below values in use.
 */
static bool pair_sequence(struct planner *p, const struct pcsm_diff_item *gone,
                          const struct pcsm_diff_item *came)
{
    const struct pcsm_schema_sequence *a = pcsm_schema__sequence(p->from, gone->head);
    const struct pcsm_schema_sequence *b = pcsm_schema__sequence(p->to, came->head);

    if (!a || !b || !pcsm_schema__seq_eq(&a->options, &b->options) ||
        !a->owned_table != !b->owned_table)
        return false;
    if (a->owned_table && (strcmp(table_to(p, a->owned_table), b->owned_table) ||
                           strcmp(column_to(p, a->owned_table, a->owned_column),
                                  b->owned_column)))
        return false;
    put(&p->sequences, a->name, b->name);
    return true;
}

/* An index that went and one of the same definition that came: only its name changed. */
static bool pair_index(struct planner *p, const struct pcsm_diff_item *gone,
                       const struct pcsm_diff_item *came)
{
    const struct pcsm_schema_index *a = pcsm_schema__index(p->from, gone->head);
    const struct pcsm_schema_index *b = pcsm_schema__index(p->to, came->head);

    if (!a || !b || strcmp(table_to(p, a->table), b->table) ||
        !names_to_eq(p, a->table, a->columns, b->columns) ||
        !pcsm_schema__str_eq(a->expression, b->expression) || a->unique != b->unique ||
        !pcsm_schema__str_eq(a->method ? a->method : "btree", b->method ? b->method : "btree") ||
        !pcsm_schema__str_eq(a->where, b->where) ||
        !pcsm_schema__elements_eq(a->elements, b->elements) ||
        a->nulls_not_distinct != b->nulls_not_distinct)
        return false;
    put(&p->indexes, a->name, b->name);
    return true;
}

static const struct pcsm_schema_constraint *constraint_of(const pcsm_schema *s, const char *table,
                                                         const char *name);
static size_t label_index(char *const *labels, const char *label);

/* A named constraint that went and one of the same definition that came to its table. */
static bool pair_constraint(struct planner *p, const struct pcsm_diff_item *gone,
                            const struct pcsm_diff_item *came)
{
    const struct pcsm_schema_table *ta = pcsm_schema__table(p->from, gone->head);
    const struct pcsm_schema_constraint *a, *b;

    if (!ta || strcmp(gone->head, came->head) || !gone->sub || !came->sub)
        return false;
    a = constraint_of(p->from, gone->head, gone->sub);
    b = constraint_of(p->to, table_to(p, came->head), came->sub);
    if (!a || !b || a->kind != b->kind || !names_to_eq(p, ta->name, a->columns, b->columns) ||
        !pcsm_schema__str_eq(a->check, b->check) ||
        !pcsm_schema__str_eq(a->ref_schema, b->ref_schema) ||
        !a->references != !b->references ||
        (a->references && (strcmp(table_to(p, a->references), b->references) ||
                           !names_to_eq(p, a->references, a->ref_columns, b->ref_columns))) ||
        a->on_delete != b->on_delete || a->on_update != b->on_update ||
        a->deferrable != b->deferrable || a->not_valid != b->not_valid ||
        a->nulls_not_distinct != b->nulls_not_distinct)
        return false;
    put_rename(&p->constraints, a->name, b->name, ta->name, false);
    return true;
}

/* Each `object` that went paired with the first that came and `pair` accepts. */
static void pair_items(struct planner *p, enum pcsm_diff_object object, pair_fn *pair)
{
    size_t i, j, n = p->n_items;

    for (i = 0; i < n; i++) {
        if (p->skip[i] || !is(p->items[i], object, PCSM_DIFF_MISSING))
            continue;
        for (j = 0; j < n; j++)
            if (!p->skip[j] && is(p->items[j], object, PCSM_DIFF_EXTRA) &&
                pair(p, p->items[i], p->items[j])) {
                p->skip[i] = p->skip[j] = true;
                break;
            }
    }
}

/* ------------------------------------------------- renames asked for */

/* What a rename asked for renames, as from has the old name. */
enum asked_kind { ASK_TABLE, ASK_COLUMN, ASK_SEQUENCE, ASK_INDEX, ASK_CONSTRAINT, ASK_LABEL };

/* A rename asked for, in this direction: downgrade undoes it. */
struct asked_rename {
    const char *spec;           /* as given, for messages */
    const char *prefix;         /* from's table, or the enum type; NULL: none */
    const char *old_name, *new_name;
};

static struct asked_rename asked_at(const struct planner *p, size_t i)
{
    const struct pcsm_autogen_asked *r = &p->asked[i];
    struct asked_rename a = { r->spec, r->prefix, r->old_name, r->new_name };

    if (p->downgrade) {
        a.old_name = r->new_name;
        a.new_name = r->old_name;
        /* The head's table, as the development database (downgrade's from) calls it. */
        if (a.prefix && pcsm_schema__table(p->to, a.prefix))
            a.prefix = table_from(p, a.prefix);
    }
    return a;
}

/* The side a model is, for messages. */
static const char *side_name(const struct planner *p, bool to)
{
    return to != p->downgrade ? "the development database" : "the schema at head";
}

static int PCSM_PRINTF(3, 4) refuse(const struct planner *p, const struct asked_rename *r,
                                    const char *fmt, ...)
{
    pcsm_buf text = PCSM_BUF_INIT;
    va_list ap;
    int rc;

    va_start(ap, fmt);
    pcsm_buf_vprintf(&text, fmt, ap);
    va_end(ap);
    rc = pcsm_error__set(p->ctx, PCSM_EINVALID, "--rename %s: %s", r->spec, text.ptr);
    pcsm_buf_dispose(&text);
    return rc;
}

/* What from holds under the old name: a rename of that kind, else an error. */
static int asked_kind(const struct planner *p, const struct asked_rename *r,
                      enum asked_kind *kind)
{
    const struct pcsm_schema_table *t;
    const struct pcsm_schema_type *ty;

    if (!r->prefix) {
        if (pcsm_schema__table(p->from, r->old_name))
            *kind = ASK_TABLE;
        else if (pcsm_schema__sequence(p->from, r->old_name))
            *kind = ASK_SEQUENCE;
        else if (pcsm_schema__index(p->from, r->old_name))
            *kind = ASK_INDEX;
        else if (pcsm_schema__view(p->from, r->old_name) ||
                 pcsm_schema__type(p->from, r->old_name))
            return refuse(p, r, "%s is a %s, which autogenerate makes again rather than "
                          "renames; --rename takes tables, columns, sequences, indexes, "
                          "constraints and enum labels", r->old_name,
                          pcsm_schema__view(p->from, r->old_name) ? "view" : "type");
        else
            return refuse(p, r, "%s has no table, sequence or index %s",
                          side_name(p, false), r->old_name);
        return 0;
    }
    t = pcsm_schema__table(p->from, r->prefix);
    ty = pcsm_schema__type(p->from, r->prefix);
    if (t) {
        bool column = pcsm_schema__column(t, r->old_name) != NULL;
        bool constraint = constraint_of(p->from, t->name, r->old_name) != NULL;

        if (column && constraint)
            return refuse(p, r, "table %s has a column and a constraint %s: rename one of "
                          "them by hand", t->name, r->old_name);
        if (!column && !constraint)
            return refuse(p, r, "table %s has no column or constraint %s in %s", t->name,
                          r->old_name, side_name(p, false));
        *kind = column ? ASK_COLUMN : ASK_CONSTRAINT;
        return 0;
    }
    if (ty && ty->labels) {
        if (label_index(ty->labels, r->old_name) == (size_t)-1)
            return refuse(p, r, "enum type %s has no label %s in %s", ty->name, r->old_name,
                          side_name(p, false));
        *kind = ASK_LABEL;
        return 0;
    }
    return refuse(p, r, "%s has no table or enum type %s", side_name(p, false), r->prefix);
}

/* The index of the unpaired item of object, change, head and sub, or n_items. */
static size_t item_of(const struct planner *p, enum pcsm_diff_object object,
                      enum pcsm_diff_change change, const char *head, const char *sub)
{
    size_t i;

    for (i = 0; i < p->n_items; i++)
        if (!p->skip[i] && is(p->items[i], object, change) && same(p->items[i]->head, head) &&
            same(p->items[i]->sub, sub))
            break;
    return i;
}

/*
 * The old name gone from the wanted side, the new one come: what makes a
 * rename.  `what` names the kind; `old_there`, `new_there`: whether to has
 * the old name and from the new one; `new_found`: whether to has the new.
 */
static int check_names(const struct planner *p, const struct asked_rename *r, const char *what,
                       bool old_there, bool new_found, bool new_there)
{
    if (old_there)
        return refuse(p, r, "%s still has %s %s: a rename leaves nothing of the old name",
                      side_name(p, true), what, r->old_name);
    if (!new_found)
        return refuse(p, r, "%s has no %s %s", side_name(p, true), what, r->new_name);
    if (new_there)
        return refuse(p, r, "%s already has %s %s", side_name(p, false), what, r->new_name);
    return 0;
}

/*
 * The two items of a rename taken off the list: check_names() has made
 * sure the diff has them (the old name went, the new one came).
 */
static void take_items(struct planner *p, enum pcsm_diff_object object, const char *head_a,
                       const char *sub_a, const char *head_b, const char *sub_b)
{
    size_t gone = item_of(p, object, PCSM_DIFF_MISSING, head_a, sub_a);
    size_t came = item_of(p, object, PCSM_DIFF_EXTRA, head_b, sub_b);

    if (gone < p->n_items)
        p->skip[gone] = true;
    if (came < p->n_items)
        p->skip[came] = true;
}

static int ask_table(struct planner *p, const struct asked_rename *r)
{
    const struct pcsm_schema_table *a = pcsm_schema__table(p->from, r->old_name);
    const struct pcsm_schema_table *b = pcsm_schema__table(p->to, r->new_name);
    int rc = check_names(p, r, "table", pcsm_schema__table(p->to, r->old_name) != NULL,
                         b != NULL, pcsm_schema__table(p->from, r->new_name) != NULL);

    if (rc == 0) {
        take_items(p, PCSM_DIFF_TABLE, a->name, NULL, b->name, NULL);
        take_table(p, a, b, true);
    }
    return rc;
}

static int ask_column(struct planner *p, const struct asked_rename *r)
{
    const struct pcsm_schema_table *ta = pcsm_schema__table(p->from, r->prefix);
    const struct pcsm_schema_table *tb = pcsm_schema__table(p->to, table_to(p, r->prefix));
    const struct pcsm_schema_column *b;
    int rc;

    if (!tb)
        return refuse(p, r, "%s has no table %s", side_name(p, true), table_to(p, r->prefix));
    b = pcsm_schema__column(tb, r->new_name);
    rc = check_names(p, r, "column", pcsm_schema__column(tb, r->old_name) != NULL, b != NULL,
                     pcsm_schema__column(ta, r->new_name) != NULL);
    if (rc == 0) {
        take_items(p, PCSM_DIFF_COLUMN, ta->name, r->old_name, ta->name, b->name);
        take_column(p, ta->name, pcsm_schema__column(ta, r->old_name), b, true);
    }
    return rc;
}

/* The options and owner may change too: renames() alters them after. */
static int ask_sequence(struct planner *p, const struct asked_rename *r)
{
    const struct pcsm_schema_sequence *a = pcsm_schema__sequence(p->from, r->old_name);
    const struct pcsm_schema_sequence *b = pcsm_schema__sequence(p->to, r->new_name);
    int rc = check_names(p, r, "sequence", pcsm_schema__sequence(p->to, r->old_name) != NULL,
                         b != NULL, pcsm_schema__sequence(p->from, r->new_name) != NULL);

    if (rc < 0)
        return rc;
    take_items(p, PCSM_DIFF_SEQUENCE, a->name, NULL, b->name, NULL);
    put_rename(&p->sequences, a->name, b->name, NULL, true);
    if (!a->owned_table != !b->owned_table ||
        (a->owned_table && (strcmp(table_to(p, a->owned_table), b->owned_table) ||
                            strcmp(column_to(p, a->owned_table, a->owned_column),
                                   b->owned_column)))) {
        /* Its old column may go in this revision, and would take it along. */
        if (a->owned_table)
            put(&p->detach_sequences, a->name, NULL);
        put(&p->sequence_owners, b->name, NULL);
    }
    return 0;
}

/* An index or constraint keeps its definition through a rename, or it is no rename. */
static int ask_index(struct planner *p, const struct asked_rename *r)
{
    const struct pcsm_schema_index *b = pcsm_schema__index(p->to, r->new_name);
    struct pcsm_diff_item gone = { .head = (char *)r->old_name };
    struct pcsm_diff_item came = { .head = (char *)r->new_name };
    int rc = check_names(p, r, "index", pcsm_schema__index(p->to, r->old_name) != NULL,
                         b != NULL, pcsm_schema__index(p->from, r->new_name) != NULL);

    if (rc == 0 && !pair_index(p, &gone, &came))
        rc = refuse(p, r, "the two indexes differ in their definitions, and an index is "
                    "built again when its definition changes, whatever its name");
    if (rc == 0) {
        take_items(p, PCSM_DIFF_INDEX, r->old_name, NULL, r->new_name, NULL);
        p->indexes.v[p->indexes.n - 1].asked = true;
    }
    return rc;
}

static int ask_constraint(struct planner *p, const struct asked_rename *r)
{
    const char *tb = table_to(p, r->prefix);
    struct pcsm_diff_item gone = { .head = (char *)r->prefix, .sub = (char *)r->old_name };
    struct pcsm_diff_item came = { .head = (char *)r->prefix, .sub = (char *)r->new_name };
    int rc;

    if (!pcsm_schema__table(p->to, tb))
        return refuse(p, r, "%s has no table %s", side_name(p, true), tb);
    rc = check_names(p, r, "constraint", constraint_of(p->to, tb, r->old_name) != NULL,
                     constraint_of(p->to, tb, r->new_name) != NULL,
                     constraint_of(p->from, r->prefix, r->new_name) != NULL);
    if (rc == 0 && !pair_constraint(p, &gone, &came))
        rc = refuse(p, r, "the two constraints differ in their definitions, and a constraint "
                    "is added again when its definition changes, whatever its name");
    if (rc == 0) {
        take_items(p, PCSM_DIFF_CONSTRAINT, r->prefix, r->old_name, r->prefix, r->new_name);
        p->constraints.v[p->constraints.n - 1].asked = true;
    }
    return rc;
}

/* Labels are renamed where enum_change() plans the type. */
static int ask_label(struct planner *p, const struct asked_rename *r)
{
    const struct pcsm_schema_type *a = pcsm_schema__type(p->from, r->prefix);
    const struct pcsm_schema_type *b = pcsm_schema__type(p->to, r->prefix);
    int rc;

    if (!b || !b->labels)
        return refuse(p, r, "%s has no enum type %s", side_name(p, true), r->prefix);
    rc = check_names(p, r, "label", label_index(b->labels, r->old_name) != (size_t)-1,
                     label_index(b->labels, r->new_name) != (size_t)-1,
                     label_index(a->labels, r->new_name) != (size_t)-1);
    if (rc == 0)
        put_rename(&p->labels, r->old_name, r->new_name, a->name, true);
    return rc;
}

/* Every rename asked for of one kind paired, or the first that cannot be refused. */
static int ask_renames(struct planner *p, enum asked_kind kind)
{
    static int (*const take[])(struct planner *, const struct asked_rename *) = {
        [ASK_TABLE] = ask_table, [ASK_COLUMN] = ask_column, [ASK_SEQUENCE] = ask_sequence,
        [ASK_INDEX] = ask_index, [ASK_CONSTRAINT] = ask_constraint, [ASK_LABEL] = ask_label,
    };
    size_t i;
    int rc = 0;

    for (i = 0; rc == 0 && i < p->n_asked; i++) {
        struct asked_rename r = asked_at(p, i);
        enum asked_kind k = ASK_TABLE;

        /* A column's table is found once tables have paired (downgrade's is renamed). */
        if (r.prefix && kind == ASK_TABLE)
            continue;
        /* Upgrade's reading holds for downgrade (a constraint renamed to a column's name). */
        if (p->asked[i].kind >= 0)
            k = (enum asked_kind)p->asked[i].kind;
        else if ((rc = asked_kind(p, &r, &k)) == 0)
            p->asked[i].kind = (int)k;
        if (rc == 0 && k == kind)
            rc = take[kind](p, &r);
    }
    return rc;
}

/*
 * Renames asked for, then guessed: tables first, so that the columns of a
 * renamed table (its own entries, added by the pairing) pair too; then
 * sequences, whose owners may be renamed columns; indexes and constraints
 * over renamed tables and columns.
 */
static int pair_renames(struct planner *p)
{
    static const struct {
        enum asked_kind asked;
        enum pcsm_diff_object object;
        pair_fn *guess;
    } order[] = {
        { ASK_TABLE, PCSM_DIFF_TABLE, pair_table },
        { ASK_COLUMN, PCSM_DIFF_COLUMN, pair_column },
        { ASK_SEQUENCE, PCSM_DIFF_SEQUENCE, pair_sequence },
        { ASK_INDEX, PCSM_DIFF_INDEX, pair_index },
        { ASK_CONSTRAINT, PCSM_DIFF_CONSTRAINT, pair_constraint },
        { ASK_LABEL, 0, NULL },
    };
    size_t i;
    int rc = 0;

    for (i = 0; rc == 0 && i < sizeof(order) / sizeof(order[0]); i++) {
        rc = ask_renames(p, order[i].asked);
        if (rc == 0 && order[i].guess && !(p->flags & PCSM_AUTOGEN_NO_RENAMES))
            pair_items(p, order[i].object, order[i].guess);
    }
    return rc;
}

/* ------------------------------------------------------- what to do */

/* A CHANGED entry that only says a rename happened (an index's table, a key's columns). */
static bool explained(const struct planner *p, const struct pcsm_diff_item *it)
{
    const char *attr = it->pub.attribute;

    if (it->pub.object == PCSM_DIFF_INDEX) {
        const struct pcsm_schema_index *a = pcsm_schema__index(p->from, it->head);
        const struct pcsm_schema_index *b = pcsm_schema__index(p->to, it->head);

        if (!a || !b)
            return false;
        if (!strcmp(attr, "table"))
            return !strcmp(table_to(p, a->table), b->table);
        if (!strcmp(attr, "columns"))
            return names_to_eq(p, a->table, a->columns, b->columns);
        return false;
    }
    if (it->pub.object == PCSM_DIFF_CONSTRAINT) {
        const struct pcsm_schema_table *ta = pcsm_schema__table(p->from, it->head);
        const struct pcsm_schema_table *tb = pcsm_schema__table(p->to, table_to(p, it->head));
        const struct pcsm_schema_constraint *a = NULL, *b = NULL;
        size_t i;

        for (i = 0; ta && i < ta->n_constraints; i++)
            if (same(ta->constraints[i].name, it->sub))
                a = &ta->constraints[i];
        for (i = 0; tb && i < tb->n_constraints; i++)
            if (same(tb->constraints[i].name, it->sub))
                b = &tb->constraints[i];
        if (!a || !b)
            return false;
        if (!strcmp(attr, "columns"))
            return names_to_eq(p, ta->name, a->columns, b->columns);
        if (!strcmp(attr, "references"))
            return a->references && b->references &&
                   !strcmp(table_to(p, a->references), b->references) &&
                   names_to_eq(p, a->references, a->ref_columns, b->ref_columns);
        return false;
    }
    if (it->pub.object == PCSM_DIFF_SEQUENCE && !strcmp(attr, "owned_by")) {
        const struct pcsm_schema_sequence *a = pcsm_schema__sequence(p->from, it->head);
        const struct pcsm_schema_sequence *b = pcsm_schema__sequence(p->to, it->head);

        return a && b && a->owned_table && b->owned_table &&
               !strcmp(table_to(p, a->owned_table), b->owned_table) &&
               !strcmp(column_to(p, a->owned_table, a->owned_column), b->owned_column);
    }
    return false;
}

/* The signature in a function entry's path, "integer,text" of "f(integer,text)". */
static char *entry_signature(const struct pcsm_diff_item *it)
{
    const char *open = it->pub.path + strlen(it->head);
    size_t len = strlen(open);
    char *sig;

    if (*open != '(' || len < 2)
        return pcsm__xstrdup("");
    sig = pcsm__xstrdup(open + 1);
    sig[len - 2] = '\0';
    return sig;
}

/* s (malloc'd), kept until the planner is done. */
static const char *keep(struct planner *p, char *s)
{
    pcsm__grow(&p->owned, &p->cap_owned, p->n_owned + 1, sizeof(*p->owned));
    p->owned[p->n_owned++] = s;
    return s;
}

static const struct pcsm_schema_constraint *constraint_of(const pcsm_schema *s, const char *table,
                                                         const char *name);

/* ------------------------------------------------------------- partitions */

/* Whether from's table and to's of that name are partitions of one parent, which stays. */
static bool staying_partition(const struct planner *p, const char *name)
{
    const struct pcsm_schema_table *a = pcsm_schema__table(p->from, name);
    const struct pcsm_schema_table *b = pcsm_schema__table(p->to, name);

    return a && b && a->partition_of && b->partition_of &&
           !strcmp(a->partition_of, b->partition_of) &&
           pcsm_schema__table(p->to, b->partition_of) &&
           pcsm_schema__str_eq(a->partition_bound, b->partition_bound);
}

/*
 * A staying partition's columns are its parent's, changed there: their
 * own differences are not the revision's to write (the_partitions() says
 * what it has of its own).
 */
static void skip_partition_columns(struct planner *p)
{
    size_t i;

    for (i = 0; i < p->n_items; i++)
        if (p->items[i]->pub.object == PCSM_DIFF_COLUMN && staying_partition(p, p->items[i]->head))
            p->skip[i] = true;
}

/* Table `head` of from is detached from its parent, or attached, or both (a new bound). */
static void partition_changed(struct planner *p, const char *head)
{
    const struct pcsm_schema_table *a = pcsm_schema__table(p->from, head);
    const struct pcsm_schema_table *b = pcsm_schema__table(p->to, table_to(p, head));

    if (a && a->partition_of)
        put(&p->detach_partitions, head, a->partition_of);
    if (b && b->partition_of)
        put(&p->attach_partitions, b->name, NULL);
}

/*
 * Detached before anything goes (its parent may): what it holds then of
 * its parent's keys and indexes is kept where the target has the same,
 * else dropped, so that the target's are made as for any table.
 */
static void detach_partitions(struct planner *p)
{
    pcsm_op *op = p->side->op;
    size_t i, k;

    for (i = 0; i < p->detach_partitions.n; i++) {
        const char *name = p->detach_partitions.v[i].a;
        const struct pcsm_schema_table *t = pcsm_schema__table(p->from, name);
        const struct pcsm_schema_table *to = pcsm_schema__table(p->to, table_to(p, name));
        struct pcsm_schema_constraint *cons;
        struct pcsm_schema_index *ixs;
        size_t n_cons, n_ixs;

        /* Attached again to the same parent (a new bound): all it holds is the parent's again. */
        bool again = to && to->partition_of && !strcmp(to->partition_of, t->partition_of);

        pcsm_detach_partition(op, p->detach_partitions.v[i].b, name);
        pcsm_schema__detached_shares(p->from, t, &cons, &n_cons, &ixs, &n_ixs);
        for (k = 0; k < n_cons; k++) {
            const struct pcsm_schema_constraint *c = to ? constraint_of(p->to, to->name,
                                                                        cons[k].name) : NULL;
            const char *kept = keep(p, pcsm__xstrdup(cons[k].name));

            if (again && cons[k].kind == PCSM_CHECK)
                put(&p->spared_constraints, name, kept);
            else if (!again && c && pcsm_schema__constraint_eq(c, &cons[k]))
                put(&p->kept_constraints, to->name, kept);
            else if (!again)
                pcsm_drop_constraint(op, name, kept, 0);
            pcsm_schema__free_constraint(&cons[k]);
        }
        for (k = 0; k < n_ixs; k++) {
            const struct pcsm_schema_index *ix = pcsm_schema__index(p->to, ixs[k].name);

            free(ixs[k].table);
            ixs[k].table = pcsm__xstrdup(to ? to->name : name);
            if (!again && ix && pcsm_schema__index_eq(ix, &ixs[k]))
                put(&p->kept_indexes, keep(p, pcsm__xstrdup(ixs[k].name)), NULL);
            else if (!again)
                pcsm_drop_index(op, ixs[k].name, 0);
            pcsm_schema__free_index(&ixs[k]);
        }
        free(cons);
        free(ixs);
    }
}

/*
 * Before a table is attached: its CHECKs of the parent's names stay (the
 * server requires them, and the partition then holds them as its
 * parent's), and those it lacks are added.
 */
static void spare_checks(struct planner *p)
{
    size_t i, k;

    for (i = 0; i < p->attach_partitions.n; i++) {
        const struct pcsm_schema_table *t = pcsm_schema__table(p->to, p->attach_partitions.v[i].a);
        const struct pcsm_schema_table *parent = pcsm_schema__table(p->to, t->partition_of);
        const char *ft = table_from(p, t->name);
        const struct pcsm_schema_table *was = pcsm_schema__table(p->from, ft);

        for (k = 0; parent && was && k < parent->n_constraints; k++) {
            const struct pcsm_schema_constraint *pc = &parent->constraints[k];
            const struct pcsm_schema_constraint *c = constraint_of(p->from, ft, pc->name);

            if (pc->kind == PCSM_CHECK && c && c->kind == PCSM_CHECK &&
                pcsm_diff__same_sql(c->check, pc->check))
                put(&p->spared_constraints, ft, c->name);
        }
    }
}

static void attach_partitions(struct planner *p)
{
    pcsm_op *op = p->side->op;
    size_t i, k;

    for (i = 0; i < p->attach_partitions.n; i++) {
        const struct pcsm_schema_table *t = pcsm_schema__table(p->to, p->attach_partitions.v[i].a);
        const struct pcsm_schema_table *parent = pcsm_schema__table(p->to, t->partition_of);

        if (has(&p->create_tables, t->name, NULL))
            continue;
        for (k = 0; parent && k < parent->n_constraints; k++) {
            const struct pcsm_schema_constraint *pc = &parent->constraints[k];
            pcsm_constraint api;

            if (pc->kind != PCSM_CHECK || !pc->name ||
                has(&p->spared_constraints, table_from(p, t->name), pc->name))
                continue;
            api = pcsm_schema__api_constraint(pc);
            pcsm_add_constraint(op, t->name, &api);
        }
        pcsm_attach_partition(op, t->partition_of, t->name, t->partition_bound);
    }
}

/*
 * What a staying partition's columns have of their own once its parent's
 * changes reached them: a default, NOT NULL or comment other than those.
 */
static void the_partitions(struct planner *p)
{
    pcsm_op *op = p->side->op;
    size_t i, k;

    for (i = 0; i < p->to->n_tables; i++) {
        const struct pcsm_schema_table *t = &p->to->tables[i], *was, *pt, *pf;

        if (!staying_partition(p, t->name))
            continue;
        was = pcsm_schema__table(p->from, t->name);
        pt = pcsm_schema__table(p->to, t->partition_of);
        pf = pcsm_schema__table(p->from, t->partition_of);
        for (k = 0; k < t->n_columns; k++) {
            const struct pcsm_schema_column *c = &t->columns[k];
            const struct pcsm_schema_column *fc = pcsm_schema__column(was, c->name);
            const struct pcsm_schema_column *ptc = pcsm_schema__column(pt, c->name);
            const struct pcsm_schema_column *pfc = pf ? pcsm_schema__column(pf, c->name) : NULL;
            const char *dflt;
            bool not_null;

            if (!ptc)
                continue;
            /* What the parent's change gave it, or what it had. */
            dflt = !fc || !pfc || !pcsm_schema__str_eq(pfc->default_value.text,
                                                       ptc->default_value.text)
                   ? ptc->default_value.text : fc->default_value.text;
            not_null = !fc || !pfc || pfc->not_null != ptc->not_null ? ptc->not_null
                                                                      : fc->not_null;
            if (!pcsm_schema__str_eq(dflt, c->default_value.text)) {
                if (c->default_value.kind)
                    pcsm_set_default(op, t->name, c->name, c->default_value);
                else
                    pcsm_drop_default(op, t->name, c->name);
            }
            if (not_null != c->not_null) {
                if (c->not_null)
                    pcsm_set_not_null(op, t->name, c->name);
                else
                    pcsm_drop_not_null(op, t->name, c->name);
            }
            if (!pcsm_schema__str_eq(fc ? fc->comment : NULL, c->comment))
                pcsm_comment_column(op, t->name, c->name, c->comment);
        }
    }
}

/* A table whose partitioning changed is the author's to make again: rows have to move. */
static void repartition(struct planner *p)
{
    size_t i;

    for (i = 0; i < p->repartition.n; i++) {
        const char *name = p->repartition.v[i].a;

        comment(p, "arrange the partitioning change below", "table %s changes its "
                "partitioning (PARTITION BY), which no ALTER TABLE can: make the new table "
                "under another name with its partitions, move the rows (INSERT ... SELECT), "
                "drop the old one and rename the new", name);
        notice(p, PCSM_AUTOGEN_PLACEHOLDER, "table %s: its partitioning changed", name);
    }
}

/* ---------------------------------------------------- table inheritance */

/*
 * How many of to's table `tt`'s parents stay its parents through the
 * revision: those from's table (`ft`) has first, in the same order, up
 * to one that loses a column the table keeps (ALTER TABLE ... DROP COLUMN
 * on it would take the table's): that one and those after it are left
 * (NO INHERIT) and taken again (INHERIT).
 */
static size_t kept_parents(const struct planner *p, const char *ft, const char *tt)
{
    const struct pcsm_schema_table *was = pcsm_schema__table(p->from, ft);
    const struct pcsm_schema_table *t = pcsm_schema__table(p->to, tt);
    size_t n, k;

    for (n = 0; was && t && was->inherits && was->inherits[n] && t->inherits &&
                t->inherits[n]; n++) {
        const struct pcsm_schema_table *fp = pcsm_schema__table(p->from, was->inherits[n]);
        const struct pcsm_schema_table *tp = pcsm_schema__table(p->to, t->inherits[n]);

        if (strcmp(table_to(p, was->inherits[n]), t->inherits[n]) || !fp || !tp)
            break;
        for (k = 0; k < fp->n_columns; k++)
            if (!pcsm_schema__column(tp, fp->columns[k].name) &&
                pcsm_schema__column(t, fp->columns[k].name))
                break;
        if (k < fp->n_columns)
            break;
    }
    return n;
}

/*
 * Whether from's table `ft` (to's `tt`) has what `has_it` finds on one of
 * its parents it keeps (kept_parents()), of that side (`to_side`): a column
 * or a CHECK it has through that parent, whose changes the parent's make.
 */
static bool through_kept_parent(const struct planner *p, const char *ft, const char *tt,
                                bool to_side,
                                bool (*has_it)(const struct pcsm_schema_table *, const char *),
                                const char *name)
{
    const struct pcsm_schema_table *t = pcsm_schema__table(p->to, tt);
    size_t i, n = kept_parents(p, ft, tt);

    for (i = 0; i < n; i++) {
        const struct pcsm_schema_table *parent = to_side
            ? pcsm_schema__table(p->to, t->inherits[i])
            : pcsm_schema__table(p->from, table_from(p, t->inherits[i]));

        if (parent && has_it(parent, name))
            return true;
    }
    return false;
}

static bool has_column(const struct pcsm_schema_table *t, const char *name)
{
    return pcsm_schema__column(t, name) != NULL;
}

static bool has_check(const struct pcsm_schema_table *t, const char *name)
{
    const struct pcsm_schema_constraint *c = name ? pcsm_schema__constraint(t, name) : NULL;

    return c && c->kind == PCSM_CHECK;
}

/*
 * The order to handle n pairs of tables of s in: the parents first (their
 * drops and changes reach their children), or the children first
 * (`children_first`: added to a child of its own, a column or CHECK its
 * parent then adds is merged).  malloc'd.
 */
static size_t *inheritance_order(const pcsm_schema *s, const struct pairs *set,
                                 bool children_first)
{
    size_t *order = pcsm__xcalloc(set->n + 1, sizeof(*order)), *d, i, k, n = 0, max = 0;

    d = pcsm__xcalloc(set->n + 1, sizeof(*d));
    for (i = 0; i < set->n; i++) {
        const struct pcsm_schema_table *t = pcsm_schema__table(s, set->v[i].a);

        d[i] = t ? pcsm_schema__inheritance_depth(s, t) : 0;
        max = d[i] > max ? d[i] : max;
    }
    for (k = 0; k <= max; k++)
        for (i = 0; i < set->n; i++)
            if (d[i] == (children_first ? max - k : k))
                order[n++] = i;
    free(d);
    return order;
}

/* ALTER TABLE ... NO INHERIT the parents a table does not keep, before what it had goes. */
static void drop_lost_parents(struct planner *p)
{
    size_t i, k;

    for (i = 0; i < p->to->n_tables; i++) {
        const char *tt = p->to->tables[i].name, *ft = table_from(p, tt);
        const struct pcsm_schema_table *was = pcsm_schema__table(p->from, ft);

        if (has(&p->create_tables, tt, NULL))
            continue;
        for (k = kept_parents(p, ft, tt); was && was->inherits && was->inherits[k]; k++)
            pcsm_no_inherit(p->side->op, ft, was->inherits[k]);
    }
}

static void children_keep_their_own(struct planner *p, const struct pcsm_schema_table *t,
                                    const struct pcsm_schema_column *c);

/*
 * ALTER TABLE ... INHERIT the parents a table takes, once it has their
 * columns and CHECKs; a column NOT NULL on the parent is so on the table
 * for it (the server requires it), and nullable again after if the table's
 * is.
 */
static void add_gained_parents(struct planner *p)
{
    size_t i, k, c;

    for (i = 0; i < p->to->n_tables; i++) {
        const struct pcsm_schema_table *t = &p->to->tables[i];
        const char *ft = table_from(p, t->name);
        size_t first = kept_parents(p, ft, t->name);
        bool *bridged = pcsm__xcalloc(t->n_columns + 1, sizeof(*bridged));

        if (has(&p->create_tables, t->name, NULL) || !pcsm_schema__table(p->from, ft)) {
            free(bridged);
            continue;
        }
        for (k = first; t->inherits && t->inherits[k]; k++) {
            const struct pcsm_schema_table *parent = pcsm_schema__table(p->to, t->inherits[k]);

            for (c = 0; parent && c < t->n_columns; c++) {
                const struct pcsm_schema_column *pc =
                    pcsm_schema__column(parent, t->columns[c].name);

                if (pc && (pc->not_null || pc->identity) && !t->columns[c].not_null &&
                    !bridged[c]) {
                    bridged[c] = true;
                    pcsm_set_not_null(p->side->op, t->name, t->columns[c].name);
                }
            }
            pcsm_inherit(p->side->op, t->name, t->inherits[k]);
        }
        for (c = 0; c < t->n_columns; c++)
            if (bridged[c]) {
                pcsm_drop_not_null(p->side->op, t->name, t->columns[c].name);
                children_keep_their_own(p, t, &t->columns[c]);
            }
        free(bridged);
    }
}

/*
 * A parent's default or NOT NULL set or dropped reaches every table below
 * it (a column added with one as well): each that keeps its own is set
 * back, after.
 */
static void children_keep_their_own(struct planner *p, const struct pcsm_schema_table *t,
                                    const struct pcsm_schema_column *c)
{
    size_t i;

    for (i = 0; i < p->to->n_tables; i++) {
        const struct pcsm_schema_table *d = &p->to->tables[i];
        const struct pcsm_schema_column *dc = pcsm_schema__column(d, c->name);
        const char *fd = table_from(p, d->name);
        size_t k, n = kept_parents(p, fd, d->name);

        for (k = 0; k < n && strcmp(d->inherits[k], t->name); k++)
            ;
        if (k == n || !dc || has(&p->create_tables, d->name, NULL))
            continue;
        if (dc->default_value.kind != c->default_value.kind ||
            !same(dc->default_value.text, c->default_value.text)) {
            if (dc->default_value.kind)
                pcsm_set_default(p->side->op, d->name, dc->name, dc->default_value);
            else
                pcsm_drop_default(p->side->op, d->name, dc->name);
        }
        if (dc->not_null != c->not_null) {
            if (dc->not_null)
                pcsm_set_not_null(p->side->op, d->name, dc->name);
            else
                pcsm_drop_not_null(p->side->op, d->name, dc->name);
        }
        children_keep_their_own(p, d, c);
    }
}

static void sort_out(struct planner *p, const struct pcsm_diff_item *it)
{
    const char *head = it->head, *sub = it->sub, *attr = it->pub.attribute;
    enum pcsm_diff_change ch = it->pub.change;

    /* Set in place, once all is made (comments()): no object is made again for one. */
    if (ch == PCSM_DIFF_CHANGED && !strcmp(attr, "comment") &&
        it->pub.object != PCSM_DIFF_TABLE && it->pub.object != PCSM_DIFF_COLUMN)
        return;
    /* Granted and revoked in place, once all is made (grants()), as default privileges first. */
    if (ch == PCSM_DIFF_CHANGED && !strcmp(attr, "privileges"))
        return;
    switch (it->pub.object) {
    case PCSM_DIFF_TABLE:
        if (ch == PCSM_DIFF_MISSING)
            put(&p->drop_tables, head, NULL);
        else if (ch == PCSM_DIFF_EXTRA)
            put(&p->create_tables, head, NULL);
        else if (!strcmp(attr, "row_security") || !strcmp(attr, "force_row_security"))
            put(&p->row_security, table_to(p, head), NULL);
        else if (!strcmp(attr, "partition_by"))
            put(&p->repartition, table_to(p, head), NULL);
        else if (!strcmp(attr, "partition_of"))
            partition_changed(p, head);
        else if (!strcmp(attr, "inherits"))
            break;      /* every table's compared: drop_lost_parents(), add_gained_parents() */
        else
            put(&p->table_comments, table_to(p, head), NULL);
        break;
    case PCSM_DIFF_COLUMN:
        if (ch == PCSM_DIFF_MISSING)
            put(&p->drop_columns, head, sub);
        else if (ch == PCSM_DIFF_EXTRA)
            put(&p->add_columns, table_to(p, head), sub);
        else
            put(&p->change_columns, head, sub);
        break;
    case PCSM_DIFF_CONSTRAINT:
        if (ch == PCSM_DIFF_CHANGED && explained(p, it))
            break;
        /* NOT VALID made valid: validated in place (dropped and added, it would be anyway). */
        if (ch == PCSM_DIFF_CHANGED && !strcmp(attr, "not_valid") && same(it->pub.to, "false") &&
            constraint_of(p->to, table_to(p, head), sub)) {
            put(&p->validate_constraints, table_to(p, head), sub);
            break;
        }
        if (ch != PCSM_DIFF_EXTRA)
            put(&p->drop_constraints, head, sub);
        if (ch != PCSM_DIFF_MISSING)
            put(&p->add_constraints, table_to(p, head), sub);
        break;
    case PCSM_DIFF_INDEX:
        if (ch == PCSM_DIFF_CHANGED && explained(p, it))
            break;
        if (ch != PCSM_DIFF_EXTRA)
            put(&p->drop_indexes, head, NULL);
        if (ch != PCSM_DIFF_MISSING)
            put(&p->create_indexes, head, NULL);
        break;
    case PCSM_DIFF_TRIGGER:
        if (ch == PCSM_DIFF_CHANGED && !strcmp(attr, "enabled")) {
            put(&p->toggle_triggers, table_to(p, head), sub);
            break;
        }
        if (ch != PCSM_DIFF_EXTRA)
            put(&p->drop_triggers, head, sub);
        if (ch != PCSM_DIFF_MISSING)
            put(&p->create_triggers, table_to(p, head), sub);
        break;
    case PCSM_DIFF_POLICY:
        /* ALTER POLICY cannot change its command; made again, in the same transaction. */
        if (ch != PCSM_DIFF_EXTRA)
            put(&p->drop_policies, head, sub);
        if (ch != PCSM_DIFF_MISSING)
            put(&p->create_policies, table_to(p, head), sub);
        break;
    case PCSM_DIFF_FUNCTION: {
        const char *sig = keep(p, entry_signature(it));

        if (ch == PCSM_DIFF_MISSING)
            put(&p->drop_functions, head, sig);
        else if (ch == PCSM_DIFF_EXTRA)
            put(&p->create_functions, head, sig);
        else if (!strcmp(attr, "returns") || !strcmp(attr, "arguments"))
            put(&p->recreate_functions, head, sig);     /* OR REPLACE cannot change them */
        else
            put(&p->replace_functions, head, sig);
        break;
    }
    case PCSM_DIFF_TYPE:
        if (ch == PCSM_DIFF_MISSING)
            put(&p->drop_types, head, NULL);
        else if (ch == PCSM_DIFF_EXTRA)
            put(&p->create_types, head, NULL);
        else
            put(&p->enum_changes, head, NULL);
        break;
    case PCSM_DIFF_EXTENSION:
        if (ch == PCSM_DIFF_MISSING)
            put(&p->drop_extensions, head, NULL);
        else
            put(&p->create_extensions, head, NULL);
        break;
    case PCSM_DIFF_SEQUENCE:
        if (ch == PCSM_DIFF_MISSING)
            put(&p->drop_sequences, head, NULL);
        else if (ch == PCSM_DIFF_EXTRA)
            put(&p->create_sequences, head, NULL);
        else if (!strcmp(attr, "owned_by"))
            put(&p->sequence_owners, head, NULL);
        else
            put(&p->alter_sequences, head, NULL);
        break;
    case PCSM_DIFF_VIEW:
        if (ch == PCSM_DIFF_CHANGED && !strcmp(attr, "populated")) {
            put(&p->refresh_views, head, NULL);
            break;
        }
        if (ch != PCSM_DIFF_EXTRA)
            put(&p->drop_views, head, NULL);
        if (ch != PCSM_DIFF_MISSING)
            put(&p->create_views, head, NULL);
        break;
    case PCSM_DIFF_COLLATION:
        if (ch == PCSM_DIFF_MISSING)
            put(&p->drop_collations, head, NULL);
        else if (ch == PCSM_DIFF_EXTRA)
            put(&p->create_collations, head, NULL);
        else
            put(&p->recreate_collations, head, NULL);
        break;
    case PCSM_DIFF_DOMAIN:
        if (ch == PCSM_DIFF_MISSING)
            put(&p->drop_domains, head, NULL);
        else if (ch == PCSM_DIFF_EXTRA)
            put(&p->create_domains, head, NULL);
        else if (!strcmp(attr, "type") || !strcmp(attr, "collation"))
            put(&p->recreate_domains, head, NULL);     /* ALTER DOMAIN cannot change them */
        else
            put(&p->alter_domains, head, NULL);
        break;
    case PCSM_DIFF_DOMAIN_CONSTRAINT:
        if (ch == PCSM_DIFF_CHANGED && !strcmp(attr, "not_valid") && same(it->pub.to, "false")) {
            put(&p->validate_domain_checks, head, sub);
            break;
        }
        if (ch != PCSM_DIFF_EXTRA)
            put(&p->drop_domain_checks, head, sub);
        if (ch != PCSM_DIFF_MISSING)
            put(&p->add_domain_checks, head, sub);
        break;
    case PCSM_DIFF_COMPOSITE_TYPE:
        if (ch == PCSM_DIFF_MISSING)
            put(&p->drop_composites, head, NULL);
        else if (ch == PCSM_DIFF_EXTRA)
            put(&p->create_composites, head, NULL);
        else
            put(&p->alter_composites, head, NULL);
        break;
    case PCSM_DIFF_RANGE_TYPE:
        if (ch == PCSM_DIFF_MISSING)
            put(&p->drop_ranges, head, NULL);
        else if (ch == PCSM_DIFF_EXTRA)
            put(&p->create_ranges, head, NULL);
        else
            put(&p->recreate_ranges, head, NULL);     /* no ALTER TYPE changes a range */
        break;
    case PCSM_DIFF_SCHEMA:
        break;      /* not planned yet: create_schema/drop_schema are the planner's to add */
    case PCSM_DIFF_DEFAULT_PRIVILEGES:
        break;      /* only "privileges": returned above */
    }
}

/* ------------------------------------------------- what a change drags */

static bool column_changed(const struct planner *p, const char *table, const char *column,
                           const char *attribute);
static bool calls(const char *text, const char *name);

/*
 * Whether an SQL text names `name` as a word of its own.  A view's query
 * as the server deparses it names every column it reads ("*" spelt out),
 * so a column it does not name is one it does not use.
 */
static bool mentions(const char *text, const char *name)
{
    size_t len = strlen(name);
    const char *at;

    for (at = text ? strstr(text, name) : NULL; at; at = strstr(at + 1, name)) {
        bool starts = at == text || !(isalnum((unsigned char)at[-1]) || at[-1] == '_');
        bool ends = !(isalnum((unsigned char)at[len]) || at[len] == '_' || at[len] == '$');

        if (starts && ends)
            return true;
    }
    return false;
}

/*
 * Whether a change of from's table `table` makes view v go first and come
 * back: the table goes, or a column v names goes or changes its type.
 */
static bool table_shaken(const struct planner *p, const struct pcsm_schema_view *v,
                         const char *table)
{
    size_t i;

    if (has(&p->drop_tables, table, NULL))
        return true;
    for (i = 0; i < p->drop_columns.n; i++)
        if (!strcmp(p->drop_columns.v[i].a, table) && mentions(v->query, p->drop_columns.v[i].b))
            return true;
    for (i = 0; i < p->converted.n; i++)
        if (!strcmp(p->converted.v[i].a, table) && mentions(v->query, p->converted.v[i].b))
            return true;
    for (i = 0; i < p->n_items; i++) {
        const struct pcsm_diff_item *it = p->items[i];

        if (!p->skip[i] && it->pub.object == PCSM_DIFF_COLUMN &&
            it->pub.change == PCSM_DIFF_CHANGED && !strcmp(it->head, table) &&
            (!strcmp(it->pub.attribute, "type") || !strcmp(it->pub.attribute, "collation") ||
             !strcmp(it->pub.attribute, "generated")) && mentions(v->query, it->sub))
            return true;
    }
    return false;
}

/*
 * Whether policy pol of from's table t stands in the way: a column its
 * conditions read goes or changes type, or a function they call is made
 * again (the server keeps a dependency on each, and refuses both).
 */
static bool policy_shaken(const struct planner *p, const struct pcsm_schema_table *t,
                          const struct pcsm_schema_policy *pol)
{
    size_t i;

    for (i = 0; i < t->n_columns; i++) {
        const char *c = t->columns[i].name;

        if (!mentions(pol->using, c) && !mentions(pol->with_check, c))
            continue;
        if (has(&p->drop_columns, t->name, c) || column_changed(p, t->name, c, "type") ||
            column_changed(p, t->name, c, "collation") || has(&p->converted, t->name, c))
            return true;
    }
    for (i = 0; i < p->recreate_functions.n; i++)
        if (calls(pol->using, p->recreate_functions.v[i].a) ||
            calls(pol->with_check, p->recreate_functions.v[i].a))
            return true;
    return false;
}

/* The policies in the way of a change go first and come back after. */
static void drag_policies(struct planner *p)
{
    size_t i, k;

    for (i = 0; i < p->from->n_tables; i++) {
        const struct pcsm_schema_table *t = &p->from->tables[i];
        const struct pcsm_schema_table *tt = pcsm_schema__table(p->to, table_to(p, t->name));

        if (has(&p->drop_tables, t->name, NULL))
            continue;
        for (k = 0; k < t->n_policies; k++) {
            if (!policy_shaken(p, t, &t->policies[k]))
                continue;
            put(&p->drop_policies, t->name, t->policies[k].name);
            if (tt && pcsm_schema__policy(tt, t->policies[k].name))
                put(&p->create_policies, tt->name, t->policies[k].name);
        }
    }
}

static void drag_along(struct planner *p)
{
    bool more = true;
    size_t i, k;

    /* Views over what changes shape go first and come back after. */
    while (more) {
        more = false;
        for (i = 0; i < p->from->n_views; i++) {
            const struct pcsm_schema_view *v = &p->from->views[i];
            bool shaken = false;

            if (has(&p->drop_views, v->name, NULL))
                continue;
            for (k = 0; v->reads && v->reads[k] && !shaken; k++)
                shaken = has(&p->drop_views, v->reads[k], NULL) ||
                         table_shaken(p, v, v->reads[k]);
            if (!shaken)
                continue;
            put(&p->drop_views, v->name, NULL);
            if (pcsm_schema__view(p->to, v->name))
                put(&p->create_views, v->name, NULL);
            more = true;
        }
    }
    /* A materialized view made again needs its indexes again. */
    for (i = 0; i < p->to->n_indexes; i++)
        if (has(&p->create_views, p->to->indexes[i].table, NULL))
            put(&p->create_indexes, p->to->indexes[i].name, NULL);
    /* A table that is new, or renamed, brings what the diff did not list apart. */
    for (i = 0; i < p->to->n_indexes; i++) {
        const char *t = p->to->indexes[i].table;

        if (has(&p->create_tables, t, NULL) ||
            (strcmp(table_from(p, t), t) && !pcsm_schema__index(p->from, p->to->indexes[i].name)))
            put(&p->create_indexes, p->to->indexes[i].name, NULL);
    }
    for (i = 0; i < p->from->n_indexes; i++) {
        const struct pcsm_schema_index *ix = &p->from->indexes[i];

        if (strcmp(table_to(p, ix->table), ix->table) && !pcsm_schema__index(p->to, ix->name))
            put(&p->drop_indexes, ix->name, NULL);
    }
    for (i = 0; i < p->to->n_views; i++)
        if (has(&p->create_views, p->to->views[i].name, NULL))
            for (k = 0; k < p->to->n_indexes; k++)
                if (!strcmp(p->to->indexes[k].table, p->to->views[i].name))
                    put(&p->create_indexes, p->to->indexes[k].name, NULL);
    for (i = 0; i < p->create_tables.n; i++) {
        const struct pcsm_schema_table *t = pcsm_schema__table(p->to, p->create_tables.v[i].a);

        for (k = 0; t && k < t->n_constraints; k++)
            if (pcsm_schema__added_later(t, k))
                put(&p->add_constraints, t->name, t->constraints[k].name);
        for (k = 0; t && k < t->n_triggers; k++)
            put(&p->create_triggers, t->name, t->triggers[k].name);
        for (k = 0; t && k < t->n_policies; k++)
            put(&p->create_policies, t->name, t->policies[k].name);
        if (t && (t->row_security || t->force_row_security))
            put(&p->row_security, t->name, NULL);
    }
    drag_policies(p);
    /* A primary key or unique constraint dropped takes the foreign keys over it first. */
    for (i = 0; i < p->drop_constraints.n; i++) {
        const char *table = p->drop_constraints.v[i].a;
        const struct pcsm_schema_table *t = pcsm_schema__table(p->from, table);
        bool key = false;

        for (k = 0; t && k < t->n_constraints; k++)
            if (same(t->constraints[k].name, p->drop_constraints.v[i].b))
                key = t->constraints[k].kind == PCSM_PRIMARY_KEY ||
                      t->constraints[k].kind == PCSM_UNIQUE;
        if (!key || has(&p->drop_tables, table, NULL))
            continue;
        for (k = 0; k < p->from->n_tables; k++) {
            size_t c;

            t = &p->from->tables[k];
            for (c = 0; c < t->n_constraints; c++) {
                const struct pcsm_schema_constraint *fk = &t->constraints[c];
                const struct pcsm_schema_table *tt =
                    pcsm_schema__table(p->to, table_to(p, t->name));
                size_t j;

                /* A table that goes too still holds its key until then. */
                if (fk->kind != PCSM_FOREIGN_KEY || !fk->references ||
                    strcmp(fk->references, table))
                    continue;
                put(&p->drop_constraints, t->name, fk->name);
                for (j = 0; tt && j < tt->n_constraints; j++)
                    if (same(tt->constraints[j].name, fk->name))
                        put(&p->add_constraints, tt->name, fk->name);
            }
        }
    }
    /* A function dropped to be made again takes its triggers along. */
    for (i = 0; i < p->from->n_tables; i++) {
        const struct pcsm_schema_table *t = &p->from->tables[i];

        for (k = 0; k < t->n_triggers; k++) {
            const char *fn = t->triggers[k].function;
            bool gone = false;
            size_t j;

            /* A trigger's function takes no arguments: an overload of its name is another. */
            for (j = 0; j < p->recreate_functions.n && !gone; j++)
                gone = !strcmp(p->recreate_functions.v[j].a, fn) &&
                       !*p->recreate_functions.v[j].b;
            if (!gone || has(&p->drop_tables, t->name, NULL))
                continue;
            put(&p->drop_triggers, t->name, t->triggers[k].name);
            if (pcsm_schema__table(p->to, table_to(p, t->name)) &&
                pcsm_schema__trigger(pcsm_schema__table(p->to, table_to(p, t->name)),
                                     t->triggers[k].name))
                put(&p->create_triggers, table_to(p, t->name), t->triggers[k].name);
        }
    }
}

/* ----------------------------------------------------------- columns */

static bool column_changed(const struct planner *p, const char *table, const char *column,
                           const char *attribute)
{
    size_t i;

    for (i = 0; i < p->n_items; i++) {
        const struct pcsm_diff_item *it = p->items[i];

        if (!p->skip[i] && it->pub.object == PCSM_DIFF_COLUMN &&
            it->pub.change == PCSM_DIFF_CHANGED && !strcmp(it->head, table) &&
            same(it->sub, column) && !strcmp(it->pub.attribute, attribute))
            return true;
    }
    return false;
}

static bool kind_in(enum pcsm_type_kind k, const enum pcsm_type_kind *set)
{
    for (; *set; set++)
        if (*set == k)
            return true;
    return false;
}

/*
 * Whether ALTER COLUMN TYPE needs a USING expression: the server converts
 * by itself only along an implicit or assignment cast (pg_cast), and to a
 * string type from anything by I/O.  Doubt says yes: the placeholder is
 * one edit, a failed migration is a failed deploy.
 */
static bool needs_using(pcsm_type a, pcsm_type b)
{
    static const enum pcsm_type_kind numbers[] = {
        PCSM_TYPE_SMALLINT, PCSM_TYPE_INTEGER, PCSM_TYPE_BIGINT, PCSM_TYPE_NUMERIC,
        PCSM_TYPE_REAL, PCSM_TYPE_DOUBLE, 0 };
    static const enum pcsm_type_kind strings[] = {
        PCSM_TYPE_TEXT, PCSM_TYPE_VARCHAR, PCSM_TYPE_CHAR, 0 };
    static const enum pcsm_type_kind dates[] = {
        PCSM_TYPE_DATE, PCSM_TYPE_TIMESTAMP, PCSM_TYPE_TIMESTAMPTZ, 0 };
    static const enum pcsm_type_kind jsons[] = { PCSM_TYPE_JSON, PCSM_TYPE_JSONB, 0 };

    if (a.array_dims != b.array_dims)
        return true;
    if (a.kind == b.kind)
        return a.kind == PCSM_TYPE_NAMED && !same(a.name, b.name);
    if (kind_in(b.kind, strings) && a.array_dims == 0)
        return false;
    if (kind_in(a.kind, numbers) && kind_in(b.kind, numbers))
        return false;
    if (kind_in(a.kind, dates) && kind_in(b.kind, dates))
        return false;
    if (b.kind == PCSM_TYPE_TIME && (a.kind == PCSM_TYPE_TIMESTAMP ||
                                     a.kind == PCSM_TYPE_TIMESTAMPTZ))
        return false;
    return !(kind_in(a.kind, jsons) && kind_in(b.kind, jsons));
}

static pcsm_type seq_type(enum pcsm_type_kind k)
{
    return (pcsm_type){ .kind = k };
}

/* The options that take sequence state a to b, only those that differ said. */
static pcsm_sequence_options seq_delta(const struct pcsm_seq_state *a,
                                       const struct pcsm_seq_state *b, bool identity)
{
    pcsm_sequence_options o = { 0 };

    if (a->type != b->type && !identity)
        o.as = seq_type(b->type);
    if (a->increment != b->increment)
        o.increment = b->increment;
    if (a->minvalue != b->minvalue || a->type != b->type)
        o.minvalue = PCSM_SEQ_VALUE(b->minvalue);
    if (a->maxvalue != b->maxvalue || a->type != b->type)
        o.maxvalue = PCSM_SEQ_VALUE(b->maxvalue);
    if (a->start != b->start)
        o.start = PCSM_SEQ_VALUE(b->start);
    if (a->cache != b->cache)
        o.cache = b->cache;
    if (a->cycle != b->cycle)
        o.cycle = b->cycle ? PCSM_CYCLE : PCSM_NO_CYCLE;
    return o;
}

static pcsm_column api_column(const struct pcsm_schema_column *c)
{
    pcsm_column col = { .name = c->name, .type = c->type, .not_null = c->not_null,
                        .default_value = c->default_value, .comment = c->comment,
                        .collation = c->collation, .generated = c->generated,
                        .identity = c->identity };

    if (c->identity)
        col.identity_options = pcsm_op__sequence_options(&c->identity_options, true);
    return col;
}

static void add_column(struct planner *p, const char *table, const struct pcsm_schema_column *c)
{
    pcsm_column col = api_column(c);

    if (c->not_null && !c->default_value.kind && !c->identity && !c->generated)
        comment(p, NULL, "NOT NULL without a default: fails on a table that has rows. Give "
                "it a default, or add it nullable, fill it, then pcsm_set_not_null().");
    pcsm_add_column(p->side->op, table, &col);
}

/* A downgrade's column that upgrade() dropped: it is back, its values are not. */
static void add_back_column(struct planner *p, const char *table,
                            const struct pcsm_schema_column *c)
{
    pcsm_column col = api_column(c);

    comment(p, NULL, "Back as it was, but empty: upgrade() dropped its values.");
    if (c->not_null && !c->default_value.kind && !c->identity && !c->generated)
        comment(p, NULL, "NOT NULL without a default: fails on a table that has rows.");
    pcsm_add_column(p->side->op, table, &col);
}

static void quote_into(pcsm_buf *out, const char *ident)
{
    pcsm_sql__ident(out, ident);
}

/* From's column fc of from's table ft becomes to's tc of to's table tt. */
/*
 * Column c of to's table t is dropped and added again: the indexes and
 * constraints on it went with it and are made again from to's model.
 */
static void comes_back(struct planner *p, const struct pcsm_schema_table *t,
                       const struct pcsm_schema_column *c)
{
    size_t i, k;

    for (i = 0; i < p->to->n_indexes; i++) {
        const struct pcsm_schema_index *ix = &p->to->indexes[i];
        bool on = false;

        for (k = 0; ix->columns && ix->columns[k] && !on; k++)
            on = !strcmp(ix->columns[k], c->name);
        if (!strcmp(ix->table, t->name) && (on || (ix->expression &&
                                                   strstr(ix->expression, c->name)) ||
                                            (ix->where && strstr(ix->where, c->name))))
            put(&p->create_indexes, ix->name, NULL);
    }
    for (i = 0; i < t->n_constraints; i++) {
        const struct pcsm_schema_constraint *con = &t->constraints[i];
        bool on = con->check && strstr(con->check, c->name);

        for (k = 0; con->columns && con->columns[k] && !on; k++)
            on = !strcmp(con->columns[k], c->name);
        if (on && con->name)
            put(&p->add_constraints, t->name, con->name);
    }
}

static void change_column(struct planner *p, const char *ft, const struct pcsm_schema_column *fc,
                          const struct pcsm_schema_table *t, const struct pcsm_schema_column *tc)
{
    pcsm_op *op = p->side->op;
    const char *tt = t->name;
    bool type = column_changed(p, ft, fc->name, "type");
    bool collation = column_changed(p, ft, fc->name, "collation");
    bool dflt = column_changed(p, ft, fc->name, "default");
    bool default_gone = false;

    if (column_changed(p, ft, fc->name, "generated")) {
        comment(p, NULL, "A generated column's expression cannot be altered: the column is "
                "dropped and added again (its values are computed, none is lost).");
        pcsm_drop_column(op, tt, tc->name, 0);
        add_column(p, tt, tc);
        put(&p->readded_columns, tt, tc->name);
        comes_back(p, t, tc);
        return;
    }
    if (column_changed(p, ft, fc->name, "identity")) {
        if (fc->identity && !tc->identity) {
            pcsm_drop_identity(op, tt, tc->name, 0);
        } else if (fc->identity && tc->identity) {
            pcsm_set_identity(op, tt, tc->name, tc->identity);
        }
    }
    /* An inherited column's type and collation are its parent's, changed there. */
    if ((type || collation) &&
        through_kept_parent(p, ft, tt, true, has_column, tc->name) &&
        through_kept_parent(p, ft, tt, false, has_column, fc->name))
        type = collation = false;
    if ((type || collation || (dflt && !tc->default_value.kind)) && fc->default_value.kind) {
        pcsm_drop_default(op, tt, tc->name);
        default_gone = true;
    }
    if (type || collation) {
        const char *using = NULL;
        pcsm_buf expr = PCSM_BUF_INIT;

        if (type && needs_using(fc->type, tc->type)) {
            pcsm_buf from = PCSM_BUF_INIT, to = PCSM_BUF_INIT;

            pcsm_render__type(fc->type, &from);
            pcsm_render__type(tc->type, &to);
            /* Through text: every type has I/O, so this is the likeliest to work. */
            quote_into(&expr, tc->name);
            pcsm_buf_printf(&expr, "%s::%s", fc->type.kind == PCSM_TYPE_TEXT &&
                            !fc->type.array_dims ? "" : "::text", to.ptr);
            using = expr.ptr;
            comment(p, "write the USING expression below", "%s.%s: %s to %s has no implicit "
                    "cast; write the USING expression that converts every existing value", tt,
                    tc->name, from.ptr, to.ptr);
            notice(p, PCSM_AUTOGEN_PLACEHOLDER, "%s.%s: %s to %s needs a USING expression",
                   tt, tc->name, from.ptr, to.ptr);
            pcsm_buf_dispose(&from);
            pcsm_buf_dispose(&to);
        }
        if (tc->collation)
            pcsm_alter_column_type_collate(op, tt, tc->name, tc->type, tc->collation, using);
        else
            pcsm_alter_column_type(op, tt, tc->name, tc->type, using);
        pcsm_buf_dispose(&expr);
    }
    if (tc->default_value.kind && (dflt || default_gone))
        pcsm_set_default(op, tt, tc->name, tc->default_value);
    if (column_changed(p, ft, fc->name, "not_null") && !(tc->identity && !fc->identity)) {
        if (tc->not_null)
            pcsm_set_not_null(op, tt, tc->name);
        else
            pcsm_drop_not_null(op, tt, tc->name);
    }
    if (column_changed(p, ft, fc->name, "comment"))
        pcsm_comment_column(op, tt, tc->name, tc->comment);
    if (!fc->identity && tc->identity) {
        pcsm_sequence_options o = pcsm_op__sequence_options(&tc->identity_options, true);

        if (!fc->not_null)
            pcsm_set_not_null(op, tt, tc->name);
        pcsm_add_identity(op, tt, tc->name, tc->identity, &o);
    } else if (fc->identity && tc->identity &&
               column_changed(p, ft, fc->name, "identity_options")) {
        pcsm_sequence_options o = seq_delta(&fc->identity_options, &tc->identity_options, true);

        pcsm_alter_sequence(op, tc->identity_sequence ? tc->identity_sequence
                                                      : fc->identity_sequence, &o);
    }
}

/* ------------------------------------------------------------- enums */

static size_t label_index(char *const *labels, const char *label)
{
    size_t i;

    for (i = 0; labels[i]; i++)
        if (!strcmp(labels[i], label))
            return i;
    return (size_t)-1;
}

/* Whether every label of a is in b, in the same order. */
static bool labels_kept(char *const *a, char *const *b)
{
    size_t i, at = 0;

    for (i = 0; a[i]; i++) {
        while (b[at] && strcmp(b[at], a[i]))
            at++;
        if (!b[at])
            return false;
        at++;
    }
    return true;
}

/* Whether an expression quotes a label of a that b lacks. */
static bool names_a_label_gone(const char *text, const struct pcsm_schema_type *a,
                               const struct pcsm_schema_type *b)
{
    pcsm_buf quoted = PCSM_BUF_INIT;
    bool found = false;
    size_t i;

    for (i = 0; a->labels[i] && !found; i++) {
        if (label_index(b->labels, a->labels[i]) != (size_t)-1)
            continue;
        pcsm_buf_clear(&quoted);
        pcsm_sql__literal(&quoted, a->labels[i]);
        found = strstr(text, quoted.ptr) != NULL;
    }
    pcsm_buf_dispose(&quoted);
    return found;
}

/* A default naming a label of a that b lacks: a literal is the label itself (replay's). */
static bool default_names_a_label_gone(const pcsm_value *v, const struct pcsm_schema_type *a,
                                       const struct pcsm_schema_type *b)
{
    if (v->kind == PCSM_VALUE_LITERAL && v->text)
        return label_index(a->labels, v->text) != (size_t)-1 &&
               label_index(b->labels, v->text) == (size_t)-1;
    return v->kind == PCSM_VALUE_EXPR && v->text && names_a_label_gone(v->text, a, b);
}

/*
 * Whether column c's default is set again after its enum is made again: a
 * default naming a label the new type lacks stays dropped, and the column's
 * own change sets the one wanted.  (A label renamed as asked is gone too:
 * the default still names it by its old name, `was`'s.)
 */
static bool default_kept(const struct pcsm_schema_column *c, const struct pcsm_schema_type *was,
                         const struct pcsm_schema_type *a, const struct pcsm_schema_type *b)
{
    return c->default_value.kind && c->default_value.text &&
           !default_names_a_label_gone(&c->default_value, was, b) &&
           !default_names_a_label_gone(&c->default_value, a, b);
}

/* Whether column c of from's table t is of enum `type` and stays through the revision. */
static bool kept_column_of(const struct planner *p, const struct pcsm_schema_table *t,
                           const struct pcsm_schema_column *c, const char *type)
{
    return c->type.kind == PCSM_TYPE_NAMED && !strcmp(c->type.name, type) && !c->type.schema &&
           !has(&p->drop_tables, t->name, NULL) && !has(&p->drop_columns, t->name, c->name);
}

/*
 * Whether column `column` of from's table t is reached from a parent when
 * its enum is made again: t is a partition not detached before, or a
 * parent it keeps (drop_lost_parents() leaves the others first) has it.
 */
static bool column_from_parent(const struct planner *p, const struct pcsm_schema_table *t,
                               const char *column)
{
    size_t i, kept;

    if (t->partition_of)
        return !has(&p->detach_partitions, t->name, t->partition_of);
    kept = pcsm_schema__table(p->to, table_to(p, t->name))
         ? kept_parents(p, t->name, table_to(p, t->name)) : 0;
    for (i = 0; i < kept && t->inherits && t->inherits[i]; i++) {
        const struct pcsm_schema_table *parent = pcsm_schema__table_in(p->from, t->schema,
                                                                       t->inherits[i]);

        if (parent && pcsm_schema__column(parent, column))
            return true;
    }
    return false;
}

/*
 * An enum whose labels a revision cannot reach with ADD VALUE and RENAME
 * VALUE (one went, or moved): the type is made again under its name with
 * pcsm_recreate_enum(), every column of it converted through text, each
 * from the top table it reaches down from.
 */
static void enum_rebuilt(struct planner *p, const struct pcsm_schema_type *was,
                         const struct pcsm_schema_type *a, const struct pcsm_schema_type *b)
{
    pcsm_enum_column *cols = NULL;
    pcsm_buf gone = PCSM_BUF_INIT;
    size_t i, k, n = 0;

    put(&p->rebuilt_types, b->name, NULL);      /* the old type's comment goes with it */
    for (i = 0; i < p->from->n_tables; i++) {
        const struct pcsm_schema_table *t = &p->from->tables[i];

        for (k = 0; k < t->n_columns; k++) {
            const struct pcsm_schema_column *c = &t->columns[k];

            if (!kept_column_of(p, t, c, a->name) || column_from_parent(p, t, c->name))
                continue;
            /*
             * A column leaving the type is made text first (its default, of the old
             * type, dropped): a row holding a label that goes keeps its value, and
             * the column's own change below converts it from text.
             */
            if (column_changed(p, t->name, c->name, "type")) {
                if (c->default_value.kind)
                    pcsm_drop_default(p->side->op, t->name, c->name);
                pcsm_alter_column_type(p->side->op, t->name, c->name,
                                       c->type.array_dims ? PCSM_ARRAY(PCSM_TEXT) : PCSM_TEXT,
                                       NULL);
                continue;
            }
            cols = pcsm__xrealloc(cols, (n + 2) * sizeof(*cols));
            cols[n] = (pcsm_enum_column){ .table = t->name, .column = c->name,
                                          .array = c->type.array_dims > 0 };
            if (default_kept(c, was, a, b))
                cols[n].default_value = c->default_value;
            memset(&cols[++n], 0, sizeof(*cols));
        }
    }
    for (i = 0; a->labels[i]; i++)
        if (label_index(b->labels, a->labels[i]) == (size_t)-1)
            pcsm_buf_printf(&gone, "%s'%s'", gone.len ? ", " : "", a->labels[i]);
    if (gone.len)
        comment(p, NULL, "%s is made again without %s: a row holding one fails the "
                "conversion, and the migration with it. Change those rows first.", b->name,
                gone.ptr);
    else
        comment(p, NULL, "%s is made again: ADD VALUE cannot reorder labels.", b->name);
    pcsm_recreate_enum(p->side->op, b->name, (const char *const *)b->labels, cols);
    /* The conversion dropped the defaults below the listed columns too: each its own again. */
    for (i = 0; i < p->from->n_tables; i++) {
        const struct pcsm_schema_table *t = &p->from->tables[i];

        for (k = 0; k < t->n_columns; k++) {
            const struct pcsm_schema_column *c = &t->columns[k];

            if (kept_column_of(p, t, c, a->name) && column_from_parent(p, t, c->name) &&
                default_kept(c, was, a, b))
                pcsm_set_default(p->side->op, t->name, c->name, c->default_value);
        }
    }
    pcsm_buf_dispose(&gone);
    free(cols);
}

/*
 * Enum a with the labels --rename asked to rename renamed: the rest of
 * the change is planned from what that leaves (*relabelled, whose labels
 * the caller frees, unless none was asked: a itself).
 */
static const struct pcsm_schema_type *relabel(const struct planner *p,
                                              const struct pcsm_schema_type *a,
                                              struct pcsm_schema_type *relabelled)
{
    size_t i, n = 0;

    for (i = 0; i < p->labels.n; i++)
        n += !strcmp(p->labels.v[i].c, a->name);
    if (!n)
        return a;
    *relabelled = *a;
    for (n = 0; a->labels[n]; n++)
        ;
    relabelled->labels = pcsm__xcalloc(n + 1, sizeof(char *));
    memcpy(relabelled->labels, a->labels, n * sizeof(char *));
    for (i = 0; i < p->labels.n; i++)
        if (!strcmp(p->labels.v[i].c, a->name))
            relabelled->labels[label_index(a->labels, p->labels.v[i].a)] =
                (char *)p->labels.v[i].b;
    return relabelled;
}

static void enum_relabelled(struct planner *p, const struct pcsm_schema_type *was,
                            const struct pcsm_schema_type *a, const struct pcsm_schema_type *b);
static bool enum_made_again(const struct planner *p, const struct pcsm_schema_type *a,
                            const struct pcsm_schema_type *b);

/*
 * Whether a text may compare column `column` with a label: it names the
 * column and holds a quoted literal (the model cannot parse it further).
 * Stored with a cast to the enum made again, such an expression names the
 * old type, and the server refuses to convert the column under it.
 */
static bool literal_near(const char *text, const char *column)
{
    return text && strchr(text, '\'') && mentions(text, column);
}

static bool elements_literal_near(const pcsm_index_element *e, const char *column)
{
    for (; e && (e->column || e->expression); e++)
        if (literal_near(e->expression, column))
            return true;
    return false;
}

/*
 * The columns of each enum made again (pcsm_recreate_enum() converts
 * them), so that what stands in the way of a retype goes first and comes
 * back after: a view, a policy or a trigger's WHEN reading one, an index
 * or a named CHECK comparing one with a label, a foreign key over one.
 */
static void mark_converted(struct planner *p)
{
    size_t i, k, j;

    for (i = 0; i < p->from->n_types; i++) {
        const struct pcsm_schema_type *was = &p->from->types[i];
        const struct pcsm_schema_type *b = pcsm_schema__type(p->to, was->name);
        struct pcsm_schema_type relabelled = { 0 };
        bool again;

        if (was->schema || !b)
            continue;
        again = enum_made_again(p, relabel(p, was, &relabelled), b);
        free(relabelled.labels);
        if (!again)
            continue;
        for (k = 0; k < p->from->n_tables; k++) {
            const struct pcsm_schema_table *t = &p->from->tables[k];
            const struct pcsm_schema_table *tt = pcsm_schema__table(p->to, table_to(p, t->name));

            for (j = 0; j < t->n_columns; j++) {
                const struct pcsm_schema_column *c = &t->columns[j];
                size_t x;

                if (!kept_column_of(p, t, c, was->name))
                    continue;
                put(&p->converted, t->name, c->name);
                for (x = 0; x < p->from->n_indexes; x++) {
                    const struct pcsm_schema_index *ix = &p->from->indexes[x];

                    if (strcmp(ix->table, t->name) ||
                        !(literal_near(ix->where, c->name) ||
                          literal_near(ix->expression, c->name) ||
                          elements_literal_near(ix->elements, c->name)))
                        continue;
                    put(&p->drop_indexes, ix->name, NULL);
                    if (pcsm_schema__index(p->to, ix->name))
                        put(&p->create_indexes, ix->name, NULL);
                }
                for (x = 0; x < t->n_constraints; x++) {
                    const struct pcsm_schema_constraint *con = &t->constraints[x];

                    if (!con->name || con->inherited_only ||
                        !(literal_near(con->check, c->name) || literal_near(con->where, c->name) ||
                          elements_literal_near(con->elements, c->name)))
                        continue;
                    put(&p->drop_constraints, t->name, con->name);
                    if (tt && pcsm_schema__constraint(tt, con->name))
                        put(&p->add_constraints, tt->name, con->name);
                }
                for (x = 0; x < t->n_triggers; x++) {
                    if (!mentions(t->triggers[x].when, c->name))
                        continue;
                    put(&p->drop_triggers, t->name, t->triggers[x].name);
                    if (tt && pcsm_schema__trigger(tt, t->triggers[x].name))
                        put(&p->create_triggers, tt->name, t->triggers[x].name);
                }
            }
        }
    }
    /* A foreign key over a converted column: its two sides would be of two types. */
    for (k = 0; k < p->from->n_tables; k++) {
        const struct pcsm_schema_table *t = &p->from->tables[k];
        const struct pcsm_schema_table *tt = pcsm_schema__table(p->to, table_to(p, t->name));

        if (has(&p->drop_tables, t->name, NULL))
            continue;
        for (j = 0; j < t->n_constraints; j++) {
            const struct pcsm_schema_constraint *fk = &t->constraints[j];
            const struct pcsm_schema_table *rt = fk->kind == PCSM_FOREIGN_KEY && fk->references
                ? pcsm_schema__table(p->from, fk->references) : NULL;
            char *const *ref = fk->ref_columns;
            bool over = false;
            size_t x;

            if (fk->kind != PCSM_FOREIGN_KEY || !fk->name || fk->ref_schema)
                continue;
            for (x = 0; fk->columns && fk->columns[x]; x++)
                over = over || has(&p->converted, t->name, fk->columns[x]);
            for (x = 0; !ref && rt && x < rt->n_constraints; x++)
                if (rt->constraints[x].kind == PCSM_PRIMARY_KEY)
                    ref = rt->constraints[x].columns;
            for (x = 0; rt && ref && ref[x]; x++)
                over = over || has(&p->converted, rt->name, ref[x]);
            if (!over)
                continue;
            put(&p->drop_constraints, t->name, fk->name);
            if (tt && pcsm_schema__constraint(tt, fk->name))
                put(&p->add_constraints, tt->name, fk->name);
        }
    }
}

/* The labels --rename asked for renamed first, then the rest of the change. */
static void enum_change(struct planner *p, const char *name)
{
    const struct pcsm_schema_type *was = pcsm_schema__type(p->from, name);
    const struct pcsm_schema_type *b = pcsm_schema__type(p->to, name);
    struct pcsm_schema_type relabelled = { 0 };
    size_t i;

    if (!was || !b)
        return;
    for (i = 0; i < p->labels.n; i++) {
        const struct pair *l = &p->labels.v[i];

        if (strcmp(l->c, name))
            continue;
        if (!p->downgrade)
            notice(p, PCSM_AUTOGEN_RENAME, "label %s.%s -> %s (as --rename asked)", name, l->a,
                   l->b);
        pcsm_rename_enum_value(p->side->op, name, l->a, l->b);
    }
    enum_relabelled(p, was, relabel(p, was, &relabelled), b);
    free(relabelled.labels);
}

/* The name label of enum `type` has before the renames --rename asked for. */
static const char *label_before(const struct planner *p, const char *type, const char *label)
{
    size_t i;

    for (i = 0; i < p->labels.n; i++)
        if (!strcmp(p->labels.v[i].c, type) && !strcmp(p->labels.v[i].b, label))
            return p->labels.v[i].a;
    return label;
}

/*
 * ADD VALUE for each label of b that a (after the renames asked for)
 * lacks, each placed by a neighbour.  `first`: in the autocommit block
 * that runs before those renames, so placed by the names before them, and
 * IF NOT EXISTS, since a block statement a kill interrupts runs again.
 */
static void add_labels(struct planner *p, const struct pcsm_schema_type *a,
                       const struct pcsm_schema_type *b, bool first)
{
    const char *name = b->name;
    pcsm_op *op = p->side->op;
    unsigned flags = first ? PCSM_IF_NOT_EXISTS : 0;
    size_t i, n_b = 0;

    while (b->labels[n_b])
        n_b++;
    for (i = 0; i < n_b; i++) {
        if (label_index(a->labels, b->labels[i]) != (size_t)-1)
            continue;
        if (i == n_b - 1)
            pcsm_add_enum_value(op, name, b->labels[i], PCSM_AT_END, flags);
        else if (i > 0)
            pcsm_add_enum_value(op, name, b->labels[i], PCSM_AFTER_LABEL(
                first ? label_before(p, name, b->labels[i - 1]) : b->labels[i - 1]), flags);
        else
            pcsm_add_enum_value(op, name, b->labels[i], PCSM_BEFORE_LABEL(
                first ? label_before(p, name, a->labels[0]) : a->labels[0]), flags);
    }
}

/* Whether the wanted schema uses a label of b that a lacks: a default, a check, an index... */
static bool new_label_used(const struct planner *p, const struct pcsm_schema_type *a,
                           const struct pcsm_schema_type *b)
{
    size_t i, k;

#define USES(text) ((text) && names_a_label_gone((text), b, a))
    for (i = 0; i < p->to->n_tables; i++) {
        const struct pcsm_schema_table *t = &p->to->tables[i];

        for (k = 0; k < t->n_columns; k++) {
            const struct pcsm_schema_column *c = &t->columns[k];

            /* A literal of another type (text 'meh') is no label. */
            if ((c->default_value.kind == PCSM_VALUE_EXPR || (c->type.kind == PCSM_TYPE_NAMED &&
                                                              !strcmp(c->type.name, b->name))) &&
                default_names_a_label_gone(&c->default_value, b, a))
                return true;
            if (USES(c->generated))
                return true;
        }
        for (k = 0; k < t->n_constraints; k++)
            if (USES(t->constraints[k].check))
                return true;
        for (k = 0; k < t->n_policies; k++)
            if (USES(t->policies[k].using) || USES(t->policies[k].with_check))
                return true;
    }
    for (i = 0; i < p->to->n_indexes; i++)
        if (USES(p->to->indexes[i].expression) || USES(p->to->indexes[i].where))
            return true;
    for (i = 0; i < p->to->n_views; i++)
        if (USES(p->to->views[i].query))
            return true;
    /* The server reads an SQL function's body when it is made; plpgsql's, when it runs. */
    for (i = 0; i < p->to->n_functions; i++)
        if (!strcmp(p->to->functions[i].language, "sql") && USES(p->to->functions[i].body))
            return true;
#undef USES
    return false;
}

/*
 * A label ALTER TYPE ADD VALUE adds cannot be used before its transaction
 * commits ("unsafe use of new value").  Where the wanted schema uses one,
 * the type's change is made first, in an autocommit block of its own, and
 * the rest of the revision after it in one transaction: the block first,
 * so that nothing else commits half done if the rest fails.
 */
static void labels_first(struct planner *p)
{
    size_t i;

    for (i = 0; i < p->enum_changes.n; i++) {
        const char *name = p->enum_changes.v[i].a;
        const struct pcsm_schema_type *was = pcsm_schema__type(p->from, name);
        const struct pcsm_schema_type *b = pcsm_schema__type(p->to, name);
        struct pcsm_schema_type relabelled = { 0 };
        const struct pcsm_schema_type *a = was && b ? relabel(p, was, &relabelled) : NULL;

        if (!a || !labels_kept(a->labels, b->labels) || !new_label_used(p, a, b)) {
            free(relabelled.labels);
            continue;
        }
        comment(p, NULL, "PostgreSQL refuses a label ALTER TYPE ADD VALUE adds until its "
                "transaction commits, and this revision uses a new label of %s: its labels "
                "are added first, each committed on its own (IF NOT EXISTS: a run cut short "
                "runs them again), and the rest runs after them in one transaction.", name);
        notice(p, PCSM_AUTOGEN_NOT_ATOMIC, "enum %s: its new labels are added first and "
               "committed (an autocommit block), since the revision uses them; the rest is "
               "one transaction after", name);
        pcsm_autocommit_begin(p->side->op);
        add_labels(p, a, b, true);
        pcsm_autocommit_end(p->side->op);
        put(&p->labels_first, name, NULL);
        free(relabelled.labels);
    }
}

/*
 * Whether enum a (after the renames asked for) becomes b only by being made
 * again: neither labels added in place nor labels renamed in place (a guess
 * --no-renames forbids) reach it.
 */
static bool enum_made_again(const struct planner *p, const struct pcsm_schema_type *a,
                            const struct pcsm_schema_type *b)
{
    size_t i, n_a = 0, n_b = 0;
    bool renames = true;

    while (a->labels[n_a])
        n_a++;
    while (b->labels[n_b])
        n_b++;
    if (labels_kept(a->labels, b->labels))
        return false;
    for (i = 0; n_a == n_b && i < n_a && renames; i++)
        renames = !strcmp(a->labels[i], b->labels[i]) ||
                  (label_index(b->labels, a->labels[i]) == (size_t)-1 &&
                   label_index(a->labels, b->labels[i]) == (size_t)-1);
    return !(n_a == n_b && renames && !(p->flags & PCSM_AUTOGEN_NO_RENAMES));
}

/*
 * Enum `was` made b, a being `was` after the renames asked for: labels
 * added in place (unless labels_first() did), or renamed in place (a
 * guess), or the type made again.
 */
static void enum_relabelled(struct planner *p, const struct pcsm_schema_type *was,
                            const struct pcsm_schema_type *a, const struct pcsm_schema_type *b)
{
    const char *name = b->name;
    pcsm_op *op = p->side->op;
    size_t i;

    if (labels_kept(a->labels, b->labels)) {
        if (!has(&p->labels_first, name, NULL))
            add_labels(p, a, b, false);
        return;
    }
    if (!enum_made_again(p, a, b)) {
        for (i = 0; a->labels[i]; i++) {
            if (!strcmp(a->labels[i], b->labels[i]))
                continue;
            comment(p, NULL, "A guess: label '%s' of %s went and '%s' came in its place: the "
                    "rows holding it will hold the new one. If they mean different things, "
                    "the type must be made again (--no-renames writes that).", a->labels[i],
                    name, b->labels[i]);
            if (!p->downgrade)
                notice(p, PCSM_AUTOGEN_RENAME, "label %s.%s -> %s (a guess; --no-renames: the "
                       "type made again)", name, a->labels[i], b->labels[i]);
            pcsm_rename_enum_value(op, name, a->labels[i], b->labels[i]);
        }
        return;
    }
    enum_rebuilt(p, was, a, b);
}

/* ------------------------------------------------------------ the order */

static bool sql_language(const struct pcsm_schema_function *f)
{
    return f && !strcmp(f->language, "sql");
}

/*
 * Whether an SQL text names `name`, not inside a longer word; `call`:
 * followed by "(", a call of it.
 */
static bool names_word(const char *text, const char *name, bool call)
{
    size_t len = strlen(name);
    const char *at;

    for (at = text ? strstr(text, name) : NULL; at; at = strstr(at + 1, name)) {
        bool starts = at == text || !(isalnum((unsigned char)at[-1]) || at[-1] == '_');
        bool ends = call ? at[len] == '(' : !(isalnum((unsigned char)at[len]) || at[len] == '_');

        if (starts && ends)
            return true;
    }
    return false;
}

static bool calls(const char *text, const char *name)
{
    return names_word(text, name, true);
}

/* Whether a default, generated column, check or index of to's tables calls function `name`. */
static bool used_by_tables(const struct planner *p, const char *name)
{
    size_t i, k;

    for (i = 0; i < p->to->n_tables; i++) {
        const struct pcsm_schema_table *t = &p->to->tables[i];

        for (k = 0; k < t->n_columns; k++)
            if (calls(t->columns[k].default_value.text, name) ||
                calls(t->columns[k].generated, name))
                return true;
        for (k = 0; k < t->n_constraints; k++)
            if (calls(t->constraints[k].check, name))
                return true;
    }
    for (i = 0; i < p->to->n_indexes; i++)
        if (calls(p->to->indexes[i].expression, name) || calls(p->to->indexes[i].where, name))
            return true;
    return false;
}

/*
 * Whether an SQL function's body names what the revision makes after its
 * functions: a view, or (made before the tables, for a default or check
 * that calls it) a table, a table's new name or a column added.
 */
static bool names_what_comes_later(const struct planner *p, const char *body, bool late)
{
    size_t i;

    for (i = 0; i < p->create_views.n; i++)
        if (names_word(body, p->create_views.v[i].a, false))
            return true;
    for (i = 0; !late && i < p->create_tables.n; i++)
        if (names_word(body, p->create_tables.v[i].a, false))
            return true;
    for (i = 0; !late && i < p->tables.n; i++)
        if (names_word(body, p->tables.v[i].b, false))
            return true;
    for (i = 0; !late && i < p->add_columns.n; i++)
        if (names_word(body, p->add_columns.v[i].b, false))
            return true;
    return false;
}

/* The range type of s whose subtype_diff f is, or NULL. */
static const struct pcsm_schema_range *range_of_diff(const pcsm_schema *s,
                                                     const struct pcsm_schema_function *f)
{
    size_t i;

    for (i = 0; i < s->n_ranges; i++)
        if (pcsm_schema__is_range_diff(&s->ranges[i], f))
            return &s->ranges[i];
    return NULL;
}

/*
 * Functions made or replaced: `late` picks those in SQL that no table
 * calls: the server checks an SQL body at once, so they come after the
 * tables they may read.  One a default or check calls must come first;
 * where a body it checks names what is made later (a view, or a table
 * for one made first), check_function_bodies is turned off for the rest
 * of the transaction, as pg_dump does.
 */
static void make_functions(struct planner *p, bool late)
{
    size_t i;

    for (i = 0; i < p->to->n_functions; i++) {
        const struct pcsm_schema_function *f = &p->to->functions[i];
        bool made = has(&p->create_functions, f->name, f->signature) ||
                    has(&p->recreate_functions, f->name, f->signature) ||
                    has(&p->replace_functions, f->name, f->signature);

        /* Made before its range; or, made again, left for the author (drop_dependents()). */
        if ((sql_language(f) && !used_by_tables(p, f->name)) != late ||
            has(&p->early_functions, f->name, f->signature) ||
            (has(&p->recreate_functions, f->name, f->signature) && range_of_diff(p->from, f)))
            continue;
        if (made && sql_language(f) && !p->bodies_unchecked &&
            names_what_comes_later(p, f->body, late)) {
            comment(p, NULL, "%s()'s body names what this revision makes after it: the "
                    "server is not to check it until it runs.", f->name);
            pcsm_set_local(p->side->op, "check_function_bodies", "off");
            p->bodies_unchecked = true;
        }
        if (has(&p->create_functions, f->name, f->signature) ||
            has(&p->recreate_functions, f->name, f->signature)) {
            pcsm_schema__record_function(p->side->op, f);
        } else if (has(&p->replace_functions, f->name, f->signature)) {
            pcsm_create_function(p->side->op, &(pcsm_function){
                .name = f->name, .arguments = f->arguments, .returns = f->returns,
                .language = f->language, .body = f->body, .volatility = f->volatility,
                .strict = f->strict, .security_definer = f->security_definer,
                .or_replace = true });
        }
    }
}

/*
 * Dependents first: triggers, policies, views, foreign keys, then other
 * constraints and indexes; a function made again (but one a range keeps
 * as its subtype_diff, which is the author's to arrange).
 */
static void drop_dependents(struct planner *p)
{
    pcsm_op *op = p->side->op;
    size_t *order = pcsm_schema__view_order(p->from);
    size_t i, k;

    for (i = 0; i < p->drop_triggers.n; i++)
        if (!has(&p->drop_tables, p->drop_triggers.v[i].a, NULL))
            pcsm_drop_trigger(op, p->drop_triggers.v[i].a, p->drop_triggers.v[i].b, 0);
    for (i = 0; i < p->drop_policies.n; i++)
        if (!has(&p->drop_tables, p->drop_policies.v[i].a, NULL))
            pcsm_drop_policy(op, p->drop_policies.v[i].a, p->drop_policies.v[i].b, 0);
    for (i = p->from->n_views; i-- > 0;) {
        const struct pcsm_schema_view *v = &p->from->views[order[i]];

        if (!has(&p->drop_views, v->name, NULL))
            continue;
        if (v->materialized && !pcsm_schema__view(p->to, v->name)) {
            comment(p, NULL, "Destructive: materialized view \"%s\" and its rows go.",
                    v->name);
            if (!p->downgrade)
                notice(p, PCSM_AUTOGEN_DESTRUCTIVE, "drop_materialized_view %s", v->name);
        }
        if (v->materialized)
            pcsm_drop_materialized_view(op, v->name, 0);
        else
            pcsm_drop_view(op, v->name, 0);
    }
    free(order);
    order = inheritance_order(p->from, &p->drop_constraints, false);
    for (k = 0; k < 2; k++)
        for (i = 0; i < p->drop_constraints.n; i++) {
            const char *table = p->drop_constraints.v[order[i]].a;
            const char *name = p->drop_constraints.v[order[i]].b;
            const struct pcsm_schema_table *t = pcsm_schema__table(p->from, table);
            bool fk = false, inherited = false;
            size_t c;

            for (c = 0; t && c < t->n_constraints; c++)
                if (same(t->constraints[c].name, name)) {
                    fk = t->constraints[c].kind == PCSM_FOREIGN_KEY;
                    inherited = t->constraints[c].inherited_only;
                }
            /* It goes with its parent's. */
            if (inherited &&
                through_kept_parent(p, table, table_to(p, table), false, has_check, name))
                continue;
            /* A dropped table's foreign key is here only when the key it uses goes first. */
            if (fk == (k == 0) && name && (fk || !has(&p->drop_tables, table, NULL)) &&
                !has(&p->spared_constraints, table, name))
                pcsm_drop_constraint(op, table, name, 0);
        }
    free(order);
    for (i = 0; i < p->drop_indexes.n; i++) {
        const struct pcsm_schema_index *ix = pcsm_schema__index(p->from, p->drop_indexes.v[i].a);

        if (ix && !has(&p->drop_tables, ix->table, NULL) && !has(&p->drop_views, ix->table, NULL))
            pcsm_drop_index(op, ix->name, 0);
    }
    for (i = 0; i < p->recreate_functions.n; i++) {
        const struct pcsm_schema_function *f =
            pcsm_schema__function(p->from, p->recreate_functions.v[i].a,
                                  p->recreate_functions.v[i].b);
        const struct pcsm_schema_range *r = f ? range_of_diff(p->from, f) : NULL;

        if (r) {
            comment(p, "arrange the function change below", "function %s(%s) changes as "
                    "CREATE OR REPLACE cannot say and range type %s has it as its "
                    "subtype_diff: drop the range with what uses it, make the function "
                    "again, then the range", f->name, f->signature, r->name);
            notice(p, PCSM_AUTOGEN_PLACEHOLDER, "function %s(%s) changed and range type %s "
                   "has it as its subtype_diff", f->name, f->signature, r->name);
        } else if (f) {
            pcsm_drop_function(op, f->name, f->arguments, 0);
        }
    }
}

static bool names_collation(const pcsm_index_element *e, const char *name)
{
    for (; e && (e->column || e->expression); e++)
        if (same(e->collation, name))
            return true;
    return false;
}

/*
 * The first column, index or exclusion constraint of s that names
 * collation `name` ("t.c"), or NULL.  Names are unqualified: a use in any
 * schema is of the target's collation.
 */
static char *collation_user(const pcsm_schema *s, const char *name)
{
    pcsm_buf out = PCSM_BUF_INIT;
    size_t i, k;

    for (i = 0; !out.len && i < s->n_tables; i++) {
        const struct pcsm_schema_table *t = &s->tables[i];

        for (k = 0; !out.len && k < t->n_columns; k++)
            if (same(t->columns[k].collation, name))
                pcsm_buf_printf(&out, "%s.%s", t->name, t->columns[k].name);
        for (k = 0; !out.len && k < t->n_constraints; k++)
            if (names_collation(t->constraints[k].elements, name))
                pcsm_buf_printf(&out, "constraint %s.%s", t->name,
                                t->constraints[k].name ? t->constraints[k].name : "?");
    }
    for (i = 0; !out.len && i < s->n_indexes; i++)
        if (names_collation(s->indexes[i].elements, name))
            pcsm_buf_printf(&out, "index %s", s->indexes[i].name);
    return out.len ? pcsm_buf_detach(&out) : (pcsm_buf_dispose(&out), NULL);
}

/*
 * Collations the tables use.  One whose definition changed is dropped and
 * made again when nothing uses it; one in use cannot be (the server would
 * drop its columns with CASCADE), nor altered (ALTER COLLATION changes
 * only its name and version): that is the author's to arrange.
 */
static void make_collations(struct planner *p)
{
    pcsm_op *op = p->side->op;
    size_t i;

    for (i = 0; i < p->to->n_collations; i++) {
        const struct pcsm_schema_collation *c = &p->to->collations[i];
        char *user;

        if (has(&p->create_collations, c->name, NULL)) {
            pcsm_schema__record_collation(op, c);
            continue;
        }
        if (!has(&p->recreate_collations, c->name, NULL))
            continue;
        /* One of another schema is named by no column. */
        user = p->schema ? NULL : collation_user(p->all_from, c->name);
        if (!user && !p->schema)
            user = collation_user(p->all_to, c->name);
        if (user) {
            comment(p, "arrange the collation change below", "collation %s changed and %s "
                    "uses it: make the new one under another name, move what uses it there "
                    "(pcsm_alter_column_type_collate()), drop this one and rename the new "
                    "one (pcsm_rename_collation())", c->name, user);
            notice(p, PCSM_AUTOGEN_PLACEHOLDER, "collation %s changed and %s uses it",
                   c->name, user);
            free(user);
            continue;
        }
        pcsm_drop_collation(op, c->name, 0);
        pcsm_schema__record_collation(op, c);
    }
}

/* Whether t is the type `name` of the target schema. */
static bool named(pcsm_type t, const char *name)
{
    return t.kind == PCSM_TYPE_NAMED && !t.schema && same(t.name, name);
}

/*
 * The first column, domain or composite type's attribute of s whose type
 * is `name` of the target schema ("t.c", "domain d", "type t.a"), or NULL;
 * `columns_only`: a column's alone.  A column of p's schema that p drops
 * or adds is none: drop_tables_and_columns() takes it before the types are
 * made, make_tables() makes it after.
 */
static char *type_user(const struct planner *p, const pcsm_schema *s, const char *name,
                       bool columns_only)
{
    pcsm_buf out = PCSM_BUF_INIT;
    size_t i, k;

    for (i = 0; !out.len && i < s->n_tables; i++)
        for (k = 0; !out.len && k < s->tables[i].n_columns; k++) {
            const struct pcsm_schema_table *tb = &s->tables[i];
            pcsm_type t = tb->columns[k].type;

            if (s == p->all_from && same(tb->schema, p->schema) &&
                (has(&p->drop_tables, tb->name, NULL) ||
                 has(&p->drop_columns, tb->name, tb->columns[k].name)))
                continue;
            if (s == p->all_to && same(tb->schema, p->schema) &&
                (has(&p->create_tables, tb->name, NULL) ||
                 has(&p->add_columns, tb->name, tb->columns[k].name)))
                continue;
            if (t.kind == PCSM_TYPE_NAMED && !t.schema && same(t.name, name))
                pcsm_buf_printf(&out, "%s.%s", s->tables[i].name,
                                s->tables[i].columns[k].name);
        }
    for (i = 0; !out.len && !columns_only && i < s->n_domains; i++) {
        pcsm_type t = s->domains[i].type;

        if (t.kind == PCSM_TYPE_NAMED && !t.schema && same(t.name, name))
            pcsm_buf_printf(&out, "domain %s", s->domains[i].name);
    }
    for (i = 0; !out.len && !columns_only && i < s->n_composites; i++)
        for (k = 0; !out.len && k < s->composites[i].n_attributes; k++) {
            pcsm_type t = s->composites[i].attributes[k].type;

            if (t.kind == PCSM_TYPE_NAMED && !t.schema && same(t.name, name))
                pcsm_buf_printf(&out, "type %s.%s", s->composites[i].name,
                                s->composites[i].attributes[k].name);
        }
    for (i = 0; !out.len && !columns_only && i < s->n_ranges; i++)
        if (named(s->ranges[i].subtype, name))
            pcsm_buf_printf(&out, "range type %s", s->ranges[i].name);
    /* A function that takes or returns it, but for one made again (dropped first). */
    for (i = 0; !out.len && !columns_only && s == p->all_from && i < s->n_functions; i++) {
        const struct pcsm_schema_function *f = &s->functions[i];
        char *returns;

        if (has(&p->recreate_functions, f->name, f->signature))
            continue;
        returns = pcsm_schema__type_identity(f->returns);
        if (mentions(f->signature, name) || mentions(returns, name))
            pcsm_buf_printf(&out, "function %s(%s)", f->name, f->signature);
        free(returns);
    }
    return out.len ? pcsm_buf_detach(&out) : (pcsm_buf_dispose(&out), NULL);
}

/*
 * Whether a column's values hold type `name` of the target schema, at any
 * depth: of the type, of a domain over it, of a composite type with an
 * attribute of it (ALTER TYPE ... ALTER ATTRIBUTE is refused then).
 */
static bool held_by_column(const struct planner *p, const pcsm_schema *s, const char *name,
                           int depth)
{
    char *user = type_user(p, s, name, true);
    size_t i, k;
    bool held = user != NULL;

    free(user);
    for (i = 0; !held && depth < 32 && i < s->n_domains; i++) {
        pcsm_type t = s->domains[i].type;

        if (t.kind == PCSM_TYPE_NAMED && !t.schema && same(t.name, name))
            held = held_by_column(p, s, s->domains[i].name, depth + 1);
    }
    for (i = 0; !held && depth < 32 && i < s->n_composites; i++)
        for (k = 0; !held && k < s->composites[i].n_attributes; k++) {
            pcsm_type t = s->composites[i].attributes[k].type;

            if (t.kind == PCSM_TYPE_NAMED && !t.schema && same(t.name, name))
                held = held_by_column(p, s, s->composites[i].name, depth + 1);
        }
    return held;
}

/* Where attribute `name` is among c's, or -1. */
static long attribute_at(const struct pcsm_schema_composite *c, const char *name)
{
    size_t i;

    for (i = 0; i < c->n_attributes; i++)
        if (same(c->attributes[i].name, name))
            return (long)i;
    return -1;
}

/*
 * Whether ALTER TYPE can take composite a to b: the attributes kept stay
 * in their order, the new ones come after them (ADD puts one at the end).
 */
static bool alterable(const struct pcsm_schema_composite *a,
                      const struct pcsm_schema_composite *b)
{
    size_t i, k = 0;

    for (i = 0; i < a->n_attributes; i++) {
        if (attribute_at(b, a->attributes[i].name) < 0)
            continue;
        if (k >= b->n_attributes || !same(b->attributes[k].name, a->attributes[i].name))
            return false;
        k++;
    }
    for (; k < b->n_attributes; k++)
        if (attribute_at(a, b->attributes[k].name) >= 0)
            return false;
    return true;
}

static bool same_attribute_type(const pcsm_attribute *a, const pcsm_attribute *b)
{
    return pcsm_schema__type_eq(a->type, b->type) && same(a->collation, b->collation);
}

/*
 * A composite type changed: in place when ALTER TYPE can (an attribute
 * dropped, added at the end, retyped while no column uses the type), else
 * dropped and made again while nothing uses it, else an #error to arrange.
 */
static void change_composite(struct planner *p, const struct pcsm_schema_composite *a,
                             const struct pcsm_schema_composite *b)
{
    pcsm_op *op = p->side->op;
    bool retyped = false, held = !p->schema && held_by_column(p, p->all_from, a->name, 0);
    char *user;
    size_t i;
    long k;

    for (i = 0; i < a->n_attributes; i++)
        if ((k = attribute_at(b, a->attributes[i].name)) >= 0 &&
            !same_attribute_type(&a->attributes[i], &b->attributes[k]))
            retyped = true;
    /* A column of the type refuses ALTER ATTRIBUTE TYPE, and DROP TYPE would take it. */
    if (alterable(a, b) && !(retyped && held)) {
        for (i = 0; i < a->n_attributes; i++)
            if (attribute_at(b, a->attributes[i].name) < 0) {
                comment(p, NULL, "Destructive: attribute \"%s\" of type \"%s\" and its "
                        "values go.", a->attributes[i].name, a->name);
                if (!p->downgrade)
                    notice(p, PCSM_AUTOGEN_DESTRUCTIVE, "drop_attribute %s.%s", a->name,
                           a->attributes[i].name);
                pcsm_drop_attribute(op, a->name, a->attributes[i].name, 0);
            }
        for (i = 0; i < b->n_attributes; i++) {
            k = attribute_at(a, b->attributes[i].name);
            if (k < 0)
                pcsm_add_attribute(op, b->name, &b->attributes[i]);
            else if (!same_attribute_type(&a->attributes[k], &b->attributes[i]))
                pcsm_alter_attribute_type(op, b->name, b->attributes[i].name,
                                          b->attributes[i].type, b->attributes[i].collation);
        }
        return;
    }
    user = p->schema ? NULL : type_user(p, p->all_from, a->name, false);
    if (!user && !p->schema)
        user = type_user(p, p->all_to, a->name, false);
    if (user) {
        comment(p, "arrange the type change below", "composite type %s changed as ALTER TYPE "
                "cannot say (attributes reordered, or retyped while %s uses it): make the new "
                "one under another name, move what uses it there, drop this one", a->name,
                user);
        notice(p, PCSM_AUTOGEN_PLACEHOLDER, "composite type %s changed and %s uses it",
               a->name, user);
        free(user);
        return;
    }
    put(&p->drop_composites, a->name, NULL);    /* its comment goes with it */
    pcsm_drop_type(op, a->name, 0);
    pcsm_schema__record_composite(op, b);
}

/* Which domains, composite and range types of `to` make_domains() has been through. */
struct made {
    bool *domains, *composites, *ranges;
};

static void make_range(struct planner *p, size_t i, struct made *m);

static void make_domain(struct planner *p, size_t i, struct made *m);

/* The domain or composite type t names, made here first if it is made here. */
static void make_type_named(struct planner *p, pcsm_type t, struct made *m);

/* Composite type i of `to`, after the types its attributes are of; each once. */
static void make_composite(struct planner *p, size_t i, struct made *m)
{
    const struct pcsm_schema_composite *b = &p->to->composites[i];
    const struct pcsm_schema_composite *a = pcsm_schema__composite_in(p->from, NULL, b->name);
    size_t k;

    if (m->composites[i])
        return;
    m->composites[i] = true;
    for (k = 0; k < b->n_attributes; k++)
        make_type_named(p, b->attributes[k].type, m);
    if (has(&p->create_composites, b->name, NULL))
        pcsm_schema__record_composite(p->side->op, b);
    else if (a && has(&p->alter_composites, b->name, NULL) && !pcsm_schema__attributes_eq(a, b))
        change_composite(p, a, b);
}

static void make_type_named(struct planner *p, pcsm_type t, struct made *m)
{
    const struct pcsm_schema_range *of;
    size_t k;

    for (k = 0; k < p->to->n_ranges; k++)
        if (named(t, p->to->ranges[k].name))
            make_range(p, k, m);
    if (t.kind == PCSM_TYPE_NAMED && !t.schema &&
        (of = pcsm_schema__range_of_multirange(p->to, NULL, t.name)) != NULL)
        make_range(p, (size_t)(of - p->to->ranges), m);
    for (k = 0; k < p->to->n_domains; k++)
        if (named(t, p->to->domains[k].name))
            make_domain(p, k, m);
    for (k = 0; k < p->to->n_composites; k++)
        if (named(t, p->to->composites[k].name))
            make_composite(p, k, m);
}

/* The first user of range r or its multirange type in s, as type_user() says; or NULL. */
static char *range_user(struct planner *p, const pcsm_schema *s,
                        const struct pcsm_schema_range *r)
{
    char *user = type_user(p, s, r->name, false), *multirange;

    if (user)
        return user;
    multirange = pcsm_schema__multirange_name(r);
    user = type_user(p, s, multirange, false);
    free(multirange);
    return user;
}

/*
 * Range type i of `to` after its subtype, made or made again (no ALTER
 * TYPE changes a range) while nothing uses it; each once.  A subtype_diff
 * function made in this revision is made first, here: functions come
 * after the types.
 */
static void make_range(struct planner *p, size_t i, struct made *m)
{
    const struct pcsm_schema_range *b = &p->to->ranges[i];
    const struct pcsm_schema_range *a = pcsm_schema__range_in(p->from, NULL, b->name);
    pcsm_op *op = p->side->op;
    bool create = has(&p->create_ranges, b->name, NULL);
    char *user = NULL;
    size_t k;

    if (m->ranges[i])
        return;
    m->ranges[i] = true;
    if (!create && !has(&p->recreate_ranges, b->name, NULL))
        return;
    make_type_named(p, b->subtype, m);
    for (k = 0; b->subtype_diff && !b->subtype_diff_schema && k < p->to->n_functions; k++) {
        const struct pcsm_schema_function *f = &p->to->functions[k];

        if (pcsm_schema__is_range_diff(b, f) &&
            has(&p->create_functions, f->name, f->signature) &&
            !has(&p->early_functions, f->name, f->signature)) {
            put(&p->early_functions, f->name, f->signature);
            pcsm_schema__record_function(op, f);
        }
    }
    if (create) {
        pcsm_schema__record_range(op, b);
        return;
    }
    if (!p->schema && a)
        user = range_user(p, p->all_from, a);
    if (!user && !p->schema)
        user = range_user(p, p->all_to, b);
    if (user) {
        comment(p, "arrange the range type change below", "range type %s changed, which no "
                "ALTER TYPE can say, and %s uses it: make the new one under another name, "
                "move what uses it there (pcsm_alter_column_type()), drop this one", b->name,
                user);
        notice(p, PCSM_AUTOGEN_PLACEHOLDER, "range type %s changed and %s uses it", b->name,
               user);
        free(user);
        return;
    }
    pcsm_drop_type(op, b->name, 0);
    pcsm_schema__record_range(op, b);
}

/* Domain i of `to` after the type it is over when that one is made here too; each once. */
static void make_domain(struct planner *p, size_t i, struct made *m)
{
    const struct pcsm_schema_domain *d = &p->to->domains[i];
    pcsm_op *op = p->side->op;
    char *user;

    if (m->domains[i])
        return;
    m->domains[i] = true;
    make_type_named(p, d->type, m);
    if (has(&p->create_domains, d->name, NULL)) {
        pcsm_schema__record_domain(op, d);
        return;
    }
    if (!has(&p->recreate_domains, d->name, NULL))
        return;
    user = p->schema ? NULL : type_user(p, p->all_from, d->name, false);
    if (!user && !p->schema)
        user = type_user(p, p->all_to, d->name, false);
    if (user) {
        comment(p, "arrange the domain change below", "domain %s changed its type or "
                "collation and %s uses it: make the new one under another name, move what "
                "uses it there (pcsm_alter_column_type()), drop this one and rename the new "
                "one (pcsm_rename_domain())", d->name, user);
        notice(p, PCSM_AUTOGEN_PLACEHOLDER, "domain %s changed and %s uses it", d->name,
               user);
        free(user);
        return;
    }
    pcsm_drop_domain(op, d->name, 0);
    pcsm_schema__record_domain(op, d);
}

/*
 * Domains and composite types the tables use, each after the types it
 * holds (a domain's base, a composite type's attributes): new ones made,
 * changed composite types altered (change_composite()), a domain whose
 * type or collation changed made again while nothing uses it; then the
 * domains' defaults and NOT NULL in place, then their CHECKs (those gone
 * or changed dropped before the new are added).
 */
static void make_domains(struct planner *p)
{
    pcsm_op *op = p->side->op;
    struct made m = { pcsm__xcalloc(p->to->n_domains + 1, sizeof(bool)),
                      pcsm__xcalloc(p->to->n_composites + 1, sizeof(bool)),
                      pcsm__xcalloc(p->to->n_ranges + 1, sizeof(bool)) };
    size_t i;

    for (i = 0; i < p->to->n_ranges; i++)
        make_range(p, i, &m);
    for (i = 0; i < p->to->n_composites; i++)
        make_composite(p, i, &m);
    for (i = 0; i < p->to->n_domains; i++)
        make_domain(p, i, &m);
    free(m.domains);
    free(m.composites);
    free(m.ranges);
    for (i = 0; i < p->alter_domains.n; i++) {
        const char *name = p->alter_domains.v[i].a;
        const struct pcsm_schema_domain *a = pcsm_schema__domain_in(p->from, NULL, name);
        const struct pcsm_schema_domain *b = pcsm_schema__domain_in(p->to, NULL, name);

        if (!a || !b || has(&p->recreate_domains, name, NULL))
            continue;
        if (a->default_value.kind != b->default_value.kind ||
            !same(a->default_value.text, b->default_value.text)) {
            if (b->default_value.kind == PCSM_VALUE_NONE)
                pcsm_drop_domain_default(op, name);
            else
                pcsm_set_domain_default(op, name, b->default_value);
        }
        if (a->not_null != b->not_null) {
            if (b->not_null)
                pcsm_set_domain_not_null(op, name);
            else
                pcsm_drop_domain_not_null(op, name);
        }
    }
    for (i = 0; i < p->drop_domain_checks.n; i++) {
        const struct pair *c = &p->drop_domain_checks.v[i];

        /* One made again has none of from's. */
        if (!has(&p->drop_domains, c->a, NULL) && !has(&p->recreate_domains, c->a, NULL))
            pcsm_drop_domain_constraint(op, c->a, c->b, 0);
    }
    for (i = 0; i < p->add_domain_checks.n; i++) {
        const struct pair *c = &p->add_domain_checks.v[i];
        const struct pcsm_schema_domain *d = pcsm_schema__domain_in(p->to, NULL, c->a);
        const struct pcsm_schema_constraint *k = d ? pcsm_schema__domain_constraint(d, c->b)
                                                   : NULL;

        if (k && !has(&p->create_domains, c->a, NULL) &&
            !has(&p->recreate_domains, c->a, NULL)) {
            pcsm_constraint api = pcsm_schema__api_domain_constraint(k);

            pcsm_add_domain_constraint(op, c->a, &api);
        }
    }
    for (i = 0; i < p->validate_domain_checks.n; i++)
        pcsm_validate_domain_constraint(op, p->validate_domain_checks.v[i].a,
                                        p->validate_domain_checks.v[i].b);
}

/* A domain, composite or range type going, for drop_types_in_order(). */
struct going {
    const char *name;
    enum { GOING_DOMAIN, GOING_COMPOSITE, GOING_RANGE } kind;
    bool done;
    char *multirange;           /* a range's, owned */
};

/* Whether user (as from has it) is of type `name`, over it, or has an attribute of it. */
static bool uses_type(const struct planner *p, const struct going *user, const char *name)
{
    const struct pcsm_schema_domain *d;
    const struct pcsm_schema_composite *c;
    const struct pcsm_schema_range *r;
    size_t k;

    if (!name)
        return false;
    if (user->kind == GOING_DOMAIN)
        return (d = pcsm_schema__domain_in(p->from, NULL, user->name)) && named(d->type, name);
    if (user->kind == GOING_RANGE)
        return (r = pcsm_schema__range_in(p->from, NULL, user->name)) &&
               named(r->subtype, name);
    c = pcsm_schema__composite_in(p->from, NULL, user->name);
    for (k = 0; c && k < c->n_attributes; k++)
        if (named(c->attributes[k].type, name))
            return true;
    return false;
}

/*
 * The domains, composite and range types that went, each once nothing
 * left to drop uses it (a domain over a composite type, a composite type
 * with an attribute of a domain, a range over a domain): the server
 * refuses a drop while a type uses it.
 */
static void drop_types_in_order(struct planner *p)
{
    struct going *g = pcsm__xcalloc(p->drop_domains.n + p->drop_composites.n +
                                    p->drop_ranges.n + 1, sizeof(*g));
    size_t n = 0, i, k, left;
    bool progress = true;

    for (i = 0; i < p->drop_domains.n; i++)
        g[n++] = (struct going){ p->drop_domains.v[i].a, GOING_DOMAIN, false, NULL };
    /* One made again (change_composite()) was dropped there. */
    for (i = 0; i < p->drop_composites.n; i++)
        if (!pcsm_schema__composite_in(p->to, NULL, p->drop_composites.v[i].a))
            g[n++] = (struct going){ p->drop_composites.v[i].a, GOING_COMPOSITE, false, NULL };
    for (i = 0; i < p->drop_ranges.n; i++) {
        const struct pcsm_schema_range *r = pcsm_schema__range_in(p->from, NULL,
                                                                  p->drop_ranges.v[i].a);

        if (r)
            g[n++] = (struct going){ r->name, GOING_RANGE, false,
                                     pcsm_schema__multirange_name(r) };
    }
    for (left = n; left && progress;) {
        progress = false;
        for (i = 0; i < n; i++) {
            bool used = false;

            for (k = 0; !g[i].done && !used && k < n; k++)
                used = k != i && !g[k].done && (uses_type(p, &g[k], g[i].name) ||
                                                uses_type(p, &g[k], g[i].multirange));
            if (g[i].done || used)
                continue;
            if (g[i].kind == GOING_DOMAIN)
                pcsm_drop_domain(p->side->op, g[i].name, 0);
            else
                pcsm_drop_type(p->side->op, g[i].name, 0);
            g[i].done = progress = true;
            left--;
        }
    }
    for (i = 0; i < n; i++)
        free(g[i].multirange);
    free(g);
}

/* Whether f is the subtype_diff of a range type that goes (which must go first). */
static bool diff_of_a_range_going(const struct planner *p, const struct pcsm_schema_function *f)
{
    size_t i;

    for (i = 0; i < p->drop_ranges.n; i++) {
        const struct pcsm_schema_range *r = pcsm_schema__range_in(p->from, NULL,
                                                                  p->drop_ranges.v[i].a);

        if (r && pcsm_schema__is_range_diff(r, f))
            return true;
    }
    return false;
}

/* Extensions, collations, enum types, domains, sequences and functions: what tables use. */
static void make_prerequisites(struct planner *p)
{
    pcsm_op *op = p->side->op;
    size_t i;

    for (i = 0; i < p->to->n_extensions; i++)
        if (has(&p->create_extensions, p->to->extensions[i].name, NULL))
            pcsm_create_extension(op, p->to->extensions[i].name,
                                  p->to->extensions[i].cascade ? PCSM_CREATE_CASCADE : 0);
    make_collations(p);
    for (i = 0; i < p->to->n_types; i++)
        if (has(&p->create_types, p->to->types[i].name, NULL))
            pcsm_create_enum(op, p->to->types[i].name,
                             (const char *const *)p->to->types[i].labels);
    for (i = 0; i < p->enum_changes.n; i++)
        enum_change(p, p->enum_changes.v[i].a);
    make_domains(p);
    for (i = 0; i < p->to->n_sequences; i++) {
        const struct pcsm_schema_sequence *q = &p->to->sequences[i];
        const struct pcsm_schema_sequence *was = pcsm_schema__sequence(p->from, q->name);

        if (has(&p->create_sequences, q->name, NULL)) {
            pcsm_sequence_options o = pcsm_op__sequence_options(&q->options, false);

            pcsm_create_sequence(op, q->name, &o, NULL, NULL);
        } else if (was && has(&p->alter_sequences, q->name, NULL)) {
            pcsm_sequence_options o = seq_delta(&was->options, &q->options, false);

            pcsm_alter_sequence(op, q->name, &o);
        }
    }
    make_functions(p, false);
}

static void renames(struct planner *p)
{
    size_t i;

    for (i = 0; i < p->sequences.n; i++) {
        const struct pair *q = &p->sequences.v[i];

        if (q->asked) {
            const struct pcsm_schema_sequence *a = pcsm_schema__sequence(p->from, q->a);
            const struct pcsm_schema_sequence *b = pcsm_schema__sequence(p->to, q->b);

            if (!p->downgrade)
                notice(p, PCSM_AUTOGEN_RENAME, "sequence %s -> %s (as --rename asked)", q->a,
                       q->b);
            pcsm_rename_sequence(p->side->op, q->a, q->b);
            if (!pcsm_schema__seq_eq(&a->options, &b->options)) {
                pcsm_sequence_options o = seq_delta(&a->options, &b->options, false);

                pcsm_alter_sequence(p->side->op, q->b, &o);
            }
            continue;
        }
        comment(p, NULL, "A guess: sequence \"%s\" went and \"%s\", with the same options, "
                "came; renamed, it goes on numbering where it was. If they are two sequences, "
                "replace this call with pcsm_drop_sequence() and pcsm_create_sequence() "
                "(--no-renames writes that).", p->sequences.v[i].a, p->sequences.v[i].b);
        if (!p->downgrade)
            notice(p, PCSM_AUTOGEN_RENAME, "sequence %s -> %s (a guess; --no-renames: drop "
                   "and add)", p->sequences.v[i].a, p->sequences.v[i].b);
        pcsm_rename_sequence(p->side->op, p->sequences.v[i].a, p->sequences.v[i].b);
    }

    for (i = 0; i < p->tables.n; i++) {
        if (p->tables.v[i].asked) {
            if (!p->downgrade)
                notice(p, PCSM_AUTOGEN_RENAME, "table %s -> %s (as --rename asked)",
                       p->tables.v[i].a, p->tables.v[i].b);
            pcsm_rename_table(p->side->op, p->tables.v[i].a, p->tables.v[i].b);
            continue;
        }
        comment(p, NULL, "A guess: table \"%s\" went and \"%s\", with the same columns, came. "
                "If they are two tables, replace this call with pcsm_drop_table() and "
                "pcsm_create_table() (--no-renames writes that).", p->tables.v[i].a,
                p->tables.v[i].b);
        if (!p->downgrade)      /* the same guess, undone */
            notice(p, PCSM_AUTOGEN_RENAME, "table %s -> %s (a guess; --no-renames: drop and "
                   "add)", p->tables.v[i].a, p->tables.v[i].b);
        pcsm_rename_table(p->side->op, p->tables.v[i].a, p->tables.v[i].b);
    }
    for (i = 0; i < p->columns.n; i++) {
        const char *table = table_to(p, p->columns.v[i].c);

        if (p->columns.v[i].asked) {
            if (!p->downgrade)
                notice(p, PCSM_AUTOGEN_RENAME, "column %s.%s -> %s (as --rename asked)", table,
                       p->columns.v[i].a, p->columns.v[i].b);
            pcsm_rename_column(p->side->op, table, p->columns.v[i].a, p->columns.v[i].b);
            continue;
        }
        comment(p, NULL, "A guess: column \"%s\" went and \"%s\", of the same type, came. If "
                "they hold different data, replace this call with pcsm_drop_column() and "
                "pcsm_add_column() (--no-renames writes that).", p->columns.v[i].a,
                p->columns.v[i].b);
        if (!p->downgrade)
            notice(p, PCSM_AUTOGEN_RENAME, "column %s.%s -> %s (a guess; --no-renames: drop "
                   "and add)", table, p->columns.v[i].a, p->columns.v[i].b);
        pcsm_rename_column(p->side->op, table, p->columns.v[i].a, p->columns.v[i].b);
    }
    /* Same definitions under new names: nothing to guess, and no index to build again. */
    for (i = 0; i < p->indexes.n; i++) {
        if (!p->downgrade)
            notice(p, PCSM_AUTOGEN_RENAME, "index %s -> %s (%s)", p->indexes.v[i].a,
                   p->indexes.v[i].b, p->indexes.v[i].asked ? "as --rename asked"
                                                            : "the same definition");
        pcsm_rename_index(p->side->op, p->indexes.v[i].a, p->indexes.v[i].b);
    }
    for (i = 0; i < p->constraints.n; i++) {
        const char *table = table_to(p, p->constraints.v[i].c);

        if (!p->downgrade)
            notice(p, PCSM_AUTOGEN_RENAME, "constraint %s.%s -> %s (%s)", table,
                   p->constraints.v[i].a, p->constraints.v[i].b,
                   p->constraints.v[i].asked ? "as --rename asked" : "the same definition");
        pcsm_rename_constraint(p->side->op, table, p->constraints.v[i].a,
                               p->constraints.v[i].b);
    }
}

/*
 * Whether a generated column of from's table ft must go while others are
 * retyped: the server refuses to retype a column a generated one reads
 * (the expression is text to the model: a mention of the name counts).
 */
static bool reads_a_retyped_column(const struct planner *p, const char *ft,
                                   const struct pcsm_schema_table *was,
                                   const struct pcsm_schema_column *g)
{
    size_t k;

    if (!g->generated)
        return false;
    for (k = 0; k < was->n_columns; k++) {
        const char *name = was->columns[k].name;

        if (&was->columns[k] != g && strstr(g->generated, name) &&
            (column_changed(p, ft, name, "type") || column_changed(p, ft, name, "collation")))
            return true;
    }
    return false;
}

/*
 * New tables first, then the columns of the others: a column's default
 * may call a function that reads a new table.
 */
static void make_tables(struct planner *p)
{
    pcsm_op *op = p->side->op;
    size_t *order = pcsm_schema__table_order(p->to);
    size_t i, k;

    bool **again_of = pcsm__xcalloc(p->to->n_tables + 1, sizeof(*again_of));

    /*
     * New partitions and children wait for the column changes of their
     * parents, which reach them.
     */
    for (i = 0; i < p->to->n_tables; i++) {
        const struct pcsm_schema_table *t = &p->to->tables[order[i]];

        if (has(&p->create_tables, t->name, NULL) && !t->partition_of && !t->inherits)
            pcsm_schema__record_table(op, p->to, t);
    }
    /* Changes: a parent's first, which reach its children. */
    for (i = 0; i < p->to->n_tables; i++) {
        const struct pcsm_schema_table *t = &p->to->tables[order[i]];
        const char *ft = table_from(p, t->name);
        const struct pcsm_schema_table *was = pcsm_schema__table(p->from, ft);
        bool *again;

        if (has(&p->create_tables, t->name, NULL))
            continue;
        again = again_of[order[i]] = pcsm__xcalloc(t->n_columns + 1, sizeof(*again));
        /* Generated columns over a retyped one: out of the way first, back last. */
        for (k = 0; was && k < t->n_columns; k++) {
            const struct pcsm_schema_column *g =
                pcsm_schema__column(was, column_from(p, ft, t->columns[k].name));

            if (g && t->columns[k].generated && reads_a_retyped_column(p, ft, was, g)) {
                again[k] = true;
                comment(p, NULL, "Generated column \"%s\" reads a column retyped below: it "
                        "goes, and comes back after (its values are computed, none is lost).",
                        g->name);
                pcsm_drop_column(op, t->name, g->name, 0);
                put(&p->readded_columns, t->name, t->columns[k].name);
                comes_back(p, t, &t->columns[k]);
            }
        }
        for (k = 0; was && k < t->n_columns; k++) {
            const struct pcsm_schema_column *c = &t->columns[k];
            const char *fc = column_from(p, ft, c->name);

            if (!again[k] && has(&p->change_columns, ft, fc) && pcsm_schema__column(was, fc)) {
                change_column(p, ft, pcsm_schema__column(was, fc), t, c);
                children_keep_their_own(p, t, c);
            }
        }
    }
    /* Columns added: a child's own first, which its parent's then merge into. */
    for (i = p->to->n_tables; i-- > 0;) {
        const struct pcsm_schema_table *t = &p->to->tables[order[i]];
        const char *ft = table_from(p, t->name);
        bool *again = again_of[order[i]];

        if (!again)
            continue;
        for (k = 0; k < t->n_columns; k++) {
            const struct pcsm_schema_column *c = &t->columns[k];

            if (again[k] || !has(&p->add_columns, t->name, c->name))
                continue;
            /* Its parent's, added there, reaches it. */
            if (c->inherited_only &&
                through_kept_parent(p, ft, t->name, true, has_column, c->name))
                continue;
            if (p->downgrade)
                add_back_column(p, t->name, c);
            else
                add_column(p, t->name, c);
        }
        for (k = 0; k < t->n_columns; k++)
            if (again[k])
                add_column(p, t->name, &t->columns[k]);
        for (k = 0; k < t->n_columns; k++)
            if (has(&p->add_columns, t->name, t->columns[k].name))
                children_keep_their_own(p, t, &t->columns[k]);
        free(again);
    }
    free(again_of);
    the_partitions(p);
    for (i = 0; i < p->to->n_tables; i++) {
        const struct pcsm_schema_table *t = &p->to->tables[order[i]];

        if (has(&p->create_tables, t->name, NULL) && (t->partition_of || t->inherits))
            pcsm_schema__record_table_in(op, p->to, t);
    }
    free(order);
    attach_partitions(p);
    repartition(p);
}

static const struct pcsm_schema_constraint *constraint_of(const pcsm_schema *s, const char *table,
                                                         const char *name)
{
    const struct pcsm_schema_table *t = pcsm_schema__table(s, table);
    size_t i;

    for (i = 0; t && i < t->n_constraints; i++)
        if (same(t->constraints[i].name, name))
            return &t->constraints[i];
    return NULL;
}

/*
 * Sequence owners, constraints (foreign keys last), comments, views,
 * indexes, triggers, row security and policies.
 */
/*
 * A parent's NOT VALID CHECK added reaches a child NOT VALID; a new child,
 * or one its parent's CHECK is added for, that has it valid is validated.
 */
static void valid_where_made_after(struct planner *p)
{
    size_t i, k, j;

    for (i = 0; i < p->to->n_tables; i++) {
        const struct pcsm_schema_table *t = &p->to->tables[i];

        for (k = 0; k < t->n_constraints; k++) {
            const struct pcsm_schema_constraint *c = &t->constraints[k];
            bool made_now = false;

            if (!c->inherited_only || c->not_valid || !c->name)
                continue;
            for (j = 0; t->inherits && t->inherits[j]; j++) {
                const struct pcsm_schema_constraint *pc =
                    constraint_of(p->to, t->inherits[j], c->name);

                if (pc && pc->not_valid && (has(&p->create_tables, t->name, NULL) ||
                                            has(&p->add_constraints, t->inherits[j], c->name)))
                    made_now = true;
            }
            if (made_now)
                pcsm_validate_constraint(p->side->op, t->name, c->name);
        }
    }
}

static void make_dependents(struct planner *p)
{
    pcsm_op *op = p->side->op;
    size_t *order;
    size_t i, k;

    for (i = 0; i < p->to->n_sequences; i++) {
        const struct pcsm_schema_sequence *q = &p->to->sequences[i];

        if ((has(&p->create_sequences, q->name, NULL) && q->owned_table) ||
            has(&p->sequence_owners, q->name, NULL))
            pcsm_set_sequence_owner(op, q->name, q->owned_table, q->owned_column);
    }
    order = inheritance_order(p->to, &p->add_constraints, true);
    for (k = 0; k < 2; k++)
        for (i = 0; i < p->add_constraints.n; i++) {
            const char *table = p->add_constraints.v[order[i]].a;
            const struct pcsm_schema_constraint *c =
                constraint_of(p->to, table, p->add_constraints.v[order[i]].b);
            pcsm_constraint api;

            if (!c || !c->name || (c->kind == PCSM_FOREIGN_KEY) != (k == 1) ||
                has(&p->kept_constraints, table, c->name))
                continue;
            /* Its parent's, added there, reaches it. */
            if (c->inherited_only &&
                through_kept_parent(p, table_from(p, table), table, true, has_check, c->name))
                continue;
            api = pcsm_schema__api_constraint(c);
            pcsm_add_constraint(op, table, &api);
        }
    free(order);
    for (i = 0; i < p->validate_constraints.n; i++) {
        const char *table = p->validate_constraints.v[i].a, *name = p->validate_constraints.v[i].b;

        /* Added again for another change (or a key's), it is added valid. */
        if (!has(&p->add_constraints, table, name))
            pcsm_validate_constraint(op, table, name);
    }
    valid_where_made_after(p);
    for (i = 0; i < p->table_comments.n; i++) {
        const struct pcsm_schema_table *t = pcsm_schema__table(p->to, p->table_comments.v[i].a);

        if (t)
            pcsm_comment_table(op, t->name, t->comment && *t->comment ? t->comment : NULL);
    }
    order = pcsm_schema__view_order(p->to);
    for (i = 0; i < p->to->n_views; i++) {
        const struct pcsm_schema_view *v = &p->to->views[order[i]];

        if (has(&p->create_views, v->name, NULL))
            pcsm_schema__record_view(op, v, false);
        else if (has(&p->refresh_views, v->name, NULL))
            pcsm_refresh_materialized_view(op, v->name, v->populated ? 0 : PCSM_REFRESH_NO_DATA);
    }
    free(order);
    for (i = 0; i < p->to->n_indexes; i++)
        if (has(&p->create_indexes, p->to->indexes[i].name, NULL) &&
            !has(&p->kept_indexes, p->to->indexes[i].name, NULL))
            pcsm_schema__record_index(op, &p->to->indexes[i]);
    for (i = 0; i < p->to->n_tables; i++) {
        const struct pcsm_schema_table *t = &p->to->tables[i];

        for (k = 0; k < t->n_triggers; k++) {
            const struct pcsm_schema_trigger *tr = &t->triggers[k];

            if (has(&p->create_triggers, t->name, tr->name))
                pcsm_schema__record_trigger(op, t->name, tr);   /* with its firing */
            else if (has(&p->toggle_triggers, t->name, tr->name))
                pcsm_set_trigger_firing(op, t->name, tr->name, tr->firing);
        }
    }
    /* Last, as the printed model has them: a condition may read any table or view. */
    for (i = 0; i < p->to->n_tables; i++) {
        const struct pcsm_schema_table *t = &p->to->tables[i];
        const struct pcsm_schema_table *was = pcsm_schema__table(p->from, table_from(p, t->name));

        if (has(&p->row_security, t->name, NULL)) {
            if (t->row_security != (was && was->row_security))
                pcsm_set_row_security(op, t->name, t->row_security ? PCSM_ROW_SECURITY_ENABLE
                                                                   : PCSM_ROW_SECURITY_DISABLE);
            if (t->force_row_security != (was && was->force_row_security))
                pcsm_set_row_security(op, t->name, t->force_row_security
                                                   ? PCSM_ROW_SECURITY_FORCE
                                                   : PCSM_ROW_SECURITY_NO_FORCE);
        }
        for (k = 0; k < t->n_policies; k++)
            if (has(&p->create_policies, t->name, t->policies[k].name))
                pcsm_schema__record_policy(op, t->name, &t->policies[k]);
    }
}

/* Whether dropped table t is referenced by another dropped table not yet dropped. */
static bool still_referenced(const struct planner *p, const char *t, const bool *done)
{
    size_t i, k;

    for (i = 0; i < p->drop_tables.n; i++) {
        const struct pcsm_schema_table *u = pcsm_schema__table(p->from, p->drop_tables.v[i].a);

        /* c set: its foreign keys to the others went (break_cycle). */
        if (done[i] || !u || !strcmp(u->name, t))
            continue;
        /* A child goes before the parent it inherits (else: CASCADE). */
        if (pcsm_schema__names_contain(u->inherits, t))
            return true;
        if (p->drop_tables.v[i].c)
            continue;
        for (k = 0; k < u->n_constraints; k++)
            if (u->constraints[k].kind == PCSM_FOREIGN_KEY &&
                same(u->constraints[k].references, t))
                return true;
    }
    return false;
}

/*
 * Dropped tables whose foreign keys point at each other in a cycle: the
 * keys between them go first, then the tables in any order.
 */
static void break_cycle(struct planner *p, bool *done)
{
    size_t i, k;

    for (i = 0; i < p->drop_tables.n; i++) {
        struct pcsm_schema_table *t = pcsm_schema__table(p->from, p->drop_tables.v[i].a);

        for (k = 0; !done[i] && t && k < t->n_constraints; k++) {
            const struct pcsm_schema_constraint *c = &t->constraints[k];

            if (c->kind == PCSM_FOREIGN_KEY && c->name && strcmp(c->references, t->name) &&
                has(&p->drop_tables, c->references, NULL))
                pcsm_drop_constraint(p->side->op, t->name, c->name, 0);
        }
    }
    /* Nothing refers to any of them now. */
    for (i = 0; i < p->drop_tables.n; i++)
        p->drop_tables.v[i].c = "";
}

static void drop_tables(struct planner *p)
{
    bool *done = pcsm__xcalloc(p->drop_tables.n + 1, sizeof(*done));
    size_t n, i, left = p->drop_tables.n;

    /* A partition goes with its partitioned table. */
    for (i = 0; i < p->drop_tables.n; i++) {
        const struct pcsm_schema_table *t = pcsm_schema__table(p->from, p->drop_tables.v[i].a);

        done[i] = t && t->partition_of && has(&p->drop_tables, t->partition_of, NULL);
        left -= done[i];
        if (done[i] && !p->downgrade)
            notice(p, PCSM_AUTOGEN_DESTRUCTIVE, "drop_table %s (a partition of %s: with it)",
                   t->name, t->partition_of);
    }
    for (n = 0; n < left; n++) {
        size_t pick = p->drop_tables.n;

        for (i = 0; i < p->drop_tables.n && pick == p->drop_tables.n; i++)
            if (!done[i] && !still_referenced(p, p->drop_tables.v[i].a, done))
                pick = i;
        if (pick == p->drop_tables.n)
            break_cycle(p, done);
        for (i = 0; pick == p->drop_tables.n; i++)
            if (!done[i])
                pick = i;
        done[pick] = true;
        comment(p, NULL, "Destructive: table \"%s\" and its rows go.", p->drop_tables.v[pick].a);
        if (!p->downgrade)
            notice(p, PCSM_AUTOGEN_DESTRUCTIVE, "drop_table %s", p->drop_tables.v[pick].a);
        pcsm_drop_table(p->side->op, p->drop_tables.v[pick].a, 0);
    }
    free(done);
}

/*
 * Tables and columns that went, as soon as what depends on them has gone:
 * a new table or column may take their names, or those of their indexes
 * and sequences (a table re-created under --no-renames).
 */
static void drop_tables_and_columns(struct planner *p)
{
    size_t i;

    size_t *order = inheritance_order(p->from, &p->drop_columns, false);

    drop_tables(p);
    for (i = 0; i < p->drop_columns.n; i++) {
        const char *table = p->drop_columns.v[order[i]].a;
        const char *column = p->drop_columns.v[order[i]].b;
        const struct pcsm_schema_column *c =
            pcsm_schema__column(pcsm_schema__table(p->from, table), column);

        if (has(&p->drop_tables, table, NULL))
            continue;
        /* It goes with its parent's. */
        if (c && c->inherited_only &&
            through_kept_parent(p, table, table_to(p, table), false, has_column, column))
            continue;
        comment(p, NULL, "Destructive: column \"%s\".\"%s\" and its values go.", table,
                column);
        if (!p->downgrade)
            notice(p, PCSM_AUTOGEN_DESTRUCTIVE, "drop_column %s.%s", table, column);
        pcsm_drop_column(p->side->op, table, column, 0);
    }
    free(order);
}

/* What else went: functions, sequences, domains, types, collations, extensions. */
static void drop_the_rest(struct planner *p)
{
    pcsm_op *op = p->side->op;
    size_t i;

    for (i = 0; i < p->drop_functions.n; i++) {
        const struct pcsm_schema_function *f =
            pcsm_schema__function(p->from, p->drop_functions.v[i].a, p->drop_functions.v[i].b);

        if (f && !diff_of_a_range_going(p, f))
            pcsm_drop_function(op, f->name, f->arguments, 0);
    }
    for (i = 0; i < p->drop_sequences.n; i++) {
        const struct pcsm_schema_sequence *q = pcsm_schema__sequence(p->from,
                                                                     p->drop_sequences.v[i].a);

        /* One owned by a column that went went with it. */
        if (!q || (q->owned_table && (has(&p->drop_tables, q->owned_table, NULL) ||
                                      has(&p->drop_columns, q->owned_table, q->owned_column))))
            continue;
        comment(p, NULL, "Destructive: sequence \"%s\" and its position go.", q->name);
        if (!p->downgrade)
            notice(p, PCSM_AUTOGEN_DESTRUCTIVE, "drop_sequence %s", q->name);
        pcsm_drop_sequence(op, q->name, 0);
    }
    drop_types_in_order(p);
    for (i = 0; i < p->drop_functions.n; i++) {
        const struct pcsm_schema_function *f =
            pcsm_schema__function(p->from, p->drop_functions.v[i].a, p->drop_functions.v[i].b);

        if (f && diff_of_a_range_going(p, f))
            pcsm_drop_function(op, f->name, f->arguments, 0);
    }
    for (i = 0; i < p->drop_types.n; i++)
        pcsm_drop_type(op, p->drop_types.v[i].a, 0);
    for (i = 0; i < p->drop_collations.n; i++)
        pcsm_drop_collation(op, p->drop_collations.v[i].a, 0);
    for (i = 0; i < p->drop_extensions.n; i++)
        pcsm_drop_extension(op, p->drop_extensions.v[i].a, 0);
}

/*
 * COMMENT ON what to has unless it has that comment by now: one made in
 * the revision has none (its comment went with it, if it was made again),
 * one kept has from's.
 */
static void set_comment(struct planner *p, enum pcsm_object_kind kind, const char *name,
                        const char *of, bool made, const char *was, const char *now)
{
    if (made ? !now : pcsm_schema__str_eq(was, now))
        return;
    pcsm_comment_on(p->side->op, kind, name, of, now);
}

/* Comments on what is no table or column, once every object to has is there. */
static void comments(struct planner *p)
{
    size_t i, k;

    for (i = 0; i < p->to->n_types; i++) {
        const struct pcsm_schema_type *ty = &p->to->types[i];
        const struct pcsm_schema_type *was = pcsm_schema__type(p->from, ty->name);

        set_comment(p, PCSM_OBJECT_TYPE, ty->name, NULL, !was ||
                    has(&p->create_types, ty->name, NULL) ||
                    has(&p->rebuilt_types, ty->name, NULL),
                    was ? was->comment : NULL, ty->comment);
    }
    for (i = 0; i < p->to->n_composites; i++) {
        const struct pcsm_schema_composite *c = &p->to->composites[i];
        const struct pcsm_schema_composite *was =
            pcsm_schema__composite_in(p->from, NULL, c->name);

        set_comment(p, PCSM_OBJECT_TYPE, c->name, NULL, !was ||
                    has(&p->create_composites, c->name, NULL) ||
                    has(&p->drop_composites, c->name, NULL),
                    was ? was->comment : NULL, c->comment);
    }
    for (i = 0; i < p->to->n_ranges; i++) {
        const struct pcsm_schema_range *r = &p->to->ranges[i];
        const struct pcsm_schema_range *was = pcsm_schema__range_in(p->from, NULL, r->name);

        set_comment(p, PCSM_OBJECT_TYPE, r->name, NULL, !was ||
                    has(&p->create_ranges, r->name, NULL) ||
                    has(&p->recreate_ranges, r->name, NULL),
                    was ? was->comment : NULL, r->comment);
    }
    for (i = 0; i < p->to->n_domains; i++) {
        const struct pcsm_schema_domain *d = &p->to->domains[i];
        const struct pcsm_schema_domain *was = pcsm_schema__domain_in(p->from, NULL, d->name);

        set_comment(p, PCSM_OBJECT_DOMAIN, d->name, NULL, !was ||
                    has(&p->create_domains, d->name, NULL) ||
                    has(&p->recreate_domains, d->name, NULL),
                    was ? was->comment : NULL, d->comment);
    }
    for (i = 0; i < p->to->n_functions; i++) {
        const struct pcsm_schema_function *f = &p->to->functions[i];
        const struct pcsm_schema_function *was = pcsm_schema__function(p->from, f->name,
                                                                       f->signature);

        /* By its argument types: the list as written may hold defaults, which COMMENT refuses. */
        set_comment(p, PCSM_OBJECT_FUNCTION, f->name, f->signature, !was ||
                    has(&p->create_functions, f->name, f->signature) ||
                    has(&p->recreate_functions, f->name, f->signature),
                    was ? was->comment : NULL, f->comment);
    }
    for (i = 0; i < p->to->n_sequences; i++) {
        const struct pcsm_schema_sequence *q = &p->to->sequences[i];
        const struct pcsm_schema_sequence *was =
            pcsm_schema__sequence(p->from, renamed_from(&p->sequences, NULL, q->name));

        set_comment(p, PCSM_OBJECT_SEQUENCE, q->name, NULL,
                    !was || has(&p->create_sequences, q->name, NULL),
                    was ? was->comment : NULL, q->comment);
    }
    for (i = 0; i < p->to->n_tables; i++) {
        const struct pcsm_schema_table *t = &p->to->tables[i];
        const char *ft = table_from(p, t->name);
        const struct pcsm_schema_table *was = pcsm_schema__table(p->from, ft);
        bool made = !was || has(&p->create_tables, t->name, NULL);

        for (k = 0; k < t->n_constraints; k++) {
            const struct pcsm_schema_constraint *c = &t->constraints[k], *wc;

            if (!c->name)
                continue;
            wc = made ? NULL
                      : pcsm_schema__constraint(was, renamed_from(&p->constraints, ft, c->name));
            set_comment(p, PCSM_OBJECT_CONSTRAINT, c->name, t->name,
                        !wc || has(&p->add_constraints, t->name, c->name),
                        wc ? wc->comment : NULL, c->comment);
        }
        for (k = 0; k < t->n_triggers; k++) {
            const struct pcsm_schema_trigger *tr = &t->triggers[k];
            const struct pcsm_schema_trigger *wt = made ? NULL
                                                        : pcsm_schema__trigger(was, tr->name);

            set_comment(p, PCSM_OBJECT_TRIGGER, tr->name, t->name,
                        !wt || has(&p->create_triggers, t->name, tr->name),
                        wt ? wt->comment : NULL, tr->comment);
        }
        for (k = 0; k < t->n_policies; k++) {
            const struct pcsm_schema_policy *po = &t->policies[k];
            const struct pcsm_schema_policy *wp = made ? NULL
                                                       : pcsm_schema__policy(was, po->name);

            set_comment(p, PCSM_OBJECT_POLICY, po->name, t->name,
                        !wp || has(&p->create_policies, t->name, po->name),
                        wp ? wp->comment : NULL, po->comment);
        }
    }
    for (i = 0; i < p->to->n_views; i++) {
        const struct pcsm_schema_view *v = &p->to->views[i];
        const struct pcsm_schema_view *was = pcsm_schema__view(p->from, v->name);

        set_comment(p, v->materialized ? PCSM_OBJECT_MATERIALIZED_VIEW : PCSM_OBJECT_VIEW,
                    v->name, NULL, !was || has(&p->create_views, v->name, NULL),
                    was ? was->comment : NULL, v->comment);
    }
    for (i = 0; i < p->to->n_indexes; i++) {
        const struct pcsm_schema_index *ix = &p->to->indexes[i];
        const struct pcsm_schema_index *was =
            pcsm_schema__index(p->from, renamed_from(&p->indexes, NULL, ix->name));

        set_comment(p, PCSM_OBJECT_INDEX, ix->name, NULL,
                    !was || has(&p->create_indexes, ix->name, NULL),
                    was ? was->comment : NULL, ix->comment);
    }
}

/*
 * What an object of kind `on` gets made after default_privileges() of a
 * plan from `from` to `to`: from's defaults, each that to has too as to
 * has it (one side's alone are never planned).
 */
static void made_after(const struct planner *p, const pcsm_schema *from, const pcsm_schema *to,
                       enum pcsm_privilege_object on, struct pcsm_schema_acl *acl)
{
    pcsm_schema after = { 0 };
    size_t i;

    after.default_acls = pcsm__xcalloc(from->n_default_acls + 1, sizeof(*after.default_acls));
    for (i = 0; i < from->n_default_acls; i++) {
        const struct pcsm_schema_default_acl *e = &from->default_acls[i];
        const struct pcsm_schema_default_acl *t =
            pcsm_schema__default_acl(to, e->role, e->in_schema, e->schema, e->on);

        after.default_acls[after.n_default_acls] = *e;      /* lent */
        after.default_acls[after.n_default_acls++].acl = t ? t->acl : e->acl;
    }
    pcsm_schema__acl_for_new(&after, on, p->schema, acl);
    free(after.default_acls);
}

/*
 * Where `was` already holds what `acl` does (role by role, privilege by
 * privilege, the option too), *want keeps it: the diff sees no difference
 * there, whatever the default privileges on either side.
 */
static void keep_held(const struct pcsm_schema_acl *was, const struct pcsm_schema_acl *acl,
                      struct pcsm_schema_acl *want)
{
    struct pcsm_schema_acl before = { 0 };
    const struct pcsm_schema_acl *all[] = { was, acl, &before };
    size_t i, k;

    pcsm_schema__acl_copy(&before, want);
    for (k = 0; k < 3; k++)
        for (i = 0; i < all[k]->n; i++) {
            const char *role = all[k]->grants[i].role;
            const struct pcsm_schema_grant *w = pcsm_schema__acl_find(was, role);
            const struct pcsm_schema_grant *a = pcsm_schema__acl_find(acl, role);
            unsigned wp = w ? w->privileges : 0, wg = w ? w->grantable : 0;
            unsigned ap = a ? a->privileges : 0, ag = a ? a->grantable : 0;
            unsigned same = ~(wp ^ ap), same_option = ~(wg ^ ag);

            pcsm_schema__acl_change(want, role, same & ~wp, false, false);
            pcsm_schema__acl_change(want, role, same_option & ~wg, true, false);
            pcsm_schema__acl_change(want, role, same & wp & ~wg, false, true);
            pcsm_schema__acl_change(want, role, same_option & wg, true, true);
        }
    pcsm_schema__acl_dispose(&before);
}

/*
 * GRANT and REVOKE on one object of to's: from what it has by now (`was`,
 * from's kept, or NULL: made in the revision) to what gives and takes
 * what to's `acl` does against a new object of to's (diff's measure),
 * keeping what both already hold.  A downgrade runs where its upgrade
 * left the database: what a new object gets is to's (the upgrade set the
 * defaults both sides have, and one side's alone are the database's),
 * and a kept object holds what the upgrade gave it, not from's own.
 * What was revoked goes to *revoked, the grant options alone revoked to
 * *options_revoked, when they are not NULL (the caller's to dispose).
 */
static void set_privileges(struct planner *p, enum pcsm_privilege_object on,
                           const char *name, const char *arguments,
                           const struct pcsm_schema_acl *was, const struct pcsm_schema_acl *acl,
                           struct pcsm_schema_acl *revoked,
                           struct pcsm_schema_acl *options_revoked)
{
    struct pcsm_schema_acl made = { 0 }, now = { 0 }, want = { 0 }, left = { 0 };
    struct pcsm_schema_acl_step *steps;
    size_t n, i;

    pcsm_schema__acl_for_new(p->all_to, on, p->schema, &made);
    if (!p->downgrade) {
        made_after(p, p->all_from, p->all_to, on, &now);
    } else {
        pcsm_schema__acl_copy(&now, &made);
        if (was) {
            struct pcsm_schema_acl up_made = { 0 }, up_now = { 0 };

            /* The upgrade's own set_privileges(), sides swapped. */
            pcsm_schema__acl_for_new(p->all_from, on, p->schema, &up_made);
            made_after(p, p->all_to, p->all_from, on, &up_now);
            pcsm_schema__acl_rebase(was, &up_made, &up_now, &left);
            keep_held(acl, was, &left);
            was = &left;
            pcsm_schema__acl_dispose(&up_made);
            pcsm_schema__acl_dispose(&up_now);
        }
    }
    pcsm_schema__acl_rebase(acl, &made, &now, &want);
    if (was)
        keep_held(was, acl, &want);
    n = pcsm_schema__acl_steps(was ? was : &now, &want, &steps);
    pcsm_schema__record_steps(p->side->op, on, name, arguments, NULL, steps, n);
    for (i = 0; revoked && i < n; i++)
        if (!steps[i].grant)
            pcsm_schema__acl_change(steps[i].option ? options_revoked : revoked, steps[i].role,
                                    steps[i].privileges, false, true);
    free(steps);
    pcsm_schema__acl_dispose(&made);
    pcsm_schema__acl_dispose(&now);
    pcsm_schema__acl_dispose(&want);
    pcsm_schema__acl_dispose(&left);
}

/* Privileges of every object to has, once every object is there (as comments()). */
static void grants(struct planner *p)
{
    static const struct pcsm_schema_acl none;
    unsigned of_columns = pcsm_op__privileges_of(PCSM_PRIVILEGE_TABLE, true);
    size_t i, k;

    for (i = 0; i < p->to->n_types; i++) {
        const struct pcsm_schema_type *ty = &p->to->types[i];
        const struct pcsm_schema_type *was = pcsm_schema__type(p->from, ty->name);
        bool made = !was || has(&p->create_types, ty->name, NULL) ||
                    has(&p->rebuilt_types, ty->name, NULL);

        set_privileges(p, PCSM_PRIVILEGE_TYPE, ty->name, NULL, made ? NULL : &was->acl,
                       &ty->acl, NULL, NULL);
    }
    for (i = 0; i < p->to->n_composites; i++) {
        const struct pcsm_schema_composite *c = &p->to->composites[i];
        const struct pcsm_schema_composite *was =
            pcsm_schema__composite_in(p->from, NULL, c->name);
        bool made = !was || has(&p->create_composites, c->name, NULL) ||
                    has(&p->drop_composites, c->name, NULL);

        set_privileges(p, PCSM_PRIVILEGE_TYPE, c->name, NULL, made ? NULL : &was->acl, &c->acl,
                       NULL, NULL);
    }
    for (i = 0; i < p->to->n_ranges; i++) {
        const struct pcsm_schema_range *r = &p->to->ranges[i];
        const struct pcsm_schema_range *was = pcsm_schema__range_in(p->from, NULL, r->name);
        bool made = !was || has(&p->create_ranges, r->name, NULL) ||
                    has(&p->recreate_ranges, r->name, NULL);

        set_privileges(p, PCSM_PRIVILEGE_TYPE, r->name, NULL, made ? NULL : &was->acl, &r->acl,
                       NULL, NULL);
    }
    for (i = 0; i < p->to->n_domains; i++) {
        const struct pcsm_schema_domain *d = &p->to->domains[i];
        const struct pcsm_schema_domain *was = pcsm_schema__domain_in(p->from, NULL, d->name);
        bool made = !was || has(&p->create_domains, d->name, NULL) ||
                    has(&p->recreate_domains, d->name, NULL);

        set_privileges(p, PCSM_PRIVILEGE_TYPE, d->name, NULL, made ? NULL : &was->acl, &d->acl,
                       NULL, NULL);
    }
    for (i = 0; i < p->to->n_functions; i++) {
        const struct pcsm_schema_function *f = &p->to->functions[i];
        const struct pcsm_schema_function *was = pcsm_schema__function(p->from, f->name,
                                                                       f->signature);
        bool made = !was || has(&p->create_functions, f->name, f->signature) ||
                    has(&p->recreate_functions, f->name, f->signature);

        set_privileges(p, PCSM_PRIVILEGE_FUNCTION, f->name, f->signature,
                       made ? NULL : &was->acl, &f->acl, NULL, NULL);
    }
    for (i = 0; i < p->to->n_sequences; i++) {
        const struct pcsm_schema_sequence *q = &p->to->sequences[i];
        const struct pcsm_schema_sequence *was =
            pcsm_schema__sequence(p->from, renamed_from(&p->sequences, NULL, q->name));
        bool made = !was || has(&p->create_sequences, q->name, NULL);

        set_privileges(p, PCSM_PRIVILEGE_SEQUENCE, q->name, NULL, made ? NULL : &was->acl,
                       &q->acl, NULL, NULL);
    }
    for (i = 0; i < p->to->n_tables; i++) {
        const struct pcsm_schema_table *t = &p->to->tables[i];
        const char *ft = table_from(p, t->name);
        const struct pcsm_schema_table *was = pcsm_schema__table(p->from, ft);
        bool made = !was || has(&p->create_tables, t->name, NULL);
        struct pcsm_schema_acl revoked = { 0 }, options_revoked = { 0 };
        size_t j;

        set_privileges(p, PCSM_PRIVILEGE_TABLE, t->name, NULL, made ? NULL : &was->acl,
                       &t->acl, &revoked, &options_revoked);
        for (k = 0; k < t->n_columns; k++) {
            const struct pcsm_schema_column *c = &t->columns[k];
            const struct pcsm_schema_column *wc =
                made || has(&p->add_columns, t->name, c->name) ||
                has(&p->readded_columns, t->name, c->name) ? NULL
                : pcsm_schema__column(was, renamed_from(&p->columns, ft, c->name));
            struct pcsm_schema_acl now = { 0 };

            /* A table's REVOKE took the same from its columns. */
            pcsm_schema__acl_copy(&now, wc ? &wc->acl : &none);
            for (j = 0; j < revoked.n; j++)
                pcsm_schema__acl_change(&now, revoked.grants[j].role,
                                        revoked.grants[j].privileges & of_columns, false,
                                        false);
            for (j = 0; j < options_revoked.n; j++)
                pcsm_schema__acl_change(&now, options_revoked.grants[j].role,
                                        options_revoked.grants[j].privileges & of_columns,
                                        true, false);
            pcsm_schema__record_grants(p->side->op, PCSM_PRIVILEGE_TABLE, t->name, NULL,
                                       c->name, &now, &c->acl);
            pcsm_schema__acl_dispose(&now);
        }
        pcsm_schema__acl_dispose(&revoked);
        pcsm_schema__acl_dispose(&options_revoked);
    }
    for (i = 0; i < p->to->n_views; i++) {
        const struct pcsm_schema_view *v = &p->to->views[i];
        const struct pcsm_schema_view *was = pcsm_schema__view(p->from, v->name);
        bool made = !was || has(&p->create_views, v->name, NULL);

        set_privileges(p, PCSM_PRIVILEGE_TABLE, v->name, NULL, made ? NULL : &was->acl,
                       &v->acl, NULL, NULL);
    }
}

/*
 * Default privileges both sides set, before anything is made, so that
 * what is made has them as it would have had; one side's alone are
 * listed, not planned (see diff).
 */
static void default_privileges(pcsm_op *op, const pcsm_schema *from, const pcsm_schema *to)
{
    size_t i;

    for (i = 0; i < from->n_default_acls; i++) {
        const struct pcsm_schema_default_acl *e = &from->default_acls[i];
        const struct pcsm_schema_default_acl *o =
            pcsm_schema__default_acl(to, e->role, e->in_schema, e->schema, e->on);

        if (o)
            pcsm_schema__record_default_acl(op, e, &e->acl, &o->acl);
    }
    pcsm_set_schema(op, NULL);
}

/* This side's notices in the order of the calls they are about: the file's order. */
static void sort_notices(struct planner *p, size_t first)
{
    pcsm_autogen *a = p->plan;
    size_t i, j;

    for (i = first + 1; i < a->n_notices; i++)
        for (j = i; j > first && a->notice_calls[j - 1] > a->notice_calls[j]; j--) {
            pcsm_autogen_notice n = a->notices[j];
            size_t at = a->notice_calls[j];

            a->notices[j] = a->notices[j - 1];
            a->notice_calls[j] = a->notice_calls[j - 1];
            a->notices[j - 1] = n;
            a->notice_calls[j - 1] = at;
        }
}

static void free_pairs(struct pairs *s)
{
    free(s->v);
}

/*
 * One schema's objects, from -> to (lent out of all_from and all_to, or
 * those when there is one schema), as if it were the target: side->op's
 * schema is set; `schema` names it (NULL: the target).
 */
static int plan_schema(pcsm_ctx *ctx, pcsm_autogen *plan, struct pcsm_autogen_side *side,
                       bool downgrade, const pcsm_schema *from, const pcsm_schema *to,
                       const pcsm_schema *all_from, const pcsm_schema *all_to,
                       const char *schema, unsigned flags, struct pcsm_autogen_asked *asked,
                       size_t n_asked)
{
    struct planner p = { .ctx = ctx, .plan = plan, .side = side, .downgrade = downgrade,
                         .from = from, .to = to, .all_from = all_from, .all_to = all_to,
                         .schema = schema, .flags = flags, .asked = asked,
                         .n_asked = n_asked };
    pcsm_diff *d = NULL;
    size_t i, first_notice = plan->n_notices;
    int rc;

    rc = pcsm_diff_models(ctx, from, to, &d);
    if (rc < 0)
        return rc;
    add_items(&p, d, 0);
    skip_partition_columns(&p);
    rc = pair_renames(&p);
    for (i = 0; rc == 0 && i < p.n_items; i++)
        if (!p.skip[i])
            sort_out(&p, p.items[i]);
    if (rc < 0)
        goto done;
    labels_first(&p);
    mark_converted(&p);
    for (i = 0; i < p.detach_sequences.n; i++)
        pcsm_set_sequence_owner(side->op, p.detach_sequences.v[i].a, NULL, NULL);
    drag_along(&p);
    detach_partitions(&p);
    drop_lost_parents(&p);
    spare_checks(&p);
    drop_dependents(&p);
    drop_tables_and_columns(&p);
    make_prerequisites(&p);
    renames(&p);
    make_tables(&p);
    make_functions(&p, true);
    make_dependents(&p);
    add_gained_parents(&p);
    drop_the_rest(&p);
    grants(&p);
    comments(&p);
    /*
     * What one side only has is what the revision would have had to do;
     * what both have (the database's grants, say) is check's to list.
     */
    for (i = 0; !downgrade && i < pcsm_diff_unmodelled_count(d); i++) {
        const pcsm_diff_unmodelled *u = pcsm_diff_unmodelled_at(d, i);

        if (u->side != PCSM_DIFF_CHANGED)
            notice(&p, PCSM_AUTOGEN_NOT_MODELLED, "%s %s %s", u->side == PCSM_DIFF_EXTRA
                   ? "not written (write it by hand, pcsm_execute(), if the revision should "
                     "make it):" : "not dropped:", u->kind, u->path);
    }
    sort_notices(&p, first_notice);
    if (pcsm_op__failure(side->op))
        rc = pcsm_error__set(ctx, PCSM_EINVALID, "autogenerate planned an invalid call: %s",
                             pcsm_op__failure(side->op));
done:
    pcsm_diff_free(d);
    for (i = 0; i < p.n_extras; i++)
        pcsm_diff_free(p.extras[i]);
    free(p.extras);
    for (i = 0; i < p.n_owned; i++)
        free(p.owned[i]);
    free(p.owned);
    free(p.items);
    free(p.skip);
    {
        struct pairs *all[] = {
            &p.tables, &p.columns, &p.sequences, &p.indexes, &p.constraints, &p.labels,
            &p.drop_triggers, &p.create_triggers, &p.drop_policies, &p.create_policies,
            &p.row_security, &p.toggle_triggers, &p.converted, &p.drop_views, &p.create_views,
            &p.refresh_views,
            &p.drop_constraints, &p.validate_constraints,
            &p.add_constraints, &p.drop_indexes, &p.create_indexes, &p.recreate_functions,
            &p.replace_functions, &p.create_functions, &p.drop_functions, &p.create_tables,
            &p.drop_tables, &p.table_comments, &p.add_columns, &p.drop_columns,
            &p.readded_columns,
            &p.change_columns, &p.create_types, &p.enum_changes, &p.drop_types, &p.labels_first,
            &p.rebuilt_types,
            &p.detach_sequences,
            &p.create_sequences, &p.alter_sequences, &p.sequence_owners, &p.drop_sequences,
            &p.create_extensions, &p.drop_extensions, &p.create_collations,
            &p.recreate_collations, &p.drop_collations, &p.create_domains,
            &p.recreate_domains, &p.alter_domains, &p.drop_domains, &p.drop_domain_checks,
            &p.add_domain_checks, &p.validate_domain_checks, &p.create_composites,
            &p.alter_composites, &p.drop_composites, &p.create_ranges, &p.recreate_ranges,
            &p.drop_ranges, &p.early_functions, &p.detach_partitions,
            &p.attach_partitions, &p.repartition, &p.kept_constraints, &p.kept_indexes,
            &p.spared_constraints };

        for (i = 0; i < sizeof(all) / sizeof(all[0]); i++)
            free_pairs(all[i]);
    }
    return rc;
}

/* ------------------------------------------------------------- schemas */

/*
 * The model plans one schema at a time: the planner's pairs are names, as
 * its diff's items are.  Each schema's objects are lent out as a model of
 * their own whose schema is the target (shallow copies: the strings stay
 * the model's), planned after pcsm_set_schema() of that schema, so every
 * call the planner records is stamped with it.  A foreign key, a column
 * type or a trigger function keeps its own schema in its definition.
 */
struct schema_set {
    const char **v;             /* NULL first: the target */
    size_t n, cap;
};

static void schema_add(struct schema_set *set, const char *schema)
{
    size_t i;

    for (i = 0; i < set->n; i++)
        if (same(set->v[i], schema))
            return;
    pcsm__grow(&set->v, &set->cap, set->n + 1, sizeof(*set->v));
    set->v[set->n++] = schema;
}

static void schemas_of(struct schema_set *set, const pcsm_schema *s)
{
    size_t i;

    for (i = 0; i < s->n_schemas; i++)
        schema_add(set, s->schemas[i]);
    for (i = 0; i < s->n_tables; i++)
        schema_add(set, s->tables[i].schema);
    for (i = 0; i < s->n_types; i++)
        schema_add(set, s->types[i].schema);
    for (i = 0; i < s->n_collations; i++)
        schema_add(set, s->collations[i].schema);
    for (i = 0; i < s->n_domains; i++)
        schema_add(set, s->domains[i].schema);
    for (i = 0; i < s->n_composites; i++)
        schema_add(set, s->composites[i].schema);
    for (i = 0; i < s->n_ranges; i++)
        schema_add(set, s->ranges[i].schema);
    for (i = 0; i < s->n_functions; i++)
        schema_add(set, s->functions[i].schema);
    for (i = 0; i < s->n_sequences; i++)
        schema_add(set, s->sequences[i].schema);
    for (i = 0; i < s->n_indexes; i++)
        schema_add(set, s->indexes[i].schema);
    for (i = 0; i < s->n_views; i++)
        schema_add(set, s->views[i].schema);
}

#define LEND(kind, type)                                                        \
    do {                                                                        \
        size_t i_;                                                              \
        v->kind = pcsm__xcalloc(s->n_##kind + 1, sizeof(type));                 \
        for (i_ = 0; i_ < s->n_##kind; i_++)                                    \
            if (same(s->kind[i_].schema, schema)) {                             \
                v->kind[v->n_##kind] = s->kind[i_];                             \
                v->kind[v->n_##kind++].schema = NULL;                           \
            }                                                                   \
    } while (0)

/* The objects of `schema` in s, lent; free with unlend() (never pcsm_schema_free()). */
static pcsm_schema *lend(const pcsm_schema *s, const char *schema)
{
    pcsm_schema *v = pcsm__xcalloc(1, sizeof(*v));

    LEND(tables, struct pcsm_schema_table);
    LEND(types, struct pcsm_schema_type);
    LEND(collations, struct pcsm_schema_collation);
    LEND(domains, struct pcsm_schema_domain);
    LEND(composites, struct pcsm_schema_composite);
    LEND(ranges, struct pcsm_schema_range);
    LEND(functions, struct pcsm_schema_function);
    LEND(sequences, struct pcsm_schema_sequence);
    LEND(indexes, struct pcsm_schema_index);
    LEND(views, struct pcsm_schema_view);
    /* Extensions and what raw SQL did belong to no schema: the target's plan has them. */
    if (!schema) {
        v->extensions = s->extensions;
        v->n_extensions = s->n_extensions;
        v->opaque = s->opaque;
        v->n_opaque = s->n_opaque;
    }
    return v;
}

static void unlend(pcsm_schema *v)
{
    free(v->tables);
    free(v->types);
    free(v->collations);
    free(v->domains);
    free(v->composites);
    free(v->ranges);
    free(v->functions);
    free(v->sequences);
    free(v->indexes);
    free(v->views);
    free(v);
}

/* Whether a table of schema `a` has a foreign key to one of schema `b` in s. */
static bool refers(const pcsm_schema *s, const char *a, const char *b)
{
    size_t i, j;

    for (i = 0; i < s->n_tables; i++) {
        const struct pcsm_schema_table *t = &s->tables[i];

        for (j = 0; same(t->schema, a) && j < t->n_constraints; j++)
            if (t->constraints[j].kind == PCSM_FOREIGN_KEY &&
                same(t->constraints[j].ref_schema, b))
                return true;
    }
    return false;
}

/*
 * A schema whose tables others' foreign keys reference is planned before
 * them (in `to`, where the keys are added); the target first otherwise,
 * since it has the extensions the others' columns may need.
 */
static void order_schemas(struct schema_set *set, const pcsm_schema *to)
{
    size_t i, j;

    for (i = 0; i < set->n; i++)
        for (j = i + 1; j < set->n; j++)
            if (refers(to, set->v[i], set->v[j]) && !refers(to, set->v[j], set->v[i])) {
                const char *t = set->v[i];

                set->v[i] = set->v[j];
                set->v[j] = t;
            }
}

static bool listed(const pcsm_schema *s, const char *schema)
{
    size_t i;

    for (i = 0; schema && i < s->n_schemas; i++)
        if (!strcmp(s->schemas[i], schema))
            return true;
    return false;
}

int pcsm_autogen__plan_side(pcsm_ctx *ctx, pcsm_autogen *plan, struct pcsm_autogen_side *side,
                            bool downgrade, const pcsm_schema *from, const pcsm_schema *to,
                            unsigned flags, struct pcsm_autogen_asked *asked,
                            size_t n_asked)
{
    struct schema_set set = { 0 };
    size_t i;
    int rc = 0;

    side->op = pcsm_op__new(NULL, downgrade ? PCSM_DOWNGRADE : PCSM_UPGRADE);
    schema_add(&set, NULL);
    schemas_of(&set, from);
    schemas_of(&set, to);
    if (set.n == 1) {
        free(set.v);
        default_privileges(side->op, from, to);
        return plan_schema(ctx, plan, side, downgrade, from, to, from, to, NULL, flags, asked,
                           n_asked);
    }
    order_schemas(&set, to);
    for (i = 0; i < to->n_schemas; i++)
        if (!listed(from, to->schemas[i]))
            pcsm_create_schema(side->op, to->schemas[i], 0);
    default_privileges(side->op, from, to);
    for (i = 0; rc == 0 && i < set.n; i++) {
        pcsm_schema *f = lend(from, set.v[i]), *t = lend(to, set.v[i]);

        pcsm_set_schema(side->op, set.v[i]);
        /* What --rename names is the target's: the other schemas' objects are qualified. */
        rc = plan_schema(ctx, plan, side, downgrade, f, t, from, to, set.v[i], flags,
                         set.v[i] ? NULL : asked, set.v[i] ? 0 : n_asked);
        unlend(f);
        unlend(t);
    }
    pcsm_set_schema(side->op, NULL);
    for (i = 0; rc == 0 && i < from->n_schemas; i++)
        if (!listed(to, from->schemas[i]))
            pcsm_drop_schema(side->op, from->schemas[i], 0);
    free(set.v);
    return rc;
}
