/*
 * Unit tests of the lint library (runtime/lib/lint): the rule table, the
 * baseline reader, pcsm_lint_active's counting, and the decisions the
 * fixture (tests/fixtures/lint, read by tests/schema/test_lint.py) cannot
 * reach cheaply: which column type changes rewrite, and which defaults are
 * volatile.  Each case is a registry in memory: r1 makes table t (and a
 * sequence and functions), r2 is the change linted against it.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "pcsm/ddl.h"
#include "pcsm/lint.h"
#include "support.h"

static pcsm_ctx *ctx;
static pcsm_lint_report *report;
static pcsm_buf why = PCSM_BUF_INIT;

static void teardown(void)
{
    pcsm_lint_free(report);
    report = NULL;
    pcsm_ctx_free(ctx);
    ctx = NULL;
    pcsm_buf_dispose(&why);
}

/* ------------------------------------------------------------ registries */

static void base_up(pcsm_op *op)
{
    pcsm_create_sequence(op, "s", NULL, NULL, NULL);
    pcsm_create_function(op, &(pcsm_function){
        .name = "f_vol", .returns = "integer", .language = "sql", .body = "SELECT 1",
        .volatility = PCSM_VOLATILE });
    pcsm_create_function(op, &(pcsm_function){
        .name = "f_stable", .returns = "integer", .language = "sql", .body = "SELECT 1",
        .volatility = PCSM_STABLE });
    pcsm_create_function(op, &(pcsm_function){
        .name = "f_default", .returns = "integer", .language = "sql", .body = "SELECT 1" });
    pcsm_create_table(op, "t", PCSM_COLUMNS(
        { .name = "id", .type = PCSM_BIGINT, .primary_key = true },
        { .name = "v", .type = PCSM_TEXT },
        { .name = "vc", .type = PCSM_VARCHAR(10) },
        { .name = "n", .type = PCSM_NUMERIC(10, 2) },
        { .name = "ts", .type = PCSM_TIMESTAMPTZ },
        { .name = "tsz", .type = PCSM_TIMESTAMPTZ }),
        PCSM_CONSTRAINTS({ .kind = PCSM_CHECK, .name = "t_v_set", .check = "(v IS NOT NULL)" }),
        NULL);
}

static void base_down(pcsm_op *op)
{
    pcsm_drop_table(op, "t", 0);
    pcsm_drop_function(op, "f_default", "", 0);
    pcsm_drop_function(op, "f_stable", "", 0);
    pcsm_drop_function(op, "f_vol", "", 0);
    pcsm_drop_sequence(op, "s", 0);
}

static void nothing(pcsm_op *op)
{
    (void)op;
}

/* t.n is varchar(10) on purpose: r1 ignores its prefer-text finding. */
static const pcsm_lint_ignore base_ignores[] = { { "prefer-text", "for the tests", 5 } };

/* The k-th finding of r2. */
static const pcsm_lint_finding *r2_at(size_t k)
{
    size_t i;

    for (i = 0; i < pcsm_lint_count(report); i++)
        if (!strcmp(pcsm_lint_at(report, i)->revision->id, "r2") && k-- == 0)
            return pcsm_lint_at(report, i);
    ck_abort_msg("r2 has no finding %zu", k);
    return NULL;
}

/*
 * r1 (up1, down1, ignoring base_ignores' rule when `ignores1`) then r2
 * (up2, down2 or nothing, with its Lint-ignore lines); linted whole.
 */
static void lint_two(pcsm_migration_fn up1, pcsm_migration_fn down1, bool ignores1,
                     pcsm_migration_fn up2, pcsm_migration_fn down2,
                     const pcsm_lint_ignore *ignores2, size_t n_ignores2)
{
    static const char *const after_r1[] = { "r1" };
    static pcsm_revision revs[2];
    int rc;

    revs[0] = (pcsm_revision){ .id = "r1", .description = "base",
                               .create_date = "2026-01-01 00:00:00", .source_path = "r1.c",
                               .upgrade = up1, .downgrade = down1,
                               .lint_ignores = ignores1 ? base_ignores : NULL,
                               .n_lint_ignores = ignores1 };
    revs[1] = (pcsm_revision){ .id = "r2", .parents = after_r1, .n_parents = 1,
                               .description = "change", .create_date = "2026-01-02 00:00:00",
                               .source_path = "r2.c", .upgrade = up2,
                               .downgrade = down2 ? down2 : nothing, .lint_ignores = ignores2,
                               .n_lint_ignores = n_ignores2 };
    ck_assert_int_eq(pcsm_ctx_new(&ctx, revs, 2), 0);
    rc = pcsm_lint_run(ctx, NULL, &report);
    ck_assert_msg(rc == 0, "%s", pcsm_error_last(ctx)->message);
}

/* r1 (base_up) then r2 (up, down), with r2's Lint-ignore lines. */
static void lint_with(pcsm_migration_fn up, pcsm_migration_fn down,
                      const pcsm_lint_ignore *ignores, size_t n_ignores)
{
    lint_two(base_up, base_down, true, up, down, ignores, n_ignores);
}

