import ArgumentParser
import Foundation
import TaktCentral
import TaktCore
import TaktHost
import TaktStore
import TaktSync

/// `takt demo`: three plants and their regional manager, live on one machine. Central and the three sites run
/// as separate processes and sync over HTTP; a simulator drives each site through a working day in accelerated
/// time through the same host, rules, store and sync as real use.
struct DemoCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "demo", abstract: "Run three example plants and central live, with a simulated working day.")

    @Option(name: .customLong("data-dir"), help: "A fresh folder for the demo's data (removed first).")
    var dataDir: String = "demo-data"
    @Option(help: "Central's port (0 picks a free one).") var port: Int = 8080
    @Option(help: "Plant seconds per real second (480: the 16-hour day in two minutes).") var speed: Double = 480
    @Option(help: "Run the day in this long instead (30s, 2m); overrides --speed.") var duration: DurationArgument?
    @Option(help: "Days of history before today, for central's trends (0 for none).") var historyDays = 28
    @Option(help: "How long a silent site takes to show as stale on the overview (at least 1m; 15m).")
    var staleAfter: DurationArgument?
    @Flag(help: "Do not wait for a person: run, check, exit 0 only if everything arrived and happened.") var headless =
        false

    func run() async throws {
        var seconds = 16 * 3600 / max(speed, 1)
        if let duration {
            guard duration.seconds > 0 else { throw ValidationError("--duration must be longer than 0 s") }
            seconds = Double(duration.seconds)
        }
        if let staleAfter, staleAfter.seconds < 60 {
            throw ValidationError("--stale-after must be at least 1m: an idle site checks in every 30 s")
        }
        let demo = try DemoWorld(
            folder: URL(fileURLWithPath: dataDir), port: port, staleAfterSeconds: staleAfter.map { Int($0.seconds) })
        let stop = StopFlag()
        stop.install()
        do {
            try await demo.start()
            say("Takt demo: central at \(demo.centralURL) — log in as \(DemoWorld.user) / \(DemoWorld.password)")
            for line in demo.callIns { say(line) }
            say("three sites running as processes; simulating 06:00–22:00 in \(Int(seconds)) s. Ctrl-C stops.\n")
            let report = try await DemoSimulator(
                world: demo, realSeconds: seconds, stop: stop, historyDays: max(0, min(historyDays, 120))
            ).run()
            say("\n" + report.summary)
            if headless {
                demo.shutdown()
                if !report.ok {
                    throw CommandFailure(
                        message: "the demo's checks failed:\n" + report.problems.joined(separator: "\n"), code: 1)
                }
                return
            }
            say("\nThe dashboard stays up at \(demo.centralURL) until Ctrl-C; the data stays in \(dataDir).")
            await stop.wait()
            demo.shutdown()
        } catch {
            demo.shutdown()
            throw error
        }
    }
}

/// Writes a line to standard output at once (progress lines must not wait in a buffer).
func say(_ line: String) {
    FileHandle.standardOutput.write(Data((line + "\n").utf8))
}

/// Ctrl-C (SIGINT) or SIGTERM for long-running commands (`takt demo`, `takt site run`):
/// a flag a loop can poll, and a wait for the end.
final class StopFlag: @unchecked Sendable {
    private let lock = NSLock()
    private var stopped = false
    private var sources: [DispatchSourceSignal] = []
    private var waiters: [CheckedContinuation<Void, Never>] = []

    var isStopped: Bool { lock.withLock { stopped } }

    func install() {
        for number in [SIGINT, SIGTERM] {
            signal(number, SIG_IGN)
            let source = DispatchSource.makeSignalSource(signal: number, queue: .global())
            source.setEventHandler { [weak self] in self?.fire() }
            source.resume()
            sources.append(source)
        }
    }

    func fire() {
        let pending = lock.withLock {
            stopped = true
            defer { waiters = [] }
            return waiters
        }
        pending.forEach { $0.resume() }
    }

    func wait() async {
        await withCheckedContinuation { continuation in
            let already = lock.withLock {
                if stopped { return true }
                waiters.append(continuation)
                return false
            }
            if already { continuation.resume() }
        }
    }
}
