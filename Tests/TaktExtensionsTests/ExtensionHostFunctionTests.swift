import Foundation
import Testing
import WAT

@testable import TaktCore
@testable import TaktExtensions

/// The host functions (`takt.*`): what a module reads about the reading it judges (its lot, person, product, the
/// lot's age, the earlier readings, its text settings), and what happens when it asks badly.
@Suite struct ExtensionHostFunctionTests {
    static let imports = """
        (import "takt" "lot" (func $lot (param i32 i32) (result i32)))
        (import "takt" "person" (func $person (param i32 i32) (result i32)))
        (import "takt" "product" (func $product (param i32 i32) (result i32)))
        (import "takt" "setting_text" (func $text (param i32 i32 i32) (result i32)))
        (import "takt" "history_count" (func $count (result i32)))
        (import "takt" "history_value" (func $value (param i32) (result f64)))
        (import "takt" "history_at" (func $when (param i32) (result i64)))
        (import "takt" "lot_made_at" (func $made (result i64)))
        """

    /// A text function's answer as a number: its length × 1000 + its first byte (or -1 when there is none).
    static func code(_ call: String, _ buffer: Int) -> String {
        """
        (f64.convert_i32_s (if (result i32) (i32.lt_s (local.tee $n \(call)) (i32.const 0))
          (then (i32.const -1))
          (else (i32.add (i32.mul (local.get $n) (i32.const 1000)) (i32.load8_u (i32.const \(buffer)))))))
        """
    }

    /// Two findings: [lot, person, history count, last earlier value] and [product, text setting 0, lot age in
    /// hours, minutes since the last earlier reading].
    static let judge = """
        (local $n i32) (local $last i32)
        (local.set $last (i32.sub (call $count) (i32.const 1)))
        (i32.store (i32.const 4096) (i32.const 0)) (i32.store (i32.const 4100) (i32.const 1))
        (i32.store (i32.const 4104) (i32.const 0))
        (f64.store (i32.const 4112) \(code("(call $lot (i32.const 8192) (i32.const 64))", 8192)))
        (f64.store (i32.const 4120) \(code("(call $person (i32.const 8256) (i32.const 64))", 8256)))
        (f64.store (i32.const 4128) (f64.convert_i32_s (call $count)))
        (f64.store (i32.const 4136) (if (result f64) (i32.ge_s (local.get $last) (i32.const 0))
          (then (call $value (local.get $last))) (else (f64.const -1))))
        (i32.store (i32.const 4144) (i32.const 0)) (i32.store (i32.const 4148) (i32.const 1))
        (i32.store (i32.const 4152) (i32.const 0))
        (f64.store (i32.const 4160) \(code("(call $product (i32.const 8320) (i32.const 64))", 8320)))
        (f64.store (i32.const 4168) \(code("(call $text (i32.const 0) (i32.const 8384) (i32.const 64))", 8384)))
        (f64.store (i32.const 4176) (if (result f64) (i64.eqz (call $made)) (then (f64.const -1))
          (else (f64.div (f64.convert_i64_s (i64.sub (local.get $at) (call $made))) (f64.const 3600)))))
        (f64.store (i32.const 4184) (if (result f64) (i32.ge_s (local.get $last) (i32.const 0))
          (then (f64.div (f64.convert_i64_s (i64.sub (local.get $at) (call $when (local.get $last)))) (f64.const 60)))
          (else (f64.const -1))))
        (i32.const 2)
        """

