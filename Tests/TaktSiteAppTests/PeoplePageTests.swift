import Foundation
import Hummingbird
import HummingbirdTesting
import Testing

@testable import TaktCore
@testable import TaktHost
@testable import TaktSiteApp

/// The People page: my shifts and training, reporting my own absence (not someone else's unless I roster), and
/// the skills matrix for supervisors.
extension SiteAppTests {
    @Test func thePeoplePageShowsMyShiftsTrainingAndTakesMyAbsence() async throws {
        let zone = host.definition.timeZone
        let start = Date().addingTimeInterval(86_400)
        try host.assign(
            ShiftAssignment(
                staff: "amara", start: start, end: start.addingTimeInterval(8 * 3600), breakTime: .minutes(30)),
            at: Date())
        try await Application(router: app.router()).test(.router) { client in
            var amara = Browser(client: client)
            _ = try await amara.signIn("amara", "1234")
            let page = String(buffer: try await amara.get("/people").body)
            #expect(page.contains("My shifts") && page.contains("My training"))
            #expect(page.contains("food_hygiene_level_2: valid until 2030-06-30"), "\(page)")
            #expect(!page.contains("id=\"skills-matrix\""))
            let from = Instant.isoLocal(start, in: zone)
            let to = Instant.isoLocal(start.addingTimeInterval(8 * 3600), in: zone)
            let other = try await amara.submit(page, "/people/absence", "staff=tom&kind=sickness&from=\(from)&to=\(to)")
            #expect(String(buffer: other.body).contains("You may report only your own absence."))
            let mine = try await amara.submit(
                page.replacingOccurrences(of: "form_id\" value=\"", with: "form_id\" value=\"y"), "/people/absence",
                "staff=amara&kind=sickness&from=\(from)&to=\(to)&note=flu")
            #expect(
                String(buffer: mine.body).contains("Amara Okafor&#39;s absence is recorded."),
                "\(String(buffer: mine.body))")
            #expect(try host.absences(in: DateInterval(start: start, duration: 3600)).map(\.staff) == ["amara"])
            let backwards = try await amara.submit(
                page.replacingOccurrences(of: "form_id\" value=\"", with: "form_id\" value=\"z"), "/people/absence",
                "staff=amara&kind=holiday&from=\(to)&to=\(from)")
            #expect(String(buffer: backwards.body).contains("Not done"))
            var pat = Browser(client: client)
            _ = try await pat.signIn("pat", "manager-pass-1")
            let managers = String(buffer: try await pat.get("/people").body)
            // A supervisor reports for anyone: the absence form names whom.
            #expect(managers.components(separatedBy: "<select name=\"staff\">").count == 3)
            let forTom = try await pat.submit(
                managers, "/people/absence", "staff=tom&kind=holiday&from=\(from)&to=\(to)")
            #expect(String(buffer: forTom.body).contains("Tom Hargreaves&#39;s absence is recorded."))
        }
    }
}

extension SiteAppTests {
    /// Reporting absence with bad input: not a time, ending before it starts, longer than a year, years away,
    /// an unknown person or kind, markup in the note; each refused or shown escaped, nothing stored twice. Two taps
    /// on one form at the same moment record one absence.
    @Test func absenceReportsRefuseBadInputAndTwoTapsRecordOne() async throws {
        let zone = host.definition.timeZone
        let from = Instant.isoLocal(Date().addingTimeInterval(86_400), in: zone)
        let to = Instant.isoLocal(Date().addingTimeInterval(2 * 86_400), in: zone)
        let yearsAway = Instant.isoLocal(Date().addingTimeInterval(3 * 366 * 86_400), in: zone)
        let yearsAwayEnd = Instant.isoLocal(Date().addingTimeInterval(3 * 366 * 86_400 + 3600), in: zone)
        let tooLong = Instant.isoLocal(Date().addingTimeInterval(400 * 86_400), in: zone)
        try await Application(router: app.router()).test(.router) { client in
            var pat = Browser(client: client)
            _ = try await pat.signIn("pat", "manager-pass-1")
            let page = String(buffer: try await pat.get("/people").body)
            let refusals: [(String, String)] = [
                ("staff=tom&kind=holiday&from=soon&to=\(to)", "From"),
                ("staff=tom&kind=holiday&from=\(to)&to=\(from)", "Not done"),
                ("staff=tom&kind=holiday&from=\(from)&to=\(tooLong)", "at most a year"),
                ("staff=tom&kind=holiday&from=\(yearsAway)&to=\(yearsAwayEnd)", "within a year of today"),
                ("staff=%3Cscript%3E&kind=holiday&from=\(from)&to=\(to)", "&lt;script&gt;"),
                ("staff=tom&kind=-1&from=\(from)&to=\(to)", "Reason"),
            ]
            for (index, (fields, expected)) in refusals.enumerated() {
                let fresh = page.replacingOccurrences(of: "form_id\" value=\"", with: "form_id\" value=\"r\(index)")
                let body = String(buffer: try await pat.submit(fresh, "/people/absence", fields).body)
                #expect(body.contains(expected), "\(fields): \(body.prefix(600))")
                #expect(!body.contains("<script>"))
            }
            #expect(try host.absences(in: DateInterval(start: .distantPast, end: .distantFuture)).isEmpty)
            let fields = "staff=tom&kind=sickness&from=\(from)&to=\(to)&note=%3Cb%3Eflu%3C%2Fb%3E"
            let tablet = pat
            async let first = tablet.submit(page, "/people/absence", fields)
            async let second = tablet.submit(page, "/people/absence", fields)
            let bodies = [String(buffer: try await first.body), String(buffer: try await second.body)]
            #expect(bodies.allSatisfy { !$0.contains("<b>flu") })
            let stored = try host.absences(in: DateInterval(start: .distantPast, end: .distantFuture))
            #expect(stored.count == 1 && stored.first?.note == "<b>flu</b>")
        }
    }
}
