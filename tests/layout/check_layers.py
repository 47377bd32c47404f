#!/usr/bin/env python3
"""The runtime's layers point one way.

Every folder of runtime/lib is a layer and may use only the layers listed
for it below (and, through them, theirs); runtime/cli uses the public
headers alone.  Checked two ways: the quoted #includes of the sources, and,
given the built library (--lib), the symbols each object file takes from
the others (nm), which no include trick can hide.  Only the layers in
USES_LIBPQ may include libpq, and only core/error.c writes the context's
error (ERROR_FIELDS).  --draw prints the drawing of
docs/developer-guide.md, "Map of the code".
"""
import argparse
import os
import re
import subprocess
import sys

# layer: the layers it may use directly.  Lowest first.
LAYERS = {
    'core': [],                     # buffers, errors, quoting, UTF-8, JSON, SHA-256
    'ops': ['core'],                # the DDL API's recorder: operations as data
    'graph': ['core'],              # the revision DAG, the context
    'render': ['ops', 'graph', 'core'],   # operations and plans to SQL, scripts
    'schema': ['render', 'ops', 'graph', 'core'],  # the model: replay, print
    'diff': ['schema', 'render', 'ops', 'graph', 'core'],  # two models compared
    'autogen': ['diff', 'schema', 'render', 'ops', 'graph', 'core'],  # a diff as API calls
    'lint': ['diff', 'schema', 'render', 'ops', 'graph', 'core'],  # rules over operations
    'catalog': ['schema', 'core'],  # libpq results into the model
    'live': ['diff', 'catalog', 'schema', 'render', 'ops', 'graph', 'core'],  # libpq: connection, runs
    'fleet': ['live', 'core'],      # one command over many databases
    'devtools': ['render', 'ops', 'core'],  # create-migration, import-alembic
}
USES_LIBPQ = {'live', 'catalog', 'fleet'}
INCLUDE = re.compile(r'^\s*#\s*include\s+([<"])([^>"]+)[>"]', re.M)
# The context's error record is written by core/error.c alone; graph/ctx.c
# initialises and frees its buffers, and core/core.h declares them.
ERROR_FIELDS = re.compile(r'\berr_(?:message|sqlstate|detail|hint|statement)\b|(?:->|\.)err\.')
ERROR_FIELD_OWNERS = {'runtime/lib/core/error.c', 'runtime/lib/graph/ctx.c',
                      'runtime/lib/core/core.h'}
COMMENT = re.compile(r'/\*.*?\*/', re.S)


def closure(layer):
    seen, todo = set(), list(LAYERS[layer])
    while todo:
        dep = todo.pop()
        if dep not in seen:
            seen.add(dep)
            todo.extend(LAYERS[dep])
    return seen


def check_acyclic(problems):
    state = {}

    def visit(layer, path):
        if state.get(layer) == 'open':
            problems.append('the layer table has a cycle: ' + ' -> '.join(path + [layer]))
            return
        if state.get(layer) == 'done':
            return
        state[layer] = 'open'
        for dep in LAYERS[layer]:
            if dep not in LAYERS:
                problems.append(f'layer {layer} uses {dep}, which is no layer')
            else:
                visit(dep, path + [layer])
        state[layer] = 'done'
    for layer in LAYERS:
        visit(layer, [])


def check_includes(root, problems):
    lib = os.path.join(root, 'runtime', 'lib')
    on_disk = sorted(d for d in os.listdir(lib) if os.path.isdir(os.path.join(lib, d)))
    for d in on_disk:
        if d not in LAYERS:
            problems.append(f'runtime/lib/{d} is not in the layer table of {sys.argv[0]}')
    n_edges = 0
    for folder in on_disk + ['../cli', '../include/pcsm']:
        where = os.path.normpath(os.path.join(lib, folder))
        layer = os.path.basename(where)
        for name in sorted(os.listdir(where)):
            if not name.endswith(('.c', '.h')):
                continue
            path = os.path.join(where, name)
            rel = os.path.relpath(path, root)
            with open(path, encoding='utf-8') as f:
                text = f.read()
            for kind, target in INCLUDE.findall(text):
                if target == 'libpq-fe.h' and layer not in USES_LIBPQ:
                    problems.append(f'{rel}: includes libpq, which only {sorted(USES_LIBPQ)} may')
                if kind == '<':
                    continue
                n_edges += 1
                head = target.split('/')[0] if '/' in target else None
                if layer == 'pcsm':             # public headers: one another only
                    if head is not None and head != 'pcsm':
                        problems.append(f'{rel}: public header includes private "{target}"')
                elif layer == 'cli':            # the CLI: public headers and its own
                    if head not in (None, 'pcsm'):
                        problems.append(f'{rel}: the CLI includes the library\'s private "{target}"')
                elif head is None:
                    # Generated headers in the build tree (version, template).
                    if not os.path.exists(os.path.join(where, target)) and \
                            target not in ('revision_template.h',):
                        problems.append(f'{rel}: "{target}" names no layer (write "<layer>/{target}")')
                    elif os.path.exists(os.path.join(where, target)):
                        problems.append(f'{rel}: write "{layer}/{target}", not "{target}"')
                elif head != 'pcsm' and head != layer and head not in closure(layer):
                    problems.append(f'{rel}: layer {layer} includes "{target}" of layer {head}, '
                                    f'which it may not use ({layer} uses {sorted(closure(layer)) or "nothing"})')
    return n_edges


