import Foundation
import Testing

@testable import BuiltinModules
@testable import TaktCore
@testable import TaktHost
@testable import TaktScheduling
@testable import TaktStore

/// Maintenance at a bakery: the oven's burner is serviced every 30 days or 10 run hours, whichever comes first;
/// production reports move its meter; work on the oven starts only after lock-out/tag-out is recorded.
@Suite struct MaintenanceTests {
    static let zone = TimeZone(identifier: "UTC")!
    static let monday = Instant.parse("2026-11-30T06:00", in: zone)!
    static let site = """
        site: {id: leeds, name: Leeds, region: uk, time_zone: UTC, country: GB-ENG, currency: GBP}
        modules:
          food_processing: {}
        work_centres: [{id: oven-1}]
        downtime_reasons: [breakdown, changeover, {id: no_material, loss: minor_stops}, {id: planned_clean, loss: setup, planned: true}]
        products:
          - {id: loaf, routing: [{id: bake, work_centres: [oven-1], units_per_hour: 100}]}
        staff:
          - {id: ravi, name: Ravi, skills: [loto_trained]}
        items:
          - {id: nozzle, name: Burner nozzle, unit: pcs}
        suppliers:
          - {id: burners-ltd, items: {nozzle: approved}}
        maintenance:
          plans:
            - {id: burner-service, asset: oven-1, task: Service the burner, every: 30d, run_hours: 10, duration: 2h,
               parts: [{item: nozzle, quantity: 1}], tolerance: 1d}
        """

    func host(_ text: String = Self.site) throws -> SiteHost {
        let definition = try SiteLoader(registry: try BuiltinModules.registry()).load(text: text, file: "site.yaml")
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("wo-\(UUID().uuidString).sqlite")
        return SiteHost(
            definition: definition,
            store: try SiteStore(path: path.path, siteID: "leeds", recordKinds: definition.recordKinds),
            clock: { Self.monday.addingTimeInterval(30 * 86_400) })
    }

    func at(_ hours: Double) -> Date { Self.monday.addingTimeInterval(hours * 3600) }

    @Test func aMeterPlanComesDueFromProductionAndItsWorkOrderNeedsLockOut() throws {
        let host = try host()
        _ = try host.receive(
            .init(lot: "N-1", item: "nozzle", quantity: 2, supplier: "burners-ltd", supplierLot: "B7", at: at(0)))
        // Three 4-hour runs: 12 run hours, past the plan's 10.
        for run in 0..<3 {
            let start = at(Double(run) * 4)
            _ = try host.reportProduction(
                workCentre: "oven-1", product: "loaf", order: nil, good: 380, scrap: 20, from: start,
                to: start.addingTimeInterval(4 * 3600), down: TimeSpan(seconds: 0))
        }
        #expect(try host.meters(asset: "oven-1", at: at(12)) == [.runHours: 12, .units: 1200])
        // Reached at the end of the third run (10 run hours lie inside it).
        let due = try #require(try host.maintenanceDue(at: at(13)).first)
        #expect(due.dueAt == at(12) && due.trigger?.contains("run hours: reached") == true && !due.overdue)
        // Two days on, past the one-day tolerance: one finding, however often the sweep runs.
        let late = try host.sweep(at: at(60))
        #expect(late.map(\.rule.rawValue) == ["site.maintenance.overdue"])
        #expect(try host.sweep(at: at(61)).allSatisfy { $0.rule.rawValue != "site.maintenance.overdue" })

        let order = try host.openWorkOrder(
            asset: "oven-1", kind: .preventive, plan: "burner-service", description: "", by: "ravi", at: at(61))
        #expect(order.description == "Service the burner" && order.parts == [PartUse(item: "nozzle", quantity: 1)])
        // No lock-out recorded: work does not start.
        #expect(throws: HostError.self) { try host.startWorkOrder(order.id, by: "ravi", at: at(61.2)) }
        _ = try host.record(
            CheckReading(
                check: "food_processing.safety.loto", value: 1, workCentre: "oven-1", recordedBy: "ravi", at: at(61.3)))
        let started = try host.startWorkOrder(order.id, by: "ravi", at: at(61.4))
        #expect(started.status == .inProgress && started.lockedOutAt == at(61.3))
        let done = try host.completeWorkOrder(order.id, minutes: 95, by: "ravi", at: at(63))
        #expect(done.status == .done && done.minutes == 95)
        #expect(try host.store.onHand(["N-1"])["N-1"] == 1)
        // Done: due again in 30 days or 10 more run hours, forecast at the last 28 days' pace (12 h of running):
        // 10 more run hours come in about 23 days, before the 30.
        let next = try #require(try host.maintenanceDue(at: at(63)).first)
        #expect(next.lastDone == at(63) && !next.overdue)
        #expect(next.meters.first { $0.meter == .runHours }?.due == 22)
        let forecast = try #require(next.dueAt)
        #expect(abs(forecast.timeIntervalSince(at(63)) - 10 / 12 * 28 * 86_400) < 1)
        #expect(next.trigger?.contains("forecast") == true)
        #expect(throws: HostError.self) { try host.completeWorkOrder(order.id, minutes: 5, by: nil, at: at(64)) }
    }

