/// A stable, lowercase, namespaced name such as `food_processing` or `food_processing.ccp.chill`.
///
/// Ids are what the store and the sync payloads carry, never Swift type names, so they must stay the same
/// across releases. Each dot-separated segment starts with a letter and holds lowercase letters, digits,
/// `_` and `-`.
public struct NamespacedID: Hashable, Comparable, Sendable, Codable, CustomStringConvertible,
    ExpressibleByStringLiteral
{
    /// The id as written, for example `food_processing.ccp.chill`.
    public let rawValue: String

    /// Creates an id, or throws when `rawValue` is not a valid namespaced name.
    public init(validating rawValue: String) throws(CoreError) {
        guard Self.isValid(rawValue) else { throw CoreError.invalidIdentifier(rawValue) }
        self.rawValue = rawValue
    }

    /// Creates an id from a literal in code; an invalid literal is a programming error.
    public init(stringLiteral value: String) {
        precondition(Self.isValid(value), "invalid namespaced id literal '\(value)'")
        self.rawValue = value
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        let text = try container.decode(String.self)
        guard Self.isValid(text) else {
            throw DecodingError.dataCorruptedError(
                in: container, debugDescription: CoreError.invalidIdentifier(text).description)
        }
        self.rawValue = text
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(rawValue)
    }

    /// The first segment: the module (or `site`) that owns this id.
    public var namespace: String { String(rawValue.prefix { $0 != "." }) }

    /// This id with one more segment appended: `food_processing` → `food_processing.ccp`.
    public func appending(_ segment: String) throws(CoreError) -> NamespacedID {
        try NamespacedID(validating: rawValue + "." + segment)
    }

    public var description: String { rawValue }

    public static func < (lhs: NamespacedID, rhs: NamespacedID) -> Bool { lhs.rawValue < rhs.rawValue }

    /// Whether `text` is a valid namespaced name.
    public static func isValid(_ text: String) -> Bool {
        guard !text.isEmpty, text.count <= 200 else { return false }
        return text.split(separator: ".", omittingEmptySubsequences: false).allSatisfy { segment in
            guard let first = segment.first, first.isASCII, first.isLowercase else { return false }
            return segment.allSatisfy { ($0.isASCII && ($0.isLowercase || $0.isNumber)) || $0 == "_" || $0 == "-" }
        }
    }
}

/// The id of a site module, such as `food_processing`.
public typealias ModuleID = NamespacedID

/// The id of a rule or check, such as `food_processing.ccp.chill` or `site.chill.walk_in`.
public typealias RuleID = NamespacedID
