import Crypto
import Foundation
import Testing
import WAT

@testable import TaktCore
@testable import TaktExtensions

/// The runtime under hostile modules: each refused at load or contained in its call, never a crash or a hang.
@Suite struct ExtensionRuntimeTests {
    /// A module speaking ABI 1: judges check 0; a value above the setting `max` is a major finding (message 0,
    /// with the value and the limit), holding the lot. `body` replaces the judge's body to make it misbehave.
    static func module(
        abi: Int = 1, manifestABI: Int = 1, judge: String? = nil, imports: String = "",
        memory: String = "(memory (export \"memory\") 1 4)",
        exports: String = "", config: String = #"{"max":5}"#
    ) -> String {
        let manifest =
            #"{"id":"test.max","version":"1.2.0","abi":\#(manifestABI),"slots":["check"],"checks":["site.probe"],"messages":[{"en":"{0} is above {1}","es":"{0} supera {1}","action":"Hold it"}],"config":\#(config),"tests":[{"check":"site.probe","value":9,"expect":[{"message":0,"severity":"major"}]},{"check":"site.probe","value":2,"expect":[]}]}"#
        let escaped = manifest.replacingOccurrences(of: "\"", with: "\\\"")
        let length = manifest.utf8.count
        let defaultJudge = """
            (if (f64.gt (local.get $value) (global.get $max))
              (then
                (i32.store (i32.const 4096) (i32.const 0))
                (i32.store (i32.const 4100) (i32.const 3))
                (i32.store (i32.const 4104) (i32.const 1))
                (f64.store (i32.const 4112) (local.get $value))
                (f64.store (i32.const 4120) (global.get $max))
                (return (i32.const 1))))
            (i32.const 0)
            """
        return """
            (module
              \(imports)
              \(memory)
              (global $max (mut f64) (f64.const 0))
              (data (i32.const 1024) "\(escaped)")
              (func (export "takt_abi") (result i32) (i32.const \(abi)))
              (func (export "takt_manifest") (result i64)
                (i64.or (i64.shl (i64.const 1024) (i64.const 32)) (i64.const \(length))))
              (func (export "takt_configure") (param $index i32) (param $value f64)
                (if (i32.eqz (local.get $index)) (then (global.set $max (local.get $value)))))
              (func (export "takt_judge") (param $check i32) (param $value f64) (param $at i64) (param $minute i32)
                (param $weekday i32) (result i32)
                \(judge ?? defaultJudge))
              (func (export "takt_results") (result i32) (i32.const 4096))
              \(exports)
            )
            """
    }

    /// A module with `manifest` and the ABI's common exports (no settings kept), plus `functions` for its slot.
    static func slotModule(manifest: String, functions: String) -> String {
        """
        (module
          (memory (export "memory") 1)
          (data (i32.const 1024) "\(manifest.replacingOccurrences(of: "\"", with: "\\\""))")
          (func (export "takt_abi") (result i32) (i32.const 1))
          (func (export "takt_manifest") (result i64)
            (i64.or (i64.shl (i64.const 1024) (i64.const 32)) (i64.const \(manifest.utf8.count))))
          (func (export "takt_configure") (param i32) (param f64))
          \(functions)
        )
        """
    }

    /// Assembles `wat` into `file`; its SHA-256.
    static func write(_ wat: String, to file: URL) throws -> String {
        let bytes = Data(try wat2wasm(wat))
        try bytes.write(to: file)
        return SHA256.hash(data: bytes).map { String(format: "%02x", $0) }.joined()
    }

    static func load(
        _ text: String, limits: ExtensionRuntime.Limits = .init(), config: [String: ExtensionSetting] = [:]
    )
        throws -> ExtensionRuntime
    {
        try ExtensionRuntime(name: "test.max", bytes: try wat2wasm(text), limits: limits, config: config)
    }

