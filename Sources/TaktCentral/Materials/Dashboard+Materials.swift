import Foundation
import TaktCentralStore
import TaktCore

extension Dashboard {
    /// Shortages per site, then the recall form.
    static func materials(_ sites: [CentralServer.SiteMaterials], zone: (String) -> TimeZone) -> String {
        var html = "<h1>Materials</h1>" + recallForm("")
        html += "<h2>Short, and what to buy</h2>"
        html += "<p>As each site's material plan last said: open orders netted against stock and purchase orders.</p>"
        for site in sites {
            html += "<h3><a href=\"/sites/\(escape(site.site))\">\(escape(site.name))</a></h3>"
            guard let lines = site.lines else {
                html += "<p>No material plan from this site yet.</p>"
                continue
            }
            guard !lines.isEmpty else {
                html += "<p>Nothing short.</p>"
                continue
            }
            html += """
                <table><thead><tr><th scope="col">Item</th><th scope="col">Quantity</th><th scope="col">For</th>\
                <th scope="col">Needed by</th><th scope="col">Order by</th><th scope="col">Supplier</th></tr></thead><tbody>
                """
            for line in lines {
                let suggestion = line.suggestion
                let late = suggestion.late ? " <span class=\"badge critical\">late</span>" : ""
                html += "<tr><td>\(escape(line.name))</td>"
                html += "<td>\(escape(CriticalLimits.format(suggestion.quantity))) \(escape(line.unit))</td>"
                html +=
                    "<td>\(escape(suggestion.orders.isEmpty ? suggestion.reason : suggestion.orders.joined(separator: ", ")))</td>"
                html += "<td>\(escape(Instant.format(suggestion.neededBy, in: zone(site.site))))</td>"
                html +=
                    "<td>\(suggestion.orderBy.map { escape(Instant.format($0, in: zone(site.site))) } ?? "—")\(late)</td>"
                html += "<td>\(escape(suggestion.supplier ?? "none approved"))</td></tr>"
            }
            html += "</tbody></table>"
        }
        return html
    }

    static func recallForm(_ asked: String) -> String {
        """
        <form method="get" action="/recall" class="filters"><label>Recall a supplier's lot across your sites \
        <input name="supplier_lot" value="\(escape(asked))" required maxlength="200"></label><button>Find every lot</button></form>
        """
    }

    /// What a recall reaches at each site: the lots made from it, stock still there, and customers shipped.
    static func recall(
        _ recall: CentralRecall?, asked: String, error: String?, names: (String) -> String, zone: (String) -> TimeZone
    ) -> String {
        var html = "<h1>Recall</h1>" + recallForm(asked)
        if let error { return html + "<p class=\"error\">\(escape(error))</p>" }
        guard let recall else { return html }
        guard !recall.sites.isEmpty else {
            return html + "<p>No site of yours received supplier lot \(escape(recall.supplierLot)).</p>"
        }
        html +=
            "<p>Supplier lot <strong>\(escape(recall.supplierLot))</strong> reached \(recall.sites.count) "
            + "site(s): \(recall.lots) lot(s), \(recall.shipments) shipment(s) to customers.</p>"
        for site in recall.sites {
            let lots = Array(Set(site.recall.trees.flatMap(\.lots).map(\.lot))).sorted()
            html += "<h2><a href=\"/sites/\(escape(site.site))\">\(escape(names(site.site)))</a></h2>"
            html += "<p>Lots made from it: \(escape(lots.joined(separator: ", ")))</p>"
            if !site.recall.inStock.isEmpty {
                html +=
                    "<table><thead><tr><th scope=\"col\">Still on site</th><th scope=\"col\">Item</th>"
                    + "<th scope=\"col\">On hand</th><th scope=\"col\">Status</th></tr></thead><tbody>"
                for lot in site.recall.inStock {
                    html +=
                        "<tr><td>\(escape(lot.lot))</td><td>\(escape(lot.item))</td>"
                        + "<td>\(escape(CriticalLimits.format(lot.onHand)))</td>"
                        + "<td>\(escape(lot.status.rawValue.replacingOccurrences(of: "_", with: " ")))</td></tr>"
                }
                html += "</tbody></table>"
            }
            if !site.recall.shipments.isEmpty {
                html +=
                    "<table><thead><tr><th scope=\"col\">Shipped lot</th><th scope=\"col\">Customer</th>"
                    + "<th scope=\"col\">Quantity</th><th scope=\"col\">When</th></tr></thead><tbody>"
                for shipment in site.recall.shipments {
                    html +=
                        "<tr><td>\(escape(shipment.lot))</td><td>\(escape(shipment.customer ?? ""))</td>"
                        + "<td>\(escape(CriticalLimits.format(-shipment.quantity)))</td>"
                        + "<td>\(escape(Instant.format(shipment.at, in: zone(site.site))))</td></tr>"
                }
                html += "</tbody></table>"
            }
        }
        return html
    }
}
