import Foundation

/// What the site's people can cover: the skills each work centre needs, the certificates people need, and the
/// single points of failure — a skill that only one person (or nobody) rostered on a shift can do at a work centre.
public enum PeopleAnalysis {
    /// A skill on a shift at a work centre that one person or nobody covers.
    public struct SinglePoint: Hashable, Sendable, Codable {
        public var workCentre: String
        public var skill: String
        /// The shift as people call it: a calendar shift's name, or its local hours (`06:00–14:00`).
        public var shift: String
        /// The qualified people rostered on it in the period (zero or one).
        public var people: [String]

        public init(workCentre: String, skill: String, shift: String, people: [String]) {
            self.workCentre = workCentre
            self.skill = skill
            self.shift = shift
            self.people = people
        }
    }

    /// A certificate someone needs for the work their skills are used for, and the rule that asks for it.
    public struct CertificateNeed: Hashable, Sendable, Codable {
        public var staff: String
        public var certificate: String
        public var months: Int?
        public var rule: RuleID
        public var workCentres: [String]
    }

    /// The skills each work centre needs: its operations' crews and skills, and its eligibility rules' skills.
    public static func neededSkills(_ site: SiteDefinition) -> [String: Set<String>] {
        var needed: [String: Set<String>] = [:]
        for product in site.products.values {
            for operation in product.routing {
                let skills = operation.crew.map(\.skill) + (operation.skill.map { [$0] } ?? [])
                for centre in operation.workCentres where !skills.isEmpty {
                    needed[centre, default: []].formUnion(skills)
                }
            }
        }
        for rule in site.rules.scheduling.eligibility {
            guard let skill = rule.skill else { continue }
            for centre in rule.workCentres { needed[centre, default: []].insert(skill) }
        }
        return needed
    }

    /// Who needs which certificate: an eligibility rule with a certificate binds everyone who has its skill, or
    /// — for a rule without a skill — everyone who has a skill one of its work centres needs.
    public static func certificateNeeds(_ site: SiteDefinition, people: [String: Staff]) -> [CertificateNeed] {
        let needed = neededSkills(site)
        var needs: [CertificateNeed] = []
        for rule in site.rules.scheduling.eligibility {
            guard let certificate = rule.certificate else { continue }
            let skills =
                rule.skill.map { Set([$0]) }
                ?? rule.workCentres.reduce(into: Set<String>()) {
                    $0.formUnion(needed[$1] ?? [])
                }
            for person in people.values.sorted(by: { $0.id < $1.id }) where !skills.isDisjoint(with: person.skills) {
                needs.append(
                    CertificateNeed(
                        staff: person.id, certificate: certificate, months: rule.certificateMonths, rule: rule.id,
                        workCentres: rule.workCentres))
            }
        }
        return needs
    }

    /// The name of the shift `entry` works: the calendar shift of the site that starts at the same local time,
    /// or its local hours.
    public static func shiftName(of entry: ShiftAssignment, site: SiteDefinition) -> String {
        let start = LocalTime(entry.start, in: site.timeZone)
        let end = LocalTime(entry.end, in: site.timeZone)
        let calendars =
            entry.workCentre.flatMap { id in site.workCentres.first { $0.id == id }?.calendar }
            .flatMap { site.calendars[$0] }.map { [$0] } ?? site.calendars.values.sorted { $0.id < $1.id }
        for calendar in calendars {
            if let shift = calendar.shifts.first(where: { $0.start == start }), let name = shift.name {
                return name
            }
        }
        return "\(start)–\(end)"
    }

    /// Single points of failure over `roster` (the next days' entries): for each work centre, each skill it needs
    /// and each shift someone who could work there is rostered on, the qualified people on that shift — reported
    /// when they are one or none. Judged on `day` (certificates valid then).
    public static func singlePoints(
        _ site: SiteDefinition, people: [String: Staff], roster: [ShiftAssignment], on day: LocalDate,
        excluding absent: Set<String> = []
    ) -> [SinglePoint] {
        var points: [SinglePoint] = []
        let needed = neededSkills(site)
        guard let first = roster.map(\.start).min(), let last = roster.map(\.end).max(), last > first else { return [] }
        let span = DateInterval(start: first, end: last)
        for centre in site.workCentres {
            guard let skills = needed[centre.id], !skills.isEmpty else { continue }
            let rules = site.rules.scheduling.eligibility.filter { $0.workCentres.contains(centre.id) }
            // Only shifts the work centre works: a line on days only has no single point on nights. Its open time
            // over the whole roster, worked out once.
            let open = centre.calendar.flatMap { site.calendars[$0] }.map { calendar in
                calendar.availability(in: span, timeZone: site.timeZone)
            }
            var byShift: [String: Set<String>] = [:]
            for entry in roster where entry.workCentre == nil || entry.workCentre == centre.id {
                guard !absent.contains(entry.staff) else { continue }
                if let open, !open.contains(where: { $0.start < entry.end && entry.start < $0.end }) { continue }
                byShift[shiftName(of: entry, site: site), default: []].insert(entry.staff)
            }
            for (shift, staff) in byShift.sorted(by: { $0.key < $1.key }) {
                for skill in skills.sorted() {
                    let able = staff.sorted().filter { id in
                        guard let person = people[id] else { return false }
                        return person.skills.contains(skill) && rules.allSatisfy { $0.admits(person, on: day) }
                    }
                    if able.count <= 1 {
                        points.append(SinglePoint(workCentre: centre.id, skill: skill, shift: shift, people: able))
                    }
                }
            }
        }
        return points
    }
}
