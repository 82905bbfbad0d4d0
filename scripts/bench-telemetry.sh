#!/usr/bin/env bash
# Measures what telemetry costs `fibrpc serve`: `fibrpc bench` against serve with telemetry off, then on, alternating
# for several rounds so that the noise of a shared machine hits both alike; prints each round and the medians.
#
#   scripts/bench-telemetry.sh
#
# "on" is `serve --metrics-port` (every span recorded by the OpenTelemetry SDK, every instrument aggregated) with
# /metrics scraped every second, as Prometheus would; no trace exporter, so the cost of shipping spans elsewhere
# (a batch thread serialising OTLP) is not in the figure. The bench process itself has no telemetry in either mode.
#
# Settings (environment): BENCH_ROUNDS=5, BENCH_SECONDS=5, BENCH_CONCURRENCY=8, BENCH_N=10, BENCH_METRICS_PORT=19464,
# RabbitMQConnection (AMQP URI, loopback only).
set -euo pipefail

ROOT="$(cd "$(dirname "$0")/.." && pwd)"
FIBRPC="$ROOT/FibRpc.Cli/bin/Release/net10.0/FibRpc.Cli"
ROUNDS=${BENCH_ROUNDS:-5}
RUN_SECONDS=${BENCH_SECONDS:-5}
CONCURRENCY=${BENCH_CONCURRENCY:-8}
N=${BENCH_N:-10}
PORT=${BENCH_METRICS_PORT:-19464}
QUEUE=bench.telemetry
OUT=$(mktemp -d)

say() { echo "bench-telemetry: $*" >&2; }

dotnet build "$ROOT/FibRpc.Cli/FibRpc.Cli.csproj" -c Release -nologo -v quiet -clp:ErrorsOnly >&2
"$FIBRPC" topology --queue "$QUEUE" >/dev/null

SERVE_PID=""
SCRAPER_PID=""
stop() {
    [[ -n $SCRAPER_PID ]] && { kill "$SCRAPER_PID" 2>/dev/null || true; wait "$SCRAPER_PID" 2>/dev/null || true; }
    [[ -n $SERVE_PID ]] && { kill -TERM "$SERVE_PID" 2>/dev/null || true; wait "$SERVE_PID" 2>/dev/null || true; }
    SERVE_PID=""
    SCRAPER_PID=""
}
trap 'stop; rm -rf "$OUT"' EXIT

# run MODE ROUND: prints "requests/s p50-ms p99-ms"
run() {
    local mode=$1 log="$OUT/serve-$1-$2.log"
    if [[ $mode == on ]]; then
        "$FIBRPC" serve --queue "$QUEUE" --metrics-port "$PORT" >"$log" 2>&1 &
    else
        "$FIBRPC" serve --queue "$QUEUE" >"$log" 2>&1 &
    fi
    SERVE_PID=$!
    for _ in $(seq 1 300); do
        grep -q "Consuming '$QUEUE'" "$log" && break
        kill -0 "$SERVE_PID" 2>/dev/null || { say "serve exited:"; cat "$log" >&2; exit 1; }
        sleep 0.1
    done
    if [[ $mode == on ]]; then
        (while sleep 1; do curl -fsS "http://localhost:$PORT/metrics" >/dev/null 2>&1 || true; done) &
        SCRAPER_PID=$!
    fi
    "$FIBRPC" bench --queue "$QUEUE" --n "$N" --concurrency "$CONCURRENCY" --warmup 1 --duration "$RUN_SECONDS" --json --no-progress \
        | python3 -c 'import json, sys; r = json.load(sys.stdin); l = r["latencyMs"]; print("%.0f %.3f %.3f" % (r["requestsPerSecond"], l["p50"], l["p99"]))'
    stop
}

declare -a OFF ON
for round in $(seq 1 "$ROUNDS"); do
    OFF+=("$(run off "$round")")
    ON+=("$(run on "$round")")
    say "round $round: off ${OFF[-1]}   on ${ON[-1]}   (requests/s p50-ms p99-ms)"
done

printf '%s\n' "${OFF[@]}" >"$OUT/off"
printf '%s\n' "${ON[@]}" >"$OUT/on"
python3 - "$OUT/off" "$OUT/on" "$N" "$CONCURRENCY" "$ROUNDS" "$RUN_SECONDS" <<'PY'
import statistics, sys
def load(path):
    rows = [list(map(float, line.split())) for line in open(path) if line.strip()]
    return [statistics.median(column) for column in zip(*rows)]
off, on = load(sys.argv[1]), load(sys.argv[2])
print(f"n={sys.argv[3]}, C={sys.argv[4]}, {sys.argv[5]} alternating rounds of {sys.argv[6]} s, medians:")
print(f"| telemetry | requests/s | p50 ms | p99 ms |\n|---|---|---|---|")
print(f"| off | {off[0]:.0f} | {off[1]:.3f} | {off[2]:.3f} |")
print(f"| on  | {on[0]:.0f} | {on[1]:.3f} | {on[2]:.3f} |")
print(f"throughput change: {100 * (on[0] / off[0] - 1):+.1f} %")
PY
