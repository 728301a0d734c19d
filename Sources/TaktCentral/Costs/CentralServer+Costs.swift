import Foundation
import Hummingbird
import TaktCentralStore
import TaktCore
import TaktWeb

/// Costs across a region in its currency at dated exchange rates (page `/costs`, JSON `/v1/costs`), the rates
/// themselves (`/v1/exchange-rates`, and a form on the page for those who may set them), and the regional monthly
/// report (`/reports/{region}/{month}`, printable HTML or CSV).
extension CentralServer {
    func addCosts(to router: Router<CentralContext>) {
        router.get("/costs") { request, _ in
            try await self.withSession(request) { session in
                guard let month = Self.month(request, zone: .gmt) else {
                    return Self.problemPage(
                        .badRequest, session, title: "Costs", "month: write it as YYYY-MM, such as 2026-11.")
                }
                return Self.html(
                    Dashboard.page(
                        title: "Costs", user: session.access.user.name, csrf: session.csrf,
                        body: Dashboard.costs(
                            try await self.regionCosts(session.access, month: month), month: month,
                            rates: try await self.store.exchangeRates(), csrf: session.csrf,
                            canSetRates: Self.maySetRates(session.access))))
            }
        }
        router.post("/costs/rates") { request, _ in
            guard let session = try await self.session(request) else { return Self.redirect("/login") }
            let fields: [String: [String]]
            do throws(BodyRefusal) { fields = try await self.form(request, limit: 256 * 1024) } catch {
                return Self.refusal(error)
            }
            guard Credentials.same(fields["csrf"]?.first, session.csrf) else { return Self.csrfRefusal() }
            guard Self.maySetRates(session.access) else {
                return Self.problemPage(
                    .forbidden, session, title: "Costs", "Only administrators and regional managers set exchange rates."
                )
            }
            let text = fields["rates"]?.first ?? ""
            do {
                let rates = try ExchangeRate.parseCSV(text)
                guard !rates.isEmpty else { throw CoreError.invalidConfiguration(path: "", message: "no rates given") }
                try await self.store.saveExchangeRates(rates)
                return Self.redirect("/costs?saved=\(rates.count)")
            } catch let error as CoreError {
                return Self.problemPage(
                    .unprocessableContent, session, title: "Costs", "Nothing was stored: \(Self.message(error))")
            }
        }
        router.get("/v1/costs") { request, _ in
            try await self.withToken(request) { access in
                guard let month = Self.month(request, zone: .gmt) else {
                    return Self.error(.badRequest, "bad_month", "month: write it as YYYY-MM, such as 2026-11")
                }
                return Self.json(.ok, try await self.regionCosts(access, month: month))
            }
        }
        router.get("/v1/exchange-rates") { request, _ in
            try await self.withToken(request) { _ in Self.json(.ok, try await self.store.exchangeRates()) }
        }
        router.post("/v1/exchange-rates") { request, _ in
            try await self.withToken(request) { access in
                guard Self.maySetRates(access) else {
                    return Self.error(.forbidden, "forbidden", "only administrators and regional managers set rates")
                }
                let body: Data
                do throws(BodyRefusal) {
                    body = try await self.budget.collect(request, limit: 256 * 1024, timeout: self.bodyTimeout)
                } catch { return Self.refusal(error) }
                do {
                    let rates = try ExchangeRate.parseCSV(String(decoding: body, as: UTF8.self))
                    guard !rates.isEmpty else {
                        return Self.error(.unprocessableContent, "no_rates", "send lines of currency,into,day,rate")
                    }
                    try await self.store.saveExchangeRates(rates)
                    return Self.json(.ok, ["stored": rates.count])
                } catch let error as CoreError {
                    return Self.error(.unprocessableContent, "bad_rates", Self.message(error))
                }
            }
        }
        router.get("/reports/:region/:month") { request, context in
            let region = try context.parameters.require("region")
            let month = try context.parameters.require("month")
            return try await self.withSession(request) { session in
                try await self.regionReport(session.access, region: region, month: month, request: request)
            }
        }
        router.get("/v1/regions/:region/report") { request, context in
            let region = try context.parameters.require("region")
            return try await self.withToken(request) { access in
                let month = request.uri.queryParameters["month"].map(String.init) ?? ""
                return try await self.regionReport(access, region: region, month: month, request: request)
            }
        }
    }

    static func maySetRates(_ access: Access) -> Bool {
        access.user.role == "administrator" || access.user.role == "regional_manager"
    }

    static func message(_ error: CoreError) -> String {
        if case .invalidConfiguration(_, let message) = error { return message }
        return error.description
    }

