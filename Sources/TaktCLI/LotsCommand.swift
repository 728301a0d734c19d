import ArgumentParser
import Foundation
import TaktCore
import TaktHost

struct LotsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "lots", abstract: "List lots and their status, or add a produced lot.",
        subcommands: [List.self, Add.self, Release.self, Reject.self, Issue.self], defaultSubcommand: List.self)

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
                if let expiry = lot.expiresAt { line += "  use \(Instant.formatDeadline(expiry, in: zone))" }
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
        @Option(help: "Use-by: a date (usable through that whole local day) or a date and time (site-local).")
        var expires: String?
        @OptionGroup var output: OutputOptions

        func run() throws {
            let host = try site.open()
            let zone = host.definition.timeZone
            let produced = try parseInstant(producedAt, option: "--produced-at", in: zone)
            let expiry = try expires.map { text in
                guard let date = Instant.parseDeadline(text, in: zone) else {
                    throw ValidationError("--expires: '\(text)' is not a date (2026-12-01) or a date and time")
                }
                return date
            }
            let lot = Lot(id: id, product: product, quantity: quantity, producedAt: produced, expiresAt: expiry)
            try host.addLot(lot, at: Date())
            if output.json { return try output.print(json: lot) }
            print("added lot \(id): \(CriticalLimits.format(quantity)) of \(product), released")
        }
    }

    /// Who decides about a lot on hold, and how the decision is printed; shared by release and reject.
    struct Decision: ParsableArguments {
        @OptionGroup var site: SiteOptions
        @Option(help: "The lot id.") var id: String
        @Option(help: "Staff id of the person who decides.") var by: String
        @OptionGroup var output: OutputOptions

        func apply(_ status: Lot.Status) throws {
            let lot = try site.open().decide(lot: id, status: status, by: by, at: Date())
            if output.json { return try output.print(json: lot) }
            print("lot \(lot.id) \(status.rawValue) by \(by)")
        }
    }

    struct Release: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Release a lot on hold; refused while a finding that held it is open.")
        @OptionGroup var decision: Decision

        func run() throws { try decision.apply(.released) }
    }

    struct Reject: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Reject a lot: it will never be used or shipped.")
        @OptionGroup var decision: Decision

        func run() throws { try decision.apply(.rejected) }
    }

    struct Issue: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Issue a lot from stock; rules judge first-expiry-first-out and expired stock.")

        @OptionGroup var site: SiteOptions
        @OptionGroup var output: OutputOptions
        @Option(help: "The lot id.") var id: String
        @Option(help: "Staff id of the person issuing it.") var by: String?
        @Option(help: "When (site-local); now when absent.") var at: String?

        func run() throws {
            let host = try site.open()
            let instant = try parseInstant(at, option: "--at", in: host.definition.timeZone)
            let findings = try host.issue(LotIssue(lot: id, by: by, at: instant))
            if output.json { return try output.print(json: findings) }
            print("issued lot \(id)")
            for finding in findings { print(FindingsCommand.line(for: finding, timeZone: host.definition.timeZone)) }
        }
    }
}

extension Lot.Status: ExpressibleByArgument {}
