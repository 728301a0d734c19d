import Foundation
import TaktTesting
import Testing

/// Every case under Fixtures/ runs through the real host; its transcript must match `expected.txt`.
@Suite struct FoodProcessingGoldenTests {
    static let fixtures = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Fixtures")

    @Test(arguments: try! GoldenCase.all(in: fixtures).map(\.name))
    func goldenCase(_ name: String) throws {
        let result = try GoldenCase(folder: Self.fixtures.appendingPathComponent(name)).check()
        #expect(result.actual == result.expected, "\(name): run with TAKT_UPDATE_GOLDEN=1 and read the diff")
    }
}
