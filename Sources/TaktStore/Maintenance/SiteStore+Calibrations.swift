import Foundation
import GRDB
import TaktCore

extension SiteStore {
    /// Readings name the instrument that took them; calibrations are facts, kept for ever and sent to central.
    static func registerInstrumentMigration(_ migrator: inout DatabaseMigrator) {
        migrator.registerMigration("v12-instruments") { db in
            try db.execute(
                sql: """
                    ALTER TABLE check_readings ADD COLUMN instrument TEXT;
                    CREATE TABLE calibrations (
                        id INTEGER PRIMARY KEY AUTOINCREMENT,
                        instrument TEXT NOT NULL CHECK (length(instrument) > 0),
                        points TEXT NOT NULL CHECK (json_valid(points)),
                        passed INTEGER NOT NULL CHECK (passed IN (0, 1)),
                        recorded_by TEXT,
                        at DATETIME NOT NULL
                    );
                    CREATE INDEX calibrations_by_instrument ON calibrations (instrument, at);
                    """)
        }
    }

    /// Stores a calibration (whether it `passed`) with its outbox row and the findings it raised, in one
    /// transaction.
    public func record(_ calibration: Calibration, passed: Bool, findings: [Finding]) throws(StoreError) -> [Finding] {
        let epoch = self.epoch
        return try write { db in
            let points = String(decoding: try JSONEncoder().encode(calibration.points), as: UTF8.self)
            try db.execute(
                sql: "INSERT INTO calibrations (instrument, points, passed, recorded_by, at) VALUES (?, ?, ?, ?, ?)",
                arguments: [calibration.instrument, points, passed, calibration.by, calibration.at])
            let id = db.lastInsertedRowID
            try Self.enqueue(
                db, epoch: epoch, kind: "calibration", class: .fact, key: String(id),
                payload: CalibrationPayload(id: id, calibration: calibration, passed: passed), at: calibration.at)
            return try findings.compactMap { try Self.insert($0, readingID: nil, db: db, epoch: epoch) }
        }
    }

    /// The latest calibration of each instrument at or before `instant` (all instruments when `instrument` is nil).
    public func latestCalibrations(of instrument: String? = nil, before instant: Date = .distantFuture)
        throws(StoreError) -> [String: Calibration]
    {
        try read { db in
            var sql = """
                SELECT c.instrument, c.points, c.recorded_by, c.at FROM calibrations c
                WHERE c.at <= ? AND c.id = (SELECT id FROM calibrations d WHERE d.instrument = c.instrument AND d.at <= ?
                    ORDER BY d.at DESC, d.id DESC LIMIT 1)
                """
            var arguments: StatementArguments = [instant, instant]
            if let instrument {
                sql += " AND c.instrument = ?"
                arguments += [instrument]
            }
            var result: [String: Calibration] = [:]
            for row in try Row.fetchAll(db, sql: sql, arguments: arguments) {
                let points = Self.points(row["points"])
                result[row["instrument"]] = Calibration(
                    instrument: row["instrument"], points: points, by: row["recorded_by"], at: row["at"])
            }
            return result
        }
    }

    /// Every calibration of `instrument`, newest first, at most `limit`.
    public func calibrations(of instrument: String, limit: Int = 100) throws(StoreError) -> [(
        Calibration, passed: Bool
    )] {
        try read { db in
            try Row.fetchAll(
                db,
                sql:
                    "SELECT points, passed, recorded_by, at FROM calibrations WHERE instrument = ? ORDER BY at DESC, id DESC LIMIT ?",
                arguments: [instrument, limit]
            ).map { row in
                let points = Self.points(row["points"])
                return (
                    Calibration(instrument: instrument, points: points, by: row["recorded_by"], at: row["at"]),
                    row["passed"]
                )
            }
        }
    }
}

extension SiteStore {
    /// A calibration's points as stored (JSON); none when the text does not read.
    static func points(_ json: String) -> [Calibration.Point] {
        (try? JSONDecoder().decode([Calibration.Point].self, from: Data(json.utf8))) ?? []
    }
}

/// A calibration as it travels in the outbox.
struct CalibrationPayload: Codable {
    var id: Int64
    var calibration: Calibration
    var passed: Bool
}
