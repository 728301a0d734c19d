import Foundation
import TaktCore

/// A reel or tray of moisture-sensitive components (IPC/JEDEC J-STD-033), tracked for its floor-life exposure.
///
/// Exposure accumulates while the reel is out of dry storage and stops while it is in; baking resets it.
/// Stored as the module's record kind `electronics_assembly.reel` (latest state, keyed by id).
public struct Reel: Hashable, Sendable, Codable {
    public var id: String
    public var part: String
    /// Moisture sensitivity level as printed on the bag: `1`, `2`, `2a`, `3`, `4`, `5`, `5a` or `6`.
    public var level: MoistureLevel
    /// For level 6: the floor life after baking that the label states.
    public var labelFloorLife: TimeSpan?
    /// Exposure accumulated in earlier periods out of dry storage, in seconds.
    public var exposedSeconds: Double
    /// When the current period out of dry storage began; nil while in dry storage.
    public var openedAt: Date?
    /// When it was last baked (a bake that qualified under J-STD-033 table 4-1); nil if never.
    public var bakedAt: Date?
    /// Package body thickness in mm, which picks the bake's row of J-STD-033 table 4-1; nil when not recorded.
    public var thickness: Double?
    /// How many bakes the supplier allows; nil when the supplier sets no limit.
    public var maxBakes: Int?
    /// Bakes that restarted its floor life so far.
    public var bakes: Int
    /// Hours baked above 90 °C so far, qualifying or not (J-STD-033 limits it for solderability).
    public var hotBakeHours: Double
    /// The bag's humidity indicator card (or a shelf life run out with no card read) says the parts took up
    /// moisture: no floor life is left until a bake from the table's long column.
    public var wet: Bool
    /// When its dry bag was first opened; nil while still sealed.
    public var bagOpenedAt: Date?
    /// Put back in a cabinet above the humidity at which J-STD-033 lets storage pause the floor life: the clock
    /// runs on (`openedAt` stays) until it is taken out again.
    public var storedHumid: Bool

    public init(
        id: String, part: String, level: MoistureLevel, labelFloorLife: TimeSpan? = nil, exposedSeconds: Double = 0,
        openedAt: Date? = nil, bakedAt: Date? = nil, thickness: Double? = nil, maxBakes: Int? = nil, bakes: Int = 0,
        hotBakeHours: Double = 0, wet: Bool = false, bagOpenedAt: Date? = nil, storedHumid: Bool = false
    ) {
        self.id = id
        self.part = part
        self.level = level
        self.labelFloorLife = labelFloorLife
        self.exposedSeconds = exposedSeconds
        self.openedAt = openedAt
        self.bakedAt = bakedAt
        self.thickness = thickness
        self.maxBakes = maxBakes
        self.bakes = bakes
        self.hotBakeHours = hotBakeHours
        self.wet = wet
        self.bagOpenedAt = bagOpenedAt
        self.storedHumid = storedHumid
    }

    enum CodingKeys: String, CodingKey {
        case id, part, level, labelFloorLife, exposedSeconds, openedAt, bakedAt, thickness, maxBakes, bakes
        case hotBakeHours, wet, bagOpenedAt, storedHumid
    }

