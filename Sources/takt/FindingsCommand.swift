import ArgumentParser
import Foundation
import TaktCore
import TaktHost

struct FindingsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "findings", abstract: "List findings, newest first.")

    @OptionGroup var site: SiteOptions
    @OptionGroup var output: OutputOptions

    @Flag(help: "Only findings that are still open.")
    var open = false

    func run() throws {
        let host = try site.open()
        let findings = try host.findings(openOnly: open)
        if output.json { return try output.print(json: findings) }
        if findings.isEmpty { print(open ? "no open findings" : "no findings") }
        for finding in findings { print(Self.line(for: finding, timeZone: host.definition.timeZone)) }
    }

    /// One finding as a person reads it, with its actions indented below.
    static func line(for finding: Finding, timeZone: TimeZone) -> String {
        var text =
            "#\(finding.id.map(String.init) ?? "-") \(finding.severity.rawValue.uppercased()) [\(finding.status.rawValue)] "
            + "\(Instant.format(finding.raisedAt, in: timeZone)) \(finding.subject): \(finding.message) (\(finding.rule))"
        for action in finding.actions { text += "\n    → \(action)" }
        return text
    }
}

struct LotsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "lots", abstract: "List lots and their status, or add a produced lot.",
        subcommands: [List.self, Add.self], defaultSubcommand: List.self)

    struct List: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List lots, newest first.")

        @OptionGroup var site: SiteOptions
        @OptionGroup var output: OutputOptions

        @Option(help: "Only lots with this status: released, on_hold or rejected.")
        var status: Lot.Status?

        func run() throws {
            let host = try site.open()
            let lots = try host.lots(status: status)
            if output.json { return try output.print(json: lots) }
            if lots.isEmpty { print("no lots") }
            let zone = host.definition.timeZone
            for lot in lots {
                var line =
                    "\(lot.id)  \(lot.product)  \(CriticalLimits.format(lot.quantity))  \(lot.status.rawValue)  "
                    + "produced \(Instant.format(lot.producedAt, in: zone))"
                if let expiry = lot.expiresAt { line += "  use by \(Instant.format(expiry, in: zone))" }
                print(line)
            }
        }
    }

    struct Add: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Record a lot the site has produced.")

        @OptionGroup var site: SiteOptions

        @Option(help: "The lot id.") var id: String
        @Option(help: "The product id.") var product: String
        @Option(help: "How much.") var quantity: Double
        @Option(name: .customLong("produced-at"), help: "When (site-local); now when absent.") var producedAt: String?
        @Option(help: "Use-by date and time (site-local).") var expires: String?

        func run() throws {
            let host = try site.open()
            let zone = host.definition.timeZone
            let produced = try parseInstant(producedAt, option: "--produced-at", in: zone)
            let expiry = try expires.map { try parseInstant($0, option: "--expires", in: zone) }
            try host.addLot(
                Lot(id: id, product: product, quantity: quantity, producedAt: produced, expiresAt: expiry), at: Date())
            print("added lot \(id): \(CriticalLimits.format(quantity)) of \(product), released")
        }
    }
}

extension Lot.Status: ExpressibleByArgument {}
