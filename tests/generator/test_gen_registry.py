#!/usr/bin/env python3
"""Tests of generator/gen_registry.py, the revision registry generator.

Runs the generator as the build does, as a separate process, on the
fixture directories under fixtures/ (one per validation error, each named
after the error it provokes), on the C fixture graphs of tests/fixtures/,
and on graphs built in temporary directories.  Where a C compiler is on
PATH, the generated sources are also compiled, and one registry is linked
into a small program that prints what it holds.

    python3 tests/generator/test_gen_registry.py [--generator PATH] [-v]

The generator is PATH, else $GEN_REGISTRY, else ../../generator/
gen_registry.py from this file.  Standard library only.
"""

import hashlib
import importlib.util
import os
import re
import shutil
import subprocess
import sys
import tempfile
import unittest

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.normpath(os.path.join(HERE, '..', '..'))
FIXTURES = os.path.join(HERE, 'fixtures')
C_FIXTURES = os.path.join(REPO, 'tests', 'fixtures')
MAKE_CHAIN = os.path.join(C_FIXTURES, 'make_chain.py')
INCLUDE = os.path.join(REPO, 'runtime', 'include')
CC = shutil.which('cc')
CFLAGS = ['-std=c11', '-Wall', '-Wextra', '-Wpedantic', '-Werror',
          '-I', INCLUDE]


def generator_path():
    """--generator PATH (taken out of argv), $GEN_REGISTRY, or the default."""
    if '--generator' in sys.argv:
        i = sys.argv.index('--generator')
        path = sys.argv[i + 1]
        del sys.argv[i:i + 2]
    else:
        path = os.environ.get('GEN_REGISTRY') or os.path.join(
            REPO, 'generator', 'gen_registry.py')
    return os.path.abspath(path)


GEN = generator_path()
TEMPLATE = os.path.join(os.path.dirname(GEN), 'revision_template.c.in')
sys.path.insert(0, os.path.join(REPO, 'tests', 'scaffold'))
import cases as scaffold_cases  # noqa: E402  (tests/scaffold/cases.py)


def load_generator():
    """The generator as a module, for what its command line does not show."""
    spec = importlib.util.spec_from_file_location('gen_registry_under_test',
                                                  GEN)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module

BODY = '''#include <pcsm/ddl.h>

static void upgrade(pcsm_op *op)
{
    (void)op;
}

static void downgrade(pcsm_op *op)
{
    (void)op;
}
'''

# The exact stderr of each fixtures/<case>/ directory when all its *.c are
# given.  Paths are as given on the command line (relative to this file's
# directory, where the tests run the generator).
MULTIPLE_HEADS_FIX = ('create a merge revision: '
                      'pcs-migrate merge -m "merge heads"')
EXPECTED_ERRORS = {
    'bad_header_end': [
        "fixtures/bad_header_end/aaaa_end.c:6: the header comment must end "
        "with ' */' on a line of its own",
    ],
    'bad_id': [
        "fixtures/bad_id/a123456789012345678901234567890123.c:4: bad revision "
        "id 'a123456789012345678901234567890123': it must be 1 to 32 "
        "characters from [0-9A-Za-z_]",
        "fixtures/bad_id/abc-def.c:4: bad revision id 'abc-def': it must be "
        "1 to 32 characters from [0-9A-Za-z_]",
    ],
    'blank_before_header': [
        "fixtures/blank_before_header/aaaa_blank.c:1: blank line before the "
        "header comment; it must start with '/*' on line 1",
    ],
    'byte_order_mark': [
        "fixtures/byte_order_mark/aaaa_bom.c:1: the file starts with a UTF-8 "
        "byte order mark; the header comment must start with '/*' on line 1",
    ],
    'cycle': [
        "fixtures/cycle/aaaa_a.c:5: revisions form a cycle: aaaa "
        "(fixtures/cycle/aaaa_a.c) revises bbbb (fixtures/cycle/bbbb_b.c), "
        "which revises cccc (fixtures/cycle/cccc_c.c), which revises aaaa",
        "fixtures/cycle/eeee_e.c:5: revisions form a cycle: eeee "
        "(fixtures/cycle/eeee_e.c) revises itself",
    ],
    'description_on_line_1': [
        "fixtures/description_on_line_1/aaaa_line1.c:1: line 1 must be '/*' "
        "alone; the description goes on line 2",
    ],
    'duplicate_field': [
        "fixtures/duplicate_field/aaaa_twice.c:7: duplicate field 'Revises' "
        "(first on line 5)",
    ],
    'duplicate_id': [
        "fixtures/duplicate_id/aaaa_two.c:4: duplicate revision id 'aaaa': "
        "also in fixtures/duplicate_id/aaaa_one.c:4",
    ],
    'file_name_mismatch': [
        "fixtures/file_name_mismatch/bbbbx_slug.c:4: file name 'bbbbx_slug.c' "
        "does not match its Revision ID 'bbbb': name it 'bbbb.c' or "
        "'bbbb_<slug>.c'",
        "fixtures/file_name_mismatch/cccc_.c:4: file name 'cccc_.c' does not "
        "match its Revision ID 'cccc': name it 'cccc.c' or 'cccc_<slug>.c'",
        "fixtures/file_name_mismatch/dddd_wrong.c:4: file name 'dddd_wrong.c' "
        "does not match its Revision ID 'eeee': name it 'eeee.c' or "
        "'eeee_<slug>.c'",
    ],
    'free_text_after_fields': [
        "fixtures/free_text_after_fields/aaaa_text.c:8: free text among the "
        "fields; it belongs between the description and the fields",
    ],
    'malformed_create_date': [
        f"fixtures/malformed_create_date/{name}:6: malformed Create Date "
        f"'{value}': expected YYYY-MM-DD HH:MM:SS[.ffffff][+HH:MM]"
        for name, value in [('aaaa_feb30.c', '2026-02-30 10:00:00'),
                            ('bbbb_iso_t.c', '2026-01-01T10:00:00'),
                            ('cccc_offset.c', '2026-01-01 10:00:00+24:00'),
                            ('dddd_fraction.c', '2026-01-01 10:00:00.123')]
    ],
    'malformed_header_line': [
        f"fixtures/malformed_header_line/aaaa_line.c:{line}: malformed header "
        "line: expected ' *' or ' * ' followed by text" for line in (4, 5)
    ],
    'malformed_revises': [
        "fixtures/malformed_revises/bbbb_empty_item.c:5: malformed Revises "
        "'aaaa,,cccc': empty revision id between commas",
        "fixtures/malformed_revises/cccc_bad_item.c:5: malformed Revises "
        "'aaaa, not-an-id': 'not-an-id' is not a revision id",
        "fixtures/malformed_revises/dddd_twice.c:5: Revises names 'aaaa' "
        "twice",
    ],
    # Every error of every file, not just the first; a file with errors of
    # its own still declares its id, so its children get no extra noise.
    'many_errors': [
        "fixtures/many_errors/aaaa_root.c:6: malformed Create Date "
        "'yesterday': expected YYYY-MM-DD HH:MM:SS[.ffffff][+HH:MM]",
        "fixtures/many_errors/bbbb_child.c:5: Revises: unknown revision "
        "'yyyy'",
        "fixtures/many_errors/cccc_child.c:7: duplicate field 'Create Date' "
        "(first on line 6)",
        "fixtures/many_errors/dddd_child.c:1: missing header comment: a "
        "migration file must start with '/*' on line 1",
    ],
    'missing_description': [
        "fixtures/missing_description/aaaa_nodesc.c:1: missing description: "
        "the first line of the header comment must say what the revision "
        "does",
    ],
    'missing_field': [
        "fixtures/missing_field/aaaa_nodate.c:1: missing 'Revises' field in "
        "the header",
        "fixtures/missing_field/aaaa_nodate.c:1: missing 'Create Date' field "
        "in the header",
    ],
    # Two revisions revising the same parent: the brief's own example.
    'multiple_heads': [
        "fixtures/multiple_heads/bbbb.c:4: multiple heads: bbbb "
        "(fixtures/multiple_heads/bbbb.c) and cccc "
        "(fixtures/multiple_heads/cccc.c) both descend from aaaa; "
        f"{MULTIPLE_HEADS_FIX} bbbb cccc",
    ],
    'multiple_heads_deep': [
        "fixtures/multiple_heads_deep/dddd.c:4: multiple heads: dddd "
        "(fixtures/multiple_heads_deep/dddd.c), eeee "
        "(fixtures/multiple_heads_deep/eeee.c) and ffff "
        "(fixtures/multiple_heads_deep/ffff.c) all descend from bbbb; "
        f"{MULTIPLE_HEADS_FIX} dddd eeee ffff",
    ],
    'multiple_heads_two_roots': [
        "fixtures/multiple_heads_two_roots/aaaa.c:4: multiple heads: aaaa "
        "(fixtures/multiple_heads_two_roots/aaaa.c) and bbbb "
        "(fixtures/multiple_heads_two_roots/bbbb.c) share no ancestor; "
        f"{MULTIPLE_HEADS_FIX} aaaa bbbb",
    ],
    'no_header': [
        "fixtures/no_header/aaaa_no_header.c:1: missing header comment: a "
        "migration file must start with '/*' on line 1",
    ],
    'unknown_field': [
        "fixtures/unknown_field/aaaa_typo.c:6: unknown field 'Revison ID' "
        "(did you mean 'Revision ID'?)",
        "fixtures/unknown_field/bbbb_author.c:7: unknown field 'Author'; the "
        "fields are: Revision ID, Revises, Create Date, Flags, Lint-ignore",
    ],
    'unknown_flag': [
        "fixtures/unknown_flag/aaaa_flag.c:7: unknown flag 'fast'; the flags "
        "are: nontransactional",
    ],
    'unknown_revision': [
        "fixtures/unknown_revision/bbbb_orphan.c:5: Revises: unknown "
        "revision 'zzzz'",
    ],
    'unterminated_header': [
        "fixtures/unterminated_header/aaaa_open.c:1: unterminated header "
        "comment: no ' */' line",
    ],
}


