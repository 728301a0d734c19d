import Foundation
import PostgresNIO
import TaktSync

extension PostgresCentralStore {
    public func publishExtension(_ release: ExtensionRelease, sites: [String]) async throws {
        guard !sites.isEmpty else { return }
        try await client.query(
            """
            INSERT INTO extension_releases (site, id, version, module, signature, published_by, published_at)
            SELECT s, \(release.id), \(release.version), \(release.module), \(release.signature), \(release.publishedBy),
                \(release.publishedAt) FROM unnest(\(sites)::text[]) AS s
            """, logger: logger)
    }

    public func extensionReleases(site: String) async throws -> [ExtensionRelease] {
        var releases: [ExtensionRelease] = []
        let rows = try await client.query(
            """
            SELECT id, version, module, signature, published_by, published_at FROM extension_releases
            WHERE site = \(site) ORDER BY published_at, id
            """, logger: logger)
        for try await (id, version, module, signature, by, at) in rows.decode(
            (String, String, String, String, String, Date).self)
        {
            releases.append(
                ExtensionRelease(
                    id: id, version: version, module: module, signature: signature, publishedBy: by, publishedAt: at))
        }
        return releases
    }
}
