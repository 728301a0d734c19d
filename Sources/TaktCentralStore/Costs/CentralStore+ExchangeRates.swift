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