def header(description, rid, revises, date='2026-01-01 10:00:00+00:00',
           extra=()):
    lines = ['/*', f' * {description}', ' *', f' * Revision ID: {rid}',
             f' * Revises: {revises}', f' * Create Date: {date}']
    lines += [f' * {line}' for line in extra]
    return '\n'.join(lines + [' */', '']) + BODY


def write(path, text):
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, 'w', encoding='utf-8') as f:
        f.write(text)


def read(path):
    with open(path, encoding='utf-8') as f:
        return f.read()


def run_generator(args, cwd=HERE):
    return subprocess.run([sys.executable, GEN, *args], cwd=cwd,
                          capture_output=True, text=True)


def generate(directory, files, out, name='t', root=REPO, cwd=HERE):
    """Build mode, as meson runs it."""
    return run_generator(['--name', name, '--source-root', root,
                          '--dir', directory, '--out-dir', out,
                          '--depfile', os.path.join(out, name + '.d'),
                          *files], cwd=cwd)


def c_files(directory):
    return sorted(f for f in os.listdir(directory) if f.endswith('.c'))


def parse_registry(text):
    """The entries of a generated registry, as dicts, in array order."""
    arrays = {m.group(1): re.findall(r'"([^"]*)"', m.group(2)) for m in
              re.finditer(r'static const char \*const parents_(\w+)\[\] = '
                          r'\{ (.*) \};', text)}
    entries = []
    for block in re.findall(r'    \{\n(.*?)    \},\n', text, re.S):
        entry = dict(re.findall(r'        \.(\w+) = (.*),\n', block))
        for key in ('id', 'description', 'create_date', 'source_sha256',
                    'source_path'):
            entry[key] = entry[key][1:-1]
        entry['parents'] = ([] if entry['parents'] == 'NULL'
                            else arrays[entry['parents'][len('parents_'):]])
        entries.append(entry)
    length = int(re.search(r'pcsm_registry_len = (\d+);', text).group(1))
    assert length == len(entries), (length, len(entries))
    return entries


class GeneratorTestCase(unittest.TestCase):

    def setUp(self):
        tmp = tempfile.TemporaryDirectory(prefix='gen_registry_test.')
        self.addCleanup(tmp.cleanup)
        self.tmp = os.path.realpath(tmp.name)

    def assertGenerates(self, result):
        self.assertEqual(result.stderr, '')
        self.assertEqual(result.returncode, 0)

    def generate_fixture(self, name):
        """Generates tests/fixtures/<name> into a temporary directory."""
        out = os.path.join(self.tmp, 'out')
        directory = os.path.join(C_FIXTURES, name)
        files = [os.path.join(directory, f) for f in c_files(directory)]
        self.assertGenerates(generate(directory, files, out, name=name))
        return out, parse_registry(read(os.path.join(out,
                                                     f'{name}_registry.c')))


