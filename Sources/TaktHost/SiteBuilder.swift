import Foundation
import TaktCore
import Yams

/// Turns a decoded `site.yaml` into a `SiteDefinition`, collecting every problem with its line.
struct SiteBuilder {
    let configuration: SiteConfiguration
    let root: Node
    let file: String
    /// Where configuration from central was merged into `rules:`, if any.
    let overlay: OverlayOrigin?
    var problems: [ConfigurationProblem] = []
    /// The modules that loaded, for the review phase.
    var reviewed: [any SiteModule] = []
    /// Ids of modules named under `modules:` that failed to load.
    var failedModules: Set<String> = []
    var definition: SiteDefinition

    init(configuration: SiteConfiguration, root: Node, file: String, overlay: OverlayOrigin? = nil) {
        self.configuration = configuration
        self.root = root
        self.file = file
        self.overlay = overlay
        let section = configuration.site
        let zone = TimeZone(identifier: section.timeZone) ?? TimeZone(identifier: "UTC")!
        self.definition = SiteDefinition(
            site: Site(
                id: section.id, name: section.name, region: section.region, timeZone: section.timeZone,
                currency: section.currency),
            timeZone: zone)
        if let tolerance = section.clockTolerance { definition.clockTolerance = tolerance }
        definition.site.country = section.country?.uppercased()
        definition.site.locale = section.locale.flatMap(SiteLocale.init(rawValue:))
    }

    // MARK: - Locating problems

    /// Notes something that is probably not meant but does not stop the site.
    mutating func warn(_ message: String, at path: [Any]) {
        definition.warnings.append(problem(message, at: path).description)
    }

    mutating func report(_ message: String, at path: [Any]) {
        problems.append(problem(message, at: path))
    }

    /// A problem at `path`, in the file its node came from (site.yaml, or configuration from central, whose
    /// entries are counted from its own first).
    func problem(_ message: String, at path: [Any]) -> ConfigurationProblem {
        guard let overlay, let own = overlay.ownPath(path) else {
            return ConfigurationProblem(file: file, line: line(at: path), path: Self.render(path), message: message)
        }
        return ConfigurationProblem(
            file: overlay.file, line: line(at: path), path: Self.render(own), message: message)
    }

    /// The line of the node at `path` (strings are keys, integers are list indexes), or of its nearest parent.
    func line(at path: [Any]) -> Int? {
        var current = root
        var best = root.mark?.line
        for part in path {
            if let index = part as? Int, let sequence = current.sequence, index < sequence.count {
                current = sequence[index]
            } else if let key = part as? String, let next = current.mapping?[Node(key)] {
                current = next
            } else {
                break
            }
            best = current.mark?.line ?? best
        }
        return best
    }

    static func render(_ path: [Any]) -> String {
        StrictYAML.join(path.map { part in (part as? Int).map { "[\($0)]" } ?? "\(part)" })
    }

    /// Splits `ccp.chill.max` or `lines[1].clean` into path parts.
    static func parse(_ dotted: String) -> [Any] {
        dotted.split(separator: ".").flatMap { segment -> [Any] in
            let pieces = segment.split(separator: "[")
            var parts: [Any] = [String(pieces[0])]
            for index in pieces.dropFirst() { parts.append(Int(index.dropLast()) ?? 0) }
            return parts
        }
    }

    // MARK: - The plant

