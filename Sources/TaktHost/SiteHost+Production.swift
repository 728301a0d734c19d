import Foundation
import TaktCore
import TaktStore

extension SiteHost {
    /// The highest performance a report may claim: counts above 150 % of the routing's ideal rate are a typo
    /// (a digit too many, a wrong period), not a fast shift.
    static let plausiblePerformance = 1.5

    /// Reports what `workCentre` made of `product` from `from` to `to`: planned time comes from the work centre's
    /// calendar, the ideal rate from the product's routing there.
    ///
    /// Counts are whole units. A report implying more than 150 % of the ideal rate is refused, naming the rate.
    /// Production outside the work centre's shifts is real: it is recorded with its own period as planned time
    /// and marked `outsideShifts`. The same report twice is refused.
    public func reportProduction(
        workCentre: String, product: String, order: String?, good: Double, scrap: Double, from: Date, to: Date,
        down: TimeSpan, downReason: String? = nil
    ) throws(HostError) -> ProductionReport {
        try requireWorkCentre(workCentre)
        guard let item = definition.products[product] else {
            throw .unknown(kind: "product", id: product, known: Array(definition.products.keys))
        }
        guard let operation = item.routing.first(where: { $0.workCentres.contains(workCentre) }) else {
            throw .invalidInput("product \(product) has no operation at \(workCentre)")
        }
        guard to > from else { throw .invalidInput("the period must end after it starts") }
        try requireNotAhead(to, "the end of the period")
        for (name, count) in [("good", good), ("scrap", scrap)] {
            guard count.isFinite, count >= 0, count == count.rounded(), count < 1e12 else {
                throw .invalidInput(
                    "--\(name) \(CriticalLimits.format(count)): counts are whole units (Takt reads no thousands "
                        + "separators: write 1700, not 1.700 or 1,700)")
            }
        }
        guard good + scrap > 0 else { throw .invalidInput("give the good and scrap counts (not both zero)") }
        let window = DateInterval(start: from, end: to)
        let shiftSeconds =
            definition.workCentre(workCentre)?.calendar.flatMap { definition.calendars[$0] }
            .map { $0.availability(in: window, timeZone: definition.timeZone).map(\.duration).reduce(0, +) }
        let outsideShifts = shiftSeconds == 0
        let planned = outsideShifts ? window.duration : (shiftSeconds ?? window.duration)
        guard Double(down.seconds) < planned else {
            throw .invalidInput(
                "\(down) down leaves no running time in the \(TimeSpan(seconds: Int(planned))) "
                    + (outsideShifts ? "period" : "of shift time in the period"))
        }
        let reasons = definition.downtimeReasons
        if let downReason {
            guard down.seconds > 0 else {
                throw .invalidInput("a downtime reason ('\(downReason)') needs downtime (--down)")
            }
            guard reasons.contains(downReason) else {
                throw .unknown(kind: "downtime reason", id: downReason, known: reasons)
            }
        } else if down.seconds > 0, !reasons.isEmpty {
            throw .invalidInput(
                "say why it stood still (--down-reason): one of " + reasons.joined(separator: ", "))
        }
        var report = ProductionReport(
            workCentre: workCentre, product: product, order: order, from: from, to: to, plannedSeconds: planned,
            downSeconds: Double(down.seconds), good: good, scrap: scrap, idealSecondsPerUnit: operation.secondsPerUnit,
            outsideShifts: outsideShifts ? true : nil)
        report.downReason = downReason
        let performance = (good + scrap) * operation.secondsPerUnit / report.runSeconds
        guard performance <= Self.plausiblePerformance else {
            let idealPerHour = CriticalLimits.format((3600 / operation.secondsPerUnit).rounded())
            let claimed = CriticalLimits.format(((good + scrap) * 3600 / report.runSeconds).rounded())
            throw .invalidInput(
                "\(CriticalLimits.format(good + scrap)) units in \(TimeSpan(seconds: Int(report.runSeconds))) of "
                    + "running time is \(claimed)/h, \(Int((performance * 100).rounded())) % of the ideal rate "
                    + "\(idealPerHour)/h for \(product) at \(workCentre); check the counts and the period")
        }
        let recorded = try stored { () throws(StoreError) in try store.recordProduction(report) }
        guard recorded else {
            throw .invalidInput(
                "this report (\(workCentre), \(product), \(Instant.format(from, in: definition.timeZone)) to "
                    + "\(Instant.format(to, in: definition.timeZone)), \(CriticalLimits.format(good)) good, "
                    + "\(CriticalLimits.format(scrap)) scrap) is already recorded; nothing was added")
        }
        return report
    }
}