/* r2's findings of `rule` (NULL: all but downgrade-mismatch), as "rule object;..." */
static const char *findings_of(const char *rule)
{
    static char out[2048];
    size_t i;

    out[0] = '\0';
    for (i = 0; i < pcsm_lint_count(report); i++) {
        const pcsm_lint_finding *f = pcsm_lint_at(report, i);

        if (strcmp(f->revision->id, "r2") ||
            (rule ? strcmp(f->rule->id, rule) : !strcmp(f->rule->id, "downgrade-mismatch")))
            continue;
        snprintf(out + strlen(out), sizeof(out) - strlen(out), "%s%s %s", out[0] ? ";" : "",
                 f->rule->id, f->object ? f->object : "-");
    }
    return out;
}

/* ---------------------------------------------------------- rule table */

START_TEST(test_lint_rule_table)
{
    size_t i, j, n = pcsm_lint_rule_count();

    ck_assert_uint_ge(n, 23);
    ck_assert_ptr_null(pcsm_lint_rule_at(n));
    for (i = 0; i < n; i++) {
        const pcsm_lint_rule *r = pcsm_lint_rule_at(i);

        ck_assert_ptr_nonnull(r);
        ck_assert_ptr_eq(pcsm_lint_rule_find(r->id), r);
        ck_assert_int_ge(r->severity, PCSM_LINT_INFO);
        ck_assert_int_le(r->severity, PCSM_LINT_ERROR);
        ck_assert_msg(r->summary && r->summary[0], "%s has no summary", r->id);
        for (j = 0; j < i; j++)
            ck_assert_str_ne(pcsm_lint_rule_at(j)->id, r->id);
    }
    ck_assert_int_eq(pcsm_lint_rule_find("require-concurrent-index")->severity,
                     PCSM_LINT_WARNING);
    ck_assert_int_eq(pcsm_lint_rule_find("downgrade-mismatch")->severity, PCSM_LINT_ERROR);
    ck_assert_int_eq(pcsm_lint_rule_find("prefer-text")->severity, PCSM_LINT_INFO);
    ck_assert_ptr_null(pcsm_lint_rule_find("require-concurent-index"));
    ck_assert_ptr_null(pcsm_lint_rule_find("Require-Concurrent-Index"));
    ck_assert_ptr_null(pcsm_lint_rule_find("require-concurrent-index "));
    ck_assert_ptr_null(pcsm_lint_rule_find(""));
    ck_assert_str_eq(pcsm_lint_severity_name(PCSM_LINT_INFO), "info");
    ck_assert_str_eq(pcsm_lint_severity_name(PCSM_LINT_WARNING), "warning");
    ck_assert_str_eq(pcsm_lint_severity_name(PCSM_LINT_ERROR), "error");
}
END_TEST

/* ------------------------------------------------------ column types */

#define TYPE_CASE(fn, column, type, using)                                                   \
    static void fn(pcsm_op *op)                                                               \
    {                                                                                         \
        pcsm_alter_column_type(op, "t", column, type, using);                                 \
    }

TYPE_CASE(vc_wider, "vc", PCSM_VARCHAR(20), NULL)
TYPE_CASE(vc_same, "vc", PCSM_VARCHAR(10), NULL)
TYPE_CASE(vc_narrower, "vc", PCSM_VARCHAR(5), NULL)
TYPE_CASE(vc_to_text, "vc", PCSM_TEXT, NULL)
TYPE_CASE(vc_unbounded, "vc", PCSM_VARCHAR(0), NULL)
TYPE_CASE(vc_wider_using, "vc", PCSM_VARCHAR(20), "vc::varchar(20)")
TYPE_CASE(text_to_vc, "v", PCSM_VARCHAR(10), NULL)
TYPE_CASE(num_more_precision, "n", PCSM_NUMERIC(14, 2), NULL)
TYPE_CASE(num_other_scale, "n", PCSM_NUMERIC(14, 3), NULL)
TYPE_CASE(num_less_precision, "n", PCSM_NUMERIC(8, 2), NULL)
TYPE_CASE(num_unconstrained, "n", PCSM_NUMERIC(0, 0), NULL)
TYPE_CASE(ts_to_text, "ts", PCSM_TEXT, NULL)
TYPE_CASE(id_to_integer, "id", PCSM_INTEGER, NULL)

static void ts_plain_up(pcsm_op *op)
{
    pcsm_create_table(op, "w", PCSM_COLUMNS({ .name = "at", .type = PCSM_TIMESTAMP }), NULL,
                      NULL);
}

static void ts_to_tz(pcsm_op *op)
{
    pcsm_alter_column_type(op, "w", "at", PCSM_TIMESTAMPTZ, NULL);
}

START_TEST(test_lint_column_type_rewrite)
{
    static const struct {
        pcsm_migration_fn up;
        const char *want;
    } cases[] = {
        { vc_wider, "" },
        { vc_same, "" },
        { vc_narrower, "column-type-rewrite t.vc" },
        { vc_to_text, "" },
        { vc_unbounded, "" },
        { vc_wider_using, "column-type-rewrite t.vc" },
        { text_to_vc, "column-type-rewrite t.v" },
        { num_more_precision, "" },
        { num_other_scale, "column-type-rewrite t.n" },
        { num_less_precision, "column-type-rewrite t.n" },
        { num_unconstrained, "" },
        { ts_to_text, "column-type-rewrite t.ts" },
        { id_to_integer, "column-type-rewrite t.id" },
    };
    size_t i;

    for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        lint_with(cases[i].up, NULL, NULL, 0);
        ck_assert_msg(!strcmp(findings_of("column-type-rewrite"), cases[i].want),
                      "case %zu: got \"%s\", want \"%s\"", i, findings_of("column-type-rewrite"),
                      cases[i].want);
        teardown();
    }
}
END_TEST

