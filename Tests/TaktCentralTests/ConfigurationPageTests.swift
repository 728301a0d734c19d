import Foundation
import Testing

@testable import TaktCentral
@testable import TaktCentralStore
@testable import TaktCore
@testable import TaktWeb

/// The configuration page through real HTTP: pick, review, publish, history, rollback, and what a refusal keeps.
extension DashboardTests {
    func configurationBrowser(_ url: URL) async throws -> (Browser, String) {
        let browser = Browser(base: url)
        try await browser.logIn("rm")
        let page = try await browser.request("GET", "/config")
        return (browser, browser.csrf(in: page.body))
    }

    @Test func aChangeIsReviewedWithItsLimitsAndDiffBeforeItIsPublished() async throws {
        try await withServer { url in
            let (browser, token) = try await configurationBrowser(url)
            let document = "rules:\n  limits:\n    - {rule: food_processing.ccp.chill, max: 4}\n"
            let review = try await browser.request(
                "POST", "/config", form: ["site": ["leeds"], "document": [document], "csrf": [token]])
            #expect(review.status == 200)
            #expect(review.body.contains("Leeds Bakery: version 1"))
            #expect(review.body.contains("Chilled storage temperature: max 5 °C → max 4 °C"))
            #expect(review.body.contains("<ins>+     - {rule: food_processing.ccp.chill, max: 4}</ins>"))
            #expect(review.body.contains("Publish to 1 site(s)"))
            #expect(try await store.configHistory(site: "leeds").isEmpty)
            // Back to edit keeps the document and the site.
            let back = try await browser.request(
                "POST", "/config",
                form: ["site": ["leeds"], "document": [document], "csrf": [token], "action": ["edit"]])
            #expect(back.body.contains("value=\"leeds\" checked"))
            #expect(back.body.contains("{rule: food_processing.ccp.chill, max: 4}\n</textarea>"))
            let published = try await browser.request(
                "POST", "/config",
                form: ["site": ["leeds"], "document": [document], "csrf": [token], "action": ["publish"]])
            #expect(published.body.contains("Published: leeds v1"))
            let history = try await store.configHistory(site: "leeds")
            #expect(history.map(\.version) == [1] && history[0].document == document && history[0].publishedBy == "rm")
            // The site has not applied it: the history says so, and the limits table shows what is in force.
            #expect(published.body.contains("id=\"version-leeds-1\""))
            #expect(published.body.contains("not applied yet"))
            #expect(published.body.contains("max 4 °C"))
        }
    }

    @Test func aRefusalNamesTheLineOfTheDocumentAndKeepsWhatWasChosen() async throws {
        try await withServer { url in
            let (browser, token) = try await configurationBrowser(url)
            let refused = try await browser.request(
                "POST", "/config", form: ["site": ["leeds"], "document": ["rules:\n  # looser\n"], "csrf": [token]])
            #expect(refused.status == 422)
            #expect(refused.body.contains("your document:3: rules.limits[0].max"))
            #expect(refused.body.contains("value=\"leeds\" checked"))
            #expect(refused.body.contains("# looser"))
            let none = try await browser.request(
                "POST", "/config", form: ["document": ["rules: {}"], "csrf": [token]])
            #expect(none.status == 400 && none.body.contains("Choose at least one site."))
            let unknown = try await browser.request(
                "POST", "/config", form: ["site": ["leeds"], "csrf": [token], "action": ["delete-everything"]])
            #expect(unknown.status == 400 && unknown.body.contains("No action &#39;delete-everything&#39;"))
            #expect(try await store.configHistory(site: "leeds").isEmpty)
        }
    }

