import Foundation
import TaktCore

/// Cooked food must cool from 57 °C to 21 °C within 2 hours, and to 5 °C within 6 hours in total (FDA Food Code
/// 3-501.14), judged per lot. The clock starts when cooking ends: at the lot's first cooling reading at or above
/// 57 °C. A lot whose first reading is already below 57 °C cannot show when cooling began: that is a finding of
/// its own, and the clock starts at that reading (the latest it can have started). A stage is missed when no
/// reading at or below its target falls within its time; the finding is raised by the next reading of the lot or,
/// when nobody records again, by the clock (the site's sweep), whichever comes first, and only once.
struct CoolingRule: EventRule {
    let id: RuleID
    let check: RuleID
    /// What the site's jurisdiction cites for it.
    let source: String
    static let start = 57.0
    static let stages: [(target: Double, within: TimeSpan)] = [(21, .hours(2)), (5, .hours(6))]

    var summary: String {
        "cooling: from the reading at or above 57 °C that ends cooking, → 21 °C within 2h and → 5 °C within 6h in "
            + "total, per lot; a missed stage (by a reading or by the clock) holds the lot"
    }

    func evaluate(_ event: SiteEvent, in context: RuleContext) -> [Finding] {
        switch event {
        case .reading(let reading) where reading.check == check:
            guard let lot = reading.lot else {
                return [
                    Finding(
                        rule: id, severity: .minor, subject: .init(.check, check.rawValue),
                        message: "a cooling reading must name its lot: cooling is judged per lot",
                        actions: [FindingAction(.correctiveAction, "record the reading again with its lot")],
                        raisedAt: context.now)
                ]
            }
            let readings = (context.history.filter { $0.lot == lot } + [reading]).sorted { $0.at < $1.at }
            return judge(lot: lot, readings: readings, now: reading.at, context: context)
        case .tick(let now):
            let recent = (context.snapshot?.recentReadings ?? []).filter { $0.check == check && $0.lot != nil }
            return Dictionary(grouping: recent) { $0.lot ?? "" }.sorted { $0.key < $1.key }.flatMap { lot, readings in
                judge(lot: lot, readings: readings.sorted { $0.at < $1.at }, now: now, context: context)
            }
        default:
            return []
        }
    }

    /// The findings for `lot` at `now`: a start that cannot be shown, and each stage whose deadline has passed
    /// without a reading at or below its target. Keyed per lot and stage, so the store keeps each once.
    func judge(lot: String, readings: [CheckReading], now: Date, context: RuleContext) -> [Finding] {
        guard let first = readings.first else { return [] }
        var findings: [Finding] = []
        let hot = readings.first { $0.value >= Self.start }
        let start = hot?.at ?? first.at
        let started = Instant.format(start, in: context.timeZone)
        if hot == nil {
            findings.append(
                Finding(
                    rule: id, severity: .major, subject: .init(.lot, lot),
                    message: "lot \(lot) was first recorded cooling at \(CriticalLimits.format(first.value)) °C "
                        + "(\(started)): when cooking ended is not on record, so its cooling is timed from this "
                        + "reading (\(source))",
                    actions: [
                        FindingAction(
                            .correctiveAction,
                            "Record the core temperature as cooking ends (57 °C or above) for every lot put to cool")
                    ], raisedAt: context.now, key: "\(id):\(lot):start"))
        }
        for stage in Self.stages {
            let deadline = start.addingTimeInterval(TimeInterval(stage.within.seconds))
            let met = readings.contains { $0.at >= start && $0.at <= deadline && $0.value <= stage.target }
            guard !met, now > deadline else { continue }
            let target = CriticalLimits.format(stage.target)
            let last = readings.last { $0.at <= now } ?? first
            let seen = "\(CriticalLimits.format(last.value)) °C at \(Instant.format(last.at, in: context.timeZone))"
            let by = Instant.format(deadline, in: context.timeZone)
            findings.append(
                Finding(
                    rule: id, severity: .critical, subject: .init(.lot, lot),
                    message: "lot \(lot) did not cool from 57 °C to \(target) °C within \(stage.within) (started "
                        + "\(started), due by \(by); last \(seen)) (\(source))",
                    actions: [
                        FindingAction(.holdLot, lot),
                        FindingAction(.correctiveAction, "Reheat to 74 °C and restart cooling, or discard"),
                    ], raisedAt: context.now, key: "\(id):\(lot):\(target)"
                )
                .translated([
                    .spanish: (
                        "el lote \(lot) no se enfrió de 57 °C a \(target) °C en \(stage.within) (inicio \(started), "
                            + "límite \(by); último \(seen)) (\(source))",
                        "Recaliente a 74 °C y reinicie el enfriamiento, o deseche"
                    ),
                    .malay: (
                        "lot \(lot) tidak menyejuk dari 57 °C ke \(target) °C dalam \(stage.within) (mula \(started), "
                            + "had \(by); terakhir \(seen)) (\(source))",
                        "Panaskan semula hingga 74 °C dan mulakan semula penyejukan, atau buang"
                    ),
                ]))
        }
        return findings
    }
}
