import Foundation

/// One recorded value of a check, by a person, at an instant, optionally for a lot and a work centre.
public struct CheckReading: Hashable, Sendable, Codable {
    public var check: RuleID
    public var value: Double
    public var lot: String?
    public var workCentre: String?
    /// The staff id of the person who recorded it.
    public var recordedBy: String?
    public var at: Date

    public init(
        check: RuleID, value: Double, lot: String? = nil, workCentre: String? = nil, recordedBy: String? = nil,
        at: Date
    ) {
        self.check = check
        self.value = value
        self.lot = lot
        self.workCentre = workCentre
        self.recordedBy = recordedBy
        self.at = at
    }
}
