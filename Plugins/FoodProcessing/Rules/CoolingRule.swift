import Foundation
import TaktCore

/// Cooked food must cool from 57 °C to 21 °C within 2 hours, and to 5 °C within 6 hours in total (FDA Food Code
/// 3-501.14), judged from two or more readings of the same lot. Cooling starts at the lot's first reading at or
/// below 57 °C; a stage is missed when no reading at or below its target falls within its time, and the
/// finding is raised by the first reading after that time.
struct CoolingRule: EventRule {
    let id: RuleID
    let check: RuleID
    /// What the site's jurisdiction cites for it.
    let source: String
    static let start = 57.0
    static let stages: [(target: Double, within: TimeSpan)] = [(21, .hours(2)), (5, .hours(6))]

    var summary: String { "cooling: 57 → 21 °C within 2h, → 5 °C within 6h in total, per lot; breach holds the lot" }

    func evaluate(_ event: SiteEvent, in context: RuleContext) -> [Finding] {
        guard case .reading(let reading) = event, reading.check == check else { return [] }
        guard let lot = reading.lot else {
            return [
                Finding(
                    rule: id, severity: .minor, subject: .init(.check, check.rawValue),
                    message: "a cooling reading must name its lot: cooling is judged per lot",
                    actions: [FindingAction(.correctiveAction, "record the reading again with its lot")],
                    raisedAt: context.now)
            ]
        }
        let earlier = context.history.filter { $0.lot == lot }
        let readings = (earlier + [reading]).sorted { $0.at < $1.at }
        guard let start = readings.first(where: { $0.value <= Self.start })?.at else { return [] }
        var findings: [Finding] = []
        for stage in Self.stages {
            let deadline = start.addingTimeInterval(TimeInterval(stage.within.seconds))
            let met = readings.contains { $0.at >= start && $0.at <= deadline && $0.value <= stage.target }
            let alreadySeen = earlier.contains { $0.at > deadline }
            guard !met, reading.at > deadline, !alreadySeen else { continue }
            let target = CriticalLimits.format(stage.target)
            let started = Instant.format(start, in: context.timeZone)
            let now = "\(CriticalLimits.format(reading.value)) °C, \(Instant.format(reading.at, in: context.timeZone))"
            findings.append(
                Finding(
                    rule: id, severity: .critical, subject: .init(.lot, lot),
                    message: "lot \(lot) did not cool from 57 °C to \(target) °C within "
                        + "\(stage.within) (started \(started); \(now.replacingOccurrences(of: "°C, ", with: "°C at "))) (\(source))",
                    actions: [
                        FindingAction(.holdLot, lot),
                        FindingAction(.correctiveAction, "Reheat to 74 °C and restart cooling, or discard"),
                    ], raisedAt: context.now
                )
                .translated([
                    .spanish: (
                        "el lote \(lot) no se enfrió de 57 °C a \(target) °C en \(stage.within) (inicio \(started); \(now)) (\(source))",
                        "Recaliente a 74 °C y reinicie el enfriamiento, o deseche"
                    ),
                    .malay: (
                        "lot \(lot) tidak menyejuk dari 57 °C ke \(target) °C dalam \(stage.within) (mula \(started); \(now)) (\(source))",
                        "Panaskan semula hingga 74 °C dan mulakan semula penyejukan, atau buang"
                    ),
                ]))
        }
        return findings
    }
}
