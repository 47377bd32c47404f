/*
 * Torture: no password ever reaches stdout, stderr, the JSON logs or the
 * history table, whichever way it is given (URL, conninfo, DATABASE_URL,
 * PCS_MIGRATE_DATABASE_URL, PGPASSWORD, a service file, PGSERVICE alone, a
 * password file by PGPASSFILE, ~/.pgpass or the passfile keyword, a
 * --database-url-file), for every command and every error path we can
 * provoke, on a private cluster whose pg_hba.conf demands scram-sha-256 and
 * md5; and a password given on the command line is gone from
 * /proc/PID/cmdline once the run has started.
 */
#define _GNU_SOURCE /* asprintf */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "torture.h"

/* The migration lock: (1885565805, hashtext(schema || '.' || version_table)). */
#define LOCK_SQL "SELECT pg_advisory_lock(1885565805, hashtext('public.alembic_version'))"

/*
 * Files written once by main(): a service file, two password files, and
 * two home directories holding them as .pgpass; the URL file is rewritten
 * by each make_cred() of CH_URL_FILE (one credential in use at a time).
 */
static char service_file[64], pass_file[64], wrong_pass_file[64], home[64], wrong_home[64];
static char url_file[64];

/* ------------------------------------------------------------ channels */

enum channel {
    CH_URL,             /* --database-url postgresql://role:password@host:port/db */
    CH_CONNINFO,        /* --database-url "host=... password='...' dbname=..." */
    CH_DATABASE_URL,    /* DATABASE_URL=postgresql://... */
    CH_PCS_MIGRATE_URL, /* PCS_MIGRATE_DATABASE_URL=postgresql://... */
    CH_PGPASSWORD,      /* PGPASSWORD, and a URL without one */
    CH_SERVICE,         /* --database-url "service=... dbname=..." and PGSERVICEFILE */
    CH_PGSERVICE,       /* PGSERVICE, PGSERVICEFILE and PGDATABASE: no URL at all */
    CH_PASSFILE,        /* PGPASSFILE, and a URL without a password */
    CH_URL_FILE,        /* --database-url-file holding postgresql://role:password@... */
    CH_HOME_PGPASS,     /* HOME with a .pgpass, and a URL without a password */
    CH_PASSFILE_KEYWORD,/* --database-url "... passfile=FILE" */
    N_CHANNELS
};

static const char *const channel_names[] = {
    "URL", "conninfo", "DATABASE_URL", "PCS_MIGRATE_DATABASE_URL", "PGPASSWORD",
    "service file", "PGSERVICE", "password file", "URL file", "~/.pgpass", "passfile keyword",
};

/* How one run is given its connection and password. */
struct cred {
    char name[96];
    const char *url;            /* --database-url, or NULL */
    const char *url_file;       /* --database-url-file, or NULL */
    const char *env[24];        /* "K=V" to set, "K" to unset */
    char store[6][700];
};

/* Every variable that could carry a connection or a password is cleared first. */
static const char *const clean_env[] = {
    "DATABASE_URL", "PCS_MIGRATE_DATABASE_URL", "PGPASSWORD", "PGSERVICE", "PGSERVICEFILE",
    "PGPASSFILE", "PGHOST", "PGHOSTADDR", "PGPORT", "PGUSER", "PGDATABASE",
    "PCS_MIGRATE_FORMAT", "PCS_MIGRATE_WAIT", "NO_COLOR=1",
};

static const char *password_of(const char *role, bool wrong, bool url_encoded)
{
    bool scram = !strcmp(role, TORTURE_SCRAM);

    if (scram && url_encoded)
        return wrong ? "wrong-" TORTURE_SCRAM_PASSWORD_URL : TORTURE_SCRAM_PASSWORD_URL;
    if (scram)
        return wrong ? "wrong-" TORTURE_SCRAM_PASSWORD : TORTURE_SCRAM_PASSWORD;
    return wrong ? "wrong-" TORTURE_MD5_PASSWORD : TORTURE_MD5_PASSWORD;
}

/*
 * The credentials for `role` on database db through channel ch; `wrong`
 * gives a wrong password (which still holds the mark).  port overrides the
 * cluster's (a closed port), when not NULL.
 */
