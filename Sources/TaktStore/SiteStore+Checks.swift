import Foundation
import GRDB
import TaktCore

extension SiteStore {
    /// A reading as stored, with the findings it caused.
    public struct RecordedReading: Hashable, Sendable {
        public var readingID: Int64
        public var findings: [Finding]
    }

    /// Stores a reading, its findings and their actions (lots on hold, work centres blocked), and all their
    /// outbox rows, in one transaction: a failure anywhere stores none of it.
    public func record(_ reading: CheckReading, findings: [Finding]) throws(StoreError) -> RecordedReading {
        let epoch = self.epoch
        return try write { db in
            try ReadingRecord(reading).insert(db)
            let readingID = db.lastInsertedRowID
            let payload = ReadingPayload(id: readingID, reading: reading)
            try Self.enqueue(
                db, epoch: epoch, kind: "check_reading", class: .fact, key: String(readingID), payload: payload,
                at: reading.at)
            var stored: [Finding] = []
            for finding in findings {
                stored.append(try Self.insert(finding, readingID: readingID, db: db, epoch: epoch))
            }
            return RecordedReading(readingID: readingID, findings: stored)
        }
    }

    /// Stores an incident and the findings rules raised for it, in one transaction.
    public func record(_ incident: Incident, findings: [Finding]) throws(StoreError) -> [Finding] {
        let epoch = self.epoch
        return try write { db in
            guard try !IncidentRecord.exists(db, key: incident.id) else {
                throw StoreError.rejected(reason: "incident '\(incident.id)' already exists")
            }
            try IncidentRecord(incident).insert(db)
            try Self.enqueue(
                db, epoch: epoch, kind: "incident", class: .fact, key: incident.id, payload: incident, at: incident.at)
            return try findings.map { try Self.insert($0, readingID: nil, db: db, epoch: epoch) }
        }
    }

    /// Earlier readings of `check` (for `lot` when given), oldest first.
    public func readings(of check: RuleID, lot: String? = nil, limit: Int = 100) throws(StoreError) -> [CheckReading] {
        try read { db in
            var request = ReadingRecord.filter(Column("check_id") == check.rawValue)
            if let lot { request = request.filter(Column("lot_id") == lot) }
            let newest = try request.order(Column("at").desc, Column("id").desc).limit(limit).fetchAll(db)
            return newest.reversed().map(\.reading)
        }
    }

    /// Findings, newest first; only open ones when `openOnly`.
    public func findings(openOnly: Bool = false) throws(StoreError) -> [Finding] {
        try read { db in
            var request = FindingRecord.order(Column("raised_at").desc, Column("id").desc)
            if openOnly { request = request.filter(Column("status") == Finding.Status.open) }
            return try request.fetchAll(db).map(\.finding)
        }
    }

    private static func insert(_ finding: Finding, readingID: Int64?, db: Database, epoch: String) throws -> Finding {
        try FindingRecord(finding, readingID: readingID).insert(db)
        let findingID = db.lastInsertedRowID
        var stored = finding
        stored.id = findingID
        try enqueue(
            db, epoch: epoch, kind: "finding", class: .state, key: String(findingID), payload: stored,
            at: finding.raisedAt)
        for action in finding.actions {
            switch action.kind {
            case .holdLot:
                guard var lot = try LotRecord.fetchOne(db, key: action.target) else {
                    throw StoreError.notFound(kind: "lot", id: action.target)
                }
                try db.execute(
                    sql: "INSERT INTO lot_holds (lot_id, finding_id, held_at) VALUES (?, ?, ?)",
                    arguments: [lot.id, findingID, finding.raisedAt])
                if lot.status == .released {
                    lot.status = .onHold
                    try lot.update(db)
                    try enqueue(
                        db, epoch: epoch, kind: "lot", class: .state, key: lot.id, payload: lot.lot,
                        at: finding.raisedAt)
                }
            case .blockWorkCentre:
                try db.execute(
                    sql: "INSERT INTO work_centre_blocks (work_centre, finding_id, blocked_at) VALUES (?, ?, ?)",
                    arguments: [action.target, findingID, finding.raisedAt])
                try enqueue(
                    db, epoch: epoch, kind: "work_centre_block", class: .state, key: action.target,
                    payload: ["work_centre": action.target, "finding": String(findingID), "status": "blocked"],
                    at: finding.raisedAt)
            case .correctiveAction:
                continue
            }
        }
        return stored
    }
}

/// A reading as it travels in the outbox: the reading with its store id.
struct ReadingPayload: Codable {
    var id: Int64
    var reading: CheckReading
}
