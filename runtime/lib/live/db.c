/*
 * The connection to the database being migrated: connecting (with --wait
 * retries for transient failures only), the session settings, statement
 * execution with the server's error fields, the polled migration lock, and
 * reading the version table.  No password ever reaches a message: libpq's
 * own messages name host, port and user only, and the connection string is
 * never repeated.
 */
#include <errno.h>
#include <poll.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>
#include <unistd.h>

#include "live/live.h"

/* First key of the two-key advisory lock: "pcsm" in ASCII. */
#define LOCK_CLASS 1885565805

void pcsm_db_opts_init(pcsm_db_opts *opts)
{
    memset(opts, 0, sizeof(*opts));
    opts->lock_timeout_seconds = 60;
    opts->ddl_lock_timeout_ms = 5000;
    opts->ddl_lock_retries = 3;
}

void pcsm_db__emit(pcsm_db *db, enum pcsm_event_kind kind, const pcsm_revision *rev,
                   enum pcsm_direction direction, double duration_ms, const char *fmt, ...)
{
    pcsm_buf msg = PCSM_BUF_INIT;
    pcsm_event ev;
    va_list ap;

    if (!db->opts.on_event)
        return;
    va_start(ap, fmt);
    pcsm_buf_vprintf(&msg, fmt, ap);
    va_end(ap);
    ev = (pcsm_event){ kind, msg.ptr, rev, direction, duration_ms };
    db->opts.on_event(&ev, db->opts.payload);
    pcsm_buf_dispose(&msg);
}

bool pcsm_db__stopping(const pcsm_db *db)
{
    return db->opts.interrupt && *db->opts.interrupt;
}

double pcsm_db__now_ms(void)
{
    struct timespec ts;

    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec * 1e3 + (double)ts.tv_nsec / 1e6;
}

void pcsm_db__sleep(const pcsm_db *db, long ms)
{
    /* In slices, so that an interrupt is noticed within 50 ms. */
    while (ms > 0 && !pcsm_db__stopping(db)) {
        long slice = ms < 50 ? ms : 50;
        struct timespec ts = { slice / 1000, (slice % 1000) * 1000000L };

        nanosleep(&ts, NULL);
        ms -= slice;
    }
}

static void notice_receiver(void *arg, const PGresult *res)
{
    pcsm_db *db = arg;
    const char *msg = PQresultErrorField(res, PG_DIAG_MESSAGE_PRIMARY);
    const char *severity = PQresultErrorField(res, PG_DIAG_SEVERITY_NONLOCALIZED);

    if (!msg)
        return;
    if (db->hold_notices) {
        pcsm_buf_putc(&db->held_notices, severity && !strcmp(severity, "WARNING") ? 'W' : 'N');
        pcsm_buf_put(&db->held_notices, msg, strlen(msg) + 1);
        return;
    }
    pcsm_db__emit(db, severity && !strcmp(severity, "WARNING") ? PCSM_EVENT_WARNING
                                                               : PCSM_EVENT_NOTICE,
                  NULL, PCSM_UPGRADE, 0, "%s", msg);
}

void pcsm_db__flush_notices(pcsm_db *db)
{
    size_t at = 0;

    while (at < db->held_notices.len) {
        const char *msg = db->held_notices.ptr + at + 1;

        pcsm_db__emit(db, db->held_notices.ptr[at] == 'W' ? PCSM_EVENT_WARNING
                                                          : PCSM_EVENT_NOTICE,
                      NULL, PCSM_UPGRADE, 0, "%s", msg);
        at += 1 + strlen(msg) + 1;
    }
    pcsm_buf_clear(&db->held_notices);
}

static void connection_message(pcsm_db *db, const char *m, pcsm_buf *out);

/*
 * What PgBouncer's errors about its pool mean for the statement: these
 * come before a server connection was found, so the statement never
 * reached the server.  NULL for any other message.
 */
static const char *pooler_hint(const char *primary)
{
    if (!strcmp(primary, "query_wait_timeout"))
        return "PgBouncer found no free server connection within its query_wait_timeout, "
               "so this statement never reached the server. In session pooling each run "
               "keeps a server connection, and a revision outside a transaction needs a "
               "second one: raise default_pool_size above the number of runners";
    if (!strncmp(primary, "pgbouncer cannot connect to server", 34) ||
        !strncmp(primary, "server login has been failing", 29) ||
        !strncmp(primary, "no more connections allowed", 27))
        return "the connection pooler could not give this session a server connection, so "
               "this statement never reached the server";
    return NULL;
}

/* Sets ctx's error from a failed result, with the server's fields. */
int pcsm_db__server_error(pcsm_ctx *ctx, pcsm_db *db, const PGresult *res, const char *sql,
                        const char *what)
{
    const char *primary = res ? PQresultErrorField(res, PG_DIAG_MESSAGE_PRIMARY) : NULL;
    const char *sqlstate = res ? PQresultErrorField(res, PG_DIAG_SQLSTATE) : NULL;
    const char *detail = res ? PQresultErrorField(res, PG_DIAG_MESSAGE_DETAIL) : NULL;
    const char *hint = res ? PQresultErrorField(res, PG_DIAG_MESSAGE_HINT) : NULL;
    const char *severity = res ? PQresultErrorField(res, PG_DIAG_SEVERITY_NONLOCALIZED) : NULL;
    pcsm_buf conn_msg = PCSM_BUF_INIT;
    int code = PCSM_EDB;

    if (!primary) {
        /* No server fields: a client-side failure, the connection's message. */
        connection_message(db, PQerrorMessage(db->conn), &conn_msg);
        primary = conn_msg.ptr;
    }
    /*
     * A FATAL error ends the session (a restart, pg_terminate_backend: 57P01),
     * though libpq marks the connection bad only once it reads the EOF that
     * follows, after this result.  So does class 08, connection exception:
     * PgBouncer sends its own errors as ERROR 08P01 and then hangs up.
     */
    if (PQstatus(db->conn) == CONNECTION_BAD ||
        (severity && (!strcmp(severity, "FATAL") || !strcmp(severity, "PANIC"))) ||
        (sqlstate && !strncmp(sqlstate, "08", 2)))
        code = PCSM_EUNREACHABLE;
    else if (pcsm_db__stopping(db) && sqlstate && !strcmp(sqlstate, "57014"))
        code = PCSM_EINTERRUPTED;
    /* lock_timeout, wherever it struck (a state read behind a reset's DROP,
     * a stamp): a lock not obtained in time, not a failed statement.  A
     * revision's statement gets its retries and its holder in migrate.c. */
    else if (sqlstate && !strcmp(sqlstate, "55P03"))
        code = PCSM_ELOCK;
    if (!hint && sqlstate && !strcmp(sqlstate, "08P01"))
        hint = pooler_hint(primary);
    /* A full lock table (53200 is any shared memory running out; its hint
     * tells which): the server names only the setting, the usual cause is ours. */
    if (sqlstate && !strcmp(sqlstate, "53200") && hint &&
        strstr(hint, "max_locks_per_transaction"))
        hint = "one transaction holds a lock on every table and index each revision in it "
               "touches, and the server's lock table has room for max_locks_per_transaction "
               "x (max_connections + max_prepared_transactions) of them: run long chains "
               "with --transaction-per-migration, or raise max_locks_per_transaction";
    pcsm_error__server(ctx, code, sqlstate, detail, hint, sql, "%s%s%s%s%s%s%s",
                       what ? what : "", what ? ": " : "",
                       code == PCSM_EUNREACHABLE ? "connection lost: " : "", primary,
                       sqlstate ? " (SQLSTATE " : "", sqlstate ? sqlstate : "",
                       sqlstate ? ")" : "");
    pcsm_buf_dispose(&conn_msg);
    return code;
}

int pcsm_db__exec(pcsm_ctx *ctx, pcsm_db *db, const char *sql, const char *what,
                  PGresult **out)
{
    PGresult **all;
    size_t n;
    /* Every result is read, so a multi-statement string reports the first
     * failing statement's error and nothing is left unread. */
    int rc = pcsm_db__exec_all(ctx, db, sql, what, &all, &n);

    if (out)
        *out = NULL;
    if (rc == 0 && out && n) {
        *out = all[n - 1];
        n--;
    }
    pcsm_db__clear_all(all, n);
    return rc;
}

