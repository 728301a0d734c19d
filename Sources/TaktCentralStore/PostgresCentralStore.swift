import Foundation
import Logging
import PostgresNIO
import TaktCore
import TaktStore

/// Central's store on PostgreSQL, for organisations whose central outgrows one machine: several central
/// processes can serve the same database (ingest serialises per site with an advisory lock; nonces and
/// sessions live in the database).
public final class PostgresCentralStore: CentralStorage {
    let client: PostgresClient
    let logger: Logger

    init(client: PostgresClient, logger: Logger) {
        self.client = client
        self.logger = logger
    }

    /// How central uses its PostgreSQL server: how many connections a process keeps at most, and how long one
    /// statement may run before the server cancels it (a stuck query then fails one request, not the process).
    public struct Settings: Sendable, Hashable {
        public var poolSize: Int
        public var statementTimeoutSeconds: Double

        public init(poolSize: Int = 20, statementTimeoutSeconds: Double = 30) {
            self.poolSize = poolSize
            self.statementTimeoutSeconds = statementTimeoutSeconds
        }

        /// Why these settings cannot be used, or nil.
        public var problem: String? {
            if !(1...500).contains(poolSize) { return "postgres_pool_size must be 1 to 500, not \(poolSize)" }
            if !(statementTimeoutSeconds >= 0.1 && statementTimeoutSeconds <= 3600) {
                return "postgres_statement_timeout_seconds must be 0.1 to 3600, not \(statementTimeoutSeconds)"
            }
            return nil
        }
    }

    /// Connects to `url` (`postgres://user:password@host:5432/database`), runs the schema steps it lacks, and
    /// runs `body` with the store; the connections close when `body` returns.
    @discardableResult
    public static func with<T: Sendable>(
        url: String, settings: Settings = Settings(), logger: Logger = Logger(label: "takt.postgres"),
        _ body: @Sendable (PostgresCentralStore) async throws -> T
    ) async throws -> T {
        var logger = logger
        // The pool logs a warning when the first query races its start; only errors matter to an operator.
        logger.logLevel = max(logger.logLevel, .error)
        guard let parts = URLComponents(string: url), let host = parts.host, let user = parts.user else {
            throw StoreError.cannotOpen(path: url, reason: "expected postgres://user:password@host:port/database")
        }
        if let problem = settings.problem { throw StoreError.cannotOpen(path: "central.yaml", reason: problem) }
        var configuration = PostgresClient.Configuration(
            host: host, port: parts.port ?? 5432, username: user, password: parts.password,
            database: String(parts.path.dropFirst()).isEmpty ? nil : String(parts.path.dropFirst()),
            tls: try PostgresTLS.mode(url: parts))
        configuration.options.maximumConnections = settings.poolSize
        configuration.options.additionalStartupParameters = [
            ("statement_timeout", String(Int(settings.statementTimeoutSeconds * 1000)))
        ]
        let client = PostgresClient(configuration: configuration, backgroundLogger: logger)
        return try await withThrowingTaskGroup(of: T?.self) { group in
            group.addTask {
                await client.run()
                return nil
            }
            let store = PostgresCentralStore(client: client, logger: logger)
            do {
                try await store.migrate()
                let result = try await body(store)
                group.cancelAll()
                return result
            } catch {
                group.cancelAll()
                throw error
            }
        }
    }

