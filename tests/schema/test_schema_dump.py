#!/usr/bin/env python3
"""`pcs-migrate schema` is what the migrations build, for every registry.

For each registry binary: one database migrated to its heads by the
revisions, another built from nothing by running the schema the model
prints; pg_dump --schema-only of the two must be the same, bookkeeping
tables aside.  Objects made by raw SQL, which the model lists as unknown,
are left out of the comparison only where the model said so (its end-of-
output list).  Needs PCSM_TEST_DSN, a libpq conninfo string.
"""
import os
import re
import subprocess
import sys
import tempfile
import unittest

DSN = os.environ.get('PCSM_TEST_DSN')
# failing: its third revision fails on the server by design; sleepy: sleeps.
SKIP = {'FAILING', 'SLEEPY'}


def run(*args, **kw):
    return subprocess.run(args, capture_output=True, text=True, **kw)


def binaries():
    out = {}
    for key, path in sorted(os.environ.items()):
        if key.startswith('PCSM_TEST_BIN_') and key[len('PCSM_TEST_BIN_'):] not in SKIP:
            out[key[len('PCSM_TEST_BIN_'):].lower()] = path
    return out


class SchemaIsWhatTheMigrationsBuild(unittest.TestCase):
    def setUp(self):
        if not DSN:
            if os.environ.get('PCSM_TEST_REQUIRE_DB'):
                self.fail('PCSM_TEST_DSN not set (integration_tests=enabled)')
            self.skipTest('PCSM_TEST_DSN not set')
        self.tmp = tempfile.mkdtemp(prefix='pcsm-schema-')
        self.dbs = []

    def tearDown(self):
        for db in self.dbs:
            self.psql('postgres', f'DROP DATABASE IF EXISTS "{db}" WITH (FORCE)')

    def conninfo(self, db):
        return f'{DSN} dbname={db}'

    def psql(self, db, sql=None, file=None):
        args = ['psql', '-X', '-q', '-v', 'ON_ERROR_STOP=1', '-d', self.conninfo(db)]
        args += ['-f', file] if file else ['-c', sql]
        r = run(*args)
        self.assertEqual(r.returncode, 0, f'psql {sql or file}: {r.stderr}')
        return r.stdout

    def database(self, name):
        db = f'pcsm_t_schema_{os.getpid()}_{name}'
        self.psql('postgres', f'CREATE DATABASE "{db}" TEMPLATE template0')
        self.dbs.append(db)
        return db

    def dump(self, db, leave_out):
        """The schema-only dump, less bookkeeping and the kinds in leave_out."""
        archive = os.path.join(self.tmp, db + '.dump')
        r = run('pg_dump', '-Fc', '-s', '-f', archive, '-d', self.conninfo(db))
        self.assertEqual(r.returncode, 0, r.stderr)
        toc = run('pg_restore', '-l', archive)
        self.assertEqual(toc.returncode, 0, toc.stderr)
        kept = [line for line in toc.stdout.splitlines()
                if not re.search(r'\b(alembic_version|pcs_migrate_history)', line)
                and not any(f' {kind} ' in line for kind in leave_out)]
        listing = os.path.join(self.tmp, db + '.list')
        with open(listing, 'w') as f:
            f.write('\n'.join(kept) + '\n')
        text = run('pg_restore', '-L', listing, '-f', '-', archive)
        self.assertEqual(text.returncode, 0, text.stderr)
        # Comments name the database and versions; \restrict takes a random key.
        return '\n'.join(l for l in text.stdout.splitlines()
                         if not l.startswith(('--', '\\restrict', '\\unrestrict')))

    def compare(self, name, binary):
        migrated = self.database(name + '_m')
        env = dict(os.environ, DATABASE_URL=self.conninfo(migrated))
        up = run(binary, 'upgrade', 'heads', env=env)
        self.assertEqual(up.returncode, 0, up.stderr)

        schema = run(binary, 'schema', env={k: v for k, v in os.environ.items()
                                           if k != 'DATABASE_URL'})
        self.assertEqual(schema.returncode, 0, schema.stderr)
        opaque = re.findall(r'(?m)^-- not in this model: .*raw SQL: (CREATE \w+)', schema.stdout)
        leave_out = {m.split()[1] for m in opaque}      # FUNCTION, TRIGGER, ...
        path = os.path.join(self.tmp, name + '.sql')
        with open(path, 'w') as f:
            f.write(schema.stdout)
        declared = self.database(name + '_d')
        self.psql(declared, file=path)

        want = self.dump(migrated, leave_out)
        got = self.dump(declared, leave_out)
        self.assertEqual(got, want, f'{name}: the printed schema builds another database')
        return declared, want

    def test_every_registry(self):
        bins = binaries()
        self.assertIn('pcs', bins)
        for name, binary in bins.items():
            with self.subTest(registry=name):
                self.compare(name, binary)

    def test_the_comparison_sees_a_difference(self):
        declared, want = self.compare('pcs', binaries()['pcs'])
        self.assertIn('CREATE TABLE public.contexts', want)
        self.assertIn('CONSTRAINT conversations_context_id_fkey FOREIGN KEY', want)
        self.psql(declared, 'DROP INDEX ix_prompts_name')
        self.assertNotEqual(self.dump(declared, {'FUNCTION', 'TRIGGER'}), want)


if __name__ == '__main__':
    unittest.main(verbosity=2)
