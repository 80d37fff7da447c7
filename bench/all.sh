#!/usr/bin/env bash
# Every benchmark scenario of docs/benchmarks.md in one command, then one summary:
#   1-4  bench/http.sh     cache hits 1 KiB/100 KiB/1 MiB, pass-through, TLS, failover (with nginx,
#                          Varnish, HAProxy in the same interleaved run)
#   5    bench/memory.sh   memory per cached 1 KiB object (100,000 objects)
#   6    bench/startup.sh  start to first request
#   DNS  bench/dns.sh      dnsperf against NSD, Knot, PowerDNS, gdnsd
# ~40 min on a 2-core machine. Results under $TMPDIR/bulwark-bench/all-<time>/.
set -euo pipefail
HERE=$(cd "$(dirname "$0")" && pwd)
OUT=${OUT:-${TMPDIR:-/tmp}/bulwark-bench/all-$(date +%Y%m%d-%H%M%S)}
mkdir -p "$OUT"
(cd "$HERE/.." && ./mvnw -q -B package -DskipTests)
RES="$OUT/http" BUILD=0 "$HERE/http.sh"
RES="$OUT/memory" BUILD=0 "$HERE/memory.sh"
RES="$OUT/startup" BUILD=0 "$HERE/startup.sh"
RES="$OUT/dns" BUILD=0 "$HERE/dns.sh"
for part in http memory startup dns; do
  echo "=== $part"
  cat "$OUT/$part/summary.txt"
done | tee "$OUT/summary.txt"
