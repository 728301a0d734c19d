import Foundation
import TaktCore

/// The frequency slot filled by an extension: how long after a reading each check it names is due again, by the
/// reading's local time and weekday (hourly on weekdays, every four hours at weekends, not on Sundays). A call that
/// fails leaves the check's own `every`.
public struct ExtensionFrequencyRule: CheckFrequencyRule {
    public let id: RuleID
    public let runtime: ExtensionRuntime
    public let timeZone: TimeZone
    public let checks: Set<RuleID>

    public init(runtime: ExtensionRuntime, timeZone: TimeZone) throws(CoreError) {
        id = try RuleID(
            validating: "site.extension."
                + runtime.manifest.id.lowercased().replacingOccurrences(of: "-", with: "_") + ".frequency")
        self.runtime = runtime
        self.timeZone = timeZone
        var checks: Set<RuleID> = []
        for check in runtime.manifest.checks { checks.insert(try RuleID(validating: check)) }
        self.checks = checks
    }

    public func interval(of check: RuleID, after last: Date) -> CheckInterval? {
        guard let index = runtime.manifest.checks.firstIndex(of: check.rawValue) else { return nil }
        let minute = LocalTime(last, in: timeZone).minutesOfDay
        let weekday = Weekday.allCases.firstIndex(of: Weekday(LocalDate(last, in: timeZone), in: timeZone)) ?? 0
        do {
            return try runtime.frequency(check: index, minute: minute, weekday: weekday).map { .after(.minutes($0)) }
                ?? .notDue
        } catch {
            return nil
        }
    }
}
