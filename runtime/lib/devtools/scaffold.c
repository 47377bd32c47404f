/*
 * New revision files: reading a migrations directory's headers for its
 * heads, and writing a revision from the template embedded at build time
 * (generator/revision_template.c.in), listed in the directory's
 * revisions.txt so that the next build compiles it with no hand edit.
 *
 * Two programs read revision headers: the generator
 * (generator/gen_registry.py), the authority on their grammar, and this
 * file, which needs only each file's Revision ID and Revises.  read_header()
 * follows the generator's parser rule for rule, and both are tested on the
 * same headers (tests/scaffold/header_cases.txt).  The scaffold writes only
 * what that grammar reads as intended, whatever the message
 * (pcsm_scaffold__description()).
 *
 * revisions.txt is the build's list: one file name per line, blank lines
 * and lines starting with '#' are comments (meson.build reads it with
 * fs.read(); the generator's --check-list holds it against the directory).
 * A scaffold takes an exclusive flock() on it, and under that lock reads
 * the directory's heads, creates the revision file and replaces the list by
 * a renamed copy with one line more.  Concurrent scaffolds therefore line up
 * one after another, each revising the one before.  This is not for
 * programs that edit the list without the lock (an editor, git): they are
 * the user's to run one at a time.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/random.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "core/core.h"
#include "pcsm/scaffold.h"
#include "revision_template.h"
#include "devtools/devtools.h"

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

/* ------------------------------------------------------------ white space */

/*
 * The length of the white space character at p (n bytes available), or 0:
 * the characters of Python's str.isspace(), UTF-8 encoded, because Python's
 * strip() is what the generator and meson's str.strip() remove.
 */
static size_t space_len(const char *s, size_t n)
{
    const unsigned char *p = (const unsigned char *)s;

    if (n >= 1 && ((p[0] >= 0x09 && p[0] <= 0x0d) || (p[0] >= 0x1c && p[0] <= 0x20)))
        return 1;
    if (n >= 2 && p[0] == 0xc2 && (p[1] == 0x85 || p[1] == 0xa0))
        return 2;
    if (n < 3)
        return 0;
    if ((p[0] == 0xe1 && p[1] == 0x9a && p[2] == 0x80) ||                   /* U+1680 */
        (p[0] == 0xe2 && p[1] == 0x80 && p[2] >= 0x80 && p[2] <= 0x8a) ||   /* U+2000-200A */
        (p[0] == 0xe2 && p[1] == 0x80 && (p[2] == 0xa8 || p[2] == 0xa9 ||   /* U+2028-2029 */
                                          p[2] == 0xaf)) ||                 /* U+202F */
        (p[0] == 0xe2 && p[1] == 0x81 && p[2] == 0x9f) ||                   /* U+205F */
        (p[0] == 0xe3 && p[1] == 0x80 && p[2] == 0x80))                     /* U+3000 */
        return 3;
    return 0;
}

/* Python's rstrip(): moves *e back over trailing white space. */
static void rtrim(const char *s, const char **e)
{
    size_t k;

    for (;;) {
        for (k = 1; k <= 3; k++)
            if ((size_t)(*e - s) >= k && space_len(*e - k, k) == k)
                break;
        if (k > 3)
            return;
        *e -= k;
    }
}

/* Python's strip(). */
static void trim(const char **s, const char **e)
{
    size_t k;

    while (*s < *e && (k = space_len(*s, (size_t)(*e - *s))) > 0)
        *s += k;
    rtrim(*s, e);
}

static bool ascii_letter(char c)
{
    return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z');
}

/* ------------------------------------------------------------ the header */

/*
 * One line of the header's body, trailing white space removed: a field when
 * it is " * " then FIELD_RE of the generator, [A-Za-z][A-Za-z ]*:(.*), with
 * the key exactly "Revision ID" or "Revises".  The first of each counts.
 * Near misses ("Revison ID", "revises") are not read: the generator refuses
 * them, and so a build of the file, with a message that says how to fix it.
 */
static void header_line(const char *s, const char *e, char **id, char **revises)
{
    const char *k, *v;
    char **slot = NULL;

    if (e - s < 4 || memcmp(s, " * ", 3) != 0 || !ascii_letter(s[3]))
        return;
    s += 3;
    for (k = s + 1; k < e && (ascii_letter(*k) || *k == ' '); k++)
        ;
    if (k == e || *k != ':')
        return;
    if (k - s == 11 && !memcmp(s, "Revision ID", 11))
        slot = id;
    else if (k - s == 7 && !memcmp(s, "Revises", 7))
        slot = revises;
    if (!slot || *slot)
        return;
    v = k + 1;
    trim(&v, &e);
    *slot = pcsm__xmalloc((size_t)(e - v) + 1);
    memcpy(*slot, v, (size_t)(e - v));
    (*slot)[e - v] = '\0';
}

