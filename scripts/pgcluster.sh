#!/usr/bin/env bash
# The project's private PostgreSQL + PostGIS cluster: its own data directory and port, never the
# system cluster. Usage: scripts/pgcluster.sh ensure|start|stop|status|url|psql|bindir [args]
#
# The cluster accepts streaming replicas from 127.0.0.1 (pg_basebackup -R; docs/scaling.md):
# `start` checks that on every run and adjusts an older cluster (pg_hba.conf, with a reload).
#
# Environment: ZS_PGPORT (default 55432), ZS_PGDATA (default: .pgdata in the checkout, or
# /var/lib/zhengshou/pg<port> when run as root, because postgres refuses to run as root and the
# checkout may sit in a folder (such as /root) that the postgres user cannot enter).
set -euo pipefail

here=$(cd "$(dirname "$0")/.." && pwd)
port=${ZS_PGPORT:-55432}
superuser=zhengshou
database=${ZS_PGDATABASE:-zhengshou}

if [ "$(id -u)" = 0 ]; then
    run_as=postgres
    data=${ZS_PGDATA:-/var/lib/zhengshou/pg$port}
else
    run_as=
    data=${ZS_PGDATA:-$here/.pgdata}
fi
log="$data.log"
server_options="-p $port -c listen_addresses=127.0.0.1 -c unix_socket_directories=/tmp"

say() { printf 'pgcluster: %s\n' "$*" >&2; }

# Newest installed PostgreSQL (15 or later) that has the PostGIS extension beside it.
find_bindir() {
    local v
    for v in 18 17 16 15; do
        if [ -x "/usr/lib/postgresql/$v/bin/initdb" ] &&
            ls "/usr/share/postgresql/$v/extension/postgis.control" >/dev/null 2>&1; then
            echo "/usr/lib/postgresql/$v/bin"
            return 0
        fi
    done
    return 1
}

installed_server_version() {
    local v
    for v in 18 17 16 15; do
        [ -x "/usr/lib/postgresql/$v/bin/initdb" ] && { echo "$v"; return 0; }
    done
    return 1
}

ensure_packages() {
    find_bindir >/dev/null && return 0
    local packages version
    if version=$(installed_server_version); then
        packages="postgresql-$version-postgis-3"
    else
        packages="postgresql postgresql-postgis"
    fi
    if [ "$(id -u)" != 0 ] || ! command -v apt-get >/dev/null; then
        say "PostgreSQL 15+ with PostGIS 3 is not installed. Install it, then run make again:"
        say "    sudo apt-get update && sudo apt-get install -y $packages"
        say "or point the project at an existing PostGIS with DATABASE_URL=postgresql+psycopg://user@host:port/db"
        exit 1
    fi
    say "installing $packages with apt-get"
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq
    # shellcheck disable=SC2086
    apt-get install -y -qq --no-install-recommends $packages >/dev/null
    find_bindir >/dev/null || { say "PostGIS still not found after installing $packages"; exit 1; }
}

as_owner() {
    if [ -n "$run_as" ]; then
        runuser -u "$run_as" -- "$@"
    else
        "$@"
    fi
}

sql() {
    "$bindir/psql" -h 127.0.0.1 -p "$port" -U "$superuser" -d postgres -tAq "$@"
}

# What a streaming replica needs from its primary: WAL with replica detail, WAL senders, and a
# pg_hba.conf line for replication connections. initdb's defaults give all three; a cluster made
# otherwise is adjusted here. pg_hba.conf takes a reload; wal_level and max_wal_senders only
# change on a restart, done here only for a cluster this run started itself.
allow_replication() {
    local started_now=$1 hba="$data/pg_hba.conf" line
    line='host    replication     all             127.0.0.1/32            trust'
    if ! grep -Eq '^[[:space:]]*host[[:space:]]+replication[[:space:]]+[^[:space:]]+[[:space:]]+127\.0\.0\.1/32[[:space:]]' "$hba"; then
        say "allowing replication connections from 127.0.0.1 (pg_hba.conf, reloaded)"
        printf '%s\n' "$line" >>"$hba"
        sql -c "SELECT pg_reload_conf()" >/dev/null
    fi
    local wal_level senders
    wal_level=$(sql -c "SHOW wal_level")
    senders=$(sql -c "SHOW max_wal_senders")
    if [ "$wal_level" = minimal ] || [ "$senders" = 0 ]; then
        sql -c "ALTER SYSTEM SET wal_level = replica" -c "ALTER SYSTEM SET max_wal_senders = 10" >/dev/null
        if [ "$started_now" = yes ]; then
            say "restarting for wal_level = replica and max_wal_senders = 10 (streaming replicas)"
            as_owner "$bindir/pg_ctl" -D "$data" -l "$log" -w -t 60 restart -o "$server_options" >/dev/null
        else
            say "wal_level = replica and max_wal_senders = 10 are set but take effect on a restart:"
            say "    scripts/pgcluster.sh stop && scripts/pgcluster.sh start"
        fi
    fi
}

is_running() {
    [ -f "$data/postmaster.pid" ] && as_owner "$bindir/pg_ctl" -D "$data" status >/dev/null 2>&1
}

start() {
    ensure_packages
    bindir=$(find_bindir)
    if [ -n "$run_as" ]; then
        mkdir -p "$(dirname "$data")"
        chown "$run_as" "$(dirname "$data")"
    fi
    if [ ! -f "$data/PG_VERSION" ]; then
        say "creating cluster in $data"
        as_owner "$bindir/initdb" -D "$data" -U "$superuser" --auth=trust -E UTF8 \
            --locale=C.UTF-8 --no-instructions >/dev/null
    fi
    local started_now=no
    if ! is_running; then
        started_now=yes
        if "$bindir/pg_isready" -q -h 127.0.0.1 -p "$port"; then
            say "port $port is taken by another server; set ZS_PGPORT to a free port"
            exit 1
        fi
        say "starting PostgreSQL on 127.0.0.1:$port (log: $log)"
        as_owner touch "$log" 2>/dev/null || true
        as_owner "$bindir/pg_ctl" -D "$data" -l "$log" -w -t 60 start -o "$server_options" >/dev/null
    fi
    allow_replication "$started_now"
    if ! sql -c "SELECT 1 FROM pg_database WHERE datname = '$database'" | grep -q 1; then
        "$bindir/createdb" -h 127.0.0.1 -p "$port" -U "$superuser" "$database"
    fi
}

case "${1:-}" in
ensure) ensure_packages ;;
start) start ;;
stop)
    bindir=$(find_bindir)
    if is_running; then as_owner "$bindir/pg_ctl" -D "$data" -m fast -w stop >/dev/null; fi
    ;;
status)
    bindir=$(find_bindir)
    if is_running; then echo "running on 127.0.0.1:$port, data in $data"; else echo "stopped ($data)"; exit 3; fi
    ;;
bindir) find_bindir ;;
url) echo "postgresql+psycopg://$superuser@127.0.0.1:$port/$database" ;;
psql)
    shift
    bindir=$(find_bindir)
    exec "$bindir/psql" -h 127.0.0.1 -p "$port" -U "$superuser" -d "$database" "$@"
    ;;
*)
    echo "usage: $0 ensure|start|stop|status|url|psql|bindir [args]" >&2
    exit 2
    ;;
esac