    /// Runs `CentralSchema`'s steps this database has not run, in order, each recorded by name in
    /// `takt_migrations`, all in one transaction under an advisory lock (several processes may start at once).
    /// A database that ran a step this build does not know is refused untouched.
    func migrate() async throws {
        let logger = self.logger
        try await client.withTransaction(logger: logger) { connection in
            try await connection.query("SELECT pg_advisory_xact_lock(7302001)", logger: logger)
            try await connection.query(
                "CREATE TABLE IF NOT EXISTS takt_migrations (name TEXT PRIMARY KEY, applied_at TIMESTAMPTZ NOT NULL)",
                logger: logger)
            var applied: Set<String> = []
            for try await name in try await connection.query("SELECT name FROM takt_migrations", logger: logger)
                .decode(String.self)
            { applied.insert(name) }
            let known = Set(CentralSchema.steps.map(\.name))
            let unknown = applied.subtracting(known).sorted()
            if !unknown.isEmpty {
                throw StoreError.newer(path: "PostgreSQL database", unknown: unknown.joined(separator: ", "))
            }
            for step in CentralSchema.steps where !applied.contains(step.name) {
                for statement in step.postgres {
                    try await connection.query(PostgresQuery(unsafeSQL: statement), logger: logger)
                }
                try await connection.query(
                    "INSERT INTO takt_migrations (name, applied_at) VALUES (\(step.name), now())", logger: logger)
            }
        }
    }

    /// The steps this database has run, oldest first.
    public func migrations() async throws -> [String] {
        var names: [String] = []
        for try await name in try await client.query(
            "SELECT name FROM takt_migrations ORDER BY applied_at, name", logger: logger
        ).decode(String.self) { names.append(name) }
        return names
    }

    // MARK: ingest

    public func ingest(
        site: String, epoch: String, first: Int64, last: Int64, records: [CentralStore.IncomingRecord],
        configVersion: Int, sentAt: Date, now: Date, zone: TimeZone
    ) async throws -> CentralStore.IngestOutcome {
        let logger = self.logger
        return try await client.withTransaction(logger: logger) { connection in
            try await connection.query("SELECT pg_advisory_xact_lock(hashtext(\(site)))", logger: logger)
            var cursor: Int64 = 0
            for try await value in try await connection.query(
                "SELECT acknowledged FROM cursors WHERE site = \(site) AND epoch = \(epoch)", logger: logger
            ).decode(Int64.self) { cursor = value }
            guard first <= cursor + 1 else { return .gap(expected: cursor + 1) }
            // One statement for the whole batch (arrays unnested server-side), not a round trip per record.
            var inserted: Set<Int64> = []
            if !records.isEmpty {
                let rows = try await connection.query(
                    """
                    INSERT INTO records (site, epoch, seq, kind, class, key, payload, created_at, received_at, hash,
                        previous_hash)
                    SELECT \(site), \(epoch), r.seq, r.kind, r.class, r.key, r.payload, r.created_at, \(now),
                        NULLIF(r.hash, ''), NULLIF(r.previous_hash, '')
                    FROM unnest(\(records.map(\.seq))::bigint[], \(records.map(\.kind))::text[],
                        \(records.map(\.recordClass))::text[], \(records.map(\.key))::text[],
                        \(records.map(\.payload))::text[], \(records.map(\.createdAt))::timestamptz[],
                        \(records.map { $0.hash ?? "" })::text[], \(records.map { $0.previousHash ?? "" })::text[])
                        AS r(seq, kind, class, key, payload, created_at, hash, previous_hash)
                    ON CONFLICT DO NOTHING RETURNING seq
                    """, logger: logger)
                for try await seq in rows.decode(Int64.self) { inserted.insert(seq) }
            }
            let written = inserted.count
            let duplicated = records.count - written
            // Each new record's state columns and contribution, from one decoding of its payload.
            var effects: [Int64: Rollup.Effect] = [:]
            for record in records where inserted.contains(record.seq) {
                effects[record.seq] = Rollup.effect(
                    kind: record.kind, key: record.key, payload: record.payload, createdAt: record.createdAt, zone: zone
                )
            }
            // The newest record per kind and key becomes the latest state, once per key in the batch.
            var latest: [String: CentralStore.IncomingRecord] = [:]
            for record in records.sorted(by: { $0.seq < $1.seq })
            where inserted.contains(record.seq) && record.projectsToState {
                latest["\(record.kind)\u{0}\(record.key)"] = record
            }
            if !latest.isEmpty {
                let states = Array(latest.values)
                let columns = states.map { effects[$0.seq]?.columns ?? Rollup.StateColumns() }
                try await connection.query(
                    """
                    INSERT INTO state (site, kind, key, payload, updated_at, status, severity, at)
                    SELECT \(site), s.kind, s.key, s.payload, \(now), NULLIF(s.status, ''), NULLIF(s.severity, ''),
                        NULLIF(s.at, 'NaN')
                    FROM unnest(\(states.map(\.kind))::text[], \(states.map(\.key))::text[],
                        \(states.map(\.payload))::text[], \(columns.map { $0.status ?? "" })::text[],
                        \(columns.map { $0.severity ?? "" })::text[], \(columns.map { $0.at ?? .nan })::double precision[])
                        AS s(kind, key, payload, status, severity, at)
                    ON CONFLICT (site, kind, key) DO UPDATE SET payload = EXCLUDED.payload, updated_at = EXCLUDED.updated_at,
                        status = EXCLUDED.status, severity = EXCLUDED.severity, at = EXCLUDED.at
                    """, logger: logger)
            }
            let contributions = records.compactMap { effects[$0.seq]?.contribution }
            try await Self.roll(contributions, site: site, connection: connection, logger: logger)
            let graph = records.filter { inserted.contains($0.seq) }.sorted { $0.seq < $1.seq }.compactMap {
                LotGraph.change(kind: $0.kind, key: $0.key, payload: $0.payload)
            }
            try await Self.project(graph, site: site, connection: connection, logger: logger)
            let acknowledged = max(cursor, last)
            try await connection.query(
                """
                INSERT INTO cursors (site, epoch, acknowledged) VALUES (\(site), \(epoch), \(acknowledged))
                ON CONFLICT (site, epoch) DO UPDATE SET acknowledged = EXCLUDED.acknowledged
                """, logger: logger)
            let offset = sentAt.timeIntervalSince(now)
            try await connection.query(
                """
                INSERT INTO sites (id, epoch, last_heard_at, clock_offset_seconds, config_running)
                VALUES (\(site), \(epoch), \(now), \(offset), \(Int64(configVersion)))
                ON CONFLICT (id) DO UPDATE SET epoch = EXCLUDED.epoch, last_heard_at = EXCLUDED.last_heard_at,
                    clock_offset_seconds = EXCLUDED.clock_offset_seconds, config_running = EXCLUDED.config_running
                """, logger: logger)
            return .stored(acknowledged: acknowledged, written: written, duplicated: duplicated)
        }
    }

