import Foundation
import Hummingbird
import HummingbirdCore
import HummingbirdTLS
import Logging
import NIOCore
import NIOSSL

/// How a server (central, the site app) listens: address, TLS, and how long an idle connection is kept.
public struct WebListening: Sendable {
    public var host: String
    public var port: Int
    /// PEM files of the certificate chain and its private key; plain HTTP when nil.
    public var tls: (certificate: String, key: String)?
    /// Seconds a connection may sit idle (or send its headers) before the server closes it.
    public var idleTimeout: Int

    public init(host: String, port: Int, tls: (certificate: String, key: String)? = nil, idleTimeout: Int = 30) {
        self.host = host
        self.port = port
        self.tls = tls
        self.idleTimeout = idleTimeout
    }
}

/// TLS files that could not be read or do not fit together.
public struct TLSFilesError: Error, CustomStringConvertible {
    public let description: String
}

/// Builds and runs the Hummingbird application of central and of the site app, one way for both.
public enum WebServer {
    /// A runnable application serving `router`; `onRunning` receives the port actually bound.
    public static func application(
        _ router: Router<WebContext>, _ listening: WebListening, serverName: String, logger: Logger,
        onRunning: @escaping @Sendable (Int) async -> Void = { _ in }
    ) throws(TLSFilesError) -> some ApplicationProtocol {
        let http1 = HTTPServerBuilder.http1(
            configuration: HTTP1Channel.Configuration(idleTimeout: .seconds(Int64(max(1, listening.idleTimeout)))))
        var server = http1
        if let tls = listening.tls {
            do {
                let chain = try NIOSSLCertificate.fromPEMFile(tls.certificate).map {
                    NIOSSLCertificateSource.certificate($0)
                }
                let key = try NIOSSLPrivateKey(file: tls.key, format: .pem)
                let configuration = TLSConfiguration.makeServerConfiguration(
                    certificateChain: chain, privateKey: .privateKey(key))
                server = try .tls(http1, tlsConfiguration: configuration)
            } catch {
                throw TLSFilesError(description: "\(tls.certificate), \(tls.key): \(error)")
            }
        }
        return Application(
            router: router, server: server,
            configuration: .init(address: .hostname(listening.host, port: listening.port), serverName: serverName),
            onServerRunning: { channel in await onRunning(channel.localAddress?.port ?? listening.port) },
            logger: logger)
    }

    /// Runs `router` on a free loopback port until `body` returns (tests, benchmarks, the demo's checks), then
    /// shuts it down. `body` receives the base URL.
    public static func onLoopback<T: Sendable>(
        _ router: Router<WebContext>, serverName: String, idleTimeout: Int = 30,
        tls: (certificate: String, key: String)? = nil, _ body: (URL) async throws -> T
    ) async throws -> T {
        var quiet = Logger(label: "\(serverName).loopback")
        quiet.logLevel = .critical
        let (ports, continuation) = AsyncStream.makeStream(of: Int.self)
        let listening = WebListening(host: "127.0.0.1", port: 0, tls: tls, idleTimeout: idleTimeout)
        let app = try application(router, listening, serverName: serverName, logger: quiet) {
            continuation.yield($0)
        }
        let running = Task { try await app.run() }
        defer { running.cancel() }
        var iterator = ports.makeAsyncIterator()
        guard let port = await iterator.next() else { throw TLSFilesError(description: "\(serverName) did not start") }
        return try await body(URL(string: "\(tls == nil ? "http" : "https")://127.0.0.1:\(port)")!)
    }
}
