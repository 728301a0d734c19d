import ArgumentParser
import Foundation
import TaktCore
import TaktHost

/// `takt reels`: moisture-sensitive component reels and their floor-life exposure.
struct ReelsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "reels", abstract: "Track moisture-sensitive reels: add, open, store, bake, use, list.",
        subcommands: [List.self, Add.self, Event.self], defaultSubcommand: List.self)

    struct List: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List reels with their exposure now.")

        @OptionGroup var site: SiteOptions
        @OptionGroup var output: OutputOptions
        @Option(help: "Judge exposure at this instant (site-local); now when absent.") var at: String?

        func run() throws {
            let host = try site.open()
            let instant = try parseInstant(at, option: "--at", in: host.definition.timeZone)
            let reels = try host.reels()
            let blocked = Set(try host.activeBlocks().filter { $0.kind == .blockReel }.map(\.target))
            let rows = reels.map {
                Row(
                    reel: $0, exposureHours: ($0.exposure(at: instant) / 3600 * 100).rounded() / 100,
                    inDryStorage: $0.openedAt == nil, blocked: blocked.contains($0.id))
            }
            if output.json { return try output.print(json: rows) }
            if rows.isEmpty { print("no reels") }
            for row in rows {
                print(
                    "\(row.reel.id)  \(row.reel.part)  MSL \(row.reel.level.rawValue)  exposure \(row.exposureHours) h  "
                        + (row.inDryStorage ? "in dry storage" : "on the floor") + (row.blocked ? "  BLOCKED" : ""))
            }
        }

        struct Row: Encodable {
            var reel: Reel
            var exposureHours: Double
            var inDryStorage: Bool
            var blocked: Bool
        }
    }

    struct Add: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Add a reel, in dry storage.")

        @OptionGroup var site: SiteOptions
        @Option(help: "The reel id.") var id: String
        @Option(help: "The part number.") var part: String
        @Option(help: "Moisture sensitivity level: 1, 2, 2a, 3, 4, 5, 5a or 6.") var level: MoistureLevel
        @Option(name: .customLong("label-floor-life"), help: "For level 6: the floor life on the label (e.g. 6h).")
        var labelFloorLife: DurationArgument?
        @Option(name: .customLong("exposed"), help: "Exposure already used (e.g. 12h); 0 when absent.")
        var exposed: DurationArgument?
        @OptionGroup var output: OutputOptions

        func run() throws {
            let host = try site.open()
            let reel = Reel(
                id: id, part: part, level: level, labelFloorLife: labelFloorLife.map { TimeSpan(seconds: $0.seconds) },
                exposedSeconds: Double(exposed?.seconds ?? 0))
            try host.addReel(reel, at: Date())
            if output.json { return try output.print(json: reel) }
            print("added reel \(id) (MSL \(level.rawValue)), in dry storage")
        }
    }

    struct Event: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "record",
            abstract: "Record a reel taken out of dry storage (open), put back (store), baked (bake) or used (use).")

        @OptionGroup var site: SiteOptions
        @OptionGroup var output: OutputOptions
        @Argument(help: "open, store, bake or use.") var kind: ReelEvent.Kind
        @Option(help: "The reel id.") var id: String
        @Option(name: .customLong("work-centre"), help: "Where it is used.") var workCentre: String?
        @Option(help: "Staff id.") var by: String?
        @Option(help: "When (site-local); now when absent.") var at: String?

        func run() throws {
            let host = try site.open()
            let instant = try parseInstant(at, option: "--at", in: host.definition.timeZone)
            let result = try host.record(ReelEvent(reel: id, kind: kind, workCentre: workCentre, by: by, at: instant))
            if output.json { return try output.print(json: result.findings) }
            print("reel \(id): \(kind.rawValue), exposure \(Int(result.reel.exposure(at: instant) / 60)) min")
            for finding in result.findings {
                print(FindingsCommand.line(for: finding, timeZone: host.definition.timeZone))
            }
        }
    }
}

extension MoistureLevel: ExpressibleByArgument {}
extension ReelEvent.Kind: ExpressibleByArgument {}
