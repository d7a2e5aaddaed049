#!/usr/bin/env bash
# Makes sure a PostgreSQL server answers on 127.0.0.1:5432 with a database "test" that
# user postgres can reach, for the integration tests. Starts an installed cluster that
# is down; installs Debian's postgresql when there is none. Prints the URL to use.
set -euo pipefail

url="postgres://postgres:postgres@127.0.0.1:5432/test?sslmode=disable"
SUDO=""
[ "$(id -u)" -ne 0 ] && SUDO="sudo"

ready() { pg_isready -q -h 127.0.0.1 -p 5432 2>/dev/null; }

if ! command -v pg_ctlcluster >/dev/null 2>&1; then
  echo "installing postgresql" >&2
  export DEBIAN_FRONTEND=noninteractive
  $SUDO apt-get update -qq
  $SUDO apt-get install -y -qq --no-install-recommends postgresql >/dev/null
fi

if ! ready; then
  version=$(ls /etc/postgresql | sort -V | tail -n 1)
  echo "starting PostgreSQL $version" >&2
  $SUDO pg_ctlcluster --skip-systemctl-redirect "$version" main start || true
  for _ in $(seq 1 60); do ready && break; sleep 0.5; done
fi
ready || { echo "PostgreSQL did not start on 127.0.0.1:5432" >&2; exit 1; }

# Password auth for a fresh install (a trust setup ignores it); the test database.
as_postgres() { if [ "$(id -u)" -eq 0 ]; then su postgres -c "$1"; else sudo -u postgres sh -c "$1"; fi; }
if ! psql "$url" -Atqc 'select 1' >/dev/null 2>&1; then
  as_postgres "psql -q -c \"ALTER USER postgres PASSWORD 'postgres'\"" >/dev/null
  as_postgres "psql -Atqc \"SELECT 1 FROM pg_database WHERE datname='test'\" | grep -q 1 || createdb test"
fi
psql "$url" -Atqc 'select 1' >/dev/null
echo "$url"
