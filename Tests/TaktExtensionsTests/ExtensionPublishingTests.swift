import Foundation
import Testing
import WAT

@testable import BuiltinModules
@testable import TaktCentral
@testable import TaktCentralStore
@testable import TaktCore
@testable import TaktExtensions
@testable import TaktHost
@testable import TaktStore
@testable import TaktSync

/// An extension published from central, signed: the site's next sync installs it when a key it trusts verifies
/// the signature; an older version, or one signed by a key it does not trust, is refused and the site keeps what
/// it runs.
@Suite struct ExtensionPublishingTests {
    static func module(version: String) throws -> Data {
        Data(try wat2wasm(ExtensionRuntimeTests.module().replacingOccurrences(of: "1.2.0", with: version)))
    }

    @Test func aSignedReleaseIsInstalledOnTheNextSyncAndNeverGoesBack() async throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("publish-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        let publisher = ExtensionSignature.newKey()
        let stranger = ExtensionSignature.newKey()
        try """
        site: {id: leeds, name: Leeds, region: r, time_zone: Europe/London, currency: GBP}
        work_centres: [{id: line}]
        rules:
          checks:
            - {id: site.probe, name: Probe, unit: °C, min: -50, work_centres: [line], corrective_action: Look}
        extension_keys:
          - {id: takt-eng, public_key: \(publisher.publicKey)}
        extensions:
          - {id: test.max, module: extensions/test.max.wasm, signature: extensions/test.max.wasm.sig}
        """.write(to: folder.appendingPathComponent("site.yaml"), atomically: true, encoding: .utf8)
        let registry = try BuiltinModules.registry()
        // Not installed yet: the site loads without it, and says so.
        let before = try SiteLoader(registry: registry).load(path: folder.path)
        #expect(before.extensions.isEmpty && before.warnings.contains { $0.contains("test.max is not installed yet") })

        let central = try CentralStore(path: folder.appendingPathComponent("central.sqlite").path)
        let site = try SiteStore(path: folder.appendingPathComponent("site.sqlite").path, siteID: "leeds")
        let key = SiteKey(id: "leeds-1", secret: Data(repeating: 7, count: 32))
        let configuration = CentralConfiguration(regions: [
            .init(id: "r", sites: [.init(id: "leeds", name: "Leeds", siteFile: nil, keys: [])])
        ])
        let v130 = try Self.module(version: "1.3.0")
        try await ExtensionPublishing.publish(
            module: v130, signature: try ExtensionSignature.sign(v130, privateKey: publisher.privateKey),
            sites: ["leeds"], by: "ada", at: Date(), store: central)
        // Versions never go backwards at central either.
        let v110 = try Self.module(version: "1.1.0")
        await #expect(throws: ExtensionPublishing.Refusal.self) {
            try await ExtensionPublishing.publish(
                module: v110, signature: try ExtensionSignature.sign(v110, privateKey: publisher.privateKey),
                sites: ["leeds"], by: "ada", at: Date(), store: central)
        }
        let server = CentralServer(
            store: central, configuration: configuration, keys: KeyRing([.init(site: "leeds", key: key)]))
        let installer = PublishedExtensions(sitePath: folder.path, registry: registry)
        try await server.serveOnLoopback { url in
            let agent = SyncAgent(
                outbox: SiteOutbox(store: site),
                client: CentralClient(site: "leeds", key: key, transport: URLSessionTransport(base: url)),
                policy: SyncPolicy(
                    batchSize: 50, baseDelay: 0.01, maximumDelay: 0.05, idleDelay: 0.01, configInterval: 0),
                install: { releases in _ = installer.install(releases) }, apply: { _ in nil })
            _ = await agent.step()
        }
        let after = try SiteLoader(registry: registry).load(path: folder.path)
        #expect(after.extensions.map { "\($0.id) \($0.version)" } == ["test.max 1.3.0"])
        #expect(SiteNames(after).extensions == ["test.max 1.3.0"])

        // An older release, or one signed by a stranger, is refused and 1.3.0 stays.
        let older = ExtensionRelease(
            id: "test.max", version: "1.1.0", module: v110.base64EncodedString(),
            signature: try ExtensionSignature.sign(v110, privateKey: publisher.privateKey), publishedBy: "ada",
            publishedAt: Date())
        #expect(installer.install([older]).first?.contains("versions never go backwards") == true)
        let v140 = try Self.module(version: "1.4.0")
        let forged = ExtensionRelease(
            id: "test.max", version: "1.4.0", module: v140.base64EncodedString(),
            signature: try ExtensionSignature.sign(v140, privateKey: stranger.privateKey), publishedBy: "mallory",
            publishedAt: Date())
        #expect(installer.install([forged]).first?.contains("no key under extension_keys verifies") == true)
        #expect(try SiteLoader(registry: registry).load(path: folder.path).extensions.first?.version == "1.3.0")
        // A tampered module file on disk no longer matches its signature: the site refuses to load it.
        let installed = folder.appendingPathComponent("extensions/test.max.wasm")
        var bytes = try Data(contentsOf: installed)
        bytes[bytes.count - 1] ^= 0xFF
        try bytes.write(to: installed)
        #expect(throws: HostError.self) { try SiteLoader(registry: registry).load(path: folder.path) }
    }
}
