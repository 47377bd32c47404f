/*
 * Offline scripts applied for real: `pcs-migrate upgrade --sql` piped into
 * psql -v ON_ERROR_STOP=1 on fresh databases, checked through the catalog.
 * The PCS script must build exactly the SPEC §8 schema (the expected
 * snapshot is tests/integration/expected/pcs_schema.txt) and its downgrade
 * must leave nothing behind; the fixture graphs go up, partly down and up
 * again, through the merge, with the version table checked at each stop.
 * The autocommit fixture's revisions (an autocommit block in a transactional
 * revision) go both ways, offline and live, their failures and reruns too.
 */
#include <signal.h>
#include <stdlib.h>
#include <string.h>

#include "support.h"

static const char *const bookkeeping[] = { "alembic_version", "pcs_migrate_history", NULL };

static char db[64];
static PGconn *conn;

/* The script `bin args` prints, applied with psql; returns psql's status. */
static int apply(const char *bin, const char *cmd, const char *range, char **psql_err)
{
    const char *gen[] = { test_bin(bin), cmd, "--sql", range, NULL };
    struct proc_result script, psql;
    char *ci = test_conninfo(db);
    const char *apply_argv[] = { "psql", "-X", "-q", "-v", "ON_ERROR_STOP=1", "-d", ci, NULL };
    int status;

    proc_run(gen, NULL, NULL, &script);
    ck_assert_msg(script.status == 0, "%s %s --sql %s: %s", bin, cmd, range, script.err);
    proc_run(apply_argv, script.out, NULL, &psql);
    status = psql.status;
    if (psql_err)
        *psql_err = strdup(psql.err);
    else
        ck_assert_msg(status == 0, "psql failed applying %s %s: %s", cmd, range, psql.err);
    proc_result_free(&script);
    proc_result_free(&psql);
    free(ci);
    return status;
}

static char *versions(void)
{
    return test_query(conn, "SELECT version_num FROM alembic_version ORDER BY 1");
}

static char *expected_file(const char *name)
{
    char path[4096];

    snprintf(path, sizeof(path), "%s/tests/integration/expected/%s",
             getenv("PCSM_TEST_SOURCE_ROOT"), name);
    return test_read_file(path);
}

START_TEST(test_offline_pcs_schema_up_and_down)
{
    char *snapshot, *expected, *v, *hist, *sha, *line;

    apply("pcs", "upgrade", "base:head", NULL);
    snapshot = test_catalog_snapshot(conn, bookkeeping);
    expected = expected_file("pcs_schema.txt");
    ck_assert_str_eq(snapshot, expected);
    free(snapshot);
    free(expected);

    v = versions();
    ck_assert_str_eq(v, "9a39eb7fd78f");
    free(v);

    /* The history row carries the source checksum the binary knows. */
    {
        const char *argv[] = { test_bin("pcs"), "show", "9a39eb7fd78f", NULL };
        struct proc_result r;

        proc_run(argv, NULL, NULL, &r);
        line = strstr(r.out, "Source SHA-256: ");
        ck_assert_ptr_nonnull(line);
        sha = strndup(line + 16, 64);
        proc_result_free(&r);
    }
    hist = test_query(conn, "SELECT revision, event, source_sha256, length(sql_sha256), "
                            "parents::text FROM pcs_migrate_history ORDER BY id");
    {
        char want[256];

        snprintf(want, sizeof(want), "9a39eb7fd78f|upgrade|%s|64|{}", sha);
        ck_assert_str_eq(hist, want);
    }
    free(hist);
    free(sha);

    apply("pcs", "downgrade", "head:base", NULL);
    snapshot = test_catalog_snapshot(conn, bookkeeping);
    ck_assert_str_eq(snapshot, "");
    free(snapshot);
    v = versions();
    ck_assert_str_eq(v, "");
    free(v);
    hist = test_query(conn, "SELECT string_agg(event, ',' ORDER BY id) FROM pcs_migrate_history");
    ck_assert_str_eq(hist, "upgrade,downgrade");
    free(hist);

    /* And up again: the downgrade really left a clean slate. */
    apply("pcs", "upgrade", "base:head", NULL);
    v = versions();
    ck_assert_str_eq(v, "9a39eb7fd78f");
    free(v);
}
END_TEST

