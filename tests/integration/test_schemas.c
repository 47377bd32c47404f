/*
 * Integration tests (suite "schemas") of schema-qualified names, on the
 * schemas fixture: every kind of operation that names an object, run in
 * the schema "billing" the first revision creates (and one whose name needs
 * quotes), with foreign keys and a trigger function across schemas, upgraded
 * with the real runner and downgraded again; each object found by the
 * catalog in its schema after the upgrade and gone after the downgrade; and
 * the same through an --sql script into psql.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "support.h"

static char db[64];
static PGconn *conn;
static char *url;
static struct proc_result r;

#define ASSERT_QUERY(c, sql, want)                                                    \
    do {                                                                              \
        char *got_ = test_query((c), (sql));                                          \
        ck_assert_msg(strcmp(got_, (want)) == 0, "%s:\ngot  %s\nwant %s", (sql), got_, \
                      (want));                                                        \
        free(got_);                                                                   \
    } while (0)
#define ASSERT_ERR_HAS(res, s) \
    ck_assert_msg(strstr((res).err, (s)) != NULL, "'%s' not on stderr:\n%s", (s), (res).err)

static void run(const char *const args[])
{
    const char *argv[24];

    test_cmd_argv(argv, 24, "schemas", url, args);
    proc_result_free(&r);
    proc_run(argv, NULL, NULL, &r);
}

#define RUN(...) run((const char *const[]){ __VA_ARGS__, NULL })
#define ASSERT_EXIT(n) \
    ck_assert_msg(r.status == (n), "exit %d, expected %d\nstderr:\n%s", r.status, (n), r.err)

/* The schemas that are neither the server's nor the target's. */
#define USER_NS(n) "(" n ".nspname NOT LIKE 'pg\\_%' AND " n ".nspname <> 'information_schema')"

/*
 * Every object of the user's schemas, one sorted line each, schema-qualified
 * without regard to the search path: schemas, relations and their kinds,
 * columns, constraints and what they reference, indexes and their tables,
 * enum types and their labels, functions, triggers and their functions,
 * identities, sequences and their owners, comments.  The version and
 * history tables are the runner's.
 */
