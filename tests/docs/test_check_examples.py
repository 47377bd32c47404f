#!/usr/bin/env python3
"""Tests of check_examples.py, the docs' example checker: its matching and its
parsing without a database, then (with PCSM_TEST_DSN) each way a run ends on
a scratch source tree: a match, a mismatch with its diff, --update and what it
keeps, a failing setup, and the malformed blocks it refuses.
Usage: test_check_examples.py BUILD_ROOT (the build with pcs-migrate)."""
import os
import shutil
import subprocess
import sys
import tempfile
import unittest

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
import check_examples as ce  # noqa: E402

BUILD_ROOT = None


class Matching(unittest.TestCase):
    def test_literal_re_glob(self):
        self.assertTrue(ce.line_matches('a b', 'a b'))
        self.assertFalse(ce.line_matches('a b', 'a  b'))
        self.assertTrue(ce.line_matches(r'id [0-9a-f]{3} (re)', 'id 0af'))
        self.assertFalse(ce.line_matches(r'id [0-9a-f]{3} (re)', 'id 0afx'))
        self.assertFalse(ce.line_matches(r'id [ (re)', 'id ['))          # a bad regex
        self.assertTrue(ce.line_matches('took * s (glob)', 'took 3.2 s'))
        self.assertTrue(ce.line_matches('[x] ? (glob)', '[x] y'))        # [ is literal

    def test_ellipsis(self):
        self.assertEqual(ce.align(['a', '...', 'z'], ['a', 'b', 'c', 'z']),
                         (True, ['a', '...', 'z']))
        self.assertEqual(ce.align(['...'], []), (True, ['...']))

    def test_update_keeps_what_still_matches(self):
        ok, new = ce.align(['x [0-9] (re)', 'old', 'tail'], ['x 7', 'new', 'tail'])
        self.assertFalse(ok)
        self.assertEqual(new, ['x [0-9] (re)', 'new', 'tail'])

    def test_update_escapes_lines_that_look_special(self):
        ok, new = ce.align([], ['...', 'a (re)'])
        self.assertFalse(ok)
        self.assertTrue(all(line.endswith(' (re)') for line in new))
        self.assertTrue(ce.align(new, ['...', 'a (re)'])[0])


class Parsing(unittest.TestCase):
    def test_markers_and_continuation(self):
        text = ('<!-- example: setup one -->\n<!-- example: setup two -->\n'
                '```\n$ echo a \\\n  b\na b\n```\n')
        [b] = ce.find_blocks('x.md', text)
        self.assertEqual(b.setup, ['one', 'two'])
        self.assertEqual(b.steps(), [('echo a \\\n  b', ['a b'])])

    def test_refusals(self):
        with self.assertRaisesRegex(ce.Malformed, 'needs its reason'):
            ce.find_blocks('x.md', '<!-- example: skip -->\n```\n$ true\n```\n')
        with self.assertRaisesRegex(ce.Malformed, 'unknown marker'):
            ce.find_blocks('x.md', '<!-- example: bogus x -->\n```\n$ true\n```\n')
        del ce.UNMARKED[:]
        self.assertEqual(ce.find_blocks('x.md', '```\npcs-migrate: hand-typed\n```\n'), [])
        self.assertEqual(len(ce.UNMARKED), 1)
        del ce.UNMARKED[:]
        ce.find_blocks('x.md', '<!-- example: skip why -->\n```\npcs-migrate: x\n```\n')
        ce.find_blocks('x.md', '```\npcs-migrate check [--accept REV]\n```\n')   # a synopsis
        self.assertEqual(ce.UNMARKED, [])


NEEDS_DB = os.environ.get('PCSM_TEST_DSN') or os.environ.get('PCSM_TEST_REQUIRE_DB') == '1'


@unittest.skipUnless(NEEDS_DB, 'PCSM_TEST_DSN not set')
class Runs(unittest.TestCase):
    def setUp(self):
        self.root = tempfile.mkdtemp(prefix='pcsm-docs-test-')
        os.makedirs(os.path.join(self.root, 'migrations'))
        os.makedirs(os.path.join(self.root, 'tests', 'fixtures'))
        open(os.path.join(self.root, 'migrations', 'revisions.txt'), 'w').close()

    def tearDown(self):
        shutil.rmtree(self.root)

    def run_on(self, text, *extra):
        path = os.path.join(self.root, 'doc.md')
        with open(path, 'w') as f:
            f.write(text)
        r = subprocess.run([sys.executable, os.path.join(HERE, 'check_examples.py'),
                            '--source-root', self.root, '--build-root', BUILD_ROOT,
                            *extra, 'doc.md'], capture_output=True, text=True, timeout=120)
        with open(path) as f:
            return r.returncode, r.stdout, f.read()

    def test_match(self):
        rc, out, _ = self.run_on('```\n$ echo "$PGDATABASE"; exit 3\npcs\n[exit 3]\n```\n')
        self.assertEqual(rc, 0, out)
        self.assertIn('1 examples checked, 0 failed', out)

    def test_setup_and_sandbox(self):
        text = ('<!-- example: setup psql -q -c "CREATE TABLE t (i int)" -->\n'
                '```\n$ psql -X -A -t -c "SELECT count(*) FROM t"; pwd\n0\n/tmp/example\n```\n')
        rc, out, _ = self.run_on(text)
        self.assertEqual(rc, 0, out)

    def test_mismatch_then_update(self):
        text = '```\n$ echo one; echo two\none\nthree\n```\n'
        rc, out, after = self.run_on(text)
        self.assertEqual(rc, 1)
        self.assertIn('FAIL doc.md:1', out)
        self.assertIn('-three', out)
        self.assertIn('+two', out)
        self.assertEqual(after, text)
        rc, out, after = self.run_on(text, '--update')
        self.assertEqual(rc, 0, out)
        self.assertEqual(after, '```\n$ echo one; echo two\none\ntwo\n```\n')
        self.assertEqual(self.run_on(after)[0], 0)

    def test_failing_setup(self):
        text = '<!-- example: setup echo broken; exit 4 -->\n```\n$ true\n```\n'
        rc, out, _ = self.run_on(text, '--update')
        self.assertEqual(rc, 1)
        self.assertIn("FAIL doc.md:2: setup 'echo broken; exit 4' exited 4:\nbroken", out)

    def test_unmarked_output_refused(self):
        rc, out, _ = self.run_on('```\npcs-migrate: typed by hand\n```\n')
        self.assertEqual(rc, 99)
        self.assertIn('output with no command', out)


if __name__ == '__main__':
    BUILD_ROOT = os.path.abspath(sys.argv.pop(1) if len(sys.argv) > 1 else 'build')
    unittest.main()
