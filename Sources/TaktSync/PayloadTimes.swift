import Foundation

/// Finds times inside a record's JSON payload that central must not store: an ISO 8601 date-time (as the site
/// store writes them, `2026-11-25T10:00:00Z`) outside `Batch.plausible`, or one that only looks like a time.
/// A schedule from year 1 to 9999 or a finding dated in the year 30000 is refused at ingest, before any page or
/// roll-up has to draw or add it.
enum PayloadTimes {
    /// The first string in `json` that is an implausible date-time, or nil.
    static func firstImplausible(in json: Any, now: Date) -> String? {
        firstImplausible(in: json, now: now, nowYear: Calendar(identifier: .gregorian).component(.year, from: now))
    }

    private static func firstImplausible(in json: Any, now: Date, nowYear: Int) -> String? {
        switch json {
        case let text as String:
            return implausible(text, now: now, nowYear: nowYear) ? text : nil
        case let array as [Any]:
            for element in array {
                if let bad = firstImplausible(in: element, now: now, nowYear: nowYear) { return bad }
            }
            return nil
        case let object as [String: Any]:
            for value in object.values {
                if let bad = firstImplausible(in: value, now: now, nowYear: nowYear) { return bad }
            }
            return nil
        default:
            return nil
        }
    }

    /// Whether `text` is a date-time central must not store (`nowYear` is the year of `now`).
    static func implausible(_ text: String, now: Date, nowYear: Int) -> Bool {
        guard let year = year(ofTime: text) else { return false }
        // Whole years inside the window need no parsing; only the edges are parsed to the second.
        if year > 2000 && year <= nowYear { return false }
        guard year >= 2000, year <= nowYear + 2, let date = parse(text), Batch.plausible(date, now: now) else {
            return true
        }
        return false
    }

    /// The year of a string that looks like a date-time (`looksLikeTime`); -1 for a signed or huge year.
    static func year(ofTime text: String) -> Int? {
        guard looksLikeTime(text) else { return nil }
        let digits = text.utf8.prefix { $0 >= 48 && $0 <= 57 }
        guard !digits.isEmpty, digits.count <= 6, let year = Int(String(decoding: digits, as: UTF8.self)) else {
            return -1
        }
        return year
    }

    /// Digits (four or more, optionally signed), `-`, two digits, `-`, two digits, then `T`: a date-time.
    static func looksLikeTime(_ text: String) -> Bool {
        var bytes = Substring(text).utf8.drop(while: { $0 == UInt8(ascii: "+") || $0 == UInt8(ascii: "-") })
        let year = bytes.prefix(while: { $0 >= 48 && $0 <= 57 })
        guard year.count >= 4 else { return false }
        bytes = bytes.dropFirst(year.count)
        let rest = Array(bytes.prefix(7))
        guard rest.count == 7, rest[0] == UInt8(ascii: "-"), rest[3] == UInt8(ascii: "-"),
            rest[6] == UInt8(ascii: "T")
        else { return false }
        return [rest[1], rest[2], rest[4], rest[5]].allSatisfy { $0 >= 48 && $0 <= 57 }
    }

    static func parse(_ text: String) -> Date? {
        let plain = ISO8601DateFormatter()
        if let date = plain.date(from: text) { return date }
        let fractional = ISO8601DateFormatter()
        fractional.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
        return fractional.date(from: text)
    }
}
