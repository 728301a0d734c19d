import ArgumentParser
import Foundation
import TaktCentral
import TaktCentralStore
import TaktCore

/// `takt central extensions`: publish signed extension modules to sites or a region; list what is published.
struct CentralExtensionsCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "extensions", abstract: "Publish signed extension modules to sites; list what each site gets.",
        subcommands: [List.self, Publish.self], defaultSubcommand: List.self)

    struct Publish: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Publish a signed module (takt extension sign) to sites or a region; versions never go back.")
        @OptionGroup var central: CentralCommand.CentralOptions
        @Option(help: "The .wasm file.", completion: .file(extensions: ["wasm"])) var module: String
        @Option(help: "Its signature file (MODULE.wasm.sig when absent).", completion: .file()) var signature: String?
        @Option(name: .customLong("site-id"), help: "A site to publish to (repeat for more).") var sites: [String] = []
        @Option(help: "Every site of this region.") var region: String?
        @Option(help: "Who publishes it.") var by: String

        func run() async throws {
            let (configuration, _) = try central.load()
            var targets = sites
            if let region {
                guard let entry = configuration.regions.first(where: { $0.id == region }) else {
                    throw CommandFailure(message: "no region '\(region)' in \(central.config)", code: 2)
                }
                targets += entry.sites.map(\.id)
            }
            for site in targets where !configuration.sites.contains(where: { $0.site.id == site }) {
                throw CommandFailure(message: "no site '\(site)' in \(central.config)", code: 2)
            }
            guard let data = FileManager.default.contents(atPath: module) else {
                throw CommandFailure(message: "\(module): cannot read it", code: 2)
            }
            let signatureFile = signature ?? module + ".sig"
            guard let signed = try? String(contentsOfFile: signatureFile, encoding: .utf8) else {
                throw CommandFailure(message: "\(signatureFile): cannot read it (takt extension sign)", code: 2)
            }
            let (chosen, person) = (Array(Set(targets)).sorted(), by)
            do {
                let release = try await central.withStore { store in
                    try await ExtensionPublishing.publish(
                        module: data, signature: signed, sites: chosen, by: person, at: Date(), store: store)
                }
                print("published \(release.id) \(release.version) to \(chosen.joined(separator: ", "))")
            } catch let refusal as ExtensionPublishing.Refusal {
                throw CommandFailure(message: "\(refusal.description); nothing published", code: 2)
            }
        }
    }

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "The newest release of each extension per site.")
        @OptionGroup var central: CentralCommand.CentralOptions
        @OptionGroup var output: OutputOptions

        func run() async throws {
            let (configuration, _) = try central.load()
            let sites = configuration.sites.map(\.site.id)
            struct Row: Encodable {
                var site: String
                var id: String
                var version: String
                var publishedBy: String
                var publishedAt: Date
            }
            let rows = try await central.withStore { store in
                var rows: [Row] = []
                for site in sites {
                    for release in ExtensionPublishing.newest(try await store.extensionReleases(site: site)) {
                        rows.append(
                            Row(
                                site: site, id: release.id, version: release.version, publishedBy: release.publishedBy,
                                publishedAt: release.publishedAt))
                    }
                }
                return rows
            }
            if output.json { return try output.print(json: rows) }
            if rows.isEmpty { return print("no extensions published") }
            for row in rows {
                print("\(row.site): \(row.id) \(row.version), by \(row.publishedBy) at \(Instant.iso(row.publishedAt))")
            }
        }
    }
}
