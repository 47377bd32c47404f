/*
 * The catalog reads the target schema and the schemas it is given, each
 * object under its schema's name: made by hand on a real server, every
 * kind, in two schemas besides the target and one not listed; a table of
 * the target and one of the same name in another schema stay two objects.
 * Two databases compared that differ in another schema's object report it
 * qualified; equal ones report nothing.
 */
#include <stdlib.h>
#include <string.h>

#include <pcsm/pcsm.h>

#include "schema/schema.h"
#include "support.h"

static char db_name[64], db2_name[64];
static pcsm_ctx *ctx;

/* A column typed in another schema, replayed: what the catalog must match exactly. */
static void probe_upgrade(pcsm_op *op)
{
    pcsm_create_table(op, "probe", PCSM_COLUMNS(
        { .name = "st", .type = PCSM_TYPE_IN("ref", "status") },
        { .name = "sts", .type = PCSM_TYPE_(PCSM_TYPE_NAMED, .name = "status", .schema = "ref",
                                            .array_dims = 1) }), NULL, NULL);
}

static const pcsm_revision probe_rev[] = { {
    .id = "probe", .description = "a type of another schema",
    .create_date = "2026-12-06 00:00:00",
    .source_path = "tests/integration/test_catalog_schemas.c", .upgrade = probe_upgrade,
} };

/* Every kind, in billing and ref besides the target (app), and in hidden, never listed. */
static const char setup_sql[] =
    "CREATE SCHEMA app; CREATE SCHEMA billing; CREATE SCHEMA ref; CREATE SCHEMA hidden;"
    "CREATE TYPE ref.status AS ENUM ('open', 'paid');"
    "CREATE FUNCTION ref.touch() RETURNS trigger LANGUAGE plpgsql AS 'BEGIN RETURN NEW; END';"
    "CREATE TABLE billing.customers (id int GENERATED ALWAYS AS IDENTITY PRIMARY KEY, "
    "code serial, name text UNIQUE, CONSTRAINT customers_id_pos CHECK (id > 0));"
    "CREATE TABLE billing.invoices (id bigint PRIMARY KEY, "
    "customer int REFERENCES billing.customers ON DELETE CASCADE, st ref.status, "
    "total numeric(10,2), CONSTRAINT invoices_total_pos CHECK (total >= 0));"
    "CREATE INDEX invoices_customer_ix ON billing.invoices (customer DESC NULLS LAST, "
    "(id % 10));"
    "CREATE SEQUENCE billing.numbers AS integer START 7 OWNED BY billing.invoices.id;"
    "CREATE TRIGGER invoices_touch BEFORE INSERT ON billing.invoices FOR EACH ROW "
    "EXECUTE FUNCTION ref.touch();"
    "CREATE VIEW billing.open_invoices AS SELECT id FROM billing.invoices;"
    "CREATE MATERIALIZED VIEW billing.totals AS SELECT customer, sum(total) AS total "
    "FROM billing.invoices GROUP BY customer;"
    "CREATE FUNCTION billing.twice(a int) RETURNS int LANGUAGE sql IMMUTABLE AS 'SELECT a * 2';"
    /* The target's own: a table named as billing's, its own status type. */
    "CREATE TYPE app.status AS ENUM ('x');"
    "CREATE TABLE app.invoices (id int PRIMARY KEY, cust int REFERENCES billing.customers, "
    "st ref.status, sts ref.status[], own app.status);"
    "CREATE TRIGGER app_touch BEFORE UPDATE ON app.invoices FOR EACH ROW "
    "EXECUTE FUNCTION ref.touch();"
    "CREATE TABLE hidden.invoices (id int); CREATE TABLE hidden.secret (id int);";

static void setup(void)
{
    PGconn *conn;

    test_db_create(db_name, sizeof(db_name));
    ck_assert_int_eq(pcsm_ctx_new(&ctx, probe_rev, 1), 0);
    conn = test_connect(db_name);
    test_exec(conn, setup_sql);
    PQfinish(conn);
}

static void teardown(void)
{
    pcsm_ctx_free(ctx);
    ctx = NULL;
    test_db_drop(db_name);
    if (db2_name[0])
        test_db_drop(db2_name);
    db2_name[0] = '\0';
}

