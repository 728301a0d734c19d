import Crypto
import Foundation
import TaktCore
@_spi(Fuzzing) import WasmKit

/// One loaded extension: a WebAssembly module run by WasmKit with an instruction budget (fuel) per call and a
/// memory limit per instance, no WASI and no imports but Takt's host functions (`HostFunctions`). A runaway loop, a trap or a memory grab ends that call with
/// an `ExtensionError`; the instance is made again for the next call, so nothing it did carries over.
///
/// ABI 1 (see docs/extensions.md): exports `memory`, `takt_abi() -> i32` (1), `takt_manifest() -> i64` (pointer
/// << 32 | length of the manifest's JSON), `takt_configure(i32, f64)` (a setting by its index in the sorted
/// names), `takt_judge(check i32, value f64, at i64, minute i32, weekday i32) -> i32` (how many findings) and
/// `takt_results() -> i32` (where they are: 48 bytes each, `message i32, severity i32, flags i32, _ i32,
/// arguments f64 × 4`) for the check slot, and `takt_changeover(from i32, to i32, work_centre i32) -> i32` for the
/// changeover slot.
public final class ExtensionRuntime: @unchecked Sendable {
    /// The ABI version this host speaks.
    public static let abiVersion = 1
    /// At most this many findings from one call.
    public static let maximumFindings = 8

    /// How much one call may use.
    public struct Limits: Hashable, Sendable {
        /// Instructions per call (about one unit per WebAssembly operator).
        public var fuel: UInt64
        /// Linear memory, in 64 KiB pages.
        public var memoryPages: Int

        public init(fuel: UInt64 = 1_000_000, memoryPages: Int = 16) {
            self.fuel = fuel
            self.memoryPages = memoryPages
        }
    }

    /// One finding an extension returned.
    public struct Result: Hashable, Sendable {
        public var message: Int
        public var severity: Severity
        public var holdLot: Bool
        public var blockWorkCentre: Bool
        public var arguments: [Double]
    }

    public let name: String
    public let limits: Limits
    public private(set) var manifest: ExtensionManifest
    public let sha256: String
    private let module: Module
    private let engine: Engine
    private let lock = NSLock()
    private var settings: [Double]
    /// The text settings site.yaml gives (or the defaults), by `textOrder`.
    private var defaultTexts: [String] = []
    /// What the host functions answer; set under the lock before each call.
    private let host: HostFunctions
    private var live: (store: Store, instance: Instance)?

    /// Loads `bytes` as extension `name`: checks that it is WebAssembly, imports nothing, exports the ABI, speaks
    /// ABI 1, and declares a valid manifest; applies `config` (site.yaml's values over the declared defaults).
    public init(name: String, bytes: [UInt8], limits: Limits = Limits(), config: [String: ExtensionSetting] = [:])
        throws(ExtensionError)
    {
        self.name = name
        self.limits = limits
        sha256 = SHA256.hash(data: bytes).map { String(format: "%02x", $0) }.joined()
        do { module = try parseWasm(bytes: bytes) } catch {
            throw .notWebAssembly(extension: name, reason: "\(error)")
        }
        for item in module.imports {
            guard item.module == HostFunctions.module, HostFunctions.names.contains(item.name),
                case .function = item.descriptor
            else { throw .forbiddenImport(extension: name, module: item.module, name: item.name) }
        }
        let exported = Set(module.exports.map(\.name))
        for required in ["memory", "takt_abi", "takt_manifest", "takt_configure"] where !exported.contains(required) {
            throw .missingExport(extension: name, name: required)
        }
        engine = Engine(configuration: EngineConfiguration(fuelMetering: true))
        settings = []
        host = HostFunctions()
        manifest = ExtensionManifest(id: name, version: "", abi: 0, slots: [], checks: [], messages: [])
        let abi = try call { instance in try instance.exports[function: "takt_abi"]!([]) }
        guard let version = abi.first?.i32, Int(Int32(bitPattern: version)) == Self.abiVersion else {
            throw .wrongABI(
                extension: name, found: abi.first.map { Int(Int32(bitPattern: $0.i32)) } ?? -1,
                expected: Self.abiVersion)
        }
        let text = try readManifest()
        let declared: ExtensionManifest
        do { declared = try JSONDecoder().decode(ExtensionManifest.self, from: Data(text.utf8)) } catch {
            throw .badManifest(extension: name, reason: "\(error)")
        }
        if let problem = declared.problem { throw .badManifest(extension: name, reason: problem) }
        guard declared.abi == Self.abiVersion else {
            throw .wrongABI(extension: name, found: declared.abi, expected: Self.abiVersion)
        }
        manifest = declared
        for (key, value) in config.sorted(by: { $0.key < $1.key }) {
            guard let declaredValue = declared.config?[key] else {
                throw .badManifest(
                    extension: name,
                    reason: "site.yaml sets '\(key)', which it does not declare (it has: "
                        + (declared.configOrder + declared.textOrder).sorted().joined(separator: ", ") + ")")
            }
            switch (declaredValue, value) {
            case (.number, .number(let number)) where !number.isFinite:
                throw .badManifest(extension: name, reason: "site.yaml sets '\(key)' to \(number), not a finite number")
            case (.text, .text(let text)) where text.utf8.count > ExtensionSetting.maximumTextBytes:
                throw .badManifest(
                    extension: name,
                    reason: "site.yaml sets '\(key)' to a text longer than \(ExtensionSetting.maximumTextBytes) bytes")
            case (.number, .number), (.text, .text): break
            case (.number, .text(let text)):
                throw .badManifest(
                    extension: name, reason: "site.yaml sets '\(key)' to the text '\(text)'; it takes a number")
            case (.text, .number(let number)):
                throw .badManifest(
                    extension: name,
                    reason: "site.yaml sets '\(key)' to the number \(number); it takes a text (quote it)")
            }
        }
        settings = declared.configOrder.map { config[$0]?.number ?? declared.config?[$0]?.number ?? 0 }
        host.texts = declared.textOrder.map { config[$0]?.text ?? declared.config?[$0]?.text ?? "" }
        defaultTexts = host.texts
        var needed: [String] = []
        if declared.slots.contains(.check) { needed += ["takt_judge", "takt_results"] }
        if declared.slots.contains(.changeover) { needed.append("takt_changeover") }
        if declared.slots.contains(.frequency) { needed.append("takt_frequency") }
        for export in needed where !exported.contains(export) {
            throw .missingExport(extension: name, name: export)
        }
    }

