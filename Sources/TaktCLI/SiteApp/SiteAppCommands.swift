import ArgumentParser
import Foundation
import Logging
import TaktCore
import TaktHost
import TaktSiteApp
import TaktStore
import TaktWeb

/// `takt site serve`: the site app and API for one plant, without sync.
struct ServeCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "serve",
        abstract: "Serve the site app (pages for the shop floor) and the site API, without syncing to central.")

    @OptionGroup var site: SiteOptions
    @OptionGroup var listening: AppListeningOptions

    func run() async throws {
        let host = try site.open()
        // Held until the process ends: a restore refuses while the site app runs.
        let inUse: SiteInUse
        do { inUse = try SiteInUse(path: host.store.path) } catch {
            throw CommandFailure(message: error.description, code: 2)
        }
        defer { withExtendedLifetime(inUse) {} }
        try await listening.serve(host)
    }
}

/// Where the site app listens: `--app-host`, `--app-port`, and TLS files.
struct AppListeningOptions: ParsableArguments {
    @Option(name: .customLong("app-host"), help: "Address to listen on (0.0.0.0 for the plant's network).")
    var host: String = "127.0.0.1"
    @Option(name: .customLong("app-port"), help: "Port of the site app.") var port: Int = 8090
    @Option(name: .customLong("tls-cert"), help: "PEM certificate chain; serve HTTPS when given with --tls-key.")
    var tlsCert: String?
    @Option(name: .customLong("tls-key"), help: "PEM private key of the certificate.") var tlsKey: String?

    func validate() throws {
        guard (0...65535).contains(port) else { throw ValidationError("--app-port: \(port) is not a port (0–65535)") }
        guard (tlsCert == nil) == (tlsKey == nil) else { throw ValidationError("--tls-cert and --tls-key go together") }
    }

    /// Serves the app for `host` until SIGINT or SIGTERM.
    func serve(_ host: SiteHost) async throws {
        let tls = tlsCert.flatMap { cert in tlsKey.map { (certificate: cert, key: $0) } }
        let app = SiteApp(
            host: host, pages: try Takt.modules().pages(of: host.definition.site.modules), secure: tls != nil)
        let scheme = tls == nil ? "http" : "https"
        let address = self.host
        try await app.serve(SiteApp.Listening(host: address, port: port, tls: tls)) { bound in
            FileHandle.standardOutput.write(
                Data("site app of \(host.definition.site.id) on \(scheme)://\(address):\(bound)\n".utf8))
        }
    }
}

/// `takt site user`: who may sign in to the site app, with which role.
struct SiteUserCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "user", abstract: "People who sign in to the site app, and API tokens.",
        subcommands: [Add.self, List.self, Token.self], defaultSubcommand: List.self)

    struct Add: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Let a staff member sign in: an operator with a PIN (4 to 8 digits), anyone else with a "
                + "password (10 characters or more). The secret is read from standard input or --secret-file.")

        @OptionGroup var site: SiteOptions
        @Option(help: "The staff id, as site.yaml lists it.") var staff: String
        @Option(help: "operator, supervisor, quality, maintenance or site_manager.") var role: SiteRole
        @Option(help: "The language the person reads the app in: en, es or ms; the site's when absent.")
        var locale: SiteLocale?
        @Option(name: .customLong("secret-file"), help: "Read the PIN or password from this file.")
        var secretFile: String?

        func run() throws {
            let host = try site.open()
            guard host.definition.staff[staff] != nil else {
                throw HostError.unknown(kind: "staff member", id: staff, known: Array(host.definition.staff.keys))
            }
            let text =
                if let secretFile { try? String(contentsOfFile: secretFile, encoding: .utf8) } else { readLine() }
            let secret = (text ?? "").trimmingCharacters(in: .newlines)
            if role.usesPIN {
                guard (4...8).contains(secret.count), secret.allSatisfy(\.isASCII), secret.allSatisfy(\.isNumber) else {
                    throw CommandFailure(message: "an operator's PIN is 4 to 8 digits", code: 2)
                }
            } else if secret.count < 10 {
                throw CommandFailure(message: "a \(role.rawValue)'s password needs at least 10 characters", code: 2)
            }
            try host.store.saveAppUser(
                .init(
                    staff: staff, role: role, secretHash: try Credentials.hash(password: secret),
                    locale: locale?.rawValue),
                at: Date())
            print("\(staff) may sign in to the site app as \(role.rawValue)")
        }
    }

    struct List: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List who may sign in, with their roles.")
        @OptionGroup var site: SiteOptions
        @OptionGroup var output: OutputOptions

        struct Row: Encodable {
            var staff: String
            var role: String
            var locale: String?
        }

        func run() throws {
            let host = try site.open()
            let rows = try host.store.appUsers().map { Row(staff: $0.staff, role: $0.role.rawValue, locale: $0.locale) }
            if output.json { return try output.print(json: rows) }
            if rows.isEmpty { print("nobody may sign in yet: takt site user add") }
            for row in rows { print("\(row.staff)  \(row.role)" + (row.locale.map { "  \($0)" } ?? "")) }
        }
    }

    struct Token: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Make an API token for a person or a device (printed once; keep it secret).")
        @OptionGroup var site: SiteOptions
        @Option(help: "Whose token it is: a staff id with a role (takt site user add).") var staff: String
        @Option(help: "A name for the token, such as logger-walk-in.") var name: String
        @Option(help: "For a device: the only checks it may record, comma-separated.") var checks: String?

        func run() throws {
            let host = try site.open()
            guard try host.store.appUser(staff) != nil else {
                throw CommandFailure(message: "\(staff) may not sign in yet: takt site user add first", code: 2)
            }
            var limited: [RuleID]?
            if let checks {
                limited = try checks.split(separator: ",").map { text in
                    let id = String(text).trimmingCharacters(in: .whitespaces)
                    guard let rule = try? RuleID(validating: id), host.definition.rules.check(rule) != nil else {
                        throw HostError.unknown(
                            kind: "check", id: id, known: host.definition.rules.checks.map(\.id.rawValue))
                    }
                    return rule
                }
            }
            let token = Credentials.randomHex(32)
            try host.store.addAppToken(
                staff: staff, name: name, tokenHash: Credentials.tokenHash(token), checks: limited, at: Date())
            print(token)
        }
    }
}

extension SiteRole: ExpressibleByArgument {}
extension SiteLocale: ExpressibleByArgument {}