/* The first star-slash in [s, e), or NULL. */
static const char *find_close(const char *s, const char *e)
{
    for (; e - s >= 2; s++)
        if (s[0] == '*' && s[1] == '/')
            return s;
    return NULL;
}

/*
 * The grammar is the generator's (its docstring, "The revision header");
 * the cases both readers are tested on are tests/scaffold/header_cases.txt.
 * The rules of the generator's header_lines(): no byte order mark; line 1
 * is "/" "*" once trailing white space is removed; the header ends at the
 * first line that holds "*" "/", whose text before it still counts when the
 * line is not " *" "/" alone; a header that never ends has no fields.  Lines
 * end at LF only (a CR is trailing white space), as the generator splits
 * them.
 */
void pcsm_scaffold__read_header(const char *data, size_t len, char **id_out,
                                char **revises_out)
{
    const char *p = data, *end = data + len, *eol, *e;
    char *id = NULL, *revises = NULL;
    bool first = true;

    *id_out = NULL;
    *revises_out = NULL;
    if (len >= 3 && !memcmp(data, "\xef\xbb\xbf", 3))
        return;
    for (;; p = eol + 1) {
        const char *close;

        eol = memchr(p, '\n', (size_t)(end - p));
        if (!eol)
            eol = end;
        e = eol;
        rtrim(p, &e);
        if (first) {
            if (e - p != 2 || memcmp(p, "/*", 2) != 0)
                break;
            first = false;
        } else if ((close = find_close(p, e))) {
            if (e - p != 3 || memcmp(p, " */", 3) != 0) {
                e = close;
                rtrim(p, &e);
                header_line(p, e, &id, &revises);
            }
            *id_out = id;
            *revises_out = revises;
            return;
        } else {
            header_line(p, e, &id, &revises);
        }
        if (eol == end)
            break;
    }
    free(id);
    free(revises);
}

/* Whether `item` is one of the comma-separated ids of a Revises value. */
static bool revises_names(const char *revises, const char *item)
{
    const char *p = revises, *end = revises + strlen(revises);
    size_t len = strlen(item);

    if (!strcmp(revises, "None"))
        return false;
    while (p <= end) {
        const char *comma = memchr(p, ',', (size_t)(end - p)), *s = p, *e;

        e = comma ? comma : end;
        trim(&s, &e);
        if ((size_t)(e - s) == len && !memcmp(s, item, len))
            return true;
        if (!comma)
            break;
        p = comma + 1;
    }
    return false;
}

static int write_all(int fd, const char *data, size_t len)
{
    while (len > 0) {
        ssize_t n = write(fd, data, len);

        if (n < 0 && errno != EINTR)
            return -1;
        if (n > 0) {
            data += n;
            len -= (size_t)n;
        }
    }
    return 0;
}

/* close() that marks fd closed, so that an error path does not close it again. */
static int close_fd(int *fd)
{
    int rc = close(*fd);

    *fd = -1;
    return rc;
}

