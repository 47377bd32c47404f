#!/usr/bin/env python3
"""End to end: the scaffold commands never break the build.

The real pcs-migrate, run as a user runs it, into a copy of the source tree
or a scratch migrations directory, and then the real consumers of what it
wrote: meson (configure, with migrations/revisions.txt read by fs.read()),
the generator (gen_registry.py: the list check and the header grammar) and
a C compiler with warnings as errors.

  - a scaffolded revision is built and round-tripped with no hand edit of
    any build file (needs PCSM_TEST_DSN; the only test that does);
  - sixteen concurrent scaffolds all land, each listed once, in one chain,
    and the build configures and lists every revision;
  - a revisions.txt that is a symbolic link stays one, its target updated
    and its mode kept; files and links planted in the directory are never
    written through;
  - every odd layout of the list (comments, blank lines, no final newline,
    CRLF, CR, indentation, white space of any kind) keeps configuring;
  - every message of tests/scaffold/message_cases.txt: refused with exit 2,
    or written as a header the generator reads with the intended
    description, and that compiles warning-free;
  - the refusals and failures (no list, a list that cannot be read, a full
    file system) leave nothing behind, and a scaffold waiting for the lock
    takes it again on a list that was replaced meanwhile.
"""
import fcntl
import importlib.util
import os
import re
import shutil
import socket
import stat
import subprocess
import sys
import tempfile
import time
import unittest

SOURCE_ROOT = os.environ['PCSM_TEST_SOURCE_ROOT']
BIN = os.environ['PCSM_TEST_BIN_PCS']
GEN_PATH = os.path.join(SOURCE_ROOT, 'generator', 'gen_registry.py')
INITIAL = '9a39eb7fd78f_initial_database_schema.c'
INCLUDE = os.path.join(SOURCE_ROOT, 'runtime', 'include')
COMPILERS = [cc for cc in ('gcc', 'clang') if shutil.which(cc)]
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import cases  # noqa: E402  (tests/scaffold/cases.py)
sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), '..', 'support'))
import source_tree  # noqa: E402  (tests/support/source_tree.py)

UPGRADE = '''    pcsm_create_table(op, "widgets", PCSM_COLUMNS(
        { .name = "id", .type = PCSM_UUID, .primary_key = true,
          .default_value = PCSM_EXPR("gen_random_uuid()") },
        { .name = "context_id", .type = PCSM_UUID, .references = "contexts" }), NULL, NULL);
    pcsm_create_index(op, &(pcsm_index){ .name = "ix_widgets_context_id", .table = "widgets",
                                         .columns = PCSM_NAMES("context_id") });'''
DOWNGRADE = '''    pcsm_drop_table(op, "widgets", 0);'''


def run(*args, cwd=None, env=None, text=True):
    return subprocess.run(args, cwd=cwd, env=env, capture_output=True, text=text)


def load_generator():
    spec = importlib.util.spec_from_file_location('gen_registry_for_scaffold', GEN_PATH)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


GEN = load_generator()


def copy_tree(dest):
    """The source tree, as git knows it (or all of it but build directories)."""
    source_tree.copy_tree(SOURCE_ROOT, dest)


def read_bytes(path):
    with open(path, 'rb') as f:
        return f.read()


def listing(directory):
    """Every entry of a directory with its kind and content: what must not change."""
    out = {}
    for name in sorted(os.listdir(directory)):
        path = os.path.join(directory, name)
        st = os.lstat(path)
        if stat.S_ISLNK(st.st_mode):
            out[name] = ('link', os.readlink(path))
        elif stat.S_ISREG(st.st_mode):
            out[name] = ('file', read_bytes(path), stat.S_IMODE(st.st_mode))
        else:
            out[name] = ('other', stat.S_IFMT(st.st_mode))
    return out


def check_list(directory):
    """The configure-time check, with the names meson's loop would read."""
    list_file = os.path.join(directory, 'revisions.txt')
    names = [name for name, _ in GEN.read_list_file(list_file, GEN.Errors()) or []]
    return run(sys.executable, GEN_PATH, '--check-list', directory, '--list-file', list_file,
               '--', *names)


