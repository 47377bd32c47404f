/*
 * Unit tests for scaffold.c: the header reader and the description rule on
 * the cases shared with the generator's tests (tests/scaffold/
 * header_cases.txt and message_cases.txt), the list insertion on every
 * layout a revisions.txt can have, and pcsm_scaffold_write() and
 * pcsm_scaffold_read() in scratch directories, each of their refusals made
 * to happen.  The end to end side (the real command,
 * concurrent runs, the build) is tests/scaffold/test_scaffold_build.py.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "core/core.h"
#include "pcsm/scaffold.h"
#include "devtools/devtools.h"
#include "support.h"

/* ------------------------------------------------------------ shared cases */

struct scase {
    char *name;
    char *keys[8], *values[8];  /* values unescaped; value_len[i] bytes */
    size_t value_len[8], n;
    char *text;                 /* after "---", or NULL */
    size_t text_len;
};

/* \r, \n, \t, \xHH and \\ of the case files, into out (NUL-terminated). */
static size_t unescape(const char *s, size_t len, char *out)
{
    size_t i, n = 0;

    for (i = 0; i < len; i++) {
        if (s[i] == '\\' && i + 1 < len && strchr("rnt\\", s[i + 1])) {
            out[n++] = s[i + 1] == 'r' ? '\r' : s[i + 1] == 'n' ? '\n'
                     : s[i + 1] == 't' ? '\t' : '\\';
            i++;
        } else if (s[i] == '\\' && i + 3 < len && s[i + 1] == 'x') {
            char hex[3] = { s[i + 2], s[i + 3], 0 };

            out[n++] = (char)strtol(hex, NULL, 16);
            i += 3;
        } else {
            out[n++] = s[i];
        }
    }
    out[n] = '\0';
    return n;
}

/* The cases of tests/scaffold/<file>, read as tests/scaffold/cases.py does. */
static struct scase *read_cases(const char *file, size_t *n_out)
{
    char path[4096], *data, *line, *next;
    struct scase *cases = NULL, *c = NULL;
    size_t n = 0;
    bool in_text = false;

    snprintf(path, sizeof(path), "%s/tests/scaffold/%s", getenv("PCSM_TEST_SOURCE_ROOT"), file);
    data = test_read_file(path);
    for (line = data; *line; line = next) {
        size_t len = strcspn(line, "\n");

        next = line + len + (line[len] == '\n');
        if (!strncmp(line, "=== ", 4)) {
            cases = realloc(cases, (n + 1) * sizeof(*cases));
            c = &cases[n++];
            memset(c, 0, sizeof(*c));
            c->name = strndup(line + 4, len - 4);
            in_text = false;
        } else if (!c) {
            continue;
        } else if (in_text) {
            c->text = realloc(c->text, c->text_len + len + 2);
            c->text_len += unescape(line, len, c->text + c->text_len);
            c->text[c->text_len++] = '\n';
            c->text[c->text_len] = '\0';
        } else if (len == 3 && !strncmp(line, "---", 3)) {
            in_text = true;
            c->text = strdup("");
        } else if (len > 0) {
            size_t colon = strcspn(line, ":"), skip = colon + 1;

            ck_assert_int_lt((int)c->n, 8);
            if (skip < len && line[skip] == ' ')
                skip++;
            c->keys[c->n] = strndup(line, colon);
            c->values[c->n] = malloc(len - skip + 1);
            c->value_len[c->n] = unescape(line + skip, len - skip, c->values[c->n]);
            c->n++;
        }
    }
    /* Blank lines at the end of a text are the case files' spacing. */
    for (size_t i = 0; i < n; i++)
        while (cases[i].text && cases[i].text_len >= 2 &&
               !strcmp(cases[i].text + cases[i].text_len - 2, "\n\n"))
            cases[i].text[--cases[i].text_len] = '\0';
    free(data);
    *n_out = n;
    return cases;
}

static const char *value(const struct scase *c, const char *key)
{
    size_t i;

    for (i = 0; i < c->n; i++)
        if (!strcmp(c->keys[i], key))
            return c->values[i];
    ck_abort_msg("case %s has no %s", c->name, key);
    return NULL;
}

