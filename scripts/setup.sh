#!/usr/bin/env bash
# The first set-up command: installs what is missing, builds pcs-migrate and
# migrates a database to head.  With DATABASE_URL unset it does so on a
# throwaway local PostgreSQL cluster (pg_virtualenv), dropped afterwards.
set -euo pipefail
cd "$(dirname "$0")/.."

scripts/install-deps.sh
[ -d build ] || meson setup build >/dev/null
meson compile -C build >/dev/null
bin=build/pcs-migrate

migrate() {
    # This build applies its offline script through psql: read the current
    # revision(s) from the version table, then run FROM:head.
    local from
    from=$(psql -X -qAt -v ON_ERROR_STOP=1 -d "${DATABASE_URL:-}" -c \
        "SELECT coalesce(string_agg(version_num, ',' ORDER BY version_num), 'base')
           FROM (SELECT version_num FROM alembic_version) v" 2>/dev/null || echo base)
    echo "setup: database at ${from}; upgrading to head" >&2
    "$bin" upgrade --sql "${from}:head" | psql -X -q -v ON_ERROR_STOP=1 -d "${DATABASE_URL:-}"
    echo "setup: current revision: $(psql -X -qAt -d "${DATABASE_URL:-}" -c 'SELECT version_num FROM alembic_version')" >&2
    "$bin" history
    psql -X -d "${DATABASE_URL:-}" -c '\dt'
}

if [ -n "${DATABASE_URL:-}" ]; then
    migrate
else
    export -f migrate
    export bin
    pg_virtualenv -t -o fsync=off bash -c migrate
fi
