import ArgumentParser
import Foundation
import TaktCore
import TaktHost
import TaktStore

/// `takt audit verify`: proves the site's stored records were not changed or removed since they were written.
struct AuditCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "audit", abstract: "Check the tamper-evident audit trail.", subcommands: [Verify.self],
        defaultSubcommand: Verify.self)

    struct Verify: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract:
                "Check the site's hash chain and its readings against their records; exit 1 naming every record that does not fit."
        )
        @OptionGroup var site: SiteOptions
        @OptionGroup var output: OutputOptions

        struct Result: Encodable {
            var records: Int
            var problems: [AuditChain.Problem]
        }

        func run() throws {
            let host = try site.open()
            let problems = try host.store.verifyAudit()
            let records = try host.store.outbox(after: 0, limit: Int.max).count
            if output.json {
                try output.print(json: Result(records: records, problems: problems))
            } else if problems.isEmpty {
                print("the audit trail is intact: \(records) record(s), every one as it was written")
            } else {
                for problem in problems.prefix(50) { print(problem.description) }
                if problems.count > 50 { print("… and \(problems.count - 50) more (--json lists them all)") }
            }
            if !problems.isEmpty {
                throw CommandFailure(message: "\(problems.count) record(s) do not fit the audit trail", code: 1)
            }
        }
    }
}
