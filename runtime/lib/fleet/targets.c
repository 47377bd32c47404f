/*
 * The fleet's target list: parsed from a file's lines, built from a query
 * or from the schemas of a database, sliced into shards, and labelled for
 * output without the secrets its connection strings may hold.
 */
#include <ctype.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include <libpq-fe.h>

#include "fleet/fleet.h"
#include "live/live.h"

static void target_free(pcsm_fleet_target *t)
{
    /* A password may be in there: not left in freed memory. */
    explicit_bzero(t->conninfo, strlen(t->conninfo));
    free(t->conninfo);
    free(t->schema);
    free(t->label);
    free(t->key);
}

void pcsm_fleet_targets_dispose(pcsm_fleet_targets *list)
{
    size_t i;

    for (i = 0; i < list->n; i++)
        target_free(&list->v[i]);
    free(list->v);
    *list = (pcsm_fleet_targets)PCSM_FLEET_TARGETS_INIT;
}

/* The host (else hostaddr), port and dbname libpq parses out of a string; borrowed. */
struct where {
    const char *host, *port, *dbname, *user;
};

static void where_of(const PQconninfoOption *parsed, struct where *w)
{
    const PQconninfoOption *o;

    memset(w, 0, sizeof(*w));
    for (o = parsed; o && o->keyword; o++) {
        if (!o->val || !*o->val)
            continue;
        if (!strcmp(o->keyword, "host"))
            w->host = o->val;
        else if (!strcmp(o->keyword, "hostaddr") && !w->host)
            w->host = o->val;
        else if (!strcmp(o->keyword, "port"))
            w->port = o->val;
        else if (!strcmp(o->keyword, "dbname"))
            w->dbname = o->val;
        else if (!strcmp(o->keyword, "user"))
            w->user = o->val;
    }
}

/*
 * "host:port/dbname" of the string; the parts it does not name are left
 * out ("db.example/pcs", "/pcs"), and a string that names none is "target
 * N".  Nothing but host, port and dbname is read, and a part that could
 * hold a password is left out too: a host with '@' (a URL password with an
 * unescaped '@'; the check refuses it first), a dbname with '@', ':' or
 * '=' (a URL or conninfo where a name should be).
 */
static char *make_label(const PQconninfoOption *parsed, const char *schema, size_t position)
{
    pcsm_buf label = PCSM_BUF_INIT;
    struct where w;

    where_of(parsed, &w);
    if (w.host && !strchr(w.host, '@'))
        pcsm_buf_puts(&label, w.host);
    if (w.port && strspn(w.port, "0123456789,") == strlen(w.port))
        pcsm_buf_printf(&label, ":%s", w.port);
    if (w.dbname && !strpbrk(w.dbname, "@:="))
        pcsm_buf_printf(&label, "/%s", w.dbname);
    if (!label.len)
        pcsm_buf_printf(&label, "target %zu", position + 1);
    if (schema)
        pcsm_buf_printf(&label, " (schema %s)", schema);
    return pcsm_buf_detach(&label);
}

/*
 * Which database and version table a target is, whatever the spelling:
 * host, port and dbname with libpq's defaults (PG* variables, then its
 * own) where the string names none, and the schema.
 */
static char *make_key(const PQconninfoOption *parsed, const PQconninfoOption *defaults,
                      const char *schema)
{
    pcsm_buf key = PCSM_BUF_INIT;
    struct where w, d;

    where_of(parsed, &w);
    where_of(defaults, &d);
    if (!w.dbname)
        w.dbname = w.user ? w.user : d.dbname ? d.dbname : d.user;
    pcsm_buf_printf(&key, "%s\n%s\n%s\n%s%s", w.host ? w.host : d.host ? d.host : "",
                    w.port ? w.port : d.port ? d.port : "", w.dbname ? w.dbname : "",
                    schema ? "+" : "-", schema ? schema : "");
    return pcsm_buf_detach(&key);
}

int pcsm_fleet_add(pcsm_ctx *ctx, pcsm_fleet_targets *list, const char *conninfo,
                   const char *schema, const char *source, size_t line)
{
    PQconninfoOption *parsed, *defaults;
    pcsm_fleet_target *t;
    char *key;
    size_t i;

    /* Judged as a single run would judge it, but before any target runs. */
    if (pcsm_db__check_conninfo(ctx, conninfo, NULL) < 0)
        return line ? pcsm_error__prefix(ctx, "%s:%zu: ", source, line)
                    : pcsm_error__prefix(ctx, "%s: target %zu: ", source, list->n + 1);
    parsed = PQconninfoParse(conninfo, NULL);
    defaults = PQconndefaults();
    key = make_key(parsed, defaults, schema);
    PQconninfoFree(defaults);
    for (i = 0; i < list->n; i++) {
        if (strcmp(list->v[i].key, key))
            continue;
        free(key);
        PQconninfoFree(parsed);
        if (line && list->v[i].line)
            return pcsm_error__set(ctx, PCSM_EINVALID,
                                   "%s:%zu: the same target as line %zu", source, line,
                                   list->v[i].line);
        return pcsm_error__set(ctx, PCSM_EINVALID, "%s: target %zu is the same as target %zu",
                               source, list->n + 1, i + 1);
    }
    pcsm__grow(&list->v, &list->cap, list->n + 1, sizeof(*list->v));
    t = &list->v[list->n];
    t->conninfo = pcsm__xstrdup(conninfo);
    t->schema = schema ? pcsm__xstrdup(schema) : NULL;
    t->label = make_label(parsed, schema, list->n);
    t->key = key;
    t->line = line;
    PQconninfoFree(parsed);
    list->n++;
    return 0;
}

