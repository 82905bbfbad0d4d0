#!/usr/bin/env bash
# Installs what this project needs from a Debian/Ubuntu system (the one place that does; the other scripts call it).
#
#   scripts/bootstrap.sh [broker|test|lint|telemetry|all]...     (default: all)
#
#   broker  rabbitmq-server   the loopback broker of scripts/broker.sh (run.sh, test.sh, the benchmark plan)
#   test    python3-pika      the tests run Python clients with /usr/bin/python3 (examples/python, Clients/python)
#           python3-aioamqp   a test runs an aioamqp client (tests/FibRpc.IntegrationTests/Clients/python)
#           nodejs, npm       a test runs an amqplib client with node (tests/FibRpc.IntegrationTests/Clients/node)
#           amqplib           that client's npm package: npm ci in its folder, from its package-lock.json
#           libgmp10          a test compares with GMP
#           prometheus        a test scrapes fibrpc serve's /metrics with a real Prometheus on loopback
#   lint    shellcheck        scripts/lint.sh checks every shell script with it
#           yamllint          scripts/lint.sh checks every YAML file with it
#           docker-compose    scripts/lint.sh resolves the compose file with it (v1; no Docker engine needed)
#   telemetry prometheus      scripts/run.sh --telemetry scrapes fibrpc serve with it on loopback
#
# Each package is checked cheaply first; apt-get (update, then install) runs only when something is missing, so a
# second run does nothing. As root it installs what is missing; otherwise it prints the command that would, and
# exits 1 when something is missing. amqplib comes from npm (as any user), once node and npm are there.
# rabbitmq-server and prometheus are installed without letting the packages start their services (those would listen
# on all interfaces); scripts/broker.sh and the tests start them on loopback.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
node_client="$root/tests/FibRpc.IntegrationTests/Clients/node"

say() { echo "bootstrap: $*" >&2; }

# present PACKAGE: whether what the project uses of PACKAGE is there.
present() {
    case "$1" in
        rabbitmq-server) [[ -x /usr/sbin/rabbitmq-server ]] ;;
        python3-pika) /usr/bin/python3 -c 'import pika' >/dev/null 2>&1 ;;
        python3-aioamqp) /usr/bin/python3 -c 'import aioamqp' >/dev/null 2>&1 ;;
        nodejs) command -v node >/dev/null 2>&1 ;;
        npm) command -v npm >/dev/null 2>&1 ;;
        # Installed, and not older than the lock file (npm ci writes node_modules/.package-lock.json).
        amqplib) [[ -f $node_client/node_modules/amqplib/package.json && ! $node_client/package-lock.json -nt $node_client/node_modules/.package-lock.json ]] ;;
        libgmp10) ldconfig -p 2>/dev/null | grep -q 'libgmp\.so\.10' ;;
        shellcheck) command -v shellcheck >/dev/null 2>&1 ;;
        yamllint) command -v yamllint >/dev/null 2>&1 ;;
        docker-compose) command -v docker-compose >/dev/null 2>&1 ;;
        prometheus) [[ -x /usr/bin/prometheus ]] ;;
        *) say "internal error: no check for $1"; exit 2 ;;
    esac
}

packages=()
for group in "${@:-all}"; do
    case "$group" in
        broker) wanted=(rabbitmq-server) ;;
        test) wanted=(python3-pika python3-aioamqp nodejs npm amqplib libgmp10 prometheus) ;;
        lint) wanted=(shellcheck yamllint docker-compose) ;;
        telemetry) wanted=(prometheus) ;;
        all) wanted=(rabbitmq-server python3-pika python3-aioamqp nodejs npm amqplib libgmp10 yamllint docker-compose prometheus shellcheck) ;;
        *) echo "usage: $0 [broker|test|lint|telemetry|all]..." >&2; exit 2 ;;
    esac
    for package in "${wanted[@]}"; do
        [[ " ${packages[*]} " == *" $package "* ]] || packages+=("$package")
    done
done

missing=()
for package in "${packages[@]}"; do
    present "$package" || missing+=("$package")
done

if (( ${#missing[@]} == 0 )); then
    say "everything is present (${packages[*]})"
    exit 0
fi

# Everything but amqplib comes from apt.
apt_missing=()
for package in "${missing[@]}"; do
    [[ $package == amqplib ]] || apt_missing+=("$package")
done

if (( ${#apt_missing[@]} )); then
    if [[ $(id -u) -ne 0 ]]; then
        say "missing ${missing[*]}; install with:"
        say "  sudo apt-get install -y --no-install-recommends ${apt_missing[*]}"
        [[ " ${apt_missing[*]} " == *" rabbitmq-server "* ]] &&
            say "(or: sudo scripts/bootstrap.sh, which keeps the rabbitmq-server package from starting a broker on all interfaces)"
        [[ " ${missing[*]} " == *" amqplib "* ]] &&
            say "then, for amqplib: scripts/bootstrap.sh test (npm ci in $node_client)"
        exit 1
    fi

    say "installing ${apt_missing[*]} with apt-get"
    added_policy=""
    if [[ " ${apt_missing[*]} " == *" rabbitmq-server "* || " ${apt_missing[*]} " == *" prometheus "* ]]; then
        # Keep the packages from starting services on all interfaces: scripts/broker.sh and the tests start them on loopback.
        policy=/usr/sbin/policy-rc.d
        if [[ ! -e $policy ]]; then
            printf '#!/bin/sh\nexit 101\n' >"$policy"
            chmod +x "$policy"
            added_policy=$policy
            trap 'rm -f "$added_policy"' EXIT
        fi
    fi

    apt-get update -qq
    # Without recommends: docker-compose would otherwise bring a Docker engine, which the tests do not use.
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${apt_missing[@]}" >/dev/null

    if [[ -n $added_policy ]]; then
        rm -f "$added_policy"
        trap - EXIT
    fi
    if [[ " ${apt_missing[*]} " == *" rabbitmq-server "* ]]; then
        # A broker started by the package (where the policy did not apply) listens everywhere: stop it.
        RABBITMQ_NODENAME="rabbit@$(hostname -s)" /usr/sbin/rabbitmqctl shutdown >/dev/null 2>&1 || true
    fi

    if [[ " ${apt_missing[*]} " == *" prometheus "* ]] && command -v systemctl >/dev/null 2>&1; then
        # Where the policy did not apply (systemd), the package's server listens on all interfaces: stop and disable it.
        systemctl disable --now prometheus >/dev/null 2>&1 || true
    fi
fi

if [[ " ${missing[*]} " == *" amqplib "* ]]; then
    if present npm; then
        say "installing amqplib with npm ci in $node_client"
        # Exactly the versions of package-lock.json; only the npm registry is asked.
        (cd "$node_client" && npm ci --no-audit --no-fund --loglevel=error) >&2 || say "npm ci failed in $node_client"
    else
        say "amqplib needs npm, which is missing"
    fi
fi

still_missing=()
for package in "${missing[@]}"; do
    present "$package" || still_missing+=("$package")
done
if (( ${#still_missing[@]} )); then
    say "installed, but still not usable: ${still_missing[*]}"
    exit 1
fi
say "installed ${missing[*]}"
