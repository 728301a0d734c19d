import Foundation
import Hummingbird
import HummingbirdTesting
import Testing

@testable import TaktCore
@testable import TaktHost
@testable import TaktSiteApp

/// A complaint becomes a report on the phone; the containment is signed by whoever records it; a form naming no
/// source, or both, is refused with nothing written.
extension SiteAppTests {
    @Test func aComplaintBecomesAReportAndIsContainedFromThePage() async throws {
        try await Application(router: app.router()).test(.router) { client in
            var amara = Browser(client: client)
            _ = try await amara.signIn("amara", "1234")
            let page = String(buffer: try await amara.get("/ncr").body)
            #expect(page.contains("id=\"open-ncr\""))
            let neither = try await amara.submit(page, "/ncr", "step=open&description=Warm%20curry")
            #expect(neither.status == .unprocessableContent)
            let unknown = try await amara.submit(page, "/ncr", "step=erase&id=NCR-1")
            #expect(unknown.status == .unprocessableContent)
            #expect(try host.nonConformances().isEmpty)
            let opened = String(
                buffer: try await amara.submit(
                    page, "/ncr", "step=open&complaint=CC-114&description=Curry%20warm%20on%20delivery"
                ).body)
            #expect(opened.contains("NCR-1 saved."), "\(opened)")
            #expect(opened.contains("Curry warm on delivery"))
            let contained = String(
                buffer: try await amara.submit(
                    opened, "/ncr", "step=contain&id=NCR-1&containment=Batch%20recalled"
                ).body)
            #expect(contained.contains("Batch recalled"))
            let report = try host.nonConformance("NCR-1")
            #expect(report.status == .contained && report.containedBy == "amara" && report.openedBy == "amara")
        }
    }
}
