import Foundation
import GRDB
import TaktCore

/// One site's embedded SQLite database (WAL mode): orders, lots, readings, findings and the sync outbox.
///
/// Every business write goes through one of this type's methods, each one transaction that also appends the
/// write's outbox rows, so the outbox never misses or invents a change.
public final class SiteStore: Sendable {
    /// The file the database lives in.
    public let path: String
    /// The site the database belongs to.
    public let siteID: String
    /// Identifies this incarnation of the database: a re-created database gets a new epoch, so central can tell
    /// its sequence numbers from the old ones.
    public let epoch: String
    /// The record kinds of the modules the site loads; their tables are created and migrated on open.
    public let recordKinds: [AnyRecordKind]
    let pool: DatabasePool

    /// Opens (creating if needed) the database at `path` for `siteID`, and migrates it to the current schema.
    ///
    /// - Parameters:
    ///   - newEpoch: makes the epoch for a newly created database; tests pass a fixed one.
    ///   - busyTimeout: how long a write waits for another process's lock before it reports `.locked`.
    ///   - createdAt: the creation time recorded for a new database; checks never recorded are due from it.
    ///   - recordKinds: the record kinds of the modules the site loads (`ModuleRegistry.recordKinds(of:)`).
    public convenience init(
        path: String, siteID: String, recordKinds: [AnyRecordKind] = [],
        newEpoch: @Sendable () -> String = { UUID().uuidString }, busyTimeout: TimeInterval = 5,
        createdAt: Date = Date()
    ) throws(StoreError) {
        // Everything that can fail happens before the object exists, so a refusal never half-builds a store.
        let (pool, epoch) = try Self.open(
            path: path, siteID: siteID, recordKinds: recordKinds, newEpoch: newEpoch, busyTimeout: busyTimeout,
            createdAt: createdAt)
        self.init(path: path, siteID: siteID, recordKinds: recordKinds, pool: pool, epoch: epoch)
    }

    init(path: String, siteID: String, recordKinds: [AnyRecordKind], pool: DatabasePool, epoch: String) {
        self.path = path
        self.siteID = siteID
        self.recordKinds = recordKinds
        self.pool = pool
        self.epoch = epoch
    }

    /// Opens the file, refuses a newer schema, migrates, and claims it for the site; returns the pool and epoch.
    static func open(
        path: String, siteID: String, recordKinds: [AnyRecordKind], newEpoch: @Sendable () -> String,
        busyTimeout: TimeInterval, createdAt: Date
    ) throws(StoreError) -> (DatabasePool, String) {
        var configuration = Configuration()
        configuration.busyMode = .timeout(busyTimeout)
        configuration.foreignKeysEnabled = true
        do {
            let directory = URL(fileURLWithPath: path).deletingLastPathComponent()
            try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
            let pool = try DatabasePool(path: path, configuration: configuration)
            let migrator = migrator(recordKinds)
            try refuseNewer(pool, migrator: migrator, path: path, modules: Set(recordKinds.map(\.module)))
            try migrate(pool, migrator)
            try pool.write { db in try ModuleRecordMigrations.ensureIndexes(recordKinds, db) }
            let epoch = try pool.write { db in
                try claim(db, path: path, siteID: siteID, newEpoch: newEpoch, createdAt: createdAt)
            }
            return (pool, epoch)
        } catch {
            throw translate(error, path: path, opening: true)
        }
    }

    /// Runs the migrations; when another process is migrating the same file at the same moment, waits and
    /// tries again, since each step is recorded once it is done.
    static func migrate(_ pool: DatabasePool, _ migrator: DatabaseMigrator) throws {
        var attempt = 0
        while true {
            do {
                try migrator.migrate(pool)
                return
            } catch {
                attempt += 1
                if attempt >= 5 { throw error }
                Thread.sleep(forTimeInterval: 0.05 * Double(attempt))
            }
        }
    }

    /// The default database file for a site: `<dataDirectory>/<site-id>.sqlite`.
    public static func defaultPath(siteID: String, dataDirectory: String = "data") -> String {
        URL(fileURLWithPath: dataDirectory).appendingPathComponent("\(siteID).sqlite").path
    }

