import BuiltinModules
import Foundation
import TaktCore
import TaktHost
import TaktStore
import Yams

/// Runs a golden case: a site, a list of events, and the transcript they must produce.
///
/// A case is a folder holding `events.yaml` and `expected.txt`, and `site.yaml` (or uses the one in the folder
/// above). The events go through the real
/// host, rules and store (a fresh database in a temporary folder); the transcript says what each event caused
/// and ends with the lots and blocks. Set `TAKT_UPDATE_GOLDEN=1` to write `expected.txt` from a run, then read
/// the diff before committing it.
public struct GoldenCase: Sendable {
    public let folder: URL
    /// Events of a module's own (`reel`), by the key `events.yaml` uses.
    public let verbs: [String: GoldenVerb]

    public init(folder: URL, verbs: [String: GoldenVerb] = [:]) {
        self.folder = folder
        self.verbs = verbs
    }

    /// Every case folder below `fixtures`, sorted by name.
    public static func all(in fixtures: URL) throws -> [GoldenCase] {
        try FileManager.default.contentsOfDirectory(atPath: fixtures.path).sorted()
            .map { fixtures.appendingPathComponent($0) }
            .filter { FileManager.default.fileExists(atPath: $0.appendingPathComponent("events.yaml").path) }
            .map { GoldenCase(folder: $0) }
    }

    public var name: String { folder.lastPathComponent }

    /// When every case's database was created: 2026-11-25 00:00 UTC. Checks never recorded are due from then.
    public static let createdAt = Date(timeIntervalSince1970: 1_795_564_800)

    /// The transcript this case produces now.
    /// The site's clock during a golden case: 2100-01-01, after every event a case describes.
    static let siteClock = Date(timeIntervalSince1970: 4_102_444_800)

    public func run() throws -> String {
        let own = folder.appendingPathComponent("site.yaml")
        let site =
            FileManager.default.fileExists(atPath: own.path)
            ? own : folder.deletingLastPathComponent().appendingPathComponent("site.yaml")
        let definition = try SiteLoader(registry: try BuiltinModules.registry()).load(path: site.path)
        let database = FileManager.default.temporaryDirectory.appendingPathComponent(
            "golden-\(UUID().uuidString).sqlite")
        defer { try? FileManager.default.removeItem(at: database) }
        let store = try SiteStore(
            path: database.path, siteID: definition.site.id, recordKinds: definition.recordKinds,
            newEpoch: { "golden" }, createdAt: Self.createdAt)
        // The cases tell a story on fixed dates; the site's clock stands after all of them, so the rule against
        // future-dated records (tested on its own) does not depend on the day the tests run.
        let host = SiteHost(definition: definition, store: store, clock: { Self.siteClock })
        let text = try String(contentsOf: folder.appendingPathComponent("events.yaml"), encoding: .utf8)
        let events = try YAMLDecoder().decode([GoldenEvent].self, from: text)
        var lines: [String] = []
        for (index, event) in events.enumerated() {
            lines.append(
                "#\(index + 1) \(event.label(verbs)) -> "
                    + event.apply(to: host, zone: definition.timeZone, verbs: verbs))
        }
        for lot in try host.lots().sorted(by: { $0.id < $1.id }) {
            lines.append("lot \(lot.id): \(lot.status.rawValue)")
        }
        for block in try host.activeBlocks() { lines.append("block \(block.kind.rawValue): \(block.target)") }
        return lines.joined(separator: "\n") + "\n"
    }

    /// The expected transcript, or nil when there is none yet.
    public var expected: String? {
        try? String(contentsOf: folder.appendingPathComponent("expected.txt"), encoding: .utf8)
    }

    /// Runs the case; with `TAKT_UPDATE_GOLDEN=1` writes the result as the new expectation.
    public func check() throws -> (actual: String, expected: String?) {
        let actual = try run()
        if ProcessInfo.processInfo.environment["TAKT_UPDATE_GOLDEN"] == "1" {
            try actual.write(to: folder.appendingPathComponent("expected.txt"), atomically: true, encoding: .utf8)
        }
        return (actual, expected)
    }
}
