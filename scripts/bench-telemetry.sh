#!/usr/bin/env bash
# Measures what telemetry costs `fibrpc serve`: `fibrpc bench` against serve with telemetry off, then on, for several
# rounds (the order flips each round, so that neither mode always runs first on a warmer machine); prints each round,
# the medians, and the median of the per-round ratios (on / off, measured side by side).
#
#   scripts/bench-telemetry.sh
#
# Two figures per run: throughput (requests/s, from fibrpc bench) and serve's CPU per request (user + system time of
# the serve process over the steady middle of the run, from /proc, divided by the requests answered in that time).
#
# "on" is `serve --metrics-port` (every span recorded by the OpenTelemetry SDK, every instrument aggregated) with
# /metrics scraped every BENCH_SCRAPE_SECONDS (5: three times as often as deploy/prometheus/prometheus.yml's 15 s, so
# that every measured window holds scrapes; each is a curl process, which costs the shared cores more than a
# Prometheus connection would); no trace exporter, so the cost of shipping spans
# elsewhere (a batch thread serialising OTLP) is not in the figure. The bench process itself has no telemetry.
#
# serve is the build users run: the Native AOT one of the container image (scripts/publish.sh; ReadyToRun where AOT
# is not possible). With BENCH_BUILD=jit it is the Release build run by the JIT, whose tiering keeps compiling for
# tens of seconds: more code (the OpenTelemetry SDK) means more compiling inside the measured window.
# The load generator runs with the thread pool's spin limit 0, so its idle workers do not spin on the cores that
# serve and the broker need (as in the run plan of bench/FibRpc.Benchmarks).
#
# Settings (environment): BENCH_ROUNDS=5, BENCH_SECONDS=10, BENCH_WARMUP=3, BENCH_CONCURRENCY=8, BENCH_N=10,
# BENCH_SCRAPE_SECONDS=5, BENCH_METRICS_PORT=19464, BENCH_BUILD=aot|jit, RabbitMQConnection (AMQP URI, loopback only).
set -euo pipefail

ROOT="$(cd "$(dirname "$0")/.." && pwd)"
ROUNDS=${BENCH_ROUNDS:-5}
RUN_SECONDS=${BENCH_SECONDS:-10}
WARMUP=${BENCH_WARMUP:-3}
CONCURRENCY=${BENCH_CONCURRENCY:-8}
N=${BENCH_N:-10}
SCRAPE=${BENCH_SCRAPE_SECONDS:-5}
PORT=${BENCH_METRICS_PORT:-19464}
BUILD=${BENCH_BUILD:-aot}
QUEUE=bench.telemetry
OUT=$(mktemp -d)
TICKS=$(getconf CLK_TCK)

say() { echo "bench-telemetry: $*" >&2; }

dotnet build "$ROOT/FibRpc.Cli/FibRpc.Cli.csproj" -c Release -nologo -v quiet -clp:ErrorsOnly >&2
LOAD="$ROOT/FibRpc.Cli/bin/Release/net10.0/FibRpc.Cli"
case $BUILD in
    aot)
        "$ROOT/scripts/publish.sh" aot "$OUT/publish" >&2
        SERVE="$OUT/publish/FibRpc.Cli"
        ;;
    jit) SERVE=$LOAD ;;
    *) say "BENCH_BUILD is aot or jit, not '$BUILD'"; exit 2 ;;
esac
"$LOAD" topology --queue "$QUEUE" --policies none >/dev/null

SERVE_PID=""
SCRAPER_PID=""
stop() {
    [[ -n $SCRAPER_PID ]] && { kill "$SCRAPER_PID" 2>/dev/null || true; wait "$SCRAPER_PID" 2>/dev/null || true; }
    [[ -n $SERVE_PID ]] && { kill -TERM "$SERVE_PID" 2>/dev/null || true; wait "$SERVE_PID" 2>/dev/null || true; }
    SERVE_PID=""
    SCRAPER_PID=""
}
trap 'stop; rm -rf "$OUT"' EXIT

# CPU seconds (user + system) that process $1 has used so far.
cpu_seconds() { awk -v ticks="$TICKS" '{ printf "%.3f", ($14 + $15) / ticks }' "/proc/$1/stat"; }

