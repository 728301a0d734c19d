import Foundation
import TaktCentralStore
import TaktSync

/// `central.yaml`: the regions, their sites, and each site's keys. Paths are relative to the file.
public struct CentralConfiguration: Codable, Sendable {
    public struct Region: Codable, Sendable {
        public var id: String
        public var name: String?
        /// The region's reporting currency (ISO 4217).
        public var currency: String?
        public var sites: [SiteEntry]

        public init(id: String, name: String? = nil, currency: String? = nil, sites: [SiteEntry]) {
            self.id = id
            self.name = name
            self.currency = currency
            self.sites = sites
        }
    }

    public struct SiteEntry: Codable, Sendable {
        public var id: String
        public var name: String?
        /// The site's folder or `site.yaml`, so central can validate configuration before publishing it.
        public var siteFile: String?
        public var keys: [KeyEntry]

        public init(id: String, name: String? = nil, siteFile: String? = nil, keys: [KeyEntry] = []) {
            self.id = id
            self.name = name
            self.siteFile = siteFile
            self.keys = keys
        }

        enum CodingKeys: String, CodingKey {
            case id, name, keys
            case siteFile = "site_file"
        }
    }

    public struct KeyEntry: Codable, Sendable {
        public var id: String
        /// A key file written by `takt keys generate` (mode 0600).
        public var file: String
        /// A revoked key is refused; keep it listed so its refusals say so.
        public var revoked: Bool?
    }

    public var regions: [Region]
    /// Seconds a signed request stays valid either side of central's clock; 300 when absent.
    public var signatureWindowSeconds: Int?
    /// Ingest requests handled at once before central answers 503; 32 when absent.
    public var maxInFlight: Int?
    /// Batches per second one site may send before central answers 429; 50 when absent.
    public var perSiteRate: Double?
    /// PostgreSQL instead of the SQLite file under `--data-dir`: `postgres://user:password@host:5432/db`.
    /// Several central processes may serve one PostgreSQL database.
    public var postgresURL: String?
    /// A file holding the PostgreSQL URL (one line), so the password need not live in `central.yaml`.
    public var postgresURLFile: String?
    /// A file holding the PostgreSQL password, put into `postgres_url` (which then names none).
    public var postgresPasswordFile: String?
    /// Bytes of not-yet-authenticated request bodies central holds at once; 128 MiB when absent.
    public var maxBodyBytesInFlight: Int?
    /// Connections one central process keeps to PostgreSQL at most; 20 when absent.
    public var postgresPoolSize: Int?
    /// Seconds one PostgreSQL statement may run before the server cancels it; 30 when absent.
    public var postgresStatementTimeoutSeconds: Double?
    /// Days raw records are kept before `takt central archive` may move them to files; for ever when absent.
    /// Roll-ups are kept for ever. At least `Retention.minimumDays`.
    public var retentionDays: Int?
    /// Where `central serve` writes each region's monthly report (HTML and CSV) once a month has ended, relative to
    /// central.yaml's folder; none when absent.
    public var reportsFolder: String?
    /// The targets the trend charts draw and the comparison measures against (`targets:`).
    public var targets: KPITargets?
    /// Seconds without any signed request from a site before the overview calls it stale (grey, "No contact");
    /// 900 when absent. At least 60: an idle site checks in every 30 s.
    public var staleAfterSeconds: Int?

    /// How long without contact makes a site stale.
    public var staleAfter: TimeInterval { TimeInterval(staleAfterSeconds ?? 900) }

    /// Why `stale_after_seconds` cannot be used, or nil.
    public var staleAfterProblem: String? {
        guard let seconds = staleAfterSeconds, seconds < 60 else { return nil }
        return "stale_after_seconds \(seconds) is under 60: an idle site checks in every 30 s, so it would flicker grey"
    }

    /// What good looks like, the same for every site of this central: shares from 0 to 1.
    public struct KPITargets: Codable, Sendable, Hashable {
        /// OEE; 0.85 when absent (the usual world-class figure).
        public var oee: Double?
        /// Schedule adherence, orders on time ÷ due; 0.95 when absent.
        public var adherence: Double?
        /// Checks done on time ÷ due; 1 when absent (every control point, every time).
        public var checksOnTime: Double?

        public init(oee: Double? = nil, adherence: Double? = nil, checksOnTime: Double? = nil) {
            self.oee = oee
            self.adherence = adherence
            self.checksOnTime = checksOnTime
        }

