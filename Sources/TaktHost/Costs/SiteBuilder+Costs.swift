import Foundation
import TaktCore

extension SiteBuilder {
    /// Loads `costs:`: each work centre's machine and labour rates, the overhead share and the report folder.
    /// A negative or missing-number rate, a rate for a work centre or shift the site does not have, is refused.
    mutating func loadCosts() {
        guard let spec = configuration.costs else { return }
        var rates = CostRates()
        if let overhead = spec.overhead {
            if !(overhead.isFinite && overhead >= 0 && overhead <= 10) {
                report(
                    "the overhead is a share of direct cost between 0 and 10 (0.15 is 15 %)", at: ["costs", "overhead"])
            }
            rates.overhead = overhead
        }
        for (index, centre) in (spec.workCentres ?? []).enumerated() {
            let path: [Any] = ["costs", "work_centres", index]
            guard let workCentre = definition.workCentre(centre.id) else {
                report(
                    "no work centre '\(centre.id)' (known: "
                        + definition.workCentres.map(\.id).joined(separator: ", ") + ")", at: path + ["id"])
                continue
            }
            if rates.workCentres[centre.id] != nil {
                report("work centre '\(centre.id)' has two sets of rates", at: path + ["id"])
            }
            if centre.machine == nil && centre.labour == nil {
                report("give the machine rate, the labour rate, or both (per hour)", at: path)
            }
            let shifts = Set(
                workCentre.calendar.flatMap { definition.calendars[$0] }?.shifts.compactMap(\.name) ?? [])
            var checked: [(String, Double?)] = [
                ("machine", centre.machine), ("labour", centre.labour), ("overtime", centre.overtime),
            ]
            for (shift, rate) in (centre.shiftLabour ?? [:]).sorted(by: { $0.key < $1.key }) {
                checked.append(("shift_labour." + shift, rate))
                if !shifts.contains(shift) {
                    report(
                        "\(centre.id)'s calendar has no shift named '\(shift)'"
                            + (shifts.isEmpty
                                ? " (its shifts have no names)"
                                : " (named: \(shifts.sorted().joined(separator: ", ")))"),
                        at: path + ["shift_labour", shift])
                }
            }
            for (key, rate) in checked {
                if let rate, !(rate.isFinite && rate >= 0 && rate < 1e7) {
                    report(
                        "a rate is an amount of \(definition.site.currency) per hour, 0 or more, not \(rate)",
                        at: path + key.split(separator: ".").map(String.init))
                }
            }
            rates.workCentres[centre.id] = CostRates.WorkCentre(
                machine: centre.machine ?? 0, labour: centre.labour ?? 0, shiftLabour: centre.shiftLabour ?? [:],
                overtime: centre.overtime)
        }
        if let folder = spec.reports?.folder {
            if folder.trimmingCharacters(in: .whitespaces).isEmpty || folder.hasPrefix("/") || folder.contains("..") {
                report("the report folder is a path inside the site's folder", at: ["costs", "reports", "folder"])
            }
            definition.reportFolder = folder
        }
        definition.costs = rates
    }
}
