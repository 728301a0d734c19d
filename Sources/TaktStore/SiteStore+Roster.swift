import Foundation
import GRDB
import TaktCore

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
                    && Column("cancelled_at") == nil
            )
            .order(Column("start_at")).fetchAll(db).map(\.assignment)
        }
    }

    /// Every roster entry overlapping `window`, by start.
    public func roster(in window: DateInterval) throws(StoreError) -> [ShiftAssignment] {
        try read { db in
            try RosterRecord.filter(
                Column("end_at") > window.start && Column("start_at") < window.end && Column("cancelled_at") == nil
            )
            .order(Column("start_at"), Column("staff")).fetchAll(db).map(\.assignment)
        }
    }
}