    @Test func thePickerListsLimitsInForceAndAddsTheChosenOneToTheDocument() async throws {
        try await withServer { url in
            let (browser, token) = try await configurationBrowser(url)
            let page = try await browser.request("GET", "/config")
            #expect(page.body.contains("<table id=\"limits\">"))
            #expect(page.body.contains("Chilled storage temperature"))
            // A pass/fail check has nothing to tighten.
            #expect(!page.body.contains("<option value=\"food_processing.ccp.metal\">"))
            let picked = try await browser.request(
                "POST", "/config",
                form: [
                    "site": ["leeds"], "document": [""], "csrf": [token], "action": ["pick"],
                    "rule": ["food_processing.ccp.chill"], "max": ["4,5"],
                ])
            #expect(picked.status == 200)
            #expect(
                picked.body.contains(
                    "rules:\n  limits:\n    - {rule: food_processing.ccp.chill, max: 4.5}\n</textarea>"))
            #expect(picked.body.contains("value=\"leeds\" checked"))
            let unknown = try await browser.request(
                "POST", "/config",
                form: [
                    "document": [""], "csrf": [token], "action": ["pick"], "rule": ["x}\nversion: 99"], "max": ["1"],
                ])
            #expect(unknown.status == 400 && unknown.body.contains("Choose a limit to tighten from the list."))
            let notANumber = try await browser.request(
                "POST", "/config",
                form: [
                    "document": [""], "csrf": [token], "action": ["pick"], "rule": ["food_processing.ccp.chill"],
                    "max": ["four"],
                ])
            #expect(notANumber.status == 400 && notANumber.body.contains("&#39;four&#39; is not a number"))
            #expect(try await store.configHistory(site: "leeds").isEmpty)
        }
    }

    @Test func theHistoryShowsEachChangeAndARollbackIsANewVersion() async throws {
        let first = "rules:\n  limits:\n    - {rule: food_processing.ccp.chill, max: 4}\n"
        let second = "rules:\n  limits:\n    - {rule: food_processing.ccp.chill, max: 3}\n"
        try await store.publish(site: "leeds", document: first, by: "ada", at: Date())
        try await store.publish(site: "leeds", document: second, by: "rm", at: Date())
        try await store.noteContact(site: "leeds", at: Date(), configRunning: 1)
        try await withServer { url in
            let (browser, token) = try await configurationBrowser(url)
            let page = try await browser.request("GET", "/config")
            #expect(page.body.contains("id=\"version-leeds-2\""))
            #expect(page.body.contains("<del>-     - {rule: food_processing.ccp.chill, max: 4}</del>"))
            #expect(page.body.contains("<ins>+     - {rule: food_processing.ccp.chill, max: 3}</ins>"))
            #expect(page.body.contains("status-running\">running") && page.body.contains("status-pending"))
            let review = try await browser.request(
                "POST", "/config", form: ["site": ["leeds"], "version": ["1"], "csrf": [token], "action": ["rollback"]])
            #expect(review.status == 200 && review.body.contains("Rolls leeds back to the rules of version 1."))
            #expect(review.body.contains("Leeds Bakery: version 3"))
            let missing = try await browser.request(
                "POST", "/config",
                form: ["site": ["leeds"], "version": ["99"], "csrf": [token], "action": ["rollback"]])
            #expect(missing.status == 400)
            let other = try await browser.request(
                "POST", "/config",
                form: ["site": ["penang"], "version": ["1"], "csrf": [token], "action": ["rollback"]])
            #expect(other.status == 403)
            _ = try await browser.request(
                "POST", "/config",
                form: ["site": ["leeds"], "document": [first], "csrf": [token], "action": ["publish"]])
            let history = try await store.configHistory(site: "leeds")
            #expect(history.map(\.version) == [3, 2, 1] && history[0].document == first)
        }
    }

    @Test func theAPIListsASitesConfigurationVersions() async throws {
        try await store.publish(site: "leeds", document: "rules: {}\n", by: "ada", at: Date())
        let token = Credentials.randomHex(32)
        try await store.addToken(
            user: "rm", tokenHash: Credentials.tokenHash(token), at: Date(), expires: Date().addingTimeInterval(3600))
        try await withServer { url in
            let client = Browser(base: url)
            let bearer = ["Authorization": "Bearer \(token)"]
            let reply = try await client.request("GET", "/v1/sites/leeds/config-versions", headers: bearer)
            #expect(reply.status == 200)
            let json = try JSONSerialization.jsonObject(with: Data(reply.body.utf8)) as? [String: Any]
            let versions = json?["versions"] as? [[String: Any]]
            #expect(json?["running"] as? Int == 0)
            #expect(versions?.first?["status"] as? String == "pending")
            #expect(versions?.first?["document"] as? String == "rules: {}\n")
            #expect(try await client.request("GET", "/v1/sites/penang/config-versions", headers: bearer).status == 403)
            #expect(try await client.request("GET", "/v1/sites/leeds/config-versions").status == 401)
        }
    }
}

@Suite struct LimitPickerTests {
    @Test func addsToAnEmptyDocumentToAnExistingListOrUnderRules() throws {
        #expect(
            try LimitPicker.add(rule: "a.b", min: "", max: "4", to: "")
                == "rules:\n  limits:\n    - {rule: a.b, max: 4}\n")
        let listed = "rules:\n  limits:\n    - {rule: a.b, max: 4}\n  checks: []\n"
        #expect(
            try LimitPicker.add(rule: "c.d", min: "1", max: "2.5", to: listed)
                == "rules:\n  limits:\n    - {rule: a.b, max: 4}\n    - {rule: c.d, min: 1, max: 2.5}\n  checks: []\n")
        let other = "version: 2\nrules:\n    checks: []\n"
        #expect(
            try LimitPicker.add(rule: "a.b", min: "3", max: "", to: other)
                == "version: 2\nrules:\n    limits:\n      - {rule: a.b, min: 3}\n    checks: []\n")
    }

    @Test func refusesWhatItCannotPlaceOrRead() {
        #expect(throws: LimitPicker.Problem.noLimit) { try LimitPicker.add(rule: "a.b", min: " ", max: "", to: "") }
        #expect(throws: LimitPicker.Problem.notANumber("nan")) {
            try LimitPicker.add(rule: "a.b", min: "", max: "nan", to: "")
        }
        #expect(throws: LimitPicker.Problem.notANumber("1e999")) {
            try LimitPicker.add(rule: "a.b", min: "", max: "1e999", to: "")
        }
        #expect(throws: LimitPicker.Problem.cannotPlace) {
            try LimitPicker.add(rule: "a.b", min: "", max: "4", to: "rules: {limits: []}\n")
        }
        #expect(throws: LimitPicker.Problem.cannotPlace) {
            try LimitPicker.add(rule: "a.b", min: "", max: "4", to: "rules:\n  limits: []\n")
        }
    }
}

@Suite struct LineDiffTests {
    @Test func keepsCommonLinesAndMarksTheRest() {
        let diff = LineDiff(from: "a\nb\nc", to: "a\nc\nd")
        #expect(diff.changes == [.same("a"), .removed("b"), .same("c"), .added("d")])
        #expect(!diff.isEmpty && LineDiff(from: "x", to: "x").isEmpty)
        #expect(LineDiff(from: "", to: "<b>").html.contains("<ins>+ &lt;b&gt;</ins>"))
    }

    @Test func aHugeDocumentIsNotComparedLineByLine() {
        let huge = String(repeating: "x\n", count: LineDiff.maximumLines + 1)
        let diff = LineDiff(from: huge, to: "x")
        #expect(diff.changes == nil && diff.html.contains("too long"))
    }
}
