#!/usr/bin/env python3
"""A generated chain of 5,000 revisions, built and run end to end.

    test_chain5000.py WORKDIR

Writes the chain with tests/fixtures/make_chain.py into WORKDIR/chain,
builds a pcs-migrate that carries it (a sub-build of this source tree in
WORKDIR/build, configured with -Dmigrations_dir; kept, so that a rerun only
rebuilds what changed), and runs it against a fresh database of
PCSM_TEST_DSN: migrate (5,000 tables, the version at head), history (5,000
entries), the no-op, downgrade base in one transaction (more locks than the
server's lock table holds: SQLSTATE 53200, nothing changed), downgrade base
and migrate with --transaction-per-migration.  Each step checks the
catalog, not only the exit status.  Prints the time of each step
as TAP comments.  Standard library only.
"""

import contextlib
import os
import re
import subprocess
import sys
import time
import unittest

N = 5000
HERE = os.path.dirname(os.path.abspath(__file__))
SOURCE_ROOT = os.path.abspath(os.environ.get(
    'PCSM_TEST_SOURCE_ROOT', os.path.join(HERE, '..', '..')))
MAKE_CHAIN = os.path.join(SOURCE_ROOT, 'tests', 'fixtures', 'make_chain.py')
DSN = os.environ.get('PCSM_TEST_DSN')
WORKDIR = None          # argv[1]


def run(args, **kw):
    return subprocess.run(args, capture_output=True, text=True, **kw)


def note(step, started):
    print(f'# chain{N}: {step} {time.monotonic() - started:.1f} s',
          flush=True)


