import Foundation
import TaktCore

/// `takt reels`: moisture-sensitive component reels and their floor-life exposure.
enum ReelsCommand {
    static let command = ModuleCommand(
        "reels", abstract: "Track moisture-sensitive reels: add, open, store, bake, use, list, history.",
        subcommands: [list, add, record, history], defaultSubcommand: "list")

    /// A reel as `takt reels list` shows it.
    struct Row: Encodable, Sendable {
        var reel: Reel
        var exposureHours: Double
        var inDryStorage: Bool
        var blocked: Bool
    }

    static let list = ModuleCommand(
        "list", abstract: "List reels with their exposure now.",
        arguments: [.option("at", help: "Judge exposure at this instant (site-local); now when absent.")]
    ) { input, site in
        let instant = try input.instant("at", fallback: site.now())
        let blocked = Set(try site.activeBlocks().filter { $0.kind == .blockReel }.map(\.target))
        let rows = try site.all(Reel.records).map {
            Row(
                reel: $0, exposureHours: ($0.exposure(at: instant) / 3600 * 100).rounded() / 100,
                inDryStorage: $0.stored, blocked: blocked.contains($0.id))
        }
        let lines =
            rows.isEmpty
            ? ["no reels"]
            : rows.map { row in
                "\(row.reel.id)  \(row.reel.part)  MSL \(row.reel.level.rawValue)  exposure \(row.exposureHours) h  "
                    + (row.reel.storedHumid
                        ? "in a humid cabinet, clock running" : row.inDryStorage ? "in dry storage" : "on the floor")
                    + (row.reel.wet ? "  WET (bake)" : "") + (row.blocked ? "  BLOCKED" : "")
            }
        return CommandOutput(json: rows, lines: lines)
    }

    static let add = ModuleCommand(
        "add", abstract: "Add a reel, in dry storage.",
        arguments: [
            .option("id", help: "The reel id.", required: true),
            .option("part", help: "The part number.", required: true),
            .option(
                "level", help: "Moisture sensitivity level: 1, 2, 2a, 3, 4, 5, 5a or 6.", required: true,
                choices: MoistureLevel.allCases.map(\.rawValue)),
            .option("label-floor-life", help: "For level 6: the floor life on the label (e.g. 6h)."),
            .option("exposed", help: "Exposure already used (e.g. 12h); 0 when absent."),
            .option("thickness", help: "Package body thickness in mm (picks the bake's row of J-STD-033 table 4-1)."),
            .option("max-bakes", help: "How many bakes the supplier allows; no limit when absent."),
        ]
    ) { input, site in
        let reel = Reel(
            id: try input.required("id"), part: try input.required("part"),
            level: try input.choice("level", as: MoistureLevel.self),
            labelFloorLife: try input.duration("label-floor-life"),
            exposedSeconds: Double(try input.duration("exposed")?.seconds ?? 0),
            thickness: try input.number("thickness"),
            maxBakes: try input.integer("max-bakes"))
        let added = try Reels.add(reel, at: site, now: site.now())
        return CommandOutput(
            json: added, lines: ["added reel \(added.id) (MSL \(added.level.rawValue)), in dry storage"])
    }

    static let record = ModuleCommand(
        "record",
        abstract: "Record a reel taken out of dry storage (open), put back (store), baked (bake) or used (use).",
        arguments: [
            .positional("event", help: "open, store, bake or use.", choices: ReelEvent.Kind.allCases.map(\.rawValue)),
            .option("id", help: "The reel id.", required: true),
            .option("work-centre", help: "Where it is used."),
            .option("by", help: "Staff id."),
            .option("at", help: "When (site-local; for a bake, when it ended); now when absent."),
            .option("temperature", help: "A bake's oven temperature in °C (125, 90 or 40 in J-STD-033 table 4-1)."),
            .option("duration", help: "How long the bake lasted (9h, 2d)."),
            .option(
                "humidity",
                help:
                    "% RH: the oven's for a bake at 90 or 40 °C; the humidity indicator card's on opening the bag; the cabinet's on storing."
            ),
            .option("sealed", help: "On opening the bag: the seal date printed on it (2026-05-01)."),
            .flag("per-label", help: "The bake follows the label or the supplier's condition (level 6, thick parts)."),
        ]
    ) { input, site in
        let instant = try input.instant("at", fallback: site.now())
        let kind = try input.choice("event", as: ReelEvent.Kind.self)
        let id = try input.required("id")
        let result = try Reels.record(
            ReelEvent(
                reel: id, kind: kind, workCentre: input.string("work-centre"), by: input.string("by"), at: instant,
                temperature: try input.number("temperature"), duration: try input.duration("duration"),
                humidity: try input.number("humidity"), sealed: try input.date("sealed"),
                perLabel: input.flag("per-label") ? true : nil),
            at: site)
        let zone = site.definition.timeZone
        return CommandOutput(
            json: result.findings,
            lines: ["reel \(id): \(kind.rawValue), exposure \(Int(result.reel.exposure(at: instant) / 60)) min"]
                + result.findings.map { $0.text(in: zone) })
    }

    static let history = ModuleCommand(
        "history", abstract: "What happened to one reel, oldest first.",
        arguments: [.option("id", help: "The reel id.", required: true)]
    ) { input, site in
        let id = try input.required("id")
        guard try site.latest(Reel.records, key: id) != nil else {
            throw CoreError.invalidInput("unknown reel '\(id)'")
        }
        let events = try site.records(ReelEvent.records, where: "reel", equals: id)
        let zone = site.definition.timeZone
        return CommandOutput(
            json: events,
            lines: events.isEmpty
                ? ["reel \(id): nothing recorded yet"]
                : events.map { event in
                    "\(Instant.format(event.at, in: zone))  \(event.kind.rawValue)"
                        + (event.workCentre.map { " at \($0)" } ?? "") + (event.by.map { " by \($0)" } ?? "")
                })
    }
}
