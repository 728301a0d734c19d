import CoreMetrics
import Foundation
import Hummingbird
import Prometheus

/// Central's metrics, in Prometheus's text format at `GET /metrics`: requests by route and status and their
/// duration, batches and records ingested per site, batch latency, requests refused by reason, and each
/// site's sync lag. Built on swift-metrics with an explicit factory (no global bootstrap), so every server —
/// and every test — has its own registry.
public struct CentralMetrics: Sendable {
    public let registry: PrometheusCollectorRegistry
    let factory: PrometheusMetricsFactory

    public init(registry: PrometheusCollectorRegistry = PrometheusCollectorRegistry()) {
        self.registry = registry
        var factory = PrometheusMetricsFactory(registry: registry)
        factory.defaultDurationHistogramBuckets = [
            .milliseconds(5), .milliseconds(25), .milliseconds(100), .milliseconds(250), .milliseconds(500),
            .seconds(1), .seconds(2.5), .seconds(10),
        ]
        self.factory = factory
    }

    func request(route: String, method: String, status: Int, seconds: Double) {
        let dimensions = [("route", route), ("method", method), ("status", String(status))]
        Counter(label: "takt_http_requests_total", dimensions: dimensions, factory: factory).increment()
        Timer(label: "takt_http_request_duration_seconds", dimensions: [("route", route)], factory: factory)
            .recordSeconds(seconds)
    }

    func ingested(site: String, written: Int, duplicated: Int, seconds: Double, newest: Date?, now: Date) {
        Counter(label: "takt_ingest_batches_total", dimensions: [("site", site)], factory: factory).increment()
        Counter(
            label: "takt_ingest_records_total", dimensions: [("site", site), ("outcome", "written")], factory: factory
        )
        .increment(by: written)
        Counter(
            label: "takt_ingest_records_total", dimensions: [("site", site), ("outcome", "duplicate")], factory: factory
        ).increment(by: duplicated)
        Timer(label: "takt_batch_duration_seconds", dimensions: [], factory: factory).recordSeconds(seconds)
        if let newest {
            Gauge(label: "takt_sync_lag_seconds", dimensions: [("site", site)], factory: factory)
                .record(max(0, now.timeIntervalSince(newest)))
        }
    }

    func refused(_ reason: String) {
        Counter(label: "takt_rejected_requests_total", dimensions: [("reason", reason)], factory: factory).increment()
    }

    /// The text Prometheus scrapes.
    func text() -> String { registry.emitToString() }
}

/// Counts every request by its route template (never the raw path, which would let a caller create series at
/// will), method and status, with its duration.
struct RequestMetrics<Context: RequestContext>: RouterMiddleware {
    let metrics: CentralMetrics

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response)
        async throws -> Response
    {
        let started = ContinuousClock.now
        let route = { context.endpointPath ?? "unmatched" }
        do {
            let response = try await next(request, context)
            metrics.request(
                route: route(), method: request.method.rawValue, status: Int(response.status.code),
                seconds: Self.seconds(since: started))
            return response
        } catch {
            let status = (error as? any HTTPResponseError)?.status.code ?? 500
            metrics.request(
                route: route(), method: request.method.rawValue, status: Int(status),
                seconds: Self.seconds(since: started))
            throw error
        }
    }

    static func seconds(since start: ContinuousClock.Instant) -> Double {
        let elapsed = ContinuousClock.now - start
        return Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
    }
}
