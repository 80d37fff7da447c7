#!/usr/bin/env bash
# The HTTP cache conformance suite (http-tests/cache-tests, cache-tests.fyi) against Bulwark.
#
#   git clone https://github.com/http-tests/cache-tests /tmp/cache-tests   # outside this repo
#   (cd /tmp/cache-tests && npm install)
#   CACHE_TESTS=/tmp/cache-tests bench/conformance.sh
#
# Starts the suite's test server on 127.0.0.1:18000 as the origin, Bulwark with
# bench/conformance.yaml on 127.0.0.1:18080 in front of it, runs the suite's command-line client
# through Bulwark, and counts the results the way cache-tests.fyi shows them (required, optimal,
# check; a test whose dependency failed does not pass). Results: $RES (default
# $TMPDIR/bulwark-bench/conformance-<time>): results.json, summary.txt, failures.txt.
# The suite's code is not part of this repository; docs/caching.md, "Conformance", has the score.
set -euo pipefail
HERE=$(cd "$(dirname "$0")" && pwd); ROOT=$(cd "$HERE/.." && pwd)
SUITE=${CACHE_TESTS:?set CACHE_TESTS to a clone of https://github.com/http-tests/cache-tests with npm install done}
RES=${RES:-${TMPDIR:-/tmp}/bulwark-bench/conformance-$(date +%Y%m%d-%H%M%S)}
mkdir -p "$RES"
[[ -f $ROOT/bulwark-server/target/bulwark-server.jar && ${BUILD:-1} == 0 ]] || (cd "$ROOT" && ./mvnw -q -B package -DskipTests)

declare -a STARTED=()
cleanup() { for p in "${STARTED[@]}"; do kill "$p" 2>/dev/null || true; done; for p in "${STARTED[@]}"; do wait "$p" 2>/dev/null || true; done; }
trap cleanup EXIT

# The suite reads its port and pid file from npm's configuration environment.
(cd "$SUITE" && exec env npm_config_protocol=http npm_config_port=18000 npm_config_pidfile="$RES/suite.pid" \
  node test-engine/server/server.mjs) >"$RES/suite-server.log" 2>&1 &
STARTED+=($!)
"$ROOT/bin/bulwark" run "$HERE/conformance.yaml" >"$RES/bulwark.log" 2>&1 &
STARTED+=($!)
for url in http://127.0.0.1:18000/state/none http://127.0.0.1:18090/healthz; do
  for _ in $(seq 300); do curl -s -o /dev/null "$url" && break; sleep 0.1; done
done

(cd "$SUITE" && npm run --silent cli --base=http://127.0.0.1:18080) >"$RES/results.json" 2>"$RES/cli.log"

# Count as cache-tests.fyi does: the suite's own determineTestResult, dependencies honoured.
(cd "$SUITE" && node --input-type=module - "$RES/results.json") >"$RES/summary.txt" <<'JS'
import fs from 'fs'
import path from 'path'
const suite = process.cwd()
const { default: tests } = await import(path.join(suite, 'tests/index.mjs'))
const { determineTestResult, resultTypes } = await import(path.join(suite, 'test-engine/lib/results.mjs'))
const results = JSON.parse(fs.readFileSync(process.argv[2], 'utf8'))
const names = Object.fromEntries(Object.entries(resultTypes).map(([k, v]) => [v[2], k]))
const tally = {}
const failures = []
for (const s of tests) {
  for (const t of s.tests) {
    if (t.browser_only) continue
    const kind = t.kind || 'required'
    const r = names[determineTestResult(tests, t.id, results)[2]]
    tally[kind] ??= { total: 0, passed: 0 }
    tally[kind].total++
    if (r === 'pass' || r === 'yes') tally[kind].passed++
    else failures.push(`${kind}\t${r}\t${t.id}\t${(results[t.id] || [])[1] || ''}`)
  }
}
for (const [kind, t] of Object.entries(tally)) console.log(`${kind}: ${t.passed}/${t.total}`)
fs.writeFileSync(path.join(path.dirname(process.argv[2]), 'failures.txt'), failures.join('\n') + '\n')
JS
cat "$RES/summary.txt"
echo "results: $RES (failures.txt lists every test that did not pass)"
