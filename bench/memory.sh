#!/usr/bin/env bash
# Memory per cached object: fills the cache with N distinct 1 KiB objects (default 100,000) and
# reports the Java heap used after a full GC, the resident set size, and the overhead per object
# beyond its 1,024-byte body. Bodies live in direct memory; the heap holds keys, headers and the
# store's bookkeeping.
#
#   bench/memory.sh            N=100000 by default
set -euo pipefail
HERE=$(cd "$(dirname "$0")" && pwd); ROOT=$(cd "$HERE/.." && pwd)
N=${N:-100000}
JAVA_OPTS=${JAVA_OPTS:-"-XX:+UseParallelGC -Xms1g -Xmx1g -XX:NativeMemoryTracking=summary -Dio.netty.leakDetection.level=disabled"}
RES=${RES:-${TMPDIR:-/tmp}/bulwark-bench/memory-$(date +%Y%m%d-%H%M%S)}
mkdir -p "$RES/www"
[[ -f $ROOT/bulwark-server/target/bulwark-server.jar && ${BUILD:-1} == 0 ]] || (cd "$ROOT" && ./mvnw -q -B package -DskipTests)
head -c 1024 /dev/urandom >"$RES/www/1k"
cat >"$RES/memory.yaml" <<YAML
edge: {http: 127.0.0.1:9110}
admin: {address: 127.0.0.1:9194}
logging: {access-log: "off"}
cache: {max-bytes: 1GiB, max-object-bytes: 1MiB}
static-origins: [{id: s, root: www, address: "127.0.0.1:9181"}]
origins: [{id: o, static: s}]
cache-policies: [{id: by-query, default-ttl: 1h, max-ttl: 1d, query-strings: {behavior: all}}]
distributions:
  - {id: m, hosts: [127.0.0.1], default-behavior: {target: o, cache-policy: by-query}}
YAML
BULWARK_JAVA_OPTS="$JAVA_OPTS" "$ROOT/bin/bulwark" run "$RES/memory.yaml" >"$RES/bulwark.log" 2>&1 &
PID=$!
trap 'kill $PID 2>/dev/null; wait $PID 2>/dev/null || true' EXIT
for _ in $(seq 600); do curl -s -o /dev/null http://127.0.0.1:9194/healthz && break; sleep 0.1; done
# Live heap after a full GC (young + old "used"), and the direct memory holding bodies: Unsafe
# allocations, which native memory tracking counts under "Other".
heap_used() { jcmd "$PID" GC.run >/dev/null; jcmd "$PID" GC.heap_info | awk '/(PSYoungGen|ParOldGen).*used/ {for(i=1;i<=NF;i++) if($i=="used") {v=$(i+1); sub("K.*","",v); s+=v*1024}} END {print s}'; }
direct_used() { jcmd "$PID" VM.native_memory summary | awk '/^-  *Other/ {for(i=1;i<=NF;i++) if($i ~ /committed=/) {v=$i; gsub(/[^0-9]/,"",v); print v*1024; exit}}'; }
rss() { awk '/VmRSS/ {print $2*1024}' /proc/$PID/status; }
entries() { curl -s http://127.0.0.1:9194/metrics | awk '/^bulwark_cache_entries/ {printf "%d", $2}'; }
cat >"$RES/distinct.lua" <<LUA
local i = 0
request = function() i = (i + 1) % $N; return wrk.format("GET", "/1k?i=" .. i) end
LUA
curl -s -o /dev/null "http://127.0.0.1:9110/1k?i=warm"
h0=$(heap_used); r0=$(rss); d0=$(direct_used)
until (( $(entries) >= N )); do wrk -t1 -c16 -d5s -s "$RES/distinct.lua" http://127.0.0.1:9110 >/dev/null; done
h1=$(heap_used); r1=$(rss); d1=$(direct_used); n=$(entries)
python3 - "$n" "$h0" "$h1" "$r0" "$r1" "$d0" "$d1" <<'PY' | tee "$RES/summary.txt"
import sys
n, h0, h1, r0, r1, d0, d1 = (int(x) for x in sys.argv[1:])
heap = (h1 - h0) / n
direct = (d1 - d0) / n
print(f"objects cached: {n} (1,024-byte bodies)")
print(f"live heap after full GC: {h0/2**20:.1f} MiB -> {h1/2**20:.1f} MiB = {heap:.0f} bytes per object (key, headers, entry, store)")
print(f"direct memory (bodies): {d0/2**20:.1f} MiB -> {d1/2**20:.1f} MiB = {direct:.0f} bytes per object")
print(f"overhead per object beyond its body: {heap + direct - 1024:.0f} bytes")
print(f"resident set size: {r0/2**20:.1f} MiB -> {r1/2**20:.1f} MiB (includes heap pages touched by garbage)")
PY
