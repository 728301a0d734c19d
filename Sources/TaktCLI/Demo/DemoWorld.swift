import Foundation
import TaktCentral
import TaktCentralStore
import TaktCore
import TaktHost
import TaktStore
import TaktSync
import TaktWeb

#if canImport(FoundationNetworking)
    import FoundationNetworking
#endif

/// The demo's processes and files: central, three site processes, keys, a user.
final class DemoWorld: @unchecked Sendable {
    static let sites = ["leeds-bakery", "penang-smt", "monterrey-assembly"]
    static let regions = ["leeds-bakery": "uk-north", "penang-smt": "apac", "monterrey-assembly": "americas"]
    static let user = "demo"
    static let password = "takt-demo-2026"
    /// The PIN of each site's demo operator in the site app.
    static let pin = "1234"

    let folder: URL
    var port: Int
    var central: Process?
    var siteProcesses: [String: Process] = [:]
    let executable: URL

    var centralURL: String { "http://127.0.0.1:\(port)" }
    var dataDirectory: String { folder.appendingPathComponent("data").path }
    func sitePath(_ site: String) -> String { folder.appendingPathComponent("sites/\(site)").path }

    /// Central's `stale_after_seconds`; its default when nil.
    let staleAfterSeconds: Int?
    /// What `start()` changed in the sites' calendars so that each works today (`DemoWorkingDay`), to tell the user.
    private(set) var callIns: [String] = []

    init(folder: URL, port: Int, staleAfterSeconds: Int? = nil) throws {
        self.folder = folder
        self.port = port
        self.staleAfterSeconds = staleAfterSeconds
        executable = Self.ownExecutable()
    }

    /// This process's own binary, however it was started (from the PATH, a relative path, a symlink).
    static func ownExecutable() -> URL {
        let link = URL(fileURLWithPath: "/proc/self/exe").resolvingSymlinksInPath()
        if link.path != "/proc/self/exe", FileManager.default.isExecutableFile(atPath: link.path) { return link }
        if let main = Bundle.main.executableURL { return main }
        return URL(fileURLWithPath: CommandLine.arguments[0])
    }

    /// Where the example sites are: `sites/` in the current folder (a checkout), `TAKT_SITES`, the installed
    /// `share/takt/sites` beside the binary's `bin/`, or the checkout a `.build/<config>/takt` was built in.
    static func exampleSites(executable: URL) throws -> URL {
        let binary = executable.deletingLastPathComponent()
        var candidates = [
            URL(fileURLWithPath: FileManager.default.currentDirectoryPath).appendingPathComponent("sites")
        ]
        if let folder = ProcessInfo.processInfo.environment["TAKT_SITES"] {
            candidates.insert(URL(fileURLWithPath: folder), at: 0)
        }
        candidates += [
            binary.deletingLastPathComponent().appendingPathComponent("share/takt/sites"),
            binary.deletingLastPathComponent().deletingLastPathComponent().appendingPathComponent("sites"),
            binary.deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
                .appendingPathComponent("sites"),
        ]
        for folder in candidates
        where FileManager.default.fileExists(atPath: folder.appendingPathComponent("\(sites[0])/site.yaml").path) {
            return folder
        }
        throw CommandFailure(
            message: "cannot find the example sites; looked in "
                + candidates.map(\.path).joined(separator: ", ")
                + " (run from a checkout, set TAKT_SITES, or install with make install)", code: 1)
    }

