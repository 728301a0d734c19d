import Foundation

/// Sets how often a check is due from when it was last recorded (an extension's frequency slot: hourly on
/// weekdays, not at all on Sundays).
///
/// ## Implementation requirements
///
/// Pure and fast: asked for every check it names, at every place, whenever checks due are listed.
public protocol CheckFrequencyRule: Sendable {
    var id: RuleID { get }
    /// The checks it sets the frequency of.
    var checks: Set<RuleID> { get }
    /// When the check is due after `last` (a reading, or the start of the records); nil when the rule has no say
    /// then, and the check's own `every` applies.
    func interval(of check: RuleID, after last: Date) -> CheckInterval?
}

/// What a frequency rule says of a check after a reading.
public enum CheckInterval: Hashable, Sendable {
    /// Due again this long after it.
    case after(TimeSpan)
    /// Not due again until the next reading (a Sunday off).
    case notDue
}
