/* bench-floor-pipeline: the apply/downgrade floors of bench/bench.py.  Sends the
 * NUL-terminated statements of FILE back to back (libpq pipeline mode, one sync at the end);
 * an empty statement (a lone NUL) ends a revision.  Default: one transaction around all of
 * them.  --per-migration: each revision's statements in a BEGIN/COMMIT of their own, still
 * pipelined, which is the least that a tool committing every revision must send. */
#include <libpq-fe.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/select.h>

static int fail(PGconn *conn, const char *what)
{
    fprintf(stderr, "bench-floor-pipeline: %s: %s", what, PQerrorMessage(conn));
    PQfinish(conn);
    return 1;
}

static int queue(PGconn *conn, const char *sql)
{
    return PQsendQueryParams(conn, sql, 0, NULL, NULL, NULL, NULL, 0);
}

int main(int argc, char **argv)
{
    FILE *f;
    char *text;
    long size;
    size_t pos;
    PGconn *conn;
    int errors = 0, synced = 0, per_migration = 0, open_tx = 0;

    if (argc == 4 && strcmp(argv[1], "--per-migration") == 0) {
        per_migration = 1;
        argv++;
        argc--;
    }
    if (argc != 3) {
        fprintf(stderr, "usage: bench-floor-pipeline [--per-migration] CONNINFO FILE\n");
        return 2;
    }
    /* The whole file; statements end with a NUL each. */
    f = fopen(argv[2], "rb");
    if (!f || fseek(f, 0, SEEK_END) != 0 || (size = ftell(f)) < 0 || fseek(f, 0, SEEK_SET) != 0) {
        perror(argv[2]);
        return 2;
    }
    text = malloc((size_t)size + 1);
    if (!text || fread(text, 1, (size_t)size, f) != (size_t)size) {
        perror(argv[2]);
        return 2;
    }
    text[size] = '\0';
    fclose(f);

    conn = PQconnectdb(argv[1]);
    if (PQstatus(conn) != CONNECTION_OK)
        return fail(conn, "connect") + 2;
    /* Non-blocking while sending, so that neither side stalls on a full socket
     * buffer; everything is queued first, then flushed while results are read in. */
    if (PQsetnonblocking(conn, 1) != 0 || !PQenterPipelineMode(conn))
        return fail(conn, "pipeline");
    for (pos = 0; pos < (size_t)size; pos += strlen(text + pos) + 1) {
        if (text[pos] == '\0') {          /* end of a revision */
            if (per_migration && open_tx && !queue(conn, "COMMIT"))
                return fail(conn, "send");
            open_tx = per_migration ? 0 : open_tx;
            continue;
        }
        if (!open_tx && !queue(conn, "BEGIN"))
            return fail(conn, "send");
        open_tx = 1;
        if (!queue(conn, text + pos))
            return fail(conn, "send");
    }
    if ((open_tx && !queue(conn, "COMMIT")) || !PQpipelineSync(conn))
        return fail(conn, "send");
    for (;;) {
        int left = PQflush(conn);
        fd_set rd, wr;

        if (left < 0)
            return fail(conn, "flush");
        if (left == 0)
            break;
        FD_ZERO(&rd);
        FD_ZERO(&wr);
        FD_SET(PQsocket(conn), &rd);
        FD_SET(PQsocket(conn), &wr);
        if (select(PQsocket(conn) + 1, &rd, &wr, NULL, NULL) < 0)
            return fail(conn, "select");
        if (FD_ISSET(PQsocket(conn), &rd) && !PQconsumeInput(conn))
            return fail(conn, "read");
    }
    if (PQsetnonblocking(conn, 0) != 0)
        return fail(conn, "blocking");
    /* One result per statement (each followed by NULL), then the sync. */
    while (!synced) {
        PGresult *res = PQgetResult(conn);

        if (!res) {
            if (PQstatus(conn) == CONNECTION_BAD)
                return fail(conn, "connection lost");
            continue;
        }
        switch (PQresultStatus(res)) {
        case PGRES_PIPELINE_SYNC:
            synced = 1;
            break;
        case PGRES_FATAL_ERROR:
            fprintf(stderr, "bench-floor-pipeline: %s", PQresultErrorMessage(res));
            errors++;
            break;
        default:
            break;
        }
        PQclear(res);
    }
    PQfinish(conn);
    free(text);
    return errors ? 1 : 0;
}
