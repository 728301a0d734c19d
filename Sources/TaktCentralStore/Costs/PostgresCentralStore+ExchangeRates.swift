import Foundation
import PostgresNIO
import TaktCore

extension PostgresCentralStore {
    /// Stores dated exchange rates in one statement, replacing any for the same pair and day.
    public func saveExchangeRates(_ rates: [ExchangeRate]) async throws {
        guard !rates.isEmpty else { return }
        // One row per pair and day: the last given wins, as it would row by row.
        var latest: [String: ExchangeRate] = [:]
        for rate in rates { latest["\(rate.currency)>\(rate.into)@\(rate.day)"] = rate }
        let rows = Array(latest.values)
        try await client.query(
            """
            INSERT INTO exchange_rates (currency, into_currency, day, rate)
            SELECT * FROM unnest(\(rows.map(\.currency))::text[], \(rows.map(\.into))::text[],
                \(rows.map(\.day.description))::text[], \(rows.map(\.rate))::double precision[])
            ON CONFLICT (currency, into_currency, day) DO UPDATE SET rate = EXCLUDED.rate
            """, logger: logger)
    }

    /// Every dated exchange rate, by pair and day.
    public func exchangeRates() async throws -> [ExchangeRate] {
        var rates: [ExchangeRate] = []
        let rows = try await client.query(
            "SELECT currency, into_currency, day, rate FROM exchange_rates ORDER BY currency, into_currency, day",
            logger: logger)
        for try await (currency, into, day, rate) in rows.decode((String, String, String, Double).self) {
            if let day = LocalDate(parsing: day) {
                rates.append(ExchangeRate(currency: currency, into: into, day: day, rate: rate))
            }
        }
        return rates
    }
}

extension PostgresCentralStore {
    public func addQuoteRequest(_ request: QuoteRequestRecord) async throws {
        try await client.query(
            """
            INSERT INTO quote_requests (id, region, product, quantity, by_at, asked_by, asked_at, sites)
            VALUES (\(request.id), \(request.region), \(request.product), \(request.quantity), \(request.by),
                \(request.askedBy), \(request.askedAt), \(request.sites.joined(separator: ",")))
            """, logger: logger)
    }

    public func quoteRequests(since: Date, limit: Int) async throws -> [QuoteRequestRecord] {
        var result: [QuoteRequestRecord] = []
        let rows = try await client.query(
            """
            SELECT id, region, product, quantity, by_at, asked_by, asked_at, sites FROM quote_requests
            WHERE asked_at >= \(since) ORDER BY asked_at DESC, id LIMIT \(limit)
            """, logger: logger)
        for try await (id, region, product, quantity, by, askedBy, askedAt, sites) in rows.decode(
            (String, String, String, Double, Date?, String, Date, String).self)
        {
            result.append(
                QuoteRequestRecord(
                    id: id, region: region, product: product, quantity: quantity, by: by, askedBy: askedBy,
                    askedAt: askedAt, sites: sites.split(separator: ",").map(String.init)))
        }
        return result
    }
}
