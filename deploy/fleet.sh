#!/usr/bin/env bash
# The whole fleet on this machine, from Debian's packages: PostgreSQL (feedback, partner counts),
# Redis (rate limits and partner quotas shared by replicas), HAProxy in front of
# FLEET_REPLICAS `clearpath serve` replicas (each run by deploy/replica.sh, the image's
# entrypoint). Every process runs from FLEET_DIR, is recorded there and stopped by `down`.
#
#   fleet.sh up                 start everything (builds the index once first); idempotent
#   fleet.sh down               stop everything this fleet started
#   fleet.sh start|stop SERVICE postgres, redis, proxy or replica-N (N from 1)
#   fleet.sh kill replica-N     SIGKILL one replica (what the fault tests do)
#   fleet.sh status             what runs, where
#   fleet.sh env                the CLEARPATH_* settings the replicas get (secrets included)
#
# Settings (environment): FLEET_DIR (default /tmp/clearpath-fleet-<hash of this checkout>),
# FLEET_PROXY_PORT (8080; replica N listens on FLEET_PROXY_PORT+N), FLEET_PG_PORT (55432),
# FLEET_REDIS_PORT (56379), FLEET_REPLICAS (2). CLEARPATH_* variables pass through to the
# replicas. PostgreSQL refuses to run as root: as root, it runs as FLEET_PG_USER (postgres).
set -euo pipefail

ROOT=$(cd "$(dirname "$0")/.." && pwd)
HERE="$ROOT/deploy"
VENV_BIN=${FLEET_VENV_BIN:-$ROOT/.venv/bin}
HASH=$(printf '%s' "$ROOT" | sha256sum | cut -c1-8)
FLEET_DIR=${FLEET_DIR:-${TMPDIR:-/tmp}/clearpath-fleet-$HASH}
PROXY_PORT=${FLEET_PROXY_PORT:-8080}
PG_PORT=${FLEET_PG_PORT:-55432}
REDIS_PORT=${FLEET_REDIS_PORT:-56379}
REPLICAS=${FLEET_REPLICAS:-2}
PG_USER=${FLEET_PG_USER:-postgres}
PG_BIN=${FLEET_PG_BIN:-$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1)}

say() { printf '[fleet %s] %s\n' "$(date +%H:%M:%S)" "$*" >&2; }
die() { say "error: $*"; exit 1; }

secret() {  # a random secret kept in FLEET_DIR, made once
    local file="$FLEET_DIR/secrets/$1"
    if [[ ! -s $file ]]; then
        mkdir -p "$FLEET_DIR/secrets" && chmod 700 "$FLEET_DIR/secrets"
        (umask 077 && od -An -tx1 -N24 /dev/urandom | tr -d ' \n' > "$file")
    fi
    cat "$file"
}

as_pg() {  # run a command as the PostgreSQL owner (not root), from a folder it may enter
    if [[ $EUID -eq 0 ]]; then (cd "$FLEET_DIR" && runuser -u "$PG_USER" -- "$@"); else "$@"; fi
}

running() {  # running PID: the process exists and is not a zombie (pid 1 may not reap here)
    local state
    state=$(ps -o stat= -p "$1" 2>/dev/null) || return 1
    [[ -n $state && $state != Z* ]]
}

alive() { [[ -s $1 ]] && running "$(cat "$1")"; }

spawn() {  # spawn PIDFILE LOG COMMAND...: in its own session; PIDFILE names the command itself
    local pidfile=$1 logfile=$2; shift 2
    rm -f "$pidfile"
    # setsid may fork, so the process writes its own pid and then becomes the command (exec).
    setsid bash -c 'echo $$ > "$0"; exec "$@"' "$pidfile" "$@" \
        >> "$logfile" 2>&1 < /dev/null &
    for _ in $(seq 50); do [[ -s $pidfile ]] && return 0; sleep 0.1; done
    die "could not start $*"
}

