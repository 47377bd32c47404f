#!/usr/bin/env python3
"""Build-time generator of a pcs-migrate revision registry.

Reads the header comment of every migration C file of one directory, checks
the revision graph they form, and writes the C sources that bind them into
a program: one registry (NAME_registry.c, the pcsm_registry[] array of
<pcsm/revision.h>) and one wrapper translation unit per migration.  It is
the authority on the header format, so the format is strict and is
documented here, next to its parser.  It is not the runtime graph walker
(runtime/lib/graph/graph.c): it only refuses graphs that no build should contain.
pcs-migrate create-migration (runtime/lib/devtools/scaffold.c) reads the Revision ID
and Revises of the same headers by these rules, and writes only headers
that they read as intended; tests/scaffold/header_cases.txt holds the
headers that both are tested on.

The revision header
-------------------
A migration file starts with its header comment, on line 1:

    /*
     * Add user preferences table
     *
     * Free text about the revision, as many lines as needed.
     *
     * Revision ID: 1f2e3d4c5b6a
     * Revises: 9a39eb7fd78f
     * Create Date: 2026-11-23 21:40:00+00:00
     * Flags: nontransactional
     */
    #include <pcsm/ddl.h>

    static void upgrade(pcsm_op *op) { ... }
    static void downgrade(pcsm_op *op) { ... }

- Line 1 is "/*" alone: no byte order mark, no blank line before it.  The
  header ends at the first line holding "*/", which must be " */" alone.
- Every line between is " *" (blank) or " * " followed by text.  Trailing
  white space (a CR included) is ignored on every line.
- The first non-blank text line is the description (required).  Free text
  lines may follow it until the first field line.
- A field line is "Key: value".  The fields start at the first line whose
  key is known, or is a near miss of a known one ("Revison ID", which is
  then reported); from there on every non-blank line must be a known field,
  and each field may appear once:
    Revision ID  required; 1 to 32 of [0-9A-Za-z_] (it becomes part of C
                 identifiers and must fit alembic_version's varchar(32)).
                 New ones are 12 lowercase hex digits.
    Revises      required; empty or "None" for a root, else revision ids
                 separated by commas (several: a merge revision).
    Create Date  required; YYYY-MM-DD HH:MM:SS, optionally .ffffff (six
                 digits), optionally +HH:MM or -HH:MM.  Without an offset
                 it is taken as UTC when revisions are ordered.
    Flags        optional; comma-separated: nontransactional (the revision
                 runs outside any transaction, e.g. CREATE INDEX
                 CONCURRENTLY).
    Lint-ignore  optional, one per line, as many as needed:
                 "<rule> -- <reason>", a lint rule id (lower case words
                 joined by "-") that this revision is exempt from, and
                 why; the reason is required, and printed with every
                 finding it silences (docs/lint.md).  The rule ids are
                 the runtime's: pcs-migrate lint reports an unknown one.
- The file is named <id>.c or <id>_<slug>.c.

Checks across files, and the order
----------------------------------
Ids are unique, every id in Revises names a revision of the directory, the
graph has no cycle, and it has exactly one head (a revision that nothing
revises) unless it is empty; several roots are fine if merges join them.
The registry lists the revisions in topological order: Kahn's algorithm,
parents first, ties to the smallest (Create Date in UTC, id).  The *.c
files of DIR must be exactly the FILEs given (the same check as
--check-list, which meson runs at configure time); the depfile names DIR
itself, so that adding or removing a file there re-runs the generator.
The FILEs come from DIR/revisions.txt (--list-file; its grammar is at
read_list_file()), whose lines the messages then name.  Without FILEs, the
generator reads them from the list itself (DIR/NAME for each NAME): the
build does so, because ninja runs a command as one argument of "/bin/sh
-c", which Linux caps at 128 KiB (about 1,870 absolute paths).  The list
file is then in the depfile too.

Binding the static functions
----------------------------
upgrade() and downgrade() are static, so two migrations never clash at link
time.  For each migration the generator writes a wrapper translation unit
that #includes the migration file and defines two external functions,
pcsm_up_<id>() and pcsm_down_<id>(), that call them; the registry points at
those.  The alternative, a PCSM_REVISION(<id>) macro at the end of every
file, puts boilerplate in each migration that can be forgotten, copied from
another file with the wrong id, or disagree with the header, and so needs a
check of its own.  With wrappers the header is the only place the id is
written, and a migration file is plain C that needs nothing but ddl.h.

Errors and outputs
------------------
Every problem is printed as "path:line: message" (path as given on the
command line; line is the offending header line, or 1 for a problem of the
whole file), all of them, and then the exit status is 1 and nothing is
written.  Outputs are byte-identical for the same inputs and layout (no
timestamps), each written through a temporary file and a rename, and only
when its content changed: meson's custom_target rule has ninja's restat, so
an unchanged wrapper keeps its time stamp and its object is not rebuilt.

Usage:
    gen_registry.py --name NAME --source-root ROOT --dir DIR --out-dir OUT
                    --depfile DEPFILE --list-file LIST
    gen_registry.py --name NAME --source-root ROOT --dir DIR --out-dir OUT
                    --depfile DEPFILE [--list-file LIST] FILE...
    gen_registry.py --check-list DIR [--list-file LIST] [--] NAME...

Standard library only; Python 3.11.
"""