class ValidGraphTest(GeneratorTestCase):

    def test_linear_chain(self):
        out, entries = self.generate_fixture('linear')
        ids = [f'a1000000000{i}' for i in range(1, 6)]
        self.assertEqual([e['id'] for e in entries], ids)
        self.assertEqual([e['parents'] for e in entries],
                         [[]] + [[rid] for rid in ids[:-1]])
        self.assertEqual([e['n_parents'] for e in entries],
                         ['0', '1', '1', '1', '1'])
        self.assertEqual(entries[0]['description'], 'create accounts')
        self.assertEqual(entries[0]['create_date'],
                         '2026-01-01 10:00:00+00:00')
        for entry, name in zip(entries, c_files(os.path.join(C_FIXTURES,
                                                             'linear'))):
            path = f'tests/fixtures/linear/{name}'
            with open(os.path.join(REPO, path), 'rb') as f:
                sha = hashlib.sha256(f.read()).hexdigest()
            self.assertEqual(entry['source_path'], path)
            self.assertEqual(entry['source_sha256'], sha)
            self.assertEqual(entry['flags'], '0')
            self.assertEqual(entry['upgrade'], f'pcsm_up_{entry["id"]}')
            self.assertEqual(entry['downgrade'], f'pcsm_down_{entry["id"]}')
            self.assertTrue(os.path.exists(
                os.path.join(out, f'linear_rev_{name}')))

    def test_branch_and_merge(self):
        _, entries = self.generate_fixture('merge')
        # Branch b's first revision is older than branch a's second, so it
        # comes between them: ties go to the older revision.
        self.assertEqual([e['id'][-2:] for e in entries],
                         ['01', '02', '04', '03', '05', '06', '07'])
        parents = {e['id']: e['parents'] for e in entries}
        self.assertEqual(parents['b10000000006'],
                         ['b10000000003', 'b10000000005'])
        self.assertEqual(parents['b10000000007'], ['b10000000006'])
        self.assertEqual(parents['b10000000004'], ['b10000000001'])
        self.assertEqual(entries[5]['n_parents'], '2')

    def test_order_ties_use_create_date_in_utc_then_id(self):
        directory = os.path.join(self.tmp, 'm')
        write(os.path.join(directory, 'aaaa.c'),
              header('root', 'aaaa', 'None'))
        # 11:00+02:00 is 09:00 UTC: older than cccc and dddd.
        write(os.path.join(directory, 'cccc.c'), header(
            'c', 'cccc', 'aaaa', '2026-01-02 10:00:00+00:00'))
        write(os.path.join(directory, 'bbbb.c'), header(
            'b', 'bbbb', 'aaaa', '2026-01-02 11:00:00+02:00'))
        write(os.path.join(directory, 'dddd.c'), header(
            'd', 'dddd', 'aaaa', '2026-01-02 10:00:00'))
        write(os.path.join(directory, 'eeee_merge.c'), header(
            'merge', 'eeee', 'dddd, bbbb,cccc', '2026-01-03 10:00:00.250000',
            extra=['Flags: nontransactional']))
        files = [os.path.join(directory, f) for f in c_files(directory)]
        out = os.path.join(self.tmp, 'out')
        self.assertGenerates(generate(directory, files, out,
                                      root=self.tmp))
        entries = parse_registry(read(os.path.join(out, 't_registry.c')))
        self.assertEqual([e['id'] for e in entries],
                         ['aaaa', 'bbbb', 'cccc', 'dddd', 'eeee'])
        self.assertEqual(entries[4]['parents'], ['dddd', 'bbbb', 'cccc'])
        self.assertEqual(entries[4]['flags'], 'PCSM_REV_NONTRANSACTIONAL')
        self.assertEqual(entries[4]['create_date'],
                         '2026-01-03 10:00:00.250000')
        self.assertEqual(entries[4]['source_path'], 'm/eeee_merge.c')

    def test_empty_registry(self):
        directory = os.path.join(self.tmp, 'empty')
        os.mkdir(directory)
        out = os.path.join(self.tmp, 'out')
        self.assertGenerates(generate(directory, [], out, root=self.tmp))
        registry = read(os.path.join(out, 't_registry.c'))
        self.assertIn('const pcsm_revision pcsm_registry[] = {\n'
                      '    { 0 },\n'
                      '};\n'
                      '\n'
                      'const size_t pcsm_registry_len = 0;\n', registry)
        self.assertEqual(parse_registry(registry), [])
        self.assertEqual(sorted(os.listdir(out)), ['t.d', 't_registry.c'])
        self.assertEqual(read(os.path.join(out, 't.d')),
                         f'{out}/t_registry.c: \\\n  {directory}\n')

    def test_two_thousand_revisions(self):
        directory = os.path.join(self.tmp, 'chain')
        made = subprocess.run([sys.executable, MAKE_CHAIN, directory, '2000'],
                              capture_output=True, text=True, check=True)
        names = made.stdout.split()
        self.assertEqual(len(names), 2000)
        self.assertEqual(sorted(names), c_files(directory))
        out = os.path.join(self.tmp, 'out')
        self.assertGenerates(generate(
            directory, [os.path.join(directory, n) for n in names], out,
            root=self.tmp))
        entries = parse_registry(read(os.path.join(out, 't_registry.c')))
        ids = [name.split('_')[0] for name in names]
        self.assertEqual([e['id'] for e in entries], ids)
        self.assertEqual([e['parents'] for e in entries],
                         [[]] + [[rid] for rid in ids[:-1]])
        self.assertEqual(entries[1999]['description'], 'create t_2000')
        self.assertEqual(len(os.listdir(out)), 2002)
        # As the build runs it: the files from make_chain.py's list, and a
        # command line that does not grow with the chain (ninja passes it
        # as one argument, capped at 128 KiB).
        listed = os.path.join(self.tmp, 'listed')
        args = ['--name', 't', '--source-root', self.tmp, '--dir', directory,
                '--out-dir', listed, '--depfile',
                os.path.join(listed, 't.d'), '--list-file',
                os.path.join(directory, 'revisions.txt')]
        self.assertLess(len(' '.join(args)), 1024)
        self.assertGenerates(run_generator(args))
        self.assertEqual(sorted(os.listdir(listed)), sorted(os.listdir(out)))
        for name in os.listdir(out):
            if name != 't.d':    # names its own output directory
                self.assertEqual(read(os.path.join(listed, name)),
                                 read(os.path.join(out, name)), name)

    def test_make_chain_rewrites_only_what_changed(self):
        directory = os.path.join(self.tmp, 'chain')
        made = subprocess.run([sys.executable, MAKE_CHAIN, directory, '3'],
                              check=True, capture_output=True, text=True)
        write(os.path.join(directory, 'stale_0000.c'), 'stale\n')
        first = os.path.join(directory, made.stdout.split()[0])
        os.utime(first, (1, 1))
        made = subprocess.run([sys.executable, MAKE_CHAIN, directory, '2'],
                              check=True, capture_output=True, text=True)
        self.assertEqual(sorted(made.stdout.split()), c_files(directory))
        self.assertEqual(len(c_files(directory)), 2)
        self.assertEqual(os.stat(first).st_mtime, 1)
        # Its list: the chain in order, rewritten only when it changes (it
        # is in the generator's depfile).
        listing = os.path.join(directory, 'revisions.txt')
        self.assertEqual(read(listing), made.stdout)
        os.utime(listing, (1, 1))
        subprocess.run([sys.executable, MAKE_CHAIN, directory, '2'],
                       check=True, capture_output=True)
        self.assertEqual(os.stat(listing).st_mtime, 1)