def check_error_fields(root, problems):
    """Nobody but error.c (and ctx.c, their owner) touches the error fields."""
    n_files = 0
    for top in ('runtime/lib', 'runtime/cli', 'runtime/include'):
        for where, dirs, files in os.walk(os.path.join(root, top)):
            dirs.sort()
            for name in sorted(files):
                if not name.endswith(('.c', '.h')):
                    continue
                path = os.path.join(where, name)
                rel = os.path.relpath(path, root).replace(os.sep, '/')
                n_files += 1
                if rel in ERROR_FIELD_OWNERS:
                    continue
                with open(path, encoding='utf-8') as f:
                    # Comments blanked, newlines kept for the line numbers.
                    text = COMMENT.sub(lambda m: re.sub(r'[^\n]', ' ', m.group(0)), f.read())
                for lineno, line in enumerate(text.splitlines(), 1):
                    for m in ERROR_FIELDS.finditer(line):
                        problems.append(f'{rel}:{lineno}: touches the context\'s error field '
                                        f'"{m.group(0)}"; set, prefix or append '
                                        f'the error through core/error.c')
    return n_files


def check_symbols(nm_output, problems):
    """Which layer's object defines each symbol, and who takes it (nm -A)."""
    out = nm_output
    defined, wanted = {}, []
    for line in out.splitlines():
        m = re.match(r'^[^:]*:([^:]+\.o):\s*([0-9a-fA-F]*)\s+(\w)\s+(\S+)$', line)
        if not m:
            continue
        obj, _, kind, sym = m.groups()
        obj = os.path.basename(obj)
        # meson names objects <folder>_<file>.c.o
        layer = obj.split('_', 1)[0]
        if kind == 'U':
            wanted.append((obj, layer, sym))
        elif kind.isupper():
            defined[sym] = (obj, layer)
    for obj, layer, sym in wanted:
        if sym not in defined:
            continue                    # libc, libpq, OpenSSL
        dobj, dlayer = defined[sym]
        if layer not in LAYERS:
            problems.append(f'{obj}: an object of no known layer')
        elif dlayer != layer and dlayer not in closure(layer):
            problems.append(f'{obj} (layer {layer}) calls {sym} of layer {dlayer}')
    return len(wanted)


def draw():
    order = []
    for layer in LAYERS:                # the table is lowest first
        order.append(layer)
    print('cli  (public headers only: include/pcsm)')
    for layer in reversed(order):
        uses = ', '.join(LAYERS[layer]) or '-'
        pq = '  [libpq]' if layer in USES_LIBPQ else ''
        print(f'  {layer:<9} -> {uses}{pq}')


def main():
    ap = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    ap.add_argument('--source-root', default=os.path.join(os.path.dirname(__file__), '..', '..'))
    ap.add_argument('--lib', help='the built libpcsm.a, for the symbol check')
    ap.add_argument('--draw', action='store_true')
    args = ap.parse_args()
    if args.draw:
        draw()
        return 0
    problems = []
    check_acyclic(problems)
    n_inc = check_includes(os.path.abspath(args.source_root), problems)
    n_files = check_error_fields(os.path.abspath(args.source_root), problems)
    n_sym = 0
    if args.lib:
        nm = subprocess.run(['nm', '-A', args.lib], check=True, capture_output=True, text=True)
        n_sym = check_symbols(nm.stdout, problems)
    problems = sorted(set(problems))
    for p in problems:
        print('layering:', p, file=sys.stderr)
    if n_inc == 0 or n_files == 0 or (args.lib and n_sym == 0):
        print('layering: read no include or no symbol: the check checked nothing', file=sys.stderr)
        return 1
    print(f'{n_inc} includes and {n_sym} cross-object symbol uses checked, '
          f'{len(problems)} problems')
    return 1 if problems else 0


if __name__ == '__main__':
    sys.exit(main())
