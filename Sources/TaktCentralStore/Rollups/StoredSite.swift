import Foundation
import GRDB
import PostgresNIO
import TaktCore
import TaktStore

/// Everything a site's tile or page needs from central's store: what is open now, never the site's history.
/// Many sites are read in one go (one read transaction with prepared statements on SQLite, one connection on
/// PostgreSQL), and the last day's production is summed by the database. Payloads stay JSON text here; the page
/// decodes them and counts what does not decode.
public struct StoredSite: Sendable {
    public var contact: CentralStore.SiteContact?
    public var openFindings: [String] = []
    public var lotsOnHold: [String] = []
    /// Incidents that happened since `incidentsSince`.
    public var incidents: [String] = []
    /// Findings, lots and incidents whose payloads central could not read.
    public var unreadable = 0
    /// The current schedule, when asked for in detail.
    public var schedule: String?
    /// The roll-up of the newest day with a plan: its adherence and late orders (for sites that do not judge
    /// adherence yet).
    public var lastPlan: DailyKPIs?
    /// The site's judgements of its two newest days with orders due (`DayAdherence` JSON), newest first; only
    /// rows keyed by a date, so no other key can shadow today.
    public var adherence: [String] = []
    public var publishedVersion = 0
    /// The production reports received in the last day, summed (planned, run and ideal seconds, made, good).
    public var production = DailyKPIs(day: LocalDate(year: 1970, month: 1, day: 1))
    public var checksDue: String?
    /// What the site calls its work centres, products and checks (`SiteNames` JSON).
    public var names: String?

    public init() {}
}

extension CentralStore {
    public func snapshots(sites: [String], now: Date, incidentsSince: Date, detail: Bool) async throws(StoreError)
        -> [String: StoredSite]
    {
        try await read { db in
            let contact = try db.cachedStatement(sql: "SELECT * FROM sites WHERE id = ?")
            let state = try db.cachedStatement(
                // No ORDER BY: the page sorts the few open rows itself, and ordering here can lead SQLite to walk
                // every finding of the site by time instead of finding the open ones by status.
                sql: "SELECT payload FROM state WHERE site = ? AND kind = ? AND status = ?")
            let incidents = try db.cachedStatement(
                sql: "SELECT payload FROM state WHERE site = ? AND kind = 'incident' AND at >= ?")
            let unreadable = try db.cachedStatement(
                sql:
                    "SELECT COUNT(*) FROM state WHERE site = ? AND kind IN ('finding', 'lot', 'incident') AND status = ?"
            )
            let current = try db.cachedStatement(
                sql: "SELECT payload FROM state WHERE site = ? AND kind = ? AND key = 'current'")
            let plan = try db.cachedStatement(
                sql: """
                    SELECT day, schedule_at, on_time_share, late_orders FROM daily_kpis
                    WHERE site = ? AND schedule_at IS NOT NULL ORDER BY day DESC LIMIT 1
                    """)
            let adherence = try db.cachedStatement(
                sql: """
                    SELECT payload FROM state WHERE site = ? AND kind = 'adherence'
                        AND key GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]' ORDER BY key DESC LIMIT 2
                    """)
            let published = try db.cachedStatement(sql: "SELECT MAX(version) FROM config_versions WHERE site = ?")
            let production = try db.cachedStatement(
                sql: """
                    SELECT SUM(planned), SUM(MAX(0, planned - down)), SUM((good + scrap) * ideal), SUM(good + scrap), SUM(good)
                    FROM (SELECT json_extract(payload, '$.plannedSeconds') AS planned,
                        json_extract(payload, '$.downSeconds') AS down, json_extract(payload, '$.good') AS good,
                        json_extract(payload, '$.scrap') AS scrap, json_extract(payload, '$.idealSecondsPerUnit') AS ideal
                        FROM records WHERE site = ? AND kind = 'production' AND created_at >= ? AND json_valid(payload))
                    """)
            let since = now.addingTimeInterval(-86_400)
            var result: [String: StoredSite] = [:]
            for site in sites {
                var snapshot = StoredSite()
                snapshot.contact = try Row.fetchOne(contact, arguments: [site]).map {
                    SiteContact(
                        site: $0["id"], epoch: $0["epoch"], lastHeardAt: $0.optionalDate("last_heard_at"),
                        clockOffsetSeconds: $0["clock_offset_seconds"], configRunning: $0["config_running"])
                }
                snapshot.openFindings = try String.fetchAll(state, arguments: [site, "finding", "open"])
                snapshot.lotsOnHold = try String.fetchAll(state, arguments: [site, "lot", "on_hold"])
                snapshot.incidents = try String.fetchAll(
                    incidents, arguments: [site, incidentsSince.timeIntervalSince1970])
                snapshot.unreadable = try Int.fetchOne(unreadable, arguments: [site, Rollup.unreadable]) ?? 0
                if detail { snapshot.schedule = try String.fetchOne(current, arguments: [site, "schedule"]) }
                snapshot.lastPlan = try Row.fetchOne(plan, arguments: [site]).flatMap { row in
                    LocalDate(parsing: row["day"]).map {
                        var kpis = DailyKPIs(day: $0)
                        kpis.scheduleAt = row["schedule_at"]
                        kpis.onTimeShare = row["on_time_share"]
                        kpis.lateOrders = row["late_orders"]
                        return kpis
                    }
                }
                snapshot.adherence = try String.fetchAll(adherence, arguments: [site])
                snapshot.publishedVersion = try Int.fetchOne(published, arguments: [site]) ?? 0
                if let row = try Row.fetchOne(production, arguments: [site, since]) {
                    snapshot.production.plannedSeconds = row[0] ?? 0
                    snapshot.production.runSeconds = row[1] ?? 0
                    snapshot.production.idealSeconds = row[2] ?? 0
                    snapshot.production.made = row[3] ?? 0
                    snapshot.production.good = row[4] ?? 0
                }
                snapshot.checksDue = try String.fetchOne(current, arguments: [site, "checks_due"])
                snapshot.names = try String.fetchOne(current, arguments: [site, "names"])
                result[site] = snapshot
            }
            return result
        }
    }
}

