/*
 * Introspection: tables, columns (identity, generated, collation too),
 * constraints, indexes, extensions, enum types, functions, triggers,
 * sequences, views, row security and policies of the target schema and of
 * the schemas listed besides it (each object with its schema's name), the
 * objects there the model has no place for (named only), and which of
 * those schemas exist, thirteen queries in one round trip, into the model.
 * Names come back as the catalog holds them; types map onto the DDL API's kinds where
 * the API can say them, and otherwise keep the server's spelling, so that
 * a column the API could not have made never compares equal to one it did.
 * What an extension brings (its types, functions, tables) is the
 * extension's, never the schema's own.
 */
#include <stdlib.h>
#include <string.h>

#include "catalog/catalog.h"

/* The columns query's column of a type's schema, after the seven of a sequence. */
#define COLUMN_TYPE_SCHEMA 22

bool pcsm_catalog__system_schema(const char *name)
{
    return !strcmp(name, "pg_catalog") || !strcmp(name, "information_schema") ||
           !strncmp(name, "pg_toast", 8) || !strncmp(name, "pg_temp", 7);
}

/* The schemas read: the target, and each of `others` that is not a system one. */
static void put_in_schemas(pcsm_buf *out, const struct pcsm_catalog_schema *others,
                           size_t n_others)
{
    size_t i;

    pcsm_buf_puts(out, "(SELECT oid FROM pg_namespace WHERE nspname = current_schema()");
    for (i = 0; i < n_others; i++)
        if (!pcsm_catalog__system_schema(others[i].name) && !others[i].refs_only) {
            pcsm_buf_puts(out, " OR nspname = ");
            pcsm_sql__literal(out, others[i].name);
        }
    pcsm_buf_putc(out, ')');
}

/*
 * The model's schema of the namespace `oid`: NULL for the target, the `as`
 * of one of `others`, else (`keep_other`) the namespace's own name, which
 * a reference to an object outside the schemas read keeps; without
 * keep_other, NULL there too.
 */
static void put_schema_of(pcsm_buf *out, const char *oid, const struct pcsm_catalog_schema *others,
                          size_t n_others, bool keep_other)
{
    size_t i;

    pcsm_buf_puts(out, "(SELECT CASE WHEN sn.nspname = current_schema() THEN NULL");
    for (i = 0; i < n_others; i++)
        if (!pcsm_catalog__system_schema(others[i].name)) {
            pcsm_buf_puts(out, " WHEN sn.nspname = ");
            pcsm_sql__literal(out, others[i].name);
            pcsm_buf_puts(out, " THEN ");
            if (others[i].as)
                pcsm_sql__literal(out, others[i].as);
            else
                pcsm_buf_puts(out, "NULL");
        }
    pcsm_buf_printf(out, " ELSE %s END FROM pg_namespace sn WHERE sn.oid = %s)",
                    keep_other ? "sn.nspname::text" : "NULL", oid);
}

/* Not a member of an extension (pg_depend deptype 'e'): `oid` of catalog `cls`. */
static void put_not_member(pcsm_buf *out, const char *cls, const char *oid)
{
    pcsm_buf_printf(out, "NOT EXISTS (SELECT 1 FROM pg_depend dep WHERE dep.classid = "
                         "'%s'::regclass AND dep.objid = %s AND dep.deptype = 'e')", cls, oid);
}

/*
 * "ns IN (the schemas read) AND <not an extension's>": an object of its
 * own (catalog `cls`, its oid column `oid`) in one of the schemas read.
 */
static void put_own_in_schemas(pcsm_buf *out, const struct pcsm_catalog_schema *others,
                               size_t n_others, const char *cls, const char *oid)
{
    put_in_schemas(out, others, n_others);
    pcsm_buf_puts(out, " AND ");
    put_not_member(out, cls, oid);
}

/* What the queries read: besides the target schema, these. */
struct scope {
    const char *const *skip;
    const struct pcsm_catalog_schema *others;
    size_t n_others;
};

/*
 * The schemas' relations of `kinds` (relkind letters, quoted), less the
 * skipped ones: the tool's bookkeeping, which is in the target schema.
 */
static void put_relations_of_schema(const struct scope *sc, const char *rel, const char *kinds,
                                    pcsm_buf *out)
{
    pcsm_buf oid = PCSM_BUF_INIT;
    size_t i;

    pcsm_buf_printf(out, "%s.relnamespace IN ", rel);
    put_in_schemas(out, sc->others, sc->n_others);
    pcsm_buf_printf(out, " AND %s.relkind IN (%s) AND ", rel, kinds);
    pcsm_buf_printf(&oid, "%s.oid", rel);
    put_not_member(out, "pg_class", oid.ptr);
    pcsm_buf_dispose(&oid);
    for (i = 0; sc->skip && sc->skip[i]; i++) {
        pcsm_buf_printf(out, " AND (%s.relname <> ", rel);
        pcsm_sql__literal(out, sc->skip[i]);
        pcsm_buf_printf(out, " OR %s.relnamespace <> (SELECT oid FROM pg_namespace "
                             "WHERE nspname = current_schema()))", rel);
    }
}

/* The schemas' ordinary and partitioned tables, less the skipped ones. */
static void put_tables_of_schema(const struct scope *sc, const char *rel, pcsm_buf *out)
{
    put_relations_of_schema(sc, rel, "'r', 'p'", out);
}

/* The names of attribute numbers `keys` of relation `relid`, in key order. */
static void put_attnames(pcsm_buf *out, const char *keys, const char *relid)
{
    pcsm_buf_printf(out, "ARRAY(SELECT a.attname FROM unnest(%s) WITH ORDINALITY u(n, o) "
                         "JOIN pg_attribute a ON a.attrelid = %s AND a.attnum = u.n "
                         "ORDER BY u.o)", keys, relid);
}

/* A pg_sequence row's options, as read_seq() reads them (seven columns). */
static void put_seq_columns(pcsm_buf *out, const char *q)
{
    pcsm_buf_printf(out, "format_type(%s.seqtypid, NULL), %s.seqincrement, %s.seqmin, "
                         "%s.seqmax, %s.seqstart, %s.seqcache, %s.seqcycle",
                    q, q, q, q, q, q, q);
}

/*
 * The keys of index `i` (pg_index under that alias in the query), as five
 * arrays, each followed by ", ": its column ('' for an expression),
 * its expression ('' for a column), its collation ('' when the column's, or
 * for an expression its type's: the collation an expression derives from a
 * collated column is not in the catalog, so such a key reads as COLLATE'd),
 * its operator class ('' when a default one, as pg_get_indexdef() leaves it
 * unsaid) and its indoption bits (1 DESC, 2 NULLS FIRST).  No index (a
 * LEFT JOIN's NULL row) gives five empty arrays.
 */
static void put_key_arrays(pcsm_buf *out)
{
    pcsm_buf_puts(out,
        "ARRAY(SELECT coalesce(a.attname, '') FROM generate_series(1, i.indnkeyatts) n "
        "LEFT JOIN pg_attribute a ON a.attrelid = i.indrelid AND a.attnum = i.indkey[n - 1] "
        "AND i.indkey[n - 1] <> 0 ORDER BY n), "
        "ARRAY(SELECT CASE WHEN i.indkey[n - 1] = 0 "
        "THEN pg_get_indexdef(i.indexrelid, n, true) ELSE '' END "
        "FROM generate_series(1, i.indnkeyatts) n ORDER BY n), "
        "ARRAY(SELECT CASE WHEN i.indcollation[n - 1] = 0 OR i.indcollation[n - 1] = "
        "coalesce(a.attcollation, et.typcollation) THEN '' ELSE co.collname END "
        "FROM generate_series(1, i.indnkeyatts) n "
        "LEFT JOIN pg_attribute a ON a.attrelid = i.indrelid AND a.attnum = i.indkey[n - 1] "
        "AND i.indkey[n - 1] <> 0 "
        "JOIN pg_attribute ia ON ia.attrelid = i.indexrelid AND ia.attnum = n "
        "JOIN pg_type et ON et.oid = ia.atttypid "
        "LEFT JOIN pg_collation co ON co.oid = i.indcollation[n - 1] ORDER BY n), "
        "ARRAY(SELECT CASE WHEN oc.opcdefault THEN '' WHEN pg_opclass_is_visible(oc.oid) "
        "THEN oc.opcname ELSE ons.nspname || '.' || oc.opcname END "
        "FROM generate_series(1, i.indnkeyatts) n JOIN pg_opclass oc "
        "ON oc.oid = i.indclass[n - 1] JOIN pg_namespace ons ON ons.oid = oc.opcnamespace "
        "ORDER BY n), "
        "ARRAY(SELECT i.indoption[n - 1] FROM generate_series(1, i.indnkeyatts) n ORDER BY n), ");
}

/*
 * Whether ACL `acl` of an object of role `owner` in namespace `ns` is not
 * what the server gives a new one there: the owner's default privileges
 * for the kind (pg_default_acl's kind `defacl`; its global entry replaces
 * acldefault() of `builtin`, the schema's adds to it), compared as sets of
 * grants, since the server merges the two lists.  NULL is the default.
 */
static void put_acl_not_default(pcsm_buf *out, const char *acl, const char *defacl,
                                const char *builtin, const char *owner, const char *ns)
{
    pcsm_buf wanted = PCSM_BUF_INIT;

    pcsm_buf_printf(&wanted,
        "coalesce((SELECT d.defaclacl FROM pg_default_acl d WHERE d.defaclrole = %s AND "
        "d.defaclnamespace = 0 AND d.defaclobjtype = %s), acldefault(%s, %s)) || "
        "coalesce((SELECT d.defaclacl FROM pg_default_acl d WHERE d.defaclrole = %s AND "
        "d.defaclnamespace = %s AND d.defaclobjtype = %s), '{}'::aclitem[])",
        owner, defacl, builtin, owner, owner, ns, defacl);
    /* A privilege granted twice, once WITH GRANT OPTION, is one grant with it. */
#define GRANTS "(SELECT e.grantor, e.grantee, e.privilege_type, bool_or(e.is_grantable) " \
               "FROM aclexplode(%s) e GROUP BY 1, 2, 3)"
    pcsm_buf_printf(out, "%s IS NOT NULL AND EXISTS ((" GRANTS " EXCEPT " GRANTS ") UNION ALL "
                    "(" GRANTS " EXCEPT " GRANTS "))", acl, acl, wanted.ptr, wanted.ptr, acl);
#undef GRANTS
    pcsm_buf_dispose(&wanted);
}

/*
 * Whether the owner of an object lacks some of its own privileges, which
 * the model does not keep: they are listed.  Its own are what a new one
 * gets: its default privileges for every schema (pg_default_acl's kind
 * `defacl`), else the server's default for kind `builtin` ("char").
 */
static void put_owner_revoked(pcsm_buf *out, const char *acl, const char *defacl,
                              const char *builtin, const char *owner)
{
    pcsm_buf_printf(out, "%s IS NOT NULL AND EXISTS (SELECT e.privilege_type FROM "
                    "aclexplode(coalesce((SELECT d.defaclacl FROM pg_default_acl d WHERE "
                    "d.defaclrole = %s AND d.defaclnamespace = 0 AND d.defaclobjtype = %s), "
                    "acldefault((%s)::\"char\", %s))) e WHERE e.grantee = %s "
                    "EXCEPT SELECT e.privilege_type FROM aclexplode(%s) e WHERE e.grantee = %s)",
                    acl, owner, defacl, builtin, owner, owner, acl, owner);
}

/* `kind`, `name`, `ns` of the relations of `kinds` in the schemas read, by `where` besides. */
static void put_unmodelled_relations(pcsm_buf *out, const struct scope *sc, const char *kind,
                                     const char *name, const char *kinds, const char *from,
                                     const char *where)
{
    pcsm_buf_printf(out, " UNION ALL SELECT %s, %s, c.relnamespace FROM %s WHERE %s AND ",
                    kind, name, from, where);
    put_relations_of_schema(sc, "c", kinds, out);
}

/* `kind`, `name`, `ns` of the objects of catalog `cls` in the schemas read, by `where`. */
static void put_unmodelled_objects(pcsm_buf *out, const struct scope *sc, const char *kind,
                                   const char *name, const char *ns, const char *cls,
                                   const char *from, const char *oid, const char *where)
{
    pcsm_buf_printf(out, " UNION ALL SELECT %s, %s, %s FROM %s WHERE %s AND %s IN ",
                    kind, name, ns, from, where, ns);
    put_own_in_schemas(out, sc->others, sc->n_others, cls, oid);
}

/*
 * One object kind's grants to roles other than its owner, as rows of
 * (kind, schema, name, signature, column, grantee, privilege, grantable):
 * `acl` of the rows `from` gives, NULL read as the server's default for
 * `builtin`.  PUBLIC is grantee 0, NULL here as in the model.
 */
static void put_grants(pcsm_buf *out, const char *kind, const char *ns, const char *name,
                       const char *signature, const char *column, const char *acl,
                       const char *builtin, const char *owner, const char *from,
                       const struct scope *sc, const char *where)
{
    pcsm_buf_printf(out, " UNION ALL SELECT %s, ", kind);
    put_schema_of(out, ns, sc->others, sc->n_others, false);
    pcsm_buf_printf(out, ", %s::text, %s, %s::text, CASE WHEN e.grantee <> 0 THEN "
                    "pg_get_userbyid(e.grantee)::text END, e.privilege_type, e.is_grantable "
                    "FROM %s, aclexplode(coalesce(%s, acldefault(%s, %s))) e "
                    "WHERE e.grantee <> %s AND ", name, signature, column, from, acl, builtin,
                    owner, owner);
    pcsm_buf_puts(out, where);
}