/* The schema behaves as SPEC §8 says, not only looks like it. */
START_TEST(test_offline_pcs_schema_behaviour)
{
    char *out;

    apply("pcs", "upgrade", "base:head", NULL);
    test_exec(conn, "INSERT INTO contexts (name, updated_at) VALUES ('c1', '2000-01-01')");
    out = test_query(conn, "SELECT id IS NOT NULL, is_active, created_at > '2001-01-01', "
                           "updated_at = '2000-01-01' FROM contexts");
    ck_assert_str_eq(out, "t|t|t|t");
    free(out);

    /* updated_at is the database's job on UPDATE. */
    test_exec(conn, "UPDATE contexts SET description = 'x'");
    out = test_query(conn, "SELECT updated_at > '2001-01-01' FROM contexts");
    ck_assert_str_eq(out, "t");
    free(out);

    /* Unique names, enforced foreign keys, NOT NULL columns. */
    {
        static const struct { const char *sql, *sqlstate; } bad[] = {
            { "INSERT INTO contexts (name) VALUES ('c1')", "23505" },
            { "INSERT INTO conversations (title, context_id) "
              "VALUES ('t', gen_random_uuid())", "23503" },
            { "INSERT INTO prompts (name, content, prompt_type) VALUES ('p', 'c', 't')", "23502" },
            { "INSERT INTO prompts (name, content, prompt_type, context_id) "
              "SELECT 'p1', 'again', 'system', id FROM contexts", "23505" },
            /* A context still referenced by a prompt cannot go. */
            { "DELETE FROM contexts", "23503" },
        };
        size_t i;

        test_exec(conn, "INSERT INTO prompts (name, content, prompt_type, context_id) "
                        "SELECT 'p1', 'hello', 'system', id FROM contexts");
        for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
            PGresult *res = PQexec(conn, bad[i].sql);

            ck_assert_msg(PQresultStatus(res) == PGRES_FATAL_ERROR, "%s succeeded", bad[i].sql);
            ck_assert_str_eq(PQresultErrorField(res, PG_DIAG_SQLSTATE), bad[i].sqlstate);
            PQclear(res);
        }
    }
}
END_TEST

START_TEST(test_offline_linear_up_partly_down_up)
{
    char *v, *head, *head2, *tables;

    head = test_rev_id("linear", "head");
    head2 = test_rev_id("linear", "head-2");
    apply("linear", "upgrade", "base:head", NULL);
    v = versions();
    ck_assert_str_eq(v, head);
    free(v);

    apply("linear", "downgrade", "head:head-2", NULL);
    v = versions();
    ck_assert_str_eq(v, head2);
    free(v);

    apply("linear", "upgrade", "head-2:head", NULL);
    v = versions();
    ck_assert_str_eq(v, head);
    free(v);

    apply("linear", "downgrade", "head:base", NULL);
    tables = test_catalog_snapshot(conn, bookkeeping);
    ck_assert_str_eq(tables, "");
    free(tables);
    v = test_query(conn, "SELECT count(*) FROM pcs_migrate_history");
    ck_assert_str_eq(v, "14");     /* 5 up, 2 down, 2 up, 5 down */
    free(v);
    free(head);
    free(head2);
}
END_TEST

/* A script for the wrong starting point fails as a whole: nothing changes. */
START_TEST(test_offline_failed_script_changes_nothing)
{
    char *before, *after, *err = NULL, *v;

    apply("linear", "upgrade", "base:head-2", NULL);
    before = test_catalog_snapshot(conn, NULL);
    /* Claims to start from base, so its first CREATE TABLE collides. */
    ck_assert_int_ne(apply("linear", "upgrade", "base:head", &err), 0);
    ck_assert_ptr_nonnull(strstr(err, "already exists"));
    after = test_catalog_snapshot(conn, NULL);
    ck_assert_str_eq(after, before);
    v = test_query(conn, "SELECT count(*) FROM pcs_migrate_history");
    ck_assert_str_eq(v, "3");
    free(v);
    free(before);
    free(after);
    free(err);
}
END_TEST

