import Foundation

/// A batch's body on the wire, written and read in one pass over its bytes instead of through Foundation's JSON
/// coders, which were the largest share of central's ingest after the kernel.
///
/// A body is one JSON object with the fields of `Batch`. Record payloads travel in one of two formats:
/// - `quoted` (format 1, every Takt until 2026-12): the payload's JSON text as a JSON string, so every quote in it
///   is escaped by the site and unescaped, then parsed again, by central;
/// - `raw` (format 2): the payload's JSON in place, as the object or array it is. Central keeps the exact bytes
///   the site sent, so the stored text is the site's, byte for byte.
///
/// Central reads both, record by record. A site sends `raw` only to a central whose cursor reply says it reads
/// it (`CursorReply.batchFormat`), and sends a payload that is not valid JSON (a damaged row) `quoted` even then,
/// so central can name the record instead of refusing the whole body.
public enum BatchBody {
    /// How record payloads travel.
    public enum Format: Int, Sendable, Codable, CaseIterable {
        case quoted = 1
        case raw = 2

        /// The newest format this build reads and writes.
        public static let newest = Format.raw

        /// What to send to a central that reads up to `advertised` (nil: a central from before formats).
        public init(advertised: Int?) {
            self = (advertised ?? 1) >= Format.raw.rawValue ? .raw : .quoted
        }
    }

    /// The body of `batch`, in `format`. Sorted keys, as `WireJSON.encoder()` writes them.
    public static func encode(_ batch: Batch, format: Format) throws(SyncError) -> Data {
        var out: [UInt8] = []
        out.reserveCapacity(256 + batch.records.reduce(0) { $0 + $1.payload.utf8.count + 128 })
        out += #"{"configVersion":"#.utf8
        out += String(batch.configVersion).utf8
        out += #","epoch":"#.utf8
        quote(batch.epoch, into: &out)
        out += #","first":"#.utf8
        out += String(batch.first).utf8
        out += #","last":"#.utf8
        out += String(batch.last).utf8
        out += #","records":["#.utf8
        for (index, record) in batch.records.enumerated() {
            if index > 0 { out.append(UInt8(ascii: ",")) }
            out += #"{"class":"#.utf8
            quote(record.class, into: &out)
            out += #","createdAt":"#.utf8
            try number(record.createdAt.timeIntervalSince1970, into: &out, field: "record \(record.seq): createdAt")
            if let hash = record.hash {
                out += #","hash":"#.utf8
                quote(hash, into: &out)
            }
            out += #","key":"#.utf8
            quote(record.key, into: &out)
            out += #","kind":"#.utf8
            quote(record.kind, into: &out)
            out += #","payload":"#.utf8
            if format == .raw && PayloadScan.isContainer(record.payload) {
                out += record.payload.utf8
            } else {
                quote(record.payload, into: &out)
            }
            if let previous = record.previous {
                out += #","previous":"#.utf8
                quote(previous, into: &out)
            }
            out += #","seq":"#.utf8
            out += String(record.seq).utf8
            out.append(UInt8(ascii: "}"))
        }
        out += #"],"sentAt":"#.utf8
        try number(batch.sentAt.timeIntervalSince1970, into: &out, field: "sentAt")
        out += #","site":"#.utf8
        quote(batch.site, into: &out)
        out.append(UInt8(ascii: "}"))
        return Data(out)
    }

    /// What central makes of a body.
    public enum Reading: Sendable {
        case batch(Batch)
        /// The body is not a batch at all (not JSON, a field missing or of the wrong type): HTTP 400.
        case unreadable(String)
        /// A batch, but one central must not store (`Batch.problem`): HTTP 422.
        case refused(String)
    }

    /// Reads a body sent to `/v1/sites/{site}/batches` and checks it as `Batch.problem(forSite:now:)` does,
    /// judging each payload once, while it is read.
    public static func read(_ body: Data, site: String, now: Date) -> Reading {
        let read = body.withUnsafeBytes { raw -> Result<(Batch, [PayloadScan.Problem?]), BatchReader.Failure> in
            var reader = BatchReader(bytes: raw.bindMemory(to: UInt8.self), now: now)
            return reader.batch()
        }
        switch read {
        case .failure(let failure): return .unreadable("the body is not a batch: \(failure.description)")
        case .success(let (batch, payloads)):
            if let problem = batch.problem(forSite: site, now: now, payloads: payloads) { return .refused(problem) }
            return .batch(batch)
        }
    }

    /// `text` as a JSON string: quotes, backslashes and control characters escaped, everything else as it is.
    static func quote(_ text: String, into out: inout [UInt8]) {
        out.append(UInt8(ascii: "\""))
        for byte in text.utf8 {
            switch byte {
            case UInt8(ascii: "\""): out += #"\""#.utf8
            case UInt8(ascii: "\\"): out += #"\\"#.utf8
            case 0x0A: out += #"\n"#.utf8
            case 0x0D: out += #"\r"#.utf8
            case 0x09: out += #"\t"#.utf8
            case 0..<0x20:
                let hex = Array("0123456789abcdef".utf8)
                out += #"\u00"#.utf8
                out.append(hex[Int(byte >> 4)])
                out.append(hex[Int(byte & 0x0F)])
            default: out.append(byte)
            }
        }
        out.append(UInt8(ascii: "\""))
    }

    /// A time as seconds since 1970, in the shortest text that reads back to the same `Double`.
    static func number(_ value: Double, into out: inout [UInt8], field: String) throws(SyncError) {
        guard value.isFinite else { throw .malformed("cannot encode the batch: \(field) is \(value)") }
        out += value.description.utf8
    }
}