static int cmp_str(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

/* What the generator takes for a migration: *.c, not a dot file. */
static bool revision_name(const char *name)
{
    size_t len = strlen(name);

    return len > 2 && !strcmp(name + len - 2, ".c") && name[0] != '.';
}

/* The generator's ID_RE: 1 to 32 of [0-9A-Za-z_].  A new revision names its parents. */
static bool valid_id(const char *id)
{
    size_t len = strspn(id, "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz_");

    return len >= 1 && len <= 32 && !id[len];
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
        if (revision_name(e->d_name)) {
            pcsm__grow(&names, &cap, n + 1, sizeof(*names));
            names[n++] = pcsm__xstrdup(e->d_name);
        }
    }
    closedir(d);
    if (n > 1)              /* names is NULL in an empty directory */
        qsort(names, n, sizeof(*names), cmp_str);
    out->ids = pcsm__xcalloc(n + 1, sizeof(*out->ids));
    out->files = pcsm__xcalloc(n + 1, sizeof(*out->files));
    revises = pcsm__xcalloc(n + 1, sizeof(*revises));
    for (i = 0; i < n && rc == 0; i++) {
        pcsm_buf text = PCSM_BUF_INIT;
        char *path = path_join(dir, names[i]), *id, *parents;
        struct stat st;
        int fd;

        /* Not a regular file (a directory, a link to nothing): not a
         * migration for the generator either. */
        if (stat(path, &st) < 0 || !S_ISREG(st.st_mode)) {
            free(path);
            continue;
        }
        fd = open(path, O_RDONLY | O_NONBLOCK | O_NOCTTY | O_CLOEXEC);
        if (fd < 0 || pcsm_buf_read_fd(&text, fd) < 0) {
            rc = pcsm_error__set(ctx, PCSM_ERROR, "cannot read %s: %s", path, strerror(errno));
        } else {
            pcsm_scaffold__read_header(text.ptr, text.len, &id, &parents);
            if (!id || !parents)
                rc = pcsm_error__set(ctx, PCSM_EINVALID,
                                     "%s: no \"Revision ID:\" and \"Revises:\" header lines "
                                     "that the build reads; fix that file first (a build "
                                     "names what is wrong with it)", path);
            else if (!valid_id(id))
                rc = pcsm_error__set(ctx, PCSM_EINVALID, "%s: its Revision ID is not 1 to 32 "
                                     "letters, digits and '_'; fix that file first", path);
            if (rc == 0) {
                out->ids[out->n] = id;
                out->files[out->n] = pcsm__xstrdup(names[i]);
                revises[out->n++] = parents;
            } else {
                free(id);
                free(parents);
            }
        }
        if (fd >= 0)
            close(fd);
        free(path);
        pcsm_buf_dispose(&text);
    }
    /* Heads: ids that no Revises line names. */
    out->heads = pcsm__xcalloc(out->n + 1, sizeof(*out->heads));
    for (i = 0; rc == 0 && i < out->n; i++) {
        bool revised = false;

        for (j = 0; j < out->n && !revised; j++)
            revised = revises_names(revises[j], out->ids[i]);
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

/* ------------------------------------------------------------ the message */

/*
 * Characters that become a space: C0 and C1 controls and DEL (CR and LF
 * among them), the line and paragraph separators, and the bidirectional
 * controls, which gcc warns about in a comment (-Wbidi-chars) and which can
 * make the text read differently from what it is.
 */
static bool control(unsigned cp)
{
    return cp < 0x20 || cp == 0x7f || (cp >= 0x80 && cp <= 0x9f) || cp == 0x061c ||
           cp == 0x200e || cp == 0x200f || (cp >= 0x2028 && cp <= 0x202e) ||
           (cp >= 0x2066 && cp <= 0x2069);
}

/*
 * Whether the generator may take "key:" (ASCII letters and spaces) for a
 * field: a field's name, or a near miss it reports as one.  It asks difflib
 * for a ratio of at least 0.75 with a field's name, in lower case (see
 * near_field()); that ratio is at most difflib's quick_ratio(), twice the
 * characters in common over both lengths, so a key that fails this bound
 * is never a field.  A few keys pass it that difflib would not take: they
 * cost one space.
 */
static bool field_like(const char *key, size_t len)
{
    static const char *const fields[] = { "revision id", "revises", "create date", "flags" };
    size_t have[128] = { 0 }, f, i;

    for (i = 0; i < len; i++)
        have[(unsigned char)key[i] | 0x20]++;       /* letters to lower case; ' ' stays */
    for (f = 0; f < sizeof(fields) / sizeof(fields[0]); f++) {
        size_t left[128];
        size_t common = 0, flen = strlen(fields[f]);

        memcpy(left, have, sizeof(left));
        for (i = 0; i < flen; i++)
            if (left[(unsigned char)fields[f][i]] > 0) {
                left[(unsigned char)fields[f][i]]--;
                common++;
            }
        if (8 * common >= 3 * (len + flen))          /* 2 * common / (len + flen) >= 0.75 */
            return true;
    }
    return false;
}

/*
 * The description line, rule by rule:
 * - each run of control characters becomes one space, and the white space
 *   the generator strips from both ends goes: what is left is the
 *   description the generator reads, or, when nothing is, a blank message;
 * - a "/" and a "*" never touch, so that nothing closes the comment or
 *   draws -Wcomment ("/" "*" inside it);
 * - a final "??/" becomes "?? /": that trigraph would escape the newline,
 *   and gcc warns (-Wtrigraphs);
 * - text that the generator would read as a field, or as a misspelt one
 *   ("Revises: None", "Flags: nontransactional", "revison id: x"), is
 *   written after one more space, where its field pattern cannot match: it
 *   then reads it as the description, as typed.  Other "Words: text"
 *   ("Add index: users") stay as they are.
 * '@' needs nothing: fill_template() does not rescan what it inserts.
 */
int pcsm_scaffold__description(pcsm_ctx *ctx, const char *message, pcsm_buf *out)
{
    pcsm_buf text = PCSM_BUF_INIT;
    const char *p = message;
    const char *s, *e, *k;
    bool in_run = false;

    if (!pcsm_sql__valid_utf8(message))
        return pcsm_error__set(ctx, PCSM_EINVALID, "the message is not valid UTF-8");
    while (*p) {
        unsigned cp;
        size_t n = pcsm_utf8__sequence(p, &cp);     /* > 0: valid above */

        if (control(cp)) {
            if (!in_run)
                pcsm_buf_putc(&text, ' ');
            in_run = true;
        } else {
            in_run = false;
            pcsm_buf_put(&text, p, n);
            if ((cp == '/' && p[n] == '*') || (cp == '*' && p[n] == '/'))
                pcsm_buf_putc(&text, ' ');
        }
        p += n;
    }
    s = text.ptr;
    e = text.ptr + text.len;
    trim(&s, &e);
    if (s == e) {
        pcsm_buf_dispose(&text);
        return pcsm_error__set(ctx, PCSM_EINVALID, "the message is blank: say in a few words "
                               "what the revision does");
    }
    for (k = s + 1; k < e && (ascii_letter(*k) || *k == ' '); k++)
        ;
    if (ascii_letter(*s) && k < e && *k == ':' && field_like(s, (size_t)(k - s)))
        pcsm_buf_putc(out, ' ');
    if (e - s >= 3 && !memcmp(e - 3, "?\?/", 3)) {
        pcsm_buf_put(out, s, (size_t)(e - s) - 1);
        pcsm_buf_puts(out, " /");
    } else {
        pcsm_buf_put(out, s, (size_t)(e - s));
    }
    pcsm_buf_dispose(&text);
    return 0;
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

/* What a scaffolded revision's functions say until their author writes them. */
static const char empty_upgrade[] =
    "    /* Record the schema change here with the pcsm_* calls of <pcsm/ddl.h>. */\n"
    "    (void)op;\n";
static const char empty_downgrade[] =
    "    /* Undo exactly what upgrade() does, in reverse order. */\n"
    "    (void)op;\n";

/* The template with its @PLACEHOLDERS@ filled in; the values are not rescanned. */
static void fill_template(pcsm_buf *out, const char *const *values)
{
    static const char *const keys[] = { "@DESCRIPTION@", "@REVISION@", "@REVISES@",
                                        "@CREATE_DATE@", "@UPGRADE@", "@DOWNGRADE@" };
    const size_t n_keys = sizeof(keys) / sizeof(keys[0]);
    const char *p = pcsm_revision_template;

    while (*p) {
        const char *at = strchr(p, '@');
        size_t k;

        if (!at) {
            pcsm_buf_puts(out, p);
            break;
        }
        pcsm_buf_put(out, p, (size_t)(at - p));
        for (k = 0; k < n_keys; k++)
            if (!strncmp(at, keys[k], strlen(keys[k])))
                break;
        if (k == n_keys) {
            pcsm_buf_putc(out, '@');
            p = at + 1;
            continue;
        }
        pcsm_buf_puts(out, values[k]);
        p = at + strlen(keys[k]);
    }
}

/* ------------------------------------------------------------ the list */

/*
 * Whether the line [s, e) (no LF) lists any name, the way meson's loop and
 * the generator's read_list_file() read it: Python's universal newlines
 * also end a line at a lone CR, and each piece is stripped of white space;
 * empty pieces and those starting with '#' are comments.  *first is its
 * first name; *listed is set when `name` is one of them.
 */
static bool line_names(const char *s, const char *e, const char *name, const char **first,
                       size_t *first_len, bool *listed)
{
    size_t name_len = strlen(name);
    bool any = false;

    for (;;) {
        const char *cr = memchr(s, '\r', (size_t)(e - s)), *ps = s, *pe = cr ? cr : e;

        trim(&ps, &pe);
        if (ps < pe && *ps != '#') {
            if (!any) {
                *first = ps;
                *first_len = (size_t)(pe - ps);
            }
            any = true;
            if ((size_t)(pe - ps) == name_len && !memcmp(ps, name, name_len))
                *listed = true;
        }
        if (!cr)
            return any;
        s = cr + 1;
    }
}

/* strcmp() of the len bytes at a with the string b. */
static int cmp_len(const char *a, size_t len, const char *b)
{
    size_t b_len = strlen(b);
    int c = memcmp(a, b, len < b_len ? len : b_len);

    return c ? c : (len > b_len) - (len < b_len);
}

bool pcsm_scaffold__list_insert(const char *text, size_t len, const char *name,
                                pcsm_buf *out)
{
    const char *end = text + len, *p, *eol, *at = NULL, *after_last = NULL;
    const char *nl = "\n";
    bool listed = false;

    /* New lines end the way the file's first line does. */
    eol = memchr(text, '\n', len);
    if (eol && eol > text && eol[-1] == '\r')
        nl = "\r\n";
    for (p = text; p < end; p = eol + 1) {
        const char *first;
        size_t first_len;

        eol = memchr(p, '\n', (size_t)(end - p));
        if (!eol)
            eol = end;
        if (line_names(p, eol, name, &first, &first_len, &listed)) {
            if (!at && cmp_len(first, first_len, name) > 0)
                at = p;
            after_last = eol < end ? eol + 1 : end;
        }
        if (eol == end)
            break;
    }
    if (listed)
        return false;
    if (!at)
        at = after_last ? after_last : end;
    pcsm_buf_put(out, text, (size_t)(at - text));
    if (at == end && len > 0 && end[-1] != '\n')
        pcsm_buf_puts(out, nl);
    pcsm_buf_puts(out, name);
    pcsm_buf_puts(out, nl);
    pcsm_buf_put(out, at, (size_t)(end - at));
    if (at < end && end[-1] != '\n')
        pcsm_buf_puts(out, nl);
    return true;
}

/* revisions.txt, locked: what list_lock() sets up and list_unlock() ends. */
struct list_lock {
    char *path;             /* dir/revisions.txt, as named */
    char *real;             /* its real path, symbolic links followed */
    int fd;                 /* open on real and flock()ed; -1 when not */
    struct stat st;         /* of fd: the mode and owner its copy keeps */
    pcsm_buf text;          /* its content, read under the lock */
};

static void list_unlock(struct list_lock *lock)
{
    if (lock->fd >= 0)
        close(lock->fd);        /* ends the flock() */
    free(lock->path);
    free(lock->real);
    pcsm_buf_dispose(&lock->text);
}

/*
 * Opens dir's list, waits for its exclusive flock() and reads it.  The lock
 * belongs to the file it was taken on; a concurrent scaffold replaces the
 * list by renaming a new file over it, so once the lock is granted the path
 * must still name that same file, or the lock is taken again on the file it
 * names now.  Each retry means another scaffold finished: no bound needed.
 */
static int list_lock(pcsm_ctx *ctx, const char *dir, struct list_lock *lock)
{
    struct stat now;

    lock->path = path_join(dir, PCSM_SCAFFOLD_LIST);
    for (;;) {
        const char *why = NULL;

        free(lock->real);
        /* The list may be a symbolic link: its copy goes beside its target. */
        lock->real = realpath(lock->path, NULL);
        if (!lock->real && errno == ENOENT)
            return pcsm_error__set(ctx, PCSM_EINVALID,
                                   "%s is missing: a migrations directory lists its revision "
                                   "files there, one name per line; create it with "
                                   "(cd %s && ls *.c > " PCSM_SCAFFOLD_LIST ")",
                                   lock->path, dir);
        if (!lock->real)
            return pcsm_error__set(ctx, PCSM_EINVALID, "cannot resolve %s: %s", lock->path,
                                   strerror(errno));
        /* O_NONBLOCK: a FIFO planted there must not hang the open.  O_RDWR:
         * over NFS, flock() is a write lock, which a read-only descriptor
         * cannot take; a list the user made read-only is refused. */
        lock->fd = open(lock->real, O_RDWR | O_NONBLOCK | O_NOCTTY | O_CLOEXEC);
        if (lock->fd < 0 || fstat(lock->fd, &lock->st) < 0)
            why = strerror(errno);
        else if (!S_ISREG(lock->st.st_mode))
            why = "not a regular file";
        else if (flock(lock->fd, LOCK_EX) < 0 || pcsm_buf_read_fd(&lock->text, lock->fd) < 0)
            why = strerror(errno);
        if (why)
            return pcsm_error__set(ctx, PCSM_EINVALID, "cannot open, lock and read the "
                                   "revision list %s: %s", lock->real, why);
        if (stat(lock->path, &now) == 0 && now.st_dev == lock->st.st_dev &&
            now.st_ino == lock->st.st_ino)
            return 0;
        /* Replaced (or removed) while we waited: start over on what is there now. */
        close_fd(&lock->fd);
        pcsm_buf_clear(&lock->text);
    }
}

/*
 * Replaces the locked list by `text`: a new file with an unpredictable name
 * (mkstemp: O_EXCL, so no planted file or link is ever written through) in the
 * directory of the list's real path, with its mode (and owner, when that
 * may be given), written and synced, then renamed over the real path.
 */
static int list_replace(pcsm_ctx *ctx, struct list_lock *lock, const pcsm_buf *text)
{
    const char *slash = strrchr(lock->real, '/');     /* realpath() is absolute */
    pcsm_buf tmp = PCSM_BUF_INIT;
    int fd, rc = 0;
    bool created;

    pcsm_buf_printf(&tmp, "%.*s/.%s.XXXXXX", (int)(slash - lock->real), lock->real, slash + 1);
    fd = mkstemp(tmp.ptr);
    created = fd >= 0;
    if (created && fchown(fd, lock->st.st_uid, lock->st.st_gid) < 0) {
        /* Only root may give a file away (scaffolding a user's tree): else it stays ours. */
    }
    if (fd < 0 || write_all(fd, text->ptr, text->len) < 0 ||
        fchmod(fd, lock->st.st_mode & 07777) < 0 || fsync(fd) < 0 || close_fd(&fd) < 0 ||
        rename(tmp.ptr, lock->real) < 0) {
        rc = pcsm_error__set(ctx, PCSM_ERROR, "cannot update the revision list %s: %s",
                             lock->real, strerror(errno));
        if (fd >= 0)
            close(fd);
        if (created)
            unlink(tmp.ptr);
    }
    pcsm_buf_dispose(&tmp);
    return rc;
}

/* ------------------------------------------------------------ scaffolding */

/* Each parent must be a head of the directory as it is now, under the lock. */
static int check_parents(pcsm_ctx *ctx, const char *dir, const pcsm_dir_revs *revs,
                         const char *const *parents, size_t n_parents)
{
    size_t i, j;

    for (i = 0; i < n_parents; i++) {
        for (j = 0; j < revs->n_heads && strcmp(revs->heads[j], parents[i]); j++)
            ;
        if (j == revs->n_heads)
            return pcsm_error__set(ctx, PCSM_EINVALID, "%s is not a head of %s (any more)",
                                   parents[i], dir);
    }
    return 0;
}

/* The error for several heads, with the merge that joins them. */
static int multiple_heads(pcsm_ctx *ctx, const char *dir, const pcsm_dir_revs *revs)
{
    pcsm_buf ids = PCSM_BUF_INIT;
    size_t i;
    int rc;

    for (i = 0; i < revs->n_heads; i++)
        pcsm_buf_printf(&ids, " %s", revs->heads[i]);
    rc = pcsm_error__set(ctx, PCSM_EMULTIPLEHEADS, "%s has %zu heads; join them first: "
                         "pcs-migrate merge -m \"merge heads\"%s", dir, revs->n_heads, ids.ptr);
    pcsm_buf_dispose(&ids);
    return rc;
}

int pcsm_scaffold_write(pcsm_ctx *ctx, const char *dir, const char *message,
                        const char *const *parents, size_t n_parents, char **path_out)
{
    return pcsm_scaffold_write_bodies(ctx, dir, message, parents, n_parents, NULL, NULL,
                                      path_out);
}

int pcsm_scaffold_write_bodies(pcsm_ctx *ctx, const char *dir, const char *message,
                               const char *const *parents, size_t n_parents,
                               const char *upgrade, const char *downgrade, char **path_out)
{
    pcsm_dir_revs existing = { 0 };
    struct list_lock lock = { .fd = -1, .text = PCSM_BUF_INIT };
    pcsm_buf name = PCSM_BUF_INIT, revises = PCSM_BUF_INIT, text = PCSM_BUF_INIT;
    pcsm_buf description = PCSM_BUF_INIT, list = PCSM_BUF_INIT;
    char id[13], date[40], *path = NULL;
    time_t now = time(NULL);
    struct stat st;
    struct tm tm;
    size_t i;
    int fd = -1, rc, err;
    bool created = false;

    *path_out = NULL;
    rc = pcsm_scaffold__description(ctx, message, &description);
    if (rc < 0)
        goto done;
    err = stat(dir, &st) < 0 ? errno : S_ISDIR(st.st_mode) ? 0 : ENOTDIR;
    if (err) {
        rc = pcsm_error__set(ctx, PCSM_EINVALID, "cannot open the migrations directory %s: %s",
                             dir, strerror(err));
        goto done;
    }
    rc = list_lock(ctx, dir, &lock);
    if (rc < 0)
        goto done;
    rc = pcsm_scaffold_read(ctx, dir, &existing);
    if (rc < 0)
        goto done;
    if (!parents && existing.n_heads > 1) {
        rc = multiple_heads(ctx, dir, &existing);
        goto done;
    }
    if (!parents) {
        parents = (const char *const *)existing.heads;
        n_parents = existing.n_heads;
    }
    rc = check_parents(ctx, dir, &existing, parents, n_parents);
    if (rc < 0)
        goto done;
    rc = new_id(ctx, &existing, id);
    if (rc < 0)
        goto done;
    for (i = 0; i < n_parents; i++)
        pcsm_buf_printf(&revises, "%s%s", i ? ", " : "", parents[i]);
    if (!n_parents)
        pcsm_buf_puts(&revises, "None");
    gmtime_r(&now, &tm);
    strftime(date, sizeof(date), "%Y-%m-%d %H:%M:%S+00:00", &tm);
    {
        const char *values[] = { description.ptr, id, revises.ptr, date,
                                 upgrade ? upgrade : empty_upgrade,
                                 downgrade ? downgrade : empty_downgrade };

        fill_template(&text, values);
    }

    pcsm_buf_printf(&name, "%s_", id);
    put_slug(&name, message);
    pcsm_buf_puts(&name, ".c");
    path = path_join(dir, name.ptr);
    /* O_EXCL: a file (or link) of that name is never written through. */
    fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0644);
    created = fd >= 0;
    if (fd < 0 || write_all(fd, text.ptr, text.len) < 0 || fsync(fd) < 0 ||
        close_fd(&fd) < 0) {
        rc = pcsm_error__set(ctx, PCSM_ERROR, "cannot write %s: %s", path, strerror(errno));
        goto done;
    }
    if (pcsm_scaffold__list_insert(lock.text.ptr, lock.text.len, name.ptr, &list))
        rc = list_replace(ctx, &lock, &list);
    if (rc < 0)
        goto done;
    *path_out = path;
    path = NULL;
done:
    if (fd >= 0)
        close(fd);
    if (rc < 0 && created)
        unlink(path);           /* nothing is left behind */
    list_unlock(&lock);
    free(path);
    pcsm_dir_revs_dispose(&existing);
    pcsm_buf_dispose(&name);
    pcsm_buf_dispose(&revises);
    pcsm_buf_dispose(&text);
    pcsm_buf_dispose(&description);
    pcsm_buf_dispose(&list);
    return rc;
}

/* ------------------------------------------------------------ many at once */

static bool digits(const char *s, size_t n)
{
    size_t i;

    for (i = 0; i < n; i++)
        if (s[i] < '0' || s[i] > '9')
            return false;
    return true;
}

static int num(const char *s, size_t n)
{
    int v = 0;

    while (n--)
        v = v * 10 + (*s++ - '0');
    return v;
}

/*
 * The generator's DATE_RE and parse_create_date(): YYYY-MM-DD HH:MM:SS,
 * then optionally .ffffff (six digits) and [+-]HH:MM, a real date and time.
 * Alembic writes "2011-11-08 11:40:27.089406", which is one already.
 */
static bool valid_date(const char *s)
{
    static const int mdays[] = { 31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31 };
    size_t len = strlen(s), at = 19;
    int y, m, d;

    if (len < 19 || !digits(s, 4) || s[4] != '-' || !digits(s + 5, 2) || s[7] != '-' ||
        !digits(s + 8, 2) || s[10] != ' ' || !digits(s + 11, 2) || s[13] != ':' ||
        !digits(s + 14, 2) || s[16] != ':' || !digits(s + 17, 2))
        return false;
    if (s[at] == '.') {
        if (len < at + 7 || !digits(s + at + 1, 6))
            return false;
        at += 7;
    }
    if (s[at] == '+' || s[at] == '-') {
        if (len != at + 6 || !digits(s + at + 1, 2) || s[at + 3] != ':' ||
            !digits(s + at + 4, 2) || num(s + at + 1, 2) > 23 || num(s + at + 4, 2) > 59)
            return false;
        at += 6;
    }
    if (at != len)
        return false;
    y = num(s, 4);
    m = num(s + 5, 2);
    d = num(s + 8, 2);
    if (y < 1 || m < 1 || m > 12 || d < 1 || d > mdays[m - 1] ||
        (m == 2 && d == 29 && !(y % 4 == 0 && (y % 100 != 0 || y % 400 == 0))))
        return false;
    return num(s + 11, 2) < 24 && num(s + 14, 2) < 60 && num(s + 17, 2) < 60;
}

/* Whether id is one of revs' ids, or of the first n of batch. */
static bool known_id(const pcsm_dir_revs *revs, const pcsm_scaffold_rev *batch, size_t n,
                     const char *id)
{
    size_t i;

    for (i = 0; i < revs->n; i++)
        if (!strcmp(revs->ids[i], id))
            return true;
    for (i = 0; i < n; i++)
        if (!strcmp(batch[i].id, id))
            return true;
    return false;
}

/* Refuses what the build would refuse, before anything is written. */
static int check_revs(pcsm_ctx *ctx, const char *dir, const pcsm_dir_revs *existing,
                      const pcsm_scaffold_rev *revs, size_t n)
{
    size_t i, j, k;

    for (i = 0; i < n; i++) {
        const pcsm_scaffold_rev *r = &revs[i];

        if (!r->id || !valid_id(r->id))
            return pcsm_error__set(ctx, PCSM_EINVALID, "revision id '%s' is not 1 to 32 "
                                   "letters, digits and '_'", r->id ? r->id : "");
        for (j = 0; j < existing->n; j++)
            if (!strcmp(existing->ids[j], r->id))
                return pcsm_error__set(ctx, PCSM_EINVALID, "revision %s is in %s already "
                                       "(%s): nothing written", r->id, dir,
                                       existing->files[j]);
        if (known_id(existing, revs, i, r->id))
            return pcsm_error__set(ctx, PCSM_EINVALID, "revision %s is given twice", r->id);
        if (r->create_date && !valid_date(r->create_date))
            return pcsm_error__set(ctx, PCSM_EINVALID, "revision %s: malformed create date "
                                   "'%s': expected YYYY-MM-DD HH:MM:SS[.ffffff][+HH:MM]",
                                   r->id, r->create_date);
        for (j = 0; j < r->n_parents; j++) {
            if (!valid_id(r->parents[j]) || !known_id(existing, revs, n, r->parents[j]))
                return pcsm_error__set(ctx, PCSM_EINVALID, "revision %s revises '%s', which "
                                       "is neither in %s nor imported with it", r->id,
                                       r->parents[j], dir);
            for (k = 0; k < j; k++)
                if (!strcmp(r->parents[k], r->parents[j]))
                    return pcsm_error__set(ctx, PCSM_EINVALID, "revision %s revises %s "
                                           "twice", r->id, r->parents[j]);
            if (!strcmp(r->parents[j], r->id))
                return pcsm_error__set(ctx, PCSM_EINVALID, "revision %s revises itself",
                                       r->id);
        }
    }
    return 0;
}

/* The file of one revision: its name (<id>_<slug>.c) and its text. */
static int render_rev(pcsm_ctx *ctx, const pcsm_scaffold_rev *r, const char *now,
                      pcsm_buf *name, pcsm_buf *text)
{
    pcsm_buf description = PCSM_BUF_INIT, revises = PCSM_BUF_INIT, date = PCSM_BUF_INIT;
    size_t i;
    int rc = pcsm_scaffold__description(ctx, r->message ? r->message : "", &description);

    if (rc < 0) {
        char *why = pcsm__xstrdup(pcsm_error_last(ctx)->message);

        rc = pcsm_error__set(ctx, PCSM_EINVALID, "revision %s: %s", r->id, why);
        free(why);
    } else {
        const char *values[6];

        for (i = 0; i < r->n_parents; i++)
            pcsm_buf_printf(&revises, "%s%s", i ? ", " : "", r->parents[i]);
        if (!r->n_parents)
            pcsm_buf_puts(&revises, "None");
        values[0] = description.ptr;
        values[1] = r->id;
        values[2] = revises.ptr;
        /* The template has no Flags line: it follows the date (not rescanned, see above). */
        pcsm_buf_puts(&date, r->create_date ? r->create_date : now);
        if (r->nontransactional)
            pcsm_buf_puts(&date, "\n * Flags: nontransactional");
        values[3] = date.ptr;
        values[4] = r->upgrade ? r->upgrade : empty_upgrade;
        values[5] = r->downgrade ? r->downgrade : empty_downgrade;
        fill_template(text, values);
        pcsm_buf_printf(name, "%s_", r->id);
        put_slug(name, r->message ? r->message : "");
        pcsm_buf_puts(name, ".c");
    }
    pcsm_buf_dispose(&description);
    pcsm_buf_dispose(&revises);
    pcsm_buf_dispose(&date);
    return rc;
}

int pcsm_scaffold_write_revs(pcsm_ctx *ctx, const char *dir, const pcsm_scaffold_rev *revs,
                             size_t n, char ***paths_out)
{
    pcsm_dir_revs existing = { 0 };
    struct list_lock lock = { .fd = -1, .text = PCSM_BUF_INIT };
    pcsm_buf list = PCSM_BUF_INIT, next = PCSM_BUF_INIT;
    char **paths = pcsm__xcalloc(n + 1, sizeof(*paths));
    bool *created = pcsm__xcalloc(n + 1, sizeof(*created));
    char now[40];
    time_t t = time(NULL);
    struct stat st;
    struct tm tm;
    size_t i;
    int rc, err;

    *paths_out = NULL;
    gmtime_r(&t, &tm);
    strftime(now, sizeof(now), "%Y-%m-%d %H:%M:%S+00:00", &tm);
    err = stat(dir, &st) < 0 ? errno : S_ISDIR(st.st_mode) ? 0 : ENOTDIR;
    if (err) {
        rc = pcsm_error__set(ctx, PCSM_EINVALID, "cannot open the migrations directory %s: %s",
                             dir, strerror(err));
        goto done;
    }
    rc = list_lock(ctx, dir, &lock);
    if (rc == 0)
        rc = pcsm_scaffold_read(ctx, dir, &existing);
    if (rc == 0)
        rc = check_revs(ctx, dir, &existing, revs, n);
    if (rc < 0)
        goto done;
    pcsm_buf_put(&list, lock.text.ptr, lock.text.len);
    for (i = 0; i < n && rc == 0; i++) {
        pcsm_buf name = PCSM_BUF_INIT, text = PCSM_BUF_INIT;
        int fd;

        rc = render_rev(ctx, &revs[i], now, &name, &text);
        if (rc == 0) {
            paths[i] = path_join(dir, name.ptr);
            /* O_EXCL: a file (or link) of that name is never written through. */
            fd = open(paths[i], O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0644);
            created[i] = fd >= 0;
            if (fd < 0 || write_all(fd, text.ptr, text.len) < 0 || fsync(fd) < 0 ||
                close_fd(&fd) < 0) {
                rc = pcsm_error__set(ctx, PCSM_ERROR, "cannot write %s: %s", paths[i],
                                     strerror(errno));
                if (fd >= 0)
                    close(fd);
            }
        }
        if (rc == 0) {
            pcsm_buf_clear(&next);
            if (pcsm_scaffold__list_insert(list.ptr, list.len, name.ptr, &next)) {
                pcsm_buf tmp = list;

                list = next;
                next = tmp;
            }
        }
        pcsm_buf_dispose(&name);
        pcsm_buf_dispose(&text);
    }
    if (rc == 0)
        rc = list_replace(ctx, &lock, &list);
    if (rc == 0) {
        *paths_out = paths;
        paths = NULL;
    }
done:
    for (i = 0; paths && i < n; i++) {
        if (created[i])
            unlink(paths[i]);       /* nothing is left behind */
        free(paths[i]);
    }
    free(paths);
    free(created);
    list_unlock(&lock);
    pcsm_dir_revs_dispose(&existing);
    pcsm_buf_dispose(&list);
    pcsm_buf_dispose(&next);
    return rc;
}