static void make_cred(struct cred *c, enum channel ch, const char *role, bool wrong,
                      const char *db, const char *port)
{
    size_t n = 0, i;

    memset(c, 0, sizeof(*c));
    snprintf(c->name, sizeof(c->name), "%s, %s%s", channel_names[ch], role,
             wrong ? ", wrong password" : "");
    for (i = 0; i < sizeof(clean_env) / sizeof(clean_env[0]); i++)
        c->env[n++] = clean_env[i];
    if (!port)
        port = cluster_port();
    switch (ch) {
    case CH_URL:
    case CH_DATABASE_URL:
    case CH_PCS_MIGRATE_URL:
        snprintf(c->store[0], sizeof(c->store[0]), "postgresql://%s:%s@127.0.0.1:%s/%s", role,
                 password_of(role, wrong, true), port, db);
        if (ch == CH_URL) {
            c->url = c->store[0];
        } else {
            snprintf(c->store[1], sizeof(c->store[1]), "%s=%.600s",
                     ch == CH_DATABASE_URL ? "DATABASE_URL" : "PCS_MIGRATE_DATABASE_URL",
                     c->store[0]);
            c->env[n++] = c->store[1];
        }
        break;
    case CH_CONNINFO:
        snprintf(c->store[0], sizeof(c->store[0]),
                 "host=127.0.0.1 port=%s user=%s password='%s' dbname=%s", port, role,
                 password_of(role, wrong, false), db);
        c->url = c->store[0];
        break;
    case CH_PGPASSWORD:
    case CH_PASSFILE:
        snprintf(c->store[0], sizeof(c->store[0]), "postgresql://%s@127.0.0.1:%s/%s", role,
                 port, db);
        c->url = c->store[0];
        if (ch == CH_PGPASSWORD)
            snprintf(c->store[1], sizeof(c->store[1]), "PGPASSWORD=%s",
                     password_of(role, wrong, false));
        else
            snprintf(c->store[1], sizeof(c->store[1]), "PGPASSFILE=%s",
                     wrong ? wrong_pass_file : pass_file);
        c->env[n++] = c->store[1];
        break;
    case CH_SERVICE:
    case CH_PGSERVICE:
        snprintf(c->store[1], sizeof(c->store[1]), "PGSERVICEFILE=%s", service_file);
        c->env[n++] = c->store[1];
        if (ch == CH_SERVICE) {
            snprintf(c->store[0], sizeof(c->store[0]), "service=%s%s dbname=%s%s%s", role,
                     wrong ? "_wrong" : "", db, strcmp(port, cluster_port()) ? " port=" : "",
                     strcmp(port, cluster_port()) ? port : "");
            c->url = c->store[0];
        } else {
            snprintf(c->store[2], sizeof(c->store[2]), "PGSERVICE=%s%s", role,
                     wrong ? "_wrong" : "");
            snprintf(c->store[3], sizeof(c->store[3]), "PGDATABASE=%s", db);
            c->env[n++] = c->store[2];
            c->env[n++] = c->store[3];
        }
        break;
    case CH_URL_FILE: {
        FILE *f = fopen(url_file, "w");

        snprintf(c->store[0], sizeof(c->store[0]), "postgresql://%s:%s@127.0.0.1:%s/%s\n", role,
                 password_of(role, wrong, true), port, db);
        if (!f || fputs(c->store[0], f) < 0 || fclose(f) != 0)
            test_die("cannot write %s", url_file);
        c->store[0][0] = '\0';     /* only in the file */
        c->url_file = url_file;
        break;
    }
    case CH_HOME_PGPASS:
        snprintf(c->store[0], sizeof(c->store[0]), "postgresql://%s@127.0.0.1:%s/%s", role,
                 port, db);
        c->url = c->store[0];
        snprintf(c->store[1], sizeof(c->store[1]), "HOME=%s", wrong ? wrong_home : home);
        c->env[n++] = c->store[1];
        break;
    case CH_PASSFILE_KEYWORD:
        snprintf(c->store[0], sizeof(c->store[0]),
                 "host=127.0.0.1 port=%s user=%s dbname=%s passfile='%s'", port, role, db,
                 wrong ? wrong_pass_file : pass_file);
        c->url = c->store[0];
        break;
    case N_CHANNELS:
        break;
    }
    c->env[n] = NULL;
}

/* ----------------------------------------------------------- checking */

static long runs, json_lines, history_rows;

/* True when text holds any part of any password we use. */
static const char *leak_in(const char *text)
{
    static const char *const marks[] = { TORTURE_MARK, "sc@ram", "sc%40ram", "Pa55" };
    size_t i;

    for (i = 0; i < sizeof(marks) / sizeof(marks[0]); i++)
        if (strstr(text, marks[i]))
            return marks[i];
    return NULL;
}

/* Every line of text is one JSON object (a light check: braces at both ends). */
static void assert_json_lines(const char *what, const char *stream, const char *text)
{
    const char *line = text;

    while (*line) {
        size_t len = strcspn(line, "\n");

        if (len) {
            ck_assert_msg(line[0] == '{' && line[len - 1] == '}', "%s: a %s line is not a "
                          "JSON object: %.*s", what, stream, (int)(len > 300 ? 300 : len), line);
            json_lines++;
        }
        line += len + (line[len] == '\n');
    }
}

static void assert_clean(const char *what, const struct proc_result *r)
{
    const char *leak;

    if ((leak = leak_in(r->out)))
        ck_abort_msg("%s: the password (\"%s\") is on stdout: %s", what, leak,
                     test_flat(test_tail(r->out, 1200)));
    if ((leak = leak_in(r->err)))
        ck_abort_msg("%s: the password (\"%s\") is on stderr: %s", what, leak,
                     test_flat(test_tail(r->err, 1200)));
}

/*
 * Runs bin with c's credentials and args (format: "text" or "json"),
 * expects exit status want and no password anywhere in the output; keeps
 * the result in *keep when not NULL.
 */
static void srun(const struct cred *c, const char *format, const char *bin,
                 const char *const args[], int want, struct proc_result *keep)
{
    const char *argv[32];
    char what[256];
    struct proc_result r;
    size_t n = 0, i;
    bool json = !strcmp(format, "json");

    argv[n++] = test_bin(bin);
    if (json) {     /* first: a usage error found before it would be text */
        argv[n++] = "--format";
        argv[n++] = "json";
    }
    if (c->url) {
        argv[n++] = "--database-url";
        argv[n++] = c->url;
    }
    if (c->url_file) {
        argv[n++] = "--database-url-file";
        argv[n++] = c->url_file;
    }
    for (i = 0; args[i] && n < 31; i++)
        argv[n++] = args[i];
    argv[n] = NULL;
    snprintf(what, sizeof(what), "%s", bin);
    for (i = 0; args[i]; i++)
        snprintf(what + strlen(what), sizeof(what) - strlen(what), " %s", args[i]);
    snprintf(what + strlen(what), sizeof(what) - strlen(what), " (%s, %s)", c->name, format);
    proc_run(argv, NULL, c->env, &r);
    runs++;
    assert_clean(what, &r);
    ck_assert_msg(r.status == want, "%s: exit %d, want %d | %s", what, r.status, want,
                  test_flat(test_tail(r.err, 1200)));
    if (json) {
        /* The views print JSON too now (issue 18); --sql always prints SQL. */
        bool text_out = !strcmp(args[0], "--sql") || (args[1] && !strcmp(args[1], "--sql"));

        assert_json_lines(what, "stderr", r.err);
        if (!text_out)
            assert_json_lines(what, "stdout", r.out);
    }
    if (keep)
        *keep = r;
    else
        proc_result_free(&r);
}

