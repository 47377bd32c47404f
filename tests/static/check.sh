#!/usr/bin/env bash
# The static build's check (tests/run.sh; docs/containers.md "Static build"):
# BINARY needs libc alone, runs, migrates a fresh database and then finds
# nothing to do, and fails GSSAPI and LDAP as documented.  Needs PGHOST,
# PGPORT and PGUSER of a running cluster (pg_virtualenv sets them).
set -euo pipefail
bin=$1
fail() { echo "static check: $*" >&2; exit 1; }

needed=$(readelf -d "$bin" | sed -n 's/.*(NEEDED).*\[\(.*\)\]/\1/p' | tr '\n' ' ')
[ "$needed" = "libc.so.6 " ] || fail "needs more than libc: $needed"
"$bin" --version | grep -q '^pcs-migrate ' || fail "--version"

db=pcsm_static_check
PGOPTIONS="-c client_min_messages=warning" \
    psql -X -q -c "DROP DATABASE IF EXISTS $db" -c "CREATE DATABASE $db" postgres
export DATABASE_URL="postgresql:///$db?host=$PGHOST&port=$PGPORT&user=$PGUSER"
"$bin" migrate 2>/dev/null | grep -q '(head)' || fail "migrate did not reach head"
"$bin" migrate 2>&1 >/dev/null | grep -q 'nothing to do' || fail "the no-op run did work"
[ "$(psql -X -At -c 'SELECT count(*) FROM pcs_migrate_history' "$db")" -ge 1 ] ||
    fail "no history row"

# The features left out: each a connection error (status 3) saying why.
rc=0
out=$(DATABASE_URL="$DATABASE_URL&gssencmode=require" "$bin" current 2>&1) || rc=$?
[ $rc -eq 3 ] && grep -q 'GSSAPI encryption required' <<<"$out" || fail "gssencmode: $rc $out"
svc=$(mktemp)
trap 'rm -f "$svc"' EXIT
printf '[svc]\nldap://ldap.invalid/dc=x?uniqueMember?one?(cn=x)\n' > "$svc"
rc=0
out=$(PGSERVICEFILE=$svc DATABASE_URL="postgresql:///$db?service=svc" "$bin" current 2>&1) || rc=$?
[ $rc -eq 3 ] && grep -q 'could not create LDAP structure' <<<"$out" || fail "ldap: $rc $out"
# A server asking for GSSAPI authentication: a pg_hba.conf "gss" line for the
# database, over TCP only (a Unix socket cannot have one), then the old file.
if [[ $PGHOST != /* ]]; then
    hba=$(psql -X -At -c 'SHOW hba_file' postgres)
    cp "$hba" "$svc.hba"
    { echo "host $db all all gss"; cat "$svc.hba"; } > "$hba"
    psql -X -q -c 'SELECT pg_reload_conf()' postgres >/dev/null
    rc=0
    out=$("$bin" current 2>&1) || rc=$?
    cat "$svc.hba" > "$hba"
    rm -f "$svc.hba"
    psql -X -q -c 'SELECT pg_reload_conf()' postgres >/dev/null
    [ $rc -eq 3 ] && grep -q 'not in this static build of pcs-migrate: use the' <<<"$out" ||
        fail "gss auth: $rc $out"
else
    echo "static check: GSSAPI authentication not checked (PGHOST is a socket directory)"
fi
psql -X -q -c "DROP DATABASE $db" postgres
echo "static check: $bin ok (needs only libc.so.6; $(stat -c %s "$bin") bytes)"
