#!/usr/bin/env bash
# The first set-up command: installs what is missing, builds pcs-migrate and
# migrates a database to head, then shows `current`, `history` and the
# tables (psql's \dt, from postgresql-client, which postgresql brings).  With
# DATABASE_URL unset it does so on a throwaway local PostgreSQL cluster
# (pg_virtualenv), which is dropped again afterwards.
set -euo pipefail
cd "$(dirname "$0")/.."

scripts/install-deps.sh
[ -d build ] || meson setup build >/dev/null
meson compile -C build pcs-migrate >/dev/null
export bin=build/pcs-migrate

migrate() {
    "$bin" migrate
    "$bin" current --verbose
    "$bin" history -i
    psql -X -P pager=off -d "$DATABASE_URL" -c '\dt'
}

if [ -n "${DATABASE_URL:-}" ]; then
    migrate
else
    export -f migrate
    # pg_virtualenv sets PGHOST, PGPORT, PGUSER and PGPASSWORD for libpq.
    pg_virtualenv -t -o fsync=off bash -c \
        'export DATABASE_URL="host=$PGHOST port=$PGPORT user=$PGUSER dbname=postgres"; migrate'
fi