import argparse
import datetime
import difflib
import hashlib
import heapq
import os
import re
import sys
import tempfile

FIELDS = ('Revision ID', 'Revises', 'Create Date', 'Flags', 'Lint-ignore')
REPEATED_FIELDS = ('Lint-ignore',)
REQUIRED_FIELDS = ('Revision ID', 'Revises', 'Create Date')
FLAGS = {'nontransactional': 'PCSM_REV_NONTRANSACTIONAL'}

ID_RE = re.compile(r'[0-9A-Za-z_]{1,32}')
FIELD_RE = re.compile(r'([A-Za-z][A-Za-z -]*):(.*)')
LINT_IGNORE_RE = re.compile(r'([a-z0-9]+(?:-[a-z0-9]+)*)\s+--\s+(\S.*)')
DATE_RE = re.compile(r'([0-9]{4})-([0-9]{2})-([0-9]{2}) '
                     r'([0-9]{2}):([0-9]{2}):([0-9]{2})(?:\.([0-9]{6}))?'
                     r'(?:([+-])([0-9]{2}):([0-9]{2}))?')
DATE_FORMAT = 'YYYY-MM-DD HH:MM:SS[.ffffff][+HH:MM]'
UTF8_BOM = b'\xef\xbb\xbf'
C_UNSAFE_RE = re.compile(r'[^ -~]|["\\?]')   # not as is in a C string


class Errors:
    """The problems found so far, printed together at the end."""

    def __init__(self):
        self.found = []

    def add(self, path, line, message):
        self.found.append((path, line, message))

    def __len__(self):
        return len(self.found)

    def print(self):
        """Prints them grouped by file, in line order, as a compiler does."""
        for path, line, message in sorted(self.found,
                                          key=lambda e: (e[0], e[1])):
            print(f'{path}:{line}: {printable(message)}', file=sys.stderr)


def printable(text):
    """`text` with every character that is not printable escaped.

    Messages quote header text, which may hold a CR, a form feed, U+2028 or
    a byte that is not UTF-8: escaped, each message stays one line for any
    reader of the build log (found by tests/generator/fuzz_gen_registry.py).
    """
    if text.isprintable():
        return text
    out = []
    for char in text:
        code = ord(char)
        if char.isprintable():
            out.append(char)
        elif 0xdc80 <= code <= 0xdcff:      # a byte kept by surrogateescape
            out.append(f'\\x{code - 0xdc00:02x}')
        elif code < 0x100:
            out.append(f'\\x{code:02x}')
        elif code < 0x10000:
            out.append(f'\\u{code:04x}')
        else:
            out.append(f'\\U{code:08x}')
    return ''.join(out)


class Revision:
    """One migration file: what its header says, and where it says it."""

    def __init__(self, path, data):
        self.path = path            # as given on the command line
        self.data = data            # the file's bytes
        self.description = None
        self.id = None              # set once the Revision ID is valid
        self.parents = []
        self.create_date = None     # as written
        self.date_key = 0           # microseconds since 0001-01-01 UTC
        self.flags = []
        self.lint_ignores = []      # (rule, reason, header line)
        self.field_lines = {}       # field name -> header line number
        self.ok = False             # no problem found in this file

    def line_of(self, field):
        return self.field_lines.get(field, 1)

    def order_key(self):
        """Ties in the topological order go to the older revision."""
        return (self.date_key, self.id)


# ---------------------------------------------------------------- header

def parse_revision(path, data, errors):
    """Parses one migration file's header into a Revision.

    The grammar is the one written above ("The revision header"), and
    nowhere else; tests/scaffold/header_cases.txt holds the cases that
    this parser and pcsm_scaffold__read_header() are both tested on."""
    rev = Revision(path, data)
    n_errors = len(errors)
    body = header_lines(path, data, errors)
    if body is not None:
        fields = parse_header_body(rev, body, errors)
        check_fields(rev, fields, errors)
    rev.ok = len(errors) == n_errors
    return rev


