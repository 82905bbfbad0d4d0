#!/usr/bin/env bash
# Runs the tests: unit tests and the integration tests against a real RabbitMQ on loopback, which it starts
# (scripts/broker.sh) when none answers on 5672. By default it leaves out the suites that are long by nature (trait
# Category=Long: the 3-node quorum failover, the fault suite, the client through broker restarts); --full runs them too, as CI does. A flag rather than a variable, so that the command line
# shows which set ran. Other arguments go to dotnet test; with a --filter of its own, that filter decides.
set -euo pipefail

full=false
args=()
for arg in "$@"; do
    case "$arg" in
        --full) full=true ;;
        -h | --help)
            echo "usage: scripts/test.sh [--full] [dotnet test arguments...]"
            echo "  without --full: every test but those of trait Category=Long; --full: every test"
            exit 0
            ;;
        *) args+=("$arg") ;;
    esac
done
filter=(--filter "Category!=Long")
if $full || [[ " ${args[*]-} " == *" --filter "* ]]; then
    filter=()
fi
root="$(cd "$(dirname "$0")/.." && pwd)"
cd "$root"

# What the tests need from the system (scripts/bootstrap.sh says what each is for): rabbitmq-server, the clients of
# the pattern in other languages (python3-pika, python3-aioamqp, Node.js with amqplib), libgmp, yamllint and
# docker-compose, Prometheus. Installed when missing and running as root; otherwise bootstrap.sh prints the command
# that installs them, and the tests go on: the broker falls back to Docker (or one that already answers), and the
# tests that need a missing package fail and say so.
scripts/bootstrap.sh broker test || [[ $(id -u) -ne 0 ]]

scripts/broker.sh start

log="$(mktemp)"
trap 'rm -f "$log"' EXIT
status=0
dotnet test FibRpc.slnf -c Release --nologo ${filter[@]+"${filter[@]}"} ${args[@]+"${args[@]}"} 2>&1 | tee "$log" || status=$?

# One summary line over all test projects.
awk '/(Passed|Failed)! +- +Failed: +[0-9]+, +Passed: +[0-9]+/ {
        gsub(",", ""); for (i = 1; i <= NF; i++) { if ($i == "Failed:") f += $(i+1); if ($i == "Passed:") p += $(i+1); if ($i == "Skipped:") s += $(i+1) } }
     END { printf "tests: %d passed, %d failed, %d skipped\n", p, f, s }' "$log"
exit "$status"
