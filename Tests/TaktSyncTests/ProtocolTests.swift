import Foundation
import TaktHost
import Testing

@testable import TaktCentral
@testable import TaktCore
@testable import TaktStore
@testable import TaktSync

/// The sync protocol against a real central on loopback.
@Suite struct ProtocolTests {
    @Test func everyRecordArrivesOnceAndAResendIsADuplicate() async throws {
        let fixture = try SyncFixture()
        try fixture.writeFacts(120)
        try await fixture.withCentral { url, _ in
            let agent = fixture.agent(fixture.client(url))
            #expect(await agent.drain(until: Date().addingTimeInterval(20)))
            let records = try await fixture.central.records(site: "leeds")
            #expect(records.map(\.seq) == Array(1...120))
            // The same batch again is success, not an error, and writes nothing.
            let rows = try SiteOutbox(store: fixture.site).records(after: 0, limit: 10)
            let batch = Batch(
                site: "leeds", epoch: fixture.site.epoch, first: 1, last: 10, records: rows, configVersion: 0,
                sentAt: Date())
            let reply = try await fixture.client(url).send(batch)
            #expect(reply.written == 0)
            #expect(reply.duplicated == 10)
            #expect(reply.acknowledged == 120)
        }
    }

    /// Central says in its cursor reply that it reads payloads in place; the agent then sends them so, and central
    /// stores the site's text byte for byte.
    @Test func theAgentSendsPayloadsInPlaceToACentralThatReadsThem() async throws {
        let fixture = try SyncFixture()
        try fixture.writeFacts(20)
        try await fixture.withCentral { url, _ in
            let recording = RecordingTransport(base: url)
            let agent = fixture.agent(fixture.client(url, transport: recording))
            #expect(await agent.drain(until: Date().addingTimeInterval(20)))
            let bodies = recording.batchBodies.map { String(decoding: $0, as: UTF8.self) }
            #expect(!bodies.isEmpty)
            #expect(bodies.allSatisfy { $0.contains(#""payload":{"#) && !$0.contains(#""payload":"{"#) })
            let local = try fixture.site.outbox(after: 0, limit: 100)
            let central = try await fixture.central.records(site: "leeds")
            #expect(central.map(\.payload) == local.map(\.payload))
        }
    }