static const char snapshot_sql[] =
    "SELECT coalesce(string_agg(x, E'\\n' ORDER BY x COLLATE \"C\"), '') FROM ("
    " SELECT 'schema ' || quote_ident(n.nspname) AS x FROM pg_namespace n"
    "  WHERE " USER_NS("n") " AND n.nspname <> 'public'"
    " UNION ALL"
    " SELECT format('rel %I.%I %s', n.nspname, c.relname, c.relkind)"
    "  FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace"
    "  WHERE " USER_NS("n") " AND c.relkind IN ('r', 'i', 'S', 'v', 'm')"
    " UNION ALL"
    " SELECT format('column %I.%I.%I %s%s%s', n.nspname, c.relname, a.attname,"
    "   format_type(a.atttypid, a.atttypmod), CASE WHEN a.attnotnull THEN ' not null' END,"
    "   ' default ' || pg_get_expr(d.adbin, d.adrelid))"
    "  FROM pg_attribute a JOIN pg_class c ON c.oid = a.attrelid"
    "  JOIN pg_namespace n ON n.oid = c.relnamespace"
    "  LEFT JOIN pg_attrdef d ON d.adrelid = a.attrelid AND d.adnum = a.attnum"
    "  WHERE " USER_NS("n") " AND c.relkind IN ('r', 'v', 'm') AND a.attnum > 0"
    "  AND NOT a.attisdropped"
    " UNION ALL"
    " SELECT format('constraint %I.%I.%I %s%s%s', n.nspname, c.relname, co.conname,"
    "   co.contype, CASE WHEN co.contype = 'f' THEN (SELECT format(' -> %I.%I', fn.nspname,"
    "   fc.relname) FROM pg_class fc JOIN pg_namespace fn ON fn.oid = fc.relnamespace"
    "   WHERE fc.oid = co.confrelid) END, CASE WHEN NOT co.convalidated THEN ' not valid' END)"
    "  FROM pg_constraint co JOIN pg_class c ON c.oid = co.conrelid"
    "  JOIN pg_namespace n ON n.oid = c.relnamespace WHERE " USER_NS("n")
    " UNION ALL"
    " SELECT format('index %I.%I on %I.%I', ni.nspname, ci.relname, nt.nspname, ct.relname)"
    "  FROM pg_index i JOIN pg_class ci ON ci.oid = i.indexrelid"
    "  JOIN pg_namespace ni ON ni.oid = ci.relnamespace"
    "  JOIN pg_class ct ON ct.oid = i.indrelid JOIN pg_namespace nt ON nt.oid = ct.relnamespace"
    "  WHERE " USER_NS("ni")
    " UNION ALL"
    " SELECT format('type %I.%I %s', n.nspname, t.typname, (SELECT string_agg(e.enumlabel, ','"
    "   ORDER BY e.enumsortorder) FROM pg_enum e WHERE e.enumtypid = t.oid))"
    "  FROM pg_type t JOIN pg_namespace n ON n.oid = t.typnamespace"
    "  WHERE " USER_NS("n") " AND t.typtype = 'e'"
    " UNION ALL"
    " SELECT format('function %I.%I', n.nspname, p.proname)"
    "  FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace WHERE " USER_NS("n")
    " UNION ALL"
    " SELECT format('trigger %I.%I.%I runs %I.%I', n.nspname, c.relname, t.tgname,"
    "   pn.nspname, p.proname)"
    "  FROM pg_trigger t JOIN pg_class c ON c.oid = t.tgrelid"
    "  JOIN pg_namespace n ON n.oid = c.relnamespace JOIN pg_proc p ON p.oid = t.tgfoid"
    "  JOIN pg_namespace pn ON pn.oid = p.pronamespace"
    "  WHERE " USER_NS("n") " AND NOT t.tgisinternal"
    " UNION ALL"
    " SELECT format('identity %I.%I.%I %s', n.nspname, c.relname, a.attname, a.attidentity)"
    "  FROM pg_attribute a JOIN pg_class c ON c.oid = a.attrelid"
    "  JOIN pg_namespace n ON n.oid = c.relnamespace"
    "  WHERE " USER_NS("n") " AND a.attidentity <> ''"
    " UNION ALL"
    " SELECT format('sequence %I.%I increment %s owned by %I.%I.%I', n.nspname, c.relname,"
    "   s.seqincrement, tn.nspname, t.relname, a.attname)"
    "  FROM pg_sequence s JOIN pg_class c ON c.oid = s.seqrelid"
    "  JOIN pg_namespace n ON n.oid = c.relnamespace"
    "  LEFT JOIN pg_depend d ON d.classid = 'pg_class'::regclass AND d.objid = c.oid"
    "   AND d.refclassid = 'pg_class'::regclass AND d.deptype IN ('a', 'i')"
    "  LEFT JOIN pg_class t ON t.oid = d.refobjid"
    "  LEFT JOIN pg_namespace tn ON tn.oid = t.relnamespace"
    "  LEFT JOIN pg_attribute a ON a.attrelid = d.refobjid AND a.attnum = d.refobjsubid"
    "  WHERE " USER_NS("n")
    " UNION ALL"
    " SELECT format('comment %I.%I.%s %s', n.nspname, c.relname,"
    "   coalesce(quote_ident(a.attname), '-'), quote_literal(ds.description))"
    "  FROM pg_description ds JOIN pg_class c ON ds.classoid = 'pg_class'::regclass"
    "   AND c.oid = ds.objoid JOIN pg_namespace n ON n.oid = c.relnamespace"
    "  LEFT JOIN pg_attribute a ON a.attrelid = c.oid AND a.attnum = ds.objsubid"
    "   AND ds.objsubid > 0"
    "  WHERE " USER_NS("n") ") objects"
    " WHERE x NOT LIKE '% %.alembic\\_version%' AND x NOT LIKE '% %.pcs\\_migrate\\_%'";

static char *snapshot(PGconn *c)
{
    return test_query(c, snapshot_sql);
}

