import Crypto
import Foundation

/// Builds and scaffolds extensions with the toolchain on this machine: Embedded Swift (`swiftc -enable-experimental-
/// feature Embedded -target wasm32-unknown-none-wasm`) or C (`clang --target=wasm32`), linked by the toolchain's
/// `wasm-ld`. The same sources on the same toolchain give the same bytes, so site.yaml can pin them by SHA-256.
public enum ExtensionBuilder {
    public enum Language: String, Sendable, CaseIterable { case swift, c }

    public struct Failure: Error, CustomStringConvertible {
        public var description: String
    }

    /// The exports every module has; the linker keeps exactly these.
    static let exports = ["takt_abi", "takt_manifest", "takt_configure", "takt_results", "takt_judge"]

    /// Builds the extension in `folder` (its `*.swift` files, or `extension.c`) into `folder/<name>.wasm`; returns
    /// the module's path and SHA-256.
    public static func build(_ folder: URL) throws -> (path: String, sha256: String) {
        let name = folder.lastPathComponent
        let parent = folder.deletingLastPathComponent()
        let files = (try? FileManager.default.contentsOfDirectory(atPath: folder.path)) ?? []
        let work = "\(name)/.build"
        try FileManager.default.createDirectory(
            at: parent.appendingPathComponent(work), withIntermediateDirectories: true)
        let tools = try toolchain()
        let object = "\(work)/extension.o"
        if files.contains("extension.c") {
            try ExtensionABISource.c.write(
                to: parent.appendingPathComponent("\(work)/takt_abi.h"), atomically: true, encoding: .utf8)
            try run(
                tools.appendingPathComponent("clang"),
                ["--target=wasm32", "-nostdlib", "-O2", "-I", work, "-c", "\(name)/extension.c", "-o", object],
                in: parent)
        } else {
            var sources = files.filter { $0.hasSuffix(".swift") }.sorted().map { "\(name)/\($0)" }
            guard !sources.isEmpty else {
                throw Failure(description: "\(folder.path): no extension.c and no .swift files to build")
            }
            if !files.contains("TaktABI.swift") {
                try ExtensionABISource.swift.write(
                    to: parent.appendingPathComponent("\(work)/TaktABI.swift"), atomically: true, encoding: .utf8)
                sources.append("\(work)/TaktABI.swift")
            }
            try run(
                tools.appendingPathComponent("swiftc"),
                [
                    "-enable-experimental-feature", "Embedded", "-enable-experimental-feature", "Extern", "-target",
                    "wasm32-unknown-none-wasm", "-wmo", "-Osize",
                    "-parse-as-library", "-Xfrontend", "-disable-stack-protector",
                ] + sources + ["-c", "-o", object], in: parent)
        }
        try run(
            tools.appendingPathComponent("wasm-ld"),
            ["--no-entry", "--strip-all"] + exports.map { "--export=\($0)" } + [
                object, "-o", "\(work)/extension.wasm",
            ],
            in: parent)
        let output = folder.appendingPathComponent("\(name).wasm")
        try? FileManager.default.removeItem(at: output)
        try FileManager.default.moveItem(at: parent.appendingPathComponent("\(work)/extension.wasm"), to: output)
        let data = try Data(contentsOf: output)
        return (output.path, SHA256.hash(data: data).map { String(format: "%02x", $0) }.joined())
    }

