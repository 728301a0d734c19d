import Foundation
import TaktCore

/// Schedules as files a manager opens: CSV for a spreadsheet, SVG for a Gantt chart in any browser.
public enum ScheduleExport {
    /// One line per operation, changeover and clean. Times are ISO 8601 in the site's zone with its offset
    /// (`2026-11-25T14:30:00+01:00`), which spreadsheets and scripts parse without guessing the zone.
    public static func csv(_ rows: [ScheduleRow], timeZone: TimeZone) -> String {
        var lines = ["work_centre,unit,kind,order,operation,product,start,end,minutes,task,rule"]
        for row in rows {
            let fields = [
                row.workCentre, String(row.unit), row.kind.rawValue, row.order, row.operation, row.product,
                Instant.isoLocal(row.start, in: timeZone), Instant.isoLocal(row.end, in: timeZone),
                String(Int(row.end.timeIntervalSince(row.start) / 60)), row.task ?? "", row.rule ?? "",
            ]
            lines.append(CSVText.line(fields))
        }
        return lines.joined(separator: "\n") + "\n"
    }

    /// A Gantt chart: one row per work centre (and unit), operations coloured by product, changeovers hatched
    /// amber, cleans blue, late orders outlined red; hover titles give the details. Self-contained: no scripts,
    /// no fonts or styles from the network.
    ///
    /// What it draws is bounded whatever the rows say: at most `maximumDays` from the first start and
    /// `maximumRows` bars; what is left out is counted in a note under the title.
    public static func svg(
        _ rows: [ScheduleRow], timeZone: TimeZone, title: String, lateOrders: Set<String> = [], width: Int = 1200,
        maximumDays: Int = 62, maximumRows: Int = 5_000
    ) -> String {
        let all = rows.filter { $0.start.timeIntervalSince1970.isFinite && $0.end.timeIntervalSince1970.isFinite }
        guard let start = all.map(\.start).min(), let last = all.map(\.end).max(), last > start else {
            return
                "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"\(width)\" height=\"40\"><text x=\"10\" y=\"25\">No operations scheduled</text></svg>"
        }
        let end = min(last, start.addingTimeInterval(Double(maximumDays) * 86_400))
        let drawn = Array(all.filter { $0.start < end }.sorted { $0.start < $1.start }.prefix(maximumRows))
        let leftOut = rows.count - drawn.count
        let lanes = Array(Set(drawn.map { "\($0.workCentre)#\($0.unit)" })).sorted()
        let byLane = Dictionary(grouping: drawn) { "\($0.workCentre)#\($0.unit)" }
        let left = 150.0
        let laneHeight = 28.0
        let top = 48.0
        let span = end.timeIntervalSince(start)
        let scale = (Double(width) - left - 20) / span
        let height = Int(top + laneHeight * Double(lanes.count) + 30)
        let products = Array(Set(drawn.map(\.product))).sorted()
        func x(_ date: Date) -> Double { left + date.timeIntervalSince(start) * scale }
        func colour(_ product: String) -> String {
            let hue = (products.firstIndex(of: product) ?? 0) * 360 / max(products.count, 1)
            return "hsl(\(hue),55%,62%)"
        }
        var out = """
            <svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 \(width) \(height)" width="100%" role="img" font-family="sans-serif" font-size="11">
            <title>\(escape(title))</title>
            <defs><pattern id="hatch" width="6" height="6" patternUnits="userSpaceOnUse" patternTransform="rotate(45)"><rect width="6" height="6" fill="#f6c343"/><line x1="0" y1="0" x2="0" y2="6" stroke="#b8860b" stroke-width="2"/></pattern></defs>
            <text x="10" y="18" font-size="14" font-weight="bold">\(escape(title))</text>

            """
        if leftOut > 0 {
            out +=
                "<text x=\"10\" y=\"32\" fill=\"#a00\">\(leftOut) operation(s) beyond \(maximumDays) days or \(maximumRows) bars not drawn</text>\n"
        }
        // Day lines and labels in the site's time zone.
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = timeZone
        var day = calendar.startOfDay(for: start)
        while day <= end {
            if day >= start {
                out +=
                    "<line x1=\"\(x(day))\" y1=\"\(top - 8)\" x2=\"\(x(day))\" y2=\"\(Double(height) - 24)\" stroke=\"#ccc\"/>"
                out +=
                    "<text x=\"\(x(day) + 2)\" y=\"\(top - 10)\" fill=\"#555\">\(escape(LocalDate(day, in: timeZone).description))</text>\n"
            }
            guard let next = calendar.date(byAdding: .day, value: 1, to: day) else { break }
            day = next
        }
        for (index, lane) in lanes.enumerated() {
            let y = top + Double(index) * laneHeight
            out +=
                "<text x=\"10\" y=\"\(y + 17)\">\(escape(lane.hasSuffix("#1") ? String(lane.dropLast(2)) : lane))</text>"
            out +=
                "<rect x=\"\(left)\" y=\"\(y)\" width=\"\(Double(width) - left - 20)\" height=\"\(laneHeight - 4)\" fill=\"#f4f4f4\"/>\n"
            for row in byLane[lane] ?? [] {
                let w = max(1, min(row.end, end).timeIntervalSince(row.start) * scale)
                let fill: String
                switch row.kind {
                case .operation: fill = colour(row.product)
                case .changeover: fill = "url(#hatch)"
                case .clean: fill = "#5b9bd5"
                }
                let stroke =
                    row.kind == .operation && lateOrders.contains(row.order)
                    ? " stroke=\"#c00\" stroke-width=\"2\"" : ""
                let label =
                    "\(row.kind.rawValue) \(row.order) \(row.operation) \(row.product) \(Instant.format(row.start, in: timeZone)) – \(Instant.format(row.end, in: timeZone))"
                    + (row.task.map { ": \($0)" } ?? "")
                out +=
                    "<rect x=\"\(x(row.start))\" y=\"\(y + 1)\" width=\"\(w)\" height=\"\(laneHeight - 6)\" fill=\"\(fill)\"\(stroke)><title>\(escape(label))</title></rect>"
                if row.kind == .operation && w > 40 {
                    out +=
                        "<text x=\"\(x(row.start) + 3)\" y=\"\(y + 16)\" font-size=\"10\">\(escape(row.order))</text>"
                }
                out += "\n"
            }
        }
        let legendY = Double(height) - 10
        out +=
            "<rect x=\"10\" y=\"\(legendY - 9)\" width=\"12\" height=\"10\" fill=\"url(#hatch)\"/><text x=\"26\" y=\"\(legendY)\">changeover</text>"
        out +=
            "<rect x=\"100\" y=\"\(legendY - 9)\" width=\"12\" height=\"10\" fill=\"#5b9bd5\"/><text x=\"116\" y=\"\(legendY)\">clean</text>"
        out +=
            "<rect x=\"170\" y=\"\(legendY - 9)\" width=\"12\" height=\"10\" fill=\"#fff\" stroke=\"#c00\" stroke-width=\"2\"/><text x=\"186\" y=\"\(legendY)\">late order</text>"
        out += "<text x=\"270\" y=\"\(legendY)\" fill=\"#555\">times in \(escape(timeZone.identifier))</text>\n</svg>\n"
        return out
    }

    static func escape(_ text: String) -> String { HTMLText.escape(text) }
}
