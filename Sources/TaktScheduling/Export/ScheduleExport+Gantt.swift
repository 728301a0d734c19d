import Foundation
import TaktCore

extension ScheduleExport {
    /// The product colours: blues, purples, browns and slates, never the red, amber and green that mean a
    /// status, and told apart by the legend's names as well.
    static let productColours = [
        "#4e79a7", "#8e6bbf", "#9c755f", "#3f4a8a", "#c27ba0", "#5f7a8c", "#7fa7d9", "#b4a0d9", "#6b4f3a",
        "#2f6f8f",
    ]

    /// Whether text on `colour` should be white (the colour is dark).
    static func isDark(_ colour: String) -> Bool {
        let hex = colour.dropFirst()
        guard hex.count == 6, let value = Int(hex, radix: 16) else { return false }
        let (r, g, b) = (Double((value >> 16) & 255), Double((value >> 8) & 255), Double(value & 255))
        return 0.299 * r + 0.587 * g + 0.114 * b < 150
    }

    /// A Gantt chart: one row per work centre (and unit), operations coloured by product with a legend that
    /// names them, changeovers hatched, cleans pale blue, maintenance chequered purple, late orders outlined red; an hour axis in the site's
    /// time with the days above it, a "now" line, and on every bar wide enough its order and times (hover titles
    /// give the rest). Self-contained: no scripts, no fonts or styles from the network. Drawn at its own width in
    /// pixels, so on a phone it scrolls sideways with its text still legible.
    ///
    /// `window` is the period drawn (bars are cut at its edges; nil: the whole schedule, at most `maximumDays`
    /// from its first start); what falls outside it, or beyond `maximumRows` bars, is counted in a note.
    /// `names` turns work centre ids into their names; `productNames` does products.
    public static func svg(
        _ rows: [ScheduleRow], timeZone: TimeZone, title: String, lateOrders: Set<String> = [], width: Int = 1200,
        maximumDays: Int = 62, maximumRows: Int = 5_000, window: DateInterval? = nil, now: Date? = nil,
        names: [String: String] = [:], productNames: [String: String] = [:], labels: GanttLabels = .english
    ) -> String {
        let all = rows.filter {
            $0.start.timeIntervalSince1970.isFinite && $0.end.timeIntervalSince1970.isFinite && $0.end > $0.start
        }
        guard let first = all.map(\.start).min(), let last = all.map(\.end).max() else {
            return
                "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"\(width)\" height=\"40\"><text x=\"10\" y=\"25\">\(escape(labels.noOperations))</text></svg>"
        }
        let start = window?.start ?? first
        let end = window?.end ?? min(last, first.addingTimeInterval(Double(maximumDays) * 86_400))
        guard end > start else {
            return
                "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"\(width)\" height=\"40\"><text x=\"10\" y=\"25\">\(escape(labels.noOperations))</text></svg>"
        }
        let inWindow = all.filter { $0.start < end && $0.end > start }.sorted { $0.start < $1.start }
        let drawn = Array(inWindow.prefix(maximumRows))
        let outside = all.count - inWindow.count
        let lanes = Array(Set(drawn.map { "\($0.workCentre)#\($0.unit)" })).sorted()
        let byLane = Dictionary(grouping: drawn) { "\($0.workCentre)#\($0.unit)" }
        let products = Array(Set(drawn.filter { $0.kind == .operation }.map(\.product))).sorted()
        let left = 150.0
        let right = 20.0
        let laneHeight = 30.0
        let top = 78.0
        let span = end.timeIntervalSince(start)
        let plot = Double(width) - left - right
        let scale = plot / span
        let legendRows = (products.count + 5) / 6 + 1
        let height = Int(top + laneHeight * Double(max(lanes.count, 1)) + 18 + 18 * Double(legendRows))
        func x(_ date: Date) -> Double { left + date.timeIntervalSince(start) * scale }
        func n(_ value: Double) -> String { String(format: "%.1f", value) }
        func colour(_ product: String) -> String {
            productColours[(products.firstIndex(of: product) ?? 0) % productColours.count]
        }
        func clock(_ date: Date) -> String {
            var calendar = Calendar(identifier: .gregorian)
            calendar.timeZone = timeZone
            let parts = calendar.dateComponents([.hour, .minute], from: date)
            return String(format: "%02d:%02d", parts.hour ?? 0, parts.minute ?? 0)
        }
        var out = """
            <svg xmlns="http://www.w3.org/2000/svg" class="gantt" viewBox="0 0 \(width) \(height)" width="\(width)" height="\(height)" role="img" font-family="sans-serif" font-size="12">
            <title>\(escape(title))</title>
            <defs><pattern id="hatch" width="6" height="6" patternUnits="userSpaceOnUse" patternTransform="rotate(45)"><rect width="6" height="6" fill="#f1e4c3"/><line x1="0" y1="0" x2="0" y2="6" stroke="#6b5a2e" stroke-width="2"/></pattern><pattern id="maintenance" width="8" height="8" patternUnits="userSpaceOnUse"><rect width="8" height="8" fill="#e3dcf2"/><rect width="4" height="4" fill="#5b4a8a"/></pattern></defs>
            <text x="10" y="18" font-size="14" font-weight="bold">\(escape(title))</text>

            """
        var notes: [String] = []
        if outside > 0 { notes.append(GanttLabels.fill(labels.outsideWindow, String(outside))) }
        if inWindow.count > drawn.count {
            notes.append(GanttLabels.fill(labels.beyondBars, String(inWindow.count - drawn.count), String(maximumRows)))
        }
        if !notes.isEmpty {
            out +=
                "<text class=\"note\" x=\"10\" y=\"34\" fill=\"#8a1f1f\">\(escape(notes.joined(separator: "; ")))</text>\n"
        }
        // The hour axis: ticks every 1, 2, 3, 6, 12 or 24 hours, whichever leaves 56 px between labels; the day
        // above each midnight (and the first hour).
        let hours = [1, 2, 3, 6, 12, 24].first { Double($0) * 3600 * scale >= 56 } ?? 24
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = timeZone
        var tick = calendar.startOfDay(for: start)
        let formatter = DateFormatter()
        formatter.locale = labels.locale
        formatter.timeZone = timeZone
        formatter.dateFormat = "EEE d MMM"
        var labelledDay = false
        while tick <= end {
            if tick >= start {
                let hour = calendar.component(.hour, from: tick)
                let midnight = hour == 0
                out +=
                    "<line x1=\"\(n(x(tick)))\" y1=\"\(n(top - 6))\" x2=\"\(n(x(tick)))\" y2=\"\(n(top + laneHeight * Double(max(lanes.count, 1))))\" stroke=\"\(midnight ? "#8a919c" : "#e3e6ea")\"/>"
                out +=
                    "<text class=\"hour\" x=\"\(n(x(tick) + 2))\" y=\"\(n(top - 8))\" fill=\"#3d4552\">\(clock(tick))</text>"
                if midnight || !labelledDay {
                    out +=
                        "<text class=\"day\" x=\"\(n(x(tick) + 2))\" y=\"\(n(top - 24))\" fill=\"#1d2430\" font-weight=\"bold\">\(escape(formatter.string(from: tick)))</text>"
                    labelledDay = true
                }
                out += "\n"
            }
            // Across a clock change, keep ticks on the hours of the day that are multiples of the step.
            var next = tick.addingTimeInterval(Double(hours) * 3600)
            let hour = calendar.component(.hour, from: next)
            if hour % hours != 0,
                let aligned = calendar.date(bySettingHour: hour - hour % hours, minute: 0, second: 0, of: next),
                aligned > tick
            {
                next = aligned
            }
            tick = next
        }
        for (index, lane) in lanes.enumerated() {
            let y = top + Double(index) * laneHeight
            let centre = String(lane[..<(lane.lastIndex(of: "#") ?? lane.endIndex)])
            let unit = lane[lane.index(after: lane.lastIndex(of: "#") ?? lane.startIndex)...]
            let label = (names[centre] ?? centre) + (unit == "1" ? "" : " (\(unit))")
            out += "<text x=\"10\" y=\"\(n(y + 19))\">\(escape(label))</text>"
            out +=
                "<rect x=\"\(n(left))\" y=\"\(n(y))\" width=\"\(n(plot))\" height=\"\(n(laneHeight - 4))\" fill=\"#f4f5f7\"/>\n"
            for row in byLane[lane] ?? [] {
                let from = max(row.start, start)
                let to = min(row.end, end)
                let w = max(1, to.timeIntervalSince(from) * scale)
                let fill: String
                switch row.kind {
                case .operation: fill = colour(row.product)
                case .changeover: fill = "url(#hatch)"
                case .clean: fill = "#cfe3f5"
                case .maintenance: fill = "url(#maintenance)"
                }
                let stroke =
                    row.kind == .operation && lateOrders.contains(row.order)
                    ? " stroke=\"#c00\" stroke-width=\"2.5\"" : ""
                let product = productNames[row.product] ?? row.product
                let label =
                    "\(labels.kind(row.kind)) \(row.order) \(row.operation) \(product) \(Instant.format(row.start, in: timeZone)) – \(Instant.format(row.end, in: timeZone))"
                    + (row.task.map { ": \($0)" } ?? "")
                out +=
                    "<rect class=\"\(row.kind.rawValue)\" x=\"\(n(x(from)))\" y=\"\(n(y + 1))\" width=\"\(n(w))\" height=\"\(n(laneHeight - 6))\" fill=\"\(fill)\"\(stroke)><title>\(escape(label))</title></rect>"
                // On the bar, what fits: the order and its times, or the order alone.
                let times = "\(row.order) \(clock(row.start))–\(clock(row.end))"
                let text =
                    row.kind == .operation
                    ? (Double(times.count) * 6.6 + 8 <= w
                        ? times : Double(row.order.count) * 6.6 + 8 <= w ? row.order : nil)
                    : nil
                if let text {
                    let ink = isDark(fill) ? "#fff" : "#111"
                    out +=
                        "<text class=\"bar\" x=\"\(n(x(from) + 4))\" y=\"\(n(y + 18))\" fill=\"\(ink)\">\(escape(text))</text>"
                }
                out += "\n"
            }
        }
        if let now, now >= start, now <= end {
            let at = x(now)
            out +=
                "<line class=\"now\" x1=\"\(n(at))\" y1=\"\(n(top - 4))\" x2=\"\(n(at))\" y2=\"\(n(top + laneHeight * Double(max(lanes.count, 1))))\" stroke=\"#c00\" stroke-width=\"2\"/>"
                + "<text x=\"\(n(at + 3))\" y=\"\(n(top + laneHeight * Double(max(lanes.count, 1)) + 13))\" fill=\"#c00\" font-weight=\"bold\">\(escape(GanttLabels.fill(labels.now, clock(now))))</text>\n"
        }
        // The legend: every product drawn, by name, then the kinds of bar.
        var legendY = top + laneHeight * Double(max(lanes.count, 1)) + 32
        var legendX = 10.0
        for (index, product) in products.enumerated() {
            if index > 0, index % 6 == 0 {
                legendY += 18
                legendX = 10
            }
            out +=
                "<rect class=\"legend\" x=\"\(n(legendX))\" y=\"\(n(legendY - 10))\" width=\"14\" height=\"12\" fill=\"\(colour(product))\"/><text x=\"\(n(legendX + 18))\" y=\"\(n(legendY))\">\(escape(productNames[product] ?? product))</text>"
            legendX += 190
        }
        legendY += 18
        out +=
            "<rect x=\"10\" y=\"\(n(legendY - 10))\" width=\"14\" height=\"12\" fill=\"url(#hatch)\"/><text x=\"28\" y=\"\(n(legendY))\">\(escape(labels.changeover))</text>"
        out +=
            "<rect x=\"110\" y=\"\(n(legendY - 10))\" width=\"14\" height=\"12\" fill=\"#cfe3f5\"/><text x=\"128\" y=\"\(n(legendY))\">\(escape(labels.clean))</text>"
        out +=
            "<rect x=\"180\" y=\"\(n(legendY - 10))\" width=\"14\" height=\"12\" fill=\"#fff\" stroke=\"#c00\" stroke-width=\"2\"/><text x=\"198\" y=\"\(n(legendY))\">\(escape(labels.lateOrder))</text>"
        out +=
            "<text x=\"290\" y=\"\(n(legendY))\" fill=\"#3d4552\">\(escape(GanttLabels.fill(labels.timesIn, timeZone.identifier)))</text>\n</svg>\n"
        return out
    }

}