wait_for() {  # wait_for SECONDS DESCRIPTION COMMAND...
    local seconds=$1 what=$2; shift 2
    local deadline=$((SECONDS + seconds))
    until "$@" > /dev/null 2>&1; do
        ((SECONDS < deadline)) || die "$what did not come up in ${seconds}s (logs: $FLEET_DIR/*.log)"
        sleep 0.2
    done
}

stop_pid() {  # stop_pid PIDFILE [SIGNAL]: signal, wait up to 20 s, then SIGKILL
    local file=$1 signal=${2:-TERM} pid
    alive "$file" || { rm -f "$file"; return 0; }
    pid=$(cat "$file")
    kill "-$signal" "$pid" 2>/dev/null || true
    for _ in $(seq 100); do running "$pid" || break; sleep 0.2; done
    running "$pid" && kill -KILL "$pid" 2>/dev/null || true
    rm -f "$file"
}

replica_port() { echo $((PROXY_PORT + $1)); }

database_url() {
    echo "postgresql+psycopg://clearpath:$(secret postgres)@127.0.0.1:$PG_PORT/clearpath"
}

redis_url() { echo "redis://:$(secret redis)@127.0.0.1:$REDIS_PORT/0"; }

replica_env() {  # the settings every replica gets; CLEARPATH_* already set win
    echo "CLEARPATH_DATABASE_URL=${CLEARPATH_DATABASE_URL:-$(database_url)}"
    echo "CLEARPATH_REDIS_URL=${CLEARPATH_REDIS_URL:-$(redis_url)}"
    # One key for all replicas: a widget token issued by one is valid on the others.
    echo "CLEARPATH_SECRET_KEY=${CLEARPATH_SECRET_KEY:-$(secret app)}"
    # The proxy is the only trusted hop: the client address comes from its X-Forwarded-For.
    echo "CLEARPATH_FORWARDED_ALLOW_IPS=${CLEARPATH_FORWARDED_ALLOW_IPS:-127.0.0.1}"
}

with_env() {  # with_env COMMAND...: run with replica_env exported
    local line
    while IFS= read -r line; do export "${line?}"; done < <(replica_env)
    "$@"
}

start_postgres() {
    local data="$FLEET_DIR/postgres"
    [[ -x $PG_BIN/pg_ctl ]] || die "PostgreSQL is not installed (apt-get install postgresql)"
    mkdir -p "$data"
    if [[ $EUID -eq 0 ]] && ! runuser -u "$PG_USER" -- test -x "$FLEET_DIR"; then
        die "$PG_USER cannot enter $FLEET_DIR (a parent folder is private): set FLEET_DIR elsewhere"
    fi
    [[ $EUID -eq 0 ]] && chown "$PG_USER" "$data"
    chmod 700 "$data"
    if [[ ! -s $data/PG_VERSION ]]; then
        say "postgres: initdb in $data"
        local pwfile="$FLEET_DIR/postgres.pw"
        (umask 077 && secret postgres > "$pwfile")
        [[ $EUID -eq 0 ]] && chown "$PG_USER" "$pwfile"
        as_pg "$PG_BIN/initdb" -D "$data" -U clearpath --pwfile="$pwfile" \
            --auth-local=scram-sha-256 --auth-host=scram-sha-256 -E UTF8 --locale=C.UTF-8 \
            > "$FLEET_DIR/postgres-init.log" 2>&1 || die "initdb failed: $FLEET_DIR/postgres-init.log"
        rm -f "$pwfile"
    fi
    if as_pg "$PG_BIN/pg_ctl" -D "$data" status > /dev/null 2>&1; then return 0; fi
    say "postgres: starting on 127.0.0.1:$PG_PORT"
    touch "$FLEET_DIR/postgres.log"
    [[ $EUID -eq 0 ]] && chown "$PG_USER" "$FLEET_DIR/postgres.log"
    as_pg "$PG_BIN/pg_ctl" -D "$data" -l "$FLEET_DIR/postgres.log" -w -t 60 \
        -o "-p $PG_PORT -c listen_addresses=127.0.0.1 -c unix_socket_directories=$data" \
        start > /dev/null || die "postgres did not start: $FLEET_DIR/postgres.log"
    export PGPASSWORD
    PGPASSWORD=$(secret postgres)
    if ! "$PG_BIN/psql" -h 127.0.0.1 -p "$PG_PORT" -U clearpath -d postgres -tAc \
            "SELECT 1 FROM pg_database WHERE datname = 'clearpath'" | grep -q 1; then
        "$PG_BIN/createdb" -h 127.0.0.1 -p "$PG_PORT" -U clearpath clearpath
    fi
}