/*
 * Privileges: the grants of every object the model reads (tables, views,
 * sequences and their columns, functions, enums, domains and composite
 * types) to roles other than their owner, then the default privileges.
 * A default privileges entry for every schema is read without its role's
 * own grants, which the model does not keep; the role that reads is the
 * model's own (NULL), as the one the migrations ran as.
 */
static void put_privileges(pcsm_buf *out, const struct scope *sc)
{
    pcsm_buf where = PCSM_BUF_INIT;

    pcsm_buf_puts(out, "SELECT g.* FROM (SELECT NULL::text AS kind, NULL::text AS ns, "
                       "NULL::text AS name, NULL::text AS signature, NULL::text AS col, "
                       "NULL::text AS grantee, NULL::text AS privilege, NULL::bool AS grantable "
                       "WHERE false");
    put_relations_of_schema(sc, "c", "'r', 'p', 'v', 'm', 'S'", &where);
    put_grants(out, "CASE WHEN c.relkind = 'S' THEN 'S' ELSE 'r' END", "c.relnamespace",
               "c.relname", "NULL", "NULL", "c.relacl",
               "(CASE WHEN c.relkind = 'S' THEN 's' ELSE 'r' END)::\"char\"", "c.relowner",
               "pg_class c", sc, where.ptr);
    pcsm_buf_clear(&where);
    pcsm_buf_puts(&where, "a.attnum > 0 AND NOT a.attisdropped AND ");
    put_relations_of_schema(sc, "c", "'r', 'p'", &where);
    put_grants(out, "'c'", "c.relnamespace", "c.relname", "NULL", "a.attname", "a.attacl",
               "'c'", "c.relowner", "pg_attribute a JOIN pg_class c ON c.oid = a.attrelid",
               sc, where.ptr);
    pcsm_buf_clear(&where);
    pcsm_buf_puts(&where, "p.prokind = 'f' AND p.pronamespace IN ");
    put_own_in_schemas(&where, sc->others, sc->n_others, "pg_proc", "p.oid");
    put_grants(out, "'f'", "p.pronamespace", "p.proname",
               "pg_get_function_identity_arguments(p.oid)", "NULL", "p.proacl", "'f'",
               "p.proowner", "pg_proc p", sc, where.ptr);
    pcsm_buf_clear(&where);
    pcsm_buf_puts(&where, "(t.typtype IN ('e', 'd', 'r') OR (t.typtype = 'c' AND EXISTS "
                          "(SELECT 1 FROM pg_class r WHERE r.oid = t.typrelid AND "
                          "r.relkind = 'c'))) AND t.typnamespace IN ");
    put_own_in_schemas(&where, sc->others, sc->n_others, "pg_type", "t.oid");
    put_grants(out, "'T'", "t.typnamespace", "t.typname", "NULL", "NULL", "t.typacl", "'T'",
               "t.typowner", "pg_type t", sc, where.ptr);
    pcsm_buf_dispose(&where);
    pcsm_buf_puts(out, ") g ORDER BY g.kind, g.ns COLLATE \"C\", g.name COLLATE \"C\", "
                       "g.signature COLLATE \"C\", g.col COLLATE \"C\", "
                       "g.grantee COLLATE \"C\", g.privilege;\n");

    /* An entry with no grants but its role's still says something: every row is kept. */
    pcsm_buf_puts(out, "SELECT g.* FROM (SELECT CASE WHEN d.defaclrole <> (SELECT r.oid "
                       "FROM pg_roles r WHERE r.rolname = current_user) THEN "
                       "pg_get_userbyid(d.defaclrole)::text END AS role, "
                       "d.defaclnamespace <> 0 AS in_schema, ");
    put_schema_of(out, "d.defaclnamespace", sc->others, sc->n_others, false);
    pcsm_buf_puts(out, " AS ns, d.defaclobjtype AS kind, CASE WHEN e.grantee <> 0 THEN "
        "pg_get_userbyid(e.grantee)::text END AS grantee, e.privilege_type, e.is_grantable "
        "FROM pg_default_acl d LEFT JOIN LATERAL aclexplode(d.defaclacl) e "
        "ON e.grantee <> d.defaclrole OR d.defaclnamespace <> 0 "
        "WHERE d.defaclobjtype IN ('r', 'S', 'f', 'T') AND (d.defaclnamespace = 0 OR "
        "d.defaclnamespace IN ");
    put_in_schemas(out, sc->others, sc->n_others);
    pcsm_buf_puts(out, ")) g ORDER BY g.role COLLATE \"C\", g.in_schema, g.ns COLLATE \"C\", "
                       "g.kind, g.grantee COLLATE \"C\";\n");
}

/*
 * Whether the inheritance of table `c` (an alias) is the model's: it is no
 * partition, and each of its parents is a table in its schema.
 */
#define INHERITANCE_READ(c) \
    "NOT " c ".relispartition AND NOT EXISTS (SELECT 1 FROM pg_inherits mi " \
    "JOIN pg_class mp ON mp.oid = mi.inhparent WHERE mi.inhrelid = " c ".oid " \
    "AND (mp.relnamespace <> " c ".relnamespace OR mp.relkind <> 'r'))"

/*
 * What the model has no place for, as (kind, name, schema) rows: types
 * other than enums, composite and range types and domains, foreign and partitioned tables and
 * partitions, inheritance, rules, triggers on views, routines other than
 * functions, operators and their classes, statistics, text search,
 * privileges that are not the owner's default (a schema's among them),
 * default privileges,
 * unlogged tables and storage options, comments on what else has them
 * (a view's columns, the index behind a key, a procedure, a domain's
 * constraint, ...),
 * and the database's event triggers and publications.  A name carries
 * what tells two apart that a reader would call different (the options
 * of a table), so that a change shows as one gone and one come.
 */
