/*
 * Online runs for real: the pcs-migrate binaries against fresh databases,
 * every command that connects, checked by exit status, output, and the state
 * it leaves in the catalog, the version table and the history table.
 */
#define _GNU_SOURCE /* asprintf */
#include <stdarg.h>
#include <stdio.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "support.h"

static const char *const bookkeeping[] = { "alembic_version", "pcs_migrate_history", NULL };

#define LINEAR_TABLES "accounts,alembic_version,audit_log,pcs_migrate_history,project_tags," \
                      "projects,tags"
#define LINEAR_HISTORY "a10000000001:upgrade,a10000000002:upgrade,a10000000003:upgrade," \
                       "a10000000004:upgrade,a10000000005:upgrade"

static char db[64], db2[64];
static PGconn *conn, *conn2;
static char *url, *url2;
static struct proc_result r;
static char last_cmd[512];

static void setup(void)
{
    conn = test_db_open(db, sizeof(db));
    url = test_conninfo(db);
}

static void teardown(void)
{
    proc_result_free(&r);
    test_db_close(conn, db);
    free(url);
    if (db2[0]) {
        test_db_close(conn2, db2);
        free(url2);
        db2[0] = '\0';
    }
}

/* A second database, for comparisons; dropped by teardown. */
static void open_db2(void)
{
    test_db_create(db2, sizeof(db2));
    conn2 = test_connect(db2);
    url2 = test_conninfo(db2);
}

/*
 * Runs `bin CMD [--database-url DBURL] ARGS...` (ARGS up to a NULL; options
 * before operands) with `env` added.  DBURL NULL passes no --database-url.
 */
static void run_at(const char *bin, const char *const env[], const char *dburl,
                   const char *cmd, ...)
{
    const char *argv[24] = { test_bin(bin), cmd };
    size_t n = 2, len;
    va_list ap;

    if (dburl) {
        argv[n++] = "--database-url";
        argv[n++] = dburl;
    }
    va_start(ap, cmd);
    while (n < 23 && (argv[n] = va_arg(ap, const char *)))
        n++;
    va_end(ap);
    argv[n] = NULL;
    /* For messages: the command without the binary's path and the URL. */
    len = (size_t)snprintf(last_cmd, sizeof(last_cmd), "%s %s", bin, cmd);
    for (size_t i = dburl ? 4 : 2; i < n && len < sizeof(last_cmd); i++)
        len += (size_t)snprintf(last_cmd + len, sizeof(last_cmd) - len, " %s", argv[i]);
    proc_result_free(&r);
    proc_run(argv, NULL, env, &r);
}

#define RUN(bin, ...) run_at(bin, NULL, url, __VA_ARGS__, (const char *)NULL)
#define RUN_ENV(bin, env, ...) run_at(bin, env, url, __VA_ARGS__, (const char *)NULL)
#define RUN_URL(bin, u, ...) run_at(bin, NULL, u, __VA_ARGS__, (const char *)NULL)

#define ASSERT_EXIT(n)                                                                 \
    ck_assert_msg(r.status == (n), "%s: exit %d, expected %d\nstdout:\n%s\nstderr:\n%s", \
                  last_cmd, r.status, (n), r.out, r.err)
#define ASSERT_OUT(want)                                                               \
    ck_assert_msg(strcmp(r.out, (want)) == 0, "%s: stdout\n%s\nexpected\n%s", last_cmd, \
                  r.out, (want))
#define ASSERT_OUT_HAS(s)                                                              \
    ck_assert_msg(strstr(r.out, (s)) != NULL, "%s: '%s' not on stdout:\n%s", last_cmd, \
                  (s), r.out)
#define ASSERT_OUT_LACKS(s)                                                            \
    ck_assert_msg(strstr(r.out, (s)) == NULL, "%s: '%s' on stdout:\n%s", last_cmd, (s), \
                  r.out)
#define ASSERT_ERR_HAS(s)                                                              \
    ck_assert_msg(strstr(r.err, (s)) != NULL, "%s: '%s' not on stderr:\n%s", last_cmd, \
                  (s), r.err)
#define ASSERT_ERR_LACKS(s)                                                            \
    ck_assert_msg(strstr(r.err, (s)) == NULL, "%s: '%s' on stderr:\n%s", last_cmd, (s), \
                  r.err)

/* Compares a malloc'd string with the expected one, then frees it. */
#define ASSERT_STR(expr, want)                                                         \
    do {                                                                               \
        char *got_ = (expr);                                                           \
        ck_assert_msg(strcmp(got_, (want)) == 0, "%s\n  got:  %s\n  want: %s", #expr,  \
                      got_, (want));                                                   \
        free(got_);                                                                    \
    } while (0)

#define ASSERT_QUERY(c, sql, want) ASSERT_STR(test_query(c, sql), want)

static size_t count(const char *haystack, const char *needle)
{
    size_t n = 0;

    for (; (haystack = strstr(haystack, needle)); haystack++)
        n++;
    return n;
}

static bool has_table(PGconn *c, const char *qualified)
{
    const char *params[1] = { qualified };
    PGresult *res = PQexecParams(c, "SELECT to_regclass($1) IS NOT NULL", 1, NULL, params,
                                 NULL, NULL, 0);
    bool yes;

    ck_assert_int_eq(PQresultStatus(res), PGRES_TUPLES_OK);
    yes = PQgetvalue(res, 0, 0)[0] == 't';
    PQclear(res);
    return yes;
}

/* The tables of a schema, comma-joined in name order. */
static char *tables_of(PGconn *c, const char *schema)
{
    char *lit = PQescapeLiteral(c, schema, strlen(schema)), sql[256], *out;

    snprintf(sql, sizeof(sql), "SELECT coalesce(string_agg(tablename, ',' ORDER BY tablename "
             "COLLATE \"C\"), '') FROM pg_tables WHERE schemaname = %s", lit);
    PQfreemem(lit);
    out = test_query(c, sql);
    return out;
}

static char *tables(void)
{
    return tables_of(conn, "public");
}

/* The rows of a version table, comma-joined; "(no table)" without one. */
static char *versions_of(PGconn *c, const char *qualified)
{
    char sql[256];

    if (!has_table(c, qualified))
        return strdup("(no table)");
    snprintf(sql, sizeof(sql), "SELECT coalesce(string_agg(version_num, ',' ORDER BY "
             "version_num), '') FROM %s", qualified);
    return test_query(c, sql);
}

static char *versions(void)
{
    return versions_of(conn, "alembic_version");
}

/* "revision:event" of every history row, oldest first. */
static char *history_of(PGconn *c, const char *qualified)
{
    char sql[256];

    if (!has_table(c, qualified))
        return strdup("(no table)");
    snprintf(sql, sizeof(sql), "SELECT coalesce(string_agg(revision || ':' || event, ',' "
             "ORDER BY id), '') FROM %s", qualified);
    return test_query(c, sql);
}

static char *history(void)
{
    return history_of(conn, "pcs_migrate_history");
}

/* The value after `label` on the output of `bin show REV` (no database). */
static char *show_field(const char *bin, const char *rev, const char *label)
{
    const char *p;

    run_at(bin, NULL, NULL, "show", rev, (const char *)NULL);
    ASSERT_EXIT(0);
    p = strstr(r.out, label);
    ck_assert_msg(p != NULL, "no '%s' in show %s:\n%s", label, rev, r.out);
    p += strlen(label);
    return strndup(p, strcspn(p, "\n"));
}

/* Every line of `text` is one JSON object. */
static void assert_json_lines(const char *text, const char *what)
{
    const char *line = text;

    while (*line) {
        size_t len = strcspn(line, "\n");

        ck_assert_msg(len >= 2 && line[0] == '{' && line[len - 1] == '}',
                      "%s: %s line is not a JSON object: %.*s\nall of it:\n%s", last_cmd,
                      what, (int)len, line, text);
        line += len + (line[len] == '\n');
    }
}

static char *expected_file(const char *name)
{
    char path[4096];

    snprintf(path, sizeof(path), "%s/tests/integration/expected/%s",
             getenv("PCSM_TEST_SOURCE_ROOT"), name);
    return test_read_file(path);
}

/* A conninfo string naming a database that does not exist. */
static char *missing_db_url(void)
{
    char name[64];
    struct timespec ts;

    clock_gettime(CLOCK_REALTIME, &ts);
    snprintf(name, sizeof(name), "nope_%ld_%ld", (long)getpid(), ts.tv_nsec % 1000000);
    return test_conninfo(name);
}

/* ------------------------------------------------------------ upgrade */

START_TEST(test_live_migrate_fresh_database_to_head)
{
    char host[256] = "", sql[1024], *version, *lit_host, *lit_version, *src, *sqlsha;

    RUN("linear", "migrate");
    ASSERT_EXIT(0);
    ASSERT_OUT("a10000000005 (head)\n");
    ASSERT_ERR_HAS("upgrade a10000000001: create accounts");
    ASSERT_ERR_HAS("now at: a10000000005");
    ASSERT_STR(tables(), LINEAR_TABLES);
    ASSERT_STR(versions(), "a10000000005");
    ASSERT_STR(history(), LINEAR_HISTORY);
    ASSERT_QUERY(conn, "SELECT string_agg(parents::text, ' ' ORDER BY id) FROM pcs_migrate_history",
                 "{} {a10000000001} {a10000000002} {a10000000003} {a10000000004}");

    /* Each upgrade row: both checksums, a duration, this host, this binary's version. */
    gethostname(host, sizeof(host) - 1);
    run_at("linear", NULL, NULL, "--version", (const char *)NULL);
    ASSERT_EXIT(0);
    ck_assert(strncmp(r.out, "pcs-migrate ", 12) == 0);
    version = strndup(r.out + 12, strcspn(r.out + 12, "\n"));
    lit_host = PQescapeLiteral(conn, host, strlen(host));
    lit_version = PQescapeLiteral(conn, version, strlen(version));
    snprintf(sql, sizeof(sql),
             "SELECT count(*) FROM pcs_migrate_history WHERE length(source_sha256) = 64 "
             "AND length(sql_sha256) = 64 AND duration_ms >= 0 AND host = %s "
             "AND tool_version = %s AND applied_at <= now() AND detail IS NULL", lit_host,
             lit_version);
    ASSERT_QUERY(conn, sql, "5");
    PQfreemem(lit_host);
    PQfreemem(lit_version);
    free(version);

    /* The checksums are the ones the binary reports for the revision. */
    src = show_field("linear", "a10000000003", "Source SHA-256: ");
    sqlsha = show_field("linear", "a10000000003", "Upgrade SQL SHA-256: ");
    snprintf(sql, sizeof(sql), "%s|%s", src, sqlsha);
    ASSERT_QUERY(conn, "SELECT source_sha256 || '|' || sql_sha256 FROM pcs_migrate_history "
                       "WHERE revision = 'a10000000003'", sql);
    free(src);
    free(sqlsha);

    /* Again: nothing to do, nothing recorded, same answer. */
    RUN("linear", "migrate");
    ASSERT_EXIT(0);
    ASSERT_OUT("a10000000005 (head)\n");
    ASSERT_ERR_HAS("nothing to do");
    ASSERT_ERR_LACKS("upgrade a1");
    RUN("linear", "upgrade");
    ASSERT_EXIT(0);
    ASSERT_OUT("a10000000005 (head)\n");
    ASSERT_ERR_HAS("nothing to do");
    RUN("linear", "upgrade", "heads");
    ASSERT_EXIT(0);
    ASSERT_ERR_HAS("nothing to do");
    ASSERT_STR(history(), LINEAR_HISTORY);
    ASSERT_STR(versions(), "a10000000005");
}
END_TEST

