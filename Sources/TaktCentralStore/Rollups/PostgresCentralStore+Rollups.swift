import Foundation
import Logging
import PostgresNIO
import TaktCore
import TaktStore

extension PostgresCentralStore {
    /// `CentralStore.roll` on PostgreSQL: the marks of the batch in one statement, then one upsert per day.
    static func roll(
        _ contributions: [Rollup.Contribution], site: String, connection: PostgresConnection, logger: Logger
    ) async throws {
        guard !contributions.isEmpty else { return }
        var marks: [(day: String, kind: String, key: String)] = []
        var seen: Set<String> = []
        for contribution in contributions {
            guard let mark = contribution.mark else { continue }
            let day = contribution.day.description
            if seen.insert("\(day)\u{0}\(mark.kind)\u{0}\(mark.key)").inserted {
                marks.append((day, mark.kind, mark.key))
            }
        }
        var fresh: Set<String> = []
        if !marks.isEmpty {
            let rows = try await connection.query(
                """
                INSERT INTO rollup_marks (site, day, kind, key)
                SELECT \(site), m.day, m.kind, m.key
                FROM unnest(\(marks.map(\.day))::text[], \(marks.map(\.kind))::text[], \(marks.map(\.key))::text[])
                    AS m(day, kind, key)
                ON CONFLICT DO NOTHING RETURNING day, kind, key
                """, logger: logger)
            for try await (day, kind, key) in rows.decode((String, String, String).self) {
                fresh.insert("\(day)\u{0}\(kind)\u{0}\(key)")
            }
        }
        let counted = contributions.filter { contribution in
            guard let mark = contribution.mark else { return true }
            // Each new mark counts once, for its first contribution in the batch.
            return fresh.remove("\(contribution.day.description)\u{0}\(mark.kind)\u{0}\(mark.key)") != nil
        }
        let sql = DailyKPIs.upsertSQL { "$\($0)" }
        for (day, kpis) in Rollup.byDay(counted) {
            var bindings = PostgresBindings()
            bindings.append(site)
            bindings.append(day.description)
            for column in DailyKPIs.sumColumns { bindings.append(kpis[keyPath: column.value]) }
            for column in DailyKPIs.countColumns { bindings.append(Int64(kpis[keyPath: column.value])) }
            bindings.append(kpis.scheduleAt)
            bindings.append(kpis.onTimeShare)
            bindings.append(kpis.lateOrders.map(Int64.init))
            bindings.append(kpis.adherenceAt)
            bindings.append(kpis.ordersDue.map(Int64.init))
            bindings.append(kpis.ordersOnTime.map(Int64.init))
            bindings.append(kpis.trainingAt)
            bindings.append(kpis.certificatesNeeded.map(Int64.init))
            bindings.append(kpis.certificatesValid.map(Int64.init))
            try await connection.query(PostgresQuery(unsafeSQL: sql, binds: bindings), logger: logger)
        }
    }

    public func daily(site: String, from: LocalDate, to: LocalDate) async throws -> [DailyKPIs] {
        let rows = try await client.query(
            PostgresQuery(
                unsafeSQL:
                    "SELECT \(DailyKPIs.selectColumns) FROM daily_kpis WHERE site = $1 AND day >= $2 AND day <= $3 ORDER BY day",
                binds: Self.bindings(site, from.description, to.description)), logger: logger)
        return try await Self.days(rows)
    }

    static func bindings(_ values: String...) -> PostgresBindings {
        var bindings = PostgresBindings()
        for value in values { bindings.append(value) }
        return bindings
    }

    static func days(_ rows: PostgresRowSequence) async throws -> [DailyKPIs] {
        var result: [DailyKPIs] = []
        for try await row in rows {
            let columns = row.makeRandomAccess()
            guard let day = LocalDate(parsing: try columns["day"].decode(String.self)) else { continue }
            var kpis = DailyKPIs(day: day)
            for column in DailyKPIs.sumColumns {
                kpis[keyPath: column.value] = try columns[column.name].decode(Double.self)
            }
            for column in DailyKPIs.countColumns {
                kpis[keyPath: column.value] = Int(try columns[column.name].decode(Int64.self))
            }
            kpis.scheduleAt = try columns["schedule_at"].decode(Double?.self)
            kpis.onTimeShare = try columns["on_time_share"].decode(Double?.self)
            kpis.lateOrders = try columns["late_orders"].decode(Int64?.self).map(Int.init)
            kpis.adherenceAt = try columns["adherence_at"].decode(Double?.self)
            kpis.ordersDue = try columns["orders_due"].decode(Int64?.self).map(Int.init)
            kpis.ordersOnTime = try columns["orders_on_time"].decode(Int64?.self).map(Int.init)
            kpis.trainingAt = try columns["training_at"].decode(Double?.self)
            kpis.certificatesNeeded = try columns["certificates_needed"].decode(Int64?.self).map(Int.init)
            kpis.certificatesValid = try columns["certificates_valid"].decode(Int64?.self).map(Int.init)
            result.append(kpis)
        }
        return result
    }

