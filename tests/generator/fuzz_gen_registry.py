#!/usr/bin/env python3
"""Mutation fuzzing of generator/gen_registry.py: hostile revision headers.

Each run copies one real directory of revisions (migrations/, or a C
fixture graph of tests/fixtures/) into a scratch directory, applies a few
random mutations to the headers (bytes, lines, and tokens: ids, Revises
lists, dates, flags, field names, comment delimiters; files renamed, added
or removed), and runs the generator in process, as the build would.  Every
run must end one of two ways, never with a traceback:

  - status 0 and a valid registry: one entry per file, ids and parents as
    the headers say, parents before children, one head; the registry and
    the wrappers compile (for a sample, when a C compiler is on PATH);
  - status 1, nothing written, and every stderr line "path:line: message"
    with a path given to the generator and a line inside that file.

Every 50th run is repeated as a separate process, whose status and stderr
must be the same.  The seed is printed; a failing run's directory is kept.

    fuzz_gen_registry.py [--generator PATH] [--runs N] [--seconds S] [--seed N]

Bounded for CI: 2000 runs or 60 s, whichever comes first.
PCSM_FUZZ_GEN_RUNS, PCSM_FUZZ_GEN_SECONDS and PCSM_FUZZ_GEN_SEED override
the defaults (a longer run: PCSM_FUZZ_GEN_RUNS=100000
PCSM_FUZZ_GEN_SECONDS=1800).  Standard library only.
"""

import argparse
import contextlib
import hashlib
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
import traceback

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.normpath(os.path.join(HERE, '..', '..'))
INCLUDE = os.path.join(REPO, 'runtime', 'include')
SOURCES = ['migrations'] + [os.path.join('tests', 'fixtures', name) for name in (
    'linear', 'merge', 'failing', 'sleepy', 'data', 'broken_downgrade', 'concurrent')]
CC = shutil.which('cc')
# The registry is all generated: it must compile cleanly.  A wrapper
# includes the migration, whose header comment may draw a warning that the
# generator does not judge (a "/*" or a "??/" trigraph in the description):
# it must compile, warnings or not.
CFLAGS = ['-std=c11', '-Wall', '-Wextra', '-fsyntax-only', '-I', INCLUDE]
MIN_COMPILES = 25           # distinct accepted registries compiled, at least
CROSS_CHECK_EVERY = 50
ERROR_LINE_RE = re.compile(r'(.+?):([0-9]+): (.+)')

ODD_BYTES = [b'\x00', b'\r', b'\t', b' ', b'*', b'/', b':', b',', b'\xff', b'\xc3',
             b'\x80', b'\n', b'-', b'+', b'"', b'\\', b'?', b'\x0c', b'\x0b',
             b'\xe2\x80\xa8', b'\xc2\x85', b'\xef\xbb\xbf', b'\xed\xa0\x80', b'%',
             b'{', b'}', b'\x1b', b'#', b'\'', b'_']
ODD_LINES = [b' */', b'/*', b' *', b'', b' * ', b'*/', b' * */', b' */ x', b'\t*',
             b' * Revision ID: a10000000001', b' * Revises: None', b' * Revises:',
             b' * Create Date: 2026-01-01 00:00:00', b' * Flags: nontransactional',
             b' * Revision ID:', b' * free text', b' * Key: value', b'//', b' * /*',
             b'#include <pcsm/ddl.h>', b' * ' + 'é'.encode() * 40]
FIELD_NAMES = [b'Revision ID', b'Revises', b'Create Date', b'Flags', b'Revison ID',
               b'revision id', b'Revises ', b'Create date', b'Flag', b'Revision-ID',
               b'Parent', b'Down Revision', b'REVISES', b'Created', b'Revision ID ',
               b'Revisions']
DATES = [b'2026-01-01 00:00:00', b'2026-01-01 00:00:00+00:00',
         b'0001-01-01 00:00:00-23:59', b'9999-12-31 23:59:59+23:59',
         b'2026-02-30 10:00:00', b'2026-13-01 10:00:00', b'2026-01-01 24:00:00',
         b'2026-01-01 10:00:00.123456', b'2026-01-01 10:00:00.1',
         b'2026-01-01T10:00:00', b'2026-01-01 10:00:00+24:00', b'0000-01-01 00:00:00',
         b'', b'yesterday', b'2026-01-01 10:00:00 +00:00', b'\xd9\xa2026-01-01 00:00:00']