def header_lines(path, data, errors):
    """The (number, text) lines between "/*" and " */", or None."""
    if data.startswith(UTF8_BOM):
        errors.add(path, 1, "the file starts with a UTF-8 byte order mark; "
                   "the header comment must start with '/*' on line 1")
        return None
    # surrogateescape: bytes that are not UTF-8 survive to the C output.
    lines = data.decode('utf-8', 'surrogateescape').split('\n')
    first = lines[0].rstrip()
    if first != '/*':
        if not first and data.lstrip().startswith(b'/*'):
            message = ("blank line before the header comment; "
                       "it must start with '/*' on line 1")
        elif first.startswith('/*'):
            message = ("line 1 must be '/*' alone; "
                       "the description goes on line 2")
        else:
            message = ("missing header comment: a migration file must "
                       "start with '/*' on line 1")
        errors.add(path, 1, message)
        return None
    body = []
    for number, line in enumerate(lines[1:], start=2):
        line = line.rstrip()
        if '*/' in line:
            if line != ' */':
                errors.add(path, number, "the header comment must end "
                           "with ' */' on a line of its own")
                # Still read the text before "*/", or a field written
                # there would also be reported as missing.
                head = line[:line.index('*/')].rstrip()
                if head:
                    body.append((number, head))
            return body
        body.append((number, line))
    errors.add(path, 1, "unterminated header comment: no ' */' line")
    return None


def near_field(key):
    """The known field that `key` is probably a typo of, or None."""
    for field in FIELDS:
        if key.lower() == field.lower():
            return field
    lowered = {field.lower(): field for field in FIELDS}
    close = difflib.get_close_matches(key.lower(), lowered, n=1, cutoff=0.75)
    return lowered[close[0]] if close else None


def parse_header_body(rev, body, errors):
    """Reads the description, and returns the fields as {name: value}."""
    fields = {}
    in_fields = False
    for number, line in body:
        if line == ' *':
            continue
        if not line.startswith(' * '):
            errors.add(rev.path, number, "malformed header line: "
                       "expected ' *' or ' * ' followed by text")
            continue
        text = line[3:]
        match = FIELD_RE.fullmatch(text)
        key = match.group(1) if match else None
        if key in REPEATED_FIELDS:
            in_fields = True
            parse_lint_ignore(rev, match.group(2).strip(), number, errors)
            continue
        if key in FIELDS:
            in_fields = True
            if key in fields:
                errors.add(rev.path, number, f"duplicate field '{key}' "
                           f"(first on line {rev.field_lines[key]})")
            else:
                fields[key] = match.group(2).strip()
                rev.field_lines[key] = number
            continue
        guess = near_field(key) if key else None
        if guess:
            in_fields = True
            errors.add(rev.path, number,
                       f"unknown field '{key}' (did you mean '{guess}'?)")
            # Read it as the field it was meant to be: its id then still
            # counts as declared, and nothing else is reported about it.
            if guess not in fields:
                fields[guess] = match.group(2).strip()
                rev.field_lines[guess] = number
        elif in_fields and key:
            errors.add(rev.path, number, f"unknown field '{key}'; "
                       f"the fields are: {', '.join(FIELDS)}")
        elif in_fields:
            errors.add(rev.path, number, "free text among the fields; "
                       "it belongs between the description and the fields")
        elif rev.description is None:
            rev.description = text.strip()
    if rev.description is None:
        errors.add(rev.path, 1, "missing description: the first line of the "
                   "header comment must say what the revision does")
    return fields


def check_fields(rev, fields, errors):
    """Validates the field values and the file name against them."""
    for field in REQUIRED_FIELDS:
        if field not in fields:
            errors.add(rev.path, 1, f"missing '{field}' field in the header")
    if 'Revision ID' in fields:
        check_revision_id(rev, fields['Revision ID'], errors)
    if 'Revises' in fields:
        rev.parents = parse_revises(rev, fields['Revises'], errors)
    if 'Create Date' in fields:
        rev.create_date = fields['Create Date']
        key = parse_create_date(rev.create_date)
        if key is None:
            errors.add(rev.path, rev.line_of('Create Date'),
                       f"malformed Create Date '{rev.create_date}': "
                       f"expected {DATE_FORMAT}")
        else:
            rev.date_key = key
    if 'Flags' in fields:
        rev.flags = parse_flags(rev, fields['Flags'], errors)


def check_revision_id(rev, value, errors):
    line = rev.line_of('Revision ID')
    if not ID_RE.fullmatch(value):
        errors.add(rev.path, line, f"bad revision id '{value}': it must be "
                   "1 to 32 characters from [0-9A-Za-z_]")
        return
    rev.id = value
    base = os.path.basename(rev.path)
    stem = base[:-2] if base.endswith('.c') else base
    if not (stem == value or (stem.startswith(value + '_')
                              and len(stem) > len(value) + 1)):
        errors.add(rev.path, line, f"file name '{base}' does not match its "
                   f"Revision ID '{value}': name it '{value}.c' or "
                   f"'{value}_<slug>.c'")