START_TEST(test_live_upgrade_targets)
{
    /* head-N from base. */
    RUN("linear", "upgrade", "head-3");
    ASSERT_EXIT(0);
    ASSERT_OUT("a10000000002\n");
    ASSERT_STR(versions(), "a10000000002");
    ASSERT_STR(tables(), "accounts,alembic_version,pcs_migrate_history,projects");

    /* +N: relative to the database's revision. */
    RUN("linear", "upgrade", "+1");
    ASSERT_EXIT(0);
    ASSERT_OUT("a10000000003\n");
    ASSERT_STR(versions(), "a10000000003");
    ck_assert(has_table(conn, "tags"));
    ck_assert(!has_table(conn, "project_tags"));

    /* REV+N. */
    RUN("linear", "upgrade", "a10000000003+1");
    ASSERT_EXIT(0);
    ASSERT_OUT("a10000000004\n");
    ASSERT_STR(versions(), "a10000000004");

    /* A full id, one transaction per revision. */
    RUN("linear", "upgrade", "--transaction-per-migration", "a10000000005");
    ASSERT_EXIT(0);
    ASSERT_OUT("a10000000005 (head)\n");
    ASSERT_STR(tables(), LINEAR_TABLES);
    ASSERT_STR(history(), LINEAR_HISTORY);

    /* +N past the head. */
    RUN("linear", "upgrade", "+1");
    ASSERT_EXIT(2);
    ASSERT_ERR_HAS("a10000000005 is a head");
    ASSERT_STR(history(), LINEAR_HISTORY);
}
END_TEST

/* What an online upgrade refuses, each leaving the database as it was. */
START_TEST(test_live_upgrade_refusals)
{
    char *before, *after;

    RUN("linear", "upgrade", "head-1");
    ASSERT_EXIT(0);
    before = test_catalog_snapshot(conn, NULL);

    RUN("linear", "upgrade", "a10000000002");
    ASSERT_EXIT(2);
    ASSERT_ERR_HAS("a10000000002 is below the current revision a10000000004");
    ASSERT_ERR_HAS("downgrade");

    RUN("linear", "upgrade", "deadbeef");
    ASSERT_EXIT(2);
    ASSERT_ERR_HAS("'deadbeef'");

    RUN("linear", "upgrade", "a1000000000");
    ASSERT_EXIT(2);
    ASSERT_ERR_HAS("ambiguous");
    ASSERT_ERR_HAS("a10000000001, a10000000002");

    RUN("linear", "upgrade", "base:head");
    ASSERT_EXIT(2);
    ASSERT_ERR_HAS("FROM:TARGET");

    RUN("linear", "downgrade", "a10000000004:a10000000002");
    ASSERT_EXIT(2);
    ASSERT_ERR_HAS("FROM:TARGET");

    RUN("linear", "downgrade", "a10000000005");
    ASSERT_EXIT(2);
    ASSERT_ERR_HAS("a10000000005 is not applied");

    RUN("linear", "downgrade", "nosuchrev");
    ASSERT_EXIT(2);
    ASSERT_ERR_HAS("'nosuchrev'");

    after = test_catalog_snapshot(conn, NULL);
    ck_assert_str_eq(after, before);
    ASSERT_STR(versions(), "a10000000004");
    ASSERT_QUERY(conn, "SELECT count(*) FROM pcs_migrate_history", "4");
    free(before);
    free(after);
}
END_TEST

/* ---------------------------------------------------------- downgrade */

START_TEST(test_live_downgrade_and_rollback)
{
    RUN("linear", "migrate");
    ASSERT_EXIT(0);

    RUN("linear", "downgrade", "a10000000003");
    ASSERT_EXIT(0);
    ASSERT_OUT("a10000000003\n");
    ASSERT_ERR_HAS("downgrade a10000000005");
    ASSERT_ERR_HAS("now at: a10000000003");
    ASSERT_STR(versions(), "a10000000003");
    ASSERT_STR(tables(), "accounts,alembic_version,pcs_migrate_history,projects,tags");
    /* Downgrade rows: newest first down the graph, no SQL checksum, a duration. */
    ASSERT_QUERY(conn, "SELECT string_agg(format('%s|%s|%s|%s', revision, parents, "
                       "sql_sha256 IS NULL, duration_ms >= 0), ' ' ORDER BY id) "
                       "FROM pcs_migrate_history WHERE event = 'downgrade'",
                 "a10000000005|{a10000000004}|t|t a10000000004|{a10000000003}|t|t");

    /* rollback alone: one step. */
    RUN("linear", "rollback");
    ASSERT_EXIT(0);
    ASSERT_OUT("a10000000002\n");
    ASSERT_STR(versions(), "a10000000002");
    ASSERT_STR(tables(), "accounts,alembic_version,pcs_migrate_history,projects");

    /* rollback --revision REV. */
    RUN("linear", "migrate");
    ASSERT_EXIT(0);
    RUN("linear", "rollback", "--revision", "a10000000001");
    ASSERT_EXIT(0);
    ASSERT_OUT("a10000000001\n");
    ASSERT_STR(versions(), "a10000000001");
    ASSERT_STR(tables(), "accounts,alembic_version,pcs_migrate_history");

    /* head-N and REV-N. */
    RUN("linear", "migrate");
    ASSERT_EXIT(0);
    RUN("linear", "downgrade", "head-1");
    ASSERT_EXIT(0);
    ASSERT_STR(versions(), "a10000000004");
    RUN("linear", "downgrade", "a10000000004-1");
    ASSERT_EXIT(0);
    ASSERT_STR(versions(), "a10000000003");

    /* base: everything of the migrations goes, the bookkeeping stays. */
    RUN("linear", "downgrade", "base");
    ASSERT_EXIT(0);
    ASSERT_OUT("");
    ASSERT_ERR_HAS("now at: base");
    ASSERT_STR(versions(), "");
    ASSERT_STR(test_catalog_snapshot(conn, bookkeeping), "");
    ASSERT_STR(tables(), "alembic_version,pcs_migrate_history");

    RUN("linear", "downgrade", "base");
    ASSERT_EXIT(0);
    ASSERT_ERR_HAS("nothing to do");

    RUN("linear", "rollback");
    ASSERT_EXIT(2);
    ASSERT_ERR_HAS("below base");

    RUN("linear", "rollback", "--revision", "a10000000002");
    ASSERT_EXIT(2);
    ASSERT_ERR_HAS("not applied");
    ASSERT_STR(versions(), "");
    ASSERT_QUERY(conn, "SELECT event, count(*) FROM pcs_migrate_history GROUP BY 1 ORDER BY 1",
                 "downgrade|12\nupgrade|12");
}
END_TEST

/* -N as the target, as in `alembic downgrade -1` (and the README). */
START_TEST(test_live_downgrade_relative_target)
{
    RUN("linear", "migrate");
    ASSERT_EXIT(0);
    RUN("linear", "downgrade", "-1");
    ASSERT_EXIT(0);
    ASSERT_OUT("a10000000004\n");
    ASSERT_STR(versions(), "a10000000004");
    RUN("linear", "downgrade", "-2");
    ASSERT_EXIT(0);
    ASSERT_STR(versions(), "a10000000002");
    ASSERT_STR(tables(), "accounts,alembic_version,pcs_migrate_history,projects");
}
END_TEST

/* ------------------------------------------------------------- merges */

START_TEST(test_live_merge_graph_online)
{
    RUN("merge", "upgrade", "b10000000003");
    ASSERT_EXIT(0);
    ASSERT_OUT("b10000000003\n");
    ASSERT_STR(versions(), "b10000000003");
    ASSERT_STR(tables(), "alembic_version,m_a1,m_a2,m_root,pcs_migrate_history");

    /* The other branch too: two heads, two version rows. */
    RUN("merge", "upgrade", "b10000000005");
    ASSERT_EXIT(0);
    ASSERT_OUT("b10000000003\nb10000000005\n");
    ASSERT_STR(versions(), "b10000000003,b10000000005");
    ASSERT_STR(tables(), "alembic_version,m_a1,m_a2,m_b1,m_b2,m_root,pcs_migrate_history");

    RUN("merge", "current");
    ASSERT_EXIT(0);
    ASSERT_OUT("b10000000003\nb10000000005\n");
    RUN("merge", "history", "-i");
    ASSERT_EXIT(0);
    ASSERT_OUT_HAS("b10000000002 -> b10000000003 (current), ");
    ASSERT_OUT_HAS("b10000000004 -> b10000000005 (current), ");
    ck_assert_int_eq(count(r.out, "(current)"), 2);
    RUN("merge", "check");
    ASSERT_EXIT(0);
    ASSERT_OUT_HAS("current: b10000000003 b10000000005\n");
    ASSERT_OUT_HAS("pending: b10000000006 b10000000007\n");

    /* The merge: one row again, and its history row names both parents. */
    RUN("merge", "upgrade", "b10000000006");
    ASSERT_EXIT(0);
    ASSERT_OUT("b10000000006\n");
    ASSERT_STR(versions(), "b10000000006");
    ASSERT_QUERY(conn, "SELECT parents::text FROM pcs_migrate_history "
                       "WHERE revision = 'b10000000006'", "{b10000000003,b10000000005}");

    /* One step down from a merge has no single answer. */
    RUN("merge", "rollback");
    ASSERT_EXIT(2);
    ASSERT_ERR_HAS("merge of b10000000003, b10000000005");
    ASSERT_STR(versions(), "b10000000006");

    RUN("merge", "migrate");
    ASSERT_EXIT(0);
    ASSERT_OUT("b10000000007 (head)\n");
    ck_assert(has_table(conn, "m_after"));

    /* Down through the merge: both branch tips come back. */
    RUN("merge", "downgrade", "b10000000003");
    ASSERT_EXIT(0);
    ASSERT_OUT("b10000000003\nb10000000005\n");
    ASSERT_STR(versions(), "b10000000003,b10000000005");
    ck_assert(!has_table(conn, "m_after"));

    /* One branch down, the other kept. */
    RUN("merge", "downgrade", "b10000000004");
    ASSERT_EXIT(0);
    ASSERT_STR(versions(), "b10000000003,b10000000004");
    ASSERT_STR(tables(), "alembic_version,m_a1,m_a2,m_b1,m_root,pcs_migrate_history");

    RUN("merge", "upgrade", "heads");
    ASSERT_EXIT(0);
    ASSERT_STR(versions(), "b10000000007");

    RUN("merge", "downgrade", "base");
    ASSERT_EXIT(0);
    ASSERT_STR(versions(), "");
    ASSERT_STR(test_catalog_snapshot(conn, bookkeeping), "");
}
END_TEST

