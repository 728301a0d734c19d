#!/usr/bin/env python3
"""The CP-SAT peer for Takt's plant scheduler.

Reads a plant problem document (docs/plant-problem.schema.json, written by `takt schedule --export-problem` or
`takt bench plant --export DIR`), builds the same model in OR-tools CP-SAT and writes a solution document that
`takt schedule validate-solution` checks like Takt's own:

- each task: one optional interval per lane that may run it (its duration there), exactly one present; no earlier
  than its job's release or its predecessors' ends; no later than its deadline or the horizon; frozen tasks fixed;
- each lane: its closed time (the complement of its available periods) as fixed intervals in one NoOverlap with
  the tasks, so a task lies inside available time (CP-SAT does not split tasks across breaks: stricter than a lane
  that allows it, still valid);
- sequence-dependent changeovers: a circuit per lane over its optional tasks (AddCircuit with self-loops for tasks
  elsewhere); the changeover before a task is its own interval on the lane, of the size the chosen predecessor
  asks for, in available time like the task; forbidden transitions have no arc;
- a warm start (solution hint) from an earliest-due-date list schedule the script builds from the problem alone;
- objective: the problem's weights — tardiness x sum of weight x seconds late, changeover x seconds of changeover,
  makespan x makespan — the same parts the shared checker computes.

Maximum runs (cleans) are not modelled: a problem with them is refused rather than answered wrongly.

Usage: cpsat_plant.py PROBLEM.json SOLUTION.json [--time-limit 10] [--workers 2]
"""
import argparse
import json
import sys
import time

from ortools.sat.python import cp_model

# Beyond this many changeover arcs the circuit model takes longer to build in Python than any time limit here.
MAXIMUM_ARCS = 3_000_000


def working_bound(problem):
    """A bound on the schedule's end derived from the problem alone (never from another solver's answer): every
    task one after another, each with the longest of its durations and of the changeovers into its product, at the
    lanes' mean share of available time, twice over, from the latest release. Domains of a year of seconds leave
    CP-SAT without a first solution; if the bound proves too tight the peer solves again on the full horizon."""
    horizon = problem["horizon"]
    longest_setup = {}
    for entry in problem["changeovers"]:
        if not entry["forbidden"]:
            longest_setup[entry["to"]] = max(longest_setup.get(entry["to"], 0), entry["seconds"])
    work = sum(max(o["duration"] for o in task["options"]) + longest_setup.get(task["product"], 0)
               for task in problem["tasks"])
    available = sum(min(b, horizon) - a for lane in problem["lanes"] for a, b in lane["available"] if a < horizon)
    share = max(available / (len(problem["lanes"]) * horizon), 0.01)
    latest_release = max([job["release"] for job in problem["jobs"]] + [0])
    frozen_end = max([entry["end"] for entry in problem["frozen"]] + [0])
    return min(horizon, max(latest_release, frozen_end) + int(2 * work / share) + 7 * 86400)