stop_postgres() {
    local data="$FLEET_DIR/postgres"
    [[ -s $data/postmaster.pid ]] || return 0
    say "postgres: stopping"
    as_pg "$PG_BIN/pg_ctl" -D "$data" -m fast -w -t 60 stop > /dev/null 2>&1 || true
}

start_redis() {
    command -v redis-server > /dev/null || die "Redis is not installed (apt-get install redis-server)"
    alive "$FLEET_DIR/redis.pid" && return 0
    say "redis: starting on 127.0.0.1:$REDIS_PORT"
    mkdir -p "$FLEET_DIR/redis"
    # No persistence: limits are windows of minutes to a day, rebuilt as requests arrive.
    redis-server --bind 127.0.0.1 --port "$REDIS_PORT" --requirepass "$(secret redis)" \
        --dir "$FLEET_DIR/redis" --save '' --appendonly no --daemonize yes \
        --pidfile "$FLEET_DIR/redis.pid" --logfile "$FLEET_DIR/redis.log"
    wait_for 20 redis redis-cli -p "$REDIS_PORT" -a "$(secret redis)" --no-auth-warning ping
}

stop_redis() {
    alive "$FLEET_DIR/redis.pid" || return 0
    say "redis: stopping"
    stop_pid "$FLEET_DIR/redis.pid"
}

start_replica() {
    local n=$1 port
    port=$(replica_port "$n")
    alive "$FLEET_DIR/replica-$n.pid" && return 0
    say "replica-$n: starting on 127.0.0.1:$port"
    (
        export CLEARPATH_HOST=127.0.0.1 CLEARPATH_PORT=$port CLEARPATH_BIN="$VENV_BIN/clearpath"
        export CLEARPATH_PYTHON="$VENV_BIN/python"
        cd "$ROOT"
        with_env spawn "$FLEET_DIR/replica-$n.pid" "$FLEET_DIR/replica-$n.log" \
            "$HERE/replica.sh" serve
    )
}

wait_replica() {
    local n=$1
    wait_for 180 "replica-$n" env CLEARPATH_PORT="$(replica_port "$n")" \
        CLEARPATH_PYTHON="$VENV_BIN/python" "$HERE/replica.sh" healthcheck
}

stop_replica() {
    alive "$FLEET_DIR/replica-$1.pid" || return 0
    say "replica-$1: stopping"
    stop_pid "$FLEET_DIR/replica-$1.pid"
}

start_proxy() {
    command -v haproxy > /dev/null || die "HAProxy is not installed (apt-get install haproxy)"
    alive "$FLEET_DIR/proxy.pid" && return 0
    ((REPLICAS >= 2)) || die "FLEET_REPLICAS must be at least 2"
    say "proxy: HAProxy on 127.0.0.1:$PROXY_PORT"
    export CLEARPATH_PROXY_BIND="127.0.0.1:$PROXY_PORT"
    export CLEARPATH_UPSTREAM_1="127.0.0.1:$(replica_port 1)"
    export CLEARPATH_UPSTREAM_2="127.0.0.1:$(replica_port 2)"
    local config="$HERE/haproxy.cfg"
    if ((REPLICAS > 2)); then  # the shipped file names two; more are appended here
        config="$FLEET_DIR/haproxy.cfg"
        cp "$HERE/haproxy.cfg" "$config"
        for n in $(seq 3 "$REPLICAS"); do
            echo "    server r$n 127.0.0.1:$(replica_port "$n")" >> "$config"
        done
    fi
    haproxy -c -q -f "$config" || die "the HAProxy configuration is not valid"
    spawn "$FLEET_DIR/proxy.pid" "$FLEET_DIR/proxy.log" haproxy -W -f "$config"
    wait_for 20 proxy "$VENV_BIN/python" -c \
        "import urllib.request; urllib.request.urlopen('http://127.0.0.1:$PROXY_PORT/readyz', timeout=2)"
}

