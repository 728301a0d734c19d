import Foundation

/// A safety or quality event that someone reported: a near miss, an injury, a spill, a complaint.
public struct Incident: Hashable, Sendable, Codable {
    /// The kinds a site reports.
    public static let kinds = ["injury", "near_miss", "dangerous_occurrence", "environmental", "food_safety"]

    /// What an injury led to, the worst that applies.
    public enum Outcome: String, Hashable, Sendable, Codable, CaseIterable {
        case none
        case firstAid = "first_aid"
        /// Treated by a doctor or hospital, back at normal work within three days.
        case medical
        /// Away from normal work for at least a day after the day of the accident (`daysLost`).
        case lostTime = "lost_time"
        /// An injury the law lists as serious: a fracture other than to fingers, thumbs and toes, an amputation,
        /// loss of sight, a crush injury to the head or torso, serious burns, a scalping, loss of consciousness
        /// from a head injury or asphyxia (RIDDOR 2013 reg. 4(1); "serious bodily injury" in Malaysia).
        case specified
        case fatal
    }

    public var id: String
    public var kind: String
    public var severity: Severity
    public var description: String
    public var workCentre: String?
    public var reportedBy: String?
    public var at: Date
    /// Who was hurt (a staff id or a name; a visitor or contractor too).
    public var injured: String?
    public var outcome: Outcome?
    /// Consecutive days the person could not do their normal work, not counting the day of the accident.
    public var daysLost: Int?
    /// The first aid given, by whom.
    public var firstAid: String?
    /// For a correction: the incident record it corrects (the one before it). The record corrected is kept as it
    /// was; the correction is the incident as it now stands.
    public var corrects: String?
    /// For a correction: when it was recorded.
    public var correctedAt: Date?

    /// The incident's first record: itself, or the one its chain of corrections starts from (`root` is stored).
    public var root: String?

    public init(
        id: String, kind: String, severity: Severity, description: String, workCentre: String? = nil,
        reportedBy: String? = nil, at: Date
    ) {
        self.id = id
        self.kind = kind
        self.severity = severity
        self.description = description
        self.workCentre = workCentre
        self.reportedBy = reportedBy
        self.at = at
    }
}