    mutating func checkBasics() {
        let section = configuration.site
        if !Self.isSiteID(section.id) {
            report("'\(section.id)' is not a valid site id: use lowercase letters, digits and '-'", at: ["site", "id"])
        }
        if !Self.isTimeZone(section.timeZone) {
            report(
                "unknown time zone '\(section.timeZone)': use an IANA name such as Europe/London",
                at: ["site", "time_zone"])
        }
        if let country = section.country, !Self.isCountry(country) {
            report(
                "'\(country)' is not an ISO 3166 code: use a country such as IE or MY, or GB-ENG, GB-SCT, GB-WLS, GB-NIR",
                at: ["site", "country"])
        }
        if let locale = section.locale, SiteLocale(rawValue: locale) == nil {
            report(
                "'\(locale)' is not a language of the site app: use "
                    + SiteLocale.allCases.map { "\($0.rawValue) (\($0.name))" }.joined(separator: ", "),
                at: ["site", "locale"])
        }
        if !Locale.commonISOCurrencyCodes.contains(section.currency) {
            report(
                "unknown currency '\(section.currency)': use an ISO 4217 code such as GBP", at: ["site", "currency"])
        }
        if let spec = configuration.scheduling {
            let defaults = ScheduleWeights()
            let weights = [
                ("tardiness_weight", spec.tardinessWeight), ("changeover_weight", spec.changeoverWeight),
                ("makespan_weight", spec.makespanWeight), ("stability_weight", spec.stabilityWeight),
            ]
            for (key, value) in weights where (value ?? 0) < 0 || !(value ?? 0).isFinite {
                report("a weight must be zero or more", at: ["scheduling", key])
            }
            definition.weights = ScheduleWeights(
                tardiness: spec.tardinessWeight ?? defaults.tardiness,
                changeover: spec.changeoverWeight ?? defaults.changeover,
                makespan: spec.makespanWeight ?? defaults.makespan,
                stability: spec.stabilityWeight ?? defaults.stability)
            if let early = spec.earliestBeforeDue, early.seconds <= 0 {
                report("must be longer than zero", at: ["scheduling", "earliest_before_due"])
            }
            definition.earliestBeforeDue = spec.earliestBeforeDue
        }
        var reasons: Set<String> = []
        for (index, spec) in (configuration.downtimeReasons ?? []).enumerated() {
            let reason = spec.id
            if !NamespacedID.isValid(reason) || reason.contains(".") {
                report(
                    "'\(reason)' is not a reason code: use lowercase words joined by '_'",
                    at: ["downtime_reasons", index])
            } else if !reasons.insert(reason).inserted {
                report("'\(reason)' is listed twice", at: ["downtime_reasons", index])
            }
            if let loss = spec.loss, !Loss.downtime.contains(loss) {
                report(
                    "a stop is a breakdown, setup or minor_stops loss; \(loss.rawValue) comes from the counts",
                    at: ["downtime_reasons", index, "loss"])
            }
        }
        definition.downtimeReasons = (configuration.downtimeReasons ?? []).map {
            DowntimeReason(id: $0.id, loss: $0.loss, planned: $0.planned)
        }
        loadCalendars()
        loadWorkCentres()
        loadProducts()
        loadStaff()
    }

    /// An IANA zone name Foundation knows (`Europe/London`), or `UTC`.
    static func isTimeZone(_ name: String) -> Bool {
        guard TimeZone(identifier: name) != nil else { return false }
        return name == "UTC" || name.hasPrefix("Etc/") || TimeZone.knownTimeZoneIdentifiers.contains(name)
    }

    static func isSiteID(_ text: String) -> Bool {
        guard let first = text.first, first.isASCII, first.isLowercase, text.count <= 64 else { return false }
        return text.allSatisfy { ($0.isASCII && ($0.isLowercase || $0.isNumber)) || $0 == "-" || $0 == "_" }
    }

    private mutating func checkUnique(_ ids: [String], section: String, kind: String) {
        var seen: Set<String> = []
        for (index, id) in ids.enumerated() where !seen.insert(id).inserted {
            report("duplicate \(kind) id '\(id)'", at: [section, index, "id"])
        }
    }

    private mutating func loadCalendars() {
        let specs = configuration.calendars ?? []
        checkUnique(specs.map(\.id), section: "calendars", kind: "calendar")
        for (index, spec) in specs.enumerated() {
            for (shiftIndex, shift) in spec.shifts.enumerated() where shift.days.isEmpty {
                report("a shift needs at least one day", at: ["calendars", index, "shifts", shiftIndex, "days"])
            }
            let overtime = periods(spec.overtime ?? [], at: ["calendars", index, "overtime"])
            let exceptions = periods(spec.exceptions ?? [], at: ["calendars", index, "exceptions"])
            definition.calendars[spec.id] = ShiftCalendar(
                id: spec.id, shifts: spec.shifts, holidays: spec.holidays ?? [], overtime: overtime,
                exceptions: exceptions)
        }
    }

