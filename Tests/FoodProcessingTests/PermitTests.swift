import Foundation
import Testing

@testable import TaktCore
@testable import TaktHost
@testable import TaktScheduling
@testable import TaktStore

/// A permit to isolate the oven's burner: refused without precautions or isolation points, accepted by the
/// person doing the work only after lock-out/tag-out, closed time on the oven while open, a finding when it
/// overruns, and not closed while its work order is in progress.
@Suite struct PermitTests {
    let bakery = MaintenanceTests()
    static let staff = """
        staff:
          - {id: ravi, name: Ravi, skills: [loto_trained]}
          - {id: jo, name: Jo}
        """

    func host() throws -> SiteHost {
        try bakery.host(
            MaintenanceTests.site.replacingOccurrences(
                of: "staff:\n  - {id: ravi, name: Ravi, skills: [loto_trained]}\n", with: Self.staff + "\n"))
    }

    func permit(from: Double = 2, hours: Double = 3, isolations: [String] = ["Gas valve GV-3", "Isolator DB-2/7"])
        -> PermitToWork
    {
        PermitToWork(
            kind: .electricalIsolation, asset: "oven-1", description: "Replace the burner igniter",
            from: bakery.at(from), to: bakery.at(from + hours), precautions: ["Oven cooled below 40 °C"],
            isolations: isolations, issuedBy: "jo", issuedAt: bakery.at(1))
    }

    @Test func aPermitIsAcceptedOnlyAfterLockOutAndIsClosedTimeOnTheAsset() throws {
        let host = try host()
        #expect(throws: HostError.self) { try host.issue(permit(isolations: [])) }
        #expect(throws: HostError.self) { try host.issue(permit(hours: 30)) }
        var noPrecautions = permit()
        noPrecautions.precautions = [" "]
        #expect(throws: HostError.self) { try host.issue(noPrecautions) }
        #expect(try host.permits().isEmpty)

        let issued = try host.issue(permit())
        #expect(issued.id == "PTW-1" && issued.status == .issued)
        #expect(throws: HostError.self) { try host.issue(permit(from: 4)) }  // overlaps PTW-1
        #expect(throws: HostError.self) { try host.accept(permit: "PTW-1", by: "jo", at: bakery.at(2)) }  // issuer
        #expect(throws: HostError.self) { try host.accept(permit: "PTW-1", by: "ravi", at: bakery.at(2)) }  // no LOTO
        _ = try host.record(
            CheckReading(
                check: "food_processing.safety.loto", value: 1, workCentre: "oven-1", recordedBy: "ravi",
                at: bakery.at(1.9)))
        let accepted = try host.accept(permit: "PTW-1", by: "ravi", at: bakery.at(2))
        #expect(accepted.status == .accepted && accepted.lockedOutAt == bakery.at(1.9))

        // The scheduler sees the oven closed over the permit's window.
        let outages = try host.blockedOutages(from: bakery.at(0), horizon: TimeSpan(seconds: 24 * 3600))
        #expect(outages.map(\.workCentre) == ["oven-1"])
        #expect(outages.first?.from == bakery.at(2) && outages.first?.to == bakery.at(5))

        _ = try host.suspend(permit: "PTW-1", reason: "Gas alarm", by: "ravi", at: bakery.at(3))
        #expect(throws: HostError.self) {
            try host.suspend(permit: "PTW-1", reason: "again", by: "ravi", at: bakery.at(3))
        }
        _ = try host.resume(permit: "PTW-1", by: "jo", at: bakery.at(3.5))
        // Past its end and still open: a finding, once.
        let late = try host.sweep(at: bakery.at(6)).filter { $0.rule == .permitOverrun }
        #expect(late.count == 1 && late[0].severity == .major)
        #expect(try host.sweep(at: bakery.at(7)).filter { $0.rule == .permitOverrun }.isEmpty)
        #expect(throws: HostError.self) { try host.close(permit: "PTW-1", by: "ravi", note: " ", at: bakery.at(7)) }
        let closed = try host.close(
            permit: "PTW-1", by: "ravi", note: "Isolations removed, oven test-fired", at: bakery.at(7))
        #expect(closed.status == .closed)
        #expect(try host.blockedOutages(from: bakery.at(0), horizon: TimeSpan(seconds: 24 * 3600)).isEmpty)
        #expect(try host.store.outbox(after: 0, limit: 1_000).filter { $0.kind == "permit" }.count == 5)
    }

    @Test func aPermitIsNotClosedWhileItsWorkOrderIsInProgress() throws {
        let host = try host()
        let order = try host.openWorkOrder(
            asset: "oven-1", kind: .corrective, description: "Igniter fails", by: "jo", at: bakery.at(0.5))
        var covering = permit()
        covering.workOrder = order.id
        _ = try host.issue(covering)
        var wrong = permit(from: 10)
        wrong.workOrder = "WO-99"
        #expect(throws: HostError.self) { try host.issue(wrong) }
        _ = try host.record(
            CheckReading(
                check: "food_processing.safety.loto", value: 1, workCentre: "oven-1", recordedBy: "ravi",
                at: bakery.at(1.5)))
        _ = try host.accept(permit: "PTW-1", by: "ravi", at: bakery.at(2))
        _ = try host.startWorkOrder(order.id, by: "ravi", at: bakery.at(2.1))
        #expect(throws: HostError.self) {
            try host.close(permit: "PTW-1", by: "ravi", note: "done", at: bakery.at(3))
        }
    }
}
