#!/usr/bin/env bash
# The second set-up command: every test.  Installs what is missing, builds
# twice (plain, and with ASan/UBSan; warnings are errors in both) and the
# static binary, starts a throwaway PostgreSQL cluster and runs the whole meson
# test suite of each build against it, and the static binary's check.  Build
# directories: build-test/plain, build-test/sanitize, build-test/static.
set -euo pipefail
cd "$(dirname "$0")/.."

scripts/install-deps.sh

setup() {   # dir, options...
    local dir=$1; shift
    if [ ! -d "$dir" ]; then
        meson setup "$dir" -Dwerror=true -Dtests=enabled -Dintegration_tests=enabled "$@"
    fi
    meson compile -C "$dir"
}
setup build-test/plain
setup build-test/sanitize -Db_sanitize=address,undefined -Db_lundef=false
# The static build of the container image (docs/containers.md, "Static
# build"): the binary alone, checked by tests/static/check.sh below.
if [ ! -d build-test/static ]; then
    meson setup build-test/static -Dwerror=true -Dstatic=true --buildtype=release \
        -Dtests=disabled -Dlint=off
fi
meson compile -C build-test/static pcs-migrate

run_suites() {
    export PCSM_TEST_DSN="host=$PGHOST port=$PGPORT user=$PGUSER"
    local rc=0
    for dir in build-test/plain build-test/sanitize; do
        echo "== meson test -C $dir"
        meson test -C "$dir" --print-errorlogs --num-processes 2 || rc=1
        # The figures the torture, pgbouncer and fuzz tests print (TAP comments).
        echo "== figures of $dir"
        grep -h '^# ' "$dir/meson-logs/testlog.txt" | grep -v '^# Subtest' || true
    done
    echo "== tests/static/check.sh build-test/static/pcs-migrate"
    tests/static/check.sh build-test/static/pcs-migrate || rc=1
    return $rc
}
export -f run_suites
# A failure does not stop the run: the fuzz build below still runs, and the
# summary at the very end (after the server logs pg_virtualenv prints on a
# failure) names every test that did not pass.
status=0
pg_virtualenv -t -o fsync=off -o max_connections=200 bash -c run_suites || status=1

# ---- fuzzing (issue 6) -------------------------------------------------------
# A third build, clang with libFuzzer, ASan and UBSan (build-test/fuzz), runs
# the 'fuzz' suite only, bounded: 20 s per libFuzzer target (graph, cli,
# render, scaffold), 2000 mutated migration directories through the generator, 1500
# scaffolds (or 60 s) judged by the generator and meson, and the renderer's
# seeded cases on PostgreSQL.  Each prints its figures on one line
# ("fuzz graph: N inputs in 20 s ..., crashes 0").  Only what the suite needs
# is compiled.  Longer runs: docs/developer-guide.md, "Fuzzing".
if [ ! -d build-test/fuzz ]; then
    CC=clang meson setup build-test/fuzz -Dwerror=true -Dtests=enabled \
        -Dintegration_tests=enabled -Dfuzz=enabled \
        -Db_sanitize=address,undefined -Db_lundef=false
fi
meson compile -C build-test/fuzz fuzz_graph fuzz_cli fuzz_render fuzz_scaffold test_render_pg \
    pcs-migrate
run_fuzz_suite() {
    export PCSM_TEST_DSN="host=$PGHOST port=$PGPORT user=$PGUSER"
    echo "== meson test -C build-test/fuzz --suite fuzz"
    meson test -C build-test/fuzz --suite fuzz --no-rebuild --print-errorlogs \
        --num-processes 2 --verbose
}
export -f run_fuzz_suite
pg_virtualenv -t -o fsync=off bash -c run_fuzz_suite || status=1
# ---- end of fuzzing ----------------------------------------------------------

echo "== summary"
for dir in build-test/plain build-test/sanitize build-test/fuzz; do
    log=$dir/meson-logs/testlog.json
    [ -f "$log" ] || { echo "$dir: no test log"; continue; }
    python3 - "$dir" "$log" <<'PY'
import json, sys
tests = [json.loads(line) for line in open(sys.argv[2])]
bad = [t for t in tests if t['result'] not in ('OK', 'SKIP', 'EXPECTEDFAIL')]
print(f"{sys.argv[1]}: {len(tests) - len(bad)} of {len(tests)} passed or skipped")
for t in bad:
    print(f"  {t['result']} {t['name']} ({t['duration']:.0f} s)")
    # TAP's failed cases, and unittest's.
    for line in ((t.get('stdout') or '') + (t.get('stderr') or '')).splitlines():
        if line.startswith(('not ok', 'FAIL: ', 'ERROR: ')):
            print('    ' + line)
PY
done
exit $status
