import Foundation
import TaktCore

/// The words a Gantt chart shows, in one language: English by default; the site app passes its catalogue's.
///
/// Templates take `{0}`, `{1}` for their numbers, as the site app's catalogues do.
public struct GanttLabels: Hashable, Sendable {
    public var noOperations = "No operations scheduled"
    /// `{0}` operations outside the window drawn.
    public var outsideWindow = "{0} operation(s) outside this window not drawn"
    /// `{0}` operations beyond the `{1}` bars drawn.
    public var beyondBars = "{0} operation(s) beyond {1} bars not drawn"
    public var operation = "operation"
    public var changeover = "changeover"
    public var clean = "clean"
    public var maintenance = "maintenance"
    public var lateOrder = "late order"
    /// `{0}`: the time zone's identifier.
    public var timesIn = "times in {0}"
    /// `{0}`: the time of day.
    public var now = "now {0}"
    /// The language of the day names over the hour axis (`Mon 30 Nov`).
    public var locale = Locale(identifier: "en_GB")

    public init() {}

    /// English.
    public static let english = GanttLabels()

    /// `template` with `{0}`, `{1}` … replaced by `values`.
    static func fill(_ template: String, _ values: String...) -> String {
        var text = template
        for (index, value) in values.enumerated() { text = text.replacingOccurrences(of: "{\(index)}", with: value) }
        return text
    }

    func kind(_ kind: ScheduleRow.Kind) -> String {
        switch kind {
        case .operation: return operation
        case .changeover: return changeover
        case .clean: return clean
        case .maintenance: return maintenance
        }
    }
}

/// Which part of a schedule a Gantt chart draws: the next two days by default, so today's work is not squeezed
/// into slivers by one order weeks ahead; a week, or the whole schedule, on request.
public enum GanttWindow: String, CaseIterable, Sendable {
    case twoDays = "48h"
    case week = "7d"
    case all

    /// What is drawn around `now`: from two hours before it (what just ran) to the span's end; nil for the whole
    /// schedule.
    public func interval(now: Date) -> DateInterval? {
        let start = now.addingTimeInterval(-2 * 3600)
        switch self {
        case .twoDays: return DateInterval(start: start, duration: 48 * 3600)
        case .week: return DateInterval(start: start, duration: 7 * 86_400)
        case .all: return nil
        }
    }
}
