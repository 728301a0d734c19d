import Foundation
import Hummingbird
import TaktCentralStore
import TaktExtensions
import TaktSync
import TaktWeb

/// Signed extension modules published to sites, like configuration: `takt central extensions publish` checks the
/// module (WebAssembly, ABI 1, its own tests) and that its version is newer than any published to each site; a
/// site's sync agent pulls the newest of each (`GET /v1/sites/{site}/extension-releases`, signed) and installs it
/// only when a key it trusts verifies the signature. The versions sites run show on their pages (`names`).
extension CentralServer {
    func addExtensions(to router: Router<CentralContext>) {
        router.get("/v1/sites/:site/extension-releases") { request, context in
            let site = try context.parameters.require("site")
            let signed: RequestVerifier.Signed
            switch try await self.authenticate(request, site: site, body: Data()) {
            case .signed(let value): signed = value
            case .refused(let refusal): return refusal
            }
            let newest = ExtensionPublishing.newest(try await self.store.extensionReleases(site: site))
            return self.reply(.ok, newest, signed)
        }
    }
}

/// Publishing an extension: checked here once, verified again by every site that installs it.
public enum ExtensionPublishing {
    public struct Refusal: Error, CustomStringConvertible {
        public var description: String
    }

    /// Checks `module` (it loads and passes its own tests) and that its version is newer than what each of `sites`
    /// was published before, then publishes it to them all; nothing is published when any check fails.
    @discardableResult
    public static func publish(
        module: Data, signature: String, sites: [String], by person: String, at now: Date, store: any CentralStorage
    ) async throws -> ExtensionRelease {
        guard !sites.isEmpty else { throw Refusal(description: "name the sites or the region to publish to") }
        guard Data(base64Encoded: signature.trimmingCharacters(in: .whitespacesAndNewlines)) != nil else {
            throw Refusal(description: "the signature is not base64 (takt extension sign writes MODULE.wasm.sig)")
        }
        let runtime: ExtensionRuntime
        do {
            runtime = try ExtensionRuntime(name: "published", bytes: [UInt8](module))
            try runtime.selfTest()
        } catch { throw Refusal(description: "\(error)") }
        let manifest = runtime.manifest
        for site in sites {
            let published = try await store.extensionReleases(site: site).filter { $0.id == manifest.id }
            if let newest = newest(published).first,
                !ExtensionSignature.isNewer(manifest.version, than: newest.version)
            {
                throw Refusal(
                    description: "\(manifest.id) \(manifest.version) is not newer than \(newest.version), already "
                        + "published to \(site): versions never go backwards")
            }
        }
        let release = ExtensionRelease(
            id: manifest.id, version: manifest.version, module: module.base64EncodedString(),
            signature: signature.trimmingCharacters(in: .whitespacesAndNewlines), publishedBy: person,
            publishedAt: now)
        try await store.publishExtension(release, sites: sites)
        return release
    }

    /// The newest release of each extension id.
    public static func newest(_ releases: [ExtensionRelease]) -> [ExtensionRelease] {
        var best: [String: ExtensionRelease] = [:]
        for release in releases {
            if let current = best[release.id], !ExtensionSignature.isNewer(release.version, than: current.version) {
                continue
            }
            best[release.id] = release
        }
        return best.values.sorted { $0.id < $1.id }
    }
}