static void mood_up(pcsm_op *op)
{
    pcsm_create_enum(op, "mood", PCSM_LABELS("a", "b"));
    pcsm_create_table(op, "m", PCSM_COLUMNS({ .name = "x", .type = PCSM_NAMED_TYPE("mood") }),
                      NULL, NULL);
}

static void mood_down(pcsm_op *op)
{
    pcsm_drop_table(op, "m", 0);
    pcsm_drop_type(op, "mood", 0);
}

static void mood_recreated(pcsm_op *op)
{
    pcsm_recreate_enum(op, "mood", PCSM_LABELS("b", "a"),
                       PCSM_ENUM_COLUMNS({ .table = "m", .column = "x" }));
}

static void mood_recreated_down(pcsm_op *op)
{
    pcsm_recreate_enum(op, "mood", PCSM_LABELS("a", "b"),
                       PCSM_ENUM_COLUMNS({ .table = "m", .column = "x" }));
}

/* An enum made again converts its columns through text: each table is rewritten. */
START_TEST(test_lint_recreated_enum_rewrites)
{
    lint_two(mood_up, mood_down, false, mood_recreated, mood_recreated_down, NULL, 0);
    ck_assert_str_eq(findings_of("column-type-rewrite"), "column-type-rewrite m.x");
    ck_assert_str_eq(findings_of(NULL), "column-type-rewrite m.x");
}
END_TEST

/* timestamp to timestamptz, on a table of an earlier revision: loud. */
static void ts_registry(pcsm_migration_fn up3, const char **out)
{
    static const char *const after_r1[] = { "r1" }, *const after_r2[] = { "r2" };
    static pcsm_revision revs[3];

    revs[0] = (pcsm_revision){ .id = "r1", .description = "base",
                               .create_date = "2026-01-01 00:00:00", .upgrade = base_up,
                               .downgrade = base_down };
    revs[1] = (pcsm_revision){ .id = "r2", .parents = after_r1, .n_parents = 1,
                               .description = "w", .create_date = "2026-01-02 00:00:00",
                               .upgrade = ts_plain_up, .downgrade = nothing };
    revs[2] = (pcsm_revision){ .id = "r3", .parents = after_r2, .n_parents = 1,
                               .description = "tz", .create_date = "2026-01-03 00:00:00",
                               .upgrade = up3, .downgrade = nothing };
    ck_assert_int_eq(pcsm_ctx_new(&ctx, revs, 3), 0);
    ck_assert_int_eq(pcsm_lint_run(ctx, NULL, &report), 0);
    *out = NULL;
    for (size_t i = 0; i < pcsm_lint_count(report); i++) {
        const pcsm_lint_finding *f = pcsm_lint_at(report, i);

        if (!strcmp(f->revision->id, "r3") && !strcmp(f->rule->id, "column-type-rewrite"))
            *out = f->message;
    }
}

START_TEST(test_lint_timestamp_to_timestamptz)
{
    const char *msg;

    ts_registry(ts_to_tz, &msg);
    ck_assert_ptr_nonnull(msg);
    ck_assert_ptr_nonnull(strstr(msg, "timestamp to timestamptz"));
    ck_assert_ptr_nonnull(strstr(msg, "TimeZone"));
}
END_TEST

/* A column made in the same revision and retyped there: nobody uses it yet. */
static void made_and_retyped(pcsm_op *op)
{
    pcsm_create_table(op, "fresh", PCSM_COLUMNS({ .name = "x", .type = PCSM_INTEGER }), NULL,
                      NULL);
    pcsm_alter_column_type(op, "fresh", "x", PCSM_BIGINT, NULL);
}

START_TEST(test_lint_type_change_of_a_new_table_is_quiet)
{
    lint_with(made_and_retyped, NULL, NULL, 0);
    ck_assert_str_eq(findings_of("column-type-rewrite"), "");
}
END_TEST

/* ------------------------------------------------------- SET NOT NULL */

static void v_not_null(pcsm_op *op)
{
    pcsm_set_not_null(op, "t", "v");
}

static void vc_not_null(pcsm_op *op)
{
    pcsm_set_not_null(op, "t", "vc");
}

/* A check of this revision does not count: it is validated under the same lock. */
static void check_then_not_null(pcsm_op *op)
{
    pcsm_add_constraint(op, "t", &(pcsm_constraint){ .kind = PCSM_CHECK, .name = "t_vc_set",
                                                     .check = "vc IS NOT NULL" });
    pcsm_set_not_null(op, "t", "vc");
}

START_TEST(test_lint_set_not_null)
{
    lint_with(v_not_null, NULL, NULL, 0);
    ck_assert_str_eq(findings_of(NULL), "");
    teardown();
    lint_with(vc_not_null, NULL, NULL, 0);
    ck_assert_str_eq(findings_of(NULL), "set-not-null-check t.vc");
    teardown();
    lint_with(check_then_not_null, NULL, NULL, 0);
    ck_assert_str_eq(findings_of("set-not-null-check"), "set-not-null-check t.vc");
}
END_TEST

