import Foundation
import Testing

@testable import BuiltinModules
@testable import TaktCore
@testable import TaktHost
@testable import TaktStore

/// Statistical process control on the walk-in chiller: limits from its first ten readings, then a slow drift up
/// raises a finding while every reading is still within the 5 °C legal limit.
@Suite struct SPCTests {
    static let zone = TimeZone(identifier: "UTC")!
    static let start = Instant.parse("2026-11-30T06:00", in: zone)!
    static let site = """
        site: {id: leeds, name: Leeds, region: uk, time_zone: UTC, country: GB-ENG, currency: GBP}
        modules:
          food_processing:
            chill: {max_celsius: 5, every: 4h, work_centres: [walk-in-chiller]}
        work_centres: [{id: walk-in-chiller}]
        staff:
          - {id: amara, name: Amara, certificates: [{kind: food_hygiene_level_2, expires: 2030-06-30}]}
        quality:
          spc:
            - {check: food_processing.ccp.chill, baseline_points: 10}
        """

    func host(_ text: String = Self.site) throws -> SiteHost {
        let definition = try SiteLoader(registry: try BuiltinModules.registry()).load(text: text, file: "site.yaml")
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("spc-\(UUID().uuidString).sqlite")
        return SiteHost(
            definition: definition,
            store: try SiteStore(path: path.path, siteID: "leeds", recordKinds: definition.recordKinds),
            clock: { Self.start.addingTimeInterval(30 * 86_400) })
    }

    @Test func aDriftingChillerRaisesAFindingBeforeTheLegalLimit() throws {
        let host = try host()
        let baseline = [3.0, 3.2, 2.9, 3.1, 3.0, 3.2, 3.1, 2.9, 3.0, 3.1]
        let drift = [3.3, 3.4, 3.5, 3.6, 3.8, 4.0]
        var raised: [(value: Double, findings: [Finding])] = []
        for (index, value) in (baseline + drift).enumerated() {
            let recorded = try host.record(
                CheckReading(
                    check: "food_processing.ccp.chill", value: value, workCentre: "walk-in-chiller",
                    recordedBy: "amara",
                    at: Self.start.addingTimeInterval(Double(index) * 3600)))
            raised.append((value, recorded.findings))
        }
        let first = try #require(raised.firstIndex { $0.findings.contains { $0.rule.rawValue == "site.spc" } })
        #expect(first >= baseline.count)
        #expect(raised[first].value < 5)
        #expect(
            raised[first].findings.first { $0.rule.rawValue == "site.spc" }?.message.contains("drifting up") == true)
        // No reading broke the legal limit; the baseline raised nothing.
        #expect(raised.allSatisfy { !$0.findings.contains { $0.rule.rawValue == "food_processing.ccp.chill" } })
        #expect(raised.prefix(baseline.count).allSatisfy { $0.findings.isEmpty })
        // Each signal is raised when it starts, not again on every reading that continues it.
        let spc = raised.flatMap(\.findings).filter { $0.rule.rawValue == "site.spc" }
        #expect(Set(spc.map(\.message)).count == spc.count)

        let report = try host.controlChart(
            check: "food_processing.ccp.chill", workCentre: nil, at: Self.start.addingTimeInterval(20 * 3600))
        let chart = try #require(report.chart)
        #expect(abs(chart.mean - 3.05) < 1e-9)
        #expect(report.cpk != nil && report.cp == nil)
        #expect(report.readings.count == baseline.count + drift.count)
    }

    @Test func theChartsOwnRulesAndBadChartsAreRefusedWhenTheSiteLoads() throws {
        let chart = try #require(ControlChart(baseline: [10, 10.2, 9.8, 10.1, 9.9]))
        #expect(chart.signals([10, 10, 14]).contains(.beyond3Sigma))
        #expect(chart.signals(Array(repeating: 10.05, count: 8)) == [.eightOnOneSide])
        #expect(chart.signals(Array(repeating: 10.05, count: 7)).isEmpty)
        for (from, to) in [
            ("baseline_points: 10", "baseline_points: 3"), ("food_processing.ccp.chill", "site.nope"),
        ] {
            #expect(throws: HostError.self) { try host(Self.site.replacingOccurrences(of: from, with: to)) }
        }
    }
}