START_TEST(test_offline_merge_graph_through_the_merge)
{
    char *v, *head, *merge;
    char *a_tip, *b_tip;

    head = test_rev_id("merge", "head");
    merge = test_rev_id("merge", "head-1");
    apply("merge", "upgrade", "base:head", NULL);
    v = versions();
    ck_assert_str_eq(v, head);
    free(v);

    /* Below the merge both branch tips are heads again: two version rows. */
    {
        const char *argv[] = { test_bin("merge"), "show", merge, NULL };
        struct proc_result r;
        char *line;

        proc_run(argv, NULL, NULL, &r);
        line = strstr(r.out, "Merges: ");
        ck_assert_ptr_nonnull(line);
        a_tip = strndup(line + 8, strcspn(line + 8, ","));
        b_tip = strndup(line + 8 + strlen(a_tip) + 2, strcspn(line + 8 + strlen(a_tip) + 2, "\n"));
        proc_result_free(&r);
    }
    {
        char range[128];

        snprintf(range, sizeof(range), "head:%s", a_tip);
        apply("merge", "downgrade", range, NULL);
    }
    v = versions();
    {
        char both[64];

        snprintf(both, sizeof(both), "%s\n%s", strcmp(a_tip, b_tip) < 0 ? a_tip : b_tip,
                 strcmp(a_tip, b_tip) < 0 ? b_tip : a_tip);
        ck_assert_str_eq(v, both);
    }
    free(v);

    /* Up again from the two heads at once. */
    {
        char range[128];

        snprintf(range, sizeof(range), "%s,%s:head", a_tip, b_tip);
        apply("merge", "upgrade", range, NULL);
    }
    v = versions();
    ck_assert_str_eq(v, head);
    free(v);

    apply("merge", "downgrade", "head:base", NULL);
    v = test_catalog_snapshot(conn, bookkeeping);
    ck_assert_str_eq(v, "");
    free(v);
    free(head);
    free(merge);
    free(a_tip);
    free(b_tip);
}
END_TEST

START_TEST(test_offline_chain_of_1000)
{
    char *v, *head;

    head = test_rev_id("chain1000", "head");
    apply("chain1000", "upgrade", "base:head", NULL);
    v = test_query(conn, "SELECT count(*) FROM pg_tables WHERE tablename LIKE 't\\_%'");
    ck_assert_str_eq(v, "1000");
    free(v);
    v = versions();
    ck_assert_str_eq(v, head);
    free(v);
    apply("chain1000", "downgrade", "head:base", NULL);
    v = test_catalog_snapshot(conn, bookkeeping);
    ck_assert_str_eq(v, "");
    free(v);
    free(head);
}
END_TEST

/* `autocommit ARGS --database-url <db>`: its exit status, its stderr in *err. */
static int run_live(const char *const args[], char **err)
{
    const char *argv[16];
    struct proc_result r;
    char *ci = test_conninfo(db);
    int status;

    test_cmd_argv(argv, 16, "autocommit", ci, args);
    proc_run(argv, NULL, NULL, &r);
    status = r.status;
    *err = strdup(r.err);
    proc_result_free(&r);
    free(ci);
    return status;
}

/*
 * An autocommit block (tests/fixtures/autocommit): the script commits
 * before it and begins after it, so the index is built concurrently, and
 * the label the block adds is used after it, in the same revision.
 */