static pcsm_db *connect_to(const char *db_name_)
{
    pcsm_db_opts opts;
    pcsm_db *db = NULL;
    char *ci = test_conninfo(db_name_);

    pcsm_db_opts_init(&opts);
    opts.conninfo = ci;
    opts.script.schema = "app";
    ck_assert_msg(pcsm_db_connect(ctx, &opts, &db) == 0, "%s", pcsm_error_last(ctx)->message);
    free(ci);
    return db;
}

static pcsm_schema *read_in(const char *db_name_, const char *const *also)
{
    pcsm_db *db = connect_to(db_name_);
    pcsm_schema *s = NULL;

    ck_assert_msg(pcsm_schema_live_in(ctx, db, also, &s) == 0, "%s",
                  pcsm_error_last(ctx)->message);
    pcsm_db_close(db);
    return s;
}

static const struct pcsm_schema_constraint *constraint(const struct pcsm_schema_table *t,
                                                       const char *name)
{
    const struct pcsm_schema_constraint *c = pcsm_schema__constraint(t, name);

    ck_assert_msg(c != NULL, "no constraint %s on %s", name, t->name);
    return c;
}

static void assert_type_in(pcsm_type t, const char *schema, const char *name, int dims)
{
    ck_assert_int_eq(t.kind, PCSM_TYPE_NAMED);
    ck_assert_str_eq(t.name, name);
    ck_assert_pstr_eq(t.schema, schema);
    ck_assert_ptr_null(t.modifiers);
    ck_assert_int_eq(t.array_dims, dims);
    ck_assert_int_eq(t.p, 0);
    ck_assert_int_eq(t.s, 0);
}