/* No history row of db holds the password. */
static void assert_history_clean(const char *db)
{
    PGconn *c = test_connect(db);
    char *exists = test_query(c, "SELECT to_regclass('pcs_migrate_history') IS NOT NULL");

    if (!strcmp(exists, "t")) {
        char *all = test_query(c, "SELECT count(*) || ':' || coalesce(string_agg(t::text, ' '), "
                                  "'') FROM pcs_migrate_history t");
        const char *leak = leak_in(all);

        ck_assert_msg(!leak, "the password (\"%s\") is in the history table: %s", leak,
                      test_flat(test_tail(all, 1200)));
        history_rows += atol(all);
        free(all);
    }
    free(exists);
    PQfinish(c);
}

/* A fresh database owned by role. */
static void owned_db(char *db, size_t size, const char *role)
{
    PGconn *admin = test_connect("postgres");
    char sql[160];

    test_db_create(db, size);
    snprintf(sql, sizeof(sql), "ALTER DATABASE \"%s\" OWNER TO %s", db, role);
    test_exec(admin, sql);
    PQfinish(admin);
}

static void set_sleep(const char *db, const char *seconds)
{
    PGconn *admin = test_connect("postgres");
    char sql[160];

    snprintf(sql, sizeof(sql), "ALTER DATABASE \"%s\" SET pcsm_test.sleep = '%s'", db, seconds);
    test_exec(admin, sql);
    PQfinish(admin);
}

/* --------------------------------------------------------------- tests */

static const char *const formats[] = { "text", "json" };

/*
 * Every command that connects, on success, through every channel, in both
 * formats, as the scram role; the md5 role through three channels.
 */
START_TEST(test_every_command_every_channel)
{
    static const char *const reset[] = { "reset", "--yes", NULL };
    static const char *const to_base[] = { "downgrade", "base", NULL };
    static const char *const up2[] = { "upgrade", "a10000000002", NULL };
    static const char *const migrate[] = { "migrate", NULL };
    static const char *const per_migration[] = { "downgrade", "a10000000003", NULL };
    static const char *const migrate_tpm[] = { "migrate", "--transaction-per-migration", NULL };
    static const char *const current[] = { "current", "--verbose", NULL };
    static const char *const check[] = { "check", NULL };
    static const char *const diff[] = { "diff", "--from", "head", "--to", "database", NULL };
    /* -i: history reads the database only when asked (issue 18). */
    static const char *const history[] = { "history", "--verbose", "-i", NULL };
    static const char *const heads[] = { "heads", "--verbose", NULL };
    static const char *const show[] = { "show", "head", NULL };
    static const char *const down1[] = { "downgrade", "-1", NULL };
    static const char *const rollback[] = { "rollback", NULL };
    static const char *const stamp[] = { "stamp", "a10000000005", NULL };
    static const char *const sql[] = { "upgrade", "--sql", "base:head", NULL };
    static const char *const *const sequence[] = {
        reset, to_base, up2, migrate, migrate, per_migration, migrate_tpm, current, check, diff,
        history, heads, show, down1, rollback, stamp, sql,
    };
    /* The other channels carry the password the same way once connected. */
    static const char *const *const short_sequence[] = { reset, check, history };
    static const enum channel full_channels[] = { CH_URL, CH_PGPASSWORD, CH_SERVICE };
    char db[64], md5_db[64];
    size_t ch, k;
    long before = runs;
    double t0 = test_now_s();

    owned_db(db, sizeof(db), TORTURE_SCRAM);
    owned_db(md5_db, sizeof(md5_db), TORTURE_MD5);
    /* Formats by turns: each command in both across the channels. */
    for (ch = 0; ch < N_CHANNELS; ch++) {
        bool full = ch == CH_URL || ch == CH_PGPASSWORD || ch == CH_SERVICE;
        size_t n = full ? sizeof(sequence) / sizeof(sequence[0])
                        : sizeof(short_sequence) / sizeof(short_sequence[0]);
        struct cred c;

        make_cred(&c, (enum channel)ch, TORTURE_SCRAM, false, db, NULL);
        for (k = 0; k < n; k++)
            srun(&c, formats[(k + ch) % 2], "linear", full ? sequence[k] : short_sequence[k], 0,
                 NULL);
    }
    for (ch = 0; ch < sizeof(full_channels) / sizeof(full_channels[0]); ch++) {
        struct cred c;

        make_cred(&c, full_channels[ch], TORTURE_MD5, false, md5_db, NULL);
        for (k = 0; k < (ch ? 2 : sizeof(sequence) / sizeof(sequence[0])); k++)
            srun(&c, formats[(k + ch) % 2], "linear", ch ? short_sequence[k] : sequence[k], 0,
                 NULL);
    }
    assert_history_clean(db);
    assert_history_clean(md5_db);
    test_db_drop(db);
    test_db_drop(md5_db);
    torture_note("secrets, every command: %zu commands through URL, PGPASSWORD and a service "
                 "file, 3 through the other %d channels, as " TORTURE_SCRAM " (scram-sha-256); "
                 "as " TORTURE_MD5 " (md5) through 3 channels; text and JSON by turns: %ld "
                 "runs, %ld JSON lines checked, %ld history rows scanned, no password anywhere "
                 "(%.1f s)", sizeof(sequence) / sizeof(sequence[0]), N_CHANNELS - 3,
                 runs - before, json_lines, history_rows, test_now_s() - t0);
}
END_TEST

