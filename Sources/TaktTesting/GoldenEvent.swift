import Foundation
import TaktCore
import TaktHost

/// One line of a golden case's `events.yaml`: a map with one key naming the kind of event.
enum GoldenEvent: Decodable {
    struct LotSpec: Decodable {
        var id: String
        var product: String
        var quantity: Double?
        var at: String
        var expires: String?
    }
    struct ReadingSpec: Decodable {
        var check: String
        var value: Double
        var lot: String?
        var workCentre: String?
        var by: String?
        var held: String?
        var instrument: String?
        var at: String

        enum CodingKeys: String, CodingKey {
            case check, value, lot, by, held, at, instrument
            case workCentre = "work_centre"
        }
    }
    /// `receive: {lot: F-1, item: flour, quantity: 500, supplier: millers, supplier_lot: ML-7, temperature: 4, at: …}`.
    struct ReceiveSpec: Decodable {
        var lot: String
        var item: String
        var quantity: Double
        var supplier: String
        var supplierLot: String
        var temperature: Double?
        var by: String?
        var at: String

        enum CodingKeys: String, CodingKey {
            case lot, item, quantity, supplier, temperature, by, at
            case supplierLot = "supplier_lot"
        }
    }
    /// `consume: {from: F-1, into: D-1, quantity: 50, at: …}`, `ship: {lot: L-1, customer: Tesco, quantity: 10, at: …}`.
    struct MoveSpec: Decodable {
        var from: String?
        var into: String?
        var lot: String?
        var customer: String?
        var quantity: Double
        var at: String
    }
    /// `recall: {supplier_lot: ML-7, hold_by: amara, at: …}`.
    struct RecallSpec: Decodable {
        var supplierLot: String
        var holdBy: String?
        var at: String

        enum CodingKeys: String, CodingKey {
            case at
            case supplierLot = "supplier_lot"
            case holdBy = "hold_by"
        }
    }
    /// `calibrate: {instrument: probe-1, points: {0: 0.4, 100: 99.6}, by: amara, at: …}`.
    struct CalibrateSpec: Decodable {
        var instrument: String
        var points: [String: Double]
        var by: String?
        var at: String
    }
    struct AssignSpec: Decodable {
        var staff: String
        var start: String
        var end: String
        var pause: String?

        enum CodingKeys: String, CodingKey {
            case staff, start, end
            case pause = "break"
        }
    }
    struct IssueSpec: Decodable {
        var lot: String
        var at: String
    }
    struct CloseSpec: Decodable {
        var finding: Int64
        var by: String
        var resolution: String
    }
    struct DecideSpec: Decodable {
        var lot: String
        var by: String
    }
    struct ClearanceSpec: Decodable {
        var staff: String
        var workCentre: String
        var at: String

        enum CodingKeys: String, CodingKey {
            case staff, at
            case workCentre = "work_centre"
        }
    }

    case lot(LotSpec)
    case reading(ReadingSpec)
    case sweep(String)
    /// An event a module's test gives a ``GoldenVerb`` for (`reel: {id: R3, …}`), with its fields.
    case module(verb: String, fields: [String: String])
    case assign(AssignSpec)
    case issue(IssueSpec)
    case close(CloseSpec)
    case release(DecideSpec)
    case clearance(ClearanceSpec)
    case calibrate(CalibrateSpec)
    case receive(ReceiveSpec)
    case consume(MoveSpec)
    case ship(MoveSpec)
    case recall(RecallSpec)

    enum Key: String, CodingKey {
        case lot, reading, sweep, assign, issue, close, release, clearance, calibrate, receive, consume, ship, recall
    }

    struct AnyKey: CodingKey {
        var stringValue: String
        var intValue: Int? { nil }
        init(stringValue: String) { self.stringValue = stringValue }
        init?(intValue: Int) { nil }
    }

    init(from decoder: any Decoder) throws {
        let any = try decoder.container(keyedBy: AnyKey.self)
        guard let first = any.allKeys.first, any.allKeys.count == 1 else {
            throw DecodingError.dataCorrupted(
                .init(codingPath: decoder.codingPath, debugDescription: "one event per line"))
        }
        let container = try decoder.container(keyedBy: Key.self)
        guard let key = Key(rawValue: first.stringValue) else {
            self = .module(verb: first.stringValue, fields: try any.decode([String: String].self, forKey: first))
            return
        }
        switch key {
        case .lot: self = .lot(try container.decode(LotSpec.self, forKey: key))
        case .reading: self = .reading(try container.decode(ReadingSpec.self, forKey: key))
        case .sweep: self = .sweep(try container.decode(String.self, forKey: key))
        case .assign: self = .assign(try container.decode(AssignSpec.self, forKey: key))
        case .issue: self = .issue(try container.decode(IssueSpec.self, forKey: key))
        case .close: self = .close(try container.decode(CloseSpec.self, forKey: key))
        case .release: self = .release(try container.decode(DecideSpec.self, forKey: key))
        case .clearance: self = .clearance(try container.decode(ClearanceSpec.self, forKey: key))
        case .calibrate: self = .calibrate(try container.decode(CalibrateSpec.self, forKey: key))
        case .receive: self = .receive(try container.decode(ReceiveSpec.self, forKey: key))
        case .consume: self = .consume(try container.decode(MoveSpec.self, forKey: key))
        case .ship: self = .ship(try container.decode(MoveSpec.self, forKey: key))
        case .recall: self = .recall(try container.decode(RecallSpec.self, forKey: key))
        }
    }

