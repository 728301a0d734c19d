import Foundation
import GRDB
import TaktCore

/// Meters and work orders. An asset's meter reads its last manual reading plus what production reports on the
/// asset added since; a work order is kept whole as JSON with the columns lists filter on.
extension SiteStore {
    static func registerMaintenanceMigration(_ migrator: inout DatabaseMigrator) {
        migrator.registerMigration("v15-maintenance") { db in
            try db.execute(
                sql: """
                    CREATE TABLE meter_readings (
                        id INTEGER PRIMARY KEY AUTOINCREMENT,
                        asset TEXT NOT NULL,
                        meter TEXT NOT NULL CHECK (meter IN ('run_hours', 'units')),
                        value REAL NOT NULL CHECK (value >= 0),
                        replaced INTEGER NOT NULL DEFAULT 0 CHECK (replaced IN (0, 1)),
                        recorded_by TEXT,
                        at DATETIME NOT NULL
                    );
                    CREATE INDEX meter_readings_by_asset ON meter_readings (asset, meter, at);
                    CREATE TABLE work_orders (
                        id TEXT PRIMARY KEY NOT NULL CHECK (length(id) > 0),
                        asset TEXT NOT NULL,
                        kind TEXT NOT NULL CHECK (kind IN ('preventive', 'corrective')),
                        plan TEXT,
                        status TEXT NOT NULL CHECK (status IN ('open', 'in_progress', 'waiting_parts', 'done')),
                        opened_at DATETIME NOT NULL,
                        done_at DATETIME,
                        payload TEXT NOT NULL,
                        CHECK ((kind = 'preventive') = (plan IS NOT NULL)),
                        CHECK ((status = 'done') = (done_at IS NOT NULL))
                    );
                    CREATE INDEX work_orders_by_plan ON work_orders (plan, done_at);
                    CREATE INDEX production_reports_by_work_centre ON production_reports (work_centre, to_at);
                    CREATE TABLE schedule_rows_v15 (
                        schedule_id INTEGER NOT NULL REFERENCES schedules(id),
                        kind TEXT NOT NULL CHECK (kind IN ('operation', 'changeover', 'clean', 'maintenance')),
                        order_id TEXT NOT NULL,
                        operation TEXT NOT NULL,
                        product TEXT NOT NULL,
                        work_centre TEXT NOT NULL,
                        unit INTEGER NOT NULL CHECK (unit >= 1),
                        start_at DATETIME NOT NULL,
                        end_at DATETIME NOT NULL,
                        task TEXT,
                        rule TEXT,
                        CHECK (end_at >= start_at)
                    );
                    INSERT INTO schedule_rows_v15 SELECT * FROM schedule_rows;
                    DROP TABLE schedule_rows;
                    ALTER TABLE schedule_rows_v15 RENAME TO schedule_rows;
                    CREATE INDEX schedule_rows_by_schedule ON schedule_rows (schedule_id, work_centre, start_at);
                    """)
        }
    }

    /// A manual meter reading, as `recordMeter` stores it.
    public struct MeterReading: Hashable, Sendable, Codable {
        public var asset: String
        public var meter: Meter
        public var value: Double
        /// The meter was replaced: a reading below the last one is the new meter's.
        public var replaced: Bool
        public var by: String?
        public var at: Date

        public init(asset: String, meter: Meter, value: Double, replaced: Bool, by: String?, at: Date) {
            self.asset = asset
            self.meter = meter
            self.value = value
            self.replaced = replaced
            self.by = by
            self.at = at
        }
    }

    /// What the asset's meters read at `at`: each meter's last reading at or before then, plus what production
    /// reports on the asset ending after that reading (and by `at`) added.
    public func meters(asset: String, at: Date) throws(StoreError) -> [Meter: Double] {
        try read { db in try Self.meters(asset: asset, at: at, db: db) }
    }

    static func meters(asset: String, at: Date, db: Database) throws -> [Meter: Double] {
        var result: [Meter: Double] = [:]
        for meter in Meter.allCases {
            let last = try Row.fetchOne(
                db,
                sql: """
                    SELECT value, at FROM meter_readings WHERE asset = ? AND meter = ? AND at <= ?
                    ORDER BY at DESC, id DESC LIMIT 1
                    """, arguments: [asset, meter.rawValue, at])
            let since: Date = last?["at"] ?? .distantPast
            let added =
                try Double.fetchOne(
                    db,
                    sql: """
                        SELECT COALESCE(SUM(\(meter == .runHours ? "(planned_seconds - down_seconds) / 3600.0" : "good + scrap")), 0)
                        FROM production_reports WHERE work_centre = ? AND to_at > ? AND to_at <= ?
                        """, arguments: [asset, since, at]) ?? 0
            result[meter] = (last?["value"] ?? 0) + added
        }
        return result
    }

