import Foundation
import TaktSync

/// `central.yaml`: the regions, their sites, and each site's keys. Paths are relative to the file.
public struct CentralConfiguration: Codable, Sendable {
    public struct Region: Codable, Sendable {
        public var id: String
        public var name: String?
        /// The region's reporting currency (ISO 4217).
        public var currency: String?
        public var sites: [SiteEntry]
    }

    public struct SiteEntry: Codable, Sendable {
        public var id: String
        public var name: String?
        /// The site's folder or `site.yaml`, so central can validate configuration before publishing it.
        public var siteFile: String?
        public var keys: [KeyEntry]

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

    enum CodingKeys: String, CodingKey {
        case regions
        case signatureWindowSeconds = "signature_window_seconds"
        case maxInFlight = "max_in_flight"
        case perSiteRate = "per_site_rate"
        case postgresURL = "postgres_url"
    }

    public init(
        regions: [Region], signatureWindowSeconds: Int? = nil, maxInFlight: Int? = nil, perSiteRate: Double? = nil
    ) {
        self.regions = regions
        self.signatureWindowSeconds = signatureWindowSeconds
        self.maxInFlight = maxInFlight
        self.perSiteRate = perSiteRate
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
