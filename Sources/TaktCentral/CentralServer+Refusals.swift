import Hummingbird
import TaktWeb

extension CentralServer {
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
