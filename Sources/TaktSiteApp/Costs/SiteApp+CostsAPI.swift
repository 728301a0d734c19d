import Foundation
import Hummingbird
import TaktCore
import TaktHost
import TaktWeb

/// Costs and quotes in the site's JSON API: for other systems (an ERP asking for a delivery date) and for central
/// when it can reach the site directly. Tokens of roles that may see costs (supervisor, site manager).
extension SiteApp {
    func addCostsAPI(to router: Router<WebContext>) {
        router.get("/api/v1/quote") { request, _ in
            try await self.withToken(request) { user, checks in
                guard checks == nil, user.role.may(.costs) else {
                    return Self.error(.forbidden, "forbidden", "this token may not ask for quotes")
                }
                let query = request.uri.queryParameters
                guard let product = query["product"].map(String.init),
                    let quantity = query["quantity"].flatMap({ Double(String($0)) }), quantity > 0, quantity.isFinite
                else {
                    return Self.error(
                        .badRequest, "bad_request", "give product and a positive quantity (?product=P&quantity=Q)")
                }
                var by: Date?
                if let text = query["by"].map(String.init) {
                    guard let date = Instant.parse(text, in: self.host.definition.timeZone) else {
                        return Self.error(.badRequest, "bad_request", "by: '\(text)' is not a date and time")
                    }
                    by = date
                }
                do throws(HostError) {
                    return Self.json(
                        .ok, try self.host.quote(product: product, quantity: quantity, by: by, at: self.clock()))
                } catch {
                    return Self.error(
                        error.isBadInput ? .unprocessableContent : .internalServerError, "refused", "\(error)")
                }
            }
        }
        router.get("/api/v1/costs") { request, _ in
            try await self.withToken(request) { user, checks in
                guard checks == nil, user.role.may(.costs) else {
                    return Self.error(.forbidden, "forbidden", "this token may not see costs")
                }
                let zone = self.host.definition.timeZone
                let text = request.uri.queryParameters["month"].map(String.init)
                guard let month = text.map({ CostMonth(parsing: $0) }) ?? CostMonth(LocalDate(self.clock(), in: zone))
                else { return Self.error(.badRequest, "bad_month", "month: write it as YYYY-MM") }
                return Self.json(.ok, try self.host.costStatus(of: month, at: self.clock()))
            }
        }
    }
}
