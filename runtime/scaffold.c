/*
 * New revision files: reading a migrations directory's headers for its
 * heads, and writing a revision from the template embedded at build time
 * (generator/revision_template.c.in), listed in the directory's meson.build
 * so that the next build compiles it with no hand edit.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>
#include <time.h>
#include <unistd.h>

#include "internal.h"
#include "pcsm/scaffold.h"
#include "revision_template.h"

#define SLUG_MAX 40

void pcsm_dir_revs_dispose(pcsm_dir_revs *revs)
{
    size_t i;

    if (!revs)
        return;
    for (i = 0; i < revs->n; i++) {
        free(revs->ids[i]);
        free(revs->files[i]);
    }
    free(revs->ids);
    free(revs->files);
    free(revs->heads);      /* borrowed from ids */
    memset(revs, 0, sizeof(*revs));
}

static char *path_join(const char *dir, const char *name)
{
    pcsm_buf path = PCSM_BUF_INIT;

    pcsm_buf_printf(&path, "%s/%s", dir, name);
    return pcsm_buf_detach(&path);
}

/* The value of " * Key: value" within the header comment, or NULL. */
static char *header_field(const char *text, const char *key)
{
    const char *end = strstr(text, "*/");
    size_t klen = strlen(key);
    const char *line;

    for (line = text; line && (!end || line < end); line = strchr(line + 1, '\n')) {
        const char *p = line + (*line == '\n');

        while (*p == ' ')
            p++;
        if (*p == '*' && p[1] == ' ' && !strncmp(p + 2, key, klen) && p[2 + klen] == ':') {
            const char *v = p + 3 + klen, *e;

            while (*v == ' ')
                v++;
            e = v + strcspn(v, "\r\n");
            while (e > v && e[-1] == ' ')
                e--;
            return strndup(v, (size_t)(e - v));
        }
    }
    return NULL;
}

static int read_file(pcsm_ctx *ctx, const char *path, pcsm_buf *out)
{
    FILE *f = fopen(path, "rb");
    char chunk[8192];
    size_t n;

    if (!f)
        return pcsm_error__set(ctx, PCSM_ERROR, "cannot read %s: %s", path, strerror(errno));
    while ((n = fread(chunk, 1, sizeof(chunk), f)) > 0)
        pcsm_buf_put(out, chunk, n);
    fclose(f);
    return 0;
}