/* What the revisions have built at head, in the schemas they named. */
static const char head_objects[] =
    "column \"Ledger \"\"X\"\"\".entries.id integer not null\n"
    "column \"Ledger \"\"X\"\"\".entries.invoice_id integer\n"
    "column billing.account_totals.account_id integer\n"
    "column billing.account_totals.total numeric\n"
    "column billing.counters.id integer not null\n"
    "column billing.counters.n integer\n"
    "column billing.invoices.account_id integer not null\n"
    "column billing.invoices.alt_plan_id integer\n"
    "column billing.invoices.id integer not null\n"
    "column billing.invoices.number bigint default nextval('billing.invoice_no'::regclass)\n"

    "column billing.invoices.plan_id integer\n"
    "column billing.invoices.remark character varying(200) not null default "
    "'none'::character varying\n"
    "column billing.invoices.state billing.state not null default 'open'::billing.state\n"
    "column billing.invoices.total numeric(10,2) not null default 0\n"
    "column billing.invoices.updated_at timestamp with time zone\n"
    "column billing.plans.guarded boolean\n"
    "column billing.plans.id integer not null\n"
    "column billing.plans.name text\n"
    "column billing.unpaid_invoices.id integer\n"
    "column billing.unpaid_invoices.total numeric(10,2)\n"
    "column public.accounts.id integer not null\n"
    "column public.accounts.name text not null\n"
    "column public.payments.id integer not null\n"
    "column public.payments.invoice_id integer\n"
    "comment billing.invoices.- 'What accounts owe.'\n"
    "comment billing.invoices.total 'In euros.'\n"
    "comment billing.plans.- 'Price plans.'\n"
    "constraint \"Ledger \"\"X\"\"\".entries.entries_invoice_id_fkey f -> billing.invoices\n"
    "constraint \"Ledger \"\"X\"\"\".entries.entries_pkey p\n"
    "constraint billing.invoices.bills_account_id_fkey f -> public.accounts\n"
    "constraint billing.invoices.bills_pkey p\n"
    "constraint billing.invoices.bills_plan_fk f -> billing.plans\n"
    "constraint billing.invoices.inv_number_key u\n"
    "constraint billing.invoices.inv_total_nonneg c\n"
    "constraint billing.invoices.invoices_alt_plan_id_fkey f -> billing.plans\n"
    "constraint billing.plans.plans_pkey p\n"
    "constraint public.accounts.accounts_pkey p\n"
    "constraint public.payments.payments_invoice_fk f -> billing.invoices\n"
    "constraint public.payments.payments_pkey p\n"
    "function billing.round_total\n"
    "function public.touch_updated_at\n"
    "identity billing.counters.id a\n"
    "index \"Ledger \"\"X\"\"\".entries_pkey on \"Ledger \"\"X\"\"\".entries\n"
    "index billing.bills_pkey on billing.invoices\n"
    "index billing.inv_number_key on billing.invoices\n"
    "index billing.ix_inv_account on billing.invoices\n"
    "index billing.ix_inv_state on billing.invoices\n"
    "index billing.plans_pkey on billing.plans\n"
    "index billing.ux_totals_account on billing.account_totals\n"
    "index public.accounts_pkey on public.accounts\n"
    "index public.payments_pkey on public.payments\n"
    "rel \"Ledger \"\"X\"\"\".entries r\n"
    "rel \"Ledger \"\"X\"\"\".entries_pkey i\n"
    "rel billing.account_totals m\n"
    "rel billing.bills_pkey i\n"
    "rel billing.counters r\n"
    "rel billing.counters_id_seq S\n"
    "rel billing.inv_number_key i\n"
    "rel billing.invoice_no S\n"
    "rel billing.invoices r\n"
    "rel billing.ix_inv_account i\n"
    "rel billing.ix_inv_state i\n"
    "rel billing.plans r\n"
    "rel billing.plans_pkey i\n"
    "rel billing.unpaid_invoices v\n"
    "rel billing.ux_totals_account i\n"
    "rel public.accounts r\n"
    "rel public.accounts_pkey i\n"
    "rel public.payments r\n"
    "rel public.payments_pkey i\n"
    "schema \"Ledger \"\"X\"\"\"\n"
    "schema billing\n"
    "sequence billing.counters_id_seq increment 1 owned by billing.counters.id\n"
    "sequence billing.invoice_no increment 10 owned by billing.invoices.number\n"
    "trigger billing.invoices.invoices_round runs billing.round_total\n"
    "trigger billing.invoices.invoices_touch runs public.touch_updated_at\n"
    "type billing.state open,paid,voided";

