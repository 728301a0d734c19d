import Foundation
import TaktCore

extension Reel {
    /// Reels as the site keeps them: the latest state of each, keyed by id. Earlier builds kept them in the core
    /// table `reels`, which the migration `electronics_assembly.reel.adopt-reels` takes over.
    public static let records = RecordKind<Reel>.state(
        "electronics_assembly.reel", key: \.id, indexes: ["part"],
        adopts: (
            table: "reels",
            convert: { row in
                guard let id = row["id"]?.string, let part = row["part"]?.string,
                    let level = row["level"]?.string.flatMap(MoistureLevel.init(rawValue:))
                else { return nil }
                let reel = Reel(
                    id: id, part: part, level: level,
                    labelFloorLife: row["label_floor_life_seconds"]?.double.map { TimeSpan(seconds: Int($0)) },
                    exposedSeconds: row["exposed_seconds"]?.double ?? 0, openedAt: row["opened_at"]?.date,
                    bakedAt: row["baked_at"]?.date)
                return reel
            }
        ))
}

extension ReelEvent {
    /// What happened to reels, in order; indexed by reel for a reel's history. Adopts the core table
    /// `reel_events` of earlier builds.
    public static let records = RecordKind<ReelEvent>.fact(
        "electronics_assembly.reel_event", at: \.at, indexes: ["reel"],
        adopts: (
            table: "reel_events",
            convert: { row in
                guard let reel = row["reel_id"]?.string, let at = row["at"]?.date,
                    let kind = row["kind"]?.string.flatMap(ReelEvent.Kind.init(rawValue:))
                else { return nil }
                return ReelEvent(
                    reel: reel, kind: kind, workCentre: row["work_centre"]?.string, by: row["by"]?.string, at: at)
            }
        ))
}

extension Finding.Subject.Kind {
    /// A finding about a reel; its id is the reel's.
    public static let reel = Finding.Subject.Kind(rawValue: "reel")
}

extension FindingAction.Kind {
    /// Blocks a component reel from use until it is baked.
    public static let blockReel = FindingAction.Kind.block(of: "reel")
}

/// What the reel commands (and anything else that handles reels: the demo, the tests) do at a site.
public enum Reels {
    /// The reel a received lot is, when its item has a moisture sensitivity level (`msl`; level 6 needs the
    /// `label_floor_life` on its bag too); nil for any other item.
    public static func reel(receiving receipt: MaterialReceipt) throws -> Reel? {
        guard let text = receipt.item.attributes["msl"]?.first else { return nil }
        guard let level = MoistureLevel(rawValue: text.lowercased()) else {
            throw CoreError.invalidInput(
                "'\(text)' is not a moisture sensitivity level: one of "
                    + MoistureLevel.allCases.map(\.rawValue).joined(separator: ", "))
        }
        let label = receipt.item.attributes["label_floor_life"]?.first.flatMap(TimeSpan.init(parsing:))
        if level == .level6, label == nil {
            throw CoreError.invalidInput("a level 6 item needs the floor life on its label (label_floor_life: 6h)")
        }
        let thickness = try receipt.item.attributes["body_thickness"]?.first.map { text in
            guard let mm = Double(text), Reel.isPlausibleThickness(mm) else {
                throw CoreError.invalidInput("'\(text)' is not a package body thickness in mm (body_thickness: [1.2])")
            }
            return mm
        }
        let bakes = try receipt.item.attributes["max_bakes"]?.first.map { text in
            guard let count = Int(text), count >= 0 else {
                throw CoreError.invalidInput("'\(text)' is not a number of bakes (max_bakes: [2])")
            }
            return count
        }
        return Reel(
            id: receipt.lot, part: receipt.item.id, level: level, labelFloorLife: label, thickness: thickness,
            maxBakes: bakes)
    }

    /// Adds a reel of moisture-sensitive components, in dry storage.
    public static func add(_ reel: Reel, at site: any ModuleSite, now: Date) throws -> Reel {
        _ = try site.apply(try change(adding: reel, at: site, now: now))
        return reel
    }

