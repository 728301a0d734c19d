import ArgumentParser
import Foundation
import TaktCore
import TaktHost

/// The `takt` command: thin commands over the Takt libraries. A library, so that a company can build its own
/// `takt` with its own compiled modules (see docs/writing-a-module.md): its `main.swift` calls
/// `Takt.main(registry:)` with a registry of the modules it links.
public struct Takt: AsyncParsableCommand {
    /// The version `takt --version` prints.
    public static let version = "0.4.0"

    public static var configuration: CommandConfiguration {
        CommandConfiguration(
            commandName: "takt",
            abstract: "Operations platform for production managers: sites, rules, checks, orders.",
            discussion: """
                Exit codes: 0 success; 1 a runtime failure (a locked or damaged database, central unreachable); \
                2 bad input (configuration, CSV, arguments, unknown ids; nothing is written); 3 a question \
                answered "no" (staff clearance: not cleared).
                Environment: TAKT_DATA_DIR (default for --data-dir), TAKT_CENTRAL (default for --central), \
                TAKT_CENTRAL_POSTGRES_URL (central's PostgreSQL URL).
                """ + moduleCommandsHelp,
            version: version,
            subcommands: builtIn)
    }

    /// Module commands, listed under the built-in ones in `takt --help`.
    static var moduleCommandsHelp: String {
        guard let registry, !registry.commands.isEmpty else { return "" }
        return "\nModule commands (each takes --site, --data-dir, --json and --help):\n"
            + registry.commands.map {
                "  \($0.command.name.padding(toLength: 16, withPad: " ", startingAt: 0))\($0.command.abstract) (\($0.module))"
            }
            .joined(separator: "\n")
    }

    /// The commands built into every `takt`.
    static let builtIn: [any ParsableCommand.Type] = [
        SiteCommand.self, OrdersCommand.self, CheckCommand.self, FindingsCommand.self, LotsCommand.self,
        DemoCommand.self, ScheduleCommand.self, ProductionCommand.self, CostsCommand.self, QuoteCommand.self,
        ReportCommand.self, ExtensionCommand.self,
        CentralCommand.self,
        KeysCommand.self,
        BlocksCommand.self,
        RosterCommand.self, StaffCommand.self, TrainingCommand.self, InstrumentsCommand.self, AssetsCommand.self,
        MaintenanceCommand.self,
        QualityCommand.self, NCRCommand.self, IncidentsCommand.self, RisksCommand.self, PermitsCommand.self,
        AlertsCommand.self, AuditCommand.self,
        MaterialsCommand.self,
        TraceCommand.self,
        RecallCommand.self,
        BenchCommand.self,
    ]

    public init() {}

    /// The modules this build of `takt` knows; set by `main(registry:)` for the command's whole run.
    @TaskLocal static var registry: ModuleRegistry?

    /// The module registry of this build.
    static func modules() throws -> ModuleRegistry {
        guard let registry else {
            throw CommandFailure(message: "no module registry: start takt through Takt.main(registry:)", code: 1)
        }
        return registry
    }

    /// Runs `takt` with the modules in `registry` and exits with its code.
    public static func main(registry: ModuleRegistry) async {
        let builtInNames = Set(builtIn.map { $0._commandName })
        for (module, command) in registry.commands where builtInNames.contains(command.name) {
            FileHandle.standardError.write(
                Data("error: module \(module) declares the command '\(command.name)', which takt has built in\n".utf8))
            Foundation.exit(1)
        }
        if let line = ModuleCommandLine.match(Array(CommandLine.arguments.dropFirst()), in: registry) {
            Foundation.exit(line.run(registry: registry))
        }
        await $registry.withValue(registry) { await main() }
    }

    /// Runs the command and turns errors into exit codes: 2 for bad input, 1 for a runtime failure.
    public static func main() async {
        do {
            var command = try parseAsRoot()
            if var asynchronous = command as? any AsyncParsableCommand {
                try await asynchronous.run()
            } else {
                try command.run()
            }
        } catch let error as HostError {
            FileHandle.standardError.write(Data("error: \(error)\n".utf8))
            Foundation.exit(error.isBadInput ? 2 : 1)
        } catch let error as CommandFailure {
            FileHandle.standardError.write(Data("error: \(error.message)\n".utf8))
            Foundation.exit(error.code)
        } catch {
            let code = exitCode(for: error)
            // Usage mistakes are bad input too; argument-parser's own code for them is 64.
            guard code.rawValue == 64 else { exit(withError: error) }
            FileHandle.standardError.write(Data((fullMessage(for: error) + "\n").utf8))
            Foundation.exit(2)
        }
    }
}

/// An error a command reports with its own exit code.
struct CommandFailure: Error {
    var message: String
    var code: Int32
}
