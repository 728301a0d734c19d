import Foundation
import Synchronization
import Testing

@testable import BuiltinModules
@testable import TaktCore
@testable import TaktHost
@testable import TaktStore

/// Incidents judged by the law where the site is: what must be reported to the authority, and by when.
@Suite struct IncidentReportingTests {
    static let zone = TimeZone(identifier: "Europe/London")!
    static let monday = Instant.parse("2026-11-30T09:00", in: zone)!

    func host(country: String) throws -> SiteHost {
        let text = """
            site: {id: s, name: S, region: r, time_zone: Europe/London, country: \(country), currency: GBP}
            modules:
              overseas_plant: {}
            work_centres: [{id: oven-1}]
            staff:
              - {id: amara, name: Amara}
            """
        let definition = try SiteLoader(registry: try BuiltinModules.registry()).load(text: text, file: "site.yaml")
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("inc-\(UUID().uuidString).sqlite")
        return SiteHost(
            definition: definition, store: try SiteStore(path: path.path, siteID: "s"),
            clock: { Self.monday.addingTimeInterval(30 * 86_400) })
    }

    func injury(_ outcome: Incident.Outcome?, days: Int? = nil, kind: String = "injury", at: Date = Self.monday)
        -> Incident
    {
        var incident = Incident(
            id: "", kind: kind, severity: .major, description: "Hand caught in the divider", workCentre: "oven-1",
            reportedBy: "amara", at: at)
        incident.injured = "amara"
        incident.outcome = outcome
        incident.daysLost = days
        return incident
    }

    @Test func anOverSevenDayInjuryGetsARIDDORDeadline() throws {
        let host = try host(country: "GB-ENG")
        let over = try host.report(injury(.lostTime, days: 9))
        let finding = try #require(over.findings.first)
        #expect(finding.rule.rawValue == "overseas_plant.uk.incident_report" && finding.severity == .major)
        #expect(finding.message.contains("RIDDOR 2013 reg. 4(2)") && finding.message.contains("the HSE"))
        #expect(finding.message.contains(Instant.format(Self.monday.addingTimeInterval(15 * 86_400), in: Self.zone)))
        // Seven days is not more than seven; a near miss is not reported; a specified injury is, at once.
        #expect(try host.report(injury(.lostTime, days: 7)).findings.isEmpty)
        #expect(try host.report(injury(nil, kind: "near_miss")).findings.isEmpty)
        let fracture = try host.report(injury(.specified))
        #expect(fracture.findings.first?.severity == .critical)
        #expect(fracture.findings.first?.message.contains("notify the HSE now") == true)
        #expect(over.incident.id == "INC-1" && fracture.incident.id == "INC-4")
    }

    @Test func mexicoNotifiesEveryWorkAccidentWithin72HoursAndMalaysiaLongAbsences() throws {
        let mexico = try host(country: "MX")
        let accident = try mexico.report(injury(.firstAid))
        #expect(accident.findings.first?.message.contains("Ley Federal del Trabajo art. 504") == true)
        let malaysia = try host(country: "MY")
        #expect(try malaysia.report(injury(.lostTime, days: 4)).findings.isEmpty)
        #expect(try malaysia.report(injury(.lostTime, days: 5)).findings.first?.message.contains("DOSH") == true)
    }

    @Test func badIncidentsAreRefusedAndTheLostTimeRateUsesRosteredHours() throws {
        let host = try host(country: "GB-ENG")
        #expect(throws: HostError.self) {
            try host.report(injury(nil, at: Self.monday.addingTimeInterval(90 * 86_400)))
        }
        #expect(throws: HostError.self) { try host.report(injury(nil, kind: "alien")) }
        #expect(throws: HostError.self) { try host.report(injury(nil, days: 3, kind: "near_miss")) }
        var empty = injury(nil)
        empty.description = "  "
        #expect(throws: HostError.self) { try host.report(empty) }
        #expect(try host.store.incidentCount() == 0)
        // 10 shifts of 8 hours, one lost-time injury: 12,500 per million hours.
        for day in 0..<10 {
            let start = Self.monday.addingTimeInterval(Double(day) * 86_400 - 3 * 3600)
            try host.store.addAssignment(
                ShiftAssignment(staff: "amara", start: start, end: start.addingTimeInterval(8 * 3600)), at: Self.monday)
        }
        _ = try host.report(injury(nil, days: 2))
        let rate = try host.lostTimeInjuryFrequency(
            in: DateInterval(start: Self.monday.addingTimeInterval(-86_400), duration: 20 * 86_400))
        #expect(rate.injuries == 1 && rate.hours == 80 && rate.rate == 12_500)
    }
}

