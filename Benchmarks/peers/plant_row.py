#!/usr/bin/env python3
"""One row of make bench-plant's table from `takt schedule validate-solution --json`."""
import json
import sys

ops, wcs, solver, path = sys.argv[1:]
with open(path) as handle:
    report = json.load(handle)
print(f"{ops:<10} {wcs:<6} {solver:<8} {'yes' if report['valid'] else 'NO':<6} {report['objective']:16.1f} "
      f"{report['weighted_tardiness'] // 60:12d} {report['changeover_seconds'] // 60:10d} "
      f"{report['makespan'] / 3600:10.1f}")
for problem in report["problems"][:5]:
    print("    " + problem)
