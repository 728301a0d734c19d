import Foundation
import TaktCentral
import TaktCentralStore
import TaktScheduling
import TaktStore
import TaktSync

/// Central ingest through the real HTTP path: a central on loopback, `sites` sites each sending signed batches
/// of `batchSize` records at once, records per second over all of them.
struct IngestBenchmark {
    var sites: Int
    var records: Int
    var batchSize: Int
    var format: BatchBody.Format
    /// What sends the load: async-http-client (SwiftNIO, light) or URLSession (libcurl, what sites run).
    var clientLibrary: ClientLibrary = .asyncHTTPClient

    enum ClientLibrary: String, CaseIterable, Encodable {
        case asyncHTTPClient = "async-http-client"
        case urlSession = "urlsession"
    }

    struct Result: Encodable {
        var sites: Int
        var records: Int
        var batchSize: Int
        var batchFormat: Int
        var client: String
        var seconds: Double
        var recordsPerSecond: Double
        var batches: Int
        var retries: Int
    }

    /// PostgreSQL instead of a temporary SQLite file.
    var postgresURL: String?

    func run() async throws -> Result {
        if let postgresURL {
            return try await PostgresCentralStore.with(url: postgresURL) { store in try await run(on: store) }
        }
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("ingest-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: folder) }
        return try await run(on: try CentralStore(path: folder.appendingPathComponent("central.sqlite").path))
    }

    func run(on store: any CentralStorage) async throws -> Result {
        // A prefix per run keeps runs apart in a shared PostgreSQL database.
        let prefix = "b\(UUID().uuidString.prefix(6).lowercased())-"
        let keys = (0..<sites).map {
            SiteKey(id: "\(prefix)k\($0)", secret: Data(repeating: UInt8($0 % 250 + 1), count: 32))
        }
        let ring = KeyRing(keys.enumerated().map { .init(site: "\(prefix)s\($0.offset)", key: $0.element) })
        let server = CentralServer(
            store: store, configuration: CentralConfiguration(regions: [], maxInFlight: 256, perSiteRate: 10_000),
            keys: ring)
        return try await server.serveOnLoopback { url in try await send(to: url, keys: keys, prefix: prefix) }
    }

    func send(to url: URL, keys: [SiteKey], prefix: String) async throws -> Result {
        let perSite = max(1, records / sites)
        let payload = #"{"check":"site.chill","value":3.5,"at":"2026-11-25T10:00:00Z","recordedBy":"amara"}"#
        let start = ContinuousClock.now
        let totals = try await withThrowingTaskGroup(of: (Int, Int).self) { group in
            for (index, key) in keys.enumerated() {
                group.addTask {
                    let nio = clientLibrary == .asyncHTTPClient ? HTTPClientTransport(base: url) : nil
                    let client = CentralClient(
                        site: "\(prefix)s\(index)", key: key, transport: nio ?? URLSessionTransport(base: url))
                    do {
                        let sent = try await sendAll(client, perSite: perSite, payload: payload)
                        await nio?.shutdown()
                        return sent
                    } catch {
                        await nio?.shutdown()
                        throw error
                    }
                }
            }
            var batches = 0
            var retries = 0
            for try await (b, r) in group {
                batches += b
                retries += r
            }
            return (batches, retries)
        }
        let elapsed = start.duration(to: .now)
        let seconds = elapsed.seconds
        let total = perSite * sites
        return Result(
            sites: sites, records: total, batchSize: batchSize, batchFormat: format.rawValue,
            client: clientLibrary.rawValue, seconds: seconds, recordsPerSecond: Double(total) / seconds,
            batches: totals.0, retries: totals.1)
    }

    /// One site's records, batch after batch; the batches sent and the busy answers retried.
    func sendAll(_ client: CentralClient, perSite: Int, payload: String) async throws -> (Int, Int) {
        var sent: Int64 = 0
        var batches = 0
        var retries = 0
        while sent < Int64(perSite) {
            let first = sent + 1
            let last = min(Int64(perSite), sent + Int64(batchSize))
            let rows = (first...last).map {
                WireRecord(
                    seq: $0, kind: "check_reading", class: "fact", key: String($0), payload: payload,
                    createdAt: Date())
            }
            let batch = Batch(
                site: client.site, epoch: "bench", first: first, last: last, records: rows,
                configVersion: 0, sentAt: Date())
            let reply: BatchReply
            do { reply = try await client.send(batch, format: format) } catch {
                guard case .busy(let seconds) = error else { throw error }
                retries += 1
                try await Task.sleep(for: .milliseconds(Int(seconds * 100)))
                continue
            }
            sent = reply.acknowledged
            batches += 1
        }
        return (batches, retries)
    }
}