def parse_revises(rev, value, errors):
    """The parent ids: none for a root, several for a merge."""
    if value in ('', 'None'):
        return []
    line = rev.line_of('Revises')
    parents = []
    for item in value.split(','):
        item = item.strip()
        if not item:
            errors.add(rev.path, line, f"malformed Revises '{value}': "
                       "empty revision id between commas")
        elif not ID_RE.fullmatch(item):
            errors.add(rev.path, line, f"malformed Revises '{value}': "
                       f"'{item}' is not a revision id")
        elif item in parents:
            errors.add(rev.path, line, f"Revises names '{item}' twice")
        else:
            parents.append(item)
    return parents


def parse_create_date(value):
    """Microseconds since 0001-01-01 00:00 UTC, or None if malformed.

    An integer rather than a datetime: comparing aware datetimes near the
    ends of their range can overflow, integers never do.
    """
    match = DATE_RE.fullmatch(value)
    if not match:
        return None
    year, month, day, hour, minute, second = map(int, match.group(1, 2, 3, 4,
                                                                  5, 6))
    micro = int(match.group(7) or 0)
    offset = 0
    if match.group(8):
        off_hour, off_minute = int(match.group(9)), int(match.group(10))
        if off_hour > 23 or off_minute > 59:
            return None
        offset = (off_hour * 60 + off_minute) * 60
        if match.group(8) == '-':
            offset = -offset
    try:
        days = datetime.date(year, month, day).toordinal()
        datetime.time(hour, minute, second)
    except ValueError:
        return None
    seconds = days * 86400 + hour * 3600 + minute * 60 + second - offset
    return seconds * 1000000 + micro


def parse_lint_ignore(rev, value, line, errors):
    match = LINT_IGNORE_RE.fullmatch(value)
    if not match:
        errors.add(rev.path, line, f"malformed Lint-ignore '{value}': "
                   "expected '<rule> -- <reason>', a rule id such as "
                   "require-concurrent-index and why it is safe here "
                   "(the reason is required)")
        return
    rule, reason = match.group(1), match.group(2).strip()
    if any(rule == r for r, _, _ in rev.lint_ignores):
        errors.add(rev.path, line, f"duplicate Lint-ignore of '{rule}'")
        return
    rev.lint_ignores.append((rule, reason, line))


def parse_flags(rev, value, errors):
    flags = []
    line = rev.line_of('Flags')
    for item in value.split(',') if value else []:
        item = item.strip()
        if not item:
            errors.add(rev.path, line, f"malformed Flags '{value}': "
                       "empty flag between commas")
        elif item not in FLAGS:
            errors.add(rev.path, line, f"unknown flag '{item}'; the flags "
                       f"are: {', '.join(sorted(FLAGS))}")
        elif item not in flags:
            flags.append(item)
    return flags


# ----------------------------------------------------------------- graph

def check_graph(revs, errors):
    """Checks ids and Revises across files; returns the revisions in order.

    `revs` is sorted by path, so "first" and every message are
    deterministic.  A file with a problem of its own is left out of the
    graph, but the id it declares still counts as known: a child naming it
    gets no second, misleading "unknown revision".
    """
    declared = {}
    for rev in revs:
        if rev.id is None:
            continue
        first = declared.get(rev.id)
        if first is None:
            declared[rev.id] = rev
        else:
            errors.add(rev.path, rev.line_of('Revision ID'),
                       f"duplicate revision id '{rev.id}': also in "
                       f"{first.path}:{first.line_of('Revision ID')}")
            rev.ok = False
    for rev in revs:
        for parent in rev.parents:
            if parent not in declared:
                errors.add(rev.path, rev.line_of('Revises'),
                           f"Revises: unknown revision '{parent}'")
    graph = {rev.id: rev for rev in revs if rev.ok}
    ordered, rest = topological_order(graph)
    if rest:
        report_cycles(graph, rest, errors)
    elif not errors:
        # A head count over a graph with holes in it would only add noise.
        check_single_head(graph, errors)
    return ordered


def graph_parents(graph, rev):
    return [p for p in rev.parents if p in graph]


def topological_order(graph):
    """Kahn's algorithm; ties go to the smallest (create date, id).

    Returns (ordered revisions, ids left over); the left-over ids are the
    revisions on a cycle and their descendants.
    """
    children = {rid: [] for rid in graph}
    pending = {}
    for rid, rev in graph.items():
        parents = graph_parents(graph, rev)
        pending[rid] = len(parents)
        for parent in parents:
            children[parent].append(rid)
    ready = [graph[rid].order_key() for rid, n in pending.items() if n == 0]
    heapq.heapify(ready)
    ordered = []
    while ready:
        rev = graph[heapq.heappop(ready)[1]]
        ordered.append(rev)
        for child in children[rev.id]:
            pending[child] -= 1
            if pending[child] == 0:
                heapq.heappush(ready, graph[child].order_key())
    rest = {rid for rid, n in pending.items() if n > 0}
    return ordered, rest


