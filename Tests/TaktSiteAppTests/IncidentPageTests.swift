import Foundation
import Hummingbird
import HummingbirdTesting
import Testing

@testable import TaktCore
@testable import TaktHost
@testable import TaktSiteApp

/// An operator reports an incident from a phone in one form; a typo in the days is refused, nothing stored.
extension SiteAppTests {
    @Test func anOperatorReportsAnIncidentInOneForm() async throws {
        try await Application(router: app.router()).test(.router) { client in
            var amara = Browser(client: client)
            _ = try await amara.signIn("amara", "1234")
            let page = String(buffer: try await amara.get("/incidents").body)
            #expect(page.contains("id=\"report-incident\""))
            let typo = try await amara.submit(
                page, "/incidents", "kind=injury&description=Cut%20hand&work_centre=oven-1&days_lost=two")
            #expect(typo.status == .unprocessableContent)
            #expect(try host.store.incidentCount() == 0)
            let reported = String(
                buffer: try await amara.submit(
                    page, "/incidents",
                    "kind=injury&description=Cut%20hand%20on%20the%20divider&work_centre=oven-1&severity=major&injured=amara&outcome=first_aid"
                ).body)
            #expect(reported.contains("Incident INC-1 recorded."), "\(reported)")
            #expect(reported.contains("Cut hand on the divider"))
            let stored = try #require(try host.incidents(in: DateInterval(start: .distantPast, end: Date())).first)
            #expect(stored.outcome == .firstAid && stored.reportedBy == "amara" && stored.severity == .major)
        }
    }
}
