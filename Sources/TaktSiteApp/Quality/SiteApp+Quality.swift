import Foundation
import Hummingbird
import TaktCore
import TaktHost
import TaktWeb

/// Control charts on the shop floor: every check in `quality.spc`, its newest readings against its limits.
extension SiteApp {
    func addQualityPages(to router: Router<WebContext>) {
        router.get("/quality") { request, _ in
            try await self.withSession(request) { session in try self.qualityPage(session) }
        }
    }

    func qualityPage(_ session: Session) throws -> Response {
        let texts = session.texts
        let zone = host.definition.timeZone
        var html = "<h1>\(escape(texts("quality.title")))</h1>"
        if host.definition.charts.isEmpty { html += "<p>\(escape(texts("quality.none")))</p>" }
        for charted in host.definition.charts {
            let report = try host.controlChart(check: charted.check, workCentre: charted.workCentre, at: clock())
            let check = host.definition.rules.check(charted.check)
            let name = check?.translations[texts.locale.rawValue]?.name ?? report.name
            let place = charted.workCentre.map { host.definition.workCentre($0)?.name ?? $0 }
            html += "<div class=\"card\"><h2>\(escape(name))\(place.map { " · \(escape($0))" } ?? "")</h2>"
            guard let chart = report.chart else {
                html += "<p>\(escape(texts("quality.no_limits", String(report.baselineNeeded))))</p></div>"
                continue
            }
            let values = report.readings.map(\.value)
            html +=
                "<div class=\"scroll\">"
                + chart.svg(
                    report.readings.map { ($0.at, $0.value) }, specification: report.limits, title: name,
                    timeZone: zone, signalling: chart.signalling(values)) + "</div>"
            html +=
                "<p>"
                + escape(
                    report.signals.isEmpty
                        ? texts("quality.in_control")
                        : texts(
                            "quality.signals",
                            report.signals.map { texts("quality.signal.\($0.rawValue)") }.joined(separator: "; ")))
                + (report.cpk.map { " · Cpk \(texts.number(($0 * 100).rounded() / 100))" } ?? "") + "</p></div>"
        }
        return page(session, title: texts("quality.title"), body: html)
    }
}