/* ----------------------------------------------------------- failures */

START_TEST(test_live_failure_rolls_back_the_whole_run)
{
    RUN("failing", "migrate");
    ASSERT_EXIT(1);
    ASSERT_OUT("");
    ASSERT_ERR_HAS("revision f10000000003");
    ASSERT_ERR_HAS("upgrade: execute");
    ASSERT_ERR_HAS("division by zero");
    ASSERT_ERR_HAS("SQLSTATE 22012");
    ASSERT_ERR_HAS("SQL: SELECT 1 / 0");
    /* The first run on a fresh database leaves it exactly as it was. */
    ASSERT_STR(tables(), "");
    ASSERT_QUERY(conn, "SELECT count(*) FROM pg_class WHERE relnamespace = 'public'::regnamespace",
                 "0");

    /* With the history table in place, the failure is recorded. */
    RUN("failing", "upgrade", "f10000000002");
    ASSERT_EXIT(0);
    RUN("failing", "migrate");
    ASSERT_EXIT(1);
    ASSERT_ERR_HAS("SQLSTATE 22012");
    ASSERT_STR(versions(), "f10000000002");
    ASSERT_STR(tables(), "alembic_version,f1,f2,pcs_migrate_history");
    ASSERT_STR(history(), "f10000000001:upgrade,f10000000002:upgrade,f10000000003:failed");
    ASSERT_QUERY(conn, "SELECT parents::text, sql_sha256 IS NULL, detail LIKE '%22012%' "
                       "FROM pcs_migrate_history WHERE event = 'failed'",
                 "{f10000000002}|t|t");
}
END_TEST

/*
 * A failure inside a batch of generated statements (not raw SQL, which
 * runs alone) is still pinned on its revision and operation: the results
 * before it are matched back one by one.
 */
START_TEST(test_live_failure_inside_a_batch_names_its_operation)
{
    test_exec(conn, "CREATE TABLE tags (x int)");
    RUN("linear", "migrate");
    ASSERT_EXIT(1);
    ASSERT_ERR_HAS("revision a10000000003");
    ASSERT_ERR_HAS("upgrade: create_table \"tags\"");
    ASSERT_ERR_HAS("SQLSTATE 42P07");
    ASSERT_ERR_HAS("SQL: CREATE TABLE \"tags\"");
    /* Revisions 1 and 2 went in the same transaction: rolled back too. */
    ASSERT_STR(tables(), "tags");
    ASSERT_QUERY(conn, "SELECT count(*) FROM pg_attribute WHERE attrelid = 'tags'::regclass "
                       "AND attnum > 0", "1");
}
END_TEST

START_TEST(test_live_failure_per_migration_keeps_what_committed)
{
    RUN("failing", "migrate", "--transaction-per-migration");
    ASSERT_EXIT(1);
    ASSERT_ERR_HAS("revision f10000000003");
    ASSERT_ERR_HAS("SQLSTATE 22012");
    ASSERT_STR(versions(), "f10000000002");
    ASSERT_STR(tables(), "alembic_version,f1,f2,pcs_migrate_history");
    ASSERT_STR(history(), "f10000000001:upgrade,f10000000002:upgrade,f10000000003:failed");

    /* No dirty flag: the next run tries again, and fails the same way. */
    RUN("failing", "migrate", "--transaction-per-migration");
    ASSERT_EXIT(1);
    ASSERT_STR(versions(), "f10000000002");
    ASSERT_STR(history(), "f10000000001:upgrade,f10000000002:upgrade,f10000000003:failed,"
                          "f10000000003:failed");
}
END_TEST

START_TEST(test_live_failure_per_migration_from_environment)
{
    static const char *const off[] = { "PCS_MIGRATE_TRANSACTION_PER_MIGRATION=0", NULL };
    static const char *const on[] = { "PCS_MIGRATE_TRANSACTION_PER_MIGRATION=1", NULL };

    RUN_ENV("failing", off, "migrate");
    ASSERT_EXIT(1);
    ASSERT_STR(tables(), "");

    RUN_ENV("failing", on, "migrate");
    ASSERT_EXIT(1);
    ASSERT_ERR_HAS("SQLSTATE 22012");
    ASSERT_STR(versions(), "f10000000002");
    ASSERT_STR(tables(), "alembic_version,f1,f2,pcs_migrate_history");
    ASSERT_STR(history(), "f10000000001:upgrade,f10000000002:upgrade,f10000000003:failed");
}
END_TEST

/* A server-side statement_timeout fails the run like any error: rolled back. */
START_TEST(test_live_statement_timeout_fails_the_run)
{
    RUN("sleepy", "migrate", "--statement-timeout", "0.3");
    ASSERT_EXIT(1);
    ASSERT_ERR_HAS("revision d10000000002");
    ASSERT_ERR_HAS("57014");
    ASSERT_STR(tables(), "");
}
END_TEST

/* ------------------------------------------------------ current, check */

/*
 * "pid N (traffic-app, from CLIENT, idle in transaction" as the holder's
 * description reads for `traffic`: CLIENT is its address, or "local
 * socket", whichever the test server is reached by.
 */
static void traffic_holder(PGconn *traffic, const char *prefix, char *out, size_t size)
{
    char *client = test_query(traffic, "SELECT coalesce(host(client_addr), 'local socket') "
                                       "FROM pg_stat_activity WHERE pid = pg_backend_pid()");

    snprintf(out, size, "%sheld by pid %d (traffic-app, from %s, idle in transaction", prefix,
             PQbackendPID(traffic), client);
    free(client);
}

/*
 * DDL waits at most --ddl-lock-timeout for a lock that live traffic holds,
 * then the transaction is rolled back and rerun with backoff, a bounded
 * number of times; live traffic is never queued behind the migration.
 * After the last retry the run exits 4, lock not obtained (not 1: the SQL
 * is sound), naming the session that held the table (issue 18).
 */
START_TEST(test_live_ddl_lock_timeout_retries)
{
    PGconn *traffic = test_connect(db);
    PGresult *res;
    char holder[128];
    int mode;

    test_exec(traffic, "SET application_name = 'traffic-app'");
    traffic_holder(traffic, "", holder, sizeof(holder));
    RUN("linear", "upgrade", "a10000000003");
    ASSERT_EXIT(0);
    /* An open write transaction on projects: the next revision's foreign
     * key needs a lock that conflicts with it.  In one transaction, then
     * one per migration. */
    test_exec(traffic, "BEGIN");
    test_exec(traffic, "LOCK TABLE projects IN ROW EXCLUSIVE MODE");
    for (mode = 0; mode < 2; mode++) {
        if (mode == 0)
            RUN("linear", "migrate", "--ddl-lock-timeout", "0.1", "--ddl-retries", "2");
        else
            RUN("linear", "migrate", "--transaction-per-migration", "--ddl-lock-timeout",
                "0.1", "--ddl-retries", "2");
        ASSERT_EXIT(4);
        ASSERT_ERR_HAS("SQLSTATE 55P03");
        ASSERT_ERR_HAS("retry 1 of 2");
        ASSERT_ERR_HAS("retry 2 of 2");
        ASSERT_ERR_LACKS("retry 3");
        ASSERT_ERR_HAS("the lock was not obtained in 3 tries of 100 ms");
        ASSERT_ERR_HAS("table projects ");
        ASSERT_ERR_HAS(holder);
        ASSERT_ERR_HAS("RowExclusiveLock)");
        ASSERT_QUERY(conn, "SELECT version_num FROM alembic_version", "a10000000003");
        ASSERT_QUERY(conn, "SELECT to_regclass('project_tags') IS NULL", "t");
        /* The history row says the same. */
        ASSERT_QUERY(conn, "SELECT event, detail LIKE '%not obtained in 3 tries%' FROM "
                           "pcs_migrate_history ORDER BY id DESC LIMIT 1", "failed|t");
    }
    test_exec(traffic, "ROLLBACK");

    /* Traffic that ends by itself (one second) is outlasted by the retries. */
    ck_assert_int_eq(PQsendQuery(traffic, "BEGIN; LOCK TABLE projects IN ROW EXCLUSIVE MODE; "
                                          "SELECT pg_sleep(1); COMMIT"), 1);
    /* Wait (bounded) until the server shows the lock held. */
    {
        int tries;
        char *held = NULL;

        for (tries = 0; tries < 500; tries++) {
            free(held);
            held = test_query(conn, "SELECT count(*) > 0 FROM pg_locks l JOIN pg_class c "
                                    "ON c.oid = l.relation WHERE c.relname = 'projects' "
                                    "AND l.mode = 'RowExclusiveLock' AND l.granted");
            if (!strcmp(held, "t"))
                break;
            usleep(10000);
        }
        ck_assert_str_eq(held, "t");
        free(held);
    }
    RUN("linear", "migrate", "--ddl-lock-timeout", "0.1", "--ddl-retries", "8");
    ASSERT_EXIT(0);
    ASSERT_ERR_HAS("retry 1 of 8");
    ASSERT_QUERY(conn, "SELECT version_num FROM alembic_version", "a10000000005");
    while ((res = PQgetResult(traffic)))
        PQclear(res);
    PQfinish(traffic);
}
END_TEST

/*
 * A nontransactional revision's statements run without --ddl-lock-timeout
 * (a CREATE INDEX CONCURRENTLY also waits for every older transaction, and
 * is never rerun blindly), so they wait for a table's holder unless the
 * server's or the role's lock_timeout ends them: that too exits 4, naming
 * the holder, and leaves the database as it was.
 */
