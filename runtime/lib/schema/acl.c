/*
 * Privileges in the model: an object's grants to roles other than its
 * owner (struct pcsm_schema_acl), changed as GRANT and REVOKE change the
 * server's aclitem list, and the default privileges new objects start from.
 */
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "schema/schema.h"

void pcsm_schema__acl_dispose(struct pcsm_schema_acl *acl)
{
    size_t i;

    for (i = 0; i < acl->n; i++)
        free(acl->grants[i].role);
    free(acl->grants);
    memset(acl, 0, sizeof(*acl));
}

void pcsm_schema__acl_copy(struct pcsm_schema_acl *dst, const struct pcsm_schema_acl *src)
{
    size_t i;

    pcsm_schema__acl_dispose(dst);
    if (!src->n)
        return;
    dst->grants = pcsm__xcalloc(src->n, sizeof(*dst->grants));
    dst->n = dst->cap = src->n;
    for (i = 0; i < src->n; i++) {
        dst->grants[i] = src->grants[i];
        dst->grants[i].role = src->grants[i].role ? pcsm__xstrdup(src->grants[i].role) : NULL;
    }
}

bool pcsm_schema__acl_eq(const struct pcsm_schema_acl *a, const struct pcsm_schema_acl *b)
{
    size_t i;

    if (a->n != b->n)
        return false;
    for (i = 0; i < a->n; i++)
        if (!pcsm_schema__str_eq(a->grants[i].role, b->grants[i].role) ||
            a->grants[i].privileges != b->grants[i].privileges ||
            a->grants[i].grantable != b->grants[i].grantable)
            return false;
    return true;
}

/* PUBLIC first, then roles by name: the order both sides keep. */
static int cmp_role(const char *a, const char *b)
{
    if (!a || !b)
        return (a != NULL) - (b != NULL);
    return strcmp(a, b);
}

const char *pcsm_schema__role(const char *role)
{
    return role && strcasecmp(role, "public") ? role : NULL;
}

const struct pcsm_schema_grant *pcsm_schema__acl_find(const struct pcsm_schema_acl *acl,
                                                      const char *role)
{
    size_t i;

    for (i = 0; i < acl->n; i++)
        if (!cmp_role(acl->grants[i].role, role))
            return &acl->grants[i];
    return NULL;
}

void pcsm_schema__acl_change(struct pcsm_schema_acl *acl, const char *role,
                             unsigned privileges, bool option, bool grant)
{
    struct pcsm_schema_grant *g;
    size_t at;

    for (at = 0; at < acl->n && cmp_role(acl->grants[at].role, role) < 0; at++)
        ;
    g = at < acl->n && !cmp_role(acl->grants[at].role, role) ? &acl->grants[at] : NULL;
    if (grant) {
        if (!g) {
            pcsm__grow(&acl->grants, &acl->cap, acl->n + 1, sizeof(*acl->grants));
            memmove(&acl->grants[at + 1], &acl->grants[at],
                    (acl->n - at) * sizeof(*acl->grants));
            acl->n++;
            g = &acl->grants[at];
            memset(g, 0, sizeof(*g));
            g->role = role ? pcsm__xstrdup(role) : NULL;
        }
        g->privileges |= privileges;
        if (option)
            g->grantable |= privileges;
        return;
    }
    if (!g)
        return;
    g->grantable &= ~privileges;
    if (!option)
        g->privileges &= ~privileges;
    if (!g->privileges) {
        free(g->role);
        memmove(g, g + 1, (acl->n - at - 1) * sizeof(*acl->grants));
        acl->n--;
    }
}

void pcsm_schema__acl_builtin(struct pcsm_schema_acl *acl, enum pcsm_privilege_object on)
{
    pcsm_schema__acl_dispose(acl);
    if (on == PCSM_PRIVILEGE_FUNCTION)
        pcsm_schema__acl_change(acl, NULL, PCSM_PRIV_EXECUTE, false, true);
    else if (on == PCSM_PRIVILEGE_TYPE)
        pcsm_schema__acl_change(acl, NULL, PCSM_PRIV_USAGE, false, true);
}