/* --------------------------------------------------- volatile defaults */

#define DEFAULT_CASE(fn, expr)                                                                  \
    static void fn(pcsm_op *op)                                                               \
    {                                                                                         \
        pcsm_add_column(op, "t", &(pcsm_column){ .name = "d", .type = PCSM_TEXT,              \
                                                 .default_value = PCSM_EXPR(expr) });         \
    }

DEFAULT_CASE(d_random, "random()")
DEFAULT_CASE(d_random_spaced, "RANDOM ()")
DEFAULT_CASE(d_random_qualified, "pg_catalog.random()")
DEFAULT_CASE(d_nextval, "nextval('s')")
DEFAULT_CASE(d_clock, "clock_timestamp()")
DEFAULT_CASE(d_uuid, "gen_random_uuid()")
DEFAULT_CASE(d_in_expression, "1 + floor(random() * 10)")
DEFAULT_CASE(d_f_vol, "f_vol()")
DEFAULT_CASE(d_f_default, "f_default()")
DEFAULT_CASE(d_f_stable, "f_stable()")
DEFAULT_CASE(d_now, "now()")
DEFAULT_CASE(d_constant, "42")
DEFAULT_CASE(d_quoted, "'random()'")
DEFAULT_CASE(d_quoted_doubled, "'it''s random()' || 'x'")
DEFAULT_CASE(d_quoted_then_call, "'a''' || random()")
DEFAULT_CASE(d_name_not_call, "random_value")
DEFAULT_CASE(d_unknown_function, "lower('X')")

START_TEST(test_lint_volatile_default)
{
    static const struct {
        pcsm_migration_fn up;
        bool loud;
        const char *what;
    } cases[] = {
        { d_random, true, "random()" },
        { d_random_spaced, true, "RANDOM ()" },
        { d_random_qualified, true, "pg_catalog.random()" },
        { d_nextval, true, "nextval('s')" },
        { d_clock, true, "clock_timestamp()" },
        { d_uuid, true, "gen_random_uuid()" },
        { d_in_expression, true, "1 + floor(random() * 10)" },
        { d_f_vol, true, "a model function declared VOLATILE" },
        { d_f_default, true, "a model function of default volatility" },
        { d_f_stable, false, "a model function declared STABLE" },
        { d_now, false, "now()" },
        { d_constant, false, "42" },
        { d_quoted, false, "'random()'" },
        { d_quoted_doubled, false, "'it''s random()' || 'x'" },
        { d_quoted_then_call, true, "'a''' || random()" },
        { d_name_not_call, false, "random_value, no call" },
        { d_unknown_function, false, "lower('X')" },
    };
    size_t i;

    for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        lint_with(cases[i].up, NULL, NULL, 0);
        ck_assert_msg(!strcmp(findings_of("volatile-default"),
                              cases[i].loud ? "volatile-default t.d" : ""),
                      "%s: got \"%s\"", cases[i].what, findings_of("volatile-default"));
        /* Nothing else: a nullable column with a default locks no more than that. */
        ck_assert_msg(!strcmp(findings_of(NULL), cases[i].loud ? "volatile-default t.d" : ""),
                      "%s: got \"%s\"", cases[i].what, findings_of(NULL));
        teardown();
    }
}
END_TEST

/* ------------------------------------------- ignores, baseline, active */

/* Two warnings (an index, a narrowing) and an info (a timestamp column). */
static void three_findings(pcsm_op *op)
{
    pcsm_create_index(op, &(pcsm_index){ .name = "ix_t_v", .table = "t",
                                         .columns = PCSM_NAMES("v") });
    pcsm_alter_column_type(op, "t", "n", PCSM_NUMERIC(10, 3), NULL);
    pcsm_add_column(op, "t", &(pcsm_column){ .name = "at", .type = PCSM_TIMESTAMP });
}

static void three_findings_down(pcsm_op *op)
{
    pcsm_drop_column(op, "t", "at", 0);
    pcsm_alter_column_type(op, "t", "n", PCSM_NUMERIC(10, 2), NULL);
    pcsm_drop_index(op, "ix_t_v", 0);
}

START_TEST(test_lint_three_findings_restored)
{
    lint_with(three_findings, three_findings_down, NULL, 0);
    /* The downgrade gives the model back: no downgrade-mismatch. */
    ck_assert_str_eq(findings_of("downgrade-mismatch"), "");
    ck_assert_str_eq(findings_of(NULL), "require-concurrent-index ix_t_v;"
                     "column-type-rewrite t.n;prefer-timestamptz t.at");
    ck_assert_uint_eq(pcsm_lint_active(report, PCSM_LINT_INFO), 3);
    ck_assert_uint_eq(pcsm_lint_active(report, PCSM_LINT_WARNING), 2);
    ck_assert_uint_eq(pcsm_lint_active(report, PCSM_LINT_ERROR), 0);
    ck_assert_uint_eq(pcsm_lint_active(report, PCSM_LINT_ERROR + 1), 0);
}
END_TEST