stop_proxy() {
    alive "$FLEET_DIR/proxy.pid" || return 0
    say "proxy: stopping"
    stop_pid "$FLEET_DIR/proxy.pid" USR1  # soft stop: finish what is in flight
}

up() {
    mkdir -p "$FLEET_DIR"
    chmod 755 "$FLEET_DIR"
    say "fleet in $FLEET_DIR"
    start_postgres
    start_redis
    say "building the index once (shared, read-only, by every replica)"
    (cd "$ROOT" && CLEARPATH_BIN="$VENV_BIN/clearpath" "$HERE/replica.sh" prepare)
    say "migrating the database"
    (cd "$ROOT" && with_env env CLEARPATH_BIN="$VENV_BIN/clearpath" "$HERE/replica.sh" migrate)
    for n in $(seq "$REPLICAS"); do start_replica "$n"; done
    for n in $(seq "$REPLICAS"); do wait_replica "$n"; done
    start_proxy
    say "up: http://127.0.0.1:$PROXY_PORT ($REPLICAS replicas); stop with: $0 down"
}

down() {
    [[ -d $FLEET_DIR ]] || return 0
    stop_proxy
    local file
    for file in "$FLEET_DIR"/replica-*.pid; do
        [[ -e $file ]] || continue
        file=${file##*/replica-}
        stop_replica "${file%.pid}"
    done
    stop_redis
    stop_postgres
    say "down"
}

status() {
    local what
    for what in proxy redis $(for n in $(seq "$REPLICAS"); do echo "replica-$n"; done); do
        if alive "$FLEET_DIR/$what.pid"; then echo "$what: running (pid $(cat "$FLEET_DIR/$what.pid"))"
        else echo "$what: stopped"; fi
    done
    if [[ -s $FLEET_DIR/postgres/postmaster.pid ]]; then echo "postgres: running"
    else echo "postgres: stopped"; fi
}

service() {  # service start|stop|kill NAME
    local action=$1 name=${2:-}
    case "$action:$name" in
        start:postgres) start_postgres ;;
        stop:postgres) stop_postgres ;;
        start:redis) start_redis ;;
        stop:redis) stop_redis ;;
        start:proxy) start_proxy ;;
        stop:proxy) stop_proxy ;;
        start:replica-*) start_replica "${name#replica-}"; wait_replica "${name#replica-}" ;;
        stop:replica-*) stop_replica "${name#replica-}" ;;
        kill:replica-*) if alive "$FLEET_DIR/$name.pid"; then
                            kill -KILL "$(cat "$FLEET_DIR/$name.pid")"
                            for _ in $(seq 50); do alive "$FLEET_DIR/$name.pid" || break; sleep 0.1; done
                        fi
                        rm -f "$FLEET_DIR/$name.pid" ;;
        *) die "usage: $0 start|stop SERVICE (postgres, redis, proxy, replica-N); kill replica-N" ;;
    esac
}

case "${1:-}" in
    up) up ;;
    down) down ;;
    start | stop | kill) service "$@" ;;
    status) status ;;
    env) replica_env ;;
    *) echo "usage: $0 up|down|status|env|start SERVICE|stop SERVICE|kill replica-N" >&2; exit 2 ;;
esac