static void put_unmodelled(pcsm_buf *out, const struct scope *sc)
{
    static const char *const comments[][5] = {
        /* catalog, its namespace column, what the name says, its oid column, which */
        { "pg_proc", "o.pronamespace",
          "'on ' || CASE o.prokind WHEN 'p' THEN 'procedure ' WHEN 'a' THEN 'aggregate ' "
          "WHEN 'w' THEN 'window function ' ELSE 'function ' END || o.proname || '(' || "
          "pg_get_function_identity_arguments(o.oid) || ')'", "o.oid",
          /* not those the functions query reads */
          "(o.prokind <> 'f' OR EXISTS (SELECT 1 FROM pg_depend di WHERE di.classid = "
          "'pg_proc'::regclass AND di.objid = o.oid AND di.deptype = 'i'))" },
        { "pg_type", "o.typnamespace", "'on type ' || o.typname", "o.oid",
          /* a table's row type has none of its own in the model: listed */
          "NOT (o.typtype IN ('e', 'd', 'r') OR (o.typtype = 'c' AND EXISTS (SELECT 1 FROM "
          "pg_class r WHERE r.oid = o.typrelid AND r.relkind = 'c')))" },
        /* COMMENT ON CONSTRAINT ... ON DOMAIN: no call makes one */
        { "pg_constraint", "o.connamespace", "'on constraint ' || o.conname || ' on domain ' "
          "|| format_type(o.contypid, NULL)", "o.oid", "o.contypid <> 0" },
        { "pg_collation", "o.collnamespace", "'on collation ' || o.collname", "o.oid", "true" },
    };
    pcsm_buf cond = PCSM_BUF_INIT;
    size_t i;

    pcsm_buf_puts(out, "SELECT u.kind, u.name, ");
    put_schema_of(out, "u.ns", sc->others, sc->n_others, false);
    pcsm_buf_puts(out, " FROM (SELECT NULL::text AS kind, NULL::text AS name, "
                       "NULL::oid AS ns WHERE false");
    put_unmodelled_objects(out, sc, "'base type'", "t.typname::text",
        "t.typnamespace", "pg_type", "pg_type t", "t.oid",
        "t.typisdefined AND t.typtype = 'b' AND NOT (t.typelem <> 0 AND t.typcategory = 'A')");
    put_unmodelled_objects(out, sc, "'collation'", "co.collname::text", "co.collnamespace",
                           "pg_collation", "pg_collation co", "co.oid",
                           "co.collprovider NOT IN ('c', 'i')");
    put_unmodelled_relations(out, sc, "'foreign table'", "c.relname::text", "'f'",
                             "pg_class c", "true");
    put_unmodelled_relations(out, sc, "'partition'",
        "c.relname || ' of ' || pn.nspname || '.' || p.relname || ' ' || "
        "pg_get_expr(c.relpartbound, c.oid)", "'r', 'p', 'f'",
        "pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid "
        "JOIN pg_class p ON p.oid = i.inhparent JOIN pg_namespace pn ON pn.oid = p.relnamespace",
        "c.relispartition AND (p.relnamespace <> c.relnamespace OR c.relkind = 'f')");
    /* CREATE TABLE x OF type: its columns are the type's, which the model cannot say. */
    put_unmodelled_relations(out, sc, "'typed table'",
        "c.relname || ' of ' || format_type(c.reloftype, NULL)", "'r', 'p'", "pg_class c",
        "c.reloftype <> 0");
    put_unmodelled_relations(out, sc, "'inheritance'",
        "c.relname || ' inherits ' || p.relname", "'r', 'p'",
        "pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid "
        "JOIN pg_class p ON p.oid = i.inhparent",
        "NOT c.relispartition AND NOT (" INHERITANCE_READ("c") ")");
    put_unmodelled_relations(out, sc, "'rule'", "c.relname || '.' || w.rulename",
        "'r', 'p', 'v', 'm', 'f'", "pg_rewrite w JOIN pg_class c ON c.oid = w.ev_class",
        "w.rulename <> '_RETURN'");
    put_unmodelled_relations(out, sc, "'trigger'", "c.relname || '.' || g.tgname",
        "'v', 'f'", "pg_trigger g JOIN pg_class c ON c.oid = g.tgrelid",
        "NOT g.tgisinternal");
    put_unmodelled_objects(out, sc,
        "CASE p.prokind WHEN 'p' THEN 'procedure' WHEN 'a' THEN 'aggregate' "
        "ELSE 'window function' END",
        "p.proname || '(' || pg_get_function_identity_arguments(p.oid) || ')'",
        "p.pronamespace", "pg_proc", "pg_proc p", "p.oid", "p.prokind <> 'f'");
    put_unmodelled_objects(out, sc, "'operator'",
        "o.oprname || '(' || CASE WHEN o.oprleft = 0 THEN 'NONE' "
        "ELSE format_type(o.oprleft, NULL) END || ', ' || format_type(o.oprright, NULL) "
        "|| ')'", "o.oprnamespace", "pg_operator", "pg_operator o", "o.oid", "true");
    put_unmodelled_objects(out, sc, "'operator class'",
        "oc.opcname || ' for ' || am.amname", "oc.opcnamespace", "pg_opclass",
        "pg_opclass oc JOIN pg_am am ON am.oid = oc.opcmethod", "oc.oid", "true");
    put_unmodelled_objects(out, sc, "'statistics'", "x.stxname::text", "x.stxnamespace",
                           "pg_statistic_ext", "pg_statistic_ext x", "x.oid", "true");
    put_unmodelled_objects(out, sc, "'text search configuration'", "f.cfgname::text",
                           "f.cfgnamespace", "pg_ts_config", "pg_ts_config f", "f.oid",
                           "true");
    put_unmodelled_objects(out, sc, "'text search dictionary'", "f.dictname::text",
                           "f.dictnamespace", "pg_ts_dict", "pg_ts_dict f", "f.oid", "true");
    /*
     * Privileges the model has no place for (put_privileges() reads the
     * rest): what GRANT and REVOKE left on a foreign table, a view's
     * columns, a procedure or aggregate, a base or range type, an identity
     * column's sequence, that a new one would not have had (so default
     * privileges that gave them are no noise); an owner's own, revoked;
     * default privileges on schemas.
     */
    put_acl_not_default(&cond, "c.relacl", "'r'", "'r'", "c.relowner", "c.relnamespace");
    put_unmodelled_relations(out, sc, "'privileges'",
        "c.relname || ' ' || c.relacl::text", "'f'", "pg_class c", cond.ptr);
    put_unmodelled_relations(out, sc, "'privileges'",
        "c.relname || '.' || a.attname || ' ' || a.attacl::text", "'v', 'm', 'f'",
        "pg_attribute a JOIN pg_class c ON c.oid = a.attrelid",
        "a.attnum > 0 AND NOT a.attisdropped AND a.attacl IS NOT NULL AND a.attacl <> '{}'");
    pcsm_buf_clear(&cond);
    put_acl_not_default(&cond, "p.proacl", "'f'", "'f'", "p.proowner", "p.pronamespace");
    pcsm_buf_puts(&cond, " AND p.prokind <> 'f'");
    put_unmodelled_objects(out, sc, "'privileges'",
        "'function ' || p.proname || '(' || pg_get_function_identity_arguments(p.oid) || ') ' "
        "|| p.proacl::text", "p.pronamespace", "pg_proc", "pg_proc p", "p.oid", cond.ptr);
    pcsm_buf_clear(&cond);
    put_acl_not_default(&cond, "t.typacl", "'T'", "'T'", "t.typowner", "t.typnamespace");
    pcsm_buf_puts(&cond, " AND NOT (t.typtype IN ('e', 'd', 'r') OR (t.typtype = 'c' AND "
                         "EXISTS (SELECT 1 FROM pg_class r WHERE r.oid = t.typrelid AND "
                         "r.relkind = 'c')))");
    put_unmodelled_objects(out, sc, "'privileges'",
        "'type ' || t.typname || ' ' || t.typacl::text", "t.typnamespace", "pg_type", "pg_type t",
        "t.oid", cond.ptr);
    /* An identity column's sequence: the model has none of its own. */
    pcsm_buf_clear(&cond);
    put_acl_not_default(&cond, "c.relacl", "'S'", "'s'", "c.relowner", "c.relnamespace");
    pcsm_buf_puts(&cond, " AND EXISTS (SELECT 1 FROM pg_depend i WHERE i.classid = "
                         "'pg_class'::regclass AND i.objid = c.oid AND i.deptype = 'i')");
    put_unmodelled_relations(out, sc, "'privileges'",
        "'identity sequence ' || c.relname || ' ' || c.relacl::text", "'S'", "pg_class c",
        cond.ptr);
    pcsm_buf_clear(&cond);
    put_owner_revoked(&cond, "c.relacl", "CASE WHEN c.relkind = 'S' THEN 'S' ELSE 'r' END",
                      "CASE WHEN c.relkind = 'S' THEN 's' ELSE 'r' END", "c.relowner");
    put_unmodelled_relations(out, sc, "'privileges'",
        "'owner''s own on ' || c.relname || ' ' || c.relacl::text", "'r', 'p', 'v', 'm', 'S'",
        "pg_class c", cond.ptr);
    pcsm_buf_clear(&cond);
    put_owner_revoked(&cond, "p.proacl", "'f'", "'f'", "p.proowner");
    put_unmodelled_objects(out, sc, "'privileges'",
        "'owner''s own on function ' || p.proname || '(' || "
        "pg_get_function_identity_arguments(p.oid) || ') ' || p.proacl::text",
        "p.pronamespace", "pg_proc", "pg_proc p", "p.oid", cond.ptr);
    pcsm_buf_clear(&cond);
    put_owner_revoked(&cond, "t.typacl", "'T'", "'T'", "t.typowner");
    put_unmodelled_objects(out, sc, "'privileges'",
        "'owner''s own on type ' || t.typname || ' ' || t.typacl::text", "t.typnamespace",
        "pg_type", "pg_type t", "t.oid", cond.ptr);
    pcsm_buf_dispose(&cond);
    pcsm_buf_puts(out,
        " UNION ALL SELECT 'default privileges', pg_get_userbyid(d.defaclrole) || ' on ' || "
        "CASE d.defaclobjtype WHEN 'r' THEN 'tables' WHEN 'S' THEN 'sequences' "
        "WHEN 'f' THEN 'functions' WHEN 'T' THEN 'types' ELSE 'schemas' END || ' ' || "
        "d.defaclacl::text, d.defaclnamespace FROM pg_default_acl d "
        "WHERE d.defaclobjtype NOT IN ('r', 'S', 'f', 'T') AND (d.defaclnamespace = 0 OR "
        "d.defaclnamespace IN ");
    put_in_schemas(out, sc->others, sc->n_others);
    pcsm_buf_putc(out, ')');
    /*
     * Privileges on a schema read, but for those initdb gives public (its
     * owner's, and USAGE to PUBLIC; CREATE too before PostgreSQL 15),
     * compared as ACLs: the model has no place for them.  A schema a run
     * makes has none, unless default privileges on schemas gave it some.
     */
    pcsm_buf_puts(out,
        " UNION ALL SELECT 'privileges', 'on schema ' || n.nspacl::text, n.oid "
        "FROM pg_namespace n, LATERAL (SELECT quote_ident(pg_get_userbyid(n.nspowner)) AS o) w "
        "WHERE n.nspacl IS NOT NULL AND n.nspacl <> acldefault('n', n.nspowner) AND "
        "NOT (n.nspname = 'public' AND n.nspacl IN ("
        "ARRAY[format('%1$s=UC/%1$s', w.o)::aclitem, format('=U/%s', w.o)::aclitem], "
        "ARRAY[format('%1$s=UC/%1$s', w.o)::aclitem, format('=UC/%s', w.o)::aclitem])) "
        "AND n.oid IN ");
    put_in_schemas(out, sc->others, sc->n_others);
    /*
     * A partition's clone of its parent's trigger is the parent's, as it
     * fires: one set to fire otherwise (ALTER TABLE partition ... TRIGGER)
     * is named, not passed over.
     */
    put_unmodelled_relations(out, sc, "'trigger firing'",
        "c.relname || '.' || g.tgname || ' ' || g.tgenabled::text", "'r', 'p'",
        "pg_trigger g JOIN pg_trigger pt ON pt.oid = "
        "coalesce((to_jsonb(g) ->> 'tgparentid')::oid, 0) JOIN pg_class c ON c.oid = g.tgrelid",
        "g.tgenabled <> pt.tgenabled");
    put_unmodelled_relations(out, sc, "'unlogged table'", "c.relname::text", "'r', 'p'",
                             "pg_class c", "c.relpersistence = 'u'");
    put_unmodelled_relations(out, sc, "'storage options'",
        "c.relname || ' ' || array_to_string(c.reloptions, ', ')", "'r', 'p', 'm', 'i'",
        "pg_class c", "c.reloptions IS NOT NULL");
    /*
     * Comments the model has no place for: on a view's columns, a foreign
     * table, the index behind a constraint, an identity column's sequence.
     */
    put_unmodelled_relations(out, sc, "'comment'",
        "CASE WHEN c.relkind IN ('i', 'I') THEN 'on index ' WHEN c.relkind = 'S' "
        "THEN 'on sequence ' WHEN c.relkind = 'v' THEN 'on view ' WHEN c.relkind = 'm' "
        "THEN 'on materialized view ' WHEN c.relkind = 'c' THEN 'on composite type ' "
        "ELSE 'on foreign table ' END || c.relname || "
        "CASE WHEN d.objsubid > 0 THEN '.' || (SELECT a.attname FROM pg_attribute a "
        "WHERE a.attrelid = c.oid AND a.attnum = d.objsubid) ELSE '' END",
        "'i', 'I', 'S', 'v', 'm', 'f', 'c'",
        "pg_class c JOIN pg_description d ON d.objoid = c.oid "
        "AND d.classoid = 'pg_class'::regclass",
        "(d.objsubid > 0 OR c.relkind = 'f' OR (c.relkind IN ('i', 'I') AND EXISTS "
        "(SELECT 1 FROM pg_constraint k WHERE k.conindid = c.oid AND k.contype IN "
        "('p', 'u', 'x'))) OR (c.relkind = 'S' AND EXISTS (SELECT 1 FROM pg_depend i "
        "WHERE i.classid = 'pg_class'::regclass AND i.objid = c.oid AND i.deptype = 'i')))");
    for (i = 0; i < sizeof(comments) / sizeof(*comments); i++) {
        pcsm_buf from = PCSM_BUF_INIT;

        pcsm_buf_printf(&from, "%s o JOIN pg_description d ON d.objoid = o.oid "
                               "AND d.classoid = '%s'::regclass", comments[i][0],
                        comments[i][0]);
        put_unmodelled_objects(out, sc, "'comment'", comments[i][2], comments[i][1],
                               comments[i][0], from.ptr, comments[i][3], comments[i][4]);
        pcsm_buf_dispose(&from);
    }
    /* A table's constraints, triggers and policies have theirs; a view's triggers not. */
    put_unmodelled_relations(out, sc, "'comment'",
        "CASE d.classoid WHEN 'pg_constraint'::regclass THEN 'on constraint ' "
        "ELSE 'on trigger ' END || c.relname || '.' || coalesce(k.conname, g.tgname)",
        "'r', 'p', 'v', 'f'",
        "pg_description d LEFT JOIN pg_constraint k ON d.classoid = "
        "'pg_constraint'::regclass AND k.oid = d.objoid LEFT JOIN pg_trigger g ON "
        "d.classoid = 'pg_trigger'::regclass AND g.oid = d.objoid JOIN pg_class c ON "
        "c.oid = coalesce(k.conrelid, g.tgrelid)",
        "(c.relkind IN ('v', 'f') OR k.contype NOT IN ('p', 'u', 'f', 'c', 'x') OR "
        "g.tgisinternal)");
    /* The database's own: seen from every schema. */
    pcsm_buf_puts(out,
        " UNION ALL SELECT 'event trigger', e.evtname::text, NULL FROM pg_event_trigger e"
        " UNION ALL SELECT 'publication', b.pubname::text, NULL FROM pg_publication b) u "
        "ORDER BY u.kind COLLATE \"C\", u.name COLLATE \"C\";\n");
}

