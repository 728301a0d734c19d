import Foundation
import Testing

@testable import BuiltinModules
@testable import TaktCore
@testable import TaktHost
@testable import TaktScheduling
@testable import TaktStore

/// Material planning at an overseas plant: gate drivers come from Penang (21 days' transit and 4 of customs, as
/// the overseas module declares), housings locally in 3 days.
@Suite struct MaterialPlanningTests {
    static let zone = TimeZone(identifier: "America/Monterrey")!
    static let now = Instant.parse("2026-11-30T06:00", in: zone)!
    static let site = """
        site: {id: mty, name: Monterrey, region: americas, time_zone: America/Monterrey, currency: MXN}
        modules:
          overseas_plant:
            materials:
              - {id: gate-driver, origin: Penang, transit: 21d, customs: 4d}
        calendars:
          - id: days
            shifts: [{days: [mon, tue, wed, thu, fri, sat], start: "06:00", end: "14:00"}]
        work_centres:
          - {id: assembly-1, calendar: days}
        products:
          - id: mc-400
            bom: [{item: gate-driver, quantity: 2}, {item: housing, quantity: 1, scrap: 0.05}]
            routing:
              - {id: assemble, work_centres: [assembly-1], units_per_hour: 20}
        items:
          - {id: gate-driver, name: Gate driver IC, unit: pcs}
          - {id: housing, name: Housing, unit: pcs, lead_time: 3d}
          - {id: carton, name: Shipping carton, unit: pcs, lead_time: 2d, reorder_point: 200, reorder_quantity: 1000}
        suppliers:
          - {id: penang-semi, items: {gate-driver: approved}}
          - {id: mty-metal, items: {housing: approved, carton: approved}}
          - {id: cheap-ic, items: {gate-driver: suspended}}
        staff:
          - {id: lucia, name: Lucía}
        """

    func host() throws -> SiteHost {
        let definition = try SiteLoader(registry: try BuiltinModules.registry()).load(
            text: Self.site, file: "site.yaml")
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("mrp-\(UUID().uuidString).sqlite")
        return SiteHost(
            definition: definition, store: try SiteStore(path: path.path, siteID: definition.site.id),
            clock: { Self.now.addingTimeInterval(60 * 86_400) })
    }

    func at(_ days: Double) -> Date { Self.now.addingTimeInterval(days * 86_400) }

    func receive(
        _ host: SiteHost, _ lot: String, _ item: String, _ quantity: Double, po: String? = nil, day: Double = 0
    )
        throws
    {
        _ = try host.receive(
            .init(
                lot: lot, item: item, quantity: quantity, supplier: item == "gate-driver" ? "penang-semi" : "mty-metal",
                supplierLot: "S-\(lot)", purchaseOrder: po, at: at(day)))
    }

