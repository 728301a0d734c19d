import Foundation
import GRDB
import TaktCore

/// Column names in the schema are snake_case; record properties are camelCase.
protocol SnakeCaseRecord: Codable, FetchableRecord, PersistableRecord {}

extension SnakeCaseRecord {
    static var databaseColumnDecodingStrategy: DatabaseColumnDecodingStrategy { .convertFromSnakeCase }
    static var databaseColumnEncodingStrategy: DatabaseColumnEncodingStrategy { .convertToSnakeCase }
}

struct OrderRecord: SnakeCaseRecord {
    static let databaseTableName = "orders"
    var id: String
    var product: String
    var quantity: Double
    var releaseAt: Date?
    var dueAt: Date
    var priority: Int
    var status: String
    /// When it was reported complete (nil while open, and for orders completed before Takt recorded it).
    var completedAt: Date?

    init(_ order: Order, status: String = "open", completedAt: Date? = nil) {
        self.id = order.id
        self.product = order.product
        self.quantity = order.quantity
        self.releaseAt = order.release
        self.dueAt = order.due
        self.priority = order.priority
        self.status = status
        self.completedAt = completedAt
    }

    var order: Order {
        Order(id: id, product: product, quantity: quantity, release: releaseAt, due: dueAt, priority: priority)
    }
}

struct LotRecord: SnakeCaseRecord {
    static let databaseTableName = "lots"
    var id: String
    var product: String
    var quantity: Double
    var producedAt: Date
    var expiresAt: Date?
    var status: Lot.Status

    init(_ lot: Lot) {
        self.id = lot.id
        self.product = lot.product
        self.quantity = lot.quantity
        self.producedAt = lot.producedAt
        self.expiresAt = lot.expiresAt
        self.status = lot.status
    }

    var lot: Lot {
        Lot(id: id, product: product, quantity: quantity, producedAt: producedAt, expiresAt: expiresAt, status: status)
    }
}

extension Lot.Status: DatabaseValueConvertible {}
extension Severity: DatabaseValueConvertible {}
extension Finding.Status: DatabaseValueConvertible {}
extension Finding.Subject.Kind: DatabaseValueConvertible {}

struct ReadingRecord: SnakeCaseRecord {
    static let databaseTableName = "check_readings"
    var id: Int64?
    var checkId: String
    var value: Double
    var lotId: String?
    var workCentre: String?
    var recordedBy: String?
    var instrument: String?
    var at: Date

    init(_ reading: CheckReading) {
        self.checkId = reading.check.rawValue
        self.value = reading.value
        self.lotId = reading.lot
        self.workCentre = reading.workCentre
        self.recordedBy = reading.recordedBy
        self.instrument = reading.instrument
        self.at = reading.at
    }

    var reading: CheckReading {
        CheckReading(
            check: (try? RuleID(validating: checkId)) ?? "unknown", value: value, lot: lotId,
            workCentre: workCentre, recordedBy: recordedBy, instrument: instrument, at: at)
    }
}

struct FindingRecord: SnakeCaseRecord {
    static let databaseTableName = "findings"
    var id: Int64?
    var readingId: Int64?
    var ruleId: String
    var severity: Severity
    var subjectKind: Finding.Subject.Kind
    var subjectId: String
    var message: String
    var actions: String
    var raisedAt: Date
    var status: Finding.Status
    var key: String?
    var closedBy: String?
    var closedAt: Date?
    var resolution: String?
    /// The finding's texts in other languages, as JSON (`{"es": {"message": …}}`).
    var translations: String?

    init(_ finding: Finding, readingID: Int64?) throws {
        self.readingId = readingID
        self.ruleId = finding.rule.rawValue
        self.severity = finding.severity
        self.subjectKind = finding.subject.kind
        self.subjectId = finding.subject.id
        self.message = finding.message
        self.actions = String(decoding: try JSONEncoder().encode(finding.actions), as: UTF8.self)
        self.raisedAt = finding.raisedAt
        self.status = finding.status
        self.key = finding.key
        self.translations = try finding.translations.map {
            String(decoding: try JSONEncoder().encode($0), as: UTF8.self)
        }
    }

    var finding: Finding {
        let decoded = (try? JSONDecoder().decode([FindingAction].self, from: Data(actions.utf8))) ?? []
        var finding = Finding(
            id: id, rule: (try? RuleID(validating: ruleId)) ?? "unknown", severity: severity,
            subject: .init(subjectKind, subjectId), message: message, actions: decoded, raisedAt: raisedAt,
            status: status, key: key)
        finding.closedBy = closedBy
        finding.closedAt = closedAt
        finding.resolution = resolution
        finding.translations = translations.flatMap {
            try? JSONDecoder().decode([String: Finding.Text].self, from: Data($0.utf8))
        }
        return finding
    }
}

struct IncidentRecord: SnakeCaseRecord {
    static let databaseTableName = "incidents"
    var id: String
    var kind: String
    var severity: Severity
    var description: String
    var workCentre: String?
    var reportedBy: String?
    var at: Date
    var injured: String?
    var outcome: String?
    var daysLost: Int?
    var firstAid: String?
    var corrects: String?
    var correctedAt: Date?
    var root: String?

    init(_ incident: Incident) {
        self.id = incident.id
        self.kind = incident.kind
        self.severity = incident.severity
        self.description = incident.description
        self.workCentre = incident.workCentre
        self.reportedBy = incident.reportedBy
        self.at = incident.at
        self.injured = incident.injured
        self.outcome = incident.outcome?.rawValue
        self.daysLost = incident.daysLost
        self.firstAid = incident.firstAid
        self.corrects = incident.corrects
        self.correctedAt = incident.correctedAt
        self.root = incident.root
    }

    var incident: Incident {
        var incident = Incident(
            id: id, kind: kind, severity: severity, description: description, workCentre: workCentre,
            reportedBy: reportedBy, at: at)
        incident.injured = injured
        incident.outcome = outcome.flatMap(Incident.Outcome.init(rawValue:))
        incident.daysLost = daysLost
        incident.firstAid = firstAid
        incident.corrects = corrects
        incident.correctedAt = correctedAt
        incident.root = root
        return incident
    }
}

struct RosterRecord: SnakeCaseRecord {
    static let databaseTableName = "roster"
    var id: Int64?
    var staff: String
    var startAt: Date
    var endAt: Date
    var breakSeconds: Int
    var workCentre: String?
    /// Why the entry was added or cancelled (a swap, a cover, overtime, a generated pattern).
    var note: String?
    var cancelledAt: Date?

    init(_ assignment: ShiftAssignment) {
        self.staff = assignment.staff
        self.startAt = assignment.start
        self.endAt = assignment.end
        self.breakSeconds = assignment.breakTime.seconds
        self.workCentre = assignment.workCentre
    }

    var assignment: ShiftAssignment {
        ShiftAssignment(
            staff: staff, start: startAt, end: endAt, breakTime: TimeSpan(seconds: breakSeconds), workCentre: workCentre
        )
    }
}
