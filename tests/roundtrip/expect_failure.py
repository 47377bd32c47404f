#!/usr/bin/env python3
"""expect_failure.py PROGRAM TEXT...: PROGRAM must exit 1 and print every TEXT.

For checks that are meant to fail (a broken fixture), with the failure
shown the way a developer would see it.
"""
import os
import subprocess
import sys

if not os.environ.get('PCSM_TEST_DSN'):
    print('1..0 # SKIP PCSM_TEST_DSN not set')
    sys.exit(77 if os.environ.get('PCSM_TEST_REQUIRE_DB') is None else 99)
result = subprocess.run(sys.argv[1:2], capture_output=True, text=True)
output = result.stdout + result.stderr
print(output)
missing = [t for t in sys.argv[2:] if t not in output]
if result.returncode != 1 or missing:
    print(f'expected exit 1 and {sys.argv[2:]!r}; got exit {result.returncode}, '
          f'missing {missing!r}', file=sys.stderr)
    sys.exit(1)
