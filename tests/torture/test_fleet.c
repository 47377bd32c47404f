/*
 * Torture: one pcs-migrate run against a fleet of databases (issue 14).  203 targets on two
 * servers reach head while the broken ones are reported and left as they were, and a rerun
 * applies nothing; a failure, a failed canary, a shard, a schema per tenant, a SIGTERM in
 * the middle and every usage error leave each database either untouched or at head.
 */
#define _GNU_SOURCE /* asprintf */
#include <ctype.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "torture.h"

#define HEAD "a10000000005"
#define EARLY "a10000000002"
#define UNKNOWN_REV "ffffffffffff"
#define LINEAR_TABLES "'accounts', 'projects', 'tags', 'project_tags', 'audit_log'"
#define MAX_TARGETS 256

/* PCSM_TEST_DSN before cluster_start() took it over: most databases live there. */
static char *orig_dsn;
/* The parent's pid: every database of this run is named pcsm_fl_<run_id>_..., for cleanup. */
static long run_id;

/* Whatever the environment says, each run names its targets and its format itself. */
static const char *const run_env[] = {
    "DATABASE_URL", "PCS_MIGRATE_DATABASE_URL", "PCS_MIGRATE_FORMAT", "PCS_MIGRATE_SCHEMA",
    "PCS_MIGRATE_JOBS", "PCS_MIGRATE_KEEP_GOING", "PCS_MIGRATE_CANARY", "PCS_MIGRATE_SHARD",
    "PCS_MIGRATE_TARGETS", "PCS_MIGRATE_TARGETS_QUERY", "PCS_MIGRATE_SCHEMAS_LIKE",
    "PGSERVICE", "NO_COLOR=1", NULL,
};

enum kind {
    EMPTY,          /* never migrated */
    BEHIND,         /* at EARLY, by a single run */
    AT_HEAD,        /* migrated by a single run */
    UNKNOWN,        /* alembic_version names a revision this binary does not know: exit 5 */
    CONFLICT,       /* a table "accounts" of its own: the first revision fails, exit 1 */
};

struct target {
    char db[64];
    const char *dsn;            /* the server's conninfo, without dbname */
    enum kind kind;
    const char *schema;         /* the line's --schema, or NULL (public) */
    char *line;                 /* its line in the targets file (malloc'd) */
    char *before;               /* state_of() before the fleet, for the broken ones */
    char *history;              /* state_of() after the first fleet, for the healthy ones */
};

/* Frees what a target's fields hold (the array is the caller's). */
static void targets_free(struct target *t, int n)
{
    int i;

    for (i = 0; i < n; i++) {
        free(t[i].line);
        free(t[i].before);
        free(t[i].history);
    }
}

static bool healthy(const struct target *t)
{
    return t->kind != UNKNOWN && t->kind != CONFLICT;
}

/* ----------------------------------------------------------- databases */

static char *conninfo_on(const char *dsn, const char *db)
{
    char *s;

    /* A later keyword overrides an earlier one in a conninfo string. */
    if (asprintf(&s, "%s dbname=%s", dsn, db) < 0)
        test_die("out of memory");
    return s;
}

static PGconn *connect_on(const char *dsn, const char *db)
{
    char *ci = conninfo_on(dsn, db);
    PGconn *c = PQconnectdb(ci);

    if (PQstatus(c) != CONNECTION_OK)
        test_die("connecting to %s: %s", db, PQerrorMessage(c));
    free(ci);
    PQsetNoticeProcessor(c, NULL, NULL);
    return c;
}

static void db_name(char *db, size_t size, char tag, int i)
{
    snprintf(db, size, "pcsm_fl_%ld_%c%03d", run_id, tag, i);
}

static void create_db(PGconn *admin, const char *db, const char *template)
{
    char sql[1024];

    /*
     * A file copy of a small template is cheaper than the WAL-logged copy of PostgreSQL 15's
     * default (fsync is off on a test server): it matters two hundred times over.
     */
    snprintf(sql, sizeof(sql), "CREATE DATABASE \"%s\" TEMPLATE \"%s\"%s", db,
             template ? template : "template1",
             PQserverVersion(admin) >= 150000 ? " STRATEGY file_copy" : "");
    test_exec(admin, sql);
}

/* One single (non-fleet) run of bin against ci (arg and schema may be NULL): must exit 0. */
static void single_run(const char *bin, const char *ci, const char *schema, const char *cmd,
                       const char *arg)
{
    const char *argv[10] = { test_bin(bin), "--database-url", ci, cmd };
    struct proc_result r;
    size_t n = 4;

    if (arg)
        argv[n++] = arg;
    if (schema) {
        argv[n++] = "--schema";
        argv[n++] = schema;
    }
    argv[n] = NULL;
    proc_run(argv, NULL, run_env, &r);
    ck_assert_msg(r.status == 0, "%s %s %s: exit %d | %s", bin, cmd, arg ? arg : "", r.status,
                  test_flat(test_tail(r.err, 1200)));
    proc_result_free(&r);
}

/*
 * What a run could change in a database, read in two round trips (two hundred databases
 * are read twice over): every relation outside the system schemas, and the version and
 * history rows of schema.
 */
struct dbstate {
    char *all;                  /* "relations: ...; version: ...; history: ..." */
    char *version;              /* alembic_version's rows, "none" without the table */
    int tables;                 /* the linear chain's tables in schema */
    char *upgrades;             /* the history's upgrade rows, "all/distinct revisions" */
};

/* The next '|'-separated column of a test_query() row, moved past (malloc'd). */
static char *column(char **p)
{
    size_t n = strcspn(*p, "|");
    char *v = strndup(*p, n);

    *p += n + ((*p)[n] == '|');
    return v;
}

static void read_state(PGconn *c, const char *schema, struct dbstate *st)
{
    char sql[1500], *row, *p, *has_v, *has_h, *tables, *rels, *v, *h;

    snprintf(sql, sizeof(sql),
             "SELECT to_regclass('\"%1$s\".alembic_version') IS NOT NULL, "
             "to_regclass('\"%1$s\".pcs_migrate_history') IS NOT NULL, "
             "(SELECT count(*) FROM pg_tables WHERE schemaname = '%1$s' "
             " AND tablename IN (" LINEAR_TABLES ")), "
             "(SELECT coalesce(string_agg(n.nspname || '.' || c.relname, ',' "
             " ORDER BY n.nspname, c.relname), '') FROM pg_class c "
             " JOIN pg_namespace n ON n.oid = c.relnamespace "
             " WHERE n.nspname NOT IN ('pg_catalog', 'information_schema') "
             " AND n.nspname NOT LIKE 'pg\\_toast%%')", schema);
    p = row = test_query(c, sql);
    has_v = column(&p);
    has_h = column(&p);
    tables = column(&p);
    rels = column(&p);
    st->tables = atoi(tables);
    snprintf(sql, sizeof(sql), "SELECT %s, %s, %s",
             strcmp(has_v, "t") ? "'none'" : "(SELECT coalesce(string_agg(version_num, ',' "
                                             "ORDER BY 1), '') FROM \"%1$s\".alembic_version)",
             strcmp(has_h, "t") ? "'none'" : "(SELECT coalesce(string_agg(id || ':' || "
                                             "revision || ':' || event, ',' ORDER BY id), '') "
                                             "FROM \"%1$s\".pcs_migrate_history)",
             strcmp(has_h, "t") ? "'none'" : "(SELECT count(*) || '/' || count(DISTINCT "
                                             "revision) FROM \"%1$s\".pcs_migrate_history "
                                             "WHERE event = 'upgrade')");
    {
        /* The schema into the subqueries chosen above. */
        char *q;

        if (asprintf(&q, sql, schema) < 0)
            test_die("out of memory");
        free(row);
        p = row = test_query(c, q);
        free(q);
    }
    st->version = column(&p);
    h = column(&p);
    st->upgrades = column(&p);
    v = st->version;
    if (asprintf(&st->all, "relations: %s; version: %s; history: %s", rels, v, h) < 0)
        test_die("out of memory");
    free(row);
    free(has_v);
    free(has_h);
    free(tables);
    free(rels);
    free(h);
}

