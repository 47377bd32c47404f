#!/usr/bin/env python3
"""check_layers.py fails where it must: on a copy of runtime/ with one
wrong arrow added at a time, and passes on the copy left as it is."""
import os
import shutil
import subprocess
import sys
import tempfile
import unittest

HERE = os.path.dirname(os.path.abspath(__file__))
CHECK = os.path.join(HERE, 'check_layers.py')
SOURCE_ROOT = os.path.normpath(os.path.join(HERE, '..', '..'))


class CheckLayers(unittest.TestCase):
    def setUp(self):
        self.tmp = tempfile.mkdtemp(prefix='pcsm-layers-')
        shutil.copytree(os.path.join(SOURCE_ROOT, 'runtime'), os.path.join(self.tmp, 'runtime'))

    def tearDown(self):
        shutil.rmtree(self.tmp)

    def run_check(self):
        return subprocess.run([sys.executable, CHECK, '--source-root', self.tmp],
                              capture_output=True, text=True)

    def add_line(self, rel, line):
        path = os.path.join(self.tmp, rel)
        with open(path, encoding='utf-8') as f:
            text = f.read()
        with open(path, 'w', encoding='utf-8') as f:
            f.write(line + '\n' + text)

    def test_tree_as_it_is_passes(self):
        r = self.run_check()
        self.assertEqual(r.returncode, 0, r.stderr)
        self.assertIn('0 problems', r.stdout)

    def test_lower_layer_including_higher_fails(self):
        self.add_line('runtime/lib/ops/ddl.c', '#include "render/render.h"')
        r = self.run_check()
        self.assertEqual(r.returncode, 1)
        self.assertIn('layer ops includes "render/render.h" of layer render', r.stderr)

    def test_cli_reaching_a_private_header_fails(self):
        self.add_line('runtime/cli/cli.c', '#include "live/live.h"')
        r = self.run_check()
        self.assertEqual(r.returncode, 1)
        self.assertIn('the CLI includes the library\'s private "live/live.h"', r.stderr)

    def test_libpq_outside_live_fails(self):
        self.add_line('runtime/lib/render/render.c', '#include <libpq-fe.h>')
        r = self.run_check()
        self.assertEqual(r.returncode, 1)
        self.assertIn('runtime/lib/render/render.c: includes libpq', r.stderr)

    def test_public_header_including_private_fails(self):
        self.add_line('runtime/include/pcsm/buf.h', '#include "core/core.h"')
        r = self.run_check()
        self.assertEqual(r.returncode, 1)
        self.assertIn('public header includes private "core/core.h"', r.stderr)

    def test_undeclared_folder_fails(self):
        os.mkdir(os.path.join(self.tmp, 'runtime', 'lib', 'misc'))
        r = self.run_check()
        self.assertEqual(r.returncode, 1)
        self.assertIn('runtime/lib/misc is not in the layer table', r.stderr)

    def test_bare_include_fails(self):
        self.add_line('runtime/lib/live/db.c', '#include "live.h"')
        r = self.run_check()
        self.assertEqual(r.returncode, 1)
        self.assertIn('write "live/live.h", not "live.h"', r.stderr)

    def test_error_field_written_outside_error_c_fails(self):
        self.add_line('runtime/lib/live/db.c',
                      'static void f(pcsm_ctx *ctx) { ctx->err.sqlstate = NULL; }')
        r = self.run_check()
        self.assertEqual(r.returncode, 1)
        self.assertIn('runtime/lib/live/db.c:1: touches the context\'s error field "->err."',
                      r.stderr)

    def test_error_buffer_written_outside_error_c_fails(self):
        self.add_line('runtime/lib/graph/graph.c',
                      'static void f(pcsm_ctx *ctx) { pcsm_buf_putc(&ctx->err_message, 0); }')
        r = self.run_check()
        self.assertEqual(r.returncode, 1)
        self.assertIn('runtime/lib/graph/graph.c:1: touches the context\'s error field '
                      '"err_message"', r.stderr)


class CheckSymbols(unittest.TestCase):
    """The object-level check, on nm -A lines as the build's archive gives them."""
    NM = ('lib.a:core_buf.c.o:0000000000000000 T pcsm_buf_puts\n'
          'lib.a:render_render.c.o:0000000000000010 T pcsm_render__op\n'
          'lib.a:render_render.c.o:                 U pcsm_buf_puts\n'
          'lib.a:render_render.c.o:                 U strlen\n')

    def check(self, nm):
        sys.path.insert(0, HERE)
        import check_layers
        problems = []
        n = check_layers.check_symbols(nm, problems)
        return n, problems

    def test_downward_call_passes(self):
        n, problems = self.check(self.NM)
        self.assertEqual(n, 2)
        self.assertEqual(problems, [])

    def test_upward_call_fails(self):
        n, problems = self.check(self.NM + 'lib.a:core_sql.c.o:                 U pcsm_render__op\n')
        self.assertEqual(problems, ['core_sql.c.o (layer core) calls pcsm_render__op of layer render'])

    def test_object_of_no_layer_fails(self):
        n, problems = self.check(self.NM + 'lib.a:misc.c.o:                 U pcsm_buf_puts\n')
        self.assertEqual(problems, ['misc.c.o: an object of no known layer'])


if __name__ == '__main__':
    unittest.main()