int pcsm_db__run(pcsm_ctx *ctx, pcsm_db *db, const char *sql, const char *what)
{
    return pcsm_db__exec(ctx, db, sql, what, NULL);
}

/*
 * The SQLSTATE of the server's error in a failed connection's message,
 * copied to out (six bytes), or false when the server sent none.  libpq
 * keeps a connection failure's SQLSTATE to itself (no PGresult); with
 * PQERRORS_VERBOSE its message carries it after the severity, as
 * "SEVERITY:  XXXXX: text", whatever the language of either.  The last
 * one counts: with several hosts, the last host tried.
 */
static bool connect_sqlstate(const char *msg, char *out)
{
    const char *p, *found = NULL;

    for (p = msg; (p = strstr(p, ":  ")); p++)
        if (strspn(p + 3, "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ") == 5 && p[8] == ':' &&
            p[9] == ' ')
            found = p + 3;
    if (!found)
        return false;
    memcpy(out, found, 5);
    out[5] = '\0';
    return true;
}

/*
 * The server's connection errors worth waiting out, by SQLSTATE: it is
 * starting up, shutting down or in recovery (57P03), restarting (57P01,
 * 57P02), out of connection slots or other resources (class 53), or the
 * connection broke (class 08, bar 08P01: a protocol violation, and
 * PgBouncer's errors).  Anything else (28P01 a password, 28000 pg_hba.conf,
 * 3D000 no such database, 42501 no CONNECT right) fails at once.
 */
static bool transient_sqlstate(const char *state)
{
    return !strcmp(state, "57P03") || !strcmp(state, "57P01") || !strcmp(state, "57P02") ||
           !strncmp(state, "53", 2) || (!strncmp(state, "08", 2) && strcmp(state, "08P01"));
}

/*
 * A failure without a server error (refused, no socket, a name that does
 * not resolve, reset, timed out; or libpq refusing the server itself: TLS,
 * channel binding): PQping tries again and says whether a server answered.
 * PQPING_NO_RESPONSE, or PQPING_REJECT (it came up meanwhile, not ready):
 * worth waiting.  PQPING_OK means a server is up and answering, so the
 * failure was libpq's refusal (a password it has not got included, which
 * PQconnectionNeedsPassword tells first); PQPING_NO_ATTEMPT, settings.
 * The ping takes the failed connection's settings but two of its own: a
 * bounded connect_timeout, and sslmode=prefer, since under the caller's
 * sslmode a TLS refusal (no TLS on the server, a certificate that does not
 * verify) looks like no answer at all, and would be waited out in vain.
 */
static bool transient_no_sqlstate(PGconn *failed)
{
    PQconninfoOption *opts, *o;
    const char **keys, **values;
    size_t n = 0;
    PGPing ping;

    if (PQconnectionNeedsPassword(failed))
        return false;
    /* The failed connection's own settings, whatever set them (URL, PG*, service). */
    if (!(opts = PQconninfo(failed)))
        return true;    /* out of memory: one more try costs little */
    for (o = opts; o->keyword; o++)
        n++;
    keys = pcsm__xcalloc(n + 3, sizeof(*keys));
    values = pcsm__xcalloc(n + 3, sizeof(*values));
    n = 0;
    for (o = opts; o->keyword; o++)
        if (o->val && *o->val && strcmp(o->keyword, "connect_timeout") &&
            strcmp(o->keyword, "sslmode")) {
            keys[n] = o->keyword;
            values[n++] = o->val;
        }
    keys[n] = "connect_timeout", values[n++] = "2";
    keys[n] = "sslmode", values[n++] = "prefer";
    ping = PQpingParams(keys, values, 0);
    free(keys);
    free(values);
    PQconninfoFree(opts);
    return ping == PQPING_NO_RESPONSE || ping == PQPING_REJECT;
}

/*
 * libpq's verbose connection message for display: without the SQLSTATE
 * token (it is appended instead) and without the lines of labelled fields
 * after it (DETAIL, HINT, LOCATION, each in the server's language).
 */
static void plain_message(const char *msg, const char *state, pcsm_buf *out)
{
    const char *line = msg, *tok;

    pcsm_buf_clear(out);
    while (*line) {
        size_t len = strcspn(line, "\n"), word = strcspn(line, " :\n");

        if (!(line[word] == ':' && !strncmp(line + word, ":  ", 3) && line != msg)) {
            pcsm_buf_put(out, line, len);
            pcsm_buf_putc(out, '\n');
        }
        line += len + (line[len] == '\n');
    }
    if (*state && (tok = strstr(out->ptr ? out->ptr : "", state)) && tok[5] == ':' &&
        tok[6] == ' ') {
        pcsm_buf rest = PCSM_BUF_INIT;
        size_t at = (size_t)(tok - out->ptr);

        pcsm_buf_puts(&rest, tok + 7);
        out->len = at;
        out->ptr[at] = '\0';
        pcsm_buf_puts(out, rest.ptr);
        pcsm_buf_dispose(&rest);
    }
    while (out->len && (out->ptr[out->len - 1] == '\n' || out->ptr[out->len - 1] == ' '))
        out->ptr[--out->len] = '\0';
    if (*state)
        pcsm_buf_printf(out, " (SQLSTATE %s)", state);
}

/* libpq's message, trimmed, with the password blotted out wherever it occurs. */
static void connection_message(pcsm_db *db, const char *m, pcsm_buf *out)
{
    size_t len = strlen(m);
    const char *hit;

    while (len && (m[len - 1] == '\n' || m[len - 1] == ' '))
        len--;
    pcsm_buf_clear(out);
    pcsm_buf_put(out, m, len);
    while (db->password && *db->password && (hit = strstr(out->ptr, db->password))) {
        size_t at = (size_t)(hit - out->ptr), plen = strlen(db->password);
        pcsm_buf rest = PCSM_BUF_INIT;

        pcsm_buf_puts(&rest, hit + plen);
        out->len = at;
        out->ptr[at] = '\0';
        pcsm_buf_puts(out, "********");
        pcsm_buf_puts(out, rest.ptr);
        pcsm_buf_dispose(&rest);
    }
}

/*
 * libpq's messages about settings it refuses before connecting, whichever
 * way they came (the string, PG* variables, a service file): a usage
 * error, not an unreachable server.  They name the keyword; the values
 * they quote are not secrets (the password is checked by the server).
 */
static bool settings_error(const char *msg)
{
    static const char *const markers[] = {
        "invalid connection option", "invalid URI query parameter", "invalid port number",
        "invalid integer value", "could not match ", "invalid SSL protocol version range",
        "invalid when SSL support is not compiled in", "definition of service \"",
        "service file \"", "syntax error in service file", "could not parse network address",
    };
    const char *v;
    size_t i;

    for (i = 0; i < sizeof(markers) / sizeof(markers[0]); i++)
        if (strstr(msg, markers[i]))
            return true;
    /* "invalid sslmode value: ...", "invalid %s value: ..." */
    return !strncmp(msg, "invalid ", 8) && (v = strstr(msg, " value: \"")) &&
           (size_t)(v - msg) < 40;
}

/*
 * One attempt, never blocking for long: PQconnectStartParams and our own
 * poll() in short slices, so that an interrupt or the end of the wait
 * stops even a connection to a server that never answers.  Returns 0, 1
 * to retry, or an error code.
 */
