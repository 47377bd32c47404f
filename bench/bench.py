#!/usr/bin/env python3
"""Benchmark of pcs-migrate against its cost floors and other migration tools.

One command (bench/run, or `ninja -C build bench`) that starts a throwaway
PostgreSQL on tmpfs, builds pcs-migrate (release) over generated chains of N
revisions, writes the same chains for Alembic, dbmate and sqitch, and measures
side by side, round by round, on fresh databases:

  - apply N revisions from empty, the no-op run at head, downgrade to base;
  - pcs-migrate in both of its modes (one transaction for the run, and
    --transaction-per-migration), Alembic, dbmate and sqitch committing
    every revision on its own;
  - against floors that run the bare DDL of the revisions (pcs-migrate's
    offline script without its bookkeeping): bench-floor-pipeline (libpq
    pipeline mode) in one transaction and with a transaction per revision,
    psql --single-transaction; and bench-floor-connect (connect + the
    version read, SELECT version_num FROM alembic_version) for the no-op;
  - a long chain (5,000 revisions) in a scale table of its own;
  - wall time and peak RSS of every run (bench-measure), binary size and
    library closure, and the build side at 2,000 revisions;
  - the fleet: 200 fresh databases migrated to head of the PCS registry by
    `pcs-migrate migrate --targets FILE --jobs J` and by a shell loop (and
    xargs -P) of single runs, then the rerun at head (--fleet-only: this
    scenario alone, its section written into the existing report).

It writes docs/benchmarks.md and docs/benchmarks-*.png (gnuplot).  Timings
are reported, never asserted.  Standard library only; see --help.
"""

import argparse
import datetime
import getpass
import hashlib
import json
import os
import pathlib
import platform
import pwd
import re
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time

SRC = pathlib.Path(__file__).resolve().parent.parent
WORK = SRC / 'bench' / 'work'
RESULTS = WORK / 'results.json'
FLEET_RESULTS = WORK / 'results-fleet.json'
DEBIAN_PYTHON = '/usr/bin/python3'          # the one with python3-alembic
START = datetime.datetime(2026, 1, 1)
NOOP_PAIRS = 3      # no-op samples per round: floor-connect and pcs-migrate, alternating
# The query a no-op run cannot do without: the no-op floor runs it too.
VERSION_QUERY = 'SELECT version_num FROM alembic_version'
# The shared lock table holds at least max_locks_per_transaction x
# max_connections (100) locks.  One transaction over N revisions of the bench holds about 5 per
# revision (the table, its TOAST table and index, the primary key, the index);
# 8 leaves room for the bookkeeping tables.
LOCKS_PER_REVISION = 8

# Tools in the order of the report; the floors are always measured.
TOOLS = ['pcs-migrate', 'pcs-migrate-tpm', 'floor-pipeline', 'floor-pipeline-tpm',
         'floor-psql', 'alembic', 'dbmate', 'sqitch']
PCS_TOOLS = ['pcs-migrate', 'pcs-migrate-tpm']
OTHER_TOOLS = ['alembic', 'dbmate', 'sqitch']
FLOORS = ['floor-pipeline', 'floor-pipeline-tpm', 'floor-psql']
# The floor each tool's apply and downgrade are a ratio to: the pipelined DDL
# in as many transactions as the tool commits.  Every peer commits each
# revision on its own (see TRANSACTIONS), so the per-migration floor is theirs.
FLOOR_OF = {'pcs-migrate': 'floor-pipeline', 'pcs-migrate-tpm': 'floor-pipeline-tpm',
            'floor-pipeline': 'floor-pipeline', 'floor-pipeline-tpm': 'floor-pipeline-tpm',
            'floor-psql': 'floor-pipeline', 'alembic': 'floor-pipeline-tpm',
            'dbmate': 'floor-pipeline-tpm', 'sqitch': 'floor-pipeline-tpm'}
LABELS = {
    'pcs-migrate': 'pcs-migrate',
    'pcs-migrate-tpm': 'pcs-migrate --transaction-per-migration',
    'floor-pipeline': 'floor: libpq pipeline, one transaction',
    'floor-pipeline-tpm': 'floor: libpq pipeline, a transaction per revision',
    'floor-psql': 'floor: psql --single-transaction',
    'floor-connect': 'floor: libpq connect + SELECT version_num',
    'alembic': 'Alembic',
    'dbmate': 'dbmate',
    'sqitch': 'sqitch',
}
COLOURS = {'pcs-migrate': '#6a1b9a', 'pcs-migrate-tpm': '#ba68c8',
           'floor-pipeline': '#2e7d32', 'floor-pipeline-tpm': '#1b5e20',
           'floor-psql': '#81c784', 'alembic': '#ef6c00', 'dbmate': '#c62828',
           'sqitch': '#1565c0'}
TRANSACTIONS = {
    'pcs-migrate': 'one transaction for the whole run (its default); takes the migration '
                   'lock, writes alembic_version and a pcs_migrate_history row per revision',
    'pcs-migrate-tpm': 'one transaction per revision (`--transaction-per-migration`); the '
                       'same lock and bookkeeping, committed with each revision',
    'floor-pipeline': 'one transaction (BEGIN … COMMIT around all the revisions\' DDL, '
                      'one pipeline sync); no bookkeeping',
    'floor-pipeline-tpm': 'one transaction per revision (BEGIN, its DDL, COMMIT, for each '
                          'revision, all in one pipeline with one sync); no bookkeeping',
    'floor-psql': 'one transaction (`--single-transaction`); no bookkeeping',
    'alembic': 'one transaction per revision (env.py passes '
               '`transaction_per_migration=True`; Alembic\'s default is one for the run); '
               'alembic_version only',
    'dbmate': 'one transaction per migration (the default `transaction:true`); '
              'schema_migrations; `rollback` reverts one migration per invocation. Run as '
              '`migrate`, not `up`: `up` also creates the database when it is missing, which '
              'no other tool here does',
    'sqitch': 'one transaction per change, in the change\'s own psql process (BEGIN/COMMIT '
              'in each deploy/revert script, as sqitch\'s templates write them); the '
              'registry (schema sqitch) is written over a separate DBD::Pg connection',
}


class BenchError(Exception):
    pass


T0 = time.monotonic()


def say(msg):
    print(f'[bench {time.monotonic() - T0:6.0f}s] {msg}', file=sys.stderr, flush=True)


def clean_env(**extra):
    """The environment for every measured command: no connection settings inherited."""
    env = {k: v for k, v in os.environ.items()
           if not (k.startswith(('PG', 'PCS_MIGRATE_', 'MESON')) or k == 'DATABASE_URL')}
    env.update({k: str(v) for k, v in extra.items()})
    return env


def output(argv, **kw):
    """stdout of a command, or None when it cannot run or fails."""
    try:
        res = subprocess.run(argv, capture_output=True, text=True, **kw)
    except OSError:
        return None
    return res.stdout.strip() if res.returncode == 0 else None


def run_logged(argv, log, what, **kw):
    """Runs a set-up command, output appended to LOG; raises BenchError with its tail."""
    with open(log, 'a') as f:
        f.write(f'\n$ {" ".join(map(str, argv))}\n')
        f.flush()
        res = subprocess.run(argv, stdout=f, stderr=subprocess.STDOUT, **kw)
    if res.returncode != 0:
        raise BenchError(f'{what} failed (exit {res.returncode}); end of {log}:\n'
                         + tail(log))
    return res


def tail(path, lines=25):
    try:
        return '\n'.join(pathlib.Path(path).read_text(errors='replace').splitlines()[-lines:])
    except OSError:
        return ''


def write_if_changed(path, text):
    """Leaves an identical file alone, so that ninja and Python's caches stay warm."""
    path = pathlib.Path(path)
    try:
        if path.read_text() == text:
            return
    except OSError:
        pass
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(path.name + '.tmp')
    tmp.write_text(text)
    os.replace(tmp, path)


def sync_dir(directory, wanted, suffix):
    """Removes files ending in SUFFIX from DIRECTORY that are not in WANTED."""
    for p in pathlib.Path(directory).glob('*' + suffix):
        if p.name not in wanted:
            p.unlink()


# ------------------------------------------------------------- installation

def dbmate_binary():
    """dbmate's Go binary from the npm package (not the node wrapper in .bin/)."""
    hits = sorted((WORK / 'npm' / 'node_modules' / '@dbmate').glob('*/bin/dbmate'))
    return str(hits[0]) if hits else None


def find_tools(wanted, install, log):
    """Paths of the other tools and of gnuplot; installs what is missing when it can.

    Returns (paths, notes): notes say why a tool is absent."""
    checks = {
        'alembic': (lambda: output([DEBIAN_PYTHON, '-c', 'import alembic, sqlalchemy, psycopg2'])
                    is not None, ['python3-alembic', 'python3-psycopg2']),
        'sqitch': (lambda: shutil.which('sqitch') is not None
                   and output(['perl', '-MDBD::Pg', '-e', '1']) is not None,
                   ['sqitch', 'libdbd-pg-perl']),
        'gnuplot': (lambda: shutil.which('gnuplot') is not None, ['gnuplot-nox']),
    }
    notes = {}
    missing = [t for t, (ok, _) in checks.items() if (t in wanted or t == 'gnuplot') and not ok()]
    if missing and install:
        packages = [p for t in missing for p in checks[t][1]]
        if os.geteuid() == 0 and shutil.which('apt-get'):
            say(f'installing {" ".join(packages)} (apt-get)')
            env = dict(os.environ, DEBIAN_FRONTEND='noninteractive')
            try:
                run_logged(['apt-get', 'update'], log, 'apt-get update', env=env)
                run_logged(['apt-get', 'install', '-y', *packages], log, 'apt-get install', env=env)
            except BenchError as e:
                for t in missing:
                    notes[t] = f'apt-get install {" ".join(checks[t][1])} failed: ' + \
                               str(e).splitlines()[-1]
        else:
            for t in missing:
                notes[t] = (f'not installed, and not root to install it '
                            f'(apt-get install {" ".join(checks[t][1])})')
    for t in missing:
        if not checks[t][0]():
            notes.setdefault(t, f'not installed (Debian: {" ".join(checks[t][1])}; '
                                'run without --no-install as root)')
    paths = {}
    if 'alembic' in wanted and 'alembic' not in notes:
        paths['alembic'] = DEBIAN_PYTHON
    if 'sqitch' in wanted and 'sqitch' not in notes:
        paths['sqitch'] = shutil.which('sqitch')
    if 'gnuplot' not in notes:
        paths['gnuplot'] = shutil.which('gnuplot')
    if 'dbmate' in wanted:
        if not dbmate_binary() and install and shutil.which('npm'):
            say('installing dbmate (npm, into bench/work/npm)')
            try:
                run_logged(['npm', 'install', '--prefix', str(WORK / 'npm'), '--no-audit',
                            '--no-fund', 'dbmate'], log, 'npm install dbmate')
            except BenchError as e:
                notes['dbmate'] = 'npm install dbmate failed: ' + str(e).splitlines()[-1]
        if dbmate_binary():
            paths['dbmate'] = dbmate_binary()
        else:
            notes.setdefault('dbmate', 'not installed (npm install dbmate into bench/work/npm; '
                                       + ('npm not found)' if not shutil.which('npm')
                                          else 'run without --no-install)'))
    return paths, notes


# ---------------------------------------------------------------- the chains

def revision_id(index):
    return hashlib.sha256(f'pcsm-bench-{index}'.encode()).hexdigest()[:12]


def table_name(index, count):
    return f't_{index:0{max(4, len(str(count)))}d}'


def create_date(index):
    """One minute apart from 2026-01-01 00:00 UTC on."""
    return START + datetime.timedelta(minutes=index - 1)


