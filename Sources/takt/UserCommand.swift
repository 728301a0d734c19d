import ArgumentParser
import Foundation
import TaktCentral
import TaktHost
import TaktStore

/// `takt central user`: dashboard and API users.
struct UserCommand: AsyncParsableCommand {
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
        @Option(name: .customLong("data-dir"), help: "Where central's database lives.")
        var dataDir: String = "central-data"
        @Option(help: "central.yaml; when it names postgres_url, the users live in PostgreSQL.")
        var config: String?

        /// Runs `body` with central's store.
        func with<T: Sendable>(_ body: @Sendable (any CentralStorage) async throws -> T) async throws -> T {
            if let config, let url = try YAMLFile.load(CentralConfiguration.self, path: config).postgresURL {
                return try await PostgresCentralStore.with(url: url) { try await body($0) }
            }
            let path = URL(fileURLWithPath: dataDir).appendingPathComponent("central.sqlite").path
            return try await body(try CentralStore(path: path))
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

    struct Add: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Add a user; the password is read from standard input.")
        @OptionGroup var store: Store
        @Argument(help: "The user name.") var name: String
        @Option(help: "administrator, regional_manager, site_manager or viewer.") var role: Role
        @Option(help: "Regions (regional manager, viewer) or sites (site manager), comma-separated.") var scope:
            String = ""
        @Option(name: .customLong("password-file"), help: "Read the password from this file.") var passwordFile: String?

        func run() async throws {
            let scopes = scope.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }.filter {
                !$0.isEmpty
            }
            if (role == .regionalManager || role == .siteManager) && scopes.isEmpty {
                throw CommandFailure(message: "a \(role.rawValue) needs --scope (their regions or sites)", code: 2)
            }
            let hash = try Credentials.hash(password: try UserCommand.readPassword(file: passwordFile))
            let user = CentralStore.User(name: name, passwordHash: hash, role: role.rawValue, scope: scopes)
            try await store.with { central in
                guard try await central.user(user.name) == nil else {
                    throw CommandFailure(message: "user \(user.name) exists; use passwd", code: 2)
                }
                try await central.saveUser(user)
            }
            print("added \(name) (\(role.rawValue)\(scopes.isEmpty ? "" : ": " + scopes.joined(separator: ", ")))")
        }
    }

    struct Passwd: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Set a user's password (from standard input).")
        @OptionGroup var store: Store
        @Argument(help: "The user name.") var name: String
        @Option(name: .customLong("password-file"), help: "Read the password from this file.") var passwordFile: String?

        func run() async throws {
            let (name, hash) = (
                self.name, try Credentials.hash(password: try UserCommand.readPassword(file: passwordFile))
            )
            try await store.with { central in
                guard var user = try await central.user(name) else {
                    throw CommandFailure(message: "no user \(name)", code: 2)
                }
                user.passwordHash = hash
                try await central.saveUser(user)
            }
            print("password changed for \(name)")
        }
    }

    struct Remove: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Remove a user, their sessions and tokens.")
        @OptionGroup var store: Store
        @Argument(help: "The user name.") var name: String

        func run() async throws {
            let name = self.name
            guard try await store.with({ try await $0.removeUser(name) }) else {
                throw CommandFailure(message: "no user \(name)", code: 2)
            }
            print("removed \(name)")
        }
    }

    struct Token: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Create an API token for a user; it is shown once.")
        @OptionGroup var store: Store
        @Argument(help: "The user name.") var name: String

        func run() async throws {
            let name = self.name
            let token = Credentials.randomHex(32)
            try await store.with { central in
                guard try await central.user(name) != nil else {
                    throw CommandFailure(message: "no user \(name)", code: 2)
                }
                try await central.addToken(user: name, tokenHash: Credentials.tokenHash(token), at: Date())
            }
            print(token)
        }
    }
}
