# Shared by bench/waf.sh and bench/waf-peer.sh (sourced): the interleaved runs of two servers on
# the request shapes of bench/waf-requests.lua, and their summary. Needs RES, RUNS, DUR, WARMUP,
# CONNS, LOAD_CPU, and PID_<name> for both servers; SHAPES (default: repeat browse fresh) picks the
# request shapes.
SHAPES=${SHAPES:-repeat browse fresh}

cpu_ticks() {   # utime+stime of a process and its child processes (nginx's workers)
  local t=0 p
  for p in $1 $(cat "/proc/$1/task/"*/children 2>/dev/null); do
    t=$((t + $(awk '{print $14+$15}' "/proc/$p/stat")))
  done
  echo "$t"
}

run() {   # run NAME PORT SHAPE SECONDS -> prints "requests cpu_seconds"
  local pid_var="PID_$1" out t0 t1 req
  t0=$(cpu_ticks "${!pid_var}")
  out=$(SHAPE=$3 taskset -c "$LOAD_CPU" wrk -t1 -c"$CONNS" -d"$4"s -s "$RES/headers.lua" "http://127.0.0.1:$2/" 2>&1)
  t1=$(cpu_ticks "${!pid_var}")
  req=$(echo "$out" | awk '/requests in/ {print $1}')
  if echo "$out" | grep -q "Non-2xx"; then echo "bench: non-2xx answers from $1 ($3):" >&2; echo "$out" >&2; exit 1; fi
  echo "$req $(echo "($t1 - $t0) / $(getconf CLK_TCK)" | bc -l)"
}

measure_pair() {   # measure_pair NAME_A PORT_A NAME_B PORT_B -> $RES/raw.txt
  local shape i order name port req cpu
  echo "warm-up ${WARMUP}s each" >&2
  for shape in $SHAPES; do run "$1" "$2" $shape "$WARMUP" >/dev/null; run "$3" "$4" $shape "$WARMUP" >/dev/null; done
  : >"$RES/raw.txt"
  for i in $(seq "$RUNS"); do
    for shape in $SHAPES; do
      order="$1 $3"; (( i % 2 == 0 )) && order="$3 $1"
      for name in $order; do
        port=$2; [[ $name == "$3" ]] && port=$4
        read -r req cpu < <(run "$name" "$port" "$shape" "$DUR")
        echo "$i $shape $name $req $cpu" | tee -a "$RES/raw.txt" >&2
      done
    done
  done
}

summarize() {   # summarize NAME_A NAME_B "HEADER A" "HEADER B" DIGITS -> markdown table on stdout
  python3 - "$RES/raw.txt" "$@" <<'PY'
import sys, statistics
raw, a_name, b_name, a_head, b_head, digits = sys.argv[1:7]
d = int(digits)
rows = [l.split() for l in open(raw) if l.strip()]
def med(shape, name, f):
    return statistics.median(f(float(r[3]), float(r[4])) for r in rows if r[1] == shape and r[2] == name)
def paired(shape):
    # the ratio within each run (the two servers measured back to back), so that a slow spell of
    # the shared machine during one run moves both sides of that run's ratio
    per = {}
    for r in rows:
        if r[1] == shape:
            per.setdefault(r[0], {})[r[2]] = float(r[3]) / float(r[4])
    return sorted(v[b_name] / v[a_name] for v in per.values() if a_name in v and b_name in v)
print(f"| request shape | {a_head} (req/CPU-s) | {b_head} | ratio of medians | median of per-run ratios [min-max] | {a_head} (req/run) | {b_head} (req/run) |")
print("|---|---|---|---|---|---|---|")
for shape in [s for s in ("repeat", "browse", "fresh") if any(r[1] == s for r in rows)]:
    a = med(shape, a_name, lambda q, c: q / c)
    b = med(shape, b_name, lambda q, c: q / c)
    p = paired(shape)
    print(f"| {shape} | {a:,.0f} | {b:,.0f} | {b / a:.{d}f}x | {statistics.median(p):.{d}f}x [{p[0]:.{d}f}-{p[-1]:.{d}f}] | {med(shape, a_name, lambda q, c: q):,.0f} | {med(shape, b_name, lambda q, c: q):,.0f} |")
PY
}