C_REVISION = '''\
/*
 * create {table}
 *
 * Revision ID: {id}
 * Revises: {revises}
 * Create Date: {date}
 */
#include <pcsm/ddl.h>

static void upgrade(pcsm_op *op)
{{
    pcsm_create_table(op, "{table}", PCSM_COLUMNS(
        {{ .name = "id", .type = PCSM_UUID, .primary_key = true,
          .default_value = PCSM_EXPR("gen_random_uuid()") }},
        {{ .name = "name", .type = PCSM_VARCHAR(255), .not_null = true }},
        {{ .name = "data", .type = PCSM_JSONB }},
        {{ .name = "is_active", .type = PCSM_BOOLEAN, .not_null = true,
          .default_value = PCSM_EXPR("true") }},
        {{ .name = "created_at", .type = PCSM_TIMESTAMPTZ, .not_null = true,
          .default_value = PCSM_EXPR("now()") }}), NULL, NULL);
    pcsm_create_index(op, &(pcsm_index){{ .name = "ix_{table}_name", .table = "{table}",
                                         .columns = PCSM_NAMES("name") }});
}}

static void downgrade(pcsm_op *op)
{{
    pcsm_drop_index(op, "ix_{table}_name", 0);
    pcsm_drop_table(op, "{table}", 0);
}}
'''

ALEMBIC_REVISION = '''\
"""create {table}

Revision ID: {id}
Revises: {revises}
Create Date: {date}
"""
from alembic import op
import sqlalchemy as sa
from sqlalchemy.dialects import postgresql

revision = '{id}'
down_revision = {down}
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        '{table}',
        sa.Column('id', postgresql.UUID(), server_default=sa.text('gen_random_uuid()'),
                  primary_key=True),
        sa.Column('name', sa.String(255), nullable=False),
        sa.Column('data', postgresql.JSONB()),
        sa.Column('is_active', sa.Boolean(), server_default=sa.text('true'), nullable=False),
        sa.Column('created_at', sa.DateTime(timezone=True), server_default=sa.text('now()'),
                  nullable=False),
    )
    op.create_index('ix_{table}_name', '{table}', ['name'])


def downgrade():
    op.drop_index('ix_{table}_name', table_name='{table}')
    op.drop_table('{table}')
'''

ALEMBIC_INI = '''\
# Generated by bench/bench.py; the database URL comes from BENCH_ALEMBIC_URL.
[alembic]
script_location = %(here)s

[loggers]
keys = root,sqlalchemy,alembic

[handlers]
keys = console

[formatters]
keys = generic

[logger_root]
level = WARN
handlers = console
qualname =

[logger_sqlalchemy]
level = WARN
handlers =
qualname = sqlalchemy.engine

[logger_alembic]
level = INFO
handlers =
qualname = alembic

[handler_console]
class = StreamHandler
args = (sys.stderr,)
level = NOTSET
formatter = generic

[formatter_generic]
format = %(levelname)-5.5s [%(name)s] %(message)s
datefmt = %H:%M:%S
'''

ALEMBIC_ENV = '''\
"""Minimal online env.py (generated by bench/bench.py)."""
import os
from logging.config import fileConfig

from alembic import context
from sqlalchemy import create_engine, pool

fileConfig(context.config.config_file_name)
engine = create_engine(os.environ['BENCH_ALEMBIC_URL'], poolclass=pool.NullPool)
with engine.connect() as connection:
    # A transaction per revision, as every other peer commits: the bench
    # compares the tools like for like, against the per-migration floor.
    context.configure(connection=connection, target_metadata=None,
                      transaction_per_migration=True)
    with context.begin_transaction():
        context.run_migrations()
'''


def write_c_chain(n, directory):
    """N revision C files and the revisions.txt (and meson.build) that list them."""
    names, parent = [], 'None'
    for i in range(1, n + 1):
        table, rid = table_name(i, n), revision_id(i)
        name = f'{rid}_create_{table}.c'
        write_if_changed(directory / name, C_REVISION.format(
            table=table, id=rid, revises=parent,
            date=create_date(i).strftime('%Y-%m-%d %H:%M:%S+00:00')))
        names.append(name)
        parent = rid
    sync_dir(directory, set(names), '.c')
    # The build reads a migrations directory's files from its revisions.txt.
    write_if_changed(directory / 'revisions.txt',
                     f'# A chain of {n} revisions, generated by bench/bench.py.\n'
                     + ''.join(f + '\n' for f in names))
    write_if_changed(directory / 'meson.build',
                     f'# A chain of {n} revisions, generated by bench/bench.py.\n'
                     'migration_files = [\n' + ''.join(f"  '{f}',\n" for f in names) + ']\n')


def write_alembic(n, directory):
    versions, names = directory / 'versions', set()
    write_if_changed(directory / 'alembic.ini', ALEMBIC_INI)
    write_if_changed(directory / 'env.py', ALEMBIC_ENV)
    for i in range(1, n + 1):
        table, rid = table_name(i, n), revision_id(i)
        down = f"'{revision_id(i - 1)}'" if i > 1 else 'None'
        name = f'{rid}_create_{table}.py'
        write_if_changed(versions / name, ALEMBIC_REVISION.format(
            table=table, id=rid, down=down, revises=revision_id(i - 1) if i > 1 else '',
            date=create_date(i).strftime('%Y-%m-%d %H:%M:%S')))
        names.add(name)
    sync_dir(versions, names, '.py')


def write_dbmate(n, directory, up, down):
    """dbmate files carry exactly the DDL of pcs-migrate's offline script."""
    names = set()
    for i in range(1, n + 1):
        name = f'{create_date(i).strftime("%Y%m%d%H%M%S")}_create_{table_name(i, n)}.sql'
        write_if_changed(directory / name, '-- migrate:up\n' + '\n'.join(up[i - 1])
                         + '\n\n-- migrate:down\n' + '\n'.join(down[i - 1]) + '\n')
        names.add(name)
    sync_dir(directory, names, '.sql')


def write_sqitch(n, directory, up, down):
    """A sqitch project whose changes carry exactly the DDL of pcs-migrate's script."""
    write_if_changed(directory / 'sqitch.conf',
                     '[core]\n\tengine = pg\n[engine "pg"]\n\tclient = '
                     f'{shutil.which("psql") or "psql"}\n'
                     '[user]\n\tname = bench\n\temail = bench@example.invalid\n')
    plan = ['%syntax-version=1.0.0', '%project=bench', '']
    names = {'deploy': set(), 'revert': set()}
    for i in range(1, n + 1):
        table = table_name(i, n)
        plan.append(f'{table} {create_date(i).strftime("%Y-%m-%dT%H:%M:%SZ")} '
                    f'bench <bench@example.invalid> # create {table}')
        for kind, sql in (('deploy', up[i - 1]), ('revert', down[i - 1])):
            write_if_changed(directory / kind / f'{table}.sql',
                             'BEGIN;\n\n' + '\n'.join(sql) + '\n\nCOMMIT;\n')
            names[kind].add(f'{table}.sql')
    for kind, wanted in names.items():
        sync_dir(directory / kind, wanted, '.sql')
    write_if_changed(directory / 'sqitch.plan', '\n'.join(plan) + '\n')


# ------------------------------------------------------ the offline scripts

DOLLAR_TAG = re.compile(r'\$(?:[A-Za-z_][A-Za-z0-9_]*)?\$')
BOOKKEEPING = re.compile(
    r'(INSERT INTO|UPDATE|DELETE FROM)\s+"(alembic_version|pcs_migrate_history)"')
PREAMBLE = re.compile(
    r'SET client_encoding\b|CREATE TABLE IF NOT EXISTS "(alembic_version|pcs_migrate_history)"')


def skip_quoted(text, i, quote, backslashes):
    """Index after the quoted string or identifier that starts at text[i]."""
    j = i + 1
    while j < len(text):
        if backslashes and text[j] == '\\':
            j += 2
        elif text[j] == quote:
            if text.startswith(quote * 2, j):
                j += 2
            else:
                return j + 1
        else:
            j += 1
    raise BenchError(f'unterminated {quote} quote in the offline script')


def sql_tokens(text):
    """Splits an SQL script into ('comment', text) and ('statement', text) tokens.

    A ';' ends a statement unless it is inside a -- or /* */ comment, a '...'
    string (E'...' with backslash escapes), a "..." identifier or a
    dollar-quoted body ($$ ... $$, $pcsm$ ... $pcsm$).  Comments between
    statements become tokens; those inside a statement stay in its text."""
    tokens, start, i, n = [], None, 0, len(text)
    while i < n:
        c = text[i]
        if c.isspace():
            i += 1
        elif text.startswith('--', i) or text.startswith('/*', i):
            end = text.find('\n', i) if c == '-' else text.find('*/', i + 2)
            end = n if end < 0 else (end if c == '-' else end + 2)
            if start is None:
                tokens.append(('comment', text[i:end].strip()))
            i = end
        else:
            if start is None:
                start = i
            word_before = i > 0 and (text[i - 1].isalnum() or text[i - 1] in '_$')
            if c == ';':
                tokens.append(('statement', text[start:i + 1]))
                start, i = None, i + 1
            elif c == "'":
                e_string = i > 0 and text[i - 1] in 'eE' and not (
                    i > 1 and (text[i - 2].isalnum() or text[i - 2] == '_'))
                i = skip_quoted(text, i, "'", e_string)
            elif c == '"':
                i = skip_quoted(text, i, '"', False)
            elif c == '$' and not word_before and DOLLAR_TAG.match(text, i):
                tag = DOLLAR_TAG.match(text, i).group()
                end = text.find(tag, i + len(tag))
                if end < 0:
                    raise BenchError(f'unterminated {tag} body in the offline script')
                i = end + len(tag)
            else:
                i += 1
    if start is not None:
        raise BenchError(f'offline script ends inside a statement: {text[start:start + 60]!r}')
    return tokens


def parse_script(text, n, direction):
    """Each revision's own DDL, in the script's order, from an offline script.

    What is left out is pcs-migrate's, not the revisions': the script's
    BEGIN/COMMIT (the floors open their own transactions), its preamble (SET
    client_encoding and the CREATE TABLE IF NOT EXISTS of the version and
    history tables) and, in each '-- Running DIRECTION' section, the version
    row and the history row.  Each left-out statement must be one of these,
    recognised by the version and history table names, and their counts
    must be what a chain of N has: 3 in the preamble, 2 per revision."""
    preamble, sections, bookkeeping = [], [], 0
    for kind, tok in sql_tokens(text):
        if kind == 'comment':
            if tok.startswith(f'-- Running {direction} '):
                sections.append([])
        elif tok.upper() in ('BEGIN;', 'COMMIT;'):
            continue
        elif not sections:
            preamble.append(tok)
        elif BOOKKEEPING.match(tok):
            bookkeeping += 1
        else:
            sections[-1].append(tok)
    if len(preamble) != 3 or not all(PREAMBLE.match(s) for s in preamble):
        raise BenchError(f'{direction} script of {n} revisions: unexpected preamble '
                         f'{[s[:60] for s in preamble]}')
    if len(sections) != n or bookkeeping != 2 * n or any(len(r) != 2 for r in sections):
        raise BenchError(f'{direction} script of {n} revisions split into {len(sections)} '
                         f'sections, {bookkeeping} bookkeeping statements (expected '
                         f'{2 * n}) and {sum(map(len, sections))} DDL statements '
                         f'(expected {2 * n})')
    for k, ddl in enumerate(sections):
        i = k + 1 if direction == 'upgrade' else n - k
        if not all(table_name(i, n) in s for s in ddl):
            raise BenchError(f'{direction} section {k + 1} is not about '
                             f'{table_name(i, n)}: {ddl}')
    return sections


# ------------------------------------------------------------------- builds

def build_dir(n):
    return WORK / f'build-{n}'


def meson_build(n, builddir, targets, log, clean=False):
    """Configures (once) and builds the chain of N in BUILDDIR; returns (setup s, build s)."""
    chain = WORK / f'chain{n}'
    write_c_chain(n, chain)
    if clean:
        shutil.rmtree(builddir, ignore_errors=True)
    env = clean_env()
    t0 = time.monotonic()
    if not (builddir / 'build.ninja').exists():
        shutil.rmtree(builddir, ignore_errors=True)
        run_logged(['meson', 'setup', str(builddir), str(SRC), '--buildtype=release',
                    f'-Dmigrations_dir={chain.relative_to(SRC)}', '-Dtests=disabled'],
                   log, f'meson setup of the {n}-revision chain', env=env)
    t1 = time.monotonic()
    run_logged(['ninja', '-C', str(builddir), *targets], log,
               f'build of the {n}-revision chain', env=env)
    return t1 - t0, time.monotonic() - t1


