#!/usr/bin/env python3
"""The command examples of README.md and docs/*.md, run and compared (cram style).

Docs that cannot drift: every fenced block whose first line starts with `$ `
is an example.  Its `$ ` lines are run, in order, in a sandbox, and what they
print must be what the block shows.  `--update` rewrites the blocks' expected
output in place from a real run instead (then review the diff).  A Meson test
of the 'integration' suite (tests/meson.build); python3 standard library only.

The example format (the block as a reader sees it):

    $ pcs-migrate current            a command; a trailing backslash continues
    9a39eb7fd78f (head)              it on the next line; stdout and stderr,
    [exit 5]                         merged as a terminal shows them; then the
                                     exit status, when it is not 0

Expected lines may be special (as in cram):
    LINE (re)       LINE is a Python regular expression for the whole line;
    LINE (glob)     `*` any characters, `?` one character;
    ...             (a line of its own) any number of lines, none included.
`--update` keeps a special line where it still matches.

An HTML comment right before the block (invisible on rendering) sets it up:
    <!-- example: skip REASON -->        not run: REASON says why (required);
    <!-- example: setup COMMAND -->      a shell command run first, unseen, that
                                         must exit 0 (several: one per line);
    <!-- example: continue -->           the sandbox of the block before (same
                                         database and directory), not a fresh one.

The sandbox, fresh for each block: a new database on the server of
PCSM_TEST_DSN (a libpq conninfo), given as DATABASE_URL and as PGHOST,
PGPORT, PGUSER, PGDATABASE for psql, and a second one, DEV_DATABASE_URL
(a development database for autogenerate and check --from-database), and
PCSM_DOCS, this folder, for setup helpers (two_heads.sh); a temporary working directory holding a
copy of migrations/ and tests/fixtures/ (so scaffolding examples write
there) and build/pcs-migrate (a link, for `./build/pcs-migrate` examples);
PATH starting with the build's pcs-migrate and its fixture binaries
(pcs-migrate-linear, ...); NO_COLOR=1, TZ=UTC, LC_ALL=C.UTF-8, HOME the
directory, no PCS_MIGRATE_* variables.  Commands run under /bin/sh on a
pseudo-terminal, so stdout and stderr interleave as a user sees them.

Normalisations, applied to what the run prints before comparing, so that the
docs read the same on every machine:
    - the sandbox server appears as `localhost:5432/pcs` (its host or socket
      directory, port and the database's generated name), the second database
      as `localhost:5432/pcs_dev`, its socket as `/run/postgresql/.s.PGSQL.5432`;
    - the server's version string (`15.20 (Debian 15.20-0+deb12u1)`) as its
      major version (`15`);
    - the temporary directory as `/tmp/example`, and the build directory
      (relative to the source root) as `build`;
    - durations: a decimal number before ` ms`, a number before ` s)`, and the
      value of `"duration_ms":` become `N` (`done (N ms)`);
    - timestamps with a fraction of a second (the server's now():
      `2026-12-06 03:32:39.123456+00`) become `2026-01-01 00:00:00+00`;
    - `connected N s ago` and pids in `pid N` keep their words, numbers as `N`.

A block that shows what pcs-migrate prints (a `pcs-migrate: ` line, a usage
line, a JSON line) without its command is refused as malformed unless it is
marked skip with a reason: hand-typed output is what this check exists for.

Exit status: 0 when every example matches (or was updated); 1 on a mismatch,
with a unified diff per block; 77 (skip) without PCSM_TEST_DSN unless
PCSM_TEST_REQUIRE_DB=1; 99 on a malformed example (an unknown marker, a skip
without its reason).
"""
import argparse
import difflib
import fnmatch
import glob
import os
import pty
import re
import select
import shutil
import subprocess
import sys
import tempfile
import time
import urllib.parse

FENCE = re.compile(r'^(\s*)(```+|~~~+)(.*)$')
MARKER = re.compile(r'^<!--\s*example:\s*(\w+)\s*(.*?)\s*-->\s*$')
TIMEOUT_S = 120
# What pcs-migrate prints (a log line, a usage error, a JSON line): a block
# that shows such lines without the command that printed them is hand-typed
# output, which rots; it must be an example or say why it cannot be one.
OUTPUT_LINE = re.compile(r'^\s*(pcs-migrate( [a-z-]+)?: |\{"(level|command|change|object|target)"|'
                         r'usage: pcs-migrate )')


