#!/usr/bin/env python3
"""End to end: a broken revision graph fails the real meson build.

Configures the project in a scratch directory with -Dmigrations_dir pointing
at tests/fixtures/broken_cycle, builds, and checks that the build stops with
the generator's `file:line: message`; also that migrations/revisions.txt
and the directory must agree at configure time (messages naming the file
and the list's line), and that an edit of the list reconfigures.
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

    def copy_tree(self):
        """A copy of the source tree (what git knows of it) in self.tmp/src."""
        src = os.path.join(self.tmp, 'src')
        files = run('git', 'ls-files', '-co', '--exclude-standard', cwd=SOURCE_ROOT)
        if files.returncode != 0:
            self.skipTest('not a git checkout')
        for rel in files.stdout.split('\n'):
            if not rel or not os.path.isfile(os.path.join(SOURCE_ROOT, rel)):
                continue
            os.makedirs(os.path.dirname(os.path.join(src, rel)), exist_ok=True)
            shutil.copy2(os.path.join(SOURCE_ROOT, rel), os.path.join(src, rel))
        return src

    def test_unlisted_file_fails_the_configure_step(self):
        # A copy of the source tree with one file too many in migrations/.
        src = self.copy_tree()
        stray = os.path.join(src, 'migrations', '0123456789ab_stray.c')
        shutil.copy2(os.path.join(src, 'migrations', '9a39eb7fd78f_initial_database_schema.c'),
                     stray)
        setup = run('meson', 'setup', os.path.join(self.tmp, 'b2'), src, '-Dtests=disabled')
        self.assertNotEqual(setup.returncode, 0)
        self.assertIn(f'{stray}:1: 0123456789ab_stray.c is in the migrations directory but '
                      f'not listed in {src}/migrations/revisions.txt',
                      setup.stdout + setup.stderr)

    def test_listed_file_that_is_missing_names_the_line(self):
        src = self.copy_tree()
        listed = os.path.join(src, 'migrations', 'revisions.txt')
        with open(listed, 'a') as f:
            f.write('\n# a file that is gone\n0123456789ab_gone.c\n')
        with open(listed) as f:
            line = f.read().split('\n').index('0123456789ab_gone.c') + 1
        setup = run('meson', 'setup', os.path.join(self.tmp, 'b3'), src, '-Dtests=disabled')
        self.assertNotEqual(setup.returncode, 0)
        self.assertIn(f'{listed}:{line}: 0123456789ab_gone.c is listed but is not in the '
                      f'migrations directory {src}/migrations', setup.stdout + setup.stderr)

    def test_a_directory_without_a_list(self):
        src = self.copy_tree()
        os.remove(os.path.join(src, 'migrations', 'revisions.txt'))
        setup = run('meson', 'setup', os.path.join(self.tmp, 'b4'), src, '-Dtests=disabled')
        self.assertNotEqual(setup.returncode, 0)
        self.assertIn(f'{src}/migrations/revisions.txt is missing: a migrations directory '
                      'lists its revision files there, one name per line; create it with '
                      f'(cd {src}/migrations && ls *.c > revisions.txt)',
                      setup.stdout + setup.stderr)

    def test_an_edit_of_the_list_reconfigures(self):
        """fs.read() makes the list a configure dependency: a file added to
        the directory and the list is in the next build's registry."""
        src = self.copy_tree()
        build = os.path.join(self.tmp, 'b5')
        setup = run('meson', 'setup', build, src, '-Dtests=disabled')
        self.assertEqual(setup.returncode, 0, setup.stdout + setup.stderr)
        made = run('ninja', '-C', build, 'pcs_registry.c')
        self.assertEqual(made.returncode, 0, made.stdout)
        migrations = os.path.join(src, 'migrations')
        with open(os.path.join(migrations, '9a39eb7fd78f_initial_database_schema.c')) as f:
            text = f.read()
        with open(os.path.join(migrations, 'bbbbbbbbbbbb_more.c'), 'w') as f:
            f.write(text.replace('Revision ID: 9a39eb7fd78f', 'Revision ID: bbbbbbbbbbbb')
                    .replace('Revises: None', 'Revises: 9a39eb7fd78f'))
        with open(os.path.join(migrations, 'revisions.txt'), 'a') as f:
            f.write('bbbbbbbbbbbb_more.c\n')
        made = run('ninja', '-C', build, 'pcs_registry.c')
        self.assertEqual(made.returncode, 0, made.stdout)
        self.assertIn('Regenerating build files', made.stdout)
        with open(os.path.join(build, 'pcs_registry.c')) as f:
            self.assertIn('.id = "bbbbbbbbbbbb",', f.read())


if __name__ == '__main__':
    unittest.main(verbosity=2)
