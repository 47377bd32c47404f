#!/usr/bin/env python3
"""Every command's --format json output against the shapes of docs/commands.md.

Each command runs with --format json (offline ones without a database, the
others against a fresh database of PCSM_TEST_DSN), and every line of its
stdout and stderr is parsed as JSON and checked by a small shape checker:
required fields present with their types, optional ones typed when present,
no field the documentation does not name.  The error families are run too
(usage: exit 2, unreachable: exit 3, a failed migration: exit 1), so that
the stderr shapes are checked, and a password given in the URL appears in
no JSON line.  Needs PCSM_TEST_DSN (a libpq conninfo) and the fixture
binaries of tests/meson.build.
"""
import json
import os
import shutil
import subprocess
import tempfile
import unittest

DSN = os.environ.get('PCSM_TEST_DSN')
BIN = {k[len('PCSM_TEST_BIN_'):].lower(): v for k, v in os.environ.items()
       if k.startswith('PCSM_TEST_BIN_')}
SOURCE_ROOT = os.environ.get('PCSM_TEST_SOURCE_ROOT', '.')
SECRET = 'Pw-never-printed-7f3a'

# ------------------------------------------------------------- shape checker
#
# A shape is a Python type (str, int, float, bool; int is no bool here, and
# float takes an int too), None (JSON null), a tuple of shapes (any of them),
# a one-element list (an array of that shape), a dict (an object: a key
# ending in '?' is optional, every other required, and no other key allowed),
# ANY, or a function (a check of its own, returning an error or None).

ANY = object()


def one_of(*values):
    def check(v):
        return None if v in values else f'{v!r} is not one of {values}'
    return check


def check(shape, value, where='$'):
    """The list of mismatches between value and shape, each with its path."""
    if shape is ANY:
        return []
    if shape is None:
        return [] if value is None else [f'{where}: {value!r} is not null']
    if isinstance(shape, tuple):
        tries = [check(s, value, where) for s in shape]
        return [] if any(not t for t in tries) else \
            [f'{where}: {value!r} matches none of its shapes: ' + '; '.join(sum(tries, []))]
    if isinstance(shape, list):
        if not isinstance(value, list):
            return [f'{where}: {value!r} is not an array']
        return sum((check(shape[0], v, f'{where}[{i}]') for i, v in enumerate(value)), [])
    if isinstance(shape, dict):
        if not isinstance(value, dict):
            return [f'{where}: {value!r} is not an object']
        errors, keys = [], {}
        for key, sub in shape.items():
            keys[key.rstrip('?')] = (sub, key.endswith('?'))
        for key, (sub, optional) in keys.items():
            if key in value:
                errors += check(sub, value[key], f'{where}.{key}')
            elif not optional:
                errors.append(f'{where}: "{key}" is missing')
        errors += [f'{where}: "{k}" is not documented' for k in value if k not in keys]
        return errors
    if callable(shape) and not isinstance(shape, type):
        e = shape(value)
        return [f'{where}: {e}'] if e else []
    if shape is float:
        ok = isinstance(value, (int, float)) and not isinstance(value, bool)
    elif shape is int:
        ok = isinstance(value, int) and not isinstance(value, bool)
    else:
        ok = isinstance(value, shape)
    return [] if ok else [f'{where}: {value!r} is not {shape.__name__}']


# ------------------------------------------- the shapes of docs/commands.md

DIRECTION = one_of('upgrade', 'downgrade')
STEP = {'revision': str, 'direction': DIRECTION}
LOG = {                                  # every stderr line
    'level': one_of('error', 'warning', 'info'),
    'message': str,
    'command?': str,
    'event?': one_of('info', 'warning', 'wait', 'step_start', 'step_done', 'notice'),
    'revision?': str, 'direction?': DIRECTION, 'duration_ms?': float,
    'sqlstate?': str, 'detail?': str, 'hint?': str, 'sql?': str, 'usage?': str,
}
FLEET_LOG = dict(LOG, target=str)
HEADS = {'command': str, 'current': [str], 'applied?': [STEP]}
DIFF_ENTRY = ({'change': one_of('missing', 'extra', 'changed'), 'object': str, 'path': str,
               'attribute': (str, None), 'from': (str, None), 'to': (str, None),
               'verified': bool},
              {'change': one_of('unverified'), 'side': one_of('from', 'to'), 'revision': str,
               'operation': int, 'summary': str})
