#!/usr/bin/env bash
# Installs what this project needs from a Debian/Ubuntu system (the one place that does; the other scripts call it).
#
#   scripts/bootstrap.sh [broker|test|lint|telemetry|all]...     (default: all)
#
#   broker  rabbitmq-server   the loopback broker of scripts/broker.sh (run.sh, test.sh, the benchmark plan)
#   test    python3-pika      the tests run a Python client with /usr/bin/python3
#           libgmp10          a test compares with GMP
#           yamllint          the deployment tests lint every YAML file with it
#           docker-compose    the deployment tests parse the compose file with it (v1; no Docker engine needed)
#           prometheus        a test scrapes fibrpc serve's /metrics with a real Prometheus on loopback
#   lint    shellcheck        .ci/run checks every shell script with it
#   telemetry prometheus      scripts/run.sh --telemetry scrapes fibrpc serve with it on loopback
#
# Each package is checked cheaply first; apt-get (update, then install) runs only when something is missing, so a
# second run does nothing. As root it installs what is missing; otherwise it prints the command that would, and
# exits 1 when something is missing. rabbitmq-server and prometheus are installed without letting the packages start
# their services (those would listen on all interfaces); scripts/broker.sh and the tests start them on loopback.
set -euo pipefail

say() { echo "bootstrap: $*" >&2; }

# present PACKAGE: whether what the project uses of PACKAGE is there.
present() {
    case "$1" in
        rabbitmq-server) [[ -x /usr/sbin/rabbitmq-server ]] ;;
        python3-pika) /usr/bin/python3 -c 'import pika' >/dev/null 2>&1 ;;
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
        test) wanted=(python3-pika libgmp10 yamllint docker-compose prometheus) ;;
        lint) wanted=(shellcheck) ;;
        telemetry) wanted=(prometheus) ;;
        all) wanted=(rabbitmq-server python3-pika libgmp10 yamllint docker-compose prometheus shellcheck) ;;
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

if [[ $(id -u) -ne 0 ]]; then
    say "missing ${missing[*]}; install with:"
    say "  sudo apt-get install -y --no-install-recommends ${missing[*]}"
    [[ " ${missing[*]} " == *" rabbitmq-server "* ]] &&
        say "(or: sudo scripts/bootstrap.sh, which keeps the rabbitmq-server package from starting a broker on all interfaces)"
    exit 1
fi

say "installing ${missing[*]} with apt-get"
added_policy=""
if [[ " ${missing[*]} " == *" rabbitmq-server "* || " ${missing[*]} " == *" prometheus "* ]]; then
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
DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null

if [[ -n $added_policy ]]; then
    rm -f "$added_policy"
    trap - EXIT
fi
if [[ " ${missing[*]} " == *" rabbitmq-server "* ]]; then
    # A broker started by the package (where the policy did not apply) listens everywhere: stop it.
    RABBITMQ_NODENAME="rabbit@$(hostname -s)" /usr/sbin/rabbitmqctl shutdown >/dev/null 2>&1 || true
fi

if [[ " ${missing[*]} " == *" prometheus "* ]] && command -v systemctl >/dev/null 2>&1; then
    # Where the policy did not apply (systemd), the package's server listens on all interfaces: stop and disable it.
    systemctl disable --now prometheus >/dev/null 2>&1 || true
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