void pcsm_catalog__queries(const char *const *skip, const struct pcsm_catalog_schema *others,
                           size_t n_others, pcsm_buf *out)
{
    const struct scope scope = { skip, others, n_others }, *sc = &scope;
    size_t i;

    /*
     * A query's column after its object's name and definition is the
     * object's schema in the model (put_schema_of()); its comment, for the
     * kinds that are no table or column, comes last.
     */
    pcsm_buf_puts(out, "SELECT c.relname, obj_description(c.oid, 'pg_class'), "
                       "c.relrowsecurity, c.relforcerowsecurity, ");
    put_schema_of(out, "c.relnamespace", others, n_others, false);
    /*
     * A partitioned table's key: its strategy, each key's column ('' for an
     * expression), the expressions in one list, each key's collation and
     * operator class when not its column's or type's default ('').  A
     * partition's parent, in its own schema, and bound.
     */
    pcsm_buf_puts(out,
        ", pt.partstrat, "
        "ARRAY(SELECT coalesce(a.attname, '') FROM generate_series(1, pt.partnatts) n "
        "LEFT JOIN pg_attribute a ON a.attrelid = c.oid AND a.attnum = pt.partattrs[n - 1] "
        "AND pt.partattrs[n - 1] <> 0 ORDER BY n), pg_get_expr(pt.partexprs, c.oid), "
        "ARRAY(SELECT CASE WHEN pt.partcollation[n - 1] IN (0, coalesce(a.attcollation, "
        "100)) THEN '' ELSE co.collname END FROM generate_series(1, pt.partnatts) n "
        "LEFT JOIN pg_attribute a ON a.attrelid = c.oid AND a.attnum = pt.partattrs[n - 1] "
        "AND pt.partattrs[n - 1] <> 0 "
        "LEFT JOIN pg_collation co ON co.oid = pt.partcollation[n - 1] ORDER BY n), "
        "ARRAY(SELECT CASE WHEN oc.opcdefault THEN '' WHEN pg_opclass_is_visible(oc.oid) "
        "THEN oc.opcname ELSE ons.nspname || '.' || oc.opcname END "
        "FROM generate_series(1, pt.partnatts) n JOIN pg_opclass oc "
        "ON oc.oid = pt.partclass[n - 1] JOIN pg_namespace ons ON ons.oid = oc.opcnamespace "
        "ORDER BY n), pa.relname, "
        "CASE WHEN pa.relname IS NOT NULL THEN pg_get_expr(c.relpartbound, c.oid) END, "
        /* Its shares: its indexes attached to its parent's, and what each is attached to. */
        /* (Not one behind a constraint of its own, which it keeps as such.) */
        "ARRAY(SELECT si.relname FROM pg_index sx JOIN pg_class si ON si.oid = sx.indexrelid "
        "JOIN pg_inherits sh ON sh.inhrelid = si.oid WHERE sx.indrelid = c.oid "
        "AND NOT EXISTS (SELECT 1 FROM pg_constraint sk WHERE sk.conindid = si.oid "
        "AND sk.conrelid = c.oid AND sk.conparentid = 0) ORDER BY si.relname), "
        "ARRAY(SELECT so.relname FROM pg_index sx JOIN pg_class si ON si.oid = sx.indexrelid "
        "JOIN pg_inherits sh ON sh.inhrelid = si.oid JOIN pg_class so ON so.oid = sh.inhparent "
        "WHERE sx.indrelid = c.oid AND NOT EXISTS (SELECT 1 FROM pg_constraint sk WHERE "
        "sk.conindid = si.oid AND sk.conrelid = c.oid AND sk.conparentid = 0) "
        "ORDER BY si.relname), "
        /* The parents it inherits (INHERITS), in order. */
        "ARRAY(SELECT ip.relname FROM pg_inherits ii JOIN pg_class ip ON ip.oid = ii.inhparent "
        "WHERE ii.inhrelid = c.oid AND " INHERITANCE_READ("c") " ORDER BY ii.inhseqno) "
        "FROM pg_class c LEFT JOIN pg_partitioned_table pt ON pt.partrelid = c.oid "
        /* A parent in another schema is not the model's to say: listed, not read. */
        "LEFT JOIN (pg_inherits pi JOIN pg_class pa ON pa.oid = pi.inhparent) "
        "ON c.relispartition AND pi.inhrelid = c.oid AND pa.relnamespace = c.relnamespace "
        "WHERE ");
    put_tables_of_schema(sc, "c", out);
    pcsm_buf_puts(out, " ORDER BY c.relname COLLATE \"C\";\n");

    /* The element type of an array column, its dimensions apart. */
    pcsm_buf_puts(out,
        "SELECT c.relname, a.attname, et.typname, et.typnamespace = 'pg_catalog'::regnamespace, "
        "t.typcategory = 'A' AND t.typelem <> 0, a.attndims, a.atttypmod, a.attnotnull, "
        "pg_get_expr(d.adbin, d.adrelid), col_description(c.oid, a.attnum), "
        "format_type(a.atttypid, a.atttypmod), a.attidentity, a.attgenerated, "
        "CASE WHEN a.attcollation <> t.typcollation THEN co.collname END, sc.relname, ");
    put_seq_columns(out, "sq");
    /*
     * COLUMN_TYPE_SCHEMA: the schema of a type outside pg_catalog and the
     * target, as the model names it (a scratch build's stand-in is the
     * declared schema's name), then the table's.
     */
    pcsm_buf_puts(out, ", CASE WHEN et.typnamespace <> 'pg_catalog'::regnamespace THEN ");
    put_schema_of(out, "et.typnamespace", others, n_others, true);
    pcsm_buf_puts(out, " END, ");
    put_schema_of(out, "c.relnamespace", others, n_others, false);
    /* Only its parents' (attislocal false, which a table with no parents never is). */
    pcsm_buf_puts(out, ", NOT a.attislocal AND " INHERITANCE_READ("c"));
    pcsm_buf_puts(out,
        " FROM pg_attribute a JOIN pg_class c ON c.oid = a.attrelid "
        "JOIN pg_type t ON t.oid = a.atttypid "
        /* A domain over an array is of category A too, with no element: not an array. */
        "JOIN pg_type et ON et.oid = CASE WHEN t.typcategory = 'A' AND t.typelem <> 0 "
        "THEN t.typelem ELSE t.oid END "
        "LEFT JOIN pg_attrdef d ON d.adrelid = a.attrelid AND d.adnum = a.attnum "
        "LEFT JOIN pg_collation co ON co.oid = a.attcollation "
        /* An identity's sequence is the column's own: an internal dependency on it. */
        "LEFT JOIN (pg_depend sd JOIN pg_class sc ON sc.oid = sd.objid AND sc.relkind = 'S' "
        "JOIN pg_sequence sq ON sq.seqrelid = sc.oid) ON sd.classid = 'pg_class'::regclass "
        "AND sd.refclassid = 'pg_class'::regclass AND sd.refobjid = a.attrelid "
        "AND sd.refobjsubid = a.attnum AND sd.deptype = 'i' AND a.attidentity <> '' "
        /* A partition's columns in its root's order, as PARTITION OF makes them. */
        "LEFT JOIN pg_attribute ra ON c.relispartition "
        "AND ra.attrelid = pg_partition_root(c.oid) AND ra.attname = a.attname "
        "WHERE a.attnum > 0 AND NOT a.attisdropped AND ");
    put_tables_of_schema(sc, "c", out);
    pcsm_buf_puts(out, " ORDER BY c.relname COLLATE \"C\", coalesce(ra.attnum, a.attnum);\n");

    pcsm_buf_puts(out, "SELECT c.relname, k.conname, k.contype, ");
    put_attnames(out, "k.conkey", "k.conrelid");
    pcsm_buf_puts(out, ", f.relname, ");
    put_attnames(out, "k.confkey", "k.confrelid");
    pcsm_buf_puts(out,
        ", k.confdeltype, k.confupdtype, k.condeferrable AND k.condeferred, k.convalidated, "
        "CASE WHEN k.contype = 'c' THEN pg_get_expr(k.conbin, k.conrelid) END, "
        /* Through jsonb: a server before 15 has no such column, and says NULL. */
        "(SELECT (to_jsonb(ix) ->> 'indnullsnotdistinct')::boolean FROM pg_index ix "
        "WHERE ix.indexrelid = k.conindid AND k.contype = 'u'), ");
    put_schema_of(out, "c.relnamespace", others, n_others, false);
    pcsm_buf_puts(out, ", CASE WHEN k.contype = 'f' THEN ");
    put_schema_of(out, "f.relnamespace", others, n_others, true);
    /* An exclusion constraint's method, predicate, keys and their operators. */
    pcsm_buf_puts(out, " END, am.amname, pg_get_expr(i.indpred, i.indrelid), ");
    put_key_arrays(out);
    pcsm_buf_puts(out,
        "ARRAY(SELECT CASE WHEN pg_operator_is_visible(o.oid) THEN o.oprname "
        "ELSE ons.nspname || '.' || o.oprname END "
        "FROM unnest(k.conexclop) WITH ORDINALITY AS u(op, n) "
        "JOIN pg_operator o ON o.oid = u.op "
        "JOIN pg_namespace ons ON ons.oid = o.oprnamespace ORDER BY u.n), "
        "obj_description(k.oid, 'pg_constraint'), NOT k.conislocal "
        "FROM pg_constraint k JOIN pg_class c ON c.oid = k.conrelid "
        "LEFT JOIN pg_class f ON f.oid = k.confrelid "
        "LEFT JOIN pg_index i ON i.indexrelid = k.conindid AND k.contype = 'x' "
        "LEFT JOIN pg_class x ON x.oid = i.indexrelid "
        "LEFT JOIN pg_am am ON am.oid = x.relam "
        /*
         * What a partition has of its parent's is the parent's (conparentid
         * since 11); an inheriting table's CHECKs are its own.
         */
        "WHERE k.contype IN ('p', 'u', 'f', 'c', 'x') AND (k.coninhcount = 0 "
        "OR (k.contype = 'c' AND " INHERITANCE_READ("c") ")) "
        "AND k.conparentid = 0 AND ");
    put_tables_of_schema(sc, "c", out);
    pcsm_buf_puts(out, " ORDER BY c.relname COLLATE \"C\", k.conname COLLATE \"C\";\n");

    /* Indexes of their own: not the ones behind a key of their table. */
    pcsm_buf_puts(out, "SELECT x.relname, c.relname, i.indisunique, am.amname, "
                       "CASE WHEN 0 <> ALL (i.indkey::int2[]) THEN ");
    put_attnames(out, "i.indkey::int2[]", "i.indrelid");
    pcsm_buf_puts(out,
        " END, CASE WHEN 0 = ANY (i.indkey::int2[]) THEN (SELECT string_agg("
        "pg_get_indexdef(i.indexrelid, n, true), ', ' ORDER BY n) "
        "FROM generate_series(1, i.indnkeyatts) n) END, "
        "pg_get_expr(i.indpred, i.indrelid), "
        "(to_jsonb(i) ->> 'indnullsnotdistinct')::boolean, ");
    put_key_arrays(out);
    put_schema_of(out, "x.relnamespace", others, n_others, false);
    /* A partitioned table's index made ON ONLY it, some partition still without. */
    pcsm_buf_puts(out, ", obj_description(x.oid, 'pg_class'), "
        "x.relkind = 'I' AND NOT i.indisvalid "
        "FROM pg_index i JOIN pg_class x ON x.oid = i.indexrelid "
        "JOIN pg_class c ON c.oid = i.indrelid JOIN pg_am am ON am.oid = x.relam "
        "WHERE NOT EXISTS (SELECT 1 FROM pg_constraint k WHERE k.conindid = i.indexrelid "
        "AND k.conrelid = i.indrelid AND k.contype IN ('p', 'u', 'x')) "
        /* A partition's share of its parent's index is the parent's. */
        "AND NOT x.relispartition AND ");
    /* A materialized view's indexes too. */
    put_relations_of_schema(sc, "c", "'r', 'p', 'm'", out);
    pcsm_buf_puts(out, " ORDER BY x.relname COLLATE \"C\";\n");

    /*
     * Extensions in a schema of the search path, not only the current one:
     * CREATE EXTENSION IF NOT EXISTS installs into the path's first schema,
     * or finds the extension already there, in another schema of the path
     * (the scratch schema of pcsm_schema_on_server() sees the run's).
     * Implicit schemas (pg_catalog, plpgsql's) are not on current_schemas(false).
     */
    pcsm_buf_puts(out,
        "SELECT e.extname FROM pg_extension e JOIN pg_namespace n ON n.oid = e.extnamespace "
        "WHERE n.nspname = ANY (current_schemas(false)) ORDER BY e.extname COLLATE \"C\";\n");

    /* Enum types, their labels in the type's own order. */
    pcsm_buf_puts(out,
        "SELECT t.typname, ARRAY(SELECT l.enumlabel FROM pg_enum l WHERE l.enumtypid = t.oid "
        "ORDER BY l.enumsortorder), ");
    put_schema_of(out, "t.typnamespace", others, n_others, false);
    pcsm_buf_puts(out, ", obj_description(t.oid, 'pg_type') FROM pg_type t "
                       "WHERE t.typtype = 'e' AND t.typnamespace IN ");
    put_own_in_schemas(out, others, n_others, "pg_type", "t.oid");
    pcsm_buf_puts(out, " ORDER BY t.typname COLLATE \"C\";\n");

    /*
     * Plain functions (no procedures, aggregates, window functions), not
     * those a type made for itself (a range type's constructors: an
     * internal dependency on it).
     */
    pcsm_buf_puts(out,
        "SELECT p.proname, pg_get_function_arguments(p.oid), "
        "pg_get_function_identity_arguments(p.oid), pg_get_function_result(p.oid), "
        "l.lanname, p.prosrc, p.provolatile, p.proisstrict, p.prosecdef, ");
    put_schema_of(out, "p.pronamespace", others, n_others, false);
    pcsm_buf_puts(out, ", obj_description(p.oid, 'pg_proc') "
        "FROM pg_proc p JOIN pg_language l ON l.oid = p.prolang "
        "WHERE p.prokind = 'f' AND p.pronamespace IN ");
    put_own_in_schemas(out, others, n_others, "pg_proc", "p.oid");
    pcsm_buf_puts(out, " AND NOT EXISTS (SELECT 1 FROM pg_depend di WHERE di.classid = "
                       "'pg_proc'::regclass AND di.objid = p.oid AND di.deptype = 'i')"
                       " ORDER BY p.proname COLLATE \"C\", p.oid;\n");

    /*
     * Triggers of their own (not those behind foreign keys).  The WHEN
     * condition comes out of pg_get_triggerdef(): pg_get_expr() cannot
     * deparse tgqual, whose OLD and NEW are range table entries of their own.
     */
    pcsm_buf_puts(out,
        "SELECT c.relname, g.tgname, g.tgtype, p.proname, "
        "CASE WHEN g.tgqual IS NOT NULL THEN pg_get_triggerdef(g.oid) END, g.tgenabled, ");
    put_schema_of(out, "c.relnamespace", others, n_others, false);
    pcsm_buf_puts(out, ", ");
    put_schema_of(out, "p.pronamespace", others, n_others, true);
    pcsm_buf_puts(out, ", obj_description(g.oid, 'pg_trigger') "
        "FROM pg_trigger g JOIN pg_class c ON c.oid = g.tgrelid "
        "JOIN pg_proc p ON p.oid = g.tgfoid WHERE NOT g.tgisinternal "
        /* A partition's clone of its parent's trigger (tgparentid: 13 on) is the parent's. */
        "AND coalesce((to_jsonb(g) ->> 'tgparentid')::oid, 0) = 0 AND ");
    put_tables_of_schema(sc, "c", out);
    pcsm_buf_puts(out, " ORDER BY c.relname COLLATE \"C\", g.tgname COLLATE \"C\";\n");

    /*
     * Sequences of their own: not an identity column's (an internal
     * dependency, read with its column), nor one a skipped table owns.
     * OWNED BY is an automatic dependency on a column of its table.
     */
    pcsm_buf_puts(out, "SELECT c.relname, ");
    put_seq_columns(out, "q");
    pcsm_buf_puts(out,
        ", oc.relname, oa.attname, ");
    put_schema_of(out, "c.relnamespace", others, n_others, false);
    pcsm_buf_puts(out, ", obj_description(c.oid, 'pg_class') "
        "FROM pg_class c JOIN pg_sequence q ON q.seqrelid = c.oid "
        "LEFT JOIN pg_depend d ON d.classid = 'pg_class'::regclass AND d.objid = c.oid "
        "AND d.refclassid = 'pg_class'::regclass AND d.refobjsubid > 0 AND d.deptype = 'a' "
        "LEFT JOIN pg_class oc ON oc.oid = d.refobjid "
        "LEFT JOIN pg_attribute oa ON oa.attrelid = d.refobjid AND oa.attnum = d.refobjsubid "
        "WHERE c.relkind = 'S' AND c.relnamespace IN ");
    put_own_in_schemas(out, others, n_others, "pg_class", "c.oid");
    pcsm_buf_puts(out, " AND NOT EXISTS (SELECT 1 FROM pg_depend i WHERE i.classid = "
                       "'pg_class'::regclass AND i.objid = c.oid AND i.deptype = 'i')");
    for (i = 0; skip && skip[i]; i++) {
        pcsm_buf_puts(out, " AND (oc.relname IS DISTINCT FROM ");
        pcsm_sql__literal(out, skip[i]);
        pcsm_buf_puts(out, " OR oc.relnamespace <> (SELECT oid FROM pg_namespace "
                           "WHERE nspname = current_schema()))");
    }
    pcsm_buf_puts(out, " ORDER BY c.relname COLLATE \"C\";\n");

    /*
     * Views and materialized views: the query as the server deparses it,
     * the columns it names, and what its rewrite rule depends on (the
     * relations it reads).
     */
    pcsm_buf_puts(out,
        "SELECT c.relname, c.relkind = 'm', pg_get_viewdef(c.oid), c.relispopulated, "
        "ARRAY(SELECT a.attname FROM pg_attribute a WHERE a.attrelid = c.oid AND "
        "a.attnum > 0 AND NOT a.attisdropped ORDER BY a.attnum), "
        "ARRAY(SELECT DISTINCT r.relname::text FROM pg_rewrite w JOIN pg_depend d ON "
        "d.classid = 'pg_rewrite'::regclass AND d.objid = w.oid AND "
        "d.refclassid = 'pg_class'::regclass JOIN pg_class r ON r.oid = d.refobjid "
        "WHERE w.ev_class = c.oid AND r.oid <> c.oid ORDER BY 1), ");
    put_schema_of(out, "c.relnamespace", others, n_others, false);
    pcsm_buf_puts(out, ", obj_description(c.oid, 'pg_class') FROM pg_class c WHERE ");
    put_relations_of_schema(sc, "c", "'v', 'm'", out);
    pcsm_buf_puts(out, " ORDER BY c.relname COLLATE \"C\";\n");

    /*
     * Row-level security policies; PUBLIC is the role 0, alone, which
     * the model says as no roles.
     */
    pcsm_buf_puts(out,
        "SELECT c.relname, p.polname, p.polcmd, p.polpermissive, "
        "CASE WHEN p.polroles <> '{0}' THEN ARRAY(SELECT pg_get_userbyid(r)::text "
        "FROM unnest(p.polroles) r ORDER BY pg_get_userbyid(r)::text COLLATE \"C\") END, "
        "pg_get_expr(p.polqual, p.polrelid), pg_get_expr(p.polwithcheck, p.polrelid), ");
    put_schema_of(out, "c.relnamespace", others, n_others, false);
    pcsm_buf_puts(out, ", obj_description(p.oid, 'pg_policy') "
                       "FROM pg_policy p JOIN pg_class c ON c.oid = p.polrelid WHERE ");
    put_tables_of_schema(sc, "c", out);
    pcsm_buf_puts(out, " ORDER BY c.relname COLLATE \"C\", p.polname COLLATE \"C\";\n");

    put_unmodelled(out, sc);

    /* Those of `others` the database has, by their model names. */
    pcsm_buf_puts(out, "SELECT v.model FROM (VALUES (NULL::text, NULL::text)");
    for (i = 0; i < n_others; i++)
        if (!pcsm_catalog__system_schema(others[i].name) && !others[i].refs_only &&
            others[i].as) {
            pcsm_buf_puts(out, ", (");
            pcsm_sql__literal(out, others[i].name);
            pcsm_buf_puts(out, ", ");
            pcsm_sql__literal(out, others[i].as);
            pcsm_buf_putc(out, ')');
        }
    pcsm_buf_puts(out, ") v(name, model) JOIN pg_namespace n ON n.nspname = v.name "
                       "WHERE v.name IS DISTINCT FROM current_schema() "
                       "ORDER BY v.model COLLATE \"C\";\n");

    /*
     * Collations of the schemas' own, of the providers the model knows
     * (another, PostgreSQL 17's builtin, is listed as not modelled).  An
     * ICU collation's locale is colliculocale in PostgreSQL 15 and 16,
     * colllocale from 17, collcollate before 15: through jsonb, which says
     * NULL for a column a server lacks.
     */
    pcsm_buf_puts(out,
        "SELECT co.collname, co.collprovider, CASE WHEN co.collprovider = 'i' THEN "
        "coalesce(to_jsonb(co) ->> 'colliculocale', to_jsonb(co) ->> 'colllocale', "
        "co.collcollate) ELSE co.collcollate END, CASE WHEN co.collprovider = 'c' THEN "
        "co.collctype END, co.collisdeterministic, ");
    put_schema_of(out, "co.collnamespace", others, n_others, false);
    pcsm_buf_puts(out, " FROM pg_collation co WHERE co.collprovider IN ('c', 'i') AND "
                       "co.collnamespace IN ");
    put_own_in_schemas(out, others, n_others, "pg_collation", "co.oid");
    pcsm_buf_puts(out, " ORDER BY co.collname COLLATE \"C\";\n");

    /*
     * Domains, their base type read as a column's is (element, builtin,
     * array, dimensions, typmod, spelling, schema), then the domains'
     * CHECKs (a NOT NULL is typnotnull; PostgreSQL 17 also keeps it as a
     * constraint, contype 'n').
     */
    pcsm_buf_puts(out,
        "SELECT t.typname, et.typname, et.typnamespace = 'pg_catalog'::regnamespace, "
        "bt.typcategory = 'A' AND bt.typelem <> 0, t.typndims, t.typtypmod, "
        "format_type(t.typbasetype, t.typtypmod), "
        "CASE WHEN et.typnamespace <> 'pg_catalog'::regnamespace THEN ");
    put_schema_of(out, "et.typnamespace", others, n_others, true);
    pcsm_buf_puts(out, " END, CASE WHEN t.typcollation <> bt.typcollation THEN co.collname END, "
                       "pg_get_expr(t.typdefaultbin, 0), t.typnotnull, ");
    put_schema_of(out, "t.typnamespace", others, n_others, false);
    pcsm_buf_puts(out, ", obj_description(t.oid, 'pg_type') FROM pg_type t "
        "JOIN pg_type bt ON bt.oid = t.typbasetype "
        "JOIN pg_type et ON et.oid = CASE WHEN bt.typcategory = 'A' AND bt.typelem <> 0 "
        "THEN bt.typelem ELSE bt.oid END LEFT JOIN pg_collation co ON co.oid = t.typcollation "
        "WHERE t.typtype = 'd' AND t.typnamespace IN ");
    put_own_in_schemas(out, others, n_others, "pg_type", "t.oid");
    pcsm_buf_puts(out, " ORDER BY t.typname COLLATE \"C\";\n");
    pcsm_buf_puts(out, "SELECT t.typname, k.conname, pg_get_expr(k.conbin, 0), k.convalidated, ");
    put_schema_of(out, "t.typnamespace", others, n_others, false);
    pcsm_buf_puts(out, " FROM pg_constraint k JOIN pg_type t ON t.oid = k.contypid "
                       "WHERE k.contype = 'c' AND t.typtype = 'd' AND t.typnamespace IN ");
    put_own_in_schemas(out, others, n_others, "pg_type", "t.oid");
    pcsm_buf_puts(out, " ORDER BY t.typname COLLATE \"C\", k.conname COLLATE \"C\";\n");

    /* Composite types of their own (not a table's row type), then their attributes. */
    pcsm_buf_puts(out, "SELECT t.typname, ");
    put_schema_of(out, "t.typnamespace", others, n_others, false);
    pcsm_buf_puts(out, ", obj_description(t.oid, 'pg_type') FROM pg_type t "
                       "JOIN pg_class r ON r.oid = t.typrelid AND r.relkind = 'c' "
                       "WHERE t.typtype = 'c' AND t.typnamespace IN ");
    put_own_in_schemas(out, others, n_others, "pg_type", "t.oid");
    pcsm_buf_puts(out, " ORDER BY t.typname COLLATE \"C\";\n");
    pcsm_buf_puts(out,
        "SELECT ct.typname, a.attname, et.typname, et.typnamespace = 'pg_catalog'::regnamespace, "
        "t.typcategory = 'A' AND t.typelem <> 0, a.attndims, a.atttypmod, "
        "format_type(a.atttypid, a.atttypmod), CASE WHEN et.typnamespace <> "
        "'pg_catalog'::regnamespace THEN ");
    put_schema_of(out, "et.typnamespace", others, n_others, true);
    pcsm_buf_puts(out, " END, CASE WHEN a.attcollation <> t.typcollation THEN co.collname END, ");
    put_schema_of(out, "ct.typnamespace", others, n_others, false);
    pcsm_buf_puts(out,
        " FROM pg_type ct JOIN pg_class r ON r.oid = ct.typrelid AND r.relkind = 'c' "
        "JOIN pg_attribute a ON a.attrelid = r.oid AND a.attnum > 0 AND NOT a.attisdropped "
        "JOIN pg_type t ON t.oid = a.atttypid "
        "JOIN pg_type et ON et.oid = CASE WHEN t.typcategory = 'A' AND t.typelem <> 0 "
        "THEN t.typelem ELSE t.oid END "
        "LEFT JOIN pg_collation co ON co.oid = a.attcollation "
        "WHERE ct.typtype = 'c' AND ct.typnamespace IN ");
    put_own_in_schemas(out, others, n_others, "pg_type", "ct.oid");
    pcsm_buf_puts(out, " ORDER BY ct.typname COLLATE \"C\", a.attnum;\n");
    put_privileges(out, sc);

    /*
     * Range types: the subtype's operator class when not its default (below), the
     * collation when not the subtype's, the subtype_diff function's schema
     * when neither the target nor pg_catalog.  rngmultitypid (PostgreSQL 14)
     * is read through to_jsonb(), NULL on a server without it.
     */
    pcsm_buf_puts(out, "SELECT t.typname, ");
    put_schema_of(out, "t.typnamespace", others, n_others, false);
    pcsm_buf_puts(out, ", obj_description(t.oid, 'pg_type'), et.typname, "
        "et.typnamespace = 'pg_catalog'::regnamespace, st.typcategory = 'A' AND st.typelem <> 0, "
        "format_type(st.oid, NULL), CASE WHEN et.typnamespace <> 'pg_catalog'::regnamespace "
        "THEN ");
    put_schema_of(out, "et.typnamespace", others, n_others, true);
    /*
     * The subtype's default class, as GetDefaultOpClass() finds it: the
     * default btree class of its (base) type, else the default one of a
     * type it is binary-compatible with that its category prefers, or of a
     * pseudo-type (varchar's text_ops, an enum's enum_ops; not bpchar_ops).
     */
    pcsm_buf_puts(out, " END, CASE WHEN NOT (oc.opcdefault AND (oc.opcintype = bt.oid OR "
        "(NOT EXISTS (SELECT 1 FROM pg_opclass d WHERE d.opcmethod = oc.opcmethod AND "
        "d.opcdefault AND d.opcintype = bt.oid) AND EXISTS (SELECT 1 FROM pg_type it "
        "WHERE it.oid = oc.opcintype AND (it.typtype = 'p' OR (it.typispreferred AND "
        "it.typcategory = bt.typcategory)))))) THEN oc.opcname END, "
        "CASE WHEN rg.rngcollation <> st.typcollation THEN co.collname END, p.proname, "
        "CASE WHEN p.pronamespace <> 'pg_catalog'::regnamespace THEN ");
    put_schema_of(out, "p.pronamespace", others, n_others, true);
    pcsm_buf_puts(out, " END, (SELECT m.typname FROM pg_type m "
        "WHERE m.oid = (to_jsonb(rg) ->> 'rngmultitypid')::oid) "
        "FROM pg_range rg JOIN pg_type t ON t.oid = rg.rngtypid "
        "JOIN pg_type st ON st.oid = rg.rngsubtype "
        "JOIN pg_type bt ON bt.oid = CASE WHEN st.typtype = 'd' THEN st.typbasetype "
        "ELSE st.oid END "
        "JOIN pg_type et ON et.oid = CASE WHEN st.typcategory = 'A' AND st.typelem <> 0 "
        "THEN st.typelem ELSE st.oid END "
        "JOIN pg_opclass oc ON oc.oid = rg.rngsubopc "
        "LEFT JOIN pg_collation co ON co.oid = rg.rngcollation "
        "LEFT JOIN pg_proc p ON p.oid = rg.rngsubdiff "
        "WHERE t.typnamespace IN ");
    put_own_in_schemas(out, others, n_others, "pg_type", "t.oid");
    pcsm_buf_puts(out, " ORDER BY t.typname COLLATE \"C\";\n");
}

