import Foundation

/// One dated exchange rate: from `day` on, one unit of `currency` is `rate` units of `into`, until a later rate
/// for the same pair.
public struct ExchangeRate: Hashable, Sendable, Codable {
    public var currency: String
    public var into: String
    public var day: LocalDate
    public var rate: Double

    public init(currency: String, into: String, day: LocalDate, rate: Double) {
        self.currency = currency
        self.into = into
        self.day = day
        self.rate = rate
    }

    /// True for a three-letter upper-case ISO 4217 code.
    public static func isCurrencyCode(_ code: String) -> Bool {
        code.count == 3 && code.allSatisfy { $0.isASCII && $0.isUppercase && $0.isLetter }
    }

    /// Why a rate cannot be stored, or nil when it can.
    public var problem: String? {
        if currency.isEmpty { return "the rate has no currency" }
        if !Self.isCurrencyCode(currency) { return "'\(currency)' is not an ISO 4217 currency code" }
        if into.isEmpty { return "the rate has no currency to convert into" }
        if !Self.isCurrencyCode(into) { return "'\(into)' is not an ISO 4217 currency code" }
        if currency == into { return "a rate converts between two currencies, not \(currency) into itself" }
        if !(rate.isFinite && rate > 0 && rate < 1e9) { return "the rate must be a positive number, not \(rate)" }
        return nil
    }

    /// Reads `currency,into,day,rate` lines (a header line is allowed); every bad line is named, and nothing is
    /// returned unless all are good.
    public static func parseCSV(_ text: String) throws(CoreError) -> [ExchangeRate] {
        var rates: [ExchangeRate] = []
        var problems: [String] = []
        for (index, raw) in text.split(omittingEmptySubsequences: false, whereSeparator: \.isNewline).enumerated() {
            let line = raw.trimmingCharacters(in: .whitespaces)
            if line.isEmpty || line.hasPrefix("#") { continue }
            let fields = line.split(separator: ",", omittingEmptySubsequences: false).map {
                $0.trimmingCharacters(in: .whitespaces)
            }
            if index == 0, fields.first?.lowercased() == "currency" { continue }
            guard fields.count == 4 else {
                problems.append("line \(index + 1): expected currency,into,day,rate, got \(fields.count) fields")
                continue
            }
            guard let day = LocalDate(parsing: fields[2]) else {
                problems.append("line \(index + 1): '\(fields[2])' is not a date (YYYY-MM-DD)")
                continue
            }
            guard let rate = Double(fields[3]) else {
                problems.append("line \(index + 1): '\(fields[3])' is not a number")
                continue
            }
            let entry = ExchangeRate(currency: fields[0], into: fields[1], day: day, rate: rate)
            if let problem = entry.problem {
                problems.append("line \(index + 1): \(problem)")
                continue
            }
            rates.append(entry)
        }
        guard problems.isEmpty else {
            throw .invalidConfiguration(path: "", message: problems.prefix(20).joined(separator: "\n"))
        }
        return rates
    }
}

/// The dated exchange-rate table: which rate applies to a cost on a given day.
public struct ExchangeRates: Sendable {
    /// Each pair's rates, oldest first.
    private var pairs: [String: [ExchangeRate]] = [:]

    public init(_ rates: [ExchangeRate]) {
        for rate in rates { pairs[Self.key(rate.currency, rate.into), default: []].append(rate) }
        for key in pairs.keys { pairs[key]!.sort { $0.day < $1.day } }
    }

    private static func key(_ from: String, _ into: String) -> String { "\(from)>\(into)" }

    /// Units of `into` per unit of `currency` on `day`: 1 for the same currency, the latest rate on or before the
    /// day, or the inverse of the reverse pair's; nil when there is none (never 1:1 by default).
    public func rate(_ currency: String, into: String, on day: LocalDate) -> Double? {
        if currency == into { return 1 }
        if let rate = latest(Self.key(currency, into), on: day) { return rate }
        return latest(Self.key(into, currency), on: day).map { 1 / $0 }
    }

    private func latest(_ key: String, on day: LocalDate) -> Double? {
        guard let list = pairs[key] else { return nil }
        var found: Double?
        for rate in list {
            if rate.day > day { break }
            found = rate.rate
        }
        return found
    }

    /// `amount` of `currency` on `day` in `into`; the error names the currency and the day it has no rate for.
    public func convert(_ amount: Double, from currency: String, into: String, on day: LocalDate) throws(CoreError)
        -> Double
    {
        guard let rate = rate(currency, into: into, on: day) else {
            throw .invalidConfiguration(
                path: "", message: "no exchange rate from \(currency) into \(into) on or before \(day)")
        }
        return amount * rate
    }
}
