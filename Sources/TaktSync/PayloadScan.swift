import Foundation

/// Checks a record's payload at ingest in one pass over its UTF-8 bytes: that it is JSON (an object or an array
/// at the top, nested at most `maximumDepth` deep), and that no string in it is an implausible date-time
/// (`PayloadTimes`). It builds no objects: `JSONSerialization` did the same check by building every value of
/// every payload, a tenth of central's ingest time.
enum PayloadScan {
    static let maximumDepth = 512

    enum Problem: Equatable, Sendable {
        case notJSON
        case implausibleTime(String)
    }

    /// The payload's first problem, or nil.
    static func problem(in payload: String, now: Date) -> Problem? {
        var payload = payload
        return payload.withUTF8 { bytes in
            var scanner = Scanner(bytes: bytes, now: now)
            return scanner.scan()
        }
    }

    /// Whether `payload` is one JSON object or array (its times are not judged): what may travel `raw`.
    static func isContainer(_ payload: String) -> Bool {
        var payload = payload
        return payload.withUTF8 { bytes in
            var scanner = Scanner(bytes: bytes, now: Date.distantFuture)
            scanner.judgesTimes = false
            return scanner.scan() == nil
        }
    }

    struct Scanner {
        let bytes: UnsafeBufferPointer<UInt8>
        let now: Date
        lazy var nowYear = Calendar(identifier: .gregorian).component(.year, from: now)
        var index = 0

        init(bytes: UnsafeBufferPointer<UInt8>, now: Date) {
            self.bytes = bytes
            self.now = now
        }

        /// What is open: `{` or `[`, innermost last.
        var open: [UInt8] = []

        /// Whether string values are judged as times (a payload's), or only checked (a batch's own fields).
        var judgesTimes = true

        /// The whole buffer is one object or array, with nothing but white space around it.
        mutating func scan() -> Problem? {
            if let problem = container() { return problem }
            skipSpace()
            return index == bytes.count ? nil : .notJSON
        }

        /// One object or array from `index` (after any white space); `index` is left just after it.
        mutating func container() -> Problem? {
            skipSpace()
            guard index < bytes.count, bytes[index] == UInt8(ascii: "{") || bytes[index] == UInt8(ascii: "[") else {
                return .notJSON
            }
            return value()
        }

        /// One JSON value of any kind from `index`; `index` is left just after it. The first problem wins, but a
        /// value with an implausible time is still read to its end, so a caller can go on after it.
        mutating func value() -> Problem? {
            var found: Problem?
            while true {
                // A value.
                skipSpace()
                guard index < bytes.count else { return .notJSON }
                switch bytes[index] {
                case UInt8(ascii: "{"), UInt8(ascii: "["):
                    guard open.count < PayloadScan.maximumDepth else { return .notJSON }
                    let opener = bytes[index]
                    open.append(opener)
                    index += 1
                    skipSpace()
                    guard index < bytes.count else { return .notJSON }
                    if bytes[index] == (opener == UInt8(ascii: "{") ? UInt8(ascii: "}") : UInt8(ascii: "]")) {
                        index += 1
                        open.removeLast()
                        break
                    }
                    if opener == UInt8(ascii: "{") {
                        if let problem = key() { return problem }
                    }
                    continue
                case UInt8(ascii: "\""):
                    switch string() {
                    case .failure: return .notJSON
                    case .success(let text):
                        if found == nil, let text, PayloadTimes.implausible(text, now: now, nowYear: nowYear) {
                            found = .implausibleTime(text)
                        }
                    }
                case UInt8(ascii: "t"): if !literal("true") { return .notJSON }
                case UInt8(ascii: "f"): if !literal("false") { return .notJSON }
                case UInt8(ascii: "n"): if !literal("null") { return .notJSON }
                default: if !number() { return .notJSON }
                }
                // After a value: a comma, or the end of what is open.
                while true {
                    guard let innermost = open.last else { return found }
                    skipSpace()
                    guard index < bytes.count else { return .notJSON }
                    let byte = bytes[index]
                    if byte == UInt8(ascii: ",") {
                        index += 1
                        if innermost == UInt8(ascii: "{"), let problem = key() { return problem }
                        break
                    }
                    let closer = innermost == UInt8(ascii: "{") ? UInt8(ascii: "}") : UInt8(ascii: "]")
                    guard byte == closer else { return .notJSON }
                    index += 1
                    open.removeLast()
                }
            }
        }