static void free_cases(struct scase *cases, size_t n)
{
    size_t i, j;

    for (i = 0; i < n; i++) {
        for (j = 0; j < cases[i].n; j++) {
            free(cases[i].keys[j]);
            free(cases[i].values[j]);
        }
        free(cases[i].name);
        free(cases[i].text);
    }
    free(cases);
}

static void assert_field(const char *name, const char *what, const char *got, const char *want)
{
    if (!strcmp(want, "(none)"))
        ck_assert_msg(got == NULL, "%s: %s read as '%s', expected none", name, what, got);
    else
        ck_assert_msg(got && !strcmp(got, want), "%s: %s read as '%s', expected '%s'", name,
                      what, got ? got : "(none)", want);
}

START_TEST(test_scaffold_header_cases)
{
    size_t n, i;
    struct scase *cases = read_cases("header_cases.txt", &n);

    ck_assert_int_ge((int)n, 20);
    for (i = 0; i < n; i++) {
        char *id, *revises;

        ck_assert_ptr_nonnull(cases[i].text);
        pcsm_scaffold__read_header(cases[i].text, cases[i].text_len, &id, &revises);
        assert_field(cases[i].name, "Revision ID", id, value(&cases[i], "id"));
        assert_field(cases[i].name, "Revises", revises, value(&cases[i], "revises"));
        free(id);
        free(revises);
    }
    free_cases(cases, n);
}
END_TEST

START_TEST(test_scaffold_message_cases)
{
    pcsm_ctx *ctx;
    size_t n, i;
    struct scase *cases = read_cases("message_cases.txt", &n);

    ck_assert_int_eq(pcsm_ctx_new(&ctx, NULL, 0), 0);
    ck_assert_int_ge((int)n, 30);
    for (i = 0; i < n; i++) {
        pcsm_buf out = PCSM_BUF_INIT;
        const char *want = value(&cases[i], "written");
        int rc = pcsm_scaffold__description(ctx, value(&cases[i], "message"), &out);

        if (!strcmp(want, "(refused)")) {
            ck_assert_msg(rc == PCSM_EINVALID, "%s: accepted as '%s'", cases[i].name, out.ptr);
            ck_assert_int_eq((int)out.len, 0);
        } else {
            ck_assert_msg(rc == 0, "%s: %s", cases[i].name, pcsm_error_last(ctx)->message);
            ck_assert_msg(!strcmp(out.ptr, want), "%s: written '%s', expected '%s'",
                          cases[i].name, out.ptr, want);
        }
        pcsm_buf_dispose(&out);
    }
    pcsm_scaffold__description(ctx, "", &(pcsm_buf)PCSM_BUF_INIT);
    ck_assert_str_eq(pcsm_error_last(ctx)->message,
                     "the message is blank: say in a few words what the revision does");
    pcsm_scaffold__description(ctx, "caf\xe9", &(pcsm_buf)PCSM_BUF_INIT);
    ck_assert_str_eq(pcsm_error_last(ctx)->message, "the message is not valid UTF-8");
    pcsm_ctx_free(ctx);
    free_cases(cases, n);
}
END_TEST

/* ------------------------------------------------------------ the list */