START_TEST(test_reads_listed_schemas_each_kind)
{
    /* pg_catalog listed is still never read; "nowhere" does not exist. */
    const char *const also[] = { "ref", "billing", "pg_catalog", "nowhere", NULL };
    pcsm_schema *s = read_in(db_name, also);
    const struct pcsm_schema_table *t, *mine;
    const struct pcsm_schema_constraint *k;
    const struct pcsm_schema_column *c;
    const struct pcsm_schema_index *ix;
    const struct pcsm_schema_sequence *q;
    const struct pcsm_schema_view *v;
    const struct pcsm_schema_function *f;
    size_t i;

    ck_assert_uint_eq(s->n_schemas, 2);
    ck_assert_str_eq(s->schemas[0], "billing");
    ck_assert_str_eq(s->schemas[1], "ref");
    /* The target's first, then by schema and name; hidden's not at all. */
    ck_assert_uint_eq(s->n_tables, 3);
    ck_assert_ptr_null(s->tables[0].schema);
    ck_assert_str_eq(s->tables[0].name, "invoices");
    ck_assert_str_eq(s->tables[1].schema, "billing");
    ck_assert_str_eq(s->tables[1].name, "customers");
    ck_assert_str_eq(s->tables[2].schema, "billing");
    ck_assert_str_eq(s->tables[2].name, "invoices");
    mine = pcsm_schema__table(s, "invoices");
    t = pcsm_schema__table_in(s, "billing", "invoices");
    ck_assert_ptr_nonnull(mine);
    ck_assert_ptr_nonnull(t);
    ck_assert_ptr_ne(mine, t);
    ck_assert_uint_eq(mine->n_columns, 5);
    ck_assert_uint_eq(t->n_columns, 4);
    ck_assert_ptr_null(pcsm_schema__table_in(s, "hidden", "secret"));
    for (i = 0; i < s->n_tables; i++)
        ck_assert_pstr_ne(s->tables[i].schema, "hidden");

    /* Identity and serial in billing: the serial's sequence is billing's, owned by its column. */
    c = pcsm_schema__column(pcsm_schema__table_in(s, "billing", "customers"), "id");
    ck_assert_int_eq(c->identity, PCSM_IDENTITY_ALWAYS);
    ck_assert_str_eq(c->identity_sequence, "customers_id_seq");
    c = pcsm_schema__column(pcsm_schema__table_in(s, "billing", "customers"), "code");
    ck_assert_str_eq(c->default_value.text, "nextval('billing.customers_code_seq'::regclass)");
    q = pcsm_schema__sequence_in(s, "billing", "customers_code_seq");
    ck_assert_ptr_nonnull(q);
    ck_assert_str_eq(q->owned_table, "customers");
    ck_assert_str_eq(q->owned_column, "code");
    q = pcsm_schema__sequence_in(s, "billing", "numbers");
    ck_assert_ptr_nonnull(q);
    ck_assert_int_eq(q->options.start, 7);
    ck_assert_str_eq(q->owned_table, "invoices");
    ck_assert_str_eq(q->owned_column, "id");
    ck_assert_ptr_null(pcsm_schema__sequence(s, "numbers"));

    /* Foreign keys: the referenced table's schema, the same one or not. */
    k = constraint(t, "invoices_customer_fkey");
    ck_assert_str_eq(k->references, "customers");
    ck_assert_str_eq(k->ref_schema, "billing");
    ck_assert_int_eq(k->on_delete, PCSM_CASCADE);
    k = constraint(mine, "invoices_cust_fkey");
    ck_assert_str_eq(k->references, "customers");
    ck_assert_str_eq(k->ref_schema, "billing");
    ck_assert_ptr_null(constraint(mine, "invoices_pkey")->ref_schema);
    ck_assert_int_eq(constraint(t, "invoices_total_pos")->kind, PCSM_CHECK);
    ck_assert_int_eq(constraint(pcsm_schema__table_in(s, "billing", "customers"),
                                "customers_name_key")->kind, PCSM_UNIQUE);
    ck_assert_int_eq(constraint(pcsm_schema__table_in(s, "billing", "customers"),
                                "customers_id_pos")->kind, PCSM_CHECK);

    /* Types: ref's enum, used from billing and from the target; the target's own. */
    ck_assert_uint_eq(s->n_types, 2);
    ck_assert_ptr_null(s->types[0].schema);
    ck_assert_str_eq(s->types[0].name, "status");
    ck_assert_str_eq(s->types[1].schema, "ref");
    ck_assert_str_eq(s->types[1].labels[1], "paid");
    assert_type_in(pcsm_schema__column(t, "st")->type, "ref", "status", 0);
    assert_type_in(pcsm_schema__column(mine, "st")->type, "ref", "status", 0);
    assert_type_in(pcsm_schema__column(mine, "sts")->type, "ref", "status", 1);
    assert_type_in(pcsm_schema__column(mine, "own")->type, NULL, "status", 0);

    /* Triggers: the function's schema, not the table's. */
    ck_assert_uint_eq(t->n_triggers, 1);
    ck_assert_str_eq(t->triggers[0].function, "touch");
    ck_assert_str_eq(t->triggers[0].function_schema, "ref");
    ck_assert_uint_eq(mine->n_triggers, 1);
    ck_assert_str_eq(mine->triggers[0].function_schema, "ref");

    /* The index, with its elements, in its table's schema. */
    ck_assert_uint_eq(s->n_indexes, 1);
    ix = pcsm_schema__index_in(s, "billing", "invoices_customer_ix");
    ck_assert_ptr_nonnull(ix);
    ck_assert_str_eq(ix->table, "invoices");
    ck_assert_ptr_nonnull(ix->elements);
    ck_assert_str_eq(ix->elements[0].column, "customer");
    ck_assert(ix->elements[0].descending);
    ck_assert_int_eq(ix->elements[0].nulls, PCSM_NULLS_LAST);
    ck_assert_str_eq(ix->elements[1].expression, "(id % 10::bigint)");
    ck_assert_ptr_null(pcsm_schema__index(s, "invoices_customer_ix"));

    /* Views, functions. */
    v = pcsm_schema__view_in(s, "billing", "open_invoices");
    ck_assert_ptr_nonnull(v);
    ck_assert(!v->materialized);
    v = pcsm_schema__view_in(s, "billing", "totals");
    ck_assert_ptr_nonnull(v);
    ck_assert(v->materialized);
    ck_assert(v->populated);
    ck_assert_uint_eq(s->n_functions, 2);
    f = pcsm_schema__function_in(s, "billing", "twice", NULL);
    ck_assert_ptr_nonnull(f);
    ck_assert_int_eq(f->volatility, PCSM_IMMUTABLE);
    ck_assert_ptr_nonnull(pcsm_schema__function_in(s, "ref", "touch", NULL));
    ck_assert_ptr_null(pcsm_schema__function(s, "touch", NULL));
    pcsm_schema_free(s);
}
END_TEST

