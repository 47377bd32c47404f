#!/usr/bin/env bash
# The second set-up command: every test.  Installs what is missing, builds
# twice (plain, and with ASan/UBSan; warnings are errors in both), starts a
# throwaway PostgreSQL cluster and runs the whole meson test suite of each
# build against it.  Build directories: build-test/plain, build-test/sanitize.
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

run_suites() {
    export PCSM_TEST_DSN="host=$PGHOST port=$PGPORT user=$PGUSER"
    local rc=0
    for dir in build-test/plain build-test/sanitize; do
        echo "== meson test -C $dir"
        meson test -C "$dir" --print-errorlogs --num-processes 2 || rc=1
    done
    return $rc
}
export -f run_suites
pg_virtualenv -t -o fsync=off -o max_connections=200 bash -c run_suites
