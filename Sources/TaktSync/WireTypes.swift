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
    /// The record's audit-chain hash and the hash it chains from (`AuditChain`), hex SHA-256; absent from sites
    /// that predate the chain.
    public var hash: String?
    public var previous: String?

    public init(
        seq: Int64, kind: String, class recordClass: String, key: String, payload: String, createdAt: Date,
        hash: String? = nil, previous: String? = nil
    ) {
        self.seq = seq
        self.kind = kind
        self.class = recordClass
        self.key = key
        self.payload = payload
        self.createdAt = createdAt
        self.hash = hash
        self.previous = previous
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

    /// The most sequence numbers one batch may cover (`last - first + 1`).
    public static let maximumRange: Int = 5_000
    /// The most bytes central reads for one batch body.
    public static let maximumBytes: Int = 32 * 1024 * 1024
    /// The payload size the agent aims a batch at.
    public static let targetBytes: Int = 4 * 1024 * 1024
    /// A record larger than this can never be sent; the site dead-letters it itself.
    public static let maximumRecordBytes: Int = 16 * 1024 * 1024
    /// Times from the wire (record times, `sentAt`, times inside payloads) must lie in this window around
    /// central's clock: after 2000-01-01 and at most a year ahead. A site clock that far off is broken, and a
    /// date outside it would only break pages and arithmetic later.
    public static func plausible(_ date: Date, now: Date) -> Bool {
        date.timeIntervalSince1970 >= 946_684_800 && date <= now.addingTimeInterval(366 * 86_400)
    }

    /// The idempotency key: the same range of the same database is the same batch, however often it is sent.
    public var idempotencyKey: String { "\(site)/\(epoch)/\(first)-\(last)" }

    /// Why the batch is malformed, or nil. `now` is central's clock, for the window times must lie in.
    public func problem(forSite path: String, now: Date) -> String? {
        problem(forSite: path, now: now, payloads: nil)
    }

    /// The same, with each record's payload already judged (`BatchReader` does it while it reads).
    func problem(forSite path: String, now: Date, payloads: [PayloadScan.Problem?]?) -> String? {
        if site != path { return "the batch is for site '\(site.prefix(100))', sent to '\(path.prefix(100))'" }
        if epoch.isEmpty || epoch.utf8.count > 100 { return "the epoch must be 1 to 100 characters" }
        if first < 1 || last < first { return "the range \(first)...\(last) is not valid" }
        // `last - first` cannot overflow: both are positive here.
        if last - first >= Int64(Self.maximumRange) {
            return "the range \(first)...\(last) covers more than \(Self.maximumRange) sequence numbers"
        }
        if !Self.plausible(sentAt, now: now) { return "sentAt \(Self.describe(sentAt)) is not a plausible time" }
        var seen = Set<Int64>()
        for (index, record) in records.enumerated() {
            if record.seq < first || record.seq > last { return "record \(record.seq) is outside \(first)...\(last)" }
            if !seen.insert(record.seq).inserted { return "record \(record.seq) appears twice" }
            if record.class != "fact" && record.class != "state" {
                return "record \(record.seq) has class '\(record.class.prefix(40))'"
            }
            if record.kind.isEmpty || record.kind.utf8.count > 100 {
                return "record \(record.seq): kind must be 1 to 100 characters"
            }
            if record.key.utf8.count > 500 { return "record \(record.seq): key is longer than 500 characters" }
            // PostgreSQL text cannot hold NUL, and SQLite would store it where no page shows it.
            if record.kind.utf8.contains(0) || record.key.utf8.contains(0) {
                return "record \(record.seq): kind or key holds a NUL character"
            }
            if !Self.plausible(record.createdAt, now: now) {
                return "record \(record.seq): createdAt \(Self.describe(record.createdAt)) is not a plausible time"
            }
            let payload =
                payloads.map { index < $0.count ? $0[index] : .notJSON }
                ?? PayloadScan.problem(in: record.payload, now: now)
            switch payload {
            case .notJSON?: return "record \(record.seq): the payload is not JSON"
            case .implausibleTime(let bad)?:
                return
                    "record \(record.seq): the payload holds the time '\(bad.prefix(40))', outside 2000 to a year ahead"
            case nil: break
            }
        }
        return nil
    }

    static func describe(_ date: Date) -> String {
        let seconds = date.timeIntervalSince1970
        guard seconds.isFinite, abs(seconds) < 1e15 else { return "\(seconds) s" }
        return ISO8601DateFormatter().string(from: date)
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
    /// The newest batch body format central reads (`BatchBody.Format`); absent from centrals before formats,
    /// which read format 1 only.
    public var batchFormat: Int?

    public init(site: String, epoch: String?, acknowledged: Int64, serverTime: Date, batchFormat: Int? = nil) {
        self.site = site
        self.epoch = epoch
        self.acknowledged = acknowledged
        self.serverTime = serverTime
        self.batchFormat = batchFormat
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

/// A question central asks a site for a region-wide quote: when could it make `quantity` of `product` (by `by`)?
/// The site answers with a `quote_answer` record through its outbox, keyed by the request's id.
public struct QuoteRequest: Hashable, Sendable, Codable {
    public var id: String
    public var product: String
    public var quantity: Double
    public var by: Date?
    public var askedAt: Date

    public init(id: String, product: String, quantity: Double, by: Date?, askedAt: Date) {
        self.id = id
        self.product = product
        self.quantity = quantity
        self.by = by
        self.askedAt = askedAt
    }
}

/// A signed extension module central publishes to a site: the site installs it only when a key it trusts verifies
/// the signature and the version is newer than the one it runs.
public struct ExtensionRelease: Hashable, Sendable, Codable {
    public var id: String
    public var version: String
    /// The module's bytes, base64.
    public var module: String
    /// Its Ed25519 signature, base64.
    public var signature: String
    public var publishedBy: String
    public var publishedAt: Date

    public init(id: String, version: String, module: String, signature: String, publishedBy: String, publishedAt: Date)
    {
        self.id = id
        self.version = version
        self.module = module
        self.signature = signature
        self.publishedBy = publishedBy
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

/// Records central holds of one epoch of a site's database, after a sequence: what a restored site recovers.
public struct RecordsReply: Hashable, Sendable, Codable {
    public var site: String
    public var epoch: String
    public var records: [WireRecord]
    /// Central's cursor for the epoch: records up to it are all central will ever have of it.
    public var acknowledged: Int64
    public var serverTime: Date

    public init(site: String, epoch: String, records: [WireRecord], acknowledged: Int64, serverTime: Date) {
        self.site = site
        self.epoch = epoch
        self.records = records
        self.acknowledged = acknowledged
        self.serverTime = serverTime
    }
}
