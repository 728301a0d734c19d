import Foundation

/// What a site tells central about its people: training compliance (certificates people need for their work that
/// are valid today), certificates expiring within the lead or already expired, single points of failure on the
/// coming shifts, absence today, and training sessions planned. Counted on the site's day, so it changes at most
/// once a day unless a record (an assessment, an absence, a session) changes it.
public struct PeopleStatus: Hashable, Sendable, Codable {
    public var people: Int
    /// Certificates people need for their work (`PeopleAnalysis.certificateNeeds`), and how many are valid today.
    public var certificatesNeeded: Int
    public var certificatesValid: Int
    /// Needed certificates that expire within the training lead.
    public var certificatesExpiring: Int
    public var singlePoints: [PeopleAnalysis.SinglePoint]
    public var absentToday: Int
    public var sessionsPlanned: Int
    /// Skills matrix cells by level (`competent` → 12).
    public var levels: [String: Int]

    public init(
        people: Int, certificatesNeeded: Int, certificatesValid: Int, certificatesExpiring: Int,
        singlePoints: [PeopleAnalysis.SinglePoint], absentToday: Int, sessionsPlanned: Int, levels: [String: Int]
    ) {
        self.people = people
        self.certificatesNeeded = certificatesNeeded
        self.certificatesValid = certificatesValid
        self.certificatesExpiring = certificatesExpiring
        self.singlePoints = singlePoints
        self.absentToday = absentToday
        self.sessionsPlanned = sessionsPlanned
        self.levels = levels
    }

    /// Share of needed certificates valid today; nil when nobody needs one.
    public var trainingCompliance: Double? {
        certificatesNeeded == 0 ? nil : Double(certificatesValid) / Double(certificatesNeeded)
    }
}

/// A site's judgement of one day's training: the certificates its people needed for their work (`PeopleAnalysis.
/// certificateNeeds`) and how many were valid. The sweep sends it keyed by the day; central rolls it up like
/// schedule adherence, so compliance over a period is the period's valid ÷ needed, not a mean of percentages.
public struct DayTraining: Hashable, Sendable, Codable {
    public var day: LocalDate
    public var needed: Int
    public var valid: Int

    public init(day: LocalDate, needed: Int, valid: Int) {
        self.day = day
        self.needed = needed
        self.valid = valid
    }
}
