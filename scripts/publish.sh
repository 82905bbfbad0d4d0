#!/usr/bin/env bash
# Publishes the fibrpc tool for this machine: Native AOT where it can (FibRpc.Cli/Properties/PublishProfiles/
# Aot.pubxml: linux-x64, x86-64-v3), else ReadyToRun (ReadyToRun.pubxml, needs the .NET runtime to run).
#
#   scripts/publish.sh [aot|r2r] [output directory]     default: aot, falling back to r2r; artifacts/fibrpc/
#
# Native AOT needs a linux-x64 machine with clang (or gcc) and zlib1g-dev, and a CPU with AVX2 (x86-64-v3) to run
# the result; without one of those the ReadyToRun build is published instead, and the script says why. Run the
# tool as <output>/FibRpc.Cli (both kinds have that executable).
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$ROOT"

kind=${1:-aot}
out=${2:-artifacts/fibrpc}

why_not_aot() {
    [[ $(uname -s) == Linux && $(uname -m) == x86_64 ]] || { echo "the AOT profile targets linux-x64, this is $(uname -sm)"; return; }
    command -v clang >/dev/null || command -v gcc >/dev/null || { echo "no clang or gcc (apt-get install clang)"; return; }
    [[ -e /usr/include/zlib.h ]] || { echo "no zlib headers (apt-get install zlib1g-dev)"; return; }
    grep -qw avx2 /proc/cpuinfo || { echo "this CPU lacks AVX2, which the x86-64-v3 build requires"; return; }
}

case $kind in
    aot)
        reason=$(why_not_aot)
        if [[ -n $reason ]]; then
            echo "publish: Native AOT not possible here ($reason): publishing ReadyToRun instead" >&2
            kind=r2r
        fi
        ;;
    r2r) ;;
    *)
        echo "usage: scripts/publish.sh [aot|r2r] [output directory]" >&2
        exit 2
        ;;
esac

profile=Aot
[[ $kind == r2r ]] && profile=ReadyToRun
dotnet publish FibRpc.Cli/FibRpc.Cli.csproj --nologo -p:PublishProfile="$profile" -p:PublishDir="$(realpath -m "$out")/"
"$out/FibRpc.Cli" compute --info 10 >/dev/null
echo "publish: $kind build of fibrpc in $out/FibRpc.Cli" >&2
