import TaktCore

extension SiteBuilder {
    /// Loads `maintenance.plans`: ids unique, each on a known work centre, with at least one trigger (`every`,
    /// `run_hours`, `units`), a duration, and spare parts that are items of the site.
    mutating func loadMaintenancePlans() {
        var plans: [MaintenancePlan] = []
        let centres = Set(definition.workCentres.map(\.id))
        for (index, spec) in (configuration.maintenance?.plans ?? []).enumerated() {
            let path: [Any] = ["maintenance", "plans", index]
            guard Self.isSiteID(spec.id) else {
                report("'\(spec.id)' is not a plan id: lowercase letters, digits, '-' or '_'", at: path + ["id"])
                continue
            }
            if plans.contains(where: { $0.id == spec.id }) {
                report("plan '\(spec.id)' is listed twice", at: path + ["id"])
            }
            if !centres.contains(spec.asset) {
                report(unknown("work centre", spec.asset, known: Array(centres)), at: path + ["asset"])
            }
            if spec.task.trimmingCharacters(in: .whitespaces).isEmpty {
                report("say what is done", at: path + ["task"])
            }
            if spec.every == nil, spec.runHours == nil, spec.units == nil {
                report("give at least one trigger: every (30d), run_hours (500) or units (50000)", at: path)
            }
            if let every = spec.every, every.seconds <= 0 { report("must be longer than zero", at: path + ["every"]) }
            for (key, value) in [("run_hours", spec.runHours), ("units", spec.units)] {
                if let value, !(value > 0 && value.isFinite) { report("a number above 0", at: path + [key]) }
            }
            if spec.duration.seconds <= 0 { report("must be longer than zero", at: path + ["duration"]) }
            if let tolerance = spec.tolerance, tolerance.seconds < 0 {
                report("must not be negative", at: path + ["tolerance"])
            }
            for (position, part) in (spec.parts ?? []).enumerated() {
                if definition.items[part.item] == nil {
                    report(
                        unknown("item", part.item, known: Array(definition.items.keys)),
                        at: path + ["parts", position, "item"])
                }
                if !(part.quantity > 0 && part.quantity.isFinite) {
                    report("a quantity above 0", at: path + ["parts", position, "quantity"])
                }
            }
            var meters: [Meter: Double] = [:]
            meters[.runHours] = spec.runHours
            meters[.units] = spec.units
            plans.append(
                MaintenancePlan(
                    id: spec.id, asset: spec.asset, task: spec.task, every: spec.every, meters: meters,
                    duration: spec.duration, skill: spec.skill,
                    parts: (spec.parts ?? []).map { PartUse(item: $0.item, quantity: $0.quantity) },
                    tolerance: spec.tolerance ?? .days(0),
                    lastDone: spec.lastDone.map { $0.instant(in: definition.timeZone) }))
        }
        definition.maintenancePlans = plans
    }
}
