/*
 * The schema a database holds, and the schema the revisions declare as that
 * server would hold it: the catalog layer's queries run on the connection.
 * The second builds the declared model in a scratch schema, in a transaction
 * that is always rolled back, and reads it back with the same queries, so
 * both sides reach the diff in the server's own normal form (its deparsed
 * defaults and expressions, the names it chose) and nothing is left behind.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "catalog/catalog.h"
#include "live/live.h"
#include "diff/diff.h"

/* ------------------------------------------------ the schemas named */

/* Appends `name` to the NULL-terminated *names unless NULL, a system schema or there. */
static void add_name(char ***names, size_t *n, size_t *cap, const char *name)
{
    size_t i;

    if (!name || pcsm_catalog__system_schema(name))
        return;
    for (i = 0; i < *n; i++)
        if (!strcmp((*names)[i], name))
            return;
    pcsm__grow(names, cap, *n + 2, sizeof(**names));
    (*names)[(*n)++] = pcsm__xstrdup(name);
    (*names)[*n] = NULL;
}

static int cmp_name(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

/* The schemas s has objects in, or made (`refs`: those its objects name too). */
static char **schemas_of(const pcsm_schema *s, bool refs)
{
    char **names = pcsm__xcalloc(1, sizeof(*names));
    size_t n = 0, cap = 1, i, k;

    for (i = 0; i < s->n_schemas; i++)
        add_name(&names, &n, &cap, s->schemas[i]);
    for (i = 0; i < s->n_tables; i++) {
        const struct pcsm_schema_table *t = &s->tables[i];

        add_name(&names, &n, &cap, t->schema);
        for (k = 0; refs && k < t->n_columns; k++) {
            add_name(&names, &n, &cap, t->columns[k].type.schema);
            add_name(&names, &n, &cap, t->columns[k].default_type.schema);
        }
        for (k = 0; refs && k < t->n_constraints; k++)
            add_name(&names, &n, &cap, t->constraints[k].ref_schema);
        for (k = 0; refs && k < t->n_triggers; k++)
            add_name(&names, &n, &cap, t->triggers[k].function_schema);
    }
    for (i = 0; i < s->n_types; i++)
        add_name(&names, &n, &cap, s->types[i].schema);
    for (i = 0; i < s->n_collations; i++)
        add_name(&names, &n, &cap, s->collations[i].schema);
    for (i = 0; i < s->n_composites; i++) {
        add_name(&names, &n, &cap, s->composites[i].schema);
        for (k = 0; refs && k < s->composites[i].n_attributes; k++)
            add_name(&names, &n, &cap, s->composites[i].attributes[k].type.schema);
    }
    for (i = 0; i < s->n_domains; i++) {
        add_name(&names, &n, &cap, s->domains[i].schema);
        if (refs)
            add_name(&names, &n, &cap, s->domains[i].type.schema);
    }
    for (i = 0; i < s->n_ranges; i++) {
        add_name(&names, &n, &cap, s->ranges[i].schema);
        if (refs) {
            add_name(&names, &n, &cap, s->ranges[i].subtype.schema);
            add_name(&names, &n, &cap, s->ranges[i].subtype_diff_schema);
        }
    }
    for (i = 0; i < s->n_functions; i++)
        add_name(&names, &n, &cap, s->functions[i].schema);
    for (i = 0; i < s->n_sequences; i++)
        add_name(&names, &n, &cap, s->sequences[i].schema);
    for (i = 0; i < s->n_indexes; i++)
        add_name(&names, &n, &cap, s->indexes[i].schema);
    for (i = 0; i < s->n_views; i++)
        add_name(&names, &n, &cap, s->views[i].schema);
    if (n)
        qsort(names, n, sizeof(*names), cmp_name);
    return names;
}

char **pcsm_schema_names_used(const pcsm_schema *schema)
{
    return schemas_of(schema, true);
}

void pcsm_schema_names_free(char **names)
{
    size_t i;

    for (i = 0; names && names[i]; i++)
        free(names[i]);
    free(names);
}

/* ------------------------------------------------------------ reading */

/* Runs sql, then the catalog queries, and reads their results into *out. */
static int read_catalog(pcsm_ctx *ctx, pcsm_db *db, pcsm_buf *sql, const char *const *skip,
                        const struct pcsm_catalog_schema *others, size_t n_others,
                        pcsm_schema **out)
{
    PGresult **res = NULL;
    size_t n = 0;
    int rc;

    pcsm_catalog__queries(skip, others, n_others, sql);
    rc = pcsm_db__exec_all(ctx, db, sql->ptr, "reading the catalog", &res, &n);
    if (rc == 0 && n < PCSM_CATALOG_QUERIES)
        rc = pcsm_error__set(ctx, PCSM_EDB, "reading the catalog: %zu results", n);
    if (rc == 0)
        rc = pcsm_catalog__read(ctx, res + n - PCSM_CATALOG_QUERIES, out);
    pcsm_db__clear_all(res, n);
    return rc;
}

/* Each of names (NULL-terminated, or NULL) read as itself: *n of them. */
static struct pcsm_catalog_schema *as_themselves(const char *const *names, size_t *n)
{
    struct pcsm_catalog_schema *others;

    for (*n = 0; names && names[*n]; (*n)++)
        ;
    others = pcsm__xcalloc(*n + 1, sizeof(*others));
    for (*n = 0; names && names[*n]; (*n)++)
        others[*n] = (struct pcsm_catalog_schema){ names[*n], names[*n], false };
    return others;
}

int pcsm_schema_live_in(pcsm_ctx *ctx, pcsm_db *db, const char *const *also, pcsm_schema **out)
{
    const char *skip[] = { pcsm_script__version_table(&db->opts.script),
                           pcsm_script__history_table(&db->opts.script), NULL };
    pcsm_buf sql = PCSM_BUF_INIT;
    size_t n_others;
    struct pcsm_catalog_schema *others = as_themselves(also, &n_others);
    int rc;

    *out = NULL;
    pcsm_db__put_idle_settings(db, &sql);
    rc = read_catalog(ctx, db, &sql, skip, others, n_others, out);
    pcsm_buf_dispose(&sql);
    free(others);
    return rc;
}

int pcsm_schema_live(pcsm_ctx *ctx, pcsm_db *db, pcsm_schema **out)
{
    return pcsm_schema_live_in(ctx, db, NULL, out);
}

/* ------------------------------------------------- the scratch build */

/*
 * The declared model's schemas under their scratch names, for the build:
 * each slot that named one of `from` names its stand-in until restored.
 */
struct renames {
    const char *const *from;    /* the schemas the model has objects in */
    char **to;                  /* their stand-ins, pcsm_scratch_<pid>_<n> */
    size_t n;
    struct { char **slot; const char **type_slot; char *old; const char *type_old; } *done;
    size_t n_done, cap_done;
};

static const char *stand_in(const struct renames *r, const char *schema)
{
    size_t i;

    for (i = 0; schema && i < r->n; i++)
        if (!strcmp(schema, r->from[i]))
            return r->to[i];
    return NULL;
}

static void rename_slot(struct renames *r, char **slot)
{
    const char *to = stand_in(r, *slot);

    if (!to)
        return;
    pcsm__grow(&r->done, &r->cap_done, r->n_done + 1, sizeof(*r->done));
    r->done[r->n_done].slot = slot;
    r->done[r->n_done].type_slot = NULL;
    r->done[r->n_done++].old = *slot;
    *slot = (char *)to;
}

static void rename_type(struct renames *r, const char **slot)
{
    const char *to = stand_in(r, *slot);

    if (!to)
        return;
    pcsm__grow(&r->done, &r->cap_done, r->n_done + 1, sizeof(*r->done));
    r->done[r->n_done].slot = NULL;
    r->done[r->n_done].type_slot = slot;
    r->done[r->n_done++].type_old = *slot;
    *slot = to;
}

/* Every schema name of m that is one of r->from, its stand-in now. */
static void rename_all(struct renames *r, pcsm_schema *m)
{
    size_t i, k;

    for (i = 0; i < m->n_tables; i++) {
        struct pcsm_schema_table *t = &m->tables[i];

        rename_slot(r, &t->schema);
        for (k = 0; k < t->n_columns; k++) {
            rename_type(r, &t->columns[k].type.schema);
            rename_type(r, &t->columns[k].default_type.schema);
        }
        for (k = 0; k < t->n_constraints; k++)
            rename_slot(r, &t->constraints[k].ref_schema);
        for (k = 0; k < t->n_triggers; k++)
            rename_slot(r, &t->triggers[k].function_schema);
    }
    for (i = 0; i < m->n_types; i++)
        rename_slot(r, &m->types[i].schema);
    for (i = 0; i < m->n_collations; i++)
        rename_slot(r, &m->collations[i].schema);
    for (i = 0; i < m->n_composites; i++) {
        rename_slot(r, &m->composites[i].schema);
        for (k = 0; k < m->composites[i].n_attributes; k++)
            rename_type(r, &m->composites[i].attributes[k].type.schema);
    }
    for (i = 0; i < m->n_domains; i++) {
        rename_slot(r, &m->domains[i].schema);
        rename_type(r, &m->domains[i].type.schema);
    }
    for (i = 0; i < m->n_ranges; i++) {
        rename_slot(r, &m->ranges[i].schema);
        rename_type(r, &m->ranges[i].subtype.schema);
        rename_slot(r, &m->ranges[i].subtype_diff_schema);
    }
    for (i = 0; i < m->n_functions; i++)
        rename_slot(r, &m->functions[i].schema);
    for (i = 0; i < m->n_sequences; i++)
        rename_slot(r, &m->sequences[i].schema);
    for (i = 0; i < m->n_indexes; i++)
        rename_slot(r, &m->indexes[i].schema);
    for (i = 0; i < m->n_views; i++)
        rename_slot(r, &m->views[i].schema);
    for (i = 0; i < m->n_default_acls; i++)
        rename_slot(r, &m->default_acls[i].schema);
}

/* The model as it was. */
static void restore_all(struct renames *r)
{
    size_t i;

    for (i = r->n_done; i-- > 0; )
        if (r->done[i].slot)
            *r->done[i].slot = r->done[i].old;
        else
            *r->done[i].type_slot = r->done[i].type_old;
    free(r->done);
    r->done = NULL;
    r->n_done = r->cap_done = 0;
}

static void add_schema(pcsm_schema *s, const char *name)
{
    if (pcsm_schema__has_schema(s, name))
        return;
    pcsm__grow(&s->schemas, &s->cap_schemas, s->n_schemas + 1, sizeof(*s->schemas));
    s->schemas[s->n_schemas++] = pcsm__xstrdup(name);
}

/*
 * The schemas of a scratch build's model: the stand-ins all exist, so
 * those the read found say nothing.  They are the declared ones, and each
 * one `named` (NULL-terminated) that the database has, but the run's own
 * (`target`), as a live read in those schemas finds them: a schema the
 * model only uses is made outside it.
 */
static int scratch_schemas(pcsm_ctx *ctx, pcsm_db *db, const pcsm_schema *declared,
                           const char *const *named, const char *target, pcsm_schema *out)
{
    pcsm_buf sql = PCSM_BUF_INIT;
    PGresult *res = NULL;
    size_t i;
    int rc = 0, row;

    for (i = 0; i < out->n_schemas; i++)
        free(out->schemas[i]);
    out->n_schemas = 0;
    for (i = 0; i < declared->n_schemas; i++)
        add_schema(out, declared->schemas[i]);
    if (!named[0])
        return 0;
    pcsm_buf_puts(&sql, "SELECT nspname FROM pg_namespace WHERE nspname IN (");
    for (i = 0; named[i]; i++) {
        if (i)
            pcsm_buf_puts(&sql, ", ");
        pcsm_sql__literal(&sql, named[i]);
    }
    pcsm_buf_puts(&sql, ") AND nspname IS DISTINCT FROM ");
    if (target)
        pcsm_sql__literal(&sql, target);
    else
        pcsm_buf_puts(&sql, "NULL");
    rc = pcsm_db__exec(ctx, db, sql.ptr, "reading which schemas exist", &res);
    for (row = 0; rc == 0 && row < PQntuples(res); row++)
        add_schema(out, PQgetvalue(res, row, 0));
    PQclear(res);
    pcsm_buf_dispose(&sql);
    return rc;
}

/* Every "from" in *text (malloc'd) made "to". */
static void replace_all(char **text, const char *from, const char *to)
{
    pcsm_buf out = PCSM_BUF_INIT;
    const char *p, *at;
    size_t len = strlen(from);

    if (!*text || !strstr(*text, from))
        return;
    for (p = *text; (at = strstr(p, from)); p = at + len) {
        pcsm_buf_put(&out, p, (size_t)(at - p));
        pcsm_buf_puts(&out, to);
    }
    pcsm_buf_puts(&out, p);
    free(*text);
    *text = pcsm_buf_detach(&out);
}

static void replace_in_elements(pcsm_index_element *e, const char *from, const char *to)
{
    for (; e && (e->column || e->expression); e++)
        replace_all((char **)&e->expression, from, to);
}

/*
 * What the server deparses (defaults, generated columns, checks, index
 * expressions and predicates, trigger and policy conditions, view queries) names an
 * object of a stand-in as "stand_in.name": said again under the declared
 * schema, quoted as the server quotes it (quote_ident()), as a live read
 * of the real schema has it.
 */
static int unstand(pcsm_ctx *ctx, pcsm_db *db, const struct renames *r, pcsm_schema *m)
{
    pcsm_buf sql = PCSM_BUF_INIT;
    PGresult *res = NULL;
    size_t i, k, j;
    int rc;

    if (!r->n)
        return 0;
    pcsm_buf_puts(&sql, "SELECT ");
    for (i = 0; i < r->n; i++) {
        pcsm_buf_puts(&sql, i ? ", quote_ident(" : "quote_ident(");
        pcsm_sql__literal(&sql, r->from[i]);
        pcsm_buf_putc(&sql, ')');
    }
    rc = pcsm_db__exec(ctx, db, sql.ptr, "quoting the declared schemas' names", &res);
    for (i = 0; rc == 0 && i < r->n; i++) {
        pcsm_buf from = PCSM_BUF_INIT, to = PCSM_BUF_INIT;

        pcsm_buf_printf(&from, "%s.", r->to[i]);
        pcsm_buf_printf(&to, "%s.", PQgetvalue(res, 0, (int)i));
        for (k = 0; k < m->n_tables; k++) {
            struct pcsm_schema_table *t = &m->tables[k];

            for (j = 0; j < t->n_columns; j++) {
                replace_all((char **)&t->columns[j].default_value.text, from.ptr, to.ptr);
                replace_all(&t->columns[j].generated, from.ptr, to.ptr);
            }
            for (j = 0; j < t->n_constraints; j++) {
                replace_all(&t->constraints[j].check, from.ptr, to.ptr);
                replace_all(&t->constraints[j].where, from.ptr, to.ptr);
                replace_in_elements(t->constraints[j].elements, from.ptr, to.ptr);
            }
            for (j = 0; j < t->n_triggers; j++)
                replace_all(&t->triggers[j].when, from.ptr, to.ptr);
            for (j = 0; j < t->n_policies; j++) {
                replace_all(&t->policies[j].using, from.ptr, to.ptr);
                replace_all(&t->policies[j].with_check, from.ptr, to.ptr);
            }
        }
        for (k = 0; k < m->n_indexes; k++) {
            struct pcsm_schema_index *ix = &m->indexes[k];

            replace_all(&ix->expression, from.ptr, to.ptr);
            replace_all(&ix->where, from.ptr, to.ptr);
            replace_in_elements(ix->elements, from.ptr, to.ptr);
        }
        for (k = 0; k < m->n_views; k++)
            replace_all(&m->views[k].query, from.ptr, to.ptr);
        pcsm_buf_dispose(&from);
        pcsm_buf_dispose(&to);
    }
    PQclear(res);
    pcsm_buf_dispose(&sql);
    return rc;
}

/*
 * Every default privileges entry of the running role for every schema,
 * back to what the server gives: all revoked, then the owner's own and
 * PUBLIC's (functions, types) granted, which deletes the entry.
 */
#define RESET_DEFAULT_PRIVILEGES \
    "DO $pcsm$ DECLARE d record; g record; k text; BEGIN " \
    "FOR d IN SELECT defaclobjtype, defaclacl FROM pg_default_acl WHERE defaclnamespace = 0 " \
    "AND defaclobjtype IN ('r', 'S', 'f', 'T', 'n') " \
    "AND defaclrole = (SELECT oid FROM pg_roles WHERE rolname = current_user) LOOP " \
    "k := CASE d.defaclobjtype WHEN 'r' THEN 'TABLES' WHEN 'S' THEN 'SEQUENCES' " \
    "WHEN 'f' THEN 'FUNCTIONS' WHEN 'T' THEN 'TYPES' WHEN 'n' THEN 'SCHEMAS' END; " \
    "FOR g IN SELECT DISTINCT e.grantee FROM aclexplode(d.defaclacl) e LOOP " \
    "EXECUTE format('ALTER DEFAULT PRIVILEGES REVOKE ALL ON %s FROM %s', k, " \
    "CASE WHEN g.grantee = 0 THEN 'PUBLIC' ELSE quote_ident(pg_get_userbyid(g.grantee)) END); " \
    "END LOOP; " \
    "EXECUTE format('ALTER DEFAULT PRIVILEGES GRANT ALL ON %s TO %I', k, current_user); " \
    "IF k IN ('FUNCTIONS', 'TYPES') THEN " \
    "EXECUTE format('ALTER DEFAULT PRIVILEGES GRANT ALL ON %s TO PUBLIC', k); END IF; " \
    "END LOOP; END $pcsm$;\n"

/*
 * In the open transaction: `declared` built in a scratch schema and read
 * back, then rolled back to where it began; the caller rolls back the
 * transaction.
 */
/*
 * The build, then for each of n_stages stages its SQL (NULL: none) run in
 * the scratch schema and the catalog read into outs[k], with the
 * extensions and materialized views' populated of as[k] (NULL: declared),
 * which the scratch read cannot tell.
 */
static int build_scratch_stages(pcsm_ctx *ctx, pcsm_db *db, const pcsm_schema *declared,
                                const char *const *stages, const pcsm_schema *const *as,
                                size_t n_stages, pcsm_schema **outs)
{
    pcsm_buf sql = PCSM_BUF_INIT, name = PCSM_BUF_INIT;
    PGresult **res = NULL, *res1 = NULL;
    /*
     * The schemas the model has objects in are built under stand-ins (the
     * database may hold the real ones, objects and all) and read back as
     * themselves; the others it names (a referenced table or type made
     * outside the model) are read as they are, as a live read reads them.
     */
    char **owned = schemas_of(declared, false), **named = schemas_of(declared, true);
    struct renames ren = { (const char *const *)owned, NULL, 0, NULL, 0, 0 };
    struct pcsm_catalog_schema *others;
    pcsm_schema *m = (pcsm_schema *)declared;  /* renamed for the build, restored below */
    char *target = NULL;
    size_t n = 0, n_named, n_schemas, i, k;
    int rc;

    /*
     * What the build needs, said in one line rather than under the scratch
     * SQL: the CREATE privilege, a writable transaction.  The name is the
     * server process's, unique among live sessions of the server (a client's
     * PID is not: two containers' entrypoints are both PID 1).
     */
    rc = pcsm_db__exec(ctx, db, "SELECT has_database_privilege(current_database(), 'CREATE'), "
                       "current_database(), current_setting('transaction_read_only'), "
                       "pg_backend_pid(), current_schema()",
                       "checking what the scratch schema needs", &res1);
    if (rc == 0 && PQgetvalue(res1, 0, 0)[0] != 't')
        rc = pcsm_error__set(ctx, PCSM_EDB, "comparing the schemas needs the CREATE privilege on "
                             "database \"%s\": the declared schema is built in a scratch "
                             "schema and rolled back. Grant it to this role, or for check "
                             "skip the comparison with --no-drift", PQgetvalue(res1, 0, 1));
    else if (rc == 0 && !strcmp(PQgetvalue(res1, 0, 2), "on"))
        rc = pcsm_error__set(ctx, PCSM_EDB, "comparing the schemas needs a writable transaction "
                             "(the declared schema is built in a scratch schema and rolled "
                             "back), and this one is read-only (a standby, or "
                             "default_transaction_read_only): compare on the primary, or for "
                             "check skip the comparison with --no-drift");
    if (rc == 0)
        pcsm_buf_printf(&name, "pcsm_scratch_%s", PQgetvalue(res1, 0, 3));
    if (rc == 0 && !PQgetisnull(res1, 0, 4))
        target = pcsm__xstrdup(PQgetvalue(res1, 0, 4));
    PQclear(res1);
    for (n_named = 0; named[n_named]; n_named++)
        ;
    others = pcsm__xcalloc(n_named + 2, sizeof(*others));
    for (ren.n = 0; owned[ren.n]; ren.n++)
        ;
    ren.to = pcsm__xcalloc(ren.n + 1, sizeof(*ren.to));
    for (i = 0; rc == 0 && i < ren.n; i++) {
        pcsm_buf stand = PCSM_BUF_INIT;

        pcsm_buf_printf(&stand, "%s_%zu", name.ptr, i + 1);
        ren.to[i] = pcsm_buf_detach(&stand);
    }
    /*
     * What the build refers to in the run's own schema (made by raw SQL,
     * found on the path) is the target's, as a live read names it.
     */
    for (i = 0; i < n_named; i++) {
        const char *to = stand_in(&ren, named[i]);

        if (!to && target && !strcmp(named[i], target))
            others[i] = (struct pcsm_catalog_schema){ target, NULL, true };
        else
            others[i] = (struct pcsm_catalog_schema){ to ? to : named[i], named[i], false };
    }
    for (i = 0; target && i < n_named && strcmp(named[i], target); i++)
        ;
    if (target && i == n_named && !stand_in(&ren, target))
        others[n_named++] = (struct pcsm_catalog_schema){ target, NULL, true };
    if (rc < 0)
        goto done;
    /* Its notices ("extension ... already exists, skipping") are about a
     * build nobody asked for: not the user's to read. */
    /*
     * In a savepoint, rolled back once read: what the build changed of the
     * database's own (its default privileges, below) is undone for what the
     * caller reads next in the transaction (check: the database's schema).
     */
    pcsm_buf_puts(&sql, "SAVEPOINT pcsm_scratch;\n"
                        "SET LOCAL client_min_messages TO warning;\nCREATE SCHEMA ");
    pcsm_sql__ident(&sql, name.ptr);
    for (i = 0; i < ren.n; i++) {
        pcsm_buf_puts(&sql, ";\nCREATE SCHEMA ");
        pcsm_sql__ident(&sql, ren.to[i]);
    }
    /*
     * This role's default privileges for every schema are the database's,
     * not a schema's: set back to the server's own for the build, so that
     * the declared ones alone are made and read (and objects made under
     * them), as the declared extensions stand in below.
     */
    pcsm_buf_puts(&sql, ";\n" RESET_DEFAULT_PRIVILEGES);
    /* First on the path, so the schema's objects land there; the run's
     * schemas after it, so what they hold (types, functions) resolves. */
    pcsm_buf_puts(&sql, ";\nSELECT set_config('search_path', quote_ident(");
    pcsm_sql__literal(&sql, name.ptr);
    pcsm_buf_puts(&sql, ") || ', ' || current_setting('search_path'), true);\n");
    /*
     * Materialized views are made empty: their queries may read large
     * tables of the run's schema (what raw SQL made resolves there), and
     * this runs under the migration lock.  Whether each is populated is
     * the declared model's, copied below.  Its own CREATE SCHEMA would be
     * of a stand-in made above: left out.
     */
    rename_all(&ren, m);
    n_schemas = m->n_schemas;
    m->n_schemas = 0;
    rc = pcsm_schema__sql(ctx, m, true, &sql);
    m->n_schemas = n_schemas;
    restore_all(&ren);
    if (rc == 0)
        rc = pcsm_db__exec_all(ctx, db, sql.ptr, "building the declared schema in a scratch "
                               "schema (rolled back)", &res, &n);
    pcsm_db__clear_all(res, n);
    for (k = 0; rc == 0 && k < n_stages; k++) {
        const pcsm_schema *like = as && as[k] ? as[k] : declared;
        pcsm_schema **out = &outs[k];

        if (stages[k] && *stages[k]) {
            res = NULL;
            n = 0;
            rc = pcsm_db__exec_all(ctx, db, stages[k], k ? "running downgrade() in the "
                                   "scratch schema (rolled back)" : "running upgrade() in "
                                   "the scratch schema (rolled back)", &res, &n);
            pcsm_db__clear_all(res, n);
        }
        if (rc == 0) {
            pcsm_buf_clear(&sql);
            rc = read_catalog(ctx, db, &sql, NULL, others, n_named, out);
        }
        if (rc == 0)
            rc = unstand(ctx, db, &ren, *out);
        /* What raw SQL did is no better known on the server. */
        if (rc == 0) {
            pcsm_schema__copy_opaque(*out, declared);
            rc = scratch_schemas(ctx, db, declared, (const char *const *)named, target, *out);
            if (rc < 0) {
                pcsm_schema_free(*out);
                *out = NULL;
            }
        }
        if (rc == 0) {
            /*
             * Extensions are the database's, not a schema's: the scratch read
             * sees every one the database has, so the declared ones stand in.
             */
            while ((*out)->n_extensions)
                pcsm_schema__drop_extension(*out, &(*out)->extensions[0]);
            for (i = 0; i < like->n_extensions; i++) {
                struct pcsm_schema_extension *e = pcsm_schema__add_extension(*out);

                e->name = pcsm__xstrdup(like->extensions[i].name);
                e->cascade = like->extensions[i].cascade;
            }
            pcsm_schema__sort(*out);
            for (i = 0; i < (*out)->n_views; i++) {
                const struct pcsm_schema_view *v = pcsm_schema__view_in(like,
                                                                        (*out)->views[i].schema,
                                                                        (*out)->views[i].name);

                if (v && v->materialized)
                    (*out)->views[i].populated = v->populated;
            }
        }
    }
    if (rc == 0)
        rc = pcsm_db__run(ctx, db, "ROLLBACK TO SAVEPOINT pcsm_scratch; "
                          "RELEASE SAVEPOINT pcsm_scratch", "leaving the scratch schema");
    if (rc < 0)
        for (k = 0; k < n_stages; k++) {
            pcsm_schema_free(outs[k]);
            outs[k] = NULL;
        }
done:
    pcsm_buf_dispose(&sql);
    pcsm_buf_dispose(&name);
    for (i = 0; i < ren.n; i++)
        free(ren.to[i]);
    free(ren.to);
    free(others);
    free(target);
    pcsm_schema_names_free(owned);
    pcsm_schema_names_free(named);
    return rc;
}

/*
 * The transaction a scratch build runs in, on an idle connection: begun
 * (the caller rolls it back), or not and an error (nothing to roll back).
 */
static int begin_scratch(pcsm_ctx *ctx, pcsm_db *db)
{
    pcsm_buf sql = PCSM_BUF_INIT;
    int rc;

    if (PQtransactionStatus(db->conn) != PQTRANS_IDLE)
        return pcsm_error__set(ctx, PCSM_EINVALID, "the scratch schema needs a connection "
                               "outside any transaction");
    pcsm_buf_puts(&sql, "BEGIN;\n");
    pcsm_db__put_settings(db, &sql);
    rc = pcsm_db__run(ctx, db, sql.ptr, "starting a transaction for the scratch schema");
    if (rc < 0)
        pcsm_db__rollback(db);
    pcsm_buf_dispose(&sql);
    return rc;
}

static int build_scratch(pcsm_ctx *ctx, pcsm_db *db, const pcsm_schema *declared,
                         pcsm_schema **out)
{
    static const char *const none[] = { NULL };

    *out = NULL;
    return build_scratch_stages(ctx, db, declared, none, NULL, 1, out);
}

int pcsm_schema_on_server(pcsm_ctx *ctx, pcsm_db *db, const pcsm_schema *declared,
                          pcsm_schema **out)
{
    int rc;

    *out = NULL;
    rc = begin_scratch(ctx, db);
    if (rc < 0)
        return rc;
    rc = build_scratch(ctx, db, declared, out);
    pcsm_db__rollback(db);
    return rc;
}

int pcsm_schema_prove(pcsm_ctx *ctx, pcsm_db *db, const pcsm_schema *declared,
                      const char *up_sql, const char *down_sql, const pcsm_schema *want_up,
                      const pcsm_schema *want_down, pcsm_diff **up_diff, pcsm_diff **down_diff)
{
    const char *const stages[] = { up_sql, down_sql };
    const pcsm_schema *const as[] = { want_up, want_down };
    pcsm_schema *got[2] = { NULL, NULL };
    int rc;

    *up_diff = *down_diff = NULL;
    rc = begin_scratch(ctx, db);
    if (rc < 0)
        return rc;
    rc = build_scratch_stages(ctx, db, declared, stages, as, 2, got);
    pcsm_db__rollback(db);
    if (rc == 0)
        rc = pcsm_diff_models(ctx, want_up, got[0], up_diff);
    if (rc == 0)
        rc = pcsm_diff_models(ctx, want_down, got[1], down_diff);
    if (rc < 0) {
        pcsm_diff_free(*up_diff);
        *up_diff = NULL;
    }
    pcsm_schema_free(got[0]);
    pcsm_schema_free(got[1]);
    return rc;
}

/*
 * Under the migration lock, in one transaction: a run is either done or not
 * begun, so the version rows, the schema they declare and the schema found
 * are one state, however runs move beside the check.
 */
int pcsm_db_drift(pcsm_ctx *ctx, pcsm_db *db, pcsm_revset *at, pcsm_diff **out)
{
    const char *skip[] = { pcsm_script__version_table(&db->opts.script),
                           pcsm_script__history_table(&db->opts.script), NULL };
    pcsm_schema *declared = NULL, *on_server = NULL, *live = NULL;
    pcsm_buf sql = PCSM_BUF_INIT;
    char **ids = NULL;
    size_t n = 0, i;
    int rc;

    *out = NULL;
    at->n = 0;
    rc = pcsm_db__begin_locked(ctx, db, true, &ids, &n);
    for (i = 0; rc == 0 && i < n; i++) {
        const pcsm_revision *rev = pcsm_state__find_exact(ctx, ids[i]);

        if (!rev)
            rc = pcsm_error__set(ctx, PCSM_EINCONSISTENT, "the database moved to revision %s, "
                                 "unknown to this binary, during the check", ids[i]);
        else
            pcsm_revset_add(ctx, at, rev);
    }
    if (rc == 0)
        rc = pcsm_schema_declared(ctx, at, &declared);
    if (rc == 0)
        rc = build_scratch(ctx, db, declared, &on_server);
    if (rc == 0) {
        /* Back to the run's own schema for what the database holds. */
        char **names = pcsm_schema_names_used(declared);
        size_t n_others;
        struct pcsm_catalog_schema *others = as_themselves((const char *const *)names,
                                                           &n_others);

        pcsm_db__put_search_path(db, true, &sql);
        rc = read_catalog(ctx, db, &sql, skip, others, n_others, &live);
        free(others);
        pcsm_schema_names_free(names);
    }
    pcsm_db__rollback(db);
    if (rc == 0)
        rc = pcsm_diff_models(ctx, on_server, live, out);
    pcsm_db__free_ids(ids, n);
    pcsm_buf_dispose(&sql);
    pcsm_schema_free(declared);
    pcsm_schema_free(on_server);
    pcsm_schema_free(live);
    return rc;
}