class ErrorTest(GeneratorTestCase):

    def run_case(self, case, files=None):
        directory = f'fixtures/{case}'
        if files is None:
            files = c_files(os.path.join(HERE, directory))
        out = os.path.join(self.tmp, 'out')
        result = generate(directory, [f'{directory}/{f}' for f in files],
                          out)
        self.assertFalse(os.path.exists(out), 'wrote outputs on failure')
        self.assertEqual(result.returncode, 1, result.stderr)
        return result.stderr.splitlines()

    def test_each_validation_error(self):
        for case, expected in EXPECTED_ERRORS.items():
            with self.subTest(case=case):
                self.assertEqual(self.run_case(case), expected)

    def test_every_error_fixture_is_checked(self):
        self.assertEqual(sorted(os.listdir(FIXTURES)),
                         sorted([*EXPECTED_ERRORS, 'listing']))

    def test_the_broken_cycle_fixture_fails(self):
        directory = os.path.join(C_FIXTURES, 'broken_cycle')
        files = [os.path.join(directory, f) for f in c_files(directory)]
        result = generate(directory, files, os.path.join(self.tmp, 'out'))
        self.assertEqual(result.returncode, 1)
        self.assertEqual(result.stderr.splitlines(), [
            f'{files[0]}:8: revisions form a cycle: c10000000001 ({files[0]}) '
            f'revises c10000000002 ({files[1]}), which revises c10000000001'])

    def test_directory_and_list_must_agree(self):
        # bbbb.c is in the directory but not given; cccc.c the reverse.
        # notes.txt and the editor's .#aaaa.c are not migrations.
        self.assertEqual(self.run_case('listing', ['aaaa.c', 'cccc.c']), [
            'fixtures/listing/bbbb.c:1: bbbb.c is in the migrations directory '
            'but not listed',
            'fixtures/listing/cccc.c:1: cccc.c is listed but is not in the '
            'migrations directory fixtures/listing',
        ])

    def test_a_failure_leaves_earlier_outputs_alone(self):
        out = os.path.join(self.tmp, 'out')
        directory = os.path.join(C_FIXTURES, 'linear')
        files = [os.path.join(directory, f) for f in c_files(directory)]
        self.assertGenerates(generate(directory, files, out))
        before = {f: (read(os.path.join(out, f)),
                      os.stat(os.path.join(out, f)).st_mtime_ns)
                  for f in os.listdir(out)}
        result = generate('fixtures/cycle', [
            f'fixtures/cycle/{f}' for f in c_files(FIXTURES + '/cycle')], out)
        self.assertEqual(result.returncode, 1)
        after = {f: (read(os.path.join(out, f)),
                     os.stat(os.path.join(out, f)).st_mtime_ns)
                 for f in os.listdir(out)}
        self.assertEqual(after, before)

    def test_messages_stay_on_one_line(self):
        """Header text quoted in a message is escaped: a CR, U+2028 or a
        byte that is not UTF-8 neither splits nor garbles the message.
        Found by fuzz_gen_registry.py (a CR in Revises), June 2026."""
        directory = os.path.join(self.tmp, 'm')
        path = os.path.join(directory, 'aaaa.c')
        write(path, header('escapes', 'aaaa', 'bb\rbb, c\u2028cX'))
        with open(path, 'rb') as f:
            data = f.read().replace(b'cX', b'c\xff')
        with open(path, 'wb') as f:
            f.write(data)
        result = generate(directory, [path], os.path.join(self.tmp, 'out'))
        self.assertEqual(result.returncode, 1)
        quoted = "'bb\\x0dbb, c\\u2028c\\xff'"
        self.assertEqual(result.stderr.split('\n'), [
            f"{path}:5: malformed Revises {quoted}: 'bb\\x0dbb' is not a "
            "revision id",
            f"{path}:5: malformed Revises {quoted}: 'c\\u2028c\\xff' is not "
            "a revision id",
            ''])

    def test_usage_errors(self):
        result = run_generator(['--dir', 'x', 'a.c'])
        self.assertEqual(result.returncode, 2)
        self.assertIn('build mode needs --name, --source-root, --out-dir, '
                      '--depfile', result.stderr)


def malformed_lint_ignore(value):
    return (f"malformed Lint-ignore '{value}': expected '<rule> -- "
            "<reason>', a rule id such as require-concurrent-index and why "
            "it is safe here (the reason is required)")