    func label(_ verbs: [String: GoldenVerb]) -> String {
        switch self {
        case .module(let verb, let fields):
            return verbs[verb]?.label(fields) ?? "\(verb) "
                + fields.sorted { $0.key < $1.key }.map { "\($0)=\($1)" }.joined(separator: " ")
        case .lot(let spec): return "lot \(spec.id) \(spec.product)"
        case .reading(let spec):
            var text = "reading \(spec.check)=\(CriticalLimits.format(spec.value))"
            if let held = spec.held { text += " held \(held)" }
            if let lot = spec.lot { text += " lot \(lot)" }
            if let by = spec.by { text += " by \(by)" }
            if let place = spec.workCentre { text += " at \(place)" }
            if let instrument = spec.instrument { text += " with \(instrument)" }
            return text + " @ \(spec.at)"
        case .sweep(let at): return "sweep @ \(at)"
        case .assign(let spec):
            return "assign \(spec.staff) \(spec.start) – \(spec.end)" + (spec.pause.map { " break \($0)" } ?? "")
        case .issue(let spec): return "issue lot \(spec.lot) @ \(spec.at)"
        case .close(let spec): return "close #\(spec.finding) by \(spec.by)"
        case .release(let spec): return "release lot \(spec.lot) by \(spec.by)"
        case .clearance(let spec): return "clearance \(spec.staff) at \(spec.workCentre) @ \(spec.at)"
        case .receive(let spec):
            return "receive \(spec.lot) \(spec.item) \(CriticalLimits.format(spec.quantity)) from \(spec.supplier) "
                + "lot \(spec.supplierLot)" + (spec.temperature.map { " at \(CriticalLimits.format($0)) °C" } ?? "")
        case .consume(let spec):
            return "consume \(CriticalLimits.format(spec.quantity)) of \(spec.from ?? "?") into \(spec.into ?? "?")"
        case .ship(let spec):
            return "ship \(CriticalLimits.format(spec.quantity)) of \(spec.lot ?? "?") to \(spec.customer ?? "?")"
        case .recall(let spec):
            return "recall supplier lot \(spec.supplierLot)" + (spec.holdBy == nil ? "" : " and hold")
        case .calibrate(let spec):
            return "calibrate \(spec.instrument) "
                + spec.points.sorted { (Double($0.key) ?? 0) < (Double($1.key) ?? 0) }.map {
                    "\($0.key)→\(CriticalLimits.format($0.value))"
                }
                .joined(separator: " ") + " @ \(spec.at)"
        }
    }

