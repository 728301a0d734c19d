import TaktCore

extension SiteBuilder {
    /// Adds the site's own rules from `rules:` and then applies its tighter limits.
    mutating func addDeclarativeRules() {
        guard let rules = configuration.rules else { return }
        let workCentres = definition.workCentres.map(\.id)
        for (index, spec) in (rules.checks ?? []).enumerated() {
            let path: [Any] = ["rules", "checks", index]
            guard siteNamespace(spec.id, at: path) else { continue }
            if spec.min == nil && spec.max == nil { report("a check needs min, max or both", at: path) }
            if let min = spec.min, let max = spec.max, min > max {
                report("min \(min) is above max \(max)", at: path + ["min"])
            }
            checkWorkCentres(spec.workCentres ?? [], known: workCentres, at: path + ["work_centres"])
            let check = CheckDefinition(
                id: spec.id, name: spec.name, unit: spec.unit, limits: CriticalLimits(min: spec.min, max: spec.max),
                every: spec.every, workCentres: spec.workCentres ?? [], severity: spec.severity ?? .critical,
                onBreach: spec.onBreach ?? [], correctiveAction: spec.correctiveAction, source: spec.source,
                releasesOnPass: spec.releasesOnPass ?? false)
            add(at: path) { book throws(CoreError) in
                spec.slot == .safety ? try book.addSafety(check) : try book.addHygiene(check)
            }
        }
        for (index, spec) in (rules.changeovers ?? []).enumerated() {
            let path: [Any] = ["rules", "changeovers", index]
            guard siteNamespace(spec.id, at: path) else { continue }
            checkWorkCentres(spec.workCentres ?? [], known: workCentres, at: path + ["work_centres"])
            let forbidden = spec.forbidden ?? false
            if forbidden == (spec.duration != nil) {
                report("give either a duration or forbidden: true", at: path)
                continue
            }
            let rule = SelectorChangeover(
                id: spec.id, from: spec.from, to: spec.to, workCentres: spec.workCentres ?? [],
                duration: forbidden ? nil : spec.duration, task: spec.task)
            add(at: path) { book throws(CoreError) in try book.addChangeover(rule) }
        }
        for (index, spec) in (rules.maximumRuns ?? []).enumerated() {
            let path: [Any] = ["rules", "maximum_runs", index]
            guard siteNamespace(spec.id, at: path) else { continue }
            checkWorkCentres(spec.workCentres, known: workCentres, at: path + ["work_centres"])
            if spec.maximum.seconds <= 0 { report("maximum must be longer than zero", at: path + ["maximum"]) }
            let rule = MaximumRunRule(
                id: spec.id, workCentres: spec.workCentres, maximum: spec.maximum, task: spec.task,
                taskDuration: spec.taskDuration)
            add(at: path) { book throws(CoreError) in try book.addMaximumRun(rule) }
        }
        for (index, spec) in (rules.eligibility ?? []).enumerated() {
            let path: [Any] = ["rules", "eligibility", index]
            guard siteNamespace(spec.id, at: path) else { continue }
            checkWorkCentres(spec.workCentres, known: workCentres, at: path + ["work_centres"])
            if spec.skill == nil && spec.certificate == nil { report("give a skill, a certificate or both", at: path) }
            let rule = EligibilityRule(
                id: spec.id, workCentres: spec.workCentres, skill: spec.skill, certificate: spec.certificate)
            add(at: path) { book throws(CoreError) in try book.addEligibility(rule) }
        }
        let checkIDs = definition.rules.checks.map(\.id)
        for (index, spec) in (rules.qualifications ?? []).enumerated() {
            let path: [Any] = ["rules", "qualifications", index]
            guard siteNamespace(spec.id, at: path) else { continue }
            checkWorkCentres(spec.workCentres ?? [], known: workCentres, at: path + ["work_centres"])
            for check in spec.checks ?? [] where !checkIDs.contains(check) && !ownedByFailedModule(check) {
                report(unknown("check", check.rawValue, known: checkIDs.map(\.rawValue)), at: path + ["checks"])
            }
            if spec.skill == nil && spec.certificate == nil { report("give a skill, a certificate or both", at: path) }
            let rule = QualificationRule(
                id: spec.id, checks: spec.checks ?? [], workCentres: spec.workCentres ?? [],
                certificate: spec.certificate, skill: spec.skill, severity: spec.severity ?? .major)
            if let twin = definition.rules.safety.compactMap({ $0 as? QualificationRule }).first(where: {
                $0.repeats(rule)
            }) {
                warn(
                    "\(rule.id) repeats \(twin.id) for \(rule.overlap(with: twin).map(\.rawValue).joined(separator: ", ")): "
                        + "one reading would raise two findings; remove it, or ask for something \(twin.id) does not",
                    at: path)
            }
            add(at: path) { book throws(CoreError) in try book.addSafety(rule) }
        }
        for (index, override) in (rules.limits ?? []).enumerated() {
            if override.min == nil && override.max == nil {
                report("a limit override needs min, max or both", at: ["rules", "limits", index])
                continue
            }
            if ownedByFailedModule(override.rule) { continue }
            add(at: ["rules", "limits", index]) { book throws(CoreError) in try book.tighten(override) }
        }
    }

    /// Whether `id` belongs to a module that failed to load: its problem is already reported, and the rule
    /// being missing would only add misleading follow-on errors.
    func ownedByFailedModule(_ id: RuleID) -> Bool { failedModules.contains(id.namespace) }

    private mutating func siteNamespace(_ id: RuleID, at path: [Any]) -> Bool {
        guard id.namespace == "site", id.rawValue.contains(".") else {
            report("a site's own rule ids start with 'site.' (for example site.\(id.rawValue))", at: path + ["id"])
            return false
        }
        return true
    }

    private mutating func checkWorkCentres(_ ids: [String], known: [String], at path: [Any]) {
        for id in ids where !known.contains(id) { report(unknown("work centre", id, known: known), at: path) }
    }

    private mutating func add(at path: [Any], _ change: (inout RuleBook) throws(CoreError) -> Void) {
        var book = definition.rules
        do {
            try change(&book)
            definition.rules = book
        } catch {
            report(error.description, at: path)
        }
    }
}