    public func rebuildRollups(site: String, zone: TimeZone, from: LocalDate?) async throws -> Int {
        let logger = self.logger
        return try await client.withTransaction(logger: logger) { connection in
            // The ingest lock: no batch of this site lands while its days are recomputed.
            try await connection.query("SELECT pg_advisory_xact_lock(hashtext(\(site)))", logger: logger)
            let first = from?.description ?? ""
            try await connection.query(
                "DELETE FROM daily_kpis WHERE site = \(site) AND day >= \(first)", logger: logger)
            try await connection.query(
                "DELETE FROM rollup_marks WHERE site = \(site) AND day >= \(first)", logger: logger)
            let since = from.map { Rollup.earliestRecord(for: $0) } ?? Date(timeIntervalSince1970: -62_135_596_800)
            var contributions: [Rollup.Contribution] = []
            var count = 0
            for try await (kind, key, payload, created) in try await connection.query(
                PostgresQuery(
                    unsafeSQL: """
                        SELECT kind, key, payload, created_at FROM records
                        WHERE site = $1 AND created_at >= $2 AND kind IN \(Rollup.kindList) ORDER BY received_at, epoch, seq
                        """,
                    binds: {
                        var bindings = PostgresBindings()
                        bindings.append(site)
                        bindings.append(since)
                        return bindings
                    }()), logger: logger
            ).decode((String, String, String, Date).self) {
                count += 1
                guard
                    let contribution = Rollup.contribution(
                        kind: kind, key: key, payload: payload, createdAt: created, zone: zone),
                    from.map({ contribution.day >= $0 }) ?? true
                else { continue }
                contributions.append(contribution)
            }
            try await Self.roll(contributions, site: site, connection: connection, logger: logger)
            return count
        }
    }

    public func meta(_ name: String) async throws -> String? {
        for try await value in try await client.query(
            "SELECT value FROM central_meta WHERE name = \(name)", logger: logger
        ).decode(String.self) { return value }
        return nil
    }

    public func setMeta(_ name: String, _ value: String?) async throws {
        if let value {
            try await client.query(
                """
                INSERT INTO central_meta (name, value) VALUES (\(name), \(value))
                ON CONFLICT (name) DO UPDATE SET value = EXCLUDED.value
                """, logger: logger)
        } else {
            try await client.query("DELETE FROM central_meta WHERE name = \(name)", logger: logger)
        }
    }

    public func stateRows(
        site: String, kind: String, status: String?, severity: String?, since: Date?, limit: Int, offset: Int
    ) async throws -> (payloads: [String], total: Int) {
        var bindings = PostgresBindings()
        bindings.append(site)
        bindings.append(kind)
        var filter = "site = $1 AND kind = $2"
        if let status {
            bindings.append(status)
            filter += " AND status = $\(bindings.count)"
        }
        if let severity {
            bindings.append(severity)
            filter += " AND severity = $\(bindings.count)"
        }
        if let since {
            bindings.append(since.timeIntervalSince1970)
            filter += " AND at >= $\(bindings.count)"
        }
        var total = 0
        for try await count in try await client.query(
            PostgresQuery(unsafeSQL: "SELECT COUNT(*) FROM state WHERE \(filter)", binds: bindings), logger: logger
        ).decode(Int64.self) { total = Int(count) }
        var page = bindings
        page.append(Int64(limit))
        page.append(Int64(offset))
        var payloads: [String] = []
        for try await payload in try await client.query(
            PostgresQuery(
                unsafeSQL:
                    "SELECT payload FROM state WHERE \(filter) ORDER BY at DESC NULLS LAST, key DESC LIMIT $\(page.count - 1) OFFSET $\(page.count)",
                binds: page), logger: logger
        ).decode(String.self) { payloads.append(payload) }
        return (payloads, total)
    }
}