START_TEST(test_offline_autocommit_block)
{
    const char *const check_args[] = { "check", NULL };
    char *err = NULL;

    apply("autocommit", "upgrade", "base:m10000000002", NULL);
    test_assert_query(conn, "SELECT version_num FROM alembic_version", "m10000000002");
    test_assert_query(conn, "SELECT indisvalid FROM pg_index "
                      "WHERE indexrelid = 'ix_notes_body'::regclass", "t");
    test_assert_query(conn, "SELECT string_agg(enumlabel, ',' ORDER BY enumsortorder) "
                      "FROM pg_enum WHERE enumtypid = 'mood'::regtype", "sad,ok,happy");
    test_assert_query(conn, "SELECT id, mood, tag FROM notes ORDER BY id",
                      "1|ok|NULL\n2|happy|new");
    test_assert_query(conn, "SELECT revision, event FROM pcs_migrate_history ORDER BY id",
                      "m10000000001|upgrade\nm10000000002|upgrade");
    /* The schema the script made is the one the revisions declare (replay),
     * and the applied checksums are the binary's. */
    ck_assert_msg(run_live(check_args, &err) == 0, "check: %s", err);
    free(err);

    /* Fails after its block: the block and what came before it stay. */
    ck_assert_int_ne(apply("autocommit", "upgrade", "m10000000002:m10000000003", &err), 0);
    ck_assert_msg(strstr(err, "fails by design") != NULL, "%s", err);
    free(err);
    test_assert_query(conn, "SELECT version_num FROM alembic_version", "m10000000002");
    test_assert_query(conn, "SELECT string_agg(enumlabel, ',' ORDER BY enumsortorder) "
                      "FROM pg_enum WHERE enumtypid = 'mood'::regtype", "sad,ok,happy,angry");
    test_assert_query(conn, "SELECT DISTINCT tag FROM notes", "before the block");
    test_assert_query(conn, "SELECT count(*) FROM pcs_migrate_history", "2");

    /* Down, the index dropped concurrently in the downgrade's block. */
    apply("autocommit", "downgrade", "m10000000002:m10000000001", NULL);
    test_assert_query(conn, "SELECT version_num FROM alembic_version", "m10000000001");
    test_assert_query(conn, "SELECT to_regclass('ix_notes_body') IS NULL, "
                      "count(*) FROM notes", "t|1");
    test_assert_query(conn, "SELECT count(*) FROM pg_attribute WHERE attrelid = "
                      "'notes'::regclass AND attname = 'tag'", "0");
    apply("autocommit", "downgrade", "m10000000001:base", NULL);
    err = test_catalog_snapshot(conn, bookkeeping);
    ck_assert_str_eq(err, "");
    free(err);
}
END_TEST

/*
 * Live, the same revisions (outside.c): the parts around the block are
 * transactions of their own on the second connection, each with a 'part'
 * history row, so that a rerun after a failure after the block skips what
 * committed, the label the block added included, and completes.
 */
static void autocommit_live(const char *mode)   /* an option, or NULL */
{
    const char *const up2[] = { "upgrade", "m10000000002", mode, NULL };
    const char *const up[] = { "upgrade", mode, NULL };
    const char *const down1[] = { "downgrade", "m10000000001", mode, NULL };
    char *err = NULL;

    ck_assert_msg(run_live(up2, &err) == 0, "%s", err);
    ck_assert_msg(strstr(err, "upgrade m10000000002: index notes.body concurrently, add mood "
                         "'happy' and use it (with an autocommit block)") != NULL, "%s", err);
    free(err);
    test_assert_query(conn, "SELECT version_num FROM alembic_version", "m10000000002");
    test_assert_query(conn, "SELECT indisvalid FROM pg_index "
                      "WHERE indexrelid = 'ix_notes_body'::regclass", "t");
    test_assert_query(conn, "SELECT string_agg(enumlabel, ',' ORDER BY enumsortorder) "
                      "FROM pg_enum WHERE enumtypid = 'mood'::regtype", "sad,ok,happy");
    /* The migration lock was held after the block's commits (the fixture's last part). */
    test_assert_query(conn, "SELECT id, mood, tag FROM notes ORDER BY id",
                      "1|ok|NULL\n2|happy|locked");
    test_assert_query(conn, "SELECT revision, event, detail FROM pcs_migrate_history "
                      "WHERE revision = 'm10000000002' ORDER BY id",
                      "m10000000002|started|upgrade started outside a transaction\n"
                      "m10000000002|part|upgrade: operation 1 committed, between autocommit "
                      "blocks\n"
                      "m10000000002|part|upgrade: operation 4 run, in an autocommit block\n"
                      "m10000000002|part|upgrade: operations 6-7 committed, between autocommit "
                      "blocks\n"
                      "m10000000002|upgrade|NULL");

    /* Fails after its block: the part before it and the block stay. */
    ck_assert_int_eq(run_live(up, &err), 1);
    ck_assert_msg(strstr(err, "upgrade: operations 5-6 (a transaction between autocommit "
                         "blocks): fails by design: too few notes") != NULL, "%s", err);
    free(err);
    test_assert_query(conn, "SELECT version_num FROM alembic_version", "m10000000002");
    test_assert_query(conn, "SELECT string_agg(enumlabel, ',' ORDER BY enumsortorder) "
                      "FROM pg_enum WHERE enumtypid = 'mood'::regtype", "sad,ok,happy,angry");
    test_assert_query(conn, "SELECT DISTINCT tag FROM notes", "before the block");
    test_assert_query(conn, "SELECT event FROM pcs_migrate_history ORDER BY id DESC LIMIT 1",
                      "failed");

    /* Fixed (enough notes): the rerun skips the committed part and the label. */
    test_exec(conn, "INSERT INTO notes (id, body) SELECT g, 'n' FROM generate_series(3, 120) g");
    ck_assert_msg(run_live(up, &err) == 0, "%s", err);
    ck_assert_msg(strstr(err, "warning: execute of revision m10000000003 committed in an "
                         "earlier run of it; not run again") != NULL &&
                  strstr(err, "warning: add_enum_value \"mood\" of revision m10000000003 ran "
                         "in an earlier run of it; not run again") != NULL, "%s", err);
    free(err);
    test_assert_query(conn, "SELECT version_num FROM alembic_version", "m10000000003");
    test_assert_query(conn, "SELECT tag, count(*) FROM notes GROUP BY 1", "after the block|120");

    /* Down through the downgrade's block (DROP INDEX CONCURRENTLY). */
    ck_assert_msg(run_live(down1, &err) == 0, "%s", err);
    free(err);
    test_assert_query(conn, "SELECT version_num FROM alembic_version", "m10000000001");
    test_assert_query(conn, "SELECT to_regclass('ix_notes_body') IS NULL, count(*) = 0 FROM "
                      "pg_attribute WHERE attrelid = 'notes'::regclass AND attname = 'tag'",
                      "t|t");
}

