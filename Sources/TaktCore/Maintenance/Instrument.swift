import Foundation

/// A measuring instrument a site calibrates: a probe thermometer, a torque driver, an ESD tester. A reading of
/// a check it is named for must be taken with it, calibrated within `every`: an instrument out of calibration
/// cannot prove that a critical limit was met.
public struct Instrument: Hashable, Sendable, Codable {
    public var id: String
    public var name: String
    /// The unit its readings and calibration points are in (`°C`, `N·m`).
    public var unit: String
    /// How long a passing calibration lasts.
    public var every: TimeSpan
    /// How far a calibration reading may be from its reference (±, in `unit`).
    public var tolerance: Double
    /// The reference points every calibration measures: a probe thermometer's ice point (0 °C) and boiling point
    /// (100 °C at sea level).
    public var points: [Double]
    /// The checks whose readings must name a calibrated instrument (any of those listing the check).
    public var checks: [RuleID]

    public init(
        id: String, name: String, unit: String, every: TimeSpan, tolerance: Double, points: [Double],
        checks: [RuleID] = []
    ) {
        self.id = id
        self.name = name
        self.unit = unit
        self.every = every
        self.tolerance = tolerance
        self.points = points
        self.checks = checks
    }
}

/// One calibration of an instrument: at each reference point, what it read.
public struct Calibration: Hashable, Sendable, Codable {
    public struct Point: Hashable, Sendable, Codable {
        public var reference: Double
        public var reading: Double

        public init(reference: Double, reading: Double) {
            self.reference = reference
            self.reading = reading
        }
    }

    public var instrument: String
    public var points: [Point]
    public var by: String?
    public var at: Date

    public init(instrument: String, points: [Point], by: String? = nil, at: Date) {
        self.instrument = instrument
        self.points = points
        self.by = by
        self.at = at
    }

    /// Why it fails against `instrument` (a point off by more than the tolerance), or nil when it passes.
    public func failure(for instrument: Instrument) -> String? {
        let off = points.filter { abs($0.reading - $0.reference) > instrument.tolerance }
        guard !off.isEmpty else { return nil }
        return off.map {
            "at \(CriticalLimits.format($0.reference)) \(instrument.unit) it read \(CriticalLimits.format($0.reading)) "
                + "\(instrument.unit)"
        }.joined(separator: "; ") + " (tolerance ±\(CriticalLimits.format(instrument.tolerance)) \(instrument.unit))"
    }

    /// Until when it keeps `instrument` in calibration; nil when it failed.
    public func validUntil(for instrument: Instrument) -> Date? {
        failure(for: instrument) == nil ? at.addingTimeInterval(TimeInterval(instrument.every.seconds)) : nil
    }
}
