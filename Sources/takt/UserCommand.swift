import ArgumentParser
import Foundation
import TaktCentral
import TaktStore

/// `takt central user`: dashboard and API users.
struct UserCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "user", abstract: "Manage dashboard and API users.",
        subcommands: [Add.self, Passwd.self, Remove.self, Token.self])

    enum Role: String, ExpressibleByArgument, CaseIterable {
        case administrator
        case regionalManager = "regional_manager"
        case siteManager = "site_manager"
        case viewer
    }

    struct Store: ParsableArguments {
        @Option(name: .customLong("data-dir"), help: "Where central's database lives.") var dataDir: String =
            "central-data"
        func open() throws -> CentralStore {
            try CentralStore(path: URL(fileURLWithPath: dataDir).appendingPathComponent("central.sqlite").path)
        }
    }

    /// The password from `--password-file` or standard input (never from the command line, where `ps` shows it).
    static func readPassword(file: String?) throws -> String {
        let text: String?
        if let file {
            text = try? String(contentsOfFile: file, encoding: .utf8)
        } else {
            text = readLine(strippingNewline: true)
        }
        guard let password = text?.trimmingCharacters(in: .newlines), password.count >= 10 else {
            throw CommandFailure(
                message: "a password needs at least 10 characters (give it on standard input or with --password-file)",
                code: 2)
        }
        return password
    }

    struct Add: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Add a user; the password is read from standard input.")
        @OptionGroup var store: Store
        @Argument(help: "The user name.") var name: String
        @Option(help: "administrator, regional_manager, site_manager or viewer.") var role: Role
        @Option(help: "Regions (regional manager, viewer) or sites (site manager), comma-separated.") var scope:
            String = ""
        @Option(name: .customLong("password-file"), help: "Read the password from this file.") var passwordFile: String?

        func run() throws {
            let central = try store.open()
            guard try central.user(name) == nil else {
                throw CommandFailure(message: "user \(name) exists; use passwd", code: 2)
            }
            let scopes = scope.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }.filter {
                !$0.isEmpty
            }
            if (role == .regionalManager || role == .siteManager) && scopes.isEmpty {
                throw CommandFailure(message: "a \(role.rawValue) needs --scope (their regions or sites)", code: 2)
            }
            let hash = try Credentials.hash(password: try UserCommand.readPassword(file: passwordFile))
            try central.saveUser(.init(name: name, passwordHash: hash, role: role.rawValue, scope: scopes))
            print("added \(name) (\(role.rawValue)\(scopes.isEmpty ? "" : ": " + scopes.joined(separator: ", ")))")
        }
    }

    struct Passwd: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Set a user's password (from standard input).")
        @OptionGroup var store: Store
        @Argument(help: "The user name.") var name: String
        @Option(name: .customLong("password-file"), help: "Read the password from this file.") var passwordFile: String?

        func run() throws {
            let central = try store.open()
            guard var user = try central.user(name) else { throw CommandFailure(message: "no user \(name)", code: 2) }
            user.passwordHash = try Credentials.hash(password: try UserCommand.readPassword(file: passwordFile))
            try central.saveUser(user)
            print("password changed for \(name)")
        }
    }

    struct Remove: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Remove a user, their sessions and tokens.")
        @OptionGroup var store: Store
        @Argument(help: "The user name.") var name: String

        func run() throws {
            guard try store.open().removeUser(name) else { throw CommandFailure(message: "no user \(name)", code: 2) }
            print("removed \(name)")
        }
    }

    struct Token: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Create an API token for a user; it is shown once.")
        @OptionGroup var store: Store
        @Argument(help: "The user name.") var name: String

        func run() throws {
            let central = try store.open()
            guard try central.user(name) != nil else { throw CommandFailure(message: "no user \(name)", code: 2) }
            let token = Credentials.randomHex(32)
            try central.addToken(user: name, tokenHash: Credentials.tokenHash(token), at: Date())
            print(token)
        }
    }
}
