import Foundation
import NIOSSL
import PostgresNIO
import TaktStore

/// TLS to PostgreSQL as libpq's `sslmode` in the URL asks: `disable`; `prefer` (the default, as in libpq:
/// TLS when the server offers it, unverified); `require` (TLS, unverified); `verify-ca` and `verify-full` (TLS,
/// the server's certificate checked against `sslrootcert=FILE` or the system's trust store; `verify-full` also
/// checks the host name).
enum PostgresTLS {
    static func mode(url: URLComponents) throws -> PostgresClient.Configuration.TLS {
        let items = Dictionary(
            (url.queryItems ?? []).map { ($0.name, $0.value ?? "") }, uniquingKeysWith: { _, last in last })
        let mode = items["sslmode"] ?? "prefer"
        var tls = TLSConfiguration.makeClientConfiguration()
        switch mode {
        case "disable":
            return .disable
        case "allow", "prefer", "require":
            tls.certificateVerification = .none
            return mode == "require" ? .require(tls) : .prefer(tls)
        case "verify-ca", "verify-full":
            tls.certificateVerification = mode == "verify-full" ? .fullVerification : .noHostnameVerification
            if let file = items["sslrootcert"] {
                tls.trustRoots = .certificates(try NIOSSLCertificate.fromPEMFile(file))
            }
            return .require(tls)
        default:
            throw StoreError.cannotOpen(
                path: "postgres URL",
                reason: "sslmode=\(mode) is not one of disable, allow, prefer, require, verify-ca, verify-full")
        }
    }
}
