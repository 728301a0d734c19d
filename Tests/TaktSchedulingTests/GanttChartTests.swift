import Foundation
import Testing

@testable import TaktCore
@testable import TaktScheduling

/// The Gantt chart a manager reads: a window, an hour axis in the site's time, a now line, names and a legend.
@Suite struct GanttChartTests {
    let zone = TimeZone(identifier: "Europe/London")!
    /// Monday 30 November 2026, 06:00 in London (UTC in winter).
    let start = Date(timeIntervalSince1970: 1_796_018_400)

    func row(
        _ order: String, _ product: String, from hours: Double, to end: Double, kind: ScheduleRow.Kind = .operation
    )
        -> ScheduleRow
    {
        ScheduleRow(
            kind: kind, order: order, operation: "bake", product: product, workCentre: "oven-1", unit: 1,
            start: start.addingTimeInterval(hours * 3600), end: start.addingTimeInterval(end * 3600))
    }

    @Test func theWindowCutsBarsAtItsEdgesAndCountsWhatItLeavesOut() {
        let rows = [
            row("O-1", "loaf", from: 0, to: 4), row("O-2", "rye", from: 10, to: 12),
            row("O-3", "loaf", from: 300, to: 301),
        ]
        let svg = ScheduleExport.svg(
            rows, timeZone: zone, title: "t",
            window: DateInterval(start: start.addingTimeInterval(2 * 3600), duration: 48 * 3600))
        #expect(svg.contains("1 operation(s) outside this window not drawn"))
        #expect(svg.components(separatedBy: "<rect class=\"operation\"").count == 3)
        // O-1 starts before the window: its bar begins at the plot's left edge.
        #expect(svg.contains("<rect class=\"operation\" x=\"150.0\""))
    }

    @Test func theHourAxisIsInTheSitesTimeWithTheDayAtMidnight() {
        let svg = ScheduleExport.svg(
            [row("O-1", "loaf", from: 0, to: 20)], timeZone: zone, title: "t",
            window: DateInterval(start: start, duration: 24 * 3600))
        // 1050 px for 24 h: ticks every hour would be 44 px apart, so every 2 hours.
        #expect(svg.contains(">06:00</text>") && svg.contains(">08:00</text>") && !svg.contains(">07:00</text>"))
        #expect(svg.contains(">Mon 30 Nov</text>") && svg.contains(">Tue 1 Dec</text>"))
        #expect(svg.contains("times in Europe/London"))
    }

    @Test func nowIsALineOnlyWhenItIsInTheWindow() {
        let rows = [row("O-1", "loaf", from: 0, to: 20)]
        let window = DateInterval(start: start, duration: 24 * 3600)
        let inside = ScheduleExport.svg(
            rows, timeZone: zone, title: "t", window: window, now: start.addingTimeInterval(3 * 3600 + 1800))
        #expect(inside.contains("class=\"now\"") && inside.contains(">now 09:30</text>"))
        let outside = ScheduleExport.svg(
            rows, timeZone: zone, title: "t", window: window, now: start.addingTimeInterval(-60))
        #expect(!outside.contains("class=\"now\""))
    }

    @Test func barsCarryTheirOrderAndTimesAndTheLegendNamesProducts() {
        let rows = [row("O-1", "loaf", from: 0, to: 6), row("O-2", "<rye>", from: 6, to: 6.2)]
        let svg = ScheduleExport.svg(
            rows, timeZone: zone, title: "t", window: DateInterval(start: start, duration: 24 * 3600),
            names: ["oven-1": "Oven 1"], productNames: ["loaf": "White loaf"])
        #expect(svg.contains(">O-1 06:00–12:00</text>"))
        // A bar too narrow for any label carries none; its hover title still says everything.
        #expect(!svg.contains(">O-2</text>") && svg.contains("operation O-2 bake &lt;rye&gt;"))
        #expect(
            svg.contains(">Oven 1</text>") && svg.contains(">White loaf</text>") && svg.contains(">&lt;rye&gt;</text>"))
        // Product colours are never a status colour.
        for status in ["#c00", "#d12c2c", "#e0a100", "#2e9e5b"] {
            #expect(!ScheduleExport.productColours.contains(status))
        }
    }

    @Test func wordsComeFromTheLabelsGiven() {
        var labels = GanttLabels()
        labels.now = "ahora {0}"
        labels.timesIn = "horas en {0}"
        labels.noOperations = "No hay operaciones"
        labels.locale = Locale(identifier: "es")
        let svg = ScheduleExport.svg(
            [row("O-1", "loaf", from: 0, to: 2)], timeZone: zone, title: "t",
            window: DateInterval(start: start, duration: 24 * 3600), now: start, labels: labels)
        #expect(svg.contains(">ahora 06:00</text>") && svg.contains("horas en Europe/London"))
        #expect(svg.contains(">lun 30 nov</text>"), "\(svg)")
        #expect(ScheduleExport.svg([], timeZone: zone, title: "t", labels: labels).contains("No hay operaciones"))
    }

    @Test func impossibleRowsAreLeftOutAndBarsAreBounded() {
        var broken = row("X-9", "loaf", from: 2, to: 1)
        broken.end = broken.start.addingTimeInterval(-60)
        var infinite = row("X-8", "loaf", from: 0, to: 1)
        infinite.end = Date(timeIntervalSince1970: .infinity)
        let many = (0..<30).map { row("O-\($0)", "loaf", from: Double($0), to: Double($0) + 0.5) }
        let svg = ScheduleExport.svg([broken, infinite] + many, timeZone: zone, title: "t", maximumRows: 10)
        #expect(svg.contains("20 operation(s) beyond 10 bars not drawn"))
        #expect(!svg.contains("X-9") && !svg.contains("X-8"))
    }

    @Test func aClockChangeKeepsTicksOnTheHoursOfTheDay() {
        // Sunday 29 March 2026: London's clocks go forward at 01:00 UTC.
        let night = Date(timeIntervalSince1970: 1_774_742_400)  // 2026-03-29T00:00:00Z
        let svg = ScheduleExport.svg(
            [
                ScheduleRow(
                    kind: .operation, order: "O-1", operation: "bake", product: "loaf", workCentre: "oven-1", unit: 1,
                    start: night, end: night.addingTimeInterval(20 * 3600))
            ], timeZone: zone, title: "t", window: DateInterval(start: night, duration: 24 * 3600))
        #expect(svg.contains(">02:00</text>") && svg.contains(">04:00</text>") && !svg.contains(">03:00</text>"))
    }
}