class Malformed(Exception):
    pass


UNMARKED = []       # output blocks without a command or a reason, all reported at once


class Block:
    """One example: where it is, its marker settings, its commands and expected lines."""

    def __init__(self, path, start, end, indent, lines):
        self.path, self.start, self.end, self.indent = path, start, end, indent
        self.lines = lines            # the block's body, indent removed
        self.skip = None
        self.setup = []
        self.cont = False

    def where(self):
        return '%s:%d' % (self.path, self.start + 1)

    def steps(self):
        """[(command, [expected lines])] from the body."""
        out, i = [], 0
        while i < len(self.lines):
            line = self.lines[i]
            if not line.startswith('$ '):
                raise Malformed('%s: output before the first command: %r' % (self.where(), line))
            cmd = line[2:]
            while cmd.endswith('\\') and i + 1 < len(self.lines):
                i += 1
                cmd += '\n' + self.lines[i]
            i += 1
            expected = []
            while i < len(self.lines) and not self.lines[i].startswith('$ '):
                expected.append(self.lines[i])
                i += 1
            out.append((cmd, expected))
        return out


def find_blocks(path, text):
    lines = text.split('\n')
    blocks, i = [], 0
    while i < len(lines):
        m = FENCE.match(lines[i])
        if not m:
            i += 1
            continue
        indent, fence = m.group(1), m.group(2)
        j = i + 1
        while j < len(lines) and not lines[j].strip().startswith(fence[:3]):
            j += 1
        body = [ln[len(indent):] if ln.startswith(indent) else ln.lstrip()
                for ln in lines[i + 1:j]]
        output = not body or not body[0].startswith('$ ')
        if output and not any(OUTPUT_LINE.match(ln) for ln in body):
            i = j + 1
            continue
        b = Block(path, i, j, indent, body)
        k = i - 1
        while k >= 0 and MARKER.match(lines[k].strip()):
            key, value = MARKER.match(lines[k].strip()).groups()
            if key == 'skip':
                if not value:
                    raise Malformed('%s: a skip needs its reason' % b.where())
                b.skip = value
            elif key == 'setup':
                b.setup.insert(0, value)
            elif key == 'continue':
                b.cont = True
            else:
                raise Malformed('%s: unknown marker %r' % (b.where(), key))
            k -= 1
        if output and not b.skip:
            UNMARKED.append('%s: output with no command: make it an example (`$ ` lines) '
                            'or mark it <!-- example: skip REASON -->' % b.where())
        if not output:
            blocks.append(b)
        i = j + 1
    return blocks


# ------------------------------------------------------------------ matching

def line_matches(expected, actual):
    if expected.endswith(' (re)'):
        try:
            return re.fullmatch(expected[:-5], actual) is not None
        except re.error:
            return False
    if expected.endswith(' (glob)'):
        return fnmatch.fnmatchcase(actual, expected[:-7].replace('[', '[[]'))
    return expected == actual


def align(expected, actual):
    """The expected lines rewritten to fit actual, keeping every special line that
    still matches (an edit-distance alignment in which `...` absorbs any lines)."""
    n, m = len(expected), len(actual)
    inf = float('inf')
    cost = [[inf] * (m + 1) for _ in range(n + 1)]
    cost[n][m] = 0
    for i in range(n, -1, -1):
        for j in range(m, -1, -1):
            if i == n and j == m:
                continue
            best = inf
            if i < n and expected[i] == '...':
                best = min(best, cost[i + 1][j])                 # absorbs nothing more
                if j < m:
                    best = min(best, cost[i][j + 1])             # absorbs actual[j]
            else:
                if i < n and j < m and line_matches(expected[i], actual[j]):
                    best = min(best, cost[i + 1][j + 1])
                if i < n:
                    best = min(best, 1 + cost[i + 1][j])         # expected line gone
            if j < m:
                best = min(best, 1 + cost[i][j + 1])             # actual line new
            cost[i][j] = best
    out, i, j = [], 0, 0
    while i < n or j < m:
        c = cost[i][j]
        if i < n and expected[i] == '...':
            if cost[i + 1][j] == c:
                out.append('...')
                i += 1
                continue
            if j < m and cost[i][j + 1] == c:
                j += 1
                continue
        elif i < n and j < m and line_matches(expected[i], actual[j]) \
                and cost[i + 1][j + 1] == c:
            out.append(expected[i])
            i, j = i + 1, j + 1
            continue
        if i < n and expected[i] != '...' and 1 + cost[i + 1][j] == c:
            i += 1
            continue
        line = actual[j]
        if line.endswith((' (re)', ' (glob)')) or line == '...':
            line = re.escape(line) + ' (re)'     # a literal that looks special
        out.append(line)
        j += 1
    return cost[0][0] == 0, out


