#!/usr/bin/env bash
# Bulwark against nginx, Varnish and HAProxy in the same interleaved run.
#
#   bench/http.sh                 # full run (~30 min): cache hits, pass-through, TLS, failover
#   QUICK=1 bench/http.sh         # one run of 5 s per cell, short warm-up: a smoke test
#
# Method (../shared/bench-peers/README.md): every server pinned to core 0, the load generator to
# core 1, interleaved runs with rotating order, median [min-max], and requests per server
# CPU-second from /proc (the steadier figure on a shared machine). Bulwark runs with the JVM
# options below (docs/operations.md) and a 30 s warm-up per cell so the JIT has compiled the hot
# path. Results: $RES (default $TMPDIR/bulwark-bench/http-<time>), summary.txt holds the table.
set -euo pipefail
HERE=$(cd "$(dirname "$0")" && pwd)
ROOT=$(cd "$HERE/.." && pwd)
PEERS=${PEERS:-$ROOT/../shared/bench-peers}
[[ -x $PEERS/http.sh ]] || { echo "bench: peer scripts not found at $PEERS (set PEERS=...)" >&2; exit 2; }

JAVA_OPTS=${JAVA_OPTS:-"-XX:+UseParallelGC -Xms1g -Xmx1g -XX:+AlwaysPreTouch -Dio.netty.leakDetection.level=disabled"}
SRV_CPU=${SRV_CPU:-0}
STAMP=$(date +%Y%m%d-%H%M%S)
export RES=${RES:-${TMPDIR:-/tmp}/bulwark-bench/http-$STAMP}
mkdir -p "$RES"

if [[ ! -f $ROOT/bulwark-server/target/bulwark-server.jar || ${BUILD:-1} == 1 ]]; then
  (cd "$ROOT" && ./mvnw -q -B package -DskipTests)
fi

declare -a STARTED=()
cleanup() { for p in "${STARTED[@]}"; do kill "$p" 2>/dev/null || true; done; for p in "${STARTED[@]}"; do wait "$p" 2>/dev/null || true; done; }
trap cleanup EXIT

start_bulwark() {   # start_bulwark NAME CONFIG -> sets PID_<NAME>
  local name=$1 cfg=$2
  BULWARK_JAVA_OPTS="$JAVA_OPTS" taskset -c "$SRV_CPU" "$ROOT/bin/bulwark" run "$cfg" >"$RES/bulwark-$name.log" 2>&1 &
  local pid=$!
  STARTED+=("$pid")
  printf -v "PID_$name" '%s' "$pid"
}
wait_http() { for _ in $(seq 600); do curl -s -o /dev/null "$1" && return 0; sleep 0.1; done; echo "bench: $1 never answered" >&2; exit 1; }

# The origins come up with the peers' script; Bulwark only needs its listeners to be up first.
start_bulwark cache "$HERE/bulwark-cache.yaml"
start_bulwark pass "$HERE/bulwark-pass.yaml"
start_bulwark failover "$HERE/bulwark-failover.yaml"
wait_http http://127.0.0.1:9190/healthz; wait_http http://127.0.0.1:9191/healthz; wait_http http://127.0.0.1:9192/healthz

if [[ ${QUICK:-0} == 1 ]]; then
  export RUNS=${RUNS:-1} DUR=${DUR:-5} WARMUP=${WARMUP:-5} FAIL_DUR=${FAIL_DUR:-6} FAIL_SCENARIOS=${FAIL_SCENARIOS:-"none kill hang"}
else
  export RUNS=${RUNS:-3} DUR=${DUR:-10} WARMUP=${WARMUP:-30}
fi
export CONFIGS=${CONFIGS:-"nginx-pass haproxy-pass nginx-cache varnish-cache nginx-cache-tls"}
export EXTRA_HTTP="bulwark-cache=http://127.0.0.1:9100@$PID_cache bulwark-pass=http://127.0.0.1:9101@$PID_pass bulwark-cache-tls=https://127.0.0.1:9143@$PID_cache"
export FAIL_PROXIES="nginx=http://127.0.0.1:27102 bulwark=http://127.0.0.1:9102"
{
  echo "# bulwark: $(git -C "$ROOT" rev-parse --short HEAD 2>/dev/null || echo '?') java: $(java -version 2>&1 | head -1) opts: $JAVA_OPTS"
} >"$RES/bulwark-env.txt"
"$PEERS/http.sh"
cat "$RES/bulwark-env.txt"
