#!/usr/bin/env bash
# A throw-away PostgreSQL server for the tests, on 127.0.0.1 only. Idempotent and root-safe:
#   - installs the Debian package `postgresql` when no server binaries are found;
#   - creates a cluster in $SOTHEODOI_PG_DIR (default /tmp/sotheodoi-pg) with initdb, run as the
#     `postgres` user when this script runs as root;
#   - starts it on a free port (kept across runs in $SOTHEODOI_PG_DIR/port), listening on
#     127.0.0.1 only;
#   - creates the role `sotheodoi` (password `sotheodoi`, CREATEDB: every test gets its own
#     database; member of pg_signal_backend: dropping it may end an autovacuum worker) and the
#     database `sotheodoi_test`;
#   - prints the URL on stdout, and nothing else:
#       postgresql+psycopg://sotheodoi:sotheodoi@127.0.0.1:PORT/sotheodoi_test
# Stop it with: scripts/pg_test_server.sh stop
set -euo pipefail

DIR="${SOTHEODOI_PG_DIR:-/tmp/sotheodoi-pg}"
ROLE="sotheodoi"
PASSWORD="sotheodoi"
DBNAME="sotheodoi_test"
say() { printf '[pg_test_server] %s\n' "$*" >&2; }

find_bindir() {
  local d
  for d in $(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V -r); do
    [ -x "$d/initdb" ] && { echo "$d"; return 0; }
  done
  command -v initdb >/dev/null 2>&1 && { dirname "$(command -v initdb)"; return 0; }
  return 1
}

BIN="$(find_bindir || true)"
if [ -z "$BIN" ]; then
  say "PostgreSQL is not installed: installing the Debian package postgresql"
  SUDO=""
  [ "$(id -u)" -ne 0 ] && SUDO="sudo"
  $SUDO apt-get update -qq >&2 || true
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends \
    postgresql >&2
  BIN="$(find_bindir)"
fi

# Run a server command as the postgres user when we are root (initdb/postgres refuse root).
as_pg() {
  if [ "$(id -u)" -eq 0 ]; then
    if command -v runuser >/dev/null 2>&1; then
      runuser -u postgres -- "$@"
    else
      su postgres -s /bin/sh -c "$(printf '%q ' "$@")"
    fi
  else
    "$@"
  fi
}

if [ "${1:-}" = stop ]; then
  if [ -f "$DIR/data/postmaster.pid" ]; then
    as_pg "$BIN/pg_ctl" -D "$DIR/data" -m fast -w stop >&2 || true
  fi
  exit 0
fi

mkdir -p "$DIR"
if [ "$(id -u)" -eq 0 ]; then
  getent passwd postgres >/dev/null || useradd --system --home-dir "$DIR" postgres
  chown postgres "$DIR"
fi

if [ ! -f "$DIR/data/PG_VERSION" ]; then
  say "Creating a cluster in $DIR/data"
  rm -rf "$DIR/data"
  as_pg "$BIN/initdb" -D "$DIR/data" -U postgres -E UTF8 --locale=C.UTF-8 \
    --auth-local=trust --auth-host=scram-sha-256 >/dev/null 2>&1 \
    || as_pg "$BIN/initdb" -D "$DIR/data" -U postgres -E UTF8 --locale=C \
      --auth-local=trust --auth-host=scram-sha-256 >&2
fi

free_port() {
  python3 - <<'EOF'
import socket
s = socket.socket()
s.bind(("127.0.0.1", 0))
print(s.getsockname()[1])
s.close()
EOF
}

running() {
  [ -f "$DIR/port" ] && "$BIN/pg_isready" -q -h "$DIR" -p "$(cat "$DIR/port")" >/dev/null 2>&1
}

if running; then
  PORT="$(cat "$DIR/port")"
else
  # A server left half-dead (its session was ended): stop it; a stale postmaster.pid whose
  # process is gone is ignored by the server itself.
  if [ -f "$DIR/data/postmaster.pid" ]; then
    as_pg "$BIN/pg_ctl" -D "$DIR/data" -m immediate -w -t 10 stop >/dev/null 2>&1 || true
  fi
  PORT="$(free_port)"
  echo "$PORT" > "$DIR/port"
  say "Starting PostgreSQL on 127.0.0.1:$PORT"
  as_pg "$BIN/pg_ctl" -D "$DIR/data" -l "$DIR/server.log" -w -t 60 \
    -o "-p $PORT -c listen_addresses=127.0.0.1 -k $DIR -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=200" \
    start >&2
fi

psql_pg() { as_pg "$BIN/psql" -h "$DIR" -p "$PORT" -U postgres -d postgres -v ON_ERROR_STOP=1 -qAt "$@"; }

if [ "$(psql_pg -c "SELECT 1 FROM pg_roles WHERE rolname = '$ROLE'")" != 1 ]; then
  psql_pg -c "CREATE ROLE $ROLE LOGIN CREATEDB PASSWORD '$PASSWORD'" >&2
fi
# DROP DATABASE … WITH (FORCE) at a test's end also ends an autovacuum worker busy in that
# database, which a non-superuser may do only as a member of pg_signal_backend.
psql_pg -c "GRANT pg_signal_backend TO $ROLE" >&2 2>/dev/null || true
if [ "$(psql_pg -c "SELECT 1 FROM pg_database WHERE datname = '$DBNAME'")" != 1 ]; then
  psql_pg -c "CREATE DATABASE $DBNAME OWNER $ROLE ENCODING 'UTF8' TEMPLATE template0" >&2
fi

echo "postgresql+psycopg://$ROLE:$PASSWORD@127.0.0.1:$PORT/$DBNAME"
