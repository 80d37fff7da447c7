#!/usr/bin/env bash
# Time from `bin/bulwark run` to the first request served through the edge (median of RUNS).
set -euo pipefail
HERE=$(cd "$(dirname "$0")" && pwd); ROOT=$(cd "$HERE/.." && pwd)
RUNS=${RUNS:-5}
RES=${RES:-${TMPDIR:-/tmp}/bulwark-bench/startup-$(date +%Y%m%d-%H%M%S)}
mkdir -p "$RES/www"; echo hello >"$RES/www/index.html"
[[ -f $ROOT/bulwark-server/target/bulwark-server.jar && ${BUILD:-1} == 0 ]] || (cd "$ROOT" && ./mvnw -q -B package -DskipTests)
cat >"$RES/startup.yaml" <<YAML
edge: {http: 127.0.0.1:9120}
admin: {address: 127.0.0.1:9195}
logging: {access-log: "off"}
static-origins: [{id: s, root: www, address: "127.0.0.1:9182"}]
origins: [{id: o, static: s}]
distributions: [{id: st, hosts: [127.0.0.1], default-behavior: {target: o, cache-policy: CachingOptimized}}]
YAML
times=()
for r in $(seq "$RUNS"); do
  t0=$(date +%s%N)
  "$ROOT/bin/bulwark" run "$RES/startup.yaml" >"$RES/run-$r.log" 2>&1 &
  pid=$!
  until curl -sf -o /dev/null http://127.0.0.1:9120/; do sleep 0.005; done
  t1=$(date +%s%N)
  kill "$pid"; wait "$pid" 2>/dev/null || true
  times+=($(( (t1 - t0) / 1000000 )))
done
printf '%s\n' "${times[@]}" | sort -n | awk -v runs="$RUNS" '{a[NR]=$1} END {printf "start to first request: median %d ms [%d-%d] over %d runs\n", a[int((NR+1)/2)], a[1], a[NR], runs}' | tee "$RES/summary.txt"