START_TEST(test_live_nontransactional_lock_timeout)
{
    static const char *const env[] = { "PGOPTIONS=-c lock_timeout=300", NULL };
    PGconn *traffic = test_connect(db);
    char holder[128];

    RUN("concurrent", "upgrade", "g10000000001");
    ASSERT_EXIT(0);
    test_exec(traffic, "SET application_name = 'traffic-app'");
    traffic_holder(traffic, "table accounts ", holder, sizeof(holder));
    test_exec(traffic, "BEGIN");
    test_exec(traffic, "LOCK TABLE accounts IN ACCESS EXCLUSIVE MODE");
    RUN_ENV("concurrent", env, "migrate");
    ASSERT_EXIT(4);
    ASSERT_ERR_HAS("SQLSTATE 55P03");
    ASSERT_ERR_HAS("this revision runs outside a transaction");
    ASSERT_ERR_HAS("the lock was not obtained within the server's lock_timeout");
    ASSERT_ERR_HAS(holder);
    ASSERT_ERR_HAS("AccessExclusiveLock)");
    ASSERT_ERR_LACKS("retry");
    ASSERT_QUERY(conn, "SELECT version_num FROM alembic_version", "g10000000001");
    ASSERT_QUERY(conn, "SELECT to_regclass('ux_accounts_email') IS NULL, "
                       "to_regclass('sessions') IS NULL", "t|t");
    ASSERT_QUERY(conn, "SELECT event FROM pcs_migrate_history ORDER BY id DESC LIMIT 1",
                 "failed");
    test_exec(traffic, "ROLLBACK");
    PQfinish(traffic);

    /* The holder gone, the next run builds it. */
    RUN_ENV("concurrent", env, "migrate");
    ASSERT_EXIT(0);
    ASSERT_QUERY(conn, "SELECT version_num FROM alembic_version", "g10000000003");
}
END_TEST

/*
 * CREATE INDEX takes SHARE: an older reader's ACCESS SHARE does not block
 * it, a writer's ROW EXCLUSIVE does.  With both holding the table, the
 * writer is the one named.
 */
START_TEST(test_live_lock_timeout_names_the_writer_not_a_reader)
{
    PGconn *reader = test_connect(db), *writer = test_connect(db);
    char holder[128];

    RUN("lint", "upgrade", "l10000000001");
    ASSERT_EXIT(0);
    test_exec(reader, "BEGIN");
    test_exec(reader, "SELECT count(*) FROM accounts");
    test_exec(writer, "BEGIN");
    test_exec(writer, "DELETE FROM accounts WHERE false");
    snprintf(holder, sizeof(holder), "table accounts held by pid %d (", PQbackendPID(writer));
    RUN("lint", "upgrade", "l10000000002", "--ddl-lock-timeout", "0.2", "--ddl-retries", "0");
    ASSERT_EXIT(4);
    ASSERT_ERR_HAS(holder);
    ASSERT_ERR_HAS("RowExclusiveLock)");
    test_exec(writer, "ROLLBACK");
    test_exec(reader, "ROLLBACK");
    PQfinish(writer);
    PQfinish(reader);
    ASSERT_QUERY(conn, "SELECT version_num FROM alembic_version", "l10000000001");
    ASSERT_QUERY(conn, "SELECT to_regclass('ix_accounts_name') IS NULL", "t");
}
END_TEST

/*
 * lock_timeout on the version table itself (a reset's DROP or a DBA's LOCK
 * holds it): the up-to-date check gives up after --ddl-lock-timeout and
 * exits 4 too, naming the holder.
 */
START_TEST(test_live_version_table_lock_timeout)
{
    PGconn *traffic = test_connect(db);
    char holder[128];

    RUN("linear", "upgrade", "a10000000003");
    ASSERT_EXIT(0);
    snprintf(holder, sizeof(holder), "table alembic_version held by pid %d (",
             PQbackendPID(traffic));
    test_exec(traffic, "BEGIN");
    test_exec(traffic, "LOCK TABLE alembic_version IN ACCESS EXCLUSIVE MODE");
    RUN("linear", "migrate", "--ddl-lock-timeout", "0.2");
    ASSERT_EXIT(4);
    ASSERT_ERR_HAS("reading the version table");
    ASSERT_ERR_HAS("SQLSTATE 55P03");
    ASSERT_ERR_HAS(holder);
    ASSERT_ERR_HAS("AccessExclusiveLock)");
    /* check says so in its status, and exits 4 as well. */
    RUN("linear", "check", "--no-drift", "--format", "json", "--ddl-lock-timeout", "0.2");
    ASSERT_EXIT(4);
    ck_assert_msg(strstr(r.out, "\"ok\":false,\"status\":\"locked\""), "%s", r.out);
    ASSERT_ERR_HAS(holder);
    test_exec(traffic, "ROLLBACK");
    PQfinish(traffic);
    ASSERT_QUERY(conn, "SELECT version_num FROM alembic_version", "a10000000003");
    ASSERT_QUERY(conn, "SELECT to_regclass('project_tags') IS NULL", "t");
}
END_TEST

/*
 * A view turns a database it cannot read into a warning, but not a signal:
 * SIGTERM while it waits for the server ends it with 143, as any command.
 */
START_TEST(test_live_view_interrupted_is_not_a_warning)
{
    const char *argv[] = { test_bin("linear"), "history", "-i", "--wait", "60",
                           "--database-url", "host=/nonexistent", NULL };
    struct proc_result res;
    struct proc_bg b;

    proc_start(&b, argv, NULL, NULL);
    ck_assert_msg(proc_await_stderr(&b, "waiting for the server", 15),
                  "history -i --wait never waited");
    kill(b.pid, SIGTERM);
    proc_wait(&b, 15, &res);
    ck_assert_msg(res.status == 143, "exit %d | %s", res.status, test_flat(res.err));
    ck_assert_ptr_null(strstr(res.err, "is not marked"));
    proc_result_free(&res);
}
END_TEST

/*
 * Batches are reported as they go, not when the update ends: a row lock on
 * a row of the second batch holds the run there, and the first batch's
 * line must be out already.
 */
START_TEST(test_live_batches_reported_while_running)
{
    PGconn *traffic = test_connect(db);
    const char *argv[] = { test_bin("data"), "migrate", "--ddl-lock-timeout", "0",
                           "--database-url", url, NULL };
    struct proc_result res;
    struct proc_bg b;

    /* c20000000003 is two batches of 10,000 and nothing else to lock items. */
    RUN("data", "upgrade", "c20000000002");
    ASSERT_EXIT(0);
    test_exec(traffic, "BEGIN");
    test_exec(traffic, "SELECT 1 FROM items WHERE id = 15000 FOR UPDATE");
    proc_start(&b, argv, NULL, NULL);
    ck_assert_msg(proc_await_stderr(&b, "batch 1, 10000 rows", 30),
                  "batch 1 not reported while batch 2 waits for its row");
    ck_assert(!proc_done(&b));
    test_exec(traffic, "COMMIT");
    proc_wait(&b, 60, &res);
    ck_assert_msg(res.status == 0, "exit %d | %s", res.status, test_flat(res.err));
    ck_assert_ptr_nonnull(strstr(res.err, "batch 2, 10000 rows, 20000 in all"));
    proc_result_free(&res);
    PQfinish(traffic);
    ASSERT_QUERY(conn, "SELECT version_num FROM alembic_version", "c20000000003");
}
END_TEST

/* A data migration over 100,000 rows: batches reported as they go. */
START_TEST(test_live_data_migration_in_batches)
{
    RUN("data", "migrate");
    ASSERT_EXIT(0);
    /* 100,000 rows in batches of 10,000: ten progress lines on stderr. */
    ASSERT_ERR_HAS("batch_update \"items\": batch 1, 10000 rows, 10000 in all");
    ASSERT_ERR_HAS("batch_update \"items\": batch 10, 10000 rows, 100000 in all");
    ASSERT_ERR_LACKS("batch 11,");
    /*
     * Notices come after the start line of their own step: c20000000003's
     * first statement is its batched update, whose notices arrive before
     * any result of the step (issue 18).
     */
    {
        const char *done2 = strstr(r.err, "upgrade c20000000002 done");
        const char *start3 = strstr(r.err, "upgrade c20000000003: ");

        ck_assert_msg(done2 && start3 && start3 < strstr(done2, "batch_update"),
                      "stderr:\n%s", r.err);
    }
    ASSERT_QUERY(conn, "SELECT count(*), count(*) FILTER (WHERE price * 100 = price_cents) "
                       "FROM items", "100000|100000");
    ASSERT_QUERY(conn, "SELECT attnotnull FROM pg_attribute WHERE attrelid = 'items'::regclass "
                       "AND attname = 'price'", "t");
    RUN("data", "downgrade", "c20000000001");
    ASSERT_EXIT(0);
    ASSERT_QUERY(conn, "SELECT count(*) FROM pg_attribute WHERE attrelid = 'items'::regclass "
                       "AND attname = 'price' AND NOT attisdropped", "0");

    /* The assertion guards the data: a row the update cannot fix fails the run. */
    test_exec(conn, "ALTER TABLE items ALTER COLUMN price_cents DROP NOT NULL");
    test_exec(conn, "UPDATE items SET price_cents = NULL WHERE id = 777");
    RUN("data", "migrate");
    ASSERT_EXIT(1);
    ASSERT_ERR_HAS("every item has a price equal to its cents");
    ASSERT_ERR_HAS("SQLSTATE P0004");
    ASSERT_QUERY(conn, "SELECT version_num FROM alembic_version", "c20000000001");
}
END_TEST

/*
 * A nontransactional revision runs between two transactions: the revision
 * before it is committed first, a 'started' row marks what it builds, its
 * bookkeeping has a transaction of its own; when its build fails, the
 * INVALID index it left is dropped and the message says so.
 */
START_TEST(test_live_nontransactional_revision)
{
    RUN("concurrent", "migrate");
    ASSERT_EXIT(0);
    ASSERT_ERR_HAS("(outside a transaction)");
    ASSERT_QUERY(conn, "SELECT indisvalid, indisunique FROM pg_index "
                       "WHERE indexrelid = 'ux_accounts_email'::regclass", "t|t");
    ASSERT_QUERY(conn, "SELECT version_num FROM alembic_version", "g10000000003");
    ASSERT_QUERY(conn, "SELECT string_agg(revision || ':' || event, ',' ORDER BY id) "
                       "FROM pcs_migrate_history",
                 "g10000000001:upgrade,g10000000002:started,g10000000002:upgrade,"
                 "g10000000003:upgrade");
    RUN("concurrent", "downgrade", "g10000000001");
    ASSERT_EXIT(0);
    ASSERT_QUERY(conn, "SELECT to_regclass('ux_accounts_email') IS NULL, "
                       "to_regclass('sessions') IS NULL", "t|t");
    ASSERT_QUERY(conn, "SELECT version_num FROM alembic_version", "g10000000001");

    /* Duplicate emails: the concurrent build fails, after revision 1 was committed. */
    test_exec(conn, "INSERT INTO accounts VALUES (1, 'a@example.org'), (2, 'a@example.org')");
    RUN("concurrent", "migrate");
    ASSERT_EXIT(1);
    ASSERT_ERR_HAS("SQLSTATE 23505");
    ASSERT_ERR_HAS("outside a transaction");
    ASSERT_ERR_HAS("the INVALID index public.ux_accounts_email it left was dropped");
    ASSERT_QUERY(conn, "SELECT version_num FROM alembic_version", "g10000000001");
    ASSERT_QUERY(conn, "SELECT to_regclass('ux_accounts_email') IS NULL", "t");
    ASSERT_QUERY(conn, "SELECT event FROM pcs_migrate_history ORDER BY id DESC LIMIT 1",
                 "failed");
    ASSERT_QUERY(conn, "SELECT to_regclass('sessions') IS NULL", "t");

    /* The data fixed, the next run builds it. */
    test_exec(conn, "DELETE FROM accounts WHERE id = 2");
    RUN("concurrent", "migrate");
    ASSERT_EXIT(0);
    ASSERT_QUERY(conn, "SELECT indisvalid FROM pg_index "
                       "WHERE indexrelid = 'ux_accounts_email'::regclass", "t");
    ASSERT_QUERY(conn, "SELECT version_num FROM alembic_version", "g10000000003");
}
END_TEST

