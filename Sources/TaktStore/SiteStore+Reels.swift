import Foundation
import GRDB
import TaktCore

extension SiteStore {
    /// Adds a reel of moisture-sensitive components, in dry storage.
    public func addReel(_ reel: Reel, at now: Date) throws(StoreError) {
        let epoch = self.epoch
        try write { db in
            guard try !ReelRecord.exists(db, key: reel.id) else {
                throw StoreError.rejected(reason: "reel '\(reel.id)' already exists")
            }
            try ReelRecord(reel).insert(db)
            try Self.enqueue(db, epoch: epoch, kind: "reel", class: .state, key: reel.id, payload: reel, at: now)
        }
    }

    public func reel(_ id: String) throws(StoreError) -> Reel? {
        try read { db in try ReelRecord.fetchOne(db, key: id)?.reel }
    }

    public func reels() throws(StoreError) -> [Reel] {
        try read { db in try ReelRecord.order(Column("id")).fetchAll(db).map(\.reel) }
    }

    /// Stores a reel event with the reel's new state and the findings rules raised, in one transaction. Baking
    /// lifts the reel's blocks.
    public func record(_ event: ReelEvent, updated reel: Reel, findings: [Finding]) throws(StoreError) -> [Finding] {
        let epoch = self.epoch
        return try write { db in
            try db.execute(
                sql: "INSERT INTO reel_events (reel_id, kind, work_centre, by, at) VALUES (?, ?, ?, ?, ?)",
                arguments: [event.reel, event.kind.rawValue, event.workCentre, event.by, event.at])
            try Self.enqueue(
                db, epoch: epoch, kind: "reel_event", class: .fact, key: String(db.lastInsertedRowID), payload: event,
                at: event.at)
            try ReelRecord(reel).update(db)
            try Self.enqueue(db, epoch: epoch, kind: "reel", class: .state, key: reel.id, payload: reel, at: event.at)
            if event.kind == .bake {
                _ = try Self.lift(FindingAction(.blockReel, reel.id), by: event.by, at: event.at, db: db, epoch: epoch)
            }
            return try findings.compactMap { try Self.insert($0, readingID: nil, db: db, epoch: epoch) }
        }
    }
}

extension SiteStore {
    /// Adds a roster entry that the rules have accepted.
    public func addAssignment(_ assignment: ShiftAssignment, at now: Date) throws(StoreError) {
        let epoch = self.epoch
        try write { db in
            try RosterRecord(assignment).insert(db)
            try Self.enqueue(
                db, epoch: epoch, kind: "roster", class: .fact, key: String(db.lastInsertedRowID), payload: assignment,
                at: now)
        }
    }

    /// `staff`'s roster entries that overlap `window`, by start.
    public func assignments(of staff: String, in window: DateInterval) throws(StoreError) -> [ShiftAssignment] {
        try read { db in
            try RosterRecord.filter(
                Column("staff") == staff && Column("end_at") > window.start && Column("start_at") < window.end
            )
            .order(Column("start_at")).fetchAll(db).map(\.assignment)
        }
    }

    /// Every roster entry overlapping `window`, by start.
    public func roster(in window: DateInterval) throws(StoreError) -> [ShiftAssignment] {
        try read { db in
            try RosterRecord.filter(Column("end_at") > window.start && Column("start_at") < window.end)
                .order(Column("start_at"), Column("staff")).fetchAll(db).map(\.assignment)
        }
    }
}
