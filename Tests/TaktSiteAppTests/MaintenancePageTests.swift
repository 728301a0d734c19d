import BuiltinModules
import Foundation
import Hummingbird
import HummingbirdTesting
import Testing

@testable import TaktCore
@testable import TaktHost
@testable import TaktSiteApp
@testable import TaktStore
@testable import TaktWeb

/// The Maintenance page: an operator reports a breakdown; the site manager starts it only after lock-out and
/// closes it with its cause and remedy.
extension SiteAppTests {
    @Test func anOperatorReportsABreakdownAndTheManagerClosesItAfterLockOut() async throws {
        try await Application(router: app.router()).test(.router) { client in
            var amara = Browser(client: client)
            _ = try await amara.signIn("amara", "1234")
            let page = String(buffer: try await amara.get("/maintenance").body)
            #expect(page.contains("id=\"breakdown\""))
            let reported = String(
                buffer: try await amara.submit(
                    page, "/maintenance/breakdown", "asset=oven-1&description=Burner%20will%20not%20light"
                ).body)
            #expect(reported.contains("Breakdown reported: work order WO-1."), "\(reported)")
            #expect(!reported.contains("value=\"start\""))
            #expect(
                try await amara.submit(reported, "/maintenance/work-order", "id=WO-1&action=start").status == .forbidden
            )

            var pat = Browser(client: client)
            _ = try await pat.signIn("pat", "manager-pass-1")
            let list = String(buffer: try await pat.get("/maintenance").body)
            // A work order that does not exist, an action that does not, minutes that are no number, a breakdown
            // on a machine the site lacks, and one with no description: refused, nothing written.
            for (action, form) in [
                ("/maintenance/work-order", "id=WO-99&action=start"),
                ("/maintenance/work-order", "id=WO-1&action=explode"),
                ("/maintenance/work-order", "id=%3Cscript%3E&action=start"),
                ("/maintenance/breakdown", "asset=oven-9&description=smoke"),
                ("/maintenance/breakdown", "asset=oven-1&description=%20%20"),
            ] {
                let fresh = String(buffer: try await pat.get("/maintenance").body)
                #expect(try await pat.submit(fresh, action, form).status == .unprocessableContent, "\(form)")
            }
            #expect(try host.workOrders().count == 1)
            let refused = try await pat.submit(list, "/maintenance/work-order", "id=WO-1&action=start")
            #expect(refused.status == .unprocessableContent)
            #expect(String(buffer: refused.body).contains("food_processing.safety.loto"))
            _ = try host.record(
                CheckReading(
                    check: "food_processing.safety.loto", value: 1, workCentre: "oven-1", recordedBy: "pat",
                    at: Date()))
            let started = String(
                buffer: try await pat.submit(list, "/maintenance/work-order", "id=WO-1&action=start").body)
            #expect(started.contains("Work order WO-1 started."), "\(started)")
            let closed = String(
                buffer: try await pat.submit(
                    started, "/maintenance/work-order",
                    "id=WO-1&action=done&minutes=45&cause=Blocked%20nozzle&remedy=Cleaned%20it"
                ).body)
            #expect(closed.contains("Work order WO-1 done."), "\(closed)")
            #expect(try host.workOrders(openOnly: false).first?.status == .done)
        }
    }
}

extension SiteAppTests {
    /// Quality records a probe's calibration at ice and boiling point from the Maintenance page; an operator may not.
    @Test func qualityCalibratesAProbeFromTheMaintenancePage() async throws {
        let text =
            Self.site + """
                instruments:
                  - {id: probe-1, name: Probe thermometer 1, unit: °C, every: 7d, tolerance: 1, points: [0, 100]}
                """
        let definition = try SiteLoader(registry: try BuiltinModules.registry()).load(text: text, file: "site.yaml")
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("cal-\(UUID().uuidString).sqlite")
        let host = SiteHost(
            definition: definition,
            store: try SiteStore(path: path.path, siteID: "leeds", recordKinds: definition.recordKinds))
        for (staff, role, secret) in [("amara", SiteRole.operator_, "1234"), ("qa", .quality, "quality-pass-1")] {
            try host.store.saveAppUser(
                .init(staff: staff, role: role, secretHash: try Credentials.hash(password: secret, rounds: 210_000)),
                at: Date())
        }
        try await Application(router: SiteApp(host: host).router()).test(.router) { client in
            var amara = Browser(client: client)
            _ = try await amara.signIn("amara", "1234")
            let seen = String(buffer: try await amara.get("/maintenance").body)
            #expect(!seen.contains("id=\"calibrate-probe-1\""))
            #expect(
                try await amara.submit(seen, "/maintenance/calibrate", "instrument=probe-1&point0=0&point1=100").status
                    == .forbidden)
            var quinn = Browser(client: client)
            _ = try await quinn.signIn("qa", "quality-pass-1")
            let page = String(buffer: try await quinn.get("/maintenance").body)
            #expect(page.contains("id=\"calibrate-probe-1\""))
            let typo = try await quinn.submit(
                page, "/maintenance/calibrate", "instrument=probe-1&point0=abc&point1=100")
            #expect(typo.status == .unprocessableContent)
            let passed = String(
                buffer: try await quinn.submit(
                    page, "/maintenance/calibrate", "instrument=probe-1&point0=0%2C4&point1=99.6"
                )
                .body)
            #expect(passed.contains("Probe thermometer 1 calibrated: it passed."), "\(passed)")
            let failed = String(
                buffer: try await quinn.submit(
                    passed, "/maintenance/calibrate", "instrument=probe-1&point0=2&point1=100"
                )
                .body)
            #expect(failed.contains("Probe thermometer 1 failed its calibration"), "\(failed)")
        }
    }
}

/// An open permit to work shows on the Maintenance page with its precautions and isolations, in the reader's
/// language; a closed one does not.
extension SiteAppTests {
    @Test func openPermitsShowOnTheMaintenancePage() async throws {
        let now = Date()
        _ = try host.issue(
            PermitToWork(
                kind: .hotWork, asset: "oven-1", description: "Weld the <flue> bracket", from: now,
                to: now.addingTimeInterval(3600), precautions: ["Fire watch for 60 min"], issuedBy: "amara",
                issuedAt: now))
        try await Application(router: app.router()).test(.router) { client in
            var amara = Browser(client: client)
            _ = try await amara.signIn("amara", "1234")
            let page = String(buffer: try await amara.get("/maintenance").body)
            #expect(
                page.contains("PTW-1") && page.contains("Hot work") && page.contains("Weld the &lt;flue&gt; bracket"))
            #expect(page.contains("Fire watch for 60 min"))
            _ = try host.close(permit: "PTW-1", by: "amara", note: "Not needed", at: Date())
            let after = String(buffer: try await amara.get("/maintenance").body)
            #expect(!after.contains("PTW-1") && after.contains("No open permits."))
        }
    }
}
