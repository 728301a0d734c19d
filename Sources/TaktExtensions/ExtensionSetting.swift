import Foundation

/// A setting of an extension: a number (passed with `takt_configure`) or a text (read with the host function
/// `takt.setting_text`). The manifest declares each with its default; site.yaml may set it, keeping its kind.
public enum ExtensionSetting: Hashable, Sendable, Codable, ExpressibleByFloatLiteral, ExpressibleByIntegerLiteral,
    ExpressibleByStringLiteral
{
    case number(Double)
    case text(String)

    /// Longest text setting, in UTF-8 bytes.
    public static let maximumTextBytes = 1024

    public init(floatLiteral value: Double) { self = .number(value) }
    public init(integerLiteral value: Int) { self = .number(Double(value)) }
    public init(stringLiteral value: String) { self = .text(value) }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        if let number = try? container.decode(Double.self) {
            self = .number(number)
        } else {
            self = .text(try container.decode(String.self))
        }
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        switch self {
        case .number(let number): try container.encode(number)
        case .text(let text): try container.encode(text)
        }
    }

    public var number: Double? { if case .number(let value) = self { value } else { nil } }
    public var text: String? { if case .text(let value) = self { value } else { nil } }

    /// How it reads in a message: `4` or `'rye'`.
    public var described: String {
        switch self {
        case .number(let value): value.formatted(.number.grouping(.never))
        case .text(let value): "'\(value)'"
        }
    }
}

/// What the host functions (`takt.*`) answer during one call: the lot and the person a reading concerns, its work
/// centre, the lot's product and when it was made, and the earlier readings of the same check (of the same lot
/// when the reading names one), oldest first.
public struct ExtensionEvent: Hashable, Sendable {
    /// An earlier reading: its value and when it was taken.
    public struct Earlier: Hashable, Sendable {
        public var value: Double
        public var at: Date
        public init(value: Double, at: Date) {
            self.value = value
            self.at = at
        }
    }

    /// At most this many earlier readings are passed (the latest).
    public static let maximumHistory = 64

    public var lot: String?
    public var person: String?
    public var workCentre: String?
    public var product: String?
    public var lotMadeAt: Date?
    public var history: [Earlier]

    public init(
        lot: String? = nil, person: String? = nil, workCentre: String? = nil, product: String? = nil,
        lotMadeAt: Date? = nil, history: [Earlier] = []
    ) {
        self.lot = lot
        self.person = person
        self.workCentre = workCentre
        self.product = product
        self.lotMadeAt = lotMadeAt
        self.history = Array(history.suffix(Self.maximumHistory))
    }
}
