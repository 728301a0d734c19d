import Foundation
import GRDB
import TaktCore

/// People: the skills matrix (assessments, newest per person and skill counts), absences, training sessions with
/// their attendees, the certificates training gave, roster changes (swaps and covers cancel entries and add
/// others), and the crews of planned operations.
extension SiteStore {
    static func registerPeopleMigration(_ migrator: inout DatabaseMigrator) {
        migrator.registerMigration("v25-people") { db in
            try db.execute(
                sql: """
                    CREATE TABLE skill_assessments (
                        id INTEGER PRIMARY KEY AUTOINCREMENT,
                        staff TEXT NOT NULL CHECK (length(staff) > 0),
                        skill TEXT NOT NULL CHECK (length(skill) > 0),
                        level TEXT NOT NULL CHECK (level IN ('in_training', 'supervised', 'competent', 'can_train')),
                        assessed_on TEXT NOT NULL,
                        assessed_by TEXT NOT NULL,
                        note TEXT
                    );
                    CREATE INDEX skill_assessments_by_staff ON skill_assessments (staff, skill, assessed_on);
                    CREATE TABLE absences (
                        id INTEGER PRIMARY KEY AUTOINCREMENT,
                        staff TEXT NOT NULL,
                        kind TEXT NOT NULL CHECK (kind IN ('holiday', 'sickness', 'training', 'other')),
                        from_at DATETIME NOT NULL,
                        to_at DATETIME NOT NULL CHECK (to_at > from_at),
                        note TEXT,
                        reported_by TEXT
                    );
                    CREATE INDEX absences_by_time ON absences (to_at, from_at);
                    CREATE TABLE training_sessions (
                        id INTEGER PRIMARY KEY AUTOINCREMENT,
                        course TEXT NOT NULL,
                        at DATETIME NOT NULL,
                        trainer TEXT NOT NULL CHECK (length(trainer) > 0),
                        status TEXT NOT NULL CHECK (status IN ('planned', 'held', 'cancelled')),
                        payload TEXT NOT NULL CHECK (json_valid(payload))
                    );
                    CREATE TABLE staff_certificates (
                        id INTEGER PRIMARY KEY AUTOINCREMENT,
                        staff TEXT NOT NULL,
                        kind TEXT NOT NULL,
                        issued TEXT,
                        expires TEXT,
                        session_id INTEGER REFERENCES training_sessions(id)
                    );
                    ALTER TABLE roster ADD COLUMN cancelled_at DATETIME;
                    ALTER TABLE roster ADD COLUMN note TEXT;
                    ALTER TABLE schedule_rows ADD COLUMN crew TEXT;
                    ALTER TABLE schedule_rows ADD COLUMN crew_pieces TEXT;
                    """)
        }
    }

    // MARK: skills matrix

    /// Stores an assessment the host has checked, with its outbox row.
    public func saveAssessment(_ assessment: SkillAssessment, at now: Date) throws(StoreError) {
        let epoch = self.epoch
        try write { db in
            try db.execute(
                sql: """
                    INSERT INTO skill_assessments (staff, skill, level, assessed_on, assessed_by, note)
                    VALUES (?, ?, ?, ?, ?, ?)
                    """,
                arguments: [
                    assessment.staff, assessment.skill, assessment.level.rawValue, assessment.assessedOn.description,
                    assessment.by, assessment.note,
                ])
            try Self.enqueue(
                db, epoch: epoch, kind: "skill_assessment", class: .fact, key: String(db.lastInsertedRowID),
                payload: assessment, at: now)
        }
    }

    /// Every assessment, oldest first (a later one for the same person and skill replaces the earlier).
    public func assessments() throws(StoreError) -> [SkillAssessment] {
        try read { db in
            try Row.fetchAll(db, sql: "SELECT * FROM skill_assessments ORDER BY assessed_on, id").compactMap { row in
                guard let level = SkillLevel(rawValue: row["level"]),
                    let day = LocalDate(parsing: row["assessed_on"] as String)
                else { return nil }
                return SkillAssessment(
                    staff: row["staff"], skill: row["skill"], level: level, assessedOn: day, by: row["assessed_by"],
                    note: row["note"])
            }
        }
    }

    // MARK: absences

    /// Stores an absence the host has checked; returns it with its id.
    public func addAbsence(_ absence: Absence, at now: Date) throws(StoreError) -> Absence {
        let epoch = self.epoch
        return try write { db in
            try db.execute(
                sql: "INSERT INTO absences (staff, kind, from_at, to_at, note, reported_by) VALUES (?, ?, ?, ?, ?, ?)",
                arguments: [
                    absence.staff, absence.kind.rawValue, absence.from, absence.to, absence.note, absence.reportedBy,
                ])
            var stored = absence
            stored.id = db.lastInsertedRowID
            try Self.enqueue(
                db, epoch: epoch, kind: "absence", class: .fact, key: String(db.lastInsertedRowID), payload: stored,
                at: now)
            return stored
        }
    }

    /// Absences overlapping `window`, by start.
    public func absences(in window: DateInterval) throws(StoreError) -> [Absence] {
        try read { db in
            try Row.fetchAll(
                db, sql: "SELECT * FROM absences WHERE to_at > ? AND from_at < ? ORDER BY from_at, id",
                arguments: [window.start, window.end]
            ).map { row in
                Absence(
                    id: row["id"], staff: row["staff"], kind: Absence.Kind(rawValue: row["kind"]) ?? .other,
                    from: row["from_at"], to: row["to_at"], note: row["note"], reportedBy: row["reported_by"])
            }
        }
    }

    // MARK: training