static int connect_once(pcsm_ctx *ctx, pcsm_db *db, const char *const *keys,
                        const char *const *values, double deadline, pcsm_buf *last)
{
    PostgresPollingStatusType st = PGRES_POLLING_WRITING;
    pcsm_buf shown = PCSM_BUF_INIT;
    char state[6] = "";
    bool transient;

    db->conn = PQconnectStartParams(keys, values, 1);
    if (!db->conn)
        abort();    /* libpq could not allocate */
    /* The server's SQLSTATE in the message, for connect_sqlstate(). */
    PQsetErrorVerbosity(db->conn, PQERRORS_VERBOSE);
    if (PQstatus(db->conn) == CONNECTION_BAD) {
        /* Refused at once: a setting libpq rejects is a usage error. */
        connection_message(db, PQerrorMessage(db->conn), last);
        if (settings_error(last->ptr)) {
            PQfinish(db->conn);
            db->conn = NULL;
            return pcsm_error__set(ctx, PCSM_EINVALID, "invalid connection settings: %s",
                                   last->ptr);
        }
    }
    while (PQstatus(db->conn) != CONNECTION_BAD && st != PGRES_POLLING_OK &&
           st != PGRES_POLLING_FAILED) {
        struct pollfd pfd = { PQsocket(db->conn),
                              st == PGRES_POLLING_READING ? POLLIN : POLLOUT, 0 };

        if (pcsm_db__stopping(db)) {
            PQfinish(db->conn);
            db->conn = NULL;
            return pcsm_error__set(ctx, PCSM_EINTERRUPTED, "interrupted while connecting");
        }
        if (pcsm_db__now_ms() >= deadline) {
            PQfinish(db->conn);
            db->conn = NULL;
            pcsm_buf_clear(last);
            pcsm_buf_puts(last, "the server did not answer in time");
            return 1;
        }
        if (pfd.fd >= 0 && poll(&pfd, 1, 100) == 0)
            continue;
        st = PQconnectPoll(db->conn);
    }
    if (PQstatus(db->conn) == CONNECTION_OK) {
        PQsetErrorVerbosity(db->conn, PQERRORS_DEFAULT);
        return 0;
    }
    connection_message(db, PQerrorMessage(db->conn), last);
    if (connect_sqlstate(last->ptr, state))
        transient = transient_sqlstate(state);
    else
        transient = transient_no_sqlstate(db->conn);
    plain_message(last->ptr, state, &shown);
    pcsm_buf_clear(last);
    pcsm_buf_puts(last, shown.ptr ? shown.ptr : "");
    pcsm_buf_dispose(&shown);
    PQfinish(db->conn);
    db->conn = NULL;
    return transient ? 1 : pcsm_error__set(ctx, PCSM_EUNREACHABLE, "cannot connect: %s",
                                           last->ptr);
}

#define NOT_SHOWN "the string is not shown, as it may hold a password"

/*
 * The keyword in libpq's message about an unknown one: `invalid connection
 * option "X"` or `invalid URI query parameter: "X"`, copied to out when it
 * looks like a keyword (letters, digits, '_', '-').  libpq's own words:
 * when its translations change them, the generic message stands.
 */
static bool unknown_keyword(const char *err, char *out, size_t size)
{
    static const char *const heads[] = { "invalid connection option \"",
                                         "invalid URI query parameter: \"" };
    const char *p = NULL, *end;
    size_t i, len;

    for (i = 0; !p && err && i < sizeof(heads) / sizeof(heads[0]); i++)
        if (!strncmp(err, heads[i], strlen(heads[i])))
            p = err + strlen(heads[i]);
    if (!p || !(end = strchr(p, '"')))
        return false;
    len = (size_t)(end - p);
    if (!len || len >= size || strspn(p, "abcdefghijklmnopqrstuvwxyz"
                                         "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_-") != len)
        return false;
    memcpy(out, p, len);
    out[len] = '\0';
    return true;
}

static bool is_uri(const char *s)
{
    return !strncmp(s, "postgresql://", 13) || !strncmp(s, "postgres://", 11);
}

/*
 * Could the unknown keyword kw be a piece of a password rather than a
 * mistyped option?  In key=value form, when it follows an unquoted
 * password at once ("password=ab cd=1" is the password "ab" and an option
 * "cd"), or follows a value with no space between; in a URL, when an '@'
 * comes after the '?' (a '/' in the password ended the host part early).
 * The scan follows libpq's conninfo_parse(): whitespace-separated
 * key = value, values quoted with '...' or not, backslash escapes.
 */
static bool may_be_password(const char *conninfo, const char *kw)
{
    const char *p = conninfo, *q;
    bool after_password = false, spaced = true;

    if (is_uri(conninfo))
        return (q = strchr(conninfo, '?')) && strchr(q, '@');
    while (*p) {
        const char *key;
        size_t key_len;
        bool quoted;

        while (*p == ' ' || (*p >= '\t' && *p <= '\r')) {
            p++;
            spaced = true;
        }
        if (!*p)
            break;
        key = p;
        while (*p && *p != '=' && *p != ' ' && !(*p >= '\t' && *p <= '\r'))
            p++;
        key_len = (size_t)(p - key);
        if (key_len == strlen(kw) && !strncmp(key, kw, key_len))
            return after_password || !spaced;
        while (*p == ' ' || (*p >= '\t' && *p <= '\r'))
            p++;
        if (*p != '=')
            return true;    /* not libpq's complaint: show nothing */
        p++;
        while (*p == ' ' || (*p >= '\t' && *p <= '\r'))
            p++;
        quoted = *p == '\'';
        if (quoted) {
            for (p++; *p && *p != '\''; p++)
                if (*p == '\\' && p[1])
                    p++;
            if (*p)
                p++;
        } else {
            for (; *p && *p != ' ' && !(*p >= '\t' && *p <= '\r'); p++)
                if (*p == '\\' && p[1])
                    p++;
        }
        after_password = key_len == 8 && !strncmp(key, "password", 8) && !quoted;
        spaced = false;
    }
    return true;            /* not found: show nothing */
}

/* One keyword's accepted values (libpq's connectOptions2()), NULL-terminated. */
struct keyword_values {
    const char *keyword;
    const char *values[7];
};

static const struct keyword_values enumerated[] = {
    { "sslmode", { "disable", "allow", "prefer", "require", "verify-ca", "verify-full" } },
    { "gssencmode", { "disable", "prefer", "require" } },
    { "channel_binding", { "disable", "prefer", "require" } },
    { "target_session_attrs", { "any", "read-write", "read-only", "primary", "standby",
                                "prefer-standby" } },
    { "ssl_min_protocol_version", { "", "TLSv1", "TLSv1.1", "TLSv1.2", "TLSv1.3" } },
    { "ssl_max_protocol_version", { "", "TLSv1", "TLSv1.1", "TLSv1.2", "TLSv1.3" } },
    /* Newer libpq only: PQconninfoParse refuses them where they are unknown. */
    { "load_balance_hosts", { "disable", "random" } },
    { "sslcertmode", { "disable", "allow", "require" } },
    { "sslnegotiation", { "postgres", "direct" } },
};

/* Whole-number keywords: libpq's parse_int_param() (an int, spaces around). */
static const char *const integer_keywords[] = {
    "connect_timeout", "keepalives", "keepalives_idle", "keepalives_interval",
    "keepalives_count", "tcp_user_timeout",
};

static bool valid_int(const char *v)
{
    char *end;
    long n;

    errno = 0;
    n = strtol(v, &end, 10);
    if (end == v || errno || n < -2147483647L - 1 || n > 2147483647L)
        return false;
    while (*end == ' ' || (*end >= '\t' && *end <= '\r'))
        end++;
    return !*end;
}

/* Each of a comma-separated port list empty (the default) or 1 to 65535. */
static bool valid_ports(const char *v)
{
    while (*v) {
        size_t len = strcspn(v, ",");
        long n = len ? strtol(v, NULL, 10) : 1;

        if (len > 5 || n < 1 || n > 65535)
            return false;
        v += len + (v[len] == ',');
    }
    return true;
}

/*
 * A known keyword's value, as libpq would judge it before connecting (it
 * judges some only later, after network I/O, or on some paths only).
 * Sets the error naming the keyword and what it takes, never the value.
 */
