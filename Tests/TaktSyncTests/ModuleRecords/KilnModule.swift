import Foundation
import TaktCore

/// A module that exists only in the tests: a pottery's kilns. It declares two record kinds (a kiln's limit as
/// latest state; each firing as a fact, at version 2 since its `temp` field was renamed), a rule that reads the
/// kilns through the rule context, a command, and a projection for central — everything a company's own module
/// built outside this repository could do.
struct KilnModule: SiteModule {
    static let id: ModuleID = "test_kiln"
    static let summary = "Kilns (test module)"

    struct Configuration: Codable, Sendable {}

    init(configuration: Configuration) {}

    struct Kiln: Codable, Sendable, Hashable {
        var id: String
        var maximum: Double
    }

    struct Firing: Codable, Sendable, Hashable {
        var kiln: String
        var temperature: Double
        var at: Date
    }

    static let kilns = RecordKind<Kiln>.state("test_kiln.kiln", key: \.id)
    /// Version 1 called the temperature `temp`; the migration `test_kiln.firing.v2` renames it.
    static let firings = RecordKind<Firing>.fact(
        "test_kiln.firing", version: 2, at: \.at, indexes: ["kiln"], upgrades: [.rename("temp", to: "temperature")])

    static var records: [AnyRecordKind] { [kilns.erased, firings.erased] }

    static var commands: [ModuleCommand] {
        [
            ModuleCommand(
                "kilns", abstract: "Kilns and their firings.",
                subcommands: [
                    ModuleCommand(
                        "add", abstract: "Add a kiln.",
                        arguments: [
                            .option("id", help: "The kiln.", required: true),
                            .option("maximum", help: "Its highest safe temperature.", required: true),
                        ]
                    ) { input, site in
                        guard let maximum = Double(try input.required("maximum")) else {
                            throw CoreError.invalidArgument(name: "--maximum", message: "is not a number")
                        }
                        let kiln = Kiln(id: try input.required("id"), maximum: maximum)
                        _ = try site.apply(RecordChange(writes: [try kilns.write(kiln)], at: site.now()))
                        return CommandOutput(json: kiln, lines: ["added kiln \(kiln.id)"])
                    },
                    ModuleCommand(
                        "fire", abstract: "Record a firing.",
                        arguments: [
                            .option("kiln", help: "The kiln.", required: true),
                            .option("temperature", help: "The peak temperature.", required: true),
                            .option("at", help: "When."),
                        ]
                    ) { input, site in
                        let firing = Firing(
                            kiln: try input.required("kiln"),
                            temperature: Double(try input.required("temperature")) ?? .nan,
                            at: try input.instant("at", fallback: site.now()))
                        let write = try firings.write(firing)
                        let findings = try site.apply(RecordChange(writes: [write], event: write, at: firing.at))
                        return CommandOutput(json: findings, lines: findings.map(\.message))
                    },
                ])
        ]
    }

    static var projections: [RecordProjection] {
        [
            RecordProjection(kilns, title: "Kilns") { kilns, _ in
                [
                    .init(label: "kilns", value: "\(kilns.count)"),
                    .init(
                        label: "hottest limit", value: "\(Int(kilns.map(\.maximum).max() ?? 0)) °C",
                        attention: kilns.contains { $0.maximum > 1300 }),
                ]
            }
        ]
    }

    func register(into book: inout RuleBook) throws(CoreError) {
        try book.addSafety(OverTemperature())
    }

    /// A firing above its kiln's limit blocks the kiln.
    struct OverTemperature: EventRule {
        let id: RuleID = "test_kiln.over_temperature"
        let summary = "A firing above the kiln's limit blocks it"
        var reads: [RecordRead] { [.latest(KilnModule.kilns)] }

        func evaluate(_ event: SiteEvent, in context: RuleContext) -> [Finding] {
            guard case .record(let record) = event, let firing = record.value(as: KilnModule.firings) else { return [] }
            guard let kiln = context.records.latest(KilnModule.kilns, key: firing.kiln) else {
                return [
                    Finding(
                        rule: id, severity: .major, subject: .init(.init(rawValue: "kiln"), firing.kiln),
                        message: "firing in unknown kiln \(firing.kiln)", raisedAt: firing.at)
                ]
            }
            guard firing.temperature > kiln.maximum else { return [] }
            return [
                Finding(
                    rule: id, severity: .critical, subject: .init(.init(rawValue: "kiln"), kiln.id),
                    message: "kiln \(kiln.id) fired at \(firing.temperature) °C, above its \(kiln.maximum) °C",
                    actions: [FindingAction(.block(of: "kiln"), kiln.id)], raisedAt: firing.at)
            ]
        }
    }
}