        enum CodingKeys: String, CodingKey {
            case oee, adherence
            case checksOnTime = "checks_on_time"
        }

        /// The first target that is not a share from 0 to 1, named; nil when all are.
        public var problem: String? {
            for (name, value) in [("oee", oee), ("adherence", adherence), ("checks_on_time", checksOnTime)] {
                if let value, !(value > 0 && value <= 1) {
                    return "targets.\(name) \(value) is not a share above 0 and at most 1 (write 0.85 for 85 %)"
                }
            }
            return nil
        }
    }

    /// The targets, with their defaults.
    public var kpiTargets: (oee: Double, adherence: Double, checksOnTime: Double) {
        (targets?.oee ?? 0.85, targets?.adherence ?? 0.95, targets?.checksOnTime ?? 1)
    }

    enum CodingKeys: String, CodingKey {
        case regions
        case signatureWindowSeconds = "signature_window_seconds"
        case maxInFlight = "max_in_flight"
        case perSiteRate = "per_site_rate"
        case postgresURL = "postgres_url"
        case postgresURLFile = "postgres_url_file"
        case postgresPasswordFile = "postgres_password_file"
        case maxBodyBytesInFlight = "max_body_bytes_in_flight"
        case postgresPoolSize = "postgres_pool_size"
        case postgresStatementTimeoutSeconds = "postgres_statement_timeout_seconds"
        case retentionDays = "retention_days"
        case targets
        case staleAfterSeconds = "stale_after_seconds"
        case reportsFolder = "reports_folder"
    }

    public init(
        regions: [Region], signatureWindowSeconds: Int? = nil, maxInFlight: Int? = nil, perSiteRate: Double? = nil
    ) {
        self.regions = regions
        self.signatureWindowSeconds = signatureWindowSeconds
        self.maxInFlight = maxInFlight
        self.perSiteRate = perSiteRate
    }

    /// The PostgreSQL URL to use, or nil for SQLite. In order: the `TAKT_CENTRAL_POSTGRES_URL` environment
    /// variable, `postgres_url_file`, `postgres_url`; `postgres_password_file` then supplies the password.
    /// Relative files are read from `base`, the folder of `central.yaml`.
    public func resolvedPostgresURL(base: URL, environment: [String: String]) throws(CentralError) -> String? {
        func read(_ file: String) throws(CentralError) -> String {
            let path = file.hasPrefix("/") ? file : base.appendingPathComponent(file).path
            guard let text = try? String(contentsOfFile: path, encoding: .utf8) else {
                throw .secret("\(path): cannot read the file central.yaml names")
            }
            return text.trimmingCharacters(in: .whitespacesAndNewlines)
        }
        var url = environment["TAKT_CENTRAL_POSTGRES_URL"].flatMap { $0.isEmpty ? nil : $0 }
        if url == nil, let file = postgresURLFile { url = try read(file) }
        if url == nil { url = postgresURL }
        guard let found = url else { return nil }
        guard let passwordFile = postgresPasswordFile else { return found }
        guard var components = URLComponents(string: found) else {
            throw .secret("postgres_url is not a URL (postgres://user@host:5432/db)")
        }
        components.password = try read(passwordFile)
        guard let withPassword = components.string else { throw .secret("postgres_url: cannot add the password") }
        return withPassword
    }

    /// How central uses PostgreSQL, from `postgres_pool_size` and `postgres_statement_timeout_seconds`.
    public var postgresSettings: PostgresCentralStore.Settings {
        PostgresCentralStore.Settings(
            poolSize: postgresPoolSize ?? 20, statementTimeoutSeconds: postgresStatementTimeoutSeconds ?? 30)
    }

    /// Every site, with its region.
    public var sites: [(region: Region, site: SiteEntry)] {
        regions.flatMap { region in region.sites.map { (region, $0) } }
    }

    /// Loads every key file; `base` is the folder of `central.yaml`.
    public func keyRing(base: URL) throws(SyncError) -> KeyRing {
        var entries: [KeyRing.Entry] = []
        for (_, site) in sites {
            for key in site.keys {
                let path = key.file.hasPrefix("/") ? key.file : base.appendingPathComponent(key.file).path
                entries.append(
                    .init(site: site.id, key: try SiteKey.load(id: key.id, file: path), revoked: key.revoked ?? false))
            }
        }
        return KeyRing(entries)
    }
}