static int check_value(pcsm_ctx *ctx, const char *keyword, const char *v)
{
    pcsm_buf expected = PCSM_BUF_INIT;
    size_t i, k;
    int rc = 0;

    for (i = 0; i < sizeof(enumerated) / sizeof(enumerated[0]); i++) {
        const struct keyword_values *e = &enumerated[i];
        bool tls = !strncmp(keyword, "ssl_m", 5);

        if (strcmp(keyword, e->keyword))
            continue;
        for (k = 0; e->values[k]; k++)
            if (tls ? !strcasecmp(v, e->values[k]) : !strcmp(v, e->values[k]))
                return 0;
        for (k = 0; e->values[k]; k++)
            if (*e->values[k])
                pcsm_buf_printf(&expected, "%s%s", expected.len ? ", " : "", e->values[k]);
        rc = pcsm_error__set(ctx, PCSM_EINVALID,
                             "invalid value for the connection option \"%s\": it takes one "
                             "of %s (%s)", keyword, expected.ptr, NOT_SHOWN);
        pcsm_buf_dispose(&expected);
        return rc;
    }
    for (i = 0; i < sizeof(integer_keywords) / sizeof(integer_keywords[0]); i++)
        if (!strcmp(keyword, integer_keywords[i]) && *v && !valid_int(v))
            return pcsm_error__set(ctx, PCSM_EINVALID,
                                   "invalid value for the connection option \"%s\": it takes "
                                   "a whole number (%s)", keyword, NOT_SHOWN);
    if (!strcmp(keyword, "port") && !valid_ports(v))
        return pcsm_error__set(ctx, PCSM_EINVALID,
                               "invalid value for the connection option \"port\": it takes a "
                               "port number from 1 to 65535, or a comma-separated list of "
                               "them (%s)", NOT_SHOWN);
    return 0;
}

/*
 * An unescaped '/' or '@' in a URL password shows up as a host with '@'
 * or a port that is not a number: the malformed-string message says so.
 */
int pcsm_db__check_conninfo(pcsm_ctx *ctx, const char *conninfo, char **password_out)
{
    char *err = NULL, keyword[64];
    PQconninfoOption *parsed, *o;
    bool bad = false;
    int rc = 0;

    if (!conninfo || !*conninfo)
        return 0;
    parsed = PQconninfoParse(conninfo, &err);
    if (!parsed) {
        if (unknown_keyword(err, keyword, sizeof(keyword)) &&
            !may_be_password(conninfo, keyword))
            rc = pcsm_error__set(ctx, PCSM_EINVALID,
                                 "unknown connection option \"%s\" in the database URL or "
                                 "connection string (%s)", keyword, NOT_SHOWN);
        PQfreemem(err);
        if (rc)
            return rc;
        bad = true;
    }
    for (o = parsed; o && o->keyword; o++) {
        if (!o->val)
            continue;
        if (!strcmp(o->keyword, "password") && password_out)
            *password_out = pcsm__xstrdup(o->val);
        if (!strcmp(o->keyword, "host") && strchr(o->val, '@'))
            bad = true;
        if (!strcmp(o->keyword, "port") && strspn(o->val, "0123456789,") != strlen(o->val))
            bad = true;
    }
    for (o = parsed; !bad && rc == 0 && o && o->keyword; o++)
        if (o->val && strcmp(o->keyword, "password"))
            rc = check_value(ctx, o->keyword, o->val);
    PQconninfoFree(parsed);
    if (bad && !is_uri(conninfo) && strchr(conninfo, '='))
        return pcsm_error__set(ctx, PCSM_EINVALID,
                               "the connection string is malformed (not shown, as it may hold "
                               "a password; quote a value that holds a space: "
                               "password='...', with \\' and \\\\ for a quote and a "
                               "backslash in it)");
    if (bad)
        return pcsm_error__set(ctx, PCSM_EINVALID,
                               "the database URL or connection string is malformed (not "
                               "shown, as it may hold a password; in a URL, percent-encode "
                               "'@', '/' and ':' in the user name and password)");
    return rc;
}

static int open_connection(pcsm_ctx *ctx, pcsm_db *db)
{
    /* Our defaults before the expanded conninfo, which overrides them; the
     * encoding after it, as every statement we send is UTF-8.  A startup
     * parameter, not a SET: PgBouncer tracks it per client. */
    const char *keys[] = { "fallback_application_name", "dbname", "client_encoding", NULL };
    const char *values[] = { "pcs-migrate", db->opts.conninfo ? db->opts.conninfo : "",
                             "UTF8", NULL };
    pcsm_buf last = PCSM_BUF_INIT;
    double start = pcsm_db__now_ms(), deadline = start + db->opts.wait_seconds * 1e3;
    long backoff = 100;
    int rc, attempt = 0;

    rc = pcsm_db__check_conninfo(ctx, db->opts.conninfo, &db->password);
    while (rc == 0) {
        /* Each attempt gets 10 s, or what is left of --wait if that is more. */
        double attempt_deadline = pcsm_db__now_ms() + 10e3;
        double left;

        rc = connect_once(ctx, db, keys, values,
                          attempt_deadline > deadline ? attempt_deadline : deadline, &last);
        if (rc <= 0)
            break;
        attempt++;
        left = deadline - pcsm_db__now_ms();
        if (left <= 0) {
            rc = db->opts.wait_seconds > 0
                 ? pcsm_error__set(ctx, PCSM_EUNREACHABLE,
                                   "cannot connect after waiting %.0f s (%d attempts): %s",
                                   db->opts.wait_seconds, attempt, last.ptr)
                 : pcsm_error__set(ctx, PCSM_EUNREACHABLE, "cannot connect: %s", last.ptr);
            break;
        }
        pcsm_db__emit(db, PCSM_EVENT_WAIT, NULL, PCSM_UPGRADE, 0,
                      "waiting for the server (attempt %d): %s", attempt, last.ptr);
        pcsm_db__sleep(db, backoff < left ? backoff : (long)left);
        if (pcsm_db__stopping(db)) {
            rc = pcsm_error__set(ctx, PCSM_EINTERRUPTED,
                                 "interrupted while waiting for the server: %s", last.ptr);
            break;
        }
        backoff = backoff * 2 > 2000 ? 2000 : backoff * 2;
        rc = 0;     /* try again */
    }
    pcsm_buf_dispose(&last);
    return rc;
}

/*
 * Everything the messages name comes from the connection itself: no round
 * trip.  Session settings are not sent here; each transaction SETs LOCAL
 * what it needs (put_settings), which a transaction pooler keeps.
 */
static void describe_session(pcsm_db *db)
{
    pcsm_buf name = PCSM_BUF_INIT;
    const char *version = PQparameterStatus(db->conn, "server_version");

    pcsm_buf_printf(&name, "PostgreSQL %s at %s:%s/%s as %s", version ? version : "?",
                    PQhost(db->conn), PQport(db->conn), PQdb(db->conn), PQuser(db->conn));
    db->describe = pcsm_buf_detach(&name);
}

/*
 * The timeouts in range: the server takes statement_timeout and
 * lock_timeout as int milliseconds, and refuses more (then every
 * transaction would fail); the waits are held to the same bound.
 */
static int check_timeouts(pcsm_ctx *ctx, const pcsm_db_opts *o)
{
    const double max_s = 2147483.647;
    const char *bad = !(o->wait_seconds >= 0 && o->wait_seconds <= max_s) ? "wait_seconds"
                    : !(o->lock_timeout_seconds >= 0 && o->lock_timeout_seconds <= max_s)
                    ? "lock_timeout_seconds"
                    : o->statement_timeout_ms < 0 || o->statement_timeout_ms > 2147483647L
                    ? "statement_timeout_ms"
                    : o->ddl_lock_timeout_ms < 0 || o->ddl_lock_timeout_ms > 2147483647L
                    ? "ddl_lock_timeout_ms"
                    : o->ddl_lock_retries < 0 ? "ddl_lock_retries" : NULL;

    if (bad)
        return pcsm_error__set(ctx, PCSM_EINVALID, "%s out of range (timeouts are 0 to "
                               "2147483.647 s, or 2147483647 ms; retries 0 or more)", bad);
    return 0;
}

int pcsm_db_connect(pcsm_ctx *ctx, const pcsm_db_opts *opts, pcsm_db **out)
{
    pcsm_db *db = pcsm__xcalloc(1, sizeof(*db));
    int rc;

    *out = NULL;
    db->opts = *opts;
    db->held_notices = (pcsm_buf)PCSM_BUF_INIT;
    rc = check_timeouts(ctx, opts);
    if (rc == 0)
        rc = pcsm_script__check_opts(ctx, &db->opts.script);
    if (rc == 0)
        rc = open_connection(ctx, db);
    if (rc == 0) {
        PQsetNoticeReceiver(db->conn, notice_receiver, db);
        db->cancel = PQgetCancel(db->conn);
        if (gethostname(db->host, sizeof(db->host) - 1) != 0)
            db->host[0] = '\0';
        describe_session(db);
    }
    if (rc < 0) {
        pcsm_db_close(db);
        return rc;
    }
    pcsm_db__emit(db, PCSM_EVENT_INFO, NULL, PCSM_UPGRADE, 0, "connected to %s", db->describe);
    *out = db;
    return 0;
}

