import AsyncHTTPClient
import Foundation
import NIOCore
import NIOHTTP1
import NIOSSL

/// The transport over async-http-client (SwiftNIO). For a central whose certificate is signed by a private CA,
/// with the CA file as its only trust root (Foundation's client on Linux cannot be given one): the server's
/// certificate must chain to that CA and name the host; anything else fails the TLS handshake, which the agent
/// retries and reports. Without a CA file it trusts the system's roots; `takt bench ingest` sends through it,
/// as it costs the machine under test far less than URLSession over libcurl.
///
/// Call `shutdown()` when done (before the process ends normally).
public final class HTTPClientTransport: SyncTransport {
    public let base: URL
    let client: HTTPClient
    let timeout: TimeAmount

    /// - Parameter caFile: PEM file with the CA certificate(s) that central's certificate must chain to.
    public init(base: URL, caFile: String, timeout: TimeInterval = 30) throws(SyncError) {
        guard FileManager.default.isReadableFile(atPath: caFile) else {
            throw .key("\(caFile): the CA file cannot be read")
        }
        let roots: [NIOSSLCertificate]
        do { roots = try NIOSSLCertificate.fromPEMFile(caFile) } catch {
            throw .key("\(caFile): not a PEM certificate file (\(error))")
        }
        guard !roots.isEmpty else { throw .key("\(caFile): holds no certificate") }
        var tls = TLSConfiguration.makeClientConfiguration()
        tls.trustRoots = .certificates(roots)
        tls.certificateVerification = .fullVerification
        self.base = base
        self.timeout = .seconds(Int64(max(1, timeout)))
        self.client = HTTPClient(
            eventLoopGroupProvider: .singleton,
            configuration: HTTPClient.Configuration(
                tlsConfiguration: tls, redirectConfiguration: .disallow,
                timeout: .init(connect: .seconds(10), read: self.timeout)))
    }

    /// A client with the system's trust roots (plain HTTP, or HTTPS with a public certificate).
    public init(base: URL, timeout: TimeInterval = 30) {
        self.base = base
        self.timeout = .seconds(Int64(max(1, timeout)))
        self.client = HTTPClient(
            eventLoopGroupProvider: .singleton,
            configuration: HTTPClient.Configuration(
                redirectConfiguration: .disallow, timeout: .init(connect: .seconds(10), read: self.timeout)))
    }

    public func send(method: String, path: String, query: String?, headers: [String: String], body: Data)
        async throws(SyncError) -> (status: Int, headers: [String: String], body: Data)
    {
        let root = base.absoluteString.hasSuffix("/") ? String(base.absoluteString.dropLast()) : base.absoluteString
        var request = HTTPClientRequest(url: root + path + (query.map { "?\($0)" } ?? ""))
        request.method = HTTPMethod(rawValue: method)
        for (name, value) in headers { request.headers.add(name: name, value: value) }
        if method != "GET" {
            request.headers.add(name: "Content-Type", value: "application/json")
            request.body = .bytes(ByteBuffer(bytes: body))
        }
        do {
            let response = try await client.execute(request, timeout: timeout)
            let bytes = try await response.body.collect(upTo: 64 * 1024 * 1024)
            var fields: [String: String] = [:]
            for field in response.headers { fields[field.name.lowercased()] = field.value }
            return (Int(response.status.code), fields, Data(bytes.readableBytesView))
        } catch {
            throw .transport("\(error)")
        }
    }

    /// Closes the connections.
    public func shutdown() async {
        try? await client.shutdown()
    }
}
