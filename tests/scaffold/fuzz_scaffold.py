#!/usr/bin/env python3
"""Mutation fuzzing of pcs-migrate create-migration: hostile messages,
revision lists and revision headers, with the build as the oracle.

Each run copies one real migrations directory (migrations/, or a C fixture
graph of tests/fixtures/: linear, merge) into a scratch directory, mutates
its revisions.txt (comments, blank lines, CR/LF/CRLF, white space of every
kind, no final newline, lines moved, doubled or dropped, odd bytes) and now
and then one revision's header (the header mutations of
tests/generator/fuzz_gen_registry.py), makes up a message (header-field
look-alikes, comment marks, trigraphs, controls, line and bidirectional
separators, '@' placeholders, any UTF-8, bytes that are not UTF-8), runs
the real binary, and judges the result with the generator, in process:

  - exit 0: the list is the old one with one line more (and a final
    newline), naming the new file once; the generator's --check-list
    accepts the directory whenever it accepted it before; the new file's
    header is one the generator accepts, its description the message up to
    white space and controls, and its Revises the head the generator finds
    in the directory (the two readers of the header agree); a directory
    whose graph the generator accepted still builds into a registry that
    ends with the new revision; a sample of those registries is compiled,
    warnings as errors;
  - exit 2: the message is blank or not UTF-8, or a revision file has no
    header that the scaffold reads (or an id it may not revise), which the
    generator must refuse too; and nothing changed;
  - exit 5: several heads, which the generator must see as well;
  - anything else, or a sanitizer report, is a finding.

The first of those built directories, and one in a hundred after it (three
at most by default), also configure the real project on the directory
(meson setup -Dmigrations_dir=DIR), whose registry must list every
revision.  The seed is printed; a failing run's directory is kept.

    fuzz_scaffold.py --binary PCS_MIGRATE [--generator PATH] [--runs N]
                     [--seconds S] [--seed N] [--configures N]

Bounded for CI: 1500 runs or 60 s, whichever comes first.
PCSM_FUZZ_SCAFFOLD_RUNS, PCSM_FUZZ_SCAFFOLD_SECONDS, PCSM_FUZZ_SCAFFOLD_SEED
and PCSM_FUZZ_SCAFFOLD_CONFIGURES override the defaults.  Standard library
only.
"""

import argparse
import contextlib
import importlib.util
import io
import os
import random
import re
import shutil
import subprocess
import sys
import tempfile
import time
import unicodedata

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.normpath(os.path.join(HERE, '..', '..'))
INCLUDE = os.path.join(REPO, 'runtime', 'include')
SOURCES = ['migrations', 'tests/fixtures/linear', 'tests/fixtures/merge']
COMPILERS = [cc for cc in ('gcc', 'clang') if shutil.which(cc)]
CFLAGS = ['-std=c11', '-Wall', '-Wextra', '-Werror', '-fsyntax-only', '-I', INCLUDE]
MAX_COMPILES = 15         # new revisions compiled, by each compiler, at most
BIDI = {0x061c, 0x200e, 0x200f, *range(0x202a, 0x202f), *range(0x2066, 0x206a)}

FRAGMENTS = [
    'Revises: None', 'Revises:', 'Revision ID: 0123456789ab', 'Create Date: 2026-01-01',
    'Flags: nontransactional', 'revises: x', 'Revison ID: x', 'REVISES :', 'Flag: fast',
    'Fix bug: y', 'x:', 'Add user preferences: table', ':', ' * ', '*/', '/*', '/', '*', '**/',
    '/*/', '??/', '??=', '?', '\\', '"', "'", '%s', '@', '@DESCRIPTION@', '@REVISION@',
    '@REVISES@', '@CREATE_DATE@', '\r', '\n', '\r\n', '\t', '\x0b', '\x0c', '\x1b[31m',
    '\x7f', '\x01', '\u0085', '\u2028', '\u2029', '\u00a0', '\u3000', '\u2003', '\u200b',
    '\ufeff', '\u202e', '\u2066', '\u200f', '\u061c', 'é', 'ünïcødé', '✓', '😀', ' ',
    '  ', '#', '# ', '-', 'a', 'Z', 'word', ' '.join(['long'] * 40),
]
BAD_BYTES = [b'\xff', b'\xc3', b'\xe9', b'\xed\xa0\x80', b'\xc0\xaf', b'\xf4\x90\x80\x80',
             b'\x80', b'\xe2\x80']