    /// Reads reels stored before bakes were judged (no counts, no thickness) as never baked under the table.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        id = try container.decode(String.self, forKey: .id)
        part = try container.decode(String.self, forKey: .part)
        level = try container.decode(MoistureLevel.self, forKey: .level)
        labelFloorLife = try container.decodeIfPresent(TimeSpan.self, forKey: .labelFloorLife)
        exposedSeconds = try container.decode(Double.self, forKey: .exposedSeconds)
        openedAt = try container.decodeIfPresent(Date.self, forKey: .openedAt)
        bakedAt = try container.decodeIfPresent(Date.self, forKey: .bakedAt)
        thickness = try container.decodeIfPresent(Double.self, forKey: .thickness)
        maxBakes = try container.decodeIfPresent(Int.self, forKey: .maxBakes)
        bakes = try container.decodeIfPresent(Int.self, forKey: .bakes) ?? 0
        hotBakeHours = try container.decodeIfPresent(Double.self, forKey: .hotBakeHours) ?? 0
        wet = try container.decodeIfPresent(Bool.self, forKey: .wet) ?? false
        bagOpenedAt = try container.decodeIfPresent(Date.self, forKey: .bagOpenedAt)
        storedHumid = try container.decodeIfPresent(Bool.self, forKey: .storedHumid) ?? false
    }

    /// Whether `mm` can be a package body thickness (over 0, under 50 mm): anything else is a typing mistake.
    static func isPlausibleThickness(_ mm: Double) -> Bool { mm > 0 && mm < 50 }

    /// In dry storage as far as a person can see: put away, whether or not its clock is paused.
    public var stored: Bool { openedAt == nil || storedHumid }

    /// Whether a cabinet at `humidity` % RH pauses this reel's floor life: at most 10 % RH for levels 2 to 4, 5 %
    /// for 5 and 5a (J-STD-033 dry atmosphere cabinets); nil humidity (not recorded) is taken as dry, as before.
    public func cabinetPauses(at humidity: Double?) -> (pauses: Bool, limit: Double?) {
        guard let humidity else { return (true, nil) }
        let id =
            [.level5, .level5a, .level6].contains(level)
            ? "electronics_assembly.msd.cabinet.level5-5a" : "electronics_assembly.msd.cabinet.level2-4"
        guard let limit = ElectronicsAssembly.limit(id) else { return (true, nil) }
        return (humidity <= limit, limit)
    }

    /// Floor life out of dry storage at ≤ 30 °C / 60 % RH (IPC/JEDEC J-STD-033, table 7-1): level 1 unlimited
    /// (nil), 2 one year, 2a four weeks, 3 168 h, 4 72 h, 5 48 h, 5a 24 h; level 6 the time on its label.
    public var floorLife: TimeInterval? {
        switch level {
        case .level1: return nil
        case .level6: return TimeInterval(labelFloorLife?.seconds ?? 0)
        default:
            // From the module's table of J-STD-033's numbers (hours at ≤ 30 °C / 60 % RH).
            let id = "electronics_assembly.msd.floor_life.level\(level.rawValue)"
            return ElectronicsAssembly.limit(id).map { $0 * 3600 }
        }
    }

    /// Floor life left at `instant`; nil when unlimited; none while it is wet.
    public func remainingFloorLife(at instant: Date) -> TimeInterval? {
        if wet { return 0 }
        return floorLife.map { $0 - exposure(at: instant) }
    }

    /// What opening its dry bag with `event` says (J-STD-033 dry pack): wet when the humidity indicator card reads
    /// at or above the level's spot, or when the bag's shelf life from its seal date is over and no card was read.
    public func bagCheck(_ event: ReelEvent, zone: TimeZone) -> (wet: Bool, reason: String?) {
        guard bagOpenedAt == nil, event.kind == .open, let threshold = BakeTable.wetReading(for: level) else {
            return (false, nil)
        }
        if let reading = event.humidity, reading >= threshold {
            return (
                true,
                "the humidity indicator card reads \(CriticalLimits.format(reading)) % RH, at or above the "
                    + "\(CriticalLimits.format(threshold)) % spot for MSL \(level.rawValue)"
            )
        }
        let months = Int(ElectronicsAssembly.limit(BakeTable.shelfLifeID) ?? 12)
        if let sealed = event.sealed, event.humidity == nil {
            var calendar = Calendar(identifier: .gregorian)
            calendar.timeZone = zone
            let start = sealed.instant(at: LocalTime(hour: 0, minute: 0), in: zone)
            if let end = calendar.date(byAdding: .month, value: months, to: start), event.at >= end {
                return (
                    true,
                    "the bag sealed on \(sealed) is past its \(months)-month shelf life and its humidity indicator "
                        + "card was not read"
                )
            }
        }
        return (false, nil)
    }

    /// Total exposure at `instant`, counting the current period out of dry storage up to it.
    public func exposure(at instant: Date) -> TimeInterval {
        exposedSeconds + (openedAt.map { max(0, instant.timeIntervalSince($0)) } ?? 0)
    }

    /// The reel after `event`; throws when the event does not fit its state (opening an open reel). A bake
    /// restarts the floor life only when it qualifies (`BakeTable.judge`); opening the bag reads its card.
    public func applying(_ event: ReelEvent, zone: TimeZone) throws(CoreError) -> Reel {
        var next = self
        switch event.kind {
        case .open:
            if storedHumid {
                next.storedHumid = false  // the clock never stopped: it runs on from when it was first taken out
                break
            }
            guard openedAt == nil else {
                throw .invalidInput("reel \(id) is already out of dry storage")
            }
            if bagCheck(event, zone: zone).wet { next.wet = true }
            if bagOpenedAt == nil { next.bagOpenedAt = event.at }
            next.openedAt = event.at
        case .store:
            guard let opened = openedAt else {
                throw .invalidInput("reel \(id) is already in dry storage")
            }
            // A cabinet too humid keeps the clock running; moving the reel to a dry one stops it from then on.
            if !cabinetPauses(at: event.humidity).pauses {
                next.storedHumid = true
                break
            }
            next.exposedSeconds += max(0, event.at.timeIntervalSince(opened))
            next.openedAt = nil
            next.storedHumid = false
        case .bake:
            if let temperature = event.temperature, temperature > 90, let duration = event.duration {
                next.hotBakeHours += Double(duration.seconds) / 3600
            }
            guard BakeTable.judge(self, event).qualifies else { break }
            next.exposedSeconds = 0
            next.openedAt = nil
            next.bakedAt = event.at
            next.bakes += 1
            next.wet = false
        case .use:
            break
        }
        return next
    }
}

