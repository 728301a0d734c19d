import Foundation
import Testing

@testable import TaktCentralStore
@testable import TaktCore
@testable import TaktStore

/// Central's daily roll-ups: what ingest keeps equals what a rebuild recomputes from the records, on both stores,
/// and the figures follow the KPI definitions (a finding counted once on the day it was raised, OEE from sums).
@Suite struct RollupTests {
    typealias Backend = CentralStoreContractTests.Backend
    static let zone = TimeZone(identifier: "Asia/Kuala_Lumpur")!

    static func json(_ value: some Encodable) -> String {
        let encoder = JSONEncoder()
        encoder.dateEncodingStrategy = .iso8601
        return String(decoding: try! encoder.encode(value), as: UTF8.self)
    }

    /// Three days of a site's records, as a site's outbox would send them: a finding raised then closed, a lot
    /// put on hold twice in one day and released, an incident, production, readings, costs, two plans a day,
    /// and one record central cannot read.
    static func history(start: Date) -> [CentralStore.IncomingRecord] {
        var records: [CentralStore.IncomingRecord] = []
        func add(_ kind: String, _ recordClass: String, _ key: String, _ payload: String, _ at: Date) {
            records.append(
                .init(
                    seq: Int64(records.count + 1), kind: kind, recordClass: recordClass, key: key, payload: payload,
                    createdAt: at))
        }
        for day in 0..<3 {
            let morning = start.addingTimeInterval(Double(day) * 86_400 + 6 * 3600)
            for reading in 0..<4 {
                add(
                    "check_reading", "fact", "r\(day)-\(reading)", #"{"n":1}"#,
                    morning.addingTimeInterval(Double(reading) * 600))
            }
            let finding = Finding(
                id: Int64(day + 1), rule: "site.chill", severity: day == 1 ? .critical : .major,
                subject: .init(.workCentre, "chiller"), message: "too warm", raisedAt: morning,
                key: day == 2 ? "overdue:site.chill" : nil)
            add("finding", "state", String(day + 1), json(finding), morning)
            var closed = finding
            closed.status = .closed
            add("finding", "state", String(day + 1), json(closed), morning.addingTimeInterval(3600))
            var lot = Lot(id: "L\(day)", product: "bread", quantity: 10, producedAt: morning, status: .onHold)
            add("lot", "state", lot.id, json(lot), morning.addingTimeInterval(60))
            add("lot", "state", lot.id, json(lot), morning.addingTimeInterval(120))
            lot.status = .released
            add("lot", "state", lot.id, json(lot), morning.addingTimeInterval(7200))
            let report = ProductionReport(
                workCentre: "oven", product: "bread", from: morning, to: morning.addingTimeInterval(8 * 3600),
                plannedSeconds: 8 * 3600, downSeconds: 1800, good: 900, scrap: 100, idealSecondsPerUnit: 20)
            add("production", "fact", "p\(day)", json(report), morning.addingTimeInterval(8 * 3600))
            add(
                "incident", "fact", "i\(day)",
                json(
                    Incident(
                        id: "i\(day)", kind: "slip", severity: day == 0 ? .minor : .major, description: "wet floor",
                        at: morning)), morning)
            add(
                "cost", "fact", "c\(day)",
                json(CostEntry(amount: 100.5, currency: "MYR", category: "labour", at: morning)), morning)
            for (plan, late) in [(0, 2), (1, 1)] {
                let summary = ScheduleSummary(
                    createdAt: morning, from: morning, horizonSeconds: 86_400, orders: 4, operations: 8,
                    late: (0..<late).map {
                        .init(order: "O\($0)", due: morning, end: morning, lateSeconds: 60, reasons: [])
                    },
                    changeoverMinutes: 0, end: morning)
                add(
                    "schedule", "state", "current", json(ScheduleSnapshot(summary: summary, rows: [])),
                    morning.addingTimeInterval(Double(plan) * 3600))
            }
            // The site judges its day's adherence as orders finish: the evening's judgement is sent before a
            // late-arriving one from the morning, and still wins.
            let date = LocalDate(morning, in: zone)
            let evening = DayAdherence(
                day: date, due: 4, onTime: 3, late: [.init(order: "O3", due: morning, finish: nil, finished: false)])
            add("adherence", "state", date.description, json(evening), morning.addingTimeInterval(12 * 3600))
            let early = DayAdherence(day: date, due: 4, onTime: 4, late: [])
            add("adherence", "state", date.description, json(early), morning)
            // Training is judged the same way: the evening's judgement wins over a late-arriving morning one.
            add(
                "training", "state", date.description, json(DayTraining(day: date, needed: 10, valid: 9)),
                morning.addingTimeInterval(12 * 3600))
            add("training", "state", date.description, json(DayTraining(day: date, needed: 10, valid: 10)), morning)
        }
        add("training", "state", "bad", #"{"day":"2026-11-21","needed":2,"valid":5}"#, start)
        add("adherence", "state", "bad", #"{"day":"2026-11-21","due":2,"onTime":5,"late":[]}"#, start)
        add("finding", "state", "99", #"{"new":"format"}"#, start)
        return records
    }

    @Test(arguments: Backend.allCases)
    func rebuildingFromRecordsGivesWhatIngestKept(_ backend: Backend) async throws {
        try await CentralStoreContractTests().with(backend) { store in
            let site = "r-\(UUID().uuidString.prefix(8))"
            let start = try #require(LocalDate(parsing: "2026-11-20")).instant(in: Self.zone)
            let records = Self.history(start: start)
            // In uneven batches, one of them sent twice.
            var next = 0
            for size in [5, 17, 1, 40, 1000] where next < records.count {
                let batch = Array(records[next..<min(records.count, next + size)])
                for _ in 0..<(size == 17 ? 2 : 1) {
                    _ = try await store.ingest(
                        site: site, epoch: "e1", first: batch[0].seq, last: batch.last!.seq, records: batch,
                        configVersion: 0, sentAt: Date(), now: Date(), zone: Self.zone)
                }
                next += size
            }
            let from = try #require(LocalDate(parsing: "2026-11-19"))
            let to = try #require(LocalDate(parsing: "2026-11-23"))
            let incremental = try await store.daily(site: site, from: from, to: to)
            #expect(incremental.map(\.day.description) == ["2026-11-20", "2026-11-21", "2026-11-22"])
            let first = try #require(incremental.first)
            #expect(first.findingsMajor == 1 && first.findingsRaised == 1)
            #expect(incremental[1].findingsCritical == 1)
            #expect(incremental[2].checksMissed == 1)
            #expect(first.lotsHeld == 1)
            #expect(first.checksRecorded == 4)
            #expect(first.incidents == 1 && first.incidentsMajor == 0)
            #expect(incremental[1].incidentsMajor == 1)
            #expect(first.cost == 100.5)
            #expect(first.lateOrders == 1, "the day's last plan wins")
            #expect(first.onTimeShare == 0.75)
            #expect(first.ordersDue == 4 && first.ordersOnTime == 3, "the newest judgement of the day wins")
            #expect(first.adherence == 0.75)
            #expect(incremental[1].ordersDue == 4, "a judgement with more on time than due adds nothing")
            #expect(first.certificatesNeeded == 10 && first.certificatesValid == 9 && first.trainingCompliance == 0.9)
            #expect(incremental[1].certificatesValid == 9, "a judgement with more valid than needed adds nothing")
            let oee = try #require(first.oee)
            #expect(abs(oee.availability - 27_000.0 / 28_800) < 1e-9)
            #expect(abs(oee.quality - 0.9) < 1e-9)
            let total = DailyKPIs.total(incremental, as: to)
            #expect(total.findingsRaised == 3)
            #expect(total.ordersDue == 12 && total.ordersOnTime == 9, "a period sums its days' orders")
            #expect(total.certificatesNeeded == 30 && total.certificatesValid == 27)
            #expect(abs((total.oee?.value ?? 0) - oee.value) < 1e-9, "the same days give the same OEE")

            try await store.rebuildRollups(site: site, zone: Self.zone, from: nil)
            #expect(try await store.daily(site: site, from: from, to: to) == incremental)
            try await store.rebuildRollups(site: site, zone: Self.zone, from: LocalDate(parsing: "2026-11-21"))
            #expect(try await store.daily(site: site, from: from, to: to) == incremental)

            // Filtered state: open findings none (all closed), the unreadable one counted, lots on hold none.
            let unreadable = try await store.stateRows(
                site: site, kind: "finding", status: Rollup.unreadable, severity: nil, since: nil, limit: 0, offset: 0)
            #expect(unreadable.total == 1)
            let closed = try await store.stateRows(
                site: site, kind: "finding", status: "closed", severity: "critical", since: nil, limit: 10, offset: 0)
            #expect(closed.total == 1 && closed.payloads.count == 1)
            let incidents = try await store.stateRows(
                site: site, kind: "incident", status: nil, severity: nil,
                since: start.addingTimeInterval(86_400), limit: 10, offset: 0)
            #expect(incidents.total == 2)

            // What pages read: many sites at once (one unknown), and a period summed by the database.
            let read = try await store.snapshots(
                sites: [site, "nobody"], now: start.addingTimeInterval(2 * 86_400 + 15 * 3600),
                incidentsSince: start.addingTimeInterval(86_400), detail: true)
            let snapshot = try #require(read[site])
            #expect(snapshot.contact?.epoch == "e1")
            #expect(snapshot.openFindings.isEmpty && snapshot.lotsOnHold.isEmpty)
            #expect(snapshot.incidents.count == 2)
            #expect(snapshot.unreadable == 1)
            #expect(snapshot.schedule != nil)
            #expect(snapshot.lastPlan?.day.description == "2026-11-22" && snapshot.lastPlan?.lateOrders == 1)
            #expect(snapshot.adherence.count == 2 && snapshot.adherence[0].contains("2026-11-22"))
            #expect(snapshot.production.productionReports == 0 && snapshot.production.plannedSeconds == 8 * 3600)
            #expect(read["nobody"]?.contact == nil)
            let totals = try await store.totals(sites: [site, "nobody"], from: from, to: to)
            let summed = try #require(totals[site])
            #expect(summed.total.findingsRaised == total.findingsRaised)
            #expect(summed.total.checksRecorded == total.checksRecorded)
            #expect(abs(summed.total.plannedSeconds - total.plannedSeconds) < 1e-6)
            #expect(abs((summed.meanAdherence ?? 0) - 0.75) < 1e-9)
            #expect(summed.total.ordersDue == 12 && abs((summed.adherence ?? 0) - 0.75) < 1e-9)
            #expect(totals["nobody"] == nil || totals["nobody"]?.total.findingsRaised == 0)
        }
    }
}

@Suite struct DayNumberTests {
    /// Stepping by day numbers agrees with the calendar, across month ends, leap days and centuries.
    @Test func addingDaysAgreesWithTheCalendar() throws {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "UTC")!
        var date = try #require(LocalDate(parsing: "1999-12-25"))
        for _ in 0..<800 {
            let next = date.adding(days: 1)
            #expect(next == date.next(in: calendar.timeZone))
            #expect(next.adding(days: -1) == date)
            date = next
        }
        #expect(try #require(LocalDate(parsing: "2024-03-01")).adding(days: -1).description == "2024-02-29")
        #expect(LocalDate(dayNumber: 0).description == "1970-01-01")
    }
}