/* The rows d3 wrote and rewrote, through the names in billing; accounts in `target`. */
static void assert_head_data_in(PGconn *c, const char *target)
{
    char sql[256];

    ASSERT_QUERY(c, "SELECT count(*), count(*) FILTER (WHERE state = 'paid'), "
                    "count(*) FILTER (WHERE remark = 'account ' || account_id) "
                    "FROM billing.invoices", "300|150|300");
    /* The target schema's trigger function ran on billing's rows. */
    ASSERT_QUERY(c, "SELECT count(*) FROM billing.invoices WHERE updated_at IS NULL", "0");
    ASSERT_QUERY(c, "SELECT count(*), sum(total) = (SELECT sum(total) FROM billing.invoices) "
                    "FROM billing.account_totals", "30|t");
    /* The rows took their numbers from the sequence, renamed since, 10 apart. */
    ASSERT_QUERY(c, "SELECT min(number), max(number) FROM billing.invoices", "1000|3990");
    ASSERT_QUERY(c, "SELECT nextval('billing.invoice_no')", "4000");
    /* remark came from the join with the target schema's accounts. */
    snprintf(sql, sizeof(sql), "SELECT count(*) FROM billing.invoices i JOIN %s.accounts a "
             "ON a.id = i.account_id WHERE i.remark = a.name", target);
    ASSERT_QUERY(c, sql, "300");
}

static void assert_head_data(PGconn *c)
{
    assert_head_data_in(c, "public");
}

/* Nothing the revisions made is left: not the objects, not their schemas. */
static void assert_nothing_left(PGconn *c)
{
    char *s = snapshot(c);

    ck_assert_msg(strcmp(s, "") == 0, "left after the downgrade:\n%s", s);
    free(s);
    ASSERT_QUERY(c, "SELECT count(*) FROM pg_namespace WHERE nspname IN ('billing', "
                    "'Ledger \"X\"')", "0");
}

/*
 * Up one revision at a time, then down: after the first, each kind of
 * object in its schema (and not the target's), each reference across
 * schemas to the right one; at head, the whole catalog; at base, nothing.
 */
START_TEST(test_schemas_online_upgrade_and_downgrade)
{
    char *s;

    RUN("upgrade", "s10000000001");
    ASSERT_EXIT(0);
    ASSERT_QUERY(conn, "SELECT to_regclass('public.invoices') IS NULL, "
                       "to_regclass('billing.invoices') IS NOT NULL, "
                       "to_regclass('public.bills') IS NULL, to_regclass('billing.bills') IS NULL",
                 "t|t|t|t");
    ASSERT_QUERY(conn, "SELECT c.relname, n.nspname, c.relkind FROM pg_class c JOIN "
                       "pg_namespace n ON n.oid = c.relnamespace WHERE c.relname IN "
                       "('invoices', 'plans', 'counters', 'invoice_numbers', 'open_invoices', "
                       "'totals', 'ix_inv_account', 'ux_totals_account', 'entries', "
                       "'payments') ORDER BY 1",
                 "counters|billing|r\nentries|Ledger \"X\"|r\ninvoice_numbers|billing|S\n"
                 "invoices|billing|r\nix_inv_account|billing|i\nopen_invoices|billing|v\n"
                 "payments|public|r\nplans|billing|r\ntotals|billing|m\n"
                 "ux_totals_account|billing|i");
    ASSERT_QUERY(conn, "SELECT conname, conrelid::regclass, confrelid::regclass "
                       "FROM pg_constraint WHERE contype = 'f' ORDER BY 1",
                 "bills_account_id_fkey|billing.invoices|accounts\n"
                 "bills_plan_fk|billing.invoices|billing.plans\n"
                 "entries_invoice_id_fkey|\"Ledger \"\"X\"\"\".entries|billing.invoices\n"
                 "invoices_alt_plan_id_fkey|billing.invoices|billing.plans\n"
                 "payments_invoice_fk|payments|billing.invoices");
    ASSERT_QUERY(conn, "SELECT t.typnamespace::regnamespace, t.typname FROM pg_type t "
                       "WHERE t.typname = 'state'", "billing|state");
    ASSERT_QUERY(conn, "SELECT tgname, tgrelid::regclass, tgfoid::regprocedure "
                       "FROM pg_trigger WHERE NOT tgisinternal ORDER BY 1",
                 "invoices_round|billing.invoices|billing.round_total()\n"
                 "invoices_touch|billing.invoices|touch_updated_at()");
    ASSERT_QUERY(conn, "SELECT pronamespace::regnamespace, proname FROM pg_proc "
                       "WHERE proname IN ('round_total', 'touch_updated_at') ORDER BY 2",
                 "billing|round_total\npublic|touch_updated_at");
    ASSERT_QUERY(conn, "SELECT indexrelid::regclass, indrelid::regclass FROM pg_index "
                       "WHERE indexrelid::regclass::text LIKE '%ix\\_%' ORDER BY 1",
                 "billing.ix_inv_account|billing.invoices");

    RUN("migrate");
    ASSERT_EXIT(0);
    ASSERT_ERR_HAS(r, "batch_update \"billing\".\"invoices\": batch 4, 30 rows, 150 in all");
    ASSERT_ERR_HAS(r, "batch_update_from \"billing\".\"invoices\": batch 5, 20 rows, "
                      "300 in all");
    ASSERT_ERR_HAS(r, "condition true, 1 operation run");
    s = snapshot(conn);
    ck_assert_msg(strcmp(s, head_objects) == 0, "at head:\n%s", s);
    free(s);
    assert_head_data(conn);

    RUN("downgrade", "s10000000001");
    ASSERT_EXIT(0);
    ASSERT_QUERY(conn, "SELECT to_regclass('billing.ix_inv_state') IS NULL, "
                       "to_regclass('billing.open_invoices') IS NOT NULL, "
                       "(SELECT count(*) FROM billing.invoices)", "t|t|0");
    RUN("downgrade", "base");
    ASSERT_EXIT(0);
    assert_nothing_left(conn);
}
END_TEST

