import Foundation
import Hummingbird
import Logging
import TaktCentral
import TaktCentralStore
import TaktCore
import TaktHost
import TaktStore
import TaktSync

/// A central on loopback and a site database, for protocol tests through the real HTTP path.
struct SyncFixture {
    let folder: URL
    let central: CentralStore
    let site: SiteStore
    let key: SiteKey
    let otherKey: SiteKey
    let configuration: CentralConfiguration

    init(revoked: Bool = false) throws {
        folder = FileManager.default.temporaryDirectory.appendingPathComponent("sync-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        central = try CentralStore(path: folder.appendingPathComponent("central.sqlite").path)
        site = try SiteStore(path: folder.appendingPathComponent("site.sqlite").path, siteID: "leeds")
        key = SiteKey(id: "leeds-1", secret: Data(repeating: 7, count: 32))
        otherKey = SiteKey(id: "penang-1", secret: Data(repeating: 9, count: 32))
        configuration = CentralConfiguration(regions: [])
        _ = revoked
    }

    func keys(extra: [KeyRing.Entry] = []) -> KeyRing {
        KeyRing([.init(site: "leeds", key: key), .init(site: "penang", key: otherKey)] + extra)
    }

    /// Writes `count` facts (check readings) to the site's outbox.
    func writeFacts(_ count: Int, from start: Int = 0) throws {
        for index in start..<(start + count) {
            _ = try site.record(
                CheckReading(
                    check: "site.chill", value: Double(index % 9),
                    at: Date(timeIntervalSince1970: 1_800_000_000 + Double(index))),
                findings: [])
        }
    }

    /// Runs `body` with a live central on a free loopback port.
    func withCentral(
        keys: KeyRing? = nil, maxInFlight: Int = 32, rate: Double = 1000,
        _ body: @Sendable (URL, CentralServer) async throws -> Void
    ) async throws {
        let server = CentralServer(
            store: central,
            configuration: CentralConfiguration(regions: [], maxInFlight: maxInFlight, perSiteRate: rate),
            keys: keys ?? self.keys())
        try await Self.serve(server) { url in try await body(url, server) }
    }

    /// Runs `server` on a free loopback port for the duration of `body`, then shuts it down.
    static func serve(_ server: CentralServer, _ body: (URL) async throws -> Void) async throws {
        try await server.serveOnLoopback(body)
    }

    func client(_ url: URL, transport: (any SyncTransport)? = nil, now: @escaping @Sendable () -> Date = { Date() })
        -> CentralClient
    {
        CentralClient(site: "leeds", key: key, transport: transport ?? URLSessionTransport(base: url), now: now)
    }

    func agent(_ client: CentralClient, apply: @escaping @Sendable (ConfigDocument) async -> String? = { _ in nil })
        -> SyncAgent
    {
        SyncAgent(
            outbox: SiteOutbox(store: site), client: client,
            policy: SyncPolicy(batchSize: 50, baseDelay: 0.01, maximumDelay: 0.05, idleDelay: 0.01, configInterval: 0),
            apply: apply)
    }
}

/// A transport that misbehaves on purpose: answers with a canned status, or loses the reply after central
/// has handled the request.
final class FaultyTransport: SyncTransport, @unchecked Sendable {
    enum Fault {
        case status(Int, retryAfter: String?)
        case loseReply
    }
    let inner: URLSessionTransport
    private var faults: [Fault]
    private let lock = NSLock()
    private(set) var requests = 0

    private func nextFault() -> Fault? {
        lock.withLock {
            requests += 1
            return faults.isEmpty ? nil : faults.removeFirst()
        }
    }

    init(base: URL, faults: [Fault]) {
        inner = URLSessionTransport(base: base)
        self.faults = faults
    }

    func send(method: String, path: String, query: String?, headers: [String: String], body: Data)
        async throws(SyncError)
        -> (status: Int, headers: [String: String], body: Data)
    {
        let fault = nextFault()
        switch fault {
        case .status(let code, let retry)?:
            return (
                code, retry.map { ["retry-after": $0] } ?? [:],
                Data("{\"error\":\"busy\",\"message\":\"injected\"}".utf8)
            )
        case .loseReply?:
            _ = try await inner.send(method: method, path: path, query: query, headers: headers, body: body)
            throw .transport("the reply was lost (injected)")
        case nil:
            return try await inner.send(method: method, path: path, query: query, headers: headers, body: body)
        }
    }
}

/// A transport that keeps the body of every batch it sends.
final class RecordingTransport: SyncTransport, @unchecked Sendable {
    let inner: URLSessionTransport
    private let lock = NSLock()
    private var kept: [Data] = []

    init(base: URL) { inner = URLSessionTransport(base: base) }

    var batchBodies: [Data] { lock.withLock { kept } }

    func send(method: String, path: String, query: String?, headers: [String: String], body: Data)
        async throws(SyncError)
        -> (status: Int, headers: [String: String], body: Data)
    {
        if path.hasSuffix("/batches") { lock.withLock { kept.append(body) } }
        return try await inner.send(method: method, path: path, query: query, headers: headers, body: body)
    }
}

/// A test outbox that passes everything to the site's own outbox; a conformer replaces what it tests.
protocol ForwardingOutbox: SyncOutbox {
    var inner: SiteOutbox { get }
}

extension ForwardingOutbox {
    var siteID: String { inner.siteID }
    var epoch: String { inner.epoch }
    func records(after: Int64, limit: Int) throws -> [WireRecord] { try inner.records(after: after, limit: limit) }
    func lastSequence() throws -> Int64 { try inner.lastSequence() }
    func acknowledged() throws -> Int64 { try inner.acknowledged() }
    func acknowledge(through seq: Int64, at: Date) throws { try inner.acknowledge(through: seq, at: at) }
    func deadLetter(seq: Int64, reason: String, at: Date) throws {
        try inner.deadLetter(seq: seq, reason: reason, at: at)
    }
    func deadLetters() throws -> Set<Int64> { try inner.deadLetters() }
    func recordAttempt(error: String?, at: Date) throws { try inner.recordAttempt(error: error, at: at) }
    func configVersion() throws -> Int { try inner.configVersion() }
}
