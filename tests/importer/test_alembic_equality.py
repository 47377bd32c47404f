#!/usr/bin/env python3
"""Issue 20's proof of equality: Alembic's own schema and the imported
revisions' are the same, revision by revision.

For the `clean`, `seed` and `schemas` fixture histories: `pcs-migrate import-alembic`
writes them into an empty migrations directory of a copy of the source
tree, built with -Dmigrations_dir there.  Then for each revision in
topological order, Alembic's `upgrade REV` on database A and the imported
binary's `upgrade REV` on database B, and `pcs-migrate diff --from A --to
B` must exit 0 (it reads both catalogs; the version and history tables
are not part of either schema).  Then B goes down to base and up to head
and is compared again, and Alembic takes A down to base.  The imported
seed revision's schema equals the project's own migrations/9a39eb7fd78f
(a database migrated by the main build's pcs-migrate).  And the `full`
history imports with its one placeholder (exit 7), its build failing at
the #error, which names the Python file and line; written by hand as the
placeholder asks (the loop over rows as one UPDATE), it builds and equals
Alembic at every revision, with the same rows.

Exit 77 (skip) when no python3 here imports alembic and psycopg2.
"""
import os
import re
import shutil
import subprocess
import sys
import tempfile
import unittest

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))
sys.path.insert(0, HERE)
sys.path.insert(0, os.path.join(ROOT, 'tests', 'support'))
sys.path.insert(0, os.path.join(ROOT, 'generator'))
import alembic_import  # noqa: E402
import alembic_run  # noqa: E402
import source_tree  # noqa: E402

DSN = os.environ.get('PCSM_TEST_DSN')
SOURCE_ROOT = os.environ.get('PCSM_TEST_SOURCE_ROOT', ROOT)
BIN = os.environ.get('PCSM_TEST_BIN_PCS')
FIXTURES = os.path.join(SOURCE_ROOT, 'tests', 'fixtures', 'alembic')
SKIP = 77
NEEDS_EDIT = 7
PYTHON = None


def run(*args, **kw):
    return subprocess.run(list(args), capture_output=True, text=True, **kw)


def said(r):
    return f'exit {r.returncode}\nstdout:\n{r.stdout}\nstderr:\n{r.stderr}'


