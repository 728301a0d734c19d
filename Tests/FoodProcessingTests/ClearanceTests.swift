import Foundation
import Testing

@testable import BuiltinModules
@testable import FoodProcessing
@testable import TaktCore
@testable import TaktHost

/// The clearance `takt staff clearance` gives is the same one that decides who may close a control point's
/// finding and who may be rostered on an open-food line.
@Suite struct ClearanceTests {
    static let zone = TimeZone(identifier: "Europe/Dublin")!
    let now = Instant.parse("2026-11-25T10:00", in: zone)!

    func host() throws -> SiteHost {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("clear-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        let yaml = """
            site: {id: dublin, name: Dublin, region: eu-west, time_zone: Europe/Dublin, currency: EUR, country: IE}
            modules:
              food_processing:
                people: {open_food_work_centres: [packing-line]}
            work_centres: [{id: chiller}, {id: packing-line}]
            products: [{id: curry}]
            staff:
              - {id: aoife, name: Aoife, certificates: [{kind: food_hygiene_level_2, expires: 2027-06-30}]}
              - {id: tom, name: Tom, certificates: [{kind: food_hygiene_level_2, expires: 2026-11-01}]}
            """
        try yaml.write(to: folder.appendingPathComponent("site.yaml"), atomically: true, encoding: .utf8)
        let clock = now
        return try SiteHost.open(
            path: folder.path, dataDirectory: folder.appendingPathComponent("data").path,
            registry: try BuiltinModules.registry(), clock: { clock })
    }

    @Test func someoneWithAnExpiredHygieneCertificateMayNotCloseAControlPointFinding() throws {
        let host = try host()
        try host.addLot(
            Lot(id: "L1", product: "curry", quantity: 5, producedAt: now.addingTimeInterval(-3600)), at: now)
        let breach = try host.record(
            CheckReading(check: "food_processing.ccp.chill", value: 9, lot: "L1", recordedBy: "aoife", at: now))
        let id = try #require(breach.findings.first { $0.rule == "food_processing.ccp.chill" }?.id)
        #expect(throws: HostError.self) {
            try host.closeFinding(id, by: "tom", resolution: "moved stock", at: now)
        }
        do {
            _ = try host.closeFinding(id, by: "tom", resolution: "moved stock", at: now)
        } catch {
            #expect("\(error)".contains("Tom (tom) may not close finding #\(id)"))
            #expect("\(error)".contains("a valid food_hygiene_level_2 certificate"))
        }
        #expect(try host.findings(openOnly: true).contains { $0.id == id })
        let closed = try host.closeFinding(id, by: "aoife", resolution: "moved stock to chiller 2", at: now)
        #expect(closed.status == .closed)
    }

    @Test func someoneWithAnExpiredHygieneCertificateIsNotRosteredOnAnOpenFoodLine() throws {
        let host = try host()
        let start = Instant.parse("2026-11-26T06:00", in: Self.zone)!
        let shift = ShiftAssignment(
            staff: "tom", start: start, end: start.addingTimeInterval(8 * 3600), workCentre: "packing-line")
        #expect(throws: HostError.self) { try host.assign(shift, at: now) }
        #expect(try host.clearance(of: "tom", at: "packing-line", now: start).isEmpty == false)
        // Elsewhere, and for someone cleared, the roster is fine.
        var chiller = shift
        chiller.workCentre = "chiller"
        try host.assign(chiller, at: now)
        var aoife = shift
        aoife.staff = "aoife"
        try host.assign(aoife, at: now)
    }
}
