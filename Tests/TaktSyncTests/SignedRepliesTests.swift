import Foundation
import Testing

@testable import TaktCentral
@testable import TaktCore
@testable import TaktHost
@testable import TaktStore
@testable import TaktSync

/// The signature covers the query; central's answers are signed, and the agent acts only on signed ones.
@Suite struct SignedRepliesTests {
    @Test func aChangedQueryIsRefused() async throws {
        let fixture = try SyncFixture()
        try await fixture.withCentral { url, _ in
            let path = "/v1/sites/leeds/cursor"
            let headers = RequestSignature.headers(
                method: "GET", path: path, query: "epoch=a", site: "leeds", body: Data(), key: fixture.key, now: Date())
            let transport = URLSessionTransport(base: url)
            let changed = try await transport.send(
                method: "GET", path: path, query: "epoch=b", headers: headers, body: Data())
            #expect(changed.status == 401)
            // Reordered parameters are the same query.
            let reordered = RequestSignature.headers(
                method: "GET", path: "/v1/sites/leeds/config", query: "since=0&x=1", site: "leeds", body: Data(),
                key: fixture.key, now: Date())
            let answer = try await transport.send(
                method: "GET", path: "/v1/sites/leeds/config", query: "x=1&since=0", headers: reordered, body: Data())
            #expect(answer.status == 204)
        }
    }

    @Test func timesThatAreNotWholeSecondsAreRefusedWithoutCrashing() async throws {
        let fixture = try SyncFixture()
        try await fixture.withCentral { url, _ in
            let transport = URLSessionTransport(base: url)
            for time in ["nan", "inf", "-inf", "1e300", "1.5", "", "99999999999999999999999", "0x10"] {
                var headers = RequestSignature.headers(
                    method: "GET", path: "/v1/sites/leeds/cursor", query: "epoch=e", site: "leeds", body: Data(),
                    key: fixture.key, now: Date())
                headers[RequestSignature.timeHeader] = time
                let reply = try await transport.send(
                    method: "GET", path: "/v1/sites/leeds/cursor", query: "epoch=e", headers: headers, body: Data())
                #expect(reply.status == 401, "time '\(time)'")
            }
            // Central still serves.
            #expect(try await fixture.client(url).cursor(epoch: "e").acknowledged == 0)
        }
    }

    @Test func everyAnswerToASignedRequestIsSignedForThatRequest() async throws {
        let fixture = try SyncFixture()
        try await fixture.withCentral { url, _ in
            let path = "/v1/sites/leeds/cursor"
            let headers = RequestSignature.headers(
                method: "GET", path: path, query: "epoch=e", site: "leeds", body: Data(), key: fixture.key, now: Date())
            let reply = try await URLSessionTransport(base: url).send(
                method: "GET", path: path, query: "epoch=e", headers: headers, body: Data())
            let nonce = headers[RequestSignature.nonceHeader]!
            #expect(
                ReplySignature.verify(
                    status: reply.status, headers: reply.headers, body: reply.body, requestNonce: nonce,
                    key: fixture.key))
            // Not valid for another request, nor with another key, nor with a changed body.
            #expect(
                !ReplySignature.verify(
                    status: reply.status, headers: reply.headers, body: reply.body, requestNonce: "other",
                    key: fixture.key))
            #expect(
                !ReplySignature.verify(
                    status: reply.status, headers: reply.headers, body: reply.body + Data(" ".utf8),
                    requestNonce: nonce, key: fixture.key))
        }
    }

    /// A proxy (or attacker) answering 200 with a forged acknowledgement: the agent does not believe it, so
    /// nothing is marked sent that central does not have.
    @Test func aForgedAcknowledgementIsNotBelieved() async throws {
        let fixture = try SyncFixture()
        try fixture.writeFacts(5)
        let forged = CannedTransport(
            status: 200,
            body: try WireJSON.encoder().encode(
                BatchReply(acknowledged: 5, written: 5, duplicated: 0, serverTime: Date())))
        let client = CentralClient(site: "leeds", key: fixture.key, transport: forged)
        await #expect(throws: SyncError.self) {
            _ = try await client.send(
                Batch(site: "leeds", epoch: "e", first: 1, last: 5, records: [], configVersion: 0, sentAt: Date()))
        }
        let agent = fixture.agent(client)
        _ = await agent.step()
        #expect(try fixture.site.syncStatus(now: Date()).outboxDepth == 5)
    }

    /// A 400, 413 or 422 from a proxy is not central's word that a record is malformed: the agent retries and
    /// dead-letters nothing.
    @Test func aProxysClientErrorDeadLettersNothing() async throws {
        let fixture = try SyncFixture()
        try fixture.writeFacts(4)
        try await fixture.withCentral { url, _ in
            for status in [400, 413, 422] {
                let proxy = CannedTransport(status: status, body: Data(#"{"error":"malformed","message":"x"}"#.utf8))
                let agent = fixture.agent(CentralClient(site: "leeds", key: fixture.key, transport: proxy))
                for _ in 0..<3 { _ = await agent.step() }
                let dead = try SiteOutbox(store: fixture.site).deadLetters()
                #expect(dead.isEmpty, "status \(status)")
            }
            // Through to the real central, everything arrives.
            #expect(await fixture.agent(fixture.client(url)).drain(until: Date().addingTimeInterval(10)))
            let dead = try SiteOutbox(store: fixture.site).deadLetters()
            #expect(dead.isEmpty)
        }
    }
}

/// Answers every request with the same unsigned status and body, as a proxy would.
struct CannedTransport: SyncTransport {
    let status: Int
    let body: Data

    func send(method: String, path: String, query: String?, headers: [String: String], body: Data)
        async throws(SyncError) -> (status: Int, headers: [String: String], body: Data)
    {
        (status, ["content-type": "application/json"], self.body)
    }
}