    /// Writes a new extension's folder: its source with a manifest, a check and a test to start from, and a README.
    public static func scaffold(name: String, language: Language, in parent: URL) throws -> [String] {
        guard !name.isEmpty, name.count <= 40, name.allSatisfy({ $0.isLowercase || $0.isNumber || $0 == "-" }) else {
            throw Failure(description: "'\(name)' is not an extension name: lowercase letters, digits and '-'")
        }
        let folder = parent.appendingPathComponent(name)
        guard !FileManager.default.fileExists(atPath: folder.path) else {
            throw Failure(description: "\(folder.path) already exists")
        }
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        let id = "site." + name.replacingOccurrences(of: "-", with: "_")
        let manifest =
            #"{"id":"\#(id)","version":"0.1.0","abi":1,"slots":["check"],"checks":["site.\#(name.replacingOccurrences(of: "-", with: "_"))"],"config":{"max":10},"messages":[{"en":"{0} is above {1}","action":"Say what to do"}],"tests":[{"check":"site.\#(name.replacingOccurrences(of: "-", with: "_"))","value":12,"expect":[{"message":0,"severity":"major"}]},{"check":"site.\#(name.replacingOccurrences(of: "-", with: "_"))","value":3,"expect":[]}]}"#
        var written: [String] = []
        switch language {
        case .swift:
            let source = """
                // \(name): a Takt rule extension (ABI 1, docs/extensions.md). `judge` gets each reading of the checks
                // the manifest names (their index), its value, local minutes after midnight and weekday (0 = Monday);
                // it raises findings by message number. Settings come from site.yaml's `config:`, by sorted name.

                let manifest: StaticString = \"\"\"
                    \(manifest)
                    \"\"\"

                func judge(check: Int, value: Double, minute: Int, weekday: Int) {
                    let max = setting(0)
                    if value > max { raise(0, .major, [.holdLot], value, max) }
                }

                """
            try source.write(to: folder.appendingPathComponent("extension.swift"), atomically: true, encoding: .utf8)
            written.append(folder.appendingPathComponent("extension.swift").path)
        case .c:
            let escaped = manifest.replacingOccurrences(of: "\"", with: "\\\"")
            let source = """
                /* \(name): a Takt rule extension (ABI 1, docs/extensions.md). `judge` gets each reading of the checks
                   the manifest names (their index), its value, local minutes after midnight and weekday (0 = Monday);
                   it raises findings by message number. Settings come from site.yaml's `config:`, by sorted name. */
                #include "takt_abi.h"

                const char manifest[] = "\(escaped)";
                const int manifest_length = sizeof(manifest) - 1;

                void judge(int check, double value, int minute, int weekday) {
                    (void)check; (void)minute; (void)weekday;
                    double max = setting(0);
                    if (value > max) raise_finding(0, TAKT_MAJOR, TAKT_HOLD_LOT, value, max, 0, 0);
                }

                """
            try source.write(to: folder.appendingPathComponent("extension.c"), atomically: true, encoding: .utf8)
            written.append(folder.appendingPathComponent("extension.c").path)
        }
        let readme = """
            # \(name)

            A Takt rule extension (ABI 1; see docs/extensions.md in the Takt repository).

            - Build: `takt extension build \(name)` → `\(name)/\(name).wasm` and its SHA-256.
            - Test: `takt extension test \(name)/\(name).wasm` runs the test vectors in the manifest.
            - Use: declare the check under `rules.checks` in site.yaml, then
              `extensions: [{id: \(id), module: \(name)/\(name).wasm, sha256: <hash>, config: {max: 10}}]`.

            """
        try readme.write(to: folder.appendingPathComponent("README.md"), atomically: true, encoding: .utf8)
        written.append(folder.appendingPathComponent("README.md").path)
        return written
    }

    /// The folder holding swiftc, clang and wasm-ld: `$SWIFTC`'s, or swiftc's on the PATH, links resolved.
    static func toolchain() throws -> URL {
        let environment = ProcessInfo.processInfo.environment
        var candidates: [String] = []
        if let swiftc = environment["SWIFTC"] { candidates.append(swiftc) }
        for folder in (environment["PATH"] ?? "").split(separator: ":") { candidates.append("\(folder)/swiftc") }
        for candidate in candidates where FileManager.default.isExecutableFile(atPath: candidate) {
            let resolved = URL(fileURLWithPath: candidate).resolvingSymlinksInPath().deletingLastPathComponent()
            if FileManager.default.isExecutableFile(atPath: resolved.appendingPathComponent("wasm-ld").path) {
                return resolved
            }
        }
        throw Failure(
            description: "no Swift toolchain with wasm-ld found: put swiftc (Swift 6.3) on the PATH or set SWIFTC")
    }

    static func run(_ tool: URL, _ arguments: [String], in folder: URL) throws {
        let process = Process()
        process.executableURL = tool
        process.arguments = arguments
        process.currentDirectoryURL = folder
        let errors = Pipe()
        process.standardError = errors
        process.standardOutput = errors
        try process.run()
        let output = errors.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        guard process.terminationStatus == 0 else {
            throw Failure(
                description: "\(tool.lastPathComponent) failed:\n"
                    + String(decoding: output.prefix(4000), as: UTF8.self))
        }
    }
}
