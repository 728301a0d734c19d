import Foundation
import GRDB
import TaktCore

extension SiteStore {
    /// A reading as stored, with the findings it caused and the blocks it lifted.
    public struct RecordedReading: Hashable, Sendable {
        public var readingID: Int64
        public var findings: [Finding]
        public var released: [FindingAction]
    }

    /// Stores a reading, its findings and their actions (lots on hold, blocks), lifts the blocks in `releases`
    /// (a passing retest), and writes all their outbox rows, in one transaction: a failure stores none of it.
    public func record(_ reading: CheckReading, findings: [Finding], releases: [FindingAction] = [])
        throws(StoreError) -> RecordedReading
    {
        try record(reading, releases: releases) { _, _ in findings }
    }

    /// Judges and stores a reading in one write transaction: `judge` gets the reading's lot and the earlier
    /// readings of the same check (and lot) as they stand inside the transaction, so two readings recorded at
    /// the same moment — by the app, a logger and the command line — are judged one after the other, each
    /// seeing the other, never both against the same history.
    public func record(
        _ reading: CheckReading, releases: [FindingAction] = [],
        judge: @Sendable (_ lot: Lot?, _ history: [CheckReading]) throws -> [Finding]
    ) throws(StoreError) -> RecordedReading {
        let epoch = self.epoch
        return try write { db in
            let lot = try reading.lot.flatMap { try LotRecord.fetchOne(db, key: $0)?.lot }
            let history = try Self.readings(db, of: reading.check, lot: reading.lot, limit: 100)
            let findings: [Finding]
            do { findings = try judge(lot, history) } catch {
                throw StoreError.rejected(reason: "\(error)")
            }
            try ReadingRecord(reading).insert(db)
            let readingID = db.lastInsertedRowID
            try Self.enqueue(
                db, epoch: epoch, kind: "check_reading", class: .fact, key: String(readingID),
                payload: ReadingPayload(id: readingID, reading: reading), at: reading.at)
            var released: [FindingAction] = []
            for release in releases
            where try Self.lift(release, by: reading.recordedBy, at: reading.at, db: db, epoch: epoch) {
                released.append(release)
            }
            let stored = try findings.compactMap { try Self.insert($0, readingID: readingID, db: db, epoch: epoch) }
            return RecordedReading(readingID: readingID, findings: stored, released: released)
        }
    }

    /// Stores an incident and the findings rules raised for it, in one transaction.
    public func record(_ incident: Incident, findings: [Finding]) throws(StoreError) -> [Finding] {
        try record(incident) { _ in findings }.findings
    }

    /// Stores an incident and the findings `judge` raises for it, in one transaction. An empty id becomes the next
    /// `INC-n` there, before `judge` sees the incident, so two reports at once never share one.
    public func record(_ incident: Incident, judge: @Sendable (Incident) -> [Finding]) throws(StoreError)
        -> (incident: Incident, findings: [Finding])
    {
        let epoch = self.epoch
        return try write { db in
            var incident = incident
            if incident.id.isEmpty { incident.id = try Self.nextID("INC-", in: "incidents", db: db) }
            let findings = judge(incident)
            guard try !IncidentRecord.exists(db, key: incident.id) else {
                throw StoreError.rejected(reason: "incident '\(incident.id)' already exists")
            }
            try IncidentRecord(incident).insert(db)
            try Self.enqueue(
                db, epoch: epoch, kind: "incident", class: .fact, key: incident.id, payload: incident, at: incident.at)
            return (incident, try findings.compactMap { try Self.insert($0, readingID: nil, db: db, epoch: epoch) })
        }
    }

    /// Stores findings that no single record caused (overdue checks, expired lots). A finding whose `key` is
    /// already stored is skipped, so a repeated sweep raises each finding once. Returns the new ones.
    public func raise(_ findings: [Finding]) throws(StoreError) -> [Finding] {
        let epoch = self.epoch
        return try write { db in try findings.compactMap { try Self.insert($0, readingID: nil, db: db, epoch: epoch) } }
    }

