import Testing

@testable import TaktCore

@Suite struct IdentifierTests {
    @Test(arguments: ["food_processing", "food_processing.ccp.chill", "site.chill.walk-in", "a1"])
    func acceptsNamespacedIDs(_ text: String) throws {
        #expect(try NamespacedID(validating: text).rawValue == text)
    }

    @Test(arguments: ["", "Food", "food..ccp", ".food", "food.", "1food", "food processing", "food.Ccp"])
    func rejectsOthers(_ text: String) {
        #expect(throws: CoreError.invalidIdentifier(text)) { try NamespacedID(validating: text) }
    }

    @Test func namespaceIsTheFirstSegment() {
        let id: RuleID = "food_processing.ccp.chill"
        #expect(id.namespace == "food_processing")
    }

    @Test func timeSpansParseAsPeopleWriteThem() {
        #expect(TimeSpan(parsing: "4h")?.seconds == 14_400)
        #expect(TimeSpan(parsing: "1h30m")?.seconds == 5_400)
        #expect(TimeSpan(parsing: "90s")?.seconds == 90)
        #expect(TimeSpan(parsing: "2d")?.seconds == 172_800)
        #expect(TimeSpan(parsing: "45")?.seconds == 2_700)
        #expect(TimeSpan(parsing: "4x") == nil)
        #expect(TimeSpan(parsing: "h") == nil)
        #expect(TimeSpan(parsing: "") == nil)
        #expect(TimeSpan(seconds: 5_400).description == "1h30m")
    }
}