def report_cycles(graph, rest, errors):
    """Names the revisions of each cycle among the left-over ones.

    Every left-over revision has a left-over parent, so walking up parents
    from one of them must come back to a revision already seen: that loop
    is a cycle.  Revisions reached on the way are marked done, so each
    cycle is reported once and the whole walk is linear.
    """
    done = set()
    for start in sorted(rest):
        path = []
        where = {}
        rid = start
        while rid not in done and rid not in where:
            where[rid] = len(path)
            path.append(rid)
            rid = next(p for p in graph_parents(graph, graph[rid])
                       if p in rest)
        done.update(path)
        if rid in where:
            report_cycle(graph, path[where[rid]:], errors)


def report_cycle(graph, cycle, errors):
    # Start at the smallest id, whichever revision the walk started from.
    first = cycle.index(min(cycle))
    cycle = cycle[first:] + cycle[:first]
    revs = [graph[rid] for rid in cycle]
    if len(revs) == 1:
        text = f'{revs[0].id} ({revs[0].path}) revises itself'
    else:
        steps = [f'{rev.id} ({rev.path})' for rev in revs]
        text = (f'{steps[0]} revises ' + ', which revises '.join(steps[1:])
                + f', which revises {revs[0].id}')
    errors.add(revs[0].path, revs[0].line_of('Revises'),
               f'revisions form a cycle: {text}')


def check_single_head(graph, errors):
    """More than one head needs a merge revision; the message says how."""
    has_child = set()
    for rev in graph.values():
        has_child.update(rev.parents)
    heads = sorted((rev for rid, rev in graph.items() if rid not in has_child),
                   key=Revision.order_key)
    if len(heads) < 2:
        return
    listed = join_and([f'{rev.id} ({rev.path})' for rev in heads])
    both = 'both' if len(heads) == 2 else 'all'
    shared = nearest_common_ancestors(graph, heads)
    if shared:
        relation = f'{both} descend from {join_and(shared)}'
    else:
        relation = 'share no ancestor'
    ids = ' '.join(rev.id for rev in heads)
    errors.add(heads[0].path, heads[0].line_of('Revision ID'),
               f'multiple heads: {listed} {relation}; create a merge '
               f'revision: pcs-migrate merge -m "merge heads" {ids}')


def nearest_common_ancestors(graph, heads):
    """The common ancestors of all heads that no other one descends from.

    Usually the revision that the branches fork from.  Only computed for
    the error message, so its cost (one walk per head) is not on the path
    of a good build.
    """
    common = None
    for head in heads:
        ancestors = set()
        stack = list(head.parents)
        while stack:
            rid = stack.pop()
            if rid not in ancestors:
                ancestors.add(rid)
                stack.extend(graph[rid].parents)
        common = ancestors if common is None else common & ancestors
    # The common set holds the ancestors of its members too: the nearest
    # ones are those that are nobody's parent within it.
    older = set()
    for rid in common:
        older.update(graph[rid].parents)
    return sorted((common - older), key=lambda rid: graph[rid].order_key())


def join_and(items):
    return items[0] if len(items) == 1 else \
        ', '.join(items[:-1]) + ' and ' + items[-1]


# ---------------------------------------------------------- file listing

def read_list_file(path, errors):
    """The file names that a revision list gives, as [(name, line)].

    Meson has no glob, so a migrations directory lists its files in
    revisions.txt, which meson.build reads with fs.read() and pcs-migrate
    create-migration edits (runtime/lib/devtools/scaffold.c).  Its grammar, the same in
    all three: UTF-8 text; a line ends at LF, CR or CRLF (Python's
    universal newlines, how fs.read() reads it); each line is stripped of
    white space (str.strip()); a blank line, or one that starts with '#',
    is a comment; every other line is one file name.  None when the file
    cannot be read or decoded.
    """
    try:
        with open(path, 'rb') as f:
            data = f.read()
    except OSError as e:
        errors.add(path, 1, f'cannot read the revision list: {e.strerror}')
        return None
    try:
        text = data.decode('utf-8')
    except UnicodeDecodeError as e:
        before = data[:e.start].replace(b'\r\n', b'\n').replace(b'\r', b'\n')
        errors.add(path, before.count(b'\n') + 1,
                   'the revision list is not UTF-8 text')
        return None
    entries = []
    lines = text.replace('\r\n', '\n').replace('\r', '\n').split('\n')
    for number, line in enumerate(lines, start=1):
        name = line.strip()
        if name and not name.startswith('#'):
            entries.append((name, number))
    return entries


def listed_names(list_file, errors):
    """The [(name, line)] of a revision list, each a bare *.c name."""
    entries = read_list_file(list_file, errors) or []
    check_file_names(list_file, entries, errors)
    return entries


def check_file_names(list_file, entries, errors):
    for name, line in entries:
        if not revision_file_name(name):
            errors.add(list_file, line, f"'{name}' is not a revision "
                       'file name: each line holds one bare file name '
                       "ending in .c (a comment is a line of its own, "
                       "starting with '#')")


