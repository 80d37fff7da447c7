#!/usr/bin/env bash
# The 1 KiB cache-hit path of this checkout against an earlier commit's, in one interleaved run
# (issue 3, acceptance 4: "the hit path stays as fast as before this issue").
#
#   bench/hitpath.sh                      # BEFORE_REV=1397dfd (the last commit before RFC 9111 caching)
#   BEFORE_REV=<rev> RUNS=5 bench/hitpath.sh
#
# Both builds serve the same config (a 1 KiB object from a built-in static origin, cached with
# CachingOptimized); each is pinned to core 0 in turn and wrk (1 thread, 32 connections, a plain
# GET as the peers' hit scenario sends) to core 1; run order alternates. Figures: requests per
# server CPU-second (utime+stime from /proc), median of the runs. The earlier commit is built in a
# temporary git worktree. Results: $RES (default $TMPDIR/bulwark-bench/hitpath-<time>).
set -euo pipefail
HERE=$(cd "$(dirname "$0")" && pwd)
ROOT=$(cd "$HERE/.." && pwd)
BEFORE_REV=${BEFORE_REV:-1397dfd}
JAVA_OPTS=${JAVA_OPTS:-"-XX:+UseParallelGC -Xms1g -Xmx1g -XX:+AlwaysPreTouch -Dio.netty.leakDetection.level=disabled"}
RUNS=${RUNS:-5} DUR=${DUR:-10} WARMUP=${WARMUP:-30} CONNS=${CONNS:-32}
STAMP=$(date +%Y%m%d-%H%M%S)
RES=${RES:-${TMPDIR:-/tmp}/bulwark-bench/hitpath-$STAMP}
mkdir -p "$RES/site"
head -c 1024 /dev/zero | tr '\0' 'x' >"$RES/site/page"

BEFORE_DIR=${BEFORE_DIR:-$RES/before}
if [[ ! -x $BEFORE_DIR/bin/bulwark ]]; then
  git -C "$ROOT" worktree add -q --detach "$BEFORE_DIR" "$BEFORE_REV"
fi
(cd "$BEFORE_DIR" && ./mvnw -q -B package -DskipTests)
if [[ ${BUILD:-1} == 1 ]]; then (cd "$ROOT" && ./mvnw -q -B package -DskipTests); fi

config() {   # config PORT ADMIN STATIC
  cat <<YAML
edge: {http: 127.0.0.1:$1}
admin: {address: 127.0.0.1:$2}
logging: {access-log: off}
cache: {max-bytes: 256MiB}
static-origins:
  - {id: site, root: site, address: 127.0.0.1:$3}
origins:
  - {id: origin, static: site}
distributions:
  - id: bench
    hosts: [127.0.0.1, localhost]
    default-behavior: {target: origin, cache-policy: CachingOptimized}
YAML
}
config 9130 9197 9131 >"$RES/before.yaml"
config 9132 9198 9133 >"$RES/after.yaml"

declare -a STARTED=()
cleanup() { for p in "${STARTED[@]}"; do kill "$p" 2>/dev/null || true; done; for p in "${STARTED[@]}"; do wait "$p" 2>/dev/null || true; done; }
trap cleanup EXIT
BULWARK_CDS=0 BULWARK_JAVA_OPTS="$JAVA_OPTS" taskset -c 0 "$BEFORE_DIR/bin/bulwark" run "$RES/before.yaml" >"$RES/bulwark-before.log" 2>&1 &
STARTED+=("$!"); PID_before=$!
BULWARK_CDS=0 BULWARK_JAVA_OPTS="$JAVA_OPTS" taskset -c 0 "$ROOT/bin/bulwark" run "$RES/after.yaml" >"$RES/bulwark-after.log" 2>&1 &
STARTED+=("$!"); PID_after=$!
for a in 9197 9198; do
  for _ in $(seq 600); do curl -s -o /dev/null "http://127.0.0.1:$a/healthz" && break; sleep 0.1; done
done

cpu_ticks() { awk '{print $14+$15}' "/proc/$1/stat"; }
run() {   # run NAME PORT SECONDS -> "requests cpu_seconds"
  local pid_var="PID_$1" out t0 t1
  t0=$(cpu_ticks "${!pid_var}")
  out=$(taskset -c 1 wrk -t1 -c"$CONNS" -d"$3"s "http://127.0.0.1:$2/page" 2>&1)
  t1=$(cpu_ticks "${!pid_var}")
  if echo "$out" | grep -q "Non-2xx"; then echo "bench: non-2xx answers from $1" >&2; echo "$out" >&2; exit 1; fi
  echo "$(echo "$out" | awk '/requests in/ {print $1}') $(echo "($t1 - $t0) / $(getconf CLK_TCK)" | bc -l)"
}
echo "warm-up ${WARMUP}s each" >&2
run before 9130 "$WARMUP" >/dev/null; run after 9132 "$WARMUP" >/dev/null
: >"$RES/raw.txt"
for i in $(seq "$RUNS"); do
  order="before after"; (( i % 2 == 0 )) && order="after before"
  for name in $order; do
    port=9130; [[ $name == after ]] && port=9132
    read -r req cpu < <(run "$name" "$port" "$DUR")
    echo "$i $name $req $cpu" | tee -a "$RES/raw.txt" >&2
  done
done
python3 - "$RES/raw.txt" "$BEFORE_REV" "$(git -C "$ROOT" rev-parse --short HEAD)" >"$RES/summary.txt" <<'PY'
import sys, statistics
rows = [l.split() for l in open(sys.argv[1]) if l.strip()]
def vals(name): return [float(r[2]) / float(r[3]) for r in rows if r[1] == name]
b, a = vals("before"), vals("after")
print("| build | req/CPU-s median [min-max] |")
print("|---|---|")
print(f"| before ({sys.argv[2]}) | {statistics.median(b):,.0f} [{min(b):,.0f}-{max(b):,.0f}] |")
print(f"| after ({sys.argv[3]}) | {statistics.median(a):,.0f} [{min(a):,.0f}-{max(a):,.0f}] |")
print(f"\nratio after/before: {statistics.median(a) / statistics.median(b):.2f}x")
PY
echo "# runs=$RUNS dur=${DUR}s warmup=${WARMUP}s conns=$CONNS; results in $RES" | tee -a "$RES/summary.txt"
cat "$RES/summary.txt"
if [[ $BEFORE_DIR == "$RES/before" ]]; then git -C "$ROOT" worktree remove --force "$BEFORE_DIR"; fi