def build(problem, horizon):
    model = cp_model.CpModel()
    lanes, jobs, tasks = problem["lanes"], problem["jobs"], problem["tasks"]
    if any(lane.get("maximum_run") for lane in lanes):
        raise SystemExit("cpsat_plant: maximum runs (cleans) are not modelled; refusing the problem")
    products = len(problem["products"])
    change = {}
    for entry in problem["changeovers"]:
        change[(entry["work_centre"], entry["from"] * products + entry["to"])] = (
            None if entry["forbidden"] else entry["seconds"])
    frozen = {entry["task"]: entry for entry in problem["frozen"]}
    start, end, chosen = [], [], []
    per_lane = [[] for _ in lanes]  # (task, presence, interval)
    for index, task in enumerate(tasks):
        job = jobs[task["job"]]
        if index in frozen:
            fixed = frozen[index]
            start.append(model.NewConstant(fixed["start"]))
            end.append(model.NewConstant(fixed["end"]))
            chosen.append({fixed["lane"]: model.NewConstant(1)})
            continue
        latest = min(horizon, task["deadline"]) if task.get("deadline") is not None else horizon
        s = model.NewIntVar(job["release"], latest, f"s{index}")
        e = model.NewIntVar(job["release"], latest, f"e{index}")
        presence = {}
        for option in task["options"]:
            lane, duration = option["lane"], option["duration"]
            literal = model.NewBoolVar(f"x{index}_{lane}")
            interval = model.NewOptionalIntervalVar(s, duration, e, literal, f"i{index}_{lane}")
            per_lane[lane].append((index, literal, interval))
            presence[lane] = literal
        model.AddExactlyOne(presence.values())
        start.append(s)
        end.append(e)
        chosen.append(presence)
    for index, task in enumerate(tasks):
        for before in task["predecessors"]:
            model.Add(start[index] >= end[before])
    changeover_terms = []
    arc_literals = {}
    for lane_index, lane in enumerate(lanes):
        intervals = [interval for (_, _, interval) in per_lane[lane_index]]
        cursor = 0
        for period in lane["available"]:
            if period[0] > cursor:
                intervals.append(model.NewFixedSizeIntervalVar(cursor, period[0] - cursor, "closed"))
            cursor = max(cursor, period[1])
        if cursor < horizon:
            intervals.append(model.NewFixedSizeIntervalVar(cursor, horizon - cursor, "closed"))
        members = list(per_lane[lane_index])
        for task, fixed in frozen.items():
            if fixed["lane"] == lane_index:
                members.append((task, model.NewConstant(1), None))
        centre = lane["work_centre"]
        needs_setups = any(key[0] == centre for key in change)
        if needs_setups and len(members) > 1:
            arcs = [(0, 0, model.NewBoolVar(""))]  # a lane may run none of them
            incoming = {task: [] for (task, _, _) in members}
            for position, (task, literal, _) in enumerate(members, start=1):
                first = model.NewBoolVar("")
                last = model.NewBoolVar("")
                arc_literals[(lane_index, -1, task)] = first
                arc_literals[(lane_index, task, -1)] = last
                arcs.append((0, position, first))
                arcs.append((position, 0, last))
                arcs.append((position, position, literal.Not()))
            for a, (task_a, _, _) in enumerate(members, start=1):
                for b, (task_b, _, _) in enumerate(members, start=1):
                    if a == b:
                        continue
                    key = (centre, tasks[task_a]["product"] * products + tasks[task_b]["product"])
                    if key in change and change[key] is None:
                        continue  # forbidden: no arc
                    literal = model.NewBoolVar("")
                    arcs.append((a, b, literal))
                    arc_literals[(lane_index, task_a, task_b)] = literal
                    seconds = change.get(key) or 0
                    incoming[task_b].append((literal, seconds, task_a))
                    model.Add(start[task_b] >= end[task_a] + seconds).OnlyEnforceIf(literal)
            model.AddCircuit(arcs)
            # The changeover before each task: its own interval in available time, ending where the task starts.
            for (task, literal, _) in members:
                largest = max([seconds for (_, seconds, _) in incoming[task]] + [0])
                if largest == 0 or task in frozen:
                    continue
                size = model.NewIntVar(0, largest, "")
                model.Add(size == sum(seconds * arc for (arc, seconds, _) in incoming[task] if seconds))
                setup_start = model.NewIntVar(0, horizon, "")
                setup_end = model.NewIntVar(0, horizon, "")
                model.Add(setup_end <= start[task])
                for (arc, seconds, before) in incoming[task]:
                    model.Add(setup_start >= end[before]).OnlyEnforceIf(arc)
                intervals.append(model.NewOptionalIntervalVar(setup_start, size, setup_end, literal, ""))
                changeover_terms.append(size)
        model.AddNoOverlap(intervals)
    tardiness_terms = []
    makespan = model.NewIntVar(0, horizon, "makespan")
    for job in jobs:
        job_end = model.NewIntVar(0, horizon, "")
        model.AddMaxEquality(job_end, [end[task] for task in job["tasks"]])
        late = model.NewIntVar(0, horizon, "")
        model.Add(late >= job_end - job["due"])
        tardiness_terms.append(job["weight"] * late)
        model.Add(makespan >= job_end)
    weights = problem["weights"]
    scale = 1000  # the weights may have fractions; the objective stays integral
    model.Minimize(
        int(weights["tardiness"] * scale) * sum(tardiness_terms)
        + int(weights["changeover"] * scale) * sum(changeover_terms)
        + int(weights["makespan"] * scale) * makespan)
    return model, start, end, chosen, arc_literals


