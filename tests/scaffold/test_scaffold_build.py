#!/usr/bin/env python3
"""End to end: a scaffolded revision is built and round-tripped with no hand edit
of any build file.

In a copy of the source tree: `pcs-migrate create-migration` writes the new
revision (and lists it), the author fills in upgrade()/downgrade(), `meson
compile` picks the file up, and the round-trip check of the compiled
migrations passes with the new revision included.  Needs PCSM_TEST_DSN.
"""
import os
import re
import shutil
import subprocess
import sys
import tempfile
import unittest

SOURCE_ROOT = os.environ['PCSM_TEST_SOURCE_ROOT']
BIN = os.environ['PCSM_TEST_BIN_PCS']

UPGRADE = '''    pcsm_create_table(op, "widgets", PCSM_COLUMNS(
        { .name = "id", .type = PCSM_UUID, .primary_key = true,
          .default_value = PCSM_EXPR("gen_random_uuid()") },
        { .name = "context_id", .type = PCSM_UUID, .references = "contexts" }), NULL, NULL);
    pcsm_create_index(op, &(pcsm_index){ .name = "ix_widgets_context_id", .table = "widgets",
                                         .columns = PCSM_NAMES("context_id") });'''
DOWNGRADE = '''    pcsm_drop_table(op, "widgets", 0);'''


def run(*args, cwd=None, env=None):
    return subprocess.run(args, cwd=cwd, env=env, capture_output=True, text=True)


class ScaffoldedRevisionBuildsAndRoundTrips(unittest.TestCase):
    def setUp(self):
        if not os.environ.get('PCSM_TEST_DSN'):
            self.skipTest('PCSM_TEST_DSN not set')
        self.tmp = tempfile.mkdtemp(prefix='pcsm-scaffold-')
        self.src = os.path.join(self.tmp, 'src')
        files = run('git', 'ls-files', '-co', '--exclude-standard', cwd=SOURCE_ROOT)
        if files.returncode != 0:
            # Not a git checkout: the whole tree but build directories.
            shutil.copytree(SOURCE_ROOT, self.src, ignore=shutil.ignore_patterns(
                'build', 'build-*', '.git', '__pycache__'))
            return
        for rel in filter(None, files.stdout.split('\n')):
            if os.path.isfile(os.path.join(SOURCE_ROOT, rel)):
                os.makedirs(os.path.dirname(os.path.join(self.src, rel)), exist_ok=True)
                shutil.copy2(os.path.join(SOURCE_ROOT, rel), os.path.join(self.src, rel))

    def tearDown(self):
        shutil.rmtree(getattr(self, 'tmp', '/nonexistent'), ignore_errors=True)

    def test_create_compile_roundtrip(self):
        migrations = os.path.join(self.src, 'migrations')
        made = run(BIN, 'create-migration', 'Add widgets table', '--dir', migrations)
        self.assertEqual(made.returncode, 0, made.stderr)
        path = made.stdout.strip()
        name = os.path.basename(path)
        self.assertRegex(name, r'^[0-9a-f]{12}_add_widgets_table\.c$')
        new_id = name[:12]
        with open(path) as fh:
            text = fh.read()
        self.assertIn('Revises: 9a39eb7fd78f', text)
        # The author's part: fill in both functions.
        parts = text.split('    (void)op;\n')
        self.assertEqual(len(parts), 3, 'the template has one (void)op; per function')
        with open(path, 'w') as fh:
            fh.write(parts[0] + UPGRADE + '\n' + parts[1] + DOWNGRADE + '\n' + parts[2])
        with open(os.path.join(migrations, 'meson.build')) as fh:
            self.assertIn(f"'{name}',", fh.read())

        build = os.path.join(self.tmp, 'build')
        setup = run('meson', 'setup', build, self.src, '-Dtests=enabled',
                    '-Dintegration_tests=enabled')
        self.assertEqual(setup.returncode, 0, setup.stdout + setup.stderr)
        compile_ = run('meson', 'compile', '-C', build, 'pcs-migrate', 'roundtrip-pcs')
        self.assertEqual(compile_.returncode, 0, compile_.stdout + compile_.stderr)
        history = run(os.path.join(build, 'pcs-migrate'), 'history')
        self.assertIn(f'9a39eb7fd78f -> {new_id} (head), Add widgets table', history.stdout)

        roundtrip = run(os.path.join(build, 'tests', 'roundtrip', 'roundtrip-pcs'))
        self.assertEqual(roundtrip.returncode, 0, roundtrip.stdout + roundtrip.stderr)
        self.assertIn('1..2', roundtrip.stdout)
        self.assertRegex(roundtrip.stdout, rf'(?m)^ok 2 - {new_id} ')


if __name__ == '__main__':
    unittest.main(verbosity=2)
