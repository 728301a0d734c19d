import Foundation
import Testing

@testable import TaktCentralStore
@testable import TaktCore
@testable import TaktStore

/// The same tests for every central store: SQLite always, PostgreSQL when `TAKT_POSTGRES_URL` is set
/// (`.ci/run` starts a local server and sets it).
@Suite struct CentralStoreContractTests {
    enum Backend: String, CaseIterable, CustomTestStringConvertible {
        case sqlite, postgres
        var testDescription: String { rawValue }
    }

    /// Both, always: without `TAKT_POSTGRES_URL` the PostgreSQL cases are cancelled, and the test below is
    /// reported as skipped, so a run without PostgreSQL says so instead of passing quietly.
    static var backends: [Backend] { [.sqlite, .postgres] }

    static var postgresURL: String? { ProcessInfo.processInfo.environment["TAKT_POSTGRES_URL"] }

    @Test(.enabled(if: postgresURL != nil, "TAKT_POSTGRES_URL is not set: the PostgreSQL contract cases are skipped"))
    func theContractRunsOnPostgreSQL() async throws {
        let cursor = try await PostgresCentralStore.with(url: Self.postgresURL!) { store in
            try await store.cursor(site: "nobody", epoch: "none")
        }
        #expect(cursor == 0)
    }

    func with(_ backend: Backend, _ body: @Sendable (any CentralStorage) async throws -> Void) async throws {
        switch backend {
        case .sqlite:
            let path = FileManager.default.temporaryDirectory.appendingPathComponent(
                "central-\(UUID().uuidString).sqlite"
            ).path
            try await body(try CentralStore(path: path))
        case .postgres:
            guard let url = ProcessInfo.processInfo.environment["TAKT_POSTGRES_URL"] else {
                try Test.cancel("skipped: TAKT_POSTGRES_URL is not set (scripts/start-postgres starts a server)")
            }
            try await PostgresCentralStore.with(url: url) {
                try await body($0)
            }
        }
    }

    static func record(
        _ seq: Int64, kind: String = "check_reading", class recordClass: String = "fact", key: String? = nil
    )
        -> CentralStore.IncomingRecord
    {
        .init(
            seq: seq, kind: kind, recordClass: recordClass, key: key ?? String(seq), payload: "{\"n\":\(seq)}",
            createdAt: Date(timeIntervalSince1970: 1_800_000_000 + Double(seq)))
    }

    @Test(arguments: backends)
    func ingestIsIdempotentAndRefusesGaps(_ backend: Backend) async throws {
        try await with(backend) { store in
            let site = "s-\(UUID().uuidString.prefix(8))"
            let now = Date()
            let first = try await store.ingest(
                site: site, epoch: "e1", first: 1, last: 3, records: (1...3).map { Self.record($0) }, configVersion: 2,
                sentAt: now.addingTimeInterval(4), now: now)
            #expect(first == .stored(acknowledged: 3, written: 3, duplicated: 0))
            let again = try await store.ingest(
                site: site, epoch: "e1", first: 2, last: 5, records: (2...5).map { Self.record($0) }, configVersion: 2,
                sentAt: now, now: now)
            #expect(again == .stored(acknowledged: 5, written: 2, duplicated: 2))
            let gap = try await store.ingest(
                site: site, epoch: "e1", first: 9, last: 9, records: [Self.record(9)], configVersion: 2, sentAt: now,
                now: now)
            #expect(gap == .gap(expected: 6))
            let value1 = try await store.cursor(site: site, epoch: "e1")
            #expect(value1 == 5)
            let value2 = try await store.cursor(site: site, epoch: "other")
            #expect(value2 == 0)
            let value3 = try await store.records(site: site)
            #expect(value3.map(\.seq) == [1, 2, 3, 4, 5])
            let contact = try await store.contact(site: site)
            #expect(contact?.configRunning == 2)
            #expect(contact?.epoch == "e1")
            #expect(value3.filter { $0.kind == "check_reading" }.count == 5)
        }
    }

    @Test(arguments: backends)
    func theLatestStateWins(_ backend: Backend) async throws {
        try await with(backend) { store in
            let site = "s-\(UUID().uuidString.prefix(8))"
            let records = [
                Self.record(1, kind: "lot", class: "state", key: "L1"),
                Self.record(2, kind: "lot", class: "state", key: "L1"),
            ]
            _ = try await store.ingest(
                site: site, epoch: "e", first: 1, last: 2, records: records, configVersion: 0, sentAt: Date(),
                now: Date())
            let value5 = try await store.state(site: site, kind: "lot")
            #expect(value5 == ["L1": "{\"n\":2}"])
        }
    }