    /// Lays out fresh data, starts central and the site processes.
    func start() async throws {
        let files = FileManager.default
        try? files.removeItem(at: folder)
        try files.createDirectory(at: folder.appendingPathComponent("logs"), withIntermediateDirectories: true)
        let examples = try Self.exampleSites(executable: executable)
        for site in Self.sites {
            let target = folder.appendingPathComponent("sites/\(site)")
            try files.createDirectory(at: target, withIntermediateDirectories: true)
            try files.copyItem(
                atPath: examples.appendingPathComponent("\(site)/site.yaml").path,
                toPath: target.appendingPathComponent("site.yaml").path)
            try SiteKey.generate(file: folder.appendingPathComponent("keys/\(site).key").path)
        }
        // The sites' extensions beside them as in the repository (site.yaml names ../../Extensions/…).
        let extensions = examples.deletingLastPathComponent().appendingPathComponent("Extensions")
        for name in (try? files.contentsOfDirectory(atPath: extensions.path)) ?? [] {
            let module = extensions.appendingPathComponent("\(name)/\(name).wasm")
            guard files.fileExists(atPath: module.path) else { continue }
            let target = folder.appendingPathComponent("Extensions/\(name)")
            try files.createDirectory(at: target, withIntermediateDirectories: true)
            try files.copyItem(at: module, to: target.appendingPathComponent("\(name).wasm"))
        }
        try callInForToday()
        var yaml = staleAfterSeconds.map { "stale_after_seconds: \($0)\n" } ?? ""
        yaml += "regions:\n"
        for (region, name, currency) in [
            ("uk-north", "UK North", "GBP"), ("apac", "Asia Pacific", "USD"), ("americas", "Americas", "USD"),
        ] {
            yaml += "  - id: \(region)\n    name: \(name)\n    currency: \(currency)\n    sites:\n"
            for site in Self.sites where Self.regions[site] == region {
                let name = [
                    "leeds-bakery": "Leeds Bakery", "penang-smt": "Penang SMT Line 2",
                    "monterrey-assembly": "Monterrey Assembly",
                ][site]!
                yaml +=
                    "      - {id: \(site), name: \(name), site_file: sites/\(site), keys: [{id: \(site)-1, file: keys/\(site).key}]}\n"
            }
        }
        try yaml.write(to: folder.appendingPathComponent("central.yaml"), atomically: true, encoding: .utf8)
        let store = try CentralStore(path: folder.appendingPathComponent("central/central.sqlite").path)
        try await store.saveUser(
            .init(
                name: Self.user, passwordHash: try Credentials.hash(password: Self.password), role: "administrator",
                scope: []))
        // Dated exchange rates for the regions that report in US dollars; the ringgit's moves mid-period, so the
        // costs page converts each day at its own rate.
        let today = LocalDate(Date(), in: .gmt)
        try await store.saveExchangeRates([
            .init(currency: "MYR", into: "USD", day: today.adding(days: -120), rate: 0.22),
            .init(currency: "MYR", into: "USD", day: today.adding(days: -10), rate: 0.215),
            .init(currency: "MXN", into: "USD", day: today.adding(days: -120), rate: 0.058),
        ])
        central = try launch(
            [
                "central", "serve", "--config", folder.appendingPathComponent("central.yaml").path, "--data-dir",
                folder.appendingPathComponent("central").path, "--port", String(port),
            ], log: "central")
        try await waitForCentral()
    }

    /// On a site's day off, overtime today in the demo's copy of its `site.yaml` (`DemoWorkingDay`).
    func callInForToday() throws {
        let loader = SiteLoader(registry: try Takt.modules())
        for site in Self.sites {
            let file = folder.appendingPathComponent("sites/\(site)/site.yaml")
            let definition = try loader.load(path: file.path)
            let result = DemoWorkingDay.callIn(
                try String(contentsOf: file, encoding: .utf8), site: definition, now: Date())
            guard !result.added.isEmpty else { continue }
            try result.text.write(to: file, atomically: true, encoding: .utf8)
            callIns += result.added.map { "\(site): \($0)" }
        }
    }

    /// Starts the three site processes (after the simulator has opened their databases).
    func startSites() throws {
        for site in Self.sites { siteProcesses[site] = try launchSite(site) }
    }

    func launchSite(_ site: String) throws -> Process {
        try launch(
            [
                "site", "run", "--site", sitePath(site), "--data-dir", dataDirectory, "--central", centralURL,
                "--key-id", "\(site)-1",
                "--key-file", folder.appendingPathComponent("keys/\(site).key").path, "--sweep-every", "3600",
                "--batch-size", "200", "--app", "--app-port", "0",
            ],
            log: site)
    }