    /// When the asset's meter first read `target` or more by `at`: the end of the production report that took it
    /// there, walking back from now; nil when a manual reading, not production, took it there.
    public func reached(asset: String, meter: Meter, target: Double, at: Date) throws(StoreError) -> Date? {
        try read { db in
            var value = try Self.meters(asset: asset, at: at, db: db)[meter] ?? 0
            guard value >= target else { return nil }
            let lastReading =
                try Date.fetchOne(
                    db, sql: "SELECT MAX(at) FROM meter_readings WHERE asset = ? AND meter = ? AND at <= ?",
                    arguments: [asset, meter.rawValue, at]) ?? .distantPast
            let amount = meter == .runHours ? "(planned_seconds - down_seconds) / 3600.0" : "good + scrap"
            let rows = try Row.fetchCursor(
                db,
                sql: """
                    SELECT to_at, \(amount) AS amount FROM production_reports
                    WHERE work_centre = ? AND to_at > ? AND to_at <= ? ORDER BY to_at DESC, id DESC
                    """, arguments: [asset, lastReading, at])
            while let row = try rows.next() {
                let before = value - (row["amount"] as Double)
                if before < target { return row["to_at"] as Date }
                value = before
            }
            return nil
        }
    }

    /// Stores a manual reading; one below what the meter reads now is refused unless the meter was replaced.
    public func recordMeter(_ reading: MeterReading) throws(StoreError) {
        let epoch = self.epoch
        try write { db in
            let current = try Self.meters(asset: reading.asset, at: reading.at, db: db)[reading.meter] ?? 0
            guard reading.replaced || reading.value >= current - 1e-9 else {
                throw StoreError.rejected(
                    reason: "\(reading.asset)'s \(reading.meter.name) meter reads \(CriticalLimits.format(current)); "
                        + "\(CriticalLimits.format(reading.value)) is lower (say the meter was replaced if it was)")
            }
            try db.execute(
                sql:
                    "INSERT INTO meter_readings (asset, meter, value, replaced, recorded_by, at) VALUES (?, ?, ?, ?, ?, ?)",
                arguments: [
                    reading.asset, reading.meter.rawValue, reading.value, reading.replaced, reading.by, reading.at,
                ])
            try Self.enqueue(
                db, epoch: epoch, kind: "meter_reading", class: .fact, key: String(db.lastInsertedRowID),
                payload: reading, at: reading.at)
        }
    }

    /// Stores a new work order or its new state, with its outbox row; with `parts`, the stock movements that take
    /// them, in the same transaction. A new one with an empty id becomes the next `WO-n`. Returns it as stored.
    @discardableResult
    public func save(_ order: WorkOrder, isNew: Bool, parts: [StockMovement] = [], at now: Date) throws(StoreError)
        -> WorkOrder
    {
        let epoch = self.epoch
        return try write { db in
            var order = order
            if isNew, order.id.isEmpty { order.id = try Self.nextID("WO-", in: "work_orders", db: db) }
            let exists =
                try Bool.fetchOne(
                    db, sql: "SELECT EXISTS (SELECT 1 FROM work_orders WHERE id = ?)", arguments: [order.id]) ?? false
            if isNew, exists { throw StoreError.rejected(reason: "work order '\(order.id)' already exists") }
            if !isNew, !exists { throw StoreError.notFound(kind: "work order", id: order.id) }
            let payload = try Self.outboxJSON(order)
            try db.execute(
                sql: """
                    INSERT INTO work_orders (id, asset, kind, plan, status, opened_at, done_at, payload)
                    VALUES (?, ?, ?, ?, ?, ?, ?, ?)
                    ON CONFLICT (id) DO UPDATE SET status = excluded.status, done_at = excluded.done_at,
                        payload = excluded.payload
                    """,
                arguments: [
                    order.id, order.asset, order.kind.rawValue, order.plan, order.status.rawValue, order.openedAt,
                    order.doneAt, payload,
                ])
            for movement in parts { _ = try Self.move(movement, epoch: epoch, db: db) }
            try Self.enqueue(
                db, epoch: epoch, kind: "work_order", class: .state, key: order.id, payload: order, at: now)
            return order
        }
    }

    /// Work orders, newest first; only those not done with `openOnly`.
    public func workOrders(openOnly: Bool = false, asset: String? = nil) throws(StoreError) -> [WorkOrder] {
        try read { db in
            var sql = "SELECT payload FROM work_orders WHERE 1 = 1"
            var arguments: StatementArguments = []
            if openOnly { sql += " AND status <> 'done'" }
            if let asset {
                sql += " AND asset = ?"
                arguments += [asset]
            }
            return try String.fetchAll(db, sql: sql + " ORDER BY opened_at DESC, id DESC", arguments: arguments)
                .compactMap(Self.workOrder(json:))
        }
    }

    public func workOrder(_ id: String) throws(StoreError) -> WorkOrder? {
        try read { db in
            try String.fetchOne(db, sql: "SELECT payload FROM work_orders WHERE id = ?", arguments: [id])
                .flatMap(Self.workOrder(json:))
        }
    }

    /// The last time each plan was done (its latest done preventive work order), with the meters then.
    public func lastDone(plans: [MaintenancePlan]) throws(StoreError) -> [String: (at: Date, meters: [Meter: Double])] {
        try read { db in
            var result: [String: (at: Date, meters: [Meter: Double])] = [:]
            for plan in plans {
                guard
                    let at = try Date.fetchOne(
                        db, sql: "SELECT MAX(done_at) FROM work_orders WHERE plan = ? AND status = 'done'",
                        arguments: [plan.id])
                else { continue }
                result[plan.id] = (at, try Self.meters(asset: plan.asset, at: at, db: db))
            }
            return result
        }
    }

    static func workOrder(json: String) -> WorkOrder? {
        let decoder = JSONDecoder()
        decoder.dateDecodingStrategy = .iso8601
        return try? decoder.decode(WorkOrder.self, from: Data(json.utf8))
    }
}