struct pcsm_schema_default_acl *pcsm_schema__default_acl(const pcsm_schema *s,
                                                         const char *role, bool in_schema,
                                                         const char *schema,
                                                         enum pcsm_privilege_object on)
{
    size_t i;

    for (i = 0; i < s->n_default_acls; i++) {
        struct pcsm_schema_default_acl *d = &s->default_acls[i];

        if (d->on == on && d->in_schema == in_schema && pcsm_schema__str_eq(d->role, role) &&
            (!in_schema || pcsm_schema__str_eq(d->schema, schema)))
            return d;
    }
    return NULL;
}

void pcsm_schema__acl_for_new(const pcsm_schema *s, enum pcsm_privilege_object on,
                              const char *schema, struct pcsm_schema_acl *acl)
{
    const struct pcsm_schema_default_acl *every = pcsm_schema__default_acl(s, NULL, false,
                                                                           NULL, on);
    const struct pcsm_schema_default_acl *here = pcsm_schema__default_acl(s, NULL, true,
                                                                          schema, on);
    size_t i;

    if (every)
        pcsm_schema__acl_copy(acl, &every->acl);
    else
        pcsm_schema__acl_builtin(acl, on);
    /* The server merges the schema's list into the other, grant by grant. */
    for (i = 0; here && i < here->acl.n; i++) {
        const struct pcsm_schema_grant *g = &here->acl.grants[i];

        pcsm_schema__acl_change(acl, g->role, g->privileges & ~g->grantable, false, true);
        pcsm_schema__acl_change(acl, g->role, g->grantable, true, true);
    }
}

static void free_default_acl(struct pcsm_schema_default_acl *d)
{
    free(d->role);
    free(d->schema);
    pcsm_schema__acl_dispose(&d->acl);
}

void pcsm_schema__change_default_acl(pcsm_schema *s, const pcsm_default_privileges *d,
                                     const char *schema, bool grant)
{
    struct pcsm_schema_default_acl *e = pcsm_schema__default_acl(s, d->for_role, d->in_schema,
                                                                 schema, d->on);
    size_t i;

    if (!e) {
        pcsm__grow(&s->default_acls, &s->cap_default_acls, s->n_default_acls + 1,
                   sizeof(*s->default_acls));
        e = &s->default_acls[s->n_default_acls++];
        memset(e, 0, sizeof(*e));
        e->role = d->for_role ? pcsm__xstrdup(d->for_role) : NULL;
        e->in_schema = d->in_schema;
        e->schema = d->in_schema && schema ? pcsm__xstrdup(schema) : NULL;
        e->on = d->on;
        /* An entry for every schema starts from what it replaces. */
        if (!d->in_schema)
            pcsm_schema__acl_builtin(&e->acl, d->on);
    }
    for (i = 0; d->roles[i]; i++)
        pcsm_schema__acl_change(&e->acl, pcsm_schema__role(d->roles[i]), d->privileges,
                                d->grant_option, grant);
    pcsm_schema__prune_default_acls(s);
}

/* The server drops an entry that says no more than nothing set would. */
void pcsm_schema__prune_default_acls(pcsm_schema *s)
{
    size_t i = 0;

    while (i < s->n_default_acls) {
        struct pcsm_schema_default_acl *e = &s->default_acls[i];
        struct pcsm_schema_acl unset = { 0 };
        bool empty;

        if (!e->in_schema)
            pcsm_schema__acl_builtin(&unset, e->on);
        empty = pcsm_schema__acl_eq(&e->acl, &unset);
        pcsm_schema__acl_dispose(&unset);
        if (!empty) {
            i++;
            continue;
        }
        free_default_acl(e);
        memmove(e, e + 1, (s->n_default_acls - i - 1) * sizeof(*e));
        s->n_default_acls--;
    }
}

