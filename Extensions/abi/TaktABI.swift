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
    judge(check: Int(check), value: value, minute: Int(minute), weekday: Int(weekday))
    return found
}
