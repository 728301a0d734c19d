import Foundation

/// The ABI's shared code for extension authors, in Swift and C: the build adds it to every extension that does not
/// bring its own, so the exports and the result layout are written once (docs/extensions.md).
public enum ExtensionABISource {
    /// `TaktABI.swift` for Embedded Swift.
    public static let swift = #"""
        // Takt extension ABI 1 for Embedded Swift: the exports every extension shares. An extension adds its own
        // `manifest` (a StaticString of JSON) and `takt_judge`; see docs/extensions.md. Nothing here allocates.

        /// Up to eight numeric settings, by their index in the manifest's sorted setting names.
        nonisolated(unsafe) var settings: (Double, Double, Double, Double, Double, Double, Double, Double) = (
            0, 0, 0, 0, 0, 0, 0, 0
        )

        /// Up to eight findings of 48 bytes: message, severity, flags, padding, four numbers.
        nonisolated(unsafe) var results:
            (
                UInt64, UInt64, UInt64, UInt64, UInt64, UInt64, UInt64, UInt64, UInt64, UInt64, UInt64, UInt64, UInt64, UInt64,
                UInt64, UInt64, UInt64, UInt64, UInt64, UInt64, UInt64, UInt64, UInt64, UInt64, UInt64, UInt64, UInt64, UInt64,
                UInt64, UInt64, UInt64, UInt64, UInt64, UInt64, UInt64, UInt64, UInt64, UInt64, UInt64, UInt64, UInt64, UInt64,
                UInt64, UInt64, UInt64, UInt64, UInt64, UInt64
            ) = (
                0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
                0,
                0, 0, 0, 0, 0, 0, 0, 0, 0, 0
            )

        /// How many findings the current call has written.
        nonisolated(unsafe) var found: Int32 = 0

        enum Severity: Int32 { case info = 1, minor, major, critical }

        /// What a finding does beyond being raised.
        struct Actions: OptionSet {
            let rawValue: Int32
            static let holdLot = Actions(rawValue: 1)
            static let blockWorkCentre = Actions(rawValue: 2)
        }

        /// Setting number `index` (the manifest's setting names, sorted).
        func setting(_ index: Int) -> Double {
            withUnsafeBytes(of: &settings) { $0.load(fromByteOffset: (index & 7) * 8, as: Double.self) }
        }

        /// Adds a finding: message number `message` of the manifest, with up to four numbers for its `{0}`…`{3}`.
        func raise(
            _ message: Int32, _ severity: Severity, _ actions: Actions = [], _ first: Double = 0, _ second: Double = 0,
            _ third: Double = 0, _ fourth: Double = 0
        ) {
            guard found < 8 else { return }
            let base = Int(found) * 48
            withUnsafeMutableBytes(of: &results) { buffer in
                buffer.storeBytes(of: message, toByteOffset: base, as: Int32.self)
                buffer.storeBytes(of: severity.rawValue, toByteOffset: base + 4, as: Int32.self)
                buffer.storeBytes(of: actions.rawValue, toByteOffset: base + 8, as: Int32.self)
                buffer.storeBytes(of: first, toByteOffset: base + 16, as: Double.self)
                buffer.storeBytes(of: second, toByteOffset: base + 24, as: Double.self)
                buffer.storeBytes(of: third, toByteOffset: base + 32, as: Double.self)
                buffer.storeBytes(of: fourth, toByteOffset: base + 40, as: Double.self)
            }
            found += 1
        }

        /// When the reading being judged was taken (Unix seconds).
        nonisolated(unsafe) var readingAt: Int64 = 0

        // The host functions Takt provides (docs/extensions.md); a module imports only those it calls.
        @_extern(wasm, module: "takt", name: "lot") @_extern(c) func _taktLot(_ buffer: UnsafeMutableRawPointer?, _ capacity: Int32) -> Int32
        @_extern(wasm, module: "takt", name: "person") @_extern(c) func _taktPerson(_ buffer: UnsafeMutableRawPointer?, _ capacity: Int32) -> Int32
        @_extern(wasm, module: "takt", name: "work_centre") @_extern(c)
        func _taktWorkCentre(_ buffer: UnsafeMutableRawPointer?, _ capacity: Int32) -> Int32
        @_extern(wasm, module: "takt", name: "product") @_extern(c) func _taktProduct(_ buffer: UnsafeMutableRawPointer?, _ capacity: Int32) -> Int32
        @_extern(wasm, module: "takt", name: "setting_text") @_extern(c)
        func _taktSettingText(_ index: Int32, _ buffer: UnsafeMutableRawPointer?, _ capacity: Int32) -> Int32
        @_extern(wasm, module: "takt", name: "lot_made_at") @_extern(c) func _taktLotMadeAt() -> Int64
        @_extern(wasm, module: "takt", name: "history_count") @_extern(c) func _taktHistoryCount() -> Int32
        @_extern(wasm, module: "takt", name: "history_value") @_extern(c) func _taktHistoryValue(_ index: Int32) -> Double
        @_extern(wasm, module: "takt", name: "history_at") @_extern(c) func _taktHistoryAt(_ index: Int32) -> Int64

