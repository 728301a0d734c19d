import Foundation

/// A module's summary of its records for central: lines on the site's page and a KPI for the roll-ups.
///
/// Central stores every module record it receives without knowing the module. When the module is built into
/// central, central runs its projections over each site's latest records of `kind` and shows the lines; a
/// central without the module shows the records' count.
public struct RecordProjection: Sendable {
    /// One line on the site's page: a label, a value, and whether it needs a manager's attention.
    public struct Line: Hashable, Sendable, Codable {
        public var label: String
        public var value: String
        public var attention: Bool

        public init(label: String, value: String, attention: Bool = false) {
            self.label = label
            self.value = value
            self.attention = attention
        }
    }

    public let kind: RecordKindID
    /// A heading for the lines (`Moisture-sensitive reels`).
    public let title: String
    let project: @Sendable ([(version: Int, json: String)], Date) throws -> [Line]

    /// A projection of the latest state records of `kind`, decoded at its current version (older payloads are
    /// upgraded first).
    public init<V>(
        _ kind: RecordKind<V>, title: String, lines: @escaping @Sendable ([V], Date) -> [Line]
    ) {
        self.kind = kind.id
        self.title = title
        let erased = kind.erased
        self.project = { rows, now in
            let values = try rows.map { row throws(CoreError) -> V in
                try kind.decode(try erased.upgrade(row.json, from: row.version), key: "")
            }
            return lines(values, now)
        }
    }

    /// The lines for one site's latest records (each with the schema version it was written at) at `now`.
    public func lines(for rows: [(version: Int, json: String)], now: Date) throws -> [Line] { try project(rows, now) }
}