static bool blank(char c)
{
    return c == ' ' || c == '\t' || c == '\r' || c == '\v' || c == '\f';
}

/*
 * One line, trimmed, into its connection string and schema.  The schema
 * option is the line's last words, so that a conninfo value may still hold
 * "--schema" inside quotes... as long as it is not at the end.
 */
static int parse_line(pcsm_ctx *ctx, char *text, const char *source, size_t line,
                      pcsm_fleet_targets *out)
{
    static const char option[] = "--schema";
    const size_t option_len = sizeof(option) - 1;
    char *schema = NULL, *p;

    for (p = text; *p; p++) {
        char *value;

        if (strncmp(p, option, option_len) || (p > text && !blank(p[-1])))
            continue;
        if (!p[option_len])
            return pcsm_error__set(ctx, PCSM_EINVALID, "%s:%zu: --schema needs a name",
                                   source, line);
        if (p[option_len] == '=')
            value = p + option_len + 1;
        else if (blank(p[option_len]))
            for (value = p + option_len; blank(*value); value++)
                ;
        else
            continue;
        if (!*value)
            return pcsm_error__set(ctx, PCSM_EINVALID, "%s:%zu: --schema needs a name",
                                   source, line);
        if (strpbrk(value, " \t\r\v\f"))
            continue;       /* not the last word: part of the string */
        schema = value;
        while (p > text && blank(p[-1]))
            p--;
        *p = '\0';
        break;
    }
    if (!*text)
        return pcsm_error__set(ctx, PCSM_EINVALID, "%s:%zu: a --schema without a database "
                               "URL or connection string", source, line);
    if (!strncmp(text, "--", 2))
        return pcsm_error__set(ctx, PCSM_EINVALID, "%s:%zu: expected a database URL or "
                               "connection string, then optionally --schema NAME (the line "
                               "is not shown: it may hold a password)", source, line);
    return pcsm_fleet_add(ctx, out, text, schema, source, line);
}

int pcsm_fleet_parse(pcsm_ctx *ctx, const char *text, size_t len, const char *source,
                     pcsm_fleet_targets *out)
{
    size_t line = 0, at = 0;
    int rc = 0;

    if (memchr(text, '\0', len))
        return pcsm_error__set(ctx, PCSM_EINVALID, "%s holds a NUL byte: not a list of "
                               "targets", source);
    while (rc == 0 && at < len) {
        const char *nl = memchr(text + at, '\n', len - at);
        size_t end = nl ? (size_t)(nl - text) : len, start = at;
        char *copy;

        line++;
        at = end + 1;
        while (start < end && blank(text[start]))
            start++;
        while (end > start && blank(text[end - 1]))
            end--;
        if (start == end || text[start] == '#')
            continue;
        copy = pcsm__xmalloc(end - start + 1);
        memcpy(copy, text + start, end - start);
        copy[end - start] = '\0';
        rc = parse_line(ctx, copy, source, line, out);
        explicit_bzero(copy, end - start);
        free(copy);
    }
    return rc;
}

/* A whole number, digits only, up to max. */
static bool parse_index(const char *s, size_t len, unsigned long max, unsigned long *out)
{
    char digits[16];
    char *end;

    if (!len || len >= sizeof(digits) || strspn(s, "0123456789") < len)
        return false;
    memcpy(digits, s, len);
    digits[len] = '\0';
    errno = 0;
    *out = strtoul(digits, &end, 10);
    return !errno && *out <= max;
}

int pcsm_fleet_shard(pcsm_ctx *ctx, pcsm_fleet_targets *list, const char *spec)
{
    const char *slash = strchr(spec, '/');
    unsigned long i, n;
    size_t k, kept = 0;

    if (!slash || !parse_index(spec, (size_t)(slash - spec), 1000000, &i) ||
        !parse_index(slash + 1, strlen(slash + 1), 1000000, &n) || n == 0)
        return pcsm_error__set(ctx, PCSM_EINVALID, "shard '%s': expected I/N, two whole "
                               "numbers with 0 <= I < N (0/3, 1/3 and 2/3 are three slices)",
                               spec);
    if (i >= n)
        return pcsm_error__set(ctx, PCSM_EINVALID, "shard '%s': I must be less than N (the "
                               "slices of N are 0/N to %lu/N)", spec, n - 1);
    for (k = 0; k < list->n; k++) {
        if (k % n == i) {
            list->v[kept++] = list->v[k];
            continue;
        }
        target_free(&list->v[k]);
    }
    list->n = kept;
    return 0;
}
