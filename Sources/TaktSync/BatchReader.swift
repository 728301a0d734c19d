import Foundation

/// Reads a batch body (`BatchBody`) in one pass over its UTF-8 bytes. It is stricter than `JSONDecoder`, never
/// laxer: a body it accepts decodes to the same `Batch` there (a test compares the two on random mutations); it
/// also refuses duplicate keys and strings that are not valid UTF-8. Payloads sent `raw` are judged
/// (`PayloadScan`) as they are read, and kept as the exact bytes the site sent.
struct BatchReader {
    struct Failure: Error, CustomStringConvertible {
        var offset: Int
        var reason: String
        var description: String { "byte \(offset): \(reason)" }
    }

    var scanner: PayloadScan.Scanner

    init(bytes: UnsafeBufferPointer<UInt8>, now: Date) {
        scanner = PayloadScan.Scanner(bytes: bytes, now: now)
    }

    var bytes: UnsafeBufferPointer<UInt8> { scanner.bytes }
    var index: Int {
        get { scanner.index }
        set { scanner.index = newValue }
    }

    /// The batch, and each record's payload problem (nil: none), in record order.
    mutating func batch() -> Result<(Batch, [PayloadScan.Problem?]), Failure> {
        do {
            var site: String?
            var epoch: String?
            var first: Int64?
            var last: Int64?
            var records: [WireRecord]?
            var problems: [PayloadScan.Problem?] = []
            var configVersion: Int64?
            var sentAt: Double?
            try object { key, reader in
                switch key {
                case "site": site = try reader.once(site, key) { try $0.string() }
                case "epoch": epoch = try reader.once(epoch, key) { try $0.string() }
                case "first": first = try reader.once(first, key) { try $0.integer() }
                case "last": last = try reader.once(last, key) { try $0.integer() }
                case "configVersion": configVersion = try reader.once(configVersion, key) { try $0.integer() }
                case "sentAt": sentAt = try reader.once(sentAt, key) { try $0.double() }
                case "records":
                    records = try reader.once(records, key) { reader in
                        var list: [WireRecord] = []
                        try reader.array {
                            let (record, problem) = try $0.record()
                            list.append(record)
                            problems.append(problem)
                        }
                        return list
                    }
                default: try reader.skip()
                }
            }
            scanner.skipSpace()
            guard index == bytes.count else { throw fail("more after the batch's closing brace") }
            guard let site, let epoch, let first, let last, let records, let configVersion, let sentAt else {
                let missing = [
                    ("site", site == nil), ("epoch", epoch == nil), ("first", first == nil), ("last", last == nil),
                    ("records", records == nil), ("configVersion", configVersion == nil), ("sentAt", sentAt == nil),
                ].filter(\.1).map { "'\($0.0)'" }
                throw Failure(offset: index, reason: "it has no \(missing.joined(separator: ", "))")
            }
            guard let version = Int(exactly: configVersion) else { throw fail("configVersion is out of range") }
            let batch = Batch(
                site: site, epoch: epoch, first: first, last: last, records: records, configVersion: version,
                sentAt: Date(timeIntervalSince1970: sentAt))
            return .success((batch, problems))
        } catch let failure as Failure {
            return .failure(failure)
        } catch {
            return .failure(fail("\(error)"))
        }
    }