    @Test func aGoodModuleJudgesAReadingAndDescribesItself() throws {
        let runtime = try Self.load(Self.module(), config: ["max": 7])
        #expect(runtime.manifest.id == "test.max" && runtime.manifest.version == "1.2.0")
        #expect(runtime.sha256.count == 64)
        let found = try runtime.judge(check: 0, value: 9, at: Date(), minute: 600, weekday: 4)
        #expect(
            found == [
                .init(message: 0, severity: .major, holdLot: true, blockWorkCentre: false, arguments: [9, 7, 0, 0])
            ])
        #expect(try runtime.judge(check: 0, value: 6.5, at: Date(), minute: 600, weekday: 4).isEmpty)
        #expect(throws: ExtensionError.self) { try Self.load(Self.module(), config: ["maximum": 7]) }
    }

    /// Two readings judged at once each get their own findings: a call and the read of its results are one step.
    @Test func readingsJudgedAtOnceGetTheirOwnFindings() throws {
        let runtime = try Self.load(Self.module())
        let wrong = NSLock()
        nonisolated(unsafe) var mismatches = 0
        DispatchQueue.concurrentPerform(iterations: 400) { index in
            let value = Double(6 + index % 50)
            let found = (try? runtime.judge(check: 0, value: value, at: Date(), minute: 0, weekday: 0)) ?? []
            if found.first?.arguments.first != value {
                wrong.lock()
                mismatches += 1
                wrong.unlock()
            }
        }
        #expect(mismatches == 0)
    }

    @Test func hostileModulesAreRefusedAtLoadNamingTheExtension() throws {
        func refusal(_ build: () throws -> ExtensionRuntime) -> String {
            do {
                _ = try build()
                return "accepted"
            } catch { return "\(error)" }
        }
        #expect(
            refusal { try ExtensionRuntime(name: "junk", bytes: Array("not wasm".utf8)) }.contains(
                "junk: not a WebAssembly module"))
        #expect(refusal { try Self.load(Self.module(abi: 2)) }.contains("ABI version 2"))
        #expect(refusal { try Self.load(Self.module(manifestABI: 3)) }.contains("ABI version 3"))
        let wasi = Self.module(
            imports: #"(import "wasi_snapshot_preview1" "fd_write" (func (param i32 i32 i32 i32) (result i32)))"#)
        #expect(refusal { try Self.load(wasi) }.contains("imports wasi_snapshot_preview1.fd_write"))
        let noResults = Self.module().replacingOccurrences(of: #"(export "takt_results")"#, with: "")
        #expect(refusal { try Self.load(noResults) }.contains("does not export takt_results"))
    }

    @Test func aRunawayLoopATrapAndAMemoryGrabAreContainedInTheirCall() throws {
        let loop = try Self.load(
            Self.module(judge: "(loop $forever (br $forever)) (i32.const 0)"), limits: .init(fuel: 100_000))
        #expect(throws: ExtensionError.self) { try loop.judge(check: 0, value: 1, at: Date(), minute: 0, weekday: 0) }
        do { _ = try loop.judge(check: 0, value: 1, at: Date(), minute: 0, weekday: 0) } catch {
            #expect("\(error)".contains("ran out of fuel"), "\(error)")
        }
        let trap = try Self.load(Self.module(judge: "(unreachable)"))
        do {
            _ = try trap.judge(check: 0, value: 1, at: Date(), minute: 0, weekday: 0)
            Issue.record("no trap")
        } catch { #expect("\(error)".contains("trapped"), "\(error)") }
        let greedy = try Self.load(
            Self.module(
                judge: "(drop (memory.grow (i32.const 100))) (i32.load (i32.const 200000)) (drop) (i32.const 0)",
                memory: #"(memory (export "memory") 1)"#),
            limits: .init(memoryPages: 2))
        do {
            _ = try greedy.judge(check: 0, value: 1, at: Date(), minute: 0, weekday: 0)
            Issue.record("the memory grab was allowed")
        } catch { #expect("\(error)".contains("grow its memory past 2 pages"), "\(error)") }
        // Each call starts clean: the good path still works after a contained failure.
        let flaky = try Self.load(Self.module())
        #expect(try flaky.judge(check: 0, value: 9, at: Date(), minute: 0, weekday: 0).count == 1)
        let liar = try Self.load(Self.module(judge: "(i32.const 99)"))
        #expect(throws: ExtensionError.self) { try liar.judge(check: 0, value: 1, at: Date(), minute: 0, weekday: 0) }
    }
}
