/* bench-floor-connect: the no-op floor of bench/bench.py.  Connects with the
 * libpq conninfo or URL in argv[1], runs QUERY (argv[2], default SELECT 1) and
 * exits (0 when the query succeeded).  The bench passes the version read that a
 * no-op run of pcs-migrate cannot do without, so that the floor does the same work. */
#include <libpq-fe.h>
#include <stdio.h>

int main(int argc, char **argv)
{
    PGconn *conn;
    PGresult *res;
    int ok;

    if (argc != 2 && argc != 3) {
        fprintf(stderr, "usage: bench-floor-connect CONNINFO [QUERY]\n");
        return 2;
    }
    conn = PQconnectdb(argv[1]);
    if (PQstatus(conn) != CONNECTION_OK) {
        fprintf(stderr, "bench-floor-connect: %s", PQerrorMessage(conn));
        PQfinish(conn);
        return 3;
    }
    res = PQexec(conn, argc == 3 ? argv[2] : "SELECT 1");
    ok = PQresultStatus(res) == PGRES_TUPLES_OK;
    if (!ok)
        fprintf(stderr, "bench-floor-connect: %s", PQerrorMessage(conn));
    PQclear(res);
    PQfinish(conn);
    return ok ? 0 : 1;
}
