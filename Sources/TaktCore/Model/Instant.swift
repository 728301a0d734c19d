import Foundation

/// Reads and writes instants the way people at a site type them.
public enum Instant {
    /// Parses `2026-11-25T14:30:00Z`, `2026-11-25T14:30+01:00`, a site-local `2026-11-25T14:30` or
    /// `2026-11-25 14:30`, or a bare date `2026-11-25` (its local midnight). Returns nil for anything else.
    public static func parse(_ text: String, in timeZone: TimeZone) -> Date? {
        var trimmed = text.trimmingCharacters(in: .whitespaces).replacingOccurrences(of: " ", with: "T")
        // `2026-11-25T14:30+01:00` and `…T14:30Z`: the ISO parser wants seconds.
        let minutesEnd = trimmed.index(trimmed.startIndex, offsetBy: 16, limitedBy: trimmed.endIndex)
        if let minutesEnd, minutesEnd < trimmed.endIndex, "Z+-".contains(trimmed[minutesEnd]) {
            trimmed.insert(contentsOf: ":00", at: minutesEnd)
        }
        if let date = LocalDate(parsing: trimmed) { return date.instant(in: timeZone) }
        let zoned = ISO8601DateFormatter()
        zoned.formatOptions = [.withInternetDateTime]
        if let date = zoned.date(from: trimmed) { return date }
        zoned.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
        if let date = zoned.date(from: trimmed) { return date }
        // Site-local wall-clock time without a zone.
        let parts = trimmed.split(separator: "T", maxSplits: 1)
        guard parts.count == 2, let day = LocalDate(parsing: String(parts[0])) else { return nil }
        let clock = parts[1].split(separator: ":")
        guard clock.count == 2 || clock.count == 3, let time = LocalTime(parsing: "\(clock[0]):\(clock[1])")
        else { return nil }
        var seconds = 0
        if clock.count == 3 {
            guard let value = Int(clock[2]), (0..<60).contains(value) else { return nil }
            seconds = value
        }
        return day.instant(at: time, in: timeZone).addingTimeInterval(TimeInterval(seconds))
    }

    /// Parses a deadline: a use-by date, a due date, an expiry. A bare date means *through the end of that local
    /// day* (the next local midnight), as "use by 1 Dec" means the lot may be used all of 1 December (EU
    /// 1169/2011, Annex X); a date with a time means that instant.
    public static func parseDeadline(_ text: String, in timeZone: TimeZone) -> Date? {
        if let day = LocalDate(parsing: text.trimmingCharacters(in: .whitespaces)) {
            return day.next(in: timeZone).instant(in: timeZone)
        }
        return parse(text, in: timeZone)
    }

    /// A deadline as people say it: `by end of 26 Nov 2026` when it falls at local midnight (the end of the
    /// day before), otherwise `by 2026-11-26 14:00 GMT`.
    public static func formatDeadline(_ date: Date, in timeZone: TimeZone) -> String {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = timeZone
        let parts = calendar.dateComponents([.hour, .minute, .second], from: date)
        guard parts.hour == 0, parts.minute == 0, parts.second == 0 else { return "by \(format(date, in: timeZone))" }
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_GB")
        formatter.timeZone = timeZone
        formatter.dateFormat = "d MMM yyyy"
        return "by end of \(formatter.string(from: date.addingTimeInterval(-1)))"
    }

    /// ISO 8601 in `timeZone` with its offset, `2026-11-25T14:30:00+01:00` (`Z` in UTC), for files.
    public static func isoLocal(_ date: Date, in timeZone: TimeZone) -> String {
        let formatter = ISO8601DateFormatter()
        formatter.timeZone = timeZone
        formatter.formatOptions = [.withInternetDateTime]
        return formatter.string(from: date)
    }

    /// `2026-11-25 14:30 GMT` style text in `timeZone`, naming the zone.
    public static func format(_ date: Date, in timeZone: TimeZone) -> String {
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_GB")
        formatter.timeZone = timeZone
        formatter.dateFormat = "yyyy-MM-dd HH:mm zzz"
        return formatter.string(from: date)
    }

    /// A time of day as people near it read it: `14:30` on the same local day as `now`, otherwise
    /// `2026-11-25 14:30`, in `timeZone` (which the reader already knows, so it is not named).
    public static func formatNear(_ date: Date, in timeZone: TimeZone, now: Date) -> String {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = timeZone
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_GB")
        formatter.timeZone = timeZone
        formatter.dateFormat = calendar.isDate(date, inSameDayAs: now) ? "HH:mm" : "yyyy-MM-dd HH:mm"
        return formatter.string(from: date)
    }

    /// ISO 8601 in UTC, for JSON.
    public static func iso(_ date: Date) -> String {
        let formatter = ISO8601DateFormatter()
        formatter.formatOptions = [.withInternetDateTime]
        return formatter.string(from: date)
    }
}
