import Foundation
import Testing

@testable import TaktCentral
@testable import TaktCore
@testable import TaktStore
@testable import TaktSync

/// Every way a request can fail authentication, against a real central.
@Suite struct SecurityTests {
    /// Sends a cursor request with `headers` (changed by `tamper`) and returns the status and error code.
    func request(
        _ url: URL, site: String = "leeds", key: SiteKey, now: Date = Date(), body: Data = Data(),
        method: String = "GET",
        nonce: String = UUID().uuidString, sentQuery: String? = nil,
        tamper: (inout [String: String], inout Data) -> Void = { _, _ in }
    ) async throws -> (Int, ErrorReply?) {
        let path = method == "GET" ? "/v1/sites/\(site)/cursor" : "/v1/sites/\(site)/batches"
        let query = method == "GET" ? "epoch=x" : nil
        var headers = RequestSignature.headers(
            method: method, path: path, query: query, site: site, body: body, key: key, now: now, nonce: nonce)
        var sent = body
        tamper(&headers, &sent)
        let reply = try await URLSessionTransport(base: url).send(
            method: method, path: path, query: sentQuery ?? query, headers: headers, body: sent)
        return (reply.status, try? WireJSON.decoder().decode(ErrorReply.self, from: reply.body))
    }

    @Test func aReplayIsRefused() async throws {
        let fixture = try SyncFixture()
        try await fixture.withCentral { url, _ in
            let nonce = UUID().uuidString
            #expect(try await request(url, key: fixture.key, nonce: nonce).0 == 200)
            let replay = try await request(url, key: fixture.key, nonce: nonce)
            #expect(replay.0 == 401)
            #expect(replay.1?.message.contains("replay") == true)
        }
    }

    @Test func aChangedByteIsRefused() async throws {
        let fixture = try SyncFixture()
        try await fixture.withCentral { url, _ in
            let body = Data(#"{"site":"leeds"}"#.utf8)
            let changed = try await request(url, key: fixture.key, body: body, method: "POST") { _, body in
                body[2] = UInt8(ascii: "X")
            }
            #expect(changed.0 == 401)
            #expect(changed.1?.message.contains("digest") == true)
            let resigned = try await request(url, key: fixture.key) { headers, _ in
                headers[RequestSignature.signatureHeader] = String(repeating: "0", count: 64)
            }
            #expect(resigned.0 == 401)
        }
    }

    @Test func aSitesKeyCannotWriteForAnotherSite() async throws {
        let fixture = try SyncFixture()
        try await fixture.withCentral { url, _ in
            let other = try await request(url, site: "leeds", key: fixture.otherKey)
            #expect(other.0 == 403)
            #expect(other.1?.message.contains("may not write for site 'leeds'") == true)
        }
    }

    @Test func expiredAndFutureTimestampsAreAClockSkewWithCentralsTime() async throws {
        let fixture = try SyncFixture()
        try await fixture.withCentral { url, _ in
            for offset in [-310.0, 310.0] {
                let skewed = try await request(url, key: fixture.key, now: Date().addingTimeInterval(offset))
                #expect(skewed.0 == 401)
                #expect(skewed.1?.error == "clock_skew")
                #expect(skewed.1?.serverTime != nil)
            }
            #expect(try await request(url, key: fixture.key, now: Date().addingTimeInterval(-250)).0 == 200)
            // The agent reports skew as skew, not as a bad key.
            let skewedClient = fixture.client(url, now: { Date().addingTimeInterval(900) })
            await #expect {
                try await skewedClient.cursor(epoch: "x")
            } throws: { error in
                guard case .clockSkew = error as? SyncError else { return false }
                return true
            }
        }
    }

    @Test func unknownRevokedAndRotatedKeys() async throws {
        let fixture = try SyncFixture()
        let next = SiteKey(id: "leeds-2", secret: Data(repeating: 3, count: 32))
        let old = SiteKey(id: "leeds-0", secret: Data(repeating: 5, count: 32))
        let stranger = SiteKey(id: "nobody", secret: Data(repeating: 1, count: 32))
        let keys = fixture.keys(extra: [.init(site: "leeds", key: next), .init(site: "leeds", key: old, revoked: true)])
        try await fixture.withCentral(keys: keys) { url, _ in
            #expect(try await request(url, key: fixture.key).0 == 200)
            #expect(try await request(url, key: next).0 == 200)
            let revoked = try await request(url, key: old)
            #expect(revoked.0 == 401)
            #expect(revoked.1?.message.contains("revoked") == true)
            let unknown = try await request(url, key: stranger)
            #expect(unknown.0 == 401)
            #expect(unknown.1?.message.contains("unknown key") == true)
            let missing = try await request(url, key: fixture.key) { headers, _ in
                headers[RequestSignature.nonceHeader] = nil
            }
            #expect(missing.0 == 401)
        }
    }

    @Test func keyFilesMustBePrivate() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("keys-\(UUID().uuidString)")
        let file = folder.appendingPathComponent("site.key").path
        try SiteKey.generate(file: file)
        #expect(try SiteKey.load(id: "k", file: file).id == "k")
        try FileManager.default.setAttributes([.posixPermissions: 0o644], ofItemAtPath: file)
        #expect(throws: SyncError.self) { try SiteKey.load(id: "k", file: file) }
    }
}
