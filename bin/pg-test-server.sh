#!/usr/bin/env bash
# A throwaway PostgreSQL for tests and CI: data in a temp folder, listening on 127.0.0.1 only,
# its socket in /tmp, C collation (text sorts by bytes, as SQLite's BINARY does), no password
# (trust on loopback; it is a test server). Needs PostgreSQL's server binaries (Debian: postgresql).
#
#   eval "$(bin/pg-test-server.sh start)"   # prints export GUIDEPOST_TEST_DATABASE_URL=... and PG_TEST_DIR=...
#   bin/pg-test-server.sh stop "$PG_TEST_DIR"
#
# Run as root, it runs the server as the `postgres` user (initdb refuses root).
set -euo pipefail

bindir="${PG_BINDIR:-}"
if [ -z "$bindir" ]; then
  for d in /usr/lib/postgresql/*/bin; do [ -x "$d/initdb" ] && bindir="$d"; done
fi
[ -n "$bindir" ] && [ -x "$bindir/initdb" ] || { echo "pg-test-server: no initdb found (apt-get install postgresql, or set PG_BINDIR)" >&2; exit 1; }

as_owner() {
  if [ "$(id -u)" = 0 ]; then su postgres -s /bin/sh -c "$*"; else sh -c "$*"; fi
}

case "${1:-}" in
  start)
    port="${PG_TEST_PORT:-}"
    if [ -z "$port" ]; then
      port=$(node -e 'const s=require("net").createServer();s.listen(0,"127.0.0.1",()=>{console.log(s.address().port);s.close()})')
    fi
    dir=$(mktemp -d /tmp/guidepost-pg.XXXXXX)
    chmod 755 "$dir"
    [ "$(id -u)" = 0 ] && chown postgres "$dir"
    as_owner "'$bindir/initdb' -D '$dir/data' -U guidepost --auth=trust --no-locale -E UTF8 >'$dir/initdb.log' 2>&1" \
      || { cat "$dir/initdb.log" >&2; exit 1; }
    as_owner "'$bindir/pg_ctl' -D '$dir/data' -l '$dir/server.log' -w -t 30 \
      -o \"-c listen_addresses=127.0.0.1 -p $port -k /tmp -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=200\" start >/dev/null" \
      || { cat "$dir/server.log" >&2; exit 1; }
    echo "export PG_TEST_DIR='$dir'"
    echo "export GUIDEPOST_TEST_DATABASE_URL='postgres://guidepost@127.0.0.1:$port/postgres'"
    ;;
  stop)
    dir="${2:-${PG_TEST_DIR:-}}"
    [ -n "$dir" ] && [ -d "$dir/data" ] || { echo "pg-test-server: stop needs the folder start printed" >&2; exit 1; }
    as_owner "'$bindir/pg_ctl' -D '$dir/data' -m fast -w stop >/dev/null" || true
    rm -rf "$dir"
    ;;
  *)
    echo "usage: $0 start | stop <dir>" >&2; exit 2 ;;
esac
