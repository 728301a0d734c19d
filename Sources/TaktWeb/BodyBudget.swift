import Foundation
import Hummingbird

/// Caps the bytes a server (central, the site app) holds in memory for request bodies it has not yet authenticated. Each request reserves
/// its `Content-Length` (or its route's maximum when none is given) before a byte is read and releases it when
/// done; past the cap the request is answered 503 with `Retry-After`, so a flood of large unauthenticated bodies
/// costs central at most `limit` bytes.
public actor BodyBudget {
    public let limit: Int
    public private(set) var reserved = 0

    public init(limit: Int) { self.limit = max(1, limit) }

    /// Reserves `bytes`; false when that would pass the cap.
    public func reserve(_ bytes: Int) -> Bool {
        guard bytes <= limit - reserved else { return false }
        reserved += bytes
        return true
    }

    public func release(_ bytes: Int) { reserved = max(0, reserved - bytes) }
}

/// Why a request body could not be read.
public enum BodyRefusal: Error, Sendable {
    case tooLarge(limit: Int)
    case busy
    case tooSlow(seconds: Int)
}

extension BodyBudget {
    /// Reads a request body of at most `limit` bytes within `timeout` seconds, under this budget. Refuses at
    /// once when `Content-Length` says the body is too large.
    public nonisolated func collect(_ request: Request, limit: Int, timeout: Double) async throws(BodyRefusal) -> Data {
        let declared = request.headers[.contentLength].flatMap { Int($0) }
        if let declared, declared > limit || declared < 0 { throw .tooLarge(limit: limit) }
        let reservation = declared ?? limit
        guard await reserve(reservation) else { throw .busy }
        do {
            let buffer = try await withThrowingTaskGroup(of: ByteBuffer?.self) { group in
                group.addTask {
                    var request = request
                    return try await request.collectBody(upTo: limit)
                }
                group.addTask {
                    try await Task.sleep(for: .seconds(timeout))
                    return nil
                }
                let first = try await group.next() ?? nil
                group.cancelAll()
                return first
            }
            await release(reservation)
            guard let buffer else { throw BodyRefusal.tooSlow(seconds: Int(timeout)) }
            return Data(buffer.readableBytesView)
        } catch let refusal as BodyRefusal {
            throw refusal
        } catch {
            await release(reservation)
            throw .tooLarge(limit: limit)
        }
    }
}

/// Form bodies (`application/x-www-form-urlencoded`).
public enum WebForm {
    /// Parses form fields; a field may repeat (the sites ticked on central's configuration page). Total: any
    /// text gives some fields (pairs without a name are skipped, at most 1000 pairs), never a crash.
    public static func parse(_ text: String) -> [String: [String]] {
        func decode(_ part: Substring) -> String {
            let spaced = part.replacingOccurrences(of: "+", with: " ")
            return spaced.removingPercentEncoding ?? spaced
        }
        var fields: [String: [String]] = [:]
        for pair in text.split(separator: "&", omittingEmptySubsequences: true).prefix(1000) {
            let parts = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            guard let name = parts.first, !name.isEmpty else { continue }
            fields[decode(name), default: []].append(parts.count > 1 ? decode(parts[1]) : "")
        }
        return fields
    }
}
