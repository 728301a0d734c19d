import Foundation
import Testing

@testable import TaktCentral
@testable import TaktCentralStore
@testable import TaktCore

/// A site's health on central: silence is shown with the worst open problem, never instead of it.
@Suite struct SiteHealthTests {
    let heard = ISO8601DateFormatter().date(from: "2026-12-03T10:10:00Z")!
    let raised = ISO8601DateFormatter().date(from: "2026-12-03T10:06:00Z")!

    func store(withCriticalFinding: Bool) async throws -> CentralStore {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("health-\(UUID().uuidString)")
        let store = try CentralStore(path: folder.appendingPathComponent("central.sqlite").path)
        let encoder = JSONEncoder()
        encoder.dateEncodingStrategy = .iso8601
        var records: [CentralStore.IncomingRecord] = [
            .init(
                seq: 1, kind: "check_reading", recordClass: "fact", key: "1",
                payload: #"{"check":"site.chill","value":3,"at":"2026-12-03T10:05:00Z"}"#, createdAt: raised)
        ]
        if withCriticalFinding {
            let finding = Finding(
                id: 1, rule: "food_processing.ccp.chill", severity: .critical, subject: .init(.lot, "L1"),
                message: "6.2 °C is above 5 °C", actions: [FindingAction(.holdLot, "L1")], raisedAt: raised)
            records.append(
                .init(
                    seq: 2, kind: "finding", recordClass: "state", key: "1",
                    payload: String(decoding: try encoder.encode(finding), as: UTF8.self), createdAt: raised))
        }
        _ = try await store.ingest(
            site: "leeds", epoch: "e", first: 1, last: Int64(records.count), records: records, configVersion: 0,
            sentAt: heard, now: heard, zone: TimeZone(identifier: "Europe/London")!)
        return store
    }

    func state(_ store: CentralStore, at now: Date) async throws -> SiteState {
        let entry = CentralConfiguration.SiteEntry(id: "leeds", name: "Leeds Bakery", siteFile: nil, keys: [])
        let states = try await SiteState.loadAll(
            [(region: "uk-north", site: entry, zone: TimeZone(identifier: "Europe/London")!)], store: store, now: now)
        return try #require(states.first)
    }

    @Test func aStaleSiteKeepsTheColourOfItsWorstOpenProblem() async throws {
        let store = try await store(withCriticalFinding: true)
        let fresh = try await state(store, at: heard.addingTimeInterval(60))
        #expect(fresh.status == "red")
        #expect(fresh.reason == "1 critical breach(es) open, the oldest since 10:06")
        let silent = try await state(store, at: heard.addingTimeInterval(2 * 3600))
        #expect(silent.stale)
        #expect(silent.status == "red")
        #expect(silent.reason == "stale for 2 h — and 1 critical breach(es) open, the oldest since 10:06")
    }

    @Test func aStaleSiteWithNothingOpenIsGreyAndSaysSince() async throws {
        let store = try await store(withCriticalFinding: false)
        #expect(try await state(store, at: heard.addingTimeInterval(60)).status == "green")
        let silent = try await state(store, at: heard.addingTimeInterval(40 * 60))
        #expect(silent.status == "grey")
        #expect(silent.reason == "stale for 40 min: no contact since 10:10")
        let days = try await state(store, at: heard.addingTimeInterval(3 * 86_400))
        #expect(days.reason == "stale for 3 d: no contact since 2026-12-03 10:10")
    }

    /// The tile's count and the site's table agree: a check is overdue when its due time is before now, whatever
    /// the site thought when it sent the list.
    @Test func overdueChecksHaveOneDefinitionForTheTileAndTheTable() async throws {
        let store = try await store(withCriticalFinding: false)
        let due = [
            RuleBook.CheckDue(
                check: "food_processing.ccp.chill", name: "Chilled storage temperature", workCentre: "chiller-1",
                lastRecorded: raised, due: heard.addingTimeInterval(600), overdue: false),
            RuleBook.CheckDue(
                check: "food_processing.ccp.cook", name: "Cooking core temperature", workCentre: "oven-1",
                lastRecorded: raised, due: heard.addingTimeInterval(7200), overdue: true),
        ]
        let encoder = JSONEncoder()
        encoder.dateEncodingStrategy = .iso8601
        _ = try await store.ingest(
            site: "leeds", epoch: "e", first: 2, last: 2,
            records: [
                .init(
                    seq: 2, kind: "checks_due", recordClass: "state", key: "current",
                    payload: String(decoding: try encoder.encode(due), as: UTF8.self), createdAt: heard)
            ], configVersion: 0, sentAt: heard, now: heard, zone: .gmt)
        let state = try await state(store, at: heard.addingTimeInterval(800))
        #expect(state.overdueChecks == 1)
        #expect(state.checksDue?.map(\.overdue) == [true, false])
        #expect(state.status == "amber")
        #expect(state.reason == "1 overdue check(s)")
    }
}

/// Schedule adherence on the tile is today's, as the site judged it (`DayAdherence`), not the remaining plan's.
@Suite struct AdherenceOnCentralTests {
    let zone = TimeZone(identifier: "Europe/London")!
    let evening = ISO8601DateFormatter().date(from: "2026-12-03T21:00:00Z")!

