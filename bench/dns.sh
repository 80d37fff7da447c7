#!/usr/bin/env bash
# Bulwark's authoritative DNS against NSD, Knot, PowerDNS and gdnsd, in the same interleaved run.
#
#   bench/dns.sh               # ~4 min: dnsperf UDP, 3 interleaved runs of 10 s
#   QUICK=1 bench/dns.sh       # 1 run of 5 s
#
# Method: ../shared/bench-peers/dns.sh (every server on core 0, dnsperf on core 1, one thread per
# server; queries per server CPU-second from /proc). Bulwark serves the same zone file on
# 127.0.0.1:9053 with a 30 s warm-up. Results: $RES/summary.txt.
set -euo pipefail
HERE=$(cd "$(dirname "$0")" && pwd)
ROOT=$(cd "$HERE/.." && pwd)
PEERS=${PEERS:-$ROOT/../shared/bench-peers}
[[ -x $PEERS/dns.sh ]] || { echo "bench: peer scripts not found at $PEERS (set PEERS=...)" >&2; exit 2; }
JAVA_OPTS=${JAVA_OPTS:-"-XX:+UseParallelGC -Xms512m -Xmx512m -XX:+AlwaysPreTouch -Dio.netty.leakDetection.level=disabled"}
SRV_CPU=${SRV_CPU:-0}
export RES=${RES:-${TMPDIR:-/tmp}/bulwark-bench/dns-$(date +%Y%m%d-%H%M%S)}
mkdir -p "$RES"
if [[ ! -f $ROOT/bulwark-server/target/bulwark-server.jar || ${BUILD:-1} == 1 ]]; then
  (cd "$ROOT" && ./mvnw -q -B package -DskipTests)
fi
cat >"$RES/bulwark-dns.yaml" <<YAML
edge:
  http: 127.0.0.1:0
admin:
  address: 127.0.0.1:9193
logging:
  access-log: off
dns:
  listen: 127.0.0.1:9053
  zones:
    - name: example.test
      zone-file: $(cd "$PEERS/conf/dns" && pwd)/example.test.zone
YAML
BULWARK_JAVA_OPTS="$JAVA_OPTS" taskset -c "$SRV_CPU" "$ROOT/bin/bulwark" run "$RES/bulwark-dns.yaml" >"$RES/bulwark.log" 2>&1 &
PID=$!
trap 'kill $PID 2>/dev/null; wait $PID 2>/dev/null || true' EXIT
for _ in $(seq 600); do dig +short +time=1 +tries=1 @127.0.0.1 -p 9053 www.example.test A >/dev/null 2>&1 && break; sleep 0.1; done
dig +short @127.0.0.1 -p 9053 www.example.test A | grep -q 192.0.2 || { echo "bench: Bulwark DNS not answering" >&2; cat "$RES/bulwark.log" >&2; exit 1; }
if [[ ${QUICK:-0} == 1 ]]; then export RUNS=${RUNS:-1} DUR=${DUR:-5} WARMUP=${WARMUP:-5}; else export RUNS=${RUNS:-3} DUR=${DUR:-10} WARMUP=${WARMUP:-30}; fi
export EXTRA_DNS="bulwark=9053@$PID"
"$PEERS/dns.sh"
