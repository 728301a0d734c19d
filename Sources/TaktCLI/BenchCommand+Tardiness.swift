import ArgumentParser
import Foundation
import TaktScheduling

extension BenchCommand {
    /// `takt bench jobshop-twt`: each job shop file with Singer and Pinedo's due dates and weights for each due-date
    /// factor, solved by `TardinessSearch`, checked independently, and compared with the reference values.
    func runTardiness() throws {
        let tenths = try factorTenths()
        let references = try TardinessReference.load(explicit: reference)
        var gaps: [Double] = []
        var matched = 0
        var better = 0
        var compared = 0
        for file in files {
            let (text, name) = try readInstance(file)
            let shop: ShopInstance
            do { shop = try InstanceReader.jobShop(text, name: file) } catch {
                throw CommandFailure(message: "\(error)", code: 2)
            }
            for factor in tenths {
                let instance: TardinessInstance
                do { instance = try TardinessInstance.singerPinedo(shop, factorTenths: factor) } catch {
                    throw CommandFailure(message: "\(error)", code: 2)
                }
                let label = "\(name) f=\(Double(factor) / 10)"
                let result = TardinessSearch.solve(instance, limits: searchLimits(reporting: label))
                let problems = instance.problems(starts: result.solution, value: result.value)
                guard problems.isEmpty else {
                    throw CommandFailure(message: "\(label): \(SchedulingError.invalidSchedule(problems))", code: 1)
                }
                var record = TardinessRecord(
                    instance: name, factor: Double(factor) / 10, weightedTardiness: result.value,
                    timeToBestSeconds: result.secondsToBest, iterations: result.iterations,
                    starts: (0..<shop.jobCount).map {
                        Array(result.solution[shop.jobStart[$0]..<shop.jobStart[$0 + 1]])
                    })
                if let known = references.values[TardinessReference.key(name, factor)] {
                    try known.check(against: instance, file: references.file)
                    record.reference = known.value
                    record.referenceProved = known.status == "OPTIMAL"
                    record.gap = result.value - known.value
                    if known.value > 0 { record.gapPercent = 100 * Double(record.gap!) / Double(known.value) }
                    compared += 1
                    if record.gap! == 0 { matched += 1 }
                    if record.gap! < 0 { better += 1 }
                    if let percent = record.gapPercent { gaps.append(percent) }
                }
                if json {
                    try printJSON(record)
                    continue
                }
                var line = String(
                    format: "%@  weighted tardiness %d  best found at %.2f s", label, record.weightedTardiness,
                    record.timeToBestSeconds)
                if let value = record.reference, let gap = record.gap {
                    line += "  reference \(value) (\(record.referenceProved == true ? "optimal" : "best found"))"
                    line += record.gapPercent.map { String(format: "  gap %+d (%.2f %%)", gap, $0) } ?? "  gap \(gap)"
                }
                print(line)
            }
        }
        if !json && compared > 1 {
            print(
                "\(compared) compared with the reference: \(matched) equal, \(better) better, "
                    + "\(compared - matched - better) worse"
                    + (gaps.isEmpty
                        ? ""
                        : String(
                            format: "; mean gap %.2f %% over the %d with a reference above 0",
                            gaps.reduce(0, +)
                                / Double(gaps.count), gaps.count)))
        }
    }