class LintIgnoreTest(GeneratorTestCase):
    """The header's Lint-ignore lines: as many as needed, each a rule and a
    reason, into the registry as lint_ignores_<id> with their line."""

    def generate_one(self, extra, rid='aaaa'):
        directory = os.path.join(self.tmp, 'm')
        path = os.path.join(directory, f'{rid}.c')
        write(path, header('ignores', rid, 'None', extra=extra))
        out = os.path.join(self.tmp, 'out')
        return path, out, generate(directory, [path], out, root=self.tmp)

    def test_lines_go_into_the_registry(self):
        path, out, result = self.generate_one([
            'Lint-ignore: drop-table -- the table was empty',
            'Lint-ignore: require-concurrent-index --   say "hi" \\ twice  ',
            'Flags: nontransactional',
            'Lint-ignore: x1 -- a'])
        self.assertGenerates(result)
        registry = read(os.path.join(out, 't_registry.c'))
        # Header lines 7, 8 and 10 (line 6 is the Create Date).
        self.assertIn('static const pcsm_lint_ignore lint_ignores_aaaa[] = {\n'
                      '    { "drop-table", "the table was empty", 7 },\n'
                      '    { "require-concurrent-index", '
                      '"say \\"hi\\" \\\\ twice", 8 },\n'
                      '    { "x1", "a", 10 },\n'
                      '};\n', registry)
        self.assertIn('        .lint_ignores = lint_ignores_aaaa,\n'
                      '        .n_lint_ignores = 3,\n', registry)
        self.assertEqual(parse_registry(registry)[0]['flags'],
                         'PCSM_REV_NONTRANSACTIONAL')
        if CC:
            result = subprocess.run([CC, *CFLAGS, '-fsyntax-only',
                                     os.path.join(out, 't_registry.c')],
                                    capture_output=True, text=True)
            self.assertEqual((result.returncode, result.stderr), (0, ''))

    def test_no_lines_no_array(self):
        _, out, result = self.generate_one([])
        self.assertGenerates(result)
        registry = read(os.path.join(out, 't_registry.c'))
        self.assertNotIn('lint_ignores', registry)
        self.assertNotIn('pcsm_lint_ignore', registry)

    def test_errors(self):
        bad = malformed_lint_ignore
        twice = "duplicate Lint-ignore of 'drop-table'"
        for values, want in [
                (['drop-table'], [(7, bad('drop-table'))]),
                (['drop-table --'], [(7, bad('drop-table --'))]),
                (['drop-table -- '], [(7, bad('drop-table --'))]),
                (['drop-table because it was empty'],
                 [(7, bad('drop-table because it was empty'))]),
                (['drop-table - it was empty'],
                 [(7, bad('drop-table - it was empty'))]),
                (['-- it was empty'], [(7, bad('-- it was empty'))]),
                ([''], [(7, bad(''))]),
                (['Drop-Table -- caps'], [(7, bad('Drop-Table -- caps'))]),
                (['drop-table -- one', 'drop-column -- two',
                  'drop-table -- three'], [(9, twice)]),
                (['drop-table', 'drop-table -- x', 'drop-table -- y'],
                 [(7, bad('drop-table')), (9, twice)]),
        ]:
            with self.subTest(values=values):
                path, out, result = self.generate_one(
                    [f'Lint-ignore: {value}' for value in values])
                self.assertEqual(result.returncode, 1, result.stderr)
                self.assertFalse(os.path.exists(out),
                                 'wrote outputs on failure')
                self.assertEqual(result.stderr.splitlines(),
                                 [f'{path}:{line}: {message}'
                                  for line, message in want])
                shutil.rmtree(os.path.join(self.tmp, 'm'))


class CheckListTest(GeneratorTestCase):

    def test_matching_list_is_silent(self):
        result = run_generator(['--check-list', 'fixtures/listing',
                                'bbbb.c', 'aaaa.c'])
        self.assertEqual((result.returncode, result.stdout, result.stderr),
                         (0, '', ''))

    def test_mismatch_both_ways(self):
        result = run_generator(['--check-list', 'fixtures/listing',
                                'aaaa.c', 'cccc.c', 'cccc.c'])
        self.assertEqual(result.returncode, 1)
        self.assertEqual(result.stderr.splitlines(), [
            'fixtures/listing/bbbb.c:1: bbbb.c is in the migrations '
            'directory but not listed',
            'fixtures/listing/cccc.c:1: cccc.c is listed twice',
            'fixtures/listing/cccc.c:1: cccc.c is listed but is not in the '
            'migrations directory fixtures/listing',
        ])

    def test_names_must_be_bare(self):
        result = run_generator(['--check-list', 'fixtures/listing',
                                'aaaa.c', 'fixtures/listing/bbbb.c'])
        self.assertEqual(result.returncode, 1)
        self.assertEqual(result.stderr.splitlines(), [
            'fixtures/listing/bbbb.c:1: expected a bare file name, not a '
            'path'])

    def test_empty_directory_and_list(self):
        os.mkdir(os.path.join(self.tmp, 'empty'))
        result = run_generator(['--check-list',
                                os.path.join(self.tmp, 'empty')])
        self.assertEqual((result.returncode, result.stderr), (0, ''))


