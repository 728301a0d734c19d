import Foundation
import Testing

@testable import TaktSync

/// The batch body central reads in one pass: the same batches as Foundation's JSON coders, in both payload
/// formats, never laxer, and a clear refusal (never a crash) for hostile bodies.
@Suite struct BatchBodyTests {
    let now = Date(timeIntervalSince1970: 1_795_000_000)

    static let payloads = [
        #"{"check":"site.chill","value":3.5,"at":"2026-11-25T10:00:00Z","recordedBy":"amara"}"#,
        #"{ "spaced" : [ 1 , 2 ] }"#, #"[]"#, #"{}"#,
        #"{"text":"quote \" slash \\ \/ \b\f\n\r\t \u00e9 é 日本 \ud83d\ude00"}"#,
        #"{"n":0,"m":-0.0,"e":1E+2,"f":2e-3,"t":true,"u":null}"#,
    ]

    func batch(_ payloads: [String], first: Int64 = 1) -> Batch {
        let records = payloads.enumerated().map { offset, payload in
            WireRecord(
                seq: first + Int64(offset), kind: offset % 2 == 0 ? "check_reading" : "finding",
                class: offset % 2 == 0 ? "fact" : "state", key: "k\"\\\u{7}\(offset) é",
                payload: payload, createdAt: now.addingTimeInterval(-Double(offset) - 0.25))
        }
        return Batch(
            site: "leeds", epoch: "E-1", first: first, last: first + Int64(max(payloads.count, 1)) - 1,
            records: records, configVersion: 3, sentAt: now)
    }

    func read(_ body: Data, site: String = "leeds") -> BatchBody.Reading {
        BatchBody.read(body, site: site, now: now)
    }

    @Test func bothFormatsReadBackToTheSameBatchAsFoundationsCoders() throws {
        let batch = batch(Self.payloads)
        for format in BatchBody.Format.allCases {
            let body = try BatchBody.encode(batch, format: format)
            guard case .batch(let back) = read(body) else { Issue.record("\(format): \(read(body))"); continue }
            #expect(back == batch, "\(format)")
        }
        // Format 1 is what every central before formats reads, and what every site before them sends.
        let quoted = try BatchBody.encode(batch, format: .quoted)
        #expect(try WireJSON.decoder().decode(Batch.self, from: quoted) == batch)
        guard case .batch(let old) = read(try WireJSON.encoder().encode(batch)) else {
            Issue.record("a body from JSONEncoder was not read")
            return
        }
        #expect(old == batch)
        guard case .batch(let empty) = read(try BatchBody.encode(self.batch([]), format: .raw)) else {
            Issue.record("an empty batch was not read")
            return
        }
        #expect(empty.records.isEmpty)
    }

