import ArgumentParser
import Foundation
import Logging
import TaktCentral
import TaktCentralStore
import TaktCore
import TaktHost
import TaktStore
import TaktSync

/// `takt site run`: the site's services — sync to central and the overdue/expiry sweep — until Ctrl-C.
struct RunCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "run",
        abstract: "Run the site: sync its outbox to central and raise overdue findings, until stopped.")

    @OptionGroup var site: SiteOptions
    @Option(help: "Central's URL, e.g. https://central.example:8443 (default: $TAKT_CENTRAL).")
    var central: String = ProcessInfo.processInfo.environment["TAKT_CENTRAL"] ?? ""
    @Option(name: .customLong("key-id"), help: "This site's key id, as central.yaml names it.") var keyID: String
    @Option(name: .customLong("key-file"), help: "This site's key file (mode 0600).", completion: .file())
    var keyFile: String
    @Option(
        name: .customLong("ca-file"),
        help: "PEM file of the private CA that signed central's certificate (default: the system's trust store).",
        completion: .file(extensions: ["pem", "crt"]))
    var caFile: String?
    @Option(name: .customLong("batch-size"), help: "Records per batch at most.")
    var batchSize: Int = SyncPolicy.defaultBatchSize
    @Option(name: .customLong("sweep-every"), help: "Time between overdue/expiry sweeps (60s, 5m).")
    var sweepEvery: DurationArgument = DurationArgument(seconds: 60)
    @Flag(help: "Send everything, then exit (0 when central has it all).") var drain = false
    @Option(help: "With --drain: give up after this long (60s, 5m).") var timeout: DurationArgument = DurationArgument(
        seconds: 60)
    @Flag(name: .customLong("app"), help: "Serve the site app and API too (see --app-host, --app-port).")
    var app = false
    @OptionGroup var listening: AppListeningOptions

    func run() async throws {
        let host = try site.open()
        // Held until the process ends: a restore refuses while the site runs.
        let inUse: SiteInUse
        do { inUse = try SiteInUse(path: host.store.path) } catch {
            throw CommandFailure(message: error.description, code: 2)
        }
        defer { withExtendedLifetime(inUse) {} }
        guard !central.isEmpty else { throw ValidationError("--central: give central's URL (or set TAKT_CENTRAL)") }
        guard let url = URL(string: central), url.scheme == "http" || url.scheme == "https" else {
            throw ValidationError("--central: '\(central)' is not an http or https URL")
        }
        let key: SiteKey
        do { key = try SiteKey.load(id: keyID, file: keyFile) } catch {
            throw CommandFailure(message: error.description, code: 2)
        }
        let privateCA: HTTPClientTransport?
        do {
            privateCA = try caFile.map { path throws(SyncError) in try HTTPClientTransport(base: url, caFile: path) }
        } catch { throw CommandFailure(message: error.description, code: 2) }
        let client = CentralClient(
            site: host.definition.site.id, key: key,
            transport: privateCA.map { $0 as any SyncTransport } ?? URLSessionTransport(base: url))
        do {
            try await serve(host: host, client: client)
            await privateCA?.shutdown()
        } catch {
            await privateCA?.shutdown()
            throw error
        }
    }

    /// Drains once, or runs until SIGINT/SIGTERM.
    func serve(host: SiteHost, client: CentralClient) async throws {
        var logger = Logger(label: "takt.site.\(host.definition.site.id)")
        logger.logLevel = .info
        let runner = SiteRunner(
            sitePath: site.site, host: host, client: client, registry: try Takt.modules(),
            policy: SyncPolicy(batchSize: max(1, batchSize)), sweepInterval: Double(max(1, sweepEvery.seconds)),
            logger: logger)
        if drain {
            let complete = await runner.agent().drain(until: Date().addingTimeInterval(Double(timeout.seconds)))
            let status = try host.store.syncStatus(now: Date())
            print("acknowledged \(status.acknowledged) of \(status.lastSequence); outbox depth \(status.outboxDepth)")
            if !complete {
                throw CommandFailure(
                    message: status.lastError ?? "central did not acknowledge everything in time", code: 1)
            }
            return
        }
        let task = Task { await runner.run() }
        let pages = app ? Task { try await listening.serve(host) } : nil
        let stop = StopFlag()
        stop.install()
        await stop.wait()
        task.cancel()
        pages?.cancel()
        _ = await task.value
        _ = try? await pages?.value
    }
}