class ListFileTest(GeneratorTestCase):
    """revisions.txt: its grammar, and messages that name its lines."""

    def setUp(self):
        super().setUp()
        self.dir = os.path.join(self.tmp, 'm')
        for rid, parent in (('aaaa', 'None'), ('bbbb', 'aaaa'),
                            ('cccc', 'bbbb')):
            write(os.path.join(self.dir, f'{rid}_x.c'),
                  header(rid, rid, parent))
        self.list = os.path.join(self.dir, 'revisions.txt')

    def check(self, data, names):
        with open(self.list, 'wb') as f:
            f.write(data)
        return run_generator(['--check-list', self.dir, '--list-file',
                              self.list, '--', *names])

    def test_every_layout(self):
        # Names as meson's loop in meson.build reads them: universal
        # newlines, strip(), '#' comments.
        names = ['aaaa_x.c', 'bbbb_x.c', 'cccc_x.c']
        for data in (b'aaaa_x.c\nbbbb_x.c\ncccc_x.c\n',
                     b'aaaa_x.c\nbbbb_x.c\ncccc_x.c',
                     b'# comment\n\n  aaaa_x.c  \n\t# indented comment\n'
                     b'bbbb_x.c\t\n\n\ncccc_x.c\n# trailing\n',
                     b'aaaa_x.c\r\nbbbb_x.c\r\ncccc_x.c\r\n',
                     b'aaaa_x.c\rbbbb_x.c\rcccc_x.c\r',
                     '\u3000aaaa_x.c\u00a0\nbbbb_x.c\ncccc_x.c\n'.encode()):
            with self.subTest(data=data):
                result = self.check(data, names)
                self.assertEqual((result.returncode, result.stderr), (0, ''))

    def test_messages_name_the_list_and_its_lines(self):
        os.remove(os.path.join(self.dir, 'cccc_x.c'))
        write(os.path.join(self.dir, 'dddd_x.c'), header('d', 'dddd', 'None'))
        result = self.check(b'# list\naaaa_x.c\nbbbb_x.c\n\naaaa_x.c\n'
                            b'cccc_x.c\n', ['aaaa_x.c', 'bbbb_x.c',
                                             'aaaa_x.c', 'cccc_x.c'])
        self.assertEqual(result.returncode, 1)
        self.assertEqual(result.stderr.splitlines(), [
            f'{self.dir}/dddd_x.c:1: dddd_x.c is in the migrations directory '
            f'but not listed in {self.list}',
            f'{self.list}:5: aaaa_x.c is listed twice (first on line 2)',
            f'{self.list}:6: cccc_x.c is listed but is not in the migrations '
            f'directory {self.dir}'])

    def test_what_is_not_a_file_name(self):
        bad = ['aaaa_x.c # a comment', 'sub/bbbb_x.c', '.hidden.c',
               'notes.txt', 'a\u00a0b.c']
        result = self.check(('\n'.join(bad) + '\n').encode(), bad)
        self.assertEqual(result.returncode, 1)
        self.assertEqual(result.stderr.splitlines(), [
            f"{self.list}:{line}: '{gen_printable(name)}' is not a revision "
            "file name: each line holds one bare file name ending in .c (a "
            "comment is a line of its own, starting with '#')"
            for line, name in enumerate(bad, start=1)])

    def test_not_utf8(self):
        result = self.check(b'aaaa_x.c\r\nbbbb_x.c\r\ncaf\xe9.c\n', [])
        self.assertEqual((result.returncode, result.stderr), (
            1, f'{self.list}:3: the revision list is not UTF-8 text\n'))

    def test_no_list(self):
        result = run_generator(['--check-list', self.dir, '--list-file',
                                self.list, '--', 'aaaa_x.c'])
        self.assertEqual((result.returncode, result.stderr), (
            1, f'{self.list}:1: cannot read the revision list: No such file '
            'or directory\n'))

    def test_meson_and_generator_must_read_alike(self):
        result = self.check(b'aaaa_x.c\nbbbb_x.c\ncccc_x.c\n',
                            ['aaaa_x.c', 'bbbb_x.c'])
        self.assertEqual(result.returncode, 1)
        self.assertEqual(result.stderr, f'{self.list}:1: meson read 2 names '
                         'from this list where the generator reads 3 (or '
                         "other ones): ['aaaa_x.c', 'bbbb_x.c']\n")

    def test_build_mode_names_the_list(self):
        with open(self.list, 'w') as f:
            f.write('aaaa_x.c\nbbbb_x.c\n')
        files = [os.path.join(self.dir, n) for n in ('aaaa_x.c', 'bbbb_x.c')]
        out = os.path.join(self.tmp, 'out')
        result = run_generator(['--name', 't', '--source-root', self.tmp,
                                '--dir', self.dir, '--out-dir', out,
                                '--depfile', os.path.join(out, 't.d'),
                                '--list-file', self.list, *files])
        self.assertEqual(result.returncode, 1)
        self.assertEqual(result.stderr, f'{self.dir}/cccc_x.c:1: cccc_x.c is '
                         'in the migrations directory but not listed in '
                         f'{self.list}\n')
        os.remove(os.path.join(self.dir, 'cccc_x.c'))
        self.assertGenerates(run_generator([
            '--name', 't', '--source-root', self.tmp, '--dir', self.dir,
            '--out-dir', out, '--depfile', os.path.join(out, 't.d'),
            '--list-file', self.list, *files]))

    def build_from_list(self, data):
        """Build mode without FILEs: they come from the list."""
        if data is not None:
            with open(self.list, 'wb') as f:
                f.write(data)
        self.out = os.path.join(self.tmp, 'out')
        return run_generator(['--name', 't', '--source-root', self.tmp,
                              '--dir', self.dir, '--out-dir', self.out,
                              '--depfile', os.path.join(self.out, 't.d'),
                              '--list-file', self.list])

    def test_build_mode_reads_the_files_from_the_list(self):
        self.assertGenerates(self.build_from_list(
            b'# the chain\ncccc_x.c\n\naaaa_x.c\r\n  bbbb_x.c\n'))
        entries = parse_registry(read(os.path.join(self.out,
                                                   't_registry.c')))
        self.assertEqual([e['id'] for e in entries],
                         ['aaaa', 'bbbb', 'cccc'])
        self.assertEqual(sorted(os.listdir(self.out)), [
            't.d', 't_registry.c', 't_rev_aaaa_x.c', 't_rev_bbbb_x.c',
            't_rev_cccc_x.c'])
        # The list is a dependency: ninja re-runs the generator on its edit.
        deps = read(os.path.join(self.out, 't.d')).strip().split(' \\\n  ')
        self.assertEqual(deps[1:], [self.dir, self.list] + [
            os.path.join(self.dir, n)
            for n in ('aaaa_x.c', 'bbbb_x.c', 'cccc_x.c')])

    def assertFailsWritingNothing(self, result, stderr):
        self.assertEqual((result.returncode, result.stderr), (1, stderr))
        self.assertFalse(os.path.exists(self.out), 'wrote outputs')

    def test_build_mode_without_the_list(self):
        self.assertFailsWritingNothing(self.build_from_list(None), (
            f'{self.list}:1: cannot read the revision list: No such file '
            'or directory\n'))

    def test_build_mode_list_unreadable(self):
        os.mkdir(self.list)     # root reads any file: a directory it cannot
        self.assertFailsWritingNothing(self.build_from_list(None), (
            f'{self.list}:1: cannot read the revision list: Is a '
            'directory\n'))

    def test_build_mode_list_not_utf8(self):
        self.assertFailsWritingNothing(
            self.build_from_list(b'aaaa_x.c\nbbbb_x.c\ncaf\xe9.c\n'),
            f'{self.list}:3: the revision list is not UTF-8 text\n')

    def test_build_mode_names_the_lines_of_bad_entries(self):
        # A path would lead the generator out of DIR; a missing file and a
        # duplicate are named at their lines too.
        self.assertFailsWritingNothing(self.build_from_list(
            b'aaaa_x.c\n../m/bbbb_x.c\ncccc_x.c\n# gone\ndddd_x.c\n'
            b'aaaa_x.c\n'), (
            f"{self.list}:2: '../m/bbbb_x.c' is not a revision file name: "
            'each line holds one bare file name ending in .c (a comment is '
            "a line of its own, starting with '#')\n"))
        self.assertFailsWritingNothing(self.build_from_list(
            b'aaaa_x.c\nbbbb_x.c\ncccc_x.c\n# gone\ndddd_x.c\n'
            b'aaaa_x.c\n'), (
            f'{self.list}:5: dddd_x.c is listed but is not in the '
            f'migrations directory {self.dir}\n'
            f'{self.list}:6: aaaa_x.c is listed twice (first on line 1)\n'))


def gen_printable(text):
    return load_generator().printable(text)


