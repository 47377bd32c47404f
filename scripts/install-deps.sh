#!/usr/bin/env bash
# Installs the Debian packages pcs-migrate builds, tests and runs with, when
# any is missing.  As root it uses apt-get; otherwise it says what to install.
set -euo pipefail

packages=(meson ninja-build pkg-config gcc libc6-dev libpq-dev libssl-dev check
          libmd-dev       # SHA-256 (runtime/lib/core/sha256.c)
          libjansson-dev  # every JSON output (--format json, SARIF); libjansson.a for -Dstatic
          postgresql-server-dev-15   # libpgcommon.a, libpgport.a: the -Dstatic=true build
          postgresql postgresql-client postgresql-common python3
          pgbouncer       # tests/integration/test_pgbouncer.c
          valgrind        # tests/torture/test_valgrind.c
          clang libclang-rt-14-dev    # the fuzz build of tests/run.sh (libFuzzer)
          man-db groff-base zsh fish  # tests/cli/test_help.c: man -l, groff -ww, zsh -n, fish
          locales-all     # --wait against a German-speaking server (tests/torture/test_wait.c)
          python3-alembic python3-psycopg2)  # Alembic itself, for the importer's equality proof

missing=()
for p in "${packages[@]}"; do
    if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed'; then
        missing+=("$p")
    fi
done
[ ${#missing[@]} -eq 0 ] && exit 0

if [ "$(id -u)" -ne 0 ]; then
    echo "install-deps: missing packages: ${missing[*]}" >&2
    echo "install-deps: run as root, or: sudo apt-get install -y ${missing[*]}" >&2
    exit 1
fi
echo "install-deps: installing ${missing[*]}" >&2
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
