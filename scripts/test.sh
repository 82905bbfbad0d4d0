#!/usr/bin/env bash
# Runs every test: unit tests and the integration tests against a real RabbitMQ on loopback, which it starts
# (scripts/broker.sh) when none answers on 5672. Extra arguments go to dotnet test (e.g. --filter ...).
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
cd "$root"

# What the tests need from the system besides the broker: Debian's python3 with pika (the classic RPC client
# test) and libgmp (the exact comparison with GMP). Installed when missing and running as root.
missing=()
/usr/bin/python3 -c 'import pika' >/dev/null 2>&1 || missing+=(python3-pika)
ldconfig -p 2>/dev/null | grep -q 'libgmp\.so\.10' || missing+=(libgmp10)
if (( ${#missing[@]} )); then
    if [[ $(id -u) -eq 0 ]]; then
        echo "test: installing ${missing[*]}" >&2
        apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null
    else
        echo "test: missing ${missing[*]}: install with 'sudo apt-get install ${missing[*]}' (the tests that need them will fail and say so)" >&2
    fi
fi

scripts/broker.sh start

log="$(mktemp)"
trap 'rm -f "$log"' EXIT
status=0
dotnet test FibRpc.slnf -c Release --nologo "$@" 2>&1 | tee "$log" || status=$?

# One summary line over all test projects.
awk '/(Passed|Failed)! +- +Failed: +[0-9]+, +Passed: +[0-9]+/ {
        gsub(",", ""); for (i = 1; i <= NF; i++) { if ($i == "Failed:") f += $(i+1); if ($i == "Passed:") p += $(i+1); if ($i == "Skipped:") s += $(i+1) } }
     END { printf "tests: %d passed, %d failed, %d skipped\n", p, f, s }' "$log"
exit "$status"