START_TEST(test_lint_active_counts_neither_ignored_nor_baselined)
{
    static const pcsm_lint_ignore ignores[] = {
        { "require-concurrent-index", "t is empty", 9 },
    };
    const pcsm_lint_finding *f;

    lint_with(three_findings, three_findings_down, ignores, 1);
    ck_assert_uint_eq(pcsm_lint_count(report), 4);     /* r1's, ignored, and r2's */
    f = r2_at(0);
    ck_assert_str_eq(f->rule->id, "require-concurrent-index");
    ck_assert_str_eq(f->ignored_because, "t is empty");
    ck_assert(!f->baselined);
    ck_assert_ptr_null(r2_at(1)->ignored_because);
    ck_assert_uint_eq(pcsm_lint_active(report, PCSM_LINT_INFO), 2);
    ck_assert_uint_eq(pcsm_lint_active(report, PCSM_LINT_WARNING), 1);

    ck_assert_int_eq(pcsm_lint_baseline(report, "r2 column-type-rewrite t.n\n", &why), 0);
    ck_assert(r2_at(1)->baselined);
    ck_assert(!r2_at(2)->baselined);
    ck_assert_uint_eq(pcsm_lint_active(report, PCSM_LINT_INFO), 1);
    ck_assert_uint_eq(pcsm_lint_active(report, PCSM_LINT_WARNING), 0);

    ck_assert_int_eq(pcsm_lint_baseline(report, "r2 prefer-timestamptz t.at", &why), 0);
    ck_assert_uint_eq(pcsm_lint_active(report, PCSM_LINT_INFO), 0);
}
END_TEST

START_TEST(test_lint_baseline_write_reads_back)
{
    pcsm_buf text = PCSM_BUF_INIT;
    size_t i;

    lint_with(three_findings, three_findings_down, NULL, 0);
    pcsm_lint_baseline_write(report, &text);
    ck_assert_str_eq(text.ptr, "# pcs-migrate lint baseline: <revision> <rule> <object>\n"
                     "r2 require-concurrent-index ix_t_v\n"
                     "r2 column-type-rewrite t.n\n"
                     "r2 prefer-timestamptz t.at\n");
    ck_assert_int_eq(pcsm_lint_baseline(report, text.ptr, &why), 0);
    for (i = 0; i < 3; i++)
        ck_assert(r2_at(i)->baselined);
    ck_assert(!pcsm_lint_at(report, 0)->baselined);     /* r1's, ignored: not written */
    ck_assert_uint_eq(pcsm_lint_active(report, PCSM_LINT_INFO), 0);
    pcsm_buf_dispose(&text);
}
END_TEST

START_TEST(test_lint_baseline_lines)
{
    static const struct {
        const char *text;
        int rc;
        const char *why;        /* the start of *why */
        unsigned baselined;     /* of the three findings, a bit each */
    } cases[] = {
        { "", 0, "", 0 },
        { "\n\n   \n# r2 column-type-rewrite t.n\n", 0, "", 0 },
        { "  r2 column-type-rewrite t.n  \r\n", 0, "", 2 },
        { "r2 column-type-rewrite t.n", 0, "", 2 },        /* no final newline */
        { "r1 column-type-rewrite t.n\nr2 nosuch-rule x\n", 0, "", 0 },  /* names nothing */
        { "r2 require-concurrent-index ix_t_v\nr2 prefer-timestamptz t.at\n", 0, "", 5 },
        { "r2 column-type-rewrite\n", -1, "line 1: expected \"<revision> <rule> <object>\", "
          "found 2 word(s)", 0 },
        { "# c\n\nr2 require-concurrent-index ix_t_v\nr2\n", -1, "line 4: ", 0 },
        { "   x   \n", -1, "line 1: expected \"<revision> <rule> <object>\", found 1 word(s)",
          0 },
    };
    size_t i, k;

    for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        unsigned got = 0;

        lint_with(three_findings, three_findings_down, NULL, 0);
        ck_assert_int_eq(pcsm_lint_baseline(report, cases[i].text, &why), cases[i].rc);
        ck_assert_msg(!strncmp(why.len ? why.ptr : "", cases[i].why, strlen(cases[i].why)),
                      "case %zu: \"%s\"", i, why.len ? why.ptr : "");
        if (cases[i].rc == 0) {
            ck_assert_uint_eq(why.len, 0);
            for (k = 0; k < 3; k++)
                got |= r2_at(k)->baselined ? 1u << k : 0;
            ck_assert_msg(got == cases[i].baselined, "case %zu: baselined %u, want %u", i, got,
                          cases[i].baselined);
        }
        teardown();
    }
}
END_TEST