    public func noteContact(site: String, at: Date, configRunning: Int?) async throws {
        let running = configRunning.map(Int64.init)
        try await client.query(
            """
            INSERT INTO sites (id, last_heard_at, config_running) VALUES (\(site), \(at), COALESCE(\(running), 0))
            ON CONFLICT (id) DO UPDATE SET last_heard_at = EXCLUDED.last_heard_at,
                config_running = COALESCE(\(running), sites.config_running)
            """, logger: logger)
    }

    public func cursor(site: String, epoch: String) async throws -> Int64 {
        var cursor: Int64 = 0
        for try await value in try await client.query(
            "SELECT acknowledged FROM cursors WHERE site = \(site) AND epoch = \(epoch)", logger: logger
        ).decode(Int64.self) { cursor = value }
        return cursor
    }

    public func remember(key: String, nonce: String, expires: Date, now: Date) async throws -> Bool {
        try await client.query("DELETE FROM nonces WHERE expires_at < \(now.timeIntervalSince1970)", logger: logger)
        var inserted = false
        for try await _ in try await client.query(
            """
            INSERT INTO nonces (key_id, nonce, expires_at) VALUES (\(key), \(nonce), \(expires.timeIntervalSince1970))
            ON CONFLICT DO NOTHING RETURNING nonce
            """, logger: logger
        ).decode(String.self) { inserted = true }
        return inserted
    }

    // MARK: reading

