import ArgumentParser
import Foundation
import TaktScheduling

/// `takt bench`: the scheduler on the standard benchmark instances of the scheduling literature.
struct BenchCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "bench",
        abstract: "Run the scheduler on benchmark instances (jobshop, flexible, sdst-flowshop) and print makespans.")

    enum Problem: String, ExpressibleByArgument, CaseIterable {
        case jobshop, flexible
        case sdstFlowshop = "sdst-flowshop"
    }

    @Argument(help: "The problem: jobshop, flexible or sdst-flowshop.")
    var problem: Problem

    @Argument(help: "Instance files in the formats of shared/bench/README.md.")
    var files: [String]

    @Option(name: .customLong("time-limit"), help: "Seconds per instance.")
    var timeLimit: Double = 10

    @Option(help: "Parallel searches (default: the number of cores).")
    var workers: Int = ProcessInfo.processInfo.activeProcessorCount

    @Option(help: "Random seed; with one worker and --iterations the result repeats exactly.")
    var seed: UInt64 = 1

    @Option(help: "Stop each worker after this many iterations (in addition to the time limit).")
    var iterations: Int?

    @Option(
        name: .customLong("best-known"),
        help: "A best-known.tsv to report gaps against (found beside the files when absent).")
    var bestKnown: String?

    @Flag(help: "One JSON object per line per instance, with the solution itself.")
    var json = false

    func validate() throws {
        guard timeLimit > 0 else { throw ValidationError("--time-limit must be positive") }
        guard workers >= 1 else { throw ValidationError("--workers must be at least 1") }
        guard !files.isEmpty else { throw ValidationError("name at least one instance file") }
    }

    func run() throws {
        let references = BestKnown.load(explicit: bestKnown, near: files.first)
        var gaps: [Double] = []
        for file in files {
            let text: String
            do {
                text = try String(contentsOfFile: file, encoding: .utf8)
            } catch {
                throw CommandFailure(
                    message: "\(file): cannot read: \((error as NSError).localizedDescription)", code: 2)
            }
            let name = URL(fileURLWithPath: file).deletingPathExtension().lastPathComponent
            var limits = SearchLimits(
                timeLimit: .milliseconds(Int(timeLimit * 1000)), iterations: iterations, seed: seed, workers: workers)
            if timeLimit >= 5 && !json {
                limits.progress = { value, seconds in
                    let line = "  \(name): \(value) at " + String(format: "%.2f", seconds) + " s\n"
                    FileHandle.standardError.write(Data(line.utf8))
                }
            }
            var record = BenchRecord(instance: name, makespan: 0, timeToBestSeconds: 0)
            do {
                switch problem {
                case .jobshop, .flexible:
                    let instance =
                        problem == .jobshop
                        ? try InstanceReader.jobShop(text, name: file)
                        : try InstanceReader.flexibleJobShop(text, name: file)
                    let result = ShopTabuSearch.solve(instance, limits: limits)
                    let problems = result.solution.problems(in: instance)
                    guard problems.isEmpty else { throw SchedulingError.invalidSchedule(problems) }
                    record.makespan = result.value
                    record.timeToBestSeconds = result.secondsToBest
                    record.starts = (0..<instance.jobCount).map { job in
                        Array(result.solution.start[instance.jobStart[job]..<instance.jobStart[job + 1]])
                    }
                    if problem == .flexible {
                        record.machines = (0..<instance.jobCount).map { job in
                            (instance.jobStart[job]..<instance.jobStart[job + 1]).map {
                                result.solution.machine(of: $0, in: instance) + 1
                            }
                        }
                    }
                case .sdstFlowshop:
                    let instance = try InstanceReader.flowShop(text, name: file)
                    let result = IteratedGreedy.solve(instance, limits: limits)
                    let evaluated = instance.evaluate(result.solution)
                    let problems = instance.problems(
                        sequence: result.solution, starts: evaluated.starts, makespan: result.value)
                    guard problems.isEmpty else { throw SchedulingError.invalidSchedule(problems) }
                    record.makespan = result.value
                    record.timeToBestSeconds = result.secondsToBest
                    record.sequence = result.solution
                    record.starts = evaluated.starts
                }
            } catch {
                throw CommandFailure(message: "\(error)", code: 2)
            }
            if let best = references[name] {
                record.bestKnown = best
                record.gapPercent = 100 * Double(record.makespan - best) / Double(best)
                gaps.append(record.gapPercent!)
            }
            if json {
                let encoder = JSONEncoder()
                encoder.outputFormatting = [.sortedKeys]
                print(String(decoding: try encoder.encode(record), as: UTF8.self))
            } else {
                let gap =
                    record.gapPercent.map { String(format: "  gap %.2f %% (best known %d)", $0, record.bestKnown!) }
                    ?? ""
                print(
                    String(
                        format: "%@  makespan %d  best found at %.2f s", name, record.makespan, record.timeToBestSeconds
                    ) + gap)
            }
        }
        if !json && gaps.count > 1 {
            print(
                String(
                    format: "mean gap over %d instances: %.2f %%", gaps.count, gaps.reduce(0, +) / Double(gaps.count)))
        }
    }
}

/// One instance's result, as `--json` prints it.
struct BenchRecord: Encodable {
    var instance: String
    var makespan: Int
    var timeToBestSeconds: Double
    var bestKnown: Int?
    var gapPercent: Double?
    /// `starts[j][k]`: start of job j's k-th operation in route order (for the flow shop: on machine k).
    var starts: [[Int]] = []
    /// Flexible job shop: the machine of each operation, numbered as in the file (from 1).
    var machines: [[Int]]?
    /// Flow shop: the job order.
    var sequence: [Int]?
}

/// Best-known makespans from a `best-known.tsv` (name, problem, file, jobs, machines, best_known, ...).
enum BestKnown {
    static func load(explicit: String?, near file: String?) -> [String: Int] {
        var candidates: [String] = []
        if let explicit { candidates.append(explicit) }
        if let file {
            var folder = URL(fileURLWithPath: file).deletingLastPathComponent()
            for _ in 0..<3 {
                candidates.append(folder.appendingPathComponent("best-known.tsv").path)
                folder = folder.deletingLastPathComponent()
            }
        }
        for path in candidates {
            guard let text = try? String(contentsOfFile: path, encoding: .utf8) else { continue }
            var values: [String: Int] = [:]
            for line in text.split(separator: "\n").dropFirst() {
                let columns = line.split(separator: "\t")
                if columns.count >= 6, let value = Int(columns[5]) { values[String(columns[0])] = value }
            }
            return values
        }
        return [:]
    }
}
