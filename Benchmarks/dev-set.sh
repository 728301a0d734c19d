#!/usr/bin/env bash
# Runs the scheduler on the benchmark dev set in ../shared/bench (or $TAKT_BENCH_DIR) and prints the mean gap
# to best-known per family. Usage: Benchmarks/dev-set.sh [seconds-per-instance] [families...]
# Results, one JSON object per instance, go to Benchmarks/results/<family>.jsonl.
set -euo pipefail
cd "$(dirname "$0")/.."
seconds="${1:-10}"
shift || true
families=("${@:-jobshop flexible sdst-flowshop}")
bench="${TAKT_BENCH_DIR:-../shared/bench}"
[ -d "$bench" ] || { echo "no benchmark folder at $bench (set TAKT_BENCH_DIR)"; exit 2; }
swift build -c release --product takt >/dev/null
mkdir -p Benchmarks/results
echo "machine: $(nproc) cores, $(awk '/MemTotal/ {printf "%.0f GiB", $2/1048576}' /proc/meminfo), $(uname -m); ${seconds} s per instance"
for family in ${families[*]}; do
  case "$family" in
    jobshop) files=("$bench"/jobshop/*.txt) ;;
    flexible) files=("$bench"/flexible/*.fjs) ;;
    sdst-flowshop) files=("$bench"/sdst-flowshop/*.txt) ;;
    *) echo "unknown family $family"; exit 2 ;;
  esac
  out="Benchmarks/results/$family.jsonl"
  .build/release/takt bench "$family" "${files[@]}" --time-limit "$seconds" --json \
    --best-known "$bench/best-known.tsv" > "$out"
  python3 - "$out" "$family" <<'PY'
import json, sys
rows = [json.loads(line) for line in open(sys.argv[1])]
gaps = [r["gapPercent"] for r in rows if r.get("gapPercent") is not None]
def mean(values): return sum(values) / len(values) if values else float("nan")
groups = {}
for r in rows:
    name = r["instance"]
    key = name.rstrip("0123456789") if not name.startswith("SDST") else name.split("_")[0]
    groups.setdefault(key, []).append(r.get("gapPercent", 0.0))
detail = ", ".join(f"{k} {mean(v):.2f} %" for k, v in sorted(groups.items()))
print(f"{sys.argv[2]:<14} {len(rows):>3} instances  mean gap {mean(gaps):.2f} %  max {max(gaps):.2f} %  ({detail})")
PY
done
