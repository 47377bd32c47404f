#!/usr/bin/env python3
"""End to end: import-alembic's revisions build, migrate and go back.

The real pcs-migrate imports a small hand-written Alembic history (as the
reader's JSON: a root, two branches, their merge and one revision after it)
into an empty migrations directory of a copy of the source tree.  That tree
is built with -Dmigrations_dir pointing there, and its pcs-migrate runs
migrate to head and downgrade to base on a real database, the catalog
checked at each end.  A history with a placeholder is written too (exit 7),
and its build fails at the #error naming the Python file and line.  And the
reader's pipe: `python3 -I - VERSIONS_DIR` gets the reader's text on stdin,
a failing reader or no python3 writes nothing (a python3 of the test's own).
"""
import json
import os
import shutil
import subprocess
import sys
import tempfile
import unittest

DSN = os.environ.get('PCSM_TEST_DSN')
SOURCE_ROOT = os.environ['PCSM_TEST_SOURCE_ROOT']
BIN = os.environ['PCSM_TEST_BIN_PCS']
NEEDS_EDIT = 7
sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), '..', 'support'))
import source_tree  # noqa: E402  (tests/support/source_tree.py)


def run(*args, **kw):
    return subprocess.run(args, capture_output=True, text=True, **kw)


def said(r):
    return f'\n$ {" ".join(map(str, r.args))}\nexit {r.returncode}\n--- stdout\n{r.stdout}' \
           f'--- stderr\n{r.stderr}'


def col(name, kind, **kw):
    return {'name': name, 'type': {'kind': kind, **kw.pop('type', {})}, **kw}


def rev(rid, down, message, upgrade, downgrade, date='2011-11-08 11:40:27.089406'):
    return {'file': f'versions/{rid}_x.py', 'revision': rid, 'down_revision': down,
            'branch_labels': [], 'message': message, 'create_date': date,
            'upgrade': upgrade, 'downgrade': downgrade}


HISTORY = {'format': 1, 'source': 'versions', 'revisions': [
    # File-name order, as the reader gives it: the merge before its parents.
    rev('a1b2merge', ['ae1027a6acf', 'Branch_C2'], 'merge heads',
        [{'op': 'execute', 'line': 18, 'sql': "COMMENT ON TABLE account IS 'merged'"}],
        [{'op': 'comment_table', 'line': 22, 'table': 'account'}], date=None),
    rev('1975ea83b712', [], 'create account table', [
        {'op': 'create_table', 'line': 21, 'table': 'account',
         'columns': [col('id', 'integer', primary_key=True),
                     col('name', 'varchar', type={'p': 50}, not_null=True),
                     col('created', 'timestamptz',
                         default_value={'kind': 'expr', 'text': 'now()'})],
         'constraints': [{'kind': 'unique', 'name': 'uq_account_name',
                          'columns': ['name']}]}],
        [{'op': 'drop_table', 'line': 30, 'table': 'account'}]),
    rev('ae1027a6acf', ['1975ea83b712'], 'add email', [
        {'op': 'add_column', 'line': 12, 'table': 'account',
         'column': col('email', 'text')},
        {'op': 'create_index', 'line': 13,
         'index': {'name': 'ix_account_email', 'table': 'account', 'columns': ['email'],
                   'unique': True}}],
        [{'op': 'drop_index', 'line': 17, 'index': 'ix_account_email'},
         {'op': 'drop_column', 'line': 18, 'table': 'account', 'column': 'email'}],
        date='2011-11-09 10:00:00'),
    rev('Branch_C2', ['1975ea83b712'], 'tags: "quoted" */ message', [
        {'op': 'create_enum', 'line': 9, 'type': 'mood', 'labels': ['sad', 'ok']},
        {'op': 'create_table', 'line': 10, 'table': 'tag',
         'columns': [col('id', 'bigint', primary_key=True),
                     col('account_id', 'integer', not_null=True, references='account',
                         on_delete='cascade'),
                     col('mood', 'named', type={'name': 'mood'}),
                     col('labels', 'text', type={'array_dims': 1})]}],
        [{'op': 'drop_table', 'line': 20, 'table': 'tag'},
         {'op': 'drop_type', 'line': 21, 'type': 'mood'}],
        date='2011-11-09 10:00:00+02:00'),
    rev('e5', ['a1b2merge'], 'check names', [
        {'op': 'add_constraint', 'line': 7, 'table': 'account',
         'constraint': {'kind': 'check', 'name': 'ck_account_name',
                        'check': "name <> ''"}},
        {'op': 'execute_params', 'line': 8,
         'sql': 'INSERT INTO account (id, name) VALUES ($1, $2)',
         'params': [{'kind': 'expr', 'text': '1'}, {'kind': 'literal', 'text': "it's"}]}],
        [{'op': 'execute', 'line': 11, 'sql': 'DELETE FROM account WHERE id = 1'},
         {'op': 'drop_constraint', 'line': 12, 'table': 'account',
          'constraint': 'ck_account_name'}]),
]}