    /// Closes an open finding: `by` names who took the corrective action, `resolution` what was done.
    public func closeFinding(_ id: Int64, by person: String, resolution: String, at: Date) throws(StoreError) -> Finding
    {
        let epoch = self.epoch
        return try write { db in
            guard var record = try FindingRecord.fetchOne(db, key: id) else {
                throw StoreError.notFound(kind: "finding", id: String(id))
            }
            guard record.status == .open else {
                throw StoreError.rejected(reason: "finding \(id) was already closed by \(record.closedBy ?? "?")")
            }
            if let report = try String.fetchOne(
                db, sql: "SELECT id FROM nonconformances WHERE finding_id = ? AND status = 'open'", arguments: [id])
            {
                throw StoreError.rejected(
                    reason: "finding \(id) is under report \(report): it closes when the report's containment is "
                        + "recorded (takt ncr contain)")
            }
            record.status = .closed
            record.closedBy = person
            record.closedAt = at
            record.resolution = resolution
            try record.update(db)
            let finding = record.finding
            try Self.enqueue(
                db, epoch: epoch, kind: "finding", class: .state, key: String(id), payload: finding, at: at)
            return finding
        }
    }

    /// Every reading taken at or after `since`, oldest first, at most `limit` (the newest kept).
    public func readings(since: Date, limit: Int = 20_000) throws(StoreError) -> [CheckReading] {
        try read { db in
            try ReadingRecord.filter(Column("at") >= since).order(Column("at").desc, Column("id").desc).limit(limit)
                .fetchAll(db)
                .reversed().map(\.reading)
        }
    }

    /// Earlier readings of `check` (for `lot` when given), oldest first.
    public func readings(of check: RuleID, lot: String? = nil, limit: Int = 100) throws(StoreError) -> [CheckReading] {
        try read { db in try Self.readings(db, of: check, lot: lot, limit: limit) }
    }

    static func readings(_ db: Database, of check: RuleID, lot: String?, limit: Int) throws -> [CheckReading] {
        var request = ReadingRecord.filter(Column("check_id") == check.rawValue)
        if let lot { request = request.filter(Column("lot_id") == lot) }
        let newest = try request.order(Column("at").desc, Column("id").desc).limit(limit).fetchAll(db)
        return newest.reversed().map(\.reading)
    }

    /// The latest reading time of every check, by check and work centre (`""` when none was named).
    public func lastReadings() throws(StoreError) -> [RuleID: [String: Date]] {
        try read { db in
            let rows = try Row.fetchAll(
                db,
                sql: """
                    SELECT check_id, COALESCE(work_centre, '') AS work_centre, MAX(at) AS at
                    FROM check_readings GROUP BY check_id, COALESCE(work_centre, '')
                    """)
            var result: [RuleID: [String: Date]] = [:]
            for row in rows {
                guard let check = try? RuleID(validating: row["check_id"]) else { continue }
                result[check, default: [:]][row["work_centre"]] = row["at"]
            }
            return result
        }
    }

    /// Findings, newest first; only open ones when `openOnly`.
    /// One finding by id, or nil.
    public func finding(_ id: Int64) throws(StoreError) -> Finding? {
        try read { db in try FindingRecord.fetchOne(db, key: id)?.finding }
    }

    public func findings(openOnly: Bool = false) throws(StoreError) -> [Finding] {
        try read { db in
            var request = FindingRecord.order(Column("raised_at").desc, Column("id").desc)
            if openOnly { request = request.filter(Column("status") == Finding.Status.open) }
            return try request.fetchAll(db).map(\.finding)
        }
    }

    /// Findings stored after the one with id `after`, oldest first (what a live page has not seen yet).
    public func findings(after id: Int64) throws(StoreError) -> [Finding] {
        try read { db in try FindingRecord.filter(Column("id") > id).order(Column("id")).fetchAll(db).map(\.finding) }
    }

