import Foundation

extension ControlChart {
    /// The individuals chart as SVG: the readings joined in time order, the centre line, the ±1σ/±2σ zones pale,
    /// the control limits dashed, the specification limits red, and the points that signal ringed. `title` labels
    /// it for screen readers; times are shown in `timeZone`.
    public func svg(
        _ readings: [(at: Date, value: Double)], specification: CriticalLimits, title: String, timeZone: TimeZone,
        signalling: Set<Int> = []
    ) -> String {
        let width = 720.0
        let height = 260.0
        let (left, right, top, bottom) = (56.0, 12.0, 12.0, 28.0)
        var values = readings.map(\.value) + [upperControlLimit, lowerControlLimit]
        values += [specification.min, specification.max].compactMap { $0 }
        let low = (values.min() ?? 0) - pointSigma * 0.5
        let high = (values.max() ?? 1) + pointSigma * 0.5
        let span = max(high - low, 1e-9)
        func y(_ value: Double) -> Double { top + (high - value) / span * (height - top - bottom) }
        func x(_ index: Int) -> Double {
            left + (readings.count > 1 ? Double(index) / Double(readings.count - 1) : 0.5) * (width - left - right)
        }
        func n(_ value: Double) -> String { String(format: "%.1f", value) }
        func escape(_ text: String) -> String {
            text.replacingOccurrences(of: "&", with: "&amp;").replacingOccurrences(of: "<", with: "&lt;")
                .replacingOccurrences(of: ">", with: "&gt;").replacingOccurrences(of: "\"", with: "&quot;")
        }
        var out = """
            <svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 \(n(width)) \(n(height))" role="img" aria-label="\(escape(title))">
            <title>\(escape(title))</title>
            <rect x="\(n(left))" y="\(n(y(mean + 2 * pointSigma)))" width="\(n(width - left - right))" height="\(n(y(mean - 2 * pointSigma) - y(mean + 2 * pointSigma)))" fill="#eef3f8"/>
            <rect x="\(n(left))" y="\(n(y(mean + pointSigma)))" width="\(n(width - left - right))" height="\(n(y(mean - pointSigma) - y(mean + pointSigma)))" fill="#dfe9f3"/>

            """
        func line(_ value: Double, _ colour: String, _ dash: String, _ label: String) {
            out +=
                "<line x1=\"\(n(left))\" x2=\"\(n(width - right))\" y1=\"\(n(y(value)))\" y2=\"\(n(y(value)))\" stroke=\"\(colour)\" stroke-dasharray=\"\(dash)\"/>"
                + "<text x=\"4\" y=\"\(n(y(value) + 4))\" font-size=\"10\" fill=\"\(colour)\">\(escape(label))</text>\n"
        }
        line(mean, "#1d4f91", "", "x̄ \(CriticalLimits.format((mean * 100).rounded() / 100))")
        line(
            upperControlLimit, "#5b6573", "6 4",
            "UCL \(CriticalLimits.format((upperControlLimit * 100).rounded() / 100))")
        line(
            lowerControlLimit, "#5b6573", "6 4",
            "LCL \(CriticalLimits.format((lowerControlLimit * 100).rounded() / 100))")
        if let max = specification.max { line(max, "#b3261e", "", "max \(CriticalLimits.format(max))") }
        if let min = specification.min { line(min, "#b3261e", "", "min \(CriticalLimits.format(min))") }
        if readings.count > 1 {
            let points = readings.indices.map { "\(n(x($0))),\(n(y(readings[$0].value)))" }.joined(separator: " ")
            out += "<polyline points=\"\(points)\" fill=\"none\" stroke=\"#1f2933\" stroke-width=\"1.5\"/>\n"
        }
        for (index, reading) in readings.enumerated() {
            let flagged = signalling.contains(index)
            out +=
                "<circle cx=\"\(n(x(index)))\" cy=\"\(n(y(reading.value)))\" r=\"\(flagged ? 5 : 3)\" fill=\"\(flagged ? "#b3261e" : "#1f2933")\">"
                + "<title>\(escape(Instant.format(reading.at, in: timeZone))): \(CriticalLimits.format(reading.value))</title></circle>\n"
        }
        if let first = readings.first, let last = readings.last {
            out +=
                "<text x=\"\(n(left))\" y=\"\(n(height - 8))\" font-size=\"10\">\(escape(Instant.format(first.at, in: timeZone)))</text>"
                + "<text x=\"\(n(width - right))\" y=\"\(n(height - 8))\" font-size=\"10\" text-anchor=\"end\">\(escape(Instant.format(last.at, in: timeZone)))</text>\n"
        }
        return out + "</svg>"
    }

    /// The indexes of `values` (time order) at which a signal starts.
    public func signalling(_ values: [Double]) -> Set<Int> {
        var result: Set<Int> = []
        for index in values.indices {
            let now = Set(signals(Array(values[...index])))
            let before = index > 0 ? Set(signals(Array(values[..<index]))) : []
            if !now.subtracting(before).isEmpty { result.insert(index) }
        }
        return result
    }
}
