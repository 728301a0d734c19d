import Foundation
import GRDB
import TaktCore

extension SiteStore {
    /// Records a production report with its outbox row, in one transaction with the lot it made (`output`) and
    /// what it used (`consumption`, each into that lot). Returns false, and writes nothing, when the very same
    /// report (work centre, product, order, period and counts) is already stored; a movement that would take
    /// more than a lot holds, or from a lot not released, refuses the whole report.
    @discardableResult
    public func recordProduction(_ report: ProductionReport, output: Lot? = nil, consumption: [StockMovement] = [])
        throws(StoreError) -> Bool
    {
        let epoch = self.epoch
        return try write { db in
            let same = try Bool.fetchOne(
                db,
                sql: """
                    SELECT EXISTS (SELECT 1 FROM production_reports WHERE work_centre = ? AND product = ?
                        AND order_id IS ? AND from_at = ? AND to_at = ? AND good = ? AND scrap = ?)
                    """,
                arguments: [
                    report.workCentre, report.product, report.order, report.from, report.to, report.good, report.scrap,
                ])
            if same == true { return false }
            try db.execute(
                sql: """
                    INSERT INTO production_reports (work_centre, product, order_id, from_at, to_at, planned_seconds,
                        down_seconds, good, scrap, ideal_seconds_per_unit, down_reason, output_lot)
                    VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                    """,
                arguments: [
                    report.workCentre, report.product, report.order, report.from, report.to, report.plannedSeconds,
                    report.downSeconds, report.good, report.scrap, report.idealSecondsPerUnit, report.downReason,
                    output?.id,
                ])
            try Self.enqueue(
                db, epoch: epoch, kind: "production", class: .fact, key: String(db.lastInsertedRowID), payload: report,
                at: report.to)
            if let output {
                guard try !LotRecord.exists(db, key: output.id) else {
                    throw StoreError.rejected(reason: "lot '\(output.id)' already exists")
                }
                try LotRecord(output).insert(db)
                try Self.enqueue(
                    db, epoch: epoch, kind: "lot", class: .state, key: output.id, payload: output, at: report.to)
            }
            for movement in consumption { _ = try Self.move(movement, epoch: epoch, db: db) }
            return true
        }
    }

    /// Production reports that end within `window`.
    public func productionReports(in window: DateInterval) throws(StoreError) -> [ProductionReport] {
        try read { db in
            try Row.fetchAll(
                db, sql: "SELECT * FROM production_reports WHERE to_at > ? AND to_at <= ? ORDER BY to_at",
                arguments: [window.start, window.end]
            ).map(Self.productionReport)
        }
    }

    static func productionReport(_ row: Row) -> ProductionReport {
        var report = ProductionReport(
            workCentre: row["work_centre"], product: row["product"], order: row["order_id"], from: row["from_at"],
            to: row["to_at"], plannedSeconds: row["planned_seconds"], downSeconds: row["down_seconds"],
            good: row["good"], scrap: row["scrap"], idealSecondsPerUnit: row["ideal_seconds_per_unit"])
        report.downReason = row["down_reason"]
        return report
    }
}
