import Foundation
import Hummingbird

/// Caps the bytes central holds in memory for request bodies it has not yet authenticated. Each request reserves
/// its `Content-Length` (or its route's maximum when none is given) before a byte is read and releases it when
/// done; past the cap the request is answered 503 with `Retry-After`, so a flood of large unauthenticated bodies
/// costs central at most `limit` bytes.
actor BodyBudget {
    let limit: Int
    private(set) var reserved = 0

    init(limit: Int) { self.limit = max(1, limit) }

    /// Reserves `bytes`; false when that would pass the cap.
    func reserve(_ bytes: Int) -> Bool {
        guard bytes <= limit - reserved else { return false }
        reserved += bytes
        return true
    }

    func release(_ bytes: Int) { reserved = max(0, reserved - bytes) }
}

/// Why a request body could not be read.
enum BodyRefusal: Error {
    case tooLarge(limit: Int)
    case busy
    case tooSlow(seconds: Int)
}

extension CentralServer {
    /// Reads a request body of at most `limit` bytes within `bodyTimeout`, under the server's byte budget.
    /// Refuses at once when `Content-Length` says the body is too large.
    func collectBody(_ request: Request, limit: Int) async throws(BodyRefusal) -> Data {
        let declared = request.headers[.contentLength].flatMap { Int($0) }
        if let declared, declared > limit || declared < 0 { throw .tooLarge(limit: limit) }
        let reservation = declared ?? limit
        guard await budget.reserve(reservation) else { throw .busy }
        let timeout = bodyTimeout
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
            await budget.release(reservation)
            guard let buffer else { throw BodyRefusal.tooSlow(seconds: Int(timeout)) }
            return Data(buffer.readableBytesView)
        } catch let refusal as BodyRefusal {
            throw refusal
        } catch {
            await budget.release(reservation)
            throw .tooLarge(limit: limit)
        }
    }

    /// The answer to a body that could not be read.
    static func refusal(_ refusal: BodyRefusal) -> Response {
        switch refusal {
        case .tooLarge(let limit):
            return error(.contentTooLarge, "body_too_large", "the body may be at most \(limit) bytes")
        case .busy:
            return error(.serviceUnavailable, "overloaded", "central is reading too many bodies at once", retryAfter: 1)
        case .tooSlow(let seconds):
            return error(.requestTimeout, "too_slow", "the body did not arrive within \(seconds) s")
        }
    }
}