def revision_file_name(name):
    """Whether a listed name can be a migration: a bare *.c name."""
    return (name.endswith('.c') and not name.startswith('.')
            and '/' not in name and os.sep not in name and name.isprintable()
            and not any(char.isspace() for char in name))


def check_listing(directory, entries, errors, list_file=None):
    """The *.c files of `directory` must be exactly the listed names.

    `entries` is [(name, line)]: the names of list_file and their lines,
    or, without a list file, names given on the command line (line None).
    A file that is there but not listed would silently not be compiled; a
    listed one that is not there would fail the build less clearly.  Dot
    files (editor locks, backups) and what is not a regular file are not
    migrations.  Returns the listed names that are not in the directory.
    """
    try:
        with os.scandir(directory) as found:
            present = {entry.name for entry in found
                       if entry.name.endswith('.c')
                       and not entry.name.startswith('.')
                       and entry.is_file()}
    except OSError as e:
        errors.add(directory, 1, f'cannot list the migrations directory: '
                   f'{e.strerror}')
        return {name for name, _ in entries}

    def where(name, line):
        """The list's line, else the file itself."""
        if list_file is not None and line is not None:
            return list_file, line
        return os.path.join(directory, name), 1

    first = {}
    for name, line in entries:
        if name in first:
            at = f' (first on line {first[name]})' if line else ''
            errors.add(*where(name, line), f'{name} is listed twice{at}')
        else:
            first[name] = line
    listed_in = f' in {list_file}' if list_file is not None else ''
    for name in sorted(present - first.keys()):
        errors.add(os.path.join(directory, name), 1,
                   f'{name} is in the migrations directory but not listed'
                   f'{listed_in}')
    missing = first.keys() - present
    for name in sorted(missing):
        errors.add(*where(name, first[name]), f'{name} is listed but is not '
                   f'in the migrations directory {directory}')
    return missing


# ---------------------------------------------------------------- output

def c_string(text):
    """A C string literal holding the UTF-8 bytes of `text`.

    Octal escapes are always three digits, so a following digit can never
    extend them; '?' is escaped so that no "??x" becomes a trigraph.
    """
    if not C_UNSAFE_RE.search(text):
        return f'"{text}"'
    out = ['"']
    for byte in text.encode('utf-8', 'surrogateescape'):
        char = chr(byte)
        if char in '"\\?':
            out.append('\\' + char)
        elif 0x20 <= byte < 0x7f:
            out.append(char)
        else:
            out.append(f'\\{byte:03o}')
    out.append('"')
    return ''.join(out)


def portable_relpath(path, start):
    """`path` relative to `start`, with forward slashes.

    Resolved through symbolic links first: the compiler resolves ".." from
    the directory the wrapper really is in, not from the name it was given.
    """
    rel = os.path.relpath(os.path.realpath(path), os.path.realpath(start))
    return rel.replace(os.sep, '/')


def join_relpath(directory, name):
    return name if directory == '.' else f'{directory}/{name}'


def wrapper_source(rev, include_path, source_path):
    up, down = f'pcsm_up_{rev.id}', f'pcsm_down_{rev.id}'
    return (f'/* Generated by gen_registry.py from '
            f'{c_comment_safe(source_path)}: do not edit. */\n'
            f'#include "{include_path}"\n'
            '\n'
            f'void {up}(pcsm_op *op);\n'
            f'void {down}(pcsm_op *op);\n'
            '\n'
            f'void {up}(pcsm_op *op)\n{{\n    upgrade(op);\n}}\n'
            '\n'
            f'void {down}(pcsm_op *op)\n{{\n    downgrade(op);\n}}\n')


