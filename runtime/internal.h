/*
 * Declarations shared between the runtime's modules and never installed:
 * the context's layout, error setters, allocation helpers, and the recorded
 * operations behind pcsm_op.  Names are pcsm_<module>__<name>.
 */
#ifndef PCSM_INTERNAL_H
#define PCSM_INTERNAL_H

#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>

#include "pcsm/pcsm.h"

#if defined(__GNUC__)
#define PCSM_PRINTF(f, a) __attribute__((format(printf, f, a)))
#else
#define PCSM_PRINTF(f, a)
#endif

struct pcsm_graph;

struct pcsm_ctx {
    const pcsm_revision *revs;  /* the registry, borrowed */
    size_t n_revs;
    struct pcsm_graph *graph;   /* owned; NULL when the registry was invalid */
    pcsm_error err;             /* err.message etc. point into the buffers below */
    pcsm_buf err_message;
    char err_sqlstate[6];
    pcsm_buf err_detail;
    pcsm_buf err_hint;
    pcsm_buf err_statement;
};

/* Allocation that aborts on failure (see buf.h). */
void *pcsm__xmalloc(size_t size);
void *pcsm__xcalloc(size_t n, size_t size);
void *pcsm__xrealloc(void *ptr, size_t size);
char *pcsm__xstrdup(const char *s);
/* Grows *array (of *cap elements of `size`) to hold at least `need`. */
void pcsm__grow(void *array_ptr, size_t *cap, size_t need, size_t size);

/* Sets the context's error and returns `code`, so call sites can `return`. */
int pcsm_error__set(pcsm_ctx *ctx, int code, const char *fmt, ...) PCSM_PRINTF(3, 4);
int pcsm_error__vset(pcsm_ctx *ctx, int code, const char *fmt, va_list ap);
void pcsm_error__clear(pcsm_ctx *ctx);
/* Adds to the last error's message, keeping its code and the server's fields. */
void pcsm_error__append(pcsm_ctx *ctx, const char *fmt, ...) PCSM_PRINTF(2, 3);

/* graph.c: builds ctx->graph from ctx->revs, or fails with PCSM_EINVALID. */
int pcsm_graph__build(pcsm_ctx *ctx);
void pcsm_graph__free(struct pcsm_graph *graph);

/* sql.c: quoting, the same rules online and offline. */
void pcsm_sql__ident(pcsm_buf *out, const char *ident);
void pcsm_sql__literal(pcsm_buf *out, const char *text);
/* Appends `body` dollar-quoted with a tag that does not occur in it. */
void pcsm_sql__dollar_quote(pcsm_buf *out, const char *body);
/* True when s is valid UTF-8 (the encoding every script declares). */
bool pcsm_sql__valid_utf8(const char *s);

/* ddl.c: the recording context behind pcsm_op. */
pcsm_op *pcsm_op__new(const pcsm_revision *rev, enum pcsm_direction direction);
void pcsm_op__free(pcsm_op *op);
/*
 * Runs rev's upgrade() or downgrade() into a new op.  On an invalid
 * operation returns PCSM_EMIGRATION with "<id> <direction>: <op>: <reason>"
 * and *out NULL.
 */
int pcsm_op__record(pcsm_ctx *ctx, const pcsm_revision *rev,
                    enum pcsm_direction direction, pcsm_op **out);
size_t pcsm_op__count(const pcsm_op *op);
/* Appends the SQL of operation i (one or more statements, each ending ";\n"). */
void pcsm_op__render(const pcsm_op *op, size_t i, pcsm_buf *out);
/* Statements operation i renders to (0: unknown, raw SQL). */
size_t pcsm_op__statements(const pcsm_op *op, size_t i);
/* Appends a short description of operation i: create_table "contexts". */
void pcsm_op__describe(const pcsm_op *op, size_t i, pcsm_buf *out);

/* script.c: the version and history table statements, shared online/offline. */
int pcsm_script__check_opts(pcsm_ctx *ctx, const pcsm_script_opts *opts);
void pcsm_script__bootstrap(const pcsm_script_opts *opts, pcsm_buf *out);
/* Returns how many statements it appended. */
size_t pcsm_script__version_delta(const pcsm_script_opts *opts, const pcsm_revset *before,
                                  const pcsm_revset *after, pcsm_buf *out);
/*
 * Several history rows in one statement: the head, then values for each
 * row, comma separated, then ";\n".
 */
void pcsm_script__history_head(const pcsm_script_opts *opts, pcsm_buf *out);
void pcsm_script__history_values(const pcsm_script_opts *opts, const pcsm_revision *rev,
                                 const char *event, const char *sql_sha256,
                                 double duration_ms, const char *host, const char *detail,
                                 pcsm_buf *out);
/* One history row; duration_ms < 0, sql_sha256, host and detail NULL: SQL NULL. */
void pcsm_script__history_insert(const pcsm_script_opts *opts, const pcsm_revision *rev,
                                 const char *event, const char *sql_sha256,
                                 double duration_ms, const char *host, const char *detail,
                                 pcsm_buf *out);
/* Only the version table's, or only the history table's, CREATE TABLE IF NOT EXISTS. */
void pcsm_script__create_version_table(const pcsm_script_opts *opts, pcsm_buf *out);
void pcsm_script__create_history_table(const pcsm_script_opts *opts, pcsm_buf *out);
const char *pcsm_script__version_table(const pcsm_script_opts *opts);
const char *pcsm_script__history_table(const pcsm_script_opts *opts);

/* sha256.c: lowercase hex digest of data. */
void pcsm_sha256__hex(const void *data, size_t len, char out[65]);

#endif /* PCSM_INTERNAL_H */
