import TaktCore

extension SiteBuilder {
    /// Loads `maintenance.plans`: ids unique, each on a known work centre, with at least one trigger (`every`,
    /// `run_hours`, `units`), a duration, and spare parts that are items of the site.
    mutating func loadMaintenancePlans() {
        var plans: [MaintenancePlan] = []
        let centres = Set(definition.workCentres.map(\.id))
        var equipment: [String: Equipment] = [:]
        for (index, spec) in (configuration.maintenance?.equipment ?? []).enumerated() {
            let path: [Any] = ["maintenance", "equipment", index]
            guard Self.isSiteID(spec.id) else {
                report("'\(spec.id)' is not an equipment id: lowercase letters, digits, '-' or '_'", at: path + ["id"])
                continue
            }
            if equipment[spec.id] != nil || centres.contains(spec.id) {
                report("'\(spec.id)' is taken by another work centre or equipment", at: path + ["id"])
            }
            if !centres.contains(spec.workCentre) {
                report(unknown("work centre", spec.workCentre, known: Array(centres)), at: path + ["work_centre"])
            }
            equipment[spec.id] = Equipment(id: spec.id, name: spec.name ?? spec.id, workCentre: spec.workCentre)
        }
        definition.equipment = equipment
        for (index, spec) in (configuration.maintenance?.plans ?? []).enumerated() {
            let path: [Any] = ["maintenance", "plans", index]
            guard Self.isSiteID(spec.id) else {
                report("'\(spec.id)' is not a plan id: lowercase letters, digits, '-' or '_'", at: path + ["id"])
                continue
            }
            if plans.contains(where: { $0.id == spec.id }) {
                report("plan '\(spec.id)' is listed twice", at: path + ["id"])
            }
            let part = equipment[spec.asset]
            if !centres.contains(spec.asset), part == nil {
                report(
                    unknown("work centre or equipment", spec.asset, known: Array(centres) + Array(equipment.keys)),
                    at: path + ["asset"])
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
            var plan = MaintenancePlan(
                id: spec.id, asset: part?.workCentre ?? spec.asset, task: spec.task, every: spec.every, meters: meters,
                duration: spec.duration, skill: spec.skill,
                parts: (spec.parts ?? []).map { PartUse(item: $0.item, quantity: $0.quantity) },
                tolerance: spec.tolerance ?? .days(0),
                lastDone: spec.lastDone.map { $0.instant(in: definition.timeZone) })
            plan.equipment = part?.id
            plans.append(plan)
        }
        definition.maintenancePlans = plans
    }
}