/* read_state()'s summary alone (malloc'd). */
static char *state_of(PGconn *c, const char *schema)
{
    struct dbstate st;

    read_state(c, schema, &st);
    free(st.version);
    free(st.upgrades);
    return st.all;
}

/* The version of schema: its alembic_version rows, "none" without the table (malloc'd). */
static char *version_of(PGconn *c, const char *schema)
{
    struct dbstate st;

    read_state(c, schema, &st);
    free(st.all);
    free(st.upgrades);
    return st.version;
}

static char *state_of_db(const char *dsn, const char *db, const char *schema)
{
    PGconn *c = connect_on(dsn, db);
    char *s = state_of(c, schema);

    PQfinish(c);
    return s;
}

/* What an untouched database created empty looks like. */
#define UNTOUCHED "relations: ; version: none; history: none"

/*
 * schema of c holds exactly the linear chain at head: the version table at HEAD, its five
 * tables, and one upgrade row per revision (none applied twice).  Returns read_state()'s
 * summary (malloc'd).
 */
static char *assert_at_head(PGconn *c, const char *schema, const char *what)
{
    struct dbstate st;

    read_state(c, schema, &st);
    ck_assert_msg(!strcmp(st.version, HEAD) && st.tables == 5 && !strcmp(st.upgrades, "5/5"),
                  "%s: not at head: alembic_version '%s' (want " HEAD "), %d of the 5 tables "
                  "in schema %s, upgrade rows (all/distinct) %s (want 5/5)", what, st.version,
                  st.tables, schema, st.upgrades);
    free(st.version);
    free(st.upgrades);
    return st.all;
}

/* ------------------------------------------------------------ the runs */

static void write_file(const char *path, const char *text)
{
    FILE *f = fopen(path, "w");

    ck_assert_msg(f != NULL, "cannot write %s", path);
    fputs(text, f);
    ck_assert_int_eq(fclose(f), 0);
}

/* A targets file holding text; its path in path. */
static void targets_file(char *path, size_t size, const char *text)
{
    close(test_temp_file("pcsm-fleet", path, size));
    write_file(path, text);
}

/* The targets' lines, in order, as a file (malloc'd). */
static char *targets_text(const struct target *t, int n, const char *header)
{
    size_t len = strlen(header) + 1, off;
    char *s;
    int i;

    for (i = 0; i < n; i++)
        len += strlen(t[i].line) + 1;
    s = malloc(len);
    ck_assert_ptr_nonnull(s);
    off = (size_t)sprintf(s, "%s", header);
    for (i = 0; i < n; i++)
        off += (size_t)sprintf(s + off, "%s\n", t[i].line);
    return s;
}

/* Runs bin with args (NULL-terminated), input on stdin (may be NULL). */
static void fleet_run(const char *bin, const char *const args[], const char *input,
                      struct proc_result *r)
{
    const char *argv[32];
    size_t n = 0, i;

    argv[n++] = test_bin(bin);
    for (i = 0; args[i]; i++)
        argv[n++] = args[i];
    argv[n] = NULL;
    proc_run(argv, input, run_env, r);
}

static void assert_no_password(const struct proc_result *r, const char *what)
{
    ck_assert_msg(!strstr(r->out, TORTURE_MARK) && !strstr(r->err, TORTURE_MARK),
                  "%s: a password reached the output | %s | %s", what,
                  test_flat(test_tail(r->out, 600)), test_flat(test_tail(r->err, 600)));
}

/* ----------------------------------------------------- reading the output */

/* A label names database db: "host:port/db", and maybe " (schema S)" after it. */
static bool label_names(const char *label, const char *db)
{
    size_t n = strlen(db);
    const char *p;

    for (p = label; (p = strchr(p, '/')); p++)
        if (!strncmp(p + 1, db, n) && (p[1 + n] == '\0' || !strncmp(p + 1 + n, " (", 2)))
            return true;
    return false;
}

/* Some line of text is db's target's own ("LABEL: ..."), holding needle (may be NULL). */
static bool has_line(const char *text, const char *db, const char *needle)
{
    const char *line = text;

    while (*line) {
        size_t len = strcspn(line, "\n");
        char *l = strndup(line, len), *colon = strstr(l, ": ");
        bool found = false;

        /* The label ends at the line's first ": ": its host:port has none. */
        if (colon) {
            *colon = '\0';
            found = label_names(l, db) && (!needle || strstr(colon + 1, needle));
        }
        free(l);
        if (found)
            return true;
        line += len + (line[len] == '\n');
    }
    return false;
}

/* text names database db anywhere: "/db" not followed by more of a name. */
static bool mentions(const char *text, const char *db)
{
    size_t n = strlen(db);
    const char *p;

    for (p = text; (p = strstr(p, db)); p++)
        if (p > text && p[-1] == '/' && !(isalnum((unsigned char)p[n]) || p[n] == '_'))
            return true;
    return false;
}

/* A JSON value at p: a string unescaped, anything else as written (malloc'd). */
static char *json_value(const char *p)
{
    const char *e;
    char *s, *o;
    int depth = 0;

    while (*p == ' ')
        p++;
    if (*p == '"') {
        s = o = malloc(strlen(p) + 1);
        ck_assert_ptr_nonnull(s);
        for (p++; *p && *p != '"'; p++) {
            if (*p == '\\' && p[1]) {
                p++;
                *o++ = *p == 'n' ? '\n' : *p == 't' ? '\t' : *p == 'u' ? '?' : *p;
                if (*p == 'u')
                    p += strnlen(p + 1, 4);
            } else {
                *o++ = *p;
            }
        }
        *o = '\0';
        return s;
    }
    for (e = p; *e; e++) {
        if (*e == '"') {
            for (e++; *e && *e != '"'; e++)
                e += *e == '\\' && e[1];
            if (!*e)
                break;
            continue;
        }
        if (*e == '{' || *e == '[')
            depth++;
        else if ((*e == '}' || *e == ']') && depth-- == 0)
            break;
        else if (*e == ',' && depth == 0)
            break;
    }
    return strndup(p, (size_t)(e - p));
}

/* The value of key at the top level of the JSON object obj (malloc'd), or NULL. */
static char *json_field(const char *obj, const char *key)
{
    const char *p = obj;
    int depth = 0;

    while (*p) {
        if (*p == '"') {
            const char *s = p + 1, *e = s;

            while (*e && *e != '"')
                e += *e == '\\' && e[1] ? 2 : 1;
            if (!*e)
                return NULL;
            p = e + 1;
            while (*p == ' ')
                p++;
            if (depth == 1 && *p == ':' && (size_t)(e - s) == strlen(key) &&
                !strncmp(s, key, (size_t)(e - s)))
                return json_value(p + 1);
            continue;
        }
        if (*p == '{' || *p == '[')
            depth++;
        else if (*p == '}' || *p == ']')
            depth--;
        p++;
    }
    return NULL;
}

/* One line of a fleet's --format json stdout. */
struct rec {
    char *target, *state, *exit, *result;
    long index;
};

struct fleet_json {
    struct rec recs[MAX_TARGETS];
    int n;
    char *fleet;                /* the last line's "fleet" object */
};