    /// Applies the event and describes its outcome in one line.
    func apply(to host: SiteHost, zone: TimeZone, verbs: [String: GoldenVerb]) -> String {
        func instant(_ text: String) throws -> Date {
            guard let date = Instant.parse(text, in: zone) else { throw HostError.invalidInput("bad time '\(text)'") }
            return date
        }
        func span(_ text: String?) throws -> TimeSpan? {
            guard let text else { return nil }
            guard let value = TimeSpan(parsing: text) else { throw HostError.invalidInput("bad duration '\(text)'") }
            return value
        }
        do {
            switch self {
            case .lot(let spec):
                try host.addLot(
                    Lot(
                        id: spec.id, product: spec.product, quantity: spec.quantity ?? 100,
                        producedAt: try instant(spec.at),
                        expiresAt: try spec.expires.map(instant)), at: try instant(spec.at))
                return "added"
            case .reading(let spec):
                let recorded = try host.record(
                    CheckReading(
                        check: try RuleID(validating: spec.check), value: spec.value, lot: spec.lot,
                        workCentre: spec.workCentre, recordedBy: spec.by, heldFor: try span(spec.held),
                        instrument: spec.instrument, at: try instant(spec.at)))
                return Self.describe(recorded.findings)
                    + recorded.released.map { " (released \($0.kind.rawValue) \($0.target))" }.joined()
            case .sweep(let at):
                return Self.describe(try host.sweep(at: try instant(at)))
            case .module(let verb, let fields):
                guard let known = verbs[verb] else {
                    throw HostError.invalidInput("unknown event '\(verb)': this case's test gives no verb for it")
                }
                return try known.apply(fields, host, zone)
            case .assign(let spec):
                try host.assign(
                    ShiftAssignment(
                        staff: spec.staff, start: try instant(spec.start), end: try instant(spec.end),
                        breakTime: try span(spec.pause) ?? TimeSpan(seconds: 0)), at: Date())
                return "rostered"
            case .issue(let spec):
                return Self.describe(try host.issue(LotIssue(lot: spec.lot, at: try instant(spec.at))))
            case .close(let spec):
                _ = try host.closeFinding(spec.finding, by: spec.by, resolution: spec.resolution, at: Date())
                return "closed"
            case .release(let spec):
                _ = try host.decide(lot: spec.lot, status: .released, by: spec.by, at: Date())
                return "released"
            case .clearance(let spec):
                let reasons = try host.clearance(of: spec.staff, at: spec.workCentre, now: try instant(spec.at))
                return reasons.isEmpty ? "cleared" : "not cleared: " + reasons.joined(separator: "; ")
            case .receive(let spec):
                return Self.describe(
                    try host.receive(
                        .init(
                            lot: spec.lot, item: spec.item, quantity: spec.quantity, supplier: spec.supplier,
                            supplierLot: spec.supplierLot, temperature: spec.temperature, by: spec.by,
                            at: try instant(spec.at))))
            case .consume(let spec):
                try host.consume(
                    from: spec.from ?? "", into: spec.into ?? "", quantity: spec.quantity, by: nil,
                    at: try instant(spec.at))
                return "ok"
            case .ship(let spec):
                try host.ship(
                    lot: spec.lot ?? "", customer: spec.customer ?? "", quantity: spec.quantity, by: nil,
                    at: try instant(spec.at))
                return "ok"
            case .recall(let spec):
                let recall = try host.recall(
                    supplierLot: spec.supplierLot, holdBy: spec.holdBy, at: try instant(spec.at))
                let lots = recall.trees.flatMap(\.lots).map(\.lot)
                return "lots " + lots.joined(separator: ", ") + "; in stock "
                    + recall.inStock.map { "\($0.lot) \(CriticalLimits.format($0.onHand))" }.joined(separator: ", ")
                    + "; shipped "
                    + recall.shipments.map { "\($0.lot) to \($0.customer ?? "?")" }.joined(separator: ", ")
                    + (recall.held.isEmpty ? "" : "; held " + recall.held.joined(separator: ", "))
            case .calibrate(let spec):
                var points: [Calibration.Point] = []
                for (reference, reading) in spec.points {
                    guard let value = Double(reference) else {
                        throw HostError.invalidInput("bad point '\(reference)'")
                    }
                    points.append(.init(reference: value, reading: reading))
                }
                let verdict = try host.calibrate(
                    Calibration(
                        instrument: spec.instrument, points: points.sorted { $0.reference < $1.reference }, by: spec.by,
                        at: try instant(spec.at)))
                return verdict.passed ? "passed" : "failed: " + Self.describe(verdict.findings)
            }
        } catch let error as HostError {
            if case .refused(let reasons) = error { return "refused: " + reasons.joined(separator: " | ") }
            return "error: \(error)"
        } catch {
            return "error: \(error)"
        }
    }

    /// Findings in one line, as a transcript shows them: `ok` when there are none.
    static func describe(_ findings: [Finding]) -> String {
        guard !findings.isEmpty else { return "ok" }
        return findings.map { finding in
            let actions = finding.actions.filter { $0.kind != .correctiveAction }.map {
                "\($0.kind.rawValue) \($0.target)"
            }
            return "\(finding.rule) \(finding.severity.rawValue) \(finding.subject)"
                + (actions.isEmpty ? "" : " [\(actions.joined(separator: ", "))]") + ": \(finding.message)"
        }.joined(separator: " | ")
    }
}

/// An event kind a module's golden cases use that the core does not know (`reel`, `reel_event`): how to label
/// it in the transcript and how to apply it to the site through the module's own API.
public struct GoldenVerb: Sendable {
    let label: @Sendable ([String: String]) -> String
    let apply: @Sendable ([String: String], SiteHost, TimeZone) throws -> String

    /// `label` names the event from its fields; `apply` performs it and says what happened in a word
    /// (`added`, or ``GoldenVerb/describe(_:)`` of the findings).
    public init(
        label: @escaping @Sendable ([String: String]) -> String,
        apply: @escaping @Sendable ([String: String], SiteHost, TimeZone) throws -> String
    ) {
        self.label = label
        self.apply = apply
    }

    /// Findings in one line, as the transcript shows them.
    public static func describe(_ findings: [Finding]) -> String { GoldenEvent.describe(findings) }

    /// A site-local time from a case's `events.yaml`.
    public static func instant(_ text: String?, in zone: TimeZone) throws -> Date {
        guard let text, let date = Instant.parse(text, in: zone) else {
            throw HostError.invalidInput("bad time '\(text ?? "")'")
        }
        return date
    }
}
