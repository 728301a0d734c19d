#!/usr/bin/env python3
"""The reference values of `takt bench jobshop-twt`: each job shop instance with Singer and Pinedo's due dates and
weights, solved by OR-tools CP-SAT with its proof of optimality when it finds one.

The instances (Singer, M. and Pinedo, M., "A computational study of branch and bound techniques for minimizing the
total weighted tardiness in job shops", IIE Transactions 30(2), 1998): the standard job shop instance, each job j
due at floor(f x the sum of its processing times) for a due-date factor f (1.3, 1.5 or 1.6), weighted 4 for the
first 20 % of the jobs, 2 for the next 60 % and 1 for the last 20 %. The objective is the total weighted tardiness
sum of w_j x max(0, C_j - d_j). Takt builds the same instances in `TardinessInstance` (Sources/TaktScheduling/Shop).

Model: one interval per operation, route order by precedence, one NoOverlap per machine, tardiness T_j >= C_j - d_j,
T_j >= 0; minimise sum of w_j x T_j. Each line printed is a JSON object: instance, factor, status (OPTIMAL when
CP-SAT proved it, FEASIBLE when time ran out), value, bound, seconds, and the starts per job in route order, which
`takt bench jobshop-twt --reference FILE` checks before it compares against them.

Usage: cpsat_jobshop_twt.py INSTANCE.txt [...] [--factors 1.3,1.5,1.6] [--time-limit 60] [--workers 2]
"""
import argparse
import json
import os
import sys
import time

from ortools.sat.python import cp_model


def read(path):
    numbers = [int(token) for token in open(path).read().split()]
    jobs, machines = numbers[0], numbers[1]
    values = numbers[2:]
    if len(values) != jobs * machines * 2:
        raise SystemExit(f"{path}: expected {jobs} x {machines} (machine, duration) pairs")
    routes = []
    for job in range(jobs):
        row = values[job * machines * 2:(job + 1) * machines * 2]
        routes.append([(row[i], row[i + 1]) for i in range(0, len(row), 2)])
    return machines, routes


def weight(job, jobs):
    """Singer and Pinedo's weights: 4 for the first 20 % of the jobs, 2 for the next 60 %, 1 for the last 20 %."""
    if job < 0.2 * jobs:
        return 4
    if job < 0.8 * jobs:
        return 2
    return 1


def solve(path, factor, time_limit, workers):
    machines, routes = read(path)
    jobs = len(routes)
    # In whole tenths, so that 1.3 x 30 is 39 and not 38.99999.
    tenths = round(factor * 10)
    due = [tenths * sum(duration for _, duration in route) // 10 for route in routes]
    horizon = sum(duration for route in routes for _, duration in route)
    model = cp_model.CpModel()
    starts, ends, per_machine = [], [], [[] for _ in range(machines)]
    for job, route in enumerate(routes):
        row_starts, row_ends = [], []
        for machine, duration in route:
            start = model.NewIntVar(0, horizon, "")
            end = model.NewIntVar(0, horizon, "")
            per_machine[machine].append(model.NewIntervalVar(start, duration, end, ""))
            if row_ends:
                model.Add(start >= row_ends[-1])
            row_starts.append(start)
            row_ends.append(end)
        starts.append(row_starts)
        ends.append(row_ends)
    for intervals in per_machine:
        model.AddNoOverlap(intervals)
    tardiness = []
    for job in range(jobs):
        late = model.NewIntVar(0, horizon, "")
        model.Add(late >= ends[job][-1] - due[job])
        tardiness.append(weight(job, jobs) * late)
    model.Minimize(sum(tardiness))
    solver = cp_model.CpSolver()
    solver.parameters.max_time_in_seconds = time_limit
    solver.parameters.num_workers = workers
    began = time.time()
    status = solver.Solve(model)
    seconds = time.time() - began
    name = os.path.splitext(os.path.basename(path))[0]
    if status not in (cp_model.OPTIMAL, cp_model.FEASIBLE):
        return {"instance": name, "factor": factor, "status": solver.StatusName(status), "seconds": round(seconds, 2)}
    schedule = [[solver.Value(start) for start in row] for row in starts]
    return {
        "instance": name, "factor": factor, "status": solver.StatusName(status),
        # The schedule's own weighted tardiness: before optimality is proved, the objective can still count slack
        # in the tardiness variables (T_j above C_j - d_j), so it is only an upper bound on it.
        "value": weighted_tardiness(routes, due, schedule), "bound": int(solver.BestObjectiveBound()),
        "seconds": round(seconds, 2),
        "starts": schedule,
    }


def weighted_tardiness(routes, due, schedule):
    jobs = len(routes)
    return sum(weight(job, jobs) * max(0, schedule[job][-1] + routes[job][-1][1] - due[job]) for job in range(jobs))


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("instances", nargs="+")
    parser.add_argument("--factors", default="1.3,1.5,1.6")
    parser.add_argument("--time-limit", type=float, default=60)
    parser.add_argument("--workers", type=int, default=2)
    arguments = parser.parse_args()
    for path in arguments.instances:
        for factor in [float(f) for f in arguments.factors.split(",")]:
            print(json.dumps(solve(path, factor, arguments.time_limit, arguments.workers), separators=(",", ":")))
            sys.stdout.flush()


if __name__ == "__main__":
    main()
