#!/usr/bin/env bash
# A local RabbitMQ cluster for trying failover by hand: N nodes (3 by default) of Debian's rabbitmq-server on
# loopback only, next to (and never touching) the development broker rabbit@localhost on 5672.
#
#   scripts/cluster.sh start [N]    start the nodes that are down, start the app where it was stopped, and join
#                                   every node to fibrpc-c1 (idempotent: run it again at any time)
#   scripts/cluster.sh stop [N]     shut every node of this cluster down (kill -9 what does not stop); no beam
#                                   process of it is left
#   scripts/cluster.sh status [N]   each node, whether it answers, and the members the cluster reports
#
#   node                  AMQP                 Erlang distribution   data, logs, pid file
#   fibrpc-c1@localhost   127.0.0.1:5681       127.0.0.1:25681       .broker/cluster/c1/ (git-ignored)
#   fibrpc-c2@localhost   127.0.0.1:5682       127.0.0.1:25682       .broker/cluster/c2/
#   fibrpc-c3@localhost   127.0.0.1:5683       127.0.0.1:25683       .broker/cluster/c3/
#
# Trying failover:
#   1. scripts/cluster.sh start
#   2. Point a client at all nodes, e.g. for the service:
#        RabbitMQConnection=amqp://guest:guest@127.0.0.1:5681/  (and 5682, 5683 as further endpoints)
#      and declare the queue as a quorum queue (x-queue-type=quorum) so that it has a replica on every node;
#      a classic queue lives on one node only and is gone while that node is down.
#   3. Take a node away while the client runs, in one of these ways:
#        /usr/sbin/rabbitmqctl -n fibrpc-c1@localhost stop_app              the node stays, RabbitMQ stops
#        /usr/sbin/rabbitmqctl -n fibrpc-c1@localhost shutdown              graceful stop of the whole node
#        kill -9 "$(cat .broker/cluster/c1/node.pid)"                       crash
#        /usr/sbin/rabbitmqctl -n fibrpc-c1@localhost close_all_connections "failover test"
#      Connections to that node drop; clients must reconnect to another node, and the quorum queue elects a new
#      leader on the remaining two (a majority), so no confirmed message is lost.
#   4. scripts/cluster.sh status      shows which nodes answer and which members the cluster sees running
#   5. scripts/cluster.sh start       brings the node back (it rejoins with its old data) and waits for it
#   6. scripts/cluster.sh stop        when done; rm -rf .broker/cluster for a fresh cluster next time
#
# Needs root (rabbitmq-server and rabbitmqctl switch to the rabbitmq user, which owns the node folders). The
# Erlang port mapper (epmd) on 127.0.0.1:4369 is shared with the development broker and is left running.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
BASE="$ROOT/.broker/cluster"
CTL=/usr/sbin/rabbitmqctl
SERVER=/usr/sbin/rabbitmq-server
COUNT=3
LAUNCHED=" " # nodes this run launched (they boot on their own; the others may need start_app)
PATIENCE=60 # seconds any single wait may take

say() { echo "cluster: $*" >&2; }
die() {
    say "$*"
    exit 1
}

node_name() { echo "fibrpc-c$1@localhost"; }
node_dir() { echo "$BASE/c$1"; }
amqp_port() { echo $((5680 + $1)); }
dist_port() { echo $((25680 + $1)); }

# Runs a command with node $1's environment (never the caller's RABBITMQ_* settings).
with_node() {
    local i=$1 dir
    shift
    dir="$(node_dir "$i")"
    env -u RABBITMQ_CONFIG_FILE -u RABBITMQ_ENABLED_PLUGINS_FILE \
        RABBITMQ_NODENAME="$(node_name "$i")" \
        RABBITMQ_NODE_IP_ADDRESS=127.0.0.1 \
        RABBITMQ_NODE_PORT="$(amqp_port "$i")" \
        RABBITMQ_DIST_PORT="$(dist_port "$i")" \
        RABBITMQ_CTL_DIST_PORT_MIN="$(($(dist_port "$i") + 10000))" \
        RABBITMQ_CTL_DIST_PORT_MAX="$(($(dist_port "$i") + 10010))" \
        ERL_EPMD_ADDRESS=127.0.0.1 \
        RABBITMQ_SERVER_ADDITIONAL_ERL_ARGS="-kernel inet_dist_use_interface {127,0,0,1}" \
        RABBITMQ_MNESIA_BASE="$dir/mnesia" \
        RABBITMQ_LOG_BASE="$dir/log" \
        RABBITMQ_PID_FILE="$dir/node.pid" \
        RABBITMQ_CONFIG_FILE="$dir/rabbitmq.conf" \
        RABBITMQ_ENABLED_PLUGINS_FILE="$dir/enabled_plugins" \
        "$@"
}

