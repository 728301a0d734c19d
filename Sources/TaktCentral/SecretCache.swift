import Foundation
import TaktCentralStore

/// Server secrets read once from the store and kept: the login page is public, and fetching its secret on
/// every request would make each anonymous page view a database write.
actor SecretCache {
    private var values: [String: Data] = [:]

    func value(named name: String, from store: any CentralStorage) async throws -> Data {
        if let known = values[name] { return known }
        let value = try await store.secret(name: name)
        values[name] = value
        return value
    }
}