/*
 * Connecting fails: a wrong password (every channel, both roles), a
 * missing database, a closed port, no connection slots, with and without
 * --wait; malformed and unencoded URLs.
 */
START_TEST(test_connection_errors)
{
    static const char *const migrate[] = { "migrate", NULL };
    static const char *const check[] = { "check", NULL };
    static const char *const wait1[] = { "migrate", "--wait", "0.3", NULL };
    static const char *const current[] = { "current", NULL };
    char db[64], *s;
    size_t ch, f;
    long before = runs;
    int fd, closed;
    char closed_port[16];
    double t0 = test_now_s();

    owned_db(db, sizeof(db), TORTURE_SCRAM);
    closed = test_closed_port(&fd);
    snprintf(closed_port, sizeof(closed_port), "%d", closed);
    for (ch = 0; ch < N_CHANNELS; ch++)
        for (f = 0; f < 2; f++) {
            struct cred c;

            /* A wrong password fails at once, --wait or not. */
            make_cred(&c, (enum channel)ch, TORTURE_SCRAM, true, db, NULL);
            srun(&c, formats[f], "linear", migrate, 3, NULL);
            srun(&c, formats[f], "linear", wait1, 3, NULL);
            make_cred(&c, (enum channel)ch, TORTURE_MD5, true, db, NULL);
            srun(&c, formats[f], "linear", check, 3, NULL);
            /* A missing database, a closed port (--wait: two channels suffice). */
            make_cred(&c, (enum channel)ch, TORTURE_SCRAM, false, "pcsm_no_such_database",
                      NULL);
            srun(&c, formats[f], "linear", current, 3, NULL);
            if (ch == CH_PGSERVICE)
                continue;   /* its port is the service file's */
            make_cred(&c, (enum channel)ch, TORTURE_SCRAM, false, db, closed_port);
            srun(&c, formats[f], "linear", migrate, 3, NULL);
            if (ch == CH_URL || ch == CH_PGPASSWORD)
                srun(&c, formats[f], "linear", wait1, 3, NULL);
        }

    /* Out of connection slots: waited out under --wait, then exit 3. */
    {
        PGconn *admin = test_connect("postgres");
        struct cred c;

        test_exec(admin, "ALTER ROLE " TORTURE_SCRAM " CONNECTION LIMIT 0");
        for (f = 0; f < 2; f++) {
            struct proc_result r;

            make_cred(&c, CH_URL, TORTURE_SCRAM, false, db, NULL);
            srun(&c, formats[f], "linear", wait1, 3, &r);
            ck_assert_msg(strstr(r.err, "too many connections") != NULL, "no slot: %s",
                          test_flat(test_tail(r.err, 1200)));
            proc_result_free(&r);
        }
        test_exec(admin, "ALTER ROLE " TORTURE_SCRAM " CONNECTION LIMIT -1");
        PQfinish(admin);
    }

    /* Malformed: exit 2, and the string is not repeated. */
    for (f = 0; f < 2; f++) {
        static const char *const bad[] = {
            "postgresql://" TORTURE_SCRAM ":" TORTURE_SCRAM_PASSWORD_URL "@127.0.0.1:%s/%s?bogus=1",
            "postgresql://" TORTURE_SCRAM ":" TORTURE_MARK "%%zz@127.0.0.1:%s/%s",
            "postgresql://" TORTURE_SCRAM ":" TORTURE_MARK "@[::1:%s/%s",
            "host=127.0.0.1 port=%s dbname=%s user=" TORTURE_SCRAM " password='" TORTURE_MARK,
        };
        size_t b;

        for (b = 0; b < sizeof(bad) / sizeof(bad[0]); b++) {
            struct cred c;

            make_cred(&c, CH_URL, TORTURE_SCRAM, false, db, NULL);
            ck_assert(asprintf(&s, bad[b], cluster_port(), db) > 0);
            c.url = s;
            srun(&c, formats[f], "linear", migrate, 2, NULL);
            free(s);
        }
    }
    /*
     * A password with an unencoded '/' or '@' makes libpq read part of the
     * URL as the port or the host, and its message would quote it.
     */
    for (f = 0; f < 2; f++) {
        static const char *const unencoded[] = {
            "postgresql://" TORTURE_SCRAM ":" TORTURE_MARK "/x@127.0.0.1:%s/%s",
            "postgresql://" TORTURE_SCRAM ":hunter2@" TORTURE_MARK "@127.0.0.1:%s/%s",
            "postgresql://" TORTURE_SCRAM ":" TORTURE_SCRAM_PASSWORD "@127.0.0.1:%s/%s",
        };
        size_t u;

        for (u = 0; u < sizeof(unencoded) / sizeof(unencoded[0]); u++) {
            struct cred c;

            make_cred(&c, CH_URL, TORTURE_SCRAM, false, db, NULL);
            ck_assert(asprintf(&s, unencoded[u], cluster_port(), db) > 0);
            c.url = s;
            srun(&c, formats[f], "linear", migrate, 2, NULL);
            srun(&c, formats[f], "linear", wait1, 2, NULL);
            free(s);
        }
    }
    close(fd);
    assert_history_clean(db);
    test_db_drop(db);
    torture_note("secrets, connection errors: wrong passwords (scram and md5), a missing "
                 "database, a closed port (with and without --wait) through all %d "
                 "channels, no connection slots, 4 malformed and 3 unencoded URLs, both "
                 "formats: %ld runs, no password printed (%.1f s)", N_CHANNELS, runs - before,
                 test_now_s() - t0);
}
END_TEST

