import Foundation
import Testing

@testable import TaktCentral
@testable import TaktCentralStore
@testable import TaktCore
@testable import TaktHost
@testable import TaktStore
@testable import TaktSync

/// A module built outside the core (the test-only `test_kiln`) keeps records of its own: its command writes
/// them through the real host and store, its rule reads them through the rule context, they travel in the
/// outbox under their namespaced kinds, central stores them without knowing the module, and central runs the
/// module's projection when it is built in.
@Suite struct ModuleRecordsEndToEndTests {
    static let siteText = """
        site: {id: leeds, name: Leeds Pottery, region: uk-north, time_zone: Europe/London, currency: GBP}
        work_centres: [{id: kiln-line}]
        products: [{id: pot}]
        staff: [{id: amara, name: Amara}]
        modules:
          test_kiln:

        """

    let registry: ModuleRegistry
    let folder: URL

    init() throws {
        registry = try ModuleRegistry([KilnModule.self])
        folder = FileManager.default.temporaryDirectory.appendingPathComponent("kiln-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
    }

    func host() throws -> SiteHost {
        let definition = try SiteLoader(registry: registry).load(text: Self.siteText, file: "site.yaml")
        let store = try SiteStore(
            path: folder.appendingPathComponent("leeds.sqlite").path, siteID: "leeds",
            recordKinds: definition.recordKinds)
        return SiteHost(definition: definition, store: store)
    }

    func run(_ words: [String], at host: SiteHost) throws -> CommandOutput {
        let line = try #require(ModuleCommandLineForTests.match(words, in: registry))
        return try line.command.run(
            CommandInput(values: line.values, timeZone: host.definition.timeZone), at: host)
    }

    @Test func aModulesRecordsGoThroughHostRuleStoreSyncAndCentral() async throws {
        let host = try host()
        #expect(
            try host.store.appliedMigrations().filter { $0.hasPrefix("test_kiln.") } == [
                "test_kiln.firing.v1", "test_kiln.firing.v2", "test_kiln.kiln.v1",
            ])
        _ = try run(["kilns", "add", "--id", "k1", "--maximum", "1250"], at: host)
        #expect(try host.latest(KilnModule.kilns, key: "k1") == KilnModule.Kiln(id: "k1", maximum: 1250))

        // Within the limit: nothing found. Above it: the rule, reading the kiln from its context, blocks it.
        let calm = try run(
            ["kilns", "fire", "--kiln", "k1", "--temperature", "1200", "--at", "2026-11-24T08:00"], at: host)
        #expect(calm.lines.isEmpty)
        #expect(String(decoding: try calm.json(), as: UTF8.self) == "[\n\n]")
        let hot = try run(
            ["kilns", "fire", "--kiln", "k1", "--temperature", "1290", "--at", "2026-11-24T09:00"], at: host)
        #expect(hot.lines == ["kiln k1 fired at 1290.0 °C, above its 1250.0 °C"])
        #expect(try host.activeBlocks().map { "\($0.kind.rawValue) \($0.target)" } == ["block_kiln k1"])
        #expect(try host.records(KilnModule.firings, where: "kiln", equals: "k1").map(\.temperature) == [1200, 1290])

        // In the outbox under their namespaced kinds, with the version of their shape.
        let outbox = try host.store.outbox()
        #expect(outbox.filter { $0.kind == "test_kiln.firing" }.count == 2)
        let kilnEntry = try #require(outbox.first { $0.kind == "test_kiln.kiln" })
        #expect(kilnEntry.payload == #"{"record":{"id":"k1","maximum":1250},"version":1}"#)

        // Central stores them without the module and, with it built in, summarises them.
        let central = try await sync(host)
        #expect(try await central.state(site: "leeds", kind: "test_kiln.kiln").keys.sorted() == ["k1"])
        let state = try await SiteState.load(
            site: Self.entry, region: "uk-north", store: central, now: Date(), projections: registry.projections)
        #expect(state.modules.map(\.title) == ["Kilns"])
        #expect(state.modules.first?.lines.map(\.value) == ["1", "1250 °C"])
        #expect(state.unreadableRecords == 0)
        // Without the module built in, central keeps the records but shows nothing of them.
        let plain = try await SiteState.load(site: Self.entry, region: "uk-north", store: central, now: Date())
        #expect(plain.modules.isEmpty)
        #expect(
            Dashboard.tile(state, zone: .current, now: Date()).contains(
                "<dt>Kilns</dt><dd>kilns 1, hottest limit 1250 °C</dd>"))
    }

    /// Sends the site's outbox to a fresh central on loopback; returns central's store.
    func sync(_ host: SiteHost) async throws -> CentralStore {
        let central = try CentralStore(path: folder.appendingPathComponent("central.sqlite").path)
        let key = SiteKey(id: "leeds-1", secret: Data(repeating: 7, count: 32))
        let server = CentralServer(
            store: central, configuration: CentralConfiguration(regions: []),
            keys: KeyRing([.init(site: "leeds", key: key)]), projections: registry.projections)
        try await server.serveOnLoopback { url in
            let agent = SyncAgent(
                outbox: SiteOutbox(store: host.store),
                client: CentralClient(site: "leeds", key: key, transport: URLSessionTransport(base: url)),
                policy: SyncPolicy(
                    batchSize: 50, baseDelay: 0.01, maximumDelay: 0.05, idleDelay: 0.01, configInterval: 0),
                apply: { _ in nil })
            #expect(await agent.drain(until: Date().addingTimeInterval(20)))
        }
        return central
    }

    static let entry = try! JSONDecoder().decode(
        CentralConfiguration.SiteEntry.self, from: Data(#"{"id": "leeds", "keys": []}"#.utf8))

    @Test func aProjectionLineNeedingAttentionMakesTheSiteAmberAndSaysWhy() async throws {
        let host = try host()
        _ = try run(["kilns", "add", "--id", "k9", "--maximum", "1400"], at: host)
        let central = try await sync(host)
        let state = try await SiteState.load(
            site: Self.entry, region: "uk-north", store: central, now: Date(), projections: registry.projections)
        #expect(state.status == "amber")
        #expect(state.reason.contains("kilns: hottest limit 1400 °C"), "\(state.reason)")
        #expect(
            Dashboard.tile(state, zone: .current, now: Date()).contains(
                "<dd class=\"attention\">kilns 1, hottest limit 1400 °C</dd>"))
        #expect(
            Dashboard.sitePage(state, zone: .current, history: .empty, now: Date()).contains(
                "id=\"module-test_kiln.kiln\""))
    }

    @Test func aRecordThatDoesNotDecodeIsRefusedAtReadNamingTheModuleAndKind() throws {
        let host = try host()
        _ = try run(["kilns", "add", "--id", "k1", "--maximum", "1250"], at: host)
        try host.store.pool.write { db in
            try db.execute(sql: #"UPDATE "test_kiln.kiln" SET payload = '{"id": "k1"}'"#)
        }
        #expect {
            _ = try host.latest(KilnModule.kilns, key: "k1")
        } throws: { error in
            "\(error)".contains("module test_kiln: test_kiln.kiln record 'k1' does not decode")
        }
        // A firing is judged by a rule that reads the kilns: refused before anything is written.
        let before = try host.store.outbox().count
        #expect(throws: (any Error).self) {
            _ = try run(
                ["kilns", "fire", "--kiln", "k1", "--temperature", "1300", "--at", "2026-11-24T09:00"], at: host)
        }
        #expect(try host.store.outbox().count == before)
    }

    @Test func aRecordOfAKindNoLoadedModuleKeepsIsRefused() throws {
        let host = try host()
        let stranger = RecordKind<KilnModule.Kiln>.state("other_module.kiln", key: \.id)
        #expect {
            _ = try host.apply(RecordChange(writes: [try stranger.write(.init(id: "x", maximum: 1))], at: Date()))
        } throws: { error in
            "\(error)".contains("no module loaded at leeds keeps 'other_module.kiln' records")
        }
    }
}

/// Finds a module command and its `--name value` pairs from words, as `takt` does, for tests that call the
/// command directly.
enum ModuleCommandLineForTests {
    static func match(_ words: [String], in registry: ModuleRegistry) -> (
        command: ModuleCommand, values: [String: String]
    )? {
        guard let top = registry.commands.first(where: { $0.command.name == words.first })?.command else { return nil }
        var command = top
        var rest = Array(words.dropFirst())
        while let next = rest.first, let sub = command.subcommands.first(where: { $0.name == next }) {
            command = sub
            rest.removeFirst()
        }
        var values: [String: String] = [:]
        while rest.count >= 2, rest[0].hasPrefix("--") {
            values[String(rest[0].dropFirst(2))] = rest[1]
            rest.removeFirst(2)
        }
        return rest.isEmpty ? (command, values) : nil
    }
}