# ------------------------------------------------------------------ sandbox

def conninfo_parts(dsn):
    """host, port, user (each may be None) of a conninfo string or URL."""
    if dsn.startswith(('postgres://', 'postgresql://')):
        u = urllib.parse.urlparse(dsn)
        q = urllib.parse.parse_qs(u.query)
        host = q.get('host', [u.hostname])[0]
        port = q.get('port', [str(u.port) if u.port else None])[0]
        return host, port, u.username
    parts = dict(re.findall(r"(\w+)\s*=\s*('(?:[^'\\]|\\.)*'|\S+)", dsn))
    parts = {k: v.strip("'") for k, v in parts.items()}
    return parts.get('host'), parts.get('port'), parts.get('user')


class Sandbox:
    def __init__(self, args, serial, dev):
        self.args, self.dev = args, dev
        self.dir = tempfile.mkdtemp(prefix='pcsm-docs-')
        self.db = 'pcsm_docs_%d_%d' % (os.getpid(), serial)
        src = args.source_root
        shutil.copytree(os.path.join(src, 'migrations'), os.path.join(self.dir, 'migrations'))
        shutil.copytree(os.path.join(src, 'tests', 'fixtures'),
                        os.path.join(self.dir, 'tests', 'fixtures'))
        os.makedirs(os.path.join(self.dir, 'build', 'tests'))
        for name in os.listdir(args.build_root):
            if name.startswith('pcs-migrate') and not name.endswith('.p'):
                os.symlink(os.path.join(args.build_root, name),
                           os.path.join(self.dir, 'build', name))
        tests = os.path.join(args.build_root, 'tests')
        for name in os.listdir(tests):
            if name.startswith('pcs-migrate-') and not name.endswith('.p'):
                os.symlink(os.path.join(tests, name),
                           os.path.join(self.dir, 'build', 'tests', name))
        host, port, user = conninfo_parts(args.dsn)
        self.host, self.port = host or '', port or '5432'
        env = {k: v for k, v in os.environ.items()
               if not k.startswith(('PCS_MIGRATE_', 'PG')) and k != 'DATABASE_URL'
               or k in ('PGPASSWORD', 'PGPASSFILE')}   # the test server's (pg_virtualenv)
        env.update({
            'PATH': '%s:%s:%s' % (args.build_root, tests, os.environ.get('PATH', '/usr/bin:/bin')),
            'DATABASE_URL': '%s dbname=%s' % (args.dsn, self.db)
            if '://' not in args.dsn else args.dsn,
            'NO_COLOR': '1', 'TZ': 'UTC', 'LC_ALL': 'C.UTF-8', 'HOME': self.dir,
            'PGDATABASE': self.db,
            'PCSM_DOCS': os.path.join(args.source_root, 'tests', 'docs'),   # setup helpers
        })
        if '://' in args.dsn:       # a URL: the database goes in its path
            u = urllib.parse.urlparse(args.dsn)
            env['DATABASE_URL'] = urllib.parse.urlunparse(u._replace(path='/' + self.db))
        for key, value in (('PGHOST', host), ('PGPORT', port), ('PGUSER', user)):
            if value:
                env[key] = value
        self.env = env
        env['DEV_DATABASE_URL'] = env['DATABASE_URL'].replace(self.db, self.db + '_dev')
        admin('CREATE DATABASE "%s"' % self.db, args)
        if dev:     # only for the blocks that name it: a database costs a second or so
            admin('CREATE DATABASE "%s_dev"' % self.db, args)
        self.version = args.server_version
        # Generated fixtures carry their path under the build directory, which
        # the docs call build/ and tests/run.sh names build-test/plain.
        self.build_rel = os.path.relpath(os.path.realpath(args.build_root),
                                         os.path.realpath(args.source_root))

    def close(self):
        for db in (self.db, self.db + '_dev') if self.dev else (self.db,):
            admin('DROP DATABASE IF EXISTS "%s" WITH (FORCE)' % db, self.args)
        shutil.rmtree(self.dir, ignore_errors=True)

    def run(self, command):
        """(exit status, output lines) of command on a pseudo-terminal."""
        master, slave = pty.openpty()
        proc = subprocess.Popen(['/bin/sh', '-c', command], cwd=self.dir, env=self.env,
                                stdin=subprocess.DEVNULL, stdout=slave, stderr=slave,
                                start_new_session=True)
        os.close(slave)
        chunks, deadline = [], time.monotonic() + TIMEOUT_S
        while True:
            ready, _, _ = select.select([master], [], [], 1)
            if ready:
                try:
                    data = os.read(master, 65536)
                except OSError:     # EIO: every writer has gone
                    data = b''
                if not data:
                    break
                chunks.append(data)
            if time.monotonic() > deadline:
                proc.kill()
                chunks.append(b'\n(killed after %d s)\n' % TIMEOUT_S)
                break
        os.close(master)
        status = proc.wait()
        text = self.normalise(b''.join(chunks).decode('utf-8', 'replace').replace('\r\n', '\n'))
        if text.endswith('\n'):
            text = text[:-1]
        return status, text.split('\n') if text else []

    def normalise(self, text):
        major = self.version.split('.')[0].split()[0]
        text = text.replace('PostgreSQL ' + self.version, 'PostgreSQL ' + major)
        for place in ('%s:%s/%s' % (self.host, self.port, self.db),
                      '%s:%s/%s' % ('localhost', self.port, self.db)):
            text = text.replace(place, 'localhost:5432/pcs')
        text = text.replace('socket "%s/.s.PGSQL.%s"' % (self.host, self.port),
                            'socket "/run/postgresql/.s.PGSQL.5432"')
        # Over TCP (tests/run.sh's pg_virtualenv -t), the server as the docs show it.
        text = re.sub(r'connection to server at "%s" \([^)]*\), port %s failed' %
                      (re.escape(self.host), re.escape(self.port)),
                      'connection to server on socket "/run/postgresql/.s.PGSQL.5432" failed',
                      text)
        # Another socket directory (host=/nonexistent) takes the port from PGPORT.
        text = text.replace('/.s.PGSQL.%s"' % self.port, '/.s.PGSQL.5432"')
        text = text.replace(self.db, 'pcs')
        text = text.replace(os.path.realpath(self.dir), '/tmp/example')
        text = text.replace(self.dir, '/tmp/example')
        if self.build_rel != 'build' and not self.build_rel.startswith('..'):
            text = re.sub(r'(?<![\w./-])' + re.escape(self.build_rel) + '/', 'build/', text)
        text = re.sub(r'\b\d+\.\d+ ms\b', 'N ms', text)
        text = re.sub(r'\b\d+(\.\d+)? s\)', 'N s)', text)
        text = re.sub(r'"duration_ms":\d+(\.\d+)?', '"duration_ms":N', text)
        text = re.sub(r'\d{4}-\d\d-\d\d[ T]\d\d:\d\d:\d\d\.\d+([+-]\d\d(:?\d\d)?|Z)?',
                      '2026-01-01 00:00:00+00', text)
        text = re.sub(r'\bpid \d+', 'pid N', text)
        text = re.sub(r'\b\d+ s ago\b', 'N s ago', text)
        return text