START_TEST(test_live_current)
{
    /* A fresh database: base, and nothing created by looking. */
    RUN("linear", "current");
    ASSERT_EXIT(0);
    ASSERT_OUT("");
    RUN("linear", "current", "--verbose");
    ASSERT_EXIT(0);
    ASSERT_OUT_HAS("Database: PostgreSQL ");
    ASSERT_OUT_HAS("Current: <base>");
    ASSERT_STR(tables(), "");

    RUN("linear", "upgrade", "a10000000003");
    ASSERT_EXIT(0);
    RUN("linear", "current");
    ASSERT_EXIT(0);
    ASSERT_OUT("a10000000003\n");
    RUN("linear", "current", "--verbose");
    ASSERT_EXIT(0);
    ASSERT_OUT_HAS("Rev: a10000000003\n");
    ASSERT_OUT_HAS("Parent: a10000000002\n");
    ASSERT_OUT_HAS("Source SHA-256: ");
    ASSERT_OUT_HAS("    create tags\n");
    RUN("linear", "current", "--format", "json");
    ASSERT_EXIT(0);
    ASSERT_OUT("{\"command\":\"current\",\"current\":[\"a10000000003\"]}\n");

    RUN("linear", "migrate");
    ASSERT_EXIT(0);
    RUN("linear", "current");
    ASSERT_EXIT(0);
    ASSERT_OUT("a10000000005 (head)\n");
}
END_TEST

/*
 * A version table tampered with (by hand, by another tool) is named by
 * check with its remedy (exit 5), and migrate refuses to build on it; the
 * stamp the message suggests repairs it.  Loop index: the tampering.
 */
static const struct {
    const char *sql;            /* run on a database at a10000000003 */
    const char *message;        /* what check says */
} tampered[] = {
    { "ALTER TABLE alembic_version DROP CONSTRAINT alembic_version_pkc; "
      "INSERT INTO alembic_version VALUES ('a10000000003')",
      "holds revision a10000000003 more than once" },
    { "INSERT INTO alembic_version VALUES ('a10000000001')",
      "holds both a10000000001 and its descendant a10000000003" },
    { "INSERT INTO alembic_version VALUES ('')", "holds an empty revision id" },
    { "DROP TABLE alembic_version",
      "the version table \"alembic_version\" is missing, but the history table records the "
      "upgrade of revision a10000000003" },
    { "DELETE FROM alembic_version",
      "the version table \"alembic_version\" says base, but the history table's last move is "
      "the upgrade of revision a10000000003" },
    { "UPDATE alembic_version SET version_num = 'a10000000002'",
      "says a10000000002, but the history table's last move is the upgrade of revision "
      "a10000000003" },
};

START_TEST(test_live_check_tampered_version_table)
{
    RUN("linear", "upgrade", "a10000000003");
    ASSERT_EXIT(0);
    test_exec(conn, tampered[_i].sql);
    RUN("linear", "check");
    ASSERT_EXIT(5);
    ASSERT_ERR_HAS(tampered[_i].message);
    ASSERT_OUT_HAS("status: inconsistent");
    /* Nothing built on it. */
    RUN("linear", "migrate");
    ASSERT_EXIT(5);
    ASSERT_ERR_HAS(tampered[_i].message);
    ASSERT_QUERY(conn, "SELECT count(*) FROM pg_class WHERE relname IN ('project_tags', "
                       "'audit_log')", "0");
    /* The remedy: stamp what the schema is at. */
    RUN("linear", "stamp", "a10000000003");
    ASSERT_EXIT(0);
    RUN("linear", "check");
    ASSERT_EXIT(0);
    RUN("linear", "migrate");
    ASSERT_EXIT(0);
    ASSERT_QUERY(conn, "SELECT string_agg(version_num, ',') FROM alembic_version",
                 "a10000000005");
}
END_TEST

START_TEST(test_live_check_text_and_json)
{
    RUN("linear", "check");
    ASSERT_EXIT(0);
    ASSERT_OUT_HAS("database: PostgreSQL ");
    ASSERT_OUT_HAS("current: base\n");
    ASSERT_OUT_HAS("head: a10000000005\n");
    ASSERT_OUT_HAS("pending: a10000000001 a10000000002 a10000000003 a10000000004 "
                   "a10000000005\n");
    ASSERT_OUT_HAS("status: ok\n");
    ASSERT_STR(tables(), "");

    RUN("linear", "upgrade", "head-1");
    ASSERT_EXIT(0);
    RUN("linear", "check", "--format", "json");
    ASSERT_EXIT(0);
    assert_json_lines(r.out, "stdout");
    assert_json_lines(r.err, "stderr");
    ck_assert_int_eq(count(r.out, "\n"), 1);
    ASSERT_OUT_HAS("{\"command\":\"check\",");
    ASSERT_OUT_HAS("\"current\":[\"a10000000004\"]");
    ASSERT_OUT_HAS("\"head\":[\"a10000000005\"]");
    ASSERT_OUT_HAS("\"pending\":[\"a10000000005\"]");
    ASSERT_OUT_HAS("\"ok\":true");

    RUN("linear", "migrate");
    ASSERT_EXIT(0);
    RUN("linear", "check");
    ASSERT_EXIT(0);
    ASSERT_OUT_HAS("current: a10000000005\n");
    ASSERT_OUT_HAS("pending: none\n");
    ASSERT_OUT_HAS("status: ok\n");
    ASSERT_STR(history(), LINEAR_HISTORY);
}
END_TEST

/* ---------------------------------------------------------- stamp, reset */

START_TEST(test_live_stamp)
{
    RUN("linear", "stamp", "a10000000003");
    ASSERT_EXIT(0);
    ASSERT_OUT("a10000000003\n");
    /* Nothing of the migrations ran. */
    ASSERT_STR(tables(), "alembic_version,pcs_migrate_history");
    ASSERT_STR(versions(), "a10000000003");
    ASSERT_QUERY(conn, "SELECT format('%s|%s|%s|%s|%s|%s', revision, event, parents, "
                       "sql_sha256 IS NULL, duration_ms IS NULL, detail IS NOT NULL) "
                       "FROM pcs_migrate_history",
                 "a10000000003|stamp|{a10000000002}|t|t|t");

    /* A stamped revision never ran here: there is no checksum to hold it to. */
    RUN("linear", "check", "--no-drift");
    ASSERT_EXIT(0);
    ASSERT_OUT_HAS("current: a10000000003\n");
    ASSERT_OUT_HAS("pending: a10000000004 a10000000005\n");
    RUN("linear_changed_sql", "check", "--no-drift");
    ASSERT_EXIT(0);
    /* But nothing it declares is there: drift, each table once. */
    RUN("linear", "check");
    ASSERT_EXIT(6);
    ASSERT_OUT_HAS("missing  table accounts\nmissing  table projects\nmissing  table tags\n");
    ASSERT_OUT_HAS("status: drift\n");

    RUN("linear", "stamp", "base");
    ASSERT_EXIT(0);
    ASSERT_OUT("");
    ASSERT_STR(versions(), "");
    ASSERT_STR(history(), "a10000000003:stamp,<base>:stamp");

    RUN("linear", "stamp", "deadbeef");
    ASSERT_EXIT(2);
    ASSERT_ERR_HAS("'deadbeef'");
    ASSERT_STR(versions(), "");
    ASSERT_STR(history(), "a10000000003:stamp,<base>:stamp");

    /* From base again, the migrations run for real. */
    RUN("linear", "migrate");
    ASSERT_EXIT(0);
    ASSERT_STR(tables(), LINEAR_TABLES);

    /* Stamping down drops nothing. */
    RUN("linear", "stamp", "a10000000002");
    ASSERT_EXIT(0);
    ASSERT_OUT("a10000000002\n");
    ASSERT_STR(versions(), "a10000000002");
    ASSERT_STR(tables(), LINEAR_TABLES);
}
END_TEST

START_TEST(test_live_reset)
{
    char *want;

    RUN("linear", "upgrade", "a10000000003");
    ASSERT_EXIT(0);
    test_exec(conn, "CREATE TABLE stray (id int);"
                    "CREATE VIEW stray_view AS SELECT 1 AS x;"
                    "CREATE SEQUENCE stray_seq;"
                    "CREATE FUNCTION stray_fn() RETURNS int LANGUAGE sql AS 'SELECT 1';"
                    "CREATE TYPE stray_mood AS ENUM ('ok');"
                    "CREATE SCHEMA keep; CREATE TABLE keep.kept (id int)");

    /* No --yes: refused, nothing dropped. */
    RUN("linear", "reset");
    ASSERT_EXIT(2);
    ASSERT_ERR_HAS("--yes");
    ck_assert(has_table(conn, "stray"));
    ck_assert(has_table(conn, "stray_view"));
    ASSERT_STR(versions(), "a10000000003");
    ASSERT_QUERY(conn, "SELECT count(*) FROM pcs_migrate_history", "3");

    RUN("linear", "reset", "--yes");
    ASSERT_EXIT(0);
    ASSERT_OUT("a10000000005 (head)\n");
    ASSERT_STR(versions(), "a10000000005");
    /* The history went with everything else; the run recorded anew. */
    ASSERT_STR(history(), LINEAR_HISTORY);
    ck_assert(has_table(conn, "keep.kept"));

    /* Exactly what a fresh database migrates to. */
    open_db2();
    RUN_URL("linear", url2, "migrate");
    ASSERT_EXIT(0);
    want = test_catalog_snapshot(conn2, NULL);
    ASSERT_STR(test_catalog_snapshot(conn, NULL), want);
    free(want);
}
END_TEST

