import Foundation
import TaktCore

/// Floor life of moisture-sensitive devices out of dry storage at ≤ 30 °C / 60 % RH (J-STD-033, table 7-1):
/// level 1 unlimited (≤ 30 °C / 85 % RH), 2 one year, 2a four weeks, 3 168 h, 4 72 h, 5 48 h, 5a 24 h; level 6
/// must be baked before use and used within the time on its label. A reel past its floor life is blocked until
/// baked. Exactly at the floor life is still within it.
struct FloorLifeRule: EventRule {
    let id: RuleID
    static let source = "IPC/JEDEC J-STD-033"

    /// The floor life of `reel`, or nil when unlimited (the table lives with `Reel`, where planning reads it too).
    static func floorLife(of reel: Reel) -> TimeInterval? { reel.floorLife }

    /// Every reel as it stands: the one an event concerns, and all of them for the site's sweep.
    var reads: [RecordRead] { [.latest(Reel.records)] }

    var summary: String {
        "MSD floor life: 2 1 year, 2a 4 weeks, 3 168h, 4 72h, 5 48h, 5a 24h, 6 bake first; past it the reel is blocked"
    }

    func evaluate(_ event: SiteEvent, in context: RuleContext) -> [Finding] {
        switch event {
        case .record(let record):
            guard let reelEvent = record.value(as: ReelEvent.records),
                let reel = context.records.latest(Reel.records, key: reelEvent.reel),
                reelEvent.kind == .use || reelEvent.kind == .open
            else { return [] }
            if reel.level == .level6 && reel.bakedAt == nil && reelEvent.kind == .use {
                return [
                    finding(
                        reel, "MSL 6 reel \(reel.id) must be baked before use",
                        es: "el carrete MSL 6 \(reel.id) debe hornearse antes de usarlo",
                        ms: "gulungan MSL 6 \(reel.id) mesti dibakar sebelum digunakan", at: reelEvent.at, key: nil)
                ]
            }
            guard let limit = Self.floorLife(of: reel) else { return [] }
            let exposure = reel.exposure(at: reelEvent.at)
            guard exposure > limit else { return [] }
            return [finding(reel, exposure: exposure, limit: limit, at: reelEvent.at)]
        case .tick(let now):
            return context.records.all(Reel.records).compactMap { reel in
                guard let limit = Self.floorLife(of: reel), reel.exposure(at: now) > limit else { return nil }
                return finding(reel, exposure: reel.exposure(at: now), limit: limit, at: now)
            }
        default:
            return []
        }
    }

    private func key(_ reel: Reel) -> String {
        "floor_life:\(reel.id):\(reel.bakedAt.map(Instant.iso) ?? "never-baked")"
    }

    /// The finding of a reel past its floor life, in each language.
    private func finding(_ reel: Reel, exposure: TimeInterval, limit: TimeInterval, at: Date) -> Finding {
        let (used, life) = (hours(exposure), hours(limit))
        let named = "\(reel.id) (\(reel.part), MSL \(reel.level.rawValue))"
        return finding(
            reel, "reel \(named) has \(used) h of floor exposure, past its floor life of \(life) h (\(Self.source))",
            es:
                "el carrete \(named) lleva \(used) h de exposición en piso, más que su vida en piso de \(life) h (\(Self.source))",
            ms:
                "gulungan \(named) telah terdedah \(used) j di lantai, melebihi hayat lantai \(life) j (\(Self.source))",
            at: at, key: key(reel))
    }

    private func hours(_ seconds: TimeInterval) -> String { CriticalLimits.format((seconds / 36).rounded() / 100) }

    private func finding(_ reel: Reel, _ message: String, es: String, ms: String, at: Date, key: String?) -> Finding {
        Finding(
            rule: id, severity: .critical, subject: .init(.reel, reel.id), message: message,
            actions: [
                FindingAction(.blockReel, reel.id),
                FindingAction(.correctiveAction, "Bake the reel per J-STD-033 table 4-1 before any use"),
            ], raisedAt: at, key: key
        )
        .translated([
            .spanish: (es, "Hornee el carrete según J-STD-033 tabla 4-1 antes de usarlo"),
            .malay: (ms, "Bakar gulungan mengikut J-STD-033 jadual 4-1 sebelum digunakan"),
        ])
    }
}
