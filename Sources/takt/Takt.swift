import ArgumentParser
import Foundation
import TaktHost

/// The `takt` command: thin commands over the Takt libraries.
@main
struct Takt: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "takt",
        abstract: "Operations platform for production managers: sites, rules, checks, orders.",
        subcommands: [
            SiteCommand.self, OrdersCommand.self, CheckCommand.self, FindingsCommand.self, LotsCommand.self,
            DemoCommand.self, ScheduleCommand.self, ProductionCommand.self, CostsCommand.self, CentralCommand.self,
            KeysCommand.self,
            BlocksCommand.self,
            ReelsCommand.self,
            RosterCommand.self, StaffCommand.self,
            BenchCommand.self,
        ]
    )

    /// Runs the command and turns errors into exit codes: 2 for bad input, 1 for a runtime failure.
    static func main() async {
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
