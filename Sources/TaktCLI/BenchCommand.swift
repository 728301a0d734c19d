import ArgumentParser
import Foundation
import TaktCore
import TaktScheduling
import TaktSync

/// `takt bench`: the scheduler on the standard benchmark instances of the scheduling literature.
struct BenchCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "bench",
        abstract:
            "Run the scheduler on benchmark instances (jobshop, flexible, sdst-flowshop, jobshop-twt) and print their values."
    )

    enum Problem: String, ExpressibleByArgument, CaseIterable {
        case jobshop, flexible
        case sdstFlowshop = "sdst-flowshop"
        /// The job shop with Singer and Pinedo's due dates and weights, scored by total weighted tardiness.
        case jobshopTWT = "jobshop-twt"
        /// A generated plant, for the scale benchmark.
        case plant
        /// Central ingest through HTTP.
        case ingest
        /// The site app's pages with a year of data.
        case siteApp = "site-app"
        /// Central's pages and API with many sites and years of history.
        case central
        /// A mock recall at a site with a year of materials history.
        case recall
        /// The same recall at central across many sites' histories.
        case centralRecall = "central-recall"
        /// Capable-to-promise on a generated plant's plan of record.
        case quote
        /// Judging readings through a WebAssembly rule extension.
        case `extension`
    }

    @Argument(
        help:
            "The problem: jobshop, flexible, sdst-flowshop, jobshop-twt (weighted tardiness), or plant (a generated plant for scale)."
    )
    var problem: Problem

    @Argument(help: "Instance files in the formats of shared/bench/README.md (none for plant).")
    var files: [String] = []

    @Option(help: "plant: operations to generate (comma-separated for several sizes).")
    var operations: String = "1000,10000,50000"

    @Option(name: .customLong("work-centres"), help: "plant: work centres.")
    var workCentres: Int = 50

    @Option(help: "plant: preventive maintenance tasks to reserve, spread over the work centres and four weeks.")
    var maintenance: Int = 0

    @Option(help: "plant: people rostered on two shifts, each operation needing one or two (0: none planned).")
    var people: Int = 0

    @Option(help: "ingest: sites sending at once (comma-separated for several runs).")
    var sites: String = "1,100"

    @Option(help: "ingest: records in all per run.")
    var records: Int = 100_000

    @Option(name: .customLong("batch-size"), help: "ingest: records per batch (a site's default).")
    var batchSize: Int = SyncPolicy.defaultBatchSize

    @Option(
        name: .customLong("batch-format"),
        help: "ingest: how payloads travel: raw (format 2, what sites send today) or quoted (format 1).")
    var batchFormat: BatchFormatArgument = .raw

    @Option(
        help:
            "ingest: what sends the load: async-http-client (light, so central has the cores) or urlsession (what sites run)."
    )
    var client: IngestBenchmark.ClientLibrary = .asyncHTTPClient

    @Option(help: "site-app, central: days of data to generate (default 365; central 730).") var days: Int?

    @Option(help: "site-app, central: requests per page.") var requests: Int = 50

    @Option(
        name: .customLong("central-sites"),
        help: "central, central-recall: sites to generate (default 200; central-recall 20).")
    var centralSitesArgument: Int?

    var centralSites: Int { centralSitesArgument ?? (problem == .centralRecall ? 20 : 200) }

    @Option(help: "quote: quotes to time on the plan.") var quotes: Int = 10

    @Option(help: "recall, central-recall: lots in each site's year of history.") var lots: Int = 50_000

    @Option(help: "recall, central-recall: stock movements in it.") var movements: Int = 500_000

    @Option(help: "recall: the site whose definition the history is loaded into.")
    var site: String = "sites/leeds-bakery"

    @Option(
        help:
            "central: an SQLite file to generate into and keep; one that holds a benchmark is measured again without generating."
    )
    var database: String?

    @Option(name: .customLong("postgres-url"), help: "ingest, central: measure central on this PostgreSQL database.")
    var postgresURL: String?

    @Option(help: "plant: write each generated problem and Takt's solution (docs/plant-problem.schema.json) here.")
    var export: String?
    @Option(name: .customLong("time-limit"), help: "Time per instance (10s, 2m; bare seconds).")
    var timeLimitArgument: DurationArgument = DurationArgument(seconds: 10)

    var timeLimit: Double { Double(timeLimitArgument.seconds) }

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

    @Option(help: "jobshop-twt: the due-date factors, comma-separated (Singer and Pinedo: 1.3,1.5,1.6).")
    var factors: String = "1.3,1.5,1.6"

    @Option(
        help:
            "jobshop-twt: reference values to report gaps against, one JSON object per line as Benchmarks/peers/cpsat_jobshop_twt.py writes them (default Benchmarks/jobshop-twt-reference.jsonl when it exists)."
    )
    var reference: String?

    @Flag(help: "One JSON object per line per instance, with the solution itself.")
    var json = false

    /// A benchmark's result as one line of JSON (`--json`).
    func printJSON(_ result: some Encodable) throws {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        print(String(decoding: try encoder.encode(result), as: UTF8.self))
    }

    func validate() throws {
        guard timeLimit > 0 else { throw ValidationError("--time-limit must be positive") }
        guard workers >= 1 else { throw ValidationError("--workers must be at least 1") }
        guard
            [.plant, .ingest, .siteApp, .central, .recall, .centralRecall, .quote, .extension].contains(problem)
                || !files.isEmpty
        else {
            throw ValidationError("name at least one instance file")
        }
        guard workCentres >= 1 else { throw ValidationError("--work-centres must be at least 1") }
    }

    func run() async throws {
        if problem == .plant { return try runPlant() }
        if problem == .jobshopTWT { return try runTardiness() }
        if problem == .extension {
            let module = files.first ?? "Extensions/solder-paste/solder-paste.wasm"
            let result = try ExtensionBenchmark(module: module, readings: max(1, min(records, 10_000_000))).run()
            if json { return try printJSON(result) }
            return print(
                String(
                    format: "%@: %d readings judged (%d findings): mean %.1f µs, median %.1f µs, p99 %.1f µs a reading",
                    result.module, result.readings, result.findings, result.microsecondsMean, result.microsecondsMedian,
                    result.microsecondsP99))
        }
        if problem == .quote {
            guard quotes >= 1, quotes <= 1000 else { throw ValidationError("--quotes from 1 to 1000") }
            for size in operations.split(separator: ",").compactMap({ Int($0.trimmingCharacters(in: .whitespaces)) }) {
                let result = try QuoteBenchmark(
                    operations: size, workCentres: workCentres, quotes: quotes, seed: seed
                ).run(timeLimit: timeLimit, workers: workers)
                if json {
                    try printJSON(result)
                    continue
                }
                print(
                    String(
                        format:
                            "%d operations (%d orders, %d work centres; planned in %.1f s): %d quotes, median %.3f s, max %.3f s; %d slips named",
                        result.operations, result.orders, result.workCentres, result.secondsToPlan, result.quotes,
                        result.secondsMedian, result.secondsMax, result.slipsFound))
            }
            return
        }
        if problem == .recall {
            guard lots >= 10, movements >= 0, lots <= 5_000_000, movements <= 50_000_000 else {
                throw ValidationError("--lots from 10 to 5,000,000 and --movements up to 50,000,000")
            }
            let result = try RecallBenchmark(lots: lots, movements: movements).run(
                site: site, registry: try Takt.modules())
            if json { return try printJSON(result) }
            return print(
                String(
                    format:
                        "%d lots, %d movements (generated in %.1f s, %.0f MB): %d recalls, median %.1f ms, max %.1f ms; median %d lots reached, %d shipments",
                    result.lots, result.movements, result.secondsToGenerate, result.databaseMegabytes, result.recalls,
                    result.millisecondsMedian, result.millisecondsMax, result.lotsReachedMedian, result.shipmentsMedian)
            )
        }
        if problem == .centralRecall {
            guard lots >= 10, movements >= 0, lots <= 5_000_000, movements <= 50_000_000, centralSites >= 1 else {
                throw ValidationError(
                    "--lots from 10 to 5,000,000, --movements up to 50,000,000, --central-sites 1 or more")
            }
            let result = try await CentralRecallBenchmark(
                sites: centralSites, lots: lots, movements: movements, postgresURL: postgresURL
            ).run()
            if json { return try printJSON(result) }
            return print(
                String(
                    format:
                        "%@: %d sites, %d records ingested in %.0f s; %d recalls across all sites, median %.0f ms, max %.0f ms; median %d sites, %d lots, %d shipments reached",
                    result.store, result.sites, result.records, result.secondsToIngest, result.recalls,
                    result.millisecondsMedian, result.millisecondsMax, result.sitesReachedMedian,
                    result.lotsReachedMedian, result.shipmentsMedian))
        }
        if problem == .siteApp {
            let days = self.days ?? 365
            guard days >= 1, requests >= 1 else { throw ValidationError("--days and --requests must be at least 1") }
            let result = try await SiteAppBenchmark(days: days, requests: requests).run(registry: try Takt.modules())
            if json { return try printJSON(result) }
            print(
                "\(result.days) days: \(result.readings) readings, \(result.findings) findings, \(result.lots) lots "
                    + String(format: "(generated in %.1f s)", result.secondsToGenerate))
            for page in result.pages {
                print(
                    page.path.padding(toLength: 28, withPad: " ", startingAt: 0)
                        + String(
                            format: "median %6.2f ms  p95 %6.2f ms  %7d bytes", page.medianMilliseconds,
                            page.p95Milliseconds, page.bytes))
            }
            print(String(format: "peak resident memory %.0f MB", result.peakResidentMegabytes))
            return
        }
        if problem == .central {
            let days = self.days ?? 730
            guard days >= 1, requests >= 1, centralSites >= 1 else {
                throw ValidationError("--days, --requests and --central-sites must be at least 1")
            }
            let result = try await CentralBenchmark(
                sites: centralSites, days: days, requests: requests, postgresURL: postgresURL, database: database
            ).run()
            if json { return try printJSON(result) }
            if result.records == 0 {
                print(
                    "\(result.store): \(result.sites) sites measured again in \(database ?? "the database given")"
                        + String(format: "; database %.0f MB", result.databaseMegabytes))
            } else {
                print(
                    "\(result.store): \(result.sites) sites × \(result.days) days = \(result.records) records "
                        + String(
                            format: "(stored through ingest in %.0f s, %.0f records/s); database %.0f MB",
                            result.secondsToGenerate, result.recordsPerSecondGenerating, result.databaseMegabytes))
            }
            for page in result.pages {
                print(
                    page.path.padding(toLength: 60, withPad: " ", startingAt: 0)
                        + String(
                            format: "median %7.2f ms  p95 %7.2f ms  %8d bytes", page.medianMilliseconds,
                            page.p95Milliseconds, page.bytes))
            }
            return
        }
        if problem == .ingest {
            for count in sites.split(separator: ",").compactMap({ Int($0) }) where count > 0 {
                let result = try await IngestBenchmark(
                    sites: count, records: records, batchSize: max(1, batchSize), format: batchFormat.format,
                    clientLibrary: client,
                    postgresURL: postgresURL
                )
                .run()
                if json {
                    let encoder = JSONEncoder()
                    encoder.outputFormatting = [.sortedKeys]
                    print(String(decoding: try encoder.encode(result), as: UTF8.self))
                } else {
                    print(
                        String(
                            format:
                                "%3d site(s): %d records in %.2f s = %.0f records/s (%d batches of up to %d, format %d, %d busy retries, ",
                            result.sites, result.records, result.seconds, result.recordsPerSecond, result.batches,
                            result.batchSize, result.batchFormat, result.retries) + "sent by \(result.client))")
                }
            }
            return
        }
        let references = BestKnown.load(explicit: bestKnown, near: files.first)
        var gaps: [Double] = []
        for file in files {
            let (text, name) = try readInstance(file)
            let limits = searchLimits(reporting: name)
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
                case .plant, .ingest, .siteApp, .central, .recall, .centralRecall, .quote, .extension, .jobshopTWT:
                    return
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

extension BenchCommand {
    /// An instance file's text and its name (the file name without extension); an unreadable file is a usage error.
    func readInstance(_ file: String) throws -> (text: String, name: String) {
        do {
            let text = try String(contentsOfFile: file, encoding: .utf8)
            return (text, URL(fileURLWithPath: file).deletingPathExtension().lastPathComponent)
        } catch {
            throw CommandFailure(message: "\(file): cannot read: \((error as NSError).localizedDescription)", code: 2)
        }
    }

    /// The search limits from the options; runs of 5 s or more report each new best on standard error as `label`.
    func searchLimits(reporting label: String) -> SearchLimits {
        var limits = SearchLimits(
            timeLimit: .milliseconds(Int(timeLimit * 1000)), iterations: iterations, seed: seed, workers: workers)
        if timeLimit >= 5 && !json {
            limits.progress = { value, seconds in
                FileHandle.standardError.write(
                    Data("  \(label): \(value) at \(String(format: "%.2f", seconds)) s\n".utf8))
            }
        }
        return limits
    }

    /// The scale benchmark: generated plants of growing size, the time to the first feasible schedule, the best
    /// cost after the time limit, and the peak memory of the process.
    func runPlant() throws {
        let sizes = operations.split(separator: ",").compactMap { Int($0.trimmingCharacters(in: .whitespaces)) }
        guard !sizes.isEmpty, sizes.allSatisfy({ $0 > 0 }) else {
            throw ValidationError("--operations: give sizes such as 1000,10000")
        }
        let from = Date(timeIntervalSince1970: 1_795_996_800)  // Monday 2026-11-30 00:00 UTC
        for size in sizes {
            var site = PlantGenerator.site(workCentres: workCentres, products: 60, seed: seed)
            var crew: [PlantProblemBuilder.Person] = []
            if people > 0 {
                (site, crew) = PlantGenerator.withPeople(site, people: people, from: from, days: 56, seed: seed)
            }
            let orders = PlantGenerator.orders(for: site, operations: size, from: from, days: 28, seed: seed)
            let clock = ContinuousClock()
            let started = clock.now
            let problem: PlantProblem
            var reservedCount = 0
            do {
                var builder = PlantProblemBuilder(site: site, orders: orders, from: from, horizon: .hours(24 * 365))
                builder.people = crew
                // Two hours each, due evenly over the four weeks, each with a day either side.
                let requests = (0..<maintenance).map { index in
                    let due = from.addingTimeInterval(
                        Double(index) / Double(max(maintenance, 1)) * 28 * 86_400 + 86_400)
                    return MaintenancePlacement.Request(
                        plan: "pm-\(index)", task: "service",
                        workCentre: site.workCentres[index % site.workCentres.count].id, duration: TimeSpan.hours(2),
                        due: due, windowStart: due.addingTimeInterval(-86_400),
                        windowEnd: due.addingTimeInterval(86_400))
                }
                let reserved = MaintenancePlacement.reserve(requests, in: builder, seed: seed)
                reservedCount = reserved.placed.count
                problem = try reserved.builder.build()
            } catch {
                throw CommandFailure(message: "\(error)", code: 1)
            }
            let built = started.duration(to: clock.now)
            let limits = SearchLimits(
                timeLimit: .milliseconds(Int(timeLimit * 1000)), iterations: iterations, seed: seed, workers: workers)
            let outcome: PlantScheduler.Outcome
            do { outcome = try PlantScheduler.solve(problem, limits: limits) } catch {
                throw CommandFailure(message: "\(error)", code: 1)
            }
            let valid = PlantScheduleValidator(problem: problem).problems(in: outcome.schedule).isEmpty
            if let export {
                let folder = URL(fileURLWithPath: export)
                do {
                    try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
                    try PlantProblemDocument(problem, weights: ScheduleWeights()).encoded()
                        .write(to: folder.appendingPathComponent("plant-\(size).problem.json"))
                    try PlantSolutionDocument(outcome.schedule, seconds: timeLimit).encoded()
                        .write(to: folder.appendingPathComponent("plant-\(size).takt.json"))
                } catch { throw CommandFailure(message: "--export \(export): \(error)", code: 1) }
            }
            var usage = rusage()
            getrusage(RUSAGE_SELF.rawValue, &usage)
            let peakMB = Double(usage.ru_maxrss) / 1024
            let line = PlantRecord(
                operations: problem.tasks.count, orders: problem.jobs.count, workCentres: workCentres,
                buildSeconds: built.seconds,
                firstFeasibleSeconds: outcome.secondsToFirst, iterations: outcome.iterations, cost: outcome.cost,
                placementsPerIteration: outcome.iterations > 0
                    ? Double(outcome.placements) / Double(outcome.iterations) : 0,
                weightedTardinessMinutes: outcome.schedule.weightedTardiness / 60,
                changeoverMinutes: outcome.schedule.changeoverSeconds / 60,
                peakMemoryMB: peakMB, valid: valid, maintenanceReserved: reservedCount, people: people)
            if json {
                let encoder = JSONEncoder()
                encoder.outputFormatting = [.sortedKeys]
                print(String(decoding: try encoder.encode(line), as: UTF8.self))
            } else {
                print(
                    String(
                        format:
                            "%6d operations (%d orders) on %d work centres, %d people, %d maintenance reserved: model %.3f s, first feasible %.3f s, %d improvement iterations in %.0f s, weighted tardiness %d min, changeovers %d min, peak memory %.0f MB, %@",
                        line.operations, line.orders, workCentres, people, reservedCount, line.buildSeconds,
                        line.firstFeasibleSeconds, line.iterations,
                        timeLimit, line.weightedTardinessMinutes, line.changeoverMinutes, peakMB,
                        valid ? "valid" : "INVALID"))
            }
            guard valid else {
                throw CommandFailure(message: "the generated plant's schedule failed validation", code: 1)
            }
        }
    }

    struct PlantRecord: Encodable {
        var operations: Int
        var orders: Int
        var workCentres: Int
        var buildSeconds: Double
        var firstFeasibleSeconds: Double
        var iterations: Int
        var cost: Double
        /// Task placements per improvement iteration: the cost of evaluating a move (a full decode places them all).
        var placementsPerIteration: Double
        /// The best schedule's weighted tardiness and changeover time, in minutes.
        var weightedTardinessMinutes: Int
        var changeoverMinutes: Int
        var peakMemoryMB: Double
        var valid: Bool
        /// Preventive maintenance reserved before the orders were planned.
        var maintenanceReserved: Int
        /// People planned as capacity (0: none).
        var people: Int
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

/// `--batch-format`: the sync wire format's payload encodings by name.
enum BatchFormatArgument: String, ExpressibleByArgument, CaseIterable {
    case raw
    case quoted

    var format: BatchBody.Format { self == .raw ? .raw : .quoted }
}

extension IngestBenchmark.ClientLibrary: ExpressibleByArgument {}
