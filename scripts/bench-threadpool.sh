#!/usr/bin/env bash
# CPU per request of `fibrpc serve` under different .NET thread-pool settings, side by side in one run.
#
#   scripts/bench-threadpool.sh [rounds]
#
# For each setting: start `serve` on its own queue, load it with `fibrpc bench` (n = 10, C = 32) for BENCH_SECONDS,
# and read the serving process's user and system CPU from /proc/<pid>/stat around the measured phase. Prints a
# markdown table of medians over the rounds. Needs a loopback broker (scripts/broker.sh start).
set -euo pipefail
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$ROOT"
ROUNDS=${1:-3}
SECONDS_PER_RUN=${BENCH_SECONDS:-6}
QUEUE=bench_threadpool_queue
FIBRPC="$ROOT/FibRpc.Cli/bin/Release/net10.0/fibrpc"
CLK_TCK=$(getconf CLK_TCK)

dotnet build FibRpc.Cli/FibRpc.Cli.csproj -c Release -nologo -v quiet -clp:ErrorsOnly >&2
"$FIBRPC" topology --queue "$QUEUE" >/dev/null

declare -A SETTINGS=(
    [defaults]=""
    [spin-limit-0]="DOTNET_ThreadPool_UnfairSemaphoreSpinLimit=0"
    [one-worker]="DOTNET_ThreadPool_ForceMinWorkerThreads=1 DOTNET_ThreadPool_ForceMaxWorkerThreads=1"
    [one-worker+spin-limit-0]="DOTNET_ThreadPool_ForceMinWorkerThreads=1 DOTNET_ThreadPool_ForceMaxWorkerThreads=1 DOTNET_ThreadPool_UnfairSemaphoreSpinLimit=0"
)
ORDER=(defaults spin-limit-0 one-worker one-worker+spin-limit-0)
results=$(mktemp)
trap 'rm -f "$results"; [[ -n "${pid:-}" ]] && kill -TERM "$pid" 2>/dev/null || true' EXIT

cpu_ticks() { awk '{print $14, $15}' "/proc/$1/stat"; }

for round in $(seq 1 "$ROUNDS"); do
    for name in "${ORDER[@]}"; do
        read -r -a settings <<<"${SETTINGS[$name]}"
        env "${settings[@]}" "$FIBRPC" serve --queue "$QUEUE" --log-level Warning >/dev/null 2>&1 &
        pid=$!
        sleep 2
        # The load generator runs with spin-waiting off, so that it takes less of the two cores from serve.
        DOTNET_ThreadPool_UnfairSemaphoreSpinLimit=0 "$FIBRPC" bench --queue "$QUEUE" -C 32 --duration 2 --warmup 0 --no-progress >/dev/null 2>&1
        read -r u1 s1 < <(cpu_ticks "$pid")
        json=$(DOTNET_ThreadPool_UnfairSemaphoreSpinLimit=0 "$FIBRPC" bench --queue "$QUEUE" -C 32 --duration "$SECONDS_PER_RUN" --warmup 0 --no-progress --json 2>/dev/null)
        read -r u2 s2 < <(cpu_ticks "$pid")
        kill -TERM "$pid"; wait "$pid" || true; pid=""
        python3 - "$name" "$json" "$u1" "$s1" "$u2" "$s2" "$CLK_TCK" >>"$results" <<'PY'
import json, sys
name, result = sys.argv[1], json.loads(sys.argv[2])
u1, s1, u2, s2, tck = map(int, sys.argv[3:])
replies = result["replies"]
to_us = 1e6 / tck / replies
print(f'{name}\t{result["requestsPerSecond"]:.0f}\t{(u2 - u1) * to_us:.0f}\t{(s2 - s1) * to_us:.0f}')
PY
        echo "round $round: $(tail -1 "$results")" >&2
    done
done

python3 - "$results" "${ORDER[@]}" <<'PY'
import statistics, sys
rows = [line.split("\t") for line in open(sys.argv[1]).read().split("\n") if line]
print("| serve's thread-pool setting | req/s | user µs/req | system µs/req | CPU µs/req |")
print("|---|---:|---:|---:|---:|")
for name in sys.argv[2:]:
    mine = [r for r in rows if r[0] == name]
    rps, user, system = (statistics.median(float(r[i]) for r in mine) for i in (1, 2, 3))
    print(f"| {name} | {rps:.0f} | {user:.0f} | {system:.0f} | {user + system:.0f} |")
PY
