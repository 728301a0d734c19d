#!/usr/bin/env bash
# Runs the scheduler on the benchmark dev set in ../shared/bench (or $TAKT_BENCH_DIR) and prints the mean gap
# to best-known per family (jobshop-twt: to the CP-SAT reference). Usage: Benchmarks/dev-set.sh [seconds] [families...]
# Results, one JSON object per instance, go to Benchmarks/results/<family>.jsonl.
set -euo pipefail
cd "$(dirname "$0")/.."
seconds="${1:-10}"
shift || true
families=("${@:-jobshop flexible sdst-flowshop jobshop-twt}")
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
    jobshop-twt)
      # Singer and Pinedo's instances (f = 1.3, 1.5, 1.6) against the reference values of the CP-SAT peer.
      files=()
      for name in abz5 abz6 ft10 la16 la17 la18 la19 la20 la21 la22 la23 la24 orb01 orb02 orb03 orb04 orb05 \
          orb06 orb07 orb08 orb09 orb10; do files+=("$bench/jobshop/$name.txt"); done
      out="Benchmarks/results/$family.jsonl"
      .build/release/takt bench jobshop-twt "${files[@]}" --time-limit "$seconds" --json \
        --reference Benchmarks/jobshop-twt-reference.jsonl > "$out"
      python3 - "$out" <<'PY'
import json, sys
rows = [json.loads(line) for line in open(sys.argv[1])]
compared = [r for r in rows if r.get("reference") is not None]
equal = sum(1 for r in compared if r["gap"] == 0)
better = sum(1 for r in compared if r["gap"] < 0)
gaps = [r["gapPercent"] for r in compared if r.get("gapPercent") is not None]
mean = sum(gaps) / len(gaps) if gaps else float("nan")
detail = ", ".join(
    f"f={f}: {sum(1 for r in compared if r['factor'] == f and r['gap'] <= 0)}/{sum(1 for r in compared if r['factor'] == f)} at or below"
    for f in sorted({r["factor"] for r in compared}))
print(f"jobshop-twt    {len(rows):>3} instances  {equal} equal to the reference, {better} below it, "
      f"{len(compared) - equal - better} above; mean gap {mean:.2f} % where the reference is above 0  ({detail})")
PY
      continue ;;
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
