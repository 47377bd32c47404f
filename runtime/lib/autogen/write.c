/*
 * A plan written out: the bodies of upgrade() and downgrade() as C, through
 * the one printer of revision source (render/csource.c), or as the SQL the
 * same calls record; and the plan's life and notices.
 */
#include <stdlib.h>
#include <string.h>

#include "autogen/autogen.h"

static void side_free(struct pcsm_autogen_side *s)
{
    size_t i;

    for (i = 0; i < s->cap; i++) {
        free(s->comments[i]);
        free(s->errors[i]);
    }
    free(s->comments);
    free(s->errors);
    pcsm_op__free(s->op);
}

int pcsm_autogen_plan(pcsm_ctx *ctx, const pcsm_schema *from, const pcsm_schema *to,
                      unsigned flags, pcsm_autogen **out)
{
    pcsm_autogen *a = pcsm__xcalloc(1, sizeof(*a));
    int rc;

    *out = NULL;
    rc = pcsm_autogen__plan_side(ctx, a, &a->up, false, from, to, flags);
    if (rc == 0)
        rc = pcsm_autogen__plan_side(ctx, a, &a->down, true, to, from, flags);
    if (rc < 0) {
        pcsm_autogen_free(a);
        return rc;
    }
    *out = a;
    return 0;
}

void pcsm_autogen_free(pcsm_autogen *a)
{
    size_t i;

    if (!a)
        return;
    side_free(&a->up);
    side_free(&a->down);
    for (i = 0; i < a->n_notices; i++)
        free((char *)a->notices[i].text);
    free(a->notices);
    free(a->notice_calls);
    free(a);
}

bool pcsm_autogen_empty(const pcsm_autogen *a)
{
    return pcsm_op__count(a->up.op) == 0;
}

/*
 * The text of a comment as it may stand inside one: names come from the
 * database, and "*" "/" in one would end the comment there (the rest
 * would be code), "/" "*" would open one that -Wcomment refuses.
 */
static char *comment_safe(const char *text)
{
    pcsm_buf out = PCSM_BUF_INIT;

    for (; *text; text++) {
        pcsm_buf_putc(&out, *text);
        if ((text[0] == '*' && text[1] == '/') || (text[0] == '/' && text[1] == '*'))
            pcsm_buf_putc(&out, ' ');
    }
    return pcsm_buf_detach(&out);
}

/* A comment as C: each line of it behind " * ", kept within 100 columns. */
static void put_comment(const char *raw_text, pcsm_buf *out)
{
    char *text = comment_safe(raw_text);
    const char *p = text;

    if (!strchr(text, '\n') && strlen(text) <= 90) {
        pcsm_buf_printf(out, "    /* %s */\n", text);
        free(text);
        return;
    }
    pcsm_buf_puts(out, "    /*\n");
    while (*p) {
        const char *nl = strchr(p, '\n'), *end = nl ? nl : p + strlen(p);

        while (p < end) {
            size_t room = 92, len = (size_t)(end - p), cut = len;

            if (len > room) {
                cut = room;
                while (cut > 0 && p[cut] != ' ')
                    cut--;
                if (cut == 0)
                    cut = room;
            }
            pcsm_buf_puts(out, "     * ");
            pcsm_buf_put(out, p, cut);
            pcsm_buf_putc(out, '\n');
            p += cut;
            while (p < end && *p == ' ')
                p++;
        }
        p = nl ? nl + 1 : end;
    }
    pcsm_buf_puts(out, "     */\n");
    free(text);
}

void pcsm_autogen_c(const pcsm_autogen *a, bool downgrade, pcsm_buf *out)
{
    const struct pcsm_autogen_side *s = downgrade ? &a->down : &a->up;
    size_t i, n = pcsm_op__count(s->op);
    const char *scope = NULL;

    if (n == 0)
        pcsm_buf_puts(out, "    (void)op;\n");
    for (i = 0; i < n; i++) {
        if (i < s->cap && s->comments[i])
            put_comment(s->comments[i], out);
        if (i < s->cap && s->errors[i])
            pcsm_buf_printf(out, "#error \"autogenerate: %s, then delete this line\"\n",
                            s->errors[i]);
        pcsm_render__c_op(pcsm_op__at(s->op, i), &scope, out);
    }
}

void pcsm_autogen_sql(const pcsm_autogen *a, bool downgrade, pcsm_buf *out)
{
    const struct pcsm_autogen_side *s = downgrade ? &a->down : &a->up;
    size_t i;

    for (i = 0; i < pcsm_op__count(s->op); i++)
        pcsm_render__op(pcsm_op__at(s->op, i), out);
}

size_t pcsm_autogen_notice_count(const pcsm_autogen *a)
{
    return a->n_notices;
}

const pcsm_autogen_notice *pcsm_autogen_notice_at(const pcsm_autogen *a, size_t i)
{
    return i < a->n_notices ? &a->notices[i] : NULL;
}
