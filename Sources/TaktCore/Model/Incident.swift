import Foundation

/// A safety or quality event that someone reported: a near miss, an injury, a spill, a complaint.
public struct Incident: Hashable, Sendable, Codable {
    public var id: String
    public var kind: String
    public var severity: Severity
    public var description: String
    public var workCentre: String?
    public var reportedBy: String?
    public var at: Date

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