class Chain5000(unittest.TestCase):

    @classmethod
    def setUpClass(cls):
        if not DSN:
            if os.environ.get('PCSM_TEST_REQUIRE_DB'):
                raise AssertionError('PCSM_TEST_DSN not set '
                                     '(integration_tests=enabled)')
            raise unittest.SkipTest('PCSM_TEST_DSN not set')
        cls.chain = os.path.join(WORKDIR, 'chain')
        cls.build = os.path.join(WORKDIR, 'build')
        started = time.monotonic()
        made = run([sys.executable, MAKE_CHAIN, cls.chain, str(N)])
        if made.returncode != 0:
            raise AssertionError(f'make_chain.py: {made.stderr}')
        cls.names = made.stdout.split()
        note('chain written', started)
        started = time.monotonic()
        if not os.path.exists(os.path.join(cls.build, 'build.ninja')):
            # Only pcs-migrate, unoptimised: the cost is 5,000 compiler
            # runs, and what is under test is the build's scale, not -O2.
            setup = run(['meson', 'setup', cls.build, SOURCE_ROOT,
                         '--buildtype=plain', '-Dwerror=true',
                         '-Dtests=disabled', '-Dlint=off',
                         f'-Dmigrations_dir={cls.chain}'])
            if setup.returncode != 0:
                raise AssertionError('meson setup: ' + setup.stdout
                                     + setup.stderr)
        note('meson setup', started)
        started = time.monotonic()
        built = run(['ninja', '-C', cls.build, '-j', '2', 'pcs-migrate'])
        if built.returncode != 0:
            raise AssertionError('ninja: ' + built.stdout[-4000:])
        note('build', started)
        cls.binary = os.path.join(cls.build, 'pcs-migrate')
        cls.db = f'pcsm_t_chain{N}_{os.getpid()}'
        cls.psql_as('postgres', f'CREATE DATABASE "{cls.db}" '
                    'TEMPLATE template0')

    @classmethod
    def tearDownClass(cls):
        if getattr(cls, 'db', None):
            cls.psql_as('postgres',
                        f'DROP DATABASE IF EXISTS "{cls.db}" WITH (FORCE)')

    @classmethod
    def psql_as(cls, db, sql):
        r = run(['psql', '-X', '-q', '-A', '-t', '-v', 'ON_ERROR_STOP=1',
                 '-d', f'{DSN} dbname={db}', '-c', sql])
        if r.returncode != 0:
            raise AssertionError(f'psql {sql}: {r.stderr}')
        return r.stdout.strip()

    def psql(self, sql):
        return self.psql_as(self.db, sql)

    def pcs(self, *args):
        started = time.monotonic()
        r = run([self.binary, '--database-url', f'{DSN} dbname={self.db}',
                 *args])
        note(' '.join(args), started)
        return r

    def tables(self):
        return int(self.psql("SELECT count(*) FROM pg_class c JOIN "
                             "pg_namespace n ON n.oid = c.relnamespace "
                             "WHERE n.nspname = 'public' AND c.relkind = 'r' "
                             "AND c.relname LIKE 't\\_%'"))

    def version(self):
        """alembic_version's rows joined by ',', or None without it."""
        if self.psql("SELECT to_regclass('alembic_version') IS NULL") == 't':
            return None
        return self.psql("SELECT coalesce(string_agg(version_num, ','), '') "
                         "FROM alembic_version")

    def lock_slots(self):
        """The server's lock table, in locks (the formula of PostgreSQL's
        lock.c: max_locks_per_transaction times the backends that may hold
        them)."""
        settings = dict(line.split('|') for line in self.psql(
            "SELECT name, setting FROM pg_settings WHERE name IN ("
            "'max_locks_per_transaction', 'max_connections', "
            "'autovacuum_max_workers', 'max_worker_processes', "
            "'max_wal_senders', 'max_prepared_transactions')").split('\n'))
        backends = (int(settings['max_connections'])
                    + int(settings['autovacuum_max_workers']) + 1
                    + int(settings['max_worker_processes'])
                    + int(settings['max_wal_senders'])
                    + int(settings['max_prepared_transactions']))
        return int(settings['max_locks_per_transaction']) * backends

    def test_chain(self):
        head = self.names[-1].split('_')[0]
        one = self.pcs('migrate')
        self.assertEqual(one.returncode, 0, one.stderr[-2000:])
        self.assertEqual(self.tables(), N)
        self.assertEqual(self.version(), head)

        history = self.pcs('history')
        self.assertEqual(history.returncode, 0, history.stderr[-2000:])
        ids = re.findall(r'\b([0-9a-f]{12})\b', history.stdout)
        self.assertEqual(len(set(ids)), N)
        self.assertEqual(set(ids),
                         {name.split('_')[0] for name in self.names})

        noop = self.pcs('migrate')
        self.assertEqual(noop.returncode, 0, noop.stderr[-2000:])
        self.assertIn('nothing to do', noop.stdout + noop.stderr)
        self.assertEqual(self.version(), head)

        # Creating a table takes no entry in the server's lock table, but
        # dropping one takes three (table, index, row type): 15,000 for one
        # transaction, which a lock table of 64 x (100 connections + 22)
        # cannot hold.  One of 64 x (200 + 22), tests/run.sh's, nearly can:
        # another session then holds advisory locks, so that the
        # failure does not depend on the server's settings.
        with self.locks_held(max(0, self.lock_slots() - 2 * N)):
            one = self.pcs('downgrade', 'base')
        self.assertEqual(one.returncode, 1, one.stderr[-2000:])
        # The cause and both remedies, not only the server's hint.
        self.assertIn('out of shared memory (SQLSTATE 53200)', one.stderr)
        self.assertIn('run long chains with --transaction-per-migration, or '
                      'raise max_locks_per_transaction', one.stderr)
        # Rolled back whole: every table, the version at head.
        self.assertEqual(self.tables(), N)
        self.assertEqual(self.version(), head)

        down = self.pcs('downgrade', 'base', '--transaction-per-migration')
        self.assertEqual(down.returncode, 0, down.stderr[-2000:])
        self.assertEqual(self.tables(), 0)
        self.assertIn(self.version(), (None, ''))

        up = self.pcs('migrate', '--transaction-per-migration')
        self.assertEqual(up.returncode, 0, up.stderr[-2000:])
        self.assertEqual(self.tables(), N)
        self.assertEqual(self.version(), head)

    @contextlib.contextmanager
    def locks_held(self, count):
        """COUNT advisory locks held by another session meanwhile."""
        if count == 0:
            yield
            return
        holder = subprocess.Popen(
            ['psql', '-X', '-q', '-A', '-t', '-v', 'ON_ERROR_STOP=1', '-d',
             f'{DSN} dbname={self.db}'], stdin=subprocess.PIPE,
            stdout=subprocess.PIPE, text=True)
        try:
            holder.stdin.write('BEGIN;\nSELECT count(pg_advisory_xact_lock('
                               f'i)) FROM generate_series(1, {count}) i;\n')
            holder.stdin.flush()
            self.assertEqual(holder.stdout.readline().strip(), str(count))
            print(f'# chain{N}: {count} advisory locks held meanwhile',
                  flush=True)
            yield
        finally:
            holder.stdin.close()    # psql ends, and its locks with it
            holder.wait()
            holder.stdout.close()


if __name__ == '__main__':
    if len(sys.argv) < 2:
        sys.exit('usage: test_chain5000.py WORKDIR')
    WORKDIR = os.path.abspath(sys.argv.pop(1))
    unittest.main(verbosity=2)