/* Usage errors, bad targets, and the commands that never connect, with a password at hand. */
START_TEST(test_usage_and_target_errors)
{
    static const char *const bad_up[] = { "upgrade", "nosuchrev", NULL };
    static const char *const bad_down[] = { "downgrade", "nosuchrev", NULL };
    static const char *const bad_stamp[] = { "stamp", "zz", NULL };
    static const char *const bad_show[] = { "show", "zz", NULL };
    static const char *const bad_range[] = { "history", "-r", "zz:", NULL };
    static const char *const bad_rollback[] = { "rollback", "--revision", "zz", NULL };
    static const char *const to_base_up[] = { "upgrade", "base", NULL };
    static const char *const ambiguous[] = { "upgrade", "a1", NULL };
    static const char *const above_head[] = { "upgrade", "head+1", NULL };
    static const char *const bogus[] = { "migrate", "--bogus", NULL };
    static const char *const no_yes[] = { "reset", NULL };
    static const char *const extra[] = { "current", "extra", NULL };
    static const char *const xml[] = { "migrate", "--format=xml", NULL };
    static const char *const bad_wait[] = { "migrate", "--wait", "soon", NULL };
    static const char *const sql_online[] = { "upgrade", "base:head", NULL };
    static const char *const migrate[] = { "migrate", NULL };
    static const char *const *const at_head[] = {
        bad_up, bad_down, bad_stamp, bad_show, bad_range, bad_rollback, to_base_up, ambiguous,
        above_head, bogus, no_yes, extra, xml, bad_wait, sql_online,
    };
    static const enum channel channels[] = { CH_URL, CH_CONNINFO, CH_DATABASE_URL,
                                             CH_PGPASSWORD, CH_SERVICE };
    char db[64], dir[64], *s;
    size_t ch, f, k;
    long before = runs;
    double t0 = test_now_s();

    owned_db(db, sizeof(db), TORTURE_SCRAM);
    for (ch = 0; ch < sizeof(channels) / sizeof(channels[0]); ch++) {
        struct cred c;

        make_cred(&c, channels[ch], TORTURE_SCRAM, false, db, NULL);
        srun(&c, formats[ch % 2], "linear", migrate, 0, NULL);
        for (k = 0; k < sizeof(at_head) / sizeof(at_head[0]); k++)
            srun(&c, formats[(k + ch) % 2], "linear", at_head[k], 2, NULL);
    }

    /* The scaffolding commands never connect: a URL at hand must not show. */
    snprintf(dir, sizeof(dir), "%s/pcsm-secrets-XXXXXX", getenv("TMPDIR") ? getenv("TMPDIR")
                                                                          : "/tmp");
    ck_assert_ptr_nonnull(mkdtemp(dir));
    ck_assert(asprintf(&s, "cp %s/tests/fixtures/linear/*.c %s/tests/fixtures/linear/revisions.txt "
                           "%s/", getenv("PCSM_TEST_SOURCE_ROOT"),
                       getenv("PCSM_TEST_SOURCE_ROOT"), dir) > 0);
    ck_assert_int_eq(system(s), 0);
    free(s);
    for (f = 0; f < 2; f++) {
        const char *create[] = { "create-migration", "--dir", dir, "torture secrets", NULL };
        const char *revision[] = { "revision", "-m", "torture secrets two", "--dir", dir, NULL };
        const char *merge[] = { "merge", "-m", "join", "a10000000004", "a10000000005", "--dir",
                                dir, NULL };
        const char *with_url[] = { "create-migration", "--database-url", NULL, "x", NULL };
        const char *with_url_eq[] = { "create-migration", NULL, "x", NULL };
        const char *typo[] = { "migrate", NULL, NULL };
        struct cred c, env_c, none;

        make_cred(&env_c, CH_DATABASE_URL, TORTURE_SCRAM, false, db, NULL);
        srun(&env_c, formats[f], "linear", create, 0, NULL);
        make_cred(&env_c, CH_PCS_MIGRATE_URL, TORTURE_SCRAM, false, db, NULL);
        srun(&env_c, formats[f], "linear", revision, 0, NULL);
        srun(&env_c, formats[f], "linear", merge, 2, NULL);
        /* --database-url where it does not apply, or misspelt with the URL attached. */
        make_cred(&c, CH_URL, TORTURE_SCRAM, false, db, NULL);
        make_cred(&none, CH_URL, TORTURE_SCRAM, false, db, NULL);
        none.url = NULL;
        with_url[2] = c.url;
        srun(&none, formats[f], "linear", with_url, 2, NULL);
        ck_assert(asprintf(&s, "--database-url=%s", c.url) > 0);
        with_url_eq[1] = s;
        srun(&none, formats[f], "linear", with_url_eq, 2, NULL);
        free(s);
        ck_assert(asprintf(&s, "--databse-url=%s", c.url) > 0);
        typo[1] = s;
        srun(&none, formats[f], "linear", typo, 2, NULL);
        free(s);
    }
    ck_assert(asprintf(&s, "rm -rf %s", dir) > 0);
    ck_assert_int_eq(system(s), 0);
    free(s);
    assert_history_clean(db);
    test_db_drop(db);
    torture_note("secrets, usage and target errors: %zu errors (exit 2) through 5 channels, "
                 "scaffolding with DATABASE_URL and PCS_MIGRATE_DATABASE_URL set, the URL "
                 "given where it does not apply or to a misspelt option, both formats: "
                 "%ld runs, no password printed (%.1f s)", sizeof(at_head) / sizeof(at_head[0]),
                 runs - before, test_now_s() - t0);
}
END_TEST