    /// The frequency slot: minutes until check number `check` is due after a reading at local `minute` on
    /// `weekday` (0 = Monday); nil when it is not due then.
    public func frequency(check: Int, minute: Int, weekday: Int) throws(ExtensionError) -> Int? {
        let minutes = try callConfigured(
            "takt_frequency",
            [Value(signed: Int32(check)), Value(signed: Int32(minute)), Value(signed: Int32(weekday))])
        guard minutes <= 31 * 24 * 60 else {
            throw .badResult(extension: name, reason: "a check due every \(minutes) minutes (at most a month)")
        }
        return minutes > 0 ? minutes : nil
    }

    /// The changeover slot: from and to by value index, the work centre by index; minutes needed, nil for none, or
    /// -2 for a forbidden switch (anything else below -1 is refused as a bad result).
    public func changeover(from: Int, to: Int, workCentre: Int) throws(ExtensionError) -> Int? {
        let minutes = try callConfigured(
            "takt_changeover", [Value(signed: Int32(from)), Value(signed: Int32(to)), Value(signed: Int32(workCentre))])
        switch minutes {
        case -1: return nil
        case -2: return -2
        case 0...(7 * 24 * 60): return minutes
        default:
            throw .badResult(extension: name, reason: "a changeover of \(minutes) minutes (-2, -1 or 0 to a week)")
        }
    }

    /// Judges a reading of check number `check` (its index in the manifest): the findings it returns.
    /// `event` is what the host functions (`takt.lot`, `takt.person`, `takt.history_*`, …) answer during the call.
    public func judge(
        check: Int, value: Double, at: Date, minute: Int, weekday: Int, event: ExtensionEvent = ExtensionEvent()
    ) throws(ExtensionError) -> [Result] {
        try judge(
            check: check, value: value, at: at, minute: minute, weekday: weekday, event: event, settings: settings,
            texts: defaultTexts)
    }

