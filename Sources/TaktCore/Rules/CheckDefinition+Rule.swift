extension CheckDefinition: LimitAdjustable {
    public var summary: String {
        var text = "\(name): \(limits) \(unit)"
        if let every { text += ", every \(every)" }
        if !onBreach.isEmpty { text += "; breach: " + onBreach.map(\.rawValue).joined(separator: ", ") }
        return text
    }

    /// A reading of this check outside its limits raises one finding with the check's severity and actions.
    public func evaluate(_ event: SiteEvent, in context: RuleContext) -> [Finding] {
        guard case .reading(let reading) = event, reading.check == id else { return [] }
        let limits = limits(on: LocalDate(reading.at, in: context.timeZone))
        guard let breach = limits.breach(of: reading.value, unit: unit) else { return [] }
        var actions: [FindingAction] = []
        var subject = Finding.Subject(.check, id.rawValue)
        let workCentre = reading.workCentre ?? (workCentres.count == 1 ? workCentres[0] : nil)
        var notes: [String] = []
        for action in onBreach {
            switch action {
            case .holdLot:
                if let lot = reading.lot {
                    actions.append(FindingAction(.holdLot, lot))
                    subject = Finding.Subject(.lot, lot)
                } else {
                    notes.append("no lot was named: put on hold every lot this check covers")
                }
            case .blockWorkCentre:
                if let workCentre {
                    actions.append(FindingAction(.blockWorkCentre, workCentre))
                    if reading.lot == nil { subject = Finding.Subject(.workCentre, workCentre) }
                }
            case .blockOperator:
                if let person = reading.recordedBy, let workCentre {
                    actions.append(FindingAction(.blockOperator, "\(person)@\(workCentre)"))
                    subject = Finding.Subject(.staff, person)
                } else {
                    notes.append("no operator or work centre was named: block the person tested by hand")
                }
            }
        }
        actions.append(FindingAction(.correctiveAction, correctiveAction))
        var message = "\(name): \(breach)"
        if let source { message += " (\(source))" }
        if !notes.isEmpty { message += "; " + notes.joined(separator: "; ") }
        var finding = Finding(
            rule: id, severity: severity, subject: subject, message: message, actions: actions, raisedAt: context.now)
        var texts: [String: Finding.Text] = [:]
        for (code, words) in translations {
            guard let locale = SiteLocale(rawValue: code),
                let breach = limits.breach(of: reading.value, unit: unit, in: locale)
            else { continue }
            texts[code] = Finding.Text(
                message: "\(words.name): \(breach)" + (source.map { " (\($0))" } ?? ""),
                correctiveAction: words.correctiveAction)
        }
        if !texts.isEmpty { finding.translations = texts }
        return [finding]
    }

    /// The blocks a passing `reading` lifts: those this check places on the same work centre or operator.
    public func releases(for reading: CheckReading) -> [FindingAction] {
        guard releasesOnPass, reading.check == id, limits.breach(of: reading.value, unit: unit) == nil else {
            return []
        }
        let workCentre = reading.workCentre ?? (workCentres.count == 1 ? workCentres[0] : nil)
        var released: [FindingAction] = []
        for action in onBreach {
            switch action {
            case .holdLot: continue
            case .blockWorkCentre:
                if let workCentre { released.append(FindingAction(.blockWorkCentre, workCentre)) }
            case .blockOperator:
                if let person = reading.recordedBy, let workCentre {
                    released.append(FindingAction(.blockOperator, "\(person)@\(workCentre)"))
                }
            }
        }
        return released
    }

    /// Applies a site's tighter limits; a higher maximum or a lower minimum than registered is refused, citing
    /// where the number it was compared with comes from: the law, when the registered limit is the law's, or the
    /// module's own (stricter) limit with the law's beside it. Limits that no reading could meet (a minimum above
    /// the maximum) are refused too.
    public func adjusted(by override: LimitOverride) throws(CoreError) -> CheckDefinition {
        var copy = self
        func origin(_ value: Double, _ comparison: LegalLimit.Comparison) -> String {
            let law = legalLimits.filter { $0.comparison == comparison && $0.until == nil }
            if let same = law.first(where: { $0.value == value }) { return same.citation }
            let module = "\(id.namespace)'s limit for this site"
            guard let legal = law.first else { return source.map { "\(module); \($0)" } ?? module }
            return "\(module); the law's is \(legal.bound): \(legal.citation)"
        }
        if let max = override.max {
            if let current = limits.max, max > current {
                throw .looserThanAllowed(
                    rule: id, setting: "max \(CriticalLimits.format(max)) \(unit)",
                    allowed: "max \(CriticalLimits.format(current)) \(unit)", source: origin(current, .atMost))
            }
            copy.limits.max = max
        }
        if let min = override.min {
            if let current = limits.min, min < current {
                throw .looserThanAllowed(
                    rule: id, setting: "min \(CriticalLimits.format(min)) \(unit)",
                    allowed: "min \(CriticalLimits.format(current)) \(unit)", source: origin(current, .atLeast))
            }
            copy.limits.min = min
        }
        if let low = copy.limits.min, let high = copy.limits.max, low > high {
            throw .invalidConfiguration(
                path: "",
                message: "\(id): min \(CriticalLimits.format(low)) \(unit) is above max \(CriticalLimits.format(high)) "
                    + "\(unit), so no reading could pass")
        }
        return copy
    }
}
