#!/usr/bin/env bash
# Cold start of the whole `fibrpc compute 1000000` process (start-up, F(10^6), writing its 208,988 digits) for
# the three ways fibrpc can be published, side by side with python3 + gmpy2 doing the same:
#
#   bench/coldstart.sh
#
#   aot   Native AOT (FibRpc.Cli/Properties/PublishProfiles/Aot.pubxml: linux-x64, x86-64-v3), the default
#   r2r   framework-dependent with ReadyToRun code (PublishProfiles/ReadyToRun.pubxml), the fallback
#   jit   framework-dependent, plain IL (what `dotnet pack` ships as the .NET tool)
#   gmp   /usr/bin/python3 -c "import gmpy2,sys; sys.stdout.write(str(gmpy2.fib(1000000)))"
#
# hyperfine runs every command as its own process (no shell in between) with its output read through a pipe.
# The run is split into rounds; each round runs all commands back to back (order reversed every other round), so
# that a machine whose speed drifts slows them alike. Reported: the median wall time of each command over all
# runs, and its ratio to gmp taken within each round (median over rounds). Before timing, every build's output is
# checked against gmpy2's digits, and the AOT build must report its AVX2 paths when the CPU has AVX2.
#
# Settings (environment):
#   COLDSTART_N=1000000        the n computed
#   COLDSTART_ROUNDS=5         rounds
#   COLDSTART_RUNS=20          timed runs of each command per round (after 3 warm-up runs)
#   COLDSTART_BASELINE_REF=<git ref>  also publish that commit as Native AOT the way it was then published
#                              (`-r linux-x64 -p:PublishAot=true`, default instruction set) and time it too
#   COLDSTART_OUT=artifacts/coldstart/<UTC time>   builds and raw hyperfine JSON
#
# Needs: the .NET SDK, clang and zlib1g-dev (Native AOT), hyperfine, python3-gmpy2 (all Debian packages; installed
# here when missing and running as root).
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$ROOT"

N=${COLDSTART_N:-1000000}
ROUNDS=${COLDSTART_ROUNDS:-5}
RUNS=${COLDSTART_RUNS:-20}
BASELINE_REF=${COLDSTART_BASELINE_REF:-}
OUT=${COLDSTART_OUT:-artifacts/coldstart/$(date -u +%Y%m%dT%H%M%SZ)}
PYTHON=/usr/bin/python3

log() { printf 'coldstart: %s\n' "$*" >&2; }

