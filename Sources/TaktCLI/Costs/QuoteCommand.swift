import ArgumentParser
import Foundation
import TaktCore
import TaktHost

/// `takt quote`: capable-to-promise on the current plan.
struct QuoteCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "quote",
        abstract: "When could the site deliver a quantity of a product without making a committed order late?")
    @OptionGroup var site: SiteOptions
    @OptionGroup var output: OutputOptions
    @Option(help: "The product.") var product: String
    @Option(help: "How many.") var quantity: Double
    @Option(help: "The date asked for (site-local): say whether it is met, and what meeting it would cost.")
    var by: String?
    @Option(help: "How far ahead to look (14d, 60d).") var horizon: DurationArgument = DurationArgument(
        seconds: 60 * 86_400)

    func validate() throws {
        guard quantity.isFinite, quantity > 0 else { throw ValidationError("--quantity must be a positive number") }
        guard horizon.seconds >= 86_400, horizon.seconds <= 366 * 86_400 else {
            throw ValidationError("--horizon is between 1d and 366d")
        }
    }

    func run() throws {
        let host = try site.open()
        let zone = host.definition.timeZone
        let quote = try host.quote(
            product: product, quantity: quantity, by: try by.map { try parseInstant($0, option: "--by", in: zone) },
            horizon: TimeSpan(seconds: horizon.seconds), at: Date())
        if output.json { return try output.print(json: quote) }
        print(Money.quote(quote, in: zone))
    }
}
