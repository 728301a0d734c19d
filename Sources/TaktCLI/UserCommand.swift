import ArgumentParser
import Foundation
import TaktCentral
import TaktCentralStore
import TaktCore
import TaktHost
import TaktStore
import TaktWeb

/// `takt central user`: dashboard and API users.
struct UserCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "user", abstract: "Manage dashboard and API users.",
        subcommands: [Add.self, Passwd.self, Remove.self, Token.self, RevokeTokens.self])

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
            let configuration = try config.map { try YAMLFile.load(CentralConfiguration.self, path: $0) }
            let base = URL(fileURLWithPath: config ?? ".").deletingLastPathComponent()
            return try await CentralCommand.withStore(configuration, base: base, dataDir: dataDir, body)
        }
    }

    /// The password from `--password-file`, or typed at the terminal without echo (asked twice), or one line of
    /// standard input when it is not a terminal; never from the command line, where `ps` shows it.
    static func readPassword(file: String?) throws -> String {
        let text: String?
        if let file {
            text = try? String(contentsOfFile: file, encoding: .utf8)
        } else if isatty(STDIN_FILENO) == 1 {
            let first = Terminal.readSecret(prompt: "Password: ")
            let second = Terminal.readSecret(prompt: "Again: ")
            guard first == second else { throw CommandFailure(message: "the two passwords differ", code: 2) }
            text = first
        } else {
            text = readLine(strippingNewline: true)
        }
        guard let password = text?.trimmingCharacters(in: .newlines), password.count >= 10 else {
            throw CommandFailure(
                message: "a password needs at least 10 characters (type it, pipe it in, or use --password-file)",
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
            try checkScope(scopes)
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
            let ended = try await store.with { central in
                guard var user = try await central.user(name) else {
                    throw CommandFailure(message: "no user \(name)", code: 2)
                }
                user.passwordHash = hash
                try await central.saveUser(user)
                return try await central.revokeCredentials(user: name)
            }
            print("password changed for \(name); \(ended) session(s) and token(s) ended")
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
        static let configuration = CommandConfiguration(
            abstract: "Create an API token for a user; it is shown once and expires (90 days by default).")
        @OptionGroup var store: Store
        @Argument(help: "The user name.") var name: String
        @Option(help: "How long the token is valid: 30d, 12h.") var expires: DurationArgument = DurationArgument(
            seconds: 90 * 86_400)
        @OptionGroup var output: OutputOptions

        struct Issued: Encodable {
            var user: String
            var token: String
            var expiresAt: Date
        }

        func run() async throws {
            let name = self.name
            let token = Credentials.randomHex(32)
            let expiry = Date().addingTimeInterval(Double(expires.seconds))
            try await store.with { central in
                guard try await central.user(name) != nil else {
                    throw CommandFailure(message: "no user \(name)", code: 2)
                }
                try await central.addToken(
                    user: name, tokenHash: Credentials.tokenHash(token), at: Date(), expires: expiry)
            }
            if output.json { return try output.print(json: Issued(user: name, token: token, expiresAt: expiry)) }
            print(token)
            FileHandle.standardError.write(Data("expires \(Instant.iso(expiry))\n".utf8))
        }
    }

    struct RevokeTokens: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "revoke-tokens", abstract: "End every session and API token of a user.")
        @OptionGroup var store: Store
        @Argument(help: "The user name.") var name: String

        func run() async throws {
            let name = self.name
            let ended = try await store.with { central in
                guard try await central.user(name) != nil else {
                    throw CommandFailure(message: "no user \(name)", code: 2)
                }
                return try await central.revokeCredentials(user: name)
            }
            print("\(ended) session(s) and token(s) of \(name) ended")
        }
    }
}

extension UserCommand.Add {
    /// A scope must name regions (regional manager, viewer) or sites (site manager) that central.yaml has: a
    /// typo would otherwise give someone a scope that matches nothing, or later the wrong thing.
    func checkScope(_ scopes: [String]) throws {
        guard !scopes.isEmpty else { return }
        let path = store.config ?? "central.yaml"
        guard FileManager.default.fileExists(atPath: path) else {
            throw CommandFailure(
                message: "--scope is checked against central.yaml's regions and sites: give --config central.yaml",
                code: 2)
        }
        let configuration = try YAMLFile.load(CentralConfiguration.self, path: path)
        let (kind, known) =
            role == .siteManager
            ? ("site", configuration.sites.map(\.site.id)) : ("region", configuration.regions.map(\.id))
        let unknown = scopes.filter { !known.contains($0) }
        guard unknown.isEmpty else {
            throw CommandFailure(
                message: "--scope: \(unknown.map { "'\($0)'" }.joined(separator: ", ")) is not a \(kind) in \(path) "
                    + "(\(kind)s: \(known.joined(separator: ", ")))", code: 2)
        }
    }
}