    @Test func aRawPayloadIsKeptByteForByteAndItsTimesAreJudged() throws {
        let body = try BatchBody.encode(batch([#"{ "a" :  [1,2] , "b":"x" }"#]), format: .raw)
        #expect(String(decoding: body, as: UTF8.self).contains(#""payload":{ "a" :  [1,2] , "b":"x" }"#))
        guard case .batch(let kept) = read(body) else { Issue.record("not read"); return }
        #expect(kept.records.first?.payload == #"{ "a" :  [1,2] , "b":"x" }"#)
        let future = try BatchBody.encode(batch([#"{"rows":[{"start":"9999-01-01T00:00:00Z"}]}"#]), format: .raw)
        guard case .refused(let why) = read(future) else { Issue.record("a year-9999 time was stored"); return }
        #expect(why.contains("record 1") && why.contains("9999-01-01"))
    }

    /// A damaged row travels quoted even in the raw format, so central names the record and the rest goes on.
    @Test func aPayloadThatIsNotJSONIsSentQuotedAndRefusedByRecord() throws {
        let body = try BatchBody.encode(batch([#"{"a":1}"#, "{not json"]), format: .raw)
        #expect(String(decoding: body, as: UTF8.self).contains(#""payload":"{not json""#))
        guard case .refused(let why) = read(body) else { Issue.record("\(read(body))"); return }
        #expect(why == "record 2: the payload is not JSON")
    }

    @Test func hostileBodiesAreRefusedSayingWhatAndWhere() throws {
        let good = String(decoding: try BatchBody.encode(batch([#"{"a":1}"#]), format: .raw), as: UTF8.self)
        let cases: [(String, String)] = [
            ("", "byte 0"), ("[]", "expected '{'"), ("{}", "it has no 'site'"), (good + "x", "more after"),
            (good.replacingOccurrences(of: #""seq":1"#, with: #""seq":1.5"#), "whole number"),
            (good.replacingOccurrences(of: #""seq":1"#, with: #""seq":99999999999999999999"#), "whole number"),
            (good.replacingOccurrences(of: #""sentAt":"#, with: #""sentAt":1e999,"x":"#), "not a finite number"),
            (good.replacingOccurrences(of: #""site":"leeds""#, with: #""site":"leeds","site":"leeds""#), "twice"),
            (good.replacingOccurrences(of: #""epoch":"E-1""#, with: #""epoch":"\ud800""#), "lone surrogate"),
            (good.replacingOccurrences(of: #""payload":{"a":1}"#, with: #""payload":{"a":1"#), "byte"),
            (good.replacingOccurrences(of: #""payload":{"a":1}"#, with: #""payload":17"#), "neither a string"),
            (good.replacingOccurrences(of: #","seq":1"#, with: ""), "a record lacks"),
            (
                good.replacingOccurrences(
                    of: #""payload":{"a":1}"#,
                    with: #""payload":"# + String(repeating: "[", count: 100_000)
                        + String(repeating: "]", count: 100_000)),
                "neither a string"
            ),
        ]
        for (body, expected) in cases {
            guard case .unreadable(let why) = read(Data(body.utf8)) else {
                Issue.record("read: \(body.prefix(200))")
                continue
            }
            #expect(why.hasPrefix("the body is not a batch: byte "), "\(why)")
            #expect(why.contains(expected), "\(why) should say \(expected)")
        }
        // Bytes that are not UTF-8, inside a string and inside a raw payload.
        var bytes = Array(good.utf8)
        let at = bytes.firstIndex(of: UInt8(ascii: "E"))!
        bytes[at] = 0xFF
        guard case .unreadable(let why) = read(Data(bytes)) else { Issue.record("invalid UTF-8 read"); return }
        #expect(why.contains("not valid UTF-8"))
        // A NUL in a key (an escape is enough) is refused by record, in either format: PostgreSQL cannot store it.
        for format in BatchBody.Format.allCases {
            var nul = batch([#"{"a":1}"#])
            nul.records[0].key = "lot\u{0}1"
            guard case .refused(let why) = read(try BatchBody.encode(nul, format: format)) else {
                Issue.record("\(format): a NUL key was stored")
                continue
            }
            #expect(why == "record 1: kind or key holds a NUL character")
        }
        // Another site's batch is refused like any batch that cannot be stored.
        guard case .refused(let other) = read(Data(good.utf8), site: "penang") else { Issue.record("stored"); return }
        #expect(other.contains("sent to 'penang'"))
    }

    /// Random cuts and changed bytes of real bodies: whatever the reader accepts, Foundation's decoder decodes to
    /// the same batch (format 1) or is valid JSON (format 2); the reader never crashes and is never laxer.
    @Test func mutatedBodiesAreNeverReadLaxerThanFoundation() throws {
        var generator = SystemRandomNumberGenerator()
        let alphabet = Array(#"{}[]",:0123456789-+.eEtrufalsn "\/xu"#.utf8)
        let bodies = try BatchBody.Format.allCases.map {
            ($0, Array(try BatchBody.encode(batch(Array(Self.payloads.prefix(3))), format: $0)))
        }
        var accepted = 0
        for _ in 0..<4_000 {
            let (format, original) = bodies.randomElement(using: &generator)!
            var bytes = original
            for _ in 0..<Int.random(in: 1...2, using: &generator) {
                let at = Int.random(in: 0..<bytes.count, using: &generator)
                switch Int.random(in: 0..<3, using: &generator) {
                case 0: bytes.remove(at: at)
                case 1: bytes[at] = alphabet.randomElement(using: &generator)!
                default: bytes.insert(alphabet.randomElement(using: &generator)!, at: at)
                }
            }
            let body = Data(bytes)
            guard case .batch(let back) = read(body) else { continue }
            accepted += 1
            #expect((try? JSONSerialization.jsonObject(with: body)) != nil, "\(String(decoding: body, as: UTF8.self))")
            if format == .quoted {
                #expect(
                    (try? WireJSON.decoder().decode(Batch.self, from: body)) == back,
                    "\(String(decoding: body, as: UTF8.self))")
            }
        }
        #expect(accepted > 0)
    }

    @Test func aSiteSendsRawOnlyToACentralThatSaysItReadsIt() {
        #expect(BatchBody.Format(advertised: nil) == .quoted)
        #expect(BatchBody.Format(advertised: 1) == .quoted)
        #expect(BatchBody.Format(advertised: 2) == .raw)
        #expect(BatchBody.Format(advertised: 7) == .raw)
        // A cursor reply from a central before formats has no `batchFormat`.
        let old = #"{"site":"leeds","epoch":"E","acknowledged":4,"serverTime":1795000000}"#
        #expect((try? WireJSON.decoder().decode(CursorReply.self, from: Data(old.utf8)))?.batchFormat == nil)
    }
}