/* Frees what parse_fleet_json() read into j, and leaves j empty. */
static void fleet_json_clear(struct fleet_json *j)
{
    int i;

    for (i = 0; i < j->n; i++) {
        free(j->recs[i].target);
        free(j->recs[i].state);
        free(j->recs[i].exit);
        free(j->recs[i].result);
    }
    free(j->fleet);
    memset(j, 0, sizeof(*j));
}

static void fleet_json_free(struct fleet_json *j)
{
    fleet_json_clear(j);
    free(j);
}

/* Parses a fleet's JSON stdout (j empty, or read before: replaced): one line per target,
 * then the fleet line last. */
static void parse_fleet_json(const char *out, struct fleet_json *j)
{
    const char *line = out;

    fleet_json_clear(j);
    while (*line) {
        size_t len = strcspn(line, "\n");
        char *l = strndup(line, len), *index;

        ck_assert_msg(len >= 2 && l[0] == '{' && l[len - 1] == '}',
                      "a stdout line is not a JSON object: %s", l);
        ck_assert_msg(j->fleet == NULL, "a line after the fleet line: %s", l);
        if ((j->fleet = json_field(l, "fleet")) == NULL) {
            struct rec *r;

            ck_assert_int_lt(j->n, MAX_TARGETS);
            r = &j->recs[j->n++];
            r->target = json_field(l, "target");
            r->state = json_field(l, "state");
            r->exit = json_field(l, "exit");
            r->result = json_field(l, "result");
            index = json_field(l, "index");
            ck_assert_msg(r->target && r->state && r->exit && index,
                          "a target line without target, index, state or exit: %s", l);
            /* A target that never started has no result: null, or no "result" at all. */
            ck_assert_msg(r->result || !strcmp(r->state, "not_started"),
                          "a finished target's line without a result: %s", l);
            if (!r->result)
                r->result = strdup("null");
            r->index = strtol(index, NULL, 10);
            free(index);
        }
        free(l);
        line += len + (line[len] == '\n');
    }
    ck_assert_msg(j->fleet != NULL, "no fleet line last on stdout: %s",
                  test_flat(test_tail(out, 800)));
}

/* The record of database db; fails unless there is exactly one. */
static const struct rec *rec_of(const struct fleet_json *j, const char *db)
{
    const struct rec *found = NULL;
    int i;

    for (i = 0; i < j->n; i++) {
        if (label_names(j->recs[i].target, db)) {
            ck_assert_msg(found == NULL, "two JSON lines for %s", db);
            found = &j->recs[i];
        }
    }
    ck_assert_msg(found != NULL, "no JSON line for %s", db);
    return found;
}

/* A target's record says state and exit (a number or null); index is its list position. */
static void assert_rec(const struct fleet_json *j, const char *db, long index, const char *state,
                       const char *exit_status)
{
    const struct rec *r = rec_of(j, db);

    ck_assert_msg(!strcmp(r->state, state) && !strcmp(r->exit, exit_status) &&
                  (index < 0 || r->index == index),
                  "%s: index %ld, state %s, exit %s; want index %ld, state %s, exit %s",
                  r->target, r->index, r->state, r->exit, index, state, exit_status);
    ck_assert_msg(strcmp(state, "not_started") || !strcmp(r->result, "null"),
                  "%s: not started, but a result: %s", r->target, r->result);
}

/* The fleet line's counts, "targets ok failed interrupted not_started exit". */
static char *fleet_counts(const struct fleet_json *j)
{
    static const char *const keys[] = { "targets", "ok", "failed", "interrupted",
                                        "not_started", "exit" };
    char buf[256] = "", *v;
    size_t i;

    for (i = 0; i < sizeof(keys) / sizeof(keys[0]); i++) {
        v = json_field(j->fleet, keys[i]);
        snprintf(buf + strlen(buf), sizeof(buf) - strlen(buf), "%s%s", i ? " " : "",
                 v ? v : "?");
        free(v);
    }
    return strdup(buf);
}

static void assert_fleet_counts(const struct fleet_json *j, const char *want)
{
    char *got = fleet_counts(j);

    ck_assert_msg(!strcmp(got, want), "fleet line (targets ok failed interrupted not_started "
                  "exit): %s, want %s | %s", got, want, j->fleet);
    free(got);
}

/* Every stderr line of a JSON fleet is a JSON object naming its target. */
static void assert_json_log(const char *err)
{
    const char *line = err;

    while (*line) {
        size_t len = strcspn(line, "\n");

        ck_assert_msg(len >= 2 && line[0] == '{' && line[len - 1] == '}',
                      "a stderr line is not a JSON object: %.*s", (int)len, line);
        line += len + (line[len] == '\n');
    }
}

/* The fleet summary: stderr from its first "pcs-migrate: fleet:" line on. */
static const char *summary_of(const char *err)
{
    const char *s = strstr(err, "pcs-migrate: fleet:");

    ck_assert_msg(s != NULL && (s == err || s[-1] == '\n'), "no fleet summary on stderr: %s",
                  test_flat(test_tail(err, 1500)));
    return s;
}

/* ------------------------------------------------------------ set-ups */

/*
 * Makes t's (empty) database broken as its kind says, and keeps its state: an Alembic
 * database on a revision this binary never had (exit 5), or one with an "accounts" table of
 * its own, on which the first revision fails (exit 1).
 */
static void break_target(struct target *t)
{
    PGconn *c = connect_on(t->dsn, t->db);

    test_exec(c, t->kind == UNKNOWN
        ? "CREATE TABLE alembic_version (version_num varchar(32) PRIMARY KEY); "
          "INSERT INTO alembic_version VALUES ('" UNKNOWN_REV "')"
        : "CREATE TABLE accounts (id int, marker text); INSERT INTO accounts VALUES (1, 'mine')");
    t->before = state_of(c, "public");
    PQfinish(c);
}

/*
 * n databases tagged tag on the original server, all EMPTY but the listed broken ones;
 * their lines are plain conninfo strings.
 */
static void make_targets(struct target *t, int n, char tag, int unknown_at, int conflict_at)
{
    PGconn *admin = connect_on(orig_dsn, "postgres");
    int i;

    for (i = 0; i < n; i++) {
        db_name(t[i].db, sizeof(t[i].db), tag, i);
        t[i].dsn = orig_dsn;
        t[i].kind = i == unknown_at ? UNKNOWN : i == conflict_at ? CONFLICT : EMPTY;
        t[i].schema = NULL;
        t[i].line = conninfo_on(orig_dsn, t[i].db);
        create_db(admin, t[i].db, NULL);
        if (!healthy(&t[i]))
            break_target(&t[i]);
    }
    PQfinish(admin);
}

static const char *schema_of(const struct target *t)
{
    return t->schema ? t->schema : "public";
}

/* Every broken target is exactly as it was before the fleet. */
static void assert_broken_unchanged(const struct target *t, int n)
{
    int i;

    for (i = 0; i < n; i++) {
        if (!healthy(&t[i])) {
            char *now = state_of_db(t[i].dsn, t[i].db, schema_of(&t[i]));

            ck_assert_msg(!strcmp(now, t[i].before), "broken %s changed: %s, was %s",
                          t[i].db, now, t[i].before);
            free(now);
        }
    }
}

static void assert_untouched(const struct target *t)
{
    char *now = state_of_db(t->dsn, t->db, schema_of(t));

    ck_assert_msg(!strcmp(now, UNTOUCHED), "%s should not have been touched: %s", t->db, now);
    free(now);
}

static void assert_target_at_head(const struct target *t)
{
    PGconn *c = connect_on(t->dsn, t->db);

    free(assert_at_head(c, schema_of(t), t->db));
    PQfinish(c);
}

