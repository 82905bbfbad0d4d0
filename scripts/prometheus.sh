#!/usr/bin/env bash
# A Prometheus on loopback that scrapes the local fibrpc serve's /metrics (and the local broker's rabbitmq_prometheus
# endpoint when that plugin answers), for looking at the service's metrics without Docker. scripts/run.sh --telemetry
# starts it; it can also run on its own next to any `fibrpc serve --metrics-port`.
#
#   scripts/prometheus.sh start     start it (in the background) unless it is running; prints where it listens
#   scripts/prometheus.sh stop      stop it
#
# Settings (environment): FIBRPC_PROMETHEUS_PORT (9090), FIBRPC_METRICS_PORT (9464, serve's --metrics-port),
# FIBRPC_PROMETHEUS_DATA (its configuration, data and log: .broker/prometheus-PORT/, git-ignored). Needs Debian's prometheus package
# (scripts/bootstrap.sh telemetry).
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
PORT="${FIBRPC_PROMETHEUS_PORT:-9090}"
BASE="${FIBRPC_PROMETHEUS_DATA:-$ROOT/.broker/prometheus-$PORT}"
METRICS_PORT="${FIBRPC_METRICS_PORT:-9464}"
PROMETHEUS=/usr/bin/prometheus

say() { echo "prometheus: $*" >&2; }

running() { [[ -f $BASE/pid ]] && kill -0 "$(cat "$BASE/pid")" 2>/dev/null; }

start() {
    if running; then
        say "already running (pid $(cat "$BASE/pid")) on http://127.0.0.1:$PORT"
        return 0
    fi
    [[ -x $PROMETHEUS ]] || { say "$PROMETHEUS is missing: run scripts/bootstrap.sh telemetry"; exit 1; }
    mkdir -p "$BASE/data"
    # deploy/prometheus/prometheus.yml (the compose profile's, which the dashboard is written for) with its targets
    # on this machine: serve stands where the collector is, the local broker where the compose broker is. "localhost",
    # not 127.0.0.1, for serve: its /metrics listener answers only requests for the host name it was given.
    sed -e "s/otel-collector:8889/localhost:$METRICS_PORT/" -e "s/rabbitmq:15692/127.0.0.1:15692/" \
        "$ROOT/deploy/prometheus/prometheus.yml" >"$BASE/prometheus.yml"
    "$PROMETHEUS" --config.file="$BASE/prometheus.yml" --storage.tsdb.path="$BASE/data" \
        --web.listen-address="127.0.0.1:$PORT" >"$BASE/prometheus.log" 2>&1 &
    echo $! >"$BASE/pid"
    for _ in $(seq 1 100); do
        if (exec 3<>"/dev/tcp/127.0.0.1/$PORT") 2>/dev/null; then
            say "http://127.0.0.1:$PORT scrapes fibrpc serve on localhost:$METRICS_PORT every 15 s (log: $BASE/prometheus.log)"
            return 0
        fi
        running || { say "it exited:"; cat "$BASE/prometheus.log" >&2; exit 1; }
        sleep 0.1
    done
    say "not listening on 127.0.0.1:$PORT after 10 s (log: $BASE/prometheus.log)"
    exit 1
}

stop() {
    if running; then
        kill "$(cat "$BASE/pid")"
        say "stopped"
    fi
    rm -f "$BASE/pid"
}

case "${1:-}" in
    start) start ;;
    stop) stop ;;
    *) echo "usage: $0 start|stop" >&2; exit 2 ;;
esac
