import Foundation

/// One outbox record on the wire. `payload` is the record's JSON, as the site stored it.
public struct WireRecord: Hashable, Sendable, Codable {
    public var seq: Int64
    public var kind: String
    /// `fact` or `state`.
    public var `class`: String
    public var key: String
    public var payload: String
    public var createdAt: Date

    public init(seq: Int64, kind: String, class recordClass: String, key: String, payload: String, createdAt: Date) {
        self.seq = seq
        self.kind = kind
        self.class = recordClass
        self.key = key
        self.payload = payload
        self.createdAt = createdAt
    }
}

/// A contiguous range `first...last` of one site database's outbox. Records may be fewer than the range:
/// state records replaced by newer ones, and records moved to dead letters, are left out.
public struct Batch: Hashable, Sendable, Codable {
    public var site: String
    public var epoch: String
    public var first: Int64
    public var last: Int64
    public var records: [WireRecord]
    /// The configuration version the site runs.
    public var configVersion: Int
    /// The site's clock when it sent the batch.
    public var sentAt: Date

    public init(
        site: String, epoch: String, first: Int64, last: Int64, records: [WireRecord], configVersion: Int, sentAt: Date
    ) {
        self.site = site
        self.epoch = epoch
        self.first = first
        self.last = last
        self.records = records
        self.configVersion = configVersion
        self.sentAt = sentAt
    }

    /// The idempotency key: the same range of the same database is the same batch, however often it is sent.
    public var idempotencyKey: String { "\(site)/\(epoch)/\(first)-\(last)" }

    /// Why the batch is malformed, or nil.
    public func problem(forSite path: String) -> String? {
        if site != path { return "the batch is for site '\(site)', sent to '\(path)'" }
        if epoch.isEmpty { return "the batch has no epoch" }
        if first < 1 || last < first { return "the range \(first)...\(last) is not valid" }
        var seen = Set<Int64>()
        for record in records {
            if record.seq < first || record.seq > last { return "record \(record.seq) is outside \(first)...\(last)" }
            if !seen.insert(record.seq).inserted { return "record \(record.seq) appears twice" }
            if record.class != "fact" && record.class != "state" {
                return "record \(record.seq) has class '\(record.class)'"
            }
            if record.kind.isEmpty { return "record \(record.seq) has no kind" }
            guard let data = record.payload.data(using: .utf8), (try? JSONSerialization.jsonObject(with: data)) != nil
            else {
                return "record \(record.seq): the payload is not JSON"
            }
        }
        return nil
    }
}

/// Central's answer to a batch.
public struct BatchReply: Hashable, Sendable, Codable {
    /// Every sequence number up to this one is at central.
    public var acknowledged: Int64
    public var written: Int
    public var duplicated: Int
    public var serverTime: Date

    public init(acknowledged: Int64, written: Int, duplicated: Int, serverTime: Date) {
        self.acknowledged = acknowledged
        self.written = written
        self.duplicated = duplicated
        self.serverTime = serverTime
    }
}

/// What central has of a site: the acknowledged sequence per epoch, for the current epoch asked about.
public struct CursorReply: Hashable, Sendable, Codable {
    public var site: String
    public var epoch: String?
    public var acknowledged: Int64
    public var serverTime: Date

    public init(site: String, epoch: String?, acknowledged: Int64, serverTime: Date) {
        self.site = site
        self.epoch = epoch
        self.acknowledged = acknowledged
        self.serverTime = serverTime
    }
}

/// A versioned configuration document central publishes for a site: YAML that adds to the site's own
/// `site.yaml` (rules and tighter limits).
public struct ConfigDocument: Hashable, Sendable, Codable {
    public var version: Int
    public var document: String
    public var publishedAt: Date

    public init(version: Int, document: String, publishedAt: Date) {
        self.version = version
        self.document = document
        self.publishedAt = publishedAt
    }
}

/// An error body from central.
public struct ErrorReply: Hashable, Sendable, Codable {
    public var error: String
    public var message: String
    public var serverTime: Date?
    public var expected: Int64?

    public init(error: String, message: String, serverTime: Date? = nil, expected: Int64? = nil) {
        self.error = error
        self.message = message
        self.serverTime = serverTime
        self.expected = expected
    }
}

/// JSON as Takt's sync protocol writes it: ISO 8601 dates with fractions, sorted keys.
public enum WireJSON {
    public static func encoder() -> JSONEncoder {
        let encoder = JSONEncoder()
        encoder.dateEncodingStrategy = .custom { date, encoder in
            var container = encoder.singleValueContainer()
            try container.encode(date.timeIntervalSince1970)
        }
        encoder.outputFormatting = [.sortedKeys]
        return encoder
    }

    public static func decoder() -> JSONDecoder {
        let decoder = JSONDecoder()
        decoder.dateDecodingStrategy = .custom { decoder in
            let container = try decoder.singleValueContainer()
            return Date(timeIntervalSince1970: try container.decode(Double.self))
        }
        return decoder
    }
}