/* ---------------------------------------------------------------- values */

static char *text_or_null(const PGresult *res, int row, int col)
{
    return PQgetisnull(res, row, col) ? NULL : pcsm__xstrdup(PQgetvalue(res, row, col));
}

/* The value lent, or NULL for SQL NULL. */
static const char *text_or_null_lent(const PGresult *res, int row, int col)
{
    return PQgetisnull(res, row, col) ? NULL : PQgetvalue(res, row, col);
}

static bool is_true(const PGresult *res, int row, int col)
{
    return !PQgetisnull(res, row, col) && PQgetvalue(res, row, col)[0] == 't';
}

/*
 * A one-dimensional text[] as the server prints it: {a,"b c","d\"e"}.
 * NULL for SQL NULL; NULL elements do not occur in attribute names.
 */
static char **parse_names(const PGresult *res, int row, int col)
{
    const char *p = PQgetvalue(res, row, col);
    pcsm_buf item = PCSM_BUF_INIT;
    char **names;
    size_t n = 0, cap = 0;

    if (PQgetisnull(res, row, col))
        return NULL;
    names = pcsm__xcalloc(1, sizeof(*names));
    if (*p == '{')
        p++;
    while (*p && *p != '}') {
        pcsm_buf_clear(&item);
        if (*p == '"') {
            for (p++; *p && *p != '"'; p++) {
                if (*p == '\\' && p[1])
                    p++;
                pcsm_buf_putc(&item, *p);
            }
            if (*p)
                p++;
        } else {
            for (; *p && *p != ',' && *p != '}'; p++)
                pcsm_buf_putc(&item, *p);
        }
        pcsm__grow(&names, &cap, n + 2, sizeof(*names));
        names[n++] = pcsm__xstrdup(item.ptr);
        names[n] = NULL;
        if (*p == ',')
            p++;
    }
    pcsm_buf_dispose(&item);
    return names;
}

/*
 * The modifiers of a type as format_type() prints them, "name(3,4)" or
 * "name(3,4)[]", without spaces: into *out (malloc'd) when they are
 * integers separated by commas, as the API can say them.
 */
