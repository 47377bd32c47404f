/*
 * The library context and its error model, decided once for every module:
 * a function that can fail returns int, 0 on success or a negative PCSM_E*
 * code, and sets the context's error; the details (message, and the
 * server's SQLSTATE, DETAIL, HINT and failed statement when they came from
 * PostgreSQL) are kept on the pcsm_ctx and read with pcsm_error_last().
 * Nothing else reports an error: no global, no errno, no event (events are
 * progress and warnings).  A caller that adds context on the way up puts it
 * before the message ("target 'x': no revision 'x'") and keeps the code and
 * the server's fields.  The library never prints and never exits.
 */
#ifndef PCSM_ERROR_H
#define PCSM_ERROR_H

#include <stddef.h>

#include "revision.h"

#ifdef __cplusplus
extern "C" {
#endif

enum {
    PCSM_OK = 0,
    PCSM_ERROR = -1,            /* anything not listed below */
    PCSM_EINVALID = -2,         /* malformed input: a target, an option, a definition */
    PCSM_ENOTFOUND = -3,        /* no revision by that id or prefix */
    PCSM_EAMBIGUOUS = -4,       /* a prefix or a relative step with several answers */
    PCSM_EMULTIPLEHEADS = -5,   /* "head" asked for while the graph has several */
    PCSM_ENOTANCESTOR = -6,     /* a target on the wrong side of the current revision */
    PCSM_EMIGRATION = -7,       /* a revision's upgrade()/downgrade() recorded an invalid op */
    PCSM_EDB = -8,              /* the server refused or failed a statement */
    PCSM_EUNREACHABLE = -9,     /* no connection to the server (after --wait, if any) */
    PCSM_ELOCK = -10,           /* a lock not obtained in time: the migration lock, or
                                 * a table's for a revision (lock_timeout, 55P03) */
    PCSM_EINCONSISTENT = -11,   /* the database is in a state this binary refuses */
    PCSM_EINTERRUPTED = -12,    /* stopped by pcsm_db_interrupt(); rolled back */
};

typedef struct pcsm_error {
    int code;                   /* PCSM_E*, negative; PCSM_OK when nothing failed */
    const char *message;        /* one line, no trailing newline; never NULL */
    const char *sqlstate;       /* PG_DIAG_SQLSTATE, or NULL */
    const char *detail;         /* PG_DIAG_MESSAGE_DETAIL, or NULL */
    const char *hint;           /* PG_DIAG_MESSAGE_HINT, or NULL */
    const char *statement;      /* the SQL that failed, or NULL */
} pcsm_error;

/* A context: the compiled revision graph plus the last error.  Opaque. */
typedef struct pcsm_ctx pcsm_ctx;

/*
 * Builds a context over `revs` (a registry: n revisions in topological
 * order, which must outlive the context).  Fails with PCSM_EINVALID when the
 * registry is not a valid graph; *out is then still a context that only
 * reports the error, to be freed like any other.
 */
PCSM_API int pcsm_ctx_new(pcsm_ctx **out, const pcsm_revision *revs, size_t n);
PCSM_API void pcsm_ctx_free(pcsm_ctx *ctx);

/* The last error; never NULL, owned by ctx, valid until the next failing call. */
PCSM_API const pcsm_error *pcsm_error_last(const pcsm_ctx *ctx);

#ifdef __cplusplus
}
#endif

#endif /* PCSM_ERROR_H */
