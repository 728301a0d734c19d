import Foundation

/// The six big losses of total productive maintenance, one taxonomy at every site: a site's own downtime reasons
/// map to the first three; the other three come from the counts.
public enum Loss: String, Hashable, Sendable, Codable, CodingKeyRepresentable, CaseIterable, Comparable {
    /// Equipment failure: unplanned stops for repair.
    case breakdown
    /// Setup and adjustments: changeovers, cleans between products.
    case setup
    /// Idling and minor stops: waiting for material or people, jams cleared at once.
    case minorStops = "minor_stops"
    /// Running slower than the routing's ideal rate.
    case reducedSpeed = "reduced_speed"
    /// Scrap while the line settles after a start.
    case startupRejects = "startup_rejects"
    /// Scrap in steady running.
    case productionRejects = "production_rejects"

    /// The losses a downtime reason can be.
    public static let downtime: [Loss] = [.breakdown, .setup, .minorStops]

    public static func < (a: Loss, b: Loss) -> Bool {
        allCases.firstIndex(of: a)! < allCases.firstIndex(of: b)!
    }
}

/// A reason a work centre stood still, as production reports give it (`downtime_reasons`), and the loss it is.
public struct DowntimeReason: Hashable, Sendable, Codable {
    public var id: String
    public var loss: Loss
    /// Stopped on purpose (a planned changeover, planned maintenance) rather than by surprise.
    public var planned: Bool

    public init(id: String, loss: Loss? = nil, planned: Bool? = nil) {
        self.id = id
        let loss = loss ?? Self.defaultLoss(id)
        self.loss = loss
        self.planned = planned ?? (loss == .setup)
    }

    /// The loss a reason is when the site does not say: a breakdown by name, a changeover, setup or clean as
    /// setup, anything else a minor stop.
    public static func defaultLoss(_ id: String) -> Loss {
        if id.contains("breakdown") || id.contains("failure") { return .breakdown }
        if ["changeover", "setup", "clean", "adjust"].contains(where: id.contains) { return .setup }
        return .minorStops
    }
}

/// Where a period's planned time went, in seconds, adding up to the planned time exactly: stops by reason and
/// loss, running slower than ideal, scrap, and the valuable time (the ideal time of the good units).
///
/// Scrap is counted as production rejects: a report does not say which units were made during start-up.
/// Reduced speed is negative when a work centre ran faster than its routing says (the routing is then wrong).
public struct LossBreakdown: Hashable, Sendable, Codable {
    public struct Line: Hashable, Sendable, Codable {
        public var reason: String
        public var loss: Loss
        public var planned: Bool
        public var seconds: Double
        /// Share of all downtime up to and including this reason, largest first (a Pareto).
        public var cumulativeShare: Double
    }

    public var plannedSeconds: Double
    public var valuableSeconds: Double
    public var losses: [Loss: Double]
    /// Downtime by reason, largest first; `unspecified` for stops reported without one.
    public var pareto: [Line]

    public init(_ reports: [ProductionReport], reasons: [DowntimeReason]) {
        let known = Dictionary(reasons.map { ($0.id, $0) }, uniquingKeysWith: { a, _ in a })
        var byReason: [String: Double] = [:]
        var losses: [Loss: Double] = [:]
        for report in reports {
            if report.downSeconds > 0 {
                let reason = report.downReason ?? "unspecified"
                byReason[reason, default: 0] += report.downSeconds
                losses[known[reason]?.loss ?? DowntimeReason.defaultLoss(reason), default: 0] += report.downSeconds
            }
            let ideal = report.idealSecondsPerUnit
            losses[.reducedSpeed, default: 0] += report.runSeconds - ideal * (report.good + report.scrap)
            losses[.productionRejects, default: 0] += ideal * report.scrap
        }
        plannedSeconds = reports.map(\.plannedSeconds).reduce(0, +)
        valuableSeconds = reports.map { $0.idealSecondsPerUnit * $0.good }.reduce(0, +)
        self.losses = losses
        let total = byReason.values.reduce(0, +)
        var running = 0.0
        pareto = byReason.sorted { ($1.value, $0.key) < ($0.value, $1.key) }.map { reason, seconds in
            running += seconds
            let definition = known[reason] ?? DowntimeReason(id: reason)
            return Line(
                reason: reason, loss: definition.loss, planned: definition.planned, seconds: seconds,
                cumulativeShare: total > 0 ? running / total : 0)
        }
    }
}

/// How often an asset breaks down and how long it takes to repair, from its corrective work orders and its
/// running time: mean time between failures = running hours ÷ breakdowns; mean time to repair = the mean time from
/// a breakdown's work order opening to its being done.
public struct Reliability: Hashable, Sendable, Codable {
    public var asset: String
    public var runHours: Double
    public var breakdowns: Int
    public var repaired: Int
    public var mtbfHours: Double?
    public var mttrHours: Double?

    public init(asset: String, runHours: Double, breakdowns: [WorkOrder]) {
        self.asset = asset
        self.runHours = runHours
        self.breakdowns = breakdowns.count
        let repairs = breakdowns.compactMap { order in order.doneAt.map { $0.timeIntervalSince(order.openedAt) } }
        repaired = repairs.count
        mtbfHours = breakdowns.isEmpty ? nil : runHours / Double(breakdowns.count)
        mttrHours = repairs.isEmpty ? nil : repairs.reduce(0, +) / Double(repairs.count) / 3600
    }
}

/// What a site tells central about its last 30 days of losses and its assets' reliability.
public struct LossStatus: Hashable, Sendable, Codable {
    public var losses: LossBreakdown
    public var reliability: [Reliability]

    public init(losses: LossBreakdown, reliability: [Reliability]) {
        self.losses = losses
        self.reliability = reliability
    }
}