CHECK = {'command': one_of('check'), 'database': str, 'current?': [str], 'head?': [str],
         'pending?': [str], 'drift?': [DIFF_ENTRY], 'ok': bool,
         'status': one_of('ok', 'drift', 'inconsistent', 'unreachable', 'locked', 'interrupted',
                          'failed'),
         'error?': str}
SQL = {'command': str, 'from': [str], 'to': [str], 'steps': [STEP], 'sql': str}
AUTOGEN_SQL = {'command': str, 'upgrade_sql': str, 'downgrade_sql': str}
PATH = {'command': str, 'path': str}
IMPORT = {'command': one_of('import-alembic'), 'paths': [str],
          'summary': {'revisions': {'clean': int, 'with_placeholders': int},
                      'operations': {'structured': int, 'raw_sql': int, 'placeholder': int}},
          'status': one_of('ok', 'edit')}
SCHEMA_HEAD = {'object': one_of('schema'), 'revisions': [str], 'printed_by': str}
SCHEMA_OBJECT = lambda v: None if isinstance(v, dict) and isinstance(v.get('object'), str) \
    and v['object'] != 'schema' else f'{v!r} has no "object"'
LINT_RULE = {'rule': str, 'severity': one_of('error', 'warning', 'info'), 'summary': str}
LINT = {'findings': [{'rule': str, 'severity': one_of('error', 'warning', 'info'),
                      'revision': str, 'file': str, 'line': int, 'operation': (str, None),
                      'object': (str, None), 'message': str, 'ignored_because': (str, None),
                      'baselined': bool}],
        'counts': {'error': int, 'warning': int, 'info': int, 'ignored': int,
                   'baselined': int}}
SARIF = {'$schema': str, 'version': one_of('2.1.0'),
         'runs': [{'tool': {'driver': {'name': str, 'rules': [{
             'id': str, 'shortDescription': {'text': str},
             'defaultConfiguration': {'level': one_of('error', 'warning', 'note')}}]}},
             'results': [{'ruleId': str, 'ruleIndex': int,
                          'level': one_of('error', 'warning', 'note'), 'message': {'text': str},
                          'locations': [{'physicalLocation': {
                              'artifactLocation': {'uri': str},
                              'region': {'startLine': int}}}],
                          'suppressions?': [{'kind': one_of('inSource', 'external'),
                                             'justification?': str}]}]}]}
FLEET_TARGET = {'target': str, 'index': int,
                'state': one_of('done', 'interrupted', 'not_started'),
                'exit': (int, None), 'seconds': (float, None), 'result': ANY,
                'error': (LOG, None)}
FLEET_SUMMARY = {'fleet': {'command': str, 'targets': int, 'ok': int, 'failed': int,
                           'interrupted': int, 'not_started': int, 'exit': int}}


# The views (history, heads, show, branches): "current" and "applied" are
# null when no database was read, "flags.current" likewise.
REVISION = {'id': str, 'parents': [str], 'children': [str], 'description': str,
            'create_date': str, 'path': str,
            'flags': {'head': bool, 'branchpoint': bool, 'mergepoint': bool,
                      'current': (bool, None)},
            'nontransactional': bool, 'source_sha256': str, 'applied': (bool, None),
            'upgrade_sql_sha256?': (str, None), 'upgrade_sql_error?': str}
VIEW_CURRENT = ([str], None)
HISTORY = {'command': one_of('history'), 'current': VIEW_CURRENT, 'revisions': [REVISION]}
VIEW_HEADS = {'command': one_of('heads'), 'current': VIEW_CURRENT, 'heads': [REVISION]}
BRANCHES = {'command': one_of('branches'), 'current': VIEW_CURRENT,
            'branchpoints': [REVISION]}
SHOW = {'command': one_of('show'), 'current': VIEW_CURRENT, 'revision': (REVISION, None)}


def run(binary, *args, **kw):
    return subprocess.run([binary, '--format', 'json', *args], capture_output=True,
                          text=True, timeout=120, **kw)


def lines(text):
    return [json.loads(line) for line in text.splitlines()]