void pcsm_db_close(pcsm_db *db)
{
    if (!db)
        return;
    if (db->cancel)
        PQfreeCancel(db->cancel);
    PQfinish(db->conn);
    free(db->describe);
    pcsm_buf_dispose(&db->held_notices);
    free(db->lock_relations);
    if (db->password)
        explicit_bzero(db->password, strlen(db->password));
    free(db->password);
    free(db);
}

void pcsm_db_cancel(pcsm_db *db)
{
    char errbuf[256];
    PGcancel *side;

    /* PQcancel is documented as safe to call from a signal handler. */
    if (db && db->cancel)
        PQcancel(db->cancel, errbuf, sizeof(errbuf));
    /* The statement in flight may be a revision's on the second connection. */
    if (db && (side = db->side_cancel))
        PQcancel(side, errbuf, sizeof(errbuf));
}

const char *pcsm_db_describe(const pcsm_db *db)
{
    return db->describe;
}

void pcsm_db__free_ids(char **ids, size_t n)
{
    size_t i;

    for (i = 0; i < n; i++)
        free(ids[i]);
    free(ids);
}

int pcsm_db__exec_all(pcsm_ctx *ctx, pcsm_db *db, const char *sql, const char *what,
                      PGresult ***out, size_t *n_out)
{
    PGresult *res, **all = NULL;
    size_t n = 0, cap = 0;
    int rc = 0;

    *out = NULL;
    *n_out = 0;
    if (pcsm_db__stopping(db))
        return pcsm_error__set(ctx, PCSM_EINTERRUPTED, "interrupted by signal %d",
                               (int)*db->opts.interrupt);
    if (!PQsendQuery(db->conn, sql))
        return pcsm_db__server_error(ctx, db, NULL, sql, what);
    while ((res = PQgetResult(db->conn))) {
        ExecStatusType st = PQresultStatus(res);

        if (rc == 0 && st != PGRES_COMMAND_OK && st != PGRES_TUPLES_OK &&
            st != PGRES_EMPTY_QUERY)
            rc = pcsm_db__server_error(ctx, db, res, sql, what);
        if (rc < 0) {
            PQclear(res);
            continue;
        }
        if (n == cap) {
            cap = cap ? 2 * cap : 8;
            all = pcsm__xrealloc(all, cap * sizeof(*all));
        }
        all[n++] = res;
    }
    if (rc == 0 && PQstatus(db->conn) == CONNECTION_BAD)
        rc = pcsm_db__server_error(ctx, db, NULL, sql, what);
    *out = all;
    *n_out = n;
    return rc;
}

void pcsm_db__clear_all(PGresult **results, size_t n)
{
    size_t i;

    for (i = 0; i < n; i++)
        PQclear(results[i]);
    free(results);
}

void pcsm_db__rollback(pcsm_db *db)
{
    PGresult *res;

    if (PQstatus(db->conn) != CONNECTION_OK || PQtransactionStatus(db->conn) == PQTRANS_IDLE)
        return;
    res = PQexec(db->conn, "ROLLBACK");
    PQclear(res);
}

void pcsm_db__put_table(const pcsm_db *db, const char *table, pcsm_buf *out)
{
    if (db->opts.script.schema) {
        pcsm_sql__ident(out, db->opts.script.schema);
        pcsm_buf_putc(out, '.');
    }
    pcsm_sql__ident(out, table);
}

size_t pcsm_db__put_bootstrap(pcsm_db *db, pcsm_buf *sql)
{
    size_t n = 0;

    if (!db->have_schema && db->opts.script.schema) {
        pcsm_buf_puts(sql, "CREATE SCHEMA IF NOT EXISTS ");
        pcsm_sql__ident(sql, db->opts.script.schema);
        pcsm_buf_puts(sql, ";\n");
        n++;
    }
    if (!db->have_version_table) {
        pcsm_script__create_version_table(&db->opts.script, sql);
        n++;
    }
    if (!db->have_history_table) {
        pcsm_script__create_history_table(&db->opts.script, sql);
        n++;
    }
    return n;
}

/* The schema the bookkeeping tables live in, as an SQL expression. */
static void put_schema_expr(const pcsm_db *db, pcsm_buf *out)
{
    if (db->opts.script.schema)
        pcsm_sql__literal(out, db->opts.script.schema);
    else
        pcsm_buf_puts(out, "current_schema()");
}

static void put_table_exists(const pcsm_db *db, const char *table, pcsm_buf *out)
{
    pcsm_buf_puts(out, "EXISTS (SELECT 1 FROM pg_catalog.pg_class c JOIN pg_catalog.pg_namespace n "
                       "ON n.oid = c.relnamespace WHERE n.nspname = ");
    put_schema_expr(db, out);
    pcsm_buf_puts(out, " AND c.relname = ");
    pcsm_sql__literal(out, table);
    pcsm_buf_putc(out, ')');
}

/*
 * Which of the schema and the two tables exist, then (when `versions`) the
 * version rows.  Plain catalog scans, not to_regclass(): inside a
 * transaction that waited for the lock, to_regclass() may answer from a
 * cache that predates the holder's commit, while each statement here takes
 * a fresh snapshot.
 */
static void put_state_query(const pcsm_db *db, bool versions, pcsm_buf *out)
{
    const pcsm_script_opts *so = &db->opts.script;

    pcsm_buf_puts(out, "SELECT ");
    put_table_exists(db, pcsm_script__version_table(so), out);
    pcsm_buf_puts(out, ", ");
    put_table_exists(db, pcsm_script__history_table(so), out);
    pcsm_buf_puts(out, ", EXISTS (SELECT 1 FROM pg_catalog.pg_namespace WHERE nspname = ");
    put_schema_expr(db, out);
    pcsm_buf_puts(out, ");\n");
    if (!versions)
        return;
    pcsm_buf_puts(out, "SELECT version_num FROM ");
    pcsm_db__put_table(db, pcsm_script__version_table(so), out);
    pcsm_buf_puts(out, " ORDER BY version_num;\n");
}

/* Reads put_state_query's results; *missing is set when the version rows are wanted but absent. */
static void parse_state(pcsm_db *db, PGresult **res, size_t n, char ***ids_out, size_t *n_out,
                        bool *missing)
{
    int i, rows;

    db->have_version_table = PQgetvalue(res[0], 0, 0)[0] == 't';
    db->have_history_table = PQgetvalue(res[0], 0, 1)[0] == 't';
    db->have_schema = PQgetvalue(res[0], 0, 2)[0] == 't';
    db->state_probed = true;
    *missing = db->have_version_table && n < 2;
    if (!db->have_version_table || n < 2)
        return;
    rows = PQntuples(res[1]);
    *ids_out = pcsm__xcalloc((size_t)rows + 1, sizeof(**ids_out));
    for (i = 0; i < rows; i++)
        (*ids_out)[i] = pcsm__xstrdup(PQgetvalue(res[1], i, 0));
    *n_out = (size_t)rows;
}

/*
 * The state, in one round trip: with `versions`, the version rows are
 * asked for whenever the table was there last time, and a "no such table"
 * is what a fresh database answers (then a second query confirms it).
 * Without, only which tables exist.
 */
