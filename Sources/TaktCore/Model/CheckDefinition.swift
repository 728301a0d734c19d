import Foundation

/// A monitoring check that operators record: a chiller temperature, a core temperature, a swab result.
///
/// A check with limits is also a rule: a reading outside them is a breach, with the finding and actions below.
/// Modules register their control points as checks, and a site adds its own in `site.yaml`.
public struct CheckDefinition: Hashable, Sendable, Codable {
    /// What a breach does besides raising a finding.
    public enum BreachAction: String, Hashable, Sendable, Codable, CaseIterable {
        /// Put the lot named on the reading on hold.
        case holdLot = "hold_lot"
        /// Block the work centre named on the reading (or the check's own work centre).
        case blockWorkCentre = "block_work_centre"
        /// Block the person who was tested (the reading's `recorded_by`) at the reading's work centre.
        case blockOperator = "block_operator"
    }

    public var id: RuleID
    public var name: String
    /// Unit of the reading, for people: `°C`, `ppm`, `pass/fail` (1 = pass, 0 = fail).
    public var unit: String
    public var limits: CriticalLimits
    /// How often it must be recorded; nil means when the procedure says (no overdue tracking).
    public var every: TimeSpan?
    /// The work centres it is recorded at; each is tracked for being overdue on its own. Empty means the check
    /// is site-wide (a reading may name any work centre, or none).
    public var workCentres: [String]
    public var severity: Severity
    public var onBreach: [BreachAction]
    /// What the person who sees the breach must do.
    public var correctiveAction: String
    /// Where the limits come from (a regulation, a customer specification, the HACCP plan).
    public var source: String?
    /// Whether a passing reading lifts the blocks that a failing reading of this check placed on the same
    /// work centre or operator (a passing swab releases the line after an allergen clean). Lot holds are
    /// never lifted this way: a person releases a lot.
    public var releasesOnPass: Bool
    /// The check's name and corrective action in other languages, by language code (`es`, `ms`): its findings
    /// carry them, and the site app shows them to people who read that language.
    public var translations: [String: Texts] = [:]
    /// The law's bounds on a reading, with the dates they are in force: a reading is judged by `limits` made
    /// tighter by whichever of these is in force on its own local date (`limits(on:)`), so a law that tightens
    /// next year applies next year without a new configuration.
    public var legalLimits: [LegalLimit] = []

    /// The limits a reading taken on `day` (site-local) must meet: `limits`, tightened by the legal limits in
    /// force that day.
    public func limits(on day: LocalDate) -> CriticalLimits {
        var result = limits
        for legal in legalLimits where legal.inForce(on: day) {
            switch legal.comparison {
            case .atMost: result.max = Swift.min(result.max ?? legal.value, legal.value)
            case .atLeast: result.min = Swift.max(result.min ?? legal.value, legal.value)
            }
        }
        return result
    }

    /// The check with the law's dated bounds attached.
    public func bounded(by legal: [LegalLimit]) -> CheckDefinition {
        var copy = self
        copy.legalLimits = legal
        return copy
    }

    /// A check's words in one language.
    public struct Texts: Hashable, Sendable, Codable {
        public var name: String
        public var correctiveAction: String

        public init(name: String, correctiveAction: String) {
            self.name = name
            self.correctiveAction = correctiveAction
        }
    }

    /// The check with its name and corrective action in `locale` too.
    public func translated(_ locale: SiteLocale, name: String, correctiveAction: String) -> CheckDefinition {
        var copy = self
        copy.translations[locale.rawValue] = Texts(name: name, correctiveAction: correctiveAction)
        return copy
    }

    /// A check recorded as pass (1) or fail (0), such as a metal-detector test or an ESD strap test.
    public var isPassFail: Bool { unit == CriticalLimits.passFail }

    public init(
        id: RuleID, name: String, unit: String, limits: CriticalLimits, every: TimeSpan? = nil,
        workCentres: [String] = [], severity: Severity = .critical, onBreach: [BreachAction] = [],
        correctiveAction: String, source: String? = nil, releasesOnPass: Bool = false
    ) {
        self.id = id
        self.name = name
        self.unit = unit
        self.limits = limits
        self.every = every
        self.workCentres = workCentres
        self.severity = severity
        self.onBreach = onBreach
        self.correctiveAction = correctiveAction
        self.source = source
        self.releasesOnPass = releasesOnPass
    }
}

/// The lowest and highest acceptable values of a reading; either may be absent.
public struct CriticalLimits: Hashable, Sendable, Codable, CustomStringConvertible {
    public var min: Double?
    public var max: Double?

    public init(min: Double? = nil, max: Double? = nil) {
        self.min = min
        self.max = max
    }

    /// Why `value` breaks the limits in `locale`, or nil when it is within them.
    /// A pass/fail check (`unit` `pass/fail`) that breaks its limit simply failed, and says so.
    public func breach(of value: Double, unit: String, in locale: SiteLocale) -> String? {
        let (above, below, failed): (String, String, String)
        switch locale {
        case .english: return breach(of: value, unit: unit)
        case .spanish: (above, below, failed) = ("está por encima del límite", "está por debajo del límite", "falló")
        case .malay: (above, below, failed) = ("melebihi had", "di bawah had", "gagal")
        }
        if unit == Self.passFail { return within(value) ? nil : failed }
        if let max, value > max { return "\(Self.format(value)) \(unit) \(above) \(Self.format(max)) \(unit)" }
        if let min, value < min { return "\(Self.format(value)) \(unit) \(below) \(Self.format(min)) \(unit)" }
        return nil
    }

    /// Why `value` breaks the limits, or nil when it is within them (a value exactly at a limit is within).
    public func breach(of value: Double, unit: String) -> String? {
        if unit == Self.passFail { return within(value) ? nil : "failed" }
        if let max, value > max {
            return "\(Self.format(value)) \(unit) is above the limit \(Self.format(max)) \(unit)"
        }
        if let min, value < min {
            return "\(Self.format(value)) \(unit) is below the limit \(Self.format(min)) \(unit)"
        }
        return nil
    }

    /// The unit of a check whose reading is 1 (pass) or 0 (fail).
    static let passFail = "pass/fail"

    /// Whether `value` lies within the limits (a value exactly at a limit is within).
    public func within(_ value: Double) -> Bool {
        !(max.map { value > $0 } ?? false) && !(min.map { value < $0 } ?? false)
    }

    public var description: String {
        switch (min, max) {
        case (let min?, let max?): return "\(Self.format(min)) to \(Self.format(max))"
        case (let min?, nil): return "at least \(Self.format(min))"
        case (nil, let max?): return "at most \(Self.format(max))"
        case (nil, nil): return "no limits"
        }
    }

    /// A number as people write it: `5`, not `5.0`.
    /// A limit or reading for people: `5`, `4.5`, and from a million up in powers of ten (`3.5 × 10^7`), as
    /// resistance meters and standards write them.
    public static func format(_ value: Double) -> String {
        if value.isFinite, abs(value) >= 1e6 {
            let exponent = Int(log10(abs(value)).rounded(.down))
            let mantissa = (value / pow(10, Double(exponent)) * 1000).rounded() / 1000
            return "\(format(mantissa)) × 10^\(exponent)"
        }
        return value == value.rounded() && abs(value) < 1e15 ? String(Int(value)) : String(value)
    }
}
