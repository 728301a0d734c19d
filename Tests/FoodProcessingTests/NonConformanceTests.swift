import Foundation
import Testing

@testable import BuiltinModules
@testable import TaktCore
@testable import TaktHost
@testable import TaktStore

/// A chill breach holds a lot; a non-conformance report takes it over: the lot is released only when the report's
/// containment is recorded, actions are verified by someone else after their wait, and late actions escalate.
@Suite struct NonConformanceTests {
    static let zone = TimeZone(identifier: "UTC")!
    static let start = Instant.parse("2026-11-30T06:00", in: zone)!
    static let site = """
        site: {id: leeds, name: Leeds, region: uk, time_zone: UTC, country: GB-ENG, currency: GBP}
        modules:
          food_processing:
            chill: {max_celsius: 5, every: 4h, work_centres: [walk-in-chiller]}
        work_centres: [{id: walk-in-chiller}]
        products: [{id: curry}]
        staff:
          - {id: amara, name: Amara, certificates: [{kind: food_hygiene_level_2, expires: 2030-06-30}]}
          - {id: ben, name: Ben, certificates: [{kind: food_hygiene_level_2, expires: 2030-06-30}]}
        """

    /// A host whose clock is `now()` (a box the test moves).
    func host(now: @escaping @Sendable () -> Date = { Self.start.addingTimeInterval(90 * 86_400) }) throws -> SiteHost {
        let definition = try SiteLoader(registry: try BuiltinModules.registry()).load(
            text: Self.site, file: "site.yaml")
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("ncr-\(UUID().uuidString).sqlite")
        return SiteHost(
            definition: definition,
            store: try SiteStore(path: path.path, siteID: "leeds", recordKinds: definition.recordKinds), clock: now)
    }

    /// A warm chiller reading on lot L1: the finding that holds it.
    func breach(_ host: SiteHost) throws -> Finding {
        try host.addLot(
            Lot(id: "L1", product: "curry", quantity: 40, producedAt: Self.start), at: Self.start)
        let recorded = try host.record(
            CheckReading(
                check: "food_processing.ccp.chill", value: 9, lot: "L1", workCentre: "walk-in-chiller",
                recordedBy: "amara", at: Self.start.addingTimeInterval(3600)))
        return try #require(recorded.findings.first { $0.actions.contains { $0.kind == .holdLot } })
    }

    func hour(_ hours: Double) -> Date { Self.start.addingTimeInterval(hours * 3600) }

    @Test func aHeldLotIsReleasedOnlyWhenTheReportsContainmentIsDone() throws {
        let host = try host()
        let finding = try breach(host)
        let report = try host.openNonConformance(
            NonConformance(
                source: .finding, reference: "#\(finding.id!)", description: "Chiller at 9 °C with curry inside",
                openedBy: "amara", openedAt: hour(2)))
        #expect(report.id == "NCR-1")
        #expect(report.lots == ["L1"])
        #expect(report.workCentre == "walk-in-chiller" || report.workCentre == nil)
        // The finding is now the report's: it closes with the containment, not by itself.
        #expect(throws: HostError.self) {
            try host.closeFinding(finding.id!, by: "amara", resolution: "moved", at: hour(3))
        }
        #expect(throws: HostError.self) { try host.decide(lot: "L1", status: .released, by: "ben", at: hour(3)) }
        #expect(throws: HostError.self) { try host.contain(nonConformance: "NCR-1", "  ", by: "amara", at: hour(3)) }