# --- prerequisites ------------------------------------------------------------------------------------------------
missing=()
command -v clang >/dev/null || missing+=(clang)
[[ -e /usr/include/zlib.h ]] || missing+=(zlib1g-dev)
command -v hyperfine >/dev/null || missing+=(hyperfine)
"$PYTHON" -c 'import gmpy2' 2>/dev/null || missing+=(python3-gmpy2)
if ((${#missing[@]} > 0)); then
    if [[ $(id -u) -eq 0 ]] && command -v apt-get >/dev/null; then
        log "installing ${missing[*]}"
        apt-get update -qq
        DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null
    else
        log "missing: ${missing[*]} (apt-get install ${missing[*]})"
        exit 2
    fi
fi

# --- builds -------------------------------------------------------------------------------------------------------
mkdir -p "$OUT"
OUT=$(cd "$OUT" && pwd)
publish() { # name, dotnet publish arguments...
    local name=$1
    shift
    log "publishing $name"
    if ! dotnet publish FibRpc.Cli/FibRpc.Cli.csproj --nologo -v quiet -clp:ErrorsOnly "$@" -p:PublishDir="$OUT/$name/" >"$OUT/$name.log" 2>&1; then
        cat "$OUT/$name.log" >&2
        exit 1
    fi
}
publish aot -p:PublishProfile=Aot
publish r2r -p:PublishProfile=ReadyToRun
publish jit -c Release -r linux-x64 --self-contained false

names=(aot r2r jit)
commands=("$OUT/aot/FibRpc.Cli compute $N" "$OUT/r2r/FibRpc.Cli compute $N" "$OUT/jit/FibRpc.Cli compute $N")
if [[ -n $BASELINE_REF ]]; then
    base_src="$OUT/baseline-src"
    rm -rf "$base_src"
    mkdir -p "$base_src"
    git archive "$BASELINE_REF" | tar -x -C "$base_src"
    base_rev=$(git rev-parse --short "$BASELINE_REF")
    log "publishing baseline $base_rev"
    if ! dotnet publish "$base_src/FibRpc.Cli/FibRpc.Cli.csproj" --nologo -v quiet -clp:ErrorsOnly -c Release -r linux-x64 \
        -p:PublishAot=true -p:PublishDir="$OUT/baseline/" >"$OUT/baseline.log" 2>&1; then
        cat "$OUT/baseline.log" >&2
        exit 1
    fi
    names+=("aot@$base_rev")
    commands+=("$OUT/baseline/FibRpc.Cli compute $N")
fi
names+=(gmp)
gmp_code="import gmpy2,sys; sys.stdout.write(str(gmpy2.fib($N)))"
commands+=("$PYTHON -c \"$gmp_code\"")

# --- checks -------------------------------------------------------------------------------------------------------
expected=$("$PYTHON" -c "$gmp_code" | md5sum)
for i in "${!names[@]}"; do
    [[ ${names[$i]} == gmp ]] && continue
    read -r -a words <<<"${commands[$i]}"
    # fibrpc ends the number with a newline, gmpy2's one-liner does not.
    actual=$("${words[@]}" | head -c -1 | md5sum)
    if [[ $actual != "$expected" ]]; then
        log "${names[$i]}: F($N) differs from gmpy2's"
        exit 1
    fi
done
"$OUT/aot/FibRpc.Cli" compute --info 10 2>"$OUT/aot-info.txt" >/dev/null
if grep -qw avx2 /proc/cpuinfo && ! grep -q 'engine transforms: AVX2' "$OUT/aot-info.txt"; then
    log "the CPU has AVX2 but the AOT build does not use it:"
    cat "$OUT/aot-info.txt" >&2
    exit 1
fi

# --- timing -------------------------------------------------------------------------------------------------------
log "$ROUNDS rounds x $RUNS runs of: ${names[*]}"
for ((round = 1; round <= ROUNDS; round++)); do
    order=("${!commands[@]}")
    if ((round % 2 == 0)); then
        mapfile -t order < <(printf '%s\n' "${order[@]}" | tac)
    fi
    args=()
    for i in "${order[@]}"; do
        args+=(--command-name "${names[$i]}" "${commands[$i]}")
    done
    hyperfine -N --style none --output pipe --warmup 3 --runs "$RUNS" --export-json "$OUT/round-$round.json" "${args[@]}" >/dev/null 2>"$OUT/round-$round.log"
done

# --- report -------------------------------------------------------------------------------------------------------
{
    echo "_$(date -u +%FT%TZ), commit $(git rev-parse --short HEAD)$(git diff --quiet HEAD -- . 2>/dev/null || echo '+changes'): $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2- | sed 's/^ *//') x $(nproc), load average $(cut -d' ' -f1-3 /proc/loadavg) at the end, .NET $(dotnet --version), $($PYTHON -c 'import gmpy2,sys; print("Python", sys.version.split()[0], "gmpy2", gmpy2.version(), gmpy2.mp_version())'). $ROUNDS rounds x $RUNS runs, F($N)._"
    echo
    sed 's/^/    /' "$OUT/aot-info.txt"
    echo
    "$PYTHON" - "$OUT" "$ROUNDS" <<'PY'
import json, statistics, sys
out, rounds = sys.argv[1], int(sys.argv[2])
times, ratios = {}, {}
for r in range(1, rounds + 1):
    results = json.load(open(f"{out}/round-{r}.json"))["results"]
    medians = {x["command"]: statistics.median(x["times"]) for x in results}
    for x in results:
        times.setdefault(x["command"], []).extend(x["times"])
        ratios.setdefault(x["command"], []).append(medians[x["command"]] / medians["gmp"])
print("| build | median wall time | min | max | ratio to python3 + gmpy2 (median of rounds) | rounds' ratios |")
print("|---|---:|---:|---:|---:|---|")
for name, t in times.items():
    rs = ratios[name]
    print(f"| {name} | {statistics.median(t) * 1e3:.1f} ms | {min(t) * 1e3:.1f} ms | {max(t) * 1e3:.1f} ms "
          f"| **{statistics.median(rs):.2f}** | {min(rs):.2f} to {max(rs):.2f} |")
PY
} | tee "$OUT/report.md"