def registry_source(ordered, source_paths, dir_label):
    out = ['/*\n',
           f' * Generated by gen_registry.py from the {len(ordered)} '
           f'revision(s) in {c_comment_safe(dir_label)}: do not edit.\n',
           ' * Parents come before their children (ties: older first).\n',
           ' */\n',
           '#include <pcsm/revision.h>\n',
           '\n']
    for rev in ordered:
        out.append(f'void pcsm_up_{rev.id}(pcsm_op *op);\n'
                   f'void pcsm_down_{rev.id}(pcsm_op *op);\n')
    if ordered:
        out.append('\n')
    for rev in ordered:
        if rev.lint_ignores:
            items = ''.join(f'    {{ {c_string(rule)}, {c_string(why)}, '
                            f'{line} }},\n'
                            for rule, why, line in rev.lint_ignores)
            out.append('static const pcsm_lint_ignore '
                       f'lint_ignores_{rev.id}[] = {{\n{items}}};\n')
    with_parents = [rev for rev in ordered if rev.parents]
    for rev in with_parents:
        items = ', '.join(c_string(p) for p in rev.parents)
        out.append(f'static const char *const parents_{rev.id}[] = '
                   f'{{ {items} }};\n')
    if with_parents:
        out.append('\n')
    out.append('const pcsm_revision pcsm_registry[] = {\n')
    for rev in ordered:
        parents = f'parents_{rev.id}' if rev.parents else 'NULL'
        flags = ' | '.join(FLAGS[f] for f in rev.flags) or '0'
        sha = hashlib.sha256(rev.data).hexdigest()
        ignores = ''
        if rev.lint_ignores:
            ignores = (f'        .lint_ignores = lint_ignores_{rev.id},\n'
                       f'        .n_lint_ignores = {len(rev.lint_ignores)},\n')
        out.append('    {\n'
                   f'        .id = {c_string(rev.id)},\n'
                   f'        .parents = {parents},\n'
                   f'        .n_parents = {len(rev.parents)},\n'
                   f'        .description = {c_string(rev.description)},\n'
                   f'        .create_date = {c_string(rev.create_date)},\n'
                   f'        .flags = {flags},\n'
                   f'        .source_sha256 = "{sha}",\n'
                   f'        .source_path = '
                   f'{c_string(source_paths[rev.path])},\n'
                   f'        .upgrade = pcsm_up_{rev.id},\n'
                   f'        .downgrade = pcsm_down_{rev.id},\n'
                   f'{ignores}'
                   '    },\n')
    out.append('    { 0 },\n'
               '};\n'
               '\n'
               f'const size_t pcsm_registry_len = {len(ordered)};\n')
    return ''.join(out)


def c_comment_safe(text):
    """`text` made harmless inside a one-line C comment."""
    return text.replace('*/', '* /').replace('\n', '?')


def make_escape(path):
    """A path as one word of a make rule (ninja reads depfiles this way)."""
    return (path.replace('\\', '\\\\').replace(' ', '\\ ')
            .replace('#', '\\#').replace('$', '$$'))


def depfile_source(target, directory, files):
    # The directory itself is a dependency: adding or removing a file
    # changes its time stamp, so ninja runs the listing check again.
    deps = [directory] + files
    return (make_escape(target) + ':'
            + ''.join(' \\\n  ' + make_escape(dep) for dep in deps) + '\n')


def write_if_changed(path, text):
    """Atomically replaces `path` with `text`, unless it holds it already."""
    data = text.encode('utf-8', 'surrogateescape')
    try:
        with open(path, 'rb') as f:
            if f.read() == data:
                return
    except OSError:
        pass
    directory = os.path.dirname(path) or '.'
    fd, tmp = tempfile.mkstemp(dir=directory,
                               prefix='.' + os.path.basename(path) + '.')
    try:
        with os.fdopen(fd, 'wb') as f:
            f.write(data)
        os.replace(tmp, path)
    except BaseException:
        os.unlink(tmp)
        raise


# ------------------------------------------------------------------ main

def build(args):
    errors = Errors()
    files = sorted(args.files)
    entries = None
    if not files and args.list_file is not None:
        # The FILEs are the list's names in DIR: a command line of 10,000
        # absolute paths is one argument of ninja's "/bin/sh -c", past
        # Linux's 128 KiB cap on one argument (MAX_ARG_STRLEN).
        entries = listed_names(args.list_file, errors)
        if errors:
            errors.print()
            return 1
        files = sorted({os.path.join(args.dir, name) for name, _ in entries})
    revs = read_revisions(args.dir, files, errors, args.list_file, entries)
    ordered = check_graph(revs, errors)
    # Every file is in DIR (read_revisions checks it), so two relative
    # paths, computed once, place them all: realpath is the slow part.
    dir_from_root = portable_relpath(args.dir, args.source_root)
    dir_from_out = portable_relpath(args.dir, args.out_dir)
    if '"' in dir_from_out or '\n' in dir_from_out:
        errors.add(args.dir, 1, 'the path from the output directory to the '
                   'migrations cannot be written in #include "..."')
    if errors:
        errors.print()
        return 1

    outputs = []
    source_paths = {}
    for rev in ordered:
        base = os.path.basename(rev.path)
        source_paths[rev.path] = join_relpath(dir_from_root, base)
        outputs.append((os.path.join(args.out_dir, f'{args.name}_rev_{base}'),
                        wrapper_source(rev, join_relpath(dir_from_out, base),
                                       source_paths[rev.path])))
    registry = os.path.join(args.out_dir, f'{args.name}_registry.c')
    outputs.append((registry,
                    registry_source(ordered, source_paths, dir_from_root)))
    deps = files if args.list_file is None else [args.list_file] + files
    outputs.append((args.depfile, depfile_source(registry, args.dir, deps)))
    os.makedirs(args.out_dir, exist_ok=True)
    for path, text in outputs:
        write_if_changed(path, text)
    return 0


