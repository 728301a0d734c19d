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
    ///
    /// With `output`, the good count becomes a new lot of the product, and what it used is consumed into that lot
    /// in the same transaction: the lots `output.consume` names, or, when it names none, the bill of materials'
    /// quantities for good and scrap back-flushed from usable stock, first expiry first out. A shortage refuses the
    /// whole report, naming the component, what it needs and what there is.
    public func reportProduction(
        workCentre: String, product: String, order: String?, good: Double, scrap: Double, from: Date, to: Date,
        down: TimeSpan, downReason: String? = nil, output: ProductionOutput? = nil, by person: String? = nil
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
        let reasons = definition.downtimeReasons.map(\.id)
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
        var lot: Lot?
        var consumption: [StockMovement] = []
        if let output {
            (lot, consumption) = try produced(output, of: item, good: good, scrap: scrap, at: to, by: person)
        }
        let recorded = try stored { () throws(StoreError) in
            try store.recordProduction(report, output: lot, consumption: consumption)
        }
        guard recorded else {
            throw .invalidInput(
                "this report (\(workCentre), \(product), \(Instant.format(from, in: definition.timeZone)) to "
                    + "\(Instant.format(to, in: definition.timeZone)), \(CriticalLimits.format(good)) good, "
                    + "\(CriticalLimits.format(scrap)) scrap) is already recorded; nothing was added")
        }
        return report
    }

    /// The lot a production report makes, and what it takes to make it.
    public struct ProductionOutput: Sendable {
        /// The new lot's id.
        public var lot: String
        /// Its use-by; the product's `shelf_life` from the end of the run when absent.
        public var expiresAt: Date?
        /// The lots used and how much of each; nil back-flushes the bill of materials.
        public var consume: [(lot: String, quantity: Double)]?

        public init(lot: String, expiresAt: Date? = nil, consume: [(lot: String, quantity: Double)]? = nil) {
            self.lot = lot
            self.expiresAt = expiresAt
            self.consume = consume
        }
    }

    func produced(
        _ output: ProductionOutput, of product: Product, good: Double, scrap: Double, at end: Date, by person: String?
    ) throws(HostError) -> (Lot, [StockMovement]) {
        guard !output.lot.trimmingCharacters(in: .whitespaces).isEmpty, output.lot.count <= 64 else {
            throw .invalidInput("give the new lot's id (1 to 64 characters)")
        }
        guard good > 0 else { throw .invalidInput("a report with no good units makes no lot (--lot \(output.lot))") }
        try requireStaff(person)
        let life = product.values(of: "shelf_life").first.flatMap(TimeSpan.init(parsing:))
        let expiry = output.expiresAt ?? life.map { end.addingTimeInterval(Double($0.seconds)) }
        let lot = Lot(id: output.lot, product: product.id, quantity: good, producedAt: end, expiresAt: expiry)
        var movements: [StockMovement] = []
        if let explicit = output.consume {
            for (used, quantity) in explicit {
                guard quantity > 0, quantity.isFinite else {
                    throw .invalidInput(
                        "--consume \(used)=\(CriticalLimits.format(quantity)): give a positive quantity")
                }
                try requireUsable(used, at: end)
                movements.append(
                    StockMovement(lot: used, kind: .consume, quantity: -quantity, into: lot.id, by: person, at: end))
            }
            return (lot, movements)
        }
        var stock = try usableStock(at: end)
        for line in product.bom {
            let needed = (good + scrap) * line.quantity * (1 + line.scrap)
            guard needed > 1e-9 else { continue }
            // The component's lots first expiry first out, then each alternate's in order of preference.
            let lots = stock.filter { line.choices.contains($0.item) && $0.quantity > 1e-9 }.map(\.lot)
            let (taken, available) = takeFirstExpiry(needed, of: line.choices, from: &stock)
            guard available >= needed - 1e-9 else {
                let unit = definition.items[line.component]?.unit ?? "units"
                throw .invalidInput(
                    "\(CriticalLimits.format(good + scrap)) units of \(product.id) take "
                        + "\(CriticalLimits.format(needed)) \(unit) of \(line.choices.joined(separator: " or ")) "
                        + "(bill of materials), but usable "
                        + "stock holds \(CriticalLimits.format(available))"
                        + (lots.isEmpty ? "" : " in " + lots.joined(separator: ", "))
                        + ": receive or release it, or name the lots used with --consume; nothing was recorded")
            }
            movements += taken.map {
                StockMovement(
                    lot: $0.lot, kind: .consume, quantity: -$0.quantity, into: lot.id, reason: "back-flush", by: person,
                    at: end)
            }
        }
        return (lot, movements)
    }
}
