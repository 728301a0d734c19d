import ArgumentParser
import Foundation
import TaktCentralStore
import TaktCore

/// `takt central rates`: the dated exchange rates central converts each site's costs with.
struct RatesCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "rates", abstract: "Dated exchange rates: add one, import a CSV file, list them.",
        subcommands: [List.self, Add.self, Import.self], defaultSubcommand: List.self)

    struct Add: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "From a day on, one unit of a currency is worth RATE of another.")
        @OptionGroup var central: CentralCommand.CentralOptions
        @Option(help: "The currency converted (ISO 4217, such as MYR).") var currency: String
        @Option(help: "The currency it converts into (such as GBP).") var into: String
        @Option(help: "The first day it applies (YYYY-MM-DD).") var day: String
        @Option(help: "Units of --into per unit of --currency.") var rate: Double
        @OptionGroup var output: OutputOptions

        func run() async throws {
            guard let first = LocalDate(parsing: day) else {
                throw ValidationError("--day: '\(day)' is not a date (YYYY-MM-DD)")
            }
            let entry = ExchangeRate(currency: currency, into: into, day: first, rate: rate)
            if let problem = entry.problem { throw CommandFailure(message: "\(problem); nothing stored", code: 2) }
            try await central.withStore { store in try await store.saveExchangeRates([entry]) }
            if output.json { return try output.print(json: entry) }
            print("from \(first): 1 \(entry.currency) = \(String(format: "%g", entry.rate)) \(entry.into)")
        }
    }

    struct Import: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Import rates from a CSV file of currency,into,day,rate lines; all or nothing.")
        @OptionGroup var central: CentralCommand.CentralOptions
        @Argument(help: "The CSV file.", completion: .file(extensions: ["csv"])) var file: String
        @OptionGroup var output: OutputOptions

        func run() async throws {
            let text: String
            do { text = try String(contentsOfFile: file, encoding: .utf8) } catch {
                throw CommandFailure(message: "\(file): cannot be read as UTF-8 text", code: 2)
            }
            let rates: [ExchangeRate]
            do { rates = try ExchangeRate.parseCSV(text) } catch {
                if case .invalidConfiguration(_, let message) = error {
                    throw CommandFailure(message: "\(file):\n\(message)\nnothing stored", code: 2)
                }
                throw CommandFailure(message: "\(file): \(error)", code: 2)
            }
            guard !rates.isEmpty else { throw CommandFailure(message: "\(file): no rates in it", code: 2) }
            try await central.withStore { store in try await store.saveExchangeRates(rates) }
            if output.json { return try output.print(json: ["stored": rates.count]) }
            print("stored \(rates.count) rate(s)")
        }
    }

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Every rate, by pair and day.")
        @OptionGroup var central: CentralCommand.CentralOptions
        @OptionGroup var output: OutputOptions

        func run() async throws {
            let rates = try await central.withStore { store in try await store.exchangeRates() }
            if output.json { return try output.print(json: rates) }
            if rates.isEmpty { return print("no exchange rates") }
            for rate in rates {
                print("\(rate.day)  1 \(rate.currency) = \(String(format: "%g", rate.rate)) \(rate.into)")
            }
        }
    }
}
