import ArgumentParser
import Foundation
import TaktCore
import TaktHost

/// `takt site sweep`: what the site's timers do, on demand.
struct SweepCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "sweep",
        abstract: "Raise findings the clock has made due: overdue checks, expired lots, reels past floor life.")

    @OptionGroup var site: SiteOptions
    @OptionGroup var output: OutputOptions

    @Option(help: "The instant to judge at (site-local); now when absent.")
    var at: String?

    func run() throws {
        let host = try site.open()
        let findings = try host.sweep(at: try parseInstant(at, option: "--at", in: host.definition.timeZone))
        if output.json { return try output.print(json: findings) }
        if findings.isEmpty { print("nothing new is overdue or expired") }
        for finding in findings { print(FindingsCommand.line(for: finding, timeZone: host.definition.timeZone)) }
    }
}

/// `takt blocks`: work centres, operators and reels that may not be used.
struct BlocksCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "blocks", abstract: "List active blocks: work centres, operators at stations, reels.")

    @OptionGroup var site: SiteOptions
    @OptionGroup var output: OutputOptions

    func run() throws {
        let host = try site.open()
        let blocks = try host.activeBlocks()
        if output.json { return try output.print(json: blocks) }
        if blocks.isEmpty { print("nothing is blocked") }
        for block in blocks {
            print(
                "\(block.kind.rawValue)  \(block.target)  since \(Instant.format(block.since, in: host.definition.timeZone))  by finding #\(block.finding)"
            )
        }
    }
}
