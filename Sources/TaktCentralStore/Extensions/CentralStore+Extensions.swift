import Foundation
import GRDB
import TaktStore
import TaktSync

extension CentralStore {
    public func publishExtension(_ release: ExtensionRelease, sites: [String]) async throws(StoreError) {
        try await write { db in
            for site in sites {
                try db.execute(
                    sql: """
                        INSERT INTO extension_releases (site, id, version, module, signature, published_by, published_at)
                        VALUES (?, ?, ?, ?, ?, ?, ?)
                        """,
                    arguments: [
                        site, release.id, release.version, release.module, release.signature, release.publishedBy,
                        release.publishedAt,
                    ])
            }
        }
    }

    public func extensionReleases(site: String) async throws(StoreError) -> [ExtensionRelease] {
        try await read { db in
            try Row.fetchAll(
                db, sql: "SELECT * FROM extension_releases WHERE site = ? ORDER BY published_at, id", arguments: [site]
            ).map {
                ExtensionRelease(
                    id: $0["id"], version: $0["version"], module: $0["module"], signature: $0["signature"],
                    publishedBy: $0["published_by"], publishedAt: $0["published_at"])
            }
        }
    }
}