/// `takt site sync-status`.
struct SyncStatusCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "sync-status",
        abstract: "Outbox depth, oldest unacknowledged record's age, last success, last error, dead letters.")

    @OptionGroup var site: SiteOptions
    @OptionGroup var output: OutputOptions

    func run() throws {
        let host = try site.open()
        let status = try host.store.syncStatus(now: Date())
        if output.json { return try output.print(json: status) }
        let zone = host.definition.timeZone
        print("site \(status.site), epoch \(status.epoch), configuration version \(status.configVersion)")
        print(
            "outbox: \(status.lastSequence) records, \(status.acknowledged) acknowledged, \(status.outboxDepth) waiting"
        )
        if let age = status.oldestUnacknowledgedAgeSeconds {
            print("oldest waiting: \(TimeSpan(seconds: Int(age))) old")
        }
        print("last success: \(status.lastSuccess.map { Instant.format($0, in: zone) } ?? "never")")
        if let error = status.lastError {
            print("last error: \(status.lastErrorAt.map { Instant.format($0, in: zone) } ?? "?"): \(error)")
        }
        print("dead letters: \(status.deadLetters.count)")
        for letter in status.deadLetters { print("  #\(letter.seq) \(letter.kind): \(letter.reason)") }
    }
}

/// `takt keys generate`.
struct KeysCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "keys", abstract: "Site keys for signing sync requests.", subcommands: [Generate.self])

    struct Generate: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Write a new random key to FILE with mode 0600.")
        @Argument(help: "The key file to write.") var file: String

        func run() throws {
            guard !FileManager.default.fileExists(atPath: file) else {
                throw CommandFailure(message: "\(file) exists; refusing to overwrite a key", code: 2)
            }
            do { try SiteKey.generate(file: file) } catch { throw CommandFailure(message: error.description, code: 1) }
            print("wrote \(file) (mode 0600); list it under the site's keys in central.yaml")
        }
    }
}

