/// How serious a finding or incident is, from a note to a stop-the-line breach.
public enum Severity: String, Hashable, Comparable, Sendable, Codable, CaseIterable {
    case info
    case minor
    case major
    case critical

    public static func < (lhs: Severity, rhs: Severity) -> Bool {
        allCases.firstIndex(of: lhs)! < allCases.firstIndex(of: rhs)!
    }
}
