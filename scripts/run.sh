#!/usr/bin/env bash
# Brings the service up on this machine: rabbitmq-server installed when missing (scripts/bootstrap.sh broker), a
# loopback broker (started if none answers on 5672), the topology, then the function under Azure Functions Core
# Tools (func start) when they are installed, else fibrpc serve, the local trigger host with the same contract.
# Ctrl+C stops it (the request in flight is answered first).
#
#   scripts/run.sh [--telemetry] [fibrpc serve options...]
#
# --telemetry: serve exposes /metrics (port FIBRPC_METRICS_PORT, 9464) and prints its spans on the console (unless an
# OTEL_* exporter is set already), and a Prometheus on 127.0.0.1:FIBRPC_PROMETHEUS_PORT (9090) scrapes it
# (scripts/prometheus.sh; stopped again when serve stops). See docs/observability.md.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
cd "$root"

usage() {
    cat <<'USAGE'
Usage: scripts/run.sh [--telemetry] [fibrpc serve options...]

Brings the service up on this machine: installs rabbitmq-server when missing (as root), starts a loopback broker
if none answers on 5672, declares the topology (rpc_queue, its dead-letter exchange and queue, their policies),
then runs the function under Azure Functions Core Tools (func start) when installed, else fibrpc serve, the local
trigger host with the same contract. Ctrl+C stops it (the request in flight is answered first).

Options of run.sh:
  --telemetry   serve /metrics on port FIBRPC_METRICS_PORT (9464), print every span on the console, and start a
                loopback Prometheus on 127.0.0.1:FIBRPC_PROMETHEUS_PORT (9090) that scrapes it (docs/observability.md)
  -h, --help    print this and serve's options, and do nothing else

Every other option goes to fibrpc serve:

USAGE
}

telemetry=false
serve_args=()
for argument in "$@"; do
    case $argument in
        --telemetry) telemetry=true ;;
        -h | --help | -\?)
            # Help has no side effects: no broker started, no topology declared, no policy set.
            usage
            exec scripts/fibrpc serve --help
            ;;
        *) serve_args+=("$argument") ;;
    esac
done

# Installs rabbitmq-server when missing and running as root; otherwise bootstrap.sh prints the command that would,
# and broker.sh uses a broker that already answers or Docker.
bootstrap_groups=(broker)
$telemetry && bootstrap_groups+=(telemetry)
scripts/bootstrap.sh "${bootstrap_groups[@]}" || [[ $(id -u) -ne 0 ]]
scripts/broker.sh start
# broker.sh's broker has the management plugin on loopback: the queue limits are set through it and checked. A broker
# without it (started some other way) gets the rabbitmqctl commands printed instead.
management_port="${FIBRPC_MANAGEMENT_PORT:-15672}"
if (exec 3<>"/dev/tcp/127.0.0.1/$management_port") 2>/dev/null; then
    scripts/fibrpc topology --policies management --management-url "http://localhost:$management_port/"
else
    scripts/fibrpc topology
fi

if command -v func >/dev/null 2>&1; then
    if [[ ! -f local.settings.json ]]; then
        cp local.settings.sample.json local.settings.json
        echo "run: created local.settings.json from local.settings.sample.json" >&2
    fi
    if $telemetry; then
        # The Functions host owns the function's HTTP port: no /metrics there. Spans print on the console; metrics
        # leave by OTLP (OTEL_EXPORTER_OTLP_ENDPOINT, e.g. the compose telemetry profile's collector).
        [[ -n ${OTEL_TRACES_EXPORTER:-}${OTEL_EXPORTER_OTLP_ENDPOINT:-} ]] || export OTEL_TRACES_EXPORTER=console
        echo "run: --telemetry under func start: spans on the console; for metrics set OTEL_EXPORTER_OTLP_ENDPOINT (docs/observability.md)" >&2
    fi
    echo "run: starting the function with Azure Functions Core Tools (func start in FibFunction/)" >&2
    cd FibFunction
    exec func start
fi

echo "run: Azure Functions Core Tools (func) not found: serving with 'fibrpc serve', the local trigger host (same queue, contract, prefetch from host.json)" >&2
if ! $telemetry; then
    exec scripts/fibrpc serve "${serve_args[@]}"
fi

metrics_port="${FIBRPC_METRICS_PORT:-9464}"
if [[ -z ${OTEL_TRACES_EXPORTER:-}${OTEL_EXPORTER_OTLP_ENDPOINT:-}${OTEL_EXPORTER_OTLP_TRACES_ENDPOINT:-} ]]; then
    export OTEL_TRACES_EXPORTER=console
fi
FIBRPC_METRICS_PORT="$metrics_port" scripts/prometheus.sh start
trap 'scripts/prometheus.sh stop' EXIT
echo "run: telemetry on: /metrics on http://localhost:$metrics_port/metrics, Prometheus on http://127.0.0.1:${FIBRPC_PROMETHEUS_PORT:-9090}; traced call: OTEL_TRACES_EXPORTER=console scripts/fibrpc call 10" >&2
# Not exec: the trap stops Prometheus when serve ends.
scripts/fibrpc serve --metrics-port "$metrics_port" "${serve_args[@]}"
