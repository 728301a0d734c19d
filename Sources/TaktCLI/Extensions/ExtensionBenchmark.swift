import Foundation
import TaktCore
import TaktExtensions

/// `takt bench extension`: the time to judge one reading through a WebAssembly extension (configure, judge, read
/// the findings back), on a built module.
struct ExtensionBenchmark {
    let module: String
    let readings: Int

    struct Result: Encodable {
        var module: String
        var readings: Int
        var findings: Int
        var microsecondsMean: Double
        var microsecondsMedian: Double
        var microsecondsP99: Double
    }

    func run() throws -> Result {
        guard let data = FileManager.default.contents(atPath: module) else {
            throw CommandFailure(
                message: "\(module): cannot read it (build the examples: takt extension build Extensions/*/)", code: 2)
        }
        let runtime: ExtensionRuntime
        do {
            runtime = try ExtensionRuntime(name: URL(fileURLWithPath: module).lastPathComponent, bytes: [UInt8](data))
        } catch { throw CommandFailure(message: error.description, code: 2) }
        let checks = runtime.manifest.checks.count
        var times: [Double] = []
        times.reserveCapacity(readings)
        var findings = 0
        let clock = ContinuousClock()
        let now = Date()
        for index in 0..<readings {
            let started = clock.now
            do {
                findings += try runtime.judge(
                    check: index % checks, value: Double(index % 20), at: now, minute: index % 1440, weekday: index % 7
                ).count
            } catch { throw CommandFailure(message: error.description, code: 1) }
            let elapsed = started.duration(to: clock.now)
            times.append(Double(elapsed.components.attoseconds) / 1e12 + Double(elapsed.components.seconds) * 1e6)
        }
        let sorted = times.sorted()
        return Result(
            module: module, readings: readings, findings: findings,
            microsecondsMean: times.reduce(0, +) / Double(max(1, times.count)),
            microsecondsMedian: sorted[sorted.count / 2],
            microsecondsP99: sorted[min(sorted.count - 1, sorted.count * 99 / 100)])
    }
}