    /// `?month=YYYY-MM`, this month when absent; nil when it is not a month.
    static func month(_ request: Request, zone: TimeZone) -> CostMonth? {
        guard let text = request.uri.queryParameters["month"].map(String.init) else {
            return CostMonth(LocalDate(Date(), in: zone))
        }
        return CostMonth(parsing: text)
    }

    /// Each visible region's costs for `month`, in its currency (its sites' own when it names none and they share
    /// one).
    func regionCosts(_ access: Access, month: CostMonth) async throws -> [RegionCosts] {
        let rates = ExchangeRates(try await store.exchangeRates())
        let today = LocalDate(clock(), in: .gmt)
        let rateDay = min(month.last, today)
        var result: [RegionCosts] = []
        for (region, sites) in access.regions {
            var statuses: [(site: String, name: String, status: CostStatus?)] = []
            for site in sites {
                let payload = try await store.state(site: site.id, kind: "cost_status")[month.description]
                let status = payload.flatMap { try? SiteState.decoder.decode(CostStatus.self, from: Data($0.utf8)) }
                statuses.append((site.id, siteName(site.id), status))
            }
            let currency =
                region.currency ?? Set(statuses.compactMap(\.status?.currency)).first ?? "???"
            result.append(
                RegionCosts.build(
                    region: region.id, name: region.name ?? region.id, currency: currency, month: month,
                    rateDay: rateDay, sites: statuses, rates: rates))
        }
        return result
    }

    /// The regional monthly report: each site's output, OEE, adherence, quality and safety and costs, and the
    /// region's totals; HTML (printable), CSV (`?format=csv`) or JSON (`?format=json`).
    func regionReport(_ access: Access, region: String, month text: String, request: Request) async throws
        -> Response
    {
        guard let month = CostMonth(parsing: text) else {
            return Self.error(.badRequest, "bad_month", "month: write it as YYYY-MM, such as 2026-11")
        }
        guard let entry = access.regions.first(where: { $0.region.id == region }) else {
            return Self.error(.notFound, "not_found", "no region '\(region)' you may see")
        }
        let costs = try await regionCosts(access, month: month).first { $0.region == region }
        let totals = try await store.totals(sites: entry.sites.map(\.id), from: month.first, to: month.last)
        let states = try await self.states(entry.sites.map { (region, $0) })
        let report = RegionReport.build(
            region: entry.region.name ?? region, month: month, costs: costs, totals: totals, states: states,
            at: clock())
        switch request.uri.queryParameters["format"].map(String.init) ?? "html" {
        case "csv":
            return Response(
                status: .ok,
                headers: [
                    .contentType: "text/csv; charset=utf-8",
                    .contentDisposition: "attachment; filename=\"\(region)-\(month).csv\"",
                ], body: .init(byteBuffer: ByteBuffer(string: report.csv())))
        case "json": return Self.json(.ok, report)
        case "html": return Self.html(report.html(in: .gmt))
        default: return Self.error(.badRequest, "bad_format", "format: html, csv or json")
        }
    }
}

extension CentralServer {
    /// Writes every region's report for last month to `folder` (`<region>-<month>.html` and `.csv`) once that month
    /// has ended; returns the files written. Run by `central serve` every hour when `reports_folder` is set; two
    /// central processes writing the same month write the same files.
    @discardableResult
    public func writeRegionalReportsIfDue(to folder: URL) async throws -> [String] {
        let previous = CostMonth(LocalDate(clock(), in: .gmt)).previous
        let written = try await store.meta("regional_reports_written").flatMap(CostMonth.init(parsing:))
        if let written, written >= previous { return [] }
        let everyone = Access(
            user: .init(name: "central", passwordHash: "", role: "administrator", scope: []),
            configuration: configuration)
        var files: [String] = []
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        for (region, sites) in everyone.regions {
            let costs = try await regionCosts(everyone, month: previous).first { $0.region == region.id }
            let totals = try await store.totals(sites: sites.map(\.id), from: previous.first, to: previous.last)
            let states = try await self.states(sites.map { (region.id, $0) })
            let report = RegionReport.build(
                region: region.name ?? region.id, month: previous, costs: costs, totals: totals, states: states,
                at: clock())
            let base = folder.appendingPathComponent("\(region.id)-\(previous)")
            try Data(report.html(in: .gmt).utf8).write(to: base.appendingPathExtension("html"))
            try Data(report.csv().utf8).write(to: base.appendingPathExtension("csv"))
            files += [base.appendingPathExtension("html").path, base.appendingPathExtension("csv").path]
        }
        try await store.setMeta("regional_reports_written", previous.description)
        return files
    }
}