# run MODE ROUND: prints "requests/s p50-ms p99-ms serve-cpu-µs-per-request"
run() {
    local mode=$1 log="$OUT/serve-$1-$2.log"
    if [[ $mode == on ]]; then
        "$SERVE" serve --queue "$QUEUE" --metrics-port "$PORT" >"$log" 2>&1 &
    else
        "$SERVE" serve --queue "$QUEUE" >"$log" 2>&1 &
    fi
    SERVE_PID=$!
    for _ in $(seq 1 300); do
        grep -qs "Consuming '$QUEUE'" "$log" && break
        kill -0 "$SERVE_PID" 2>/dev/null || { say "serve exited:"; cat "$log" >&2; exit 1; }
        sleep 0.1
    done
    if [[ $mode == on ]]; then
        (while true; do curl -fsS "http://localhost:$PORT/metrics" >/dev/null 2>&1 || true; sleep "$SCRAPE"; done) &
        SCRAPER_PID=$!
    fi
    DOTNET_ThreadPool_UnfairSemaphoreSpinLimit=0 "$LOAD" bench --queue "$QUEUE" --n "$N" --concurrency "$CONCURRENCY" \
        --warmup "$WARMUP" --duration "$RUN_SECONDS" --json --no-progress >"$OUT/bench.json" &
    local bench=$!
    # The steady middle of the measured part: from 1 s after the warm-up to 1 s before the end.
    sleep $((WARMUP + 1))
    local cpu0 t0 cpu1 t1
    cpu0=$(cpu_seconds "$SERVE_PID"); t0=$(date +%s.%N)
    sleep $((RUN_SECONDS - 2))
    cpu1=$(cpu_seconds "$SERVE_PID"); t1=$(date +%s.%N)
    wait "$bench"
    python3 - "$OUT/bench.json" "$cpu0" "$cpu1" "$t0" "$t1" <<'PY'
import json, sys
r = json.load(open(sys.argv[1]))
cpu0, cpu1, t0, t1 = map(float, sys.argv[2:6])
l = r["latencyMs"]
cpu_per_request_us = (cpu1 - cpu0) / (t1 - t0) / r["requestsPerSecond"] * 1e6
print("%.0f %.3f %.3f %.1f" % (r["requestsPerSecond"], l["p50"], l["p99"], cpu_per_request_us))
PY
    stop
}

for round in $(seq 1 "$ROUNDS"); do
    if ((round % 2)); then
        off=$(run off "$round"); on=$(run on "$round")
    else
        on=$(run on "$round"); off=$(run off "$round")
    fi
    echo "$off" >>"$OUT/off"
    echo "$on" >>"$OUT/on"
    say "round $round: off $off   on $on   (requests/s p50-ms p99-ms serve-CPU-µs/request)"
done

python3 - "$OUT/off" "$OUT/on" "$N" "$CONCURRENCY" "$ROUNDS" "$RUN_SECONDS" "$BUILD" "$SCRAPE" <<'PY'
import statistics, sys
def rows(path):
    return [list(map(float, line.split())) for line in open(path) if line.strip()]
off_rows, on_rows = rows(sys.argv[1]), rows(sys.argv[2])
off = [statistics.median(c) for c in zip(*off_rows)]
on = [statistics.median(c) for c in zip(*on_rows)]
throughput = statistics.median(b[0] / a[0] for a, b in zip(off_rows, on_rows))
cpu = statistics.median(b[3] / a[3] for a, b in zip(off_rows, on_rows))
n, c, rounds, seconds, build, scrape = sys.argv[3:9]
print(f"serve build {build}; n={n}, C={c}; {rounds} rounds of {seconds} s, order flipped each round; /metrics scraped every {scrape} s; medians:")
print("| telemetry | requests/s | p50 ms | p99 ms | serve CPU µs/request |\n|---|---|---|---|---|")
print(f"| off | {off[0]:.0f} | {off[1]:.3f} | {off[2]:.3f} | {off[3]:.1f} |")
print(f"| on  | {on[0]:.0f} | {on[1]:.3f} | {on[2]:.3f} | {on[3]:.1f} |")
print(f"on vs off, median of the per-round ratios: throughput {100 * (throughput - 1):+.1f} %, serve CPU per request {100 * (cpu - 1):+.1f} %")
PY