def registry_ids(test, directory, out):
    """Runs the generator's build mode on a directory; the ids it registered, in order."""
    list_file = os.path.join(directory, 'revisions.txt')
    names = [name for name, _ in GEN.read_list_file(list_file, GEN.Errors())]
    made = run(sys.executable, GEN_PATH, '--name', 't', '--source-root', directory, '--dir',
               directory, '--out-dir', out, '--depfile', os.path.join(out, 't.d'),
               '--list-file', list_file, *[os.path.join(directory, n) for n in names])
    test.assertEqual((made.returncode, made.stderr), (0, ''))
    with open(os.path.join(out, 't_registry.c'), encoding='utf-8', errors='surrogateescape') as f:
        return re.findall(r'^        \.id = "([^"]*)",$', f.read(), re.M)


class ScratchTestCase(unittest.TestCase):
    """A temporary directory; migrations() makes a scratch migrations directory there."""

    def setUp(self):
        self.tmp = tempfile.mkdtemp(prefix='pcsm-scaffold-')
        self.addCleanup(shutil.rmtree, self.tmp, True)

    def migrations(self, name='m', list_text=INITIAL + '\n'):
        directory = os.path.join(self.tmp, name)
        os.makedirs(directory)
        shutil.copy2(os.path.join(SOURCE_ROOT, 'migrations', INITIAL), directory)
        if list_text is not None:
            with open(os.path.join(directory, 'revisions.txt'), 'wb') as f:
                f.write(list_text if isinstance(list_text, bytes) else list_text.encode())
        return directory

    def scaffold(self, directory, message='add a thing', *extra, cwd=None, env=None,
                 prefix=()):
        return run(*prefix, BIN, 'create-migration', message, '--dir', directory, *extra,
                   cwd=cwd, env=env)

    def assertScaffolds(self, result):
        self.assertEqual(result.returncode, 0, result.stderr)
        self.assertEqual(result.stderr, '')
        return result.stdout.strip()


