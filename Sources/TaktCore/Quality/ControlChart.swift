import Foundation

/// An individuals and moving-range (I-MR) control chart of a numeric check, with limits from a baseline: the
/// process as it ran when it was known to be in control. σ is estimated from the mean moving range (MR̄ ÷ d₂,
/// d₂ = 1.128 for ranges of two), as Shewhart charts for individual values do (ISO 7870-2:2023, table 3).
public struct ControlChart: Hashable, Sendable, Codable {
    /// One of the Western Electric rules (Western Electric Statistical Quality Control Handbook, 1956), each a
    /// sign that the process has changed before any specification limit is broken.
    public enum Signal: String, Hashable, Sendable, Codable, CaseIterable {
        /// One point beyond 3σ from the centre line.
        case beyond3Sigma = "beyond_3_sigma"
        /// Two of three points in a row beyond 2σ, on the same side.
        case twoOfThreeBeyond2Sigma = "2_of_3_beyond_2_sigma"
        /// Four of five points in a row beyond 1σ, on the same side.
        case fourOfFiveBeyond1Sigma = "4_of_5_beyond_1_sigma"
        /// Eight points in a row on one side of the centre line.
        case eightOnOneSide = "8_on_one_side"

        public var description: String {
            switch self {
            case .beyond3Sigma: return "a point beyond 3σ"
            case .twoOfThreeBeyond2Sigma: return "2 of 3 points beyond 2σ on one side"
            case .fourOfFiveBeyond1Sigma: return "4 of 5 points beyond 1σ on one side"
            case .eightOnOneSide: return "8 points in a row on one side of the centre line"
            }
        }
    }

    public var mean: Double
    public var sigma: Double
    public var movingRangeMean: Double
    public var baselinePoints: Int

    public var upperControlLimit: Double { mean + 3 * sigma }
    public var lowerControlLimit: Double { mean - 3 * sigma }
    /// The moving range chart's upper limit, D₄ × MR̄ with D₄ = 3.267.
    public var movingRangeLimit: Double { 3.267 * movingRangeMean }

    /// Limits from `baseline` (in time order); nil with fewer than two values.
    public init?(baseline: [Double]) {
        guard baseline.count >= 2 else { return nil }
        mean = baseline.reduce(0, +) / Double(baseline.count)
        let ranges = zip(baseline.dropFirst(), baseline).map { abs($0 - $1) }
        movingRangeMean = ranges.reduce(0, +) / Double(ranges.count)
        // Readings that never vary (a coarse instrument, a typed-in constant) give no limits to judge by.
        guard movingRangeMean > 0 else { return nil }
        sigma = movingRangeMean / 1.128
        baselinePoints = baseline.count
    }

    /// The signals the last point of `values` (in time order, the newest last) completes. A signal is reported
    /// on the point that completes its pattern, so each occurrence is raised once.
    public func signals(_ values: [Double]) -> [Signal] {
        guard let last = values.last, sigma > 0 else { return [] }
        func zone(_ value: Double) -> Double { (value - mean) / sigma }
        var found: [Signal] = []
        if abs(zone(last)) > 3 { found.append(.beyond3Sigma) }
        for side in [1.0, -1.0] {
            func beyond(_ value: Double, _ k: Double) -> Bool { zone(value) * side > k }
            // The newest point must itself be one of the pattern for the pattern to be new.
            let three = values.suffix(3)
            if three.count == 3, beyond(last, 2), three.filter({ beyond($0, 2) }).count >= 2 {
                if !found.contains(.twoOfThreeBeyond2Sigma) { found.append(.twoOfThreeBeyond2Sigma) }
            }
            let five = values.suffix(5)
            if five.count == 5, beyond(last, 1), five.filter({ beyond($0, 1) }).count >= 4 {
                if !found.contains(.fourOfFiveBeyond1Sigma) { found.append(.fourOfFiveBeyond1Sigma) }
            }
            let eight = values.suffix(8)
            if eight.count == 8, eight.allSatisfy({ beyond($0, 0) }) {
                if !found.contains(.eightOnOneSide) { found.append(.eightOnOneSide) }
            }
        }
        return found
    }

    /// Process capability against a specification: Cp = (USL − LSL) ÷ 6σ (both limits needed) and
    /// Cpk = the distance from the mean to the nearer limit ÷ 3σ (one limit is enough).
    public func capability(_ limits: CriticalLimits) -> (cp: Double?, cpk: Double?) {
        guard sigma > 0 else { return (nil, nil) }
        var cp: Double?
        if let low = limits.min, let high = limits.max { cp = (high - low) / (6 * sigma) }
        let sides = [limits.max.map { ($0 - mean) / (3 * sigma) }, limits.min.map { (mean - $0) / (3 * sigma) }]
            .compactMap { $0 }
        return (cp, sides.min())
    }
}

/// A check the site charts (`quality.spc` in site.yaml): its readings at one work centre against limits from a
/// baseline, the first `baselinePoints` readings or those in `baseline`.
public struct ChartedCheck: Hashable, Sendable, Codable {
    public var check: RuleID
    public var workCentre: String?
    public var baselinePoints: Int
    public var baseline: DateInterval?

    public init(check: RuleID, workCentre: String?, baselinePoints: Int = 25, baseline: DateInterval? = nil) {
        self.check = check
        self.workCentre = workCentre
        self.baselinePoints = baselinePoints
        self.baseline = baseline
    }
}