/* -------------------------------------------- history, heads, show marks */

START_TEST(test_live_views_mark_what_is_applied)
{
    RUN("linear", "upgrade", "a10000000003");
    ASSERT_EXIT(0);

    /* history reads the database only with -i, as Alembic's. */
    RUN("linear", "history");
    ASSERT_EXIT(0);
    ASSERT_OUT_LACKS("(current)");
    ASSERT_STR(strdup(r.err), "");
    RUN("linear", "history", "-i");
    ASSERT_EXIT(0);
    ASSERT_OUT_HAS("a10000000002 -> a10000000003 (current), create tags\n");
    ASSERT_OUT_HAS("a10000000004 -> a10000000005 (head), create audit_log\n");
    ck_assert_int_eq(count(r.out, "(current)"), 1);
    /* JSON: "current" is what the version table holds. */
    RUN("linear", "history", "--indicate-current", "--format", "json");
    ASSERT_EXIT(0);
    ASSERT_OUT_HAS("{\"command\":\"history\",\"current\":[\"a10000000003\"],");
    ASSERT_STR(versions(), "a10000000003");
    ck_assert_int_eq(count(r.out, "\"current\":true"), 1);
    ck_assert_int_eq(count(r.out, "\"current\":false"), 4);
    ck_assert_int_eq(count(r.out, "\"applied\":true"), 3);
    RUN("linear", "history", "--verbose", "-i");
    ASSERT_EXIT(0);
    ck_assert_int_eq(count(r.out, "Applied: yes"), 3);
    ck_assert_int_eq(count(r.out, "Applied: no"), 2);

    RUN("linear", "heads");
    ASSERT_EXIT(0);
    ASSERT_OUT("a10000000005 (head)\n");

    RUN("linear", "show", "a10000000002");
    ASSERT_EXIT(0);
    ASSERT_OUT_HAS("Applied: yes\n");
    RUN("linear", "show", "a10000000003");
    ASSERT_EXIT(0);
    ASSERT_OUT_HAS("Rev: a10000000003 (current)\n");
    ASSERT_OUT_HAS("Applied: yes\n");
    RUN("linear", "show", "a10000000004");
    ASSERT_EXIT(0);
    ASSERT_OUT_HAS("Applied: no\n");
    ASSERT_OUT_LACKS("(current)");

    RUN("linear", "migrate");
    ASSERT_EXIT(0);
    RUN("linear", "heads");
    ASSERT_EXIT(0);
    ASSERT_OUT("a10000000005 (head) (current)\n");
    RUN("linear", "heads", "--format", "json");
    ASSERT_EXIT(0);
    ASSERT_OUT_HAS("{\"command\":\"heads\",\"current\":[\"a10000000005\"],");
    ASSERT_OUT_HAS("\"current\":true");

    /* Without a database they say nothing about one. */
    run_at("linear", NULL, NULL, "history", (const char *)NULL);
    ASSERT_EXIT(0);
    ASSERT_OUT_LACKS("(current)");
    run_at("linear", NULL, NULL, "show", "a10000000002", (const char *)NULL);
    ASSERT_EXIT(0);
    ASSERT_OUT_LACKS("Applied:");
}
END_TEST

/* ------------------------------------------------- ahead and diverged */

START_TEST(test_live_database_ahead_of_binary)
{
    static const char *const allow[] = { "PCS_MIGRATE_ALLOW_AHEAD=1", NULL };
    char *before;

    RUN("linear", "migrate");
    ASSERT_EXIT(0);
    before = test_catalog_snapshot(conn, NULL);

    RUN("linear_prefix", "migrate");
    ASSERT_EXIT(5);
    ASSERT_OUT("");
    ASSERT_ERR_HAS("a10000000005");
    ASSERT_ERR_HAS("ahead");
    ASSERT_ERR_HAS("--allow-ahead");

    RUN("linear_prefix", "check");
    ASSERT_EXIT(5);
    ASSERT_ERR_HAS("ahead");

    /* Allowed: a warning, and the database left as it is. */
    RUN("linear_prefix", "migrate", "--allow-ahead");
    ASSERT_EXIT(0);
    ASSERT_ERR_HAS("warning");
    ASSERT_ERR_HAS("ahead");
    RUN_ENV("linear_prefix", allow, "upgrade");
    ASSERT_EXIT(0);
    ASSERT_ERR_HAS("ahead");

    ASSERT_STR(test_catalog_snapshot(conn, NULL), before);
    ASSERT_STR(versions(), "a10000000005");
    ASSERT_STR(history(), LINEAR_HISTORY);
    free(before);
}
END_TEST

/*
 * --allow-ahead leaves an ahead database as it is; a downgrade by a binary
 * that does not know the database's revisions must not plan from its own
 * head as if the database were there.
 */
START_TEST(test_live_downgrade_of_ahead_database_refused)
{
    char *before;

    RUN("linear", "migrate");
    ASSERT_EXIT(0);
    before = test_catalog_snapshot(conn, NULL);

    RUN("linear_prefix", "rollback");
    ASSERT_EXIT(5);
    ASSERT_ERR_HAS("ahead");

    RUN("linear_prefix", "downgrade", "--allow-ahead", "a10000000002");
    ASSERT_EXIT(5);
    ASSERT_ERR_HAS("ahead");
    ASSERT_STR(test_catalog_snapshot(conn, NULL), before);
    ASSERT_STR(versions(), "a10000000005");
    ASSERT_STR(history(), LINEAR_HISTORY);
    free(before);
}
END_TEST

START_TEST(test_live_database_diverged_from_binary)
{
    char *before;

    RUN("linear", "migrate");
    ASSERT_EXIT(0);
    before = test_catalog_snapshot(conn, NULL);

    RUN("linear_fork", "migrate");
    ASSERT_EXIT(5);
    ASSERT_ERR_HAS("diverged");
    ASSERT_ERR_HAS("a10000000005");
    ASSERT_ERR_LACKS("--allow-ahead");
    RUN("linear_fork", "migrate", "--allow-ahead");
    ASSERT_EXIT(5);
    ASSERT_ERR_HAS("diverged");
    RUN("linear_fork", "check");
    ASSERT_EXIT(5);
    ASSERT_ERR_HAS("diverged");
    ASSERT_STR(test_catalog_snapshot(conn, NULL), before);
    ASSERT_STR(history(), LINEAR_HISTORY);
    free(before);

    /* The other way round: the fork's own revision, unknown to linear. */
    RUN("linear", "downgrade", "a10000000003");
    ASSERT_EXIT(0);
    RUN("linear_fork", "migrate");
    ASSERT_EXIT(0);
    ASSERT_OUT("a1000000004f (head)\n");
    ck_assert(has_table(conn, "forked"));
    RUN("linear", "migrate");
    ASSERT_EXIT(5);
    ASSERT_ERR_HAS("a1000000004f");
    ASSERT_ERR_HAS("diverged");
    ASSERT_STR(versions(), "a1000000004f");
    ck_assert(!has_table(conn, "project_tags"));
}
END_TEST

START_TEST(test_live_unknown_revision)
{
    /* No history table: nothing to tell ahead from diverged. */
    test_exec(conn, "CREATE TABLE alembic_version (version_num varchar(32) PRIMARY KEY);"
                    "INSERT INTO alembic_version VALUES ('ffffffffffff')");
    RUN("linear", "migrate");
    ASSERT_EXIT(5);
    ASSERT_ERR_HAS("ffffffffffff");
    ASSERT_ERR_HAS("no history table");
    RUN("linear", "check");
    ASSERT_EXIT(5);
    ASSERT_ERR_HAS("ffffffffffff");
    ASSERT_STR(tables(), "alembic_version");

    /* stamp is the repair. */
    RUN("linear", "stamp", "base");
    ASSERT_EXIT(0);
    ASSERT_STR(versions(), "");
    RUN("linear", "migrate");
    ASSERT_EXIT(0);
    ASSERT_STR(versions(), "a10000000005");

    /* A history that never meets this binary's revisions. */
    test_exec(conn, "UPDATE alembic_version SET version_num = 'ffffffffffff'");
    RUN("linear", "migrate");
    ASSERT_EXIT(5);
    ASSERT_ERR_HAS("ffffffffffff");
    ASSERT_ERR_HAS("diverged");
    /* The views print the graph all the same, and say why nothing is marked. */
    RUN("linear", "history", "-i");
    ASSERT_EXIT(0);
    ASSERT_OUT_HAS("<base> -> a10000000001, ");
    ASSERT_OUT_LACKS("(current)");
    ASSERT_ERR_HAS("warning: the current revision is not marked: ");
    ASSERT_ERR_HAS("ffffffffffff");
    RUN("linear", "heads");
    ASSERT_EXIT(0);
    ASSERT_OUT("a10000000005 (head)\n");
    ASSERT_ERR_HAS("the current revision is not marked");
    RUN("linear", "show", "head");
    ASSERT_EXIT(0);
    ASSERT_OUT_LACKS("Applied:");
    RUN("linear", "branches");
    ASSERT_EXIT(0);
    ASSERT_ERR_HAS("the current revision is not marked");
}
END_TEST

/* `current` reports an unknown revision with the status `check` uses. */
START_TEST(test_live_current_of_unknown_revision_fails)
{
    test_exec(conn, "CREATE TABLE alembic_version (version_num varchar(32) PRIMARY KEY);"
                    "INSERT INTO alembic_version VALUES ('ffffffffffff')");
    RUN("linear", "current");
    ASSERT_ERR_HAS("ffffffffffff");
    ASSERT_EXIT(5);
}
END_TEST

/* ----------------------------------------------------------- checksums */

