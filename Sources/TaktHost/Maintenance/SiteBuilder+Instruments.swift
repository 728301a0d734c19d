import TaktCore

extension SiteBuilder {
    /// Loads `instruments:`, once every module and the site's own rules have registered their checks, and
    /// registers the calibration rule when any instrument is named for a check.
    mutating func loadInstruments() {
        let specs = configuration.instruments ?? []
        guard !specs.isEmpty else { return }
        var instruments: [String: Instrument] = [:]
        let checks = Set(definition.rules.checks.map(\.id))
        for (index, spec) in specs.enumerated() {
            let path: [Any] = ["instruments", index]
            if !Self.isSiteID(spec.id) {
                report("'\(spec.id)' is not an instrument id: lowercase letters, digits, '-' or '_'", at: path + ["id"])
                continue
            }
            if instruments[spec.id] != nil { report("instrument '\(spec.id)' is listed twice", at: path + ["id"]) }
            if spec.every.seconds <= 0 { report("must be longer than zero", at: path + ["every"]) }
            let tolerance = spec.tolerance ?? 1
            if !(tolerance > 0 && tolerance.isFinite) {
                report("a tolerance above 0, such as 1 (± in the instrument's unit)", at: path + ["tolerance"])
            }
            let points = spec.points ?? [0, 100]
            if points.isEmpty || points.contains(where: { !$0.isFinite }) || Set(points).count != points.count {
                report("give the calibration's reference points, each once, such as [0, 100]", at: path + ["points"])
            }
            for (at, check) in (spec.checks ?? []).enumerated() where !checks.contains(check) {
                report(unknown("check", check.rawValue, known: checks.map(\.rawValue)), at: path + ["checks", at])
            }
            instruments[spec.id] = Instrument(
                id: spec.id, name: spec.name ?? spec.id, unit: spec.unit ?? "°C", every: spec.every,
                tolerance: tolerance, points: points, checks: spec.checks ?? [])
        }
        definition.instruments = instruments
        var book = definition.rules
        do {
            try book.addHygiene(CalibrationRule(instruments: instruments))
            definition.rules = book
        } catch {
            report(error.description, at: ["instruments"])
        }
    }
}