static bool modifiers_of(const char *formatted, const char **out)
{
    const char *open = strchr(formatted, '('), *close = open ? strchr(open, ')') : NULL;
    pcsm_buf m = PCSM_BUF_INIT;
    const char *p;
    bool digit = false;

    if (!close)
        return false;
    for (p = open + 1; p < close; p++) {
        if (*p == ' ')
            continue;
        if (!(*p >= '0' && *p <= '9') && !(*p == ',' && digit)) {
            pcsm_buf_dispose(&m);
            return false;
        }
        digit = *p != ',';
        pcsm_buf_putc(&m, *p);
    }
    if (!digit) {
        pcsm_buf_dispose(&m);
        return false;
    }
    *out = pcsm_buf_detach(&m);
    return true;
}

/*
 * The API's type for a catalog type, or its server spelling as a named
 * type.  `schema` is the schema of a type outside pg_catalog and the target
 * schema, NULL otherwise.
 */
static pcsm_type map_type(const char *elem, bool builtin, bool array, int dims, int typmod,
                          const char *formatted, const char *schema)
{
    static const struct { const char *name; enum pcsm_type_kind kind; } plain[] = {
        { "uuid", PCSM_TYPE_UUID }, { "text", PCSM_TYPE_TEXT }, { "bool", PCSM_TYPE_BOOLEAN },
        { "int2", PCSM_TYPE_SMALLINT }, { "int4", PCSM_TYPE_INTEGER },
        { "int8", PCSM_TYPE_BIGINT }, { "float4", PCSM_TYPE_REAL },
        { "float8", PCSM_TYPE_DOUBLE }, { "json", PCSM_TYPE_JSON },
        { "jsonb", PCSM_TYPE_JSONB }, { "bytea", PCSM_TYPE_BYTEA },
        { "date", PCSM_TYPE_DATE }, { "time", PCSM_TYPE_TIME },
        { "timestamp", PCSM_TYPE_TIMESTAMP }, { "timestamptz", PCSM_TYPE_TIMESTAMPTZ },
        { "interval", PCSM_TYPE_INTERVAL }, { "tsvector", PCSM_TYPE_TSVECTOR },
        { "tsquery", PCSM_TYPE_TSQUERY }, { "inet", PCSM_TYPE_INET },
        { "cidr", PCSM_TYPE_CIDR }, { "macaddr", PCSM_TYPE_MACADDR },
        { "macaddr8", PCSM_TYPE_MACADDR8 }, { "money", PCSM_TYPE_MONEY },
        { "xml", PCSM_TYPE_XML }, { "oid", PCSM_TYPE_OID }, { "timetz", PCSM_TYPE_TIMETZ },
        { "varbit", PCSM_TYPE_VARBIT }, { "int4range", PCSM_TYPE_INT4RANGE },
        { "int8range", PCSM_TYPE_INT8RANGE }, { "numrange", PCSM_TYPE_NUMRANGE },
        { "tsrange", PCSM_TYPE_TSRANGE }, { "tstzrange", PCSM_TYPE_TSTZRANGE },
        { "daterange", PCSM_TYPE_DATERANGE },
    };
    static const struct { const char *name; enum pcsm_type_kind kind; } timed[] = {
        { "time", PCSM_TYPE_TIME }, { "timetz", PCSM_TYPE_TIMETZ },
        { "timestamp", PCSM_TYPE_TIMESTAMP }, { "timestamptz", PCSM_TYPE_TIMESTAMPTZ },
    };
    pcsm_type t = { .kind = PCSM_TYPE_NONE };
    size_t i;

    if (builtin) {
        for (i = 0; i < sizeof(plain) / sizeof(*plain); i++)
            if (!strcmp(elem, plain[i].name) && typmod < 0)
                t.kind = plain[i].kind;
        /* The typmod of a time type is its precision; of an interval, range and precision. */
        for (i = 0; i < sizeof(timed) / sizeof(*timed); i++)
            if (!strcmp(elem, timed[i].name) && typmod >= 0 && typmod <= 6) {
                t.kind = timed[i].kind;
                t.p = typmod ? typmod : PCSM_PRECISION_ZERO;
            }
        if (!strcmp(elem, "interval") && typmod >= 0 &&
            ((typmod >> 16) & 0x7fff) == 0x7fff) {       /* INTERVAL_FULL_RANGE */
            int precision = typmod & 0xffff;

            if (precision <= 6 || precision == 0xffff) {
                t.kind = PCSM_TYPE_INTERVAL;
                t.p = precision == 0xffff ? 0 : precision ? precision : PCSM_PRECISION_ZERO;
            }
        }
        /* A bit string's typmod is its length, without VARHDRSZ. */
        if (!strcmp(elem, "bit") && typmod >= 1) {
            t.kind = PCSM_TYPE_BIT;
            t.p = typmod;
        } else if (!strcmp(elem, "varbit") && typmod >= 1) {
            t.kind = PCSM_TYPE_VARBIT;
            t.p = typmod;
        }
        if (!strcmp(elem, "varchar")) {
            t.kind = PCSM_TYPE_VARCHAR;
            t.p = typmod >= 4 ? typmod - 4 : 0;
        } else if (!strcmp(elem, "bpchar") && typmod >= 4) {
            t.kind = PCSM_TYPE_CHAR;
            t.p = typmod - 4;
        } else if (!strcmp(elem, "numeric")) {
            t.kind = PCSM_TYPE_NUMERIC;
            if (typmod >= 4) {
                t.p = ((typmod - 4) >> 16) & 0xffff;
                t.s = (typmod - 4) & 0xffff;
            }
        }
    } else if (typmod < 0) {
        t.kind = PCSM_TYPE_NAMED;
        t.name = pcsm__xstrdup(elem);
        t.schema = schema ? pcsm__xstrdup(schema) : NULL;
    } else if (modifiers_of(formatted, &t.modifiers)) {
        t.kind = PCSM_TYPE_NAMED;
        t.name = pcsm__xstrdup(elem);
        t.schema = schema ? pcsm__xstrdup(schema) : NULL;
    }
    if (t.kind == PCSM_TYPE_NONE) {
        /* Not the API's to say (time(3), a type of another schema): kept as spelled. */
        t.kind = PCSM_TYPE_NAMED;
        t.name = pcsm__xstrdup(formatted);
        return t;
    }
    t.array_dims = array ? (dims > 0 ? dims : 1) : 0;
    return t;
}

static enum pcsm_fk_action map_action(char c)
{
    switch (c) {
    case 'r': return PCSM_RESTRICT;
    case 'c': return PCSM_CASCADE;
    case 'n': return PCSM_SET_NULL;
    case 'd': return PCSM_SET_DEFAULT;
    default:  return PCSM_FK_DEFAULT;   /* 'a', NO ACTION: what saying nothing gives */
    }
}

static enum pcsm_constraint_kind map_contype(char c)
{
    return c == 'p' ? PCSM_PRIMARY_KEY : c == 'u' ? PCSM_UNIQUE
         : c == 'f' ? PCSM_FOREIGN_KEY : c == 'x' ? PCSM_EXCLUDE : PCSM_CHECK;
}

static char *copy_n(const char *s, size_t n)
{
    pcsm_buf out = PCSM_BUF_INIT;

    pcsm_buf_put(&out, s, n);
    return pcsm_buf_detach(&out);
}

/* Past the quoted identifier or string at s ("a""b", 'it''s'), or to the end. */
static const char *skip_quoted(const char *s)
{
    char q = *s++;

    while (*s && !(*s == q && s[1] != q))
        s += *s == q ? 2 : 1;
    return *s ? s + 1 : s;
}

char *pcsm_catalog__trigger_when(const char *def)
{
    const char *p, *start;
    int depth = 0;

    if (!def)
        return NULL;
    /*
     * Before WHEN come keywords and identifiers only, and an identifier
     * that holds a blank or a bracket is quoted: the first " WHEN (" outside
     * quotes is the condition's.
     */
    for (p = def; *p && strncmp(p, " WHEN (", 7); p++)
        if (*p == '"')
            p = skip_quoted(p) - 1;
    if (!*p)
        return NULL;
    start = p += 7;
    for (depth = 1; *p && depth; ) {
        if (*p == '"' || *p == '\'') {
            p = skip_quoted(p);
            continue;
        }
        depth += (*p == '(') - (*p == ')');
        p++;
    }
    if (depth)
        return NULL;
    return copy_n(start, (size_t)(p - 1 - start));
}

char *pcsm_catalog__function_body(const char *prosrc)
{
    size_t n = strlen(prosrc);

    /* The renderer's "$$\n" and the "\n" it adds unless the body ends with one. */
    if (*prosrc == '\n') {
        prosrc++;
        n--;
        if (n && prosrc[n - 1] == '\n')
            n--;
    }
    return copy_n(prosrc, n);
}

static enum pcsm_volatility map_volatility(char c)
{
    return c == 'i' ? PCSM_IMMUTABLE : c == 's' ? PCSM_STABLE : PCSM_VOLATILE;
}

/* pg_trigger.tgtype's bits (catalog/pg_trigger.h). */
#define TGTYPE_ROW      (1 << 0)
#define TGTYPE_BEFORE   (1 << 1)
#define TGTYPE_INSERT   (1 << 2)
#define TGTYPE_DELETE   (1 << 3)
#define TGTYPE_UPDATE   (1 << 4)
#define TGTYPE_TRUNCATE (1 << 5)
#define TGTYPE_INSTEAD  (1 << 6)

static void read_trigger(struct pcsm_schema_trigger *tr, const PGresult *res, int row)
{
    int type = atoi(PQgetvalue(res, row, 2));

    tr->function_schema = text_or_null(res, row, 7);
    tr->name = pcsm__xstrdup(PQgetvalue(res, row, 1));
    tr->timing = type & TGTYPE_INSTEAD ? PCSM_INSTEAD_OF
               : type & TGTYPE_BEFORE ? PCSM_BEFORE : PCSM_AFTER;
    tr->events = (type & TGTYPE_INSERT ? PCSM_ON_INSERT : 0) |
                 (type & TGTYPE_UPDATE ? PCSM_ON_UPDATE : 0) |
                 (type & TGTYPE_DELETE ? PCSM_ON_DELETE : 0) |
                 (type & TGTYPE_TRUNCATE ? PCSM_ON_TRUNCATE : 0);
    tr->for_each_row = type & TGTYPE_ROW;
    tr->function = pcsm__xstrdup(PQgetvalue(res, row, 3));
    tr->when = PQgetisnull(res, row, 4) ? NULL
             : pcsm_catalog__trigger_when(PQgetvalue(res, row, 4));
    switch (PQgetvalue(res, row, 5)[0]) {
    case 'D': tr->firing = PCSM_TRIGGER_DISABLE; break;
    case 'R': tr->firing = PCSM_TRIGGER_ENABLE_REPLICA; break;
    case 'A': tr->firing = PCSM_TRIGGER_ENABLE_ALWAYS; break;
    default: tr->firing = PCSM_TRIGGER_ENABLE; break;     /* 'O': origin */
    }
    tr->comment = text_or_null(res, row, 8);
}

static void read_policy(struct pcsm_schema_policy *p, const PGresult *res, int row)
{
    switch (PQgetvalue(res, row, 2)[0]) {
    case 'r': p->command = PCSM_POLICY_SELECT; break;
    case 'a': p->command = PCSM_POLICY_INSERT; break;
    case 'w': p->command = PCSM_POLICY_UPDATE; break;
    case 'd': p->command = PCSM_POLICY_DELETE; break;
    default: p->command = PCSM_POLICY_ALL; break;      /* '*' */
    }
    p->name = pcsm__xstrdup(PQgetvalue(res, row, 1));
    p->restrictive = !is_true(res, row, 3);
    p->roles = parse_names(res, row, 4);
    p->using = text_or_null(res, row, 5);
    p->with_check = text_or_null(res, row, 6);
    p->comment = text_or_null(res, row, 8);
}

static void read_function(pcsm_schema *s, const PGresult *res, int row)
{
    struct pcsm_schema_function *f = pcsm_schema__add_function(s);

    f->schema = text_or_null(res, row, 9);
    f->name = pcsm__xstrdup(PQgetvalue(res, row, 0));
    f->arguments = pcsm__xstrdup(PQgetvalue(res, row, 1));
    /* The model's identity, derived as replay derives it, from the server's text. */
    f->signature = pcsm_schema__signature(PQgetvalue(res, row, 2));
    f->returns = pcsm__xstrdup(PQgetvalue(res, row, 3));
    f->language = pcsm__xstrdup(PQgetvalue(res, row, 4));
    f->body = pcsm_catalog__function_body(PQgetvalue(res, row, 5));
    f->volatility = map_volatility(PQgetvalue(res, row, 6)[0]);
    f->strict = is_true(res, row, 7);
    f->security_definer = is_true(res, row, 8);
    f->comment = text_or_null(res, row, 10);
}

static enum pcsm_type_kind map_seq_type(const char *formatted)
{
    return !strcmp(formatted, "smallint") ? PCSM_TYPE_SMALLINT
         : !strcmp(formatted, "integer") ? PCSM_TYPE_INTEGER : PCSM_TYPE_BIGINT;
}

/* The seven columns of put_seq_columns() from column `col` on. */
static struct pcsm_seq_state read_seq(const PGresult *res, int row, int col)
{
    struct pcsm_seq_state st;

