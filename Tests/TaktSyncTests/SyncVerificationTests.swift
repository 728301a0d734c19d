import Foundation
import Testing

@testable import TaktSync

/// The check the demo and the fault test rely on must itself catch every way sync can go wrong.
@Suite struct SyncVerificationTests {
    func fact(_ seq: Int64, _ payload: String = "{}") -> VerifiableRecord {
        VerifiableRecord(seq: seq, kind: "check_reading", recordClass: "fact", key: String(seq), payload: payload)
    }

    func state(_ seq: Int64, key: String, _ payload: String) -> VerifiableRecord {
        VerifiableRecord(seq: seq, kind: "lot", recordClass: "state", key: key, payload: payload)
    }

    @Test func everythingOnceIsClean() {
        let local = [fact(1), state(2, key: "L1", "a"), state(3, key: "L1", "b"), fact(4)]
        // Central may lack a superseded state record (compaction), not the newest.
        let central = [fact(1), state(3, key: "L1", "b"), fact(4)]
        let report = SyncVerification(local: local, central: central, epoch: "e", requireFacts: true)
        #expect(report.problems.isEmpty)
        #expect(report.facts == 2)
        #expect(report.states == 1)
    }

    @Test func aMissingADoubledAndAChangedFactAreEachFound() {
        let local = [fact(1), fact(2), fact(3, "{\"v\":1}")]
        let central = [fact(1), fact(1), fact(3, "{\"v\":2}")]
        let problems = SyncVerification(local: local, central: central, epoch: "e").problems
        #expect(problems.contains("fact 2 (check_reading) is missing at central"))
        #expect(problems.contains("fact 1 is at central 2 times"))
        #expect(problems.contains("fact 3 differs at central"))
    }

    @Test func theNewestStateMustArriveWithItsContent() {
        let local = [state(1, key: "L1", "a"), state(2, key: "L1", "b"), state(3, key: "L2", "x")]
        let stale = SyncVerification(local: local, central: [state(1, key: "L1", "a")], epoch: "e").problems
        #expect(stale.contains("state lot/L1 (newest, 2) is missing at central"))
        #expect(stale.contains("state lot/L2 (newest, 3) is missing at central"))
        let changed = SyncVerification(
            local: local, central: [state(2, key: "L1", "c"), state(3, key: "L2", "x")], epoch: "e"
        ).problems
        #expect(changed == ["state lot/L1 differs at central"])
    }

    @Test func somethingCentralHasThatTheSiteNeverWroteIsFound() {
        let problems = SyncVerification(local: [fact(1)], central: [fact(1), fact(9)], epoch: "e").problems
        #expect(problems == ["central has 9, the site does not"])
    }

    @Test func nothingWrittenIsAProblemWhenFactsAreRequired() {
        #expect(SyncVerification(local: [], central: [], epoch: "e").problems.isEmpty)
        #expect(!SyncVerification(local: [], central: [], epoch: "e", requireFacts: true).problems.isEmpty)
    }
}

/// Which payload times central refuses: years outside 2000 to a year ahead, and anything that only looks like a
/// time; ordinary times pass without being parsed.
@Suite struct PayloadTimesTests {
    let now = Date(timeIntervalSince1970: 1_795_000_000)  // 2026-11-18

    func bad(_ text: String) -> Bool { PayloadTimes.firstImplausible(in: ["at": [text]], now: now) != nil }

    @Test func theWindowIsEnforcedAtItsEdges() {
        #expect(!bad("2026-11-25T10:00:00Z"))
        #expect(!bad("2000-06-01T00:00:00.250Z"))
        #expect(!bad("2027-11-01T00:00:00Z"))
        #expect(bad("2028-12-01T00:00:00Z"))
        #expect(bad("1999-12-31T23:59:59Z"))
        #expect(bad("30000-01-01T00:00:00Z"))
        #expect(bad("+30000-01-01T00:00:00Z"))
        #expect(bad("0001-01-01T00:00:00Z"))
        #expect(bad("2027-13-45T99:00:00Z"))
        #expect(!bad("not a time"))
        #expect(!bad("2026-11-25"))
    }
}
