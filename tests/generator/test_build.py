#!/usr/bin/env python3
"""End to end: a broken revision graph fails the real meson build.

Configures the project in a scratch directory with -Dmigrations_dir pointing
at tests/fixtures/broken_cycle, builds, and checks that the build stops with
the generator's `file:line: message`; also that an unlisted file in the
migrations directory stops the configure step with a message naming it.
"""
import os
import shutil
import subprocess
import sys
import tempfile
import unittest

SOURCE_ROOT = os.path.abspath(os.environ.get(
    'PCSM_TEST_SOURCE_ROOT', os.path.join(os.path.dirname(__file__), '..', '..')))


def run(*args, cwd=None):
    return subprocess.run(args, cwd=cwd, capture_output=True, text=True)


class BrokenGraphFailsTheBuild(unittest.TestCase):
    def setUp(self):
        self.tmp = tempfile.mkdtemp(prefix='pcsm-build-')

    def tearDown(self):
        shutil.rmtree(self.tmp, ignore_errors=True)

    def test_cycle_fails_with_file_and_line(self):
        build = os.path.join(self.tmp, 'build')
        setup = run('meson', 'setup', build, SOURCE_ROOT, '-Dtests=disabled',
                    '-Dmigrations_dir=tests/fixtures/broken_cycle')
        self.assertEqual(setup.returncode, 0, setup.stdout + setup.stderr)
        compile_ = run('ninja', '-C', build)
        self.assertNotEqual(compile_.returncode, 0)
        self.assertIn('tests/fixtures/broken_cycle/c10000000001_first.c:8: '
                      'revisions form a cycle: c10000000001', compile_.stdout)
        self.assertFalse(os.path.exists(os.path.join(build, 'pcs-migrate')))

    def test_unlisted_file_fails_the_configure_step(self):
        # A copy of the source tree with one file too many in migrations/.
        src = os.path.join(self.tmp, 'src')
        files = run('git', 'ls-files', '-co', '--exclude-standard', cwd=SOURCE_ROOT)
        if files.returncode != 0:
            self.skipTest('not a git checkout')
        for rel in files.stdout.split('\n'):
            if not rel or not os.path.isfile(os.path.join(SOURCE_ROOT, rel)):
                continue
            os.makedirs(os.path.dirname(os.path.join(src, rel)), exist_ok=True)
            shutil.copy2(os.path.join(SOURCE_ROOT, rel), os.path.join(src, rel))
        stray = os.path.join(src, 'migrations', '0123456789ab_stray.c')
        shutil.copy2(os.path.join(src, 'migrations', '9a39eb7fd78f_initial_database_schema.c'),
                     stray)
        setup = run('meson', 'setup', os.path.join(self.tmp, 'b2'), src, '-Dtests=disabled')
        self.assertNotEqual(setup.returncode, 0)
        self.assertIn('0123456789ab_stray.c is in the migrations directory but not listed',
                      setup.stdout + setup.stderr)


if __name__ == '__main__':
    unittest.main(verbosity=2)