/*
 * Runs that fail once connected: the lock held elsewhere (4), a failing
 * migration (1), a statement timeout (1), a changed checksum, a database
 * ahead or diverged (5), SIGTERM (143), the connection cut (3); and the
 * history rows they leave.
 */
START_TEST(test_run_errors)
{
    /* Each channel in one format, both formats in all. */
    static const enum channel channels[] = { CH_URL, CH_PGPASSWORD, CH_SERVICE,
                                             CH_PCS_MIGRATE_URL, CH_URL_FILE };
    double t0 = test_now_s();
    static const char *const to3[] = { "upgrade", "a10000000003", NULL };
    static const char *const migrate[] = { "migrate", NULL };
    static const char *const migrate_tpm[] = { "migrate", "--transaction-per-migration", NULL };
    static const char *const locked[][6] = {
        { "migrate", "--lock-timeout", "0.3", NULL },
        { "upgrade", "a10000000004", "--lock-timeout", "0.3", NULL },
        { "downgrade", "base", "--lock-timeout", "0.3", NULL },
        { "rollback", "--lock-timeout", "0.3", NULL },
        { "stamp", "a10000000005", "--lock-timeout", "0.3", NULL },
        { "reset", "--yes", "--lock-timeout", "0.3", NULL },
    };
    static const char *const check[] = { "check", NULL };
    static const char *const accept[] = { "check", "--accept", "a10000000003", NULL };
    static const char *const down4[] = { "downgrade", "a10000000004", NULL };
    static const char *const down_ahead[] = { "downgrade", "-1", NULL };
    static const char *const allow_ahead[] = { "migrate", "--allow-ahead", NULL };
    static const char *const timeout[] = { "migrate", "--transaction-per-migration",
                                           "--statement-timeout", "0.3", NULL };
    char db[64];
    size_t ch, f, k;
    long before = runs;

    for (ch = 0; ch < sizeof(channels) / sizeof(channels[0]); ch++) {
        for (f = ch % 2; f == ch % 2; f++) {
            struct cred c;
            PGconn *holder;

            owned_db(db, sizeof(db), TORTURE_SCRAM);
            make_cred(&c, channels[ch], TORTURE_SCRAM, false, db, NULL);
            /* The lock held elsewhere: exit 4, for every command that takes it. */
            srun(&c, formats[f], "linear", to3, 0, NULL);
            holder = test_connect(db);
            test_exec(holder, LOCK_SQL);
            for (k = 0; k < sizeof(locked) / sizeof(locked[0]); k++)
                srun(&c, formats[f], "linear", locked[k], 4, NULL);
            PQfinish(holder);
            /* A changed checksum: 5, until accepted (either way); then the
             * schema lacks the column the new SQL adds: drift, 6. */
            srun(&c, formats[f], "linear", migrate, 0, NULL);
            srun(&c, formats[f], "linear_changed_sql", check, 5, NULL);
            srun(&c, formats[f], "linear_changed_sql", down4, 5, NULL);
            srun(&c, formats[f], "linear_changed_sql", accept, 6, NULL);
            srun(&c, formats[f], "linear", check, 5, NULL);
            srun(&c, formats[f], "linear", accept, 0, NULL);
            /* Ahead of a shorter binary, diverged from a forked one. */
            srun(&c, formats[f], "linear_prefix", migrate, 5, NULL);
            srun(&c, formats[f], "linear_prefix", allow_ahead, 0, NULL);
            srun(&c, formats[f], "linear_prefix", down_ahead, 5, NULL);
            srun(&c, formats[f], "linear_fork", migrate, 5, NULL);
            assert_history_clean(db);
            test_db_drop(db);

            /* A failing migration, in one transaction and per migration. */
            owned_db(db, sizeof(db), TORTURE_SCRAM);
            make_cred(&c, channels[ch], TORTURE_SCRAM, false, db, NULL);
            srun(&c, formats[f], "failing", migrate, 1, NULL);
            srun(&c, formats[f], "failing", migrate_tpm, 1, NULL);
            srun(&c, formats[f], "failing", migrate, 1, NULL);
            assert_history_clean(db);
            test_db_drop(db);

            /* A statement timeout, SIGTERM, and the connection cut, in the sleeping revision. */
            owned_db(db, sizeof(db), TORTURE_SCRAM);
            make_cred(&c, channels[ch], TORTURE_SCRAM, false, db, NULL);
            set_sleep(db, "30");
            srun(&c, formats[f], "sleepy", timeout, 1, NULL);
            for (k = 0; k < 2; k++) {
                const char *argv[12];
                struct proc_result r;
                PGconn *watch = test_connect(db);
                char *backend;
                struct proc_bg b;
                size_t n = 0;

                argv[n++] = test_bin("sleepy");
                if (c.url) {
                    argv[n++] = "--database-url";
                    argv[n++] = c.url;
                }
                if (c.url_file) {
                    argv[n++] = "--database-url-file";
                    argv[n++] = c.url_file;
                }
                argv[n++] = "migrate";
                if (f) {
                    argv[n++] = "--format";
                    argv[n++] = "json";
                }
                argv[n] = NULL;
                proc_start(&b, argv, c.env, NULL);
                backend = test_await_rows(watch, "SELECT pid FROM pg_stat_activity WHERE "
                                                 "datname = current_database() AND state = "
                                                 "'active' AND query LIKE 'SELECT pg_sleep%'",
                                          30);
                ck_assert_msg(backend != NULL, "the sleeping revision never ran");
                if (k == 0) {
                    kill(b.pid, SIGTERM);
                } else {
                    char sql[64];

                    snprintf(sql, sizeof(sql), "SELECT pg_terminate_backend(%s)", backend);
                    test_exec(watch, sql);
                }
                proc_wait(&b, 30, &r);
                runs++;
                assert_clean(k ? "connection cut" : "SIGTERM", &r);
                ck_assert_msg(r.status == (k ? 3 : 143), "%s (%s, %s): exit %d | %s",
                              k ? "connection cut" : "SIGTERM", c.name, formats[f], r.status,
                              test_flat(test_tail(r.err, 1200)));
                if (f)
                    assert_json_lines("sleepy migrate", "stderr", r.err);
                proc_result_free(&r);
                free(backend);
                PQfinish(watch);
            }
            {
                PGconn *check_conn = test_connect(db);

                test_assert_query(check_conn, "SELECT count(*) FILTER (WHERE event = "
                                  "'interrupted') > 0 AND count(*) FILTER (WHERE event = "
                                  "'failed') > 0 FROM pcs_migrate_history", "t");
                PQfinish(check_conn);
            }
            assert_history_clean(db);
            test_db_drop(db);
        }
    }
    torture_note("secrets, run errors: the lock held (6 commands, exit 4), a changed checksum "
                 "and its acceptance, ahead and diverged (exit 5), a failing migration (1), "
                 "a statement timeout (1), SIGTERM (143), the connection cut (3), through %zu "
                 "channels, text and JSON: %ld runs, %ld history rows scanned in all, no "
                 "password printed or recorded (%.1f s)", sizeof(channels) / sizeof(channels[0]),
                 runs - before, history_rows, test_now_s() - t0);
}
END_TEST