ctl() {
    local i=$1
    shift
    with_node "$i" timeout "$PATIENCE" "$CTL" -n "$(node_name "$i")" "$@"
}

# The server beam processes of node $1, found by their environment (so even when the pid file is gone): the exact
# RABBITMQ_NODENAME line keeps rabbit@localhost and other nodes out, and the "-s rabbit boot" arguments keep out
# rabbitmqctl's own beam, which has the same environment.
node_pids() {
    local name pid environ
    name="$(node_name "$1")"
    for environ in /proc/[0-9]*/environ; do
        pid="${environ#/proc/}"
        pid="${pid%/environ}"
        [[ "$(cat "/proc/$pid/comm" 2>/dev/null)" == beam.smp ]] || continue
        grep -qxzF "RABBITMQ_NODENAME=$name" "$environ" 2>/dev/null || continue
        tr '\0' ' ' <"/proc/$pid/cmdline" 2>/dev/null | grep -qF -- ' -s rabbit boot ' && echo "$pid"
    done
}

# A process that exited but was not reaped by init (a zombie) counts as gone.
alive() { [[ -e /proc/$1 ]] && ! grep -q '^State:[[:space:]]*Z' "/proc/$1/status" 2>/dev/null; }

vm_up() { ctl "$1" -q ping >/dev/null 2>&1; }
app_running() { [[ "$(ctl "$1" -q eval 'rabbit:is_running().' 2>/dev/null)" == true ]]; }

prepare() {
    local i=$1 dir
    dir="$(node_dir "$i")"
    mkdir -p "$dir/mnesia" "$dir/log"
    # Listener address and port come from RABBITMQ_NODE_IP_ADDRESS and RABBITMQ_NODE_PORT; no plugins, for speed.
    [[ -e $dir/rabbitmq.conf ]] || : >"$dir/rabbitmq.conf"
    [[ -e $dir/enabled_plugins ]] || echo '[].' >"$dir/enabled_plugins"
    chown -R rabbitmq:rabbitmq "$dir"
    su rabbitmq -s /bin/sh -c "test -w '$dir/mnesia'" ||
        die "the rabbitmq user cannot write $dir (every folder above it must be searchable by others); move the repository or use scripts/broker.sh"
}

launch() {
    local i=$1 dir
    dir="$(node_dir "$i")"
    if [[ -n "$(node_pids "$i")" ]]; then
        return 0 # the VM is there (perhaps still booting); wait_ready decides
    fi
    rm -f "$dir/node.pid" # stale after a kill -9
    say "starting $(node_name "$i") on 127.0.0.1:$(amqp_port "$i")"
    with_node "$i" "$SERVER" -detached
    LAUNCHED+="$i "
}

wait_ready() {
    local i=$1 dir
    dir="$(node_dir "$i")"
    if [[ $LAUNCHED != *" $i "* ]] && vm_up "$i" && ! app_running "$i"; then
        say "starting the stopped app on $(node_name "$i")"
        ctl "$i" -q start_app >/dev/null
    fi
    # wait may read the pid file while the booting node still writes it (garbage_in_pid_file, RabbitMQ's own race on
    # a loaded machine): then it is asked again.
    local output attempt
    for attempt in 1 2 3 4 5; do
        output="$(ctl "$i" -q wait --timeout "$PATIENCE" "$dir/node.pid" 2>&1)" && break
        [[ $output == *garbage_in_pid_file* && $attempt -lt 5 ]] || die "$(node_name "$i") did not come up ($output); see $dir/log/"
        sleep 0.2
    done
    ctl "$i" -q await_startup --timeout "$PATIENCE" >/dev/null ||
        die "$(node_name "$i") did not finish booting; see $dir/log/"
}

