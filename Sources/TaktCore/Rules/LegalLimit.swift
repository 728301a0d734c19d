/// One number the law sets, as data: what it limits, how a value compares with it, its unit, where it applies,
/// from when until when, and the text that says so.
///
/// Modules keep their legal limits as a table of these (Swift data, so it is type-checked), read by their rules,
/// by `takt site show` and by their README (a test checks the README's table against it). Laws change: a rule
/// asks for the limit in force on the event's own local date, so a shift next year is judged by next year's law.
public struct LegalLimit: Hashable, Sendable, Codable {
    /// How a value must compare with the limit to be lawful.
    public enum Comparison: String, Hashable, Sendable, Codable {
        case atMost = "at_most"
        case atLeast = "at_least"

        /// For people: `≤`, `≥`.
        public var symbol: String { self == .atMost ? "≤" : "≥" }
    }

    /// The number's stable id, the same across jurisdictions and dates (`food_processing.chill.max`).
    public var id: String
    /// What is limited, for people ("Chilled storage temperature").
    public var subject: String
    public var comparison: Comparison
    public var value: Double
    /// `°C`, `h`, `h/week`, `Ω`.
    public var unit: String
    /// Where it applies: an ISO 3166 code (`GB-ENG`, `MX`), `EU`, or another name the module documents.
    public var jurisdiction: String
    /// The first day it is in force (a site-local date).
    public var from: LocalDate
    /// The first day it is no longer in force; nil while it is.
    public var until: LocalDate?
    /// The law, article and paragraph.
    public var citation: String

    public init(
        id: String, subject: String, _ comparison: Comparison, _ value: Double, unit: String, jurisdiction: String,
        from: LocalDate = LocalDate(year: 1900, month: 1, day: 1), until: LocalDate? = nil, citation: String
    ) {
        self.id = id
        self.subject = subject
        self.comparison = comparison
        self.value = value
        self.unit = unit
        self.jurisdiction = jurisdiction
        self.from = from
        self.until = until
        self.citation = citation
    }

    /// Whether it is in force on `day`.
    public func inForce(on day: LocalDate) -> Bool { from <= day && (until.map { day < $0 } ?? true) }

    /// Whether `value` is lawful under this limit (a value exactly at the limit is).
    public func allows(_ value: Double) -> Bool {
        comparison == .atMost ? value <= self.value : value >= self.value
    }

    /// `≤ 8 °C`.
    public var bound: String { "\(comparison.symbol) \(CriticalLimits.format(value)) \(unit)" }

    /// When it is in force, for people: `since 2027-01-01`, `2026-01-01 to 2026-12-31`, or `in force` when it has
    /// always been.
    public var period: String {
        let start = from.year <= 1900 ? nil : from.description
        switch (start, until) {
        case (nil, nil): return "in force"
        case (let start?, nil): return "since \(start)"
        case (nil, let end?): return "until \(end.adding(days: -1))"
        case (let start?, let end?): return "\(start) to \(end.adding(days: -1))"
        }
    }
}

/// A module's legal limits: every jurisdiction and every period it knows.
public struct LegalLimitTable: Hashable, Sendable {
    public var rows: [LegalLimit]

    public init(_ rows: [LegalLimit]) { self.rows = rows }

    /// The limit `id` in force in `jurisdiction` on `day`, or nil when the law there sets none then.
    public func limit(_ id: String, in jurisdiction: String, on day: LocalDate) -> LegalLimit? {
        rows.first { $0.id == id && $0.jurisdiction == jurisdiction && $0.inForce(on: day) }
    }

    /// Every row of `jurisdictions`, oldest first within each number.
    public func rows(in jurisdictions: Set<String>) -> [LegalLimit] {
        rows.filter { jurisdictions.contains($0.jurisdiction) }
    }

    /// The table as Markdown, for a module's README: one row per number, jurisdiction and period.
    public var markdown: String {
        var lines = [
            "| number | limit | jurisdiction | in force | citation |", "| --- | --- | --- | --- | --- |",
        ]
        for row in rows {
            lines.append(
                "| \(row.subject) (`\(row.id)`) | \(row.bound) | \(row.jurisdiction) | \(row.period) | \(row.citation) |"
            )
        }
        return lines.joined(separator: "\n") + "\n"
    }
}