PLACEHOLDER = {'format': 1, 'source': 'versions', 'revisions': [
    rev('f1', [], 'loop over rows', [
        {'op': 'create_table', 'line': 9, 'table': 't',
         'columns': [col('id', 'integer')]},
        {'op': 'placeholder', 'line': 12, 'reason': 'loops over rows',
         'python': 'for row in conn.execute(sa.text("SELECT id FROM t")):\n'
                   '    op.execute(f"UPDATE t SET id = {row.id + 1} /* */")'}],
        [{'op': 'drop_table', 'line': 20, 'table': 't'}]),
]}


class ImportBuilds(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        if not DSN:
            if os.environ.get('PCSM_TEST_REQUIRE_DB'):
                raise AssertionError('PCSM_TEST_DSN not set (integration_tests=enabled)')
            raise unittest.SkipTest('PCSM_TEST_DSN not set')
        cls.tmp = tempfile.mkdtemp(prefix='pcsm-import-')
        cls.src = os.path.join(cls.tmp, 'src')
        source_tree.copy_tree(SOURCE_ROOT, cls.src)
        cls.build = os.path.join(cls.tmp, 'build')
        cls.db = f'pcsm_t_import_{os.getpid()}'
        cls.psql('postgres', f'CREATE DATABASE "{cls.db}"')

    @classmethod
    def tearDownClass(cls):
        cls.psql('postgres', f'DROP DATABASE IF EXISTS "{cls.db}" WITH (FORCE)', check=False)
        shutil.rmtree(cls.tmp, True)

    @classmethod
    def psql(cls, db, sql, check=True):
        r = run('psql', '-X', '-q', '-A', '-t', '-v', 'ON_ERROR_STOP=1', '-d',
                f'{DSN} dbname={db}', '-c', sql)
        if check:
            assert r.returncode == 0, said(r)
        return r.stdout.strip()

    def imported(self, name, history, status):
        """An empty migrations directory of the copy, history imported into it."""
        d = os.path.join(self.src, name)
        os.makedirs(d)
        with open(os.path.join(d, 'revisions.txt'), 'w') as f:
            f.write('# imported from Alembic\n')
        doc = os.path.join(self.tmp, name + '.json')
        with open(doc, 'w') as f:
            json.dump(history, f)
        r = run(BIN, 'import-alembic', '--from-json', doc, '--dir', d)
        self.assertEqual(r.returncode, status, said(r))
        return d, r

    def compile(self, name):
        if not os.path.isdir(self.build):
            made = run('meson', 'setup', self.build, self.src, '-Dtests=disabled',
                       f'-Dmigrations_dir={name}')
        else:
            made = run('meson', 'configure', self.build, f'-Dmigrations_dir={name}')
        self.assertEqual(made.returncode, 0, said(made))
        return run('meson', 'compile', '-C', self.build, 'pcs-migrate')

    def catalog(self):
        """The public schema's objects, pcs-migrate's own two tables aside."""
        return self.psql(self.db, """
            SELECT coalesce(string_agg(x, ' ' ORDER BY x), '') FROM (
              SELECT 'table:' || relname AS x FROM pg_class c
                JOIN pg_namespace n ON n.oid = c.relnamespace
               WHERE n.nspname = 'public' AND relkind IN ('r', 'i')
                 AND relname !~ '^(alembic_version|pcs_migrate_history)'
              UNION ALL
              SELECT 'col:' || table_name || '.' || column_name || ':' || udt_name
                FROM information_schema.columns WHERE table_schema = 'public'
                 AND table_name IN ('account', 'tag')
              UNION ALL
              SELECT 'con:' || conname || ':' || contype::text FROM pg_constraint c
                JOIN pg_namespace n ON n.oid = c.connamespace WHERE n.nspname = 'public'
                 AND conrelid::regclass::text !~ '^(alembic_version|pcs_migrate_history)'
              UNION ALL
              SELECT 'type:' || typname FROM pg_type t
                JOIN pg_namespace n ON n.oid = t.typnamespace
               WHERE n.nspname = 'public' AND typtype = 'e') s""")

    def test_history_imports_builds_and_round_trips(self):
        d, r = self.imported('imported', HISTORY, 0)
        paths = r.stdout.split()
        self.assertEqual([os.path.basename(p) for p in paths], [
            'a1b2merge_merge_heads.c', '1975ea83b712_create_account_table.c',
            'ae1027a6acf_add_email.c', 'Branch_C2_tags_quoted_message.c',
            'e5_check_names.c'])
        self.assertIn('imported 5 revisions into ', r.stderr)
        self.assertIn(': 5 clean, 0 with placeholders; operations: 13 structured, '
                      '3 raw SQL, 0 placeholders', r.stderr)
        with open(os.path.join(d, 'a1b2merge_merge_heads.c')) as f:
            text = f.read()
        self.assertIn(' * Revises: ae1027a6acf, Branch_C2\n', text)
        with open(os.path.join(d, '1975ea83b712_create_account_table.c')) as f:
            self.assertIn(' * Revises: None\n * Create Date: 2011-11-08 11:40:27.089406\n',
                          f.read())
        # Again: every id is there already; nothing is written or listed twice.
        again = run(BIN, 'import-alembic', '--from-json',
                    os.path.join(self.tmp, 'imported.json'), '--dir', d)
        self.assertEqual(again.returncode, 2, said(again))
        self.assertIn('is in', again.stderr)
        self.assertEqual(len(os.listdir(d)), 6)

        made = self.compile('imported')
        self.assertEqual(made.returncode, 0, said(made))
        binary = os.path.join(self.build, 'pcs-migrate')
        url = f'{DSN} dbname={self.db}'
        history = run(binary, 'history')
        self.assertEqual(history.returncode, 0, said(history))
        self.assertIn('a1b2merge -> e5 (head), check names', history.stdout)

        up = run(binary, 'migrate', '--database-url', url)
        self.assertEqual(up.returncode, 0, said(up))
        self.assertEqual(self.psql(self.db, 'SELECT version_num FROM alembic_version'), 'e5')
        catalog = self.catalog().split()
        for item in ('table:account', 'table:tag', 'table:ix_account_email',
                     'col:account.email:text', 'col:account.name:varchar',
                     'col:tag.labels:_text', 'col:tag.mood:mood',
                     'con:uq_account_name:u', 'con:ck_account_name:c', 'con:tag_pkey:p',
                     'con:tag_account_id_fkey:f', 'type:mood'):
            self.assertIn(item, catalog)
        self.assertEqual(self.psql(self.db, "SELECT name FROM account WHERE id = 1"), "it's")
        self.assertEqual(self.psql(self.db, "SELECT obj_description('account'::regclass)"),
                         'merged')

        down = run(binary, 'downgrade', 'base', '--database-url', url)
        self.assertEqual(down.returncode, 0, said(down))
        self.assertEqual(self.catalog(), '')
        self.assertEqual(self.psql(self.db, 'SELECT count(*) FROM alembic_version'), '0')

        # A placeholder: written and listed, exit 7, and the build stops at it.
        d, r = self.imported('imported_ph', PLACEHOLDER, NEEDS_EDIT)
        self.assertIn(': 0 clean, 1 with placeholders; operations: 2 structured, 0 raw SQL, '
                      '1 placeholders', r.stderr)
        with open(os.path.join(d, 'f1_loop_over_rows.c')) as f:
            text = f.read()
        self.assertIn('op.execute(f"UPDATE t SET id = {row.id + 1} / * * /")', text)
        made = self.compile('imported_ph')
        self.assertNotEqual(made.returncode, 0, said(made))
        self.assertRegex(made.stdout + made.stderr,
                         r'f1_loop_over_rows\.c:\d+:\d+: error: #error "versions/f1_x\.py:12: '
                         r'imported Python cannot run in a revision: loops over rows"')


class ReaderThroughAPipe(unittest.TestCase):
    """import-alembic VERSIONS_DIR runs `python3 -I - VERSIONS_DIR` with the reader's text on
    its stdin and reads its JSON back: here a python3 of the test's own, which records what
    it was given and answers with a history.  No database, no build."""

    def setUp(self):
        self.tmp = tempfile.mkdtemp(prefix='pcsm-import-pipe-')
        self.addCleanup(shutil.rmtree, self.tmp, True)
        self.dir = os.path.join(self.tmp, 'migrations')
        os.makedirs(self.dir)
        with open(os.path.join(self.dir, 'revisions.txt'), 'w') as f:
            f.write('')
        self.bin = os.path.join(self.tmp, 'bin')
        os.makedirs(self.bin)
        with open(os.path.join(self.tmp, 'history.json'), 'w') as f:
            json.dump(PLACEHOLDER, f)

    def fake_python(self, status):
        path = os.path.join(self.bin, 'python3')
        with open(path, 'w') as f:
            f.write('#!/bin/sh\n'
                    f'cat > {self.tmp}/script.py\n'
                    f'echo "$@" > {self.tmp}/args\n'
                    f'cat {self.tmp}/history.json\n'
                    f'exit {status}\n')
        os.chmod(path, 0o755)

    def test_the_reader_gets_its_script_and_answers(self):
        self.fake_python(0)
        env = dict(os.environ, PATH=self.bin + os.pathsep + os.environ['PATH'])
        r = run(BIN, 'import-alembic', 'some/versions', '--dir', self.dir, env=env)
        self.assertEqual(r.returncode, NEEDS_EDIT, said(r))
        self.assertEqual(r.stdout, os.path.join(self.dir, 'f1_loop_over_rows.c') + '\n')
        with open(os.path.join(self.tmp, 'args')) as f:
            self.assertEqual(f.read(), '-I - some/versions\n')
        with open(os.path.join(self.tmp, 'script.py')) as f, \
                open(os.path.join(SOURCE_ROOT, 'generator', 'alembic_import.py')) as g:
            self.assertEqual(f.read(), g.read())

    def test_a_failing_reader_writes_nothing(self):
        self.fake_python(3)
        env = dict(os.environ, PATH=self.bin + os.pathsep + os.environ['PATH'])
        r = run(BIN, 'import-alembic', 'some/versions', '--dir', self.dir, env=env)
        self.assertEqual(r.returncode, 1, said(r))
        self.assertIn('the Alembic reader failed on some/versions (exit status 3); '
                      'nothing written', r.stderr)
        self.assertEqual(sorted(os.listdir(self.dir)), ['revisions.txt'])

    def test_no_python3(self):
        r = run(BIN, 'import-alembic', 'some/versions', '--dir', self.dir,
                env=dict(os.environ, PATH=self.bin))
        self.assertEqual(r.returncode, 1, said(r))
        self.assertIn('python3 (the Alembic reader runs on it) was not found', r.stderr)


if __name__ == '__main__':
    unittest.main()