    public func records(site: String) async throws -> [CentralStore.StoredRecord] {
        var result: [CentralStore.StoredRecord] = []
        for try await (epoch, seq, kind, recordClass, key, payload, createdAt, hash, previous)
            in try await client.query(
                """
                SELECT epoch, seq, kind, class, key, payload, created_at, COALESCE(hash, ''), COALESCE(previous_hash, '')
                FROM records WHERE site = \(site) ORDER BY epoch, seq
                """,
                logger: logger
            ).decode((String, Int64, String, String, String, String, Date, String, String).self)
        {
            result.append(
                .init(
                    site: site, epoch: epoch, seq: seq, kind: kind, recordClass: recordClass, key: key,
                    payload: payload,
                    createdAt: createdAt, hash: hash.isEmpty ? nil : hash,
                    previousHash: previous.isEmpty ? nil : previous
                ))
        }
        return result
    }

    public func state(site: String, kind: String) async throws -> [String: String] {
        var result: [String: String] = [:]
        for try await (key, payload) in try await client.query(
            "SELECT key, payload FROM state WHERE site = \(site) AND kind = \(kind)", logger: logger
        ).decode((String, String).self) { result[key] = payload }
        return result
    }

    public func knownSites() async throws -> [String] {
        var sites: [String] = []
        for try await id in try await client.query("SELECT id FROM sites ORDER BY id", logger: logger).decode(
            String.self)
        { sites.append(id) }
        return sites
    }

    public func contact(site: String) async throws -> CentralStore.SiteContact? {
        for try await (epoch, heard, offset, running) in try await client.query(
            "SELECT epoch, last_heard_at, clock_offset_seconds, config_running FROM sites WHERE id = \(site)",
            logger: logger
        ).decode((String?, Date?, Double?, Int64).self) {
            return .init(
                site: site, epoch: epoch, lastHeardAt: heard, clockOffsetSeconds: offset, configRunning: Int(running))
        }
        return nil
    }

    // MARK: configuration

    public func publish(site: String, document: String, by person: String, at: Date) async throws -> Int {
        let logger = self.logger
        return try await client.withTransaction(logger: logger) { connection in
            try await connection.query("SELECT pg_advisory_xact_lock(hashtext(\("config:" + site)))", logger: logger)
            var next: Int64 = 1
            for try await value in try await connection.query(
                "SELECT COALESCE(MAX(version), 0) + 1 FROM config_versions WHERE site = \(site)", logger: logger
            ).decode(Int64.self) { next = value }
            try await connection.query(
                """
                INSERT INTO config_versions (site, version, document, published_at, published_by)
                VALUES (\(site), \(next), \(document), \(at), \(person))
                """, logger: logger)
            return Int(next)
        }
    }

    public func config(site: String, since version: Int) async throws -> (version: Int, document: String, at: Date)? {
        for try await (number, document, at) in try await client.query(
            """
            SELECT version, document, published_at FROM config_versions WHERE site = \(site) AND version > \(Int64(version))
            ORDER BY version DESC LIMIT 1
            """, logger: logger
        ).decode((Int64, String, Date).self) { return (Int(number), document, at) }
        return nil
    }

    public func configHistory(site: String) async throws -> [ConfigVersion] {
        var result: [ConfigVersion] = []
        for try await (number, document, at, by) in try await client.query(
            """
            SELECT version, document, published_at, published_by FROM config_versions WHERE site = \(site)
            ORDER BY version DESC
            """, logger: logger
        ).decode((Int64, String, Date, String).self) {
            result.append(ConfigVersion(version: Int(number), document: document, publishedAt: at, publishedBy: by))
        }
        return result
    }

    // MARK: users

    public func saveUser(_ user: CentralStore.User) async throws {
        let scope = user.scope.joined(separator: ",")
        try await client.query(
            """
            INSERT INTO users (name, password_hash, role, scope) VALUES (\(user.name), \(user.passwordHash), \(user.role), \(scope))
            ON CONFLICT (name) DO UPDATE SET password_hash = EXCLUDED.password_hash, role = EXCLUDED.role, scope = EXCLUDED.scope
            """, logger: logger)
    }