extension SPCTests {
    /// The chart as SVG names itself for screen readers, rings the points where a signal starts, and draws the
    /// specification limit.
    @Test func theChartDrawsItsLimitsAndRingsTheSignals() throws {
        let chart = try #require(ControlChart(baseline: [3.0, 3.2, 2.9, 3.1, 3.0, 3.2, 3.1, 2.9, 3.0, 3.1]))
        let values = [3.0, 3.1, 4.5]
        let at = Self.start
        let svg = chart.svg(
            values.enumerated().map { (at.addingTimeInterval(Double($0.offset) * 3600), $0.element) },
            specification: CriticalLimits(max: 5), title: "Chill <walk-in>", timeZone: Self.zone,
            signalling: chart.signalling(values))
        #expect(chart.signalling(values) == [2])
        #expect(svg.contains("aria-label=\"Chill &lt;walk-in&gt;\"") && svg.contains("max 5"))
        #expect(svg.components(separatedBy: "r=\"5\"").count == 2)
    }
}

/// An X̄–R chart: readings judged in subgroups of four, limits from five baseline subgroups; a subgroup whose mean
/// moved raises a finding on the reading that completes it, and one whose spread grew raises its own.
extension SPCTests {
    @Test func subgroupMeansAndRangesAreJudgedWhenASubgroupIsComplete() throws {
        let host = try host(
            Self.site.replacingOccurrences(
                of: "{check: food_processing.ccp.chill, baseline_points: 10}",
                with: "{check: food_processing.ccp.chill, subgroup: 4, baseline_points: 20}"))
        let baseline = Array(repeating: [3.0, 3.2, 2.9, 3.1], count: 5).flatMap { $0 }
        let shifted = [3.3, 3.4, 3.3, 3.4]
        let wide = [2.5, 3.6, 3.0, 3.1]
        var raised: [[Finding]] = []
        for (index, value) in (baseline + wide + shifted).enumerated() {
            raised.append(
                try host.record(
                    CheckReading(
                        check: "food_processing.ccp.chill", value: value, workCentre: "walk-in-chiller",
                        recordedBy: "amara", at: Self.start.addingTimeInterval(Double(index) * 1800))
                ).findings.filter { $0.rule.rawValue == "site.spc" })
        }
        #expect(raised.prefix(20).allSatisfy { $0.isEmpty })
        // The wide subgroup: nothing until its fourth reading, then its spread (its mean is on the centre line).
        #expect(raised[20..<23].allSatisfy { $0.isEmpty })
        #expect(
            raised[23].map(\.message) == [
                "Chilled storage temperature at walk-in-chiller is less consistent: the last 4 readings span 1.1 °C, "
                    + "beyond the range chart's limit of 0.68 °C"
            ])
        // The shifted subgroup's mean (3.35) is beyond X̿ + 3σ/√4 (3.27): raised when it completes, not before.
        #expect(raised[24..<27].allSatisfy { $0.isEmpty })
        #expect(raised[27].contains { $0.message.contains("drifting up: a point beyond 3σ") })

        let report = try host.controlChart(
            check: "food_processing.ccp.chill", workCentre: nil, at: Self.start.addingTimeInterval(20 * 3600))
        let chart = try #require(report.chart)
        #expect(chart.subgroupSize == 4 && abs(chart.mean - 3.05) < 1e-9)
        #expect(
            abs(chart.sigma - 0.3 / 2.059) < 1e-9 && abs(chart.upperControlLimit - (3.05 + 3 * 0.3 / 2.059 / 2)) < 1e-9)
        #expect(report.readings.count == 7)  // one point per subgroup
        #expect(throws: HostError.self) {
            _ = try self.host(Self.site.replacingOccurrences(of: "baseline_points: 10}", with: "subgroup: 12}"))
        }
    }
}