static int read_state(pcsm_ctx *ctx, pcsm_db *db, bool in_transaction, bool versions,
                      char ***ids_out, size_t *n_out)
{
    pcsm_buf sql = PCSM_BUF_INIT;
    PGresult **res = NULL;
    size_t n = 0;
    bool ask = versions && (!in_transaction || db->have_version_table), missing = false;
    int rc, pass;

    *ids_out = NULL;
    *n_out = 0;
    for (pass = 0; pass < 2; pass++) {
        size_t n_set = 0;

        pcsm_buf_clear(&sql);
        /* Outside a transaction the query is one: its SET LOCALs hold for it. */
        if (!in_transaction)
            n_set = pcsm_db__put_settings(db, &sql);
        put_state_query(db, ask, &sql);
        rc = pcsm_db__exec_all(ctx, db, sql.ptr, "reading the version table", &res, &n);
        /* No version table: the expected failure (or a cancel of it, which
         * the next statement reports as the interrupt). */
        if (rc < 0 && !in_transaction && n == n_set + 1 &&
            PQgetvalue(res[n_set], 0, 0)[0] == 'f' && PQstatus(db->conn) == CONNECTION_OK)
            rc = 0;
        if (rc == 0 && n > n_set)
            parse_state(db, res + n_set, n - n_set, ids_out, n_out, &missing);
        pcsm_db__clear_all(res, n);
        if (rc < 0 || !missing || !versions)
            break;
        ask = true;     /* created since we last looked */
    }
    pcsm_buf_dispose(&sql);
    return rc;
}

/*
 * After a lock_timeout on the version table (a reset's DROP, a DBA's LOCK
 * holds it): the error names the holder, as a revision's does.
 */
static void name_version_table_holder(pcsm_ctx *ctx, pcsm_db *db)
{
    pcsm_buf table = PCSM_BUF_INIT, expr = PCSM_BUF_INIT, holder = PCSM_BUF_INIT;

    if (pcsm_error_last(ctx)->code != PCSM_ELOCK || PQstatus(db->conn) != CONNECTION_OK)
        return;
    pcsm_db__put_table(db, pcsm_script__version_table(&db->opts.script), &table);
    pcsm_buf_puts(&expr, "to_regclass(");
    pcsm_sql__literal(&expr, table.ptr);
    pcsm_buf_putc(&expr, ')');
    pcsm_db__rollback(db);
    pcsm_db__describe_relation_holder(db, expr.ptr, &holder);
    pcsm_error__append(ctx, "; %s", holder.ptr);
    pcsm_buf_dispose(&table);
    pcsm_buf_dispose(&expr);
    pcsm_buf_dispose(&holder);
}

/*
 * The version rows alone, no catalog probes: all a run at head needs.  With
 * --schema the table is qualified and the query is that one statement.
 * Without, a SET LOCAL search_path TO DEFAULT goes first (no catalog
 * access; a pooled server connection may carry another client's path, and
 * a tenant schema's version table must not answer for ours); so do the
 * statement and lock timeouts when set.  1 when the table (or its schema)
 * is not there: the probing read decides then.
 */
static int read_versions_only(pcsm_ctx *ctx, pcsm_db *db, char ***ids_out, size_t *n_out)
{
    pcsm_buf sql = PCSM_BUF_INIT;
    PGresult *res = NULL;
    int rc, i, rows;

    if (!db->opts.script.schema)
        pcsm_db__put_search_path(db, true, &sql);
    if (db->opts.statement_timeout_ms > 0)
        pcsm_buf_printf(&sql, "SET LOCAL statement_timeout = %ld;\n",
                        db->opts.statement_timeout_ms);
    /* A reset's DROP holds the table until it commits: do not wait on it unbounded. */
    if (db->opts.ddl_lock_timeout_ms > 0)
        pcsm_buf_printf(&sql, "SET LOCAL lock_timeout = %ld;\n", db->opts.ddl_lock_timeout_ms);
    pcsm_buf_puts(&sql, "SELECT version_num FROM ");
    pcsm_db__put_table(db, pcsm_script__version_table(&db->opts.script), &sql);
    pcsm_buf_puts(&sql, " ORDER BY version_num");
    rc = pcsm_db__exec(ctx, db, sql.ptr, "reading the version table", &res);
    pcsm_buf_dispose(&sql);
    if (rc < 0) {
        const char *state;

        name_version_table_holder(ctx, db);
        state = pcsm_error_last(ctx)->sqlstate;
        return PQstatus(db->conn) == CONNECTION_OK && state &&
               (!strcmp(state, "42P01") || !strcmp(state, "3F000")) ? 1 : rc;
    }
    rows = PQntuples(res);
    *ids_out = pcsm__xcalloc((size_t)rows + 1, sizeof(**ids_out));
    for (i = 0; i < rows; i++)
        (*ids_out)[i] = pcsm__xstrdup(PQgetvalue(res, i, 0));
    *n_out = (size_t)rows;
    PQclear(res);
    db->have_version_table = db->have_schema = true;
    db->state_probed = false;   /* the history table's existence is not known */
    return 0;
}

int pcsm_db__read_versions(pcsm_ctx *ctx, pcsm_db *db, char ***ids_out, size_t *n_out)
{
    bool in_transaction = PQtransactionStatus(db->conn) != PQTRANS_IDLE;
    int rc;

    if (!in_transaction) {
        *ids_out = NULL;
        *n_out = 0;
        rc = read_versions_only(ctx, db, ids_out, n_out);
        if (rc <= 0)
            return rc;
    }
    return read_state(ctx, db, in_transaction, true, ids_out, n_out);
}

void pcsm_db__tables_made(pcsm_db *db)
{
    db->have_schema = db->have_version_table = db->have_history_table = true;
    db->state_probed = true;
}

int pcsm_db__probe_state(pcsm_ctx *ctx, pcsm_db *db)
{
    char **ids = NULL;
    size_t n = 0;
    int rc;

    if (db->state_probed)
        return 0;
    /* Which tables exist; the version rows already read stand. */
    rc = read_state(ctx, db, PQtransactionStatus(db->conn) != PQTRANS_IDLE, false, &ids, &n);
    pcsm_db__free_ids(ids, n);
    return rc;
}

void pcsm_db__put_search_path(const pcsm_db *db, bool local, pcsm_buf *out)
{
    /* DEFAULT, not whatever a pooled server connection was left with. */
    pcsm_buf_puts(out, local ? "SET LOCAL search_path TO " : "SET search_path TO ");
    if (db->opts.script.schema)
        pcsm_sql__ident(out, db->opts.script.schema);
    else
        pcsm_buf_puts(out, "DEFAULT");
    pcsm_buf_puts(out, ";\n");
}

size_t pcsm_db__put_settings(const pcsm_db *db, pcsm_buf *out)
{
    size_t n = 2;

    /*
     * READ COMMITTED whatever the database's default: under REPEATABLE READ
     * or SERIALIZABLE the state read after the lock would come from a
     * snapshot taken before the lock was granted, and a waiter would redo
     * what the holder just committed.  First, before anything takes a
     * snapshot.
     */
    pcsm_buf_puts(out, "SET LOCAL transaction_isolation TO 'read committed';\n");
    pcsm_db__put_search_path(db, true, out);
    if (db->opts.statement_timeout_ms > 0) {
        pcsm_buf_printf(out, "SET LOCAL statement_timeout = %ld;\n",
                        db->opts.statement_timeout_ms);
        n++;
    }
    if (db->opts.ddl_lock_timeout_ms > 0) {
        pcsm_buf_printf(out, "SET LOCAL lock_timeout = %ld;\n", db->opts.ddl_lock_timeout_ms);
        n++;
    }
    return n;
}

void pcsm_db__put_idle_settings(const pcsm_db *db, pcsm_buf *out)
{
    if (PQtransactionStatus(db->conn) == PQTRANS_IDLE)
        pcsm_db__put_settings(db, out);
}

void pcsm_db__put_begin(const pcsm_db *db, pcsm_buf *sql)
{
    if (PQtransactionStatus(db->conn) != PQTRANS_IDLE)
        return;
    pcsm_buf_puts(sql, "BEGIN;\n");
    pcsm_db__put_settings(db, sql);
}

void pcsm_db__put_commit(const pcsm_db *db, pcsm_buf *sql)
{
    if (PQtransactionStatus(db->conn) == PQTRANS_IDLE)
        pcsm_buf_puts(sql, "COMMIT;\n");
}