/* ------------------------------------------------------------- tests */

#define N_ORIG 200
#define N_CLUSTER 3

/*
 * 200 databases on the original server and 3 on the private cluster (one behind a
 * scram-sha-256 password in its URL, one over TCP without, one with --schema on its line):
 * empty, behind, at head, and two broken.  One fleet brings every healthy one to head and
 * names the broken ones; a rerun applies nothing anywhere.
 */
START_TEST(test_fleet_mixed_targets_and_rerun)
{
    struct target *t = calloc(N_ORIG + N_CLUSTER, sizeof(*t));
    const int n = N_ORIG + N_CLUSTER;
    PGconn *admin = connect_on(orig_dsn, "postgres"), *admin2 = test_connect("postgres");
    char tmpl_behind[64], tmpl_head[64], path[64], *text, *ci;
    struct proc_result r;
    struct fleet_json *j = calloc(1, sizeof(*j));
    double t0, t_create, t_first, t_rerun;
    int i, counts[5] = { 0 };

    ck_assert_ptr_nonnull(t);
    ck_assert_ptr_nonnull(j);
    t0 = test_now_s();
    /*
     * The behind and up-to-date databases are copies of one single run each: CREATE
     * DATABASE ... TEMPLATE costs what an empty one does, 200 single runs would not.
     */
    db_name(tmpl_behind, sizeof(tmpl_behind), 'a', 900);
    db_name(tmpl_head, sizeof(tmpl_head), 'a', 901);
    create_db(admin, tmpl_behind, NULL);
    create_db(admin, tmpl_head, NULL);
    ci = conninfo_on(orig_dsn, tmpl_behind);
    single_run("linear", ci, NULL, "upgrade", EARLY);
    free(ci);
    ci = conninfo_on(orig_dsn, tmpl_head);
    single_run("linear", ci, NULL, "migrate", NULL);
    free(ci);

    /* The private cluster's three first, so that they run among the others. */
    for (i = 0; i < N_CLUSTER; i++) {
        char sql[160];

        db_name(t[i].db, sizeof(t[i].db), 'x', i);
        t[i].dsn = getenv("PCSM_TEST_DSN");
        create_db(admin2, t[i].db, NULL);
        if (i == 0) {
            snprintf(sql, sizeof(sql), "ALTER DATABASE \"%s\" OWNER TO " TORTURE_SCRAM,
                     t[i].db);
            test_exec(admin2, sql);
            t[i].kind = EMPTY;
            t[i].line = cluster_url(TORTURE_SCRAM, TORTURE_SCRAM_PASSWORD_URL, t[i].db);
        } else if (i == 1) {
            t[i].kind = BEHIND;
            t[i].line = cluster_url("postgres", NULL, t[i].db);
            single_run("linear", t[i].line, NULL, "upgrade", EARLY);
        } else {
            t[i].kind = BEHIND;
            t[i].schema = "fleet_s";
            ci = test_conninfo(t[i].db);
            single_run("linear", ci, t[i].schema, "upgrade", EARLY);
            if (asprintf(&t[i].line, "%s --schema %s", ci, t[i].schema) < 0)
                test_die("out of memory");
            free(ci);
        }
    }
    for (i = N_CLUSTER; i < n; i++) {
        int k = i - N_CLUSTER;

        db_name(t[i].db, sizeof(t[i].db), 'a', k);
        t[i].dsn = orig_dsn;
        t[i].kind = k == 100 ? UNKNOWN : k == 150 ? CONFLICT : (enum kind)(k % 3);
        t[i].line = conninfo_on(orig_dsn, t[i].db);
        create_db(admin, t[i].db, t[i].kind == BEHIND ? tmpl_behind
                                  : t[i].kind == AT_HEAD ? tmpl_head : NULL);
        if (!healthy(&t[i]))
            break_target(&t[i]);
    }
    for (i = 0; i < n; i++)
        counts[t[i].kind]++;
    t_create = test_now_s() - t0;
    text = targets_text(t, n, "# issue 14: the fleet torture test\n\n  # an indented comment\n");
    targets_file(path, sizeof(path), text);

    {
        const char *args[] = { "migrate", "--targets", path, "--jobs", "8", "--keep-going",
                               NULL };

        t0 = test_now_s();
        fleet_run("linear", args, NULL, &r);
        t_first = test_now_s() - t0;
    }
    /* The worst target's status: 5 (inconsistent) ranks above 1 (failed). */
    ck_assert_msg(r.status == 5, "first fleet: exit %d, want 5 | %s", r.status,
                  test_flat(test_tail(r.err, 2500)));
    assert_no_password(&r, "first fleet");
    {
        const char *summary = summary_of(r.err);

        for (i = 0; i < n; i++) {
            if (healthy(&t[i])) {
                /* Its single run's result, "HEAD (head)", under its label. */
                ck_assert_msg(has_line(r.out, t[i].db, HEAD " (head)"),
                              "%s: no stdout line with its label and " HEAD, t[i].db);
                ck_assert_msg(!mentions(summary, t[i].db), "healthy %s in the summary: %s",
                              t[i].db, test_flat(summary));
                /* At head, and its state kept to compare the rerun's with: one connection. */
                {
                    PGconn *c = connect_on(t[i].dsn, t[i].db);

                    t[i].history = assert_at_head(c, schema_of(&t[i]), t[i].db);
                    PQfinish(c);
                }
            } else {
                ck_assert_msg(mentions(summary, t[i].db), "broken %s not in the summary: %s",
                              t[i].db, test_flat(summary));
                /* The single run's own message, under the target's label. */
                ck_assert_msg(has_line(r.err, t[i].db, t[i].kind == UNKNOWN ? UNKNOWN_REV
                                                       : "already exists"),
                              "broken %s: its error is not on stderr under its label: %s",
                              t[i].db, test_flat(test_tail(r.err, 1500)));
            }
        }
    }
    assert_broken_unchanged(t, n);
    proc_result_free(&r);

    /* The rerun: each healthy target takes the no-lock fast path and applies nothing. */
    {
        const char *args[] = { "migrate", "--targets", path, "--jobs", "8", "--keep-going",
                               "--format", "json", NULL };

        t0 = test_now_s();
        fleet_run("linear", args, NULL, &r);
        t_rerun = test_now_s() - t0;
    }
    ck_assert_msg(r.status == 5, "rerun: exit %d, want 5 | %s", r.status,
                  test_flat(test_tail(r.err, 2500)));
    assert_no_password(&r, "rerun");
    assert_json_log(r.err);
    parse_fleet_json(r.out, j);
    ck_assert_int_eq(j->n, n);
    for (i = 0; i < n; i++) {
        const char *want = healthy(&t[i]) ? "0" : t[i].kind == UNKNOWN ? "5" : "1";

        assert_rec(j, t[i].db, i, "done", want);
        if (healthy(&t[i])) {
            const struct rec *rec = rec_of(j, t[i].db);
            char *now = state_of_db(t[i].dsn, t[i].db, schema_of(&t[i]));

            ck_assert_msg(strstr(rec->result, "\"applied\":[]") != NULL,
                          "rerun: %s applied something: %s", t[i].db, rec->result);
            ck_assert_msg(!strcmp(now, t[i].history), "rerun changed %s: %s, was %s",
                          t[i].db, now, t[i].history);
            free(now);
        }
    }
    {
        char want[96];

        snprintf(want, sizeof(want), "%d %d 2 0 0 5", n, n - 2);
        assert_fleet_counts(j, want);
    }
    assert_broken_unchanged(t, n);
    proc_result_free(&r);

    torture_note("fleet: %d targets (%d empty, %d behind, %d at head, 2 broken) on two "
                 "servers made in %.1f s; the first fleet (--jobs 8) took %.1f s, the rerun "
                 "%.1f s and applied nothing", n, counts[EMPTY], counts[BEHIND],
                 counts[AT_HEAD], t_create, t_first, t_rerun);
    unlink(path);
    free(text);
    fleet_json_free(j);
    PQfinish(admin);
    PQfinish(admin2);
    targets_free(t, N_ORIG + N_CLUSTER);
    free(t);
}
END_TEST

