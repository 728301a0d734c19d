import ArgumentParser
import Foundation
import TaktCore
import TaktHost

extension Meter: ExpressibleByArgument {}

/// `takt maintenance`: when routine maintenance falls due, meters, and work orders.
struct MaintenanceCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "maintenance", abstract: "Routine maintenance that falls due, asset meters, and work orders.",
        subcommands: [Due.self, MeterReading.self, WorkOrders.self, ReliabilityReport.self], defaultSubcommand: Due.self
    )

    struct ReliabilityReport: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "reliability",
            abstract: "Mean time between failures and to repair, per work centre, from breakdown work orders.")
        @OptionGroup var site: SiteOptions
        @OptionGroup var output: OutputOptions
        @Option(help: "From (site-local); 90 days ago when absent.") var from: String?
        @Option(help: "To (site-local); now when absent.") var to: String?

        func run() throws {
            let host = try site.open()
            let period = try parsePeriod(from: from, to: to, days: 90, in: host.definition.timeZone)
            let rows = try host.reliability(in: period)
            if output.json { return try output.print(json: rows) }
            for row in rows {
                print(
                    "\(row.asset): \(String(format: "%.1f", row.runHours)) run hours, \(row.breakdowns) breakdown(s); "
                        + "MTBF " + (row.mtbfHours.map { String(format: "%.1f h", $0) } ?? "n/a") + ", MTTR "
                        + (row.mttrHours.map { String(format: "%.1f h", $0) } ?? "n/a"))
            }
        }
    }

    struct Due: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Every maintenance plan: last done, when it falls due and why, its meters, overdue ones marked.")
        @OptionGroup var site: SiteOptions
        @OptionGroup var output: OutputOptions
        @Option(help: "As of this time (site-local); now when absent.") var at: String?

        func run() throws {
            let host = try site.open()
            let zone = host.definition.timeZone
            let due = try host.maintenanceDue(at: try parseInstant(at, option: "--at", in: zone))
            if output.json { return try output.print(json: due) }
            if due.isEmpty { print("no maintenance plans (maintenance.plans in site.yaml)") }
            for plan in due {
                let meters: [String] = plan.meters.map { status in
                    let now = CriticalLimits.format((status.now * 10).rounded() / 10)
                    return "\(status.meter.name) \(now)/\(CriticalLimits.format((status.due * 10).rounded() / 10))"
                }
                var line = "\(plan.overdue ? "OVERDUE " : "")\(plan.plan) on \(plan.asset): \(plan.task); "
                if let dueAt = plan.dueAt {
                    line += "due \(Instant.format(dueAt, in: zone)) (\(plan.trigger ?? ""))"
                } else {
                    line += "no due date yet (its meters are not moving)"
                }
                if !meters.isEmpty { line += "; " + meters.joined(separator: ", ") }
                line += "; last done " + (plan.lastDone.map { Instant.format($0, in: zone) } ?? "never")
                print(line)
            }
        }
    }

    struct MeterReading: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "meter",
            abstract: "An asset's meters (they follow production reports), or a manual reading with --value.")
        @OptionGroup var site: SiteOptions
        @OptionGroup var output: OutputOptions
        @Option(help: "The asset (a work centre).") var asset: String
        @Option(help: "run_hours or units (with --value).") var meter: Meter?
        @Option(help: "What the meter reads.") var value: Double?
        @Flag(help: "The meter was replaced: a reading below the last one is the new meter's.") var replaced = false
        @Option(help: "Staff id.") var by: String?
        @Option(help: "When; now when absent.") var at: String?

        func run() throws {
            let host = try site.open()
            let instant = try parseInstant(at, option: "--at", in: host.definition.timeZone)
            if let value {
                guard let meter else { throw ValidationError("--value needs --meter run_hours or units") }
                try host.recordMeter(asset: asset, meter: meter, value: value, replaced: replaced, by: by, at: instant)
            }
            let meters = try host.meters(asset: asset, at: instant)
            if output.json {
                return try output.print(
                    json: Dictionary(uniqueKeysWithValues: meters.map { ($0.key.rawValue, $0.value) }))
            }
            for (meter, reading) in meters.sorted(by: { $0.key < $1.key }) {
                print("\(asset) \(meter.name): \(CriticalLimits.format((reading * 10).rounded() / 10))")
            }
        }
    }

    struct WorkOrders: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "work-orders",
            abstract: "Work orders: list, open, start (after lock-out), wait for parts, done.",
            subcommands: [List.self, Open.self, Start.self, Wait.self, Done.self], defaultSubcommand: List.self)

        struct List: ParsableCommand {
            static let configuration = CommandConfiguration(abstract: "Work orders not done (all with --all).")
            @OptionGroup var site: SiteOptions
            @OptionGroup var output: OutputOptions
            @Option(help: "Only this asset's.") var asset: String?
            @Flag(help: "Done ones too.") var all = false

            func run() throws {
                let host = try site.open()
                let orders = try host.workOrders(openOnly: !all, asset: asset)
                if output.json { return try output.print(json: orders) }
                if orders.isEmpty { print("no work orders") }
                for order in orders { print(WorkOrders.line(order, host.definition.timeZone)) }
            }
        }

        struct Open: ParsableCommand {
            static let configuration = CommandConfiguration(
                abstract: "Open a work order: for a plan (--plan) or a breakdown (--description).")
            @OptionGroup var site: SiteOptions
            @OptionGroup var output: OutputOptions
            @Option(help: "The asset; the plan's when --plan is given.") var asset: String?
            @Option(help: "The maintenance plan it carries out (preventive).") var plan: String?
            @Option(help: "What is wrong, or what to do.") var description: String?
            @Option(help: "Staff id.") var by: String?
            @Option(help: "When; now when absent.") var at: String?

            func run() throws {
                let host = try site.open()
                let asset =
                    asset ?? plan.flatMap { id in host.definition.maintenancePlans.first { $0.id == id }?.asset }
                guard let asset else { throw ValidationError("give --asset (or --plan)") }
                let order = try host.openWorkOrder(
                    asset: asset, kind: plan == nil ? .corrective : .preventive, plan: plan,
                    description: description ?? "", by: by,
                    at: try parseInstant(at, option: "--at", in: host.definition.timeZone))
                if output.json { return try output.print(json: order) }
                print("opened " + WorkOrders.line(order, host.definition.timeZone))
            }
        }

        struct Start: ParsableCommand {
            static let configuration = CommandConfiguration(
                abstract: "Start work; where the site's modules require lock-out/tag-out, after its passing check.")
            @OptionGroup var site: SiteOptions
            @OptionGroup var output: OutputOptions
            @Argument(help: "The work order.") var id: String
            @Option(help: "Staff id.") var by: String?
            @Option(help: "When; now when absent.") var at: String?

            func run() throws {
                let host = try site.open()
                let order = try host.startWorkOrder(
                    id, by: by, at: try parseInstant(at, option: "--at", in: host.definition.timeZone))
                if output.json { return try output.print(json: order) }
                print(WorkOrders.line(order, host.definition.timeZone))
            }
        }

        struct Wait: ParsableCommand {
            static let configuration = CommandConfiguration(abstract: "Stop work until spare parts come.")
            @OptionGroup var site: SiteOptions
            @OptionGroup var output: OutputOptions
            @Argument(help: "The work order.") var id: String

            func run() throws {
                let host = try site.open()
                let order = try host.waitForParts(id, at: Date())
                if output.json { return try output.print(json: order) }
                print(WorkOrders.line(order, host.definition.timeZone))
            }
        }

        struct Done: ParsableCommand {
            static let configuration = CommandConfiguration(
                abstract:
                    "Finish a work order: time spent, parts used (from stock), and a breakdown's cause and remedy.")
            @OptionGroup var site: SiteOptions
            @OptionGroup var output: OutputOptions
            @Argument(help: "The work order.") var id: String
            @Option(help: "Minutes spent.") var minutes: Double
            @Option(help: "A spare part used, ITEM=QUANTITY (repeatable); the plan's parts when absent.") var part:
                [String] = []
            @Option(help: "What caused the breakdown.") var cause: String?
            @Option(help: "What was done about it.") var remedy: String?
            @Option(help: "Staff id.") var by: String?
            @Option(help: "When; now when absent.") var at: String?

            func run() throws {
                let host = try site.open()
                let parts = try part.map { entry -> PartUse in
                    let pieces = entry.split(separator: "=", maxSplits: 1).map(String.init)
                    guard pieces.count == 2, let quantity = Double(pieces[1]) else {
                        throw ValidationError("--part '\(entry)': write ITEM=QUANTITY, e.g. burner-nozzle=1")
                    }
                    return PartUse(item: pieces[0], quantity: quantity)
                }
                let order = try host.completeWorkOrder(
                    id, minutes: minutes, parts: parts.isEmpty ? nil : parts, cause: cause, remedy: remedy, by: by,
                    at: try parseInstant(at, option: "--at", in: host.definition.timeZone))
                if output.json { return try output.print(json: order) }
                print(WorkOrders.line(order, host.definition.timeZone))
            }
        }

        static func line(_ order: WorkOrder, _ zone: TimeZone) -> String {
            "\(order.id) \(order.kind.rawValue) on \(order.asset): \(order.description); "
                + order.status.rawValue.replacingOccurrences(of: "_", with: " ")
                + ", opened \(Instant.format(order.openedAt, in: zone))"
                + (order.doneAt.map { ", done \(Instant.format($0, in: zone))" } ?? "")
                + (order.minutes.map { ", \(CriticalLimits.format($0)) min" } ?? "")
        }
    }
}