def admin(sql, args):
    r = subprocess.run(['psql', '-X', '-A', '-t', '-q', '-v', 'ON_ERROR_STOP=1',
                        '-d', args.dsn, '-c', sql],
                       capture_output=True, text=True, timeout=60)
    if r.returncode != 0:
        raise RuntimeError('psql %r: %s' % (sql, r.stderr.strip()))
    return r.stdout


# ------------------------------------------------------------------ driver

def check_block(block, box):
    """(ok, new body lines)."""
    for cmd in block.setup:
        status, out = box.run(cmd)
        if status != 0:
            raise RuntimeError('%s: setup %r exited %d:\n%s' % (block.where(), cmd, status,
                                                                '\n'.join(out)))
    ok, body = True, []
    for cmd, expected in block.steps():
        status, actual = box.run(cmd.replace('\\\n', ''))
        if status != 0:
            actual.append('[exit %d]' % status)
        matched, fitted = align(expected, actual)
        ok = ok and matched
        body.extend(['$ ' + cmd.split('\n')[0]] + cmd.split('\n')[1:])
        body.extend(fitted)
    return ok, body


def main():
    ap = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    ap.add_argument('--source-root', default=os.path.join(os.path.dirname(__file__), '..', '..'))
    ap.add_argument('--build-root', default='build')
    ap.add_argument('--update', action='store_true', help='rewrite the expected output in place')
    ap.add_argument('--only', help='only blocks whose FILE:LINE contains this')
    ap.add_argument('files', nargs='*')
    args = ap.parse_args()
    args.source_root = os.path.realpath(args.source_root)
    args.build_root = os.path.realpath(args.build_root)
    files = args.files or ['README.md'] + sorted(glob.glob('docs/*.md', root_dir=args.source_root))
    args.dsn = os.environ.get('PCSM_TEST_DSN', '')

    try:
        blocks_by_file = []
        for name in files:
            with open(os.path.join(args.source_root, name), encoding='utf-8') as f:
                text = f.read()
            blocks = find_blocks(name, text)
            for b in blocks:
                b.steps()
            blocks_by_file.append((name, text.split('\n'), blocks))
    except Malformed as e:
        print('check_examples: %s' % e)
        return 99
    if UNMARKED:
        print('\n'.join('check_examples: ' + e for e in UNMARKED))
        return 99
    if not args.dsn:
        if os.environ.get('PCSM_TEST_REQUIRE_DB') == '1':
            print('check_examples: PCSM_TEST_DSN not set')
            return 99
        print('1..0 # SKIP PCSM_TEST_DSN not set')
        return 77

    args.server_version = admin('SHOW server_version', args).strip()
    failed = checked = skipped = 0
    serial, box = 0, None
    for name, lines, blocks in blocks_by_file:
        changed = False
        results = []
        for b in blocks:
            if args.only and args.only not in b.where():
                continue
            if b.skip:
                skipped += 1
                continue
            if box and not b.cont:
                box.close()
                box = None
            if not box:
                serial += 1
                box = Sandbox(args, serial, any('DEV_DATABASE_URL' in c for c in
                                                b.setup + [cmd for cmd, _ in b.steps()]))
            checked += 1
            try:
                ok, body = check_block(b, box)
            except RuntimeError as e:       # a setup that failed: no output to compare
                failed += 1
                print('FAIL %s' % e)
                continue
            if not ok:
                if args.update:
                    results.append((b, body))
                    print('updated %s' % b.where())
                else:
                    failed += 1
                    print('FAIL %s' % b.where())
                    sys.stdout.writelines(difflib.unified_diff(
                        [ln + '\n' for ln in b.lines], [ln + '\n' for ln in body],
                        'expected', 'actual'))
        if box:
            box.close()
            box = None
        for b, body in reversed(results):     # bottom up: the lines above keep their numbers
            lines[b.start + 1:b.end] = [b.indent + ln if ln else ln for ln in body]
            changed = True
        if changed:
            with open(os.path.join(args.source_root, name), 'w', encoding='utf-8') as f:
                f.write('\n'.join(lines))
    print('%d examples checked, %d failed, %d marked not checkable' % (checked, failed, skipped))
    return 1 if failed else 0


if __name__ == '__main__':
    sys.exit(main())
