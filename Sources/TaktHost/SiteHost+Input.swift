import Foundation
import TaktCore

extension SiteHost {
    /// Refuses a recorded time later than the site's clock plus `clockTolerance`: a reading, a lot, a
    /// production period or a sweep dated in the future is a typo (a month or a year), and stored it would hide
    /// every missed check until that date.
    ///
    /// - Parameter what: what the time is, in the user's words ("the reading's time").
    func requireNotAhead(_ instant: Date, _ what: String) throws(HostError) {
        let now = clock()
        let ahead = instant.timeIntervalSince(now)
        guard ahead > Double(definition.clockTolerance.seconds) else { return }
        let zone = definition.timeZone
        throw .invalidInput(
            "\(what) \(Instant.format(instant, in: zone)) is \(Self.describe(seconds: ahead)) ahead of the site's "
                + "clock (\(Instant.format(now, in: zone))); a record cannot be dated in the future — check the "
                + "date (site.clock_tolerance allows \(definition.clockTolerance))")
    }

    /// A span for people: `3 min`, `5 h`, `30 days`.
    static func describe(seconds: Double) -> String {
        switch seconds {
        case ..<120: return "\(Int(seconds.rounded())) s"
        case ..<7200: return "\(Int((seconds / 60).rounded())) min"
        case ..<172_800: return "\(Int((seconds / 3600).rounded())) h"
        default: return "\(Int((seconds / 86_400).rounded())) days"
        }
    }
}