START_TEST(test_scaffold_list_insert_layouts)
{
    static const struct {
        const char *what, *before, *name, *after;
    } cases[] = {
        { "empty file", "", "b.c", "b.c\n" },
        { "sorted middle", "a.c\nc.c\n", "b.c", "a.c\nb.c\nc.c\n" },
        { "first", "b.c\nc.c\n", "a.c", "a.c\nb.c\nc.c\n" },
        { "last", "a.c\nb.c\n", "c.c", "a.c\nb.c\nc.c\n" },
        { "no final newline, appended", "a.c", "b.c", "a.c\nb.c\n" },
        { "no final newline, inserted", "b.c\nc.c", "a.c", "a.c\nb.c\nc.c\n" },
        { "comments and blank lines kept",
          "# the list\n\n# first\na.c\n\n# second\nc.c\n# end\n", "b.c",
          "# the list\n\n# first\na.c\n\n# second\nb.c\nc.c\n# end\n" },
        { "after the last name, before trailing comments",
          "a.c\n# trailing\n\n", "b.c", "a.c\nb.c\n# trailing\n\n" },
        { "comments only", "# nothing yet\n", "a.c", "# nothing yet\na.c\n" },
        { "comments only, no final newline", "# nothing yet", "a.c", "# nothing yet\na.c\n" },
        { "CRLF", "# x\r\na.c\r\nc.c\r\n", "b.c", "# x\r\na.c\r\nb.c\r\nc.c\r\n" },
        { "CRLF, no final newline", "a.c\r\nb.c", "c.c", "a.c\r\nb.c\r\nc.c\r\n" },
        { "indented and spaced", "  a.c  \n\tc.c\t\n", "b.c", "  a.c  \nb.c\n\tc.c\t\n" },
        { "a comment not at column 1", "   # c.c\na.c\n", "b.c", "   # c.c\na.c\nb.c\n" },
        { "unsorted: before the first greater name", "d.c\na.c\n", "b.c", "b.c\nd.c\na.c\n" },
        { "lone CR line breaks", "a.c\rc.c\r", "b.c", "a.c\rc.c\r\nb.c\n" },
        { "lone CR, then a greater line", "a.c\rb.c\nd.c\n", "c.c", "a.c\rb.c\nc.c\nd.c\n" },
        { "prefix sorts first", "ab.c\n", "a.c", "a.c\nab.c\n" },
        { "unicode white space around a name", "\xc2\xa0" "a.c\xe3\x80\x80\nc.c\n", "b.c",
          "\xc2\xa0" "a.c\xe3\x80\x80\nb.c\nc.c\n" },
    };
    size_t i;

    for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        pcsm_buf out = PCSM_BUF_INIT;

        ck_assert_msg(pcsm_scaffold__list_insert(cases[i].before, strlen(cases[i].before),
                                                 cases[i].name, &out), "%s", cases[i].what);
        ck_assert_msg(!strcmp(out.ptr, cases[i].after), "%s: got '%s'", cases[i].what, out.ptr);
        pcsm_buf_dispose(&out);
    }
}
END_TEST

START_TEST(test_scaffold_list_insert_listed_already)
{
    static const char *const lists[] = {
        "a.c\nb.c\n", "  b.c\r\n", "a.c\rb.c", "x.c\n b.c \n",
    };
    size_t i;

    for (i = 0; i < sizeof(lists) / sizeof(lists[0]); i++) {
        pcsm_buf out = PCSM_BUF_INIT;

        ck_assert_msg(!pcsm_scaffold__list_insert(lists[i], strlen(lists[i]), "b.c", &out),
                      "%s", lists[i]);
        ck_assert_int_eq((int)out.len, 0);
    }
    /* Commented out is not listed. */
    {
        pcsm_buf out = PCSM_BUF_INIT;

        ck_assert(pcsm_scaffold__list_insert("#b.c\n", 5, "b.c", &out));
        ck_assert_str_eq(out.ptr, "#b.c\nb.c\n");
        pcsm_buf_dispose(&out);
    }
}
END_TEST

/* Bytes that are not text, NUL included, are kept as they are. */
START_TEST(test_scaffold_list_insert_binary)
{
    static const char before[] = "a.c\n\0\xff\n" "c.c";
    static const char after[] = "a.c\n\0\xff\n" "b.c\nc.c\n";
    pcsm_buf out = PCSM_BUF_INIT;

    ck_assert(pcsm_scaffold__list_insert(before, sizeof(before) - 1, "b.c", &out));
    ck_assert_int_eq((int)out.len, (int)sizeof(after) - 1);
    ck_assert(!memcmp(out.ptr, after, out.len));
    pcsm_buf_dispose(&out);
}
END_TEST

/* ------------------------------------------------------------ in a directory */

static pcsm_ctx *ctx;
static char dir[64];