class ScaffoldedRevisionBuildsAndRoundTrips(ScratchTestCase):
    def test_create_compile_roundtrip(self):
        if not os.environ.get('PCSM_TEST_DSN'):
            if os.environ.get('PCSM_TEST_REQUIRE_DB'):
                self.fail('PCSM_TEST_DSN not set (integration_tests=enabled)')
            self.skipTest('PCSM_TEST_DSN not set')
        src = os.path.join(self.tmp, 'src')
        copy_tree(src)
        migrations = os.path.join(src, 'migrations')
        path = self.assertScaffolds(self.scaffold(migrations, 'Add widgets table'))
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
        with open(os.path.join(migrations, 'revisions.txt')) as fh:
            self.assertIn(f'\n{name}\n', '\n' + fh.read())

        build = os.path.join(self.tmp, 'build')
        setup = run('meson', 'setup', build, src, '-Dtests=enabled',
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


class TheBuildStillConfigures(ScratchTestCase):
    """Scaffolds into a copy of the tree, then the real meson setup."""

    def setUp(self):
        super().setUp()
        self.src = os.path.join(self.tmp, 'src')
        copy_tree(self.src)
        self.dir = os.path.join(self.src, 'migrations')
        self.list = os.path.join(self.dir, 'revisions.txt')

    def configure(self, name='build'):
        """meson setup of the copy; the ids of the PCS registry it generates."""
        build = os.path.join(self.tmp, name)
        setup = run('meson', 'setup', build, self.src, '-Dtests=disabled')
        self.assertEqual(setup.returncode, 0, setup.stdout + setup.stderr)
        made = run('ninja', '-C', build, 'pcs_registry.c')
        self.assertEqual(made.returncode, 0, made.stdout + made.stderr)
        with open(os.path.join(build, 'pcs_registry.c')) as f:
            return re.findall(r'^        \.id = "([^"]*)",$', f.read(), re.M)

    def test_concurrent_scaffolds_all_land_in_one_chain(self):
        """Sixteen at once, from the tree's top (./migrations, no --dir).
        Issue 19: eight at once lost entries in 11 of 151 runs."""
        n = 16
        before = read_bytes(self.list)
        procs = [subprocess.Popen([BIN, 'create-migration', f'concurrent {i}'], cwd=self.src,
                                  stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
                 for i in range(n)]
        paths = []
        for proc in procs:
            out, err = proc.communicate(timeout=120)
            self.assertEqual((proc.returncode, err), (0, ''))
            paths.append(os.path.join(self.src, out.strip()))
        names = [os.path.basename(p) for p in paths]
        self.assertEqual(len(set(names)), n)
        for path in paths:
            self.assertEqual(os.path.dirname(path), self.dir)
        # Each listed exactly once, in sorted position, the comments kept.
        text = read_bytes(self.list).decode()
        listed = [line for line in text.split('\n') if line and not line.startswith('#')]
        self.assertEqual(listed, sorted(listed))
        self.assertEqual(sorted(listed), sorted(names + [INITIAL]))
        self.assertTrue(text.startswith(before.decode().split(INITIAL)[0]))
        # One chain: every revision revises the one scaffolded before it.
        parents = {}
        for name in names:
            rid, revises = GEN_fields(os.path.join(self.dir, name))
            parents[rid] = revises
        chain, rid = [], next(r for r in parents if r not in parents.values())
        while rid in parents:
            chain.append(rid)
            rid = parents[rid]
        self.assertEqual((len(chain), rid), (n, '9a39eb7fd78f'))
        # The build configures, and its registry lists every revision.
        ids = self.configure()
        self.assertEqual(ids, ['9a39eb7fd78f'] + chain[::-1])
        self.assertEqual(sorted(os.listdir(self.dir)),
                         sorted(names + [INITIAL, 'revisions.txt']))

    def test_every_list_layout_keeps_configuring(self):
        layouts = {
            'comments, blank lines, no final newline':
                b'# PCS\n\n# the first\n' + INITIAL.encode() + b'\n\n# the end',
            'CRLF': b'# PCS\r\n\r\n' + INITIAL.encode() + b'\r\n# trailing\r\n',
            'CRLF, no final newline': b'# PCS\r\n' + INITIAL.encode(),
            'lone CR': b'# PCS\r' + INITIAL.encode() + b'\r',
            'indented, tabs, trailing white space':
                b'\t# comment\n   ' + INITIAL.encode() + b' \t \n  \n',
            'unicode white space': '\u3000'.encode() + INITIAL.encode() + '\u00a0\n'.encode(),
            'nothing but the name': INITIAL.encode(),
        }
        for what, layout in layouts.items():
            with self.subTest(layout=what):
                with open(self.list, 'wb') as f:
                    f.write(layout)
                first = os.path.basename(self.assertScaffolds(self.scaffold(self.dir, 'one')))
                second = os.path.basename(self.assertScaffolds(self.scaffold(self.dir, 'two')))
                after = read_bytes(self.list)
                # Every byte of the layout is still there, in order; two lines more.
                kept = after
                for name in (first, second):
                    kept = re.sub(re.escape(name.encode()) + b'\r?\n', b'', kept, count=1)
                self.assertIn(kept, (layout, layout + b'\n', layout + b'\r\n'))
                ids = self.configure('build-' + re.sub(r'\W+', '-', what))
                self.assertEqual(ids, ['9a39eb7fd78f', first[:12], second[:12]])
                for name in (first, second):
                    os.remove(os.path.join(self.dir, name))


def GEN_fields(path):
    """(Revision ID, parents) of a file, as the generator reads them."""
    errors = GEN.Errors()
    rev = GEN.parse_revision(path, read_bytes(path), errors)
    assert not errors.found, errors.found
    assert len(rev.parents) <= 1, rev.parents
    return rev.id, rev.parents[0] if rev.parents else None


class TheListIsReplacedSafely(ScratchTestCase):

    def test_a_linked_list_stays_a_link_with_its_mode(self):
        directory = self.migrations(list_text=None)
        lists = os.path.join(self.tmp, 'lists')
        os.makedirs(lists)
        target = os.path.join(lists, 'pcs.txt')
        with open(target, 'w') as f:
            f.write('# kept elsewhere\n' + INITIAL + '\n')
        os.chmod(target, 0o600)
        link = os.path.join(directory, 'revisions.txt')
        os.symlink('../lists/pcs.txt', link)
        made = [os.path.basename(self.assertScaffolds(self.scaffold(directory, f'linked {i}')))
                for i in range(3)]
        self.assertEqual(os.readlink(link), '../lists/pcs.txt')
        self.assertEqual(stat.S_IMODE(os.stat(target).st_mode), 0o600)
        with open(target) as f:
            self.assertEqual(f.read(), '# kept elsewhere\n'
                             + ''.join(n + '\n' for n in sorted(made + [INITIAL])))
        self.assertEqual(sorted(os.listdir(lists)), ['pcs.txt'])
        self.assertEqual(sorted(os.listdir(directory)),
                         sorted(made + [INITIAL, 'revisions.txt']))
        self.assertEqual((check_list(directory).returncode, check_list(directory).stderr),
                         (0, ''))

    def test_planted_files_and_links_are_never_written_through(self):
        """Issue 19: a link planted at the old fixed temporary name
        (.meson.build.pcsm-tmp) overwrote its target."""
        directory = self.migrations()
        victim = os.path.join(self.tmp, 'victim')
        with open(victim, 'w') as f:
            f.write('precious\n')
        for name in ('.meson.build.pcsm-tmp', '.revisions.txt.pcsm-tmp', '.revisions.txt.tmp',
                     '.revisions.txt.XXXXXX', 'revisions.txt.new', 'revisions.txt~'):
            os.symlink(victim, os.path.join(directory, name))
        os.mkfifo(os.path.join(directory, '.revisions.txt.fifo'))
        planted = {k: v for k, v in listing(directory).items() if k != 'revisions.txt'}
        made = [os.path.basename(self.assertScaffolds(self.scaffold(directory, f'planted {i}')))
                for i in range(5)]
        self.assertEqual(read_bytes(victim), b'precious\n')
        after = listing(directory)
        for name, entry in planted.items():
            self.assertEqual(after[name], entry)
        self.assertEqual(sorted(after), sorted(list(planted) + made + ['revisions.txt']))

    def test_a_waiting_scaffold_locks_the_list_that_replaced_the_old_one(self):
        """The lock belongs to the file: a scaffold that waited on a list
        that was then replaced (renamed over, as every scaffold does) must
        take the lock again on the new one, not write after a stale read."""
        directory = self.migrations()
        path = os.path.join(directory, 'revisions.txt')
        old = os.path.join(self.tmp, 'old-list')
        os.link(path, old)
        with open(path, 'rb') as held:
            fcntl.flock(held, fcntl.LOCK_EX)
            proc = subprocess.Popen([BIN, 'create-migration', 'waited', '--dir', directory],
                                    stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
            self.wait_until_blocked(proc.pid)
            new = os.path.join(directory, '.replacement')
            with open(new, 'w') as f:
                f.write('# replaced while it waited\n' + INITIAL + '\n')
            os.rename(new, path)
        out, err = proc.communicate(timeout=60)
        self.assertEqual((proc.returncode, err), (0, ''))
        name = os.path.basename(out.strip())
        with open(path) as f:
            self.assertEqual(f.read(), '# replaced while it waited\n'
                             + ''.join(n + '\n' for n in sorted([name, INITIAL])))
        self.assertEqual(read_bytes(old), (INITIAL + '\n').encode())

    def wait_until_blocked(self, pid):
        """Until pid waits for a flock() (a "->" line of /proc/locks)."""
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            with open('/proc/locks') as f:
                if any(line.split()[1:3] == ['->', 'FLOCK'] and line.split()[5] == str(pid)
                       for line in f if len(line.split()) > 5):
                    return
            time.sleep(0.01)
        self.fail(f'pcs-migrate {pid} never waited for the lock')


class Messages(ScratchTestCase):
    """tests/scaffold/message_cases.txt through the real command and the generator."""

    def test_every_message_case(self):
        directory = self.migrations()
        all_cases = cases.read_cases(cases.MESSAGE_CASES)
        self.assertGreaterEqual(len(all_cases), 30)
        made = []
        for case in all_cases:
            with self.subTest(case=case['name']):
                before = listing(directory)
                result = run(BIN, 'create-migration', case['message'], '--dir',
                             directory.encode(), text=False)
                if case['written'] == cases.REFUSED:
                    self.assertEqual(result.returncode, 2, result.stderr)
                    self.assertEqual(listing(directory), before)
                    continue
                self.assertEqual((result.returncode, result.stderr), (0, b''))
                path = result.stdout.decode().strip()
                data = read_bytes(path)
                self.assertEqual(data.split(b'\n')[1], b' * ' + case['written'])
                errors = GEN.Errors()
                rev = GEN.parse_revision(path, data, errors)
                self.assertEqual(errors.found, [])
                self.assertEqual(rev.description.encode('utf-8', 'surrogateescape'),
                                 case['description'])
                self.assertEqual(rev.id, os.path.basename(path)[:12])
                made.append(rev.id)
        # One chain, listed and registered whole: the next scaffold read every file.
        out = os.path.join(self.tmp, 'out')
        ids = registry_ids(self, directory, out)
        self.assertEqual(ids, ['9a39eb7fd78f'] + made)
        # Each compiles as the build compiles it (its wrapper includes it),
        # warnings as errors: no comment, trigraph or bidi warning.
        for cc in COMPILERS:
            for wrapper in sorted(os.listdir(out)):
                if wrapper.startswith('t_rev_'):
                    compiled = run(cc, '-std=c11', '-Wall', '-Wextra', '-Werror',
                                   '-fsyntax-only', '-I', INCLUDE, os.path.join(out, wrapper))
                    self.assertEqual(compiled.returncode, 0, compiled.stderr)

    def test_bad_files_of_the_old_scaffold_do_not_wedge_it(self):
        """Issue 19: two files with a message read as a header field made
        every later scaffold fail.  Such a file is read as the generator
        reads it; a file the scaffold cannot read is named."""
        directory = self.migrations()
        with open(os.path.join(SOURCE_ROOT, 'migrations', INITIAL)) as f:
            text = f.read()
        for rid, field in (('aaaaaaaaaaaa', 'Revises: None'),
                           ('bbbbbbbbbbbb', 'Flags: nontransactional')):
            with open(os.path.join(directory, f'{rid}_old.c'), 'w') as f:
                f.write(text.replace('Revision ID: 9a39eb7fd78f', f'Revision ID: {rid}')
                        .replace(' * Revises: None\n', ' * Revises: 9a39eb7fd78f\n')
                        .replace('initial database schema', field))
        # Read as the generator reads them (the first Revises counts: aaaa
        # is a root), which finds two heads: the merge is named.
        result = self.scaffold(directory)
        self.assertEqual(result.returncode, 5, result.stderr)
        self.assertIn('has 2 heads; join them first: pcs-migrate merge -m "merge heads" '
                      'aaaaaaaaaaaa bbbbbbbbbbbb', result.stderr)
        merged = run(BIN, 'merge', '-m', 'join', 'aaaa', 'bbbb', '--dir', directory)
        self.assertEqual(merged.returncode, 0, merged.stderr)
        self.assertScaffolds(self.scaffold(directory, 'after the merge'))
        broken = os.path.join(directory, 'cccccccccccc_broken.c')
        with open(broken, 'w') as f:
            f.write('/* no header here */\n')
        result = self.scaffold(directory)
        self.assertEqual(result.returncode, 2)
        self.assertIn(f'{broken}: no "Revision ID:" and "Revises:" header lines that the '
                      'build reads; fix that file first', result.stderr)


class Refusals(ScratchTestCase):
    """Each way a scaffold can fail leaves the directory as it was."""

    def assertFails(self, directory, status, message, prefix=()):
        before = listing(directory)
        result = self.scaffold(directory, prefix=prefix)
        self.assertEqual(result.returncode, status, result.stderr)
        self.assertIn(message, result.stderr)
        self.assertEqual(listing(directory), before)
        return result

    def test_no_list(self):
        directory = self.migrations(list_text=None)
        self.assertFails(directory, 2, f'{directory}/revisions.txt is missing: a migrations '
                         'directory lists its revision files there, one name per line; create '
                         f'it with (cd {directory} && ls *.c > revisions.txt)')

    def test_a_list_that_cannot_be_opened(self):
        directory = self.migrations(list_text=None)
        server = socket.socket(socket.AF_UNIX)
        self.addCleanup(server.close)
        server.bind(os.path.join(directory, 'revisions.txt'))
        self.assertFails(directory, 2, 'cannot open, lock and read the revision list '
                         f'{directory}/revisions.txt: No such device or address')

    def test_a_full_file_system(self):
        """A write that fails (the file size limit: EFBIG) on the new
        revision, then on the new list: nothing left behind, no temporary."""
        directory = self.migrations(list_text='#' * 4000 + '\n' + INITIAL + '\n')
        self.assertFails(directory, 1, 'cannot write ',
                         prefix=('sh', '-c', "trap '' XFSZ; ulimit -f 0; exec \"$@\"", 'sh'))
        result = self.assertFails(
            directory, 1, f'cannot update the revision list {directory}/revisions.txt: File '
            'too large', prefix=('sh', '-c', "trap '' XFSZ; ulimit -f 2; exec \"$@\"", 'sh'))
        self.assertEqual(result.stdout, '')


if __name__ == '__main__':
    unittest.main(verbosity=2)