    /// The same with other settings (a test vector's).
    public func judge(
        check: Int, value: Double, at: Date, minute: Int, weekday: Int, event: ExtensionEvent, settings: [Double],
        texts: [String]
    ) throws(ExtensionError) -> [Result] {
        let name = self.name
        // The call and the read of its results under one lock: another call in between would overwrite them.
        let (found, bytes) = try call(event: event, texts: texts) { instance -> (Int, [UInt8]) in
            let found = try configured(
                instance, settings, "takt_judge",
                [
                    Value(signed: Int32(check)), .fromFloat64(value), Value(signed: Int64(at.timeIntervalSince1970)),
                    Value(signed: Int32(minute)), Value(signed: Int32(weekday)),
                ])
            guard (0...Self.maximumFindings).contains(found) else {
                throw ExtensionError.badResult(
                    extension: name, reason: "\(found) findings (0 to \(Self.maximumFindings))")
            }
            guard found > 0 else { return (0, []) }
            let pointer = try instance.exports[function: "takt_results"]!([]).first?.i32 ?? 0
            return (found, try memory(of: instance, at: Int(pointer), count: found * 48))
        }
        return try (0..<found).map { (index: Int) throws(ExtensionError) -> Result in
            let base = index * 48
            func int(_ offset: Int) -> Int32 {
                Int32(bitPattern: (0..<4).reduce(UInt32(0)) { $0 | UInt32(bytes[base + offset + $1]) << (8 * $1) })
            }
            func double(_ offset: Int) -> Double {
                Double(bitPattern: (0..<8).reduce(UInt64(0)) { $0 | UInt64(bytes[base + offset + $1]) << (8 * $1) })
            }
            let message = Int(int(0))
            guard manifest.messages.indices.contains(message) else {
                throw .badResult(extension: name, reason: "message \(message) is not declared")
            }
            let severities: [Int32: Severity] = [1: .info, 2: .minor, 3: .major, 4: .critical]
            guard let severity = severities[int(4)] else {
                throw .badResult(extension: name, reason: "severity \(int(4)) (1 info to 4 critical)")
            }
            let flags = int(8)
            let arguments = (0..<4).map { double(16 + 8 * $0) }.map { $0.isFinite ? $0 : 0 }
            return Result(
                message: message, severity: severity, holdLot: flags & 1 != 0, blockWorkCentre: flags & 2 != 0,
                arguments: arguments)
        }
    }

    /// Runs `body` on a live instance with a fresh fuel budget, turning every failure into an `ExtensionError`;
    /// after a failure the instance is dropped, so the next call starts clean.
    /// Passes the settings, then calls `export` with `arguments`: its `i32` answer.
    private func callConfigured(_ export: String, _ arguments: [Value]) throws(ExtensionError) -> Int {
        let settings = self.settings
        return try call(texts: defaultTexts) { instance in try configured(instance, settings, export, arguments) }
    }

    /// On a live instance: passes `settings` to `takt_configure`, then calls `export`; its `i32` answer.
    private func configured(_ instance: Instance, _ settings: [Double], _ export: String, _ arguments: [Value]) throws
        -> Int
    {
        let configure = instance.exports[function: "takt_configure"]!
        for (index, setting) in settings.enumerated() {
            _ = try configure([Value(signed: Int32(index)), .fromFloat64(setting)])
        }
        return Int(Int32(bitPattern: try instance.exports[function: export]!(arguments).first?.i32 ?? 0))
    }

    private func call<T>(
        event: ExtensionEvent = ExtensionEvent(), texts: [String] = [], _ body: (Instance) throws -> T
    ) throws(ExtensionError) -> T {
        lock.lock()
        defer {
            host.event = ExtensionEvent()
            lock.unlock()
        }
        host.event = event
        host.texts = texts
        do {
            let (store, instance) = try liveInstance()
            store.fuel = Fuel(remaining: limits.fuel)
            return try body(instance)
        } catch let error as ExtensionError {
            live = nil
            throw error
        } catch {
            live = nil
            let text = "\(error)"
            if text.lowercased().contains("fuel") { throw .outOfFuel(extension: name, budget: limits.fuel) }
            if lastLimiter?.refused == true { throw .outOfMemory(extension: name, limitPages: limits.memoryPages) }
            throw .trapped(extension: name, reason: text)
        }
    }

    /// The memory limiter of the live instance: whether it refused a growth tells a memory grab from other traps.
    private var lastLimiter: PageLimiter?

    private func liveInstance() throws -> (Store, Instance) {
        if let live { return live }
        let store = Store(engine: engine)
        let limiter = PageLimiter(maximumBytes: limits.memoryPages * 65_536)
        store.resourceLimiter = limiter
        lastLimiter = limiter
        let instance: Instance
        do { instance = try module.instantiate(store: store, imports: host.imports(in: store, extension: name)) } catch
        {
            if limiter.refused { throw ExtensionError.outOfMemory(extension: name, limitPages: limits.memoryPages) }
            let text = "\(error)"
            if text.contains("incompatible import type"),
                let wrong = module.imports.first(where: { text.contains("takt.\($0.name),") })
            {
                throw ExtensionError.wrongImport(
                    extension: name, name: wrong.name,
                    reason: text.replacingOccurrences(of: "incompatible import type: function type for ", with: ""))
            }
            throw ExtensionError.notWebAssembly(extension: name, reason: text)
        }
        live = (store, instance)
        return (store, instance)
    }