START_TEST(test_lint_unknown_and_unused_ignores)
{
    static const pcsm_lint_ignore ignores[] = {
        { "require-concurrent-index", "t is empty", 9 },
        { "no-such-rule", "why not", 10 },
        { "drop-table", "stale", 11 },
    };
    const pcsm_lint_finding *f;

    lint_with(three_findings, three_findings_down, ignores, 3);
    ck_assert_str_eq(findings_of(NULL), "require-concurrent-index ix_t_v;"
                     "column-type-rewrite t.n;prefer-timestamptz t.at;"
                     "unknown-lint-ignore no-such-rule;unused-lint-ignore drop-table");
    f = r2_at(3);
    ck_assert_uint_eq(f->line, 10);
    ck_assert_ptr_null(f->operation);
    ck_assert_ptr_null(f->ignored_because);
    ck_assert_int_eq(f->rule->severity, PCSM_LINT_ERROR);
    f = r2_at(4);
    ck_assert_uint_eq(f->line, 11);
    ck_assert_int_eq(f->rule->severity, PCSM_LINT_INFO);
    /* The two ignore findings count: an error and an info. */
    ck_assert_uint_eq(pcsm_lint_active(report, PCSM_LINT_ERROR), 1);
    ck_assert_uint_eq(pcsm_lint_active(report, PCSM_LINT_WARNING), 2);
    ck_assert_uint_eq(pcsm_lint_active(report, PCSM_LINT_INFO), 4);
}
END_TEST

START_TEST(test_lint_ignore_silences_downgrade_mismatch)
{
    static const pcsm_lint_ignore ignores[] = {
        { "downgrade-mismatch", "the index stays on purpose", 7 },
    };
    const pcsm_lint_finding *f;

    lint_with(three_findings, nothing, ignores, 1);
    f = pcsm_lint_at(report, pcsm_lint_count(report) - 1);
    ck_assert_str_eq(f->rule->id, "downgrade-mismatch");
    ck_assert_str_eq(f->ignored_because, "the index stays on purpose");
    ck_assert_uint_eq(pcsm_lint_active(report, PCSM_LINT_ERROR), 0);
}
END_TEST

/* r1 alone: its own finding; r2 alone: r2's, against r1's model. */
START_TEST(test_lint_only)
{
    pcsm_revset only = PCSM_REVSET_INIT;
    size_t i;

    lint_with(three_findings, three_findings_down, NULL, 0);
    pcsm_lint_free(report);
    report = NULL;
    ck_assert_int_eq(pcsm_graph_resolve(ctx, "r1", NULL, &only), 0);
    ck_assert_int_eq(pcsm_lint_run(ctx, &only, &report), 0);
    ck_assert_uint_eq(pcsm_lint_count(report), 1);
    ck_assert_str_eq(pcsm_lint_at(report, 0)->rule->id, "prefer-text");
    ck_assert_str_eq(pcsm_lint_at(report, 0)->ignored_because, "for the tests");
    pcsm_lint_free(report);
    report = NULL;
    pcsm_revset_dispose(&only);
    ck_assert_int_eq(pcsm_graph_resolve(ctx, "r2", NULL, &only), 0);
    ck_assert_int_eq(pcsm_lint_run(ctx, &only, &report), 0);
    ck_assert_uint_eq(pcsm_lint_count(report), 3);
    for (i = 0; i < 3; i++)
        ck_assert_str_eq(pcsm_lint_at(report, i)->revision->id, "r2");
    ck_assert_str_eq(pcsm_lint_at(report, 0)->rule->id, "require-concurrent-index");
    pcsm_revset_dispose(&only);
}
END_TEST

/* -------------------------------------------------------- known issues */

/* SET lock_timeout before a batched update: no schema change, only data. */
static void set_then_batch(pcsm_op *op)
{
    pcsm_execute(op, "SET lock_timeout = '5s'");
    pcsm_batch_update(op, "t", "id", "v = lower(v)", "v <> lower(v)", 1000);
}

START_TEST(test_lint_set_is_no_schema_change)
{
    lint_with(set_then_batch, NULL, NULL, 0);
    ck_assert_str_eq(findings_of("mixed-schema-data"), "");
}
END_TEST

/* ---- found by review: r1 (up1) then r2 (up2), both downgrades doing nothing */

static void lint_pair(pcsm_migration_fn up1, pcsm_migration_fn up2)
{
    lint_two(up1, nothing, false, up2, NULL, NULL, 0);
}

static void base_t(pcsm_op *op)
{
    pcsm_create_table(op, "t", PCSM_COLUMNS({ .name = "id", .type = PCSM_BIGINT,
                                              .primary_key = true },
                                            { .name = "v", .type = PCSM_TEXT }),
                      NULL, NULL);
}

/* bigserial: a nextval() default, so a rewrite, and NOT NULL needs no default of its own. */
static void add_bigserial(pcsm_op *op)
{
    pcsm_add_column(op, "t", &(pcsm_column){ .name = "seq",
                                             .type = PCSM_NAMED_TYPE("bigserial"),
                                             .not_null = true });
}

START_TEST(test_lint_serial_column_is_a_volatile_default)
{
    lint_pair(base_t, add_bigserial);
    ck_assert_str_eq(findings_of(NULL), "volatile-default t.seq");
}
END_TEST

/* The serial kinds of the API, as the named type: a rewrite, and no NOT NULL failure. */
static void add_serial_kind(pcsm_op *op)
{
    pcsm_add_column(op, "t", &(pcsm_column){ .name = "seq", .type = PCSM_BIGSERIAL,
                                             .not_null = true });
}

START_TEST(test_lint_serial_kind_is_a_volatile_default)
{
    lint_pair(base_t, add_serial_kind);
    ck_assert_str_eq(findings_of(NULL), "volatile-default t.seq");
}
END_TEST

