import Foundation
@_spi(Fuzzing) import WasmKit

/// The functions Takt gives an extension, imported from the module `takt` — the only imports a module may have.
/// They answer questions about the event being judged; none of them lets a module reach the site, the store, the
/// network or the file system. Texts are copied into the module's memory: each text function takes a buffer and
/// its capacity, copies at most that many bytes of UTF-8 and returns the text's whole length, or -1 when there is
/// none (so a module can tell a missing lot from an empty one, and a text cut short from a whole one).
///
/// | import | signature | answers |
/// | --- | --- | --- |
/// | `takt.lot` | `(buffer i32, capacity i32) -> i32` | the reading's lot id |
/// | `takt.person` | `(buffer i32, capacity i32) -> i32` | the staff id of who recorded it |
/// | `takt.work_centre` | `(buffer i32, capacity i32) -> i32` | its work centre |
/// | `takt.product` | `(buffer i32, capacity i32) -> i32` | the lot's product |
/// | `takt.lot_made_at` | `() -> i64` | when the lot was made (Unix seconds), 0 when unknown |
/// | `takt.setting_text` | `(index i32, buffer i32, capacity i32) -> i32` | text setting `index` (sorted names) |
/// | `takt.history_count` | `() -> i32` | earlier readings of the same check (same lot), at most 64 |
/// | `takt.history_value` | `(index i32) -> f64` | the value of earlier reading `index` (0 = oldest) |
/// | `takt.history_at` | `(index i32) -> i64` | when it was taken (Unix seconds) |
final class HostFunctions: @unchecked Sendable {
    static let module = "takt"
    static let names: Set<String> = [
        "lot", "person", "work_centre", "product", "lot_made_at", "setting_text", "history_count", "history_value",
        "history_at",
    ]

    /// The event of the call under way (the runtime's lock guards it).
    var event = ExtensionEvent()
    /// The text settings of the call under way.
    var texts: [String] = []

    /// The imports for one instance in `store`; their answers come from `event` and `texts` at call time.
    func imports(in store: Store, extension name: String) -> Imports {
        var imports = Imports()
        func text(_ function: String, _ value: @escaping (HostFunctions) -> String?) {
            imports.define(
                module: Self.module, name: function,
                Function(store: store, parameters: [.i32, .i32], results: [.i32]) { [unowned self] caller, arguments in
                    [Value(signed: try copy(value(self), to: arguments[0], capacity: arguments[1], caller, name))]
                })
        }
        text("lot") { $0.event.lot }
        text("person") { $0.event.person }
        text("work_centre") { $0.event.workCentre }
        text("product") { $0.event.product }
        imports.define(
            module: Self.module, name: "setting_text",
            Function(store: store, parameters: [.i32, .i32, .i32], results: [.i32]) {
                [unowned self] caller, arguments in
                let index = Int(Int32(bitPattern: arguments[0].i32))
                let text = texts.indices.contains(index) ? texts[index] : nil
                return [Value(signed: try copy(text, to: arguments[1], capacity: arguments[2], caller, name))]
            })
        imports.define(
            module: Self.module, name: "lot_made_at",
            Function(store: store, parameters: [], results: [.i64]) { [unowned self] _, _ in
                [Value(signed: Int64(event.lotMadeAt?.timeIntervalSince1970 ?? 0))]
            })
        imports.define(
            module: Self.module, name: "history_count",
            Function(store: store, parameters: [], results: [.i32]) { [unowned self] _, _ in
                [Value(signed: Int32(event.history.count))]
            })
        imports.define(
            module: Self.module, name: "history_value",
            Function(store: store, parameters: [.i32], results: [.f64]) { [unowned self] _, arguments in
                [.fromFloat64(try earlier(arguments[0], name).value)]
            })
        imports.define(
            module: Self.module, name: "history_at",
            Function(store: store, parameters: [.i32], results: [.i64]) { [unowned self] _, arguments in
                [Value(signed: Int64(try earlier(arguments[0], name).at.timeIntervalSince1970))]
            })
        return imports
    }

    private func earlier(_ index: Value, _ name: String) throws -> ExtensionEvent.Earlier {
        let position = Int(Int32(bitPattern: index.i32))
        guard event.history.indices.contains(position) else {
            throw ExtensionError.badResult(
                extension: name, reason: "it asked for earlier reading \(position) of \(event.history.count)")
        }
        return event.history[position]
    }

    /// Copies `text` into the caller's memory at `buffer`, at most `capacity` bytes; its whole length, or -1.
    private func copy(_ text: String?, to buffer: Value, capacity: Value, _ caller: borrowing Caller, _ name: String)
        throws -> Int32
    {
        guard let text else { return -1 }
        let bytes = Array(text.utf8)
        let (start, room) = (Int(buffer.i32), Int(capacity.i32))
        let count = min(bytes.count, room)
        guard count > 0 else { return Int32(bytes.count) }
        guard let memory = caller.instance?.exports[memory: "memory"], start + count <= memory.byteCount else {
            throw ExtensionError.badResult(
                extension: name, reason: "it gave a buffer of \(room) bytes at \(start), outside its memory")
        }
        memory.withUnsafeMutableBufferPointer(offset: UInt(start), count: count) { target in
            target.copyBytes(from: bytes[0..<count])
        }
        return Int32(bytes.count)
    }
}