/* Without --keep-going, one at a time: the targets after the failed one never start. */
START_TEST(test_fleet_stops_after_a_failure)
{
    struct target t[7] = { 0 };
    struct fleet_json *j = calloc(1, sizeof(*j));
    char path[64], *text;
    struct proc_result r;
    int i;

    ck_assert_ptr_nonnull(j);
    make_targets(t, 7, 'b', 3, -1);
    text = targets_text(t, 7, "");
    targets_file(path, sizeof(path), text);
    {
        const char *args[] = { "migrate", "--targets", path, "--jobs", "1", "--format", "json",
                               NULL };

        fleet_run("linear", args, NULL, &r);
    }
    ck_assert_msg(r.status == 5, "exit %d, want 5 | %s", r.status,
                  test_flat(test_tail(r.err, 2000)));
    assert_json_log(r.err);
    parse_fleet_json(r.out, j);
    ck_assert_int_eq(j->n, 7);
    for (i = 0; i < 7; i++) {
        if (i < 3) {
            assert_rec(j, t[i].db, i, "done", "0");
            assert_target_at_head(&t[i]);
        } else if (i == 3) {
            assert_rec(j, t[i].db, i, "done", "5");
        } else {
            assert_rec(j, t[i].db, i, "not_started", "null");
            assert_untouched(&t[i]);
        }
    }
    assert_fleet_counts(j, "7 3 1 0 3 5");
    assert_broken_unchanged(t, 7);
    proc_result_free(&r);
    unlink(path);
    free(text);
    fleet_json_free(j);
    targets_free(t, 7);
}
END_TEST

/*
 * --shard I/3: the three slices are disjoint, cover the list, and keep positions k with
 * k % 3 == I; a shard migrates its slice only.  current with --shard, the list from stdin
 * and from --targets-query, sees the same slices.
 */
START_TEST(test_fleet_shards)
{
    enum { N = 10 };
    struct target t[N] = { 0 };
    struct fleet_json *j = calloc(1, sizeof(*j));
    char path[64], *text, shard[8];
    int seen[N] = { 0 }, i, s, k;

    ck_assert_ptr_nonnull(j);
    make_targets(t, N, 'c', -1, -1);
    text = targets_text(t, N, "# ten shards' worth\n");
    targets_file(path, sizeof(path), text);
    for (s = 0; s < 3; s++) {
        const char *args[] = { "migrate", "--targets", path, "--shard", shard, "--jobs", "4",
                               "--format", "json", NULL };
        struct proc_result r;
        int want = 0;

        snprintf(shard, sizeof(shard), "%d/3", s);
        fleet_run("linear", args, NULL, &r);
        ck_assert_msg(r.status == 0, "shard %s: exit %d | %s", shard, r.status,
                      test_flat(test_tail(r.err, 2000)));
        parse_fleet_json(r.out, j);
        for (k = 0; k < j->n; k++) {
            for (i = 0; i < N && !label_names(j->recs[k].target, t[i].db); i++)
                ;
            ck_assert_msg(i < N, "shard %s: a target not in the list: %s", shard,
                          j->recs[k].target);
            ck_assert_msg(i % 3 == s, "shard %s ran position %d (%s)", shard, i, t[i].db);
            ck_assert_msg(seen[i]++ == 0, "%s in two shards", t[i].db);
            ck_assert_str_eq(j->recs[k].state, "done");
            ck_assert_str_eq(j->recs[k].exit, "0");
        }
        for (i = s; i < N; i += 3)
            want++;
        ck_assert_msg(j->n == want, "shard %s: %d targets, want %d", shard, j->n, want);
        /* After the first shard only its slice has moved. */
        if (s == 0)
            for (i = 0; i < N; i++) {
                if (i % 3 == 0)
                    assert_target_at_head(&t[i]);
                else
                    assert_untouched(&t[i]);
            }
        proc_result_free(&r);
    }
    for (i = 0; i < N; i++) {
        ck_assert_msg(seen[i] == 1, "%s in no shard", t[i].db);
        assert_target_at_head(&t[i]);
    }

    /* current over slice 1, the list on stdin; then over slice 2, the list from a query. */
    for (s = 1; s <= 2; s++) {
        struct proc_result r;
        char *sql = NULL, *control = conninfo_on(orig_dsn, "postgres");

        snprintf(shard, sizeof(shard), "%d/3", s);
        if (s == 1) {
            const char *args[] = { "current", "--targets", "-", "--shard", shard, NULL };

            fleet_run("linear", args, text, &r);
        } else {
            PGconn *admin = connect_on(orig_dsn, "postgres");
            char *lit = PQescapeLiteral(admin, orig_dsn, strlen(orig_dsn)), pattern[64];

            /* The databases' names sort in list order. */
            db_name(pattern, sizeof(pattern), 'c', 0);
            pattern[strlen(pattern) - 3] = '\0';
            if (asprintf(&sql, "SELECT %s || ' dbname=' || datname FROM pg_database "
                               "WHERE starts_with(datname, '%s') ORDER BY datname",
                         lit, pattern) < 0)
                test_die("out of memory");
            PQfreemem(lit);
            PQfinish(admin);
            {
                const char *args[] = { "current", "--database-url", control,
                                       "--targets-query", sql, "--shard", shard, NULL };

                fleet_run("linear", args, NULL, &r);
            }
        }
        ck_assert_msg(r.status == 0, "current --shard %s: exit %d | %s", shard, r.status,
                      test_flat(test_tail(r.err, 2000)));
        for (i = 0; i < N; i++) {
            if (i % 3 == s)
                ck_assert_msg(has_line(r.out, t[i].db, HEAD " (head)"),
                              "current --shard %s (%s): no '%s: " HEAD " (head)' line | %s",
                              shard, s == 1 ? "stdin" : "query", t[i].db, test_flat(r.out));
            else
                ck_assert_msg(!mentions(r.out, t[i].db) && !mentions(r.err, t[i].db),
                              "current --shard %s (%s) reached %s | %s | %s", shard,
                              s == 1 ? "stdin" : "query", t[i].db, test_flat(r.out),
                              test_flat(r.err));
        }
        proc_result_free(&r);
        free(sql);
        free(control);
    }
    unlink(path);
    free(text);
    fleet_json_free(j);
    targets_free(t, N);
}
END_TEST

/* A failed canary: nothing past the first 2 starts, even with --keep-going. */
START_TEST(test_fleet_canary)
{
    enum { N = 8 };
    struct target t[N] = { 0 };
    struct fleet_json *j = calloc(1, sizeof(*j));
    char path[64], *text;
    struct proc_result r;
    int i;

    ck_assert_ptr_nonnull(j);
    make_targets(t, N, 'd', -1, 1);
    text = targets_text(t, N, "");
    targets_file(path, sizeof(path), text);
    {
        const char *args[] = { "migrate", "--targets", path, "--canary", "2", "--jobs", "4",
                               "--keep-going", "--format", "json", NULL };

        fleet_run("linear", args, NULL, &r);
    }
    ck_assert_msg(r.status == 1, "exit %d, want 1 | %s", r.status,
                  test_flat(test_tail(r.err, 2000)));
    parse_fleet_json(r.out, j);
    ck_assert_int_eq(j->n, N);
    assert_rec(j, t[0].db, 0, "done", "0");
    assert_target_at_head(&t[0]);
    assert_rec(j, t[1].db, 1, "done", "1");
    for (i = 2; i < N; i++) {
        assert_rec(j, t[i].db, i, "not_started", "null");
        assert_untouched(&t[i]);
    }
    assert_fleet_counts(j, "8 1 1 0 6 1");
    assert_broken_unchanged(t, N);
    proc_result_free(&r);
    unlink(path);
    free(text);
    fleet_json_free(j);
    targets_free(t, N);
}
END_TEST

