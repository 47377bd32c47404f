/*
 * A diff printed: one line of text per entry for people, one JSON object
 * per line for programs.  The order is the diff's own; nothing is added
 * but the line format, so both printouts say the same.
 */
#include <jansson.h>

#include "diff/diff.h"

/* A value on one text line: control characters escaped. */
static void put_text(pcsm_buf *out, const char *s)
{
    const unsigned char *p;

    for (p = (const unsigned char *)s; *p; p++) {
        if (*p == '\n')
            pcsm_buf_puts(out, "\\n");
        else if (*p == '\t')
            pcsm_buf_puts(out, "\\t");
        else if (*p < 0x20 || *p == 0x7f)
            pcsm_buf_printf(out, "\\x%02x", *p);
        else
            pcsm_buf_putc(out, (char)*p);
    }
}

static void put_text_value(pcsm_buf *out, const char *s)
{
    if (s)
        put_text(out, s);
    else
        pcsm_buf_puts(out, "(none)");
}

static const char *side_name(enum pcsm_diff_change side)
{
    return side == PCSM_DIFF_MISSING ? "from" : side == PCSM_DIFF_EXTRA ? "to" : "both";
}

void pcsm_diff_text(const pcsm_diff *d, pcsm_buf *out)
{
    size_t i;

    for (i = 0; i < d->n_items; i++) {
        const pcsm_diff_entry *e = &d->items[i].pub;

        pcsm_buf_printf(out, "%-7s  %s ", pcsm_diff_change_name(e->change),
                        pcsm_diff_object_name(e->object));
        put_text(out, e->path);
        if (e->change == PCSM_DIFF_CHANGED) {
            pcsm_buf_printf(out, "  %s: ", e->attribute);
            put_text_value(out, e->from);
            pcsm_buf_puts(out, " -> ");
            put_text_value(out, e->to);
        }
        if (e->unverified)
            pcsm_buf_puts(out, "  (unverified: raw SQL names it)");
        pcsm_buf_putc(out, '\n');
    }
    for (i = 0; i < d->n_raw_sql; i++) {
        const pcsm_diff_raw_sql *u = &d->raw_sql[i];

        pcsm_buf_printf(out, "unverified  %s: revision ", side_name(u->side));
        put_text(out, u->revision);
        pcsm_buf_printf(out, ", operation %zu, raw SQL: ", u->operation);
        put_text(out, u->summary);
        pcsm_buf_putc(out, '\n');
    }
    for (i = 0; i < d->n_unmodelled; i++) {
        const pcsm_diff_unmodelled *u = &d->unmodelled[i];

        pcsm_buf_printf(out, "unverified  %s: %s ", side_name(u->side), u->kind);
        put_text(out, u->path);
        pcsm_buf_puts(out, "  (not modelled)\n");
    }
}

json_t *pcsm_diff_json_array(const pcsm_diff *d)
{
    json_t *all = json_array();
    size_t i;

    for (i = 0; i < d->n_items; i++) {
        const pcsm_diff_entry *e = &d->items[i].pub;

        json_array_append_new(all, json_pack("{s:s, s:s, s:o, s:o, s:o, s:o, s:b}",
            "change", pcsm_diff_change_name(e->change),
            "object", pcsm_diff_object_name(e->object),
            "path", pcsm_json_string(e->path), "attribute", pcsm_json_string(e->attribute),
            "from", pcsm_json_string(e->from), "to", pcsm_json_string(e->to),
            "verified", !e->unverified));
    }
    for (i = 0; i < d->n_raw_sql; i++) {
        const pcsm_diff_raw_sql *u = &d->raw_sql[i];

        json_array_append_new(all, json_pack("{s:s, s:s, s:o, s:I, s:o}",
            "change", "unverified", "side", side_name(u->side),
            "revision", pcsm_json_string(u->revision), "operation", (json_int_t)u->operation,
            "summary", pcsm_json_string(u->summary)));
    }
    for (i = 0; i < d->n_unmodelled; i++) {
        const pcsm_diff_unmodelled *u = &d->unmodelled[i];

        json_array_append_new(all, json_pack("{s:s, s:s, s:s, s:o, s:b}",
            "change", "unverified", "side", side_name(u->side), "object", u->kind,
            "path", pcsm_json_string(u->path), "modelled", 0));
    }
    return all;
}

void pcsm_diff_json(const pcsm_diff *d, pcsm_buf *out)
{
    json_t *all = pcsm_diff_json_array(d), *entry;
    size_t i;

    json_array_foreach(all, i, entry)
        pcsm_json_line(out, json_incref(entry));
    json_decref(all);
}