    /// When this database was created: checks never recorded are due from then.
    public func createdAt() throws(StoreError) -> Date {
        try read { db in
            let text = try String.fetchOne(db, sql: "SELECT value FROM meta WHERE key = 'created_at'")
            return Date(timeIntervalSince1970: text.flatMap(Double.init) ?? 0)
        }
    }

    /// Names of the migrations applied so far, oldest first.
    public func appliedMigrations() throws(StoreError) -> [String] {
        let migrator = Self.migrator(recordKinds)
        return try read { db in try Array(migrator.appliedIdentifiers(db)).sorted() }
    }

    /// Runs `body` in one write transaction; any error rolls back everything it wrote.
    func write<T: Sendable>(_ body: @Sendable (Database) throws -> T) throws(StoreError) -> T {
        do { return try pool.write(body) } catch { throw Self.translate(error, path: path, opening: false) }
    }

    func read<T: Sendable>(_ body: @Sendable (Database) throws -> T) throws(StoreError) -> T {
        do { return try pool.read(body) } catch { throw Self.translate(error, path: path, opening: false) }
    }

    private static func claim(
        _ db: Database, path: String, siteID: String, newEpoch: () -> String, createdAt: Date
    ) throws -> String {
        if let owner = try String.fetchOne(db, sql: "SELECT value FROM meta WHERE key = 'site_id'") {
            guard owner == siteID else {
                throw StoreError.wrongSite(path: path, expected: siteID, found: owner)
            }
        } else {
            try db.execute(sql: "INSERT INTO meta (key, value) VALUES ('site_id', ?)", arguments: [siteID])
        }
        if let epoch = try String.fetchOne(db, sql: "SELECT value FROM meta WHERE key = 'epoch'") { return epoch }
        let epoch = newEpoch()
        try db.execute(sql: "INSERT INTO meta (key, value) VALUES ('epoch', ?)", arguments: [epoch])
        try db.execute(
            sql: "INSERT INTO meta (key, value) VALUES ('created_at', ?)",
            arguments: [createdAt.timeIntervalSince1970.description])
        return epoch
    }

    /// Refuses a database whose applied migrations include some this build does not know: a newer build wrote
    /// it, and an older one must not write to a schema it does not understand. Migrations of modules the site
    /// does not load (`<module>.<kind>.v<n>`, with a module outside `modules`) are left alone: their tables
    /// wait, untouched, until a build that loads the module opens the database.
    package static func refuseNewer(
        _ pool: some DatabaseReader, migrator: DatabaseMigrator, path: String, modules: Set<String> = []
    ) throws(StoreError) {
        let known = Set(migrator.migrations)
        let applied: [String]
        do {
            applied = try pool.read { db -> [String] in
                guard try db.tableExists("grdb_migrations") else { return [] }
                return try String.fetchAll(db, sql: "SELECT identifier FROM grdb_migrations")
            }
        } catch {
            throw translate(error, path: path, opening: true)
        }
        let unknown = applied.filter { identifier in
            guard !known.contains(identifier) else { return false }
            guard let dot = identifier.firstIndex(of: ".") else { return true }
            return modules.contains(String(identifier[..<dot]))
        }
        if !unknown.isEmpty { throw .newer(path: path, unknown: unknown.joined(separator: ", ")) }
    }

    package static func translate(_ error: any Error, path: String, opening: Bool) -> StoreError {
        if let error = error as? StoreError { return error }
        guard let error = error as? DatabaseError else {
            return .cannotOpen(path: path, reason: "\(error)")
        }
        switch error.resultCode {
        case .SQLITE_BUSY, .SQLITE_LOCKED: return .locked(path: path)
        case .SQLITE_NOTADB, .SQLITE_CORRUPT: return .corrupt(path: path, reason: error.message ?? "\(error)")
        case .SQLITE_CONSTRAINT: return .rejected(reason: error.message ?? "\(error)")
        case .SQLITE_CANTOPEN, .SQLITE_PERM, .SQLITE_READONLY:
            return .cannotOpen(path: path, reason: error.message ?? "\(error)")
        default:
            return opening
                ? .corrupt(path: path, reason: error.message ?? "\(error)")
                : .rejected(reason: error.message ?? "\(error)")
        }
    }
}
