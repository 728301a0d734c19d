import Foundation
import Hummingbird
import TaktCentralStore
import TaktCore
import TaktSync
import TaktWeb

/// Region-wide quotes: a regional manager asks when the region could deliver a quantity of a product; every site
/// that makes it (by the names it sends) is asked, answers with its own capable-to-promise on its next sync, and
/// the answers are ranked by date and then by cost in the region's currency. A site not heard from recently says
/// it is offline. Pages `/quotes` and `/quotes/{id}`; JSON `POST /v1/quotes`, `GET /v1/quotes/{id}`; sites pull
/// `GET /v1/sites/{site}/quote-requests` (signed, like the rest of the sync).
extension CentralServer {
    /// How long a request stays open for sites to answer.
    static let quoteLifetime: TimeInterval = 7 * 86_400

    func addQuotes(to router: Router<CentralContext>) {
        router.get("/v1/sites/:site/quote-requests") { request, context in
            let site = try context.parameters.require("site")
            let signed: RequestVerifier.Signed
            switch try await self.authenticate(request, site: site, body: Data()) {
            case .signed(let value): signed = value
            case .refused(let refusal): return refusal
            }
            try await self.store.noteContact(site: site, at: self.clock(), configRunning: nil)
            let answered = try await self.store.state(site: site, kind: "quote_answer")
            let open = try await self.store.quoteRequests(
                since: self.clock().addingTimeInterval(-Self.quoteLifetime), limit: 200
            ).filter { $0.sites.contains(site) && answered[$0.id] == nil }.prefix(20).map {
                QuoteRequest(id: $0.id, product: $0.product, quantity: $0.quantity, by: $0.by, askedAt: $0.askedAt)
            }
            return self.reply(.ok, Array(open), signed)
        }
        router.get("/quotes") { request, _ in
            try await self.withSession(request) { session in
                try await self.quotesPage(session, error: nil)
            }
        }
        router.post("/quotes") { request, _ in
            guard let session = try await self.session(request) else { return Self.redirect("/login") }
            let fields: [String: [String]]
            do throws(BodyRefusal) { fields = try await self.form(request, limit: 16 * 1024) } catch {
                return Self.refusal(error)
            }
            guard Credentials.same(fields["csrf"]?.first, session.csrf) else { return Self.csrfRefusal() }
            let by = fields["by"]?.first.flatMap { $0.isEmpty ? nil : $0 }
            switch try await self.ask(
                session.access, region: fields["region"]?.first ?? "", product: fields["product"]?.first ?? "",
                quantity: fields["quantity"]?.first ?? "", by: by)
            {
            case .success(let record): return Self.redirect("/quotes/\(record.id)")
            case .failure(let problem): return try await self.quotesPage(session, error: problem.message)
            }
        }
        router.get("/quotes/:id") { request, context in
            let id = try context.parameters.require("id")
            return try await self.withSession(request) { session in
                guard let ranked = try await self.rankedQuote(id, session.access) else {
                    return Self.problemPage(.notFound, session, title: "Quote", "No such quote.")
                }
                return Self.html(
                    Dashboard.page(
                        title: "Quote", user: session.access.user.name, csrf: session.csrf,
                        body: Dashboard.quote(ranked)))
            }
        }
        router.post("/v1/quotes") { request, _ in
            try await self.withToken(request) { access in
                let body: Data
                do throws(BodyRefusal) {
                    body = try await self.budget.collect(request, limit: 16 * 1024, timeout: self.bodyTimeout)
                } catch { return Self.refusal(error) }
                struct Ask: Decodable {
                    var region: String
                    var product: String
                    var quantity: Double
                    var by: String?
                }
                guard let ask = try? JSONDecoder().decode(Ask.self, from: body) else {
                    return Self.error(
                        .badRequest, "bad_request", "send {\"region\", \"product\", \"quantity\", \"by\"?} as JSON")
                }
                switch try await self.ask(
                    access, region: ask.region, product: ask.product, quantity: "\(ask.quantity)", by: ask.by)
                {
                case .success(let record): return Self.json(.created, record)
                case .failure(let problem): return Self.error(.unprocessableContent, "bad_quote", problem.message)
                }
            }
        }
        router.get("/v1/quotes/:id") { request, context in
            let id = try context.parameters.require("id")
            return try await self.withToken(request) { access in
                guard let ranked = try await self.rankedQuote(id, access) else {
                    return Self.error(.notFound, "not_found", "no quote '\(id)' you may see")
                }
                return Self.json(.ok, ranked)
            }
        }
    }

    struct QuoteProblem: Error {
        var message: String
    }

