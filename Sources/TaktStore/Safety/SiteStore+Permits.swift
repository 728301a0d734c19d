import Foundation
import GRDB
import TaktCore

/// Permits to work, kept whole as JSON with the columns the scheduler and lists filter on.
extension SiteStore {
    static func registerPermitMigration(_ migrator: inout DatabaseMigrator) {
        migrator.registerMigration("v21-permits") { db in
            try db.execute(
                sql: """
                    CREATE TABLE permits (
                        id TEXT PRIMARY KEY NOT NULL CHECK (length(id) > 0),
                        asset TEXT NOT NULL,
                        status TEXT NOT NULL CHECK (status IN ('issued', 'accepted', 'suspended', 'closed')),
                        from_at DATETIME NOT NULL,
                        to_at DATETIME NOT NULL,
                        payload TEXT NOT NULL CHECK (json_valid(payload)),
                        CHECK (to_at > from_at)
                    );
                    CREATE INDEX permits_open ON permits (status, asset, to_at);
                    """)
        }
    }

    /// Stores a new permit (numbered the next `PTW-n` when its id is empty) or its new state, with its outbox row.
    @discardableResult
    public func save(_ permit: PermitToWork, isNew: Bool, at now: Date) throws(StoreError) -> PermitToWork {
        let epoch = self.epoch
        return try write { db in
            var permit = permit
            if isNew, permit.id.isEmpty { permit.id = try Self.nextID("PTW-", in: "permits", db: db) }
            let exists =
                try Bool.fetchOne(db, sql: "SELECT EXISTS (SELECT 1 FROM permits WHERE id = ?)", arguments: [permit.id])
                ?? false
            if isNew, exists { throw StoreError.rejected(reason: "permit '\(permit.id)' already exists") }
            if !isNew, !exists { throw StoreError.notFound(kind: "permit", id: permit.id) }
            try db.execute(
                sql: """
                    INSERT INTO permits (id, asset, status, from_at, to_at, payload) VALUES (?, ?, ?, ?, ?, ?)
                    ON CONFLICT (id) DO UPDATE SET status = excluded.status, payload = excluded.payload
                    """,
                arguments: [
                    permit.id, permit.asset, permit.status.rawValue, permit.from, permit.to,
                    try Self.outboxJSON(permit),
                ])
            try Self.enqueue(db, epoch: epoch, kind: "permit", class: .state, key: permit.id, payload: permit, at: now)
            return permit
        }
    }

    /// Permits, newest first; only those not closed with `openOnly`.
    public func permits(openOnly: Bool = false) throws(StoreError) -> [PermitToWork] {
        try read { db in
            let decoder = JSONDecoder()
            decoder.dateDecodingStrategy = .iso8601
            return try String.fetchAll(
                db,
                sql: "SELECT payload FROM permits" + (openOnly ? " WHERE status <> 'closed'" : "")
                    + " ORDER BY from_at DESC, id DESC"
            ).compactMap { try? decoder.decode(PermitToWork.self, from: Data($0.utf8)) }
        }
    }
}
