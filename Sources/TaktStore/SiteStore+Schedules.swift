import Foundation
import GRDB
import TaktCore

extension SiteStore {
    /// Stores a schedule as the current plan, with its summary in the outbox, in one transaction.
    @discardableResult
    public func saveSchedule(_ summary: ScheduleSummary, rows: [ScheduleRow]) throws(StoreError) -> Int64 {
        let epoch = self.epoch
        return try write { db in
            let encoder = JSONEncoder()
            encoder.dateEncodingStrategy = .iso8601
            try db.execute(
                sql: "INSERT INTO schedules (created_at, summary) VALUES (?, ?)",
                arguments: [summary.createdAt, String(decoding: try encoder.encode(summary), as: UTF8.self)])
            let id = db.lastInsertedRowID
            for row in rows {
                try db.execute(
                    sql: """
                        INSERT INTO schedule_rows (schedule_id, kind, order_id, operation, product, work_centre, unit,
                            start_at, end_at, task, rule, crew, crew_pieces) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                        """,
                    arguments: [
                        id, row.kind.rawValue, row.order, row.operation, row.product, row.workCentre, row.unit,
                        row.start, row.end, row.task, row.rule, try row.crew.map(Self.outboxJSON),
                        try row.crewPieces.map(Self.outboxJSON),
                    ])
            }
            // Central draws the Gantt chart from the rows: they travel with the summary (the first 3,000).
            let snapshot = ScheduleSnapshot(summary: summary, rows: Array(rows.prefix(3000)))
            try Self.enqueue(
                db, epoch: epoch, kind: "schedule", class: .state, key: "current", payload: snapshot,
                at: summary.createdAt)
            return id
        }
    }

    /// The newest stored schedule, if any.
    public func currentSchedule() throws(StoreError) -> (summary: ScheduleSummary, rows: [ScheduleRow])? {
        try read { db in
            guard let row = try Row.fetchOne(db, sql: "SELECT id, summary FROM schedules ORDER BY id DESC LIMIT 1")
            else {
                return nil
            }
            let decoder = JSONDecoder()
            decoder.dateDecodingStrategy = .iso8601
            let summary = try decoder.decode(ScheduleSummary.self, from: Data((row["summary"] as String).utf8))
            let rows = try Row.fetchAll(
                db, sql: "SELECT * FROM schedule_rows WHERE schedule_id = ? ORDER BY work_centre, unit, start_at",
                arguments: [row["id"] as Int64]
            ).map { item in
                ScheduleRow(
                    kind: ScheduleRow.Kind(rawValue: item["kind"]) ?? .operation, order: item["order_id"],
                    operation: item["operation"], product: item["product"], workCentre: item["work_centre"],
                    unit: item["unit"], start: item["start_at"], end: item["end_at"], task: item["task"],
                    rule: item["rule"],
                    crew: (item["crew"] as String?).flatMap { try? decoder.decode([String].self, from: Data($0.utf8)) },
                    crewPieces: (item["crew_pieces"] as String?).flatMap {
                        try? decoder.decode([ScheduleRow.CrewPiece].self, from: Data($0.utf8))
                    })
            }
            return (summary, rows)
        }
    }

    /// When the newest schedule (the plan of record) finishes each of `orders` that it planned.
    public func plannedFinish(of orders: [String]) throws(StoreError) -> [String: Date] {
        guard !orders.isEmpty else { return [:] }
        return try read { db in
            let rows = try Row.fetchAll(
                db,
                sql: """
                    SELECT order_id, MAX(end_at) AS finish FROM schedule_rows
                    WHERE schedule_id = (SELECT MAX(id) FROM schedules) AND kind = 'operation'
                        AND order_id IN (SELECT value FROM json_each(?))
                    GROUP BY order_id
                    """, arguments: [String(decoding: try JSONEncoder().encode(orders), as: UTF8.self)])
            return Dictionary(rows.map { ($0["order_id"] as String, $0["finish"] as Date) }, uniquingKeysWith: max)
        }
    }

    /// Changes an open order for a disruption: a new priority (a rush), a new quantity, or cancelled.
    public func amendOrder(
        _ id: String, priority: Int? = nil, quantity: Double? = nil, cancel: Bool = false, at now: Date
    ) throws(StoreError) -> Order {
        let epoch = self.epoch
        return try write { db in
            guard var record = try OrderRecord.fetchOne(db, key: id), record.status == "open" else {
                throw StoreError.notFound(kind: "open order", id: id)
            }
            if let priority { record.priority = priority }
            if let quantity { record.quantity = quantity }
            if cancel { record.status = "cancelled" }
            try record.update(db)
            try Self.enqueue(db, epoch: epoch, kind: "order", class: .state, key: id, payload: record.order, at: now)
            return record.order
        }
    }
}