/*
 * Schema per tenant: --schemas-like 'tenant_%' migrates each of 100 tenant schemas of one
 * database on its own, in name order; a schema that does not match and public stay as
 * they were.
 */
START_TEST(test_fleet_schemas_like)
{
    enum { N = 100 };
    PGconn *admin = connect_on(orig_dsn, "postgres"), *c;
    struct fleet_json *j = calloc(1, sizeof(*j));
    char db[64], *ci, *before, *v, schema[32], sql[256];
    struct proc_result r;
    double t0;
    int i;

    ck_assert_ptr_nonnull(j);
    db_name(db, sizeof(db), 'e', 0);
    create_db(admin, db, NULL);
    PQfinish(admin);
    c = connect_on(orig_dsn, db);
    /* 'tenant' is one character short of matching 'tenant_%'. */
    test_exec(c, "DO $$BEGIN FOR i IN 0..99 LOOP "
                 "EXECUTE format('CREATE SCHEMA tenant_%s', lpad(i::text, 3, '0')); END LOOP; "
                 "END$$; CREATE SCHEMA tenant; CREATE TABLE tenant.accounts (id int)");
    before = test_query(c, "SELECT string_agg(schemaname || '.' || tablename, ',' ORDER BY 1) "
                           "FROM pg_tables WHERE schemaname IN ('tenant', 'public')");
    ci = conninfo_on(orig_dsn, db);
    {
        const char *args[] = { "--database-url", ci, "migrate", "--schemas-like", "tenant_%",
                               "--jobs", "8", "--format", "json", NULL };

        t0 = test_now_s();
        fleet_run("linear", args, NULL, &r);
    }
    ck_assert_msg(r.status == 0, "exit %d | %s", r.status, test_flat(test_tail(r.err, 2000)));
    parse_fleet_json(r.out, j);
    ck_assert_int_eq(j->n, N);
    for (i = 0; i < N; i++) {
        char want[96];
        const struct rec *rec = NULL;
        int k;

        snprintf(want, sizeof(want), "/%s (schema tenant_%03d)", db, i);
        for (k = 0; k < j->n; k++)
            if (strstr(j->recs[k].target, want))
                rec = &j->recs[k];
        ck_assert_msg(rec != NULL, "no JSON line ends %s", want);
        ck_assert_msg(rec->index == i && !strcmp(rec->state, "done") && !strcmp(rec->exit, "0"),
                      "%s: index %ld, state %s, exit %s", rec->target, rec->index, rec->state,
                      rec->exit);
        snprintf(schema, sizeof(schema), "tenant_%03d", i);
        free(assert_at_head(c, schema, schema));
    }
    assert_fleet_counts(j, "100 100 0 0 0 0");
    /* Each tenant's version and history tables are its own, and nothing went elsewhere. */
    test_assert_query(c, "SELECT count(DISTINCT schemaname) FROM pg_tables "
                         "WHERE tablename = 'alembic_version'", "100");
    snprintf(sql, sizeof(sql), "SELECT string_agg(schemaname || '.' || tablename, ',' "
                               "ORDER BY 1) FROM pg_tables WHERE schemaname IN "
                               "('tenant', 'public')");
    v = test_query(c, sql);
    ck_assert_msg(!strcmp(v, before), "tenant and public: %s, were %s", v, before);
    torture_note("fleet: 100 tenant schemas of one database migrated by --schemas-like "
                 "(--jobs 8) in %.1f s", test_now_s() - t0);
    free(v);
    free(before);
    free(ci);
    fleet_json_free(j);
    proc_result_free(&r);
    PQfinish(c);
}
END_TEST

/*
 * SIGTERM while three targets sleep inside their one transaction: exit 143; the finished
 * ones are at head, the interrupted ones rolled back to their old revision, the rest never
 * started; the JSON lines say which is which.
 */
START_TEST(test_fleet_sigterm)
{
    enum { N = 7 };
    struct target t[N] = { 0 };
    struct fleet_json *j = calloc(1, sizeof(*j));
    PGconn *admin = connect_on(orig_dsn, "postgres");
    char path[64], *text, tmpl[64], *ci, sql[1024], prefix[64];
    const char *argv[] = { test_bin("sleepy"), "migrate", "--targets", NULL, "--jobs", "3",
                           "--format", "json", NULL };
    struct proc_bg b;
    struct proc_result r;
    int i;

    ck_assert_ptr_nonnull(j);
    db_name(tmpl, sizeof(tmpl), 'f', 900);
    create_db(admin, tmpl, NULL);
    ci = conninfo_on(orig_dsn, tmpl);
    single_run("sleepy", ci, NULL, "upgrade", "d10000000001");
    free(ci);
    /* 0, 1 finish at once; 2, 3, 4 (at d10000000001) sleep; 5, 6 would sleep. */
    for (i = 0; i < N; i++) {
        db_name(t[i].db, sizeof(t[i].db), 'f', i);
        t[i].dsn = orig_dsn;
        t[i].schema = NULL;
        t[i].kind = i >= 2 && i <= 4 ? BEHIND : EMPTY;
        t[i].line = conninfo_on(orig_dsn, t[i].db);
        create_db(admin, t[i].db, t[i].kind == BEHIND ? tmpl : NULL);
        snprintf(sql, sizeof(sql), "ALTER DATABASE \"%s\" SET pcsm_test.sleep = '%s'",
                 t[i].db, i < 2 ? "0" : "60");
        test_exec(admin, sql);
    }
    text = targets_text(t, N, "");
    targets_file(path, sizeof(path), text);
    argv[3] = path;
    proc_start(&b, argv, run_env, NULL);
    db_name(prefix, sizeof(prefix), 'f', 0);
    prefix[strlen(prefix) - 3] = '\0';
    snprintf(sql, sizeof(sql), "SELECT count(*) FROM pg_stat_activity WHERE wait_event = "
                               "'PgSleep' AND starts_with(datname, '%s')", prefix);
    /* Three in pg_sleep at once means 0 and 1 are done and 2, 3, 4 are mid-revision. */
    if (!test_await_value(admin, sql, "3", 60)) {
        char *err = proc_stderr(&b);

        kill(b.pid, SIGKILL);
        ck_abort_msg("three targets never slept together | %s", test_flat(test_tail(err, 2000)));
    }
    ck_assert_int_eq(kill(b.pid, SIGTERM), 0);
    proc_wait(&b, 60, &r);
    ck_assert_msg(r.status == 143, "exit %d, want 143 | %s", r.status,
                  test_flat(test_tail(r.err, 2000)));
    assert_json_log(r.err);
    parse_fleet_json(r.out, j);
    ck_assert_int_eq(j->n, N);
    /* Every run has left: no backend of ours is still rolling back. */
    snprintf(sql, sizeof(sql), "SELECT count(*) FROM pg_stat_activity "
                               "WHERE starts_with(datname, '%s')", prefix);
    ck_assert_msg(test_await_value(admin, sql, "0", 30), "sessions left after the fleet ended");
    for (i = 0; i < N; i++) {
        PGconn *c = connect_on(orig_dsn, t[i].db);
        char *v = version_of(c, "public");
        char *tables = test_query(c, "SELECT coalesce(string_agg(tablename, ',' ORDER BY 1), "
                                     "'') FROM pg_tables WHERE schemaname = 'public' AND "
                                     "tablename LIKE 's_'");

        if (i < 2) {
            assert_rec(j, t[i].db, i, "done", "0");
            ck_assert_msg(!strcmp(v, "d10000000002") && !strcmp(tables, "s1,s2,s3"),
                          "finished %s: version %s, tables %s", t[i].db, v, tables);
        } else if (i <= 4) {
            const struct rec *rec = rec_of(j, t[i].db);

            ck_assert_msg(!strcmp(rec->state, "interrupted"), "%s: state %s, want "
                          "interrupted", rec->target, rec->state);
            /* One transaction: all of d10000000002 or none of it. */
            ck_assert_msg(!strcmp(v, "d10000000001") && !strcmp(tables, "s1"),
                          "interrupted %s: version %s, tables %s, want d10000000001 and s1",
                          t[i].db, v, tables);
        } else {
            assert_rec(j, t[i].db, i, "not_started", "null");
            ck_assert_msg(!strcmp(v, "none") && !strcmp(tables, ""),
                          "not started %s: version %s, tables %s", t[i].db, v, tables);
        }
        free(v);
        free(tables);
        PQfinish(c);
    }
    assert_fleet_counts(j, "7 2 0 3 2 143");
    proc_result_free(&r);
    unlink(path);
    free(text);
    fleet_json_free(j);
    PQfinish(admin);
    targets_free(t, N);
}
END_TEST

