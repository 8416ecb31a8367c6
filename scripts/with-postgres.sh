#!/usr/bin/env bash
# Start a throwaway PostgreSQL on a private Unix socket, run the command, then remove it.
# The command sees TEST_DATABASE_URL.
set -euo pipefail
bin=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1)
[ -x "$bin/initdb" ] || { echo "PostgreSQL server not found: make system-test-deps" >&2; exit 1; }
dir=$(mktemp -d /tmp/samstem-pg.XXXXXX)
as_owner=()
if [ "$(id -u)" -eq 0 ]; then
  chown postgres: "$dir"          # the server refuses to run as root
  as_owner=(runuser -u postgres --)
fi
stop() {
  "${as_owner[@]}" "$bin/pg_ctl" -D "$dir/data" -m immediate stop >/dev/null 2>&1 || true
  rm -rf "$dir"
}
trap stop EXIT
"${as_owner[@]}" "$bin/initdb" -D "$dir/data" -A trust -U samstem -E UTF8 --no-sync >/dev/null
# Durability is not needed for a database that lives for one test run.
"${as_owner[@]}" "$bin/pg_ctl" -D "$dir/data" -l "$dir/server.log" -w \
  -o "-k $dir -c listen_addresses='' -c fsync=off -c synchronous_commit=off -c full_page_writes=off" start >/dev/null
"${as_owner[@]}" "$bin/createdb" -h "$dir" -U samstem samstem_test
export TEST_DATABASE_URL="postgresql+psycopg://samstem@/samstem_test?host=$dir"
"$@"
