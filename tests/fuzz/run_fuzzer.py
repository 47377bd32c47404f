#!/usr/bin/env python3
"""Runs one libFuzzer target for a bounded time and reports its figures.

The meson test of each target in a -Dfuzz=enabled build.  The committed
seeds (tests/fuzz/corpus/<target>/) are read, never written: new inputs go
to WORK/corpus, which survives between runs of the same build directory,
and crash, leak, timeout and out-of-memory inputs to WORK/.  libFuzzer's
log goes to WORK/fuzz.log; stdout gets one summary line:

    fuzz graph: 612345 inputs in 20 s (30617/s), corpus 214 (11 seeds, 203 new),
        1893 edges, crashes 0

and, when something was found, the inputs and how to replay them.  Exits 1
when the fuzzer found anything or failed, else 0.

    run_fuzzer.py --fuzzer BIN --name NAME --seeds DIR --work DIR
                  [--dict FILE] [--seconds N] [--runs N] [-- LIBFUZZER_ARGS...]

PCSM_FUZZ_SECONDS overrides --seconds (the longer run of the developer
guide).  Standard library only.
"""

import argparse
import os
import re
import subprocess
import sys
import time

FINDINGS = ('crash-', 'leak-', 'timeout-', 'oom-', 'slow-unit-')


def parse_args():
    parser = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    parser.add_argument('--fuzzer', required=True)
    parser.add_argument('--name', required=True)
    parser.add_argument('--seeds', required=True)
    parser.add_argument('--work', required=True)
    parser.add_argument('--dict')
    parser.add_argument('--seconds', type=int, default=20)
    parser.add_argument('--runs', type=int, default=-1)
    parser.add_argument('extra', nargs='*', help='more libFuzzer arguments')
    args = parser.parse_args()
    env_seconds = os.environ.get('PCSM_FUZZ_SECONDS')
    if env_seconds:
        args.seconds = int(env_seconds)
    return args


def stat(log, name):
    match = re.search(rf'^stat::{name}:\s*(\d+)', log, re.M)
    return int(match.group(1)) if match else None


def main():
    args = parse_args()
    corpus = os.path.join(args.work, 'corpus')
    os.makedirs(corpus, exist_ok=True)
    before = set(os.listdir(args.work))
    n_seeds = len([f for f in os.listdir(args.seeds) if not f.startswith('.')])
    log_path = os.path.join(args.work, 'fuzz.log')
    cmd = [args.fuzzer,
           f'-max_total_time={args.seconds}',
           f'-runs={args.runs}',
           '-timeout=10',
           '-max_len=4096',
           '-print_final_stats=1',
           f'-artifact_prefix={args.work}/']
    if args.dict:
        cmd.append(f'-dict={args.dict}')
    cmd += args.extra + [corpus, args.seeds]
    env = dict(os.environ)
    # UBSan only prints by default; a finding must stop the run.
    env.setdefault('UBSAN_OPTIONS', 'halt_on_error=1:print_stacktrace=1')
    start = time.monotonic()
    with open(log_path, 'w', encoding='utf-8', errors='replace') as log_file:
        status = subprocess.run(cmd, stdout=log_file, stderr=subprocess.STDOUT,
                                env=env, check=False).returncode
    elapsed = time.monotonic() - start
    with open(log_path, encoding='utf-8', errors='replace') as f:
        log = f.read()

    runs = stat(log, 'number_of_executed_units')
    rate = stat(log, 'average_exec_per_sec')
    cov = re.findall(r'cov: (\d+) ft: \d+ corp: (\d+)/', log)
    seed = re.search(r'INFO: Seed: (\d+)', log)
    new_units = stat(log, 'new_units_added')
    findings = sorted(f for f in set(os.listdir(args.work)) - before
                      if f.startswith(FINDINGS))
    edges, corp = cov[-1] if cov else ('?', '?')
    print(f'fuzz {args.name}: {runs if runs is not None else "?"} inputs in '
          f'{elapsed:.0f} s ({rate if rate is not None else "?"}/s), '
          f'corpus {corp} ({n_seeds} seeds, '
          f'{new_units if new_units is not None else "?"} new), '
          f'{edges} edges, crashes {len(findings)}'
          + (f', libFuzzer seed {seed.group(1)}' if seed else ''))
    if status != 0 or findings:
        print(f'fuzz {args.name}: libFuzzer exited {status}; log {log_path}')
        for finding in findings:
            path = os.path.join(args.work, finding)
            print(f'  found {path}\n  replay: {args.fuzzer} {path}')
        print('--- end of the log ---')
        print('\n'.join(log.splitlines()[-60:]))
        return 1
    return 0


if __name__ == '__main__':
    sys.exit(main())