/* Who holds the lock, for the wait message. */
static void describe_holder(pcsm_ctx *ctx, pcsm_db *db, const char *key_sql, pcsm_buf *out)
{
    pcsm_buf sql = PCSM_BUF_INIT;
    PGresult *res = NULL;

    pcsm_buf_printf(&sql,
        "SELECT a.pid, coalesce(nullif(a.application_name, ''), '?'), "
        "coalesce(host(a.client_addr), 'local socket'), "
        "coalesce(round(extract(epoch FROM now() - a.backend_start))::text, '?') "
        "FROM pg_locks l JOIN pg_stat_activity a ON a.pid = l.pid "
        "WHERE l.locktype = 'advisory' AND l.granted AND l.objsubid = 2 "
        "AND l.database = (SELECT oid FROM pg_database WHERE datname = current_database()) "
        "AND l.classid = %d::oid AND l.objid = ((%s)::bigint & 4294967295)::oid",
        LOCK_CLASS, key_sql);
    pcsm_buf_clear(out);
    if (pcsm_db__exec(ctx, db, sql.ptr, NULL, &res) == 0 && PQntuples(res) > 0)
        pcsm_buf_printf(out, "held by pid %s (%s, from %s, connected %s s ago)",
                        PQgetvalue(res, 0, 0), PQgetvalue(res, 0, 1), PQgetvalue(res, 0, 2),
                        PQgetvalue(res, 0, 3));
    else
        pcsm_buf_puts(out, "held by another session");
    PQclear(res);
    pcsm_buf_dispose(&sql);
}

/*
 * Who holds a lock on one of `relations` (SQL to_regclass() expressions,
 * resolved under the run's search path), for the message of a statement
 * that ran out of lock_timeout.  Looked up after the fact, in a
 * transaction of its own: the timed-out statement's transaction is aborted
 * by then and its wait (pg_blocking_pids) over.  The relations' granted
 * locks are what it waited behind, the oldest transaction first: a DDL
 * statement's lock conflicts with any other on its table (bar a reader's,
 * for the few that take a weaker one).  NULL relations (raw SQL), or a
 * holder gone by then, are said so.
 */
void pcsm_db__describe_relation_holder(pcsm_db *db, const char *relations, pcsm_buf *out)
{
    pcsm_buf sql = PCSM_BUF_INIT;
    size_t n = 0;

    pcsm_buf_clear(out);
    if (!relations) {
        pcsm_buf_puts(out, "held by another session (the statement names no table to look "
                           "up; see pg_locks)");
        return;
    }
    pcsm_buf_puts(&sql, "BEGIN ISOLATION LEVEL READ COMMITTED;\n");
    pcsm_db__put_search_path(db, true, &sql);
    pcsm_buf_puts(&sql,
        "SELECT l.relation::regclass::text, a.pid, "
        "coalesce(nullif(a.application_name, ''), '?'), "
        "coalesce(host(a.client_addr), 'local socket'), coalesce(a.state, '?'), "
        "coalesce(round(extract(epoch FROM now() - a.xact_start))::text, '?'), l.mode "
        "FROM pg_catalog.pg_locks l JOIN pg_catalog.pg_stat_activity a ON a.pid = l.pid "
        "WHERE l.locktype = 'relation' AND l.granted AND l.pid <> pg_catalog.pg_backend_pid() "
        "AND l.database = (SELECT oid FROM pg_catalog.pg_database "
        "WHERE datname = pg_catalog.current_database()) AND l.relation IN (");
    pcsm_buf_puts(&sql, relations);
    /* A reader's lock blocks only what takes EXCLUSIVE or more; most of
     * the API does, but CREATE INDEX and a foreign key's referenced table
     * do not: a writer among the holders is the likelier blocker. */
    pcsm_buf_puts(&sql, ") ORDER BY l.mode IN ('AccessShareLock', 'RowShareLock'), "
                        "a.xact_start NULLS LAST, a.pid LIMIT 1;\nCOMMIT;\n");
    /* Plain libpq, not pcsm_db__exec: the run's error must stay as it is. */
    if (PQsendQuery(db->conn, sql.ptr)) {
        PGresult *r;

        while ((r = PQgetResult(db->conn))) {
            if (n++ == 2 && PQresultStatus(r) == PGRES_TUPLES_OK && PQntuples(r) == 1)
                pcsm_buf_printf(out, "table %s held by pid %s (%s, from %s, %s, transaction "
                                "open %s s, %s)", PQgetvalue(r, 0, 0), PQgetvalue(r, 0, 1),
                                PQgetvalue(r, 0, 2), PQgetvalue(r, 0, 3), PQgetvalue(r, 0, 4),
                                PQgetvalue(r, 0, 5), PQgetvalue(r, 0, 6));
            PQclear(r);
        }
    }
    if (!out->len)
        pcsm_buf_puts(out, "held by another session: no lock on its table was held when "
                           "looked up (let go since, or not a table lock; see pg_locks)");
    pcsm_db__rollback(db);
    pcsm_buf_dispose(&sql);
}

/* The second key of the migration lock, as an SQL expression. */
static void put_lock_key(const pcsm_db *db, pcsm_buf *out)
{
    pcsm_buf_puts(out, "hashtext(coalesce(current_schema(), ");
    pcsm_sql__literal(out, db->opts.script.schema ? db->opts.script.schema : "public");
    pcsm_buf_puts(out, ") || '.' || ");
    pcsm_sql__literal(out, pcsm_script__version_table(&db->opts.script));
    pcsm_buf_putc(out, ')');
}

static int compare_ids(const void *a, const void *b)
{
    return strcmp((*(const pcsm_revision *const *)a)->id, (*(const pcsm_revision *const *)b)->id);
}

size_t pcsm_db__put_relock(const pcsm_db *db, const pcsm_revset *expect, pcsm_buf *out)
{
    const pcsm_revision **ids = pcsm__xcalloc(expect->n + 1, sizeof(*ids));
    size_t i;

    /* put_settings' in four statements, not six: this runs once per revision. */
    pcsm_buf_puts(out, "BEGIN ISOLATION LEVEL READ COMMITTED;\n");
    pcsm_db__put_search_path(db, true, out);
    /* 1 / false: division by zero, which aborts the rest of the pipeline. */
    pcsm_buf_printf(out, "SELECT 1 / pg_catalog.pg_try_advisory_xact_lock(%d, ", LOCK_CLASS);
    put_lock_key(db, out);
    pcsm_buf_puts(out, ")::int");
    if (db->opts.statement_timeout_ms > 0)
        pcsm_buf_printf(out, ", pg_catalog.set_config('statement_timeout', '%ld', true)",
                        db->opts.statement_timeout_ms);
    if (db->opts.ddl_lock_timeout_ms > 0)
        pcsm_buf_printf(out, ", pg_catalog.set_config('lock_timeout', '%ld', true)",
                        db->opts.ddl_lock_timeout_ms);
    pcsm_buf_puts(out, ";\n");
    /* A statement of its own: its snapshot is taken once the lock is held.
     * The step's start mark goes with it. */
    memcpy(ids, expect->revs, expect->n * sizeof(*ids));
    qsort(ids, expect->n, sizeof(*ids), compare_ids);
    pcsm_buf_puts(out, "SELECT 1 / ((SELECT coalesce(pg_catalog.array_agg(version_num::text "
                       "ORDER BY version_num COLLATE \"C\"), '{}') FROM ");
    pcsm_db__put_table(db, pcsm_script__version_table(&db->opts.script), out);
    pcsm_buf_puts(out, ") = ARRAY[");
    for (i = 0; i < expect->n; i++) {
        if (i)
            pcsm_buf_puts(out, ", ");
        pcsm_sql__literal(out, ids[i]->id);
    }
    pcsm_buf_puts(out, "]::text[])::int, ");
    pcsm_script__start_mark_expr(out);
    pcsm_buf_puts(out, ";\n");
    free(ids);
    return 4;
}

/* The last error is "relation does not exist" on a live connection. */
static bool undefined_table(pcsm_ctx *ctx, const pcsm_db *db)
{
    const pcsm_error *e = pcsm_error_last(ctx);

    return e->code == PCSM_EDB && e->sqlstate && !strcmp(e->sqlstate, "42P01") &&
           PQstatus(db->conn) == CONNECTION_OK;
}