    @Test(arguments: backends)
    func concurrentCopiesOfOneBatchAreStoredOnce(_ backend: Backend) async throws {
        try await with(backend) { store in
            let site = "s-\(UUID().uuidString.prefix(8))"
            let records = (1...20).map { Self.record(Int64($0)) }
            let written = try await withThrowingTaskGroup(of: Int.self) { group in
                for _ in 0..<4 {
                    group.addTask {
                        let outcome = try await store.ingest(
                            site: site, epoch: "e", first: 1, last: 20, records: records, configVersion: 0,
                            sentAt: Date(),
                            now: Date())
                        if case .stored(_, let written, _) = outcome { return written }
                        return 0
                    }
                }
                return try await group.reduce(0, +)
            }
            #expect(written == 20)
            let value6 = try await store.records(site: site)
            #expect(value6.count == 20)
            // The day's roll-up counts each reading once, however many copies raced.
            let day = LocalDate(Date(timeIntervalSince1970: 1_800_000_010), in: TimeZone(identifier: "UTC")!)
            let kept = try await store.daily(site: site, from: day.adding(days: -1), to: day.adding(days: 1))
            #expect(kept.map(\.checksRecorded).reduce(0, +) == 20)
        }
    }

    @Test(arguments: backends)
    func aNonceIsAcceptedOnce(_ backend: Backend) async throws {
        try await with(backend) { store in
            let key = "k-\(UUID().uuidString)"
            let now = Date()
            let expires = now.addingTimeInterval(300)
            let first = try await store.remember(key: key, nonce: "n1", expires: expires, now: now)
            let replay = try await store.remember(key: key, nonce: "n1", expires: expires, now: now)
            let other = try await store.remember(key: key, nonce: "n2", expires: expires, now: now)
            #expect(first)
            #expect(!replay)
            #expect(other)
        }
    }

    @Test(arguments: backends)
    func configurationVersionsCount(_ backend: Backend) async throws {
        try await with(backend) { store in
            let site = "s-\(UUID().uuidString.prefix(8))"
            let value7 = try await store.config(site: site, since: 0)
            #expect(value7 == nil)
            let value8 = try await store.publish(site: site, document: "a", by: "ada", at: Date())
            #expect(value8 == 1)
            let value9 = try await store.publish(site: site, document: "b", by: "ada", at: Date())
            #expect(value9 == 2)
            let value10 = try await store.config(site: site, since: 1)
            #expect(value10?.document == "b")
            let value11 = try await store.config(site: site, since: 2)
            #expect(value11 == nil)
            let value12 = try await store.configHistory(site: site)
            #expect(value12.map(\.version) == [2, 1])
            #expect(value12.map(\.document) == ["b", "a"] && value12.allSatisfy { $0.publishedBy == "ada" })
        }
    }

    @Test(arguments: backends)
    func usersSessionsAndTokens(_ backend: Backend) async throws {
        try await with(backend) { store in
            let name = "u-\(UUID().uuidString.prefix(8))"
            try await store.saveUser(
                .init(name: name, passwordHash: "h", role: "regional_manager", scope: ["uk-north", "apac"]))
            let value13 = try await store.user(name)
            #expect(value13?.scope == ["uk-north", "apac"])
            let now = Date()
            try await store.startSession(
                user: name, tokenHash: "t-\(name)", csrf: "c", expires: now.addingTimeInterval(60))
            let value14 = try await store.session(tokenHash: "t-\(name)", now: now)
            #expect(value14?.csrf == "c")
            let value15 = try await store.session(tokenHash: "t-\(name)", now: now.addingTimeInterval(120))
            #expect(value15 == nil)
            try await store.addToken(user: name, tokenHash: "a-\(name)", at: now, expires: now.addingTimeInterval(60))
            let value16 = try await store.tokenUser(tokenHash: "a-\(name)", now: now)
            #expect(value16?.role == "regional_manager")
            // A token past its expiry lets nobody in.
            #expect(try await store.tokenUser(tokenHash: "a-\(name)", now: now.addingTimeInterval(61)) == nil)
            // Revoking ends the user's sessions and tokens (after a password change, say).
            try await store.addToken(user: name, tokenHash: "b-\(name)", at: now, expires: now.addingTimeInterval(60))
            try await store.startSession(
                user: name, tokenHash: "s-\(name)", csrf: "c", expires: now.addingTimeInterval(60))
            #expect(try await store.revokeCredentials(user: name) == 4)
            #expect(try await store.tokenUser(tokenHash: "b-\(name)", now: now) == nil)
            #expect(try await store.session(tokenHash: "s-\(name)", now: now) == nil)
            // The server secret is made once and then stays.
            let secret = try await store.secret(name: "test-\(name)")
            #expect(secret.count >= 32)
            #expect(try await store.secret(name: "test-\(name)") == secret)
            let value17 = try await store.removeUser(name)
            #expect(value17)
            let value18 = try await store.session(tokenHash: "t-\(name)", now: now)
            #expect(value18 == nil)
            let value19 = try await store.tokenUser(tokenHash: "a-\(name)", now: now)
            #expect(value19 == nil)
            let value20 = try await store.removeUser(name)
            #expect(!value20)
        }
    }
}