    /// One record object, and its payload's problem.
    mutating func record() throws -> (WireRecord, PayloadScan.Problem?) {
        var seq: Int64?
        var kind: String?
        var recordClass: String?
        var key: String?
        var payload: String?
        var problem: PayloadScan.Problem?
        var createdAt: Double?
        var hash: String?
        var previous: String?
        let start = index
        try object { name, reader in
            switch name {
            case "seq": seq = try reader.once(seq, name) { try $0.integer() }
            case "kind": kind = try reader.once(kind, name) { try $0.string() }
            case "class": recordClass = try reader.once(recordClass, name) { try $0.string() }
            case "key": key = try reader.once(key, name) { try $0.string() }
            case "createdAt": createdAt = try reader.once(createdAt, name) { try $0.double() }
            case "hash": hash = try reader.once(hash, name) { try $0.string() }
            case "previous": previous = try reader.once(previous, name) { try $0.string() }
            case "payload":
                payload = try reader.once(payload, name) { reader in
                    let (text, found) = try reader.payload()
                    problem = found
                    return text
                }
            default: try reader.skip()
            }
        }
        guard let seq, let kind, let recordClass, let key, let payload, let createdAt else {
            throw Failure(offset: start, reason: "a record lacks one of seq, kind, class, key, payload, createdAt")
        }
        for (name, value) in [("hash", hash), ("previous", previous)] {
            if let value, value.count != 64 || !value.allSatisfy({ $0.isHexDigit && !$0.isUppercase }) {
                throw Failure(offset: start, reason: "record \(seq): \(name) is not a SHA-256 in lowercase hex")
            }
        }
        let record = WireRecord(
            seq: seq, kind: kind, class: recordClass, key: key, payload: payload,
            createdAt: Date(timeIntervalSince1970: createdAt), hash: hash, previous: previous)
        return (record, problem)
    }

    /// A payload: a JSON string holding the payload's text (`quoted`), or the payload itself (`raw`).
    mutating func payload() throws -> (String, PayloadScan.Problem?) {
        scanner.skipSpace()
        guard index < bytes.count else { throw fail("the body ends inside a record") }
        if bytes[index] == UInt8(ascii: "\"") {
            let text = try string()
            return (text, PayloadScan.problem(in: text, now: scanner.now))
        }
        let start = index
        scanner.judgesTimes = true
        let problem = scanner.container()
        if problem == .notJSON { throw fail("a payload is neither a string nor valid JSON", at: start) }
        guard let text = String(validating: UnsafeBufferPointer(rebasing: bytes[start..<index]), as: UTF8.self)
        else { throw fail("a payload is not valid UTF-8", at: start) }
        return (text, problem)
    }

    // MARK: JSON pieces

    /// Each member of an object: `body` reads the value of `key`.
    mutating func object(_ body: (String, inout BatchReader) throws -> Void) throws {
        try expect("{")
        scanner.skipSpace()
        if peek(UInt8(ascii: "}")) {
            index += 1
            return
        }
        while true {
            let key = try string()
            try expect(":")
            try body(key, &self)
            scanner.skipSpace()
            if peek(UInt8(ascii: ",")) {
                index += 1
                continue
            }
            try expect("}")
            return
        }
    }

    /// Each element of an array.
    mutating func array(_ body: (inout BatchReader) throws -> Void) throws {
        try expect("[")
        scanner.skipSpace()
        if peek(UInt8(ascii: "]")) {
            index += 1
            return
        }
        while true {
            try body(&self)
            scanner.skipSpace()
            if peek(UInt8(ascii: ",")) {
                index += 1
                continue
            }
            try expect("]")
            return
        }
    }

    /// A field's value, refused when the field came before.
    mutating func once<T>(_ existing: T?, _ key: String, _ read: (inout BatchReader) throws -> T) throws -> T {
        guard existing == nil else { throw fail("'\(key)' appears twice") }
        return try read(&self)
    }

    /// A value of a field this version does not know, checked and passed over.
    mutating func skip() throws {
        scanner.skipSpace()
        let start = index
        scanner.judgesTimes = false
        if scanner.value() != nil { throw fail("not valid JSON", at: start) }
    }

    /// A string, its escapes decoded.
    mutating func string() throws -> String {
        scanner.skipSpace()
        let start = index
        guard peek(UInt8(ascii: "\"")) else { throw fail("expected a string") }
        index += 1
        let contentStart = index
        while index < bytes.count {
            let byte = bytes[index]
            if byte == UInt8(ascii: "\"") {
                guard
                    let text = String(
                        validating: UnsafeBufferPointer(rebasing: bytes[contentStart..<index]), as: UTF8.self)
                else { throw fail("a string is not valid UTF-8", at: start) }
                index += 1
                return text
            }
            if byte == UInt8(ascii: "\\") { return try escapedString(from: contentStart, start: start) }
            if byte < 0x20 { throw fail("a control character inside a string") }
            index += 1
        }
        throw fail("a string does not end", at: start)
    }