/*
 * Runs `head` with a password-bearing `opt` in three forms: "opt URL"
 * before the command, "opt=URL" after it, and "opt" with a key=value
 * string; while each waits (stderr shows `wait_for`), /proc/PID/cmdline
 * holds no password but the '*'s it was overwritten with; SIGTERM then
 * ends the wait: 143, and nothing printed.  Returns how long it took.
 */
static double assert_argv_wiped(const char *db, const char *port, const char *opt,
                                const char *const *head, const char *wait_for)
{
    double t0 = test_now_s();
    size_t form, k;

    for (form = 0; form < 3; form++) {
        struct cred c;
        const char *argv[16];
        struct proc_result r;
        struct proc_bg b;
        char *cmdline, *eq;
        size_t n = 0;

        make_cred(&c, form == 2 ? CH_CONNINFO : CH_URL, TORTURE_SCRAM, false, db, port);
        ck_assert(asprintf(&eq, "%s=%s", opt, c.url) > 0);
        argv[n++] = test_bin("linear");
        if (form != 1) {
            argv[n++] = opt;
            argv[n++] = c.url;
        }
        for (k = 0; head[k]; k++)
            argv[n++] = head[k];
        if (form == 1)
            argv[n++] = eq;
        argv[n] = NULL;
        proc_start(&b, argv, c.env, NULL);
        ck_assert_msg(proc_await_stderr(&b, wait_for, 30), "%s, form %zu: never saw \"%s\"",
                      opt, form, wait_for);
        cmdline = test_proc_cmdline(b.pid);
        ck_assert_msg(!leak_in(cmdline), "%s, form %zu: the password is in /proc/%d/cmdline: %s",
                      opt, form, (int)b.pid, cmdline);
        ck_assert_msg(strstr(cmdline, opt) && strstr(cmdline, "********"),
                      "%s, form %zu: not our run, or nothing wiped: %s", opt, form, cmdline);
        free(cmdline);
        kill(b.pid, SIGTERM);
        proc_wait(&b, 30, &r);
        runs++;
        assert_clean("the password on the command line", &r);
        ck_assert_msg(r.status == 143, "%s, form %zu: exit %d | %s", opt, form, r.status,
                      test_flat(test_tail(r.err, 1200)));
        proc_result_free(&r);
        free(eq);
    }
    return test_now_s() - t0;
}

/*
 * The password given on the command line is not in /proc/PID/cmdline
 * (which every local user may read) while the run waits for the migration
 * lock, connected with it.
 */
START_TEST(test_argv_password_gone_from_cmdline)
{
    static const char *const migrate[] = { "migrate", "--lock-timeout", "60", NULL };
    char db[64];
    PGconn *holder;
    long before = runs;
    double seconds;

    owned_db(db, sizeof(db), TORTURE_SCRAM);
    holder = test_connect(db);
    test_exec(holder, LOCK_SQL);
    seconds = assert_argv_wiped(db, NULL, "--database-url", migrate,
                                "waiting for the migration lock");
    PQfinish(holder);
    assert_history_clean(db);
    test_db_drop(db);
    torture_note("secrets, the command line: a URL, a URL after '=', a key=value string; "
                 "/proc/PID/cmdline read while each run waited for the lock, connected: "
                 "%ld runs, no password in it (%.1f s)", runs - before, seconds);
}
END_TEST

/*
 * A diff side given as a URL or a key=value string is wiped as
 * --database-url is: read while the run waits for a server that does not
 * answer (a closed port).
 */
START_TEST(test_diff_side_password_gone_from_cmdline)
{
    static const char *const diff[] = { "diff", "--from", "head", "--wait", "60", NULL };
    char db[64], closed_port[16];
    long before = runs;
    double seconds;
    int fd;

    owned_db(db, sizeof(db), TORTURE_SCRAM);
    snprintf(closed_port, sizeof(closed_port), "%d", test_closed_port(&fd));
    seconds = assert_argv_wiped(db, closed_port, "--to", diff, "waiting for the server");
    close(fd);
    test_db_drop(db);
    torture_note("secrets, a diff side on the command line: a URL, a URL after '=', a "
                 "key=value string; /proc/PID/cmdline read while each run waited for the "
                 "server: %ld runs, no password in it (%.1f s)", runs - before, seconds);
}
END_TEST

