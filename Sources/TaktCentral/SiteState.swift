import Foundation
import TaktCentralStore
import TaktCore
import TaktStore

/// A site's state as central holds it, with the KPIs every site is compared on. One definition everywhere:
///
/// - schedule adherence today: orders due today (the site's day) finished on time ÷ orders due today, open ones
///   judged by the plan of record (`DayAdherence`, judged by the site); late orders: today's late ones;
/// - open findings, critical breaches, overdue checks (open findings a missed check raised), lots on hold;
/// - safety incidents reported in the last 7 days at major severity or above;
/// - OEE = availability × performance × quality over the production reports of the last 24 hours (n/a when
///   a site has reported none).
public struct SiteState: Sendable, Codable {
    public var site: String
    public var name: String
    public var region: String
    public var timeZone: String
    public var lastHeardAt: Date?
    public var stale: Bool
    public var status: String
    public var reason: String
    public var onTimeShare: Double?
    public var lateOrders: Int
    /// Today's adherence as the site judged it: orders due, on time, and the late ones.
    public var adherence: DayAdherence?
    public var openFindings: [Finding]
    public var criticalOpen: Int
    public var overdueChecks: Int
    public var lotsOnHold: [Lot]
    public var recentIncidents: Int
    public var oee: Double?
    public var configRunning: Int
    public var configPublished: Int
    public var schedule: ScheduleSnapshot?
    /// Every check with a frequency and when it is due, as the site last reported.
    public var checksDue: [RuleBook.CheckDue]?
    /// Records from the site that central could not read (a newer site build, or damage). Never dropped
    /// silently: one unreadable finding could be a critical breach, so the site shows red until it is looked at.
    public var unreadableRecords: Int = 0
    /// What the modules built into central make of the site's module records (reels on the floor, …).
    public var modules: [ModuleSummary] = []
    /// What the site calls its work centres, products and checks (empty until it has said).
    public var names = SiteNames()

    static let decoder: JSONDecoder = {
        let decoder = JSONDecoder()
        decoder.dateDecodingStrategy = .iso8601
        return decoder
    }()

    /// Reads a site's state from the store at `now`; `staleAfter` seconds of silence make it stale. Reads only
    /// what is open now (state rows filtered on their status), the last day's production summed and the
    /// roll-ups, never the site's whole history. `detail` also decodes the current schedule (the site page, the
    /// schedule API); without it the adherence and late orders come from the roll-up of the last plan.
    public static func load(
        site entry: CentralConfiguration.SiteEntry, region: String, store: any CentralStorage, now: Date,
        staleAfter: TimeInterval = 900, projections: [RecordProjection] = [], zone: TimeZone = .gmt,
        detail: Bool = true
    ) async throws -> SiteState {
        try await loadAll(
            [(region: region, site: entry, zone: zone)], store: store, now: now, staleAfter: staleAfter,
            projections: projections, detail: detail)[0]
    }

    /// Many sites' states, in the order given, read from the store in one go.
    public static func loadAll(
        _ sites: [(region: String, site: CentralConfiguration.SiteEntry, zone: TimeZone)], store: any CentralStorage,
        now: Date, staleAfter: TimeInterval = 900, projections: [RecordProjection] = [], detail: Bool = false
    ) async throws -> [SiteState] {
        let snapshots = try await store.snapshots(
            sites: sites.map(\.site.id), now: now, incidentsSince: now.addingTimeInterval(-7 * 86_400), detail: detail)
        var states: [SiteState] = []
        for entry in sites {
            var state = make(
                entry.site, region: entry.region, snapshot: snapshots[entry.site.id] ?? StoredSite(), now: now,
                staleAfter: staleAfter, zone: entry.zone, detail: detail)
            if !projections.isEmpty {
                let modules = try await ModuleSummary.load(projections, site: entry.site.id, store: store, now: now)
                state.modules = modules.summaries
                state.unreadableRecords += modules.failures
            }
            state.judge(now: now)
            states.append(state)
        }
        return states
    }