FLAG_VALUES = [b'nontransactional', b'nontransactional, nontransactional', b'', b',',
               b'bogus', b'nontransactional,', b'NONTRANSACTIONAL', b' , ']
DESCRIPTIONS = [b'', b' ', 'ünïcødé ✓ 😀'.encode(), b'a */ b', b'a /* b', b'??/',
                b'trailing \\', b'"quoted"', b'%s%n', b'\x01\x02\x7f', b'x' * 500,
                b'Revision ID: looks like a field', b'tab\there', b'\xff\xfe']


def parse_args():
    parser = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    parser.add_argument('--generator',
                        default=os.path.join(REPO, 'generator', 'gen_registry.py'))
    parser.add_argument('--runs', type=int,
                        default=int(os.environ.get('PCSM_FUZZ_GEN_RUNS') or 2000))
    parser.add_argument('--seconds', type=float,
                        default=float(os.environ.get('PCSM_FUZZ_GEN_SECONDS') or 60))
    parser.add_argument('--seed', type=int,
                        default=int(os.environ.get('PCSM_FUZZ_GEN_SEED') or 20260601))
    return parser.parse_args()


def load_generator(path):
    spec = importlib.util.spec_from_file_location('gen_registry_under_fuzz', path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


class Finding(Exception):
    """A run that broke the generator's contract."""


# ------------------------------------------------------------ mutations

def header_span(data):
    """(start, end) byte offsets of the header comment, or of the top."""
    end = data.find(b'*/')
    if end < 0:
        end = min(len(data), 600)
    else:
        end = data.find(b'\n', end)
        end = len(data) if end < 0 else end + 1
    return 0, end


def known_ids(files):
    ids = []
    for data in files.values():
        match = re.search(rb'Revision ID: *([0-9A-Za-z_]+)', data)
        if match:
            ids.append(match.group(1))
    return ids or [b'a10000000001']


def pick_id(rng, ids, own):
    choice = rng.randrange(10)
    if choice < 5:
        return rng.choice(ids)
    if choice == 5:
        return own or rng.choice(ids)
    if choice == 6:
        rid = rng.choice(ids)
        return rid[:rng.randrange(1, len(rid) + 1)]
    return rng.choice([b'None', b'', b'a' * 32, b'a' * 33, b'a-b', b'x y', b'0',
                       b'\xc3\xa9', b'_', b'ABC', b'nosuch'])


def mutate_bytes(rng, data):
    start, end = header_span(data)
    if end <= start:
        return data
    at = rng.randrange(start, end)
    op = rng.randrange(5)
    if op == 0:
        return data[:at] + bytes([data[at] ^ (1 << rng.randrange(8))]) + data[at + 1:]
    if op == 1:
        return data[:at] + rng.choice(ODD_BYTES) + data[at + 1:]
    if op == 2:
        return data[:at] + rng.choice(ODD_BYTES) + data[at:]
    if op == 3:
        return data[:at] + data[at + rng.randrange(1, 8):]
    length = rng.randrange(1, 16)
    return data[:at] + data[at:at + length] + data[at:]


def mutate_lines(rng, data):
    lines = data.split(b'\n')
    _, end = header_span(data)
    n_header = max(1, data[:end].count(b'\n'))
    i = rng.randrange(n_header)
    op = rng.randrange(6)
    if op == 0:
        del lines[i]
    elif op == 1:
        lines.insert(i, lines[i])
    elif op == 2:
        j = rng.randrange(n_header)
        lines[i], lines[j] = lines[j], lines[i]
    elif op == 3:
        lines.insert(i, rng.choice(ODD_LINES))
    elif op == 4:
        lines[i] = rng.choice(ODD_LINES)
    else:
        lines = lines[:i + 1]
    return b'\n'.join(lines)


def mutate_tokens(rng, data, ids):
    own = re.search(rb'Revision ID: *([0-9A-Za-z_]+)', data)
    own = own.group(1) if own else None
    op = rng.randrange(7)
    if op == 0:
        value = pick_id(rng, ids, own)
        return re.sub(rb'(Revision ID:)[^\n]*', lambda m: m.group(1) + b' ' + value, data,
                      count=1)
    if op == 1:
        n = rng.randrange(0, 4)
        sep = rng.choice([b', ', b',', b' , ', b',,', b', ,'])
        value = sep.join(pick_id(rng, ids, own) for _ in range(n)) or rng.choice(
            [b'None', b''])
        return re.sub(rb'(Revises:)[^\n]*', lambda m: m.group(1) + b' ' + value, data,
                      count=1)
    if op == 2:
        value = rng.choice(DATES)
        return re.sub(rb'(Create Date:)[^\n]*', lambda m: m.group(1) + b' ' + value, data,
                      count=1)
    if op == 3:
        line = b' * Flags: ' + rng.choice(FLAG_VALUES)
        return re.sub(rb'(\n \*/)', lambda m: b'\n' + line + m.group(1), data, count=1)
    if op == 4:
        old = rng.choice(FIELD_NAMES[:4])
        return data.replace(old + b':', rng.choice(FIELD_NAMES) + b':', 1)
    if op == 5:
        return re.sub(rb'^(/\*\n \* )[^\n]*', lambda m: m.group(1) + rng.choice(DESCRIPTIONS),
                      data, count=1)
    # A field's colon or space lost, or doubled.
    return data.replace(rng.choice([b': ', b' ID', b'Date: ']),
                        rng.choice([b':', b'  ', b'::', b' :', b'']), 1)


def mutate(rng, files):
    """Applies 1 to 4 mutations to a {name: bytes} directory."""
    ids = known_ids(files)
    for _ in range(1 + min(3, int(rng.expovariate(1.0)))):
        names = sorted(files)
        if not names:
            return
        name = rng.choice(names)
        kind = rng.randrange(10)
        if kind < 3:
            files[name] = mutate_bytes(rng, files[name])
        elif kind < 5:
            files[name] = mutate_lines(rng, files[name])
        elif kind < 9:
            files[name] = mutate_tokens(rng, files[name], ids)
        else:
            file_op = rng.randrange(4)
            match = re.search(rb'Revision ID: *([0-9A-Za-z_]+)', files[name])
            if file_op == 0 and match:
                # Follow an id change, so it is not stopped at the file name.
                new = match.group(1).decode() + '_renamed.c'
                files[new] = files.pop(name)
            elif file_op == 1 and len(names) > 1:
                del files[name]
            elif file_op == 2:
                files[name[:-2] + '_copy.c'] = files[name]
            else:
                files['zz_' + name] = files[name]


# -------------------------------------------------------------- checking

def run_in_process(gen, argv):
    err = io.StringIO()
    out = io.StringIO()
    with contextlib.redirect_stderr(err), contextlib.redirect_stdout(out):
        try:
            status = gen.main(argv)
        except SystemExit as e:
            status = e.code if isinstance(e.code, int) else 1
        except Exception:   # the generator crashed: the thing we look for
            raise Finding('traceback:\n' + traceback.format_exc()) from None
    return status, err.getvalue(), out.getvalue()


def check_errors(stderr, paths, run_dir, files):
    known = set(paths) | {os.path.join(run_dir, name) for name in files} | {run_dir}
    lines = stderr.split('\n')
    if lines and lines[-1] == '':
        lines.pop()
    if not lines:
        raise Finding('status 1 with nothing on stderr')
    for line in lines:
        # One line to every reader: no CR, form feed, NEL, U+2028...
        if line.splitlines() != [line]:
            raise Finding(f'a message that a line reader splits: {line!r}')
        match = ERROR_LINE_RE.fullmatch(line)
        if not match:
            raise Finding(f'stderr line not "path:line: message": {line!r}')
        path, number = match.group(1), int(match.group(2))
        if path not in known:
            raise Finding(f'stderr names a path it was not given: {line!r}')
        name = os.path.basename(path)
        if path != run_dir and name in files:
            n_lines = files[name].count(b'\n') + 1
            if not 1 <= number <= n_lines:
                raise Finding(f'line {number} is outside {name} ({n_lines} lines): '
                              f'{line!r}')
        elif number != 1:
            raise Finding(f'line {number} for a whole-file problem: {line!r}')


def header_fields(data):
    """An independent reading of an accepted header: (id, [parents])."""
    rid, parents = None, []
    for line in data.decode('utf-8', 'surrogateescape').split('\n')[1:]:
        if '*/' in line:
            break
        line = line.rstrip()
        if line.startswith(' * Revision ID:') and rid is None:
            rid = line[len(' * Revision ID:'):].strip()
        elif line.startswith(' * Revises:'):
            value = line[len(' * Revises:'):].strip()
            if value not in ('', 'None'):
                parents = [p.strip() for p in value.split(',')]
    return rid, parents


def body(data):
    """What follows the header: the lines after the first one holding "*/"."""
    end = data.find(b'*/')
    return None if end < 0 else data[data.find(b'\n', end) + 1:]


def check_registry(out_dir, files, compiled, registries, bodies, max_compiles):
    registry_path = os.path.join(out_dir, 'fuzz_registry.c')
    with open(registry_path, encoding='utf-8', errors='surrogateescape') as f:
        registry = f.read()
    ids = re.findall(r'^        \.id = "([^"]*)",$', registry, re.M)
    count = re.search(r'pcsm_registry_len = ([0-9]+);', registry)
    if not count or int(count.group(1)) != len(ids) or len(ids) != len(files):
        raise Finding(f'registry of {len(ids)} entries for {len(files)} files')
    position = {rid: i for i, rid in enumerate(ids)}
    has_child = set()
    for name, data in files.items():
        rid, parents = header_fields(data)
        if rid not in position:
            raise Finding(f'{name}: id {rid!r} is not in the registry')
        if not (name == rid + '.c' or name.startswith(rid + '_')):
            raise Finding(f'{name} accepted with id {rid}')
        declared = re.search(rf'parents_{rid}\[\] = {{ ([^}}]*) }};', registry)
        listed = re.findall(r'"([^"]*)"', declared.group(1)) if declared else []
        if listed != parents:
            raise Finding(f'{name}: parents {listed} in the registry, {parents} in the header')
        for parent in parents:
            if parent not in position or position[parent] >= position[rid]:
                raise Finding(f'{name}: parent {parent} does not come before {rid}')
            has_child.add(parent)
        if not os.path.exists(os.path.join(out_dir, f'fuzz_rev_{name}')):
            raise Finding(f'no wrapper for {name}')
    if len(set(ids) - has_child) != min(1, len(ids)):
        raise Finding(f'heads: {sorted(set(ids) - has_child)}')
    digest = hashlib.sha256(registry.encode('utf-8', 'surrogateescape')).hexdigest()
    if CC and len(registries) < max_compiles and digest not in registries:
        registries.add(digest)
        # A mutation that reached past the header broke the author's C, not
        # the generator's output: those wrappers are left to the compiler.
        wrappers = [os.path.join(out_dir, f'fuzz_rev_{name}') for name in sorted(files)
                    if body(files[name]) in bodies]
        for sources, werror in (([registry_path], ['-Werror']), (wrappers, [])):
            if not sources:
                continue
            result = subprocess.run([CC, *CFLAGS, *werror, *sources], capture_output=True,
                                    check=False)
            if result.returncode != 0:
                raise Finding('the generated sources do not compile:\n'
                              + result.stderr.decode('utf-8', 'replace'))
            compiled[0] += len(sources)


def one_run(gen, args, rng, source, work, stats, registries):
    run_dir = os.path.join(work, 'migrations')
    out_dir = os.path.join(work, 'out')
    for d in (run_dir, out_dir):
        shutil.rmtree(d, ignore_errors=True)
        os.makedirs(d)
    src_dir = os.path.join(REPO, source)
    files = {}
    for name in sorted(os.listdir(src_dir)):
        if name.endswith('.c'):
            with open(os.path.join(src_dir, name), 'rb') as f:
                files[name] = f.read()
    bodies = {body(data) for data in files.values()}
    mutate(rng, files)
    for name, data in files.items():
        with open(os.path.join(run_dir, name), 'wb') as f:
            f.write(data)
    paths = [os.path.join(run_dir, name) for name in sorted(files)]
    # Now and then the command line disagrees with the directory.
    if paths and rng.randrange(40) == 0:
        paths.pop(rng.randrange(len(paths)))
    argv = ['--name', 'fuzz', '--source-root', work, '--dir', run_dir,
            '--out-dir', out_dir, '--depfile', os.path.join(out_dir, 'fuzz_registry.d')]
    argv += paths
    status, stderr, stdout = run_in_process(gen, argv)
    if stdout:
        raise Finding(f'output on stdout: {stdout!r}')
    if status == 0:
        if stderr:
            raise Finding(f'status 0 with messages: {stderr!r}')
        # One distinct registry in 200 runs, for long runs; at least 25.
        check_registry(out_dir, files, stats['compiled'], registries, bodies,
                       max(MIN_COMPILES, args.runs // 200))
        stats['accepted'] += 1
    elif status == 1:
        check_errors(stderr, paths, run_dir, files)
        if os.listdir(out_dir):
            raise Finding(f'status 1, yet it wrote {sorted(os.listdir(out_dir))}')
        stats['rejected'] += 1
        for line in stderr.split('\n')[:-1]:
            message = ERROR_LINE_RE.fullmatch(line).group(3)
            stats['messages'].add(re.sub(r"'[^']*'|\([^)]*\)|[0-9]+", '_', message))
    else:
        raise Finding(f'status {status}')
    if stats['runs'] % CROSS_CHECK_EVERY == 0:
        shutil.rmtree(out_dir)
        os.makedirs(out_dir)
        result = subprocess.run([sys.executable, args.generator, *argv], capture_output=True,
                                check=False)
        want = stderr.encode('utf-8', 'backslashreplace')
        if result.returncode != status or result.stderr != want:
            raise Finding(f'as a process: status {result.returncode}, stderr '
                          f'{result.stderr!r}; in process: {status}, {want!r}')
        stats['cross_checked'] += 1


def main():
    args = parse_args()
    gen = load_generator(args.generator)
    rng = random.Random(args.seed)
    # Thousands of small files written and removed: memory is much faster.
    shm = '/dev/shm' if os.access('/dev/shm', os.W_OK) else None
    work = tempfile.mkdtemp(prefix='pcsm-fuzz-gen-', dir=shm)
    stats = {'runs': 0, 'accepted': 0, 'rejected': 0, 'compiled': [0],
             'cross_checked': 0, 'messages': set()}
    registries = set()
    start = time.monotonic()
    print(f'# fuzz_gen_registry: seed {args.seed}, up to {args.runs} runs or '
          f'{args.seconds:g} s, over {", ".join(SOURCES)}', flush=True)
    try:
        while stats['runs'] < args.runs and time.monotonic() - start < args.seconds:
            stats['runs'] += 1
            source = rng.choice(SOURCES)
            one_run(gen, args, rng, source, work, stats, registries)
    except Finding as finding:
        print(f'FOUND in run {stats["runs"]} (seed {args.seed}, from {source}): {finding}')
        print(f'the mutated directory is kept in {work}/migrations')
        print(f'fuzz_gen_registry: crashes 1')
        return 1
    elapsed = time.monotonic() - start
    shutil.rmtree(work)
    print(f'fuzz_gen_registry: {stats["runs"]} mutated directories in {elapsed:.1f} s '
          f'({stats["runs"] / elapsed:.0f}/s): {stats["accepted"]} valid registries '
          f'({stats["compiled"][0]} sources compiled), {stats["rejected"]} rejected with '
          f'{len(stats["messages"])} kinds of message, {stats["cross_checked"]} '
          f'cross-checked as a process; crashes 0')
    return 0


if __name__ == '__main__':
    sys.exit(main())