def read_revisions(directory, files, errors, list_file=None, entries=None):
    """Checks that `files` are the migrations of `directory`, and parses them.

    Each file is read once; its bytes are kept for the SHA-256.  The list
    file, when given, is where `files` came from: messages name its lines.
    `entries` is its reading, when the caller has read it already.
    """
    if entries is None:
        lines = {}
        if list_file is not None:
            for name, line in reversed(read_list_file(list_file, errors)
                                       or []):
                lines[name] = line
        entries = [(os.path.basename(path),
                    lines.get(os.path.basename(path))) for path in files]
    missing = check_listing(directory, entries, errors, list_file)
    real_dir = os.path.realpath(directory)
    real_dirs = {}
    revs = []
    for path in files:
        parent = os.path.dirname(path) or '.'
        if parent not in real_dirs:
            real_dirs[parent] = os.path.realpath(parent)
        if real_dirs[parent] != real_dir:
            errors.add(path, 1, f'not in the migrations directory {directory}')
            continue
        if os.path.basename(path) in missing:
            continue
        try:
            with open(path, 'rb') as f:
                data = f.read()
        except OSError as e:
            errors.add(path, 1, f'cannot read: {e.strerror}')
            continue
        revs.append(parse_revision(path, data, errors))
    return revs


def check_list(directory, names, list_file=None):
    """The configure-time check: the NAMEs (meson's reading of list_file,
    if given) are exactly the *.c files of `directory`."""
    errors = Errors()
    if list_file is None:
        entries = [(name, None) for name in names]
        for name in names:
            if '/' in name or os.sep in name:
                errors.add(name, 1, 'expected a bare file name, not a path')
    else:
        entries = read_list_file(list_file, errors) or []
        if not errors and [name for name, _ in entries] != names:
            # Two readers of one grammar that disagree: a bug to report.
            errors.add(list_file, 1, f'meson read {len(names)} names from '
                       f'this list where the generator reads {len(entries)}'
                       f' (or other ones): {names!r}')
        check_file_names(list_file, entries, errors)
    if not errors:
        check_listing(directory, entries, errors, list_file)
    errors.print()
    return 1 if errors else 0


def embed_template(path, out, name='pcsm_revision_template'):
    """Writes the revision template as a C string (header OUT) for the
    scaffold command, so the binary needs no file from the source tree;
    also the Alembic reader (alembic_import.py) for import-alembic."""
    with open(path, 'rb') as fh:
        text = fh.read().decode('utf-8', 'surrogateescape')
    body = '\n'.join('    ' + c_string(line + '\n')
                     for line in text.rstrip('\n').split('\n'))
    write_if_changed(out, '/* Generated by generator/gen_registry.py from '
                     f'{os.path.basename(path)}. Do not edit. */\n'
                     f'static const char {name}[] =\n'
                     f'{body};\n')
    return 0


def parse_args(argv):
    parser = argparse.ArgumentParser(
        description='Generate a pcs-migrate revision registry from '
        'migration headers, or check a migrations listing.')
    parser.add_argument('--embed-template', nargs=2, metavar=('IN', 'OUT'),
                        help='write the revision template IN as a C string '
                        'header OUT')
    parser.add_argument('--embed-name', default='pcsm_revision_template',
                        help='the C name of --embed-template\'s string')
    parser.add_argument('--check-list', metavar='DIR',
                        help='only check that the *.c files of DIR are '
                        'exactly the NAMEs given')
    parser.add_argument('--list-file', metavar='LIST',
                        help='the revision list (revisions.txt) that the '
                        'NAMEs or FILEs were read from: checked, and named '
                        'in messages; without FILEs, the build reads them '
                        'from it')
    parser.add_argument('--name', help='registry name: OUT/NAME_registry.c')
    parser.add_argument('--source-root', metavar='ROOT',
                        help='source_path of each revision is relative '
                        'to ROOT')
    parser.add_argument('--dir', metavar='DIR',
                        help='the migrations directory')
    parser.add_argument('--out-dir', metavar='OUT',
                        help='directory of the generated sources')
    parser.add_argument('--depfile', metavar='DEPFILE',
                        help='make-style dependency file to write')
    parser.add_argument('files', nargs='*', metavar='FILE',
                        help='migration files (NAMEs with --check-list)')
    args = parser.parse_args(argv)
    if args.check_list is None and args.embed_template is None:
        needed = ('name', 'source_root', 'dir', 'out_dir', 'depfile')
        absent = [n for n in needed if getattr(args, n) is None]
        if absent:
            parser.error('build mode needs ' + ', '.join(
                '--' + n.replace('_', '-') for n in absent))
        if not re.fullmatch(r'[0-9A-Za-z_.-]+', args.name):
            parser.error('--name must be a plain file name part')
    return args


def main(argv):
    args = parse_args(argv)
    if args.embed_template is not None:
        return embed_template(*args.embed_template, name=args.embed_name)
    if args.check_list is not None:
        return check_list(args.check_list, args.files, args.list_file)
    return build(args)


if __name__ == '__main__':
    sys.exit(main(sys.argv[1:]))
