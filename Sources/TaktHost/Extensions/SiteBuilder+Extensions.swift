import Crypto
import Foundation
import TaktCore
import TaktExtensions

extension SiteBuilder {
    /// Loads `extensions:`: each module file is checked against its SHA-256, loaded in the sandbox (WebAssembly,
    /// ABI 1, no imports), run against its own test vectors, and its checks must be the site's; then it fills the
    /// check slot. Any failure refuses the site with a message naming the extension: the site keeps running the
    /// configuration (and module) it had.
    mutating func loadExtensions() {
        let folder = URL(fileURLWithPath: file).deletingLastPathComponent()
        for (index, key) in (configuration.extensionKeys ?? []).enumerated() {
            guard let raw = Data(base64Encoded: key.publicKey), raw.count == 32 else {
                report("not an Ed25519 public key (32 bytes in base64)", at: ["extension_keys", index, "public_key"])
                continue
            }
            definition.extensionKeys[key.id] = raw
        }
        let trusted = definition.extensionKeys.map { ExtensionSignature.TrustedKey(id: $0.key, publicKey: $0.value) }
        var seen: Set<String> = []
        for (index, spec) in (configuration.extensions ?? []).enumerated() {
            let path: [Any] = ["extensions", index]
            guard seen.insert(spec.id).inserted else {
                report("extension '\(spec.id)' is listed twice", at: path + ["id"])
                continue
            }
            let fuel = spec.fuel ?? 1_000_000
            let pages = spec.memoryPages ?? 16
            guard (1_000...1_000_000_000).contains(fuel) else {
                report("fuel is between 1000 and 1000000000 instructions a call, not \(fuel)", at: path + ["fuel"])
                continue
            }
            guard (1...1024).contains(pages) else {
                report("memory_pages is between 1 and 1024 (64 KiB each), not \(pages)", at: path + ["memory_pages"])
                continue
            }
            guard spec.sha256 != nil || spec.signature != nil else {
                report("extension \(spec.id): give its sha256, its signature, or both", at: path)
                continue
            }
            let url =
                spec.module.hasPrefix("/")
                ? URL(fileURLWithPath: spec.module) : folder.appendingPathComponent(spec.module)
            if let signature = spec.signature {
                definition.signedExtensionFiles[spec.id] = .init(
                    module: url.path,
                    signature: signature.hasPrefix("/") ? signature : folder.appendingPathComponent(signature).path)
            }
            if spec.signature != nil, !FileManager.default.fileExists(atPath: url.path) {
                // A signed extension central publishes: not installed yet.
                definition.warnings.append(
                    "extension \(spec.id) is not installed yet (\(spec.module)): it runs once central publishes it")
                continue
            }
            guard let data = try? Data(contentsOf: url), data.count <= 16 * 1024 * 1024 else {
                report(
                    "extension \(spec.id): cannot read \(url.path) (a .wasm file of at most 16 MiB; the examples' are "
                        + "built from source by takt extension build Extensions/*/)", at: path + ["module"])
                continue
            }
            let digest = SHA256.hash(data: data).map { String(format: "%02x", $0) }.joined()
            if let expected = spec.sha256, digest != expected.lowercased() {
                report(
                    ExtensionError.hashMismatch(extension: spec.id, expected: expected, found: digest).description,
                    at: path + ["sha256"])
                continue
            }
            if let signatureFile = spec.signature {
                let signatureURL =
                    signatureFile.hasPrefix("/")
                    ? URL(fileURLWithPath: signatureFile) : folder.appendingPathComponent(signatureFile)
                guard let signature = try? String(contentsOf: signatureURL, encoding: .utf8),
                    ExtensionSignature.verify(data, signature: signature, keys: trusted) != nil
                else {
                    report(
                        "extension \(spec.id): its signature (\(signatureFile)) is missing or no key under "
                            + "extension_keys verifies it", at: path + ["signature"])
                    continue
                }
            }
            do {
                let runtime = try ExtensionRuntime(
                    name: spec.id, bytes: [UInt8](data),
                    limits: .init(fuel: UInt64(fuel), memoryPages: pages), config: spec.config ?? [:])
                guard runtime.manifest.id == spec.id else {
                    report(
                        "extension \(spec.id): the module says it is '\(runtime.manifest.id)'", at: path + ["id"])
                    continue
                }
                try runtime.selfTest()
                for check in runtime.manifest.checks {
                    guard let id = try? RuleID(validating: check), definition.rules.check(id) != nil else {
                        report(
                            "extension \(spec.id) judges '\(check)', which is not one of the site's checks (declare it "
                                + "under rules.checks)", at: path)
                        continue
                    }
                }
                if runtime.manifest.slots.contains(.check) {
                    try definition.rules.addHygiene(
                        ExtensionCheckRule(runtime: runtime, timeZone: definition.timeZone))
                }
                if runtime.manifest.slots.contains(.frequency) {
                    try definition.rules.addFrequency(
                        ExtensionFrequencyRule(runtime: runtime, timeZone: definition.timeZone))
                }
                if let slot = runtime.manifest.changeover, runtime.manifest.slots.contains(.changeover) {
                    for centre in slot.workCentres where definition.workCentre(centre) == nil {
                        report(
                            "extension \(spec.id)'s changeover names work centre '\(centre)', which the site does not have",
                            at: path)
                    }
                    try definition.rules.addChangeover(ExtensionChangeoverRule(runtime: runtime))
                }
                definition.extensions.append(
                    .init(
                        id: runtime.manifest.id, version: runtime.manifest.version, sha256: digest,
                        checks: runtime.manifest.checks))
            } catch let error as ExtensionError {
                report(error.description, at: path)
            } catch {
                report("extension \(spec.id): \(error)", at: path)
            }
        }
    }
}
