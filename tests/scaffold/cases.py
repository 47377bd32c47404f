"""Reads tests/scaffold/header_cases.txt and message_cases.txt.

The format is described at the top of each file; tests/unit/test_scaffold.c
reads them the same way.  Standard library only.
"""

import os
import re

HERE = os.path.dirname(os.path.abspath(__file__))
HEADER_CASES = os.path.join(HERE, 'header_cases.txt')
MESSAGE_CASES = os.path.join(HERE, 'message_cases.txt')
NONE = b'(none)'
REFUSED = b'(refused)'

ESCAPE_RE = re.compile(rb'\\(x[0-9a-fA-F]{2}|[rnt\\])')


def unescape(text):
    """bytes with \\r, \\n, \\t, \\xHH and \\\\ replaced."""
    def one(match):
        code = match.group(1)
        if code.startswith(b'x'):
            return bytes([int(code[1:], 16)])
        return {b'r': b'\r', b'n': b'\n', b't': b'\t', b'\\': b'\\'}[code]
    return ESCAPE_RE.sub(one, text)


def read_cases(path):
    """[{'name': str, key: bytes..., 'text': bytes or None}], in file order."""
    with open(path, 'rb') as f:
        lines = f.read().split(b'\n')
    if lines and lines[-1] == b'':
        lines.pop()
    cases = []
    case = None
    text = None
    for line in lines:
        if line.startswith(b'=== '):
            if case is not None:
                finish(case, text)
            case = {'name': line[4:].decode()}
            cases.append(case)
            text = None
        elif case is None:
            continue                # the file's own comments
        elif text is not None:
            text.append(line)
        elif line == b'---':
            text = []
        elif line:
            key, _, value = line.partition(b':')
            case[key.decode()] = unescape(value[1:] if value.startswith(b' ') else value)
    if case is not None:
        finish(case, text)
    return cases


def finish(case, text):
    if text is None:
        case['text'] = None
        return
    while text and text[-1] == b'':
        text.pop()
    case['text'] = b''.join(unescape(line) + b'\n' for line in text)
