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

static void asked_free(struct pcsm_autogen_asked *asked, size_t n)
{
    size_t i;

    for (i = 0; i < n; i++) {
        free(asked[i].prefix);
        free(asked[i].old_name);
        free(asked[i].new_name);
    }
    free(asked);
}

/*
 * The renames asked for, read: OLD=NEW, OLD a name or PREFIX.NAME (the
 * first dot splits), NEW the new name alone or under OLD's prefix.  No
 * name may be renamed twice, nor two to one.
 */
static int read_renames(pcsm_ctx *ctx, const char *const *specs,
                        struct pcsm_autogen_asked **out, size_t *n_out)
{
    struct pcsm_autogen_asked *v = NULL;
    size_t n = 0, cap = 0, i, k;
    int rc = 0;

    for (i = 0; rc == 0 && specs && specs[i]; i++) {
        const char *spec = specs[i], *eq = strchr(spec, '='), *dot, *old;
        struct pcsm_autogen_asked *r;
        size_t len;

        if (!eq || eq == spec || !eq[1]) {
            rc = pcsm_error__set(ctx, PCSM_EINVALID, "--rename takes OLD=NEW (items=goods, "
                                 "items.price=cost, mood.sad=unhappy), not '%s'", spec);
            break;
        }
        pcsm__grow(&v, &cap, n + 1, sizeof(*v));
        r = &v[n++];
        dot = memchr(spec, '.', (size_t)(eq - spec));
        old = dot ? dot + 1 : spec;
        *r = (struct pcsm_autogen_asked){ spec, dot ? pcsm__xstrndup(spec, (size_t)(dot - spec))
                                                    : NULL,
                                          pcsm__xstrndup(old, (size_t)(eq - old)), NULL, -1 };
        len = r->prefix ? strlen(r->prefix) : 0;
        /* NEW may repeat the prefix: items.price=items.cost. */
        r->new_name = pcsm__xstrdup(r->prefix && !strncmp(eq + 1, r->prefix, len) &&
                                    eq[1 + len] == '.' ? eq + 2 + len : eq + 1);
        if (!*r->old_name || !*r->new_name || (r->prefix && !*r->prefix) ||
            strchr(r->new_name, '.'))
            rc = pcsm_error__set(ctx, PCSM_EINVALID, "--rename %s: NEW is the new name alone "
                                 "(items.price=cost renames column price of items), and no "
                                 "name may be empty", spec);
        else if (!strcmp(r->old_name, r->new_name))
            rc = pcsm_error__set(ctx, PCSM_EINVALID, "--rename %s: the old and the new name "
                                 "are the same", spec);
        for (k = 0; rc == 0 && k + 1 < n; k++)
            if (pcsm_schema__str_eq(v[k].prefix, r->prefix) &&
                (!strcmp(v[k].old_name, r->old_name) || !strcmp(v[k].new_name, r->new_name)))
                rc = pcsm_error__set(ctx, PCSM_EINVALID, "--rename %s and --rename %s both %s",
                                     v[k].spec, spec, !strcmp(v[k].old_name, r->old_name)
                                     ? "rename one name" : "give one new name");
    }
    if (rc < 0) {
        asked_free(v, n);
        return rc;
    }
    *out = v;
    *n_out = n;
    return 0;
}

int pcsm_autogen_check_renames(pcsm_ctx *ctx, const char *const *renames)
{
    struct pcsm_autogen_asked *asked = NULL;
    size_t n_asked = 0;
    int rc = read_renames(ctx, renames, &asked, &n_asked);

    asked_free(asked, n_asked);
    return rc;
}

int pcsm_autogen_plan(pcsm_ctx *ctx, const pcsm_schema *from, const pcsm_schema *to,
                      unsigned flags, const char *const *renames, pcsm_autogen **out)
{
    pcsm_autogen *a;
    struct pcsm_autogen_asked *asked = NULL;
    size_t n_asked = 0;
    int rc;

    *out = NULL;
    rc = read_renames(ctx, renames, &asked, &n_asked);
    if (rc < 0)
        return rc;
    a = pcsm__xcalloc(1, sizeof(*a));
    rc = pcsm_autogen__plan_side(ctx, a, &a->up, false, from, to, flags, asked, n_asked);
    if (rc == 0)
        rc = pcsm_autogen__plan_side(ctx, a, &a->down, true, to, from, flags, asked, n_asked);
    asked_free(asked, n_asked);
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
    size_t i;

    /* A change only a hand can make is an #error with no call after it: not nothing. */
    for (i = 0; i < a->up.cap; i++)
        if (a->up.errors[i])
            return false;
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
    /* i == n: what is said after the last call (an #error with nothing to write). */
    for (i = 0; i <= n; i++) {
        if (i < s->cap && s->comments[i])
            put_comment(s->comments[i], out);
        if (i < s->cap && s->errors[i])
            pcsm_buf_printf(out, "#error \"autogenerate: %s, then delete this line\"\n",
                            s->errors[i]);
        if (i < n)
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
