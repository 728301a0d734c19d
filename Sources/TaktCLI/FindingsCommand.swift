import ArgumentParser
import Foundation
import TaktCore
import TaktHost

struct FindingsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "findings", abstract: "List findings, or close one's corrective action.",
        subcommands: [List.self, Close.self], defaultSubcommand: List.self)

    struct List: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List findings, newest first.")

        @OptionGroup var site: SiteOptions
        @OptionGroup var output: OutputOptions

        @Flag(help: "Only findings that are still open.")
        var open = false

        func run() throws {
            let host = try site.open()
            let findings = try host.findings(openOnly: open)
            if output.json { return try output.print(json: findings) }
            if findings.isEmpty { print(open ? "no open findings" : "no findings") }
            for finding in findings { print(FindingsCommand.line(for: finding, timeZone: host.definition.timeZone)) }
        }
    }

    struct Close: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Close a finding once its corrective action is done, naming who did it and what was done.")

        @OptionGroup var site: SiteOptions
        @OptionGroup var output: OutputOptions

        @Option(help: "The finding number (#N in the list).") var id: Int64
        @Option(help: "Staff id of the person who closes it.") var by: String
        @Option(help: "What was done.") var resolution: String

        func run() throws {
            let host = try site.open()
            let finding = try host.closeFinding(id, by: by, resolution: resolution, at: Date())
            if output.json { return try output.print(json: finding) }
            print(FindingsCommand.line(for: finding, timeZone: host.definition.timeZone))
        }
    }

    /// One finding as a person reads it, with its actions indented below.
    static func line(for finding: Finding, timeZone: TimeZone) -> String { finding.text(in: timeZone) }
}
