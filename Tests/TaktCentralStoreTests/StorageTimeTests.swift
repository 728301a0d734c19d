import Foundation
import GRDB
import Testing

@testable import TaktCentralStore

@Suite struct StorageTimeTests {
    /// Central's fast time text is GRDB's text for the same `Date`, to the millisecond.
    @Test func theFastTextIsGRDBsText() {
        var generator = SystemRandomNumberGenerator()
        var dates = [
            Date(timeIntervalSince1970: 0), Date(timeIntervalSince1970: 946_684_800),
            Date(timeIntervalSince1970: 1_795_000_000.9999), Date(timeIntervalSince1970: 4_102_444_799.5),
        ]
        for _ in 0..<2_000 {
            dates.append(Date(timeIntervalSince1970: Double.random(in: 946_684_800...4_102_444_800, using: &generator)))
        }
        for date in dates {
            #expect(
                StorageTime.text(date) == String.fromDatabaseValue(date.databaseValue), "\(date.timeIntervalSince1970)")
        }
    }
}
