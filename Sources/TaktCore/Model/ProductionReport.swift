import Foundation

/// What a work centre produced over a period: the counts, and the time it had, ran and stood still. OEE is
/// computed from these with one definition everywhere (see `OEE`).
public struct ProductionReport: Hashable, Sendable, Codable {
    public var workCentre: String
    public var product: String
    public var order: String?
    public var from: Date
    public var to: Date
    /// Shift time in the period (the work centre's calendar), in seconds.
    public var plannedSeconds: Double
    /// Time it stood still in the period (breakdowns, waiting), in seconds.
    public var downSeconds: Double
    public var good: Double
    public var scrap: Double
    /// The routing's ideal time per unit at this work centre.
    public var idealSecondsPerUnit: Double
    /// True when the period lies outside the work centre's shifts: its planned time is then the period itself.
    public var outsideShifts: Bool?
    /// Why it stood still, from the site's `downtime_reasons`; nil when it did not, or the site lists none.
    public var downReason: String?

    public init(
        workCentre: String, product: String, order: String? = nil, from: Date, to: Date, plannedSeconds: Double,
        downSeconds: Double, good: Double, scrap: Double, idealSecondsPerUnit: Double, outsideShifts: Bool? = nil
    ) {
        self.outsideShifts = outsideShifts
        self.workCentre = workCentre
        self.product = product
        self.order = order
        self.from = from
        self.to = to
        self.plannedSeconds = plannedSeconds
        self.downSeconds = downSeconds
        self.good = good
        self.scrap = scrap
        self.idealSecondsPerUnit = idealSecondsPerUnit
    }

    /// Time running: planned time less down time.
    public var runSeconds: Double { max(0, plannedSeconds - downSeconds) }
}

/// Overall equipment effectiveness = availability × performance × quality, over any set of reports:
/// availability = run time ÷ planned time; performance = ideal time for everything made ÷ run time (at most
/// 1); quality = good ÷ everything made.
public struct OEE: Hashable, Sendable, Codable {
    public var availability: Double
    public var performance: Double
    public var quality: Double
    public var value: Double { availability * performance * quality }

    /// Nil when the reports hold no planned time or no output.
    public init?(_ reports: [ProductionReport]) {
        self.init(
            planned: reports.map(\.plannedSeconds).reduce(0, +), run: reports.map(\.runSeconds).reduce(0, +),
            ideal: reports.map { ($0.good + $0.scrap) * $0.idealSecondsPerUnit }.reduce(0, +),
            made: reports.map { $0.good + $0.scrap }.reduce(0, +), good: reports.map(\.good).reduce(0, +))
    }

    /// OEE from summed times (seconds) and counts, as central's daily roll-ups keep them; nil when there is no
    /// planned time or no output.
    public init?(planned: Double, run: Double, ideal: Double, made: Double, good: Double) {
        guard planned > 0, made > 0 else { return nil }
        availability = run / planned
        performance = run > 0 ? min(1, ideal / run) : 0
        quality = good / made
    }
}