static int cmp_str(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

int pcsm_scaffold_read(pcsm_ctx *ctx, const char *dir, pcsm_dir_revs *out)
{
    DIR *d = opendir(dir);
    struct dirent *e;
    char **names = NULL, **revises = NULL;
    size_t n = 0, cap = 0, i, j;
    int rc = 0;

    memset(out, 0, sizeof(*out));
    if (!d)
        return pcsm_error__set(ctx, PCSM_EINVALID, "cannot open the migrations directory %s: %s",
                               dir, strerror(errno));
    while ((e = readdir(d))) {
        size_t len = strlen(e->d_name);

        if (len > 2 && !strcmp(e->d_name + len - 2, ".c") && e->d_name[0] != '.') {
            pcsm__grow(&names, &cap, n + 1, sizeof(*names));
            names[n++] = pcsm__xstrdup(e->d_name);
        }
    }
    closedir(d);
    qsort(names, n, sizeof(*names), cmp_str);
    out->ids = pcsm__xcalloc(n + 1, sizeof(*out->ids));
    out->files = pcsm__xcalloc(n + 1, sizeof(*out->files));
    revises = pcsm__xcalloc(n + 1, sizeof(*revises));
    for (i = 0; i < n && rc == 0; i++) {
        pcsm_buf text = PCSM_BUF_INIT;
        char *path = path_join(dir, names[i]);

        rc = read_file(ctx, path, &text);
        if (rc == 0) {
            out->ids[out->n] = header_field(text.ptr, "Revision ID");
            revises[out->n] = header_field(text.ptr, "Revises");
            out->files[out->n] = pcsm__xstrdup(names[i]);
            out->n++;
            if (!out->ids[out->n - 1] || !revises[out->n - 1])
                rc = pcsm_error__set(ctx, PCSM_EINVALID,
                                     "%s: no \"Revision ID:\" and \"Revises:\" header lines",
                                     path);
        }
        free(path);
        pcsm_buf_dispose(&text);
    }
    /* Heads: ids that no Revises line names. */
    out->heads = pcsm__xcalloc(out->n + 1, sizeof(*out->heads));
    for (i = 0; rc == 0 && i < out->n; i++) {
        bool revised = false;

        for (j = 0; j < out->n && !revised; j++) {
            const char *p = revises[j];
            size_t idlen = strlen(out->ids[i]);

            /* Comma-separated ids; match whole items only. */
            while (p && *p && !revised) {
                size_t len;

                p += strspn(p, ", ");
                len = strcspn(p, ", ");
                revised = len == idlen && !strncmp(p, out->ids[i], len);
                p += len;
            }
        }
        if (!revised)
            out->heads[out->n_heads++] = out->ids[i];
    }
    for (i = 0; i < n; i++) {
        free(names[i]);
        free(revises[i]);
    }
    free(names);
    free(revises);
    if (rc < 0)
        pcsm_dir_revs_dispose(out);
    return rc;
}

/* Lowercase ASCII letters and digits, runs of anything else as one '_'. */
static void put_slug(pcsm_buf *out, const char *message)
{
    size_t start = out->len;
    const unsigned char *p;

    for (p = (const unsigned char *)message; *p && out->len - start < SLUG_MAX; p++) {
        if ((*p >= 'a' && *p <= 'z') || (*p >= '0' && *p <= '9'))
            pcsm_buf_putc(out, (char)*p);
        else if (*p >= 'A' && *p <= 'Z')
            pcsm_buf_putc(out, (char)(*p - 'A' + 'a'));
        else if (out->len > start && out->ptr[out->len - 1] != '_')
            pcsm_buf_putc(out, '_');
    }
    while (out->len > start && out->ptr[out->len - 1] == '_')
        out->ptr[--out->len] = '\0';
    if (out->len == start)
        pcsm_buf_puts(out, "revision");
}

static int new_id(pcsm_ctx *ctx, const pcsm_dir_revs *existing, char id[13])
{
    static const char hex[] = "0123456789abcdef";
    int attempt;

    for (attempt = 0; attempt < 16; attempt++) {
        unsigned char bytes[6];
        bool taken = false;
        size_t i;

        if (getrandom(bytes, sizeof(bytes), 0) != (ssize_t)sizeof(bytes))
            return pcsm_error__set(ctx, PCSM_ERROR, "no random bytes: %s", strerror(errno));
        for (i = 0; i < 6; i++) {
            id[2 * i] = hex[bytes[i] >> 4];
            id[2 * i + 1] = hex[bytes[i] & 0xf];
        }
        id[12] = '\0';
        for (i = 0; i < existing->n && !taken; i++)
            taken = !strcmp(existing->ids[i], id);
        if (!taken)
            return 0;
    }
    return pcsm_error__set(ctx, PCSM_ERROR, "could not find an unused revision id");
}

/* The template with its @PLACEHOLDERS@ filled in. */
static void fill_template(pcsm_buf *out, const char *message, const char *id,
                          const char *revises, const char *date)
{
    const char *p = pcsm_revision_template;

    while (*p) {
        const char *at = strchr(p, '@');
        static const char *const keys[] = { "@DESCRIPTION@", "@REVISION@", "@REVISES@",
                                            "@CREATE_DATE@" };
        const char *values[] = { message, id, revises, date };
        size_t k;

        if (!at) {
            pcsm_buf_puts(out, p);
            break;
        }
        pcsm_buf_put(out, p, (size_t)(at - p));
        for (k = 0; k < 4; k++)
            if (!strncmp(at, keys[k], strlen(keys[k])))
                break;
        if (k == 4) {
            pcsm_buf_putc(out, '@');
            p = at + 1;
            continue;
        }
        pcsm_buf_puts(out, values[k]);
        p = at + strlen(keys[k]);
    }
}

/*
 * Lists `file` in dir/meson.build: a line before the "]" that closes
 * "migration_files = [".  The list is the build's, so its format is fixed.
 */
static int list_in_meson_build(pcsm_ctx *ctx, const char *dir, const char *file)
{
    char *path = path_join(dir, "meson.build"), *tmp;
    pcsm_buf text = PCSM_BUF_INIT, out = PCSM_BUF_INIT;
    const char *list, *close;
    FILE *f;
    int rc = read_file(ctx, path, &text);

    if (rc < 0) {
        rc = pcsm_error__set(ctx, PCSM_EINVALID, "%s is missing: the migrations directory "
                             "lists its files there (migration_files = [ ... ])", path);
        goto done;
    }
    list = strstr(text.ptr, "migration_files = [");
    close = list ? strchr(list, ']') : NULL;
    if (!close) {
        rc = pcsm_error__set(ctx, PCSM_EINVALID, "%s has no \"migration_files = [ ... ]\" list",
                             path);
        goto done;
    }
    /* Insert at the start of the line holding the "]". */
    while (close > list && close[-1] != '\n')
        close--;
    pcsm_buf_put(&out, text.ptr, (size_t)(close - text.ptr));
    pcsm_buf_printf(&out, "  '%s',\n", file);
    pcsm_buf_puts(&out, close);
    tmp = path_join(dir, ".meson.build.pcsm-tmp");
    f = fopen(tmp, "wb");
    if (!f || fwrite(out.ptr, 1, out.len, f) != out.len || fclose(f) != 0 ||
        rename(tmp, path) != 0) {
        rc = pcsm_error__set(ctx, PCSM_ERROR, "cannot update %s: %s", path, strerror(errno));
        unlink(tmp);
    }
    free(tmp);
done:
    free(path);
    pcsm_buf_dispose(&text);
    pcsm_buf_dispose(&out);
    return rc;
}

int pcsm_scaffold_write(pcsm_ctx *ctx, const char *dir, const char *message,
                        const char *const *parents, size_t n_parents, char **path_out)
{
    pcsm_dir_revs existing;
    pcsm_buf name = PCSM_BUF_INIT, revises = PCSM_BUF_INIT, text = PCSM_BUF_INIT;
    char id[13], date[40], *path = NULL;
    time_t now = time(NULL);
    struct tm tm;
    size_t i;
    int fd, rc;

    *path_out = NULL;
    if (!message || !*message || strpbrk(message, "\r\n") || strstr(message, "*/") ||
        strchr(message, '@') || !pcsm_sql__valid_utf8(message))
        return pcsm_error__set(ctx, PCSM_EINVALID,
                               "the message must be one line of UTF-8 text without \"*/\" "
                               "or '@'");
    rc = pcsm_scaffold_read(ctx, dir, &existing);
    if (rc < 0)
        return rc;
    rc = new_id(ctx, &existing, id);
    if (rc < 0)
        goto done;
    for (i = 0; i < n_parents; i++)
        pcsm_buf_printf(&revises, "%s%s", i ? ", " : "", parents[i]);
    if (!n_parents)
        pcsm_buf_puts(&revises, "None");
    gmtime_r(&now, &tm);
    strftime(date, sizeof(date), "%Y-%m-%d %H:%M:%S+00:00", &tm);
    fill_template(&text, message, id, revises.ptr, date);

    pcsm_buf_printf(&name, "%s_", id);
    put_slug(&name, message);
    pcsm_buf_puts(&name, ".c");
    path = path_join(dir, name.ptr);
    /* O_EXCL: a file of that name is never overwritten. */
    fd = open(path, O_WRONLY | O_CREAT | O_EXCL, 0644);
    if (fd < 0) {
        rc = pcsm_error__set(ctx, PCSM_ERROR, "cannot create %s: %s", path, strerror(errno));
        goto done;
    }
    if (write(fd, text.ptr, text.len) != (ssize_t)text.len) {
        close(fd);
        rc = pcsm_error__set(ctx, PCSM_ERROR, "cannot write %s: %s", path, strerror(errno));
        unlink(path);
        goto done;
    }
    if (close(fd) != 0) {
        rc = pcsm_error__set(ctx, PCSM_ERROR, "cannot write %s: %s", path, strerror(errno));
        unlink(path);
        goto done;
    }
    rc = list_in_meson_build(ctx, dir, name.ptr);
    if (rc < 0) {
        unlink(path);
        goto done;
    }
    *path_out = path;
    path = NULL;
done:
    free(path);
    pcsm_dir_revs_dispose(&existing);
    pcsm_buf_dispose(&name);
    pcsm_buf_dispose(&revises);
    pcsm_buf_dispose(&text);
    return rc;
}