        /// A text the host gives: the reading's lot, who recorded it, its work centre, the lot's product, or a text
        /// setting by its index in the manifest's sorted text setting names.
        enum HostText {
            case lot, person, workCentre, product
            case setting(Int)
        }

        /// 256 bytes for texts from the host, without an allocator.
        nonisolated(unsafe) var textBuffer: (UInt64, UInt64, UInt64, UInt64, UInt64, UInt64, UInt64, UInt64, UInt64, UInt64, UInt64,
            UInt64, UInt64, UInt64, UInt64, UInt64, UInt64, UInt64, UInt64, UInt64, UInt64, UInt64, UInt64, UInt64, UInt64, UInt64,
            UInt64, UInt64, UInt64, UInt64, UInt64, UInt64) = (0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
            0, 0, 0, 0, 0, 0, 0, 0, 0)

        /// Calls `body` with the host's text (nil when there is none; cut at 256 bytes).
        func withHostText<T>(_ text: HostText, _ body: (UnsafeRawBufferPointer?) -> T) -> T {
            withUnsafeMutableBytes(of: &textBuffer) { buffer in
                let length: Int32
                switch text {
                case .lot: length = _taktLot(buffer.baseAddress, 256)
                case .person: length = _taktPerson(buffer.baseAddress, 256)
                case .workCentre: length = _taktWorkCentre(buffer.baseAddress, 256)
                case .product: length = _taktProduct(buffer.baseAddress, 256)
                case .setting(let index): length = _taktSettingText(Int32(index), buffer.baseAddress, 256)
                }
                guard length >= 0 else { return body(nil) }
                return body(UnsafeRawBufferPointer(rebasing: buffer[0..<Int(min(length, 256))]))
            }
        }

        /// Whether the host's text is `expected` (false when there is none).
        func hostText(_ text: HostText, is expected: StaticString) -> Bool {
            withHostText(text) { bytes in
                guard let bytes, bytes.count == expected.utf8CodeUnitCount else { return false }
                for index in 0..<bytes.count where bytes[index] != expected.utf8Start[index] { return false }
                return true
            }
        }

        /// Whether the host's text `text` equals text setting `setting` (an empty setting matches everything).
        func hostText(_ text: HostText, matchesSetting setting: Int) -> Bool {
            var wanted: (UInt64, UInt64, UInt64, UInt64, UInt64, UInt64, UInt64, UInt64, UInt64, UInt64, UInt64, UInt64, UInt64,
                UInt64, UInt64, UInt64) = (0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0)
            return withUnsafeMutableBytes(of: &wanted) { target in
                let length = Int(_taktSettingText(Int32(setting), target.baseAddress, 128))
                guard length > 0 else { return true }
                guard length <= 128 else { return false }
                return withHostText(text) { bytes in
                    guard let bytes, bytes.count == length else { return false }
                    for index in 0..<length where bytes[index] != target[index] { return false }
                    return true
                }
            }
        }

        /// When the reading's lot was made (Unix seconds), 0 when unknown.
        func lotMadeAt() -> Int64 { _taktLotMadeAt() }
        /// How many earlier readings of the check the host passes (same lot, or same work centre), oldest first.
        func historyCount() -> Int { Int(_taktHistoryCount()) }
        /// Earlier reading `index`'s value and when it was taken (Unix seconds).
        func historyValue(_ index: Int) -> Double { _taktHistoryValue(Int32(index)) }
        func historyAt(_ index: Int) -> Int64 { _taktHistoryAt(Int32(index)) }

        @_cdecl("takt_abi") func taktABI() -> Int32 { 1 }

