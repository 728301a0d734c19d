import Foundation
import GRDB
import PostgresNIO
import TaktCore
import TaktStore

/// Everything a site's tile or page needs from central's store, read in one go (one read transaction on SQLite,
/// one connection on PostgreSQL): what is open now, not the site's history. Payloads stay JSON text here; the
/// page decodes them and counts what does not decode.
public struct SiteSnapshot: Sendable {
    public var contact: CentralStore.SiteContact?
    public var openFindings: [String] = []
    public var lotsOnHold: [String] = []
    /// Incidents that happened since `incidentsSince`.
    public var incidents: [String] = []
    /// Findings, lots and incidents whose payloads central could not read.
    public var unreadable = 0
    /// The current schedule, when asked for in detail.
    public var schedule: String?
    /// The roll-up of the newest day with a plan: its adherence and late orders.
    public var lastPlan: DailyKPIs?
    public var publishedVersion = 0
    /// Production reports received in the last day.
    public var production: [String] = []
    public var checksDue: String?

    public init() {}
}

extension CentralStore {
    public func snapshot(site: String, now: Date, incidentsSince: Date, detail: Bool) async throws(StoreError)
        -> SiteSnapshot
    {
        try await read { db in
            var snapshot = SiteSnapshot()
            snapshot.contact = try Row.fetchOne(db, sql: "SELECT * FROM sites WHERE id = ?", arguments: [site]).map {
                SiteContact(
                    site: $0["id"], epoch: $0["epoch"], lastHeardAt: $0.optionalDate("last_heard_at"),
                    clockOffsetSeconds: $0["clock_offset_seconds"], configRunning: $0["config_running"])
            }
            func payloads(_ sql: String, _ arguments: StatementArguments) throws -> [String] {
                try String.fetchAll(db, sql: sql, arguments: arguments)
            }
            snapshot.openFindings = try payloads(
                "SELECT payload FROM state WHERE site = ? AND kind = 'finding' AND status = 'open' ORDER BY at DESC",
                [site])
            snapshot.lotsOnHold = try payloads(
                "SELECT payload FROM state WHERE site = ? AND kind = 'lot' AND status = 'on_hold' ORDER BY key", [site])
            snapshot.incidents = try payloads(
                "SELECT payload FROM state WHERE site = ? AND kind = 'incident' AND at >= ?",
                [site, incidentsSince.timeIntervalSince1970])
            snapshot.unreadable =
                try Int.fetchOne(
                    db,
                    sql:
                        "SELECT COUNT(*) FROM state WHERE site = ? AND kind IN ('finding', 'lot', 'incident') AND status = ?",
                    arguments: [site, Rollup.unreadable]) ?? 0
            if detail {
                snapshot.schedule = try String.fetchOne(
                    db, sql: "SELECT payload FROM state WHERE site = ? AND kind = 'schedule' AND key = 'current'",
                    arguments: [site])
            }
            snapshot.lastPlan = try Row.fetchOne(
                db,
                sql: """
                    SELECT day, schedule_at, on_time_share, late_orders FROM daily_kpis
                    WHERE site = ? AND schedule_at IS NOT NULL ORDER BY day DESC LIMIT 1
                    """, arguments: [site]
            ).flatMap { row in
                LocalDate(parsing: row["day"]).map {
                    var kpis = DailyKPIs(day: $0)
                    kpis.scheduleAt = row["schedule_at"]
                    kpis.onTimeShare = row["on_time_share"]
                    kpis.lateOrders = row["late_orders"]
                    return kpis
                }
            }
            snapshot.publishedVersion =
                try Int.fetchOne(db, sql: "SELECT MAX(version) FROM config_versions WHERE site = ?", arguments: [site])
                ?? 0
            snapshot.production = try payloads(
                "SELECT payload FROM records WHERE site = ? AND kind = 'production' AND created_at >= ?",
                [site, now.addingTimeInterval(-86_400)])
            snapshot.checksDue = try String.fetchOne(
                db, sql: "SELECT payload FROM state WHERE site = ? AND kind = 'checks_due' AND key = 'current'",
                arguments: [site])
            return snapshot
        }
    }
}

extension PostgresCentralStore {
    public func snapshot(site: String, now: Date, incidentsSince: Date, detail: Bool) async throws -> SiteSnapshot {
        let logger = self.logger
        return try await client.withConnection { connection in
            var snapshot = SiteSnapshot()
            for try await (epoch, heard, offset, running) in try await connection.query(
                "SELECT epoch, last_heard_at, clock_offset_seconds, config_running FROM sites WHERE id = \(site)",
                logger: logger
            ).decode((String?, Date?, Double?, Int64).self) {
                snapshot.contact = .init(
                    site: site, epoch: epoch, lastHeardAt: heard, clockOffsetSeconds: offset,
                    configRunning: Int(running))
            }
            func strings(_ query: PostgresQuery) async throws -> [String] {
                var result: [String] = []
                for try await value in try await connection.query(query, logger: logger).decode(String.self) {
                    result.append(value)
                }
                return result
            }
            snapshot.openFindings = try await strings(
                "SELECT payload FROM state WHERE site = \(site) AND kind = 'finding' AND status = 'open' ORDER BY at DESC"
            )
            snapshot.lotsOnHold = try await strings(
                "SELECT payload FROM state WHERE site = \(site) AND kind = 'lot' AND status = 'on_hold' ORDER BY key")
            snapshot.incidents = try await strings(
                "SELECT payload FROM state WHERE site = \(site) AND kind = 'incident' AND at >= \(incidentsSince.timeIntervalSince1970)"
            )
            for try await count in try await connection.query(
                """
                SELECT COUNT(*) FROM state WHERE site = \(site) AND kind IN ('finding', 'lot', 'incident')
                    AND status = \(Rollup.unreadable)
                """, logger: logger
            ).decode(Int64.self) { snapshot.unreadable = Int(count) }
            if detail {
                snapshot.schedule = try await strings(
                    "SELECT payload FROM state WHERE site = \(site) AND kind = 'schedule' AND key = 'current'"
                ).first
            }
            for try await (day, at, share, late) in try await connection.query(
                """
                SELECT day, schedule_at, on_time_share, late_orders FROM daily_kpis
                WHERE site = \(site) AND schedule_at IS NOT NULL ORDER BY day DESC LIMIT 1
                """, logger: logger
            ).decode((String, Double?, Double?, Int64?).self) {
                if let parsed = LocalDate(parsing: day) {
                    var kpis = DailyKPIs(day: parsed)
                    kpis.scheduleAt = at
                    kpis.onTimeShare = share
                    kpis.lateOrders = late.map(Int.init)
                    snapshot.lastPlan = kpis
                }
            }
            for try await version in try await connection.query(
                "SELECT COALESCE(MAX(version), 0) FROM config_versions WHERE site = \(site)", logger: logger
            ).decode(Int64.self) { snapshot.publishedVersion = Int(version) }
            snapshot.production = try await strings(
                "SELECT payload FROM records WHERE site = \(site) AND kind = 'production' AND created_at >= \(now.addingTimeInterval(-86_400))"
            )
            snapshot.checksDue = try await strings(
                "SELECT payload FROM state WHERE site = \(site) AND kind = 'checks_due' AND key = 'current'"
            ).first
            return snapshot
        }
    }
}