/* What replay makes of PCSM_TYPE_IN is what the catalog reads, field by field. */
START_TEST(test_type_in_reads_as_replay_declares)
{
    const char *const also[] = { "ref", NULL };
    pcsm_revset head = PCSM_REVSET_INIT;
    pcsm_schema *declared = NULL, *s = read_in(db_name, also);
    const struct pcsm_schema_table *probe, *mine = pcsm_schema__table(s, "invoices");
    const char *cols[] = { "st", "sts" };
    size_t i;

    pcsm_graph_heads(ctx, &head);
    ck_assert_msg(pcsm_schema_declared(ctx, &head, &declared) == 0, "%s",
                  pcsm_error_last(ctx)->message);
    probe = pcsm_schema__table(declared, "probe");
    for (i = 0; i < 2; i++) {
        pcsm_type a = pcsm_schema__column(probe, cols[i])->type;
        pcsm_type b = pcsm_schema__column(mine, cols[i])->type;

        ck_assert_int_eq(a.kind, b.kind);
        ck_assert_str_eq(a.name, b.name);
        ck_assert_pstr_eq(a.schema, b.schema);
        ck_assert_pstr_eq(a.modifiers, b.modifiers);
        ck_assert_int_eq(a.array_dims, b.array_dims);
        ck_assert_int_eq(a.p, b.p);
        ck_assert_int_eq(a.s, b.s);
    }
    pcsm_schema_free(declared);
    pcsm_schema_free(s);
    pcsm_revset_dispose(&head);
}
END_TEST

/* No list: the target alone, whose references outside it keep their schema's name. */
START_TEST(test_target_alone_keeps_references)
{
    pcsm_schema *s = read_in(db_name, NULL);
    const struct pcsm_schema_table *mine;

    ck_assert_uint_eq(s->n_schemas, 0);
    ck_assert_uint_eq(s->n_tables, 1);
    ck_assert_uint_eq(s->n_functions, 0);
    ck_assert_uint_eq(s->n_sequences, 0);
    ck_assert_uint_eq(s->n_views, 0);
    ck_assert_uint_eq(s->n_indexes, 0);
    mine = pcsm_schema__table(s, "invoices");
    ck_assert_str_eq(constraint(mine, "invoices_cust_fkey")->ref_schema, "billing");
    ck_assert_str_eq(mine->triggers[0].function_schema, "ref");
    assert_type_in(pcsm_schema__column(mine, "st")->type, "ref", "status", 0);
    pcsm_schema_free(s);
}
END_TEST

/* The schemas a model names: made, holding objects, referred to; system ones never. */
START_TEST(test_names_used)
{
    const char *const also[] = { "ref", "billing", NULL };
    pcsm_schema *s = read_in(db_name, also);
    char **names;

    names = pcsm_schema_names_used(s);
    ck_assert_str_eq(names[0], "billing");
    ck_assert_str_eq(names[1], "ref");
    ck_assert_ptr_null(names[2]);
    pcsm_schema_names_free(names);
    pcsm_schema_free(s);
    /* The target alone still refers to billing (a key) and ref (a type, a trigger). */
    s = read_in(db_name, NULL);
    names = pcsm_schema_names_used(s);
    ck_assert_str_eq(names[0], "billing");
    ck_assert_str_eq(names[1], "ref");
    ck_assert_ptr_null(names[2]);
    pcsm_schema_names_free(names);
    pcsm_schema_free(s);
    s = pcsm_schema__new();
    names = pcsm_schema_names_used(s);
    ck_assert_ptr_null(names[0]);
    pcsm_schema_names_free(names);
    pcsm_schema_free(s);
}
END_TEST

static char *diff_text(const pcsm_schema *a, const pcsm_schema *b, size_t *n)
{
    pcsm_diff *d = NULL;
    pcsm_buf out = PCSM_BUF_INIT;

    ck_assert_int_eq(pcsm_diff_models(ctx, a, b, &d), 0);
    *n = pcsm_diff_count(d);
    pcsm_diff_text(d, &out);
    pcsm_diff_json(d, &out);
    pcsm_diff_free(d);
    return pcsm_buf_detach(&out);
}

