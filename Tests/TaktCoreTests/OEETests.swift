import Foundation
import Testing

@testable import TaktCore

@Suite struct OEETests {
    let start = Date(timeIntervalSince1970: 1_800_000_000)

    @Test func oeeIsAvailabilityTimesPerformanceTimesQuality() throws {
        // 8 h planned, 1 h down; 7 h running at an ideal 60 s per unit would make 420; 378 were made, 18 scrapped.
        let report = ProductionReport(
            workCentre: "line", product: "loaf", from: start, to: start.addingTimeInterval(8 * 3600),
            plannedSeconds: 8 * 3600,
            downSeconds: 3600, good: 360, scrap: 18, idealSecondsPerUnit: 60)
        let oee = try #require(OEE([report]))
        #expect(oee.availability == 7.0 / 8.0)
        #expect(abs(oee.performance - 378.0 / 420.0) < 1e-12)
        #expect(abs(oee.quality - 360.0 / 378.0) < 1e-12)
        #expect(abs(oee.value - (7.0 / 8.0) * (378.0 / 420.0) * (360.0 / 378.0)) < 1e-12)
    }

    @Test func performanceNeverExceedsOneAndNoOutputMeansNoOEE() {
        let fast = ProductionReport(
            workCentre: "line", product: "loaf", from: start, to: start.addingTimeInterval(3600), plannedSeconds: 3600,
            downSeconds: 0, good: 100, scrap: 0, idealSecondsPerUnit: 60)
        #expect(OEE([fast])?.performance == 1)
        #expect(OEE([]) == nil)
    }
}