    /// `--factors` as whole tenths (1.3 → 13).
    func factorTenths() throws -> [Int] {
        let parts = factors.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }
        guard !parts.isEmpty else { throw ValidationError("--factors: give due-date factors such as 1.3,1.5,1.6") }
        return try parts.map { part in
            guard let value = Double(part), let tenths = Self.tenths(value) else {
                throw ValidationError("--factors: '\(part)' is not a positive factor in tenths (such as 1.3)")
            }
            return tenths
        }
    }

    /// A due-date factor in whole tenths (1.3 → 13); nil unless it is a positive number of tenths up to 100.
    static func tenths(_ factor: Double) -> Int? {
        guard factor.isFinite, factor > 0, factor <= 100, abs(factor * 10 - (factor * 10).rounded()) < 1e-9 else {
            return nil
        }
        return Int((factor * 10).rounded())
    }

    /// One instance and factor's result, as `--json` prints it.
    struct TardinessRecord: Encodable {
        var instance: String
        var factor: Double
        var weightedTardiness: Int
        var timeToBestSeconds: Double
        var iterations: Int
        /// The reference value, and whether its solver proved it optimal.
        var reference: Int?
        var referenceProved: Bool?
        /// Weighted tardiness minus the reference (negative: better), and in per cent when the reference is above 0.
        var gap: Int?
        var gapPercent: Double?
        /// `starts[j][k]`: start of job j's k-th operation in route order.
        var starts: [[Int]]
    }
}

/// A reference value of the weighted-tardiness job shop, as `Benchmarks/peers/cpsat_jobshop_twt.py` prints it:
/// the solver's status (OPTIMAL when proved), the value and its schedule, which is checked before it is trusted.
struct TardinessReference {
    var instance: String
    var factor: Double
    var status: String
    var value: Int
    var starts: [[Int]]
    /// The line of the file it came from, for messages.
    var line: Int

    /// One line of the file; a line without a value and a schedule is one where the peer found nothing.
    private struct Line: Decodable {
        var instance: String
        var factor: Double
        var status: String
        var value: Int?
        var starts: [[Int]]?
    }

    static func key(_ instance: String, _ tenths: Int) -> String { "\(instance)@\(tenths)" }

    /// The references in `explicit`, or in `Benchmarks/jobshop-twt-reference.jsonl` when there is one. A line that
    /// is not a reference, a factor that is not in tenths, a value without its schedule (or the reverse) and a
    /// second line for the same instance and factor are errors naming the line; `#` lines are comments.
    static func load(explicit: String?) throws -> (file: String, values: [String: TardinessReference]) {
        let path = explicit ?? "Benchmarks/jobshop-twt-reference.jsonl"
        guard let text = try? String(contentsOfFile: path, encoding: .utf8) else {
            if explicit != nil { throw CommandFailure(message: "--reference \(path): cannot read it", code: 2) }
            return (path, [:])
        }
        var values: [String: TardinessReference] = [:]
        for (index, line) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            let trimmed = line.trimmingCharacters(in: .whitespaces)
            if trimmed.isEmpty || trimmed.hasPrefix("#") { continue }
            func refuse(_ message: String) -> CommandFailure {
                CommandFailure(message: "\(path):\(index + 1): \(message)", code: 2)
            }
            let entry: Line
            do { entry = try JSONDecoder().decode(Line.self, from: Data(trimmed.utf8)) } catch {
                throw refuse("not a reference (instance, factor, status, value, starts): \(error)")
            }
            guard let tenths = BenchCommand.tenths(entry.factor) else {
                throw refuse("the factor \(entry.factor) is not a positive factor in tenths")
            }
            switch (entry.value, entry.starts) {
            case (nil, nil): continue
            case (let value?, let starts?):
                let key = key(entry.instance, tenths)
                if let earlier = values[key] {
                    throw refuse("\(entry.instance) f=\(entry.factor) is already on line \(earlier.line)")
                }
                values[key] = TardinessReference(
                    instance: entry.instance, factor: entry.factor, status: entry.status, value: value, starts: starts,
                    line: index + 1)
            default: throw refuse("a value needs its schedule (starts), and a schedule its value")
            }
        }
        return (path, values)
    }

    /// Refuses a reference whose schedule is not a schedule of `instance` or does not have its stated value.
    func check(against instance: TardinessInstance, file: String) throws {
        let problems = instance.problems(starts: starts.flatMap { $0 }, value: value)
        guard problems.isEmpty else {
            throw CommandFailure(
                message: "\(file):\(line): the reference schedule for \(self.instance) f=\(factor) does not check: "
                    + problems.prefix(3).joined(separator: "; "), code: 2)
        }
    }
}