    @Test func theTileShowsTodaysOrdersOnTimeOfDueAndTheComparisonSumsThePeriod() async throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("adherence-\(UUID().uuidString)")
        let store = try CentralStore(path: folder.appendingPathComponent("central.sqlite").path)
        let today = LocalDate(evening, in: zone)
        let judgements = [
            DayAdherence(day: today.adding(days: -1), due: 3, onTime: 3, late: []),
            DayAdherence(
                day: today, due: 7, onTime: 6, late: [.init(order: "PO-7", due: evening, finish: nil, finished: false)]),
        ]
        var records: [CentralStore.IncomingRecord] = []
        for judged in judgements {
            records.append(
                .init(
                    seq: Int64(records.count + 1), kind: "adherence", recordClass: "state",
                    key: judged.day.description, payload: try RollupTestsJSON.encode(judged), createdAt: evening))
        }
        _ = try await store.ingest(
            site: "leeds", epoch: "e", first: 1, last: 2, records: records, configVersion: 0, sentAt: evening,
            now: evening, zone: zone)
        let entry = CentralConfiguration.SiteEntry(id: "leeds", name: "Leeds Bakery", siteFile: nil, keys: [])
        let state = try #require(
            try await SiteState.loadAll([(region: "uk", site: entry, zone: zone)], store: store, now: evening).first)
        #expect(state.lateOrders == 1)
        #expect(abs((state.onTimeShare ?? 0) - 6.0 / 7) < 1e-9)
        let tile = Dashboard.tile(state, zone: zone, now: evening)
        #expect(tile.contains("86 % (6 of 7 due)"))
        // Tomorrow nothing is judged yet: no figure rather than yesterday's.
        let tomorrow = try #require(
            try await SiteState.loadAll(
                [(region: "uk", site: entry, zone: zone)], store: store, now: evening.addingTimeInterval(6 * 3600)
            ).first)
        #expect(tomorrow.onTimeShare == nil && Dashboard.tile(tomorrow, zone: zone, now: evening).contains("none due"))
        let history = try await SiteHistory.load(site: "leeds", store: store, zone: zone, days: 7, now: evening)
        #expect(abs((history.adherence ?? 0) - 9.0 / 10) < 1e-9, "on time ÷ due over the period, not a mean of days")
        let totals = try await store.totals(sites: ["leeds"], from: today.adding(days: -6), to: today)
        #expect(totals["leeds"]?.adherence == history.adherence)
    }
}

enum RollupTestsJSON {
    static func encode(_ value: some Encodable) throws -> String {
        let encoder = JSONEncoder()
        encoder.dateEncodingStrategy = .iso8601
        return String(decoding: try encoder.encode(value), as: UTF8.self)
    }
}