/// `takt central`: the regional instance.
struct CentralCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "central", abstract: "Run and manage the central instance.",
        subcommands: [
            Serve.self, Publish.self, Status.self, Verify.self, UserCommand.self, RollupsCommand.self,
            ArchiveCommand.self, CentralAuditCommand.self, RatesCommand.self, CentralExtensionsCommand.self,
        ])

    /// How central validates a document before publishing it: against each site's file, with the built-in modules.
    static func validation(_ configuration: CentralConfiguration, base: URL) throws -> CentralValidation {
        CentralValidation(
            siteFiles: Dictionary(
                configuration.sites.compactMap { entry in entry.site.siteFile.map { (entry.site.id, $0) } },
                uniquingKeysWith: { first, _ in first }),
            base: base, registry: try Takt.modules())
    }

    /// Central's SQLite store under `dataDir`.
    static func sqliteStore(dataDir: String) throws -> CentralStore {
        try CentralStore(path: URL(fileURLWithPath: dataDir).appendingPathComponent("central.sqlite").path)
    }

    /// Runs `body` with central's store: PostgreSQL when `configuration` (or `TAKT_CENTRAL_POSTGRES_URL`) names
    /// one, else SQLite under `dataDir`.
    static func withStore<T: Sendable>(
        _ configuration: CentralConfiguration?, base: URL, dataDir: String,
        _ body: @Sendable (any CentralStorage) async throws -> T
    ) async throws -> T {
        let url: String?
        do {
            url = try (configuration ?? CentralConfiguration(regions: [])).resolvedPostgresURL(
                base: base, environment: ProcessInfo.processInfo.environment)
        } catch { throw CommandFailure(message: error.description, code: 2) }
        if let url {
            let settings = (configuration ?? CentralConfiguration(regions: [])).postgresSettings
            if let problem = settings.problem { throw CommandFailure(message: "central.yaml: \(problem)", code: 2) }
            return try await PostgresCentralStore.with(url: url, settings: settings) { try await body($0) }
        }
        return try await body(try sqliteStore(dataDir: dataDir))
    }

    struct CentralOptions: ParsableArguments {
        @Option(help: "central.yaml: regions, sites and keys.") var config: String = "central.yaml"
        @Option(name: .customLong("data-dir"), help: "Where central's database lives.") var dataDir: String =
            "central-data"

        func load() throws -> (CentralConfiguration, URL) {
            let configuration = try YAMLFile.load(CentralConfiguration.self, path: config)
            if let days = configuration.retentionDays, let problem = Retention.problem(days: days) {
                throw CommandFailure(message: "\(config): \(problem); nothing changed", code: 2)
            }
            if let problem = configuration.targets?.problem ?? configuration.staleAfterProblem {
                throw CommandFailure(message: "\(config): \(problem); nothing changed", code: 2)
            }
            return (configuration, URL(fileURLWithPath: config).deletingLastPathComponent())
        }

        func store() throws -> CentralStore { try CentralCommand.sqliteStore(dataDir: dataDir) }

        /// Runs `body` with central's store: PostgreSQL when central.yaml (or `TAKT_CENTRAL_POSTGRES_URL`) names
        /// one, else SQLite.
        func withStore<T: Sendable>(_ body: @Sendable (any CentralStorage) async throws -> T) async throws -> T {
            let (configuration, base) = try load()
            return try await CentralCommand.withStore(configuration, base: base, dataDir: dataDir, body)
        }

        /// A warning when central.yaml can be read by other users (it may hold a database password).
        func warnIfReadableByOthers() {
            guard let attributes = try? FileManager.default.attributesOfItem(atPath: config),
                let mode = (attributes[.posixPermissions] as? NSNumber)?.intValue, mode & 0o007 != 0
            else { return }
            FileHandle.standardError.write(
                Data(
                    "warning: \(config) is readable by other users (mode \(String(mode, radix: 8))); run chmod 640 \(config), or keep the database password in postgres_password_file\n"
                        .utf8))
        }
    }

    struct Serve: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Serve the sync endpoints until Ctrl-C.")
        @OptionGroup var central: CentralOptions
        @Option(help: "Address to listen on.") var host: String = "127.0.0.1"
        @Option(help: "Port to listen on (0 picks a free one).") var port: Int = 8080
        @Option(
            name: .customLong("tls-cert"), help: "PEM certificate chain: serve HTTPS (needs --tls-key).",
            completion: .file(extensions: ["pem", "crt"]))
        var tlsCert: String?
        @Option(
            name: .customLong("tls-key"), help: "PEM private key of --tls-cert.",
            completion: .file(extensions: ["pem", "key"]))
        var tlsKey: String?
        @Option(name: .customLong("idle-timeout"), help: "Close a connection idle this long (10s, 2m).")
        var idleTimeout: DurationArgument = DurationArgument(seconds: 30)

        func validate() throws {
            if (tlsCert == nil) != (tlsKey == nil) { throw ValidationError("--tls-cert and --tls-key go together") }
        }

        func run() async throws {
            central.warnIfReadableByOthers()
            let (configuration, base) = try central.load()
            let keys: KeyRing
            do { keys = try configuration.keyRing(base: base) } catch {
                throw CommandFailure(message: error.description, code: 2)
            }
            let tls = tlsCert.flatMap { cert in tlsKey.map { (certificate: cert, key: $0) } }
            let listening = CentralServer.Listening(
                host: host, port: port, tls: tls, idleTimeout: Int(idleTimeout.seconds))
            let scheme = tls == nil ? "http" : "https"
            let host = self.host
            try await central.withStore { store in
                let validation = try CentralCommand.validation(configuration, base: base)
                let zones = validation.timeZones()
                if let rebuilt = try await RollupsCommand.rebuildIfStale(
                    store, configuration: configuration, zones: zones)
                {
                    FileHandle.standardOutput.write(Data("rebuilt the daily roll-ups of \(rebuilt) site(s)\n".utf8))
                }
                let server = CentralServer(
                    store: store, configuration: configuration, keys: keys, validate: validation.validate,
                    checks: validation.checks,
                    timeZones: zones, secure: tls != nil, projections: try Takt.modules().projections)
                let reports = configuration.reportsFolder.map {
                    $0.hasPrefix("/") ? URL(fileURLWithPath: $0) : base.appendingPathComponent($0)
                }
                do {
                    try await withThrowingTaskGroup(of: Void.self) { group in
                        group.addTask {
                            try await server.serve(listening) { bound in
                                FileHandle.standardOutput.write(
                                    Data("central listening on \(scheme)://\(host):\(bound)\n".utf8))
                            }
                        }
                        if let reports {
                            // Last month's regional reports, once each month has ended; checked every hour.
                            group.addTask {
                                while !Task.isCancelled {
                                    do {
                                        for file in try await server.writeRegionalReportsIfDue(to: reports) {
                                            FileHandle.standardOutput.write(Data("wrote \(file)\n".utf8))
                                        }
                                    } catch {
                                        FileHandle.standardError.write(
                                            Data("regional reports not written: \(error)\n".utf8))
                                    }
                                    try? await Task.sleep(for: .seconds(3600))
                                }
                            }
                        }
                        // Serving ends on SIGINT or SIGTERM; the report loop with it.
                        try await group.next()
                        group.cancelAll()
                    }
                } catch let error as CentralError { throw CommandFailure(message: error.description, code: 2) }
            }
        }
    }

    struct Publish: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract:
                "Publish a configuration document (rules to add) for a site; refused if the site would not validate.")
        @OptionGroup var central: CentralOptions
        @Option(name: .customLong("site-id"), help: "The site's id in central.yaml.") var site: String
        @Option(help: "The YAML document: a rules: section.", completion: .file(extensions: ["yaml", "yml"]))
        var file: String
        @Option(help: "Who publishes it.") var by: String = "administrator"
        @OptionGroup var output: OutputOptions

        struct Published: Encodable {
            var site: String
            var version: Int
        }

        func run() async throws {
            let (configuration, base) = try central.load()
            guard configuration.sites.contains(where: { $0.site.id == site }) else {
                throw CommandFailure(message: "unknown site '\(site)' in \(central.config)", code: 2)
            }
            guard let document = try? String(contentsOfFile: file, encoding: .utf8) else {
                throw CommandFailure(message: "\(file): cannot read", code: 2)
            }
            let validation = try CentralCommand.validation(configuration, base: base)
            if let refusal = validation.validate(site, document) {
                throw CommandFailure(message: "refused, nothing published:\n\(refusal)", code: 2)
            }
            let (siteID, author) = (site, by)
            let version = try await central.withStore { store in
                try await store.publish(site: siteID, document: document, by: author, at: Date())
            }
            if output.json { return try output.print(json: Published(site: site, version: version)) }
            print("published configuration version \(version) for \(site)")
        }
    }

    struct Status: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "What central knows of each site's connection.")
        @OptionGroup var central: CentralOptions
        @OptionGroup var output: OutputOptions

        func run() async throws {
            let (configuration, _) = try central.load()
            let ids = configuration.sites.map(\.site.id)
            let rows = try await central.withStore { store in
                var rows: [CentralStore.SiteContact] = []
                for id in ids { rows.append(try await store.contact(site: id) ?? .init(site: id, configRunning: 0)) }
                return rows
            }
            if output.json { return try output.print(json: rows) }
            for row in rows {
                let heard = row.lastHeardAt.map { Instant.iso($0) } ?? "never"
                let offset = row.clockOffsetSeconds.map { String(format: "%+.1f s", $0) } ?? "-"
                print("\(row.site): last heard \(heard), clock offset \(offset), configuration \(row.configRunning)")
            }
        }
    }

    struct Verify: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Check that central holds every fact of a site's outbox exactly once, with the same content.")
        @Option(name: .customLong("central-data-dir"), help: "Where central's database lives.")
        var centralDataDir: String = "central-data"
        @Option(
            name: .customLong("central-config"),
            help:
                "central.yaml, to reach central's store wherever it is (PostgreSQL too) instead of --central-data-dir.")
        var centralConfig: String?
        @OptionGroup var site: SiteOptions
        @Flag(name: .customLong("require-facts"), help: "Fail when the site wrote no facts (nothing to verify).")
        var requireFacts = false
        @OptionGroup var output: OutputOptions

        func run() async throws {
            let host = try site.open()
            let id = host.definition.site.id
            let configuration = try centralConfig.map { try YAMLFile.load(CentralConfiguration.self, path: $0) }
            let base = URL(fileURLWithPath: centralConfig ?? ".").deletingLastPathComponent()
            let atCentral = try await CentralCommand.withStore(configuration, base: base, dataDir: centralDataDir) {
                store in try await store.records(site: id)
            }
            let report = SyncVerification(
                local: try host.store.outbox(after: 0, limit: Int.max).map(\.verifiable),
                central: atCentral.map(\.verifiable), epoch: host.store.epoch, requireFacts: requireFacts)
            if output.json {
                try output.print(json: report)
            } else {
                print(report.summary)
            }
            if !report.problems.isEmpty {
                throw CommandFailure(message: report.problems.prefix(20).joined(separator: "\n"), code: 1)
            }
        }
    }
}
