#!/usr/bin/env bash
# Brings the service up on this machine: rabbitmq-server installed when missing (scripts/bootstrap.sh broker), a
# loopback broker (started if none answers on 5672), the topology, then the function under Azure Functions Core
# Tools (func start) when they are installed, else fibrpc serve, the local trigger host with the same contract.
# Ctrl+C stops it (the request in flight is answered first).
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
cd "$root"

# Installs rabbitmq-server when missing and running as root; otherwise bootstrap.sh prints the command that would,
# and broker.sh uses a broker that already answers or Docker.
scripts/bootstrap.sh broker || [[ $(id -u) -ne 0 ]]
scripts/broker.sh start
# The broker.sh node is local: its queue limits are set as policies with rabbitmqctl right away. Any other broker
# gets the commands printed, to run where rabbitmqctl can reach it (or from its definitions file).
if [[ -x /usr/sbin/rabbitmqctl ]] && /usr/sbin/rabbitmqctl -n rabbit@localhost status >/dev/null 2>&1; then
    scripts/fibrpc topology --policies rabbitmqctl --node rabbit@localhost
else
    scripts/fibrpc topology
fi

if command -v func >/dev/null 2>&1; then
    if [[ ! -f local.settings.json ]]; then
        cp local.settings.sample.json local.settings.json
        echo "run: created local.settings.json from local.settings.sample.json" >&2
    fi
    echo "run: starting the function with Azure Functions Core Tools (func start in FibFunction/)" >&2
    cd FibFunction
    exec func start
fi

echo "run: Azure Functions Core Tools (func) not found: serving with 'fibrpc serve', the local trigger host (same queue, contract, prefetch from host.json)" >&2
exec scripts/fibrpc serve "$@"