void pcsm_schema__drop_default_acls_in(pcsm_schema *s, const char *schema)
{
    size_t i = 0;

    while (i < s->n_default_acls) {
        struct pcsm_schema_default_acl *e = &s->default_acls[i];

        if (!e->in_schema || !e->schema || strcmp(e->schema, schema)) {
            i++;
            continue;
        }
        free_default_acl(e);
        memmove(e, e + 1, (s->n_default_acls - i - 1) * sizeof(*e));
        s->n_default_acls--;
    }
}

void pcsm_schema__free_default_acls(pcsm_schema *s)
{
    size_t i;

    for (i = 0; i < s->n_default_acls; i++)
        free_default_acl(&s->default_acls[i]);
    free(s->default_acls);
    s->default_acls = NULL;
    s->n_default_acls = s->cap_default_acls = 0;
}

static int cmp_default_acl(const void *pa, const void *pb)
{
    const struct pcsm_schema_default_acl *a = pa, *b = pb;
    int c = cmp_role(a->role, b->role);

    if (c)
        return c;
    if (a->in_schema != b->in_schema)
        return a->in_schema - b->in_schema;
    c = cmp_role(a->schema, b->schema);
    if (c)
        return c;
    return (int)a->on - (int)b->on;
}

void pcsm_schema__sort_default_acls(pcsm_schema *s)
{
    if (s->n_default_acls)
        qsort(s->default_acls, s->n_default_acls, sizeof(*s->default_acls), cmp_default_acl);
}

bool pcsm_schema__default_acls_eq(const pcsm_schema *a, const pcsm_schema *b)
{
    size_t i;

    if (a->n_default_acls != b->n_default_acls)
        return false;
    for (i = 0; i < a->n_default_acls; i++)
        if (cmp_default_acl(&a->default_acls[i], &b->default_acls[i]) ||
            !pcsm_schema__acl_eq(&a->default_acls[i].acl, &b->default_acls[i].acl))
            return false;
    return true;
}

/* Appends a step to *steps, when it changes something. */
static void add_step(struct pcsm_schema_acl_step **steps, size_t *n, size_t *cap,
                     const char *role, unsigned privileges, bool option, bool grant)
{
    if (!privileges)
        return;
    pcsm__grow(steps, cap, *n + 1, sizeof(**steps));
    (*steps)[(*n)++] = (struct pcsm_schema_acl_step){ role, privileges, option, grant };
}

size_t pcsm_schema__acl_steps(const struct pcsm_schema_acl *from,
                              const struct pcsm_schema_acl *to,
                              struct pcsm_schema_acl_step **out)
{
    struct pcsm_schema_acl_step *steps = NULL;
    size_t n = 0, cap = 0, i = 0, k = 0, pass;

    /* Revokes first, so that a grant after them is never taken back. */
    for (pass = 0; pass < 2; pass++) {
        for (i = 0, k = 0; i < from->n || k < to->n;) {
            const struct pcsm_schema_grant *f = NULL, *t = NULL;
            int c = i == from->n ? 1 : k == to->n ? -1
                  : cmp_role(from->grants[i].role, to->grants[k].role);
            unsigned fp, fg, tp, tg;

            if (c <= 0)
                f = &from->grants[i++];
            if (c >= 0)
                t = &to->grants[k++];
            fp = f ? f->privileges : 0;
            fg = f ? f->grantable : 0;
            tp = t ? t->privileges : 0;
            tg = t ? t->grantable : 0;
            if (pass == 0) {
                add_step(&steps, &n, &cap, f ? f->role : t->role, fp & ~tp, false, false);
                add_step(&steps, &n, &cap, f ? f->role : t->role, fg & ~tg & tp, true, false);
            } else {
                add_step(&steps, &n, &cap, f ? f->role : t->role, tp & ~tg & ~fp, false, true);
                add_step(&steps, &n, &cap, f ? f->role : t->role, tg & ~fg, true, true);
            }
        }
    }
    *out = steps;
    return n;
}