START_TEST(test_live_changed_sql_of_applied_revision)
{
    char *sha, *old_sha, *detail;

    RUN("linear", "migrate");
    ASSERT_EXIT(0);

    /* Up to date: the fast path computes no checksum. */
    RUN("linear_changed_sql", "migrate");
    ASSERT_EXIT(0);
    ASSERT_ERR_HAS("nothing to do");
    ASSERT_ERR_LACKS("changed");

    RUN("linear_changed_sql", "check");
    ASSERT_EXIT(5);
    ASSERT_OUT_HAS("status: inconsistent\n");
    ASSERT_ERR_HAS("a10000000003");
    ASSERT_ERR_HAS("--accept a10000000003");
    ASSERT_ERR_LACKS("a10000000004");
    RUN("linear_changed_sql", "check", "--format", "json");
    ASSERT_EXIT(5);
    assert_json_lines(r.out, "stdout");
    assert_json_lines(r.err, "stderr");
    ASSERT_OUT_HAS("\"ok\":false");
    ASSERT_ERR_HAS("\"level\":\"error\"");

    RUN("linear_changed_sql", "check", "--accept", "deadbeef");
    ASSERT_EXIT(2);
    ASSERT_STR(history(), LINEAR_HISTORY);

    /* Accepted: recorded, with the new checksum and the old one in the detail.
     * Accepting says the new SQL is the reference; the schema still lacks
     * what it adds, and check says so. */
    RUN("linear_changed_sql", "check", "--accept", "a10000000003");
    ASSERT_EXIT(6);
    ASSERT_OUT_HAS("missing  column tags.colour\n");
    ASSERT_OUT_HAS("status: drift\n");
    ASSERT_ERR_HAS("accepted");
    ASSERT_STR(history(), LINEAR_HISTORY ",a10000000003:accept");
    sha = show_field("linear_changed_sql", "a10000000003", "Upgrade SQL SHA-256: ");
    old_sha = show_field("linear", "a10000000003", "Upgrade SQL SHA-256: ");
    ck_assert_str_ne(sha, old_sha);
    ASSERT_QUERY(conn, "SELECT sql_sha256 FROM pcs_migrate_history WHERE event = 'accept'", sha);
    detail = test_query(conn, "SELECT detail FROM pcs_migrate_history WHERE event = 'accept'");
    ck_assert_msg(strstr(detail, old_sha) != NULL, "accept detail: %s", detail);
    free(detail);
    free(sha);
    free(old_sha);

    RUN("linear_changed_sql", "check", "--no-drift");
    ASSERT_EXIT(0);
    ASSERT_ERR_LACKS("warning");
    /* The accepted SQL is now the reference: the old binary's differs. */
    RUN("linear", "check");
    ASSERT_EXIT(5);
    ASSERT_ERR_HAS("a10000000003");
}
END_TEST

START_TEST(test_live_source_only_change_is_a_warning)
{
    RUN("linear", "migrate");
    ASSERT_EXIT(0);

    RUN("linear_changed_comment", "check");
    ASSERT_EXIT(0);
    ASSERT_OUT_HAS("status: ok\n");
    ASSERT_ERR_HAS("warning");
    ASSERT_ERR_HAS("a10000000003");
    ASSERT_ERR_HAS("its SQL did not");
    ASSERT_ERR_HAS("check --accept a10000000003");

    RUN("linear_changed_comment", "migrate");
    ASSERT_EXIT(0);
    ASSERT_ERR_LACKS("warning");
    ASSERT_STR(history(), LINEAR_HISTORY);

    /* Accepted: the new source checksum is the reference, and the warning stops. */
    RUN("linear_changed_comment", "check", "--accept", "a10000000003");
    ASSERT_EXIT(0);
    ASSERT_ERR_HAS("accepted the changed source of revision a10000000003");
    ASSERT_STR(history(), LINEAR_HISTORY ",a10000000003:accept");
    ASSERT_QUERY(conn, "SELECT detail FROM pcs_migrate_history WHERE event = 'accept'",
                 "accepted changed source; its SQL is unchanged");
    ASSERT_QUERY(conn,
                 "SELECT (a.sql_sha256 = u.sql_sha256)::text || ' ' || "
                 "(a.source_sha256 <> u.source_sha256)::text FROM pcs_migrate_history a, "
                 "pcs_migrate_history u WHERE a.event = 'accept' AND u.event = 'upgrade' "
                 "AND u.revision = 'a10000000003'",
                 "true true");
    RUN("linear_changed_comment", "check");
    ASSERT_EXIT(0);
    ASSERT_ERR_LACKS("warning");
    /* The old source now differs from the accepted one: a warning again, no error. */
    RUN("linear", "check");
    ASSERT_EXIT(0);
    ASSERT_ERR_HAS("its SQL did not");
}
END_TEST

/* With work pending the applied checksums are verified before anything runs. */
START_TEST(test_live_changed_sql_blocks_pending_work)
{
    RUN("linear", "upgrade", "head-1");
    ASSERT_EXIT(0);

    RUN("linear_changed_sql", "migrate");
    ASSERT_EXIT(5);
    ASSERT_ERR_HAS("a10000000003");
    ASSERT_ERR_HAS("--accept");
    ASSERT_STR(versions(), "a10000000004");
    ck_assert(!has_table(conn, "audit_log"));
    ASSERT_QUERY(conn, "SELECT count(*) FROM pcs_migrate_history", "4");

    RUN("linear_changed_sql", "check", "--no-drift", "--accept", "a10000000003");
    ASSERT_EXIT(0);
    RUN("linear_changed_sql", "migrate");
    ASSERT_EXIT(0);
    ASSERT_STR(versions(), "a10000000005");
    ck_assert(has_table(conn, "audit_log"));
}
END_TEST

/* ------------------------------------------------ schemas, table names */

START_TEST(test_live_other_schema)
{
    static const char *const schema_env[] = { "PCS_MIGRATE_SCHEMA=Other \"S\"", NULL };

    /* A name that needs quoting, created by the run. */
    RUN("linear", "migrate", "--schema", "Other \"S\"");
    ASSERT_EXIT(0);
    ASSERT_OUT("a10000000005 (head)\n");
    ASSERT_STR(tables_of(conn, "Other \"S\""), LINEAR_TABLES);
    ASSERT_STR(tables(), "");
    ASSERT_STR(versions_of(conn, "\"Other \"\"S\"\"\".alembic_version"), "a10000000005");
    ASSERT_STR(history_of(conn, "\"Other \"\"S\"\"\".pcs_migrate_history"), LINEAR_HISTORY);

    RUN("linear", "current", "--schema", "Other \"S\"");
    ASSERT_EXIT(0);
    ASSERT_OUT("a10000000005 (head)\n");
    RUN_ENV("linear", schema_env, "check");
    ASSERT_EXIT(0);
    ASSERT_OUT_HAS("pending: none\n");
    /* public is another database as far as the tool goes. */
    RUN("linear", "current");
    ASSERT_EXIT(0);
    ASSERT_OUT("");
    ASSERT_STR(tables(), "");

    /* A second schema migrates on its own. */
    RUN("linear", "upgrade", "--schema", "s2", "a10000000002");
    ASSERT_EXIT(0);
    ASSERT_STR(tables_of(conn, "s2"), "accounts,alembic_version,pcs_migrate_history,projects");

    RUN("linear", "downgrade", "--schema", "Other \"S\"", "base");
    ASSERT_EXIT(0);
    ASSERT_STR(tables_of(conn, "Other \"S\""), "alembic_version,pcs_migrate_history");
    ASSERT_STR(versions_of(conn, "s2.alembic_version"), "a10000000002");
    ASSERT_STR(tables(), "");
}
END_TEST

START_TEST(test_live_custom_table_names)
{
    static const char *const names_env[] = { "PCS_MIGRATE_VERSION_TABLE=my_versions",
                                             "PCS_MIGRATE_HISTORY_TABLE=my_history", NULL };

    RUN("linear", "migrate", "--version-table", "my_versions", "--history-table", "my_history");
    ASSERT_EXIT(0);
    ASSERT_STR(tables(), "accounts,audit_log,my_history,my_versions,project_tags,projects,tags");
    ASSERT_STR(versions_of(conn, "my_versions"), "a10000000005");
    ASSERT_STR(history_of(conn, "my_history"), LINEAR_HISTORY);

    RUN("linear", "current", "--version-table", "my_versions", "--history-table", "my_history");
    ASSERT_EXIT(0);
    ASSERT_OUT("a10000000005 (head)\n");
    RUN_ENV("linear", names_env, "migrate");
    ASSERT_EXIT(0);
    ASSERT_ERR_HAS("nothing to do");
    RUN_ENV("linear", names_env, "rollback");
    ASSERT_EXIT(0);
    ASSERT_STR(versions_of(conn, "my_versions"), "a10000000004");
    ASSERT_STR(history_of(conn, "my_history"), LINEAR_HISTORY ",a10000000005:downgrade");

    /* The default names hold nothing: to them this database is at base. */
    RUN("linear", "current");
    ASSERT_EXIT(0);
    ASSERT_OUT("");
    ck_assert(!has_table(conn, "alembic_version"));
    ck_assert(!has_table(conn, "pcs_migrate_history"));
}
END_TEST

/* ---------------------------------------------------------------- json */

START_TEST(test_live_json_output)
{
    RUN("failing", "migrate", "--format", "json");
    ASSERT_EXIT(1);
    assert_json_lines(r.err, "stderr");
    ASSERT_ERR_HAS("\"level\":\"error\"");
    ASSERT_ERR_HAS("\"sqlstate\":\"22012\"");
    ASSERT_ERR_HAS("\"sql\":\"SELECT 1 / 0;");
    ASSERT_OUT("");
    ASSERT_STR(tables(), "");

    RUN("linear", "migrate", "--format", "json");
    ASSERT_EXIT(0);
    assert_json_lines(r.err, "stderr");
    assert_json_lines(r.out, "stdout");
    ck_assert_int_eq(count(r.out, "\n"), 1);
    ASSERT_OUT_HAS("{\"command\":\"migrate\",");
    ASSERT_OUT_HAS("\"current\":[\"a10000000005\"]");
    ASSERT_OUT_HAS("\"applied\":[{\"revision\":\"a10000000001\",\"direction\":\"upgrade\"},");
    ck_assert_int_eq(count(r.out, "\"revision\""), 5);
    ck_assert_int_eq(count(r.err, "\"event\":\"step_done\""), 5);
    ASSERT_STR(versions(), "a10000000005");

    RUN("linear", "migrate", "--format", "json");
    ASSERT_EXIT(0);
    assert_json_lines(r.err, "stderr");
    ASSERT_OUT("{\"command\":\"migrate\",\"current\":[\"a10000000005\"],\"applied\":[]}\n");

    RUN("linear", "downgrade", "--format", "json", "a10000000004");
    ASSERT_EXIT(0);
    assert_json_lines(r.err, "stderr");
    ASSERT_OUT("{\"command\":\"downgrade\",\"current\":[\"a10000000004\"],\"applied\":"
               "[{\"revision\":\"a10000000005\",\"direction\":\"downgrade\"}]}\n");

    RUN("linear", "upgrade", "--format", "json", "deadbeef");
    ASSERT_EXIT(2);
    assert_json_lines(r.err, "stderr");
    ASSERT_ERR_HAS("\"level\":\"error\"");
    ASSERT_ERR_HAS("deadbeef");
}
END_TEST

/* A usage error found after --format json was read is JSON too. */
START_TEST(test_live_json_usage_error)
{
    RUN("linear", "upgrade", "--format", "json", "base:head");
    ASSERT_EXIT(2);
    assert_json_lines(r.err, "stderr");
    ASSERT_ERR_HAS("FROM:TARGET");
}
END_TEST

