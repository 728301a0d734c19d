import Foundation
import TaktCore

/// A KPI day by day as an SVG chart drawn on the server: a y axis with its unit, dates along the x axis, the
/// target as a dashed line, each day's value in its hover title, and days without data drawn as hollow grey
/// marks on the axis (a day at zero is a value, drawn as one). Shares are a line on a 0–100 % scale; counts and
/// amounts are bars on a scale from zero.
enum TrendChart {
    /// One KPI over the days of a period.
    struct Series {
        var title: String
        /// What the values count ("findings", "GBP"); shares are shown in %.
        var unit: String
        var percent: Bool
        /// Each day's value; nil is a day without data (`missing` says why).
        var days: [(day: LocalDate, value: Double?)]
        var target: Double?
        /// Why a day has no value ("no production reported").
        var missing: String
        /// The period's figure, computed from its sums (not a mean of the days).
        var period: Double?
    }

    static let width = 560
    static let height = 190
    static let left = 48.0
    static let right = 14.0
    static let top = 14.0
    static let bottom = 34.0

    static func format(_ value: Double, _ series: Series) -> String {
        series.percent
            ? String(format: "%.0f %%", value * 100)
            : CriticalLimits.format((value * 10).rounded() / 10) + (series.unit.isEmpty ? "" : " \(series.unit)")
    }

    /// A round top for a count scale: 1, 2, 5 × a power of ten at or above `value`.
    static func niceTop(_ value: Double) -> Double {
        guard value > 0 else { return 1 }
        let power = pow(10, (log10(value)).rounded(.down))
        for step in [1.0, 2, 5, 10] where step * power >= value { return step * power }
        return 10 * power
    }

    static func dateLabel(_ day: LocalDate) -> String {
        let months = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]
        return "\(day.day) \(months[max(0, min(11, day.month - 1))])"
    }

    /// The chart, its caption (the period's figure and the target) above it.
    static func svg(_ series: Series, id: String) -> String {
        let count = max(1, series.days.count)
        let plotWidth = Double(width) - left - right
        let plotHeight = Double(height) - top - bottom
        let known = series.days.compactMap(\.value)
        let topValue = series.percent ? 1 : niceTop(max(known.max() ?? 0, series.target ?? 0))
        let slot = plotWidth / Double(count)
        func x(_ index: Int) -> Double { left + slot * (Double(index) + 0.5) }
        func y(_ value: Double) -> Double { top + plotHeight * (1 - min(max(value / topValue, 0), 1)) }
        func number(_ value: Double) -> String { String(format: "%.1f", value) }
        var svg =
            "<svg xmlns=\"http://www.w3.org/2000/svg\" id=\"\(id)\" class=\"trend\" viewBox=\"0 0 \(width) \(height)\" width=\"\(width)\" height=\"\(height)\" role=\"img\" aria-label=\"\(HTMLText.escape(series.title)), \(count) days\">"
        // The y axis: five ticks with their values, and faint grid lines.
        for step in 0...4 {
            let value = topValue * Double(step) / 4
            let at = y(value)
            svg +=
                "<line x1=\"\(number(left))\" y1=\"\(number(at))\" x2=\"\(number(Double(width) - right))\" y2=\"\(number(at))\" stroke=\"#e3e6ea\"/>"
                + "<text x=\"\(number(left - 6))\" y=\"\(number(at + 4))\" text-anchor=\"end\" font-size=\"11\" fill=\"#3d4552\">\(HTMLText.escape(format(value, series)))</text>"
        }
        svg +=
            "<line class=\"axis\" x1=\"\(number(left))\" y1=\"\(number(top))\" x2=\"\(number(left))\" y2=\"\(number(top + plotHeight))\" stroke=\"#3d4552\"/>"
            + "<line class=\"axis\" x1=\"\(number(left))\" y1=\"\(number(top + plotHeight))\" x2=\"\(number(Double(width) - right))\" y2=\"\(number(top + plotHeight))\" stroke=\"#3d4552\"/>"
        // Dates: at most eight labels, always the last day.
        let every = max(1, Int((Double(count) / 7).rounded(.up)))
        for (index, entry) in series.days.enumerated() where (count - 1 - index) % every == 0 {
            svg +=
                "<text class=\"date\" x=\"\(number(x(index)))\" y=\"\(number(top + plotHeight + 16))\" text-anchor=\"middle\" font-size=\"11\" fill=\"#3d4552\">\(dateLabel(entry.day))</text>"
        }
        // The values: a line for shares (broken where a day has none), bars for counts.
        var path = ""
        for (index, entry) in series.days.enumerated() {
            let label = "\(entry.day): " + (entry.value.map { format($0, series) } ?? series.missing)
            guard let value = entry.value else {
                path += " "
                svg +=
                    "<circle class=\"nodata\" cx=\"\(number(x(index)))\" cy=\"\(number(top + plotHeight))\" r=\"3.5\" fill=\"#fff\" stroke=\"#8a919c\" stroke-width=\"1.5\"><title>\(HTMLText.escape(label))</title></circle>"
                continue
            }
            if series.percent {
                path += (path.hasSuffix(" ") || path.isEmpty ? "M" : "L") + "\(number(x(index))),\(number(y(value)))"
                svg +=
                    "<circle class=\"value\" cx=\"\(number(x(index)))\" cy=\"\(number(y(value)))\" r=\"\(count > 45 ? 2 : 3)\" fill=\"#1f5fbf\"><title>\(HTMLText.escape(label))</title></circle>"
            } else {
                let barWidth = max(1, slot * 0.7)
                let height = max(1, top + plotHeight - y(value))
                svg +=
                    "<rect class=\"value\" x=\"\(number(x(index) - barWidth / 2))\" y=\"\(number(top + plotHeight - height))\" width=\"\(number(barWidth))\" height=\"\(number(height))\" fill=\"\(value == 0 ? "#3d4552" : "#1f5fbf")\"><title>\(HTMLText.escape(label))</title></rect>"
            }
        }
        if series.percent {
            let trimmed = path.split(separator: " ").joined(separator: " ")
            if !trimmed.isEmpty {
                svg += "<path d=\"\(trimmed)\" fill=\"none\" stroke=\"#1f5fbf\" stroke-width=\"2\"/>"
            }
        }
        if let target = series.target {
            svg +=
                "<line class=\"target\" x1=\"\(number(left))\" y1=\"\(number(y(target)))\" x2=\"\(number(Double(width) - right))\" y2=\"\(number(y(target)))\" stroke=\"#1d2430\" stroke-width=\"1.5\" stroke-dasharray=\"6 4\"/>"
                + "<text x=\"\(number(Double(width) - right))\" y=\"\(number(y(target) - 4))\" text-anchor=\"end\" font-size=\"11\" fill=\"#1d2430\">target \(HTMLText.escape(format(target, series)))</text>"
        }
        return svg + "</svg>"
    }

    /// A chart with its caption: the title, the period's figure and the target, and the key to the marks.
    static func figure(_ series: Series, id: String) -> String {
        let period = series.period.map { format($0, series) } ?? "n/a"
        let target = series.target.map { " · target \(format($0, series))" } ?? ""
        return
            "<figure class=\"chart\"><figcaption><strong>\(HTMLText.escape(series.title))</strong> · \(series.days.count) days: \(HTMLText.escape(period))\(HTMLText.escape(target))</figcaption>"
            + "<div class=\"scroll\">\(svg(series, id: id))</div></figure>"
    }
}
