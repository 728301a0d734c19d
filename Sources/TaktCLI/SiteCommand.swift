import ArgumentParser
import Foundation
import TaktCore
import TaktHost

struct SiteCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "site", abstract: "Check and describe site configurations.",
        subcommands: [
            Validate.self, Show.self, SweepCommand.self, RunCommand.self, ServeCommand.self, SiteUserCommand.self,
            SyncStatusCommand.self, SiteBackupCommand.self, SiteRestoreCommand.self, SiteRecoveredCommand.self,
        ])

    struct Validate: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Check site configurations; exit 2 listing every problem, with file, line and key path.",
            discussion:
                "Warnings (probably not what the site means, such as a product without a routing) are printed too; they do not fail the check."
        )

        @Argument(help: "Site folders or site.yaml files.")
        var paths: [String]

        @OptionGroup var output: OutputOptions

        func run() throws {
            let loader = SiteLoader(registry: try Takt.modules())
            var results: [ValidationResult] = []
            for path in paths {
                do {
                    let definition = try loader.load(path: path)
                    results.append(
                        .init(
                            path: SiteLoader.configurationFile(for: path), site: definition.site.id, problems: [],
                            warnings: definition.warnings))
                } catch {
                    let problems: [ConfigurationProblem]
                    if case .invalidSite(let found) = error {
                        problems = found
                    } else {
                        let reason: String
                        if case .cannotRead(_, let why) = error {
                            reason = "cannot read: \(why)"
                        } else {
                            reason = error.description
                        }
                        problems = [
                            ConfigurationProblem(
                                file: SiteLoader.configurationFile(for: path), line: nil, path: "", message: reason)
                        ]
                    }
                    results.append(
                        .init(
                            path: SiteLoader.configurationFile(for: path), site: nil, problems: problems, warnings: []))
                }
            }
            if output.json {
                try output.print(json: results)
            } else {
                for result in results {
                    for warning in result.warnings { print("warning: \(warning)") }
                    if result.problems.isEmpty {
                        print("ok: \(result.path) (site \(result.site ?? "?"))")
                    } else {
                        result.problems.forEach { print($0) }
                    }
                }
            }
            let invalid = results.filter { !$0.problems.isEmpty }.count
            if invalid > 0 {
                throw CommandFailure(message: "\(invalid) of \(results.count) site(s) invalid", code: 2)
            }
        }

        struct ValidationResult: Encodable {
            var path: String
            var site: String?
            var problems: [ConfigurationProblem]
            var warnings: [String]
        }
    }

    struct Show: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Show a site: its modules, rules per slot, work centres and calendars.")

        @Argument(help: "The site folder or its site.yaml.")
        var path: String

        @OptionGroup var output: OutputOptions

        func run() throws {
            let definition = try SiteLoader(registry: try Takt.modules()).load(path: path)
            let summary = SiteSummary(definition)
            if output.json {
                try output.print(json: summary)
            } else {
                print(summary.text)
            }
        }
    }
}
