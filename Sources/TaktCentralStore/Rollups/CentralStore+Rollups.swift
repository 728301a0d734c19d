import Foundation
import GRDB
import PostgresNIO
import TaktCore
import TaktStore

extension CentralStore {
    /// Adds contributions to their days, counting a marked one only when its mark is new. Runs inside the
    /// transaction that stores the records.
    static func roll(_ contributions: [Rollup.Contribution], site: String, db: Database) throws {
        guard !contributions.isEmpty else { return }
        let mark = try db.cachedStatement(
            sql: "INSERT OR IGNORE INTO rollup_marks (site, day, kind, key) VALUES (?, ?, ?, ?)")
        var counted: [Rollup.Contribution] = []
        for contribution in contributions {
            if let once = contribution.mark {
                try mark.execute(arguments: [site, contribution.day.description, once.kind, once.key])
                if db.changesCount == 0 { continue }
            }
            counted.append(contribution)
        }
        let upsert = try db.cachedStatement(sql: DailyKPIs.upsertSQL { _ in "?" })
        for (day, kpis) in Rollup.byDay(counted) {
            var arguments: [(any DatabaseValueConvertible)?] = [site, day.description]
            arguments += DailyKPIs.sumColumns.map { kpis[keyPath: $0.value] }
            arguments += DailyKPIs.countColumns.map { kpis[keyPath: $0.value] }
            arguments += [kpis.scheduleAt, kpis.onTimeShare, kpis.lateOrders]
            arguments += [kpis.adherenceAt, kpis.ordersDue, kpis.ordersOnTime]
            arguments += [kpis.trainingAt, kpis.certificatesNeeded, kpis.certificatesValid]
            try upsert.execute(arguments: StatementArguments(arguments))
        }
    }

    /// A site's roll-ups from `from` to `to` (inclusive, site-local days), oldest first; days without a row are
    /// left out.
    public func daily(site: String, from: LocalDate, to: LocalDate) async throws(StoreError) -> [DailyKPIs] {
        try await read { db in
            try Row.fetchAll(
                db,
                sql:
                    "SELECT \(DailyKPIs.selectColumns) FROM daily_kpis WHERE site = ? AND day >= ? AND day <= ? ORDER BY day",
                arguments: [site, from.description, to.description]
            ).compactMap { row in
                guard let day = LocalDate(parsing: row["day"]) else { return nil }
                var kpis = DailyKPIs(day: day)
                for column in DailyKPIs.sumColumns { kpis[keyPath: column.value] = row[column.name] }
                for column in DailyKPIs.countColumns { kpis[keyPath: column.value] = row[column.name] }
                kpis.scheduleAt = row["schedule_at"]
                kpis.onTimeShare = row["on_time_share"]
                kpis.lateOrders = row["late_orders"]
                kpis.adherenceAt = row["adherence_at"]
                kpis.ordersDue = row["orders_due"]
                kpis.ordersOnTime = row["orders_on_time"]
                kpis.trainingAt = row["training_at"]
                kpis.certificatesNeeded = row["certificates_needed"]
                kpis.certificatesValid = row["certificates_valid"]
                return kpis
            }
        }
    }

    /// Recomputes a site's roll-ups from its stored records: days from `from` on (every day when nil) are
    /// deleted with their marks and folded again, in one transaction. Returns the number of records read.
    @discardableResult
    public func rebuildRollups(site: String, zone: TimeZone, from: LocalDate?) async throws(StoreError) -> Int {
        try await write { db in
            let first = from?.description ?? ""
            try db.execute(sql: "DELETE FROM daily_kpis WHERE site = ? AND day >= ?", arguments: [site, first])
            try db.execute(sql: "DELETE FROM rollup_marks WHERE site = ? AND day >= ?", arguments: [site, first])
            // A record counts on a day no earlier than two days before it was made (time zones, report periods
            // ending after midnight), so records from two days before `from` are enough.
            let since = from.map { Rollup.earliestRecord(for: $0) } ?? .distantPast
            let rows = try Row.fetchCursor(
                db,
                sql: """
                    SELECT kind, key, payload, created_at FROM records
                    WHERE site = ? AND created_at >= ? AND kind IN \(Rollup.kindList) ORDER BY received_at, epoch, seq
                    """, arguments: [site, since])
            var contributions: [Rollup.Contribution] = []
            var count = 0
            while let row = try rows.next() {
                count += 1
                guard
                    let contribution = Rollup.contribution(
                        kind: row["kind"], key: row["key"], payload: row["payload"], createdAt: row.date("created_at"),
                        zone: zone), from.map({ contribution.day >= $0 }) ?? true
                else { continue }
                contributions.append(contribution)
            }
            try Self.roll(contributions, site: site, db: db)
            return count
        }
    }

    /// A named value of central's own (`rollups_stale`, `archived_before`), or nil.
    public func meta(_ name: String) async throws(StoreError) -> String? {
        try await read { db in
            try String.fetchOne(db, sql: "SELECT value FROM central_meta WHERE name = ?", arguments: [name])
        }
    }

    public func setMeta(_ name: String, _ value: String?) async throws(StoreError) {
        try await write { db in
            if let value {
                try db.execute(
                    sql:
                        "INSERT INTO central_meta (name, value) VALUES (?, ?) ON CONFLICT (name) DO UPDATE SET value = excluded.value",
                    arguments: [name, value])
            } else {
                try db.execute(sql: "DELETE FROM central_meta WHERE name = ?", arguments: [name])
            }
        }
    }
}

