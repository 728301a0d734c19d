import Foundation

/// One recorded value of a check, by a person, at an instant, optionally for a lot and a work centre.
public struct CheckReading: Hashable, Sendable, Codable {
    public var check: RuleID
    public var value: Double
    public var lot: String?
    public var workCentre: String?
    /// The staff id of the person who recorded it (for a personal test such as an ESD strap test: the person
    /// tested).
    public var recordedBy: String?
    /// How long the value was held, for time-at-temperature checks (a core temperature held for 30 s).
    public var heldFor: TimeSpan?
    /// The instrument that took it (a probe thermometer's id), when the site keeps instruments.
    public var instrument: String?
    public var at: Date

    public init(
        check: RuleID, value: Double, lot: String? = nil, workCentre: String? = nil, recordedBy: String? = nil,
        heldFor: TimeSpan? = nil, instrument: String? = nil, at: Date
    ) {
        self.instrument = instrument
        self.check = check
        self.value = value
        self.lot = lot
        self.workCentre = workCentre
        self.recordedBy = recordedBy
        self.heldFor = heldFor
        self.at = at
    }
}
