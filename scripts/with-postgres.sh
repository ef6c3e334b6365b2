#!/usr/bin/env bash
# Runs a command with a throwaway PostgreSQL: initdb into a temp directory, pg_ctl start on a
# loopback port (UPDRAFT_PG_PORT, default 55432), the command with UPDRAFT_POSTGRES_URL set, then
# stop and delete. Needs the PostgreSQL server binaries (Debian: postgresql-15); as root, runs them
# as the postgres account the package created.
# Usage: bash scripts/with-postgres.sh <command> [args...]
set -euo pipefail

pg_bin=""
for dir in /usr/lib/postgresql/*/bin; do
  [ -x "$dir/initdb" ] && pg_bin="$dir"
done
if [ -z "$pg_bin" ]; then
  echo "PostgreSQL server binaries not found (install Debian's postgresql package)" >&2
  exit 1
fi

work=$(mktemp -d /tmp/updraft-pg.XXXXXX)
port=${UPDRAFT_PG_PORT:-55432}
run_as=()
if [ "$(id -u)" = 0 ]; then
  # initdb and postgres refuse to run as root: use the postgres account the package created.
  chown postgres "$work"
  run_as=(runuser -u postgres --)
fi
cleanup() {
  "${run_as[@]}" "$pg_bin/pg_ctl" -D "$work/data" -m immediate stop >/dev/null 2>&1 || true
  rm -rf "$work"
}
trap cleanup EXIT

"${run_as[@]}" "$pg_bin/initdb" -D "$work/data" -U updraft --auth=trust --locale=C.UTF-8 -E UTF8 >"$work/initdb.log" 2>&1 \
  || { cat "$work/initdb.log"; exit 1; }
"${run_as[@]}" "$pg_bin/pg_ctl" -D "$work/data" -l "$work/postgres.log" -w \
  -o "-c listen_addresses=127.0.0.1 -p $port -k $work -c max_connections=200 -c fsync=on" start >/dev/null
"${run_as[@]}" "$pg_bin/createdb" -h 127.0.0.1 -p "$port" -U updraft updraft
echo "PostgreSQL $("$pg_bin/postgres" --version | awk '{print $3}') on 127.0.0.1:$port"

export UPDRAFT_POSTGRES_URL="jdbc:postgresql://127.0.0.1:$port/updraft?user=updraft"
"$@"
