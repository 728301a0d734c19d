import Foundation
import Testing

@testable import TaktSync

/// Central's one-pass payload check agrees with a full JSON parser on what is JSON, and finds the same
/// implausible times inside.
@Suite struct PayloadScanTests {
    let now = Date(timeIntervalSince1970: 1_795_000_000)

    static let valid = [
        #"{}"#, #"[]"#, #" { "a" : [1, -2.5e3, true, false, null, "x"] } "#,
        #"{"check":"site.chill","value":3.5,"at":"2026-11-25T10:00:00Z","recordedBy":"amara"}"#,
        #"[[[[{"deep":[{"a":{}}]}]]]]"#, #"{"text":"quote \" slash \\ \/ \b\f\n\r\t \u00e9 é 日本"}"#,
        #"{"n":0,"m":-0.0,"e":1E+2,"f":2e-3}"#, #"[1,[2,[3]],{"a":[]}]"#,
    ]
    static let invalid = [
        "", " ", "1", #""text""#, "true", "{", "[", "]", "{]", "[}", #"{"a"}"#, #"{"a":}"#, #"{"a":1,}"#, "[1,]",
        "[01]", "[1.]", "[.5]", "[-]", "[1e]", "[+1]", #"{"a":1}}"#, #"{"a":1} x"#, "[tru]", "[nul]", "[True]",
        "{\"a\":\"line\nbreak\"}", #"{"a":"\x"}"#, #"{"a":"\u12"}"#, #"{a:1}"#, "['a']", #"{"a" 1}"#, "[1 2]",
        #"{"a":"unterminated}"#,
    ]

    @Test func whatIsJSONAgreesWithAParser() {
        for text in Self.valid {
            #expect(PayloadScan.problem(in: text, now: now) == nil, "\(text)")
            #expect((try? JSONSerialization.jsonObject(with: Data(text.utf8))) != nil, "\(text)")
        }
        for text in Self.invalid {
            #expect(PayloadScan.problem(in: text, now: now) == .notJSON, "\(text)")
        }
        // Deeper than 512 is refused, not recursed into.
        let deep = String(repeating: "[", count: 600) + String(repeating: "]", count: 600)
        #expect(PayloadScan.problem(in: deep, now: now) == .notJSON)
    }

    /// Random cuts and changed bytes of valid payloads: the scanner and the parser agree on every one — except a
    /// trailing comma (`[1,]`), which Foundation's parser lets through and RFC 8259 (and the scanner) do not.
    @Test func mutatedPayloadsAreJudgedLikeTheParserJudgesThem() {
        var generator = SystemRandomNumberGenerator()
        let alphabet = Array(#"{}[]",:0123456789-+.eEtrufalsn "\/xu"#.utf8)
        for _ in 0..<5_000 {
            var bytes = Array(Self.valid.randomElement(using: &generator)!.utf8)
            switch Int.random(in: 0..<3, using: &generator) {
            case 0 where !bytes.isEmpty: bytes.removeSubrange(Int.random(in: 0..<bytes.count, using: &generator)...)
            case 1 where !bytes.isEmpty:
                bytes[Int.random(in: 0..<bytes.count, using: &generator)] = alphabet.randomElement(using: &generator)!
            default:
                bytes.insert(
                    alphabet.randomElement(using: &generator)!, at: Int.random(in: 0...bytes.count, using: &generator))
            }
            let text = String(decoding: bytes, as: UTF8.self)
            if text.replacingOccurrences(of: " ", with: "").range(of: #",[\]\}]"#, options: .regularExpression) != nil {
                #expect(PayloadScan.problem(in: text, now: now) == .notJSON, "\(text)")
                continue
            }
            let parsed = (try? JSONSerialization.jsonObject(with: Data(text.utf8))) != nil
            #expect((PayloadScan.problem(in: text, now: now) != .notJSON) == parsed, "\(text)")
        }
    }

    @Test func implausibleTimesAreFoundWhereverTheyAre() {
        #expect(
            PayloadScan.problem(in: #"{"rows":[{"start":"9999-01-01T00:00:00Z"}]}"#, now: now)
                == .implausibleTime("9999-01-01T00:00:00Z"))
        #expect(
            PayloadScan.problem(in: #"["1999-12-31T23:00:00Z"]"#, now: now) == .implausibleTime("1999-12-31T23:00:00Z"))
        #expect(PayloadScan.problem(in: #"{"at":"2026-11-25T10:00:00.250Z"}"#, now: now) == nil)
        // An escaped time is decoded before it is judged.
        #expect(PayloadScan.problem(in: #"{"at":"\u0039999-01-01T00:00:00Z"}"#, now: now) != nil)
        // A key is not a value.
        #expect(PayloadScan.problem(in: #"{"9999-01-01T00:00:00Z":1}"#, now: now) == nil)
    }
}
