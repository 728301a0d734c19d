#!/bin/sh
# Takt's plant scheduler against OR-tools CP-SAT on generated plant problems (make bench-plant).
# Usage: Benchmarks/plant-peer.sh [TIME_LIMIT_SECONDS] [SIZES] [CPSAT_TIME_LIMIT_SECONDS]
#   SIZES: operations:work_centres,... (default 200:10,1000:20,10000:50)
# Installs OR-tools from PyPI into .build/peer-venv the first time. Both solvers get the same cores (2 workers);
# each writes a solution document that `takt schedule validate-solution` checks and scores the same way.
set -eu
cd "$(dirname "$0")/.."
LIMIT=${1:-10}
SIZES=${2:-200:10,1000:20,10000:50}
PEER_LIMIT=${3:-$LIMIT}
OUT=Benchmarks/results/plant-peer
mkdir -p "$OUT"
if [ ! -x .build/peer-venv/bin/python ] || ! .build/peer-venv/bin/python -c 'import ortools' 2>/dev/null; then
  python3 -m venv .build/peer-venv
  .build/peer-venv/bin/pip install -q ortools
fi
log=$(mktemp)
swift build -c release --product takt >"$log" 2>&1 || { cat "$log"; exit 1; }
rm -f "$log"
TAKT=.build/release/takt
echo "machine: $(nproc) cores, $(awk '/MemTotal/ {printf "%.0f GiB", $2/1048576}' /proc/meminfo), $(uname -m); $(swift --version 2>&1 | head -1)"
echo "OR-tools $(.build/peer-venv/bin/python -c 'import ortools; print(ortools.__version__)'); Takt ${LIMIT} s, CP-SAT ${PEER_LIMIT} s, 2 workers each"
printf '%-10s %-6s %-8s %-6s %16s %12s %10s %s\n' operations lanes solver valid objective "w.tard min" "chg min" "makespan h"
for size in $(echo "$SIZES" | tr , ' '); do
  ops=${size%%:*}; wcs=${size##*:}
  $TAKT bench plant --operations "$ops" --work-centres "$wcs" --time-limit "$LIMIT" --workers 2 --export "$OUT" >/dev/null
  problem="$OUT/plant-$ops.problem.json"
  if ! timeout $((PEER_LIMIT * 3 + 600)) .build/peer-venv/bin/python Benchmarks/peers/cpsat_plant.py "$problem" \
      "$OUT/plant-$ops.cpsat.json" --time-limit "$PEER_LIMIT" --workers 2 2>"$OUT/plant-$ops.cpsat.log"; then
    rm -f "$OUT/plant-$ops.cpsat.json"
  fi
  for solver in takt cpsat; do
    solution="$OUT/plant-$ops.$solver.json"
    if [ ! -f "$solution" ]; then
      printf '%-10s %-6s %-8s %s\n' "$ops" "$wcs" "$solver" "no solution ($(tail -1 "$OUT/plant-$ops.cpsat.log" 2>/dev/null))"
      continue
    fi
    $TAKT schedule validate-solution "$problem" "$solution" --json >"$OUT/plant-$ops.$solver.check.json" || true
    python3 Benchmarks/peers/plant_row.py "$ops" "$wcs" "$solver" "$OUT/plant-$ops.$solver.check.json"
  done
done
