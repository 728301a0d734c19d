import Foundation
import TaktCore

/// When a bake dries a reel enough to restart its floor life: IPC/JEDEC J-STD-033, Table 4-1 (reference conditions
/// for drying SMD packages at the user's site; floor life restarts at zero after the bake).
///
/// The table gives, per package body thickness and moisture sensitivity level, the time at 125 °C, at 90 °C and
/// ≤ 5 % RH, and at 40 °C and ≤ 5 % RH, in two columns: parts past their floor life by more than 72 h (or
/// saturated, as a humidity indicator card that changed colour shows) and parts past it by 72 h at most. Takt
/// holds the rows for bodies up to 2.0 mm thick (levels 2a to 5a up to 1.4 mm, 2a to 5 up to 2.0 mm); a thicker
/// package, level 5a over 1.4 mm and level 6 are baked as their label or supplier says (`per_label`). Level 2 is
/// judged by the 2a row, which it never needs more than. The supplier's own limit on the number of bakes and
/// J-STD-033's 96 h limit on cumulative baking above 90 °C (solderability) apply to every bake.
public enum BakeTable {
    /// The temperatures of the table's three columns, hottest first; below 125 °C the bake must be dry.
    static let columns: [(temperature: Double, dry: Bool, key: String)] = [
        (125, false, "c125"), (90, true, "c90"), (40, true, "c40"),
    ]

    /// Hours per row: (thickness up to, level, [column: (past floor life > 72 h, ≤ 72 h)]).
    static let rows: [(thickness: Double, level: String, hours: [String: (wet: Double, dry: Double)])] = [
        (1.4, "2a", ["c125": (5, 3), "c90": (17, 11), "c40": (8 * 24, 5 * 24)]),
        (1.4, "3", ["c125": (9, 7), "c90": (33, 23), "c40": (13 * 24, 9 * 24)]),
        (1.4, "4", ["c125": (11, 7), "c90": (37, 23), "c40": (15 * 24, 9 * 24)]),
        (1.4, "5", ["c125": (12, 7), "c90": (41, 24), "c40": (17 * 24, 10 * 24)]),
        (1.4, "5a", ["c125": (16, 10), "c90": (54, 24), "c40": (22 * 24, 10 * 24)]),
        (2.0, "2a", ["c125": (21, 16), "c90": (3 * 24, 2 * 24), "c40": (29 * 24, 22 * 24)]),
        (2.0, "3", ["c125": (27, 17), "c90": (4 * 24, 2 * 24), "c40": (37 * 24, 23 * 24)]),
        (2.0, "4", ["c125": (34, 20), "c90": (5 * 24, 3 * 24), "c40": (47 * 24, 28 * 24)]),
        (2.0, "5", ["c125": (40, 25), "c90": (6 * 24, 4 * 24), "c40": (57 * 24, 35 * 24)]),
    ]

    static let citation = "IPC/JEDEC J-STD-033, Table 4-1 (user bake; floor life restarts at 0)"

    /// The table as legal-limit rows (hours at least), for `takt site show` and the README.
    static var limits: [LegalLimit] {
        var limits: [LegalLimit] = []
        for row in rows {
            let thickness = CriticalLimits.format(row.thickness)
            for column in columns {
                guard let hours = row.hours[column.key] else { continue }
                let condition = column.dry ? "\(Int(column.temperature)) °C, ≤ 5 % RH" : "\(Int(column.temperature)) °C"
                for (past, value) in [("over72h", hours.wet), ("within72h", hours.dry)] {
                    limits.append(
                        LegalLimit(
                            id: "electronics_assembly.msd.bake.t\(thickness).level\(row.level).\(column.key).\(past)",
                            subject:
                                "Bake, body ≤ \(thickness) mm, MSL \(row.level), \(condition), past floor life "
                                + (past == "over72h" ? "> 72 h or wet" : "≤ 72 h"),
                            .atLeast, value, unit: "h", jurisdiction: "any", citation: citation))
                }
            }
        }
        limits.append(
            LegalLimit(
                id: maximumHotBakeID, subject: "Cumulative bake time above 90 °C", .atMost, 96, unit: "h",
                jurisdiction: "any",
                citation: "IPC/JEDEC J-STD-033, baking and solderability (more only as the supplier allows)"))
        for (level, percent) in [("2", 60.0), ("2a-5a", 10)] {
            limits.append(
                LegalLimit(
                    id: "electronics_assembly.msd.hic.level\(level)",
                    subject: "Humidity indicator card on opening the bag, MSL \(level): bake at or above", .atMost,
                    percent, unit: "% RH", jurisdiction: "any",
                    citation: "IPC/JEDEC J-STD-033, dry pack: humidity indicator card read on opening (5-10-60 % card)")
            )
        }
        for (levels, percent) in [("2-4", 10.0), ("5-5a", 5)] {
            limits.append(
                LegalLimit(
                    id: "electronics_assembly.msd.cabinet.level\(levels)",
                    subject: "Dry cabinet humidity that pauses floor life, MSL \(levels)", .atMost, percent,
                    unit: "% RH", jurisdiction: "any", citation: "IPC/JEDEC J-STD-033, dry atmosphere cabinets"))
        }
        limits.append(
            LegalLimit(
                id: shelfLifeID, subject: "Shelf life in the sealed dry bag, from its seal date", .atMost, 12,
                unit: "months", jurisdiction: "any", citation: "IPC/JEDEC J-STD-033, dry pack: calculated shelf life"))
        return limits
    }