/* ---------------------------------------------------------- connection */

START_TEST(test_live_missing_database_fails_at_once)
{
    char *nope = missing_db_url();

    /* A missing database is not transient: --wait does not wait for it. */
    RUN_URL("linear", nope, "migrate", "--wait", "5");
    ASSERT_EXIT(3);
    ASSERT_ERR_HAS("does not exist");
    ASSERT_ERR_LACKS("waiting");
    RUN_URL("linear", nope, "current");
    ASSERT_EXIT(3);
    RUN_URL("linear", nope, "check", "--format", "json");
    ASSERT_EXIT(3);
    assert_json_lines(r.err, "stderr");
    /* A view that may use a database goes on without it, and says so. */
    RUN_URL("linear", nope, "history", "-i");
    ASSERT_EXIT(0);
    ASSERT_ERR_HAS("warning: the current revision is not marked: ");
    ASSERT_ERR_HAS("does not exist");
    ASSERT_OUT_HAS("<base> -> a10000000001");
    ASSERT_OUT_LACKS("(current)");
    RUN_URL("linear", nope, "show", "head", "--wait", "5");
    ASSERT_EXIT(0);
    ASSERT_ERR_HAS("warning: the current revision is not marked: ");
    ASSERT_ERR_LACKS("waiting");
    ASSERT_OUT_HAS("Rev: a10000000005 (head)\n");
    free(nope);
}
END_TEST

/* A wrong command line is exit 2 whether or not the database answers. */
START_TEST(test_live_usage_errors_before_connecting)
{
    char *nope = missing_db_url();

    RUN_URL("linear", nope, "reset");
    ASSERT_EXIT(2);
    ASSERT_ERR_HAS("--yes");
    RUN_URL("linear", nope, "downgrade");
    ASSERT_EXIT(2);
    RUN_URL("linear", nope, "stamp");
    ASSERT_EXIT(2);
    free(nope);
}
END_TEST

START_TEST(test_live_connection_from_environment)
{
    char *nope = missing_db_url(), *env_url, *env_nope, *env_pcs;
    const char *env1[2], *env2[3];

    ck_assert(asprintf(&env_url, "DATABASE_URL=%s", url) > 0);
    ck_assert(asprintf(&env_nope, "DATABASE_URL=%s", nope) > 0);
    ck_assert(asprintf(&env_pcs, "PCS_MIGRATE_DATABASE_URL=%s", url) > 0);

    /* DATABASE_URL, as the Alembic setup read it. */
    env1[0] = env_url;
    env1[1] = NULL;
    run_at("linear", env1, NULL, "upgrade", "a10000000002", (const char *)NULL);
    ASSERT_EXIT(0);
    ASSERT_STR(versions(), "a10000000002");

    /* PCS_MIGRATE_DATABASE_URL wins over it. */
    env2[0] = env_nope;
    env2[1] = env_pcs;
    env2[2] = NULL;
    run_at("linear", env2, NULL, "migrate", (const char *)NULL);
    ASSERT_EXIT(0);
    ASSERT_STR(versions(), "a10000000005");

    /* And --database-url over both. */
    env1[0] = env_nope;
    run_at("linear", env1, url, "current", (const char *)NULL);
    ASSERT_EXIT(0);
    ASSERT_OUT("a10000000005 (head)\n");
    free(env_url);
    free(env_nope);
    free(env_pcs);
    free(nope);
}
END_TEST

/* ------------------------------------------------------------------ PCS */

/* Online and offline build the same schema and the same bookkeeping. */
START_TEST(test_live_pcs_schema_matches_offline)
{
    char *expected, *online, *offline;
    static const char history_sql[] =
        "SELECT revision, parents, event, source_sha256, sql_sha256 FROM pcs_migrate_history "
        "ORDER BY id";

    /* A unique prefix as the target. */
    RUN("pcs", "upgrade", "9a39");
    ASSERT_EXIT(0);
    ASSERT_OUT("9a39eb7fd78f (head)\n");
    expected = expected_file("pcs_schema.txt");
    ASSERT_STR(test_catalog_snapshot(conn, bookkeeping), expected);
    ASSERT_STR(versions(), "9a39eb7fd78f");

    open_db2();
    {
        const char *gen[] = { test_bin("pcs"), "upgrade", "--sql", "base:head", NULL };
        const char *psql[] = { "psql", "-X", "-q", "-v", "ON_ERROR_STOP=1", "-d", url2, NULL };
        struct proc_result script, applied;

        proc_run(gen, NULL, NULL, &script);
        ck_assert_int_eq(script.status, 0);
        proc_run(psql, script.out, NULL, &applied);
        ck_assert_msg(applied.status == 0, "psql: %s", applied.err);
        proc_result_free(&script);
        proc_result_free(&applied);
    }
    /* The whole catalog, the bookkeeping tables' own shape included. */
    online = test_catalog_snapshot(conn, NULL);
    offline = test_catalog_snapshot(conn2, NULL);
    ck_assert_str_eq(online, offline);
    free(online);
    free(offline);
    online = test_query(conn, history_sql);
    offline = test_query(conn2, history_sql);
    ck_assert_str_eq(online, offline);
    free(online);
    free(offline);

    /* The online tool reads what the script wrote. */
    RUN_URL("pcs", url2, "check");
    ASSERT_EXIT(0);
    ASSERT_OUT_HAS("current: 9a39eb7fd78f\n");
    ASSERT_OUT_HAS("pending: none\n");

    RUN("pcs", "downgrade", "base");
    ASSERT_EXIT(0);
    ASSERT_STR(test_catalog_snapshot(conn, bookkeeping), "");
    ASSERT_STR(versions(), "");
    ASSERT_STR(history(), "9a39eb7fd78f:upgrade,9a39eb7fd78f:downgrade");

    /* And up again on the clean slate. */
    RUN("pcs", "migrate");
    ASSERT_EXIT(0);
    ASSERT_STR(test_catalog_snapshot(conn, bookkeeping), expected);
    free(expected);
}
END_TEST

/* A database Alembic brought to 9a39eb7fd78f: its version table, no history. */
START_TEST(test_live_alembic_database_adopted)
{
    char *expected = expected_file("pcs_schema.txt");

    RUN("pcs", "migrate");
    ASSERT_EXIT(0);
    test_exec(conn, "DROP TABLE pcs_migrate_history");

    RUN("pcs", "current");
    ASSERT_EXIT(0);
    ASSERT_OUT("9a39eb7fd78f (head)\n");
    RUN("pcs", "check");
    ASSERT_EXIT(0);
    ASSERT_OUT_HAS("pending: none\n");
    RUN("pcs", "migrate");
    ASSERT_EXIT(0);
    ASSERT_ERR_HAS("nothing to do");
    ASSERT_STR(test_catalog_snapshot(conn, bookkeeping), expected);

    /* The first run with work to do starts the history. */
    RUN("pcs", "downgrade", "base");
    ASSERT_EXIT(0);
    ASSERT_STR(test_catalog_snapshot(conn, bookkeeping), "");
    ASSERT_STR(versions(), "");
    ASSERT_STR(history(), "9a39eb7fd78f:downgrade");
    free(expected);
}
END_TEST

static Suite *live_suite(void)
{
    Suite *s = suite_create("live");
    TCase *tc = tcase_create("live"), *locks;

    tcase_add_checked_fixture(tc, setup, teardown);
    tcase_set_timeout(tc, 60);
    tcase_add_test(tc, test_live_migrate_fresh_database_to_head);
    tcase_add_test(tc, test_live_upgrade_targets);
    tcase_add_test(tc, test_live_upgrade_refusals);
    tcase_add_test(tc, test_live_downgrade_and_rollback);
    tcase_add_test(tc, test_live_downgrade_relative_target);
    tcase_add_test(tc, test_live_merge_graph_online);
    tcase_add_test(tc, test_live_failure_rolls_back_the_whole_run);
    tcase_add_test(tc, test_live_failure_inside_a_batch_names_its_operation);
    tcase_add_test(tc, test_live_failure_per_migration_keeps_what_committed);
    tcase_add_test(tc, test_live_failure_per_migration_from_environment);
    tcase_add_test(tc, test_live_statement_timeout_fails_the_run);
    tcase_add_test(tc, test_live_data_migration_in_batches);
    tcase_add_test(tc, test_live_batches_reported_while_running);
    tcase_add_test(tc, test_live_view_interrupted_is_not_a_warning);
    tcase_add_test(tc, test_live_nontransactional_revision);
    tcase_add_test(tc, test_live_current);
    tcase_add_test(tc, test_live_check_text_and_json);
    tcase_add_loop_test(tc, test_live_check_tampered_version_table, 0,
                        (int)(sizeof(tampered) / sizeof(tampered[0])));
    tcase_add_test(tc, test_live_stamp);
    tcase_add_test(tc, test_live_reset);
    tcase_add_test(tc, test_live_views_mark_what_is_applied);
    tcase_add_test(tc, test_live_database_ahead_of_binary);
    tcase_add_test(tc, test_live_downgrade_of_ahead_database_refused);
    tcase_add_test(tc, test_live_database_diverged_from_binary);
    tcase_add_test(tc, test_live_unknown_revision);
    tcase_add_test(tc, test_live_current_of_unknown_revision_fails);
    tcase_add_test(tc, test_live_changed_sql_of_applied_revision);
    tcase_add_test(tc, test_live_source_only_change_is_a_warning);
    tcase_add_test(tc, test_live_changed_sql_blocks_pending_work);
    tcase_add_test(tc, test_live_other_schema);
    tcase_add_test(tc, test_live_custom_table_names);
    tcase_add_test(tc, test_live_json_output);
    tcase_add_test(tc, test_live_json_usage_error);
    tcase_add_test(tc, test_live_missing_database_fails_at_once);
    tcase_add_test(tc, test_live_usage_errors_before_connecting);
    tcase_add_test(tc, test_live_connection_from_environment);
    tcase_add_test(tc, test_live_pcs_schema_matches_offline);
    tcase_add_test(tc, test_live_alembic_database_adopted);
    suite_add_tcase(s, tc);
    /* Lock waits and --wait, apart: CK_RUN_CASE=locks runs them alone. */
    locks = tcase_create("locks");
    tcase_add_checked_fixture(locks, setup, teardown);
    tcase_set_timeout(locks, 120);
    tcase_add_test(locks, test_live_ddl_lock_timeout_retries);
    tcase_add_test(locks, test_live_nontransactional_lock_timeout);
    tcase_add_test(locks, test_live_version_table_lock_timeout);
    tcase_add_test(locks, test_live_lock_timeout_names_the_writer_not_a_reader);
    suite_add_tcase(s, locks);
    return s;
}

int main(void)
{
    test_require_db();
    return test_run_suite(live_suite());
}
