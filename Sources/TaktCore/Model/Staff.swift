/// A person at the site, with the skills and certificates that rules ask for.
public struct Staff: Hashable, Sendable, Codable {
    /// A certificate (food hygiene level 2, IPC-A-610, forklift) and the local date it expires on.
    public struct Certificate: Hashable, Sendable, Codable {
        public var kind: String
        /// The last day it is valid; nil means it does not expire.
        public var expires: LocalDate?
        /// The day it was issued, for certificates valid for a set time from issue (IPC-A-610: 24 months).
        public var issued: LocalDate?

        public init(kind: String, expires: LocalDate? = nil, issued: LocalDate? = nil) {
            self.kind = kind
            self.expires = expires
            self.issued = issued
        }

        /// Whether it is valid on `date` (valid through its expiry date).
        public func isValid(on date: LocalDate) -> Bool { expires.map { date <= $0 } ?? true }

        /// Whether it is valid on `date` for a rule that accepts it for `months` from issue: through its expiry
        /// date, and before the same day `months` after its issue. One with neither an issue nor an expiry date
        /// cannot show it is current and is not valid.
        public func isValid(on date: LocalDate, forMonths months: Int) -> Bool {
            guard isValid(on: date) else { return false }
            guard let issued else { return expires != nil }
            return date <= issued.lastDay(ofMonths: months)
        }
    }

    public var id: String
    public var name: String
    public var skills: [String]
    public var certificates: [Certificate]
    /// The local date of birth, when the site records it: working-time law protects workers under 18 more.
    public var dateOfBirth: LocalDate?
    /// The day the person signed an agreement to work more than the 48-hour average (UK Working Time Regulations
    /// 1998, reg. 5); the average is not applied to their shifts from that day. Nil: no such agreement.
    public var workingTimeOptOut: LocalDate?
    /// The skills matrix row: each skill's level. A skill in `skills` without a level here counts as competent;
    /// `skills` holds exactly the skills at `competent` or above, which the rules and the planner count.
    public var levels: [String: SkillLevel] = [:]

    /// The level at `skill`: as assessed, competent for a listed skill, nil when the person does not have it.
    public func level(of skill: String) -> SkillLevel? {
        levels[skill] ?? (skills.contains(skill) ? .competent : nil)
    }

    /// The person with `skill` set to `level`, keeping `skills` to the qualified ones.
    public func setting(_ skill: String, to level: SkillLevel) -> Staff {
        var copy = self
        copy.levels[skill] = level
        copy.skills.removeAll { $0 == skill }
        if level.isQualified { copy.skills.append(skill) }
        copy.skills.sort()
        return copy
    }

    public init(
        id: String, name: String, skills: [String] = [], certificates: [Certificate] = [],
        dateOfBirth: LocalDate? = nil, workingTimeOptOut: LocalDate? = nil
    ) {
        self.id = id
        self.name = name
        self.skills = skills
        self.certificates = certificates
        self.dateOfBirth = dateOfBirth
        self.workingTimeOptOut = workingTimeOptOut
    }

    /// Whether the person is under 18 on `day` (unknown without a date of birth: not).
    public func isYoung(on day: LocalDate) -> Bool {
        guard let born = dateOfBirth else { return false }
        // Dates compare as (year, month, day): someone born on 29 February turns 18 on 1 March of a common year.
        return day < LocalDate(year: born.year + 18, month: born.month, day: born.day)
    }

    /// How long a person's certificates of one kind keep them covered.
    public enum Validity: Hashable, Sendable {
        /// They hold none that counts.
        case none
        /// One that does not expire.
        case unlimited
        /// Valid through this local day (the latest of their certificates of the kind).
        case through(LocalDate)
    }

    /// Until when the person holds a valid `kind` certificate — through its expiry, and before the same day
    /// `months` after its issue when given (as `holdsValidCertificate`). A certificate with neither date cannot show
    /// it is current for a rule that counts months.
    public func validity(of kind: String, forMonths months: Int? = nil) -> Validity {
        var best: LocalDate?
        for certificate in certificates where certificate.kind == kind {
            var last = certificate.expires
            if let months {
                guard let issued = certificate.issued else {
                    if last == nil { continue }
                    best = max(best ?? last!, last!)
                    continue
                }
                let byIssue = issued.lastDay(ofMonths: months)
                last = min(last ?? byIssue, byIssue)
            }
            guard let last else { return .unlimited }
            best = max(best ?? last, last)
        }
        return best.map { .through($0) } ?? .none
    }

    /// Whether the person holds a certificate of `kind` valid on `date` (for `months` from its issue, when given).
    public func holdsValidCertificate(_ kind: String, on date: LocalDate, forMonths months: Int? = nil) -> Bool {
        certificates.contains { certificate in
            guard certificate.kind == kind else { return false }
            guard let months else { return certificate.isValid(on: date) }
            return certificate.isValid(on: date, forMonths: months)
        }
    }

    enum CodingKeys: String, CodingKey {
        case id, name, skills, certificates, dateOfBirth, workingTimeOptOut, levels
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        id = try container.decode(String.self, forKey: .id)
        name = try container.decode(String.self, forKey: .name)
        skills = try container.decodeIfPresent([String].self, forKey: .skills) ?? []
        certificates = try container.decodeIfPresent([Certificate].self, forKey: .certificates) ?? []
        dateOfBirth = try container.decodeIfPresent(LocalDate.self, forKey: .dateOfBirth)
        workingTimeOptOut = try container.decodeIfPresent(LocalDate.self, forKey: .workingTimeOptOut)
        // Written before the skills matrix: every listed skill is competent.
        levels = try container.decodeIfPresent([String: SkillLevel].self, forKey: .levels) ?? [:]
    }
}
