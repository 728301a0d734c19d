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

    public init(id: String, name: String, skills: [String] = [], certificates: [Certificate] = []) {
        self.id = id
        self.name = name
        self.skills = skills
        self.certificates = certificates
    }

    /// Whether the person holds a certificate of `kind` valid on `date`.
    public func holdsValidCertificate(_ kind: String, on date: LocalDate) -> Bool {
        certificates.contains { $0.kind == kind && $0.isValid(on: date) }
    }
}
