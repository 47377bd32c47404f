#!/usr/bin/env python3
"""Run Alembic itself on a fixture history, revision by revision.

The other half of the equality proof of issue 20: Alembic's own
`upgrade <rev>` on one database, for each revision in topological order
(parents first, file order among siblings), so that a caller can compare
the catalog with what `pcs-migrate migrate` builds at the same revision.

Alembic and psycopg2 are Debian's (python3-alembic, python3-psycopg2),
installed for /usr/bin/python3 and not necessarily for the `python3`
first on PATH (a pyenv one here): find_interpreter() looks for one that
can import both (only $PCSM_ALEMBIC_PYTHON when set); None when there is
none (the callers skip, exit 77).

    alembic_run.py PROJECT_DIR DSN [--to REV] [--downgrade-base]

PROJECT_DIR holds alembic.ini, env.py and versions/; DSN is a libpq
string or URI, handed to env.py as PCSM_ALEMBIC_DSN.
"""

import os
import shutil
import subprocess
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))
sys.path.insert(0, os.path.join(ROOT, "generator"))

import alembic_import  # noqa: E402

SKIP = 77


def find_interpreter():
    """A python3 that imports alembic and psycopg2, or None."""
    # PCSM_ALEMBIC_PYTHON, when set, is the only one tried.
    chosen = os.environ.get("PCSM_ALEMBIC_PYTHON")
    candidates = [chosen] if chosen else [
        "/usr/bin/python3", shutil.which("python3"), sys.executable]
    seen = set()
    for c in candidates:
        if not c or c in seen or not os.path.exists(c):
            continue
        seen.add(c)
        r = subprocess.run([c, "-c", "import alembic, psycopg2"],
                           capture_output=True)
        if r.returncode == 0:
            return c
    return None


def topological_order(versions_dir):
    """Revision ids, every parent before its children."""
    doc = alembic_import.read_versions(versions_dir)
    revs = doc["revisions"]
    known = {r["revision"] for r in revs}
    done, order = set(), []
    while len(order) < len(revs):
        ready = [r for r in revs if r["revision"] not in done
                 and all(p in done or p not in known
                         for p in r["down_revision"])]
        if not ready:
            raise RuntimeError("%s: a cycle among the revisions"
                               % versions_dir)
        # One at a time, file order: the same walk every run.
        order.append(ready[0]["revision"])
        done.add(ready[0]["revision"])
    return order


class AlembicFailed(Exception):
    pass


def alembic(python, project, dsn, *args):
    """`alembic -c PROJECT/alembic.ini ARGS...`; its stdout."""
    project = os.path.abspath(project)
    env = dict(os.environ, PCSM_ALEMBIC_DSN=dsn)
    cmd = [python, "-m", "alembic", "-c",
           os.path.join(project, "alembic.ini")] + list(args)
    r = subprocess.run(cmd, capture_output=True, text=True, env=env,
                       cwd=project)
    if r.returncode != 0:
        raise AlembicFailed("%s: exit %d\n%s%s" % (
            " ".join(args), r.returncode, r.stdout, r.stderr))
    return r.stdout


def upgrade_each(python, project, dsn, after=None, to=None):
    """upgrade every revision in turn; after(rev) once each is applied.

    Returns the revisions applied, in order; stops after `to`.
    """
    applied = []
    for rev in topological_order(os.path.join(project, "versions")):
        alembic(python, project, dsn, "upgrade", rev)
        applied.append(rev)
        if after:
            after(rev)
        if rev == to:
            break
    return applied


def current(python, project, dsn):
    """The revision ids Alembic's version table holds, sorted."""
    out = alembic(python, project, dsn, "current")
    return sorted(line.split()[0] for line in out.splitlines()
                  if line.strip())


def main(argv):
    args = argv[1:]
    to, down = None, False
    if "--to" in args:
        i = args.index("--to")
        to = args[i + 1]
        del args[i:i + 2]
    if "--downgrade-base" in args:
        args.remove("--downgrade-base")
        down = True
    if len(args) != 2:
        sys.stderr.write(__doc__)
        return 2
    project, dsn = args
    python = find_interpreter()
    if python is None:
        print("alembic_run: no python3 here imports alembic and psycopg2 "
              "(apt-get install python3-alembic python3-psycopg2): skip")
        return SKIP
    try:
        upgrade_each(python, project, dsn,
                     after=lambda rev: print("upgraded to", rev), to=to)
        if down:
            alembic(python, project, dsn, "downgrade", "base")
            print("downgraded to base")
    except AlembicFailed as e:
        sys.stderr.write("alembic_run: %s\n" % e)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