/* What role holds in acl: its privileges and those grantable, 0 for none. */
static void held(const struct pcsm_schema_acl *acl, const char *role, unsigned *privileges,
                 unsigned *grantable)
{
    const struct pcsm_schema_grant *g = pcsm_schema__acl_find(acl, role);

    *privileges = g ? g->privileges : 0;
    *grantable = g ? g->grantable : 0;
}

/*
 * What one side holds and the other does not, `only`, is each explained
 * by that side's new objects getting it and the other's not.
 */
static bool explained(unsigned only, unsigned made, unsigned other_made)
{
    return !(only & ~(made & ~other_made));
}

/* Whether role holds the same on both sides, but for what their default privileges explain. */
static bool same_role(const char *role, const struct pcsm_schema_acl *a,
                      const struct pcsm_schema_acl *new_a, const struct pcsm_schema_acl *b,
                      const struct pcsm_schema_acl *new_b)
{
    unsigned ap, ag, nap, nag, bp, bg, nbp, nbg;

    held(a, role, &ap, &ag);
    held(b, role, &bp, &bg);
    held(new_a, role, &nap, &nag);
    held(new_b, role, &nbp, &nbg);
    return explained(ap & ~bp, nap, nbp) && explained(bp & ~ap, nbp, nap) &&
           explained(ag & ~bg, nag, nbg) && explained(bg & ~ag, nbg, nag);
}

bool pcsm_schema__acl_equivalent(const struct pcsm_schema_acl *a,
                                 const struct pcsm_schema_acl *new_a,
                                 const struct pcsm_schema_acl *b,
                                 const struct pcsm_schema_acl *new_b)
{
    const struct pcsm_schema_acl *all[] = { a, new_a, b, new_b };
    size_t i, k;

    for (k = 0; k < 4; k++)
        for (i = 0; i < all[k]->n; i++)
            if (!same_role(all[k]->grants[i].role, a, new_a, b, new_b))
                return false;
    return true;
}

void pcsm_schema__acl_rebase(const struct pcsm_schema_acl *acl,
                             const struct pcsm_schema_acl *made,
                             const struct pcsm_schema_acl *onto, struct pcsm_schema_acl *out)
{
    const struct pcsm_schema_acl *both[] = { acl, made };
    size_t i, k;

    pcsm_schema__acl_copy(out, onto);
    for (k = 0; k < 2; k++)
        for (i = 0; i < both[k]->n; i++) {
            const char *role = both[k]->grants[i].role;
            unsigned p, g, np, ng;

            held(acl, role, &p, &g);
            held(made, role, &np, &ng);
            pcsm_schema__acl_change(out, role, np & ~p, false, false);
            pcsm_schema__acl_change(out, role, ng & ~g, true, false);
            pcsm_schema__acl_change(out, role, p & ~np, false, true);
            pcsm_schema__acl_change(out, role, g & ~ng, true, true);
        }
}

char *pcsm_schema__acl_text(const struct pcsm_schema_acl *acl)
{
    pcsm_buf out = PCSM_BUF_INIT;
    size_t i;
    unsigned bit;

    if (!acl->n)
        return NULL;
    for (i = 0; i < acl->n; i++) {
        const struct pcsm_schema_grant *g = &acl->grants[i];
        bool first = true;

        pcsm_buf_printf(&out, "%s%s:", i ? "; " : "", g->role ? g->role : "PUBLIC");
        for (bit = 1; bit && bit <= g->privileges; bit <<= 1)
            if (g->privileges & bit) {
                pcsm_buf_printf(&out, "%s%s%s", first ? " " : ", ",
                                pcsm_op__privilege_name(bit), g->grantable & bit ? "*" : "");
                first = false;
            }
    }
    return pcsm_buf_detach(&out);
}
