/// A person at the site, with the skills and certificates that rules ask for.
public struct Staff: Hashable, Sendable, Codable {
    /// A certificate (food hygiene level 2, IPC-A-610, forklift) and the local date it expires on.
    public struct Certificate: Hashable, Sendable, Codable {
        public var kind: String
        /// The last day it is valid; nil means it does not expire.
        public var expires: LocalDate?

        public init(kind: String, expires: LocalDate? = nil) {
            self.kind = kind
            self.expires = expires
        }

        /// Whether it is valid on `date` (valid through its expiry date).
        public func isValid(on date: LocalDate) -> Bool { expires.map { date <= $0 } ?? true }
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

    /// Whether the person holds a certificate of `kind` valid on `date`.
    public func holdsValidCertificate(_ kind: String, on date: LocalDate) -> Bool {
        certificates.contains { $0.kind == kind && $0.isValid(on: date) }
    }
}