    st.type = map_seq_type(PQgetvalue(res, row, col));
    st.increment = strtoll(PQgetvalue(res, row, col + 1), NULL, 10);
    st.minvalue = strtoll(PQgetvalue(res, row, col + 2), NULL, 10);
    st.maxvalue = strtoll(PQgetvalue(res, row, col + 3), NULL, 10);
    st.start = strtoll(PQgetvalue(res, row, col + 4), NULL, 10);
    st.cache = strtoll(PQgetvalue(res, row, col + 5), NULL, 10);
    st.cycle = is_true(res, row, col + 6);
    return st;
}

static void read_column(struct pcsm_schema_table *t, const PGresult *res, int i)
{
    struct pcsm_schema_column *c = pcsm_schema__add_column(t);
    char identity = PQgetvalue(res, i, 11)[0];

    c->name = pcsm__xstrdup(PQgetvalue(res, i, 1));
    c->type = map_type(PQgetvalue(res, i, 2), is_true(res, i, 3), is_true(res, i, 4),
                       atoi(PQgetvalue(res, i, 5)), atoi(PQgetvalue(res, i, 6)),
                       PQgetvalue(res, i, 10),
                       PQgetisnull(res, i, COLUMN_TYPE_SCHEMA) ? NULL
                       : PQgetvalue(res, i, COLUMN_TYPE_SCHEMA));
    c->not_null = is_true(res, i, 7);
    /* A generated column's expression is kept where a default is: it has no default. */
    if (PQgetvalue(res, i, 12)[0] == 's')
        c->generated = text_or_null(res, i, 8);
    else if (!PQgetisnull(res, i, 8))
        c->default_value = (pcsm_value){ PCSM_VALUE_EXPR, text_or_null(res, i, 8) };
    c->comment = text_or_null(res, i, 9);
    c->collation = text_or_null(res, i, 13);
    if (identity == 'a' || identity == 'd') {
        c->identity = identity == 'a' ? PCSM_IDENTITY_ALWAYS : PCSM_IDENTITY_BY_DEFAULT;
        c->identity_sequence = text_or_null(res, i, 14);
        if (c->identity_sequence)
            c->identity_options = read_seq(res, i, 15);
    }
    c->inherited_only = is_true(res, i, 24);
}

static void read_domain(pcsm_schema *s, const PGresult *res, int row)
{
    struct pcsm_schema_domain *d = pcsm_schema__add_domain(s);

    d->name = pcsm__xstrdup(PQgetvalue(res, row, 0));
    d->type = map_type(PQgetvalue(res, row, 1), is_true(res, row, 2), is_true(res, row, 3),
                       atoi(PQgetvalue(res, row, 4)), atoi(PQgetvalue(res, row, 5)),
                       PQgetvalue(res, row, 6),
                       PQgetisnull(res, row, 7) ? NULL : PQgetvalue(res, row, 7));
    d->collation = text_or_null(res, row, 8);
    if (!PQgetisnull(res, row, 9))
        d->default_value = (pcsm_value){ PCSM_VALUE_EXPR, text_or_null(res, row, 9) };
    d->not_null = is_true(res, row, 10);
    d->schema = text_or_null(res, row, 11);
    d->comment = text_or_null(res, row, 12);
}

/* A multirange named as the server names one by itself is the model's NULL. */
static void read_range(pcsm_schema *s, const PGresult *res, int row)
{
    struct pcsm_schema_range *r = pcsm_schema__add_range(s);
    char *own;

    r->name = pcsm__xstrdup(PQgetvalue(res, row, 0));
    r->schema = text_or_null(res, row, 1);
    r->comment = text_or_null(res, row, 2);
    r->subtype = map_type(PQgetvalue(res, row, 3), is_true(res, row, 4), is_true(res, row, 5),
                          is_true(res, row, 5) ? 1 : 0, -1, PQgetvalue(res, row, 6),
                          text_or_null_lent(res, row, 7));
    r->subtype_opclass = text_or_null(res, row, 8);
    r->collation = text_or_null(res, row, 9);
    r->subtype_diff = text_or_null(res, row, 10);
    r->subtype_diff_schema = r->subtype_diff ? text_or_null(res, row, 11) : NULL;
    own = pcsm_schema__multirange_name(r);
    if (!PQgetisnull(res, row, 12) && strcmp(own, PQgetvalue(res, row, 12)))
        r->multirange = pcsm__xstrdup(PQgetvalue(res, row, 12));
    free(own);
}

static void read_sequence(pcsm_schema *s, const PGresult *res, int row)
{
    struct pcsm_schema_sequence *q = pcsm_schema__add_sequence(s);

    q->schema = text_or_null(res, row, 10);
    q->name = pcsm__xstrdup(PQgetvalue(res, row, 0));
    q->options = read_seq(res, row, 1);
    if (!PQgetisnull(res, row, 8) && !PQgetisnull(res, row, 9)) {
        q->owned_table = pcsm__xstrdup(PQgetvalue(res, row, 8));
        q->owned_column = pcsm__xstrdup(PQgetvalue(res, row, 9));
    }
    q->comment = text_or_null(res, row, 11);
}

static void read_view(pcsm_schema *s, const PGresult *res, int row)
{
    struct pcsm_schema_view *v = pcsm_schema__add_view(s);

    v->schema = text_or_null(res, row, 6);
    v->name = pcsm__xstrdup(PQgetvalue(res, row, 0));
    v->materialized = is_true(res, row, 1);
    v->query = text_or_null(res, row, 2);
    /* A plain view is always "populated" in pg_class: the model says so of none. */
    v->populated = v->materialized && is_true(res, row, 3);
    v->columns = parse_names(res, row, 4);
    v->reads = parse_names(res, row, 5);
    v->comment = text_or_null(res, row, 7);
}

/* The keys of an index from the five arrays from column `col` on ('' not given). */
static pcsm_index_element *read_elements(const PGresult *res, int row, int col)
{
    char **columns = parse_names(res, row, col), **exprs = parse_names(res, row, col + 1);
    char **collations = parse_names(res, row, col + 2);
    char **opclasses = parse_names(res, row, col + 3), **options = parse_names(res, row, col + 4);
    pcsm_index_element *e;
    size_t n = 0, i;

    while (columns && columns[n])
        n++;
    e = pcsm__xcalloc(n + 1, sizeof(*e));
    for (i = 0; i < n; i++) {
        int opt = options && options[i] ? atoi(options[i]) : 0;

        e[i].column = *columns[i] ? pcsm__xstrdup(columns[i]) : NULL;
        e[i].expression = exprs && exprs[i] && *exprs[i] ? pcsm__xstrdup(exprs[i]) : NULL;
        e[i].collation = collations && collations[i] && *collations[i]
                         ? pcsm__xstrdup(collations[i]) : NULL;
        e[i].opclass = opclasses && opclasses[i] && *opclasses[i]
                       ? pcsm__xstrdup(opclasses[i]) : NULL;
        e[i].descending = opt & 1;
        e[i].nulls = (opt & 2) ? PCSM_NULLS_FIRST : PCSM_NULLS_LAST;
    }
    pcsm_schema__free_names(columns);
    pcsm_schema__free_names(exprs);
    pcsm_schema__free_names(collations);
    pcsm_schema__free_names(opclasses);
    pcsm_schema__free_names(options);
    return e;
}

/*
 * The expressions of a list as pg_get_expr() prints one ("lower(b), (a +
 * 1)"), split at the commas outside brackets and quotes; NULL-terminated.
 */
static char **split_expressions(const char *list)
{
    char **out = pcsm__xcalloc(1, sizeof(*out));
    const char *p = list, *start = list;
    size_t n = 0;
    int depth = 0;

    for (; list; p++) {
        if (*p == '"' || *p == '\'') {
            p = skip_quoted(p) - 1;
            continue;
        }
        if (*p == '(' || *p == '[')
            depth++;
        else if (*p == ')' || *p == ']')
            depth--;
        else if ((*p == ',' && !depth) || !*p) {
            while (*start == ' ')
                start++;
            out = pcsm__xrealloc(out, (n + 2) * sizeof(*out));
            out[n++] = copy_n(start, (size_t)(p - start));
            out[n] = NULL;
            start = p + 1;
        }
        if (!*p)
            break;
    }
    return out;
}

/*
 * A table's partition key (columns 5 to 9); a partition's parent and bound
 * (10, 11) and its shares of its parent's indexes (12, 13).
 */
static void read_partitioning(struct pcsm_schema_table *t, const PGresult *res, int row)
{
    const char *strategy = PQgetvalue(res, row, 5);
    char **columns, **exprs, **collations, **opclasses;
    char **names = parse_names(res, row, 12), **of = parse_names(res, row, 13);
    size_t n = 0, i, k = 0;

    t->partition_of = text_or_null(res, row, 10);
    t->partition_bound = text_or_null(res, row, 11);
    for (i = 0; t->partition_of && names && of && names[i] && of[i]; i++) {
        pcsm__grow(&t->shares, &t->cap_shares, t->n_shares + 1, sizeof(*t->shares));
        t->shares[t->n_shares].name = pcsm__xstrdup(names[i]);
        t->shares[t->n_shares++].of = pcsm__xstrdup(of[i]);
    }
    pcsm_schema__free_names(names);
    pcsm_schema__free_names(of);
    if (PQgetisnull(res, row, 5))
        return;
    t->partition_strategy = *strategy == 'r' ? PCSM_PARTITION_RANGE
                          : *strategy == 'l' ? PCSM_PARTITION_LIST : PCSM_PARTITION_HASH;
    columns = parse_names(res, row, 6);
    exprs = split_expressions(PQgetisnull(res, row, 7) ? NULL : PQgetvalue(res, row, 7));
    collations = parse_names(res, row, 8);
    opclasses = parse_names(res, row, 9);
    while (columns && columns[n])
        n++;
    t->partition_key = pcsm__xcalloc(n + 1, sizeof(*t->partition_key));
    for (i = 0; i < n; i++) {
        pcsm_index_element *e = &t->partition_key[i];

        if (*columns[i])
            e->column = pcsm__xstrdup(columns[i]);
        else
            e->expression = pcsm__xstrdup(exprs[k] ? exprs[k++] : "?");
        e->collation = collations && collations[i] && *collations[i]
                       ? pcsm__xstrdup(collations[i]) : NULL;
        e->opclass = opclasses && opclasses[i] && *opclasses[i]
                     ? pcsm__xstrdup(opclasses[i]) : NULL;
    }
    pcsm_schema__free_names(columns);
    pcsm_schema__free_names(exprs);
    pcsm_schema__free_names(collations);
    pcsm_schema__free_names(opclasses);
}

/* An exclusion constraint's method, predicate and keys with their operators. */
static void read_exclusion(struct pcsm_schema_constraint *k, const PGresult *res, int row)
{
    char **operators = parse_names(res, row, 21);
    size_t i;

    if (strcmp(PQgetvalue(res, row, 14), "btree"))
        k->method = pcsm__xstrdup(PQgetvalue(res, row, 14));
    k->where = text_or_null(res, row, 15);
    k->elements = read_elements(res, row, 16);
    for (i = 0; k->elements[i].column || k->elements[i].expression; i++)
        k->elements[i].with = operators && operators[i] ? pcsm__xstrdup(operators[i]) : NULL;
    pcsm_schema__free_names(operators);
    pcsm_schema__normalize_elements(k->elements);
}

/* The privileges a row of the privileges query is of, or NULL for an object not read. */
static struct pcsm_schema_acl *acl_of(const pcsm_schema *s, const PGresult *res, int row)
{
    const char *ns = text_or_null_lent(res, row, 1), *name = PQgetvalue(res, row, 2);

    switch (PQgetvalue(res, row, 0)[0]) {
    case 'r': {
        struct pcsm_schema_table *t = pcsm_schema__table_in(s, ns, name);
        struct pcsm_schema_view *v = pcsm_schema__view_in(s, ns, name);

        return t ? &t->acl : v ? &v->acl : NULL;
    }
    case 'S': {
        struct pcsm_schema_sequence *q = pcsm_schema__sequence_in(s, ns, name);

        return q ? &q->acl : NULL;
    }
    case 'c': {
        struct pcsm_schema_table *t = pcsm_schema__table_in(s, ns, name);
        struct pcsm_schema_column *c = t ? pcsm_schema__column(t, PQgetvalue(res, row, 4))
                                         : NULL;

        return c ? &c->acl : NULL;
    }
    case 'f': {
        char *signature = pcsm_schema__signature(PQgetvalue(res, row, 3));
        struct pcsm_schema_function *f = pcsm_schema__function_in(s, ns, name, signature);

        free(signature);
        return f ? &f->acl : NULL;
    }
    case 'T': {
        struct pcsm_schema_type *ty = pcsm_schema__type_in(s, ns, name);
        struct pcsm_schema_domain *d = pcsm_schema__domain_in(s, ns, name);
        struct pcsm_schema_composite *c = pcsm_schema__composite_in(s, ns, name);
        struct pcsm_schema_range *rg = pcsm_schema__range_in(s, ns, name);

        return ty ? &ty->acl : d ? &d->acl : c ? &c->acl : rg ? &rg->acl : NULL;
    }
    default:
        return NULL;
    }
}

/* A privilege granted by two grantors, or once with the option, is one grant. */
static void read_grant(pcsm_schema *s, const PGresult *res, int row)
{
    struct pcsm_schema_acl *acl = acl_of(s, res, row);
    unsigned bit = pcsm_op__privilege_bit(PQgetvalue(res, row, 6));

    if (!acl || !bit)     /* made between the queries, or a privilege the model lacks */
        return;
    pcsm_schema__acl_change(acl, text_or_null_lent(res, row, 5), bit, is_true(res, row, 7),
                            true);
}

