import Foundation
import TaktCore
import TaktStore

/// Statistical process control: the checks in `quality.spc` on individuals charts, judged as each reading comes.
extension SiteHost {
    /// A charted check as it stands: its limits, the newest readings, what they signal, and capability.
    public struct ChartReport: Sendable, Codable {
        public var check: RuleID
        public var name: String
        public var unit: String
        public var workCentre: String?
        /// Nil until the baseline has its readings.
        public var chart: ControlChart?
        public var baselineNeeded: Int
        public var readings: [CheckReading]
        public var signals: [ControlChart.Signal]
        public var cp: Double?
        public var cpk: Double?
        public var limits: CriticalLimits
    }

    /// The chart of `check` (at `workCentre`) with its newest `points` readings at `now`.
    public func controlChart(check id: RuleID, workCentre: String?, points: Int = 50, at now: Date)
        throws(HostError) -> ChartReport
    {
        guard let check = definition.rules.check(id) else {
            throw .unknown(kind: "check", id: id.rawValue, known: definition.rules.checks.map(\.id.rawValue))
        }
        let charted = definition.charts.first {
            $0.check == id && (workCentre == nil || $0.workCentre == workCentre)
        }
        guard let charted else {
            throw .invalidInput(
                "\(id)\(workCentre.map { " at \($0)" } ?? "") is not charted: add it to quality.spc in site.yaml")
        }
        let chart = try controlChart(charted)
        let size = charted.subgroupSize
        var readings = try stored { () throws(StoreError) in
            let total = try store.readingCount(of: id, at: charted.workCentre, before: now)
            // Whole subgroups only, aligned as they were judged: counted from the first reading.
            let wanted = max(1, min(points, 1_000)) * size
            let count = size == 1 ? wanted : min(wanted, total - total % size)
            return try store.recentReadings(of: id, at: charted.workCentre, count: count, before: now)
        }
        if size > 1 {
            // One point per subgroup: its mean, at the time of its last reading.
            readings = stride(from: 0, to: readings.count - readings.count % size, by: size).map { start in
                let group = readings[start..<(start + size)]
                var point = group.last!
                point.value = group.map(\.value).reduce(0, +) / Double(size)
                point.lot = nil
                return point
            }
        }
        let limits = check.limits(on: LocalDate(now, in: definition.timeZone))
        let capability = chart?.capability(limits)
        return ChartReport(
            check: id, name: check.name, unit: check.unit, workCentre: charted.workCentre, chart: chart,
            baselineNeeded: charted.baseline == nil ? charted.baselinePoints : 10, readings: readings,
            signals: chart?.signals(readings.map(\.value)) ?? [], cp: capability?.cp, cpk: capability?.cpk,
            limits: limits)
    }

    /// The chart's limits from its baseline; nil while the baseline has too few readings.
    func controlChart(_ charted: ChartedCheck) throws(HostError) -> ControlChart? {
        let baseline = try stored { () throws(StoreError) in
            try store.baselineReadings(
                of: charted.check, at: charted.workCentre, count: charted.baselinePoints, in: charted.baseline)
        }
        let needed = charted.baseline == nil ? charted.baselinePoints : max(10, 2 * charted.subgroupSize)
        guard baseline.count >= needed else { return nil }
        return ControlChart(baseline: baseline.map(\.value), subgroupSize: charted.subgroupSize)
    }

    /// The findings a new reading of a charted check raises: each Western Electric signal it starts (one the
    /// reading before did not already show), before any critical limit is broken.
    func spcFindings(for reading: CheckReading) throws(HostError) -> [Finding] {
        guard
            let charted = definition.charts.first(where: {
                $0.check == reading.check && $0.workCentre == reading.workCentre
            }), let check = definition.rules.check(reading.check), let chart = try controlChart(charted)
        else { return [] }
        // A reading inside the baseline is what the limits are made of: nothing to judge.
        if let period = charted.baseline, period.contains(reading.at) { return [] }
        let size = chart.subgroupSize
        let (earlier, total) = try stored { () throws(StoreError) in
            (
                try store.recentReadings(
                    of: reading.check, at: reading.workCentre, count: 8 * size, before: reading.at),
                try store.readingCount(of: reading.check, at: reading.workCentre, before: reading.at)
            )
        }
        // A subgrouped chart judges a point when the reading completes its subgroup (counted from the first).
        guard (total + 1) % size == 0 else { return [] }
        let values = chart.points(Array((earlier.map(\.value) + [reading.value]).suffix(8 * size)))
        let started = Set(chart.signals(values)).subtracting(chart.signals(Array(values.dropLast())))
        let subgroup = Array((earlier.map(\.value) + [reading.value]).suffix(size))
        let place = reading.workCentre.map { " at \($0)" } ?? ""
        let unit = check.unit
        var findings: [Finding] = []
        if chart.rangeTooWide(subgroup) {
            let range = subgroup.max()! - subgroup.min()!
            findings.append(
                Finding(
                    rule: "site.spc", severity: .minor,
                    subject: .init(.workCentre, reading.workCentre ?? definition.site.id),
                    message: "\(check.name)\(place) is less consistent: the last \(size) readings span "
                        + "\(CriticalLimits.format((range * 100).rounded() / 100)) \(unit), beyond the range chart's "
                        + "limit of \(CriticalLimits.format((chart.movingRangeLimit * 100).rounded() / 100)) \(unit)",
                    actions: [FindingAction(.correctiveAction, "Find what made the readings\(place) vary more")],
                    raisedAt: reading.at,
                    key: "spc:\(reading.check):\(reading.workCentre ?? ""):range:\(Instant.iso(reading.at))"))
        }
        return findings
            + ControlChart.Signal.allCases.filter(started.contains).map { signal in
                let direction = reading.value > chart.mean ? "up" : "down"
                return Finding(
                    rule: "site.spc", severity: signal == .beyond3Sigma ? .major : .minor,
                    subject: .init(.workCentre, reading.workCentre ?? definition.site.id),
                    message: "\(check.name)\(place) is drifting \(direction): \(signal.description) (mean "
                        + "\(CriticalLimits.format((chart.mean * 100).rounded() / 100)) \(unit), σ "
                        + "\(CriticalLimits.format((chart.sigma * 100).rounded() / 100)) \(unit); now "
                        + "\(CriticalLimits.format(reading.value)) \(unit))",
                    actions: [
                        FindingAction(
                            .correctiveAction, "Find what changed\(place) before \(check.id) breaks its limit")
                    ], raisedAt: reading.at,
                    key:
                        "spc:\(reading.check):\(reading.workCentre ?? ""):\(signal.rawValue):\(Instant.iso(reading.at))"
                )
            }
    }
}
