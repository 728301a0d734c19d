import Foundation
import GRDB
import TaktCore

/// The readings a control chart needs: its baseline (the first readings of a check at a work centre, or those in a
/// period) and the newest ones.
extension SiteStore {
    /// Each reading of a charted check reads the chart's baseline and the newest readings at its work centre: by
    /// index, not by sorting every reading the check ever had.
    static func registerChartMigration(_ migrator: inout DatabaseMigrator) {
        migrator.registerMigration("v18-readings-by-work-centre") { db in
            try db.execute(
                sql: "CREATE INDEX check_readings_by_work_centre ON check_readings (check_id, work_centre, at)")
        }
    }

    /// The first `count` readings of `check` at `workCentre` (nil: recorded without one), oldest first; with
    /// `period`, the readings in it (at most `count`).
    public func baselineReadings(of check: RuleID, at workCentre: String?, count: Int, in period: DateInterval? = nil)
        throws(StoreError) -> [CheckReading]
    {
        try read { db in
            var request = ReadingRecord.filter(Column("check_id") == check.rawValue)
                .filter(Column("work_centre") == workCentre)
            if let period {
                request = request.filter(Column("at") >= period.start && Column("at") <= period.end)
            }
            return try request.order(Column("at").asc, Column("id").asc).limit(count).fetchAll(db).map(\.reading)
        }
    }

    /// The newest `count` readings of `check` at `workCentre` at or before `before`, oldest first.
    public func recentReadings(of check: RuleID, at workCentre: String?, count: Int, before: Date)
        throws(StoreError) -> [CheckReading]
    {
        try read { db in
            try ReadingRecord.filter(Column("check_id") == check.rawValue)
                .filter(Column("work_centre") == workCentre).filter(Column("at") <= before)
                .order(Column("at").desc, Column("id").desc).limit(count).fetchAll(db).map(\.reading).reversed()
        }
    }

    /// How many readings of `check` at `workCentre` were taken at or before `before`: where a new reading falls in
    /// its subgroup.
    public func readingCount(of check: RuleID, at workCentre: String?, before: Date) throws(StoreError) -> Int {
        try read { db in
            try ReadingRecord.filter(Column("check_id") == check.rawValue)
                .filter(Column("work_centre") == workCentre).filter(Column("at") <= before).fetchCount(db)
        }
    }
}