/*
 * BEGIN, the run's settings and the migration lock, which is transaction
 * scoped: a pooler in transaction mode keeps a transaction on one server
 * connection, so the lock holds wherever the statements go, and it ends
 * with the work it guards.  The key is per schema and version table, so
 * separate schemas migrate independently.  With `read`, the state is read
 * under the lock in the same round trip.
 *
 * It is polled, each attempt a transaction of its own that ends before the
 * wait: a holder's CREATE INDEX CONCURRENTLY waits for every transaction
 * that had a snapshot when it looked, so a waiter must neither block in
 * pg_advisory_xact_lock nor keep one transaction open across its polls;
 * and through a transaction pooler a waiter then holds no server
 * connection while it sleeps.
 */
int pcsm_db__begin_locked(pcsm_ctx *ctx, pcsm_db *db, bool read, char ***ids_out,
                          size_t *n_out)
{
    pcsm_buf key = PCSM_BUF_INIT, sql = PCSM_BUF_INIT, holder = PCSM_BUF_INIT;
    PGresult **res = NULL;
    size_t n = 0;
    double start = pcsm_db__now_ms(), deadline = start + db->opts.lock_timeout_seconds * 1e3;
    double next_report = start;
    long backoff = 20;
    bool with_versions = false, got = false, missing = false;
    int rc = 0;

    if (ids_out) {
        *ids_out = NULL;
        *n_out = 0;
    }
    put_lock_key(db, &key);
    for (;;) {
        with_versions = read && db->have_version_table;
        pcsm_buf_clear(&sql);
        pcsm_buf_puts(&sql, "BEGIN;\n");
        pcsm_db__put_settings(db, &sql);
        pcsm_buf_printf(&sql, "SELECT pg_try_advisory_xact_lock(%d, %s);\n", LOCK_CLASS,
                        key.ptr);
        if (read)
            put_state_query(db, with_versions, &sql);
        rc = pcsm_db__exec_all(ctx, db, sql.ptr, "taking the migration lock", &res, &n);
        if (rc < 0 && with_versions && undefined_table(ctx, db)) {
            /* The version table went away since we looked (a reset, a
             * DBA): look again without it, at once. */
            pcsm_db__clear_all(res, n);
            res = NULL;
            n = 0;
            pcsm_db__rollback(db);
            db->have_version_table = false;
            rc = 0;
            continue;
        }
        if (rc < 0) {
            name_version_table_holder(ctx, db);
            goto done;
        }
        /* Results: BEGIN, each SET, the lock, then the state. */
        got = PQgetvalue(res[n - 1 - (read ? 1 + with_versions : 0)], 0, 0)[0] == 't';
        if (got)
            break;
        pcsm_db__clear_all(res, n);
        res = NULL;
        n = 0;
        if (pcsm_db__now_ms() >= deadline || pcsm_db__now_ms() >= next_report)
            describe_holder(ctx, db, key.ptr, &holder);
        pcsm_db__rollback(db);
        if (pcsm_db__now_ms() >= deadline) {
            rc = pcsm_error__set(ctx, PCSM_ELOCK,
                                 "the migration lock was not free within %.0f s (%s)",
                                 db->opts.lock_timeout_seconds, holder.ptr);
            goto done;
        }
        if (pcsm_db__now_ms() >= next_report) {
            pcsm_db__emit(db, PCSM_EVENT_WAIT, NULL, PCSM_UPGRADE, 0,
                          "waiting for the migration lock, %s", holder.ptr);
            next_report = pcsm_db__now_ms() + 5000;
        }
        pcsm_db__sleep(db, backoff);
        if (pcsm_db__stopping(db)) {
            rc = pcsm_error__set(ctx, PCSM_EINTERRUPTED,
                                 "interrupted while waiting for the migration lock");
            goto done;
        }
        backoff = backoff * 2 > 500 ? 500 : backoff * 2;
    }
    if (read)
        parse_state(db, res + n - 1 - with_versions, 1 + with_versions, ids_out, n_out,
                    &missing);
    if (missing)
        rc = read_state(ctx, db, true, true, ids_out, n_out);
done:
    if (rc < 0) {
        pcsm_db__rollback(db);
        if (ids_out) {
            pcsm_db__free_ids(*ids_out, *n_out);
            *ids_out = NULL;
            *n_out = 0;
        }
    }
    pcsm_db__clear_all(res, n);
    pcsm_buf_dispose(&key);
    pcsm_buf_dispose(&sql);
    pcsm_buf_dispose(&holder);
    return rc;
}

/*
 * Everything in the current schema, and in `schemas` (n of them), that no
 * extension owns, tables first (their sequences, indexes and triggers go
 * with them); then the schemas of `created` (n_created), CASCADE.
 */
void pcsm_db__put_drop_all(pcsm_buf *out, const char *const *schemas, size_t n,
                           const char *const *created, size_t n_created)
{
    pcsm_buf in = PCSM_BUF_INIT, body = PCSM_BUF_INIT;
    size_t i;

    pcsm_buf_puts(&in, "n.nspname = ANY (ARRAY[current_schema()");
    for (i = 0; i < n; i++) {
        pcsm_buf_puts(&in, ", ");
        pcsm_sql__literal(&in, schemas[i]);
    }
    pcsm_buf_puts(&in, "]::text[])");
    pcsm_buf_printf(&body,
        "\nDECLARE r record;\n"
        "BEGIN\n"
        "    FOR r IN SELECT format('DROP %%s IF EXISTS %%I.%%I CASCADE',\n"
        "                CASE c.relkind WHEN 'v' THEN 'VIEW' WHEN 'm' THEN 'MATERIALIZED VIEW'\n"
        "                     WHEN 'S' THEN 'SEQUENCE' WHEN 'f' THEN 'FOREIGN TABLE'\n"
        "                     ELSE 'TABLE' END, n.nspname, c.relname) AS stmt\n"
        "             FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace\n"
        "             WHERE %s AND c.relkind IN ('r', 'p', 'v', 'm', 'f', 'S')\n"
        "               AND NOT EXISTS (SELECT 1 FROM pg_depend d WHERE d.objid = c.oid\n"
        "                               AND d.deptype IN ('e', 'i', 'a'))\n"
        "             ORDER BY c.relkind <> 'r', n.nspname, c.relname\n"
        "    LOOP EXECUTE r.stmt; END LOOP;\n"
        "    FOR r IN SELECT format('DROP %%s IF EXISTS %%s CASCADE',\n"
        "                CASE p.prokind WHEN 'p' THEN 'PROCEDURE' WHEN 'a' THEN 'AGGREGATE'\n"
        "                     ELSE 'FUNCTION' END, p.oid::regprocedure) AS stmt\n"
        "             FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace\n"
        "             WHERE %s\n"
        "               AND NOT EXISTS (SELECT 1 FROM pg_depend d WHERE d.objid = p.oid\n"
        "                               AND d.deptype = 'e')\n"
        "    LOOP EXECUTE r.stmt; END LOOP;\n"
        "    FOR r IN SELECT format('DROP %%s IF EXISTS %%I.%%I CASCADE',\n"
        "                CASE t.typtype WHEN 'd' THEN 'DOMAIN' ELSE 'TYPE' END,\n"
        "                n.nspname, t.typname) AS stmt\n"
        "             FROM pg_type t JOIN pg_namespace n ON n.oid = t.typnamespace\n"
        "             WHERE %s AND t.typtype IN ('e', 'd', 'c', 'r')\n"
        "               AND (t.typrelid = 0 OR (SELECT c.relkind FROM pg_class c\n"
        "                                       WHERE c.oid = t.typrelid) = 'c')\n"
        "               AND NOT EXISTS (SELECT 1 FROM pg_depend d WHERE d.objid = t.oid\n"
        "                               AND d.deptype = 'e')\n"
        "    LOOP EXECUTE r.stmt; END LOOP;\n"
        "END\n", in.ptr, in.ptr, in.ptr);
    pcsm_buf_puts(out, "DO ");
    pcsm_sql__dollar_quote(out, body.ptr);
    pcsm_buf_puts(out, ";\n");
    for (i = 0; i < n_created; i++) {
        pcsm_buf_puts(out, "DROP SCHEMA IF EXISTS ");
        pcsm_sql__ident(out, created[i]);
        pcsm_buf_puts(out, " CASCADE;\n");
    }
    pcsm_buf_dispose(&in);
    pcsm_buf_dispose(&body);
}