extension PostgresCentralStore {
    /// One query per kind of fact for all the sites (`site = ANY(…)`), not a round trip per site and kind.
    public func snapshots(sites: [String], now: Date, incidentsSince: Date, detail: Bool) async throws
        -> [String: StoredSite]
    {
        let logger = self.logger
        return try await client.withConnection { connection in
            var result = Dictionary(uniqueKeysWithValues: sites.map { ($0, StoredSite()) })
            for try await (site, epoch, heard, offset, running) in try await connection.query(
                """
                SELECT id, epoch, last_heard_at, clock_offset_seconds, config_running FROM sites WHERE id = ANY(\(sites))
                """, logger: logger
            ).decode((String, String?, Date?, Double?, Int64).self) {
                result[site]?.contact = .init(
                    site: site, epoch: epoch, lastHeardAt: heard, clockOffsetSeconds: offset,
                    configRunning: Int(running))
            }
            func payloads(_ query: PostgresQuery, into path: WritableKeyPath<StoredSite, [String]>) async throws {
                for try await (site, payload) in try await connection.query(query, logger: logger).decode(
                    (String, String).self)
                {
                    result[site]?[keyPath: path].append(payload)
                }
            }
            try await payloads(
                """
                SELECT site, payload FROM state WHERE site = ANY(\(sites)) AND kind = 'finding' AND status = 'open'
                """, into: \.openFindings)
            try await payloads(
                """
                SELECT site, payload FROM state WHERE site = ANY(\(sites)) AND kind = 'lot' AND status = 'on_hold'
                """, into: \.lotsOnHold)
            try await payloads(
                """
                SELECT site, payload FROM state WHERE site = ANY(\(sites)) AND kind = 'incident'
                    AND at >= \(incidentsSince.timeIntervalSince1970)
                """, into: \.incidents)
            for try await (site, count) in try await connection.query(
                """
                SELECT site, COUNT(*) FROM state WHERE site = ANY(\(sites)) AND kind IN ('finding', 'lot', 'incident')
                    AND status = \(Rollup.unreadable) GROUP BY site
                """, logger: logger
            ).decode((String, Int64).self) { result[site]?.unreadable = Int(count) }
            for (kind, path) in [
                ("schedule", \StoredSite.schedule), ("checks_due", \StoredSite.checksDue), ("names", \StoredSite.names),
            ]
            where kind != "schedule" || detail {
                for try await (site, payload) in try await connection.query(
                    "SELECT site, payload FROM state WHERE site = ANY(\(sites)) AND kind = \(kind) AND key = 'current'",
                    logger: logger
                ).decode((String, String).self) { result[site]?[keyPath: path] = payload }
            }
            for try await (site, day, at, share, late) in try await connection.query(
                """
                SELECT s.site, d.day, d.schedule_at, d.on_time_share, d.late_orders FROM unnest(\(sites)::text[]) AS s(site)
                CROSS JOIN LATERAL (SELECT day, schedule_at, on_time_share, late_orders FROM daily_kpis
                    WHERE site = s.site AND schedule_at IS NOT NULL ORDER BY day DESC LIMIT 1) AS d
                """, logger: logger
            ).decode((String, String, Double?, Double?, Int64?).self) {
                guard let parsed = LocalDate(parsing: day) else { continue }
                var kpis = DailyKPIs(day: parsed)
                kpis.scheduleAt = at
                kpis.onTimeShare = share
                kpis.lateOrders = late.map(Int.init)
                result[site]?.lastPlan = kpis
            }
            for try await (site, payload) in try await connection.query(
                """
                SELECT s.site, d.payload FROM unnest(\(sites)::text[]) AS s(site)
                CROSS JOIN LATERAL (SELECT key, payload FROM state WHERE site = s.site AND kind = 'adherence'
                    AND key ~ '^[0-9]{4}-[0-9]{2}-[0-9]{2}$' ORDER BY key DESC LIMIT 2) AS d ORDER BY s.site, d.key DESC
                """, logger: logger
            ).decode((String, String).self) { result[site]?.adherence.append(payload) }
            for try await (site, version) in try await connection.query(
                "SELECT site, MAX(version) FROM config_versions WHERE site = ANY(\(sites)) GROUP BY site",
                logger: logger
            ).decode((String, Int64).self) { result[site]?.publishedVersion = Int(version) }
            for try await (site, planned, run, ideal, made, good) in try await connection.query(
                """
                SELECT site, COALESCE(SUM(planned), 0), COALESCE(SUM(GREATEST(0, planned - down)), 0),
                    COALESCE(SUM((good + scrap) * ideal), 0), COALESCE(SUM(good + scrap), 0), COALESCE(SUM(good), 0)
                FROM (SELECT site, (p->>'plannedSeconds')::float8 AS planned, (p->>'downSeconds')::float8 AS down,
                    (p->>'good')::float8 AS good, (p->>'scrap')::float8 AS scrap,
                    (p->>'idealSecondsPerUnit')::float8 AS ideal
                    FROM (SELECT site, payload::jsonb AS p FROM records WHERE site = ANY(\(sites)) AND kind = 'production'
                        AND created_at >= \(now.addingTimeInterval(-86_400))) AS rows) AS reports
                GROUP BY site
                """, logger: logger
            ).decode((String, Double, Double, Double, Double, Double).self) {
                result[site]?.production.plannedSeconds = planned
                result[site]?.production.runSeconds = run
                result[site]?.production.idealSeconds = ideal
                result[site]?.production.made = made
                result[site]?.production.good = good
            }
            return result
        }
    }
}
