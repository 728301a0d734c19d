import Foundation
import TaktCore

/// The check slot filled by an extension: it judges readings of the checks its manifest names, and its findings
/// use the same vocabulary as built-in rules (severity, message per language, corrective action, hold the lot,
/// block the work centre). When a call fails — out of fuel, out of memory, a trap — the reading is still recorded
/// and the failure becomes a finding about the extension, with its id and version.
public struct ExtensionCheckRule: EventRule {
    public let id: RuleID
    public let runtime: ExtensionRuntime
    public let timeZone: TimeZone

    public init(runtime: ExtensionRuntime, timeZone: TimeZone) throws(CoreError) {
        id = try RuleID(
            validating: "site.extension." + runtime.manifest.id.lowercased().replacingOccurrences(of: "-", with: "_"))
        self.runtime = runtime
        self.timeZone = timeZone
    }

    public var summary: String {
        "extension \(runtime.manifest.id) \(runtime.manifest.version) judges "
            + runtime.manifest.checks.joined(separator: ", ")
    }

    public func evaluate(_ event: SiteEvent, in context: RuleContext) -> [Finding] {
        guard case .reading(let reading) = event,
            let check = runtime.manifest.checks.firstIndex(of: reading.check.rawValue)
        else { return [] }
        let local = LocalTime(reading.at, in: timeZone)
        let weekday = Weekday.allCases.firstIndex(of: Weekday(LocalDate(reading.at, in: timeZone), in: timeZone)) ?? 0
        do {
            return try runtime.judge(
                check: check, value: reading.value, at: reading.at, minute: local.minutesOfDay, weekday: weekday,
                event: Self.event(of: reading, in: context)
            ).map { finding(from: $0, reading: reading) }
        } catch {
            return [failure(error, reading: reading)]
        }
    }

    /// What the host functions answer while a reading is judged: its lot, who recorded it, its work centre, the
    /// lot's product and when the lot was made, and the earlier readings of the check before it — of the same lot,
    /// or of the same work centre for a reading that names no lot (a swab of a line).
    static func event(of reading: CheckReading, in context: RuleContext) -> ExtensionEvent {
        ExtensionEvent(
            lot: reading.lot, person: reading.recordedBy, workCentre: reading.workCentre, product: context.lot?.product,
            lotMadeAt: context.lot?.producedAt,
            history: context.history.filter {
                $0.at <= reading.at
                    && (reading.lot != nil || reading.workCentre == nil || $0.workCentre == reading.workCentre)
            }.map { .init(value: $0.value, at: $0.at) })
    }

    /// The finding an extension's result stands for, in every language its manifest gives.
    func finding(from result: ExtensionRuntime.Result, reading: CheckReading) -> Finding {
        let message = runtime.manifest.messages[result.message]
        func filled(_ text: String) -> String {
            var out = text
            for (index, value) in result.arguments.enumerated() {
                out = out.replacingOccurrences(of: "{\(index)}", with: CriticalLimits.format(value))
            }
            return out
        }
        var actions: [FindingAction] = []
        if let action = message.action { actions.append(FindingAction(.correctiveAction, filled(action))) }
        if result.holdLot, let lot = reading.lot { actions.append(FindingAction(.holdLot, lot)) }
        if result.blockWorkCentre, let centre = reading.workCentre {
            actions.append(FindingAction(.blockWorkCentre, centre))
        }
        let subject: Finding.Subject =
            reading.lot.map { .init(.lot, $0) } ?? reading.workCentre.map { .init(.workCentre, $0) }
            ?? .init(.check, reading.check.rawValue)
        var texts: [SiteLocale: (message: String, correctiveAction: String?)] = [:]
        if let es = message.es { texts[.spanish] = (filled(es), message.actionEs.map(filled)) }
        if let ms = message.ms { texts[.malay] = (filled(ms), message.actionMs.map(filled)) }
        return Finding(
            rule: id, severity: result.severity, subject: subject, message: filled(message.en), actions: actions,
            raisedAt: reading.at
        ).translated(texts)
    }

    /// A failed call as a finding about the extension: the reading stands, its judgement is missing.
    func failure(_ error: ExtensionError, reading: CheckReading) -> Finding {
        Finding(
            rule: id, severity: .major, subject: .init(.check, reading.check.rawValue),
            message: "\(error) while judging a reading of \(reading.check) (version \(runtime.manifest.version)); "
                + "the reading is recorded without the extension's judgement",
            actions: [
                FindingAction(
                    .correctiveAction,
                    "Judge the reading by hand, and have the extension fixed or rolled back to its last good version")
            ], raisedAt: reading.at,
            key: "extension-failed:\(runtime.manifest.id):\(runtime.manifest.version):\(Instant.iso(reading.at))")
    }
}