    /// The id of the newest finding; 0 when there is none.
    public func latestFindingID() throws(StoreError) -> Int64 {
        try read { db in try Int64.fetchOne(db, sql: "SELECT COALESCE(MAX(id), 0) FROM findings") ?? 0 }
    }

    /// Inserts one finding and applies its actions; returns nil when a finding with its key already exists.
    static func insert(_ finding: Finding, readingID: Int64?, db: Database, epoch: String) throws -> Finding? {
        if let key = finding.key, try FindingRecord.filter(Column("key") == key).fetchCount(db) > 0 { return nil }
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
                try hold(lot: action.target, findingID: findingID, at: finding.raisedAt, db: db, epoch: epoch)
            case let kind where kind.isBlock:
                let active =
                    try Int.fetchOne(
                        db, sql: "SELECT COUNT(*) FROM blocks WHERE kind = ? AND target = ? AND released_at IS NULL",
                        arguments: [action.kind.rawValue, action.target]) ?? 0
                try db.execute(
                    sql: "INSERT INTO blocks (kind, target, finding_id, blocked_at) VALUES (?, ?, ?, ?)",
                    arguments: [action.kind.rawValue, action.target, findingID, finding.raisedAt])
                if active == 0 {
                    try enqueue(
                        db, epoch: epoch, kind: "block", class: .state, key: "\(action.kind.rawValue):\(action.target)",
                        payload: BlockPayload(
                            kind: action.kind, target: action.target, blocked: true, finding: findingID),
                        at: finding.raisedAt)
                }
            default:
                continue
            }
        }
        return stored
    }

    /// Lifts every active block of `action`'s kind on its target; returns whether there was one.
    static func lift(_ action: FindingAction, by person: String?, at: Date, db: Database, epoch: String) throws -> Bool
    {
        try db.execute(
            sql: """
                UPDATE blocks SET released_at = ?, released_by = ?
                WHERE kind = ? AND target = ? AND released_at IS NULL
                """,
            arguments: [at, person, action.kind.rawValue, action.target])
        guard db.changesCount > 0 else { return false }
        try enqueue(
            db, epoch: epoch, kind: "block", class: .state, key: "\(action.kind.rawValue):\(action.target)",
            payload: BlockPayload(kind: action.kind, target: action.target, blocked: false, finding: nil), at: at)
        return true
    }

    /// Active blocks: work centres, operators at work centres, and what modules block (reels).
    public func activeBlocks() throws(StoreError) -> [Block] {
        try read { db in
            try Row.fetchAll(
                db, sql: "SELECT kind, target, finding_id, blocked_at FROM blocks WHERE released_at IS NULL ORDER BY id"
            ).compactMap { row in
                guard let kind = FindingAction.Kind(rawValue: row["kind"]) else { return nil }
                return Block(kind: kind, target: row["target"], finding: row["finding_id"], since: row["blocked_at"])
            }
        }
    }
}

/// A reading as it travels in the outbox: the reading with its store id.
struct ReadingPayload: Codable {
    var id: Int64
    var reading: CheckReading
}

/// A block placed or lifted, as it travels in the outbox.
struct BlockPayload: Codable {
    var kind: FindingAction.Kind
    var target: String
    var blocked: Bool
    var finding: Int64?
}

extension SiteStore {
    /// The latest reading of `check` recorded for `person` at `workCentre` at or before `instant`.
    public func latestReading(of check: RuleID, by person: String, at workCentre: String, before instant: Date)
        throws(StoreError) -> CheckReading?
    {
        try read { db in
            try ReadingRecord.filter(
                Column("check_id") == check.rawValue && Column("recorded_by") == person
                    && Column("work_centre") == workCentre && Column("at") <= instant
            ).order(Column("at").desc, Column("id").desc).fetchOne(db)?.reading
        }
    }
}
