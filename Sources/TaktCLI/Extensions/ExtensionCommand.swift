import ArgumentParser
import Foundation
import TaktCore
import TaktExtensions

/// `takt extension`: write, build and test a site rule extension (WebAssembly, ABI 1).
struct ExtensionCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "extension", abstract: "Scaffold, build and test site rule extensions (WebAssembly).",
        subcommands: [New.self, Build.self, Test.self, Keygen.self, Sign.self])

    struct Keygen: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract:
                "A publisher's Ed25519 key pair: the private key to a file only you can read; the public key printed "
                + "for sites' extension_keys.")
        @Option(help: "Where to write the private key.", completion: .file()) var out: String

        func run() throws {
            guard !FileManager.default.fileExists(atPath: out) else {
                throw CommandFailure(message: "\(out) already exists; nothing written", code: 2)
            }
            let key = ExtensionSignature.newKey()
            guard
                FileManager.default.createFile(
                    atPath: out, contents: Data((key.privateKey + "\n").utf8), attributes: [.posixPermissions: 0o600])
            else { throw CommandFailure(message: "could not write \(out)", code: 1) }
            print("private key: \(out) (mode 0600)")
            print("public key for site.yaml's extension_keys: \(key.publicKey)")
        }
    }

    struct Sign: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Sign a module with a publisher's private key: writes MODULE.wasm.sig.")
        @Argument(help: "The .wasm file.", completion: .file(extensions: ["wasm"])) var module: String
        @Option(help: "The private key file (takt extension keygen).", completion: .file()) var key: String

        func run() throws {
            guard let data = FileManager.default.contents(atPath: module) else {
                throw CommandFailure(message: "\(module): cannot read it", code: 2)
            }
            guard let secret = try? String(contentsOfFile: key, encoding: .utf8) else {
                throw CommandFailure(message: "\(key): cannot read it", code: 2)
            }
            do {
                let runtime = try ExtensionRuntime(name: module, bytes: [UInt8](data))
                try runtime.selfTest()
                let signature = try ExtensionSignature.sign(data, privateKey: secret)
                try (signature + "\n").write(toFile: module + ".sig", atomically: true, encoding: .utf8)
                print("signed \(runtime.manifest.id) \(runtime.manifest.version): \(module).sig")
            } catch let error as ExtensionError { throw CommandFailure(message: error.description, code: 1) } catch {
                throw CommandFailure(message: "\(error)", code: 1)
            }
        }
    }

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