/// `takt assets`: every work centre as an asset — its meters, maintenance plans, open work orders and instruments.
struct AssetsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "assets", abstract: "Every work centre as an asset: meters, maintenance plans, open work orders.")
    @OptionGroup var site: SiteOptions
    @OptionGroup var output: OutputOptions

    struct Asset: Encodable {
        var id: String
        var name: String
        var meters: [String: Double]
        var equipment: [Equipment]
        var plans: [MaintenanceDue]
        var openWorkOrders: [WorkOrder]
    }

    func run() throws {
        let host = try site.open()
        let now = Date()
        let due = try host.maintenanceDue(at: now)
        let open = try host.workOrders(openOnly: true)
        let assets = try host.definition.workCentres.map { centre in
            Asset(
                id: centre.id, name: centre.name,
                meters: Dictionary(
                    uniqueKeysWithValues: try host.meters(asset: centre.id, at: now).map { ($0.key.rawValue, $0.value) }
                ),
                equipment: host.definition.equipment.values.filter { $0.workCentre == centre.id }.sorted {
                    $0.id < $1.id
                },
                plans: due.filter { $0.asset == centre.id }, openWorkOrders: open.filter { $0.asset == centre.id })
        }
        if output.json { return try output.print(json: assets) }
        let zone = host.definition.timeZone
        for asset in assets {
            let meters = asset.meters.sorted { $0.key < $1.key }.map {
                "\($0.key.replacingOccurrences(of: "_", with: " ")) \(CriticalLimits.format(($0.value * 10).rounded() / 10))"
            }
            print("\(asset.id) (\(asset.name)): \(meters.joined(separator: ", "))")
            for part in asset.equipment { print("  equipment \(part.id) (\(part.name))") }
            for plan in asset.plans {
                print(
                    "  plan \(plan.plan)\(plan.equipment.map { " (\($0))" } ?? ""): \(plan.task), "
                        + (plan.dueAt.map { "due \(Instant.format($0, in: zone))" } ?? "no due date yet")
                        + (plan.overdue ? " (OVERDUE)" : ""))
            }
            for order in asset.openWorkOrders { print("  " + MaintenanceCommand.WorkOrders.line(order, zone)) }
        }
    }
}