START_TEST(test_diff_two_databases)
{
    const char *const also[] = { "ref", "billing", "extra", NULL };
    PGconn *conn;
    pcsm_schema *a, *b;
    char *text;
    size_t n;

    test_db_create(db2_name, sizeof(db2_name));
    conn = test_connect(db2_name);
    test_exec(conn, setup_sql);
    a = read_in(db_name, also);
    b = read_in(db2_name, also);
    text = diff_text(a, b, &n);
    ck_assert_msg(n == 0, "equal databases differ:\n%s", text);
    free(text);
    pcsm_schema_free(b);

    /* billing's invoices only: the target's of the same name is another object. */
    test_exec(conn, "DROP MATERIALIZED VIEW billing.totals;"
                    "ALTER TABLE billing.invoices ADD COLUMN note text;"
                    "ALTER TABLE billing.invoices ALTER COLUMN total TYPE numeric(12,2);"
                    "CREATE TYPE billing.kind AS ENUM ('a');"
                    "ALTER FUNCTION billing.twice(int) STABLE;"
                    "CREATE SCHEMA extra;"
                    "CREATE TABLE hidden.more (id int)");
    b = read_in(db2_name, also);
    text = diff_text(a, b, &n);
    ck_assert_msg(n == 6, "%zu entries:\n%s", n, text);
    ck_assert_msg(strstr(text, "extra    column billing.invoices.note\n") &&
                  strstr(text, "changed  column billing.invoices.total  type: numeric(10,2) -> "
                         "numeric(12,2)\n") &&
                  strstr(text, "extra    type billing.kind\n") &&
                  strstr(text, "changed  function billing.twice(integer)  volatility: "
                         "IMMUTABLE -> STABLE\n") &&
                  strstr(text, "missing  view billing.totals\n") &&
                  strstr(text, "extra    schema extra\n") &&
                  strstr(text, "\"path\":\"billing.invoices.note\"") &&
                  !strstr(text, " invoices.note") && !strstr(text, "more"), "%s", text);
    free(text);
    pcsm_schema_free(a);
    pcsm_schema_free(b);
    PQfinish(conn);
}
END_TEST

/*
 * check's comparison of a model whose column has a type of another schema:
 * built in the scratch schema, where the type is found in its own, and read
 * back as a live read reads it, in the schemas the model names.
 */
START_TEST(test_drift_with_a_type_of_another_schema)
{
    pcsm_run_opts run = { .direction = PCSM_UPGRADE, .target = "head" };
    pcsm_revset at = PCSM_REVSET_INIT;
    pcsm_schema *declared = NULL, *on_server = NULL, *live = NULL;
    char **names;
    pcsm_diff *d = NULL;
    pcsm_buf out = PCSM_BUF_INIT;
    PGconn *conn;
    pcsm_db *db;

    test_db_create(db2_name, sizeof(db2_name));
    conn = test_connect(db2_name);
    test_exec(conn, "CREATE SCHEMA app; CREATE SCHEMA ref;"
                    "CREATE TYPE ref.status AS ENUM ('open', 'paid')");
    db = connect_to(db2_name);
    ck_assert_msg(pcsm_db_migrate(ctx, db, &run, NULL, NULL) == 0, "%s",
                  pcsm_error_last(ctx)->message);
    ck_assert_msg(pcsm_db_drift(ctx, db, &at, &d) == 0, "%s", pcsm_error_last(ctx)->message);
    pcsm_diff_text(d, &out);
    ck_assert_msg(pcsm_diff_count(d) == 0, "drift:\n%s", out.ptr);
    pcsm_diff_free(d);

    ck_assert_msg(pcsm_schema_declared(ctx, &at, &declared) == 0, "%s",
                  pcsm_error_last(ctx)->message);
    names = pcsm_schema_names_used(declared);
    ck_assert_str_eq(names[0], "ref");
    ck_assert_ptr_null(names[1]);
    ck_assert_int_eq(pcsm_schema_on_server(ctx, db, declared, &on_server), 0);
    ck_assert_int_eq(pcsm_schema_live_in(ctx, db, (const char *const *)names, &live), 0);
    ck_assert(pcsm_schema_equal(on_server, live));
    assert_type_in(pcsm_schema__column(pcsm_schema__table(on_server, "probe"), "st")->type,
                   "ref", "status", 0);
    ck_assert_ptr_nonnull(pcsm_schema__type_in(on_server, "ref", "status"));
    /* Not made by the model, found on both sides as a schema it uses. */
    ck_assert_uint_eq(declared->n_schemas, 0);
    ck_assert_uint_eq(on_server->n_schemas, 1);
    ck_assert_str_eq(on_server->schemas[0], "ref");

    /* A change by hand, reported by check on the target's column. */
    test_exec(conn, "ALTER TABLE app.probe ALTER COLUMN st TYPE text");
    ck_assert_int_eq(pcsm_db_drift(ctx, db, &at, &d), 0);
    pcsm_buf_clear(&out);
    pcsm_diff_text(d, &out);
    ck_assert_str_eq(out.ptr, "changed  column probe.st  type: \"ref\".\"status\" -> text\n");
    pcsm_diff_free(d);

    pcsm_buf_dispose(&out);
    pcsm_schema_names_free(names);
    pcsm_schema_free(declared);
    pcsm_schema_free(on_server);
    pcsm_schema_free(live);
    pcsm_revset_dispose(&at);
    pcsm_db_close(db);
    PQfinish(conn);
}
END_TEST

