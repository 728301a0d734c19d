import ArgumentParser
import Foundation
import TaktCentral
import TaktCentralStore
import TaktCore
import TaktHost

/// `takt central rollups`: central's daily KPIs per site, kept at ingest; rebuilt from the records on demand.
struct RollupsCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "rollups", abstract: "Central's daily KPIs per site: show them, or rebuild them from records.",
        subcommands: [Show.self, Rebuild.self], defaultSubcommand: Show.self)

    /// Rebuilds every configured site's roll-ups when the store says they are stale (right after the migration
    /// that introduced them); returns how many sites, or nil when nothing was stale.
    static func rebuildIfStale(
        _ store: any CentralStorage, configuration: CentralConfiguration, zones: [String: TimeZone]
    ) async throws -> Int? {
        guard try await store.meta("rollups_stale") != nil else { return nil }
        let sites = configuration.sites.map(\.site.id)
        for site in sites {
            try await store.rebuildRollups(
                site: site, zone: zones[site] ?? .gmt, from: try await earliest(store, zones[site] ?? .gmt))
        }
        try await store.setMeta("rollups_stale", nil)
        return sites.count
    }

    /// The first day a rebuild can recompute: every day when no records were archived, else the first day all of
    /// whose records are still kept.
    static func earliest(_ store: any CentralStorage, _ zone: TimeZone) async throws -> LocalDate? {
        guard let text = try await store.meta("archived_before"), let seconds = Double(text) else { return nil }
        return LocalDate(Date(timeIntervalSince1970: seconds).addingTimeInterval(3 * 86_400), in: zone)
    }

    struct Rebuild: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Recompute the daily roll-ups from the stored records (all sites, or one).",
            discussion: """
                Days before the oldest kept record (see retention_days and `takt central archive`) are kept as they \
                are: roll-ups outlive the records they summarise.
                """)
        @OptionGroup var central: CentralCommand.CentralOptions
        @Option(name: .customLong("site-id"), help: "Only this site.") var site: String?
        @OptionGroup var output: OutputOptions

        struct Rebuilt: Encodable {
            var site: String
            var records: Int
            var from: LocalDate?
        }

        func run() async throws {
            let (configuration, base) = try central.load()
            let ids = configuration.sites.map(\.site.id)
            if let site, !ids.contains(site) {
                throw CommandFailure(message: "unknown site '\(site)' in \(central.config)", code: 2)
            }
            let zones = try CentralCommand.validation(configuration, base: base).timeZones()
            let chosen = site.map { [$0] } ?? ids
            let results = try await central.withStore { store in
                var results: [Rebuilt] = []
                for id in chosen {
                    let zone = zones[id] ?? .gmt
                    let from = try await RollupsCommand.earliest(store, zone)
                    results.append(
                        Rebuilt(
                            site: id, records: try await store.rebuildRollups(site: id, zone: zone, from: from),
                            from: from))
                }
                try await store.setMeta("rollups_stale", nil)
                return results
            }
            if output.json { return try output.print(json: results) }
            for result in results {
                print(
                    "\(result.site): rebuilt from \(result.records) record(s)\(result.from.map { ", days from \($0)" } ?? "")"
                )
            }
        }
    }

    struct Show: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "A site's daily KPIs over the last days.")
        @OptionGroup var central: CentralCommand.CentralOptions
        @Option(name: .customLong("site-id"), help: "The site's id in central.yaml.") var site: String
        @Option(help: "Days up to and including today (1–731).") var days: Int = 7
        @OptionGroup var output: OutputOptions

        func validate() throws {
            if !(1...731).contains(days) { throw ValidationError("--days must be 1 to 731, not \(days)") }
        }

        func run() async throws {
            let (configuration, base) = try central.load()
            guard configuration.sites.contains(where: { $0.site.id == site }) else {
                throw CommandFailure(message: "unknown site '\(site)' in \(central.config)", code: 2)
            }
            let zone = try CentralCommand.validation(configuration, base: base).timeZones()[site] ?? .gmt
            let today = LocalDate(Date(), in: zone)
            let first = LocalDate(Date().addingTimeInterval(-Double(days - 1) * 86_400), in: zone)
            let (id, rows) = (site, days)
            let kpis = try await central.withStore { store in try await store.daily(site: id, from: first, to: today) }
            if output.json { return try output.print(json: kpis) }
            print("\(id), last \(rows) day(s) (\(zone.identifier)):")
            print("day         OEE    adherence  findings  critical  checks  missed  holds  incidents  cost")
            func percent(_ value: Double?) -> String { value.map { String(format: "%5.1f%%", $0 * 100) } ?? "   n/a" }
            for day in kpis {
                print(
                    "\(day.day)  \(percent(day.oee?.value))  \(percent(day.adherence))     "
                        + String(
                            format: "%8d  %8d  %6d  %6d  %5d  %9d  %.2f", day.findingsRaised, day.findingsCritical,
                            day.checksRecorded, day.checksMissed, day.lotsHeld, day.incidents, day.cost))
            }
            if kpis.isEmpty { print("no roll-ups in these days") }
        }
    }
}
