import Foundation
import Hummingbird
import HummingbirdTesting
import Testing

@testable import TaktCore
@testable import TaktHost
@testable import TaktSiteApp

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