/* An exclusion constraint on an existing table: its index under the lock, no way around. */
static void exclude_on_t(pcsm_op *op)
{
    pcsm_add_constraint(op, "t", &(pcsm_constraint){ .kind = PCSM_EXCLUDE, .name = "t_v_excl",
        .elements = PCSM_ELEMENTS({ .column = "v", .with = "=" }) });
}

/* The same on a table of this revision: nobody waits for it. */
static void new_table_with_exclude(pcsm_op *op)
{
    pcsm_create_table(op, "u", PCSM_COLUMNS({ .name = "v", .type = PCSM_TEXT }),
                      NULL, NULL);
    exclude_on_t(op);
    pcsm_add_constraint(op, "u", &(pcsm_constraint){ .kind = PCSM_EXCLUDE,
        .elements = PCSM_ELEMENTS({ .column = "v", .with = "=" }) });
}

START_TEST(test_lint_exclusion_constraint_on_an_existing_table)
{
    const pcsm_lint_finding *f;

    lint_pair(base_t, exclude_on_t);
    ck_assert_str_eq(findings_of(NULL), "unique-constraint-index t_v_excl");
    f = r2_at(0);
    ck_assert_ptr_nonnull(strstr(f->message, "PostgreSQL has no concurrent way to build one"));
    teardown();
    lint_pair(base_t, new_table_with_exclude);
    ck_assert_str_eq(findings_of(NULL), "unique-constraint-index t_v_excl");
}
END_TEST

/* What a guard may run is linted: the condition is unknown before the run. */
static void guarded_drop(pcsm_op *op)
{
    pcsm_if(op, "EXISTS (SELECT 1 FROM pg_class WHERE relname = 't')");
    pcsm_drop_column(op, "t", "v", 0);
    pcsm_end_if(op);
}

START_TEST(test_lint_looks_inside_a_guard)
{
    lint_pair(base_t, guarded_drop);
    ck_assert_str_eq(findings_of(NULL), "drop-column t.v");
}
END_TEST

static void base_orders(pcsm_op *op)
{
    pcsm_create_table(op, "Orders", PCSM_COLUMNS({ .name = "id", .type = PCSM_BIGINT,
                                                   .primary_key = true },
                                                 { .name = "v", .type = PCSM_TEXT }),
                      NULL, NULL);
}

static void update_orders(pcsm_op *op)
{
    pcsm_execute(op, "UPDATE \"Orders\" SET v = lower(v)");
}

START_TEST(test_lint_unbatched_update_of_a_quoted_name)
{
    lint_pair(base_orders, update_orders);
    ck_assert_str_eq(findings_of(NULL), "unbatched-update Orders");
}
END_TEST

static void add_email(pcsm_op *op)
{
    pcsm_add_column(op, "t", &(pcsm_column){ .name = "email", .type = PCSM_TEXT });
}

static void drop_email(pcsm_op *op)
{
    pcsm_drop_column(op, "t", "email", 0);
}

static void add_note(pcsm_op *op)
{
    pcsm_create_index(op, &(pcsm_index){ .name = "t_v", .table = "t",
                                         .columns = PCSM_NAMES("v") });
}

static void drop_note(pcsm_op *op)
{
    pcsm_drop_index(op, "t_v", 0);
}

/*
 * Two heads not merged yet that both add t.email: each replays on its own
 * parents, and so is linted; they need not replay one after the other.
 * A revision after r2 alone is linted against r2's model again.
 */
START_TEST(test_lint_two_branches_adding_the_same_column)
{
    static const char *const after_r1[] = { "r1" }, *const after_r2[] = { "r2" };
    static pcsm_revision revs[4];
    size_t i, r3 = 0, r4 = 0;

    revs[0] = (pcsm_revision){ .id = "r1", .description = "base",
                               .create_date = "2026-01-01 00:00:00", .upgrade = base_t,
                               .downgrade = nothing };
    revs[1] = (pcsm_revision){ .id = "r2", .parents = after_r1, .n_parents = 1,
                               .description = "email", .create_date = "2026-01-02 00:00:00",
                               .upgrade = add_email, .downgrade = drop_email };
    revs[2] = (pcsm_revision){ .id = "r3", .parents = after_r1, .n_parents = 1,
                               .description = "email too",
                               .create_date = "2026-01-03 00:00:00",
                               .upgrade = add_email, .downgrade = drop_email };
    revs[3] = (pcsm_revision){ .id = "r4", .parents = after_r2, .n_parents = 1,
                               .description = "index", .create_date = "2026-01-04 00:00:00",
                               .upgrade = add_note, .downgrade = drop_note };
    ck_assert_int_eq(pcsm_ctx_new(&ctx, revs, 4), 0);
    ck_assert_msg(pcsm_lint_run(ctx, NULL, &report) == 0, "%s",
                  pcsm_error_last(ctx)->message);
    for (i = 0; i < pcsm_lint_count(report); i++) {
        const pcsm_lint_finding *f = pcsm_lint_at(report, i);

        r3 += !strcmp(f->revision->id, "r3");
        r4 += !strcmp(f->revision->id, "r4") && !strcmp(f->rule->id, "require-concurrent-index");
    }
    ck_assert_uint_eq(r3, 0);
    ck_assert_uint_eq(r4, 1);
}
END_TEST

