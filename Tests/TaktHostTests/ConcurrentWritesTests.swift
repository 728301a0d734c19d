import Foundation
import Synchronization
import Testing

@testable import TaktCore
@testable import TaktHost
@testable import TaktStore

/// The app, loggers and the command line write at once: each reading is judged inside its write transaction,
/// so readings recorded at the same moment see each other in the order they are stored.
@Suite struct ConcurrentWritesTests {
    @Test func readingsRecordedAtOnceAreJudgedOneAfterTheOther() throws {
        let text =
            SiteLoaderTests.header + """
                modules:
                  test_chill:
                  test_history:
                work_centres:
                  - id: chiller
                """
        let definition = try SiteLoader(registry: historyRegistry).load(text: text, file: "site.yaml")
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("race-\(UUID().uuidString).sqlite")
        let host = SiteHost(
            definition: definition, store: try SiteStore(path: path.path, siteID: definition.site.id))
        let start = Date().addingTimeInterval(-3600)
        let count = 40
        let seen = Mutex<[String]>([])
        let failures = Mutex<[String]>([])
        DispatchQueue.concurrentPerform(iterations: count) { index in
            do {
                let recorded = try host.record(
                    CheckReading(
                        check: "test_chill.ccp.chill", value: 3, workCentre: "chiller",
                        at: start.addingTimeInterval(Double(index))))
                let messages = recorded.findings.filter { $0.rule == "test_history.count" }.map(\.message)
                seen.withLock { $0 += messages }
            } catch {
                failures.withLock { $0.append("\(error)") }
            }
        }
        #expect(failures.withLock { $0 }.isEmpty)
        // Every reading saw a different number of earlier ones: 0, 1, … 39.
        #expect(Set(seen.withLock { $0 }) == Set((0..<count).map { "seen \($0)" }))
    }
}