/*
 * A failure inside the block (an index of the name, not the revision's):
 * what committed before it stays; once the index is dropped, the rerun
 * skips that part and goes on from the failed statement.
 */
START_TEST(test_offline_autocommit_block_live_fails_inside)
{
    const char *const up1[] = { "upgrade", "m10000000001", NULL };
    const char *const up2[] = { "upgrade", "m10000000002", NULL };
    char *err = NULL;

    ck_assert_msg(run_live(up1, &err) == 0, "%s", err);
    free(err);
    test_exec(conn, "CREATE INDEX ix_notes_body ON notes (id)");
    ck_assert_int_eq(run_live(up2, &err), 1);
    ck_assert_msg(strstr(err, "upgrade: create_index \"ix_notes_body\": relation "
                         "\"ix_notes_body\" already exists") != NULL, "%s", err);
    free(err);
    test_assert_query(conn, "SELECT version_num FROM alembic_version", "m10000000001");
    test_assert_query(conn, "SELECT count(*) FROM pg_attribute WHERE attrelid = "
                      "'notes'::regclass AND attname = 'tag'", "1");

    test_exec(conn, "DROP INDEX ix_notes_body");
    ck_assert_msg(run_live(up2, &err) == 0, "%s", err);
    ck_assert_msg(strstr(err, "warning: add_column \"notes\" of revision m10000000002 "
                         "committed in an earlier run of it; not run again") != NULL, "%s", err);
    free(err);
    test_assert_query(conn, "SELECT version_num FROM alembic_version", "m10000000002");
    test_assert_query(conn, "SELECT indisvalid, pg_get_indexdef(indexrelid) LIKE '%(body)' "
                      "FROM pg_index WHERE indexrelid = 'ix_notes_body'::regclass", "t|t");
    test_assert_query(conn, "SELECT id, mood FROM notes ORDER BY id", "1|ok\n2|happy");
}
END_TEST

/*
 * kill -9 at random moments of the revision's run, each trial in a schema
 * of its own: a rerun always completes it, with every part applied once.
 */
