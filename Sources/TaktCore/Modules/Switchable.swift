/// A part of a module a site may turn off, such as a control point the plant does not have: in `site.yaml`
/// `false` turns it off, `true` or absence keeps it on with its defaults, and a mapping keeps it on with those
/// settings. `null` is refused: it does not say which is meant.
///
/// Usage, in a module's `Configuration`:
///
/// ```swift
/// public var hotHolding: Switchable<HotHolding> = .on(HotHolding())
///
/// public init(from decoder: any Decoder) throws {
///     let container = try decoder.container(keyedBy: CodingKeys.self)
///     hotHolding = try container.decodeSwitchable(HotHolding.self, forKey: .hotHolding)
/// }
/// ```
public enum Switchable<Settings: Codable & Sendable>: Codable, Sendable {
    case off
    case on(Settings)

    /// The settings when on; nil when off.
    public var settings: Settings? {
        if case .on(let settings) = self { return settings }
        return nil
    }

    public var isOn: Bool { settings != nil }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        if container.decodeNil() {
            throw DecodingError.dataCorruptedError(
                in: container,
                debugDescription: "null does not say whether it is on: write false to turn it off, or give its settings"
            )
        }
        if let flag = try? container.decode(Bool.self) {
            guard flag else {
                self = .off
                return
            }
            self = .on(try Settings(from: EmptyMappingDecoder(codingPath: decoder.codingPath)))
            return
        }
        self = .on(try container.decode(Settings.self))
    }

    public func encode(to encoder: any Encoder) throws {
        switch self {
        case .off:
            var container = encoder.singleValueContainer()
            try container.encode(false)
        case .on(let settings):
            try settings.encode(to: encoder)
        }
    }
}

extension KeyedDecodingContainer {
    /// A switchable part: on with defaults when the key is absent, refused when it is `null`.
    public func decodeSwitchable<Settings: Codable & Sendable>(_ type: Settings.Type, forKey key: Key) throws
        -> Switchable<Settings>
    {
        guard contains(key) else { return .on(try Settings(from: EmptyMappingDecoder(codingPath: codingPath + [key]))) }
        return try decode(Switchable<Settings>.self, forKey: key)
    }
}

/// Decodes a settings struct from an empty mapping, so `true` and absence mean "its defaults".
struct EmptyMappingDecoder: Decoder {
    var codingPath: [any CodingKey]
    var userInfo: [CodingUserInfoKey: Any] { [:] }

    func container<Key: CodingKey>(keyedBy type: Key.Type) throws -> KeyedDecodingContainer<Key> {
        KeyedDecodingContainer(EmptyContainer<Key>(codingPath: codingPath))
    }

    func unkeyedContainer() throws -> any UnkeyedDecodingContainer {
        throw DecodingError.typeMismatch(
            [Any].self, .init(codingPath: codingPath, debugDescription: "expected settings, not a list"))
    }

    func singleValueContainer() throws -> any SingleValueDecodingContainer {
        throw DecodingError.typeMismatch(
            Any.self, .init(codingPath: codingPath, debugDescription: "expected settings"))
    }

    struct EmptyContainer<Key: CodingKey>: KeyedDecodingContainerProtocol {
        var codingPath: [any CodingKey]
        var allKeys: [Key] { [] }

        func contains(_ key: Key) -> Bool { false }

        func decodeNil(forKey key: Key) throws -> Bool { true }

        func decode<T: Decodable>(_ type: T.Type, forKey key: Key) throws -> T {
            throw DecodingError.keyNotFound(
                key, .init(codingPath: codingPath, debugDescription: "\(key.stringValue) is required"))
        }

        func nestedContainer<NestedKey: CodingKey>(keyedBy type: NestedKey.Type, forKey key: Key) throws
            -> KeyedDecodingContainer<NestedKey>
        {
            KeyedDecodingContainer(EmptyContainer<NestedKey>(codingPath: codingPath + [key]))
        }

        func nestedUnkeyedContainer(forKey key: Key) throws -> any UnkeyedDecodingContainer {
            throw DecodingError.keyNotFound(key, .init(codingPath: codingPath, debugDescription: "absent"))
        }

        func superDecoder() throws -> any Decoder { EmptyMappingDecoder(codingPath: codingPath) }

        func superDecoder(forKey key: Key) throws -> any Decoder { EmptyMappingDecoder(codingPath: codingPath + [key]) }
    }
}
