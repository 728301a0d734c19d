import Foundation

/// A control chart of a numeric check, with limits from a baseline: the process as it ran when it was known to be
/// in control. With single readings, an individuals and moving-range (I-MR) chart: σ from the mean moving range
/// (MR̄ ÷ d₂, d₂ = 1.128 for ranges of two). With subgroups of n consecutive readings (2 to 10), an X̄–R chart: the
/// points are subgroup means, σ = R̄ ÷ d₂(n), the limits X̿ ± 3σ/√n, and the range chart's limit D₄(n) × R̄
/// (ISO 7870-2:2023, tables 2 and 3).
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

    /// The centre line: the baseline's mean (of subgroup means, X̿, when subgrouped).
    public var mean: Double
    /// The process's standard deviation within subgroups (of single readings, from moving ranges).
    public var sigma: Double
    /// R̄: the mean range of the baseline's subgroups, or its mean moving range.
    public var movingRangeMean: Double
    public var baselinePoints: Int
    /// Readings per plotted point: 1 for an individuals chart, 2 to 10 for X̄–R.
    public var subgroupSize: Int

    /// The standard deviation of a plotted point: σ, or σ/√n for a subgroup mean. The zones and limits use it.
    public var pointSigma: Double { sigma / Double(max(1, subgroupSize)).squareRoot() }
    public var upperControlLimit: Double { mean + 3 * pointSigma }
    public var lowerControlLimit: Double { mean - 3 * pointSigma }
    /// The range chart's upper limit, D₄ × R̄ (D₄ = 3.267 for moving ranges of two).
    public var movingRangeLimit: Double { (Self.d4[max(2, subgroupSize)] ?? Self.d4[2]!) * movingRangeMean }

    /// d₂ and D₄ by subgroup size (ISO 7870-2:2023, table 2).
    static let d2: [Int: Double] = [
        2: 1.128, 3: 1.693, 4: 2.059, 5: 2.326, 6: 2.534, 7: 2.704, 8: 2.847, 9: 2.970, 10: 3.078,
    ]
    static let d4: [Int: Double] = [
        2: 3.267, 3: 2.574, 4: 2.282, 5: 2.114, 6: 2.004, 7: 1.924, 8: 1.864, 9: 1.816, 10: 1.777,
    ]
    /// The subgroup sizes an X̄–R chart takes.
    public static let subgroupSizes = 2...10

    /// Limits from `baseline` (readings in time order), as single readings or in subgroups of `subgroupSize`
    /// consecutive readings (an incomplete last subgroup is left out); nil with fewer than two points, an
    /// unsupported size, or readings that never vary.
    public init?(baseline: [Double], subgroupSize: Int = 1) {
        guard subgroupSize == 1 || Self.subgroupSizes.contains(subgroupSize) else { return nil }
        self.subgroupSize = subgroupSize
        if subgroupSize == 1 {
            guard baseline.count >= 2 else { return nil }
            mean = baseline.reduce(0, +) / Double(baseline.count)
            let ranges = zip(baseline.dropFirst(), baseline).map { abs($0 - $1) }
            movingRangeMean = ranges.reduce(0, +) / Double(ranges.count)
        } else {
            let groups = Self.subgroups(baseline, size: subgroupSize)
            guard groups.count >= 2 else { return nil }
            mean = groups.map(Self.average).reduce(0, +) / Double(groups.count)
            movingRangeMean = groups.map { $0.max()! - $0.min()! }.reduce(0, +) / Double(groups.count)
        }
        // Readings that never vary (a coarse instrument, a typed-in constant) give no limits to judge by.
        guard movingRangeMean > 0 else { return nil }
        sigma = movingRangeMean / Self.d2[subgroupSize == 1 ? 2 : subgroupSize]!
        baselinePoints = baseline.count
    }

    /// `readings` (time order) in complete subgroups of `size`, oldest first.
    public static func subgroups(_ readings: [Double], size: Int) -> [[Double]] {
        guard size >= 1 else { return [] }
        return stride(from: 0, to: readings.count - readings.count % size, by: size).map {
            Array(readings[$0..<($0 + size)])
        }
    }

    static func average(_ values: [Double]) -> Double { values.reduce(0, +) / Double(values.count) }

    /// The points the chart plots for `readings` (time order): the readings themselves, or the means of their
    /// complete subgroups.
    public func points(_ readings: [Double]) -> [Double] {
        subgroupSize == 1 ? readings : Self.subgroups(readings, size: subgroupSize).map(Self.average)
    }

    /// Whether a subgroup's spread is beyond the range chart's limit (the process became less consistent).
    public func rangeTooWide(_ subgroup: [Double]) -> Bool {
        subgroupSize > 1 && subgroup.count == subgroupSize && subgroup.max()! - subgroup.min()! > movingRangeLimit
    }

    /// The signals the last point of `values` (in time order, the newest last) completes. A signal is reported
    /// on the point that completes its pattern, so each occurrence is raised once.
    public func signals(_ values: [Double]) -> [Signal] {
        guard let last = values.last, pointSigma > 0 else { return [] }
        func zone(_ value: Double) -> Double { (value - mean) / pointSigma }
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
    /// Readings per subgroup: 1 for an individuals chart, 2 to 10 for X̄–R (`subgroup:` in site.yaml).
    public var subgroupSize: Int

    public init(
        check: RuleID, workCentre: String?, baselinePoints: Int = 25, baseline: DateInterval? = nil,
        subgroupSize: Int = 1
    ) {
        self.check = check
        self.workCentre = workCentre
        self.baselinePoints = baselinePoints
        self.baseline = baseline
        self.subgroupSize = subgroupSize
    }
}
