import Foundation

/// Slows password and PIN guessing at a login form (central's, the site app's), per user name and per client address: after `freeAttempts`
/// failures within `window`, each further attempt must wait, twice as long after every failure (1 s, 2 s, 4 s …
/// up to `maximumDelay`). A success clears the user's count. Central answers a throttled attempt 429 with
/// `Retry-After` without looking at the password, so guessing costs the attacker time, not central CPU.
public actor LoginThrottle {
    struct Record {
        var failures: Int
        var last: Date
    }

    let freeAttempts: Int
    let freeAttemptsPerAddress: Int
    let window: TimeInterval
    let maximumDelay: TimeInterval
    private var users: [String: Record] = [:]
    private var addresses: [String: Record] = [:]

    public init(
        freeAttempts: Int = 5, freeAttemptsPerAddress: Int = 20, window: TimeInterval = 900,
        maximumDelay: TimeInterval = 900
    ) {
        self.freeAttempts = freeAttempts
        self.freeAttemptsPerAddress = freeAttemptsPerAddress
        self.window = window
        self.maximumDelay = maximumDelay
    }

    /// Seconds the attempt must wait, or nil when it may go ahead.
    public func wait(user: String, address: String, now: Date) -> Int? {
        let delays = [
            delay(users[user], free: freeAttempts, now: now),
            delay(addresses[address], free: freeAttemptsPerAddress, now: now),
        ].compactMap { $0 }
        return delays.max()
    }

    private func delay(_ record: Record?, free: Int, now: Date) -> Int? {
        guard let record, now.timeIntervalSince(record.last) < window, record.failures >= free else { return nil }
        let exponent = Double(min(record.failures - free, 20))
        let delay = min(maximumDelay, pow(2, exponent))
        let remaining = record.last.addingTimeInterval(delay).timeIntervalSince(now)
        return remaining > 0 ? Int(remaining.rounded(.up)) : nil
    }

    /// Notes a failed attempt; returns the failures now counted for the user.
    @discardableResult
    public func failed(user: String, address: String, now: Date) -> Int {
        prune(now: now)
        let userCount = bump(&users, user, now: now)
        bump(&addresses, address, now: now)
        return userCount
    }

    public func succeeded(user: String) { users[user] = nil }

    @discardableResult
    private func bump(_ table: inout [String: Record], _ key: String, now: Date) -> Int {
        var record = table[key] ?? Record(failures: 0, last: now)
        if now.timeIntervalSince(record.last) >= window { record.failures = 0 }
        record.failures += 1
        record.last = now
        table[key] = record
        return record.failures
    }

    /// Forgets records older than the window, so a spray of user names cannot grow memory without bound.
    private func prune(now: Date) {
        guard users.count + addresses.count > 10_000 else { return }
        users = users.filter { now.timeIntervalSince($0.value.last) < window }
        addresses = addresses.filter { now.timeIntervalSince($0.value.last) < window }
        if users.count > 10_000 { users.removeAll() }
        if addresses.count > 10_000 { addresses.removeAll() }
    }
}
