import Foundation
import TaktScheduling

#if canImport(FoundationNetworking)
    import FoundationNetworking
#endif

/// One page fetched through HTTP a number of times, timed from the request to the last byte: what the page
/// benchmarks report for each page.
struct PageTiming: Encodable {
    var path: String
    var medianMilliseconds: Double
    var p95Milliseconds: Double
    var bytes: Int

    /// Fetches `request` once to warm caches (not counted), then `requests` times; any answer but 200 fails.
    static func measure(_ request: URLRequest, path: String, session: URLSession, requests: Int) async throws
        -> PageTiming
    {
        var times: [Double] = []
        var bytes = 0
        for attempt in 0...requests {
            let clock = ContinuousClock.now
            let (data, response) = try await session.data(for: request)
            let elapsed = (ContinuousClock.now - clock).seconds * 1000
            guard (response as? HTTPURLResponse)?.statusCode == 200 else {
                throw CommandFailure(
                    message: "\(path): answered \((response as? HTTPURLResponse)?.statusCode ?? 0)", code: 1)
            }
            bytes = data.count
            if attempt > 0 { times.append(elapsed) }
        }
        times.sort()
        return PageTiming(
            path: path, medianMilliseconds: times[times.count / 2],
            p95Milliseconds: times[min(times.count - 1, Int(Double(times.count) * 0.95))], bytes: bytes)
    }
}