    @Test func aLongOverseasLeadTimeBecomesAPurchaseOrderTheScheduleWaitsFor() throws {
        let host = try host()
        try receive(host, "H-1", "housing", 100)
        _ = try host.store.importOrders([Order(id: "O-1", product: "mc-400", quantity: 40, due: at(10))], at: Self.now)

        // 80 gate drivers short; housings (40 × 1.05 = 42) from stock; the cartons are below their reorder point.
        let plan = try host.materialPlan(at: Self.now)
        let gate = try #require(plan.requirements.first { $0.item == "gate-driver" })
        #expect(gate.short == 80 && gate.fromStock == 0)
        #expect(gate.readyAt == at(25))
        let housing = try #require(plan.requirements.first { $0.item == "housing" })
        #expect(abs(housing.fromStock - 42) < 1e-9 && housing.short == 0)
        let suggestion = try #require(plan.suggestions.first { $0.item == "gate-driver" })
        #expect(suggestion.supplier == "penang-semi" && suggestion.quantity == 80 && suggestion.late)
        #expect(suggestion.orderBy == suggestion.neededBy.addingTimeInterval(-25 * 86_400))
        #expect(plan.suggestions.first { $0.item == "carton" }?.quantity == 1000)
        #expect(plan.readiness["O-1"]?.reason.contains("lead time 25d") == true)

        // Ordering what the plan suggests: the purchase order is due when the lead time allows.
        let made = try host.createPurchaseOrders(from: plan, items: ["gate-driver"], by: "lucia", at: Self.now)
        let po = try #require(made.created.first)
        #expect(po.id == "PO-1" && po.due == at(25) && po.supplier == "penang-semi")

        // The schedule starts the order no sooner than the purchase order is due, and says why it is late.
        let result = try host.plan(
            from: Self.now, horizon: .hours(24 * 60), limits: SearchLimits(timeLimit: .seconds(2), iterations: 50),
            now: Self.now)
        let start = try #require(result.rows.filter { $0.order == "O-1" }.map(\.start).min())
        #expect(start >= po.due)
        let late = try #require(result.summary.late.first { $0.order == "O-1" })
        #expect(late.reasons.joined().contains("purchase order PO-1"))

        // Half arrives: the rest is still awaited on PO-1; then the rest, and PO-1 closes.
        try receive(host, "G-1", "gate-driver", 50, po: "PO-1", day: 20)
        #expect(try host.store.purchaseOrder("PO-1")?.received == 50)
        #expect(try host.store.purchaseOrder("PO-1")?.status == .open)
        let partial = try host.materialPlan(at: at(20))
        #expect(partial.readiness["O-1"]?.at == po.due)
        try receive(host, "G-2", "gate-driver", 30, po: "PO-1", day: 21)
        #expect(try host.store.purchaseOrder("PO-1")?.status == .closed)
        #expect(try host.materialPlan(at: at(21)).readiness["O-1"]?.at == at(21))

        // Nothing more comes on a closed order; one for another item or supplier is refused; nothing is written.
        #expect(throws: HostError.self) { try receive(host, "G-3", "gate-driver", 1, po: "PO-1", day: 21) }
        #expect(throws: HostError.self) { try receive(host, "H-2", "housing", 1, po: "PO-1", day: 21) }
        #expect(throws: HostError.self) { try receive(host, "H-3", "housing", 1, po: "PO-9", day: 21) }
        #expect(try host.store.lot("G-3") == nil && host.store.lot("H-2") == nil && host.store.lot("H-3") == nil)
        // A suspended supplier is no supplier to buy from.
        #expect(throws: HostError.self) {
            try host.createPurchaseOrder(
                supplier: "cheap-ic", item: "gate-driver", quantity: 10, due: at(30), by: nil, at: Self.now)
        }
        for quantity in [0, -1, Double.nan] {
            #expect(throws: HostError.self) {
                try host.createPurchaseOrder(
                    supplier: "penang-semi", item: "gate-driver", quantity: quantity, due: at(30), by: nil,
                    at: Self.now)
            }
        }
        #expect(try host.purchaseOrders().count == 1)
    }

    /// A production report that makes a lot takes what the bill of materials says from stock, first expiry first
    /// out; short, it refuses the whole report and writes nothing.
    @Test func productionBackFlushesFirstExpiryFirstOutOrRefusesWhole() throws {
        let host = try host()
        _ = try host.receive(
            .init(
                lot: "H-late", item: "housing", quantity: 30, supplier: "mty-metal", supplierLot: "A",
                expiresAt: at(300), at: at(0)))
        _ = try host.receive(
            .init(
                lot: "H-soon", item: "housing", quantity: 30, supplier: "mty-metal", supplierLot: "B",
                expiresAt: at(100), at: at(0)))
        try receive(host, "G-1", "gate-driver", 100)
        func report(_ good: Double, lot: String, hour: Double) throws -> ProductionReport {
            try host.reportProduction(
                workCentre: "assembly-1", product: "mc-400", order: nil, good: good, scrap: 0,
                from: at(1).addingTimeInterval(hour * 3600), to: at(1).addingTimeInterval((hour + 1) * 3600),
                down: TimeSpan(seconds: 0), output: .init(lot: lot), by: "lucia")
        }
        _ = try report(20, lot: "MC-1", hour: 0)
        let used = try host.store.movements(into: "MC-1")
        // 20 × 2 gate drivers; 20 × 1.05 = 21 housings, all from the lot that expires first.
        #expect(Set(used.map(\.lot)) == ["G-1", "H-soon"])
        #expect(abs((try host.store.onHand(["H-soon"])["H-soon"] ?? 0) - 9) < 1e-9)
        #expect(try host.traceBack("MC-1").children.map(\.lot).sorted() == ["G-1", "H-soon"])

        // 20 more need 21 housings: 9 from H-soon, 12 from H-late.
        _ = try report(20, lot: "MC-2", hour: 1)
        #expect(
            try host.store.movements(into: "MC-2").filter { $0.lot.hasPrefix("H") }.map(\.lot) == ["H-soon", "H-late"])

        // 40 more need 80 gate drivers; 20 are left: refused, and neither the report nor the lot is stored.
        #expect(throws: HostError.self) { try report(40, lot: "MC-3", hour: 2) }
        #expect(try host.store.lot("MC-3") == nil)
        #expect(try host.store.onHand(["G-1"])["G-1"] == 20)
        #expect(
            try host.store.productionReports(in: DateInterval(start: at(0), end: at(2))).count == 2)
    }

    /// A bill of materials line with an alternate: short of the housing, the plan and the back-flush use the
    /// alternate's stock; an alternate that is not an item or product is refused when the site loads.
    @Test func anAlternateStandsInWhenTheComponentIsShort() throws {
        let text = Self.site
            .replacingOccurrences(
                of: "{item: housing, quantity: 1, scrap: 0.05}",
                with: "{item: housing, quantity: 1, scrap: 0.05, alternates: [housing-b]}"
            )
            .replacingOccurrences(
                of: "  - {id: housing, name: Housing, unit: pcs, lead_time: 3d}",
                with: """
                      - {id: housing, name: Housing, unit: pcs, lead_time: 3d}
                      - {id: housing-b, name: Housing (second source), unit: pcs}
                    """
            )
            .replacingOccurrences(
                of: "items: {housing: approved, carton: approved}",
                with: "items: {housing: approved, housing-b: approved, carton: approved}")
        let definition = try SiteLoader(registry: try BuiltinModules.registry()).load(text: text, file: "site.yaml")
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("alt-\(UUID().uuidString).sqlite")
        let host = SiteHost(
            definition: definition, store: try SiteStore(path: path.path, siteID: definition.site.id),
            clock: { Self.now.addingTimeInterval(60 * 86_400) })
        try receive(host, "H-1", "housing", 10)
        try receive(host, "HB-1", "housing-b", 100)
        try receive(host, "G-1", "gate-driver", 100)
        _ = try host.store.importOrders([Order(id: "O-1", product: "mc-400", quantity: 20, due: at(10))], at: Self.now)
        let plan = try host.materialPlan(at: Self.now)
        let housing = try #require(plan.requirements.first { $0.item == "housing" })
        #expect(abs(housing.fromStock - 21) < 1e-9 && housing.short == 0)
        #expect(!plan.suggestions.contains { $0.item == "housing" })
        _ = try host.reportProduction(
            workCentre: "assembly-1", product: "mc-400", order: "O-1", good: 20, scrap: 0, from: at(1),
            to: at(1).addingTimeInterval(3600), down: TimeSpan(seconds: 0), output: .init(lot: "MC-1"), by: nil)
        let used = try host.store.movements(into: "MC-1").filter { $0.lot.hasPrefix("H") }
        #expect(used.map(\.lot) == ["H-1", "HB-1"] && abs(used[1].quantity + 11) < 1e-9)
        #expect(throws: HostError.self) {
            try SiteLoader(registry: try BuiltinModules.registry()).load(
                text: text.replacingOccurrences(of: "alternates: [housing-b]", with: "alternates: [housing-z]"),
                file: "site.yaml")
        }
    }

    /// The sweep sends central the site's material status when it changed, and only then; a plan read for a page
    /// writes nothing.
    @Test func theSweepSendsTheMaterialStatusWhenItChanges() throws {
        let host = try host()
        _ = try host.store.importOrders([Order(id: "O-1", product: "mc-400", quantity: 40, due: at(10))], at: Self.now)
        func statuses() throws -> [OutboxEntry] {
            try host.store.outbox(after: 0, limit: 10_000).filter { $0.kind == "material_status" }
        }
        _ = try host.materialPlan(at: Self.now)
        #expect(try statuses().isEmpty)
        _ = try host.sweep(at: Self.now)
        _ = try host.sweep(at: Self.now.addingTimeInterval(60))
        let sent = try statuses()
        #expect(sent.count == 1 && sent[0].payload.contains("gate-driver"))
        try receive(host, "G-1", "gate-driver", 80)
        _ = try host.sweep(at: Self.now.addingTimeInterval(120))
        #expect(try statuses().count == 2)
    }
}
