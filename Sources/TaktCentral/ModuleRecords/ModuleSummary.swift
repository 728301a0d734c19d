import Foundation
import TaktCentralStore
import TaktCore

/// What a module's projection made of a site's module records: a titled list of lines on the site's page and
/// in `GET /v1/sites/{site}` (`modules`). Lines marked for attention make the site amber.
public struct ModuleSummary: Sendable, Codable, Hashable {
    /// The record kind it summarises (`electronics_assembly.reel`).
    public var kind: String
    public var title: String
    public var lines: [RecordProjection.Line]

    /// Runs each projection over the site's latest records of its kind. A record whose envelope or payload does
    /// not read is counted in `failures`, never dropped silently.
    static func load(
        _ projections: [RecordProjection], site: String, store: any CentralStorage, now: Date
    ) async throws -> (summaries: [ModuleSummary], failures: Int) {
        var summaries: [ModuleSummary] = []
        var failures = 0
        for projection in projections {
            let payloads = try await store.state(site: site, kind: projection.kind.rawValue)
            guard !payloads.isEmpty else { continue }
            var rows: [(version: Int, json: String)] = []
            for payload in payloads.keys.sorted().compactMap({ payloads[$0] }) {
                guard let envelope = try? RecordJSON.decode(Envelope.self, from: Data(payload.utf8)),
                    let json = try? RecordJSON.text(envelope.record)
                else {
                    failures += 1
                    continue
                }
                rows.append((envelope.version, json))
            }
            do {
                summaries.append(
                    ModuleSummary(
                        kind: projection.kind.rawValue, title: projection.title,
                        lines: try projection.lines(for: rows, now: now)))
            } catch {
                // One undecodable record spoils the whole summary: count them all as unreadable.
                failures += rows.count
            }
        }
        return (summaries, failures)
    }

    /// A module record as the outbox carries it.
    struct Envelope: Decodable {
        var record: JSONValue
        var version: Int
    }
}