members() { ctl "$1" -q eval "rabbit_nodes:$2()." 2>/dev/null | tr -d "[]' \n" | tr ',' ' '; }

join() {
    local i=$1 seed
    seed="$(node_name 1)"
    if [[ " $(members "$i" all) " == *" $seed "* ]]; then
        return 0
    fi
    say "joining $(node_name "$i") to $seed"
    ctl "$i" -q stop_app >/dev/null
    ctl "$i" -q join_cluster "$seed" >/dev/null
    ctl "$i" -q start_app >/dev/null
    ctl "$i" -q await_startup --timeout "$PATIENCE" >/dev/null
}

# Every node that has a folder, and at least 1..COUNT.
known_nodes() {
    local i dir
    {
        seq 1 "$COUNT"
        for dir in "$BASE"/c[0-9]*; do
            [[ -d $dir ]] && echo "${dir##*/c}"
        done
    } | sort -un
}

start() {
    local i
    for i in $(seq 1 "$COUNT"); do prepare "$i"; done
    # Launch all before waiting on any: after a full stop, a node waits for the peers it last saw running.
    for i in $(seq 1 "$COUNT"); do launch "$i"; done
    for i in $(seq 1 "$COUNT"); do wait_ready "$i"; done
    for i in $(seq 2 "$COUNT"); do join "$i"; done
    status
}

stop() {
    local i pid pids deadline
    for i in $(known_nodes); do
        pids="$(node_pids "$i")"
        [[ -z $pids ]] && continue
        say "stopping $(node_name "$i")"
        ctl "$i" -q shutdown >/dev/null 2>&1 || say "$(node_name "$i") did not shut down gracefully"
        deadline=$((SECONDS + 10))
        for pid in $pids; do
            while alive "$pid" && ((SECONDS < deadline)); do sleep 0.2; done
            if alive "$pid"; then
                say "killing $(node_name "$i") (pid $pid)"
                kill -9 "$pid" 2>/dev/null || true
            fi
        done
        rm -f "$(node_dir "$i")/node.pid"
    done
    for i in $(known_nodes); do
        for pid in $(node_pids "$i"); do
            alive "$pid" && die "$(node_name "$i") is still running as pid $pid"
        done
    done
    say "stopped"
}

status() {
    local i answering=0 seen=""
    for i in $(known_nodes); do
        if vm_up "$i"; then
            if app_running "$i"; then
                say "$(node_name "$i")  127.0.0.1:$(amqp_port "$i")  running"
                answering=$((answering + 1))
                [[ -n $seen ]] || seen=$i
            else
                say "$(node_name "$i")  127.0.0.1:$(amqp_port "$i")  Erlang VM up, RabbitMQ app stopped"
            fi
        else
            say "$(node_name "$i")  127.0.0.1:$(amqp_port "$i")  down"
        fi
    done
    if [[ -n $seen ]]; then
        say "members (as $(node_name "$seen") sees them): $(members "$seen" all)"
        say "running members: $(members "$seen" all_running)"
    fi
    ((answering >= COUNT))
}

[[ $# -ge 1 && $# -le 2 ]] || {
    echo "usage: $0 start|stop|status [N]   (N nodes, 3 by default)" >&2
    exit 2
}
if [[ $# -eq 2 ]]; then
    [[ $2 =~ ^[1-9]$ ]] || die "N must be 1..9"
    COUNT=$2
fi
[[ $(id -u) -eq 0 ]] || die "run as root: rabbitmq-server and rabbitmqctl switch to the rabbitmq user"
[[ -x $SERVER ]] || die "rabbitmq-server is not installed (apt-get install rabbitmq-server)"

case "$1" in
    start) start ;;
    stop) stop ;;
    status) status ;;
    *)
        echo "usage: $0 start|stop|status [N]" >&2
        exit 2
        ;;
esac
