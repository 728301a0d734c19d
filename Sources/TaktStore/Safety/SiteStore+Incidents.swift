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

    /// Incidents that happened in `window`, oldest first.
    public func incidents(in window: DateInterval) throws(StoreError) -> [Incident] {
        try read { db in
            try IncidentRecord.filter(Column("at") >= window.start && Column("at") <= window.end)
                .order(Column("at"), Column("id")).fetchAll(db).map(\.incident)
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
