import Foundation

/// Keeps central responsive under load: a cap on ingest requests in flight (503 beyond it) and a token
/// bucket per site (429 when a site sends faster than its rate). Both answers carry `Retry-After`.
actor AdmissionControl {
    let maxInFlight: Int
    let rate: Double
    let burst: Double
    var inFlight = 0
    var buckets: [String: (tokens: Double, at: Date)] = [:]

    init(maxInFlight: Int, rate: Double) {
        self.maxInFlight = max(1, maxInFlight)
        self.rate = max(0.1, rate)
        self.burst = max(1, rate * 2)
    }

    enum Decision: Equatable {
        case admitted
        case overloaded(retryAfter: Int)
        case tooFast(retryAfter: Int)
    }

    func admit(site: String, now: Date) -> Decision {
        var bucket = buckets[site] ?? (burst, now)
        bucket.tokens = min(burst, bucket.tokens + now.timeIntervalSince(bucket.at) * rate)
        bucket.at = now
        guard bucket.tokens >= 1 else {
            buckets[site] = bucket
            return .tooFast(retryAfter: max(1, Int(((1 - bucket.tokens) / rate).rounded(.up))))
        }
        guard inFlight < maxInFlight else { return .overloaded(retryAfter: 1) }
        bucket.tokens -= 1
        buckets[site] = bucket
        inFlight += 1
        return .admitted
    }

    func release() { inFlight -= 1 }
}