static enum pcsm_privilege_object defacl_object(char objtype)
{
    switch (objtype) {
    case 'r': return PCSM_PRIVILEGE_TABLE;
    case 'S': return PCSM_PRIVILEGE_SEQUENCE;
    case 'f': return PCSM_PRIVILEGE_FUNCTION;
    default: return PCSM_PRIVILEGE_TYPE;        /* 'T' */
    }
}

/*
 * Default privileges, an entry from its rows (in order, one row with no
 * grantee for none); one that says no more than nothing set is dropped,
 * as replay drops it (its role's own grants are not modelled).
 */
static void read_default_acls(pcsm_schema *s, const PGresult *res)
{
    int i;

    for (i = 0; i < PQntuples(res); i++) {
        const char *role = text_or_null_lent(res, i, 0), *ns = text_or_null_lent(res, i, 2);
        bool in_schema = is_true(res, i, 1);
        enum pcsm_privilege_object on = defacl_object(PQgetvalue(res, i, 3)[0]);
        struct pcsm_schema_default_acl *e = pcsm_schema__default_acl(s, role, in_schema, ns,
                                                                     on);
        unsigned bit = PQgetisnull(res, i, 5) ? 0
                     : pcsm_op__privilege_bit(PQgetvalue(res, i, 5));

        if (!e) {
            pcsm__grow(&s->default_acls, &s->cap_default_acls, s->n_default_acls + 1,
                       sizeof(*s->default_acls));
            e = &s->default_acls[s->n_default_acls++];
            memset(e, 0, sizeof(*e));
            e->role = role ? pcsm__xstrdup(role) : NULL;
            e->in_schema = in_schema;
            e->schema = ns ? pcsm__xstrdup(ns) : NULL;
            e->on = on;
        }
        if (bit)
            pcsm_schema__acl_change(&e->acl, text_or_null_lent(res, i, 4), bit,
                                    is_true(res, i, 6), true);
    }
    pcsm_schema__prune_default_acls(s);
}

/* The table of a row: its name in column `name`, its schema in column `schema`. */
static struct pcsm_schema_table *table_of(const pcsm_schema *s, const PGresult *res, int row,
                                          int name, int schema)
{
    return pcsm_schema__table_in(s, PQgetisnull(res, row, schema) ? NULL
                                 : PQgetvalue(res, row, schema), PQgetvalue(res, row, name));
}

static int shape(pcsm_ctx *ctx, const PGresult *res, int cols, const char *what)
{
    if (PQresultStatus(res) != PGRES_TUPLES_OK || PQnfields(res) != cols)
        return pcsm_error__set(ctx, PCSM_EDB, "reading the catalog: the %s query returned "
                               "%d columns, not %d", what, PQnfields(res), cols);
    return 0;
}

int pcsm_catalog__read(pcsm_ctx *ctx, PGresult *const *results, pcsm_schema **out)
{
    const PGresult *tables = results[0], *columns = results[1], *cons = results[2],
                   *indexes = results[3], *extensions = results[4], *types = results[5],
                   *functions = results[6], *triggers = results[7],
                   *sequences = results[8], *views = results[9], *policies = results[10],
                   *unmodelled = results[11], *schemas = results[12],
                   *collations = results[13], *domains = results[14],
                   *domain_checks = results[15], *composites = results[16],
                   *attributes = results[17], *grants = results[18],
                   *default_acls = results[19], *ranges = results[20];
    pcsm_schema *s;
    int rc, i;

    *out = NULL;
    if ((rc = shape(ctx, tables, 15, "tables")) < 0 ||
        (rc = shape(ctx, columns, 25, "columns")) < 0 ||
        (rc = shape(ctx, cons, 24, "constraints")) < 0 ||
        (rc = shape(ctx, indexes, 16, "indexes")) < 0 ||
        (rc = shape(ctx, extensions, 1, "extensions")) < 0 ||
        (rc = shape(ctx, types, 4, "enum types")) < 0 ||
        (rc = shape(ctx, functions, 11, "functions")) < 0 ||
        (rc = shape(ctx, triggers, 9, "triggers")) < 0 ||
        (rc = shape(ctx, sequences, 12, "sequences")) < 0 ||
        (rc = shape(ctx, views, 8, "views")) < 0 ||
        (rc = shape(ctx, schemas, 1, "schemas")) < 0 ||
        (rc = shape(ctx, policies, 9, "policies")) < 0 ||
        (rc = shape(ctx, unmodelled, 3, "unmodelled objects")) < 0 ||
        (rc = shape(ctx, collations, 6, "collations")) < 0 ||
        (rc = shape(ctx, domains, 13, "domains")) < 0 ||
        (rc = shape(ctx, domain_checks, 5, "domain constraints")) < 0 ||
        (rc = shape(ctx, composites, 3, "composite types")) < 0 ||
        (rc = shape(ctx, attributes, 11, "attributes")) < 0 ||
        (rc = shape(ctx, grants, 8, "privileges")) < 0 ||
        (rc = shape(ctx, default_acls, 7, "default privileges")) < 0 ||
        (rc = shape(ctx, ranges, 13, "range types")) < 0)
        return rc;
    s = pcsm_schema__new();
    for (i = 0; i < PQntuples(schemas); i++) {
        pcsm__grow(&s->schemas, &s->cap_schemas, s->n_schemas + 1, sizeof(*s->schemas));
        s->schemas[s->n_schemas++] = pcsm__xstrdup(PQgetvalue(schemas, i, 0));
    }
    for (i = 0; i < PQntuples(extensions); i++)
        pcsm_schema__add_extension(s)->name = pcsm__xstrdup(PQgetvalue(extensions, i, 0));
    for (i = 0; i < PQntuples(collations); i++) {
        struct pcsm_schema_collation *c = pcsm_schema__add_collation(s);

        c->schema = text_or_null(collations, i, 5);
        c->name = pcsm__xstrdup(PQgetvalue(collations, i, 0));
        c->provider = PQgetvalue(collations, i, 1)[0] == 'i' ? PCSM_PROVIDER_ICU
                                                             : PCSM_PROVIDER_LIBC;
        c->collate = text_or_null(collations, i, 2);
        c->ctype = text_or_null(collations, i, 3);
        c->nondeterministic = !is_true(collations, i, 4);
    }
    for (i = 0; i < PQntuples(types); i++) {
        struct pcsm_schema_type *ty = pcsm_schema__add_type(s);

        ty->schema = text_or_null(types, i, 2);
        ty->name = pcsm__xstrdup(PQgetvalue(types, i, 0));
        ty->labels = parse_names(types, i, 1);
        while (ty->labels[ty->n_labels])
            ty->n_labels++;
        ty->added_in = pcsm__xcalloc(ty->n_labels ? ty->n_labels : 1, sizeof(*ty->added_in));
        ty->comment = text_or_null(types, i, 3);
    }
    for (i = 0; i < PQntuples(domains); i++)
        read_domain(s, domains, i);
    for (i = 0; i < PQntuples(domain_checks); i++) {
        const char *ns = text_or_null_lent(domain_checks, i, 4);
        struct pcsm_schema_domain *d =
            pcsm_schema__domain_in(s, ns, PQgetvalue(domain_checks, i, 0));
        struct pcsm_schema_constraint *k;

        if (!d)     /* created between the queries */
            continue;
        k = pcsm_schema__add_domain_constraint(d);
        k->name = pcsm__xstrdup(PQgetvalue(domain_checks, i, 1));
        k->kind = PCSM_CHECK;
        k->check = text_or_null(domain_checks, i, 2);
        k->not_valid = !is_true(domain_checks, i, 3);
    }
    for (i = 0; i < PQntuples(composites); i++) {
        struct pcsm_schema_composite *c = pcsm_schema__add_composite(s);

        c->name = pcsm__xstrdup(PQgetvalue(composites, i, 0));
        c->schema = text_or_null(composites, i, 1);
        c->comment = text_or_null(composites, i, 2);
    }
    for (i = 0; i < PQntuples(attributes); i++) {
        struct pcsm_schema_composite *c =
            pcsm_schema__composite_in(s, text_or_null_lent(attributes, i, 10),
                                      PQgetvalue(attributes, i, 0));
        pcsm_attribute *a;

        if (!c)     /* created between the queries */
            continue;
        a = pcsm_schema__add_attribute(c);
        a->name = pcsm__xstrdup(PQgetvalue(attributes, i, 1));
        a->type = map_type(PQgetvalue(attributes, i, 2), is_true(attributes, i, 3),
                           is_true(attributes, i, 4), atoi(PQgetvalue(attributes, i, 5)),
                           atoi(PQgetvalue(attributes, i, 6)), PQgetvalue(attributes, i, 7),
                           text_or_null_lent(attributes, i, 8));
        a->collation = text_or_null(attributes, i, 9);
    }
    for (i = 0; i < PQntuples(ranges); i++)
        read_range(s, ranges, i);
    for (i = 0; i < PQntuples(functions); i++)
        read_function(s, functions, i);
    for (i = 0; i < PQntuples(tables); i++) {
        struct pcsm_schema_table *t = pcsm_schema__add_table(s, PQgetvalue(tables, i, 0));

        t->comment = text_or_null(tables, i, 1);
        t->row_security = is_true(tables, i, 2);
        t->force_row_security = is_true(tables, i, 3);
        t->schema = text_or_null(tables, i, 4);
        read_partitioning(t, tables, i);
        t->inherits = parse_names(tables, i, 14);
        if (t->inherits && !t->inherits[0]) {
            free(t->inherits);
            t->inherits = NULL;
        }
    }
    for (i = 0; i < PQntuples(columns); i++) {
        struct pcsm_schema_table *t = table_of(s, columns, i, 0, 23);

        if (t)      /* else created between the queries: the next read sees it */
            read_column(t, columns, i);
    }
    for (i = 0; i < PQntuples(sequences); i++)
        read_sequence(s, sequences, i);
    for (i = 0; i < PQntuples(views); i++)
        read_view(s, views, i);
    for (i = 0; i < PQntuples(cons); i++) {
        struct pcsm_schema_table *t = table_of(s, cons, i, 0, 12);
        struct pcsm_schema_constraint *k;

        if (!t)
            continue;
        k = pcsm_schema__add_constraint(t);
        k->name = pcsm__xstrdup(PQgetvalue(cons, i, 1));
        k->kind = map_contype(PQgetvalue(cons, i, 2)[0]);
        if (k->kind != PCSM_CHECK && k->kind != PCSM_EXCLUDE)
            k->columns = parse_names(cons, i, 3);
        if (k->kind == PCSM_EXCLUDE)
            read_exclusion(k, cons, i);
        if (k->kind == PCSM_FOREIGN_KEY) {
            k->references = text_or_null(cons, i, 4);
            k->ref_schema = text_or_null(cons, i, 13);
            k->ref_columns = parse_names(cons, i, 5);
            k->on_delete = map_action(PQgetvalue(cons, i, 6)[0]);
            k->on_update = map_action(PQgetvalue(cons, i, 7)[0]);
        }
        k->deferrable = is_true(cons, i, 8);
        k->not_valid = !is_true(cons, i, 9);
        k->check = text_or_null(cons, i, 10);
        k->nulls_not_distinct = !PQgetisnull(cons, i, 11) && is_true(cons, i, 11);
        k->comment = text_or_null(cons, i, 22);
        k->inherited_only = is_true(cons, i, 23);
    }
    for (i = 0; i < PQntuples(indexes); i++) {
        struct pcsm_schema_index *ix = pcsm_schema__add_index(s);

        ix->schema = text_or_null(indexes, i, 13);
        ix->name = pcsm__xstrdup(PQgetvalue(indexes, i, 0));
        ix->table = pcsm__xstrdup(PQgetvalue(indexes, i, 1));
        ix->unique = is_true(indexes, i, 2);
        if (strcmp(PQgetvalue(indexes, i, 3), "btree"))
            ix->method = pcsm__xstrdup(PQgetvalue(indexes, i, 3));
        ix->where = text_or_null(indexes, i, 6);
        ix->nulls_not_distinct = !PQgetisnull(indexes, i, 7) && is_true(indexes, i, 7);
        pcsm_schema__index_keys(ix, read_elements(indexes, i, 8));
        ix->comment = text_or_null(indexes, i, 14);
        ix->invalid = is_true(indexes, i, 15);
    }
    for (i = 0; i < PQntuples(triggers); i++) {
        struct pcsm_schema_table *t = table_of(s, triggers, i, 0, 6);

        if (t)
            read_trigger(pcsm_schema__add_trigger(t), triggers, i);
    }
    for (i = 0; i < PQntuples(policies); i++) {
        struct pcsm_schema_table *t = table_of(s, policies, i, 0, 7);

        if (t)
            read_policy(pcsm_schema__add_policy(t), policies, i);
    }
    for (i = 0; i < PQntuples(unmodelled); i++) {
        struct pcsm_schema_unmodelled *u;

        pcsm__grow(&s->unmodelled, &s->cap_unmodelled, s->n_unmodelled + 1,
                   sizeof(*s->unmodelled));
        u = &s->unmodelled[s->n_unmodelled++];
        u->kind = pcsm__xstrdup(PQgetvalue(unmodelled, i, 0));
        u->name = pcsm__xstrdup(PQgetvalue(unmodelled, i, 1));
        u->schema = text_or_null(unmodelled, i, 2);
    }
    for (i = 0; i < PQntuples(grants); i++)
        read_grant(s, grants, i);
    read_default_acls(s, default_acls);
    pcsm_schema__sort(s);
    *out = s;
    return 0;
}
