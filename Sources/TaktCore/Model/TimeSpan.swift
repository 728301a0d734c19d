/// A length of time in whole seconds, written in configuration as `90s`, `45m`, `4h`, `2d` or `1h30m`.
public struct TimeSpan: Hashable, Comparable, Sendable, Codable, CustomStringConvertible {
    /// The length in seconds.
    public var seconds: Int

    public init(seconds: Int) { self.seconds = seconds }
    public static func minutes(_ minutes: Int) -> TimeSpan { TimeSpan(seconds: minutes * 60) }
    public static func hours(_ hours: Int) -> TimeSpan { TimeSpan(seconds: hours * 3600) }
    public static func days(_ days: Int) -> TimeSpan { TimeSpan(seconds: days * 86_400) }

    /// The longest span Takt accepts: 100 years, far past any horizon or frequency, and far from overflow.
    public static let maximumSeconds = 100 * 366 * 86_400

    /// The length in minutes, rounded down.
    public var minutes: Int { seconds / 60 }

    /// Parses `90s`, `45m`, `4h`, `2d`, `1h30m`; a bare number is minutes. Returns nil for anything else.
    public init?(parsing text: String) {
        let trimmed = text.trimmingCharacters(in: .whitespaces)
        if let minutes = Int(trimmed), minutes >= 0 {
            guard minutes <= Self.maximumSeconds / 60 else { return nil }
            self.seconds = minutes * 60
            return
        }
        var total = 0
        var digits = ""
        for character in trimmed {
            if character.isNumber {
                digits.append(character)
                continue
            }
            guard let value = Int(digits) else { return nil }
            let unit: Int
            switch character {
            case "s": unit = 1
            case "m": unit = 60
            case "h": unit = 3600
            case "d": unit = 86_400
            case "w": unit = 604_800
            default: return nil
            }
            guard value <= Self.maximumSeconds / unit else { return nil }
            total += value * unit
            digits = ""
        }
        guard digits.isEmpty, !trimmed.isEmpty, total <= Self.maximumSeconds else { return nil }
        self.seconds = total
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        if let minutes = try? container.decode(Int.self) {
            self.seconds = minutes * 60
            return
        }
        let text = try container.decode(String.self)
        guard let span = TimeSpan(parsing: text) else {
            throw DecodingError.dataCorruptedError(
                in: container, debugDescription: "'\(text)' is not a duration; write it as 90s, 45m, 4h, 2d or 1h30m")
        }
        self = span
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(description)
    }

    public var description: String {
        if seconds == 0 { return "0m" }
        var rest = seconds
        var parts = ""
        for (unit, size) in [("d", 86_400), ("h", 3600), ("m", 60), ("s", 1)] where rest >= size {
            parts += "\(rest / size)\(unit)"
            rest %= size
        }
        return parts
    }

    /// The span as a person says it: its two largest units, the smaller rounded — "6 d 12 h" for
    /// 6d11h48m20s, "3 h 20 min", "2 h", "45 min", "30 s". English abbreviations, the same in every language.
    public var forPeople: String {
        let value = abs(seconds)
        let units: [(String, Int)] = [("d", 86_400), ("h", 3600), ("min", 60), ("s", 1)]
        guard let first = units.firstIndex(where: { value >= $0.1 }) else { return "0 s" }
        let (largest, size) = units[first]
        guard first + 1 < units.count else { return "\(value) s" }
        let (smaller, smallerSize) = units[first + 1]
        // Round to the smaller unit, which may carry into the larger one.
        let rounded = Int((Double(value) / Double(smallerSize)).rounded()) * smallerSize
        if first > 0, rounded >= units[first - 1].1 {
            return (seconds < 0 ? "-" : "") + TimeSpan(seconds: rounded).forPeople
        }
        let whole = rounded / size
        let rest = (rounded % size) / smallerSize
        return (seconds < 0 ? "-" : "") + "\(whole) \(largest)" + (rest > 0 ? " \(rest) \(smaller)" : "")
    }

    public static func < (lhs: TimeSpan, rhs: TimeSpan) -> Bool { lhs.seconds < rhs.seconds }
}
