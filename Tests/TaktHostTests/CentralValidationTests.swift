import Foundation
import Testing

@testable import TaktCore
@testable import TaktHost

/// Central validates a document before publishing it exactly as the site will install it.
@Suite struct CentralValidationTests {
    func validation() throws -> CentralValidation {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("cv-\(UUID().uuidString)")
        try FileManager.default.createDirectory(
            at: folder.appendingPathComponent("leeds"), withIntermediateDirectories: true)
        let text =
            SiteLoaderTests.header + """
                modules:
                  test_chill:
                work_centres:
                  - id: chiller
                """
        try text.write(to: folder.appendingPathComponent("leeds/site.yaml"), atomically: true, encoding: .utf8)
        return CentralValidation(siteFiles: ["leeds": "leeds"], base: folder, registry: testRegistry)
    }

    @Test func aTighterLimitPassesAndALooserOrUnknownOneIsRefused() throws {
        let validation = try validation()
        #expect(validation.validate("leeds", "rules:\n  limits:\n    - {rule: test_chill.ccp.chill, max: 4}\n") == nil)
        let looser = validation.validate("leeds", "rules:\n  limits:\n    - {rule: test_chill.ccp.chill, max: 9}\n")
        #expect(looser != nil)
        let typo = validation.validate("leeds", "rules:\n  limitz: []\n")
        #expect(typo?.contains("limitz") == true)
        #expect(validation.validate("penang", "rules: {}")?.contains("no site_file for penang") == true)
        #expect(validation.timeZones()["leeds"] != nil)
    }

    @Test func aProblemInTheDocumentNamesItsOwnLineAndEntryNotTheSiteFile() throws {
        let validation = try validation()
        let document =
            "# tighter for summer\nrules:\n  limits:\n    - {rule: test_chill.ccp.chill, max: 4}\n    - {rule: test_chill.ccp.chill, max: 9}\n"
        let refusal = try #require(validation.validate("leeds", document))
        #expect(refusal.contains("your document:5: rules.limits[1]"), "\(refusal)")
        #expect(!refusal.contains("site.yaml"), "\(refusal)")
        let typo = try #require(validation.validate("leeds", "\nrules:\n  limitz: []\n"))
        #expect(typo.contains("your document:3"), "\(typo)")
    }

    @Test func theChecksInForceFollowTheDocument() throws {
        let validation = try validation()
        let now = try #require(validation.checks("leeds", ""))
        let tighter = try #require(
            validation.checks("leeds", "rules:\n  limits:\n    - {rule: test_chill.ccp.chill, max: 4}\n"))
        #expect(now.first { $0.id == "test_chill.ccp.chill" }?.limits.max != 4)
        #expect(tighter.first { $0.id == "test_chill.ccp.chill" }?.limits.max == 4)
        #expect(validation.checks("leeds", "rules:\n  limits:\n    - {rule: test_chill.ccp.chill, max: 99}\n") == nil)
        #expect(validation.checks("penang", "") == nil)
    }
}