    /// Records a request to the sites of `region` that make `product`; refused, naming what is wrong, for a region
    /// the user may not see, an unknown product, a quantity that is not a positive number, a date not in the future.
    func ask(_ access: Access, region: String, product: String, quantity text: String, by: String?) async throws
        -> Result<QuoteRequestRecord, QuoteProblem>
    {
        guard let entry = access.regions.first(where: { $0.region.id == region }) else {
            return .failure(QuoteProblem(message: "region: no region '\(region)' you may see"))
        }
        guard let quantity = Double(text.trimmingCharacters(in: .whitespaces)), quantity > 0, quantity < 1e12 else {
            return .failure(QuoteProblem(message: "quantity: '\(text)' is not a positive number"))
        }
        var wanted: Date?
        if let by {
            guard let date = Instant.parse(by, in: .gmt), date > clock() else {
                return .failure(
                    QuoteProblem(message: "by: '\(by)' is not a date and time in the future (2026-12-20T12:00)"))
            }
            wanted = date
        }
        var makers: [String] = []
        for site in entry.sites {
            let state = try await self.state(site, region: region, detail: false)
            if state.names.products[product] != nil { makers.append(site.id) }
        }
        guard !makers.isEmpty else {
            return .failure(
                QuoteProblem(
                    message: "product: no site of \(entry.region.name ?? region) makes '\(product)' (as its names say)")
            )
        }
        let record = QuoteRequestRecord(
            id: Credentials.randomHex(8), region: region, product: product, quantity: quantity, by: wanted,
            askedBy: access.user.name, askedAt: clock(), sites: makers)
        try await store.addQuoteRequest(record)
        return .success(record)
    }

    /// One site's place in a region-wide quote.
    struct SiteQuote: Codable, Sendable {
        enum State: String, Codable, Sendable { case answered, refused, waiting, offline }
        var site: String
        var name: String
        var state: State
        var quote: Quote?
        var refusal: String?
        /// The quote's standard cost in the region's currency at today's rate; nil without a rate.
        var costRegion: Double?
        var lastHeardAt: Date?
    }

    struct RankedQuote: Codable, Sendable {
        var request: QuoteRequestRecord
        var currency: String?
        var sites: [SiteQuote]
    }

    /// The answers so far, earliest date first, then lowest cost; refusals, then sites still to answer.
    func rankedQuote(_ id: String, _ access: Access) async throws -> RankedQuote? {
        guard
            let request = try await store.quoteRequests(since: clock().addingTimeInterval(-90 * 86_400), limit: 10_000)
                .first(where: { $0.id == id }),
            let entry = access.regions.first(where: { $0.region.id == request.region })
        else { return nil }
        let rates = ExchangeRates(try await store.exchangeRates())
        let currency = entry.region.currency
        var sites: [SiteQuote] = []
        for site in request.sites where access.canSee(site: site) {
            let payload = try await store.state(site: site, kind: "quote_answer")[id]
            let answer = payload.flatMap { try? SiteState.decoder.decode(QuoteAnswer.self, from: Data($0.utf8)) }
            let heard = try await store.contact(site: site)?.lastHeardAt
            var item = SiteQuote(site: site, name: siteName(site), state: .waiting, lastHeardAt: heard)
            if let answer {
                item.state = answer.quote == nil ? .refused : .answered
                item.quote = answer.quote
                item.refusal = answer.refusal
                if let quote = answer.quote {
                    item.costRegion = currency.flatMap {
                        rates.rate(quote.currency, into: $0, on: LocalDate(clock(), in: .gmt)).map {
                            CostParts.cents(quote.standardCost * $0)
                        }
                    }
                }
            } else if (heard ?? .distantPast) < clock().addingTimeInterval(-configuration.staleAfter) {
                item.state = .offline
            }
            sites.append(item)
        }
        let rank: [SiteQuote.State: Int] = [.answered: 0, .refused: 1, .waiting: 2, .offline: 3]
        sites.sort {
            (rank[$0.state]!, $0.quote?.earliest ?? .distantFuture, $0.costRegion ?? .infinity, $0.name)
                < (rank[$1.state]!, $1.quote?.earliest ?? .distantFuture, $1.costRegion ?? .infinity, $1.name)
        }
        return RankedQuote(request: request, currency: currency, sites: sites)
    }

    func quotesPage(_ session: Session, error: String?) async throws -> Response {
        let recent = try await store.quoteRequests(since: clock().addingTimeInterval(-30 * 86_400), limit: 50)
            .filter { request in session.access.regions.contains { $0.region.id == request.region } }
        return Self.html(
            error == nil ? .ok : .unprocessableContent,
            Dashboard.page(
                title: "Quotes", user: session.access.user.name, csrf: session.csrf,
                body: Dashboard.quotes(
                    regions: session.access.regions.map { ($0.region.id, $0.region.name ?? $0.region.id) },
                    recent: recent, csrf: session.csrf, error: error)))
    }
}