    static let maximumHotBakeID = "electronics_assembly.msd.bake.above90c.max"
    static let shelfLifeID = "electronics_assembly.msd.dry_pack.shelf_life"

    /// The humidity indicator card reading (% RH) at which a bag's parts must be baked before use: the 60 % spot
    /// for level 2, the 10 % spot for levels 2a to 5a; nil for levels that need no dry pack (1) or are always
    /// baked (6).
    public static func wetReading(for level: MoistureLevel) -> Double? {
        switch level {
        case .level1, .level6: return nil
        case .level2: return ElectronicsAssembly.limit("electronics_assembly.msd.hic.level2")
        default: return ElectronicsAssembly.limit("electronics_assembly.msd.hic.level2a-5a")
        }
    }

    /// Why a bake does or does not restart a reel's floor life.
    public enum Verdict: Hashable, Sendable {
        case qualifies(String)
        case notRecorded
        case tooManyBakes(allowed: Int)
        case hotBakeLimit(total: Double, limit: Double)
        case noRow(String)
        case notDry(temperature: Double)
        case tooCool(temperature: Double)
        case tooShort(needed: Double, temperature: Double, baked: Double, row: String)

        public var qualifies: Bool { if case .qualifies = self { return true } else { return false } }
    }

    /// Judges `event` (a bake) for `reel` as it stood before it.
    public static func judge(_ reel: Reel, _ event: ReelEvent) -> Verdict {
        if let allowed = reel.maxBakes, reel.bakes >= allowed { return .tooManyBakes(allowed: allowed) }
        guard let temperature = event.temperature, let duration = event.duration, duration.seconds > 0 else {
            return .notRecorded
        }
        let hours = Double(duration.seconds) / 3600
        let limit = ElectronicsAssembly.limit(maximumHotBakeID) ?? 96
        if temperature > 90, reel.hotBakeHours + hours > limit, event.perLabel != true {
            return .hotBakeLimit(total: reel.hotBakeHours + hours, limit: limit)
        }
        if reel.level == .level1 { return .qualifies("level 1 needs no bake") }
        if event.perLabel == true { return .qualifies("as the label or supplier says") }
        if reel.level == .level6 { return .noRow("table 4-1 has no row for MSL 6") }
        guard let thickness = reel.thickness else {
            return .noRow("the package body thickness is not recorded (record it on the reel)")
        }
        let level = reel.level == .level2 ? "2a" : reel.level.rawValue
        guard let row = rows.first(where: { thickness <= $0.thickness && $0.level == level }) else {
            return .noRow(
                "Table 4-1 as Takt holds it has no row for MSL \(reel.level.rawValue) at \(CriticalLimits.format(thickness)) mm"
            )
        }
        guard let column = columns.first(where: { temperature >= $0.temperature }) else {
            return .tooCool(temperature: temperature)
        }
        if column.dry, (event.humidity ?? 100) > 5 { return .notDry(temperature: temperature) }
        let past = reel.exposure(at: event.at) - (reel.floorLife ?? 0)
        let wet = reel.wet || past > 72 * 3600
        guard let pair = row.hours[column.key] else { return .tooCool(temperature: temperature) }
        let needed = wet ? pair.wet : pair.dry
        let described =
            "≤ \(CriticalLimits.format(row.thickness)) mm, MSL \(row.level), \(Int(column.temperature)) °C, "
            + (wet ? "past floor life > 72 h or wet" : "past floor life ≤ 72 h")
        guard hours >= needed else {
            return .tooShort(needed: needed, temperature: column.temperature, baked: hours, row: described)
        }
        return .qualifies(described)
    }
}