    private func readManifest() throws(ExtensionError) -> String {
        let name = self.name
        let bytes = try call { instance -> [UInt8] in
            let value = try instance.exports[function: "takt_manifest"]!([]).first?.i64 ?? 0
            let (pointer, length) = (Int(value >> 32), Int(value & 0xFFFF_FFFF))
            guard length > 0, length <= 256 * 1024 else {
                throw ExtensionError.badManifest(
                    extension: name, reason: "its length \(length) is not 1 byte to 256 KiB")
            }
            return try memory(of: instance, at: pointer, count: length)
        }
        return String(decoding: bytes, as: UTF8.self)
    }

    /// `count` bytes of the instance's memory from `pointer`; refused when they lie outside it.
    private func memory(of instance: Instance, at pointer: Int, count: Int) throws(ExtensionError) -> [UInt8] {
        guard let memory = instance.exports[memory: "memory"] else {
            throw .missingExport(extension: name, name: "memory")
        }
        guard pointer >= 0, count >= 0, pointer + count <= memory.byteCount else {
            throw .badResult(extension: name, reason: "\(count) bytes at \(pointer) lie outside its memory")
        }
        return memory.withUnsafeBufferPointer(offset: UInt(pointer), count: count) { Array($0) }
    }
}

/// Refuses memory growth past a limit, and remembers that it did.
final class PageLimiter: ResourceLimiter, @unchecked Sendable {
    let maximumBytes: Int
    private(set) var refused = false

    init(maximumBytes: Int) { self.maximumBytes = maximumBytes }

    func limitMemoryGrowth(to desired: Int) throws -> Bool {
        if desired > maximumBytes { refused = true }
        return desired <= maximumBytes
    }

    func limitTableGrowth(to desired: Int) throws -> Bool { desired <= 10_000 }
}

extension ExtensionRuntime {
    /// Runs the test vectors the manifest declares; the first that fails throws, naming it and what differed.
    /// A module without tests is refused: an extension proves itself before a site relies on it.
    public func selfTest() throws(ExtensionError) {
        let tests = manifest.tests ?? []
        guard !tests.isEmpty || !(manifest.changeoverTests ?? []).isEmpty || !(manifest.frequencyTests ?? []).isEmpty
        else {
            throw .badManifest(extension: name, reason: "it declares no test vectors")
        }
        for (number, test) in (manifest.frequencyTests ?? []).enumerated() {
            guard let check = manifest.checks.firstIndex(of: test.check) else {
                throw .failedTest(
                    extension: name, test: number + 1, reason: "it names no declared check '\(test.check)'")
            }
            let got = try frequency(check: check, minute: test.minute, weekday: test.weekday) ?? 0
            guard got == test.expect else {
                throw .failedTest(
                    extension: name, test: number + 1,
                    reason:
                        "\(test.check) after \(test.minute) min on day \(test.weekday) gave \(got), expected \(test.expect)"
                )
            }
        }
        for (number, test) in (manifest.changeoverTests ?? []).enumerated() {
            let got = try changeover(from: test.from, to: test.to, workCentre: test.workCentre) ?? -1
            guard got == test.expect else {
                throw .failedTest(
                    extension: name, test: tests.count + number + 1,
                    reason:
                        "changeover \(test.from) → \(test.to) at \(test.workCentre) gave \(got), expected \(test.expect)"
                )
            }
        }
        for (number, test) in tests.enumerated() {
            guard let check = manifest.checks.firstIndex(of: test.check) else {
                throw .failedTest(
                    extension: name, test: number + 1, reason: "it names no declared check '\(test.check)'")
            }
            let settings = manifest.configOrder.map {
                test.config?[$0]?.number ?? manifest.config?[$0]?.number ?? 0
            }
            let texts = manifest.textOrder.map { test.config?[$0]?.text ?? manifest.config?[$0]?.text ?? "" }
            let at = Date(timeIntervalSince1970: 1_796_515_200)
            let found = try judge(
                check: check, value: test.value, at: at, minute: test.minute ?? 600, weekday: test.weekday ?? 0,
                event: test.event(at: at), settings: settings, texts: texts)
            let got = found.map { "\($0.message)/\($0.severity.rawValue)" }
            let wanted = test.expect.map { "\($0.message)/\($0.severity.rawValue)" }
            guard got == wanted else {
                throw .failedTest(
                    extension: name, test: number + 1,
                    reason:
                        "\(test.check) = \(CriticalLimits.format(test.value)) gave [\(got.joined(separator: ", "))], "
                        + "expected [\(wanted.joined(separator: ", "))]")
            }
        }
    }
}
