import Foundation
import GRDB
import TaktCore

/// Incidents: what happened to whom, and how badly.
extension SiteStore {
    static func registerIncidentMigration(_ migrator: inout DatabaseMigrator) {
        migrator.registerMigration("v16-incidents") { db in
            try db.execute(
                sql: """
                    ALTER TABLE incidents ADD COLUMN injured TEXT;
                    ALTER TABLE incidents ADD COLUMN outcome TEXT CHECK (outcome IN
                        ('none', 'first_aid', 'medical', 'lost_time', 'specified', 'fatal'));
                    ALTER TABLE incidents ADD COLUMN days_lost INTEGER CHECK (days_lost >= 0);
                    ALTER TABLE incidents ADD COLUMN first_aid TEXT;
                    CREATE INDEX incidents_by_time ON incidents (at);
                    """)
        }
    }

    /// Incidents corrected by a later record, so each incident counts once, as it now stands. Corrections chain:
    /// each names the record before it, and `root` the first.
    static func registerIncidentCorrectionMigration(_ migrator: inout DatabaseMigrator) {
        migrator.registerMigration("v23-incident-corrections") { db in
            try db.execute(
                sql: """
                    ALTER TABLE incidents ADD COLUMN corrects TEXT REFERENCES incidents(id);
                    ALTER TABLE incidents ADD COLUMN corrected_at DATETIME;
                    ALTER TABLE incidents ADD COLUMN root TEXT;
                    CREATE UNIQUE INDEX incidents_by_corrects ON incidents (corrects) WHERE corrects IS NOT NULL;
                    """)
        }
    }

    /// Incidents that happened in `window`, oldest first, each as it now stands (the latest correction; the
    /// records it corrects are left out).
    public func incidents(in window: DateInterval) throws(StoreError) -> [Incident] {
        try read { db in
            try IncidentRecord.filter(
                sql: "at >= ? AND at <= ? AND NOT EXISTS (SELECT 1 FROM incidents c WHERE c.corrects = incidents.id)",
                arguments: [window.start, window.end]
            ).order(Column("at"), Column("id")).fetchAll(db).map(\.incident)
        }
    }

    /// Stores a correction of incident `incident.corrects` (numbered the next `INC-n`) with the findings `judge`
    /// raises for it, in one transaction; refused when that record was already corrected (correct the latest).
    /// Sent to central as an `incident_correction`, so central counts the incident once.
    public func recordCorrection(_ incident: Incident, judge: @Sendable (Incident) -> [Finding]) throws(StoreError)
        -> (incident: Incident, findings: [Finding])
    {
        let epoch = self.epoch
        return try write { db in
            var incident = incident
            guard let corrected = incident.corrects, let before = try IncidentRecord.fetchOne(db, key: corrected) else {
                throw StoreError.notFound(kind: "incident", id: incident.corrects ?? "")
            }
            if let later = try String.fetchOne(
                db, sql: "SELECT id FROM incidents WHERE corrects = ?", arguments: [corrected])
            {
                throw StoreError.rejected(
                    reason: "incident \(corrected) was already corrected by \(later): correct that one")
            }
            incident.id = try Self.nextID("INC-", in: "incidents", db: db)
            incident.root = before.root ?? before.id
            let findings = judge(incident)
            try IncidentRecord(incident).insert(db)
            try Self.enqueue(
                db, epoch: epoch, kind: "incident_correction", class: .fact, key: incident.id, payload: incident,
                at: incident.correctedAt ?? incident.at)
            return (incident, try findings.compactMap { try Self.insert($0, readingID: nil, db: db, epoch: epoch) })
        }
    }

    public func incidentCount() throws(StoreError) -> Int {
        try read { db in try IncidentRecord.fetchCount(db) }
    }
}

extension SiteStore {
    /// One incident by id, or nil.
    public func incident(_ id: String) throws(StoreError) -> Incident? {
        try read { db in try IncidentRecord.fetchOne(db, key: id)?.incident }
    }
}