extension Dashboard {
    static func quotes(regions: [(String, String)], recent: [QuoteRequestRecord], csrf: String, error: String?)
        -> String
    {
        var html =
            "<h1>Quotes</h1><p>When could the region deliver? Every site that makes the product works out the earliest "
            + "date it can commit to without making any of its own committed orders late, on its next sync, with "
            + "the reason for the date and the standard cost. Answers are ranked by date, then by cost in the "
            + "region's currency.</p>"
        if let error { html += "<p class=\"error\">\(escape(error))</p>" }
        html +=
            "<form method=\"post\" action=\"/quotes\" class=\"stack\"><input type=\"hidden\" name=\"csrf\" "
            + "value=\"\(escape(csrf))\"><label>Region <select name=\"region\">"
            + regions.map { "<option value=\"\(escape($0.0))\">\(escape($0.1))</option>" }.joined()
            + "</select></label><label>Product <input name=\"product\" required></label>"
            + "<label>Quantity <input name=\"quantity\" inputmode=\"decimal\" required></label>"
            + "<label>Wanted by (UTC, optional) <input name=\"by\" type=\"datetime-local\"></label>"
            + "<button>Ask the sites</button></form>"
        if !recent.isEmpty {
            html +=
                "<h2>Recent</h2><table><thead><tr><th scope=\"col\">Asked</th><th scope=\"col\">Product</th>"
                + "<th scope=\"col\">Quantity</th><th scope=\"col\">Region</th><th scope=\"col\">By</th></tr></thead><tbody>"
            for request in recent {
                html +=
                    "<tr><td><a href=\"/quotes/\(escape(request.id))\">\(escape(Instant.iso(request.askedAt)))</a></td>"
                    + "<td>\(escape(request.product))</td><td>\(CriticalLimits.format(request.quantity))</td>"
                    + "<td>\(escape(request.region))</td><td>\(escape(request.askedBy))</td></tr>"
            }
            html += "</tbody></table>"
        }
        return html
    }

    static func quote(_ ranked: CentralServer.RankedQuote) -> String {
        let request = ranked.request
        var html =
            "<h1>\(escape(request.product)) × \(CriticalLimits.format(request.quantity))</h1><p>Asked by "
            + "\(escape(request.askedBy)) at \(escape(Instant.iso(request.askedAt)))"
            + (request.by.map { ", wanted by \(escape(Instant.iso($0)))" } ?? "") + ".</p>"
        html +=
            "<table><thead><tr><th scope=\"col\">Site</th><th scope=\"col\">Earliest</th><th scope=\"col\">Cost"
            + "</th><th scope=\"col\">Meets the date</th><th scope=\"col\">Why then / state</th></tr></thead><tbody>"
        for site in ranked.sites {
            switch site.state {
            case .answered:
                let quote = site.quote!
                let zone = TimeZone(identifier: "UTC")!
                let cost =
                    site.costRegion.map { String(format: "%.2f %@", $0, ranked.currency ?? "") }
                    ?? String(format: "%.2f %@ (no rate)", quote.standardCost, quote.currency)
                let meets = quote.meets.map { $0 ? "yes" : "no (\(quote.slips.count) order(s) would slip)" } ?? "—"
                html +=
                    "<tr><td>\(escape(site.name))</td><td>\(escape(Instant.format(quote.earliest, in: zone)))</td>"
                    + "<td>\(escape(cost))</td><td>\(escape(meets))</td>"
                    + "<td>\(escape(quote.reasons.prefix(2).joined(separator: "; ")))</td></tr>"
            case .refused:
                html +=
                    "<tr><td>\(escape(site.name))</td><td colspan=\"3\">cannot quote</td>"
                    + "<td>\(escape(site.refusal ?? ""))</td></tr>"
            case .waiting:
                html +=
                    "<tr><td>\(escape(site.name))</td><td colspan=\"3\">waiting</td><td>answers on its next sync"
                    + (site.lastHeardAt.map { " (last heard \(escape(Instant.iso($0))))" } ?? "") + "</td></tr>"
            case .offline:
                html +=
                    "<tr><td>\(escape(site.name))</td><td colspan=\"3\">offline</td><td>not heard from "
                    + (site.lastHeardAt.map { "since \(escape(Instant.iso($0)))" } ?? "yet")
                    + "; it answers when it reconnects</td></tr>"
            }
        }
        return html + "</tbody></table>"
    }
}