    /// A calendar's dated periods (overtime, exceptions), each with a start before its end; site-local times.
    private mutating func periods(
        _ specs: [SiteConfiguration.ExceptionSpec], at section: [Any]
    ) -> [ShiftCalendar.Period] {
        var periods: [ShiftCalendar.Period] = []
        for (position, spec) in specs.enumerated() {
            let path = section + [position]
            guard let from = Instant.parse(spec.from, in: definition.timeZone) else {
                report("'\(spec.from)' is not a date and time", at: path + ["from"])
                continue
            }
            guard let to = Instant.parse(spec.to, in: definition.timeZone) else {
                report("'\(spec.to)' is not a date and time", at: path + ["to"])
                continue
            }
            guard to > from else {
                report("ends before it starts", at: path + ["to"])
                continue
            }
            periods.append(.init(from: from, to: to, reason: spec.reason))
        }
        return periods
    }

    private mutating func loadWorkCentres() {
        let specs = configuration.workCentres ?? []
        checkUnique(specs.map(\.id), section: "work_centres", kind: "work centre")
        for (index, spec) in specs.enumerated() {
            if let capacity = spec.capacity, capacity < 1 {
                report("capacity must be at least 1, not \(capacity)", at: ["work_centres", index, "capacity"])
            }
            if let calendar = spec.calendar, definition.calendars[calendar] == nil {
                report(
                    unknown("calendar", calendar, known: Array(definition.calendars.keys)),
                    at: ["work_centres", index, "calendar"])
            }
            definition.workCentres.append(
                WorkCentre(
                    id: spec.id, name: spec.name ?? spec.id, capacity: spec.capacity ?? 1, calendar: spec.calendar,
                    splitsAcrossBreaks: spec.splitsAcrossBreaks ?? false))
        }
    }

    private mutating func loadProducts() {
        let specs = configuration.products ?? []
        checkUnique(specs.map(\.id), section: "products", kind: "product")
        let workCentreIDs = definition.workCentres.map(\.id)
        for (index, spec) in specs.enumerated() {
            var operations: [RoutingOperation] = []
            let routing = spec.routing ?? []
            var seen: Set<String> = []
            for (operationIndex, operation) in routing.enumerated() {
                let path: [Any] = ["products", index, "routing", operationIndex]
                if !seen.insert(operation.id).inserted {
                    report("duplicate operation id '\(operation.id)'", at: path + ["id"])
                }
                if operation.workCentres.isEmpty {
                    report("an operation needs at least one work centre", at: path + ["work_centres"])
                }
                for workCentre in operation.workCentres where !workCentreIDs.contains(workCentre) {
                    report(unknown("work centre", workCentre, known: workCentreIDs), at: path + ["work_centres"])
                }
                let secondsPerUnit: Double
                switch (operation.secondsPerUnit, operation.unitsPerHour) {
                case (let seconds?, nil) where seconds >= 0: secondsPerUnit = seconds
                case (nil, let rate?) where rate > 0: secondsPerUnit = 3600 / rate
                case (nil, nil):
                    report("give seconds_per_unit or units_per_hour", at: path)
                    continue
                case (.some, .some):
                    report("give seconds_per_unit or units_per_hour, not both", at: path)
                    continue
                default:
                    report("the run rate must be positive", at: path)
                    continue
                }
                operations.append(
                    RoutingOperation(
                        id: operation.id, name: operation.name, workCentres: operation.workCentres,
                        setup: operation.setup ?? TimeSpan(seconds: 0), secondsPerUnit: secondsPerUnit,
                        after: operation.after, skill: operation.skill,
                        crew: crewNeeds(operation.crew ?? [], at: path + ["crew"])))
            }
            checkPrecedence(routing, product: index)
            let attributes = spec.attributes ?? [:]
            var life: TimeSpan?
            for key in ["shelf_life", "minimum_remaining_shelf_life"] {
                guard let values = attributes[key]?.values else { continue }
                guard values.count == 1, let span = TimeSpan(parsing: values[0]), span.seconds > 0 else {
                    report("\(key) is one duration, such as 5d", at: ["products", index, "attributes", key])
                    continue
                }
                if key == "shelf_life" {
                    life = span
                } else if let life, span >= life {
                    report(
                        "the minimum remaining shelf life \(span) must be shorter than the shelf life \(life)",
                        at: ["products", index, "attributes", key])
                }
            }
            if routing.isEmpty {
                warn(
                    "product \(spec.id) has no routing: orders for it cannot be planned; give it a routing "
                        + "(operations with work_centres and a rate)", at: ["products", index])
            }
            for (line, bom) in (spec.bom ?? []).enumerated() {
                if !(bom.quantity > 0 && bom.quantity.isFinite) {
                    report(
                        "a quantity above 0 per unit of \(spec.id)", at: ["products", index, "bom", line, "quantity"])
                }
                if let scrap = bom.scrap, !(scrap >= 0 && scrap < 1) {
                    report(
                        "a share from 0 up to 1, such as 0.02 for 2 %", at: ["products", index, "bom", line, "scrap"])
                }
            }
            definition.products[spec.id] = Product(
                id: spec.id, name: spec.name ?? spec.id,
                attributes: (spec.attributes ?? [:]).mapValues(\.values), routing: operations,
                bom: (spec.bom ?? []).map {
                    BOMLine(
                        component: $0.item, quantity: $0.quantity, scrap: $0.scrap ?? 0, alternates: $0.alternates ?? []
                    )
                })
        }
    }

