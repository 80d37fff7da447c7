#!/usr/bin/env bash
# The edge's cache-hit throughput with the default web ACL (every built-in rule group, blocking)
# against the same edge without it, in one interleaved run (issue 4, acceptance 4).
#
#   bench/waf.sh                  # RUNS=5 DUR=10 WARMUP=30
#   QUICK=1 bench/waf.sh          # a smoke test
#
# Two Bulwark processes with the same ~1 KiB cached page, one with `web-acl:` set; each pinned to
# core 0 in turn, wrk pinned to core 1, runs interleaved with alternating order. Three request
# shapes (bench/waf-requests.lua), all ~1 KB with browser headers and cookies; SHAPES picks some:
#   repeat  the same request every time (the browser headers, cookies and query repeat);
#   browse  returning visitors: 200 session cookies, 300 query strings and 300 Referers drawn at
#           random, so every value recurs but the header block and query rarely repeat together;
#   fresh   a new query string, Referer and session cookie on every request, so the web ACL's
#           answer caches only help with the headers that really repeat.
# Figures are requests per server CPU-second (utime+stime from /proc), median of the runs, the
# ratio of those medians with/without the web ACL, and the median of the per-run ratios (the two
# edges measured back to back in each run). Results: $RES (default $TMPDIR/bulwark-bench/waf-<time>).
set -euo pipefail
HERE=$(cd "$(dirname "$0")" && pwd)
ROOT=$(cd "$HERE/.." && pwd)
JAVA_OPTS=${JAVA_OPTS:-"-XX:+UseParallelGC -Xms1g -Xmx1g -XX:+AlwaysPreTouch -Dio.netty.leakDetection.level=disabled"}
SRV_CPU=${SRV_CPU:-0}
LOAD_CPU=${LOAD_CPU:-1}
STAMP=$(date +%Y%m%d-%H%M%S)
RES=${RES:-${TMPDIR:-/tmp}/bulwark-bench/waf-$STAMP}
mkdir -p "$RES/site/products"
if [[ ${QUICK:-0} == 1 ]]; then RUNS=${RUNS:-1} DUR=${DUR:-5} WARMUP=${WARMUP:-10}; fi
RUNS=${RUNS:-5} DUR=${DUR:-10} WARMUP=${WARMUP:-30} CONNS=${CONNS:-32}

if [[ ! -f $ROOT/bulwark-server/target/bulwark-server.jar || ${BUILD:-1} == 1 ]]; then
  (cd "$ROOT" && ./mvnw -q -B package -DskipTests)
fi

head -c 1024 /dev/zero | tr '\0' 'x' >"$RES/site/products/running-shoes"
config() {   # config PORT ADMIN STATIC WITH_ACL
  cat <<YAML
edge: {http: 127.0.0.1:$1}
admin: {address: 127.0.0.1:$2}
logging: {access-log: off}
cache: {max-bytes: 256MiB}
static-origins:
  - {id: site, root: site, address: 127.0.0.1:$3}
origins:
  - {id: origin, static: site}
web-acls:
  - name: default
    default-action: allow
    rules:
      - {name: known-bad-inputs, priority: 1, override-action: none, statement: {managed-rule-group: {name: known-bad-inputs}}}
      - {name: core-rule-set, priority: 2, override-action: none, statement: {managed-rule-group: {name: core-rule-set}}}
      - {name: sql-database, priority: 3, override-action: none, statement: {managed-rule-group: {name: sql-database}}}
      - {name: unix-command-injection, priority: 4, override-action: none, statement: {managed-rule-group: {name: unix-command-injection}}}
distributions:
  - id: shop
    hosts: [shop.example.com]
$( [[ $4 == 1 ]] && echo "    web-acl: default" )
    default-behavior: {target: origin, cache-policy: CachingOptimized}
YAML
}
config 9110 9195 9120 0 >"$RES/plain.yaml"
config 9111 9196 9121 1 >"$RES/waf.yaml"

declare -a STARTED=()
cleanup() { for p in "${STARTED[@]}"; do kill "$p" 2>/dev/null || true; done; for p in "${STARTED[@]}"; do wait "$p" 2>/dev/null || true; done; }
trap cleanup EXIT
for name in plain waf; do
  BULWARK_JAVA_OPTS="$JAVA_OPTS" taskset -c "$SRV_CPU" "$ROOT/bin/bulwark" run "$RES/$name.yaml" >"$RES/bulwark-$name.log" 2>&1 &
  STARTED+=("$!")
  printf -v "PID_$name" '%s' "$!"
done
for a in 9195 9196; do
  for _ in $(seq 600); do curl -s -o /dev/null "http://127.0.0.1:$a/healthz" && break; sleep 0.1; done
done

cp "$HERE/waf-requests.lua" "$RES/headers.lua"

source "$HERE/waf-lib.sh"
measure_pair plain 9110 waf 9111
summarize plain waf "without web ACL" "with default web ACL" 2 >"$RES/summary.txt"
echo "# bulwark $(git -C "$ROOT" rev-parse --short HEAD) runs=$RUNS dur=${DUR}s warmup=${WARMUP}s conns=$CONNS; results in $RES" | tee -a "$RES/summary.txt"
cat "$RES/summary.txt"