    /// A site with nothing to send still checks its cursor and configuration: that is contact, and the version it
    /// runs reaches central with that check, not with its next batch.
    @Test func aCursorOrConfigurationCheckIsContactAndSaysTheVersionRun() async throws {
        let fixture = try SyncFixture()
        try await fixture.withCentral { url, _ in
            let client = fixture.client(url)
            #expect(try await fixture.central.contact(site: "leeds") == nil)
            _ = try await client.cursor(epoch: fixture.site.epoch)
            let first = try #require(try await fixture.central.contact(site: "leeds")?.lastHeardAt)
            #expect(abs(first.timeIntervalSinceNow) < 60)
            _ = try await fixture.central.publish(site: "leeds", document: "rules: {}", by: "ada", at: Date())
            #expect(try await client.config(since: 0)?.version == 1)
            #expect(try await fixture.central.contact(site: "leeds")?.configRunning == 0)
            // The site applied version 1; its next check asks for what is newer than 1.
            #expect(try await client.config(since: 1) == nil)
            #expect(try await fixture.central.contact(site: "leeds")?.configRunning == 1)
            // A `since` that is missing, not a number, negative or absurd is contact but says nothing of the version.
            let transport = URLSessionTransport(base: url)
            for query in ["", "since=", "since=abc", "since=-5", "since=99999999999999999999", "since=2000000000"] {
                let headers = RequestSignature.headers(
                    method: "GET", path: "/v1/sites/leeds/config", query: query.isEmpty ? nil : query, site: "leeds",
                    body: Data(), key: fixture.key, now: Date())
                let answer = try await transport.send(
                    method: "GET", path: "/v1/sites/leeds/config", query: query.isEmpty ? nil : query,
                    headers: headers, body: Data())
                #expect(answer.status == 200 || answer.status == 204, "\(query): \(answer.status)")
                #expect(try await fixture.central.contact(site: "leeds")?.configRunning == 1, "\(query)")
            }
            // Checks at once (a site restarted while its old process still polls) are each contact, none lost.
            try await withThrowingTaskGroup(of: ConfigDocument?.self) { group in
                for _ in 0..<8 { group.addTask { try await client.config(since: 1) } }
                for try await document in group { #expect(document == nil) }
            }
            #expect(try await fixture.central.contact(site: "leeds")?.configRunning == 1)
        }
    }

    @Test func aGapIsRefusedWithTheExpectedSequence() async throws {
        let fixture = try SyncFixture()
        try fixture.writeFacts(10)
        try await fixture.withCentral { url, _ in
            let rows = try SiteOutbox(store: fixture.site).records(after: 4, limit: 3)
            let batch = Batch(
                site: "leeds", epoch: fixture.site.epoch, first: 5, last: 7, records: rows, configVersion: 0,
                sentAt: Date())
            await #expect(throws: SyncError.gap(expected: 1)) { try await fixture.client(url).send(batch) }
            await #expect(try fixture.central.records(site: "leeds").isEmpty)
        }
    }

    @Test func aLostReplyIsResentAndCountedOnce() async throws {
        let fixture = try SyncFixture()
        try fixture.writeFacts(30)
        try await fixture.withCentral { url, _ in
            let lossy = FaultyTransport(base: url, faults: [])
            let agent = fixture.agent(fixture.client(url, transport: lossy))
            // Reconcile first, then lose the reply to the first batch: central committed, the site did not hear.
            _ = await agent.step()
            let faulty = FaultyTransport(base: url, faults: [.loseReply, .loseReply])
            let second = fixture.agent(fixture.client(url, transport: faulty))
            #expect(await second.drain(until: Date().addingTimeInterval(20)))
            let records = try await fixture.central.records(site: "leeds")
            #expect(records.count == 30)
            #expect(Set(records.map(\.seq)).count == 30)
        }
    }

    @Test func busyAnswersAreHonouredAndRetried() async throws {
        let fixture = try SyncFixture()
        try fixture.writeFacts(5)
        try await fixture.withCentral { url, _ in
            let faulty = FaultyTransport(
                base: url, faults: [.status(503, retryAfter: "1"), .status(429, retryAfter: "1")])
            let agent = fixture.agent(fixture.client(url, transport: faulty))
            let first = await agent.step()
            #expect(first >= 1)
            let second = await agent.step()
            #expect(second >= 1)
            #expect(await agent.drain(until: Date().addingTimeInterval(10)))
            let count = try await fixture.central.records(site: "leeds").count
            #expect(count == 5)
        }
    }

    @Test func centralAnswers503WhenTooManyRequestsAreInFlightAnd429WhenASiteIsTooFast() async throws {
        let fixture = try SyncFixture()
        try fixture.writeFacts(3)
        try await fixture.withCentral(rate: 0.5) { url, _ in
            let client = fixture.client(url)
            let rows = try SiteOutbox(store: fixture.site).records(after: 0, limit: 1)
            let batch = Batch(
                site: "leeds", epoch: fixture.site.epoch, first: 1, last: 1, records: rows, configVersion: 0,
                sentAt: Date())
            _ = try await client.send(batch)
            // The next token comes 2 s after the first request (0.5 a second); on a loaded machine the first
            // request itself can take a second of that.
            do {
                _ = try await client.send(batch)
                Issue.record("a second batch at once was accepted")
            } catch {
                guard case .busy(let retryAfter) = error as? SyncError else {
                    Issue.record("expected busy, got \(error)")
                    return
                }
                #expect((1...2).contains(retryAfter))
            }
        }
        try await fixture.withCentral(maxInFlight: 1) { url, server in
            let client = fixture.client(url)
            let rows = try SiteOutbox(store: fixture.site).records(after: 0, limit: 1)
            let batch = Batch(
                site: "leeds", epoch: fixture.site.epoch, first: 1, last: 1, records: rows, configVersion: 0,
                sentAt: Date())
            // Another request holds the only slot: central answers 503 with Retry-After, and the agent waits.
            #expect(await server.admission.admit(site: "penang", now: Date()) == .admitted)
            let transport = URLSessionTransport(base: url)
            let body = try WireJSON.encoder().encode(batch)
            let path = "/v1/sites/leeds/batches"
            let raw = try await transport.send(
                method: "POST", path: path, query: nil,
                headers: RequestSignature.headers(
                    method: "POST", path: path, site: "leeds", body: body, key: fixture.key, now: Date()), body: body)
            #expect(raw.status == 503)
            #expect(raw.headers["retry-after"] == "1")
            await #expect(throws: SyncError.busy(retryAfter: 1)) { try await client.send(batch) }
            await server.admission.release()
            #expect(try await client.send(batch).acknowledged == 1)
        }
    }

    @Test func aMalformedRecordGoesToDeadLettersAndDoesNotBlockTheRest() async throws {
        let fixture = try SyncFixture()
        try fixture.writeFacts(10)
        // Corrupt one record's payload, as a bug or a bad disk might.
        try fixture.site.corruptPayload(seq: 4, with: "{not json")
        try fixture.writeFacts(5, from: 10)
        try await fixture.withCentral { url, _ in
            let agent = fixture.agent(fixture.client(url))
            #expect(await agent.drain(until: Date().addingTimeInterval(20)))
            #expect(try fixture.site.deadLetterSequences() == [4])
            let seqs = try await fixture.central.records(site: "leeds").map(\.seq)
            #expect(seqs == Array(1...3) + Array(5...15))
            let status = try fixture.site.syncStatus(now: Date())
            #expect(status.deadLetters.first?.reason.contains("not JSON") == true)
            #expect(status.deadLetters.count == 1)
            #expect(status.outboxDepth == 0)
        }
    }

    /// A site writes while its agent reads the outbox (the site app or a data logger and the agent are separate
    /// tasks): a write that commits right after the agent found nothing new must still reach central.
    @Test func aWriteCommittedWhileTheAgentReadsIsNotSkipped() async throws {
        let fixture = try SyncFixture()
        try fixture.writeFacts(5)
        try await fixture.withCentral { url, _ in
            let outbox = InterleavedOutbox(inner: SiteOutbox(store: fixture.site)) {
                try fixture.writeFacts(3, from: 5)
            }
            let agent = SyncAgent(
                outbox: outbox, client: fixture.client(url),
                policy: SyncPolicy(batchSize: 50, baseDelay: 0.01, maximumDelay: 0.05, idleDelay: 0.01),
                apply: { _ in nil })
            #expect(await agent.drain(until: Date().addingTimeInterval(20)))
            // Everything is sent; the next round finds nothing new, and the write commits just after that read.
            _ = await agent.step()
            #expect(outbox.interleaved)
            #expect(await agent.drain(until: Date().addingTimeInterval(20)))
            let local = try fixture.site.outbox(after: 0, limit: 100)
            let central = try await fixture.central.records(site: "leeds")
            let verification = SyncVerification(
                local: local.map(\.verifiable), central: central.map(\.verifiable), epoch: fixture.site.epoch)
            #expect(verification.problems == [])
            #expect(central.map(\.seq) == Array(1...8))
        }
    }

    @Test func aRestartOfCentralOrOfTheAgentLosesNothing() async throws {
        let fixture = try SyncFixture()
        try fixture.writeFacts(40)
        try await fixture.withCentral { url, _ in
            let agent = fixture.agent(fixture.client(url))
            _ = await agent.step()
            _ = await agent.step()
        }
        try fixture.writeFacts(20, from: 40)
        try await fixture.withCentral { url, _ in
            // A new agent (a restarted site) asks for the cursor and carries on.
            let agent = fixture.agent(fixture.client(url))
            #expect(await agent.drain(until: Date().addingTimeInterval(20)))
        }
        await #expect(try fixture.central.records(site: "leeds").map(\.seq) == Array(1...60))
    }

    @Test func configurationVersionsOnlyGoForwardAndInvalidOnesAreRefused() async throws {
        let fixture = try SyncFixture()
        try fixture.writeFacts(1)
        let applied = AppliedVersions()
        try await fixture.withCentral { url, _ in
            try await fixture.central.publish(site: "leeds", document: "rules: {}\n", by: "test", at: Date())
            let agent = fixture.agent(fixture.client(url)) { document in
                if document.document.contains("bad") { return "refused: bad document" }
                try? fixture.site.setConfigVersion(document.version)
                await applied.add(document.version)
                return nil
            }
            #expect(await agent.drain(until: Date().addingTimeInterval(10)))
            #expect(try fixture.site.configVersion() == 1)
            try await fixture.central.publish(site: "leeds", document: "bad\n", by: "test", at: Date())
            _ = await agent.step()
            #expect(try fixture.site.configVersion() == 1)
            #expect(try fixture.site.syncStatus(now: Date()).lastError?.contains("refused") == true)
            try await fixture.central.publish(site: "leeds", document: "rules: {}\n", by: "test", at: Date())
            _ = await agent.step()
            #expect(try fixture.site.configVersion() == 3)
            #expect(throws: StoreError.self) { try fixture.site.setConfigVersion(2) }
            // Every batch reports the version the site runs.
            try fixture.writeFacts(1, from: 1)
            #expect(await agent.drain(until: Date().addingTimeInterval(10)))
            await #expect(try fixture.central.contact(site: "leeds")?.configRunning == 3)
        }
        #expect(await applied.versions == [1, 3])
    }
}

actor AppliedVersions {
    var versions: [Int] = []
    func add(_ version: Int) { versions.append(version) }
}

extension SiteStore {
    /// Test helper: overwrite one outbox payload.
    func corruptPayload(seq: Int64, with text: String) throws {
        try pool.write { db in
            try db.execute(sql: "UPDATE outbox SET payload = ? WHERE seq = ?", arguments: [text, seq])
        }
    }
}

/// An outbox that runs `write` once, right after a read of records found nothing new: the moment a write by another
/// task commits between two of the agent's reads.
final class InterleavedOutbox: ForwardingOutbox, @unchecked Sendable {
    let inner: SiteOutbox
    let write: () throws -> Void
    private let lock = NSLock()
    private var done = false

    init(inner: SiteOutbox, write: @escaping () throws -> Void) {
        self.inner = inner
        self.write = write
    }

    var interleaved: Bool { lock.withLock { done } }
    func records(after: Int64, limit: Int) throws -> [WireRecord] {
        let records = try inner.records(after: after, limit: limit)
        let now = lock.withLock { () -> Bool in
            guard records.isEmpty, after > 0, !done else { return false }
            done = true
            return true
        }
        if now { try write() }
        return records
    }
}
