import Foundation
import TaktCore

extension SiteBuilder {
    /// Loads `quality.spc`: each a numeric check the site has, at one of its work centres (or none, for a check
    /// kept without one), with a baseline of at least 10 readings or a period.
    mutating func loadCharts() {
        var charts: [ChartedCheck] = []
        for (index, spec) in (configuration.quality?.spc ?? []).enumerated() {
            let path: [Any] = ["quality", "spc", index]
            guard let check = definition.rules.check(spec.check) else {
                report(
                    unknown("check", spec.check.rawValue, known: definition.rules.checks.map(\.id.rawValue)),
                    at: path + ["check"])
                continue
            }
            if check.isPassFail { report("a pass/fail check has no values to chart", at: path + ["check"]) }
            var workCentre = spec.workCentre
            if workCentre == nil, check.workCentres.count == 1 { workCentre = check.workCentres[0] }
            if let centre = workCentre, !check.workCentres.isEmpty, !check.workCentres.contains(centre) {
                report(
                    "\(check.id) is not kept at \(centre): one of \(check.workCentres.joined(separator: ", "))",
                    at: path + ["work_centre"])
            }
            if workCentre == nil, check.workCentres.count > 1 {
                report(
                    "say which work centre's readings to chart: one of \(check.workCentres.joined(separator: ", "))",
                    at: path)
            }
            let subgroup = spec.subgroup ?? 1
            if subgroup != 1, !ControlChart.subgroupSizes.contains(subgroup) {
                report(
                    "a subgroup holds 2 to 10 readings (or leave it out for single readings)", at: path + ["subgroup"])
            }
            let points = spec.baselinePoints ?? max(25, 20 * subgroup)
            if points < 10 { report("a baseline needs at least 10 readings", at: path + ["baseline_points"]) }
            if subgroup > 1, points < 2 * subgroup {
                report(
                    "a baseline needs at least 2 subgroups (\(2 * subgroup) readings)", at: path + ["baseline_points"])
            }
            if let period = spec.baseline, !(period.from <= period.to) {
                report("the baseline must end after it starts", at: path + ["baseline"])
            }
            if charts.contains(where: { $0.check == spec.check && $0.workCentre == workCentre }) {
                report("\(spec.check) at \(workCentre ?? "(no work centre)") is charted twice", at: path)
            }
            let zone = definition.timeZone
            charts.append(
                ChartedCheck(
                    check: spec.check, workCentre: workCentre, baselinePoints: spec.baseline == nil ? points : 10_000,
                    baseline: spec.baseline.map {
                        DateInterval(start: $0.from.instant(in: zone), end: $0.to.next(in: zone).instant(in: zone))
                    }, subgroupSize: subgroup))
        }
        definition.charts = charts
    }
}