    static func module(judge: String = judge, imports: String = imports) -> String {
        ExtensionRuntimeTests.module(judge: judge, imports: imports, config: #"{"family":"rye","max":5}"#)
    }

    @Test func aModuleReadsTheLotThePersonTheHistoryAndItsTextSettings() throws {
        let runtime = try ExtensionRuntimeTests.load(Self.module(), config: ["family": "white"])
        #expect(runtime.manifest.textOrder == ["family"] && runtime.manifest.configOrder == ["max"])
        let at = Date(timeIntervalSince1970: 1_800_000_000)
        let event = ExtensionEvent(
            lot: "P-7", person: "ada", product: "rye-loaf", lotMadeAt: at.addingTimeInterval(-5 * 3600),
            history: [
                .init(value: 3, at: at.addingTimeInterval(-7200)), .init(value: 4.5, at: at.addingTimeInterval(-900)),
            ])
        let results = try runtime.judge(check: 0, value: 1, at: at, minute: 600, weekday: 2, event: event)
        #expect(results.count == 2)
        #expect(results[0].arguments == [3080, 3097, 2, 4.5])  // "P-7" (P = 80), "ada" (a = 97), 2 earlier, 4.5
        #expect(results[1].arguments == [8114, 5119, 5, 15])  // "rye-loaf", "white" (w = 119), 5 h old, 15 min
        // No lot, no person, no history: -1 for each, never a stale answer from the call before.
        let bare = try runtime.judge(check: 0, value: 1, at: at, minute: 600, weekday: 2)
        #expect(bare[0].arguments == [-1, -1, 0, -1] && bare[1].arguments == [-1, 5119, -1, -1])
    }

    @Test func textSettingsKeepTheirKindInSiteYAML() throws {
        func refusal(_ config: [String: ExtensionSetting]) -> String {
            do {
                _ = try ExtensionRuntimeTests.load(Self.module(), config: config)
                return "accepted"
            } catch { return "\(error)" }
        }
        #expect(refusal(["family": 3]).contains("sets 'family' to the number 3.0; it takes a text"))
        #expect(refusal(["max": "six"]).contains("sets 'max' to the text 'six'; it takes a number"))
        #expect(refusal(["family": .text(String(repeating: "x", count: 2000))]).contains("longer than 1024 bytes"))
        #expect(refusal(["colour": "red"]).contains("does not declare (it has: family, max)"))
        #expect(refusal(["family": "spelt"]) == "accepted")
    }

    @Test func aWrongSignatureOrAnUnknownHostFunctionIsRefusedAtLoad() throws {
        func refusal(_ imports: String) -> String {
            do {
                _ = try ExtensionRuntimeTests.load(ExtensionRuntimeTests.module(imports: imports))
                return "accepted"
            } catch { return "\(error)" }
        }
        let wrong = refusal(#"(import "takt" "lot" (func (param i32) (result i32)))"#)
        #expect(wrong.contains("extension test.max: imports takt.lot with the wrong signature"), "\(wrong)")
        #expect(
            refusal(#"(import "takt" "open_file" (func (param i32) (result i32)))"#).contains(
                "imports takt.open_file, which Takt does not provide"))
        #expect(refusal(#"(import "takt" "lot" (memory 1))"#).contains("imports takt.lot, which Takt does not provide"))
    }

    @Test func aBadBufferOrAMissingEarlierReadingStopsOnlyThatCall() throws {
        let outside = try ExtensionRuntimeTests.load(
            ExtensionRuntimeTests.module(
                judge: "(drop (call $lot (i32.const 65530) (i32.const 64))) (i32.const 0)", imports: Self.imports))
        do {
            _ = try outside.judge(check: 0, value: 1, at: Date(), minute: 0, weekday: 0, event: .init(lot: "LOT-0001"))
            Issue.record("a buffer outside memory was written")
        } catch { #expect("\(error)".contains("outside its memory"), "\(error)") }
        // A text that fits is copied; one that does not is cut at the capacity, its whole length returned.
        #expect(
            try outside.judge(check: 0, value: 1, at: Date(), minute: 0, weekday: 0, event: .init(lot: "P")).isEmpty)
        let beyond = try ExtensionRuntimeTests.load(
            ExtensionRuntimeTests.module(
                judge: "(drop (call $value (i32.const 3))) (i32.const 0)", imports: Self.imports))
        do {
            _ = try beyond.judge(check: 0, value: 1, at: Date(), minute: 0, weekday: 0)
            Issue.record("a missing earlier reading was answered")
        } catch { #expect("\(error)".contains("earlier reading 3 of 0"), "\(error)") }
    }
}
