import Foundation

/// A person may work at the listed work centres only with a passing reading of each listed check, recorded for
/// them at that work centre within `within` (an ESD wrist-strap test each shift). A failed test blocks the person
/// through the check's `block_operator` action; a missing one leaves them not cleared.
public struct ClearanceRule: Hashable, Sendable, Codable {
    public var id: RuleID
    public var workCentres: [String]
    public var checks: [RuleID]
    public var within: TimeSpan

    public init(id: RuleID, workCentres: [String], checks: [RuleID], within: TimeSpan) {
        self.id = id
        self.workCentres = workCentres
        self.checks = checks
        self.within = within
    }

    public var summary: String {
        "\(workCentres.joined(separator: ", ")): work needs a passing \(checks.map(\.rawValue).joined(separator: " and ")) "
            + "by the person at the station within \(within)"
    }

    /// Why `person` is not cleared at `workCentre` at `now`, given their latest reading of each check there; empty
    /// when they are cleared (or the rule does not cover the work centre).
    public func reasons(
        workCentre: String, now: Date, latest: [RuleID: CheckReading], book: RuleBook,
        timeZone: TimeZone = TimeZone(identifier: "UTC")!
    ) -> [String] {
        guard workCentres.contains(workCentre) else { return [] }
        return checks.compactMap { id in
            guard let reading = latest[id] else { return "no \(id) recorded" }
            let age = now.timeIntervalSince(reading.at)
            if age > TimeInterval(within.seconds) || age < 0 {
                return "last \(id) was \(Instant.format(reading.at, in: timeZone)), more than \(within) ago"
            }
            if let check = book.check(id), let breach = check.limits.breach(of: reading.value, unit: check.unit) {
                return "last \(id) failed: \(breach)"
            }
            return nil
        }
    }
}