START_TEST(test_offline_autocommit_block_killed_anywhere)
{
    const char *const up1[] = { "upgrade", "m10000000001", "--schema", NULL, NULL };
    char *ci = test_conninfo(db), schema[32], *err = NULL;
    double window = 0, t0;
    int t, killed = 0;

    for (t = 0; t < 24; t++) {
        const char *up2[] = { test_bin("autocommit"), "--database-url", ci, "upgrade",
                              "m10000000002", "--schema", schema, NULL };
        const char *first[] = { up1[0], up1[1], up1[2], schema, NULL };
        double delay = window * (double)(t % 12) / 11.0;
        struct proc_result r;
        struct proc_bg b;
        char sql[256];

        snprintf(schema, sizeof(schema), "kill_%02d", t);
        snprintf(sql, sizeof(sql), "CREATE SCHEMA %s", schema);
        test_exec(conn, sql);
        ck_assert_msg(run_live(first, &err) == 0, "%s", err);
        free(err);
        t0 = test_now_s();
        proc_start(&b, up2, NULL, NULL);
        while (t > 0 && test_now_s() - t0 < delay && !proc_done(&b))
            test_nap_ms(1);
        if (t > 0 && !b.reaped)
            kill(b.pid, SIGKILL);
        proc_wait(&b, 60, &r);
        if (t == 0)
            window = test_now_s() - t0;     /* an undisturbed run: the kills spread over it */
        ck_assert_msg(r.status == 0 || r.status == 128 + SIGKILL, "trial %d: exit %d: %s", t,
                      r.status, r.err);
        killed += r.status != 0;
        proc_result_free(&r);
        ck_assert(test_await_value(conn, "SELECT count(*) FROM pg_stat_activity WHERE datname "
                                   "= current_database() AND pid <> pg_backend_pid()", "0",
                                   30));
        proc_run(up2, NULL, NULL, &r);
        ck_assert_msg(r.status == 0, "trial %d, rerun: exit %d: %s", t, r.status, r.err);
        proc_result_free(&r);
        snprintf(sql, sizeof(sql), "SET search_path TO %s", schema);
        test_exec(conn, sql);
        test_assert_query(conn, "SELECT version_num FROM alembic_version", "m10000000002");
        test_assert_query(conn, "SELECT i.indisvalid FROM pg_index i JOIN pg_class c ON "
                          "c.oid = i.indexrelid WHERE c.relname = 'ix_notes_body' AND "
                          "c.relnamespace = current_schema()::regnamespace", "t");
        test_assert_query(conn, "SELECT string_agg(enumlabel, ',' ORDER BY enumsortorder) "
                          "FROM pg_enum WHERE enumtypid = 'mood'::regtype", "sad,ok,happy");
        test_assert_query(conn, "SELECT id, mood, tag FROM notes ORDER BY id",
                          "1|ok|NULL\n2|happy|locked");
        test_exec(conn, "RESET search_path");
    }
    ck_assert_msg(killed > 5, "only %d of 23 runs were killed before they ended", killed);
    free(ci);
}
END_TEST

START_TEST(test_offline_autocommit_block_live)
{
    autocommit_live(NULL);     /* one transaction for the run */
}
END_TEST

START_TEST(test_offline_autocommit_block_live_per_migration)
{
    autocommit_live("--transaction-per-migration");
}
END_TEST

static Suite *offline_suite(void)
{
    Suite *s = suite_create("offline");
    TCase *tc = tcase_create("offline");
    TCase *autocommit = tcase_create("autocommit");

    test_fresh_db_fixture(tc, db, sizeof(db), &conn, NULL);
    tcase_set_timeout(tc, 240);
    tcase_add_test(tc, test_offline_pcs_schema_up_and_down);
    tcase_add_test(tc, test_offline_pcs_schema_behaviour);
    tcase_add_test(tc, test_offline_linear_up_partly_down_up);
    tcase_add_test(tc, test_offline_failed_script_changes_nothing);
    tcase_add_test(tc, test_offline_merge_graph_through_the_merge);
    tcase_add_test(tc, test_offline_chain_of_1000);
    suite_add_tcase(s, tc);
    test_fresh_db_fixture(autocommit, db, sizeof(db), &conn, NULL);
    tcase_set_timeout(autocommit, 240);
    tcase_add_test(autocommit, test_offline_autocommit_block);
    tcase_add_test(autocommit, test_offline_autocommit_block_live);
    tcase_add_test(autocommit, test_offline_autocommit_block_live_per_migration);
    tcase_add_test(autocommit, test_offline_autocommit_block_live_fails_inside);
    tcase_add_test(autocommit, test_offline_autocommit_block_killed_anywhere);
    suite_add_tcase(s, autocommit);
    return s;
}

int main(void)
{
    test_require_db();
    return test_run_suite(offline_suite());
}