/* A table with an integer or bigint column "total" and a foreign key "fk" to customers. */
static void add_invoices(pcsm_schema *s, const char *schema, bool big, const char *ref_schema)
{
    static const char *const cols[] = { "total", NULL };
    struct pcsm_schema_table *t = pcsm_schema__add_table(s, "invoices");
    struct pcsm_schema_column *c = pcsm_schema__add_column(t);
    struct pcsm_schema_constraint *k = pcsm_schema__add_constraint(t);

    t->schema = schema ? strdup(schema) : NULL;
    c->name = strdup("total");
    c->type = big ? PCSM_BIGINT : PCSM_INTEGER;
    k->name = strdup("fk");
    k->kind = PCSM_FOREIGN_KEY;
    k->columns = pcsm_schema__copy_names(cols);
    k->references = strdup("customers");
    k->ref_schema = ref_schema ? strdup(ref_schema) : NULL;
}

static void add_schema_name(pcsm_schema *s, const char *name)
{
    s->schemas = realloc(s->schemas, (s->n_schemas + 1) * sizeof(*s->schemas));
    ck_assert_ptr_nonnull(s->schemas);
    s->schemas[s->n_schemas++] = strdup(name);
    s->cap_schemas = s->n_schemas;
}

/*
 * Offline: the target's invoices and billing's are matched each with its
 * own, every entry of billing's is named after its schema, a reference's
 * schema is part of it, schemas of one side are entries, the target first.
 */
START_TEST(test_diff_names_qualified)
{
    static const char want[] =
        "missing  schema billing\n"
        "extra    schema other\n"
        "changed  constraint billing.invoices.fk  references: billing.customers -> customers\n"
        "changed  column billing.invoices.total  type: integer -> bigint\n"
        "{\"change\":\"missing\",\"object\":\"schema\",\"path\":\"billing\"";
    pcsm_schema *a = pcsm_schema__new(), *b = pcsm_schema__new();
    char *text;
    size_t n;

    add_invoices(a, NULL, false, NULL);
    add_invoices(a, "billing", false, "billing");
    add_schema_name(a, "billing");
    add_invoices(b, NULL, false, NULL);
    add_invoices(b, "billing", true, NULL);
    add_schema_name(b, "other");
    pcsm_schema__sort(a);
    pcsm_schema__sort(b);
    text = diff_text(a, b, &n);
    ck_assert_uint_eq(n, 4);
    ck_assert_msg(!strncmp(text, want, strlen(want)), "%s", text);
    free(text);
    pcsm_schema_free(a);
    pcsm_schema_free(b);
}
END_TEST

static Suite *catalog_schemas_suite(void)
{
    Suite *s = suite_create("catalog_schemas");
    TCase *tc = tcase_create("catalog_schemas");

    tcase_add_checked_fixture(tc, setup, teardown);
    tcase_set_timeout(tc, 300);
    tcase_add_test(tc, test_reads_listed_schemas_each_kind);
    tcase_add_test(tc, test_type_in_reads_as_replay_declares);
    tcase_add_test(tc, test_target_alone_keeps_references);
    tcase_add_test(tc, test_names_used);
    tcase_add_test(tc, test_diff_two_databases);
    tcase_add_test(tc, test_drift_with_a_type_of_another_schema);
    tcase_add_test(tc, test_diff_names_qualified);
    suite_add_tcase(s, tc);
    return s;
}

int main(void)
{
    test_require_db();
    return test_run_suite(catalog_schemas_suite());
}