    /// Who signs in to each site's app in the demo: its first staff member as the site manager (the demo
    /// password), its second as an operator (PIN 1234).
    static let appRoles: [String: [(staff: String, role: SiteRole)]] = [
        "leeds-bakery": [("amara", .operator_), ("priya", .quality), ("tom", .siteManager)],
        "penang-smt": [("siti", .operator_), ("kumar", .siteManager)],
        "monterrey-assembly": [("lucia", .operator_), ("diego", .siteManager)],
    ]

    /// Who signs in to each site's app in the demo: operators with PIN 1234, everyone else with the demo
    /// password.
    static func appUsers(_ site: String) -> [(staff: String, role: SiteRole)] { appRoles[site] ?? [] }

    /// Adds the site's demo users; returns an API token of its operator, for readings the simulator sends
    /// through the site's API.
    func addAppUsers(_ host: SiteHost) throws -> String? {
        var token: String?
        for (staff, role) in Self.appUsers(host.definition.site.id) where host.definition.staff[staff] != nil {
            let secret = role.usesPIN ? Self.pin : Self.password
            try host.store.saveAppUser(
                .init(staff: staff, role: role, secretHash: try Credentials.hash(password: secret)), at: Date())
            if role == .operator_ {
                let made = Credentials.randomHex(32)
                try host.store.addAppToken(
                    staff: staff, name: "demo", tokenHash: Credentials.tokenHash(made), checks: nil, at: Date())
                token = made
            }
        }
        return token
    }

    /// Each site app's address, from the line its process prints when it listens.
    func siteAppURLs() async -> [(String, String)] {
        var found: [String: String] = [:]
        for _ in 0..<100 where found.count < Self.sites.count {
            for site in Self.sites where found[site] == nil {
                let log = folder.appendingPathComponent("logs/\(site).log")
                if let text = try? String(contentsOf: log, encoding: .utf8),
                    let line = text.split(separator: "\n").first(where: { $0.contains("site app of ") }),
                    let url = line.split(separator: " ").last
                {
                    found[site] = String(url)
                }
            }
            try? await Task.sleep(for: .milliseconds(50))
        }
        return Self.sites.compactMap { site in found[site].map { (site, $0) } }
    }

    func launch(_ arguments: [String], log: String) throws -> Process {
        let process = Process()
        process.executableURL = executable
        process.arguments = arguments
        let file = folder.appendingPathComponent("logs/\(log).log").path
        _ = FileManager.default.createFile(atPath: file, contents: nil)
        let handle = FileHandle(forWritingAtPath: file)
        process.standardOutput = handle
        process.standardError = handle
        try process.run()
        return process
    }

    /// Waits until central answers; with `--port 0` it first reads the port the system gave central from the
    /// line central prints when it listens.
    func waitForCentral() async throws {
        let log = folder.appendingPathComponent("logs/central.log")
        for _ in 0..<150 {
            if port == 0, let text = try? String(contentsOf: log, encoding: .utf8),
                let line = text.split(separator: "\n").first(where: { $0.contains("central listening on ") }),
                let bound = line.split(separator: ":").last.flatMap({ Int($0.trimmingCharacters(in: .whitespaces)) })
            {
                port = bound
            }
            if port != 0, let url = URL(string: centralURL + "/health"),
                let (_, response) = try? await URLSession.shared.data(from: url),
                (response as? HTTPURLResponse)?.statusCode == 200
            {
                return
            }
            try await Task.sleep(for: .milliseconds(100))
        }
        throw CommandFailure(message: "central did not start; see \(folder.path)/logs/central.log", code: 1)
    }

    /// Pauses or resumes a site's process: its link to central "drops".
    func link(_ site: String, up: Bool) {
        guard let process = siteProcesses[site], process.isRunning else { return }
        kill(process.processIdentifier, up ? SIGCONT : SIGSTOP)
    }

    func shutdown() {
        for process in siteProcesses.values where process.isRunning {
            kill(process.processIdentifier, SIGCONT)
            process.terminate()
        }
        if let central, central.isRunning { central.terminate() }
        for process in Array(siteProcesses.values) + [central].compactMap({ $0 }) { process.waitUntilExit() }
    }
}
