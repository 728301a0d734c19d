import Foundation
import TaktCore

/// What an extension says about itself (`takt_manifest`): its id and version, the ABI it speaks, the slots it
/// fills, the checks it judges, its messages per language, its configuration with defaults, and its own test
/// vectors. JSON inside the module, so the module and its description can never drift apart.
public struct ExtensionManifest: Hashable, Sendable, Codable {
    /// A rule slot an extension fills. ABI 1: `check` (judge readings of the checks it names) and `changeover`
    /// (the time, or the ban, between two products on a work centre, for the scheduler).
    public enum Slot: String, Hashable, Sendable, Codable { case check, changeover, frequency }

    /// A frequency test vector: a check, the local minute and weekday of its last reading, and the minutes until
    /// it is due (0 for not due).
    public struct FrequencyTest: Hashable, Sendable, Codable {
        public var check: String
        public var minute: Int
        public var weekday: Int
        public var expect: Int
    }

    /// What the changeover slot sees: each product by the index of its value of `attribute` in `values` (-1 when it
    /// has none of them), each work centre by its index in `work_centres` (a work centre not listed is not asked).
    public struct ChangeoverSlot: Hashable, Sendable, Codable {
        public var attribute: String
        public var values: [String]
        public var workCentres: [String]
        /// What the changeover is called in the plan (`rye clean`).
        public var task: String

        enum CodingKeys: String, CodingKey {
            case attribute, values, task
            case workCentres = "work_centres"
        }
    }

    /// A changeover test vector: from and to by value index, the work centre by index, and the answer (minutes, -1
    /// for none, -2 for forbidden).
    public struct ChangeoverTest: Hashable, Sendable, Codable {
        public var from: Int
        public var to: Int
        public var workCentre: Int
        public var expect: Int

        enum CodingKeys: String, CodingKey {
            case from, to, expect
            case workCentre = "work_centre"
        }
    }

    /// A message the extension's findings use, with `{0}`…`{3}` for the numbers it returns, per language.
    public struct Message: Hashable, Sendable, Codable {
        public var en: String
        public var es: String?
        public var ms: String?
        /// The corrective action, per language.
        public var action: String?
        public var actionEs: String?
        public var actionMs: String?

        enum CodingKeys: String, CodingKey {
            case en, es, ms, action
            case actionEs = "action_es"
            case actionMs = "action_ms"
        }
    }

    /// One test vector: a reading and the findings it must give (message index and severity, in order).
    public struct Test: Hashable, Sendable, Codable {
        public var check: String
        public var value: Double
        /// Local minutes after midnight (0–1439) and weekday (0 = Monday) of the reading.
        public var minute: Int?
        public var weekday: Int?
        /// Configuration values for this test, by name; the declared defaults otherwise.
        public var config: [String: ExtensionSetting]?
        /// What the host functions answer for this test: the lot, the person, the work centre, the lot's product,
        /// the lot's age in hours at the reading, and earlier readings (`value`, `minutes_before`), oldest first.
        public var lot: String?
        public var person: String?
        public var workCentre: String?
        public var product: String?
        public var lotAgeHours: Double?
        public var history: [Earlier]?
        public var expect: [Expected]

        public struct Earlier: Hashable, Sendable, Codable {
            public var value: Double
            public var minutesBefore: Double

            enum CodingKeys: String, CodingKey {
                case value
                case minutesBefore = "minutes_before"
            }
        }

        enum CodingKeys: String, CodingKey {
            case check, value, minute, weekday, config, lot, person, product, history, expect
            case workCentre = "work_centre"
            case lotAgeHours = "lot_age_hours"
        }

        /// The event the host functions answer for this test, for a reading at `at`.
        public func event(at: Date) -> ExtensionEvent {
            ExtensionEvent(
                lot: lot, person: person, workCentre: workCentre, product: product,
                lotMadeAt: lotAgeHours.map { at.addingTimeInterval(-$0 * 3600) },
                history: (history ?? []).map {
                    .init(value: $0.value, at: at.addingTimeInterval(-$0.minutesBefore * 60))
                })
        }

        public struct Expected: Hashable, Sendable, Codable {
            public var message: Int
            public var severity: Severity
        }
    }

    public var id: String
    public var version: String
    public var abi: Int
    public var slots: [Slot]
    /// The checks whose readings it judges, in the order the ABI numbers them (0, 1, …).
    public var checks: [String]
    public var messages: [Message]
    /// Settings by name, numbers or texts, with their defaults; site.yaml's `config:` may set them.
    public var config: [String: ExtensionSetting]?
    /// The order the host passes number settings to `takt_configure` (0, 1, …): their names, sorted.
    public var configOrder: [String] { (config ?? [:]).filter { $0.value.number != nil }.keys.sorted() }
    /// The order of text settings for `takt.setting_text` (0, 1, …): their names, sorted.
    public var textOrder: [String] { (config ?? [:]).filter { $0.value.text != nil }.keys.sorted() }
    public var tests: [Test]?
    public var changeover: ChangeoverSlot?
    public var changeoverTests: [ChangeoverTest]?
    public var frequencyTests: [FrequencyTest]?

    enum CodingKeys: String, CodingKey {
        case id, version, abi, slots, checks, messages, config, tests, changeover
        case changeoverTests = "changeover_tests"
        case frequencyTests = "frequency_tests"
    }

    /// Why the manifest cannot be used, or nil.
    public var problem: String? {
        if id.isEmpty || id.count > 64 || !id.allSatisfy({ $0.isLetter || $0.isNumber || "._-".contains($0) }) {
            return "the id '\(id)' is not 1 to 64 letters, digits, '.', '_' or '-'"
        }
        if version.isEmpty || version.count > 32 { return "the version '\(version)' is not 1 to 32 characters" }
        if slots.isEmpty { return "it fills no rule slot" }
        if slots.contains(.check) && checks.isEmpty { return "the check slot needs the checks it judges" }
        if slots.contains(.frequency) && checks.isEmpty { return "the frequency slot needs the checks it times" }
        if slots.contains(.changeover) {
            guard let changeover else { return "the changeover slot needs its `changeover` (attribute, values, …)" }
            if changeover.values.isEmpty || changeover.values.count > 256 || changeover.workCentres.count > 256 {
                return "the changeover slot names 1 to 256 values and at most 256 work centres"
            }
        }
        if checks.count > 64 || messages.count > 256 || (config?.count ?? 0) > 64 || (tests?.count ?? 0) > 256 {
            return "too many checks, messages, settings or tests"
        }
        if messages.isEmpty { return "it declares no messages" }
        for (name, setting) in config ?? [:] {
            if let text = setting.text, text.utf8.count > ExtensionSetting.maximumTextBytes {
                return "its text setting '\(name)' is longer than \(ExtensionSetting.maximumTextBytes) bytes"
            }
            if let number = setting.number, !number.isFinite { return "its setting '\(name)' is not a finite number" }
        }
        return nil
    }

    /// The version as numbers (1.2.10 → [1, 2, 10]) for ordering; non-numeric parts count as 0.
    public var versionNumbers: [Int] { version.split(separator: ".").map { Int($0) ?? 0 } }
}
