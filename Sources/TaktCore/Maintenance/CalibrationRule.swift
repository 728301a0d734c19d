import Foundation

/// A reading of a check that an instrument is named for must say which instrument took it, and that instrument
/// must have passed a calibration within its interval before the reading (Regulation (EC) No 852/2004 art. 5(2):
/// monitoring and verification at critical control points; HACCP principle 6). The site's sweep raises an
/// instrument whose calibration has lapsed, once per lapse.
public struct CalibrationRule: EventRule {
    public let id: RuleID = "site.instruments.calibration"
    public let instruments: [String: Instrument]

    public init(instruments: [String: Instrument]) { self.instruments = instruments }

    public var summary: String {
        "readings of " + Set(instruments.values.flatMap(\.checks).map(\.rawValue)).sorted().joined(separator: ", ")
            + " name an instrument calibrated within its interval (" + instruments.keys.sorted().joined(separator: ", ")
            + ")"
    }

    static let source =
        "an uncalibrated instrument cannot prove a critical limit (HACCP verification; Regulation (EC) No 852/2004 art. 5)"

    public func evaluate(_ event: SiteEvent, in context: RuleContext) -> [Finding] {
        switch event {
        case .reading(let reading):
            let required = instruments.values.contains { $0.checks.contains(reading.check) }
            guard let id = reading.instrument else {
                guard required else { return [] }
                return [
                    finding(
                        .major, subject: .init(.check, reading.check.rawValue),
                        "a reading of \(reading.check) names no instrument: " + Self.source,
                        action: "Record which calibrated instrument took it; re-check with one", at: context.now)
                ]
            }
            guard let instrument = instruments[id] else { return [] }
            let when = Instant.format(reading.at, in: context.timeZone)
            guard let calibration = context.calibration, calibration.at <= reading.at else {
                return [
                    finding(
                        .major, subject: .init(.instrument, id),
                        "\(instrument.name) (\(id)) took a reading of \(reading.check) at \(when) but has no "
                            + "calibration on record: " + Self.source,
                        action: "Calibrate it, then re-check with it", at: context.now)
                ]
            }
            if let failure = calibration.failure(for: instrument) {
                return [
                    finding(
                        .critical, subject: .init(.instrument, id),
                        "\(instrument.name) (\(id)) took a reading of \(reading.check) at \(when) after failing "
                            + "its calibration of \(Instant.format(calibration.at, in: context.timeZone)): "
                            + failure + "; " + Self.source,
                        action: "Withdraw the instrument; re-check with a calibrated one", at: context.now)
                ]
            }
            if let until = calibration.validUntil(for: instrument), reading.at > until {
                return [
                    finding(
                        .major, subject: .init(.instrument, id),
                        "\(instrument.name) (\(id)) took a reading of \(reading.check) at \(when) with its "
                            + "calibration lapsed since \(Instant.format(until, in: context.timeZone)) (every "
                            + "\(instrument.every)): " + Self.source,
                        action: "Calibrate it, then re-check with it", at: context.now)
                ]
            }
            return []
        case .tick(let now):
            return instruments.values.sorted { $0.id < $1.id }.compactMap { instrument in
                guard !instrument.checks.isEmpty else { return nil }
                let last = context.snapshot?.calibrations[instrument.id]
                let until = last.flatMap { $0.validUntil(for: instrument) }
                if let until, until >= now { return nil }
                let why =
                    last == nil
                    ? "has never been calibrated"
                    : until == nil
                        ? "failed its last calibration"
                        : "is out of calibration since \(Instant.format(until ?? now, in: context.timeZone))"
                return finding(
                    .major, subject: .init(.instrument, instrument.id),
                    "\(instrument.name) (\(instrument.id)) \(why) (every \(instrument.every))",
                    action: "Calibrate it before it takes another reading", at: now,
                    key: "calibration:\(instrument.id):\(last.map { Instant.iso($0.at) } ?? "never")")
            }
        default:
            return []
        }
    }

    func finding(
        _ severity: Severity, subject: Finding.Subject, _ message: String, action: String, at: Date, key: String? = nil
    ) -> Finding {
        Finding(
            rule: id, severity: severity, subject: subject, message: message,
            actions: [FindingAction(.correctiveAction, action)], raisedAt: at, key: key)
    }
}
