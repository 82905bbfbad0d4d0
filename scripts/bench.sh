#!/usr/bin/env bash
# Measures the RPC service against its ceiling references and writes the results into docs/benchmarks.md (between
# the rpc-bench markers) with a latency plot beside it (docs/benchmarks-rpc-latency.svg).
#
#   scripts/bench.sh
#
# One run, several rounds; in every round each measurement runs once, service and ceilings alternating, so that
# the noise of a shared machine hits them alike. Figures are medians over the rounds, ratios are taken within a
# round (side by side) and then the median over rounds.
#
# Measured (all with `fibrpc bench`, every reply checked):
#   service (`fibrpc serve`, prefetch 1) n=10 at C=1 and C=32, n=30 at C=1, a mix of small and large n;
#   ceilings (bench/FibRpc.Benchmarks `ceiling`): constant reply, prefetch 1, with confirms (same guarantees as
#   the service) and without (the broker's raw ceiling for the pattern);
#   scale-out: 1, 2 and 4 `fibrpc serve` instances on one queue (each prefetch 1), and 4 same-guarantee ceilings;
#   CPU time per request of the serving processes and of the broker (/proc/<pid>/stat utime+stime);
#   resident memory (VmRSS) of `serve` sampled over a sustained phase.
#
# Settings (environment):
#   BENCH_ROUNDS=3            rounds
#   BENCH_SECONDS=5           measured seconds of each run
#   BENCH_WARMUP=1            warm-up seconds of each run (not counted)
#   BENCH_SUSTAIN_SECONDS=20  length of the sustained phase (CPU per request, resident memory)
#   BENCH_MIX=10:90,100000:10 the mix of small and large n
#   BENCH_BASELINE_REF=<git ref>  also build `fibrpc serve` from that commit and measure it side by side (before/after)
#   BENCH_CLIENT_SPIN_LIMIT=0 thread-pool spin limit of the load generator (see below); empty keeps the runtime default
#   BENCH_OUT=artifacts/bench/<UTC time>   where the raw results go
#   BENCH_NO_DOCS=1           do not touch docs/ (raw results and the report on standard output only)
#   RabbitMQConnection        AMQP URI (loopback only), default amqp://guest:guest@localhost:5672/
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$ROOT"