    /// Stores a new session; returns it with its id.
    public func addSession(_ session: TrainingSession, at now: Date) throws(StoreError) -> TrainingSession {
        let epoch = self.epoch
        return try write { db in
            try db.execute(
                sql: "INSERT INTO training_sessions (course, at, trainer, status, payload) VALUES (?, ?, ?, ?, '{}')",
                arguments: [session.course, session.at, session.trainer, session.status.rawValue])
            var stored = session
            stored.id = db.lastInsertedRowID
            try db.execute(
                sql: "UPDATE training_sessions SET payload = ? WHERE id = ?",
                arguments: [try Self.outboxJSON(stored), stored.id])
            try Self.enqueue(
                db, epoch: epoch, kind: "training_session", class: .state, key: String(stored.id!), payload: stored,
                at: now)
            return stored
        }
    }

    /// Records a held (or cancelled) session: its attendees' outcomes, the certificates and skill levels a pass
    /// gives, together. Refused when the session is not planned any more.
    public func recordSession(
        _ session: TrainingSession, certificates: [(staff: String, certificate: Staff.Certificate)],
        assessments: [SkillAssessment], at now: Date
    ) throws(StoreError) {
        let epoch = self.epoch
        let granted = certificates.map { ($0.staff, $0.certificate) }
        try write { db in
            guard let id = session.id,
                let status = try String.fetchOne(
                    db, sql: "SELECT status FROM training_sessions WHERE id = ?", arguments: [id])
            else { throw StoreError.notFound(kind: "training session", id: session.id.map(String.init) ?? "") }
            guard status == "planned" else {
                throw StoreError.rejected(reason: "training session \(id) is already \(status)")
            }
            try db.execute(
                sql: "UPDATE training_sessions SET status = ?, payload = ? WHERE id = ?",
                arguments: [session.status.rawValue, try Self.outboxJSON(session), id])
            try Self.enqueue(
                db, epoch: epoch, kind: "training_session", class: .state, key: String(id), payload: session, at: now)
            for (staff, certificate) in granted {
                try db.execute(
                    sql:
                        "INSERT INTO staff_certificates (staff, kind, issued, expires, session_id) VALUES (?, ?, ?, ?, ?)",
                    arguments: [
                        staff, certificate.kind, certificate.issued?.description, certificate.expires?.description, id,
                    ])
            }
            for assessment in assessments {
                try db.execute(
                    sql: """
                        INSERT INTO skill_assessments (staff, skill, level, assessed_on, assessed_by, note)
                        VALUES (?, ?, ?, ?, ?, ?)
                        """,
                    arguments: [
                        assessment.staff, assessment.skill, assessment.level.rawValue,
                        assessment.assessedOn.description, assessment.by, assessment.note,
                    ])
                try Self.enqueue(
                    db, epoch: epoch, kind: "skill_assessment", class: .fact, key: String(db.lastInsertedRowID),
                    payload: assessment, at: now)
            }
        }
    }

    /// Training sessions, soonest first.
    public func sessions() throws(StoreError) -> [TrainingSession] {
        try read { db in
            let decoder = JSONDecoder()
            decoder.dateDecodingStrategy = .iso8601
            return try String.fetchAll(db, sql: "SELECT payload FROM training_sessions ORDER BY at, id")
                .compactMap { try? decoder.decode(TrainingSession.self, from: Data($0.utf8)) }
        }
    }

    /// Certificates training gave, per person, oldest first.
    public func trainedCertificates() throws(StoreError) -> [String: [Staff.Certificate]] {
        try read { db in
            var result: [String: [Staff.Certificate]] = [:]
            for row in try Row.fetchAll(db, sql: "SELECT * FROM staff_certificates ORDER BY id") {
                result[row["staff"], default: []].append(
                    Staff.Certificate(
                        kind: row["kind"], expires: (row["expires"] as String?).flatMap(LocalDate.init(parsing:)),
                        issued: (row["issued"] as String?).flatMap(LocalDate.init(parsing:))))
            }
            return result
        }
    }

    // MARK: roster changes

    /// Adds roster entries the rules accepted as one: all or none, each with its outbox row.
    public func addAssignments(_ assignments: [ShiftAssignment], note: String?, at now: Date) throws(StoreError) {
        let epoch = self.epoch
        try write { db in
            for assignment in assignments {
                var record = RosterRecord(assignment)
                record.note = note
                try record.insert(db)
                try Self.enqueue(
                    db, epoch: epoch, kind: "roster", class: .fact, key: String(db.lastInsertedRowID),
                    payload: assignment, at: now)
            }
        }
    }

    /// Cancels `remove` (entries as stored) and adds `add`, together: a swap, a cover or an overtime change.
    /// Central receives a `roster_change` naming both.
    public func changeRoster(
        remove: [ShiftAssignment], add: [ShiftAssignment], note: String, at now: Date
    ) throws(StoreError) {
        let epoch = self.epoch
        try write { db in
            for entry in remove {
                try db.execute(
                    sql: """
                        UPDATE roster SET cancelled_at = ?, note = ?
                        WHERE staff = ? AND start_at = ? AND end_at = ? AND cancelled_at IS NULL
                        """, arguments: [now, note, entry.staff, entry.start, entry.end])
                guard db.changesCount == 1 else {
                    throw StoreError.rejected(reason: "\(entry.staff) has no such roster entry to change")
                }
            }
            for assignment in add {
                var record = RosterRecord(assignment)
                record.note = note
                try record.insert(db)
            }
            try Self.enqueue(
                db, epoch: epoch, kind: "roster_change", class: .fact, key: UUID().uuidString,
                payload: RosterChange(removed: remove, added: add, note: note), at: now)
        }
    }
}

/// A swap, cover or overtime change as central receives it.
struct RosterChange: Encodable {
    var removed: [ShiftAssignment]
    var added: [ShiftAssignment]
    var note: String
}