        let contained = try host.contain(
            nonConformance: "NCR-1", "Curry moved to the spare chiller; core 4 °C after 40 min", by: "amara",
            at: hour(3))
        #expect(contained.status == .contained)
        #expect(try host.store.finding(finding.id!)?.status == .closed)
        #expect(try host.store.finding(finding.id!)?.resolution?.contains("NCR-1") == true)
        #expect(try host.decide(lot: "L1", status: .released, by: "ben", at: hour(4)).status == .released)
        // A second report from the same finding is refused; nothing more is stored.
        #expect(throws: HostError.self) {
            try host.openNonConformance(
                NonConformance(
                    source: .finding, reference: String(finding.id!), description: "again", openedBy: "amara",
                    openedAt: hour(5)))
        }
        #expect(try host.nonConformances().count == 1)
    }

    @Test func actionsAreVerifiedBySomeoneElseAfterTheirWaitBeforeTheReportCloses() throws {
        let host = try host()
        _ = try breach(host)
        let report = try host.openNonConformance(
            NonConformance(
                source: .complaint, reference: "CC-2026-114", description: "Customer found curry warm on delivery",
                lots: ["L1"], openedBy: "amara", openedAt: hour(2)))
        let id = report.id
        #expect(throws: HostError.self) { try host.closeNonConformance(id, by: "ben", at: hour(3)) }
        _ = try host.contain(nonConformance: id, "Lot L1 recalled from the customer", by: "amara", at: hour(3))
        _ = try host.recordRootCause(
            nonConformance: id,
            whys: ["The chiller door was left open", "The door alarm was off", "No check of the alarm after cleaning"],
            category: .method, by: "amara", at: hour(4))
        let today = LocalDate(hour(4), in: Self.zone)
        // The owner must be on the staff; a due date already past is refused.
        #expect(throws: HostError.self) {
            try host.addAction(
                nonConformance: id, kind: .corrective, description: "x", owner: "nobody", due: today,
                verifyAfterDays: 7, at: hour(4))
        }
        #expect(throws: HostError.self) {
            try host.addAction(
                nonConformance: id, kind: .corrective, description: "x", owner: "amara", due: today.adding(days: -1),
                verifyAfterDays: 7, at: hour(4))
        }
        _ = try host.addAction(
            nonConformance: id, kind: .corrective, description: "Test the door alarm after every clean",
            owner: "amara", due: today.adding(days: 3), verifyAfterDays: 7, at: hour(4))
        #expect(throws: HostError.self) {  // not done yet
            try host.verifyAction(nonConformance: id, action: 1, by: "ben", effective: true, note: "ok", at: hour(5))
        }
        _ = try host.completeAction(
            nonConformance: id, action: 1, by: "amara", note: "Added to the cleaning checklist", at: hour(6))
        #expect(throws: HostError.self) {  // the owner verifies her own work
            try host.verifyAction(
                nonConformance: id, action: 1, by: "amara", effective: true, note: "ok", at: hour(6 + 8 * 24))
        }
        #expect(throws: HostError.self) {  // before the 7 days' wait
            try host.verifyAction(nonConformance: id, action: 1, by: "ben", effective: true, note: "ok", at: hour(30))
        }
        // Ineffective: back to be done again, and the report cannot close.
        var verified = try host.verifyAction(
            nonConformance: id, action: 1, by: "ben", effective: false, note: "Alarm found off on day 6",
            at: hour(6 + 7 * 24))
        #expect(verified.actions[0].doneAt == nil && verified.actions[0].verifications.count == 1)
        #expect(throws: HostError.self) { try host.closeNonConformance(id, by: "ben", at: hour(6 + 7 * 24)) }
        _ = try host.completeAction(
            nonConformance: id, action: 1, by: "amara", note: "Alarm key removed", at: hour(7 + 7 * 24))
        verified = try host.verifyAction(
            nonConformance: id, action: 1, by: "ben", effective: true, note: "Alarm on at every check for 7 days",
            at: hour(7 + 14 * 24))
        #expect(verified.actions[0].verifiedEffective)
        let closed = try host.closeNonConformance(id, by: "ben", at: hour(8 + 14 * 24))
        #expect(closed.status == .closed)
        #expect(throws: HostError.self) {
            try host.completeAction(nonConformance: id, action: 1, by: "amara", note: "again", at: hour(9 + 14 * 24))
        }
        // Every state went to the outbox, the last one closed.
        let sent = try host.store.outbox(after: 0, limit: 10_000).filter { $0.kind == "nonconformance" }
        #expect(sent.count == 9)
    }

    @Test func aLateActionRaisesAFindingOnceAndEscalatesAfterAWeek() throws {
        let host = try host()
        let report = try host.openNonConformance(
            NonConformance(
                source: .audit, reference: "BRCGS 2026 obs. 4", description: "Probe wipes not at the chiller",
                openedBy: "amara", openedAt: hour(1)))
        let due = LocalDate(hour(1), in: Self.zone).adding(days: 2)
        _ = try host.addAction(
            nonConformance: report.id, kind: .preventive, description: "Wipe dispenser at every probe point",
            owner: "ben", due: due, verifyAfterDays: 0, at: hour(1))
        let onTime = try host.sweep(at: due.instant(at: LocalTime(hour: 23, minute: 0), in: Self.zone))
        #expect(!onTime.contains { $0.rule == .capaOverdue })
        let late = try host.sweep(at: due.next(in: Self.zone).instant(at: LocalTime(hour: 1, minute: 0), in: Self.zone))
        #expect(late.filter { $0.rule == .capaOverdue }.map(\.severity) == [.major])
        #expect(late.first { $0.rule == .capaOverdue }?.subject == .init(.staff, "ben"))
        let again = try host.sweep(
            at: due.next(in: Self.zone).instant(at: LocalTime(hour: 2, minute: 0), in: Self.zone))
        #expect(!again.contains { $0.rule == .capaOverdue })
        let escalated = try host.sweep(at: due.adding(days: 9).instant(in: Self.zone))
        #expect(escalated.filter { $0.rule == .capaOverdue }.map(\.severity) == [.critical])
        // Central's status counts the late action.
        let status = try host.qualityStatus(at: due.adding(days: 9).instant(in: Self.zone))
        #expect(status.overdueActions == 1 && status.reports.map(\.id) == [report.id])
    }

    @Test func aReportFromNothingOrAnUnknownSourceIsRefusedWritingNothing() throws {
        let host = try host()
        for report in [
            NonConformance(source: .finding, reference: "99", description: "x", openedBy: "amara", openedAt: hour(1)),
            NonConformance(
                source: .incident, reference: "INC-7", description: "x", openedBy: "amara", openedAt: hour(1)),
            NonConformance(source: .complaint, description: "x", openedBy: "amara", openedAt: hour(1)),
            NonConformance(source: .audit, reference: "A1", description: " ", openedBy: "amara", openedAt: hour(1)),
            NonConformance(source: .audit, reference: "A1", description: "x", openedBy: "zed", openedAt: hour(1)),
            NonConformance(
                source: .audit, reference: "A1", description: "x", lots: ["nope"], openedBy: "amara",
                openedAt: hour(1)),
        ] {
            #expect(throws: HostError.self) { try host.openNonConformance(report) }
        }
        #expect(try host.nonConformances().isEmpty)
        #expect(try host.store.outbox(after: 0, limit: 100).filter { $0.kind == "nonconformance" }.isEmpty)
    }
}