# ------------------------------------------------------------------ cluster

class Cluster:
    """A throwaway PostgreSQL: data on tmpfs, trust auth, TCP on 127.0.0.1."""

    def __init__(self, log):
        self.log = log
        self.root = None
        self.as_postgres = os.geteuid() == 0     # PostgreSQL refuses to run as root
        self.user = 'postgres' if self.as_postgres else getpass.getuser()
        hits = sorted(pathlib.Path('/usr/lib/postgresql').glob('*/bin/pg_ctl'),
                      key=lambda p: int(p.parent.parent.name) if p.parent.parent.name.isdigit()
                      else 0)
        self.bindir = hits[-1].parent if hits else pathlib.Path(shutil.which('pg_ctl')).parent
        self.port, self.settings, self.tmpfs = None, {}, False

    def pg(self, tool, *args):
        prefix = ['runuser', '-u', 'postgres', '--'] if self.as_postgres else []
        return [*prefix, str(self.bindir / tool), *map(str, args)]

    def start(self, max_n=0):
        """MAX_N: the longest chain that one transaction must apply (see
        LOCKS_PER_REVISION); max_locks_per_transaction is raised to fit it."""
        shm = '/dev/shm' if os.path.isdir('/dev/shm') else None
        self.root = pathlib.Path(tempfile.mkdtemp(prefix='pcsm-bench-', dir=shm))
        self.tmpfs = shm is not None
        if self.as_postgres:
            pw = pwd.getpwnam('postgres')
            os.chown(self.root, pw.pw_uid, pw.pw_gid)
        self.data = self.root / 'data'
        run_logged(self.pg('initdb', '-D', self.data, '-U', self.user, '-A', 'trust',
                           '-E', 'UTF8', '--locale=C', '--no-sync'), self.log, 'initdb')
        for _ in range(5):                     # a port taken in the meantime: another
            self.port = free_port()
            self.settings = {
                'listen_addresses': "'127.0.0.1'", 'port': self.port,
                'unix_socket_directories': f"'{self.root}'",
            }
            locks = -(-LOCKS_PER_REVISION * max_n // 100)
            if locks > 64:
                self.settings['max_locks_per_transaction'] = locks
            self._write_conf(''.join(f'{k} = {v}\n' for k, v in self.settings.items()))
            res = subprocess.run(self.pg('pg_ctl', '-D', self.data, '-l', self.root / 'server.log',
                                         '-w', '-t', '60', 'start'),
                                 stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
            if res.returncode == 0:
                return
        raise BenchError('PostgreSQL did not start; end of its log:\n'
                         + tail(self.root / 'server.log'))

    def _write_conf(self, conf):
        path = self.data / 'postgresql.auto.conf'
        path.write_text('# Written by bench/bench.py\n' + conf)
        if self.as_postgres:
            pw = pwd.getpwnam('postgres')
            os.chown(path, pw.pw_uid, pw.pw_gid)

    def stop(self):
        if self.root is None:
            return
        if self.port is not None:
            subprocess.run(self.pg('pg_ctl', '-D', self.data, '-m', 'immediate', '-w', 'stop'),
                           stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        shutil.rmtree(self.root, ignore_errors=True)
        self.root = None

    def url(self, db, scheme='postgresql', sslmode=True):
        return (f'{scheme}://{self.user}@127.0.0.1:{self.port}/{db}'
                + ('?sslmode=disable' if sslmode else ''))

    def sql(self, query, db='postgres'):
        res = subprocess.run(['psql', '-X', '-q', '-At', '-v', 'ON_ERROR_STOP=1', '-d',
                              self.url(db), '-c', query],
                             capture_output=True, text=True, env=clean_env())
        if res.returncode != 0:
            raise BenchError(f'psql -c {query!r}: {res.stderr.strip()}')
        return res.stdout.strip()

    def fresh_db(self, db):
        self.sql(f'DROP DATABASE IF EXISTS "{db}"')
        self.sql(f'CREATE DATABASE "{db}"')


def free_port():
    with socket.socket() as s:
        s.bind(('127.0.0.1', 0))
        return s.getsockname()[1]


# ------------------------------------------------------------- measurement

class Measurer:
    """Runs commands through bench-measure: wall time and the child's own peak RSS.

    (A child spawned straight from python reports python's RSS as its
    ru_maxrss: the high-water mark survives the exec.)"""

    def __init__(self, measure_bin, log):
        self.bin, self.log = str(measure_bin), str(log)

    def run(self, argv, env, cwd=None, what=''):
        open(self.log, 'w').close()      # the log holds the last command's output
        res = subprocess.run([self.bin, self.log, *map(str, argv)], env=env, cwd=cwd,
                             capture_output=True, text=True)
        if res.returncode != 0:
            raise BenchError(f'bench-measure: {res.stderr.strip()}')
        secs, rss, status = res.stdout.split()
        if status != '0':
            raise BenchError(f'{what or argv[0]} exited {status}: {" ".join(map(str, argv))}\n'
                             + tail(self.log))
        return float(secs), int(rss)

    def steps(self, argvs, env, cwd=None, what=''):
        """Several commands as one operation: times add up, the peak is the largest."""
        total, peak = 0.0, 0
        for argv in argvs:
            secs, rss = self.run(argv, env, cwd, what)
            total, peak = total + secs, max(peak, rss)
        return total, peak


class ToolRuns:
    """The commands of each tool, for one N: apply, no-op and downgrade."""

    def __init__(self, n, cluster, bins, paths, files):
        self.n, self.c, self.bins, self.paths, self.files = n, cluster, bins, paths, files

    def commands(self, tool, db):
        """(apply, noop, downgrade, env, cwd): lists of argv lists; noop may be None."""
        c, n, f = self.c, self.n, self.files
        url = c.url(db)
        if tool in PCS_TOOLS:
            mode = ['--transaction-per-migration'] if tool == 'pcs-migrate-tpm' else []
            run = [[self.bins['pcs-migrate'], 'migrate', *mode]]
            return run, run, [[self.bins['pcs-migrate'], 'downgrade', 'base', *mode]], \
                clean_env(DATABASE_URL=url), None
        if tool in ('floor-pipeline', 'floor-pipeline-tpm'):
            pipe = [self.bins['floor-pipeline']]
            if tool == 'floor-pipeline-tpm':
                pipe.append('--per-migration')
            return [pipe + [url, f['up.stmts']]], None, [pipe + [url, f['down.stmts']]], \
                clean_env(), None
        if tool == 'floor-psql':
            psql = [shutil.which('psql'), '-X', '-q', '-v', 'ON_ERROR_STOP=1',
                    '--single-transaction', '-d', url, '-f']
            return [psql + [f['up.sql']]], None, [psql + [f['down.sql']]], clean_env(), None
        if tool == 'alembic':
            alembic = [self.paths['alembic'], '-m', 'alembic', '-c', f['alembic'] / 'alembic.ini']
            up = [alembic + ['upgrade', 'head']]
            return up, up, [alembic + ['downgrade', 'base']], \
                clean_env(BENCH_ALEMBIC_URL=c.url(db, 'postgresql+psycopg2')), None
        if tool == 'dbmate':
            dbmate = [self.paths['dbmate'], '--url', c.url(db, 'postgres'), '--migrations-dir',
                      f['dbmate'], '--no-dump-schema']
            up = [dbmate + ['migrate']]
            return up, up, [dbmate + ['rollback']] * n, clean_env(), None
        if tool == 'sqitch':
            target = c.url(db, 'db:pg', sslmode=False)
            up = [[self.paths['sqitch'], 'deploy', target]]
            return up, up, [[self.paths['sqitch'], 'revert', '-y', target]], \
                clean_env(PGSSLMODE='disable'), f['sqitch']
        raise ValueError(tool)


SIGNATURE_SQL = r'''
SELECT count(*) FILTER (WHERE kind = 'r') || ' ' || count(*) FILTER (WHERE kind = 'i') || ' '
       || md5(coalesce(string_agg(line, E'\n' ORDER BY line), ''))
FROM (SELECT 'r' AS kind, format('%s.%s %s %s %s', c.relname, a.attname,
             format_type(a.atttypid, a.atttypmod), a.attnotnull,
             pg_get_expr(d.adbin, d.adrelid)) AS line
      FROM pg_class c
      JOIN pg_attribute a ON a.attrelid = c.oid AND a.attnum > 0 AND NOT a.attisdropped
      LEFT JOIN pg_attrdef d ON d.adrelid = c.oid AND d.adnum = a.attnum
      WHERE c.relnamespace = 'public'::regnamespace AND c.relkind = 'r'
        AND c.relname LIKE 't\_%'
      UNION ALL
      SELECT 'i', indexdef FROM pg_indexes
      WHERE schemaname = 'public' AND tablename LIKE 't\_%') s
'''


def schema_signature(cluster, db):
    """'TABLE_COLUMNS INDEXES md5' of the t_* tables: equal for equivalent schemas."""
    return cluster.sql(SIGNATURE_SQL, db)


def measure_n(n, reps, tools, runs, cluster, measurer, results, budget, cost, long=None):
    """A warm-up round, then REPS rounds; appends (seconds, peak KiB) to results[tool][op].

    Every tool's schema is checked once: after apply it must equal the first
    tool's, after downgrade nothing may be left.  pcs-migrate and the floors
    always take every round.  The other tools are held to BUDGET seconds per
    N: after its first counted round, one plays a further round only when
    that round (as long as its rounds so far, on average) still fits in the
    budget; and one whose projected round (COST: its round time at the
    previous N, scaled to N) exceeds half the budget skips the warm-up and is
    checked in its first round.  COST is updated for the next N.

    LONG (a dict, for the long chain of the scale table): a tool that fails
    is recorded (LONG['failed'][tool]: the error) and sits out the rest,
    instead of failing the bench: a limit hit by one tool is a result there."""
    base = [t for t in TOOLS if t in tools]
    if long is not None:
        long.setdefault('failed', {})
    check = {'expected': None, 'checked': set()}
    spent, played = dict.fromkeys(base, 0.0), dict.fromkeys(base, 0)
    for rnd in range(reps + 1):
        order = base[rnd % len(base):] + base[:rnd % len(base)]   # rotate the order
        playing = [t for t in order if long is None or t not in long['failed']]
        playing = [t for t in playing if t not in OTHER_TOOLS or (
            (rnd > 0 or t not in cost or cost[t][1] * n / cost[t][0] <= budget / 2)
            and (rnd <= 1 or spent[t] + spent[t] / played[t] <= budget))]
        if rnd > 0 and not playing:
            break
        say(f'N={n}: {"warm-up round" if rnd == 0 else f"round {rnd}/{reps}"}: '
            + ', '.join(playing))
        for tool in playing:
            db = f'bench_{tool.replace("-", "_")}'
            cluster.fresh_db(db)
            try:
                got = play(tool, db, n, rnd, runs, cluster, measurer, check)
            except BenchError as e:
                if long is None:
                    raise
                say(f'N={n}: {tool} failed; it sits out the other rounds')
                long['failed'][tool] = str(e)
                cluster.sql(f'DROP DATABASE "{db}"')
                continue
            cluster.sql(f'DROP DATABASE "{db}"')
            spent[tool] += sum(sum(x[0] for x in v) if isinstance(v, list) else v[0]
                               for k, v in got.items() if k != 'floor-connect')
            played[tool] += 1
            if rnd > 0:
                for op, sample in got.items():
                    key, op = ('floor-connect', 'noop') if op == 'floor-connect' else (tool, op)
                    results.setdefault(key, {}).setdefault(op, []).extend(
                        sample if isinstance(sample, list) else [sample])
    for tool in base:
        ops = results.get(tool, {})
        if ops:
            cost[tool] = (n, sum(median(v) for v in ops.values()))


def play(tool, db, n, rnd, runs, cluster, measurer, check):
    """One round of TOOL on the fresh database DB: {op: sample or [samples]}.

    The first round of each tool checks the schema it leaves (CHECK holds
    the first tool's signature and the tools checked so far)."""
    apply, noop, down, env, cwd = runs.commands(tool, db)
    got = {'apply': measurer.steps(apply, env, cwd, f'{tool} apply')}
    if tool not in check['checked']:
        sig = schema_signature(cluster, db)
        expected = check['expected'] = check['expected'] or sig
        if not sig.startswith(f'{n * 5} {n * 2} ') or sig != expected:
            raise BenchError(f'{tool}: the schema after apply ({sig}) differs from '
                             f'the expected {n * 5} columns, {n * 2} indexes ({expected})')
    if tool in PCS_TOOLS:
        floor = [runs.bins['floor-connect'], cluster.url(db), VERSION_QUERY]
        for pair in range(NOOP_PAIRS):     # no-op and floor alternate
            for which in (('floor', 'pcs') if (pair + rnd) % 2 == 0 else ('pcs', 'floor')):
                if which == 'pcs':
                    got.setdefault('noop', []).append(
                        measurer.steps(noop, env, cwd, f'{tool} no-op'))
                else:
                    got.setdefault('floor-connect', []).append(
                        measurer.run(floor, clean_env(), what='bench-floor-connect'))
    elif noop:
        got['noop'] = [measurer.steps(noop, env, cwd, f'{tool} no-op')]
    got['downgrade'] = measurer.steps(down, env, cwd, f'{tool} downgrade')
    if tool not in check['checked']:
        sig = schema_signature(cluster, db)
        if not sig.startswith('0 0 '):
            raise BenchError(f'{tool}: tables left after the downgrade ({sig})')
        check['checked'].add(tool)
    return got


def long_skips(n, tools, cost, budget):
    """{tool: projected seconds of one round, or None} for the other tools that sit
    out the long chain: there one plays only when its round at the largest N
    measured before, scaled to N, fits in the budget (there is no warm-up to
    skip and no round to cut short that would keep it within the budget)."""
    return {t: (cost[t][1] * n / cost[t][0] if t in cost else None)
            for t in tools if t in OTHER_TOOLS
            and (t not in cost or cost[t][1] * n / cost[t][0] > budget)}


def measure_long(long, tools, paths, bins, cluster, measurer, budget, cost):
    """The scale table: the long chain of LONG['n'] revisions, LONG['reps'] rounds,
    into LONG (results, the failures of measure_n, the tools skipped)."""
    n = long['n']
    long['skipped'] = long_skips(n, tools, cost, budget)
    tools = [t for t in tools if t not in long['skipped']]
    files = prepare_n(n, bins, tools, paths)
    runs = ToolRuns(n, cluster, bins, paths, files)
    long['results'] = {}
    measure_n(n, long['reps'], tools, runs, cluster, measurer, long['results'], budget,
              dict(cost), long)


# ---------------------------------------------------------- build-side scale

def build_scale(n, log, measurer, reps):
    """Generator time, clean configure + build, history/heads on N revisions."""
    builddir = WORK / 'build-scale'
    say(f'build-side scale: {n} revisions, clean meson setup + ninja')
    setup_s, build_s = meson_build(n, builddir, [], log, clean=True)
    chain = WORK / f'chain{n}'
    files = sorted(p.name for p in chain.glob('*.c'))
    out = WORK / 'gen-out'
    shutil.rmtree(out, ignore_errors=True)
    out.mkdir()
    # The interpreter meson runs it with, past any wrapper such as a pyenv shim.
    python3 = output(['python3', '-c', 'import sys; print(sys.executable)']) or 'python3'
    gen = [python3, SRC / 'generator' / 'gen_registry.py', '--name', 'pcs',
           '--source-root', SRC, '--dir', chain, '--out-dir', out, '--depfile', out / 'pcs.d',
           *[chain / f for f in files]]
    check = [python3, SRC / 'generator' / 'gen_registry.py', '--check-list', chain, *files]
    binary = builddir / 'pcs-migrate'
    samples = {'generator': [], 'check-list': [], 'history': [], 'heads': []}
    for _ in range(max(reps, 5)):
        samples['generator'].append(measurer.run(gen, clean_env(), what='gen_registry.py'))
        samples['check-list'].append(measurer.run(check, clean_env(), what='--check-list'))
    for _ in range(max(2 * reps, 10)):
        samples['history'].append(measurer.run([binary, 'history'], clean_env(), what='history'))
        samples['heads'].append(measurer.run([binary, 'heads'], clean_env(), what='heads'))
    shutil.rmtree(out, ignore_errors=True)
    return {'n': n, 'setup_s': setup_s, 'build_s': build_s, 'python': python3,
            'binary_bytes': binary.stat().st_size, 'samples': samples}


# -------------------------------------------------------------------- fleet

# The shell baselines of the fleet scenario, as one would type them.  Each
# stops at the first failure, so that a failed target fails the measurement.
FLEET_LOOP = 'for url in $(cat "$1"); do "$2" migrate --database-url "$url" || exit; done'
FLEET_FLOOR = 'for url in $(cat "$1"); do "$2" "$url" "$3" || exit; done'


def fleet_label(variant):
    kind, _, arg = variant.partition('-')
    if kind == 'fleet':
        return f'`pcs-migrate migrate --targets FILE --jobs {arg}`'
    if kind == 'xargs':
        return f'`xargs -P {arg} -n 1 pcs-migrate migrate --database-url` (single runs)'
    if kind == 'loop':
        return 'shell loop of single runs: `for url in …; do pcs-migrate migrate ' \
               '--database-url "$url"; done`'
    return 'floor: shell loop of `bench-floor-connect "$url" "SELECT version_num FROM ' \
           'alembic_version"` (connect + the version read)'


def fleet_build(log):
    """pcs-migrate over the PCS registry itself (migrations/), release, and the helpers
    the fleet scenario needs, in bench/work/build-pcs."""
    builddir = WORK / 'build-pcs'
    env = clean_env()
    if not (builddir / 'build.ninja').exists():
        shutil.rmtree(builddir, ignore_errors=True)
        run_logged(['meson', 'setup', str(builddir), str(SRC), '--buildtype=release',
                    '-Dtests=disabled'], log, 'meson setup of the PCS registry build', env=env)
    run_logged(['ninja', '-C', str(builddir), 'pcs-migrate', 'bench/bench-floor-connect',
                'bench/bench-measure'], log, 'build of the PCS registry', env=env)
    return {'pcs-migrate': builddir / 'pcs-migrate',
            'floor-connect': builddir / 'bench' / 'bench-floor-connect',
            'measure': builddir / 'bench' / 'bench-measure'}


class Fleet:
    """N databases on the bench's cluster, their targets file, and their reset.

    A reset drops and recreates every database (one psql, STRATEGY FILE_COPY
    from PostgreSQL 15 on: WAL_LOG, 15's default, writes each copy of
    template1 to the WAL and is many times slower here), so that every
    variant of every round migrates the same N empty databases."""

    def __init__(self, n, cluster, bins, log):
        self.n, self.c, self.bins, self.log = n, cluster, bins, log
        self.dbs = [f'bench_fleet_{i:04d}' for i in range(n)]
        d = WORK / 'fleet'
        d.mkdir(parents=True, exist_ok=True)
        self.targets = d / 'targets'
        self.targets.write_text(''.join(cluster.url(db) + '\n' for db in self.dbs))
        strategy = ' STRATEGY FILE_COPY' \
            if int(cluster.sql('SHOW server_version_num')) >= 150000 else ''
        self.reset_sql, self.drop_sql, self.check_sql = d / 'reset.sql', d / 'drop.sql', \
            d / 'check.sql'
        self.drop_sql.write_text(''.join(f'DROP DATABASE IF EXISTS "{db}";\n' for db in self.dbs))
        self.reset_sql.write_text(self.drop_sql.read_text() + ''.join(
            f'CREATE DATABASE "{db}"{strategy};\n' for db in self.dbs))
        self.check_sql.write_text(''.join(
            f'\\connect {db}\n'
            "SELECT current_database(), (SELECT string_agg(version_num, ',' ORDER BY "
            "version_num) FROM alembic_version), (SELECT count(*) FROM pg_class WHERE "
            "relnamespace = 'public'::regnamespace);\n" for db in self.dbs))
        out = output([str(bins['pcs-migrate']), 'heads'], env=clean_env()) or ''
        self.head = ','.join(sorted(re.findall(r'\b[0-9a-f]{12}\b', out)))
        if not self.head:
            raise BenchError(f'{bins["pcs-migrate"]} heads: no head revision in {out!r}')

    def psql_file(self, path, what):
        res = subprocess.run(['psql', '-X', '-q', '-At', '-F', ' ', '-v', 'ON_ERROR_STOP=1',
                              '-d', self.c.url('postgres'), '-f', str(path)],
                             capture_output=True, text=True, env=clean_env())
        if res.returncode != 0:
            raise BenchError(f'{what}: psql -f {path}: {res.stderr.strip()[-2000:]}')
        return res.stdout

    def reset(self):
        """Seconds the reset took (reported, not counted)."""
        t0 = time.monotonic()
        self.psql_file(self.reset_sql, 'fleet reset')
        return time.monotonic() - t0

    def drop(self):
        self.psql_file(self.drop_sql, 'fleet drop')

    def check(self, what):
        """Every database at head with the same number of relations in public."""
        rows = [line.split(' ') for line in self.psql_file(self.check_sql, what).splitlines()
                if line.strip()]
        bad = [r for r in rows if len(r) != 3 or r[1] != self.head or r[2] != rows[0][2]
               or int(r[2]) == 0]
        if len(rows) != self.n or bad:
            raise BenchError(f'{what}: {len(rows)} of {self.n} databases answered; not at '
                             f'head {self.head} with {rows[0][2] if rows else "?"} relations: '
                             f'{bad[:5]}')

    def command(self, variant):
        kind, _, arg = variant.partition('-')
        pcs, targets = str(self.bins['pcs-migrate']), str(self.targets)
        if kind == 'fleet':
            return [pcs, 'migrate', '--targets', targets, '--jobs', arg]
        if kind == 'xargs':
            return ['xargs', '-a', targets, '-P', arg, '-n', '1', pcs, 'migrate',
                    '--database-url']
        if kind == 'loop':
            return ['sh', '-c', FLEET_LOOP, 'sh', targets, pcs]
        return ['sh', '-c', FLEET_FLOOR, 'sh', targets, str(self.bins['floor-connect']),
                VERSION_QUERY]

    def per_target(self, jobs):
        """Each target's own seconds, as `--format json` reports them, for apply and no-op:
        the time of the target's process, from fork to exit, inside the fleet."""
        got = {}
        self.reset()
        for op in ('apply', 'noop'):
            res = subprocess.run([*self.command(f'fleet-{jobs}'), '--format', 'json'],
                                 capture_output=True, text=True, env=clean_env())
            if res.returncode != 0:
                raise BenchError(f'fleet --jobs {jobs} --format json exited {res.returncode}: '
                                 + res.stderr.strip()[-2000:])
            lines = [json.loads(line) for line in res.stdout.splitlines() if line.strip()]
            got[op] = [x['seconds'] for x in lines if 'target' in x]
            if len(got[op]) != self.n or lines[-1].get('fleet', {}).get('ok') != self.n:
                raise BenchError(f'fleet --jobs {jobs} --format json: {len(got[op])} target '
                                 f'lines, summary {lines[-1] if lines else None}')
        return got


def measure_fleet(n, jobs, reps, cluster, log):
    """The fleet scenario: N databases migrated to head (apply), then again (no-op, every
    target at head), by the fleet at each of JOBS and by the shell baselines, REPS rounds
    after a warm-up, the order of the variants rotating from round to round."""
    t_start, load_start = time.monotonic(), os.getloadavg()
    say(f'fleet: building pcs-migrate over the PCS registry (bench/work/build-pcs, release)')
    bins = fleet_build(log)
    measurer = Measurer(bins['measure'], WORK / 'last-command.log')
    fleet = Fleet(n, cluster, bins, log)
    xargs_p = max(jobs)
    variants = [f'fleet-{j}' for j in jobs] + [f'xargs-{xargs_p}', 'loop']
    results, resets = {}, []
    try:
        for rnd in range(reps + 1):
            order = variants[rnd % len(variants):] + variants[:rnd % len(variants)]
            if rnd == 0:
                order = [f'fleet-{xargs_p}']    # the warm-up: caches, not counted
            say(f'fleet N={n}: {"warm-up round" if rnd == 0 else f"round {rnd}/{reps}"}: '
                + ', '.join(order))
            for variant in order:
                resets.append(fleet.reset())
                argv = fleet.command(variant)
                apply = measurer.run(argv, clean_env(), what=f'fleet {variant} apply')
                fleet.check(f'fleet {variant} apply')
                noop = measurer.run(argv, clean_env(), what=f'fleet {variant} no-op')
                if rnd > 0:
                    r = results.setdefault(variant, {})
                    r.setdefault('apply', []).append(apply)
                    r.setdefault('noop', []).append(noop)
            if rnd > 0:      # every database is at head now: the connect floor, per target
                results.setdefault('floor', {}).setdefault('noop', []).append(
                    measurer.run(fleet.command('floor'), clean_env(), what='fleet floor'))
        say(f'fleet N={n}: per-target times (--format json), --jobs {", ".join(map(str, jobs))}')
        per_target = {str(j): fleet.per_target(j) for j in jobs}
    finally:
        fleet.drop()
    return {'n': n, 'jobs': jobs, 'xargs_p': xargs_p, 'reps': reps, 'head': fleet.head,
            'results': results, 'per_target': per_target, 'reset_s': statistics.median(resets),
            'date': datetime.datetime.now().astimezone().strftime('%Y-%m-%d %H:%M %Z'),
            'commit': first_line(['git', '-C', SRC, 'rev-parse', '--short', 'HEAD']),
            'server': cluster.sql('SHOW server_version'), 'cpus': os.cpu_count(),
            'load_start': load_start, 'load_end': os.getloadavg(),
            'duration_s': time.monotonic() - t_start}


# ------------------------------------------------------------ machine, versions

def machine_info():
    def field(text, name, sep=':'):
        return next((line.split(sep, 1)[1].strip().strip('"') for line in text.splitlines()
                     if line.startswith(name + sep)), '?')

    lscpu = output(['lscpu']) or ''
    mem = field(pathlib.Path('/proc/meminfo').read_text(), 'MemTotal').split()[0]
    os_release = pathlib.Path('/etc/os-release')
    osname = field(os_release.read_text(), 'PRETTY_NAME', '=') if os_release.exists() else '?'
    return {'cpu': field(lscpu, 'Model name'), 'cpus': field(lscpu, 'CPU(s)'),
            'hypervisor': field(lscpu, 'Hypervisor vendor'),
            'memory': f'{int(mem) / 1024 / 1024:.1f} GiB', 'kernel': platform.release(),
            'os': osname}


def first_line(argv):
    out = output(argv)
    return out.splitlines()[0].strip() if out else 'not available'


def versions(paths, pcs_bin, cluster):
    v = {
        'pcs-migrate': first_line([pcs_bin, '--version']),
        'git commit': first_line(['git', '-C', SRC, 'rev-parse', '--short', 'HEAD'])
        if (SRC / '.git').exists() else 'not a git checkout',
        'runtime sources (sha256 of runtime/)': runtime_digest(),
        'PostgreSQL server': cluster.sql('SHOW server_version'),
        'libpq (libpq5)': first_line(['dpkg-query', '-W', '-f', '${Version}', 'libpq5']),
        'psql': first_line(['psql', '--version']),
        'gcc': first_line(['gcc', '--version']),
        'meson': first_line(['meson', '--version']),
        'ninja': first_line(['ninja', '--version']),
        'python3 (generator, bench)': first_line(['python3', '--version']),
    }
    if 'alembic' in paths:
        v['Alembic / SQLAlchemy / psycopg2 (' + DEBIAN_PYTHON + ')'] = first_line(
            [DEBIAN_PYTHON, '-c', 'import sys, alembic, sqlalchemy, psycopg2; '
             'print(alembic.__version__, "/", sqlalchemy.__version__, "/", '
             'psycopg2.__version__.split()[0], "on Python", sys.version.split()[0])'])
    if 'dbmate' in paths:
        v['dbmate (npm package, Go binary)'] = first_line([paths['dbmate'], '--version'])
    if 'sqitch' in paths:
        v['sqitch / DBD::Pg'] = first_line(['sqitch', '--version']) + ' / ' + first_line(
            ['perl', '-MDBD::Pg', '-e', 'print $DBD::Pg::VERSION'])
    if 'gnuplot' in paths:
        v['gnuplot'] = first_line([paths['gnuplot'], '--version'])
    return v


def runtime_digest():
    h = hashlib.sha256()
    for p in sorted((SRC / 'runtime').rglob('*')):
        if p.is_file():
            h.update(str(p.relative_to(SRC)).encode() + b'\0' + p.read_bytes())
    return h.hexdigest()[:16]


def footprint(ns, bins_of):
    """Binary sizes, the library closure of pcs-migrate and the floors' libpq."""
    def ldd(binary):
        return output(['ldd', str(binary)]) or ''

    def libpq(binary):
        return next((os.path.realpath(line.split('=>')[1].split('(')[0].strip())
                     for line in ldd(binary).splitlines() if 'libpq.so' in line), 'none')

    largest = bins_of(max(ns))
    return {
        'sizes': {str(n): os.path.getsize(bins_of(n)['pcs-migrate']) for n in ns},
        'ldd': [l.strip().split(' (0x')[0] for l in ldd(largest['pcs-migrate']).splitlines()],
        'libpq': {k: libpq(largest[k]) for k in ('pcs-migrate', 'floor-connect',
                                                  'floor-pipeline')},
        'measure_baseline_kb': None,
    }


# ------------------------------------------------------------------ report

def median(samples, index=0):
    return statistics.median(s[index] for s in samples) if samples else None


def fmt_s(secs):
    if secs is None:
        return 'n/a'
    if secs < 0.01:
        return f'{secs * 1000:.2f} ms'
    if secs < 1:
        return f'{secs * 1000:.1f} ms'
    return f'{secs:.2f} s'


def fmt_ratio(r):
    return 'n/a' if r is None else f'{r:.2f}×'


def ratio(a, b):
    return a / b if a is not None and b else None


def fmt_mib(kb):
    return 'n/a' if kb is None else f'{kb / 1024:.1f} MiB'


def cell(results, n, tool, op, index=0):
    return median(results.get(str(n), {}).get(tool, {}).get(op, []), index)


def floor_of(tool, op):
    """The floor that TOOL's OP is a ratio to."""
    return 'floor-connect' if op == 'noop' else FLOOR_OF.get(tool)


def targets(data):
    """(what, measured, reference, ratio or value, target, met) rows."""
    res, ns, rows = data['results'], data['ns'], []

    def row(what, a, b, limit, fmt=fmt_s):
        r = ratio(a, b)
        rows.append((what, fmt(a), fmt(b), fmt_ratio(r), f'≤ {limit}×',
                     'n/a' if r is None else ('met' if r <= limit else 'not met')))

    def shown(what, a, b):
        rows.append((what, fmt_s(a), fmt_s(b), fmt_ratio(ratio(a, b)), '(shown)', '—'))

    modes = (('pcs-migrate', 'one transaction', 'one-transaction floor'),
             ('pcs-migrate-tpm', '`--transaction-per-migration`', 'per-migration floor'))
    for n in ns:
        row(f'no-op `migrate` at head, N={n} vs libpq floor',
            cell(res, n, 'pcs-migrate', 'noop'), cell(res, n, 'floor-connect', 'noop'), 1.05)
    for op, name, big in (('apply', 'apply', True), ('downgrade', 'downgrade all', False)):
        for tool, mode, floor in modes:
            for n in ns:
                if n >= 300 or not big:
                    row(f'{name} N={n}, {mode}, vs {floor}', cell(res, n, tool, op),
                        cell(res, n, FLOOR_OF[tool], op), 1.3)
    for n in ns:
        if n >= 300:
            shown(f'apply N={n}, one transaction, vs psql --single-transaction',
                  cell(res, n, 'pcs-migrate', 'apply'), cell(res, n, 'floor-psql', 'apply'))
    for n in ns:
        row(f'peak RSS, no-op N={n} vs libpq floor', cell(res, n, 'pcs-migrate', 'noop', 1),
            cell(res, n, 'floor-connect', 'noop', 1), 1.1, fmt_mib)
    for tool, mode, floor in modes:
        for n in ns:
            row(f'peak RSS, apply N={n}, {mode}, vs {floor}', cell(res, n, tool, 'apply', 1),
                cell(res, n, FLOOR_OF[tool], 'apply', 1), 1.1, fmt_mib)
    long = data.get('long')
    if long and long.get('results'):
        lres = {str(long['n']): long['results']}
        for op, name in (('apply', 'apply'), ('downgrade', 'downgrade all')):
            for tool, mode, floor in modes:
                shown(f'{name} N={long["n"]:,}, {mode}, vs {floor}',
                      cell(lres, long['n'], tool, op),
                      cell(lres, long['n'], FLOOR_OF[tool], op))
    scale = data.get('scale')
    if scale:
        for what, key, limit in (('generator (gen_registry.py)', 'generator', 1.0),
                                 ('`pcs-migrate history`', 'history', 0.020)):
            m = median(scale['samples'][key])
            rows.append((f'{what} on {scale["n"]:,} revisions', fmt_s(m), '—', '—',
                         f'< {fmt_s(limit)}', 'met' if m < limit else 'not met'))
    return rows


def table(header, rows):
    lines = ['| ' + ' | '.join(header) + ' |', '|' + '|'.join(' --- ' for _ in header) + '|']
    lines += ['| ' + ' | '.join(map(str, r)) + ' |' for r in rows]
    return '\n'.join(lines)


def label(tool):
    return f'**{LABELS[tool]}**' if tool in PCS_TOOLS else LABELS[tool]


def time_table(data, op):
    """Rows of tools, columns of N: median (ratio to the tool's floor, rounds if fewer)."""
    res, ns = data['results'], data['ns']
    tools = [t for t in TOOLS if any(cell(res, n, t, op) is not None for n in ns)]
    if op == 'noop':
        tools.append('floor-connect')
    rows = []
    for t in tools:
        cells = []
        for n in ns:
            m, f = cell(res, n, t, op), cell(res, n, floor_of(t, op), op)
            count = len(res.get(str(n), {}).get(t, {}).get(op, []))
            few = f', {count} round{"s" if count > 1 else ""}' \
                if count < data['reps'] and t in OTHER_TOOLS else ''
            cells.append('n/a' if m is None else f'{fmt_s(m)} ({fmt_ratio(ratio(m, f))}{few})')
        rows.append([label(t), *cells])
    return table(['tool', *[f'N = {n:,}' for n in ns]], rows)


def others_table(data):
    """The peers over pcs-migrate in the same mode as theirs: a transaction per revision."""
    res, ns = data['results'], data['ns']
    rows = []
    for t in OTHER_TOOLS:
        for op, name in (('apply', 'apply'), ('noop', 'no-op'), ('downgrade', 'downgrade all')):
            vals = [ratio(cell(res, n, t, op), cell(res, n, 'pcs-migrate-tpm', op)) for n in ns]
            if any(v is not None for v in vals):
                rows.append([LABELS[t], name, *[fmt_ratio(v) for v in vals]])
    return table(['tool', 'operation', *[f'N = {n:,}' for n in ns]], rows) if rows else \
        '(no other tool was measured)'


def rss_table(data):
    """Peak RSS, and in parentheses its ratio to the peak RSS of the tool's floor."""
    res, ns = data['results'], data['ns']
    rows = []
    for t in TOOLS + ['floor-connect']:
        cells = []
        for op in ('apply', 'noop', 'downgrade'):
            for n in ns:
                m = cell(res, n, t, op, 1)
                f = cell(res, n, floor_of(t, op) if t != 'floor-connect' else t, op, 1)
                cells.append('—' if m is None else f'{fmt_mib(m)} ({fmt_ratio(ratio(m, f))})')
        if any(c != '—' for c in cells):
            rows.append([label(t), *cells])
    header = ['tool'] + [f'{op} N={n:,}' for op in ('apply', 'no-op', 'downgrade') for n in ns]
    return table(header, rows)


def why(error):
    """The line of an error's text that says what went wrong (the last such)."""
    lines = [x.strip() for x in error.splitlines() if x.strip()]
    return next((x for x in reversed(lines) if re.search(r'error|fatal', x, re.I)),
                lines[-1] if lines else '?')


def long_section(data):
    """The scale table: the long chain, each tool's median and ratio to its floor."""
    long = data['long']
    n = long['n']
    lines = [f'## Scale: a chain of {n:,} revisions', '']
    if 'build_error' in long:
        return lines + [f'Not measured: the build of the {n:,}-revision chain failed: '
                        f'`{why(long["build_error"])}` (bench/work/setup.log has the rest).',
                        '']
    res = {str(n): long.get('results', {})}
    rounds = long['reps']
    locks = data.get('settings', {}).get('max_locks_per_transaction')
    lines += [
        f'The same revisions as above, {n:,} of them, built in '
        f'{fmt_s(long["build_s"])} ({"a clean" if long.get("build_fresh") else "an incremental"}'
        f' meson setup + ninja); median of {rounds} round{"s" if rounds > 1 else ""} (at most '
        '3 at this length), ratios to each tool\'s floor as in the tables above; peak RSS '
        'of apply with its ratio to the floor\'s. Alembic, dbmate and sqitch play here only '
        'when one round, projected from their round at the largest N above, fits in their '
        f'budget ({data["budget"]:.0f} s).'
        + (f' The cluster runs with `max_locks_per_transaction = {locks}` (default 64): one '
           f'transaction over {n:,} revisions holds about {5 * n:,} locks, more than a '
           'server with the default holds (see How it is measured).' if locks else ''),
        '',
    ]
    rows = []
    for t in TOOLS + ['floor-connect']:
        if t in long.get('failed', {}):
            rows.append([label(t), f'failed: `{why(long["failed"][t])}`', '', '', ''])
            continue
        if t in long.get('skipped', {}):
            p = long['skipped'][t]
            rows.append([label(t), 'not played: ' + (
                f'one round projected at {fmt_s(p)}' if p is not None
                else 'no smaller N measured to project from'), '', '', ''])
            continue
        cells = []
        for op in ('apply', 'noop', 'downgrade'):
            m = cell(res, n, t, op)
            f = cell(res, n, floor_of(t, op) if t != 'floor-connect' else t, op)
            cells.append('—' if m is None else f'{fmt_s(m)} ({fmt_ratio(ratio(m, f))})')
        m, f = cell(res, n, t, 'apply', 1), cell(res, n, FLOOR_OF.get(t), 'apply', 1)
        cells.append('—' if m is None else f'{fmt_mib(m)} ({fmt_ratio(ratio(m, f))})')
        if any(c != '—' for c in cells):
            rows.append([label(t), *cells])
    return lines + [table(['tool', 'apply', 'no-op', 'downgrade all', 'peak RSS, apply'],
                          rows), '']


def plot(data, out, gnuplot):
    """benchmarks-apply.png and benchmarks-downgrade.png: median time against N."""
    if not gnuplot or len(data['ns']) < 2:
        return []
    res, ns, made = data['results'], data['ns'], []
    for op, title in (('apply', 'apply N revisions from empty'),
                      ('downgrade', 'downgrade N revisions to base')):
        tools = [t for t in TOOLS if all(cell(res, n, t, op) is not None for n in ns)]
        dat = WORK / f'plot-{op}.dat'
        dat.write_text('\n'.join(' '.join([str(n)] + [f'{cell(res, n, t, op):.6f}' for t in tools])
                                 for n in ns) + '\n')
        png = out.with_name(f'{out.stem}-{op}.png')
        plots = ', '.join(f"'{dat}' using 1:{i + 2} with linespoints lw {3 if i == 0 else 2} "
                          f"lc rgb '{COLOURS[t]}' title '{LABELS[t]}'" for i, t in enumerate(tools))
        script = (f"set terminal pngcairo size 900,560 font ',10'\nset output '{png}'\n"
                  f"set title 'pcs-migrate benchmark: {title} (medians)'\n"
                  "set logscale xy\nset xlabel 'N (revisions)'\nset ylabel 'seconds'\n"
                  "set key top left\nset grid\n"
                  f"set xtics ({', '.join(str(n) for n in ns)})\nplot {plots}\n")
        res_run = subprocess.run([gnuplot], input=script, text=True, capture_output=True)
        if res_run.returncode == 0:
            made.append(png)
        else:
            say(f'gnuplot failed: {res_run.stderr.strip()}')
    return made


def busy_warning(data):
    """A warning paragraph when the host was not idle during the run."""
    cpus, before, after = os.cpu_count() or 1, data['load_start'][0], data['load_end'][0]
    if before <= cpus / 2 and after <= cpus:      # the bench itself adds about 1
        return []
    return [f'**The host was busy** (load average {before:.1f} before the run, {after:.1f} at '
            f'its end, on {cpus} CPUs; the bench itself adds about 1): the figures are noisy. '
            'The ratios hold up better than the absolute times, as all tools share each round, '
            'but rerun on an idle machine before reading much into them.',
            '']


def fleet_section(f):
    """The '## Fleet' section of the report, from measure_fleet()'s data."""
    res, n, reps = f['results'], f['n'], f['reps']
    med = {v: {op: median(s) for op, s in ops.items()} for v, ops in res.items()}
    loop = med.get('loop', {})
    variants = [f'fleet-{j}' for j in f['jobs']] + [f'xargs-{f["xargs_p"]}', 'loop']

    def rate(secs):
        return 'n/a' if not secs else f'{n / secs:.1f}'

    def spread(v, op):
        samples = res.get(v, {}).get(op, [])
        if len(samples) < 2:
            return ''
        lo, hi = min(x[0] for x in samples), max(x[0] for x in samples)
        return f' ({fmt_s(lo)} to {fmt_s(hi)})'

    def rows():
        for v in variants:
            cells = [f'**{fleet_label(v)}**' if v.startswith('fleet') else fleet_label(v)]
            for op in ('apply', 'noop'):
                m = med.get(v, {}).get(op)
                cells += [fmt_s(m) + spread(v, op), rate(m), fmt_ratio(ratio(loop.get(op), m))]
            yield cells
        m = med.get('floor', {}).get('noop')
        yield [fleet_label('floor'), '—', '—', '—', fmt_s(m) + spread('floor', 'noop'), rate(m),
               fmt_ratio(ratio(loop.get('noop'), m))]

    def per_db(v, op):
        m = med.get(v, {}).get(op)
        return None if m is None else m / n

    def per_target(j, op):
        s = f['per_target'].get(str(j), {}).get(op)
        return statistics.median(s) if s else None

    j1, jmax = min(f['jobs']), max(f['jobs'])
    fl1, flmax = f'fleet-{j1}', f'fleet-{jmax}'
    cpus = f['cpus']
    load = ', '.join(f'{x:.2f}' for x in f['load_start'])
    load_end = ', '.join(f'{x:.2f}' for x in f['load_end'])
    busy = f['load_start'][0] > cpus / 2 or f['load_end'][0] > cpus
    lines = [
        '## Fleet',
        '',
        f'One server, **{n} databases**, each migrated to head of the PCS registry (the real '
        f'`migrations/`, head `{f["head"]}`; a release build of `pcs-migrate` in '
        'bench/work/build-pcs), then the same command again with every database already at '
        'head (the no-op path: one connection and one query per target). Measured on '
        f'{f["date"]} at commit {f["commit"]}, PostgreSQL {f["server"]}, in '
        f'{fmt_s(f["duration_s"])}; **{cpus} CPUs** for everything (the client processes and '
        'the server\'s backends share them), so parallel figures say what 2 cores give, not '
        f'what a larger host would. Median of {reps} round{"s" if reps > 1 else ""}; load '
        f'average (1, 5, 15 min) before: {load}; after: {load_end}.'
        + (' **The host was busy**: the absolute figures are noisy; the ratios, from the same '
           'rounds, hold up better.' if busy else ''),
        '',
        'Reproduce: `bench/run --fleet-only` (this section only, spliced into this file; '
        '`--fleet-n 200 --fleet-jobs 1,4,8 --reps R`), or as part of a whole `bench/run`; '
        '`bench/run --quick --fleet-only` is a smoke test (20 databases, one round).',
        '',
        f'"× loop" is the rate over the shell loop\'s rate, the loop measured in the same '
        'rounds (2.00× = twice as many databases per second). Times are medians, the '
        'fastest and slowest round in parentheses.',
        '',
        table(['how', 'apply', 'DB/s', '× loop', 'no-op rerun', 'DB/s', '× loop'], rows()),
        '',
        '### What the figures mean, and where the time goes',
        '',
    ]
    loop_a, loop_n, fl_a, fl_n = per_db('loop', 'apply'), per_db('loop', 'noop'), \
        per_db(fl1, 'apply'), per_db(fl1, 'noop')
    floor_n = per_db('floor', 'noop')
    pt_a, pt_n = per_target(j1, 'apply'), per_target(j1, 'noop')
    ptm_a, ptm_n = per_target(jmax, 'apply'), per_target(jmax, 'noop')
    if None not in (loop_a, loop_n, fl_a, fl_n, floor_n, pt_a, pt_n, ptm_a, ptm_n):
        faster = fl_a < loop_a and fl_n < loop_n
        par_a = ratio(med[fl1]['apply'], med[flmax]['apply'])
        par_n = ratio(med[fl1]['noop'], med[flmax]['noop'])
        lines += [
            f'- **One database at a time.** The shell loop takes {fmt_s(loop_a)} per '
            f'database to apply and {fmt_s(loop_n)} at head; `--jobs {j1}` takes '
            f'{fmt_s(fl_a)} and {fmt_s(fl_n)}. Each single run of the loop is a fork and '
            'exec of a new `pcs-migrate`: the dynamic loader maps libpq and its closure (see '
            'Footprint) and the registry is set up before the run connects. The fleet does '
            'that once and forks a child per target that runs the same code without an exec; '
            'the database work is the same. '
            + ('That start-up is what `--jobs 1` saves here.' if faster else
               'In this run the medians do not separate the two beyond the noise (the ranges '
               'in the table overlap); the times inside the fleet, next, are steadier.'),
            f'- **Where a target\'s time goes.** Inside the fleet (`--format json`, each '
            f'target\'s `seconds`, fork to exit of its process; median of the {n} targets in '
            f'one extra run per `--jobs`), a target takes {fmt_s(pt_a)} to apply and '
            f'{fmt_s(pt_n)} at head with `--jobs {j1}`. At head it connects (the server forks '
            'a backend), reads the version table and the history\'s checksums in one query '
            'and exits; the apply adds the schema\'s DDL, the bookkeeping and the commit, '
            f'{fmt_s(pt_a - pt_n)}.'
            + (' So even applying, most of a target\'s time is the connection, not the '
               'migration.' if pt_a < 2 * pt_n else ''),
            f'- **The connection floor.** A shell loop of `bench-floor-connect` (exec, '
            'connect, `SELECT version_num FROM alembic_version`, exit) takes '
            f'{fmt_s(floor_n)} per database: a process and a connection. A fleet target at '
            f'head takes {fmt_ratio(ratio(pt_n, floor_n))} that, measured from inside the '
            'fleet.',
            f'- **Parallelism.** `--jobs {jmax}` over `--jobs {j1}`: {fmt_ratio(par_a)} the rate '
            f'to apply, {fmt_ratio(par_n)} at head. The host has {cpus} CPUs for the clients '
            'and the server\'s backends together, so more jobs help only while some of them '
            f'would otherwise wait: a target\'s own time grows from {fmt_s(pt_a)} with '
            f'`--jobs {j1}` to {fmt_s(ptm_a)} with `--jobs {jmax}` to apply, and from '
            f'{fmt_s(pt_n)} to {fmt_s(ptm_n)} at head, as {jmax} of them share the CPUs. '
            f'`xargs -P {f["xargs_p"]}`, the strongest shell baseline, overlaps as much but '
            'pays a whole process start per target.',
            f'- **Not timed:** the reset, which drops and recreates the {n} databases before '
            f'every variant of every round (`CREATE DATABASE … STRATEGY FILE_COPY`; median '
            f'{fmt_s(f["reset_s"])}), and the check after every apply that each database is '
            f'at head `{f["head"]}` with the same relations in `public` as the others.',
            '',
        ]
    lines += [
        'How: the bench\'s own cluster (tmpfs, trust, TCP on 127.0.0.1, see below); the '
        'targets file holds one URL per database (`postgresql://USER@127.0.0.1:PORT/'
        'bench_fleet_NNNN?sslmode=disable`); every variant of a round starts from the same '
        f'{n} empty databases; a round runs the variants in an order rotated from the '
        'previous round\'s, after one uncounted warm-up run. Wall time of the whole '
        'command by bench-measure, output to a log file; any failed target fails the '
        'bench (the loop stops at the first, `xargs` exits 123, the fleet exits non-zero).',
        '',
    ]
    return lines


def splice_section(text, section):
    """TEXT with its '## Fleet' section replaced by SECTION (lines), or SECTION inserted
    before '## How it is measured' (at the end when that is missing)."""
    lines = text.splitlines()
    start = next((i for i, line in enumerate(lines) if line == '## Fleet'), None)
    if start is not None:
        end = next((i for i in range(start + 1, len(lines)) if lines[i].startswith('## ')),
                   len(lines))
    else:
        start = end = next((i for i, line in enumerate(lines)
                            if line == '## How it is measured'), len(lines))
    return '\n'.join(lines[:start] + section + lines[end:]) + '\n'


def report(data, out, pngs):
    m, v, fp, scale = data['machine'], data['versions'], data['footprint'], data.get('scale')
    locks = data.get('settings', {}).get('max_locks_per_transaction')
    mins, secs = divmod(int(data['duration_s']), 60)
    lines = [
        '# Benchmarks',
        '',
        f'Written by `bench/run` (bench/bench.py) on {data["date"]}; the whole run took '
        f'**{mins} min {secs} s** ({data["reps"]} round{"s" if data["reps"] > 1 else ""}, N = '
        f'{", ".join(f"{n:,}" for n in data["ns"])}{", --quick" if data["quick"] else ""}).',
        'Rerun it with `bench/run` (options: `--reps R`, `--n 1,300,1000`, `--quick`, '
        '`--tools`, `--budget S`, `--long-n N`, `--scale-n N`, `--fleet-n N`, '
        '`--fleet-jobs 1,4,8`, '
        '`--fleet-only`, `--no-install`, `--report-only`; see '
        '`bench/run --help`) or '
        '`meson compile -C build bench`. Timings are reported here and never asserted in tests.',
        'Why the figures are what they are, and profiles of the targets not met: '
        '[performance.md](performance.md).',
        '',
        *busy_warning(data),
        '## Targets',
        '',
        'Ratios are median over median, from the same run.',
        '',
        table(['measure', 'pcs-migrate', 'floor', 'ratio', 'target', ''], targets(data)),
        '',
        '## Time',
        '',
        f'Median of {data["reps"]} round{"s" if data["reps"] > 1 else ""}; in parentheses the '
        'ratio to the floor of the same kind: for apply and downgrade the revisions\' bare DDL '
        'pipelined by libpq in as many transactions as the tool commits (pcs-migrate: one '
        'transaction; pcs-migrate `--transaction-per-migration`, Alembic, dbmate and sqitch: '
        'one per revision; psql: one), for the no-op a connect + `SELECT version_num FROM '
        'alembic_version`. Alembic, dbmate and sqitch may take fewer rounds '
        f'(noted in the cell): each has {data["budget"]:.0f} s per N and plays another round '
        'only while it fits (`--budget`). Load average (1, 5, 15 min) before the run: '
        f'{", ".join(f"{x:.2f}" for x in data["load_start"])}; at the end: '
        f'{", ".join(f"{x:.2f}" for x in data["load_end"])}.',
        '',
        '### Apply N revisions to an empty database',
        '',
        time_table(data, 'apply'),
        '',
        '### No-op run at head (the pod-restart case)',
        '',
        f'pcs-migrate: `migrate` (and `migrate --transaction-per-migration`); Alembic: '
        '`upgrade head`; dbmate: `migrate`; sqitch: `deploy`. Each mode of pcs-migrate and '
        f'the floor take {NOOP_PAIRS} samples each per round, alternating.',
        '',
        time_table(data, 'noop'),
        '',
        '### Downgrade all N revisions to base',
        '',
        'pcs-migrate: `downgrade base` (and `downgrade base --transaction-per-migration`); '
        'Alembic: `downgrade base`; sqitch: `revert -y`; '
        'dbmate has no command that rolls back everything, so its figure is the sum of N '
        '`dbmate rollback` runs (one process each).',
        '',
        time_table(data, 'downgrade'),
        '',
    ]
    for png in pngs:
        lines += [f'![{png.stem}]({png.name})', '']
    lines += [
        '### Other tools relative to pcs-migrate',
        '',
        'Median of the tool over median of pcs-migrate `--transaction-per-migration`, same N '
        'and operation: like for like, as each of them commits every revision on its own.',
        '',
        others_table(data),
        '',
        *(long_section(data) if data.get('long') else []),
        '## Peak RSS',
        '',
        'Largest `ru_maxrss` of the measured process (and its children: psql for sqitch), '
        'median over the rounds; in parentheses the ratio to the peak RSS of the tool\'s '
        'floor in the same run (the floor that its time is a ratio to). '
        'bench-measure spawns each command from a small C launcher: '
        'spawned straight from python a child reports python\'s own RSS as its peak. '
        f'The launcher\'s floor (`/bin/true`): {fmt_mib(fp.get("measure_baseline_kb"))}.',
        '',
        rss_table(data),
        '',
        '## Footprint',
        '',
        table(['N (revisions compiled in)', 'pcs-migrate size (release, not stripped)'],
              [[f'{int(n):,}', f'{b:,} bytes ({b / 1024:.0f} KiB)']
               for n, b in fp['sizes'].items()]
              + ([[f'{scale["n"]:,}', f'{scale["binary_bytes"]:,} bytes '
                   f'({scale["binary_bytes"] / 1024:.0f} KiB)']] if scale else [])),
        '',
        f'Runtime library closure (`ldd pcs-migrate`), {len(fp["ldd"])} entries:',
        '',
        '```',
        *fp['ldd'],
        '```',
        '',
        'libpq that each binary loads: ' + '; '.join(f'{k}: `{p}`' for k, p in fp['libpq'].items())
        + (' (the same)' if len(set(fp['libpq'].values())) == 1 else ' (**they differ**)') + '.',
        '',
    ]
    if scale:
        s = scale['samples']
        lines += [
            f'## Build side: {scale["n"]:,} revisions',
            '',
            table(['step', 'time'], [
                [f'generator: `gen_registry.py` writes the registry (as the build runs it, '
                 f'with `{scale.get("python", "python3")}`), median',
                 fmt_s(median(s['generator']))],
                ['generator: `--check-list` (meson runs it at configure time), median',
                 fmt_s(median(s['check-list']))],
                ['clean `meson setup` (release)', fmt_s(scale['setup_s'])],
                [f'clean `ninja` (all targets, {os.cpu_count()} CPUs)', fmt_s(scale['build_s'])],
                ['full clean build (setup + ninja)', fmt_s(scale['setup_s'] + scale['build_s'])],
                [f'`pcs-migrate history`, median of {len(s["history"])}',
                 fmt_s(median(s['history']))],
                [f'`pcs-migrate heads`, median of {len(s["heads"])}', fmt_s(median(s['heads']))],
            ]),
            '',
        ]
    if data.get('fleet'):
        lines += fleet_section(data['fleet'])
    lines += [
        '## How it is measured',
        '',
        f'- A throwaway PostgreSQL cluster started by the bench: data directory on '
        f'{"tmpfs (/dev/shm)" if data["tmpfs"] else "a temporary directory (no /dev/shm!)"}, '
        '`trust` authentication, TCP on 127.0.0.1; every tool gets the same URL '
        '(`postgresql://USER@127.0.0.1:PORT/DB?sslmode=disable`, spelt as each tool wants it). '
        'Otherwise initdb\'s defaults (`initdb -A trust -E UTF8 --locale=C --no-sync`; fsync '
        'stays on, which costs little on tmpfs).',
        '- Every revision creates one table (uuid primary key defaulting to '
        '`gen_random_uuid()`, `varchar(255) NOT NULL`, `jsonb`, `boolean NOT NULL DEFAULT true`, '
        '`timestamptz NOT NULL DEFAULT now()`) and one index; its downgrade drops the index and '
        'the table. pcs-migrate compiles them as C revisions (bench/work/chainN, one release '
        'build per N); dbmate and sqitch run the very DDL of pcs-migrate\'s offline script '
        '(its bookkeeping left out, as for the floors); '
        'Alembic runs `op.create_table`/`op.create_index` revisions (byte-compiled ahead, as '
        'an installed application\'s would be). Each tool is checked once per N, outside the '
        'timings: after apply it must leave the same columns, types, defaults and indexes as '
        'the others, after its downgrade nothing.',
        '- The apply and downgrade floors run the revisions\' own DDL and nothing else: '
        'pcs-migrate\'s offline script (`upgrade --sql base:head`, `downgrade --sql '
        'head:base`) without what pcs-migrate adds, i.e. its BEGIN/COMMIT, its preamble (`SET '
        'client_encoding` and the `CREATE TABLE IF NOT EXISTS` of alembic_version and '
        'pcs_migrate_history) and, per revision, the version row and the history row. '
        'bench.py splits the script into statements (quotes, dollar quotes and comments '
        'respected) and sections (`-- Running upgrade …`), recognises each left-out statement '
        'by the version and history table names and checks the counts: 3 in the preamble, 2 '
        'per revision left out, 2 per revision kept, each about its own table. The floors '
        'take no lock and write no version: the least that applying these revisions costs. '
        'bench-floor-pipeline (libpq pipeline mode, one statement per `PQsendQueryParams`, one '
        'sync at the end) runs them in one transaction (the floor of pcs-migrate\'s default) '
        'and with `--per-migration` in a BEGIN/COMMIT per revision, all in the same pipeline '
        '(the floor of `--transaction-per-migration` and of the peers); psql runs them '
        '`-X -q -v ON_ERROR_STOP=1 --single-transaction -f`. The no-op floor, '
        'bench-floor-connect, connects and runs `SELECT version_num FROM alembic_version`: '
        'the one query a no-op run needs.',
        '- `max_locks_per_transaction`: '
        + (f'{locks} (default 64), raised for the longest chain' if locks else
           'the default, 64, as the longest chain here fits in it')
        + ': one transaction holds about 5 locks per revision (the table, its TOAST table '
        'and index, the primary key, the index), the lock table holds '
        'max_locks_per_transaction × max_connections (100), and the bench provides 8 per '
        'revision of the longest chain, so that the one-transaction runs (pcs-migrate\'s '
        'default, the floors) of every chain complete. With the default, one transaction over '
        'these revisions failed at the 2,550th (SQLSTATE 53200, out of shared memory; '
        'measured once, on PostgreSQL 15 with initdb\'s defaults, by psql '
        '`--single-transaction` on 3,000 of them; 2,000 passed): the lock table borrows '
        'from spare shared memory, so 64 × 100 / 5 = 1,280 is only a lower bound.',
        '- Each round runs every tool on a fresh database: apply, no-op, downgrade; the order '
        'of the tools rotates from round to round, so a slow spell of the host hits all alike. '
        'A warm-up round comes first and is not counted; Alembic, dbmate and sqitch skip it '
        'when their round at the previous N, scaled to this N, would take more than half '
        'their budget (they are then checked in their first round).',
        '- Wall time from spawn to exit, measured by bench-measure (C), the child\'s output '
        'going to a log file.',
        '',
        '## Transactions per tool',
        '',
        table(['tool', 'transactions'], [[LABELS[t], TRANSACTIONS[t]] for t in TOOLS]),
        '',
        '## Machine and versions',
        '',
        table(['', ''], [['CPU', f'{m["cpu"]} ({m["cpus"]} CPUs'
                          + (f', {m["hypervisor"]} guest' if m['hypervisor'] != '?' else '') + ')'],
                         ['memory', m['memory']], ['kernel', m['kernel']], ['OS', m['os']]]
              + [[k, val] for k, val in v.items()]),
        '',
    ]
    if data['notes']:
        lines += ['## Not measured', '',
                  *[f'- {LABELS.get(t, t)}: {why}' for t, why in data['notes'].items()], '']
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text('\n'.join(lines))


# -------------------------------------------------------------------- main

def parse_args(argv):
    p = argparse.ArgumentParser(description=__doc__.split('\n\n')[0],
                                formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument('--reps', type=int, help='measured rounds per N (default 5)')
    p.add_argument('--n', help='comma-separated chain lengths (default 1,300,1000)')
    p.add_argument('--quick', action='store_true',
                   help='smoke test: N=1,10, one round, 100-revision build scale; '
                        'writes bench/work/benchmarks-quick.md unless --out is given')
    p.add_argument('--tools', default=','.join(['pcs-migrate'] + OTHER_TOOLS),
                   help='tools besides the floors (default pcs-migrate,alembic,dbmate,sqitch; '
                        'pcs-migrate: both of its modes)')
    p.add_argument('--no-install', dest='install', action='store_false',
                   help='do not apt-get/npm install missing tools')
    p.add_argument('--budget', type=float, default=90,
                   help='seconds per N that Alembic, dbmate and sqitch may take before they '
                        'sit out further rounds (default 90; pcs-migrate and the floors '
                        'always take every round)')
    p.add_argument('--long-n', type=int,
                   help='revisions of the long chain of the scale table (default 5000; '
                        '--quick: 100; 0 skips it); at most 3 rounds')
    p.add_argument('--scale-n', type=int,
                   help='revisions for the build-side scale (default 2000; 0 skips it)')
    p.add_argument('--fleet-n', type=int,
                   help='databases of the fleet scenario (default 200; --quick: 20; 0 skips it)')
    p.add_argument('--fleet-jobs',
                   help='--jobs values of the fleet scenario (default 1,4,8; --quick: 1,4); '
                        'the largest is also xargs -P')
    p.add_argument('--fleet-only', action='store_true',
                   help='measure only the fleet scenario and write its section into the '
                        'existing report, leaving the rest of it as it is')
    p.add_argument('--out', type=pathlib.Path,
                   help='report path (default docs/benchmarks.md; plots next to it)')
    p.add_argument('--report-only', action='store_true',
                   help='rewrite the report from bench/work/results.json without measuring')
    a = p.parse_args(argv)
    a.reps = a.reps if a.reps is not None else (1 if a.quick else 5)
    a.ns = [int(x) for x in (a.n or ('1,10' if a.quick else '1,300,1000')).split(',')]
    a.scale_n = a.scale_n if a.scale_n is not None else (100 if a.quick else 2000)
    a.long_n = a.long_n if a.long_n is not None else (100 if a.quick else 5000)
    a.out = a.out or (WORK / 'benchmarks-quick.md' if a.quick else SRC / 'docs' / 'benchmarks.md')
    a.tools = [t.strip() for t in a.tools.split(',') if t.strip()]
    a.fleet_n = a.fleet_n if a.fleet_n is not None else (20 if a.quick else 200)
    a.fleet_jobs = sorted({int(x) for x in (a.fleet_jobs or ('1,4' if a.quick else '1,4,8'))
                           .split(',')})
    if a.fleet_n < 0 or a.fleet_jobs[0] < 1 or (a.fleet_only and a.fleet_n == 0):
        p.error('bad --fleet-n/--fleet-jobs (values must be positive)')
    unknown = set(a.tools) - set(TOOLS)
    if unknown or a.reps < 1 or any(n < 1 for n in a.ns) or a.long_n < 0:
        p.error(f'bad --tools/--reps/--n ({", ".join(unknown) or "values must be positive"})')
    return a


def on_signal(signum, frame):
    print(f'bench: {signal.Signals(signum).name}: stopping the cluster', file=sys.stderr)
    sys.exit(128 + signum)


def main(argv):
    args = parse_args(argv)
    out, load_start = args.out.resolve(), os.getloadavg()
    if args.fleet_only:
        return fleet_only(args, out)
    if args.report_only:
        data = json.loads(RESULTS.read_text())
        report(data, out, plot(data, out, shutil.which('gnuplot')))
        print(out)
        return 0
    WORK.mkdir(parents=True, exist_ok=True)
    log = WORK / 'setup.log'
    log.write_text('')
    for sig in (signal.SIGTERM, signal.SIGHUP):
        signal.signal(sig, on_signal)     # so that finally stops the cluster

    paths, notes = find_tools(args.tools, args.install, log)
    # Both modes of pcs-migrate when it is asked for (--tools pcs-migrate).
    tools = [t for t in TOOLS if t in FLOORS or (t not in notes and (
        t in args.tools or (t == 'pcs-migrate-tpm' and 'pcs-migrate' in args.tools)))]
    helpers = ['pcs-migrate', 'bench/bench-floor-connect', 'bench/bench-floor-pipeline',
               'bench/bench-measure']
    for n in args.ns:
        say(f'building pcs-migrate over {n} revisions (bench/work/build-{n}, release)')
        meson_build(n, build_dir(n), helpers, log)
    long = None
    if args.long_n:
        # Its build failing is a result of the scale table, not the end of the bench.
        n, fresh, t0 = args.long_n, not (build_dir(args.long_n) / 'build.ninja').exists(), \
            time.monotonic()
        long = {'n': n, 'reps': min(args.reps, 3)}
        say(f'building pcs-migrate over {n} revisions (bench/work/build-{n}, release)')
        try:
            meson_build(n, build_dir(n), helpers, log)
            long['build_s'], long['build_fresh'] = time.monotonic() - t0, fresh
        except BenchError as e:
            long['build_error'] = str(e)
            say(f'the {n}-revision chain did not build; the scale table says why')

    def bins_of(n):
        b = build_dir(n)
        return {'pcs-migrate': b / 'pcs-migrate',
                'floor-connect': b / 'bench' / 'bench-floor-connect',
                'floor-pipeline': b / 'bench' / 'bench-floor-pipeline',
                'measure': b / 'bench' / 'bench-measure'}

    measurer = Measurer(bins_of(args.ns[0])['measure'], WORK / 'last-command.log')
    data = {'date': datetime.datetime.now().astimezone().strftime('%Y-%m-%d %H:%M %Z'),
            'ns': args.ns, 'reps': args.reps, 'quick': args.quick, 'notes': notes,
            'machine': machine_info(), 'results': {}, 'load_start': load_start}
    data['footprint'] = footprint(args.ns, bins_of)
    data['footprint']['measure_baseline_kb'] = median(
        [measurer.run(['/bin/true'], clean_env()) for _ in range(5)], 1)

    cluster, cost = Cluster(log), {}
    try:
        say('starting PostgreSQL (tmpfs, trust, 127.0.0.1)')
        cluster.start(max(args.ns + [args.long_n]))
        data['tmpfs'], data['settings'] = cluster.tmpfs, cluster.settings
        data['versions'] = versions(paths, bins_of(args.ns[0])['pcs-migrate'], cluster)
        for n in args.ns:
            bins = bins_of(n)
            files = prepare_n(n, bins, tools, paths)
            runs = ToolRuns(n, cluster, bins, paths, files)
            results = data['results'].setdefault(str(n), {})
            measure_n(n, args.reps, tools, runs, cluster, measurer, results, args.budget, cost)
        if long and 'build_error' not in long:
            measure_long(long, tools, paths, bins_of(long['n']), cluster, measurer,
                         args.budget, cost)
        data['long'] = long
        if args.fleet_n:
            data['fleet'] = measure_fleet(args.fleet_n, args.fleet_jobs, args.reps, cluster, log)
    finally:
        cluster.stop()
    data['load_end'], data['budget'] = os.getloadavg(), args.budget   # before the build's load
    if args.scale_n:
        data['scale'] = build_scale(args.scale_n, log, measurer, args.reps)
    data['duration_s'] = time.monotonic() - T0
    RESULTS.write_text(json.dumps(data, indent=1, default=str))
    report(data, out, plot(data, out, paths.get('gnuplot')))
    say(f'done in {data["duration_s"]:.0f} s: {out}')
    print(out)
    return 0


def fleet_only(args, out):
    """--fleet-only: the fleet scenario alone, its section spliced into the report at OUT
    (bench/work/results-fleet.json keeps its data; --report-only rewrites from it)."""
    if not args.report_only:
        WORK.mkdir(parents=True, exist_ok=True)
        log = WORK / 'setup.log'
        log.write_text('')
        for sig in (signal.SIGTERM, signal.SIGHUP):
            signal.signal(sig, on_signal)
        cluster = Cluster(log)
        try:
            say('starting PostgreSQL (tmpfs, trust, 127.0.0.1)')
            cluster.start()
            fleet = measure_fleet(args.fleet_n, args.fleet_jobs, args.reps, cluster, log)
        finally:
            cluster.stop()
        FLEET_RESULTS.write_text(json.dumps(fleet, indent=1, default=str))
    else:
        fleet = json.loads(FLEET_RESULTS.read_text())
    text = out.read_text() if out.exists() else '# Benchmarks\n\n'
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(splice_section(text, fleet_section(fleet)))
    say(f'done in {time.monotonic() - T0:.0f} s: {out}')
    print(out)
    return 0


def prepare_n(n, bins, tools, paths):
    """The offline scripts, the floors' inputs and the other tools' projects for N.

    The floors' input is the bare DDL of the revisions, in the order that
    pcs-migrate runs them: up.stmts (each statement ended by a NUL, each
    revision by an empty statement) for bench-floor-pipeline in either mode,
    up.sql for psql."""
    d = WORK / f'n{n}'
    d.mkdir(parents=True, exist_ok=True)
    files = {}
    scripts = {}
    for direction, spec in (('upgrade', 'base:head'), ('downgrade', 'head:base')):
        res = subprocess.run([bins['pcs-migrate'], direction, '--sql', spec], env=clean_env(),
                             capture_output=True, text=True)
        if res.returncode != 0:
            raise BenchError(f'pcs-migrate {direction} --sql {spec}: {res.stderr.strip()}')
        sections = parse_script(res.stdout, n, direction)
        key = 'up' if direction == 'upgrade' else 'down'
        write_if_changed(d / f'{key}.sql', ''.join(s + '\n' for r in sections for s in r))
        write_if_changed(d / f'{key}.stmts',
                         ''.join(''.join(s + '\0' for s in r) + '\0' for r in sections))
        files[f'{key}.sql'], files[f'{key}.stmts'] = d / f'{key}.sql', d / f'{key}.stmts'
        # dbmate and sqitch want each revision's DDL by table, t_0001 first.
        scripts[key] = sections if key == 'up' else sections[::-1]
    if 'alembic' in tools:
        files['alembic'] = WORK / f'alembic-{n}'
        write_alembic(n, files['alembic'])
        # Byte-compiled ahead, as an installed application would be, so that no
        # round (the first one included) pays for compiling N revision files.
        if output([paths['alembic'], '-m', 'compileall', '-q', files['alembic']]) is None:
            raise BenchError(f'{paths["alembic"]} -m compileall {files["alembic"]} failed')
    if 'dbmate' in tools:
        files['dbmate'] = WORK / f'dbmate-{n}'
        write_dbmate(n, files['dbmate'], scripts['up'], scripts['down'])
    if 'sqitch' in tools:
        files['sqitch'] = WORK / f'sqitch-{n}'
        write_sqitch(n, files['sqitch'], scripts['up'], scripts['down'])
    return files


if __name__ == '__main__':
    try:
        sys.exit(main(sys.argv[1:]))
    except BenchError as e:
        print(f'bench: {e}', file=sys.stderr)
        sys.exit(1)
    except KeyboardInterrupt:
        print('bench: interrupted', file=sys.stderr)
        sys.exit(130)