class SharedHeaderCasesTest(unittest.TestCase):
    """tests/scaffold/header_cases.txt, which the scaffold's own reader of
    the header (runtime/lib/devtools/scaffold.c) is tested on too: where the generator
    accepts a header, both must read the same Revision ID and Revises."""

    def test_header_cases(self):
        gen = load_generator()
        cases = scaffold_cases.read_cases(scaffold_cases.HEADER_CASES)
        self.assertGreaterEqual(len(cases), 20)
        for case in cases:
            with self.subTest(case=case['name']):
                rid = case['id'].decode('utf-8', 'surrogateescape')
                named = rid and case['id'] != scaffold_cases.NONE
                path = f'{rid}.c' if named else 'x.c'
                errors = gen.Errors()
                rev = gen.parse_revision(path, case['text'], errors)
                if case['generator'] == b'error':
                    self.assertNotEqual(errors.found, [])
                    continue
                self.assertEqual(case['generator'], b'ok')
                self.assertEqual(errors.found, [])
                fields = gen.parse_header_body(
                    gen.Revision(path, case['text']),
                    gen.header_lines(path, case['text'], gen.Errors()),
                    gen.Errors())
                self.assertEqual(
                    fields['Revision ID'].encode('utf-8', 'surrogateescape'),
                    case['id'])
                self.assertEqual(
                    fields['Revises'].encode('utf-8', 'surrogateescape'),
                    case['revises'])
                self.assertEqual(rev.id, rid)
                self.assertEqual(
                    rev.description.encode('utf-8', 'surrogateescape'),
                    case['description'])
                ignores = case.get('lint_ignores', b'')
                self.assertEqual(
                    [f'{rule} {line}' for rule, _, line in rev.lint_ignores],
                    ignores.decode().split(', ') if ignores else [])


class OutputTest(GeneratorTestCase):
    """Wrappers, depfile and determinism, in a layout of known shape."""

    def setUp(self):
        super().setUp()
        self.dir = os.path.join(self.tmp, 'src', 'migs')
        write(os.path.join(self.dir, 'aaaa_first.c'),
              header('first "one"', 'aaaa', 'None'))
        write(os.path.join(self.dir, 'bbbb.c'),
              header('second', 'bbbb', 'aaaa', '2026-01-02 10:00:00+00:00'))
        self.files = ['src/migs/aaaa_first.c', 'src/migs/bbbb.c']

    def gen(self, out='build/sub', files=None):
        result = generate('src/migs', files or self.files, out,
                          root='src', cwd=self.tmp)
        self.assertGenerates(result)
        return os.path.join(self.tmp, out)

    def test_wrapper(self):
        out = self.gen()
        self.assertEqual(read(os.path.join(out, 't_rev_aaaa_first.c')),
                         '/* Generated by gen_registry.py from '
                         'migs/aaaa_first.c: do not edit. */\n'
                         '#include "../../src/migs/aaaa_first.c"\n'
                         '\n'
                         'void pcsm_up_aaaa(pcsm_op *op);\n'
                         'void pcsm_down_aaaa(pcsm_op *op);\n'
                         '\n'
                         'void pcsm_up_aaaa(pcsm_op *op)\n'
                         '{\n'
                         '    upgrade(op);\n'
                         '}\n'
                         '\n'
                         'void pcsm_down_aaaa(pcsm_op *op)\n'
                         '{\n'
                         '    downgrade(op);\n'
                         '}\n')

    def test_registry_text(self):
        out = self.gen()
        registry = read(os.path.join(out, 't_registry.c'))
        with open(os.path.join(self.dir, 'bbbb.c'), 'rb') as f:
            sha = hashlib.sha256(f.read()).hexdigest()
        self.assertTrue(registry.startswith(
            '/*\n * Generated by gen_registry.py from the 2 revision(s) in '
            'migs: do not edit.\n'), registry)
        self.assertIn('#include <pcsm/revision.h>\n\n'
                      'void pcsm_up_aaaa(pcsm_op *op);\n'
                      'void pcsm_down_aaaa(pcsm_op *op);\n'
                      'void pcsm_up_bbbb(pcsm_op *op);\n'
                      'void pcsm_down_bbbb(pcsm_op *op);\n\n'
                      'static const char *const parents_bbbb[] = '
                      '{ "aaaa" };\n\n', registry)
        self.assertIn('        .description = "first \\"one\\"",\n',
                      registry)
        self.assertIn('    {\n'
                      '        .id = "bbbb",\n'
                      '        .parents = parents_bbbb,\n'
                      '        .n_parents = 1,\n'
                      '        .description = "second",\n'
                      '        .create_date = "2026-01-02 10:00:00+00:00",\n'
                      '        .flags = 0,\n'
                      f'        .source_sha256 = "{sha}",\n'
                      '        .source_path = "migs/bbbb.c",\n'
                      '        .upgrade = pcsm_up_bbbb,\n'
                      '        .downgrade = pcsm_down_bbbb,\n'
                      '    },\n'
                      '    { 0 },\n'
                      '};\n\n'
                      'const size_t pcsm_registry_len = 2;\n', registry)

    def test_depfile(self):
        out = self.gen()
        self.assertEqual(read(os.path.join(out, 't.d')),
                         'build/sub/t_registry.c: \\\n'
                         '  src/migs \\\n'
                         '  src/migs/aaaa_first.c \\\n'
                         '  src/migs/bbbb.c\n')

    def test_depfile_escapes_spaces(self):
        os.rename(os.path.join(self.tmp, 'src'),
                  os.path.join(self.tmp, 'my src'))
        result = generate('my src/migs', ['my src/migs/aaaa_first.c',
                                          'my src/migs/bbbb.c'], 'out',
                          root='my src', cwd=self.tmp)
        self.assertGenerates(result)
        self.assertEqual(read(os.path.join(self.tmp, 'out', 't.d')),
                         'out/t_registry.c: \\\n'
                         '  my\\ src/migs \\\n'
                         '  my\\ src/migs/aaaa_first.c \\\n'
                         '  my\\ src/migs/bbbb.c\n')

    def test_deterministic(self):
        first = self.gen('build/one')
        second = self.gen('build/two', files=self.files[::-1])
        names = sorted(os.listdir(first))
        self.assertEqual(names, sorted(os.listdir(second)))
        for name in names:
            if name != 't.d':    # names its own output directory
                self.assertEqual(read(os.path.join(first, name)),
                                 read(os.path.join(second, name)), name)

    def test_unchanged_outputs_are_not_rewritten(self):
        out = self.gen()
        for name in os.listdir(out):
            os.utime(os.path.join(out, name), (1, 1))
        with open(os.path.join(self.dir, 'bbbb.c'), 'a') as f:
            f.write('/* an edit */\n')
        self.gen()
        touched = sorted(name for name in os.listdir(out)
                         if os.stat(os.path.join(out, name)).st_mtime != 1)
        # bbbb's wrapper is unchanged: only the registry (its sha256) is.
        self.assertEqual(touched, ['t_registry.c'])
        self.assertEqual(sorted(os.listdir(out)),
                         ['t.d', 't_registry.c', 't_rev_aaaa_first.c',
                          't_rev_bbbb.c'])

    def test_file_outside_the_directory(self):
        write(os.path.join(self.tmp, 'elsewhere', 'cccc.c'),
              header('lost', 'cccc', 'bbbb'))
        result = generate('src/migs', self.files + ['elsewhere/cccc.c'],
                          'out', root='src', cwd=self.tmp)
        self.assertEqual(result.returncode, 1)
        self.assertEqual(result.stderr.splitlines(), [
            'elsewhere/cccc.c:1: not in the migrations directory src/migs',
            'src/migs/cccc.c:1: cccc.c is listed but is not in the '
            'migrations directory src/migs'])