/* Usage errors: exit 2 before any target starts; a bad line is named, never printed. */
START_TEST(test_fleet_usage_errors)
{
    struct target t[2] = { 0 };
    char good[64], bad[64], *text;
    int i;
    struct {
        const char *name;
        const char *file;       /* a targets file's text, or NULL for the good one */
        const char *args[8];    /* after "migrate --targets FILE" */
        const char *says;       /* stderr must hold it (":N" is the file's path and line) */
    } cases[] = {
        { "--schema without a name", "# a bad line\n\n%1$s\npostgresql://u:" TORTURE_MARK
          "@127.0.0.1:1/x --schema\n", { NULL }, ":4" },
        { "an unterminated quote", "host=127.0.0.1 password='" TORTURE_MARK " dbname=x\n%1$s\n",
          { NULL }, ":1" },
        { "the same target twice", "%1$s\n# again\n%1$s\n", { NULL }, ":3" },
        { "--jobs 0", NULL, { "--jobs", "0", NULL }, NULL },
        { "--shard 3/3", NULL, { "--shard", "3/3", NULL }, NULL },
        { "--shard 1/0", NULL, { "--shard", "1/0", NULL }, NULL },
        { "--sql", NULL, { "--sql", NULL }, NULL },
        { "two lists", NULL, { "--schemas-like", "tenant_%", NULL }, NULL },
    };

    make_targets(t, 2, 'g', -1, -1);
    text = targets_text(t, 2, "");
    targets_file(good, sizeof(good), text);
    for (i = 0; i < (int)(sizeof(cases) / sizeof(cases[0])); i++) {
        const char *args[16] = { "migrate", "--targets", good, NULL };
        char *body = NULL, where[96];
        struct proc_result r;
        size_t n = 3, k;

        if (cases[i].file) {
            if (asprintf(&body, cases[i].file, t[0].line) < 0)
                test_die("out of memory");
            targets_file(bad, sizeof(bad), body);
            args[2] = bad;
        }
        for (k = 0; cases[i].args[k]; k++)
            args[n++] = cases[i].args[k];
        args[n] = NULL;
        fleet_run("linear", args, NULL, &r);
        ck_assert_msg(r.status == 2, "%s: exit %d, want 2 | %s", cases[i].name, r.status,
                      test_flat(test_tail(r.err, 1500)));
        assert_no_password(&r, cases[i].name);
        ck_assert_msg(!strcmp(r.out, ""), "%s: stdout %s", cases[i].name, test_flat(r.out));
        if (cases[i].says) {
            snprintf(where, sizeof(where), "%s%s", bad, cases[i].says);
            ck_assert_msg(strstr(r.err, where) != NULL, "%s: stderr does not say %s: %s",
                          cases[i].name, where, test_flat(r.err));
        }
        if (body) {
            unlink(bad);
            free(body);
        }
        proc_result_free(&r);
    }
    for (i = 0; i < 2; i++)
        assert_untouched(&t[i]);
    unlink(good);
    free(text);
    targets_free(t, 2);
}
END_TEST

/* In the parent, after every test, passed or not: no database of this run is left behind. */
static void drop_all(void)
{
    PGconn *admin = connect_on(orig_dsn, "postgres");
    char prefix[64], sql[320], *names, *name, *save = NULL;
    double t0;
    int n = 0;

    snprintf(prefix, sizeof(prefix), "pcsm_fl_%ld_", run_id);
    snprintf(sql, sizeof(sql), "SELECT coalesce(string_agg(datname, ' '), '') FROM pg_database "
                               "WHERE starts_with(datname, '%s')", prefix);
    t0 = test_now_s();
    names = test_query(admin, sql);
    for (name = strtok_r(names, " ", &save); name; name = strtok_r(NULL, " ", &save)) {
        snprintf(sql, sizeof(sql), "DROP DATABASE IF EXISTS \"%s\" WITH (FORCE)", name);
        test_exec(admin, sql);
        n++;
    }
    free(names);
    PQfinish(admin);
    if (n > 10)
        torture_note("fleet: %d databases dropped in %.1f s", n, test_now_s() - t0);
}

/*
 * Lists the single run would refuse, refused before any target runs: a control query of the
 * wrong shape, a row without a string, a string libpq refuses (its password never shown),
 * and the same database spelt two ways.
 */
START_TEST(test_fleet_list_errors)
{
    PGconn *admin = connect_on(orig_dsn, "postgres");
    char *control = conninfo_on(orig_dsn, "postgres"), db[64], path[64], *a, *b, *text;
    struct target t[1] = { 0 };
    struct proc_result r;
    size_t i;
    static const struct {
        const char *query, *says;
    } cases[] = {
        { "SELECT 1, 2, 3", "--targets-query returned 3 columns" },
        { "CREATE TEMP TABLE pcsm_fleet_x ()", "--targets-query returned no rows (a command" },
        { "SELECT NULL::text", "--targets-query: target 1 has no connection string" },
        { "SELECT 'dbname=x', ''", "--targets-query: target 1 has an empty schema" },
        { "SELECT 'host=127.0.0.1 password=''" TORTURE_MARK " dbname=x'",
          "--targets-query: target 1: the connection string is malformed" },
        { "SELECT 'postgresql://u:" TORTURE_MARK "@127.0.0.1:1/x?sslmode=bogus'",
          "--targets-query: target 1: invalid value for the connection option \"sslmode\"" },
    };

    make_targets(t, 1, 'q', -1, -1);
    for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        const char *args[] = { "migrate", "--database-url", control, "--targets-query",
                               cases[i].query, NULL };

        fleet_run("linear", args, NULL, &r);
        ck_assert_msg(r.status == 2, "%s: exit %d | %s", cases[i].query, r.status,
                      test_flat(r.err));
        ck_assert_msg(strstr(r.err, cases[i].says), "%s: stderr %s", cases[i].query,
                      test_flat(r.err));
        assert_no_password(&r, cases[i].query);
        proc_result_free(&r);
    }
    /* One database, two spellings: refused, naming both lines. */
    snprintf(db, sizeof(db), "%s", t[0].db);
    a = conninfo_on(orig_dsn, db);
    if (asprintf(&b, "dbname=%s %s", db, orig_dsn) < 0 || asprintf(&text, "%s\n%s\n", a, b) < 0)
        test_die("out of memory");
    targets_file(path, sizeof(path), text);
    {
        const char *args[] = { "migrate", "--targets", path, NULL };

        fleet_run("linear", args, NULL, &r);
    }
    ck_assert_msg(r.status == 2 && strstr(r.err, ":2: the same target as line 1"),
                  "two spellings: exit %d | %s", r.status, test_flat(r.err));
    proc_result_free(&r);
    assert_untouched(&t[0]);
    unlink(path);
    free(a);
    free(b);
    free(text);
    free(control);
    PQfinish(admin);
    targets_free(t, 1);
}
END_TEST