SPACES = ['', ' ', '\t', '  ', '\u00a0', '\u3000', '\u2009', '\x0b', '\x0c', '\x1c']
LINE_ENDS = ['\n', '\r\n', '\r']


def parse_args():
    parser = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    parser.add_argument('--binary', required=True, help='the pcs-migrate to fuzz')
    parser.add_argument('--generator',
                        default=os.path.join(REPO, 'generator', 'gen_registry.py'))
    env = os.environ.get
    parser.add_argument('--runs', type=int, default=int(env('PCSM_FUZZ_SCAFFOLD_RUNS') or 1500))
    parser.add_argument('--seconds', type=float,
                        default=float(env('PCSM_FUZZ_SCAFFOLD_SECONDS') or 60))
    parser.add_argument('--seed', type=int,
                        default=int(env('PCSM_FUZZ_SCAFFOLD_SEED') or 20260719))
    parser.add_argument('--configures', type=int,
                        default=int(env('PCSM_FUZZ_SCAFFOLD_CONFIGURES') or 3))
    return parser.parse_args()


def load(name, path):
    spec = importlib.util.spec_from_file_location(name, path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


class Finding(Exception):
    """A run that broke the scaffold's contract."""


# ------------------------------------------------------------ inputs

def make_message(rng):
    """bytes: fragments and random characters, now and then not UTF-8."""
    kind = rng.randrange(10)
    if kind == 0:
        return b''
    if kind == 1:
        return ''.join(rng.choice(SPACES + ['\r', '\n', '\x01']) for _ in
                       range(rng.randrange(1, 5))).encode()
    parts = []
    for _ in range(rng.randrange(1, 7)):
        choice = rng.randrange(5)
        if choice < 3:
            parts.append(rng.choice(FRAGMENTS).encode())
        elif choice == 3:
            parts.append(chr(rng.choice([rng.randrange(0x20, 0x7f), rng.randrange(0x80, 0x800),
                                         rng.randrange(0x800, 0xd800),
                                         rng.randrange(0x10000, 0x110000)])).encode())
        else:
            parts.append(rng.choice(['add widgets table', 'index', 'Merge heads', 'x']).encode())
    if rng.randrange(12) == 0:
        parts.insert(rng.randrange(len(parts) + 1), rng.choice(BAD_BYTES))
    return b''.join(parts).replace(b'\x00', b'')


def mutate_list(rng, data):
    """A revisions.txt in another layout, or (rarely) with other names."""
    text = data.decode()
    lines = text.split('\n')
    if lines and lines[-1] == '':
        lines.pop()
    for _ in range(rng.randrange(1, 5)):
        op = rng.randrange(12)
        i = rng.randrange(len(lines) + 1)
        if op == 0:
            lines.insert(i, '#' + rng.choice(['', ' a comment', ' zzzz_x.c', ' 0000_a.c']))
        elif op == 1:
            lines.insert(i, rng.choice(SPACES))
        elif op == 2 and lines:
            j = rng.randrange(len(lines))
            lines[j] = rng.choice(SPACES) + lines[j] + rng.choice(SPACES)
        elif op == 3 and len(lines) > 1:
            j, k = rng.randrange(len(lines)), rng.randrange(len(lines))
            lines[j], lines[k] = lines[k], lines[j]
        elif op == 4:
            lines.insert(i, rng.choice(SPACES) + '# ' + rng.choice(FRAGMENTS).replace('\n', ' ')
                         .replace('\r', ' '))
        elif op == 5 and lines and rng.randrange(4) == 0:
            lines.insert(i, rng.choice(lines))              # a name listed twice
        elif op == 6 and lines and rng.randrange(4) == 0:
            del lines[rng.randrange(len(lines))]            # a file no longer listed
        elif op == 7 and rng.randrange(4) == 0:
            lines.insert(i, rng.choice(['gone_x.c', 'a b.c', 'notes.txt', '.hidden.c']))
    end = rng.choice(LINE_ENDS)
    out = end.join(lines)
    if rng.randrange(4):
        out += end
    data = out.encode()
    if rng.randrange(30) == 0:
        data = b'\xef\xbb\xbf' + data
    if rng.randrange(30) == 0:
        at = rng.randrange(len(data) + 1)
        data = data[:at] + rng.choice(BAD_BYTES + [b'\x00', b'\r', b'\n\n']) + data[at:]
    return data


# ------------------------------------------------------------ the oracle

def normalized(text):
    """Text without white space, controls, separators and bidi controls:
    what no rewriting of the message may change."""
    return ''.join(c for c in text if not c.isspace() and ord(c) not in BIDI
                   and unicodedata.category(c) not in ('Cc', 'Zl', 'Zp'))


def list_names(gen, path):
    errors = gen.Errors()
    entries = gen.read_list_file(path, errors)
    return None if entries is None else [name for name, _ in entries]


def check_list(gen, directory):
    """The generator's --check-list on the directory, given the names meson
    would read: its error lines."""
    names = list_names(gen, os.path.join(directory, 'revisions.txt'))
    if names is None:
        return ['the list cannot be read']
    err = io.StringIO()
    with contextlib.redirect_stderr(err):
        status = gen.check_list(directory, names, os.path.join(directory, 'revisions.txt'))
    return [] if status == 0 else err.getvalue().splitlines()


def graph(gen, directory):
    """(revisions, their order or None, errors) of every *.c file, as the
    generator's build reads them: an order only when it accepts them all."""
    errors = gen.Errors()
    paths = sorted(os.path.join(directory, n) for n in os.listdir(directory)
                   if n.endswith('.c') and not n.startswith('.')
                   and os.path.isfile(os.path.join(directory, n)))
    revs = [gen.parse_revision(p, open(p, 'rb').read(), errors) for p in paths]
    ordered = gen.check_graph(revs, errors) if not errors else None
    return revs, None if errors else ordered, errors


def heads(revs):
    ids = {rev.id for rev in revs if rev.id}
    named = {p for rev in revs for p in rev.parents}
    return sorted(ids - named)


def listing(directory):
    return {name: open(os.path.join(directory, name), 'rb').read()
            for name in sorted(os.listdir(directory))}


def compile_sources(gen, directory, ordered, work, state):
    out = os.path.join(work, 'out')
    shutil.rmtree(out, ignore_errors=True)
    list_file = os.path.join(directory, 'revisions.txt')
    names = list_names(gen, list_file)
    files = [os.path.join(directory, n) for n in names]
    err = io.StringIO()
    with contextlib.redirect_stderr(err):
        status = gen.main(['--name', 'f', '--source-root', work, '--dir', directory,
                           '--out-dir', out, '--depfile', os.path.join(out, 'f.d'),
                           '--list-file', list_file, *files])
    if status != 0:
        raise Finding(f'the generator refused the scaffolded directory:\n{err.getvalue()}')
    with open(os.path.join(out, 'f_registry.c'), encoding='utf-8',
              errors='surrogateescape') as f:
        ids = re.findall(r'^        \.id = "([^"]*)",$', f.read(), re.M)
    if ids != [rev.id for rev in ordered]:
        raise Finding(f'registry {ids}, expected {[rev.id for rev in ordered]}')
    if state['compiled'] < MAX_COMPILES:
        newest = os.path.join(out, f'f_rev_{os.path.basename(ordered[-1].path)}')
        for cc in COMPILERS:
            result = subprocess.run([cc, *CFLAGS, newest], capture_output=True, check=False)
            if result.returncode != 0:
                raise Finding(f'{cc} refuses the new revision:\n'
                              + result.stderr.decode('utf-8', 'replace'))
        state['compiled'] += 1
    return ids


def configure(directory, ids, work):
    """The real build, on this directory: it configures and registers every revision."""
    build = os.path.join(work, 'build')
    shutil.rmtree(build, ignore_errors=True)
    setup = subprocess.run(['meson', 'setup', build, REPO, '-Dtests=disabled',
                            f'-Dmigrations_dir={directory}'], capture_output=True, text=True,
                           check=False)
    if setup.returncode != 0:
        raise Finding(f'meson setup failed:\n{setup.stdout}{setup.stderr}')
    made = subprocess.run(['ninja', '-C', build, 'pcs_registry.c'], capture_output=True,
                          text=True, check=False)
    if made.returncode != 0:
        raise Finding(f'the registry was not generated:\n{made.stdout}')
    with open(os.path.join(build, 'pcs_registry.c'), encoding='utf-8',
              errors='surrogateescape') as f:
        built = re.findall(r'^        \.id = "([^"]*)",$', f.read(), re.M)
    if built != ids:
        raise Finding(f'meson built {built}, expected {ids}')
    shutil.rmtree(build)


def one_run(gen, fuzz_gen, args, rng, work, state):
    directory = os.path.join(work, 'migrations')
    shutil.rmtree(directory, ignore_errors=True)
    source = os.path.join(REPO, rng.choice(SOURCES))
    shutil.copytree(source, directory)
    list_file = os.path.join(directory, 'revisions.txt')
    with open(list_file, 'rb') as f:
        data = f.read()
    if rng.randrange(4):
        data = mutate_list(rng, data)
    with open(list_file, 'wb') as f:
        f.write(data)
    if rng.randrange(6) == 0:
        names = sorted(n for n in os.listdir(directory) if n.endswith('.c'))
        name = rng.choice(names)
        with open(os.path.join(directory, name), 'rb') as f:
            text = f.read()
        ids = fuzz_gen.known_ids({name: text})
        text = rng.choice([lambda: fuzz_gen.mutate_bytes(rng, text),
                           lambda: fuzz_gen.mutate_lines(rng, text),
                           lambda: fuzz_gen.mutate_tokens(rng, text, ids)])()
        with open(os.path.join(directory, name), 'wb') as f:
            f.write(text)
    message = make_message(rng)

    before = listing(directory)
    names_before = list_names(gen, list_file)
    list_ok = not check_list(gen, directory)
    revs, ordered, graph_errors = graph(gen, directory)
    # The operand after "--", or -m: a message may start with '-'.  Not an
    # operand that starts with \x01: runtime/cli/cli.c turns that byte into
    # '-' (its marker for relative targets such as -1), a bug of its own.
    forms = [['-m', message], [b'--message=' + message]]
    if not message.startswith(b'\x01'):
        forms.append(['--', message])
    argv = [args.binary, 'create-migration', '--dir', directory] + rng.choice(forms)
    result = subprocess.run(argv, capture_output=True, check=False)
    stderr = result.stderr.decode('utf-8', 'replace')
    if 'Sanitizer' in stderr or 'runtime error' in stderr:
        raise Finding(f'sanitizer report:\n{stderr}')
    try:
        text = message.decode('utf-8')
    except UnicodeDecodeError:
        text = None
    if result.returncode != 0:
        if listing(directory) != before:
            raise Finding(f'exit {result.returncode}, and the directory changed')
    if result.returncode == 2:
        state['refused'] += 1
        if text is None or not normalized(text):
            return
        match = re.match(r'pcs-migrate: (\S+\.c): (no "Revision ID:"|its Revision ID)', stderr)
        if match and any(e[0] == match.group(1) for e in graph_errors.found):
            return
        raise Finding(f'refused: {stderr!r}')
    if result.returncode == 5:
        state['several_heads'] += 1
        if ordered is None and 'heads; join them first' in stderr:
            return
        raise Finding(f'exit 5 on a graph the generator accepts: {stderr!r}')
    if result.returncode != 0:
        raise Finding(f'exit {result.returncode}: {stderr!r}')

    # Accepted: the message was something, the list one line more.
    if text is None or not normalized(text):
        raise Finding('a blank or non-UTF-8 message was accepted')
    path = result.stdout.decode().strip()
    name = os.path.basename(path)
    if os.path.dirname(path) != directory or not re.fullmatch(r'[0-9a-f]{12}_[a-z0-9_]+\.c',
                                                              name):
        raise Finding(f'new file {path!r}')
    with open(list_file, 'rb') as f:
        after = f.read()
    inserted = re.subn(rb'(?m)^' + re.escape(name.encode()) + rb'\r?\n', b'', after)
    if inserted[1] != 1 or inserted[0] not in (data, data + b'\n', data + b'\r\n'):
        raise Finding(f'list {data!r} became {after!r}')
    if names_before is not None and \
            sorted(list_names(gen, list_file)) != sorted(names_before + [name]):
        raise Finding(f'names {list_names(gen, list_file)}, before {names_before}')
    if list_ok:
        problems = check_list(gen, directory)
        if problems:
            raise Finding(f'--check-list accepted the list before, not after: {problems}')
    # The new file, as the generator reads it.
    errors = gen.Errors()
    with open(path, 'rb') as f:
        rev = gen.parse_revision(path, f.read(), errors)
    if errors.found:
        raise Finding(f'the generator refuses the new file: {errors.found}')
    if normalized(rev.description) != normalized(text):
        raise Finding(f'description {rev.description!r} for message {text!r}')
    if ordered is not None:
        if rev.parents != heads(revs):
            raise Finding(f'Revises {rev.parents}, the generator\'s head {heads(revs)}')
        if list_ok:
            ids = compile_sources(gen, directory, ordered + [rev], work, state)
            state['built'] += 1
            # The first such run, then one in a hundred.
            if state['configured'] < args.configures and state['built'] % 100 == 1:
                configure(directory, ids, work)
                state['configured'] += 1
    state['accepted'] += 1


def main():
    args = parse_args()
    gen = load('gen_registry_for_fuzz_scaffold', args.generator)
    fuzz_gen = load('fuzz_gen_registry_mutations',
                    os.path.join(REPO, 'tests', 'generator', 'fuzz_gen_registry.py'))
    rng = random.Random(args.seed)
    shm = '/dev/shm' if os.access('/dev/shm', os.W_OK) else None
    work = tempfile.mkdtemp(prefix='pcsm-fuzz-scaffold-', dir=shm)
    state = {'runs': 0, 'accepted': 0, 'refused': 0, 'several_heads': 0, 'built': 0,
             'compiled': 0, 'configured': 0}
    start = time.monotonic()
    print(f'# fuzz_scaffold: seed {args.seed}, up to {args.runs} runs or {args.seconds:g} s, '
          f'{args.binary}', flush=True)
    try:
        while state['runs'] < args.runs and time.monotonic() - start < args.seconds:
            state['runs'] += 1
            one_run(gen, fuzz_gen, args, rng, work, state)
    except Finding as finding:
        print(f'FOUND in run {state["runs"]} (seed {args.seed}): {finding}')
        print(f'the directory is kept in {work}/migrations')
        print('fuzz_scaffold: crashes 1')
        return 1
    elapsed = time.monotonic() - start
    shutil.rmtree(work)
    print(f'fuzz_scaffold: {state["runs"]} scaffolds in {elapsed:.1f} s '
          f'({state["runs"] / elapsed:.0f}/s): {state["accepted"]} accepted '
          f'({state["built"]} directories built into a registry, {state["compiled"]} '
          f'new revisions compiled, {state["configured"]} configured by meson), '
          f'{state["refused"]} refused, {state["several_heads"]} on several heads; '
          'crashes 0')
    return 0


if __name__ == '__main__':
    sys.exit(main())
