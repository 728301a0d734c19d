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
    /// When it was last baked; nil if never.
    public var bakedAt: Date?

    public init(
        id: String, part: String, level: MoistureLevel, labelFloorLife: TimeSpan? = nil, exposedSeconds: Double = 0,
        openedAt: Date? = nil, bakedAt: Date? = nil
    ) {
        self.id = id
        self.part = part
        self.level = level
        self.labelFloorLife = labelFloorLife
        self.exposedSeconds = exposedSeconds
        self.openedAt = openedAt
        self.bakedAt = bakedAt
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
            return ElectronicsAssembly.legalLimits.rows.first { $0.id == id }.map { $0.value * 3600 }
        }
    }

    /// Floor life left at `instant`; nil when unlimited.
    public func remainingFloorLife(at instant: Date) -> TimeInterval? {
        floorLife.map { $0 - exposure(at: instant) }
    }

    /// Total exposure at `instant`, counting the current period out of dry storage up to it.
    public func exposure(at instant: Date) -> TimeInterval {
        exposedSeconds + (openedAt.map { max(0, instant.timeIntervalSince($0)) } ?? 0)
    }

    /// The reel after `event`; throws when the event does not fit its state (opening an open reel).
    public func applying(_ event: ReelEvent) throws(CoreError) -> Reel {
        var next = self
        switch event.kind {
        case .open:
            guard openedAt == nil else {
                throw .invalidInput("reel \(id) is already out of dry storage")
            }
            next.openedAt = event.at
        case .store:
            guard let opened = openedAt else {
                throw .invalidInput("reel \(id) is already in dry storage")
            }
            next.exposedSeconds += max(0, event.at.timeIntervalSince(opened))
            next.openedAt = nil
        case .bake:
            next.exposedSeconds = 0
            next.openedAt = nil
            next.bakedAt = event.at
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
    public var at: Date

    public init(reel: String, kind: Kind, workCentre: String? = nil, by: String? = nil, at: Date) {
        self.reel = reel
        self.kind = kind
        self.workCentre = workCentre
        self.by = by
        self.at = at
    }
}