static void write_file(const char *name, const char *text)
{
    char path[256];
    FILE *f;

    snprintf(path, sizeof(path), "%s/%s", dir, name);
    f = fopen(path, "w");
    ck_assert_ptr_nonnull(f);
    fputs(text, f);
    ck_assert_int_eq(fclose(f), 0);
}

static char *read_in_dir(const char *name)
{
    char path[256];

    snprintf(path, sizeof(path), "%s/%s", dir, name);
    return test_read_file(path);
}

static void header_file(const char *id, const char *revises)
{
    char name[64], text[512];

    snprintf(name, sizeof(name), "%s_x.c", id);
    snprintf(text, sizeof(text), "/*\n * x\n *\n * Revision ID: %s\n * Revises: %s\n"
             " * Create Date: 2026-01-01 00:00:00\n */\n", id, revises);
    write_file(name, text);
}

/* How many entries dir/sub has (dot files too). */
static int entries_in(const char *sub)
{
    char cmd[400];
    FILE *p;
    int n = -1;

    snprintf(cmd, sizeof(cmd), "ls -A '%s/%s' | wc -l", dir, sub);
    p = popen(cmd, "r");
    ck_assert_int_eq(fscanf(p, "%d", &n), 1);
    pclose(p);
    return n;
}

static int entries(void)
{
    return entries_in(".");
}

static void dir_setup(void)
{
    ck_assert_int_eq(pcsm_ctx_new(&ctx, NULL, 0), 0);
    snprintf(dir, sizeof(dir), "/tmp/pcsm-unit-scaffold-XXXXXX");
    ck_assert_ptr_nonnull(mkdtemp(dir));
}

/* dir/name, in out (300 bytes). */
static char *in_dir(char *out, const char *name)
{
    snprintf(out, 300, "%s/%s", dir, name);
    return out;
}

static void dir_teardown(void)
{
    char cmd[128];

    pcsm_ctx_free(ctx);
    snprintf(cmd, sizeof(cmd), "rm -rf '%s'", dir);
    ck_assert_int_eq(system(cmd), 0);
}

static int write_rev(const char *message, const char *const *parents, size_t n,
                     char **path)
{
    return pcsm_scaffold_write(ctx, dir, message, parents, n, path);
}

static const char *message(void)
{
    return pcsm_error_last(ctx)->message;
}

static int cmp_names(const void *a, const void *b)
{
    return strcmp(*(const char *const *)a, *(const char *const *)b);
}

/* Three in a row: each revises the one before, each listed in order of its name. */
START_TEST(test_scaffold_write_chains_and_lists)
{
    char *paths[3], *list, *text, want[128];
    pcsm_dir_revs revs;
    size_t i;

    write_file("revisions.txt", "# the list\n");
    for (i = 0; i < 3; i++)
        ck_assert_msg(write_rev("step", NULL, 0, &paths[i]) == 0, "%s", message());
    text = test_read_file(paths[0]);
    ck_assert_ptr_nonnull(strstr(text, " * Revises: None\n"));
    free(text);
    for (i = 1; i < 3; i++) {
        text = test_read_file(paths[i]);
        snprintf(want, sizeof(want), " * Revises: %.12s\n", strrchr(paths[i - 1], '/') + 1);
        ck_assert_ptr_nonnull(strstr(text, want));
        free(text);
    }
    ck_assert_int_eq(pcsm_scaffold_read(ctx, dir, &revs), 0);
    ck_assert_int_eq((int)revs.n, 3);
    ck_assert_int_eq((int)revs.n_heads, 1);
    ck_assert(!strncmp(revs.heads[0], strrchr(paths[2], '/') + 1, 12));
    pcsm_dir_revs_dispose(&revs);
    /* Listed once each, sorted, after the comment. */
    list = read_in_dir("revisions.txt");
    {
        const char *names[3];
        const char *p = list + strlen("# the list\n");

        for (i = 0; i < 3; i++)
            names[i] = strrchr(paths[i], '/') + 1;
        qsort(names, 3, sizeof(*names), cmp_names);
        ck_assert(!strncmp(list, "# the list\n", 11));
        for (i = 0; i < 3; i++) {
            ck_assert(!strncmp(p, names[i], strlen(names[i])));
            p += strlen(names[i]);
            ck_assert_int_eq(*p++, '\n');
        }
        ck_assert_int_eq(*p, '\0');
    }
    free(list);
    for (i = 0; i < 3; i++)
        free(paths[i]);
}
END_TEST