        /// `"key" :` inside an object.
        mutating func key() -> Problem? {
            skipSpace()
            guard index < bytes.count, bytes[index] == UInt8(ascii: "\""), case .success = string(keep: false) else {
                return .notJSON
            }
            skipSpace()
            guard index < bytes.count, bytes[index] == UInt8(ascii: ":") else { return .notJSON }
            index += 1
            return nil
        }

        mutating func skipSpace() {
            while index < bytes.count,
                bytes[index] == 0x20 || bytes[index] == 0x0A || bytes[index] == 0x0D || bytes[index] == 0x09
            {
                index += 1
            }
        }

        /// A string from its opening quote; its text when it may be a time (`keep`), decoding escapes.
        mutating func string(keep: Bool = true) -> Result<String?, ScanError> {
            index += 1
            let start = index
            var escaped = false
            while index < bytes.count {
                let byte = bytes[index]
                if byte == UInt8(ascii: "\"") {
                    let raw = UnsafeBufferPointer(rebasing: bytes[start..<index])
                    index += 1
                    guard keep else { return .success(nil) }
                    // Only a string that starts like a date-time (digits, a sign) can be one.
                    guard judgesTimes, let first = raw.first,
                        escaped || (first >= 0x30 && first <= 0x39) || first == 0x2B || first == 0x2D
                    else { return .success(nil) }
                    if !escaped { return .success(String(decoding: raw, as: UTF8.self)) }
                    let literal = "\"" + String(decoding: raw, as: UTF8.self) + "\""
                    return .success(try? JSONDecoder().decode(String.self, from: Data(literal.utf8)))
                }
                if byte < 0x20 { return .failure(ScanError()) }
                if byte == UInt8(ascii: "\\") {
                    escaped = true
                    index += 1
                    guard index < bytes.count else { return .failure(ScanError()) }
                    switch bytes[index] {
                    case UInt8(ascii: "\""), UInt8(ascii: "\\"), UInt8(ascii: "/"), UInt8(ascii: "b"),
                        UInt8(ascii: "f"),
                        UInt8(ascii: "n"), UInt8(ascii: "r"), UInt8(ascii: "t"):
                        break
                    case UInt8(ascii: "u"):
                        guard index + 4 < bytes.count,
                            bytes[(index + 1)...(index + 4)].allSatisfy({ Self.isHex($0) })
                        else { return .failure(ScanError()) }
                        index += 4
                    default: return .failure(ScanError())
                    }
                }
                index += 1
            }
            return .failure(ScanError())
        }

        static func isHex(_ byte: UInt8) -> Bool {
            (byte >= 0x30 && byte <= 0x39) || (byte >= 0x41 && byte <= 0x46) || (byte >= 0x61 && byte <= 0x66)
        }

        mutating func literal(_ word: StaticString) -> Bool {
            let count = word.utf8CodeUnitCount
            guard index + count <= bytes.count else { return false }
            for offset in 0..<count where bytes[index + offset] != word.utf8Start[offset] { return false }
            index += count
            return true
        }

        /// `-? (0 | [1-9][0-9]*) (. [0-9]+)? ([eE] [+-]? [0-9]+)?`
        mutating func number() -> Bool {
            func digits() -> Int {
                let start = index
                while index < bytes.count, bytes[index] >= 0x30, bytes[index] <= 0x39 { index += 1 }
                return index - start
            }
            if index < bytes.count, bytes[index] == UInt8(ascii: "-") { index += 1 }
            guard index < bytes.count else { return false }
            if bytes[index] == UInt8(ascii: "0") {
                index += 1
            } else if digits() == 0 {
                return false
            }
            if index < bytes.count, bytes[index] == UInt8(ascii: ".") {
                index += 1
                guard digits() > 0 else { return false }
            }
            if index < bytes.count, bytes[index] == UInt8(ascii: "e") || bytes[index] == UInt8(ascii: "E") {
                index += 1
                if index < bytes.count, bytes[index] == UInt8(ascii: "+") || bytes[index] == UInt8(ascii: "-") {
                    index += 1
                }
                guard digits() > 0 else { return false }
            }
            return true
        }
    }

    struct ScanError: Error {}
}