    public func user(_ name: String) async throws -> CentralStore.User? {
        for try await (hash, role, scope) in try await client.query(
            "SELECT password_hash, role, scope FROM users WHERE name = \(name)", logger: logger
        ).decode((String, String, String).self) {
            return .init(
                name: name, passwordHash: hash, role: role, scope: scope.split(separator: ",").map(String.init))
        }
        return nil
    }

    public func removeUser(_ name: String) async throws -> Bool {
        var removed = false
        for try await _ in try await client.query(
            "DELETE FROM users WHERE name = \(name) RETURNING name", logger: logger
        )
        .decode(String.self) { removed = true }
        return removed
    }

    public func startSession(user: String, tokenHash: String, csrf: String, expires: Date) async throws {
        try await client.query(
            """
            INSERT INTO sessions (token_hash, "user", csrf, expires_at)
            VALUES (\(tokenHash), \(user), \(csrf), \(expires.timeIntervalSince1970))
            """, logger: logger)
    }

    public func session(tokenHash: String, now: Date) async throws -> (user: CentralStore.User, csrf: String)? {
        var found: (String, String)?
        for try await (name, csrf) in try await client.query(
            """
            SELECT "user", csrf FROM sessions WHERE token_hash = \(tokenHash) AND expires_at > \(now.timeIntervalSince1970)
            """, logger: logger
        ).decode((String, String).self) { found = (name, csrf) }
        guard let found, let user = try await user(found.0) else { return nil }
        return (user, found.1)
    }

    public func endSession(tokenHash: String) async throws {
        try await client.query("DELETE FROM sessions WHERE token_hash = \(tokenHash)", logger: logger)
    }

    public func addToken(user: String, tokenHash: String, at: Date, expires: Date) async throws {
        try await client.query(
            """
            INSERT INTO api_tokens (token_hash, "user", created_at, expires_at)
            VALUES (\(tokenHash), \(user), \(at), \(expires.timeIntervalSince1970))
            """, logger: logger)
    }

    public func tokenUser(tokenHash: String, now: Date) async throws -> CentralStore.User? {
        var name: String?
        for try await value in try await client.query(
            """
            SELECT "user" FROM api_tokens WHERE token_hash = \(tokenHash) AND expires_at > \(now.timeIntervalSince1970)
            """, logger: logger
        ).decode(String.self) { name = value }
        guard let name else { return nil }
        return try await user(name)
    }

    public func revokeCredentials(user: String) async throws -> Int {
        var count = 0
        for try await _ in try await client.query(
            "DELETE FROM sessions WHERE \"user\" = \(user) RETURNING token_hash", logger: logger
        ).decode(String.self) { count += 1 }
        for try await _ in try await client.query(
            "DELETE FROM api_tokens WHERE \"user\" = \(user) RETURNING token_hash", logger: logger
        ).decode(String.self) { count += 1 }
        return count
    }

    public func secret(name: String) async throws -> Data {
        let candidate = (0..<32).map { _ in String(format: "%02x", UInt8.random(in: 0...255)) }.joined()
        try await client.query(
            "INSERT INTO secrets (name, value) VALUES (\(name), \(candidate)) ON CONFLICT DO NOTHING", logger: logger)
        for try await value in try await client.query(
            "SELECT value FROM secrets WHERE name = \(name)", logger: logger
        ).decode(String.self) {
            return Data(value.utf8)
        }
        return Data(candidate.utf8)
    }
}

extension PostgresCentralStore {
    /// The size of the database on disk, in bytes (`pg_database_size`).
    public func databaseBytes() async throws -> Int {
        for try await size in try await client.query("SELECT pg_database_size(current_database())", logger: logger)
            .decode(Int64.self)
        { return Int(size) }
        return 0
    }
}
