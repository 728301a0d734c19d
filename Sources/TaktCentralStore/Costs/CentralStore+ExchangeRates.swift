import Foundation
import GRDB
import TaktCore
import TaktStore

extension CentralStore {
    /// Stores dated exchange rates in one transaction, replacing any for the same pair and day.
    public func saveExchangeRates(_ rates: [ExchangeRate]) async throws(StoreError) {
        try await write { db in
            for rate in rates {
                try db.execute(
                    sql: """
                        INSERT INTO exchange_rates (currency, into_currency, day, rate) VALUES (?, ?, ?, ?)
                        ON CONFLICT (currency, into_currency, day) DO UPDATE SET rate = excluded.rate
                        """, arguments: [rate.currency, rate.into, rate.day.description, rate.rate])
            }
        }
    }

    /// Every dated exchange rate, by pair and day.
    public func exchangeRates() async throws(StoreError) -> [ExchangeRate] {
        try await read { db in
            try Row.fetchAll(db, sql: "SELECT * FROM exchange_rates ORDER BY currency, into_currency, day").compactMap {
                row in
                LocalDate(parsing: row["day"]).map {
                    ExchangeRate(currency: row["currency"], into: row["into_currency"], day: $0, rate: row["rate"])
                }
            }
        }
    }
}

extension CentralStore {
    public func addQuoteRequest(_ request: QuoteRequestRecord) async throws(StoreError) {
        try await write { db in
            try db.execute(
                sql: """
                    INSERT INTO quote_requests (id, region, product, quantity, by_at, asked_by, asked_at, sites)
                    VALUES (?, ?, ?, ?, ?, ?, ?, ?)
                    """,
                arguments: [
                    request.id, request.region, request.product, request.quantity, request.by, request.askedBy,
                    request.askedAt, request.sites.joined(separator: ","),
                ])
        }
    }

    public func quoteRequests(since: Date, limit: Int) async throws(StoreError) -> [QuoteRequestRecord] {
        try await read { db in
            try Row.fetchAll(
                db, sql: "SELECT * FROM quote_requests WHERE asked_at >= ? ORDER BY asked_at DESC, id LIMIT ?",
                arguments: [since, limit]
            ).map {
                QuoteRequestRecord(
                    id: $0["id"], region: $0["region"], product: $0["product"], quantity: $0["quantity"],
                    by: $0["by_at"], askedBy: $0["asked_by"], askedAt: $0["asked_at"],
                    sites: ($0["sites"] as String).split(separator: ",").map(String.init))
            }
        }
    }
}