static void base_view(pcsm_op *op)
{
    base_t(op);
    pcsm_create_view(op, &(pcsm_view){ .name = "tv", .query = "SELECT id FROM t",
                                       .reads = PCSM_NAMES("t") });
}

static void replace_then_rename_view(pcsm_op *op)
{
    pcsm_create_view(op, &(pcsm_view){ .name = "tv", .query = "SELECT id, v FROM t",
                                       .reads = PCSM_NAMES("t"), .or_replace = true });
    pcsm_rename_view(op, "tv", "tv2");
}

/* CREATE OR REPLACE of a view in use: still in use, so its rename is said. */
/* ------------------------------------------------------------ schemas */

/* billing's own "t", made in r2: nobody uses it yet, whatever the target's "t" holds. */
static void billing_t_indexed(pcsm_op *op)
{
    pcsm_create_schema(op, "billing", 0);
    pcsm_set_schema(op, "billing");
    pcsm_create_table(op, "t", PCSM_COLUMNS({ .name = "v", .type = PCSM_TEXT }), NULL, NULL);
    pcsm_create_index(op, &(pcsm_index){ .name = "ix_billing_t_v", .table = "t",
                                         .columns = PCSM_NAMES("v") });
    pcsm_set_schema(op, NULL);
    pcsm_create_index(op, &(pcsm_index){ .name = "ix_t_v", .table = "t",
                                         .columns = PCSM_NAMES("v") });
}

static void billing_base(pcsm_op *op)
{
    pcsm_create_schema(op, "billing", 0);
    pcsm_set_schema(op, "billing");
    pcsm_create_table(op, "t", PCSM_COLUMNS({ .name = "v", .type = PCSM_TEXT }), NULL, NULL);
}

static void billing_drop(pcsm_op *op)
{
    pcsm_drop_schema(op, "billing", PCSM_DROP_CASCADE);
}

/* billing.t, there since r1: indexed without CONCURRENTLY, its writes wait. */
static void billing_index(pcsm_op *op)
{
    pcsm_set_schema(op, "billing");
    pcsm_create_index(op, &(pcsm_index){ .name = "ix_billing_t_v", .table = "t",
                                         .columns = PCSM_NAMES("v") });
}

START_TEST(test_lint_tells_schemas_apart)
{
    /* The target's "t" is in use; billing's, made in the same revision, is not. */
    lint_with(billing_t_indexed, NULL, NULL, 0);
    ck_assert_str_eq(findings_of("require-concurrent-index"), "require-concurrent-index ix_t_v");
    pcsm_lint_free(report);
    report = NULL;
    pcsm_ctx_free(ctx);
    ctx = NULL;
    lint_two(billing_base, billing_drop, false, billing_index, NULL, NULL, 0);
    ck_assert_str_eq(findings_of("require-concurrent-index"), "require-concurrent-index ix_billing_t_v");
}
END_TEST

START_TEST(test_lint_replaced_view_is_still_in_use)
{
    lint_pair(base_view, replace_then_rename_view);
    ck_assert_str_eq(findings_of(NULL), "rename-table tv");
}
END_TEST

static Suite *lint_suite(void)
{
    Suite *s = suite_create("lint");
    TCase *tc = tcase_create("lint");

    tcase_add_checked_fixture(tc, NULL, teardown);
    tcase_add_test(tc, test_lint_rule_table);
    tcase_add_test(tc, test_lint_column_type_rewrite);
    tcase_add_test(tc, test_lint_recreated_enum_rewrites);
    tcase_add_test(tc, test_lint_timestamp_to_timestamptz);
    tcase_add_test(tc, test_lint_type_change_of_a_new_table_is_quiet);
    tcase_add_test(tc, test_lint_volatile_default);
    tcase_add_test(tc, test_lint_set_not_null);
    tcase_add_test(tc, test_lint_three_findings_restored);
    tcase_add_test(tc, test_lint_active_counts_neither_ignored_nor_baselined);
    tcase_add_test(tc, test_lint_baseline_write_reads_back);
    tcase_add_test(tc, test_lint_baseline_lines);
    tcase_add_test(tc, test_lint_unknown_and_unused_ignores);
    tcase_add_test(tc, test_lint_ignore_silences_downgrade_mismatch);
    tcase_add_test(tc, test_lint_only);
    tcase_add_test(tc, test_lint_set_is_no_schema_change);
    tcase_add_test(tc, test_lint_serial_column_is_a_volatile_default);
    tcase_add_test(tc, test_lint_serial_kind_is_a_volatile_default);
    tcase_add_test(tc, test_lint_exclusion_constraint_on_an_existing_table);
    tcase_add_test(tc, test_lint_looks_inside_a_guard);
    tcase_add_test(tc, test_lint_unbatched_update_of_a_quoted_name);
    tcase_add_test(tc, test_lint_two_branches_adding_the_same_column);
    tcase_add_test(tc, test_lint_tells_schemas_apart);
    tcase_add_test(tc, test_lint_replaced_view_is_still_in_use);
    suite_add_tcase(s, tc);
    return s;
}

int main(void)
{
    return test_run_suite(lint_suite());
}
