import Foundation

/// Finds times inside a record's JSON payload that central must not store: an ISO 8601 date-time (as the site
/// store writes them, `2026-11-25T10:00:00Z`) outside `Batch.plausible`, or one that only looks like a time.
/// A schedule from year 1 to 9999 or a finding dated in the year 30000 is refused at ingest, before any page or
/// roll-up has to draw or add it.
enum PayloadTimes {
    /// The first string in `json` that is an implausible date-time, or nil.
    static func firstImplausible(in json: Any, now: Date) -> String? {
        switch json {
        case let text as String:
            guard looksLikeTime(text) else { return nil }
            guard let date = parse(text), Batch.plausible(date, now: now) else { return text }
            return nil
        case let array as [Any]:
            for element in array { if let bad = firstImplausible(in: element, now: now) { return bad } }
            return nil
        case let object as [String: Any]:
            for value in object.values { if let bad = firstImplausible(in: value, now: now) { return bad } }
            return nil
        default:
            return nil
        }
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
