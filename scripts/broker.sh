#!/usr/bin/env bash
# A RabbitMQ broker for development and tests, on loopback only.
#
#   scripts/broker.sh start    start one unless something already answers on 127.0.0.1:5672
#   scripts/broker.sh stop     stop the broker this script started
#   scripts/broker.sh status   say whether a broker answers
#
# It uses Debian's rabbitmq-server (installed by scripts/bootstrap.sh), else Docker's rabbitmq:3-management where a
# Docker engine works.
set -euo pipefail

PORT="${FIBRPC_BROKER_PORT:-5672}"
MANAGEMENT_PORT="${FIBRPC_MANAGEMENT_PORT:-15672}"
CTL=/usr/sbin/rabbitmqctl
STATE=/var/lib/rabbitmq
CONTAINER=fibrpc-rabbitmq

# Node name, AMQP listener and Erlang distribution all on loopback; never reachable from outside.
export RABBITMQ_NODENAME=rabbit@localhost
export RABBITMQ_NODE_IP_ADDRESS=127.0.0.1
export RABBITMQ_NODE_PORT="$PORT"
export ERL_EPMD_ADDRESS=127.0.0.1
export RABBITMQ_SERVER_ADDITIONAL_ERL_ARGS="-kernel inet_dist_use_interface {127,0,0,1}"
export RABBITMQ_PID_FILE="$STATE/fibrpc-broker.pid"
# The management plugin, on loopback too: `fibrpc topology --policies management` sets the queue limits through it,
# as everywhere else, and its UI is at http://localhost:15672 (guest/guest).
export RABBITMQ_CONFIG_FILE="$STATE/fibrpc-broker.conf"
export RABBITMQ_ENABLED_PLUGINS_FILE="$STATE/fibrpc-enabled-plugins"

say() { echo "broker: $*" >&2; }

answers() { (exec 3<>"/dev/tcp/127.0.0.1/$PORT") 2>/dev/null; }

start_debian_broker() {
    say "starting rabbitmq-server (node rabbit@localhost, 127.0.0.1:$PORT, management on 127.0.0.1:$MANAGEMENT_PORT)"
    printf 'management.tcp.ip = 127.0.0.1\nmanagement.tcp.port = %s\n' "$MANAGEMENT_PORT" >"$RABBITMQ_CONFIG_FILE"
    echo '[rabbitmq_management].' >"$RABBITMQ_ENABLED_PLUGINS_FILE"
    chown rabbitmq:rabbitmq "$RABBITMQ_CONFIG_FILE" "$RABBITMQ_ENABLED_PLUGINS_FILE" 2>/dev/null || true
    /usr/sbin/rabbitmq-server -detached
    # wait returns once the node is up; await_startup once the AMQP listener is ready. wait may read the pid file
    # while the booting node still writes it (garbage_in_pid_file, RabbitMQ's own race on a loaded machine): then
    # it is asked again.
    local output
    for _ in 1 2 3 4 5; do
        output="$("$CTL" wait --timeout 60 "$RABBITMQ_PID_FILE" 2>&1)" && break
        [[ $output == *garbage_in_pid_file* ]] || { echo "$output" >&2; return 1; }
        sleep 0.2
    done
    "$CTL" await_startup --timeout 60 >/dev/null
}

start_docker_broker() {
    say "starting rabbitmq:3-management in Docker (127.0.0.1:$PORT, management on 127.0.0.1:$MANAGEMENT_PORT)"
    docker rm -f "$CONTAINER" >/dev/null 2>&1 || true
    docker run -d --name "$CONTAINER" -p "127.0.0.1:$PORT:5672" -p "127.0.0.1:$MANAGEMENT_PORT:15672" rabbitmq:3-management >/dev/null
}

wait_until_answering() {
    for _ in $(seq 1 120); do
        answers && return 0
        sleep 0.5
    done
    say "no broker answers on 127.0.0.1:$PORT after 60 s"
    return 1
}

start() {
    if answers; then
        say "a broker already answers on 127.0.0.1:$PORT; using it"
        return 0
    fi
    if [[ -x /usr/sbin/rabbitmq-server ]]; then
        start_debian_broker
    elif command -v docker >/dev/null && docker info >/dev/null 2>&1; then
        start_docker_broker
    else
        say "rabbitmq-server is not installed and no Docker engine works: run scripts/bootstrap.sh broker (as root) to install it"
        return 1
    fi
    wait_until_answering
    say "ready on amqp://guest:guest@localhost:$PORT/ (management: http://localhost:$MANAGEMENT_PORT/)"
}

stop() {
    if [[ -x "$CTL" ]] && "$CTL" status >/dev/null 2>&1; then
        say "stopping rabbit@localhost"
        "$CTL" shutdown >/dev/null
    elif command -v docker >/dev/null && docker inspect "$CONTAINER" >/dev/null 2>&1; then
        say "removing container $CONTAINER"
        docker rm -f "$CONTAINER" >/dev/null
    else
        say "no broker of this script's is running"
    fi
}

case "${1:-}" in
    start) start ;;
    stop) stop ;;
    status) if answers; then say "answering on 127.0.0.1:$PORT"; else say "nothing answers on 127.0.0.1:$PORT"; exit 1; fi ;;
    *) echo "usage: $0 start|stop|status" >&2; exit 2 ;;
esac