def greedy(problem, horizon):
    """A first schedule from the problem alone, as a practitioner would warm-start CP-SAT: jobs by earliest due
    date, each task on the lane where it finishes first after the changeover from the lane's last product, the
    changeover and the task each inside one available period. None when it does not fit."""
    import bisect
    lanes, jobs, tasks = problem["lanes"], problem["jobs"], problem["tasks"]
    products = len(problem["products"])
    change = {(e["work_centre"], e["from"] * products + e["to"]): (None if e["forbidden"] else e["seconds"])
              for e in problem["changeovers"]}
    starts = [[a for a, _ in lane["available"]] for lane in lanes]
    ends = [[b for _, b in lane["available"]] for lane in lanes]

    def fit(lane, time_from, work):
        index = bisect.bisect_right(ends[lane], time_from)
        while index < len(ends[lane]):
            begin = max(starts[lane][index], time_from)
            if begin + work <= ends[lane][index]:
                return begin
            index += 1
        return None

    free = [0] * len(lanes)
    last = [-1] * len(lanes)
    sequence = [[] for _ in lanes]
    placed = {}
    for entry in sorted(problem["frozen"], key=lambda f: f["start"]):
        placed[entry["task"]] = (entry["lane"], entry["start"], entry["end"])
        free[entry["lane"]] = max(free[entry["lane"]], entry["end"])
        last[entry["lane"]] = tasks[entry["task"]]["product"]
        sequence[entry["lane"]].append(entry["task"])
    for job_index in sorted(range(len(jobs)), key=lambda j: (jobs[j]["due"], -jobs[j]["weight"], j)):
        job = jobs[job_index]
        for task_index in job["tasks"]:
            if task_index in placed:
                continue
            task = tasks[task_index]
            ready = max([job["release"]] + [placed[b][2] for b in task["predecessors"]])
            best = None
            for option in task["options"]:
                lane = option["lane"]
                time_from = free[lane]
                if last[lane] >= 0:
                    key = (lanes[lane]["work_centre"], last[lane] * products + task["product"])
                    if key in change and change[key] is None:
                        continue
                    setup = change.get(key) or 0
                    if setup:
                        setup_start = fit(lane, time_from, setup)
                        if setup_start is None:
                            continue
                        time_from = setup_start + setup
                begin = fit(lane, max(time_from, ready), option["duration"])
                if begin is None or begin + option["duration"] > horizon:
                    continue
                deadline = task.get("deadline")
                if deadline is not None and begin + option["duration"] > deadline:
                    continue
                if best is None or begin + option["duration"] < best[2]:
                    best = (lane, begin, begin + option["duration"])
            if best is None:
                return None
            placed[task_index] = best
            free[best[0]] = best[2]
            last[best[0]] = task["product"]
            sequence[best[0]].append(task_index)
    return placed, sequence


def hint(model, problem, start, end, chosen, arc_literals, first):
    placed, sequence = first
    for task, (lane, begin, finish) in placed.items():
        if task in {f["task"] for f in problem["frozen"]}:
            continue
        model.AddHint(start[task], begin)
        model.AddHint(end[task], finish)
        for option_lane, literal in chosen[task].items():
            model.AddHint(literal, 1 if option_lane == lane else 0)
    used = set()
    for lane, order in enumerate(sequence):
        chain = [-1] + order + [-1]
        for a, b in zip(chain, chain[1:]):
            if (lane, a, b) in arc_literals:
                used.add((lane, a, b))
    for key, literal in arc_literals.items():
        model.AddHint(literal, 1 if key in used else 0)


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("problem")
    parser.add_argument("solution")
    parser.add_argument("--time-limit", type=float, default=10)
    parser.add_argument("--workers", type=int, default=2)
    arguments = parser.parse_args()
    with open(arguments.problem) as handle:
        problem = json.load(handle)
    arcs = 0
    for lane_index in range(len(problem["lanes"])):
        on_lane = sum(1 for task in problem["tasks"] if any(o["lane"] == lane_index for o in task["options"]))
        arcs += on_lane * on_lane
    if arcs > MAXIMUM_ARCS:
        print(f"cp-sat: not built: the circuit encoding needs {arcs:,} arcs (more than {MAXIMUM_ARCS:,})",
              file=sys.stderr)
        return 4
    began = time.monotonic()
    bound = working_bound(problem)
    model, start, end, chosen, arcs = build(problem, bound)
    first = greedy(problem, bound)
    if first is not None:
        hint(model, problem, start, end, chosen, arcs, first)
    solver = cp_model.CpSolver()
    solver.parameters.max_time_in_seconds = max(1.0, arguments.time_limit - (time.monotonic() - began))
    solver.parameters.num_workers = arguments.workers
    # Probing spent the whole budget of a 10 s run in presolve on these models (no first solution); without it
    # CP-SAT starts from the hint and improves it.
    solver.parameters.cp_model_probing_level = 0
    status = solver.Solve(model)
    if status == cp_model.INFEASIBLE and bound < problem["horizon"]:
        model, start, end, chosen, arcs = build(problem, problem["horizon"])
        solver.parameters.max_time_in_seconds = max(1.0, arguments.time_limit - (time.monotonic() - began))
        status = solver.Solve(model)
    seconds = time.monotonic() - began
    if status not in (cp_model.OPTIMAL, cp_model.FEASIBLE):
        print(f"cp-sat: no solution in {seconds:.1f} s ({solver.StatusName(status)})", file=sys.stderr)
        return 3
    assignments = []
    for index in range(len(problem["tasks"])):
        lane = next(lane for lane, literal in chosen[index].items() if solver.Value(literal))
        assignments.append({"task": index, "lane": lane, "start": solver.Value(start[index]),
                            "end": solver.Value(end[index])})
    with open(arguments.solution, "w") as handle:
        json.dump({"format": "takt-plant-solution/1", "solver": "cp-sat", "seconds": round(seconds, 2),
                   "tasks": assignments}, handle)
    print(f"cp-sat: {solver.StatusName(status)} in {seconds:.1f} s (model built in "
          f"{seconds - solver.WallTime():.1f} s)", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