START_TEST(test_scaffold_write_refusals)
{
    char *path = (char *)"untouched", list[300], other[300], want[1024];
    const char *const heads[] = { "aaaa" }, *const not_head[] = { "9999" };

    in_dir(list, "revisions.txt");
    /* A directory that is not there, or not a directory. */
    ck_assert_int_eq(pcsm_scaffold_write(ctx, "/nonexistent/pcsm", "x", NULL, 0, &path),
                     PCSM_EINVALID);
    ck_assert_ptr_null(path);
    ck_assert_str_eq(message(), "cannot open the migrations directory /nonexistent/pcsm: "
                     "No such file or directory");
    write_file("plain", "");
    ck_assert_int_eq(pcsm_scaffold_write(ctx, in_dir(other, "plain"), "x", NULL, 0, &path),
                     PCSM_EINVALID);
    ck_assert_ptr_nonnull(strstr(message(), "plain: Not a directory"));
    unlink(other);

    /* A blank message, before anything is looked at. */
    ck_assert_int_eq(write_rev(" \t\n", NULL, 0, &path), PCSM_EINVALID);
    ck_assert_ptr_nonnull(strstr(message(), "the message is blank"));

    /* No list: what to create, and nothing left behind. */
    header_file("aaaa", "None");
    ck_assert_int_eq(write_rev("x", NULL, 0, &path), PCSM_EINVALID);
    snprintf(want, sizeof(want), "%s is missing: a migrations directory lists its revision "
             "files there, one name per line; create it with (cd %s && ls *.c > "
             "revisions.txt)", list, dir);
    ck_assert_str_eq(message(), want);
    ck_assert_int_eq(entries(), 1);
    /* A link to nothing is missing too; a loop of links cannot be resolved. */
    ck_assert_int_eq(symlink(in_dir(other, "nowhere"), list), 0);
    ck_assert_int_eq(write_rev("x", NULL, 0, &path), PCSM_EINVALID);
    ck_assert_ptr_nonnull(strstr(message(), "revisions.txt is missing"));
    unlink(list);
    ck_assert_int_eq(symlink("revisions.txt", list), 0);
    ck_assert_int_eq(write_rev("x", NULL, 0, &path), PCSM_EINVALID);
    snprintf(want, sizeof(want), "cannot resolve %s: Too many levels of symbolic links", list);
    ck_assert_str_eq(message(), want);
    unlink(list);
    /* Not a regular file: a directory, a FIFO (which must not hang the open). */
    ck_assert_int_eq(mkdir(list, 0755), 0);
    ck_assert_int_eq(write_rev("x", NULL, 0, &path), PCSM_EINVALID);
    snprintf(want, sizeof(want), "cannot open, lock and read the revision list %s: "
             "Is a directory", list);
    ck_assert_str_eq(message(), want);
    ck_assert_int_eq(rmdir(list), 0);
    ck_assert_int_eq(mkfifo(list, 0644), 0);
    ck_assert_int_eq(write_rev("x", NULL, 0, &path), PCSM_EINVALID);
    snprintf(want, sizeof(want), "cannot open, lock and read the revision list %s: "
             "not a regular file", list);
    ck_assert_str_eq(message(), want);
    unlink(list);
    ck_assert_int_eq(entries(), 1);

    /* Several heads, when the head is asked for: the merge that joins them. */
    write_file("revisions.txt", "aaaa_x.c\nbbbb_x.c\ncccc_x.c\n");
    header_file("bbbb", "aaaa");
    header_file("cccc", "aaaa");
    ck_assert_int_eq(write_rev("x", NULL, 0, &path), PCSM_EMULTIPLEHEADS);
    snprintf(want, sizeof(want), "%s has 2 heads; join them first: pcs-migrate merge -m "
             "\"merge heads\" bbbb cccc", dir);
    ck_assert_str_eq(message(), want);
    /* A parent that is not a head (any more). */
    ck_assert_int_eq(write_rev("x", heads, 1, &path), PCSM_EINVALID);
    snprintf(want, sizeof(want), "aaaa is not a head of %s (any more)", dir);
    ck_assert_str_eq(message(), want);
    ck_assert_int_eq(write_rev("x", not_head, 1, &path), PCSM_EINVALID);
    ck_assert_ptr_nonnull(strstr(message(), "9999 is not a head of"));
    ck_assert_int_eq(entries(), 4);
    ck_assert_ptr_null(path);
}
END_TEST