/*
 * A signal while the list is still being read from stdin ends the run there (exit 143),
 * rather than when stdin closes: the reader is found blocked on the pipe first.
 */
START_TEST(test_fleet_signal_while_reading_the_list)
{
    char err_path[64], wchan_path[64], wchan[64] = "";
    int in[2], status, err_fd = test_temp_file("pcsm-fleet-err", err_path, sizeof(err_path));
    double deadline = test_now_s() + 30;
    const char *bin = test_bin("linear");
    bool blocked = false;
    char *err;
    pid_t pid;

    ck_assert_int_eq(pipe(in), 0);
    pid = fork();
    ck_assert_int_ge(pid, 0);
    if (pid == 0) {
        dup2(in[0], 0);
        dup2(err_fd, 2);
        close(in[1]);
        execl(bin, "pcs-migrate", "current", "--targets", "-", (char *)NULL);
        _exit(127);
    }
    close(in[0]);
    close(err_fd);
    /* The first line is read; then it waits for the next, holding a half-read list. */
    ck_assert_int_gt(write(in[1], "host=127.0.0.1 port=1 dbname=x\n", 31), 0);
    snprintf(wchan_path, sizeof(wchan_path), "/proc/%d/wchan", (int)pid);
    /* "pipe_read", or "anon_pipe_read" on newer kernels. */
    while (!blocked && test_now_s() < deadline) {
        FILE *f = fopen(wchan_path, "r");

        wchan[0] = '\0';
        if (f) {
            if (!fgets(wchan, sizeof(wchan), f))
                wchan[0] = '\0';
            fclose(f);
        }
        blocked = strstr(wchan, "pipe_read") != NULL;
        if (!blocked)
            test_nap_ms(10);
    }
    ck_assert_msg(blocked, "never blocked reading stdin (wchan '%s')", wchan);
    ck_assert_int_eq(kill(pid, SIGTERM), 0);
    ck_assert_int_eq(waitpid(pid, &status, 0), pid);
    close(in[1]);
    err = test_read_file(err_path);
    ck_assert_msg(WIFEXITED(status) && WEXITSTATUS(status) == 143, "status %d | %s", status,
                  test_flat(err));
    ck_assert_msg(strstr(err, "interrupted by signal 15 while reading the list"), "stderr %s",
                  test_flat(err));
    ck_assert_ptr_null(strstr(err, "127.0.0.1"));     /* no target ran */
    free(err);
    unlink(err_path);
}
END_TEST

/*
 * A target killed on its own (its process, not the fleet) failed: the fleet goes on with
 * --keep-going, calls it failed rather than interrupted, and exits with its status.
 */
START_TEST(test_fleet_target_killed_alone)
{
    struct target t[2] = { 0 };
    struct fleet_json *j = calloc(1, sizeof(*j));
    PGconn *admin = connect_on(orig_dsn, "postgres");
    char path[64], *text, sql[512], children[64], line[64] = "";
    const char *argv[] = { test_bin("sleepy"), "migrate", "--targets", NULL, "--jobs", "1",
                           "--keep-going", "--format", "json", NULL };
    struct proc_bg b;
    struct proc_result r;
    FILE *f;
    int i;

    ck_assert_ptr_nonnull(j);
    for (i = 0; i < 2; i++) {
        db_name(t[i].db, sizeof(t[i].db), 'k', i);
        t[i].dsn = orig_dsn;
        t[i].schema = NULL;
        t[i].kind = EMPTY;
        t[i].line = conninfo_on(orig_dsn, t[i].db);
        create_db(admin, t[i].db, NULL);
        snprintf(sql, sizeof(sql), "ALTER DATABASE \"%s\" SET pcsm_test.sleep = '%s'",
                 t[i].db, i == 0 ? "60" : "0");
        test_exec(admin, sql);
    }
    text = targets_text(t, 2, "");
    targets_file(path, sizeof(path), text);
    argv[3] = path;
    proc_start(&b, argv, run_env, NULL);
    snprintf(sql, sizeof(sql), "SELECT count(*) FROM pg_stat_activity WHERE wait_event = "
                               "'PgSleep' AND datname = '%s'", t[0].db);
    ck_assert_msg(test_await_value(admin, sql, "1", 60), "the first target never slept");
    /* Its one child is the first target's run. */
    snprintf(children, sizeof(children), "/proc/%d/task/%d/children", (int)b.pid, (int)b.pid);
    f = fopen(children, "r");
    ck_assert_msg(f && fgets(line, sizeof(line), f), "cannot read %s", children);
    fclose(f);
    ck_assert_int_eq(kill((pid_t)atol(line), SIGTERM), 0);
    proc_wait(&b, 60, &r);
    ck_assert_msg(r.status == 143, "exit %d, want 143 | %s", r.status,
                  test_flat(test_tail(r.err, 2000)));
    parse_fleet_json(r.out, j);
    assert_rec(j, t[0].db, 0, "done", "143");
    assert_rec(j, t[1].db, 1, "done", "0");
    assert_fleet_counts(j, "2 1 1 0 0 143");
    {
        PGconn *c = connect_on(orig_dsn, t[0].db);
        char *v = version_of(c, "public");

        ck_assert_msg(!strcmp(v, "none") || !strcmp(v, "d10000000001"), "killed: version %s",
                      v);
        free(v);
        PQfinish(c);
    }
    proc_result_free(&r);
    unlink(path);
    free(text);
    fleet_json_free(j);
    PQfinish(admin);
    targets_free(t, 2);
}
END_TEST

/* One case per test, so that CK_RUN_CASE=NAME runs one; each drops its databases after it. */
static void add_case(Suite *s, const char *name, const TTest *test)
{
    TCase *tc = tcase_create(name);

    tcase_set_timeout(tc, 900);
    tcase_add_unchecked_fixture(tc, NULL, drop_all);
    tcase_add_test(tc, test);
    suite_add_tcase(s, tc);
}

int main(void)
{
    Suite *s = suite_create("torture_fleet");

    test_require_db();
    orig_dsn = strdup(getenv("PCSM_TEST_DSN"));
    run_id = (long)getpid();
    cluster_start();
    cluster_create_roles();
    add_case(s, "mixed", test_fleet_mixed_targets_and_rerun);
    add_case(s, "stop", test_fleet_stops_after_a_failure);
    add_case(s, "shards", test_fleet_shards);
    add_case(s, "canary", test_fleet_canary);
    add_case(s, "schemas", test_fleet_schemas_like);
    add_case(s, "sigterm", test_fleet_sigterm);
    add_case(s, "usage", test_fleet_usage_errors);
    add_case(s, "lists", test_fleet_list_errors);
    add_case(s, "stdin", test_fleet_signal_while_reading_the_list);
    add_case(s, "killed", test_fleet_target_killed_alone);
    return test_run_suite(s);
}
