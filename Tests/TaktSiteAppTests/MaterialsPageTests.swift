import BuiltinModules
import Foundation
import Hummingbird
import HummingbirdTesting
import Testing

@testable import TaktCore
@testable import TaktHost
@testable import TaktSiteApp
@testable import TaktStore
@testable import TaktWeb

/// The Materials page: receive a delivery (a warm one goes on hold), trace it, recall it; only quality and the
/// site manager hold a recall.
extension SiteAppTests {
    @Test func deliveriesAreReceivedTracedAndRecalledFromTheMaterialsPage() async throws {
        try await Application(router: app.router()).test(.router) { client in
            var amara = Browser(client: client)
            _ = try await amara.signIn("amara", "1234")
            let page = String(buffer: try await amara.get("/materials").body)
            #expect(page.contains("id=\"receive\"") && page.contains("<option value=\"butter\">Butter (kg)</option>"))
            let typo = try await amara.submit(
                page, "/materials/receive", "item=butter&supplier=vale-dairy&supplier_lot=VD-1&quantity=abc&lot=B-1")
            #expect(typo.status == .unprocessableContent)
            let warm = try await amara.submit(
                page, "/materials/receive",
                "item=butter&supplier=vale-dairy&supplier_lot=VD-1&quantity=40&lot=B-1&temperature=9%2C5")
            let received = String(buffer: warm.body)
            #expect(
                received.contains("Lot B-1 received.") && received.contains("9.5 °C is above the limit 8 °C"),
                "\(received)")
            #expect(try host.store.lot("B-1")?.status == .onHold)
            let again = try await amara.submit(
                page, "/materials/receive", "item=butter&supplier=vale-dairy&supplier_lot=VD-1&quantity=40&lot=B-1")
            #expect(again.status == .conflict || String(buffer: again.body).contains("already exists"))
            _ = try host.receive(
                .init(lot: "B-2", item: "butter", quantity: 20, supplier: "vale-dairy", supplierLot: "VD-2", at: Date())
            )
            try host.consume(from: "B-2", into: "L1", quantity: 5, by: nil, at: Date())
            let trace = String(buffer: try await amara.get("/materials?lot=L1").body)
            #expect(trace.contains("id=\"trace\"") && trace.contains("<strong>B-2</strong> butter · 5"), "\(trace)")
            let recall = String(buffer: try await amara.get("/materials?supplier_lot=VD-2").body)
            #expect(recall.contains("id=\"recall\"") && recall.contains("Still on site: B-2 15, L1 50"), "\(recall)")
            #expect(!recall.contains("action=\"/materials/recall\""))
            let refused = try await amara.submit(recall, "/materials/recall", "supplier_lot=VD-2")
            #expect(refused.status == .forbidden)
            var qa = Browser(client: client)
            _ = try await qa.signIn("qa", "quality-pass-1")
            let qaRecall = String(buffer: try await qa.get("/materials?supplier_lot=VD-2").body)
            let held = try await qa.submit(qaRecall, "/materials/recall", "supplier_lot=VD-2")
            #expect(String(buffer: held.body).contains("On hold: B-2, L1"), "\(String(buffer: held.body))")
            #expect(try host.store.lot("L1")?.status == .onHold)
            let unknown = String(buffer: try await amara.get("/materials?supplier_lot=%3Cx%3E").body)
            #expect(unknown.contains("no lot was received with the supplier&#39;s lot &#39;&lt;x&gt;&#39;"))
        }
    }
}

/// The material plan on the Materials page: what to buy and by when, raised as purchase orders by the site
/// manager (not an operator), then received against.
@Suite struct PurchasingPageTests {
    @Test func theSiteManagerRaisesWhatThePlanSuggestsAndADeliveryIsReceivedAgainstIt() async throws {
        let text = SiteAppTests.site
            .replacingOccurrences(
                of: "routing: [{id: bake, work_centres: [oven-1], setup: 10m, units_per_hour: 100}]",
                with: """
                    routing: [{id: bake, work_centres: [oven-1], setup: 10m, units_per_hour: 100}]
                        bom: [{item: butter, quantity: 0.05}]
                    """
            )
            .replacingOccurrences(of: "shelf_life: 30d}", with: "shelf_life: 30d, lead_time: 2d}")
        let definition = try SiteLoader(registry: try BuiltinModules.registry()).load(text: text, file: "site.yaml")
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("app-\(UUID().uuidString).sqlite")
        let host = SiteHost(
            definition: definition,
            store: try SiteStore(path: path.path, siteID: "leeds", recordKinds: definition.recordKinds))
        for (staff, role, secret) in [("amara", SiteRole.operator_, "1234"), ("pat", .siteManager, "manager-pass-1")] {
            try host.store.saveAppUser(
                .init(staff: staff, role: role, secretHash: try Credentials.hash(password: secret, rounds: 210_000)),
                at: Date())
        }
        _ = try host.store.importOrders(
            [Order(id: "O-7", product: "loaf", quantity: 400, due: Date().addingTimeInterval(5 * 86_400))], at: Date())
        try await Application(router: SiteApp(host: host).router()).test(.router) { client in
            var amara = SiteAppTests.Browser(client: client)
            _ = try await amara.signIn("amara", "1234")
            let seen = String(buffer: try await amara.get("/materials").body)
            #expect(seen.contains("id=\"to-buy\"") && seen.contains("<strong>butter</strong> 20 kg"), "\(seen)")
            #expect(!seen.contains("action=\"/materials/order\""))
            #expect(try await amara.submit(seen, "/materials/order", "").status == .forbidden)

            var pat = SiteAppTests.Browser(client: client)
            _ = try await pat.signIn("pat", "manager-pass-1")
            let page = String(buffer: try await pat.get("/materials").body)
            let ordered = String(buffer: try await pat.submit(page, "/materials/order", "").body)
            #expect(ordered.contains("Purchase orders raised: PO-1"), "\(ordered)")
            #expect(try host.purchaseOrders().map(\.quantity) == [20])
            #expect(ordered.contains("Nothing is short for the open orders."))

            let receipt = try await pat.submit(
                ordered, "/materials/receive",
                "item=butter&supplier=vale-dairy&supplier_lot=VD-9&quantity=20&lot=B-9&temperature=4&purchase_order=PO-1"
            )
            #expect(String(buffer: receipt.body).contains("Lot B-9 received."))
            #expect(try host.store.purchaseOrder("PO-1")?.status == .closed)
        }
    }
}