/// A moisture sensitivity level (J-STD-020 / J-STD-033).
public enum MoistureLevel: String, Hashable, Sendable, Codable, CaseIterable {
    case level1 = "1", level2 = "2", level2a = "2a", level3 = "3", level4 = "4", level5 = "5", level5a = "5a"
    case level6 = "6"
}

/// Something that happened to a reel: taken out of dry storage, put back, baked, or used on a work centre.
/// Stored as the module's record kind `electronics_assembly.reel_event` (a fact, indexed by reel).
public struct ReelEvent: Hashable, Sendable, Codable {
    public enum Kind: String, Hashable, Sendable, Codable, CaseIterable {
        case open, store, bake, use
    }
    public var reel: String
    public var kind: Kind
    public var workCentre: String?
    public var by: String?
    /// When it happened; for a bake, when it ended.
    public var at: Date
    /// A bake's oven temperature, °C.
    public var temperature: Double?
    /// How long a bake lasted.
    public var duration: TimeSpan?
    /// % RH: the oven's for a bake at 90 °C or 40 °C, the humidity indicator card's reading on opening the bag.
    public var humidity: Double?
    /// On opening the bag: the seal date printed on it.
    public var sealed: LocalDate?
    /// A bake done as the part's label or supplier states (level 6, thick packages, a supplier's own condition).
    public var perLabel: Bool?

    public init(
        reel: String, kind: Kind, workCentre: String? = nil, by: String? = nil, at: Date, temperature: Double? = nil,
        duration: TimeSpan? = nil, humidity: Double? = nil, sealed: LocalDate? = nil, perLabel: Bool? = nil
    ) {
        self.reel = reel
        self.kind = kind
        self.workCentre = workCentre
        self.by = by
        self.at = at
        self.temperature = temperature
        self.duration = duration
        self.humidity = humidity
        self.sealed = sealed
        self.perLabel = perLabel
    }
}
