import Foundation
import GRDB
import TaktCore

/// A time as GRDB stores a `Date` in SQLite (`yyyy-MM-dd HH:mm:ss.SSS`, UTC, to the nearest millisecond, as its formatter rounds), written
/// without a `DateFormatter`: ingest binds two times per record, and GRDB's formatter was a tenth of its time.
/// `StorageTimeTests` checks it against GRDB's own for many times.
enum StorageTime {
    static func text(_ date: Date) -> String {
        let milliseconds = Int64((date.timeIntervalSince1970 * 1000).rounded())
        var days = milliseconds / 86_400_000
        var rest = milliseconds % 86_400_000
        if rest < 0 {
            rest += 86_400_000
            days -= 1
        }
        let day = LocalDate(dayNumber: Int(days))
        let hour = rest / 3_600_000
        let minute = rest / 60_000 % 60
        let second = rest / 1000 % 60
        let milli = rest % 1000
        var bytes: [UInt8] = []
        bytes.reserveCapacity(23)
        func digits(_ value: Int64, _ count: Int) {
            var divisor: Int64 = 1
            for _ in 1..<count { divisor *= 10 }
            var value = value
            while divisor > 0 {
                bytes.append(UInt8(48 + value / divisor % 10))
                value %= divisor
                divisor /= 10
            }
        }
        digits(Int64(day.year), 4)
        bytes.append(0x2D)
        digits(Int64(day.month), 2)
        bytes.append(0x2D)
        digits(Int64(day.day), 2)
        bytes.append(0x20)
        digits(hour, 2)
        bytes.append(0x3A)
        digits(minute, 2)
        bytes.append(0x3A)
        digits(second, 2)
        bytes.append(0x2E)
        digits(milli, 3)
        return String(decoding: bytes, as: UTF8.self)
    }
}
