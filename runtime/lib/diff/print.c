/*
 * A diff printed: one line of text per entry for people, one JSON object
 * per line for programs.  The order is the diff's own; nothing is added
 * but the line format, so both printouts say the same.
 */
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
    return side == PCSM_DIFF_MISSING ? "from" : "to";
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
}

void pcsm_diff_json(const pcsm_diff *d, pcsm_buf *out)
{
    size_t i;

    for (i = 0; i < d->n_items; i++) {
        const pcsm_diff_entry *e = &d->items[i].pub;

        pcsm_buf_printf(out, "{\"change\":\"%s\",\"object\":\"%s\",\"path\":",
                        pcsm_diff_change_name(e->change), pcsm_diff_object_name(e->object));
        pcsm_buf_put_json_string(out, e->path);
        pcsm_buf_puts(out, ",\"attribute\":");
        pcsm_buf_put_json_string(out, e->attribute);
        pcsm_buf_puts(out, ",\"from\":");
        pcsm_buf_put_json_string(out, e->from);
        pcsm_buf_puts(out, ",\"to\":");
        pcsm_buf_put_json_string(out, e->to);
        pcsm_buf_printf(out, ",\"verified\":%s}\n", e->unverified ? "false" : "true");
    }
    for (i = 0; i < d->n_raw_sql; i++) {
        const pcsm_diff_raw_sql *u = &d->raw_sql[i];

        pcsm_buf_printf(out, "{\"change\":\"unverified\",\"side\":\"%s\",\"revision\":",
                        side_name(u->side));
        pcsm_buf_put_json_string(out, u->revision);
        pcsm_buf_printf(out, ",\"operation\":%zu,\"summary\":", u->operation);
        pcsm_buf_put_json_string(out, u->summary);
        pcsm_buf_puts(out, "}\n");
    }
}