/*
 * check --from-database (and create-migration --autogenerate, which parses
 * it the same way) wipes its URL as --database-url is.
 */
START_TEST(test_from_database_password_gone_from_cmdline)
{
    static const char *const check[] = { "check", "--wait", "60", NULL };
    char db[64], closed_port[16];
    long before = runs;
    double seconds;
    int fd;

    owned_db(db, sizeof(db), TORTURE_SCRAM);
    snprintf(closed_port, sizeof(closed_port), "%d", test_closed_port(&fd));
    seconds = assert_argv_wiped(db, closed_port, "--from-database", check,
                                "waiting for the server");
    close(fd);
    test_db_drop(db);
    torture_note("secrets, --from-database on the command line: a URL, a URL after '=', a "
                 "key=value string; /proc/PID/cmdline read while each run waited for the "
                 "server: %ld runs, no password in it (%.1f s)", runs - before, seconds);
}
END_TEST

static void write_secret_file(char *path, size_t size, const char *prefix, const char *text)
{
    int fd = test_temp_file(prefix, path, size);
    FILE *f = fdopen(fd, "w");

    if (!f || fputs(text, f) < 0 || fclose(f) != 0) {
        fprintf(stderr, "cannot write %s\n", path);
        exit(99);
    }
    chmod(path, 0600);
}

int main(void)
{
    Suite *s = suite_create("torture_secrets");
    TCase *tc = tcase_create("secrets");
    char *text;
    int rc;

    test_require_db();
    cluster_start();
    cluster_create_roles();
    if (asprintf(&text,
                 "[%1$s]\nhost=127.0.0.1\nport=%2$s\nuser=%1$s\npassword=%3$s\n\n"
                 "[%1$s_wrong]\nhost=127.0.0.1\nport=%2$s\nuser=%1$s\npassword=wrong-%3$s\n\n"
                 "[%4$s]\nhost=127.0.0.1\nport=%2$s\nuser=%4$s\npassword=%5$s\n\n"
                 "[%4$s_wrong]\nhost=127.0.0.1\nport=%2$s\nuser=%4$s\npassword=wrong-%5$s\n",
                 TORTURE_SCRAM, cluster_port(), TORTURE_SCRAM_PASSWORD, TORTURE_MD5,
                 TORTURE_MD5_PASSWORD) < 0)
        return 99;
    write_secret_file(service_file, sizeof(service_file), "pcsm-service", text);
    free(text);
    /* In a password file ':' and '\' are escaped. */
    if (asprintf(&text, "127.0.0.1:%1$s:*:%2$s:%3$s\n127.0.0.1:%1$s:*:%4$s:%5$s\n",
                 cluster_port(), TORTURE_SCRAM, TORTURE_MARK "/sc@ram\\:x", TORTURE_MD5,
                 TORTURE_MD5_PASSWORD) < 0)
        return 99;
    write_secret_file(pass_file, sizeof(pass_file), "pcsm-pgpass", text);
    free(text);
    if (asprintf(&text, "127.0.0.1:%1$s:*:%2$s:wrong-%3$s\n127.0.0.1:%1$s:*:%4$s:wrong-%5$s\n",
                 cluster_port(), TORTURE_SCRAM, TORTURE_MARK "/sc@ram\\:x", TORTURE_MD5,
                 TORTURE_MD5_PASSWORD) < 0)
        return 99;
    write_secret_file(wrong_pass_file, sizeof(wrong_pass_file), "pcsm-pgpass", text);
    free(text);
    /* The same two files as the .pgpass of two home directories. */
    {
        char *const dirs[2] = { home, wrong_home };
        const char *const sources[2] = { pass_file, wrong_pass_file };
        int i;

        for (i = 0; i < 2; i++) {
            char *cmd;

            snprintf(dirs[i], sizeof(home), "/tmp/pcsm-home-XXXXXX");
            if (!mkdtemp(dirs[i]) ||
                asprintf(&cmd, "cp %s %s/.pgpass && chmod 600 %s/.pgpass", sources[i],
                         dirs[i], dirs[i]) < 0 || system(cmd) != 0)
                return 99;
            free(cmd);
        }
    }
    {
        int fd = test_temp_file("pcsm-url-file", url_file, sizeof(url_file));

        fchmod(fd, 0600);
        close(fd);
    }
    torture_note("secrets: private cluster on 127.0.0.1:%s; " TORTURE_SCRAM " needs "
                 "scram-sha-256 and " TORTURE_MD5 " md5 (pg_hba.conf); passwords hold the "
                 "mark \"" TORTURE_MARK "\" and characters a URL must encode", cluster_port());

    tcase_add_checked_fixture(tc, cluster_create_roles, NULL);   /* a failed test's limit undone */
    tcase_set_timeout(tc, 600);
    tcase_add_test(tc, test_every_command_every_channel);
    tcase_add_test(tc, test_connection_errors);
    tcase_add_test(tc, test_usage_and_target_errors);
    tcase_add_test(tc, test_run_errors);
    tcase_add_test(tc, test_argv_password_gone_from_cmdline);
    tcase_add_test(tc, test_diff_side_password_gone_from_cmdline);
    tcase_add_test(tc, test_from_database_password_gone_from_cmdline);
    suite_add_tcase(s, tc);
    rc = test_run_suite(s);
    unlink(service_file);
    unlink(pass_file);
    unlink(wrong_pass_file);
    unlink(url_file);
    {
        char *cmd;

        if (asprintf(&cmd, "rm -rf %s %s", home, wrong_home) > 0) {
            if (system(cmd) != 0)
                fprintf(stderr, "could not remove %s and %s\n", home, wrong_home);
            free(cmd);
        }
    }
    cluster_stop();
    return rc;
}
