import Foundation
import Testing

@testable import TaktCentral
@testable import TaktCentralStore
@testable import TaktCore

/// Trend charts are charts: axes with units, dates, the target, and a day without data unlike a day at zero.
@Suite struct TrendChartTests {
    let first = LocalDate(year: 2026, month: 11, day: 4)

    func days(_ values: [Double?]) -> [(day: LocalDate, value: Double?)] {
        values.enumerated().map { (first.adding(days: $0.offset), $0.element) }
    }

    @Test func aShareChartHasAxesDatesTheTargetAndMarksDaysWithoutData() {
        var values: [Double?] = Array(repeating: 0.8, count: 30)
        values[3] = nil
        values[4] = 0
        let svg = TrendChart.svg(
            .init(
                title: "OEE", unit: "", percent: true, days: days(values), target: 0.85, missing: "no production",
                period: 0.8), id: "t")
        #expect(svg.contains("class=\"axis\""))
        for tick in ["0 %", "25 %", "50 %", "75 %", "100 %"] { #expect(svg.contains(">\(tick)</text>")) }
        #expect(svg.contains(">target 85 %</text>") && svg.contains("class=\"target\""))
        #expect(svg.contains(">3 Dec</text>"), "the last day is always labelled")
        #expect(svg.components(separatedBy: "class=\"date\"").count - 1 <= 8, "dates never crowd")
        #expect(svg.components(separatedBy: "class=\"nodata\"").count - 1 == 1)
        #expect(svg.contains("<title>2026-11-07: no production</title>"))
        #expect(svg.contains("<title>2026-11-08: 0 %</title>"), "zero is a value")
    }

    @Test func aCountChartScalesToARoundNumberFromZero() {
        let svg = TrendChart.svg(
            .init(
                title: "Findings", unit: "", percent: false, days: days([3, 0, 7, nil]), target: nil,
                missing: "nothing received", period: 10), id: "c")
        #expect(svg.contains(">10</text>") && svg.contains(">0</text>"))
        #expect(svg.components(separatedBy: "<rect class=\"value\"").count - 1 == 3)
        #expect(!svg.contains("class=\"target\""))
        #expect(TrendChart.niceTop(7) == 10 && TrendChart.niceTop(1300) == 2000 && TrendChart.niceTop(0) == 1)
    }
}
