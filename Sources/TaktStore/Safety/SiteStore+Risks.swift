import Foundation
import GRDB
import TaktCore

/// Risk assessments, kept whole as JSON with the columns lists filter on.
extension SiteStore {
    static func registerRiskMigration(_ migrator: inout DatabaseMigrator) {
        migrator.registerMigration("v20-risk-assessments") { db in
            try db.execute(
                sql: """
                    CREATE TABLE risk_assessments (
                        id TEXT PRIMARY KEY NOT NULL CHECK (length(id) > 0),
                        work_centre TEXT,
                        review_by TEXT NOT NULL,
                        payload TEXT NOT NULL CHECK (json_valid(payload))
                    );
                    """)
        }
    }

    /// Stores a new assessment (numbered the next `RA-n` when its id is empty) or its reviewed state, with its
    /// outbox row. Returns it as stored.
    @discardableResult
    public func save(_ assessment: RiskAssessment, isNew: Bool, at now: Date) throws(StoreError) -> RiskAssessment {
        let epoch = self.epoch
        return try write { db in
            var assessment = assessment
            if isNew, assessment.id.isEmpty {
                assessment.id = try Self.nextID("RA-", in: "risk_assessments", db: db)
            }
            let exists =
                try Bool.fetchOne(
                    db, sql: "SELECT EXISTS (SELECT 1 FROM risk_assessments WHERE id = ?)", arguments: [assessment.id])
                ?? false
            if isNew, exists { throw StoreError.rejected(reason: "risk assessment '\(assessment.id)' already exists") }
            if !isNew, !exists { throw StoreError.notFound(kind: "risk assessment", id: assessment.id) }
            try db.execute(
                sql: """
                    INSERT INTO risk_assessments (id, work_centre, review_by, payload) VALUES (?, ?, ?, ?)
                    ON CONFLICT (id) DO UPDATE SET review_by = excluded.review_by, payload = excluded.payload
                    """,
                arguments: [
                    assessment.id, assessment.workCentre, assessment.nextReviewBy.description,
                    try Self.outboxJSON(assessment),
                ])
            try Self.enqueue(
                db, epoch: epoch, kind: "risk_assessment", class: .state, key: assessment.id, payload: assessment,
                at: now)
            return assessment
        }
    }

    /// Every assessment, soonest review first.
    public func riskAssessments() throws(StoreError) -> [RiskAssessment] {
        try read { db in
            let decoder = JSONDecoder()
            decoder.dateDecodingStrategy = .iso8601
            return try String.fetchAll(db, sql: "SELECT payload FROM risk_assessments ORDER BY review_by, id")
                .compactMap { try? decoder.decode(RiskAssessment.self, from: Data($0.utf8)) }
        }
    }
}