    /// The records that add `reel`, checked but not written.
    static func change(adding reel: Reel, at site: any ModuleSite, now: Date) throws -> RecordChange {
        if reel.level == .level6, reel.labelFloorLife == nil {
            throw CoreError.invalidInput("a level 6 reel needs the floor life on its label (--label-floor-life)")
        }
        guard !reel.id.isEmpty, !reel.part.isEmpty else {
            throw CoreError.invalidInput("a reel needs an id and a part number")
        }
        if let thickness = reel.thickness, !Reel.isPlausibleThickness(thickness) {
            throw CoreError.invalidInput("reel \(reel.id): \(thickness) mm is not a package body thickness")
        }
        if let bakes = reel.maxBakes, bakes < 0 {
            throw CoreError.invalidInput("reel \(reel.id): the number of bakes allowed must not be negative")
        }
        guard reel.exposedSeconds >= 0, reel.exposedSeconds.isFinite else {
            throw CoreError.invalidInput("reel \(reel.id): exposure already used must not be negative")
        }
        if try site.latest(Reel.records, key: reel.id) != nil {
            throw CoreError.invalidInput("reel '\(reel.id)' already exists")
        }
        let write = try Reel.records.write(reel)
        return RecordChange(writes: [write], at: now, creates: [write])
    }

    /// Records a reel taken out of dry storage, put back, baked or used: the rules judge its floor life as it
    /// was before the event; baking lifts the reel's block. Returns the reel after the event and the findings.
    public static func record(_ event: ReelEvent, at site: any ModuleSite) throws -> (reel: Reel, findings: [Finding]) {
        guard let reel = try site.latest(Reel.records, key: event.reel) else {
            let known = try site.all(Reel.records).map(\.id)
            let hint = known.isEmpty ? "the site has none" : "known: " + known.sorted().joined(separator: ", ")
            throw CoreError.invalidInput("unknown reel '\(event.reel)' (\(hint))")
        }
        if let temperature = event.temperature, !(0...400).contains(temperature) {
            throw CoreError.invalidInput("reel \(reel.id): a bake at \(temperature) °C is not an oven temperature")
        }
        if let humidity = event.humidity, !(0...100).contains(humidity) {
            throw CoreError.invalidInput("reel \(reel.id): humidity \(humidity) % is not between 0 and 100")
        }
        if let duration = event.duration, duration.seconds <= 0 {
            throw CoreError.invalidInput("reel \(reel.id): a bake must last longer than 0")
        }
        let zone = site.definition.timeZone
        if let sealed = event.sealed, sealed > LocalDate(event.at, in: zone) {
            throw CoreError.invalidInput("reel \(reel.id): a bag sealed on \(sealed) cannot be opened before that")
        }
        let updated = try reel.applying(event, zone: zone)
        let fact = try ReelEvent.records.write(event)
        // Only a bake that qualified (J-STD-033 table 4-1; `applying` counted it) lifts the reel's block.
        let dried = updated.bakes > reel.bakes
        let findings = try site.apply(
            RecordChange(
                writes: [fact, try Reel.records.write(updated)], event: fact, at: event.at, by: event.by,
                workCentre: event.workCentre, lifts: dried ? [FindingAction(.blockReel, reel.id)] : [],
                basedOn: [try Reel.records.write(reel)]))
        return (updated, findings)
    }

    /// Reels that are not blocked.
    public static func usable(_ reels: [Reel], blocks: [Block]) -> [Reel] {
        let blocked = Set(blocks.filter { $0.kind == .blockReel }.map(\.target))
        return reels.filter { !blocked.contains($0.id) }
    }

    /// Stock of each moisture-sensitive part for planning: each usable reel with the floor life it has left at
    /// `from`, running if it is open (J-STD-033).
    static func stock(_ reels: [Reel], blocks: [Block], from: Date) -> [PartStock] {
        Dictionary(grouping: usable(reels, blocks: blocks), by: \.part).sorted { $0.key < $1.key }.map { part, reels in
            PartStock(
                part: part,
                units: reels.map {
                    .init(id: $0.id, remaining: $0.remainingFloorLife(at: from), running: $0.openedAt != nil)
                },
                unitName: "reel", limitName: "floor life", source: "J-STD-033", remedy: "bake one before planning",
                renewal: "bake the reel")
        }
    }
}
