import Foundation
import TaktCore
import TaktExtensions
import TaktSync

/// Installs the extension modules central publishes to this site: only those the site declares with a signature,
/// only when a key under `extension_keys` verifies it, only a newer version than the one installed, and only when
/// the whole site still loads with it (its own tests pass); otherwise the site keeps the module it runs.
public struct PublishedExtensions: Sendable {
    public let sitePath: String
    public let registry: ModuleRegistry

    public init(sitePath: String, registry: ModuleRegistry) {
        self.sitePath = sitePath
        self.registry = registry
    }

    /// What happened to each release: installed, already current, or refused and why.
    public func install(_ releases: [ExtensionRelease]) -> [String] {
        let definition: SiteDefinition
        do { definition = try SiteLoader(registry: registry).load(path: sitePath) } catch {
            return ["extensions not installed: the site does not load (\(error))"]
        }
        let keys = definition.extensionKeys.map { ExtensionSignature.TrustedKey(id: $0.key, publicKey: $0.value) }
        return releases.map { release in
            let name = "\(release.id) \(release.version)"
            guard let files = definition.signedExtensionFiles[release.id] else {
                return "\(name) not installed: site.yaml declares no signed extension \(release.id)"
            }
            guard let module = Data(base64Encoded: release.module) else { return "\(name) refused: not base64" }
            guard let key = ExtensionSignature.verify(module, signature: release.signature, keys: keys) else {
                return "\(name) refused: no key under extension_keys verifies its signature"
            }
            do {
                let runtime = try ExtensionRuntime(name: release.id, bytes: [UInt8](module))
                try runtime.selfTest()
                guard runtime.manifest.id == release.id, runtime.manifest.version == release.version else {
                    return "\(name) refused: the module says it is \(runtime.manifest.id) \(runtime.manifest.version)"
                }
            } catch { return "\(name) refused: \(error)" }
            if let installed = FileManager.default.contents(atPath: files.module),
                let current = try? ExtensionRuntime(name: release.id, bytes: [UInt8](installed))
            {
                guard ExtensionSignature.isNewer(release.version, than: current.manifest.version) else {
                    return "\(name): \(current.manifest.version) runs (versions never go backwards)"
                }
            }
            return replace(files, module: module, signature: release.signature, name: name, key: key)
        }
    }

    /// Puts the new files in place, keeping the old ones until the site loads with the new.
    private func replace(
        _ files: SiteDefinition.SignedExtensionFiles, module: Data, signature: String, name: String, key: String
    ) -> String {
        let manager = FileManager.default
        let paths = [files.module, files.signature]
        do {
            try manager.createDirectory(
                at: URL(fileURLWithPath: files.module).deletingLastPathComponent(), withIntermediateDirectories: true)
            for path in paths where manager.fileExists(atPath: path) {
                try? manager.removeItem(atPath: path + ".previous")
                try manager.moveItem(atPath: path, toPath: path + ".previous")
            }
            try module.write(to: URL(fileURLWithPath: files.module), options: .atomic)
            try Data((signature + "\n").utf8).write(to: URL(fileURLWithPath: files.signature), options: .atomic)
            _ = try SiteLoader(registry: registry).load(path: sitePath)
            for path in paths { try? manager.removeItem(atPath: path + ".previous") }
            return "\(name) installed (signed by \(key))"
        } catch {
            for path in paths {
                try? manager.removeItem(atPath: path)
                if manager.fileExists(atPath: path + ".previous") {
                    try? manager.moveItem(atPath: path + ".previous", toPath: path)
                }
            }
            return "\(name) refused: the site does not load with it (\(error)); the previous module stays"
        }
    }
}