class JsonShapes(unittest.TestCase):
    """Each command's stdout and stderr, line by line, against its shape."""

    @classmethod
    def setUpClass(cls):
        if not DSN:
            raise unittest.SkipTest('PCSM_TEST_DSN is not set')
        cls.dbs = []
        cls.db = cls.new_db('main')
        cls.tmp = tempfile.mkdtemp(prefix='pcsm-json-')

    @classmethod
    def tearDownClass(cls):
        for name in cls.dbs:
            cls.psql(DSN, f'DROP DATABASE IF EXISTS {name} WITH (FORCE)')
        shutil.rmtree(cls.tmp, ignore_errors=True)

    @staticmethod
    def psql(dsn, sql):
        subprocess.run(['psql', '-X', '-q', '-v', 'ON_ERROR_STOP=1', dsn, '-c', sql],
                       check=True, capture_output=True)

    @classmethod
    def new_db(cls, tag, owner=None):
        name = f'pcsm_json_{tag}_{os.getpid()}'
        cls.psql(DSN, f'DROP DATABASE IF EXISTS {name} WITH (FORCE)')
        cls.psql(DSN, f'CREATE DATABASE {name}' + (f' OWNER {owner}' if owner else ''))
        cls.dbs.append(name)
        return f'{DSN} dbname={name}'

    def expect(self, r, status, *stdout_shapes, stderr=LOG):
        """Exit status; stdout's lines, one shape each (the last repeats); stderr's lines."""
        said = f'exit {r.returncode}\nstdout: {r.stdout}\nstderr: {r.stderr}'
        self.assertEqual(r.returncode, status, said)
        out = lines(r.stdout)
        if stdout_shapes:
            self.assertTrue(out, said)
        else:
            self.assertEqual(out, [], said)
        for i, doc in enumerate(out):
            shape = stdout_shapes[min(i, len(stdout_shapes) - 1)]
            self.assertEqual(check(shape, doc), [], said)
        err = lines(r.stderr)
        for doc in err:
            self.assertEqual(check(stderr, doc), [], said)
        self.assertNotIn(SECRET, r.stdout + r.stderr)
        return out, err

    # --------------------------------------------------------- offline

    def test_offline_commands(self):
        linear = BIN['linear']
        out, _ = self.expect(run(linear, 'schema'), 0, SCHEMA_HEAD, SCHEMA_OBJECT)
        self.assertGreater(len(out), 1)
        out, _ = self.expect(run(linear, 'diff', '--from', 'base', '--to', 'head'), 6,
                             DIFF_ENTRY)
        self.assertIn('extra', {e['change'] for e in out})
        self.expect(run(BIN['lint'], 'lint', '--fail-on', 'none'), 0, LINT)
        self.expect(run(BIN['lint'], 'lint', '--rules'), 0, LINT_RULE)
        out, _ = self.expect(run(BIN['lint'], 'lint', '--format', 'sarif', '--fail-on', 'none'),
                             0, SARIF)
        self.assertTrue(out[0]['runs'][0]['results'])

    def test_sql_is_one_object_holding_the_script(self):
        linear = BIN['linear']
        out, _ = self.expect(run(linear, 'upgrade', '--sql', 'base:head'), 0, SQL)
        self.assertEqual(out[0]['command'], 'upgrade')
        self.assertEqual(out[0]['from'], [])
        self.assertEqual(out[0]['to'], ['a10000000005'])
        self.assertEqual([s['revision'] for s in out[0]['steps']],
                         [f'a1000000000{i}' for i in range(1, 6)])
        self.assertIn('CREATE TABLE', out[0]['sql'])
        self.assertIn('COMMIT;', out[0]['sql'])
        out, _ = self.expect(run(linear, 'downgrade', '--sql', 'head:base'), 0, SQL)
        self.assertEqual(out[0]['steps'][0], {'revision': 'a10000000005',
                                              'direction': 'downgrade'})
        self.expect(run(linear, 'migrate', '--sql'), 0, SQL)
        out, _ = self.expect(run(linear, 'rollback', '--sql'), 0, SQL)
        self.assertEqual(out[0]['from'], ['a10000000005'])
        self.assertEqual(out[0]['to'], ['a10000000004'])

    def test_scaffold_commands(self):
        d = os.path.join(self.tmp, 'scaffold')
        shutil.copytree(os.path.join(SOURCE_ROOT, 'tests', 'fixtures', 'linear'), d)
        for args in (['create-migration', 'add things'], ['revision', '-m', 'more things']):
            out, _ = self.expect(run(BIN['linear'], *args, '--dir', d), 0, PATH)
            self.assertEqual(out[0]['command'], args[0])
            self.assertTrue(os.path.isfile(out[0]['path']), out)
        # The merge fixture without its merge: two heads to join.
        d = os.path.join(self.tmp, 'merge')
        shutil.copytree(os.path.join(SOURCE_ROOT, 'tests', 'fixtures', 'merge'), d)
        names = sorted(n for n in os.listdir(d) if n.endswith('.c')
                       and not n.startswith(('b10000000006', 'b10000000007')))
        for n in os.listdir(d):
            if n.startswith(('b10000000006', 'b10000000007')):
                os.remove(os.path.join(d, n))
        with open(os.path.join(d, 'revisions.txt'), 'w') as f:
            f.write('\n'.join(names) + '\n')
        out, _ = self.expect(run(BIN['merge'], 'merge', '-m', 'join', 'b10000000003',
                                 'b10000000005', '--dir', d), 0, PATH)
        self.assertEqual(out[0]['command'], 'merge')
        self.assertTrue(os.path.isfile(out[0]['path']), out)
        _, err = self.expect(run(BIN['merge'], 'merge', '-m', 'join', 'b10000000001',
                                 'b10000000005', '--dir', d), 2)
        self.assertIn('not a head', err[0]['message'])

    def test_import_alembic(self):
        d = os.path.join(self.tmp, 'imported')
        os.makedirs(d)
        with open(os.path.join(d, 'revisions.txt'), 'w') as f:
            f.write('')
        doc = os.path.join(self.tmp, 'import.json')
        ops = [{'op': 'execute', 'line': 3, 'sql': 'SELECT 1'},
               {'op': 'placeholder', 'line': 4, 'reason': 'loops', 'python': 'for x in y: z'}]
        with open(doc, 'w') as f:
            json.dump({'format': 1, 'source': 'v', 'revisions': [
                {'file': 'v/r1.py', 'revision': 'r1', 'down_revision': [], 'message': 'one',
                 'upgrade': ops, 'downgrade': []}]}, f)
        out, err = self.expect(run(BIN['linear'], 'import-alembic', '--from-json', doc,
                                   '--dir', d), 7, IMPORT)
        self.assertEqual(out[0]['status'], 'edit')
        self.assertEqual(out[0]['summary']['operations']['placeholder'], 1)
        self.assertTrue(os.path.isfile(out[0]['paths'][0]), out)
        self.assertIn('imported 1 revisions', err[0]['message'])
        _, err = self.expect(run(BIN['linear'], 'import-alembic', '--from-json', doc,
                                 '--dir', d), 2)
        self.assertIn('revision r1 is in', err[0]['message'])

    # ---------------------------------------------------------- online

    def test_views(self):
        """Offline, against an unreachable URL (a warning line), and with -i."""
        linear, merge, url = BIN['linear'], BIN['merge'], self.new_db('views')
        out, err = self.expect(run(linear, 'history'), 0, HISTORY)
        self.assertEqual(err, [])
        self.assertIsNone(out[0]['current'])
        self.assertEqual(out[0]['revisions'][0]['id'], 'a10000000005')
        self.assertEqual(len(out[0]['revisions']), 5)
        self.expect(run(linear, 'heads'), 0, VIEW_HEADS)
        out, _ = self.expect(run(linear, 'show', 'a10000000003'), 0, SHOW)
        self.assertRegex(out[0]['revision']['upgrade_sql_sha256'], '^[0-9a-f]{64}$')
        out, _ = self.expect(run(linear, 'show', 'base'), 0, SHOW)
        self.assertIsNone(out[0]['revision'])
        out, _ = self.expect(run(merge, 'branches'), 0, BRANCHES)
        self.assertEqual(len(out[0]['branchpoints']), 1)
        self.assertEqual(len(out[0]['branchpoints'][0]['children']), 2)
        gone = f'host=/nonexistent user=nobody password={SECRET}'
        for view in (['history', '-i'], ['heads'], ['show', 'head'], ['branches']):
            out, err = self.expect(run(merge, *view, '--database-url', gone), 0,
                                   HISTORY if view[0] == 'history' else
                                   VIEW_HEADS if view[0] == 'heads' else
                                   SHOW if view[0] == 'show' else BRANCHES)
            self.assertIsNone(out[0]['current'], view)
            self.assertEqual([e['level'] for e in err], ['warning'], view)
        self.expect(run(linear, 'upgrade', 'a10000000002', '--database-url', url), 0, HEADS)
        out, _ = self.expect(run(linear, 'history', '-i', '--database-url', url), 0, HISTORY)
        self.assertEqual(out[0]['current'], ['a10000000002'])
        marked = {r['id']: (r['flags']['current'], r['applied']) for r in out[0]['revisions']}
        self.assertEqual(marked['a10000000002'], (True, True))
        self.assertEqual(marked['a10000000001'], (False, True))
        self.assertEqual(marked['a10000000003'], (False, False))
        out, _ = self.expect(run(linear, 'heads', '--database-url', url), 0, VIEW_HEADS)
        self.assertEqual(out[0]['current'], ['a10000000002'])
        self.expect(run(linear, 'show', 'zzzz', '--database-url', gone), 2)

    def test_online_commands(self):
        linear, url = BIN['linear'], self.db
        out, _ = self.expect(run(linear, 'current', '--database-url', url), 0, HEADS)
        self.assertEqual(out[0], {'command': 'current', 'current': []})
        out, err = self.expect(run(linear, 'upgrade', 'a10000000002', '--database-url', url),
                               0, HEADS)
        self.assertEqual(out[0]['current'], ['a10000000002'])
        self.assertEqual([s['revision'] for s in out[0]['applied']],
                         ['a10000000001', 'a10000000002'])
        done = [e for e in err if e.get('event') == 'step_done']
        self.assertEqual([e['revision'] for e in done], ['a10000000001', 'a10000000002'])
        self.assertTrue(all(e['command'] == 'upgrade' for e in err), err)
        out, _ = self.expect(run(linear, 'check', '--database-url', url), 0, CHECK)
        self.assertEqual(out[0]['pending'], ['a10000000003', 'a10000000004', 'a10000000005'])
        self.assertEqual(out[0]['status'], 'ok')
        self.expect(run(linear, 'stamp', 'a10000000001', '--database-url', url), 0, HEADS)
        self.expect(run(linear, 'stamp', 'a10000000002', '--database-url', url), 0, HEADS)
        out, _ = self.expect(run(linear, 'migrate', '--database-url', url), 0, HEADS)
        self.assertEqual(out[0]['current'], ['a10000000005'])
        out, _ = self.expect(run(linear, 'rollback', '--database-url', url), 0, HEADS)
        self.assertEqual(out[0]['applied'], [{'revision': 'a10000000005',
                                              'direction': 'downgrade'}])
        self.expect(run(linear, 'downgrade', 'a10000000003', '--database-url', url), 0, HEADS)
        self.expect(run(linear, 'upgrade', '--database-url', url), 0, HEADS)
        self.expect(run(linear, 'current', '--verbose', '--database-url', url), 0, HEADS)
        out, _ = self.expect(run(linear, 'reset', '--yes', '--database-url', url), 0, HEADS)
        self.assertEqual(out[0]['command'], 'reset')
        out, _ = self.expect(run(linear, 'diff', '--from', 'database', '--to', 'head',
                                 env=dict(os.environ, DATABASE_URL=url)), 0)
        self.assertEqual(out, [])

    def test_check_against_a_development_database(self):
        dev = self.new_db('dev')
        self.expect(run(BIN['linear'], 'migrate', '--database-url', dev), 0, HEADS)
        self.psql(dev, 'CREATE TABLE stray (id integer)')
        out, _ = self.expect(run(BIN['linear'], 'check', '--from-database', dev), 6, CHECK)
        self.assertEqual(out[0]['status'], 'drift')
        self.assertEqual([(e['change'], e['path']) for e in out[0]['drift']],
                         [('extra', 'stray')])
        d = os.path.join(self.tmp, 'autogen')
        shutil.copytree(os.path.join(SOURCE_ROOT, 'tests', 'fixtures', 'linear'), d)
        out, err = self.expect(run(BIN['linear'], 'create-migration', '--autogenerate',
                                   '--from-database', dev, '--sql', '-m', 'stray', '--dir', d),
                               0, AUTOGEN_SQL)
        self.assertIn('CREATE TABLE "stray"', out[0]['upgrade_sql'])

    def test_fleet(self):
        targets = os.path.join(self.tmp, 'targets.txt')
        with open(targets, 'w') as f:
            f.write(f'{self.db}\nhost=127.0.0.1 port=1 user=x password={SECRET}\n')
        out, err = self.expect(run(BIN['linear'], 'current', '--targets', targets, '--jobs', '1'),
                               3, FLEET_TARGET, FLEET_TARGET, FLEET_SUMMARY,
                               stderr=FLEET_LOG)
        by_index = {doc['index']: doc for doc in out[:2]}
        self.assertEqual(check(HEADS, by_index[0]['result']), [], out)
        self.assertEqual(by_index[1]['exit'], 3)
        self.assertEqual(by_index[1]['error']['level'], 'error')
        self.assertEqual(out[2]['fleet']['failed'], 1)
        self.assertTrue(any(e['level'] == 'error' for e in err), err)

    # ---------------------------------------------------------- errors

    def test_usage_errors(self):
        _, err = self.expect(run(BIN['linear'], 'upgrade', 'a', 'b'), 2)
        self.assertEqual(err[0]['command'], 'upgrade')
        self.assertIn('usage', err[0])
        _, err = self.expect(run(BIN['linear'], 'show', 'zzzz'), 2)
        _, err = self.expect(run(BIN['linear'], 'no-such-command'), 2)
        self.assertNotIn('command', err[0])
        _, err = self.expect(run(BIN['linear']), 2)
        self.assertEqual(len(err), 1, err)

    def test_unreachable(self):
        _, err = self.expect(run(BIN['linear'], 'current', '--database-url',
                                 f'host=127.0.0.1 port=1 user=x password={SECRET}'), 3)
        self.assertEqual(err[-1]['level'], 'error')
        self.assertEqual(err[-1]['command'], 'current')

    def test_failed_migration(self):
        url = self.new_db('failing')
        _, err = self.expect(run(BIN['failing'], 'upgrade', '--database-url', url), 1)
        self.assertEqual(err[-1]['level'], 'error')
        self.assertRegex(err[-1].get('sqlstate', ''), r'^[0-9A-Z]{5}$')
        self.assertIn('sql', err[-1])

    def test_password_in_url_never_printed(self):
        # A role of its own whose password is SECRET, so that the URL's
        # password is the one used, under trust and password auth alike.
        role = f'pcsm_json_secret_{os.getpid()}'
        self.psql(DSN, f"DROP ROLE IF EXISTS {role}")
        self.psql(DSN, f"CREATE ROLE {role} LOGIN PASSWORD '{SECRET}'")
        try:
            url = self.new_db('secret', owner=role)
            out, err = self.expect(run(BIN['linear'], 'current', '--database-url',
                                       f'{url} user={role} password={SECRET}'), 0, HEADS)
            self.assertEqual(out[0]['current'], [])
            self.assertTrue(err, 'a connected line')
        finally:
            name = f'pcsm_json_secret_{os.getpid()}'
            self.psql(DSN, f'DROP DATABASE IF EXISTS {name} WITH (FORCE)')
            self.psql(DSN, f"DROP ROLE IF EXISTS {role}")


class ShapeChecker(unittest.TestCase):
    """The checker itself fails what it should."""

    def test_mismatches(self):
        self.assertEqual(check(HEADS, {'command': 'x', 'current': []}), [])
        self.assertTrue(check(HEADS, {'command': 'x'}))
        self.assertTrue(check(HEADS, {'command': 'x', 'current': [1]}))
        self.assertTrue(check(HEADS, {'command': 'x', 'current': [], 'extra': 1}))
        self.assertTrue(check(LOG, {'level': 'fatal', 'message': 'm'}))
        self.assertTrue(check({'n': int}, {'n': True}))
        self.assertEqual(check({'n': (int, None)}, {'n': None}), [])


if __name__ == '__main__':
    unittest.main(verbosity=2)