    @Test func metersGoOnlyUpAndBreakdownsCloseWithCauseAndRemedy() throws {
        let host = try host()
        try host.recordMeter(asset: "oven-1", meter: .runHours, value: 1_000, replaced: false, by: nil, at: at(1))
        #expect(throws: HostError.self) {
            try host.recordMeter(asset: "oven-1", meter: .runHours, value: 900, replaced: false, by: nil, at: at(2))
        }
        try host.recordMeter(asset: "oven-1", meter: .runHours, value: 3, replaced: true, by: nil, at: at(2))
        #expect(try host.meters(asset: "oven-1", at: at(2))[.runHours] == 3)
        #expect(throws: HostError.self) {
            try host.recordMeter(asset: "oven-9", meter: .units, value: 1, replaced: false, by: nil, at: at(2))
        }
        let breakdown = try host.openWorkOrder(
            asset: "oven-1", kind: .corrective, description: "Burner will not light", by: nil, at: at(3))
        _ = try host.record(
            CheckReading(
                check: "food_processing.safety.loto", value: 1, workCentre: "oven-1", recordedBy: "ravi", at: at(3.1)))
        _ = try host.startWorkOrder(breakdown.id, by: "ravi", at: at(3.2))
        #expect(throws: HostError.self) { try host.completeWorkOrder(breakdown.id, minutes: 40, by: nil, at: at(4)) }
        // Two nozzles used, none in stock: refused, nothing written.
        #expect(throws: HostError.self) {
            try host.completeWorkOrder(
                breakdown.id, minutes: 40, parts: [PartUse(item: "nozzle", quantity: 2)], cause: "Blocked nozzle",
                remedy: "Replaced the nozzle", by: nil, at: at(4))
        }
        #expect(try host.workOrders(openOnly: true).map(\.id) == [breakdown.id])
        let fixed = try host.completeWorkOrder(
            breakdown.id, minutes: 40, parts: [], cause: "Blocked nozzle", remedy: "Cleaned the nozzle", by: nil,
            at: at(4))
        #expect(fixed.cause == "Blocked nozzle" && fixed.status == .done)
        #expect(throws: HostError.self) {
            try host.openWorkOrder(asset: "oven-1", kind: .corrective, description: "  ", by: nil, at: at(5))
        }
        #expect(throws: HostError.self) {
            try host.openWorkOrder(
                asset: "oven-1", kind: .preventive, plan: "nope", description: "", by: nil, at: at(5))
        }
    }

    @Test func aPlanWithNoTriggerOrAnUnknownAssetIsRefusedWhenTheSiteLoads() {
        for (from, to) in [
            ("every: 30d, run_hours: 10, ", ""), ("asset: oven-1", "asset: oven-9"),
            ("{item: nozzle, quantity: 1}", "{item: gasket, quantity: 1}"),
        ] {
            #expect(throws: HostError.self) { try host(Self.site.replacingOccurrences(of: from, with: to)) }
        }
    }

    /// Stops by reason and loss, reduced speed, scrap and valuable time add up to the planned time; breakdowns
    /// give each asset its mean time between failures and to repair.
    @Test func lossesAddUpToThePlannedTimeAndBreakdownsGiveMTBFAndMTTR() throws {
        let host = try host()
        let runs: [(down: Double, reason: String?, good: Double, scrap: Double)] = [
            (1800, "breakdown", 300, 10), (900, "changeover", 330, 5), (600, "planned_clean", 340, 0),
            (1200, "no_material", 300, 20),
        ]
        for (index, run) in runs.enumerated() {
            let start = at(Double(index) * 4)
            _ = try host.reportProduction(
                workCentre: "oven-1", product: "loaf", order: nil, good: run.good, scrap: run.scrap, from: start,
                to: start.addingTimeInterval(4 * 3600), down: TimeSpan(seconds: Int(run.down)),
                downReason: run.reason)
        }
        let losses = try host.losses(in: DateInterval(start: at(0), end: at(16)))
        #expect(losses.plannedSeconds == 16 * 3600)
        let total = losses.losses.values.reduce(0, +) + losses.valuableSeconds
        #expect(abs(total - losses.plannedSeconds) < 1e-6)
        #expect(losses.losses[.breakdown] == 1800 && losses.losses[.setup] == 1500)
        #expect(losses.losses[.minorStops] == 1200)
        #expect(abs((losses.losses[.productionRejects] ?? 0) - 35 * 36) < 1e-9)
        #expect(losses.pareto.map(\.reason) == ["breakdown", "no_material", "changeover", "planned_clean"])
        #expect(losses.pareto.last?.cumulativeShare == 1)
        #expect(losses.pareto.first { $0.reason == "changeover" }?.planned == true)

        // Two breakdowns on the oven in 16 hours' planned time (14.75 h running), one repaired in 2 hours.
        let first = try host.openWorkOrder(
            asset: "oven-1", kind: .corrective, description: "no flame", by: nil, at: at(2))
        _ = try host.record(
            CheckReading(
                check: "food_processing.safety.loto", value: 1, workCentre: "oven-1", recordedBy: "ravi", at: at(2.5)))
        _ = try host.startWorkOrder(first.id, by: "ravi", at: at(2.6))
        _ = try host.completeWorkOrder(
            first.id, minutes: 80, cause: "Blocked nozzle", remedy: "Cleaned it", by: "ravi", at: at(4))
        _ = try host.openWorkOrder(asset: "oven-1", kind: .corrective, description: "door seal", by: nil, at: at(10))
        let oven = try #require(try host.reliability(in: DateInterval(start: at(0), end: at(16))).first)
        #expect(oven.breakdowns == 2 && oven.repaired == 1)
        #expect(abs((oven.mtbfHours ?? 0) - 14.75 / 2) < 1e-9 && oven.mttrHours == 2)
        #expect(throws: HostError.self) {
            try self.host(Self.site.replacingOccurrences(of: "loss: minor_stops", with: "loss: reduced_speed"))
        }
    }

    /// A plan due in the horizon is reserved on its work centre inside its window, between orders, with no
    /// changeover skipped around it; one that cannot fit its window is left out with a finding.
    @Test func theScheduleReservesDueMaintenanceInsideItsWindow() throws {
        let text = Self.site
            .replacingOccurrences(
                of: "work_centres: [{id: oven-1}]",
                with: """
                    calendars: [{id: days, shifts: [{days: [mon, tue, wed, thu, fri], start: "06:00", end: "14:00"}]}]
                    work_centres: [{id: oven-1, calendar: days}]
                    """
            )
            .replacingOccurrences(
                of: "every: 30d, run_hours: 10, duration: 2h,",
                with: "every: 2d, duration: 2h, last_done: 2026-11-29,")
        let host = try host(text)
        _ = try host.store.importOrders(
            (1...4).map { Order(id: "O-\($0)", product: "loaf", quantity: 300, due: at(Double($0) * 12)) }, at: at(0))
        let limits = SearchLimits(timeLimit: .seconds(2), iterations: 200, seed: 1, workers: 1)
        let result = try host.plan(from: at(0), horizon: .hours(24 * 7), limits: limits, now: at(0))
        let reserved = try #require(result.rows.first { $0.kind == .maintenance })
        // Due Tuesday 00:00 ± 1 day: inside Monday 00:00 to Wednesday 00:00, on a shift, 2 hours long.
        let windowStart = Instant.parse("2026-11-30T00:00", in: Self.zone)!
        let windowEnd = Instant.parse("2026-12-02T00:00", in: Self.zone)!
        #expect(reserved.order == "PM-burner-service" && reserved.workCentre == "oven-1")
        #expect(reserved.start >= windowStart && reserved.end <= windowEnd)
        #expect(reserved.end.timeIntervalSince(reserved.start) == 7200)
        #expect(reserved.task == "Service the burner")
        let operations = result.rows.filter { $0.kind == .operation }
        #expect(operations.allSatisfy { $0.end <= reserved.start || $0.start >= reserved.end })
        #expect(result.summary.orders == 4 && result.summary.late.allSatisfy { !$0.order.hasPrefix("PM-") })

        // Ten hours of work on an eight-hour shift that cannot be split: no room, a finding, the orders planned.
        let tight = try self.host(text.replacingOccurrences(of: "duration: 2h", with: "duration: 10h"))
        _ = try tight.store.importOrders(
            [Order(id: "O-1", product: "loaf", quantity: 300, due: at(12))], at: at(0))
        let planned = try tight.plan(from: at(0), horizon: .hours(24 * 7), limits: limits, now: at(0))
        #expect(!planned.rows.contains { $0.kind == .maintenance })
        #expect(planned.summary.unplannable?.contains { $0.order == "PM-burner-service" } == true)
        #expect(try tight.findings(openOnly: true).contains { $0.rule.rawValue == "site.maintenance.no_room" })
    }

    /// Work done on a food-contact line blocks it until its hygiene clearance passes (EC 852/2004).
    @Test func aFoodContactLineIsBlockedAfterMaintenanceUntilItsHygieneClearancePasses() throws {
        let host = try host(
            Self.site.replacingOccurrences(
                of: "food_processing: {}", with: "food_processing: {people: {open_food_work_centres: [oven-1]}}"))
        let order = try host.openWorkOrder(
            asset: "oven-1", kind: .corrective, description: "Door seal torn", by: nil, at: at(1))
        _ = try host.record(
            CheckReading(
                check: "food_processing.safety.loto", value: 1, workCentre: "oven-1", recordedBy: "ravi", at: at(1.1)))
        _ = try host.startWorkOrder(order.id, by: "ravi", at: at(1.2))
        _ = try host.completeWorkOrder(
            order.id, minutes: 30, cause: "Worn seal", remedy: "New seal fitted", by: "ravi", at: at(2))
        #expect(try host.activeBlocks().contains { $0.kind == .blockWorkCentre && $0.target == "oven-1" })
        #expect(
            try host.findings(openOnly: true).contains {
                $0.rule.rawValue == "food_processing.hygiene.after_maintenance" && $0.message.contains(order.id)
            })
        let cleared = try host.record(
            CheckReading(
                check: "food_processing.hygiene.after_maintenance", value: 1, workCentre: "oven-1", recordedBy: "ravi",
                at: at(2.5)))
        #expect(cleared.released.contains { $0.kind == .blockWorkCentre && $0.target == "oven-1" })
        #expect(try !host.activeBlocks().contains { $0.kind == .blockWorkCentre && $0.target == "oven-1" })
    }

    /// With no production yet, a meter plan's date comes from the schedule: where the planned running time on the
    /// asset reaches the plan's run hours.
    @Test func aMeterPlanIsForecastFromTheSchedule() throws {
        let text = Self.site
            .replacingOccurrences(
                of: "work_centres: [{id: oven-1}]",
                with: """
                    calendars: [{id: days, shifts: [{days: [mon, tue, wed, thu, fri], start: "06:00", end: "14:00"}]}]
                    work_centres: [{id: oven-1, calendar: days}]
                    """
            )
            .replacingOccurrences(of: "every: 30d, run_hours: 10,", with: "run_hours: 4,")
        let host = try host(text)
        #expect(try host.maintenanceDue(at: at(0)).first?.dueAt == nil)
        _ = try host.store.importOrders(
            (1...3).map { Order(id: "O-\($0)", product: "loaf", quantity: 300, due: at(Double($0) * 24)) }, at: at(0))
        let limits = SearchLimits(timeLimit: .seconds(2), iterations: 50, seed: 1, workers: 1)
        let result = try host.plan(from: at(0), horizon: .hours(24 * 7), limits: limits, now: at(0))
        let operations = result.rows.filter { $0.kind == .operation }.sorted { $0.start < $1.start }
        let due = try #require(try host.maintenanceDue(at: at(0)).first)
        #expect(due.trigger?.contains("forecast from the schedule") == true)
        // Three hours in the first bake, so four are reached one hour into the second.
        #expect(operations.count == 3 && due.dueAt == operations[1].start.addingTimeInterval(3600))
    }

    /// A burner is maintained on its own: its plan and work orders name it, and it runs (and is locked out) with
    /// its oven.
    @Test func equipmentIsMaintainedOnItsOwnAtItsWorkCentre() throws {
        let text = Self.site
            .replacingOccurrences(
                of: "maintenance:\n  plans:",
                with: """
                    maintenance:
                      equipment:
                        - {id: oven-1-burner, name: Burner, work_centre: oven-1}
                      plans:
                    """
            )
            .replacingOccurrences(
                of: "asset: oven-1, task: Service the burner", with: "asset: oven-1-burner, task: Service the burner")
        let host = try host(text)
        #expect(host.definition.maintenancePlans.first?.asset == "oven-1")
        #expect(host.definition.maintenancePlans.first?.equipment == "oven-1-burner")
        let order = try host.openWorkOrder(
            asset: "oven-1-burner", kind: .corrective, description: "Flame sensor dirty", by: nil, at: at(1))
        #expect(order.asset == "oven-1" && order.equipment == "oven-1-burner")
        let planned = try host.openWorkOrder(
            asset: "oven-1", kind: .preventive, plan: "burner-service", description: "", by: nil, at: at(1))
        #expect(planned.equipment == "oven-1-burner")
        #expect(try host.maintenanceDue(at: at(1)).first?.equipment == "oven-1-burner")
        #expect(throws: HostError.self) {
            try self.host(text.replacingOccurrences(of: "work_centre: oven-1}", with: "work_centre: oven-9}"))
        }
    }

    /// A plan's `last_done` from before Takt kept work orders is its meters' baseline too: run hours before it
    /// do not count towards the next service.
    @Test func lastDoneIsTheMetersBaseline() throws {
        let host = try host(
            Self.site.replacingOccurrences(of: "tolerance: 1d}", with: "tolerance: 1d, last_done: 2026-12-01}"))
        for run in 0..<3 {
            let start = at(Double(run) * 4)
            _ = try host.reportProduction(
                workCentre: "oven-1", product: "loaf", order: nil, good: 380, scrap: 20, from: start,
                to: start.addingTimeInterval(4 * 3600), down: TimeSpan(seconds: 0))
        }
        // 12 run hours on Monday; last done Tuesday: the next service is at 22 run hours, not 10.
        let due = try #require(try host.maintenanceDue(at: at(48)).first)
        #expect(due.meters.first { $0.meter == .runHours }?.due == 22)
        #expect(due.trigger?.contains("reached") != true)
    }

    /// The sweep sends central the maintenance status when it changes, not every time a forecast moves a little.
    @Test func theSweepSendsTheMaintenanceStatusWhenItChanges() throws {
        let host = try host()
        for run in 0..<2 {
            let start = at(Double(run) * 4)
            _ = try host.reportProduction(
                workCentre: "oven-1", product: "loaf", order: nil, good: 380, scrap: 20, from: start,
                to: start.addingTimeInterval(4 * 3600), down: TimeSpan(seconds: 0))
        }
        func statuses() throws -> Int {
            try host.store.outbox(after: 0, limit: 10_000).filter { $0.kind == "maintenance_status" }.count
        }
        _ = try host.sweep(at: at(9))
        _ = try host.sweep(at: at(9).addingTimeInterval(60))
        _ = try host.sweep(at: at(9).addingTimeInterval(120))
        #expect(try statuses() == 1)
        _ = try host.openWorkOrder(asset: "oven-1", kind: .corrective, description: "no flame", by: nil, at: at(9.1))
        _ = try host.sweep(at: at(9.2))
        #expect(try statuses() == 2)
    }
}