        @_cdecl("takt_manifest") func taktManifest() -> Int64 {
            Int64(Int(bitPattern: manifest.utf8Start)) << 32 | Int64(manifest.utf8CodeUnitCount)
        }

        @_cdecl("takt_configure") func taktConfigure(_ index: Int32, _ value: Double) {
            withUnsafeMutableBytes(of: &settings) {
                $0.storeBytes(of: value, toByteOffset: Int(index & 7) * 8, as: Double.self)
            }
        }

        @_cdecl("takt_results") func taktResults() -> Int32 {
            withUnsafeMutableBytes(of: &results) { Int32(Int(bitPattern: $0.baseAddress)) }
        }

        @_cdecl("takt_judge") func taktJudge(_ check: Int32, _ value: Double, _ at: Int64, _ minute: Int32, _ weekday: Int32)
            -> Int32
        {
            found = 0
            readingAt = at
            judge(check: Int(check), value: value, minute: Int(minute), weekday: Int(weekday))
            return found
        }
        """#

    /// `takt_abi.h` for C.
    public static let c = #"""
        /* Takt extension ABI 1 for C: the exports every extension shares. An extension defines `manifest` (a string of
           JSON), `manifest_length`, and `judge`; see docs/extensions.md. Nothing here allocates. */
        #include <stdint.h>

        enum { TAKT_INFO = 1, TAKT_MINOR = 2, TAKT_MAJOR = 3, TAKT_CRITICAL = 4 };
        enum { TAKT_HOLD_LOT = 1, TAKT_BLOCK_WORK_CENTRE = 2 };

        extern const char manifest[];
        extern const int manifest_length;
        void judge(int check, double value, int minute, int weekday);

        /* The host functions Takt provides (docs/extensions.md); a module imports only those it calls. Text functions
           copy at most `capacity` bytes and return the whole length, or -1 when there is none. */
        #define TAKT_IMPORT(name) __attribute__((import_module("takt"), import_name(name)))
        TAKT_IMPORT("lot") int32_t takt_lot(char *buffer, int32_t capacity);
        TAKT_IMPORT("person") int32_t takt_person(char *buffer, int32_t capacity);
        TAKT_IMPORT("work_centre") int32_t takt_work_centre(char *buffer, int32_t capacity);
        TAKT_IMPORT("product") int32_t takt_product(char *buffer, int32_t capacity);
        TAKT_IMPORT("setting_text") int32_t takt_setting_text(int32_t index, char *buffer, int32_t capacity);
        TAKT_IMPORT("lot_made_at") int64_t takt_lot_made_at(void);
        TAKT_IMPORT("history_count") int32_t takt_history_count(void);
        TAKT_IMPORT("history_value") double takt_history_value(int32_t index);
        TAKT_IMPORT("history_at") int64_t takt_history_at(int32_t index);

        /* When the reading being judged was taken (Unix seconds). */
        static int64_t reading_at;

        static double settings[8];
        static struct { int32_t message, severity, flags, unused; double numbers[4]; } results[8];
        static int32_t found;

        /* Setting number `index` (the manifest's setting names, sorted). */
        static double setting(int index) { return settings[index & 7]; }

        /* Adds a finding: message number `message` of the manifest, with up to four numbers for its {0}..{3}. */
        static void raise_finding(int message, int severity, int flags, double a, double b, double c, double d) {
            if (found >= 8) return;
            results[found].message = message;
            results[found].severity = severity;
            results[found].flags = flags;
            results[found].numbers[0] = a;
            results[found].numbers[1] = b;
            results[found].numbers[2] = c;
            results[found].numbers[3] = d;
            found++;
        }

        __attribute__((export_name("takt_abi"))) int32_t takt_abi(void) { return 1; }
        __attribute__((export_name("takt_manifest"))) int64_t takt_manifest(void) {
            return ((int64_t)(uintptr_t)manifest << 32) | (int64_t)manifest_length;
        }
        __attribute__((export_name("takt_configure"))) void takt_configure(int32_t index, double value) {
            settings[index & 7] = value;
        }
        __attribute__((export_name("takt_results"))) int32_t takt_results(void) { return (int32_t)(uintptr_t)results; }
        __attribute__((export_name("takt_judge"))) int32_t takt_judge(int32_t check, double value, int64_t at, int32_t minute,
                                                                      int32_t weekday) {
            reading_at = at;
            found = 0;
            judge(check, value, minute, weekday);
            return found;
        }
        """#
}