static int by_bytes(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

/*
 * snapshot() of a run whose target schema was `target`, read as if it had
 * been public: that schema's own line gone, " target." now " public.", the
 * lines sorted again as COLLATE "C" sorts them.
 */
static char *as_public(char *text, const char *target)
{
    char *lines[256], *line, *save = NULL, from[80], own[80], *out;
    size_t n = 0, i, len = 1;

    snprintf(from, sizeof(from), " %s.", target);
    snprintf(own, sizeof(own), "schema %s", target);
    for (line = strtok_r(text, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
        char buf[512] = "", *at, *rest = line;

        if (!strcmp(line, own))
            continue;
        ck_assert_uint_lt(n, sizeof(lines) / sizeof(*lines));
        while ((at = strstr(rest, from)) != NULL) {
            strncat(buf, rest, (size_t)(at - rest));
            strcat(buf, " public.");
            rest = at + strlen(from);
        }
        ck_assert_uint_lt(strlen(buf) + strlen(rest), sizeof(buf));
        strcat(buf, rest);
        lines[n++] = strdup(buf);
        len += strlen(buf) + 1;
    }
    qsort(lines, n, sizeof(*lines), by_bytes);
    out = calloc(1, len);
    for (i = 0; i < n; i++) {
        if (i)
            strcat(out, "\n");
        strcat(out, lines[i]);
        free(lines[i]);
    }
    return out;
}

/*
 * A run whose target schema is not public (--schema app): what the
 * revisions name with no schema (accounts, payments, the trigger function,
 * the foreign key's accounts, the trigger's function) is app's, billing's
 * objects stay billing's, and the catalog is the head's but for that.
 */
START_TEST(test_schemas_target_schema_of_the_run)
{
    char *s, *p;

    RUN("migrate", "--schema", "app");
    ASSERT_EXIT(0);
    ASSERT_QUERY(conn, "SELECT conname, confrelid::regclass FROM pg_constraint "
                       "WHERE conname = 'bills_account_id_fkey'",
                 "bills_account_id_fkey|app.accounts");
    ASSERT_QUERY(conn, "SELECT tgfoid::regprocedure FROM pg_trigger "
                       "WHERE tgname = 'invoices_touch'", "app.touch_updated_at()");
    s = snapshot(conn);
    p = as_public(s, "app");
    ck_assert_msg(strcmp(p, head_objects) == 0, "at head with --schema app:\n%s", p);
    free(p);
    free(s);
    assert_head_data_in(conn, "app");

    RUN("downgrade", "base", "--schema", "app");
    ASSERT_EXIT(0);
    s = snapshot(conn);
    ck_assert_msg(strcmp(s, "schema app") == 0, "left after the downgrade:\n%s", s);
    free(s);
}
END_TEST

/*
 * The revision that builds an index concurrently in billing, run again
 * after a run of it started (its 'started' row is there): the second
 * connection looks for the index where the revision names it, not on the
 * search path, so a downgrade drops it again rather than taking it for
 * dropped, and an upgrade takes the index an interrupted run built, valid
 * and as asked, for built.
 */
START_TEST(test_schemas_concurrent_index_run_again)
{
    RUN("migrate");
    ASSERT_EXIT(0);
    RUN("downgrade", "s10000000001");
    ASSERT_EXIT(0);
    RUN("migrate");
    ASSERT_EXIT(0);
    ASSERT_QUERY(conn, "SELECT to_regclass('billing.ix_inv_state') IS NOT NULL", "t");
    RUN("downgrade", "s10000000001");
    ASSERT_EXIT(0);
    ck_assert_msg(strstr(r.err, "recorded as dropped") == NULL, "%s", r.err);
    ASSERT_QUERY(conn, "SELECT to_regclass('billing.ix_inv_state') IS NULL", "t");

    /* As an interrupted upgrade leaves it: built, valid, no version row. */
    test_exec(conn, "CREATE INDEX ix_inv_state ON billing.invoices (state)");
    RUN("upgrade", "s10000000002");
    ASSERT_EXIT(0);
    ASSERT_ERR_HAS(r, "index billing.ix_inv_state was built by an interrupted run of "
                      "revision s10000000002; recorded as built");
    ASSERT_QUERY(conn, "SELECT version_num FROM alembic_version", "s10000000002");
}
END_TEST

/* LOCK TABLE of billing's table under a lock timeout names the holder of that table. */
START_TEST(test_schemas_lock_timeout_names_the_holder)
{
    PGconn *traffic = test_connect(db);
    char holder[80];

    RUN("upgrade", "s10000000002");
    ASSERT_EXIT(0);
    snprintf(holder, sizeof(holder), "table billing.invoices held by pid %d (",
             PQbackendPID(traffic));
    test_exec(traffic, "BEGIN");
    test_exec(traffic, "LOCK TABLE billing.invoices IN ROW EXCLUSIVE MODE");
    RUN("upgrade", "s10000000003", "--ddl-lock-timeout", "0.1", "--ddl-retries", "0");
    ASSERT_EXIT(4);
    ASSERT_ERR_HAS(r, "lock_table \"billing\".\"invoices\"");
    ASSERT_ERR_HAS(r, holder);
    test_exec(traffic, "ROLLBACK");
    PQfinish(traffic);
    ASSERT_QUERY(conn, "SELECT version_num FROM alembic_version", "s10000000002");
}
END_TEST

/* `bin DIRECTION --sql RANGE` into psql on database `name`. */
static void apply_sql(const char *name, const char *direction, const char *range)
{
    const char *gen[] = { test_bin("schemas"), direction, "--sql", range, NULL };
    char *conninfo = test_conninfo(name);
    const char *psql[] = { "psql", "-X", "-q", "-v", "ON_ERROR_STOP=1", "-d", conninfo, NULL };
    struct proc_result script, applied;

    proc_run(gen, NULL, NULL, &script);
    ck_assert_msg(script.status == 0, "--sql %s: %s", range, script.err);
    proc_run(psql, script.out, NULL, &applied);
    ck_assert_msg(applied.status == 0, "psql: %s\nscript:\n%s", applied.err, script.out);
    proc_result_free(&script);
    proc_result_free(&applied);
    free(conninfo);
}

/* The offline script builds, in psql, the catalog the runner built, and takes it away. */
START_TEST(test_schemas_sql_script_builds_the_same)
{
    char *s;

    apply_sql(db, "upgrade", "base:head");
    s = snapshot(conn);
    ck_assert_msg(strcmp(s, head_objects) == 0, "at head through --sql:\n%s", s);
    free(s);
    assert_head_data(conn);
    ASSERT_QUERY(conn, "SELECT version_num FROM alembic_version", "s10000000003");
    apply_sql(db, "downgrade", "head:base");
    assert_nothing_left(conn);
}
END_TEST

static void teardown(void)
{
    proc_result_free(&r);
}

int main(void)
{
    Suite *s = suite_create("schemas");
    TCase *tc = tcase_create("schemas");

    test_require_db();
    test_fresh_db_fixture(tc, db, sizeof(db), &conn, &url);
    tcase_add_checked_fixture(tc, NULL, teardown);
    tcase_set_timeout(tc, 300);
    tcase_add_test(tc, test_schemas_online_upgrade_and_downgrade);
    tcase_add_test(tc, test_schemas_sql_script_builds_the_same);
    tcase_add_test(tc, test_schemas_target_schema_of_the_run);
    tcase_add_test(tc, test_schemas_concurrent_index_run_again);
    tcase_add_test(tc, test_schemas_lock_timeout_names_the_holder);
    suite_add_tcase(s, tc);
    return test_run_suite(s);
}
