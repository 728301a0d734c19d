import Foundation
import Testing

@testable import TaktCore

/// Times as people at a site read them.
@Suite struct InstantTests {
    @Test func aTimeNearNowIsItsTimeOfDayAndADateOtherwise() throws {
        let penang = try #require(TimeZone(identifier: "Asia/Kuala_Lumpur"))
        let now = try #require(ISO8601DateFormatter().date(from: "2026-12-03T17:47:00Z"))  // 01:47 on the 4th there
        let earlier = try #require(ISO8601DateFormatter().date(from: "2026-12-03T17:10:00Z"))
        let yesterday = try #require(ISO8601DateFormatter().date(from: "2026-12-03T07:54:00Z"))
        #expect(Instant.formatNear(earlier, in: penang, now: now) == "01:10")
        // Same UTC day, but the day before in Penang.
        #expect(Instant.formatNear(yesterday, in: penang, now: now) == "2026-12-03 15:54")
        #expect(Instant.formatNear(yesterday, in: .gmt, now: now) == "07:54")
    }
}