ROUNDS=${BENCH_ROUNDS:-3}
RUN_SECONDS=${BENCH_SECONDS:-5}
WARMUP=${BENCH_WARMUP:-1}
SUSTAIN=${BENCH_SUSTAIN_SECONDS:-20}
MIX=${BENCH_MIX:-10:90,100000:10}
BASELINE_REF=${BENCH_BASELINE_REF:-}
OUT=${BENCH_OUT:-$ROOT/artifacts/bench/$(date -u +%Y%m%dT%H%M%SZ)}
export RabbitMQConnection=${RabbitMQConnection:-amqp://guest:guest@localhost:5672/}
case "$RabbitMQConnection" in
    *@localhost:*|*@localhost/*|*@127.0.0.1:*|*@127.0.0.1/*|*@\[::1\]*) ;;
    *) echo "bench: only a loopback broker is measured (got $RabbitMQConnection)" >&2; exit 2 ;;
esac

FIBRPC="$ROOT/FibRpc.Cli/bin/Release/net10.0/fibrpc"
BENCHMARKS="$ROOT/bench/FibRpc.Benchmarks/bin/Release/net10.0/FibRpc.Benchmarks.dll"
CLK_TCK=$(getconf CLK_TCK)
mkdir -p "$OUT/logs"

say() { echo "bench: $*" >&2; }

# On two shared cores, the .NET thread pool's spin-waiting (sched_yield) in the load generator takes CPU from the
# processes being measured. The load generator alone runs with it off: every target is measured by the same client.
# The serving processes and the ceilings keep the runtime defaults; one extra `serve` (and one extra ceiling) with
# the same setting shows what the setting would give the service.
SPIN_LIMIT=${BENCH_CLIENT_SPIN_LIMIT-0}
SPIN_ENV=()
[[ -n $SPIN_LIMIT ]] && SPIN_ENV=(env "DOTNET_ThreadPool_UnfairSemaphoreSpinLimit=$SPIN_LIMIT")

# ---------------------------------------------------------------------------------------------------- processes
STARTED=()
cleanup() {
    local pid
    for pid in "${STARTED[@]}"; do kill -TERM "$pid" 2>/dev/null || true; done
    for pid in "${STARTED[@]}"; do
        for _ in $(seq 1 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
        kill -KILL "$pid" 2>/dev/null || true
    done
}
trap cleanup EXIT
trap 'exit 130' INT TERM

declare -A SERVERS   # queue -> space-separated pids of the processes consuming it

# start_consumer QUEUE LOGNAME READY_PATTERN COMMAND...
start_consumer() {
    local queue=$1 log="$OUT/logs/$2.log" ready=$3
    shift 3
    "$@" >"$log" 2>&1 &
    local pid=$!
    STARTED+=("$pid")
    SERVERS[$queue]="${SERVERS[$queue]:-} $pid"
    for _ in $(seq 1 300); do
        grep -q "$ready" "$log" && return 0
        kill -0 "$pid" 2>/dev/null || { say "$2 exited:"; cat "$log" >&2; exit 1; }
        sleep 0.1
    done
    say "$2 did not start consuming within 30 s"; cat "$log" >&2; exit 1
}

start_serve() { # QUEUE NAME [FIBRPC]
    local fibrpc=${3:-$FIBRPC}
    start_consumer "$1" "$2" "Consuming '$1'" "$fibrpc" serve --queue "$1" --prefetch 1
}

start_ceiling() { # QUEUE NAME --confirms|--no-confirms [ENV...]
    start_consumer "$1" "$2" "consuming '$1'" env "${@:4}" dotnet "$BENCHMARKS" ceiling "$3" --queue "$1" --prefetch 1
}

start_serve_spin0() { # QUEUE NAME: serve with the thread pool's spin-waiting off
    start_consumer "$1" "$2" "Consuming '$1'" env DOTNET_ThreadPool_UnfairSemaphoreSpinLimit=0 "$FIBRPC" serve --queue "$1" --prefetch 1
}

# utime + stime of the given pids, in clock ticks
cpu_ticks() {
    local total=0 pid fields
    for pid in "$@"; do
        # Field 2 (comm) may hold spaces: cut after the closing parenthesis; utime and stime are then fields 12, 13.
        fields=$(sed 's/^.*) //' "/proc/$pid/stat")
        total=$(( total + $(awk '{print $12 + $13}' <<<"$fields") ))
    done
    echo "$total"
}

# busy and total jiffies of the whole machine
machine_ticks() { awk '/^cpu /{busy=$2+$3+$4+$7+$8+$9; print busy, busy+$5+$6}' /proc/stat; }

rss_kb() { awk '/^VmRSS:/{print $2}' "/proc/$1/status"; }

BROKER_PID=$(pgrep -x beam.smp | head -1 || true)

# measure NAME QUEUE BENCH-ARGS...: one `fibrpc bench` run, with the CPU of the queue's consumers and the broker.
measure() {
    local name=$1 queue=$2
    shift 2
    local file="$OUT/$name.r$ROUND"
    local -a servers
    read -r -a servers <<<"${SERVERS[$queue]}"
    local before_server before_broker=0 before_machine after_server after_broker=0 after_machine rc=0
    before_server=$(cpu_ticks "${servers[@]}")
    [[ -n $BROKER_PID ]] && before_broker=$(cpu_ticks "$BROKER_PID")
    before_machine=$(machine_ticks)
    "${SPIN_ENV[@]}" "$FIBRPC" bench --queue "$queue" --warmup "$WARMUP" --duration "$RUN_SECONDS" --json --no-progress "$@" \
        >"$file.json" 2>"$OUT/logs/$name.r$ROUND.err" || rc=$?
    after_server=$(cpu_ticks "${servers[@]}")
    [[ -n $BROKER_PID ]] && after_broker=$(cpu_ticks "$BROKER_PID")
    after_machine=$(machine_ticks)
    read -r mb0 mt0 <<<"$before_machine"
    read -r mb1 mt1 <<<"$after_machine"
    printf '{"exitCode":%d,"clockTicksPerSecond":%d,"serverProcesses":%d,"serverCpuTicks":%d,"brokerCpuTicks":%d,"machineBusyTicks":%d,"machineTotalTicks":%d}\n' \
        "$rc" "$CLK_TCK" "${#servers[@]}" $((after_server - before_server)) $((after_broker - before_broker)) \
        $((mb1 - mb0)) $((mt1 - mt0)) >"$file.proc.json"
    local rate
    rate=$(grep -o '"requestsPerSecond": *[0-9.]*' "$file.json" | grep -o '[0-9.]*$' || echo "?")
    say "round $ROUND  $(printf '%-16s' "$name") $rate req/s (exit $rc)"
}

# ---------------------------------------------------------------------------------------------------- setup
"$ROOT/scripts/broker.sh" start
BROKER_PID=$(pgrep -x beam.smp | head -1 || true)

say "building (Release)"
dotnet build "$ROOT/FibRpc.Cli" -c Release -nologo -v q >"$OUT/logs/build.log" 2>&1 || { cat "$OUT/logs/build.log" >&2; exit 1; }
dotnet build "$ROOT/bench/FibRpc.Benchmarks" -c Release -nologo -v q >>"$OUT/logs/build.log" 2>&1 || { cat "$OUT/logs/build.log" >&2; exit 1; }

BASELINE_FIBRPC=""
if [[ -n $BASELINE_REF ]]; then
    say "building the baseline serve from $BASELINE_REF"
    rm -rf "$OUT/baseline-src" && mkdir -p "$OUT/baseline-src"
    git -C "$ROOT" archive "$BASELINE_REF" | tar -x -C "$OUT/baseline-src"
    dotnet build "$OUT/baseline-src/FibRpc.Cli" -c Release -nologo -v q >>"$OUT/logs/build.log" 2>&1 || { cat "$OUT/logs/build.log" >&2; exit 1; }
    BASELINE_FIBRPC="$OUT/baseline-src/FibRpc.Cli/bin/Release/net10.0/fibrpc"
    git -C "$ROOT" rev-parse --short "$BASELINE_REF" >"$OUT/baseline.txt"
fi

Q_SERVE=bench_rpc_queue
Q_SCALE2=bench_scale2_queue
Q_SCALE4=bench_scale4_queue
Q_CEIL_CONFIRMS=bench_ceiling_confirms
Q_CEIL_RAW=bench_ceiling_raw
Q_CEIL_CONFIRMS4=bench_ceiling4_confirms
Q_BASELINE=bench_baseline_queue
Q_SERVE_SPIN0=bench_spin0_queue
Q_CEIL_SPIN0=bench_ceiling_spin0_confirms
for queue in $Q_SERVE $Q_SCALE2 $Q_SCALE4 $Q_CEIL_CONFIRMS $Q_CEIL_RAW $Q_CEIL_CONFIRMS4 $Q_BASELINE $Q_SERVE_SPIN0 $Q_CEIL_SPIN0; do
    "$FIBRPC" topology --queue "$queue" >/dev/null
done

say "starting consumers: serve x8, ceilings x7$([[ -n $BASELINE_FIBRPC ]] && echo ", baseline serve x1")"
start_serve $Q_SERVE serve-1
start_serve $Q_SCALE2 serve-2a
start_serve $Q_SCALE2 serve-2b
for i in a b c d; do start_serve $Q_SCALE4 "serve-4$i"; done
start_ceiling $Q_CEIL_CONFIRMS ceiling-confirms --confirms
start_ceiling $Q_CEIL_RAW ceiling-raw --no-confirms
for i in a b c d; do start_ceiling $Q_CEIL_CONFIRMS4 "ceiling4-confirms-$i" --confirms; done
start_serve_spin0 $Q_SERVE_SPIN0 serve-spin0
start_ceiling $Q_CEIL_SPIN0 ceiling-confirms-spin0 --confirms DOTNET_ThreadPool_UnfairSemaphoreSpinLimit=0
[[ -n $BASELINE_FIBRPC ]] && start_serve $Q_BASELINE serve-baseline "$BASELINE_FIBRPC"

{
    echo "date=$(date -u +%Y-%m-%dT%H:%MZ)"
    echo "cpu=$(awk -F': ' '/model name/{print $2; exit}' /proc/cpuinfo) x $(nproc)"
    echo "kernel=$(uname -r)"
    echo "dotnet=$(dotnet --version)"
    echo "rabbitmq=$(/usr/sbin/rabbitmqctl version 2>/dev/null || echo unknown)"
    echo "commit=$(git -C "$ROOT" rev-parse --short HEAD)$(git -C "$ROOT" diff --quiet HEAD -- FibRpc FibRpc.Cli || echo '+changes')"
    echo "rounds=$ROUNDS"
    echo "seconds=$RUN_SECONDS"
    echo "warmup=$WARMUP"
    echo "sustain=$SUSTAIN"
    echo "mix=$MIX"
    echo "loadavg=$(cut -d' ' -f1-3 /proc/loadavg)"
    echo "clientspinlimit=${SPIN_LIMIT:-default}"
} >"$OUT/env.txt"

# ---------------------------------------------------------------------------------------------------- rounds
CEILING_ARGS=(--expect-constant ceiling)
# NAME QUEUE BENCH-ARGS, one per line; n = 30 sits next to n = 10 at C = 1 because the two are compared.
PLAN=(
    "svc-n10-c1       $Q_SERVE          --n 10 --concurrency 1"
    "svc-n30-c1       $Q_SERVE          --n 30 --concurrency 1"
    "ceilc-n10-c1     $Q_CEIL_CONFIRMS  --n 10 --concurrency 1 ${CEILING_ARGS[*]}"
    "ceilr-n10-c1     $Q_CEIL_RAW       --n 10 --concurrency 1 ${CEILING_ARGS[*]}"
    "svc-n10-c32      $Q_SERVE          --n 10 --concurrency 32"
    "ceilc-n10-c32    $Q_CEIL_CONFIRMS  --n 10 --concurrency 32 ${CEILING_ARGS[*]}"
    "ceilr-n10-c32    $Q_CEIL_RAW       --n 10 --concurrency 32 ${CEILING_ARGS[*]}"
    "svc-mix-c32      $Q_SERVE          --mix $MIX --concurrency 32"
    "svc2-n10-c32     $Q_SCALE2         --n 10 --concurrency 32"
    "svc4-n10-c32     $Q_SCALE4         --n 10 --concurrency 32"
    "ceilc4-n10-c32   $Q_CEIL_CONFIRMS4 --n 10 --concurrency 32 ${CEILING_ARGS[*]}"
    "svcs0-n10-c32    $Q_SERVE_SPIN0    --n 10 --concurrency 32"
    "ceilcs0-n10-c32  $Q_CEIL_SPIN0     --n 10 --concurrency 32 ${CEILING_ARGS[*]}"
)
if [[ -n $BASELINE_FIBRPC ]]; then
    PLAN+=(
        "base-n10-c1      $Q_BASELINE       --n 10 --concurrency 1"
        "base-n10-c32     $Q_BASELINE       --n 10 --concurrency 32"
    )
fi

# A short pass over every target first, not recorded: JIT, connections and broker state settle before round 1.
say "warm-up pass (not recorded)"
for entry in "${PLAN[@]}"; do
    read -r -a spec <<<"$entry"
    "${SPIN_ENV[@]}" "$FIBRPC" bench --queue "${spec[1]}" --warmup 0 --duration 1 --no-progress "${spec[@]:2}" >/dev/null 2>&1 || true
done

for ROUND in $(seq 1 "$ROUNDS"); do
    # Odd rounds go forward, even rounds backward, so that a drifting background load favours no measurement.
    order=$(seq 0 $(( ${#PLAN[@]} - 1 )))
    (( ROUND % 2 == 0 )) && order=$(seq $(( ${#PLAN[@]} - 1 )) -1 0)
    for i in $order; do
        read -r -a spec <<<"${PLAN[$i]}"
        measure "${spec[@]}"
    done
done

# ---------------------------------------------------------------------------------------------------- sustained
# One long phase on one serve: CPU per request over many requests, and resident memory sampled twice a second.
ROUND=1
SERVE_PID=$(awk '{print $1}' <<<"${SERVERS[$Q_SERVE]}")
say "sustained phase: ${SUSTAIN} s at n=10, C=32, sampling VmRSS of serve (pid $SERVE_PID)"
(
    end=$(( $(date +%s) + ${SUSTAIN%.*} + ${WARMUP%.*} + 15 ))
    while [[ $(date +%s) -lt $end ]] && kill -0 "$SERVE_PID" 2>/dev/null; do
        echo "$(date +%s.%N) $(rss_kb "$SERVE_PID")"
        sleep 0.5
    done
) >"$OUT/sustain-rss.txt" &
SAMPLER=$!
STARTED+=("$SAMPLER")
echo "$(date +%s.%N) $(rss_kb "$SERVE_PID")" >"$OUT/sustain-rss-before.txt"
RUN_SECONDS=$SUSTAIN measure sustain-n10-c32 $Q_SERVE --n 10 --concurrency 32
echo "$(date +%s.%N) $(rss_kb "$SERVE_PID")" >"$OUT/sustain-rss-after.txt"
kill "$SAMPLER" 2>/dev/null || true

# ---------------------------------------------------------------------------------------------------- report
cleanup
STARTED=()
say "results in $OUT"
REPORT_ARGS=(report --results "$OUT")
if [[ ${BENCH_NO_DOCS:-0} != 1 ]]; then
    REPORT_ARGS+=(--markdown "$ROOT/docs/benchmarks.md" --svg "$ROOT/docs/benchmarks-rpc-latency.svg")
fi
dotnet "$BENCHMARKS" "${REPORT_ARGS[@]}"