    /// Every `after` names an operation of the same routing, and the graph has no cycle.
    private mutating func checkPrecedence(_ routing: [SiteConfiguration.OperationSpec], product: Int) {
        let ids = routing.map(\.id)
        var predecessors: [String: [String]] = [:]
        for (index, operation) in routing.enumerated() {
            let after = operation.after ?? (index == 0 ? [] : [routing[index - 1].id])
            for id in after where !ids.contains(id) {
                report(unknown("operation", id, known: ids), at: ["products", product, "routing", index, "after"])
            }
            predecessors[operation.id] = after.filter(ids.contains)
        }
        var state: [String: Int] = [:]  // 1 visiting, 2 done
        func visit(_ id: String) -> Bool {
            if state[id] == 2 { return true }
            if state[id] == 1 { return false }
            state[id] = 1
            for before in predecessors[id] ?? [] where !visit(before) { return false }
            state[id] = 2
            return true
        }
        for (index, id) in ids.enumerated() where !visit(id) {
            report(
                "the routing has a cycle through operation '\(id)'",
                at: ["products", product, "routing", index, "after"])
            return
        }
    }

    private mutating func loadStaff() {
        let specs = configuration.staff ?? []
        checkUnique(specs.map(\.id), section: "staff", kind: "staff")
        for spec in specs {
            var person = Staff(
                id: spec.id, name: spec.name, skills: spec.skills ?? [], certificates: spec.certificates ?? [],
                dateOfBirth: spec.dateOfBirth, workingTimeOptOut: spec.workingTimeOptOut)
            for (skill, level) in (spec.skillLevels ?? [:]).sorted(by: { $0.key < $1.key }) {
                person = person.setting(skill, to: level)
            }
            definition.staff[spec.id] = person
        }
    }

    /// `IE`, `GB-SCT`: two letters of a known region, optionally `-` and a subdivision code of one to three.
    static func isCountry(_ code: String) -> Bool {
        let parts = code.uppercased().split(separator: "-", omittingEmptySubsequences: false)
        guard (1...2).contains(parts.count), Locale.Region.isoRegions.contains(where: { $0.identifier == parts[0] })
        else { return false }
        return parts.count == 1
            || (1...3).contains(parts[1].count) && parts[1].allSatisfy { $0.isLetter || $0.isNumber }
    }

    func unknown(_ kind: String, _ id: String, known: [String]) -> String {
        let hint = known.isEmpty ? "none are defined" : "known: " + known.sorted().joined(separator: ", ")
        return "unknown \(kind) '\(id)' (\(hint))"
    }
}