@unittest.skipIf(CC is None, 'no cc on PATH')
class CompileTest(GeneratorTestCase):
    """Generated C compiles warning-free and holds what the headers say."""

    def compile(self, sources, *extra):
        result = subprocess.run([CC, *CFLAGS, *extra, *sources],
                                capture_output=True, text=True)
        self.assertEqual(result.returncode, 0, result.stderr)
        self.assertEqual(result.stderr, '')

    def test_fixture_registries_compile(self):
        for name in ('linear', 'merge'):
            with self.subTest(fixture=name):
                out, _ = self.generate_fixture(name)
                sources = [os.path.join(out, f) for f in c_files(out)]
                self.assertEqual(len(sources), 1 + len(c_files(
                    os.path.join(C_FIXTURES, name))))
                for source in sources:
                    self.compile([source], '-fsyntax-only')
                shutil.rmtree(out)

    def test_empty_registry_compiles(self):
        os.mkdir(os.path.join(self.tmp, 'empty'))
        out = os.path.join(self.tmp, 'out')
        self.assertGenerates(generate(os.path.join(self.tmp, 'empty'), [],
                                      out))
        self.compile([os.path.join(out, 't_registry.c')], '-fsyntax-only')

    def test_template_is_a_valid_revision(self):
        text = read(TEMPLATE)
        for key, value in [('@DESCRIPTION@', 'add widgets'),
                           ('@REVISION@', '0123456789ab'),
                           ('@REVISES@', 'None'),
                           ('@CREATE_DATE@', '2026-11-23 21:40:00+00:00'),
                           ('@UPGRADE@', '    (void)op;\n'),
                           ('@DOWNGRADE@', '    (void)op;\n')]:
            self.assertIn(key, text)
            text = text.replace(key, value)
        self.assertNotIn('@', text)
        directory = os.path.join(self.tmp, 'm')
        write(os.path.join(directory, '0123456789ab_add_widgets.c'), text)
        out = os.path.join(self.tmp, 'out')
        self.assertGenerates(generate(directory, [os.path.join(
            directory, '0123456789ab_add_widgets.c')], out, root=self.tmp))
        entries = parse_registry(read(os.path.join(out, 't_registry.c')))
        self.assertEqual([(e['id'], e['description']) for e in entries],
                         [('0123456789ab', 'add widgets')])
        for source in c_files(out):
            self.compile([os.path.join(out, source)], '-fsyntax-only')

    def test_linked_registry_holds_the_header_data(self):
        """Links a registry and prints it: escapes survive a real compiler."""
        directory = os.path.join(self.tmp, 'm')
        # Quotes, a backslash, a trigraph, a digit after a non-ASCII byte.
        tricky = 'say "hi" \\ ??= caf\u00e9 1\t2'
        write(os.path.join(directory, 'aaaa.c'),
              header(tricky, 'aaaa', 'None'))
        write(os.path.join(directory, 'bbbb_flagged.c'), header(
            'flagged', 'bbbb', 'aaaa', '2026-01-02 10:00:00-05:30',
            extra=['Flags: nontransactional']))
        out = os.path.join(self.tmp, 'out')
        files = [os.path.join(directory, f) for f in c_files(directory)]
        self.assertGenerates(generate(directory, files, out, root=self.tmp))
        main = os.path.join(self.tmp, 'main.c')
        write(main, DUMP_MAIN)
        stubs = os.path.join(self.tmp, 'stubs.c')
        write(stubs, ddl_stubs())
        program = os.path.join(self.tmp, 'dump')
        self.compile([main, stubs, *(os.path.join(out, f)
                                     for f in c_files(out))],
                     '-o', program)
        result = subprocess.run([program], capture_output=True, text=True,
                                check=True)
        rows = [[bytes.fromhex(field).decode('utf-8') for field in fields]
                + [flags] for *fields, flags in
                (line.split(' ') for line in result.stdout.splitlines())]
        shas = []
        for f in files:
            with open(f, 'rb') as fh:
                shas.append(hashlib.sha256(fh.read()).hexdigest())
        self.assertEqual(rows, [
            ['aaaa', '', tricky, '2026-01-01 10:00:00+00:00', shas[0],
             'm/aaaa.c', '0'],
            ['bbbb', 'aaaa', 'flagged', '2026-01-02 10:00:00-05:30', shas[1],
             'm/bbbb_flagged.c', '1'],
        ])


# Prints each revision as hex-encoded fields (so any byte survives) and the
# flags; checks the functions and the sentinel on the way.
DUMP_MAIN = r'''
#include <stdio.h>
#include <pcsm/revision.h>

static void hex(const char *s)
{
    for (; *s; s++)
        printf("%02x", (unsigned char)*s);
    putchar(' ');
}

int main(void)
{
    size_t i, j;

    for (i = 0; i < pcsm_registry_len; i++) {
        const pcsm_revision *r = &pcsm_registry[i];
        if (!r->upgrade || !r->downgrade)
            return 1;
        hex(r->id);
        for (j = 0; j < r->n_parents; j++)
            hex(r->parents[j]);     /* one parent at most here */
        if (r->n_parents == 0)
            hex("");
        hex(r->description);
        hex(r->create_date);
        hex(r->source_sha256);
        hex(r->source_path);
        printf("%u\n", r->flags);
    }
    return pcsm_registry[pcsm_registry_len].id != NULL;
}
'''


def ddl_stubs():
    """Empty definitions of the <pcsm/ddl.h> functions, for linking only.

    The wrappers call them, but nothing calls the wrappers here; declaring
    them without ddl.h lets every one share the signature void f(void).
    """
    names = re.findall(r'PCSM_API\s+void\s+(pcsm_\w+)\s*\(',
                       read(os.path.join(INCLUDE, 'pcsm', 'ddl.h')))
    return ''.join(f'void {n}(void);\nvoid {n}(void) {{}}\n' for n in names)


if __name__ == '__main__':
    unittest.main()