    /// The rest of a string that has escapes, from `contentStart` (after its opening quote).
    mutating func escapedString(from contentStart: Int, start: Int) throws -> String {
        var out: [UInt8] = Array(bytes[contentStart..<index])
        while index < bytes.count {
            let byte = bytes[index]
            index += 1
            switch byte {
            case UInt8(ascii: "\""):
                guard let text = String(validating: out, as: UTF8.self) else {
                    throw fail("a string is not valid UTF-8", at: start)
                }
                return text
            case UInt8(ascii: "\\"):
                guard index < bytes.count else { throw fail("a string does not end", at: start) }
                let escape = bytes[index]
                index += 1
                switch escape {
                case UInt8(ascii: "\""), UInt8(ascii: "\\"), UInt8(ascii: "/"): out.append(escape)
                case UInt8(ascii: "b"): out.append(0x08)
                case UInt8(ascii: "f"): out.append(0x0C)
                case UInt8(ascii: "n"): out.append(0x0A)
                case UInt8(ascii: "r"): out.append(0x0D)
                case UInt8(ascii: "t"): out.append(0x09)
                case UInt8(ascii: "u"):
                    var scalar = try hex4()
                    if (0xD800..<0xDC00).contains(scalar) {
                        guard index + 1 < bytes.count, bytes[index] == UInt8(ascii: "\\"),
                            bytes[index + 1] == UInt8(ascii: "u")
                        else { throw fail("a lone surrogate in a string") }
                        index += 2
                        let low = try hex4()
                        guard (0xDC00..<0xE000).contains(low) else { throw fail("a lone surrogate in a string") }
                        scalar = 0x10000 + ((scalar - 0xD800) << 10) + (low - 0xDC00)
                    } else if (0xDC00..<0xE000).contains(scalar) {
                        throw fail("a lone surrogate in a string")
                    }
                    guard let unicode = Unicode.Scalar(scalar) else { throw fail("an invalid \\u escape") }
                    out += Array(String(Character(unicode)).utf8)
                default: throw fail("an invalid escape in a string")
                }
            default:
                if byte < 0x20 { throw fail("a control character inside a string") }
                out.append(byte)
            }
        }
        throw fail("a string does not end", at: start)
    }

    mutating func hex4() throws -> UInt32 {
        guard index + 4 <= bytes.count else { throw fail("an invalid \\u escape") }
        var value: UInt32 = 0
        for _ in 0..<4 {
            let byte = bytes[index]
            let digit: UInt32
            switch byte {
            case 0x30...0x39: digit = UInt32(byte - 0x30)
            case 0x41...0x46: digit = UInt32(byte - 0x41 + 10)
            case 0x61...0x66: digit = UInt32(byte - 0x61 + 10)
            default: throw fail("an invalid \\u escape")
            }
            value = value << 4 | digit
            index += 1
        }
        return value
    }

    /// A whole number (no fraction, no exponent) that fits 64 bits.
    mutating func integer() throws -> Int64 {
        let text = try numberText()
        guard let value = Int64(text) else { throw fail("expected a whole number, found \(text.prefix(40))") }
        return value
    }

    /// A finite number.
    mutating func double() throws -> Double {
        let text = try numberText()
        guard let value = Double(text), value.isFinite else { throw fail("\(text.prefix(40)) is not a finite number") }
        return value
    }

    /// The text of a JSON number (RFC 8259 grammar).
    mutating func numberText() throws -> Substring {
        scanner.skipSpace()
        let start = index
        guard scanner.number() else { throw fail("expected a number", at: start) }
        return Substring(String(decoding: UnsafeBufferPointer(rebasing: bytes[start..<index]), as: UTF8.self))
    }

    func peek(_ byte: UInt8) -> Bool { index < bytes.count && bytes[index] == byte }

    mutating func expect(_ character: Unicode.Scalar) throws {
        scanner.skipSpace()
        guard peek(UInt8(ascii: character)) else {
            throw fail(index < bytes.count ? "expected '\(character)'" : "the body ends early, expected '\(character)'")
        }
        index += 1
    }

    func fail(_ reason: String, at offset: Int? = nil) -> Failure { Failure(offset: offset ?? index, reason: reason) }
}