    /// A site's state from what the store holds of it (not yet judged, without module summaries).
    static func make(
        _ entry: CentralConfiguration.SiteEntry, region: String, snapshot: StoredSite, now: Date,
        staleAfter: TimeInterval, zone: TimeZone, detail: Bool
    ) -> SiteState {
        let contact = snapshot.contact
        var reader = RecordReader(decoder: decoder)
        reader.failures = snapshot.unreadable
        let open = reader.decode(Finding.self, snapshot.openFindings).filter { $0.status == .open }
        let lots = reader.decode(Lot.self, snapshot.lotsOnHold)
        let incidents = reader.decode(Incident.self, snapshot.incidents)
        let schedule = reader.decode(ScheduleSnapshot.self, snapshot.schedule.map { [$0] } ?? []).first
        // Today's adherence as the site judged it; a site built before sites judged adherence is shown its last
        // plan's share instead.
        let judged = reader.decode(DayAdherence.self, snapshot.adherence)
        let today = judged.first { $0.day == LocalDate(now, in: zone) }
        let onTimeShare = judged.isEmpty ? snapshot.lastPlan?.onTimeShare : today?.share
        let lateOrders = (judged.isEmpty ? snapshot.lastPlan?.lateOrders : today?.lateCount) ?? 0
        // One definition of an overdue check, for the tile and the site's table alike: due before `now` (central's
        // clock), from the due times the site last sent; the flag the site set when it sent them is stale by now.
        let checksDue = reader.decode([RuleBook.CheckDue].self, snapshot.checksDue.map { [$0] } ?? []).first?.map {
            check -> RuleBook.CheckDue in
            var check = check
            check.overdue = now > check.due
            return check
        }
        let stale = contact?.lastHeardAt.map { now.timeIntervalSince($0) > staleAfter } ?? true
        let sortedOpen = open.sorted { $0.raisedAt > $1.raisedAt }
        let critical = open.filter { $0.severity == .critical }.count
        // A site that has sent no due times yet is judged on the overdue findings it raised.
        let overdue =
            checksDue?.filter(\.overdue).count ?? open.filter { $0.key?.hasPrefix("overdue:") == true }.count
        let held = lots.filter { $0.status == .onHold }.sorted { $0.id < $1.id }
        let recent = incidents.filter { $0.severity >= .major && now.timeIntervalSince($0.at) < 7 * 86_400 }.count
        return SiteState(
            site: entry.id, name: entry.name ?? entry.id, region: region,
            timeZone: zone.identifier, lastHeardAt: contact?.lastHeardAt,
            stale: stale, status: "green", reason: "", onTimeShare: onTimeShare, lateOrders: lateOrders,
            adherence: today,
            openFindings: sortedOpen, criticalOpen: critical, overdueChecks: overdue, lotsOnHold: held,
            recentIncidents: recent, oee: snapshot.production.oee?.value, configRunning: contact?.configRunning ?? 0,
            configPublished: snapshot.publishedVersion, schedule: schedule, checksDue: checksDue,
            unreadableRecords: reader.failures,
            names: reader.decode(SiteNames.self, snapshot.names.map { [$0] } ?? []).first ?? SiteNames())
    }

    /// The site's time zone (UTC when its name is not one this system knows).
    var zone: TimeZone { TimeZone(identifier: timeZone) ?? .gmt }

    /// Module lines that need a manager's attention, as `title: label value`.
    var attention: [String] {
        modules.flatMap { module in
            module.lines.filter(\.attention).map { "\(module.title.lowercased()): \($0.label) \($0.value)" }
        }
    }

    /// The status colour and its reason, worst first. Silence never hides a problem: a stale site keeps the colour
    /// of the worst thing central last knew of it, and its reason says both ("stale for 2 h — and 1 critical
    /// breach(es) open, the oldest since 10:06"); only a site with nothing open turns grey. `now` is central's clock.
    mutating func judge(now: Date) {
        judgeProblems(now: now)
        let zone = self.zone
        guard let lastHeardAt else {
            (status, reason) = ("grey", "never heard from")
            return
        }
        guard stale else { return }
        let silence = "stale for \(TimeSpan(seconds: Int(now.timeIntervalSince(lastHeardAt))).forPeople)"
        if status == "green" {
            status = "grey"
            reason = "\(silence): no contact since \(Instant.formatNear(lastHeardAt, in: zone, now: now))"
        } else {
            reason = "\(silence) — and \(reason)"
        }
    }

    /// The colour and reason of what is open, whatever the contact.
    mutating func judgeProblems(now: Date) {
        let zone = self.zone
        if unreadableRecords > 0 {
            (status, reason) = (
                "red", "\(unreadableRecords) record(s) from the site could not be read; a breach may be hidden"
            )
        } else if criticalOpen > 0 {
            let oldest = openFindings.filter { $0.severity == .critical }.map(\.raisedAt).min()
            (status, reason) = (
                "red",
                "\(criticalOpen) critical breach(es) open"
                    + (oldest.map { ", the oldest since \(Instant.formatNear($0, in: zone, now: now))" } ?? "")
            )
        } else if overdueChecks > 0 || !lotsOnHold.isEmpty || lateOrders > 0 || recentIncidents > 0
            || !attention.isEmpty
        {
            let parts =
                [
                    overdueChecks > 0 ? "\(overdueChecks) overdue check(s)" : nil,
                    lotsOnHold.isEmpty ? nil : "\(lotsOnHold.count) lot(s) on hold",
                    lateOrders > 0 ? "\(lateOrders) late order(s)" : nil,
                    recentIncidents > 0 ? "\(recentIncidents) incident(s) this week" : nil,
                ].compactMap { $0 } + attention
            (status, reason) = ("amber", parts.joined(separator: ", "))
        } else {
            (status, reason) = ("green", "on plan, no open breaches")
        }
        if configPublished > configRunning {
            reason += "; configuration \(configPublished) published, \(configRunning) running"
        }
    }
}

/// Decodes records a site sent, counting those that do not decode instead of dropping them quietly.
struct RecordReader {
    let decoder: JSONDecoder
    var failures = 0

    init(decoder: JSONDecoder) { self.decoder = decoder }

    mutating func decode<T: Decodable>(_ type: T.Type, _ payloads: some Sequence<String>) -> [T] {
        var values: [T] = []
        for payload in payloads {
            if let value = try? decoder.decode(T.self, from: Data(payload.utf8)) {
                values.append(value)
            } else {
                failures += 1
            }
        }
        return values
    }
}