extension IncidentReportingTests {
    /// Twelve reports, work orders and purchase orders at the same moment: each gets its own number, none is lost,
    /// and each reportable injury its own finding.
    @Test func numbersAreGivenOnceWhenManyArriveAtOnce() throws {
        let text = """
            site: {id: s, name: S, region: r, time_zone: Europe/London, country: GB-ENG, currency: GBP}
            modules:
              overseas_plant: {}
            work_centres: [{id: oven-1}]
            staff:
              - {id: amara, name: Amara}
            items:
              - {id: nozzle, unit: pcs}
            suppliers:
              - {id: burners, items: {nozzle: approved}}
            """
        let definition = try SiteLoader(registry: try BuiltinModules.registry()).load(text: text, file: "site.yaml")
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("ids-\(UUID().uuidString).sqlite")
        let host = SiteHost(
            definition: definition, store: try SiteStore(path: path.path, siteID: "s"),
            clock: { Self.monday.addingTimeInterval(30 * 86_400) })
        let failures = Mutex(0)
        DispatchQueue.concurrentPerform(iterations: 12) { index in
            do {
                _ = try host.report(injury(.lostTime, days: 8 + index))
                _ = try host.openWorkOrder(
                    asset: "oven-1", kind: .corrective, description: "fault \(index)", by: nil, at: Self.monday)
                _ = try host.createPurchaseOrder(
                    supplier: "burners", item: "nozzle", quantity: 1, due: Self.monday.addingTimeInterval(86_400),
                    by: nil, at: Self.monday)
            } catch {
                failures.withLock { $0 += 1 }
            }
        }
        #expect(failures.withLock { $0 } == 0)
        let incidents = try host.incidents(in: DateInterval(start: .distantPast, end: .distantFuture))
        #expect(Set(incidents.map(\.id)) == Set((1...12).map { "INC-\($0)" }))
        #expect(Set(try host.workOrders().map(\.id)) == Set((1...12).map { "WO-\($0)" }))
        #expect(Set(try host.purchaseOrders().map(\.id)) == Set((1...12).map { "PO-\($0)" }))
        #expect(Set(try host.findings(openOnly: true).map(\.message)).count == 12)
    }
}

/// Days lost become known after the accident: a correction is a new record that references the first, the first
/// stays as it was, and the rules judge the incident as it now stands.
extension IncidentReportingTests {
    @Test func aCorrectionThatTakesAnInjuryOverSevenDaysRaisesTheRIDDORFindingOnce() throws {
        let host = try host(country: "GB-ENG")
        let first = try host.report(injury(.lostTime, days: 2))
        #expect(first.findings.isEmpty)
        let later = Self.monday.addingTimeInterval(9 * 86_400)
        let corrected = try host.correct(incident: first.incident.id, by: "amara", at: later) { $0.daysLost = 9 }
        #expect(corrected.incident.id == "INC-2" && corrected.incident.corrects == "INC-1")
        #expect(corrected.incident.root == "INC-1" && corrected.incident.at == Self.monday)
        let finding = try #require(corrected.findings.first)
        #expect(finding.raisedAt == later && finding.message.contains("INC-1 (as corrected by INC-2)"))
        #expect(finding.message.contains(Instant.format(Self.monday.addingTimeInterval(15 * 86_400), in: Self.zone)))
        // The first record is kept as it was; the incident counts once, as corrected.
        #expect(try host.store.incident("INC-1")?.daysLost == 2)
        let window = DateInterval(start: Self.monday.addingTimeInterval(-86_400), end: later)
        #expect(try host.incidents(in: window).map(\.id) == ["INC-2"])
        // Another correction with the same reportability raises nothing new; a stale or empty one is refused.
        let again = try host.correct(incident: "INC-2", by: "amara", at: later) { $0.daysLost = 12 }
        #expect(again.findings.isEmpty && again.incident.root == "INC-1")
        #expect(throws: HostError.self) {
            try host.correct(incident: "INC-1", by: "amara", at: later) { $0.daysLost = 20 }
        }
        #expect(throws: HostError.self) { try host.correct(incident: "INC-3", by: "amara", at: later) { _ in } }
        #expect(throws: HostError.self) {
            try host.correct(incident: "INC-3", by: "amara", at: later) { $0.daysLost = -1 }
        }
        #expect(try host.store.outbox(after: 0, limit: 100).filter { $0.kind == "incident_correction" }.count == 2)
    }
}
