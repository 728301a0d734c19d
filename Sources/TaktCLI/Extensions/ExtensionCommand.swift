import ArgumentParser
import Foundation
import TaktCore
import TaktExtensions

/// `takt extension`: write, build and test a site rule extension (WebAssembly, ABI 1).
struct ExtensionCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "extension", abstract: "Scaffold, build and test site rule extensions (WebAssembly).",
        subcommands: [New.self, Build.self, Test.self])

    struct New: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "A new extension's folder: source with a manifest, a check and test vectors, and a README.")
        @Argument(help: "Its name (lowercase letters, digits, '-').") var name: String
        @Option(help: "swift (Embedded Swift) or c.") var lang: ExtensionBuilder.Language = .swift
        @Option(help: "Where to create it.", completion: .directory) var dir: String = "."

        func run() throws {
            let files: [String]
            do {
                files = try ExtensionBuilder.scaffold(name: name, language: lang, in: URL(fileURLWithPath: dir))
            } catch { throw CommandFailure(message: "\(error)", code: 2) }
            for file in files { print("wrote \(file)") }
            print("next: takt extension build \(URL(fileURLWithPath: dir).appendingPathComponent(name).path)")
        }
    }

    struct Build: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Compile extensions to WebAssembly with this machine's Swift toolchain; print each SHA-256.")
        @Argument(help: "Extension folders.", completion: .directory) var folders: [String]
        @OptionGroup var output: OutputOptions

        func run() throws {
            struct Built: Encodable {
                var module: String
                var sha256: String
            }
            var built: [Built] = []
            for folder in folders {
                do {
                    let result = try ExtensionBuilder.build(URL(fileURLWithPath: folder).standardizedFileURL)
                    built.append(Built(module: result.path, sha256: result.sha256))
                } catch { throw CommandFailure(message: "\(folder): \(error)", code: 1) }
            }
            if output.json { return try output.print(json: built) }
            for item in built { print("\(item.module) \(item.sha256)") }
        }
    }

    struct Test: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Load a module as a site would (ABI, exports, no imports) and run its own test vectors.")
        @Argument(help: "The .wasm file.", completion: .file(extensions: ["wasm"])) var module: String
        @Option(help: "Instructions one call may run.") var fuel: UInt64 = 1_000_000
        @Option(name: .customLong("memory-pages"), help: "Memory it may use, in 64 KiB pages.") var memoryPages = 16

        func run() throws {
            guard let data = FileManager.default.contents(atPath: module) else {
                throw CommandFailure(message: "\(module): cannot read it", code: 2)
            }
            do {
                let runtime = try ExtensionRuntime(
                    name: URL(fileURLWithPath: module).deletingPathExtension().lastPathComponent, bytes: [UInt8](data),
                    limits: .init(fuel: fuel, memoryPages: memoryPages))
                try runtime.selfTest()
                let manifest = runtime.manifest
                print(
                    "\(manifest.id) \(manifest.version) (ABI \(manifest.abi)): \(manifest.tests?.count ?? 0) test(s) "
                        + "passed; judges \(manifest.checks.joined(separator: ", ")); sha256 \(runtime.sha256)")
            } catch { throw CommandFailure(message: error.description, code: 1) }
        }
    }
}

extension ExtensionBuilder.Language: ExpressibleByArgument {}
