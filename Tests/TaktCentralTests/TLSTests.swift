import Foundation
import Testing

@testable import TaktCentral
@testable import TaktCentralStore
@testable import TaktStore
@testable import TaktSync

#if canImport(FoundationNetworking)
    import FoundationNetworking
#endif

/// Central over HTTPS: it serves TLS with the given certificate, marks cookies `Secure` and sends HSTS, and a
/// client that does not trust the certificate is refused by its own TLS check.
@Suite struct TLSTests {
    /// A self-signed certificate for 127.0.0.1, made with the system's openssl.
    static func certificate(in folder: URL) throws -> (certificate: String, key: String)? {
        guard FileManager.default.isExecutableFile(atPath: "/usr/bin/openssl") else { return nil }
        let (cert, key) = (
            folder.appendingPathComponent("cert.pem").path, folder.appendingPathComponent("key.pem").path
        )
        try run(
            "/usr/bin/openssl",
            [
                "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1", "-subj", "/CN=127.0.0.1",
                "-addext", "subjectAltName=IP:127.0.0.1", "-keyout", key, "-out", cert,
            ])
        return (cert, key)
    }

    @discardableResult
    static func run(_ tool: String, _ arguments: [String]) throws -> (status: Int32, output: String) {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: tool)
        process.arguments = arguments
        let pipe = Pipe()
        process.standardOutput = pipe
        process.standardError = FileHandle.nullDevice
        try process.run()
        let data = pipe.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return (process.terminationStatus, String(decoding: data, as: UTF8.self))
    }

    @Test func centralServesHTTPSAndUntrustedClientsAreRefused() async throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("tls-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        guard let tls = try Self.certificate(in: folder), FileManager.default.isExecutableFile(atPath: "/usr/bin/curl")
        else { try Test.cancel("openssl or curl is not installed") }
        let store = try CentralStore(path: folder.appendingPathComponent("central.sqlite").path)
        let server = CentralServer(
            store: store, configuration: CentralConfiguration(regions: []), keys: KeyRing([]), secure: true)
        try await server.serveOnLoopback(tls: tls) { url in
            #expect(url.scheme == "https")
            // A client trusting the certificate gets the page, with HSTS and a Secure cookie.
            let trusted = try Self.run(
                "/usr/bin/curl",
                ["-sS", "-i", "--cacert", tls.certificate, url.appendingPathComponent("login").absoluteString])
            #expect(trusted.status == 0)
            #expect(trusted.output.lowercased().contains("strict-transport-security: max-age="))
            #expect(trusted.output.contains("; Secure"))
            // Foundation's client (the sync agent's) checks the certificate and refuses an unknown one.
            await #expect(throws: SyncError.self) {
                _ = try await URLSessionTransport(base: url).send(
                    method: "GET", path: "/health", query: nil, headers: [:], body: Data())
            }
            // Plain HTTP to the TLS port gets no page.
            let plain = try Self.run("/usr/bin/curl", ["-sS", "-m", "5", "http://127.0.0.1:\(url.port!)/health"])
            #expect(plain.output != "ok")
        }
    }

    /// The agent with `--ca-file`: it talks to a central whose certificate its private CA signed, and refuses
    /// one signed by anybody else.
    @Test func theAgentTrustsOnlyItsPrivateCA() async throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("tls-\(UUID().uuidString)")
        let other = folder.appendingPathComponent("other")
        try FileManager.default.createDirectory(at: other, withIntermediateDirectories: true)
        guard let tls = try Self.certificate(in: folder), let stranger = try Self.certificate(in: other) else {
            try Test.cancel("openssl is not installed")
        }
        let key = SiteKey(id: "leeds-1", secret: Data(repeating: 7, count: 32))
        let store = try CentralStore(path: folder.appendingPathComponent("central.sqlite").path)
        let server = CentralServer(
            store: store, configuration: CentralConfiguration(regions: []),
            keys: KeyRing([.init(site: "leeds", key: key)]), secure: true)
        try await server.serveOnLoopback(tls: tls) { url in
            let trusted = try HTTPClientTransport(base: url, caFile: tls.certificate)
            let reply = try await CentralClient(site: "leeds", key: key, transport: trusted).cursor(epoch: "e")
            #expect(reply.acknowledged == 0)
            await trusted.shutdown()
            let untrusted = try HTTPClientTransport(base: url, caFile: stranger.certificate)
            await #expect(throws: SyncError.self) {
                _ = try await CentralClient(site: "leeds", key: key, transport: untrusted).cursor(epoch: "e")
            }
            await untrusted.shutdown()
        }
        #expect(throws: SyncError.self) {
            try HTTPClientTransport(base: URL(string: "https://x")!, caFile: "/nonexistent")
        }
    }
}