/* A file whose header cannot be read is named; a file that is no migration is skipped. */
START_TEST(test_scaffold_read_tolerance)
{
    pcsm_dir_revs revs;
    char path[300], *out = NULL;

    header_file("aaaa", "None");
    /* Not migrations, for the generator either: skipped. */
    ck_assert_int_eq(mkdir(in_dir(path, "dir.c"), 0755), 0);
    ck_assert_int_eq(symlink("/nonexistent/pcsm.c", in_dir(path, "dangling.c")), 0);
    write_file(".#aaaa_x.c", "an editor's lock");
    write_file("notes.txt", "not a .c file");
    /* A field-like description before the fields (what the scaffold wrote
     * before): read, the first Revises counting, as in the generator. */
    write_file("bbbb_old.c", "/*\n * Revises: None\n *\n * Revision ID: bbbb\n"
               " * Revises: aaaa\n * Create Date: 2026-01-01 00:00:00\n */\n");
    ck_assert_msg(pcsm_scaffold_read(ctx, dir, &revs) == 0, "%s", message());
    ck_assert_int_eq((int)revs.n, 2);
    ck_assert_str_eq(revs.files[0], "aaaa_x.c");
    ck_assert_str_eq(revs.files[1], "bbbb_old.c");
    ck_assert_int_eq((int)revs.n_heads, 2);
    pcsm_dir_revs_dispose(&revs);

    /* No header the build reads: named, with what to do; the scaffold stops on it. */
    write_file("cccc_broken.c", "/* Revision ID: cccc */\n");
    ck_assert_int_eq(pcsm_scaffold_read(ctx, dir, &revs), PCSM_EINVALID);
    ck_assert_ptr_nonnull(strstr(message(), "/cccc_broken.c: no \"Revision ID:\" and "
                                 "\"Revises:\" header lines that the build reads; fix that "
                                 "file first"));
    unlink(in_dir(path, "cccc_broken.c"));
    /* An id the generator refuses is not one to revise. */
    write_file("cccc_broken.c", "/*\n * x\n *\n * Revision ID: c-c\n * Revises: aaaa\n */\n");
    ck_assert_int_eq(pcsm_scaffold_read(ctx, dir, &revs), PCSM_EINVALID);
    ck_assert_ptr_nonnull(strstr(message(), "/cccc_broken.c: its Revision ID is not 1 to 32 "
                                 "letters, digits and '_'; fix that file first"));
    write_file("cccc_broken.c", "/*\n * x\n *\n * Revision ID:\n * Revises: aaaa\n */\n");
    ck_assert_int_eq(pcsm_scaffold_read(ctx, dir, &revs), PCSM_EINVALID);
    ck_assert_ptr_nonnull(strstr(message(), "/cccc_broken.c: its Revision ID is not"));
    write_file("cccc_broken.c", "/*\n * x\n *\n * Revision ID: 012345678901234567890123456789012"
               "\n * Revises: aaaa\n */\n");
    ck_assert_int_eq(pcsm_scaffold_read(ctx, dir, &revs), PCSM_EINVALID);
    write_file("revisions.txt", "aaaa_x.c\nbbbb_old.c\ncccc_broken.c\n");
    ck_assert_int_eq(pcsm_scaffold_write(ctx, dir, "x", NULL, 0, &out), PCSM_EINVALID);
    ck_assert_ptr_null(out);
    out = read_in_dir("revisions.txt");
    ck_assert_str_eq(out, "aaaa_x.c\nbbbb_old.c\ncccc_broken.c\n");
    free(out);
    unlink(in_dir(path, "cccc_broken.c"));

    /* A file that cannot be read (procfs memory: reads fail with EIO). */
    ck_assert_int_eq(symlink("/proc/self/mem", in_dir(path, "mem.c")), 0);
    ck_assert_int_eq(pcsm_scaffold_read(ctx, dir, &revs), PCSM_ERROR);
    ck_assert_ptr_nonnull(strstr(message(), "/mem.c: Input/output error"));
    unlink(path);

    /* An empty directory: no revision, no head. */
    ck_assert_int_eq(pcsm_scaffold_read(ctx, in_dir(path, "dir.c"), &revs), 0);
    ck_assert_int_eq((int)revs.n, 0);
    ck_assert_int_eq((int)revs.n_heads, 0);
    pcsm_dir_revs_dispose(&revs);
}
END_TEST