class Equality(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.tmp = tempfile.mkdtemp(prefix='pcsm-alembic-eq-')
        cls.src = os.path.join(cls.tmp, 'src')
        source_tree.copy_tree(SOURCE_ROOT, cls.src)
        cls.build = os.path.join(cls.tmp, 'build')
        cls.dbs = []

    @classmethod
    def tearDownClass(cls):
        for db in cls.dbs:
            cls.psql('postgres', f'DROP DATABASE IF EXISTS "{db}" WITH (FORCE)', check=False)
        shutil.rmtree(cls.tmp, True)

    @classmethod
    def psql(cls, db, sql, check=True):
        r = run('psql', '-X', '-q', '-A', '-t', '-v', 'ON_ERROR_STOP=1', '-d',
                f'{DSN} dbname={db}', '-c', sql)
        if check:
            assert r.returncode == 0, said(r)
        return r.stdout.strip()

    def database(self, name):
        db = f'pcsm_t_aeq_{name}_{os.getpid()}'
        self.psql('postgres', f'DROP DATABASE IF EXISTS "{db}" WITH (FORCE)')
        self.psql('postgres', f'CREATE DATABASE "{db}"')
        self.dbs.append(db)
        return db, f'{DSN} dbname={db}'

    def imported(self, name, status, into=None):
        """The fixture history `name` imported into migrations dir
        imported_<into>, by default imported_<name>."""
        d = os.path.join(self.src, 'imported_' + (into or name))
        os.makedirs(d)
        with open(os.path.join(d, 'revisions.txt'), 'w') as f:
            f.write('# imported from Alembic\n')
        r = run(BIN, 'import-alembic', os.path.join(FIXTURES, name, 'versions'), '--dir', d)
        self.assertEqual(r.returncode, status, said(r))
        return r

    def compile(self, name):
        """The copy's pcs-migrate built on migrations dir imported_<name>, kept
        apart, and its round-trip target (tests/roundtrip) beside it."""
        if not os.path.isdir(self.build):
            made = run('meson', 'setup', self.build, self.src, '-Dtests=enabled',
                       '-Dintegration_tests=disabled', f'-Dmigrations_dir=imported_{name}')
        else:
            made = run('meson', 'configure', self.build, f'-Dmigrations_dir=imported_{name}')
        self.assertEqual(made.returncode, 0, said(made))
        made = run('meson', 'compile', '-C', self.build, '-j', '2', 'pcs-migrate',
                   'roundtrip-pcs')
        if made.returncode != 0:
            return None, made
        binary = os.path.join(self.tmp, 'pcs-migrate-' + name)
        shutil.copy2(os.path.join(self.build, 'pcs-migrate'), binary)
        shutil.copy2(os.path.join(self.build, 'tests', 'roundtrip', 'roundtrip-pcs'),
                     binary + '-roundtrip')
        return binary, made

    def round_trip(self, binary, *ids):
        """The round-trip target over the imported revisions: each up, down and
        up again, the catalog compared each time (each of `ids` alone on a
        database brought to its parents; none: all in order on one)."""
        return run(binary + '-roundtrip', *ids, env=dict(os.environ, PCSM_TEST_DSN=DSN))

    def assert_round_trips(self, binary, n):
        r = self.round_trip(binary)
        self.assertEqual(r.returncode, 0, said(r))
        self.assertEqual(len(re.findall(r'(?m)^ok \d+ - ', r.stdout)), n, r.stdout)

    def diff(self, a, b, when):
        r = run(BIN, 'diff', '--from', a, '--to', b)
        self.assertEqual(r.returncode, 0, f'{when}: the schemas differ\n{said(r)}')

    def tables(self, db):
        """The tables of public, the version and history tables aside."""
        return self.psql(db, """
            SELECT coalesce(string_agg(relname, ' ' ORDER BY relname), '') FROM pg_class c
              JOIN pg_namespace n ON n.oid = c.relnamespace
             WHERE n.nspname = 'public' AND relkind = 'r'
               AND relname NOT IN ('alembic_version', 'pcs_migrate_history')""")

    def catalog(self, db):
        """Every schema's tables, columns, constraints, indexes, enums,
        sequences and comments as the server prints them, the version and
        history tables aside.  pcs-migrate diff proves more where it reads;
        this is the same proof for schemas other than the target."""
        return self.psql(db, """
            WITH rel AS (
              SELECT c.oid, n.nspname || '.' || c.relname AS name FROM pg_class c
                JOIN pg_namespace n ON n.oid = c.relnamespace
               WHERE c.relkind = 'r' AND n.nspname NOT IN ('pg_catalog', 'information_schema')
                 AND n.nspname NOT LIKE 'pg_toast%'
                 AND c.relname NOT IN ('alembic_version', 'pcs_migrate_history'))
            SELECT coalesce(string_agg(x, E'\\n' ORDER BY x), '') FROM (
              SELECT 'schema ' || nspname AS x FROM pg_namespace
               WHERE nspname NOT LIKE 'pg\\_%' AND nspname <> 'information_schema'
              UNION ALL
              SELECT format('%s %s %s %s %s', r.name, a.attname,
                            format_type(a.atttypid, a.atttypmod), a.attnotnull,
                            pg_get_expr(d.adbin, d.adrelid))
                FROM rel r JOIN pg_attribute a ON a.attrelid = r.oid
                LEFT JOIN pg_attrdef d ON d.adrelid = r.oid AND d.adnum = a.attnum
               WHERE a.attnum > 0 AND NOT a.attisdropped
              UNION ALL
              SELECT format('%s %s %s', r.name, con.conname, pg_get_constraintdef(con.oid))
                FROM rel r JOIN pg_constraint con ON con.conrelid = r.oid
              UNION ALL
              SELECT pg_get_indexdef(i.indexrelid) FROM rel r
                JOIN pg_index i ON i.indrelid = r.oid
              UNION ALL
              SELECT format('comment %s %s', r.name, obj_description(r.oid, 'pg_class'))
                FROM rel r WHERE obj_description(r.oid, 'pg_class') IS NOT NULL
              UNION ALL
              SELECT format('sequence %s.%s %s %s %s %s %s', schemaname, sequencename,
                            data_type, start_value, increment_by, min_value, max_value)
                FROM pg_sequences WHERE sequencename NOT LIKE 'pcs\\_migrate\\_history%'
              UNION ALL
              SELECT format('enum %s.%s %s', n.nspname, t.typname,
                            (SELECT string_agg(enumlabel, ',' ORDER BY enumsortorder)
                               FROM pg_enum WHERE enumtypid = t.oid))
                FROM pg_type t JOIN pg_namespace n ON n.oid = t.typnamespace
               WHERE t.typtype = 'e') s""")

    def equal_at_each_revision(self, name, binary, every_schema=False, same_rows=None):
        """Alembic on A and `binary` on B, revision by revision, equal; then
        B round-trips.  `same_rows`: a query whose result A and B share at
        head (the data migrations did the same)."""
        project = os.path.join(FIXTURES, name)
        a_db, a = self.database(name + '_a')
        b_db, b = self.database(name + '_b')
        order = alembic_run.topological_order(os.path.join(project, 'versions'))
        self.assertTrue(order)
        for rev in order:
            alembic_run.alembic(PYTHON, project, a, 'upgrade', rev)
            up = run(binary, 'upgrade', rev, '--database-url', b)
            self.assertEqual(up.returncode, 0, f'{name} {rev}: {said(up)}')
            self.diff(a, b, f'{name} at {rev}')
            self.assertEqual(self.tables(a_db), self.tables(b_db), f'{name} at {rev}')
            if every_schema:
                self.assertEqual(self.catalog(a_db), self.catalog(b_db), f'{name} at {rev}')
        self.assertEqual(self.psql(a_db, 'SELECT version_num FROM alembic_version'),
                         self.psql(b_db, 'SELECT version_num FROM alembic_version'))
        if same_rows:
            rows = self.psql(a_db, same_rows)
            self.assertNotEqual(rows, '')
            self.assertEqual(rows, self.psql(b_db, same_rows), f'{name} at head')
        head_tables = self.tables(b_db)
        self.assertNotEqual(head_tables, '')
        # The round trip on B: down to base, up to head, equal again.
        down = run(binary, 'downgrade', 'base', '--database-url', b)
        self.assertEqual(down.returncode, 0, f'{name}: {said(down)}')
        self.assertEqual(self.tables(b_db), '')
        if every_schema:
            self.assertEqual(self.catalog(b_db), 'schema public', f'{name} at base')
        up = run(binary, 'migrate', '--database-url', b)
        self.assertEqual(up.returncode, 0, f'{name}: {said(up)}')
        self.diff(a, b, f'{name} at head after the round trip')
        self.assertEqual(self.tables(b_db), head_tables)
        if every_schema:
            self.assertEqual(self.catalog(a_db), self.catalog(b_db), f'{name} round trip')
        alembic_run.alembic(PYTHON, project, a, 'downgrade', 'base')
        self.assertEqual(self.tables(a_db), '')
        return b_db, b

    def test_clean_history_equals_alembic(self):
        r = self.imported('clean', 0)
        self.assertIn(': 7 clean, 0 with placeholders;', r.stderr)
        binary, made = self.compile('clean')
        self.assertIsNotNone(binary, said(made))
        b_db, _ = self.equal_at_each_revision('clean', binary)
        self.assert_round_trips(binary, 7)
        # What the newer calls made, as the server has it.
        self.assertEqual(self.psql(b_db, """
            SELECT string_agg(conname || ':' || contype::text, ' ' ORDER BY conname)
              FROM pg_constraint WHERE conrelid = 'badge'::regclass"""),
            'badge_code_check:c badge_code_key:u badge_during_excl:x badge_lower_excl:x '
            'badge_pkey:p badge_ticket_id_fkey:f excl_badge_code:x fk_badge_ticket_nv:f '
            'uq_badge_code_at:u')
        # NOT VALID stays so until validated: the foreign key is, the check no longer.
        self.assertEqual(self.psql(b_db, """
            SELECT string_agg(conname || ':' || convalidated, ' ' ORDER BY conname)
              FROM pg_constraint WHERE conname IN ('fk_badge_ticket_nv', 'ck_ticket_title')"""),
            'ck_ticket_title:true fk_badge_ticket_nv:false')
        self.assertEqual(self.psql(b_db, """
            SELECT string_agg(indexrelid::regclass::text, ' ' ORDER BY indexrelid::regclass::text)
              FROM pg_index WHERE indrelid = 'badge'::regclass"""),
            'badge_code_key badge_during_excl badge_lower_excl badge_pkey excl_badge_code '
            'ix_badge_ip ix_badge_lower_code uq_badge_code_at ux_badge_net')
        self.assertEqual(self.psql(b_db, """
            SELECT string_agg(x.relname || ':' || (to_jsonb(i) ->> 'indnullsnotdistinct'), ' '
                              ORDER BY x.relname)
              FROM pg_index i JOIN pg_class x ON x.oid = i.indexrelid
             WHERE x.relname IN ('ux_badge_net', 'uq_ticket_title')"""),
            'uq_ticket_title:true ux_badge_net:true')
        # The exclusion constraints as Alembic's SQLAlchemy wrote them.
        self.assertEqual(self.psql(b_db, """
            SELECT string_agg(pg_get_constraintdef(oid), ' | ' ORDER BY conname)
              FROM pg_constraint WHERE conrelid = 'badge'::regclass AND contype = 'x'"""),
            "EXCLUDE USING gist (during WITH &&) WHERE (((code)::text <> ''::text)) | "
            "EXCLUDE USING btree (lower((code)::text) WITH =) | "
            "EXCLUDE USING btree (code WITH =) DEFERRABLE INITIALLY DEFERRED")
        # Row-level security from SQL, made by set_row_security and create_policy.
        self.assertEqual(self.psql(b_db, """
            SELECT c.relrowsecurity || ' ' || string_agg(p.polname || ':' || p.polcmd::text || ':'
                   || p.polpermissive, ' ' ORDER BY p.polname)
              FROM pg_class c JOIN pg_policy p ON p.polrelid = c.oid
             WHERE c.oid = 'badge'::regclass GROUP BY c.relrowsecurity"""),
            'true badge_visible:r:true badge_write:*:false')
        # Privileges from SQL, made by grant, revoke and grant_default.
        self.assertEqual(self.psql(b_db, """
            SELECT string_agg(pg_get_userbyid(e.grantee) || ':' || e.privilege_type, ' '
                              ORDER BY e.privilege_type)
              FROM pg_class c, aclexplode(c.relacl) e
             WHERE c.oid = 'badge'::regclass AND e.grantee <> c.relowner"""),
            'pg_monitor:INSERT pg_monitor:SELECT')
        self.assertEqual(self.psql(b_db, "SELECT defaclobjtype::text || ' ' || defaclacl::text "
                                         "FROM pg_default_acl"),
                         'S {postgres=rwU/postgres,pg_read_all_data=r/postgres}')
        self.assertEqual(self.psql(b_db, "SELECT typacl::text FROM pg_type "
                                         "WHERE typname = 'badge_pair'"),
                         '{postgres=U/postgres}')
        self.assertEqual(self.psql(b_db, "SELECT pg_get_serial_sequence('badge', 'id')"),
                         'public.badge_id_seq')
        self.assertEqual(self.psql(b_db, """
            SELECT format_type(atttypid, atttypmod) FROM pg_attribute
             WHERE attrelid = 'badge'::regclass AND attname = 'at'"""),
            'time(0) without time zone')
        # The guards' questions, asked of the server: each kind, present and not.
        for kind, args, want in [
                ('relation', [None, 'audit_log'], 't'), ('relation', ['public', 'nope'], 'f'),
                ('table', [None, 'badge'], 't'), ('view', [None, 'badge'], 'f'),
                ('sequence', [None, 'badge_id_seq'], 't'),
                ('column', [None, 'ticket', 'note'], 't'),
                ('column', [None, 'ticket', 'nope'], 'f'),
                ('index', [None, 'badge', 'ix_badge_ip'], 't'),
                ('index', [None, 'badge', 'badge_pkey'], 'f'),     # a primary key's: not listed
                ('unique', [None, 'badge', 'uq_badge_code_at'], 't'),
                ('foreign_key', [None, 'badge', 'badge_ticket_id_fkey'], 't'),
                ('check', [None, 'badge', 'badge_code_check'], 't'),
                ('check', [None, 'badge', 'badge_code_key'], 'f')]:
            self.assertEqual(self.psql(b_db, 'SELECT ' + alembic_import.catalog_exists(kind, args)),
                             want, (kind, args))

    def test_seed_history_equals_alembic_and_ours(self):
        r = self.imported('seed', 0)
        self.assertIn(': 1 clean, 0 with placeholders;', r.stderr)
        binary, made = self.compile('seed')
        self.assertIsNotNone(binary, said(made))
        _, b = self.equal_at_each_revision('seed', binary)
        self.assert_round_trips(binary, 1)
        ours_db, ours = self.database('seed_ours')
        up = run(BIN, 'upgrade', '9a39eb7fd78f', '--database-url', ours)
        self.assertEqual(up.returncode, 0, said(up))
        self.diff(ours, b, "the imported 9a39eb7fd78f and the project's own")
        self.assertNotEqual(self.tables(ours_db), '')

    def test_schemas_history_equals_alembic(self):
        r = self.imported('schemas', 0)
        self.assertIn(': 3 clean, 0 with placeholders;', r.stderr)
        d = os.path.join(self.src, 'imported_schemas')
        text = ''
        for f in sorted(os.listdir(d)):
            if f.endswith('.c'):
                with open(os.path.join(d, f)) as c:
                    text += c.read()
        self.assertIn('pcsm_set_schema(op, "billing");', text)
        self.assertIn('.ref_schema = "billing"', text)
        self.assertIn('PCSM_TYPE_IN("billing", "invoice_state")', text)
        binary, made = self.compile('schemas')
        self.assertIsNotNone(binary, said(made))
        b_db, _ = self.equal_at_each_revision('schemas', binary, every_schema=True)
        self.assert_round_trips(binary, 3)
        # What the imported revisions made, as the server has it.
        self.assertEqual(self.psql(b_db, """
            SELECT string_agg(conname || ' ' || confrelid::regclass::text, ', '
                              ORDER BY conname)
              FROM pg_constraint WHERE contype = 'f'"""),
            'fk_entry_account account, fk_entry_invoice billing.invoice, '
            'invoice_account_id_fkey account, payment_invoice_id_fkey billing.invoice')
        self.assertEqual(self.psql(b_db, """
            SELECT string_agg(indexrelid::regclass::text, ' '
                              ORDER BY indexrelid::regclass::text)
              FROM pg_index WHERE indrelid = 'billing.invoice'::regclass"""),
            'billing.invoice_pkey billing.ix_billing_invoice_account_id '
            'billing.ix_invoice_due billing.ix_invoice_state')
        # The ordered keys, from text("... DESC NULLS LAST") and .desc().
        self.assertEqual(self.psql(b_db, "SELECT pg_get_indexdef("
                                   "'billing.ix_invoice_due'::regclass)"),
                         'CREATE INDEX ix_invoice_due ON billing.invoice '
                         'USING btree (due_on DESC NULLS LAST, total DESC)')
        self.assertEqual(self.psql(b_db, "SELECT count(*) FROM billing.currency"), '2')

    def test_full_history_equals_alembic_once_its_placeholder_is_written(self):
        """What the import asks of its user: the Python loop over rows written
        as SQL where its placeholder is, the #error deleted.  Then `full` builds,
        and equals Alembic at every revision, merge and schema `ref` included;
        the slugs the SQL computes are the ones the Python did."""
        self.imported('full', NEEDS_EDIT, into='full_edited')
        d = os.path.join(self.src, 'imported_full_edited')
        (path,) = [os.path.join(d, f) for f in os.listdir(d) if f.startswith('f10000000002')]
        with open(path) as f:
            text = f.read()
        # C source: the SQL's '\s+' is written '\\s+' in the C string.
        written = ('    /* The loop over rows, as one statement: "-".join(name.lower().split()). */\n'
                   '    pcsm_execute(op, "UPDATE customer SET slug = array_to_string("\n'
                   '                     "regexp_split_to_array(btrim(lower(name)), '
                   "'\\\\s+'), '-')\");\n")
        edited, n = re.subn(
            r'    /\*\n     \* Imported from versions/f10000000002.*?\n#error [^\n]*\n',
            lambda m: written, text, flags=re.S)
        self.assertEqual(n, 1, text)
        with open(path, 'w') as f:
            f.write(edited)
        binary, made = self.compile('full_edited')
        self.assertIsNotNone(binary, said(made))
        self.equal_at_each_revision(
            'full', binary, every_schema=True,
            same_rows="SELECT string_agg(name || '=' || slug, ',' ORDER BY id) FROM customer")
        # Each revision alone: f10000000004's downgrade, as Alembic's, leaves the
        # enum label its upgrade added (PostgreSQL cannot drop one), and the
        # round trip says so; the others undo what they do.
        r = self.round_trip(binary, 'f10000000001', 'f10000000002', 'f10000000003',
                            'f10000000004')
        self.assertEqual(r.returncode, 1, said(r))
        self.assertEqual(re.findall(r'(?m)^(?:not )?ok \d+ - (\w+)', r.stdout),
                         ['f10000000001', 'f10000000002', 'f10000000003', 'f10000000004'])
        self.assertRegex(r.stdout, r'(?m)^not ok 4 - f10000000004 ')
        self.assertEqual(len(re.findall(r'(?m)^ok \d+ - ', r.stdout)), 3, r.stdout)
        self.assertIn('banned', r.stdout)

    def test_full_history_stops_the_build_at_its_placeholder(self):
        r = self.imported('full', NEEDS_EDIT)
        self.assertRegex(r.stderr, r': 3 clean, 1 with placeholders; operations: \d+ '
                         r'structured, \d+ raw SQL, \d+ placeholders')
        binary, made = self.compile('full')
        self.assertIsNone(binary, 'the build of a history with placeholders succeeded')
        self.assertRegex(made.stdout + made.stderr,
                         r'f1000000000\d_\w+\.c:\d+:\d+: error: #error "versions/f1000000000\d_'
                         r'\w+\.py:\d+: imported Python cannot run in a revision: ')


def main():
    global PYTHON
    PYTHON = alembic_run.find_interpreter()
    if PYTHON is None:
        print('no python3 here imports alembic and psycopg2: skip')
        return SKIP
    if not DSN or not BIN:
        if os.environ.get('PCSM_TEST_REQUIRE_DB'):
            print('PCSM_TEST_DSN or PCSM_TEST_BIN_PCS not set (integration_tests=enabled)')
            return 1
        print('PCSM_TEST_DSN not set: skip')
        return SKIP
    prog = unittest.main(exit=False, verbosity=2)
    return 0 if prog.result.wasSuccessful() else 1


if __name__ == '__main__':
    sys.exit(main())
