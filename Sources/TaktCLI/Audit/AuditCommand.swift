import ArgumentParser
import Foundation
import TaktCentralStore
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

/// `takt central audit`: proves central's stored records are as the sites wrote them.
struct CentralAuditCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "audit", abstract: "Check central's records against the sites' hash chains.",
        subcommands: [Verify.self], defaultSubcommand: Verify.self)

    struct Verify: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Recompute every stored record's hash and check the chain; exit 1 naming every record that "
                + "does not fit.")
        @OptionGroup var central: CentralCommand.CentralOptions
        @OptionGroup var output: OutputOptions
        @Option(help: "Only this site.") var site: String?

        func run() async throws {
            let (configuration, _) = try central.load()
            let sites = configuration.sites.map(\.site.id).filter { site == nil || $0 == site }
            if let site, sites.isEmpty {
                throw CommandFailure(message: "no site '\(site)' in \(central.config)", code: 2)
            }
            let report = try await central.withStore { store in
                var records: [CentralStore.StoredRecord] = []
                for site in sites { records += try await store.records(site: site) }
                return CentralAudit.verify(records)
            }
            if output.json {
                try output.print(json: report)
            } else if report.problems.isEmpty {
                print(
                    "central's records are intact: \(report.records) record(s) from \(sites.count) site(s)"
                        + (report.withoutHash > 0
                            ? ", \(report.withoutHash) from before the audit chain (not checkable)" : ""))
            } else {
                for problem in report.problems.prefix(50) { print(problem.description) }
                if report.problems.count > 50 {
                    print("… and \(report.problems.count - 50) more (--json lists them all)")
                }
            }
            if !report.problems.isEmpty {
                throw CommandFailure(message: "\(report.problems.count) record(s) do not fit the audit trail", code: 1)
            }
        }
    }
}