/* The list cannot be read once open (procfs memory again). */
START_TEST(test_scaffold_list_unreadable)
{
    char path[300], *out = NULL;

    ck_assert_int_eq(symlink("/proc/self/mem", in_dir(path, "revisions.txt")), 0);
    ck_assert_int_eq(write_rev("x", NULL, 0, &out), PCSM_EINVALID);
    ck_assert_ptr_nonnull(strstr(message(), "cannot open, lock and read the revision list "
                                 "/proc/"));
    ck_assert_ptr_nonnull(strstr(message(), "/mem: Input/output error"));
    ck_assert_int_eq(entries(), 1);
}
END_TEST

/* Through a symbolic link into another directory: the link stays, its target
 * is replaced with its mode kept, and no temporary file is left anywhere. */
START_TEST(test_scaffold_list_through_a_link)
{
    char path[300], target[300], *out = NULL, *text, want[128];
    struct stat st;

    ck_assert_int_eq(mkdir(in_dir(path, "lists"), 0755), 0);
    write_file("lists/pcs.list", "");
    ck_assert_int_eq(chmod(in_dir(target, "lists/pcs.list"), 0640), 0);
    ck_assert_int_eq(symlink("lists/pcs.list", in_dir(path, "revisions.txt")), 0);
    ck_assert_msg(write_rev("linked", NULL, 0, &out) == 0, "%s", message());
    ck_assert_int_eq(lstat(path, &st), 0);
    ck_assert(S_ISLNK(st.st_mode));
    ck_assert_int_eq(stat(target, &st), 0);
    ck_assert_int_eq((int)(st.st_mode & 07777), 0640);
    text = test_read_file(target);
    snprintf(want, sizeof(want), "%s\n", strrchr(out, '/') + 1);
    ck_assert_str_eq(text, want);
    free(text);
    free(out);
    ck_assert_int_eq(entries(), 3);         /* lists/, the link, the new file */
    ck_assert_int_eq(entries_in("lists"), 1);
}
END_TEST

static Suite *scaffold_suite(void)
{
    Suite *s = suite_create("scaffold");
    TCase *tc = tcase_create("pure");
    TCase *td = tcase_create("directory");

    tcase_add_test(tc, test_scaffold_header_cases);
    tcase_add_test(tc, test_scaffold_message_cases);
    tcase_add_test(tc, test_scaffold_list_insert_layouts);
    tcase_add_test(tc, test_scaffold_list_insert_listed_already);
    tcase_add_test(tc, test_scaffold_list_insert_binary);
    suite_add_tcase(s, tc);
    tcase_add_checked_fixture(td, dir_setup, dir_teardown);
    tcase_add_test(td, test_scaffold_write_chains_and_lists);
    tcase_add_test(td, test_scaffold_write_refusals);
    tcase_add_test(td, test_scaffold_read_tolerance);
    tcase_add_test(td, test_scaffold_list_unreadable);
    tcase_add_test(td, test_scaffold_list_through_a_link);
    suite_add_tcase(s, td);
    return s;
}

int main(void)
{
    return test_run_suite(scaffold_suite());
}