extension Rollup {
    /// The kinds that contribute to roll-ups, as an SQL list.
    static let kindList =
        "('check_reading', 'production', 'finding', 'lot', 'incident', 'cost', 'schedule', 'adherence', 'training')"

    /// The earliest creation time of a record that can count on `day` or later, in any time zone.
    public static func earliestRecord(for day: LocalDate) -> Date {
        day.instant(in: TimeZone(identifier: "UTC")!).addingTimeInterval(-2 * 86_400)
    }
}

/// A period's roll-ups of one site summed by the database (its orders due and on time too), with the mean
/// adherence of its days that had only a plan (from sites that do not judge adherence yet).
public struct PeriodTotal: Sendable, Hashable {
    public var total: DailyKPIs
    public var meanAdherence: Double?

    /// The period's schedule adherence: its orders on time ÷ its orders due, or for a site that does not judge
    /// adherence yet, the mean of its plans' shares.
    public var adherence: Double? { total.ordersDue == nil ? meanAdherence : total.adherence }

    /// `SUM(column)` for every summed column, then `AVG(on_time_share)`, `SUM(orders_due)`, `SUM(orders_on_time)`,
    /// `SUM(certificates_needed)`, `SUM(certificates_valid)`.
    static var selectColumns: String {
        (DailyKPIs.sumColumns.map { "SUM(\($0.name))" } + DailyKPIs.countColumns.map { "SUM(\($0.name))" }
            + [
                "AVG(on_time_share)", "SUM(orders_due)", "SUM(orders_on_time)", "SUM(certificates_needed)",
                "SUM(certificates_valid)",
            ]).joined(separator: ", ")
    }
}

extension CentralStore {
    /// Each site's roll-ups from `from` to `to` summed in the database (the comparison over a period).
    public func totals(sites: [String], from: LocalDate, to: LocalDate) async throws(StoreError) -> [String:
        PeriodTotal]
    {
        try await read { db in
            let statement = try db.cachedStatement(
                sql:
                    "SELECT \(PeriodTotal.selectColumns) FROM daily_kpis WHERE site = ? AND day >= ? AND day <= ?")
            var result: [String: PeriodTotal] = [:]
            for site in sites {
                // SUM over no rows is NULL: a site without a day in the period has no total (as on PostgreSQL).
                guard let row = try Row.fetchOne(statement, arguments: [site, from.description, to.description]),
                    (row[0] as Double?) != nil
                else { continue }
                var total = DailyKPIs(day: to)
                var index = 0
                for column in DailyKPIs.sumColumns {
                    total[keyPath: column.value] = row[index] ?? 0
                    index += 1
                }
                for column in DailyKPIs.countColumns {
                    total[keyPath: column.value] = row[index] ?? 0
                    index += 1
                }
                total.ordersDue = row[index + 1]
                total.ordersOnTime = row[index + 2]
                total.certificatesNeeded = row[index + 3]
                total.certificatesValid = row[index + 4]
                result[site] = PeriodTotal(total: total, meanAdherence: row[index])
            }
            return result
        }
    }
}

extension PostgresCentralStore {
    /// One query for all the sites, grouped by site.
    public func totals(sites: [String], from: LocalDate, to: LocalDate) async throws -> [String: PeriodTotal] {
        let columns =
            ["site"] + DailyKPIs.sumColumns.map { "COALESCE(SUM(\($0.name)), 0)::float8" }
            + DailyKPIs.countColumns.map { "COALESCE(SUM(\($0.name)), 0)::bigint" } + [
                "AVG(on_time_share)::float8", "SUM(orders_due)::bigint", "SUM(orders_on_time)::bigint",
                "SUM(certificates_needed)::bigint", "SUM(certificates_valid)::bigint",
            ]
        var bindings = PostgresBindings()
        bindings.append(sites)
        bindings.append(from.description)
        bindings.append(to.description)
        let rows = try await client.query(
            PostgresQuery(
                unsafeSQL: """
                    SELECT \(columns.joined(separator: ", ")) FROM daily_kpis
                    WHERE site = ANY($1) AND day >= $2 AND day <= $3 GROUP BY site
                    """, binds: bindings), logger: logger)
        var result: [String: PeriodTotal] = [:]
        for try await row in rows {
            let cells = row.makeRandomAccess()
            var total = DailyKPIs(day: to)
            var index = 1
            for column in DailyKPIs.sumColumns {
                total[keyPath: column.value] = try cells[index].decode(Double.self)
                index += 1
            }
            for column in DailyKPIs.countColumns {
                total[keyPath: column.value] = Int(try cells[index].decode(Int64.self))
                index += 1
            }
            total.ordersDue = try cells[index + 1].decode(Int64?.self).map(Int.init)
            total.ordersOnTime = try cells[index + 2].decode(Int64?.self).map(Int.init)
            total.certificatesNeeded = try cells[index + 3].decode(Int64?.self).map(Int.init)
            total.certificatesValid = try cells[index + 4].decode(Int64?.self).map(Int.init)
            result[try cells[0].decode(String.self)] = PeriodTotal(
                total: total, meanAdherence: try cells[index].decode(Double?.self))
        }
        return result
    }
}
